"""The voice stage on real voices (fixtures/voices/three_voices.flac): needs the `voices` extra."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch", reason='needs the voices extra: pip install "aligner[voices]"')

from aligner.runtime.media import load_audio
from aligner.voices.checks import check_labels
from aligner.voices.cues import wrong_speaker
from aligner.voices.model import VoiceModel, weights_file
from aligner.voices.options import VoiceOptions
from aligner.voices.turns import label_turns
from aligner.voices.types import CueVoice, Span, VoiceWord

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "voices"
OPTIONS = VoiceOptions()


@pytest.fixture(scope="module")
def voices() -> tuple[np.ndarray, list[list]]:
    samples = load_audio(FIXTURES / "three_voices.flac")
    words = json.loads((FIXTURES / "three_voices.words.json").read_text())["words"]
    return samples, words


@pytest.fixture(scope="module")
def model() -> VoiceModel:
    try:
        weights_file()
    except Exception as e:  # the extra's torch without its weights package
        pytest.skip(str(e))
    return VoiceModel(OPTIONS)


def as_words(rows: list[list], labels: list[str | None] | None = None) -> list[VoiceWord]:
    return [VoiceWord(r[0], r[1], r[2] if labels is None else labels[i]) for i, r in enumerate(rows)]


def test_same_voice_is_nearer_than_another(voices, model) -> None:
    samples, _ = voices
    # the reader's two turns, then the LJ reader and JFK (see make_voices.py for the times)
    rows = model.embed(samples, [Span(0.5, 6.5), Span(15.0, 19.5), Span(7.5, 13.5), Span(20.5, 26.5)])
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    same = float(rows[0] @ rows[1])
    assert same > 0.5
    assert max(float(rows[0] @ rows[2]), float(rows[0] @ rows[3]), float(rows[2] @ rows[3])) < same - 0.25


def test_unlabelled_words_get_three_speakers(voices, model) -> None:
    samples, rows = voices
    result = label_turns(as_words(rows, [None] * len(rows)), samples, model, OPTIONS)
    assert result.count == 3
    truth = [r[2] for r in rows]
    mapping = {}
    for name in set(result.speakers):
        mine = [t for s, t in zip(result.speakers, truth) if s == name]
        mapping[name] = max(set(mine), key=mine.count)
    assert len(set(mapping.values())) == 3
    right = sum(mapping[s] == t for s, t in zip(result.speakers, truth))
    assert right >= 0.95 * len(rows)
    assert result.speakers[0] == "Speaker 1"


def test_right_labels_pass_and_a_wrong_turn_is_named(voices, model) -> None:
    samples, rows = voices
    truth = [r[2] for r in rows]
    assert check_labels(as_words(rows), samples, model, OPTIONS) == []
    first_turn = [i for i, r in enumerate(rows) if r[0] < 7.0]
    wrong = ["JFK" if i in first_turn else t for i, t in enumerate(truth)]
    found = check_labels(as_words(rows, wrong), samples, model, OPTIONS)
    assert [(w.kind, w.label, w.sounds_like) for w in found] == [("other_voice", "JFK", "Austen Reader")]
    assert found[0].first == first_turn[0] and found[0].last == first_turn[-1]


def test_a_misplaced_change_is_moved_to_the_voice_change(voices, model) -> None:
    samples, rows = voices
    truth = [r[2] for r in rows]
    change = next(i for i, t in enumerate(truth) if t == "Austen Reader" and i > 20)  # LJ -> reader at ~14.9 s
    late = [("LJ" if change <= i < change + 5 else t) for i, t in enumerate(truth)]
    found = check_labels(as_words(rows, late), samples, model, OPTIONS)
    assert [w.kind for w in found] == ["boundary"]
    assert found[0].move_to is not None and abs(found[0].move_to - rows[change][0]) <= 1.0


def test_one_cue_under_the_wrong_label_is_wrong_speaker_and_nothing_else(voices, model) -> None:
    samples, rows = voices
    cues, k = [], 0
    while k < len(rows):  # cues of up to six words, never across a turn
        j = k
        while j + 1 < len(rows) and j + 1 - k < 6 and rows[j + 1][2] == rows[k][2]:
            j += 1
        cues.append(CueVoice(rows[k][0], rows[j][1], rows[k][2]))
        k = j + 1
    assert wrong_speaker(cues, samples, model, OPTIONS) == []
    target = next(i for i, c in enumerate(cues) if c.label == "JFK" and c.end - c.start > 1.5)
    cues[target] = CueVoice(cues[target].start, cues[target].end, "LJ")
    found = wrong_speaker(cues, samples, model, OPTIONS)
    assert [(w.index, w.label, w.sounds_like) for w in found] == [(target, "LJ", "JFK")]


def test_a_change_without_a_pause_is_placed_where_the_voice_changes(voices, model) -> None:
    samples, rows = voices
    truth = [r[2] for r in rows]
    k = next(i for i, t in enumerate(truth) if t == "LJ")
    cut = (rows[k - 1][1], rows[k][0])  # the silence between the reader and the LJ reader, taken out
    a, b = int(cut[0] * 16000), int(cut[1] * 16000)
    joined = np.concatenate([samples[:a], samples[b:]])
    shift = (b - a) / 16000
    moved = [[r[0] - shift, r[1] - shift, *r[2:]] if i >= k else r for i, r in enumerate(rows)]
    result = label_turns(as_words(moved, [None] * len(moved)), joined, model, OPTIONS)
    changes = [i for i in range(1, len(rows)) if result.speakers[i] != result.speakers[i - 1]]
    near = [i for i in changes if abs(moved[i][0] - moved[k][0]) < 3.0]
    assert near and min(abs(i - k) for i in near) <= 1
