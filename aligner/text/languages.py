"""Which language a text is in (langdetect), made repeatable and careful with short text; which
script its letters are written in; how ordinary a word is in a language (wordfreq); and which
languages are too close to tell apart on a subtitle's few words."""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter
from functools import cache, lru_cache

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

__all__ = ["LANGUAGE_SCRIPTS", "SIBLING_LANGUAGES", "detect_language_family", "detect_text_language", "in_own_script",
           "letter_scripts", "same_language", "zipf"]

log = logging.getLogger(__name__)

DetectorFactory.seed = 0  # langdetect is random by default; the same text must give the same answer

# Languages langdetect confuses on a subtitle's few words (it reads "No sé lo que quieres de mí
# de verdad" as Portuguese at 0.57, Spanish at 0.43; Russian, Ukrainian and Bulgarian share most
# short words): one of them named for a cue of the subtitles' own language is no evidence of
# another, and a reading sure of the family is sure (``detect_language_family``). Dialects and
# standards of one language (Bokmål and Nynorsk; Croatian, Serbian and Bosnian) are siblings too.
SIBLING_LANGUAGES: tuple[frozenset[str], ...] = (
    frozenset({"es", "pt", "ca", "gl"}),
    frozenset({"no", "nb", "nn", "da", "sv"}),
    frozenset({"hr", "sr", "bs", "sh"}),
    frozenset({"cs", "sk"}),
    frozenset({"id", "ms"}),
    frozenset({"ru", "uk", "bg", "be", "mk"}),
    frozenset({"nl", "af"}),
)
_FAMILY = {lang: min(group) for group in SIBLING_LANGUAGES for lang in group}

_LATIN = frozenset({"LATIN"})
_CYRILLIC = frozenset({"CYRILLIC"})
_ARABIC = frozenset({"ARABIC"})
_DEVANAGARI = frozenset({"DEVANAGARI"})
# The scripts each language is written in (ISO 639-1, as langdetect and Whisper name them).
# Chinese, Japanese and Korean subtitles set brand names and acronyms in Latin letters, so
# Latin is theirs too; Serbian is written in both alphabets. A language not listed is not
# judged by its script.
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        "af az bs ca cs cy da de en eo es et eu fi fil fo fr ga gl haw hr ht hu id is it jw la lb ln lt lv mg mi "
        "ms mt nb nl nn no oc pl pt ro sh sk sl sn so sq su sv sw tk tl tr uz vi wo yo".split(), _LATIN),
    **dict.fromkeys("ba be bg kk ky mk mn ru tg tt uk".split(), _CYRILLIC),
    **dict.fromkeys("ar fa ps sd ug ur".split(), _ARABIC),
    **dict.fromkeys("hi mr ne sa".split(), _DEVANAGARI),
    "sr": _CYRILLIC | _LATIN,
    "el": frozenset({"GREEK"}),
    "he": frozenset({"HEBREW"}),
    "yi": frozenset({"HEBREW"}),
    "bn": frozenset({"BENGALI"}),
    "as": frozenset({"BENGALI"}),
    "pa": frozenset({"GURMUKHI"}),
    "gu": frozenset({"GUJARATI"}),
    "or": frozenset({"ORIYA"}),
    "ta": frozenset({"TAMIL"}),
    "te": frozenset({"TELUGU"}),
    "kn": frozenset({"KANNADA"}),
    "ml": frozenset({"MALAYALAM"}),
    "si": frozenset({"SINHALA"}),
    "th": frozenset({"THAI"}),
    "lo": frozenset({"LAO"}),
    "km": frozenset({"KHMER"}),
    "my": frozenset({"MYANMAR"}),
    "bo": frozenset({"TIBETAN"}),
    "ka": frozenset({"GEORGIAN"}),
    "hy": frozenset({"ARMENIAN"}),
    "am": frozenset({"ETHIOPIC"}),
    "zh": frozenset({"HAN", "BOPOMOFO", "LATIN"}),
    "yue": frozenset({"HAN", "LATIN"}),
    "ja": frozenset({"HAN", "HIRAGANA", "KATAKANA", "LATIN"}),
    "ko": frozenset({"HANGUL", "HAN", "LATIN"}),
}
# Letters are told apart by the first word of their Unicode name ("CYRILLIC SMALL LETTER ZHE");
# these are the words that name a script (others, "FEMININE ORDINAL INDICATOR", are not counted).
_SCRIPT_WORDS = frozenset(s for scripts in LANGUAGE_SCRIPTS.values() for s in scripts) | {
    "SYRIAC", "THAANA", "NKO", "CHEROKEE", "MONGOLIAN", "YI", "TIFINAGH", "RUNIC", "OGHAM", "COPTIC", "GLAGOLITIC"}
