"""Deciding which text differences are the subtitler's and which the recogniser's."""

from __future__ import annotations

from aligner.audit import cue_words, text_differences
from aligner.subtitles import SubtitleCue


def diff(published: str, heard: str):
    return text_differences(published.split(), heard.split())


def test_misspelt_name_is_forgiven():
    assert diff("in the city of Shebekino today", "in the city of Shabakino today") == []


def test_numbers_and_negations_are_not():
    assert diff("about 20 percent of them", "about 30 percent of them") != []
    assert diff("we did make promises", "we didn't make promises") != []


def test_dropped_and_added_words():
    assert diff("region, we said that this was the beginning", "we said that this was the beginning") == []  # edge
    assert diff("much larger liberation troops have entered", "troops have entered") != []
    assert diff("this time troops have entered", "this time much larger liberation troops have entered") != []


def test_cue_words_leave_labels_and_descriptions_out():
    cue = SubtitleCue(1, 0, 2, ("-[Anna] Are you coming? (laughs)", "-BEN: In a minute."))
    assert cue_words(cue) == ["Are", "you", "coming?", "In", "a", "minute."]


def test_cues_differing_from_the_approved_transcript(fixtures):
    from aligner.audit import _transcript_findings
    from aligner.subtitles import read_subtitles
    from aligner.transcript import load

    script = load(fixtures / "news_transcript.txt")
    clean = _transcript_findings(read_subtitles(fixtures / "news.srt"), script, "en")
    # The correct file differs from the transcript only where it translates the German quote.
    assert [f.cue for f in clean] == [50]
    found = _transcript_findings(read_subtitles(fixtures / "news.defects.srt"), script, "en")
    flagged = {f.cue for f in found}
    assert {11, 14, 17, 28, 48} <= flagged
    assert all(f.kind == "transcript_mismatch" and f.severity == "warning" for f in found)
    twitter = next(f for f in found if f.cue == 48)
    assert "Facebook" in twitter.detail and "Twitter" in twitter.detail
