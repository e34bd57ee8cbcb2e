"""The phone fit's evidence on real speech (``aligner.auditing.acoustic_fit``): PocketSphinx's
acoustic model, with no language model, over the news clip's narrator."""

from __future__ import annotations

import pytest

from aligner.auditing.acoustic_fit import phone_llrs
from aligner.auditing.evidence import Disagreement, differing_passages
from aligner.auditing.inputs import AuditInputs
from aligner.auditing.options import AuditOptions
from aligner.runtime import media

from ..helpers import FIXTURES

# The news narrator's "Footage of the Legion is said to show the advance" (50.68-52.96 s), as
# a second hearing of it garbled it once in the synthetic hour of looped news
PUBLISHED = "Footage of the Legion is said to show the advance".split()
GARBLE = "For the dot-ballina, insert the shoulder advance in the s-".split()


@pytest.fixture(scope="module")
def inputs() -> AuditInputs:
    audio = media.decode(FIXTURES / "news.mp4")
    return AuditInputs(audio, None, (), (), (), "en", "en", "en", AuditOptions())  # type: ignore[arg-type]


@pytest.mark.parametrize("span", [(50.0, 54.6), (50.2, 54.4), (50.4, 54.2)])
def test_published_words_lost_in_a_garbled_hearing_are_fitted_inside_the_published_text(inputs, span):
    """PocketSphinx finds no path for the garble with "Footage of" put back, over any span;
    inside the published text "Footage of" fits far better than the heard "For": the
    recogniser's words are its own, not a changed word (it was a false error in the hour)."""
    passages = differing_passages(PUBLISHED, GARBLE, "en")
    found = [Disagreement(p.first, p.stop, p.heard_first, p.heard_stop, " ".join(PUBLISHED[p.first:p.stop]),
                          " ".join(GARBLE[p.heard_first:p.heard_stop]), llr=12.0) for p in passages]
    assert found[0].published == "Footage of" and found[0].heard == "For"
    ratio, unsayable = phone_llrs(inputs, PUBLISHED, GARBLE, passages, found, span)[0]
    assert ratio is not None and ratio <= -2 * inputs.options.phone_margin and not unsayable
