"""PocketSphinx and the words' phones: the acoustic model's side of the re-timing.

PocketSphinx's en-us acoustic model and CMU dictionary from its wheel, and gruut's English
grapheme-to-phoneme model for words the dictionary lacks. Words of another language are
spelled by gruut's lexicon and model for that language (``gruut-lang-de`` and the like) and
their phones mapped onto the nearest of the en-us model's (``foreign_phones``): too coarse to
time words by, enough for the audit to ask which of two texts fits a voice better. A decoder
per thread (it holds its utterance's state), reset before each utterance (``_forget``), so
that an alignment depends on its own audio alone.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Sequence
from functools import cache, lru_cache

import numpy as np

from ..text.textnorm import spoken_tokens

__all__ = ["NOT_WORDS", "SPELLED", "align_group", "decode", "decoder", "foreign_phonemes", "foreign_phones", "g2p",
           "in_lexicon", "pronunciations", "said_alike", "speaks", "spell"]

log = logging.getLogger(__name__)

NOT_WORDS = frozenset({"<sil>", "<s>", "</s>", "(NULL)", "[NOISE]"})


_IPA_TO_ARPABET = {
    "ɑ": "AA", "ɒ": "AA", "æ": "AE", "ʌ": "AH", "ə": "AH", "ɐ": "AH", "ɔ": "AO", "aʊ": "AW",
    "aɪ": "AY", "b": "B", "tʃ": "CH", "d": "D", "ð": "DH", "ɛ": "EH", "ɚ": "ER", "ɝ": "ER",
    "eɪ": "EY", "f": "F", "ɡ": "G", "g": "G", "h": "HH", "ɪ": "IH", "ᵻ": "IH", "i": "IY",
    "dʒ": "JH", "k": "K", "l": "L", "l̩": "L", "m": "M", "m̩": "M", "n": "N", "n̩": "N",
    "ŋ": "NG", "oʊ": "OW", "o": "OW", "ɔɪ": "OY", "p": "P", "ɹ": "R", "r": "R", "ɾ": "D",
    "s": "S", "ʃ": "SH", "t": "T", "θ": "TH", "ʊ": "UH", "u": "UW", "v": "V", "w": "W",
    "j": "Y", "z": "Z", "ʒ": "ZH", "ʔ": "T",
}


# The nearest en-us phone of each sound gruut writes for another language (what the English
# table lacks): front rounded vowels by their rounding, fricatives English lacks by the nearest
# it has, nasal vowels by their vowel (the mark is stripped), clusters by their parts.
_FOREIGN_TO_ARPABET = {
    "a": "AA", "ä": "AA", "e": "EY", "o": "OW", "y": "UW", "ʏ": "UH", "ø": "ER", "œ": "ER", "ɜ": "ER",
    "ɵ": "AH", "ɘ": "AH", "ɤ": "AH", "ɨ": "IH", "ɯ": "UW", "ɶ": "AA", "ɞ": "ER",
    "ç": "HH", "x": "HH", "χ": "HH", "ħ": "HH", "ɦ": "HH", "ʁ": "R", "ʀ": "R", "ɽ": "R", "ɾ": "D",
    "ɲ": "N Y", "ʎ": "L Y", "ʝ": "Y", "ɟ": "G", "c": "K", "q": "K", "β": "B", "ɣ": "G", "ɸ": "F",
    "ɱ": "M", "ɫ": "L", "ʋ": "V", "ɥ": "W", "ʂ": "SH", "ʐ": "ZH", "ɕ": "SH", "ʑ": "ZH", "ɬ": "SH",
    "ts": "T S", "ʦ": "T S", "pf": "P F", "tɕ": "CH", "dʑ": "JH", "ʧ": "CH", "ʤ": "JH", "dz": "D Z",
    "ai": "AY", "au": "AW", "ei": "EY", "oi": "OY", "ɔʏ": "OY", "ɔø": "OY", "ʔ": "",
}
# marks that change a sound's length, stress, nasality or release, not which phone it is nearest
_MARKS = re.compile("[ˈˌːˑ\u0303\u0329\u032f\u0361\u035cʰʲʷ̥̪̩̯]")


@lru_cache(maxsize=1)
def g2p():
    """gruut's English grapheme-to-phoneme model (a CRF shipped in gruut-lang-en)."""
    from pathlib import Path

    import gruut_lang_en
    from gruut.g2p import GraphemesToPhonemes

    return GraphemesToPhonemes(Path(gruut_lang_en.__file__).parent / "g2p" / "model.crf")


