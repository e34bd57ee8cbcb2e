"""The audit as JSON (times in seconds, where the speech is). ``summary`` counts the findings
per kind, ``severities`` per severity (every severity, most grave first, 0 when none)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .views import severity_counts

if TYPE_CHECKING:
    from .views import FindingView, ReportView


def _r(t: float | None) -> float | None:
    return None if t is None else round(t, 3)


def finding_dict(f: FindingView) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": f.kind, "severity": f.severity, "cue": f.cue, "start": _r(f.start), "end": _r(f.end),
        "published": f.published, "heard": f.heard, "detail": f.detail, "confidence": f.confidence,
        "differences": [{"published": p, "heard": h} for p, h in f.differences],
    }
    if f.published_start is not None:
        out["published_start"] = _r(f.published_start)
        out["published_end"] = _r(f.published_end)
    return out


def as_dict(report: ReportView) -> dict[str, Any]:
    return {
        "media": report.media,
        "subtitles": report.subtitles,
        "language": {"audio": report.audio_language, "subtitles": report.subtitles_language},
        "cues": len(report.cues),
        "global_offset_s": round(report.sync.offset, 3),
        "sync": {"cues_used": report.sync.cues_used, "residual_spread_s": _r(report.sync.spread)
                 if report.sync.spread != float("inf") else None},
        "drift_ppm": round(report.sync.drift_ppm, 1),
        "findings": [finding_dict(f) for f in report.findings],
        "summary": report.summary,
        "severities": severity_counts(report.findings),
        "shot_changes": [_r(t) for t in report.shot_changes],
        "warnings": list(report.warnings),
    }


def dumps(report: ReportView) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"
