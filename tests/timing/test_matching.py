"""Matching, without audio: anchors, unheard transcript text, untranscribed speech."""

from __future__ import annotations

from aligner.hearing.heard import HeardWord
from aligner.timing.matching import bridged, match, realigned


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
    # A 120-word segment aired five times, the recogniser slipping once in the second airing:
    # each airing must still pair with its own copy, not skip ahead to the next.
    rng = __import__("random").Random(3)
    vocab = ("spokesman legion advance region fighting government volunteers flag movement country regime "
             "border territory soldiers officers channel pictures videos daily basis freedom russia").split()
    passage = [rng.choice(vocab) for _ in range(120)]
    words = passage * 5
    said = passage * 5
    said[180:184] = ["something", "else", "entirely", "here"]
    m = match(words, heard(" ".join(said)), speech_between=lambda a, b: b - a)
    pairs = dict(m.pairs)
    assert sum(pairs.get(i) == i for i in range(len(words))) >= len(words) - 6
    assert not m.unheard and not m.untranscribed


def test_a_garbled_phrase_around_a_shared_word_is_a_mishearing():
    # "this time into the Shebekino" heard as "the Simon to the Shabaki": one "the" in common
    # must not split it into three words unheard beside four words the transcript lacks.
    script = "troops advanced this time into the Shebekino region again".split()
    heard_words = heard("troops advanced the Simon to the Shabaki region again")
    m = match(script, heard_words, speech_between=lambda a, b: b - a)
    assert not m.unheard and not m.untranscribed


def test_bridged_takes_a_lone_shared_token_into_the_gap():
    ops = [("equal", 0, 2, 0, 2), ("delete", 2, 5, 2, 2), ("equal", 5, 6, 2, 3),
           ("replace", 6, 7, 3, 7), ("equal", 7, 9, 7, 9)]
    assert bridged(ops) == [("equal", 0, 2, 0, 2), ("replace", 2, 7, 2, 7), ("equal", 7, 9, 7, 9)]
    balanced = [("replace", 0, 4, 0, 1), ("equal", 4, 5, 1, 2), ("replace", 5, 6, 2, 3)]
    assert bridged(balanced) == balanced  # a title over nothing heard, then "fourteen" for "forty"


def test_a_run_repeated_a_sentence_later_does_not_take_both_sentences_words():
    # float32 heard "...the build-on of region, the Simon to the Shabaki region. This time, much
    # larger liberation troops": difflib took "region this time" for the first sentence's
    script = "into the Belgorod region, this time into the Shebekino region. This time, troops entered".split()
    said = ("into the build-on of region, the Simon to the Shabaki region. This time, much larger liberation "
            "troops entered")
    m = match(script, heard(said), speech_between=lambda a, b: b - a)
    pairs = dict(m.pairs)
    assert (pairs[9], pairs[10], pairs[11]) == (10, 11, 12)  # "region. This time," with its own words
    assert not m.unheard  # the first sentence's tail is a mishearing, not words left unsaid


def test_realigned_only_where_the_gaps_make_up_for_each_other():
    a, b = "x r t y z r t".split(), "p q r w r t m".split()
    ops = [("replace", 0, 1, 0, 5), ("equal", 1, 3, 5, 7), ("delete", 3, 7, 7, 7)]  # as difflib might
    assert sum(o[2] - o[1] for o in realigned(ops, a, b) if o[0] == "equal") == 3
    balanced = [("replace", 0, 1, 0, 1), ("equal", 1, 2, 1, 2), ("replace", 2, 3, 2, 3)]
    assert realigned(balanced, "a b c".split(), "x b y".split()) == balanced


def test_a_misheard_phrase_of_fewer_words_is_not_unheard():
    script = "it is written including the call to all Russian soldiers".split()
    heard_words = heard("it's written including the Cultural Russian soldiers")
    m = match(script, heard_words, speech_between=lambda a, b: 0.0)  # no room at all around it
    assert not m.unheard



# --- a placement that recovers -------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    return text.split()


