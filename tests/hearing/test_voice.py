"""Where there is voice and what the encoder sees, on numbers: chunks cut in pauses, voice
the decoder skipped, sound the voice detector missed."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.hearing.voice import believable, chunk_spans, uncovered


def test_regions_of_voice_are_packed_into_chunks_of_at_most_thirty_seconds():
    speech = [(k * 10.0 + 1.0, k * 10.0 + 9.0) for k in range(9)]  # 90 s, 2 s pauses
    spans = chunk_spans(speech, 90.0)
    assert len(spans) == 3  # three regions (28.4 s with their pauses) to a chunk
    assert all(b - a <= 30.0 for a, b in spans)
    # every region lies whole in one chunk, with up to 0.2 s of its pauses around it
    for a, b in speech:
        assert sum(1 for s0, s1 in spans if s0 <= a - 0.2 + 1e-9 and b + 0.2 <= s1 + 1e-9) == 1


def test_chunks_leave_out_silence_and_never_pad_past_a_pause_middle():
    spans = chunk_spans([(5.0, 10.0), (10.1, 12.0), (100.0, 110.0)], 120.0)
    assert spans == [(4.8, 12.2), (99.8, 110.2)]
    tight = chunk_spans([(0.0, 20.0), (20.1, 40.0)], 40.0)
    assert tight[0] == (0.0, 20.05) and tight[1][0] == 20.05


def test_a_region_longer_than_a_chunk_is_cut_in_pieces():
    spans = chunk_spans([(0.0, 100.0)], 100.0)
    assert all(b - a <= 30.0 for a, b in spans)
    assert spans[0][0] == 0.0 and spans[-1][1] == 100.0
    assert sum(min(b, 100.0) - max(a, 0.0) for a, b in spans) >= 100.0


def test_no_voice_no_chunks():
    assert chunk_spans([], 60.0) == []


def test_voice_that_no_word_is_near_is_skipped_speech():
    speech = [(0.0, 30.0)]
    words = [(float(t), t + 0.4) for t in range(0, 10)] + [(float(t), t + 0.4) for t in range(22, 30)]
    [(a, b)] = uncovered(speech, words, (0.0, 30.0), 0.3, 1.0)
    assert (a, b) == pytest.approx((9.7, 21.7))


def test_a_word_stretched_over_skipped_voice_does_not_cover_it():
    # "He decided": the decoder leapt 22 s of voice, and the word timestamps laid "decided"
    # over all of it; its voice must still count as skipped
    speech = [(146.9, 163.2), (163.8, 168.5), (168.9, 170.5)]
    words = [(146.9, 147.24), (147.24, 169.46), (169.46, 170.0), (170.0, 170.46)]
    kept = believable(speech, words, 3.0)
    assert kept == [words[0], words[2], words[3]]
    holes = uncovered(speech, kept, (146.9, 175.9), 0.3, 1.0)
    assert [(round(a, 2), round(b, 2)) for a, b in holes] == [(147.54, 163.2), (163.8, 168.5)]


def test_short_holes_and_voice_outside_the_chunk_are_not_skipped_speech():
    words = [(0.0, 1.0), (1.8, 3.0)]
    assert uncovered([(0.0, 3.0)], words, (0.0, 3.0), 0.3, 1.0) == []
    assert uncovered([(0.0, 3.0), (50.0, 60.0)], words, (0.0, 30.0), 0.3, 1.0) == []


def test_spans_close_together_are_grouped_up_to_a_chunk():
    from aligner.hearing.voice import near_groups

    spans = [(0.0, 2.0), (2.4, 5.0), (7.0, 8.0), (8.5, 40.0)]
    assert near_groups(spans, 1.0, 30.0) == [[(0.0, 2.0), (2.4, 5.0)], [(7.0, 8.0)], [(8.5, 40.0)]]
    assert near_groups(spans, 3.0, 30.0) == [[(0.0, 2.0), (2.4, 5.0), (7.0, 8.0)], [(8.5, 40.0)]]
    assert near_groups([], 1.0, 30.0) == []


def _loudness(pieces: list[tuple[float, float, float]], seconds: float, floor: float = -60.0) -> np.ndarray:
    """10 ms frames at ``floor`` dB with (start, end, dB) stretches louder."""
    db = np.full(int(seconds * 100), floor)
    for a, b, level in pieces:
        db[int(a * 100):int(b * 100)] = level
    return db


def test_sound_the_voice_detector_missed_is_found_and_its_edges_are_not():
    from aligner.hearing.voice import missed_sound

    # voice found at 1-3 s; a voice it missed at 5-9 s (18 dB over the room); a breath at 12 s
    db = _loudness([(1.0, 3.0, -25.0), (5.0, 9.0, -42.0), (12.0, 12.2, -40.0), (3.0, 3.2, -40.0)], 15.0)
    assert missed_sound(db, [(1.0, 3.0)]) == [(5.0, 9.0)]
    quiet_room = _loudness([(1.0, 3.0, -25.0)], 15.0, floor=-100.0)  # digital silence between
    assert missed_sound(quiet_room, [(1.0, 3.0)]) == []


def test_missed_sound_is_voice_only_where_words_were_heard_in_it():
    from aligner.hearing.encodings import Encodings
    from aligner.hearing.heard import HeardWord
    from aligner.hearing.voice import Layout

    layout = Layout(((1.0, 3.0),), ((5.0, 9.0), (20.0, 40.0)), [(0.8, 9.2), (19.8, 40.2)], Encodings([]))
    heard = [HeardWord("so", 5.2, 5.5), HeardWord("this", 5.5, 5.9), HeardWord("is", 6.0, 6.3),
             HeardWord("Thanks", 30.0, 30.5)]  # a word heard in three minutes of music is no voice
    assert layout.missed_voice(heard) == ((5.2, 6.3),)
