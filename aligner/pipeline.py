"""``align()``: media and transcript in, timed speaker-labelled cues out.

The stages, in order: media (probe, decode) → recognition (what is said, roughly where;
``guided``: decoded only where the transcript may not be what is said) → transcript (turns
of words) → matching (which words were heard) → timing (every heard word
forced-aligned) → cues (profile rules) → formats. Each stage is a module of its own; this
one only wires them and gathers what the user must be told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

import numpy as np

from .errors import InputError
from .hearing.heard import Recognition
from .hearing.options import RECOGNITION, RecognitionOptions, whisper_language
from .hearing.recognition import encodings_for, heard_in_own_languages
from .hearing.session import Progress, Session, opened
from .options import AlignOptions
from .results import Unheard, Untranscribed, WordTime
from .runtime import media as media_mod
from .runtime import shots as shots_mod
from .runtime.model import DEFAULT_MODEL, ModelSpec
from .runtime.textio import atomic_outputs, write_text_atomic
from .subtitles.cues import Cue, TimedWord, build_cues, too_fast
from .subtitles.formats import render
from .subtitles.profiles import Profile, get_profile
from .subtitles.shots import time_to_shots
from .text import syntax
from .text import transcript as transcript_mod
from .text.languages import detect_text_language
from .text.transcript import Transcript
from .timing import acoustic as acoustic_mod
from .timing.guided import guided_key, hear_guided, heard_again
from .timing.matching import Matching, MatchingOptions, said_elsewhere
from .timing.whisper import TimingOptions, match_text, refine, time_text, whisper_languages
from .voices.checks import check_labels
from .voices.model import VoiceModel
from .voices.options import VoiceOptions
from .voices.turns import label_turns
from .voices.types import VoiceWarning, VoiceWord

__all__ = ["SPEAKER_SOURCES", "Alignment", "Progress", "Unheard", "Untranscribed", "align"]

log = logging.getLogger(__name__)

# Where speaker labels come from: the transcript alone; the voices where it gives none; the
# transcript's, checked against the voices (``align(speakers=…)``, ``--speakers``).
SPEAKER_SOURCES = ("transcript", "voices", "check")


@dataclass(frozen=True)
class Alignment:
    media: str
    transcript_path: str | None
    audio_language: str
    transcript_language: str | None
    model: str
    duration: float
    fps: float | None
    words: tuple[TimedWord, ...]  # every heard transcript word, timed
    cues: tuple[Cue, ...]
    unheard: tuple[Unheard, ...]
    untranscribed: tuple[Untranscribed, ...]
    warnings: tuple[str, ...]
    profile: Profile = field(default_factory=lambda: get_profile())
    label_style: str = "bracket"
    dialogue: bool = False
    shot_changes: tuple[float, ...] = ()  # the picture's cuts, seconds: cue times keep to them

    def recut(self, profile: Profile | None = None, label_style: str | None = None,
              dialogue: bool | None = None, shot_changes: Sequence[float] | None = None) -> Alignment:
        """New cues from the same timed words: no recognition or alignment is redone."""
        profile = profile or self.profile
        label_style = label_style or self.label_style
        dialogue = self.dialogue if dialogue is None else dialogue
        cuts = self.shot_changes if shot_changes is None else tuple(shot_changes)
        cues = _cues(self.words, profile, self.fps, label_style, dialogue, cuts)
        return replace(self, cues=tuple(cues), profile=profile, label_style=label_style, dialogue=dialogue,
                       shot_changes=cuts)

    @property
    def all_warnings(self) -> tuple[str, ...]:
        """The alignment's warnings and, for the cues as now cut, those still too fast to read."""
        return self.warnings + tuple(too_fast(self.cues, self.profile))

    def to_srt(self) -> str:
        return render(self, "x.srt")

    def to_vtt(self) -> str:
        return render(self, "x.vtt")

    def to_json(self) -> str:
        return render(self, "x.json")

    def save(self, path: str | Path, embed_media: bool = False) -> Path:
        """Write in the format the extension names; atomically, so never half a file."""
        path = Path(path)
        write_text_atomic(path, render(self, path, embed_media))
        return path


