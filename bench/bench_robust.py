"""Does ``aligner align`` keep the thread on real, unscripted and edited material?

    python bench/bench_robust.py                       # every case
    python bench/bench_robust.py --cases panel,meeting # some of them
    python bench/bench_robust.py --peer PEER_PYTHON    # beside stable-ts (see peer_stable_ts.py)
    python bench/bench_robust.py --compute-type float32 --threads 1   # another CPU's arithmetic

Cases, from real voices in ../shared/corpus (read from there: the bench is not part of a
clone's tests):

- ``panel``: seven real speakers (a spontaneous talker with "uh", a cold and a long pause,
  readers), the transcript with its ``NAME:`` labels removed; ``panel-labels`` as published;
  ``panel-edited`` as a newsroom edits it (fillers removed, labels as names).
- ``meeting``: a real four-person meeting with overlapping talk, labels kept.
- ``missing``, ``extra``, ``swapped``: LJ Speech's 32 sentences as eight paragraphs; the
  transcript lacks one paragraph, holds one nobody says, or has two paragraphs swapped.
- ``music``, ``noise``: three minutes of synthetic music, or of room noise, between the
  fourth and fifth paragraphs.
- ``hour``: these cases joined, repeated to an hour.

For each case: the share of the spoken transcript words timed inside their own turn (0.5 s
slack), spoken words left out, words placed in another turn, unspoken words reported as
unheard (and placed), seconds reported as untranscribed inside speech the transcript lacks
and elsewhere (target 0), processing time / audio duration. With ``--peer``, stable-ts's
``align()`` on the same model, text and audio: its words inside their own turn.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import aligner  # noqa: E402
from aligner.runtime import media  # noqa: E402
from aligner.runtime.media import SAMPLE_RATE  # noqa: E402
from aligner.runtime.scratch import process_dir  # noqa: E402
from aligner.text.transcript import load as load_transcript  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SLACK = 0.5  # seconds a word may lie outside its turn and still count as inside
GAP = 0.6  # seconds of room noise between joined pieces
FILLERS = {"uh", "um", "yknow"}

Span = tuple[float, float]


@dataclass
class Line:
    """A transcript line: its speaker label (or None), its words, and where each word may lie
    (the spans of its turn, or of its speaker's voice; None for a word nobody says)."""

    label: str | None
    words: list[str]
    where: list[list[Span] | None]


@dataclass
class Case:
    name: str
    samples: np.ndarray
    lines: list[Line]
    extra: list[Span] = field(default_factory=list)  # speech the transcript lacks
    paragraphs: bool = False  # lines separated by blank lines

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def text(self, labels: bool = True) -> str:
        sep = "\n\n" if self.paragraphs else "\n"
        return sep.join((f"{ln.label}: " if labels and ln.label else "") + " ".join(ln.words) for ln in self.lines)

    def shifted(self, by: float) -> tuple[list[Line], list[Span]]:
        lines = [Line(ln.label, ln.words, [None if w is None else [(a + by, b + by) for a, b in w] for w in ln.where])
                 for ln in self.lines]
        return lines, [(a + by, b + by) for a, b in self.extra]


def noise(seconds: float, level_db: float = -60.0, seed: int = 0) -> np.ndarray:
    """Room noise: low-passed white noise at ``level_db`` dBFS."""
    rng = np.random.default_rng(seed)
    white = rng.normal(0.0, 1.0, int(seconds * SAMPLE_RATE))
    brown = np.convolve(white, np.ones(8) / 8, "same")
    return (brown / (np.sqrt(np.mean(brown**2)) + 1e-12) * 10 ** (level_db / 20)).astype(np.float32)


def music(seconds: float, seed: int = 1) -> np.ndarray:
    """Synthetic music: chords of harmonic tones, a beat of noise bursts, at about -22 dBFS."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    out = np.zeros_like(t)
    beat = 0.5
    roots = [220.0, 246.9, 261.6, 196.0, 174.6, 164.8]
    for k in range(int(seconds / beat)):
        a, b = int(k * beat * SAMPLE_RATE), int((k + 1) * beat * SAMPLE_RATE)
        root = roots[(k // 4) % len(roots)]
        tt = t[a:b] - t[a]
        env = np.exp(-3 * tt)
        for ratio in (1.0, 1.25, 1.5):
            for h in (1, 2, 3):
                out[a:b] += env * np.sin(2 * np.pi * root * ratio * h * tt) / (h * 3)
        burst = min(b - a, 1600)
        out[a:a + burst] += rng.normal(0, 0.3, burst) * np.exp(-np.arange(burst) / 300)
    return (out / np.sqrt(np.mean(out**2)) * 10 ** (-22 / 20)).astype(np.float32)


def panel(edited: bool = False) -> Case:
    folder = CORPUS / "speakers" / "panel_7voices"
    turns = json.loads((folder / "turns.json").read_text())["turns"]
    names = {"JFK": "John Kennedy", "MICHAEL": "Michael", "AUSTEN_READER": "Austen Reader", "LJ": "Linda Johnson"}
    # each line's words, in order, are the turns' words in order: each word lies in its turn
    flat = [[(t["start"], t["end"])] for t in turns for _ in t["text"].split()]
    lines, k = [], 0
    for raw in (folder / "transcript.txt").read_text().splitlines():
        label, _, text = raw.partition(": ")
        ws, where = text.split(), flat[k:k + len(text.split())]
        k += len(ws)
        if edited:  # fillers out, labels as names
            keep = [j for j, w in enumerate(ws) if w.lower() not in FILLERS]
            ws, where = [ws[j] for j in keep], [where[j] for j in keep]
            label = names.get(label) or re.sub(r"^LS_(\d+)$", r"Reader \1", label)
        lines.append(Line(label, ws, where))
    return Case("panel-edited" if edited else "panel", media.load_audio(folder / "audio.flac"), lines)


def meeting() -> Case:
    """Each word may lie in any stretch its speaker talks in (the RTTM's)."""
    folder = CORPUS / "speakers" / "ami_meeting_30s"
    regions: dict[str, list[Span]] = {}
    for row in (folder / "speakers.rttm").read_text().splitlines():
        f = row.split()
        regions.setdefault(f[7], []).append((float(f[3]), float(f[3]) + float(f[4])))
    lines = []
    for raw in (folder / "transcript.txt").read_text().splitlines():
        label, _, text = raw.partition(": ")
        lines.append(Line(label, text.split(), [regions[label]] * len(text.split())))
    return Case("meeting", media.load_audio(folder / "audio.flac"), lines)


def lj_paragraphs() -> list[tuple[np.ndarray, list[tuple[list[str], Span]]]]:
    """LJ Speech's 32 sentences as eight paragraphs of four: each paragraph's samples and its
    sentences' words and spans (from the paragraph's start)."""
    folder = CORPUS / "readings" / "ljspeech_names"
    segs = json.loads((folder / "segments.json").read_text())["segments"]
    samples = media.load_audio(folder / "audio.flac")
    out = []
    for k in range(0, len(segs), 4):
        part = segs[k:k + 4]
        a = part[0]["start"]
        piece = samples[int(a * SAMPLE_RATE):int(part[-1]["end"] * SAMPLE_RATE)]
        out.append((piece, [(s["text"].split(), (s["start"] - a, s["end"] - a)) for s in part]))
    return out


def lj_case(name: str, order: list[int], said: list[int], insert: np.ndarray | None = None,
            after: int = 3) -> Case:
    """The paragraphs ``said`` joined into audio (``insert`` after the ``after``-th of them),
    under a transcript of the paragraphs ``order``, one a line."""
    paras = lj_paragraphs()
    pieces: list[np.ndarray] = []
    where: dict[int, list[tuple[list[str], Span]]] = {}
    t = 0.0
    for n, k in enumerate(said):
        piece, sentences = paras[k]
        where[k] = [(ws, (a + t, b + t)) for ws, (a, b) in sentences]
        pieces += [piece, noise(GAP, seed=n)]
        t += len(piece) / SAMPLE_RATE + GAP
        if insert is not None and n == after:
            pieces += [insert, noise(GAP, seed=99)]
            t += len(insert) / SAMPLE_RATE + GAP
    extra = [(where[k][0][1][0], where[k][-1][1][1]) for k in where if k not in order]  # a paragraph's whole stretch
    lines = []
    for k in order:
        sentences = where.get(k) or [(ws, None) for ws, _ in paras[k][1]]
        lines.append(Line(None, [w for ws, _ in sentences for w in ws],
                          [None if span is None else [span] for ws, span in sentences for _ in ws]))
    return Case(name, np.concatenate(pieces), lines, extra, paragraphs=True)


def joined(name: str, cases: list[Case], least: float = 0.0) -> Case:
    """Cases one after the other (repeated until ``least`` seconds), transcripts likewise,
    without speaker labels."""
    pieces: list[np.ndarray] = []
    lines: list[Line] = []
    extra: list[Span] = []
    t = 0.0
    while not pieces or t < least:
        for c in cases:
            ls, ex = c.shifted(t)
            lines += [Line(None, ln.words, ln.where) for ln in ls]
            extra += ex
            pieces += [c.samples, noise(GAP, seed=len(pieces))]
            t += c.duration + GAP
    return Case(name, np.concatenate(pieces), lines, extra, paragraphs=True)


def norm(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def truth_of(case: Case, words: list[str]) -> list[list[Span] | str | None]:
    """For each of ``words`` (the transcript as parsed, or a peer's), where it may lie; "?"
    for a word that is not one of the case's line words (never scored)."""
    ref = [w for ln in case.lines for w in ln.words]
    spans = [w for ln in case.lines for w in ln.where]
    sm = SequenceMatcher(None, [norm(w) for w in words], [norm(w) for w in ref], autojunk=False)
    out: list = ["?"] * len(words)
    for m in sm.get_matching_blocks():
        for k in range(m.size):
            out[m.a + k] = spans[m.b + k]
    return out


def inside(t: tuple[float, float], spans: list[Span]) -> bool:
    return any(t[0] >= a - SLACK and t[1] <= b + SLACK for a, b in spans)


def overlap(a: Span, spans: list[Span]) -> float:
    return sum(max(0.0, min(a[1], b) - max(a[0], s)) for s, b in spans)


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(SAMPLE_RATE)
        fh.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def score(case: Case, words: list[str], times: dict[int, tuple[float, float]],
          untranscribed: list[Span]) -> dict:
    truth = truth_of(case, words)
    spoken = [i for i, t in enumerate(truth) if isinstance(t, list)]
    unspoken = [i for i, t in enumerate(truth) if t is None]
    ok = [i for i in spoken if i in times and inside(times[i], truth[i])]  # type: ignore[arg-type]
    return {
        "inside": len(ok) / max(1, len(spoken)),
        "left_out": sum(i not in times for i in spoken),
        "elsewhere": sum(i in times for i in spoken) - len(ok),
        "unspoken": len(unspoken),
        "unspoken_placed": sum(i in times for i in unspoken),
        "untranscribed_in": sum(overlap(u, case.extra) for u in untranscribed),
        "untranscribed_out": sum(u[1] - u[0] - overlap(u, case.extra) for u in untranscribed),
        "extra": sum(b - a for a, b in case.extra),
    }


def run_aligner(case: Case, folder: Path, labels: bool, **options) -> dict:
    from aligner.hearing import recognition

    os.environ["ALIGNER_CACHE"] = str(process_dir("bench"))
    recognition._MEMO.clear()
    audio, text = folder / f"{case.name}.wav", folder / f"{case.name}.txt"
    write_wav(audio, case.samples)
    text.write_text(case.text(labels))
    t0 = time.perf_counter()
    result = aligner.align(audio, text, **options)
    took = time.perf_counter() - t0
    words = [w.text for w in load_transcript(text).words]
    times = {w.index: (w.start, w.end) for w in result.words}
    out = score(case, words, times, [(u.start, u.end) for u in result.untranscribed])
    out["x"] = took / case.duration
    out["speakers"] = len({w.speaker for w in result.words if w.speaker})
    return out


def run_peer(case: Case, folder: Path, python: str, model: str) -> dict | None:
    audio, text, out = folder / f"{case.name}.wav", folder / f"{case.name}.peer.txt", folder / f"{case.name}.json"
    text.write_text(case.text(labels=False))
    proc = subprocess.run([python, str(ROOT / "bench" / "peer_stable_ts.py"), model,
                           str(audio), str(text), str(out)], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  stable-ts failed on {case.name}: {proc.stderr.strip().splitlines()[-1:]}")
        return None
    got = json.loads(out.read_text())
    words = [w["text"] for w in got["words"]]
    times = {i: (w["start"], w["end"]) for i, w in enumerate(got["words"])}
    res = score(case, words, times, [])
    res["x"] = got["seconds"] / case.duration
    return res


CASES = ["panel", "panel-labels", "panel-edited", "meeting", "missing", "extra", "swapped", "music", "noise", "hour"]


def build(name: str) -> tuple[Case, bool]:
    """A case and whether its transcript keeps speaker labels."""
    order = list(range(8))
    if name in ("panel", "panel-labels"):
        case = panel()
        case.name = name
        return case, name == "panel-labels"
    if name == "panel-edited":
        return panel(edited=True), True
    if name == "meeting":
        return meeting(), True
    if name == "missing":
        return lj_case(name, [k for k in order if k != 4], order), False
    if name == "extra":
        return lj_case(name, order, [k for k in order if k != 4]), False
    if name == "swapped":
        return lj_case(name, [0, 1, 2, 3, 5, 4, 6, 7], order), False
    if name == "music":
        return lj_case(name, order, order, insert=music(180.0)), False
    if name == "noise":
        return lj_case(name, order, order, insert=noise(180.0, -55.0, seed=7)), False
    if name == "hour":
        parts = [build(n)[0] for n in ("panel", "missing", "extra", "music", "panel-edited", "swapped")]
        return joined("hour", parts, least=3600.0), False
    raise SystemExit(f"unknown case {name!r}; cases: {', '.join(CASES)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--peer", help="a Python with stable-ts installed (see bench/peer_stable_ts.py)")
    parser.add_argument("--compute-type", default="default", help="as aligner's (int8 on a CPU by default)")
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if not (CORPUS / "speakers").exists():
        raise SystemExit("../shared/corpus not found")
    folder = Path(tempfile.mkdtemp(prefix="bench-robust-"))
    from aligner.runtime.model import model_path

    model = model_path()  # the bundled model, joined in the user's cache once (the runs use caches of their own)
    print("| case | audio | words | inside own turn | left out | elsewhere | unspoken: unheard / placed "
          "| untranscribed s: in extra / elsewhere | x audio | stable-ts inside | stable-ts x audio |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in args.cases.split(","):
        case, labels = build(name)
        r = run_aligner(case, folder, labels, compute_type=args.compute_type, threads=args.threads)
        p = run_peer(case, folder, args.peer, model) if args.peer else None
        unspoken = f"{r['unspoken'] - r['unspoken_placed']} / {r['unspoken_placed']}" if r["unspoken"] else "–"
        extra = f"{r['untranscribed_in']:.1f} of {r['extra']:.1f} / {r['untranscribed_out']:.1f}"
        peer = f"{p['inside']:.1%} | {p['x']:.3f}" if p else "– | –"
        n = sum(len(ln.words) for ln in case.lines)
        print(f"| {name} | {case.duration:.0f} s | {n} | {r['inside']:.1%} | {r['left_out']} | {r['elsewhere']} "
              f"| {unspoken} | {extra} | {r['x']:.3f} | {peer} |", flush=True)


if __name__ == "__main__":
    main()
