"""Spoken forms: what differs only in writing must match."""

from __future__ import annotations

import pytest

from aligner.text.textnorm import spoken_tokens


@pytest.mark.parametrize(
    "a, b",
    [
        ("20%", "twenty percent"),
        ("20", "twenty"),
        ("Dr.", "doctor"),
        ("1961", "nineteen sixty-one"),
        ("1,000", "one thousand"),
        ("3rd", "third"),
        ("$5", "five dollars"),
        ("didn't", "didnt"),
        ("Free-Russia", "free russia"),
        ("»Legion«", "legion"),
        ("Moscow.", "moscow"),
    ],
)
def test_same_spoken_form(a, b):
    left = spoken_tokens(a)
    right = [t for w in b.split() for t in spoken_tokens(w)]
    assert left == right


def test_german_numbers():
    assert spoken_tokens("20", "de") == ["zwanzig"]


def test_punctuation_alone_is_silent():
    assert spoken_tokens("–") == []


@pytest.mark.parametrize(("word", "disfluent"), [
    ("uh", True), ("Um,", True), ("sh-", True), ("d-", True), ("ähm", True), ("euh", True),
    ("yknow", True), ("Funky", False), ("well-", True), ("anti-war", False), ("Hmm.", True), ("the", False),
])
def test_hesitations_and_false_starts(word, disfluent):
    from aligner.text.textnorm import is_disfluency

    assert is_disfluency(word) is disfluent
