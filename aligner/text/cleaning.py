"""What a pasted transcript carries that no viewer reads, taken out before it is parsed.

People paste transcripts from web pages, editors and other tools: a saved HTML page, tags
left in the text, a Markdown table, a subtitle file's timing lines, invisible control
characters, a run of base64 or minified script. None of it is said, and whatever reaches a
cue is shown to every viewer (a NUL even cuts the SRT short for some players). Each stage
here keeps the words and says what it took out, as ``notes`` (``line 3: …``) that the
transcript passes on as warnings; a text that is mostly control characters is refused.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import InputError

__all__ = ["MAX_WORD_CHARS", "TIME_CODE", "is_html_page", "page_text", "plain_lines", "subtitle_format",
           "without_controls"]

log = logging.getLogger(__name__)

# The longest words said in languages written with spaces: dictionary compounds reach some 60
# letters (Finnish, German), the longest place name in use (Taumata…tahu, New Zealand) has 85.
# A longer run without a space is base64, a hash, minified script or a tracking URL, and it
# cannot fit a subtitle line either. Scripts written without spaces (Chinese, Japanese, Thai…)
# are not measured: a whole sentence of theirs is one "token".
MAX_WORD_CHARS = 90
# Text where more than one character in ten is a control character (NUL and the like) is a
# binary file, not a transcript with a stray NUL in it.
MAX_CONTROL_SHARE = 0.1
# A text is a subtitle file pasted as a transcript when at least two of its paragraphs, and
# nine in ten of them, open with a cue's timing line; fewer are stray lines in prose.
SUBTITLE_SHARE = 0.9
# A table's first cell is a speaker when it is this short (as a label on its own line).
SPEAKER_CELL_WORDS = 5
# Characters of a removed token quoted in its warning.
SHOWN_CHARS = 24

TIME_CODE = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A cue's timing line, its times garbled or not ("-00:00:01,000 -->", "00:00:xx,000 --> banana"):
# no speech either way.
_TIMING_LINE = re.compile(r"^\s*-?\d[\w:.,]*\s*-->")
_CUE_NUMBER = re.compile(r"^\s*\d{1,7}\s*$")


# ---------------------------------------------------------------- control characters

# Format characters that spell words: ZWNJ and ZWJ (Persian, Indic scripts, emoji), and the
# direction marks of right-to-left text (LRM, RLM, ALM), which hold no state across a cut.
_KEPT = frozenset("\n\t\u200c\u200d\u200e\u200f\u061c")
# Invisible characters every web page carries (soft hyphen, zero-width space, word joiner,
# byte-order mark): removed without a word to the user.
_ORDINARY = frozenset("\u00ad\u200b\u2060\ufeff")
# Breaks that are not this parser's line breaks (vertical tab, form feed: pdftotext's page
# break, NEL, Unicode's line and paragraph separators): a space, so line numbers stay true.
_AS_SPACE = frozenset("\x0b\x0c\x85\u2028\u2029")


def _invisible(ch: str) -> bool:
    """A character nobody reads: controls (C0, C1), format characters (zero-width, bidi
    embeddings and overrides that a cue cut would leave unbalanced), surrogates and private
    use (web-font icons); not the few that spell words (``_KEPT``)."""
    return ch not in _KEPT and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def newlines(text: str) -> str:
    """Windows and old Mac line ends as ``\\n``, the only line end the stages count."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def without_controls(text: str, where: str) -> tuple[str, list[str]]:
    """``text`` without invisible characters, and a note of the removal (the ordinary ones of
    web pages only logged); refused when they are so many that the text is binary."""
    found = Counter({ch: text.count(ch) for ch in set(text) if _invisible(ch)})
    if not found:
        return text, []
    controls = sum(n for ch, n in found.items() if unicodedata.category(ch) in ("Cc", "Cs") and ch not in _AS_SPACE)
    if controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{where}: {controls} of its {len(text)} characters are control characters (NUL and "
                         "the like): a binary file, not a transcript")
    log.debug("%s: removed %s", where, ", ".join(f"{_describe(ch)} ×{n}" for ch, n in found.most_common()))
    shown = Counter({ch: n for ch, n in found.items() if ch not in _ORDINARY | _AS_SPACE})
    notes = []
    if shown:
        first = min(text.find(ch) for ch in shown)
        kinds = ", ".join(f"{_describe(ch)} ×{n}" for ch, n in shown.most_common(3))
        more = f" and {len(shown) - 3} other kind(s)" if len(shown) > 3 else ""
        notes.append(f"line {text.count(chr(10), 0, first) + 1}: {shown.total()} invisible control character(s) "
                     f"removed ({kinds}{more})")
    return text.translate({ord(ch): " " if ch in _AS_SPACE else None for ch in found}), notes


