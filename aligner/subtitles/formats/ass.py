"""Advanced SubStation Alpha (``.ass``) through pysubs2, a style per speaker.

Each speaker has a style named after them (their colour from ``speakers.LOOK``, in the BBC's
order) and is the event's Name, where Aegisub shows the actor; text with no speaker has the
``Default`` style. A dialogue cue is one event in its first speaker's style, its second line
switched to the other speaker's with ``{\\r<style>}``. Lines are joined with ``\\N``.

ASS stores centiseconds: starts are rounded up and ends down to the centisecond (as
``cues._time`` rounds to the millisecond), so the minimum gap between cues survives and no cue
starts before its speech; every time stays on its frame at any rate up to 100 frames a second.
Two characters cannot be written as text: a brace opens an override block (its text would not
be shown) and a comma ends the Name and Style fields; braces become parentheses in the text,
commas semicolons in a speaker's name, and a backslash before N, n or h (a line break or hard
space to ASS) its look-alike ⧵."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

import pysubs2

from .speakers import LOOK, Look, colour_of, shown_lines, shown_speakers, speaker_order

if TYPE_CHECKING:
    from ...results import AlignedView
    from ..cues import Cue

__all__ = ["dumps", "style_name"]

log = logging.getLogger(__name__)

_ESCAPE = re.compile(r"\\(?=[Nnh])")  # a backslash that ASS would read as a line break or hard space
DEFAULT = "Default"  # the style of text with no speaker, pysubs2's and Aegisub's name for it


def style_name(speaker: str | None) -> str:
    """A speaker's name as an ASS field can hold it (a comma would end the field)."""
    return speaker.replace(",", ";").strip() or DEFAULT if speaker else DEFAULT


def _text(line: str) -> str:
    """A line as ASS text: braces would open an override block and hide what follows, and a
    backslash before ``N``, ``n`` or ``h`` would be a line break or a hard space."""
    return _ESCAPE.sub("\u29f5", line.replace("{", "(").replace("}", ")"))  # ⧵, a backslash's look-alike


def _style(colour: tuple[int, int, int], look: Look) -> pysubs2.SSAStyle:
    return pysubs2.SSAStyle(
        fontname=look.ass_font, fontsize=look.ass_font_size, primarycolor=pysubs2.Color(*colour),
        outlinecolor=pysubs2.Color(0, 0, 0), backcolor=pysubs2.Color(0, 0, 0, 128), outline=look.ass_outline,
        shadow=look.ass_shadow, alignment=pysubs2.Alignment.BOTTOM_CENTER, marginl=look.ass_margin_h,
        marginr=look.ass_margin_h, marginv=look.ass_margin_v)


def _centiseconds(start: float, end: float) -> tuple[int, int]:
    """A cue's times in milliseconds on the centisecond: start up, end down, at least one apart."""
    start_cs = math.ceil(round(start * 1000) / 10)
    end_cs = math.floor(round(end * 1000) / 10)
    return start_cs * 10, max(end_cs, start_cs + 1) * 10


def _event(cue: Cue) -> pysubs2.SSAEvent:
    speakers, lines = shown_speakers(cue), [_text(ln) for ln in shown_lines(cue)]
    first = speakers[0] if speakers else cue.speaker
    parts = [lines[0]] if lines else []
    for k in range(1, len(lines)):
        switch = f"{{\\r{style_name(speakers[k])}}}" if speakers[k] != speakers[k - 1] else ""
        parts.append(switch + lines[k])
    start, end = _centiseconds(cue.start, cue.end)
    return pysubs2.SSAEvent(start=start, end=end, text="\\N".join(parts), style=style_name(first),
                            name=style_name(first) if first else "")


def _styles(order: Sequence[str], look: Look) -> dict[str, pysubs2.SSAStyle]:
    styles = {DEFAULT: _style(colour_of(None, order, look), look)}
    for speaker in order:
        styles[style_name(speaker)] = _style(colour_of(speaker, order, look), look)
    return styles


def dumps(alignment: AlignedView, look: Look = LOOK) -> str:
    subs = pysubs2.SSAFile()
    subs.info.update({"Title": PurePath(alignment.media).name, "PlayResX": str(look.ass_width),
                      "PlayResY": str(look.ass_height), "ScaledBorderAndShadow": "yes"})
    order = speaker_order(alignment.cues)
    subs.styles = _styles(order, look)
    subs.events = [_event(cue) for cue in alignment.cues]
    log.debug("ASS: %d events, styles %s", len(subs.events), list(subs.styles))
    return subs.to_string("ass")
