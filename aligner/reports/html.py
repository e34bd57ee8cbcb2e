"""The audit as one self-contained HTML page: a timeline of speech and cues with every
finding marked, then the findings table. No script, font or image from the network."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..findings import AuditReport

_COLOURS = {"error": "#d62728", "warning": "#ff9f1c"}
_STYLE = """
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222}
h1{font-size:20px;margin:0 0 4px} .meta{color:#555;margin-bottom:16px}
.summary span{display:inline-block;margin:0 8px 8px 0;padding:2px 8px;border-radius:10px;background:#eee}
.summary .error{background:#fde0e0} .summary .warning{background:#fff0d6}
.timeline{overflow-x:auto;border:1px solid #ddd;border-radius:6px;padding:8px;background:#fafafa}
table{border-collapse:collapse;width:100%;margin-top:16px} th,td{border-bottom:1px solid #e4e4e4;padding:6px;
vertical-align:top;text-align:left} th{background:#f3f3f3;position:sticky;top:0}
td.sev-error{color:#b00020;font-weight:600} td.sev-warning{color:#b36b00;font-weight:600}
.legend span{margin-right:14px} .sw{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px}
"""


def _t(seconds: float | None) -> str:
    if seconds is None:
        return ""
    m, s = divmod(seconds, 60)
    return f"{int(m):02d}:{s:06.3f}"


def _timeline(report: AuditReport) -> str:
    px = max(6.0, min(40.0, 1200.0 / max(report.duration, 1.0)))  # pixels per second
    width = int(report.duration * px) + 40
    rows = {"speech": 22, "cues": 52, "findings": 84}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="120" role="img">']
    for label, y in rows.items():
        parts.append(f'<text x="2" y="{y - 4}" font-size="10" fill="#666">{label}</text>')
    for a, b in report.speech:
        parts.append(f'<rect x="{a * px:.1f}" y="{rows["speech"]}" width="{max(1, (b - a) * px):.1f}" '
                     f'height="14" fill="#9aa5b1"><title>speech {_t(a)}–{_t(b)}</title></rect>')
    flagged = {f.cue for f in report.findings if f.cue is not None and f.kind != "style"}
    for cue in report.cues:
        colour = "#d62728" if cue.index in flagged else "#3a7bd5"
        width = max(1, (cue.end - cue.start) * px)
        parts.append(f'<rect x="{cue.start * px:.1f}" y="{rows["cues"]}" width="{width:.1f}" height="14" '
                     f'fill="{colour}" opacity="0.85"><title>cue {cue.index} {_t(cue.start)}–{_t(cue.end)}: '
                     f'{escape(cue.text)}</title></rect>')
    for f in report.findings:
        if f.kind == "style":
            continue
        colour = _COLOURS.get(f.severity, "#888")
        x, w = f.start * px, max(3.0, (f.end - f.start) * px)
        if f.kind in ("global_offset", "drift"):
            x, w = 0.0, report.duration * px
        parts.append(f'<rect x="{x:.1f}" y="{rows["findings"]}" width="{w:.1f}" height="14" fill="{colour}" '
                     f'opacity="0.8"><title>{escape(f.kind)}: {escape(f.detail)}</title></rect>')
    for s in range(0, int(report.duration) + 1, 10):
        parts.append(f'<text x="{s * px:.1f}" y="116" font-size="9" fill="#888">{s // 60}:{s % 60:02d}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _evidence(f) -> str:
    """The differing words, published struck through beside heard."""
    return "".join(f'<div class="diff"><del>{escape(p) or "—"}</del> → <ins>{escape(h) or "—"}</ins></div>'
                   for p, h in f.differences)


def dumps(report: AuditReport) -> str:
    errors = {f.kind for f in report.findings if f.severity == "error"}
    summary = "".join(f'<span class="{"error" if k in errors else "warning"}">{escape(k)}: {n}</span>'
                      for k, n in sorted(report.summary.items()))
    rows = "".join(
        f'<tr><td>{escape(f.kind)}</td><td class="sev-{f.severity}">{f.severity}</td><td>{f.cue or ""}</td>'
        f"<td>{_t(f.start)}–{_t(f.end)}</td>"
        f"<td>{(_t(f.published_start) + '–' + _t(f.published_end)) if f.published_start is not None else ''}</td>"
        f"<td>{escape(f.published)}</td><td>{escape(f.heard)}</td><td>{escape(f.detail)}{_evidence(f)}</td>"
        f"<td>{f.confidence:.2f}</td></tr>"
        for f in report.findings)
    verdict = "errors found" if report.has_errors else "no errors"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Subtitle audit: {escape(report.subtitles)}</title>
<style>{_STYLE}</style></head><body>
<h1>Subtitle audit — {verdict}</h1>
<div class="meta">{escape(report.subtitles)} against {escape(report.media)} ·
audio {escape(report.audio_language)}, subtitles {escape(str(report.subtitles_language))} ·
{len(report.cues)} cues · offset {report.sync.offset:+.3f} s · drift {report.sync.drift_ppm:+.0f} ppm</div>
<div class="summary">{summary or "<span>nothing found</span>"}</div>
<div class="legend"><span><i class="sw" style="background:#9aa5b1"></i>speech</span>
<span><i class="sw" style="background:#3a7bd5"></i>cue</span><span><i class="sw" style="background:#d62728"></i>
flagged cue / error</span><span><i class="sw" style="background:#ff9f1c"></i>warning</span></div>
<div class="timeline">{_timeline(report)}</div>
<table><thead><tr><th>kind</th><th>severity</th><th>cue</th><th>speech</th><th>shown</th><th>published</th>
<th>heard</th><th>why</th><th>confidence</th></tr></thead><tbody>{rows}</tbody></table>
</body></html>
"""
