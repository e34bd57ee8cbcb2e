"""``audit()``: published subtitles checked against what the audio says.

Each cue is found in the audio the way ``align`` finds transcript words (recognition, then
matching and forced alignment of the cue's own text), so the checks compare like with like:
the words published against the words heard where they are spoken, and the time shown
against the time spoken. Cues over speech in another language (a translated clip, or a
translated quote inside a same-language report) are checked against the speech's timing and
against Whisper's own judgement of how well the text translates that stretch of audio.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

from . import media as media_mod
from .languages import detect_text_language
from .matching import match
from .model import DEFAULT_MODEL, load_model
from .profiles import Profile, get_profile
from .recognition import Recognition, recognise_once
from .style import check_style
from .subtitles import SubtitleCue, read_subtitles
from .sync import Sync, fit_sync, refine_by_onsets, sync_by_activity
from .textnorm import spoken_tokens
from .timing import time_text, whisper_languages
from .transcript import Transcript, split_label, strip_directions

__all__ = ["KINDS", "SEVERITY", "AuditReport", "Finding", "audit"]

KINDS = (
    "text_mismatch", "missing_subtitle", "extra_subtitle", "timing_offset", "wrong_language",
    "global_offset", "drift", "meaning_mismatch", "transcript_mismatch", "style",
)
SEVERITY = {
    "text_mismatch": "error", "missing_subtitle": "error", "extra_subtitle": "error",
    "timing_offset": "error", "wrong_language": "error", "global_offset": "error", "drift": "error",
    "meaning_mismatch": "warning", "transcript_mismatch": "warning", "style": "warning",
}
Progress = Callable[[str, float, float], None]


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    cue: int | None  # 1-based cue number in the published file
    start: float  # where the speech is (for a shifted cue: where its text is spoken)
    end: float
    published: str
    heard: str
    detail: str
    published_start: float | None = None
    published_end: float | None = None


@dataclass(frozen=True)
class AuditReport:
    media: str
    subtitles: str
    audio_language: str
    subtitles_language: str | None
    duration: float
    cues: tuple[SubtitleCue, ...]
    sync: Sync
    findings: tuple[Finding, ...]
    speech: tuple[tuple[float, float], ...]
    corrected: tuple[tuple[float, float], ...] = field(default=())  # per cue, for --fix

    @property
    def summary(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.kind] = out.get(f.kind, 0) + 1
        return out

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def fixed_cues(self) -> list[SubtitleCue]:
        """The cues with the offset and drift removed and shifted cues moved to their speech."""
        out = []
        for cue, (start, end) in zip(self.cues, self.corrected):
            out.append(SubtitleCue(cue.index, round(start, 3), round(end, 3), cue.lines, cue.speaker))
        return sorted(out, key=lambda c: c.start)

    def save(self, path: str | Path) -> Path:
        from .reports import write_report

        return write_report(self, Path(path))


# ---------------------------------------------------------------- cue text as words

_NEGATIONS = {"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot", "dont",
              "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "wont", "cant", "couldnt",
              "shouldnt", "wouldnt", "hasnt", "havent", "hadnt", "nicht", "kein", "keine", "nie"}
_MINOR = {"the", "a", "an", "and", "of", "to", "so", "well", "oh", "uh", "um", "er", "ah", "yeah"}
_NUMBER_WORDS = set(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion percent first second third".split()
)


def cue_words(cue: SubtitleCue) -> list[str]:
    """The spoken words of a cue: speaker labels, dialogue dashes and sound descriptions out."""
    words: list[str] = []
    for line in cue.lines:
        line = re.sub(r"^\s*[-–]\s*", "", line)
        label = split_label(line)
        if label is not None:
            line = label[2]
        words += [w for w in strip_directions(line).split() if re.search(r"\w", w)]
    return words


def _all_cue_words(cues: Sequence[SubtitleCue]) -> tuple[list[str], list[int]]:
    """Every cue's spoken words in order, and the index of the cue each belongs to."""
    words: list[str] = []
    owner: list[int] = []
    for k, cue in enumerate(cues):
        for w in cue_words(cue):
            words.append(w)
            owner.append(k)
    return words, owner


