"""Which transcript words the recogniser heard, and where: pure sequence work, no audio.

The recogniser is a witness, not the author: its words only anchor the transcript in time.
A long run of transcript words with no counterpart and no speech to hold it was not said
(``unheard``); a long run of recognised words with no counterpart is speech the transcript
lacks (``untranscribed``), such as a quote in another language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..hearing.heard import HeardWord
from ..text.textnorm import is_disfluency, spoken_tokens

__all__ = ["MATCHING", "SECONDS_PER_CHAR", "Matching", "MatchingOptions", "Span", "anchored_blocks", "balanced",
           "bridged", "flatten", "match", "realigned", "said_elsewhere"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Span:
    """A half-open run ``[first, stop)`` of word indices; for recognised speech missing from
    the transcript, ``at`` is the transcript word it comes before."""

    first: int
    stop: int
    at: int = -1

    def __len__(self) -> int:
        return self.stop - self.first


@dataclass(frozen=True)
class Matching:
    pairs: tuple[tuple[int, int], ...]  # (transcript word, recognised word), in order; "20 percent" both map to "20%"
    unheard: tuple[Span, ...]  # transcript words not in the audio
    untranscribed: tuple[Span, ...]  # recognised words not in the transcript

    def anchor_of(self) -> dict[int, int]:
        return dict(self.pairs)


def flatten(words: Sequence[str], lang: str) -> tuple[list[str], list[int]]:
    """Every word's spoken tokens in one list, and the index of the word each came from."""
    tokens: list[str] = []
    owners: list[int] = []
    for i, w in enumerate(words):
        for tok in spoken_tokens(w, lang):
            tokens.append(tok)
            owners.append(i)
    return tokens, owners


def _similar(a: Sequence[str], b: Sequence[str]) -> float:
    return SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False).ratio()


SpeechTime = Callable[[float, float], float]

# Seconds a character of text takes to say, spaces included: about 15 characters a second,
# the pace of news read aloud. Matching uses it to ask whether a skipped run had time to be
# spoken; timing, to lay words that have an anchor on one side only.
SECONDS_PER_CHAR = 0.06


@dataclass(frozen=True)
class MatchingOptions:
    """How the transcript is found among the recognised words.

    - ``anchor`` = 3 tokens: the two sides are aligned whole, in order (a longest common
      subsequence, ``_opcodes``); runs of at least this many paired words in a row are anchors,
      and each stretch between anchors is aligned again on its own. A shorter run is kept only
      in step with an edge of its stretch (``_in_step``), the gap ``balanced``: neither side
      more than twice the other plus ``anchor`` tokens (a mishearing, whose few shared words
      are real); where one side has much more, a lone shared "the" is chance.
    - ``min_run`` = 3 words: a gap is unheard transcript, or speech the transcript lacks, only
      when one side has this many words more than the other (a word or two either way is a
      mishearing).
    - ``min_untranscribed`` = 1 s: speech the transcript lacks must also last this long: a
      phrase, not a word or two misheard.
    - ``similar`` = 0.5: two sides of a gap this alike (difflib ratio of their letters) are
      the same words misheard ("Shebekino" / "Shabakino"), paired one to one when as many.
    - ``seconds_per_char`` (``SECONDS_PER_CHAR``, 0.06 s: about 15 characters a second, news
      read aloud): the time a run of text takes to say.
    - ``room`` = 0.4: an unheard run is kept only when the voice around it has less than this
      share of the time it takes to say: a fast reader says it in less than half the time.
    - ``overlap`` = 2 s: where the run is another labelled speaker's than the words heard
      beside it, the room reaches this far into theirs: people talk over each other.
    - ``moved_found`` = 0.6: an unheard run at least this much of which is found, in order,
      in speech the transcript lacks elsewhere is said there (``said_elsewhere``): two
      paragraphs swapped. Misheard, a third of a read paragraph's tokens go; another text
      shares a fifth by chance ("the", "of", "and").
    - ``moved_reach`` = 120 s: a run is moved only within this distance of where the transcript
      has it. Two paragraphs of a piece change places; a passage heard minutes away is a
      programme that airs a segment twice, not a transcript out of order.
    - ``most_moves`` = 8: the most passages moved, as each costs a matching of the whole text.
    """

    anchor: int = 3
    min_run: int = 3
    min_untranscribed: float = 1.0
    similar: float = 0.5
    seconds_per_char: float = SECONDS_PER_CHAR
    room: float = 0.4
    overlap: float = 2.0
    moved_found: float = 0.6
    moved_reach: float = 120.0
    most_moves: int = 8


