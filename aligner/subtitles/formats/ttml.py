"""TTML out, in the two profiles deliveries ask for: IMSC 1.1 Text (``.ttml``: Netflix, IMF,
streaming) and EBU-TT-D (``.xml``: European broadcasters, HbbTV, the BBC).

One document builder, two profiles: they differ in the root's attributes, the head's metadata
and the colours' spelling. Both write media times in clock form with milliseconds
(``00:01:02.345``): EBU-TT-D allows no other form (no frames, no ``ttp:frameRate``), IMSC 1.1
allows it, and the cues' times are already whole milliseconds on frame boundaries
(``cues._time``), so nothing is rounded a second time. Speakers are ``ttm:agent`` elements
(with a ``ttm:name``) in the head's metadata, referred to by each cue (``ttm:agent`` on the
``p``, and on each line's ``span`` in a dialogue cue); each speaker has a style of their own
(colours in ``speakers.LOOK``); a cue's second line follows a ``<br/>``.

Written with the standard library's ElementTree rather than SandFlow's ttconv (see
docs/formats.md): ttconv's model has no ``ttm:agent`` and no EBU-TT-D writer, and the files
must carry both. Checked against the W3C TTML2/IMSC and EBU-TT-D schemas in
tests/subtitles/test_delivery_formats.py."""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .speakers import LOOK, RGB, Look, colour_of, shown_lines, shown_speakers, speaker_order

if TYPE_CHECKING:
    from ...results import AlignedView
    from ..cues import Cue

__all__ = ["EBU_TT_D", "IMSC_TEXT", "NS", "clock", "ebu_tt_d", "imsc"]

log = logging.getLogger(__name__)

