"""Evidence for the audit's text verdicts: how probable the speech model finds two texts on
the same stretch of audio.

A text verdict made from spelling fails both ways: "Belarusian" looks like "Russian" and
passes, the recogniser's "Balevallon" for Belgorod looks like nothing and is flagged. Scoring
instead asks the model, teacher-forced (CTranslate2's ``Whisper.align`` gives every token's
probability under the audio), how likely the *published* words are, and how likely the words it
*heard* there on its own are. A subtitler's change leaves the published words improbable where
the heard ones are clearly more probable; a mishearing leaves the published words about as
probable as the recogniser's guess. The difference is a log-likelihood ratio in nats.

The scores are compared passage by passage (where the two texts differ, plus the word after,
whose probability a wrong word disturbs), not sentence by sentence, so a long correct cue does
not dilute one wrong word. ``disagreements`` is pure: it works on words and numbers.
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from ..hearing.encodings import storage_view
from ..text.textnorm import is_disfluency, spoken_tokens
from ..timing.matching import bridged, flatten

log = logging.getLogger(__name__)

__all__ = [
    "Disagreement",
    "Passage",
    "ScoredText",
    "TextScorer",
    "differing_passages",
    "disagreements",
    "fillers_apart",
    "heard_but_published",
    "omission_evidence",
    "repeats",
    "scoring_form",
    "spoken_spelling",
    "uncontracted",
]

_FLOOR = 1e-6  # probabilities below this are all "impossible": keeps one token from dominating


@dataclass(frozen=True)
class ScoredText:
    """Words with the log-probability of each (its tokens' sum) and of the end of the text."""

    words: tuple[str, ...]
    logprobs: tuple[float, ...]
    end_logprob: float = 0.0

    def span(self, first: int, stop: int) -> float:
        """Log-probability of words [first, stop) and of what follows them (the next word, or
        the end of the text): a wrong word also makes the word after it improbable."""
        follow = self.logprobs[stop] if stop < len(self.logprobs) else self.end_logprob
        return float(sum(self.logprobs[first:stop])) + follow


@dataclass(frozen=True)
class Disagreement:
    """Published words [first, stop) against heard words [heard_first, heard_stop)."""

    first: int
    stop: int
    heard_first: int
    heard_stop: int
    published: str
    heard: str
    llr: float  # nats by which the heard words are more probable than the published ones
    prior_llr: float = 0.0  # the same ratio with no speech to hear: what the language alone prefers
    phone_llr: float | None = None  # the same ratio under an acoustic model with no language model
    repeated: bool = False  # published words the hearing lacks that repeat one just before ("a more a")
    crosses: bool = False  # the passage runs on into a neighbouring cue's words (talk over talk)
    cut: bool = False  # its heard words run to the hearing's end: the last may be heard from its start only
    unsayable: bool = False  # the heard words have no path through the sound under the acoustic model; the published do
    faint: bool = False  # the speech heard is far under the recording's own level (``level``): the recogniser guesses

    @property
    def confidence(self) -> float:
        """1 - P(published) / P(heard): 0 when the published words are as probable."""
        return 1.0 - math.exp(-max(0.0, self.llr))

    @property
    def acoustic_llr(self) -> float:
        """The ratio beyond what the language alone prefers: what the sound adds. A prior
        that favours the published words adds nothing (the sound must still decide)."""
        return self.llr - max(0.0, self.prior_llr)


_PRONOUNS = {"i", "you", "he", "she", "we", "they", "who", "it", "that", "there", "what"}


def spoken_spelling(word: str) -> str:
    """A word spelt as it is said: typographic quotes straightened, poetic elisions written
    out ("deserv’d" is said "deserved", "feel’st" "feelst"), so that a spelling the model would
    never write is not mistaken for a different word."""
    text = unicodedata.normalize("NFKC", word).replace("’", "'").replace("‘", "'")
    m = re.fullmatch(r"(\W*)(\w{3,})'d(\W*)", text)
    if m and m.group(2).lower() not in _PRONOUNS:
        return f"{m.group(1)}{m.group(2)}{'' if m.group(2).endswith('e') else 'e'}d{m.group(3)}"
    m = re.fullmatch(r"(\W*)(\w+)'st(\W*)", text)
    if m:
        return f"{m.group(1)}{m.group(2)}st{m.group(3)}"
    return text


def scoring_form(word: str) -> str:
    """A word as the model writes it mid-sentence: spelt as said, leading and trailing
    punctuation dropped (both texts are scored without it, so a comma never decides)."""
    text = spoken_spelling(word)
    return text.strip(".,;:!?…\"«»“”„()[]{}–—-'") or text


def _key(word: str, lang: str) -> list[str]:
    return spoken_tokens(spoken_spelling(word), lang)


# Contractions a voice always makes where the spelling may not ("de El Capitán" is said "del
# Capitán"; "in dem" read "im"), by language: the contracted form and the words it stands for.
_CONTRACTIONS = {
    "en": {"percent": ("per", "cent")},
    "es": {"del": ("de", "el"), "al": ("a", "el")},
    "fr": {"du": ("de", "le"), "au": ("à", "le"), "aux": ("à", "les"), "des": ("de", "les")},
    "pt": {"do": ("de", "o"), "da": ("de", "a"), "dos": ("de", "os"), "das": ("de", "as"), "no": ("em", "o"),
           "na": ("em", "a"), "nos": ("em", "os"), "nas": ("em", "as"), "ao": ("a", "o"), "à": ("a", "a")},
    "it": {"del": ("di", "il"), "al": ("a", "il"), "nel": ("in", "il"), "dal": ("da", "il"), "sul": ("su", "il")},
    "de": {"im": ("in", "dem"), "am": ("an", "dem"), "zum": ("zu", "dem"), "zur": ("zu", "der"),
           "ins": ("in", "das"), "vom": ("von", "dem"), "beim": ("bei", "dem")},
}


def uncontracted(tokens: Sequence[str], lang: str) -> list[str]:
    """Spoken tokens with each contraction of ``lang`` written out ("del" → "de el"), so that
    a text and its contracted reading compare equal."""
    table = _CONTRACTIONS.get(lang.split("-")[0], {})
    return [t for token in tokens for t in table.get(token, (token,))]


def _tokens_and_owners(words: Sequence[str], lang: str) -> tuple[list[str], list[int]]:
    return flatten([spoken_spelling(w) for w in words], lang)


def _whole_words(owners: Sequence[int], t1: int, t2: int, n_words: int) -> tuple[int, int]:
    """The words that tokens [t1, t2) belong to; an empty token span sits before the owner
    of token t1 (or at the end)."""
    if t2 > t1:
        return owners[t1], owners[t2 - 1] + 1
    at = owners[t1] if t1 < len(owners) else n_words
    return at, at


@dataclass(frozen=True)
class Passage:
    """Published words [first, stop) where the heard words [heard_first, heard_stop) differ."""

    first: int
    stop: int
    heard_first: int
    heard_stop: int


def differing_passages(published: Sequence[str], heard: Sequence[str], lang: str = "en") -> list[Passage]:
    """Where two texts differ in spoken form ("20%" and "20 percent" agree), widened to whole
    words on both sides. A lone shared word between a gap and one that makes up for it is
    part of one passage ("of Kharkiv on" heard "on Chabikyong"), as in matching: apart, the
    halves read as words left out beside words added, which are judged differently."""
    a, a_own = _tokens_and_owners(published, lang)
    b, b_own = _tokens_and_owners(heard, lang)
    ops = _bridged_inside(SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    pairs = [(a_own[i1 + k], b_own[j1 + k]) for op, i1, i2, j1, _j2 in ops if op == "equal" for k in range(i2 - i1)]
    out: list[Passage] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            continue
        p1, p2 = _whole_words(a_own, i1, i2, len(published))
        h1, h2 = _whole_words(b_own, j1, j2, len(heard))
        p1, p2, h1, h2 = _with_partners((p1, p2, h1, h2), pairs)
        if uncontracted([t for w in published[p1:p2] for t in _key(w, lang)], lang) == \
                uncontracted([t for w in heard[h1:h2] for t in _key(w, lang)], lang):
            continue  # the same words once whole ("twenty" "percent" against "20%"; "de el" said "del")
        # Widened onto the previous, or touching it on both sides with no whole word agreeing
        # between ("atteint 6-6" heard "intensis six": a "six" matched inside "6-6"): one passage.
        if out and (out[-1].stop > p1 or out[-1].heard_stop > h1 or
                    (out[-1].stop == p1 and out[-1].heard_stop == h1)):
            log.debug("passage %r joined to the one before it", " ".join(published[p1:p2]))
            prev = out.pop()
            p1, h1 = prev.first, prev.heard_first
        out.append(Passage(p1, p2, h1, h2))
    return [q for p in out for q in fillers_apart(p, published)]


def fillers_apart(p: Passage, published: Sequence[str]) -> list[Passage]:
    """A passage with the hesitations at its published edges ("seventy uh" heard "one") set
    apart as passages of their own, not heard: the speech model gives "uh" almost no
    probability anywhere, over silence as much as over the voice that says it, so inside a
    passage it made the word beside it look like the model's sense of language talking, and
    a number changed next to a hesitation went unreported. The hesitation is judged alone."""
    first, stop = p.first, p.stop
    if p.heard_first == p.heard_stop:
        return [p]
    while stop - first > 1 and is_disfluency(published[stop - 1]):
        stop -= 1
    while stop - first > 1 and is_disfluency(published[first]):
        first += 1
    if (first, stop) == (p.first, p.stop):
        return [p]
    log.debug("passage %r: the hesitations at its edges judged apart", " ".join(published[p.first:p.stop]))
    before = [Passage(p.first, first, p.heard_first, p.heard_first)] if first > p.first else []
    after = [Passage(stop, p.stop, p.heard_stop, p.heard_stop)] if stop < p.stop else []
    return [*before, Passage(first, stop, p.heard_first, p.heard_stop), *after]


def _with_partners(span: tuple[int, int, int, int],
                   pairs: Sequence[tuple[int, int]]) -> tuple[int, int, int, int]:
    """A passage widened by the words its own words share a matched token with: a written
    word whose spoken tokens are split between a difference and a match ("atteint 6-6" heard
    "intensis six", one "six" matched) brings the word its match is in, so that each side of
    the passage says the whole of what the other does. ``pairs``: (published word, heard
    word) of each matched token."""
    p1, p2, h1, h2 = span
    for x, y in pairs:
        if p1 <= x < p2 or h1 <= y < h2:
            p1, p2, h1, h2 = min(p1, x), max(p2, x + 1), min(h1, y), max(h2, y + 1)
    return p1, p2, h1, h2


def _bridged_inside(ops: Sequence[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """``matching.bridged``, but never onto words only one text has at its very start or end:
    those are a neighbour's words caught by the hearing ("and the village" before "of Novaya
    Tavolzhanka"), not half of a passage."""
    head = 1 if ops and ops[0][0] in ("insert", "delete") else 0
    tail = 1 if len(ops) > head and ops[-1][0] in ("insert", "delete") else 0
    return [*ops[:head], *bridged(ops[head:len(ops) - tail]), *ops[len(ops) - tail:]]


def heard_but_published(published: Sequence[str], heard: Sequence[str],
                        passages: Sequence[Passage]) -> tuple[list[str], list[tuple[int, int]]]:
    """The heard words with each passage replaced by the published words, and where each
    passage stands in the result. The two texts then differ only where the passages are, so
    their scores differ only by what the subtitler wrote (not by case, commas or the spelling
    of words both agree on). A replacement takes the case of the heard word it replaces, so a
    capital at a verse's start is no evidence."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    h = 0
    for p in passages:
        out.extend(heard[h:p.heard_first])
        words = list(published[p.first:p.stop])
        if words and p.heard_stop > p.heard_first:
            ref, w = heard[p.heard_first], words[0]
            words[0] = (w[:1].lower() if ref[:1].islower() else w[:1].upper()) + w[1:]
        where.append((len(out), len(out) + len(words)))
        out.extend(words)
        h = p.heard_stop
    out.extend(heard[h:])
    return out, where


def disagreements(published: ScoredText, heard: ScoredText, passages: Sequence[Passage],
                  where: Sequence[tuple[int, int]]) -> list[Disagreement]:
    """Each passage with its log-likelihood ratio: ``published`` is the heard text with the
    passages replaced (``heard_but_published``), ``where`` their positions in it."""
    out = []
    for p, (m1, m2) in zip(passages, where):
        llr = heard.span(p.heard_first, p.heard_stop) - published.span(m1, m2)
        if m1 == m2:  # words left out: teacher forcing skips audio cheaply, so ask how sure the hearing is
            llr = max(llr, omission_evidence(heard.logprobs[p.heard_first:p.heard_stop],
                                             heard.words[p.heard_first:p.heard_stop]))
        out.append(Disagreement(p.first, p.stop, p.heard_first, p.heard_stop, " ".join(published.words[m1:m2]),
                                " ".join(heard.words[p.heard_first:p.heard_stop]), round(llr, 3)))
    return out


def repeats(words: Sequence[str], first: int, stop: int, lang: str, reach: int = 3) -> bool:
    """Whether words [first, stop) each repeat one of the ``reach`` words before them ("had he
    married a more a amiable", "the the"): a speaker's stumble that Whisper, which writes
    fluent text, leaves out of what it hears however clearly it is said."""
    before = {t for w in words[max(0, first - reach):first] for t in _key(w, lang)}
    own = [t for w in words[first:stop] for t in _key(w, lang)]
    return bool(own) and all(t in before for t in own)


_STRICT = {"not", "no", "never", "nothing", "nobody", "none", "nor", "neither", "nicht", "kein", "keine", "nie",
           "nunca", "jamais", "pas"}


def omission_evidence(logprobs: Sequence[float], words: Sequence[str]) -> float:
    """Nats of evidence that heard words left out of the published text were spoken: each
    word adds -log(1 - p), p its probability in the hearing (a word heard at 0.9 adds 2.3), a
    negation or a number twice that. "much larger liberation" heard with confidence clears the
    margin; a dropped "the" or "uh" does not."""
    total = 0.0
    for lp, w in zip(logprobs, words):
        p = min(math.exp(lp), 0.999)
        strict = any(c.isdigit() for c in w) or spoken_spelling(w).strip(".,;:!?").lower() in _STRICT \
            or re.search(r"n't$", spoken_spelling(w))
        total += -math.log(1.0 - p) * (2.0 if strict else 1.0)
    return total


class TextScorer:
    """Teacher-forced log-probabilities of texts on encoded audio, for one language."""

    def __init__(self, model, language: str, task: str = "transcribe") -> None:  # model: WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        self.model = model
        multilingual = model.model.is_multilingual
        self.tokenizer = Tokenizer(model.hf_tokenizer, multilingual, task=task,
                                   language=language if multilingual else "en")
        self._tokens: dict[str, list[int]] = {}

    def _word_tokens(self, word: str) -> list[int]:
        if word not in self._tokens:
            self._tokens[word] = self.tokenizer.encode(" " + scoring_form(word))
        return self._tokens[word]

    def score(self, encoded, num_frames: int, words: Sequence[str]) -> ScoredText:
        """Each word's log-probability on the audio, and the end-of-text token's after them."""
        tok = self.tokenizer
        pieces = [self._word_tokens(w) for w in words]
        tokens = [t for p in pieces for t in p] + [tok.eot]
        result = self.model.model.align(encoded, [*tok.sot_sequence, tok.no_timestamps], [tokens],
                                        max(num_frames, 2))[0]
        probs = np.asarray(result.text_token_probs, dtype=np.float64)
        if len(probs) < len(tokens):  # never seen, but a short answer must not shift the words
            probs = np.concatenate([probs, np.full(len(tokens) - len(probs), _FLOOR)])
        logs = np.log(np.maximum(probs, _FLOOR))
        out, k = [], 0
        for p in pieces:
            out.append(float(logs[k:k + len(p)].sum()))
            k += len(p)
        return ScoredText(tuple(words), tuple(out), float(logs[-1]))

    def hypothesis(self, encoded, max_length: int = 224) -> list[str]:
        """The model's own greedy reading of the encoded audio, no prompt, no timestamps."""
        return self.hypotheses([encoded], max_length)[0]

    def hypotheses(self, encoded: Sequence, max_length: int = 224) -> list[list[str]]:
        """``hypothesis`` of several encodings (each of one 30 s window), decoded in one batch:
        greedy decoding reads each row on its own, so each is read as it would be alone (the
        same tokens, int8 and float32, on the news clip's stretches: ``test_evidence``)."""
        if len(encoded) > 1 and self.model.model.device != "cpu":  # a GPU's outputs are not stacked here
            return [self.hypotheses([e], max_length)[0] for e in encoded]
        tok = self.tokenizer
        batch = encoded[0] if len(encoded) == 1 else storage_view(np.concatenate([np.asarray(e) for e in encoded]))
        results = self.model.model.generate(batch, [[*tok.sot_sequence, tok.no_timestamps]] * len(encoded),
                                            beam_size=1, max_length=max_length, suppress_blank=True)
        return [tok.decode(r.sequences_ids[0]).split() for r in results]