def _cues(words: Sequence[TimedWord], profile: Profile, fps: float | None, label_style: str, dialogue: bool,
          cuts: Sequence[float]) -> list[Cue]:
    """Cues cut from timed words (``build_cues``), then timed to the picture's shot changes
    (``subtitles.shots``)."""
    cues = build_cues(words, profile, fps=fps, label_style=label_style, dialogue=dialogue)
    return time_to_shots(cues, cuts, profile, fps)


def _unheard_passages(transcript: Transcript, spans, times: dict[int, WordTime]) -> list[Unheard]:
    words = transcript.words
    out = []
    for span in spans:
        before = [times[i][1] for i in range(span.first) if i in times]
        turn = transcript.turns[words[span.first].turn]
        out.append(Unheard(" ".join(w.text for w in words[span.first:span.stop]), turn.speaker,
                           before[-1] if before else 0.0))
    return out


def voiced_span(speech, start: float, end: float) -> tuple[float, float]:
    """[start, end] trimmed to the voice in it: recognised words are spread over their whole
    segment, which may open with the silence before the speech (or the tail of the speech
    before it: a region overlapping by less than 0.3 s is not this passage's)."""
    inside = [(a, b) for a, b in speech if min(b, end) - max(a, start) >= min(0.3, (end - start) / 2)]
    if not inside:
        return start, end
    return max(start, inside[0][0]), min(end, inside[-1][1])


def _untranscribed_speech(model, audio: media_mod.DecodedAudio, rec: Recognition, spans, audio_language: str,
                          opts: RecognitionOptions = RECOGNITION) -> list[Untranscribed]:
    """Name the language of each untranscribed passage from its sound, not its (possibly
    mis-)recognised text, and hear it again in that language when it differs (passages close
    together first as one: ``recognition.heard_in_own_languages``)."""
    voiced = [voiced_span(rec.speech, rec.words[s.first].start, rec.words[s.stop - 1].end) for s in spans]
    # over sound the voice detector did not call voice, words the transcript lacks are most
    # often the recogniser's on music ("I'm gonna go back to the next video."): not reported
    kept = [k for k, (a, b) in enumerate(voiced) if rec.detected_between(a, b) >= 0.5 * rec.speech_between(a, b)]
    for k in set(range(len(spans))) - set(kept):
        log.debug("%.1f-%.1f s: words heard over sound the voice detector missed, not reported", *voiced[k])
    spans, voiced = [spans[k] for k in kept], [voiced[k] for k in kept]
    out = []
    for members, language, heard in heard_in_own_languages(model, audio, voiced, audio_language, opts):
        text = " ".join(w.text for k in members for w in rec.words[spans[k].first:spans[k].stop])
        out.append(Untranscribed(float(voiced[members[0]][0]), float(voiced[members[-1]][1]), heard or text, language))
    return out


