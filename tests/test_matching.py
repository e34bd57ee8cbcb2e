"""Matching, without audio: anchors, unheard transcript text, untranscribed speech."""

from __future__ import annotations

from aligner.matching import HeardWord, match


def heard(text: str, start: float = 0.0, step: float = 0.3) -> list[HeardWord]:
    return [HeardWord(w, start + k * step, start + (k + 1) * step) for k, w in enumerate(text.split())]


def test_exact_and_normalised_matches():
    words = "About 20 percent. That is Dr. Lopez.".split()
    m = match(words, heard("about 20% that is doctor Lopez"))
    paired = dict(m.pairs)
    assert paired[0] == 0 and paired[1] == 1 and paired[2] == 1  # "20 percent" <- "20%"
    assert paired[5] == 4  # "Dr." <- "doctor"
    assert not m.unheard and not m.untranscribed


def test_misheard_name_is_paired():
    words = "in the city of Shebekino on the border".split()
    m = match(words, heard("in the city of Shabakino on the border"))
    assert dict(m.pairs)[4] == 4


def test_sentence_not_spoken_is_unheard():
    words = "We test the river. We also thank the volunteers who helped. Goodbye now.".split()
    rec = heard("we test the river") + heard("goodbye now", start=1.3)
    m = match(words, rec, speech_between=lambda a, b: 0.0 if a >= 1.1 else b - a)
    assert [(s.first, s.stop) for s in m.unheard] == [(4, 11)]


def test_skipped_but_spoken_passage_is_not_unheard():
    # The recogniser dropped a sentence, but voice activity shows there was speech there.
    words = "We test the river. We also thank the volunteers who helped. Goodbye now.".split()
    rec = heard("we test the river") + heard("goodbye now", start=6.0)
    m = match(words, rec, speech_between=lambda a, b: max(0.0, b - a))
    assert not m.unheard


def test_foreign_speech_is_untranscribed_and_placed():
    words = "He decided to switch sides.".split()
    rec = heard("Я решил перейти на сторону Украины") + heard("he decided to switch sides", start=3)
    m = match(words, rec, lang="en")
    assert [(s.first, s.stop, s.at) for s in m.untranscribed] == [(0, 6, 0)]
    assert len(m.pairs) == 5


def test_repeated_programme_is_matched_in_order():
    # The same 60-word passage four times over: every copy must pair with its own airing.
    passage = ("the spokesman said that the legion would advance further into the region and that "
               "the fighting continues as we speak while the government denies any involvement in "
               "the attacks on the territory and the volunteers carry the white blue white flag of "
               "their movement for a free country without the regime").split()
    words = passage * 4
    rec = heard(" ".join(passage * 4))
    m = match(words, rec, speech_between=lambda a, b: b - a)
    assert dict(m.pairs) == {i: i for i in range(len(words))}
    assert not m.unheard and not m.untranscribed
