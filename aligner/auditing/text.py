"""Text checks: a cue whose words the audio contradicts.

Text verdicts rest on likelihoods, not spelling (see ``evidence``): the published words and the
recogniser's own words are both scored, teacher-forced, on the same encoded audio, and a
passage is a mismatch only when the heard words are more probable by ``AuditOptions.text_margin``
nats. A passage over the margin in its alignment window (``gather.WindowJudge``) must clear it
again when the cue's own stretch is heard afresh, unprompted (:func:`hear_afresh`); there, what
the model prefers over silence too is its language talking (``prior_margin``), and in English
a passage whose published words fit the sound clearly better under an acoustic model with no
language model is the recogniser's invention (``phone_margin``: the phone-fit rescue).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..text.textnorm import spoken_tokens
from ..timing.phones import said_alike
from .acoustic_fit import phone_llrs
from .coverage import utterance_around
from .evidence import Disagreement, Passage, differing_passages, disagreements, heard_but_published, repeats
from .findings import Finding, finding
from .gather import CueEvidence, TextDispute
from .hearings import Hearings, span_key
from .inputs import AuditInputs, Matches
from .options import AuditOptions
from .sync import Sync
from .timing import shown_at
from .verdict import Verdict
from .words import unusual

__all__ = [
    "check_text",
    "contradicted",
    "cut_short",
    "hear_afresh",
    "own_audio",
    "phone_decided",
    "plan_hearings",
    "recheck_span",
    "rechecked_severity",
    "text_finding",
    "text_over_other_words",
    "text_severity",
    "text_verdict",
    "unheard_edges",
    "widened",
    "words_around",
]

log = logging.getLogger(__name__)


def text_verdict(disputes: Sequence[TextDispute], margin: float) -> list[TextDispute]:
    """The passages the audio contradicts: heard words more probable by ``margin`` nats."""
    return [d for d in disputes if d.llr >= margin]


def _describe(disputes: Sequence[TextDispute]) -> str:
    """A ``text_mismatch``'s detail: each passage, published beside heard."""
    return "; ".join(f"published '{d.published}' where the audio has '{d.heard}'" if d.published and d.heard else
                     f"published '{d.published}' is not spoken" if d.published else
                     f"spoken '{d.heard}' is missing" for d in disputes)


def check_text(inputs: AuditInputs, matches: Matches, hearings: Hearings, ev: CueEvidence,
               shown: tuple[float, float]) -> Verdict | None:
    """A spoken cue whose words the audio contradicts somewhere: each passage over the margin
    in its alignment window must be over it again on the cue's own stretch of audio (another
    context, the same question: no prompt, no hint of the answer)."""
    if ev.spoken is None:
        return None
    cue, margin = inputs.cues[ev.k], inputs.options.text_margin
    candidates = text_verdict(ev.disputes, margin)
    wrong = text_verdict(_recheck(inputs, matches, hearings, ev, candidates, shown), margin) if candidates else []
    for d in ev.disputes:
        log.debug("cue %d: %r vs heard %r, llr %.2f -> %s", cue.index, d.published, d.heard, d.llr,
                  "mismatch" if any(w.published == d.published for w in wrong) else "forgiven")
    if not wrong:
        return None
    s0, s1 = ev.spoken
    return Verdict((text_finding(inputs, ev.k, (s0, s1), inputs.heard_text(s0, s1), wrong),))


def text_finding(inputs: AuditInputs, k: int, span: tuple[float, float], heard: str,
                 wrong: Sequence[TextDispute]) -> Finding:
    """A ``text_mismatch`` over the passages the audio contradicts: an ``error`` when any of
    them is one (``text_severity``), else a ``check`` whose confidence is at most
    ``check_confidence``: the audio has not decided it."""
    cue, opts = inputs.cues[k], inputs.options
    errors = [d for d in wrong if d.severity == "error"]
    confidence = min(d.confidence for d in errors) if errors else \
        opts.check_confidence * min(d.confidence for d in wrong)
    return finding("text_mismatch", cue=cue.index, start=span[0], end=span[1], published=cue.text, heard=heard,
                   detail=_describe(wrong), confidence=confidence, severity="error" if errors else "check",
                   differences=tuple((d.published, d.heard) for d in wrong))


