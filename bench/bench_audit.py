"""Recall and precision of ``aligner audit`` per kind of finding, offset recovery, real speech.

    python bench/bench_audit.py            # fixtures only
    python bench/bench_audit.py --corpus   # also ../shared/corpus/jfk.flac

Defects are the ones fixtures/make_fixtures.py injected (``*.defects.json``); the correct
subtitle files count too, so any finding on them lowers precision. Style warnings are not
counted: they follow from the injected defects (a shifted cue overlaps its neighbour).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pysrt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# A cache of the run's own: every figure includes recognition, none reuses an earlier run's.
os.environ.setdefault("ALIGNER_CACHE", tempfile.mkdtemp(prefix="aligner-bench-"))

from aligner.audit import audit  # noqa: E402

FX = ROOT / "fixtures"
CASES = [  # media, subtitles, injected defects (None: a correct file)
    ("news.mp4", "news.defects.srt", "news.defects.json"),
    ("news.mp4", "news.srt", None),
    ("interview_de.mp4", "interview_de.defects.en.srt", "interview_de.defects.json"),
    ("interview_de.mp4", "interview_de.en.srt", None),
]


def matches(f, e) -> bool:
    if f.kind != e["kind"]:
        return False
    if e["cue"] is not None:
        return f.cue == e["cue"]
    return f.start < e["end"] and f.end > e["start"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", action="store_true")
    args = parser.parse_args()
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for media, subs, defects in CASES:
        expected = json.loads((FX / defects).read_text()) if defects else []
        t0 = time.perf_counter()
        report = audit(FX / media, FX / subs)
        took = time.perf_counter() - t0
        found = [f for f in report.findings if f.kind != "style"]
        for e in expected:
            hit = any(matches(f, e) for f in found)
            (tp if hit else fn)[e["kind"]] = (tp if hit else fn).get(e["kind"], 0) + 1
            if not hit:
                print(f"  missed {e['kind']} cue {e['cue']} in {subs}")
        for f in found:
            if not any(matches(f, e) for e in expected):
                fp[f.kind] = fp.get(f.kind, 0) + 1
                print(f"  unexpected {f.kind} cue {f.cue} at {f.start:.2f} in {subs}: {f.detail}")
        print(f"{subs}: {len(found)} findings, {len(expected)} injected, {took / report.duration:.3f} x audio "
              f"duration (recognition shared between files of one clip)")
    print("\nkind                 recall   precision   (found/injected, wrong)")
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        t, f, n = tp.get(kind, 0), fp.get(kind, 0), fn.get(kind, 0)
        recall = t / (t + n) if t + n else float("nan")
        precision = t / (t + f) if t + f else float("nan")
        print(f"{kind:20s} {recall:6.2f}   {precision:9.2f}   ({t}/{t + n}, {f})")

    print("\nglobal offset recovery (news.srt shifted, every cue):")
    with tempfile.TemporaryDirectory() as tmp:
        for offset in (0.3, 1.0, 3.0, 10.0, 30.0):
            subs = pysrt.open(str(FX / "news.srt"), encoding="utf-8")
            subs.shift(milliseconds=round(offset * 1000))
            path = Path(tmp) / f"shift{offset}.srt"
            subs.save(str(path), encoding="utf-8")
            report = audit(FX / "news.mp4", path)
            errors = sorted({f.kind for f in report.findings if f.severity == "error"})
            miss = abs(report.sync.offset - offset) * 1000
            print(f"  {offset:5.1f} s -> {report.sync.offset:7.3f} s (error {miss:4.0f} ms)"
                  f"  error kinds: {', '.join(errors)}")

    if args.corpus:
        corpus = ROOT.parent / "shared" / "corpus"
        import aligner

        with tempfile.TemporaryDirectory() as tmp:
            srt = Path(tmp) / "jfk.srt"
            aligner.align(corpus / "jfk.flac", corpus / "jfk.txt").save(srt)
            report = audit(corpus / "jfk.flac", srt)
            by = {s: sum(f.severity == s for f in report.findings) for s in ("error", "warning")}
            print(f"\njfk.flac with subtitles cut from jfk.txt: {by['error']} errors, {by['warning']} warnings")
            for f in report.findings:
                print(f"  {f.kind} {f.severity} cue {f.cue}: {f.detail}")


if __name__ == "__main__":
    main()
