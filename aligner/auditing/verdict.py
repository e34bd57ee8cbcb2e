"""What the checks made of one cue: the value every per-cue check returns."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .findings import Finding

__all__ = ["Verdict"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verdict:
    """What the checks made of one cue: findings, where it belongs, what it covers."""

    findings: tuple[Finding, ...] = ()
    corrected: tuple[float, float] | None = None  # where --fix puts it, when moved
    covers: tuple[tuple[float, float], ...] = ()  # speech it accounts for
    translated: str | None = None  # the language of the speech under it, when it is a translation
