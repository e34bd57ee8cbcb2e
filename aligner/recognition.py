"""What the audio says, by faster-whisper: words with rough times, the language, and where
there is voice at all.

Recognition here only has to find the transcript in the audio, not time it: word timestamps
come later from forced alignment of the transcript's own text. So decoding is greedy, and the
heard words' times are faster-whisper's own word timestamps from the same encodings: ample
for anchoring, and for finding voice the decoder left out (``_holes``).
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import encodings as encodings_mod
from .encodings import MEL_FRAMES, Encodings, encode_audio, storage_view
from .media import DIGITAL_SILENCE, SAMPLE_RATE, DecodedAudio, loudness
from .memory import give_back

__all__ = [
    "RECOGNITION",
    "HeardWord",
    "Layout",
    "Recognition",
    "RecognitionOptions",
    "Segment",
    "believable",
    "chunk_spans",
    "detect_language",
    "encodings_for",
    "hear_chunks",
    "hear_stretch",
    "heard_in_own_language",
    "heard_in_own_languages",
    "heard_segments",
    "hearing_key",
    "joined",
    "laid_out",
    "language_of",
    "missed_sound",
    "near_groups",
    "recognise",
    "recognise_checked",
    "recognise_once",
    "recognition_of",
    "uncovered",
    "voice_activity",
    "voice_between",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeardWord:
    """A word as the recogniser wrote it, with its (approximate) place in the audio."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    no_speech_prob: float
    avg_logprob: float


@dataclass(frozen=True)
class Recognition:
    language: str
    language_probability: float
    duration: float
    segments: tuple[Segment, ...]
    words: tuple[HeardWord, ...]
    speech: tuple[tuple[float, float], ...]  # voice activity, seconds
    chunks: tuple[tuple[float, float], ...] = ()  # what the encoder saw (``chunk_spans``)
    # indices of ``words`` not heard but a transcript's words placed by alignment (``guided``)
    placed: tuple[int, ...] = ()
    # the part of ``speech`` the voice detector missed and the recogniser heard (``Layout``):
    # voice for the matching, but no one's words were found on it with the detector's certainty
    missed_voice: tuple[tuple[float, float], ...] = ()
    # sound the voice detector did not call voice (``missed_sound``), heard or not
    missed: tuple[tuple[float, float], ...] = ()

    def speech_between(self, t0: float, t1: float) -> float:
        """Seconds of voice activity inside [t0, t1]."""
        return voice_between(self.speech, t0, t1)

    def sound_between(self, t0: float, t1: float) -> float:
        """Seconds inside [t0, t1] of voice, or of sound the voice detector did not call voice."""
        unheard = voice_between(self.missed, t0, t1) - voice_between(self.missed_voice, t0, t1)
        return self.speech_between(t0, t1) + unheard

    def detected_between(self, t0: float, t1: float) -> float:
        """Seconds of voice inside [t0, t1] that the voice detector found itself."""
        return voice_between(self.speech, t0, t1) - voice_between(self.missed_voice, t0, t1)


def voice_between(speech: Sequence[tuple[float, float]], t0: float, t1: float) -> float:
    """Seconds of ``speech`` (voice activity) inside [t0, t1]."""
    return sum(min(b, t1) - max(a, t0) for a, b in speech if b > t0 and a < t1)


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


_NON_SPEECH = re.compile(r"^\W*$|^[\s♪♫*()\[\]]*(music|applause|laughter)?[\s♪♫*()\[\]]*$", re.I)


