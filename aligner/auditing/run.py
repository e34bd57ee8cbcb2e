"""``audit()``: published subtitles checked against what the audio says.

Each cue is found in the audio the way ``align`` finds transcript words (recognition, then
matching and forced alignment of the cue's own text), so the checks compare like with like.
The evidence is gathered first, one frozen ``CueEvidence`` per cue (where it is spoken, how its
text scores against what the model hears there, its language: ``gather``); then each kind of
check is one function that reads evidence and returns findings or a verdict: the file's timing
and each cue's shift (``timing``), its language (``language``), its text (``text``), what is
unheard and what is uncovered (``coverage``), cues over speech in another language
(``translation``), in the order ``judge`` runs them.

Every check reads two values made once, before any runs: the inputs (``inputs.AuditInputs``:
the audio, its recognition, the cues, the languages, the options) and where the cues' words
were found (``inputs.Matches``). What the checks hear again is kept in ``hearings.Hearings``,
the one place they run the model. This module only wires them together.

Text verdicts rest on likelihoods, not spelling (see ``evidence``): the published words and the
recogniser's own words are both scored, teacher-forced, on the same encoded audio (the windows
that time the cue's words, so no extra encoder pass), and a passage is a mismatch only when the
heard words are more probable by ``AuditOptions.text_margin`` nats. Cues over speech in another
language (a translated clip, or a translated quote inside a same-language report) are checked
against the speech's timing and against Whisper's judgement of how well the text translates
that stretch of audio.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..hearing.encodings import Encodings
from ..hearing.options import whisper_language
from ..hearing.recognition import encodings_for
from ..hearing.session import Progress, opened
from ..runtime import media as media_mod
from ..runtime import shots as shots_mod
from ..runtime.model import DEFAULT_MODEL, ModelSpec
from ..subtitles.labels import cue_speakers
from ..subtitles.profiles import Profile, get_profile
from ..subtitles.published import read_subtitles
from ..subtitles.style import check_style
from ..subtitles.subtitle_cue import SubtitleCue
from ..text.languages import detect_text_language
from ..text.transcript import Transcript
from ..timing import acoustic
from ..timing.whisper import whisper_languages
from ..voices.cues import wrong_speaker
from ..voices.model import VoiceModel
from ..voices.options import VoiceOptions
from ..voices.types import CueVoice, WrongSpeaker
from .coverage import missing_subtitles
from .findings import KINDS, SEVERITY, AuditReport, Finding, finding
from .gather import CueEvidence, find_cues, gather_evidence
from .hearings import Hearings
from .inputs import AuditInputs, audit_inputs
from .judge import early_verdict, judge_cue
from .options import AuditOptions
from .text import plan_hearings
from .timing import estimate_sync, sync_findings
from .transcript import transcript_findings
from .translation import Translations
from .words import cue_words

__all__ = ["KINDS", "SEVERITY", "AuditOptions", "AuditReport", "CueEvidence", "Finding", "audit", "audit_audio",
           "cue_words"]

log = logging.getLogger(__name__)


def audit(
    media: str | Path,
    subtitles: str | Path,
    *,
    transcript: str | Path | Transcript | None = None,
    model: str | ModelSpec = DEFAULT_MODEL,
    device: str = "cpu",
    compute_type: str = "default",
    threads: int = 0,
    language: str | None = None,
    profile: Profile | str = "netflix",
    options: AuditOptions | None = None,
    shot_changes: str | Path | None = "auto",
    speakers: bool = False,
    voice_options: VoiceOptions | None = None,
    progress: Progress | None = None,
) -> AuditReport:
    """Find every cue that is not what is spoken, not where it is spoken, or not there at all.

    ``model`` is a :class:`~aligner.runtime.model.ModelSpec`, or a model's name with
    ``device``, ``compute_type`` and ``threads`` beside it; ``options`` holds every margin and
    threshold of the checks (:class:`~aligner.auditing.options.AuditOptions`); ``shot_changes``
    (``"auto"``: found in the video, ``"off"``, or a file of cut times) lets the style checks
    report cues that start or end just off a cut. ``speakers`` checks the cues' speaker labels
    against the voices (``wrong_speaker``; needs the ``voices`` extra, ``voice_options`` its
    numbers)."""
    voice_options = voice_options or VoiceOptions()
    voice_model = VoiceModel(voice_options) if speakers else None  # a missing extra: one line, before any work
    spec = model if isinstance(model, ModelSpec) else ModelSpec(model, device, compute_type, threads)
    opts = options or AuditOptions()
    language = whisper_language(language) if language is not None else None
    info = media_mod.probe(media)
    cues = read_subtitles(subtitles, fps=info.fps)
    script = None
    if transcript is not None:
        from ..text import transcript as transcript_mod

        script = transcript if isinstance(transcript, Transcript) else transcript_mod.load(transcript)
    prof = get_profile(profile) if isinstance(profile, str) else profile
    cuts = shots_mod.shot_changes(shot_changes, media, info, prof.fps)
    subs_language = detect_text_language(" ".join(c.text for c in cues))
    if subs_language is not None:  # the acoustic aligner (and its sidecar) made ready while the audio is heard
        threading.Thread(target=acoustic.prepare, args=(subs_language,), name="acoustic-prepare", daemon=True).start()
    with opened(media, spec, info) as session:
        # Heard by recognition's one pass over chunks of speech, each encoded once, for itself:
        # ``align``'s hearing leans on the transcript (``guided``). Right after ``align`` in
        # this process the chunks' encodings are read, not made; the subtitles' alignment
        # reads them too.
        rec = session.hear(language, progress=progress)
        inputs = audit_inputs(session.audio, rec, cues, subs_language, opts, whisper_languages(session.model))
        report = audit_audio(inputs, session.model, encodings=encodings_for(session.key(language), rec),
                             progress=progress)
    extra = list(report.findings)
    if script is not None:
        extra += transcript_findings(cues, script, report.subtitles_language or report.audio_language, opts)
    extra += [finding("style", cue=i.cue, start=i.start, end=i.end, detail=i.detail,
                      published=cues[i.cue - 1].text if 0 < i.cue <= len(cues) else "")
              for i in check_style(cues, prof, info.fps, cuts)]
    if voice_model is not None:
        samples = media_mod.load_audio(media, info)
        voices = spoken_voices(cues, report.corrected)
        extra += speaker_findings(cues, wrong_speaker(voices, samples, voice_model, voice_options))
    extra.sort(key=lambda f: (f.start, KINDS.index(f.kind)))
    return replace(report, subtitles=str(subtitles), findings=tuple(extra),
                   warnings=script.warnings if script is not None else (), shot_changes=tuple(cuts))


def audit_audio(inputs: AuditInputs, model: Any, *, encodings: Encodings | None = None,
                progress: Progress | None = None) -> AuditReport:
    """The audit of one heard file, before the transcript and style checks: the cues found in
    the audio, the evidence gathered, the file's timing estimated, each cue judged (cues over
    speech in another language as soon as their neighbours are), then the speech no cue
    covers. ``model`` is the file's Whisper model (the second hearings' too); ``encodings``
    recognition's encoded chunks, read again by the cues' alignment."""
    opts, cues, duration = inputs.options, inputs.cues, inputs.audio.duration
    hearings = Hearings(model, inputs.audio, inputs.norm_language, opts)
    matches, disputes = find_cues(inputs, hearings, encodings,
                                  progress=(lambda t: progress("timing", t, duration)) if progress else None)
    evidence = gather_evidence(inputs, matches, disputes)
    sync = estimate_sync(inputs, evidence)
    findings = sync_findings(sync, duration, opts)
    corrected = [(sync.to_spoken(c.start), sync.to_spoken(c.end)) for c in cues]
    worded = set(inputs.owner)
    covered = [corrected[k] for k in range(len(cues)) if k not in worded]  # sound descriptions
    translations = Translations(inputs, hearings)
    early = {ev.k: early_verdict(inputs, ev, sync) for ev in evidence}
    hearings.plan(plan_hearings(inputs, evidence, sync, early))
    for ev in evidence:
        verdict = judge_cue(inputs, matches, hearings, ev, sync, early[ev.k])
        findings.extend(verdict.findings)
        covered.extend(verdict.covers)
        if verdict.corrected is not None:
            corrected[ev.k] = verdict.corrected
        if verdict.translated is not None:
            translations.add(ev.k, verdict.translated)
        translations.run_settled(ev.k, corrected)
    translations.finish(corrected)
    findings.extend(translations.findings)
    for k, span in translations.moved.items():
        corrected[k] = span
        covered.append(span)
    findings.extend(missing_subtitles(inputs, matches, covered))
    return AuditReport(
        media=inputs.audio.source, subtitles="", audio_language=inputs.audio_language,
        subtitles_language=inputs.subs_language, duration=duration, cues=cues, sync=sync, findings=tuple(findings),
        speech=inputs.rec.speech, corrected=tuple(corrected),
    )


def spoken_voices(cues: Sequence[SubtitleCue], spoken: Sequence[tuple[float, float]]) -> list[CueVoice]:
    """Each cue where its speech is (``spoken``: the audit's corrected times, its published ones
    when there are none) with its speaker (``published.cue_speakers``: a turn's label carried
    onto its following cues)."""
    times = list(spoken) if len(spoken) == len(cues) else [(c.start, c.end) for c in cues]
    return [CueVoice(start, end, label) for (start, end), label in zip(times, cue_speakers(cues))]


def speaker_findings(cues: Sequence[SubtitleCue], found: Sequence[WrongSpeaker]) -> list[Finding]:
    """A ``wrong_speaker`` finding a cue, its evidence (the two similarities) in the detail;
    confidence the similarities' margin."""
    out = []
    for w in found:
        cue = cues[w.index]
        log.debug("cue %d: wrong_speaker, %s", cue.index, w.message)
        out.append(finding("wrong_speaker", cue=cue.index, start=w.start, end=w.end, published=cue.text,
                           detail=w.message, confidence=w.similarity - w.own,
                           published_start=cue.start, published_end=cue.end))
    return out
