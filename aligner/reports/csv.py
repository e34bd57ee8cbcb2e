"""The audit as CSV: one row per finding, for spreadsheets and pipelines."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .json import finding_dict

if TYPE_CHECKING:
    from .views import ReportView

COLUMNS = ["kind", "severity", "cue", "start", "end", "published_start", "published_end",
           "published", "heard", "detail", "confidence", "differences"]


def safe_cell(value: object) -> object:
    """A cell a spreadsheet will not run: text opening with =, +, -, @, a tab or a carriage
    return gets a leading apostrophe (OWASP's advice against CSV injection); numbers pass."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def dumps(report: ReportView) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in report.findings:
        row = finding_dict(f)
        row["differences"] = " | ".join(f"{d['published']} -> {d['heard']}" for d in row["differences"])
        writer.writerow({c: safe_cell(row.get(c, "")) for c in COLUMNS})
    return buf.getvalue()
