"""Hostile but ordinary input: odd subtitles, pipes and devices, huge files, damaged models,
colliding batch names, signals. Every case ends in a result or one clear line (exit 0, 1 or
2), never a traceback, and never touches the user's files."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pysrt
import pytest

from aligner.errors import InputError
from aligner.runtime.textio import read_text
from aligner.subtitles.published import parse_subtitles, write_srt

from .helpers import FIXTURES

REAL = FIXTURES / "real"
JFK_VTT = """WEBVTT

00:00:00.280 --> 00:00:02.720
And so my fellow Americans,

00:00:03.360 --> 00:00:08.080 align:start
ask not what your country can do for you,

00:00:08.160 --> 00:00:10.960
ask what <00:00:09.000>you can do for your country.
"""


def run(*args, env_extra=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, cwd=FIXTURES.parent, **kw)


def one_line_error(proc, fragment: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


# ---------------------------------------------------------------- subtitles read alike


def test_webvtt_times_keep_their_milliseconds():
    vtt = parse_subtitles(JFK_VTT, "vtt")
    srt = parse_subtitles((REAL / "jfk.srt").read_text(encoding="utf-8"), "srt")
    assert [(c.start, c.end, c.text) for c in vtt] == [(c.start, c.end, c.text) for c in srt]
    assert vtt[0].start == 0.28 and vtt[0].end == 2.72


def test_inline_timestamps_and_markup_are_not_words():
    (cue,) = parse_subtitles("1\n00:00:01,000 --> 00:00:02,500\n<i>Hi</i> {\\an8}there <00:00:02.000>you\n", "srt")
    assert cue.text == "Hi there you"
    assert cue.raw == "<i>Hi</i> {\\an8}there <00:00:02.000>you"  # as written, for --fix


def test_ass_and_microdvd_are_read():
    ass = "[Script Info]\nScriptType: v4.00+\n\n[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, " \
          "MarginR, MarginV, Effect, Text\nDialogue: 0,0:00:00.28,0:00:02.72,Default,,0,0,0,,{\\i1}And so{\\i0} " \
          "my fellow Americans,\n"
    (cue,) = parse_subtitles(ass, "ass")
    assert (cue.start, cue.end, cue.text) == (0.28, 2.72, "And so my fellow Americans,")
    assert "<i>And so</i>" in cue.raw


def test_negative_times_are_refused():
    with pytest.raises(InputError, match="negative"):
        parse_subtitles("1\n-00:00:01,000 --> 00:00:02,000\nhello\n", "srt")


def test_utf16_without_bom_is_read(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes("Grüße aus Köln. Ein Satz.".encode("utf-16-le"))
    assert read_text(path) == "Grüße aus Köln. Ein Satz."
    path.write_bytes("Grüße aus Köln. Ein Satz.".encode("utf-16-be"))
    assert read_text(path) == "Grüße aus Köln. Ein Satz."


def test_fix_keeps_markup_and_never_overlaps(tmp_path):
    from aligner.auditing.findings import AuditReport
    from aligner.auditing.sync import Sync
    from aligner.subtitles.published import read_subtitles

    src = tmp_path / "in.srt"
    src.write_text("1\n00:00:01,000 --> 00:00:03,000\n<i>One</i>\n\n2\n00:00:03,100 --> 00:00:05,000\n"
                   "{\\an8}Two\n\n3\n99:59:59,000 --> 99:59:59,999\nLate\n", encoding="utf-8")
    cues = read_subtitles(src)
    # cue 1 moved 1.5 s later, onto cue 2
    report = AuditReport("m", str(src), "en", "en", 10.0, tuple(cues), Sync(), (), (),
                         ((2.5, 4.5), (3.1, 5.0), (cues[2].start, cues[2].end)))
    out = tmp_path / "fixed.srt"
    write_srt(out, report.fixed_cues())
    items = pysrt.open(str(out), encoding="utf-8")
    assert [i.text for i in items] == ["<i>One</i>", "{\\an8}Two", "Late"]
    for a, b in itertools.pairwise(items):
        assert a.end.ordinal <= b.start.ordinal - 80  # two frames apart, no overlap
    assert items[2].end.ordinal - items[2].start.ordinal == 999  # not made zero-length


# ---------------------------------------------------------------- what the command refuses


@pytest.mark.parametrize("what", ["fifo", "device"])
def test_pipes_and_devices_are_refused_at_once(tmp_path, what):
    if what == "fifo":
        path = tmp_path / "subs.srt"
        os.mkfifo(path)  # no writer: reading it would hang for ever
    else:
        path = Path("/dev/zero")  # reading it would never end
    t0 = time.monotonic()
    proc = run("audit", REAL / "jfk.flac", path, timeout=60)
    one_line_error(proc, "not a regular file")
    assert time.monotonic() - t0 < 30


def test_oversized_transcript_is_refused_with_the_limit(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(25 * 1024 * 1024)
    one_line_error(run("align", REAL / "jfk.flac", big, "-o", tmp_path / "o.srt"), "limited to 20 MiB")
    assert not (tmp_path / "o.srt").exists()


def test_unwritable_output_folder_is_found_before_any_work():
    t0 = time.monotonic()
    proc = run("align", REAL / "jfk.flac", REAL / "jfk.srt", "-o", "/proc/aligner-out.srt", timeout=60)
    one_line_error(proc, "not writable")
    assert time.monotonic() - t0 < 20  # refused before recognition, not after


@pytest.mark.model
def test_odd_cues_never_crash_the_audit(tmp_path):
    """Short unspoken cues, a bare URL, stage directions with slashes, a cue far past the end."""
    subs = tmp_path / "odd.srt"
    subs.write_text(
        "1\n00:00:00,280 --> 00:00:02,720\nAnd so my fellow Americans,\n\n"
        "2\n00:00:02,800 --> 00:00:03,300\nYes.\n\n"
        "3\n00:00:03,360 --> 00:00:08,080\nask not what your country can do for you, [/sighs]\n\n"
        "4\n00:00:08,160 --> 00:00:10,960\nask what you can do for your country. [laughs]\n\n"
        "5\n00:00:10,970 --> 00:00:11,000\nA1\n\n"
        "6\n00:00:11,000 --> 00:00:11,020\nhttps://example.org/x\n\n"
        "7\n99:59:59,000 --> 99:59:59,999\nhello\n", encoding="utf-8")
    proc = run("audit", REAL / "jfk.flac", subs, "--fix", tmp_path / "fixed.srt", "--style", "--format", "table")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "[/sighs]" in proc.stdout or "sighs" in proc.stdout  # printed as text, not taken as rich markup


@pytest.mark.model
def test_vtt_and_srt_of_the_same_cues_audit_alike(tmp_path):
    from aligner.auditing.run import audit

    vtt = tmp_path / "jfk.vtt"
    vtt.write_text(JFK_VTT, encoding="utf-8")
    a, b = audit(REAL / "jfk.flac", vtt), audit(REAL / "jfk.flac", REAL / "jfk.srt")
    assert [(f.kind, f.cue, round(f.start, 2)) for f in a.findings] == \
        [(f.kind, f.cue, round(f.start, 2)) for f in b.findings]
    assert a.sync == b.sync


@pytest.mark.model
def test_ass_subtitles_are_audited(tmp_path):
    import pysubs2

    ass = tmp_path / "jfk.ass"
    pysubs2.load(str(REAL / "jfk.srt")).save(str(ass))
    proc = run("audit", REAL / "jfk.flac", ass)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---------------------------------------------------------------- the model


@pytest.mark.model
def test_a_damaged_model_is_rebuilt_not_blamed_on_the_media(tmp_path):
    env = {"ALIGNER_CACHE": str(tmp_path / "cache")}
    first = run("align", REAL / "jfk.flac", REAL / "jfk.srt", "-o", tmp_path / "a.srt", "-q", env_extra=env)
    assert first.returncode == 0, first.stderr
    (weights,) = (tmp_path / "cache" / "models").glob("*/model.bin")
    with open(weights, "r+b") as fh:  # bytes overwritten inside, same size
        fh.seek(weights.stat().st_size // 3)
        fh.write(os.urandom(4 << 20))
    for entry in (tmp_path / "cache").glob("alignments/*"):
        entry.unlink()  # make it hear again
    for entry in (tmp_path / "cache").glob("recognition/*"):
        entry.unlink()
    second = run("align", REAL / "jfk.flac", REAL / "jfk.srt", "-o", tmp_path / "b.srt", "-q", env_extra=env)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "a.srt").read_text() == (tmp_path / "b.srt").read_text()
    with open(weights, "r+b") as fh:  # and a truncated one
        fh.truncate(weights.stat().st_size // 2)
    for entry in (tmp_path / "cache").glob("alignments/*"):
        entry.unlink()
    third = run("align", REAL / "jfk.flac", REAL / "jfk.srt", "-o", tmp_path / "c.srt", "-q", env_extra=env)
    assert third.returncode == 0, third.stderr
    assert (tmp_path / "a.srt").read_text() == (tmp_path / "c.srt").read_text()


# ---------------------------------------------------------------- batch


def _tree(tmp_path) -> Path:
    from aligner.runtime.media import ffmpeg_binary

    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(REAL / "jfk.flac", folder / "a.flac")
    subprocess.run([ffmpeg_binary(), "-loglevel", "error", "-i", str(REAL / "jfk.flac"), "-c:a", "aac",
                    str(folder / "a.m4a")], check=True)
    (folder / "a.txt").write_text((REAL / "jfk.srt").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.mark.model
def test_batch_keeps_colliding_stems_apart_and_the_users_files(tmp_path):
    folder = _tree(tmp_path)
    (folder / "summary.csv").write_text("my own notes\n")
    proc = run("batch", folder, "--mode", "align", "-q")
    one_line_error(proc, "summary.csv exists")
    assert (folder / "summary.csv").read_text() == "my own notes\n"
    (folder / "summary.csv").unlink()
    proc = run("batch", folder, "--mode", "align", "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (folder / "a.flac.aligned.srt").exists() and (folder / "a.m4a.aligned.srt").exists()
    again = run("batch", folder, "--mode", "align", "-q")
    assert again.returncode == 0 and again.stdout.count("unchanged") == 2  # one manifest entry each


@pytest.mark.model
def test_batch_refuses_a_locked_folder_and_a_broken_manifest_is_no_crash(tmp_path):
    from aligner.batch import MANIFEST, folder_lock

    folder = _tree(tmp_path)
    with folder_lock(folder):
        one_line_error(run("batch", folder, "--mode", "align", "-q"), "another aligner batch")
    (folder / MANIFEST).write_text('{"version": 1, "clips": {"a.flac": {"outputs": 5, "key": []}}, "summaries": 3}')
    proc = run("batch", folder, "--mode", "align", "-q")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_csv_cells_cannot_become_formulas():
    from aligner.reports.csv import safe_cell

    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [safe_cell(v) for v in ("+1", "-2", "@SUM(A1)", "\tx")] == ["'+1", "'-2", "'@SUM(A1)", "'\tx"]
    assert safe_cell("fine") == "fine" and safe_cell(-2.5) == -2.5


# ---------------------------------------------------------------- signals


def _no_process_left(pgid: int, within: float = 20.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.model
def test_sigterm_cleans_up_like_ctrl_c(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out.srt"
    env = {**os.environ, "TMPDIR": str(tmp), "ALIGNER_CACHE": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "align", str(FIXTURES / "news.mp4"),
                             str(FIXTURES / "news_transcript.txt"), "-o", str(out), "-q"],
                            env=env, cwd=FIXTURES.parent, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp.glob("aligner-*/audio.f32")) and time.monotonic() < deadline:
        time.sleep(0.1)  # wait until the audio is decoded: mid-run
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert b"Traceback" not in err
    assert list(tmp.glob("aligner-*")) == []  # the decoded audio removed
    assert not out.exists() and not list(tmp_path.glob(".out.srt.*"))


@pytest.mark.model
def test_sigterm_stops_batch_workers(tmp_path):
    folder = _tree(tmp_path)
    shutil.copy(FIXTURES / "news.mp4", folder / "news.mp4")
    shutil.copy(FIXTURES / "news_transcript.txt", folder / "news.txt")
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "batch", str(folder), "--jobs", "2", "-q"],
                            env={**os.environ, "ALIGNER_CACHE": str(tmp_path / "cache")}, cwd=FIXTURES.parent,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(8)  # workers started and busy
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert _no_process_left(proc.pid), "a worker outlived the batch"
    import json

    from aligner.batch import MANIFEST

    manifest = json.loads((folder / MANIFEST).read_text())
    for entry in manifest["clips"].values():  # what the manifest calls done is on disk, whole
        if entry.get("state") == "done":
            assert all(Path(p).exists() for p in entry["outputs"])
    assert not list(folder.rglob("*.part"))


def test_more_cues_than_the_limit_are_refused_in_one_line():
    from aligner.subtitles.timing_lines import MAX_CUES

    text = "".join(f"{n}\n00:00:{n % 60:02d},000 --> 00:00:{n % 60:02d},500\nx\n\n" for n in range(1, MAX_CUES + 2))
    with pytest.raises(InputError, match=f"more than the {MAX_CUES}"):
        parse_subtitles(text, "srt")


def test_picture_running_on_after_the_sound_is_not_damage(tmp_path):
    from aligner.runtime import media
    from aligner.runtime.media import ffmpeg_binary

    clip = tmp_path / "late_picture.mp4"
    subprocess.run([ffmpeg_binary(), "-loglevel", "error", "-f", "lavfi", "-i", "color=c=black:s=160x90:r=25:d=13",
                    "-i", str(REAL / "jfk.flac"), "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-c:a", "aac",
                    str(clip)], check=True)
    info = media.probe(clip)
    assert info.duration > 12.5 and info.audio_duration == pytest.approx(11.0, abs=0.1)
    with media.decode(clip, info) as audio:
        assert audio.duration == pytest.approx(11.0, abs=0.1)
