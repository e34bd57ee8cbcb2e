"""Text files in whatever encoding they came in, and outputs written all-or-nothing."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import logging
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import InputError, OutputError

log = logging.getLogger(__name__)

# UTF-32's marks before UTF-16's: UTF-32 LE's begins with UTF-16 LE's
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_WIDE_BOMS = tuple(bom for bom, encoding in _BOMS if encoding != "utf-8-sig")  # text with NULs in every character
_SNIFF_BYTES = 4096  # how much of a file is looked at for NULs and their pattern
_WIDE_NUL_SHARE = 0.3  # of UTF-16 units with a NUL high byte: Latin text has nearly all, CJK still some


def decode_bytes(data: bytes, name: str = "file") -> str:
    """UTF-8 first (with or without BOM), UTF-32 and UTF-16 by their BOMs, else
    charset-normalizer's guess.

    Subtitles and transcripts arrive from Windows tools in cp1252 or UTF-16 as often as in
    UTF-8; guessing wrong silently would put mojibake into subtitles, so a guess that is not
    confident is refused rather than used.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            log.debug("%s: %s by its byte-order mark", name, encoding)
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: begins with a {encoding.upper()} byte-order mark but is not "
                                 f"{encoding.upper()} from byte {exc.start} on; save it again as UTF-8") from None
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


def not_a_file(mode: int) -> str | None:
    """Why an input of this ``st_mode`` cannot be read, or None for a regular file: a pipe
    would hang the run and a device such as /dev/zero never end (the one rule for transcripts,
    subtitles, media and a batch's inputs)."""
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device)"
    return None


def regular_file(path: Path) -> os.stat_result:
    """The file's status, refusing what is not a regular file (``not_a_file``) without
    opening it."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    problem = not_a_file(st.st_mode)
    if problem:
        raise InputError(f"{path}: {problem}")
    return st


def _wide_without_bom(data: bytes) -> str | None:
    """UTF-32 or UTF-16 text saved without a byte-order mark, told by where its NULs fall:
    UTF-32's two high bytes are NUL in every character up to U+FFFF (in UTF-16 that would be
    a NUL character), UTF-16's high byte in every other byte for Latin text."""
    head = data[:_SNIFF_BYTES - _SNIFF_BYTES % 4]
    if len(data) % 4 == 0 and len(head) >= 4:
        for high, low, encoding in (((2, 3), (0, 1), "utf-32-le"), ((0, 1), (2, 3), "utf-32-be")):
            if not any(head[i::4].strip(b"\0") for i in high) and any(head[i::4].strip(b"\0") for i in low):
                return _decoded(data, encoding)
    head = data[:_SNIFF_BYTES]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= _WIDE_NUL_SHARE * len(head) / 2 and other == 0:
            return _decoded(data, encoding)
    return None


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
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
    if b"\x00" in data[:_SNIFF_BYTES] and not data.startswith(_WIDE_BOMS):
        text = _wide_without_bom(data)
        if text is None:
            raise InputError(f"{path}: is a binary file, not text")
        return text
    return decode_bytes(data, str(path))


NAME_MAX = 255  # bytes in one file name on the file systems this runs on (ext4, XFS, Btrfs, tmpfs, APFS)
_PART = ".part"  # how a temporary output ends: findable by ``remove_leftovers``
_RANDOM_CHARS = 8  # the random characters ``tempfile.mkstemp`` puts in a name
_NAME_DIGEST = 8  # hex digits of a long name's sha256 kept in its shortened temporary name


def check_outputs(outputs: list[Path], inputs: list[Path]) -> None:
    """Refuse before any work is done: an output over an input, given twice, with a name the
    file system cannot hold, or into a folder that is missing, cannot be entered or written."""
    seen: set[Path] = set()
    for out in outputs:
        target = _output_target(out)
        if _is_input(target, inputs):
            raise OutputError(f"{out}: is an input file; refusing to overwrite it")
        if target in seen:
            raise OutputError(f"{out}: given twice as an output")
        seen.add(target)
        check_writable(target.parent, out)


