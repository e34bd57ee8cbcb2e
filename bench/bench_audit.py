"""Recall and precision of ``aligner audit`` per kind of finding, over synthetic and real speech.

    python bench/bench_audit.py                  # every fixture, int8, all threads
    python bench/bench_audit.py --stability      # also float32 and --threads 1: are the errors the same?
    python bench/bench_audit.py --offsets        # also global offset recovery on the news clip
    python bench/bench_audit.py --real           # only the real voices of ../shared/corpus, per language
    python bench/bench_audit.py --real --stability   # ... and whether int8, float32 and one thread agree
    python bench/bench_audit.py --real --quick-stability   # ... int8 against float32 on one thread only
    python bench/bench_audit.py --real --kernels intel     # ... computed with Intel's kernels (MKL, AVX-512)
    python bench/bench_audit.py --real --keep DIR          # keep the subtitle files made, in DIR
    python bench/bench_audit.py --real --kernels intel --reuse --keep DIR   # audit DIR's files again: the audit alone
    python bench/bench_audit.py --real --only jfk,de_fleurs                 # some recordings only
    python bench/bench_audit.py --real --noise 10   # subtitles cut from the clean voice, audited over it
                                                    # with pink noise 10 dB under it

Defects are the ones fixtures/make_fixtures.py (espeak-ng speech) and fixtures/real/make_defects.py
(LibriVox readings, JFK) injected, listed in ``*.defects.json``; the correct subtitle files
count too, so any finding on them lowers precision. Style warnings are not counted. The audit
time is printed beside ``aligner align``'s on the same clip in the same run.
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
from aligner.runtime.scratch import process_dir  # noqa: E402

# A cache of the run's own: every figure includes recognition, none reuses an earlier run's.
if not os.environ.get("ALIGNER_CACHE"):  # removed as the run ends (process_dir)
    os.environ["ALIGNER_CACHE"] = str(process_dir("bench"))

from aligner.auditing.run import audit  # noqa: E402

FX = ROOT / "fixtures"
REAL = FX / "real"
CASES = [  # media, subtitles, injected defects (None: a correct file)
    (FX / "news.mp4", FX / "news.defects.srt", FX / "news.defects.json"),
    (FX / "news.mp4", FX / "news.srt", None),
    (FX / "interview_de.mp4", FX / "interview_de.defects.en.srt", FX / "interview_de.defects.json"),
    (FX / "interview_de.mp4", FX / "interview_de.en.srt", None),
    (REAL / "sonnet002.mp3", REAL / "sonnet002.defects.srt", REAL / "sonnet002.defects.json"),
    (REAL / "sonnet002.mp3", REAL / "sonnet002.srt", None),
    (REAL / "sonnet003.mp3", REAL / "sonnet003.defects.srt", REAL / "sonnet003.defects.json"),
    (REAL / "sonnet003.mp3", REAL / "sonnet003.srt", None),
    (REAL / "jfk.flac", REAL / "jfk.defects.srt", REAL / "jfk.defects.json"),
    (REAL / "jfk.flac", REAL / "jfk.srt", None),
    (REAL / "spanish_reading.mp3", REAL / "spanish_reading.defects.en.srt", REAL / "spanish_reading.defects.json"),
    (REAL / "spanish_reading.mp3", REAL / "spanish_reading.en.srt", None),
]


def matches(f, e) -> bool:
    if f.kind != e["kind"]:
        return False
    if "contains" in e:
        return e["contains"] in f.published.replace("\n", " ")
    if e["cue"] is not None:
        return f.cue == e["cue"]
    return f.start < e["end"] and f.end > e["start"]


def score(runs: list[tuple[tuple, object]], title: str = "all fixtures") -> None:
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for (_media, subs, defects), report in runs:
        expected = json.loads(defects.read_text()) if defects else []
        found = [f for f in report.findings if f.kind != "style"]
        for e in expected:
            hit = any(matches(f, e) for f in found)
            (tp if hit else fn)[e["kind"]] = (tp if hit else fn).get(e["kind"], 0) + 1
            if not hit:
                print(f"  missed {e['kind']} cue {e['cue']} in {subs.name} ({e.get('what', '')})")
        for f in found:
            if not any(matches(f, e) for e in expected):
                fp[f.kind] = fp.get(f.kind, 0) + 1
                print(f"  unexpected {f.kind} ({f.severity}) cue {f.cue} at {f.start:.2f} in {subs.name}: {f.detail}")
    print(f"\n{title}: kind        recall   precision   (found/injected, wrong)")
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        t, f, n = tp.get(kind, 0), fp.get(kind, 0), fn.get(kind, 0)
        recall = t / (t + n) if t + n else float("nan")
        precision = t / (t + f) if t + f else float("nan")
        print(f"{kind:20s} {recall:6.2f}   {precision:9.2f}   ({t}/{t + n}, {f})")


def real_voices(stability: bool | str, keep: str | None = None, only: str | None = None,
                reuse: bool = False, noise: float | None = None) -> None:
    """The real voices of ../shared/corpus (``real_voices.py``): correct subtitles cut by
    ``align`` from each recording's exact text, and a copy of them with each defect. Per
    language: errors on the correct subtitles (target 0; findings the audio bears out,
    ``real_voices.KNOWN``, apart), recall and precision on the injected defects, the share of
    errors given a confidence of 0.9 or more that are true, and whether int8, float32 and one
    thread report the same errors (``stability="quick"``: float32 on one thread only, the
    arithmetic furthest from int8 on all threads). ``noise``: the subtitles, cut from the
    clean recording, audited over it with pink noise that many dB under the voice."""
    from real_voices import KNOWN, defects, items, with_noise

    import aligner

    rows: list[tuple[str, Path, list, list, list]] = []  # language, file, known, injected, errors
    unstable: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(keep or scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        for item in items():
            if only and item.name not in only.split(","):
                continue
            correct, transcript = tmp / f"{item.name}.srt", tmp / f"{item.name}.txt"
            transcript.write_text(item.text, encoding="utf-8")
            if not (reuse and correct.exists()):  # --reuse: only the audit's arithmetic differs from that run
                aligner.align(item.media, transcript).save(correct)
            media = item.media if noise is None else with_noise(item.media, noise, tmp)
            for subs, injected in [(correct, []), *defects(correct, item.language, tmp)]:
                report = audit(media, subs)
                errors = [f for f in report.findings if f.severity == "error"]
                checks = [f for f in report.findings if f.severity == "check"]
                print(f"  {subs.name}: {len(errors)} errors, {len(checks)} checks, {len(injected)} injected; "
                      f"errors: {report.errors()}; checks: {[(f.cue, f.differences) for f in checks]}", flush=True)
                rows.append((item.language, subs, KNOWN.get(item.name, []), injected, errors))
                if stability:
                    for ct, th in (("float32", 1),) if stability == "quick" else (("float32", 0), ("int8", 1)):
                        other = audit(media, subs, compute_type=ct, threads=th).errors()
                        same = other == report.errors()
                        print(f"    {ct}, threads {th or 'all'}: {'same errors' if same else other}")
                        if other != report.errors():
                            unstable.append(f"{subs.name} ({ct}, threads {th or 'all'})")
    for language in dict.fromkeys(r[0] for r in rows):
        _real_summary(language, [r[1:] for r in rows if r[0] == language])
    if stability:
        print("int8, float32 and one thread:", "identical" if not unstable else "differ on " + ", ".join(unstable))


def _real_summary(language: str, rows: list[tuple[Path, list, list, list]]) -> None:
    """One language's line of ``real_voices`` and each error it did not expect."""
    def unexplained(errs, exp):
        return [f for f in errs if not any(matches(f, e) for e in exp)]

    wrong = sum(len(unexplained(errs, known)) for _subs, known, inj, errs in rows if not inj)
    hits = sum(any(matches(f, e) for f in errs) for _s, _k, inj, errs in rows for e in inj)
    injected = sum(len(inj) for _s, _k, inj, _e in rows)
    found = [(f, not unexplained([f], inj)) for _s, known, inj, errs in rows if inj
             for f in errs if not any(matches(f, e) for e in known)]
    sure = [true for f, true in found if f.confidence >= 0.9]
    print(f"{language}: errors on correct subtitles {wrong}; recall {hits}/{injected}; precision "
          f"{sum(t for _, t in found)}/{len(found)}; confidence >= 0.9 true {sum(sure)}/{len(sure)}")
    for subs, known, inj, errs in rows:
        for f in unexplained(errs, known + inj):
            print(f"    {subs.name}: unexpected {f.kind} cue {f.cue} ({f.confidence:.2f}): {f.differences or f.detail}")
        for e in inj:
            if not any(matches(f, e) for f in errs):
                print(f"    {subs.name}: missed {e['kind']} cue {e.get('cue')} ({e.get('what', '')})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stability", action="store_true")
    parser.add_argument("--quick-stability", action="store_true",
                        help="with --real: float32 on one thread only, beside int8 on all threads")
    parser.add_argument("--offsets", action="store_true")
    parser.add_argument("--real", action="store_true")
    parser.add_argument("--keep", help="with --real: keep the subtitle files made in this folder")
    parser.add_argument("--only", help="with --real: these recordings only (names, comma-separated: jfk,de_fleurs)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: audit the correct subtitles an earlier run kept there instead of aligning "
                             "afresh (to compare the audit alone across kernels or arithmetic)")
    parser.add_argument("--noise", type=float, metavar="SNR",
                        help="with --real: audit over the recordings with pink noise SNR dB under the voice "
                             "(the subtitles still cut from the clean voice)")
    parser.add_argument("--kernels", choices=["native", "intel"], default="native",
                        help="intel: CTranslate2's Intel kernels (MKL; AVX-512 where the CPU has it) on any x86 CPU, "
                             "to compare with a run of this machine's own (runtime.model.intel_kernels)")
    args = parser.parse_args()
    if args.kernels == "intel":  # read by CTranslate2 at the first model loaded, not before
        from aligner.runtime.model import intel_kernels

        os.environ.update(intel_kernels())
        print("kernels:", intel_kernels())
    if args.real:
        real_voices("quick" if args.quick_stability else args.stability, args.keep, args.only, args.reuse,
                    args.noise)
        return
    import aligner
    from aligner.hearing import recognition

    runs = []
    for case in CASES:
        media, subs, _ = case
        t0 = time.perf_counter()
        report = audit(media, subs)
        took = time.perf_counter() - t0
        runs.append((case, report))
        print(f"{subs.name}: {len([f for f in report.findings if f.kind != 'style'])} findings, "
              f"{took / report.duration:.3f} x audio duration")
    score(runs)
    print()
    score([r for r in runs if r[0][0].parent == REAL], "real voices only")

    print("\naudit time against align on the same clip, in this run (recognition heard afresh for each):")
    for media, transcript in ((FX / "news.mp4", FX / "news_transcript.txt"), (REAL / "sonnet002.mp3", None)):
        recognition._MEMO.clear()  # each command hears the audio itself, as on the command line
        with tempfile.TemporaryDirectory() as cache:
            os.environ["ALIGNER_CACHE"] = cache
            subs = FX / "news.srt" if transcript else REAL / "sonnet002.srt"
            t0 = time.perf_counter()
            aligner.align(media, transcript or subs)
            t_align = time.perf_counter() - t0
        recognition._MEMO.clear()
        with tempfile.TemporaryDirectory() as cache:
            os.environ["ALIGNER_CACHE"] = cache
            t0 = time.perf_counter()
            audit(media, subs)
            t_audit = time.perf_counter() - t0
        print(f"  {media.name}: align {t_align:.1f} s, audit {t_audit:.1f} s, ratio {t_audit / t_align:.2f}")

    if args.stability:
        print("\nerrors (kind, cue) across compute types and threads:")
        same = True
        for (case, report) in runs:
            base = report.errors()
            for ct, th in (("float32", 0), ("int8", 1), ("float32", 1)):
                other = audit(case[0], case[1], compute_type=ct, threads=th).errors()
                if other != base:
                    same = False
                    print(f"  {case[1].name} {ct} threads={th or 'all'}: {other} (int8, all threads: {base})")
        print("  identical on every fixture" if same else "  differences above")

    if args.offsets:
        print("\nglobal offset recovery (news.srt shifted, every cue):")
        with tempfile.TemporaryDirectory() as tmp:
            for offset in (0.3, 1.0, 3.0, 10.0, 30.0):
                subs = pysrt.open(str(FX / "news.srt"), encoding="utf-8")
                subs.shift(milliseconds=round(offset * 1000))
                path = Path(tmp) / f"shift{offset}.srt"
                subs.save(str(path), encoding="utf-8")
                report = audit(FX / "news.mp4", path)
                errors = sorted({f.kind for f in report.findings if f.severity == "error"})
                print(f"  {offset:5.1f} s -> {report.sync.offset:7.3f} s (error "
                      f"{abs(report.sync.offset - offset) * 1000:4.0f} ms)  error kinds: {', '.join(errors)}")


if __name__ == "__main__":
    main()
