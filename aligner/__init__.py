"""aligner: edited transcripts timed against their video as professional subtitles.

    import aligner
    result = aligner.align("clip.mp4", "clip.txt")
    result.save("clip.srt")
"""

from __future__ import annotations

from .cues import Cue, TimedWord
from .errors import AlignerError, InputError, MediaError, ModelError, OutputError
from .pipeline import Alignment, Unheard, Untranscribed, align
from .profiles import PROFILES, Profile, get_profile
from .transcript import Transcript, Turn, Word, parse

__version__ = "0.1.0"

__all__ = [
    "PROFILES",
    "AlignerError",
    "Alignment",
    "Cue",
    "InputError",
    "MediaError",
    "ModelError",
    "OutputError",
    "Profile",
    "TimedWord",
    "Transcript",
    "Turn",
    "Unheard",
    "Untranscribed",
    "Word",
    "__version__",
    "align",
    "get_profile",
    "parse",
]