def text_severity(d: Disagreement, language: str, opts: AuditOptions) -> str:
    """How grave a contradicted passage is: an ``error`` when the acoustic model, which knows
    no words, hears the recogniser's words clearly better too (``phone_decides``, on a
    passage of a few words: over a long one the fit measures which text covers the audio,
    not which word was said), or when
    both texts are ordinary words of the language, whose likelihoods the speech model weighs
    well; a ``check`` when the published words repeat one just before (a stumble Whisper
    writes out of what it hears), when a passage of more than a few words has no acoustic fit
    (the recogniser heard another sentence there, not a word changed), when the passage runs
    on into a neighbouring cue's words
    (one voice over another: what the recogniser heard of the cues together says nothing of
    which of them is wrong), when the acoustic model finds no way to say the heard words in
    the sound but one for the published ("grondements" heard "bonnes moments" in a French
    reading: the recogniser's words do not fit the audio they are offered for), when both
    are said with the same phones ("psalters" heard "salters": ``phones.said_alike``), or when
    either side holds a name, a foreign word or a garble (``words.unusual``; a last word
    the hearing cut off, "vanu..." for "war nötig", is not counted) and the acoustic fit
    does not decide: then only the recogniser's spelling speaks against the subtitles."""
    if d.repeated or d.crosses:
        log.debug("%r (heard %r): %s: a check", d.published, d.heard,
                  "repeats a word just before it, a stumble Whisper leaves out" if d.repeated else
                  "runs on into a neighbour's words: which voice said what is not the recogniser's to decide")
        return "check"
    if d.unsayable:
        log.debug("%r (heard %r): the acoustic model finds no way to say the heard words in the sound, "
                  "and one for the published: a check", d.published, d.heard)
        return "check"
    if said_alike(d.published.split(), d.heard.split(), language):
        log.debug("%r (heard %r): said with the same phones: only the recogniser's spelling tells them apart: "
                  "a check", d.published, d.heard)
        return "check"
    if phone_decided(d, opts):
        return "error"
    short = _few_words(d, opts)
    if d.faint:
        log.debug("%r (heard %r): the speech is far under the recording's own level, and the acoustic fit "
                  "does not decide: a check", d.published, d.heard)
        return "check"
    if d.phone_llr is None and not short:
        log.debug("%r (heard %r): a long passage the acoustic fit cannot settle: a check", d.published, d.heard)
        return "check"
    heard = d.heard.split()[:-1] if d.cut else d.heard.split()  # a cut-off last word is no garble
    if unusual([*d.published.split(), *heard], language, opts.ordinary_zipf, opts.rare_zipf):
        log.debug("%r (heard %r): an unusual word, and the acoustic fit does not decide (%s): a check",
                  d.published, d.heard, d.phone_llr)
        return "check"
    return "error"


def phone_decided(d: Disagreement, opts: AuditOptions) -> bool:
    """Whether the acoustic model, which knows no words, hears the recogniser's words clearly
    better (``phone_decides``) on a passage of a few words a side (``phone_passage_words``:
    over a longer one the fit measures which text covers the audio, not which word was said)."""
    return d.phone_llr is not None and d.phone_llr >= opts.phone_decides and _few_words(d, opts)


def _few_words(d: Disagreement, opts: AuditOptions) -> bool:
    """Whether a passage holds at most ``phone_passage_words`` words a side."""
    return max(len(d.published.split()), len(d.heard.split())) <= opts.phone_passage_words


