"""Coverage: speech with no cue over it, cues over no speech, and where unfound words are said.

Every verdict says what speech its cue accounts for (``Verdict.covers``); what voice is left
uncovered once every cue is judged is a ``missing_subtitle``. A cue over too little voice is an
``extra_subtitle``. Utterances (voice with short pauses bridged) are the unit both the
translation checks and the second hearings of unfound cues work in.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Collection, Sequence
from difflib import SequenceMatcher

from ..hearing.voice import joined
from ..text.textnorm import spoken_tokens
from .findings import Finding, finding
from .gather import CueEvidence
from .inputs import AuditInputs, Matches
from .verdict import Verdict

__all__ = ["check_extra", "find_elsewhere", "missing_subtitles", "uncovered", "utterance_around", "utterances"]

log = logging.getLogger(__name__)


def utterances(speech: Sequence[tuple[float, float]], bridge: float = 0.35) -> list[tuple[float, float]]:
    """Spans with gaps under ``bridge`` seconds joined: voice so joined is an utterance, and
    a translated cue starts with one of these."""
    return joined(speech, bridge)


def utterance_around(inputs: AuditInputs, a: float, b: float) -> tuple[float, float]:
    """The utterance of voice around [a, b] when there is one not longer than
    ``utterance_longest`` seconds: the unit that unheard cues over the same speech share."""
    opts = inputs.options
    slack, pad = opts.utterance_slack, opts.utterance_pad
    for u0, u1 in utterances(inputs.rec.speech):
        if u0 - slack <= a and b <= u1 + slack and u1 - u0 <= opts.utterance_longest:
            return (min(a, u0) - pad, max(b, u1) + pad)
    return (a - pad, b + pad)


def uncovered(speech: Sequence[tuple[float, float]], covered: Sequence[tuple[float, float]],
               join: float = 1.0) -> list[tuple[float, float]]:
    """Stretches of voice with no cue over them, pauses under ``join`` seconds that no cue is
    shown over bridged (``_bridged``): a removed cue of two sentences is one stretch, not two."""
    merged = joined(sorted(covered))
    ends = [c1 for _, c1 in merged]
    pieces: list[tuple[float, float]] = []
    for a, b in speech:
        cur = a
        for c0, c1 in merged[bisect.bisect_right(ends, a):]:
            if c0 >= b:
                break
            if c0 > cur:
                pieces.append((cur, c0))
            cur = max(cur, c1)
        if cur < b:
            pieces.append((cur, b))
    return _bridged(pieces, merged, join)


def _bridged(pieces: Sequence[tuple[float, float]], covered: Sequence[tuple[float, float]],
             join: float) -> list[tuple[float, float]]:
    """``pieces`` (in order) with each pause between two of them made one with them: under
    half a second always (as an utterance bridges), under ``join`` unless a covered span lies
    in the pause (a cue shown there parts them)."""
    out: list[tuple[float, float]] = []
    for a, b in pieces:
        gap = a - out[-1][1] if out else float("inf")
        if gap < 0.5 or (gap < join and not any(c0 < a and c1 > out[-1][1] for c0, c1 in covered)):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def missing_subtitles(inputs: AuditInputs, matches: Matches, covered: Sequence[tuple[float, float]]) -> list[Finding]:
    """Speech with no cue over it: from ``min_missing`` seconds when the recogniser heard words
    there that no cue claims, from ``min_missing_unworded`` when it heard none."""
    opts, words = inputs.options, inputs.rec.words
    taken = matches.claimed
    out = []
    margin = opts.coverage_margin
    for a, b in uncovered(inputs.rec.speech, [(x - margin, y + margin) for x, y in covered], opts.missing_join):
        # recognised word times are spread over their segment, so overlap with some slack
        worded = [i for i in inputs.words_between(a - opts.missing_word_slack - 1.0, b + opts.missing_word_slack + 1.0)
                  if i not in taken and words[i].end >= a - opts.missing_word_slack
                  and words[i].start <= b + opts.missing_word_slack]
        if b - a < (opts.min_missing if worded else opts.min_missing_unworded):
            continue
        log.debug("missing_subtitle %.2f-%.2f (%d unclaimed words heard)", a, b, len(worded))
        out.append(finding("missing_subtitle", cue=None, start=a, end=b, heard=inputs.heard_text(a, b),
                           detail=f"{b - a:.1f} s of speech with no cue"))
    return out


def check_extra(inputs: AuditInputs, ev: CueEvidence, shown: tuple[float, float]) -> Verdict | None:
    """A cue whose words were not found, shown over too little voice (``extra_max_voiced``):
    over silence or music, with nothing said for it to subtitle."""
    cue = inputs.cues[ev.k]
    a, b = shown
    voiced = inputs.rec.speech_between(a, b) / max(b - a, 1e-3)
    if voiced >= inputs.options.extra_max_voiced:
        return None
    log.debug("cue %d: extra_subtitle, %.0f%% voiced", cue.index, 100 * voiced)
    return Verdict((finding("extra_subtitle", cue=cue.index, start=cue.start, end=cue.end, published=cue.text,
                            detail="shown over no speech (silence or music)"),))


def find_elsewhere(inputs: AuditInputs, cue_text: Sequence[str], taken: Collection[int]) -> tuple[float, float] | None:
    """Where a cue's words are spoken among the words no other cue claimed, if anywhere. Only
    windows that share a token with the cue can reach the similarity asked, so only those are
    compared (a dense file asks this for thousands of cues over thousands of words)."""
    lang, words, opts = inputs.norm_language, inputs.rec.words, inputs.options
    tokens = [t for w in cue_text for t in spoken_tokens(w, lang)]
    if len(tokens) < opts.elsewhere_min_tokens:
        return None
    heard = inputs.heard_tokens
    free = [i for i in range(len(words)) if i not in taken]
    wanted = set(tokens)
    n = len(cue_text)
    starts = sorted({s for k, i in enumerate(free) if wanted.intersection(heard[i])
                     for s in range(max(0, k - n + 1), k + 1)})
    best, where = 0.0, None
    for s in starts:
        window = free[s:s + n]
        spread = words[window[-1]].start - words[window[0]].end
        if len(window) < max(2, n // 2) or spread > opts.elsewhere_seconds_per_word * n:
            continue
        matcher = SequenceMatcher(None, tokens, [t for i in window for t in heard[i]], autojunk=False)
        if matcher.quick_ratio() <= best:
            continue
        score = matcher.ratio()
        if score > best:
            best, where = score, (words[window[0]].start, words[window[-1]].end)
    return where if best >= opts.elsewhere_similarity else None
