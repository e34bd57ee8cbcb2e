"""The check against an approved transcript: cues whose words differ from what the editors
signed off, found by text alone (no audio)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from difflib import SequenceMatcher

from ..subtitles.subtitle_cue import SubtitleCue
from ..text.textnorm import spoken_tokens
from ..text.transcript import Transcript
from .findings import Finding, finding
from .options import AuditOptions
from .words import all_cue_words

__all__ = ["transcript_findings"]

log = logging.getLogger(__name__)


def transcript_findings(cues: Sequence[SubtitleCue], script: Transcript, lang: str,
                        opts: AuditOptions) -> list[Finding]:
    """Cues whose words differ from the approved transcript (what the editors signed off)."""
    words, owner = all_cue_words(cues)
    t_words = [w.text for w in script.words]
    a = [" ".join(spoken_tokens(w, lang)) for w in words]
    b = [" ".join(spoken_tokens(w, lang)) for w in t_words]
    per_cue: dict[int, list[str]] = {}
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        k = owner[i1] if i1 < len(owner) else (owner[i1 - 1] if i1 else None)
        if k is None:
            continue
        pub, ref = " ".join(words[i1:i2]), " ".join(t_words[j1:j2])
        if len(ref.split()) > opts.missing_passage_words and not pub:
            continue  # a passage the subtitles leave out entirely: reported as missing speech instead
        per_cue.setdefault(k, []).append(
            f"subtitles '{pub}', transcript '{ref}'" if pub and ref else
            f"not in the transcript: '{pub}'" if pub else f"transcript has '{ref}' here")
    out = []
    for k, details in sorted(per_cue.items()):
        cue = cues[k]
        out.append(finding("transcript_mismatch", cue=cue.index, start=cue.start, end=cue.end, published=cue.text,
                           detail="; ".join(details)))
    return out
