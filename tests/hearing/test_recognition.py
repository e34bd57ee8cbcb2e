"""faster-whisper's hearing, with the model: skipped voice heard again as one stretch, voice in
another language named and heard in it, word times aligned a chunk at a time."""

from __future__ import annotations

import pytest


def test_skipped_voice_a_short_pause_apart_is_heard_as_one_stretch():
    from types import SimpleNamespace

    from aligner.hearing.options import RECOGNITION
    from aligner.hearing.recognition import _holes
    from aligner.hearing.voice import joined

    assert joined([(372.1, 375.0), (374.8, 376.8), (380.0, 382.0)]) == [(372.1, 376.8), (380.0, 382.0)]
    assert joined([(1.0, 5.0), (2.0, 3.0)]) == [(1.0, 5.0)]
    assert joined([(1.0, 2.0), (2.5, 4.0)]) == [(1.0, 2.0), (2.5, 4.0)]
    assert joined([(1.0, 2.0), (2.3, 4.0), (4.5, 5.0)], bridge=0.35) == [(1.0, 4.0), (4.5, 5.0)]  # audit's utterances
    # two regions of voice 0.25 s apart, no word heard in either: padded by 0.2 s, one hole
    speech = [(350.0, 372.0), (372.3, 375.0), (375.25, 376.6)]
    segs = [SimpleNamespace(words=[SimpleNamespace(start=350.0 + i, end=350.9 + i) for i in range(22)])]
    holes = _holes(speech, (348.6, 376.8), segs, RECOGNITION)
    assert [(round(a, 2), round(b, 2)) for a, b in holes] == [(372.1, 376.8)]


@pytest.mark.model
def test_voice_in_another_language_is_named_and_heard_in_it_from_one_encoding(fixtures, monkeypatch):
    from faster_whisper import WhisperModel

    from aligner.hearing.recognition import heard_in_own_language
    from aligner.runtime import media
    from aligner.runtime.model import load_model

    from ..helpers import load_truth

    german = [w for w in load_truth("news") if w["language"] == "de"]
    start, end = german[0]["start"] - 0.1, german[-1]["start"] + 0.6
    english = [w for w in load_truth("news") if 78.0 <= w["start"] <= 84.0]
    encodes = []
    real = WhisperModel.encode
    monkeypatch.setattr(WhisperModel, "encode", lambda self, f: encodes.append(f.shape) or real(self, f))
    whisper = load_model()
    with media.decode(fixtures / "news.mp4") as audio:
        language, heard = heard_in_own_language(whisper, audio, (start, end), "en")
        assert language == "de" and heard is not None
        assert {"ich", "habe"} <= set(heard.lower().replace(",", " ").split())
        assert len(encodes) == 1  # the language and the words from one encoding
        same, none = heard_in_own_language(whisper, audio, (english[0]["start"], english[-1]["start"] + 0.5), "en")
        assert (same, none) == ("en", None)


@pytest.mark.model
def test_a_quote_in_another_language_in_two_passages_is_heard_as_one(fixtures, monkeypatch):
    from faster_whisper import WhisperModel

    from aligner.hearing.recognition import heard_in_own_languages
    from aligner.runtime import media
    from aligner.runtime.model import load_model

    from ..helpers import load_truth

    german = [w for w in load_truth("news") if w["language"] == "de"]
    cut = next(k for k, w in enumerate(german) if k and w["text"] == "Ich")  # "Ich will ein freies Land"
    first = (german[0]["start"] - 0.1, german[cut]["start"] - 0.3)
    second = (german[cut]["start"] - 0.05, german[-1]["start"] + 0.6)
    english = [w for w in load_truth("news") if 78.0 <= w["start"] <= 84.0]
    before = (english[0]["start"], english[-1]["start"] + 0.5)
    encodes = []
    real = WhisperModel.encode
    monkeypatch.setattr(WhisperModel, "encode", lambda self, f: encodes.append(f.shape) or real(self, f))
    whisper = load_model()
    with media.decode(fixtures / "news.mp4") as audio:
        found = heard_in_own_languages(whisper, audio, [before, first, second], "en")
    assert [(list(m), lang) for m, lang, _ in found] == [([0], "en"), ([1, 2], "de")]
    assert found[0][2] is None
    words = set((found[1][2] or "").lower().replace(",", " ").replace(".", " ").split())
    assert {"ich", "habe", "beschlossen", "ein"} <= words  # both halves
    assert len(encodes) == 2  # the English passage, and the two German ones together


@pytest.mark.model
def test_word_times_aligned_a_chunk_at_a_time_are_those_of_the_batch(fixtures, monkeypatch):
    from dataclasses import replace

    from faster_whisper import WhisperModel

    from aligner.hearing.options import RECOGNITION
    from aligner.hearing.recognition import _decode_group
    from aligner.hearing.voice import chunk_spans, voice_activity
    from aligner.runtime import media
    from aligner.runtime.model import load_model

    aligned: list[int] = []
    real = WhisperModel.find_alignment
    monkeypatch.setattr(WhisperModel, "find_alignment",
                        lambda self, tok, tokens, *a: aligned.append(len(tokens)) or real(self, tok, tokens, *a))
    whisper = load_model()
    with media.decode(fixtures / "news.mp4") as audio:
        spans = chunk_spans(voice_activity(audio), audio.duration)[:3]
        made = [None] * len(spans)
        alone, _ = _decode_group(whisper, audio, spans, "en", made, RECOGNITION)
        assert aligned == [1, 1, 1]  # ``align_piece``: one chunk's alignment at a time
        together, _ = _decode_group(whisper, audio, spans, "en", made, replace(RECOGNITION, align_piece=3))
        assert aligned[3:] == [3]

    def words(segs):
        return [(w.word, w.start, w.end, w.probability) for s in segs for w in s.words]

    assert all(len(words(segs)) > 20 for segs in alone)
    assert [words(segs) for segs in alone] == [words(segs) for segs in together]
