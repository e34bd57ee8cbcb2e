"""What ``align`` finds beside the cues, and what an output format reads of an alignment.

A data module: it imports nothing from the pipeline, so that ``formats/`` type their input
against :class:`AlignedView` and never import ``pipeline`` (which imports them to write).
``pipeline.Alignment`` is one such view; a test double or another producer can be another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from .subtitles.cues import Cue, TimedWord
from .subtitles.profiles import Profile

__all__ = ["AlignedView", "Unheard", "Untranscribed", "WordTime"]


class WordTime(NamedTuple):
    """Where a word was timed: seconds, and the aligner's probability of its tokens there."""

    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Unheard:
    """Transcript text the audio does not contain (left out of the cues)."""

    text: str
    speaker: str | None
    after: float  # where it would have been: the end of the last heard word before it


@dataclass(frozen=True)
class Untranscribed:
    """Speech the transcript does not contain, as the recogniser heard it."""

    start: float
    end: float
    text: str
    language: str | None


class AlignedView(Protocol):
    """The parts of an alignment that the output formats read."""

    @property
    def media(self) -> str: ...
    @property
    def transcript_path(self) -> str | None: ...
    @property
    def audio_language(self) -> str: ...
    @property
    def transcript_language(self) -> str | None: ...
    @property
    def model(self) -> str: ...
    @property
    def duration(self) -> float: ...
    @property
    def profile(self) -> Profile: ...
    @property
    def words(self) -> Sequence[TimedWord]: ...
    @property
    def cues(self) -> Sequence[Cue]: ...
    @property
    def unheard(self) -> Sequence[Unheard]: ...
    @property
    def untranscribed(self) -> Sequence[Untranscribed]: ...
    @property
    def all_warnings(self) -> tuple[str, ...]: ...
    @property
    def shot_changes(self) -> tuple[float, ...]: ...  # the picture's cuts, seconds (none: audio only, or off)
