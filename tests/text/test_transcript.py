"""Transcript parsing: the seed newsroom transcript and the other common styles."""

from __future__ import annotations

import pytest

from aligner.text import transcript as T


@pytest.fixture(scope="module")
def news(fixtures):
    return T.load(fixtures / "news_transcript.txt")


def test_news_turns_and_speakers(news):
    speakers = [t.speaker for t in news.turns]
    assert speakers == [
        None, "Alexei Baranovsky", None, "Alexei Baranovsky", None, "Soldier", None,
        "Alexei Baranovsky", None,
    ]


def test_menu_line_is_not_speech(news):
    assert news.turns[0].text.startswith("They publish videos of their fighting")
    assert "Read the video transcript" not in news.text
    assert "AreaRead" not in news.text


def test_label_over_line_break_is_speaker_and_title_is_not_spoken(news):
    turn = news.turns[1]
    assert turn.speaker == "Alexei Baranovsky"
    assert turn.title == "spokesman for the Free Russia Legion"
    assert turn.text.startswith("After the invasion of the Grayvoron region")
    assert "spokesman" not in turn.text and "»" not in turn.text
    assert turn.text.endswith("the fighting continues as we speak.")


def test_line_break_inside_quote_is_joined(news):
    turn = news.turns[3]
    assert turn.text.startswith("The Freedom of Russia Legion and the Russian Volunteer Corps")
    assert turn.text.endswith("not a Ukrainian operation.")  # closing « dropped


def test_quoted_slogan_is_narration(news):
    narration = news.turns[4]
    assert narration.speaker is None
    assert '"For Russia! And For Freedom!" is written' in narration.text


def test_label_alone_on_its_line(news):
    soldier = news.turns[5]
    assert soldier.speaker == "Soldier"
    assert soldier.text.startswith("He decided to switch to the Ukrainian side")
    assert "Clip" not in soldier.text


def test_colon_attribution_with_quote(news):
    turn = news.turns[7]
    assert turn.speaker == "Alexei Baranovsky"
    assert turn.text.startswith("That's one goal, the other is")
    assert not turn.text.startswith('"')


def test_glued_sentences_are_split(news):
    words = [w for w in news.words]
    i = next(k for k, w in enumerate(words) if w.text.startswith("territory.") and words[k + 1].text == "Kiev")
    assert words[i].sentence_end
    assert words[i + 1].text == "Kiev"


def test_every_spoken_word_kept(news, fixtures):
    # Nothing of the speech is lost: the word count of the spoken paragraphs.
    assert len(news.words) == 535


@pytest.mark.parametrize(
    "text, expected",
    [
        ("JOHN SMITH: We met yesterday.", [("John Smith", "We met yesterday.")]),
        ("DR. MARIA LOPEZ (CHEMIST): About 20 percent.", [("Dr. Maria Lopez", "About 20 percent.")]),
        ("Q: How are you?\nA: Fine, thanks.", [("Q", "How are you?"), ("A", "Fine, thanks.")]),
        ("[Jane Doe] I think so.", [("Jane Doe", "I think so.")]),
        ("[00:01:15] HOST: Welcome back. (laughs) [crosstalk] Really.",
         [("Host", "Welcome back. Really.")]),
        ("Jane Doe, spokeswoman for the Agency»We will not comment.«",
         [("Jane Doe", "We will not comment.")]),
        ("**Bob (Reporter):** It is *very* cold. See [the map](https://example.org).",
         [("Bob", "It is very cold. See the map.")]),
        ("Note: this sentence is narration.", [(None, "Note: this sentence is narration.")]),
        ("City Desk | Interviews\n\nHOST: Hello.\n\n© 2026 City Desk. All rights reserved.",
         [("Host", "Hello.")]),
    ],
)
def test_common_styles(text, expected):
    got = [(t.speaker, t.text) for t in T.parse(text).turns]
    assert got == expected


def test_narrator_name_for_unattributed_text():
    turns = T.parse("The day began quietly.\n\nHOST: Good morning.", narrator="Narrator").turns
    assert [t.speaker for t in turns] == ["Narrator", "Host"]


def test_abbreviation_does_not_end_sentence():
    words = T.parse("Dr. Lopez met Mr. Smith in the U.S. Army today. Then she left.").words
    ends = [w.text for w in words if w.sentence_end]
    assert ends == ["today.", "left."]


