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

__all__ = ["cache_dir", "digest", "file_sha256", "load", "store"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_FORMAT = 1


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
def _secret() -> bytes:
    """``ALIGNER_CACHE_KEY``, or the key file in the user's config folder (made once, 0600)."""
    import secrets

    from platformdirs import user_config_dir

    if os.environ.get("ALIGNER_CACHE_KEY"):
        return os.environ["ALIGNER_CACHE_KEY"].encode()
    path = Path(user_config_dir("aligner")) / "cache.key"
    try:
        return path.read_bytes().strip() or b"aligner"
    except OSError:
        pass
    key = secrets.token_hex(32).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:
        return path.read_bytes().strip()
    except OSError:
        log.debug("no key file could be written: cache entries are signed for this process only")
    return key


def _signature(key: str, data: Any) -> str:
    return hmac.new(_secret(), key.encode() + b"\x00" + _canonical(data), hashlib.sha256).hexdigest()


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def load(kind: str, key: str, cls: type[T]) -> T | None:
    """The entry for ``key`` as a ``cls``, or None (absent, or bad and now deleted)."""
    import dacite

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
        if not hmac.compare_digest(str(entry.get("hmac")), _signature(key, data)):
            raise ValueError("signature mismatch (corrupted, or not written by this user's aligner)")
        return dacite.from_dict(cls, data, config=dacite.Config(cast=[tuple], strict=True, type_hooks={float: float}))
    except (ValueError, KeyError, TypeError, AttributeError, dacite.DaciteError) as exc:
        log.warning("cache entry %s dropped: %s", path.name, exc)
        path.unlink(missing_ok=True)
        return None


def store(kind: str, key: str, obj: Any) -> None:
    """Keep ``obj`` (a dataclass) under ``key``; a cache that cannot be written only costs time."""
    from .textio import atomic_path

    data = json.loads(json.dumps(dataclasses.asdict(obj), default=_plain))  # tuples as lists, as read back
    entry = {"format": _FORMAT, "key": key, "hmac": _signature(key, data), "data": data}
    path = _path(kind, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            tmp.write_bytes(_canonical(entry))
    except OSError as exc:
        log.debug("cache entry %s not written: %s", path.name, exc)
