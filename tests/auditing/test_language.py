"""A cue not in the subtitles' language (``aligner.auditing.language``), on strings: real
sentences with names and numbers in them are never in the wrong language; sentences of another
language, or in another script, are."""

from __future__ import annotations

from itertools import pairwise
from types import SimpleNamespace

import pytest

from aligner.auditing.gather import CueEvidence
from aligner.auditing.language import check_language, foreign_script, foreign_text, wrong_language
from aligner.auditing.options import AuditOptions
from aligner.subtitles.subtitle_cue import SubtitleCue
from aligner.text.languages import same_language

OPTS = AuditOptions()

# Real sentences (FLEURS test split, lower case as transcribed; LJSpeech), chosen for the names,
# numbers and loan words inside them.
REAL = {
    "de": ["für die besten aussichten auf hongkong sollten sie die insel verlassen und zum "
           "gegenüberliegenden ufer von kowloon fahren",
           "er griff auch alles an was ins wasser kam selbst ein großer dinosaurier wie der t rex war ihm nicht "
           "gewachsen",
           "die höhle befindet sich auf der spitze eines der berge nördlich von mekka und ist vom rest der welt "
           "völlig isoliert",
           "nachdem der damm 1963 erbaut worden war kamen die jahreszeitlichen überflutungen die sedimente im "
           "fluss verteilen zum stillstand",
           "ihre eigenen perspektiven zu bestimmten themen darlegen  oravec 2002"],
    "es": ["fue tanta la cantidad de gente que se concentró que no todos pudieron acceder al funeral en la plaza "
           "de san pedro",
           "carpanedo participó en dos carreras individuales del campeonato aparte de la competencia del miércoles",
           "hoy en día las personas escriben mensajes en las pantallas de sus computadoras no tienen la necesidad "
           "de siquiera aproximarse a un sacapuntas",
           "duvall que está casado y tiene dos hijos adultos no causó una buena impresión a miller que fue a "
           "quien le relató la historia"],
    "fr": ["giancarlo fisichella a perdu le contrôle de sa voiture et a terminé la course peu après le démarrage",
           "malgré le net avantage de del potro pendant le deuxième set il a fallu passer par un tie-break une "
           "fois que le score a atteint 6-6",
           "le même mois un autre avion de ligne a fait une sortie de piste à mashhad et a heurté un mur tuant "
           "ainsi dix-sept personnes",
           "par exemple des étudiants de l'école bennet en caroline du nord conçoivent chaque année un site web"],
    "en": ["the earliest book printed with movable types, the Gutenberg, or \"forty-two line Bible\" of about "
           "fourteen fifty-five,",
           "But the first Bible actually dated (which also was printed at Maintz by Peter Schoeffer in the year "
           "fourteen sixty-two)",
           "In fourteen sixty-five Sweynheim and Pannartz began printing in the monastery of Subiaco near Rome,",
           "but by printers in Strasburg, Basle, Paris, Lubeck, and other cities."],
}
RUSSIAN = ["Я не знаю, что ты хочешь от меня услышать.", "Мы должны уйти отсюда до рассвета.", "Да."]
UKRAINIAN = ["Я не знаю, що ти хочеш від мене почути.", "Де ти був усю ніч? Мама хвилювалася."]


def as_cues(sentence: str) -> list[list[str]]:
    """A sentence as a subtitler might cut it: whole, in halves, and in lines of at most 42
    characters, one or two to a cue."""
    words = sentence.split()
    lines: list[list[str]] = [[]]
    for w in words:
        if lines[-1] and len(" ".join([*lines[-1], w])) > 42:
            lines.append([])
        lines[-1].append(w)
    half = len(words) // 2
    return [words, words[:half], words[half:], *lines, *(a + b for a, b in pairwise(lines))]


def judged(words: list[str], subs: str) -> str | None:
    return foreign_script(words, subs, OPTS) or foreign_text(words, subs, OPTS)


def long_enough(words: list[str]) -> bool:
    return len(words) >= OPTS.min_language_words and len(" ".join(words)) >= OPTS.language_min_chars


@pytest.mark.parametrize("language", sorted(REAL))
def test_real_sentences_are_in_their_own_language(language):
    for sentence in REAL[language]:
        for cue in as_cues(sentence):
            assert judged(cue, language) is None, (language, cue)


@pytest.mark.parametrize("subs", sorted(REAL))
def test_real_sentences_of_another_language_are_flagged(subs):
    cues = [c for lang, texts in REAL.items() if lang != subs for t in texts for c in as_cues(t) if long_enough(c)]
    flagged = sum(judged(c, subs) is not None for c in cues)
    assert flagged >= 0.9 * len(cues), (flagged, len(cues))
    for sentence in RUSSIAN + UKRAINIAN:  # another script: however short
        assert judged(sentence.split(), subs) is not None, sentence


