"""``align``'s output as a review page: the clip with the subtitles just made, and every cue
with its words, each timed (a click plays it) and marked when the recogniser did not hear it
itself, so an editor can check a clip before it goes out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..review import Chip, Page, PageCue, PageWord, PageWords, media_source, render_page, vtt_source
from . import vtt

if TYPE_CHECKING:
    from ...results import AlignedView


def page(alignment: AlignedView, path: str | Path | None = None, embed_media: bool = False) -> Page:
    src, label, video = media_source(alignment.media, path, embed_media)
    unheard = sum(not w.heard for c in alignment.cues for w in c.words)
    total = sum(len(c.words) for c in alignment.cues)
    return Page(
        title=f"Subtitles: {Path(alignment.media).name}",
        heading=f"Subtitles for {Path(alignment.media).name}",
        meta=(f"{alignment.transcript_path or 'transcript'} · audio {alignment.audio_language} · "
              f"{len(alignment.cues)} cues · profile {alignment.profile.name} · {total - unheard} of {total} "
              "words found in the audio, every word timed"),
        media_src=src, media_label=label, video=video, vtt_src=vtt_source(vtt.dumps(alignment)),
        duration=alignment.duration, track_label="aligned", track_language=alignment.audio_language or "und",
        chips=tuple(Chip(w, "warning") for w in alignment.all_warnings),
        shots=tuple(alignment.shot_changes),
        cues=tuple(PageCue(c.index, c.start, c.end, c.text) for c in alignment.cues),
        words=tuple(PageWords(c.index, c.start, c.end, c.speaker,
                              tuple(PageWord(w.text, w.start, w.end, w.heard, w.probability) for w in c.words))
                    for c in alignment.cues))


def dumps(alignment: AlignedView, path: str | Path | None = None, embed_media: bool = False) -> str:
    return render_page(page(alignment, path, embed_media))
