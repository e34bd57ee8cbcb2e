"""What the hearing hands on: words with rough times, faster-whisper's segments, and where
there is voice. Data only: the stages that make it (``recognition``, ``voice``) and those that
read it (matching, timing, the audit) import it from here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["HeardWord", "Recognition", "Segment", "voice_between"]


@dataclass(frozen=True)
class HeardWord:
    """A word as the recogniser wrote it, with its (approximate) place in the audio."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    no_speech_prob: float
    avg_logprob: float


@dataclass(frozen=True)
class Recognition:
    language: str
    language_probability: float
    duration: float
    segments: tuple[Segment, ...]
    words: tuple[HeardWord, ...]
    speech: tuple[tuple[float, float], ...]  # voice activity, seconds
    chunks: tuple[tuple[float, float], ...] = ()  # what the encoder saw (``chunk_spans``)
    # indices of ``words`` not heard but a transcript's words placed by alignment (``guided``)
    placed: tuple[int, ...] = ()
    # the part of ``speech`` the voice detector missed and the recogniser heard (``Layout``):
    # voice for the matching, but no one's words were found on it with the detector's certainty
    missed_voice: tuple[tuple[float, float], ...] = ()
    # sound the voice detector did not call voice (``missed_sound``), heard or not
    missed: tuple[tuple[float, float], ...] = ()

    def speech_between(self, t0: float, t1: float) -> float:
        """Seconds of voice activity inside [t0, t1]."""
        return voice_between(self.speech, t0, t1)

    def sound_between(self, t0: float, t1: float) -> float:
        """Seconds inside [t0, t1] of voice, or of sound the voice detector did not call voice."""
        unheard = voice_between(self.missed, t0, t1) - voice_between(self.missed_voice, t0, t1)
        return self.speech_between(t0, t1) + unheard

    def detected_between(self, t0: float, t1: float) -> float:
        """Seconds of voice inside [t0, t1] that the voice detector found itself."""
        return voice_between(self.speech, t0, t1) - voice_between(self.missed_voice, t0, t1)


def voice_between(speech: Sequence[tuple[float, float]], t0: float, t1: float) -> float:
    """Seconds of ``speech`` (voice activity) inside [t0, t1]."""
    return sum(min(b, t1) - max(a, t0) for a, b in speech if b > t0 and a < t1)
