"""The one model of a subtitle cue, whatever format it was read from or is written to. A data
module: it imports nothing from the package, so the readers (``published``, ``ttml_reader``),
the label rules (``labels``), the style checks, the audit and the reports all depend on it and
it on none of them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SubtitleCue"]


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
