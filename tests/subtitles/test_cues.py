"""Cue building from timed words, without audio: the profile's hard limits always hold."""

from __future__ import annotations

import random

import pytest

from aligner.subtitles.cues import TimedWord, break_lines, build_cues
from aligner.subtitles.profiles import get_profile
from aligner.text.transcript import parse

from ..helpers import check_hard_limits


def timed(text: str, speakers: list[str | None] | None = None, wps: float = 2.8,
          pauses: dict[int, float] | None = None, start: float = 1.0) -> list[TimedWord]:
    """Words of a parsed transcript laid out at a steady speaking rate."""
    transcript = parse(text)
    out, t = [], start
    for i, w in enumerate(transcript.words):
        t += (pauses or {}).get(i, 0.0)
        d = max(0.12, len(w.text) / (wps * 5.5))
        speaker = transcript.turns[w.turn].speaker
        out.append(TimedWord(i, w.text, t, t + d, True, 0.9, w.turn, speaker, w.sentence_end, w.clause_end))
        t += d + 0.03
    return out


LONG = (
    "The Ukrainian government denies any direct involvement in the attacks on Russian territory. "
    "Kiev has so far remained silent on the question of who equipped the Russian volunteer units "
    "with weapons. The spokesman for the Legion wants to clarify this, and he says that the chain "
    "of command no longer applies once Russian armed fighters are in the homeland."
)


@pytest.mark.parametrize("profile_name", ["netflix", "bbc"])
def test_hard_limits_hold(profile_name):
    profile = get_profile(profile_name)
    words = timed(LONG)
    cues = build_cues(words, profile, fps=25)
    check_hard_limits(cues, profile)
    assert [w.text for c in cues for w in c.words] == [w.text for w in words]


def test_hard_limits_hold_on_random_speech():
    rng = random.Random(4)
    vocab = LONG.replace(".", "").split()
    profile = get_profile("netflix", max_chars=32, max_duration=5.0)
    for _ in range(30):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(5, 80))) + "."
        words = timed(text, wps=rng.uniform(1.5, 5.0),
                      pauses={rng.randrange(60): rng.uniform(0, 3) for _ in range(3)})
        cues = build_cues(words, profile, fps=29.97)
        check_hard_limits(cues, profile, fps=29.97)


def test_cues_end_at_sentences_when_they_can():
    cues = build_cues(timed(LONG), get_profile(), fps=25)
    ends = [c.words[-1].text for c in cues]
    assert "territory." in ends and "weapons." in ends


def test_no_cue_ends_on_an_article_or_preposition():
    cues = build_cues(timed(LONG), get_profile(), fps=25)
    for c in cues:
        assert c.words[-1].text.lower().strip(",.") not in {"the", "of", "on", "in", "a", "to", "with"}


def test_never_two_speakers_in_one_cue_and_labels_on_first_cue():
    text = "ANNA: Are you coming?\n\nBEN: In a minute.\n\nANNA: Good. Then we leave at six sharp."
    cues = build_cues(timed(text), get_profile(), fps=25)
    for c in cues:
        assert len({w.speaker for w in c.words}) == 1
    assert [c.label for c in cues] == ["[Anna]", "[Ben]", "[Anna]"]


def test_dialogue_style_puts_two_speakers_in_one_cue():
    text = "ANNA: Are you coming?\n\nBEN: In a minute."
    cues = build_cues(timed(text), get_profile(), fps=25, dialogue=True)
    assert len(cues) == 1
    assert cues[0].lines == ("-Are you coming?", "-In a minute.")


def test_long_pause_splits_a_cue():
    words = timed("I waited there. And then the door opened.", pauses={3: 3.0})
    cues = build_cues(words, get_profile(), fps=25)
    assert [c.text for c in cues] == ["I waited there.", "And then the door opened."]


def test_timing_follows_speech():
    profile = get_profile()
    words = timed("Good evening. Our guest tonight runs the water laboratory.")
    cues = build_cues(words, profile, fps=25)
    first = cues[0]
    assert 0 <= words[0].start - first.start < 1 / 25 + 1e-9  # in on the first frame of speech
    last_end = cues[-1].words[-1].end
    assert 0 <= cues[-1].end - last_end <= 12 / 25 + 1 / 25  # out at most 12 frames after
    assert all(c.end - c.start >= profile.min_duration - 1e-6 for c in cues)


@pytest.mark.parametrize(
    "words, expected",
    [
        ("The members professionalize their appearance on the Internet",
         ("The members professionalize", "their appearance on the Internet")),
        ("After the invasion, we said that this was only the beginning",
         ("After the invasion,", "we said that this was only the beginning")),
    ],
)
def test_line_breaks(words, expected):
    lines, _ = break_lines(words.split(), 42)
    assert lines == expected


def test_line_break_never_after_article():
    lines, _ = break_lines("He walked slowly towards the old stone bridge over the river".split(), 42)
    assert lines[0].split()[-1] not in {"the", "towards", "over"}


def test_short_text_is_one_line():
    assert break_lines("Good evening.".split(), 42)[0] == ("Good evening.",)


