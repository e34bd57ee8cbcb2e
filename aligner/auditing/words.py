"""A cue's text as the words it speaks: what every check compares with the audio.

Speaker labels, dialogue dashes and sound descriptions are shown, not said, so they are left
out before any word is looked for in the audio. A cue of names and numbers only reads the same
in every language, so the language check leaves it alone; in any other cue it judges the words
left once names and numbers are taken out (``without_names``, ``without_rare``), and asks
wordfreq whether they are commoner in the subtitles' language than in the one they read as
(``frequency_lead``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from ..subtitles.subtitle_cue import SubtitleCue
from ..text.languages import in_own_script, zipf
from ..text.transcript import split_label, strip_directions
from ..timing.phones import in_lexicon

__all__ = [
    "all_cue_words",
    "bare",
    "cue_words",
    "frequency_lead", "loanword",
    "mean_zipf",
    "name_flags",
    "names_or_numbers",
    "sentence_starts",
    "set_in_capitals",
    "unusual",
    "without_names",
    "without_rare",
]

log = logging.getLogger(__name__)

_EDGE = ".,;:!?…\"'«»“”„‘’‚()[]{}¿¡-–—*/"  # punctuation around a word, not part of it
_SENTENCE_END = re.compile(r"[.!?…][\"'»”’)\]]*$")
_NAME_PARTICLES = {"von", "van", "de", "da", "del", "della", "der", "den", "du", "la", "le", "di", "bin", "al",
                   "y", "e", "zu", "ter", "ten", "dos", "das"}


def cue_words(cue: SubtitleCue) -> list[str]:
    """The spoken words of a cue: speaker labels, dialogue dashes and sound descriptions out."""
    words: list[str] = []
    for line in cue.lines:
        line = re.sub(r"^\s*[-–]\s*", "", line)
        label = split_label(line)
        if label is not None:
            line = label[2]
        words += [w for w in strip_directions(line).split() if re.search(r"\w", w)]
    return words


def all_cue_words(cues: Sequence[SubtitleCue]) -> tuple[list[str], list[int]]:
    """Every cue's spoken words in order, and the index of the cue each belongs to."""
    words: list[str] = []
    owner: list[int] = []
    for k, cue in enumerate(cues):
        for w in cue_words(cue):
            words.append(w)
            owner.append(k)
    return words, owner


def names_or_numbers(words: Sequence[str]) -> bool:
    """Whether a cue is only names and numbers ("Hans Jakob Christoffel von Grimmelshausen",
    "1961"): the same in every language, so never in the wrong one."""
    core = [w.strip(".,;:!?…\"'«»“”()") for w in words]
    core = [w for w in core if w]
    if not core:
        return True
    return all(w[0].isupper() or any(c.isdigit() for c in w) or w.lower() in _NAME_PARTICLES for w in core)


def bare(word: str) -> str:
    """A word without the punctuation around it ("«puede" -> "puede", "l'accident" kept)."""
    return word.strip(_EDGE)


def sentence_starts(words: Sequence[str]) -> list[bool]:
    """Which words start a sentence: the cue's first, and each after a full stop, question or
    exclamation mark. Their capital says nothing of a name."""
    return [i == 0 or bool(_SENTENCE_END.search(words[i - 1])) for i in range(len(words))]


def _is_number(word: str) -> bool:
    """Figures ("1963", "6-6", "2002»") read the same in every language."""
    return any(c.isdigit() for c in word)


def _capital_name(word: str, language: str, ordinary_zipf: float) -> bool:
    """A capitalised word that is not an ordinary word of the language ("Fisichella" in French,
    "Google" in Russian, not "Wasser" in German, whose nouns all take a capital). Without a
    word list for the language, every capitalised word."""
    word = bare(word)
    if not word[:1].isupper():
        return False
    z = zipf(word, language)
    return z is None or z < ordinary_zipf or not in_own_script(word, language)


def unusual(words: Sequence[str], language: str, ordinary_zipf: float, rare_zipf: float = 0.0) -> bool:
    """Whether a passage holds a word that is not an ordinary word of ``language`` (a name,
    a foreign or coined word, a recogniser's garble: "Pannartz", "Nützung", "Neplu"): the
    speech model's preference between such spellings says little, its language model has no
    sense of them. A word is ordinary when it is common in running text (wordfreq) or in the
    language's pronunciation lexicon (gruut: "referirte", rare as it is) and not rarer than
    ``rare_zipf`` (a recogniser's garble can be a word of the dictionary: "alción", a
    kingfisher, heard for "aproximarse a un" in a Spanish reading, 1.65 on wordfreq's scale),
    a hyphenated word only when the lexicon holds it whole; figures are
    ordinary; without a word list for the language, a capitalised word after the first is
    unusual."""
    for i, word in enumerate(words):
        w = bare(word)
        if not w or _is_number(w):
            continue
        if _compound(w):
            if not in_lexicon(w, language):
                return True
            continue
        z = zipf(w, language)
        if (z is None and i > 0 and w[:1].isupper()) or (z is not None and z < ordinary_zipf
                                                         and (z < rare_zipf or not in_lexicon(w, language))):
            return True
    return False


