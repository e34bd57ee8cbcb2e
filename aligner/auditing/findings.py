"""What an audit found: the data model only, so that reports/ and the CLI read findings
without importing the audit pipeline (as pysubs2 keeps ``SSAEvent`` apart from its formats).

Every ``Finding`` is made by :func:`finding`, which takes its severity from ``SEVERITY``:
one table, not a severity string typed at each place a finding is made.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..subtitles.subtitle_cue import SubtitleCue
from .sync import Sync

if TYPE_CHECKING:
    from ..runtime.textio import OutputSet

__all__ = ["KINDS", "SEVERITIES", "SEVERITY", "AuditReport", "Finding", "finding"]

log = logging.getLogger(__name__)

KINDS = (
    "text_mismatch", "missing_subtitle", "extra_subtitle", "timing_offset", "wrong_language",
    "global_offset", "drift", "meaning_mismatch", "transcript_mismatch", "wrong_speaker", "style",
)
# From least to most grave. An ``error`` is a difference the audio decides; a ``check`` is one
# only the recogniser's spelling supports (a rare name, a foreign word, a phrase the acoustic
# evidence does not settle): a person should listen, but it does not fail the file; a
# ``warning`` is advice (style, a free translation). ``wrong_speaker`` (``--speakers``) is a
# warning: it rests on the file's own other labels being right (a voice is compared with the
# voices of the other cues under each name), two similar voices sit within 0.1-0.2 of each other
# (docs/voices.md), and a wrong name leaves the text right: a person should look, the file
# does not fail on it.
SEVERITIES = ("warning", "check", "error")
SEVERITY = {
    "text_mismatch": "error", "missing_subtitle": "error", "extra_subtitle": "error",
    "timing_offset": "error", "wrong_language": "error", "global_offset": "error", "drift": "error",
    "meaning_mismatch": "warning", "transcript_mismatch": "warning", "wrong_speaker": "warning", "style": "warning",
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the published subtitles, with the evidence for it.

    ``confidence`` (0–1) says how strongly the audio supports the finding. For text it is
    ``1 - P(published) / P(heard)``: how much less probable the speech model finds the
    published words on their own audio than the words it hears there (0.95 means the heard
    words are 20 times as probable). ``differences`` holds the differing passages, published
    beside heard.
    """

    kind: str
    severity: str
    cue: int | None  # 1-based cue number in the published file
    start: float  # where the speech is (for a shifted cue: where its text is spoken)
    end: float
    published: str
    heard: str
    detail: str
    published_start: float | None = None
    published_end: float | None = None
    confidence: float = 1.0
    differences: tuple[tuple[str, str], ...] = ()


def finding(kind: str, *, cue: int | None, start: float, end: float, detail: str, published: str = "",
            heard: str = "", severity: str | None = None, confidence: float = 1.0,
            differences: tuple[tuple[str, str], ...] = (), published_start: float | None = None,
            published_end: float | None = None) -> Finding:
    """The one way a finding is made: severity from ``SEVERITY`` unless a graded kind
    (offset, drift) or an undecided text difference (``check``) passes its own; confidence
    clipped to [0, 1]."""
    if kind not in SEVERITY:
        raise ValueError(f"unknown finding kind {kind!r}")
    if severity is not None and severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    return Finding(kind, severity or SEVERITY[kind], cue, start, end, published, heard, detail,
                   published_start, published_end, round(min(1.0, max(0.0, confidence)), 3), differences)


@dataclass(frozen=True)
class AuditReport:
    """One file's audit: what was checked, the file's timing model, every finding, and where
    each cue belongs (``corrected``, for --fix)."""

    media: str
    subtitles: str
    audio_language: str
    subtitles_language: str | None
    duration: float
    cues: tuple[SubtitleCue, ...]
    sync: Sync
    findings: tuple[Finding, ...]
    speech: tuple[tuple[float, float], ...]
    corrected: tuple[tuple[float, float], ...] = field(default=())  # per cue, for --fix
    warnings: tuple[str, ...] = ()  # what reading the inputs left out (a transcript's control characters…)
    shot_changes: tuple[float, ...] = ()  # the picture's cuts the style checks timed cues against, seconds

    @property
    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def has_checks(self) -> bool:
        """Whether any finding asks a person to listen (``check``) though none may be an error."""
        return any(f.severity == "check" for f in self.findings)

    def errors(self) -> list[tuple[str, int | None]]:
        """(kind, cue) of every error: what must be the same on any CPU and thread count."""
        return sorted(((f.kind, f.cue) for f in self.findings if f.severity == "error"),
                      key=lambda x: (x[0], x[1] or 0))

    def fixed_cues(self, min_gap: float = 0.08) -> list[SubtitleCue]:
        """The cues with the offset and drift removed and shifted cues moved to their speech,
        their text as written (markup kept). A cue moved onto its neighbour ends ``min_gap``
        (two frames at 25 fps) before the next one starts; a cue is never made shorter than
        it was shown when that would leave it no time (then its own length is kept)."""
        placed = sorted(
            (SubtitleCue(cue.index, round(max(0.0, start), 3), round(max(0.0, start) + max(end - start, 0.001), 3),
                         cue.lines, cue.speaker, cue.raw)
             for cue, (start, end) in zip(self.cues, self.corrected)),
            key=lambda c: (c.start, c.index))
        out: list[SubtitleCue] = []
        for n, cue in enumerate(placed):
            end = cue.end
            if n + 1 < len(placed) and end > placed[n + 1].start - min_gap:
                end = max(placed[n + 1].start - min_gap, cue.start + min(cue.end - cue.start, 0.5))
            out.append(SubtitleCue(cue.index, cue.start, round(end, 3), cue.lines, cue.speaker, cue.raw))
        return out

    def save(self, path: str | Path, embed_media: bool = False, outputs: OutputSet | None = None) -> Path:
        """JSON, CSV or the HTML review page, by extension, written atomically (with
        ``outputs``, together with the run's other outputs: ``atomic_outputs``)."""
        from ..reports import write_report

        return write_report(self, Path(path), embed_media, outputs)