MATCHING = MatchingOptions()

Block = tuple[int, int, int]  # (first token of a, first token of b, tokens in common)
Op = tuple[str, int, int, int, int]  # difflib's opcode: tag, a's [i1, i2), b's [j1, j2)


def _common_runs(a: Sequence[str], b: Sequence[str], i0: int, i1: int, j0: int, j1: int) -> list[Block]:
    """The runs a longest common subsequence of a[i0:i1] and b[j0:j1] pairs (rapidfuzz's
    bit-parallel LCS: an hour of words on both sides in milliseconds)."""
    from rapidfuzz.distance import LCSseq

    return [(i0 + o.src_start, j0 + o.dest_start, o.src_end - o.src_start)
            for o in LCSseq.opcodes(list(a[i0:i1]), list(b[j0:j1])) if o.tag == "equal"]


def balanced(a_tokens: int, b_tokens: int, opts: MatchingOptions = MATCHING) -> bool:
    """Whether a stretch between anchors with this many tokens on each side is a mishearing
    (its short shared runs are real) rather than text one side lacks (they are chance)."""
    return max(a_tokens, b_tokens) <= 2 * min(a_tokens, b_tokens) + opts.anchor


def anchored_blocks(a: Sequence[str], b: Sequence[str], opts: MatchingOptions = MATCHING,
                    bounds: tuple[int, int, int, int] | None = None) -> list[Block]:
    """The runs both sides share, in order: anchors (runs of ``opts.anchor`` tokens or more of
    a longest common subsequence), the stretches between them aligned again on their own, and
    short runs only in step with their stretch's edges (``_in_step``). Global: a stretch one side lacks, however
    long, costs nothing beyond itself, so the thread is never lost after it."""
    i0, i1, j0, j1 = bounds or (0, len(a), 0, len(b))
    if i1 <= i0 or j1 <= j0:
        return []
    runs = _common_runs(a, b, i0, i1, j0, j1)
    anchors = _extended(a, b, [r for r in runs if r[2] >= opts.anchor], (i0, i1, j0, j1))
    if not anchors:
        return _in_step(runs, (i0, i1, j0, j1), opts)
    out: list[Block] = []
    pi, pj = i0, j0
    for ai, aj, size in anchors:
        out += anchored_blocks(a, b, opts, (pi, ai, pj, aj))
        out.append((ai, aj, size))
        pi, pj = ai + size, aj + size
    return out + anchored_blocks(a, b, opts, (pi, i1, pj, j1))


def _extended(a: Sequence[str], b: Sequence[str], anchors: Sequence[Block],
              bounds: tuple[int, int, int, int]) -> list[Block]:
    """Anchors grown over the equal tokens on either side of them (not into a neighbour's).
    A longest common subsequence is one of many as long: "…natural therefore | The earliest
    book" heard after a paragraph nobody said may pair "the" with the unsaid paragraph's
    second word rather than with the next paragraph's first, which then goes unheard; the run
    that goes on unbroken is the one said."""
    i0, i1, j0, j1 = bounds
    out: list[Block] = []
    for k, (ai, aj, size) in enumerate(anchors):
        lo_i, lo_j = (out[-1][0] + out[-1][2], out[-1][1] + out[-1][2]) if out else (i0, j0)
        while ai > lo_i and aj > lo_j and a[ai - 1] == b[aj - 1]:
            ai, aj, size = ai - 1, aj - 1, size + 1
        hi_i, hi_j = (anchors[k + 1][0], anchors[k + 1][1]) if k + 1 < len(anchors) else (i1, j1)
        while ai + size < hi_i and aj + size < hi_j and a[ai + size] == b[aj + size]:
            size += 1
        out.append((ai, aj, size))
    return out


