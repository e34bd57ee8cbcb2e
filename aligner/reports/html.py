"""The audit as a review page (``review.py``): the clip with its published subtitles, a
timeline of speech, cues and findings that follows playback, and every finding a click (or
``n``/``p``) away, published and heard side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..subtitles.review import Page, PageCue, PageFinding, chips, clock, media_source, render_page, vtt_source

if TYPE_CHECKING:
    from ..subtitles.published import SubtitleCue
    from .views import ReportView


def published_vtt(cues: tuple[SubtitleCue, ...]) -> str:
    """The published cues as WebVTT for the player's track (pysubs2 writes it)."""
    import pysubs2

    subs = pysubs2.SSAFile()
    for c in cues:
        subs.append(pysubs2.SSAEvent(start=round(c.start * 1000), end=round(c.end * 1000), text=r"\N".join(c.lines)))
    return subs.to_string("vtt")


def page(report: ReportView, path: str | Path | None = None, embed_media: bool = False) -> Page:
    src, label, video = media_source(report.media, path, embed_media)
    shown = [f for f in report.findings if f.kind != "style"]
    styles = len(report.findings) - len(shown)
    flagged = {f.cue for f in shown if f.cue is not None}
    findings = tuple(PageFinding(
        f.kind, f.severity, f.cue, f.start, f.end, f.published, f.heard, f.detail, f.confidence, f.differences,
        f"{clock(f.published_start)}–{clock(f.published_end)}" if f.published_start is not None else "")
        for f in report.findings)
    errors = [f.kind for f in report.findings if f.severity == "error"]
    verdict = "errors found" if report.has_errors else "no errors"
    return Page(
        title=f"Subtitle audit: {report.subtitles}",
        heading=f"Subtitle audit — {verdict}",
        meta=(f"{report.subtitles} against {report.media} · audio {report.audio_language}, subtitles "
              f"{report.subtitles_language} · {len(report.cues)} cues · offset {report.sync.offset:+.3f} s · "
              f"drift {report.sync.drift_ppm:+.0f} ppm" + (f" · {styles} style warnings" if styles else "")),
        media_src=src, media_label=label, video=video, vtt_src=vtt_source(published_vtt(report.cues)),
        duration=report.duration, track_label="published", track_language=report.subtitles_language or "und",
        chips=chips(report.summary, errors), speech=tuple(report.speech),
        cues=tuple(PageCue(c.index, c.start, c.end, c.text, c.index in flagged) for c in report.cues),
        findings=findings, kinds=tuple(dict.fromkeys(f.kind for f in report.findings)))


def dumps(report: ReportView, path: str | Path | None = None, embed_media: bool = False) -> str:
    return render_page(page(report, path, embed_media))
