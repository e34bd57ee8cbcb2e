"""Subtitle rule sets, named, so cue building and the audit's style checks share one source.

The defaults follow Netflix's Timed Text Style Guide; ``bbc`` follows the BBC Subtitle
Guidelines (see conventions/subtitles.md for the sources). Users override single limits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, cast

from ..errors import InputError

__all__ = ["PROFILES", "Profile", "get_profile"]


@dataclass(frozen=True)
class Profile:
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
    "bbc": Profile("bbc", max_chars=37, max_cps=15.0, min_duration=1.0, max_duration=7.0,
                   max_lead_out_frames=12),
}


def get_profile(name: str = "netflix", **overrides: float | int | None) -> Profile:
    """A named profile with any limits the user set (``None`` keeps the profile's own)."""
    try:
        base = PROFILES[name]
    except KeyError:
        raise InputError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}") from None
    valid = {f.name for f in fields(Profile)}
    changes = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(changes) - valid
    if unknown:
        raise InputError(f"unknown profile setting(s): {', '.join(sorted(unknown))}")
    for key, value in changes.items():
        if isinstance(value, (int, float)) and value <= 0 and key not in ("early_start",):
            raise InputError(f"{key.replace('_', '-')} must be positive, not {value}")
    return replace(base, **cast(dict[str, Any], changes))
