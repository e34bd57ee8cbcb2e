"""A labelled transcript's speakers checked against the voices: `check_labels`.

Two questions, each with its own rule. A turn (a run of words under one label) that sounds
like another labelled speaker much more than like its own label's other turns is called that
speaker's (`turn_warnings`). A label change whose neighbouring segments sound like the speaker
on the other side is looked at closely: short windows across it are embedded and the change
is moved to the word edge that best splits the two voices, when that gain is clear
(`boundary_suspects`, then `boundary_move`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aligner.voices.clustering import unit
from aligner.voices.options import VoiceOptions
from aligner.voices.segments import segments
from aligner.voices.types import Embedder, Group, Segment, Span, Verdict, VoiceWarning, VoiceWord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Voices:
    """Each label's summed voice (duration-weighted unit vectors of its long-enough segments)."""

    sums: dict[str, np.ndarray]

    @classmethod
    def of(
        cls, words: Sequence[VoiceWord], segs: Sequence[Segment], vectors: np.ndarray, options: VoiceOptions
    ) -> Voices:
        sums: dict[str, np.ndarray] = {}
        for seg, v in zip(segs, vectors):
            label = words[seg.first].speaker
            if label is not None and seg.duration >= options.shortest_voice:
                sums[label] = sums.get(label, np.zeros_like(v)) + v * seg.duration
        return cls(sums)

    def similarity(self, label: str, vector: np.ndarray, leave_out: np.ndarray | None = None) -> float | None:
        """Cosine of `vector` to `label`'s voice, less `leave_out` (None when nothing is left)."""
        total = self.sums.get(label)
        if total is None:
            return None
        if leave_out is not None:
            total = total - leave_out
        if float(np.linalg.norm(total)) < 1e-3:
            return None
        return float(unit(total) @ unit(vector))


def check_labels(
    words: Sequence[VoiceWord], samples: np.ndarray, model: Embedder, options: VoiceOptions
) -> list[VoiceWarning]:
    """Warnings, in time order, where the transcript's labels and the voices disagree."""
    segs = segments(words, options)
    vectors = model.embed(samples, [s.span for s in segs])
    voices = Voices.of(words, segs, vectors, options)
    warnings = turn_warnings(words, segs, vectors, options)
    flagged = {w.first for w in warnings} | {w.last + 1 for w in warnings}
    suspects = [c for c in boundary_suspects(words, segs, vectors, voices, options) if c not in flagged]
    warnings += moved_changes(words, suspects, voices, samples, model, options)
    return sorted(warnings, key=lambda w: w.start)


def moved_changes(
    words: Sequence[VoiceWord],
    changes: Sequence[int],
    voices: Voices,
    samples: np.ndarray,
    model: Embedder,
    options: VoiceOptions,
    reach: float | None = None,
) -> list[VoiceWarning]:
    """The label changes (word numbers) that the voices place elsewhere, each with where it belongs.

    The windows reach `reach` seconds either side (`boundary_reach` unless given); those of all
    the changes are embedded together, each span once.
    """
    zones = {c: boundary_windows(words, c, options, reach) for c in changes}
    grid = sorted({span for spans in zones.values() for span in spans}, key=lambda span: span.start)
    embedded = dict(zip(grid, model.embed(samples, grid))) if grid else {}
    out = []
    for change, windows in zones.items():
        rows = np.stack([embedded[w] for w in windows]) if windows else np.zeros((0, 192), dtype=np.float32)
        moved = boundary_move(words, change, windows, rows, voices, options)
        if moved is not None:
            out.append(moved)
    return out


def turns_of(words: Sequence[VoiceWord], segs: Sequence[Segment]) -> list[list[int]]:
    """Segment numbers grouped by turn (a run of segments under one label)."""
    turns: list[list[int]] = []
    for i, seg in enumerate(segs):
        if turns and words[segs[turns[-1][-1]].first].speaker == words[seg.first].speaker:
            turns[-1].append(i)
        else:
            turns.append([i])
    return turns