def align(
    media: str | Path,
    transcript: str | Path | Transcript,
    *,
    model: str | ModelSpec = DEFAULT_MODEL,
    device: str = "cpu",
    compute_type: str = "default",
    threads: int = 0,
    language: str | None = None,
    narrator: str | None = None,
    profile: Profile | str = "netflix",
    label_style: str = "bracket",
    dialogue: bool = False,
    acoustic: bool = True,
    shot_changes: str | Path | Sequence[float] | None = "auto",
    speakers: str = "transcript",
    options: AlignOptions | None = None,
    voice_options: VoiceOptions | None = None,
    progress: Progress | None = None,
) -> Alignment:
    """Time every word of an edited transcript against a recording and cut subtitles.

    ``model`` is a :class:`~aligner.runtime.model.ModelSpec`, or a model's name with
    ``device``, ``compute_type`` and ``threads`` beside it. ``acoustic`` re-times words with an
    acoustic aligner where the language has one (see :mod:`aligner.timing.acoustic`); false
    keeps Whisper's cross-attention times. ``shot_changes`` times cues to the picture's cuts
    (:mod:`aligner.subtitles.shots`): ``"auto"`` finds them in the video (none in audio-only
    media), ``"off"`` ignores them, a path reads them from a file, a list gives them in
    seconds. ``speakers`` says where speaker labels come from (``SPEAKER_SOURCES``):
    ``"transcript"`` only; ``"voices"``: words the transcript leaves unlabelled get
    ``Speaker 1``, ``Speaker 2``… by voice, with new turns where the voice changes;
    ``"check"``: the transcript's labels checked against the voices, a warning each
    disagreement, and a label change heard elsewhere moved there (``aligner.voices``: both need
    the ``voices`` extra, ``voice_options`` its numbers). ``options`` holds every tuning number,
    by stage (:class:`~aligner.options.AlignOptions`).

    Bad input raises an :class:`~aligner.errors.AlignerError` with a one-line message.
    """
    spec = model if isinstance(model, ModelSpec) else ModelSpec(model, device, compute_type, threads)
    language = whisper_language(language) if language is not None else None
    info = media_mod.probe(media)
    if isinstance(transcript, Transcript):
        script, script_path = transcript, transcript.source
    else:
        script, script_path = transcript_mod.load(transcript, narrator=narrator), str(transcript)
    prof = get_profile(profile) if isinstance(profile, str) else profile
    voice_options = voice_options or VoiceOptions()
    # loaded before any work, so that a missing extra is one line at once, not after the hearing
    voice_model = _voice_model(speakers, voice_options)
    with ThreadPoolExecutor(1, thread_name_prefix="shots") as looking:
        cuts = _shots_ahead(looking, shot_changes, media, info, prof)
        request = _Request(script, script_path, language, prof, label_style, dialogue, acoustic,
                           options or AlignOptions(), progress, cuts.result)

        # The same media, words, model and options were timed before: only the cues are cut anew.
        # The cache holds the transcript's speakers only: the voices' work is done after it, every
        # run, so a result is never served for another ``speakers`` setting.
        key = _alignment_key(media, request, spec)
        cached = _load_alignment(key)
        if cached is not None:
            if progress:
                progress("timing", cached.duration, cached.duration)
            result = replace(cached, media=str(media), transcript_path=script_path).recut(
                request.profile, label_style, dialogue, cuts.result())
        else:
            with opened(media, spec, info, request.options.recognition) as session:
                result = _align_audio(session, request)
            _store_alignment(key, result)
    # This file's own reading (what its cleaning removed), not kept with the words in the cache.
    result = replace(result, warnings=script.warnings + result.warnings)
    if voice_model is None:
        return result
    return _with_voices(result, media_mod.load_audio(media, info), speakers, voice_model, voice_options)


def _shots_ahead(pool: ThreadPoolExecutor, setting: str | Path | Sequence[float] | None, media: str | Path,
                 info: media_mod.MediaInfo, profile: Profile) -> Future:
    """The shot changes ``setting`` asks for, as a future: a list given or a file read at once
    (a bad line stops the run before any work), the video's own found by ffmpeg in ``pool``
    while the audio is heard."""
    done: Future = Future()
    if setting is not None and not isinstance(setting, (str, Path)):
        done.set_result(tuple(sorted(float(t) for t in setting)))
    elif setting is None or str(setting) in ("auto", "off"):
        return pool.submit(shots_mod.shot_changes, setting, media, info, profile.fps)
    else:
        done.set_result(shots_mod.shot_changes(setting, media, info, profile.fps))
    return done


def _voice_model(speakers: str, options: VoiceOptions) -> VoiceModel | None:
    """The speaker model ``speakers`` needs (None for the transcript's labels alone); InputError
    naming the install line when the ``voices`` extra is missing."""
    if speakers not in SPEAKER_SOURCES:
        raise InputError(f"speakers must be one of {', '.join(SPEAKER_SOURCES)}, not {speakers!r}")
    if speakers == "transcript":
        return None
    return VoiceModel(options)


