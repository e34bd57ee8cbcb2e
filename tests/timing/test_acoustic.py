"""The acoustic re-timing stage: its pure rules on numbers and strings, then PocketSphinx on the
committed news clip against libespeak-ng's exact word starts."""

from __future__ import annotations

import numpy as np
import pytest

from aligner.results import WordTime
from aligner.runtime import media
from aligner.runtime.sidecar import Sidecar
from aligner.timing import acoustic
from aligner.timing.acoustic import AcousticOptions, Group, off_silence, plan_groups, trusted
from aligner.timing.phones import decoder, pronunciations

from ..helpers import FIXTURES, load_truth


def times_of(spans):
    return {i: WordTime(s, e, 1.0) for i, (s, e) in enumerate(spans)}


def quiet(pattern: str) -> list[bool]:
    return [c == "1" for c in pattern]


# --- grouping ---------------------------------------------------------------------------------

def test_a_pause_ends_a_group_and_margins_stop_at_the_neighbours():
    times = times_of([(1.0, 1.4), (1.45, 2.0), (2.5, 3.0), (3.05, 3.5)])  # a 0.5 s pause after word 1
    groups = plan_groups(times, 10.0, AcousticOptions(pause=0.3, margin=0.3))
    assert [g.indices for g in groups] == [(0, 1), (2, 3)]
    assert groups[0].start == pytest.approx(0.7)
    assert groups[0].end == pytest.approx(2.3)  # margin, short of the next word at 2.5
    assert groups[1].start == pytest.approx(2.2)
    assert groups[1].end == pytest.approx(3.8)


def test_a_margin_never_reaches_into_a_neighbour_word():
    times = times_of([(1.0, 1.4), (1.75, 2.0)])  # 0.35 s apart: two groups, margins would overlap
    first, second = plan_groups(times, 10.0, AcousticOptions(pause=0.3, margin=0.3))
    assert first.end == pytest.approx(1.7)
    assert second.start == pytest.approx(1.45)  # margin, short of the word before's end at 1.4


def test_a_long_run_is_cut_at_its_longest_gap():
    spans = [(k * 0.5, k * 0.5 + 0.45) for k in range(40)]  # 20 s without a pause
    spans[22] = (spans[22][0] + 0.2, spans[22][1])  # the longest gap: before word 22
    groups = plan_groups(times_of(spans), 30.0, AcousticOptions(max_group=12.0))
    assert [g.indices[0] for g in groups] == [0, 22]
    assert all(times_of(spans)[g.indices[-1]][1] - times_of(spans)[g.indices[0]][0] <= 12.0 for g in groups)


# --- trust ------------------------------------------------------------------------------------

def test_one_stray_word_keeps_its_whisper_time_alone():
    whisper = [float(k) for k in range(10)]
    acoustic_ = [w + 0.05 for w in whisper]
    acoustic_[4] += 1.0
    assert trusted(whisper, acoustic_) == [True] * 4 + [False] + [True] * 5


def test_a_group_that_lost_its_track_is_not_believed_at_all():
    whisper = [float(k) for k in range(10)]
    acoustic_ = [w + (1.0 if k in (2, 5, 8) else 0.0) for k, w in enumerate(whisper)]
    assert trusted(whisper, acoustic_) == [False] * 10


# --- digital silence --------------------------------------------------------------------------

@pytest.mark.parametrize(("frames", "pattern", "expected"), [
    ((0, 12), "011111111100", (10, 12)),  # the word before's tail, then a pause: start after it
    ((0, 12), "001111111111", (0, 2)),  # a pause at the end: out of the word
    ((0, 12), "000011100000", (0, 12)),  # a stop closure inside the word stays
    ((0, 14), "00000011111111", (0, 6)),  # a pause of 8 frames at the end
    ((0, 4), "1111", (0, 4)),  # silence throughout: left as it is
])
def test_digital_silence_at_a_word_edge_is_not_the_word(frames, pattern, expected):
    assert off_silence(*frames, quiet(pattern), lead=3, pause=8) == expected


# --- pronunciations ---------------------------------------------------------------------------

def test_words_are_said_by_the_dictionary_or_spelled():
    assert pronunciations("don't") == ["don't"]
    assert pronunciations("Shakespeare’s") == ["shakespeare's"]
    assert pronunciations("30") == ["thirty"]
    assert pronunciations("—") == []
    assert pronunciations("Baranovsky,") == ["baranovsky"]
    phones = decoder().lookup_word("baranovsky").split()
    assert phones[:3] == ["B", "AA", "R"] and phones[-1] == "IY"


def test_only_languages_with_a_model_are_refined():
    assert acoustic.available("en")
    assert not acoustic.available("de")


# --- on real audio ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def news_audio():
    with media.decode(FIXTURES / "news.mp4") as audio:
        yield audio


def first_sentences(n_words: int = 33):
    truth = [t for t in load_truth("news") if t["transcribed"]][:n_words]
    return [t["text"] for t in truth], [t["start"] for t in truth]


