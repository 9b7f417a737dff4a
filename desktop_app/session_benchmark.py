"""How long saving and opening whole-app sessions take, and what the window feels of it.

    python -m desktop_app.session_benchmark [--epochs 3000] [--no-digits]

Prints: writing and reading a long 2x2 VAE session; opening it from the window (the
load runs on a worker thread: time until shown and the longest event-loop stall);
for a trained workbench plus both case studies, what an autosave costs the GUI
thread (fingerprint and frozen copy) and the worker (the write). Runs offscreen when
there is no display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def _pump(app, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def _long_session(folder: Path, epochs: int) -> Path:
    from desktop_app.training_process import training_host
    from engine.core.config import TrainingConfig
    from engine.files.persistence import load_bundle, save_bundle

    session, _diverged = training_host().call("trained_record", TrainingConfig(model="vae", seed=0), epochs,
                                              timeout=3600)  # trained in the host, as the app's are
    path = folder / f"vae{epochs}.aelab"
    start = time.perf_counter()
    save_bundle(path, {"workbench": session}, {})
    saved = time.perf_counter() - start
    start = time.perf_counter()
    load_bundle(path)
    print(f"{epochs}-epoch 2x2 VAE: save_bundle {saved:.2f} s ({path.stat().st_size / 1e6:.1f} MB), "
          f"load_bundle {time.perf_counter() - start:.2f} s")
    return path


def _open_from_window(app, window, path: Path) -> None:
    """Open through File > Open's code path while a 5 ms timer measures the event loop."""
    from PySide6.QtCore import QTimer

    gaps: dict[str, list[float]] = {"loading (worker thread)": [], "showing (GUI thread)": []}
    phase = ["loading (worker thread)"]
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps[phase[0]].append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    start = last[0] = time.perf_counter()
    job = window.session_files.open_path(path, confirmed=True)
    job.succeeded.connect(lambda _loaded: phase.__setitem__(0, "showing (GUI thread)"))
    while job.running:
        app.processEvents()
        time.sleep(0.001)
    shown = time.perf_counter() - start
    _pump(app, 0.3)
    timer.stop()
    print(f"open from the window: shown after {shown:.2f} s at epoch {window.controller.session.epoch}")
    for name, ticks in gaps.items():
        ticks.sort()
        if ticks:
            print(f"  event loop while {name}: p95 {1000 * ticks[int(0.95 * len(ticks))]:.0f} ms, "
                  f"longest stall {1000 * ticks[-1]:.0f} ms")


def _whole_app(app, window) -> None:
    from desktop_app.app_session import capture, fingerprint
    from engine.files.persistence import save_bundle

    window.controller.step(200)
    window.controller.wait_until_idle(600)
    for tab, study in ((1, window.denoising), (2, window.generation)):
        window.tabs.setCurrentIndex(tab)
        _pump(app, 0.3)
        study.start()
        study.step(1)
        study.wait_until_idle(1200)
    window.generation.set_compare(True)
    while window.generation.autoencoder.running or window.generation.autoencoder.session.epoch < 1:
        _pump(app, 0.1)
    target = Path(tempfile.mkdtemp()) / "all.aelab"
    for _ in range(3):
        start = time.perf_counter()
        fingerprint(window)
        looked = time.perf_counter()
        contents = capture(window)
        copied = time.perf_counter()
        save_bundle(target, contents.sessions, contents.app_state)
        written = time.perf_counter()
        print(f"autosave of {', '.join(contents.sessions)}: GUI thread {1000 * (looked - start):.1f} ms "
              f"fingerprint + {1000 * (copied - looked):.1f} ms copy; worker {written - copied:.2f} s write "
              f"({target.stat().st_size / 1e6:.1f} MB)")
    for study in (window.denoising, window.generation):
        study.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop_app.session_benchmark")
    parser.add_argument("--epochs", type=int, default=3000, help="length of the 2x2 VAE session to open")
    parser.add_argument("--no-digits", action="store_true", help="skip the whole-app autosave (digit models)")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1.")
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from desktop_app.main_window import MainWindow

    path = _long_session(Path(tempfile.mkdtemp()), args.epochs)
    window = MainWindow()
    window.show()
    _pump(app, 0.5)
    _open_from_window(app, window, path)
    if not args.no_digits:
        _whole_app(app, window)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
