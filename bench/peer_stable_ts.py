"""The peer for ``bench_robust.py``: stable-ts's ``align()`` on the same faster-whisper base model.

Runs in a Python of its own that has stable-ts (it needs torch, which aligner does not):

    python3 -m venv peer && peer/bin/pip install torch==2.13.0 faster-whisper==1.2.1 \
        numba more-itertools tiktoken tqdm && peer/bin/pip install --no-deps openai-whisper stable-ts==2.19.1 torchaudio
    python bench/bench_robust.py --peer peer/bin/python

    peer/bin/python bench/peer_stable_ts.py MODEL_DIR AUDIO TEXT OUT.json [--language en]

Writes ``{"words": [{"text", "start", "end"}], "seconds": align wall time}``: every word of
the text (whitespace-split) in its order, as stable-ts times them. CPU, int8, offline.
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    import stable_whisper
    from faster_whisper.audio import decode_audio

    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir")
    parser.add_argument("audio")
    parser.add_argument("text")
    parser.add_argument("out")
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    with open(args.text, encoding="utf-8") as fh:
        text = " ".join(line.strip() for line in fh.read().splitlines() if line.strip())
    model = stable_whisper.load_faster_whisper(args.model_dir, device="cpu", compute_type="int8",
                                               local_files_only=True)
    t0 = time.perf_counter()
    result = model.align(decode_audio(args.audio, sampling_rate=16000), text, language=args.language, verbose=None)
    took = time.perf_counter() - t0
    words = [{"text": w.word.strip(), "start": float(w.start), "end": float(w.end)} for w in result.all_words()]
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump({"words": words, "seconds": took}, fh)


if __name__ == "__main__":
    main()