@dataclass(frozen=True)
class RecognitionOptions:
    """How the recogniser hears a file.

    - ``vad_shortest``: the shortest pause, and the shortest voice, the voice detector reports,
      seconds. 0.12 s, not faster-whisper's 2 s: the pauses between sentences and phrases
      decide where chunks, words and cues may end. ``vad_block``: seconds of audio it reads at
      a time (300), so that memory stays flat over an hour.
    - ``chunk``: the longest stretch encoded and decoded at once, seconds. 30: Whisper's
      input; chunks hold whole regions of voice and are cut in pauses (``chunk_spans``).
    - ``chunk_pad``: pause kept on each side of a chunk's voice, seconds. 0.2 s: the voice
      detector cuts close, and a word's first consonant must not fall outside.
    - ``batch``: chunks decoded together. 4: on two cores a batch of greedy decoding costs about
      half of decoding its chunks one by one; eight (faster-whisper's default) decode the news
      clip ~0.8 s faster, but each chunk in a batch holds the decoder's cross-attention keys and
      values, some 37 MB, and eight took an hour-long align's peak from 1.16 to 1.52 GB.
    - ``encode_piece``: windows the encoder takes at once inside a batch. 2: the encoder gains
      nothing from a bigger batch on a CPU, and each window in it holds ~70 MB of attention.
    - ``align_piece``: chunks whose word timestamps are aligned at once inside a batch. 1:
      ``Whisper.align`` holds the decoder's cross-attention over the 1500 frames for each of
      a chunk's tokens, and four chunks at once were the peak of an hour's audit (its
      resident size sampled at 927 MB there, 768 MB anywhere else); the words and times are
      the same either way (each chunk's alignment is its own), and one at a time is no
      slower (``Whisper.align`` gains nothing from a batch on a CPU, see the README).
    - ``temperatures``: a chunk whose greedy reading fails faster-whisper's checks (a decoder
      loop, or a reading the model itself finds improbable) is heard again, sampled at these
      temperatures, seeded with ``seed`` so that the same audio is heard the same way every
      run (unseeded, a hard passage came out differently each time, and the verdicts with it).
    - ``compression_limit``, ``low_logprob``: those checks, faster-whisper's own values
      (gzip ratio 2.4, mean token log-probability -1).
    - ``no_speech``: with a mean log-probability under ``low_logprob``, a chunk the model gives
      this probability of holding no speech is music or noise that the decoder put words on.
    - ``skip_reach``, ``skip_least``: decoding without timestamp tokens sometimes leaves out
      part of a chunk (on the news clip, 20 s of its sixth chunk). Voice that no heard word is
      within ``skip_reach`` (0.3 s) of, for at least ``skip_least`` (1.0 s), is read again
      from the chunk's encoding with timestamp tokens, and what that still leaves out is heard
      on its own by faster-whisper's sequential decoding.
    - ``longest_word``: a heard word whose timestamps hold more voice than this, seconds, does
      not cover that voice: faster-whisper's word timestamps lay the first word after a skip
      over the voice skipped (on an AVX-512 machine, the news clip's sixth chunk was read as
      "He decided ..." with "decided" over 22 s of English and German before it). 3.0: the
      longest heard word of the fixtures and the real readings holds 1.34 s ("1881", said as
      a year).
    - ``other_language``: how sure Whisper must be that untranscribed voice is in another
      language than the file's before it is named so and heard again in it. 0.5: a few
      seconds of speech give a less sure reading than a whole chunk, and a wrong language
      would print a garbled line in the warning.
    - ``other_language_gap``: passages of untranscribed voice at most this far apart, seconds,
      are heard together first (``heard_in_own_languages``). 1.0: a quote in another language
      whose middle the recogniser happened to match to the transcript came as two passages,
      0.36 s apart; apart, its first 2.2 s sounded German at only 0.39 and were reported as
      the recogniser's English, each half costing an encoding.
    - ``sound_above``, ``sound_floor``, ``silence_db``: sound is audio at least ``sound_above``
      dB (15) over the file's noise floor, the ``sound_floor`` percentile (10) of its frames
      louder than ``silence_db`` (-80 dB, digital silence). Silero misses some real voices
      whole: a speaker with a cold, at 18 dB over the room's noise, scored 0.00-0.3 for six
      seconds of talk, so those seconds were never heard and their transcript words were
      reported "not in the audio". Sound the voice detector missed (``missed_sound``) is laid
      into the chunks too, and heard: ``sound_least`` (0.5 s) at least, more than
      ``sound_margin`` (0.3 s) from detected voice (closer, it is that voice's edge), with
      gaps under ``sound_gap`` (0.3 s) closed. Digital silence and quiet rooms stay unheard.
    - ``least_voice``: a chunk whose reading fails the checks is heard again at higher
      temperatures only when the voice detector found voice in at least this share of it
      (0.1); one of sound it did not call voice that reads as a decoder loop is music, and
      hearing three minutes of music again, sampled, took the run from 0.04 to 0.11 × audio.
    - ``tokens_per_second``: a stretch heard again sequentially may yield at most this many
      tokens a second of it (plus ``tokens_base``), and no more segments than it has seconds
      (plus two). Speech is 3–6 tokens a second; a damaged model or a decoder loop writes
      noise ("!!!!…") up to Whisper's 448 tokens at every temperature and seeks on by a few
      frames at a time, which took five minutes over 11 s of audio.
    """

    vad_shortest: float = 0.12
    vad_block: float = 300.0
    chunk: float = 30.0
    chunk_pad: float = 0.2
    batch: int = 4
    encode_piece: int = 2
    align_piece: int = 1
    temperatures: tuple[float, ...] = (0.4, 0.8)
    seed: int = 0
    compression_limit: float = 2.4
    low_logprob: float = -1.0
    no_speech: float = 0.8
    skip_reach: float = 0.3
    skip_least: float = 1.0
    longest_word: float = 3.0
    other_language: float = 0.5
    other_language_gap: float = 1.0
    tokens_per_second: float = 10.0
    tokens_base: int = 16
    sound_above: float = 15.0
    sound_floor: float = 10.0
    silence_db: float = DIGITAL_SILENCE
    sound_least: float = 0.5
    sound_margin: float = 0.3
    sound_gap: float = 0.3
    least_voice: float = 0.1


