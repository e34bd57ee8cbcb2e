"""Timing's pure parts: estimates between anchors, windows, starts moved onto the audio, and
words re-timed by different means put back in order."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.hearing.heard import HeardWord
from aligner.results import WordTime
from aligner.timing.matching import Matching, Span
from aligner.timing.whisper import (
    FRAME,
    MAX_WINDOW,
    TIMING,
    after_pauses,
    barriers_of,
    chunk_walls,
    estimate_times,
    in_order,
    plan_windows,
    refine,
    said_after,
    voiced_wall,
)


def test_a_word_ends_where_the_next_one_starts():
    times = {0: WordTime(1.0, 1.6, 0.9), 1: WordTime(1.5, 2.0, 0.8), 2: WordTime(2.1, 2.5, 0.7)}
    out = in_order(times)
    assert out[0] == (1.0, 1.5, 0.9)
    assert (out[1], out[2]) == (times[1], times[2])
    assert times[0] == (1.0, 1.6, 0.9)  # the input is left as it was


def test_a_word_keeps_a_frame_however_close_the_next():
    out = in_order({0: WordTime(1.0, 1.6, 0.9), 1: WordTime(0.99, 2.0, 0.8)})
    assert out[0][1] == 1.0 + FRAME


# --- estimates between anchors -----------------------------------------------------------------

def test_words_between_anchors_share_the_time_by_length():
    words = ["one", "a", "longer", "two"]
    heard = [HeardWord("one", 1.0, 1.3), HeardWord("two", 3.0, 3.3)]
    est = estimate_times(words, Matching(((0, 0), (3, 1)), (), ()), heard, 10.0)
    assert est[0] == (1.0, 1.3) and est[3] == (3.0, 3.3)
    (a0, a1), (b0, b1) = est[1], est[2]
    assert a0 == pytest.approx(1.3) and b1 == pytest.approx(3.0) and a1 == pytest.approx(b0)
    assert (b1 - b0) / (a1 - a0) == pytest.approx(7 / 2)  # "longer " against "a "


def test_words_before_the_first_anchor_get_the_speech_rate():
    words = ["three", "words", "here"]
    heard = [HeardWord("here", 5.0, 5.4)]
    est = estimate_times(words, Matching(((2, 0),), (), ()), heard, 10.0)
    spoken = TIMING.seconds_per_char * (len("three ") + len("words "))
    assert est[0][0] == pytest.approx(5.0 - spoken) and est[1][1] == pytest.approx(5.0)


def test_with_no_anchor_words_are_laid_over_the_whole_file():
    est = estimate_times(["ab", "ab"], Matching((), (), ()), [], 6.0)
    assert est == [(0.0, 3.0), (3.0, 6.0)]


def _quote_between(transcript: list[str]) -> tuple[list[HeardWord], Matching]:
    """``transcript`` between "said" and "then", with five foreign words heard between them
    from 2 s to 5.9 s, matched as speech the transcript lacks before word 1."""
    heard = [HeardWord("said", 1.0, 1.5), *(HeardWord(w, 2.0 + k * 0.8, 2.7 + k * 0.8)
                                          for k, w in enumerate("ich habe das so gesagt".split())),
             HeardWord("then", 6.0, 6.4)]
    n = len(transcript)
    return heard, Matching(((0, 0), (n - 1, 6)), (), (Span(1, 6, 1),))


def test_foreign_speech_between_anchors_keeps_the_transcript_out_of_its_time():
    words = ["said", "then"]
    heard, matching = _quote_between(words)
    assert barriers_of(matching, heard, words, 10.0) == [(1, 2.0, 5.9)]


def test_foreign_speech_that_leaves_the_words_around_it_no_room_is_those_words_misheard():
    # A translated line under the voice it translates, that voice heard as nonsense: the
    # line's words have 0.1 s beside it for 1 s of words, so they lie over it.
    words = ["said", "I", "did", "say", "it", "so", "then"]
    heard, matching = _quote_between(words)
    assert barriers_of(matching, heard, words, 10.0) == []
    est = estimate_times(words, matching, heard, 10.0)
    assert est[1][0] == pytest.approx(1.5) and est[5][1] == pytest.approx(6.0)
    assert all(a < b for a, b in est[1:6])


def test_a_wall_reaches_the_edges_of_its_voice_when_they_are_near():
    words = ["said", "then"]
    heard, matching = _quote_between(words)
    # the voice detector hears the quote from 1.9 s to 6.1 s: 0.1 s and 0.2 s beyond its words
    assert barriers_of(matching, heard, words, 10.0, [(1.9, 6.1)]) == [(1, 1.9, 6.1)]


def test_a_wall_does_not_reach_voice_that_goes_on_into_other_words():
    # one voice region from 1.0 s to 6.4 s: the quote runs into the words around it unpaused
    assert voiced_wall((1, 2.0, 5.9), [(1.0, 6.4)], 0.25) == (1, 2.0, 5.9)
    assert voiced_wall((1, 2.0, 5.9), [(1.0, 2.2), (2.5, 6.0)], 0.25) == (1, 2.0, 6.0)


# --- windows ---------------------------------------------------------------------------------

def test_windows_fit_whisper_and_end_at_the_longest_pause():
    est = [(k * 0.5, k * 0.5 + 0.4) for k in range(120)]  # a minute of words, 0.1 s apart
    est[40:] = [(s + 0.3, e + 0.3) for s, e in est[40:]]  # a pause before word 40 (20 s) ...
    windows = plan_windows(est, list(range(120)), 61.0)
    assert windows[0].stop == 40  # ... ends the first window there
    assert [w.first for w in windows[1:]] == [w.stop for w in windows[:-1]]  # each word once
    assert windows[-1].stop == 120
    assert all(w.end - w.start <= MAX_WINDOW for w in windows)


def test_no_window_reaches_across_untranscribed_speech():
    est = [(k * 0.5, k * 0.5 + 0.4) for k in range(20)]
    windows = plan_windows(est, list(range(20)), 20.0, barriers=[(10, 5.0, 8.0)])
    assert [(w.first, w.stop) for w in windows] == [(0, 10), (10, 20)]
    assert windows[0].end <= 5.0 and windows[1].start >= 8.0


def test_windows_lie_in_one_encoded_chunk_each():
    est = [(k * 0.5, k * 0.5 + 0.4) for k in range(100)]  # 50 s of words
    chunks = [(0.0, 24.75), (24.75, 50.0)]
    walls = chunk_walls(est, list(range(100)), chunks)
    assert walls == [(50, 24.75, 24.75)]  # word 50 (24.9-25.3 s) is the first of the second chunk
    windows = plan_windows(est, list(range(100)), 50.0, barriers=walls)
    assert all(any(a <= w.start and w.end <= b for a, b in chunks) for w in windows)
    assert [w.first for w in windows[1:]] == [w.stop for w in windows[:-1]] and windows[-1].stop == 100


# --- refinement ------------------------------------------------------------------------------

def test_a_start_in_silence_moves_to_where_voice_begins():
    db = np.full(300, -20.0)
    db[:150] = -80.0  # silence until 1.5 s
    out = refine({0: WordTime(1.2, 1.9, 0.9)}, db, speech=[(1.5, 3.0)])
    assert out[0].start == pytest.approx(1.5, abs=0.011)
    assert out[0].probability == 0.9


def test_a_start_moves_onto_the_dip_before_the_word():
    db = np.full(300, -20.0)
    db[95:103] = -40.0  # the quiet between two words, ending at 1.02 s
    # aligned inside the word before (loud), the dip 20-90 ms later is where it starts
    out = refine({0: WordTime(0.5, 0.93, 0.9), 1: WordTime(0.93, 1.5, 0.9)}, db, speech=[(0.0, 3.0)])
    assert out[1].start == pytest.approx(1.02, abs=0.011)
    assert out[0].end <= out[1].start


# --- words laid across a pause ------------------------------------------------------------------

SENTENCES = [(1.0, 4.8), (7.0, 9.5)]  # two sentences, 2.2 s of silence between


def test_a_word_with_a_few_frames_of_voice_before_a_pause_is_said_after_it():
    # "nous" (0.3 s to say) laid from 4.65 s: 0.15 s of the last sentence's voice, then silence
    assert said_after(4.65, 6.0, need=0.3, speech=SENTENCES) == 7.0
    assert said_after(4.65, 7.3, need=0.3, speech=SENTENCES) == 7.0  # reaching into the next voice too


def test_a_sentence_end_laid_into_the_pause_stays_before_it():
    # "capacités." with 0.7 s of its voice before the pause, its aligned end in the silence
    assert said_after(4.1, 6.5, need=0.66, speech=SENTENCES) is None
    assert said_after(2.0, 2.5, need=0.3, speech=SENTENCES) is None  # inside the voice: no pause
    # a pause shorter than a heard one is refine's (the energy dip), not this rule's
    assert said_after(4.75, 5.2, need=0.3, speech=[(1.0, 4.8), (5.0, 9.5)]) is None


def test_the_words_laid_in_the_silence_follow_the_first_after_the_pause():
    texts = ["malveillant", "nous", "sommes", "d'accord"]
    times = {0: WordTime(3.9, 4.6, 0.9), 1: WordTime(4.65, 6.1, 0.8), 2: WordTime(6.1, 7.3, 0.7),
             3: WordTime(7.3, 7.8, 0.9)}
    out = after_pauses(times, texts, SENTENCES)
    assert out[0] == times[0] and out[3] == times[3]
    assert out[1].start == 7.0 and out[1].end == pytest.approx(out[2].start) and out[2].end == 7.3
    assert out[2].start - out[1].start == pytest.approx(0.3 * 5 / 12, abs=0.01)  # shared by length
    assert [p for _, _, p in out.values()] == [0.9, 0.8, 0.7, 0.9]
    assert times[1] == (4.65, 6.1, 0.8)  # the input is left as it was
    # the text's punctuation says "nous." ends its sentence: it stays before the pause
    kept = after_pauses(times, texts, SENTENCES, sentence_end=[False, True, False, False])
    assert kept[1] == times[1] and kept[2].start == 7.0


def test_a_word_alone_in_the_silence_takes_the_time_it_needs_after_it():
    out = after_pauses({0: WordTime(5.0, 5.5, 0.9), 1: WordTime(8.0, 8.4, 0.9)}, ["se", "puede"], SENTENCES)
    assert out[0].start == 7.0 and out[0].end == pytest.approx(7.18)
    assert out[1] == (8.0, 8.4, 0.9)
