"""A batch never stops and never goes silent: an unreadable file or folder, a file gone since it
was found, a transcript that is a folder, a link loop each become a
failed clip (or a skipped entry) with one line saying why; the other clips run, the summaries
and the manifest are written, and the exit status is 1."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aligner.batch import MANIFEST, JobOptions, JobResult, Manifest, plan, run_job, survey
from aligner.errors import InputError

from ..helpers import FIXTURES, as_ordinary_user
from ..test_hardening import one_line_error

JFK = FIXTURES / "real" / "jfk.flac"
WORDS = "And so my fellow Americans, ask not what your country can do for you, " \
        "ask what you can do for your country.\n"
BAD_NAME = os.fsdecode(b"\xff")  # the byte 0xff: not UTF-8, kept by Python as a surrogate


def batch(*args) -> subprocess.CompletedProcess:
    """``aligner batch`` as an ordinary user would run it (without root's file capabilities)."""
    prefix = as_ordinary_user()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*prefix, sys.executable, "-m", "aligner", "batch", *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=600, cwd=FIXTURES.parent)


def clip(folder: Path, name: str) -> tuple[Path, Path]:
    """A clip: the JFK recording with its transcript beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    media, text = folder / f"{name}.flac", folder / f"{name}.txt"
    shutil.copy(JFK, media)
    text.write_text(WORDS, encoding="utf-8")
    return media, text


def summary(out: Path) -> dict[str, tuple[str, str]]:
    """clip -> (state, reason) as the summary CSV has them."""
    with open(out / "summary.csv", encoding="utf-8", newline="") as fh:
        return {row["clip"]: (row["state"], row["reason"]) for row in csv.DictReader(fh)}


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A tree of clips that cannot be read, each for another reason; no clip in it is good, so
    the batch finishes before any model is loaded."""
    root = tmp_path / "clips"
    _, text = clip(root, "notext")
    text.chmod(0o000)
    media, _ = clip(root, "nomedia")
    media.chmod(0o000)
    _, text = clip(root / "locked", "inside")
    (root / "locked").chmod(0o000)
    _, text = clip(root, "textfolder")
    text.unlink()
    text.mkdir()
    _, text = clip(root, "pipe")
    text.unlink()
    os.mkfifo(text)
    media, _ = clip(root, "looped")
    media.unlink()
    media.symlink_to(media.name)  # a link to itself
    (root / "loop").symlink_to(".")  # a folder link back to the top
    shutil.copy(JFK, root / "lonely.flac")
    yield root
    (root / "locked").chmod(0o755)  # so that pytest can remove it


