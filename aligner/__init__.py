"""aligner: edited transcripts timed against their video as professional subtitles.

    import aligner
    result = aligner.align("clip.mp4", "clip.txt")
    result.save("clip.srt")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cues import Cue, TimedWord
    from .errors import AlignerError, InputError, MediaError, ModelError, OutputError
    from .pipeline import Alignment, Unheard, Untranscribed, align
    from .profiles import PROFILES, Profile, get_profile
    from .transcript import Transcript, Turn, Word, parse

__version__ = "0.1.0"

# The API is imported on first use (PEP 562), not with the package: a process that needs one
# module (the sidecar needs ``acoustic``) then loads only what that module imports.
_HOME = {
    "Cue": "cues", "TimedWord": "cues",
    "AlignerError": "errors", "InputError": "errors", "MediaError": "errors", "ModelError": "errors",
    "OutputError": "errors",
    "Alignment": "pipeline", "Unheard": "pipeline", "Untranscribed": "pipeline", "align": "pipeline",
    "PROFILES": "profiles", "Profile": "profiles", "get_profile": "profiles",
    "Transcript": "transcript", "Turn": "transcript", "Word": "transcript", "parse": "transcript",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'aligner' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value

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
