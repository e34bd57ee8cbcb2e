"""Spoken forms: what differs only in writing must match."""

from __future__ import annotations

import pytest

from aligner.text.textnorm import spoken_tokens


@pytest.mark.parametrize(
    "a, b",
    [
        ("20%", "twenty percent"),
        ("20", "twenty"),
        ("Dr.", "doctor"),
        ("1961", "nineteen sixty-one"),
        ("1,000", "one thousand"),
        ("3rd", "third"),
        ("$5", "five dollars"),
        ("didn't", "didnt"),
        ("Free-Russia", "free russia"),
        ("»Legion«", "legion"),
        ("Moscow.", "moscow"),
    ],
)
def test_same_spoken_form(a, b):
    left = spoken_tokens(a)
    right = [t for w in b.split() for t in spoken_tokens(w)]
    assert left == right


@pytest.mark.parametrize(("written", "lang", "said"), [
    ("D.", "es", "don"),  # "Al Señor D. Manuel Tamayo y Baus": the reader says "don"
    ("Sra.", "es", "señora"),
    ("Mme", "fr", "madame"),  # French writes it without a point
    ("Dr", "fr", "dr"),  # a point-less "Dr" could be a name's initials: only with its point
    ("Dr.", "fr", "docteur"),
    ("D", "es", "d"),
])
def test_honorifics_are_said_in_full(written, lang, said):
    assert spoken_tokens(written, lang) == said.split()


def test_german_numbers():
    assert spoken_tokens("20", "de") == ["zwanzig"]


@pytest.mark.parametrize(("year", "lang", "said"), [
    # a German reader says "neunzehnhundertdreiundsechzig": spelled as the cardinal
    # ("eintausendneunhundert..."), the phone fit found no path through the real FLEURS voice
    ("1963", "de", "neunzehnhundertdreiundsechzig"),
    ("2002", "de", "zweitausendzwei"),
    ("1100", "nl", "elf honderd"),
    ("1963", "fr", "mille neuf cent soixante trois"),  # French says years as cardinals
    ("1963", "sv", "etttusen niohundrasextiotre"),  # no year form in num2words: the cardinal
])
def test_a_year_is_said_as_its_language_says_years(year, lang, said):
    assert spoken_tokens(year, lang) == said.split()


def test_punctuation_alone_is_silent():
    assert spoken_tokens("–") == []


@pytest.mark.parametrize(("word", "disfluent"), [
    ("uh", True), ("Um,", True), ("sh-", True), ("d-", True), ("ähm", True), ("euh", True),
    ("yknow", True), ("Funky", False), ("well-", True), ("anti-war", False), ("Hmm.", True), ("the", False),
])
def test_hesitations_and_false_starts(word, disfluent):
    from aligner.text.textnorm import is_disfluency

    assert is_disfluency(word) is disfluent


