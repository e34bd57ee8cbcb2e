"""Cues checked against an approved transcript (``aligner.auditing.transcript``), without audio."""

from __future__ import annotations

from aligner.auditing.options import AuditOptions


def test_cues_differing_from_the_approved_transcript(fixtures):
    from aligner.auditing.transcript import transcript_findings
    from aligner.subtitles.published import read_subtitles
    from aligner.text.transcript import load

    script = load(fixtures / "news_transcript.txt")
    clean = transcript_findings(read_subtitles(fixtures / "news.srt"), script, "en", AuditOptions())
    # The correct file differs from the transcript only where it translates the German quote.
    assert [f.cue for f in clean] == [50]
    found = transcript_findings(read_subtitles(fixtures / "news.defects.srt"), script, "en", AuditOptions())
    flagged = {f.cue for f in found}
    assert {11, 14, 17, 28, 48} <= flagged
    assert all(f.kind == "transcript_mismatch" and f.severity == "warning" for f in found)
    twitter = next(f for f in found if f.cue == 48)
    assert "Facebook" in twitter.detail and "Twitter" in twitter.detail
