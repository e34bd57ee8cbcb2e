"""Language checks: a cue not in the subtitles' language, and the language of the speech
under a cue whose words were not found (a translation, when it is not the subtitles').

A cue is judged against the subtitles' language, whatever the audio's: by the script its
letters are in (``foreign_script``), by what langdetect reads in its words once names and
numbers are out (``foreign_text``), and, in a translated clip, by whether its words are the
speech under it (``untranslated``). In a same-language clip a cue heard word for word was said
so (a quote in another language), and is never wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from ..hearing.recognition import language_of
from ..text.languages import LANGUAGE_SCRIPTS, detect_language_family, letter_scripts, same_language
from .findings import finding
from .gather import CueEvidence
from .hearings import Hearings
from .inputs import AuditInputs
from .options import AuditOptions
from .verdict import Verdict
from .words import frequency_lead, mean_zipf, names_or_numbers, set_in_capitals, without_names, without_rare

__all__ = ["check_language", "foreign_script", "foreign_text", "language_under", "text_language", "untranslated",
           "wrong_language"]

log = logging.getLogger(__name__)


def check_language(inputs: AuditInputs, ev: CueEvidence, shown: tuple[float, float]) -> Verdict | None:
    """A cue not in the subtitles' language (``wrong_language``), as a finding over where it is
    shown."""
    reason = wrong_language(inputs, ev)
    if reason is None:
        return None
    cue = inputs.cues[ev.k]
    log.debug("cue %d: wrong_language (%s)", cue.index, reason)
    f = finding("wrong_language", cue=cue.index, start=cue.start, end=cue.end, published=cue.text,
                heard=inputs.heard_text(*shown), detail=reason)
    return Verdict((f,), covers=(shown,))


def wrong_language(inputs: AuditInputs, ev: CueEvidence) -> str | None:
    """Why a cue is not in the subtitles' language, or None. In a same-language clip, a cue
    whose words were heard as such was said so (a quote); otherwise its script, then its
    text, then (translated clips) its words heard in the speech under it."""
    opts, subs = inputs.options, inputs.subs_language
    if inputs.same_language and ev.ratio >= opts.spoken_ratio:
        return None
    reason = foreign_script(ev.words, subs, opts) or foreign_text(ev.words, subs, opts)
    if reason is None and not inputs.same_language and untranslated(ev, opts):
        reason = f"left untranslated: its words are the {inputs.audio_language} speech under it"
    return reason


def untranslated(ev: CueEvidence, opts: AuditOptions) -> bool:
    """In a translated clip, a cue heard word for word in the speech around it was left
    untranslated, however short; names and numbers are the same in both languages."""
    return ev.heard_nearby >= opts.untranslated_overlap and len(ev.words) >= 2 and not names_or_numbers(ev.words)


def foreign_script(words: Sequence[str], subs: str, opts: AuditOptions) -> str | None:
    """A cue written mostly in a script the subtitles' language does not use (Cyrillic in
    English, Latin in Russian), names and numbers aside: however short ("Да."), no reader of
    the subtitles can read it. Not judged for a language without a known script."""
    allowed = LANGUAGE_SCRIPTS.get(subs)
    if allowed is None:
        return None
    counts = letter_scripts("".join(without_names(words, subs, opts.ordinary_zipf)))
    letters = sum(counts.values())
    foreign = {script: n for script, n in counts.items() if script not in allowed}
    if letters < opts.foreign_script_letters or sum(foreign.values()) < opts.foreign_script_share * letters:
        return None
    script = max(foreign, key=lambda s: foreign[s])
    return f"written in {script.title()} script, the subtitles are {subs}"


def foreign_text(words: Sequence[str], subs: str, opts: AuditOptions) -> str | None:
    """A cue whose words, names and numbers out, langdetect reads confidently as a language
    other than the subtitles' (or a sibling it confuses with it), and which are not as common
    in the subtitles' language as in that one. Names are taken out twice: by their spelling
    first, then, once the language the text reads as is known, the words rare in both."""
    kept = without_names(words, subs, opts.ordinary_zipf)
    language = text_language(kept, opts)
    if language is None or same_language(language, subs):
        return None
    kept = without_rare(kept, subs, language, opts.rare_zipf)
    language = text_language(kept, opts)
    if language is None or same_language(language, subs) or subs_words(kept, subs, language, opts):
        return None
    return f"reads as {language}, the subtitles are {subs}"


def subs_words(words: Sequence[str], subs: str, language: str, opts: AuditOptions) -> bool:
    """Whether words langdetect reads as ``language`` are as common in the subtitles' language
    (wordfreq, ``word_frequency_margin``): langdetect is noisy on a few words ("aproximarse a un
    sacapuntas" read as Romanian), word frequencies much less so. Without a word list for
    ``language`` (Somali, Welsh), whether they are as common on average as a cue of the
    subtitles' language (``ordinary_mean_zipf``)."""
    lead = frequency_lead(words, subs, language)
    if lead is None:
        mean = mean_zipf(words, subs)
        if mean is None or mean < opts.ordinary_mean_zipf:
            return False
        log.debug("%r reads as %s, but its words are ordinary %s (%.2f)", " ".join(words), language, subs, mean)
        return True
    if lead < opts.word_frequency_margin:
        return False
    log.debug("%r reads as %s, but its words are commoner in %s (%.2f)", " ".join(words), language, subs, lead)
    return True


def text_language(words: Sequence[str], opts: AuditOptions) -> str | None:
    """langdetect's confident reading of words (sure of the language or of its siblings), or
    None when they are too few or too short to judge (``min_language_words``,
    ``language_min_chars``): a few words are any language's. A cue set in capitals is read in
    lower case: langdetect reads "WHERE ARE YOU GOING" as Somali."""
    if len(words) < opts.min_language_words:
        return None
    text = " ".join(words)
    if set_in_capitals(words):
        text = text.lower()
    return detect_language_family(text, min_chars=opts.language_min_chars, min_probability=opts.language_probability)


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
