"""Where there is voice, and what of the file the encoder sees.

Silero's voice activity (as faster-whisper ships it), at a fine grain: the pauses between
sentences decide where chunks, words and cues may end. The sound it did not call voice
(``missed_sound``: a speaker with a cold, music beds) is laid into the chunks too, so that
it is heard. Chunks of at most 30 s are cut in pauses (``chunk_spans``) and encoded once
(``Layout``'s store). Pure functions of times, but for the voice detector itself.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from ..runtime.media import SAMPLE_RATE, DecodedAudio, loudness
from ..runtime.memory import give_back
from . import encodings as encodings_mod
from .encodings import Encodings
from .heard import HeardWord, voice_between
from .options import RECOGNITION, RecognitionOptions

__all__ = ["Layout", "believable", "chunk_spans", "joined", "laid_out", "missed_sound", "near_groups", "uncovered",
           "voice_activity"]

log = logging.getLogger(__name__)


def voice_activity(audio: DecodedAudio, opts: RecognitionOptions | None = None) -> tuple[tuple[float, float], ...]:
    """Fine-grained voice activity (Silero VAD, as faster-whisper ships it): short pauses
    between sentences matter for deciding what was said and where words start. Run
    ``opts.vad_block`` seconds at a time so that memory does not grow with the file."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = opts or RECOGNITION
    shortest = round(opts.vad_shortest * 1000)
    vad = VadOptions(min_silence_duration_ms=shortest, speech_pad_ms=0, min_speech_duration_ms=shortest)
    regions: list[tuple[float, float]] = []
    t0 = 0.0
    while t0 < audio.duration:
        samples = audio.read(t0, t0 + opts.vad_block)
        for c in get_speech_timestamps(samples, vad):
            a, b = t0 + c["start"] / SAMPLE_RATE, t0 + c["end"] / SAMPLE_RATE
            if regions and a - regions[-1][1] < 0.02:  # one region cut by a block's edge
                regions[-1] = (regions[-1][0], b)
            else:
                regions.append((a, b))
        t0 += opts.vad_block
    return tuple(regions)


def missed_sound(db: np.ndarray, speech: Sequence[tuple[float, float]],
                 opts: RecognitionOptions | None = None) -> list[tuple[float, float]]:
    """Stretches of sound (loudness ``db``, 10 ms frames) that the voice detector did not call
    voice (``speech``), and that may be voice all the same (``RecognitionOptions.sound_above``)."""
    opts = opts or RECOGNITION
    live = db[db > opts.silence_db]
    if not len(live):
        return []
    loud = db >= max(float(np.percentile(live, opts.sound_floor)) + opts.sound_above, opts.silence_db)
    for a, b in speech:  # voice found already, with its edges
        loud[max(0, int((a - opts.sound_margin) * 100)):max(0, int(np.ceil((b + opts.sound_margin) * 100)))] = False
    edges = np.flatnonzero(np.diff(np.concatenate(([0], loud.astype(np.int8), [0]))))
    out: list[tuple[float, float]] = []
    for a, b in zip(edges[::2] / 100, edges[1::2] / 100):
        if out and a - out[-1][1] < opts.sound_gap:
            out[-1] = (out[-1][0], float(b))
        else:
            out.append((float(a), float(b)))
    return [(a, b) for a, b in out if b - a >= opts.sound_least]


def chunk_spans(speech: Sequence[tuple[float, float]], duration: float,
                longest: float = 30.0, pad: float = 0.2) -> list[tuple[float, float]]:
    """Stretches of at most ``longest`` seconds that hold whole regions of voice, each with up
    to ``pad`` seconds of the pause on either side (never past the pause's middle): what the
    encoder sees once, for recognition and every later stage. Silence between them is never
    encoded; a region of voice longer than a chunk is cut in pieces."""
    room = longest - 2 * pad
    pieces = [(max(0.0, a + k * room), min(b, a + (k + 1) * room, duration))
              for a, b in speech for k in range(max(1, int(np.ceil((b - a) / room))))]
    pieces = [(a, b) for a, b in pieces if b > a]
    packed: list[tuple[float, float]] = []
    for a, b in pieces:
        if packed and b - packed[-1][0] <= room:
            packed[-1] = (packed[-1][0], b)
        else:
            packed.append((a, b))
    out: list[tuple[float, float]] = []
    for k, (a, b) in enumerate(packed):
        lo = max(0.0, a - pad, (packed[k - 1][1] + a) / 2 if k else 0.0)
        hi = min(duration, b + pad, (b + packed[k + 1][0]) / 2 if k + 1 < len(packed) else duration)
        out.append((lo, hi))
    return out