RECOGNITION = RecognitionOptions()


class _SharedEncoder:
    """The model as the batched pipeline sees it. Encodings already made are handed back rather
    than made again (the first chunk's, made to detect the language; a chunk's, read a second
    time with timestamps); the rest are made ``encode_piece`` windows at a time: the encoder's
    self-attention over 1500 frames holds about 70 MB a window, and a batch of eight at once took
    an align of a three-minute clip from 0.6 to 1.1 GB, while only the decoder gains from the
    batch. The word timestamps are aligned ``align_piece`` chunks at a time, for the same
    reason (``RecognitionOptions``)."""

    def __init__(self, model, made: Sequence[np.ndarray | None], opts: RecognitionOptions) -> None:
        self._model, self._made = model, list(made)
        self._piece, self._align_piece = opts.encode_piece, opts.align_piece

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def encode(self, features: np.ndarray):
        if features.ndim == 2 or len(features) != len(self._made) or self._model.model.device != "cpu":
            return self._model.encode(features)
        todo = [i for i, m in enumerate(self._made) if m is None]
        fresh: dict[int, np.ndarray] = {}
        for k in range(0, len(todo), self._piece):
            part = todo[k:k + self._piece]
            fresh.update(zip(part, np.array(self._model.encode(features[part]))))
        return storage_view(np.stack([fresh[i] if m is None else np.asarray(m)[0] for i, m in enumerate(self._made)]))

    def add_word_timestamps(self, *args: Any, **kwargs: Any) -> Any:
        """faster-whisper's own, run on this wrapper, so that it aligns by ``find_alignment``
        below."""
        from faster_whisper import WhisperModel

        return WhisperModel.add_word_timestamps(self, *args, **kwargs)  # type: ignore[arg-type]

    def find_alignment(self, tokenizer, text_tokens: list, encoder_output, num_frames: list, *args: Any) -> list:
        """faster-whisper's alignment of each chunk's tokens, ``align_piece`` chunks at a time."""
        piece = self._align_piece
        if len(text_tokens) <= piece or self._model.model.device != "cpu":
            return self._model.find_alignment(tokenizer, text_tokens, encoder_output, num_frames, *args)
        encoded = np.asarray(encoder_output)
        out: list = []
        for k in range(0, len(text_tokens), piece):
            out += self._model.find_alignment(tokenizer, text_tokens[k:k + piece], storage_view(encoded[k:k + piece]),
                                              num_frames[k:k + piece], *args)
        return out


