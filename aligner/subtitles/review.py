"""The review page: one self-contained HTML file that plays the clip with its subtitles, a
timeline that follows playback, and every finding (or every timed word) a click away.

Both ``aligner audit --report review.html`` and ``aligner align -o review.html`` make it,
from the neutral :class:`Page` below, through one Jinja2 template
(``templates/review.html``, autoescaped). The media is referenced by its path relative to the
page (the page stays small and opens the file beside it), or embedded when asked; the
subtitles travel inside the page as a WebVTT ``<track>``. The picture's shot changes, when
known, are thin lines across the timeline, so a cue that starts or ends just off a cut shows.
No script, font or style comes from
the network.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

__all__ = ["Page", "PageCue", "PageFinding", "PageWord", "PageWords", "media_source", "render_page", "vtt_source"]

log = logging.getLogger(__name__)

_VIDEO = {".mp4", ".m4v", ".webm", ".mov", ".mkv", ".ogv", ".avi"}


@dataclass(frozen=True)
class PageCue:
    index: int
    start: float
    end: float
    text: str
    flagged: bool = False
    severity: str = ""  # of the gravest finding on the cue, when flagged: its colour


@dataclass(frozen=True)
class PageFinding:
    kind: str
    severity: str
    cue: int | None
    start: float
    end: float
    published: str
    heard: str
    detail: str
    confidence: float
    differences: tuple[tuple[str, str], ...] = ()
    shown: str = ""  # where the cue is shown, when that is not where it is spoken


@dataclass(frozen=True)
class PageWord:
    text: str
    start: float
    end: float
    heard: bool
    probability: float


@dataclass(frozen=True)
class PageWords:
    """One produced cue with its timed words (the ``align`` page)."""

    index: int
    start: float
    end: float
    speaker: str | None
    words: tuple[PageWord, ...]


@dataclass(frozen=True)
class Chip:
    text: str
    severity: str = ""


@dataclass(frozen=True)
class Page:
    title: str
    heading: str
    meta: str
    media_src: str
    media_label: str
    video: bool
    vtt_src: str
    duration: float
    track_label: str = "subtitles"
    track_language: str = "en"
    chips: tuple[Chip, ...] = ()
    speech: tuple[tuple[float, float], ...] = ()
    cues: tuple[PageCue, ...] = ()
    findings: tuple[PageFinding, ...] = ()
    words: tuple[PageWords, ...] = ()
    kinds: tuple[str, ...] = field(default=())
    severities: tuple[str, ...] = ()  # one filter box each, most grave first
    shots: tuple[float, ...] = ()  # the picture's cuts, seconds: a line each across the timeline

    @property
    def px(self) -> float:
        """Timeline pixels per second: a long clip scrolls, a short one still fills a screen."""
        return round(max(6.0, min(40.0, 1200.0 / max(self.duration, 1.0))), 3)

    @property
    def timeline_width(self) -> int:
        return int(self.duration * self.px) + 40


def media_source(media: str | Path, page: str | Path | None, embed: bool = False) -> tuple[str, str, bool]:
    """(src for the player, what to show as its name, whether it is a video). Relative to the
    page when the page's path is known, so the folder can move as a whole."""
    media = Path(media)
    video = media.suffix.lower() in _VIDEO
    if embed:
        log.debug("%s embedded in the page (%d bytes)", media, media.stat().st_size)
        kind = mimetypes.guess_type(media.name)[0] or ("video/mp4" if video else "audio/mpeg")
        return f"data:{kind};base64,{base64.b64encode(media.read_bytes()).decode()}", media.name, video
    if page is None:
        return media.resolve().as_uri(), str(media), video  # as_uri() quotes it already
    rel = os.path.relpath(media.resolve(), Path(page).resolve().parent)
    return quote(os.fsencode(Path(rel).as_posix())), rel, video  # a name's raw bytes as %XX


def vtt_source(vtt: str) -> str:
    return "data:text/vtt;charset=utf-8;base64," + base64.b64encode(vtt.encode("utf-8")).decode()


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    m, s = divmod(max(0.0, seconds), 60)
    return f"{int(m):02d}:{s:06.3f}"


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("aligner.subtitles", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["clock"] = clock
    return env.get_template("review.html")


def render_page(page: Page) -> str:
    return _template().render(page=page)


def chips(counts: Sequence[tuple[str, str, int]]) -> tuple[Chip, ...]:
    """A chip for each (kind, severity, count), in the order given, coloured by its severity:
    "text_mismatch: 2" (errors) apart from "text_mismatch: 1 to check"."""
    return tuple(Chip(f"{kind}: {n}" + (" to check" if severity == "check" else ""), severity)
                 for kind, severity, n in counts)
