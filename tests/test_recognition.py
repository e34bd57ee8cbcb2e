"""Recognition: how the audio is laid out in chunks for the encoder and how voice the batched
decoding skipped is found (pure), and, with the model, how voice in another language is named."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.recognition import believable, chunk_spans, uncovered


def test_regions_of_voice_are_packed_into_chunks_of_at_most_thirty_seconds():
    speech = [(k * 10.0 + 1.0, k * 10.0 + 9.0) for k in range(9)]  # 90 s, 2 s pauses
    spans = chunk_spans(speech, 90.0)
    assert len(spans) == 3  # three regions (28.4 s with their pauses) to a chunk
    assert all(b - a <= 30.0 for a, b in spans)
    # every region lies whole in one chunk, with up to 0.2 s of its pauses around it
    for a, b in speech:
        assert sum(1 for s0, s1 in spans if s0 <= a - 0.2 + 1e-9 and b + 0.2 <= s1 + 1e-9) == 1


def test_chunks_leave_out_silence_and_never_pad_past_a_pause_middle():
    spans = chunk_spans([(5.0, 10.0), (10.1, 12.0), (100.0, 110.0)], 120.0)
    assert spans == [(4.8, 12.2), (99.8, 110.2)]
    tight = chunk_spans([(0.0, 20.0), (20.1, 40.0)], 40.0)
    assert tight[0] == (0.0, 20.05) and tight[1][0] == 20.05


def test_a_region_longer_than_a_chunk_is_cut_in_pieces():
    spans = chunk_spans([(0.0, 100.0)], 100.0)
    assert all(b - a <= 30.0 for a, b in spans)
    assert spans[0][0] == 0.0 and spans[-1][1] == 100.0
    assert sum(min(b, 100.0) - max(a, 0.0) for a, b in spans) >= 100.0


def test_no_voice_no_chunks():
    assert chunk_spans([], 60.0) == []


def test_voice_that_no_word_is_near_is_skipped_speech():
    speech = [(0.0, 30.0)]
    words = [(float(t), t + 0.4) for t in range(0, 10)] + [(float(t), t + 0.4) for t in range(22, 30)]
    [(a, b)] = uncovered(speech, words, (0.0, 30.0), 0.3, 1.0)
    assert (a, b) == pytest.approx((9.7, 21.7))


def test_a_word_stretched_over_skipped_voice_does_not_cover_it():
    # "He decided": the decoder leapt 22 s of voice, and the word timestamps laid "decided"
    # over all of it; its voice must still count as skipped
    speech = [(146.9, 163.2), (163.8, 168.5), (168.9, 170.5)]
    words = [(146.9, 147.24), (147.24, 169.46), (169.46, 170.0), (170.0, 170.46)]
    kept = believable(speech, words, 3.0)
    assert kept == [words[0], words[2], words[3]]
    holes = uncovered(speech, kept, (146.9, 175.9), 0.3, 1.0)
    assert [(round(a, 2), round(b, 2)) for a, b in holes] == [(147.54, 163.2), (163.8, 168.5)]


def test_short_holes_and_voice_outside_the_chunk_are_not_skipped_speech():
    words = [(0.0, 1.0), (1.8, 3.0)]
    assert uncovered([(0.0, 3.0)], words, (0.0, 3.0), 0.3, 1.0) == []
    assert uncovered([(0.0, 3.0), (50.0, 60.0)], words, (0.0, 30.0), 0.3, 1.0) == []


def test_skipped_voice_a_short_pause_apart_is_heard_as_one_stretch():
    from types import SimpleNamespace

    from aligner.recognition import RECOGNITION, _holes, joined

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

    from aligner import media
    from aligner.model import load_model
    from aligner.recognition import heard_in_own_language

    from .helpers import load_truth

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


def test_spans_close_together_are_grouped_up_to_a_chunk():
    from aligner.recognition import near_groups

    spans = [(0.0, 2.0), (2.4, 5.0), (7.0, 8.0), (8.5, 40.0)]
    assert near_groups(spans, 1.0, 30.0) == [[(0.0, 2.0), (2.4, 5.0)], [(7.0, 8.0)], [(8.5, 40.0)]]
    assert near_groups(spans, 3.0, 30.0) == [[(0.0, 2.0), (2.4, 5.0), (7.0, 8.0)], [(8.5, 40.0)]]
    assert near_groups([], 1.0, 30.0) == []


@pytest.mark.model
def test_a_quote_in_another_language_in_two_passages_is_heard_as_one(fixtures, monkeypatch):
    from faster_whisper import WhisperModel

    from aligner import media
    from aligner.model import load_model
    from aligner.recognition import heard_in_own_languages

    from .helpers import load_truth

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

    from aligner import media
    from aligner.model import load_model
    from aligner.recognition import RECOGNITION, _decode_group, chunk_spans, voice_activity

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


def _loudness(pieces: list[tuple[float, float, float]], seconds: float, floor: float = -60.0) -> np.ndarray:
    """10 ms frames at ``floor`` dB with (start, end, dB) stretches louder."""
    db = np.full(int(seconds * 100), floor)
    for a, b, level in pieces:
        db[int(a * 100):int(b * 100)] = level
    return db


def test_sound_the_voice_detector_missed_is_found_and_its_edges_are_not():
    from aligner.recognition import missed_sound

    # voice found at 1-3 s; a voice it missed at 5-9 s (18 dB over the room); a breath at 12 s
    db = _loudness([(1.0, 3.0, -25.0), (5.0, 9.0, -42.0), (12.0, 12.2, -40.0), (3.0, 3.2, -40.0)], 15.0)
    assert missed_sound(db, [(1.0, 3.0)]) == [(5.0, 9.0)]
    quiet_room = _loudness([(1.0, 3.0, -25.0)], 15.0, floor=-100.0)  # digital silence between
    assert missed_sound(quiet_room, [(1.0, 3.0)]) == []


def test_missed_sound_is_voice_only_where_words_were_heard_in_it():
    from aligner.encodings import Encodings
    from aligner.recognition import HeardWord, Layout

    layout = Layout(((1.0, 3.0),), ((5.0, 9.0), (20.0, 40.0)), [(0.8, 9.2), (19.8, 40.2)], Encodings([]))
    heard = [HeardWord("so", 5.2, 5.5), HeardWord("this", 5.5, 5.9), HeardWord("is", 6.0, 6.3),
             HeardWord("Thanks", 30.0, 30.5)]  # a word heard in three minutes of music is no voice
    assert layout.missed_voice(heard) == ((5.2, 6.3),)
