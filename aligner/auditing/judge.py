"""Each cue judged: its checks in order of what they explain, the first that explains it wins.

Language and shift first (``early_verdict``, worked out for every cue before any is judged, so
that ``text.plan_hearings`` knows which cues will be heard again); then, for a cue whose words
were found, its text; for one whose words were not, whether they are spoken elsewhere, over no
speech, over speech in another language (a translation), or over other words.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from .coverage import check_extra, find_elsewhere
from .gather import CueEvidence
from .hearings import Hearings
from .inputs import AuditInputs, Matches
from .language import check_language, language_under
from .sync import Sync
from .text import check_text, text_over_other_words
from .timing import check_shift, moved, shown_at
from .verdict import Verdict

__all__ = ["check_unheard", "early_verdict", "judge_cue"]

log = logging.getLogger(__name__)


def early_verdict(inputs: AuditInputs, ev: CueEvidence, sync: Sync) -> Verdict | None:
    """What explains a cue before anything is heard again: its language, then, when its words
    were found, a shift. Worked out for every cue before any is judged (``plan_hearings``)."""
    verdict = check_language(inputs, ev, shown_at(inputs, ev, sync))
    if verdict is None and ev.spoken is not None:
        verdict = check_shift(inputs, ev, sync)
    return verdict


def judge_cue(inputs: AuditInputs, matches: Matches, hearings: Hearings, ev: CueEvidence, sync: Sync,
              early: Verdict | None) -> Verdict:
    """The checks in order of what they explain: language and shift (``early``, from
    ``early_verdict``), text, then what is unheard."""
    if early is not None:
        return early
    shown = shown_at(inputs, ev, sync)
    if ev.spoken is not None:
        text = check_text(inputs, matches, hearings, ev, shown)
        return replace(text or Verdict(), covers=(shown,))
    return check_unheard(inputs, matches, hearings, ev, shown)


def check_unheard(inputs: AuditInputs, matches: Matches, hearings: Hearings, ev: CueEvidence,
                  shown: tuple[float, float]) -> Verdict:
    """A cue whose words were not found where it is shown: spoken elsewhere, over no speech,
    over speech in another language (a translation), or over other words."""
    cue = inputs.cues[ev.k]
    a, b = shown
    elsewhere = find_elsewhere(inputs, ev.words, matches.claimed)
    if elsewhere is not None and (elsewhere[0] > b or elsewhere[1] < a):
        return moved(inputs, cue, *elsewhere, a - elsewhere[0])
    extra = check_extra(inputs, ev, shown)
    if extra is not None:
        return extra
    spoken_language = language_under(inputs, hearings, a, b)
    if spoken_language != inputs.subs_language:
        return Verdict(covers=(shown,), translated=spoken_language)
    return text_over_other_words(inputs, matches, hearings, ev, shown)
