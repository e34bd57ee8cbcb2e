"""Where subtitles may break, by the parse: units the guides keep together, on text alone.

The sentences are the news clip's and the issue's interview's; each names a pair of words a
subtitle editor would not split (marked by hand, not by the parser that is tested)."""

from __future__ import annotations

import itertools

import pytest

from aligner.subtitles.cues import TimedWord, build_cues
from aligner.subtitles.profiles import get_profile
from aligner.text.syntax import bonds, bonds_from_arcs, parser_for

needs_parser = pytest.mark.skipif(parser_for("en") is None, reason="spaCy's English pipeline is not installed")


def test_arcs_bind_the_gaps_they_span():
    # "of the Belgorod region": of -pobj- region, the -det- region, Belgorod -compound- region
    arcs = [(3, 0, "pobj", "ADP"), (1, 3, "det", "NOUN"), (2, 3, "compound", "NOUN"), (0, 3, "prep", "NOUN")]
    assert bonds_from_arcs(5, arcs) == [0.8, 1.0, 1.0, 0.0, 0.0]
    # an arc longer than a unit binds nothing; an arc inside one word neither
    assert bonds_from_arcs(9, [(0, 8, "det", "NOUN"), (4, 4, "case", "NOUN")]) == [0.0] * 9


def test_multi_word_prepositions_hold_together():
    from aligner.text.syntax import fixed_phrases

    assert fixed_phrases("The destination, according to the spokesman".split(), "en") == [0, 0, 1.0, 0, 0, 0]
    assert fixed_phrases("It was due. To be sure".split(), "en") == [0.0] * 6  # not across a full stop


def test_no_parser_nor_rules_for_a_language_without_them():
    assert bonds([["Minä", "haluan", "vapaan", "maan."]], "fi") is None


def _held(text: str, language: str) -> set[tuple[str, str]]:
    """The pairs of words the language's parse or rules hold together (bond 1)."""
    words = text.split()
    (bond,) = bonds([words], language)
    return {(words[k], words[k + 1]) for k, b in enumerate(bond) if b >= 0.99}


# Sentences of FLEURS (Google, CC BY 4.0), its test split, as its prompts are written.
def test_german_rules_hold_articles_prepositions_and_clause_final_particles():
    held = _held("er griff auch alles an was ins wasser kam selbst ein großer dinosaurier", "de")
    assert {("alles", "an"), ("ins", "wasser"), ("ein", "großer")} <= held
    assert ("an", "was") not in held  # the particle closes its clause: a break may follow it
    held = _held("nachdem der damm 1963 erbaut worden war kamen die überflutungen zum stillstand", "de")
    assert {("der", "damm"), ("erbaut", "worden"), ("worden", "war"), ("zum", "stillstand")} <= held
    # capitalised German: the adjective before its noun
    words = "Sie haben oft eine schlampige Grammatik.".split()
    assert bonds([words], "de")[0][4] == 1.0


def test_spanish_rules_hold_function_words_and_modals():
    held = _held("dado que ello puede afectar sus planes de viaje", "es")
    assert {("dado", "que"), ("puede", "afectar"), ("sus", "planes"), ("de", "viaje")} <= held
    assert ("viaje", "de") not in held


def test_no_unit_runs_across_a_comma():
    # the parse reads "fighters, not a Ukrainian operation" as one phrase; the comma parts them
    held = _held("Then we are simply talking about Russian fighters, not a Ukrainian operation.", "en")
    assert ("Russian", "fighters,") in held and ("fighters,", "not") not in held
    assert ("hoy", "en") not in _held("lo dijo hoy, en la radio", "es")


def test_german_genitive_attributes_and_word_pairs_hold():
    words = "wenn sie den film das vermächtnis der tempelritter gesehen haben denken sie".split()
    (bond,) = bonds([words], "de")
    assert bond[5] >= 0.6 and bond[6] == 1.0  # vermächtnis ~ der ~ tempelritter
    assert bond[3] == 0.0 and bond[8] == 1.0  # film | das; gesehen ~ haben
    held = _held("zwar haben schüler am anfang ihrer blogerfahrung oft eine schlampige grammatik und rechtschreibung",
                 "de")
    assert ("grammatik", "und") in held
    assert ("blogerfahrung", "oft") not in held
    # a pair after a longer unit holds loosely: a line may break before its conjunction
    (bond,) = bonds([["los", "fenómenos", "climáticos", "regionales", "y", "estacionales"]], "es")
    assert bond[2] == 1.0 and 0 < bond[3] < 1.0


