"""`--speakers` end to end, as a user runs it: `aligner align --speakers voices|check` and
`aligner audit --speakers` on fixtures/voices/three_voices.flac (three real voices, 32 s).

The real Whisper model and the real speaker model (the `voices` extra); the commands run in
this process (`cli.main`), so the models load once for the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("torch", reason='needs the voices extra: pip install "aligner[voices]"')

from aligner.cli import main
from aligner.voices.model import weights_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "voices"
CLIP = FIXTURES / "three_voices.flac"
ROWS = json.loads((FIXTURES / "three_voices.words.json").read_text())["words"]  # [start, end, speaker, text]

pytestmark = pytest.mark.model


@pytest.fixture(scope="module", autouse=True)
def _weights() -> None:
    try:
        weights_file()
    except Exception as e:  # torch without the weights' package
        pytest.skip(str(e))


def _turns() -> list[tuple[str, list[str]]]:
    turns: list[tuple[str, list[str]]] = []
    for r in ROWS:
        if turns and turns[-1][0] == r[2]:
            turns[-1][1].append(r[3])
        else:
            turns.append((r[2], [r[3]]))
    return turns


def _cue_words(path: Path) -> list[tuple[str, str | None]]:
    return [(w["text"], c["speaker"]) for c in json.loads(path.read_text())["cues"] for w in c["words"]]


def test_voices_label_an_unlabelled_transcript(tmp_path, capsys) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(" ".join(r[3] for r in ROWS) + "\n")
    out = tmp_path / "voices.json"
    assert main(["align", str(CLIP), str(plain), "-o", str(out), "-o", str(tmp_path / "v.srt"),
                 "--speakers", "voices", "-q"]) == 0
    words = _cue_words(out)
    assert len(words) == len(ROWS)
    labels = {s for _, s in words}
    assert len(labels) >= 2 and all(s is not None and s.startswith("Speaker ") for s in labels)
    mapping = {}  # each label to the true speaker most of its words have
    for label in labels:
        truth = [r[2] for r, (_, s) in zip(ROWS, words) if s == label]
        mapping[label] = max(set(truth), key=truth.count)
    right = sum(mapping[s] == r[2] for r, (_, s) in zip(ROWS, words))
    assert right >= 0.9 * len(ROWS), (right, len(ROWS))
    assert "[Speaker 1]" in (tmp_path / "v.srt").read_text()
    # the same timed words, from the cache, with the transcript's labels: none (never the voices')
    again = tmp_path / "transcript.json"
    assert main(["align", str(CLIP), str(plain), "-o", str(again), "-q"]) == 0
    assert {s for _, s in _cue_words(again)} == {None}
    capsys.readouterr()


def test_check_names_the_one_relabelled_turn(tmp_path, capsys) -> None:
    turns = _turns()
    wrong = [("JFK" if k == 0 else name, words) for k, (name, words) in enumerate(turns)]  # the reader's first turn
    transcript = tmp_path / "labelled.txt"
    transcript.write_text("\n\n".join(f"{name}: {' '.join(words)}" for name, words in wrong) + "\n")
    out, page = tmp_path / "check.json", tmp_path / "check.html"
    assert main(["align", str(CLIP), str(transcript), "-o", str(out), "-o", str(page),
                 "--speakers", "check", "-q"]) == 0
    checks = [w for w in json.loads(out.read_text())["warnings"] if w.startswith("speaker check")]
    assert len(checks) == 1, checks
    assert "labelled JFK but sounds like Austen Reader" in checks[0] and "mister john dashwood" in checks[0]
    assert "labelled JFK but sounds like Austen Reader" in capsys.readouterr().err
    assert "labelled JFK but sounds like Austen Reader" in page.read_text()  # in the review page's warnings


def test_check_moves_a_late_change_to_where_the_voice_changes(tmp_path, capsys) -> None:
    truth = [r[2] for r in ROWS]
    change = next(i for i, t in enumerate(truth) if t == "Austen Reader" and i > 20)  # LJ -> the reader, 15.6 s
    late = ["LJ" if change <= i < change + 5 else t for i, t in enumerate(truth)]
    turns: list[tuple[str, list[str]]] = []
    for r, label in zip(ROWS, late):
        if turns and turns[-1][0] == label:
            turns[-1][1].append(r[3])
        else:
            turns.append((label, [r[3]]))
    transcript = tmp_path / "late.txt"
    transcript.write_text("\n\n".join(f"{name}: {' '.join(words)}" for name, words in turns) + "\n")
    out = tmp_path / "late.json"
    assert main(["align", str(CLIP), str(transcript), "-o", str(out), "--speakers", "check", "-q"]) == 0
    checks = [w for w in json.loads(out.read_text())["warnings"] if w.startswith("speaker check")]
    assert len(checks) == 1 and "the change from LJ to Austen Reader" in checks[0], checks
    words = _cue_words(out)
    moved = [s for (_, s), k in zip(words, range(len(words))) if change <= k < change + 5]
    assert moved.count("Austen Reader") >= 4, moved  # the words change hands, as the warning says
    capsys.readouterr()


def _srt(cues: list[tuple[float, float, str, str]]) -> str:
    def clock(t: float) -> str:
        ms = round(t * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    return "".join(f"{n}\n{clock(a)} --> {clock(b)}\n[{who}] {text}\n\n" for n, (a, b, who, text) in enumerate(cues, 1))


def test_audit_finds_the_cue_under_another_speakers_label(tmp_path, capsys) -> None:
    cues, k = [], 0
    while k < len(ROWS):  # cues of up to six words, never across a turn, each labelled
        j = k
        while j + 1 < len(ROWS) and j + 1 - k < 6 and ROWS[j + 1][2] == ROWS[k][2]:
            j += 1
        cues.append((ROWS[k][0], ROWS[j][1], ROWS[k][2], " ".join(r[3] for r in ROWS[k:j + 1])))
        k = j + 1
    target = next(i for i, c in enumerate(cues) if c[2] == "JFK" and c[1] - c[0] > 1.5)
    cues[target] = (*cues[target][:2], "LJ", cues[target][3])
    subtitles, report = tmp_path / "swapped.srt", tmp_path / "audit.json"
    subtitles.write_text(_srt(cues))
    main(["audit", str(CLIP), str(subtitles), "--speakers", "--report", str(report), "--shot-changes", "off"])
    found = [f for f in json.loads(report.read_text())["findings"] if f["kind"] == "wrong_speaker"]
    assert [f["cue"] for f in found] == [target + 1], found
    assert found[0]["severity"] == "warning" and "labelled LJ but the voice is JFK's" in found[0]["detail"]
    assert "wrong_speaker" in capsys.readouterr().out
