"""The training host, and every thread it trains on, runs one step below the window's
priority, so the window gets a core when digit training keeps both busy."""

from __future__ import annotations

import os
import sys
import types

import pytest

from desktop_app.training_process import TrainingHost
from engine.core.config import TrainingConfig
from engine.service import priority
from engine.service.protocol import RunRequest


def _niceness_of_threads(pid: int) -> dict[int, int]:
    """Each thread's niceness (field 19 of /proc/PID/task/TID/stat)."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/stat") as stat:
            out[int(tid)] = int(stat.read().rsplit(")", 1)[1].split()[16])
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_host_and_its_training_threads_run_below_the_window():
    expected = min(19, os.getpriority(os.PRIO_PROCESS, 0) + priority.HOST_NICE)
    host = TrainingHost()
    host.start()
    try:
        sid, _record = host.call("create", TrainingConfig(), None)
        host.call("run", sid, RunRequest(epochs=200))
        threads = _niceness_of_threads(host.process_id)
        assert len(threads) >= 3  # the request loop, the sender, the training thread (and torch's)
        assert set(threads.values()) == {expected}
        assert os.getpriority(os.PRIO_PROCESS, 0) == expected - priority.HOST_NICE  # the window is untouched
    finally:
        host.shutdown()


def test_on_windows_the_host_asks_for_the_below_normal_class(monkeypatch):
    asked = []
    kernel32 = types.SimpleNamespace(GetCurrentProcess=lambda: "this process",
                                     SetPriorityClass=lambda handle, cls: asked.append((handle, cls)) or 1)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "ctypes", types.SimpleNamespace(windll=types.SimpleNamespace(kernel32=kernel32)))
    assert priority.lower_priority() == "priority class below normal"
    assert asked == [("this process", 0x4000)]


def test_a_system_that_refuses_leaves_the_priority_and_says_so(monkeypatch, caplog):
    def refuse(_increment):
        raise PermissionError("not allowed")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "nice", refuse)
    assert priority.lower_priority() == "priority unchanged (not allowed)"
    assert "keeps the window's priority" in caplog.text