def misattributed(groups: Sequence[Group], members: np.ndarray, options: VoiceOptions) -> list[Verdict]:
    """Groups that sound like another label, strongest first (pure).

    `members` holds each member's duration-weighted vector; a label's voice is the sum of its
    members'. A group is another label's when it sounds like that label's voice by at least
    `same_speaker`, and by `other_voice` more than like its own label's other members (or than
    `same_speaker` when its label has no others). Each group found is taken out of its label's
    voice before the rest are judged again: a turn under the wrong name would otherwise lend
    its voice to that name and make the name's true turns sound like someone else.
    """
    sums: dict[str, np.ndarray] = {}
    for label, m in sorted({(g.label, m) for g in groups for m in g.members}):  # a member counts once
        sums[label] = sums.get(label, np.zeros_like(members[m])) + members[m]
    taken: set[int] = set()
    found: list[Verdict] = []
    while True:
        voices = Voices(sums)
        done = {f.group for f in found}
        # a group is judged on its members not yet found to be someone else's
        rest = [Group(g.label, kept) for g in groups if (kept := tuple(m for m in g.members if m not in taken))]
        candidates = [v for g in rest if g not in done and (v := _verdict(g, members, voices, options))]
        if not candidates:
            return found
        best = max(candidates, key=lambda v: v.similarity - (v.own if v.own == v.own else options.same_speaker))
        log.debug("%s (members %s) sounds like %s: %.3f against %.3f", best.group.label, best.group.members,
                  best.sounds_like, best.similarity, best.own)
        found.append(best)
        for m in best.group.members:
            if m not in taken:
                sums[best.group.label] = sums[best.group.label] - members[m]
                taken.add(m)


def _verdict(group: Group, members: np.ndarray, voices: Voices, options: VoiceOptions) -> Verdict | None:
    mine = members[list(group.members)].sum(axis=0)
    own = voices.similarity(group.label, mine, leave_out=mine)
    others = {o: voices.similarity(o, mine) for o in voices.sums if o != group.label}
    scored = {o: s for o, s in others.items() if s is not None}
    if not scored:
        return None
    best = max(scored, key=lambda o: scored[o])
    bar = (own if own is not None else options.same_speaker) + options.other_voice
    if scored[best] < max(bar, options.same_speaker):
        return None
    return Verdict(group, best, scored[best], own if own is not None else float("nan"))


def turn_warnings(
    words: Sequence[VoiceWord], segs: Sequence[Segment], vectors: np.ndarray, options: VoiceOptions
) -> list[VoiceWarning]:
    """Turns that sound like another labelled speaker (pure)."""
    weighted = vectors * np.array([s.duration for s in segs], dtype=np.float32)[:, None]
    groups = []
    for turn in turns_of(words, segs):
        label = words[segs[turn[0]].first].speaker
        long = tuple(i for i in turn if segs[i].duration >= options.shortest_voice)
        if label is not None and long:
            groups.append(Group(label, long))
    out = []
    for v in misattributed(groups, weighted, options):
        turn = next(t for t in turns_of(words, segs) if v.group.members[0] in t)
        first, last = segs[turn[0]].first, segs[turn[-1]].last
        out.append(VoiceWarning("other_voice", first, last, words[first].start, words[last].end,
                                v.group.label, v.sounds_like, v.similarity, v.own))
    return sorted(out, key=lambda w: w.start)


def boundary_suspects(
    words: Sequence[VoiceWord], segs: Sequence[Segment], vectors: np.ndarray, voices: Voices, options: VoiceOptions
) -> list[int]:
    """Word numbers where the label changes and a segment touching the change sounds like the other side."""
    out = []
    for i in range(1, len(segs)):
        a, b = words[segs[i - 1].first].speaker, words[segs[i].first].speaker
        if a == b or a is None or b is None:
            continue
        for k, mine, other in ((i - 1, a, b), (i, b, a)):
            if segs[k].duration < options.shortest_voice:
                continue
            own_part = vectors[k] * segs[k].duration
            own = voices.similarity(mine, vectors[k], leave_out=own_part)
            theirs = voices.similarity(other, vectors[k])
            if own is not None and theirs is not None and theirs - own >= options.other_voice:
                log.debug("change at word %d: segment %d sounds like %s (%.2f vs %.2f)",
                          segs[i].first, k, other, theirs, own)
                out.append(segs[i].first)
                break
    return out


