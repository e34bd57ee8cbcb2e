"""Speaker labels in a cue's text (``[Name]``, ``(Name)``, ``NAME:``) and each cue's speaker,
pure functions of the cues. Apart from the readers: they read what a file says, these decide
who speaks from what was read, for the audit and the voices alike."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.directions import SOUND_WORDS
from .subtitle_cue import SubtitleCue

__all__ = ["cue_label", "cue_speakers", "label_of"]

_BRACKET_NAME = re.compile(r"^\s*[\[(](?P<name>[^\]\)\d]{1,50})[\])]\s*:?\s*(?P<rest>.*)$", re.S)
_COLON_NAME = re.compile(r"^\s*(?P<name>[A-ZÀ-Þ][\w'’.-]*(?:[ \t]+[A-ZÀ-Þ][\w'’.-]*){0,3})\s*:\s+(?P<rest>\S.*)$", re.S)
_DASH = re.compile(r"^\s*[-–—]\s*")


def label_of(line: str) -> tuple[str, str] | None:
    """A speaker label opening one line: ``[Name] text``, ``(Name) text``, ``NAME: text``, as
    (name, the rest of the line); None when the line opens with none (pure).

    A name is one to four capitalised words; a bracket of sound words (``[MUSIC]``,
    ``(laughs)``) is no name.
    """
    m = _BRACKET_NAME.match(line) or _COLON_NAME.match(line)
    if m is None:
        return None
    name = " ".join(m.group("name").split())
    words = name.split()
    if not words or len(words) > 4 or not all(w[0].isupper() for w in words if w[0].isalpha()):
        return None
    if not words[0][0].isupper() or {w.lower().strip(".,") for w in words} <= SOUND_WORDS:
        return None
    return name, m.group("rest")


def cue_label(lines: Sequence[str]) -> str | None:
    """The speaker a cue's text names at its start (pure): ``[Name]``/``NAME:`` opening the
    first line (after a dialogue dash), or ``[Name]`` alone on the first line above the text.
    None when it names none, and for a dialogue cue (two lines led by dashes): two speakers,
    neither the cue's."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines or sum(bool(_DASH.match(ln)) for ln in lines) >= 2:
        return None
    found = label_of(_DASH.sub("", lines[0], count=1))
    if found is None:
        return None
    name, rest = found
    return name if rest.strip() or len(lines) > 1 else None


def cue_speakers(cues: Sequence[SubtitleCue]) -> list[str | None]:
    """Each cue's speaker (pure): the format's own (WebVTT voice, TTML agent, ASS name), else the
    label its text opens with (``cue_label``), else the speaker of the cue before it (a label
    is written on a turn's first cue only). A dialogue cue has none, and ends the turn."""
    out: list[str | None] = []
    current: str | None = None
    for cue in cues:
        dialogue = sum(bool(_DASH.match(ln)) for ln in cue.lines if ln.strip()) >= 2
        if cue.speaker:
            current = cue.speaker
        elif dialogue:
            current = None
        else:
            current = cue_label(cue.lines) or current
        out.append(current)
    return out
