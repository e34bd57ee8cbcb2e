"""Media in, 16 kHz mono samples out: probing (PyAV) and decoding (ffmpeg via ffmpeg-python).

ffmpeg is the system binary when there is one, else the one the imageio-ffmpeg wheel ships,
so ``pip install`` alone gives a working tool. The wheel ships no ffprobe, which is why
probing uses PyAV (already present as a faster-whisper dependency) rather than ffprobe.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import MediaError
from .scratch import scratch_dir

log = logging.getLogger(__name__)

__all__ = [
    "DIGITAL_SILENCE", "SAMPLE_RATE", "ArrayAudio", "DecodedAudio", "MediaInfo", "content_hash", "decode",
    "ffmpeg_binary", "load_audio", "loudness", "probe",
]

SAMPLE_RATE = 16000
LOUDNESS_READ = 60.0  # seconds of audio read at once for the loudness curve: memory stays flat
# dBFS under any microphone's noise floor: only edited-in silence and synthetic speech reach it
DIGITAL_SILENCE = -80.0


@dataclass(frozen=True)
class MediaInfo:
    path: str
    duration: float
    fps: float | None  # of the first video stream; None for audio-only files
    audio_codec: str
    channels: int
    audio_duration: float | None = None  # the audio stream's own, when the container says


@lru_cache(maxsize=1)
def ffmpeg_binary() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        raise MediaError("ffmpeg not found: install ffmpeg or the imageio-ffmpeg package") from None


def probe(path: str | Path) -> MediaInfo:
    """Open the container and check it has audio we can decode, before any work is done."""
    import av

    from .textio import not_a_file

    path = Path(path)
    if not path.exists():
        raise MediaError(f"{path}: no such file")
    if path.is_dir():
        raise MediaError(f"{path}: is a folder, not a media file")
    problem = not_a_file(path.stat().st_mode)
    if problem:
        raise MediaError(f"{path}: {problem}")
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            audio = next(iter(container.streams.audio), None)
            video = next(iter(container.streams.video), None)
            if audio is None:
                raise MediaError(f"{path}: has no audio stream")
            duration = None
            if container.duration:
                duration = container.duration / 1_000_000
            elif audio.duration and audio.time_base:
                duration = float(audio.duration * audio.time_base)
            audio_duration = (float(audio.duration * audio.time_base) if audio.duration and audio.time_base
                              else None)
            fps = float(video.average_rate) if video is not None and video.average_rate else None
            codec = audio.codec_context.name
            channels = audio.codec_context.channels
    except MediaError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise MediaError(f"{path}: not a readable audio or video file ({reason})") from None
    if not duration or duration <= 0:
        raise MediaError(f"{path}: audio stream has no duration (empty or damaged file)")
    return MediaInfo(str(path), duration, fps, codec, channels, audio_duration)


class DecodedAudio:
    """The decoded samples, kept in a temporary file and read span by span.

    An hour of 16 kHz float32 is 230 MB; holding it (and the copies that feature extraction
    makes) in memory would make memory grow with the programme's length. Reading spans from
    disk keeps a run's memory bounded by the longest span read.
    """

    _loudness: np.ndarray | None = None  # ``loudness``'s curve, once made

    def __init__(self, file: Path, source: str) -> None:
        self.file = file
        self.source = source
        self.samples = file.stat().st_size // 4
        self.duration = self.samples / SAMPLE_RATE

    def _bounds(self, start: float, end: float | None) -> tuple[int, int]:
        a = max(0, round(start * SAMPLE_RATE))
        b = self.samples if end is None else min(self.samples, round(end * SAMPLE_RATE))
        return a, max(a, b)

    def read(self, start: float = 0.0, end: float | None = None) -> np.ndarray:
        a, b = self._bounds(start, end)
        if b == a:
            return np.zeros(0, np.float32)
        with open(self.file, "rb") as fh:
            fh.seek(a * 4)
            return np.fromfile(fh, np.float32, b - a)

    def close(self) -> None:
        self.file.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.file.parent.rmdir()

    def __enter__(self) -> DecodedAudio:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ArrayAudio(DecodedAudio):
    """Samples already in memory, behind the same interface."""

    def __init__(self, samples: np.ndarray, source: str = "<array>") -> None:
        self.array = np.asarray(samples, np.float32)
        self.source = source
        self.samples = len(self.array)
        self.duration = self.samples / SAMPLE_RATE

    def read(self, start: float = 0.0, end: float | None = None) -> np.ndarray:
        a, b = self._bounds(start, end)
        return self.array[a:b]

    def close(self) -> None:
        pass


def content_hash(path: str | Path) -> str:
    """sha256 of the file's bytes: the same media under another name is the same media."""
    from .cache import file_sha256

    return file_sha256(path)


