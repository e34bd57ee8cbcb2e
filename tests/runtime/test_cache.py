"""The disk cache holds data, never code: a tampered, planted or foreign entry is dropped."""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass

import pytest

from aligner.runtime import cache


@dataclass(frozen=True)
class Point:
    t: float
    label: str
    spans: tuple[tuple[float, float], ...] = ()


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def entry(own_cache):
    (path,) = (own_cache / "points").glob("*.json")
    return path


def test_round_trip_keeps_types(own_cache):
    cache.store("points", "k1", Point(1.5, "a", ((0.0, 1.0), (2.0, 3.0))))
    assert cache.load("points", "k1", Point) == Point(1.5, "a", ((0.0, 1.0), (2.0, 3.0)))
    assert cache.load("points", "k2", Point) is None


def test_a_flipped_byte_is_dropped_not_believed(own_cache):
    cache.store("points", "k1", Point(1.5, "a"))
    path = entry(own_cache)
    path.write_bytes(path.read_bytes().replace(b"1.5", b"7.5"))
    assert cache.load("points", "k1", Point) is None
    assert not path.exists()  # deleted: the next run computes and stores afresh


def test_a_planted_entry_is_dropped(own_cache):
    cache.store("points", "k1", Point(1.5, "a"))
    path = entry(own_cache)
    data = json.loads(path.read_bytes())
    data["data"]["t"] = 99.0
    data["hmac"] = "0" * 64  # someone without the secret cannot sign it
    path.write_text(json.dumps(data))
    assert cache.load("points", "k1", Point) is None


def test_a_pickle_in_the_cache_never_runs(own_cache, tmp_path):
    cache.store("points", "k1", Point(1.5, "a"))
    path = entry(own_cache)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path.write_bytes(pickle.dumps(Evil()))
    assert cache.load("points", "k1", Point) is None
    assert not marker.exists()


def test_wrong_types_are_dropped(own_cache):
    cache.store("points", "k1", Point(1.5, "a"))
    path = entry(own_cache)
    data = json.loads(path.read_bytes())
    data["data"]["t"] = "not a number"
    # even correctly signed, a wrong type is refused
    data["hmac"] = cache._signature(cache._secret(), "k1", data["data"])
    path.write_text(json.dumps(data))
    assert cache.load("points", "k1", Point) is None


def test_a_changed_package_is_a_different_key(own_cache, monkeypatch):
    cache.store("points", "k1", Point(1.5, "a"))
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another-version")
    assert cache.load("points", "k1", Point) is None