def _with_voices(result: Alignment, samples: np.ndarray, speakers: str, model: VoiceModel,
                 options: VoiceOptions) -> Alignment:
    """``result`` with its speakers from the voices (``voices``), or checked against them
    (``check``: a warning a disagreement, a change heard elsewhere moved there), and its cues
    cut again for the new turns."""
    words = result.words
    given = [w.speaker for w in words]
    heard = [VoiceWord(w.start, w.end, w.speaker) for w in words]
    turns = tuple(w.turn for w in words)
    if speakers == "voices":
        found = label_turns(heard, samples, model, options)
        names = voice_names(given, found.speakers)
        log.debug("voices: %d speaker(s) heard; %d unlabelled word(s) named", found.count,
                  sum(g is None for g in given))
        notes: list[str] = []
    else:
        warnings = check_labels(heard, samples, model, options)
        names, turns = moved_changes(given, turns, warnings)
        notes = [voice_warning(w, words) for w in warnings]
        log.debug("voices: %d disagreement(s) with the transcript's labels", len(warnings))
    return replace(result, words=with_speakers(words, names, turns),
                   warnings=result.warnings + tuple(notes)).recut()


def voice_names(given: Sequence[str | None], heard: Sequence[str]) -> tuple[str | None, ...]:
    """A speaker a word: the transcript's where it gives one, else the voice's (pure).

    A voice most of whose labelled words (more than half) carry one transcript name takes that
    name; the others are ``Speaker 1``, ``Speaker 2``… in order of first voice, skipping numbers
    the transcript uses as names.
    """
    counts: dict[str, dict[str, int]] = {}
    for name, voice in zip(given, heard):
        if name is not None:
            counts.setdefault(voice, {})[name] = counts.setdefault(voice, {}).get(name, 0) + 1
    named: dict[str, str] = {}
    for voice, names in counts.items():
        best = max(names, key=lambda n: names[n])
        if names[best] * 2 > sum(names.values()):
            named[voice] = best
            log.debug("voices: %s is %s (%d of %d labelled words)", voice, best, names[best], sum(names.values()))
    taken = {n for n in given if n is not None}
    number = 0
    for voice in dict.fromkeys(heard):
        if voice in named:
            continue
        number += 1
        while f"Speaker {number}" in taken:
            number += 1
        named[voice] = f"Speaker {number}"
    return tuple(name if name is not None else named[voice] for name, voice in zip(given, heard))


def moved_changes(given: Sequence[str | None], turns: Sequence[int],
                  warnings: Sequence[VoiceWarning]) -> tuple[tuple[str | None, ...], tuple[int, ...]]:
    """Speakers and turns a word after each ``boundary`` warning's change is moved to where it
    is heard (pure): the words between change hands, and join the turn they now belong to."""
    names, owners = list(given), list(turns)
    for w in warnings:
        if w.kind != "boundary" or w.at is None or w.move_to is None:
            continue
        # moved earlier: the words before the old change go to the speaker after it; later: the reverse
        taker = w.last + 1 if w.move_to < w.at else w.first - 1
        for i in range(w.first, w.last + 1):
            names[i], owners[i] = names[taker], owners[taker]
        log.debug("voices: the change at %.2f s moved to %.2f s (words %d-%d to %s)", w.at, w.move_to,
                  w.first, w.last, names[taker])
    return tuple(names), tuple(owners)


def with_speakers(words: Sequence[TimedWord], names: Sequence[str | None],
                  turns: Sequence[int]) -> tuple[TimedWord, ...]:
    """``words`` with their speakers ``names``, a new turn (numbered anew) wherever the speaker
    or the turn (``turns``) changes: the cues split there and label the new speaker (pure)."""
    out: list[TimedWord] = []
    turn = -1
    for k, (w, name, owner) in enumerate(zip(words, names, turns)):
        if k == 0 or name != names[k - 1] or owner != turns[k - 1]:
            turn += 1
        out.append(replace(w, speaker=name, turn=turn))
    return tuple(out)


