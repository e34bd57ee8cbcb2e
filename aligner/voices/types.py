"""What the voice stage takes and hands on (data only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Span:
    """A stretch of the audio, in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class VoiceWord:
    """A timed transcript word and the speaker the transcript gives it (None when unlabelled)."""

    start: float
    end: float
    speaker: str | None = None


@dataclass(frozen=True)
class Segment:
    """Words `first`..`last` (inclusive) of one speaker's run, embedded as one span."""

    first: int
    last: int
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Labelling:
    """`label_turns`' answer: a speaker a word (`Speaker 1`, `Speaker 2`, … in order of first voice)."""

    speakers: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class VoiceWarning:
    """A labelled speaker the voices disagree with.

    kind `other_voice`: the words `first`..`last` (a turn, or its part) are labelled `label` but
    sound like `sounds_like` (cosine `similarity` to that speaker's voice, `own` to their own).
    kind `boundary`: the change from `label` to `sounds_like` at `at` seconds is heard at
    `move_to` instead (the words between change hands).
    """

    kind: str
    first: int
    last: int
    start: float
    end: float
    label: str
    sounds_like: str
    similarity: float
    own: float
    at: float | None = None
    move_to: float | None = None

    @property
    def message(self) -> str:
        if self.kind == "boundary":
            return (
                f"{self.at:.2f}s: the change from {self.label} to {self.sounds_like} is heard at "
                f"{self.move_to:.2f}s (the words between sound {self.similarity:.2f} like the other side, "
                f"{self.own:.2f} like their label)"
            )
        return (
            f"{self.start:.2f}-{self.end:.2f}s: labelled {self.label} but sounds like {self.sounds_like} "
            f"(voice similarity {self.similarity:.2f} against {self.own:.2f} to {self.label})"
        )


@dataclass(frozen=True)
class CueVoice:
    """A subtitle cue's times and speaker label, as the audit hands them."""

    start: float
    end: float
    label: str | None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class WrongSpeaker:
    """Cue `index` is labelled `label` but its voice is `sounds_like`'s."""

    index: int
    start: float
    end: float
    label: str
    sounds_like: str
    similarity: float
    own: float

    @property
    def message(self) -> str:
        return (
            f"labelled {self.label} but the voice is {self.sounds_like}'s "
            f"(similarity {self.similarity:.2f} against {self.own:.2f})"
        )


@dataclass(frozen=True)
class Group:
    """Members (segments, or cues) judged together under one label."""

    label: str
    members: tuple[int, ...]


@dataclass(frozen=True)
class Verdict:
    """`group` sounds like `sounds_like` (cosine `similarity`), and `own` like its label's other members."""

    group: Group
    sounds_like: str
    similarity: float
    own: float


class Embedder(Protocol):
    """What embeds spans of 16 kHz mono samples: one unit vector a span, zeros for a span too
    short to say (`model.VoiceModel`)."""

    def embed(self, samples: np.ndarray, spans: Sequence[Span]) -> np.ndarray: ...
