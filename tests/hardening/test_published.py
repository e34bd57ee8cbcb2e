"""Published subtitles read alike in every format (issue 33): one validation of their times,
named by line and cue; WebVTT's and MicroDVD's non-cue lines read as their formats define them;
UTF-32. A time the file does not say never reaches the audit, and a refused file is refused
before the model loads, with nothing written."""

from __future__ import annotations

import time

import pytest

from aligner.errors import InputError
from aligner.subtitles.published import parse_subtitles, read_subtitles

from ..helpers import FIXTURES
from ..test_hardening import one_line_error, run

ASS_HEAD = ("[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, "
            "MarginR, MarginV, Effect, Text\n")

# the same two cues in each format, the second one's times given by {start} and {end}
TWO_CUES = {
    "srt": ("1\n00:00:01,000 --> 00:00:02,000\nFirst\n\n2\n{start} --> {end}\nSecond\n", 6),
    "vtt": ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst\n\n{start} --> {end}\nSecond\n", 6),
    "ass": (ASS_HEAD + "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,First\n"
            "Dialogue: 0,{start},{end},Default,,0,0,0,,Second\n", 7),
    "microdvd": ("{{1}}{{1}}25.000\n{{25}}{{50}}First\n{{{start}}}{{{end}}}Second\n", 3),
    "ttml": ('<?xml version="1.0" encoding="UTF-8"?>\n<tt xmlns="http://www.w3.org/ns/ttml" xml:lang="en">\n'
             '<body><div>\n<p begin="00:00:01.000" end="00:00:02.000">First</p>\n'
             '<p begin="{start}" end="{end}">Second</p>\n</div></body></tt>\n', 5),
}
TIMES = {  # (start, end) of the second cue as each format writes them
    "reversed": {"srt": ("00:00:05,000", "00:00:03,000"), "vtt": ("00:00:05.000", "00:00:03.000"),
                 "ass": ("0:00:05.00", "0:00:03.00"), "microdvd": ("125", "75"),
                 "ttml": ("00:00:05.000", "00:00:03.000")},
    "zero": {"srt": ("00:00:05,000", "00:00:05,000"), "vtt": ("00:00:05.000", "00:00:05.000"),
             "ass": ("0:00:05.00", "0:00:05.00"), "microdvd": ("125", "125"),
             "ttml": ("00:00:05.000", "5s")},
    "negative": {"srt": ("-00:00:02,000", "00:00:03,000"), "vtt": ("-00:00:02.000", "00:00:03.000"),
                 "ass": ("-0:00:02.00", "0:00:03.00"), "microdvd": ("-50", "75"),
                 "ttml": ("-00:00:02.000", "00:00:03.000")},
}


def two_cues(fmt: str, case: str) -> tuple[str, int]:
    """The two-cue file of ``fmt`` with its second cue's times as ``case`` has them, and the
    line that cue's times are on."""
    text, line = TWO_CUES[fmt]
    start, end = TIMES[case][fmt]
    return text.format(start=start, end=end), line


def refusal(text: str, fmt: str, **kw) -> str:
    with pytest.raises(InputError) as exc:
        parse_subtitles(text, fmt, **kw)
    message = str(exc.value)
    assert "\n" not in message
    return message


# ---------------------------------------------------------------- one validation, every format


@pytest.mark.parametrize("fmt", list(TWO_CUES))
def test_a_cue_that_ends_before_it_starts_is_refused_by_line_and_times(fmt):
    text, line = two_cues(fmt, "reversed")
    start, end = TIMES["reversed"][fmt]
    message = refusal(text, fmt)
    assert message.startswith(f"line {line}: cue 2 (")
    assert start in message and end in message and "ends before it starts" in message


@pytest.mark.parametrize("fmt", list(TWO_CUES))
def test_a_cue_that_ends_when_it_starts_is_refused(fmt):
    """Never shown, so a time for it would be made up: refused, like a reversed one."""
    text, line = two_cues(fmt, "zero")
    message = refusal(text, fmt)
    assert message.startswith(f"line {line}: cue 2 (") and "ends when it starts" in message


