"""Transcripts as people paste them, hostile but ordinary: a saved HTML page, tags and Markdown
left in, a NUL byte and other invisible characters, a subtitle file's timing lines, a 200,000-
character token. Nothing a viewer would not read reaches a word (and so a cue); what is left
out is named, with its line, in the transcript's warnings; what cannot be a transcript is one
line and exit 2."""

from __future__ import annotations

import pysrt
import pytest

from aligner.errors import InputError
from aligner.text import transcript as T
from aligner.text.cleaning import MAX_WORD_CHARS

from ..helpers import FIXTURES
from ..test_hardening import one_line_error, run

INTERVIEW = FIXTURES / "interview.mp4"
SPOKEN = (FIXTURES / "interview.txt").read_text(encoding="utf-8")
JFK = "And so, my fellow Americans, ask not what your country can do for you."

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Water lab | City Desk</title>
<style>body { margin: 0 } .nav a:hover { color: red }</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
</head><body>
<header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/video">Video</a></nav></header>
<main><article>
{article}
</article></main>
<aside><p>Sign up for our newsletter to get the best stories every morning.</p></aside>
<footer><p>&copy; 2026 City Desk. All rights reserved.</p></footer>
<script>if (a < b && c > d) { track(); }</script>
</body></html>
"""
# interview.txt's paragraphs as a page writes them: labels in <strong>, an entity, a <br>
ARTICLE = "\n".join(
    "<p>" + para.replace("HOST:", "<strong>HOST:</strong>").replace("'", "&rsquo;").replace(". ", ".<br>", 1)
    + "</p>" for para in SPOKEN.split("\n\n")[1:-1])


def words(script: T.Transcript) -> list[str]:
    return [w.text for w in script.words]


def clean_words(script: T.Transcript) -> None:
    """No character of markup, control or timing in any word."""
    for w in words(script):
        assert not set(w) & set("<>|{}\x00\u202e*#"), w
        assert "-->" not in w and w.isprintable(), w


# ---------------------------------------------------------------- HTML


def test_an_html_page_is_read_for_its_article():
    page = T.parse(PAGE.replace("{article}", ARTICLE), source="page.html")
    plain = T.parse(SPOKEN)
    assert [(t.speaker, t.text.replace("’", "'")) for t in page.turns] == [(t.speaker, t.text) for t in plain.turns]
    clean_words(page)
    assert not {"window.dataLayer", "Home", "newsletter", "margin:"} & set(" ".join(words(page)).split())
    (warning,) = page.warnings
    assert warning.startswith("page.html: is an HTML page; the text of its <main>/<article> was read")


def test_an_html_page_without_an_article_is_read_for_its_body_and_its_table():
    page = T.parse("<html><body><nav>Menu</nav><table><tr><th>Speaker</th><th>Text</th></tr>"
                   f"<tr><td>JFK</td><td>{JFK}</td></tr><tr><td></td><td>Ask what you can do.</td></tr>"
                   "</table></body></html>")
    assert [(t.speaker, t.text) for t in page.turns] == [("JFK", JFK + " Ask what you can do.")]
    assert "<body>" in page.warnings[0]


def test_inline_tags_comments_and_entities_never_reach_a_word():
    script = T.parse("And so, my <b>fellow</b> Americans,<br>ask not <!-- a\nnote --> what <i>your\n"
                     "country</i> can do for you &amp; me: <https://x.org>.<script>\nvar x = a || b;\n</script>")
    assert script.text == "And so, my fellow Americans, ask not what your country can do for you & me: https://x.org."
    clean_words(script)
    assert script.warnings == ()  # markup is not speech left out: nothing to tell


# ---------------------------------------------------------------- invisible characters


def test_control_characters_are_removed_and_named_with_their_line():
    script = T.parse("First line here.\n\nAnd so, my fel\x00low Ameri\x9bcans,\u202e ask not\u200b what your "
                     "coun\u00adtry can do for you.", source="t.txt")
    assert script.text == "First line here. " + JFK
    clean_words(script)
    (warning,) = script.warnings
    assert warning.startswith("t.txt: line 3: 3 invisible control character(s) removed (")
    assert "U+0000" in warning and "U+202E RIGHT-TO-LEFT OVERRIDE" in warning
    assert "U+200B" not in warning  # a web page's ordinary zero-width space goes without a word


def test_characters_that_spell_words_are_kept():
    persian = "می\u200cخواهم این را بگویم."  # ZWNJ is part of the spelling
    hebrew = "\u200fשלום, מה שלומך?"  # a right-to-left mark
    for text in (persian, hebrew):
        script = T.parse(text)
        assert script.text == text and script.warnings == ()


def test_a_text_that_is_mostly_control_characters_is_refused():
    with pytest.raises(InputError, match=r"^b.txt: \d+ of its \d+ characters are control characters .*binary"):
        T.parse("ab\x01\x02\x03\x04cd\x05\x06\x07\x08" * 50, source="b.txt")


# ---------------------------------------------------------------- Markdown


def test_a_markdown_table_is_read_as_speaker_turns():
    table = ("# Interview\n\n| Time | Speaker | Text |\n|:-----|---------|------|\n"
             "| 00:01 | **JFK** | And so, my fellow Americans, |\n| | | ask not what your country can do for you. |\n"
             "| 00:09 | Reporter | Thank you, \\| sir. |\n")
    script = T.parse(table)
    assert [(t.speaker, t.text) for t in script.turns] == [("JFK", JFK), ("Reporter", "Thank you, sir.")]
    clean_words(script)


def test_a_table_headed_by_its_speaker_and_markdown_emphasis():
    script = T.parse(f"| | JFK |\n|---|---|\n| | {JFK} |\n")
    assert [(t.speaker, t.text) for t in script.turns] == [("JFK", JFK)]
    script = T.parse("Title\n=====\n\n## Part one\n\n***And so***, my ~~fellow~~ Americans, **ask not** what "
                     "`your` country can do for you.")
    assert script.text == JFK
    clean_words(script)


def test_pipes_outside_a_table_never_reach_a_word():
    script = T.parse(f"Home | News | Video\n\n{JFK} | Share")
    assert "|" not in script.text and script.text.startswith("And so")


# ---------------------------------------------------------------- subtitle timing lines


def test_a_timing_line_and_its_cue_number_in_prose_are_left_out_and_named():
    script = T.parse("JFK: And so, my fellow Americans,\n12\n00:00:01,000 --> 00:00:04,000\nask not what your country "
                     "can do for you.\n\nThe crowd cheered. Then\n00:00:xx,000 --> banana\nhe went on.", source="t.txt")
    assert [(t.speaker, t.text) for t in script.turns] == [("JFK", JFK), (None, "The crowd cheered. Then he went on.")]
    (warning,) = script.warnings
    assert warning == ("t.txt: line 3: a subtitle timing line ('00:00:01,000 --> 00:00:04,000') is no speech; "
                       "left out (and 1 more, with their cue numbers)")
    clean_words(script)


def test_a_subtitle_file_given_as_text_is_read_for_its_cues():
    srt = ("1\n00:00:01,000 --> 00:00:03,000\n[JFK] And so, my fellow Americans,\n\n"
           "2\n00:00:03,500 --> 00:00:06,000\nask not what your country can do for you.\n")
    script = T.parse(srt, source="talk.txt")
    assert [(t.speaker, t.text) for t in script.turns] == [("JFK", JFK)]
    assert script.warnings == ("talk.txt: is a subtitle file (SRT); the text of its 2 cue(s) was read as the "
                               "transcript, their numbers and times left out",)
    vtt = T.parse("WEBVTT\n\n00:01.000 --> 00:03.000\n<v JFK>And so, my fellow Americans,\n\n"
                  "00:03.500 --> 00:06.000\nask not what your country can do for you.\n")
    assert [(t.speaker, t.text) for t in vtt.turns] == [("JFK", JFK)]


# ---------------------------------------------------------------- absurd tokens


def test_a_token_longer_than_any_word_is_left_out_and_named():
    script = T.parse(f"Intro line.\n\nAnd so, my fellow {'x' * 200_000} Americans, ask not what your country can do "
                     "for you.", source="t.txt")
    assert script.text == "Intro line. " + JFK
    (warning,) = script.warnings
    assert warning == (f"t.txt: line 3: a 200000-character word ('xxxxxxxxxxxxxxxxxxxxxxxx'…) is longer than any "
                       f"word said ({MAX_WORD_CHARS} characters); left out")


def test_long_real_words_and_unspaced_scripts_are_kept():
    maori = "Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu"
    law = "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz"
    chinese = "我们今天在这里" * 30 + "。"  # 211 characters, no space: a sentence, not a token
    for text in (f"We drove to {maori}, the hill.", f"Das {law} wurde aufgehoben.", chinese):
        script = T.parse(text)
        assert script.text == text and script.warnings == ()


def test_a_note_on_text_the_file_does_not_hold_as_such_says_so(tmp_path):
    """Line numbers of a page's text or of subtitle cues' text are not the file's: said so."""
    page = T.parse(f"<html><body><p>{JFK}</p>\n<p>00:00:01,000 --> 00:00:02,000</p></body></html>", source="p.html")
    assert page.text == JFK
    assert page.warnings[1].startswith("p.html: in the page's text, line 3: a subtitle timing line")
    srt = tmp_path / "talk.srt"
    srt.write_text(f"1\n00:00:01,000 --> 00:00:03,000\n{JFK} {'y' * 500}\n", encoding="utf-8")
    script = T.load(srt)
    assert script.text == JFK
    assert script.warnings == (f"{srt}: in the text of its cues, line 1: a 500-character word ('{'y' * 24}'…) is "
                               f"longer than any word said ({MAX_WORD_CHARS} characters); left out",)


