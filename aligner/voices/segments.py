"""Timed words cut into spans short enough to hold one voice and long enough to embed (pure)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import pairwise

from aligner.voices.options import VoiceOptions
from aligner.voices.types import Segment, VoiceWord

log = logging.getLogger(__name__)


def segments(words: Sequence[VoiceWord], options: VoiceOptions) -> list[Segment]:
    """Runs of words cut at pauses, at a label change, and before they grow past `longest_segment`.

    A long run without a pause is cut where the gap between words is widest in its second half,
    so that halves stay near `longest_segment` and a cut falls between words, never inside one.
    """
    cuts = [0]
    for i in range(1, len(words)):
        gap = words[i].start - words[i - 1].end
        if gap >= options.pause or words[i].speaker != words[i - 1].speaker:
            cuts.append(i)
    cuts.append(len(words))
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        out.extend(_split_long(words, a, b, options))
    log.debug("%d words cut into %d segments", len(words), len(out))
    return out


def _split_long(words: Sequence[VoiceWord], first: int, stop: int, options: VoiceOptions) -> list[Segment]:
    """Words first..stop-1 as segments no longer than `longest_segment` where the words allow."""
    out: list[Segment] = []
    a = first
    while a < stop:
        b = a + 1
        while b < stop and words[b].end - words[a].start <= options.longest_segment:
            b += 1
        if b < stop and words[stop - 1].end - words[b].start < options.longest_segment / 2:
            # what would be left is short: cut at the middle of the rest instead
            middle = (words[a].start + words[stop - 1].end) / 2
            b = next((k for k in range(a + 1, stop) if words[k].start >= middle), b)
        out.append(Segment(a, b - 1, words[a].start, words[b - 1].end))
        a = b
    return out
