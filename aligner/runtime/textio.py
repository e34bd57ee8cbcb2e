"""Text files in whatever encoding they came in, and outputs written all-or-nothing."""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import InputError, OutputError

log = logging.getLogger(__name__)

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode_bytes(data: bytes, name: str = "file") -> str:
    """UTF-8 first (with or without BOM), UTF-16 by its BOM, else charset-normalizer's guess.

    Subtitles and transcripts arrive from Windows tools in cp1252 or UTF-16 as often as in
    UTF-8; guessing wrong silently would put mojibake into subtitles, so a guess that is not
    confident is refused rather than used.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            log.debug("%s: %s by its byte-order mark", name, encoding)
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    results = list(from_bytes(data))
    if not results:
        raise InputError(f"{name}: not text in any encoding this tool recognises")
    best = min(results, key=lambda r: (r.chaos, -r.coherence))
    # Short Western text often fits several code pages equally well; Windows-1252 is by far
    # the most common of them for subtitles, as browsers also assume for unlabelled text.
    tied = [r for r in results if (r.chaos, r.coherence) == (best.chaos, best.coherence)]
    chosen = next((r for r in tied if r.encoding == "cp1252"), best)
    log.debug("%s: not UTF-8; read as %s (of %d candidates, %d tied)", name, chosen.encoding, len(results), len(tied))
    return str(chosen)


MAX_TEXT_BYTES = 20 * 2**20  # a transcript or subtitle file: 20 MiB is some 3 million words


def regular_file(path: Path) -> os.stat_result:
    """The file's status, refusing what is not a regular file (a pipe would hang the run, a
    device such as /dev/zero would never end) without opening it."""
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: is not a regular file (a pipe, socket or device)")
    return st


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark: NULs in every other byte."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.3 * len(head) / 2 and other == 0:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """A text file in any common encoding; regular files only, up to ``limit`` bytes."""
    st = regular_file(path)
    if st.st_size > limit:
        raise InputError(f"{path}: is {st.st_size / 2**20:.0f} MiB; text inputs are limited to {limit // 2**20} MiB")
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise InputError(f"{path}: text inputs are limited to {limit // 2**20} MiB")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError(f"{path}: is a binary file, not text")
        return text
    return decode_bytes(data, str(path))


def check_outputs(outputs: list[Path], inputs: list[Path]) -> None:
    """Refuse before any work is done: an output over an input, or into a missing folder."""
    resolved_inputs = {p.resolve() for p in inputs}
    seen: set[Path] = set()
    for out in outputs:
        target = out.resolve()
        if target in resolved_inputs or any(
            target.exists() and p.exists() and os.path.samefile(target, p) for p in inputs
        ):
            raise OutputError(f"{out}: is an input file; refusing to overwrite it")
        if target in seen:
            raise OutputError(f"{out}: given twice as an output")
        seen.add(target)
        if not target.parent.is_dir():
            raise OutputError(f"{out}: folder {out.parent} does not exist")
        if target.is_dir():
            raise OutputError(f"{out}: is a folder")
        check_writable(target.parent, out)


def check_writable(folder: Path, shown: Path | None = None) -> None:
    """Refuse a folder that cannot take a new file, before any work: a real probe (a temporary
    file made and removed), since permissions alone miss read-only mounts and full quotas."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".aligner-probe.", dir=folder)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise OutputError(f"{shown or folder}: folder {folder} is not writable ({exc.strerror})") from None


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` only if the block succeeds.

    A crash or Ctrl-C mid-write leaves the old file (or none) in place, never half a file.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def remove_leftovers(path: Path) -> int:
    """Remove the temporary files ``atomic_path`` left beside ``path`` when its process was
    killed mid-write (SIGKILL or a power cut leave it no chance to); returns how many. Only for
    a path no other process is writing (a batch calls it under its folder lock)."""
    path = Path(path)
    gone = 0
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        tmp.unlink(missing_ok=True)
        gone += 1
    return gone


def write_text_atomic(path: Path, text: str) -> None:
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror})") from None
