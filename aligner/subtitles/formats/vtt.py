"""WebVTT via webvtt-py, with speakers as voice spans (``<v Name>``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import webvtt

if TYPE_CHECKING:
    from ...results import AlignedView


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dumps(alignment: AlignedView) -> str:
    doc = webvtt.WebVTT()
    for cue in alignment.cues:
        lines = [_escape(line) for line in cue.lines]
        if cue.speaker and not cue.dialogue:
            lines[0] = f"<v {_escape(cue.speaker)}>{lines[0]}"
        elif cue.dialogue:
            speakers = list(dict.fromkeys(w.speaker for w in cue.words))
            lines = [f"<v {_escape(s)}>{ln}" if s else ln for s, ln in zip(speakers, lines)]
        doc.captions.append(webvtt.Caption(_stamp(cue.start), _stamp(cue.end), lines))
    return doc.content
