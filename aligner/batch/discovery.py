"""The folder tree walked once: each video with its transcript and subtitles by name, and
every folder that cannot be read named, never passed over."""

from __future__ import annotations

import logging
import os
from collections import Counter
from pathlib import Path

from ..errors import InputError
from .types import Clip, Survey

log = logging.getLogger(__name__)


MEDIA_EXTENSIONS = {".mp4", ".mkv", ".mov", ".webm", ".avi", ".m4v", ".mpg", ".mpeg", ".ts", ".mxf",
                    ".wav", ".mp3", ".flac", ".m4a", ".aac", ".ogg", ".opus"}


TRANSCRIPT_EXTENSIONS = (".txt", ".md")


# published subtitles the audit reads (a clip.xml is left alone: cameras write XML sidecars)
SUBTITLE_EXTENSIONS = (".srt", ".vtt", ".ttml", ".dfxp", ".ass", ".ssa")


OUTPUT_MARKERS = (".aligned.", ".audit.", ".fixed.")  # our own outputs are never inputs


def discover(folder: Path) -> tuple[list[Clip], list[str]]:
    """Videos and their companions by name: clip.mp4 with clip.txt/clip.md and
    clip.srt, clip.vtt, clip.en.srt ... Returns (clips, names of videos with no companion)."""
    found = survey(folder)
    return found.clips, found.lonely


def survey(folder: Path) -> Survey:
    """Walk the tree once, listing each folder once: a folder that cannot be listed is named,
    never passed over (``Path.rglob`` drops it without a word). Companions are matched by
    name whatever they are (a folder named clip.txt, a broken link): ``plan`` then says why
    such a clip cannot be read, rather than the clip quietly losing its transcript."""
    media: list[tuple[Path, frozenset[str]]] = []  # each media file, with its folder's names
    errors: list[OSError] = []
    skipped: list[tuple[str, str]] = []
    for top, dirs, files in os.walk(folder, onerror=errors.append):  # links to folders are not walked
        here = Path(top)
        dirs.sort()
        skipped += [(str((here / d).relative_to(folder)), "a link to a folder: not followed")
                    for d in dirs if (here / d).is_symlink()]
        names = frozenset(dirs) | frozenset(files)
        media += [(here / f, names) for f in files if _looks_like_media(f)]
    failed = [_unreadable_folder(folder, exc) for exc in errors]
    clips, lonely = _pair(folder, sorted(media))
    return Survey(clips, lonely, failed, skipped)


def _looks_like_media(name: str) -> bool:
    return Path(name).suffix.lower() in MEDIA_EXTENSIONS and not any(m in name for m in OUTPUT_MARKERS)


def _unreadable_folder(folder: Path, exc: OSError) -> tuple[str, str]:
    """A folder ``os.walk`` could not list: (its name with a trailing slash, the reason). The
    folder given itself is the user's error: nothing in it can be done."""
    where = Path(exc.filename or folder)
    why = reason_of(exc)
    if where == folder:
        raise InputError(f"{folder}: cannot read the folder ({why})")
    log.warning("cannot read folder %s (%s): the clips in it are not processed", where, why)
    return f"{where.relative_to(folder)}/", f"cannot read folder {where}: {why}"


def reason_of(exc: OSError) -> str:
    """The system's reason, as the middle of a sentence: 'permission denied'."""
    why = exc.strerror or type(exc).__name__
    return why[:1].lower() + why[1:]


def _pair(folder: Path, media: list[tuple[Path, frozenset[str]]]) -> tuple[list[Clip], list[str]]:
    """Each media file with its transcript and subtitles from the same folder's names."""
    clips, lonely = [], []
    stems = Counter(p.with_suffix("") for p, _ in media)
    for path, names in media:
        stem = path.with_suffix("")
        transcript = next((stem.with_suffix(ext) for ext in TRANSCRIPT_EXTENSIONS
                           if stem.with_suffix(ext).name in names), None)
        subs = tuple(path.parent / n for n in sorted(names) if _subtitles_of(stem.name, n))
        rel = str(stem.relative_to(folder))
        if stems[stem] > 1:  # a.mp4 and a.m4a: one clip each, the extension kept in their names
            rel = str(path.relative_to(folder))
        if transcript is None and not subs:
            lonely.append(rel)
            continue
        clips.append(Clip(path, rel, transcript, subs))
    return clips, lonely


def _subtitles_of(stem: str, name: str) -> bool:
    """clip.srt, clip.vtt, clip.en.srt belong to clip.mp4; our own outputs never do."""
    p = Path(name)
    if p.suffix.lower() not in SUBTITLE_EXTENSIONS or any(m in name for m in OUTPUT_MARKERS):
        return False
    return p.stem == stem or (p.stem.startswith(stem + ".") and "." not in p.stem[len(stem) + 1:])