def _compound(word: str) -> bool:
    """A hyphenated word ("white-blue-white", "K-Up"): wordfreq scores it by its parts, as a
    phrase, so only a lexicon that holds it whole says it is a word of the language."""
    return "-" in word.strip("-")


def loanword(word: str, language: str, ordinary_zipf: float) -> bool:
    """Whether a word of a ``language`` text is an English word it borrowed ("tie-break",
    "week-end"): an ordinary English word, commoner in English than in ``language``. A voice
    may say it as in English, not as ``language``'s spelling would."""
    w = bare(word)
    en, own = zipf(w, "en"), zipf(w, language)
    return en is not None and en >= ordinary_zipf and (own is None or en > own)


def set_in_capitals(words: Sequence[str]) -> bool:
    """Whether a cue is set in capitals ("WHERE ARE YOU GOING?"): every word of two letters or
    more is upper case, so a capital says nothing of a name."""
    long = [w for w in map(bare, words) if sum(c.isalpha() for c in w) >= 2]
    return bool(long) and all(w.isupper() for w in long)


def name_flags(words: Sequence[str], language: str, ordinary_zipf: float) -> list[bool]:
    """Which words are names or numbers by their spelling: figures, and capitalised words that
    are not ordinary words of ``language``, unless they start a sentence; a capitalised word
    starting one is a name when the next is a name too ("Giancarlo Fisichella perdeu"). In a
    cue set in capitals, figures only."""
    starts = sentence_starts(words)
    capitals = set_in_capitals(words)
    caps = [not capitals and _capital_name(w, language, ordinary_zipf) for w in words]
    flags = []
    for i, w in enumerate(words):
        run = i + 1 < len(words) and caps[i + 1] and not starts[i + 1]
        flags.append(_is_number(w) or (caps[i] and (not starts[i] or run)))
    return flags


def without_names(words: Sequence[str], language: str, ordinary_zipf: float) -> list[str]:
    """A cue's words, bare, with names and numbers by their spelling (``name_flags``) taken out:
    they are the same in every language, so they say nothing of the cue's."""
    flags = name_flags(words, language, ordinary_zipf)
    kept = [bare(w) for w, name in zip(words, flags) if not name]
    return [w for w in kept if w]


def _rare_in_both(word: str, a: str, b: str, rare_zipf: float) -> bool:
    """Whether a word is rarer than ``rare_zipf`` in both languages (wordfreq): a name written
    in lower case ("fisichella", "carpanedo"), not a word of either. Without both lists, unknown."""
    za, zb = zipf(word, a), zipf(word, b)
    return za is not None and zb is not None and za < rare_zipf and zb < rare_zipf


def without_rare(words: Sequence[str], language: str, other: str, rare_zipf: float) -> list[str]:
    """Words with those rare in both the subtitles' ``language`` and the ``other`` the text
    reads as taken out: names without capitals. A word rare in the subtitles' language alone
    stays: it is a word of the other, and the evidence for it."""
    return [w for w in words if not _rare_in_both(w, language, other, rare_zipf)]


def frequency_lead(words: Sequence[str], language: str, other: str) -> float | None:
    """How much commoner a cue's words are in ``language`` than in ``other``: the mean
    difference of their wordfreq Zipf frequencies (each list's log10 frequencies, so the
    difference of the words' log-likelihoods under the two languages, per word). "la" is
    common in English text too, but commoner in Spanish. None without both word lists."""
    if not words or zipf("a", language) is None or zipf("a", other) is None:
        return None
    return sum((zipf(w, language) or 0.0) - (zipf(w, other) or 0.0) for w in words) / len(words)


def mean_zipf(words: Sequence[str], language: str) -> float | None:
    """How common a cue's words are in a language on average (wordfreq Zipf), or None without
    a word list for it."""
    if not words or zipf("a", language) is None:
        return None
    return sum(zipf(w, language) or 0.0 for w in words) / len(words)
