"""Real voices from ../shared/corpus for the audit's bench: correct subtitles and defective copies.

Each item is a recording with its exact text. Its correct subtitles are cut by ``aligner align``
from that text (as a newsroom would make them); the defective copies change one thing each, in
cues chosen by a fixed rule, so that every run injects the same defects:

- ``name``: a capitalised name (not a sentence's first word) replaced by another name;
- ``number``: a number (digits, or a number word) replaced by another;
- ``swap``: a content word replaced by a word that sounds nothing like it;
- ``removed``: a cue taken out (its speech then has no cue: ``missing_subtitle``);
- ``shifted``: a cue shown 2.5 s later than it is spoken (``timing_offset``);
- ``untranslated``: a cue's text replaced by a line in another language (``wrong_language``).

``with_noise`` lays seeded pink noise under a recording (a street, a crowd, an air
conditioner), to audit subtitles cut from the clean voice over the noisy one.

Read from ../shared (not every licence there allows a copy into the project's fixtures).
"""

from __future__ import annotations

import json
import re
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pysrt

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Item:
    name: str
    language: str
    media: Path
    text: str  # the exact text, a paragraph a line


def with_noise(media: Path, snr: float, folder: Path, seed: int = 7) -> Path:
    """``media`` with pink noise ``snr`` dB under its own mean power (pauses included, as
    ffmpeg's volumedetect reads it), as 16-bit 16 kHz WAV in ``folder``; the same noise
    every run (``seed``)."""
    from aligner.runtime.media import SAMPLE_RATE, decode

    audio = decode(media)
    try:
        voice = audio.read()
    finally:
        audio.close()
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(len(voice)))
    spectrum /= np.sqrt(np.maximum(np.fft.rfftfreq(len(voice), 1 / SAMPLE_RATE), 20.0))  # 1/f power
    noise = np.fft.irfft(spectrum, len(voice))
    noise *= np.sqrt(np.mean(voice ** 2) / np.mean(noise ** 2)) * 10 ** (-snr / 20)
    mixed = np.clip(voice + noise, -1.0, 1.0)
    target = folder / f"{media.parent.name}_{media.stem}.snr{snr:g}.wav"
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((mixed * 32767).astype("<i2").tobytes())
    return target


def _lines(path: Path) -> str:
    """A transcript as its file gives it (a reading's lines stay one paragraph: one short line
    a paragraph would read as page furniture)."""
    return path.read_text(encoding="utf-8")


def _segments(folder: Path) -> str:
    segs = json.loads((folder / "segments.json").read_text(encoding="utf-8"))["segments"]
    return "\n\n".join(s["text"] for s in segs)


def items() -> list[Item]:
    """Every real voice of the shared corpus with an exact text."""
    out = []
    lj = CORPUS / "readings" / "ljspeech_names"
    if lj.exists():
        out.append(Item("ljspeech_names", "en", lj / "audio.flac", _segments(lj)))
    for lang in ("de", "es", "fr"):
        folder = CORPUS / "multilingual" / f"{lang}_fleurs"
        if folder.exists():
            out.append(Item(f"{lang}_fleurs", lang, folder / "audio.flac", _segments(folder)))
    panel = CORPUS / "speakers" / "panel_7voices"
    if panel.exists():
        out.append(Item("panel_7voices", "en", panel / "audio.flac", _lines(panel / "transcript.txt")))
    meeting = CORPUS / "speakers" / "ami_meeting_30s"
    if meeting.exists():
        out.append(Item("ami_meeting", "en", meeting / "audio.flac", _lines(meeting / "transcript.txt")))
    readings = CORPUS / "readings"
    for name, lang in (("sonnet002", "en"), ("sonnet003", "en"), ("spanish_reading", "es")):
        media = next(readings.glob(f"{name}.*[!t]"), None) if readings.exists() else None
        if media is not None and (readings / f"{name}.txt").exists():
            text = _lines(readings / f"{name}.txt")
            if name.startswith("sonnet"):  # "Sonnet II / II": the reader says "Two." only
                number = {"sonnet002": "Two.", "sonnet003": "Three."}[name]
                text = number + "\n\n" + "\n".join(text.splitlines()[2:])
            out.append(Item(name, lang, media, text))
    emu = CORPUS / "wordtimes" / "emur_msajc"
    if emu.exists():  # an Australian reader, seven sentences: a voice nothing was tuned on
        out.append(Item("emur_msajc", "en", emu / "audio.wav", _lines(emu / "transcript.txt")))
    if (CORPUS / "jfk.flac").exists():
        out.append(Item("jfk", "en", CORPUS / "jfk.flac", _lines(CORPUS / "jfk.txt")))
    return out


# Findings on the correct subtitles that the audio bears out: not false errors. Each was
# checked by its evidence (and the first by the subtitles' times against the recording).
KNOWN = {
    "ami_meeting": [{"kind": "missing_subtitle", "cue": None, "start": 29.5, "end": 30.0,
                     "what": "FEO070 and FEO072 speak over MEE071 from 27.9 s to the clip's end (speakers.rttm); "
                             "the transcript has no line of theirs there"}],
    "panel_7voices": [{"kind": "timing_offset", "cue": None, "contains": "uh so this is the sick corpus",
                       "what": "align shows Michael's second turn from 58.32 s; turns.json starts it at 59.31 s"}],
    "de_fleurs": [{"kind": "missing_subtitle", "cue": None, "start": 155.5, "end": 157.3,
                   "what": "align ends the last cue at 154.96 s, before 'oravec 2002' (155.5-157.3 s) is said"}],
    "es_fleurs": [{"kind": "text_mismatch", "cue": None, "contains": "de la que forma parte",
                   "what": "the reader says 'de que forma parte': both hearings lack 'la', and the acoustic fit "
                           "without it is 62 nats better"}],
}


