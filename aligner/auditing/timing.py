"""Timing checks: the file's offset and drift, and cues shown away from their words.

The file-level model (``sync``) is estimated first, from the cues whose words were clearly
heard; each cue is then judged only on what is left after it (``shown_at``), so a shifted file
is one ``global_offset``, not a ``timing_offset`` on every cue.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from ..subtitles.subtitle_cue import SubtitleCue
from ..text.textnorm import spoken_tokens
from .coverage import utterances
from .findings import Finding, finding
from .gather import CueEvidence
from .inputs import AuditInputs
from .options import FRAME_RATE_MISMATCHES, AuditOptions
from .sync import Sync, fit_sync, refine_by_onsets, sync_by_activity
from .verdict import Verdict

__all__ = ["check_shift", "estimate_sync", "moved", "moved_together", "shown_at", "sync_findings"]

log = logging.getLogger(__name__)


def estimate_sync(inputs: AuditInputs, evidence: Sequence[CueEvidence]) -> Sync:
    """Offset and drift from well-heard cues when there are enough, spread over the file;
    else, for translated speech, from when cues are shown against when there is voice. An
    offset that the anchors do not agree on is no offset."""
    opts, cues, duration = inputs.options, inputs.cues, inputs.audio.duration
    anchors = [e for e in evidence if e.spoken is not None and e.ratio >= opts.anchor_ratio and len(e.words) >= 2]
    onsets = [e.spoken[0] for e in anchors if e.spoken is not None]
    span = (max(onsets) - min(onsets)) if onsets else 0.0
    if len(anchors) >= opts.min_anchors and span >= opts.min_anchor_spread * duration:
        sync = fit_sync(onsets, [cues[e.k].start for e in anchors])
    elif len(anchors) >= opts.few_anchors or len(cues) < opts.min_anchors:
        log.debug("sync: %d anchors over %.0f s, too few or too bunched: no file-level offset", len(anchors), span)
        return Sync()
    else:
        sync = sync_by_activity([(c.start, c.end) for c in cues], inputs.rec.speech, duration)
        sync = refine_by_onsets(sync, [c.start for c in cues], [u[0] for u in utterances(inputs.rec.speech)])
    if sync.spread > opts.max_offset_spread:
        log.debug("sync: anchors disagree (residual spread %.3f s over %d cues): no file-level offset",
                  sync.spread, sync.cues_used)
        return Sync(cues_used=sync.cues_used, spread=sync.spread)
    # What the anchors cannot tell from their own scatter is not there.
    offset = sync.offset if abs(sync.offset) >= 2 * sync.spread else 0.0
    drift = sync.drift if abs(sync.drift) * duration >= 2 * sync.spread else 0.0
    if (offset, drift) != (sync.offset, sync.drift):
        log.debug("sync: offset %.3f s / drift %.0f ppm within the anchors' spread %.3f s: dropped",
                  sync.offset, sync.drift_ppm, sync.spread)
    return replace(sync, offset=offset, drift=drift)


def sync_findings(sync: Sync, duration: float, opts: AuditOptions) -> list[Finding]:
    """The file-level findings: a global offset, and a drift named by the frame rates it matches."""
    out = []
    basis = f"from {sync.cues_used} cues, residual spread {sync.spread:.2f} s"
    if abs(sync.offset) >= opts.report_offset:
        severity = "error" if abs(sync.offset) >= opts.error_offset else "warning"
        out.append(finding("global_offset", severity=severity,
                           cue=None, start=0.0, end=duration,
                           detail=f"every cue is shown {abs(sync.offset):.3f} s "
                                  f"{'late' if sync.offset > 0 else 'early'} ({basis})"))
    effect = abs(sync.drift) * duration
    if effect >= opts.report_drift:
        ratio = 1 + sync.drift
        hint = ""
        for a, b in FRAME_RATE_MISMATCHES:
            if abs(ratio - a / b) < opts.fps_ratio_tolerance:
                hint = f"; the ratio of {a:g} vs {b:g} fps"
        out.append(finding("drift", severity="error" if effect >= opts.error_offset else "warning", cue=None, start=0.0,
                           end=duration, detail=f"cue times drift by {sync.drift_ppm:+.0f} ppm "
                                                f"({effect:.2f} s over the file, {basis}){hint}"))
    return out


def shown_at(inputs: AuditInputs, ev: CueEvidence, sync: Sync) -> tuple[float, float]:
    """Where a cue is shown, in the audio's time (the file's offset and drift undone)."""
    cue = inputs.cues[ev.k]
    return (sync.to_spoken(cue.start), sync.to_spoken(cue.end))


def check_shift(inputs: AuditInputs, ev: CueEvidence, sync: Sync) -> Verdict | None:
    """A cue shown away from where its words are spoken, beyond the file's own offset. Both
    ends must have moved, the same way and the end at least ``end_agreement`` as far as the
    start (``moved_together``): a start alone can be off by one misplaced word, and an end
    left on screen after the last word (as ``align`` leaves it) is no move."""
    if ev.spoken is None or sum(len(spoken_tokens(w, inputs.norm_language)) for w in ev.words) < \
            inputs.options.elsewhere_min_tokens:
        return None  # "Right", "Yeah": said all over, too common to be placed by their words
    cue, (s0, s1) = inputs.cues[ev.k], ev.spoken
    threshold = inputs.options.offset_threshold
    residual = cue.start - sync.to_published(s0)
    residual_end = cue.end - sync.to_published(s1) - inputs.options.end_slack
    if abs(residual) > threshold and moved_together(residual, residual_end, threshold, inputs.options.end_agreement):
        log.debug("cue %d: timing_offset, shown %.2f s from its words", cue.index, residual)
        return moved(inputs, cue, s0, s1, residual)
    return None


def moved_together(start: float, end: float, threshold: float, agreement: float) -> bool:
    """Whether a cue's end moved with its start: the same way, by more than half the
    threshold and by at least ``agreement`` of the start's move. A cue shown 2.5 s late has
    both ends some 2.5 s late; one whose first word was laid 2.4 s early, across a pause,
    has an end that trails its last word by its usual lead-out (0.45 s on the real panel)."""
    return start * end > 0 and abs(end) > max(threshold / 2, agreement * abs(start))


def moved(inputs: AuditInputs, cue: SubtitleCue, s0: float, s1: float, residual: float) -> Verdict:
    """A ``timing_offset``: the cue's words are spoken at [s0, s1], ``residual`` seconds from
    where it is shown; --fix moves it there, its length kept."""
    f = finding("timing_offset", cue=cue.index, start=s0, end=s1, published=cue.text, heard=inputs.heard_text(s0, s1),
                detail=f"shown {abs(residual):.2f} s {'after' if residual > 0 else 'before'} its words are spoken",
                published_start=cue.start, published_end=cue.end)
    return Verdict((f,), corrected=(s0, s0 + (cue.end - cue.start)), covers=((s0, s1),))
