"""Cues found where they are shown: a twin line does not take the speech of the cue shown over it.

The cues' words are matched to what was heard whole and in order (``timing.matching``), which
knows nothing of when a cue is shown. Two cues that say nearly the same words (a translated
quote and the narrator's paraphrase of it, a repeated refrain) are a tie for it: the first may
take the words spoken under the second, which is then "missing" and the first "shifted". Before
the words are timed, each such pairing is given to the cue shown over the speech
(:func:`shown_first`).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import replace
from difflib import SequenceMatcher

from ..text.textnorm import spoken_tokens
from ..timing.matching import Matching, Span
from .inputs import AuditInputs

__all__ = ["shown_first", "twin_of"]

log = logging.getLogger(__name__)


def _cue_range(inputs: AuditInputs, k: int) -> range:
    """The positions of cue ``k``'s words in ``inputs.words``."""
    return range(bisect.bisect_left(inputs.owner, k), bisect.bisect_right(inputs.owner, k))


def _tokens(words: Sequence[str], language: str) -> list[str]:
    return [t for w in words for t in spoken_tokens(w, language)]


def twin_of(inputs: AuditInputs, pairs: dict[int, int], k: int) -> int | None:
    """The cue shown over the speech cue ``k``'s words were matched to, when it is not cue
    ``k`` itself, has found none of its own words, says those words as well as cue ``k``
    does (``elsewhere_similarity``), and no cue between the two found any: then the speech is
    its, and cue ``k`` was matched there by a tie."""
    opts, rec, lang = inputs.options, inputs.rec, inputs.norm_language
    heard = sorted(pairs[i] for i in _cue_range(inputs, k) if i in pairs)
    if len(heard) < opts.elsewhere_min_tokens:
        return None
    a, b = rec.words[heard[0]].start, rec.words[heard[-1]].end
    cue = inputs.cues[k]
    if cue.start - opts.offset_threshold <= b and a <= cue.end + opts.offset_threshold:
        return None  # found where it is shown
    said = _tokens([rec.words[h].text for h in range(heard[0], heard[-1] + 1)], lang)
    own = SequenceMatcher(None, _tokens([inputs.words[i] for i in _cue_range(inputs, k)], lang), said).ratio()
    for j, other in enumerate(inputs.cues):
        if j == k or other.end < a or other.start > b or any(i in pairs for i in _cue_range(inputs, j)):
            continue
        between = range(min(j, k) + 1, max(j, k))
        if any(i in pairs for m in between for i in _cue_range(inputs, m)):
            continue
        theirs = SequenceMatcher(None, _tokens([inputs.words[i] for i in _cue_range(inputs, j)], lang), said).ratio()
        if theirs >= max(own, opts.elsewhere_similarity):
            return j
    return None


def _repaired(inputs: AuditInputs, pairs: dict[int, int], k: int, j: int) -> dict[int, int]:
    """The pairs with cue ``k``'s heard words given to cue ``j``'s words instead, word by
    word where their spoken tokens agree."""
    lang, rec = inputs.norm_language, inputs.rec
    heard = sorted(pairs[i] for i in _cue_range(inputs, k) if i in pairs)
    span = list(range(heard[0], heard[-1] + 1))
    mine = list(_cue_range(inputs, j))
    keys_j = [" ".join(spoken_tokens(inputs.words[i], lang)) for i in mine]
    keys_h = [" ".join(spoken_tokens(rec.words[h].text, lang)) for h in span]
    out = {i: h for i, h in pairs.items() if i not in _cue_range(inputs, k)}
    for block in SequenceMatcher(None, keys_j, keys_h, autojunk=False).get_matching_blocks():
        for n in range(block.size):
            out[mine[block.a + n]] = span[block.b + n]
    return dict(sorted(out.items()))


def shown_first(inputs: AuditInputs, matching: Matching) -> Matching:
    """``matching`` with each cue matched by a tie to its twin's speech (``twin_of``) given up
    to the twin, which is shown over it: the first cue's words are then unheard where they
    were matched, and judged where it is shown (a translated quote over speech in another
    language, for one)."""
    pairs = dict(matching.pairs)
    for k in range(len(inputs.cues)):
        j = twin_of(inputs, pairs, k)
        if j is not None:
            log.debug("cue %d: its words were matched under cue %d, which says them as well and is shown "
                      "there: that speech is cue %d's", inputs.cues[k].index, inputs.cues[j].index,
                      inputs.cues[j].index)
            pairs = _repaired(inputs, pairs, k, j)
    if pairs == dict(matching.pairs):
        return matching
    return replace(matching, pairs=tuple(sorted(pairs.items())), unheard=_unheard(inputs, matching, pairs))


def _unheard(inputs: AuditInputs, matching: Matching, pairs: dict[int, int]) -> tuple[Span, ...]:
    """The matching's unheard runs, less the words now paired, plus each cue's run whose
    words lost their pairs."""
    kept = [s for s in matching.unheard if not any(i in pairs for i in range(s.first, s.stop))]
    lost = [k for k in range(len(inputs.cues))
            if any(i in dict(matching.pairs) for i in _cue_range(inputs, k))
            and not any(i in pairs for i in _cue_range(inputs, k))]
    added = [Span(_cue_range(inputs, k).start, _cue_range(inputs, k).stop) for k in lost]
    return tuple(sorted([*kept, *added], key=lambda s: s.first))