@pytest.mark.parametrize("fmt", list(TWO_CUES))
def test_negative_times_are_refused_in_every_format(fmt):
    text, line = two_cues(fmt, "negative")
    message = refusal(text, fmt)
    assert message.startswith(f"line {line}: cue 2 (") and "negative time" in message
    assert TIMES["negative"][fmt][0] in message


def test_cues_with_identical_times_are_accepted():
    text = "1\n00:00:01,000 --> 00:00:02,000\nOne\n\n2\n00:00:01,000 --> 00:00:02,000\nTwo\n"
    assert [(c.start, c.end, c.text) for c in parse_subtitles(text, "srt")] == [(1.0, 2.0, "One"), (1.0, 2.0, "Two")]


def test_times_beyond_any_media_are_read_as_written():
    """Whether a cue lies past the end of the media is the audit's finding, not a reading fault."""
    (cue,) = parse_subtitles("1\n99:59:59,000 --> 99:59:59,999\nLate\n", "srt")
    assert (cue.start, cue.end) == (359999.0, 359999.999)


# ---------------------------------------------------------------- times that cannot be read


@pytest.mark.parametrize(("timing", "line"), [("00:00:01,000 --> banana", 2), ("00:00:xx,000 --> 00:00:03,000", 2),
                                              ("00:00:01,5 --> 00:00:03,000", 2)])
def test_an_unreadable_srt_timing_is_refused_not_read_as_zero(timing, line):
    text = f"1\n{timing}\nFirst\n\n2\n00:00:04,000 --> 00:00:05,000\nSecond\n"
    message = refusal(text, "srt")
    assert message.startswith(f"line {line}: cannot read the times of cue 1 in '{timing}'")
    assert "00:01:02,345 --> 00:01:04,000" in message  # what SubRip's times look like


def test_both_malformed_cues_of_the_issue_are_refused_at_the_first():
    text = "1\n00:00:01,000 --> banana\nhello\n\n2\n00:00:xx,000 --> 00:00:03,000\nworld\n"
    assert refusal(text, "srt").startswith("line 2: cannot read the times of cue 1 in '00:00:01,000 --> banana'")
    fixed = text.replace("banana", "00:00:02,000")
    assert refusal(fixed, "srt").startswith("line 6: cannot read the times of cue 2 in '00:00:xx,000")


def test_a_cue_folded_into_the_one_before_is_refused():
    """pysrt reads a cue whose blank line before it is missing as text of the cue before."""
    text = "1\n00:00:01,000 --> 00:00:02,000\nhello\n2\n00:00:03,000 --> 00:00:04,000\nworld\n"
    message = refusal(text, "srt")
    assert message.startswith("line 5: cue 2 (00:00:03,000 --> 00:00:04,000) is not read as a cue")


def test_an_arrow_in_a_cues_text_is_text():
    (cue,) = parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\nLondon --> Paris\n", "srt")
    assert cue.text == "London --> Paris"


def test_a_truncated_ass_line_gets_no_made_up_end():
    """pysubs2 gives a Dialogue line with no End field an end of 10 s."""
    message = refusal(ASS_HEAD + "Dialogue: 0,0:00:01.00\n", "ass")
    assert message.startswith("line 6: cannot read the times of cue 1 in 'Dialogue: 0,0:00:01.00'")


def test_ass_comment_lines_are_not_cues():
    text = ASS_HEAD + ("Comment: 0,0:00:05.00,0:00:01.00,Default,,0,0,0,,a note\n"
                       "Dialogue: 0,0:00:01.00,0:00:02.5,Default,Ann,0,0,0,,{\\i1}Hi{\\i0} there\n")
    (cue,) = parse_subtitles(text, "ass")
    assert (cue.start, cue.end, cue.text, cue.speaker, cue.raw) == (1.0, 2.5, "Hi there", "Ann", "<i>Hi</i> there")