def test_names_do_not_make_a_cue_another_language():
    # issue #32: a Portuguese cue opening with an Italian name, a French one with a tie-break
    assert judged("Giancarlo Fisichella perdeu o controle do carro logo após a largada.".split(), "pt") is None
    assert judged("Giancarlo Fisichella perdeu o controle".split(), "pt") is None
    assert judged("Malgré l'avantage de Fisichella, il a fallu un tie-break.".split(), "fr") is None
    assert judged("Carpanedo participó en dos carreras individuales".split(), "es") is None


def test_langdetect_misreadings_are_set_aside_by_word_frequencies():
    assert judged("aproximarse a un sacapuntas".split(), "es") is None  # langdetect: Romanian
    assert judged("giancarlo fisichella a perdu le contrôle".split(), "fr") is None  # langdetect: Italian


def test_siblings_langdetect_confuses_are_the_same_language():
    assert same_language("es", "pt") and same_language("ru", "uk") and same_language("no", "da")
    assert not same_language("en", "de") and not same_language("ru", "pl")
    assert judged("Eu não sei o que você quer de mim.".split(), "es") is None
    assert judged(UKRAINIAN[0].split(), "ru") is None
    assert judged("Jag vet inte vad du vill ha av mig.".split(), "da") is None
    assert judged("Nevím, co ode mě chceš, opravdu.".split(), "sk") is None
    # but a sure reading of the family names it: Spanish at 0.43, Portuguese at 0.57
    assert judged("No sé lo que quieres de mí, de verdad.".split(), "en") is not None


def test_another_script_is_another_language():
    assert "Cyrillic" in judged("Да.".split(), "en")
    assert "Latin" in judged("I love you so much.".split(), "ru")
    assert "Greek" in judged("Καλημέρα σας, τι κάνετε;".split(), "en")
    assert "Hebrew" in judged("שלום, מה שלומך היום?".split(), "en")
    assert "Han" in judged("你好，你今天怎么样？".split(), "en")
    assert "Arabic" in judged("مرحبا كيف حالك اليوم".split(), "fr")
    assert judged("He said Привет to me at the door".split(), "en") is None  # a word, not the cue
    assert judged("Google Chrome".split(), "ru") is None  # names
    assert judged("Мы смотрели это на YouTube вчера".split(), "ru") is None
    assert judged("私はiPhoneが好きです".split(), "ja") is None


def test_cues_set_in_capitals_are_read_in_lower_case():
    assert judged("WHERE ARE YOU GOING, JOHN SMITH?".split(), "en") is None  # langdetect: Somali
    assert judged("ICH WEISS NICHT, WAS DU VON MIR WILLST.".split(), "en") is not None
    assert judged("Я НЕ ЗНАЮ, ЧТО ТЫ ХОЧЕШЬ.".split(), "en") is not None


def test_languages_without_a_word_list_are_judged_by_the_subtitles_words():
    assert judged("Dydw i ddim yn gwybod beth wyt ti eisiau gen i.".split(), "en") is not None  # Welsh
    assert judged("Nuk e di se çfarë do nga unë, miku im.".split(), "en") is not None  # Albanian


def evidence(text: str, ratio: float = 0.0, nearby: float = 0.0) -> CueEvidence:
    return CueEvidence(0, tuple(text.split()), ratio, None, (), None, nearby)


def inputs(text: str, audio: str, subs: str) -> SimpleNamespace:
    """What ``check_language`` reads of the audit's inputs."""
    return SimpleNamespace(cues=(SubtitleCue(1, 10.0, 12.0, (text,)),), options=OPTS, audio_language=audio,
                           subs_language=subs, same_language=audio == subs, heard_text=lambda a, b: "")


def test_a_cue_is_judged_against_the_subtitles_whatever_the_audio():
    # issue #32: Russian speech heard as Ukrainian, one cue left in Russian in English subtitles
    text = "Мы должны уйти отсюда до рассвета."
    verdict = check_language(inputs(text, "uk", "en"), evidence(text), (10.0, 12.0))
    assert verdict is not None and verdict.findings[0].kind == "wrong_language"
    assert wrong_language(inputs("Wo all der Schatz deiner lustigen Tage;", "es", "en"),
                          evidence("Wo all der Schatz deiner lustigen Tage;")) == "reads as de, the subtitles are en"


def test_a_quote_heard_as_such_is_not_wrong():
    text = "Je ne regrette rien, dit-elle encore une fois."
    assert wrong_language(inputs(text, "en", "en"), evidence(text, ratio=0.8)) is None
    assert wrong_language(inputs(text, "en", "en"), evidence(text, ratio=0.1)) == "reads as fr, the subtitles are en"


def test_an_untranslated_line_is_heard_in_the_speech():
    reason = wrong_language(inputs("y ahí te la envío.", "es", "en"), evidence("y ahí te la envío.", nearby=1.0))
    assert reason is not None and reason.startswith("left untranslated")
    assert wrong_language(inputs("Don Manuel Tamayo", "es", "en"), evidence("Don Manuel Tamayo", nearby=1.0)) is None
    assert wrong_language(inputs("and here I send it to you.", "es", "en"),
                          evidence("and here I send it to you.", nearby=0.1)) is None