def _in_step(runs: Sequence[Block], bounds: tuple[int, int, int, int], opts: MatchingOptions) -> list[Block]:
    """Of the short ``runs`` in a stretch with no anchor, those in step with its edges: each
    whose gap to the kept run before it (or the stretch's start) is ``balanced``, scanning
    forward, or to the kept run after it (or the stretch's end), scanning back. A paragraph's
    "Goodbye now." heard after a sentence nobody said is in step with the file's end; a "the"
    amid forty words one side lacks is in step with nothing."""
    i0, i1, j0, j1 = bounds
    kept: set[Block] = set()
    ei, ej = i0, j0
    for r in runs:
        if balanced(r[0] - ei, r[1] - ej, opts):
            kept.add(r)
            ei, ej = r[0] + r[2], r[1] + r[2]
    si, sj = i1, j1
    for r in reversed(runs):
        if balanced(si - r[0] - r[2], sj - r[1] - r[2], opts):
            kept.add(r)
            si, sj = r[0], r[1]
    return sorted(kept)


def _opcodes(a: Sequence[str], b: Sequence[str], opts: MatchingOptions = MATCHING) -> list[Op]:
    """difflib-style opcodes of ``anchored_blocks``: "equal" runs and the gaps between them."""
    ops: list[Op] = []
    i = j = 0
    for bi, bj, size in [*anchored_blocks(a, b, opts), (len(a), len(b), 0)]:
        if i < bi and j < bj:
            ops.append(("replace", i, bi, j, bj))
        elif i < bi:
            ops.append(("delete", i, bi, j, j))
        elif j < bj:
            ops.append(("insert", i, i, j, bj))
        if size:
            ops.append(("equal", bi, bi + size, bj, bj + size))
        i, j = bi + size, bj + size
    return ops


def match(
    transcript_words: Sequence[str],
    heard: Sequence[HeardWord],
    *,
    lang: str = "en",
    speech_between: SpeechTime | None = None,
    speakers: Sequence[str | None] | None = None,
    opts: MatchingOptions = MATCHING,
) -> Matching:
    """Pair transcript words with recognised words and find what each side lacks.

    ``speech_between(t0, t1)`` returns the seconds of speech (voice activity) in that span of
    audio; it decides whether a transcript run the recogniser skipped was spoken at all.
    ``speakers``: each transcript word's speaker (None: unlabelled), for overlapping talk.
    """
    t_tok, t_own = flatten(transcript_words, lang)
    h_tok, h_own = flatten([h.text for h in heard], lang)
    pairs: dict[int, int] = {}
    gaps: list[tuple[int, int, int, int]] = []  # token ranges with no exact match
    for op, i1, i2, j1, j2 in bridged(realigned(_opcodes(t_tok, h_tok, opts), t_tok, h_tok)):
        if op == "equal":
            for k in range(i2 - i1):
                pairs.setdefault(t_own[i1 + k], h_own[j1 + k])
        else:
            gaps.append((i1, i2, j1, j2))

    def words_of(own: list[int], a: int, b: int) -> list[int]:
        return sorted(set(own[a:b]))

    unheard: list[Span] = []
    untranscribed: list[Span] = []
    for i1, i2, j1, j2 in gaps:
        t_words = [w for w in words_of(t_own, i1, i2) if w not in pairs]
        h_words = [w for w in words_of(h_own, j1, j2) if w not in set(pairs.values())]
        similar = bool(t_words and h_words) and _similar(
            [transcript_words[w] for w in t_words], [heard[w].text for w in h_words]
        ) >= opts.similar
        if similar and len(t_words) == len(h_words):
            # Misheard word for word ("Shebekino" / "Shabakino"): pair them one to one.
            for tw, hw in zip(t_words, h_words):
                if _similar([transcript_words[tw]], [heard[hw].text]) >= opts.similar:
                    pairs[tw] = hw
        if similar:
            continue
        # Recognised words standing in for transcript words are a mishearing of them, not
        # extra speech; only a clear surplus of heard words is speech the transcript lacks.
        # Hesitations and false starts count on neither side: a verbatim transcript writes
        # them and the recogniser mostly does not, an edited one drops them and it may not.
        said = sum(not is_disfluency(transcript_words[w]) for w in t_words)
        uttered = sum(not is_disfluency(heard[w].text) for w in h_words)
        lasting = heard[h_words[-1]].end - heard[h_words[0]].start if h_words else 0.0
        if uttered - said >= opts.min_run and lasting >= opts.min_untranscribed:
            log.debug("heard %r: speech the transcript lacks", " ".join(heard[w].text for w in h_words))
            at = t_own[i1] if i1 < len(t_own) else len(transcript_words)
            untranscribed.append(Span(h_words[0], h_words[-1] + 1, at))
        # Likewise a transcript run is unheard only when the recogniser heard clearly fewer
        # words in its place ("call to all" heard as "Cultural" is a mishearing).
        if said - uttered >= opts.min_run:
            log.debug("transcript %r: not heard (unless there is room for it)",
                      " ".join(transcript_words[w] for w in t_words))
            unheard.append(Span(t_words[0], t_words[-1] + 1))

    ordered = _monotonic(sorted(pairs.items()))
    # A transcript run is unheard only if the audio around it has no room for it.
    if speech_between is not None:
        foreign = [(heard[s.first].start, heard[s.stop - 1].end) for s in untranscribed]
        unheard = [s for s in unheard if not _has_room(s, ordered, heard, transcript_words,
                                                        speech_between, foreign, opts, speakers)]
    return Matching(tuple(ordered), tuple(_merge(unheard)), tuple(_merge(untranscribed)))


