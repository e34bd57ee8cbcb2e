"""Subtitles: profiles, cue building, style checks, published files read, the review page and the output formats."""
