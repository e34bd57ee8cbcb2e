"""Published subtitle files read into one model of a cue: SubRip through pysrt, WebVTT through
webvtt-py, ASS/SSA and MicroDVD through pysubs2, all with millisecond times and their markup kept;
TTML (IMSC, EBU-TT-D, DFXP) by this module, with the standard library's expat (``_ttml``).

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
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from fractions import Fraction
from itertools import zip_longest
from pathlib import Path

import pysrt

from ..errors import InputError
from ..runtime.textio import read_text
from ..text.directions import SOUND_WORDS

__all__ = ["SubtitleCue", "parse_subtitles", "read_subtitles"]

log = logging.getLogger(__name__)


MAX_CUES = 50_000  # documented in --help: an hour of dense subtitles has about 1,200
QUOTE_CHARS = 60  # a line quoted in a message is cut to this length
MICRODVD_FPS = (1.0, 1000.0)  # frame rates a MicroDVD file may declare: any real video's, not 0 or 1e300


@dataclass(frozen=True)
class SubtitleCue:
    """One cue, the same model whatever the format: plain text lines for the checks, and the
    cue's text as written (markup kept: ``<i>``, ``{\\an8}``) for writing it back."""

    index: int
    start: float
    end: float
    lines: tuple[str, ...]
    speaker: str | None = None
    raw: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.lines)


_TAGS = re.compile(r"</?[a-zA-Z][^>]*>|\{\\[^}]*\}")
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}(?::\d{2})?[.,]\d{1,3}>")  # WebVTT karaoke timestamps
_FORMATS = {".srt": "srt", ".vtt": "vtt", ".ass": "ass", ".ssa": "ssa", ".sub": "microdvd",
            ".ttml": "ttml", ".dfxp": "ttml", ".xml": "ttml"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # lines as an editor numbers them


# ---------------------------------------------------------------- one validation of every format's times


@dataclass(frozen=True)
class _Grammar:
    """How a format writes one time (a sign allowed, so that a negative one is named as such),
    and, for the message that refuses one, its name and a cue's times as it writes them."""

    time: re.Pattern[str]
    name: str
    sample: str


_GRAMMARS = {
    # pysrt adds up the fields (99:99:99,999 is a time); a fraction of other than three digits
    # is read as milliseconds by pysrt and as a decimal by the others: ambiguous, so refused.
    "srt": _Grammar(re.compile(r"-?\d+:\d{1,2}:\d{1,2}[,.]\d{3}"), "SubRip", "00:01:02,345 --> 00:01:04,000"),
    "vtt": _Grammar(re.compile(r"-?(?:\d+:)?[0-5]\d:[0-5]\d\.\d{3}"), "WebVTT", "00:01:02.345 --> 00:01:04.000"),
    # pysubs2 reads one to three fraction digits as a decimal (.5 is 500 ms)
    "ass": _Grammar(re.compile(r"-?\d{1,2}:\d{1,2}:\d{1,2}[.,]\d{1,3}"), "ASS",
                    "Dialogue: 0,0:01:02.34,0:01:04.00,..."),
    "microdvd": _Grammar(re.compile(r"\{-?\d+\}"), "MicroDVD", "{25}{50}Hello (frame numbers)"),
}
_GRAMMARS["ssa"] = _GRAMMARS["ass"]
# TTML's clock time (hours:minutes:seconds, then a fraction or frames and sub-frames) and offset
# time (a count and its unit: hours, minutes, seconds, milliseconds, frames, ticks)
_TTML_CLOCK = re.compile(r"(\d{2,}):([0-5]\d):([0-5]\d|60)(?:(\.\d+)|:(\d{2,})(?:\.(\d+))?)?")
_TTML_OFFSET = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms|f|t)")
_GRAMMARS["ttml"] = _Grammar(re.compile(f"{_TTML_CLOCK.pattern}|{_TTML_OFFSET.pattern}"), "TTML",
                             '<p begin="00:01:02.345" end="00:01:04.000">')