def test_a_transcript_of_nothing_but_an_absurd_token_is_refused_with_why():
    with pytest.raises(InputError, match=r"^t.txt: no spoken text found \(line 1: a 200000-character word"):
        T.parse("x" * 200_000, source="t.txt")


# ---------------------------------------------------------------- the seed transcripts


def test_the_seed_transcripts_need_no_cleaning():
    for name in ("news_transcript.txt", "interview.txt"):
        assert T.load(FIXTURES / name).warnings == ()


def test_a_moved_transcript_keeps_its_warnings():
    script = T.parse("One two.\x00 Three four.\n\nFive six.")
    assert T.moved(script, 0, 2, 4).warnings == script.warnings != ()


# ---------------------------------------------------------------- the command


def srt_texts(path) -> list[str]:
    """Cue texts as another SRT reader (pysrt) sees them."""
    return [item.text for item in pysrt.open(str(path), encoding="utf-8")]


def aligned(tmp_path, name: str, text: str) -> tuple[object, list[str], list[str]]:
    """``aligner align interview.mp4 <text>``: the process, its warning lines and the cues."""
    transcript = tmp_path / name
    transcript.write_text(text, encoding="utf-8")
    out = tmp_path / "out.srt"
    proc = run("align", INTERVIEW, transcript, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("aligner: warning: ")]
    cues = srt_texts(out)
    assert cues and not any(set(c) & set("<>|{}\x00") or "-->" in c for c in cues), cues
    assert "\x00" not in out.read_text(encoding="utf-8")
    return proc, warnings, cues


