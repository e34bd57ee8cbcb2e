"""The text checks' verdict on scored passages (``aligner.auditing.text``), without audio."""

from __future__ import annotations

from aligner.auditing.text import text_verdict


def test_verdict_needs_the_margin():
    from aligner.auditing.gather import TextDispute

    disputes = [TextDispute("secession", "succession", 6.2, 0.998), TextDispute("shalt", "shall", 2.5, 0.92)]
    assert [d.published for d in text_verdict(disputes, 5.0)] == ["secession"]
    assert text_verdict(disputes, 7.0) == []


def _passage(published: str, heard: str, **kw):
    from aligner.auditing.evidence import Disagreement

    return Disagreement(0, 1, 0, 1, published, heard, 12.0, **kw)


def test_a_difference_between_ordinary_words_is_an_error():
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    assert text_severity(_passage("fourteen", "forty", phone_llr=-2.6), "en", opts) == "error"
    assert text_severity(_passage("referirte", "paraguas"), "es", opts) == "error"  # rare, but in the lexicon


def test_a_name_or_a_garble_the_acoustic_fit_does_not_settle_is_a_check():
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    assert text_severity(_passage("Pannartz", "Panartes", phone_llr=3.6), "en", opts) == "check"
    garble = _passage("angemessene nutzung", "angemessenen Nützung", phone_llr=-18.5)
    assert text_severity(garble, "de", opts) == "check"
    assert text_severity(_passage("Carpanedo", "Carpaneo", phone_llr=26.7), "es", opts) == "check"
    # the acoustic model, which knows no words, hears the change too: an error, names or not
    assert text_severity(_passage("Ramirez", "middle", phone_llr=467.7), "en", opts) == "error"


def test_a_stumble_and_talk_over_talk_are_checks():
    from aligner.auditing.options import AuditOptions
    from aligner.auditing.text import text_severity

    opts = AuditOptions()
    assert text_severity(_passage("a", "", repeated=True), "en", opts) == "check"
    assert text_severity(_passage("should we Has anybody", "it. So", crosses=True), "en", opts) == "check"
