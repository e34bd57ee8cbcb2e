"""Options that make no sense are refused where they are read: NaN, infinities, 1e-300 frames a
second, negative threads, a minimum above its maximum, a language Whisper has no token for,
empty names. Each is one line (``aligner: error: argument --fps: ...``), exit 2, before any
model loads, and no output (not even a batch's summaries) is left behind."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from aligner.cli import build_parser
from aligner.errors import InputError
from aligner.hearing.options import WHISPER_LANGUAGES, whisper_language
from aligner.runtime.argtypes import Range
from aligner.subtitles.profiles import LIMITS, Profile, get_profile

from ..helpers import FIXTURES
from ..test_hardening import one_line_error, run

MEDIA, TRANSCRIPT = FIXTURES / "interview.mp4", FIXTURES / "interview.txt"
SUBTITLES = FIXTURES / "real" / "jfk.srt"
HUGE_INT = "9" * 5000  # past Python's 4,300-digit limit for int()
ODD_NUMBERS = ["nan", "inf", "-inf", "-1", "1e308", HUGE_INT, "", "abc"]


def align(tmp_path: Path, *options: str):
    """``aligner align`` of the interview into ``tmp_path``, with ``options``."""
    return run("align", MEDIA, TRANSCRIPT, "-o", tmp_path / "out.srt", "-o", tmp_path / "out.json", *options,
               timeout=60)


def audit(tmp_path: Path, *options: str):
    """``aligner audit`` of published subtitles, a report and --fix into ``tmp_path``."""
    return run("audit", MEDIA, SUBTITLES, "--report", tmp_path / "r.json", "--fix", tmp_path / "fixed.srt",
               *options, timeout=60)


def batch(tmp_path: Path, *options: str):
    """``aligner batch`` of an empty folder in ``tmp_path``."""
    (tmp_path / "clips").mkdir()
    return run("batch", tmp_path / "clips", *options, timeout=60)


COMMANDS = {"align": align, "audit": audit, "batch": batch}


def refused(proc, tmp_path: Path, *fragments: str) -> None:
    """One line, begun ``aligner: error:``, holding every fragment; exit 2; nothing written
    (a batch's folder still empty: no summary, manifest or lock)."""
    one_line_error(proc, fragments[0])
    line = proc.stderr.strip()
    assert line.startswith("aligner: error:"), line
    assert all(f in line for f in fragments), line
    assert len(line) < 1000, line  # a 5,000-digit value is not echoed whole
    left = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert left == [], left


# ---------------------------------------------------------------- language


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_unknown_language_is_one_line_in_every_command(tmp_path, command):
    proc = COMMANDS[command](tmp_path, "--language", "xx")
    refused(proc, tmp_path, "argument --language", "'xx' is not a language code Whisper knows", "en, ", "yue")


def test_a_language_name_is_refused_with_a_hint(tmp_path):
    refused(align(tmp_path, "--language", "English"), tmp_path, "--language", "its code, not its name")


@pytest.mark.parametrize("typed, code", [("en", "en"), ("EN", "en"), (" de ", "de"), ("en-US", "en"),
                                         ("pt_BR", "pt"), ("zh-Hant", "zh"), ("yue", "yue"), ("auto", None)])
def test_language_as_people_write_it(typed, code):
    args = build_parser().parse_args(["align", str(MEDIA), str(TRANSCRIPT), "-o", "x.srt", "--language", typed])
    assert args.language == code


@pytest.mark.parametrize("code", ["xx", "", "e", "english", "en--", None, 3])
def test_python_api_refuses_an_unknown_language(code):
    with pytest.raises(InputError, match="not a language code Whisper knows"):
        whisper_language(code)  # type: ignore[arg-type]
    assert "en" in WHISPER_LANGUAGES and "xx" not in WHISPER_LANGUAGES


@pytest.mark.parametrize("entry", ["align", "audit"])
def test_python_api_align_and_audit_refuse_it_before_the_model(tmp_path, entry):
    """A missing model folder would be a ModelError: the language is refused before it loads."""
    import aligner

    with pytest.raises(InputError, match="not a language code Whisper knows"):
        if entry == "align":
            aligner.align(MEDIA, TRANSCRIPT, model=str(tmp_path / "no-model"), language="xx")
        else:
            aligner.audit(MEDIA, SUBTITLES, model=str(tmp_path / "no-model"), language="xx")


# ---------------------------------------------------------------- frame rate


@pytest.mark.parametrize("fps", ["nan", "inf", "1e-300", "0", "-25", "301", ""])
def test_frame_rate_out_of_range(tmp_path, fps):
    refused(align(tmp_path, "--fps", fps), tmp_path, "argument --fps", "1 to 300 frames a second", repr(fps))


def test_frame_rate_in_range_is_taken():
    for fps in ("1", "23.976", "300"):
        args = build_parser().parse_args(["align", str(MEDIA), str(TRANSCRIPT), "-o", "x.srt", "--fps", fps])
        assert args.fps == float(fps)


# ---------------------------------------------------------------- threads, jobs, model


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("threads", ["-1", "257", "1.5", "nan"])
def test_threads_out_of_range(tmp_path, command, threads):
    refused(COMMANDS[command](tmp_path, "--threads", threads), tmp_path, "argument --threads", "0 to 256")


@pytest.mark.parametrize("jobs", ["0", "-1", "nan", "1e9", "257", HUGE_INT])
def test_batch_jobs_out_of_range(tmp_path, jobs):
    refused(batch(tmp_path, "--jobs", jobs), tmp_path, "argument --jobs", "whole number from 1 to 256")


@pytest.mark.parametrize("option, value, fragment", [
    ("--device", "xx", "invalid choice: 'xx'"),
    ("--compute-type", "int3", "invalid choice: 'int3'"),
    ("--model", "", "give a model, not an empty string"),
])
def test_model_options_that_name_nothing(tmp_path, option, value, fragment):
    refused(align(tmp_path, option, value), tmp_path, f"argument {option}", fragment)


def test_empty_scheduler_is_not_taken_as_no_cluster(tmp_path):
    refused(batch(tmp_path, "--scheduler", " "), tmp_path, "argument --scheduler", "not an empty string")


@pytest.mark.parametrize("command", ["align", "batch"])
@pytest.mark.parametrize("name, fragment", [("", "give a name"), ("Ann\nLee", "one line of printable"),
                                            ("x" * 101, "at most 100 characters")])
def test_narrator_is_one_printable_line(tmp_path, command, name, fragment):
    refused(COMMANDS[command](tmp_path, "--narrator", name), tmp_path, "argument --narrator", fragment)


# ---------------------------------------------------------------- audit thresholds


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "1e308"])
def test_offset_threshold_must_be_finite_and_positive(tmp_path, value):
    """NaN compared false with every offset, so a file a second late passed."""
    refused(audit(tmp_path, "--offset-threshold", value), tmp_path, "argument --offset-threshold", "0.01 to 60 s")


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "51"])
def test_text_margin_out_of_range(tmp_path, value):
    refused(audit(tmp_path, "--text-margin", value), tmp_path, "argument --text-margin", "0.1 to 50 nats")


