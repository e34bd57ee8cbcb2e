"""What the audio says, by faster-whisper: words with rough times, the language, and where
there is voice at all.

Recognition here only has to find the transcript in the audio, not time it: word timestamps
come later from forced alignment of the transcript's own text. So decoding is greedy and
without faster-whisper's word-timestamp pass, and word times are spread over each segment
by length, which is ample for anchoring.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .media import SAMPLE_RATE, DecodedAudio

__all__ = ["HeardWord", "Recognition", "Segment", "blocks", "recognise", "recognise_checked", "recognise_once",
           "voice_activity"]


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

    def speech_between(self, t0: float, t1: float) -> float:
        """Seconds of voice activity inside [t0, t1]."""
        total = 0.0
        for a, b in self.speech:
            if b > t0 and a < t1:
                total += min(b, t1) - max(a, t0)
        return total


def voice_activity(audio: DecodedAudio, chunk: float = 300.0) -> tuple[tuple[float, float], ...]:
    """Fine-grained voice activity (Silero VAD, as faster-whisper ships it): short pauses
    between sentences matter for deciding what was said and where words start. Run in
    chunks so that memory does not grow with the file."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(min_silence_duration_ms=120, speech_pad_ms=0, min_speech_duration_ms=120)
    regions: list[tuple[float, float]] = []
    t0 = 0.0
    while t0 < audio.duration:
        samples = audio.read(t0, t0 + chunk)
        for c in get_speech_timestamps(samples, opts):
            a, b = t0 + c["start"] / SAMPLE_RATE, t0 + c["end"] / SAMPLE_RATE
            if regions and a - regions[-1][1] < 0.02:  # one region cut by a chunk edge
                regions[-1] = (regions[-1][0], b)
            else:
                regions.append((a, b))
        t0 += chunk
    return tuple(regions)


def blocks(duration: float, speech: Sequence[tuple[float, float]], size: float = 300.0,
           slack: float = 60.0) -> list[tuple[float, float]]:
    """Spans of at most ``size`` seconds for recognition, cut in the middle of a pause."""
    out: list[tuple[float, float]] = []
    start = 0.0
    while duration - start > size:
        target = start + size
        pauses = [(b2[0] - b1[1], (b1[1] + b2[0]) / 2) for b1, b2 in itertools.pairwise(speech)
                  if target - slack <= (b1[1] + b2[0]) / 2 <= target]
        cut = max(pauses)[1] if pauses else target
        out.append((start, cut))
        start = cut
    out.append((start, duration))
    return out


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
    audio: DecodedAudio,
    *,
    language: str | None = None,
    progress: Callable[[float], None] | None = None,
    beam_size: int = 1,
    block: float = 300.0,
) -> Recognition:
    """Transcribe with voice-activity filtering, five minutes at a time so that an hour-long
    programme needs no more memory than a short clip; ``progress`` gets the time reached."""
    import ctranslate2

    # The temperature fallback samples: seeded, the same audio is heard the same way every run
    # (unseeded, a hard passage came out differently each time, and the verdicts with it).
    ctranslate2.set_random_seed(_SEED)
    duration = audio.duration
    speech = voice_activity(audio)
    segments: list[Segment] = []
    words: list[HeardWord] = []
    detected: tuple[str, float] | None = None
    for a, b in blocks(duration, speech, block):
        samples = audio.read(a, b)
        if len(samples) < SAMPLE_RATE // 10:
            continue
        # One language for the whole file, detected from the first block: letting the decoder
        # switch per segment made it carry on in a quote's language long after the quote.
        # Speech in another language then shows up as text that matches nothing, and is heard
        # again in its own language later (see pipeline._untranscribed_speech).
        segments_iter, info = model.transcribe(
            samples,
            language=language or (detected[0] if detected else None),
            beam_size=beam_size,
            vad_filter=True,
            condition_on_previous_text=False,  # keeps one misheard passage from derailing the rest
            word_timestamps=False,
            temperature=_TEMPERATURES,
        )
        for s in segments_iter:
            if progress:
                progress(min(a + s.end, duration))
            seg = Segment(a + s.start, a + s.end, s.text.strip(), s.no_speech_prob, s.avg_logprob)
            if _NON_SPEECH.match(seg.text) or (s.no_speech_prob > 0.8 and s.avg_logprob < -1.0):
                continue  # music and silence that the decoder put words on
            if s.compression_ratio > 2.4:
                continue  # a decoder loop ("the Simon to the Shabikimu region. The Simon to ..."), not speech
            segments.append(seg)
            words.extend(_segment_words(seg))
        if detected is None:
            detected = (info.language, float(info.language_probability))
        if progress:
            progress(b)
    language_found, probability = detected or (language or "en", 0.0)
    return Recognition(
        language=language_found,
        language_probability=probability,
        duration=duration,
        segments=tuple(segments),
        words=tuple(words),
        speech=speech,
    )


# Greedy first; where a segment fails faster-whisper's compression or log-probability checks,
# sampled again at higher temperatures (escapes decoder loops). The sampling is seeded.
_SEED = 0
_TEMPERATURES = [0.0, 0.4, 0.8]
_MEMO: dict[tuple[str, str, str | None], Recognition] = {}


def recognise_checked(model, audio: DecodedAudio, key: tuple[str, str, str | None],
                      reload: Callable[[], object | None], **kwargs) -> tuple[Recognition, object]:
    """``recognise_once``, and when it hears nothing in audio with voice in it, a check of the
    model: a damaged model hears nothing anywhere, so the fault would be the model's, not the
    media's. ``reload`` returns a rebuilt model, or None when the model was sound. Returns
    the recognition and the model to go on with."""
    rec = recognise_once(model, audio, key, **kwargs)
    if rec.words or sum(b - a for a, b in rec.speech) < 1.0:
        return rec, model
    fresh = reload()
    if fresh is None:
        return rec, model
    _MEMO.pop(key, None)
    return recognise_once(fresh, audio, key, **kwargs), fresh


def recognise_once(model, audio: DecodedAudio, key: tuple[str, str, str | None], **kwargs) -> Recognition:
    """``recognise``, remembered under ``key`` (media content hash, model, language): in this
    process, and in the disk cache (checked JSON, see ``cache``), so that an audit after an
    align, or a batch re-run with other cue options, does not hear the audio again. A
    recognition that heard nothing is never kept: it may be a broken model's, not the audio's."""
    from . import cache

    if key in _MEMO:
        if kwargs.get("progress"):
            kwargs["progress"](audio.duration)
        return _MEMO[key]
    text_key = "|".join(str(k) for k in key)
    rec = cache.load("recognition", text_key, Recognition)
    if rec is not None and kwargs.get("progress"):
        kwargs["progress"](audio.duration)
    if rec is None:
        rec = recognise(model, audio, **kwargs)
        if rec.words:
            cache.store("recognition", text_key, rec)
    if len(_MEMO) >= 8:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = rec
    return rec