def test_words_land_on_the_truth_from_rough_whisper_times(news_audio):
    words, starts = first_sentences()
    rng = np.random.default_rng(1)
    rough = [s + rng.uniform(-0.15, 0.15) for s in starts]  # as coarse as cross-attention
    times = {i: WordTime(s, (rough[i + 1] if i + 1 < len(rough) else s + 0.4), 0.5) for i, s in enumerate(rough)}
    got = acoustic.retime(news_audio, words, times)
    sayable = [w for w in words if pronunciations(w)]  # not the dashes
    assert len(got) >= 0.9 * len(sayable)
    err = np.abs([got[i][0] - starts[i] for i in got])
    assert np.median(err) <= 0.03
    assert np.percentile(err, 90) <= 0.06
    assert all(got[i][2] == 0.5 for i in got)  # Whisper's probability is kept


def test_a_window_over_other_speech_keeps_whisper_times(news_audio):
    words, starts = first_sentences(10)
    # Whisper's times as if the words were said 3 s later than they are: the audio there is
    # another sentence, and whatever the aligner makes of it is not believed.
    times = {i: WordTime(s + 3.0, s + 3.3, 0.5) for i, s in enumerate(starts)}
    group = Group(tuple(range(10)), starts[0] + 2.7, starts[-1] + 3.6)
    got = acoustic.retime_group(news_audio.read(group.start, group.end), group, words, times)
    assert len(got) <= 2


def test_audio_cut_inside_the_last_word_gives_nothing_wrong(news_audio):
    words, starts = first_sentences(10)  # "They publish videos ... martial music."
    times = {i: WordTime(s, s + 0.3, 0.5) for i, s in enumerate(starts)}
    group = Group(tuple(range(10)), starts[0] - 0.3, starts[-1] + 0.1)  # "music" cut short
    got = acoustic.retime_group(news_audio.read(group.start, group.end), group, words, times)
    assert all(abs(got[i][0] - starts[i]) <= 0.06 for i in got)


@pytest.mark.model
def test_the_audit_times_its_cues_acoustically_too(monkeypatch):
    from aligner.auditing.run import audit

    from ..helpers import FIXTURES as FX

    seen: list[int] = []
    real = acoustic.retime

    def spy(audio, words, times, *args, **kwargs):
        out = real(audio, words, times, *args, **kwargs)
        seen.append(len(out))
        return out

    monkeypatch.setattr(acoustic, "retime", spy)
    report = audit(FX / "real" / "jfk.flac", FX / "real" / "jfk.srt")
    assert seen and seen[0] >= 15  # the cues' 22 words, re-timed on their audio
    assert not [f for f in report.findings if f.severity == "error"]


def test_fit_prefers_what_was_said_with_no_language_to_help():
    """The audit's third opinion: a swapped word fits the sound worse, and a name said as
    written fits better than the recogniser's fluent guess for it."""
    jfk = media.load_audio(FIXTURES / "real" / "jfk.flac")[int(3.0 * 16000):int(7.9 * 16000)]
    said = acoustic.fit(jfk, "ask not what your country can do for you".split())
    swapped = acoustic.fit(jfk, "ask not what your country can do for me".split())
    assert said is not None and swapped is not None and said - swapped > 100
    # no path through them all: it cannot be said in 0.1 s
    assert acoustic.fit(jfk[:1600], "ask not what your country can do for you".split()) is None


def test_fit_clears_a_name_said_as_written(news_audio):
    clip = news_audio.read(39.2, 43.8)
    heard = "scale advance into the Belgorod region, this time into the {} region.".format
    assert acoustic.fit(clip, heard("Shebekino").split()) - acoustic.fit(clip, heard("Shabaki").split()) > 60


def test_a_group_is_timed_the_same_whatever_was_aligned_before(news_audio):
    """Each alignment starts afresh (``_forget``): the groups aligned in reverse order, or
    shared with the sidecar process, give the same times to the millisecond."""
    words, starts = first_sentences(33)
    times = {i: WordTime(s, (starts[i + 1] if i + 1 < len(starts) else s + 0.4), 0.5) for i, s in enumerate(starts)}
    groups = acoustic.plan_groups(times, news_audio.duration, acoustic.AcousticOptions(max_group=3.0))
    assert len(groups) >= 4

    def each(order):
        out = {}
        for g in order:
            out.update(acoustic.retime_group(news_audio.read(*g.span), g, words, times))
        return out

    forwards = each(groups)
    assert forwards and each(reversed(groups)) == forwards


