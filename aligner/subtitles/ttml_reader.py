"""TTML read into cues (IMSC, EBU-TT-D, SMPTE-TT, DFXP) with the standard library's expat, line
numbers kept: times through the divs as TTML defines them, speakers from ``ttm:agent``, lines
broken at ``<br/>``. Apart from the other readers (``published``), which hand a format to a
library and check its timing lines first: here the XML is read by this module, and a cue's
times are checked as it is found; both refuse a time by the grammars in ``timing_lines``."""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from fractions import Fraction

from ..errors import InputError
from .subtitle_cue import SubtitleCue
from .timing_lines import GRAMMARS, LINE_BREAK, MAX_CUES, TTML_CLOCK, TTML_OFFSET, Timing, check_times, quote_line

__all__ = ["read_ttml"]

log = logging.getLogger(__name__)


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
        raise InputError(f"line {root.line}: ttp:{local} {quote_line(value)} cannot be read")
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
    clock, offset = TTML_CLOCK.fullmatch(expr), TTML_OFFSET.fullmatch(expr)
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
    return bool(GRAMMARS["ttml"].time.fullmatch(expr.strip()))


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
                         f"{GRAMMARS['ttml'].sample}); correct or remove that element") from None
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
    timing: Timing


def _paragraph(p: _Node, k: int, span: _Span, speaker: str | None, source: Sequence[str],
               preserve: bool) -> _TtmlCue:
    """One ``p`` as a cue, or refused naming its line when the file does not say when it is shown."""
    quote = quote_line(source[p.line - 1]) if 0 < p.line <= len(source) else f"<p> on line {p.line}"
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
    timing = Timing(p.line, begin_text, end_text, round(span.begin * 1000), round(span.end * 1000))
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


def read_ttml(text: str) -> list[SubtitleCue]:
    """A TTML document's cues (IMSC, EBU-TT-D, SMPTE-TT, DFXP): times through its divs as TTML
    defines them, speakers from ``ttm:agent``, lines broken at ``<br/>``."""
    root = _xml_tree(text)
    if root.local != "tt" or root.space not in _TT_NAMESPACES:
        raise InputError(f"line {root.line}: the document is <{root.local}>, not TTML's <tt> "
                         f"(in the namespace {_TT_NAMESPACES[0]})")
    found = _ttml_body(root, LINE_BREAK.split(text))
    check_times([f.timing for f in found])
    shown = [f for f in found if f.cue.lines]
    if len(shown) < len(found):
        log.debug("%d cues with no text (shown as nothing) left out", len(found) - len(shown))
    return [replace(f.cue, index=n) for n, f in enumerate(shown, 1)]

