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

from . import acoustic as acoustic_mod
from . import media as media_mod
from . import syntax
from . import transcript as transcript_mod
from .cues import Cue, TimedWord, build_cues, too_fast
from .errors import InputError
from .formats import render
from .guided import GUIDED, guided_key, hear_guided, heard_again
from .languages import detect_text_language
from .matching import MATCHING, Matching, said_elsewhere
from .model import DEFAULT_MODEL, load_model, reloader
from .profiles import Profile, get_profile
from .recognition import Recognition, encodings_for, heard_in_own_languages, hearing_key, recognise_checked
from .results import Unheard, Untranscribed, WordTime
from .textio import write_text_atomic
from .timing import match_text, refine, time_text, whisper_languages
from .transcript import Transcript

__all__ = ["Alignment", "Progress", "Unheard", "Untranscribed", "align"]

log = logging.getLogger(__name__)

Progress = Callable[[str, float, float], None]  # (phase, done, total) in audio seconds


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

    def recut(self, profile: Profile | None = None, label_style: str | None = None,
              dialogue: bool | None = None) -> Alignment:
        """New cues from the same timed words: no recognition or alignment is redone."""
        profile = profile or self.profile
        label_style = label_style or self.label_style
        dialogue = self.dialogue if dialogue is None else dialogue
        cues = build_cues(self.words, profile, fps=self.fps, label_style=label_style, dialogue=dialogue)
        return replace(self, cues=tuple(cues), profile=profile, label_style=label_style, dialogue=dialogue)

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


def _untranscribed_speech(model, audio: media_mod.DecodedAudio, rec: Recognition, spans,
                          audio_language: str) -> list[Untranscribed]:
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
    for members, language, heard in heard_in_own_languages(model, audio, voiced, audio_language):
        text = " ".join(w.text for k in members for w in rec.words[spans[k].first:spans[k].stop])
        out.append(Untranscribed(float(voiced[members[0]][0]), float(voiced[members[-1]][1]), heard or text, language))
    return out


def align(
    media: str | Path,
    transcript: str | Path | Transcript,
    *,
    model: str = DEFAULT_MODEL,
    device: str = "cpu",
    compute_type: str = "default",
    threads: int = 0,
    language: str | None = None,
    narrator: str | None = None,
    profile: Profile | str = "netflix",
    label_style: str = "bracket",
    dialogue: bool = False,
    acoustic: bool = True,
    progress: Progress | None = None,
) -> Alignment:
    """Time every word of an edited transcript against a recording and cut subtitles.

    ``acoustic`` re-times words with an acoustic aligner where the language has one (see
    :mod:`aligner.acoustic`); false keeps Whisper's cross-attention times.

    Bad input raises an :class:`~aligner.errors.AlignerError` with a one-line message.
    """
    info = media_mod.probe(media)
    if isinstance(transcript, Transcript):
        script, script_path = transcript, transcript.source
    else:
        script, script_path = transcript_mod.load(transcript, narrator=narrator), str(transcript)
    prof = get_profile(profile) if isinstance(profile, str) else profile

    # The same media, words and model were timed before: only the cues are cut anew.
    key = _alignment_key(media, script, f"{model}/{compute_type}", language, acoustic)
    cached = _load_alignment(key)
    if cached is not None:
        if progress:
            progress("timing", cached.duration, cached.duration)
        return replace(cached, media=str(media), transcript_path=script_path).recut(prof, label_style, dialogue)
    whisper = load_model(model, device, compute_type, threads)
    with media_mod.decode(media, info) as audio:
        result = _align_audio(
            whisper, audio, script, script_path, language, info.fps, prof,
            label_style, dialogue, model, progress, f"{model}/{compute_type}",
            reloader(model, device, compute_type, threads), acoustic,
        )
    _store_alignment(key, result)
    return result


def _alignment_key(media: str | Path, script: Transcript, model_id: str, language: str | None,
                   acoustic: bool) -> str:
    """What an alignment depends on: the media's content, the transcript's words and speakers,
    the model, the language and whether words were re-timed acoustically (the code itself is
    in every cache key, see ``cache``)."""
    import hashlib

    words = "\x1f".join(f"{w.text}\x1e{script.turns[w.turn].speaker}" for w in script.words)
    parts = f"{media_mod.content_hash(media)}|{model_id}|{language}|{acoustic}|{words}"
    return hashlib.sha256(parts.encode()).hexdigest()


def _load_alignment(key: str) -> Alignment | None:
    from . import cache

    return cache.load("alignments", key, Alignment)