NS = {
    "tt": "http://www.w3.org/ns/ttml",
    "ttp": "http://www.w3.org/ns/ttml#parameter",
    "tts": "http://www.w3.org/ns/ttml#styling",
    "ttm": "http://www.w3.org/ns/ttml#metadata",
    "ebuttm": "urn:ebu:tt:metadata",
    "ebutts": "urn:ebu:tt:style",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
IMSC_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"  # IMSC 1.1's Text profile designator
EBU_TT_D = "urn:ebu:tt:distribution:2018-04"  # EBU-TT-D 1.0.1 (Tech 3380), as its documents declare it
REGION, BASE = "bottom", "base"  # the one region's and the base style's ids

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML 1.0


def _q(name: str) -> str:
    """``tts:color`` as ElementTree spells it (``{namespace}color``); TTML's own elements
    unqualified, in the default namespace the root declares (``_serialise``)."""
    prefix, _, local = name.rpartition(":")
    return f"{{{NS[prefix]}}}{local}" if prefix else local


def clock(ms: int) -> str:
    """A media time in TTML's clock form with milliseconds, ``HH:MM:SS.mmm``."""
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


@dataclass(frozen=True)
class _Profile:
    """What one profile writes differently: attributes of ``tt``, items opening the head's
    metadata, and whether styles carry the background box (EBU-TT-D's look)."""

    name: str
    root: dict[str, str]
    metadata: Callable[[], list[ET.Element]]
    background: bool


def _ebu_metadata() -> list[ET.Element]:
    doc = ET.Element(_q("ebuttm:documentMetadata"))
    ET.SubElement(doc, _q("ebuttm:conformsToStandard")).text = EBU_TT_D
    return [doc]


_IMSC = _Profile("IMSC 1.1 Text", {_q("ttp:contentProfiles"): IMSC_TEXT}, list, background=False)
_EBU = _Profile("EBU-TT-D", {}, _ebu_metadata, background=True)


def _agent_id(n: int) -> str:
    return f"speaker{n + 1}"


def _head(order: Sequence[str], profile: _Profile, look: Look) -> ET.Element:
    """Metadata (the profile's items, then one ``ttm:agent`` a speaker), a base style and one
    style a speaker, and the one region at the bottom of the title-safe area."""
    head = ET.Element(_q("head"))
    meta = ET.SubElement(head, _q("metadata"))
    meta.extend(profile.metadata())
    for n, name in enumerate(order):
        agent = ET.SubElement(meta, _q("ttm:agent"), {_q("xml:id"): _agent_id(n), "type": "person"})
        ET.SubElement(agent, _q("ttm:name"), {"type": "full"}).text = _xml_text(name)
    styling = ET.SubElement(head, _q("styling"))
    ET.SubElement(styling, _q("style"), {
        _q("xml:id"): BASE, _q("tts:fontFamily"): "proportionalSansSerif", _q("tts:textAlign"): "center",
        _q("ebutts:multiRowAlign"): "center", _q("ebutts:linePadding"): f"{look.line_padding:g}c"})
    for n, speaker in enumerate([None, *order]):
        colour = _hex(colour_of(speaker, order, look))
        style: dict[str, str] = {_q("xml:id"): _style_id(speaker, order), _q("tts:color"): colour}
        if profile.background:
            style[_q("tts:backgroundColor")] = _hex(look.background)
        ET.SubElement(styling, _q("style"), style)
        log.debug("style %d: %s", n, style)
    layout = ET.SubElement(head, _q("layout"))
    ET.SubElement(layout, _q("region"), {
        _q("xml:id"): REGION, _q("tts:origin"): "{}% {}%".format(*look.region_origin),
        _q("tts:extent"): "{}% {}%".format(*look.region_extent), _q("tts:displayAlign"): "after"})
    return head


def _style_id(speaker: str | None, order: Sequence[str]) -> str:
    return f"{_agent_id(order.index(speaker))}Style" if speaker in order else "noSpeaker"


def _xml_text(text: str) -> str:
    """Text XML 1.0 can hold (control characters cannot be written in it at all)."""
    return _NOT_XML.sub("", text)


def _paragraph(cue: Cue, n: int, order: Sequence[str]) -> ET.Element:
    """One cue: a ``p`` with its times and speakers, its lines in spans, a ``<br/>`` between
    them; a dialogue cue has a span (with its ``ttm:agent``) a line, any other one span."""
    speakers, lines = shown_speakers(cue), [_xml_text(ln) for ln in shown_lines(cue)]
    attrs = {_q("xml:id"): f"sub{n}", "begin": clock(round(cue.start * 1000)), "end": clock(round(cue.end * 1000))}
    agents = [_agent_id(order.index(s)) for s in dict.fromkeys(speakers) if s in order]
    if agents:
        attrs[_q("ttm:agent")] = " ".join(agents)
    p = ET.Element(_q("p"), attrs)
    if not cue.dialogue:
        span = ET.SubElement(p, _q("span"), {"style": _style_id(cue.speaker, order)})
        _lines_into(span, lines)
        return p
    for k, (speaker, line) in enumerate(zip(speakers, lines)):
        if k:
            ET.SubElement(p, _q("br"))
        span_attrs = {"style": _style_id(speaker, order)}
        if speaker in order:
            span_attrs[_q("ttm:agent")] = _agent_id(order.index(speaker))
        ET.SubElement(p, _q("span"), span_attrs).text = line
    return p


def _lines_into(span: ET.Element, lines: Sequence[str]) -> None:
    """Lines as one span's text, ``<br/>`` between them."""
    span.text = lines[0] if lines else ""
    for line in lines[1:]:
        ET.SubElement(span, _q("br")).tail = line


def _document(alignment: AlignedView, profile: _Profile, look: Look = LOOK) -> str:
    order = speaker_order(alignment.cues)
    language = alignment.transcript_language or alignment.audio_language or ""
    root = ET.Element(_q("tt"), {_q("xml:lang"): language, _q("ttp:timeBase"): "media", **profile.root})
    root.append(_head(order, profile, look))
    if alignment.cues:  # EBU-TT-D's div holds one p at least; a document with no cues has no body
        body = ET.SubElement(root, _q("body"))
        div = ET.SubElement(body, _q("div"), {"region": REGION, "style": BASE})
        div.extend(_paragraph(cue, n, order) for n, cue in enumerate(alignment.cues, 1))
    log.debug("%s: %d cues, %d speakers", profile.name, len(alignment.cues), len(order))
    return _serialise(root)


def _serialise(root: ET.Element) -> str:
    """The document, indented for people, nothing added inside a ``p`` (whitespace there is
    text, and would put a space at the start of a line)."""
    ET.indent(root)
    for p in root.iter(_q("p")):
        p.text = None
        for node in p.iter():
            if node is not p and node.tail is not None and not node.tail.strip():
                node.tail = None
    for prefix, uri in NS.items():
        if prefix not in ("tt", "xml"):
            ET.register_namespace(prefix, uri)
    root.set("xmlns", NS["tt"])  # ElementTree's default_namespace refuses unprefixed attributes
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'


def imsc(alignment: AlignedView) -> str:
    """The cues as an IMSC 1.1 Text document (``ttp:contentProfiles`` declares it)."""
    return _document(alignment, _IMSC)


def ebu_tt_d(alignment: AlignedView) -> str:
    """The cues as an EBU-TT-D document (``ebuttm:conformsToStandard`` declares it)."""
    return _document(alignment, _EBU)
