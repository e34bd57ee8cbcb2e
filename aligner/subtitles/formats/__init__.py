"""Output formats, one module each, chosen by file extension through a registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import OutputError
from . import html as html_format
from . import json as json_format
from . import srt, vtt

if TYPE_CHECKING:
    from ...results import AlignedView

__all__ = ["FORMATS", "format_for", "render"]

Writer = Callable[["AlignedView"], str]

FORMATS: dict[str, Writer] = {
    ".srt": srt.dumps,
    ".vtt": vtt.dumps,
    ".json": json_format.dumps,
    ".html": html_format.dumps,
}


def format_for(path: str | Path) -> Writer:
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        known = ", ".join(FORMATS)
        raise OutputError(f"{path}: unknown output format {suffix or '(no extension)'!r}; use {known}") from None


def render(alignment: AlignedView, path: str | Path, embed_media: bool = False) -> str:
    """The alignment in the format the path's extension names (a review page refers to the
    media relative to where it is written, or carries it with ``embed_media``)."""
    writer = format_for(path)
    if writer is html_format.dumps:
        return html_format.dumps(alignment, path, embed_media)
    return writer(alignment)