def _store_alignment(key: str, result: Alignment) -> None:
    """Timed words are worth keeping: a re-run with other cue rules then takes a moment."""
    from . import cache

    cache.store("alignments", key, result)


def _align_audio(whisper, audio: media_mod.DecodedAudio, script: Transcript, script_path: str | None,
                 language: str | None, fps: float | None, prof: Profile,
                 label_style: str, dialogue: bool, model: str, progress: Progress | None,
                 model_id: str, reload: Callable[[], object | None] = lambda: None,
                 acoustic: bool = True) -> Alignment:
    turns = [[w.text for w in t.words] for t in script.turns]
    # The transcript's language, and its parse for line breaks, need only the text: they are
    # worked out while the audio is heard (the encoder and decoder leave Python free), so
    # langdetect and loading spaCy cost no time of their own; so does loading the acoustic
    # aligner's G2P model. Then the same thread looks for speech the transcript lacks (mostly
    # Whisper's work) while the words are re-timed (mostly Python's).
    with ThreadPoolExecutor(1) as pool, acoustic_mod.Ahead(audio, [w.text for w in script.words]) as ahead:
        script_language = pool.submit(lambda: language or detect_text_language(script.text))
        parse = pool.submit(_parsed, turns, script_language, acoustic)  # one thread: after the language
        return _heard_and_timed(whisper, audio, script, script_path, script_language, language, fps, prof,
                                label_style, dialogue, model, progress, model_id, reload, parse, pool,
                                ahead if acoustic else None)


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
                  times: dict[int, WordTime], speech: Sequence[tuple[float, float]], heard_language: str) -> None:
    """``hear_guided``'s ``on_sure``: the sure words' times as ``time_text`` will hand them to
    ``acoustic.retime`` (``refine``d, on the same loudness), re-timed ahead in the sidecar
    when the language is the aligner's."""
    if acoustic_mod.available(text_language.result() or heard_language):
        ahead.start(refine(times, media_mod.loudness(audio), speech))


def _heard_and_timed(whisper, audio: media_mod.DecodedAudio, script: Transcript, script_path: str | None,
                     text_language: Future, language: str | None, fps: float | None, prof: Profile,
                     label_style: str, dialogue: bool, model: str, progress: Progress | None, model_id: str,
                     reload: Callable[[], object | None], parse: Future, pool: ThreadPoolExecutor,
                     ahead: acoustic_mod.Ahead | None) -> Alignment:
    """Heard, matched and timed (re-timed acoustically when ``ahead`` is given), then cut into cues."""
    words = script.words
    texts = [w.text for w in words]
    duration = audio.duration
    key = hearing_key(audio, model_id, language)
    # Heard with the transcript's help: only where the two may disagree is the audio decoded;
    # meanwhile the sidecar re-times the words of the chunks it was sure of.
    sure = partial(_retime_ahead, ahead, audio, text_language) if ahead is not None else None
    rec, whisper = recognise_checked(whisper, audio, guided_key(key, texts), reload,
                                     hear=partial(hear_guided, texts=texts, on_sure=sure), language=language,
                                     progress=(lambda t: progress("recognising", t, duration)) if progress else None)
    audio_language = rec.language
    script_language = text_language.result()
    log.debug("heard %d words in %d chunks, language %s (%.2f)", len(rec.words), len(rec.chunks),
              audio_language, rec.language_probability)
    warnings: list[str] = []
    if script_language and audio_language and script_language != audio_language:
        warnings.append(
            f"the audio sounds {audio_language!s} but the transcript reads as {script_language!s}"
        )
    if not rec.words:
        raise InputError(f"{audio.source}: no speech recognised in the audio")

    align_language = (script_language if script_language in whisper_languages(whisper) else audio_language) or "en"
    told = script
    rec, script, matching, origin, moves = _matched(whisper, audio, rec, script, align_language)
    warnings += moves
    words, texts = script.words, [w.text for w in script.words]
    found = pool.submit(_untranscribed_speech, whisper, audio, rec, matching.untranscribed, audio_language)
    timing = time_text(whisper, audio, rec, texts, language=align_language, matching=matching,
                       sentence_end=[w.sentence_end for w in words], acoustic=ahead is not None, ahead=ahead,
                       encodings=encodings_for(key, rec),
                       progress=(lambda t: progress("timing", t, duration)) if progress else None)
    times = timing.times

    anchored = {t for t, _ in matching.pairs}
    bond = parse.result() if script is told else None  # (a transcript put in the audio's order: parsed again)
    if bond is None:  # the transcript's language was not clear from its text
        bond = syntax.transcript_bonds([[w.text for w in t.words] for t in script.turns], audio_language)
    timed_words = tuple(
        TimedWord(
            index=origin[i], text=w.text, start=times[i][0], end=times[i][1],
            heard=i in anchored, probability=times[i][2], turn=w.turn,
            speaker=script.turns[w.turn].speaker, sentence_end=w.sentence_end,
            clause_end=w.clause_end, bond=bond[i],
        )
        for i, w in enumerate(words) if i in times
    )
    unheard = _unheard_passages(script, matching.unheard, times)
    untranscribed = found.result()
    if unheard:
        n = sum(len(u.text.split()) for u in unheard)
        warnings.append(f"{n} transcript word(s) in {len(unheard)} passage(s) are not in the audio "
                        "and were left out of the subtitles")
    if untranscribed:
        total = sum(u.end - u.start for u in untranscribed)
        warnings.append(f"{len(untranscribed)} passage(s) of speech ({total:.1f} s) are not in the transcript")
    cues = build_cues(timed_words, prof, fps=fps, label_style=label_style, dialogue=dialogue)
    return Alignment(
        media=audio.source, transcript_path=script_path, audio_language=audio_language,
        transcript_language=script_language, model=model, duration=duration, fps=fps,
        words=timed_words, cues=tuple(cues), unheard=tuple(unheard),
        untranscribed=tuple(untranscribed), warnings=tuple(warnings), profile=prof,
        label_style=label_style, dialogue=dialogue,
    )


