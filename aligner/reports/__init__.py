"""Audit reports, one module per format, chosen by extension through a registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError
from ..runtime.textio import OutputSet, write_text_atomic
from . import csv as csv_report
from . import html as html_report
from . import json as json_report

if TYPE_CHECKING:
    from .views import ReportView

__all__ = ["REPORTS", "report_format", "write_report"]

REPORTS: dict[str, Callable[[ReportView], str]] = {
    ".json": json_report.dumps,
    ".csv": csv_report.dumps,
    ".html": html_report.dumps,
}


def report_format(path: str | Path) -> Callable[[ReportView], str]:
    suffix = Path(path).suffix.lower()
    try:
        return REPORTS[suffix]
    except KeyError:
        raise OutputError(f"{path}: unknown report format {suffix or '(no extension)'!r}; "
                          f"use {', '.join(REPORTS)}") from None


def write_report(report: ReportView, path: Path, embed_media: bool = False,
                 outputs: OutputSet | None = None) -> Path:
    """The report in the format its name says; a page refers to the media relative to itself
    (or carries it, ``embed_media``). Written all or nothing, and with ``outputs`` (a run's
    ``atomic_outputs``) only when all of that run's outputs are."""
    fmt = report_format(path)
    text = html_report.dumps(report, path, embed_media) if fmt is html_report.dumps else fmt(report)
    if outputs is None:
        write_text_atomic(path, text)
    else:
        outputs.write_text(path, text)
    return path
