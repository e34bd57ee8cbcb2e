"""The coordinator: survey, plan, skip what the manifest says is done, run the rest in worker
processes or on a Dask cluster, record each result the moment it arrives, write the summaries."""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..errors import InputError, OutputError
from ..runtime.textio import check_writable, remove_leftovers
from .discovery import survey
from .jobs import init_worker, plan, run_job
from .manifest import MANIFEST, SUMMARIES, Manifest, folder_lock
from .summary import summary_rows, write_summaries
from .types import Job, JobOptions, JobResult

log = logging.getLogger(__name__)


# A worker's peak memory on the bundled base model, rounded up (bench_speed: 610-700 MB for a
# clip, about 1 GB for an hour-long one): how many workers the machine's memory allows.
WORKER_MEMORY = 1.5 * 2**30
# Seconds a worker asked to stop is given to clean up before it is killed (``stop_workers``):
# a stopping worker removes its temporary folders in well under a second once its native
# call returns, and a user who pressed Ctrl-C expects the batch to end within seconds.
STOP_GRACE = 10.0


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
    found = survey(folder)
    skipped = [(rel, "no transcript or subtitles beside it") for rel in found.lonely] + found.skipped
    results = [JobResult(rel, "failed", reason) for rel, reason in found.failed]
    planned = plan(found.clips, folder, out, run.mode, options, skipped, results)
    manifest.record_failures(results)
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
    order = {c.rel: k for k, c in enumerate(found.clips)}
    results.sort(key=lambda r: order.get(r.rel, len(order)))  # as found; unreadable folders last
    return results, skipped


def _clear_leftovers(paths: Iterable[Path]) -> None:
    """Half-written temporary files of a run that was killed, beside the outputs this run
    writes: the outputs themselves are whole or absent (written atomically), the leftovers
    are litter."""
    gone = sum(remove_leftovers(p) for p in paths)
    if gone:
        log.info("removed %d temporary file(s) a killed run left", gone)


def stop_workers(children: Sequence[BaseProcess], grace: float = STOP_GRACE) -> list[int]:
    """Ask each worker to stop (SIGTERM: it cleans up its temporary files as it stops), and
    kill those still running ``grace`` seconds later; returns the process ids killed. A
    signal reaches Python only between native calls, and one call into CTranslate2 can
    outlast any wait: with Intel's kernels forced on an AMD CPU a worker took over a minute
    to stop, and a batch asked to stop must stop. What a killed worker leaves, its next run
    removes (``runtime.scratch``, ``remove_leftovers``)."""
    for child in children:
        child.terminate()
    deadline = time.monotonic() + grace
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
    killed = [child for child in children if child.is_alive()]
    for child in killed:
        log.warning("a worker (pid %s) was still running %.0f s after being asked to stop: killed", child.pid, grace)
        child.kill()
        child.join()
    return [child.pid for child in killed if child.pid is not None]


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
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=init_worker, initargs=(threads,))
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
        stop_workers(multiprocessing.active_children())
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