@pytest.mark.parametrize("option, choice", [("--min-severity", "fatal"), ("--format", "xml"),
                                            ("--profile", "")])
def test_audit_choices(tmp_path, option, choice):
    refused(audit(tmp_path, option, choice), tmp_path, f"argument {option}", "invalid choice")


# ---------------------------------------------------------------- cue limits


CUE_OPTIONS = {"--max-chars": "max_chars", "--max-lines": "max_lines", "--max-cps": "max_cps",
               "--min-duration": "min_duration", "--max-duration": "max_duration",
               "--min-gap-frames": "min_gap_frames", "--lead-out-frames": "max_lead_out_frames"}


@pytest.mark.parametrize("option", sorted(CUE_OPTIONS))
@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_cue_limits_out_of_range(tmp_path, option, value):
    proc = align(tmp_path, f"{option}={value}")
    refused(proc, tmp_path, f"argument {option}", LIMITS[CUE_OPTIONS[option]].describe())


def test_min_duration_above_max_duration(tmp_path):
    refused(align(tmp_path, "--min-duration", "3", "--max-duration", "2"), tmp_path,
            "min-duration 3 s is longer than max-duration 2 s")


def test_min_duration_above_the_profiles_own_maximum(tmp_path):
    refused(align(tmp_path, "--profile", "bbc", "--min-duration", "8"), tmp_path,
            "min-duration 8 s is longer than max-duration 7 s (profile bbc)")


@pytest.mark.parametrize("command, ranges", [
    ("align", [*(LIMITS[s].span() for s in CUE_OPTIONS.values()), "frame rate when the media has no video: "
               f"{LIMITS['fps'].span()}", "CPU threads: 0 to 256"]),
    ("audit", ["0.01 to 60 s", "0.1 to 50 nats", "CPU threads: 0 to 256"]),
    ("batch", ["once: 1 to 256", "CPU threads: 0 to 256"]),
])
def test_help_names_every_range(command, ranges):
    proc = run(command, "--help", timeout=60)
    text = " ".join(proc.stdout.split())
    assert proc.returncode == 0 and all(r in text for r in ranges), text


# ---------------------------------------------------------------- the Python API's profiles


@pytest.mark.parametrize("setting, value", [
    ("fps", math.nan), ("fps", math.inf), ("fps", 1e-300), ("max_cps", -1.0), ("max_chars", True),
    ("max_chars", 42.5), ("max_lines", "2"), ("min_gap_frames", -1), ("early_start", -0.5),
    ("max_pause", 0.0), ("chain_frames", 10**400),
])
def test_get_profile_refuses_a_limit_out_of_range(setting, value):
    with pytest.raises(InputError, match=f"^{setting.replace('_', '-')} must be"):
        get_profile("netflix", **{setting: value})


def test_profile_refuses_a_minimum_above_its_maximum():
    with pytest.raises(InputError, match=r"min-duration 8 s is longer than max-duration 7 s \(profile netflix\)"):
        get_profile("netflix", min_duration=8.0)
    with pytest.raises(InputError, match="min-duration 2 s is longer than max-duration 1 s"):
        Profile("mine", min_duration=2.0, max_duration=1.0)


def test_get_profile_keeps_limits_at_the_edges():
    p = get_profile("netflix", min_gap_frames=0, max_lead_out_frames=0, fps=300.0, max_chars=200,
                    min_duration=7.0, max_duration=7.0)
    assert (p.min_gap_frames, p.fps, p.min_duration) == (0, 300.0, 7.0)
    assert Range(1, 2, integer=True).problem(2) is None