def voice_warning(warning: VoiceWarning, words: Sequence[TimedWord]) -> str:
    """A ``check`` disagreement as the user reads it: the words it concerns, and what was done."""
    said = " ".join(w.text for w in words[warning.first:warning.last + 1])
    quoted = f"{said[:40]!r}{'…' if len(said) > 40 else ''}"
    if warning.kind == "boundary":
        earlier = warning.move_to is not None and warning.at is not None and warning.move_to < warning.at
        taker = warning.sounds_like if earlier else warning.label
        return f"speaker check: {warning.message}: {quoted} moved to {taker}"
    return f"speaker check: {warning.message}: {quoted}"


@dataclass(frozen=True)
class _Request:
    """What ``align`` was asked for: the transcript, the language, the cue rules, the options."""

    script: Transcript
    script_path: str | None
    language: str | None  # as asked for; None: found in the audio
    profile: Profile
    label_style: str
    dialogue: bool
    acoustic: bool
    options: AlignOptions
    progress: Progress | None
    shot_changes: Callable[[], tuple[float, ...]] = tuple  # the picture's cuts, when they are needed

    def report(self, phase: str, duration: float) -> Callable[[float], None] | None:
        """``progress`` for one phase, as the stages call it (the time reached)."""
        progress = self.progress
        return (lambda t: progress(phase, t, duration)) if progress else None


@dataclass(frozen=True)
class _Meanwhile:
    """Work done beside the hearing: the transcript's language and parse (worked out in
    ``pool`` while the audio is heard), and the acoustic re-timing ahead (``ahead``, None
    when words keep Whisper's times)."""

    text_language: Future
    parse: Future
    pool: ThreadPoolExecutor
    ahead: acoustic_mod.Ahead | None


def _alignment_key(media: str | Path, request: _Request, spec: ModelSpec) -> str:
    """What an alignment depends on: the media's content, the transcript's words and speakers,
    the model, the language, whether words were re-timed acoustically and every option (the
    code itself is in every cache key, see ``cache``)."""
    import hashlib

    script = request.script
    words = "\x1f".join(f"{w.text}\x1e{script.turns[w.turn].speaker}" for w in script.words)
    parts = (f"{media_mod.content_hash(media)}|{spec.id}|{request.language}|{request.acoustic}|"
             f"{request.options.digest()}|{words}")
    return hashlib.sha256(parts.encode()).hexdigest()


def _load_alignment(key: str) -> Alignment | None:
    from .runtime import cache

    return cache.load("alignments", key, Alignment)


def _store_alignment(key: str, result: Alignment) -> None:
    """Timed words are worth keeping: a re-run with other cue rules then takes a moment."""
    from .runtime import cache

    cache.store("alignments", key, result)


def _align_audio(session: Session, request: _Request) -> Alignment:
    """The opened file aligned: its transcript's language and parse for line breaks are worked
    out while the audio is heard (the encoder and decoder leave Python free), so langdetect and
    loading spaCy cost no time of their own; so does loading the acoustic aligner's G2P model.
    Then the same thread looks for speech the transcript lacks (mostly Whisper's work) while the
    words are re-timed (mostly Python's)."""
    script = request.script
    turns = [[w.text for w in t.words] for t in script.turns]
    texts = [w.text for w in script.words]
    with ThreadPoolExecutor(1) as pool, acoustic_mod.Ahead(session.audio, texts, request.options.acoustic) as ahead:
        text_language = pool.submit(lambda: request.language or detect_text_language(script.text))
        parse = pool.submit(_parsed, turns, text_language, request.acoustic)  # one thread: after the language
        meanwhile = _Meanwhile(text_language, parse, pool, ahead if request.acoustic else None)
        return _heard_and_timed(session, request, meanwhile)


def _parsed(turns: list[list[str]], language: Future, acoustic: bool) -> list[float] | None:
    """The transcript's parse for line breaks (``syntax.transcript_bonds``), with the acoustic
    aligner made ready for its language; None when the text's language is not known."""
    found = language.result()
    if found is None:
        return None
    if acoustic:
        acoustic_mod.prepare(found)
    return syntax.transcript_bonds(turns, found)


