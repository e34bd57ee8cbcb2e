"""What the checks hear again: encodings of stretches of audio, the model's own unprompted
hearing of them, and the scorer that weighs texts on them, kept while they are asked for.

A check that doubts a cue's words hears its audio again, unprompted, and scores the cue's
words against that hearing (``text.hear_afresh``); the language check and the translation
scores read a cue's own audio encoded. Many cues ask for the same stretch (a dense file, an
utterance shared by several cues), so the last few encodings (``kept_encodings``) and hearings
(``kept_hearings``) are kept, and the stretches ``text.plan_hearings`` says will be heard are
decoded ``hearing_batch`` at a time. This is the one place the checks run the model.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..hearing.encodings import encode_audio
from ..runtime import media as media_mod
from .evidence import ScoredText, TextScorer
from .options import AuditOptions

__all__ = ["Hearing", "Hearings", "span_key"]

log = logging.getLogger(__name__)


def span_key(a: float, b: float) -> tuple[float, float]:
    """A stretch as kept: clipped at the file's start, to 10 ms."""
    return (round(max(0.0, a), 2), round(b, 2))


@dataclass
class Hearing:
    """A stretch of audio encoded, what the model heard there unprompted, and (once asked)
    that hearing's own score: every cue over the stretch is compared with the same one."""

    encoded: object
    frames: int
    seconds: float
    words: list[str]
    scored: ScoredText | None = None
    prior: ScoredText | None = None

    def own_score(self, scorer: TextScorer) -> ScoredText:
        """The heard words scored on the stretch itself: what every cue's words are weighed against."""
        if self.scored is None:
            self.scored = scorer.score(self.encoded, self.frames, self.words)
        return self.scored

    def own_prior(self, scorer: TextScorer, silence: object, frames: int) -> ScoredText:
        """The heard words scored over silence as long as the stretch."""
        if self.prior is None:
            self.prior = scorer.score(silence, frames, self.words)
        return self.prior


class Hearings:
    """The model, and what it has been asked to hear for the checks, kept: encodings of
    stretches (the last ``kept_encodings``), hearings afresh (the last ``kept_hearings``),
    encoded silences (per length), and ``scorer``, the text scorer in the language text is
    compared in."""

    def __init__(self, model: Any, audio: media_mod.DecodedAudio, language: str, options: AuditOptions) -> None:
        self.model = model  # faster_whisper.WhisperModel
        self.audio = audio
        self.options = options
        self.scorer = TextScorer(model, language)
        self.planned: list[tuple[float, float]] = []  # ``plan``'s stretches, in order
        self._hearings: dict[tuple[float, float], Hearing] = {}
        self._silences: dict[float, tuple[object, int]] = {}
        self._encoded = lru_cache(maxsize=options.kept_encodings)(self._encode)

    def _encode(self, key: tuple[float, float]) -> tuple[object, int]:
        """A kept stretch (``span_key``'s) encoded: the one call ``encoding``'s cache makes."""
        return encode_audio(self.model, self.audio.read(*key))

    def encoding(self, a: float, b: float) -> tuple[object, int]:
        """[a, b] encoded on its own (at most 30 s, as Whisper hears), the last
        ``kept_encodings`` kept (see ``AuditOptions``)."""
        return self._encoded(span_key(a, b))

    def plan(self, stretches: list[tuple[float, float]]) -> None:
        """The stretches that will be heard afresh, in ``span_key``'s order: each one asked for
        is heard with the next few of them (``hearing_batch``), in one batch."""
        self.planned = stretches

    def hearing(self, a: float, b: float) -> Hearing:
        """[a, b] encoded and heard afresh, unprompted; the last few are kept, so that many
        cues over one utterance (a dense or hostile file) cost one hearing, not one each."""
        key = span_key(a, b)
        if key not in self._hearings:
            for k, hearing in self._heard_together(key):
                if len(self._hearings) >= self.options.kept_hearings:
                    self._hearings.pop(next(iter(self._hearings)))
                self._hearings[k] = hearing
        return self._hearings[key]

    def _heard_together(self, key: tuple[float, float]) -> list[tuple[tuple[float, float], Hearing]]:
        """``key`` heard, with the planned stretches after it (``hearing_batch`` in all) when
        it was planned: each encoded on its own, decoded in one batch."""
        keys = [key]
        first = bisect.bisect_left(self.planned, key)
        if first < len(self.planned) and self.planned[first] == key:
            ahead = [k for k in self.planned[first + 1:] if k not in self._hearings]
            keys += ahead[:max(1, min(self.options.hearing_batch, self.options.kept_hearings)) - 1]
        encoded = [self.encoding(*k) for k in keys]
        words = self.scorer.hypotheses([e for e, _ in encoded])
        return [(k, Hearing(e, frames, k[1] - k[0], w)) for k, (e, frames), w in zip(keys, encoded, words)]

    def silence(self, seconds: float) -> tuple[object, int]:
        """Digital silence of about this length, encoded (kept per length in tenths)."""
        key = round(max(seconds, 0.1), 1)
        if key not in self._silences:
            clip = np.zeros(int(key * media_mod.SAMPLE_RATE), dtype=np.float32)
            self._silences[key] = encode_audio(self.model, clip)
        return self._silences[key]
