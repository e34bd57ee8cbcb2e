"""The table of a batch: one row per clip, failed folder and skipped entry, as CSV and HTML."""

from __future__ import annotations

import csv
import io
import time
from html import escape
from pathlib import Path

from ..reports.csv import safe_cell
from ..runtime.textio import write_text_atomic
from .manifest import SUMMARIES
from .types import JobResult


def summary_rows(results: list[JobResult], skipped: list[tuple[str, str]]) -> list[dict]:
    """One row per clip, failed folder and skipped entry, every text cell printable (see
    ``shown``)."""
    rows = []
    for r in results:
        findings = "; ".join(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(s.items()))
                             for name, s in r.findings.items())
        rows.append({"clip": r.rel, "state": r.state, "reason": r.reason, "audio_s": round(r.duration, 1),
                     "audit_errors": r.errors, "audit_checks": r.checks, "findings": findings,
                     "outputs": " ".join(r.outputs)})
    rows += [{"clip": rel, "state": "skipped", "reason": reason, "audio_s": 0, "audit_errors": 0,
              "audit_checks": 0, "findings": "", "outputs": ""} for rel, reason in skipped]
    return [{k: shown(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]


def shown(text: str) -> str:
    """A file name that is not UTF-8 (its bytes kept as surrogates by Python) as printable
    text, ``\\xff`` for the byte 0xff: a summary must never fail on a name it reports."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def write_summaries(rows: list[dict], where: Path) -> tuple[Path, Path]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["clip"], lineterminator="\n")
    writer.writeheader()
    writer.writerows([{k: safe_cell(v) for k, v in r.items()} for r in rows])
    csv_path, html_path = where / SUMMARIES[0], where / SUMMARIES[1]
    write_text_atomic(csv_path, buf.getvalue())
    colour = {"done": "#1b7f3b", "failed": "#b00020", "skipped": "#777"}
    body = "".join(
        f"<tr><td>{escape(r['clip'])}</td><td style='color:{colour.get(r['state'], '#222')}'>{r['state']}</td>"
        f"<td>{escape(r['reason'])}</td><td>{r['audio_s']}</td><td>{r['audit_errors']}</td>"
        f"<td>{r['audit_checks']}</td><td>{escape(r['findings'])}</td></tr>" for r in rows)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    write_text_atomic(html_path, f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>aligner batch summary</title><style>body{{font:14px system-ui,sans-serif;margin:24px}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:6px;text-align:left}}
th{{background:#f3f3f3}}</style></head><body><h1>aligner batch — {stamp}</h1>
<table><tr><th>clip</th><th>state</th><th>reason</th><th>audio (s)</th><th>audit errors</th><th>to check</th>
<th>findings</th></tr>
{body}</table></body></html>
""")
    return csv_path, html_path
