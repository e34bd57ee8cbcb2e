"""Every transcript word timed against the audio by forced alignment.

CTranslate2's ``Whisper.align()`` (what faster-whisper uses for its word timestamps) places
known tokens in a ≤30 s window from the decoder's cross-attention, without decoding. Feeding
it the transcript's own words instead of the recogniser's means words the recogniser missed
or misspelt are timed as well as the rest. Windows are laid from the matching's anchors and
carry a few words of context on each side, so a window edge never cuts a word it must time.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..hearing.encodings import Encodings, encode_audio
from ..hearing.heard import HeardWord, Recognition, voice_between
from ..results import WordTime
from ..runtime.media import DecodedAudio, loudness
from . import acoustic as acoustic_mod
from .matching import MATCHING, SECONDS_PER_CHAR, Matching, MatchingOptions, match

__all__ = ["TIMING", "EncodedWindow", "Timing", "TimingOptions", "Window", "after_pauses", "align_words",
           "chunk_walls", "estimate_times", "placed_by_recognition", "plan_windows", "refine", "said_after",
           "time_text", "voiced_wall"]

log = logging.getLogger(__name__)

MAX_WINDOW = 30.0  # Whisper's encoder sees 30 s at most
FRAME = 0.02  # one alignment step: Whisper's encoder frame rate is 50 per second
MAX_TOKENS = 448  # the most tokens Whisper's decoder holds, its prompt included


@dataclass(frozen=True)
class TimingOptions:
    """How windows are laid for Whisper's alignment and how its word starts are refined.

    - ``seconds_per_char``: the speech rate for words with an anchor on one side only
      (``matching.SECONDS_PER_CHAR``, one value for both stages).
    - ``window``: the longest stretch aligned at once, seconds. 28 s: under Whisper's 30 s
      with room for the padding.
    - ``context``: words of the neighbouring windows aligned along (and then dropped), so a
      window's edge never cuts a word it must time. 3 covers a short phrase.
    - ``pad``: audio beyond a window's first and last word, seconds. 0.6 s takes in the
      rough estimates' usual error.
    - ``edge_room``: audio a window keeps free at its end for the words after it and the next
      word's estimate error, seconds. 1.5 s: about the time of the ``context`` words, with room.
    - ``sentence_bonus``: seconds of pause a sentence end is worth when choosing where a window
      ends. 0.5: a sentence end wins over a pause up to half a second longer.
    - ``min_window``: the shortest window, seconds (0.5: the encoder needs frames to attend to).
    - ``median_filter``: the width CTranslate2 smooths the cross-attention with, frames (7, as
      Whisper's own word timestamps).
    - ``refine_search``: how far before and after its aligned start a word's start may move
      onto an energy dip, seconds. (-0.05, 0.15): the alignment's error leans early.
    - ``min_dip_db``: how much quieter than the aligned start a dip must be to be the start.
      6 dB: half the power, not a ripple.
    - ``dip_tolerance_db``: a frame within this of the dip's floor is still the dip, dB. 1 dB:
      a ripple, so the start is where the quiet ends, not its quietest frame.
    - ``min_step``: a start never moves to within this of the previous word's start, seconds.
      0.04 s: two alignment frames, so words keep their order.
    - ``end_guard``: a start never moves to within this of the word's own end, seconds.
      0.02 s: one frame, the least a word lasts.
    - ``chunk_slack``: how far a window may reach past the chunk that holds it and still be read
      from that chunk's encoding, seconds (0.8: a window's padding, 0.6 s, may lie in a pause
      the chunk left out; the part outside is silence).
    - ``room``: speech the transcript lacks keeps the words between its anchors out of its
      time only when they have at least this share of the time they take to say beside it
      (``MatchingOptions.room``, 0.4: a fast reader says them in less than half). With less,
      the recogniser heard those very words, garbled into more.
    - ``wall_reach``: a wall of speech the transcript lacks ends where its voice ends (voice
      activity), not where the recogniser's last word there ends, when the two are at most
      this far apart, seconds; the same at its start. 0.25 s: cross-attention word ends fall a
      few frames short; more would reach a short word said after it without a pause.
    - ``pause_least``: the shortest silence between two stretches of voice that a word is put
      on one side of (``said_after``), seconds. 0.3 s: a pause a listener hears (sentences, a
      breath); shorter ones are ``refine``'s, by the energy dip.
    - ``before_share``: a word laid across such a pause stays before it only when the voice
      before the pause in its time is at least this share of what the word takes to say
      (``seconds_per_char`` a character, its space included). 0.75: a word said before a
      pause has its voice there (sentence ends, drawn out, measured 0.97 to 3.5 of it on the
      FLEURS clips); the next sentence's first word that the cross-attention pulled ahead of
      the pause holds a few frames of the last word's voice (0.0 to 0.62 there).
    """

    seconds_per_char: float = SECONDS_PER_CHAR
    window: float = 28.0
    context: int = 3
    pad: float = 0.6
    edge_room: float = 1.5
    sentence_bonus: float = 0.5
    min_window: float = 0.5
    median_filter: int = 7
    refine_search: tuple[float, float] = (-0.05, 0.15)
    min_dip_db: float = 6.0
    dip_tolerance_db: float = 1.0
    min_step: float = 0.04
    end_guard: float = 0.02
    chunk_slack: float = 0.8
    room: float = MATCHING.room
    wall_reach: float = 0.25
    pause_least: float = 0.3
    before_share: float = 0.75


TIMING = TimingOptions()


@dataclass(frozen=True)
class Window:
    """Align words [first, stop) over audio [start, end); context words widen the text."""

    first: int
    stop: int
    context_before: int
    context_after: int
    start: float
    end: float


@dataclass(frozen=True)
class EncodedWindow:
    """A window as the encoder saw it, handed to ``on_window`` while its encoding is alive, so
    that the audit scores other texts on the same audio without encoding it again."""

    window: Window
    words: tuple[int, ...]  # transcript indices aligned in it, context included
    encoded: object  # ctranslate2.StorageView, the encoder's output
    num_frames: int


Barrier = tuple[int, float, float]  # (transcript word it precedes, start, end) of foreign speech


def estimate_times(
    words: Sequence[str],
    matching: Matching,
    heard: Sequence[HeardWord],
    duration: float,
    seconds_per_char: float = TIMING.seconds_per_char,
    barriers: Sequence[Barrier] | None = None,
) -> list[tuple[float, float]]:
    """Rough (start, end) of every transcript word: anchors give theirs, the others share the
    time between their anchors in proportion to their length, never inside speech that the
    transcript does not contain (``barriers``, ``barriers_of``'s when not given)."""
    n = len(words)
    est: list[tuple[float, float] | None] = [None] * n
    for t, h in matching.pairs:
        est[t] = (heard[h].start, heard[h].end)
    if barriers is None:
        barriers = barriers_of(matching, heard, words, duration)
    anchors = [i for i in range(n) if est[i] is not None]
    if not anchors:
        # Nothing recognised matched: lay the words evenly over the whole file.
        total = sum(len(w) + 1 for w in words) or 1
        out: list[tuple[float, float]] = []
        at = 0.0
        for w in words:
            d = duration * (len(w) + 1) / total
            out.append((at, at + d))
            at += d
        return out

    def spread(gap: list[int], t0: float | None, t1: float | None) -> None:
        if not gap:
            return
        weights = [len(words[i]) + 1 for i in gap]
        need = seconds_per_char * sum(weights)
        if t0 is None:
            t0 = max(0.0, (t1 or 0.0) - need)
        if t1 is None:
            t1 = min(duration, t0 + need)
        t0, t1 = min(t0, t1), max(t0, t1)
        total, acc = sum(weights), 0.0
        for i, wgt in zip(gap, weights):
            s = t0 + (t1 - t0) * acc / total
            acc += wgt
            est[i] = (s, t0 + (t1 - t0) * acc / total)

    bounds = [-1, *anchors, n]
    for a, b in itertools.pairwise(bounds):
        gap = list(range(a + 1, b))
        t0 = est[a][1] if a >= 0 else None  # type: ignore[index]
        t1 = est[b][0] if b < n else None  # type: ignore[index]
        inside = [x for x in barriers if a < x[0] <= b]
        if inside:
            x, f0, f1 = inside[0]
            spread([i for i in gap if i < x], t0, f0)
            spread([i for i in gap if i >= x], f1, t1)
        else:
            spread(gap, t0, t1)
    return [e if e is not None else (0.0, 0.0) for e in est]


def barriers_of(matching: Matching, heard: Sequence[HeardWord], words: Sequence[str], duration: float,
                speech: Sequence[tuple[float, float]] = (), opts: TimingOptions = TIMING) -> list[Barrier]:
    """Speech the transcript lacks, as walls that keep the transcript's words out of its time:
    each one the matching found, unless it would leave the words between its anchors no room
    (``foreign_beside``), out to the edges of its voice (``voiced_wall``)."""
    out: list[Barrier] = []
    anchors = sorted(matching.pairs)
    for s in matching.untranscribed:
        wall = (s.at, heard[s.first].start, heard[s.stop - 1].end)
        if foreign_beside(wall, anchors, heard, words, duration, opts):
            out.append(voiced_wall(wall, speech, opts.wall_reach))
    return out


def voiced_wall(wall: Barrier, speech: Sequence[tuple[float, float]], reach: float) -> Barrier:
    """``wall`` with each edge moved out to the edge of the voice region it lies in, when that
    is at most ``reach`` seconds further: the recogniser's word times are coarse, the voice
    detector's edges are the sound's."""
    at, f0, f1 = wall
    start = next((a for a, b in speech if a <= f0 < b and f0 - a <= reach), f0)
    end = next((b for a, b in speech if a < f1 <= b and b - f1 <= reach), f1)
    if (start, end) != (f0, f1):
        log.debug("speech the transcript lacks, %.2f-%.2f s, reaches its voice's edges: %.2f-%.2f s",
                  f0, f1, start, end)
    return (at, start, end)


def foreign_beside(wall: Barrier, anchors: Sequence[tuple[int, int]], heard: Sequence[HeardWord],
                   words: Sequence[str], duration: float, opts: TimingOptions = TIMING) -> bool:
    """Whether speech the transcript lacks lies beside the unanchored words around it, rather
    than being those words misheard. The words before the wall must fit between the last
    anchor and the wall, the words after it between the wall and the next anchor, each with at
    least ``opts.room`` of the time they take to say."""
    import bisect

    at, f0, f1 = wall
    k = bisect.bisect_left(anchors, (at, -1))  # anchors[k] is the first at or after the wall
    prev, nxt = (anchors[k - 1] if k else None), (anchors[k] if k < len(anchors) else None)
    sides = (
        (range(prev[0] + 1 if prev else 0, at), f0 - (heard[prev[1]].end if prev else 0.0)),
        (range(at, nxt[0] if nxt else len(words)), (heard[nxt[1]].start if nxt else duration) - f1),
    )
    for side, room in sides:
        need = opts.seconds_per_char * sum(len(words[i]) + 1 for i in side)
        if side and room < opts.room * need:
            log.debug("speech %.2f-%.2f s is %r misheard: %.1f s beside it for %.1f s of words", f0, f1,
                      " ".join(words[i] for i in side), room, need)
            return False
    return True


def chunk_walls(est: Sequence[tuple[float, float]], timed: Sequence[int],
                chunks: Sequence[tuple[float, float]]) -> list[Barrier]:
    """The edges between encoded chunks as walls for ``plan_windows``: a window then lies in
    one chunk and is read from its encoding. A word belongs to the chunk its estimated middle
    is nearest to."""
    walls: list[Barrier] = []
    mids = [((est[i][0] + est[i][1]) / 2, i) for i in timed]
    for (_, end), (start, _) in itertools.pairwise(chunks):
        edge = (end + start) / 2
        after = next((i for m, i in mids if m >= edge), None)
        if after is not None and (not walls or walls[-1][0] != after):
            walls.append((after, end, start))
    return walls


def plan_windows(
    est: Sequence[tuple[float, float]],
    timed: Sequence[int],
    duration: float,
    *,
    barriers: Sequence[Barrier] = (),
    sentence_end: Sequence[bool] | None = None,
    opts: TimingOptions = TIMING,
) -> list[Window]:
    """Group the words to time (indices ``timed``, in order) into windows that fit Whisper.

    A window ends where the estimated pause to the next word is longest in its last part,
    preferring a sentence end, so windows meet in silence rather than mid-word. Speech the
    transcript lacks is a wall: no window reaches across it, or its words would be stretched
    over the foreign speech.
    """
    target, context, pad = opts.window, opts.context, opts.pad
    windows: list[Window] = []
    walls = sorted(barriers)
    k, m = 0, len(timed)
    while k < m:
        # the stretch of words between two walls, and the audio it may use
        lo_t, hi_t, limit = 0.0, duration, m
        for x, f0, f1 in walls:
            if x <= timed[k]:
                lo_t = max(lo_t, f1)
            else:
                hi_t = min(hi_t, f0)
                limit = min(limit, next((q for q in range(k, m) if timed[q] >= x), m))
                break
        first = timed[k]
        start = max(lo_t, est[first][0] - pad)
        j = k
        while j + 1 < limit and est[timed[j + 1]][1] - start + pad + opts.edge_room <= target:
            j += 1
        if j + 1 < limit and j > k:
            lo = k + max(1, (j - k) // 2)
            best, best_score = j, -1.0
            for c in range(lo, j + 1):
                gap = est[timed[c + 1]][0] - est[timed[c]][1]
                score = gap + (opts.sentence_bonus if sentence_end and sentence_end[timed[c]] else 0.0)
                if score > best_score:
                    best, best_score = c, score
            j = best
        ctx_before = [i for i in timed[max(0, k - context):k] if est[i][0] >= lo_t]
        ctx_after = [i for i in timed[j + 1:min(limit, j + 1 + context)]]
        w_start = max(lo_t, est[ctx_before[0] if ctx_before else first][0] - pad)
        w_end = min(hi_t, est[ctx_after[-1] if ctx_after else timed[j]][1] + pad)
        if w_end - w_start > MAX_WINDOW:  # context is expendable, the window's own words are not
            w_start = max(w_start, est[first][0] - pad)
            w_end = min(w_end, w_start + MAX_WINDOW)
        w_end = max(w_end, w_start + opts.min_window)
        windows.append(Window(k, j + 1, len(ctx_before), len(ctx_after), w_start, w_end))
        k = j + 1
    return windows


def align_words(
    model,  # faster_whisper.WhisperModel
    audio: DecodedAudio,
    words: Sequence[str],
    timed: Sequence[int],
    windows: Sequence[Window],
    language: str,
    *,
    progress: Callable[[float], None] | None = None,
    on_window: Callable[[EncodedWindow], None] | None = None,
    opts: TimingOptions = TIMING,
    encodings: Encodings | None = None,
) -> dict[int, WordTime]:
    """Time each word of ``timed`` (transcript indices): {index: (start, end, probability)}.
    A window inside one of ``encodings``' chunks reads that chunk's encoding; any other is
    encoded on its own."""
    from faster_whisper.tokenizer import Tokenizer

    tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                          language=language if model.model.is_multilingual else "en")
    token_cache: dict[str, list[int]] = {}

    def tokens(word: str) -> list[int]:
        if word not in token_cache:
            token_cache[word] = tokenizer.encode(" " + word.strip())
        return token_cache[word]

    out: dict[int, WordTime] = {}
    for win in windows:
        idx = list(timed[win.first - win.context_before: win.stop + win.context_after])
        encoded, num_frames, t0 = _window_encoding(model, audio, win, encodings, opts.chunk_slack)
        if on_window is not None:
            on_window(EncodedWindow(win, tuple(idx), encoded, num_frames))
        text_tokens: list[int] = []
        bounds = [0]
        for i in idx:
            text_tokens.extend(tokens(words[i]))
            bounds.append(len(text_tokens))
        sot = [*tokenizer.sot_sequence, tokenizer.no_timestamps]  # as Whisper itself aligns
        if not text_tokens or num_frames < 2 or len(sot) + len(text_tokens) > MAX_TOKENS:
            # nothing to place (a cue of symbols only), no audio left to place it in, or more
            # text than Whisper's decoder holds (its words keep their estimates)
            continue
        result = model.model.align(encoded, sot, [text_tokens], num_frames, median_filter_width=opts.median_filter)[0]
        text_idx = np.array([p[0] for p in result.alignments])
        time_idx = np.array([p[1] for p in result.alignments])
        if len(text_idx) == 0:
            continue  # the window was too short to align anything: the estimate stands
        jumps = np.pad(np.diff(text_idx), (1, 0), constant_values=1).astype(bool)
        jump_times = time_idx[jumps] * FRAME
        probs = np.asarray(result.text_token_probs)
        for n, i in enumerate(idx):
            if not (win.context_before <= n < len(idx) - win.context_after):
                continue
            s_tok, e_tok = bounds[n], bounds[n + 1]
            if e_tok >= len(jump_times) or s_tok >= len(jump_times):
                continue
            start = t0 + float(jump_times[s_tok])
            end = t0 + float(jump_times[e_tok])
            prob = float(np.mean(probs[s_tok:e_tok])) if e_tok > s_tok else 0.0
            out[i] = WordTime(start, max(end, start + FRAME), prob)
        if progress:
            progress(win.end)
    return out


def _window_encoding(model, audio: DecodedAudio, win: Window, encodings: Encodings | None,
                     slack: float) -> tuple[object, int, float]:
    """The encoder's output for a window, its feature frames, and the time of its frame 0: read
    from the chunk that holds it (reaching ``slack`` seconds past it at most) when there is one,
    else encoded now."""
    chunk = encodings.chunk_of(win.start, win.end, slack) if encodings is not None else None
    if encodings is None or chunk is None:
        encoded, num_frames = encode_audio(model, audio.read(win.start, win.end))
        return encoded, num_frames, win.start
    view = encodings.view(chunk, win.start, win.end, model, audio)
    return view.encoded, view.num_frames, view.start


def refine(
    times: dict[int, WordTime],
    db: np.ndarray,
    speech: Sequence[tuple[float, float]],
    opts: TimingOptions = TIMING,
) -> dict[int, WordTime]:
    """Move each word start onto the audio: out of silence, then onto the energy dip that
    separates it from the word before.

    Cross-attention alignment places word starts up to a few frames early, most of all after
    a pause and for short words; the acoustic boundary nearby is a better in-time. The search
    leans late because the alignment's error does.
    """
    n = len(db)
    if n < 3:
        return dict(times)
    onsets = [a for a, _ in speech]
    ends = [b for _, b in speech]
    order = sorted(times)
    out: dict[int, WordTime] = {}
    prev_start = -1.0
    for i in order:
        s, e, p = times[i]
        region = next((r for r in range(len(speech)) if onsets[r] <= s < ends[r]), None)
        if region is None:
            # Starts in silence: the word begins where voice next begins, if before its end.
            nxt = next((a for a in onsets if a > s), None)
            if nxt is not None and nxt < e:
                s = nxt
        search = opts.refine_search
        a = max(int((s + search[0]) * 100), int((prev_start + opts.min_step) * 100) + 1, 0)
        b = min(int((s + search[1]) * 100), int((e - opts.end_guard) * 100), n - 1)
        here = min(max(int(s * 100), 0), n - 1)
        if b > a:
            low = float(np.min(db[a:b]))
            if db[here] - low >= opts.min_dip_db:
                # the end of the quiet stretch: where this word's energy starts to rise
                k = a + int(np.nonzero(db[a:b] <= low + opts.dip_tolerance_db)[0][-1])
                s = k / 100
        out[i] = WordTime(s, max(e, s + FRAME), p)
        prev_start = s
    # Ends: no later than the next word's start, and not out into the silence after speech.
    out = in_order(out)
    for i in order:
        s, e, p = out[i]
        region_end = next((b for a, b in speech if a <= s < b), None)
        if region_end is not None and e > region_end:
            out[i] = WordTime(s, max(region_end, s + FRAME), p)
    return out


def said_after(start: float, end: float, need: float, speech: Sequence[tuple[float, float]],
               opts: TimingOptions = TIMING) -> float | None:
    """Where a word aligned at [start, end] begins when it is said after the pause it lies
    across (the voice's onset after it); None when it is said before it, or lies across none.

    Cross-attention has nothing to attend to in a silence, and its path crosses one at any
    token: the first word of a sentence is often laid at the end of the sentence before, a
    frame or a few of that sentence's voice and the rest silence, seconds before it is said.
    A word's pause is the first silence of at least ``opts.pause_least`` between two stretches
    of voice (``speech``) that its time reaches into; the word belongs after it when the voice
    before the pause in its time is under ``opts.before_share`` of what it takes to say
    (``need``, seconds).
    """
    for (_, b0), (a1, _) in itertools.pairwise(speech):
        if a1 - b0 < opts.pause_least or b0 >= end or a1 <= start:
            continue
        before = voice_between(speech, start, b0)
        if before < opts.before_share * need:
            log.debug("word at %.2f-%.2f s has %.2f s of voice before the pause at %.2f-%.2f s, of %.2f s: "
                      "said after it", start, end, before, b0, a1, need)
            return a1
        return None
    return None


def after_pauses(times: dict[int, WordTime], texts: Sequence[str], speech: Sequence[tuple[float, float]],
                 opts: TimingOptions = TIMING, sentence_end: Sequence[bool] | None = None) -> dict[int, WordTime]:
    """``times`` with every word said after the pause it was laid across (``said_after``) put
    after it, with the words after it that start before the voice resumes: they share the
    time from the onset to the last one's end (or, when they all lie in the silence, to the
    next word's start, as long as they take to say at most), in proportion to their length.
    A word that ends a sentence (``sentence_end``, where the text's punctuation says so) is
    said before the pause after it, whatever its voice: a reader pauses after a sentence."""
    order = sorted(times)
    need = [opts.seconds_per_char * (len(texts[i]) + 1) for i in order]
    out = dict(times)
    k = 0
    while k < len(order):
        s, e, _ = out[order[k]]
        ends = sentence_end is not None and sentence_end[order[k]]
        at = None if ends else said_after(s, e, need[k], speech, opts)
        if at is None:
            k += 1
            continue
        stop = k + 1
        while stop < len(order) and out[order[stop]][0] < at + opts.min_step:
            stop += 1
        nxt = out[order[stop]][0] if stop < len(order) else float("inf")
        end = max(out[order[stop - 1]][1], min(nxt, at + sum(need[k:stop])), at + FRAME * (stop - k))
        total, acc = sum(need[k:stop]), 0.0
        for j in range(k, stop):
            i = order[j]
            w0 = at + (end - at) * acc / total
            acc += need[j]
            out[i] = WordTime(w0, at + (end - at) * acc / total, out[i][2])
        log.debug("%r laid after the pause: %.2f-%.2f s", " ".join(texts[order[j]] for j in range(k, stop)), at, end)
        k = stop
    return out


def in_order(times: dict[int, WordTime]) -> dict[int, WordTime]:
    """Each word's end no later than the next word's start (words re-timed by different
    means meet where the later one says it starts)."""
    order = sorted(times)
    out = dict(times)
    for a, b in itertools.pairwise(order):
        s, e, p = out[a]
        nxt = out[b][0]
        if e > nxt:
            out[a] = WordTime(s, max(min(e, nxt), s + FRAME), p)
    return out


@dataclass(frozen=True)
class Timing:
    matching: Matching
    times: dict[int, WordTime]  # by transcript word index
    unheard: frozenset[int]


def whisper_languages(model) -> set[str]:  # model: faster_whisper.WhisperModel
    return set(model.supported_languages)


def match_text(texts: Sequence[str], rec: Recognition, language: str,
               speakers: Sequence[str | None] | None = None, opts: MatchingOptions = MATCHING) -> Matching:
    """Which of ``texts`` were heard, and the speech none of them covers (``matching.match``);
    ``speakers``, each text word's speaker, where the text has them."""
    return match(texts, rec.words, lang=language, speech_between=rec.speech_between, speakers=speakers, opts=opts)


def placed_by_recognition(matching: Matching, rec: Recognition, texts: Sequence[str]) -> dict[int, WordTime]:
    """Whisper's placement of the text's words that recognition placed already: a guided
    hearing (``aligner.timing.guided``) aligned the transcript on each chunk's encoding, one window a
    chunk, as this stage would."""
    placed = set(rec.placed)
    return {t: WordTime(rec.words[h].start, rec.words[h].end, rec.words[h].probability)
            for t, h in matching.pairs if h in placed and rec.words[h].text == texts[t]}


def time_text(
    model,  # faster_whisper.WhisperModel
    audio: DecodedAudio,
    rec: Recognition,
    texts: Sequence[str],
    *,
    language: str,
    sentence_end: Sequence[bool] | None = None,
    progress: Callable[[float], None] | None = None,
    on_window: Callable[[Matching, EncodedWindow], None] | None = None,
    opts: TimingOptions = TIMING,
    acoustic: acoustic_mod.AcousticOptions | None = acoustic_mod.DEFAULT,
    encodings: Encodings | None = None,
    matching: Matching | None = None,
    ahead: acoustic_mod.Ahead | None = None,
) -> Timing:
    """Match known text to what was recognised, then time every word of it that was said.

    Whisper's alignment places the words; where the language has an acoustic model
    (``acoustic.available``) and ``acoustic`` (its options) is given, an acoustic aligner then
    re-times them inside that placement. Shared by ``align`` (the transcript) and ``audit``
    (the published subtitles), so the audit's onsets and offsets are the refined ones too.
    ``matching`` is ``match_text``'s, when the caller made it already; ``ahead``, groups
    re-timed already.
    """
    matching = matching or match_text(texts, rec, language)
    unheard = frozenset(i for s in matching.unheard for i in range(s.first, s.stop))
    timed = [i for i in range(len(texts)) if i not in unheard]
    walls = barriers_of(matching, rec.words, texts, audio.duration, rec.speech, opts)
    est = estimate_times(texts, matching, rec.words, audio.duration, opts.seconds_per_char, barriers=walls)
    planned = opts
    if encodings is not None and encodings.spans:
        # One window per chunk, cut only by speech the text lacks: the text then covers the
        # audio the encoder saw, as in Whisper's own decoding, and the audit's likelihoods on
        # it mean what they meant on windows encoded alone.
        walls += chunk_walls(est, timed, encodings.spans)
        planned = replace(opts, window=float("inf"))
    windows = plan_windows(est, timed, audio.duration, barriers=walls, sentence_end=sentence_end, opts=planned)
    log.debug("%d words in %d windows (%d walls)", len(timed), len(windows), len(walls))
    hook = (lambda enc: on_window(matching, enc)) if on_window is not None else None
    known = placed_by_recognition(matching, rec, texts) if on_window is None else {}
    todo = [w for w in windows if any(timed[j] not in known for j in range(w.first, w.stop))]
    log.debug("%d of %d windows placed by recognition already", len(windows) - len(todo), len(windows))
    times = {**known, **align_words(model, audio, texts, timed, todo, language, progress=progress, on_window=hook,
                                    opts=opts, encodings=encodings)}
    times = refine(after_pauses(times, texts, rec.speech, opts, sentence_end), loudness(audio), rec.speech, opts)
    if acoustic is not None and acoustic_mod.available(language):
        times = in_order({**times, **acoustic_mod.retime(audio, texts, times, acoustic, ahead=ahead)})
    for i in timed:  # a window that could not time a word: fall back on its estimate
        if i not in times:
            log.debug("word %d %r: no alignment, its estimate kept", i, texts[i])
            times[i] = WordTime(est[i][0], est[i][1], 0.0)
    return Timing(matching, times, unheard)
