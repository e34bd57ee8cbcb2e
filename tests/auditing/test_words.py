"""A cue's text as spoken words (``aligner.auditing.words``), without audio."""

from __future__ import annotations

from aligner.auditing.words import (
    cue_words,
    frequency_lead,
    name_flags,
    names_or_numbers,
    sentence_starts,
    set_in_capitals,
    without_names,
    without_rare,
)
from aligner.subtitles.subtitle_cue import SubtitleCue


def test_names_and_numbers_are_in_every_language():
    assert names_or_numbers("Hans Jakob Christoffel von Grimmelshausen".split())
    assert names_or_numbers(["Valdemoro,", "20", "September", "1881."])
    assert not names_or_numbers("Ya está la obra escrita,".split())
    assert not names_or_numbers("y ahí te la envío.".split())


def test_cue_words_leave_labels_and_descriptions_out():
    cue = SubtitleCue(1, 0, 2, ("-[Anna] Are you coming? (laughs)", "-BEN: In a minute."))
    assert cue_words(cue) == ["Are", "you", "coming?", "In", "a", "minute."]


def test_sentence_starts_are_where_a_capital_says_nothing():
    assert sentence_starts("Yes. And you? «No!» he said, Anna".split()) == [True, True, False, True, True, False, False]


def test_names_by_spelling_are_capitalised_words_no_language_has():
    words = "Giancarlo Fisichella perdeu o controle em 2006.".split()
    assert name_flags(words, "pt", 3.0) == [True, True, False, False, False, False, True]
    # a capital at a sentence's start, or on an ordinary word (German nouns), is no name
    assert without_names("Die Kämpfer wollen sich als Widerstandskämpfer sehen.".split(), "de", 3.0) == \
        ["Die", "Kämpfer", "wollen", "sich", "als", "Widerstandskämpfer", "sehen"]
    assert without_names("Malgré l'avantage de Fisichella, il a fallu un tie-break.".split(), "fr", 3.0) == \
        ["Malgré", "l'avantage", "de", "il", "a", "fallu", "un", "tie-break"]
    # wordfreq's Russian list holds "google" and "chrome": a word in a script Russian is not
    # written in is no ordinary Russian word
    assert without_names("Google Chrome".split(), "ru", 3.0) == []
    assert without_names("Мы смотрели это на YouTube вчера".split(), "ru", 3.0) == \
        ["Мы", "смотрели", "это", "на", "вчера"]


def test_a_cue_set_in_capitals_has_no_names_by_spelling():
    assert set_in_capitals("WHERE ARE YOU GOING, JOHN?".split())
    assert not set_in_capitals("NASA says so".split())
    assert without_names("I KNOW YOU, JOHN SMITH.".split(), "en", 3.0) == ["I", "KNOW", "YOU", "JOHN", "SMITH"]


def test_lower_case_names_are_rare_in_both_languages():
    words = "giancarlo fisichella a perdu le contrôle".split()
    assert without_rare(words, "fr", "pt", 2.0) == ["giancarlo", "a", "perdu", "le", "contrôle"]
    # a word of the other language stays: it is the evidence
    assert without_rare("no sé lo que quieres".split(), "en", "es", 2.0) == ["no", "sé", "lo", "que", "quieres"]


def test_frequency_lead_says_which_language_the_words_are_commoner_in():
    assert frequency_lead("aproximarse a un sacapuntas".split(), "es", "ro") > 1.0
    assert frequency_lead("par un tie-break une fois que le score a".split(), "es", "fr") < -1.0
    assert frequency_lead(["hello"], "en", "so") is None  # no Somali list


def test_unusual_words_are_names_and_garbles_not_rare_forms():
    from aligner.auditing.words import loanword, unusual

    assert unusual(["Pannartz"], "en", 3.0) and unusual(["Nützung"], "de", 3.0)
    assert not unusual(["referirte", "paraguas"], "es", 3.0)  # rare in text, but in the lexicon
    assert not unusual(["1963", "siebzig"], "de", 3.0)
    # a garble that is a word of the lexicon, but rarer than once in 100 million words
    assert unusual(["próxima", "alción"], "es", 3.0, 2.0) and not unusual(["referirte"], "es", 3.0, 2.0)
    assert loanword("tie-break", "fr", 3.0) and not loanword("en", "fr", 3.0)
