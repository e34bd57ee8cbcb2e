"""Speakers from the voices (#34) on real voices: accuracy, CPU seconds per audio minute, peak memory.

    python bench/bench_voices.py

Needs the voices extra (pip install "aligner[voices]"). Audio from ../shared/corpus/speakers
(panel_7voices: seven real voices with exact turns; ami_meeting_30s: a real four-person meeting
with overlap); the words and their times are `aligner align`'s on those clips, kept in
fixtures/voices/*.words.json (the command is in each file's "source"). Each case runs once:
the CPU is shared, and the numbers are CPU time of this process, not wall time.

Cases: `label_turns` on the panel's words with their labels removed (words under the right
speaker, best one-to-one mapping of found speakers to people); `check_labels` on the right
labels, on one turn given to another labelled speaker, on a label change put five words late;
`wrong_speaker` on the panel's cues, right and with one cue under another speaker's label;
the same three on the AMI meeting, reported as they come.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from itertools import permutations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEAKERS = ROOT.parent / "shared" / "corpus" / "speakers"
WORDS = ROOT / "fixtures" / "voices"
TARGET = 3.0  # CPU seconds per audio minute (0.05 x the audio)


def best_mapping_right(found: list[str], truth: list[str]) -> int:
    """Words under the right speaker when found speakers are mapped one-to-one onto people, best mapping."""
    hyp, ref = sorted(set(found)), sorted(set(truth))
    counts = {(h, r): 0 for h in hyp for r in ref}
    for h, r in zip(found, truth):
        counts[h, r] += 1
    if len(hyp) > 8 or len(ref) > 8:
        return sum(max(counts[h, r] for r in ref) for h in hyp)  # greedy bound, many speakers
    pad = ref + [None] * max(0, len(hyp) - len(ref))
    return max(sum(counts.get((h, r), 0) for h, r in zip(hyp, p) if r) for p in permutations(pad, len(hyp)))


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def main() -> int:
    try:
        from aligner.runtime.media import load_audio
        from aligner.voices.checks import check_labels
        from aligner.voices.cues import wrong_speaker
        from aligner.voices.model import VoiceModel
        from aligner.voices.options import VoiceOptions
        from aligner.voices.turns import label_turns
        from aligner.voices.types import CueVoice, VoiceWord

        options = VoiceOptions()
        model, load = timed(lambda: VoiceModel(options))
    except Exception as e:
        print(f"skipped: {e}")
        return 0
    print(f"model loaded (sha256 checked) in {load:.2f} s CPU\n")
    print(f"| clip | case | result | CPU s | CPU s / audio min (target {TARGET}) |")
    print("|---|---|---|---|---|")
    for clip in ("panel_7voices", "ami_meeting_30s"):
        if not (SPEAKERS / clip).is_dir():
            print(f"| {clip} | not found in ../shared | | | |")
            continue
        samples = load_audio(SPEAKERS / clip / "audio.flac")
        minutes = len(samples) / 16000 / 60
        data = json.loads((WORDS / f"{clip}.words.json").read_text())
        rows, truth = data["words"], [r[2] for r in data["words"]]

        def row(case: str, result: str, cpu: float, clip: str = clip, minutes: float = minutes) -> None:
            print(f"| {clip} | {case} | {result} | {cpu:.2f} | {cpu / minutes:.2f} |", flush=True)

        plain = [VoiceWord(r[0], r[1], None) for r in rows]
        labelled, cpu = timed(lambda: label_turns(plain, samples, model, options))  # noqa: B023
        right = best_mapping_right(list(labelled.speakers), truth)
        row("label_turns, labels removed",
            f"{labelled.count} speakers ({len(set(truth))} labelled); {right}/{len(rows)} words right "
            f"({100 * right / len(rows):.1f} %)", cpu)

        def check(labels: list[str]) -> tuple[list[Any], float]:
            words = [VoiceWord(r[0], r[1], lab) for r, lab in zip(rows, labels)]  # noqa: B023
            return timed(lambda: check_labels(words, samples, model, options))  # noqa: B023

        found, cpu = check(truth)
        row("check_labels, right labels", f"{len(found)} warnings " + "; ".join(w.message for w in found), cpu)
        turns = _turns(truth)
        wrong_turn = _a_turn_to_give(turns, truth)
        if wrong_turn is not None:
            first, last, given = wrong_turn
            labels = [given if first <= i <= last else t for i, t in enumerate(truth)]
            found, cpu = check(labels)
            row(f"check_labels, words {first}-{last} ({truth[first]}) given to {given}",
                f"{len(found)} warnings: " + "; ".join(w.message for w in found), cpu)
        change = turns[1][0]
        late = [truth[change - 1] if change <= i < change + 5 else t for i, t in enumerate(truth)]
        found, cpu = check(late)
        row(f"check_labels, change at word {change} put 5 words late (true {rows[change][0]:.2f} s)",
            f"{len(found)} warnings: " + "; ".join(w.message for w in found), cpu)

        cues = [CueVoice(c[0], c[1], c[2]) for c in data["cues"]]
        found, cpu = timed(lambda: wrong_speaker(cues, samples, model, options))  # noqa: B023
        row("wrong_speaker, right labels", f"{len(found)} cues flagged " + "; ".join(
            f"cue {w.index + 1}: {w.message}" for w in found), cpu)
        target = _a_cue_to_give(cues)
        if target is not None:
            k, given = target
            changed = [*cues[:k], CueVoice(cues[k].start, cues[k].end, given), *cues[k + 1 :]]
            found, cpu = timed(lambda: wrong_speaker(changed, samples, model, options))  # noqa: B023
            row(f"wrong_speaker, cue {k + 1} ({cues[k].label}) labelled {given}", f"{len(found)} cues flagged: " +
                "; ".join(f"cue {w.index + 1}: {w.message}" for w in found), cpu)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS of this process): {peak:.0f} MB")
    return 0


def _turns(labels: list[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i, label in enumerate(labels):
        if out and labels[out[-1][0]] == label:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _a_turn_to_give(turns: list[tuple[int, int]], labels: list[str]) -> tuple[int, int, str] | None:
    """The longest turn whose speaker has another turn, given to a speaker who is neither neighbour."""
    for first, last in sorted(turns, key=lambda t: t[0] - t[1]):
        mine = labels[first]
        if sum(labels[a] == mine for a, _ in turns) < 2:
            continue
        near = {labels[first - 1] if first else mine, labels[last + 1] if last + 1 < len(labels) else mine, mine}
        others = sorted({labels[a] for a, _ in turns} - near)
        if others:
            return first, last, others[0]
    return None


def _a_cue_to_give(cues: list[Any]) -> tuple[int, str] | None:
    """The middle cue of 2 s or more whose speaker has other cues, given to a speaker it does not neighbour."""
    labels = [c.label for c in cues]
    for k in sorted(range(len(cues)), key=lambda i: abs(i - len(cues) // 2)):
        if cues[k].end - cues[k].start < 2.0 or labels.count(labels[k]) < 2:
            continue
        near = {labels[k], labels[k - 1] if k else None, labels[k + 1] if k + 1 < len(cues) else None}
        others = sorted({x for x in labels if x} - near)
        if others:
            return k, others[0]
    return None


if __name__ == "__main__":
    sys.exit(main())