@dataclass(frozen=True)
class _Timing:
    """A cue's times as its file writes them: the line they are on (from 1), each time as
    written and in milliseconds."""

    line: int
    start_text: str
    end_text: str
    start: int
    end: int


def _quote(line: str) -> str:
    line = line.strip()
    return f"'{line}'" if len(line) <= QUOTE_CHARS else f"'{line[:QUOTE_CHARS]}...'"


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
    strict = re.compile(rf"\s*{_GRAMMARS[fmt].time.pattern}\s*-->\s*{_GRAMMARS[fmt].time.pattern}(?:\s.*)?")
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
             to_ms: Callable[[str], int]) -> list[_Timing]:
    """Each timing line read strictly by its format's grammar, or refused naming the line."""
    grammar, out = _GRAMMARS[fmt], []
    for k, (line, text, start, end) in enumerate(found, 1):
        if not (start and end and grammar.time.fullmatch(start) and grammar.time.fullmatch(end)):
            raise InputError(f"line {line}: cannot read the times of cue {k} in {_quote(text)} "
                             f"({grammar.name} writes them as in {grammar.sample}); correct or remove that line")
        out.append(_Timing(line, start, end, to_ms(start), to_ms(end)))
        if len(out) > MAX_CUES:
            raise InputError(f"has more than the {MAX_CUES} cues this tool takes in one file")
    return out


def _check_times(timings: Sequence[_Timing]) -> None:
    """The one rule for every format: times are not negative, and a cue ends after it starts
    (one that ends before or when it starts is never shown; a time for it would be made up)."""
    for k, t in enumerate(timings, 1):
        where = f"line {t.line}: cue {k} ({t.start_text} --> {t.end_text})"
        if t.start < 0 or t.end < 0:
            raise InputError(f"{where} has a negative time; times count from the start of the media")
        if t.end < t.start:
            raise InputError(f"{where} ends before it starts; correct its times or remove it")
        if t.end == t.start:
            raise InputError(f"{where} ends when it starts, so it is never shown; give it an end or remove it")


def _find_timings(lines: Sequence[str], fmt: str, fps: float | None) -> tuple[list[_Timing], float | None]:
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
    _check_times(timings)
    return timings, declared[1] if declared else None


def _frames_ms(frames: int, fps: float) -> int:
    from pysubs2.time import frames_to_ms

    return frames_to_ms(frames, fps)


def _match(timings: Sequence[_Timing], cues: Sequence[SubtitleCue], fmt: str) -> None:
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


# ---------------------------------------------------------------- TTML: IMSC, EBU-TT-D, DFXP

# TTML's namespace, and those of the DFXP drafts files are still delivered in
_TT_NAMESPACES = ("http://www.w3.org/ns/ttml", "http://www.w3.org/2006/10/ttaf1", "http://www.w3.org/2006/04/ttaf1")
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # XML's white space (a no-break space is text)


@dataclass
class _Node:
    """An element as read: its name (``{namespace}local``), attributes (named alike), the line
    its start tag is on, and its content in order (text and elements)."""

    tag: str
    attrs: dict[str, str]
    line: int
    content: list[_Node | str] = dc_field(default_factory=list)

    @property
    def local(self) -> str:
        return self.tag.rpartition("}")[2]

    @property
    def space(self) -> str:
        return self.tag[1:].partition("}")[0] if self.tag.startswith("{") else ""

    def children(self, local: str | None = None) -> list[_Node]:
        return [c for c in self.content if isinstance(c, _Node) and (local is None or c.local == local)]

    def get(self, kind: str, local: str) -> str | None:
        """A TTML attribute: ``kind`` is "" for TTML's own unprefixed ones (``begin``), else the
        vocabulary (``parameter``, ``metadata``, ``styling``) in any of TTML's namespaces."""
        if not kind:
            return self.attrs.get(local)
        for name, value in self.attrs.items():
            uri, _, attr = name[1:].partition("}")
            base, _, vocabulary = uri.partition("#")
            # "#styling" in TTML, "#style" in the 2006 drafts: the first four letters tell them apart
            if attr == local and base in _TT_NAMESPACES and vocabulary[:4] == kind[:4]:
                return value
        return None