def _keeping_pipeline(model, kept: list[np.ndarray], encoder: _SharedEncoder) -> Any:
    """faster-whisper's ``BatchedInferencePipeline``, keeping each batch's encoder output for
    the later stages (made here: faster-whisper is imported only when recognition runs)."""
    from faster_whisper import BatchedInferencePipeline

    class Keeping(BatchedInferencePipeline):
        def generate_segment_batched(self, features, tokenizer, options):
            encoded, output = super().generate_segment_batched(features, tokenizer, options)
            kept.append(np.array(encoded))
            return encoded, output

    pipe = Keeping(model)
    pipe.model = encoder
    return pipe


def _decode_group(model, audio: DecodedAudio, spans: Sequence[tuple[float, float]], language: str,
                  made: Sequence[np.ndarray | None], opts: RecognitionOptions, timestamps: bool = False,
                  max_new_tokens: int | None = None) -> tuple[list[list], np.ndarray | None]:
    """Stretches (``spans``, each ≤ 30 s) decoded in one batch, greedily, with faster-whisper's
    word timestamps from the same encodings (none for a decoding cut at ``max_new_tokens``);
    ``made`` holds the encodings already made (None where not). Returns each stretch's
    faster-whisper segments, in file time, and the batch's encodings (one per stretch)."""
    a0, a1 = spans[0][0], spans[-1][1]
    kept: list[np.ndarray] = []
    pipe = _keeping_pipeline(model, kept, _SharedEncoder(model, made, opts))
    segs, _ = pipe.transcribe(
        audio.read(a0, a1), language=language, beam_size=1, batch_size=len(spans), temperature=0.0,
        clip_timestamps=[{"start": a - a0, "end": b - a0} for a, b in spans],
        without_timestamps=not timestamps, word_timestamps=max_new_tokens is None, vad_filter=False,
        max_new_tokens=max_new_tokens)
    out: list[list] = [[] for _ in spans]
    seeks = [int((a - a0) * 100) for a, _ in spans]  # faster-whisper's seek: the chunk's offset in frames
    for s in segs:
        out[min(range(len(spans)), key=lambda j: abs(seeks[j] - s.seek))].append(_shifted(s, a0))
    return out, (np.concatenate(kept) if kept else None)


def _rehear(model, samples: np.ndarray, language: str, temperatures: Sequence[float],
            opts: RecognitionOptions = RECOGNITION) -> list:
    """Audio heard again by faster-whisper's sequential decoding, with timestamps: a chunk whose
    greedy reading failed the checks (sampled at higher temperatures, which escapes decoder
    loops), or voice the batched reading skipped. Bounded by the stretch's length
    (``opts.tokens_per_second``): a broken decoder must not take minutes."""

    seconds = len(samples) / SAMPLE_RATE
    limit = min(224, opts.tokens_base + int(opts.tokens_per_second * seconds))
    segs, _ = model.transcribe(samples, language=language, beam_size=1, vad_filter=False,
                               condition_on_previous_text=False, word_timestamps=True,
                               temperature=list(temperatures), max_new_tokens=limit)
    return list(itertools.islice(segs, int(seconds) + 2))


