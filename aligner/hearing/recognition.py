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
from dataclasses import replace
from typing import Any

import numpy as np

from ..runtime.media import SAMPLE_RATE, DecodedAudio
from ..runtime.memory import give_back
from . import encodings as encodings_mod
from .encodings import MEL_FRAMES, Encodings, encode_audio, storage_view
from .heard import HeardWord, Recognition, Segment, voice_between
from .options import RECOGNITION, RecognitionOptions
from .voice import Layout, believable, joined, laid_out, near_groups, uncovered

__all__ = ["detect_language", "encodings_for", "hear_chunks", "hear_stretch", "heard_in_own_language",
           "heard_in_own_languages", "heard_segments", "hearing_key", "language_of", "recognise", "recognise_checked",
           "recognise_once", "recognition_of"]

log = logging.getLogger(__name__)


_NON_SPEECH = re.compile(r"^\W*$|^[\s♪♫*()\[\]]*(music|applause|laughter)?[\s♪♫*()\[\]]*$", re.I)


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
    heard = heard_segments(hear_chunks(model, audio, layout, range(len(spans)), found, progress=progress, opts=opts),
                           opts)
    missed = layout.missed_voice([w for _, ws in heard for w in ws])
    return recognition_of(found, probability, audio.duration, heard, speech, spans, missed, layout.missed)


def hear_chunks(model, audio: DecodedAudio, layout: Layout, chunks: Sequence[int], language: str, *,
                progress: Callable[[float], None] | None = None, opts: RecognitionOptions = RECOGNITION,
                max_new_tokens: int | None = None, timestamps: bool = False) -> list[list]:
    """faster-whisper's segments for the chunks ``chunks`` of ``layout``, decoded a batch at a
    time from their encodings (made now where the store lacks them, and kept), checked and
    filled (``_checked``, ``_filled``). With ``max_new_tokens``, only each chunk's first tokens
    are decoded, unchecked, without word times: enough to know where in a text the chunk
    begins. With ``timestamps``, decoded with timestamp tokens from the start (slower, but
    they rarely leap over speech). Returns each chunk's segments, in the order of ``chunks``."""
    speech, store, spans, chunks = layout.speech, layout.store, layout.spans, list(chunks)
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
    from ..runtime.media import content_hash

    return (content_hash(audio.source), model_id, language)


def recognise_once(model, audio: DecodedAudio, key: tuple[str | None, ...],
                   hear: Callable[..., Recognition] | None = None, **kwargs) -> Recognition:
    """``recognise`` (or ``hear``, which takes the same arguments), remembered under ``key``
    (``hearing_key``'s, and for a hearing guided by a text, the text's digest after it): in
    this process, and in the disk cache (checked JSON, see ``cache``), so that an audit after
    an align, or a batch re-run with other cue options, does not hear the audio again. The
    chunks' encodings are shared under ``hearing_key``'s part. A recognition that heard nothing
    is never kept: it may be a broken model's, not the audio's."""
    from ..runtime import cache

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
