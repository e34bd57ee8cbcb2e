"""The disk cache: results kept as checked JSON, keyed by what made them.

An entry is data, never code: JSON read back into the frozen dataclasses by dacite, which
checks every field's type. A cache folder may be shared (``ALIGNER_CACHE`` on a network
share), so an entry is trusted only when its signature matches its contents and its key
matches the request; anything else is deleted and the result computed again. The signature is
an HMAC with a secret kept outside the cache folder (``ALIGNER_CACHE_KEY``, or a key file made
on first use in the user's config folder): a flipped byte or a file planted by someone without
the secret is dropped, never believed. Machines sharing a cache share the secret. Keys include a
fingerprint of this package's own source, so a change to the code that made a result retires
the entry without anyone remembering to bump a version.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cache_dir", "digest", "file_sha256", "key_path", "load", "store"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_FORMAT = 1
_KEY_BYTES = 32  # random bytes in a key made here (written as 64 hex digits)
_KEY_MIN_CHARS = 32  # a key file holding less is not a key (empty after a full disk, or a guessable word)


def cache_dir() -> Path:
    """``$ALIGNER_CACHE`` or the platform's user cache folder: results here, and the bundled
    model assembled under ``models/``."""
    from platformdirs import user_cache_dir

    return Path(os.environ.get("ALIGNER_CACHE") or user_cache_dir("aligner"))


def file_sha256(path: str | Path, block: int = 1 << 22) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def digest(value: Any, length: int = 16) -> str:
    """A short sha256 of a value's canonical JSON (dataclasses as their fields): what a result
    made with these options is keyed by."""
    plain = dataclasses.asdict(value) if dataclasses.is_dataclass(value) and not isinstance(value, type) else value
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()[:length]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of every module of this package: results from other code are other results."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _path(kind: str, key: str) -> Path:
    name = hashlib.sha256(f"{code_fingerprint()}|{key}".encode()).hexdigest()
    return cache_dir() / kind / f"{name}.json"


def _plain(value: Any) -> Any:
    """NumPy scalars as Python numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot keep a {type(value).__name__} in the cache")


@lru_cache(maxsize=1)
def _secret() -> bytes | None:
    """``ALIGNER_CACHE_KEY``, or the key file in the user's config folder (made once, 0600);
    None when there is no usable key, and then nothing is read from or kept in the cache this
    run (a warning says so). There is no fallback key: a key anyone can know lets anyone who
    can write the cache folder plant results."""
    if os.environ.get("ALIGNER_CACHE_KEY"):
        return os.environ["ALIGNER_CACHE_KEY"].encode()
    path = key_path()
    key = _read_key(path)
    if key is not None:
        return key
    try:
        return _make_key(path)
    except OSError as exc:
        log.warning("the cache key %s cannot be made (%s): results are not cached in this "
                    "run; free space there or set ALIGNER_CACHE_KEY", path, exc.strerror or exc)
        return None


def key_path() -> Path:
    """Where the cache's key is kept: outside the cache folder, which may be shared."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("aligner")) / "cache.key"


def _read_key(path: Path) -> bytes | None:
    """The key in ``path``, or None when it is missing, unreadable or too short to be one made
    here (an empty file left by a full disk, a planted guessable word)."""
    try:
        key = path.read_bytes().strip()
    except OSError:
        return None
    return key if len(key) >= _KEY_MIN_CHARS else None


def _make_key(path: Path) -> bytes:
    """A new random key in ``path`` (replacing a bad one), or the good one another process
    made first. Made under a lock on the folder, written whole to a temporary file, flushed
    and renamed into place: whatever reads ``path`` sees no key or a whole one, and
    processes starting together all use the one that landed."""
    import fcntl
    import secrets

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        key = _read_key(path)  # made meanwhile by the process that held the lock
        if key is None:
            key = secrets.token_hex(_KEY_BYTES).encode()
            _write_key(path, key)
            log.info("a new cache key was made in %s", path)
        return key
    finally:
        os.close(fd)  # and the lock with it


def _write_key(path: Path, key: bytes) -> None:
    """``key`` into ``path``, all of it or nothing, readable by its owner alone."""
    from .textio import atomic_path

    with atomic_path(path, mode=0o600) as tmp:
        tmp.write_bytes(key)


def _signature(secret: bytes, key: str, data: Any) -> str:
    return hmac.new(secret, key.encode() + b"\x00" + _canonical(data), hashlib.sha256).hexdigest()


def _canonical(data: Any) -> bytes:
    """The one byte form an entry is signed and stored in: ASCII, so a file name that is not
    UTF-8 (lone surrogates in Python) is kept as its escapes and reads back the same."""
    return json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def load(kind: str, key: str, cls: type[T]) -> T | None:
    """The entry for ``key`` as a ``cls``, or None (absent, or bad and now deleted, so that the
    caller computes the result again and stores it signed)."""
    import dacite

    secret = _secret()
    if secret is None:
        return None
    path = _path(kind, key)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        entry = json.loads(raw)
        data = entry["data"]
        if entry.get("format") != _FORMAT or entry.get("key") != key:
            raise ValueError("written for another request")
        if not hmac.compare_digest(str(entry.get("hmac")), _signature(secret, key, data)):
            raise ValueError("signature mismatch (corrupted, or not written by this user's aligner)")
        return dacite.from_dict(cls, data, config=dacite.Config(cast=[tuple], strict=True, type_hooks={float: float}))
    except (ValueError, KeyError, TypeError, AttributeError, dacite.DaciteError) as exc:
        log.warning("cache entry %s dropped: %s", path.name, exc)
        path.unlink(missing_ok=True)
        return None


def store(kind: str, key: str, obj: Any) -> None:
    """Keep ``obj`` (a dataclass) under ``key``; a cache that cannot be written only costs time."""
    from .textio import atomic_path

    secret = _secret()
    if secret is None:
        return
    data = json.loads(json.dumps(dataclasses.asdict(obj), default=_plain))  # tuples as lists, as read back
    entry = {"format": _FORMAT, "key": key, "hmac": _signature(secret, key, data), "data": data}
    path = _path(kind, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_bytes(_canonical(entry))
    except OSError as exc:
        log.debug("cache entry %s not written: %s", path.name, exc)