def hear_stretch(model, audio: DecodedAudio, span: tuple[float, float], language: str,
                 opts: RecognitionOptions = RECOGNITION) -> list[HeardWord]:
    """The words of ``span`` (≤ 30 s) heard on their own, by faster-whisper's sequential
    decoding with timestamps (greedy, then sampled where that fails its checks), in file
    time: a second hearing, without anyone's text, of a stretch the first one may have got
    wrong."""
    segs = _rehear(model, audio.read(*span), language, (0.0, *opts.temperatures), opts)
    return [HeardWord(w.word.strip(), w.start + span[0], w.end + span[0], w.probability)
            for s in segs if _kept(s, opts) for w in s.words or () if w.word.strip()]


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


def _failed(s, opts: RecognitionOptions) -> bool:
    return s.compression_ratio > opts.compression_limit or s.avg_logprob < opts.low_logprob


def _kept(s, opts: RecognitionOptions) -> bool:
    """Not music and silence that the decoder put words on, nor a decoder loop ("the Simon to
    the Shabikimu region. The Simon to ..."): speech."""
    if _NON_SPEECH.match(s.text.strip()):
        return False
    if s.no_speech_prob > opts.no_speech and s.avg_logprob < opts.low_logprob:
        return False
    return s.compression_ratio <= opts.compression_limit


def detect_language(model, audio: DecodedAudio, encodings: Encodings) -> tuple[str, float]:
    """The file's language from its first chunk's encoding. One language for the whole file:
    letting the decoder switch per segment made it carry on in a quote's language long after
    the quote. Speech in another language then shows up as text that matches nothing, and is
    heard again in its own language later (``heard_in_own_language``)."""
    if not model.model.is_multilingual:
        return "en", 1.0
    return language_of(model, np.asarray(encodings.array(0, model, audio)))


def language_of(model, encoded: Any) -> tuple[str, float]:
    """Whisper's most likely language for an encoding (an array or CTranslate2's own), and
    its probability."""
    if isinstance(encoded, np.ndarray):
        encoded = storage_view(encoded)
    token, prob = model.model.detect_language(encoded)[0][0]
    return token[2:-2], float(prob)


def heard_in_own_language(model, audio: DecodedAudio, span: tuple[float, float], language: str,
                          opts: RecognitionOptions = RECOGNITION) -> tuple[str, str | None]:
    """The language of the voice in ``span`` (≤ ``opts.chunk`` seconds) from its own encoding,
    and, when the model is sure (``opts.other_language``) that it is not the file's
    ``language``, its words heard again in that language from the same encoding, greedily
    (None otherwise). One encoding serves both: the language and the words were two."""
    if not model.model.is_multilingual or span[1] - span[0] < 0.5:
        return language, None
    span = (span[0], min(span[1], span[0] + opts.chunk))
    encoded, _ = encode_audio(model, audio.read(*span), drop_last=True)
    found, prob = language_of(model, encoded)
    log.debug("%.1f-%.1f s sounds %s (%.2f)", *span, found, prob)
    if found == language or prob < opts.other_language:
        return language, None
    [segs], _ = _decode_group(model, audio, [span], found, [np.array(encoded)], opts)
    return found, " ".join(s.text.strip() for s in segs)


def recognise(
    model,  # faster_whisper.WhisperModel
    audio: DecodedAudio,
    *,
    language: str | None = None,
    progress: Callable[[float], None] | None = None,
    share: Hashable | None = None,
    opts: RecognitionOptions = RECOGNITION,
) -> Recognition:
    """Transcribe the voice in the file, chunk by chunk (``chunk_spans``), a batch of chunks at
    a time, so that an hour-long programme needs no more memory than a short clip; each
    chunk's encoding is kept for the stages after (``encodings.shared(share, ...)``).
    ``progress`` gets the time reached.
    """
    layout = laid_out(audio, share, opts)
    speech, spans, store = layout.speech, layout.spans, layout.store
    if not spans:
        return Recognition(language or "en", 0.0, audio.duration, (), (), speech, ())
    found, probability = (language, 1.0) if language else detect_language(model, audio, store)
    heard = heard_segments(hear_chunks(model, audio, speech, store, range(len(spans)), found, progress, opts), opts)
    missed = layout.missed_voice([w for _, ws in heard for w in ws])
    return recognition_of(found, probability, audio.duration, heard, speech, spans, missed, layout.missed)


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


