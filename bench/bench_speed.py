"""Speed, encoder calls and memory of align and audit, beside raw faster-whisper in the same run.

    python bench/bench_speed.py                # the news clip (203 s)
    python bench/bench_speed.py --hour         # also the news clip looped to an hour

Each measurement runs in a process of its own (so its peak memory is its own), with a cache
of its own (so recognition is always included) and the model loaded before the clock starts:

- ``raw``: faster-whisper ``transcribe(beam_size=5, vad_filter=True)`` of the same audio,
  every segment consumed: the peer, on as many threads as aligner uses (faster-whisper's own
  default, 4, is no faster on 2 cores);
- ``raw, 1 thread``: the same on one CTranslate2 thread: on some machines (this project's 2-core
  virtual machine) beam search runs faster so, and the peer at its best is the fairer bar;
- ``align``: ``aligner.align`` of the clip and its transcript;
- ``audit``: ``aligner.audit`` of the clip and correct subtitles for it;
- ``audit after align``: the same audit in a process that has just aligned the clip (not
  counted): a newsroom's order, in which the audit reads the chunks' encodings align made
  (but hears for itself: align's hearing leans on the transcript).

Prints wall time / audio duration, each as a multiple of the peer's (and of the one-thread
peer's), Whisper encoder calls per audio minute (every 30 s window through
``WhisperModel.encode``, a batch counting each of its windows: recognition, language
detection, alignment and the audit's hearings), peak memory (the process's, plus its sidecar
process's: ``aligner.runtime.sidecar``) and, for the audits, the errors they report on subtitles that
are correct: speed must not be bought with verdicts.
One run, one machine: ratios, not promises.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from aligner.runtime.scratch import process_dir  # noqa: E402


def measure(task: str, media: str, text: str) -> dict:
    """One measurement, in this process: {seconds, encodes, duration, peak_mb}."""
    os.environ["ALIGNER_CACHE"] = str(process_dir("bench"))
    from faster_whisper import WhisperModel

    import aligner
    from aligner.runtime import media as media_mod
    from aligner.runtime.model import load_model

    model = load_model(threads=1 if task == "raw1" else 0)
    encodes = 0
    encode = WhisperModel.encode

    def counted(self, features, *args, **kwargs):
        nonlocal encodes
        encodes += features.shape[0] if features.ndim == 3 else 1  # a batch of windows counts each
        return encode(self, features, *args, **kwargs)

    if task == "audit-after-align":
        text, subtitles = text.split(os.pathsep)
        aligner.align(media, text)
        encodes, task, text = 0, "audit", subtitles
    WhisperModel.encode = counted  # type: ignore[method-assign]
    duration = media_mod.probe(media).duration
    t0 = time.perf_counter()
    errors = None
    if task in ("raw", "raw1"):
        segments, _ = model.transcribe(media_mod.load_audio(media), beam_size=5, vad_filter=True)
        for _ in segments:
            pass
    elif task == "align":
        aligner.align(media, text)
    else:
        from aligner.auditing.run import audit

        errors = sum(f.severity == "error" for f in audit(media, text).findings)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "encodes": encodes, "duration": duration, "peak_mb": peak + sidecar_peak_mb(),
            "errors": errors}


def sidecar_peak_mb() -> float:
    """The sidecar process's peak memory (``aligner.runtime.sidecar``), if the run started one: counted
    in the run's peak (their sum: an upper bound, as the two peaks need not coincide)."""
    from aligner.runtime import sidecar

    helper = sidecar._state["sidecar"]
    if helper is None:
        return 0.0
    for line in Path(f"/proc/{helper.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(task: str, media: Path, text: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", task, str(media), str(text)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(title: str, media: Path, transcript: Path, subtitles: Path) -> None:
    raw = run("raw", media, transcript)
    raw1 = run("raw1", media, transcript)
    rows = {"raw faster-whisper": raw, "raw, 1 thread": raw1, "aligner align": run("align", media, transcript),
            "aligner audit": run("audit", media, subtitles),
            "audit after align": run("audit-after-align", media, Path(f"{transcript}{os.pathsep}{subtitles}"))}
    minutes = raw["duration"] / 60
    print(f"{title}: {raw['duration']:.0f} s of audio")
    for name, r in rows.items():
        print(f"  {name:20s} {r['seconds'] / r['duration']:.3f} x audio duration ({r['seconds']:6.1f} s)   "
              f"{r['seconds'] / raw['seconds']:.2f} x raw faster-whisper "
              f"({r['seconds'] / raw1['seconds']:.2f} x at 1 thread)   "
              f"{r['encodes'] / minutes:5.2f} encoder calls per audio minute   peak {r['peak_mb']:5.0f} MB"
              + ("" if r["errors"] is None else f"   {r['errors']} errors on correct subtitles"))


def hour_files(folder: Path) -> tuple[Path, Path, Path]:
    """The news clip looped to an hour, its transcript repeated, its subtitles along with it."""
    from bench_audit_long import looped_cues, save  # the hour-long audit bench's own subtitles

    from aligner.runtime.media import ffmpeg_binary, probe

    source = ROOT / "fixtures" / "news.mp4"
    period = probe(source).duration
    loops = math.ceil(3600 / period)
    media = folder / "hour.m4a"
    subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-stream_loop", str(loops - 1),
                    "-i", str(source), "-vn", "-c:a", "aac", "-b:a", "32k", str(media)], check=True)
    text = (ROOT / "fixtures" / "news_transcript.txt").read_text(encoding="utf-8")
    transcript = folder / "hour.txt"
    transcript.write_text("\n\n".join([text] * loops), encoding="utf-8")
    subtitles = folder / "hour.srt"
    save(looped_cues(loops, period), subtitles)
    return media, transcript, subtitles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hour", action="store_true", help="also the news clip looped to an hour")
    parser.add_argument("--one", nargs=3, metavar=("TASK", "MEDIA", "TEXT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(*args.one)))
        return
    fx = ROOT / "fixtures"
    report("news clip", fx / "news.mp4", fx / "news_transcript.txt", fx / "news.srt")
    if args.hour:
        with tempfile.TemporaryDirectory() as tmp:
            report("one hour", *hour_files(Path(tmp)))


if __name__ == "__main__":
    main()
