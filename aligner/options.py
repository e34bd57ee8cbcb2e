"""Every tuning number of a run, in one object a stage at a time, and the model it hears with.

``AlignOptions`` gathers the options of ``align``'s stages; each stage's own dataclass says,
field by field, what the number does and why its default (``help(RecognitionOptions)``).
``AuditOptions`` does the same for the audit, ``ModelSpec`` names the model. Options are part
of every cache key: a result made with other numbers is another result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .auditing.options import AuditOptions
from .hearing.options import RECOGNITION, RecognitionOptions
from .runtime.cache import digest
from .runtime.model import ModelSpec
from .timing.acoustic import DEFAULT as ACOUSTIC
from .timing.acoustic import AcousticOptions
from .timing.guided import GUIDED, GuidedOptions
from .timing.matching import MATCHING, MatchingOptions
from .timing.whisper import TIMING, TimingOptions

__all__ = ["AcousticOptions", "AlignOptions", "AuditOptions", "GuidedOptions", "MatchingOptions", "ModelSpec",
           "RecognitionOptions", "TimingOptions"]


@dataclass(frozen=True)
class AlignOptions:
    """The numbers ``align`` runs by, one options object a stage:

    - ``recognition``: how the audio is heard (voice activity, chunks, decoding, its checks);
    - ``guided``: when a chunk is taken as the transcript says rather than decoded, and when
      transcript words not found are heard again;
    - ``matching``: how the transcript is found among the heard words (anchors, unheard and
      untranscribed runs, overlapping talk, passages in another order);
    - ``timing``: Whisper's alignment windows and the word starts' refinement;
    - ``acoustic``: the acoustic re-timing's groups and when its answer is believed.

    The defaults are the calibrated ones; ``dataclasses.replace`` changes one number, as
    ``AlignOptions(timing=replace(TIMING, pad=0.8))``.
    """

    recognition: RecognitionOptions = RECOGNITION
    guided: GuidedOptions = GUIDED
    matching: MatchingOptions = MATCHING
    timing: TimingOptions = TIMING
    acoustic: AcousticOptions = field(default_factory=lambda: ACOUSTIC)

    def digest(self) -> str:
        """What an alignment made with these options is remembered under."""
        return digest(self)
