"""Run as a script (``tests/desktop_app/test_no_torch_in_window.py`` starts it in a fresh
process, offscreen): everything a learner does in the window, then a check that the
window's process never imported torch. The first import of torch, if any, is caught with
the stack that asked for it, so a failure names the culprit."""

from __future__ import annotations

import importlib.abc
import os
import sys
import tempfile
import time
import traceback

FIRST_TORCH_IMPORT: list[str] = []


class TorchWatch(importlib.abc.MetaPathFinder):
    """Remembers where torch was first imported from (and lets the import go on)."""

    def find_spec(self, name, path=None, target=None):  # noqa: D102 (importlib's protocol)
        if name.split(".")[0] == "torch" and not FIRST_TORCH_IMPORT:
            FIRST_TORCH_IMPORT.append("".join(traceback.format_stack(limit=25)))
        return None


def settle(app, seconds: float = 0.0) -> None:
    end = time.monotonic() + seconds
    while True:
        app.processEvents()
        if time.monotonic() >= end:
            return
        time.sleep(0.01)


def wait_for(app, condition, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there in time")
        settle(app, 0.02)


def main() -> int:
    sys.meta_path.insert(0, TorchWatch())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication([])
    from desktop_app.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    settle(app, 0.2)
    steps = ["window shown"]

    canvas = window.workbench.latent.canvas  # a click on the latent map decodes a point
    window.workbench.docks["latent"].show()
    settle(app, 0.1)
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport_pos((0.31, 0.77)))
    settle(app, 0.1)
    steps.append("latent canvas clicked")

    window.controller.step(5)  # training, in the window's own controller
    window.controller.wait_until_idle(60)
    assert window.controller.snapshot.epoch == 5, window.controller.snapshot.epoch
    steps.append("trained 5 epochs")

    for index, study in ((1, window.denoising), (2, window.generation)):  # both case studies, shown and run
        window.tabs.setCurrentIndex(index)
        settle(app, 0.1)
        study.start()
        study.step(1)
        study.wait_until_idle(300)
        settle(app, 0.1)
    steps.append("case studies opened and trained an epoch")

    nav = window.lessons
    ids = [step.id for step in nav.steps]
    for step_id in ("book", "training", "log-loss-live", "kl-vae", "case-generation"):
        nav.go_to(ids.index(step_id))
        settle(app, 0.05)
    nav.leave()
    steps.append("lesson steps entered")

    path = os.path.join(tempfile.mkdtemp(), "proof.aelab")
    assert window.session_files.save_to(path), "the session was not saved"
    job = window.session_files.open_path(path, confirmed=True)
    assert job is not None
    wait_for(app, lambda: not job.running)
    settle(app, 0.1)
    steps.append("session saved and opened")

    window.close()
    settle(app, 0.1)
    print("; ".join(steps))
    if "torch" in sys.modules:
        print("torch was imported in the window's process, first from:\n" + FIRST_TORCH_IMPORT[0], file=sys.stderr)
        return 1
    print("torch not in sys.modules")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
