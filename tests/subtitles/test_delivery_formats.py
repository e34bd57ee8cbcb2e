"""Delivery formats (issue 35): IMSC 1.1 Text (.ttml), EBU-TT-D (.xml) and ASS (.ass) written
from the cue builder's own cues, valid against the published schemas (fixtures/schemas), and
read back by the audit's reader (published.py) to the SRT's times and text. Pure: no model."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pysubs2
import pytest

from aligner.subtitles import formats
from aligner.subtitles.cues import Cue, TimedWord, build_cues
from aligner.subtitles.formats import ass, ttml
from aligner.subtitles.formats.speakers import line_speakers, shown_lines
from aligner.subtitles.profiles import Profile, get_profile
from aligner.subtitles.published import read_subtitles

from ..helpers import FIXTURES

SCHEMAS = FIXTURES / "schemas"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# five speakers, so the fifth takes the first colour again; a name with a comma (an ASS field
# separator), text with XML's special characters and accents; two short replies close together
# become a dialogue cue
SCRIPT = [
    ("Ann Lee", "Good evening. Tonight the river that made this town, and the flood that nearly took it."),
    ("Bob", "Thanks, Ann."),
    ("Cat Ng", "Right."),
    ("Dan", "We left at dawn & came back late: the water was at the door by then, and rising fast."),
    ("Eve, the mayor", "Zoë's café was the first to go, “quietly”, and the last to open again."),
    ("Ann Lee", "Were you afraid?"),
    ("Dan", "Of course. Everyone was, and nobody said so until the boats came for us on the Sunday."),
]


@dataclass(frozen=True)
class View:
    """An alignment as the writers read it (``results.AlignedView``)."""

    cues: tuple[Cue, ...]
    profile: Profile = field(default_factory=get_profile)
    media: str = "clip.mp4"
    transcript_path: str | None = None
    audio_language: str = "en"
    transcript_language: str | None = "en"
    model: str = "base"
    duration: float = 60.0
    words: tuple[TimedWord, ...] = ()
    unheard: tuple = ()
    untranscribed: tuple = ()
    all_warnings: tuple[str, ...] = ()
    fps: float = 25.0  # what the cues were timed at (not part of the view: for the checks)


def timed_words(step: float = 0.31) -> list[TimedWord]:
    out, t = [], 0.52
    for turn, (speaker, text) in enumerate(SCRIPT):
        for token in text.split():
            out.append(TimedWord(len(out), token, t, t + step * 0.8, True, 0.9, turn, speaker,
                                 sentence_end=token[-1] in ".?", clause_end=token[-1] in ",:"))
            t += step
        t += 0.45  # a pause between turns, short enough for a dialogue cue
    return out


@pytest.fixture(scope="module", params=[25.0, 30000 / 1001], ids=["25fps", "29.97fps"])
def view(request) -> View:
    cues = build_cues(timed_words(), get_profile(), fps=request.param, dialogue=True)
    return View(tuple(cues), words=tuple(timed_words()), fps=request.param)


@pytest.fixture(scope="module")
def schemas():
    xmlschema = pytest.importorskip("xmlschema")  # a test dependency: pyproject's [test]
    xml = ("http://www.w3.org/XML/1998/namespace", str(SCHEMAS / "ttml2" / "xml.xsd"))
    ebu = xmlschema.XMLSchema10(str(SCHEMAS / "ebu-tt-d" / "ebutt_d.xsd"), allow="local", locations=[xml])
    imsc = xmlschema.XMLSchema10(str(SCHEMAS / "ttml2" / "ttml2.xsd"), allow="local", locations=[
        xml,
        ("http://www.w3.org/ns/ttml/profile/imsc1#metadata", str(SCHEMAS / "imsc1" / "imsc1-metadata.xsd")),
        ("http://www.w3.org/ns/ttml/profile/imsc1#parameter", str(SCHEMAS / "imsc1" / "imsc1-parameters.xsd")),
        ("http://www.w3.org/ns/ttml/profile/imsc1#styling", str(SCHEMAS / "imsc1" / "imsc1-styling.xsd")),
        ("urn:ebu:tt:style", str(SCHEMAS / "ebu-tt-d" / "ebutt_styling.xsd")),
    ])
    return {"imsc": imsc, "ebu": ebu}


def errors(schema, document: str) -> list[str]:
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(document)]


def test_the_script_makes_the_cues_the_formats_must_carry(view):
    """The writers get what the tests claim: labels, a dialogue cue, two-line cues, 5 speakers."""
    assert any(c.dialogue for c in view.cues) and any(c.label for c in view.cues)
    assert any(len(c.lines) == 2 and not c.dialogue for c in view.cues)
    assert len({s for c in view.cues for s in line_speakers(c)}) == 5


def test_imsc_and_ebu_tt_d_are_valid_against_the_published_schemas(view, schemas):
    assert errors(schemas["imsc"], ttml.imsc(view)) == []
    assert errors(schemas["ebu"], ttml.ebu_tt_d(view)) == []


def test_an_alignment_with_no_cues_is_still_a_valid_document(schemas):
    """A clip with no speech: EBU-TT-D's div must hold a p, so the document has no body."""
    assert errors(schemas["imsc"], ttml.imsc(View(()))) == []
    assert errors(schemas["ebu"], ttml.ebu_tt_d(View(()))) == []