def _surplus(op: Op) -> int:
    """Tokens one side of an opcode has beyond the other's: positive, the first's."""
    return (op[2] - op[1]) - (op[4] - op[3])


def _balancing(gap: Op, shared: Op, other: Op, most: int) -> bool:
    """Whether ``gap`` and ``other`` are gaps that make up for each other (one side's surplus
    the other's lack) around ``shared``, a run of at most ``most`` shared tokens."""
    return (gap[0] != "equal" and shared[0] == "equal" and shared[2] - shared[1] <= most
            and other[0] != "equal" and _surplus(gap) * _surplus(other) < 0)


def realigned(ops: Sequence[Op], a: Sequence[str], b: Sequence[str], most: int = 3) -> list[Op]:
    """Opcodes with the stretch around a short run of shared tokens aligned again by longest
    common subsequence, when the gaps either side of it make up for each other and the
    subsequence shares more. difflib pairs the longest contiguous run first: "region, this
    time" at a cue's end, heard once as "region. This time" a sentence later, took that run
    and left "Belgorod region" and the next cue's "This time" without their words, although
    pairing them one by one shares five tokens instead of three."""
    from rapidfuzz.distance import LCSseq

    out: list[Op] = []
    k = 0
    while k < len(ops):
        op = ops[k]
        if k + 2 < len(ops) and _balancing(op, ops[k + 1], ops[k + 2], most):
            i1, i2, j1, j2 = op[1], ops[k + 2][2], op[3], ops[k + 2][4]
            local = LCSseq.opcodes(list(a[i1:i2]), list(b[j1:j2]))
            if sum(o.src_end - o.src_start for o in local if o.tag == "equal") > ops[k + 1][2] - ops[k + 1][1]:
                log.debug("re-aligned %r against %r", " ".join(a[i1:i2]), " ".join(b[j1:j2]))
                out.extend(_joined([(o.tag, i1 + o.src_start, i1 + o.src_end, j1 + o.dest_start, j1 + o.dest_end)
                                    for o in local]))
                k += 3
                continue
        out.append(op)
        k += 1
    return out


def _joined(ops: Sequence[Op]) -> list[Op]:
    """Adjacent gaps (a deletion beside an insertion) as one: a gap is judged whole."""
    out: list[Op] = []
    for op in ops:
        if out and op[0] != "equal" and out[-1][0] != "equal":
            prev = out.pop()
            op = ("replace", prev[1], op[2], prev[3], op[4])
        out.append(op)
    return out


def bridged(ops: Sequence[Op]) -> list[Op]:
    """Opcodes with a single matching token between two gaps taken into one gap when one gap
    lacks words the other has in surplus: "this time into the Shebekino" heard as "the Simon to
    the Shabaki" shares only a "the", and its two halves apart look like three words unheard
    beside four the transcript lacks. Gaps that balance on their own stay apart ("Sonnets by
    William Shakespeare" over a heard "2", then "fourteen" heard as "forty")."""
    out: list[Op] = []
    k = 0
    while k < len(ops):
        op = ops[k]
        while k + 2 < len(ops) and _balancing(op, ops[k + 1], ops[k + 2], 1):
            nxt = ops[k + 2]
            op = ("replace", op[1], nxt[2], op[3], nxt[4])
            k += 2
        out.append(op)
        k += 1
    return out


