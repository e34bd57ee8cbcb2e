"""``aligner batch``: every video in a folder tree, resumable, in parallel, or on a Dask cluster.

The coordinator plans one job per clip, skips what the manifest says is done with the same
inputs and options, and records each result the moment it arrives; workers (local processes
or Dask workers) load the model once each and write their outputs atomically. Killing the
run at any moment therefore loses nothing finished and leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from html import escape
from pathlib import Path

from .errors import AlignerError, InputError, OutputError, sigterm_as_interrupt
from .reports.csv import safe_cell
from .runtime.model import ModelSpec
from .runtime.textio import check_writable, remove_leftovers, write_text_atomic

__all__ = ["Clip", "Job", "JobResult", "discover", "plan", "run_batch", "run_job"]

log = logging.getLogger(__name__)

MEDIA_EXTENSIONS = {".mp4", ".mkv", ".mov", ".webm", ".avi", ".m4v", ".mpg", ".mpeg", ".ts", ".mxf",
                    ".wav", ".mp3", ".flac", ".m4a", ".aac", ".ogg", ".opus"}
TRANSCRIPT_EXTENSIONS = (".txt", ".md")
SUBTITLE_EXTENSIONS = (".srt", ".vtt")
OUTPUT_MARKERS = (".aligned.", ".audit.", ".fixed.")  # our own outputs are never inputs
MANIFEST = "aligner-manifest.json"

# A worker's peak memory on the bundled base model, rounded up (bench_speed: 610-700 MB for a
# clip, about 1 GB for an hour-long one): how many workers the machine's memory allows.
WORKER_MEMORY = 1.5 * 2**30


def worker_layout(jobs: int | None = None, cores: int | None = None,
                  memory: int | None = None) -> tuple[int, int]:
    """(processes, CTranslate2 threads each) for a batch on this machine.

    ``jobs`` processes when asked, sharing the cores so they are never oversubscribed. Else one
    thread a process, as many processes as cores, as memory allows: whole clips in parallel
    scale better than one clip's matrix products over several threads (bench_batch on 2
    cores: 2 processes of 1 thread 1.45 times as fast as 1 of 2). Threads take up the cores
    that memory leaves without a process."""
    cores = cores or os.cpu_count() or 1
    if jobs is not None:
        return jobs, max(1, cores // jobs)
    if memory is None:
        try:
            memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError, AttributeError):  # not a POSIX system: cores decide
            memory = cores * int(WORKER_MEMORY)
    processes = max(1, min(cores, int(memory // WORKER_MEMORY)))
    return processes, max(1, cores // processes)
LOCK = ".aligner-batch.lock"


@dataclass(frozen=True)
class Clip:
    media: Path
    rel: str  # path relative to the folder, without the media extension
    transcript: Path | None
    subtitles: tuple[Path, ...]


@dataclass(frozen=True)
class JobOptions:
    """What every clip of a batch runs with: the model, the cue profile, the narrator's name
    for unattributed text, and the language (None: found in each clip). The command line's
    defaults."""

    model: ModelSpec = field(default_factory=ModelSpec)
    profile: str = "netflix"
    narrator: str | None = None
    language: str | None = None

    def keyed(self) -> dict:
        """What a job's key holds of the options, under the manifest's own names (a batch
        resumed after an upgrade keys its clips alike and does not run them again); the
        threads are left out: they change the speed, not the results."""
        out = {"model": self.model.name, "device": self.model.device, "compute_type": self.model.compute_type,
               "profile": self.profile, "narrator": self.narrator}
        if self.language:
            out["language"] = self.language
        return out


@dataclass(frozen=True)
class Job:
    clip: Clip
    mode: str  # "align", "audit" or "both"
    outputs: tuple[Path, ...]
    key: str  # hash of the inputs' bytes and the options
    options: JobOptions = field(default_factory=JobOptions)


@dataclass(frozen=True)
class JobResult:
    rel: str
    state: str  # "done" or "failed"
    reason: str = ""
    outputs: tuple[str, ...] = ()
    duration: float = 0.0  # seconds of audio
    findings: dict = field(default_factory=dict)  # audit summary, per subtitle file
    errors: int = 0  # audit findings of severity error
    checks: int = 0  # audit findings of severity check: a person should listen; they fail nothing


def discover(folder: Path) -> tuple[list[Clip], list[str]]:
    """Videos and their companions by name: clip.mp4 with clip.txt/clip.md and
    clip.srt, clip.vtt, clip.en.srt ... Returns (clips, names of videos with no companion)."""
    clips, lonely = [], []
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in MEDIA_EXTENSIONS
                   and not any(m in p.name for m in OUTPUT_MARKERS))
    stems = [p.with_suffix("") for p in found]
    for media in found:
        stem = media.with_suffix("")
        transcript = next((stem.with_suffix(ext) for ext in TRANSCRIPT_EXTENSIONS
                           if stem.with_suffix(ext).is_file()), None)
        subs = tuple(sorted(
            p for p in media.parent.iterdir()
            if p.is_file() and p.suffix.lower() in SUBTITLE_EXTENSIONS and not any(m in p.name for m in OUTPUT_MARKERS)
            and (p.stem == stem.name or (p.stem.startswith(stem.name + ".") and "." not in p.stem[len(stem.name) + 1:]))
        ))
        rel = str(stem.relative_to(folder))
        if stems.count(stem) > 1:  # a.mp4 and a.m4a: one clip each, the extension kept in their names
            rel = str(media.relative_to(folder))
        if transcript is None and not subs:
            lonely.append(rel)
            continue
        clips.append(Clip(media, rel, transcript, subs))
    return clips, lonely


def _digest(paths: Iterable[Path], options: dict) -> str:
    """What a job's result depends on: its inputs' names and contents, and the options."""
    from .runtime.cache import file_sha256

    h = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for p in paths:
        h.update(p.name.encode())
        h.update(file_sha256(p).encode())
    return h.hexdigest()[:32]


def _outputs(clip: Clip, mode: str, folder: Path, out: Path | None) -> tuple[Path, ...]:
    base = (out / clip.rel) if out else (folder / clip.rel)
    paths: list[Path] = []
    if mode in ("align", "both"):
        paths += [base.parent / f"{base.name}.aligned.srt", base.parent / f"{base.name}.aligned.json"]
    if mode in ("audit", "both"):
        for sub in clip.subtitles:
            tag = sub.name[len(clip.media.with_suffix("").name):-len(sub.suffix)]  # "", ".en"
            paths.append(base.parent / f"{base.name}{tag}.audit.json")
    return tuple(paths)


def plan(clips: list[Clip], folder: Path, out: Path | None, mode: str, options: JobOptions,
         skipped: list[tuple[str, str]] | None = None) -> list[Job]:
    """One job per clip; clips the mode has nothing to do for go to ``skipped`` with a reason."""
    jobs = []
    for clip in clips:
        m = mode
        if mode == "auto":
            m = "both" if clip.transcript and clip.subtitles else "align" if clip.transcript else "audit"
        elif (mode == "align" and clip.transcript is None) or (mode == "audit" and not clip.subtitles):
            if skipped is not None:
                skipped.append((clip.rel, f"no {'transcript' if mode == 'align' else 'subtitles'} for --mode {mode}"))
            continue
        inputs = [clip.media] + ([clip.transcript] if clip.transcript else []) + list(clip.subtitles)
        jobs.append(Job(clip, m, _outputs(clip, m, folder, out), _digest(inputs, {**options.keyed(), "mode": m}),
                        options))
    return jobs


def run_job(job: Job) -> JobResult:
    """One clip, start to finish; never raises for a bad clip (it is a result, not a crash)."""
    from .auditing.run import audit
    from .hearing.encodings import release_shared
    from .pipeline import align
    from .reports import write_report

    opts = job.options
    written: list[str] = []
    try:
        for p in job.outputs:
            p.parent.mkdir(parents=True, exist_ok=True)
        duration, findings, errors, checks = 0.0, {}, 0, 0
        if job.mode in ("align", "both"):
            assert job.clip.transcript is not None  # planned as align only with a transcript
            result = align(job.clip.media, job.clip.transcript, model=opts.model, language=opts.language,
                           narrator=opts.narrator, profile=opts.profile)
            srt, js = job.outputs[0], job.outputs[1]
            write_text_atomic(srt, result.to_srt())
            write_text_atomic(js, result.to_json())
            written += [str(srt), str(js)]
            duration = result.duration
        if job.mode in ("audit", "both"):
            audit_outputs = [p for p in job.outputs if p.name.endswith(".audit.json")]
            for sub, target in zip(job.clip.subtitles, audit_outputs):
                report = audit(job.clip.media, sub, transcript=job.clip.transcript, model=opts.model,
                               language=opts.language, profile=opts.profile)
                write_report(report, target)
                written.append(str(target))
                findings[sub.name] = report.summary
                errors += sum(f.severity == "error" for f in report.findings)
                checks += sum(f.severity == "check" for f in report.findings)
                duration = report.duration
        return JobResult(job.clip.rel, "done", "", tuple(written), duration, findings, errors, checks)
    except AlignerError as exc:
        return JobResult(job.clip.rel, "failed", str(exc), tuple(written))
    except Exception as exc:  # a bug on one clip must not stop the other 316
        return JobResult(job.clip.rel, "failed", f"internal error: {type(exc).__name__}: {exc}", tuple(written))
    finally:
        release_shared()


def _init_worker(threads: int) -> None:
    """A pool worker: its share of the cores, and no sidecar process (``aligner.runtime.sidecar``):
    the other workers keep the other cores busy.

    NumPy is loaded first: OpenBLAS reads ``OMP_NUM_THREADS`` once, when it loads, and its
    sums differ with it (Whisper's word probabilities on the interview clip 0.942 against
    0.943). Loaded after the variable is set, a worker's results would differ from a single
    process's and from the cache an earlier run filled."""
    import numpy  # noqa: F401

    from .runtime import sidecar

    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    sidecar.disable()
    sigterm_as_interrupt()  # stopped by the coordinator: clean up like Ctrl-C