def uncovered(speech: Sequence[tuple[float, float]], words: Sequence[tuple[float, float]],
              span: tuple[float, float], reach: float, least: float) -> list[tuple[float, float]]:
    """Stretches of voice inside ``span`` that no word (start, end) is within ``reach`` seconds
    of, and at least ``least`` seconds long: speech the decoder skipped."""
    out: list[tuple[float, float]] = []
    for a, b in speech:
        a, b = max(a, span[0]), min(b, span[1])
        if b <= a:
            continue
        holes = [(a, b)]
        for ws, we in words:
            holes = [piece for h0, h1 in holes
                     for piece in ((h0, min(h1, ws - reach)), (max(h0, we + reach), h1)) if piece[1] > piece[0]]
        out.extend(h for h in holes if h[1] - h[0] >= least)
    return out


def believable(speech: Sequence[tuple[float, float]], words: Sequence[tuple[float, float]],
               longest: float) -> list[tuple[float, float]]:
    """The words (start, end) whose times may be believed as covering their voice: those laid
    over at most ``longest`` seconds of it. A word stretched further sits on voice the decoder
    skipped (``RecognitionOptions.longest_word``)."""
    return [(a, b) for a, b in words if voice_between(speech, a, b) <= longest]


@dataclass(frozen=True)
class Layout:
    """What of a file is heard: the voice the detector found (``speech``), the sound it did
    not call voice (``missed``, see ``missed_sound``), the chunks laid over both (``spans``)
    and the store for their encodings."""

    speech: tuple[tuple[float, float], ...]
    missed: tuple[tuple[float, float], ...]
    spans: list[tuple[float, float]]
    store: Encodings

    def missed_voice(self, words: Sequence[HeardWord], least: int = 2) -> tuple[tuple[float, float], ...]:
        """Of each stretch of ``missed`` sound, the part from the first to the last of the
        ``words`` heard in it, when at least ``least``: there the voice detector missed a
        voice that the recogniser heard."""
        found = []
        for a, b in self.missed:
            inside = [w for w in words if a <= (w.start + w.end) / 2 < b]
            if len(inside) >= least:
                found.append((max(a, inside[0].start), min(b, inside[-1].end)))
        if found:
            log.debug("voice the detector missed, heard: %s", [(round(a, 2), round(b, 2)) for a, b in found])
        return tuple(found)


def laid_out(audio: DecodedAudio, share: Hashable | None, opts: RecognitionOptions = RECOGNITION) -> Layout:
    """The file's voice activity, the sound the voice detector missed, the chunks laid over
    both, and the store for their encodings (``encodings.shared(share, ...)``, so that a later
    stage of this process reads them)."""
    import ctranslate2

    ctranslate2.set_random_seed(opts.seed)
    speech = voice_activity(audio, opts)
    give_back()
    missed = tuple(missed_sound(loudness(audio), speech, opts))
    if missed:
        log.debug("sound the voice detector missed, heard all the same: %s",
                  [(round(a, 2), round(b, 2)) for a, b in missed])
    spans = chunk_spans(sorted(speech + missed), audio.duration, opts.chunk, opts.chunk_pad)
    store = encodings_mod.shared(share, spans) if share is not None else Encodings(spans)
    return Layout(speech, missed, spans, store)


def joined(spans: Sequence[tuple[float, float]], bridge: float = 0.0) -> list[tuple[float, float]]:
    """Spans (in order of their starts) with those that overlap, or lie less than ``bridge``
    seconds apart, made one."""
    out: list[tuple[float, float]] = []
    for a, b in spans:
        if out and (a <= out[-1][1] or a - out[-1][1] < bridge):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def near_groups(spans: Sequence[tuple[float, float]], gap: float,
                longest: float) -> list[list[tuple[float, float]]]:
    """Spans (in order) in runs whose neighbours are at most ``gap`` apart and which last at
    most ``longest`` seconds from the first start to the last end."""
    out: list[list[tuple[float, float]]] = []
    for span in spans:
        if out and span[0] - out[-1][-1][1] <= gap and span[1] - out[-1][0][0] <= longest:
            out[-1].append(span)
        else:
            out.append([span])
    return out
