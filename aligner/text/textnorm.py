"""Spoken forms for matching: the transcript writes "20 percent", the recogniser "20%",
a speaker says "twenty percent". Both sides are reduced to the same lower-case spoken
tokens so that punctuation, case, digits and common abbreviations never break a match.

Beyond plain numbers, a word written in one of these forms is spoken as a voice says it,
in every language num2words speaks (tables below name the words; a language without an
entry, or without a num2words converter, falls back to the plain numbers and never raises):

- clock times "10:30", "7:05", "9:00", "14h30", "14.30" (de/it/nl/da/no/sv/fi only);
- ratios and scores "3:2" ("three to two");
- ordinals "21st" (any language), fr "1er", "2e", "3ème", es/pt/it "1º", "1ª", "2.º";
- money "$5", "€3.50", "£2m", "5$" (and a bare symbol), per cent "50%", "%50";
- decimals "3.5" / "3,5" with the language's own decimal word.

The function sees one written word at a time, so a form split over words ("50 %", "5 $",
"14.30 Uhr") is spoken word by word: "%" and "$" alone say their names, "Uhr" stays "uhr".
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from num2words import CONVERTER_CLASSES, num2words

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
    # the honorifics a reading or a news text abbreviates ("Al Señor D. Manuel Tamayo": "don")
    "es": {"d": "don", "dña": "doña", "sr": "señor", "sra": "señora", "srta": "señorita", "dr": "doctor",
           "dra": "doctora", "ud": "usted", "uds": "ustedes"},
    "fr": {"mme": "madame", "mmes": "mesdames", "mlle": "mademoiselle", "dr": "docteur", "pr": "professeur"},
    "pt": {"sr": "senhor", "sra": "senhora", "dr": "doutor", "dra": "doutora"},
    "it": {"sig": "signor", "dott": "dottor", "prof": "professor"},
}
_BARE_ABBREVIATIONS = frozenset({"ok", "mme", "mmes", "mlle"})
# Hesitations as verbatim transcripts write them, in the languages the tool reads most: the
# recogniser leaves most of them out, so their absence from what it heard says nothing.
_FILLERS = frozenset("uh um uhm er erm ah eh hm hmm mm mmm mhm yknow äh ähm öh euh heu bah ehm".split())

_SYMBOLS = {"&": " and ", "+": " plus ", "=": " equals ", "°": " degrees "}
_SYMBOLS_BY_LANG = {
    "de": {"&": " und ", "+": " plus ", "=": " gleich ", "°": " grad "},
    "fr": {"&": " et ", "+": " plus ", "=": " égale ", "°": " degrés "},
    "es": {"&": " y ", "+": " más ", "=": " igual ", "°": " grados "},
    "pt": {"&": " e ", "+": " mais ", "=": " igual ", "°": " graus "},
    "it": {"&": " e ", "+": " più ", "=": " uguale ", "°": " gradi "},
}
# "%" by language: one word, or the plural forms that num2words' pluralize picks between.
_PERCENT: dict[str, str | tuple[str, ...]] = {
    "en": "percent", "de": "prozent", "fr": "pour cent", "es": "por ciento", "pt": "por cento",
    "it": "per cento", "ca": "per cent", "nl": "procent", "da": "procent", "sv": "procent",
    "no": "prosent", "is": "prósent", "fi": "prosenttia", "pl": "procent", "hu": "százalék",
    "ro": "la sută", "sl": "odstotkov", "sr": "posto", "lv": "procenti", "eo": "procentoj",
    "cy": "y cant", "tr": "yüzde", "az": "faiz", "id": "persen", "vi": "phần trăm",
    "ar": "بالمئة", "he": "אחוז", "fa": "درصد", "am": "በመቶ", "bn": "শতাংশ", "te": "శాతం",
    "ja": "パーセント", "ko": "퍼센트", "th": "เปอร์เซ็นต์", "kz": "пайыз", "tg": "фоиз",
    "ru": ("процент", "процента", "процентов"), "uk": ("відсоток", "відсотки", "відсотків"),
    "be": ("працэнт", "працэнты", "працэнтаў"), "cs": ("procento", "procenta", "procent"),
    "sk": ("percento", "percentá", "percent"), "lt": ("procentas", "procentai", "procentų"),
}
_PERCENT_FIRST = frozenset({"tr"})  # "%50", "yüzde elli": the word comes before the number
_CURRENCY_CODES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB"}
# English names (num2words says "five euro", "pounds sterling"), and every language's fallback.
_CURRENCY_EN = {
    "USD": ("dollar", "dollars"), "EUR": ("euro", "euros"), "GBP": ("pound", "pounds"),
    "JPY": ("yen", "yen"), "INR": ("rupee", "rupees"), "RUB": ("ruble", "rubles"),
}
_CENTS_JOINER = {"es": "con", "pt": "e", "it": "e"}  # "tres euros con cincuenta"
_SCALES = {"en": {"k": "thousand", "m": "million", "mn": "million", "bn": "billion", "b": "billion",
                  "tn": "trillion"}}
_RATIO_WORD = {"en": "to", "de": "zu", "fr": "à", "es": "a", "pt": "a", "it": "a", "ca": "a"}


class _Clock(NamedTuple):
    """How a language says a clock time: hour, (hour word), (joiner), (oh), minutes."""

    hour_word: tuple[str, str] = ("", "")  # after the hour, singular/plural: de "uhr", fr "heure(s)"
    joiner: str = ""  # between hour and minutes: pt/it "e"
    oh: str = ""  # before minutes 01-09: en "oh" ("seven oh five")
    sharp: tuple[str, str] = ("", "")  # minutes 00: en "o'clock", pt "hora(s)"


_CLOCKS = {
    "en": _Clock(oh="oh", sharp=("o'clock", "o'clock")),
    "de": _Clock(hour_word=("uhr", "uhr")),
    "fr": _Clock(hour_word=("heure", "heures")),
    "es": _Clock(),
    "pt": _Clock(joiner="e", sharp=("hora", "horas")),
    "it": _Clock(joiner="e"),
}
_DOT_CLOCK_LANGS = frozenset({"de", "it", "nl", "da", "no", "sv", "fi"})  # "14.30" is a time there
_HOUR_ONE = {"de": "ein", "fr": "une", "es": "una", "pt": "uma", "it": "una"}  # "ein uhr", "une heure"
# A decimal written with a comma where num2words says the point word: es "tres coma cinco".
_COMMA_WORD = {"es": ("punto", "coma"), "ca": ("punt", "coma")}
# Ordinal markers after the digits (after NFKC: "º" is "o", "ᵉʳ" is "er") and what they make.
_ORDINAL_MARKERS = {
    "fr": {"er": "m", "re": "f", "ère": "f", "e": "m", "è": "m", "ème": "m", "eme": "m"},
    "es": {"o": "m", "a": "f", "er": "short"},
    "pt": {"o": "m", "a": "f"},
    "it": {"o": "m", "a": "f"},
}
_NUM = r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?"
_NUMBER = re.compile(rf"({_NUM})(st|nd|rd|th|s)?")
_CLOCK_RE = re.compile(r"(\d{1,2})([:h.])(\d{2})(?:([ap])\.?m\.?)?|(\d{1,2})(?:h|([ap])\.?m\.?)")
_RATIO_RE = re.compile(rf"({_NUM}):({_NUM})")
_ORDINAL_RE = re.compile(r"(\d+)\.?([^\W\d_]+)")
_MONEY_RE = re.compile(rf"([$€£¥₹₽]?)({_NUM})([a-z]{{0,2}})([$€£¥₹₽]?)")
_PERCENT_RE = re.compile(rf"(%?)({_NUM})?(%?)")
_EDGES = ".,;:!?…\"'«»“”„()[]{}–—-"
_CLOSERS = ",;:!?…\"'»”)]}"


def is_disfluency(word: str) -> bool:
    """A hesitation ("uh", "ähm") or a false start cut off by a hyphen ("sh-", "d-"): words
    a verbatim transcript keeps and the recogniser most often does not write."""
    core = re.sub(r"[^\w-]+$", "", word.strip().lower()).lstrip("-")
    return core in _FILLERS or (core.endswith("-") and len(core) <= 6)


def _base_lang(lang: str | None) -> str:
    """"pt-BR", "pt_BR" -> "pt": the tables are by base language, as num2words falls back."""
    return re.split(r"[-_]", (lang or "en").lower())[0] or "en"


@lru_cache(maxsize=8192, typed=True)
def _say(value: int | float, lang: str, to: str = "cardinal") -> str | None:
    """num2words in lower case, or None where the language lacks that converter: a word the
    normaliser cannot speak stays as written rather than stopping an audit (typed, so that
    1 and 1.0 are not one cache entry: "one" and "one point zero")."""
    try:
        return str(num2words(value, lang=lang, to=to)).lower()
    except Exception:  # by language NotImplementedError, TypeError, IndexError, OverflowError...
        return None


@lru_cache(maxsize=1024)
def _say_currency(amount: Decimal, code: str, lang: str) -> tuple[str, str] | None:
    """num2words' currency converter split into (units with their name, cents with theirs),
    or None where the language lacks it: it agrees the number with the name ("ein Euro",
    "veintiún dólares", "пять долларов") as a table of names could not."""
    try:
        said = str(num2words(amount, lang=lang, to="currency", currency=code, separator="|")).lower()
    except Exception:  # some languages take no separator, others lack the currency
        return None
    units, bar, cents = said.partition("|")
    return (units.strip(), cents.strip()) if bar else None


def _value(number: str) -> int | float | None:
    """The value of a written number: "1,000" and "1.000" group thousands; otherwise the last
    comma or point is the decimal mark ("3,5", "1,000.50")."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+", number):
        return int(re.sub(r"[.,]", "", number))
    mark = max(number.rfind(","), number.rfind("."))
    if mark < 0:
        return int(number)
    whole = re.sub(r"[.,]", "", number[:mark])
    try:
        return float(f"{whole}.{number[mark + 1:]}")
    except ValueError:
        return None