@pytest.mark.parametrize(("change", "which"), [
    (("begin=\"00:00:0", "begin=\"00:00:0:"), "ebu"),  # frames: EBU-TT-D allows fractions of seconds only
    ((' ttm:agent="speaker2"', ' ttm:agent="nobody"'), "both"),  # a speaker no agent declares
    (('style="speaker1Style"', 'style="missing"'), "both"),
    (('tts:color="#FFFF00"', 'tts:color="yellow"'), "ebu"),  # EBU-TT-D colours are hex only
    ((' type="person"', ""), "imsc"),  # TTML2: an agent says what it is
])
def test_the_schemas_refuse_what_the_profiles_forbid(view, schemas, change, which):
    """The validation is no formality: each fault a writer could make is caught."""
    for name, doc in (("imsc", ttml.imsc(view)), ("ebu", ttml.ebu_tt_d(view))):
        broken = doc.replace(*change, 1)
        assert broken != doc
        assert bool(errors(schemas[name], broken)) == (which in (name, "both")), name


def test_speakers_are_agents_with_names_and_styles_in_the_bbc_colour_order(view):
    ns = {"tt": ttml.NS["tt"], "ttm": ttml.NS["ttm"], "tts": ttml.NS["tts"]}
    root = ET.fromstring(ttml.ebu_tt_d(view).encode())
    agents = {a.get(f"{{{XML_NS}}}id"): a.find("ttm:name", ns).text for a in root.iterfind(".//ttm:agent", ns)}
    assert list(agents.values()) == ["Ann Lee", "Bob", "Cat Ng", "Dan", "Eve, the mayor"]
    colours = {s.get(f"{{{XML_NS}}}id"): s.get(f"{{{ns['tts']}}}color") for s in root.iterfind(".//tt:style", ns)}
    assert [colours[f"{a}Style"] for a in agents] == ["#FFFFFF", "#FFFF00", "#00FFFF", "#00FF00", "#FFFFFF"]
    for p, cue in zip(root.iterfind(".//tt:p", ns), view.cues):
        named = [agents[a] for a in p.get(f"{{{ns['ttm']}}}agent", "").split()]
        assert named == list(dict.fromkeys(line_speakers(cue)))
        assert len(p.findall(".//tt:br", ns)) == len(cue.lines) - 1


def test_ass_has_a_style_per_speaker(view):
    subs = pysubs2.SSAFile.from_string(ass.dumps(view))
    assert list(subs.styles) == ["Default", "Ann Lee", "Bob", "Cat Ng", "Dan", "Eve; the mayor"]
    assert (subs.styles["Bob"].primarycolor.r, subs.styles["Bob"].primarycolor.b) == (255, 0)  # yellow
    dialogue = next(e for e, c in zip(subs, view.cues) if c.dialogue)
    assert "\\N{\\r" in dialogue.text  # the second line in the second speaker's style


