"""Speaker labels read from published cues, the pipeline's pure speaker rules, and the voices
options without the extra (always run: no model)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aligner.pipeline import moved_changes, voice_names, with_speakers
from aligner.subtitles.cues import TimedWord
from aligner.subtitles.labels import cue_label, cue_speakers, label_of
from aligner.subtitles.subtitle_cue import SubtitleCue
from aligner.voices.types import VoiceWarning

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "voices"


def test_labels_at_a_cue_start() -> None:
    assert label_of("[Anna] Where were you?") == ("Anna", "Where were you?")
    assert label_of("JOHN: I was out.") == ("JOHN", "I was out.")
    assert label_of("Dr. Jane Smith: thank you") == ("Dr. Jane Smith", "thank you")
    assert label_of("[MUSIC] la la la") is None  # a sound, not a speaker
    assert label_of("(laughs) yes") is None
    assert label_of("he said: no") is None
    assert label_of("Well, I think so.") is None
    assert cue_label(["[Anna]", "Where were you?"]) == "Anna"  # the label on a line of its own
    assert cue_label(["[Anna]"]) is None  # nothing said: not a label
    assert cue_label(["- [Anna] Hi.", "- [Bob] Hello."]) is None  # dialogue: two speakers
    assert cue_label(["- JOHN: Hi there."]) == "JOHN"


def test_a_turn_label_is_carried_onto_its_cues() -> None:
    def cue(k: int, *lines: str, speaker: str | None = None) -> SubtitleCue:
        return SubtitleCue(k, k, k + 1, lines, speaker)

    cues = [cue(1, "[Anna] Where were you?"), cue(2, "All night, I mean."), cue(3, "BOB: Out."),
            cue(4, "- Really?", "- Yes."), cue(5, "Fine then."), cue(6, "Hi", speaker="Carl")]
    assert cue_speakers(cues) == ["Anna", "Anna", "BOB", None, None, "Carl"]


def test_voices_name_only_what_the_transcript_leaves_unlabelled() -> None:
    given = [None, None, "Ann", "Ann", None, None, None]
    heard = ["Speaker 1", "Speaker 1", "Speaker 2", "Speaker 2", "Speaker 2", "Speaker 3", "Speaker 1"]
    # the voice under Ann's label is Ann; the others are numbered in order of first voice
    assert voice_names(given, heard) == ("Speaker 1", "Speaker 1", "Ann", "Ann", "Ann", "Speaker 2", "Speaker 1")
    assert voice_names([None, "Speaker 1"], ["Speaker 1", "Speaker 2"]) == ("Speaker 2", "Speaker 1")


def _word(k: int, speaker: str | None, turn: int) -> TimedWord:
    return TimedWord(k, f"w{k}", k, k + 0.5, True, 1.0, turn, speaker)


def test_new_turns_where_the_voice_changes_and_a_moved_change() -> None:
    words = [_word(k, None, 0) for k in range(4)]
    out = with_speakers(words, ["Speaker 1", "Speaker 1", "Speaker 2", "Speaker 2"], [0, 0, 0, 0])
    assert [(w.speaker, w.turn) for w in out] == [("Speaker 1", 0), ("Speaker 1", 0), ("Speaker 2", 1),
                                                  ("Speaker 2", 1)]
    given, turns = ["A", "A", "A", "B", "B"], [0, 0, 0, 1, 1]
    early = VoiceWarning("boundary", 1, 2, 1.0, 2.5, "A", "B", 0.5, 0.1, at=3.0, move_to=1.0)
    names, owners = moved_changes(given, turns, [early])
    assert names == ("A", "B", "B", "B", "B") and owners == (0, 1, 1, 1, 1)
    late = VoiceWarning("boundary", 3, 3, 3.0, 3.5, "A", "B", 0.5, 0.1, at=3.0, move_to=4.0)
    names, owners = moved_changes(given, turns, [late])
    assert names == ("A", "A", "A", "A", "B") and owners == (0, 0, 0, 0, 1)
    moved = with_speakers([_word(k, given[k], turns[k]) for k in range(5)], names, owners)
    assert [w.turn for w in moved] == [0, 0, 0, 0, 1]  # the moved word joins its new turn: one label


def test_without_the_extra_speakers_voices_is_one_line(tmp_path) -> None:
    transcript = tmp_path / "t.txt"
    transcript.write_text("Mister John Dashwood had then leisure to consider how much there might be.\n")
    hide = "import sys; sys.modules['torch'] = None; from aligner.cli import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", hide, "align", str(FIXTURES / "three_voices.flac"), str(transcript),
                           "-o", str(tmp_path / "x.srt"), "--speakers", "voices"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and 'pip install "aligner[voices]"' in lines[0], proc.stderr
    assert not (tmp_path / "x.srt").exists()
