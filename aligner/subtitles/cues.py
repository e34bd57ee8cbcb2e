"""Timed words to subtitle cues under a profile: pure, testable without audio.

Cue breaks are chosen for the whole turn at once (dynamic programming) rather than
greedily, so a cue ends at a sentence or clause where one is near, never on "the" or
"of", and no cue breaks a hard limit (lines, characters, duration). Times then follow
the speech: in on the first audible frame, out a little after speech ends.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .profiles import Profile

log = logging.getLogger(__name__)

__all__ = ["COSTS", "BreakCosts", "Cue", "TimedWord", "break_lines", "build_cues", "label_text", "too_fast"]


@dataclass(frozen=True)
class TimedWord:
    index: int  # position among the transcript's words
    text: str
    start: float
    end: float
    heard: bool  # found in the audio: heard, or confirmed by the guided hearing (``guided``)
    probability: float
    turn: int
    speaker: str | None
    sentence_end: bool = False
    clause_end: bool = False
    bond: float = 0.0  # how strongly it holds to the next word (syntax.bonds): 1 a unit not to split


@dataclass(frozen=True)
class Cue:
    index: int
    start: float
    end: float
    speaker: str | None
    lines: tuple[str, ...]  # the text as shown, speaker label excluded
    words: tuple[TimedWord, ...]
    label: str | None = None  # shown before the first line (first cue of a turn)
    dialogue: bool = False  # two speakers, one per line, each line led by a hyphen
    label_alone: bool = False  # the label on a line of its own above ``lines`` (it would split a unit)

    @property
    def text(self) -> str:
        return " ".join(self.lines)


# Words a line or a cue should not end on: they belong with what follows.
_CLINGY = set(
    "a an the of to in on at by for with from into onto over under about as and or but nor "
    "towards toward across through between against during without within upon near behind "
    "beyond among amid via per what when where why how whether "
    "that which who whom whose if than so my your his her its our their this these those "
    "is are was were be been not no mr mrs ms dr st".split()
)

# Conjunctions and negations of English, French, Spanish and German, spelled so that no other of
# those languages uses them otherwise (not French "car", English "so"): no line or cue ends on
# one where anything else fits ("fighters, not | a Ukrainian operation").
_NEVER_LAST = frozenset(
    "and or but nor because although unless whether than not "
    "et ou mais ni donc que qu' quand lorsque puisque si ne n' "
    "y e o u pero sino porque aunque cuando no "
    "und oder aber sondern denn dass ob weil wenn obwohl nachdem indem nicht".split()
)
_NEGATIONS = frozenset("not ne n' no nicht".split())  # a line may not break before one either ("ihm | nicht")


@dataclass(frozen=True)
class BreakCosts:
    """What each kind of break costs, in one currency (lower is better), and why.

    Lines inside a cue (``break_lines``):

    - ``line_sentence`` = -15, ``line_clause`` = -10: a line that ends a sentence or clause
      reads as a whole; the guides' first choice.
    - ``line_clingy`` = 15: a line ending on an article, preposition, conjunction or
      auxiliary leaves the reader hanging; ``line_before_clingy`` = -3: breaking just before
      one is the natural place.
    - ``line_name`` = 10: inside a name ("Free | Russia"), where no parse says more.
    - ``line_unit`` = 14 × the words' bond (``syntax``): inside a unit the guides keep
      together ("90 | percent", "of | the region"); close to a clingy word's cost, so a
      balanced break elsewhere wins, but under a punctuation mark's gain.
    - ``line_lone_word`` = 8: a single word on the top line of a cue of ``lone_word_among``
      = 4 words or more is a fragment.
    - ``balance`` = 1/3 per character of difference, ``top_longer`` = 2: lines balanced,
      the bottom one longer when unequal (a pyramid reads faster).
    - ``full_top`` = 1/4 a character of the top line's shortfall from full, in three-line
      layouts (profiles that allow them): upper lines filled first.
    - ``overlong_word`` = 50: a single word longer than a line is shown anyway, at a cost
      that any other break beats.
    - ``never_last`` = 60: a line or cue ending on a conjunction or a negation ("and |",
      "not |", "que |", "nicht |"), counted in full at every line and cue end: more than any
      other cost, so it happens only where nothing else fits.
    - ``label_alone`` = 0: the speaker label given a line of its own costs nothing by itself
      (it costs the cue a line of text, which the search weighs); taken whenever the label
      would otherwise crowd its first line into a break that splits a unit or reads worse
      ("[Dr. Peter Novak] There | are short term measures,"). On a tie the label stays inline.

    Cues (``_segment``), at a cue's end:

    - ``cue_sentence`` = 0, ``cue_clause`` = 3, ``cue_other`` = 8: a cue ends best after a
      sentence, then after a clause, then anywhere else.
    - ``cue_clingy`` = 12 more on a function word, which leaves the reader hanging as on a line.
    - ``cue_name`` = 8 more inside a name: as much again as an ordinary break.
    - ``cue_unit`` = 20 × the bond: inside a unit, at a cue's end or at a line break inside it
      (a unit split between lines is as bad).
    - ``pause`` = 4 per second of pause after the break (up to one): a pause is a natural
      place to cut.
    - ``straddle`` = 10: a cue that ends one sentence and starts another it does not finish
      makes the reader hold two thoughts at once.
    - ``per_cue`` = 4: so full cues beat many small ones.
    - ``over_speed`` = 5 per character a second over the profile's reading speed, judged over
      the longest the cue can stay up (into the pause after it). Words move to a neighbour when
      that brings a cue under the limit; where speech is simply too fast, units stay whole.
    - ``too_short`` = 6: a cue shorter than the profile's minimum duration flashes by.
    - ``line_weight`` = 0.3: the share of the line break's cost that counts for the cue, so
      where a cue ends weighs more than how its lines break.
    - ``max_cue_words`` = 40: the most words a cue is searched over; two 42-character lines
      hold some 15.

    Sentence ends in text that marks none (``_pause_ends``):

    - ``unpunctuated_words`` = 40: a turn with no sentence-ending mark (., !, ?, …), or more
      words than this for each one it has, does not mark its sentences (read speech typed as the prompts
      were written, a speech-to-text draft): edited prose has a mark every 15-25 words.
    - ``sentence_pause`` = 0.3 s: in such a turn a pause this long after a word ends a
      sentence. Readers pause 0.5 s and more between sentences and under 0.2 s inside one
      (stops, breaths at commas), so 0.3 s lies between the two.
    - ``sentence_pause_unit`` = 1.0 s: a pause this long ends a sentence even after a word
      that holds to the next. A reader's hesitation inside a unit is short ("zum | stillstand",
      0.5 s); a second's silence is a sentence end that the parse of unpunctuated text ran
      across ("dix-sept personnes | giancarlo fisichella" parsed as one noun phrase).
    """

    line_sentence: float = -15.0
    line_clause: float = -10.0
    line_clingy: float = 15.0
    line_before_clingy: float = -3.0
    line_name: float = 10.0
    line_unit: float = 14.0
    line_lone_word: float = 8.0
    lone_word_among: int = 4
    balance: float = 1 / 3
    top_longer: float = 2.0
    full_top: float = 1 / 4
    overlong_word: float = 50.0
    never_last: float = 60.0
    label_alone: float = 0.0
    cue_sentence: float = 0.0
    cue_clause: float = 3.0
    cue_other: float = 8.0
    cue_clingy: float = 12.0
    cue_name: float = 8.0
    cue_unit: float = 20.0
    pause: float = 4.0
    straddle: float = 10.0
    per_cue: float = 4.0
    over_speed: float = 5.0
    too_short: float = 6.0
    line_weight: float = 0.3
    max_cue_words: int = 40
    unpunctuated_words: int = 40
    sentence_pause: float = 0.3
    sentence_pause_unit: float = 1.0


COSTS = BreakCosts()


def label_text(speaker: str | None, style: str) -> str | None:
    """The visible label for a turn's first cue in SRT (SRT has no voice field)."""
    if not speaker or style == "none":
        return None
    if style == "bracket":
        return f"[{speaker}]"
    if style == "colon":
        return f"{speaker.upper()}:"
    if style == "dash":
        return "-"
    raise ValueError(f"unknown label style {style!r}")


