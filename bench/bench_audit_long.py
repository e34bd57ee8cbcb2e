"""An hour of audio audited twice: with its ordinary subtitles, and with the same words cut
into 10,000 cues. The dense file must cost at most twice the ordinary one.

    python bench/bench_audit_long.py [--minutes 60] [--cues 10000]
    python bench/bench_audit_long.py --ordinary     # the ordinary file only: its errors and checks, listed
    python bench/bench_audit_long.py --ordinary --keep DIR   # ... and keep the hour's audio and subtitles in DIR

The news fixture's audio is looped to the length asked for, its correct subtitles repeated
with it; the dense file splits every cue into pieces of a word or two.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pysrt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from aligner.runtime.scratch import process_dir  # noqa: E402

if not os.environ.get("ALIGNER_CACHE"):  # removed as the run ends (process_dir)
    os.environ["ALIGNER_CACHE"] = str(process_dir("bench"))

from aligner.auditing.run import audit  # noqa: E402
from aligner.hearing import recognition  # noqa: E402
from aligner.runtime.media import ffmpeg_binary, probe  # noqa: E402


def looped_cues(loops: int, period: float) -> list[tuple[float, float, str]]:
    subs = pysrt.open(str(ROOT / "fixtures" / "news.srt"), encoding="utf-8")
    return [(s.start.ordinal / 1000 + k * period, s.end.ordinal / 1000 + k * period, s.text)
            for k in range(loops) for s in subs]


def split(cues: list[tuple[float, float, str]], target: int) -> list[tuple[float, float, str]]:
    """Each cue cut into pieces (as many as it takes to reach ``target`` cues in all), its time
    shared by the pieces' lengths."""
    per = max(1, math.ceil(target / len(cues)))
    out = []
    for a, b, text in cues:
        words = text.split()
        n = min(per, len(words))
        chunks = [words[round(i * len(words) / n):round((i + 1) * len(words) / n)] for i in range(n)]
        total = sum(len(" ".join(c)) for c in chunks) or 1
        t = a
        for c in chunks:
            d = (b - a) * len(" ".join(c)) / total
            out.append((t, t + d - 0.01, " ".join(c)))
            t += d
    return out


def save(cues: list[tuple[float, float, str]], path: Path) -> None:
    subs = pysrt.SubRipFile()
    for n, (a, b, text) in enumerate(cues, 1):
        subs.append(pysrt.SubRipItem(n, pysrt.SubRipTime.from_ordinal(round(a * 1000)),
                                     pysrt.SubRipTime.from_ordinal(round(b * 1000)), text))
    subs.save(str(path), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--cues", type=int, default=10_000)
    parser.add_argument("--ordinary", action="store_true", help="audit the ordinary file only, and list its errors")
    parser.add_argument("--keep", help="keep the hour's audio and subtitle files in this folder (to audit one "
                                       "with aligner -v audit and see which rule fired)")
    args = parser.parse_args()
    source = ROOT / "fixtures" / "news.mp4"
    period = probe(source).duration
    loops = math.ceil(args.minutes * 60 / period)
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(args.keep or scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        media = tmp / "long.m4a"
        subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-stream_loop", str(loops - 1),
                        "-y", "-i", str(source), "-vn", "-c:a", "aac", "-b:a", "32k", str(media)], check=True)
        # The source's own period (as bench_speed.py --hour): the looped file's container
        # duration runs about 1 s long over an hour, and cues laid by it drift (296 ppm) from
        # their speech: a true drift the audit reports.
        ordinary = looped_cues(loops, period)
        dense = split(ordinary, args.cues)
        for name, cues in (("ordinary", ordinary), ("dense", dense))[:1 if args.ordinary else 2]:
            path = tmp / f"{name}.srt"
            save(cues, path)
            recognition._MEMO.clear()  # each audit hears the hour afresh, as on the command line
            os.environ["ALIGNER_CACHE"] = str(process_dir("bench"))
            t0 = time.perf_counter()
            report = audit(media, path)
            took = time.perf_counter() - t0
            errors = [f for f in report.findings if f.severity == "error"]
            checks = sum(f.severity == "check" for f in report.findings)
            print(f"{name}: {len(cues)} cues over {report.duration / 60:.1f} min: {took:.0f} s "
                  f"({took / report.duration:.3f} x audio), {len(errors)} errors, {checks} checks, "
                  f"peak memory so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
            if args.ordinary:
                for f in errors:
                    print(f"  {f.kind} cue {f.cue} at {f.start:.1f} s: {f.differences or f.detail}")


if __name__ == "__main__":
    main()
