"""Published subtitle files read into one model of a cue: SubRip through pysrt, WebVTT through
webvtt-py, ASS/SSA and MicroDVD through pysubs2, all with millisecond times and their markup kept;
TTML (IMSC, EBU-TT-D, DFXP) by ``ttml_reader``, with the standard library's expat (``read_ttml``).

Before any reader runs, one validation finds every cue's timing line as its format defines it
and refuses, naming the line and the cue, a time that cannot be read, a negative time, and a cue
that ends before or when it starts; after it, a cue the reader did not take is refused the same
way. The readers cannot be left to it: pysrt reads ``00:00:xx,000`` as 0 and drops ``--> banana``
without a word, pysubs2 gives a truncated ASS line an end of 10 s, and none says where a cue was.
The audit works only from times the file says."""

from __future__ import annotations

import html
import io
import logging
import math
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import zip_longest
from pathlib import Path

import pysrt

from ..errors import InputError
from ..runtime.textio import read_text
from .subtitle_cue import SubtitleCue
from .timing_lines import GRAMMARS, LINE_BREAK, MAX_CUES, Timing, check_times, quote_line
from .ttml_reader import read_ttml

__all__ = ["parse_subtitles", "read_subtitles", "write_srt"]

log = logging.getLogger(__name__)


MICRODVD_FPS = (1.0, 1000.0)  # frame rates a MicroDVD file may declare: any real video's, not 0 or 1e300


_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>")  # WebVTT karaoke timestamps
_FORMATS = {".srt": "srt", ".vtt": "vtt", ".ass": "ass", ".ssa": "ssa", ".sub": "microdvd",
            ".ttml": "ttml", ".dfxp": "ttml", ".xml": "ttml"}


# ---------------------------------------------------------------- one validation of every format's times


def _clock_ms(text: str) -> int:
    """A clock time ``[-][h:]m:s.fraction`` in milliseconds, the fraction a decimal as every
    reader here takes it once the grammar has fixed its digits."""
    sign = -1 if text.startswith("-") else 1
    clock, fraction = re.split(r"[.,]", text.lstrip("-"))
    seconds = 0
    for field in clock.split(":"):
        seconds = seconds * 60 + int(field)
    return sign * (seconds * 1000 + int(fraction.ljust(3, "0")))


def _arrow_lines(lines: Sequence[str], fmt: str) -> Iterator[tuple[int, str, str | None, str | None]]:
    """SubRip's and WebVTT's timing lines, each with its two times as written. In WebVTT every
    line with ``-->`` is one (the arrow is allowed nowhere else); in SubRip one that is first
    or second in its block, where pysrt looks for it, or that reads as a timing line anywhere
    (an arrow further down a cue is its text)."""
    strict = re.compile(rf"\s*{GRAMMARS[fmt].time.pattern}\s*-->\s*{GRAMMARS[fmt].time.pattern}(?:\s.*)?")
    place = 0  # of the line in its block of non-blank lines
    for n, line in enumerate(lines, 1):
        place = place + 1 if line.strip() else 0
        if "-->" in line and (fmt != "srt" or place <= 2 or strict.fullmatch(line)):
            start, _, rest = line.partition("-->")
            yield n, line, start.strip(), (rest.split() or [""])[0]


def _ass_lines(lines: Sequence[str]) -> Iterator[tuple[int, str, str | None, str | None]]:
    """ASS/SSA's ``Dialogue:`` lines, each with its Start and End fields (the second and third,
    where pysubs2 reads them whatever the Format line says); ``Comment:`` lines are not shown."""
    for n, line in enumerate(lines, 1):
        if line.strip().startswith("Dialogue:"):
            fields = [f.strip() for f in line.split(":", 1)[1].split(",", 3)] + [None, None]
            yield n, line, fields[1], fields[2]


_MICRODVD_LINE = re.compile(r"\s*\{\s*(-?\d+)\s*\}\s*\{\s*(-?\d+)\s*\}")
_MICRODVD_RATE = re.compile(r"\s*\{\s*1\s*\}\s*\{\s*1\s*\}\s*([0-9.]+)\s*")


def _microdvd_rate(lines: Sequence[str]) -> tuple[int, float] | None:
    """The frame rate a MicroDVD file declares on its first line (``{1}{1}25.000``, as VLC and
    pysubs2 read it), with that line's number; None when it declares none."""
    n, first = next(((n, ln) for n, ln in enumerate(lines, 1) if ln.strip()), (0, ""))
    match = _MICRODVD_RATE.fullmatch(first)
    if match is None:
        return None
    try:
        fps = float(match.group(1))
    except ValueError:
        return None
    if not (math.isfinite(fps) and MICRODVD_FPS[0] <= fps <= MICRODVD_FPS[1]):
        raise InputError(f"line {n}: declares a frame rate of {match.group(1)}; a MicroDVD file's "
                         f"is {MICRODVD_FPS[0]:g} to {MICRODVD_FPS[1]:g} frames a second")
    return n, fps


