"""Whole folders: pairing, resuming after a kill, parallel workers, and a Dask cluster."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aligner.batch import Clip, JobOptions, JobResult, Manifest, discover, plan, run_batch, worker_layout
from aligner.runtime.model import ModelSpec

from .helpers import FIXTURES

GOOD = {"a/interview", "a/b/interview_de", "both"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Six clips: three good (align, audit, both), a corrupt one, one with no sound, one with
    no companions."""
    root = tmp_path_factory.mktemp("clips")
    (root / "a" / "b").mkdir(parents=True)
    shutil.copy(FIXTURES / "interview.mp4", root / "a" / "interview.mp4")
    shutil.copy(FIXTURES / "interview.txt", root / "a" / "interview.txt")
    shutil.copy(FIXTURES / "interview_de.mp4", root / "a" / "b" / "interview_de.mp4")
    shutil.copy(FIXTURES / "interview_de.defects.en.srt", root / "a" / "b" / "interview_de.en.srt")
    shutil.copy(FIXTURES / "interview.mp4", root / "both.mp4")
    shutil.copy(FIXTURES / "interview.txt", root / "both.txt")
    shutil.copy(FIXTURES / "interview_de.en.srt", root / "both.vtt.txt")  # not a companion: wrong name
    shutil.copy(FIXTURES / "news.srt", root / "both.srt")
    shutil.copy(FIXTURES / "bad" / "truncated.mp4", root / "corrupt.mp4")
    (root / "corrupt.txt").write_text("Some words.\n", encoding="utf-8")
    shutil.copy(FIXTURES / "bad" / "no_audio.mp4", root / "silent.mp4")
    (root / "silent.txt").write_text("Some words.\n", encoding="utf-8")
    shutil.copy(FIXTURES / "interview.mp4", root / "lonely.mp4")
    return root


