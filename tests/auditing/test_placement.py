"""Cues found where they are shown (``auditing.placement``), on words and times written out."""

from __future__ import annotations

from aligner.auditing.inputs import AuditInputs
from aligner.auditing.options import AuditOptions
from aligner.auditing.placement import shown_first, twin_of
from aligner.auditing.words import all_cue_words
from aligner.hearing.heard import HeardWord, Recognition
from aligner.subtitles.subtitle_cue import SubtitleCue
from aligner.timing.matching import Matching, Span


def _inputs(cues: list[tuple[float, float, str]], heard: list[tuple[float, str]]) -> AuditInputs:
    subtitle_cues = tuple(SubtitleCue(n + 1, a, b, (text,)) for n, (a, b, text) in enumerate(cues))
    words, owner = all_cue_words(subtitle_cues)
    rec = Recognition("en", 1.0, 30.0, (), tuple(HeardWord(w, t, t + 0.3) for t, w in heard), ((0.0, 30.0),))
    return AuditInputs(None, rec, subtitle_cues, tuple(words), tuple(owner), "en", "en", "en",  # type: ignore[arg-type]
                       AuditOptions())


# A translated quote (cue 1, over speech in another language, nothing heard in English) and
# the narrator's paraphrase of it (cue 2), whose words the matcher gave to cue 1: a tie.
QUOTE = [(2.0, 6.0, "He decided to switch to the Ukrainian side and join the legion."),
         (10.0, 13.0, "He decided to switch to the Ukrainian side")]
NARRATOR = [(10.0 + 0.3 * n, w) for n, w in enumerate("He decided to switch to the Ukrainian side".split())]


def test_a_twin_line_gives_the_speech_back_to_the_cue_shown_over_it():
    inputs = _inputs(QUOTE, NARRATOR)
    tied = Matching(tuple((i, i) for i in range(8)), (Span(8, 20),), ())  # cue 1's first 8 of 12 words
    assert twin_of(inputs, dict(tied.pairs), 0) == 1
    placed = shown_first(inputs, tied)
    assert dict(placed.pairs) == {12 + n: n for n in range(8)}  # cue 2's words, one for one
    assert Span(0, 12) in placed.unheard and Span(8, 20) not in placed.unheard


def test_a_cue_found_where_it_is_shown_keeps_its_words():
    inputs = _inputs(QUOTE, NARRATOR)
    right = Matching(tuple((12 + n, n) for n in range(8)), (Span(0, 12),), ())
    assert twin_of(inputs, dict(right.pairs), 1) is None
    assert shown_first(inputs, right) is right


def test_a_shifted_cue_with_no_twin_stays_shifted():
    # The cue shown over the speech says other words: cue 1 was shown 8 s early, not matched by a tie.
    inputs = _inputs([(2.0, 6.0, QUOTE[1][2]), (10.0, 13.0, "Something else entirely is said here today")],
                     NARRATOR)
    shifted = Matching(tuple((n, n) for n in range(8)), (), ())
    assert twin_of(inputs, dict(shifted.pairs), 0) is None
    assert shown_first(inputs, shifted) is shifted
