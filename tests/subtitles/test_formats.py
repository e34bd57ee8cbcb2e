"""Text in any common encoding, and outputs that other tools read back."""

from __future__ import annotations

import pytest

from aligner.errors import OutputError
from aligner.runtime.textio import atomic_path, check_outputs, decode_bytes, remove_leftovers, write_text_atomic
from aligner.subtitles.formats import format_for

TEXT = "Élodie Müller: «Ça va», she said — naïve café."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_transcript_encodings(encoding):
    assert decode_bytes(TEXT.encode(encoding)) == TEXT


def test_unknown_extension():
    with pytest.raises(OutputError, match="unknown output format"):
        format_for("x.docx")


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "a.srt"
    path.write_text("old", encoding="utf-8")
    write_text_atomic(path, "new text\n")
    assert path.read_text(encoding="utf-8") == "new text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.srt"]


def test_a_killed_writes_leftover_is_removed_and_nothing_else(tmp_path):
    path = tmp_path / "a.srt"
    path.write_text("whole", encoding="utf-8")
    ctx = atomic_path(path)
    ctx.__enter__().write_text("half", encoding="utf-8")  # killed here: never exits
    (tmp_path / ".b.srt.x1.part").write_text("another output's", encoding="utf-8")
    (tmp_path / ".a.srt.mine").write_text("the user's", encoding="utf-8")
    assert remove_leftovers(path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".a.srt.mine", ".b.srt.x1.part", "a.srt"]
    assert path.read_text(encoding="utf-8") == "whole"


def test_output_equal_to_input_is_refused(tmp_path):
    src = tmp_path / "clip.srt"
    src.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="refusing"):
        check_outputs([tmp_path / "sub" / ".." / "clip.srt"], [src])


@pytest.mark.model
def test_srt_reads_back(interview_alignment):
    import pysrt

    subs = pysrt.from_string(interview_alignment.to_srt())
    assert len(subs) == len(interview_alignment.cues)
    for item, cue in zip(subs, interview_alignment.cues):
        assert item.start.ordinal == round(cue.start * 1000)
        assert item.end.ordinal == round(cue.end * 1000)


def test_a_transcript_given_as_subtitles_is_one_clear_error(tmp_path):
    """pysrt's own error log crashes on Python 3 (bytes to stderr): a file of prose passed as
    subtitles must be refused in words, not with a TypeError."""
    from aligner.errors import InputError
    from aligner.subtitles.published import read_subtitles

    prose = tmp_path / "notes.txt"
    prose.write_text("Jane Doe, spokeswoman: we said nothing.\n\nAnd then more text.\n", encoding="utf-8")
    with pytest.raises(InputError, match="no subtitle cues found"):
        read_subtitles(prose)
