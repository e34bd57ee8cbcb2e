"""How the recogniser hears a file: every number of the hearing, in one options object."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from faster_whisper.tokenizer import _LANGUAGE_CODES

from ..errors import InputError
from ..runtime.argtypes import shown
from ..runtime.media import DIGITAL_SILENCE

__all__ = ["RECOGNITION", "WHISPER_LANGUAGES", "RecognitionOptions", "whisper_language"]

log = logging.getLogger(__name__)

# The languages Whisper's tokenizer has a token for (ISO 639-1, and ``haw``, ``yue``): any
# other code fails inside faster-whisper with a ValueError once the model is loaded.
WHISPER_LANGUAGES: tuple[str, ...] = tuple(_LANGUAGE_CODES)
# A tag as people write it: a language code and, after "-" or "_", a region or script
# ("en-US", "pt_BR", "zh-Hant"); the region does not change what Whisper hears.
_TAG = re.compile(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*")


def whisper_language(code: str) -> str:
    """``code`` as Whisper names the language (``EN``, ``en-US`` and ``en_GB`` are ``en``),
    refused with the codes it knows when it is none of them: a language is checked before the
    model loads, not found wrong after minutes of work."""
    match = _TAG.fullmatch(code) if isinstance(code, str) else None
    found = match.group(1).lower() if match else None
    if found is None or found not in WHISPER_LANGUAGES:
        named = isinstance(code, str) and code.strip().isalpha() and len(code.strip()) > 3
        raise InputError(f"{shown(code)} is not a language code Whisper knows; give "
                         f"{'its code, not its name: ' if named else ''}one of {', '.join(WHISPER_LANGUAGES)} "
                         "(ISO 639-1, as en, de or es)")
    return found


@dataclass(frozen=True)
class RecognitionOptions:
    """How the recogniser hears a file.

    - ``vad_shortest``: the shortest pause, and the shortest voice, the voice detector reports,
      seconds. 0.12 s, not faster-whisper's 2 s: the pauses between sentences and phrases
      decide where chunks, words and cues may end.
    - ``vad_block``: seconds of audio the voice detector reads at a time. 300: memory stays
      flat over an hour.
    - ``chunk``: the longest stretch encoded and decoded at once, seconds. 30: Whisper's
      input; chunks hold whole regions of voice and are cut in pauses (``chunk_spans``).
    - ``chunk_pad``: pause kept on each side of a chunk's voice, seconds. 0.2 s: the voice
      detector cuts close, and a word's first consonant must not fall outside.
    - ``batch``: chunks decoded together. 4, not faster-whisper's 8: on two cores a batch of
      greedy decoding costs about half of decoding its chunks one by one, and each chunk in a
      batch holds some 37 MB of the decoder's cross-attention keys and values.
    - ``encode_piece``: windows the encoder takes at once inside a batch. 2: the encoder gains
      nothing from a bigger batch on a CPU, and each window in it holds ~70 MB of attention.
    - ``align_piece``: chunks whose word timestamps are aligned at once inside a batch. 1:
      ``Whisper.align`` holds the decoder's cross-attention over the 1500 frames for each of a
      chunk's tokens, and gains nothing from a batch on a CPU. Words and times are the same.
    - ``temperatures``: a chunk whose greedy reading fails faster-whisper's checks (a decoder
      loop, or a reading the model itself finds improbable) is heard again, sampled at these
      temperatures. (0.4, 0.8): two tries, not faster-whisper's five, bound a hard chunk's cost.
    - ``seed``: the seed of that sampling, 0: the same audio is heard the same way every run,
      and gets the same verdicts.
    - ``compression_limit``, ``low_logprob``: those checks, at faster-whisper's own values: a
      gzip ratio over 2.4 is a decoder loop, a mean token log-probability under -1 improbable.
    - ``no_speech``: with a mean log-probability under ``low_logprob``, a chunk the model gives
      more than this probability of holding no speech is music or noise that the decoder put
      words on. 0.8, over faster-whisper's 0.6, so that less real speech is dropped.
    - ``skip_reach``, ``skip_least``: decoding without timestamp tokens sometimes leaves out
      part of a chunk. Voice at least ``skip_least`` long (1.0 s: a phrase) with no heard word
      within ``skip_reach`` of it (0.3 s: word timestamps may stop short of their voice) is
      read again from the chunk's encoding with timestamp tokens; what that still leaves out
      is heard on its own by faster-whisper's sequential decoding.
    - ``longest_word``: a heard word whose timestamps hold more voice than this, seconds, does
      not cover that voice: after a skip, faster-whisper's word timestamps can lay the next
      word over the voice skipped. 3.0: the longest heard word of the fixtures and the real
      readings holds 1.34 s.
    - ``other_language``: how sure Whisper must be that untranscribed voice is in another
      language than the file's before it is named so and heard again in it. 0.5: a few
      seconds of speech give a less sure reading than a whole chunk, and a wrong language
      would print a garbled line in the warning.
    - ``other_language_gap``: passages of untranscribed voice at most this far apart, seconds,
      are heard together first (``heard_in_own_languages``). 1.0: one quote can come as two
      passages a fraction of a second apart; heard apart, each half is less sure of its
      language and costs an encoding.
    - ``tokens_per_second``, ``tokens_base``: a stretch heard again sequentially may yield at
      most ``tokens_base`` (16) plus ``tokens_per_second`` (10) tokens a second of it, and no
      more segments than it has seconds (plus two). Speech is 3–6 tokens a second; a damaged
      model or a decoder loop writes noise up to Whisper's 448 tokens at every temperature,
      and a stretch must not take minutes.
    - ``sound_above``, ``sound_floor``, ``silence_db``: sound is audio at least ``sound_above``
      dB (15) over the file's noise floor, the ``sound_floor`` percentile (10) of its frames
      louder than ``silence_db`` (-80 dB, digital silence). 15 dB: Silero misses some real
      voices whole (a speaker with a cold, at 18 dB over the room's noise), so sound it did not
      call voice is heard too (``missed_sound``); digital silence and quiet rooms stay unheard.
    - ``sound_least``, ``sound_margin``, ``sound_gap``: such sound is laid into the chunks
      when it lasts ``sound_least`` (0.5 s: a word or two) or more and lies more than
      ``sound_margin`` (0.3 s) from detected voice (closer, it is that voice's edge); gaps
      under ``sound_gap`` (0.3 s, shorter than a breath) are closed.
    - ``least_voice``: a chunk whose reading fails the checks is heard again at higher
      temperatures only when the voice detector found voice in at least this share of it.
      0.1: a chunk of sound it did not call voice that reads as a decoder loop is music, and
      hearing music again, sampled, is slow.
    """

    vad_shortest: float = 0.12
    vad_block: float = 300.0
    chunk: float = 30.0
    chunk_pad: float = 0.2
    batch: int = 4
    encode_piece: int = 2
    align_piece: int = 1
    temperatures: tuple[float, ...] = (0.4, 0.8)
    seed: int = 0
    compression_limit: float = 2.4
    low_logprob: float = -1.0
    no_speech: float = 0.8
    skip_reach: float = 0.3
    skip_least: float = 1.0
    longest_word: float = 3.0
    other_language: float = 0.5
    other_language_gap: float = 1.0
    tokens_per_second: float = 10.0
    tokens_base: int = 16
    sound_above: float = 15.0
    sound_floor: float = 10.0
    silence_db: float = DIGITAL_SILENCE
    sound_least: float = 0.5
    sound_margin: float = 0.3
    sound_gap: float = 0.3
    least_voice: float = 0.1


RECOGNITION = RecognitionOptions()
