"""The text checks' verdict on scored passages (``aligner.auditing.text``), without audio."""

from __future__ import annotations

from dataclasses import replace

import pytest

from aligner.auditing.text import text_verdict


def test_verdict_needs_the_margin():
    from aligner.auditing.gather import TextDispute

    disputes = [TextDispute("secession", "succession", 6.2, 0.998), TextDispute("shalt", "shall", 2.5, 0.92)]
    assert [d.published for d in text_verdict(disputes, 5.0)] == ["secession"]
    assert text_verdict(disputes, 7.0) == []


def _passage(published: str, heard: str, **kw):
    from aligner.auditing.evidence import Disagreement

    return Disagreement(0, 1, 0, 1, published, heard, 12.0, **kw)


def test_a_difference_between_ordinary_words_is_an_error():
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    assert text_severity(_passage("fourteen", "forty", phone_llr=-2.6), "en", opts) == "error"
    assert text_severity(_passage("referirte", "paraguas"), "es", opts) == "error"  # rare, but in the lexicon


def test_a_name_or_a_garble_the_acoustic_fit_does_not_settle_is_a_check():
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    assert text_severity(_passage("Pannartz", "Panartes", phone_llr=3.6), "en", opts) == "check"
    garble = _passage("angemessene nutzung", "angemessenen Nützung", phone_llr=-18.5)
    assert text_severity(garble, "de", opts) == "check"
    assert text_severity(_passage("Carpanedo", "Carpaneo", phone_llr=26.7), "es", opts) == "check"
    # the acoustic model, which knows no words, hears the change too: an error, names or not
    assert text_severity(_passage("Ramirez", "middle", phone_llr=467.7), "en", opts) == "error"


def test_a_stumble_and_talk_over_talk_are_checks():
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    assert text_severity(_passage("a", "", repeated=True), "en", opts) == "check"
    assert text_severity(_passage("should we Has anybody", "it. So", crosses=True), "en", opts) == "check"


def test_a_neighbour_the_aligner_could_not_time_stands_where_it_is_shown():
    """The real meeting with a line left in Spanish: "Has" (40 ms of crosstalk, not found) is
    heard afresh over the utterance it shares with the Spanish line. Skipping the untimed
    Spanish words set "Has" beside the next cue's "says", and the English under the Spanish
    line read as "Has" misheard, a false error at confidence 1.0."""
    from aligner.auditing.inputs import Matches
    from aligner.auditing.text import words_around
    from aligner.results import WordTime

    from .test_placement import _inputs

    cues = [(14.64, 15.16, "Should we"), (15.24, 15.28, "Has"), (15.48, 17.04, "El tiempo era"),
            (17.12, 19.12, "says what")]
    inputs = _inputs(cues, [(15.1, "we"), (17.1, "says"), (17.3, "what")])
    times = {0: WordTime(15.07, 15.55, 0.1), 1: WordTime(15.55, 15.66, 0.99), 6: WordTime(17.09, 17.29, 0.1),
             7: WordTime(17.3, 17.5, 0.7)}
    before, after = words_around(inputs, Matches({}, times), 1, 13.0, 18.1)
    assert before == ["Should", "we"]
    assert after == ["El", "tiempo", "era", "says", "what"]
    # shown outside the utterance: not beside the cue's words
    assert words_around(inputs, Matches({}, times), 1, 13.0, 15.5)[1] == []


def test_heard_words_the_sound_cannot_carry_make_a_check():
    """A French reading: "grondements" heard "bonnes moments", both ordinary words, 14 nats
    beyond the prior; the acoustic model finds no path for the heard words through the
    stretch, and one for the published: the audio has not decided it."""
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    assert text_severity(_passage("grondements", "bonnes moments"), "fr", opts) == "error"
    assert text_severity(_passage("grondements", "bonnes moments", unsayable=True), "fr", opts) == "check"


def test_a_second_hearing_that_stopped_short_is_told_from_other_words():
    from aligner.auditing.text import cut_short

    line = "Thou dost beguile the world, unbless some mother.".split()
    assert cut_short(["the"], line, "en", 0.5)  # sonnet III over 12.34-16.52 s: decoding stopped at once
    assert not cut_short("thou dost be guile the world".split(), line, "en", 0.5)
    assert not cut_short("it was 1963".split(), "it was nineteen sixty-three".split(), "en", 0.5)  # tokens, not words


def test_a_doubted_edge_word_heard_nowhere_is_told_from_a_neighbour_or_the_middle():
    from aligner.auditing.text import unheard_edges

    cue = "umbrella, or printing beautiful letters".split()
    # LJ Speech cue 20 in one int8 run: the second hearing began after the swapped first word
    assert unheard_edges(cue, "or printing beautiful letters.".split(), "en", ["umbrella,"]) == (True, False)
    assert unheard_edges(cue, "setting or printing beautiful letters.".split(), "en", ["umbrella,"]) == (False, False)
    # an unheard edge word that nobody doubted is not a reason to hear again
    assert unheard_edges(cue, "or printing beautiful letters.".split(), "en", ["beautiful"]) == (False, False)
    assert unheard_edges(cue, "umbrella or printing beautiful".split(), "en", ["letters"]) == (False, True)


def test_a_stretch_heard_again_reaches_past_where_the_cue_is_shown_on_that_side_only():
    from aligner.auditing.text import widened

    assert widened(81.73, 84.24, (81.40, 84.12), 0.2, True, False) == pytest.approx((81.20, 84.24))
    assert widened(81.0, 84.24, (81.40, 84.12), 0.2, True, False) == pytest.approx((80.8, 84.24))
    assert widened(81.73, 84.0, (81.40, 84.12), 0.2, False, True) == pytest.approx((81.73, 84.32))


def test_a_passage_first_heard_over_several_cues_is_a_check_whatever_its_own_hearing_says():
    from aligner.auditing.gather import TextDispute
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import rechecked_severity

    opts = AuditOptions()
    # FLEURS-de in float32: "oft | eine schlampige" heard over cues 17 and 18; on cue 18's own
    # audio "eine schlampige" heard "auf deine schlampege", the neighbour's "oft" with it.
    shared = TextDispute("eine schlampige", "ihre Blockerfahrung auf deine schlampege", 17.8, 1.0, severity="check")
    leaked = _passage("eine schlampige", "auf deine schlampege", prior_llr=-10.9, phone_llr=191.4)
    assert rechecked_severity(shared, leaked, "de", opts) == "check"
    assert rechecked_severity(replace(shared, severity="error"), leaked, "de", opts) == "error"
    # The AMI meeting under crosstalk: "Well should" heard "So".
    talk = TextDispute("Well should", "So,", 30.0, 1.0, severity="check")
    assert rechecked_severity(talk, _passage("Well should", "So"), "en", opts) == "check"
    assert rechecked_severity(replace(talk, severity="error"), _passage("Well should", "So"), "en", opts) == "error"


def test_words_said_with_the_same_phones_are_a_check():
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    # LJ Speech's "psalters" heard "salters"; an ordinary pair, and German's "mehr" and "Meer"
    for published, heard, language in (("psalters,", "salters", "en"), ("there", "their", "en"),
                                       ("mehr", "Meer", "de")):
        assert text_severity(_passage(published, heard, phone_llr=0.0), language, opts) == "check"
    assert text_severity(_passage("mehr", "mir"), "de", opts) == "error"
