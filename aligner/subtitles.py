"""Published subtitle files (.srt via pysrt, .vtt via webvtt-py) read into plain cues."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pysrt
import webvtt

from .errors import InputError
from .textio import read_text

__all__ = ["SubtitleCue", "parse_subtitles", "read_subtitles"]


@dataclass(frozen=True)
class SubtitleCue:
    index: int
    start: float
    end: float
    lines: tuple[str, ...]
    speaker: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.lines)


_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")


def _srt(text: str) -> list[SubtitleCue]:
    items = pysrt.SubRipFile.from_string(text, error_handling=pysrt.ERROR_LOG)
    cues = []
    for n, item in enumerate(items, 1):
        lines = tuple(ln.strip() for ln in _TAGS.sub("", item.text).split("\n") if ln.strip())
        cues.append(SubtitleCue(n, item.start.ordinal / 1000, item.end.ordinal / 1000, lines))
    return cues


def _vtt(text: str) -> list[SubtitleCue]:
    try:
        captions = webvtt.from_buffer(io.StringIO(text))
    except Exception as exc:  # webvtt-py raises its own MalformedFileError and ValueError
        raise InputError(f"not a valid WebVTT file ({exc})") from None
    cues = []
    for n, cap in enumerate(captions, 1):
        lines = tuple(ln.strip() for ln in _TAGS.sub("", cap.raw_text).split("\n") if ln.strip())
        cues.append(SubtitleCue(n, cap.start_in_seconds, cap.end_in_seconds, lines, cap.voice))
    return cues


def parse_subtitles(text: str, fmt: str) -> list[SubtitleCue]:
    return _vtt(text) if fmt == "vtt" or text.lstrip("\ufeff").startswith("WEBVTT") else _srt(text)


def read_subtitles(path: str | Path) -> list[SubtitleCue]:
    path = Path(path)
    text = read_text(path)
    fmt = "vtt" if path.suffix.lower() == ".vtt" else "srt"
    try:
        cues = parse_subtitles(text, fmt)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    if not cues:
        raise InputError(f"{path}: no subtitle cues found")
    return cues


def write_srt(path: str | Path, cues: list[SubtitleCue]) -> Path:
    """Write cues as SubRip (pysrt), atomically, numbered afresh."""
    from .textio import write_text_atomic

    items = pysrt.SubRipFile()
    for n, cue in enumerate(cues, 1):
        items.append(pysrt.SubRipItem(n, pysrt.SubRipTime.from_ordinal(round(cue.start * 1000)),
                                      pysrt.SubRipTime.from_ordinal(round(cue.end * 1000)), "\n".join(cue.lines)))
    buf = io.StringIO()
    items.write_into(buf, eol="\n")
    write_text_atomic(Path(path), buf.getvalue())
    return Path(path)