def hear_afresh(inputs: AuditInputs, hearings: Hearings, words: Sequence[str], a: float, b: float,
                around: tuple[Sequence[str], Sequence[str]] = ((), ())) -> tuple[list[str], list[Disagreement]]:
    """The stretch [a, b] heard again, unprompted, and a cue's words scored against that
    hearing on the same encoding: (what was heard, each differing passage inside the cue with
    its ratio). ``around``: the neighbours' words spoken in the stretch, before and after the
    cue's (``words_around``), set beside them; passages at the edges are words of a neighbour
    and are not scored. When a passage clears the margin, each also carries the ratio the
    model gives the two texts over silence of the same length: how much of the preference is
    language, not sound."""
    opts, lang, scorer = inputs.options, inputs.norm_language, hearings.scorer
    hearing = hearings.hearing(a, b)
    heard = hearing.words
    before, after = around
    full = [*before, *words, *after]
    passages = [p for p in differing_passages(full, heard, lang)
                if _inner(p, len(full)) and _within(p, len(before), len(before) + len(words))]
    if not heard or not passages:
        return heard, []
    mixed, where = heard_but_published(full, heard, passages)
    own, faint = (len(before), len(before) + len(words)), inputs.faint(a, b)
    found = [replace(d, repeated=not d.heard and repeats(full, d.first, d.stop, lang),
                     crosses=d.first < own[0] or d.stop > own[1], cut=d.heard_stop == len(heard), faint=faint)
             for d in disagreements(scorer.score(hearing.encoded, hearing.frames, mixed), hearing.own_score(scorer),
                                    passages, where)]
    if all(d.llr < opts.text_margin for d in found):
        return heard, found
    # The acoustic fit first: it needs no encoding, and where it clears every passage the
    # prior over silence (an encoding of its own) would not change the verdict.
    phones = phone_llrs(inputs, full, heard, passages, found, (a, b))
    found = [replace(d, phone_llr=x, unsayable=unsayable) for d, (x, unsayable) in zip(found, phones)]
    if all(d.llr < opts.text_margin or _fits_as_published(d, opts) for d in found):
        return heard, found
    silence, frames = hearings.silence(hearing.seconds)
    prior = disagreements(scorer.score(silence, frames, mixed), hearing.own_prior(scorer, silence, frames),
                          passages, where)
    return heard, [replace(d, prior_llr=p.llr) for d, p in zip(found, prior)]


def contradicted(d: Disagreement, opts: AuditOptions) -> bool:
    """Whether the audio contradicts a published passage: the speech model prefers the heard
    words by the margin, by more than its sense of language alone does, and an acoustic model
    with no language model does not find the published words clearly the better fit."""
    if d.llr < opts.text_margin:
        return False
    if _fits_as_published(d, opts):
        log.debug("%r (heard %r): the published words fit the sound better by %.1f nats under an acoustic "
                  "model with no language model: the recogniser's words are its own", d.published, d.heard,
                  -(d.phone_llr or 0.0))
        return False
    if d.acoustic_llr < opts.prior_margin:
        log.debug("%r (heard %r): the model prefers the heard words over silence too (%.2f of %.2f nats): "
                  "language, not sound", d.published, d.heard, d.prior_llr, d.llr)
        return False
    return True


def _fits_as_published(d: Disagreement, opts: AuditOptions) -> bool:
    """Whether the published words fit the sound clearly better under the acoustic model with
    no language model (``phone_margin``): the recogniser's words are then its own."""
    return d.phone_llr is not None and d.phone_llr <= -opts.phone_margin


def _within(p: Passage, first: int, stop: int) -> bool:
    """A passage that holds words [first, stop) of the published text, or heard words between
    two of them."""
    if p.first == p.stop:
        return first < p.first < stop
    return p.first < stop and p.stop > first


def _inner(p: Passage, n_words: int) -> bool:
    """A passage inside the cue, not words of a neighbour caught at either edge of the audio."""
    if p.first == p.stop:  # heard words the cue lacks: inside it, or a neighbour's at an edge
        return 0 < p.first < n_words
    if p.heard_first == p.heard_stop:  # cue words not heard: at an edge, the hearing may have stopped short
        return 0 < p.first and p.stop < n_words
    return True


