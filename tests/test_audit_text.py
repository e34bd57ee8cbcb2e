"""The audit's text evidence on strings and numbers: which passages differ, how the two texts
that are scored are built, how a passage's log-likelihood ratio is read; no audio."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.audit import AuditOptions, cue_words, meaning_settled, names_or_numbers, text_verdict
from aligner.evidence import (
    ScoredText,
    differing_passages,
    disagreements,
    heard_but_published,
    spoken_spelling,
)
from aligner.subtitles import SubtitleCue


def passages(published: str, heard: str) -> list[tuple[str, str]]:
    p, h = published.split(), heard.split()
    return [(" ".join(p[x.first:x.stop]), " ".join(h[x.heard_first:x.heard_stop]))
            for x in differing_passages(p, h)]


def test_passages_are_whole_words_in_spoken_form():
    assert passages("about 20% of them", "about twenty percent of them") == []
    assert passages("And so, my fellow Americans", "and so my fellow Americans,") == []
    assert passages("ask not what your country can do for me", "ask not what your country can do for you") == \
        [("me", "you")]
    assert passages("this time troops have entered", "this time much larger liberation troops have entered") == \
        [("", "much larger liberation")]


def test_a_garbled_name_around_a_shared_word_is_one_passage():
    # espeak's "of Kharkiv on" heard as "on Chabikyong": not words left out beside words added
    assert passages("in the city of Kharkiv on Russia's western border",
                    "in the city on Chabikyong, Russia's western border") == [("of Kharkiv on", "on Chabikyong,")]
    # ...but a neighbour's words caught at the start of the hearing stay apart
    assert passages("of Novaya Tavolzhanka in the Belgorod region.",
                    "and the village of Novaia Temple and Khenver region.") == \
        [("", "and the village"), ("Novaya Tavolzhanka in the Belgorod", "Novaia Temple and Khenver")]


def test_elisions_are_spelt_as_said():
    assert spoken_spelling("deserv’d") == "deserved"
    assert spoken_spelling("tatter’d") == "tattered"
    assert spoken_spelling("feel’st") == "feelst"
    assert spoken_spelling("you’d") == "you'd"  # a contraction, not an elision
    assert passages("more praise deserv’d thy beauty’s use", "more praise deserved thy beauty's use") == []


def test_scored_texts_differ_only_in_the_passages():
    published = "Calls back the lovely April of her prime".split()
    heard = "calls back the lovely August, of her prime.".split()
    found = differing_passages(published, heard)
    mixed, where = heard_but_published(published, heard, found)
    assert mixed == "calls back the lovely April of her prime.".split()
    assert [mixed[a:b] for a, b in where] == [["April"]]
    # the replacement takes the heard word's case: a capital at a verse's start is no evidence
    mixed, _ = heard_but_published(["Disdains", "the"], ["disdainst", "the"],
                                   differing_passages(["Disdains", "the"], ["disdainst", "the"]))
    assert mixed == ["disdains", "the"]


def test_llr_counts_the_passage_and_the_word_after_it():
    heard = ScoredText(("do", "for", "you", "ask"), (-0.1, -0.1, -0.05, -0.2), -0.3)
    mixed = ScoredText(("do", "for", "me", "ask"), (-0.1, -0.1, -12.0, -1.5), -0.3)
    found = differing_passages(list(mixed.words), list(heard.words))
    _, where = heard_but_published(list(mixed.words), list(heard.words), found)
    (d,) = disagreements(mixed, heard, found, where)
    assert (d.published, d.heard) == ("me", "you")
    assert d.llr == pytest.approx((-0.05 - 0.2) - (-12.0 - 1.5))
    assert d.confidence > 0.999
    # at the end of the text, the end-of-text token is the word after
    end = ScoredText(("for", "me"), (-0.1, -9.0), -2.0)
    assert end.span(1, 2) == pytest.approx(-11.0)


def test_what_the_language_alone_prefers_is_no_evidence():
    from aligner.evidence import Disagreement

    # "call to all" heard as "cultural": the model prefers "cultural" nearly as much with no
    # sound at all, so the sound adds little; "me" for "you" is the sound's doing.
    slur = Disagreement(0, 3, 0, 1, "call to all", "cultural", llr=16.8, prior_llr=22.1)
    swap = Disagreement(5, 6, 5, 6, "me", "you", llr=12.2, prior_llr=2.2)
    unlikely = Disagreement(5, 6, 5, 6, "thy", "the", llr=6.0, prior_llr=-4.0)
    assert slur.acoustic_llr == pytest.approx(16.8 - 22.1)
    assert swap.acoustic_llr == pytest.approx(10.0)
    assert unlikely.acoustic_llr == pytest.approx(6.0)  # a prior for the published words earns nothing


def test_verdict_needs_the_margin():
    from aligner.audit import TextDispute

    disputes = [TextDispute("secession", "succession", 6.2, 0.998), TextDispute("shalt", "shall", 2.5, 0.92)]
    assert [d.published for d in text_verdict(disputes, 5.0)] == ["secession"]
    assert text_verdict(disputes, 7.0) == []


def test_names_and_numbers_are_in_every_language():
    assert names_or_numbers("Hans Jakob Christoffel von Grimmelshausen".split())
    assert names_or_numbers(["Valdemoro,", "20", "September", "1881."])
    assert not names_or_numbers("Ya está la obra escrita,".split())
    assert not names_or_numbers("y ahí te la envío.".split())


def test_cue_words_leave_labels_and_descriptions_out():
    cue = SubtitleCue(1, 0, 2, ("-[Anna] Are you coming? (laughs)", "-BEN: In a minute."))
    assert cue_words(cue) == ["Are", "you", "coming?", "In", "a", "minute."]


def test_cues_differing_from_the_approved_transcript(fixtures):
    from aligner.audit import _transcript_findings
    from aligner.subtitles import read_subtitles
    from aligner.transcript import load

    script = load(fixtures / "news_transcript.txt")
    clean = _transcript_findings(read_subtitles(fixtures / "news.srt"), script, "en", AuditOptions())
    # The correct file differs from the transcript only where it translates the German quote.
    assert [f.cue for f in clean] == [50]
    found = _transcript_findings(read_subtitles(fixtures / "news.defects.srt"), script, "en", AuditOptions())
    flagged = {f.cue for f in found}
    assert {11, 14, 17, 28, 48} <= flagged
    assert all(f.kind == "transcript_mismatch" and f.severity == "warning" for f in found)
    twitter = next(f for f in found if f.cue == 48)
    assert "Facebook" in twitter.detail and "Twitter" in twitter.detail


@pytest.mark.parametrize(("baseline", "pending", "settled"), [
    ([-1.0] * 5, 3, True),  # 5 of any 8 lie under: every median of them does
    ([-1.0] * 4, 4, False),  # 4 of 8: the other four could pull the median up
    ([-1.0] * 4, 0, True),  # nothing left to come
    ([-1.0, -1.0, -1.0, -0.1, -0.1], 3, False),  # -0.1 is within the gain of 0: not under
    ([], 2, True),  # fewer than 3 neighbours can be scored: no verdict either way
    ([-1.0], 2, False),  # three could be: the two to come decide
])
def test_a_translated_cues_baseline_is_settled_as_soon_as_its_median_is(baseline, pending, settled):
    opts = AuditOptions()  # meaning_gain 0.25, at least 3 neighbours
    assert meaning_settled(0.0, baseline, pending, opts) is settled
    if settled and len(baseline) + pending >= opts.meaning_min_neighbours:  # every completion agrees
        for rest in ([5.0] * pending, [-5.0] * pending, [5.0] * (pending // 2)):
            final = [*baseline, *rest]
            if len(final) >= opts.meaning_min_neighbours:
                assert 0.0 - float(np.median(final)) >= opts.meaning_gain
