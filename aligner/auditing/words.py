"""A cue's text as the words it speaks: what every check compares with the audio.

Speaker labels, dialogue dashes and sound descriptions are shown, not said, so they are left
out before any word is looked for in the audio. A cue of names and numbers only reads the same
in every language, so the language check leaves it alone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ..subtitles.published import SubtitleCue
from ..text.transcript import split_label, strip_directions

__all__ = ["all_cue_words", "cue_words", "names_or_numbers"]

log = logging.getLogger(__name__)

_NAME_PARTICLES = {"von", "van", "de", "da", "del", "della", "der", "den", "du", "la", "le", "di", "bin", "al",
                   "y", "e", "zu", "ter", "ten", "dos", "das"}


def cue_words(cue: SubtitleCue) -> list[str]:
    """The spoken words of a cue: speaker labels, dialogue dashes and sound descriptions out."""
    words: list[str] = []
    for line in cue.lines:
        line = re.sub(r"^\s*[-–]\s*", "", line)
        label = split_label(line)
        if label is not None:
            line = label[2]
        words += [w for w in strip_directions(line).split() if re.search(r"\w", w)]
    return words


def all_cue_words(cues: Sequence[SubtitleCue]) -> tuple[list[str], list[int]]:
    """Every cue's spoken words in order, and the index of the cue each belongs to."""
    words: list[str] = []
    owner: list[int] = []
    for k, cue in enumerate(cues):
        for w in cue_words(cue):
            words.append(w)
            owner.append(k)
    return words, owner


def names_or_numbers(words: Sequence[str]) -> bool:
    """Whether a cue is only names and numbers ("Hans Jakob Christoffel von Grimmelshausen",
    "1961"): the same in every language, so never in the wrong one."""
    core = [w.strip(".,;:!?…\"'«»“”()") for w in words]
    core = [w for w in core if w]
    if not core:
        return True
    return all(w[0].isupper() or any(c.isdigit() for c in w) or w.lower() in _NAME_PARTICLES for w in core)
