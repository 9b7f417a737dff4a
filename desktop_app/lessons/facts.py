"""Gather ``Facts`` (what the checks read) from the window.

Only reading: the snapshot on screen, the selection, the probe of the latent space on
the tab shown, the numbers on the panels, the case study's figures. The decoded image
under the probe is decoded by the snapshot (the engine), not read off a label.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtWidgets import QWidget

from desktop_app.lessons.checks import Facts


@dataclass(frozen=True)
class StepStart:
    """What the step set up, to tell the learner's doing from the set-up's."""

    epoch: int
    selected: int
    probe: tuple[float, ...] | None
    probe_image: int | None


def _panel(window, name: str) -> QWidget:
    return window.workbench.docks[name].widget().findChild(QWidget, name)


def _probe_canvas(window):
    tab = window.tabs.currentIndex()
    if tab == 0:
        return window.workbench.latent.canvas
    if tab == 2 and window.generation.started:
        return window.generation.vae_pane.canvas
    return None


def _controller(window):
    tab = window.tabs.currentIndex()
    study = {1: window.denoising, 2: window.generation}.get(tab)
    if study is None:
        return window.controller
    return study.controller if study.started else None


def step_start(window) -> StepStart:
    controller, canvas = _controller(window), _probe_canvas(window)
    probe = None if canvas is None or canvas.probe is None else tuple(float(v) for v in canvas.probe)
    return StepStart(epoch=controller.snapshot.epoch if controller else 0,
                     selected=controller.selected_index if controller else 0,
                     probe=probe, probe_image=None if canvas is None else canvas.probe_image)


def gather(window, start: StepStart, logloss_hovered: int) -> Facts:
    controller = _controller(window)
    snapshot = controller.snapshot if controller is not None else None
    canvas = _probe_canvas(window)
    probe_moved, probe_values = False, None
    if canvas is not None and canvas.probe is not None and canvas.snapshot is not None:
        now = tuple(float(v) for v in canvas.probe)
        image = canvas.probe_image
        probe_moved = image != start.probe_image if image is not None else now != start.probe
        if window.tabs.currentIndex() == 0:
            probe_values = np.asarray(canvas.snapshot.decode(canvas.probe))
    mse, logloss, kl = _panel(window, "msePanel"), _panel(window, "logLossPanel"), _panel(window, "klPanel")
    network_psnr = pca_psnr = None
    figures = window.denoising.figures if window.denoising.started else None
    if figures is not None:
        _input, network_psnr, pca_psnr = figures.mean_all
    drawn = bool(window.denoising.pad.pixels.max() > 0)
    return Facts(
        snapshot=snapshot, start_epoch=start.epoch, selected=controller.selected_index if controller else 0,
        start_selected=start.selected, probe_moved=probe_moved, probe_values=probe_values,
        sources={"msePanel": mse.current_source, "logLossPanel": logloss.current_source,
                 "klPanel": kl.current_source},
        mse_xy=mse.numbers, logloss_xy=logloss.numbers, logloss_hovered=logloss_hovered,
        sigmoid_input=_panel(window, "sigmoidPanel").x, network_psnr=network_psnr, pca_psnr=pca_psnr,
        drawn=drawn)
