import os

from aligner.runtime.scratch import STALE_AFTER, scratch_dir, scratch_prefix, stale, sweep

GONE = 999_999_999  # above any process id Linux gives (at most 2**22)


def test_only_our_folders_of_a_gone_process_that_nobody_touched_for_hours_are_stale():
    alive = {123}.__contains__
    old = STALE_AFTER + 1
    assert stale("aligner-enc-456-x1y2", old, alive)
    assert not stale("aligner-enc-123-x1y2", old, alive)  # its process runs on
    assert not stale("aligner-enc-456-x1y2", 60.0, alive)  # touched a minute ago
    assert not stale("aligner-x1y2", old, alive)  # no process id: not ours to judge
    assert not stale("pytest-of-root", old, alive)


def test_a_sweep_removes_what_killed_runs_left_and_nothing_else(tmp_path):
    def folder(name: str, age: float) -> str:
        (tmp_path / name).mkdir()
        (tmp_path / name / "0.npy").write_bytes(b"x")
        then = os.path.getmtime(tmp_path / name) - age
        os.utime(tmp_path / name, (then, then))
        return name

    left = folder(f"aligner-enc-{GONE}-abc", STALE_AFTER + 60)
    fresh = folder(f"aligner-audio-{GONE}-def", 60)
    mine = folder(f"{scratch_prefix('enc')}ghi", STALE_AFTER + 60)
    other = folder("someone-elses", STALE_AFTER + 60)
    assert sweep(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fresh, mine, other])
    assert left not in os.listdir(tmp_path)


def test_a_scratch_folder_names_its_process(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    made = scratch_dir("audio")
    assert made.parent == tmp_path and made.name.startswith(f"aligner-audio-{os.getpid()}-")