class Manifest:
    """Per clip: the key of its inputs and options, its state, its outputs. Rewritten whole,
    atomically, after every result."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict] = {}
        self.summaries: list[str] = []
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            data = data if isinstance(data, dict) else {}
            clips: dict = data["clips"] if isinstance(data.get("clips"), dict) else {}
            # A manifest edited by hand or by another tool: keep only entries of the right shape.
            self.entries = {str(k): v for k, v in clips.items() if _valid_entry(v)}
            summaries = data.get("summaries")
            self.summaries = [str(p) for p in summaries] if isinstance(summaries, list) else []

    def done(self, job: Job) -> bool:
        e = self.entries.get(job.clip.rel)
        done = bool(e and e.get("key") == job.key and e.get("state") == "done"
                    and all(Path(p).exists() for p in e.get("outputs", [])))
        if e and not done:
            log.debug("%s: in the manifest but to be done again (inputs, options or outputs changed)", job.clip.rel)
        return done

    def ours(self, path: Path) -> bool:
        return any(str(path) in (*e.get("outputs", []), *e.get("planned", [])) for e in self.entries.values())

    def start(self, todo: list[Job]) -> None:
        """Claim the outputs before any is written: a run killed after a worker wrote them but
        before their result was recorded must still know them as its own."""
        for job in todo:
            entry = self.entries.setdefault(job.clip.rel, {})
            entry["planned"] = sorted({*entry.get("planned", []), *map(str, job.outputs)})
            entry.setdefault("state", "pending")
        self._save()

    def record(self, job: Job, result: JobResult) -> None:
        planned = self.entries.get(job.clip.rel, {}).get("planned", [])
        self.entries[job.clip.rel] = {"key": job.key, "media": str(job.clip.media), **asdict(result),
                                      "planned": planned}
        self._save()

    def add_summaries(self, paths: Iterable[Path]) -> None:
        self.summaries = sorted({*self.summaries, *map(str, paths)})
        self._save()

    def _save(self) -> None:
        write_text_atomic(self.path, json.dumps({"version": 1, "clips": self.entries, "summaries": self.summaries},
                                                indent=1) + "\n")


def _valid_entry(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    lists = [entry.get(k, []) for k in ("outputs", "planned")]
    return (all(isinstance(v, list) and all(isinstance(p, str) for p in v) for v in lists)
            and isinstance(entry.get("key", ""), str) and isinstance(entry.get("state", ""), str)
            and isinstance(entry.get("findings", {}), dict) and isinstance(entry.get("errors", 0), int)
            and isinstance(entry.get("checks", 0), int)
            and isinstance(entry.get("duration", 0.0), (int, float)))


SUMMARIES = ("summary.csv", "summary.html")


@contextlib.contextmanager
def folder_lock(where: Path) -> Iterator[Path]:
    """One batch at a time on an output folder: a second one started on it is told so at
    once, instead of both redoing everything and overwriting each other."""
    import fcntl

    path = where / LOCK
    fh = open(path, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise InputError(f"{where}: another aligner batch is running on this folder ({path} is locked)") from None
    try:
        yield path
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def run_batch(
    folder: Path,
    *,
    out: Path | None = None,
    jobs: int = 1,
    mode: str = "auto",
    scheduler: str | None = None,
    force: bool = False,
    options: JobOptions | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> tuple[list[JobResult], list[tuple[str, str]], Path]:
    """Run every clip and write the summaries; returns (results, (clip, reason) of those
    skipped, the manifest's path). The output folder is checked and locked before any work.
    ``options`` (``JobOptions``) hold what each clip runs with; its model's threads, when 0,
    are the machine's cores shared among the ``jobs`` workers."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    where = out or folder
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{where}: cannot be made ({exc.strerror})") from None
    check_writable(where)
    with folder_lock(where):
        _clear_leftovers([where / MANIFEST, *(where / n for n in SUMMARIES)])
        manifest = Manifest(where / MANIFEST)
        theirs = [where / n for n in SUMMARIES if (where / n).exists() and str(where / n) not in manifest.summaries]
        if theirs and not force:
            raise OutputError(f"{theirs[0]} exists and is not this batch's summary; use --force to overwrite it")
        run = _Run(folder, out, jobs, mode, scheduler, force, options or JobOptions(), progress)
        results, skipped = _run(run, manifest)
        summaries = write_summaries(summary_rows(results, skipped), where)
        manifest.add_summaries(summaries)
    return results, skipped, manifest.path


@dataclass(frozen=True)
class _Run:
    """A batch as asked for (``run_batch``'s arguments)."""

    folder: Path
    out: Path | None
    jobs: int
    mode: str
    scheduler: str | None
    force: bool
    options: JobOptions
    progress: Callable[[int, int, float], None] | None


def _run(run: _Run, manifest: Manifest) -> tuple[list[JobResult], list[tuple[str, str]]]:
    folder, out, jobs, force, progress = run.folder, run.out, run.jobs, run.force, run.progress
    options = run.options
    if jobs > 1 and not options.model.threads:
        options = replace(options, model=replace(options.model, threads=worker_layout(jobs)[1]))  # never more
    clips, lonely = discover(folder)
    skipped = [(rel, "no transcript or subtitles beside it") for rel in lonely]
    planned = plan(clips, folder, out, run.mode, options, skipped)
    results: list[JobResult] = []
    todo: list[Job] = []
    for job in planned:
        if manifest.done(job):
            e = manifest.entries[job.clip.rel]
            results.append(JobResult(job.clip.rel, "done", "unchanged: skipped", tuple(e["outputs"]),
                                     e.get("duration", 0.0), e.get("findings", {}), e.get("errors", 0),
                                     e.get("checks", 0)))
            continue
        clash = [p for p in job.outputs if p.exists() and not manifest.ours(p)]
        if clash and not force:
            r = JobResult(job.clip.rel, "failed", f"{clash[0]} exists and is not this batch's output; use --force")
            results.append(r)
            manifest.record(job, r)
            continue
        todo.append(job)
    _clear_leftovers([p for job in todo for p in job.outputs])
    manifest.start(todo)
    done_audio = 0.0
    if progress:
        progress(0, len(todo), 0.0)
    for n, (job, result) in enumerate(_execute(todo, jobs, run.scheduler, options.model.threads or 1), 1):
        manifest.record(job, result)
        results.append(result)
        done_audio += result.duration
        if progress:
            progress(n, len(todo), done_audio)
    order = {j.clip.rel: k for k, j in enumerate(planned)}
    results.sort(key=lambda r: order.get(r.rel, 0))
    return results, skipped


def _clear_leftovers(paths: Iterable[Path]) -> None:
    """Half-written temporary files of a run that was killed, beside the outputs this run
    writes: the outputs themselves are whole or absent (written atomically), the leftovers
    are litter."""
    gone = sum(remove_leftovers(p) for p in paths)
    if gone:
        log.info("removed %d temporary file(s) a killed run left", gone)


def _execute(todo: list[Job], jobs: int, scheduler: str | None, threads: int) -> Iterator[tuple[Job, JobResult]]:
    if not todo:
        return
    if scheduler:
        try:
            from distributed import Client
            from distributed import as_completed as dask_completed
        except ImportError:
            raise InputError("--scheduler needs Dask: pip install 'aligner[cluster]'") from None
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
        with client:
            futures = {client.submit(run_job, job, pure=False): job for job in todo}
            for fut in dask_completed(futures):
                job = futures[fut]
                try:
                    yield job, fut.result()
                except Exception as exc:  # a worker lost mid-job
                    yield job, JobResult(job.clip.rel, "failed", f"worker failed: {type(exc).__name__}: {exc}")
        return
    if jobs <= 1:
        for job in todo:
            yield job, run_job(job)
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(threads,))
    try:
        pending = {pool.submit(run_job, job): job for job in todo}
        for fut in as_completed(pending):
            job = pending[fut]
            try:
                yield job, fut.result()
            except Exception as exc:  # the worker process died (out of memory, killed)
                yield job, JobResult(job.clip.rel, "failed", f"worker failed: {type(exc).__name__}: {exc}")
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM): stop the workers now rather than let them finish clips
        # the manifest will not record; each cleans up its temporary files as it stops.
        for child in multiprocessing.active_children():
            child.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