def hear_chunks(model, audio: DecodedAudio, speech, store: Encodings, chunks: Sequence[int], language: str,
                progress: Callable[[float], None] | None = None, opts: RecognitionOptions = RECOGNITION,
                max_new_tokens: int | None = None, timestamps: bool = False) -> list[list]:
    """faster-whisper's segments for the chunks ``chunks`` of ``store``, decoded a batch at a
    time from their encodings (made now where the store lacks them, and kept), checked and
    filled (``_checked``, ``_filled``). With ``max_new_tokens``, only each chunk's first tokens
    are decoded, unchecked, without word times: enough to know where in a text the chunk
    begins. With ``timestamps``, decoded with timestamp tokens from the start (slower, but
    they rarely leap over speech). Returns each chunk's segments, in the order of ``chunks``."""
    spans, chunks = store.spans, list(chunks)
    heard: list[list] = []
    for g in range(0, len(chunks), opts.batch):
        group = chunks[g:g + opts.batch]
        made = [np.asarray(store.array(k, model, audio)) if store.has(k) else None for k in group]
        decoded, batch = _decode_group(model, audio, [spans[k] for k in group], language, made, opts,
                                       timestamps=timestamps, max_new_tokens=max_new_tokens)
        for k, enc in zip(group, batch if batch is not None else []):
            store.put(k, enc, min(int((spans[k][1] - spans[k][0]) * 100), MEL_FRAMES))
        if max_new_tokens is None:
            chunk_segs = [_checked(model, audio, spans[k], segs, language, opts, speech)
                          for k, segs in zip(group, decoded)]
            decoded = _filled(model, audio, speech, group, chunk_segs, store, language, opts)
        heard += decoded
        give_back()  # the batch's encoder and decoder buffers, freed but kept by the C heap
        if progress and max_new_tokens is None:
            progress(spans[group[-1]][1])
    return heard


def heard_segments(heard: Sequence[Sequence],
                   opts: RecognitionOptions = RECOGNITION) -> list[tuple[Segment, list[HeardWord]]]:
    """Each chunk's faster-whisper segments (``hear_chunks``) as ours, each with its words, in
    time order, without those that are no speech (``_kept``)."""
    out: list[tuple[Segment, list[HeardWord]]] = []
    for s in sorted((s for segs in heard for s in segs), key=lambda s: s.start):
        if not _kept(s, opts):
            log.debug("%.1f s: %r dropped as no speech", s.start, s.text[:40])
            continue
        words = [HeardWord(w.word.strip(), w.start, w.end, w.probability) for w in s.words or () if w.word.strip()]
        out.append((Segment(s.start, s.end, s.text.strip(), s.no_speech_prob, s.avg_logprob), words))
    return out


def recognition_of(language: str, probability: float, duration: float,
                   heard: Sequence[tuple[Segment, Sequence[HeardWord]]], speech, spans,
                   missed_voice: Sequence[tuple[float, float]] = (),
                   missed: Sequence[tuple[float, float]] = ()) -> Recognition:
    """A ``Recognition`` from segments with their words, in time order; its voice activity
    ``speech``, the sound the voice detector ``missed`` and the ``missed_voice`` heard in it
    (``Layout.missed_voice``)."""
    heard = sorted(heard, key=lambda sw: sw[0].start)
    return Recognition(language, probability, duration, tuple(s for s, _ in heard),
                       tuple(w for _, ws in heard for w in ws), tuple(sorted((*speech, *missed_voice))),
                       tuple(spans), missed_voice=tuple(missed_voice), missed=tuple(missed))


