"""One job per clip, keyed by its inputs' bytes and the options, and run start to finish with
its outputs written all or none; a bad clip is a result, never a crash."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import AlignerError, InputError, sigterm_as_interrupt
from ..runtime.textio import OutputSet, atomic_outputs, not_a_file
from .discovery import reason_of
from .types import Clip, Job, JobOptions, JobResult

log = logging.getLogger(__name__)


def _roles(clip: Clip) -> list[tuple[str, Path]]:
    """A clip's inputs, each with what it is for (named so in a message)."""
    return ([("media", clip.media)] + ([("transcript", clip.transcript)] if clip.transcript else [])
            + [("subtitles", s) for s in clip.subtitles])


def _digest(inputs: Iterable[tuple[str, Path]], options: dict) -> str:
    """What a job's result depends on: its inputs' names and contents, and the options. An
    input that cannot be read raises an InputError naming it: the clip fails, not the batch."""
    h = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    for role, p in inputs:
        h.update(os.fsencode(p.name))  # a name that is not UTF-8 is still a name
        h.update(_input_sha256(role, p).encode())
    return h.hexdigest()[:32]


def _input_sha256(role: str, path: Path) -> str:
    """The hash of one input, refused in one line when it is not a readable regular file (a
    pipe would hang the hash, a folder or a vanished file would raise). A name that is not
    UTF-8 is taken: the outputs record it as its escapes."""
    from ..runtime.cache import file_sha256

    try:
        problem = not_a_file(path.stat().st_mode)
        if problem:
            raise InputError(f"cannot read {role} {path}: {problem}")
        return file_sha256(path)
    except OSError as exc:
        raise InputError(f"cannot read {role} {path}: {reason_of(exc)}") from None


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
         skipped: list[tuple[str, str]] | None = None, failed: list[JobResult] | None = None) -> list[Job]:
    """One job per clip; clips the mode has nothing to do for go to ``skipped`` with a reason.
    A clip with an input that cannot be read (no permission, gone since it was found, a
    folder) goes to ``failed`` with the one line saying which; without that list, it raises."""
    jobs = []
    for clip in clips:
        m = mode
        if mode == "auto":
            m = "both" if clip.transcript and clip.subtitles else "align" if clip.transcript else "audit"
        elif (mode == "align" and clip.transcript is None) or (mode == "audit" and not clip.subtitles):
            if skipped is not None:
                skipped.append((clip.rel, f"no {'transcript' if mode == 'align' else 'subtitles'} for --mode {mode}"))
            continue
        try:
            key = _digest(_roles(clip), {**options.keyed(), "mode": m})
        except InputError as exc:
            if failed is None:
                raise
            failed.append(JobResult(clip.rel, "failed", str(exc)))
            continue
        jobs.append(Job(clip, m, _outputs(clip, m, folder, out), key, options))
    return jobs


def run_job(job: Job) -> JobResult:
    """One clip, start to finish; never raises for a bad clip (it is a result, not a crash).
    Its outputs are all written or none (``atomic_outputs``): a clip failed part-way, or on a
    full disk, leaves no aligned SRT without its JSON nor an alignment without its audit."""
    from ..hearing.encodings import release_shared

    try:
        for p in job.outputs:
            p.parent.mkdir(parents=True, exist_ok=True)
        with atomic_outputs() as outputs:
            return _work(job, outputs)
    except AlignerError as exc:
        return JobResult(job.clip.rel, "failed", str(exc))
    except OSError as exc:  # a folder or file the system refused mid-job: one line, as for bad input
        where = f" {exc.filename}" if exc.filename else ""
        return JobResult(job.clip.rel, "failed", f"cannot read or write{where}: {reason_of(exc)}")
    except Exception as exc:  # a bug on one clip must not stop the other 316
        return JobResult(job.clip.rel, "failed", f"internal error: {type(exc).__name__}: {exc}")
    finally:
        release_shared()


def _work(job: Job, outputs: OutputSet) -> JobResult:
    """The clip aligned and audited as its mode says, every output staged in ``outputs``."""
    from ..auditing.run import audit
    from ..pipeline import align
    from ..reports import write_report

    opts = job.options
    written: list[str] = []
    duration, findings, errors, checks = 0.0, {}, 0, 0
    if job.mode in ("align", "both"):
        assert job.clip.transcript is not None  # planned as align only with a transcript
        result = align(job.clip.media, job.clip.transcript, model=opts.model, language=opts.language,
                       narrator=opts.narrator, profile=opts.profile, shot_changes=opts.shot_changes,
                       speakers=opts.speakers)
        srt, js = job.outputs[0], job.outputs[1]
        outputs.write_text(srt, result.to_srt())
        outputs.write_text(js, result.to_json())
        written += [str(srt), str(js)]
        duration = result.duration
    if job.mode in ("audit", "both"):
        audit_outputs = [p for p in job.outputs if p.name.endswith(".audit.json")]
        for sub, target in zip(job.clip.subtitles, audit_outputs):
            report = audit(job.clip.media, sub, transcript=job.clip.transcript, model=opts.model,
                           language=opts.language, profile=opts.profile, shot_changes=opts.shot_changes,
                           speakers=opts.speakers != "transcript")
            write_report(report, target, outputs=outputs)
            written.append(str(target))
            findings[sub.name] = report.summary
            errors += sum(f.severity == "error" for f in report.findings)
            checks += sum(f.severity == "check" for f in report.findings)
            duration = report.duration
    return JobResult(job.clip.rel, "done", "", tuple(written), duration, findings, errors, checks)


def init_worker(threads: int) -> None:
    """A pool worker: its share of the cores, and no sidecar process (``aligner.runtime.sidecar``):
    the other workers keep the other cores busy.

    NumPy is loaded first: OpenBLAS reads ``OMP_NUM_THREADS`` once, when it loads, and its
    sums differ with it (Whisper's word probabilities on the interview clip 0.942 against
    0.943). Loaded after the variable is set, a worker's results would differ from a single
    process's and from the cache an earlier run filled."""
    import numpy  # noqa: F401

    from ..runtime import sidecar

    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    sidecar.disable()
    sigterm_as_interrupt()  # stopped by the coordinator: clean up like Ctrl-C