# ---------------------------------------------------------------- HTML pages

_HTML_DOCUMENT = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
# Elements whose text is no part of the article: code, metadata, navigation, page furniture.
_SKIPPED = frozenset("head title script style noscript template svg math canvas iframe object nav header "
                     "footer aside form button select textarea figcaption dialog".split())
# Elements that end a paragraph (the parser splits turns at paragraphs).
_BLOCKS = frozenset("address article blockquote body dd div dl dt h1 h2 h3 h4 h5 h6 hr li main ol p pre "
                    "section summary details ul".split())
_CORE = frozenset({"main", "article"})  # where a page keeps its article, when it says so


def is_html_page(text: str) -> bool:
    """A whole HTML document (``<!DOCTYPE html>`` or ``<html>`` first), not text with a tag in it."""
    return bool(_HTML_DOCUMENT.match(text))


@dataclass
class _Table:
    """A table being read: its rows as cell texts; nested tables are read as cell text."""

    rows: list[list[str]] = field(default_factory=list)
    header: bool = False  # its first row is all <th>
    nested: int = 0


class _PageText(HTMLParser):
    """The readable text of a page as the parser expects a flattened page: paragraphs apart,
    ``<br>`` a line break, tables as Markdown tables (so a "Speaker | Text" table is read as
    one, see ``_tables``); the text of ``<main>``/``<article>`` kept apart, since a page that
    marks its article has everything else around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.pre = 0
        self.core = 0
        self.pieces: list[str] = []
        self.core_pieces: list[str] = []
        self.tables: list[_Table] = []

    def emit(self, text: str) -> None:
        if self.tables and self.tables[-1].rows:  # inside a table: into the current cell
            row = self.tables[-1].rows[-1]
            if row:
                row[-1] += re.sub(r"\s+", " ", text).replace("|", r"\|")
            return
        self.pieces.append(text)
        if self.core:
            self.core_pieces.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        if self.skipping:
            return
        self.core += tag in _CORE
        self.pre += tag == "pre"
        if tag in ("table", "tr", "td", "th"):
            self._table_tag(tag)
        else:
            self.emit("\n" if tag == "br" else "\n\n" if tag in _BLOCKS else "")

    def _table_tag(self, tag: str) -> None:
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            if table is not None:
                table.nested += 1
            else:
                self.tables.append(_Table())
        elif table is None or table.nested:
            self.emit(" ")
        elif tag == "tr":
            table.rows.append([])
        else:
            if not table.rows:
                table.rows.append([])
            if len(table.rows) == 1:
                table.header = (tag == "th") and (table.header or not table.rows[0])
            table.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag == "table" and self.tables:
            table = self.tables[-1]
            if table.nested:
                table.nested -= 1
            else:
                self.tables.pop()
                self.emit("\n\n" + _markdown_table(table) + "\n\n")
        elif tag not in ("tr", "td", "th"):
            self.emit("\n\n" if tag in _BLOCKS else "")
        self.core = max(0, self.core - (tag in _CORE))
        self.pre = max(0, self.pre - (tag == "pre"))

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.emit(data if self.pre else re.sub(r"\s+", " ", data))

    def text(self) -> tuple[str, bool]:
        """The article's text (and True) when the page marks one, else the body's."""
        core = "".join(self.core_pieces)
        chosen = re.search(r"\w", core) is not None
        text = core if chosen else "".join(self.pieces)
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip(), chosen


def _markdown_table(table: _Table) -> str:
    """A table's rows as Markdown: its header row, or an empty one, then the rule."""
    rows = [" | ".join(cell.strip() for cell in row) for row in table.rows if row]
    if not rows:
        return ""
    header, body = (rows[0], rows[1:]) if table.header else ("", rows)
    return "\n".join([f"| {header} |", "|---|", *(f"| {row} |" for row in body)])


def page_text(text: str) -> tuple[str, str]:
    """An HTML page's text, read as the page's reader sees its article: what a transcript
    copied from the page in a browser would hold, without the menus, headers, footers,
    scripts and styles a copy takes along. The note tells the user, to check the cues."""
    parser = _PageText()
    parser.feed(text)
    parser.close()
    body, core = parser.text()
    return body, (f"is an HTML page; the text of its {'<main>/<article>' if core else '<body>'} was read as the "
                  "transcript (scripts, styles, menus, headers and footers left out): check the cues against it")


# ---------------------------------------------------------------- subtitle files


