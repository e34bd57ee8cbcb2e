"""What every subtitle reader shares to check a file's times: each format's grammar of a time
(``GRAMMARS``, TTML's clock and offset times among them), a cue's timing as written
(``Timing``), the one rule every format's times must keep (``check_times``), and how a line is
quoted and numbered in a message. Apart so that the TTML reader (``ttml_reader``) and the other
readers (``published``, which calls it) refuse a time in the same words, and the TTML reader
needs nothing of theirs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError

__all__ = ["GRAMMARS", "LINE_BREAK", "MAX_CUES", "QUOTE_CHARS", "TTML_CLOCK", "TTML_OFFSET", "Timing",
           "check_times", "quote_line"]


MAX_CUES = 50_000  # documented in --help: an hour of dense subtitles has about 1,200
QUOTE_CHARS = 60  # a line quoted in a message is cut to this length
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # lines as an editor numbers them


@dataclass(frozen=True)
class _Grammar:
    """How a format writes one time (a sign allowed, so that a negative one is named as such),
    and, for the message that refuses one, its name and a cue's times as it writes them."""

    time: re.Pattern[str]
    name: str
    sample: str


GRAMMARS = {
    # pysrt adds up the fields (99:99:99,999 is a time); a fraction of other than three digits
    # is read as milliseconds by pysrt and as a decimal by the others: ambiguous, so refused.
    "srt": _Grammar(re.compile(r"-?\d+:\d{1,2}:\d{1,2}[,.]\d{3}"), "SubRip", "00:01:02,345 --> 00:01:04,000"),
    "vtt": _Grammar(re.compile(r"-?(?:\d+:)?[0-5]\d:[0-5]\d\.\d{3}"), "WebVTT", "00:01:02.345 --> 00:01:04.000"),
    # pysubs2 reads one to three fraction digits as a decimal (.5 is 500 ms)
    "ass": _Grammar(re.compile(r"-?\d{1,2}:\d{1,2}:\d{1,2}[.,]\d{1,3}"), "ASS",
                    "Dialogue: 0,0:01:02.34,0:01:04.00,..."),
    "microdvd": _Grammar(re.compile(r"\{-?\d+\}"), "MicroDVD", "{25}{50}Hello (frame numbers)"),
}
GRAMMARS["ssa"] = GRAMMARS["ass"]
# TTML's clock time (hours:minutes:seconds, then a fraction or frames and sub-frames) and offset
# time (a count and its unit: hours, minutes, seconds, milliseconds, frames, ticks)
TTML_CLOCK = re.compile(r"(\d{2,}):([0-5]\d):([0-5]\d|60)(?:(\.\d+)|:(\d{2,})(?:\.(\d+))?)?")
TTML_OFFSET = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms|f|t)")
GRAMMARS["ttml"] = _Grammar(re.compile(f"{TTML_CLOCK.pattern}|{TTML_OFFSET.pattern}"), "TTML",
                            '<p begin="00:01:02.345" end="00:01:04.000">')


@dataclass(frozen=True)
class Timing:
    """A cue's times as its file writes them: the line they are on (from 1), each time as
    written and in milliseconds."""

    line: int
    start_text: str
    end_text: str
    start: int
    end: int


def quote_line(line: str) -> str:
    line = line.strip()
    return f"'{line}'" if len(line) <= QUOTE_CHARS else f"'{line[:QUOTE_CHARS]}...'"


def check_times(timings: Sequence[Timing]) -> None:
    """The one rule for every format: times are not negative, and a cue ends after it starts
    (one that ends before or when it starts is never shown; a time for it would be made up)."""
    for k, t in enumerate(timings, 1):
        where = f"line {t.line}: cue {k} ({t.start_text} --> {t.end_text})"
        if t.start < 0 or t.end < 0:
            raise InputError(f"{where} has a negative time; times count from the start of the media")
        if t.end < t.start:
            raise InputError(f"{where} ends before it starts; correct its times or remove it")
        if t.end == t.start:
            raise InputError(f"{where} ends when it starts, so it is never shown; give it an end or remove it")
