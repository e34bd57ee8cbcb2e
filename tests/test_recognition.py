"""Recognition's pure part: how a long file is cut into blocks for the recogniser."""

from __future__ import annotations

from aligner.recognition import blocks


def test_a_short_file_is_one_block():
    assert blocks(120.0, [(1.0, 50.0), (52.0, 119.0)]) == [(0.0, 120.0)]


def test_long_files_are_cut_in_the_middle_of_the_longest_pause_near_five_minutes():
    speech = [(k * 10.0, k * 10.0 + 9.5) for k in range(90)]  # 15 minutes, 0.5 s pauses
    speech[27] = (270.0, 277.0)  # a 3 s pause from 277 s, inside the last minute of the block
    cuts = blocks(900.0, speech)
    assert cuts[0] == (0.0, 278.5)
    assert all(b - a <= 300.0 for a, b in cuts)
    assert [a for a, _ in cuts[1:]] == [b for _, b in cuts[:-1]] and cuts[-1][1] == 900.0


def test_without_a_pause_in_reach_the_cut_falls_at_five_minutes():
    assert blocks(700.0, [(0.0, 700.0)]) == [(0.0, 300.0), (300.0, 600.0), (600.0, 700.0)]
