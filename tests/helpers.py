"""Helpers the tests share: fixture paths, the truth files, the profile's hard limits."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_truth(name: str) -> list[dict]:
    """Word starts as libespeak-ng reported them while speaking the fixture."""
    data = json.loads((FIXTURES / f"{name}.truth.json").read_text(encoding="utf-8"))
    return [w for w in data["words"] if w["text"]]


def check_hard_limits(cues, profile, fps=25.0):
    frame = 1 / fps
    for c in cues:
        shown = list(c.lines)
        if c.label:
            shown[0] = f"{c.label} {shown[0]}"
        assert len(shown) <= profile.max_lines, shown
        assert all(len(line) <= profile.max_chars for line in shown), shown
        assert c.end - c.start <= profile.max_duration + 1e-6
        assert c.end > c.start
    for a, b in itertools.pairwise(cues):
        assert b.start - a.end >= profile.min_gap_frames * frame - 1e-6, (a, b)
