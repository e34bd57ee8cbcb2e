"""The report formats show checks apart from errors and warnings: counts in the JSON, the
severity in the CSV, their own colour, chip, filter and verdict on the review page."""

from __future__ import annotations

import csv
import io
import json

from aligner.auditing.findings import SEVERITIES
from aligner.reports import csv_report, html_report, json_report, views

from .sample import CHECK, ERROR, WARNING, report


def test_the_reports_know_the_audits_severities():
    assert views.SEVERITIES == SEVERITIES  # repeated there: reports/ may not import findings
    assert views.gravest_first(["warning", "error", "check", "error"]) == ["error", "check", "warning"]


def test_json_counts_each_severity_and_keeps_its_keys():
    data = json.loads(json_report.dumps(report(CHECK, WARNING)))
    assert data["severities"] == {"error": 0, "check": 1, "warning": 1}
    assert list(data["severities"]) == ["error", "check", "warning"]  # most grave first
    assert data["summary"] == {"text_mismatch": 1, "style": 1}  # per kind, as before
    assert {"media", "subtitles", "language", "cues", "global_offset_s", "sync", "drift_ppm", "findings",
            "summary"} <= set(data)
    assert [f["severity"] for f in data["findings"]] == ["check", "warning"]


def test_csv_gives_each_finding_its_severity():
    rows = list(csv.DictReader(io.StringIO(csv_report.dumps(report(ERROR, CHECK)))))
    assert [(r["cue"], r["severity"]) for r in rows] == [("2", "error"), ("1", "check")]


def test_page_verdict_says_errors_then_how_many_to_check():
    assert html_report.verdict(report(ERROR, CHECK)) == "errors found, 1 to check"
    assert html_report.verdict(report(ERROR)) == "errors found"
    assert html_report.verdict(report(CHECK, CHECK, WARNING)) == "2 to check"
    assert html_report.verdict(report(WARNING)) == "no errors"


def test_page_shows_checks_apart():
    page = html_report.page(report(ERROR, CHECK, WARNING))
    assert page.heading.endswith("errors found, 1 to check")
    assert [(c.text, c.severity) for c in page.chips] == [
        ("style: 1", "warning"), ("text_mismatch: 1", "error"), ("text_mismatch: 1 to check", "check")]
    assert page.severities == ("error", "check", "warning")  # a filter box each, most grave first
    assert [(c.flagged, c.severity) for c in page.cues] == [(True, "check"), (True, "error"), (False, "")]
    html = html_report.dumps(report(CHECK))
    assert 'class="summary"><span class="check">text_mismatch: 1 to check</span>' in html
    assert 'data-severity="check" checked> checks' in html
    assert '<td class="sev-check">check</td>' in html
    assert 'class="mark check finding-mark"' in html and 'class="mark cue flagged check"' in html
    assert "Subtitle audit — 1 to check" in html


def test_batch_summary_counts_checks_beside_errors(tmp_path):
    from aligner.batch import JobResult, Manifest, summary_rows, write_summaries

    path = tmp_path / "m.json"  # an earlier batch's entry, from before checks were counted
    path.write_text('{"clips": {"a": {"key": "k", "state": "done", "outputs": [], "errors": 2}}}')
    assert Manifest(path).entries["a"].get("checks", 0) == 0
    done = JobResult("b", "done", findings={"b.srt": {"text_mismatch": 3}}, errors=1, checks=2)
    rows = summary_rows([done], [("c", "no transcript or subtitles beside it")])
    assert [(r["clip"], r["audit_errors"], r["audit_checks"]) for r in rows] == [("b", 1, 2), ("c", 0, 0)]
    csv_path, html_path = write_summaries(rows, tmp_path)
    assert csv_path.read_text().splitlines()[1].startswith("b,done,,0.0,1,2,")
    assert "<th>to check</th>" in html_path.read_text()