def _strict(token: str) -> bool:
    return token in _NEGATIONS or token in _NUMBER_WORDS or token.isdigit()


def _tokens(words: Sequence[str], lang: str) -> list[str]:
    return [t for w in words for t in spoken_tokens(w, lang)]


def _similarity(a: Sequence[str], b: Sequence[str]) -> float:
    return SequenceMatcher(None, " ".join(a).lower(), " ".join(b).lower(), autojunk=False).ratio()


def _flagged(published: Sequence[str], heard: Sequence[str], lang: str) -> set[int]:
    """Published token positions that a hearing does not bear out (insertions sit between)."""
    a, b = _tokens(published, lang), _tokens(heard, lang)
    out: set[int] = set()
    for op, i1, i2, _j1, _j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            out.update(range(i1, i2))
        elif op == "insert":
            out.update({max(0, i1 - 1), min(len(a) - 1, i1)})
    return out


def text_differences(published: Sequence[str], heard: Sequence[str], lang: str = "en",
                     flagged: set[int] | None = None) -> list[tuple[str, str]]:
    """(published, heard) passages that differ in substance.

    The recogniser misspells names and drops small words; those are not the subtitler's
    errors. Numbers and negations are never forgiven: they change what was said. With
    ``flagged``, only passages that an earlier hearing also disputed count.
    """
    a = _tokens(published, lang)
    b = _tokens(heard, lang)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if flagged is not None:
            span = set(range(i1, i2)) if i2 > i1 else {max(0, i1 - 1), min(len(a) - 1, i1)}
            if not span & flagged:
                continue
        pa, hb = a[i1:i2], b[j1:j2]
        if op == "delete" and (i1 == 0 or i2 == len(a)) and len(pa) <= 2 and not any(map(_strict, pa)):
            continue  # a word at the cue's edge, cut off by the window: not evidence
        if op == "insert" and (i1 == 0 or i1 == len(a)) and not any(map(_strict, hb)):
            continue  # a neighbouring cue's words caught at the window's edge
        strict = any(_strict(t) for t in (*pa, *hb))
        if not strict:
            if op == "replace" and SequenceMatcher(None, " ".join(pa), " ".join(hb)).ratio() >= 0.6:
                continue  # misheard spelling of the same words
            if len(pa) + len(hb) == 1 and (pa or hb)[0] in _MINOR:
                continue  # a small word the recogniser dropped or added
            if op == "replace" and len(pa) == len(hb) == 1 and len(pa[0]) + len(hb[0]) <= 6:
                continue
        out.append((" ".join(pa), " ".join(hb)))
    return out


# ---------------------------------------------------------------- the audit


def _heard_text(rec: Recognition, start: float, end: float) -> str:
    return " ".join(w.text for w in rec.words if start - 0.05 <= (w.start + w.end) / 2 <= end + 0.05)


class _TranslationScorer:
    """How likely Whisper finds a text as its translation of a stretch of audio (mean token
    log-probability, teacher-forced through ``Whisper.align``); encodings are reused."""

    def __init__(self, model, audio: media_mod.DecodedAudio) -> None:
        self.model = model
        self.audio = audio
        self.encoded: dict[tuple[float, float], tuple[object, int]] = {}

    def __call__(self, span: tuple[float, float], text: str, language: str) -> float | None:
        from faster_whisper.tokenizer import Tokenizer

        model = self.model
        if span not in self.encoded:
            a, b = span
            features = model.feature_extractor(self.audio.read(max(0.0, a - 0.2), b + 0.3))
            n = min(features.shape[-1], 3000)
            padded = np.zeros((features.shape[0], 3000), features.dtype)
            padded[:, :n] = features[:, :n]
            self.encoded[span] = (model.encode(padded), n)
        enc, n = self.encoded[span]
        tokenizer = Tokenizer(model.hf_tokenizer, True, task="translate", language=language)
        tokens = tokenizer.encode(" " + text.strip())
        if not tokens or n < 10:
            return None
        result = model.model.align(enc, [*tokenizer.sot_sequence, tokenizer.no_timestamps], [tokens], n)[0]
        return float(np.mean(np.log(np.maximum(np.asarray(result.text_token_probs), 1e-6))))


