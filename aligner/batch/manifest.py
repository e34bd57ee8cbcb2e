"""The batch's memory on disk: what each clip was run with, its state and its outputs, and the
lock that keeps a second batch off the same output folder."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path

from ..errors import InputError
from ..runtime.textio import write_text_atomic
from .types import Job, JobResult

log = logging.getLogger(__name__)


MANIFEST = "aligner-manifest.json"


LOCK = ".aligner-batch.lock"


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

    def record_failures(self, results: Iterable[JobResult]) -> None:
        """Clips (and folders) that failed before they became jobs. What an earlier run wrote
        for them stays this batch's own (``ours``), so a later run may replace it."""
        for r in results:
            old = self.entries.get(r.rel, {})
            self.entries[r.rel] = {**old, "state": "failed", "reason": r.reason,
                                   "planned": sorted({*old.get("planned", []), *old.get("outputs", [])})}
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