def _length(words: Sequence[str]) -> int:
    return sum(len(w) for w in words) + max(0, len(words) - 1)


def _bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word).lower()


def _is_name_pair(left: str, right: str) -> bool:
    """Inside a name ("Free | Russia"): two capitalised words with no punctuation between."""
    return left[:1].isupper() and right[:1].isupper() and left[-1:].isalnum() and len(left) > 1


def break_lines(words: Sequence[str], max_chars: int, max_lines: int = 2,
                prefix: int = 0, bonds: Sequence[float] | None = None,
                costs: BreakCosts = COSTS, ends: Sequence[bool] | None = None) -> tuple[tuple[str, ...], float] | None:
    """Best line break for a cue, or None if it cannot fit. Returns (lines, badness).

    One line when it fits; otherwise two balanced lines, bottom longer when unequal,
    broken after punctuation where possible and never after an article or preposition,
    a conjunction or a negation, inside a name or inside a unit the parse found (``bonds``:
    each word's to the next). ``prefix`` reserves room on the first line for a speaker label.
    ``ends``: the words that end a sentence (by default those with a full stop, ! or ?).
    """
    if not words:
        return (), 0.0
    if _length(words) + prefix <= max_chars:
        return (" ".join(words),), 0.0
    if max_lines < 2:
        return None
    best: tuple[tuple[str, ...], float] | None = None
    for k in range(1, len(words)):
        top, bottom = words[:k], words[k:]
        lt, lb = _length(top) + prefix, _length(bottom)
        if lt > max_chars:
            break
        if lb > max_chars:
            if max_lines <= 2:
                continue
            rest = break_lines(bottom, max_chars, max_lines - 1, bonds=bonds[k:] if bonds else None, costs=costs,
                               ends=ends[k:] if ends is not None else None)
            if rest is None:
                continue
            lines, bad = (" ".join(top), *rest[0]), rest[1] + abs(lt - max_chars) * costs.full_top
        else:
            lines = (" ".join(top), " ".join(bottom))
            bad = abs(lt - lb) * costs.balance + (costs.top_longer if lt > lb else 0)
        sentence = ends[k - 1] if ends is not None else bool(re.search(r"[.!?…]['\"»”)]*$", words[k - 1]))
        bad += _line_break_cost(words, k, bonds[k - 1] if bonds else 0.0, costs, sentence)
        if best is None or bad < best[1]:
            best = (lines, bad)
    return best