def _uncovered(speech: Sequence[tuple[float, float]], covered: Sequence[tuple[float, float]],
               min_len: float, join: float = 0.5) -> list[tuple[float, float]]:
    """Stretches of voice with no cue over them, short pauses bridged."""
    covered = sorted(covered)
    pieces: list[tuple[float, float]] = []
    for a, b in speech:
        cur = a
        for c0, c1 in covered:
            if c1 <= cur or c0 >= b:
                continue
            if c0 > cur:
                pieces.append((cur, c0))
            cur = max(cur, c1)
        if cur < b:
            pieces.append((cur, b))
    return [(a, b) for a, b in utterances(pieces, join) if b - a >= min_len]


def audit(
    media: str | Path,
    subtitles: str | Path,
    *,
    transcript: str | Path | Transcript | None = None,
    model: str = DEFAULT_MODEL,
    device: str = "cpu",
    compute_type: str = "default",
    threads: int = 0,
    language: str | None = None,
    profile: Profile | str = "netflix",
    offset_threshold: float = 0.5,
    progress: Progress | None = None,
) -> AuditReport:
    """Find every cue that is not what is spoken, not where it is spoken, or not there at all."""
    info = media_mod.probe(media)
    cues = read_subtitles(subtitles)
    script = None
    if transcript is not None:
        from . import transcript as transcript_mod

        script = transcript if isinstance(transcript, Transcript) else transcript_mod.load(transcript)
    prof = get_profile(profile) if isinstance(profile, str) else profile
    subs_language = detect_text_language(" ".join(c.text for c in cues))
    whisper = load_model(model, device, compute_type, threads)
    with media_mod.decode(media, info) as audio:
        return _audit_audio(whisper, audio, cues, str(subtitles), subs_language, language, script, prof,
                            info.fps, offset_threshold, progress, f"{model}/{compute_type}")


