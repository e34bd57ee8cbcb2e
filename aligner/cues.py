"""Timed words to subtitle cues under a profile: pure, testable without audio.

Cue breaks are chosen for the whole turn at once (dynamic programming) rather than
greedily, so a cue ends at a sentence or clause where one is near, never on "the" or
"of", and no cue breaks a hard limit (lines, characters, duration). Times then follow
the speech: in on the first audible frame, out a little after speech ends.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .profiles import Profile

__all__ = ["Cue", "TimedWord", "break_lines", "build_cues", "label_text"]


@dataclass(frozen=True)
class TimedWord:
    index: int  # position among the transcript's words
    text: str
    start: float
    end: float
    heard: bool
    probability: float
    turn: int
    speaker: str | None
    sentence_end: bool = False
    clause_end: bool = False


@dataclass(frozen=True)
class Cue:
    index: int
    start: float
    end: float
    speaker: str | None
    lines: tuple[str, ...]  # the text as shown, speaker label excluded
    words: tuple[TimedWord, ...]
    label: str | None = None  # shown before the first line (first cue of a turn)
    dialogue: bool = False  # two speakers, one per line, each line led by a hyphen

    @property
    def text(self) -> str:
        return " ".join(self.lines)


# Words a line or a cue should not end on: they belong with what follows.
_CLINGY = set(
    "a an the of to in on at by for with from into onto over under about as and or but nor "
    "towards toward across through between against during without within upon near behind "
    "beyond among amid via per what when where why how whether "
    "that which who whom whose if than so my your his her its our their this these those "
    "is are was were be been not no mr mrs ms dr st".split()
)


def label_text(speaker: str | None, style: str) -> str | None:
    """The visible label for a turn's first cue in SRT (SRT has no voice field)."""
    if not speaker or style == "none":
        return None
    if style == "bracket":
        return f"[{speaker}]"
    if style == "colon":
        return f"{speaker.upper()}:"
    if style == "dash":
        return "-"
    raise ValueError(f"unknown label style {style!r}")


def _length(words: Sequence[str]) -> int:
    return sum(len(w) for w in words) + max(0, len(words) - 1)


def _bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word).lower()


def _is_name_pair(left: str, right: str) -> bool:
    """Inside a name ("Free | Russia"): two capitalised words with no punctuation between."""
    return left[:1].isupper() and right[:1].isupper() and left[-1:].isalnum() and len(left) > 1


def break_lines(words: Sequence[str], max_chars: int, max_lines: int = 2,
                prefix: int = 0) -> tuple[tuple[str, ...], float] | None:
    """Best line break for a cue, or None if it cannot fit. Returns (lines, badness).

    One line when it fits; otherwise two balanced lines, bottom longer when unequal,
    broken after punctuation where possible and never after an article or preposition
    nor inside a name. ``prefix`` reserves room on the first line for a speaker label.
    """
    if not words:
        return (), 0.0
    if _length(words) + prefix <= max_chars:
        return (" ".join(words),), 0.0
    if max_lines < 2:
        return None
    best: tuple[tuple[str, ...], float] | None = None
    for k in range(1, len(words)):
        top, bottom = words[:k], words[k:]
        lt, lb = _length(top) + prefix, _length(bottom)
        if lt > max_chars:
            break
        if lb > max_chars:
            if max_lines > 2:
                rest = break_lines(bottom, max_chars, max_lines - 1)
                if rest is None:
                    continue
                lines, bad = (" ".join(top), *rest[0]), rest[1] + abs(lt - max_chars) / 4
            else:
                continue
        else:
            lines, bad = (" ".join(top), " ".join(bottom)), abs(lt - lb) / 3 + (2 if lt > lb else 0)
        last, nxt = top[-1], bottom[0]
        if re.search(r"[.!?…]['\"»”)]*$", last):
            bad -= 15
        elif re.search(r"[,;:–—]['\"»”)]*$", last) or nxt in ("–", "—", "-"):
            bad -= 10
        if _bare(last) in _CLINGY:
            bad += 15
        elif _bare(nxt) in _CLINGY:
            bad -= 3  # break before a conjunction, preposition or article
        if _is_name_pair(last, nxt):
            bad += 10
        if k == 1 and len(words) >= 4 and not re.search(r"[.!?,;:–—]['\"»”)]*$", last):
            bad += 8  # a lone word on the top line reads as a fragment
        if best is None or bad < best[1]:
            best = (lines, bad)
    return best


def _break_cost(words: Sequence[TimedWord], i: int) -> float:
    """Cost of ending a cue after words[i]."""
    w = words[i]
    if i == len(words) - 1:
        return 0.0
    gap = words[i + 1].start - w.end
    cost = 0.0 if w.sentence_end else 3.0 if w.clause_end else 8.0
    if _bare(w.text) in _CLINGY:
        cost += 12.0
    if _is_name_pair(w.text, words[i + 1].text):
        cost += 8.0
    return cost - min(gap, 1.0) * 4.0  # a pause is a natural place to cut


