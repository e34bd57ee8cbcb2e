"""Edited transcripts, as people paste them, turned into speaker turns of spoken words.

Newsroom transcripts are web pages flattened to text: menu lines, speaker attributions run
into the quote (``Name, title»quote«``), labels broken over lines, stage directions and time
codes, missing spaces after full stops. Only what is spoken may reach the aligner, and each
word must keep its speaker and its place in a sentence, because cue building splits there.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..runtime.textio import read_text
from . import cleaning
from .directions import DIRECTIONS as _DIRECTIONS

if TYPE_CHECKING:
    from ..subtitles.subtitle_cue import SubtitleCue

__all__ = ["Transcript", "Turn", "Word", "load", "moved", "moved_order", "parse"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextShapes:
    """How long the pieces of a pasted page are that are not speech, in words, and why.

    - ``direction_words`` = 4: a parenthesis that opens with a direction word and is no longer
      is a stage direction ("(laughs softly)"); a longer one is speech in brackets.
    - ``role_words`` = 4: a role is short ("senior CNN correspondent"); a longer phrase ending
      in a role word is a sentence ("... as the host").
    - ``title_words`` = 12: the title after an attribution's name ("Jane Doe, spokeswoman for
      the regional administration»…") fits on a line; a longer one is a sentence.
    - ``furniture_words`` = 8: a lone line this short without sentence punctuation is a menu
      item, header, byline or caption.
    - ``label_line_words`` = 5: a speaker's name on a line of its own is short.
    - ``initialism_chars`` = 4: "U.S." and "e.g." end no sentence; a longer dotted run might.
    """

    direction_words: int = 4
    role_words: int = 4
    title_words: int = 12
    furniture_words: int = 8
    label_line_words: int = 5
    initialism_chars: int = 4


SHAPES = TextShapes()


@dataclass(frozen=True)
class Word:
    """A spoken word as the transcript writes it (punctuation attached, for display)."""

    text: str
    turn: int
    sentence_end: bool = False
    clause_end: bool = False


@dataclass(frozen=True)
class Turn:
    """An uninterrupted stretch of one speaker; ``speaker`` is None for the narrator."""

    speaker: str | None
    words: tuple[Word, ...]
    title: str | None = None

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True)
class Transcript:
    """The spoken turns, and what was left out of the text as given (``warnings``: control
    characters, markup, timing lines, absurd tokens; each names its line) for the user."""

    turns: tuple[Turn, ...]
    source: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for t in self.turns for w in t.words)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.turns)

    @property
    def speakers(self) -> tuple[str | None, ...]:
        return tuple(dict.fromkeys(t.speaker for t in self.turns))


# ---------------------------------------------------------------- vocabulary

# Markers a newsroom puts before a soundbite's speaker ("Clip Soldier", "O-Ton Soldat").
_SOUNDBITE_MARKERS = ("clip", "soundbite", "sound bite", "sot", "o-ton", "bite", "vo", "voice-over")
_ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "gov",
    "sen", "rep", "rev", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "no", "nos", "fig", "approx",
    "inc", "ltd", "co", "corp", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}
# Words that name a part in the programme, not a person: "HOST (MARIA LOPEZ):" is Maria Lopez,
# "REPORTER (voice-over):" a reporter, "ANDERSON COOPER, CNN HOST:" Anderson Cooper. One list.
ROLE_WORDS = frozenset(
    "host co-host anchor anchorman anchorwoman reporter correspondent interviewer moderator narrator "
    "presenter voice-over voiceover vo interpreter translator announcer commentator journalist "
    "guest caller panelist panellist speaker questioner audience off-camera off-screen".split())
# Titles before a name ("Dr." in "Dr. Novak"): not sentence ends, and not the person's name.
_TITLES = ("dr", "mr", "mrs", "ms", "miss", "prof", "professor", "sir", "dame", "jr", "sr", "st", "gen", "col",
           "lt", "sgt", "capt", "rev")
_NOT_NAMES = set("the a an this that these those it its we they he she i you our their his her my your "
                 "there here when while after before in on at for and but or so".split())
_FOOTER = re.compile(r"^(©|\(c\)|copyright\b|all rights reserved|share this|related:|tags?:)", re.I)
_TIME_CODE = cleaning.TIME_CODE
_QUOTE_OPEN = "»«\"“„‘'"
_QUOTE_CLOSE = "«»\"”“’'"
_SENTENCE_END = re.compile(r"[.!?…。！？]+[\"'»«”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:–—]+[\"'»«”’)\]]*$|^[–—-]$")
_NAME_WORD = r"(?:[A-ZÀ-Þ][\w'’.-]*|[a-z]{1,3}|&|\d{1,6})"  # "Jane", "O'Neil", "de", "van", "Dr.", "Speaker 2"


def _is_name(text: str, max_words: int = 5) -> bool:
    """A speaker name: a few words, the first capitalised, no sentence punctuation."""
    words = text.split()
    if not 1 <= len(words) <= max_words or not words[0][:1].isupper():
        return False
    plain = re.sub(r"\b(?:" + "|".join(_TITLES) + r")\.", "X", text, flags=re.I)
    if re.search(r"[!?;\"“”»«]|\.\s", plain) or plain.rstrip().endswith((".", ",")):
        return False
    return all(re.fullmatch(_NAME_WORD, w) for w in words)


def _display_name(name: str) -> str:
    """ALL-CAPS labels (``DR. MARIA LOPEZ``) become ``Dr. Maria Lopez``; machine labels lose
    their underscores (``AUSTEN_READER`` → ``Austen Reader``, ``SPEAKER_1`` → ``Speaker 1``);
    acronyms (``JFK``, ``LJ``) and words with digits (``MEE071``) stay as written; others stay
    as written."""
    name = " ".join(name.replace("_", " ").split()).strip(" -–—,:")
    lowered = name.lower()
    for marker in _SOUNDBITE_MARKERS:
        if lowered.startswith(marker + " ") and len(name.split()) > 1:
            name = name[len(marker) + 1 :].strip()
            break
    if name.isupper() and len(name) > 2:
        name = " ".join(w if w.startswith("(") or _is_acronym(w) else w.capitalize() for w in name.split())
        name = re.sub(r"\b(Mc)(\w)", lambda m: m.group(1) + m.group(2).upper(), name)
    return name


def _is_acronym(word: str) -> bool:
    """A capitalised word read letter by letter or a code, kept as written: no vowel
    (``JFK``, ``BBC``, ``LS``; not a title, ``DR.``) or a digit in it (``MEE071``)."""
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", word)
    if letters.lower() in _TITLES:  # "DR." is Dr., not a code
        return False
    return bool(re.search(r"\d", word)) or (bool(letters) and not re.search(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖÙ-Ü]", letters.upper()))


_NOT_LABELS = frozenset({"note", "update", "warning", "editor's note", "editor’s note", "correction", "source",
                         "photo", "video", "related", "read more", "ps", "nb"})


def _is_id_label(name: str) -> bool:
    """A label no prose opens with: capitals, digits and underscores only (``MICHAEL``,
    ``AUSTEN_READER``, ``LS_2412``, ``SPEAKER_1``), not a page's ``NOTE`` or ``UPDATE``. Such a
    label at a line's start names a speaker whatever follows, lowercase text included."""
    return (bool(re.fullmatch(r"[A-ZÀ-Þ0-9][A-ZÀ-Þ0-9_.'’&-]*(?: [A-ZÀ-Þ0-9][A-ZÀ-Þ0-9_.'’&-]*){0,3}", name))
            and bool(re.search(r"[A-ZÀ-Þ]", name)) and name.lower() not in _NOT_LABELS)


