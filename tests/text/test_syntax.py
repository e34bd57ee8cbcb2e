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


def test_no_parser_for_a_language_without_a_model():
    assert bonds([["Ich", "will", "ein", "freies", "Land."]], "de") is None


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