def test_the_sidecar_takes_a_share_of_the_groups_and_changes_nothing(news_audio, monkeypatch):
    words, starts = first_sentences(33)
    times = {i: WordTime(s, (starts[i + 1] if i + 1 < len(starts) else s + 0.4), 0.5) for i, s in enumerate(starts)}
    opts = acoustic.AcousticOptions(max_group=3.0)
    monkeypatch.setattr(acoustic.sidecar, "get", lambda: None)
    alone = acoustic.retime(news_audio, words, times, opts)
    monkeypatch.undo()

    helper = Sidecar()
    calls = []
    real_receive = helper.receive

    def counted():
        calls.append(1)
        return real_receive()

    monkeypatch.setattr(helper, "receive", counted)
    monkeypatch.setattr(acoustic.sidecar, "get", lambda: helper)
    try:
        shared = acoustic.retime(news_audio, words, times, opts)
    finally:
        helper.close()
    assert calls  # the sidecar aligned some groups
    assert shared == alone


def test_groups_retimed_ahead_are_taken_where_they_match_and_change_nothing(news_audio, monkeypatch, caplog):
    """``Ahead``: the sidecar re-times the groups of the words known early (a guided hearing's
    sure chunks, which end in pauses); ``retime`` takes those it plans again alike and
    re-times the rest."""
    words, starts = first_sentences(33)
    nexts = [*starts[1:], starts[-1] + 0.5]
    times = {i: WordTime(s, min(n - 0.05, s + 0.45), 0.5) for i, (s, n) in enumerate(zip(starts, nexts))}
    opts = acoustic.AcousticOptions(max_group=3.0)
    groups = plan_groups(times, news_audio.duration, opts)
    cut = next(k for k in range(2, len(groups))
               if times[groups[k].indices[0]].start - times[groups[k - 1].indices[-1]].end >= opts.pause)
    early = {i: times[i] for g in groups[:cut] for i in g.indices}  # the rest was still being heard
    moved = groups[0].indices[1]  # and one word was timed again later: its group must not be taken
    early[moved] = WordTime(times[moved].start + 0.05, times[moved].end, 0.5)
    monkeypatch.setattr(acoustic.sidecar, "get", lambda: None)
    alone = acoustic.retime(news_audio, words, times, opts)
    monkeypatch.undo()

    helper = Sidecar()
    monkeypatch.setattr(acoustic.sidecar, "get", lambda: helper)
    caplog.set_level("DEBUG", logger="aligner.timing.acoustic")
    try:
        with acoustic.Ahead(news_audio, words, opts) as ahead:
            ahead.start(early)
            assert ahead.wait(60)  # as while Whisper decodes the chunks it was unsure of
            shared = acoustic.retime(news_audio, words, times, opts, ahead=ahead)
    finally:
        helper.close()
    taken = [r.getMessage() for r in caplog.records if "taken as re-timed ahead" in r.getMessage()]
    assert taken == [f"{cut - 1} of {len(groups)} groups taken as re-timed ahead"]
    assert shared == alone


def test_a_stray_word_that_keeps_the_paths_order_was_laid_across_a_pause_by_whisper():
    # Whisper put a speaker's first word before the pause in front of it (0.64 s early); the
    # aligner, whose path holds every word in order, put it after the pause: believed.
    whisper = [46.22, 46.43, 46.96, 47.89, 47.99]
    acoustic_ = [46.25, 46.45, 47.60, 47.90, 48.02]
    assert trusted(whisper, acoustic_) == [True] * 5
    # a group of two with one stray word is not thrown out whole
    assert trusted([1.0, 2.0], [1.05, 2.7]) == [True, True]


def test_a_group_with_no_path_is_tried_again_one_side_at_a_time():
    from aligner.timing.acoustic import _retries

    g = Group((0, 1, 2), 10.0, 12.0, (8.7, 13.3))
    assert _retries(g) == [(10.0, 13.3), (8.7, 12.0), (8.7, 13.3)]
    assert _retries(Group((0,), 10.0, 12.0)) == []


def test_words_of_other_languages_are_spelled_by_their_own_lexicon():
    from aligner.timing import phones

    [entry] = phones.pronunciations("Schlegel", "de")
    assert entry == "schlegel@de" and phones.SPELLED[entry] == "SH L EY G EY L"
    assert phones.foreign_phones("cuñada", "es") == "K UW N Y AA D AA"  # ñ as N Y
    assert phones.foreign_phones("soixante", "fr") == "S W AA S AA T"  # the nasal vowel by its vowel
    assert phones.in_lexicon("referirte", "es") and not phones.in_lexicon("capundas", "es")


def test_homophones_are_said_alike_and_near_ones_are_not():
    from aligner.timing.phones import said_alike

    assert said_alike(["psalters,"], ["salters"], "en") and said_alike(["1462."], ["fourteen", "sixty-two"], "en")
    assert not said_alike(["Schoeffer"], ["Schoffer"], "en") and not said_alike(["fourteen"], ["forty"], "en")
    assert said_alike(["mehr"], ["Meer"], "de") and said_alike(["vert"], ["verre"], "fr")
    # mapped onto the en-us phones, "cuñada" and "coñada" differ by a vowel; gruut's own phonemes too
    assert not said_alike(["cuñada"], ["coñada"], "es") and not said_alike(["le"], ["la"], "fr")
    assert not said_alike(["Kyiv"], ["Kiev"], "uk")  # a language with no lexicon: nothing is known
