"""The two values every check reads: the audit's inputs, and where the cues' words were found.

Both are made once, before any check runs, and never change: :class:`AuditInputs` holds what
the audit is asked about (the decoded audio, what recognition heard in it, the cues and their
words, the languages, the options); :class:`Matches` holds what matching and alignment made of
the cues' words (which recognised word each matched, where each is spoken). What the checks
hear again is kept apart, in ``hearings.Hearings``: a cache, not an input.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..hearing.heard import Recognition
from ..results import WordTime
from ..runtime import media as media_mod
from ..subtitles.subtitle_cue import SubtitleCue
from ..text.textnorm import spoken_tokens
from ..timing.matching import Matching
from .level import faint, speech_level, stretch_level
from .options import AuditOptions
from .words import all_cue_words

__all__ = ["AuditInputs", "Matches", "audit_inputs"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditInputs:
    """What the audit is asked about: the audio, what the recogniser heard in it, the cues and
    their spoken words, the languages, and the options every check decides by."""

    audio: media_mod.DecodedAudio
    rec: Recognition
    cues: tuple[SubtitleCue, ...]
    words: tuple[str, ...]  # every cue's spoken words, in order (``words.all_cue_words``)
    owner: tuple[int, ...]  # for each of ``words``, the index of its cue
    audio_language: str
    subs_language: str
    norm_language: str  # the language text is compared in: the subtitles', when Whisper knows it
    options: AuditOptions

    @property
    def same_language(self) -> bool:
        """Whether the subtitles are in the audio's language (else they are a translation)."""
        return self.audio_language == self.subs_language

    @cached_property
    def _mids(self) -> list[float]:
        """The middle of each recognised word, in order: what ``words_between`` bisects."""
        return [(w.start + w.end) / 2 for w in self.rec.words]

    @cached_property
    def heard_tokens(self) -> list[list[str]]:
        """Each recognised word in spoken tokens, worked out once."""
        return [spoken_tokens(w.text, self.norm_language) for w in self.rec.words]

    def words_between(self, start: float, end: float) -> range:
        """Indices of the recognised words whose middle lies in [start, end] (by bisection:
        a file of 10,000 cues asks this 10,000 times)."""
        mids = self._mids
        return range(bisect.bisect_left(mids, start), bisect.bisect_right(mids, end))

    def heard_text(self, start: float, end: float) -> str:
        """What the recogniser heard over [start, end], give or take 50 ms: a finding's evidence."""
        return " ".join(self.rec.words[i].text for i in self.words_between(start - 0.05, end + 0.05))

    @cached_property
    def speech_level(self) -> float | None:
        """The recording's speech level in dB: the median of its cues' (``level``)."""
        db = media_mod.loudness(self.audio)
        return speech_level(db, [(c.start, c.end) for c in self.cues], self.options.level_percentile)

    def faint(self, a: float, b: float) -> bool:
        """Whether the speech over [a, b] is ``faint_db`` or more under the recording's."""
        level = stretch_level(media_mod.loudness(self.audio), a, b, self.options.level_percentile)
        out = faint(level, self.speech_level, self.options.faint_db)
        if out:
            log.debug("%.2f-%.2f s: %.1f dB, %.1f under the recording's speech: faint", a, b, level,
                      (self.speech_level or 0.0) - (level or 0.0))
        return out

    def cue_span(self, a: float, b: float) -> tuple[float, float]:
        """A cue's own audio (shown at [a, b], sync-corrected), ``cue_audio_pad`` either side."""
        before, after = self.options.cue_audio_pad
        return (max(0.0, a - before), min(b + after, self.audio.duration))


def audit_inputs(audio: media_mod.DecodedAudio, rec: Recognition, cues: Sequence[SubtitleCue],
                 subs_language: str | None, options: AuditOptions, known: Collection[str]) -> AuditInputs:
    """The inputs of one audit. Subtitles whose language was not detected are taken to be in
    the audio's; text is compared in the subtitles' language when Whisper knows it (``known``),
    else in the audio's."""
    audio_language = rec.language
    subs = subs_language or audio_language
    norm = subs if subs in known else audio_language
    words, owner = all_cue_words(cues)
    return AuditInputs(audio, rec, tuple(cues), tuple(words), tuple(owner), audio_language, subs, norm, options)


@dataclass(frozen=True)
class Matches:
    """Where the cues' words were found, made once by ``gather.find_cues``: ``pairs`` maps a
    cue word (its index in ``AuditInputs.words``) to the recognised word it matched, ``times``
    to where it is spoken (force-aligned, same-language audio only), ``matching`` the matching
    they came from (its ``untranscribed`` speech), when the words were aligned."""

    pairs: Mapping[int, int] = field(default_factory=dict)
    times: Mapping[int, WordTime] = field(default_factory=dict)
    matching: Matching | None = None

    @cached_property
    def claimed(self) -> frozenset[int]:
        """The recognised words some cue's word matched: speech a cue accounts for."""
        return frozenset(self.pairs.values())