# ---------------------------------------------------------------- WebVTT's blocks


WEBVTT_BLOCKS = """WEBVTT - with every kind of block

STYLE
::cue(.loud) { color: red }

REGION
id:bottom
width:40%

NOTE a comment
over two lines

intro
00:00:01.000 --> 00:00:02.000 region:bottom
<v Bob>Hello <b>there</b> &amp; <c.loud>you</c>

NOTE between cues

00:00:03.000 --> 00:00:04.500
<i>World</i>
"""


def test_webvtt_note_style_and_region_blocks_are_not_cue_text():
    first, second = parse_subtitles(WEBVTT_BLOCKS, "vtt")
    assert (first.start, first.end, first.lines, first.speaker) == (1.0, 2.0, ("Hello there & you",), "Bob")
    assert (second.start, second.end, second.lines) == (3.0, 4.5, ("World",))
    assert "<b>there</b>" in first.raw and "<v" not in first.raw and "intro" not in first.raw
    assert second.raw == "<i>World</i>"  # SubRip markup, for --fix


def test_a_webvtt_file_without_its_header_is_refused():
    message = refusal("00:00:01.000 --> 00:00:02.000\nHello\n", "vtt")
    assert message.startswith("line 1: a WebVTT file begins with the line WEBVTT")


def test_webvtt_minutes_past_59_are_refused():
    message = refusal("WEBVTT\n\n00:00:61.000 --> 00:01:02.000\nHello\n", "vtt")
    assert message.startswith("line 3: cannot read the times of cue 1")


# ---------------------------------------------------------------- MicroDVD's frame rate


def test_microdvd_frame_rate_line_sets_the_rate_and_is_no_cue():
    cues = parse_subtitles("{1}{1}25.000\n{25}{50}Hello|world\n{75}{100}{y:i}Second\n", "microdvd")
    assert [(c.start, c.end, c.lines) for c in cues] == [(1.0, 2.0, ("Hello", "world")), (3.0, 4.0, ("Second",))]
    assert cues[1].raw == "<i>Second</i>"
    (cue,) = parse_subtitles("{1}{1}50\n{25}{50}Hello\n", "microdvd", fps=25.0)  # the file's own rate wins
    assert (cue.start, cue.end) == (0.5, 1.0)


def test_microdvd_without_a_frame_rate_uses_the_videos_or_is_refused():
    (cue,) = parse_subtitles("{25}{50}Hello\n", "microdvd", fps=25.0)
    assert (cue.start, cue.end) == (1.0, 2.0)
    assert refusal("{25}{50}Hello\n", "microdvd").startswith("line 1: MicroDVD times are frame numbers")
    assert "frame rate of 0" in refusal("{1}{1}0\n{25}{50}Hello\n", "microdvd")
    unreadable = refusal("{1}{1}25\n{25}{50}Hi\n{x}{50}Bad\n", "microdvd")
    assert unreadable.startswith("line 3: cannot read the times of cue 2")


# ---------------------------------------------------------------- files: encodings, nothing in them


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be", "utf-32-le"])
def test_utf32_subtitles_are_read(tmp_path, encoding):
    text = "1\n00:00:01,000 --> 00:00:02,000\nGrüße aus Köln\n"
    data = text.encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data  # with its byte-order mark; utf-32-le without one
    path = tmp_path / "s.srt"
    path.write_bytes(data)
    (cue,) = read_subtitles(path)
    assert (cue.start, cue.end, cue.text) == (1.0, 2.0, "Grüße aus Köln")


def test_a_file_that_breaks_its_byte_order_mark_is_one_line(tmp_path):
    path = tmp_path / "s.srt"
    path.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nHi\n".encode("utf-16")[:-1])  # an odd byte short
    with pytest.raises(InputError, match=r"begins with a UTF-16 byte-order mark but is not UTF-16 from byte \d+"):
        read_subtitles(path)