def _retime_ahead(ahead: acoustic_mod.Ahead, audio: media_mod.DecodedAudio, text_language: Future,
                  opts: TimingOptions, times: dict[int, WordTime], speech: Sequence[tuple[float, float]],
                  heard_language: str) -> None:
    """``hear_guided``'s ``on_sure``: the sure words' times as ``time_text`` will hand them to
    ``acoustic.retime`` (``refine``d, on the same loudness), re-timed ahead in the sidecar
    when the language is the aligner's."""
    if acoustic_mod.available(text_language.result() or heard_language):
        ahead.start(refine(times, media_mod.loudness(audio), speech, opts))


def _heard(session: Session, request: _Request, meanwhile: _Meanwhile) -> Recognition:
    """The file heard with the transcript's help: only where the two may disagree is the
    audio decoded; meanwhile the sidecar re-times the words of the chunks it was sure of."""
    texts = [w.text for w in request.script.words]
    opts = request.options
    sure = (partial(_retime_ahead, meanwhile.ahead, session.audio, meanwhile.text_language, opts.timing)
            if meanwhile.ahead is not None else None)
    key = session.key(request.language)
    rec = session.hear(request.language, tail=guided_key(key, texts, opts.guided)[len(key):],
                       hear=partial(hear_guided, texts=texts, on_sure=sure, guided=opts.guided),
                       progress=request.progress)
    log.debug("heard %d words in %d chunks, language %s (%.2f)", len(rec.words), len(rec.chunks),
              rec.language, rec.language_probability)
    if not rec.words:
        raise InputError(f"{session.audio.source}: no speech recognised in the audio")
    return rec


def _heard_and_timed(session: Session, request: _Request, meanwhile: _Meanwhile) -> Alignment:
    """Heard, matched and timed (re-timed acoustically when ``meanwhile.ahead`` is given), then
    cut into cues."""
    audio, opts = session.audio, request.options
    rec = _heard(session, request, meanwhile)
    script_language = meanwhile.text_language.result()
    warnings = ([f"the audio sounds {rec.language!s} but the transcript reads as {script_language!s}"]
                if script_language and rec.language and script_language != rec.language else [])
    align_language = (script_language if script_language in whisper_languages(session.model)
                      else rec.language) or "en"
    rec, script, matching, origin, moves = _matched(session, rec, request, align_language)
    warnings += moves
    found = meanwhile.pool.submit(_untranscribed_speech, session.model, audio, rec, matching.untranscribed,
                                  rec.language, opts.recognition)
    timing = time_text(session.model, audio, rec, [w.text for w in script.words], language=align_language,
                       matching=matching, sentence_end=[w.sentence_end for w in script.words], opts=opts.timing,
                       acoustic=opts.acoustic if meanwhile.ahead is not None else None, ahead=meanwhile.ahead,
                       encodings=encodings_for(session.key(request.language), rec),
                       progress=request.report("timing", audio.duration))
    bond = meanwhile.parse.result() if script is request.script else None  # (a moved transcript: parsed again)
    if bond is None:  # the transcript's language was not clear from its text
        bond = syntax.transcript_bonds([[w.text for w in t.words] for t in script.turns], rec.language)
    words = _timed_words(script, timing.times, {t for t, _ in matching.pairs}, bond, origin)
    unheard = _unheard_passages(script, matching.unheard, timing.times)
    untranscribed = found.result()
    cuts = request.shot_changes()
    cues = _cues(words, request.profile, session.info.fps, request.label_style, request.dialogue, cuts)
    return Alignment(
        media=audio.source, transcript_path=request.script_path, audio_language=rec.language,
        transcript_language=script_language, model=session.spec.name, duration=audio.duration, fps=session.info.fps,
        words=words, cues=tuple(cues), unheard=tuple(unheard), untranscribed=tuple(untranscribed),
        warnings=tuple(warnings + _passage_warnings(unheard, untranscribed)), profile=request.profile,
        label_style=request.label_style, dialogue=request.dialogue, shot_changes=cuts,
    )