def _decimal_word(words: str, number: str, lang: str) -> str:
    """Spanish says a decimal comma "coma" where num2words says "punto": "3,5" is "tres coma
    cinco", "3.5" stays "tres punto cinco"."""
    point, comma = _COMMA_WORD.get(lang, ("", ""))
    if point and "," in number and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", number):
        return re.sub(rf"\b{point}\b", comma, words)
    return words


def _plural(words: str) -> str:
    """A decade written "1960s" or "80s" is said "nineteen sixties", "eighties"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + ("es" if words.endswith("x") else "s")


@lru_cache(maxsize=4096)
def _number_words(number: str, suffix: str, lang: str) -> str:
    """One written number as words: "21st" an ordinal, "1961" a year, "1960s" a
    decade, "3,5" a decimal; the digits themselves where num2words cannot say it."""
    value = _value(number)
    if value is None:
        return number
    if suffix in ("st", "nd", "rd", "th"):
        words = _say(int(value), lang, "ordinal")
    elif isinstance(value, int) and 1100 <= value <= 2099 and len(number) == 4:
        # "1961": a year, as the language says one ("nineteen sixty-one", "neunzehnhundert-
        # einundsechzig", not "eintausendneunhundert..."); num2words' cardinal where it has none
        words = _say(value, lang, "year") or _say(value, lang)
    else:
        words = _say(value, lang)
        words = words and _decimal_word(words, number, lang)
    if words is None:
        return number
    return _plural(words) if suffix == "s" else words


def _hour_words(hour: int, lang: str) -> str | None:
    """The hour as a clock says it: hours are feminine in the Romance languages and German says
    "ein Uhr", so a final "one" takes the clock's form ("une heure", "vingt et une heures")."""
    words, one = _say(hour, lang), _say(1, lang)
    if words and lang in _HOUR_ONE and words.split()[-1] == one:
        words = " ".join([*words.split()[:-1], _HOUR_ONE[lang]])
    return words