def test_unreadable_files_and_folders_fail_their_clips_not_the_batch(hostile, tmp_path):
    out = tmp_path / "out"
    proc = batch(hostile, "--out", out, "--jobs", "1", "-q")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    # silence is the fault: the folder it could not read is said on stderr, in one line
    assert proc.stderr.strip().splitlines() == [
        f"aligner: warning: cannot read folder {hostile / 'locked'} (permission denied): "
        "the clips in it are not processed"]
    rows = summary(out)
    assert rows == {
        "looped": ("failed", f"cannot read media {hostile / 'looped.flac'}: too many levels of symbolic links"),
        "nomedia": ("failed", f"cannot read media {hostile / 'nomedia.flac'}: permission denied"),
        "notext": ("failed", f"cannot read transcript {hostile / 'notext.txt'}: permission denied"),
        "pipe": ("failed", f"cannot read transcript {hostile / 'pipe.txt'}: "
                           "not a regular file (a pipe, socket or device)"),
        "textfolder": ("failed", f"cannot read transcript {hostile / 'textfolder.txt'}: it is a folder, not a file"),
        "locked/": ("failed", f"cannot read folder {hostile / 'locked'}: permission denied"),
        "lonely": ("skipped", "no transcript or subtitles beside it"),
        "loop": ("skipped", "a link to a folder: not followed"),
    }
    for name, (state, reason) in rows.items():  # piped: a line a clip, its reason on it
        assert any(ln.startswith(f"{name}  {state}") and ln.endswith(reason) for ln in proc.stdout.splitlines())
    assert "<td>locked/</td>" in (out / "summary.html").read_text(encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["clips"]
    assert {k: v["state"] for k, v in manifest.items()} == {
        k: "failed" for k in ("looped", "nomedia", "notext", "pipe", "textfolder", "locked/")}
    assert sorted(p.name for p in out.iterdir()) == [".aligner-batch.lock", MANIFEST, "summary.csv", "summary.html"]


def test_an_unreadable_folder_given_is_one_line(tmp_path):
    folder = tmp_path / "clips"
    clip(folder, "a")
    folder.chmod(0o000)
    try:
        proc = batch(folder, "--out", tmp_path / "out", "-q")
    finally:
        folder.chmod(0o755)
    one_line_error(proc, f"{folder}: cannot read the folder (permission denied)")
    assert not (tmp_path / "out" / "summary.csv").exists()


def test_a_file_gone_after_it_was_found_fails_its_clip(tmp_path):
    media, _ = clip(tmp_path / "clips", "a")
    clip(tmp_path / "clips", "b")
    found = survey(tmp_path / "clips")
    media.unlink()  # between discovery and planning
    failed: list[JobResult] = []
    jobs = plan(found.clips, tmp_path / "clips", None, "align", JobOptions(), failed=failed)
    assert [j.clip.rel for j in jobs] == ["b"]
    assert failed == [JobResult("a", "failed", f"cannot read media {media}: no such file or directory")]
    with pytest.raises(InputError, match="cannot read media"):  # a caller with no list for failures
        plan(found.clips, tmp_path / "clips", None, "align", JobOptions())
    # between planning and the job: the job's own check says so in one line, and writes nothing
    gone = jobs[0].clip.media
    gone.unlink()
    result = run_job(jobs[0])
    assert (result.state, result.reason, result.outputs) == ("failed", f"{gone}: no such file", ())
    assert not list((tmp_path / "clips").glob("*.aligned.*"))


def test_a_clip_failed_before_its_job_keeps_what_earlier_runs_wrote_as_the_batchs_own(tmp_path):
    manifest = Manifest(tmp_path / MANIFEST)
    earlier = str(tmp_path / "a.aligned.srt")
    manifest.entries["a"] = {"key": "k", "state": "done", "outputs": [earlier], "planned": []}
    manifest.record_failures([JobResult("a", "failed", "cannot read transcript a.txt: permission denied")])
    again = Manifest(tmp_path / MANIFEST)
    assert again.entries["a"]["state"] == "failed"
    assert again.ours(Path(earlier))  # a later run may replace it without --force


@pytest.mark.model
def test_one_unreadable_clip_and_folder_never_stop_the_others(tmp_path):
    root = tmp_path / "clips"
    clip(root, "good")
    clip(root, BAD_NAME)  # an old archive's Latin-1 name: aligned like any other
    _, text = clip(root, "bad")
    text.chmod(0o000)
    clip(root / "locked", "inside")
    (root / "locked").chmod(0o000)
    out = tmp_path / "out"
    try:
        proc = batch(root, "--out", out, "--jobs", "1", "-q")
    finally:
        (root / "locked").chmod(0o755)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert summary(out) == {
        "good": ("done", ""),
        "\\xff": ("done", ""),
        "bad": ("failed", f"cannot read transcript {text}: permission denied"),
        "locked/": ("failed", f"cannot read folder {root / 'locked'}: permission denied"),
    }
    assert (out / "good.aligned.srt").read_text(encoding="utf-8").startswith("1\n")
    assert json.loads((out / "good.aligned.json").read_text(encoding="utf-8"))["cues"]
    assert not (out / "bad.aligned.srt").exists() and not list(out.glob(".*.part"))
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["clips"]
    assert {k: v["state"] for k, v in manifest.items()} == {"good": "done", BAD_NAME: "done", "bad": "failed",
                                                            "locked/": "failed"}
    aligned = json.loads((out / f"{BAD_NAME}.aligned.json").read_text(encoding="utf-8"))
    assert aligned["media"] == str(root / f"{BAD_NAME}.flac")
