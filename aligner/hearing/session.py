"""One file opened for a run: probed, its model loaded, its audio decoded, and heard once.

``align`` and the audit start alike, here: they differ only in how they hear (``align`` with
the transcript's help, ``timing.guided``; the audit for itself, ``recognition.recognise``) and
in what they do with the hearing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..runtime import media as media_mod
from ..runtime.cache import digest
from ..runtime.model import ModelSpec
from .heard import Recognition
from .options import RECOGNITION, RecognitionOptions
from .recognition import hearing_key, recognise_checked

__all__ = ["Progress", "Session", "opened"]

Progress = Callable[[str, float, float], None]  # (phase, done, total) in audio seconds


@dataclass
class Session:
    """A file opened for a run. ``model`` is the one to go on with: the model ``spec`` names,
    or a rebuilt one when the bundled model turned out damaged while hearing."""

    info: media_mod.MediaInfo
    spec: ModelSpec
    audio: media_mod.DecodedAudio
    model: Any  # faster_whisper.WhisperModel
    options: RecognitionOptions = RECOGNITION

    def key(self, language: str | None) -> tuple[str, str, str | None]:
        """What this file's hearing is remembered under (``recognition.hearing_key``), the
        recognition options among it: a hearing with other options is another hearing."""
        return hearing_key(self.audio, f"{self.spec.id}/{digest(self.options, 8)}", language)

    def hear(self, language: str | None, *, tail: tuple[str | None, ...] = (),
             hear: Callable[..., Recognition] | None = None, progress: Progress | None = None) -> Recognition:
        """The file heard once (remembered under ``key`` and ``tail``): by ``hear`` (which takes
        ``recognition.recognise``'s arguments) or by ``recognise``, the model checked when it
        hears nothing in voice (``recognise_checked``)."""
        duration = self.audio.duration
        rec, self.model = recognise_checked(
            self.model, self.audio, (*self.key(language), *tail), self.spec.reloaded, hear=hear, language=language,
            opts=self.options, progress=(lambda t: progress("recognising", t, duration)) if progress else None)
        return rec


@contextlib.contextmanager
def opened(media: str | Path, spec: ModelSpec, info: media_mod.MediaInfo | None = None,
           options: RecognitionOptions = RECOGNITION) -> Iterator[Session]:
    """``media`` probed (unless ``info`` is given), ``spec``'s model loaded and the audio
    decoded into a temporary file, removed when the run ends, however it ends."""
    info = info or media_mod.probe(media)
    model = spec.load()
    with media_mod.decode(media, info) as audio:
        yield Session(info, spec, audio, model, options)