# ---------------------------------------------------------------- summary


def summary_rows(results: list[JobResult], skipped: list[tuple[str, str]]) -> list[dict]:
    rows = []
    for r in results:
        findings = "; ".join(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(s.items()))
                             for name, s in r.findings.items())
        rows.append({"clip": r.rel, "state": r.state, "reason": r.reason, "audio_s": round(r.duration, 1),
                     "audit_errors": r.errors, "audit_checks": r.checks, "findings": findings,
                     "outputs": " ".join(r.outputs)})
    rows += [{"clip": rel, "state": "skipped", "reason": reason, "audio_s": 0, "audit_errors": 0,
              "audit_checks": 0, "findings": "", "outputs": ""} for rel, reason in skipped]
    return rows


def write_summaries(rows: list[dict], where: Path) -> tuple[Path, Path]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["clip"], lineterminator="\n")
    writer.writeheader()
    writer.writerows([{k: safe_cell(v) for k, v in r.items()} for r in rows])
    csv_path, html_path = where / SUMMARIES[0], where / SUMMARIES[1]
    write_text_atomic(csv_path, buf.getvalue())
    colour = {"done": "#1b7f3b", "failed": "#b00020", "skipped": "#777"}
    body = "".join(
        f"<tr><td>{escape(r['clip'])}</td><td style='color:{colour.get(r['state'], '#222')}'>{r['state']}</td>"
        f"<td>{escape(r['reason'])}</td><td>{r['audio_s']}</td><td>{r['audit_errors']}</td>"
        f"<td>{r['audit_checks']}</td><td>{escape(r['findings'])}</td></tr>" for r in rows)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    write_text_atomic(html_path, f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>aligner batch summary</title><style>body{{font:14px system-ui,sans-serif;margin:24px}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:6px;text-align:left}}
th{{background:#f3f3f3}}</style></head><body><h1>aligner batch — {stamp}</h1>
<table><tr><th>clip</th><th>state</th><th>reason</th><th>audio (s)</th><th>audit errors</th><th>to check</th>
<th>findings</th></tr>
{body}</table></body></html>
""")
    return csv_path, html_path
