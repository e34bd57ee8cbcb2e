"""Speech levels beside the recording's own (``aligner.auditing.level``), on loudness arrays."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.auditing.level import faint, speech_level, stretch_level


def _loudness(*parts: tuple[float, float]) -> np.ndarray:
    """10 ms frames: (seconds, dB) in turn."""
    return np.concatenate([np.full(round(s * 100), db) for s, db in parts])


def test_a_stretch_is_as_loud_as_its_voiced_peaks_not_its_pauses():
    db = _loudness((0.5, -90.0), (0.5, -25.0), (1.0, -90.0))  # a word, then a long pause
    assert stretch_level(db, 0.0, 2.0, 90) == pytest.approx(-25.0)
    assert stretch_level(db, 1.0, 2.0, 90) == pytest.approx(-90.0)
    assert stretch_level(db, 5.0, 6.0, 90) is None  # past the end: no frames


def test_faint_speech_is_judged_against_the_median_cue_not_the_loudest():
    # FLEURS-fr: a first speaker 26-29 dB under the others, whose level is about -29.6 dB
    db = _loudness((9.0, -57.6), (30.0, -29.6), (10.0, -12.0))
    cues = [(0.0, 9.0), (9.0, 19.0), (19.0, 29.0), (29.0, 39.0), (39.0, 49.0)]
    reference = speech_level(db, cues, 90)
    assert reference == pytest.approx(-29.6)
    assert faint(stretch_level(db, 6.82, 9.0, 90), reference, 24.0)
    # the panel's speaker who talks "slightly lower in intensity", 16.5 dB under: not faint
    assert not faint(reference - 16.5, reference, 24.0)
    assert not faint(None, reference, 24.0) and not faint(-80.0, None, 24.0)
