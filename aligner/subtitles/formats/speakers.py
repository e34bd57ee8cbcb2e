"""What the delivery formats (TTML/IMSC, EBU-TT-D, ASS) share: who speaks each line of a cue,
the speakers in the order they first speak, each one's colour, and the layout numbers.

SRT writes a turn's label in its first line (it has no voice field); the delivery formats write
the same lines, label included (the user chose it with ``--label-style``; ``none`` leaves
colour alone to tell speakers apart, as the BBC does), and carry the speaker besides: TTML as
``ttm:agent``, ASS as the event's Name, each speaker with a style of their own."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..cues import Cue

__all__ = ["LOOK", "Look", "colour_of", "line_speakers", "shown_lines", "shown_speakers", "speaker_order"]

log = logging.getLogger(__name__)

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Look:
    """How delivered subtitles look, where the format lets the file say it.

    - ``colours``: each speaker's text colour, in the order speakers first speak; the BBC
      Subtitle Guidelines' order (white, yellow, cyan, green), used again from the start past
      the fourth speaker. Text with no speaker is white.
    - ``background``: black, the box behind the text in EBU-TT-D (the BBC's look). IMSC and
      ASS leave the background to the player (Netflix's IMSC 1.1 profile advises against
      ``#backgroundColor``) and ASS draws an outline instead.
    - ``region_origin``/``region_extent`` = 10 %/80 %: the region inside the 10 % title-safe
      margin on every side, text at its bottom (``displayAlign`` after).
    - ``line_padding`` = 0.5 cell: the box reaches half a character past the text (EBU-TT-D's
      ``ebutts:linePadding``, as the BBC's own files have it).
    - ``ass_width``/``ass_height`` = 1920 x 1080: the ASS script's coordinate space; the
      renderer scales it to the video, so it fixes proportions only.
    - ``ass_font_size`` = 54: 5 % of the height, two lines and their spacing within the
      bottom fifth; ``ass_font`` = Arial, on every system or substituted by a near one.
    - ``ass_outline`` = 2.5 and ``ass_shadow`` = 0: a dark edge that reads on any picture.
    - ``ass_margin_v`` = 54 and ``ass_margin_h`` = 192: 5 % from the bottom, 10 % from the
      sides, close to the TTML region's.
    """

    colours: tuple[RGB, ...] = ((255, 255, 255), (255, 255, 0), (0, 255, 255), (0, 255, 0))
    background: RGB = (0, 0, 0)
    region_origin: tuple[int, int] = (10, 10)
    region_extent: tuple[int, int] = (80, 80)
    line_padding: float = 0.5
    ass_width: int = 1920
    ass_height: int = 1080
    ass_font: str = "Arial"
    ass_font_size: int = 54
    ass_outline: float = 2.5
    ass_shadow: float = 0.0
    ass_margin_v: int = 54
    ass_margin_h: int = 192


LOOK = Look()


def line_speakers(cue: Cue) -> tuple[str | None, ...]:
    """Who speaks each line: a dialogue cue's two speakers in the order they speak (one line
    each, as ``cues._merge_dialogue`` made it), otherwise the cue's speaker on every line."""
    if not cue.dialogue:
        return (cue.speaker,) * len(cue.lines)
    spoken = list(dict.fromkeys(w.speaker for w in cue.words))
    return tuple(spoken[k] if k < len(spoken) else cue.speaker for k in range(len(cue.lines)))


def shown_lines(cue: Cue) -> tuple[str, ...]:
    """The cue's lines as SRT shows them: a turn's label (``[Name]``) before its first line, or
    on a line of its own above them where the cue builder put it there (``label_alone``)."""
    lines = list(cue.lines)
    if cue.label and cue.label_alone:
        return (cue.label, *lines)
    if cue.label and lines:
        lines[0] = f"{cue.label} {lines[0]}"
    return tuple(lines)


def shown_speakers(cue: Cue) -> tuple[str | None, ...]:
    """Who speaks each of ``shown_lines``: a label on its own line is its speaker's."""
    speakers = line_speakers(cue)
    return (cue.speaker, *speakers) if cue.label and cue.label_alone else speakers


def speaker_order(cues: Sequence[Cue]) -> tuple[str, ...]:
    """Every named speaker once, in the order they first speak."""
    seen = dict.fromkeys(s for cue in cues for s in line_speakers(cue) if s)
    return tuple(seen)


def colour_of(speaker: str | None, order: Sequence[str], look: Look = LOOK) -> RGB:
    """A speaker's colour: the ``n``-th to speak has the ``n``-th colour (the list used again
    from its start past its end); text with no speaker the first (white)."""
    if speaker is None or speaker not in order:
        return look.colours[0]
    return look.colours[order.index(speaker) % len(look.colours)]