def _microdvd_lines(lines: Sequence[str], skip: int) -> Iterator[tuple[int, str, str | None, str | None]]:
    """MicroDVD's cues, one a line, each with its two frame numbers; line ``skip`` (its frame
    rate) is not a cue."""
    for n, line in enumerate(lines, 1):
        if n != skip and line.strip():
            match = _MICRODVD_LINE.match(line)
            start, end = (f"{{{g}}}" for g in match.groups()) if match else (None, None)
            yield n, line, start, end


def _timings(found: Iterator[tuple[int, str, str | None, str | None]], fmt: str,
             to_ms: Callable[[str], int]) -> list[Timing]:
    """Each timing line read strictly by its format's grammar, or refused naming the line."""
    grammar, out = GRAMMARS[fmt], []
    for k, (line, text, start, end) in enumerate(found, 1):
        if not (start and end and grammar.time.fullmatch(start) and grammar.time.fullmatch(end)):
            raise InputError(f"line {line}: cannot read the times of cue {k} in {quote_line(text)} "
                             f"({grammar.name} writes them as in {grammar.sample}); correct or remove that line")
        out.append(Timing(line, start, end, to_ms(start), to_ms(end)))
        if len(out) > MAX_CUES:
            raise InputError(f"has more than the {MAX_CUES} cues this tool takes in one file")
    return out


def _find_timings(lines: Sequence[str], fmt: str, fps: float | None) -> tuple[list[Timing], float | None]:
    """Every cue's timing as the file writes it, checked; and, for MicroDVD, the frame rate
    read from the file (None when it declares none and ``fps`` is used)."""
    declared = None
    if fmt == "microdvd":
        declared = _microdvd_rate(lines)
        rate = declared[1] if declared else fps
        if rate is None:
            raise InputError("line 1: MicroDVD times are frame numbers, and this file does not declare its "
                             "frame rate; add a first line such as {1}{1}25.000 with the video's")
        timings = _timings(_microdvd_lines(lines, declared[0] if declared else 0), fmt,
                           lambda f: _frames_ms(int(f.strip("{}")), rate))
    elif fmt in ("ass", "ssa"):
        timings = _timings(_ass_lines(lines), fmt, _clock_ms)
    else:
        timings = _timings(_arrow_lines(lines, fmt), fmt, _clock_ms)
    check_times(timings)
    return timings, declared[1] if declared else None


def _frames_ms(frames: int, fps: float) -> int:
    from pysubs2.time import frames_to_ms

    return frames_to_ms(frames, fps)


def _match(timings: Sequence[Timing], cues: Sequence[SubtitleCue], fmt: str) -> None:
    """Each timing line found must be the cue the reader read, in order and to the millisecond;
    the first that is not is named (SubRip's reader folds a cue into the one before it when the
    blank line between them is missing)."""
    for k, (t, cue) in enumerate(zip_longest(timings, cues), 1):
        if t is None:  # not expected: every reader's cue has a timing line this module finds
            raise InputError(f"cue {k} (at {cue.start:.3f} s) has no timing line this tool can find")
        if cue is None or (round(cue.start * 1000), round(cue.end * 1000)) != (t.start, t.end):
            hint = " (a SubRip cue begins after a blank line)" if fmt == "srt" else ""
            raise InputError(f"line {t.line}: cue {k} ({t.start_text} --> {t.end_text}) is not read as a cue{hint}")


# ---------------------------------------------------------------- the readers


def _plain_lines(text: str) -> tuple[str, ...]:
    text = _INLINE_TIME.sub("", text)
    return tuple(ln.strip() for ln in _TAGS.sub("", text).split("\n") if ln.strip())


def _srt(text: str) -> list[SubtitleCue]:
    """SubRip through pysrt (the user's choice): it keeps each cue's text exactly as written."""
    # ERROR_PASS: pysrt's ERROR_LOG writes bytes to sys.stderr and raises TypeError on Python 3;
    # the blocks it passes over with a timing line are refused by ``_match``, the others (text
    # with no time) are shown by no player either.
    items = pysrt.SubRipFile.from_string(text, error_handling=pysrt.ERROR_PASS)
    return [SubtitleCue(n, item.start.ordinal / 1000, item.end.ordinal / 1000, _plain_lines(item.text),
                        raw=item.text) for n, item in enumerate(items, 1)]


