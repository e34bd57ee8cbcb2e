"""Offset and drift estimation, without audio."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.auditing.sync import fit_sync, sync_by_activity


@pytest.mark.parametrize("offset", [0.3, 2.0, 12.5, 30.0])
def test_offset_recovered_despite_bad_cues(offset):
    rng = np.random.default_rng(1)
    spoken = np.sort(rng.uniform(0, 600, 80))
    published = spoken + offset + rng.normal(0, 0.02, 80)
    published[::9] += rng.uniform(-3, 3, len(published[::9]))  # a few cues shifted on their own
    sync = fit_sync(spoken, published)
    assert sync.offset == pytest.approx(offset, abs=0.02)
    assert sync.drift == 0.0


def test_drift_recovered():
    spoken = np.linspace(5, 1800, 200)
    sync = fit_sync(spoken, spoken * 25 / 23.976 + 0.4)
    assert sync.drift == pytest.approx(25 / 23.976 - 1, abs=1e-5)
    assert sync.to_spoken(sync.to_published(100.0)) == pytest.approx(100.0)


def test_offset_from_voice_activity():
    speech = [(t, t + 2.0) for t in np.arange(3.0, 200.0, 3.1)]
    cues = [(a + 4.2, b + 4.2) for a, b in speech]
    assert sync_by_activity(cues, speech, 210.0).offset == pytest.approx(4.2, abs=0.011)
