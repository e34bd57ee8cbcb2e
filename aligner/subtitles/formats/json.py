"""The full alignment as JSON: every cue with its speaker and timed words, plus what was
not heard and what was said but not transcribed (times in seconds)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...results import AlignedView


def _r(t: float) -> float:
    return round(t, 3)


def as_dict(alignment: AlignedView) -> dict[str, Any]:
    return {
        "media": alignment.media,
        "transcript": alignment.transcript_path,
        "language": {"audio": alignment.audio_language, "transcript": alignment.transcript_language},
        "model": alignment.model,
        "cues": [
            {
                "index": c.index,
                "start": _r(c.start),
                "end": _r(c.end),
                "speaker": c.speaker,
                "text": "\n".join(c.lines),
                "words": [
                    {"text": w.text, "start": _r(w.start), "end": _r(w.end), "heard": w.heard,
                     "probability": round(w.probability, 3)}
                    for w in c.words
                ],
            }
            for c in alignment.cues
        ],
        "unheard_text": [
            {"text": u.text, "speaker": u.speaker, "after": _r(u.after)} for u in alignment.unheard
        ],
        "untranscribed_speech": [
            {"start": _r(s.start), "end": _r(s.end), "text": s.text, "language": s.language}
            for s in alignment.untranscribed
        ],
        "shot_changes": [_r(t) for t in alignment.shot_changes],
        "warnings": list(alignment.all_warnings),
    }


def dumps(alignment: AlignedView) -> str:
    return json.dumps(as_dict(alignment), ensure_ascii=False, indent=2) + "\n"