def _checked(model, audio: DecodedAudio, span: tuple[float, float], segs: list, language: str,
             opts: RecognitionOptions, speech: Sequence[tuple[float, float]]) -> list:
    """A chunk's segments: the batched reading, or the chunk heard again when that failed
    faster-whisper's checks; nothing, when it failed them over sound the voice detector did
    not call voice (``RecognitionOptions.least_voice``)."""
    if any(_failed(s, opts) for s in segs) and voice_between(speech, *span) < opts.least_voice * (span[1] - span[0]):
        log.debug("chunk %.1f-%.1f s: a failed reading of sound with little voice, taken for music", *span)
        return []
    if any(_failed(s, opts) for s in segs):
        log.debug("chunk %.1f-%.1f s heard again at higher temperature", *span)
        heard = _rehear(model, audio.read(*span), language, opts.temperatures, opts)
        return [_shifted(s, span[0]) for s in heard]
    return segs


def _holes(speech, span: tuple[float, float], segs: list, opts: RecognitionOptions) -> list[tuple[float, float]]:
    """Voice in ``span`` that none of ``segs``' words is near (``uncovered``), with its pad.
    Holes whose pads overlap are one stretch to hear (``joined``): heard apart, the voice in
    the overlap was heard twice and a word said across the pause was cut in two (on the
    hour-long bench file, 372.1-375.0 s and 374.8-376.8 s were heard so, each with an encoding)."""
    timed = believable(speech, [(w.start, w.end) for s in segs for w in s.words or ()], opts.longest_word)
    padded = [(max(a - opts.chunk_pad, span[0]), min(b + opts.chunk_pad, span[1]))
              for a, b in uncovered(speech, timed, span, opts.skip_reach, opts.skip_least)]
    holes = joined(padded)
    if len(holes) < len(padded):
        log.debug("skipped voice %s heard as %s", padded, holes)
    return holes


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


def heard_in_own_languages(model, audio: DecodedAudio, spans: Sequence[tuple[float, float]], language: str,
                           opts: RecognitionOptions = RECOGNITION) -> list[tuple[range, str, str | None]]:
    """``heard_in_own_language`` of each span (in order), with spans at most
    ``other_language_gap`` apart heard together first: when together they are in another
    language, they are one passage; otherwise each is heard alone. Returns, per passage, which
    spans it is, its language and its words heard in that language (or None)."""
    out: list[tuple[range, str, str | None]] = []
    first = 0
    for group in near_groups(spans, opts.other_language_gap, opts.chunk):
        members = range(first, first + len(group))
        first += len(group)
        if len(group) > 1:
            union = (group[0][0], group[-1][1])
            found, heard = heard_in_own_language(model, audio, union, language, opts)
            if heard is not None:
                log.debug("%d passages at %.1f-%.1f s heard as one, in %s", len(group), *union, found)
                out.append((members, found, heard))
                continue
        out += [(range(i, i + 1), *heard_in_own_language(model, audio, spans[i], language, opts)) for i in members]
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


def _filled(model, audio: DecodedAudio, speech, group: Sequence[int], chunk_segs: list[list],
            store: Encodings, language: str, opts: RecognitionOptions) -> list[list]:
    """Each chunk's segments with the voice its batched reading left out heard again: first the
    chunk read a second time, with timestamp tokens, from the encoding it already has (kept
    when it leaves less voice out); what that still leaves out, by faster-whisper's sequential
    decoding of the stretch alone."""
    def missing(span: tuple[float, float], segs: list) -> float:
        return sum(b - a for a, b in _holes(speech, span, segs, opts))

    spans = store.spans
    out = list(chunk_segs)
    redo = [n for n, k in enumerate(group) if missing(spans[k], out[n]) > 0]
    if not redo:
        return out
    log.debug("voice skipped in chunk(s) %s: read again with timestamps", [group[n] for n in redo])
    again, _ = _decode_group(model, audio, [spans[group[n]] for n in redo], language,
                             [np.asarray(store.array(group[n], model, audio)) for n in redo], opts,
                             timestamps=True)
    for n, segs in zip(redo, again):
        span = spans[group[n]]
        segs = _checked(model, audio, span, segs, language, opts, speech)
        if missing(span, segs) < missing(span, out[n]):
            out[n] = segs
    if not any(out):
        # Nothing heard in any chunk of the batch, twice: no speech, or a broken model (which
        # decodes noise at every temperature, for minutes). Either way the caller's model
        # check decides, at once.
        log.debug("nothing heard in chunk(s) %s: not heard sequentially", list(group))
        return out
    for n in redo:
        span = spans[group[n]]
        for a, b in _holes(speech, span, out[n], opts):
            log.debug("voice at %.1f-%.1f s skipped twice: heard sequentially", a, b)
            out[n] = out[n] + [_shifted(s, a) for s in _rehear(model, audio.read(a, b), language,
                                                               (0.0, *opts.temperatures), opts)]
    return out