def _clock_words(hour: int, minute: int, lang: str, meridiem: str) -> str | None:
    """Hour, the language's hour word, then the minutes ("vierzehn uhr dreißig", "seven oh
    five"); a full hour says "o'clock" where the language does, not before "a.m."/"p.m."."""
    clock = _CLOCKS.get(lang, _Clock())
    hour_words, minute_words = _hour_words(hour, lang), _say(minute, lang) if minute else ""
    if hour_words is None or minute_words is None:
        return None
    n = 0 if hour <= 1 else 1
    if minute:
        parts = [hour_words, clock.hour_word[n], clock.joiner, clock.oh if minute < 10 else "", minute_words]
    else:
        parts = [hour_words, clock.hour_word[n], "" if meridiem else clock.sharp[n]]
    if meridiem:
        parts.append(f"{meridiem} m")
    return " ".join(p for p in parts if p)


def _clock(core: str, lang: str) -> str | None:
    """A time of day: "10:30", "14h30", "9:00am", "9pm", and "14h" outside English (there it is
    five hours). Against a ratio it is a time when the minutes are exactly two digits 00-59 and
    the hour at most 24 ("3:2", "16:9" and "25:30" stay ratios); a point separates hours only
    where times are written so and decimals take a comma (de "14.30", never en "3.50")."""
    m = _CLOCK_RE.fullmatch(core)
    if not m:
        return None
    if m[5]:
        hour, sep, minute, meridiem = int(m[5]), "h", 0, m[6] or ""
        if lang == "en" and not meridiem:
            return None
    else:
        hour, sep, minute, meridiem = int(m[1]), m[2], int(m[3]), m[4] or ""
    if hour > 24 or minute > 59 or (sep == "." and lang not in _DOT_CLOCK_LANGS):
        return None
    return _clock_words(hour, minute, lang, meridiem)


