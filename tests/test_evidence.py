"""The evidence scorer on real audio (the string cores are in ``test_audit_text``)."""

from __future__ import annotations

import pytest

from .helpers import FIXTURES

# Stretches of the news clip that the audit hears again on the correct subtitles.
STRETCHES = ((27.53, 31.10), (80.44, 84.42), (89.68, 93.63), (153.01, 157.48), (137.58, 142.50))


@pytest.mark.parametrize("compute_type", ["default", "float32"])
def test_hearings_decoded_together_read_each_stretch_as_alone(compute_type):
    from aligner.encodings import encode_audio
    from aligner.evidence import TextScorer
    from aligner.media import decode
    from aligner.model import load_model

    model = load_model(compute_type=compute_type)
    scorer = TextScorer(model, "en")
    with decode(FIXTURES / "news.mp4") as audio:
        encoded = [encode_audio(model, audio.read(a, b))[0] for a, b in STRETCHES]
    alone = [scorer.hypothesis(e) for e in encoded]
    assert all(len(words) >= 5 for words in alone)
    assert scorer.hypotheses(encoded[:4]) == alone[:4]  # a full batch
    assert scorer.hypotheses(encoded[3:]) == alone[3:]  # and a short one
