"""Outputs all or nothing, names the file system cannot hold, a cache nobody can forge, and a
bundled model checked on every load. Each case ends in the result or one line (exit 2), and
leaves on disk what it should: no half of a run's outputs, no temporary, no empty key."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from aligner.errors import OutputError
from aligner.runtime import cache
from aligner.runtime.textio import NAME_MAX, atomic_outputs, check_outputs, remove_leftovers, write_text_atomic

from ..helpers import FIXTURES, as_ordinary_user, load_truth
from ..test_hardening import one_line_error, run

JFK = FIXTURES / "real" / "jfk.flac"
JFK_SRT = FIXTURES / "real" / "jfk.srt"
SMALL_DISK = "64k"  # room for a subtitle file, not for a review page carrying the audio
OLD_FALLBACK_KEY = b"aligner"  # what an empty key file used to mean: anyone could sign with it
TURN_SLACK = 0.3  # seconds between a cue's start and its speaker's first word, as spoken
CHECKS = 5  # loads of an unchanged model


def unprivileged_run(*args) -> subprocess.CompletedProcess:
    """The CLI as an ordinary user would run it (root's file capabilities dropped)."""
    prefix = as_ordinary_user()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*prefix, sys.executable, "-m", "aligner", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=120, cwd=FIXTURES.parent)


def mounted_tmpfs(where: Path, size: str) -> Path:
    """A small file system of its own at ``where`` (a disk that fills up), or the test skipped."""
    if os.geteuid() != 0:
        pytest.skip("a small tmpfs (a disk that fills up) can only be mounted as root")
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if proc.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    return where


@pytest.fixture
def small_disk(tmp_path):
    where = mounted_tmpfs(tmp_path / "small", SMALL_DISK)
    yield where
    subprocess.run(["umount", str(where)], check=True)


@pytest.fixture
def full_config(tmp_path):
    """A config folder on a file system with no byte left: the cache key cannot be written."""
    where = mounted_tmpfs(tmp_path / "config", "4k")
    (where / "aligner").mkdir()
    with open(where / "fill", "wb") as fh:
        try:
            fh.write(b"\0" * 65536)
        except OSError:
            pass
    yield where
    subprocess.run(["umount", str(where)], check=True)


# ---------------------------------------------------------------- all outputs or none


@pytest.mark.model
def test_a_full_disk_leaves_no_output_of_an_align_and_the_older_file_as_it_was(small_disk):
    (small_disk / "a.srt").write_text("older\n", encoding="utf-8")
    proc = run("align", JFK, JFK_SRT, "-o", small_disk / "a.srt", "-o", small_disk / "a.json",
               "-o", small_disk / "a.html", "--embed-media", "-q")
    one_line_error(proc, "a.html: cannot be written (No space left on device); none of this run's outputs was written")
    assert sorted(p.name for p in small_disk.iterdir()) == ["a.srt"]  # no new file, no temporary
    assert (small_disk / "a.srt").read_text(encoding="utf-8") == "older\n"


@pytest.mark.model
def test_a_full_disk_leaves_no_report_and_no_fix_of_an_audit(small_disk):
    (small_disk / "r.json").write_text("{}\n", encoding="utf-8")
    proc = run("audit", JFK, JFK_SRT, "--report", small_disk / "r.json", "--report", small_disk / "r.html",
               "--embed-media", "--fix", small_disk / "fixed.srt", "-q")
    one_line_error(proc, "r.html: cannot be written (No space left on device); none of this run's outputs was written")
    assert sorted(p.name for p in small_disk.iterdir()) == ["r.json"]
    assert (small_disk / "r.json").read_text(encoding="utf-8") == "{}\n"


