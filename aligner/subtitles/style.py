"""Published cues against a subtitle profile: reading speed, lines, duration, gaps, overlaps,
and, when the picture's shot changes are known, in- and out-times just off a cut.

These are warnings: a cue that reads too fast is poor subtitling, not a wrong subtitle.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from .profiles import Profile
from .shots import shot_issues
from .subtitle_cue import SubtitleCue

__all__ = ["StyleIssue", "check_style"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StyleIssue:
    cue: int
    start: float
    end: float
    detail: str


def check_style(cues: Sequence[SubtitleCue], profile: Profile, fps: float | None = None,
                shot_changes: Sequence[float] = ()) -> list[StyleIssue]:
    """Each cue that breaks a rule of ``profile``, all its problems in one issue; with
    ``shot_changes`` (seconds), an in- or out-time 1 to ``shot_zone_frames`` frames from a cut
    (``subtitles.shots.shot_issues``) is one more."""
    frame = 1.0 / (fps or profile.fps)
    off_cut: dict[int, list[str]] = {}
    for issue in shot_issues([(c.start, c.end) for c in cues], shot_changes, profile, fps):
        off_cut.setdefault(issue.cue, []).append(issue.detail())
    out: list[StyleIssue] = []
    for k, cue in enumerate(cues):
        problems = list(off_cut.get(k, []))
        duration = cue.end - cue.start
        chars = sum(len(line) for line in cue.lines)
        if len(cue.lines) > profile.max_lines:
            problems.append(f"{len(cue.lines)} lines (at most {profile.max_lines})")
        long_lines = [len(line) for line in cue.lines if len(line) > profile.max_chars]
        if long_lines:
            problems.append(f"line of {max(long_lines)} characters (at most {profile.max_chars})")
        cps = profile.too_fast(chars, duration) if duration > 0 else None
        if cps is not None:
            problems.append(f"reading speed {cps:.1f} characters/s (at most {profile.max_cps:g})")
        if duration < profile.min_duration - 1e-3:
            problems.append(f"on screen {duration:.2f} s (at least {profile.min_duration:.2f} s)")
        if duration > profile.max_duration + 1e-3:
            problems.append(f"on screen {duration:.2f} s (at most {profile.max_duration:g} s)")
        if k + 1 < len(cues):
            gap = cues[k + 1].start - cue.end
            if gap < 0:
                problems.append(f"overlaps the next cue by {-gap:.2f} s")
            elif gap < profile.min_gap_frames * frame - 1e-3:
                problems.append(f"gap of {gap * 1000:.0f} ms to the next cue "
                                f"(at least {profile.min_gap_frames} frames)")
        if problems:
            log.debug("cue %d: %s", cue.index, "; ".join(problems))
            out.append(StyleIssue(cue.index, cue.start, cue.end, "; ".join(problems)))
    return out