def spell(token: str) -> str | None:
    """ARPABET phones for a word no dictionary holds, from gruut's model; None if it gives none."""
    phones = []
    for p in g2p()(token):
        p = p.replace("ˈ", "").replace("ˌ", "").replace("ː", "")
        if p in _IPA_TO_ARPABET:
            phones.append(_IPA_TO_ARPABET[p])
        elif p:
            # a diphthong or cluster gruut writes as one symbol but the table has by parts
            parts = [_IPA_TO_ARPABET.get(c) for c in p]
            phones.extend(x for x in parts if x)
    return " ".join(phones) or None


def _foreign_arpabet(phoneme: str) -> list[str]:
    """The en-us phones nearest one phoneme gruut writes for another language."""
    bare = _MARKS.sub("", phoneme)
    for table in (_FOREIGN_TO_ARPABET, _IPA_TO_ARPABET):
        if bare in table:
            return table[bare].split()
    return [x for c in bare for x in (_FOREIGN_TO_ARPABET.get(c) or _IPA_TO_ARPABET.get(c, "")).split()]


@cache
def speaks(language: str) -> bool:
    """Whether gruut's lexicon and model for ``language`` are installed (``gruut-lang-xx``)."""
    import importlib.util

    return language != "en" and importlib.util.find_spec(f"gruut_lang_{language}") is not None


@lru_cache(maxsize=8192)
def foreign_phonemes(token: str, language: str) -> tuple[str, ...] | None:
    """gruut's phonemes (IPA) for a spoken token of ``language``, from its lexicon and model;
    None where gruut gives none. gruut's per-call set-up costs about 30 ms, hence the cache."""
    import gruut

    phonemes: list[str] = []
    try:
        for sentence in gruut.sentences(token, lang=language, major_breaks=False, minor_breaks=False):
            for word in sentence:
                phonemes.extend(word.phonemes or ())
    except Exception as exc:
        log.debug("gruut could not say %r in %s: %s", token, language, exc)
        return None
    return tuple(phonemes) or None


def foreign_phones(token: str, language: str) -> str | None:
    """en-us phones for a spoken token of ``language`` (``foreign_phonemes``, each mapped onto
    the nearest en-us phones); None where gruut gives none."""
    phones = [x for p in foreign_phonemes(token, language) or () for x in _foreign_arpabet(p)]
    return " ".join(phones) or None


def said_alike(a: Sequence[str], b: Sequence[str], language: str) -> bool:
    """Whether two passages are said with the same phones: homophones ("psalters" and
    "salters", "there" and "their", "ces" and "ses"), which no acoustic evidence can tell
    apart. English by the en-us dictionary (or the G2P model where it lacks a word), another
    language by gruut's own phonemes for it, marks of length and stress aside (its phones
    mapped onto the en-us model's would make near-homophones alike); False where a word
    cannot be said, or the language has neither."""
    sa, sb = _sound(a, language), _sound(b, language)
    return sa is not None and sa == sb


def _sound(words: Sequence[str], language: str) -> tuple[str, ...] | None:
    """A passage's phones, one after another (``said_alike``); None if a word has none."""
    out: list[str] = []
    for word in words:
        if language == "en":
            entries = pronunciations(word, "en")
            phones = [decoder().lookup_word(e) for e in entries]
            if not entries or not all(phones):
                return None
            out += " ".join(phones).split()
        elif speaks(language):
            for token in spoken_tokens(word, language):
                phonemes = foreign_phonemes(token, language)
                if phonemes is None:
                    return None
                out += [m for m in (_MARKS.sub("", p) for p in phonemes) if m]
        else:
            return None
    return tuple(out) if out else None


@cache
def _lexicon(language: str):
    """gruut's pronunciation lexicon for ``language`` (an SQLite file in gruut-lang-xx), or None."""
    import importlib
    import sqlite3
    from pathlib import Path

    try:
        module = importlib.import_module(f"gruut_lang_{language}")
    except ImportError:
        return None
    path = Path(module.__file__ or "").parent / "lexicon.db"
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False) if path.exists() else None


@lru_cache(maxsize=65536)
def in_lexicon(word: str, language: str) -> bool | None:
    """Whether ``word`` is in gruut's pronunciation lexicon for ``language``: a word of the
    language, however rare in running text ("referirte"), not a name or a garble; None
    without a lexicon for it."""
    db = _lexicon(language)
    if db is None:
        return None
    return db.execute("SELECT 1 FROM word_phonemes WHERE word = ? LIMIT 1", (word.lower(),)).fetchone() is not None


