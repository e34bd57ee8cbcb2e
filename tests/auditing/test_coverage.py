"""Speech with no cue over it (``aligner.auditing.coverage.uncovered``), on spans of seconds."""

from __future__ import annotations

from aligner.auditing.coverage import uncovered


def test_a_removed_cue_of_two_sentences_is_one_stretch():
    # real German FLEURS: a removed cue's two sentences 0.54 s apart, nothing shown between
    speech = [(70.0, 77.6), (77.7, 78.34), (78.88, 80.9), (81.0, 83.0)]
    covered = [(69.9, 77.7), (80.9, 83.1)]
    assert uncovered(speech, covered) == [(77.7, 80.9)]


def test_a_cue_shown_in_the_pause_parts_the_stretches():
    speech = [(0.0, 2.0), (2.8, 5.0)]
    assert uncovered(speech, [(2.2, 2.6)]) == [(0.0, 2.0), (2.8, 5.0)]
    assert uncovered(speech, []) == [(0.0, 5.0)]


def test_a_long_pause_parts_the_stretches():
    assert uncovered([(0.0, 2.0), (3.5, 5.0)], []) == [(0.0, 2.0), (3.5, 5.0)]