def _xml_tree(text: str) -> _Node:
    """The document's elements with their lines (expat, which ElementTree is built on, without
    losing them); a document that declares entities is refused unread."""
    from xml.parsers import expat

    parser = expat.ParserCreate(encoding="utf-8", namespace_separator="}")
    parser.buffer_text = True
    stack = [_Node("", {}, 0)]

    def clark(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attrs: dict[str, str]) -> None:
        node = _Node(clark(name), {clark(k): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        stack[-1].content.append(node)
        stack.append(node)

    def entity(*_args: object) -> None:
        raise InputError(f"line {parser.CurrentLineNumber}: declares an XML entity; a subtitle file needs none, "
                         "and this tool does not expand them")

    def end(_name: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = lambda data: stack[-1].content.append(data)
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        raise InputError(f"line {exc.lineno}: not well-formed XML ({expat.ErrorString(exc.code)}, "
                         f"column {exc.offset + 1})") from None
    return stack[0].children()[0]


@dataclass(frozen=True)
class _Rates:
    """The document's frame rate (``ttp:frameRate`` times its multiplier), sub-frames a frame
    and ticks a second; None where the document does not declare one."""

    frame: Fraction | None
    sub_frame: int
    tick: Fraction | None


def _rate(root: _Node, local: str, pattern: str) -> str | None:
    value = root.get("parameter", local)
    if value is not None and not re.fullmatch(pattern, value.strip()):
        raise InputError(f"line {root.line}: ttp:{local} {_quote(value)} cannot be read")
    return None if value is None else value.strip()


def _ttml_rates(root: _Node) -> _Rates:
    """The time base and rates the document declares: media time only (a SMPTE or wall-clock
    time base needs the video's time code to place a cue), rates as TTML defines them."""
    base = root.get("parameter", "timeBase") or "media"
    if base.strip() != "media":
        raise InputError(f"line {root.line}: ttp:timeBase is {base!r}; this tool reads media time only "
                         "(times from the start of the video); convert the file to media time")
    frame = _rate(root, "frameRate", r"[1-9]\d*")
    multiplier = _rate(root, "frameRateMultiplier", r"[1-9]\d*\s+[1-9]\d*")
    sub_frame = _rate(root, "subFrameRate", r"[1-9]\d*")
    tick = _rate(root, "tickRate", r"[1-9]\d*")
    fps = None if frame is None else Fraction(int(frame))
    if fps is not None and multiplier is not None:
        num, den = multiplier.split()
        fps *= Fraction(int(num), int(den))
    sub = int(sub_frame) if sub_frame else 1
    ticks = Fraction(int(tick)) if tick else (fps * sub if fps is not None else None)
    return _Rates(fps, sub, ticks)


def _ttml_seconds(expr: str, rates: _Rates) -> Fraction:
    """A TTML time expression in seconds; ValueError saying why it cannot be read. Frames and
    ticks need the rate the document declares: TTML's defaults (30 frames, 1 tick a second)
    are rarely the rate a file was made at, and a time from them would be made up."""
    expr = expr.strip()
    clock, offset = _TTML_CLOCK.fullmatch(expr), _TTML_OFFSET.fullmatch(expr)
    if clock:
        h, m, s, fraction, frames, subs = clock.groups()
        seconds = Fraction(int(h) * 3600 + int(m) * 60 + int(s)) + Fraction(fraction or "0")
        if frames is None:
            return seconds
        return seconds + _frames(Fraction(int(frames)) + Fraction(int(subs or 0), rates.sub_frame), rates, expr)
    if offset:
        count, unit = Fraction(offset.group(1)), offset.group(2)
        if unit == "f":
            return _frames(count, rates, expr)
        if unit == "t":
            if rates.tick is None:
                raise ValueError(f"{expr} counts ticks, and the file declares no ttp:tickRate")
            return count / rates.tick
        units: dict[str, Fraction] = {"h": Fraction(3600), "m": Fraction(60), "s": Fraction(1), "ms": Fraction(1, 1000)}
        return count * units[unit]
    raise ValueError(f"{expr!r} is not a TTML time")


def _ttml_time_text(expr: str) -> bool:
    """Whether the text is written as a TTML time is written (whatever rates it needs)."""
    return bool(_GRAMMARS["ttml"].time.fullmatch(expr.strip()))


def _frames(count: Fraction, rates: _Rates, expr: str) -> Fraction:
    if rates.frame is None:
        raise ValueError(f"{expr} counts frames, and the file declares no ttp:frameRate")
    if ":" in expr and count >= rates.frame:
        raise ValueError(f"{expr} has more frames than the {float(rates.frame):g} a second the file declares")
    return count / rates.frame


@dataclass(frozen=True)
class _Span:
    """A timed element's interval, in seconds from the start of the media (end None: open)."""

    begin: Fraction
    end: Fraction | None
    line: int
    timed: bool  # the element or one above it says a begin
    cut: bool = False  # its end is its parent's, sooner than its own


def _interval(node: _Node, parent: _Span, rates: _Rates, where: str) -> _Span:
    """An element's interval in its parent's (TTML's ``par`` timing: begin and end counted from
    the parent's begin, ``dur`` from its own; a child never outlasts its parent)."""
    if (node.get("", "timeContainer") or "par").strip() != "par":
        raise InputError(f"line {node.line}: a {node.local} with timeContainer=\"seq\" (times one after "
                         "another); this tool reads par timing only")
    written = {a: v.strip() for a in ("begin", "end", "dur") if (v := node.get("", a)) is not None}
    if any(v.startswith("-") and _ttml_time_text(v[1:]) for v in written.values()):
        shown = f"{written.get('begin', '')} --> {written.get('end', written.get('dur', ''))}"
        raise InputError(f"line {node.line}: {where} ({shown}) has a negative time; times count from the start "
                         "of the media")
    try:
        times = {a: _ttml_seconds(v, rates) for a in ("begin", "end", "dur") if (v := node.get("", a)) is not None}
    except ValueError as exc:
        raise InputError(f"line {node.line}: cannot read the times of {where} ({exc}; TTML writes them as in "
                         f"{_GRAMMARS['ttml'].sample}); correct or remove that element") from None
    begin = parent.begin + times.get("begin", Fraction(0))
    own = [e for e in (parent.begin + times["end"] if "end" in times else None,
                       begin + times["dur"] if "dur" in times else None) if e is not None]
    end = min([*own, *([parent.end] if parent.end is not None else [])], default=None)
    cut = parent.end is not None and bool(own) and parent.end < min(own)
    return _Span(begin, end, node.line, parent.timed or "begin" in times, cut)


def _ttml_lines(node: _Node, preserve: bool = False) -> list[str]:
    """A cue's lines as shown: ``<br/>`` breaks a line; XML white space is one space unless
    ``xml:space="preserve"`` keeps it (a line feed then breaks the line too); metadata and
    animation are not text."""
    lines = [""]
    for item in node.content:
        if isinstance(item, str):
            parts = item.split("\n") if preserve else [_XML_SPACE.sub(" ", item)]
            lines[-1] += parts[0]
            lines.extend(parts[1:])
        elif item.local == "br":
            lines.append("")
        elif item.local == "span" and item.get("styling", "display") != "none":
            inner = _ttml_lines(item, _space(item, preserve))
            lines[-1] += inner[0]
            lines.extend(inner[1:])
    return lines


def _agents(root: _Node) -> dict[str, str]:
    """Each ``ttm:agent``'s id and the name it gives (its first ``ttm:name``, else the id)."""
    out: dict[str, str] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children())
        ident = node.attrs.get(f"{{{_XML_NS}}}id")
        if node.local == "agent" and node.space.endswith("#metadata") and ident:
            names = ["".join(c for c in n.content if isinstance(c, str)).strip() for n in node.children("name")]
            out[ident] = next((n for n in names if n), ident)
    return out


def _speaker(p: _Node, inherited: str | None, agents: dict[str, str]) -> str | None:
    """Who speaks a cue: the first agent its ``p`` names, else its first span's, else its
    div's or body's."""
    spans = [p, *(c for c in p.children("span"))]
    ref = next((v.split()[0] for n in spans if (v := n.get("metadata", "agent")) and v.split()), inherited)
    return agents.get(ref, ref) if ref else None


@dataclass(frozen=True)
class _TtmlCue:
    """A ``p`` found: its cue, and its times as written and on its line (for messages)."""

    cue: SubtitleCue
    timing: _Timing


def _paragraph(p: _Node, k: int, span: _Span, speaker: str | None, source: Sequence[str],
               preserve: bool) -> _TtmlCue:
    """One ``p`` as a cue, or refused naming its line when the file does not say when it is shown."""
    quote = _quote(source[p.line - 1]) if 0 < p.line <= len(source) else f"<p> on line {p.line}"
    if not span.timed:
        raise InputError(f"line {p.line}: cue {k} ({quote}) has no begin time, on it or on its div or body; "
                         "a time for it would be made up")
    if span.end is None:
        raise InputError(f"line {p.line}: cue {k} ({quote}) has no end time, on it or on its div or body; "
                         "a time for it would be made up")
    begin_text = p.get("", "begin") or "(its div's begin)"
    if span.cut and span.end <= span.begin:
        raise InputError(f"line {p.line}: cue {k} ({quote}) is never shown: it begins after its div or body "
                         "ends; correct its times or remove it")
    end_text = p.get("", "end") or (f"dur {d}" if (d := p.get("", "dur")) else "(its div's end)")
    lines = tuple(ln for ln in (_XML_SPACE.sub(" ", x).strip() for x in _ttml_lines(p, preserve)) if ln)
    timing = _Timing(p.line, begin_text, end_text, round(span.begin * 1000), round(span.end * 1000))
    return _TtmlCue(SubtitleCue(k, timing.start / 1000, timing.end / 1000, lines, speaker, "\n".join(lines)), timing)


def _space(node: _Node, inherited: bool) -> bool:
    """Whether ``xml:space`` keeps white space here (it is inherited until an element resets it)."""
    return {"preserve": True, "default": False}.get(node.attrs.get(f"{{{_XML_NS}}}space", ""), inherited)


def _ttml_body(root: _Node, source: Sequence[str]) -> list[_TtmlCue]:
    """Every ``p`` under the body, in document order, with its interval, speaker and white
    space handling through its divs."""
    rates, agents = _ttml_rates(root), _agents(root)
    out: list[_TtmlCue] = []
    body = next(iter(root.children("body")), None)
    if body is None:
        return []
    work: deque[tuple[_Node, _Span, str | None, bool]] = deque(
        [(body, _Span(Fraction(0), None, 0, False), None, _space(root, False))])
    while work:  # depth first, in document order
        node, parent, agent, preserve = work.popleft()
        k, preserve = len(out) + 1, _space(node, preserve)
        span = _interval(node, parent, rates, f"cue {k}" if node.local == "p" else f"the {node.local}")
        ref = node.get("metadata", "agent")
        agent = ref.split()[0] if ref and ref.split() else agent
        if node.local == "p":
            out.append(_paragraph(node, k, span, _speaker(node, agent, agents), source, preserve))
            if len(out) > MAX_CUES:
                raise InputError(f"has more than the {MAX_CUES} cues this tool takes in one file")
        else:
            work.extendleft(reversed([(c, span, agent, preserve) for c in node.children() if c.local in ("div", "p")]))
    return out


def _ttml(text: str) -> list[SubtitleCue]:
    """A TTML document's cues (IMSC, EBU-TT-D, SMPTE-TT, DFXP): times through its divs as TTML
    defines them, speakers from ``ttm:agent``, lines broken at ``<br/>``."""
    root = _xml_tree(text)
    if root.local != "tt" or root.space not in _TT_NAMESPACES:
        raise InputError(f"line {root.line}: the document is <{root.local}>, not TTML's <tt> "
                         f"(in the namespace {_TT_NAMESPACES[0]})")
    found = _ttml_body(root, _LINE_BREAK.split(text))
    _check_times([f.timing for f in found])
    shown = [f for f in found if f.cue.lines]
    if len(shown) < len(found):
        log.debug("%d cues with no text (shown as nothing) left out", len(found) - len(shown))
    return [replace(f.cue, index=n) for n, f in enumerate(shown, 1)]


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
        cues = _ttml(text.lstrip("\ufeff"))
        log.debug("%d cues read as TTML", len(cues))
        return cues
    lines = _LINE_BREAK.split(text.lstrip("\ufeff"))
    if fmt == "vtt" and not lines[0].startswith("WEBVTT"):
        raise InputError(f"line 1: a WebVTT file begins with the line WEBVTT (players show nothing "
                         f"without it); found {_quote(lines[0])}")
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
        raise InputError(f"{path}: no subtitle cues found (no line such as {_GRAMMARS[fmt].sample})")
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


# ---------------------------------------------------------------- speaker labels in a cue's text

_BRACKET_NAME = re.compile(r"^\s*[\[(](?P<name>[^\]\)\d]{1,50})[\])]\s*:?\s*(?P<rest>.*)$", re.S)
_COLON_NAME = re.compile(r"^\s*(?P<name>[A-ZÀ-Þ][\w'’.-]*(?:[ \t]+[A-ZÀ-Þ][\w'’.-]*){0,3})\s*:\s+(?P<rest>\S.*)$", re.S)
_DASH = re.compile(r"^\s*[-–—]\s*")
def label_of(line: str) -> tuple[str, str] | None:
    """A speaker label opening one line: ``[Name] text``, ``(Name) text``, ``NAME: text``, as
    (name, the rest of the line); None when the line opens with none (pure).

    A name is one to four capitalised words; a bracket of sound words (``[MUSIC]``,
    ``(laughs)``) is no name.
    """
    m = _BRACKET_NAME.match(line) or _COLON_NAME.match(line)
    if m is None:
        return None
    name = " ".join(m.group("name").split())
    words = name.split()
    if not words or len(words) > 4 or not all(w[0].isupper() for w in words if w[0].isalpha()):
        return None
    if not words[0][0].isupper() or {w.lower().strip(".,") for w in words} <= SOUND_WORDS:
        return None
    return name, m.group("rest")


def cue_label(lines: Sequence[str]) -> str | None:
    """The speaker a cue's text names at its start (pure): ``[Name]``/``NAME:`` opening the
    first line (after a dialogue dash), or ``[Name]`` alone on the first line above the text.
    None when it names none, and for a dialogue cue (two lines led by dashes): two speakers,
    neither the cue's."""
    lines = [ln for ln in lines if ln.strip()]
    if not lines or sum(bool(_DASH.match(ln)) for ln in lines) >= 2:
        return None
    found = label_of(_DASH.sub("", lines[0], count=1))
    if found is None:
        return None
    name, rest = found
    return name if rest.strip() or len(lines) > 1 else None


def cue_speakers(cues: Sequence[SubtitleCue]) -> list[str | None]:
    """Each cue's speaker (pure): the format's own (WebVTT voice, TTML agent, ASS name), else the
    label its text opens with (``cue_label``), else the speaker of the cue before it (a label
    is written on a turn's first cue only). A dialogue cue has none, and ends the turn."""
    out: list[str | None] = []
    current: str | None = None
    for cue in cues:
        dialogue = sum(bool(_DASH.match(ln)) for ln in cue.lines if ln.strip()) >= 2
        if cue.speaker:
            current = cue.speaker
        elif dialogue:
            current = None
        else:
            current = cue_label(cue.lines) or current
        out.append(current)
    return out
