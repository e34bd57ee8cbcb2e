"""SubRip via pysrt. SRT has no voice field, so a turn's first cue carries a visible label."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pysrt

from .speakers import shown_lines

if TYPE_CHECKING:
    from ...results import AlignedView


def _ms(seconds: float) -> pysrt.SubRipTime:
    return pysrt.SubRipTime.from_ordinal(round(seconds * 1000))


def dumps(alignment: AlignedView) -> str:
    items = pysrt.SubRipFile()
    for cue in alignment.cues:
        lines = shown_lines(cue)  # the label before the first line, or on a line of its own
        items.append(pysrt.SubRipItem(cue.index, _ms(cue.start), _ms(cue.end), "\n".join(lines)))
    buf = io.StringIO()
    items.write_into(buf, eol="\n")
    return buf.getvalue()
