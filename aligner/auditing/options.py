"""How the audit decides: every margin and threshold of its checks, in one options object.

Each field's note says what it does and why its default; the defaults were calibrated on the
fixtures and the real voices of ``bench/bench_audit.py`` (``docs/audit.md``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

__all__ = ["FRAME_RATE_MISMATCHES", "AuditOptions"]

log = logging.getLogger(__name__)


# (shown at, made at) frame rates whose ratio a drift may be: a programme conformed from one
# rate to the other without its subtitles (the ratios differ from each other by 1e-3 or more)
FRAME_RATE_MISMATCHES = ((25, 23.976), (23.976, 25), (30, 29.97), (29.97, 30), (25, 24), (24, 25))


@dataclass(frozen=True)
class AuditOptions:
    """Every threshold the audit decides by, each with its reason.

    Text (log-likelihoods in nats, from the speech model on the cue's own audio):

    - ``text_margin`` = 5.0: a passage is a ``text_mismatch`` when the words the model hears
      there are this much more probable than the published ones (e^5 ≈ 150 times), both in its
      alignment window and again on the cue's own audio heard afresh (``recheck_pad`` seconds
      either side). Calibrated on real voices (LibriVox readings, JFK), int8 and float32: correct
      cues score at most 2.5 (archaic spellings, "shalt" heard "shall"), near-homophone swaps
      6.2–12 ("secession" for "succession", "grass" for "glass", "me" for "you"); the margin sits
      over a nat from both. Names a voice says as written and the model hears as other words
      clear it; ``phone_margin`` settles them. Lower the margin to catch more at the risk of
      false errors; raise it for fewer, surer errors (``--text-margin``).

    - ``prior_margin`` = 3.0: the heard words must also beat the published ones by this much
      more than they do over silence of the same length, where only the model's sense of
      language speaks. Whisper's decoder is a language model too: over unclear speech it
      prefers fluent words ("cultural" for a slurred "call to all", "the" for "thy") as much
      with no audio at all, which is no evidence against the subtitler. Real near-homophone
      swaps keep 4.4–12 nats beyond their prior; such preferences 1.3–1.6 or less.

    - ``phone_margin`` = 20.0: in English, the two texts are also force-aligned over the same
      audio by PocketSphinx's acoustic model, which knows phones and nothing of language; when
      the published words fit the sound better by this much (its frame log-likelihoods, in
      nats), the recogniser's words are its own invention and the passage passes. It settles
      names a voice (or espeak-ng) says as written and Whisper hears as other words: "Shebekino"
      heard "Shabaki" fits 214 nats better as published, "Tavolzhanka" heard "Temple and
      Khenver" 112. A real change never fits clearly better: the seven near-homophone swaps on
      real voices score between 2.6 nats for the published side ("fourteen" against a spoken
      "forty", one phone apart) and 332 for the heard side ("you" against "me"), and the
      subtitler's "did" for a spoken "didn't" 2.5 for the published side, well inside the margin.
      (Figures with every alignment started afresh, ``acoustic._forget``; before, a fit
      depended on the one before it, and "fourteen" scored 8.4.)
    - ``phone_decides`` = 100.0: a contradicted passage with a name, a foreign word or a
      recogniser's garble on either side (not an ordinary word of the language, ``ordinary_zipf``)
      is an error only when the acoustic fit prefers the heard words by this much; else it is a
      ``check``, a person should listen (its confidence at most ``check_confidence`` = 0.5: the
      audio has not decided). On the real voices of ``bench_audit.py --real`` the injected
      changes fit the heard words 348–778 nats better where a fit was found; the correct
      subtitles' names and garbles ("Pannartz" heard "Panartes", "nutzung" heard "Nützung")
      between -18.5 and +26.7, or no fit at all (the fit needs both texts said through the
      span); espeak-ng's Russian "Grayvoron" in the synthetic hour, heard "grey wall on" and
      "Brave Wallon", 66 and 71 (the English G2P says the name unlike the voice does).
      ``phone_passage_words`` = 3: the fit decides only a passage of at most this many words a
      side (a name, a word or two swapped); over a longer one it measures which text covers
      more of the audio (the synthetic hour's "of Novaya Tavolzhanka in the Belgorod" against
      eleven heard words, a neighbour's among them, fits 129–195 nats worse as published).
    - ``faint_db`` = 24.0, ``level_percentile`` = 90: a contradicted passage heard over speech
      more than this many dB under the recording's own (each stretch's level the 90th
      percentile of its 10 ms frames, the recording's the median over its cues: ``level``) is
      a ``check`` unless the acoustic fit decides. On the ten real recordings of
      ``bench_audit.py --real`` the faintest cue of any recording is 18.9 dB under its file's
      (the AMI meeting; the panel's speaker who talks "slightly lower in intensity" 16.5),
      but for FLEURS-fr's first sentence, 26–29 dB under: heard "110" for "incendie" with
      Intel's kernels and otherwise with this machine's, and with no phone path.
    - ``phone_reach`` = (0.3, 0.9) s: Whisper names a word it heard only the start of at a
      hearing's end ("now receive" for a cut-off "as Russian"), and PocketSphinx finds no path
      through a word whose sound stops short. When a text cannot be fitted over the hearing's
      audio, both texts are fitted over audio reaching 0.3 s further at each end (the rest of
      such a word, not a whole next one), then 0.9 s: a hearing's span ends where the forced
      aligner put the cue's last word, and that moved with the arithmetic ("sacapuntas" in
      FLEURS-es, placed 0.6 s short in float32 on one thread: no path for either text, and
      the passage judged by its spelling alone, an error there and a check in int8).

    - ``short_hearing`` = 0.5, ``rehear_pad`` = 0.2 s: a second hearing of a cue whose words
      were found that holds under half its spoken tokens stopped short (greedy decoding ends
      at once on some exact stretches: "the" for a line of eight words in sonnet III, read
      whole over a stretch 40 ms longer or shorter); it is heard once more over this much more
      audio either side. Without it an injected "umbrella" there went unreported. The same
      holds for the hearing of a cue whose words were not found. A doubted first or last word
      the second hearing heard nothing for is heard again with the stretch reaching this much
      past where the cue is shown on that side (the stretch starts where the cue's words were
      found, so after a changed first word: "setting," swapped for "umbrella" in LJ Speech
      went unjudged in one int8 run); heard nothing for even then, it is a ``check``.

    - ``spoken_ratio`` = 0.5: a cue is found where it is spoken when at least half its words
      match the recognised words; its text is then judged there, else as unheard.
    - ``placed_disagreement`` = 0.3 s, ``placed_probability`` = 0.01: a matched word that
      forced alignment puts further than this from where the recogniser heard it, with a
      probability under this, is taken where it was heard. Words that cannot be aligned
      (a line left in Spanish over English speech) drag the aligner's path: the next cue's
      first word was placed 2.6 s early at p = 1e-6 on the real panel, 0.44 s early at
      p = 5e-4 in sonnet III, each a false ``timing_offset`` (Whisper's own word times are
      within about 0.2 s on these voices). A placement the aligner is sure of, or that
      agrees with the hearing, is kept.

    Timing:

    - ``offset_threshold`` = 0.5 s: a cue shown further than this from its words is shifted
      (the subtitling guides' tolerance for a cue's in-time is about 2–3 frames; half a second
      is plainly visible). ``end_slack`` = 0.25 s: a cue's end may trail its last word by the
      lead-out the guides allow before the end counts as moved too. ``end_agreement`` = 0.5:
      the end must have moved at least half as far as the start, the same way: a cue moved
      by 2.5 s moves both ends by it (the lead-out aside), while a first word the aligner laid
      2.4 s early across a pause (the real panel: "and" of "and here's a long pause") left the
      end 0.45 s from the last word, the lead-out it was given.
    - ``min_anchors`` = 8 and ``min_anchor_spread`` = 0.3: a file-level offset or drift is
      estimated only from at least this many clearly heard cues (``anchor_ratio`` = 0.6 of their
      words matched, two words or more) covering at least this share of
      the file; fewer, or bunched, cues cannot tell a shifted file from a few shifted cues.
    - ``max_offset_spread`` = 0.25 s: an estimated offset is kept only when the anchors agree
      with it this closely (median absolute residual) and it exceeds twice that spread.

    Coverage and language:

    - ``min_missing`` = 0.3 s: speech with no cue is reported from this length when the
      recogniser heard words in it or within ``missing_word_slack`` (0.5 s: its word times are
      spread over a segment) of it ("Thank you."); ``min_missing_unworded`` = 1.5 s without
      words (breaths, laughter and noise are shorter, or heard as nothing).
      ``missing_join`` = 1.0 s: stretches of speech with no cue, apart by a pause no cue is
      shown over, are one finding from pauses under this: a removed cue of two sentences
      (real German FLEURS, 0.54 s between them) was two errors with the 0.5 s an utterance
      bridges, and one or two by the arithmetic; read speech pauses 0.5–1 s between sentences.
    - ``extra_max_voiced`` = 0.25: a cue over less than this share of voice is over no speech.
    - ``language_probability`` = 0.9: how sure langdetect must be of a cue's language.
    - ``min_language_words`` = 4: langdetect judges longer cues only; shorter ones are judged by
      the audio (an untranslated line is heard as such in a translated clip):
      ``untranslated_overlap`` = 0.6 of its words heard, as such, around where it is shown.
    - ``ordinary_zipf`` = 3.0: a word at least this common in a language (wordfreq's Zipf
      scale: once per million words) is an ordinary word of it; a capitalised word that is not
      one of the subtitles' language is a name. ``rare_zipf`` = 2.0: a word rarer than this in
      both the subtitles' language and the one a cue reads as is a name in lower case
      ("fisichella"); in a text passage it is unusual even when the pronunciation lexicon
      holds it ("alción", 1.65, a Spanish recogniser's garble; "referirte", 2.3, is not).
      Names and numbers out, a cue langdetect reads as another language is
      still the subtitles' when its words are on average ``word_frequency_margin`` = 0.0 Zipf
      or more commoner in theirs (langdetect is noisy on a few words): on the real sentences
      of FLEURS (de, es, fr) and LJSpeech cut into cues, those of their own language that
      langdetect misread lead by 0.8 or more, cues of another language by -0.3 or less.
      Without a word list for the language read (Welsh, Somali, Albanian), a cue whose words
      average ``ordinary_mean_zipf`` = 4.0 or more in the subtitles' language stays theirs:
      95% of those real cues average 4.9 or more in their own language; lines in those
      languages 0.8–3.3 in English.
    - ``foreign_script_share`` = 0.5: a cue with at least this share of its letters (names
      and numbers out, ``foreign_script_letters`` = 2 or more) in a script the subtitles'
      language does not use is in another language, however short ("Да.").
    - ``language_confidence`` = 0.8: Whisper's language detection on a cue's few seconds
      overrides the file's language only this sure.
    - ``elsewhere_similarity`` = 0.75: a cue not heard where shown is moved to where its words
      are heard only when they match this closely (difflib ratio of spoken tokens).

    Translated cues (Whisper's translate task, mean log-probability per token):

    - ``translation_search`` = 4.0 s: how far from where it is shown a translated cue's speech
      is looked for; ``translation_shift_gain`` = 0.3 (0.1 when the place is speech no other
      cue shows, ``translation_hole_gain``): how much better the text must fit there;
      ``translation_shown_penalty`` = 0.2 against moving it onto another cue's speech.
    - ``meaning_gain`` = 0.25: a translated cue that fits its own speech less than this better
      than its neighbours' speech is a ``meaning_mismatch`` (a warning: translations are free).
      Its baseline is the speech of up to ``meaning_neighbours`` = 4 cues either side (at least
      ``meaning_min_neighbours`` = 3 of them scored): near enough to be the same voice and room.
      They are scored nearest first, and only until the verdict is settled (``meaning_settled``).

    File-level reports:

    - ``report_offset`` = 0.1 s: a global offset is reported from this size, as a warning (two
      or three frames, the guides' tolerance); from ``error_offset`` = 0.5 s, plainly visible,
      as an error.
    - ``report_drift`` = 0.2 s: a drift is reported when it moves the file's last cue this far
      (an error from ``error_offset``); ``fps_ratio_tolerance`` = 2e-4: a drift this close to the ratio of
      two common frame rates (25/23.976, 30/29.97, 25/24) is named as that mismatch (the ratios
      differ from each other by 1e-3 or more).
    - ``coverage_margin`` = 0.1 s: speech within this of a cue counts as covered by it (a cue's
      in- and out-times sit on frames, 40 ms apart at 25 fps).

    Smaller choices, each used once:

    - ``few_anchors`` = 3: with at least this many clearly heard cues, but too few or too
      bunched for a fit, voice activity is not asked for an offset either: heard words that
      disagree with it outrank when voice starts and stops.
    - ``language_min_chars`` = 20: langdetect judges a cue's text from this many characters
      (fewer letters are any language's); ``language_min_seconds`` = 0.8: Whisper names the
      language of speech only from this much of it.
    - ``utterance_slack`` = 0.3 s, ``utterance_pad`` = 0.2 s, ``utterance_longest`` = 25 s:
      cues over the same utterance of voice (within the slack, no longer than 25 s) share its
      second hearing and language check, over the utterance with the pad either side.
    - ``elsewhere_min_tokens`` = 3: shorter cues are too common to be found elsewhere, or
      judged shifted, by their
      words ("Thank you."); ``elsewhere_seconds_per_word`` = 3.0: a stretch of heard words with
      a longer gap per cue word is not one place.
    - ``hole_shown`` = 0.3: speech counts as no other cue's when they show under this share of it.
    - ``missing_passage_words`` = 25: a longer stretch of transcript the subtitles leave out is
      reported as missing speech, not as a difference of text.
    - ``kept_encodings`` = 32: the stretches last encoded on their own (3 MB each) are kept
      for the checks after (least recently used first out; keeping every one made an hour's
      audit peak 430 MB higher): the cues over one utterance share its second hearing, a cue
      over speech in another language shares its own audio's encoding between its language
      check and its translation scores (run once its ``meaning_neighbours`` cues after it are
      judged), and those scores read each shifted and neighbouring span several times.
      ``kept_hearings`` = 8: second hearings kept (each holds its encoding): the cues over
      one utterance are judged one after another.
    - ``hearing_batch`` = 4: second hearings decoded together. The stretches the checks will
      hear are known before any cue is judged (``plan_hearings``); each is still encoded on
      its own, but their greedy decoding runs four at a time, which on two cores costs
      0.6–0.7 of decoding them one by one, and reads each as alone (the same tokens on the
      news clip's eleven stretches, int8 and float32; the same findings on every file of
      ``bench_audit.py``). Not above ``kept_hearings``.
    - ``cue_audio_pad`` = (0.2, 0.3) s: a cue's own audio, for its language and its translation
      score, runs this much before its (sync-corrected) in-time and after its out-time: a
      cue's in-time sits on or just before the first sound, and speech trails past its out-time.
    """

    text_margin: float = 5.0
    prior_margin: float = 3.0
    phone_margin: float = 20.0
    phone_reach: tuple[float, ...] = (0.3, 0.9)
    phone_decides: float = 100.0
    phone_passage_words: int = 3
    faint_db: float = 24.0
    level_percentile: float = 90.0
    check_confidence: float = 0.5
    meaning_neighbours: int = 4
    meaning_min_neighbours: int = 3
    report_offset: float = 0.1
    error_offset: float = 0.5
    report_drift: float = 0.2
    fps_ratio_tolerance: float = 2e-4
    coverage_margin: float = 0.1
    spoken_ratio: float = 0.5
    placed_disagreement: float = 0.3
    placed_probability: float = 0.01
    offset_threshold: float = 0.5
    end_slack: float = 0.25
    end_agreement: float = 0.5
    anchor_ratio: float = 0.6
    min_anchors: int = 8
    min_anchor_spread: float = 0.3
    max_offset_spread: float = 0.25
    min_missing: float = 0.3
    min_missing_unworded: float = 1.5
    missing_join: float = 1.0
    extra_max_voiced: float = 0.25
    min_language_words: int = 4
    language_probability: float = 0.9
    untranslated_overlap: float = 0.6
    recheck_pad: float = 0.4
    short_hearing: float = 0.5
    rehear_pad: float = 0.2
    language_confidence: float = 0.8
    elsewhere_similarity: float = 0.75
    translation_search: float = 4.0
    translation_shift_gain: float = 0.3
    translation_hole_gain: float = 0.1
    translation_shown_penalty: float = 0.2
    meaning_gain: float = 0.25
    missing_word_slack: float = 0.5
    few_anchors: int = 3
    language_min_chars: int = 20
    language_min_seconds: float = 0.8
    utterance_slack: float = 0.3
    utterance_pad: float = 0.2
    utterance_longest: float = 25.0
    elsewhere_min_tokens: int = 3
    elsewhere_seconds_per_word: float = 3.0
    hole_shown: float = 0.3
    missing_passage_words: int = 25
    kept_encodings: int = 32
    kept_hearings: int = 8
    hearing_batch: int = 4
    cue_audio_pad: tuple[float, float] = (0.2, 0.3)
    ordinary_zipf: float = 3.0
    rare_zipf: float = 2.0
    word_frequency_margin: float = 0.0
    ordinary_mean_zipf: float = 4.0
    foreign_script_share: float = 0.5
    foreign_script_letters: int = 2

    def __post_init__(self) -> None:
        # The two thresholds a user sets (--offset-threshold, --text-margin) checked as the CLI
        # checks them: a NaN compares false with every margin and would switch a check off.
        from ..runtime.argtypes import OFFSET_THRESHOLD, TEXT_MARGIN

        OFFSET_THRESHOLD.check("offset_threshold", self.offset_threshold)
        TEXT_MARGIN.check("text_margin", self.text_margin)
