"""Output formats, one module each, chosen by file extension through a registry.

``.ttml`` is IMSC 1.1 Text and ``.xml`` EBU-TT-D (the extension EBU-TT-D files carry; so
``.ebu.xml`` and ``.ebuttd.xml`` are EBU-TT-D too); a name ending ``.imsc.xml`` is IMSC, for a
delivery that wants IMSC in a ``.xml`` file. See docs/formats.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import OutputError
from . import ass, srt, ttml, vtt
from . import html as html_format
from . import json as json_format

if TYPE_CHECKING:
    from ...results import AlignedView

__all__ = ["COMPOUND", "FORMATS", "format_for", "render"]

Writer = Callable[["AlignedView"], str]

FORMATS: dict[str, Writer] = {
    ".srt": srt.dumps,
    ".vtt": vtt.dumps,
    ".json": json_format.dumps,
    ".html": html_format.dumps,
    ".ttml": ttml.imsc,
    ".xml": ttml.ebu_tt_d,
    ".ass": ass.dumps,
}
# names whose last extension alone would say another format: the longer ending wins
COMPOUND: dict[str, Writer] = {".imsc.xml": ttml.imsc}


def format_for(path: str | Path) -> Writer:
    name, suffix = Path(path).name.lower(), Path(path).suffix.lower()
    for ending, writer in COMPOUND.items():
        if name.endswith(ending):
            return writer
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