def test_a_rename_that_fails_puts_back_those_already_made(tmp_path):
    """The last step can fail too (here a folder made at one target mid-run): the older file
    comes back, the new one goes, and no temporary is left."""
    older, new, blocked = tmp_path / "a.srt", tmp_path / "b.json", tmp_path / "c.vtt"
    older.write_text("older\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"c\.vtt: cannot be written .*none of this run's outputs was written"):
        with atomic_outputs() as outputs:
            for target in (older, new, blocked):
                outputs.write_text(target, "newer\n")
            blocked.mkdir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.srt", "c.vtt"]
    assert older.read_text(encoding="utf-8") == "older\n"


def test_an_interrupted_run_writes_nothing(tmp_path):
    older = tmp_path / "a.srt"
    older.write_text("older\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), atomic_outputs() as outputs:
        outputs.write_text(older, "newer\n")
        outputs.write_text(tmp_path / "a.json", "{}")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["a.srt"]
    assert older.read_text(encoding="utf-8") == "older\n"


# ---------------------------------------------------------------- output names and folders


def test_an_output_name_too_long_is_one_line_before_any_work(tmp_path):
    name = "c" * 300 + ".srt"
    proc = run("align", JFK, JFK_SRT, "-o", tmp_path / name, timeout=60)
    one_line_error(proc, f"the file name is 304 bytes; file systems allow {NAME_MAX}")
    assert list(tmp_path.iterdir()) == []


def test_a_legal_250_byte_name_is_written_and_its_leftovers_found(tmp_path):
    long_a, long_b = tmp_path / ("é" * 123 + "a.srt"), tmp_path / ("é" * 123 + "b.srt")  # 251 bytes each
    assert len(os.fsencode(long_a.name)) == 251
    check_outputs([long_a, long_b], [JFK, JFK_SRT])
    write_text_atomic(long_a, "1\n00:00:00,000 --> 00:00:01,000\nhi\n")
    assert [p.name for p in tmp_path.iterdir()] == [long_a.name]
    with atomic_outputs() as outputs:  # temporaries of two long names alike in their first 240 bytes
        tmp_a, tmp_b = outputs.path(long_a), outputs.path(long_b)
        assert max(len(os.fsencode(t.name)) for t in (tmp_a, tmp_b)) <= NAME_MAX
        assert remove_leftovers(long_a) == 1  # as after a kill: a's temporary, and not b's
        assert not tmp_a.exists() and tmp_b.exists()
        outputs.staged.pop(long_a)
        tmp_b.write_text("b", encoding="utf-8")
    assert long_b.read_text(encoding="utf-8") == "b"


@pytest.mark.parametrize("mode", [0o000, 0o555])
def test_an_output_folder_without_permission_is_one_line_before_any_work(tmp_path, mode):
    folder = tmp_path / "locked"
    folder.mkdir(mode=mode)
    try:
        proc = unprivileged_run("align", JFK, JFK_SRT, "-o", folder / "x.srt", "-o", folder / "x.json")
        one_line_error(proc, f"folder {folder} is not writable")
    finally:
        folder.chmod(0o755)
    assert list(folder.iterdir()) == []


# ---------------------------------------------------------------- the cache's key


@pytest.fixture
def own_key(tmp_path, monkeypatch):
    """A config folder and cache of this test's own; the key read afresh before and after."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ALIGNER_CACHE_KEY", raising=False)
    cache._secret.cache_clear()
    yield tmp_path / "config" / "aligner" / "cache.key"
    cache._secret.cache_clear()


@dataclass(frozen=True)
class Point:
    t: float


def signed(key: str, data: dict, secret: bytes) -> str:
    return hmac.new(secret, key.encode() + b"\x00" + cache._canonical(data), hashlib.sha256).hexdigest()


def forge(path: Path, key: str, data: dict, secret: bytes) -> Path:
    """A cache entry at ``path`` as someone who knows ``secret`` would plant it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cache._canonical({"format": 1, "key": key, "hmac": signed(key, data, secret), "data": data}))
    return path


@pytest.mark.parametrize("planted", [b"", b"\n", OLD_FALLBACK_KEY])
def test_an_empty_or_guessable_key_file_is_replaced_by_a_random_key(own_key, planted):
    own_key.parent.mkdir(parents=True)
    own_key.write_bytes(planted)
    assert cache.key_path() == own_key
    key = cache._secret()
    assert key is not None and own_key.read_bytes() == key
    assert len(key) == 64 and int(key, 16)  # 32 random bytes in hex
    own_key.unlink()
    cache._secret.cache_clear()
    assert cache._secret() != key  # random, not a constant
    assert oct(own_key.stat().st_mode & 0o777) == "0o600"


def test_an_entry_signed_with_the_old_fallback_key_is_dropped_and_recomputed(own_key):
    own_key.parent.mkdir(parents=True)
    own_key.write_bytes(b"")  # as a full disk used to leave it
    forged = forge(cache._path("points", "k1"), "k1", {"t": 99.0}, OLD_FALLBACK_KEY)
    assert cache.load("points", "k1", Point) is None
    assert not forged.exists()  # deleted, so the caller computes it and stores it signed
    cache.store("points", "k1", Point(1.5))
    assert cache.load("points", "k1", Point) == Point(1.5)
    assert len(own_key.read_bytes()) == 64


def test_processes_starting_together_agree_on_one_key(own_key):
    code = "from aligner.runtime import cache; print(cache._secret().decode())"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=os.environ.copy())
             for _ in range(4)]
    keys = {p.communicate(timeout=60)[0].strip() for p in procs}
    assert keys == {own_key.read_text()}