def _spelled_for_ffmpeg(path: Path, folder: Path) -> str:
    """The media's name as ffmpeg-python can take it: a name that is not UTF-8 (bytes Python
    keeps as lone surrogates) cannot be hashed into its command, so such a file is read
    through a link of a plain name in the run's scratch folder."""
    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        link = folder / f"input{path.suffix.encode('ascii', 'ignore').decode()}"
        link.symlink_to(path.resolve())
        log.debug("%r: not a UTF-8 name; read through %s", name, link)
        return str(link)
    return name


def decode(path: str | Path, info: MediaInfo | None = None) -> DecodedAudio:
    """Decode the first audio stream to 16 kHz mono float32 in a temporary file.

    A file that stops decoding well before its declared duration is truncated; saying so
    beats subtitling half a programme without a word.
    """
    import ffmpeg

    info = info or probe(path)
    folder = scratch_dir("audio")
    target = folder / "audio.f32"
    try:
        (
            ffmpeg.input(_spelled_for_ffmpeg(Path(path), folder))
            .output(str(target), format="f32le", acodec="pcm_f32le", ac=1, ar=SAMPLE_RATE, map="0:a:0")
            .global_args("-nostdin", "-hide_banner", "-loglevel", "error", "-y")
            .run(cmd=ffmpeg_binary(), capture_stdout=True, capture_stderr=True)
        )
        audio = DecodedAudio(target, str(path))
    except ffmpeg.Error as exc:
        shutil.rmtree(folder, ignore_errors=True)
        lines = [ln for ln in exc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        reason = lines[-1] if lines else "no reason given"
        raise MediaError(f"{path}: ffmpeg could not decode the audio ({reason})") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if audio.duration < 0.1:
        audio.close()
        raise MediaError(f"{path}: the audio stream decodes to nothing (empty or damaged file)")
    # Judged against the audio stream's own length: a picture that runs on after the sound
    # (credits, a freeze frame) is not damage.
    expected = info.audio_duration or info.duration
    log.debug("%s: %.2f s of audio decoded, %.2f s expected", path, audio.duration, expected)
    if audio.duration < expected - max(1.0, 0.02 * expected):
        audio.close()
        raise MediaError(
            f"{path}: truncated or damaged: audio stops at {audio.duration:.1f} s of {expected:.1f} s"
        )
    return audio


def loudness(audio: DecodedAudio) -> np.ndarray:
    """Loudness in 10 ms frames (dB, smoothed over three frames), read a minute at a time;
    made once per audio (the chunk layout, the re-timing ahead and the timing all read it)."""
    if audio._loudness is not None:
        return audio._loudness
    hop = SAMPLE_RATE // 100
    parts = []
    t0 = 0.0
    while t0 < audio.duration:
        samples = audio.read(t0, t0 + LOUDNESS_READ)
        n = len(samples) // hop
        frames = samples[: n * hop].reshape(n, hop).astype(np.float64)
        parts.append(10 * np.log10(np.mean(frames**2, axis=1) + 1e-10))
        t0 += LOUDNESS_READ
    db = np.concatenate(parts) if parts else np.zeros(0)
    db = np.convolve(db, np.ones(3) / 3, "same") if len(db) >= 3 else db
    audio._loudness = db
    return db


def load_audio(path: str | Path, info: MediaInfo | None = None) -> np.ndarray:
    """All of the audio in memory: for short clips and tests."""
    with decode(path, info) as audio:
        return audio.read()
