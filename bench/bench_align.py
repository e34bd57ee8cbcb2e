"""Accuracy, speed and memory of ``aligner align`` against known word times.

    python bench/bench_align.py            # the news fixture (espeak-ng's exact word starts) and
                                           # ../shared/corpus/wordtimes (real speech, human marks)
    python bench/bench_align.py --corpus   # also align jfk.flac in ../shared/corpus

Prints, for aligner with its acoustic re-timing (``acoustic``) and with Whisper's times only
(``whisper``), and for raw faster-whisper word timestamps on the same audio: word start error
(median, p90, share within 50 and 100 ms), share of transcript words timed; for aligner also
cue start error, speaker accuracy, processing time / audio duration and peak memory; on the
real speech also the boundary mean (starts and ends). One run, one machine: ratios, not
promises. The real speech is read from ../shared (GPL-2: not copied into the project).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import aligner  # noqa: E402
from aligner.runtime import media  # noqa: E402
from aligner.runtime.model import load_model  # noqa: E402
from aligner.runtime.scratch import process_dir  # noqa: E402
from aligner.text.textnorm import spoken_tokens  # noqa: E402
from aligner.text.transcript import load as load_transcript  # noqa: E402


def fresh_cache() -> None:
    """Each run recognises afresh: no figure reuses another run's recognition, on disk or in
    the process."""
    from aligner.hearing import recognition

    os.environ["ALIGNER_CACHE"] = str(process_dir("bench"))
    recognition._MEMO.clear()


def pair(ours: list[str], truth: list[str]) -> list[tuple[int, int]]:
    a = [" ".join(spoken_tokens(w)) for w in ours]
    b = [" ".join(spoken_tokens(w)) for w in truth]
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return [(m.a + k, m.b + k) for m in sm.get_matching_blocks() for k in range(m.size)]


def stats(errors: list[float]) -> str:
    e = np.abs(errors) * 1000
    return (f"median {np.median(e):5.0f} ms   p90 {np.percentile(e, 90):5.0f} ms   "
            f"within 50 ms {np.mean(e <= 50):6.1%}   within 100 ms {np.mean(e <= 100):6.1%}")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_fixture(name: str, transcript: str, acoustic: bool, raw: bool) -> None:
    truth_all = json.loads((ROOT / "fixtures" / f"{name}.truth.json").read_text())["words"]
    truth = [t for t in truth_all if t["text"] and t["transcribed"]]
    tstarts = [t["start"] for t in truth]

    t0 = time.perf_counter()
    load_model()
    t_load = time.perf_counter() - t0
    fresh_cache()
    t0 = time.perf_counter()
    result = aligner.align(ROOT / "fixtures" / f"{name}.mp4", ROOT / "fixtures" / transcript, acoustic=acoustic)
    t_align = time.perf_counter() - t0
    mem = peak_mb()
    dur = result.duration
    n_words = len(load_transcript(ROOT / "fixtures" / transcript).words)

    words = list(result.words)
    pairs = pair([w.text for w in words], [t["text"] for t in truth])
    word_err = [words[i].start - tstarts[j] for i, j in pairs]
    truth_of = {i: j for i, j in pairs}
    index_of = {id(w): k for k, w in enumerate(words)}
    cue_err = [c.start - tstarts[truth_of[index_of[id(c.words[0])]]]
               for c in result.cues if index_of[id(c.words[0])] in truth_of]
    speaker_ok = np.mean([words[i].speaker == truth[j]["speaker"] for i, j in pairs])
    voices = len({t["speaker"] for t in truth_all}) + (1 if any(not t["transcribed"] for t in truth_all) else 0)

    how = "acoustic" if acoustic else "whisper "
    print(f"fixture {name}.mp4: {dur:.1f} s, {n_words} transcript words, {voices} voices, word timing: {how}")
    print(f"  aligner {how}  word start   {stats(word_err)}   ({len(pairs)} words compared)")
    print(f"  aligner {how}  cue start    {stats(cue_err)}   ({len(cue_err)} cues)")
    print(f"  aligner {how}  words timed  {len(words) / n_words:6.1%}   speaker accuracy {speaker_ok:6.1%}")
    print(f"  aligner {how}  processing   {t_align / dur:.3f} x audio duration "
          f"({t_align:.1f} s; model load {t_load:.1f} s more, once per process)")
    print(f"  aligner {how}  peak memory  {mem:.0f} MB (whole process so far, model included)")
    if raw:
        bench_raw(name, tstarts, truth, dur)


def bench_raw(name: str, tstarts: list[float], truth: list[dict], dur: float) -> None:

    # Raw faster-whisper: its own word timestamps on the same audio, as a user would get them.
    model = load_model()
    audio = media.load_audio(ROOT / "fixtures" / f"{name}.mp4")
    t0 = time.perf_counter()
    segments, _ = model.transcribe(audio, word_timestamps=True, vad_filter=True)
    raw = [w for s in segments for w in (s.words or [])]
    t_raw = time.perf_counter() - t0
    rpairs = pair([w.word for w in raw], [t["text"] for t in truth])
    raw_err = [raw[i].start - tstarts[j] for i, j in rpairs]
    print(f"  faster-whisper word start   {stats(raw_err)}   ({len(rpairs)} words compared)")
    print(f"  faster-whisper words timed  {len(rpairs) / len(truth):6.1%} of the spoken transcript words "
          f"(only words it recognised right)   processing {t_raw / dur:.3f} x audio duration")


def bench_wordtimes() -> None:
    """Real read speech with human-made word boundaries: emuR's msajc sentences."""
    folder = ROOT.parent / "shared" / "corpus" / "wordtimes" / "emur_msajc"
    if not (folder / "truth.json").exists():
        print("../shared/corpus/wordtimes not found; skipped")
        return
    truth = json.loads((folder / "truth.json").read_text())["words"]
    for acoustic in (False, True):
        fresh_cache()
        t0 = time.perf_counter()
        result = aligner.align(folder / "audio.wav", folder / "transcript.txt", acoustic=acoustic)
        took = time.perf_counter() - t0
        words = list(result.words)
        pairs = pair([w.text for w in words], [t["text"] for t in truth])
        starts = [words[i].start - truth[j]["start"] for i, j in pairs]
        ends = [words[i].end - truth[j]["end"] for i, j in pairs]
        bounds = np.abs(starts + ends) * 1000
        how = "acoustic" if acoustic else "whisper "
        print(f"real speech wordtimes/emur_msajc ({result.duration:.1f} s, {len(truth)} words), word timing {how}:")
        print(f"  word start {stats(starts)}   boundary mean {bounds.mean():4.0f} ms "
              f"(within 50 ms {np.mean(bounds <= 50):6.1%})   timed {len(pairs)}/{len(truth)}   "
              f"{took / result.duration:.3f} x audio duration")


def bench_corpus() -> None:
    corpus = ROOT.parent / "shared" / "corpus"
    if not (corpus / "jfk.flac").exists():
        print("../shared/corpus not found; skipped")
        return
    t0 = time.perf_counter()
    result = aligner.align(corpus / "jfk.flac", corpus / "jfk.txt")
    took = time.perf_counter() - t0
    print(f"corpus jfk.flac ({result.duration:.1f} s, real speech, no timing truth): {len(result.cues)} cues, "
          f"{len(result.words)} words timed, {len(result.unheard)} unheard passages, "
          f"{took / result.duration:.3f} x audio duration")
    for c in result.cues:
        print(f"    {c.start:6.2f} {c.end:6.2f}  {' / '.join(c.lines)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="store_true", help="also run on ../shared/corpus/jfk.flac")
    args = parser.parse_args()
    bench_fixture("news", "news_transcript.txt", acoustic=False, raw=False)
    bench_fixture("news", "news_transcript.txt", acoustic=True, raw=True)
    bench_wordtimes()
    if args.corpus:
        bench_corpus()


if __name__ == "__main__":
    main()
