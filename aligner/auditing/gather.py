"""The evidence gathered about each cue before any verdict: where its words are spoken, how
its text scores against what the model hears there, its language.

Each cue is found in the audio the way ``align`` finds transcript words: its words matched to
the recognised words, then (over speech in the subtitles' language) force-aligned window by
window. While each window's encoding is alive, :class:`WindowJudge` scores the published words
against the recogniser's own words over the same stretch, so the text evidence costs no extra
encoder pass. :func:`gather_evidence` then makes one frozen :class:`CueEvidence` per cue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..hearing.encodings import Encodings
from ..results import WordTime
from ..text.languages import detect_text_language
from ..text.textnorm import spoken_tokens
from ..timing.matching import Matching, match
from ..timing.whisper import EncodedWindow, match_text, time_text
from .evidence import Disagreement, TextScorer, differing_passages, disagreements, heard_but_published
from .hearings import Hearings
from .inputs import AuditInputs, Matches
from .placement import shown_first

__all__ = ["CueEvidence", "TextDispute", "WindowJudge", "disputes_by_cue", "dropped_inside", "find_cues",
           "gather_evidence", "heard_nearby", "shared_passage"]

log = logging.getLogger(__name__)

Found = tuple[tuple[int, ...], Disagreement]  # a disagreement, and the cue words it touches


@dataclass(frozen=True)
class TextDispute:
    """A passage of a cue that the audio may not bear out, with its likelihood evidence."""

    published: str
    heard: str
    llr: float
    confidence: float
    # or "check": only the recogniser's spelling supports it (``text_severity``); before the
    # second hearing, a passage first heard over several cues (``shared_passage``)
    severity: str = "error"


@dataclass(frozen=True)
class CueEvidence:
    """What the audio says about one cue, gathered before any verdict."""

    k: int  # position in the cue list
    words: tuple[str, ...]
    ratio: float  # share of the cue's words found among the recognised words
    spoken: tuple[float, float] | None  # where its words are spoken, when clearly heard
    disputes: tuple[TextDispute, ...]  # passages scored against what was heard there
    language: str | None  # langdetect's reading of the text, when long enough to judge
    heard_nearby: float  # share of the cue's tokens heard, as such, around where it is shown


class WindowJudge:
    """Scores, window by window while the encoder's output is alive, the published words
    against the recogniser's own words over the same stretch; keeps each disagreement that
    touches a word the window owns (context words are judged in their own window)."""

    def __init__(self, inputs: AuditInputs, scorer: TextScorer) -> None:
        self.inputs = inputs
        self.scorer = scorer
        self.found: list[Found] = []
        self._matching: Matching | None = None
        self._pairs: dict[int, int] = {}
        self._taken: set[int] = set()

    def __call__(self, matching: Matching, enc: EncodedWindow) -> None:
        inputs, win = self.inputs, enc.window
        idx = list(enc.words)
        if self._matching is not matching:  # once per file, not once per window
            self._matching, self._pairs = matching, dict(matching.pairs)
            self._taken = set(self._pairs.values())
        pairs, taken = self._pairs, self._taken
        heard_idx = [pairs[i] for i in idx if i in pairs]
        if not heard_idx:
            return
        lo, hi = min(heard_idx), max(heard_idx)
        rw = inputs.rec.words
        if idx[0] not in pairs:  # the first word unmatched: its heard counterpart may lie just before
            while lo > 0 and lo - 1 not in taken and rw[lo - 1].start >= win.start:
                lo -= 1
        if idx[-1] not in pairs:
            while hi + 1 < len(rw) and hi + 1 not in taken and rw[hi + 1].end <= win.end:
                hi += 1
        pub_words = [inputs.words[i] for i in idx]
        heard_words = [w.text for w in rw[lo:hi + 1]]
        passages = differing_passages(pub_words, heard_words, inputs.norm_language)
        if not passages:
            return
        mixed, where = heard_but_published(pub_words, heard_words, passages)
        heard = self.scorer.score(enc.encoded, enc.num_frames, heard_words)
        published = self.scorer.score(enc.encoded, enc.num_frames, mixed)
        own = range(win.context_before, len(idx) - win.context_after)
        for d in disagreements(published, heard, passages, where):
            touched = list(range(d.first, d.stop)) or [d.first - 1, d.first]
            if not any(p in own for p in touched):
                continue
            positions = tuple(idx[p] for p in touched if 0 <= p < len(idx))
            log.debug("window %.1f-%.1f: published %r heard %r llr %.2f", win.start, win.end,
                      d.published, d.heard, d.llr)
            self.found.append((positions, d))


def find_cues(inputs: AuditInputs, hearings: Hearings, encodings: Encodings | None = None,
              progress: Callable[[float], None] | None = None) -> tuple[Matches, dict[int, list[TextDispute]]]:
    """Where the cues' words are spoken, and the passages the audio may not bear out, by cue.

    Over speech in the subtitles' language the words are matched and force-aligned (reading
    ``encodings``, recognition's chunks, where they serve), each window's disagreements scored
    as it goes (:class:`WindowJudge`), and speech a cue skips over is added
    (:func:`dropped_inside`); over speech in another language they are only matched (a cue
    heard word for word there was left untranslated)."""
    judge = WindowJudge(inputs, hearings.scorer)
    matches = Matches()
    if inputs.same_language and inputs.words:
        matching = shown_first(inputs, match_text(list(inputs.words), inputs.rec, inputs.norm_language))
        timing = time_text(hearings.model, inputs.audio, inputs.rec, list(inputs.words), matching=matching,
                           language=inputs.norm_language, on_window=judge, encodings=encodings, progress=progress)
        pairs = dict(timing.matching.pairs)
        matches = Matches(pairs, placed_as_heard(inputs, pairs, timing.times), timing.matching)
    elif inputs.words:
        matches = Matches(dict(match(list(inputs.words), inputs.rec.words, lang=inputs.norm_language).pairs))
    disputes = disputes_by_cue(inputs, judge.found)
    for k, extra in dropped_inside(inputs, matches).items():
        disputes.setdefault(k, []).extend(extra)
    return matches, disputes


def placed_as_heard(inputs: AuditInputs, pairs: dict[int, int],
                    times: dict[int, WordTime]) -> dict[int, WordTime]:
    """The forced times, with each matched word the aligner placed far from where it was
    heard, and without conviction, taken where it was heard instead: unalignable words before
    it (a cue left in another language) drag the path, and a neighbour's first word so placed
    seconds early would make that cue "shifted"."""
    opts, rw = inputs.options, inputs.rec.words
    out = dict(times)
    for i, t in times.items():
        heard = rw[pairs[i]] if i in pairs else None
        if heard is None or t.probability >= opts.placed_probability:
            continue
        if abs(t.start - heard.start) > opts.placed_disagreement:
            log.debug("word %d %r: aligned at %.2f s (p %.1e), heard at %.2f s: taken as heard", i,
                      inputs.words[i], t.start, t.probability, heard.start)
            out[i] = WordTime(heard.start, heard.end, t.probability)
    return out


def disputes_by_cue(inputs: AuditInputs, found: Sequence[Found]) -> dict[int, list[TextDispute]]:
    """Disagreements given to the cue whose words they touch; a passage heard between two
    cues belongs to neither (it is speech with no cue, found by coverage). A passage that runs
    over several cues' words goes to each of them, with that cue's part of it, a ``check`` at
    most (``shared_passage``)."""
    out: dict[int, list[TextDispute]] = {}
    for positions, d in found:
        cues = {inputs.owner[i] for i in positions}
        if d.stop == d.first and (len(cues) != 1 or len(positions) < 2):
            continue  # heard between two cues, or before the first or after the last word of a window
        if len(cues) == 1:
            out.setdefault(cues.pop(), []).append(TextDispute(d.published, d.heard, d.llr, d.confidence))
            continue
        for k, dispute in shared_passage(inputs.owner, inputs.words, positions, d).items():
            out.setdefault(k, []).append(dispute)
    return out


def shared_passage(owner: Sequence[int], words: Sequence[str], positions: Sequence[int],
                   d: Disagreement) -> dict[int, TextDispute]:
    """A passage over several cues' words, as each cue's own dispute: its words in the
    passage against all that was heard there, a ``check`` at most, heard again on the cue's
    own audio (``text.rechecked_severity``). Dropped, as such passages were, a changed
    number at a cue's end heard with the next cue's first word ("seventy sixty-two)
    imitates" heard "1462. It mutates" under noise) was never judged; and one voice over
    another (the AMI meeting's "Should we / Has anybody / Well should", heard "So") is heard
    as one passage, which cannot say which cue is wrong (pure)."""
    parts: dict[int, list[str]] = {}
    for i in positions:
        parts.setdefault(owner[i], []).append(words[i])
    return {k: TextDispute(" ".join(ws), d.heard, d.llr, d.confidence, severity="check") for k, ws in parts.items()}


def heard_nearby(inputs: AuditInputs, k: int, words: Sequence[str]) -> float:
    """Share of a cue's spoken tokens that the recogniser heard, as such, around the cue's
    time: in a translated clip, a cue heard word for word was left untranslated."""
    cue = inputs.cues[k]
    tokens = [t for w in words for t in spoken_tokens(w, inputs.audio_language)]
    if not tokens:
        return 0.0
    heard = [t for i in inputs.words_between(cue.start - 1.0, cue.end + 1.0)
             for t in spoken_tokens(inputs.rec.words[i].text, inputs.audio_language)]
    matcher = SequenceMatcher(None, tokens, heard, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / len(tokens)


def dropped_inside(inputs: AuditInputs, matches: Matches) -> dict[int, list[TextDispute]]:
    """Speech inside a cue that the cue does not have ("much larger liberation troops"
    published as "troops"). Teacher forcing skips audio cheaply, so likelihoods are weak
    evidence here; the evidence is acoustic: at least ``min_missing`` seconds of voice between
    two of the cue's aligned words, where the recogniser heard words. The cue's own second
    hearing must hear them too (``text.check_text``); confidence grows with the voiced gap."""
    out: dict[int, list[TextDispute]] = {}
    if matches.matching is None:
        return out
    owner, times = inputs.owner, matches.times
    for span in matches.matching.untranscribed:
        at = span.at
        if not 0 < at < len(owner) or owner[at - 1] != owner[at]:
            continue
        if at - 1 not in times or at not in times:
            continue
        gap = (times[at - 1][1], times[at][0])
        voiced = inputs.rec.speech_between(*gap)
        heard = " ".join(w.text for w in inputs.rec.words[span.first:span.stop])
        log.debug("cue %d: %.2f s of voice between %r and %r, heard %r", inputs.cues[owner[at]].index, voiced,
                  inputs.words[at - 1], inputs.words[at], heard)
        if voiced >= inputs.options.min_missing:
            out.setdefault(owner[at], []).append(TextDispute("", heard, float("inf"), min(0.99, voiced)))
    return out


def gather_evidence(inputs: AuditInputs, matches: Matches,
                    disputes: dict[int, list[TextDispute]]) -> list[CueEvidence]:
    """One evidence record per cue with words."""
    opts = inputs.options
    groups: dict[int, list[int]] = {}
    for i, k in enumerate(inputs.owner):
        groups.setdefault(k, []).append(i)
    out = []
    for k, idx in sorted(groups.items()):
        words = tuple(inputs.words[i] for i in idx)
        ratio = sum(i in matches.pairs for i in idx) / len(idx)
        timed = [matches.times[i] for i in idx if i in matches.times]
        spoken = (timed[0][0], timed[-1][1]) if timed and ratio >= opts.spoken_ratio else None
        language = None
        if len(words) >= opts.min_language_words:
            language = detect_text_language(" ".join(words), min_chars=opts.language_min_chars,
                                            min_probability=opts.language_probability)
        nearby = heard_nearby(inputs, k, words) if not inputs.same_language else ratio
        out.append(CueEvidence(k, words, ratio, spoken, tuple(disputes.get(k, ())), language, nearby))
    return out