@pytest.mark.parametrize("text", ["", "\n\n", "Just some prose.\n\nNo times at all.\n"])
def test_an_srt_with_no_cues_is_refused(tmp_path, text):
    path = tmp_path / "empty.srt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.srt: no subtitle cues found \(no line such as 00:01:02,345"):
        read_subtitles(path)


def test_the_file_is_named_before_the_line(tmp_path):
    path = tmp_path / "bad.ass"
    path.write_text(two_cues("ass", "negative")[0], encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.ass: line 7: cue 2 \(-0:00:02\.00 --> 0:00:03\.00\) has a negative"):
        read_subtitles(path)


# ---------------------------------------------------------------- the command: refused before the model


@pytest.mark.parametrize(("subs", "fragment"), [
    ("1\n00:00:01,000 --> 00:00:03,000\nok\n\n2\n00:00:05,000 --> 00:00:02,000\nhello\n",
     "bad.srt: line 6: cue 2 (00:00:05,000 --> 00:00:02,000) ends before it starts"),
    ("1\n00:00:01,000 --> banana\nhello\n\n2\n00:00:xx,000 --> 00:00:03,000\nworld\n",
     "bad.srt: line 2: cannot read the times of cue 1 in '00:00:01,000 --> banana'"),
], ids=["reversed", "malformed"])
def test_audit_fix_refuses_bad_subtitles_before_the_model_and_writes_nothing(tmp_path, subs, fragment):
    bad, out, cache = tmp_path / "bad.srt", tmp_path / "out.srt", tmp_path / "cache"
    bad.write_text(subs, encoding="utf-8")
    t0 = time.monotonic()
    proc = run("audit", FIXTURES / "interview.mp4", bad, "--fix", out, env_extra={"ALIGNER_CACHE": str(cache)},
               timeout=120)
    one_line_error(proc, fragment)
    assert time.monotonic() - t0 < 30
    assert not (cache / "models").exists()  # the model was never assembled, let alone loaded
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.srt"]  # no out.srt, no temporary
    assert bad.read_text(encoding="utf-8") == subs


# ---------------------------------------------------------------- TTML: IMSC, EBU-TT-D, DFXP (issue 35)


def ttml_doc(body: str, attrs: str = "") -> str:
    """A TTML document with one agent (Ann) and ``body`` inside its body, from line 7."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<tt xmlns="http://www.w3.org/ns/ttml" '
            'xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xmlns:ttm="http://www.w3.org/ns/ttml#metadata" '
            f'xml:lang="en" {attrs}>\n<head><metadata>\n<ttm:agent xml:id="ann" type="person">'
            '<ttm:name type="full">Ann Lee</ttm:name></ttm:agent>\n</metadata></head>\n<body>\n'
            f"{body}\n</body></tt>\n")


def ttml_cues(body: str, attrs: str = "") -> list[tuple]:
    return [(c.start, c.end, c.lines, c.speaker) for c in parse_subtitles(ttml_doc(body, attrs), "ttml")]


def test_ttml_times_count_from_their_div_and_a_div_cuts_what_outlasts_it():
    body = ('<div begin="10s" end="20s" ttm:agent="ann">\n<p begin="1s" end="2.5s">Hi\n   there <span>you</span>'
            '<br/>two</p>\n<p begin="00:00:09.000" dur="5s">cut</p>\n</div>')
    assert ttml_cues(body) == [(11.0, 12.5, ("Hi there you", "two"), "Ann Lee"), (19.0, 20.0, ("cut",), "Ann Lee")]


@pytest.mark.parametrize(("attrs", "begin", "end", "expected"), [
    ('ttp:frameRate="25"', "00:00:01:12", "00:00:02:00", (1.48, 2.0)),
    ('ttp:frameRate="30" ttp:frameRateMultiplier="1000 1001"', "00:00:01:12", "60f", (1.4, 2.002)),
    ('ttp:tickRate="10000000"', "10000000t", "25000000t", (1.0, 2.5)),
    ("", "1.5s", "2500ms", (1.5, 2.5)),
])
def test_ttml_frames_and_ticks_at_the_rate_the_file_declares(attrs, begin, end, expected):
    ((start, stop, _, _),) = ttml_cues(f'<div><p begin="{begin}" end="{end}">x</p></div>', attrs)
    assert (start, stop) == expected


@pytest.mark.parametrize(("begin", "why"), [("00:00:01:12", "declares no ttp:frameRate"),
                                            ("10000000t", "declares no ttp:tickRate"),
                                            ("00:00:xx.000", "is not a TTML time")])
def test_a_ttml_time_with_no_rate_or_no_meaning_is_refused_not_guessed(begin, why):
    message = refusal(ttml_doc(f'<div>\n<p begin="{begin}" end="00:00:09.000">x</p></div>'), "ttml")
    assert message.startswith("line 8: cannot read the times of cue 1") and why in message


@pytest.mark.parametrize(("p", "fragment"), [
    ('<p begin="1s">x</p>', "cue 1 ('<p begin=\"1s\">x</p>') has no end time"),
    ('<p end="4s">x</p>', "has no begin time"),
    ('<p begin="00:00:05.000" end="00:00:03.000">x</p>', "cue 1 (00:00:05.000 --> 00:00:03.000) ends before it starts"),
])
def test_a_ttml_cue_without_both_times_or_reversed_is_refused_by_line(p, fragment):
    message = refusal(ttml_doc(f"<div>\n{p}\n</div>"), "ttml")
    assert message.startswith("line 8: ") and fragment in message


@pytest.mark.parametrize(("text", "start"), [
    ('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="1s" end="2s">x</div></body></tt>',
     "line 1: not well-formed XML (mismatched tag"),
    ('<?xml version="1.0"?>\n<html><body/></html>', "line 2: the document is <html>, not TTML's <tt>"),
    ('<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a "aaaa">]><tt xmlns="http://www.w3.org/ns/ttml"/>',
     "line 1: declares an XML entity"),
    (ttml_doc('<div><p begin="1s" end="2s">x</p></div>', 'ttp:timeBase="smpte"'), "line 2: ttp:timeBase is 'smpte'"),
    (ttml_doc('<div timeContainer="seq"><p begin="1s" end="2s">x</p></div>'), "line 7: a div with timeContainer"),
], ids=["not-xml", "not-ttml", "entity", "smpte", "seq"])
def test_what_ttml_reading_cannot_place_is_one_line(text, start):
    assert refusal(text, "ttml").startswith(start)


def test_dfxp_and_preserved_white_space_are_read():
    dfxp = ('<tt xmlns="http://www.w3.org/2006/10/ttaf1"><body><div xml:space="preserve">'
            '<p begin="1.5s" end="2s">old\ndfxp</p><p begin="3s" end="4s"/></div></body></tt>')
    assert [(c.start, c.end, c.lines) for c in parse_subtitles(dfxp, "ttml")] == [(1.5, 2.0, ("old", "dfxp"))]


@pytest.mark.parametrize("suffix", [".ttml", ".xml", ".dfxp"])
def test_a_ttml_files_refusal_names_the_file_then_the_line_and_cue(tmp_path, suffix):
    path = tmp_path / f"bad{suffix}"
    path.write_text(two_cues("ttml", "reversed")[0], encoding="utf-8")
    with pytest.raises(InputError, match=rf"bad\{suffix}: line 5: cue 2 \(00:00:05\.000 --> 00:00:03\.000\) ends"):
        read_subtitles(path)


def test_audit_refuses_a_reversed_ttml_cue_before_the_model(tmp_path):
    bad, cache = tmp_path / "bad.ttml", tmp_path / "cache"
    bad.write_text(two_cues("ttml", "reversed")[0], encoding="utf-8")
    proc = run("audit", FIXTURES / "interview.mp4", bad, env_extra={"ALIGNER_CACHE": str(cache)}, timeout=120)
    one_line_error(proc, "bad.ttml: line 5: cue 2 (00:00:05.000 --> 00:00:03.000) ends before it starts")
    assert not (cache / "models").exists()