def _line_break_cost(words: Sequence[str], k: int, bond: float, costs: BreakCosts, sentence: bool) -> float:
    """What breaking the line before words[k] costs, by punctuation (``sentence``: words[k - 1]
    ends a sentence), function words, names and the parse's units."""
    last, nxt = words[k - 1], words[k]
    bad = bond * costs.line_unit
    if sentence:
        bad += costs.line_sentence
    elif re.search(r"[,;:–—]['\"»”)]*$", last) or nxt in ("–", "—", "-"):
        bad += costs.line_clause
    if _never_last(last):
        bad += costs.never_last
    elif _runs_on(last) and _bare(last) in _CLINGY:
        bad += costs.line_clingy
    elif _bare(nxt) in _CLINGY or (_bare(nxt) in _NEVER_LAST and _bare(nxt) not in _NEGATIONS):
        bad += costs.line_before_clingy
    if _is_name_pair(last, nxt) and not bond:
        bad += costs.line_name
    if k == 1 and len(words) >= costs.lone_word_among and not re.search(r"[.!?,;:–—]['\"»”)]*$", last):
        bad += costs.line_lone_word
    return bad


def _runs_on(word: str) -> bool:
    """No punctuation after the word: it reads on into the next ("in" runs on, "in." not)."""
    return word[-1:].isalnum() or word[-1:] in "'’"


def _never_last(word: str) -> bool:
    """A conjunction or negation that runs on into the next word: no line or cue ends on it."""
    return _runs_on(word) and _bare(word) in _NEVER_LAST