def _audit_audio(whisper, audio: media_mod.DecodedAudio, cues: list[SubtitleCue], subtitles: str,
                 subs_language: str | None, language: str | None, script: Transcript | None,
                 prof: Profile, fps: float | None, threshold: float, progress: Progress | None,
                 model_id: str) -> AuditReport:
    duration = audio.duration
    rec = recognise_once(whisper, audio, (media_mod.content_hash(audio.source), model_id, language),
                         language=language,
                         progress=(lambda t: progress("recognising", t, duration)) if progress else None)
    audio_language = rec.language
    subs_language = subs_language or audio_language
    norm_language = subs_language if subs_language in whisper_languages(whisper) else audio_language
    findings: list[Finding] = []

    # The cues' words, in cue order, found in the audio.
    words, owner = _all_cue_words(cues)
    first_word = {k: owner.index(k) for k in set(owner)}
    last_word = {k: len(owner) - 1 - owner[::-1].index(k) for k in set(owner)}
    same_language = audio_language == subs_language
    if same_language and words:
        timing = time_text(whisper, audio, rec, words, language=norm_language,
                           progress=(lambda t: progress("timing", t, duration)) if progress else None)
        pairs, times = dict(timing.matching.pairs), timing.times
    else:
        pairs = dict(match(words, rec.words, lang=norm_language).pairs) if words else {}
        times = {}
    matched_heard = set(pairs.values())

    # Per cue: how much of it was heard, and when it is spoken.
    ratio: dict[int, float] = {}
    spoken: dict[int, tuple[float, float]] = {}
    for k in first_word:
        idx = range(first_word[k], last_word[k] + 1)
        ratio[k] = sum(i in pairs for i in idx) / len(idx)
        timed = [times[i] for i in idx if i in times]
        if timed and ratio[k] >= 0.5:
            spoken[k] = (timed[0][0], timed[-1][1])

    # Whole-file offset and drift, from the cues that are clearly heard.
    anchors = [k for k in spoken if ratio[k] >= 0.6 and last_word[k] - first_word[k] >= 1]
    if len(anchors) >= 5:
        sync = fit_sync([spoken[k][0] for k in anchors], [cues[k].start for k in anchors])
    elif len(cues) < 4:
        sync = Sync()  # too few cues to tell a shifted file from shifted cues
    else:
        sync = sync_by_activity([(c.start, c.end) for c in cues], rec.speech, duration)
        sync = refine_by_onsets(sync, [c.start for c in cues], [u[0] for u in utterances(rec.speech)])
    findings.extend(_sync_findings(sync, duration))

    corrected = [(sync.to_spoken(c.start), sync.to_spoken(c.end)) for c in cues]
    covered: list[tuple[float, float]] = []
    translated: list[tuple[int, str]] = []

    for k, cue in enumerate(cues):
        if k not in first_word:
            covered.append(corrected[k])
            continue  # a sound description only ("[music]"): nothing to hear
        text = cue.text
        n_words = last_word[k] - first_word[k] + 1
        cue_lang = detect_text_language(" ".join(cue_words(cue)), min_chars=20, min_probability=0.9)
        if n_words >= 4 and cue_lang and subs_language and cue_lang != subs_language:
            findings.append(Finding("wrong_language", "error", cue.index, cue.start, cue.end, text,
                                    _heard_text(rec, *corrected[k]),
                                    f"reads as {cue_lang}, the subtitles are {subs_language}"))
            covered.append(corrected[k])
            continue
        if k in spoken:
            s0, s1 = spoken[k]
            covered.append(corrected[k])
            residual = cue.start - sync.to_published(s0)
            # Both ends must have moved: a start alone can be off by one misplaced word.
            residual_end = cue.end - sync.to_published(s1) - 0.25
            if abs(residual) > threshold and residual * residual_end > 0 and abs(residual_end) > threshold / 2:
                findings.append(_shifted(cue, s0, s1, residual, rec))
                corrected[k] = (s0, s0 + (cue.end - cue.start))
                covered.append((s0, s1))
                continue
            idx = range(first_word[k], last_word[k] + 1)
            hs = sorted(pairs[i] for i in idx if i in pairs)
            lo, hi = hs[0], hs[-1]
            while lo > 0 and lo - 1 not in matched_heard and rec.words[lo - 1].end > s0 - 0.3:
                lo -= 1
            while hi + 1 < len(rec.words) and hi + 1 not in matched_heard and rec.words[hi + 1].start < s1 + 0.3:
                hi += 1
            heard_words = [w.text for w in rec.words[lo:hi + 1]]
            published = words[first_word[k]:last_word[k] + 1]
            diffs = text_differences(published, heard_words, norm_language)
            if diffs:
                # A second hearing, told what the cue says: what the recogniser merely misheard
                # now comes out as published; what the subtitler got wrong still does not.
                again = _hear_again(whisper, audio, s0, s1, " ".join(published), norm_language)
                if again is None or _similarity(again, heard_words) < 0.4:
                    continue  # the second hearing went astray: no evidence either way
                first = _flagged(published, heard_words, norm_language)
                diffs = [d for d in text_differences(published, again, norm_language, flagged=first)]
                heard_words = again
            if diffs:
                detail = "; ".join(f"published '{p}' where the audio has '{h}'" if p and h else
                                   f"published '{p}' is not spoken" if p else f"spoken '{h}' is missing"
                                   for p, h in diffs)
                findings.append(Finding("text_mismatch", "error", cue.index, s0, s1, text,
                                        " ".join(heard_words), detail))
            continue
        # Not heard as published: over silence, over other speech, or a translation.
        a, b = corrected[k]
        voiced = rec.speech_between(a, b) / max(b - a, 1e-3)
        elsewhere = _find_elsewhere(words[first_word[k]:last_word[k] + 1], rec, matched_heard, norm_language)
        if elsewhere is not None and (elsewhere[0] > b or elsewhere[1] < a):
            s0, s1 = elsewhere
            findings.append(_shifted(cue, s0, s1, cue.start - sync.to_published(s0), rec))
            corrected[k] = (s0, s0 + (cue.end - cue.start))
            covered.append((s0, s1))
            continue
        if voiced < 0.25:
            findings.append(Finding("extra_subtitle", "error", cue.index, cue.start, cue.end, text, "",
                                    "shown over no speech (silence or music)"))
            continue
        clip = audio.read(a, b)
        spoken_language = audio_language
        if len(clip) >= media_mod.SAMPLE_RATE * 0.8 and whisper.model.is_multilingual:
            found, prob, _ = whisper.detect_language(clip)
            if prob >= 0.8:  # a few seconds of audio: only a confident answer overrides the file's
                spoken_language = found
        covered.append((a, b))
        if spoken_language != subs_language:
            translated.append((k, spoken_language))
            continue
        again = _hear_again(whisper, audio, a, b, " ".join(words[first_word[k]:last_word[k] + 1]), norm_language)
        if again is not None and not text_differences(words[first_word[k]:last_word[k] + 1], again, norm_language):
            continue
        findings.append(Finding("text_mismatch", "error", cue.index, a, b, text,
                                " ".join(again) if again else _heard_text(rec, a, b),
                                "the audio at this time says something else"))

    if translated:
        findings.extend(_check_translations(whisper, audio, rec, cues, translated, corrected, covered, threshold))
    # Speech with no cue over it.
    for a, b in _uncovered(rec.speech, [(x - 0.1, y + 0.1) for x, y in covered], min_len=0.8):
        heard = _heard_text(rec, a, b)
        findings.append(Finding("missing_subtitle", "error", None, a, b, "", heard,
                                f"{b - a:.1f} s of speech with no cue"))
    if script is not None:
        findings.extend(_transcript_findings(cues, script, norm_language))
    for issue in check_style(cues, prof, fps):
        findings.append(Finding("style", "warning", issue.cue, issue.start, issue.end,
                                cues[issue.cue - 1].text if 0 < issue.cue <= len(cues) else "", "",
                                issue.detail))
    findings.sort(key=lambda f: (f.start, KINDS.index(f.kind)))
    return AuditReport(
        media=audio.source, subtitles=subtitles, audio_language=audio_language,
        subtitles_language=subs_language, duration=duration, cues=tuple(cues), sync=sync,
        findings=tuple(findings), speech=rec.speech, corrected=tuple(corrected),
    )