def _shifted(s, offset: float):
    """A faster-whisper segment (and its words) moved by ``offset`` seconds."""
    words = [replace(w, start=w.start + offset, end=w.end + offset) for w in s.words or ()]
    return replace(s, start=s.start + offset, end=s.end + offset, words=words)


_MEMO: dict[tuple[str | None, ...], Recognition] = {}


def recognise_checked(model, audio: DecodedAudio, key: tuple[str | None, ...],
                      reload: Callable[[], object | None], **kwargs) -> tuple[Recognition, object]:
    """``recognise_once``, and when it hears nothing in audio with voice in it, a check of the
    model: a damaged model hears nothing anywhere, so the fault would be the model's, not the
    media's. ``reload`` returns a rebuilt model, or None when the model was sound. Returns
    the recognition and the model to go on with."""
    rec = recognise_once(model, audio, key, **kwargs)
    if rec.words or sum(b - a for a, b in rec.speech) < 1.0:
        return rec, model
    fresh = reload()
    if fresh is None:
        return rec, model
    _MEMO.pop(key, None)
    return recognise_once(fresh, audio, key, **kwargs), fresh


def hearing_key(audio: DecodedAudio, model_id: str, language: str | None) -> tuple[str, str, str | None]:
    """What a file's recognition is remembered under (``recognise_once``): the media's content,
    the model and compute type (``"base/default"``), the language asked for. The audit's
    hearing is remembered under it; ``align``'s under it and the transcript's digest
    (``guided.guided_key``); the chunks' encodings under it, for both."""
    from .media import content_hash

    return (content_hash(audio.source), model_id, language)


def recognise_once(model, audio: DecodedAudio, key: tuple[str | None, ...],
                   hear: Callable[..., Recognition] | None = None, **kwargs) -> Recognition:
    """``recognise`` (or ``hear``, which takes the same arguments), remembered under ``key``
    (``hearing_key``'s, and for a hearing guided by a text, the text's digest after it): in
    this process, and in the disk cache (checked JSON, see ``cache``), so that an audit after
    an align, or a batch re-run with other cue options, does not hear the audio again. The
    chunks' encodings are shared under ``hearing_key``'s part. A recognition that heard nothing
    is never kept: it may be a broken model's, not the audio's."""
    from . import cache

    if key in _MEMO:
        if kwargs.get("progress"):
            kwargs["progress"](audio.duration)
        return _MEMO[key]
    text_key = "|".join(str(k) for k in key)
    rec = cache.load("recognition", text_key, Recognition)
    if rec is not None and kwargs.get("progress"):
        kwargs["progress"](audio.duration)
    if rec is None:
        rec = (hear or recognise)(model, audio, share=key[:3], **kwargs)
        if rec.words:
            cache.store("recognition", text_key, rec)
    if len(_MEMO) >= 8:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = rec
    return rec


def encodings_for(key: tuple[str, str, str | None], rec: Recognition) -> Encodings:
    """The encodings of the chunks ``rec`` was heard in: those recognition made in this
    process, or a store that makes them as they are asked for (``rec`` came from the cache)."""
    return encodings_mod.shared(key, rec.chunks)
