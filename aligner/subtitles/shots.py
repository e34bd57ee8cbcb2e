"""Cue times moved to the picture's shot changes, as a subtitler times them (pure).

A pass over the cues ``cues.build_cues`` made: their words and text stay; only in- and
out-times move, on whole frames. The rules (docs/shots.md, after Netflix's timing guidelines
and the BBC's), each one function:

- an in-time within ``shot_snap_frames`` of a cut moves onto it, when that neither starts the
  cue more than ``max_late_in_frames`` after its first word nor more than ``shot_snap_frames``
  before it, nor crowds the cue before (``_in_on_cut``);
- an in-time still 1 to ``shot_zone_frames`` from a cut moves just clear of that zone
  (``_in_clear``);
- an out-time within ``shot_snap_frames`` of a cut moves to ``shot_out_frames`` before it,
  when the speech has ended by then and the reading speed, the minimum and maximum durations
  and the next cue allow (``_out_on_cut``); a gap to the next cue shorter than ``chain_frames``
  is closed, as ``build_cues`` does, once in-times have moved (``_chained``);
- an out-time still 1 to ``shot_zone_frames`` from a cut moves onto the cut or clear of the
  zone (``_out_clear``).

Nothing here breaks the minimum gap, overlaps the next cue, ends a cue before its speech
ends, or shortens one below what its reading speed asks (or below what it had).
"""

from __future__ import annotations

import bisect
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .cues import Cue
from .profiles import Profile