def _vtt(text: str) -> list[SubtitleCue]:
    """WebVTT through webvtt-py, which reads its blocks as the format defines them: NOTE, STYLE
    and REGION blocks and cue identifiers are not cue text, a voice (``<v Name>``) is the
    speaker, character references are characters. ``raw`` is the cue as webvtt-py writes it in
    SubRip (bold, italic, underline and class colours kept), for ``--fix``."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        doc = webvtt.WebVTT.from_string(text)
    except (MalformedFileError, MalformedCaptionError) as exc:
        raise InputError(f"not a valid WebVTT file ({exc})") from None
    buf = io.StringIO()
    doc.write(buf, "srt", keep_formatting=True)
    raws = [item.text for item in pysrt.SubRipFile.from_string(buf.getvalue())]
    return [SubtitleCue(n, c.start_time.in_milliseconds() / 1000, c.end_time.in_milliseconds() / 1000,
                        tuple(html.unescape(ln) for ln in _plain_lines(c.text)), c.voice, raw)
            for n, (c, raw) in enumerate(zip(doc.captions, raws, strict=True), 1)]


def _pysubs2(text: str, fmt: str, fps: float | None) -> list[SubtitleCue]:
    """ASS/SSA and MicroDVD through pysubs2: millisecond times, styling kept (as SubRip markup
    in ``raw``). MicroDVD's frames become times at ``fps``, or, when it is None, at the rate
    the file's first line declares (pysubs2 then reads that line as the rate, not a cue)."""
    import pysubs2

    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt, fps=fps)
    except Exception as exc:  # pysubs2 raises its own FormatError and ValueError
        raise InputError(f"not a valid {fmt.upper()} file ({exc})") from None
    cues: list[SubtitleCue] = []
    for event in subs:
        if event.is_comment:
            continue
        raw = _INLINE_TIME.sub("", pysubs2.SSAFile.to_string(_one(event), "srt").split("\n", 2)[-1].strip())
        cues.append(SubtitleCue(len(cues) + 1, event.start / 1000, event.end / 1000, _plain_lines(event.plaintext),
                                event.name or None, raw=raw))
    return cues


def _one(event):  # pysubs2.SSAEvent -> SSAFile
    import pysubs2

    subs = pysubs2.SSAFile()
    subs.append(event.copy())
    return subs


# ---------------------------------------------------------------- the entry points


def _sniff(text: str, fmt: str) -> str:
    """The format the text declares (a WebVTT, XML or ASS header), else the one its name implies."""
    head = text.lstrip("\ufeff")
    if head.startswith("WEBVTT"):
        return "vtt"
    if re.match(r"\s*<(\?xml|tt\b|[\w.-]+:tt\b)", head):
        return "ttml"
    if head.startswith("[Script Info]"):
        return "ass"
    return fmt


def parse_subtitles(text: str, fmt: str, fps: float | None = None) -> list[SubtitleCue]:
    """Cues from subtitle text; ``fmt`` from the file's extension, or sniffed; ``fps`` the
    video's frame rate, for a MicroDVD file that does not declare its own."""
    fmt = _sniff(text, fmt)
    if fmt == "ttml":
        cues = read_ttml(text.lstrip("\ufeff"))
        log.debug("%d cues read as TTML", len(cues))
        return cues
    lines = LINE_BREAK.split(text.lstrip("\ufeff"))
    if fmt == "vtt" and not lines[0].startswith("WEBVTT"):
        raise InputError(f"line 1: a WebVTT file begins with the line WEBVTT (players show nothing "
                         f"without it); found {quote_line(lines[0])}")
    timings, declared = _find_timings(lines, fmt, fps)
    if fmt == "srt":
        cues = _srt(text)
    elif fmt == "vtt":
        cues = _vtt(text)
    else:
        cues = _pysubs2(text, fmt, None if declared else fps)
    _match(timings, cues, fmt)
    log.debug("%d cues read as %s", len(cues), fmt)
    return cues


def read_subtitles(path: str | Path, fps: float | None = None) -> list[SubtitleCue]:
    """A published subtitle file's cues, or one line naming what in it cannot be used and where."""
    path = Path(path)
    text = read_text(path)
    fmt = _FORMATS.get(path.suffix.lower(), "srt")
    try:
        cues = parse_subtitles(text, fmt, fps)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    if not cues:
        raise InputError(f"{path}: no subtitle cues found (no line such as {GRAMMARS[fmt].sample})")
    return cues


def write_srt(path: str | Path, cues: list[SubtitleCue]) -> Path:
    """Write cues as SubRip (pysrt), atomically, numbered afresh, each cue's text as written."""
    from ..runtime.textio import write_text_atomic

    items = pysrt.SubRipFile()
    for n, cue in enumerate(cues, 1):
        items.append(pysrt.SubRipItem(n, pysrt.SubRipTime.from_ordinal(round(cue.start * 1000)),
                                      pysrt.SubRipTime.from_ordinal(round(cue.end * 1000)),
                                      cue.raw or "\n".join(cue.lines)))
    buf = io.StringIO()
    items.write_into(buf, eol="\n")
    write_text_atomic(Path(path), buf.getvalue())
    return Path(path)
