"""An hour-long programme: does memory stay bounded, and does the speed hold?

    python bench/bench_long.py [--minutes 60]

Loops the news fixture's audio to the length asked for (ffmpeg -stream_loop) with the
transcript repeated as often, aligns it, and prints processing time / audio duration, peak
memory, and the share of words timed.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from aligner.runtime.scratch import process_dir  # noqa: E402

# A cache of the run's own: every figure includes recognition, none reuses an earlier run's.
if not os.environ.get("ALIGNER_CACHE"):  # removed as the run ends (process_dir)
    os.environ["ALIGNER_CACHE"] = str(process_dir("bench"))

import aligner  # noqa: E402
from aligner.runtime.media import ffmpeg_binary, probe  # noqa: E402
from aligner.text.transcript import load as load_transcript  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0)
    args = parser.parse_args()
    source = ROOT / "fixtures" / "news.mp4"
    loops = math.ceil(args.minutes * 60 / probe(source).duration)
    with tempfile.TemporaryDirectory() as tmp:
        media = Path(tmp) / "long.m4a"
        subprocess.run([ffmpeg_binary(), "-nostdin", "-loglevel", "error", "-stream_loop", str(loops - 1),
                        "-i", str(source), "-vn", "-c:a", "aac", "-b:a", "32k", str(media)], check=True)
        text = (ROOT / "fixtures" / "news_transcript.txt").read_text(encoding="utf-8")
        transcript = Path(tmp) / "long.txt"
        transcript.write_text("\n\n".join([text] * loops), encoding="utf-8")
        n_words = len(load_transcript(transcript).words)
        t0 = time.perf_counter()
        result = aligner.align(media, transcript)
        took = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{result.duration / 60:.1f} min of audio, {n_words} transcript words ({loops} loops of the news fixture)")
    print(f"processing {took / result.duration:.3f} x audio duration ({took:.0f} s)")
    print(f"peak memory {peak:.0f} MB (whole process)")
    print(f"words timed {len(result.words) / n_words:.1%}; {len(result.cues)} cues; "
          f"{len(result.untranscribed)} untranscribed passages (expected {loops}: one German line per loop)")


if __name__ == "__main__":
    main()
