"""Whisper's encoder output, made once per stretch of audio and shared by every stage.

The encoder is the costly half of Whisper on a CPU. Recognition lays the audio out in chunks
of at most 30 s cut in pauses (``voice.chunk_spans``) and encodes each once; alignment
of the transcript, the audit's scoring of published text and its language checks then read
the same encodings instead of encoding windows of their own (as faster-whisper's own word
timestamps reuse the encoding they decoded from).

A window inside a chunk is read by rolling the chunk's encoding so that the window's first
frame comes first: the decoder's cross-attention has no notion of position of its own (the
positions are baked into the encoder output), so rolling leaves the attention as it was, up to
the arithmetic's rounding (with int8 weights, token probabilities move by a few hundredths),
and only tells ``Whisper.align`` which frames its path may use. Encodings are kept on
disk, not in memory, so that an hour of audio costs no more memory than a minute.
"""

from __future__ import annotations

import logging
import tempfile
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np

from ..runtime.media import DecodedAudio
from ..runtime.scratch import scratch_prefix

__all__ = ["ENCODER_FRAME", "MEL_FRAMES", "EncodedView", "Encodings", "encode_audio", "release_shared", "shared",
           "storage_view"]

log = logging.getLogger(__name__)

ENCODER_FRAME = 0.02  # seconds per encoder output frame (50 a second)
MEL_FRAMES = 3000  # feature frames in Whisper's 30 s input (100 a second)


def _features(model, samples: np.ndarray, drop_last: bool = False) -> tuple[np.ndarray, int]:
    """Log-mel features padded to 30 s, and how many of their frames are audio. ``drop_last``
    drops the last frame as faster-whisper's batched pipeline does, so that a chunk encoded here
    is the one recognition encoded."""
    from faster_whisper.audio import pad_or_trim

    features = model.feature_extractor(samples)
    if drop_last:
        features = features[..., :-1]
    return pad_or_trim(features), min(max(features.shape[-1], 1), MEL_FRAMES)


def storage_view(array: np.ndarray):  # -> ctranslate2.StorageView
    """``array`` as CTranslate2's ``StorageView``, which shares the memory of a float32,
    C-contiguous, writable array (copied into one only when it is not; the view keeps it
    alive)."""
    import ctranslate2

    return ctranslate2.StorageView.from_array(np.require(array, np.float32, ["C", "W"]))


def encode_audio(model, samples: np.ndarray, drop_last: bool = False) -> tuple[object, int]:
    """Whisper's encoder output for up to 30 s of samples, and how many feature frames are
    audio rather than padding (``Whisper.align`` needs both)."""
    features, frames = _features(model, samples, drop_last)
    return model.encode(features), frames


class EncodedView:
    """A window of a chunk's encoding, rolled so that the window starts at frame 0."""

    def __init__(self, array: np.ndarray, start: float, num_frames: int) -> None:
        self.array = np.array(array, order="C")  # a copy of its own: the StorageView shares it
        self.encoded = storage_view(self.array)
        self.start = start  # seconds of the file at the view's frame 0
        self.num_frames = num_frames  # feature frames (100 a second) the window spans


class Encodings:
    """The encodings of one file's chunks (``spans``, seconds), on disk, made on demand when
    recognition did not make them (its result came from the cache)."""

    def __init__(self, spans: Sequence[tuple[float, float]]) -> None:
        self.spans = tuple(spans)
        self._dir = tempfile.TemporaryDirectory(prefix=scratch_prefix("enc"))  # see ``scratch``
        self._frames: dict[int, int] = {}
        self.made = 0  # encodings this store had to make itself

    def put(self, i: int, array: np.ndarray, frames: int) -> None:
        np.save(self._path(i), np.asarray(array, dtype=np.float32).reshape(1, *np.shape(array)[-2:]))
        self._frames[i] = frames

    def has(self, i: int) -> bool:
        return i in self._frames

    def _path(self, i: int) -> Path:
        return Path(self._dir.name) / f"{i}.npy"

    def chunk_of(self, start: float, end: float, slack: float = 0.05) -> int | None:
        """The chunk whose span holds [start, end], if one does."""
        for i, (a, b) in enumerate(self.spans):
            if a - slack <= start and end <= b + slack:
                return i
        return None

    def array(self, i: int, model, audio: DecodedAudio) -> np.ndarray:
        """Chunk ``i``'s encoding (1, frames, width), made now if nobody has made it."""
        if i not in self._frames:
            encoded, frames = encode_audio(model, audio.read(*self.spans[i]), drop_last=True)
            self.put(i, np.array(encoded), frames)
            self.made += 1
        return np.load(self._path(i), mmap_mode="r")

    def view(self, i: int, start: float, end: float, model, audio: DecodedAudio) -> EncodedView:
        """[start, end] of chunk ``i`` as an encoding of its own (see the module's note)."""
        a, _ = self.spans[i]
        array = self.array(i, model, audio)
        frames = array.shape[1]
        shift = min(max(round((start - a) / ENCODER_FRAME), 0), frames - 1)
        chunk_mel = self._frames[i]
        num = round((end - (a + shift * ENCODER_FRAME)) * 100)
        num = max(2, min(num, chunk_mel - 2 * shift, MEL_FRAMES - 2 * shift))
        log.debug("window %.2f-%.2f read from chunk %d at frame %d", start, end, i, shift)
        return EncodedView(np.roll(array, -shift, axis=1), a + shift * ENCODER_FRAME, num)

    def close(self) -> None:
        self._dir.cleanup()


_SHARED: OrderedDict[Hashable, Encodings] = OrderedDict()


def shared(key: Hashable, spans: Sequence[tuple[float, float]]) -> Encodings:
    """The store for one file's recognition (``key``), kept for the process's next stage: the
    audit after an align, a recut. The two most recent files are kept."""
    spans = tuple(spans)
    found = _SHARED.get(key)
    if found is not None and found.spans == spans:
        _SHARED.move_to_end(key)
        return found
    store = Encodings(spans)
    _SHARED[key] = store
    while len(_SHARED) > 2:
        _SHARED.popitem(last=False)[1].close()
    return store


def release_shared() -> None:
    """Close every store ``shared`` keeps (their files go): at the end of a batch job, whose
    worker process ends without running the finalizers that would (a worker's stores of an
    hour-long file hold some 360 MB of temporary files)."""
    while _SHARED:
        _SHARED.popitem()[1].close()
