"""What a report format reads of an audit: protocols, so that ``reports/`` never imports
``findings`` (whose ``AuditReport.save`` writes through them). ``findings.Finding`` and
``findings.AuditReport`` are the views the audit makes.

``SEVERITIES`` is the severities the formats know, from least to most grave: the same tuple as
``findings.SEVERITIES`` (``tests/reports`` keeps the two equal), repeated here because this
package may not import that module."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from ..auditing.sync import Sync
from ..subtitles.subtitle_cue import SubtitleCue

__all__ = ["SEVERITIES", "FindingView", "ReportView", "gravest_first", "severity_counts"]

SEVERITIES = ("warning", "check", "error")


class FindingView(Protocol):
    """One finding as the formats show it."""

    @property
    def kind(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def cue(self) -> int | None: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def published(self) -> str: ...
    @property
    def heard(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def published_start(self) -> float | None: ...
    @property
    def published_end(self) -> float | None: ...
    @property
    def confidence(self) -> float: ...
    @property
    def differences(self) -> tuple[tuple[str, str], ...]: ...


class ReportView(Protocol):
    """An audit as the formats show it."""

    @property
    def media(self) -> str: ...
    @property
    def subtitles(self) -> str: ...
    @property
    def audio_language(self) -> str: ...
    @property
    def subtitles_language(self) -> str | None: ...
    @property
    def duration(self) -> float: ...
    @property
    def cues(self) -> tuple[SubtitleCue, ...]: ...
    @property
    def sync(self) -> Sync: ...
    @property
    def findings(self) -> Sequence[FindingView]: ...
    @property
    def speech(self) -> Sequence[tuple[float, float]]: ...
    @property
    def summary(self) -> dict[str, int]: ...
    @property
    def warnings(self) -> Sequence[str]: ...
    @property
    def shot_changes(self) -> Sequence[float]: ...
    @property
    def has_errors(self) -> bool: ...
    @property
    def has_checks(self) -> bool: ...


def gravest_first(severities: Iterable[str]) -> list[str]:
    """The severities given, each once, most grave first; one the formats do not know goes last."""
    rank = {s: n for n, s in enumerate(reversed(SEVERITIES))}
    return sorted(set(severities), key=lambda s: (rank.get(s, len(rank)), s))


def severity_counts(findings: Iterable[FindingView]) -> dict[str, int]:
    """Findings per severity, most grave first: every known severity (0 when none), then any other."""
    found = [f.severity for f in findings]
    return {s: found.count(s) for s in gravest_first([*SEVERITIES, *found])}
