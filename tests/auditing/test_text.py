"""The text checks' verdict on scored passages (``aligner.auditing.text``), without audio."""

from __future__ import annotations

from aligner.auditing.text import text_verdict


def test_verdict_needs_the_margin():
    from aligner.auditing.gather import TextDispute

    disputes = [TextDispute("secession", "succession", 6.2, 0.998), TextDispute("shalt", "shall", 2.5, 0.92)]
    assert [d.published for d in text_verdict(disputes, 5.0)] == ["secession"]
    assert text_verdict(disputes, 7.0) == []