def _segment(words: Sequence[TimedWord], profile: Profile, prefix: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """Split one turn's words into cues: [(first, stop, lines)]."""
    n = len(words)
    max_words = 40
    best = [math.inf] * (n + 1)
    back: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = 0.0
    texts = [w.text for w in words]
    for i in range(1, n + 1):
        for j in range(max(0, i - max_words), i):
            if best[j] == math.inf:
                continue
            span = words[i - 1].end - words[j].start
            fixed = j == 0
            if span > profile.max_duration and i - j > 1:
                continue
            if any(words[k + 1].start - words[k].end >= profile.max_pause for k in range(j, i - 1)):
                continue
            fit = break_lines(texts[j:i], profile.max_chars, profile.max_lines, prefix if fixed else 0)
            if fit is None:
                if i - j == 1:  # a single word longer than a line: show it anyway
                    fit = ((texts[j],), 50.0)
                else:
                    continue
            lines, badness = fit
            chars = sum(len(x) for x in lines)
            shown = max(span + profile.frames(profile.max_lead_out_frames), profile.min_duration)
            cps = chars / shown
            # A cue that finishes one sentence and starts another it does not finish
            # makes the reader hold two thoughts at once.
            straddles = any(words[k].sentence_end for k in range(j, i - 1)) and not words[i - 1].sentence_end
            cost = (
                best[j]
                + _break_cost(words, i - 1)
                + (10.0 if straddles else 0.0)
                + badness * 0.3
                + 4.0  # each cue has a cost: prefer full cues to many small ones
                + max(0.0, cps - profile.max_cps) * 3.0
                + (6.0 if span < profile.min_duration else 0.0)
            )
            if cost < best[i]:
                best[i] = cost
                back[i] = (j, lines)
    out: list[tuple[int, int, tuple[str, ...]]] = []
    i = n
    while i > 0:
        j, lines = back[i]  # type: ignore[misc]
        out.append((j, i, lines))
        i = j
    return out[::-1]


def build_cues(
    words: Sequence[TimedWord],
    profile: Profile,
    *,
    fps: float | None = None,
    label_style: str = "bracket",
    dialogue: bool = False,
) -> list[Cue]:
    """Cut timed words (heard ones, in order) into cues and time them."""
    fps = fps or profile.fps
    frame = 1.0 / fps
    turns: list[list[TimedWord]] = []
    for w in words:
        if turns and turns[-1][0].turn == w.turn:
            turns[-1].append(w)
        else:
            turns.append([w])
    raw: list[Cue] = []
    for turn_words in turns:
        speaker = turn_words[0].speaker
        label = label_text(speaker, label_style)
        prefix = len(label) + 1 if label else 0
        for n, (a, b, lines) in enumerate(_segment(turn_words, profile, prefix)):
            ws = tuple(turn_words[a:b])
            raw.append(Cue(0, ws[0].start, ws[-1].end, speaker, lines, ws, label if n == 0 else None))
    if dialogue:
        raw = _merge_dialogue(raw, profile)
    return _time(raw, profile, frame)


def _merge_dialogue(cues: list[Cue], profile: Profile) -> list[Cue]:
    """Two short cues of different speakers, close together, become one two-line cue."""
    out: list[Cue] = []
    for cue in cues:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.dialogue
            and prev.speaker != cue.speaker
            and len(prev.lines) == 1
            and len(cue.lines) == 1
            and len(prev.lines[0]) + 1 <= profile.max_chars
            and len(cue.lines[0]) + 1 <= profile.max_chars
            and cue.words[-1].end - prev.words[0].start <= profile.max_duration
            and cue.words[0].start - prev.words[-1].end < 1.0
        ):
            out[-1] = Cue(0, prev.start, cue.end, prev.speaker,
                          (f"-{prev.lines[0]}", f"-{cue.lines[0]}"), prev.words + cue.words,
                          None, dialogue=True)
        else:
            out.append(cue)
    return out


def _time(cues: list[Cue], profile: Profile, frame: float) -> list[Cue]:
    """In-times on the first audible frame, out-times after speech, gaps and minimums kept."""
    gap = profile.min_gap_frames * frame
    starts = [math.floor(max(0.0, c.words[0].start - profile.early_start) / frame + 1e-6) * frame
              for c in cues]
    for k in range(1, len(starts)):  # every cue gets at least one frame on screen
        starts[k] = max(starts[k], starts[k - 1] + frame + gap)
    out: list[Cue] = []
    for k, cue in enumerate(cues):
        start = starts[k]
        speech_end = cue.words[-1].end
        limit = starts[k + 1] - gap if k + 1 < len(cues) else math.inf
        end = speech_end + profile.max_lead_out_frames * frame
        chars = sum(len(x) for x in cue.lines)
        wanted = max(profile.min_duration, chars / profile.max_cps)
        if end - start < wanted:
            end = start + wanted
        if k + 1 < len(cues) and 0 < limit - end < profile.chain_frames * frame:
            end = limit  # a sliver of a gap flickers; close it to the minimum
        # Out-times on frame boundaries like in-times; the limits win over everything.
        end = min(round(end / frame) * frame, start + profile.max_duration, limit)
        end = max(end, start + frame)
        # Whole milliseconds, as subtitle files store them: starts up, ends down, so that the
        # minimum gap survives the rounding.
        start_ms, end_ms = math.ceil(start * 1000 - 1e-6), math.floor(end * 1000 + 1e-6)
        out.append(Cue(k + 1, start_ms / 1000, max(end_ms, start_ms + 1) / 1000, cue.speaker,
                       cue.lines, cue.words, cue.label, cue.dialogue))
    return out
