"""The ``aligner`` command: a thin layer over the Python API.

Every user mistake ends as one line on stderr and a non-zero exit; progress goes to stderr
only when it is a terminal, so piped and scripted runs stay quiet.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import AlignerError, InputError, OutputError, sigterm_as_interrupt
from .runtime import argtypes
from .runtime.textio import MAX_TEXT_BYTES
from .subtitles.profiles import LIMITS, PROFILES
from .subtitles.timing_lines import MAX_CUES

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """argparse's own usage errors (an option out of its range too): one line, begun as
        every other error of the command is, naming the help that lists the ranges."""
        self.exit(EXIT_BAD_INPUT, f"aligner: error: {message} (see {self.prog} --help)\n")


def _model_spec(args: argparse.Namespace):  # -> ModelSpec
    """The model the command's options name."""
    from .runtime.model import ModelSpec

    return ModelSpec(args.model, args.device, args.compute_type, args.threads)


# The devices and compute types CTranslate2 runs Whisper with: anything else was taken and
# failed only when the model loaded (or never, when the result came from the cache).
DEVICES = ("cpu", "cuda", "auto")
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
                 "bfloat16", "float32")


def _language(text: str) -> str | None:
    """``--language``: a code Whisper knows (``hearing.options.whisper_language``: ``EN`` and
    ``en-US`` read as ``en``), or None for ``auto``, detected from the audio."""
    from .hearing.options import whisper_language  # imports faster-whisper: only when asked

    if text.strip().lower() == "auto":
        return None
    try:
        return whisper_language(text)
    except InputError as exc:  # argparse names the option and prints it as its own one line
        raise argparse.ArgumentTypeError(str(exc)) from None


def _model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("model")
    g.add_argument("--model", default="base", type=argtypes.nonempty("a model"),
                   help="'base' (bundled, default), a CTranslate2 model folder, or a faster-whisper model name")
    g.add_argument("--device", default="cpu", choices=DEVICES, help="cpu (default), cuda or auto")
    g.add_argument("--compute-type", default="default", choices=COMPUTE_TYPES, metavar="TYPE",
                   help="CTranslate2's: default (int8 on CPU), auto, int8, int8_float32, int8_float16, "
                        "int8_bfloat16, int16, float16, bfloat16 or float32")
    g.add_argument("--threads", type=argtypes.THREADS, default=0, metavar="N",
                   help=f"CPU threads: {argtypes.THREADS.span()} (0, the default: up to 4)")
    g.add_argument("--language", type=_language, metavar="CODE",
                   help="language of the speech, a code Whisper knows such as en, de or es; en-US reads as en "
                        "(default: auto, detected)")


def _shot_changes(text: str) -> str | Path:
    """``--shot-changes``: auto, off, or a file of cut times (read, and each line checked, by
    ``runtime.shots`` before any work)."""
    if text.strip().lower() in ("auto", "off"):
        return text.strip().lower()
    if not text.strip():
        raise argparse.ArgumentTypeError("give auto, off or a file of cut times")
    return Path(text)


_SHOTS_HELP = ("time cues to the picture's cuts: auto (default) finds them in the video (none in audio-only "
               "media), off ignores them")


def _shot_option(g: argparse._ActionsContainer, batch: bool = False, audit: bool = False) -> None:
    """``--shot-changes``: auto, off or a file for one clip; auto or off for a batch."""
    if batch:
        g.add_argument("--shot-changes", type=str.lower, default="auto", choices=["auto", "off"], help=_SHOTS_HELP)
        return
    what = ("style: report cues starting or ending just off the picture's cuts: auto (default) finds them in "
            "the video, off skips the check" if audit else _SHOTS_HELP)
    g.add_argument("--shot-changes", type=_shot_changes, default="auto", metavar="auto|off|FILE",
                   help=f"{what}, FILE reads them: a time a line, in seconds (12.48, as in Subtitle Edit's "
                        ".shotchanges files), timecode (00:00:12:12 or 00:00:12.480) or a frame number; or an .edl")