def _recheck(inputs: AuditInputs, matches: Matches, hearings: Hearings, ev: CueEvidence,
             candidates: Sequence[TextDispute], shown: tuple[float, float]) -> list[TextDispute]:
    """The candidate passages heard again, unprompted, on the cue's own audio (its words and
    a margin either side), and scored against that hearing: each keeps the smallest of its
    ratios. A passage the second hearing bears out (the same words) is the recogniser's slip;
    one whose heard words the model prefers as much over silence is its language talking.
    A doubted first or last word that even a wider hearing hears nothing for keeps its first
    ratio as a ``check``: only the first hearing speaks against it."""
    heard, again = _second_hearing(inputs, hearings, ev, [c.published for c in candidates], shown)
    if not heard:
        return []
    log.debug("cue %d heard afresh %r: %s", inputs.cues[ev.k].index, " ".join(heard),
              [(d.published, d.heard, d.llr, d.prior_llr, d.phone_llr) for d in again])
    unheard = [any(unheard_edges(ev.words, heard, inputs.norm_language, [c.published])) for c in candidates]
    return [replace(c, severity="check") if u else _rechecked(inputs, ev, c, again)
            for c, u in zip(candidates, unheard)]


def _second_hearing(inputs: AuditInputs, hearings: Hearings, ev: CueEvidence, doubted: Sequence[str],
                    shown: tuple[float, float]) -> tuple[list[str], list[Disagreement]]:
    """``hear_afresh`` over the cue's own audio (``recheck_span``), heard again wider when it
    stopped short (``cut_short``) or heard nothing for a doubted first or last word."""
    a, b = recheck_span(inputs, ev, shown)
    pad, k = inputs.options.rehear_pad, inputs.cues[ev.k].index
    heard, again = hear_afresh(inputs, hearings, ev.words, a, b)
    if cut_short(heard, ev.words, inputs.norm_language, inputs.options.short_hearing):
        # Greedy decoding can stop at once on one exact stretch and read it whole 40 ms
        # either way (sonnet III: "the" for a line of eight words over 12.34-16.52 s): heard
        # once more over a little more audio, a stretch decoded afresh
        log.debug("cue %d: heard only %r over %.2f-%.2f s: heard again over %.2f s more each side",
                  k, " ".join(heard), a, b, pad)
        a, b = a - pad, b + pad
        heard, again = hear_afresh(inputs, hearings, ev.words, a, b)
    early, late = unheard_edges(ev.words, heard, inputs.norm_language, doubted)
    if early or late:
        # The stretch starts where the cue's words were found, so after a doubted first word
        # found nowhere, and its edges move with the arithmetic ("setting," swapped for
        # "umbrella" in LJ Speech went unheard, and so unjudged, in one int8 run)
        a, b = widened(a, b, shown, pad, early, late)
        log.debug("cue %d: a doubted word at its %s went unheard: heard again over %.2f-%.2f s",
                  k, "start" if early else "end", a, b)
        heard, again = hear_afresh(inputs, hearings, ev.words, a, b)
    return heard, again


def cut_short(heard: Sequence[str], words: Sequence[str], language: str, share: float) -> bool:
    """Whether a second hearing of a cue whose words were found holds under ``share`` of its
    spoken tokens: the decoding stopped short, it did not hear other words (pure)."""
    said = sum(len(spoken_tokens(w, language)) for w in words)
    return sum(len(spoken_tokens(w, language)) for w in heard) < share * said


def unheard_edges(words: Sequence[str], heard: Sequence[str], language: str,
                  doubted: Sequence[str]) -> tuple[bool, bool]:
    """Whether a doubted passage (``doubted``: published words) holds the cue's first, or its
    last, words and a second hearing heard nothing for them: the stretch heard may have begun
    after them or ended before them, and an edge passage is never scored (pure)."""
    edges = [p for p in differing_passages(words, heard, language)
             if p.first < p.stop and p.heard_first == p.heard_stop and (p.first == 0 or p.stop == len(words))]
    hit = [p for p in edges if any(d and _same_passage(d, " ".join(words[p.first:p.stop])) for d in doubted)]
    return any(p.first == 0 for p in hit), any(p.stop == len(words) for p in hit)


