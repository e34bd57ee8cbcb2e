"""Spoken forms for matching: the transcript writes "20 percent", the recogniser "20%",
a speaker says "twenty percent". Both sides are reduced to the same lower-case spoken
tokens so that punctuation, case, digits and common abbreviations never break a match.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from num2words import num2words

__all__ = ["is_disfluency", "spoken_tokens"]

_ABBREVIATIONS = {
    "en": {
        "dr": "doctor", "mr": "mister", "mrs": "missus", "ms": "miss", "prof": "professor",
        "st": "saint", "vs": "versus", "jr": "junior", "sr": "senior", "gen": "general",
        "sgt": "sergeant", "capt": "captain", "lt": "lieutenant", "col": "colonel",
        "gov": "governor", "sen": "senator", "rep": "representative", "no": "number",
        "etc": "etcetera", "approx": "approximately", "ok": "okay",
    },
    "de": {"dr": "doktor", "hr": "herr", "fr": "frau", "nr": "nummer", "bzw": "beziehungsweise"},
}
# Hesitations as verbatim transcripts write them, in the languages the tool reads most: the
# recogniser leaves most of them out, so their absence from what it heard says nothing.
_FILLERS = frozenset("uh um uhm er erm ah eh hm hmm mm mmm mhm yknow äh ähm öh euh heu bah ehm".split())


def is_disfluency(word: str) -> bool:
    """A hesitation ("uh", "ähm") or a false start cut off by a hyphen ("sh-", "d-"): words
    a verbatim transcript keeps and the recogniser most often does not write."""
    core = re.sub(r"[^\w-]+$", "", word.strip().lower()).lstrip("-")
    return core in _FILLERS or (core.endswith("-") and len(core) <= 6)


_SYMBOLS = {"%": " percent ", "&": " and ", "+": " plus ", "=": " equals ", "°": " degrees "}
_SYMBOLS_BY_LANG = {
    "de": {"%": " prozent ", "&": " und ", "+": " plus ", "=": " gleich ", "°": " grad "},
    "fr": {"%": " pour cent ", "&": " et ", "+": " plus ", "=": " égale ", "°": " degrés "},
    "es": {"%": " por ciento ", "&": " y ", "+": " más ", "=": " igual ", "°": " grados "},
}
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
_NUMBER = re.compile(r"(\d+(?:[.,]\d{3})*(?:[.,]\d+)?)(st|nd|rd|th|s)?")


@lru_cache(maxsize=4096)
def _number_words(number: str, suffix: str, lang: str) -> str:
    grouped = re.fullmatch(r"\d{1,3}(?:,\d{3})+", number) or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number)
    digits = number.replace(",", "").replace(".", "") if grouped else number.replace(",", ".")
    try:
        value: float | int = float(digits) if "." in digits else int(digits)
        if suffix in ("st", "nd", "rd", "th"):
            return num2words(int(value), lang=lang, to="ordinal")
        if isinstance(value, int) and 1100 <= value <= 2099 and len(number) == 4 and lang == "en":
            words = num2words(value, lang=lang, to="year")  # "1961": nineteen sixty-one
        else:
            words = num2words(value, lang=lang)
    except (NotImplementedError, OverflowError, ValueError, KeyError):
        return number
    return words + ("s" if suffix == "s" else "")


def spoken_tokens(word: str, lang: str = "en") -> list[str]:
    """The lower-case spoken tokens of one written word (possibly none, possibly several)."""
    lang = (lang or "en").split("-")[0].lower()
    text = unicodedata.normalize("NFKC", word).lower()
    text = text.replace("’", "'").replace("‘", "'")
    core = text.strip(".,;:!?…\"'«»“”„()[]{}–—-")
    abbr = _ABBREVIATIONS.get(lang, {}).get(core.rstrip("."))
    if abbr and (text.rstrip(",;:!?\"'»”)").endswith(".") or core in ("ok",)):
        return [abbr]
    for sym, name in _CURRENCY.items():
        if sym in text:
            text = text.replace(sym, " ") + f" {name}"
    for sym, name in _SYMBOLS_BY_LANG.get(lang, _SYMBOLS).items():
        text = text.replace(sym, name)
    text = _NUMBER.sub(lambda m: " " + _number_words(m.group(1), m.group(2) or "", lang) + " ", text)
    text = text.replace("'", "")
    # Keep letters and digits of any script; everything else separates tokens.
    tokens = re.findall(r"[^\W_]+", text)
    return [t for t in tokens if t != "and" or lang != "en"] if len(tokens) > 1 else tokens
