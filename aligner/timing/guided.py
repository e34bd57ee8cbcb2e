"""What the audio says, when a transcript says it already: free decoding only where the two
may disagree.

``align`` knows the words; recognition is there to find them in the audio and to catch where
the audio and the transcript part (speech the transcript lacks, text nobody says). Decoding
every chunk freely costs more than all the rest of ``align`` together, and on most chunks it
only confirms the transcript. So each chunk is first read for its opening words only (a few
tokens), which place it in the transcript (``place_chunks``); the transcript's words from one
chunk's opening to the next's are aligned on the chunk's encoding (``timing.align_words``,
the placement the timing stage makes anyway); and a chunk whose words lie on its voice as
speech does (``unsure`` finds none squeezed into a frame, none stretched over seconds of
voice, no voice left without a word) is heard as the transcript says, at the aligned times.
Every other chunk is decoded freely, as ``recognition.recognise`` does, so that what the two
disagree on is found there as before.

The result depends on the transcript, so it is remembered under the transcript's digest
beside ``hearing_key``'s; the audit, which must hear the audio without the text it checks,
hears for itself (reading the same encodings, when it runs in the same process).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import numpy as np

from ..hearing.encodings import Encodings
from ..hearing.heard import HeardWord, Recognition, Segment, voice_between
from ..hearing.options import RECOGNITION, RecognitionOptions
from ..hearing.recognition import detect_language, hear_chunks, hear_stretch, heard_segments, recognition_of
from ..hearing.voice import Layout, laid_out, uncovered
from ..results import WordTime
from ..runtime.cache import digest
from ..runtime.media import DecodedAudio
from ..text.textnorm import spoken_tokens
from .matching import SECONDS_PER_CHAR, Matching, Span, anchored_blocks
from .whisper import Window, align_words

__all__ = ["GUIDED", "GuidedOptions", "chunk_texts", "guided_key", "handed_over", "hear_guided", "heard_again",
           "place_chunks", "trailing", "unheard_sound", "unsure"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GuidedOptions:
    """When a chunk is heard as the transcript says rather than decoded freely.

    - ``prefix_tokens``: tokens decoded at each chunk's opening, 16: about eight words, enough
      to find them in the transcript, a sixth of a full chunk's decoding.
    - ``opening_batch``: chunks whose openings are decoded together, 2. Each chunk in a batch
      holds the decoder's cross-attention keys and values (~37 MB) while a few tokens are
      decoded, and four at once (recognition's batch) set an hour-long align's memory peak.
    - ``lead``: heard words before the first one found in the transcript taken for misheard
      transcript words, at most 2: the chunk begins that many words before it. Also the most
      words squeezed into a chunk's last frame that are a boundary misjudged by a word or two,
      and handed on (``handed_over``); more mean the chunk's range ran into words nobody says
      there, and the chunk is decoded too.
    - ``prefix_words``: the opening words looked for, 8 (about what ``prefix_tokens`` holds).
    - ``least_found``: the share of those words that must be found in order in the transcript.
      0.5: names and numbers are often misheard; fewer would place a chunk on a chance match of
      common words.
    - ``search``: transcript words after the previous chunk's opening where the next may begin.
      400: a 30 s chunk holds at most ~150 words; after a longer passage nobody says, the
      chunks are not placed, and so are decoded freely.
    - ``longest_text``: the most words aligned on one chunk, 220 (some 320 tokens): Whisper's
      decoder holds 448 tokens. A 30 s chunk holds at most ~150 words; the rest are an unplaced
      chunk's, handed on (``trailing``).
    - ``squeezed``: a word aligned into this little time, seconds, is not in the chunk's audio.
      0.021: one 20 ms frame, the least the alignment gives; the words of a sentence nobody
      says, or of the next chunk, are squeezed into its last frame.
    - ``stretch``: a word whose aligned time holds this much more voice than the word takes to
      say, seconds, lies over speech the transcript lacks. 1.0 s: such speech stretches a word
      by seconds, not by a slow syllable.
    - ``seconds_per_char``: what a word takes to say (``matching.SECONDS_PER_CHAR``, 0.06 s),
      one value for every stage.
    - ``pause``, ``pause_share``: a word laid across this much silence, seconds (1.0: a long
      pause, where a word on the wrong side is a second off), with at least this share of its
      voice after it (0.25), may be on the wrong side of it, and its chunk is decoded. 0.25: a
      word said after a pause had half its voice there; a sentence's last word, almost none.
    - ``again_voice``, ``again_pad``: before transcript words are left out as "not in the
      audio" (``matching``'s unheard runs), the stretch between the heard words around them
      (``_between``) is heard again on its own (``heard_again``) when it holds ``again_voice``
      (0.5 s: less is too little to say a run of words in) of voice or more, with ``again_pad``
      (0.2 s, as a chunk's) on each side. A batch decoding that leapt over a sentence hears it
      alone.
    - ``again_found``: the words are kept when that hearing holds at least this share of their
      tokens, in order. 0.5, as ``least_found``: names and numbers are often misheard.
    - ``again_rounds``: how many times runs are heard again, 2: a run found in part leaves its
      rest to a second round.
    """

    prefix_tokens: int = 16
    opening_batch: int = 2
    lead: int = 2
    prefix_words: int = 8
    least_found: float = 0.5
    search: int = 400
    longest_text: int = 220
    squeezed: float = 0.021
    stretch: float = 1.0
    seconds_per_char: float = SECONDS_PER_CHAR
    pause: float = 1.0
    pause_share: float = 0.25
    again_voice: float = 0.5
    again_pad: float = 0.2
    again_found: float = 0.5
    again_rounds: int = 2


GUIDED = GuidedOptions()


def guided_key(key: tuple[str | None, ...], texts: Sequence[str],
               opts: GuidedOptions = GUIDED) -> tuple[str | None, ...]:
    """``hearing_key``'s key with the transcript's digest and the options' after it: what a
    guided hearing is remembered under."""
    return (*key, hashlib.sha256("\x1f".join(texts).encode()).hexdigest()[:16], digest(opts, 8))


def place_chunks(texts: Sequence[str], openings: Sequence[Sequence[str]],
                 opts: GuidedOptions = GUIDED) -> list[int | None]:
    """Where in ``texts`` (normalised words) each chunk begins, from its ``openings`` (its first
    heard words, normalised), in order; None where they are not found (too few heard, or too
    few of them in the transcript after the previous chunk's opening)."""
    out: list[int | None] = []
    after = 0
    for opening in openings:
        found = _find(texts, list(opening[:opts.prefix_words]), after, opts) if len(opening) >= 3 else None
        out.append(found)
        if found is not None:
            after = found + 1
    return out


def _find(texts: Sequence[str], opening: list[str], after: int, opts: GuidedOptions) -> int | None:
    """The transcript index the chunk whose ``opening`` it is begins at: where the most of its
    words match, at or after ``after``; None when under ``opts.least_found`` of them match."""
    wanted = set(opening)
    best, at = 0, None
    for j in range(after, min(len(texts), after + opts.search)):
        if texts[j] not in wanted:
            continue
        window = list(texts[j:j + len(opening) + 2])
        blocks = SequenceMatcher(None, opening, window, autojunk=False).get_matching_blocks()
        hit = sum(b.size for b in blocks)
        if hit > best and blocks[0].size:
            # heard words before the first found are most often transcript words misheard
            # ("A part of" for "are part of"): the chunk begins that many words earlier
            best, at = hit, max(after, j + blocks[0].b - min(blocks[0].a, opts.lead))
    return at if best >= opts.least_found * len(opening) else None


def chunk_texts(starts: Sequence[int | None], n: int) -> list[tuple[int, int] | None]:
    """Each placed chunk's transcript words [first, stop): from its opening to the next placed
    chunk's (the first chunk from the transcript's start, the last to its end); None for a
    chunk not placed. Words of an unplaced chunk between two placed ones go to the earlier one:
    its alignment squeezes them into its last frame, and ``trailing`` hands them on."""
    out: list[tuple[int, int] | None] = []
    for k, first in enumerate(starts):
        stop = next((x for x in starts[k + 1:] if x is not None), n)
        out.append(None if first is None or stop <= first else (0 if k == 0 else first, stop))
    return out


def trailing(first: int, stop: int, times: dict[int, WordTime], squeezed: float) -> int:
    """Where the words [first, stop) that the alignment squeezed into the chunk's end begin:
    words said after the chunk (or never), which it could place nowhere else."""
    cut = stop
    while cut > first and cut - 1 in times and times[cut - 1][1] - times[cut - 1][0] <= squeezed:
        cut -= 1
    return cut


def handed_over(ranges: Sequence[tuple[int, int] | None], cuts: Sequence[int],
                lead: int) -> tuple[list[tuple[int, int] | None], set[int]]:
    """Each chunk's words once the words squeezed at its end (``cuts``: where they begin) are
    handed to the next chunk when that chunk was placed right after them and they are at most
    ``lead`` words (a boundary misjudged by a word or two); with more, the next chunk is not
    believed (None). Returns the ranges and the chunks whose words changed."""
    cut = {k: (r, cuts[k]) for k, r in enumerate(ranges) if r is not None and cuts[k] < r[1]}
    out = list(ranges)
    for k, ((first, _), at) in cut.items():  # first each chunk without the words squeezed at its end...
        out[k] = (first, at) if at > first else None
    changed = set(cut)
    for k, ((_, stop), at) in sorted(cut.items()):  # ... then those words to the next, if it follows on
        nxt = ranges[k + 1] if k + 1 < len(ranges) else None
        if nxt is not None and nxt[0] == stop:
            mine = out[k + 1]
            out[k + 1] = (at, mine[1]) if mine is not None and stop - at <= lead else None
            changed.add(k + 1)
    return out, changed


def unsure(first: int, stop: int, times: dict[int, WordTime], texts: Sequence[str],
           speech: Sequence[tuple[float, float]], span: tuple[float, float],
           opts: GuidedOptions = GUIDED, rec_opts: RecognitionOptions = RECOGNITION) -> str | None:
    """Why words [first, stop), aligned at ``times`` over ``span``, may not be what its voice
    (``speech``) says; None when they lie on it as speech does."""
    missing = [i for i in range(first, stop) if i not in times]
    if missing:
        return f"{len(missing)} word(s) not placed"
    for i in range(first, stop):
        s, e, _ = times[i]
        if e - s <= opts.squeezed:
            return f"{texts[i]!r} squeezed into {e - s:.2f} s"
        voiced = voice_between(speech, s, e)
        if voiced > opts.seconds_per_char * (len(texts[i]) + 1) + opts.stretch:
            return f"{texts[i]!r} stretched over {voiced:.1f} s of voice"
        if _across_pause(s, e, speech, opts.pause, opts.pause_share):
            return f"{texts[i]!r} laid across a pause, with voice on both sides"
    placed = [(times[i][0], times[i][1]) for i in range(first, stop)]
    holes = uncovered(speech, placed, span, rec_opts.skip_reach, rec_opts.skip_least)
    if holes:
        return f"voice at {holes[0][0]:.1f}-{holes[0][1]:.1f} s with no word"
    return None


def unheard_sound(missed: Sequence[tuple[float, float]], span: tuple[float, float],
                  speech: Sequence[tuple[float, float]] = ()) -> str | None:
    """Why a chunk over ``span`` must be heard: sound in it that the voice detector did not
    call voice (``voice.missed_sound``) between voice it did find there, against which
    a transcript's words cannot be checked (``unsure`` weighs words against voice); None when
    it has none. Sound before a chunk's first voice or after its last is let be: a music bed
    or a jingle sits at speech's edges (the news clip's intro); a voice the detector missed
    sits among the fragments of it that it found."""
    voiced = [(a, b) for a, b in speech if a < span[1] and b > span[0]]
    if not voiced:
        return None
    inside = [(a, b) for a, b in missed if a < span[1] and b > span[0] and voiced[0][1] <= a and b <= voiced[-1][0]]
    if inside:
        return f"sound the voice detector missed at {inside[0][0]:.1f}-{inside[0][1]:.1f} s"
    return None


def _across_pause(start: float, end: float, speech: Sequence[tuple[float, float]], pause: float,
                  share: float) -> bool:
    """Whether [start, end] spans a silence of ``pause`` seconds or more with at least
    ``share`` of its voice after it: a word that may belong after the pause, not before. (A
    word that ends a sentence is laid on across the pause after it with next to no voice
    beyond.)"""
    inside = [(a, b) for a, b in speech if b > start and a < end]
    for (_, b0), (a1, _) in itertools.pairwise(inside):
        if a1 - b0 >= pause:
            return voice_between(speech, a1, end) >= share * voice_between(speech, start, end)
    return False


def hear_guided(
    model,  # faster_whisper.WhisperModel
    audio: DecodedAudio,
    *,
    texts: Sequence[str],
    language: str | None = None,
    progress: Callable[[float], None] | None = None,
    share: Hashable | None = None,
    opts: RecognitionOptions = RECOGNITION,
    guided: GuidedOptions = GUIDED,
    on_sure: Callable[[dict[int, WordTime], Sequence[tuple[float, float]], str], None] | None = None,
) -> Recognition:
    """``recognition.recognise``'s result for a file whose words ``texts`` are known: chunks
    the transcript is sure of heard as it says, the others decoded freely (see the module's
    note). Takes ``recognise``'s arguments (``opts``, the hearing's options), so that
    ``recognise_once`` can remember it; ``guided``, when a chunk is believed.
    ``on_sure`` is handed the sure chunks' word times (by index in ``texts``), the voice
    activity and the language before the others are decoded: work that needs only those
    (``acoustic.Ahead``) can run meanwhile."""
    layout = laid_out(audio, share, opts)
    speech, spans, store = layout.speech, layout.spans, layout.store
    if not spans:
        return Recognition(language or "en", 0.0, audio.duration, (), (), speech, ())
    found, probability = (language, 1.0) if language else detect_language(model, audio, store)
    openings = hear_chunks(model, audio, layout, range(len(spans)), found,
                           opts=replace(opts, batch=guided.opening_batch), max_new_tokens=guided.prefix_tokens)
    sure, timed, doubtful = _confirmed(model, audio, texts, openings, layout, found, guided, opts)
    if on_sure is not None and doubtful:
        on_sure(timed, speech, found)
    if progress:
        progress(spans[0][1])
    log.debug("%d of %d chunks heard as the transcript says", len(sure), len(spans))
    # A doubtful chunk most often holds speech the transcript lacks, which the decoder without
    # timestamps tends to leap over (then read again with them): read with them at once.
    decoded = heard_segments(hear_chunks(model, audio, layout, doubtful, found, progress=progress, opts=opts,
                                         timestamps=True), opts)
    missed = layout.missed_voice([w for _, ws in decoded for w in ws])
    rec = recognition_of(found, probability, audio.duration, [*decoded, *sure], speech, spans, missed, layout.missed)
    mine = {id(w) for _, ws in sure for w in ws}
    return replace(rec, placed=tuple(i for i, w in enumerate(rec.words) if id(w) in mine))


def _confirmed(model, audio: DecodedAudio, texts: Sequence[str], openings: Sequence[Sequence], layout: Layout,
               language: str, opts: GuidedOptions,
               rec_opts: RecognitionOptions) -> tuple[list[tuple[Segment, list[HeardWord]]], dict[int, WordTime],
                                                      list[int]]:
    """The chunks heard as the transcript says (each as a segment and its words), their
    words' times (by index in ``texts``), and the chunks to decode freely, from each chunk's
    opening (faster-whisper segments)."""
    speech, store, spans = layout.speech, layout.store, layout.spans
    norm = [" ".join(spoken_tokens(t, language)) for t in texts]
    ranges = chunk_texts(place_chunks(norm, _openings(openings, language), opts), len(texts))
    ranges = [r if r is not None and r[1] - r[0] <= opts.longest_text else None for r in ranges]
    times = _aligned(model, audio, texts, ranges, range(len(spans)), store, language)
    cuts = [trailing(*r, times, opts.squeezed) if r is not None else 0 for r in ranges]
    # A chunk that squeezed more words at its end than a misjudged boundary would is doubtful
    # too: its range ran into words nobody says there, and its last words kept may be theirs.
    overrun = {k: r[1] - cuts[k] for k, r in enumerate(ranges) if r is not None and r[1] - cuts[k] > opts.lead}
    ranges, changed = handed_over(ranges, cuts, opts.lead)
    times.update(_aligned(model, audio, texts, ranges, changed, store, language))
    sure: list[tuple[Segment, list[HeardWord]]] = []
    timed: dict[int, WordTime] = {}
    doubtful: list[int] = []
    for k, r in enumerate(ranges):
        if r is None:
            why: str | None = "not placed in the transcript"
        elif k in overrun:
            why = f"{overrun[k]} words squeezed at its end"
        else:
            why = unheard_sound(layout.missed, spans[k], speech) or unsure(*r, times, texts, speech, spans[k], opts,
                                                                            rec_opts)
        if r is not None and why is None:
            sure.append(_as_heard(texts, times, *r))
            timed.update((i, times[i]) for i in range(*r))
        else:
            log.debug("chunk %d (%.1f-%.1f s) decoded: %s", k, *spans[k], why)
            doubtful.append(k)
    return sure, timed, doubtful


def heard_again(model, audio: DecodedAudio, rec: Recognition, texts: Sequence[str], matching: Matching,
                language: str, *, opts: GuidedOptions = GUIDED,
                rec_opts: RecognitionOptions = RECOGNITION) -> Recognition:
    """``rec`` with the stretch of each unheard run of ``texts`` (``matching``'s) heard again on
    its own, where that hearing finds the run's words: its words replace those first heard
    there, the heard words around the run included (a word the first hearing stretched over
    the run's voice hid it). Unchanged when no run is found so."""
    unheard, pairs = matching.unheard, matching.pairs
    words = list(rec.words)
    placed = set(rec.placed)
    changed = False
    for span in sorted(unheard, key=lambda s: -s.first):  # from the back: earlier indices stay
        lo, hi = _neighbours(span, pairs, len(words))
        a, b = _between(words, lo, hi, audio.duration, opts.seconds_per_char)
        if b - a < opts.again_voice or rec.sound_between(a, b) < opts.again_voice:  # (missed sound may be voice)
            log.debug("%r not heard again: %.1f s of sound at %.1f-%.1f s", " ".join(texts[span.first:span.stop])[:60],
                      rec.sound_between(a, b), a, b)
            continue
        stretch = (max(0.0, a - opts.again_pad), min(audio.duration, b + opts.again_pad, a + rec_opts.chunk))
        fresh = [w for w in hear_stretch(model, audio, stretch, language, rec_opts) if a <= (w.start + w.end) / 2 <= b]
        wanted = [t for i in range(span.first, span.stop) for t in spoken_tokens(texts[i], language)]
        got = [t for w in fresh for t in spoken_tokens(w.text, language)]
        found = sum(blk[2] for blk in anchored_blocks(wanted, got))
        log.debug("%r heard again at %.1f-%.1f s: %r, %d of %d tokens", " ".join(texts[span.first:span.stop])[:60],
                  *stretch, " ".join(w.text for w in fresh)[:60], found, len(wanted))
        if wanted and found >= opts.again_found * len(wanted):
            # the stretch heard again replaces the first hearing of it, the words around it included
            stop = min(hi + 1, len(words))
            words[max(lo, 0):stop] = fresh
            gone = stop - max(lo, 0)
            placed = {i if i < max(lo, 0) else i - gone + len(fresh) for i in placed if not max(lo, 0) <= i < stop}
            changed = True
    if not changed:
        return rec
    return replace(rec, words=tuple(words), placed=tuple(sorted(placed)))


def _between(words: Sequence[HeardWord], lo: int, hi: int, duration: float,
             seconds_per_char: float) -> tuple[float, float]:
    """The audio between heard words ``lo`` and ``hi`` (-1 and ``len(words)``: the file's
    edges), each taken as no longer than it takes to say (and 0.3 s): a word the first hearing
    stretched over voice it leapt hides that voice, and a loud neighbour heard along drowns a
    quiet voice in a second hearing (a speaker with a cold after a reader's "myself." was
    heard again as "myself." alone)."""
    a = b = None
    if lo >= 0:
        w = words[lo]
        a = min(w.end, w.start + seconds_per_char * (len(w.text) + 1) + 0.3)
    if hi < len(words):
        w = words[hi]
        b = max(w.start, w.end - seconds_per_char * (len(w.text) + 1) - 0.3)
    return (0.0 if a is None else a), (duration if b is None else b)


def _neighbours(span: Span, pairs: Sequence[tuple[int, int]], n_heard: int) -> tuple[int, int]:
    """The heard words paired just before and just after a transcript run (-1 and
    ``n_heard`` at the file's edges), of pairs that run on with a neighbour (two transcript
    words heard in a row): a lone "the" the matching paired near the run may be any "the"."""
    paired = set(pairs)
    held = [(t, h) for t, h in pairs if (t - 1, h - 1) in paired or (t + 1, h + 1) in paired]
    before = [h for t, h in held if t < span.first]
    after = [h for t, h in held if t >= span.stop]
    return (before[-1] if before else -1), (after[0] if after else n_heard)


def _openings(openings: Sequence[Sequence], language: str) -> list[list[str]]:
    """Each chunk's first heard words, normalised. (Their times say nothing: a decoding cut
    short is aligned over the whole chunk. A decoding that leapt over a chunk's opening, as
    one without timestamps may, places the chunk too late; its words then lie stretched over
    voice they do not say, and the chunk before squeezes the words between: ``unsure`` and
    ``handed_over`` find both.)"""
    return [[" ".join(spoken_tokens(w, language)) for s in segs for w in s.text.split()] for segs in openings]


def _aligned(model, audio: DecodedAudio, texts: Sequence[str], ranges: Sequence[tuple[int, int] | None],
             chunks: Iterable[int], store: Encodings, language: str) -> dict[int, WordTime]:
    """The words of ``chunks``' ranges aligned on their encodings (one window a chunk)."""
    windows = [Window(r[0], r[1], 0, 0, store.spans[k][0], store.spans[k][1])
               for k in sorted(chunks) if (r := ranges[k]) is not None]
    if not windows:
        return {}
    return align_words(model, audio, texts, list(range(len(texts))), windows, language, encodings=store)


def _as_heard(texts: Sequence[str], times: dict[int, WordTime], first: int,
              stop: int) -> tuple[Segment, list[HeardWord]]:
    """Words [first, stop) as if heard, at their aligned times, and the segment they make."""
    words = [HeardWord(texts[i], times[i][0], times[i][1], times[i][2]) for i in range(first, stop)]
    logprob = float(np.mean(np.log(np.maximum([w.probability for w in words], 1e-6))))
    return Segment(words[0].start, words[-1].end, " ".join(texts[first:stop]), 0.0, logprob), words

