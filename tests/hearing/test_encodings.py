"""Encodings shared between the stages: a window read from its chunk's encoding is as good as
the window encoded alone, and each stretch of audio is encoded once per file."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from ..helpers import FIXTURES

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def news():
    from aligner.runtime import media
    from aligner.runtime.model import load_model

    path = FIXTURES / "news.mp4"
    with media.decode(path, media.probe(path)) as audio:
        yield load_model(), audio


def _align(model, encoded, frames: int, text: str):
    from faster_whisper.tokenizer import Tokenizer

    tok = Tokenizer(model.hf_tokenizer, True, task="transcribe", language="en")
    tokens = tok.encode(" " + text)
    result = model.model.align(encoded, [*tok.sot_sequence, tok.no_timestamps], [tokens], frames)[0]
    return np.asarray(result.text_token_probs), result.alignments


def _rolled_and_plain(model, audio):
    import ctranslate2

    from aligner.hearing.encodings import Encodings

    store = Encodings([(4.3, 33.4)])
    text = "They publish videos of their fighting, accompanied by martial music."
    whole = np.array(store.array(0, model, audio))
    plain, _ = _align(model, ctranslate2.StorageView.from_array(whole), 2900, text)
    view = store.view(0, 10.0, 20.0, model, audio)
    rolled, _ = _align(model, view.encoded, view.num_frames, text)
    assert view.start == pytest.approx(10.0, abs=0.02) and view.num_frames == 1000
    return rolled, plain


def test_rolling_a_chunk_leaves_the_text_likelihood_as_it_was(news):
    """The decoder's cross-attention has no positions of its own: rolled, the same encoding
    gives every token the same probability, up to rounding. int8 kernels sum in another
    order: a few hundredths on average (the comma after "fighting", at 0.26, moved 0.08)."""
    rolled, plain = _rolled_and_plain(*news)
    assert rolled == pytest.approx(plain, abs=0.15)
    assert np.mean(np.abs(rolled - plain)) < 0.015


def test_rolling_a_chunk_is_exact_in_float32(news):
    from aligner.runtime.model import load_model

    rolled, plain = _rolled_and_plain(load_model(compute_type="float32"), news[1])
    assert rolled == pytest.approx(plain, abs=1e-3)


def test_words_timed_in_a_chunk_view_land_where_the_window_alone_puts_them(news):
    """The first sentence timed over [4.3, 12.0] read from the chunk and encoded alone: the
    word starts agree to within a few frames."""
    from aligner.hearing.encodings import Encodings, encode_audio

    model, audio = news
    text = "They publish videos of their fighting, accompanied by martial music."
    store = Encodings([(4.3, 33.4)])
    view = store.view(0, 4.3, 12.0, model, audio)
    _, in_chunk = _align(model, view.encoded, view.num_frames, text)
    alone_enc, frames = encode_audio(model, audio.read(4.3, 12.0))
    _, alone = _align(model, alone_enc, frames, text)

    def starts(alignments):
        steps = np.array([t for _, t in alignments])
        tokens = np.array([k for k, _ in alignments])
        jumps = np.pad(np.diff(tokens), (1, 0), constant_values=1).astype(bool)
        return steps[jumps] * 0.02

    a, b = starts(in_chunk), starts(alone)
    n = min(len(a), len(b))
    assert n >= 10
    assert np.median(np.abs(a[:n] - b[:n])) <= 0.06


def test_align_encodes_each_stretch_once(monkeypatch):
    """An align of the news clip: recognition encodes its chunks (and what it hears again); the
    alignment of the transcript reads those encodings and encodes nothing itself."""
    from faster_whisper import WhisperModel

    import aligner
    from aligner import pipeline
    from aligner.hearing import recognition
    from aligner.runtime import cache

    windows = {"all": 0, "timing": 0}
    timing_thread: int | None = None  # speech the transcript lacks is heard in another thread meanwhile
    encode = WhisperModel.encode

    def counted(self, features, *args, **kwargs):
        n = features.shape[0] if features.ndim == 3 else 1
        windows["all"] += n
        windows["timing"] += n if threading.get_ident() == timing_thread else 0
        return encode(self, features, *args, **kwargs)

    time_text = pipeline.time_text

    def timed(*args, **kwargs):
        nonlocal timing_thread
        timing_thread = threading.get_ident()
        try:
            return time_text(*args, **kwargs)
        finally:
            timing_thread = None

    recognition._MEMO.clear()
    monkeypatch.setattr(cache, "load", lambda *a, **k: None)  # heard afresh, not from an earlier test
    monkeypatch.setattr(WhisperModel, "encode", counted)
    monkeypatch.setattr(pipeline, "time_text", timed)
    result = aligner.align(FIXTURES / "news.mp4", FIXTURES / "news_transcript.txt")
    chunks = len(recognition._MEMO[next(reversed(recognition._MEMO))].chunks)
    assert len(result.cues) > 50 and chunks == 8  # the music intro is laid in with the voice (missed_sound)
    assert windows["timing"] == 0
    assert windows["all"] <= 2 * chunks + 3  # each chunk once, plus the language and what is heard again


def test_a_storage_view_shares_a_fit_array_and_copies_any_other():
    from aligner.hearing.encodings import storage_view

    fit = np.ones((2, 3), np.float32)
    view = storage_view(fit)
    fit[0, 0] = 5.0
    assert np.array(view)[0, 0] == 5.0  # shared: no copy of an encoding that needs none
    frozen = np.ones((2, 3), np.float32)
    frozen.flags.writeable = False
    for other in (np.ones((3, 2), np.float32).T, frozen, np.ones((2, 3), np.float64)):
        copy = np.array(storage_view(other))
        assert copy.dtype == np.float32 and copy.tolist() == np.asarray(other, np.float32).tolist()