def test_a_stretch_the_transcript_lacks_loses_no_thread():
    # The recogniser heard a long stretch before the rest that matches nothing: the chunked
    # matcher of old searched the rest for the transcript and paired scattered "the"s there.
    from aligner.timing.matching import anchored_blocks

    script = _tokens("so this is the sick corpus i have a cold and i am saying a bunch of words here "
                     "unless to be rather cold hearted is to be ill disposed")
    heard = _tokens("i am saying a bunch of words here unless to be rather cold hearted is to be ill disposed")
    blocks = anchored_blocks(script, heard)
    paired = {i: j for i, j, n in blocks for i, j in zip(range(i, i + n), range(j, j + n))}
    assert paired[script.index("saying")] == heard.index("saying")
    assert all(i >= script.index("i", 8) for i in paired)  # nothing of the unheard opening is paired


def test_a_paragraph_nobody_said_shares_no_chance_words():
    from aligner.timing.matching import anchored_blocks

    said = _tokens("the press yard was the scene of the execution")
    unsaid = _tokens("in the middle of the night the wind blew over the hills and the rain fell on the town")
    blocks = anchored_blocks(said + unsaid + said, said + said)
    paired = [i for i, _, n in blocks for i in range(i, i + n)]
    assert not [i for i in paired if len(said) <= i < len(said) + len(unsaid)]


def test_the_run_that_goes_on_unbroken_is_the_one_said():
    # "... therefore | that the forms ... Ages. | The earliest book": the middle paragraph is
    # not said; "the" heard before "earliest" is the next paragraph's, not the unsaid one's.
    from aligner.timing.matching import anchored_blocks

    script = _tokens("it was natural therefore that the forms of letters were copied in the middle ages "
                     "the earliest book printed was a bible")
    heard = _tokens("it was natural therefore the earliest book printed was a bible")
    blocks = anchored_blocks(script, heard)
    assert (script.index("the", 15), heard.index("the"), 7) in blocks


def test_hesitations_and_false_starts_are_never_unheard_nor_untranscribed():
    words = "well should we just go around and everyone says what they d- what they've been doing um".split()
    m = match(words, heard("should we just go around and everyone says what they've been doing"),
              speech_between=lambda a, b: 0.0)
    assert not m.unheard and not m.untranscribed
    m = match("so this is the corpus".split(), heard("uh um uh so this is er the corpus"))
    assert not m.untranscribed


def test_a_speaker_talking_over_the_next_has_room_for_their_words():
    words = "Funky sh- stuff like that Wonder how much of the meetings is talking about".split()
    speakers = ["A"] * 5 + ["B"] * 9
    rec = heard("wonder how much of the meetings is talking about", start=0.5)
    voice = [(0.0, 4.0)]

    def between(a: float, b: float) -> float:
        return sum(max(0.0, min(b, y) - max(a, x)) for x, y in voice)

    alone = match(words, rec, speech_between=between)
    assert [(s.first, s.stop) for s in alone.unheard] == [(0, 5)]  # one voice: no room before "Wonder"
    together = match(words, rec, speech_between=between, speakers=speakers)
    assert not together.unheard  # A's words are said under B's first ones


def test_a_paragraph_said_elsewhere_than_the_transcript_has_it_is_found():
    from aligner.timing.matching import said_elsewhere

    p1 = "the invention of printing came from the east"
    p2 = "gutenberg printed his bible with movable type in mainz"
    p3 = "the earliest books imitated the written hand closely"
    words = f"{p1} {p3} {p2}".split()  # p2 and p3 swapped
    rec = heard(f"{p1} {p2} {p3}")
    m = match(words, rec, speech_between=lambda a, b: 0.0)
    moves = said_elsewhere(m, words, rec)
    first, stop, there = moves[0]
    assert " ".join(words[first:stop]) in (p2, p3)
    assert there.at in (len(p1.split()), len(words))
    assert " ".join(w.text for w in rec[there.first:there.stop]) == " ".join(words[first:stop])
