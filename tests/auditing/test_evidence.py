"""The audit's text evidence (``aligner.auditing.evidence``): which passages differ, how the two
texts that are scored are built, how a passage's log-likelihood ratio is read (on strings and
numbers, no audio); then the scorer on real audio."""

from __future__ import annotations

import pytest

from aligner.auditing.evidence import (
    ScoredText,
    differing_passages,
    disagreements,
    heard_but_published,
    spoken_spelling,
)

from ..helpers import FIXTURES


def passages(published: str, heard: str) -> list[tuple[str, str]]:
    p, h = published.split(), heard.split()
    return [(" ".join(p[x.first:x.stop]), " ".join(h[x.heard_first:x.heard_stop]))
            for x in differing_passages(p, h)]


def test_a_hesitation_beside_a_changed_word_is_judged_apart():
    # "uh" is improbable to the model over voice and silence alike: inside the passage it hid
    # "seventy" for a spoken "one" on the real panel as the model's sense of language talking
    assert passages("in the original seventy uh", "in the original one.") == [("seventy", "one."), ("uh", "")]
    assert passages("um the seventy", "the one") == [("um", ""), ("seventy", "one")]
    assert passages("and uh", "and um") == [("uh", "um")]  # nothing but a hesitation: one passage
    assert passages("a uh b", "a b") == [("uh", "")]


def test_passages_are_whole_words_in_spoken_form():
    assert passages("about 20% of them", "about twenty percent of them") == []
    assert passages("And so, my fellow Americans", "and so my fellow Americans,") == []
    assert passages("ask not what your country can do for me", "ask not what your country can do for you") == \
        [("me", "you")]
    assert passages("this time troops have entered", "this time much larger liberation troops have entered") == \
        [("", "much larger liberation")]


def test_a_garbled_name_around_a_shared_word_is_one_passage():
    # espeak's "of Kharkiv on" heard as "on Chabikyong": not words left out beside words added
    assert passages("in the city of Kharkiv on Russia's western border",
                    "in the city on Chabikyong, Russia's western border") == [("of Kharkiv on", "on Chabikyong,")]
    # ...but a neighbour's words caught at the start of the hearing stay apart
    assert passages("of Novaya Tavolzhanka in the Belgorod region.",
                    "and the village of Novaia Temple and Khenver region.") == \
        [("", "and the village"), ("Novaya Tavolzhanka in the Belgorod", "Novaia Temple and Khenver")]


def test_elisions_are_spelt_as_said():
    assert spoken_spelling("deserv’d") == "deserved"
    assert spoken_spelling("tatter’d") == "tattered"
    assert spoken_spelling("feel’st") == "feelst"
    assert spoken_spelling("you’d") == "you'd"  # a contraction, not an elision
    assert passages("more praise deserv’d thy beauty’s use", "more praise deserved thy beauty's use") == []


def test_scored_texts_differ_only_in_the_passages():
    published = "Calls back the lovely April of her prime".split()
    heard = "calls back the lovely August, of her prime.".split()
    found = differing_passages(published, heard)
    mixed, where = heard_but_published(published, heard, found)
    assert mixed == "calls back the lovely April of her prime.".split()
    assert [mixed[a:b] for a, b in where] == [["April"]]
    # the replacement takes the heard word's case: a capital at a verse's start is no evidence
    mixed, _ = heard_but_published(["Disdains", "the"], ["disdainst", "the"],
                                   differing_passages(["Disdains", "the"], ["disdainst", "the"]))
    assert mixed == ["disdains", "the"]


def test_llr_counts_the_passage_and_the_word_after_it():
    heard = ScoredText(("do", "for", "you", "ask"), (-0.1, -0.1, -0.05, -0.2), -0.3)
    mixed = ScoredText(("do", "for", "me", "ask"), (-0.1, -0.1, -12.0, -1.5), -0.3)
    found = differing_passages(list(mixed.words), list(heard.words))
    _, where = heard_but_published(list(mixed.words), list(heard.words), found)
    (d,) = disagreements(mixed, heard, found, where)
    assert (d.published, d.heard) == ("me", "you")
    assert d.llr == pytest.approx((-0.05 - 0.2) - (-12.0 - 1.5))
    assert d.confidence > 0.999
    # at the end of the text, the end-of-text token is the word after
    end = ScoredText(("for", "me"), (-0.1, -9.0), -2.0)
    assert end.span(1, 2) == pytest.approx(-11.0)


def test_what_the_language_alone_prefers_is_no_evidence():
    from aligner.auditing.evidence import Disagreement

    # "call to all" heard as "cultural": the model prefers "cultural" nearly as much with no
    # sound at all, so the sound adds little; "me" for "you" is the sound's doing.
    slur = Disagreement(0, 3, 0, 1, "call to all", "cultural", llr=16.8, prior_llr=22.1)
    swap = Disagreement(5, 6, 5, 6, "me", "you", llr=12.2, prior_llr=2.2)
    unlikely = Disagreement(5, 6, 5, 6, "thy", "the", llr=6.0, prior_llr=-4.0)
    assert slur.acoustic_llr == pytest.approx(16.8 - 22.1)
    assert swap.acoustic_llr == pytest.approx(10.0)
    assert unlikely.acoustic_llr == pytest.approx(6.0)  # a prior for the published words earns nothing


# Stretches of the news clip that the audit hears again on the correct subtitles.
STRETCHES = ((27.53, 31.10), (80.44, 84.42), (89.68, 93.63), (153.01, 157.48), (137.58, 142.50))


@pytest.mark.model
@pytest.mark.parametrize("compute_type", ["default", "float32"])
def test_hearings_decoded_together_read_each_stretch_as_alone(compute_type):
    from aligner.auditing.evidence import TextScorer
    from aligner.hearing.encodings import encode_audio
    from aligner.runtime.media import decode
    from aligner.runtime.model import load_model

    model = load_model(compute_type=compute_type)
    scorer = TextScorer(model, "en")
    with decode(FIXTURES / "news.mp4") as audio:
        encoded = [encode_audio(model, audio.read(a, b))[0] for a, b in STRETCHES]
    alone = [scorer.hypothesis(e) for e in encoded]
    assert all(len(words) >= 5 for words in alone)
    assert scorer.hypotheses(encoded[:4]) == alone[:4]  # a full batch
    assert scorer.hypotheses(encoded[3:]) == alone[3:]  # and a short one


def test_contractions_a_voice_makes_are_the_same_words():
    from aligner.auditing.evidence import differing_passages, uncontracted

    assert differing_passages("la historia de El Capitán".split(), "la historia del capitán".split(), "es") == []
    assert differing_passages("weil er in dem Haus war".split(), "weil er im Haus war".split(), "de") == []
    assert uncontracted(["du", "pain"], "fr") == ["de", "le", "pain"]
    assert differing_passages("de la que".split(), "de que".split(), "es") != []  # a word left out is not one


def test_a_word_split_between_a_difference_and_a_match_is_one_passage():
    from aligner.auditing.evidence import Passage, differing_passages

    # "6-6" is said "six six": one "six" heard, the other inside "intensis"
    assert differing_passages("le score a atteint 6-6".split(), "le score a intensis six".split(), "fr") == \
        [Passage(3, 5, 3, 5)]


def test_a_repeated_word_is_a_stumble():
    from aligner.auditing.evidence import repeats

    words = "had he married a more a amiable woman".split()
    assert repeats(words, 5, 6, "en") and not repeats(words, 3, 4, "en")
