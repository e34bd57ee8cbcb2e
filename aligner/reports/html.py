"""The audit as a review page (``review.py``): the clip with its published subtitles, a
timeline of speech, cues and findings that follows playback, and every finding a click (or
``n``/``p``) away, published and heard side by side. Each severity has its colour, chips and
filter box: errors red, findings to check (a person should listen) cyan, warnings orange."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..subtitles.review import Page, PageCue, PageFinding, chips, clock, media_source, render_page, vtt_source
from .views import gravest_first, severity_counts

if TYPE_CHECKING:
    from ..subtitles.subtitle_cue import SubtitleCue
    from .views import FindingView, ReportView


def published_vtt(cues: tuple[SubtitleCue, ...]) -> str:
    """The published cues as WebVTT for the player's track (pysubs2 writes it)."""
    import pysubs2

    subs = pysubs2.SSAFile()
    for c in cues:
        subs.append(pysubs2.SSAEvent(start=round(c.start * 1000), end=round(c.end * 1000), text=r"\N".join(c.lines)))
    return subs.to_string("vtt")


def verdict(report: ReportView) -> str:
    """The page's verdict: "errors found" (and how many to check), "N to check" when only a
    person's ear is asked for, else "no errors"."""
    checks = severity_counts(report.findings).get("check", 0)
    if report.has_errors:
        return f"errors found, {checks} to check" if checks else "errors found"
    return f"{checks} to check" if checks else "no errors"


def kind_counts(findings: Sequence[FindingView]) -> list[tuple[str, str, int]]:
    """(kind, severity, count) by kind; a kind found at several severities once each, gravest first."""
    counts = Counter((f.kind, f.severity) for f in findings)
    kinds = sorted({kind for kind, _ in counts})
    return [(k, sev, counts[k, sev]) for k in kinds for sev in gravest_first(s for kk, s in counts if kk == k)]


def cue_flags(findings: Sequence[FindingView]) -> dict[int, str]:
    """Each cue with a finding other than style, and the gravest severity found on it."""
    found: dict[int, list[str]] = {}
    for f in findings:
        if f.cue is not None and f.kind != "style":
            found.setdefault(f.cue, []).append(f.severity)
    return {cue: gravest_first(sevs)[0] for cue, sevs in found.items()}


def page_finding(f: FindingView) -> PageFinding:
    return PageFinding(
        f.kind, f.severity, f.cue, f.start, f.end, f.published, f.heard, f.detail, f.confidence, f.differences,
        f"{clock(f.published_start)}–{clock(f.published_end)}" if f.published_start is not None else "")


def page(report: ReportView, path: str | Path | None = None, embed_media: bool = False) -> Page:
    src, label, video = media_source(report.media, path, embed_media)
    styles = sum(f.kind == "style" for f in report.findings)
    flags = cue_flags(report.findings)
    return Page(
        title=f"Subtitle audit: {report.subtitles}",
        heading=f"Subtitle audit — {verdict(report)}",
        meta=(f"{report.subtitles} against {report.media} · audio {report.audio_language}, subtitles "
              f"{report.subtitles_language} · {len(report.cues)} cues · offset {report.sync.offset:+.3f} s · "
              f"drift {report.sync.drift_ppm:+.0f} ppm" + (f" · {styles} style warnings" if styles else "")),
        media_src=src, media_label=label, video=video, vtt_src=vtt_source(published_vtt(report.cues)),
        duration=report.duration, track_label="published", track_language=report.subtitles_language or "und",
        chips=chips(kind_counts(report.findings)), speech=tuple(report.speech), shots=tuple(report.shot_changes),
        cues=tuple(PageCue(c.index, c.start, c.end, c.text, c.index in flags, flags.get(c.index, ""))
                   for c in report.cues),
        findings=tuple(page_finding(f) for f in report.findings),
        kinds=tuple(dict.fromkeys(f.kind for f in report.findings)),
        severities=tuple(gravest_first(f.severity for f in report.findings)))


def dumps(report: ReportView, path: str | Path | None = None, embed_media: bool = False) -> str:
    return render_page(page(report, path, embed_media))
