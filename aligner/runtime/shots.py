"""Shot changes: found in the video by ffmpeg, or read from a list a subtitle desk exchanges.

Detection is ffmpeg's ``select='gt(scene,T)'`` on a picture scaled down to 64 pixels wide,
with ``showinfo`` printing each selected frame's time: no dependency beyond the ffmpeg the
package already runs (``media.ffmpeg_binary``). Measured against ffmpeg's ``scdet`` and
PySceneDetect in docs/shots.md: as exact on hard cuts, no false cut where ``scdet`` made
one, and no OpenCV to install. The result is cached with the media (its content hash and
these options). Media without video has no shot changes, and no error.

A list (``--shot-changes FILE``) holds one cut a line, in any of the forms subtitle desks
exchange: seconds (``12.48``; Subtitle Edit's ``.shotchanges`` files are these), timecode with
frames (``00:00:12:12``; ``00:00:12;12`` drop-frame) or milliseconds (``00:00:12.480``,
``00:00:12,480``), or a frame number (``312``; in a ``.shotchanges`` file a bare number is
seconds). Blank lines and lines starting with ``#`` are skipped; a line that is none of these
is one error naming the file and the line. An edit decision list (``.edl``, CMX 3600) gives its
picture events' record-in times, counted from the first event's: each event after the first
starts a shot (a dissolve's too: where it starts).
"""

from __future__ import annotations

import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import cache
from .media import MediaInfo, content_hash, ffmpeg_binary

__all__ = ["SHOTS", "ShotList", "ShotOptions", "detect", "edl_cuts", "parse_line", "read_shot_changes", "shot_changes",
           "without_flashes"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShotOptions:
    """How cuts are found in the picture.

    - ``threshold`` = 0.3: ffmpeg's scene score (0 to 1: how much of the picture changed from
      one frame to the next) above which a frame starts a new shot. The hard cuts of the
      fixture and the bench score 0.36 to 1, their moving shots, grain and dissolve 0.03 at
      most (0.19 on a clip's second frame; docs/shots.md): 0.3 sits between.
    - ``flash_frames`` = 3: two cuts this few frames apart or fewer are a flash (a camera
      flash, a lightning strike, a frame of white), the picture going back to the shot it
      left: both are dropped. On the bench's two-frame flash ffmpeg scored both frames as cuts.
    - ``width`` = 64: pixels the picture is scaled to before scoring: a cut changes the whole
      picture, so 64 pixels see it, and scaling down first leaves grain and compression noise
      out of the score and the filter a tenth of the work.
    """

    threshold: float = 0.3
    flash_frames: int = 3
    width: int = 64


SHOTS = ShotOptions()


@dataclass(frozen=True)
class ShotList:
    """Cut times in seconds, as the cache keeps them."""

    times: tuple[float, ...]


_PTS = re.compile(r"\bpts_time:\s*([0-9.]+)")


def _scored(media: str | Path, opts: ShotOptions) -> tuple[float, ...]:
    """ffmpeg's selected frames' times for ``media``'s first video stream."""
    graph = f"scale={opts.width}:-2:flags=area,select='gt(scene\\,{opts.threshold:g})',showinfo"
    # the decoder's deblocking skipped: a tenth less work, the same cuts (docs/shots.md)
    cmd = [ffmpeg_binary(), "-nostdin", "-hide_banner", "-loglevel", "info", "-skip_loop_filter", "all",
           "-i", str(media),
           "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", graph, "-f", "null", "-"]
    done = subprocess.run(cmd, capture_output=True, check=False)
    text = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        raise RuntimeError(lines[-1] if lines else f"ffmpeg exited with {done.returncode}")
    return tuple(float(m.group(1)) for line in text.splitlines() if "showinfo" in line
                 for m in [_PTS.search(line)] if m)


def without_flashes(times: tuple[float, ...], fps: float, flash_frames: int) -> tuple[float, ...]:
    """``times`` less each pair of cuts ``flash_frames`` or fewer frames apart (a flash)."""
    frames = [round(t * fps) for t in times]
    drop: set[int] = set()
    for k in range(1, len(frames)):
        if frames[k] - frames[k - 1] <= flash_frames:
            log.debug("%.2f s: a flash of %d frame(s), not a shot change", times[k - 1], frames[k] - frames[k - 1])
            drop |= {k - 1, k}
    return tuple(t for k, t in enumerate(times) if k not in drop)


def detect(media: str | Path, info: MediaInfo, opts: ShotOptions = SHOTS) -> tuple[float, ...]:
    """The cuts in ``media``'s picture, in seconds; none when it has no video. A picture ffmpeg
    cannot read is a warning, not an error: the subtitles are made without shot changes."""
    if info.fps is None:
        log.debug("%s: no video, no shot changes", media)
        return ()
    key = f"{content_hash(media)}|{cache.digest(opts)}"
    kept = cache.load("shots", key, ShotList)
    if kept is not None:
        return kept.times
    try:
        times = without_flashes(_scored(media, opts), info.fps, opts.flash_frames)
    except (RuntimeError, OSError) as exc:
        log.warning("%s: shot changes not found (ffmpeg: %s); cues are timed without them", media, exc)
        return ()
    log.debug("%s: %d shot change(s) found: %s", media, len(times), ", ".join(f"{t:.2f}" for t in times))
    cache.store("shots", key, ShotList(times))
    return times


_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:([.,])(\d+)|([:;])(\d{1,3}))?$")