def test_spanish_adjectives_subjects_and_noun_complements_hold():
    held = _held("entre los fenómenos climáticos regionales y estacionales encontramos las tormentas de nieve", "es")
    assert {("fenómenos", "climáticos"), ("climáticos", "regionales")} <= held
    assert ("encontramos", "las") not in held
    held = _held("dado que ello puede afectar sus planes de viaje", "es")
    assert ("ello", "puede") in held
    assert ("para", "ello") in _held("lo hizo para ello mismo", "es")  # a preposition's object, not a subject
    assert ("ello", "mismo") not in _held("lo hizo para ello mismo", "es")


def test_french_rules_hold_negations_place_names_and_noun_complements():
    from aligner.text.syntax import rule_bonds

    words = ("on ne devrait cependant pas leur demander de dépasser leur stade de développement "
             "en caroline du nord").split()
    held = {(words[k], words[k + 1]) for k, b in enumerate(rule_bonds(words, "fr")) if b >= 0.99}
    assert {("cependant", "pas"), ("stade", "de"), ("caroline", "du"), ("du", "nord")} <= held
    assert ("pas", "leur") not in held
    assert ("développement", "en") not in held


@pytest.mark.skipif(parser_for("fr") is None, reason="spaCy's French pipeline is not installed")
def test_french_parse_and_rules_hold_units():
    held = _held("il semblerait que cela ait été causé par un incendie malveillant", "fr")
    assert {("un", "incendie"), ("incendie", "malveillant"), ("par", "un"), ("ait", "été")} <= held
    held = _held("selon laquelle les intérêts de nos athlètes pourraient être mieux servis", "fr")
    assert {("de", "nos"), ("nos", "athlètes"), ("les", "intérêts")} <= held
    assert ("intérêts", "de") not in held  # before a prepositional phrase a line may break


UNITS = [  # (text, the pair that must stay on one line)
    ("This time, much larger liberation troops have entered Russian territory, and the fighting continues.",
     ("liberation", "troops")),
    ("But when Russian armed fighters are in the homeland, the chain of command no longer applies.",
     ("armed", "fighters")),
    ("Among the members of the volunteer corps are avowed neo-Nazis, the report says.", ("volunteer", "corps")),
    ("Israel reuses almost 90 percent of its waste water for the fields.", ("90", "percent")),
    ("The city council has only agreed on short term measures for the summer.", ("short", "term")),
    ("Their sign is the white-blue-white flag, as it has become popular among Russian opponents of the war.",
     ("Russian", "opponents")),
    ("The tactical goal of the legion is to withdraw Russian troops from other parts of the front.",
     ("Russian", "troops")),
    ("Welcome back to the programme, our guest tonight is Dr. Peter Novak from the university.",
     ("Peter", "Novak")),
]


@needs_parser
@pytest.mark.parametrize("text, pair", UNITS)
@pytest.mark.parametrize("profile", ["netflix", "bbc"])
def test_subtitles_keep_units_together(text, pair, profile):
    words = text.split()
    (bond,) = bonds([words], "en")
    k = next(i for i in range(len(words) - 1) if (words[i], words[i + 1].strip(".,")) == pair)
    assert bond[k] >= 0.8, f"{pair} not a unit: {list(zip(words, bond))}"
    cues = build_cues(_timed(text, bond), get_profile(profile))
    assert pair not in _breaks(cues), [c.lines for c in cues]


def _breaks(cues) -> set[tuple[str, str]]:
    """Every pair of words with a line or cue break between them."""
    lines = [line.split() for c in cues for line in c.lines]
    return {(a[-1], b[0].strip(".,")) for a, b in itertools.pairwise(lines)}


def _timed(text: str, bond: list[float]) -> list[TimedWord]:
    words = text.split()
    return [TimedWord(i, w, 0.36 * i, 0.36 * i + 0.3, True, 0.9, 0, "Alexei Baranovsky",
                      sentence_end=w.endswith("."), clause_end=w.endswith(","), bond=b)
            for i, (w, b) in enumerate(zip(words, bond))]


@needs_parser
def test_a_cue_does_not_end_inside_a_noun_phrase():
    text = ("After the invasion of the Grayvoron region of the Belgorod region, we said that this was only the "
            "beginning. This time, much larger liberation troops have entered Russian territory.")
    (bond,) = bonds([text.split()], "en")
    cues = build_cues(_timed(text, bond), get_profile("netflix"))
    assert not {("Belgorod", "region"), ("liberation", "troops"), ("the", "Grayvoron")} & _breaks(cues), \
        [c.lines for c in cues]
