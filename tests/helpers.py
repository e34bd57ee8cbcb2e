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
        if c.label:  # the label leads the first line, or has a line of its own
            shown = [c.label, *shown] if c.label_alone else [f"{c.label} {shown[0]}", *shown[1:]]
        assert len(shown) <= profile.max_lines, shown
        assert all(len(line) <= profile.max_chars for line in shown), shown
        assert c.end - c.start <= profile.max_duration + 1e-6
        assert c.end > c.start
    for a, b in itertools.pairwise(cues):
        assert b.start - a.end >= profile.min_gap_frames * frame - 1e-6, (a, b)


def turn_spans(words: list[str], turns: list[dict]) -> list[tuple[float, float] | None]:
    """For each of ``words`` (a transcript's, in order), the (start, end) of the turn in
    ``turns`` (``turns.json``'s) that says it; None for a word no turn says."""
    import re
    from difflib import SequenceMatcher

    def norm(w: str) -> str:
        return re.sub(r"[^\w']", "", w.lower())

    ref = [(norm(w), (t["start"], t["end"])) for t in turns for w in t["text"].split()]
    sm = SequenceMatcher(None, [norm(w) for w in words], [r[0] for r in ref], autojunk=False)
    out: list[tuple[float, float] | None] = [None] * len(words)
    for m in sm.get_matching_blocks():
        for k in range(m.size):
            out[m.a + k] = ref[m.b + k][1]
    return out


def share_inside(alignment, spans: list[tuple[float, float] | None], slack: float = 0.5) -> float:
    """The share of the words some turn says that ``alignment`` timed inside that turn."""
    times = {w.index: (w.start, w.end) for w in alignment.words}
    said = [i for i, s in enumerate(spans) if s is not None]
    ok = [i for i in said if i in times and times[i][0] >= spans[i][0] - slack and times[i][1] <= spans[i][1] + slack]
    return len(ok) / len(said)


# Root reads and writes a mode-000 file or folder regardless; without these capabilities it is
# refused as anyone is (util-linux's setpriv, in every Debian image).
_UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                 "--inh-caps=-dac_override,-dac_read_search"]


def as_ordinary_user() -> list[str]:
    """The command prefix that runs a process as an ordinary user would, permission-wise."""
    import os

    return _UNPRIVILEGED if os.geteuid() == 0 else []