def parse_line(text: str, fps: float, seconds_only: bool = False) -> float | None:
    """One line of a list as seconds, or None when it is not a time: seconds, a frame number
    (a bare integer, unless ``seconds_only``), or a timecode with frames or milliseconds."""
    text = text.strip()
    if re.fullmatch(r"\d+", text) and not seconds_only:
        return int(text) / fps
    if re.fullmatch(r"\d+(?:\.\d*)?|\.\d+", text):
        return float(text)
    m = _CLOCK.match(text)
    if m is None:
        return None
    hours, minutes, secs = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if minutes > 59 or secs > 59:
        return None
    base = hours * 3600 + minutes * 60 + secs
    if m.group(5) is not None:
        return base + float("0." + m.group(5))
    if m.group(7) is not None:
        frame = int(m.group(7))
        if frame >= round(fps):
            return None
        if m.group(6) == ";":
            return _drop_frame(hours * 60 + minutes, secs, frame, fps)
        return base + frame / fps
    return float(base)


def _drop_frame(minutes: int, secs: int, frame: int, fps: float) -> float:
    """A drop-frame timecode (``00:01:00;02``, NTSC's 29.97 and 59.94 fps) in seconds: its
    label skips the first 2 (4 at 59.94) frame numbers of every minute but each tenth, so the
    labels keep to the clock; read as plain frames it would drift 3.6 s an hour."""
    nominal = round(fps)
    dropped = 2 * max(1, nominal // 30)
    count = (minutes * 60 + secs) * nominal + frame - dropped * (minutes - minutes // 10)
    return count / fps


_EVENT = re.compile(r"^\s*\d+\s+\S+\s+(\S+)\s+(C|D|W\d+|K\s*[BO]?)\s+(?:\d+\s+)?"
                    r"(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$")


def edl_cuts(text: str, fps: float, name: str = "EDL") -> tuple[float, ...]:
    """The shot changes of a CMX 3600 edit decision list: each picture event's record-in,
    counted from the first event's (the programme's start), the first dropped (the start is
    not a cut). An event line whose timecode is not one is an error naming the line."""
    starts = []
    for n, line in enumerate(text.splitlines(), 1):
        m = _EVENT.match(line)
        if m is None or "V" not in m.group(1).upper():
            continue  # titles, FCM, comments, audio-only events
        t = parse_line(m.group(5), fps)
        if t is None:
            raise InputError(f"{name}, line {n}: {m.group(5)!r} is not a timecode")
        starts.append(t)
    if not starts:
        raise InputError(f"{name}: no picture events (CMX 3600 lines such as "
                         "'001  AX  V  C  00:00:00:00 00:00:05:00 01:00:00:00 01:00:05:00')")
    origin = min(starts)
    return tuple(sorted({round(t - origin, 6) for t in starts} - {0.0}))


def read_shot_changes(path: str | Path, fps: float) -> tuple[float, ...]:
    """The cuts listed in ``path`` (this module's docstring), sorted, in seconds."""
    from .textio import read_text

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file (--shot-changes takes auto, off or a file of cut times)")
    text = read_text(path)
    if path.suffix.lower() == ".edl":
        return edl_cuts(text, fps, str(path))
    seconds_only = path.suffix.lower() == ".shotchanges"
    times = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        t = parse_line(line, fps, seconds_only)
        if t is None:
            raise InputError(f"{path}, line {n}: {line.strip()[:40]!r} is not a time (seconds such as 12.48, "
                             "a timecode such as 00:00:12:12 or 00:00:12.480, or a frame number)")
        times.append(t)
    log.debug("%s: %d shot change(s) read", path, len(times))
    return tuple(sorted(set(times)))


def shot_changes(setting: str | Path | None, media: str | Path, info: MediaInfo, fps: float,
                 opts: ShotOptions = SHOTS) -> tuple[float, ...]:
    """The cuts ``--shot-changes`` asks for: ``auto`` (or None) found in the video, ``off``
    none, anything else a file to read (frames counted at the media's rate, else ``fps``)."""
    if setting is None or str(setting) == "auto":
        return detect(media, info, opts)
    if str(setting) == "off":
        return ()
    return read_shot_changes(setting, info.fps or fps)