def subtitle_format(text: str) -> str | None:
    """``"vtt"`` or ``"srt"`` when the text is a subtitle file (a WebVTT header, or cues'
    timing lines opening ``SUBTITLE_SHARE`` of its paragraphs); None for prose, even with
    a stray timing line in it (``plain_lines`` takes those out)."""
    if text.lstrip("\ufeff \n").startswith("WEBVTT"):
        return "vtt"
    paragraphs = [p.strip().split("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]
    timed = sum(any(_TIMING_LINE.match(ln) for ln in lines[:2]) for lines in paragraphs)
    return "srt" if timed >= 2 and timed >= SUBTITLE_SHARE * len(paragraphs) else None


# ---------------------------------------------------------------- markup in plain text

Line = tuple[int, str]  # (line number in the text as given, text)

_HIDDEN_OPEN = re.compile(r"<(?:!--|(script|style)\b[^<>]{0,1000}>)", re.I)
_HIDDEN_CLOSE = {None: re.compile(r"-->"), "script": re.compile(r"</script\s*>", re.I),
                 "style": re.compile(r"</style\s*>", re.I)}
_BREAK_TAG = re.compile(r"<(?:br|hr|/?(?:p|div|li|h[1-6]|tr|blockquote|section|article|main))\b[^<>]*>", re.I)
_TAG = re.compile(r"</?[A-Za-z][\w:-]{0,40}(?:\s[^<>]{0,1000})?/?>")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]*)>", re.I)
_MD_LINK = re.compile(r"!?\[([^\[\]]{0,1000})\]\([^()]{0,4000}\)")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _without_hidden(text: str) -> str:
    """HTML comments, ``<script>`` and ``<style>`` blocks pasted with the text, each left as
    its line breaks so later line numbers stay true (in one pass: a block never closed
    leaves the rest of the text as it is)."""
    pieces: list[str] = []
    at = 0
    while (opening := _HIDDEN_OPEN.search(text, at)) is not None:
        tag = opening.group(1)
        closing = _HIDDEN_CLOSE[tag and tag.lower()].search(text, opening.end())
        if closing is None:
            break
        pieces += [text[at:opening.start()], "\n" * text.count("\n", opening.start(), closing.end())]
        at = closing.end()
    return "".join(pieces) + text[at:]


def _entity(m: re.Match[str]) -> str:
    """``&amp;`` as ``&``; an entity that spells an invisible character (``&#0;``) as nothing."""
    text = html.unescape(m.group(0))
    return "" if any(_invisible(ch) for ch in text) else text


def _inline_markup(number: int, line: str) -> list[Line]:
    """A line's words without the tags and links of HTML or Markdown pasted with it; a
    ``<br>`` or paragraph tag breaks the line there."""
    if "<" not in line and "[" not in line and "&" not in line:
        return [(number, line)]
    line = _MD_LINK.sub(r"\1", _AUTOLINK.sub(r"\1", line))
    return [(number, _ENTITY.sub(_entity, _TAG.sub("", piece))) for piece in _BREAK_TAG.split(line)]


# ---------------------------------------------------------------- Markdown tables

_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# Column titles, not a person: a text column headed by a name ("| | JFK |") is that person's.
_COLUMN_TITLES = frozenset("speaker speakers name names who person role text transcript transcription line lines "
                           "dialogue dialog quote quotes words said says time timecode start end in out tc no nr "
                           "notes note comment comments".split())


def _cells(line: str) -> list[str]:
    """A table row's cells (``\\|`` is a pipe inside a cell)."""
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith(r"\|") else s
    return [c.strip().replace(r"\|", "|") for c in re.split(r"(?<!\\)\|", s)]


def _is_time_column(rows: list[list[str]], c: int) -> bool:
    cells = [row[c] for row in rows if c < len(row) and row[c]]
    return bool(cells) and all(re.fullmatch(rf"[\[(]?{TIME_CODE}(?:\s*(?:-->|[-–])\s*{TIME_CODE})?[\])]?", x)
                               for x in cells)


def _is_speaker_cell(cell: str) -> bool:
    return 0 < len(cell.split()) <= SPEAKER_CELL_WORDS and not re.search(r"[.!?…]\W*$", cell)