def _ratio(core: str, lang: str) -> str | None:
    """A ratio or score "3:2" (any "a:b" that is not a time): "three to two", "drei zu zwei";
    where the table has no word for the language, the two numbers alone. A score written
    "3-2" is left alone: hyphens join ranges and years just as often."""
    m = _RATIO_RE.fullmatch(core)
    if not m:
        return None
    return " ".join(w for w in (_number_words(m[1], "", lang), _RATIO_WORD.get(lang, ""),
                                _number_words(m[2], "", lang)) if w)


def _inflect_ordinal(words: str, kind: str, lang: str) -> str:
    """num2words' masculine ordinal in the form the marker writes: feminine "1ª" "primera",
    fr "1re" "première", and the Spanish short form "1.er" "primer" (before a noun)."""
    if kind == "f":
        return words.replace("premier", "première") if lang == "fr" else re.sub(r"o\b", "a", words)
    if kind == "short":
        return re.sub(r"ero\b", "er", words)
    return words


def _ordinal_marker(core: str, lang: str) -> str | None:
    """An ordinal with the language's own marker: fr "1er", "2e", "3ème"; es/pt/it "1º",
    "1ª", "2.º" (NFKC made them "1o", "1a", "2.o"). German "3." is left alone: a number
    before a full stop ends as many sentences as it marks an ordinal. ("21st" is the
    number path's, in every language.)"""
    markers = _ORDINAL_MARKERS.get(lang, {})
    m = _ORDINAL_RE.fullmatch(core) if markers else None
    if not m or m[2] not in markers:
        return None
    words = _say(int(m[1]), lang, "ordinal")
    return words and _inflect_ordinal(words, markers[m[2]], lang)


