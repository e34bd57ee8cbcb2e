"""``audit()``: published subtitles checked against what the audio says.

Each cue is found in the audio the way ``align`` finds transcript words (recognition, then
matching and forced alignment of the cue's own text), so the checks compare like with like.
The evidence is gathered first, one frozen :class:`CueEvidence` per cue (where it is spoken,
how its text scores against what the model hears there, its language); then each kind of check
is one function that reads evidence and returns findings.

Text verdicts rest on likelihoods, not spelling (see ``evidence``): the published words and the
recogniser's own words are both scored, teacher-forced, on the same encoded audio (the windows
that time the cue's words, so no extra encoder pass), and a passage is a mismatch only when the
heard words are more probable by ``AuditOptions.text_margin`` nats. Cues over speech in another
language (a translated clip, or a translated quote inside a same-language report) are checked
against the speech's timing and against Whisper's judgement of how well the text translates
that stretch of audio.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import acoustic
from . import media as media_mod
from .encodings import Encodings, encode_audio
from .evidence import (
    Disagreement,
    Passage,
    ScoredText,
    TextScorer,
    differing_passages,
    disagreements,
    heard_but_published,
)
from .findings import KINDS, SEVERITY, AuditReport, Finding, finding
from .languages import detect_text_language
from .matching import Matching, match
from .model import DEFAULT_MODEL, SpeechModel, load_model, reloader
from .profiles import Profile, get_profile
from .recognition import Recognition, encodings_for, hearing_key, joined, language_of, recognise_checked
from .results import WordTime
from .style import check_style
from .subtitles import SubtitleCue, read_subtitles
from .sync import Sync, fit_sync, refine_by_onsets, sync_by_activity
from .textnorm import spoken_tokens
from .timing import EncodedWindow, time_text, whisper_languages
from .transcript import Transcript, split_label, strip_directions

__all__ = ["KINDS", "SEVERITY", "AuditOptions", "AuditReport", "CueEvidence", "Finding", "audit", "cue_words"]

log = logging.getLogger(__name__)
Progress = Callable[[str, float, float], None]


# (shown at, made at) frame rates whose ratio a drift may be: a programme conformed from one
# rate to the other without its subtitles (the ratios differ from each other by 1e-3 or more)
FRAME_RATE_MISMATCHES = ((25, 23.976), (23.976, 25), (30, 29.97), (29.97, 30), (25, 24), (24, 25))


@dataclass(frozen=True)
class AuditOptions:
    """Every threshold the audit decides by, each with its reason.

    Text (log-likelihoods in nats, from the speech model on the cue's own audio):

    - ``text_margin`` = 5.0: a passage is a ``text_mismatch`` when the words the model hears
      there are this much more probable than the published ones (e^5 ≈ 150 times), both in its
      alignment window and again on the cue's own audio heard afresh (``recheck_pad`` seconds
      either side). Calibrated on real voices (LibriVox readings, JFK), int8 and float32: correct
      cues score at most 2.5 (archaic spellings, "shalt" heard "shall"), near-homophone swaps
      6.2–12 ("secession" for "succession", "grass" for "glass", "me" for "you"); the margin sits
      over a nat from both. Names a voice says as written and the model hears as other words
      clear it; ``phone_margin`` settles them. Lower the margin to catch more at the risk of
      false errors; raise it for fewer, surer errors (``--text-margin``).

    - ``prior_margin`` = 3.0: the heard words must also beat the published ones by this much
      more than they do over silence of the same length, where only the model's sense of
      language speaks. Whisper's decoder is a language model too: over unclear speech it
      prefers fluent words ("cultural" for a slurred "call to all", "the" for "thy") as much
      with no audio at all, which is no evidence against the subtitler. Real near-homophone
      swaps keep 4.4–12 nats beyond their prior; such preferences 1.3–1.6 or less.

    - ``phone_margin`` = 20.0: in English, the two texts are also force-aligned over the same
      audio by PocketSphinx's acoustic model, which knows phones and nothing of language; when
      the published words fit the sound better by this much (its frame log-likelihoods, in
      nats), the recogniser's words are its own invention and the passage passes. It settles
      names a voice (or espeak-ng) says as written and Whisper hears as other words: "Shebekino"
      heard "Shabaki" fits 214 nats better as published, "Tavolzhanka" heard "Temple and
      Khenver" 112. A real change never fits clearly better: the seven near-homophone swaps on
      real voices score between 2.6 nats for the published side ("fourteen" against a spoken
      "forty", one phone apart) and 332 for the heard side ("you" against "me"), and the
      subtitler's "did" for a spoken "didn't" 2.5 for the published side, well inside the margin.
      (Figures with every alignment started afresh, ``acoustic._forget``; before, a fit
      depended on the one before it, and "fourteen" scored 8.4.)
    - ``phone_reach`` = 0.3 s: Whisper names a word it heard only the start of at a
      hearing's end ("now receive" for a cut-off "as Russian"), and PocketSphinx finds no path
      through a word whose sound stops short. When the heard words cannot be fitted over the
      hearing's audio, both texts are fitted over audio reaching this much further at each
      end: the rest of such a word, not a whole next one.

    - ``spoken_ratio`` = 0.5: a cue is found where it is spoken when at least half its words
      match the recognised words; its text is then judged there, else as unheard.

    Timing:

    - ``offset_threshold`` = 0.5 s: a cue shown further than this from its words is shifted
      (the subtitling guides' tolerance for a cue's in-time is about 2–3 frames; half a second
      is plainly visible). ``end_slack`` = 0.25 s: a cue's end may trail its last word by the
      lead-out the guides allow before the end counts as moved too.
    - ``min_anchors`` = 8 and ``min_anchor_spread`` = 0.3: a file-level offset or drift is
      estimated only from at least this many clearly heard cues (``anchor_ratio`` = 0.6 of their
      words matched, two words or more) covering at least this share of
      the file; fewer, or bunched, cues cannot tell a shifted file from a few shifted cues.
    - ``max_offset_spread`` = 0.25 s: an estimated offset is kept only when the anchors agree
      with it this closely (median absolute residual) and it exceeds twice that spread.

    Coverage and language:

    - ``min_missing`` = 0.3 s: speech with no cue is reported from this length when the
      recogniser heard words in it or within ``missing_word_slack`` (0.5 s: its word times are
      spread over a segment) of it ("Thank you."); ``min_missing_unworded`` = 1.5 s without
      words (breaths, laughter and noise are shorter, or heard as nothing).
    - ``extra_max_voiced`` = 0.25: a cue over less than this share of voice is over no speech.
    - ``language_probability`` = 0.9: how sure langdetect must be of a cue's language.
    - ``min_language_words`` = 4: langdetect judges longer cues only; shorter ones are judged by
      the audio (an untranslated line is heard as such in a translated clip):
      ``untranslated_overlap`` = 0.6 of its words heard, as such, around where it is shown.
    - ``language_confidence`` = 0.8: Whisper's language detection on a cue's few seconds
      overrides the file's language only this sure.
    - ``elsewhere_similarity`` = 0.75: a cue not heard where shown is moved to where its words
      are heard only when they match this closely (difflib ratio of spoken tokens).

    Translated cues (Whisper's translate task, mean log-probability per token):

    - ``translation_search`` = 4.0 s: how far from where it is shown a translated cue's speech
      is looked for; ``translation_shift_gain`` = 0.3 (0.1 when the place is speech no other
      cue shows, ``translation_hole_gain``): how much better the text must fit there;
      ``translation_shown_penalty`` = 0.2 against moving it onto another cue's speech.
    - ``meaning_gain`` = 0.25: a translated cue that fits its own speech less than this better
      than its neighbours' speech is a ``meaning_mismatch`` (a warning: translations are free).
      Its baseline is the speech of up to ``meaning_neighbours`` = 4 cues either side (at least
      ``meaning_min_neighbours`` = 3 of them scored): near enough to be the same voice and room.
      They are scored nearest first, and only until the verdict is settled (``meaning_settled``).

    File-level reports:

    - ``report_offset`` = 0.1 s: a global offset is reported from this size, as a warning (two
      or three frames, the guides' tolerance); from ``error_offset`` = 0.5 s, plainly visible,
      as an error.
    - ``report_drift`` = 0.2 s: a drift is reported when it moves the file's last cue this far
      (an error from ``error_offset``); ``fps_ratio_tolerance`` = 2e-4: a drift this close to the ratio of
      two common frame rates (25/23.976, 30/29.97, 25/24) is named as that mismatch (the ratios
      differ from each other by 1e-3 or more).
    - ``coverage_margin`` = 0.1 s: speech within this of a cue counts as covered by it (a cue's
      in- and out-times sit on frames, 40 ms apart at 25 fps).

    Smaller choices, each used once:

    - ``few_anchors`` = 3: with at least this many clearly heard cues, but too few or too
      bunched for a fit, voice activity is not asked for an offset either: heard words that
      disagree with it outrank when voice starts and stops.
    - ``language_min_chars`` = 20: langdetect judges a cue's text from this many characters
      (fewer letters are any language's); ``language_min_seconds`` = 0.8: Whisper names the
      language of speech only from this much of it.
    - ``utterance_slack`` = 0.3 s, ``utterance_pad`` = 0.2 s, ``utterance_longest`` = 25 s:
      cues over the same utterance of voice (within the slack, no longer than 25 s) share its
      second hearing and language check, over the utterance with the pad either side.
    - ``elsewhere_min_tokens`` = 3: shorter cues are too common to be found elsewhere by their
      words ("Thank you."); ``elsewhere_seconds_per_word`` = 3.0: a stretch of heard words with
      a longer gap per cue word is not one place.
    - ``hole_shown`` = 0.3: speech counts as no other cue's when they show under this share of it.
    - ``missing_passage_words`` = 25: a longer stretch of transcript the subtitles leave out is
      reported as missing speech, not as a difference of text.
    - ``kept_encodings`` = 32: the stretches last encoded on their own (3 MB each) are kept
      for the checks after (least recently used first out; keeping every one made an hour's
      audit peak 430 MB higher): the cues over one utterance share its second hearing, a cue
      over speech in another language shares its own audio's encoding between its language
      check and its translation scores (run once its ``meaning_neighbours`` cues after it are
      judged), and those scores read each shifted and neighbouring span several times.
      ``kept_hearings`` = 8: second hearings kept (each holds its encoding): the cues over
      one utterance are judged one after another.
    - ``hearing_batch`` = 4: second hearings decoded together. The stretches the checks will
      hear are known before any cue is judged (``plan_hearings``); each is still encoded on
      its own, but their greedy decoding runs four at a time, which on two cores costs
      0.6–0.7 of decoding them one by one, and reads each as alone (the same tokens on the
      news clip's eleven stretches, int8 and float32; the same findings on every file of
      ``bench_audit.py``). Not above ``kept_hearings``.
    - ``cue_audio_pad`` = (0.2, 0.3) s: a cue's own audio, for its language and its translation
      score, runs this much before its (sync-corrected) in-time and after its out-time: a
      cue's in-time sits on or just before the first sound, and speech trails past its out-time.
    """

    text_margin: float = 5.0
    prior_margin: float = 3.0
    phone_margin: float = 20.0
    phone_reach: float = 0.3
    meaning_neighbours: int = 4
    meaning_min_neighbours: int = 3
    report_offset: float = 0.1
    error_offset: float = 0.5
    report_drift: float = 0.2
    fps_ratio_tolerance: float = 2e-4
    coverage_margin: float = 0.1
    spoken_ratio: float = 0.5
    offset_threshold: float = 0.5
    end_slack: float = 0.25
    anchor_ratio: float = 0.6
    min_anchors: int = 8
    min_anchor_spread: float = 0.3
    max_offset_spread: float = 0.25
    min_missing: float = 0.3
    min_missing_unworded: float = 1.5
    extra_max_voiced: float = 0.25
    min_language_words: int = 4
    language_probability: float = 0.9
    untranslated_overlap: float = 0.6
    recheck_pad: float = 0.4
    language_confidence: float = 0.8
    elsewhere_similarity: float = 0.75
    translation_search: float = 4.0
    translation_shift_gain: float = 0.3
    translation_hole_gain: float = 0.1
    translation_shown_penalty: float = 0.2
    meaning_gain: float = 0.25
    missing_word_slack: float = 0.5
    few_anchors: int = 3
    language_min_chars: int = 20
    language_min_seconds: float = 0.8
    utterance_slack: float = 0.3
    utterance_pad: float = 0.2
    utterance_longest: float = 25.0
    elsewhere_min_tokens: int = 3
    elsewhere_seconds_per_word: float = 3.0
    hole_shown: float = 0.3
    missing_passage_words: int = 25
    kept_encodings: int = 32
    kept_hearings: int = 8
    hearing_batch: int = 4
    cue_audio_pad: tuple[float, float] = (0.2, 0.3)


# ---------------------------------------------------------------- cue text as words

_NAME_PARTICLES = {"von", "van", "de", "da", "del", "della", "der", "den", "du", "la", "le", "di", "bin", "al",
                   "y", "e", "zu", "ter", "ten", "dos", "das"}


def cue_words(cue: SubtitleCue) -> list[str]:
    """The spoken words of a cue: speaker labels, dialogue dashes and sound descriptions out."""
    words: list[str] = []
    for line in cue.lines:
        line = re.sub(r"^\s*[-–]\s*", "", line)
        label = split_label(line)
        if label is not None:
            line = label[2]
        words += [w for w in strip_directions(line).split() if re.search(r"\w", w)]
    return words


def _all_cue_words(cues: Sequence[SubtitleCue]) -> tuple[list[str], list[int]]:
    """Every cue's spoken words in order, and the index of the cue each belongs to."""
    words: list[str] = []
    owner: list[int] = []
    for k, cue in enumerate(cues):
        for w in cue_words(cue):
            words.append(w)
            owner.append(k)
    return words, owner


def names_or_numbers(words: Sequence[str]) -> bool:
    """Whether a cue is only names and numbers ("Hans Jakob Christoffel von Grimmelshausen",
    "1961"): the same in every language, so never in the wrong one."""
    core = [w.strip(".,;:!?…\"'«»“”()") for w in words]
    core = [w for w in core if w]
    if not core:
        return True
    return all(w[0].isupper() or any(c.isdigit() for c in w) or w.lower() in _NAME_PARTICLES for w in core)


# ---------------------------------------------------------------- evidence


@dataclass(frozen=True)
class TextDispute:
    """A passage of a cue that the audio may not bear out, with its likelihood evidence."""

    published: str
    heard: str
    llr: float
    confidence: float


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


@dataclass
class _Hearing:
    """A stretch of audio encoded, what the model heard there unprompted, and (once asked)
    that hearing's own score: every cue over the stretch is compared with the same one."""

    encoded: object
    frames: int
    seconds: float
    words: list[str]
    scored: ScoredText | None = None
    prior: ScoredText | None = None

    def own_score(self, scorer: TextScorer) -> ScoredText:
        if self.scored is None:
            self.scored = scorer.score(self.encoded, self.frames, self.words)
        return self.scored

    def own_prior(self, scorer: TextScorer, silence: object, frames: int) -> ScoredText:
        """The heard words scored over silence as long as the stretch."""
        if self.prior is None:
            self.prior = scorer.score(silence, frames, self.words)
        return self.prior


@dataclass
class _Context:
    """What every check reads: the model, the audio, the recognition, the options."""

    whisper: SpeechModel
    audio: media_mod.DecodedAudio
    rec: Recognition
    cues: list[SubtitleCue]
    words: list[str]
    owner: list[int]
    audio_language: str
    subs_language: str
    norm_language: str
    options: AuditOptions
    pairs: dict[int, int] = field(default_factory=dict)
    times: dict[int, WordTime] = field(default_factory=dict)
    _mid_cache: list[float] = field(default_factory=list)
    _token_cache: list[list[str]] = field(default_factory=list)
    _hearings: dict[tuple[float, float], _Hearing] = field(default_factory=dict)
    _silences: dict[float, tuple[object, int]] = field(default_factory=dict)
    planned: list[tuple[float, float]] = field(default_factory=list)  # ``plan_hearings``' stretches

    def __post_init__(self) -> None:
        self._encoded = lru_cache(maxsize=self.options.kept_encodings)(self._encode)

    @property
    def same_language(self) -> bool:
        return self.audio_language == self.subs_language

    def words_between(self, start: float, end: float) -> range:
        """Indices of the recognised words whose middle lies in [start, end] (by bisection:
        a file of 10,000 cues asks this 10,000 times)."""
        import bisect

        mids = self._mids()
        return range(bisect.bisect_left(mids, start), bisect.bisect_right(mids, end))

    def word_tokens(self) -> list[list[str]]:
        """Each recognised word in spoken tokens, worked out once."""
        if len(self._token_cache) != len(self.rec.words):
            self._token_cache[:] = [spoken_tokens(w.text, self.norm_language) for w in self.rec.words]
        return self._token_cache

    def _mids(self) -> list[float]:
        if len(self._mid_cache) != len(self.rec.words):
            self._mid_cache[:] = [(w.start + w.end) / 2 for w in self.rec.words]
        return self._mid_cache

    def _encode(self, key: tuple[float, float]) -> tuple[object, int]:
        return encode_audio(self.whisper, self.audio.read(*key))

    def encoding(self, a: float, b: float) -> tuple[object, int]:
        """[a, b] encoded on its own (at most 30 s, as Whisper hears), the last
        ``kept_encodings`` kept (see ``AuditOptions``)."""
        return self._encoded(_span_key(a, b))

    def cue_span(self, a: float, b: float) -> tuple[float, float]:
        """A cue's own audio (shown at [a, b], sync-corrected), ``cue_audio_pad`` either side."""
        before, after = self.options.cue_audio_pad
        return (max(0.0, a - before), min(b + after, self.audio.duration))

    def cue_audio(self, a: float, b: float) -> tuple[object, int]:
        return self.encoding(*self.cue_span(a, b))

    def hearing(self, a: float, b: float, scorer: TextScorer) -> _Hearing:
        """[a, b] encoded and heard afresh, unprompted; the last few are kept, so that many
        cues over one utterance (a dense or hostile file) cost one hearing, not one each."""
        key = _span_key(a, b)
        if key not in self._hearings:
            for k, hearing in self._heard_together(key, scorer):
                if len(self._hearings) >= self.options.kept_hearings:
                    self._hearings.pop(next(iter(self._hearings)))
                self._hearings[k] = hearing
        return self._hearings[key]

    def _heard_together(self, key: tuple[float, float],
                        scorer: TextScorer) -> list[tuple[tuple[float, float], _Hearing]]:
        """``key`` heard, with the planned stretches after it (``hearing_batch`` in all) when
        it was planned: each encoded on its own, decoded in one batch."""
        import bisect

        keys = [key]
        first = bisect.bisect_left(self.planned, key)
        if first < len(self.planned) and self.planned[first] == key:
            ahead = [k for k in self.planned[first + 1:] if k not in self._hearings]
            keys += ahead[:max(1, min(self.options.hearing_batch, self.options.kept_hearings)) - 1]
        encoded = [self.encoding(*k) for k in keys]
        words = scorer.hypotheses([e for e, _ in encoded])
        return [(k, _Hearing(e, frames, k[1] - k[0], w)) for k, (e, frames), w in zip(keys, encoded, words)]

    def silence(self, seconds: float) -> tuple[object, int]:
        """Digital silence of about this length, encoded (kept per length in tenths)."""
        key = round(max(seconds, 0.1), 1)
        if key not in self._silences:
            clip = np.zeros(int(key * media_mod.SAMPLE_RATE), dtype=np.float32)
            self._silences[key] = encode_audio(self.whisper, clip)
        return self._silences[key]

    def stretch(self, a: float, b: float) -> tuple[float, float]:
        """The utterance of voice around [a, b] when there is one not longer than
        ``utterance_longest`` seconds: the unit that unheard cues over the same speech share."""
        slack, pad = self.options.utterance_slack, self.options.utterance_pad
        for u0, u1 in utterances(self.rec.speech):
            if u0 - slack <= a and b <= u1 + slack and u1 - u0 <= self.options.utterance_longest:
                return (min(a, u0) - pad, max(b, u1) + pad)
        return (a - pad, b + pad)

    def words_around(self, k: int, a: float, b: float) -> tuple[list[str], list[str]]:
        """The other cues' words timed inside [a, b], before and after cue ``k``'s own: a
        hearing of an utterance that cue ``k`` shares with its neighbours hears their words
        too, and unless they stand beside the cue's words they read as the cue's misheard."""
        import bisect

        first, stop = bisect.bisect_left(self.owner, k), bisect.bisect_right(self.owner, k)
        before = self._timed_run(range(first - 1, -1, -1), a, b)[::-1]
        return before, self._timed_run(range(stop, len(self.words)), a, b)

    def _timed_run(self, order: range, a: float, b: float) -> list[str]:
        """The words in ``order`` whose timed middle lies in [a, b], up to the first outside."""
        out: list[str] = []
        for i in order:
            t = self.times.get(i)
            if t is None:
                continue
            if not a <= (t.start + t.end) / 2 <= b:
                break
            out.append(self.words[i])
        return out

    def heard_text(self, start: float, end: float) -> str:
        return " ".join(self.rec.words[i].text for i in self.words_between(start - 0.05, end + 0.05))


def _span_key(a: float, b: float) -> tuple[float, float]:
    """A stretch as kept: clipped at the file's start, to 10 ms."""
    return (round(max(0.0, a), 2), round(b, 2))


class _WindowJudge:
    """Scores, window by window while the encoder's output is alive, the published words
    against the recogniser's own words over the same stretch; keeps each disagreement that
    touches a word the window owns (context words are judged in their own window)."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.scorer = TextScorer(ctx.whisper, ctx.norm_language)
        self.found: list[tuple[tuple[int, ...], Disagreement]] = []
        self._matching: Matching | None = None
        self._pairs: dict[int, int] = {}
        self._taken: set[int] = set()

    def __call__(self, matching: Matching, enc: EncodedWindow) -> None:
        ctx, win = self.ctx, enc.window
        idx = list(enc.words)
        if self._matching is not matching:  # once per file, not once per window
            self._matching, self._pairs = matching, dict(matching.pairs)
            self._taken = set(self._pairs.values())
        pairs, taken = self._pairs, self._taken
        heard_idx = [pairs[i] for i in idx if i in pairs]
        if not heard_idx:
            return
        lo, hi = min(heard_idx), max(heard_idx)
        rw = ctx.rec.words
        if idx[0] not in pairs:  # the first word unmatched: its heard counterpart may lie just before
            while lo > 0 and lo - 1 not in taken and rw[lo - 1].start >= win.start:
                lo -= 1
        if idx[-1] not in pairs:
            while hi + 1 < len(rw) and hi + 1 not in taken and rw[hi + 1].end <= win.end:
                hi += 1
        pub_words = [ctx.words[i] for i in idx]
        heard_words = [w.text for w in rw[lo:hi + 1]]
        passages = differing_passages(pub_words, heard_words, ctx.norm_language)
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


def _disputes_by_cue(ctx: _Context,
                     found: Sequence[tuple[tuple[int, ...], Disagreement]]) -> dict[int, list[TextDispute]]:
    """Disagreements given to the cue whose words they touch; a passage heard between two
    cues belongs to neither (it is speech with no cue, found by coverage)."""
    out: dict[int, list[TextDispute]] = {}
    for positions, d in found:
        cues = {ctx.owner[i] for i in positions}
        if len(cues) != 1:
            continue
        if d.stop == d.first and len(positions) < 2:
            continue  # heard before the first or after the last word of a window: an edge, not a cue's
        k = cues.pop()
        out.setdefault(k, []).append(TextDispute(d.published, d.heard, d.llr, d.confidence))
    return out


def _heard_nearby(ctx: _Context, k: int, words: Sequence[str]) -> float:
    """Share of a cue's spoken tokens that the recogniser heard, as such, around the cue's
    time: in a translated clip, a cue heard word for word was left untranslated."""
    cue = ctx.cues[k]
    tokens = [t for w in words for t in spoken_tokens(w, ctx.audio_language)]
    if not tokens:
        return 0.0
    heard = [t for i in ctx.words_between(cue.start - 1.0, cue.end + 1.0)
             for t in spoken_tokens(ctx.rec.words[i].text, ctx.audio_language)]
    matcher = SequenceMatcher(None, tokens, heard, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / len(tokens)


def _dropped_inside(ctx: _Context, matching: Matching | None) -> dict[int, list[TextDispute]]:
    """Speech inside a cue that the cue does not have ("much larger liberation troops"
    published as "troops"). Teacher forcing skips audio cheaply, so likelihoods are weak
    evidence here; the evidence is acoustic: at least ``min_missing`` seconds of voice between
    two of the cue's aligned words, where the recogniser heard words. The cue's own second
    hearing must hear them too (``_recheck``); confidence grows with the voiced gap."""
    out: dict[int, list[TextDispute]] = {}
    if matching is None:
        return out
    for span in matching.untranscribed:
        at = span.at
        if not 0 < at < len(ctx.owner) or ctx.owner[at - 1] != ctx.owner[at]:
            continue
        if at - 1 not in ctx.times or at not in ctx.times:
            continue
        gap = (ctx.times[at - 1][1], ctx.times[at][0])
        voiced = ctx.rec.speech_between(*gap)
        heard = " ".join(w.text for w in ctx.rec.words[span.first:span.stop])
        log.debug("cue %d: %.2f s of voice between %r and %r, heard %r", ctx.cues[ctx.owner[at]].index, voiced,
                  ctx.words[at - 1], ctx.words[at], heard)
        if voiced >= ctx.options.min_missing:
            out.setdefault(ctx.owner[at], []).append(TextDispute("", heard, float("inf"), min(0.99, voiced)))
    return out


def gather_evidence(ctx: _Context, disputes: dict[int, list[TextDispute]]) -> list[CueEvidence]:
    """One evidence record per cue with words."""
    groups: dict[int, list[int]] = {}
    for i, k in enumerate(ctx.owner):
        groups.setdefault(k, []).append(i)
    out = []
    for k, idx in sorted(groups.items()):
        words = tuple(ctx.words[i] for i in idx)
        ratio = sum(i in ctx.pairs for i in idx) / len(idx)
        timed = [ctx.times[i] for i in idx if i in ctx.times]
        spoken = (timed[0][0], timed[-1][1]) if timed and ratio >= ctx.options.spoken_ratio else None
        language = None
        if len(words) >= ctx.options.min_language_words:
            language = detect_text_language(" ".join(words), min_chars=ctx.options.language_min_chars,
                                            min_probability=ctx.options.language_probability)
        nearby = _heard_nearby(ctx, k, words) if not ctx.same_language else ratio
        out.append(CueEvidence(k, words, ratio, spoken, tuple(disputes.get(k, ())), language, nearby))
    return out


# ---------------------------------------------------------------- file-level timing


def estimate_sync(ctx: _Context, evidence: Sequence[CueEvidence]) -> Sync:
    """Offset and drift from well-heard cues when there are enough, spread over the file;
    else, for translated speech, from when cues are shown against when there is voice. An
    offset that the anchors do not agree on is no offset."""
    opts, cues, duration = ctx.options, ctx.cues, ctx.audio.duration
    anchors = [e for e in evidence if e.spoken is not None and e.ratio >= opts.anchor_ratio and len(e.words) >= 2]
    onsets = [e.spoken[0] for e in anchors if e.spoken is not None]
    span = (max(onsets) - min(onsets)) if onsets else 0.0
    if len(anchors) >= opts.min_anchors and span >= opts.min_anchor_spread * duration:
        sync = fit_sync(onsets, [cues[e.k].start for e in anchors])
    elif len(anchors) >= opts.few_anchors or len(cues) < opts.min_anchors:
        log.debug("sync: %d anchors over %.0f s, too few or too bunched: no file-level offset", len(anchors), span)
        return Sync()
    else:
        sync = sync_by_activity([(c.start, c.end) for c in cues], ctx.rec.speech, duration)
        sync = refine_by_onsets(sync, [c.start for c in cues], [u[0] for u in utterances(ctx.rec.speech)])
    if sync.spread > opts.max_offset_spread:
        log.debug("sync: anchors disagree (residual spread %.3f s over %d cues): no file-level offset",
                  sync.spread, sync.cues_used)
        return Sync(cues_used=sync.cues_used, spread=sync.spread)
    # What the anchors cannot tell from their own scatter is not there.
    offset = sync.offset if abs(sync.offset) >= 2 * sync.spread else 0.0
    drift = sync.drift if abs(sync.drift) * duration >= 2 * sync.spread else 0.0
    if (offset, drift) != (sync.offset, sync.drift):
        log.debug("sync: offset %.3f s / drift %.0f ppm within the anchors' spread %.3f s: dropped",
                  sync.offset, sync.drift_ppm, sync.spread)
    return replace(sync, offset=offset, drift=drift)


def sync_findings(sync: Sync, duration: float, opts: AuditOptions) -> list[Finding]:
    """The file-level findings: a global offset, and a drift named by the frame rates it matches."""
    out = []
    basis = f"from {sync.cues_used} cues, residual spread {sync.spread:.2f} s"
    if abs(sync.offset) >= opts.report_offset:
        severity = "error" if abs(sync.offset) >= opts.error_offset else "warning"
        out.append(finding("global_offset", severity=severity,
                           cue=None, start=0.0, end=duration,
                           detail=f"every cue is shown {abs(sync.offset):.3f} s "
                                  f"{'late' if sync.offset > 0 else 'early'} ({basis})"))
    effect = abs(sync.drift) * duration
    if effect >= opts.report_drift:
        ratio = 1 + sync.drift
        hint = ""
        for a, b in FRAME_RATE_MISMATCHES:
            if abs(ratio - a / b) < opts.fps_ratio_tolerance:
                hint = f"; the ratio of {a:g} vs {b:g} fps"
        out.append(finding("drift", severity="error" if effect >= opts.error_offset else "warning", cue=None, start=0.0,
                           end=duration, detail=f"cue times drift by {sync.drift_ppm:+.0f} ppm "
                                                f"({effect:.2f} s over the file, {basis}){hint}"))
    return out


# ---------------------------------------------------------------- per-cue checks


@dataclass(frozen=True)
class Verdict:
    """What the checks made of one cue: findings, where it belongs, what it covers."""

    findings: tuple[Finding, ...] = ()
    corrected: tuple[float, float] | None = None  # where --fix puts it, when moved
    covers: tuple[tuple[float, float], ...] = ()  # speech it accounts for
    translated: str | None = None  # the language of the speech under it, when it is a translation


def check_language(ctx: _Context, ev: CueEvidence, shown: tuple[float, float]) -> Verdict | None:
    """A cue not in the subtitles' language. Names and numbers are in every language; in a
    same-language clip, words heard as such were said so (a quote); in a translated clip, a
    cue heard word for word in the speech was left untranslated, however short."""
    cue = ctx.cues[ev.k]
    if names_or_numbers(ev.words):
        return None
    if ctx.same_language:
        if ev.language is None or ev.language == ctx.subs_language or ev.ratio >= ctx.options.spoken_ratio:
            return None
        reason = f"reads as {ev.language}, the subtitles are {ctx.subs_language}"
    else:
        untranslated = ev.heard_nearby >= ctx.options.untranslated_overlap and len(ev.words) >= 2
        if ev.language == ctx.audio_language and ev.language != ctx.subs_language:
            reason = f"reads as {ev.language}, the subtitles are {ctx.subs_language}"
        elif untranslated:
            reason = f"left untranslated: its words are the {ctx.audio_language} speech under it"
        else:
            return None
    log.debug("cue %d: wrong_language (%s)", cue.index, reason)
    f = finding("wrong_language", cue=cue.index, start=cue.start, end=cue.end, published=cue.text,
                heard=ctx.heard_text(*shown), detail=reason)
    return Verdict((f,), covers=(shown,))


def check_shift(ctx: _Context, ev: CueEvidence, sync: Sync) -> Verdict | None:
    """A cue shown away from where its words are spoken, beyond the file's own offset. Both
    ends must have moved: a start alone can be off by one misplaced word."""
    if ev.spoken is None:
        return None
    cue, (s0, s1) = ctx.cues[ev.k], ev.spoken
    threshold = ctx.options.offset_threshold
    residual = cue.start - sync.to_published(s0)
    residual_end = cue.end - sync.to_published(s1) - ctx.options.end_slack
    if abs(residual) > threshold and residual * residual_end > 0 and abs(residual_end) > threshold / 2:
        log.debug("cue %d: timing_offset, shown %.2f s from its words", cue.index, residual)
        return _moved(ctx, cue, s0, s1, residual)
    return None


def _moved(ctx: _Context, cue: SubtitleCue, s0: float, s1: float, residual: float) -> Verdict:
    f = finding("timing_offset", cue=cue.index, start=s0, end=s1, published=cue.text, heard=ctx.heard_text(s0, s1),
                detail=f"shown {abs(residual):.2f} s {'after' if residual > 0 else 'before'} its words are spoken",
                published_start=cue.start, published_end=cue.end)
    return Verdict((f,), corrected=(s0, s0 + (cue.end - cue.start)), covers=((s0, s1),))


def text_verdict(disputes: Sequence[TextDispute], margin: float) -> list[TextDispute]:
    """The passages the audio contradicts: heard words more probable by ``margin`` nats."""
    return [d for d in disputes if d.llr >= margin]


def _describe(disputes: Sequence[TextDispute]) -> str:
    return "; ".join(f"published '{d.published}' where the audio has '{d.heard}'" if d.published and d.heard else
                     f"published '{d.published}' is not spoken" if d.published else
                     f"spoken '{d.heard}' is missing" for d in disputes)


def check_text(ctx: _Context, ev: CueEvidence, shown: tuple[float, float]) -> Verdict | None:
    """A spoken cue whose words the audio contradicts somewhere: each passage over the margin
    in its alignment window must be over it again on the cue's own stretch of audio (another
    context, the same question: no prompt, no hint of the answer)."""
    if ev.spoken is None:
        return None
    cue = ctx.cues[ev.k]
    candidates = text_verdict(ev.disputes, ctx.options.text_margin)
    wrong = text_verdict(_recheck(ctx, ev, candidates, shown), ctx.options.text_margin) if candidates else []
    for d in ev.disputes:
        log.debug("cue %d: %r vs heard %r, llr %.2f -> %s", cue.index, d.published, d.heard, d.llr,
                  "mismatch" if any(w.published == d.published for w in wrong) else "forgiven")
    if not wrong:
        return None
    s0, s1 = ev.spoken
    f = finding("text_mismatch", cue=cue.index, start=s0, end=s1, published=cue.text, heard=ctx.heard_text(s0, s1),
                detail=_describe(wrong), confidence=min(d.confidence for d in wrong),
                differences=tuple((d.published, d.heard) for d in wrong))
    return Verdict((f,))


def hear_afresh(ctx: _Context, words: Sequence[str], a: float, b: float,
                around: tuple[Sequence[str], Sequence[str]] = ((), ())) -> tuple[list[str], list[Disagreement]]:
    """The stretch [a, b] heard again, unprompted, and a cue's words scored against that
    hearing on the same encoding: (what was heard, each differing passage inside the cue with
    its ratio). ``around``: the neighbours' words spoken in the stretch, before and after the
    cue's (``words_around``), set beside them; passages at the edges are words of a neighbour
    and are not scored. When a passage clears the margin, each also carries the ratio the
    model gives the two texts over silence of the same length: how much of the preference is
    language, not sound."""
    scorer = TextScorer(ctx.whisper, ctx.norm_language)
    hearing = ctx.hearing(a, b, scorer)
    heard = hearing.words
    before, after = around
    full = [*before, *words, *after]
    passages = [p for p in differing_passages(full, heard, ctx.norm_language)
                if _inner(p, len(full)) and _within(p, len(before), len(before) + len(words))]
    if not heard or not passages:
        return heard, []
    mixed, where = heard_but_published(full, heard, passages)
    found = disagreements(scorer.score(hearing.encoded, hearing.frames, mixed), hearing.own_score(scorer),
                          passages, where)
    if all(d.llr < ctx.options.text_margin for d in found):
        return heard, found
    # The acoustic fit first: it needs no encoding, and where it clears every passage the
    # prior over silence (an encoding of its own) would not change the verdict.
    phones = _phone_llrs(ctx, full, heard, passages, found, (a, b))
    found = [replace(d, phone_llr=x) for d, x in zip(found, phones)]
    if all(d.llr < ctx.options.text_margin or _fits_as_published(d, ctx.options) for d in found):
        return heard, found
    silence, frames = ctx.silence(hearing.seconds)
    prior = disagreements(scorer.score(silence, frames, mixed), hearing.own_prior(scorer, silence, frames),
                          passages, where)
    return heard, [replace(d, prior_llr=p.llr) for d, p in zip(found, prior)]


def _phone_llrs(ctx: _Context, words: Sequence[str], heard: Sequence[str], passages: Sequence[Passage],
                found: Sequence[Disagreement], span: tuple[float, float]) -> list[float | None]:
    """For each passage over the margin, how much better the heard words fit the sound than
    the published ones under PocketSphinx's acoustic model, which has no language model
    (English only; None elsewhere, and where either text cannot be aligned). Each passage is
    replaced alone, so its ratio is its own."""
    if not acoustic.available(ctx.norm_language):
        return [None] * len(found)
    fitted = _heard_fit(ctx, heard, span)
    if fitted is None:
        return [None] * len(found)
    samples, own = fitted
    out: list[float | None] = []
    for p, d in zip(passages, found):
        other = acoustic.fit(samples, heard_but_published(list(words), list(heard), [p])[0]) \
            if d.llr >= ctx.options.text_margin else None
        out.append(None if other is None else round(own - other, 1))
    return out


def _heard_fit(ctx: _Context, heard: Sequence[str], span: tuple[float, float]) -> tuple[np.ndarray, float] | None:
    """The audio the heard words are fitted over, and their fit: the hearing's own span, or,
    when they cannot be said in it (a last word heard from its start only), the span reaching
    ``phone_reach`` further at each end."""
    reach = ctx.options.phone_reach
    for a, b in (span, (span[0] - reach, span[1] + reach)):
        samples = ctx.audio.read(max(0.0, a), min(b, ctx.audio.duration))
        own = acoustic.fit(samples, heard)
        if own is not None:
            return samples, own
        log.debug("heard %r: no phone path through %.2f-%.2f s", " ".join(heard), a, b)
    return None


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


def _recheck(ctx: _Context, ev: CueEvidence, candidates: Sequence[TextDispute],
             shown: tuple[float, float]) -> list[TextDispute]:
    """The candidate passages heard again, unprompted, on the cue's own audio (its words and
    a margin either side), and scored against that hearing: each keeps the smallest of its
    ratios. A passage the second hearing bears out (the same words) is the recogniser's slip;
    one whose heard words the model prefers as much over silence is its language talking."""
    heard, again = hear_afresh(ctx, ev.words, *recheck_span(ctx, ev, shown))
    if not heard:
        return []
    log.debug("cue %d heard afresh %r: %s", ctx.cues[ev.k].index, " ".join(heard),
              [(d.published, d.heard, d.llr, d.prior_llr, d.phone_llr) for d in again])
    return [_rechecked(ctx, ev, c, again) for c in candidates]


def recheck_span(ctx: _Context, ev: CueEvidence, shown: tuple[float, float]) -> tuple[float, float]:
    """The stretch a spoken cue's doubted passages are heard again on: its own audio
    (``own_audio``), ``recheck_pad`` either side."""
    assert ev.spoken is not None
    s0, s1 = own_audio(ev.spoken, shown, ctx.options.offset_threshold)
    return s0 - ctx.options.recheck_pad, s1 + ctx.options.recheck_pad


def plan_hearings(ctx: _Context, evidence: Sequence[CueEvidence], sync: Sync,
                  early: dict[int, Verdict | None]) -> list[tuple[float, float]]:
    """The stretches ``check_text`` will hear afresh, in order (``_span_key``'s): the own audio
    of each spoken cue with a passage over the margin that no ``early`` verdict explains. Only
    these are heard ahead, with one asked for (``hearing_batch``): a cue whose words were not
    found may turn out moved or translated, and its stretch would be encoded for nothing."""
    out: set[tuple[float, float]] = set()
    for ev in evidence:
        if ev.spoken is not None and early.get(ev.k) is None and text_verdict(ev.disputes, ctx.options.text_margin):
            out.add(_span_key(*recheck_span(ctx, ev, shown_at(ctx, ev, sync))))
    return sorted(out)


def own_audio(spoken: tuple[float, float], shown: tuple[float, float], slack: float) -> tuple[float, float]:
    """The stretch a cue not judged shifted can be saying: where its words were found, but no
    further than ``slack`` outside where it is shown. A cue beside speech with no cue may have
    its first or last words matched into that speech ("they are" found in "volunteers are" of
    the line before); a second hearing there would hear the neighbour's words as the cue's."""
    a, b = max(spoken[0], shown[0] - slack), min(spoken[1], shown[1] + slack)
    return (a, b) if a < b else spoken


def _rechecked(ctx: _Context, ev: CueEvidence, c: TextDispute, again: Sequence[Disagreement]) -> TextDispute:
    """One candidate passage against the second hearing's passages (those at its place)."""
    same = [d for d in again if (_same_passage(d.published, c.published) if c.published
                                 else not d.published and _same_passage(d.heard, c.heard))]
    if not c.published:  # words left out: confirmed by being heard again, not by a ratio
        return c if same else replace(c, llr=0.0)
    if not same:  # heard as published the second time
        return replace(c, llr=0.0, confidence=0.0)
    best = max(same, key=lambda d: d.llr)
    llr = min(c.llr, best.llr) if contradicted(best, ctx.options) else 0.0
    log.debug("cue %d: %r (heard %r) rechecked on its own audio: llr %.2f -> %.2f",
              ctx.cues[ev.k].index, c.published, c.heard, c.llr, llr)
    return replace(c, llr=llr, confidence=1.0 - float(np.exp(-max(0.0, llr))))


def _same_passage(a: str, b: str) -> bool:
    ta, tb = set(spoken_tokens(a.replace(" ", "_"))), set(spoken_tokens(b.replace(" ", "_")))
    return bool(set(a.lower().split()) & set(b.lower().split())) or bool(ta & tb)


def check_unheard(ctx: _Context, ev: CueEvidence, shown: tuple[float, float], taken: set[int]) -> Verdict:
    """A cue whose words were not found where it is shown: spoken elsewhere, over no speech,
    over speech in another language (a translation), or over other words."""
    cue = ctx.cues[ev.k]
    a, b = shown
    elsewhere = _find_elsewhere(ctx, ev.words, taken)
    if elsewhere is not None and (elsewhere[0] > b or elsewhere[1] < a):
        return _moved(ctx, cue, *elsewhere, a - elsewhere[0])
    voiced = ctx.rec.speech_between(a, b) / max(b - a, 1e-3)
    if voiced < ctx.options.extra_max_voiced:
        log.debug("cue %d: extra_subtitle, %.0f%% voiced", cue.index, 100 * voiced)
        return Verdict((finding("extra_subtitle", cue=cue.index, start=cue.start, end=cue.end, published=cue.text,
                                detail="shown over no speech (silence or music)"),))
    spoken_language = _language_under(ctx, a, b)
    if spoken_language != ctx.subs_language:
        return Verdict(covers=(shown,), translated=spoken_language)
    return _text_over_other_words(ctx, ev, shown)


def _language_under(ctx: _Context, a: float, b: float) -> str:
    """The language of the speech under a cue shown at [a, b], from its own audio (whose
    encoding its translation scores then reuse): the file's, unless Whisper is confident
    otherwise."""
    found = ctx.audio_language
    s0, s1 = ctx.cue_span(a, b)
    if s1 - s0 >= ctx.options.language_min_seconds and ctx.whisper.model.is_multilingual:
        language, prob = language_of(ctx.whisper, ctx.encoding(s0, s1)[0])
        if prob >= ctx.options.language_confidence:  # a few seconds: only a sure answer overrides
            found = language
    return found


def _text_over_other_words(ctx: _Context, ev: CueEvidence, shown: tuple[float, float]) -> Verdict:
    """A cue over speech in its own language whose words were not found: heard afresh,
    unprompted, and scored against that hearing passage by passage; only a passage over the
    margin makes it a mismatch (the recogniser may have failed, not the subtitler)."""
    cue = ctx.cues[ev.k]
    a, b = shown
    # The utterance around the cue may hold a neighbour's words too: set beside the cue's.
    s0, s1 = ctx.stretch(a, b)
    heard, found = hear_afresh(ctx, ev.words, s0, s1, around=ctx.words_around(ev.k, s0, s1))
    log.debug("cue %d: not found; heard afresh %r: %s", cue.index, " ".join(heard),
              [(d.published, d.heard, d.llr, d.prior_llr, d.phone_llr) for d in found])
    wrong = [d for d in found if contradicted(d, ctx.options)]
    if not wrong:
        return Verdict(covers=(shown,))
    disputes = [TextDispute(d.published, d.heard, d.llr, d.confidence) for d in wrong]
    f = finding("text_mismatch", cue=cue.index, start=a, end=b, published=cue.text, heard=" ".join(heard),
                detail=_describe(disputes), confidence=min(d.confidence for d in disputes),
                differences=tuple((d.published, d.heard) for d in disputes))
    return Verdict((f,), covers=(shown,))


def shown_at(ctx: _Context, ev: CueEvidence, sync: Sync) -> tuple[float, float]:
    """Where a cue is shown, in the audio's time (the file's offset and drift undone)."""
    cue = ctx.cues[ev.k]
    return (sync.to_spoken(cue.start), sync.to_spoken(cue.end))


def early_verdict(ctx: _Context, ev: CueEvidence, sync: Sync) -> Verdict | None:
    """What explains a cue before anything is heard again: its language, then, when its words
    were found, a shift. Worked out for every cue before any is judged (``plan_hearings``)."""
    verdict = check_language(ctx, ev, shown_at(ctx, ev, sync))
    if verdict is None and ev.spoken is not None:
        verdict = check_shift(ctx, ev, sync)
    return verdict


def judge_cue(ctx: _Context, ev: CueEvidence, sync: Sync, taken: set[int], early: Verdict | None) -> Verdict:
    """The checks in order of what they explain: language and shift (``early``, from
    ``early_verdict``), text, then what is unheard."""
    if early is not None:
        return early
    shown = shown_at(ctx, ev, sync)
    if ev.spoken is not None:
        text = check_text(ctx, ev, shown)
        return replace(text or Verdict(), covers=(shown,))
    return check_unheard(ctx, ev, shown, taken)


# ---------------------------------------------------------------- the audit


def audit(
    media: str | Path,
    subtitles: str | Path,
    *,
    transcript: str | Path | Transcript | None = None,
    model: str = DEFAULT_MODEL,
    device: str = "cpu",
    compute_type: str = "default",
    threads: int = 0,
    language: str | None = None,
    profile: Profile | str = "netflix",
    offset_threshold: float | None = None,
    options: AuditOptions | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Find every cue that is not what is spoken, not where it is spoken, or not there at all."""
    opts = options or AuditOptions()
    if offset_threshold is not None:
        opts = replace(opts, offset_threshold=offset_threshold)
    info = media_mod.probe(media)
    cues = read_subtitles(subtitles)
    script = None
    if transcript is not None:
        from . import transcript as transcript_mod

        script = transcript if isinstance(transcript, Transcript) else transcript_mod.load(transcript)
    prof = get_profile(profile) if isinstance(profile, str) else profile
    subs_language = detect_text_language(" ".join(c.text for c in cues))
    if subs_language is not None:  # the acoustic aligner (and its sidecar) made ready while the audio is heard
        threading.Thread(target=acoustic.prepare, args=(subs_language,), name="acoustic-prepare", daemon=True).start()
    whisper = load_model(model, device, compute_type, threads)
    with media_mod.decode(media, info) as audio:
        # Heard by recognition's one pass over chunks of speech, each encoded once, for itself:
        # ``align``'s hearing leans on the transcript (``guided``). Right after ``align`` in
        # this process the chunks' encodings are read, not made; the subtitles' alignment
        # reads them too.
        key = hearing_key(audio, f"{model}/{compute_type}", language)
        rec, whisper = recognise_checked(
            whisper, audio, key, reloader(model, device, compute_type, threads), language=language,
            progress=(lambda t: progress("recognising", t, audio.duration)) if progress else None)
        report = _audit_audio(whisper, audio, rec, cues, subs_language, opts, progress,
                              encodings=encodings_for(key, rec))
    extra = list(report.findings)
    if script is not None:
        extra += _transcript_findings(cues, script, report.subtitles_language or report.audio_language, opts)
    extra += [finding("style", cue=i.cue, start=i.start, end=i.end, detail=i.detail,
                      published=cues[i.cue - 1].text if 0 < i.cue <= len(cues) else "")
              for i in check_style(cues, prof, info.fps)]
    extra.sort(key=lambda f: (f.start, KINDS.index(f.kind)))
    return replace(report, subtitles=str(subtitles), findings=tuple(extra))


def _context(whisper, audio, rec: Recognition, cues: list[SubtitleCue], subs_language: str | None,
             opts: AuditOptions) -> _Context:
    audio_language = rec.language
    subs = subs_language or audio_language
    norm = subs if subs in whisper_languages(whisper) else audio_language
    words, owner = _all_cue_words(cues)
    return _Context(whisper, audio, rec, cues, words, owner, audio_language, subs, norm, opts)


def _audit_audio(whisper, audio: media_mod.DecodedAudio, rec: Recognition, cues: list[SubtitleCue],
                 subs_language: str | None, opts: AuditOptions, progress: Progress | None,
                 encodings: Encodings | None = None) -> AuditReport:
    ctx = _context(whisper, audio, rec, cues, subs_language, opts)
    judge = _WindowJudge(ctx)
    matching = None
    if ctx.same_language and ctx.words:
        timing = time_text(whisper, audio, rec, ctx.words, language=ctx.norm_language, on_window=judge,
                           encodings=encodings,
                           progress=(lambda t: progress("timing", t, audio.duration)) if progress else None)
        ctx.pairs, ctx.times, matching = dict(timing.matching.pairs), timing.times, timing.matching
    elif ctx.words:
        ctx.pairs = dict(match(ctx.words, rec.words, lang=ctx.norm_language).pairs)
    disputes = _disputes_by_cue(ctx, judge.found)
    for k, extra in _dropped_inside(ctx, matching).items():
        disputes.setdefault(k, []).extend(extra)
    evidence = gather_evidence(ctx, disputes)
    sync = estimate_sync(ctx, evidence)
    findings = sync_findings(sync, audio.duration, opts)
    corrected = [(sync.to_spoken(c.start), sync.to_spoken(c.end)) for c in cues]
    covered = [corrected[k] for k in range(len(cues)) if k not in set(ctx.owner)]  # sound descriptions
    translations = _Translations(ctx)
    taken = set(ctx.pairs.values())
    early = {ev.k: early_verdict(ctx, ev, sync) for ev in evidence}
    ctx.planned = plan_hearings(ctx, evidence, sync, early)
    for ev in evidence:
        verdict = judge_cue(ctx, ev, sync, taken, early[ev.k])
        findings.extend(verdict.findings)
        covered.extend(verdict.covers)
        if verdict.corrected is not None:
            corrected[ev.k] = verdict.corrected
        if verdict.translated is not None:
            translations.add(ev.k, verdict.translated)
        translations.run_settled(ev.k, corrected)
    translations.finish(corrected)
    findings.extend(translations.findings)
    for k, span in translations.moved.items():
        corrected[k] = span
        covered.append(span)
    findings.extend(missing_subtitles(ctx, covered))
    return AuditReport(
        media=audio.source, subtitles="", audio_language=ctx.audio_language, subtitles_language=ctx.subs_language,
        duration=audio.duration, cues=tuple(cues), sync=sync, findings=tuple(findings), speech=rec.speech,
        corrected=tuple(corrected),
    )


# ---------------------------------------------------------------- coverage


def _uncovered(speech: Sequence[tuple[float, float]], covered: Sequence[tuple[float, float]],
               join: float = 0.5) -> list[tuple[float, float]]:
    """Stretches of voice with no cue over them, short pauses bridged."""
    import bisect

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
    return utterances(pieces, join)


def missing_subtitles(ctx: _Context, covered: Sequence[tuple[float, float]]) -> list[Finding]:
    """Speech with no cue over it: from ``min_missing`` seconds when the recogniser heard words
    there that no cue claims, from ``min_missing_unworded`` when it heard none."""
    opts = ctx.options
    taken = set(ctx.pairs.values())
    out = []
    margin = opts.coverage_margin
    for a, b in _uncovered(ctx.rec.speech, [(x - margin, y + margin) for x, y in covered]):
        # recognised word times are spread over their segment, so overlap with some slack
        worded = [i for i in ctx.words_between(a - opts.missing_word_slack - 1.0, b + opts.missing_word_slack + 1.0)
                  if i not in taken and ctx.rec.words[i].end >= a - opts.missing_word_slack
                  and ctx.rec.words[i].start <= b + opts.missing_word_slack]
        if b - a < (opts.min_missing if worded else opts.min_missing_unworded):
            continue
        log.debug("missing_subtitle %.2f-%.2f (%d unclaimed words heard)", a, b, len(worded))
        out.append(finding("missing_subtitle", cue=None, start=a, end=b, heard=ctx.heard_text(a, b),
                           detail=f"{b - a:.1f} s of speech with no cue"))
    return out


def utterances(speech: Sequence[tuple[float, float]], bridge: float = 0.35) -> list[tuple[float, float]]:
    """Spans with gaps under ``bridge`` seconds joined: voice so joined is an utterance, and
    a translated cue starts with one of these."""
    return joined(speech, bridge)


def _find_elsewhere(ctx: _Context, cue_text: Sequence[str], taken: set[int]) -> tuple[float, float] | None:
    """Where a cue's words are spoken among the words no other cue claimed, if anywhere. Only
    windows that share a token with the cue can reach the similarity asked, so only those are
    compared (a dense file asks this for thousands of cues over thousands of words)."""
    lang, words = ctx.norm_language, ctx.rec.words
    tokens = [t for w in cue_text for t in spoken_tokens(w, lang)]
    if len(tokens) < ctx.options.elsewhere_min_tokens:
        return None
    heard = ctx.word_tokens()
    free = [i for i in range(len(words)) if i not in taken]
    wanted = set(tokens)
    n = len(cue_text)
    starts = sorted({s for k, i in enumerate(free) if wanted.intersection(heard[i])
                     for s in range(max(0, k - n + 1), k + 1)})
    best, where = 0.0, None
    for s in starts:
        window = free[s:s + n]
        spread = words[window[-1]].start - words[window[0]].end
        if len(window) < max(2, n // 2) or spread > ctx.options.elsewhere_seconds_per_word * n:
            continue
        matcher = SequenceMatcher(None, tokens, [t for i in window for t in heard[i]], autojunk=False)
        if matcher.quick_ratio() <= best:
            continue
        score = matcher.ratio()
        if score > best:
            best, where = score, (words[window[0]].start, words[window[-1]].end)
    return where if best >= ctx.options.elsewhere_similarity else None


# ---------------------------------------------------------------- translations


class _TranslationScorer:
    """How likely Whisper finds a text as its translation of a stretch of audio (mean token
    log-probability, teacher-forced through ``Whisper.align``), over ``encode``'s encoding of
    the span (the context's, which keeps the last few)."""

    def __init__(self, model, encode: Callable[[float, float], tuple[object, int]]) -> None:
        self.model = model
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


def check_translation_shift(ctx: _Context, k: int, language: str, span: tuple[float, float],
                            spans: Sequence[tuple[float, float]], score: _TranslationScorer,
                            starts: Sequence[float]) -> Verdict | None:
    """A translated cue shown away from its speech: only when it does not start on an onset of
    voice (an unambiguous in-time), and its text fits clearly better as Whisper's translation
    of an utterance that starts up to ``translation_search`` seconds away."""
    opts, cue, text = ctx.options, ctx.cues[k], ctx.cues[k].text.replace("\n", " ")
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
                heard=ctx.heard_text(s0, s0 + b - a), published_start=cue.start, published_end=cue.end,
                detail=f"shown {abs(best_shift):.2f} s {'after' if best_shift < 0 else 'before'} "
                       "the speech it translates")
    return Verdict((f,), corrected=(s0, s0 + (b - a)), covers=((s0, s0 + (b - a)),))


def check_translation_meaning(ctx: _Context, k: int, language: str, spans: Sequence[tuple[float, float]],
                              score: _TranslationScorer) -> Finding | None:
    """A translated cue whose text fits its own speech, as Whisper's translation, no better
    than the neighbouring cues' speech (by ``meaning_gain`` mean log-probability per token)."""
    opts, cue, text = ctx.options, ctx.cues[k], ctx.cues[k].text.replace("\n", " ")
    a, b = spans[k]
    own = score((a, b), text, language)
    if own is None:
        return None
    near = opts.meaning_neighbours
    neighbours = sorted((j for j in range(max(0, k - near), min(len(ctx.cues), k + near + 1)) if j != k),
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
    return finding("meaning_mismatch", cue=cue.index, start=a, end=b, published=cue.text, heard=ctx.heard_text(a, b),
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


class _Translations:
    """The checks of cues over speech in another language (timing first, then meaning), each
    run as soon as every cue it compares with has been judged: its ``meaning_neighbours`` by
    index, and any cue its speech could have moved under (``translation_search``). Run then,
    its own audio's encoding, made for its language check, is still kept (``kept_encodings``)
    and is not made again for its scores. Moved cues are collected, not applied: every check
    sees where the cues are shown."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.score = _TranslationScorer(ctx.whisper, ctx.cue_audio)
        self.starts = [u[0] for u in utterances(ctx.rec.speech)]
        self.pending: list[tuple[int, str]] = []
        self.findings: list[Finding] = []
        self.moved: dict[int, tuple[float, float]] = {}

    def add(self, k: int, language: str) -> None:
        self.pending.append((k, language))

    def settled(self, k: int, judged: int, spans: Sequence[tuple[float, float]]) -> bool:
        """Whether cue ``k``'s checks may run once cues up to ``judged`` are judged."""
        opts = self.ctx.options
        return judged >= k + opts.meaning_neighbours and spans[judged][0] >= spans[k][1] + opts.translation_search

    def run_settled(self, judged: int, spans: Sequence[tuple[float, float]]) -> None:
        while self.pending and self.settled(self.pending[0][0], judged, spans):
            self.check(*self.pending.pop(0), spans)

    def finish(self, spans: Sequence[tuple[float, float]]) -> None:
        while self.pending:
            self.check(*self.pending.pop(0), spans)

    def check(self, k: int, language: str, spans: Sequence[tuple[float, float]]) -> None:
        shift = check_translation_shift(self.ctx, k, language, spans[k], spans, self.score, self.starts)
        if shift is not None:
            self.findings.extend(shift.findings)
            assert shift.corrected is not None
            self.moved[k] = shift.corrected
            return
        meaning = check_translation_meaning(self.ctx, k, language, spans, self.score)
        if meaning is not None:
            self.findings.append(meaning)


def _transcript_findings(cues: Sequence[SubtitleCue], script: Transcript, lang: str,
                         opts: AuditOptions) -> list[Finding]:
    """Cues whose words differ from the approved transcript (what the editors signed off)."""
    words, owner = _all_cue_words(cues)
    t_words = [w.text for w in script.words]
    a = [" ".join(spoken_tokens(w, lang)) for w in words]
    b = [" ".join(spoken_tokens(w, lang)) for w in t_words]
    per_cue: dict[int, list[str]] = {}
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        k = owner[i1] if i1 < len(owner) else (owner[i1 - 1] if i1 else None)
        if k is None:
            continue
        pub, ref = " ".join(words[i1:i2]), " ".join(t_words[j1:j2])
        if len(ref.split()) > opts.missing_passage_words and not pub:
            continue  # a passage the subtitles leave out entirely: reported as missing speech instead
        per_cue.setdefault(k, []).append(
            f"subtitles '{pub}', transcript '{ref}'" if pub and ref else
            f"not in the transcript: '{pub}'" if pub else f"transcript has '{ref}' here")
    out = []
    for k, details in sorted(per_cue.items()):
        cue = cues[k]
        out.append(finding("transcript_mismatch", cue=cue.index, start=cue.start, end=cue.end, published=cue.text,
                           detail="; ".join(details)))
    return out
