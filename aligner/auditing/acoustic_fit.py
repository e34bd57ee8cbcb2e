"""Acoustic evidence for the text checks: how much better the heard words fit the sound than
the published ones under PocketSphinx's acoustic model, which knows phones and no words.

Apart from ``text`` because it is its own question, asked of another model: the speech model
weighs texts with its sense of language, this one without, so a name a voice says as written
and the recogniser hears as other words fits better as published (the phone-fit rescue), and
a passage whose heard words cannot be said at all in the sound is no evidence against the
subtitles. Every fit is over the same samples for both texts, each passage replaced alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from ..runtime.media import SAMPLE_RATE
from ..timing import acoustic
from .evidence import Disagreement, Passage, heard_but_published
from .inputs import AuditInputs
from .words import loanword

__all__ = ["phone_llrs"]

log = logging.getLogger(__name__)


def phone_llrs(inputs: AuditInputs, words: Sequence[str], heard: Sequence[str], passages: Sequence[Passage],
                found: Sequence[Disagreement], span: tuple[float, float]) -> list[tuple[float | None, bool]]:
    """For each passage, (how much better the heard words fit the sound than the published
    ones under PocketSphinx's acoustic model, which has no language model; whether the heard
    words cannot be said there while the published can: ``unsayable``). English, and the
    languages gruut spells; (None, False) elsewhere, for a passage under the margin, and
    where neither text can be aligned. Each passage is replaced alone, so its ratio is its
    own. When the heard text as a whole has no path (a garble elsewhere in it), or the heard
    text with the passage as published has none even over wider audio, the passage is fitted
    inside the published text instead (``_within_published``): PocketSphinx's pruned search
    loses its path through a garble ("For the dot-ballina, insert the shoulder" with
    "Footage of" put back, in the synthetic hour) where the published words alone fit."""
    if not acoustic.can_fit(inputs.norm_language):
        return [(None, False)] * len(found)
    fitted = _heard_fit(inputs, heard, span)
    if fitted is None:
        return _within_published(inputs, words, heard, passages, found, span)
    samples, own = fitted
    out: list[tuple[float | None, bool]] = []
    within: list[tuple[float | None, bool]] | None = None
    for n, (p, d) in enumerate(zip(passages, found)):
        if d.cut and p.stop - p.first == p.heard_stop - p.heard_first > 1:
            # word for word, its last heard word may be heard from its start only ("vanu..."
            # for "war nötig"): left as heard on both sides, or it swamps the rest
            # ("Regenschirm" published over a spoken "Sediment" fitted 282 nats better with it)
            p = Passage(p.first, p.stop - 1, p.heard_first, p.heard_stop - 1)
        if d.llr < inputs.options.text_margin:
            out.append((None, False))
            continue
        other = _published_fit(inputs, samples, words, heard, p)
        if other is None:  # no path for the published words: the wider span, both texts again
            other, own_wide = _fits_wider(inputs, words, heard, p, span)
            if other is None:  # nor there: inside the published text, as when the heard has none
                within = within or _within_published(inputs, words, heard, passages, found, span)
                out.append(within[n])
                continue
            out.append((round(own_wide - other, 1), False))
            continue
        word = _worst_word(inputs, samples, words, heard, p)
        out.append((round(word if word is not None else own - other, 1), False))
    return out


def _worst_word(inputs: AuditInputs, samples: np.ndarray, words: Sequence[str], heard: Sequence[str],
                p: Passage) -> float | None:
    """In a passage of as many words a side, each heard word put alone into the published
    passage: the largest ratio for a heard word, when it reaches ``phone_decides``; else None
    (the passage is judged whole). A mishearing beside a change can outweigh it: sonnet III's
    "thou dost umbrella", heard "through dust beguile" in float32, fitted 150 nats better as
    published as a whole, while "beguile" put for "umbrella" alone fits far better."""
    n = p.stop - p.first
    if n < 2 or n != p.heard_stop - p.heard_first:
        return None
    mixed, where = heard_but_published(list(words), list(heard), [p])
    (m1, _), = where
    base = acoustic.fit(samples, mixed, language=inputs.norm_language)
    if base is None:
        return None
    ratios = []
    for k in range(n):
        alone = [*mixed[:m1 + k], heard[p.heard_first + k], *mixed[m1 + k + 1:]]
        fit = acoustic.fit(samples, alone, language=inputs.norm_language)
        if fit is not None:
            ratios.append(fit - base)
    best = max(ratios, default=None)
    log.debug("%r: word by word, at most %s nats for a heard word", " ".join(words[p.first:p.stop]), best)
    return best if best is not None and best >= inputs.options.phone_decides else None


def _within_published(inputs: AuditInputs, words: Sequence[str], heard: Sequence[str], passages: Sequence[Passage],
                      found: Sequence[Disagreement], span: tuple[float, float]) -> list[tuple[float | None, bool]]:
    """Each passage over the margin fitted inside the published text, every other passage as
    published (the words a neighbour's heard at the edges as heard: the audio holds them):
    the heard passage against the published one. A hearing that runs on into a
    neighbour's garble ("qui n'est pas sur le stade" for "qui dépassent") has no path as a
    whole, and that said nothing of the passage asked about: "parapluie" put for a spoken
    "assumer" in a French reading was a check for it. A passage whose heard words cannot be
    said where the published text can is ``unsayable`` ("grondements" heard "bonnes moments")."""
    as_published, _ = heard_but_published(words, heard, passages)  # the neighbours' words at the edges as heard
    out: list[tuple[float | None, bool]] = []
    for p, d in zip(passages, found):
        if d.llr < inputs.options.text_margin:
            out.append((None, False))
            continue
        said, _ = heard_but_published(words, heard, [q for q in passages if q is not p])
        result: tuple[float | None, bool] = (None, False)
        for samples in _samples(inputs, span):
            published = acoustic.fit(samples, as_published, language=inputs.norm_language)
            if published is None:
                continue
            as_heard = acoustic.fit(samples, said, language=inputs.norm_language)
            if as_heard is not None:
                result = (round(as_heard - published, 1), False)
                break
            result = (None, True)  # unless the wider span has a path for it
        log.debug("%r (heard %r) fitted inside the published text: %s", d.published, d.heard, result)
        out.append(result)
    return out


def _fits_wider(inputs: AuditInputs, words: Sequence[str], heard: Sequence[str], p: Passage,
                span: tuple[float, float]) -> tuple[float | None, float]:
    """(published fit, heard fit) of passage ``p`` over the first span ``phone_reach`` wider at
    each end where both have a path, or (None, 0) when none has. Whether a path is found at the edge of a
    hearing's span turned on 20 ms of the forced aligner's word times, which move with the
    arithmetic: "Tode Regenschirm" over a German "zu Tode arbeiteten" fitted 459 nats worse
    than heard in int8 and had no path in float32, an error in one and a check in the other."""
    for samples in _samples(inputs, span)[1:]:
        own = acoustic.fit(samples, heard, language=inputs.norm_language)
        other = _published_fit(inputs, samples, words, heard, p) if own is not None else None
        if other is not None and own is not None:
            log.debug("%r: no phone path as published; over %.1f s: %.1f nats", " ".join(words[p.first:p.stop]),
                      len(samples) / SAMPLE_RATE, own - other)
            return other, own
    log.debug("%r: no phone path as published, nor over the wider spans", " ".join(words[p.first:p.stop]))
    return None, 0.0


def _samples(inputs: AuditInputs, span: tuple[float, float]) -> list[np.ndarray]:
    """The audio of ``span``, then of the span reaching each ``phone_reach`` further at both
    ends: where a fit finds no path, the next is tried."""
    audio = inputs.audio
    spans = [span, *((span[0] - r, span[1] + r) for r in inputs.options.phone_reach)]
    return [audio.read(max(0.0, a), min(b, audio.duration)) for a, b in spans]


def _published_fit(inputs: AuditInputs, samples: np.ndarray, words: Sequence[str], heard: Sequence[str],
                   p: Passage) -> float | None:
    """The fit of the heard words with passage ``p`` as published: said in the subtitles'
    language, and, where its words are also ordinary English, with those said as in English
    ("tie-break" in French is said "taille brèque", not as French spelling says it); the
    better of the two, so that a loanword is not held against the subtitler."""
    mixed, where = heard_but_published(list(words), list(heard), [p])
    language = inputs.norm_language
    fits = [acoustic.fit(samples, mixed, language=language)]
    (m1, m2), = where
    loans = [m1 <= i < m2 and language != "en" and loanword(w, language, inputs.options.ordinary_zipf)
             for i, w in enumerate(mixed)]
    if any(loans):
        fits.append(acoustic.fit(samples, mixed, language=["en" if loan else language for loan in loans]))
    found = [f for f in fits if f is not None]
    return max(found) if found else None


def _heard_fit(inputs: AuditInputs, heard: Sequence[str],
               span: tuple[float, float]) -> tuple[np.ndarray, float] | None:
    """The audio the heard words are fitted over, and their fit: the hearing's own span, or,
    when they cannot be said in it (a last word heard from its start only), the first span
    reaching a ``phone_reach`` further at each end where they can."""
    for samples in _samples(inputs, span):
        own = acoustic.fit(samples, heard, language=inputs.norm_language)
        if own is not None:
            return samples, own
        log.debug("heard %r: no phone path through %.1f s of audio around %.2f-%.2f s", " ".join(heard),
                  len(samples) / SAMPLE_RATE, *span)
    return None