def _matched(whisper, audio: media_mod.DecodedAudio, rec: Recognition, script: Transcript,
             language: str) -> tuple[Recognition, Transcript, Matching, list[int], list[str]]:
    """Which transcript words were heard, once every run the first hearing missed was heard
    again on its own (``guided.heard_again``) and every passage said elsewhere than the
    transcript has it was put where it is said (``matching.said_elsewhere``). Returns the
    recognition, the transcript in the audio's order, the matching, each word's index in the
    transcript as given, and a warning a move."""
    matching = _matching(rec, script, language)
    for _ in range(GUIDED.again_rounds):  # not in the audio only once the audio was heard there again, alone
        if not matching.unheard:
            break
        texts = [w.text for w in script.words]
        again = heard_again(whisper, audio, rec, texts, matching.unheard, matching.pairs, rec.language)
        if again is rec:
            break
        rec, matching = again, _matching(again, script, language)
    script, matching, origin, warnings = _in_audio_order(rec, script, matching, language)
    return rec, script, matching, origin, warnings


def _matching(rec: Recognition, script: Transcript, language: str) -> Matching:
    """``timing.match_text`` of a transcript, with its words' speakers."""
    texts = [w.text for w in script.words]
    return match_text(texts, rec, language, [script.turns[w.turn].speaker for w in script.words])


def _in_audio_order(rec: Recognition, script: Transcript, matching: Matching,
                    language: str) -> tuple[Transcript, Matching, list[int], list[str]]:
    """The transcript with each passage it has elsewhere than it is said moved to where it is
    said (``matching.said_elsewhere``), one at a time, matched again after each; each word's
    index in the transcript as given; and a warning a move."""
    warnings: list[str] = []
    origin = list(range(len(script.words)))
    for _ in range(MATCHING.most_moves):
        texts = [w.text for w in script.words]
        found = said_elsewhere(matching, texts, rec.words, language)
        if not found:
            break
        first, stop, there = found[0]
        passage = " ".join(texts[first:stop])
        warnings.append(f"the transcript has {passage[:40]!r}{'…' if len(passage) > 40 else ''} elsewhere than "
                        f"it is said ({_clock(rec.words[there.first].start)}): the subtitles follow the audio")
        script = transcript_mod.moved(script, first, stop, there.at)
        origin = [origin[i] for i in transcript_mod.moved_order(len(origin), first, stop, there.at)]
        matching = _matching(rec, script, language)
    return script, matching, origin, warnings


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def save_all(alignment: Alignment, paths: list[Path], embed_media: bool = False) -> list[Path]:
    """Render every output first, then write each atomically: a failed render leaves no file."""
    rendered = [(p, render(alignment, p, embed_media)) for p in paths]
    for p, text in rendered:
        write_text_atomic(p, text)  # a full disk is one clear line too, not a traceback
    return paths