# ---------------------------------------------------------------- line level

_MD_EMPH = re.compile(r"(\*\*\*|\*\*|__|~~|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_RULE = re.compile(r"\s*(?:={3,}|-{3,}|\*{3,}|_{3,}|`{3,}\w*)\s*")  # setext underlines, rules, code fences


def _clean_markup(line: str) -> str:
    """Markdown and HTML residue left on a line (``cleaning`` took out tags, links, tables):
    keep the words, drop the markup."""
    line = line.replace("\u00a0", " ").replace("\t", " ")
    if _MD_RULE.fullmatch(line):
        return ""
    line = re.sub(r"<[^>]{1,80}>", "", line)
    line = re.sub(r"^\s{0,3}(#{1,6}|>+|[-*+]\s(?=\S)|\d+\.\s)\s*", "", line)
    line = _MD_EMPH.sub(r"\2", line)
    line = re.sub(r"\*\*+|~~+", "", line)  # bold or strike-through left unclosed
    return line.strip()


def strip_directions(text: str) -> str:
    """Remove time codes and stage directions; they are never spoken."""
    text = re.sub(r"\[[^\]]*\]", " ", text)  # square brackets are editorial
    text = re.sub(r"\(\s*" + _TIME_CODE + r"\s*\)", " ", text)
    text = re.sub(r"^\s*" + _TIME_CODE + r"\s+", " ", text)

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1).strip().lower().strip(".")
        if inner in _DIRECTIONS or (m.group(1).isupper() and len(inner) > 1) or (re.fullmatch(
            r"(?:" + "|".join(map(re.escape, _DIRECTIONS)) + r")\b.*", inner
        ) and len(inner.split()) <= SHAPES.direction_words):
            return " "
        return m.group(0)

    text = re.sub(r"\(([^()]*)\)", paren, text)
    text = re.sub(r"\*([a-z][a-z ]{1,30})\*", " ", text)  # *laughs*
    return " ".join(text.split())


def _fix_glued_sentences(text: str) -> str:
    """``territory.Kiev`` -> ``territory. Kiev``; leaves ``U.S.`` and ``3.5`` alone."""
    return re.sub(r"(?<=[a-zà-ÿ]{2})([.!?])(?=[A-ZÀ-Þ][a-zà-ÿ])", r"\1 ", text)


@dataclass
class _Block:
    speaker: str | None
    text: str
    title: str | None = None


_LABEL_LINE = re.compile(
    r"^(?P<name>(?:[A-ZÀ-Þ][\w'’.-]*|[a-z]{1,3})(?:[ \t]+(?:[A-ZÀ-Þ][\w'’.-]*|[a-z]{1,3}|&|\d{1,6})){0,4})"
    r"(?:\s*\((?P<role>[^)]{1,60})\))?\s*:\s*(?P<rest>.*)$",
    re.S,
)
_BRACKET_LABEL = re.compile(r"^\[(?P<name>[^\]\d]{1,50})\]\s*:?\s*(?P<rest>.*)$", re.S)
_ATTRIBUTION = re.compile(
    r"^(?P<label>[^»«\"“”.!?:]{2,160}?)\s*(?:»|:\s*[\"“»]?)\s*(?P<rest>.*)$", re.S
)


def _opens_lowercase(rest: str) -> bool:
    """``Note: this is ...`` is prose, not a speaker; a stage direction first doesn't count."""
    rest = re.sub(r"^(?:\s*[\[(][^\])]*[\])])+", "", rest)
    return rest.lstrip("\"“»([ ")[:1].islower()


def _is_role(text: str | None) -> bool:
    """A part in the programme, not a person: every word a role word or a qualifier of one
    ("CNN HOST", "senior correspondent", "voice-over")."""
    words = re.findall(r"[\w'’-]+", (text or "").lower())
    return bool(words) and words[-1] in ROLE_WORDS and len(words) <= SHAPES.role_words


def person_and_role(name: str, role: str | None) -> tuple[str, str | None]:
    """Which of a label's two parts is the person: ``ROLE (NAME)``, ``NAME (ROLE)``, ``ROLE
    NAME`` and a role alone all give (person, role); the role is kept as the turn's title."""
    if role and _is_role(name) and not _is_role(role) and _is_name(role):
        return _display_name(role), _display_name(name)
    words = name.split()
    for k in range(len(words) - 1, 0, -1):  # "Host Maria Lopez", "CNN correspondent Jane Doe"
        if _is_role(" ".join(words[:k])) and _is_name(" ".join(words[k:])):
            return _display_name(" ".join(words[k:])), _display_name(" ".join(words[:k])) + (
                f", {_display_name(role)}" if role else "")
    return _display_name(name), role and _display_name(role)


def split_label(text: str, script: bool = False) -> tuple[str, str | None, str] | None:
    """``NAME: text``, ``NAME (ROLE): text``, ``[Name] text``, ``Name, title»quote``.

    A ``Name:`` before lowercase text is prose ("Note: this is …") unless the name is a
    label no prose opens with (``_is_id_label``), or the text is a ``script`` (labels open
    several of its lines: ``_is_script``), where "Michael: this is the acoustic corpus" is
    Michael speaking. Returns (speaker, title, rest) or None when the text does not open
    with a label.
    """
    m = _BRACKET_LABEL.match(text)
    if m and _is_name(m.group("name")) and m.group("name").strip().lower() not in _DIRECTIONS:
        return _display_name(m.group("name")), None, m.group("rest")
    m = _LABEL_LINE.match(text)
    if (
        m
        and _is_name(m.group("name"))
        and (not _opens_lowercase(m.group("rest")) or _is_id_label(m.group("name"))
             or (script and m.group("name").strip().lower() not in _NOT_LABELS))
    ):
        speaker, role = person_and_role(m.group("name"), m.group("role"))
        return speaker, role, m.group("rest")
    m = _ATTRIBUTION.match(text)
    if m:
        label = " ".join(m.group("label").split())
        name, _, title = label.partition(",")
        named = len(name.split()) >= 2 or bool(title)  # "The »Legion«" is no attribution
        if (named and _is_name(name) and name.split()[0].lower() not in _NOT_NAMES
                and (not title or len(title.split()) <= SHAPES.title_words) and not _opens_lowercase(m.group("rest"))):
            speaker, role = person_and_role(name, title.strip() or None)
            return speaker, role, m.group("rest")
    return None


def _strip_quotes(text: str) -> tuple[str, str]:
    """Split an opening quote from what follows it: (quote, narration after the quote)."""
    text = text.strip()
    text = text.lstrip(_QUOTE_OPEN).strip()
    # The quote ends at a closing mark followed by nothing, or by narration (`« he said.`).
    m = re.search(r"([.!?,…])?\s*[«”\"](?=\s|$)", text)
    if m:
        quote, after = text[: m.start()] + (m.group(1) or ""), text[m.end() :].strip()
        return quote.strip(), after
    return text.rstrip(_QUOTE_CLOSE + " ").strip(), ""


def _is_script(lines: list[str]) -> bool:
    """Whether labels open the text's lines (``NAME: text`` a turn a line): two or more that
    are labels by any reading, or half of its lines or more that open with a name and a
    colon. Then every line that opens with a name and a colon is a turn, whatever its case."""
    lines = [ln for ln in lines if ln.strip()]
    named = [m for ln in lines if (m := _LABEL_LINE.match(ln)) is not None and _is_name(m.group("name"))
             and m.group("name").strip().lower() not in _NOT_LABELS]
    strict = sum(_LABEL_LINE.match(ln) is not None and split_label(ln) is not None for ln in lines)
    return strict >= 2 or (len(named) >= 2 and 2 * len(named) >= len(lines))


def _blocks(text: str, narrator: str | None) -> list[_Block]:
    """Paragraphs to speaker blocks, with the page furniture left out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    script = _is_script([_clean_markup(raw) for raw in text.split("\n")])
    paragraphs = [
        [ln for ln in (_clean_markup(raw) for raw in para.split("\n")) if ln]
        for para in re.split(r"\n\s*\n", text)
    ]
    blocks: list[_Block] = []
    for lines in paragraphs:
        if not lines:
            continue
        if len(lines) == 1 and _is_furniture(lines[0]):
            continue
        # A label alone on its line directly above its text: "Clip Soldier\nHe decided ...".
        if len(lines) > 1 and _is_label_line(lines[0]):
            blocks.append(_Block(_display_name(lines[0].rstrip(":")), " ".join(lines[1:])))
            continue
        # Lines that each open with their own label are separate turns (NAME: text per line).
        if len(lines) > 1 and sum(split_label(ln, script) is not None and _LABEL_LINE.match(ln) is not None
                                  for ln in lines) >= 2:
            for ln in lines:
                blocks.extend(_turn_blocks(ln, narrator, script))
            continue
        blocks.extend(_turn_blocks(" ".join(lines), narrator, script))
    return blocks


def _turn_blocks(para: str, narrator: str | None, script: bool = False) -> list[_Block]:
    if _FOOTER.match(para):
        return []
    para = re.sub(r"^\s*[\[(]?" + _TIME_CODE + r"[\])]?\s*", "", para)  # "[00:01:15] NAME: ..."
    label = split_label(para, script)
    if label is None:
        return [_Block(narrator, para)]
    speaker, title, rest = label
    quote, after = _strip_quotes(rest)
    out = [_Block(speaker, quote, title)]
    if after:
        out.append(_Block(narrator, after))
    return out


def _is_furniture(line: str) -> bool:
    """A lone short line without sentence punctuation: a menu, header, byline or caption."""
    if _FOOTER.match(line):
        return True
    if split_label(line) is not None and ":" in line:
        return False
    words = line.split()
    short = len(words) <= SHAPES.furniture_words and not _SENTENCE_END.search(line)
    return short or bool(re.fullmatch(r"[\W\d_]+", line))


def _is_label_line(line: str) -> bool:
    line = line.strip()
    if _SENTENCE_END.search(line) or len(line.split()) > SHAPES.label_line_words:
        return False
    return _is_name(line.rstrip(":")) and not line.endswith(",")


# ---------------------------------------------------------------- words


def _words(text: str, turn: int) -> list[Word]:
    tokens = text.split()
    words: list[Word] = []
    pending = ""  # opening punctuation standing alone ("« ", "– ") glued to the next word
    for tok in tokens:
        if not re.search(r"\w", tok):
            if words and tok not in "«»\"“„(":
                last = words[-1]
                joined = last.text + ("" if tok in ".,;:!?…»”\")" else " ") + tok
                words[-1] = Word(joined, turn)
            else:
                pending += tok
            continue
        words.append(Word(pending + tok, turn))
        pending = ""
    out: list[Word] = []
    for i, w in enumerate(words):
        nxt = words[i + 1].text if i + 1 < len(words) else ""
        core = w.text.rstrip("\"'»«”’)] –—-")
        bare = core.rstrip(".").lower().lstrip(_QUOTE_OPEN + "(")
        ends = bool(_SENTENCE_END.search(w.text)) and not (
            core.endswith(".") and not core.endswith("..") and (
                bare in _ABBREVIATIONS
                or (re.fullmatch(r"(?:\w\.)+\w?", bare + ".") and len(bare) <= SHAPES.initialism_chars)
            ) and nxt[:1].isupper()
        )
        if not nxt:
            ends = True
        clause = not ends and bool(_CLAUSE_END.search(w.text) or w.text.endswith((" –", " —", " -")))
        out.append(Word(w.text, turn, sentence_end=ends, clause_end=clause))
    return out


_CUES_TEXT = "the text of its cues"


def _spoken_text(text: str, where: str, derived: str | None = None) -> tuple[str, list[str]]:
    """The text with what nobody says taken out (``cleaning``), and notes of what was: an HTML
    page read for its article, a subtitle file for its cues' text, then markup, tables,
    timing lines and absurd tokens line by line. A note on text derived from the file (the
    page's text, the cues'; ``derived`` when the caller derived it) says so, since its line
    numbers are not the file's."""
    text, first = cleaning.without_controls(cleaning.newlines(text), where)
    own = first if derived is None else []  # notes naming the file's own lines
    later = first if derived is not None else []  # notes naming lines of a text derived from it
    if derived is None and cleaning.is_html_page(text):
        text, read_as = cleaning.page_text(text)
        text, later = cleaning.without_controls(text, where)
        own, derived = [*own, read_as], "the page's text"
    elif derived is None and (fmt := cleaning.subtitle_format(text)) is not None \
            and (cues := _subtitle_file_text(text, fmt, where)) is not None:
        (text, read_as), derived = cues, _CUES_TEXT
        own = [*own, read_as]
    text, rest = cleaning.plain_lines(text)
    if derived is None:
        return text, own + rest
    return text, own + [f"in {derived}, {note}" for note in later + rest]


def _subtitle_file_text(text: str, fmt: str, where: str) -> tuple[str, str] | None:
    """A subtitle file given as the transcript (whatever its name) read as a ``.srt`` is: the
    text of its cues, their times ignored (the user is told, in case they expected them to
    count), with a note saying so; None, to be read as prose, when no cue can be read from it."""
    from ..subtitles.published import parse_subtitles

    try:
        cues = parse_subtitles(text, fmt)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    if not cues:
        return None
    return _cue_text(cues), (f"is a subtitle file ({fmt.upper()}); the text of its {len(cues)} cue(s) was read as "
                             "the transcript, their numbers and times left out")


def parse(text: str, narrator: str | None = None, source: str | None = None) -> Transcript:
    """Parse edited transcript text into turns. Unattributed text is the narrator's.

    What no viewer reads is taken out first (``cleaning``); the transcript's ``warnings``
    say what, and where."""
    return _parse(text, narrator, source)


def _parse(text: str, narrator: str | None, source: str | None, derived: str | None = None) -> Transcript:
    """``parse``, of text that is ``derived`` from the file (see ``_spoken_text``)."""
    where = source or "transcript"
    text, notes = _spoken_text(text, where, derived)
    warnings = tuple(f"{where}: {note}" for note in notes)
    for warning in warnings:
        log.info("%s", warning)
    turns: list[Turn] = []
    for block in _blocks(text, narrator):
        body = _fix_glued_sentences(strip_directions(block.text))
        if not re.search(r"\w", body):
            continue
        if turns and turns[-1].speaker == block.speaker and block.speaker == narrator:
            # Narration split over paragraphs is still one turn.
            prev = turns[-1]
            words = list(prev.words) + _words(body, len(turns) - 1)
            turns[-1] = Turn(prev.speaker, tuple(words), prev.title)
            continue
        turns.append(Turn(block.speaker, tuple(_words(body, len(turns))), block.title))
    if not turns:
        raise InputError(f"{where}: no spoken text found" + (f" ({notes[0]})" if notes else ""))
    names = one_name_per_person([t.speaker for t in turns if t.speaker])
    log.debug("%d turns, speakers %s", len(turns),
              sorted({names.get(t.speaker, t.speaker) for t in turns if t.speaker}))
    return Transcript(tuple(replace(t, speaker=names.get(t.speaker, t.speaker) if t.speaker else t.speaker)
                            for t in turns), source, warnings)




def moved_order(n: int, first: int, stop: int, before: int) -> list[int]:
    """The indices 0..n-1 with [first, stop) taken out and put back before index ``before``
    (``n``: at the end): the order of ``moved``'s words, by their index before the move."""
    run = list(range(first, stop))
    rest = [i for i in range(n) if not first <= i < stop]
    at = rest.index(before) if before < n else len(rest)
    return rest[:at] + run + rest[at:]


def moved(script: Transcript, first: int, stop: int, before: int) -> Transcript:
    """``script`` with its words [first, stop) said before word ``before`` instead (``before``
    may be the number of words: at the end): a transcript whose paragraphs are in another
    order than the recording's. Turns cut by the move become two turns of their speaker."""
    words = script.words
    turns: list[Turn] = []
    order = moved_order(len(words), first, stop, before)
    for (own, _), group in itertools.groupby(order, key=lambda i: (words[i].turn, first <= i < stop)):
        old = script.turns[own]
        turns.append(Turn(old.speaker, tuple(replace(words[i], turn=len(turns)) for i in group), old.title))
    return Transcript(tuple(turns), script.source, script.warnings)


def _name_words(name: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[\w'’-]+", name.lower()) if w not in _TITLES)


def one_name_per_person(speakers: list[str]) -> dict[str, str]:
    """The same person written differently (``Dr. Peter Novak``, ``NOVAK``, ``Dr. Novak``)
    gets the fullest form: a name whose words are all in exactly one fuller name is that
    person. Two people who share a surname keep the short form apart (it could be either)."""
    forms = list(dict.fromkeys(speakers))
    out: dict[str, str] = {}
    for name in forms:
        words = _name_words(name)
        fuller = [f for f in forms if f != name and words and words <= _name_words(f)
                  and (len(_name_words(f)), len(f)) > (len(words), len(name))]
        people = {_name_words(f) for f in fuller if not any(_name_words(f) < _name_words(g) for g in fuller)}
        if len(people) == 1:
            out[name] = max(fuller, key=lambda f: (len(_name_words(f)), len(f)))
    return out


def load(path: str | Path, narrator: str | None = None) -> Transcript:
    """Read a transcript file: plain text, Markdown, or .srt/.vtt used only for its text."""
    path = Path(path)
    if path.suffix.lower() in (".srt", ".vtt"):
        from ..subtitles.published import read_subtitles

        return _parse(_cue_text(read_subtitles(path)), narrator, str(path), _CUES_TEXT)
    return parse(read_text(path), narrator=narrator, source=str(path))


def _cue_text(cues: Sequence[SubtitleCue]) -> str:
    """Subtitle cues as transcript paragraphs: each cue's lines keep any label they carry
    ("[Name] ...", "NAME: ...", <v Name>); unlabelled cues continue the turn before them."""
    paragraphs = [f"[{cue.speaker}] {' '.join(cue.lines)}" if cue.speaker else " ".join(cue.lines) for cue in cues]
    return "\n\n".join(_merge_continuations(paragraphs))


def _merge_continuations(paragraphs: list[str]) -> list[str]:
    """Subtitle cues cut sentences apart; rejoin unlabelled cues to the turn before them."""
    out: list[str] = []
    for p in paragraphs:
        if out and split_label(p) is None:
            out[-1] += " " + p
        else:
            out.append(p)
    return out
