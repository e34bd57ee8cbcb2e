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

from .recognition import HeardWord
from .textnorm import spoken_tokens

__all__ = ["MATCHING", "SECONDS_PER_CHAR", "Matching", "MatchingOptions", "Span", "bridged", "flatten", "match",
           "realigned"]

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

    - ``chunk`` = 60 tokens: the transcript is matched a chunk at a time against the heard
      tokens just ahead, ``chunk`` × ``lookahead`` (1.25) + ``lookahead_extra`` (20) of them:
      little more than the chunk itself, as a window holding a repeated segment twice would let
      the longest-run-first search skip ahead to the second airing.
    - ``lost_share`` = 0.2: a chunk of which less than this share matched ahead has lost the
      thread (a long stretch heard that the transcript lacks, or a decoder loop): it is looked
      for in all the rest, but no further ahead than the transcript since the last match could
      fill at ``seconds_per_token`` (0.6 s, slow speech) plus ``lost_slack`` (15 s).
    - ``kept_share`` = 4/5: matches in the last fifth of a chunk are left for the next round,
      which sees what follows them.
    - ``min_run`` = 3 words: a gap is unheard transcript, or speech the transcript lacks, only
      when one side has this many words more than the other (a word or two either way is a
      mishearing); heard speech must also last ``min_untranscribed`` (1 s).
    - ``similar`` = 0.5: two sides of a gap this alike (difflib ratio of their letters) are
      the same words misheard ("Shebekino" / "Shabakino"), paired one to one when as many.
    - ``seconds_per_char`` (``SECONDS_PER_CHAR``): the time a run of text takes to say; an
      unheard run is kept only when the voice around it has less than ``room`` (0.4) of that:
      a fast reader says it in less than half the time.
    """

    chunk: int = 60
    lookahead: float = 1.25
    lookahead_extra: int = 20
    lost_share: float = 0.2
    seconds_per_token: float = 0.6
    lost_slack: float = 15.0
    kept_share: float = 4 / 5
    min_run: int = 3
    min_untranscribed: float = 1.0
    similar: float = 0.5
    seconds_per_char: float = SECONDS_PER_CHAR
    room: float = 0.4


MATCHING = MatchingOptions()


def _opcodes(a: Sequence[str], b: Sequence[str], opts: MatchingOptions = MATCHING,
             b_times: Sequence[float] | None = None) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, computed chunk by chunk along the diagonal.

    One global SequenceMatcher pairs the longest common run first, wherever it lies: in an
    hour of speech with recurring phrases (or a programme that repeats a segment) that can tie
    the start of one side to the middle of the other. Both sides run in the same order, so a
    chunk of the transcript is only looked for a little ahead of where the last one ended, and
    only when that fails (a long stretch heard that the transcript lacks) in all the rest.
    """
    blocks: list[tuple[int, int, int]] = []
    i0 = j0 = 0
    chunk = opts.chunk
    while i0 < len(a) and j0 < len(b):
        i1 = min(len(a), i0 + chunk)
        j1 = min(len(b), j0 + int(chunk * opts.lookahead) + opts.lookahead_extra)
        found = [m for m in SequenceMatcher(None, a[i0:i1], b[j0:j1], autojunk=False).get_matching_blocks()
                 if m.size]
        if sum(m.size for m in found) < opts.lost_share * (i1 - i0) and j1 < len(b):
            # Lost the thread (the recogniser heard a long stretch the transcript lacks, or
            # looped): look for this chunk in all that is left, and pick up from there.
            wide = [m for m in SequenceMatcher(None, a[i0:i1], b[j0:], autojunk=False).get_matching_blocks()
                    if m.size]
            if b_times is not None and blocks:
                # No further ahead in the audio than the transcript since the last match could fill.
                li, lj, ls = blocks[-1]
                budget = (i0 + chunk - (li + ls)) * opts.seconds_per_token + opts.lost_slack
                wide = [m for m in wide if b_times[j0 + m.b] - b_times[lj + ls - 1] <= budget]
            if sum(m.size for m in wide) >= opts.lost_share * (i1 - i0):
                found = wide
        if not found:
            i0 = i1  # nothing of this chunk was heard near here: move on in the transcript only
            continue
        if i1 < len(a):
            # Keep the chunk's tail for the next round, unless nothing would be kept at all.
            kept = [m for m in found if m.a + m.size <= int((i1 - i0) * opts.kept_share)] or found[:1]
        else:
            kept = found
        for m in kept:
            blocks.append((i0 + m.a, j0 + m.b, m.size))
        last = kept[-1]
        i0, j0 = i0 + last.a + last.size, j0 + last.b + last.size
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for bi, bj, size in [*blocks, (len(a), len(b), 0)]:
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
    opts: MatchingOptions = MATCHING,
) -> Matching:
    """Pair transcript words with recognised words and find what each side lacks.

    ``speech_between(t0, t1)`` returns the seconds of speech (voice activity) in that span of
    audio; it decides whether a transcript run the recogniser skipped was spoken at all.
    """
    t_tok, t_own = flatten(transcript_words, lang)
    h_tok, h_own = flatten([h.text for h in heard], lang)
    pairs: dict[int, int] = {}
    gaps: list[tuple[int, int, int, int]] = []  # token ranges with no exact match
    h_times = [heard[h].start for h in h_own]
    for op, i1, i2, j1, j2 in bridged(realigned(_opcodes(t_tok, h_tok, opts, b_times=h_times), t_tok, h_tok)):
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
        lasting = heard[h_words[-1]].end - heard[h_words[0]].start if h_words else 0.0
        if len(h_words) - len(t_words) >= opts.min_run and lasting >= opts.min_untranscribed:
            log.debug("heard %r: speech the transcript lacks", " ".join(heard[w].text for w in h_words))
            at = t_own[i1] if i1 < len(t_own) else len(transcript_words)
            untranscribed.append(Span(h_words[0], h_words[-1] + 1, at))
        # Likewise a transcript run is unheard only when the recogniser heard clearly fewer
        # words in its place ("call to all" heard as "Cultural" is a mishearing).
        if len(t_words) - len(h_words) >= opts.min_run:
            log.debug("transcript %r: not heard (unless there is room for it)",
                      " ".join(transcript_words[w] for w in t_words))
            unheard.append(Span(t_words[0], t_words[-1] + 1))

    ordered = _monotonic(sorted(pairs.items()))
    # A transcript run is unheard only if the audio around it has no room for it.
    if speech_between is not None:
        foreign = [(heard[s.first].start, heard[s.stop - 1].end) for s in untranscribed]
        unheard = [s for s in unheard if not _has_room(s, ordered, heard, transcript_words,
                                                        speech_between, foreign, opts)]
    return Matching(tuple(ordered), tuple(_merge(unheard)), tuple(_merge(untranscribed)))


Op = tuple[str, int, int, int, int]


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
              foreign: list[tuple[float, float]], opts: MatchingOptions) -> bool:
    before = [h for t, h in pairs if t < span.first]
    after = [h for t, h in pairs if t >= span.stop]
    t0 = heard[before[-1]].end if before else 0.0
    t1 = heard[after[0]].start if after else float("inf")
    # Speech already claimed by untranscribed words (another language, say) is no room.
    needed = opts.seconds_per_char * sum(len(w) + 1 for w in words[span.first:span.stop])
    available = speech_between(t0, t1) - sum(
        speech_between(max(a, t0), min(b, t1)) for a, b in foreign if a < t1 and b > t0
    )
    return available >= opts.room * needed


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: s.first):
        if out and s.first <= out[-1].stop:
            out[-1] = Span(out[-1].first, max(out[-1].stop, s.stop), out[-1].at)
        else:
            out.append(s)
    return out