def test_words_that_hold_a_space_are_counted_as_words():
    # A dash kept with its word ("a –") holds a space: counting a line's words by its spaces
    # ran past the cue's bonds (an IndexError on a page of dashed list items).
    words = [TimedWord(i, f"{c} –", 1.0 + i * 0.4, 1.3 + i * 0.4, True, 0.9, 0, None, False, False)
             for i, c in enumerate("abcdefghij")]
    words.append(TimedWord(10, "incomprehensibilities.", 5.0, 5.8, True, 0.9, 0, None, True, True))
    cues = build_cues(words, get_profile("netflix"))
    assert " ".join(line for c in cues for line in c.lines) == " ".join(w.text for w in words)


# Read speech typed as its prompts were written (FLEURS, Google, CC BY 4.0: two sentences of its
# French test split), without sentence punctuation, one paragraph; the reader pauses 0.5 s
# between the sentences and under 0.2 s inside them.
FLEURS_FR = ("l'accident a eu lieu en terrain montagneux et il semblerait que cela ait été causé par un "
             "incendie malveillant nous sommes d'accord avec la déclaration de l'usoc selon laquelle les "
             "intérêts de nos athlètes pourraient être mieux servis")


def test_a_pause_ends_a_sentence_in_text_without_punctuation():
    split = FLEURS_FR.split().index("malveillant")
    words = timed(FLEURS_FR, wps=2.5, pauses={split + 1: 0.5, 5: 0.15, 12: 0.2})
    cues = build_cues(words, get_profile(), fps=25)
    ends = [c.words[-1].text for c in cues]
    assert "malveillant" in ends, [c.lines for c in cues]
    # the same pause in punctuated text is not a sentence end: the text says where they are
    punctuated = timed(LONG, pauses={8: 0.35})
    assert build_cues(punctuated, get_profile(), fps=25) == build_cues(timed(LONG, pauses={8: 0.35}),
                                                                       get_profile(), fps=25)
    from aligner.subtitles.cues import COSTS, _pause_ends
    assert not any(a.sentence_end != b.sentence_end for a, b in zip(_pause_ends(punctuated, COSTS), punctuated))


def test_a_long_pause_ends_a_sentence_even_inside_a_parsed_unit():
    from dataclasses import replace

    from aligner.subtitles.cues import COSTS, _pause_ends

    # "dix-sept personnes giancarlo fisichella", parsed as one noun phrase across the sentences
    words = timed("tuant ainsi dix-sept personnes giancarlo fisichella a perdu le contrôle", pauses={4: 1.9})
    words = [replace(w, bond=1.0) if w.text == "personnes" else w for w in words]
    read = _pause_ends(words, COSTS)
    assert read[3].sentence_end and read[3].bond == 0.0
    # a hesitation inside the unit is not a sentence end
    short = timed("tuant ainsi dix-sept personnes giancarlo fisichella a perdu le contrôle", pauses={4: 0.5})
    hesitant = [replace(w, bond=1.0) if w.text == "personnes" else w for w in short]
    assert not _pause_ends(hesitant, COSTS)[3].sentence_end


@pytest.mark.parametrize("text", [
    "Then we are simply talking about Russian fighters, not a Ukrainian operation.",
    "The legion and the volunteer corps are part of the Ukrainian foreign legion and the army.",
    "il a ajouté qu'on ne devrait cependant pas leur demander d'assumer des obligations et des risques",
    "die angemessene Nutzung von Blogs kann Schülerinnen und Schüler befähigen, kritischer zu werden.",
])
def test_no_line_or_cue_ends_on_a_conjunction_or_not(text):
    for profile in (get_profile(), get_profile("bbc"), get_profile(max_chars=30)):
        cues = build_cues(timed(text, wps=3.5), profile, fps=25)
        ends = [line.split()[-1] for c in cues for line in c.lines]
        assert not {"not", "and", "et", "que", "ne", "und"} & set(ends), [c.lines for c in cues]


@pytest.mark.parametrize("text, speaker, bonds", [
    ("Welcome back to Climate Desk.", "Maria Lopez", [0, 0, 0, 1, 0]),
    ("There are short term measures,", "Dr. Peter Novak", [0, 0, 1, 1, 0]),  # as the parse binds them
])
def test_a_label_takes_a_line_of_its_own_rather_than_crowd_the_text(text, speaker, bonds):
    words = [TimedWord(i, w, 1 + 0.4 * i, 1.3 + 0.4 * i, True, 0.9, 0, speaker, w.endswith("."), w.endswith(","),
                       bond=b) for i, (w, b) in enumerate(zip(text.split(), bonds))]
    first = build_cues(words, get_profile(), fps=25)[0]
    assert first.label_alone, first.lines
    assert len(first.lines) == 1 and first.lines[0].split()[0] == text.split()[0]


def test_a_label_stays_inline_where_the_line_has_room():
    words = timed("ANNA: Are you coming? We leave at six sharp, with or without the others.")
    first = build_cues(words, get_profile(), fps=25)[0]
    assert not first.label_alone and first.label == "[Anna]"
