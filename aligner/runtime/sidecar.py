"""A second Python process for work that holds Python's lock on the machine's other core.

PocketSphinx's binding keeps the interpreter lock through a whole utterance, so its acoustic
re-timing (``acoustic.retime``) runs on one core however many threads ask; by the time it
runs, Whisper's work is done and the other core idles (on a 2-core machine, 2 of align's 8 s
on the news clip). A sidecar is one plain child process (``python -m aligner.runtime.sidecar``, not
``multiprocessing``: that would import the caller's main script again, and a script without
a ``__main__`` guard would then run twice) that takes calls of module-level functions over
a pipe, pickled, one at a time, and sends back each result with the log records it made (so
that a ``-v`` run still shows which rule fired there).

One sidecar a process, started on first use (``warm`` starts it while the audio is heard)
and ended when the process ends or its pipe closes. It is not used on a one-core machine,
nor where ``disable`` was called: a batch worker that owns one core of a pool. A sidecar
that fails is given up for the process's lifetime; its callers do the work themselves.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

__all__ = ["Sidecar", "SidecarError", "disable", "get", "warm"]

log = logging.getLogger(__name__)


class SidecarError(RuntimeError):
    """The sidecar failed a call or is gone; the caller does the work itself."""


class Sidecar:
    """The child process and its two pipes; ``call`` is safe from any thread (one call at a
    time)."""

    def __init__(self) -> None:
        req_read, req_write = os.pipe()
        res_read, res_write = os.pipe()
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
                   OMP_NUM_THREADS="1")
        self.process = subprocess.Popen(
            [sys.executable, "-c", f"from aligner.runtime.sidecar import serve; serve({req_read}, {res_write})"],
            pass_fds=(req_read, res_write), env=env, stdin=subprocess.DEVNULL, close_fds=True)
        os.close(req_read)
        os.close(res_write)
        self._send: BinaryIO = os.fdopen(req_write, "wb")
        self._receive: BinaryIO = os.fdopen(res_read, "rb")
        self.lock = threading.Lock()

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` run in the sidecar (a module-level function, arguments that
        pickle); its log records are handled here as if made here."""
        with self.lock:
            self.send(function, *args)
            return self.receive()

    def send(self, function: Callable[..., Any], *args: Any) -> None:
        """Queue a call without waiting for it (the caller holds ``lock`` from its first
        ``send`` to its last ``receive``). Calls are answered in order; keep each call's
        arguments small (a few kB: a file's name, not its samples), since a call is written
        while the sidecar may be writing an answer."""
        level = logging.getLogger("aligner").getEffectiveLevel()
        try:
            pickle.dump((function, args, level), self._send, protocol=pickle.HIGHEST_PROTOCOL)
            self._send.flush()
        except (OSError, pickle.PickleError) as exc:
            raise SidecarError(f"the sidecar process is gone ({type(exc).__name__})") from None

    def receive(self) -> Any:
        """The answer to the oldest call not yet answered."""
        try:
            ok, value, records = pickle.load(self._receive)
        except (OSError, EOFError, pickle.PickleError) as exc:
            raise SidecarError(f"the sidecar process is gone ({type(exc).__name__})") from None
        for record in records:
            logging.getLogger(record.name).handle(record)
        if not ok:
            raise SidecarError(value)
        return value

    def close(self) -> None:
        for pipe in (self._send, self._receive):
            try:
                pipe.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


_state: dict[str, Any] = {"sidecar": None, "disabled": False}
_start_lock = threading.Lock()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def get() -> Sidecar | None:
    """This process's sidecar, started now if need be; None on one core, when disabled, or
    when it could not start."""
    with _start_lock:
        if _state["disabled"] or _cores() < 2:
            return None
        if _state["sidecar"] is None:
            try:
                started = Sidecar()
            except OSError as exc:
                log.debug("no sidecar process: %s", exc)
                _state["disabled"] = True
                return None
            atexit.register(started.close)
            _state["sidecar"] = started
        return _state["sidecar"]


def warm(function: Callable[..., Any], *args: Any) -> None:
    """Start the sidecar and have it run ``function(*args)`` (loading what it will need), in a
    thread of its own, so that the caller goes on at once."""
    def run() -> None:
        found = get()
        if found is None:
            return
        try:
            found.call(function, *args)
        except SidecarError as exc:
            give_up(exc)

    threading.Thread(target=run, name="sidecar-warm", daemon=True).start()


def give_up(exc: Exception) -> None:
    """A failed sidecar is not asked again in this process."""
    log.debug("sidecar given up: %s", exc)
    disable()


def disable() -> None:
    """No sidecar in this process (a batch worker that owns one core of a pool)."""
    with _start_lock:
        _state["disabled"] = True


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info = record.getMessage(), None, None  # pickles
        self.records.append(record)


def serve(read_fd: int, write_fd: int) -> None:
    """The sidecar's loop: a call in, its result out, until the pipe closes. Ctrl-C is the
    parent's to handle (its pipes then close, which ends this loop)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collect = _Collect()
    root = logging.getLogger("aligner")
    root.addHandler(collect)
    root.propagate = False
    try:
        with os.fdopen(read_fd, "rb") as inp, os.fdopen(write_fd, "wb") as out:
            while True:
                try:
                    function, args, level = pickle.load(inp)
                except EOFError:
                    return
                root.setLevel(level)
                collect.records = []
                try:
                    reply = (True, function(*args), collect.records)
                except Exception as exc:  # reported to the caller, who does the work itself
                    reply = (False, f"{type(exc).__name__}: {exc}", collect.records)
                pickle.dump(reply, out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
    except OSError:  # the parent is gone
        return
