"""The guided hearing's decisions, on words and numbers: where chunks begin in the transcript,
which words are a chunk's, and when a chunk's alignment is not believed."""

from __future__ import annotations

import pytest

from aligner.results import WordTime
from aligner.timing.guided import chunk_texts, handed_over, place_chunks, trailing, unsure

from ..helpers import FIXTURES

TEXT = ("they publish videos of their fighting accompanied by martial music "
        "we didnt make empty promises it was really "
        "they are part of the ukrainian armed forces but").split()


def test_chunks_are_placed_by_their_opening_words_misheard_or_not():
    openings = [
        "they publish videos of their fighting accompanied by".split(),
        "we didnt make him take promises but was".split(),  # "empty" misheard
        "a part of the ukrainian armed forces but".split(),  # "they are" heard as "a"
    ]
    assert place_chunks(TEXT, openings) == [0, 10, 19]  # "a" taken for "are"


def test_a_chunk_whose_opening_is_not_in_the_transcript_is_not_placed():
    openings = ["they publish videos of".split(), "ich habe beschlossen auf die".split(), ["we"],
                "part of the ukrainian armed".split()]
    assert place_chunks(TEXT, openings) == [0, None, None, 20]


def test_an_unplaced_chunks_words_go_to_the_chunk_before():
    assert chunk_texts([3, 10, None, 19], 26) == [(0, 10), (10, 19), None, (19, 26)]
    assert chunk_texts([3, None], 26) == [(0, 26), None]
    assert chunk_texts([None, 5], 26) == [None, (5, 26)]


def _times(spans: list[tuple[float, float]]) -> dict[int, WordTime]:
    return {i: WordTime(a, b, 0.9) for i, (a, b) in enumerate(spans)}


def test_words_squeezed_into_a_chunks_last_frame_are_not_its_own():
    times = _times([(0.0, 0.4), (0.4, 0.9), (0.9, 0.92), (0.92, 0.94)])
    assert trailing(0, 4, times, 0.021) == 2
    assert trailing(0, 2, times, 0.021) == 2


def test_a_word_or_two_squeezed_at_a_boundary_go_to_the_next_chunk_more_unplace_it():
    ranges = [(0, 10), (10, 19), (19, 26)]
    out, changed = handed_over(ranges, [9, 19, 26], lead=2)
    assert out == [(0, 9), (9, 19), (19, 26)] and changed == {0, 1}
    out, changed = handed_over(ranges, [6, 19, 26], lead=2)
    assert out == [(0, 6), None, (19, 26)]


def test_words_that_lie_on_the_voice_as_speech_does_are_believed():
    speech = [(0.0, 1.0), (1.3, 2.5)]
    words = ["we", "didnt", "make", "empty", "promises"]
    times = _times([(0.0, 0.3), (0.3, 0.7), (0.7, 1.0), (1.3, 1.8), (1.8, 2.5)])
    assert unsure(0, 5, times, words, speech, (0.0, 2.6)) is None


def test_speech_the_transcript_lacks_under_a_stretched_word_is_not_believed():
    speech = [(0.0, 1.0), (1.2, 6.0)]  # four seconds of a quote nobody transcribed
    words = ["we", "didnt", "make"]
    times = _times([(0.0, 0.3), (0.3, 0.7), (0.7, 6.0)])
    assert "stretched" in unsure(0, 3, times, words, speech, (0.0, 6.1))


def test_voice_no_word_is_near_is_not_believed():
    speech = [(0.0, 1.0), (2.0, 4.0)]
    times = _times([(0.0, 0.3), (0.3, 0.7), (0.7, 1.0)])
    assert "with no word" in unsure(0, 3, times, ["we", "didnt", "make"], speech, (0.0, 4.1))


def test_a_word_squeezed_into_a_frame_is_not_believed():
    times = _times([(0.0, 0.3), (0.3, 0.32), (0.32, 1.0)])
    assert "squeezed" in unsure(0, 3, times, ["we", "didnt", "make"], [(0.0, 1.0)], (0.0, 1.1))


def test_a_word_laid_across_a_long_pause_is_not_believed():
    # a title said at 0.5 s, the verse from 3.1 s: "When" laid from the title across the pause
    speech = [(0.5, 0.83), (3.07, 5.8)]
    times = _times([(0.31, 0.63), (0.63, 3.27), (3.27, 3.75)])
    assert "across" in unsure(0, 3, times, ["II", "When", "forty"], speech, (0.3, 6.0))


def test_a_sentence_end_laid_on_across_the_pause_after_it_is_believed():
    speech = [(0.0, 1.2), (2.6, 3.5)]
    times = _times([(0.0, 0.5), (0.5, 2.6), (2.6, 3.5)])  # "obra." runs on to the next word
    assert unsure(0, 3, times, ["su", "obra.", "Pedro"], speech, (0.0, 3.6)) is None


@pytest.mark.model
def test_the_sure_chunks_words_are_handed_on_before_the_doubtful_ones_are_decoded():
    """``on_sure`` gets, once and before any free decoding, the times the result will give
    the words it takes as transcribed: what ``acoustic.Ahead`` re-times meanwhile."""
    from aligner.hearing import recognition
    from aligner.runtime import media
    from aligner.runtime.model import load_model
    from aligner.text.transcript import load
    from aligner.timing.guided import hear_guided

    texts = [w.text for w in load(FIXTURES / "news_transcript.txt").words]
    events: list[str] = []
    handed: list[dict[int, WordTime]] = []
    real = recognition._decode_group

    def decode(*args, **kwargs):
        events.append("open" if kwargs.get("max_new_tokens") else "free")
        return real(*args, **kwargs)

    def sure(times, speech, language):
        events.append("sure")
        handed.append(times)

    with media.decode(FIXTURES / "news.mp4") as audio, pytest.MonkeyPatch.context() as mp:
        mp.setattr(recognition, "_decode_group", decode)
        rec = hear_guided(load_model(), audio, texts=texts, on_sure=sure)
    assert events.count("sure") == 1
    assert "free" in events and "free" not in events[:events.index("sure")]  # the German line's chunk
    [times] = handed
    placed = [rec.words[h] for h in rec.placed]
    assert len(times) == len(placed) > 100  # most chunks (six of seven here)
    assert [(times[i].start, times[i].end) for i in sorted(times)] == [(w.start, w.end) for w in placed]


def test_a_chunk_with_sound_the_voice_detector_missed_among_its_voice_is_heard():
    from aligner.timing.guided import unheard_sound

    speech = [(58.0, 58.4), (64.6, 64.8), (67.7, 68.4)]  # fragments of a voice with a cold
    assert unheard_sound([(65.1, 66.5)], (58.6, 88.0), speech) is not None
    assert unheard_sound([(65.1, 66.5)], (29.6, 58.6), speech) is None  # another chunk's
    assert unheard_sound([(0.2, 3.8)], (0.0, 27.6), [(4.5, 6.4), (6.6, 8.1)]) is None  # a music intro