def _break_cost(words: Sequence[TimedWord], i: int, costs: BreakCosts = COSTS) -> float:
    """Cost of ending a cue after words[i]."""
    w = words[i]
    if i == len(words) - 1:
        return 0.0
    gap = words[i + 1].start - w.end
    cost = costs.cue_sentence if w.sentence_end else costs.cue_clause if w.clause_end else costs.cue_other
    cost += w.bond * costs.cue_unit
    if _never_last(w.text):
        cost += costs.never_last
    elif _runs_on(w.text) and _bare(w.text) in _CLINGY:
        cost += costs.cue_clingy
    if _is_name_pair(w.text, words[i + 1].text) and not w.bond:
        cost += costs.cue_name
    return cost - min(gap, 1.0) * costs.pause  # a pause is a natural place to cut


def _segment(words: Sequence[TimedWord], profile: Profile, prefix: int, next_start: float = math.inf,
             costs: BreakCosts = COSTS) -> list[tuple[int, int, tuple[str, ...], bool]]:
    """Split one turn's words into cues: [(first, stop, lines, label alone)], the cheapest
    sequence of breaks over the whole turn. ``next_start`` is when the next turn's speech
    begins; ``prefix`` the room the label takes on the turn's first line."""
    n = len(words)
    best = [math.inf] * (n + 1)
    back: list[tuple[int, tuple[str, ...], bool] | None] = [None] * (n + 1)
    best[0] = 0.0
    texts = [w.text for w in words]
    bonds = [w.bond for w in words]
    ends = [w.sentence_end for w in words]
    room = profile.max_lines * (profile.max_chars + 1)  # more characters than any cue can hold
    for i in range(1, n + 1):
        # Cues ending at word i, from the shortest up: each bound below holds for every longer
        # one too, so the first it stops ends the search. (Ties go to the longest cue, as
        # ``<=`` keeps the last.)
        chars = -1
        for j in range(i - 1, max(0, i - costs.max_cue_words) - 1, -1):
            chars += len(texts[j]) + 1
            if i - j > 1 and (chars > room or words[i - 1].end - words[j].start > profile.max_duration
                              or words[j + 1].start - words[j].end >= profile.max_pause):
                break
            if best[j] == math.inf:
                continue
            fit = _lines(texts[j:i], bonds[j:i], ends[j:i], profile, prefix if j == 0 else 0, costs)
            if fit is None:
                if i - j > 1:
                    continue
                # a single word longer than a line: show it anyway
                fit = ((texts[j],), costs.overlong_word * costs.line_weight, False)
            lines, look, alone = fit
            following = words[i].start if i < n else next_start
            cost = (best[j] + _break_cost(words, i - 1, costs) + look + costs.per_cue
                    + _cue_cost(words, j, i, lines, following, profile, costs))
            if cost <= best[i]:
                best[i] = cost
                back[i] = (j, lines, alone)
    out: list[tuple[int, int, tuple[str, ...], bool]] = []
    i = n
    while i > 0:
        j, lines, alone = back[i]  # type: ignore[misc]
        out.append((j, i, lines, alone))
        i = j
    return out[::-1]


def _lines(texts: Sequence[str], bonds: Sequence[float], ends: Sequence[bool], profile: Profile, prefix: int,
           costs: BreakCosts) -> tuple[tuple[str, ...], float, bool] | None:
    """A cue's best lines and what they cost it: their looks (``line_weight`` of the badness),
    the units their breaks split and the lines ending on a conjunction, counted in full. With
    a label (``prefix``), the label inline on the first line or, when that costs more, on a
    line of its own (a line less for the text). None when the words fit neither way."""
    options = [(prefix, profile.max_lines, False)]
    if prefix and profile.max_lines > 1:
        options.append((0, profile.max_lines - 1, True))
    best: tuple[tuple[str, ...], float, bool] | None = None
    for pre, max_lines, alone in options:
        fit = break_lines(texts, profile.max_chars, max_lines, pre, bonds=bonds, costs=costs, ends=ends)
        if fit is None:
            continue
        lines, badness = fit
        last = _line_ends(lines, texts)
        cost = (badness * costs.line_weight + sum(bonds[k] for k in last) * costs.cue_unit
                + sum(_never_last(texts[k]) for k in last) * costs.never_last
                + (costs.label_alone if alone else 0.0))
        if best is None or cost < best[1]:
            best = (lines, cost, alone)
    if best is not None and best[2]:
        log.debug("label on a line of its own: %r", best[0][0])
    return best


