"""Checks of cues over speech in another language (a translated clip, or a translated quote
inside a same-language report): their timing against the speech's, and their meaning, by
Whisper's judgement of how well the text translates that stretch of audio.

Each check runs as soon as every cue it compares with has been judged (:class:`Translations`),
while the cue's own audio, encoded for its language check, is still kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .coverage import utterances
from .findings import Finding, finding
from .hearings import Hearings
from .inputs import AuditInputs
from .options import AuditOptions
from .verdict import Verdict

__all__ = ["TranslationScorer", "Translations", "check_translation_meaning", "check_translation_shift",
           "meaning_settled"]

log = logging.getLogger(__name__)


class TranslationScorer:
    """How likely Whisper finds a text as its translation of a stretch of audio (mean token
    log-probability, teacher-forced through ``Whisper.align``), over ``encode``'s encoding of
    the span (the hearings', which keep the last few)."""

    def __init__(self, model: Any, encode: Callable[[float, float], tuple[object, int]]) -> None:
        self.model = model  # faster_whisper.WhisperModel
        self._encoding = encode

    def __call__(self, span: tuple[float, float], text: str, language: str) -> float | None:
        from faster_whisper.tokenizer import Tokenizer

        enc, n = self._encoding(*span)
        tokenizer = Tokenizer(self.model.hf_tokenizer, True, task="translate", language=language)
        tokens = tokenizer.encode(" " + text.strip())
        if not tokens or n < 10:
            return None
        result = self.model.model.align(enc, [*tokenizer.sot_sequence, tokenizer.no_timestamps], [tokens], n)[0]
        return float(np.mean(np.log(np.maximum(np.asarray(result.text_token_probs), 1e-6))))


def _shown_by_others(spans: Sequence[tuple[float, float]], k: int, a: float, b: float) -> float:
    """The share of [a, b] that cues other than k show."""
    return sum(max(0.0, min(y, b) - max(x, a)) for j, (x, y) in enumerate(spans) if j != k) / max(b - a, 1e-3)


def check_translation_shift(inputs: AuditInputs, k: int, language: str, span: tuple[float, float],
                            spans: Sequence[tuple[float, float]], score: TranslationScorer,
                            starts: Sequence[float]) -> Verdict | None:
    """A translated cue shown away from its speech: only when it does not start on an onset of
    voice (an unambiguous in-time), and its text fits clearly better as Whisper's translation
    of an utterance that starts up to ``translation_search`` seconds away."""
    opts, cue, text = inputs.options, inputs.cues[k], inputs.cues[k].text.replace("\n", " ")
    a, b = span
    own = score((a, b), text, language)
    near = min(starts, key=lambda s: abs(s - a)) if starts else a
    if own is None or abs(near - a) <= opts.offset_threshold:
        return None
    best_shift, best_gain = 0.0, 0.0
    for s in [x for x in starts if opts.offset_threshold < abs(x - a) <= opts.translation_search]:
        trial = score((s, s + (b - a)), text, language)
        if trial is None:
            continue
        # Speech no other cue shows is where a moved cue most likely belongs.
        shown = _shown_by_others(spans, k, s, s + b - a)
        gain = trial - own - (0.0 if shown < opts.hole_shown else opts.translation_shown_penalty)
        if gain > best_gain:
            best_shift, best_gain = s - a, gain
    fills = best_shift != 0.0 and _shown_by_others(spans, k, a + best_shift, b + best_shift) < opts.hole_shown
    if not (best_gain >= opts.translation_shift_gain or (best_gain >= opts.translation_hole_gain and fills)):
        return None
    s0 = a + best_shift
    log.debug("cue %d: translated, fits %.2f s away better by %.2f", cue.index, best_shift, best_gain)
    f = finding("timing_offset", cue=cue.index, start=s0, end=s0 + (b - a), published=cue.text,
                heard=inputs.heard_text(s0, s0 + b - a), published_start=cue.start, published_end=cue.end,
                detail=f"shown {abs(best_shift):.2f} s {'after' if best_shift < 0 else 'before'} "
                       "the speech it translates")
    return Verdict((f,), corrected=(s0, s0 + (b - a)), covers=((s0, s0 + (b - a)),))


def check_translation_meaning(inputs: AuditInputs, k: int, language: str, spans: Sequence[tuple[float, float]],
                              score: TranslationScorer) -> Finding | None:
    """A translated cue whose text fits its own speech, as Whisper's translation, no better
    than the neighbouring cues' speech (by ``meaning_gain`` mean log-probability per token)."""
    opts, cue, text = inputs.options, inputs.cues[k], inputs.cues[k].text.replace("\n", " ")
    a, b = spans[k]
    own = score((a, b), text, language)
    if own is None:
        return None
    near = opts.meaning_neighbours
    neighbours = sorted((j for j in range(max(0, k - near), min(len(inputs.cues), k + near + 1)) if j != k),
                        key=lambda j: (abs(j - k), j))  # the nearest first: their audio is the likeliest kept
    baseline: list[float] = []
    for n, j in enumerate(neighbours):
        if meaning_settled(own, baseline, len(neighbours) - n, opts):
            log.debug("cue %d: a translation of its own speech, settled by %d of %d neighbours", cue.index, n,
                      len(neighbours))
            return None
        if (v := score(spans[j], text, language)) is not None:
            baseline.append(v)
    if len(baseline) < opts.meaning_min_neighbours:
        return None
    gain = own - float(np.median(baseline))
    if gain >= opts.meaning_gain:
        return None
    log.debug("cue %d: meaning_mismatch, gain %.2f", cue.index, gain)
    return finding("meaning_mismatch", cue=cue.index, start=a, end=b, published=cue.text,
                   heard=inputs.heard_text(a, b),
                   confidence=min(1.0, (opts.meaning_gain - gain) / (2 * opts.meaning_gain)),
                   detail="as a translation, the text fits this speech no better than other "
                          f"cues' speech (gain {gain:+.2f})")


def meaning_settled(own: float, baseline: Sequence[float], pending: int, opts: AuditOptions) -> bool:
    """Whether a translated cue passes ``check_translation_meaning`` whatever its ``pending``
    neighbours score (each may also score nothing): enough of the scores so far sit
    ``meaning_gain`` under its own that the median of any completed baseline does too, or too
    few neighbours could be scored. Each neighbour's score costs an encoding of its audio."""
    low = sum(own - v >= opts.meaning_gain for v in baseline)
    return all(low >= (len(baseline) + r) // 2 + 1 or len(baseline) + r < opts.meaning_min_neighbours
               for r in range(pending + 1))


class Translations:
    """The checks of cues over speech in another language (timing first, then meaning), each
    run as soon as every cue it compares with has been judged: its ``meaning_neighbours`` by
    index, and any cue its speech could have moved under (``translation_search``). Run then,
    its own audio's encoding, made for its language check, is still kept (``kept_encodings``)
    and is not made again for its scores. Moved cues are collected, not applied: every check
    sees where the cues are shown."""

    def __init__(self, inputs: AuditInputs, hearings: Hearings) -> None:
        self.inputs = inputs
        self.score = TranslationScorer(hearings.model, lambda a, b: hearings.encoding(*inputs.cue_span(a, b)))
        self.starts = [u[0] for u in utterances(inputs.rec.speech)]
        self.pending: list[tuple[int, str]] = []
        self.findings: list[Finding] = []
        self.moved: dict[int, tuple[float, float]] = {}

    def add(self, k: int, language: str) -> None:
        """Cue ``k`` is over speech in ``language``: its checks wait until they are settled."""
        self.pending.append((k, language))

    def settled(self, k: int, judged: int, spans: Sequence[tuple[float, float]]) -> bool:
        """Whether cue ``k``'s checks may run once cues up to ``judged`` are judged."""
        opts = self.inputs.options
        return judged >= k + opts.meaning_neighbours and spans[judged][0] >= spans[k][1] + opts.translation_search

    def run_settled(self, judged: int, spans: Sequence[tuple[float, float]]) -> None:
        """The waiting checks that cues up to ``judged`` settle, run in order."""
        while self.pending and self.settled(self.pending[0][0], judged, spans):
            self.check(*self.pending.pop(0), spans)

    def finish(self, spans: Sequence[tuple[float, float]]) -> None:
        """Every check still waiting, run: all cues are judged."""
        while self.pending:
            self.check(*self.pending.pop(0), spans)

    def check(self, k: int, language: str, spans: Sequence[tuple[float, float]]) -> None:
        """Cue ``k``'s timing, then, when it is not moved, its meaning."""
        shift = check_translation_shift(self.inputs, k, language, spans[k], spans, self.score, self.starts)
        if shift is not None:
            self.findings.extend(shift.findings)
            assert shift.corrected is not None
            self.moved[k] = shift.corrected
            return
        meaning = check_translation_meaning(self.inputs, k, language, spans, self.score)
        if meaning is not None:
            self.findings.append(meaning)