@lru_cache(maxsize=1024)
def _currency_name(code: str, lang: str, count: int) -> str:
    """The currency's name in the language agreeing with count ("euro", "euros", "долларов"),
    from num2words' own forms and plural rule; English where num2words has none, as before."""
    if lang != "en":
        try:
            converter = CONVERTER_CLASSES[lang]
            return str(converter.pluralize(count, converter.CURRENCY_FORMS[code][0])).lower()
        except Exception:  # no converter, no such currency, or no plural rule
            pass
    singular, plural = _CURRENCY_EN[code]
    return singular if count == 1 else plural


def _amount_parts(number: str) -> tuple[int, int | None] | None:
    """Whole units and cents of a price ("3.50", "3,50", "1,000"): a last group of exactly two
    digits after a point or comma is cents. Other decimals (the "1.5" of "$1.5 billion") are
    no price: None, and they are said as a decimal."""
    m = re.fullmatch(r"(\d+(?:[.,]\d{3})*)(?:[.,](\d{2}))?", number)
    if not m:
        return None
    return int(re.sub(r"[.,]", "", m[1])), (int(m[2]) if m[2] else None)


def _units_words(whole: int, code: str, lang: str) -> str:
    """Whole units with their name: English "five dollars", "one euro" (num2words says "five
    euro" and "pounds sterling"), num2words' currency form elsewhere, else number and name."""
    said = _say_currency(Decimal(whole), code, lang) if lang != "en" else None
    if said:
        return said[0]
    return f"{_number_words(str(whole), '', lang)} {_currency_name(code, lang, whole)}"


def _price_words(whole: int, cents: int | None, code: str, lang: str) -> str | None:
    """A price as read aloud: units, name, then the cents as a bare number ("three euros
    fifty", "tres euros con cincuenta"); cents alone keep their own name ("fifty cents")."""
    if whole == 0 and cents:
        said = _say_currency(Decimal(cents).scaleb(-2), code, lang)
        return said[1] if said else _say(cents, lang)
    units = _units_words(whole, code, lang)
    cents_words = _say(cents, lang) if cents else ""
    if cents_words is None:
        return None
    return " ".join(w for w in (units, _CENTS_JOINER.get(lang, "") if cents else "", cents_words) if w)


def _money(core: str, lang: str) -> str | None:
    """A sum with one currency sign before or after it ("$5", "5$", "€3.50", "3,50€"): the
    price, or with a scale letter ("£2m", "$5bn", English only) the number, the scale and the
    plural name ("two million pounds"). "$1.5" is "one point five dollars": "$1.5 billion"
    comes as two words, so its "billion" follows the name."""
    m = _MONEY_RE.fullmatch(core)
    if not m or bool(m[1]) == bool(m[4]):
        return None
    code, number, scale = _CURRENCY_CODES[m[1] or m[4]], m[2], m[3]
    if scale:
        scale_word = _SCALES.get(lang, {}).get(scale)
        return scale_word and f"{_number_words(number, '', lang)} {scale_word} {_currency_name(code, lang, 2)}"
    parts = _amount_parts(number)
    if parts is None:
        return f"{_number_words(number, '', lang)} {_currency_name(code, lang, 2)}"
    return _price_words(*parts, code, lang)


def _percent_word(lang: str, count: int | float | None) -> str:
    """The language's word for "%", agreeing with the number where it inflects (ru "два
    процента", "пять процентов"; a fraction or a lone sign takes the many-form); English
    where the table has no entry, as before."""
    entry = _PERCENT.get(lang, _PERCENT["en"])
    if isinstance(entry, str):
        return entry
    if not isinstance(count, int):
        return entry[1] if isinstance(count, float) else entry[-1]
    try:
        return str(CONVERTER_CLASSES[lang].pluralize(count, entry))
    except Exception:  # a converter without a plural rule
        return entry[-1]