def _shifted(cue: SubtitleCue, s0: float, s1: float, residual: float, rec: Recognition) -> Finding:
    """A cue whose words are spoken at [s0, s1], ``residual`` seconds from where it is shown."""
    return Finding("timing_offset", "error", cue.index, s0, s1, cue.text, _heard_text(rec, s0, s1),
                   f"shown {abs(residual):.2f} s {'after' if residual > 0 else 'before'} its words are spoken",
                   cue.start, cue.end)


def _hear_again(whisper, audio: media_mod.DecodedAudio, start: float, end: float, text: str,
                language: str) -> list[str] | None:
    """Recognise a cue's stretch again with its published text as the prompt; None when the
    second hearing breaks down (too little text to judge by)."""
    expected = len(text.split())
    for pad in (0.3, 0.6):
        clip = audio.read(max(0.0, start - pad), end + pad)
        segments, _ = whisper.transcribe(clip, language=language, beam_size=2, initial_prompt=text,
                                         condition_on_previous_text=False, without_timestamps=True,
                                         temperature=0.0, vad_filter=False)
        heard = " ".join(s.text.strip() for s in segments).split()
        if 0.6 * expected <= len(heard) <= 1.6 * expected + 2 and not _repeats(heard, text.split()):
            return heard
    return None


def _repeats(heard: Sequence[str], published: Sequence[str]) -> bool:
    """A decoder caught in a loop ("region of the Belgorod region of the Belgorod ...")."""
    def trigrams(ws: Sequence[str]) -> list[tuple[str, ...]]:
        low = [w.lower().strip(".,!?;:") for w in ws]
        return [tuple(low[i:i + 3]) for i in range(len(low) - 2)]

    grams, own = trigrams(heard), set(trigrams(published))
    return any(grams.count(g) > 1 and g not in own for g in set(grams))


