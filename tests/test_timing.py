"""Timing's pure parts: words re-timed by different means put back in order."""

from __future__ import annotations

from aligner.results import WordTime
from aligner.timing import FRAME, in_order


def test_a_word_ends_where_the_next_one_starts():
    times = {0: WordTime(1.0, 1.6, 0.9), 1: WordTime(1.5, 2.0, 0.8), 2: WordTime(2.1, 2.5, 0.7)}
    out = in_order(times)
    assert out[0] == (1.0, 1.5, 0.9)
    assert (out[1], out[2]) == (times[1], times[2])
    assert times[0] == (1.0, 1.6, 0.9)  # the input is left as it was


def test_a_word_keeps_a_frame_however_close_the_next():
    out = in_order({0: WordTime(1.0, 1.6, 0.9), 1: WordTime(0.99, 2.0, 0.8)})
    assert out[0][1] == 1.0 + FRAME