_local = threading.local()


def decoder():
    """PocketSphinx with its bundled en-us model and CMU dictionary, no language model: one
    a thread (a decoder holds its utterance's state), made once (0.1 s)."""
    if getattr(_local, "decoder", None) is None:
        from pocketsphinx import Decoder

        _local.decoder = Decoder(lm=None, loglevel="FATAL")
    return _local.decoder


def _forget(decoder) -> None:
    """Clear what the decoder learnt of the previous utterance (its noise estimate), so that
    an alignment depends on its own audio alone, not on which utterances the thread aligned
    before it (without this, aligning the news clip's groups in reverse order moved 33 of its
    531 word starts by 10-60 ms). PocketSphinx 5 deprecates the call, but it is the one that
    resets the noise statistics."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        decoder.start_stream()


_APOSTROPHES = re.compile(r"[’‘`]")
_EDGE = re.compile(r"^[^\w']+|[^\w']+$")


def pronunciations(word: str, language: str = "en") -> list[str]:
    """The dictionary entries that say ``word``: itself if the dictionary has it ("don't"),
    else its spoken tokens ("30" → "thirty"), each added from the G2P model if missing.
    Empty for a word with nothing to say ("—"). A word of another language gruut speaks
    (``speaks``) is said by that language's spelling, as entries of its own ("schule@de")."""
    if language != "en" and speaks(language):
        return _entries(word, language)
    sphinx = decoder()
    plain = _EDGE.sub("", _APOSTROPHES.sub("'", word.lower()))
    if plain and sphinx.lookup_word(plain):
        return [plain]
    return _entries(word, "en")


def _entries(word: str, language: str) -> list[str]:
    """A word's spoken tokens as dictionary entries, each added if missing: English tokens
    under their own name, spelled by the G2P model; another language's as "token@xx" with
    gruut's phones for that language. Empty when one cannot be spelled."""
    sphinx = decoder()
    out = []
    for token in spoken_tokens(word, language):
        entry = token if language == "en" else f"{token}@{language}"
        if not sphinx.lookup_word(entry):
            phones = spell(token) if language == "en" else foreign_phones(token, language)
            if phones is None:
                return []
            sphinx.add_word(entry, phones, update=True)
            SPELLED[entry] = phones
        out.append(entry)
    return out


SPELLED: dict[str, str] = {}  # the words added to the dictionary from the G2P model, with their phones


def decode(samples: np.ndarray, phrase: str, noise_floor: float) -> bool:
    """``phrase`` (dictionary entries) force-aligned over ``samples``; False if the aligner
    refused it. The result is left in the thread's decoder (``seg()``, ``hyp()``)."""
    sphinx = decoder()
    noisy = samples + np.random.default_rng(0).normal(0.0, noise_floor, len(samples))
    try:
        _forget(sphinx)
        sphinx.set_align_text(phrase)
        sphinx.start_utt()
        sphinx.process_raw((np.clip(noisy, -1, 1) * 32767).astype("<i2").tobytes(), full_utt=True)
        sphinx.end_utt()
    except RuntimeError as exc:
        log.debug("acoustic aligner failed: %s", exc)
        return False
    return True


def align_group(samples: np.ndarray, entries: Sequence[Sequence[str]],
                noise_floor: float) -> list[tuple[int, int] | None]:
    """Each word's 10 ms frames [start, end) within ``samples``, given its dictionary entries.

    When the aligner cannot reach the end of the text (the audio stops inside the last words,
    or they were not said), it gives the path it found as far as it got: those words are kept
    but for the last one, whose end it forced onto the audio's; the rest are None.
    """
    flat = [e for word in entries for e in word]
    if not decode(samples, " ".join(flat), noise_floor):
        return [None] * len(entries)
    segs = [s for s in decoder().seg() or () if s.word not in NOT_WORDS]  # None: no path at all
    complete = len(segs) == len(flat)
    out: list[tuple[int, int] | None] = []
    k = 0
    for word in entries:
        last = k + len(word) - 1
        if last < len(segs) - (0 if complete else 1):
            out.append((segs[k].start_frame, segs[last].end_frame + 1))
        else:
            out.append(None)
        k += len(word)
    return out
