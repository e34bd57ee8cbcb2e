"""Shared fixtures: paths to the committed media, and one real alignment per clip per session
(the real model on real audio; each test then checks a different outcome of it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import FIXTURES


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def news_alignment(tmp_path_factory):
    import aligner

    return aligner.align(FIXTURES / "news.mp4", FIXTURES / "news_transcript.txt")


@pytest.fixture(scope="session")
def interview_alignment():
    import aligner

    return aligner.align(FIXTURES / "interview.mp4", FIXTURES / "interview.txt")