def _percent(core: str, lang: str) -> str | None:
    """"50%", "3,5%", "%50" and a lone "%" (of "50 %"): the number, then the language's word
    for per cent; Turkish says it first ("%50", "yüzde elli") wherever the sign is written."""
    m = _PERCENT_RE.fullmatch(core)
    if not m or bool(m[1]) == bool(m[3]):
        return None
    word = _percent_word(lang, _value(m[2]) if m[2] else None)
    if not m[2]:
        return word
    number = _number_words(m[2], "", lang)
    return f"{word} {number}" if lang in _PERCENT_FIRST else f"{number} {word}"


_FORMS = (_clock, _ratio, _ordinal_marker, _money, _percent)


def _special_form(core: str, lang: str) -> str | None:
    """The first of the written forms a voice reads its own way (time, ratio, ordinal marker,
    money, per cent) that the whole word is, spoken; None for any other word."""
    for form in _FORMS:
        spoken = form(core, lang)
        if spoken is not None:
            return spoken
    return None


def _abbreviation(text: str, core: str, lang: str) -> str | None:
    """An abbreviation written with its point ("Dr.", "bzw."), or one that is no word of its
    own however written ("ok", the French "Mme", which French writes without a point)."""
    abbr = _ABBREVIATIONS.get(lang, {}).get(core.rstrip("."))
    if abbr and (text.rstrip(_CLOSERS).endswith(".") or core in _BARE_ABBREVIATIONS):
        return abbr
    return None


def _is_dotted_date(text: str) -> bool:
    """"10.03." with its final point is a day and month (de/it/...), not the time "10.03"."""
    return re.fullmatch(r"\d{1,2}\.\d{1,2}\.", text.rstrip(_CLOSERS)) is not None


def _written_numbers(text: str, lang: str) -> str:
    """Any other word: currency signs and symbols become their names ("$" "dollars", "&"
    "and"), each number its words ("1990-95", "20%-30%", "4k")."""
    for sym, code in _CURRENCY_CODES.items():
        if sym in text:
            text = text.replace(sym, " ") + f" {_currency_name(code, lang, 2)}"
    symbols = {**_SYMBOLS_BY_LANG.get(lang, _SYMBOLS), "%": f" {_percent_word(lang, None)} "}
    for sym, name in symbols.items():
        text = text.replace(sym, name)
    return _NUMBER.sub(lambda m: " " + _number_words(m.group(1), m.group(2) or "", lang) + " ", text)


def _tokens(text: str, lang: str) -> tuple[str, ...]:
    """Letters and digits of any script, lower-cased; everything else separates tokens. An
    apostrophe joins ("didn't": "didnt") except in "o'clock" ("o", "clock", as a clock time
    says it); English "and" inside a longer form is dropped ("one hundred and five")."""
    text = text.lower().replace("o'clock", "o clock").replace("'", "")
    tokens = re.findall(r"[^\W_]+", text)
    return tuple(t for t in tokens if t != "and" or lang != "en") if len(tokens) > 1 else tuple(tokens)


@lru_cache(maxsize=65536)
def _spoken(word: str, lang: str) -> tuple[str, ...]:
    """spoken_tokens, cached: the same words recur throughout a long file."""
    text = unicodedata.normalize("NFKC", word).lower().replace("’", "'").replace("‘", "'")
    core = text.strip(_EDGES)
    abbr = _abbreviation(text, core, lang)
    if abbr:
        return (abbr,)
    spoken = None if _is_dotted_date(text) else _special_form(core, lang)
    return _tokens(_written_numbers(text, lang) if spoken is None else spoken, lang)


def spoken_tokens(word: str, lang: str = "en") -> list[str]:
    """The lower-case spoken tokens of one written word (possibly none, possibly several), in
    the language's words where num2words speaks it (see the module docstring for the forms)."""
    return list(_spoken(word, _base_lang(lang)))
