"""Shot-change detectors compared: ffmpeg's ``select`` (what ``runtime.shots`` uses), ffmpeg's
``scdet``, and PySceneDetect's ContentDetector, on the committed fixture and on a harder clip
made here (fast motion, film grain, a two-frame camera flash, a one-second dissolve), every
cut's frame known.

    python bench/bench_shots.py          # PySceneDetect measured when installed

Prints one row a detector and clip: cuts found, missed, false (a dissolve's frames are
neither), seconds of wall time and times faster than playback. The table is in docs/shots.md.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
FIXTURE = HERE.parent / "fixtures" / "shots"

from aligner.runtime.media import ffmpeg_binary  # noqa: E402
from aligner.runtime.shots import SHOTS, _scored, without_flashes  # noqa: E402

FPS = 25
SIZE = "640x360"
# (source, frames): hard cuts between them
HARD = (
    (f"testsrc=s={SIZE}:r={FPS},scroll=h=0.02", 150),  # fast pan
    (f"mandelbrot=s={SIZE}:r={FPS},noise=alls=25:allf=t", 130),  # zoom under grain
    (f"smptebars=s={SIZE}:r={FPS},eq=brightness='if(between(n,60,61),0.6,0)':eval=frame", 120),  # flash
    (f"testsrc2=s={SIZE}:r={FPS},noise=alls=20:allf=t", 140),
    (f"gradients=s={SIZE}:r={FPS}:speed=0.05", 160),
    (f"yuvtestsrc=s={SIZE}:r={FPS},scroll=v=0.01", 140),
    (f"rgbtestsrc=s={SIZE}:r={FPS},hue=H=2*t", 110),
    (f"color=c=0x304050:s={SIZE}:r={FPS},drawbox=x='mod(t*225,600)':y=100:w=80:h=120:c=white:t=fill", 150),
    (f"testsrc=s={SIZE}:r={FPS},negate,noise=alls=15:allf=t", 150),
)
DISSOLVE = 4  # the 5th shot dissolves into the 6th over 25 frames: not a cut, and not a false one


def hard_clip(folder: Path) -> tuple[Path, list[int], range]:
    """The harder clip, its hard cuts (frames) and the dissolve's frames."""
    parts, chain, cuts, t, dissolve = [], "", [], 0, range(0)
    for k, (src, n) in enumerate(HARD):
        parts.append(f"{src},trim=end_frame={n},setpts=PTS-STARTPTS,format=yuv420p,settb=1/{FPS}[s{k}]")
    chain = "[s0]"
    for k in range(1, len(HARD)):
        t += HARD[k - 1][1]
        if k - 1 == DISSOLVE:
            off = t - 25
            parts.append(f"{chain}[s{k}]xfade=transition=fade:duration=1:offset={off / FPS},settb=1/{FPS}[j{k}]")
            dissolve = range(off, t + 1)
            t -= 25
        else:
            parts.append(f"{chain}[s{k}]concat=n=2:v=1:a=0,settb=1/{FPS}[j{k}]")
            cuts.append(t)
        chain = f"[j{k}]"
    target = folder / "hard.mp4"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-filter_complex",
                    ";".join(parts), "-map", chain, "-c:v", "libx264", "-crf", "23", "-r", str(FPS), str(target)],
                   check=True)
    return target, cuts, dissolve


def scdet(path: Path) -> tuple[float, ...]:
    done = subprocess.run([ffmpeg_binary(), "-nostdin", "-hide_banner", "-i", str(path), "-an", "-vf",
                           "scale=64:-2,scdet=threshold=10", "-f", "null", "-"], capture_output=True, text=True)
    return tuple(float(x) for x in re.findall(r"lavfi\.scd\.time: ([0-9.]+)", done.stderr))


def pyscenedetect(path: Path) -> tuple[float, ...]:
    from scenedetect import ContentDetector, detect

    return tuple(start.seconds for start, _ in detect(str(path), ContentDetector())[1:])


def row(name: str, clip: str, found: tuple[float, ...], cuts: list[int], soft: range, took: float,
        length: float) -> str:
    frames = {round(t * FPS) for t in found}
    hit = sum(any(abs(f - c) <= 0 for f in frames) for c in cuts)
    false = sorted(f for f in frames if f not in cuts and f not in soft)
    return (f"| {name} | {clip} | {hit}/{len(cuts)} | {len(cuts) - hit} | {len(false)} {false or ''} | "
            f"{took:.2f} | {length / took:.0f}x |")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hard, hard_cuts, dissolve = hard_clip(Path(tmp))
        fixture = FIXTURE / "interview_cuts.mp4"
        truth = [round(float(x) * FPS) for x in (FIXTURE / "interview_cuts.shotchanges").read_text().split()]
        clips = [("fixture", fixture, truth, range(0), 25.44),
                 ("hard", hard, hard_cuts, dissolve, sum(n for _, n in HARD) / FPS - 1)]
        detectors = [("ffmpeg select 0.3 @64px", lambda p: _scored(p, SHOTS)),
                     ("the same, flashes dropped (runtime.shots)",
                      lambda p: without_flashes(_scored(p, SHOTS), FPS, SHOTS.flash_frames)),
                     ("ffmpeg scdet 10 @64px", scdet)]
        try:
            import scenedetect  # noqa: F401

            detectors.append(("PySceneDetect ContentDetector", pyscenedetect))
        except ImportError:
            print("(PySceneDetect not installed: not measured)")
        print("| detector | clip | cuts found | missed | false | s | x playback |")
        print("|---|---|---|---|---|---|---|")
        for name, run in detectors:
            for clip, path, cuts, soft, length in clips:
                start = time.perf_counter()
                found = run(path)
                print(row(name, clip, found, cuts, soft, time.perf_counter() - start, length))


if __name__ == "__main__":
    main()
