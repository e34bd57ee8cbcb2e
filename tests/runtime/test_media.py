"""Probing and decoding, with the system ffmpeg or the one imageio-ffmpeg ships."""

from __future__ import annotations

import shutil

import pytest

from aligner.errors import MediaError
from aligner.runtime import media

from ..helpers import FIXTURES


def test_probe_reads_duration_and_frame_rate():
    info = media.probe(FIXTURES / "interview.mp4")
    assert info.fps == pytest.approx(25.0)
    assert 25.0 < info.duration < 26.5


def test_decodes_16k_mono():
    audio = media.load_audio(FIXTURES / "interview.mp4")
    assert audio.dtype.name == "float32"
    assert abs(len(audio) / media.SAMPLE_RATE - media.probe(FIXTURES / "interview.mp4").duration) < 0.2


def test_falls_back_on_the_bundled_ffmpeg(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None if name == "ffmpeg" else real_which(name, *a, **k))
    media.ffmpeg_binary.cache_clear()
    try:
        binary = media.ffmpeg_binary()
        assert "imageio_ffmpeg" in binary
        audio = media.load_audio(FIXTURES / "interview.mp4")
        assert len(audio) > 20 * media.SAMPLE_RATE
    finally:
        media.ffmpeg_binary.cache_clear()


@pytest.mark.parametrize("name, fragment", [("bad/no_audio.mp4", "no audio"),
                                            ("bad/truncated.mp4", "not a readable"),
                                            ("bad", "is a folder")])
def test_bad_media_is_refused(name, fragment):
    with pytest.raises(MediaError, match=fragment):
        media.probe(FIXTURES / name)