def test_a_key_that_cannot_be_made_turns_the_cache_off_and_leaves_no_empty_file(full_config, tmp_path):
    code = ("from dataclasses import dataclass\nfrom aligner.runtime import cache\n"
            "@dataclass(frozen=True)\nclass P:\n    t: float\n"
            "cache.store('points', 'k1', P(1.5))\nprint(cache.load('points', 'k1', P))\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(full_config), "ALIGNER_CACHE": str(tmp_path / "cache")}
    env.pop("ALIGNER_CACHE_KEY", None)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "None", proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be made (No space left on device): results are not cached" in lines[0]
    assert list((full_config / "aligner").iterdir()) == []  # no empty cache.key, no temporary
    assert not (tmp_path / "cache" / "points").exists()


@pytest.mark.model
def test_a_planted_entry_cannot_change_an_audits_verdict(tmp_path):
    """The issue's case: an empty key file, then entries forged with the old fallback key."""
    config = tmp_path / "config" / "aligner"
    config.mkdir(parents=True)
    (config / "cache.key").write_bytes(b"")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "ALIGNER_CACHE": str(tmp_path / "cache"),
           "ALIGNER_CACHE_KEY": ""}
    first = run("audit", JFK, JFK_SRT, "--format", "json", env_extra=env)
    assert first.returncode == 0, first.stderr
    key = (config / "cache.key").read_bytes()
    assert len(key) == 64
    entries = list((tmp_path / "cache").glob("recognition/*.json")) + list((tmp_path / "cache").glob("alignments/*"))
    assert entries
    for path in entries:
        entry = json.loads(path.read_bytes())
        for word in entry["data"].get("words", []):
            word["text"] = "banana"
        forge(path, entry["key"], entry["data"], OLD_FALLBACK_KEY)
    second = run("audit", JFK, JFK_SRT, "--format", "json", env_extra=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert "signature mismatch" in second.stderr and "Traceback" not in second.stderr
    for path in (tmp_path / "cache").glob("recognition/*.json"):  # recomputed, and signed with the real key
        entry = json.loads(path.read_bytes())
        assert "banana" not in json.dumps(entry["data"])
        assert entry["hmac"] == signed(entry["key"], entry["data"], key)


# ---------------------------------------------------------------- the bundled model


@pytest.mark.model
def test_a_model_overwritten_in_place_is_found_on_load_and_rebuilt(tmp_path, monkeypatch):
    """4 KB overwritten in the middle, size kept and mtime put back: the next load finds it
    (its ctime moved), assembles it again, and the subtitles are those of the good model (a
    cue a turn, each where the speaker starts), not the damaged one's three cues of nonsense."""
    import pysrt

    from aligner.runtime.model import _BASE_SHA256, model_path

    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    weights = Path(model_path()) / "model.bin"
    before = weights.stat()
    with open(weights, "r+b") as fh:
        fh.seek(before.st_size // 2)
        fh.write(os.urandom(4096))
    os.utime(weights, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert weights.stat().st_size == before.st_size and weights.stat().st_mtime_ns == before.st_mtime_ns
    assert cache.file_sha256(weights) != _BASE_SHA256
    out = tmp_path / "interview.srt"
    proc = run("align", FIXTURES / "interview.mp4", FIXTURES / "interview.txt", "-o", out, "-q",
               env_extra={"ALIGNER_CACHE": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stderr
    assert "model.bin" in proc.stderr and "is damaged (not the bytes shipped): assembled again" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert cache.file_sha256(weights) == _BASE_SHA256
    truth = load_truth("interview")
    turns = [w for n, w in enumerate(truth) if n == 0 or w["speaker"] != truth[n - 1]["speaker"]]
    cues = pysrt.open(str(out), encoding="utf-8")
    assert [c.text.split("]")[0].lstrip("[") for c in cues] == [w["speaker"] for w in turns]
    assert [round(c.start.ordinal / 1000 - w["start"], 1) for c, w in zip(cues, turns)] == \
        pytest.approx([0.0] * len(turns), abs=TURN_SLACK)


def test_the_per_load_check_of_an_unchanged_model_reads_no_weights(tmp_path, monkeypatch):
    """A load of an unchanged model costs a few stats and a small JSON read, not a hash of
    its 145 MB (what each costs: docs/operations.md)."""
    from aligner.runtime import model

    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    folder = model.model_path()
    record = (Path(folder) / ".verified").read_text()
    hashed: list[str] = []
    real_sha256 = model.file_sha256
    monkeypatch.setattr(model, "file_sha256", lambda path: hashed.append(Path(path).name) or real_sha256(path))
    for _ in range(CHECKS):
        assert model.model_path() == folder
    assert "model.bin" not in hashed
    assert (Path(folder) / ".verified").read_text() == record


@pytest.mark.model
def test_a_media_name_that_is_not_utf8_is_aligned_audited_and_reported(tmp_path):
    """A name with a byte that is no UTF-8 (a Latin-1 'é' from an old archive) crashed ffmpeg-python,
    the cache's signature, the JSON and the review page's link: exit 70 where nothing was wrong."""
    media = tmp_path / os.fsdecode(b"cl\xe9.mp4")
    media.write_bytes((FIXTURES / "interview.mp4").read_bytes())
    outputs = [tmp_path / n for n in ("out.srt", "out.json", "out.html")]
    proc = run("align", media, FIXTURES / "interview.txt", *[a for o in outputs for a in ("-o", o)])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(outputs[1].read_text(encoding="utf-8"))["media"] == str(media)
    assert 'src="cl%E9.mp4"' in outputs[2].read_text(encoding="utf-8")
    reports = [tmp_path / n for n in ("audit.json", "audit.csv", "audit.html")]
    proc = run("audit", media, outputs[0], *[a for r in reports for a in ("--report", r)])
    assert proc.returncode in (0, 1) and "internal error" not in proc.stderr, proc.stdout + proc.stderr
    assert all(r.stat().st_size for r in reports)