def _line_ends(lines: Sequence[str], texts: Sequence[str]) -> list[int]:
    """The last word of each line but the cue's last. Words are counted by their own texts,
    not by the spaces in a line: a word may hold one ("Fine –", a dash kept with its word)."""
    out, at = [], 0
    for line in lines[:-1]:
        width = -1
        while at < len(texts) and width + len(texts[at]) + 1 <= len(line):
            width += len(texts[at]) + 1
            at += 1
        if at:
            out.append(at - 1)
    return out


def _pause_ends(words: Sequence[TimedWord], costs: BreakCosts) -> list[TimedWord]:
    """The turn's words as the breaks read them: in a turn that does not mark its sentences
    (none, or more than ``unpunctuated_words`` words for each full stop, ! or ?), a pause of
    ``sentence_pause`` or more after a word ends a sentence there, unless the word holds to the
    next (a unit, a conjunction): a reader's hesitation, not a sentence end; a unit's hold gives
    way to a pause of ``sentence_pause_unit``."""
    marks = sum(bool(re.search(r"[.!?…]['\"»”)]*$", w.text)) for w in words)
    if marks and len(words) <= costs.unpunctuated_words * marks:
        return list(words)
    out = []
    for k, w in enumerate(words):
        pause = words[k + 1].start - w.end if k + 1 < len(words) else 0.0
        if (k + 1 < len(words) and not w.sentence_end and pause >= costs.sentence_pause and not _never_last(w.text)
                and (w.bond < 1.0 or pause >= costs.sentence_pause_unit)):  # a hesitation inside a unit is short
            log.debug("pause of %.2f s after %r taken as a sentence end (unpunctuated text)",
                      words[k + 1].start - w.end, w.text)
            w = replace(w, sentence_end=True, clause_end=False, bond=0.0)  # no unit runs across a sentence end
        out.append(w)
    return out


def _cue_cost(words: Sequence[TimedWord], j: int, i: int, lines: Sequence[str], following: float,
              profile: Profile, costs: BreakCosts) -> float:
    """What a cue of words[j:i] costs for itself: reading speed over the time it can stay up
    (into the pause after it, up to the next speech less the minimum gap, as ``_time`` will
    show it), shortness, and straddling two sentences."""
    span = words[i - 1].end - words[j].start
    room = following - profile.frames(profile.min_gap_frames) - words[j].start
    shown = max(span, min(room, profile.max_duration))
    cps = sum(len(x) for x in lines) / max(shown, 1e-3)
    # A cue that finishes one sentence and starts another it does not finish
    # makes the reader hold two thoughts at once.
    straddles = any(words[k].sentence_end for k in range(j, i - 1)) and not words[i - 1].sentence_end
    speed = max(0.0, cps - profile.max_cps) * costs.over_speed
    return (costs.straddle if straddles else 0.0) + speed + (costs.too_short if span < profile.min_duration else 0.0)


def build_cues(
    words: Sequence[TimedWord],
    profile: Profile,
    *,
    fps: float | None = None,
    label_style: str = "bracket",
    dialogue: bool = False,
    costs: BreakCosts = COSTS,
) -> list[Cue]:
    """Cut timed words (heard ones, in order) into cues and time them."""
    fps = fps or profile.fps
    frame = 1.0 / fps
    turns: list[list[TimedWord]] = []
    for w in words:
        if turns and turns[-1][0].turn == w.turn:
            turns[-1].append(w)
        else:
            turns.append([w])
    raw: list[Cue] = []
    for t, turn_words in enumerate(turns):
        speaker = turn_words[0].speaker
        next_start = turns[t + 1][0].start if t + 1 < len(turns) else math.inf
        label = label_text(speaker, label_style)
        prefix = len(label) + 1 if label else 0
        read = _pause_ends(turn_words, costs)
        for n, (a, b, lines, alone) in enumerate(_segment(read, profile, prefix, next_start, costs)):
            ws = tuple(turn_words[a:b])
            if log.isEnabledFor(logging.DEBUG):
                log.debug("cue %r ends: %s", " / ".join(lines), _why_here(read, b - 1))
            raw.append(Cue(0, ws[0].start, ws[-1].end, speaker, lines, ws, label if n == 0 else None,
                           label_alone=alone and n == 0))
    if dialogue:
        raw = _merge_dialogue(raw, profile)
    return _time(raw, profile, frame)


