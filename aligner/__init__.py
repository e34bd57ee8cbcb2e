"""aligner: edited transcripts timed against their video as professional subtitles.

    import aligner
    result = aligner.align("clip.mp4", "clip.txt")
    result.save("clip.srt")
    report = aligner.audit("clip.mp4", "clip.srt")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auditing.findings import AuditReport, Finding
    from .auditing.options import AuditOptions
    from .auditing.run import audit
    from .batch import JobOptions, run_batch
    from .errors import AlignerError, InputError, MediaError, ModelError, OutputError
    from .options import AlignOptions
    from .pipeline import Alignment, Unheard, Untranscribed, align
    from .runtime.model import ModelSpec
    from .subtitles.cues import Cue, TimedWord
    from .subtitles.profiles import PROFILES, Profile, get_profile
    from .text.transcript import Transcript, Turn, Word, parse

__version__ = "0.1.0"

# The API is imported on first use (PEP 562), not with the package: a process that needs one
# module (the sidecar needs ``timing.acoustic``) then loads only what that module imports.
_HOME = {
    "AuditReport": "auditing.findings", "Finding": "auditing.findings", "AuditOptions": "auditing.options",
    "audit": "auditing.run", "JobOptions": "batch", "run_batch": "batch",
    "Cue": "subtitles.cues", "TimedWord": "subtitles.cues",
    "AlignerError": "errors", "InputError": "errors", "MediaError": "errors", "ModelError": "errors",
    "OutputError": "errors", "AlignOptions": "options", "ModelSpec": "runtime.model",
    "Alignment": "pipeline", "Unheard": "pipeline", "Untranscribed": "pipeline", "align": "pipeline",
    "PROFILES": "subtitles.profiles", "Profile": "subtitles.profiles", "get_profile": "subtitles.profiles",
    "Transcript": "text.transcript", "Turn": "text.transcript", "Word": "text.transcript", "parse": "text.transcript",
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
    "AlignOptions",
    "AlignerError",
    "Alignment",
    "AuditOptions",
    "AuditReport",
    "Cue",
    "Finding",
    "InputError",
    "JobOptions",
    "MediaError",
    "ModelError",
    "ModelSpec",
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
    "audit",
    "get_profile",
    "parse",
    "run_batch",
]