def _monotonic(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for t, h in pairs:
        if not out or (t > out[-1][0] and h >= out[-1][1]):
            out.append((t, h))
    return out


def _has_room(span: Span, pairs: list[tuple[int, int]], heard: Sequence[HeardWord],
              words: Sequence[str], speech_between: SpeechTime,
              foreign: list[tuple[float, float]], opts: MatchingOptions,
              speakers: Sequence[str | None] | None = None) -> bool:
    """Whether the voice between the heard words around an unheard run (less speech the
    transcript lacks) could hold it: reaching ``opts.overlap`` into a neighbour's words when
    the run is another labelled speaker's (``_talks_over``)."""
    before = [(t, h) for t, h in pairs if t < span.first]
    after = [(t, h) for t, h in pairs if t >= span.stop]
    t0 = heard[before[-1][1]].end if before else 0.0
    t1 = heard[after[0][1]].start if after else float("inf")
    run = range(span.first, span.stop)
    if before and _talks_over(speakers, [*run, before[-1][0]]):
        t0 = max(0.0, t0 - opts.overlap)
    if after and _talks_over(speakers, [*run, after[0][0]]):
        t1 += opts.overlap
    # Speech already claimed by untranscribed words (another language, say) is no room.
    needed = opts.seconds_per_char * sum(len(w) + 1 for w in words[span.first:span.stop])
    available = speech_between(t0, t1) - sum(
        speech_between(max(a, t0), min(b, t1)) for a, b in foreign if a < t1 and b > t0
    )
    return available >= opts.room * needed


def _talks_over(speakers: Sequence[str | None] | None, words: Sequence[int]) -> bool:
    """Whether transcript ``words`` are said by two or more labelled speakers, who may talk
    at once."""
    return speakers is not None and len({speakers[i] for i in words} - {None}) >= 2


def said_elsewhere(matching: Matching, transcript_words: Sequence[str], heard: Sequence[HeardWord],
                   lang: str = "en", opts: MatchingOptions = MATCHING) -> list[tuple[int, int, Span]]:
    """Unheard transcript runs that are speech the transcript lacks somewhere else: two
    paragraphs in another order than they are said leave one of them unheard where the
    transcript has it and untranscribed where it is said. Each as (first, stop, there): the
    run [first, stop) is the untranscribed speech ``there``, said before transcript word
    ``there.at``. A run is said there when
    at least ``opts.moved_found`` of its tokens, and ``opts.anchor`` in a row, are found in
    order in the untranscribed speech."""
    out = []
    for u in matching.unheard:
        wanted = [t for i in range(u.first, u.stop) for t in spoken_tokens(transcript_words[i], lang)]
        before = [h for t, h in matching.pairs if t < u.first]
        after = [h for t, h in matching.pairs if t >= u.stop]
        where = (heard[before[-1]].end if before else 0.0, heard[after[0]].start if after else float("inf"))
        for x in matching.untranscribed:
            if u.first <= x.at <= u.stop:
                continue  # the same place: the matching compared the two already
            if max(heard[x.first].start - where[1], where[0] - heard[x.stop - 1].end) > opts.moved_reach:
                continue  # too far from where the transcript has it to be the same passage moved
            got = [t for w in heard[x.first:x.stop] for t in spoken_tokens(w.text, lang)]
            blocks = anchored_blocks(wanted, got, opts)
            if blocks and sum(b[2] for b in blocks) >= opts.moved_found * len(wanted):
                log.debug("transcript %r is said before word %d", " ".join(transcript_words[u.first:u.stop])[:60], x.at)
                out.append((u.first, u.stop, x))
                break
    return out


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: s.first):
        if out and s.first <= out[-1].stop:
            out[-1] = Span(out[-1].first, max(out[-1].stop, s.stop), out[-1].at)
        else:
            out.append(s)
    return out