@pytest.mark.parametrize("name", ["out.ttml", "out.xml", "out.ebu.xml", "out.ebuttd.xml", "OUT.IMSC.XML", "out.ass"])
def test_the_extension_chooses_the_format(name):
    expected = {".ttml": ttml.imsc, ".xml": ttml.ebu_tt_d, ".ass": ass.dumps}[Path(name.lower()).suffix]
    assert formats.format_for(name) is (ttml.imsc if name.lower().endswith(".imsc.xml") else expected)


def test_every_format_reads_back_to_the_srts_cues(view, tmp_path):
    """One alignment written as SRT, IMSC, EBU-TT-D and ASS and read by the audit's reader:
    the same cues, text and times (to the millisecond; ASS, which stores centiseconds, to the
    frame), and the speakers the SRT cannot carry."""
    written = {}
    for name in ("a.srt", "a.ttml", "a.xml", "a.ass"):
        (tmp_path / name).write_text(formats.render(view, name), encoding="utf-8")
        written[name] = read_subtitles(tmp_path / name)
    srt = written["a.srt"]
    assert [(c.start, c.end) for c in srt] == [(c.start, c.end) for c in view.cues]
    assert [c.lines for c in srt] == [shown_lines(c) for c in view.cues]
    for name in ("a.ttml", "a.xml", "a.ass"):
        got = written[name]
        assert [c.lines for c in got] == [c.lines for c in srt], name
        assert [c.speaker for c in got] == [_first_speaker(c, name) for c in view.cues], name
        if name != "a.ass":
            assert [(c.start, c.end) for c in got] == [(c.start, c.end) for c in srt], name
            continue
        rate = view.fps
        for mine, theirs in zip(got, srt):
            assert abs(mine.start - theirs.start) <= 0.010 and abs(mine.end - theirs.end) <= 0.010
            assert round(mine.start * rate) == round(theirs.start * rate)
            assert round(mine.end * rate) == round(theirs.end * rate)
            assert mine.start >= theirs.start and mine.end <= theirs.end  # never earlier in, never later out


def test_markup_characters_are_text_in_ttml(tmp_path):
    """SRT and ASS readers take ``<b>`` for markup; in TTML it is escaped, and read back as written."""
    words = (TimedWord(0, "x", 1.0, 2.0, True, 1.0, 0, None),)
    cue = Cue(1, 1.0, 2.0, None, ("a <b>bold</b> & {odd} claim",), words)
    for name in ("a.ttml", "a.xml"):
        (tmp_path / name).write_text(formats.render(View((cue,)), name), encoding="utf-8")
        (back,) = read_subtitles(tmp_path / name)
        assert (back.start, back.end, back.lines, back.speaker) == (1.0, 2.0, cue.lines, None)


def test_a_label_on_a_line_of_its_own_stays_there(tmp_path):
    """The cue builder puts a turn's label above its lines where it would split a unit."""
    words = (TimedWord(0, "x", 1.0, 2.0, True, 1.0, 0, "Ann"),)
    cue = Cue(1, 1.0, 2.0, "Ann", ("ninety percent", "of the region"), words, "[Ann]", label_alone=True)
    for name in ("a.srt", "a.ttml", "a.xml", "a.ass"):
        (tmp_path / name).write_text(formats.render(View((cue,)), name), encoding="utf-8")
        (back,) = read_subtitles(tmp_path / name)
        assert back.lines == ("[Ann]", "ninety percent", "of the region"), name
        assert back.speaker == (None if name == "a.srt" else "Ann"), name  # SRT has no voice field


def _first_speaker(cue: Cue, name: str) -> str | None:
    """The speaker a reader gives a cue: its first line's (ASS's Name field has no commas)."""
    speaker = line_speakers(cue)[0]
    return speaker.replace(",", ";") if speaker and name.endswith(".ass") else speaker