def _timed_words(script: Transcript, times: dict[int, WordTime], anchored: set[int], bond: Sequence[float],
                 origin: Sequence[int]) -> tuple[TimedWord, ...]:
    """Every timed word of ``script`` with its speaker, its place in a sentence and its bond to
    the next (``bond``); its ``index`` its place in the transcript as given (``origin``)."""
    return tuple(
        TimedWord(
            index=origin[i], text=w.text, start=times[i][0], end=times[i][1],
            heard=i in anchored, probability=times[i][2], turn=w.turn,
            speaker=script.turns[w.turn].speaker, sentence_end=w.sentence_end,
            clause_end=w.clause_end, bond=bond[i],
        )
        for i, w in enumerate(script.words) if i in times
    )


def _passage_warnings(unheard: Sequence[Unheard], untranscribed: Sequence[Untranscribed]) -> list[str]:
    """What the user must be told of text not in the audio and speech not in the text."""
    out = []
    if unheard:
        n = sum(len(u.text.split()) for u in unheard)
        out.append(f"{n} transcript word(s) in {len(unheard)} passage(s) are not in the audio "
                   "and were left out of the subtitles")
    if untranscribed:
        total = sum(u.end - u.start for u in untranscribed)
        out.append(f"{len(untranscribed)} passage(s) of speech ({total:.1f} s) are not in the transcript")
    return out


def _matched(session: Session, rec: Recognition, request: _Request,
             language: str) -> tuple[Recognition, Transcript, Matching, list[int], list[str]]:
    """Which transcript words were heard, once every run the first hearing missed was heard
    again on its own (``guided.heard_again``) and every passage said elsewhere than the
    transcript has it was put where it is said (``matching.said_elsewhere``). Returns the
    recognition, the transcript in the audio's order, the matching, each word's index in the
    transcript as given, and a warning a move."""
    opts, script = request.options, request.script
    matching = _matching(rec, script, language, opts.matching)
    for _ in range(opts.guided.again_rounds):  # not in the audio only once the audio was heard there again, alone
        if not matching.unheard:
            break
        texts = [w.text for w in script.words]
        again = heard_again(session.model, session.audio, rec, texts, matching, rec.language, opts=opts.guided,
                            rec_opts=opts.recognition)
        if again is rec:
            break
        rec, matching = again, _matching(again, script, language, opts.matching)
    script, matching, origin, warnings = _in_audio_order(rec, script, matching, language, opts.matching)
    return rec, script, matching, origin, warnings


def _matching(rec: Recognition, script: Transcript, language: str, opts: MatchingOptions) -> Matching:
    """``timing.match_text`` of a transcript, with its words' speakers."""
    texts = [w.text for w in script.words]
    return match_text(texts, rec, language, [script.turns[w.turn].speaker for w in script.words], opts)


def _in_audio_order(rec: Recognition, script: Transcript, matching: Matching, language: str,
                    opts: MatchingOptions) -> tuple[Transcript, Matching, list[int], list[str]]:
    """The transcript with each passage it has elsewhere than it is said moved to where it is
    said (``matching.said_elsewhere``), one at a time, matched again after each; each word's
    index in the transcript as given; and a warning a move."""
    warnings: list[str] = []
    origin = list(range(len(script.words)))
    for _ in range(opts.most_moves):
        texts = [w.text for w in script.words]
        found = said_elsewhere(matching, texts, rec.words, language, opts)
        if not found:
            break
        first, stop, there = found[0]
        passage = " ".join(texts[first:stop])
        warnings.append(f"the transcript has {passage[:40]!r}{'…' if len(passage) > 40 else ''} elsewhere than "
                        f"it is said ({_clock(rec.words[there.first].start)}): the subtitles follow the audio")
        script = transcript_mod.moved(script, first, stop, there.at)
        origin = [origin[i] for i in transcript_mod.moved_order(len(origin), first, stop, there.at)]
        matching = _matching(rec, script, language, opts)
    return script, matching, origin, warnings


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def save_all(alignment: Alignment, paths: list[Path], embed_media: bool = False) -> list[Path]:
    """Every output or none: each rendered and written beside its target, and all renamed into
    place only when all were written (``atomic_outputs``); a full disk is one line, and leaves
    neither a new file nor a changed old one."""
    with atomic_outputs() as outputs:
        for p in paths:
            outputs.write_text(p, render(alignment, p, embed_media))
    return paths
