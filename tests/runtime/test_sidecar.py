"""The sidecar process: calls run there, their log records come back, failures are clear."""

from __future__ import annotations

import logging
import os

import pytest

from aligner.runtime import sidecar
from aligner.runtime.sidecar import Sidecar, SidecarError


@pytest.fixture()
def helper():
    started = Sidecar()
    yield started
    started.close()


def test_a_call_runs_in_another_process(helper):
    assert helper.call(os.getpid) not in (os.getpid(), None)


def test_calls_sent_ahead_are_answered_in_order(helper):
    with helper.lock:
        for n in ("1", "22", "333"):
            helper.send(len, n)
        assert [helper.receive() for _ in range(3)] == [1, 2, 3]


def test_its_log_records_are_handled_here(helper, caplog):
    with caplog.at_level(logging.DEBUG, logger="aligner"):
        helper.call(logging.getLogger("aligner.timing.acoustic").debug, "group %d placed", 7)
    assert [(r.name, r.getMessage()) for r in caplog.records] == [("aligner.timing.acoustic", "group 7 placed")]


def test_a_failed_call_is_an_error_and_the_sidecar_goes_on(helper):
    with pytest.raises(SidecarError, match="ValueError"):
        helper.call(int, "not a number")
    assert helper.call(int, "42") == 42


def test_a_dead_sidecar_is_an_error_not_a_hang(helper):
    helper.process.kill()
    helper.process.wait()
    with pytest.raises(SidecarError, match="gone"):
        helper.call(os.getpid)


def test_closing_ends_the_process(helper):
    helper.close()
    assert helper.process.poll() is not None


def test_disabled_there_is_none(monkeypatch):
    monkeypatch.setattr(sidecar, "_state", {"sidecar": None, "disabled": False})
    sidecar.disable()
    assert sidecar.get() is None