# Forms a voice reads its own way, by language: (written word, language, spoken tokens).
_SPOKEN_FORMS = [
    # ratios and scores: a one-digit second part, an hour over 24 or a long number is no time
    ("3:2", "en", "three to two"), ("3:2", "de", "drei zu zwei"), ("3:2", "es", "tres a dos"),
    ("3:2", "fr", "trois à deux"), ("3:2", "pt", "três a dois"), ("3:2", "it", "tre a due"),
    ("3:2", "nl", "drie twee"), ("16:9", "en", "sixteen to nine"), ("25:30", "en", "twenty five to thirty"),
    # clock times
    ("10:30", "en", "ten thirty"), ("7:05", "en", "seven oh five"), ("9:00", "en", "nine o clock"),
    ("14:30", "en", "fourteen thirty"), ("9am", "en", "nine a m"), ("9:30pm", "en", "nine thirty p m"),
    ("14:30", "de", "vierzehn uhr dreißig"), ("14.30", "de", "vierzehn uhr dreißig"), ("1:00", "de", "ein uhr"),
    ("7:05", "de", "sieben uhr fünf"), ("14h30", "fr", "quatorze heures trente"), ("14h", "fr", "quatorze heures"),
    ("1h05", "fr", "une heure cinq"), ("21:00", "fr", "vingt et une heures"), ("14:30", "es", "catorce treinta"),
    ("1:30", "es", "una treinta"), ("14:30", "pt", "catorze e trinta"), ("14h", "pt", "catorze horas"),
    ("1:00", "pt", "uma hora"), ("14.30", "it", "quattordici e trenta"), ("1:15", "it", "una e quindici"),
    # ordinals with the language's marker
    ("1st", "en", "first"), ("21st", "en", "twenty first"), ("3rd", "en", "third"),
    ("1er", "fr", "premier"), ("1re", "fr", "première"), ("2e", "fr", "deuxième"), ("3ème", "fr", "troisième"),
    ("1º", "es", "primero"), ("1ª", "es", "primera"), ("2.º", "es", "segundo"), ("1.er", "es", "primer"),
    ("1º", "pt", "primeiro"), ("1ª", "pt", "primeira"), ("2.º", "pt", "segundo"),
    ("1º", "it", "primo"), ("1ª", "it", "prima"), ("2.º", "it", "secondo"),
    # money
    ("$5", "en", "five dollars"), ("5$", "en", "five dollars"), ("$1", "en", "one dollar"),
    ("€3.50", "en", "three euros fifty"), ("£2m", "en", "two million pounds"), ("$0.50", "en", "fifty cents"),
    ("$1.5", "en", "one point five dollars"), ("$1,000", "en", "one thousand dollars"),
    ("€3,50", "de", "drei euro fünfzig"), ("5€", "de", "fünf euro"), ("€1", "de", "ein euro"),
    ("€3,50", "fr", "trois euros cinquante"), ("5€", "fr", "cinq euros"),
    ("€3,50", "es", "tres euros con cincuenta"), ("5€", "es", "cinco euros"), ("€1", "es", "un euro"),
    ("€3,50", "pt", "três euros e cinquenta"), ("5€", "pt", "cinco euros"),
    ("€3,50", "it", "tre euro e cinquanta"), ("5€", "it", "cinque euro"),
    ("€", "en", "euros"), ("€", "de", "euro"), ("$", "es", "dólares"), ("$5", "ru", "пять долларов"),
    # per cent, also the sign alone (of "50 %")
    ("50%", "en", "fifty percent"), ("50%", "de", "fünfzig prozent"), ("50%", "fr", "cinquante pour cent"),
    ("50%", "es", "cincuenta por ciento"), ("50%", "pt", "cinquenta por cento"), ("50%", "it", "cinquanta per cento"),
    ("50%", "nl", "vijftig procent"), ("%", "pt", "por cento"), ("%", "it", "per cento"), ("3,5%", "de",
    "drei komma fünf prozent"), ("2%", "ru", "два процента"), ("50%", "ru", "пятьдесят процентов"),
    ("%50", "tr", "yüzde elli"),
    # decimals with the language's mark and word
    ("3.5", "en", "three point five"), ("3,5", "de", "drei komma fünf"), ("3,5", "fr", "trois virgule cinq"),
    ("3,5", "es", "tres coma cinco"), ("3,5", "pt", "três vírgula cinco"), ("3,5", "it", "tre virgola cinque"),
    # left as they were: English decimals with a point, German dates and ordinals, ranges
    ("14.30", "en", "fourteen point three"), ("3.", "de", "drei"), ("1990-95", "en", "nineteen ninety ninety five"),
    ("1960s", "en", "nineteen sixties"), ("5h", "en", "five h"),
]


@pytest.mark.parametrize(("word", "lang", "spoken"), _SPOKEN_FORMS)
def test_written_forms_are_spoken(word, lang, spoken):
    assert spoken_tokens(word, lang) == spoken.split()


@pytest.mark.parametrize(("written", "said", "lang"), [
    ("9:00", "nine o'clock", "en"), ("50 %", "fifty percent", "en"), ("5 $", "five dollars", "en"),
    ("las 14:30", "las catorce treinta", "es"), ("14h30", "quatorze heures trente", "fr"),
    ("50 %", "cinquanta per cento", "it"), ("€3,50", "drei Euro fünfzig", "de"),
])
def test_written_and_said_match_word_by_word(written, said, lang):
    def tokens(text):
        return [t for w in text.split() for t in spoken_tokens(w, lang)]

    assert tokens(written) == tokens(said)


def test_regional_language_codes_use_the_base_language():
    assert spoken_tokens("50%", "pt-BR") == spoken_tokens("50%", "pt_BR") == ["cinquenta", "por", "cento"]


@pytest.mark.parametrize("lang", ["am", "ar", "az", "ja", "ko", "tr", "vi", "th", "zh", "xx", "", "en_NG", "es_CO"])
def test_no_language_raises(lang):
    words = ["3:2", "10:30", "14.30", "14h", "1er", "1º", "$5", "€3,50", "£2m", "50%", "%", "3,5", "21st", "$0.07"]
    for word in words:
        assert all(isinstance(t, str) and t for t in spoken_tokens(word, lang))


def test_every_num2words_language_speaks_without_raising():
    from num2words import CONVERTER_CLASSES

    for lang in CONVERTER_CLASSES:
        for word in ("3:2", "10:30", "$5", "€3.50", "50%", "1º", "2e", "3,5"):
            spoken_tokens(word, lang)