def _why_here(words: Sequence[TimedWord], i: int) -> str:
    """Which rule a cue's end satisfied (or broke), for a -v run."""
    w = words[i]
    if i == len(words) - 1:
        return "end of the turn"
    gap = words[i + 1].start - w.end
    kind = "sentence end" if w.sentence_end else "clause end" if w.clause_end else "no punctuation"
    unit = f", inside a unit (bond {w.bond:.1f})" if w.bond else ""
    return f"{kind}, pause {gap:.2f} s{unit}"


def too_fast(cues: Sequence[Cue], profile: Profile) -> list[str]:
    """The cues still over the profile's reading speed once breaks and times have done what
    they can: the speech itself is faster than the profile allows (a subtitler would condense)."""
    out = []
    for c in cues:
        cps = profile.too_fast(sum(len(x) for x in c.lines), c.end - c.start)
        if cps is not None:
            out.append(f"cue {c.index} reads at {cps:.1f} characters a second (at most {profile.max_cps:g}): "
                       "the speech is faster than that; condense it")
    return out


def _merge_dialogue(cues: list[Cue], profile: Profile) -> list[Cue]:
    """Two short cues of different speakers, close together, become one two-line cue."""
    out: list[Cue] = []
    for cue in cues:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.dialogue
            and prev.speaker != cue.speaker
            and len(prev.lines) == 1
            and len(cue.lines) == 1
            and len(prev.lines[0]) + 1 <= profile.max_chars
            and len(cue.lines[0]) + 1 <= profile.max_chars
            and cue.words[-1].end - prev.words[0].start <= profile.max_duration
            and cue.words[0].start - prev.words[-1].end < 1.0
        ):
            out[-1] = Cue(0, prev.start, cue.end, prev.speaker,
                          (f"-{prev.lines[0]}", f"-{cue.lines[0]}"), prev.words + cue.words,
                          None, dialogue=True)
        else:
            out.append(cue)
    return out


def _time(cues: list[Cue], profile: Profile, frame: float) -> list[Cue]:
    """In-times on the first audible frame, out-times after speech, gaps and minimums kept."""
    gap = profile.min_gap_frames * frame
    starts = [math.floor(max(0.0, c.words[0].start - profile.early_start) / frame + 1e-6) * frame
              for c in cues]
    for k in range(1, len(starts)):  # every cue gets at least one frame on screen
        starts[k] = max(starts[k], starts[k - 1] + frame + gap)
    out: list[Cue] = []
    for k, cue in enumerate(cues):
        start = starts[k]
        speech_end = cue.words[-1].end
        limit = starts[k + 1] - gap if k + 1 < len(cues) else math.inf
        end = speech_end + profile.max_lead_out_frames * frame
        chars = sum(len(x) for x in cue.lines)
        wanted = max(profile.min_duration, chars / profile.max_cps)
        if end - start < wanted:
            end = start + wanted
        if k + 1 < len(cues) and 0 < limit - end < profile.chain_frames * frame:
            end = limit  # a sliver of a gap flickers; close it to the minimum
        # Out-times on frame boundaries like in-times; the limits win over everything.
        end = min(round(end / frame) * frame, start + profile.max_duration, limit)
        end = max(end, start + frame)
        # Whole milliseconds, as subtitle files store them: starts up, ends down, so that the
        # minimum gap survives the rounding.
        start_ms, end_ms = math.ceil(start * 1000 - 1e-6), math.floor(end * 1000 + 1e-6)
        out.append(Cue(k + 1, start_ms / 1000, max(end_ms, start_ms + 1) / 1000, cue.speaker,
                       cue.lines, cue.words, cue.label, cue.dialogue, cue.label_alone))
    return out
