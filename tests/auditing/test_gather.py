"""Evidence gathered per cue (``auditing.gather``), on words and times written out."""

from __future__ import annotations

from aligner.auditing.evidence import Disagreement
from aligner.auditing.gather import TextDispute, disputes_by_cue, placed_as_heard
from aligner.results import WordTime

from .test_placement import _inputs

# The real panel with cue 15 left in Spanish: forced alignment dragged cue 16's first word,
# heard at 64.58 s, to 62.0 s at p = 1e-6 (a false timing_offset on cue 16).
CUES = [(58.3, 64.5, "El tiempo era muy frío"), (64.6, 69.1, "sound quite different")]
HEARD = [(58.4, "So"), (59.0, "this"), (61.9, "probably"), (64.58, "sound"), (64.8, "quite"), (65.06, "different")]
PAIRS = {5: 3, 6: 4, 7: 5}


def test_a_word_dragged_far_from_where_it_was_heard_is_taken_as_heard():
    times = {5: WordTime(62.0, 62.62, 1e-6), 6: WordTime(64.8, 65.0, 0.4), 7: WordTime(65.1, 65.5, 0.8)}
    placed = placed_as_heard(_inputs(CUES, HEARD), PAIRS, times)
    assert placed[5].start == 64.58 and placed[6] == times[6] and placed[7] == times[7]


def test_a_placement_the_aligner_is_sure_of_or_near_the_hearing_is_kept():
    sure = {5: WordTime(62.0, 62.62, 0.5)}  # confident: the recogniser's time may be the wrong one
    near = {5: WordTime(64.4, 64.8, 1e-6)}  # within 0.3 s of the hearing
    unmatched = {4: WordTime(62.0, 62.1, 1e-6)}  # a Spanish word: nothing heard to take it to
    inputs = _inputs(CUES, HEARD)
    for times in (sure, near, unmatched):
        assert placed_as_heard(inputs, PAIRS, times) == times


# The AMI meeting: three voices over one another, heard as one "So," across four cues.
TALK = [(14.64, 15.16, "Should we"), (15.24, 15.28, "Has"), (15.36, 15.4, "anybody"),
        (15.48, 17.04, "Well umbrella we just go around")]


def test_a_passage_over_several_cues_is_each_cues_to_check():
    inputs = _inputs(TALK, [(14.8, "So,"), (15.9, "we"), (16.1, "just")])
    crossing = Disagreement(0, 6, 0, 1, "Should we Has anybody Well umbrella", "So,", 47.6)
    disputes = disputes_by_cue(inputs, [(tuple(range(6)), crossing)])
    assert disputes[3] == [TextDispute("Well umbrella", "So,", 47.6, crossing.confidence, severity="check")]
    assert [d.published for k in (0, 1, 2) for d in disputes[k]] == ["Should we", "Has", "anybody"]
    assert all(d.severity == "check" for ds in disputes.values() for d in ds)


def test_a_passage_inside_one_cue_is_its_own_and_words_heard_between_cues_are_nobodys():
    inputs = _inputs(TALK, [(14.8, "So,")])
    inside = Disagreement(7, 8, 3, 4, "umbrella", "should", 9.0)
    between = Disagreement(4, 4, 2, 3, "", "uh", 6.0)  # heard between cue 3's last word and cue 4's first
    disputes = disputes_by_cue(inputs, [((7,), inside), ((3, 4), between)])
    assert disputes == {3: [TextDispute("umbrella", "should", 9.0, inside.confidence)]}
