"""The shot-change figures of an ``align`` run on the fixture: the cuts found against the
truth, and the cue boundaries 1 to 6 frames before and after a cut, and the late in-times,
read from the run's JSON output.

    aligner align fixtures/shots/interview_cuts.mp4 fixtures/interview.txt -o auto.json
    aligner align fixtures/shots/interview_cuts.mp4 fixtures/interview.txt -o off.json --shot-changes off
    python bench/shot_figures.py auto.json off.json
    python bench/shot_figures.py --cuts cuts.txt run.json ...   # another clip, its cuts listed
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
FIXTURE = HERE.parent / "fixtures" / "shots"

from aligner.runtime.media import probe  # noqa: E402
from aligner.runtime.shots import detect, read_shot_changes  # noqa: E402

FPS = 25.0
ZONE, OUT_GAP, LATE = 6, 2, 12


def figures(cues: list[dict], cuts: list[int]) -> dict[str, int]:
    """Boundaries in each zone (an out-time exactly OUT_GAP before a cut is not), late in-times."""
    out = {"in before": 0, "in after": 0, "out before": 0, "out after": 0, "late in": 0}
    for c in cues:
        a, b = round(c["start"] * FPS), round(c["end"] * FPS)
        for cut in cuts:
            if 1 <= cut - a <= ZONE:
                out["in before"] += 1
            if 1 <= a - cut <= ZONE:
                out["in after"] += 1
            if 1 <= cut - b <= ZONE and cut - b != OUT_GAP:
                out["out before"] += 1
            if 1 <= b - cut <= ZONE:
                out["out after"] += 1
        out["late in"] += a > int(c["words"][0]["start"] * FPS) + LATE
    return out


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--cuts"]:
        truth = [round(t * FPS) for t in read_shot_changes(args[1], FPS)]
        args = args[2:]
    else:
        media = FIXTURE / "interview_cuts.mp4"
        truth = [round(t * FPS) for t in read_shot_changes(FIXTURE / "interview_cuts.shotchanges", FPS)]
        found = [round(t * FPS) for t in detect(media, probe(media))]
        print(f"cuts: {len(truth)} true, {len(set(found) & set(truth))} found, {len(set(found) - set(truth))} false")
    print("| run | cues | in-time 1-6 before | 1-6 after | out-time 1-6 before (not 2) | 1-6 after | "
          "in-time > 12 frames late |")
    print("|---|---|---|---|---|---|---|")
    for name in args:
        cues = json.loads(Path(name).read_text())["cues"]
        f = figures(cues, truth)
        print(f"| {Path(name).stem} | {len(cues)} | {f['in before']} | {f['in after']} | {f['out before']} | "
              f"{f['out after']} | {f['late in']} |")


if __name__ == "__main__":
    main()
