"""The audit's speaker check: `wrong_speaker`, a cue whose voice is another labelled speaker's.

Consecutive cues under one label are judged together as a turn (a long turn's voice is far
clearer than one cue's), by the same rule as `checks.turn_warnings`: the turn must sound like
another label's voice by at least `same_speaker`, and more than like its own label's other
cues by `other_voice`. Cues without a label are neither judged nor part of any voice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from aligner.voices.checks import misattributed
from aligner.voices.options import VoiceOptions
from aligner.voices.types import CueVoice, Embedder, Group, Span, WrongSpeaker

log = logging.getLogger(__name__)


def cue_pieces(cues: Sequence[CueVoice], options: VoiceOptions) -> list[tuple[int, Span]]:
    """Each cue cut into pieces of at most `longest_segment` seconds: (cue number, span)."""
    out: list[tuple[int, Span]] = []
    for i, cue in enumerate(cues):
        count = max(1, int(np.ceil(cue.duration / options.longest_segment))) if cue.end > cue.start else 0
        step = (cue.end - cue.start) / max(count, 1)
        out.extend((i, Span(cue.start + k * step, cue.start + (k + 1) * step)) for k in range(count))
    return out


def wrong_speaker(
    cues: Sequence[CueVoice], samples: np.ndarray, model: Embedder, options: VoiceOptions
) -> list[WrongSpeaker]:
    """Cues labelled one speaker whose voice is another labelled speaker's (in cue order)."""
    pieces = cue_pieces(cues, options)
    vectors = model.embed(samples, [span for _, span in pieces])
    voices = np.zeros((len(cues), vectors.shape[1] if len(vectors) else 192), dtype=np.float32)
    for (i, span), v in zip(pieces, vectors):
        voices[i] += v * span.duration
    return wrong_speaker_of(cues, voices, options)


def wrong_speaker_of(cues: Sequence[CueVoice], sums: np.ndarray, options: VoiceOptions) -> list[WrongSpeaker]:
    """The pure core: `sums` is each cue's duration-weighted sum of piece vectors."""
    long = [cue.duration >= options.shortest_voice and bool(np.any(sums[i])) for i, cue in enumerate(cues)]
    flagged: dict[int, WrongSpeaker] = {}
    for v in misattributed(_judged(cues, long), sums, options):
        for i in v.group.members:
            found = WrongSpeaker(i, cues[i].start, cues[i].end, v.group.label, v.sounds_like, v.similarity, v.own)
            flagged.setdefault(i, found)
    return [flagged[i] for i in sorted(flagged)]


def _judged(cues: Sequence[CueVoice], long: list[bool]) -> list[Group]:
    """Each labelled turn's long cues together, and each of them alone when the turn has several.

    A wrong label that joins a cue to its neighbour's turn is heard only cue by cue; a whole
    turn under the wrong name is heard best as one.
    """
    groups = []
    for turn in _turns(cues):
        kept = tuple(i for i in turn if long[i])
        label = cues[turn[0]].label
        if label is None or not kept:
            continue
        groups.append(Group(label, kept))
        if len(kept) > 1:
            groups.extend(Group(label, (i,)) for i in kept)
    return groups


def _turns(cues: Sequence[CueVoice]) -> list[list[int]]:
    turns: list[list[int]] = []
    for i, cue in enumerate(cues):
        if turns and cues[turns[-1][-1]].label == cue.label:
            turns[-1].append(i)
        else:
            turns.append([i])
    return turns
