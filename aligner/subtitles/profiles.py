"""Subtitle rule sets, named, so cue building and the audit's style checks share one source.

The defaults follow Netflix's Timed Text Style Guide; ``bbc`` follows the BBC Subtitle
Guidelines (see conventions/subtitles.md for the sources). Users override single limits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from typing import Any, cast

from ..errors import InputError
from ..runtime.argtypes import Range

__all__ = ["LIMITS", "PROFILES", "Profile", "get_profile"]

log = logging.getLogger(__name__)

# What each limit may be set to, for the command's options and the Python API alike. Wide
# enough for any house style, narrow enough that no value breaks the cue builder:
# - characters a line from 5 (a vertical Japanese line holds 11) to 200, 1 to 10 lines a cue;
# - reading speed from 1 to 100 characters a second (people read 12 to 25);
# - cue durations and pauses from 10 ms (under a frame at any rate) to 10 minutes;
# - gaps, lead-outs and chains from 0 frames (cues back to back) to 300 (12 s at 25 fps);
# - an in-time up to 10 s before its speech;
# - shot-change windows from 0 frames (the rule off) to 300;
# - frame rates from 1 (a time-lapse) to 300 (high-speed video) frames a second: every time is
#   rounded to frames, so 1e-300 fps gave times of 27 digits, and an infinite rate a zero frame
#   that was divided by.
LIMITS: dict[str, Range] = {
    "max_chars": Range(5, 200, "characters", integer=True),
    "max_lines": Range(1, 10, "lines", integer=True),
    "min_duration": Range(0.01, 600.0, "s"),
    "max_duration": Range(0.01, 600.0, "s"),
    "max_cps": Range(1.0, 100.0, "characters a second"),
    "min_gap_frames": Range(0, 300, "frames", integer=True),
    "max_lead_out_frames": Range(0, 300, "frames", integer=True),
    "chain_frames": Range(0, 300, "frames", integer=True),
    "max_pause": Range(0.01, 600.0, "s"),
    "early_start": Range(0.0, 10.0, "s"),
    "fps": Range(1.0, 300.0, "frames a second"),
    "shot_zone_frames": Range(0, 300, "frames", integer=True),
    "shot_snap_frames": Range(0, 300, "frames", integer=True),
    "shot_out_frames": Range(0, 300, "frames", integer=True),
    "max_late_in_frames": Range(0, 300, "frames", integer=True),
}


def _option(name: str) -> str:
    """A setting as the command's option names it (``max_cps``: ``max-cps``)."""
    return name.replace("_", "-")


@dataclass(frozen=True)
class Profile:
    """One house style's limits. The shot-change fields (``subtitles.shots``, docs/shots.md):

    - ``shot_zone_frames`` = 6: no in- or out-time 1 to 6 frames from a shot change (an
      out-time exactly ``shot_out_frames`` before one excepted): a subtitle that appears or
      leaves a few frames off the cut flashes on or off over it. Netflix's timing guidelines
      (section 2, "Timing to the shot change") keep cues off the cut by half a second; six
      frames is the part a viewer sees as a flash, which this pass never leaves.
    - ``shot_snap_frames`` = 12: an in-time this close to a shot change, before or after it,
      moves onto the cut, and an out-time this close moves to ``shot_out_frames`` before it,
      when the speech, the reading speed and the neighbours allow: Netflix's "half a second"
      (12 frames at 24 fps); the BBC's guidelines (6.1, "Match subtitles to shot") say many
      subtitles start on the first frame of a shot and end on its last.
    - ``shot_out_frames`` = 2: an out-time this many frames before the cut (Netflix: two
      frames, the minimum gap; BBC: 0, the shot's last frame).
    - ``max_late_in_frames`` = 12: an in-time moved onto a cut after its speech starts lags the
      first word by at most this much (Netflix's half second: later, the viewer hears words
      the screen does not show).
    """

    name: str
    max_chars: int = 42  # per line
    max_lines: int = 2
    min_duration: float = 5 / 6  # seconds
    max_duration: float = 7.0
    max_cps: float = 20.0  # reading speed, characters per second
    min_gap_frames: int = 2
    max_lead_out_frames: int = 12  # out-time may run this far past the end of speech
    chain_frames: int = 12  # a gap shorter than this is closed down to min_gap_frames
    max_pause: float = 2.0  # a silence this long inside a cue splits it
    early_start: float = 0.0  # in-time on the first audible frame
    fps: float = 25.0  # used when the media has no video frame rate
    shot_zone_frames: int = 6  # no in- or out-time this close to a cut (see the docstring)
    shot_snap_frames: int = 12  # in-times onto a cut, out-times just before it, from this close
    shot_out_frames: int = 2  # an out-time this far before the cut it is timed to
    max_late_in_frames: int = 12  # an in-time on a cut lags its first word by at most this

    def __post_init__(self) -> None:
        """Every limit in its range (``LIMITS``) and none contradicting another, whether the
        profile came from ``get_profile``, the command's options or ``Profile(...)``."""
        for name, bounds in LIMITS.items():
            bounds.check(_option(name), getattr(self, name))
        if self.min_duration > self.max_duration:
            raise InputError(f"{_option('min_duration')} {self.min_duration:g} s is longer than "
                             f"{_option('max_duration')} {self.max_duration:g} s (profile {self.name}); "
                             "give a shorter minimum or a longer maximum")

    def frames(self, n: float, fps: float | None = None) -> float:
        return n / (fps or self.fps)

    def too_fast(self, chars: int, seconds: float) -> float | None:
        """The reading speed of ``chars`` shown for ``seconds`` when it is over the limit (a
        twentieth of a character a second of rounding allowed), else None."""
        cps = chars / max(seconds, 1e-3)
        return cps if cps > self.max_cps + 0.05 else None


PROFILES: dict[str, Profile] = {
    "netflix": Profile("netflix"),
    "netflix-17cps": Profile("netflix-17cps", max_cps=17.0),
    "children": Profile("children", max_cps=17.0),
    # BBC: 160-180 words per minute, about 15 characters per second; 37-character lines
    # (the teletext-safe width); a cue may lead or trail its speech by 1.5 s at most.
    # Its shot changes: a subtitle ends on the last frame of its shot (6.1), no gap before the cut.
    "bbc": Profile("bbc", max_chars=37, max_cps=15.0, min_duration=1.0, max_duration=7.0,
                   max_lead_out_frames=12, shot_out_frames=0),
}


def get_profile(name: str = "netflix", **overrides: float | int | None) -> Profile:
    """A named profile with any limits the user set (``None`` keeps the profile's own), each
    in its range (``LIMITS``) and the minimum duration no longer than the maximum."""
    try:
        base = PROFILES[name]
    except KeyError:
        raise InputError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}") from None
    valid = {f.name for f in fields(Profile)}
    changes = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(changes) - valid
    if unknown:
        raise InputError(f"unknown profile setting(s): {', '.join(sorted(unknown))}")
    return replace(base, **cast(dict[str, Any], changes))

