"""SpeechBrain's ECAPA-TDNN speaker model, run with torch from its published weights.

The network and its filterbank are a port of SpeechBrain's `lobes/models/ECAPA_TDNN.py`,
`lobes/features.py` and `processing/features.py` (Apache-2.0, © SpeechBrain authors), written
as plain functions over the checkpoint's tensors: importing SpeechBrain itself pulls in
torchaudio, whose compiled part does not load beside the CPU torch the extra pins, and its
loader fetches from a hub. The arithmetic is the same (checked against SpeechBrain's modules
to 1e-4 when the port was made: see docs/voices.md).

Everything here needs torch; nothing outside `aligner.voices` imports this module.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

SAMPLE_RATE = 16000
N_FFT = 400
HOP = 160
N_MELS = 80
TOP_DB = 80.0
AMIN = 1e-10
BN_EPS = 1e-5
STATS_EPS = 1e-12
# Channels, kernel sizes and dilations of the blocks (the checkpoint's hyperparams.yaml).
KERNELS = (5, 3, 3, 3, 1)
DILATIONS = (1, 2, 3, 4, 1)
RES2NET_SCALE = 8

Weights = dict[str, "torch.Tensor"]


def mel_matrix() -> torch.Tensor:
    """SpeechBrain's triangular mel filters (n_fft // 2 + 1, 80), 0-8000 Hz."""
    import torch

    def to_mel(hz: float) -> float:
        return 2595 * math.log10(1 + hz / 700)

    mel = torch.linspace(to_mel(0.0), to_mel(SAMPLE_RATE / 2), N_MELS + 2)
    hz = 700 * (10 ** (mel / 2595) - 1)
    band = (hz[1:] - hz[:-1])[:-1]
    central = hz[1:-1]
    freqs = torch.linspace(0, SAMPLE_RATE // 2, N_FFT // 2 + 1)
    slope = (freqs[None, :] - central[:, None]) / band[:, None]
    return torch.clamp(torch.minimum(slope + 1.0, 1.0 - slope), min=0.0).transpose(0, 1)


def fbank(wave: torch.Tensor, mels: torch.Tensor) -> torch.Tensor:
    """Log-mel energies (frames, 80) of one span, normalised by its own mean, as the model was trained."""
    import torch

    window = torch.hamming_window(N_FFT)
    spec = torch.stft(wave, N_FFT, HOP, N_FFT, window, center=True, pad_mode="constant", return_complex=True)
    power = spec.real.pow(2) + spec.imag.pow(2)
    feats = 10.0 * torch.log10(torch.clamp(power.transpose(0, 1) @ mels, min=AMIN))
    feats = torch.maximum(feats, feats.max() - TOP_DB)
    return feats - feats.mean(dim=0, keepdim=True)


def _conv(w: Weights, name: str, x: torch.Tensor, dilation: int = 1) -> torch.Tensor:
    import torch.nn.functional as F

    weight = w[f"{name}.weight"]
    pad = dilation * (weight.shape[-1] - 1) // 2
    if pad:
        x = F.pad(x, (pad, pad), mode="reflect")
    return F.conv1d(x, weight, w[f"{name}.bias"], dilation=dilation)


def _norm(w: Weights, name: str, x: torch.Tensor) -> torch.Tensor:
    import torch.nn.functional as F

    mean, var = w[f"{name}.running_mean"], w[f"{name}.running_var"]
    return F.batch_norm(x, mean, var, w[f"{name}.weight"], w[f"{name}.bias"], False, 0.0, BN_EPS)


def _tdnn(w: Weights, name: str, x: torch.Tensor, dilation: int = 1) -> torch.Tensor:
    import torch

    return _norm(w, f"{name}.norm.norm", torch.relu(_conv(w, f"{name}.conv.conv", x, dilation)))


def _se_res2net(w: Weights, name: str, x: torch.Tensor, dilation: int) -> torch.Tensor:
    import torch

    residual = _conv(w, f"{name}.shortcut.conv", x) if f"{name}.shortcut.conv.weight" in w else x
    x = _tdnn(w, f"{name}.tdnn1", x)
    parts = []
    y = x
    for i, x_i in enumerate(torch.chunk(x, RES2NET_SCALE, dim=1)):
        if i == 0:
            y = x_i
        elif i == 1:
            y = _tdnn(w, f"{name}.res2net_block.blocks.{i - 1}", x_i, dilation)
        else:
            y = _tdnn(w, f"{name}.res2net_block.blocks.{i - 1}", x_i + y, dilation)
        parts.append(y)
    x = _tdnn(w, f"{name}.tdnn2", torch.cat(parts, dim=1))
    s = x.mean(dim=2, keepdim=True)
    s = torch.relu(_conv(w, f"{name}.se_block.conv1.conv", s))
    s = torch.sigmoid(_conv(w, f"{name}.se_block.conv2.conv", s))
    return s * x + residual


def _pool(w: Weights, x: torch.Tensor) -> torch.Tensor:
    """Attentive statistics pooling with global context (the `asp` layer), batch of equal lengths."""
    import torch

    def stats(x: torch.Tensor, m: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean = (m * x).sum(2)
        std = torch.sqrt((m * (x - mean.unsqueeze(2)).pow(2)).sum(2).clamp(STATS_EPS))
        return mean, std

    frames = x.shape[-1]
    mean, std = stats(x, torch.full_like(x[:, :1, :], 1.0 / frames))
    context = torch.cat([x, mean.unsqueeze(2).expand_as(x), std.unsqueeze(2).expand_as(x)], dim=1)
    attn = _conv(w, "asp.conv.conv", torch.tanh(_tdnn(w, "asp.tdnn", context)))
    mean, std = stats(x, torch.softmax(attn, dim=2))
    return torch.cat((mean, std), dim=1).unsqueeze(2)


def forward(w: Weights, feats: torch.Tensor) -> torch.Tensor:
    """Embeddings (batch, 192) of a batch of feature spans of equal length (batch, frames, 80)."""
    import torch

    x = _tdnn(w, "blocks.0", feats.transpose(1, 2), DILATIONS[0])
    outputs = []
    for block in range(1, 4):
        x = _se_res2net(w, f"blocks.{block}", x, DILATIONS[block])
        outputs.append(x)
    x = _tdnn(w, "mfa", torch.cat(outputs, dim=1))
    x = _norm(w, "asp_bn.norm", _pool(w, x))
    return _conv(w, "fc.conv", x).squeeze(2)
