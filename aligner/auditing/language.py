"""Language checks: a cue not in the subtitles' language, and the language of the speech
under a cue whose words were not found (a translation, when it is not the subtitles').
"""

from __future__ import annotations

import logging

from ..hearing.recognition import language_of
from .findings import finding
from .gather import CueEvidence
from .hearings import Hearings
from .inputs import AuditInputs
from .verdict import Verdict
from .words import names_or_numbers

__all__ = ["check_language", "language_under"]

log = logging.getLogger(__name__)


def check_language(inputs: AuditInputs, ev: CueEvidence, shown: tuple[float, float]) -> Verdict | None:
    """A cue not in the subtitles' language. Names and numbers are in every language; in a
    same-language clip, words heard as such were said so (a quote); in a translated clip, a
    cue heard word for word in the speech was left untranslated, however short."""
    cue, opts = inputs.cues[ev.k], inputs.options
    if names_or_numbers(ev.words):
        return None
    if inputs.same_language:
        if ev.language is None or ev.language == inputs.subs_language or ev.ratio >= opts.spoken_ratio:
            return None
        reason = f"reads as {ev.language}, the subtitles are {inputs.subs_language}"
    else:
        untranslated = ev.heard_nearby >= opts.untranslated_overlap and len(ev.words) >= 2
        if ev.language == inputs.audio_language and ev.language != inputs.subs_language:
            reason = f"reads as {ev.language}, the subtitles are {inputs.subs_language}"
        elif untranslated:
            reason = f"left untranslated: its words are the {inputs.audio_language} speech under it"
        else:
            return None
    log.debug("cue %d: wrong_language (%s)", cue.index, reason)
    f = finding("wrong_language", cue=cue.index, start=cue.start, end=cue.end, published=cue.text,
                heard=inputs.heard_text(*shown), detail=reason)
    return Verdict((f,), covers=(shown,))


def language_under(inputs: AuditInputs, hearings: Hearings, a: float, b: float) -> str:
    """The language of the speech under a cue shown at [a, b], from its own audio (whose
    encoding its translation scores then reuse): the file's, unless Whisper is confident
    otherwise."""
    found = inputs.audio_language
    s0, s1 = inputs.cue_span(a, b)
    if s1 - s0 >= inputs.options.language_min_seconds and hearings.model.model.is_multilingual:
        language, prob = language_of(hearings.model, hearings.encoding(s0, s1)[0])
        if prob >= inputs.options.language_confidence:  # a few seconds: only a sure answer overrides
            found = language
    return found