def test_subtitle_file_used_as_text(tmp_path):
    srt = tmp_path / "old.srt"
    srt.write_text(
        "1\n00:00:01,000 --> 00:00:02,000\n[Anna] Hello there,\n\n"
        "2\n00:00:02,000 --> 00:00:03,000\nhow are you?\n\n"
        "3\n00:00:03,500 --> 00:00:04,000\n[Ben] Fine.\n",
        encoding="cp1252",
    )
    turns = T.load(srt).turns
    assert [(t.speaker, t.text) for t in turns] == [("Anna", "Hello there, how are you?"), ("Ben", "Fine.")]


def test_empty_transcript_is_an_input_error(tmp_path):
    from aligner.errors import InputError

    path = tmp_path / "t.txt"
    path.write_text("Read more\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no spoken text"):
        T.load(path)


@pytest.mark.parametrize("line, speaker, role", [
    ("HOST (MARIA LOPEZ): Welcome back to the programme.", "Maria Lopez", "Host"),
    ("MARIA LOPEZ (HOST): Welcome back to the programme.", "Maria Lopez", "Host"),
    ("ANDERSON COOPER, CNN HOST: Good evening, everyone.", "Anderson Cooper", "CNN Host"),
    ("REPORTER (voice-over): The river is lower than ever.", "Reporter", "voice-over"),
    ("HOST MARIA LOPEZ: Welcome back to the programme.", "Maria Lopez", "Host"),
    ("Dr. Peter Novak: Thank you for having me.", "Dr. Peter Novak", None),
])
def test_label_forms_give_the_person_and_keep_the_role(line, speaker, role):
    (turn,) = T.parse(line).turns
    assert (turn.speaker, turn.title) == (speaker, role)
    assert turn.text.split()[0] in ("Welcome", "Good", "The", "Thank")


def test_one_person_written_differently_has_one_name():
    text = ("HOST (MARIA LOPEZ): Welcome back. Our guest runs the lab.\n\nDR. PETER NOVAK: Thank you.\n\n"
            "LOPEZ: How bad is it?\n\nDr. Novak: Quite bad.\n\nNOVAK: Really bad.")
    assert [t.speaker for t in T.parse(text).turns] == ["Maria Lopez", "Dr. Peter Novak", "Maria Lopez",
                                                      "Dr. Peter Novak", "Dr. Peter Novak"]
    # two people sharing a surname: the surname alone could be either, and stays as written
    two = T.parse("PETER NOVAK: Hello.\n\nANNA NOVAK: Hello.\n\nNOVAK: Goodbye.")
    assert [t.speaker for t in two.turns] == ["Peter Novak", "Anna Novak", "Novak"]


# --- a turn a line, as verbatim transcripts and datasets write them ----------------------------------

def test_every_label_at_a_lines_start_is_a_speaker_whatever_follows():
    text = ("JFK: And so my fellow Americans, ask not.\n"
            "MICHAEL: this is the acoustic corpus i'm talking pretty fast here\n"
            "AUSTEN_READER: and mister john dashwood had then leisure\n"
            "LS_2412: IF THE READER WILL EXCUSE ME\n"
            "SPEAKER_1: um well yes\n")
    got = [(t.speaker, t.text.split()[0]) for t in T.parse(text).turns]
    assert got == [("JFK", "And"), ("Michael", "this"), ("Austen Reader", "and"), ("LS 2412", "IF"),
                   ("Speaker 1", "um")]  # acronyms as written, no label left in the text


def test_a_name_before_lowercase_text_is_a_speaker_in_a_script_and_prose_elsewhere():
    script = "Jane Doe: Good evening.\nMichael: this is me talking\nReader 2412: and so it goes\n"
    assert [t.speaker for t in T.parse(script).turns] == ["Jane Doe", "Michael", "Reader 2412"]
    prose = "Note: this is a page about the war. It was long.\n"
    assert [t.speaker for t in T.parse(prose).turns] == [None]
    assert T.parse("NOTE: this is a page about the war.").turns[0].speaker is None


def test_a_passage_moved_keeps_its_speakers_and_splits_its_turn():
    t = T.parse("A: one two three. four five.\n\nB: six seven eight.\n\nA: nine ten.")
    moved = T.moved(t, 5, 8, 3)  # B's turn is said before "four"
    assert [(x.speaker, x.text) for x in moved.turns] == [
        ("A", "one two three."), ("B", "six seven eight."), ("A", "four five."), ("A", "nine ten.")]
    assert T.moved_order(10, 5, 8, 3) == [0, 1, 2, 5, 6, 7, 3, 4, 8, 9]
    assert T.moved_order(10, 0, 3, 10) == [3, 4, 5, 6, 7, 8, 9, 0, 1, 2]
