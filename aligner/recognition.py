"""What the audio says, by faster-whisper: words with rough times, the language, and where
there is voice at all.

Recognition here only has to find the transcript in the audio, not time it: word timestamps
come later from forced alignment of the transcript's own text. So decoding is greedy and
without faster-whisper's word-timestamp pass, and word times are spread over each segment
by length, which is ample for anchoring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .matching import HeardWord
from .media import SAMPLE_RATE

__all__ = ["Recognition", "Segment", "recognise", "voice_activity"]


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    language: str | None
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

    def speech_between(self, t0: float, t1: float) -> float:
        """Seconds of voice activity inside [t0, t1]."""
        total = 0.0
        for a, b in self.speech:
            if b > t0 and a < t1:
                total += min(b, t1) - max(a, t0)
        return total


def voice_activity(audio: np.ndarray) -> tuple[tuple[float, float], ...]:
    """Fine-grained voice activity (Silero VAD, as faster-whisper ships it): short pauses
    between sentences matter for deciding what was said and where cues may start."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(min_silence_duration_ms=120, speech_pad_ms=0, min_speech_duration_ms=120)
    return tuple(
        (c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in get_speech_timestamps(audio, opts)
    )


_NON_SPEECH = re.compile(r"^\W*$|^[\s♪♫*()\[\]]*(music|applause|laughter)?[\s♪♫*()\[\]]*$", re.I)


def _segment_words(seg: Segment) -> list[HeardWord]:
    """Spread a segment's words over its span by their length."""
    tokens = seg.text.split()
    if not tokens:
        return []
    weights = np.array([len(t) + 1 for t in tokens], float)
    edges = seg.start + (seg.end - seg.start) * np.concatenate([[0], np.cumsum(weights)]) / weights.sum()
    prob = float(np.exp(seg.avg_logprob))
    return [HeardWord(t, float(edges[i]), float(edges[i + 1]), prob) for i, t in enumerate(tokens)]


def recognise(
    model,  # faster_whisper.WhisperModel
    audio: np.ndarray,
    *,
    language: str | None = None,
    progress: Callable[[float], None] | None = None,
    beam_size: int = 1,
) -> Recognition:
    """Transcribe with voice-activity filtering; ``progress`` gets the audio time reached."""
    duration = len(audio) / SAMPLE_RATE
    speech = voice_activity(audio)
    segments_iter, info = model.transcribe(
        audio,
        language=language,
        beam_size=beam_size,
        vad_filter=True,
        condition_on_previous_text=False,  # keeps one misheard passage from derailing the rest
        multilingual=language is None,  # a foreign quote is heard in its own language
        word_timestamps=False,
        temperature=[0.0, 0.4, 0.8],
    )
    segments: list[Segment] = []
    words: list[HeardWord] = []
    for s in segments_iter:
        if progress:
            progress(min(s.end, duration))
        seg = Segment(s.start, s.end, s.text.strip(), None, s.no_speech_prob, s.avg_logprob)
        if _NON_SPEECH.match(seg.text) or (s.no_speech_prob > 0.8 and s.avg_logprob < -1.0):
            continue  # music and silence that the decoder put words on
        segments.append(seg)
        words.extend(_segment_words(seg))
    if progress:
        progress(duration)
    return Recognition(
        language=info.language,
        language_probability=float(info.language_probability),
        duration=duration,
        segments=tuple(segments),
        words=tuple(words),
        speech=speech,
    )
