"""A cue's text as spoken words (``aligner.auditing.words``), without audio."""

from __future__ import annotations

from aligner.auditing.words import cue_words, names_or_numbers
from aligner.subtitles.published import SubtitleCue


def test_names_and_numbers_are_in_every_language():
    assert names_or_numbers("Hans Jakob Christoffel von Grimmelshausen".split())
    assert names_or_numbers(["Valdemoro,", "20", "September", "1881."])
    assert not names_or_numbers("Ya está la obra escrita,".split())
    assert not names_or_numbers("y ahí te la envío.".split())


def test_cue_words_leave_labels_and_descriptions_out():
    cue = SubtitleCue(1, 0, 2, ("-[Anna] Are you coming? (laughs)", "-BEN: In a minute."))
    assert cue_words(cue) == ["Are", "you", "coming?", "In", "a", "minute."]
