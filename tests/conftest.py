"""Shared fixtures: paths to the committed media, and one real alignment per clip per session
(the real model on real audio; each test then checks a different outcome of it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import FIXTURES


@pytest.fixture(scope="session", autouse=True)
def fresh_cache(tmp_path_factory):
    """A cache of this run's own: every recognition in the suite is really run, and the
    bundled model is really assembled and checked."""
    import os

    os.environ["ALIGNER_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def news_alignment():
    import aligner

    return aligner.align(FIXTURES / "news.mp4", FIXTURES / "news_transcript.txt")


@pytest.fixture(scope="session")
def interview_alignment():
    import aligner

    return aligner.align(FIXTURES / "interview.mp4", FIXTURES / "interview.txt")


def _audit(media: str, subtitles, **kw):
    from aligner.auditing.run import audit

    return audit(FIXTURES / media, subtitles if isinstance(subtitles, Path) else FIXTURES / subtitles, **kw)


@pytest.fixture(scope="session")
def news_defects_audit():
    return _audit("news.mp4", "news.defects.srt")


@pytest.fixture(scope="session")
def news_correct_audit():
    return _audit("news.mp4", "news.srt")


@pytest.fixture(scope="session")
def translated_defects_audit():
    return _audit("interview_de.mp4", "interview_de.defects.en.srt")


@pytest.fixture(scope="session")
def translated_correct_audit():
    return _audit("interview_de.mp4", "interview_de.en.srt")


@pytest.fixture(scope="session")
def shifted_srt(tmp_path_factory) -> Path:
    """The correct news subtitles, every cue 2.35 s late (as after a bad re-encode)."""
    import pysrt

    subs = pysrt.open(str(FIXTURES / "news.srt"), encoding="utf-8")
    subs.shift(milliseconds=2350)
    path = tmp_path_factory.mktemp("shifted") / "news.late.srt"
    subs.save(str(path), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def drifted_srt(tmp_path_factory) -> Path:
    """The correct news subtitles timed for 23.976 fps played at 25 (a 4.3 % stretch) saved as cp1252."""
    import pysrt

    subs = pysrt.open(str(FIXTURES / "news.srt"), encoding="utf-8")
    for item in subs:
        item.start = pysrt.SubRipTime.from_ordinal(round(item.start.ordinal * 25 / 23.976))
        item.end = pysrt.SubRipTime.from_ordinal(round(item.end.ordinal * 25 / 23.976))
    path = tmp_path_factory.mktemp("drift") / "news.drift.srt"
    subs.save(str(path), encoding="cp1252")
    return path