def _output_target(out: Path) -> Path:
    """``out`` resolved, once its name fits the file system and its folder exists (and is not
    itself a folder): each fault as the user's line, never ENAMETOOLONG or EACCES later."""
    if "\x00" in str(out):
        raise OutputError(f"{out!r}: a file name cannot hold a NUL character")
    size = len(os.fsencode(out.name))
    if size > NAME_MAX:
        raise OutputError(f"{out.name[:40]}…: the file name is {size} bytes; file systems allow {NAME_MAX}; "
                          "give a shorter name")
    target = out.resolve()
    folder = _status(target.parent, out)
    if folder is None or not stat.S_ISDIR(folder.st_mode):
        raise OutputError(f"{out}: folder {out.parent} does not exist")
    found = _status(target, out)
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise OutputError(f"{out}: is a folder")
    return target


def _status(path: Path, shown: Path) -> os.stat_result | None:
    """``path``'s status, or None when nothing is there; a folder that cannot be entered (mode
    000) or a path the system refuses is the user's line."""
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except PermissionError:
        raise OutputError(f"{shown}: folder {shown.parent} is not writable (it cannot be entered: "
                          "permission denied)") from None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot be written there ({exc.strerror})") from None


def _is_input(target: Path, inputs: list[Path]) -> bool:
    """Whether ``target`` is one of ``inputs`` (by path, or by inode through a link). An input
    that cannot be looked at is not this output: its own check says what is wrong with it."""
    for p in inputs:
        if target == p.resolve():
            return True
        try:
            if os.path.samefile(target, p):
                return True
        except (OSError, ValueError):
            continue
    return False


