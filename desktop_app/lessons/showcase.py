"""The README's picture of a lesson step, from the real window:

    python -m desktop_app.lessons.showcase assets/screenshots/lesson.png

The learner walks the path to step 7 (Training), predicts the loss curve, trains until
the reconstruction loss is below 0.01, and the step says whether the guess held.
Progress goes to a throw-away settings folder. Runs offscreen when there is no display.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "lesson.png"
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from desktop_app.main_window import MainWindow

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)

    window = MainWindow()
    window.resize(1920, 1080)
    window.show()
    pump(0.5)
    nav = window.lessons
    ids = [step.id for step in nav.steps]
    target = ids.index("training")
    for k in range(target):  # the steps before, read and answered
        nav.go_to(k)
        if nav.step.predict is not None:
            nav.choose(nav.step.predict.answer)
        nav.next()
    nav.choose(nav.step.predict.answer)
    controller = window.controller
    controller.set_speed(None)
    controller.set_stop_at(loss=0.01)
    controller.play()
    while controller.running:
        pump(0.05)
    pump(0.8)
    nav.evaluate()
    pump(0.3)
    ok = window.grab().save(path, "PNG")
    window.close()
    print(path if ok else f"Could not write {path}.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
