"""The README's pictures of a lesson step, from the real window:

    python -m desktop_app.lessons.showcase assets/screenshots/lesson.png
    xvfb-run -a -s "-screen 0 1280x720x24" python -m desktop_app.lessons.showcase \
        assets/screenshots/presentation.png --present 1.5 --theme contrast

``--present SCALE`` shows the step in presentation mode (full screen, at that scale) on the
screen the window opens on; ``--theme`` is light, contrast or dark (the system's otherwise).

The learner walks the path to step 7 (Training), predicts the loss curve, trains until
the reconstruction loss is below 0.01, and the step says whether the guess held.
Progress goes to a throw-away settings folder. Runs offscreen when there is no display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop_app.lessons.showcase")
    parser.add_argument("path", nargs="?", default="lesson.png")
    parser.add_argument("--present", type=float, metavar="SCALE", help="presentation mode at this scale")
    parser.add_argument("--theme", choices=("light", "contrast", "dark"))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    path = args.path
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from desktop_app.main_window import MainWindow
    from desktop_app.preferences import Preferences
    from desktop_app.theme import Theme

    def pump(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.01)

    if args.present is not None:
        Preferences(presentation_scale=args.present, theme=args.theme or "system").save()
    window = MainWindow(Theme.named(args.theme) if args.theme else None)
    window.resize(1920, 1080)
    window.show()
    pump(0.5)
    if args.present is not None:
        window.presentation.enter()
        pump(0.8)
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
