"""Published cues checked against a profile's rules, one finding per cue."""

from __future__ import annotations

from aligner.subtitles.profiles import get_profile
from aligner.subtitles.style import check_style
from aligner.subtitles.subtitle_cue import SubtitleCue


def cue(k: int, start: float, end: float, *lines: str) -> SubtitleCue:
    return SubtitleCue(k, start, end, tuple(lines))


def test_a_clean_cue_has_nothing_to_say():
    assert check_style([cue(1, 0.0, 2.0, "Hello there.")], get_profile("netflix"), 25.0) == []


def test_each_rule_is_named_with_its_limit():
    prof = get_profile("netflix")
    cues = [
        cue(1, 0.0, 1.0, "A line much too long for any screen, well past forty-two characters"),
        cue(2, 1.0, 1.4, "Short."),  # no gap after cue 1, and under the minimum duration
        cue(3, 1.3, 9.5, "Overlapping and", "too long", "on three lines"),
    ]
    issues = check_style(cues, prof, 25.0)
    text = {i.cue: i.detail for i in issues}
    assert "line of 67 characters (at most 42)" in text[1] and "reading speed" in text[1]
    assert "gap of 0 ms to the next cue (at least 2 frames)" in text[1]
    assert "on screen 0.40 s" in text[2] and "overlaps the next cue by 0.10 s" in text[2]
    assert "3 lines (at most 2)" in text[3] and "on screen 8.20 s (at most 7 s)" in text[3]


def test_cues_just_off_a_shot_change_are_named_when_cuts_are_known():
    prof = get_profile("netflix")
    cues = [
        cue(1, 2.48, 6.68, "In 5 frames before the cut at 2.68."),
        cue(2, 6.76, 10.96, "Out 2 frames before 11.04: fine."),
        cue(3, 11.16, 14.44, "In 3 frames after the cut at 11.04."),
        cue(4, 14.72, 18.88, "On the cut, out 4 frames before."),
    ]
    cuts = [2.68, 11.04, 14.72, 19.04]
    text = {i.cue: i.detail for i in check_style(cues, prof, 25.0, cuts)}
    assert text == {1: "in-time 5 frame(s) before a shot change",
                    3: "in-time 3 frame(s) after a shot change",
                    4: "out-time 4 frame(s) before a shot change"}
    assert check_style(cues, prof, 25.0) == []  # without the cuts, nothing to say
