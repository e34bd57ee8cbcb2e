"""Speakers for an unlabelled transcript, from the voices: `label_turns`.

Words are cut into segments (`segments.py`), each segment embedded once, the segments long
enough to carry a voice clustered into speakers (`clustering.py`), and the rest (backchannels,
single words, crosstalk) given to the nearest speaker's voice, or to their neighbours' when no
voice is near: short spans never found a speaker of their own.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from aligner.voices.checks import Voices, moved_changes
from aligner.voices.clustering import cluster, unit, voice_of
from aligner.voices.options import VoiceOptions
from aligner.voices.segments import segments
from aligner.voices.types import Embedder, Labelling, Segment, VoiceWarning, VoiceWord

log = logging.getLogger(__name__)


def label_turns(words: Sequence[VoiceWord], samples: np.ndarray, model: Embedder, options: VoiceOptions) -> Labelling:
    """`Speaker 1`, `Speaker 2`, … a word, from the voices in `samples` (16 kHz mono).

    A change that falls where a long run was cut for length is then placed at the word edge
    where the voice changes (`changes_without_pause`).

    `model` is a `VoiceModel` (or anything that embeds spans: `types.Embedder`).
    """
    plain = [VoiceWord(w.start, w.end, None) for w in words]
    segs = segments(plain, options)
    vectors = model.embed(samples, [s.span for s in segs])
    found = speakers_from_voices(plain, segs, vectors, options)
    named = [VoiceWord(w.start, w.end, name) for w, name in zip(plain, found.speakers)]
    voices = Voices.of(named, segs, vectors, options)
    changes = changes_without_pause(named, segs, options)
    # such a change lies within the two segments it joins: no window need reach further
    moves = moved_changes(named, changes, voices, samples, model, options, reach=options.longest_segment)
    return Labelling(with_moves(found.speakers, moves), found.count)


def changes_without_pause(words: Sequence[VoiceWord], segs: Sequence[Segment], options: VoiceOptions) -> list[int]:
    """Word numbers where the speaker changes between two segments with no pause between them.

    Such a change fell where a long run was cut for length, not where the voice changed: it is
    placed again from short windows (`checks.moved_changes`). Changes at pauses stay.
    """
    return [
        segs[i].first
        for i in range(1, len(segs))
        if words[segs[i].first].speaker != words[segs[i - 1].last].speaker
        and segs[i].start - segs[i - 1].end < options.pause
    ]


def with_moves(speakers: Sequence[str], moves: Sequence[VoiceWarning]) -> tuple[str, ...]:
    """Speakers a word after each change is moved: the words between old and new place change hands."""
    out = list(speakers)
    for move in moves:
        earlier = move.move_to is not None and move.at is not None and move.move_to < move.at
        taker = move.sounds_like if earlier else move.label
        for i in range(move.first, move.last + 1):
            out[i] = taker
        log.debug("change at %.2f s moved to %.2f s", move.at, move.move_to)
    return tuple(out)


def speakers_from_voices(
    words: Sequence[VoiceWord], segs: Sequence[Segment], vectors: np.ndarray, options: VoiceOptions
) -> Labelling:
    """The pure core of `label_turns`: a speaker number a segment, then a name a word."""
    numbers = segment_speakers(segs, vectors, options)
    order: dict[int, str] = {}
    names = [""] * len(words)
    for seg, number in zip(segs, numbers):
        name = order.setdefault(number, f"Speaker {len(order) + 1}")
        for i in range(seg.first, seg.last + 1):
            names[i] = name
    return Labelling(tuple(names), len(order))


def segment_speakers(segs: Sequence[Segment], vectors: np.ndarray, options: VoiceOptions) -> list[int]:
    """A speaker number a segment: long segments clustered, too-small speakers dissolved, short ones placed."""
    durations = np.array([s.duration for s in segs], dtype=np.float32)
    voiced = [i for i, s in enumerate(segs) if s.duration >= options.shortest_voice]
    if not voiced:
        log.debug("no segment of %.1f s or more: one speaker", options.shortest_voice)
        return [0] * len(segs)
    # the clustering costs the square of its segments: the longest ones found the speakers
    founders = sorted(sorted(voiced, key=lambda i: -segs[i].duration)[: options.most_clustered])
    numbers = cluster(vectors[founders], durations[founders], options.same_speaker)
    voices = _speaker_voices(vectors[founders], durations[founders], numbers, options)
    out: list[int | None] = [None] * len(segs)
    for i in voiced:
        out[i] = int(np.argmax(voices @ vectors[i]))
    for i in range(len(segs)):
        if out[i] is None:
            out[i] = _short_speaker(i, vectors[i], voices, out, options)
    return [int(x) for x in out]  # type: ignore[arg-type]


def _speaker_voices(
    vectors: np.ndarray, durations: np.ndarray, numbers: list[int], options: VoiceOptions
) -> np.ndarray:
    """Each kept speaker's mean voice; a cluster with less speech than `shortest_speaker` is not a speaker."""
    count = max(numbers) + 1
    totals = np.array([durations[[k == c for k in numbers]].sum() for c in range(count)])
    keep = [c for c in range(count) if totals[c] >= options.shortest_speaker] or [int(np.argmax(totals))]
    log.debug("%d clusters, %d with %.1f s of speech or more", count, len(keep), options.shortest_speaker)
    mask = np.array(numbers)
    return unit(np.stack([voice_of(vectors[mask == c], durations[mask == c]) for c in keep]))


def _short_speaker(
    i: int, vector: np.ndarray, voices: np.ndarray, placed: list[int | None], options: VoiceOptions
) -> int:
    """A short segment's speaker: the nearest voice when near enough, else the speaker before it (or after)."""
    if np.any(vector):
        sims = voices @ vector
        best = int(np.argmax(sims))
        if sims[best] >= options.short_evidence:
            return best
    before = next((placed[k] for k in range(i - 1, -1, -1) if placed[k] is not None), None)
    after = next((placed[k] for k in range(i + 1, len(placed)) if placed[k] is not None), None)
    return before if before is not None else (after if after is not None else 0)
