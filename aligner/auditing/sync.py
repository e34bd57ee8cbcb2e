"""Whole-file timing faults of published subtitles: a constant offset and a linear drift.

Estimated once from every cue whose words were found in the audio (a robust line through
(spoken start, published start) pairs), or, where the speech is in another language, from
when cues are shown against when there is voice (cross-correlation, as ffsubsync does). The
per-cue checks then look only at what is left after this model.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Sync", "fit_sync", "refine_by_onsets", "sync_by_activity"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sync:
    """published = spoken * (1 + drift) + offset."""

    offset: float = 0.0  # seconds, at time zero
    drift: float = 0.0  # relative: 25/23.976 - 1 = 0.0427
    cues_used: int = 0
    spread: float = 0.0  # median absolute residual of the cues it was estimated from, seconds

    @property
    def drift_ppm(self) -> float:
        return self.drift * 1e6

    def to_published(self, spoken: float) -> float:
        return spoken * (1 + self.drift) + self.offset

    def to_spoken(self, published: float) -> float:
        return (published - self.offset) / (1 + self.drift)


def fit_sync(spoken: Sequence[float], published: Sequence[float], min_span: float = 20.0) -> Sync:
    """Theil–Sen line through the pairs: half the cues may be wrong without moving it.

    A drift is only fitted when the pairs span enough time for a slope to mean something.
    """
    x = np.asarray(spoken, float)
    y = np.asarray(published, float)
    n = len(x)
    if n == 0:
        return Sync()
    slope = 1.0
    if n >= 4 and x.max() - x.min() >= min_span:
        i, j = _pairs(n)
        dx = x[j] - x[i]
        ok = dx > 1.0
        if ok.sum() >= 3:
            slope = float(np.median((y[j] - y[i])[ok] / dx[ok]))
    if abs(slope - 1.0) < 2e-4:  # under 0.2 s an hour: rounding, not drift
        slope = 1.0
    offset = float(np.median(y - slope * x))
    spread = float(np.median(np.abs(y - slope * x - offset)))
    log.debug("Theil-Sen over %d anchors: offset %.3f s, drift %.0f ppm, spread %.3f s",
              n, offset, (slope - 1.0) * 1e6, spread)
    return Sync(offset=offset, drift=slope - 1.0, cues_used=n, spread=spread)


def _pairs(n: int, most: int = 1_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs for Theil–Sen: all of them, or for many cues (10,000 give 50 million) a
    fixed random sample of ``most`` of them, which estimates the same median slope."""
    if n * (n - 1) // 2 <= most:
        return np.triu_indices(n, k=1)
    rng = np.random.default_rng(0)  # the same sample every run: the same verdicts
    a, b = rng.integers(0, n, most), rng.integers(0, n, most)
    keep = a != b
    return np.minimum(a, b)[keep], np.maximum(a, b)[keep]


def _activity(spans: Sequence[tuple[float, float]], n: int, rate: int) -> np.ndarray:
    sig = np.zeros(n, np.float32)
    for a, b in spans:
        sig[max(0, int(a * rate)):max(0, min(n, int(b * rate)))] = 1.0
    return sig


def sync_by_activity(cues: Sequence[tuple[float, float]], speech: Sequence[tuple[float, float]],
                     duration: float, max_offset: float = 60.0, rate: int = 100) -> Sync:
    """The shift of the cues that best lays them over the voice activity (FFT correlation)."""
    span = duration + max_offset
    n = int(span * rate) + 1
    size = 1 << int(np.ceil(np.log2(2 * n)))
    c = _activity(cues, n, rate) * 2 - 1  # +1 shown, -1 not: agreement on silence counts too
    s = _activity(speech, n, rate) * 2 - 1
    corr = np.fft.irfft(np.fft.rfft(c, size) * np.conj(np.fft.rfft(s, size)), size)
    lags = np.concatenate([np.arange(0, int(max_offset * rate) + 1), np.arange(-int(max_offset * rate), 0)])
    values = np.concatenate([corr[: int(max_offset * rate) + 1], corr[size - int(max_offset * rate):]])
    best = lags[int(np.argmax(values))]
    return Sync(offset=best / rate, drift=0.0, cues_used=len(cues))


def refine_by_onsets(sync: Sync, cue_starts: Sequence[float], onsets: Sequence[float],
                     within: float = 0.5) -> Sync:
    """Sharpen an activity-based offset: cues start where speech starts, so the median gap
    between each cue's start and the nearest onset of voice is what is left to remove."""
    if not onsets or not cue_starts:
        return sync
    ons = np.asarray(sorted(onsets))
    gaps = []
    for c in cue_starts:
        t = sync.to_spoken(c)
        i = int(np.searchsorted(ons, t))
        near = min((ons[j] for j in (i - 1, i) if 0 <= j < len(ons)), key=lambda o: abs(o - t))
        if abs(near - t) <= within:
            gaps.append(t - near)
    if len(gaps) < max(3, len(cue_starts) // 3):
        # Too few cues start near voice for the offset to be confirmed: report it unconfirmed.
        log.debug("offset %.3f s unconfirmed: %d of %d cues start near voice", sync.offset, len(gaps), len(cue_starts))
        return Sync(offset=sync.offset, drift=sync.drift, cues_used=len(gaps), spread=float("inf"))
    g = np.asarray(gaps)
    shift = float(np.median(g))
    return Sync(offset=sync.offset + shift, drift=sync.drift, cues_used=len(gaps),
                spread=float(np.median(np.abs(g - shift))))
