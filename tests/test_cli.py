"""The command as a user runs it: bad input is one clear line and a non-zero exit, and no
file of the user's is lost or left half-written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .helpers import FIXTURES


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("ALIGNER_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "aligner", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=300)


def assert_one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("aligner: error:")
    assert fragment in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "media, fragment",
    [
        ("missing.mp4", "no such file"),
        ("bad/no_audio.mp4", "has no audio stream"),
        ("bad/truncated.mp4", "not a readable audio or video file"),
        ("bad/not_media.mp4", "not a readable audio or video file"),
    ],
)
def test_bad_media(tmp_path, media, fragment):
    out = tmp_path / "out.srt"
    proc = run("align", FIXTURES / media, FIXTURES / "interview.txt", "-o", out)
    assert_one_line_error(proc, fragment)
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a temporary file


def test_missing_and_binary_transcripts(tmp_path):
    out = tmp_path / "out.srt"
    assert_one_line_error(run("align", FIXTURES / "interview.mp4", tmp_path / "nope.txt", "-o", out),
                          "no such file")
    binary = tmp_path / "t.txt"
    binary.write_bytes(b"\x00\x01\x02garbage" * 50)
    assert_one_line_error(run("align", FIXTURES / "interview.mp4", binary, "-o", out), "binary file")
    assert not out.exists()


def test_refuses_to_write_over_an_input(tmp_path):
    transcript = tmp_path / "clip.txt"
    shutil.copy(FIXTURES / "interview.txt", transcript)
    before = transcript.read_bytes()
    proc = run("align", FIXTURES / "interview.mp4", transcript, "-o", tmp_path / "clip.srt",
               "-o", tmp_path / "." / "clip.txt")
    assert proc.returncode == 2
    proc = run("align", FIXTURES / "interview.mp4", transcript, "-o", tmp_path / "clip.json",
               "-o", transcript.with_suffix(".txt"))
    assert_one_line_error(proc, "unknown output format")
    assert transcript.read_bytes() == before
    assert not (tmp_path / "clip.srt").exists()


def test_output_over_input_with_known_format(tmp_path):
    subs = tmp_path / "clip.srt"
    subs.write_text("1\n00:00:02,500 --> 00:00:05,000\nGood evening.\n", encoding="utf-8")
    proc = run("align", FIXTURES / "interview.mp4", subs, "-o", subs)
    assert_one_line_error(proc, "is an input file; refusing to overwrite it")
    assert subs.read_text(encoding="utf-8").startswith("1\n00:00:02,500")


def test_unknown_format_and_missing_folder(tmp_path):
    assert_one_line_error(run("align", FIXTURES / "interview.mp4", FIXTURES / "interview.txt",
                              "-o", tmp_path / "out.docx"), "unknown output format")
    assert_one_line_error(run("align", FIXTURES / "interview.mp4", FIXTURES / "interview.txt",
                              "-o", tmp_path / "no" / "out.srt"), "does not exist")


@pytest.mark.model
def test_model_that_needs_the_hub_fails_cleanly(tmp_path):
    proc = run("align", FIXTURES / "interview.mp4", FIXTURES / "interview.txt",
               "-o", tmp_path / "o.srt", "--model", "tiny")
    assert_one_line_error(proc, "model hub cannot be reached")
    assert list(tmp_path.iterdir()) == []


def test_model_folder_that_is_not_a_model(tmp_path):
    proc = run("align", FIXTURES / "interview.mp4", FIXTURES / "interview.txt",
               "-o", tmp_path / "o.srt", "--model", tmp_path)
    assert_one_line_error(proc, "not a CTranslate2 model folder")


def test_bad_option_is_one_line():
    proc = run("align", "--max-chars", "many")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.model
def test_align_writes_every_output_atomically(tmp_path):
    old = tmp_path / "clip.srt"
    old.write_text("old subtitles\n", encoding="utf-8")
    proc = run("align", FIXTURES / "interview.mp4", FIXTURES / "interview.txt",
               "-o", old, "-o", tmp_path / "clip.vtt", "-o", tmp_path / "clip.json")
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {old}" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.json", "clip.srt", "clip.vtt"]
    assert old.read_text(encoding="utf-8").startswith("1\n00:00:02,")
    assert "[Host] Good evening." in old.read_text(encoding="utf-8")
    assert "not in the audio" in proc.stderr  # the unspoken sentence is summarised as a warning
    assert "\r" not in proc.stderr  # no progress bar when stderr is not a terminal


# --- audit verdicts, from reports made by hand (no model) ----------------------------------------

def audit_with(monkeypatch, capsys, findings, *options: str) -> tuple[int, list[str]]:
    """``aligner audit`` in this process, its audit replaced by a report holding ``findings``:
    the exit status and the lines on stdout (a pipe's: one line a finding)."""
    from aligner import cli
    from aligner.auditing import run as audit_run

    from .reports.sample import MEDIA, SUBTITLES, report

    monkeypatch.setattr(audit_run, "audit", lambda *a, **kw: report(*findings))
    code = cli.main(["audit", str(MEDIA), str(SUBTITLES), "-q", *options])
    return code, capsys.readouterr().out.splitlines()


def test_checks_alone_do_not_fail_the_file(monkeypatch, capsys):
    from .reports.sample import CHECK, ERROR, WARNING

    code, lines = audit_with(monkeypatch, capsys, [CHECK, WARNING], "--style")
    assert code == 0
    assert lines[-1].startswith("OK, 1 to check: 0 errors, 1 to check, 1 warning (style 1, text_mismatch 1);")
    assert any("  text_mismatch  check  " in ln for ln in lines)
    code, lines = audit_with(monkeypatch, capsys, [ERROR, CHECK])
    assert code == 1
    assert lines[-1].startswith("ERRORS: 1 error, 1 to check (text_mismatch 2);")
    code, lines = audit_with(monkeypatch, capsys, [])
    assert code == 0 and lines[-1].startswith("OK: nothing found;")


def listed_severities(lines: list[str]) -> list[str]:
    """The severity of each finding listed, one line a finding."""
    return [ln.split()[4] for ln in lines if ln.startswith("cue ")]


def test_min_severity_check_lists_checks_and_errors(monkeypatch, capsys):
    from aligner.auditing.findings import SEVERITIES
    from aligner.cli import SEVERITY_COLOURS, build_parser

    from .reports.sample import CHECK, ERROR, WARNING

    _, lines = audit_with(monkeypatch, capsys, [ERROR, CHECK, WARNING], "--style", "--min-severity", "check")
    assert listed_severities(lines) == ["error", "check"]
    assert lines[-1].startswith("ERRORS: 1 error, 1 to check, 1 warning")  # the verdict counts all
    _, lines = audit_with(monkeypatch, capsys, [ERROR, CHECK, WARNING], "--min-severity", "error")
    assert listed_severities(lines) == ["error"]
    assert not any(ln.startswith("style:") for ln in lines)  # warnings not asked for: not counted either
    _, lines = audit_with(monkeypatch, capsys, [ERROR, CHECK, WARNING], "--style")
    assert listed_severities(lines) == ["error", "check", "warning"]  # the default lists all
    assert [build_parser().parse_args(["audit", "m", "s", "--min-severity", s]).min_severity
            for s in SEVERITIES] == list(SEVERITIES)
    assert set(SEVERITY_COLOURS) == set(SEVERITIES)  # the table colours each apart
    proc = run("audit", "m.mp4", "s.srt", "--min-severity", "notice")
    assert proc.returncode == 2 and "'warning', 'check', 'error'" in proc.stderr