@pytest.mark.model
def test_align_an_html_page(tmp_path):
    _, warnings, cues = aligned(tmp_path, "page.html", PAGE.replace("{article}", ARTICLE))
    assert any(f"{tmp_path / 'page.html'}: is an HTML page" in w for w in warnings), warnings
    said = " ".join(cues)
    assert "Good evening" in said and not {"window", "Home", "newsletter"} & set(said.split())


@pytest.mark.model
def test_align_a_transcript_with_a_nul_byte(tmp_path):
    # past the first 4 KB, where a sniff for binary files does not look
    head, last, _footer = SPOKEN.rsplit("\n\n", 2)
    text = head + "\n" * 4100 + "\n\n" + last.replace("public", "pub\x00lic")
    _, warnings, cues = aligned(tmp_path, "nul.txt", text)
    assert any("invisible control character(s) removed (U+0000" in w for w in warnings), warnings
    assert "public map" in " ".join(cues)


@pytest.mark.model
def test_align_a_transcript_with_a_timing_line(tmp_path):
    text = SPOKEN.replace("Thank you for having me.", "Thank you for having me.\n7\n00:00:05,000 --> 00:00:08,000\n")
    _, warnings, cues = aligned(tmp_path, "timed.txt", text)
    assert any("a subtitle timing line ('00:00:05,000 --> 00:00:08,000') is no speech" in w for w in warnings), \
        warnings
    assert not any(c.strip() in ("7", "") for c in cues)


def test_align_refuses_a_transcript_of_one_absurd_token_before_any_work(tmp_path):
    transcript = tmp_path / "blob.txt"
    transcript.write_text("data:image/png;base64," + "A" * 200_000, encoding="utf-8")
    proc = run("align", INTERVIEW, transcript, "-o", tmp_path / "out.srt", timeout=60)
    one_line_error(proc, f"{transcript}: no spoken text found (line 1: a 200022-character word")
    assert not (tmp_path / "out.srt").exists()


def test_align_refuses_a_binary_transcript(tmp_path):
    transcript = tmp_path / "blob.txt"
    transcript.write_bytes(bytes(range(1, 32)) * 100 + b"some words")
    proc = run("align", INTERVIEW, transcript, "-o", tmp_path / "out.srt", timeout=60)
    one_line_error(proc, "characters are control characters (NUL and the like): a binary file, not a transcript")
    assert not (tmp_path / "out.srt").exists()
