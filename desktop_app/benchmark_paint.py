"""First paint for ``python -m desktop_app --benchmark``: the app against a bare Qt window.

Both are fresh processes, timed from launch to the line "painted" their window prints
after its first paint: ``python -m desktop_app --exit-after-paint`` and
``python -m desktop_app.bare_window`` (PySide6 + pyqtgraph, one plot). They run
alternately, so a change in the machine's load falls on both alike; the figure is the
ratio of their medians (budget: 1.3).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import threading
import time

APP = ("-m", "desktop_app", "--exit-after-paint")
BARE = ("-m", "desktop_app.bare_window")


def seconds_to_paint(arguments: tuple[str, ...], timeout: float = 120.0) -> float | None:
    """Launch ``python *arguments`` and time it until it prints "painted"; None if it never does."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *arguments], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    painted = None
    watchdog = threading.Timer(timeout, proc.kill)  # a window that never paints must not hang the benchmark
    watchdog.start()
    try:
        for line in proc.stdout:
            if line.startswith("painted"):
                painted = time.perf_counter() - start
                break
        proc.wait()
    finally:
        watchdog.cancel()
        proc.stdout.close()
    return painted


def first_paint(runs: int = 5) -> dict:
    """``runs`` launches of each, alternating: every time, both medians and their ratio."""
    app: list[float | None] = []
    bare: list[float | None] = []
    for _ in range(runs):
        app.append(seconds_to_paint(APP))
        bare.append(seconds_to_paint(BARE))
    return summary(app, bare)


def summary(app: list[float | None], bare: list[float | None]) -> dict:
    """Medians of the launches that painted (a launch that never painted is counted as
    ``failed``), and the app's median over the bare window's."""
    app_ok, bare_ok = [t for t in app if t is not None], [t for t in bare if t is not None]
    app_median = statistics.median(app_ok) if app_ok else None
    bare_median = statistics.median(bare_ok) if bare_ok else None
    ratio = app_median / bare_median if app_median is not None and bare_median else None
    return {"app_s": [None if t is None else round(t, 3) for t in app],
            "bare_s": [None if t is None else round(t, 3) for t in bare],
            "app_median_s": None if app_median is None else round(app_median, 3),
            "bare_median_s": None if bare_median is None else round(bare_median, 3),
            "ratio": None if ratio is None else round(ratio, 3),
            "failed": len(app) - len(app_ok) + len(bare) - len(bare_ok)}
