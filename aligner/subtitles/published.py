"""Published subtitle files read into one model of a cue: SubRip through pysrt, WebVTT,
ASS/SSA and MicroDVD through pysubs2, all with millisecond times and their markup kept."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import pysrt

from ..errors import InputError
from ..runtime.textio import read_text

__all__ = ["SubtitleCue", "parse_subtitles", "read_subtitles"]

log = logging.getLogger(__name__)


MAX_CUES = 50_000  # documented in --help: an hour of dense subtitles has about 1,200


@dataclass(frozen=True)
class SubtitleCue:
    """One cue, the same model whatever the format: plain text lines for the checks, and the
    cue's text as written (markup kept: ``<i>``, ``{\\an8}``) for writing it back."""

    index: int
    start: float
    end: float
    lines: tuple[str, ...]
    speaker: str | None = None
    raw: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.lines)


_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>")  # WebVTT karaoke timestamps
_NEGATIVE_TIME = re.compile(r"^\s*-\d+:\d+.*-->|-->\s*-\d+:\d+", re.M)
_FORMATS = {".srt": "srt", ".vtt": "vtt", ".ass": "ass", ".ssa": "ssa", ".sub": "microdvd"}


def _plain_lines(text: str) -> tuple[str, ...]:
    text = _INLINE_TIME.sub("", text)
    return tuple(ln.strip() for ln in _TAGS.sub("", text).split("\n") if ln.strip())


def _srt(text: str) -> list[SubtitleCue]:
    """SubRip through pysrt (the user's choice): it keeps each cue's text exactly as written."""
    # ERROR_PASS: pysrt's ERROR_LOG writes bytes to sys.stderr and raises TypeError on Python 3
    items = pysrt.SubRipFile.from_string(text, error_handling=pysrt.ERROR_PASS)
    return [SubtitleCue(n, item.start.ordinal / 1000, item.end.ordinal / 1000, _plain_lines(item.text),
                        raw=item.text) for n, item in enumerate(items, 1)]


def _other(text: str, fmt: str) -> list[SubtitleCue]:
    """WebVTT, ASS/SSA and MicroDVD through pysubs2: millisecond times, styling kept (as SubRip
    markup in ``raw``), WebVTT voices as speakers."""
    import pysubs2

    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt, fps=25.0 if fmt == "microdvd" else None)
    except Exception as exc:  # pysubs2 raises its own FormatError and ValueError
        raise InputError(f"not a valid {fmt.upper()} file ({exc})") from None
    cues: list[SubtitleCue] = []
    for event in subs:
        if event.is_comment:
            continue
        voice = re.match(r"\s*<v(?:\.[^ >]*)?\s+([^>]+)>", event.text)
        plain = event.plaintext
        raw = _INLINE_TIME.sub("", pysubs2.SSAFile.to_string(_one(event), "srt").split("\n", 2)[-1].strip())
        cues.append(SubtitleCue(len(cues) + 1, event.start / 1000, event.end / 1000, _plain_lines(plain),
                                voice.group(1).strip() if voice else (event.name or None), raw=raw))
    return cues


def _one(event):  # pysubs2.SSAEvent -> SSAFile
    import pysubs2

    subs = pysubs2.SSAFile()
    subs.append(event.copy())
    return subs


def parse_subtitles(text: str, fmt: str) -> list[SubtitleCue]:
    """Cues from subtitle text; ``fmt`` from the file's extension, or sniffed."""
    if _NEGATIVE_TIME.search(text):
        raise InputError("has a negative cue time")
    if text.lstrip("\ufeff").startswith("WEBVTT"):
        fmt = "vtt"
    elif text.lstrip("\ufeff").startswith("[Script Info]"):
        fmt = "ass"
    cues = _srt(text) if fmt == "srt" else _other(text, fmt)
    log.debug("%d cues read as %s", len(cues), fmt)
    if len(cues) > MAX_CUES:
        raise InputError(f"has {len(cues)} cues, more than the {MAX_CUES} this tool takes in one file")
    return cues


def read_subtitles(path: str | Path) -> list[SubtitleCue]:
    path = Path(path)
    text = read_text(path)
    fmt = _FORMATS.get(path.suffix.lower(), "srt")
    try:
        cues = parse_subtitles(text, fmt)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    if not cues:
        raise InputError(f"{path}: no subtitle cues found")
    return cues


def write_srt(path: str | Path, cues: list[SubtitleCue]) -> Path:
    """Write cues as SubRip (pysrt), atomically, numbered afresh, each cue's text as written."""
    from ..runtime.textio import write_text_atomic

    items = pysrt.SubRipFile()
    for n, cue in enumerate(cues, 1):
        items.append(pysrt.SubRipItem(n, pysrt.SubRipTime.from_ordinal(round(cue.start * 1000)),
                                      pysrt.SubRipTime.from_ordinal(round(cue.end * 1000)),
                                      cue.raw or "\n".join(cue.lines)))
    buf = io.StringIO()
    items.write_into(buf, eol="\n")
    write_text_atomic(Path(path), buf.getvalue())
    return Path(path)
