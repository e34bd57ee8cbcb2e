"""Wall time of ``aligner batch`` on 8 one-minute clips: --jobs 1, --jobs 2, and a re-run with
other cue options on a warm recognition cache.

    python bench/bench_batch.py

Each clip is the interview fixture looped to 60 s and trimmed at a different start, so no two
clips share a recognition. With --jobs 2 each worker gets cores // jobs CTranslate2 threads
(1 on 2 cores), so the two workers never ask for more threads than there are cores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aligner.runtime.media import ffmpeg_binary  # noqa: E402


def make_clips(folder: Path) -> None:
    text = (ROOT / "fixtures" / "interview.txt").read_text(encoding="utf-8")
    for k in range(8):
        subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-stream_loop", "3",
                        "-i", str(ROOT / "fixtures" / "interview.mp4"), "-ss", f"{k * 0.37:.2f}", "-t", "60",
                        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "32k",
                        str(folder / f"clip{k}.mp4")], check=True)
        (folder / f"clip{k}.txt").write_text("\n\n".join([text] * 3), encoding="utf-8")


def run(folder: Path, out: Path, cache: Path, *extra: str) -> float:
    env = {**os.environ, "ALIGNER_CACHE": str(cache)}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "aligner", "batch", str(folder), "--out", str(out), "-q", *extra],
                          env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    manifest = (out / "aligner-manifest.json").read_text()
    done = manifest.count('"state": "done"')
    if done != 8:
        raise SystemExit(f"only {done} of 8 clips done:\n{proc.stdout[-2000:]}")
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        folder = tmp_path / "clips"
        folder.mkdir()
        make_clips(folder)
        model = tmp_path / "model-cache"  # assemble the model once, outside the timings
        subprocess.run([sys.executable, "-c", "from aligner.runtime.model import model_path; model_path()"],
                       env={**os.environ, "ALIGNER_CACHE": str(model)}, check=True)
        caches = []
        for name in ("c1", "c2"):
            shutil.copytree(model, tmp_path / name)
            caches.append(tmp_path / name)
        t1 = run(folder, tmp_path / "out1", caches[0], "--jobs", "1")
        t2 = run(folder, tmp_path / "out2", caches[1], "--jobs", "2")
        t3 = run(folder, tmp_path / "out2", caches[1], "--jobs", "2", "--profile", "bbc")
    audio = 8 * 60.0
    print("8 clips x 60 s, 2 CPU cores")
    print(f"  --jobs 1, cold cache  {t1:6.1f} s  ({t1 / audio:.3f} x audio duration)")
    print(f"  --jobs 2, cold cache  {t2:6.1f} s  ({t2 / audio:.3f} x audio duration)  speed-up {t1 / t2:.2f}x")
    print(f"  --jobs 2, re-run with --profile bbc on the warm recognition cache  {t3:6.1f} s"
          f"  speed-up {t2 / t3:.1f}x over the cold run")


if __name__ == "__main__":
    main()