_SCRIPT_ALIASES = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "KATAKANA-HIRAGANA": "KATAKANA"}

# wordfreq's own fallback to "the nearest match" reads Swahili as English and Galician as
# Spanish: only its exact lists are used, under these names for langdetect's and Whisper's codes.
_WORDFREQ_NAMES = {"no": "nb", "hr": "sh", "sr": "sh", "bs": "sh", "tl": "fil"}


def detect_text_language(text: str, min_chars: int = 20, min_probability: float = 0.7) -> str | None:
    """ISO 639-1 code, or None when the text is too short or too mixed to say."""
    readings = _readings(text, min_chars)
    if not readings:
        return None
    lang, prob = readings[0]
    if prob < min_probability:
        log.debug("text language unsure (%s at %.2f): not judged", lang, prob)
        return None
    return lang


def detect_language_family(text: str, min_chars: int = 20, min_probability: float = 0.7) -> str | None:
    """Like ``detect_text_language``, but sure of a language when sure of its family
    (``SIBLING_LANGUAGES``): "No sé lo que quieres de mí" is Portuguese at 0.57 and Spanish at
    0.43, so surely one of them. The family's likeliest member is named."""
    readings = _readings(text, min_chars)
    families: dict[str, float] = {}
    for lang, prob in readings:
        families[_FAMILY.get(lang, lang)] = families.get(_FAMILY.get(lang, lang), 0.0) + prob
    best = next((lang for lang, _ in readings if families[_FAMILY.get(lang, lang)] >= min_probability), None)
    if best is None and readings:
        log.debug("text language unsure (%s at %.2f): not judged", *readings[0])
    return best


def _readings(text: str, min_chars: int) -> list[tuple[str, float]]:
    """langdetect's languages for a text and their probabilities, likeliest first; none for a
    text shorter than ``min_chars`` or without letters."""
    text = " ".join(text.split())
    if len(text) < min_chars:
        return []
    try:
        found = detect_langs(text)
    except LangDetectException:
        return []
    return [({"zh-cn": "zh", "zh-tw": "zh"}.get(r.lang, r.lang), r.prob) for r in found]


def same_language(a: str, b: str) -> bool:
    """Whether two language codes name one language for a subtitle's words: the same code, or
    siblings langdetect confuses on short text (``SIBLING_LANGUAGES``)."""
    return a == b or _FAMILY.get(a, a) == _FAMILY.get(b, b)


def letter_script(char: str) -> str | None:
    """The script of a letter ("LATIN", "CYRILLIC", "HAN", ...), or None for what is not a
    letter of a known script (digits, punctuation, "ª")."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "").split()
    if name and name[0] in ("FULLWIDTH", "HALFWIDTH"):
        name = name[1:]
    if not name:
        return None
    script = _SCRIPT_ALIASES.get(name[0], name[0])
    return script if script in _SCRIPT_WORDS else None


def letter_scripts(text: str) -> Counter[str]:
    """How many of a text's letters are in each script."""
    return Counter(s for s in map(letter_script, text) if s is not None)


def in_own_script(word: str, language: str) -> bool:
    """Whether every letter of a word is in a script the language is written in (True when
    its scripts are not known): wordfreq's lists hold foreign text too ("google" is as
    common in its Russian as "love"), so only such words can be ordinary words of it."""
    scripts = LANGUAGE_SCRIPTS.get(language)
    return scripts is None or all(s in scripts for s in letter_scripts(word))


@cache
def _wordlist(language: str) -> str | None:
    """wordfreq's list for a language, or None when it has none it can use here (Chinese needs
    jieba to cut words; no list for Estonian)."""
    from wordfreq import available_languages, zipf_frequency  # 0.1 s to import: only when a cue is judged

    name = _WORDFREQ_NAMES.get(language, language)
    if name not in available_languages():
        return None
    try:
        zipf_frequency("a", name)
    except (LookupError, ImportError) as exc:
        log.debug("no word frequencies for %s: %s", language, exc)
        return None
    return name


@lru_cache(maxsize=65536)
def zipf(word: str, language: str) -> float | None:
    """How common a word is in a language on the Zipf scale (wordfreq: log10 of its frequency
    per billion words; 3 is once per million, "the" is 7.7, a word it never saw 0), or None
    when there is no list for the language."""
    from wordfreq import zipf_frequency

    name = _wordlist(language)
    return None if name is None else zipf_frequency(word, name)