def _sync_findings(sync: Sync, duration: float) -> list[Finding]:
    out = []
    if abs(sync.offset) >= 0.1:
        sev = "error" if abs(sync.offset) >= 0.5 else "warning"
        out.append(Finding("global_offset", sev, None, 0.0, duration, "", "",
                           f"every cue is shown {abs(sync.offset):.3f} s "
                           f"{'late' if sync.offset > 0 else 'early'} (from {sync.cues_used} cues)"))
    effect = abs(sync.drift) * duration
    if effect >= 0.2:
        sev = "error" if effect >= 0.5 else "warning"
        ratio = 1 + sync.drift
        hint = ""
        for a, b, name in ((25, 23.976, "25 vs 23.976 fps"), (23.976, 25, "23.976 vs 25 fps"),
                           (30, 29.97, "30 vs 29.97 fps"), (29.97, 30, "29.97 vs 30 fps"),
                           (25, 24, "25 vs 24 fps"), (24, 25, "24 vs 25 fps")):
            if abs(ratio - a / b) < 2e-4:
                hint = f"; the ratio of {name}"
        out.append(Finding("drift", sev, None, 0.0, duration, "", "",
                           f"cue times drift by {sync.drift_ppm:+.0f} ppm ({effect:.2f} s over the file){hint}"))
    return out