def _limit(g: argparse._ArgumentGroup, flag: str, setting: str, what: str) -> None:
    """An option overriding one profile limit, read and checked against ``LIMITS``."""
    bounds = LIMITS[setting]
    g.add_argument(flag, type=bounds, dest=setting, metavar="N", help=f"{what}: {bounds.span()}")


def _cue_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cues")
    g.add_argument("--profile", default="netflix", choices=sorted(PROFILES), help="subtitle rules (default: netflix)")
    _limit(g, "--max-chars", "max_chars", "longest line")
    _limit(g, "--max-lines", "max_lines", "most lines in a cue")
    _limit(g, "--max-cps", "max_cps", "fastest reading speed")
    _limit(g, "--min-duration", "min_duration", "shortest cue (not above --max-duration)")
    _limit(g, "--max-duration", "max_duration", "longest cue")
    _limit(g, "--min-gap-frames", "min_gap_frames", "shortest gap between cues")
    _limit(g, "--lead-out-frames", "max_lead_out_frames", "how far an out-time may run past speech")
    _limit(g, "--fps", "fps", "frame rate when the media has no video")
    g.add_argument("--label-style", default="bracket", choices=["bracket", "colon", "dash", "none"],
                   help="speaker label on a turn's first SRT cue (default: [Name])")
    g.add_argument("--dialogue", action="store_true",
                   help="allow two speakers in one cue, one per line, each led by a hyphen")
    _shot_option(g)


_LIMITS = (f"Limits: inputs must be regular files (not pipes or devices); transcripts and subtitle "
           f"files up to {MAX_TEXT_BYTES // 2**20} MiB; subtitle files up to {MAX_CUES:,} cues. Exit status: "
           "0 done (audit: no error found; findings to check do not fail a file), 1 errors found or a clip "
           "failed, 2 bad input, 130 interrupted "
           "(Ctrl-C or SIGTERM; temporary files removed).")


