"""What a batch is made of, as data: the clips found, the options every clip runs with, the
jobs planned and their results. The stages (``discovery``, ``jobs``, ``manifest``, ``run``,
``summary``) make and read them; this module imports none of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..runtime.model import ModelSpec


@dataclass(frozen=True)
class Clip:
    media: Path
    rel: str  # path relative to the folder, without the media extension
    transcript: Path | None
    subtitles: tuple[Path, ...]


@dataclass(frozen=True)
class JobOptions:
    """What every clip of a batch runs with: the model, the cue profile, the narrator's name
    for unattributed text, the language (None: found in each clip), whether cues are timed
    to each clip's shot changes, and where speakers come from (``--speakers``). The command line's defaults."""

    model: ModelSpec = field(default_factory=ModelSpec)
    profile: str = "netflix"
    narrator: str | None = None
    language: str | None = None
    shot_changes: str = "auto"  # auto: each clip's cuts found in its video; off: none
    speakers: str = "transcript"  # align --speakers; any other setting also checks audited cues' labels

    def keyed(self) -> dict:
        """What a job's key holds of the options, under the manifest's own names (a batch
        resumed after an upgrade keys its clips alike and does not run them again); the
        threads are left out: they change the speed, not the results."""
        out = {"model": self.model.name, "device": self.model.device, "compute_type": self.model.compute_type,
               "profile": self.profile, "narrator": self.narrator}
        if self.language:
            out["language"] = self.language
        if self.shot_changes != "auto":  # keys made before shot changes stay as they were
            out["shot_changes"] = self.shot_changes
        if self.speakers != "transcript":
            out["speakers"] = self.speakers
        return out


@dataclass(frozen=True)
class Job:
    clip: Clip
    mode: str  # "align", "audit" or "both"
    outputs: tuple[Path, ...]
    key: str  # hash of the inputs' bytes and the options
    options: JobOptions = field(default_factory=JobOptions)


@dataclass(frozen=True)
class JobResult:
    rel: str
    state: str  # "done" or "failed"
    reason: str = ""
    outputs: tuple[str, ...] = ()
    duration: float = 0.0  # seconds of audio
    findings: dict = field(default_factory=dict)  # audit summary, per subtitle file
    errors: int = 0  # audit findings of severity error
    checks: int = 0  # audit findings of severity check: a person should listen; they fail nothing


@dataclass(frozen=True)
class Survey:
    """What a walk of the folder tree found: the clips, the videos with no companion, and the
    entries that cannot be clips, each with its reason (a batch is never silent about them)."""

    clips: list[Clip]
    lonely: list[str]
    failed: list[tuple[str, str]]  # folders that could not be read ("a/b/", reason): exit 1
    skipped: list[tuple[str, str]]  # links to folders, not followed (rel, reason)