__all__ = ["ShotIssue", "cue_frames", "in_zone", "shot_issues", "time_to_shots"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Frames:
    """One cue on the frame grid: its in- and out-frames (out exclusive), the frame its first
    word starts in, the frame its last word ends by, and the frames its text needs on screen."""

    start: int
    end: int
    first_word: int
    speech_end: int
    wanted: int


@dataclass(frozen=True)
class _Rules:
    """The profile's numbers in frames at the media's rate."""

    zone: int
    snap: int
    out_gap: int
    late: int
    gap: int
    chain: int
    longest: int


def _rules(profile: Profile, fps: float) -> _Rules:
    return _Rules(profile.shot_zone_frames, profile.shot_snap_frames, profile.shot_out_frames,
                  profile.max_late_in_frames, profile.min_gap_frames, profile.chain_frames,
                  math.floor(profile.max_duration * fps + 1e-6))


def cue_frames(cue: Cue, profile: Profile, fps: float) -> _Frames:
    """``cue`` on the frame grid: times stored in whole milliseconds (starts rounded up, ends
    down) come back to the frames they were cut on."""
    first = cue.words[0].start if cue.words else cue.start
    last = cue.words[-1].end if cue.words else cue.end
    chars = sum(len(x) for x in cue.lines)
    wanted = max(profile.min_duration, chars / profile.max_cps)
    return _Frames(round(cue.start * fps), round(cue.end * fps), math.floor(first * fps + 1e-6),
                   math.ceil(last * fps - 1e-6), math.ceil(wanted * fps - 1e-6))


def in_zone(frame: int, cuts: Sequence[int], zone: int, allowed: int | None = None) -> int | None:
    """The cut ``frame`` is 1 to ``zone`` frames from (sorted ``cuts``), or None; a frame
    exactly ``allowed`` before a cut is clear of it (an out-time timed to the cut)."""
    k = bisect.bisect_left(cuts, frame - zone)
    while k < len(cuts) and cuts[k] <= frame + zone:
        off = cuts[k] - frame
        if off != 0 and not (allowed is not None and off == allowed):
            return cuts[k]
        k += 1
    return None


def _near(cuts: Sequence[int], frame: int, reach: int) -> list[int]:
    """The cuts within ``reach`` frames of ``frame``, nearest first (earlier first on a tie)."""
    lo, hi = bisect.bisect_left(cuts, frame - reach), bisect.bisect_right(cuts, frame + reach)
    return sorted(cuts[lo:hi], key=lambda c: (abs(c - frame), c))


def _in_on_cut(cue: _Frames, lo: int, cuts: Sequence[int], rules: _Rules, room_end: float) -> int | None:
    """The cut an in-time moves onto: the nearest within ``snap`` frames that starts the cue
    no earlier than ``lo`` (the cue before it, and ``snap`` frames before the first word), no
    later than ``late`` frames after the first word, and leaves the text its time before
    ``room_end``."""
    hi = cue.first_word + rules.late
    for c in _near(cuts, cue.start, rules.snap):
        if c != cue.start and lo <= c <= hi and c + min(cue.wanted, cue.end - cue.start) <= room_end:
            return c
    return None


def _in_clear(cue: _Frames, lo: int, cuts: Sequence[int], rules: _Rules, chained: bool) -> int | None:
    """An in-time 1 to ``zone`` frames from a cut it could not move onto: the nearest frame
    just clear of that cut's zone, inside the same bounds, or None (left as it is). When the
    cue before runs up to this one (``chained``), its out-time follows the in-time at the
    minimum gap, so a frame that leaves that out-time clear too comes first: the change
    between two cues over speech that runs through the cut goes ``zone`` + 1 + gap frames
    after it, both edges clear."""
    cut = in_zone(cue.start, cuts, rules.zone)
    if cut is None:
        return None
    hi = min(cue.first_word + rules.late, cue.end - 1)
    options = (cut - rules.zone - 1, cut + rules.zone + 1, cut + rules.zone + 1 + rules.gap)

    def rank(t: int) -> tuple[bool, int]:
        crowded = chained and in_zone(t - rules.gap, cuts, rules.zone, rules.out_gap) is not None
        return crowded, abs(t - cue.start)

    for t in sorted(options, key=rank):
        if lo <= t <= hi and in_zone(t, cuts, rules.zone) is None:
            return t
    return None


def _floor(cue: _Frames, start: int) -> int:
    """The earliest a cue starting at ``start`` may end: its speech over, its text read (or as
    long as it had, when the speech was faster than reading)."""
    return max(cue.speech_end, min(start + cue.wanted, cue.end), start + 1)


def in_times(cues: Sequence[_Frames], cuts: Sequence[int], rules: _Rules) -> list[int]:
    """Every cue's in-frame under the in-time rules, first to last: each may start no earlier
    than the minimum gap after the earliest end of the cue before it."""
    starts: list[int] = []
    for k, cue in enumerate(cues):
        lo = max(0, cue.first_word - rules.snap)
        if k:
            lo = max(lo, _floor(cues[k - 1], starts[-1]) + rules.gap)
        room = cues[k + 1].start - rules.gap if k + 1 < len(cues) else math.inf
        start = _in_on_cut(cue, lo, cuts, rules, room)
        why = "on the shot change"
        if start is None:
            chained = k > 0 and cue.start - cues[k - 1].end <= rules.chain
            start, why = _in_clear(cue, lo, cuts, rules, chained), "clear of the shot change"
        if start is None:
            stuck = in_zone(cue.start, cuts, rules.zone)
            if stuck is not None:
                log.debug("cue %d: in-time %d frames from a shot change, nowhere to move", k + 1,
                          abs(stuck - cue.start))
            start = cue.start
        else:
            log.debug("cue %d: in-time %+d frames, %s", k + 1, start - cue.start, why)
        starts.append(start)
    return starts


def _chained(end: float, limit: float, rules: _Rules) -> float:
    """A gap to the next cue shorter than ``chain`` frames closed to the minimum gap (Netflix's
    "chaining"), as ``build_cues`` does: in-times moved to cuts open new ones."""
    return limit if 0 < limit - end < rules.chain else end


def _out_on_cut(end: float, floor: float, ceiling: float, cuts: Sequence[int], rules: _Rules) -> int | None:
    """The out-frame ``out_gap`` frames before the nearest cut within ``snap`` frames of
    ``end`` that lies between ``floor`` and ``ceiling``, or None."""
    for c in _near(cuts, round(end) + rules.out_gap, rules.snap):
        t = c - rules.out_gap
        if floor <= t <= ceiling:
            return t
    return None


def _out_clear(end: float, floor: float, ceiling: float, cuts: Sequence[int], rules: _Rules) -> int | None:
    """An out-time 1 to ``zone`` frames from a cut it could not be timed to: onto the cut
    itself, else just clear of its zone, the nearest that fits, or None."""
    cut = in_zone(round(end), cuts, rules.zone, rules.out_gap)
    if cut is None:
        return None
    for t in sorted((cut, cut - rules.zone - 1, cut + rules.zone + 1), key=lambda t: abs(t - end)):
        if floor <= t <= ceiling and in_zone(t, cuts, rules.zone, rules.out_gap) is None:
            return t
    return None


def out_time(cue: _Frames, start: int, next_start: float, cuts: Sequence[int], rules: _Rules,
             number: int = 0) -> int:
    """One cue's out-frame, given its in-frame and the next cue's: kept off the next cue and
    within the longest duration, given back what a later in-time took from its reading time,
    chained, then timed to a nearby cut."""
    ceiling = min(next_start - rules.gap, start + rules.longest)
    floor = min(_floor(cue, start), ceiling)
    end = min(max(cue.end, floor), ceiling)
    end = _chained(end, next_start - rules.gap, rules)
    moved = _out_on_cut(end, floor, ceiling, cuts, rules)
    if moved is None:
        moved = _out_clear(end, floor, ceiling, cuts, rules)
    if moved is not None and moved != end:
        log.debug("cue %d: out-time %+d frames, %s", number, moved - end,
                  "timed to the shot change" if moved + rules.out_gap in cuts else "clear of the shot change")
        end = moved
    return int(end)


def time_to_shots(cues: Sequence[Cue], cuts: Sequence[float], profile: Profile, fps: float | None) -> list[Cue]:
    """``cues`` with their times moved by the shot-change rules (this module's docstring),
    ``cuts`` in seconds; the same cues when there are none."""
    if not cuts or not cues:
        return list(cues)
    fps = fps or profile.fps
    rules = _rules(profile, fps)
    grid = sorted({round(t * fps) for t in cuts})
    frames = [cue_frames(c, profile, fps) for c in cues]
    starts = in_times(frames, grid, rules)
    out: list[Cue] = []
    for k, (cue, f) in enumerate(zip(cues, frames)):
        following = starts[k + 1] if k + 1 < len(cues) else math.inf
        end = out_time(f, starts[k], following, grid, rules, k + 1)
        if (starts[k], end) == (f.start, f.end):
            out.append(cue)
            continue
        # whole milliseconds, as build_cues stores them: starts up, ends down
        start_ms = math.ceil(starts[k] * 1000 / fps - 1e-6)
        end_ms = max(math.floor(end * 1000 / fps + 1e-6), start_ms + 1)
        out.append(replace(cue, start=start_ms / 1000, end=end_ms / 1000))
    return out


@dataclass(frozen=True)
class ShotIssue:
    """A cue's in- or out-time in a shot change's zone: ``frames`` from the cut (negative:
    before it)."""

    cue: int  # the cue's place in the list, from 0
    edge: str  # "in-time" or "out-time"
    frames: int

    def detail(self) -> str:
        side = "before" if self.frames < 0 else "after"
        return f"{self.edge} {abs(self.frames)} frame(s) {side} a shot change"


def shot_issues(spans: Sequence[tuple[float, float]], cuts: Sequence[float], profile: Profile,
                fps: float | None) -> list[ShotIssue]:
    """Every in- or out-time (``spans`` in seconds) 1 to ``shot_zone_frames`` frames from a cut,
    an out-time exactly ``shot_out_frames`` before one excepted: what ``time_to_shots``
    leaves only where the speech gave it no choice, and what the audit reports."""
    fps = fps or profile.fps
    grid = sorted({round(t * fps) for t in cuts})
    zone, allowed = profile.shot_zone_frames, profile.shot_out_frames
    out = []
    for k, (start, end) in enumerate(spans):
        for edge, frame, ok in (("in-time", round(start * fps), None), ("out-time", round(end * fps), allowed)):
            cut = in_zone(frame, grid, zone, ok)
            if cut is not None:
                out.append(ShotIssue(k, edge, frame - cut))
    return out