def _table_lines(header: list[str], rows: list[list[str]]) -> list[str]:
    """A table's rows as transcript lines: ``Speaker: text`` when its first kept cell is a
    speaker (short, no sentence end) and more cells follow; time-code columns dropped; a row
    with the speaker cell empty continues the row before (or, first, the person its text
    column is headed by: ``| | JFK |``)."""
    width = max(len(r) for r in [header, *rows])
    keep = [c for c in range(width) if not _is_time_column(rows, c)]
    named = next((h for h in reversed([header[c] for c in keep if c < len(header)]) if h), "")
    named = named if _is_speaker_cell(named) and named.lower() not in _COLUMN_TITLES else ""
    out: list[str] = []
    for row in rows:
        cells = [row[c] if c < len(row) else "" for c in keep]
        if not any(cells):
            continue
        if len(cells) > 1 and not cells[0]:  # no speaker: the row before goes on, or the column's person
            text = " ".join(c for c in cells[1:] if c)
            if out:
                out[-1] += " " + text
            else:
                out.append(f"{named}: {text}" if named else text)
        elif len(cells) > 1 and _is_speaker_cell(cells[0]):
            out.append(f"{cells[0]}: " + " ".join(c for c in cells[1:] if c))
        else:
            out.append(" ".join(c for c in cells if c))
    return out


def _tables(lines: list[Line]) -> list[Line]:
    """Markdown tables (a header row, a ``|---|`` rule, rows with pipes) as transcript lines,
    each at its row's line number; header and rule are no speech."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        number, text = lines[i]
        if "|" in text and i + 1 < len(lines) and "|" in lines[i + 1][1] and _TABLE_RULE.match(lines[i + 1][1]):
            stop = i + 2
            while stop < len(lines) and "|" in lines[stop][1] and lines[stop][1].strip():
                stop += 1
            body = lines[i + 2:stop]
            converted = _table_lines(_cells(text), [_cells(t) for _, t in body])
            log.info("line %d: a table of %d row(s) read as %d turn line(s)", number, len(body), len(converted))
            out += [(number, "")] + [(body[k][0] if k < len(body) else number, t) for k, t in enumerate(converted)]
            out.append((lines[stop - 1][0], ""))
            i = stop
            continue
        out.append((number, text))
        i += 1
    return out


# ---------------------------------------------------------------- timing lines and absurd tokens


def _without_timing(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """Subtitle timing lines (``00:00:01,000 --> 00:00:02,000``) and the cue numbers above
    them out of prose: another subtitle reader would see a cue in them."""
    out: list[Line] = []
    dropped: list[Line] = []
    for number, text in lines:
        if _TIMING_LINE.match(text):
            dropped.append((number, text))
            if out and _CUE_NUMBER.match(out[-1][1]):
                out.pop()
            continue  # the line goes, not its paragraph: the text around it stays one turn
        out.append((number, text))
    if not dropped:
        return out, []
    more = f" (and {len(dropped) - 1} more, with their cue numbers)" if len(dropped) > 1 else ""
    return out, [f"line {dropped[0][0]}: a subtitle timing line ({dropped[0][1].strip()[:60]!r}) is no speech; "
                 f"left out{more}"]


# Scripts written without spaces between words: a "token" of theirs is a phrase or sentence.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u3400-\u4dbf"
                       r"\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]")


_LONG_TOKEN = re.compile(rf"\S{{{MAX_WORD_CHARS + 1},}}")  # a line worth measuring token by token


def _word_length(token: str) -> int:
    """The longest run of a token in scripts written with spaces, its edge punctuation aside."""
    core = re.sub(r"^\W+|\W+$", "", token)
    return max((len(run) for run in _UNSPACED.split(core)), default=0)


def _without_long_words(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """Tokens longer than any word (``MAX_WORD_CHARS``) left out, the first one named."""
    dropped: list[tuple[int, str]] = []

    def keep(number: int, token: str) -> bool:
        if len(token) <= MAX_WORD_CHARS or _word_length(token) <= MAX_WORD_CHARS:
            return True
        dropped.append((number, token))
        return False

    out = [(n, " ".join(tok for tok in text.split() if keep(n, tok))) if _LONG_TOKEN.search(text) else (n, text)
           for n, text in lines]
    if not dropped:
        return out, []
    number, token = dropped[0]
    more = f" (and {len(dropped) - 1} more)" if len(dropped) > 1 else ""
    return out, [f"line {number}: a {len(token)}-character word ({token[:SHOWN_CHARS]!r}…) is longer than any "
                 f"word said ({MAX_WORD_CHARS} characters); left out{more}"]


def plain_lines(text: str) -> tuple[str, list[str]]:
    """The text's lines without markup, tables' pipes, timing lines and absurd tokens, and
    notes of what was left out."""
    text = _without_hidden(text)
    lines = [piece for number, line in enumerate(text.split("\n"), 1) for piece in _inline_markup(number, line)]
    lines, timing = _without_timing(_tables(lines))
    lines = [(n, t.replace("|", " ")) for n, t in lines]  # a pipe is never said: menus, cells of a broken table
    lines, long_words = _without_long_words(lines)
    return "\n".join(t for _, t in lines), timing + long_words