def check_writable(folder: Path, shown: Path | None = None) -> None:
    """Refuse a folder that cannot take a new file, before any work: a real probe (a temporary
    file made and removed), since permissions alone miss read-only mounts and full quotas."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".aligner-probe.", dir=folder)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise OutputError(f"{shown or folder}: folder {folder} is not writable ({exc.strerror})") from None


def _part_prefix(name: str) -> str:
    """How the temporaries of an output called ``name`` begin: ``.name.``, or for a name too
    long for that to fit in one file name with the random part and ``.part``, its start and a
    digest of the whole name (so a legal 250-byte name can still be written, and
    ``remove_leftovers`` still finds that output's temporaries and only them)."""
    room = NAME_MAX - _RANDOM_CHARS - len(_PART)
    whole = f".{name}."
    if len(os.fsencode(whole)) <= room:
        return whole
    tag = hashlib.sha256(os.fsencode(name)).hexdigest()[:_NAME_DIGEST]
    short = name
    while len(os.fsencode(f".{short}~{tag}.")) > room:
        short = short[:-1]
    return f".{short}~{tag}."


def _stage(path: Path) -> Path:
    """A new empty temporary file beside ``path``: on its file system, so a rename publishes it."""
    fd, tmp = tempfile.mkstemp(prefix=_part_prefix(path.name), suffix=_PART, dir=path.parent)
    os.close(fd)
    return Path(tmp)


def _sync(tmp: Path, mode: int = 0o644) -> None:
    """The temporary's bytes on disk (a full disk can first show here) and its mode an output's
    (a secret's 0600: ``tempfile.mkstemp`` makes it so, and it is never wider meanwhile)."""
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.chmod(tmp, mode)


@contextlib.contextmanager
def atomic_path(path: Path, mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; it replaces ``path`` only if the block succeeds.

    A crash or Ctrl-C mid-write leaves the old file (or none) in place, never half a file.
    Faults are the OSError they are: for the cache and the model, where a failed write only
    costs time. A user's outputs go through ``atomic_outputs``."""
    path = Path(path)
    tmp = _stage(path)
    try:
        yield tmp
        _sync(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class OutputSet:
    """The outputs of one run, each written to a temporary file beside its target; renamed into
    place only when every one of them is on disk (``atomic_outputs``)."""

    def __init__(self) -> None:
        self.staged: dict[Path, Path] = {}  # target: its temporary
        self.current: Path | None = None  # the target being written or renamed, for the message

    def path(self, target: str | Path) -> Path:
        """A temporary path to write ``target``'s bytes to; it becomes ``target`` when the
        whole set is published."""
        self.current = Path(target)
        if self.current in self.staged:
            raise OutputError(f"{target}: given twice as an output")
        self.staged[self.current] = _stage(self.current)
        return self.staged[self.current]

    def write_text(self, target: str | Path, text: str) -> Path:
        """``text`` as UTF-8, to become ``target``. A file name that is not UTF-8 (its bytes
        kept by Python as lone surrogates) is written as its escapes, ``\\udcff``, which JSON
        reads back as the same name: a report must never fail on a name it quotes."""
        self.path(target).write_text(text, encoding="utf-8", errors="backslashreplace")
        return Path(target)

    def publish(self) -> None:
        """Every temporary flushed to disk first, then each renamed over its target; should a
        rename fail, those already renamed are put back as they were."""
        for target, tmp in self.staged.items():
            self.current = target
            _sync(tmp)
        done: list[tuple[Path, Path | None, bool]] = []  # target, the older file kept, whether one existed
        try:
            for target, tmp in self.staged.items():
                self.current = target
                done.append((target, *_keep_older(target)))
                os.replace(tmp, target)
        except OSError:
            _put_back(done)
            raise
        finally:
            for _, older, _ in done:
                if older is not None:
                    older.unlink(missing_ok=True)

    def discard(self) -> None:
        for tmp in self.staged.values():
            tmp.unlink(missing_ok=True)

    def message(self, exc: BaseException) -> str:
        """The fault in the user's terms: their file's name, never a temporary's."""
        if isinstance(exc, OSError):
            text = f"{self.current or 'output'}: cannot be written ({exc.strerror or exc})"
        else:
            text = str(exc)
        for target, tmp in self.staged.items():
            text = text.replace(str(tmp), str(target))
        if len(self.staged) > 1:
            text += "; none of this run's outputs was written"
        return text


def _keep_older(target: Path) -> tuple[Path | None, bool]:
    """A second name (a hard link) for the file at ``target``, if any, so that it can be put
    back; (None, True) where the file system has no hard links."""
    if not target.exists():
        return None, False
    older = target.with_name(f"{_part_prefix(target.name)}{secrets.token_hex(_RANDOM_CHARS // 2)}{_PART}")
    try:
        os.link(target, older)
    except OSError:
        return None, True
    return older, True


def _put_back(done: list[tuple[Path, Path | None, bool]]) -> None:
    """Undo the renames of a set whose later rename failed: older files back, new ones gone."""
    for target, older, existed in reversed(done):
        with contextlib.suppress(OSError):
            if older is not None:
                os.replace(older, target)
            elif not existed:
                target.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_outputs() -> Iterator[OutputSet]:
    """All of a run's outputs or none of them: each is written beside its target under a
    temporary name, and only when all are written (a full disk shows at the write or the
    flush) are they renamed into place. On any failure, Ctrl-C included, every temporary is
    removed and no target touched; an OSError becomes one ``OutputError`` line."""
    outputs = OutputSet()
    try:
        yield outputs
        outputs.publish()
    except BaseException as exc:
        outputs.discard()
        if isinstance(exc, (OSError, OutputError)):
            raise OutputError(outputs.message(exc)) from None
        raise


def remove_leftovers(path: Path) -> int:
    """Remove the temporary files ``atomic_path`` left beside ``path`` when its process was
    killed mid-write (SIGKILL or a power cut leave it no chance to); returns how many. Only for
    a path no other process is writing (a batch calls it under its folder lock)."""
    path = Path(path)
    gone = 0
    for tmp in path.parent.glob(f"{glob.escape(_part_prefix(path.name))}*{_PART}"):
        tmp.unlink(missing_ok=True)
        gone += 1
    return gone


def write_text_atomic(path: Path, text: str) -> None:
    """One output, all or nothing (``atomic_outputs``)."""
    with atomic_outputs() as outputs:
        outputs.write_text(path, text)