def widened(a: float, b: float, shown: tuple[float, float], pad: float, early: bool,
            late: bool) -> tuple[float, float]:
    """A stretch reaching further on the side where a doubted word went unheard: ``pad`` more,
    and at least to ``pad`` beyond where the cue is shown on that side (a word found nowhere
    does not count where the cue's words were found, so the stretch may start well after it
    is said; pure)."""
    return (min(a - pad, shown[0] - pad) if early else a, max(b + pad, shown[1] + pad) if late else b)


def recheck_span(inputs: AuditInputs, ev: CueEvidence, shown: tuple[float, float]) -> tuple[float, float]:
    """The stretch a spoken cue's doubted passages are heard again on: its own audio
    (``own_audio``), ``recheck_pad`` either side."""
    assert ev.spoken is not None
    s0, s1 = own_audio(ev.spoken, shown, inputs.options.offset_threshold)
    return s0 - inputs.options.recheck_pad, s1 + inputs.options.recheck_pad


def plan_hearings(inputs: AuditInputs, evidence: Sequence[CueEvidence], sync: Sync,
                  early: dict[int, Verdict | None]) -> list[tuple[float, float]]:
    """The stretches ``check_text`` will hear afresh, in order (``span_key``'s): the own audio
    of each spoken cue with a passage over the margin that no ``early`` verdict explains. Only
    these are heard ahead, with one asked for (``hearing_batch``): a cue whose words were not
    found may turn out moved or translated, and its stretch would be encoded for nothing."""
    out: set[tuple[float, float]] = set()
    for ev in evidence:
        if ev.spoken is not None and early.get(ev.k) is None and text_verdict(ev.disputes, inputs.options.text_margin):
            out.add(span_key(*recheck_span(inputs, ev, shown_at(inputs, ev, sync))))
    return sorted(out)


def own_audio(spoken: tuple[float, float], shown: tuple[float, float], slack: float) -> tuple[float, float]:
    """The stretch a cue not judged shifted can be saying: where its words were found, but no
    further than ``slack`` outside where it is shown. A cue beside speech with no cue may have
    its first or last words matched into that speech ("they are" found in "volunteers are" of
    the line before); a second hearing there would hear the neighbour's words as the cue's."""
    a, b = max(spoken[0], shown[0] - slack), min(spoken[1], shown[1] + slack)
    return (a, b) if a < b else spoken


def _rechecked(inputs: AuditInputs, ev: CueEvidence, c: TextDispute, again: Sequence[Disagreement]) -> TextDispute:
    """One candidate passage against the second hearing's passages (those at its place)."""
    same = [d for d in again if (_same_passage(d.published, c.published) if c.published
                                 else not d.published and _same_passage(d.heard, c.heard))]
    if not c.published:  # words left out: confirmed by being heard again, not by a ratio
        return c if same else replace(c, llr=0.0)
    if not same:  # heard as published the second time
        return replace(c, llr=0.0, confidence=0.0)
    best = max(same, key=lambda d: d.llr)
    llr = min(c.llr, best.llr) if contradicted(best, inputs.options) else 0.0
    log.debug("cue %d: %r (heard %r) rechecked on its own audio: llr %.2f -> %.2f",
              inputs.cues[ev.k].index, c.published, c.heard, c.llr, llr)
    heard = best.heard if c.severity == "check" else c.heard  # a shared passage: what was heard of this cue
    return replace(c, heard=heard, llr=llr, confidence=1.0 - float(np.exp(-max(0.0, llr))),
                   severity=rechecked_severity(c, best, inputs.norm_language, inputs.options))


def rechecked_severity(c: TextDispute, best: Disagreement, language: str, opts: AuditOptions) -> str:
    """How grave a candidate passage is, by its second hearing ``best`` (``text_severity``);
    a candidate already marked a ``check``, a passage first heard over several cues
    (``gather.shared_passage``), stays one. What was heard of several cues together says
    nothing of which of them is wrong ("Well should", heard "So" under crosstalk in the AMI
    meeting), and the cue's own hearing may begin in its neighbour's last word: FLEURS-de's
    "eine schlampige", heard "auf deine schlampege" with the "oft" before it, fitted 191 nats
    better as heard in float32, an error no other arithmetic gave."""
    if c.severity == "check":
        log.debug("%r (heard %r): first heard over several cues: a check", c.published, best.heard)
        return "check"
    return text_severity(best, language, opts)


