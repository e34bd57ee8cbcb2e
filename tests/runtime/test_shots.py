"""Shot changes found in the fixture's picture by ffmpeg, and read from the lists subtitle desks
exchange: every form, and a bad line as one error naming the file and the line."""

from __future__ import annotations

import pytest

from aligner.cli import main
from aligner.errors import InputError
from aligner.runtime import media
from aligner.runtime.shots import detect, parse_line, read_shot_changes, shot_changes, without_flashes

from ..helpers import FIXTURES

CLIP = FIXTURES / "shots" / "interview_cuts.mp4"
TRUTH = FIXTURES / "shots" / "interview_cuts.shotchanges"
FPS = 25.0


def frames(times) -> list[int]:
    return [round(t * FPS) for t in times]


def test_every_hard_cut_is_found_on_its_frame_and_no_other(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    found = detect(CLIP, media.probe(CLIP))
    assert frames(found) == frames(read_shot_changes(TRUTH, FPS))  # 10 cuts, moving shots between
    assert list((tmp_path / "shots").iterdir())  # kept with the media: a re-cut does not run ffmpeg again
    assert detect(CLIP, media.probe(CLIP)) == found


def test_audio_only_media_has_no_shot_changes():
    audio = FIXTURES / "real" / "jfk.flac"
    assert detect(audio, media.probe(audio)) == ()
    assert shot_changes("off", CLIP, media.probe(CLIP), FPS) == ()


def test_a_flash_is_not_two_cuts():
    # a cut at 4 s, a two-frame flash at 10 s, a cut at 10.5 s
    assert without_flashes((4.0, 10.0, 10.08, 10.5), FPS, 3) == (4.0, 10.5)


@pytest.mark.parametrize("line, seconds", [
    ("12.48", 12.48), (".5", 0.5), ("312", 312 / FPS), ("00:00:12:12", 12.48), ("00:00:12.480", 12.48),
    ("00:00:12,480", 12.48), ("01:02:03:00", 3723.0), ("  00:12:05  ", 725.0),
])
def test_each_form_a_desk_exchanges(line, seconds):
    assert parse_line(line, FPS) == pytest.approx(seconds)


@pytest.mark.parametrize("line", ["twelve", "12.4.8", "00:00:12:25", "00:61:00", "-3", "00:00:12:12 cut"])
def test_what_is_not_a_time(line):
    assert parse_line(line, FPS) is None


def test_drop_frame_timecode_keeps_to_the_clock():
    # NTSC: an hour of frames at 30000/1001 fps is labelled 01:00:00;00 in drop-frame
    ntsc = 30000 / 1001
    assert parse_line("01:00:00;00", ntsc) == pytest.approx(3600.0, abs=0.01)
    assert parse_line("00:01:00;02", ntsc) == pytest.approx(1800 / ntsc)  # the first label after a drop


def test_subtitle_edit_files_hold_seconds_even_when_whole(tmp_path):
    path = tmp_path / "clip.shotchanges"
    path.write_text("2.68\n5\n# a comment\n\n1\n", encoding="utf-8")
    assert read_shot_changes(path, FPS) == (1.0, 2.68, 5.0)
    other = tmp_path / "cuts.txt"
    other.write_text("67\n00:00:10:10\n", encoding="utf-8")
    assert read_shot_changes(other, FPS) == pytest.approx((2.68, 10.4))


def test_a_bad_line_names_the_file_and_the_line(tmp_path):
    path = tmp_path / "cuts.txt"
    path.write_text("2.68\n10.40\nabout eleven\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cuts\.txt, line 3: 'about eleven' is not a time"):
        read_shot_changes(path, FPS)


def test_the_command_stops_on_a_bad_file_before_any_work(tmp_path, capsys):
    bad = tmp_path / "cuts.txt"
    bad.write_text("2.68\n1O.4\n", encoding="utf-8")
    code = main(["align", str(CLIP), str(FIXTURES / "interview.txt"), "-o", str(tmp_path / "out.srt"),
                 "--shot-changes", str(bad), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "line 2: '1O.4' is not a time" in err[0]
    assert not (tmp_path / "out.srt").exists()
    assert main(["align", str(CLIP), str(FIXTURES / "interview.txt"), "-o", str(tmp_path / "out.srt"),
                 "--shot-changes", str(tmp_path / "none.txt"), "-q"]) == 2
    assert "none.txt: no such file" in capsys.readouterr().err


EDL = """TITLE: INTERVIEW
FCM: NON-DROP FRAME

001  AX       V     C        00:00:00:00 00:00:02:17 01:00:00:00 01:00:02:17
* FROM CLIP NAME: wide.mov
002  AX       AA    C        00:00:00:00 00:00:25:10 01:00:00:00 01:00:25:10
003  BX       V     C        00:00:10:00 00:00:17:18 01:00:02:17 01:00:10:10
004  CX       V     D    025 00:00:03:00 00:00:05:00 01:00:10:10 01:00:12:10
"""


def test_an_edit_decision_list_gives_its_picture_events(tmp_path):
    # record-in times from the programme's start; the sound-only event and the start are not cuts
    path = tmp_path / "interview.edl"
    path.write_text(EDL, encoding="utf-8")
    assert read_shot_changes(path, FPS) == pytest.approx((2.68, 10.4))
    path.write_text(EDL.replace("01:00:02:17 01:00:10:10", "01:00:02:77 01:00:10:10"), encoding="utf-8")
    with pytest.raises(InputError, match=r"interview\.edl, line 7: '01:00:02:77' is not a timecode"):
        read_shot_changes(path, FPS)
