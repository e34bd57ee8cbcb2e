"""Temporary folders of a run's own, and the ones killed runs left behind.

A run keeps its decoded audio and its chunks' encodings in temporary folders, removed as it
ends. A process killed outright (SIGKILL, the out-of-memory killer, a power cut) cannot: an
hour's encodings are some 360 MB. Each folder's name holds its process id, so the next run
removes those whose process is gone and that nobody has touched for ``STALE_AFTER`` (the age
keeps a live run safe where process ids are not all visible, as in another container sharing
the temporary folder).
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["STALE_AFTER", "process_dir", "scratch_dir", "scratch_prefix", "stale", "sweep"]

log = logging.getLogger(__name__)

STALE_AFTER = 6 * 3600.0  # seconds: an hour-long audit works in its folders for ~10 minutes
_NAME = re.compile(r"^aligner-[a-z]+-(\d+)-")


def scratch_prefix(kind: str) -> str:
    """The name a temporary folder of ``kind`` (``audio``, ``enc``) of this process begins with."""
    return f"aligner-{kind}-{os.getpid()}-"


def scratch_dir(kind: str) -> Path:
    """A new temporary folder of ``kind`` for this process, after removing stale ones."""
    sweep()
    return Path(tempfile.mkdtemp(prefix=scratch_prefix(kind)))


def process_dir(kind: str) -> Path:
    """A temporary folder of ``kind`` for the rest of this process, removed as it exits (a
    bench's recognition cache: gigabytes over a day of runs); named as ``scratch_dir``'s are,
    so one a killed process left is swept."""
    path = scratch_dir(kind)
    atexit.register(shutil.rmtree, path, True)
    return path


def stale(name: str, age: float, alive: Callable[[int], bool], older_than: float = STALE_AFTER) -> bool:
    """Whether the folder ``name``, last changed ``age`` seconds ago, was left by a run that
    is gone: one of ours (``scratch_prefix``), of a process not ``alive``, old enough."""
    found = _NAME.match(name)
    return found is not None and age > older_than and not alive(int(found.group(1)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and is someone else's
        return True
    return True


def sweep(where: str | Path | None = None) -> int:
    """Remove the stale folders (``stale``) in the temporary folder; returns how many."""
    root = Path(where or tempfile.gettempdir())
    now, gone = time.time(), 0
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False) and stale(entry.name, now - entry.stat().st_mtime, _alive):
                shutil.rmtree(entry.path, ignore_errors=True)
                gone += 1
        except OSError:
            continue
    if gone:
        log.info("removed %d temporary folder(s) that killed runs left in %s", gone, root)
    return gone