def _find_elsewhere(cue_text: Sequence[str], rec: Recognition, taken: set[int],
                    lang: str) -> tuple[float, float] | None:
    """Where a cue's words are spoken among the words no other cue claimed, if anywhere."""
    tokens = [t for w in cue_text for t in spoken_tokens(w, lang)]
    if len(tokens) < 3:
        return None
    free = [i for i in range(len(rec.words)) if i not in taken]
    best, where = 0.0, None
    n = len(cue_text)
    for s in range(len(free)):
        window = free[s:s + n]
        if len(window) < max(2, n // 2) or rec.words[window[-1]].start - rec.words[window[0]].end > 3 * n:
            continue
        heard = [t for i in window for t in spoken_tokens(rec.words[i].text, lang)]
        score = SequenceMatcher(None, tokens, heard, autojunk=False).ratio()
        if score > best:
            best, where = score, (rec.words[window[0]].start, rec.words[window[-1]].end)
    return where if best >= 0.75 else None


def _fills_hole(spans: Sequence[tuple[float, float]], k: int, a: float, b: float) -> bool:
    """Whether [a, b] is mostly shown by no cue but k."""
    shown = sum(max(0.0, min(y, b) - max(x, a)) for j, (x, y) in enumerate(spans) if j != k)
    return shown < 0.3 * (b - a)


def utterances(speech: Sequence[tuple[float, float]], bridge: float = 0.35) -> list[tuple[float, float]]:
    """Spans with gaps under ``bridge`` seconds joined: voice so joined is an utterance, and
    a translated cue starts with one of these."""
    out: list[tuple[float, float]] = []
    for a, b in speech:
        if out and a - out[-1][1] < bridge:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _check_translations(whisper, audio, rec: Recognition, cues: Sequence[SubtitleCue],
                        translated: list[tuple[int, str]], corrected: list[tuple[float, float]],
                        covered: list[tuple[float, float]], threshold: float) -> list[Finding]:
    """Cues over speech in another language: meaning, by how much better the text fits its own
    audio than other cues' audio as Whisper's translation; timing, by where that fit is best."""
    out: list[Finding] = []
    score = _TranslationScorer(whisper, audio)
    texts = [c.text.replace("\n", " ") for c in cues]
    starts = [u[0] for u in utterances(rec.speech)]
    for k, language in translated:
        cue = cues[k]
        a, b = corrected[k]
        own = score((a, b), texts[k], language)
        if own is None:
            continue
        near = min(starts, key=lambda s: abs(s - a)) if starts else a
        if abs(near - a) > threshold:
            # Does the text fit better where an utterance starts?
            best_shift, best_gain = 0.0, 0.0
            for s in [x for x in starts if threshold < abs(x - a) <= 4.0]:
                trial = score((s, s + (b - a)), texts[k], language)
                if trial is None:
                    continue
                # Speech no other cue shows is where a moved cue most likely belongs.
                others = sum(max(0.0, min(y, s + b - a) - max(x, s))
                             for j, (x, y) in enumerate(corrected) if j != k) / (b - a)
                gain = trial - own - (0.0 if others < 0.3 else 0.2)
                if gain > best_gain:
                    best_shift, best_gain = s - a, gain
            if best_gain >= 0.3 or (best_gain >= 0.1 and best_shift != 0.0 and _fills_hole(
                    corrected, k, a + best_shift, b + best_shift)):
                s0 = a + best_shift
                out.append(Finding(
                    "timing_offset", "error", cue.index, s0, s0 + (b - a), cue.text,
                    _heard_text(rec, s0, s0 + b - a),
                    f"shown {abs(best_shift):.2f} s {'after' if best_shift < 0 else 'before'} the speech it translates",
                    cue.start, cue.end))
                corrected[k] = (s0, s0 + (b - a))
                covered.append(corrected[k])
                continue
        others = [j for j in range(max(0, k - 4), min(len(cues), k + 5)) if j != k]
        baseline = [v for j in others if (v := score(corrected[j], texts[k], language)) is not None]
        if len(baseline) >= 3:
            gain = own - float(np.median(baseline))
            if gain < 0.25:
                out.append(Finding("meaning_mismatch", "warning", cue.index, a, b, cue.text,
                                   _heard_text(rec, a, b),
                                   "as a translation, the text fits this speech no better than other cues' "
                                   f"speech (gain {gain:+.2f})"))
    return out


def _transcript_findings(cues: Sequence[SubtitleCue], script: Transcript, lang: str) -> list[Finding]:
    """Cues whose words differ from the approved transcript (what the editors signed off)."""
    words, owner = _all_cue_words(cues)
    t_words = [w.text for w in script.words]
    a = [" ".join(spoken_tokens(w, lang)) for w in words]
    b = [" ".join(spoken_tokens(w, lang)) for w in t_words]
    per_cue: dict[int, list[str]] = {}
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        k = owner[i1] if i1 < len(owner) else (owner[i1 - 1] if i1 else None)
        if k is None:
            continue
        pub, ref = " ".join(words[i1:i2]), " ".join(t_words[j1:j2])
        if len(ref.split()) > 25 and not pub:
            continue  # a passage the subtitles leave out entirely: reported as missing speech instead
        per_cue.setdefault(k, []).append(
            f"subtitles '{pub}', transcript '{ref}'" if pub and ref else
            f"not in the transcript: '{pub}'" if pub else f"transcript has '{ref}' here")
    out = []
    for k, details in sorted(per_cue.items()):
        cue = cues[k]
        out.append(Finding("transcript_mismatch", SEVERITY["transcript_mismatch"], cue.index, cue.start, cue.end,
                           cue.text, "", "; ".join(details)))
    return out
