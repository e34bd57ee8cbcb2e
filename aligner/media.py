"""Media in, 16 kHz mono samples out: probing (PyAV) and decoding (ffmpeg via ffmpeg-python).

ffmpeg is the system binary when there is one, else the one the imageio-ffmpeg wheel ships,
so ``pip install`` alone gives a working tool. The wheel ships no ffprobe, which is why
probing uses PyAV (already present as a faster-whisper dependency) rather than ffprobe.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import MediaError

__all__ = ["SAMPLE_RATE", "MediaInfo", "ffmpeg_binary", "load_audio", "probe"]

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class MediaInfo:
    path: str
    duration: float
    fps: float | None  # of the first video stream; None for audio-only files
    audio_codec: str
    channels: int


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

    path = Path(path)
    if not path.exists():
        raise MediaError(f"{path}: no such file")
    if path.is_dir():
        raise MediaError(f"{path}: is a folder, not a media file")
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
    return MediaInfo(str(path), duration, fps, codec, channels)


def load_audio(path: str | Path, info: MediaInfo | None = None) -> np.ndarray:
    """Decode the first audio stream to 16 kHz mono float32.

    A file that stops decoding well before its declared duration is truncated; saying so
    beats subtitling half a programme without a word.
    """
    import ffmpeg

    info = info or probe(path)
    try:
        out, _err = (
            ffmpeg.input(str(path))
            .output("pipe:", format="f32le", acodec="pcm_f32le", ac=1, ar=SAMPLE_RATE, map="0:a:0")
            .global_args("-nostdin", "-hide_banner", "-loglevel", "error")
            .run(cmd=ffmpeg_binary(), capture_stdout=True, capture_stderr=True)
        )
    except ffmpeg.Error as exc:
        lines = [ln for ln in exc.stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
        reason = lines[-1] if lines else "no reason given"
        raise MediaError(f"{path}: ffmpeg could not decode the audio ({reason})") from None
    audio = np.frombuffer(out, np.float32)
    decoded = len(audio) / SAMPLE_RATE
    if decoded < 0.1:
        raise MediaError(f"{path}: the audio stream decodes to nothing (empty or damaged file)")
    if decoded < info.duration - max(1.0, 0.02 * info.duration):
        raise MediaError(
            f"{path}: truncated or damaged: audio stops at {decoded:.1f} s of {info.duration:.1f} s"
        )
    return audio