def batch_cli(*args, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner", "batch", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=600, **kw)


def outputs(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and (".aligned." in p.name or ".audit." in p.name)}


def test_pairing(folder):
    clips, lonely = discover(folder)
    assert {c.rel for c in clips} == GOOD | {"corrupt", "silent"}
    assert lonely == ["lonely"]
    de = next(c for c in clips if c.rel == "a/b/interview_de")
    assert [p.name for p in de.subtitles] == ["interview_de.en.srt"]


def test_delivery_formats_are_companions_and_camera_xml_is_not(tmp_path):
    (tmp_path / "clip.mp4").write_bytes(b"")
    for name in ("clip.ttml", "clip.de.ass", "clip.xml", "clip.aligned.ttml"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    clips, lonely = discover(tmp_path)
    assert lonely == [] and [p.name for p in clips[0].subtitles] == ["clip.de.ass", "clip.ttml"]


@pytest.fixture(scope="module")
def reference(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref")
    tmp = tmp_path_factory.mktemp("tmp")
    proc = batch_cli(folder, "--out", out, "--jobs", "2", env={**os.environ, "TMPDIR": str(tmp)})
    return out, proc, tmp


@pytest.mark.model
def test_one_bad_clip_never_stops_the_batch(reference):
    out, proc, tmp = reference
    # the workers' temporary files (decoded audio, chunk encodings) are gone with their jobs
    assert list(tmp.glob("aligner-*")) == []
    assert proc.returncode == 1  # two clips failed, and an audit found errors
    manifest = json.loads((out / "aligner-manifest.json").read_text())["clips"]
    assert {k for k, v in manifest.items() if v["state"] == "done"} == GOOD
    assert "not a readable audio or video file" in manifest["corrupt"]["reason"]
    assert "has no audio stream" in manifest["silent"]["reason"]
    assert sorted(outputs(out)) == ["a/b/interview_de.en.audit.json", "a/interview.aligned.json",
                                    "a/interview.aligned.srt", "both.aligned.json", "both.aligned.srt",
                                    "both.audit.json"]
    summary = (out / "summary.csv").read_text()
    assert "lonely,skipped" in summary and "corrupt,failed" in summary
    assert "<table>" in (out / "summary.html").read_text()
    # piped (a log, CI): a line a clip, no table squeezed to 80 columns
    assert not any(ch in proc.stdout for ch in "│┃━─")
    assert any(ln.startswith("corrupt  failed") for ln in proc.stdout.splitlines()), proc.stdout
    assert "3 clip(s) processed in" in proc.stdout and "by 2 worker process(es) x 1 thread(s)" in proc.stdout
    assert "clips per hour" in proc.stdout


def test_workers_follow_cores_and_memory():
    gib = 2**30
    assert worker_layout(cores=2, memory=24 * gib) == (2, 1)  # a process a core
    assert worker_layout(cores=8, memory=4 * gib) == (2, 4)  # memory for two: threads take the rest
    assert worker_layout(cores=1, memory=gib) == (1, 1)  # never none
    assert worker_layout(3, cores=8) == (3, 2)  # asked for: the cores shared, never oversubscribed


@pytest.mark.model
def test_rerun_skips_what_is_done_and_redoes_what_changed(folder, reference, tmp_path):
    out, _, _ = reference
    work = tmp_path / "out"
    shutil.copytree(out, work)
    manifest = json.loads((work / "aligner-manifest.json").read_text())
    text = json.dumps(manifest).replace(str(out), str(work))
    (work / "aligner-manifest.json").write_text(text)
    before = {p: (work / p).stat().st_mtime_ns for p in outputs(work)}
    results, _, _ = run_batch(folder, out=work)
    assert {r.rel: r.reason for r in results if r.state == "done"} == {g: "unchanged: skipped" for g in GOOD}
    assert before == {p: (work / p).stat().st_mtime_ns for p in outputs(work)}
    # An edited transcript is a changed input: that clip, and only that one, is redone.
    copy = tmp_path / "clips"
    shutil.copytree(folder, copy)
    (work / "aligner-manifest.json").write_text(text.replace(str(folder), str(copy)))
    edited = copy / "a" / "interview.txt"
    edited.write_text(edited.read_text().replace("Good evening.", "Good evening, everyone."))
    results, _, _ = run_batch(copy, out=work)
    redone = {r.rel for r in results if r.state == "done" and r.reason != "unchanged: skipped"}
    assert redone == {"a/interview"}
    assert "everyone" in (work / "a" / "interview.aligned.srt").read_text()


@pytest.mark.model
def test_killed_run_resumes_to_identical_outputs(folder, reference, tmp_path):
    ref_out, _, _ = reference
    out = tmp_path / "out"
    env = {**os.environ, "ALIGNER_CACHE": str(tmp_path / "cold-cache")}  # slow enough to be caught mid-way
    env["TMPDIR"] = str(tmp_path / "tmp")  # the scratch folders a kill leaves, kept out of the machine's /tmp
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "aligner", "batch", str(folder), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    manifest = out / "aligner-manifest.json"
    deadline = time.time() + 300
    while time.time() < deadline:
        if manifest.exists() and '"state": "done"' in manifest.read_text():
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = json.loads(manifest.read_text())["clips"]
    finished = {k for k, v in first.items() if v.get("state") == "done"}
    assert finished and finished != GOOD  # killed part-way
    kept = {p: (out / p).stat().st_mtime_ns for p in outputs(out)}
    resumed = batch_cli(folder, "--out", out, env=env)
    assert resumed.returncode == 1
    assert not list(out.rglob("*.part"))  # what a write killed mid-way left is cleared
    final = json.loads(manifest.read_text())["clips"]
    assert {k for k, v in final.items() if v["state"] == "done"} == GOOD
    for rel in finished:  # done exactly once: what finished before the kill was not redone
        for p in final[rel]["outputs"]:
            name = str(Path(p).relative_to(out))
            assert (out / name).stat().st_mtime_ns == kept[name]
    assert outputs(out) == outputs(ref_out)


@pytest.mark.model
def test_existing_file_is_not_overwritten_without_force(folder, tmp_path):
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    mine = out / "a" / "interview.aligned.srt"
    mine.write_text("my own careful work\n")
    results, skipped, _ = run_batch(folder, out=out, mode="align")
    assert ("a/b/interview_de", "no transcript for --mode align") in skipped
    r = next(r for r in results if r.rel == "a/interview")
    assert r.state == "failed" and "--force" in r.reason
    assert mine.read_text() == "my own careful work\n"
    results, _, _ = run_batch(folder, out=out, mode="align", force=True)
    assert next(r for r in results if r.rel == "a/interview").state == "done"
    assert mine.read_text().startswith("1\n")


@pytest.mark.model
def test_dask_cluster_gives_the_same_results(folder, reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    ref_out, _, _ = reference
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        results, lonely, _ = run_batch(folder, out=out, scheduler=cluster.scheduler_address)
    assert {r.rel for r in results if r.state == "done"} == GOOD
    assert [rel for rel, _ in lonely] == ["lonely"]
    ours, ref = outputs(out), outputs(ref_out)
    assert sorted(ours) == sorted(ref)
    for name in ours:  # Dask workers run with other thread settings: scores may differ in the last digit
        if name.endswith(".srt"):
            assert ours[name] == ref[name]
        elif name.endswith(".audit.json"):
            kinds = [[(f["kind"], f["cue"]) for f in json.loads(d)["findings"]] for d in (ours[name], ref[name])]
            assert kinds[0] == kinds[1]


# --- planning and the manifest, without the model ----------------------------------------------

def _clip(tmp_path: Path, name: str, transcript: bool, subtitles: tuple[str, ...]) -> Clip:
    media = tmp_path / f"{name}.mp4"
    media.write_bytes(b"media " + name.encode())
    text = tmp_path / f"{name}.txt"
    if transcript:
        text.write_text("Hello.")
    subs = []
    for tag in subtitles:
        sub = tmp_path / f"{name}{tag}.srt"
        sub.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello.\n")
        subs.append(sub)
    return Clip(media, name, text if transcript else None, tuple(subs))


def test_the_mode_follows_the_companions(tmp_path):
    clips = [_clip(tmp_path, "both", True, ("", ".en")), _clip(tmp_path, "text", True, ()),
             _clip(tmp_path, "subs", False, ("",))]
    jobs = {j.clip.rel: j for j in plan(clips, tmp_path, None, "auto", JobOptions())}
    assert {k: j.mode for k, j in jobs.items()} == {"both": "both", "text": "align", "subs": "audit"}
    assert [p.name for p in jobs["both"].outputs] == ["both.aligned.srt", "both.aligned.json",
                                                      "both.audit.json", "both.en.audit.json"]
    skipped: list[tuple[str, str]] = []
    assert [j.clip.rel for j in plan(clips, tmp_path, None, "align", JobOptions(), skipped)] == ["both", "text"]
    assert skipped == [("subs", "no transcript for --mode align")]


def test_a_job_key_changes_with_its_inputs_and_options(tmp_path):
    clip = _clip(tmp_path, "a", True, ())
    [first] = plan([clip], tmp_path, None, "align", JobOptions(profile="netflix"))
    [other] = plan([clip], tmp_path, None, "align", JobOptions(profile="bbc"))
    clip.transcript.write_text("Hello there.")
    [edited] = plan([clip], tmp_path, None, "align", JobOptions(profile="netflix"))
    assert len({first.key, other.key, edited.key}) == 3
    threads = JobOptions(ModelSpec(threads=3), profile="netflix")  # threads change the speed, not the results
    assert plan([clip], tmp_path, None, "align", threads)[0].key == edited.key


def test_job_options_key_a_clip_as_the_manifests_of_earlier_batches_did():
    # a batch resumed after an upgrade must find its clips done, not run them again
    assert JobOptions().keyed() == {"model": "base", "device": "cpu", "compute_type": "default",
                                    "profile": "netflix", "narrator": None}
    assert JobOptions(language="de").keyed()["language"] == "de"


def test_the_manifest_knows_what_is_done_and_whose_files_are_whose(tmp_path):
    clip = _clip(tmp_path, "a", True, ())
    [job] = plan([clip], tmp_path, tmp_path / "out", "align", JobOptions())
    manifest = Manifest(tmp_path / "m.json")
    manifest.start([job])
    assert manifest.ours(job.outputs[0]) and not manifest.done(job)
    for p in job.outputs:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x")
    manifest.record(job, JobResult("a", "done", outputs=tuple(map(str, job.outputs))))
    again = Manifest(tmp_path / "m.json")  # read back from disk
    assert again.done(job)
    job.outputs[0].unlink()  # an output gone: the clip is to be done again
    assert not again.done(job)


def test_a_manifest_edited_by_hand_keeps_only_entries_of_the_right_shape(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"clips": {"a": {"key": "k", "state": "done", "outputs": []}, "b": 7}, "summaries": 3}')
    manifest = Manifest(path)
    assert list(manifest.entries) == ["a"] and manifest.summaries == []
    path.write_text("not json")
    assert Manifest(path).entries == {}


def test_a_batchs_key_holds_the_settings_that_change_its_outputs():
    from aligner.batch import JobOptions

    default = JobOptions().keyed()
    assert "speakers" not in default and "shot_changes" not in default  # keys made before both still match
    assert JobOptions(speakers="voices", shot_changes="off").keyed() == {**default, "speakers": "voices",
                                                                          "shot_changes": "off"}


def _stubborn() -> None:
    """A worker deep in a native call: SIGTERM does not reach it."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(60)


def _obliging() -> None:
    time.sleep(60)


def test_a_worker_that_does_not_stop_when_asked_is_killed():
    import multiprocessing

    from aligner.batch.run import stop_workers

    children = [multiprocessing.Process(target=f) for f in (_stubborn, _obliging)]
    for child in children:
        child.start()
    time.sleep(0.5)  # the stubborn one has set its handler
    t0 = time.monotonic()
    killed = stop_workers(children, grace=1.0)
    assert killed == [children[0].pid] and time.monotonic() - t0 < 10
    assert not any(child.is_alive() for child in children)
    # the obliging one stopped on SIGTERM (by the signal, or as KeyboardInterrupt where a test
    # before this one installed aligner's handler and the fork inherited it), not by a kill
    assert children[0].exitcode == -signal.SIGKILL and children[1].exitcode in (-signal.SIGTERM, 1)