def boundary_windows(
    words: Sequence[VoiceWord], change: int, options: VoiceOptions, reach: float | None = None
) -> list[Span]:
    """Windows of `window` seconds across the words within `reach` (`boundary_reach`) of the change.

    They start on multiples of `window_hop` from 0, so that the windows of nearby changes are
    the same spans and are embedded once.
    """
    hop = options.window_hop
    at = words[change].start
    reach = options.boundary_reach if reach is None else reach
    lo = max(words[0].start, at - reach)
    hi = min(words[-1].end, at + reach)
    first, last = int(np.floor(lo / hop)), int(np.floor((hi - options.window) / hop))
    return [Span(round(k * hop, 3), round(k * hop + options.window, 3)) for k in range(first, last + 1)]


def boundary_move(
    words: Sequence[VoiceWord],
    change: int,
    windows: Sequence[Span],
    vectors: np.ndarray,
    voices: Voices,
    options: VoiceOptions,
) -> VoiceWarning | None:
    """The word edge that best splits the windows into the two voices, when the words it moves clearly
    sound like the speaker they would go to (pure): `similarity` and `own` in the warning are the
    moved stretch's mean cosine to that speaker and to the one the transcript gives it."""
    a, b = words[change - 1].speaker, words[change].speaker
    assert a is not None and b is not None
    d = np.array([(voices.similarity(a, v) or 0.0) - (voices.similarity(b, v) or 0.0) for v in vectors])
    usable = np.array([bool(np.any(v)) for v in vectors])

    def score(edge: float) -> float:
        left = np.array([w.end <= edge for w in windows]) & usable
        right = np.array([w.start >= edge for w in windows]) & usable
        n = left.sum() + right.sum()
        return float((d[left].sum() - d[right].sum()) / n) if n else 0.0

    lo, hi = windows[0].start if windows else 0.0, windows[-1].end if windows else 0.0
    opening = change - 1
    while opening > 0 and words[opening - 1].speaker == a:
        opening -= 1
    closing = change
    while closing + 1 < len(words) and words[closing + 1].speaker == b:
        closing += 1
    # the change may move inside the two turns it joins, never across another change
    candidates = [k for k in range(opening + 1, closing + 1) if lo < words[k].start < hi]
    if not candidates:
        return None
    best = max(candidates, key=lambda k: score(words[k].start))
    if best == change:
        return None
    lo_edge, hi_edge = sorted((words[best].start, words[change].start))
    # the windows at least half inside the stretch that changes hands: a window mostly across the
    # change hears both voices and is no evidence for a move of a word or two
    inside = [min(w.end, hi_edge) - max(w.start, lo_edge) for w in windows]
    between = np.array([share >= w.duration / 2 for share, w in zip(inside, windows)]) & usable
    if not between.any():
        return None
    toward, away = (b, a) if best < change else (a, b)
    near = float(np.mean([voices.similarity(toward, v) or 0.0 for v in vectors[between]]))
    far = float(np.mean([voices.similarity(away, v) or 0.0 for v in vectors[between]]))
    log.debug("change at word %d: best edge word %d, the words between sound %.3f like %s, %.3f like %s",
              change, best, near, toward, far, away)
    if near - far < options.boundary_gain:
        return None
    first, last = min(best, change), max(best, change) - 1
    return VoiceWarning(
        "boundary", first, last, words[first].start, words[last].end, a, b,
        near, far, at=words[change].start, move_to=words[best].start,
    )
