"""The words of stage directions and sounds ("(laughs)", "[MUSIC]"): not speech, and no
speaker's name, whether in a transcript (``transcript``) or in published subtitles
(``subtitles.labels``). A data module: it imports nothing, so both can read it."""

from __future__ import annotations

__all__ = ["DIRECTIONS", "SOUND_WORDS"]

# Stage directions that appear in parentheses; anything in square brackets is editorial anyway.
DIRECTIONS = {
    "laughs", "laughing", "laughter", "applause", "crosstalk", "cross talk", "inaudible",
    "unintelligible", "music", "sighs", "sigh", "pause", "pauses", "coughs", "cough", "cheering",
    "cheers", "silence", "background noise", "noise", "off camera", "off mic", "sic", "chuckles",
    "clears throat", "overlapping", "indistinct", "phonetic", "ph", "audio cuts out", "break",
    "end", "video clip", "clip", "singing", "gunfire", "explosion", "foreign language",
    "speaking foreign language", "speaks russian", "speaks ukrainian", "translated",
}
# The words of those directions, and other sounds subtitles bracket ("[MUSIC]", "(door
# knocking)"): a bracket of them names no speaker, in a transcript or in published subtitles.
SOUND_WORDS = frozenset(
    {w for phrase in DIRECTIONS for w in phrase.split()}
    | set("gasps whispers whispering static beep beeping sings screams screaming crying sobs groans door knock "
          "knocking phone ringing rings continues crowd offscreen screen narrator voice sighing chuckling "
          "coughing".split()))
