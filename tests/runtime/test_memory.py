"""memory: freed heap handed back to the system."""

from __future__ import annotations

import sys
import threading

import pytest

from aligner.runtime.memory import give_back


def _resident_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's heap")
def test_memory_freed_in_a_thread_goes_back_to_the_system():
    # As the transcript's parse does: many mid-sized objects made and dropped in a thread of
    # its own, a few kept among them, leave its heap at its high-water mark.
    survivors: list[bytearray] = []

    def churn() -> None:
        made = [bytearray(1500 if k % 2 else 500) for k in range(200_000)]
        survivors.extend(made[::100])
        del made

    thread = threading.Thread(target=churn)
    thread.start()
    thread.join()
    before = _resident_mb()
    assert give_back()
    assert before - _resident_mb() > 50
    assert len(survivors) == 2000
