"""Pictures of the case studies for the docs: train one a while, set it up the way a
lecturer would show it, save a PNG of the whole window.

    python -m desktop_app.case_studies.showcase denoising assets/screenshots/denoising.png --epochs 15
    python -m desktop_app.case_studies.showcase generation assets/screenshots/generation.png --epochs 30

Runs offscreen when there is no display. Training renders every epoch on the way (as
in the app), so the curves are the ones a learner would see.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

STUDIES = {"denoising": 1, "generation": 2}


def _pump(app, seconds: float = 0.3) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)


def _train(app, study, epochs: int) -> None:
    study.run_controls.epochs_spin.setValue(epochs)
    study.play()
    while any(c.running for c in study._all()):
        _pump(app, 0.05)
    _pump(app)


def _draw_seven(pad) -> None:
    pad.draw_line((8.5, 6.0), (19.5, 6.5))
    pad.draw_line((19.5, 6.5), (13.0, 23.0))
    pad.draw_line((11.0, 14.5), (18.0, 14.5))


def _set_up_generation(study) -> None:
    """A walk from a held-out 0 to a held-out 7, new samples, and the probe among the 0s."""
    import numpy as np

    snapshot = study.controller.snapshot
    labels = np.asarray(snapshot.labels)
    canvas = study.vae_pane.canvas
    for which, digit in ((0, 0), (1, 7)):
        canvas.set_probe(None, image=int(np.flatnonzero(labels == digit)[3]))
        canvas.set_path_end(which, canvas.path_end_from_probe())
    study.sample()
    canvas.set_probe(np.median(np.asarray(snapshot.codes)[labels == 0], axis=0))  # amid the 0s, on no dot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop_app.case_studies.showcase")
    parser.add_argument("study", choices=sorted(STUDIES))
    parser.add_argument("path")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--manifold", action="store_true", help="generation: cover the map with the decoded grid")
    parser.add_argument("--compare", action="store_true", help="generation: the plain autoencoder beside")
    args = parser.parse_args(argv)
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from desktop_app.main_window import MainWindow
    from desktop_app.theme import Theme

    window = MainWindow(Theme(scale=args.scale, dark=args.dark))
    window.tabs.setCurrentIndex(STUDIES[args.study])
    window.show()
    _pump(app)
    study = window.denoising if args.study == "denoising" else window.generation
    study.start()
    if args.study == "generation" and args.compare:
        study.set_compare(True)
    if args.study == "denoising":
        study.pca.denoiser(study.controller.config.latent_dim, timeout=300)
    _train(app, study, args.epochs)
    if args.study == "denoising":
        _draw_seven(study.pad)
    else:
        study.manifold_check.setChecked(args.manifold)
        study.dots_check.setChecked(not args.manifold)
        _set_up_generation(study)
    _pump(app, 0.5)
    ok = window.grab().save(args.path, "PNG")
    window.close()
    print(args.path if ok else f"Could not write {args.path}.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
