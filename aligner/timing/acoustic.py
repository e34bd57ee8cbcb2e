"""Word boundaries re-timed by an acoustic forced aligner inside the windows Whisper placed.

Whisper's cross-attention places a word to within a few 20 ms frames, and its error grows
after pauses and on short words; a hidden-Markov-model aligner over phones finds the boundary
itself (PocketSphinx's en-us model: a start error median of 13 ms on the emuR reading, where
cross-attention gives 36 ms). The acoustic aligner is only as good as the text and the stretch
of audio it is given, so it works inside Whisper's placement: words are taken a group at a
time (split at pauses, at most ``max_group`` seconds), each group aligned over its own audio
with a margin, and a group whose result strays from Whisper's placement keeps Whisper's times.
A wrong group therefore never drags its neighbours.

Languages: English, by the acoustic model and CMU dictionary in PocketSphinx's wheel; words
the dictionary lacks (names, coinages) are spelled into phones by gruut's English
grapheme-to-phoneme model. Every other language keeps Whisper's times.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..results import WordTime
from ..runtime import sidecar
from ..runtime.media import DIGITAL_SILENCE, SAMPLE_RATE, DecodedAudio
from .phones import SPELLED, align_group, decode, decoder, g2p, pronunciations, speaks

__all__ = ["AcousticOptions", "Ahead", "Group", "available", "can_fit", "fit", "off_silence", "plan_groups",
           "quiet_frames", "retime", "retime_group", "trusted"]

log = logging.getLogger(__name__)


LANGUAGES = frozenset({"en"})  # languages with an acoustic model that installs from PyPI
_FRAME = 0.01  # PocketSphinx's frame: 100 a second


@dataclass(frozen=True)
class AcousticOptions:
    """How words are grouped for the acoustic aligner and when its answer is believed.

    - ``pause``: a gap between two words (by Whisper's times) at least this long ends a
      group. 0.3 s: a breath or a sentence pause, where a window edge falls in silence.
    - ``max_group``: the longest stretch aligned at once, in seconds. Over it the group is
      split at its longest gap. 12 s keeps a group to a sentence or two, so an error stays
      local, while giving the aligner enough audio for its cepstral mean normalisation.
    - ``margin``: audio taken beyond a group's first and last word, in seconds, never into a
      neighbouring group's words. 0.3 s: over twice Whisper's p90 start error on real speech,
      so it covers a group's misplaced edge words with room to spare.
    - ``max_shift``: a word whose acoustic start is further than this from Whisper's makes
      the group suspect. 0.6 s: beyond the worst cross-attention errors seen on real speech
      (about 0.4 s), well inside what a wrong text or lost track produces (whole words).
    - ``max_suspect``: the share of a group's words that may be suspect before the whole
      group keeps Whisper's times. 0.15, and one word in any group: a single stray word (a
      word laid across a pause by cross-attention, or one the speaker swallowed) is
      tolerated (``trusted`` says which time it keeps); more means the aligner lost its track.
    - ``noise_floor``: the amplitude of the noise added to the audio the aligner sees (3e-4,
      -70 dBFS, far under any recording's own floor; seeded, so results repeat). Digital
      silence (exact zeros, common between edited clips) has no log energy: it throws the
      aligner's cepstral mean off and its search loses the path.
    - ``silence_db``: a 10 ms frame quieter than this (dBFS) is digital silence, and no word
      starts or ends inside it. -80 dBFS is under any microphone's noise floor, so only
      edited-in silence and synthetic speech reach it; the aligner's silence model, trained
      on room noise, does not always claim such stretches and lets a neighbouring word do so.
    - ``silence_lead``, ``silence_pause``: a run of digital silence at least ``silence_pause``
      long (80 ms: a pause, longer than a stop consonant's closure) that begins within
      ``silence_lead`` of a word's edge (30 ms: the tail of the neighbouring word, which the
      aligner may leave on the wrong side) is not part of the word.
    - ``retry_reach``: when the aligner finds no path through a group's words over its audio,
      the group is aligned again over up to this much more audio on each side, one side first,
      then the other, then both (``_retries``). Whisper lays a speaker's first word before the
      pause in front of it as often as not, and the group that ends on it then ends before the
      word is said; 1.0 s takes in the word after such a pause.
    """

    pause: float = 0.3
    max_group: float = 12.0
    margin: float = 0.3
    max_shift: float = 0.6
    max_suspect: float = 0.15
    noise_floor: float = 3e-4
    silence_db: float = DIGITAL_SILENCE
    silence_lead: float = 0.03
    silence_pause: float = 0.08
    retry_reach: float = 1.0


DEFAULT = AcousticOptions()


@dataclass(frozen=True)
class Group:
    """Words ``indices`` (transcript order) aligned together over audio [start, end)."""

    indices: tuple[int, ...]
    start: float
    end: float
    reach: tuple[float, float] | None = None  # the audio a retry may take (``retry_reach``); None: no retry

    @property
    def span(self) -> tuple[float, float]:
        """The audio read for the group: its ``reach``, which holds [start, end)."""
        return self.reach or (self.start, self.end)


def prepare(language: str) -> None:
    """Load the G2P model and the aligner's library ahead of need (about 0.7 s), here and in
    the sidecar process (started now, see ``retime``): the pipeline does it in a thread while
    the audio is heard, so that re-timing costs no loading time."""
    if available(language):
        g2p()
        sidecar.warm(_ready)


def _ready() -> None:
    """What the sidecar loads before its first group: a decoder (``retime`` hands it the
    words' phones, so it needs no G2P model)."""
    decoder()


def available(language: str) -> bool:
    """Whether words in ``language`` can be re-timed acoustically on this installation."""
    if language not in LANGUAGES:
        return False
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        return False
    return True


def can_fit(language: str) -> bool:
    """Whether texts in ``language`` can be fitted to a voice (``fit``): English, and every
    language whose gruut lexicon is installed, its phones mapped onto the en-us model's."""
    return available("en") and (language == "en" or speaks(language))


def plan_groups(times: dict[int, WordTime], duration: float,
                opts: AcousticOptions = DEFAULT) -> list[Group]:
    """Split the timed words into groups at pauses, none longer than ``opts.max_group``.

    Pure: the groups depend only on Whisper's times, so they are testable on numbers.
    """
    order = sorted(times)  # the text's order, which the aligner needs, even where times cross
    runs: list[list[int]] = []
    for i in order:
        if runs and times[i][0] - times[runs[-1][-1]][1] < opts.pause:  # (a crossing is no pause)
            runs[-1].append(i)
        else:
            runs.append([i])
    pieces = [p for run in runs for p in _split_long(run, times, opts.max_group)]
    groups = []
    for k, piece in enumerate(pieces):
        s, e = times[piece[0]][0], times[piece[-1]][1]
        lo = s - opts.margin
        hi = e + opts.margin
        if k > 0:
            lo = max(lo, min(s, times[pieces[k - 1][-1]][1]))
        if k + 1 < len(pieces):
            hi = min(hi, max(e, times[pieces[k + 1][0]][0]))
        lo, hi = max(0.0, lo), min(duration, hi)
        # (the reach does not depend on the neighbours: a group planned ahead, before the words
        # after it were known, is the same group, ``group_key``)
        reach = (max(0.0, s - opts.margin - opts.retry_reach), min(duration, e + opts.margin + opts.retry_reach))
        groups.append(Group(tuple(piece), lo, hi, (min(lo, reach[0]), max(hi, reach[1]))))
    return groups


def _split_long(run: list[int], times: dict[int, WordTime], limit: float) -> list[list[int]]:
    """A run over ``limit`` seconds cut at its longest gap, recursively."""
    if len(run) < 2 or times[run[-1]][1] - times[run[0]][0] <= limit:
        return [run]
    gaps = [times[b][0] - times[a][1] for a, b in itertools.pairwise(run)]
    # the longest gap in the middle half, so that both pieces are worth aligning
    lo, hi = len(gaps) // 4, max(len(gaps) // 4 + 1, 3 * len(gaps) // 4)
    cut = lo + int(np.argmax(gaps[lo:hi])) + 1
    return _split_long(run[:cut], times, limit) + _split_long(run[cut:], times, limit)


def trusted(whisper: Sequence[float], acoustic: Sequence[float], opts: AcousticOptions = DEFAULT) -> list[bool]:
    """Which acoustic starts to believe, word by word, given Whisper's starts for the same words.

    A word is suspect when the two disagree by more than ``opts.max_shift``; when more than
    ``opts.max_suspect`` of a group is suspect (and more than one word), none of it is
    believed (the aligner lost its track, or the text is not what was said there). A suspect
    word whose acoustic start keeps the order of the believed words around it is believed:
    cross-attention laid it across a pause (a speaker's first word before the pause in front
    of it, 0.65 s early on a real panel), which the aligner's silence model does not. One
    that lands on a neighbour's start keeps Whisper's time.
    """
    suspect = [abs(a - w) > opts.max_shift for w, a in zip(whisper, acoustic)]
    if not suspect or sum(suspect) > max(1.0, opts.max_suspect * len(suspect)):
        return [False] * len(suspect)
    keep = [not s for s in suspect]
    for k, s in enumerate(suspect):
        before = [acoustic[j] for j in range(k) if not suspect[j]]
        after = [acoustic[j] for j in range(k + 1, len(acoustic)) if not suspect[j]]
        if s and (not before or before[-1] < acoustic[k]) and (not after or acoustic[k] < after[0]):
            keep[k] = True
    return keep


# PocketSphinx keeps its path scores in units of log base 1.0001 divided by 2**10 (its senone
# score shift); its Python binding hands them back exponentiated in base 1.0001
_SCORE_TO_NATS = 2 ** 10


def fit(samples: np.ndarray, words: Sequence[str], noise_floor: float = DEFAULT.noise_floor,
        language: str | Sequence[str] = "en") -> float | None:
    """How well ``words`` fit the sound of ``samples``: the log-likelihood, in nats,
    of the best path through their phones under the acoustic model alone (no language model,
    so a fluent phrase gets no credit a garbled one lacks). Comparable only between texts over
    the same samples. Words with nothing to say ("—") are left out. None when none is left or
    the aligner finds no path through all of them (the text cannot be said in that audio).
    Words of another language are said by its spelling (``can_fit``); ``language`` may name
    one a word (a loanword said as in English inside French)."""
    languages = [language] * len(words) if isinstance(language, str) else list(language)
    entries = [pronunciations(w, lang) for w, lang in zip(words, languages)]
    flat = [e for word in entries for e in word]
    if not flat or not decode(samples, " ".join(flat), noise_floor):
        return None
    hyp = decoder().hyp()
    if hyp is None or hyp.score <= 0.0:
        return None
    return float(np.log(hyp.score)) * _SCORE_TO_NATS


def quiet_frames(samples: np.ndarray, silence_db: float) -> np.ndarray:
    """Which 10 ms frames of ``samples`` are digital silence (quieter than ``silence_db``)."""
    hop = int(SAMPLE_RATE * _FRAME)
    n = len(samples) // hop
    power = np.mean(samples[: n * hop].astype(np.float64).reshape(n, hop) ** 2, axis=1)
    return 10 * np.log10(power + 1e-12) < silence_db


def off_silence(start: int, end: int, quiet: Sequence[bool] | np.ndarray, lead: int, pause: int) -> tuple[int, int]:
    """A word's frames [start, end) without the digital silence at its edges: a quiet run of
    at least ``pause`` frames (a pause, not a stop consonant's closure) beginning within
    ``lead`` frames of its start (the tail of the word before, which the aligner may leave
    on this side of the pause) is skipped, and the same at its end. A word that is silence
    throughout keeps its frames."""
    def skip(frames: list[int]) -> int:
        for n, k in enumerate(frames[: lead + 1]):
            if k < len(quiet) and quiet[k]:
                m = n
                while m < len(frames) and frames[m] < len(quiet) and quiet[frames[m]]:
                    m += 1
                # a pause, with the word's sound after it
                return m if m - n >= pause and m < len(frames) else 0
        return 0

    s = start + skip(list(range(start, end)))
    e = end - skip(list(range(end - 1, s - 1, -1)))
    return (s, e) if s < e else (start, end)


GroupKey = tuple  # a group's words, span and Whisper times: all its result depends on


def group_key(group: Group, words: Sequence[str], times: Mapping[int, WordTime]) -> GroupKey:
    """What a group's re-timing depends on (``retime_group``, given the same audio): a group
    re-timed ahead (``Ahead``) is taken when ``retime`` plans one with the same key."""
    return (group.start, group.end, group.reach, tuple((i, words[i], times[i]) for i in group.indices))


class Ahead:
    """Groups re-timed in the sidecar ahead of ``retime``, from times known early.

    A guided hearing (``aligner.timing.guided``) times the words of the chunks the transcript is sure
    of before it decodes the others; while Whisper decodes those (mostly C++, leaving Python
    and part of the other core free), the sidecar re-times the sure words' groups. ``retime``
    later takes each result whose group it plans again with the same words, span and times
    (``group_key``): the edges of the sure stretches, where the final times differ, are
    re-timed then as before. Nothing is sent without a sidecar; ``take`` stops the sending.
    """

    def __init__(self, audio: DecodedAudio, words: Sequence[str], opts: AcousticOptions = DEFAULT) -> None:
        self.audio, self.words, self.opts = audio, words, opts
        self._done: dict[GroupKey, dict[int, WordTime]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, times: dict[int, WordTime]) -> None:
        """Begin re-timing the groups of ``times`` in the sidecar (once; a no-op without one)."""
        helper = sidecar.get()
        if helper is None or self._thread is not None or not times:
            return
        self._thread = threading.Thread(target=self._run, args=(helper, dict(times)), name="acoustic-ahead",
                                        daemon=True)
        self._thread.start()

    def _run(self, helper: sidecar.Sidecar, times: dict[int, WordTime]) -> None:
        groups = plan_groups(times, self.audio.duration, self.opts)
        said = {i: pronunciations(self.words[i]) for g in groups for i in g.indices}
        todo = deque(range(len(groups)))
        got: dict[int, dict[int, WordTime]] = {}
        _share(helper, todo, got, _Plan(self.audio, groups, said, times, self.opts), self._stop)
        self._done.update((group_key(groups[k], self.words, times), r) for k, r in got.items())
        log.debug("%d of %d groups re-timed ahead", len(got), len(groups))

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every group is re-timed (or ``timeout`` seconds); whether they are."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    def take(self) -> dict[GroupKey, dict[int, WordTime]]:
        """Stop sending, wait for the groups on their way, and return every result by key."""
        self._stop.set()
        self.wait()
        return self._done

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.take()  # a run that failed before ``retime`` leaves the sidecar free for the next


def retime(audio: DecodedAudio, words: Sequence[str], times: dict[int, WordTime],
           opts: AcousticOptions = DEFAULT, ahead: Ahead | None = None) -> dict[int, WordTime]:
    """The words of ``times`` (English) re-timed acoustically where the aligner is believed.

    Returns only the words it re-timed; the others keep what the caller has. The groups are
    shared with the sidecar process (``aligner.runtime.sidecar``) when there is one: this thread takes
    them from the front, the sidecar from the back, until they meet. Each group's result
    depends on its own audio only (``phones._forget``), so who aligned it changes nothing; a group
    ``ahead`` re-timed already with the same key is taken as it is.
    """
    groups = plan_groups(times, audio.duration, opts)
    ready = ahead.take() if ahead is not None else {}
    done = {k: ready[key] for k, g in enumerate(groups) if (key := group_key(g, words, times)) in ready}
    if ready:
        log.debug("%d of %d groups taken as re-timed ahead", len(done), len(groups))
    todo = deque(k for k in range(len(groups)) if k not in done)
    # Every word's dictionary entries, here, once: the sidecar then needs no G2P model (30 MB)
    said = {i: pronunciations(words[i]) for k in todo for i in groups[k].indices}
    plan = _Plan(audio, groups, said, times, opts)
    helper = sidecar.get() if len(todo) > 1 else None
    feeder = None
    if helper is not None:
        feeder = threading.Thread(target=_share, args=(helper, todo, done, plan), name="acoustic-sidecar", daemon=True)
        feeder.start()
    while todo:
        try:
            k = todo.popleft()
        except IndexError:  # the sidecar took the last one
            break
        done[k] = plan.retimed(k)
    if feeder is not None:
        feeder.join()
    out: dict[int, WordTime] = {}
    for k in range(len(groups)):
        out.update(done[k] if k in done else plan.retimed(k))  # a failed sidecar's
    return out


@dataclass(frozen=True)
class _Plan:
    """Groups to re-time: the audio, the groups, each word's dictionary entries (``said``),
    Whisper's times and the options."""

    audio: DecodedAudio
    groups: Sequence[Group]
    said: Mapping[int, list[str]]
    times: dict[int, WordTime]
    opts: AcousticOptions

    def retimed(self, k: int) -> dict[int, WordTime]:
        """Group ``k`` re-timed in this process."""
        group = self.groups[k]
        return retime_group(self.audio.read(*group.span), group, {}, self.times, self.opts, entries=self.said)


def _share(helper: sidecar.Sidecar, todo: deque[int], done: dict[int, dict[int, WordTime]], plan: _Plan,
           stop: threading.Event | None = None) -> None:
    """Hand the sidecar groups from the back of ``todo`` until none is left (or ``stop`` is
    set), two at a time so that it never waits for this thread to take the interpreter's lock
    (one at a time when the samples themselves must go down the pipe: see ``Sidecar.send``).
    A group it fails is left out of ``done``: ``retime`` aligns it itself."""
    audio, groups, said, times, opts = plan.audio, plan.groups, plan.said, plan.times, plan.opts
    depth = 2 if getattr(audio, "file", None) is not None else 1
    sent: deque[int] = deque()
    with helper.lock:
        try:
            while True:
                while len(sent) < depth and todo and not (stop is not None and stop.is_set()):
                    try:
                        k = todo.pop()
                    except IndexError:
                        break
                    group = groups[k]
                    entries = {i: said[i] for i in group.indices}
                    spelled = {t: SPELLED[t] for e in entries.values() for t in e if t in SPELLED}
                    helper.send(_retime_from, _source(audio, group), group, entries, spelled,
                                {i: times[i] for i in group.indices}, opts)
                    sent.append(k)
                if not sent:
                    return
                k = sent.popleft()
                done[k] = helper.receive()
        except sidecar.SidecarError as exc:
            sidecar.give_up(exc)


def _source(audio: DecodedAudio, group: Group) -> str | np.ndarray:
    """What the sidecar reads a group's samples from: the decoded audio's file, or the
    samples themselves when the audio is in memory."""
    file = getattr(audio, "file", None)
    return str(file) if file is not None else audio.read(*group.span)


def _retime_from(source: str | np.ndarray, group: Group, entries: Mapping[int, list[str]], spelled: Mapping[str, str],
                 times: dict[int, WordTime], opts: AcousticOptions) -> dict[int, WordTime]:
    """``retime_group`` in the sidecar, on samples read from ``source`` (see ``_source``), with
    the words' dictionary entries and the phones of those the G2P model spelled."""
    sphinx = decoder()
    for token, phones in spelled.items():
        if not sphinx.lookup_word(token):
            sphinx.add_word(token, phones, update=True)
    samples = DecodedAudio(Path(source), source).read(*group.span) if isinstance(source, str) else source
    return retime_group(samples, group, {}, times, opts, entries=entries)


def retime_group(samples: np.ndarray, group: Group, words: Sequence[str] | Mapping[int, str],
                 times: dict[int, WordTime], opts: AcousticOptions = DEFAULT,
                 entries: Mapping[int, list[str]] | None = None) -> dict[int, WordTime]:
    """One group's words aligned over its audio (``samples``: ``group.span``), with the
    digital silence at their edges left out, and only where ``trusted`` believes them. Where
    the aligner finds no path over [start, end), it is tried over the whole span (the
    group's ``reach``). ``entries``: the words' dictionary entries, when the caller has them
    (``pronunciations``)."""
    said = [(i, entries[i] if entries is not None else pronunciations(words[i])) for i in group.indices]
    said = [(i, e) for i, e in said if e]
    if not said:
        return {}
    at, placed = group.start, _placed(_part(samples, group, group.start, group.end), said, opts)
    for lo, hi in _retries(group):
        if len(placed) == len(said):
            break
        wider = _placed(_part(samples, group, lo, hi), said, opts)
        log.debug("group %.2f-%.2f s: %d of %d words placed, %d over %.2f-%.2f s", group.start, group.end,
                  len(placed), len(said), len(wider), lo, hi)
        if len(wider) > len(placed):
            at, placed = lo, wider
    if len(placed) < len(said):
        log.debug("group %.2f-%.2f s: the aligner placed %d of %d words", group.start, group.end,
                  len(placed), len(said))
    starts = {i: at + s * _FRAME for i, (s, _) in placed}
    keep = trusted([times[i].start for i, _ in placed], [starts[i] for i, _ in placed], opts)
    if placed and not any(keep):
        log.debug("group %.2f-%.2f s: acoustic times stray from Whisper's, Whisper's kept: %s", group.start,
                  group.end, [(round(times[i].start, 2), round(starts[i], 2)) for i, _ in placed])
    return {i: WordTime(starts[i], at + e * _FRAME, times[i].probability)
            for (i, (_, e)), ok in zip(placed, keep) if ok}


def _retries(group: Group) -> list[tuple[float, float]]:
    """The spans a group is aligned again over when the aligner finds no path through it:
    reaching further after it, then before it, then both (each side only as far as its
    ``reach``). One side at a time first: the word Whisper misplaced is at one edge, and
    audio opened on the other lets the edge word there slide onto its neighbour's sound."""
    lo, hi = group.span
    tries = [(group.start, hi), (lo, group.end), (lo, hi)]
    return [t for t in dict.fromkeys(tries) if t != (group.start, group.end)]


def _part(samples: np.ndarray, group: Group, start: float, end: float) -> np.ndarray:
    """The samples of [start, end) out of ``samples``, which hold ``group.span``."""
    base = group.span[0]
    return samples[round((start - base) * SAMPLE_RATE):round((end - base) * SAMPLE_RATE)]


def _placed(samples: np.ndarray, said: Sequence[tuple[int, list[str]]],
            opts: AcousticOptions) -> list[tuple[int, tuple[int, int]]]:
    """Each word the aligner placed over ``samples``, with its frames off digital silence."""
    quiet = quiet_frames(samples, opts.silence_db)
    lead, pause = round(opts.silence_lead / _FRAME), round(opts.silence_pause / _FRAME)
    got = align_group(samples, [e for _, e in said], opts.noise_floor)
    return [(i, off_silence(*frames, quiet, lead, pause)) for (i, _), frames in zip(said, got) if frames]
