"""Option values checked where they are read: a number inside its range, a name that fits on
one line, a text that is not empty.

Each check is an argparse ``type=``, so a bad value ends as argparse's one line (``aligner:
error: argument --fps: must be a number from 1 to 300 frames a second, not 'nan'``) and exit
2 before any file is opened or any model loaded. A :class:`Range` also checks a value given
to the Python API (``Profile``'s limits), so the command and the API refuse alike. ``float``
alone reads ``nan``, ``inf`` and ``1e-300`` as numbers: a NaN compares false with every
limit and so switched checks off, an infinity divided by zero.
"""

from __future__ import annotations

import argparse
import logging
import math
import numbers
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import InputError

__all__ = ["JOBS", "OFFSET_THRESHOLD", "TEXT_MARGIN", "THREADS", "Range", "nonempty", "one_line_name", "shown"]

log = logging.getLogger(__name__)

SHOWN_CHARS = 40  # of a refused value, in its message: a 5,000-digit number stays one readable line
MAX_NAME_CHARS = 100  # a speaker label is shown on a subtitle line; longer is no name
# Unicode categories that end a line or are no character at all (controls, line and paragraph
# separators, lone surrogates): in a label they would add a line, or a cue, to a subtitle file.
_NOT_ONE_LINE = frozenset({"Cc", "Cs", "Zl", "Zp"})


@dataclass(frozen=True)
class Range:
    """The values a numeric option may take: finite, from ``lo`` to ``hi`` inclusive, whole
    numbers when ``integer``. ``unit`` is how the number reads in messages and ``--help``."""

    lo: float
    hi: float
    unit: str = ""
    integer: bool = False

    def span(self) -> str:
        """``0 to 100 frames``: the range as ``--help`` says it."""
        return f"{self.lo:g} to {self.hi:g}" + (f" {self.unit}" if self.unit else "")

    def describe(self) -> str:
        """``a whole number from 0 to 100 frames``: the range as a message says it."""
        return f"{'a whole number' if self.integer else 'a number'} from {self.span()}"

    def problem(self, value: object) -> str | None:
        """What is wrong with ``value`` (``must be …, not …``), or None when it is in range.
        ``bool`` is no number here, though Python counts it as one; NaN and the infinities fall
        outside every range (a NaN compares false with both limits)."""
        kind = numbers.Integral if self.integer else numbers.Real
        number = isinstance(value, kind) and not isinstance(value, bool)
        if number and self.lo <= value <= self.hi:  # type: ignore[operator]
            return None
        return f"must be {self.describe()}, not {shown(value)}"

    def check(self, name: str, value: object) -> None:
        """``value`` for the setting ``name``, refused as an :class:`InputError` when out of range."""
        problem = self.problem(value)
        if problem:
            raise InputError(f"{name} {problem}")

    def __call__(self, text: str) -> int | float:
        """The option's text as a number in range, for argparse (which names the option)."""
        try:
            value: int | float = int(text) if self.integer else float(text)
        except ValueError:  # not a number, or an integer of over 4,300 digits
            value = math.nan
        if self.problem(value):
            raise argparse.ArgumentTypeError(f"must be {self.describe()}, not {shown(text)}")
        return value


def shown(value: object) -> str:
    """``value`` as a message quotes it, cut to ``SHOWN_CHARS``."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}…"


# CTranslate2's threads a process. 0 takes the machine's cores, at most 4; past 256 no machine
# this runs on has the cores, and each thread holds its own buffers.
THREADS = Range(0, 256, integer=True)
# Worker processes of a batch, each loading the model once (``batch.WORKER_MEMORY`` apiece).
JOBS = Range(1, 256, integer=True)
# How far off its speech a cue may be shown before the audit calls it shifted: 10 ms is under
# a frame at any rate; a minute off is no longer the same cue.
OFFSET_THRESHOLD = Range(0.01, 60.0, "s")
# The audit's text margin, a log-likelihood ratio: 0.1 nats is noise, e^50 is certainty.
TEXT_MARGIN = Range(0.1, 50.0, "nats")


def one_line_name(text: str) -> str:
    """A name shown as written (``--narrator``): not empty, one line of printable characters,
    at most ``MAX_NAME_CHARS``, so that it cannot add a line or a cue to a subtitle file."""
    name = text.strip()
    if not name:
        raise argparse.ArgumentTypeError("give a name, not an empty string")
    if any(unicodedata.category(ch) in _NOT_ONE_LINE for ch in name):
        raise argparse.ArgumentTypeError(f"a name is one line of printable characters, not {shown(name)}")
    if len(name) > MAX_NAME_CHARS:
        raise argparse.ArgumentTypeError(f"a name of at most {MAX_NAME_CHARS} characters, not {len(name)}")
    return name


def nonempty(what: str) -> Callable[[str], str]:
    """A text option that means nothing when empty (``--scheduler ''`` was taken as no cluster)."""

    def parse(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"give {what}, not an empty string")
        return text.strip()

    parse.__name__ = what
    return parse