# words that sound like none of the words they replace, by language
_SWAPS = {"en": ("umbrella", "carpet"), "de": ("Regenschirm", "Teppich"), "es": ("paraguas", "alfombra"),
          "fr": ("parapluie", "tapis")}
_NAMES = {"en": "Ramirez", "de": "Schneider", "es": "Gutiérrez", "fr": "Lefebvre"}
_NUMBER_WORDS = {"en": ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                        "sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred thousand").split(),
                 "de": "eins zwei drei vier fünf sechs sieben acht neun zehn zwanzig hundert tausend".split(),
                 "es": "uno dos tres cuatro cinco seis siete ocho nueve diez veinte cien mil".split(),
                 "fr": "un deux trois quatre cinq six sept huit neuf dix vingt cent mille".split()}
# a line left in another language (as if the translation was forgotten)
_OTHER_LANGUAGE = {"en": "The weather was very cold in the city that winter",
                   "es": "El tiempo era muy frío en la ciudad aquel invierno"}
_NUMBER_SWAP = {"en": "seventy", "de": "siebzig", "es": "setenta", "fr": "soixante"}


def _words(cue) -> list[str]:
    return cue.text.replace("\n", " ").split()


def _replace_word(cue, k: int, new: str) -> str:
    words = _words(cue)
    lead, _core, tail = re.match(r"^(\W*)(.*?)(\W*)$", words[k]).groups()  # type: ignore[union-attr]
    words[k] = lead + new + tail
    return " ".join(words)


def _pick(subs, language: str, kind: str) -> tuple[int, int] | None:
    """(cue, word) to change for ``kind``, the first that fits in the middle third of the file."""
    n = len(subs)
    order = list(range(n // 3, n)) + list(range(0, n // 3))
    for c in order:
        if _readable(subs, c) != c:
            continue
        words = _words(subs[c])
        # "[Michael]", "[Ls 2412]": a speaker's label, not speech
        label = next((i + 1 for i, w in enumerate(words) if w.endswith("]")), 0) if words[:1] and \
            words[0].startswith("[") else 0
        for k, w in enumerate(words[label:], start=label):
            core = re.sub(r"\W", "", w)
            if kind == "name" and k > label and core[:1].isupper() and len(core) >= 4 and not core.isupper():
                return c, k
            if kind == "number" and (core.isdigit() or core.lower() in _NUMBER_WORDS.get(language, ())):
                return c, k
            if kind == "swap" and len(core) >= 6 and core.isalpha() and core.islower():
                return c, k
    return None


def _readable(subs, c: int) -> int:
    """Cue ``c`` or the first after it shown for a second or more: a cue too brief to read
    (crosstalk cut into 40 ms cues) is not where a subtitler errs."""
    return next((k for k in range(c, len(subs)) if subs[k].duration.ordinal >= 1000), c)


def defects(srt: Path, language: str, out: Path) -> list[tuple[Path, list[dict]]]:
    """Defective copies of ``srt`` in ``out``, each with the findings it must give."""
    made = []
    for kind in ("name", "number", "swap", "removed", "shifted", "untranslated"):
        subs = pysrt.open(str(srt), encoding="utf-8")
        if len(subs) < 4:
            continue
        expected: list[dict] = []
        if kind in ("name", "number", "swap"):
            pick = _pick(subs, language, kind)
            if pick is None:
                continue
            c, k = pick
            new = {"name": _NAMES, "number": _NUMBER_SWAP}.get(kind, {}).get(language) or _SWAPS[language][0]
            subs[c].text = _replace_word(subs[c], k, new)
            was = _words(pysrt.open(str(srt), encoding="utf-8")[c])[k]
            expected.append({"kind": "text_mismatch", "cue": c + 1, "what": f"{was} -> {new}"})
        elif kind == "removed":
            c = _readable(subs, len(subs) // 2)
            cue = subs[c]
            expected.append({"kind": "missing_subtitle", "cue": None, "start": cue.start.ordinal / 1000,
                             "end": cue.end.ordinal / 1000, "what": cue.text})
            del subs[c]
        elif kind == "shifted":
            c = _readable(subs, len(subs) // 2 + 1)
            subs[c].shift(milliseconds=2500)
            expected.append({"kind": "timing_offset", "cue": c + 1, "what": "shown 2.5 s late"})
        else:
            c = _readable(subs, len(subs) // 2 - 1)
            subs[c].text = _OTHER_LANGUAGE["es" if language == "en" else "en"]
            expected.append({"kind": "wrong_language", "cue": c + 1, "what": "a line in another language"})
        path = out / f"{srt.stem}.{kind}.srt"
        subs.save(str(path), encoding="utf-8")
        made.append((path, expected))
    return made
