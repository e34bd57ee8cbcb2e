"""How loud a stretch of speech is beside the rest of the recording.

Where a cue's speech is far fainter than the recording's other speech, the recogniser guesses:
FLEURS-fr's first sentence, 26-29 dB under the file's other cues, was heard "110" ("cent dix")
for "incendie" by one CPU's kernels and "sens malgré" by another's, and the phone fit finds no
path through it. A difference there that only the recogniser supports is a ``check``
(``text.text_severity``). Levels come from ``runtime.media.loudness`` (10 ms frames, dB).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["faint", "speech_level", "stretch_level"]

FRAME = 0.01  # seconds per loudness frame (``runtime.media.loudness``)


def stretch_level(db: np.ndarray, a: float, b: float, percentile: float) -> float | None:
    """The level of [a, b] in dB: the ``percentile`` of its frames' loudness, so that its
    voiced peaks count and its pauses do not; None for a stretch of no frames (pure)."""
    frames = db[max(0, int(a / FRAME)):max(0, int(np.ceil(b / FRAME)))]
    return float(np.percentile(frames, percentile)) if len(frames) else None


def speech_level(db: np.ndarray, spans: Sequence[tuple[float, float]], percentile: float) -> float | None:
    """The recording's speech level: the median of its cues' levels (``stretch_level``);
    None without a cue (pure)."""
    levels = [x for a, b in spans if (x := stretch_level(db, a, b, percentile)) is not None]
    return float(np.median(levels)) if levels else None


def faint(level: float | None, reference: float | None, under_db: float) -> bool:
    """Whether a stretch at ``level`` is more than ``under_db`` under the recording's
    ``reference`` level (pure)."""
    return level is not None and reference is not None and level < reference - under_db