def build_parser() -> argparse.ArgumentParser:
    from .auditing.findings import SEVERITIES

    parser = _Parser(prog="aligner", epilog=_LIMITS,
                     description="Timed, speaker-labelled subtitles from a video and its edited transcript.")
    parser.add_argument("--version", action="version", version=f"aligner {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="show which rule fired for each decision, on stderr")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("align", help="time a transcript against a video and write subtitles", epilog=_LIMITS)
    p.add_argument("media", type=Path, help="video or audio file (anything ffmpeg reads)")
    p.add_argument("transcript", type=Path, help="edited transcript: .txt, .md, or .srt/.vtt used as text")
    p.add_argument("-o", "--output", type=Path, action="append", required=True,
                   help="output file: .srt, .vtt, .ttml (IMSC 1.1 Text), .xml (EBU-TT-D; .imsc.xml for IMSC), "
                        ".ass, .json, or .html (a review page: the clip with the new subtitles and every timed "
                        "word a click away); repeat for several")
    p.add_argument("--narrator", type=argtypes.one_line_name,
                   help="speaker name for unattributed text, one line (default: none)")
    p.add_argument("--word-timing", choices=["acoustic", "whisper"], default="acoustic",
                   help="acoustic (default): Whisper places the words, an acoustic aligner then times them "
                        "(English); whisper: Whisper's cross-attention times only")
    p.add_argument("--embed-media", action="store_true",
                   help="put the media inside the .html page (default: refer to it relative to the page)")
    p.add_argument("--speakers", choices=["transcript", "voices", "check"], default="transcript",
                   help="speaker labels: transcript (default) as the transcript gives them; voices: text the "
                        "transcript leaves unlabelled gets Speaker 1, Speaker 2... by voice, a new turn where the "
                        "voice changes; check: the transcript's labels checked against the voices (a warning "
                        "each, a label change heard elsewhere moved there). voices and check need "
                        'pip install "aligner[voices]"')
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _model_options(p)
    _cue_options(p)
    a = sub.add_parser("audit", help="check published subtitles against what the audio says", epilog=_LIMITS)
    a.add_argument("media", type=Path, help="video or audio file")
    a.add_argument("subtitles", type=Path,
                   help="published subtitles: .srt, .vtt, .ttml/.xml/.dfxp (TTML, IMSC, EBU-TT-D), .ass/.ssa "
                        "or .sub (MicroDVD), any common encoding")
    a.add_argument("--transcript", type=Path, help="the approved transcript, to compare the subtitles with")
    a.add_argument("--report", type=Path, action="append", default=[],
                   help="write findings to .json, .csv or .html (a review page that plays the clip; repeat "
                        "for several)")
    a.add_argument("--embed-media", action="store_true",
                   help="put the media inside the .html page (default: refer to it relative to the page)")
    a.add_argument("--format", choices=["auto", "table", "lines", "json"], default="auto",
                   help="findings on stdout: a table on a terminal, one line each when piped (auto), or JSON")
    a.add_argument("--style", action="store_true", help="list every style warning (default: a count per rule)")
    a.add_argument("--min-severity", choices=SEVERITIES, default=SEVERITIES[0],
                   help="list on stdout only findings of at least this severity (reports keep all): warning "
                        "(all, the default), check (a person should listen; it does not fail the file) or error")
    a.add_argument("--fix", type=Path, help="write corrected subtitles (.srt): offset and drift removed, "
                   "shifted cues moved to their speech")
    a.add_argument("--offset-threshold", type=argtypes.OFFSET_THRESHOLD, default=0.5, metavar="S",
                   help=f"flag a cue shown this far off its speech: {argtypes.OFFSET_THRESHOLD.span()} "
                        "(default 0.5)")
    a.add_argument("--text-margin", type=argtypes.TEXT_MARGIN, default=None, metavar="NATS",
                   help="flag a cue's words when the words heard there are this much more probable under the "
                        f"speech model (log-likelihood ratio: {argtypes.TEXT_MARGIN.span()}; default 5.0: "
                        "lower finds more, raises more false errors)")
    a.add_argument("--profile", default="netflix", choices=sorted(PROFILES), help="style rules (default netflix)")
    _shot_option(a, audit=True)
    a.add_argument("--speakers", action="store_true",
                   help="check the subtitles' speaker labels ([Name], NAME:, WebVTT voices, TTML agents, ASS names) "
                        "against the voices: wrong_speaker where a cue's voice is another labelled speaker's. "
                        'Needs pip install "aligner[voices]"')
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _model_options(a)
    b = sub.add_parser("batch", help="align and/or audit every video in a folder tree", epilog=_LIMITS)
    b.add_argument("folder", type=Path,
                   help="folder to walk: clip.mp4 pairs with clip.txt/.md and clip[.LANG].srt/.vtt")
    b.add_argument("--out", type=Path, help="output folder, mirroring the tree (default: next to each video)")
    b.add_argument("--jobs", type=argtypes.JOBS, default=None, metavar="N",
                   help=f"worker processes, each loading the model once: {argtypes.JOBS.span()} "
                        "(default: one a core, as memory allows)")
    b.add_argument("--mode", choices=["auto", "align", "audit"], default="auto",
                   help="auto: align where there is a transcript, audit where there are subtitles")
    b.add_argument("--scheduler", type=argtypes.nonempty("a scheduler address"),
                   help="run on a Dask cluster: tcp://HOST:PORT of its scheduler")
    b.add_argument("--force", action="store_true", help="overwrite outputs this batch did not write")
    b.add_argument("--narrator", type=argtypes.one_line_name,
                   help="speaker name for unattributed transcript text, one line")
    b.add_argument("--profile", default="netflix", choices=sorted(PROFILES))
    _shot_option(b, batch=True)
    b.add_argument("--speakers", choices=["transcript", "voices", "check"], default="transcript",
                   help="as for align; voices or check also check the speaker labels of audited subtitles "
                        '(both need pip install "aligner[voices]")')
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _model_options(b)
    return parser


_BAR_FORMAT = "{desc} {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s audio [{elapsed}<{remaining}]"


class _Bar:
    """One tqdm bar per phase, in audio seconds, with an ETA; nothing when not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None
        self.phase = ""

    def __call__(self, phase: str, done: float, total: float) -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(total=round(total, 1), desc=f"{phase:<11}", unit="s audio",
                            bar_format=_BAR_FORMAT,
                            file=sys.stderr, leave=False)
        assert self.bar is not None
        self.bar.update(max(0.0, round(done, 1) - self.bar.n))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _cmd_align(args: argparse.Namespace) -> int:
    from .pipeline import align, save_all
    from .runtime.textio import check_outputs
    from .subtitles.formats import format_for
    from .subtitles.profiles import get_profile

    for out in args.output:
        format_for(out)
    check_outputs(args.output, [args.media, args.transcript]
                  + ([args.shot_changes] if isinstance(args.shot_changes, Path) else []))
    profile = get_profile(
        args.profile, max_chars=args.max_chars, max_lines=args.max_lines, max_cps=args.max_cps,
        min_duration=args.min_duration, max_duration=args.max_duration,
        min_gap_frames=args.min_gap_frames, max_lead_out_frames=args.max_lead_out_frames, fps=args.fps,
    )
    bar = _Bar(enabled=sys.stderr.isatty() and not args.quiet)
    try:
        result = align(
            args.media, args.transcript, model=_model_spec(args), language=args.language,
            narrator=args.narrator, profile=profile, label_style=args.label_style,
            dialogue=args.dialogue, acoustic=args.word_timing == "acoustic", shot_changes=args.shot_changes,
            speakers=args.speakers, progress=bar,
        )
    finally:
        bar.close()
    save_all(result, args.output, embed_media=args.embed_media)  # all of them or none (atomic_outputs)
    for warning in result.warnings:
        print(f"aligner: warning: {warning}", file=sys.stderr)
    fast = len(result.all_warnings) - len(result.warnings)
    if fast:
        print(f"aligner: warning: {fast} cue(s) read faster than {result.profile.max_cps:g} characters a second "
              "however they are cut (each is listed in the JSON output's warnings)", file=sys.stderr)
    speakers = sorted({c.speaker for c in result.cues if c.speaker})
    cuts = f", timed to {len(result.shot_changes)} shot change(s)" if result.shot_changes else ""
    for out in args.output:
        print(f"wrote {out} ({len(result.cues)} cues, {len(speakers)} named speaker(s), "
              f"{result.duration:.0f} s of audio{cuts})")
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .auditing.options import AuditOptions
    from .auditing.run import audit
    from .reports import report_format
    from .runtime.textio import check_outputs

    for out in args.report:
        report_format(out)
    if args.fix is not None and args.fix.suffix.lower() != ".srt":
        raise OutputError(f"{args.fix}: --fix writes SubRip; give it a .srt name")
    inputs = [args.media, args.subtitles] + ([args.transcript] if args.transcript else [])
    if isinstance(args.shot_changes, Path):
        inputs.append(args.shot_changes)
    check_outputs(args.report + ([args.fix] if args.fix else []), inputs)
    options = AuditOptions(offset_threshold=args.offset_threshold)  # both in range: argtypes
    if args.text_margin is not None:
        options = replace(options, text_margin=args.text_margin)
    bar = _Bar(enabled=sys.stderr.isatty() and not args.quiet)
    try:
        report = audit(args.media, args.subtitles, transcript=args.transcript, model=_model_spec(args),
                       language=args.language, profile=args.profile, options=options,
                       shot_changes=args.shot_changes, speakers=args.speakers, progress=bar)
    finally:
        bar.close()
    from .runtime.textio import atomic_outputs
    from .subtitles.published import write_srt

    with atomic_outputs() as outputs:  # every report and the fix, or none of them
        for out in args.report:
            report.save(out, embed_media=args.embed_media, outputs=outputs)
        if args.fix:
            write_srt(outputs.path(args.fix), report.fixed_cues())
    for warning in report.warnings:
        print(f"aligner: warning: {warning}", file=sys.stderr)
    _print_findings(report, args.format, args.style, args.min_severity)
    for out in [*args.report, *([args.fix] if args.fix else [])]:
        print(f"wrote {out}", file=sys.stderr if args.format == "json" else sys.stdout)
    return 1 if report.has_errors else 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from .batch import SUMMARIES, JobOptions, run_batch, summary_rows, worker_layout

    jobs, threads = worker_layout(args.jobs)
    spec = _model_spec(args)
    if not args.scheduler:  # a cluster's workers are sized by the cluster
        spec = replace(spec, threads=args.threads or threads)
    if args.speakers != "transcript":  # the voices extra: one line now, not a failed row per clip
        from .voices.model import weights_file

        weights_file()
    options = JobOptions(spec, args.profile, args.narrator, args.language, args.shot_changes, args.speakers)
    bar = None
    if sys.stderr.isatty() and not args.quiet:
        from tqdm import tqdm

        def progress(done: int, total: int, audio: float) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, desc="clips", unit="clip", file=sys.stderr)
            bar.update(done - bar.n)
            bar.set_postfix_str(f"{audio / 3600:.2f} h audio")
    else:
        progress = None  # type: ignore[assignment]
    started = time.perf_counter()
    try:
        results, skipped, manifest = run_batch(args.folder, out=args.out, jobs=jobs, mode=args.mode,
                                              scheduler=args.scheduler, force=args.force,
                                              options=options, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    rows = summary_rows(results, skipped)
    csv_path, html_path = (manifest.parent / name for name in SUMMARIES)
    if sys.stdout.isatty():
        _batch_table(args.folder, rows, len(results), len(skipped))
    else:  # a log or a pipe: one line a clip, nothing wrapped
        for r in rows:
            line = (f"{r['clip']}  {r['state']}  audit errors {r['audit_errors']}  to check {r['audit_checks']}  "
                    f"{r['findings']}  {r['reason']}")
            print(line.rstrip())
    print(f"wrote {csv_path}, {html_path}; manifest {manifest}")
    layout = "on the cluster" if args.scheduler else f"by {jobs} worker process(es) x {spec.threads} thread(s)"
    print(throughput(results, time.perf_counter() - started, layout))
    failed = any(r.state == "failed" for r in results)
    return 1 if failed or any(r.errors for r in results) else 0


def throughput(results, seconds: float, layout: str) -> str:
    """Clips processed (not skipped, not failed) per hour of wall time, and audio per second."""
    done = [r for r in results if r.state == "done"]
    audio = sum(r.duration for r in done)
    line = f"{len(done)} clip(s) processed in {seconds:.0f} s {layout}"
    if not done or seconds <= 0:
        return line
    return f"{line}: {len(done) * 3600 / seconds:.0f} clips per hour, {audio / seconds:.1f} s of audio a second"


def _batch_table(folder: Path, rows: list[dict], clips: int, skipped: int) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{folder}: {clips} clips, {skipped} skipped")
    for col in ("clip", "state", "reason", "audit errors", "to check", "findings"):
        table.add_column(col, overflow="fold")
    for r in rows:
        colour = {"done": "green", "failed": "red"}.get(r["state"], "dim")
        table.add_row(escape(r["clip"]), f"[{colour}]{r['state']}[/]", escape(r["reason"]), str(r["audit_errors"]),
                      str(r["audit_checks"]), escape(r["findings"]))
    Console(soft_wrap=False).print(table)


def _print_findings(report, how: str = "auto", style: bool = False, min_severity: str = "warning") -> None:
    """The findings on stdout: a table on a terminal, one line each in a pipe or a log (no
    table squeezed to 80 columns), or JSON. Style warnings are counted per rule unless asked;
    only findings of ``min_severity`` or graver are listed. The last line is the verdict."""
    from .reports import json_report

    if how == "json":
        sys.stdout.write(json_report.dumps(report))
        return
    listed = [f for f in report.findings if (style or f.kind != "style") and at_least(f.severity, min_severity)]
    if how == "table" or (how == "auto" and sys.stdout.isatty()):
        _findings_table(report, listed)
    else:
        for f in listed:
            print(finding_line(f))
    if not style and at_least("warning", min_severity):
        for rule, n in style_counts(report.findings).items():
            print(f"style: {n} cue(s) with {rule} (--style lists them)")
    print(verdict_line(report))


def at_least(severity: str, least: str) -> bool:
    """Whether ``severity`` is ``least`` or graver (``SEVERITIES`` order); one unknown is listed."""
    from .auditing.findings import SEVERITIES

    rank = {s: n for n, s in enumerate(SEVERITIES)}
    return rank.get(severity, len(rank)) >= rank[least]


def verdict_line(report) -> str:  # report: AuditReport
    """The last line: ERRORS when an error was found (exit status 1), else OK, with how many
    findings a person should listen to; then the counts per severity and kind, and the timing.
    ``ERRORS: 2 errors, 1 to check, 4 warnings (style 4, text_mismatch 3); offset …``."""
    from .reports.views import severity_counts

    n = severity_counts(report.findings)
    errors, checks, warnings = n.get("error", 0), n.get("check", 0), n.get("warning", 0)
    verdict = "ERRORS" if errors else f"OK, {checks} to check" if checks else "OK"
    tally = f"{_plural(errors, 'error')}, {checks} to check" + (f", {_plural(warnings, 'warning')}" if warnings else "")
    kinds = ", ".join(f"{k} {c}" for k, c in sorted(report.summary.items()))
    body = f"{tally} ({kinds})" if report.findings else "nothing found"
    return f"{verdict}: {body}; offset {report.sync.offset:+.3f} s, drift {report.sync.drift_ppm:+.0f} ppm"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def finding_line(f) -> str:  # f: Finding
    """One finding on one line, for logs and pipes: cue, time, kind, severity, evidence."""
    m, s = divmod(max(0.0, f.start), 60)
    h, m = divmod(int(m), 60)
    what = f"published '{f.published}' heard '{f.heard}'" if f.heard else f"'{f.published}'" if f.published else ""
    text = f"cue {f.cue or '-':<4} {h:02d}:{m:02d}:{s:06.3f}  {f.kind}  {f.severity}  {what}  ({f.detail})"
    return text.replace("\n", " / ")


def style_counts(findings) -> dict[str, int]:
    """Style warnings per rule ("reading speed", "line of N characters" counted together)."""
    import re

    out: dict[str, int] = {}
    for f in findings:
        if f.kind == "style":
            for part in f.detail.split("; "):
                rule = re.sub(r"[\d.]+", "N", part.split(" (")[0])
                out[rule] = out.get(rule, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


SEVERITY_COLOURS = {"error": "red", "check": "cyan", "warning": "yellow"}  # the table's, one for each of SEVERITIES


def _findings_table(report, findings) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(soft_wrap=False)
    table = Table(title=f"{report.subtitles}: {len(report.cues)} cues, audio {report.audio_language}, "
                        f"subtitles {report.subtitles_language}")
    for col in ("kind", "severity", "cue", "speech", "published", "heard", "why", "conf"):
        table.add_column(col, overflow="fold")
    for f in findings:
        colour = SEVERITY_COLOURS.get(f.severity, "magenta")
        table.add_row(f.kind, f"[{colour}]{f.severity}[/]", str(f.cue or ""), f"{f.start:.2f}-{f.end:.2f}",
                      escape(f.published.replace("\n", " / ")), escape(f.heard), escape(f.detail),
                      f"{f.confidence:.2f}")
    if findings:
        console.print(table)


def _log_to_stderr(verbose: bool) -> None:
    """``-v``: every rule that fired, by module. Otherwise only the library's warnings, in
    the form of the command's own (``aligner: warning: …``), not as bare messages."""
    import logging

    if verbose:
        logging.basicConfig(format="%(name)s: %(message)s", stream=sys.stderr)
        logging.getLogger("aligner").setLevel(logging.DEBUG)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("aligner: warning: %(message)s"))
    handler.setLevel(logging.WARNING)
    root = logging.getLogger("aligner")
    if not root.handlers:
        root.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    sigterm_as_interrupt()
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8, printed as its escapes
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    _log_to_stderr(args.verbose)
    try:
        if args.command == "align":
            return _cmd_align(args)
        if args.command == "audit":
            return _cmd_audit(args)
        if args.command == "batch":
            return _cmd_batch(args)
        parser.error(f"unknown command {args.command}")
    except AlignerError as exc:
        print(f"aligner: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("aligner: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: say so in one line; the traceback on request
        if os.environ.get("ALIGNER_DEBUG"):
            traceback.print_exc()
        print(f"aligner: internal error: {type(exc).__name__}: {exc} "
              "(set ALIGNER_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL
    return 0


if __name__ == "__main__":
    sys.exit(main())