def _same_passage(a: str, b: str) -> bool:
    """Whether two passages share a word or a spoken token: the same place in the cue."""
    ta, tb = set(spoken_tokens(a.replace(" ", "_"))), set(spoken_tokens(b.replace(" ", "_")))
    return bool(set(a.lower().split()) & set(b.lower().split())) or bool(ta & tb)


def text_over_other_words(inputs: AuditInputs, matches: Matches, hearings: Hearings, ev: CueEvidence,
                          shown: tuple[float, float]) -> Verdict:
    """A cue over speech in its own language whose words were not found: heard afresh,
    unprompted, and scored against that hearing passage by passage; only a passage over the
    margin makes it a mismatch (the recogniser may have failed, not the subtitler)."""
    cue = inputs.cues[ev.k]
    a, b = shown
    # The utterance around the cue may hold a neighbour's words too: set beside the cue's.
    s0, s1 = utterance_around(inputs, a, b)
    around = words_around(inputs, matches, ev.k, s0, s1, offset=a - cue.start)
    heard, found = hear_afresh(inputs, hearings, ev.words, s0, s1, around=around)
    if cut_short(heard, [*around[0], *ev.words, *around[1]], inputs.norm_language, inputs.options.short_hearing):
        pad = inputs.options.rehear_pad  # decoding stopped short, as in ``_second_hearing``
        log.debug("cue %d: heard only %r: heard again over %.2f s more each side", cue.index, " ".join(heard), pad)
        heard, found = hear_afresh(inputs, hearings, ev.words, s0 - pad, s1 + pad, around=around)
    log.debug("cue %d: not found; heard afresh %r: %s", cue.index, " ".join(heard),
              [(d.published, d.heard, d.llr, d.prior_llr, d.phone_llr) for d in found])
    language, opts = inputs.norm_language, inputs.options
    wrong = [TextDispute(d.published, d.heard, d.llr, d.confidence, text_severity(d, language, opts))
             for d in found if contradicted(d, opts)]
    if not wrong:
        return Verdict(covers=(shown,))
    return Verdict((text_finding(inputs, ev.k, (a, b), " ".join(heard), wrong),), covers=(shown,))


def words_around(inputs: AuditInputs, matches: Matches, k: int, a: float, b: float,
                 offset: float = 0.0) -> tuple[list[str], list[str]]:
    """The other cues' words spoken inside [a, b], before and after cue ``k``'s own: a
    hearing of an utterance that cue ``k`` shares with its neighbours hears their words
    too, and unless they stand beside the cue's words they read as the cue's misheard.
    ``offset``: how far the subtitles' times lie from the audio's (the file's own offset)."""
    first, stop = bisect.bisect_left(inputs.owner, k), bisect.bisect_right(inputs.owner, k)
    before = _timed_run(inputs, matches, range(first - 1, -1, -1), a, b, offset)[::-1]
    return before, _timed_run(inputs, matches, range(stop, len(inputs.words)), a, b, offset)


def _timed_run(inputs: AuditInputs, matches: Matches, order: range, a: float, b: float,
               offset: float = 0.0) -> list[str]:
    """The words in ``order`` whose middle lies in [a, b], up to the first outside. A word
    the aligner could not time (a crosstalk cue's, a line left in another language) stands
    where its cue is shown: skipping it set "Has" beside words a line later, and the speech
    under the untimed line in between read as "Has" misheard."""
    out: list[str] = []
    for i in order:
        t = matches.times.get(i)
        if t is not None:
            middle = (t.start + t.end) / 2
        else:
            cue = inputs.cues[inputs.owner[i]]
            middle = (cue.start + cue.end) / 2 + offset
        if not a <= middle <= b:
            break
        out.append(inputs.words[i])
    return out
