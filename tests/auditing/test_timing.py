"""The audit's timing rules (``aligner.auditing.timing``), on numbers: when a cue has moved."""

from __future__ import annotations

import pytest

from aligner.auditing.timing import moved_together


@pytest.mark.parametrize(("start", "end", "moved"), [
    (2.5, 2.6, True),  # shown 2.5 s late: both ends late by it, the lead-out aside
    (-2.5, -2.3, True),  # early
    (0.7, 0.5, True),  # just over the threshold, the end with it
    (2.38, 0.45, False),  # the real panel: a first word laid early across a pause, the end as given
    (2.5, -2.5, False),  # the ends moved apart: a cue too long, not a cue moved
    (0.7, 0.2, False),  # the end within half the threshold of its word
])
def test_a_cue_moved_when_its_end_moved_with_its_start(start, end, moved):
    assert moved_together(start, end, threshold=0.5, agreement=0.5) is moved
