"""An audit report made by hand, for the tests of what shows findings (CLI, reports, review
page): no model runs. Its media is the JFK clip, so a page made from it plays."""

from __future__ import annotations

from aligner.auditing.findings import AuditReport, Finding, finding
from aligner.auditing.sync import Sync
from aligner.subtitles.subtitle_cue import SubtitleCue

from ..helpers import FIXTURES

MEDIA = FIXTURES / "real" / "jfk.flac"
SUBTITLES = FIXTURES / "real" / "jfk.defects.srt"

CUES = (
    SubtitleCue(1, 0.28, 2.72, ("And so my fellow Americans,",)),
    SubtitleCue(2, 3.36, 8.08, ("ask not what your country can do for me,",)),
    SubtitleCue(3, 8.16, 10.96, ("ask what you can do for your country.",)),
)

ERROR = finding("text_mismatch", cue=2, start=3.36, end=8.08, published="ask not what your country can do for me,",
                heard="ask not what your country can do for you,", detail="'me' where 'you' is heard",
                confidence=0.97, differences=(("me", "you"),))
CHECK = finding("text_mismatch", cue=1, start=0.28, end=2.72, published="And so my fellow Americans,",
                heard="And so, my fellow Amerikans,", severity="check", confidence=0.6,
                detail="only the recogniser's spelling differs: listen", differences=(("Americans", "Amerikans"),))
WARNING = finding("style", cue=3, start=8.16, end=10.96, published="ask what you can do for your country.",
                  detail="reading speed 22 cps (max 20)")


def report(*findings: Finding) -> AuditReport:
    """The JFK clip's audit with just ``findings``."""
    return AuditReport(str(MEDIA), str(SUBTITLES), "en", "en", 11.0, CUES, Sync(cues_used=3), tuple(findings),
                       ((0.2, 10.9),), tuple((c.start, c.end) for c in CUES))
