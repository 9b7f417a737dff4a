"""The workbench tab's screen state as plain data: the epoch on screen, the selected
image, the run controls, the latent dock (layers, probe, path, prior samples, the
comparison) and the teaching panels' sources and typed numbers.

The model itself travels in the session file as the engine's ``TrainingSession``;
everything here is what the learner arranged around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtWidgets import QWidget

from desktop_app.state.checks import checked_number, checked_whole
from desktop_app.view_state import (
    Json,
    apply_canvas_state,
    apply_widgets_state,
    canvas_state,
    check_canvas_state,
    check_widgets_state,
    widgets_state,
)

SECTIONS = ("map", "path", "prior")


def _controls(workbench) -> dict[str, QWidget]:
    """Inputs that change what is shown or how Play runs, never the model itself."""
    bar, latent = workbench.controls, workbench.latent
    maps, path, prior = latent.map_controls, latent.path_panel, latent.prior_panel
    return {
        "speed": bar.speedCombo, "stop_epoch": bar.stopEpochSpin, "stop_loss": bar.stopLossEdit,
        "run_epochs": bar.runEpochsSpin,
        "overlay": maps.overlay, "grid_size": maps.grid_size, "fit_range": maps.fit_range,
        "range_from": maps.range_from, "range_to": maps.range_to, "background": maps.background,
        "trails": maps.trails, "spreads": maps.spreads, "data_grid": maps.data_grid,
        "path_kind": path.kind, "path_steps": path.steps, "prior_count": prior.count, "prior_seed": prior.seed,
    }


def _panels(workbench) -> dict[str, QWidget]:
    """The teaching panels by name (each dock holds one inside a LayoutFirewall)."""
    return {key: dock.widget().child for key, dock in workbench.docks.items() if key != "latent"}


def workbench_state(workbench) -> Json:
    controller, latent = workbench.controller, workbench.latent
    compare = latent.compare
    return {
        # a past epoch the learner went back to on the timeline; None: the newest
        "shown_epoch": None if controller.running or controller.snapshot is controller.session.latest
        else controller.snapshot.epoch,
        "selected": controller.selected_index,
        "controls": widgets_state(_controls(workbench)),
        "latent": canvas_state(latent.canvas),
        "section": next((k for k, b in latent.section_buttons.items() if b.isChecked()), None),
        "compare": None if compare is None else {"beta": compare.beta.value(), "latent": canvas_state(compare.canvas)},
        "panels": {key: _panel_state(panel) for key, panel in _panels(workbench).items()},
    }


def check_workbench_state(workbench, state: object) -> None:
    """Raise ValueError naming what is wrong; nothing on screen changes."""
    if not isinstance(state, Mapping):
        raise ValueError("the workbench's settings are not a table")
    if state.get("shown_epoch") is not None:
        checked_whole(state["shown_epoch"], 0, None)
    checked_whole(state.get("selected", 0), 0, None)
    check_widgets_state(_controls(workbench), state.get("controls", {}))
    check_canvas_state(state.get("latent", {}))
    if state.get("section") not in (None, *SECTIONS):
        raise ValueError("the latent dock's open section is unknown")
    compare = state.get("compare")
    if compare is not None:
        if not isinstance(compare, Mapping):
            raise ValueError("the comparison's settings are not a table")
        checked_number(compare.get("beta", 0.0))
        check_canvas_state(compare.get("latent", {}))
    panels = state.get("panels", {})
    if not isinstance(panels, Mapping) or not all(isinstance(v, Mapping) for v in panels.values()):
        raise ValueError("the panels' settings are not a table")
    for panel in panels.values():
        _check_panel_state(panel)


def apply_workbench_state(workbench, state: Mapping[str, Any]) -> None:
    """Set the screen up as saved, after the session itself was installed."""
    controller, latent = workbench.controller, workbench.latent
    controller.select_image(state.get("selected", 0))
    apply_widgets_state(_controls(workbench), state.get("controls", {}))
    latent.show_section(state.get("section"))
    compare = state.get("compare")
    latent.set_compare(compare is not None)
    if compare is not None and latent.compare is not None:
        latent.compare.beta.setValue(checked_number(compare.get("beta", latent.compare.beta.value())))
    for key, panel in _panels(workbench).items():
        if key in state.get("panels", {}):
            _apply_panel_state(panel, state["panels"][key])
    epoch = state.get("shown_epoch")
    if epoch is not None and epoch != controller.session.epoch:
        controller.show_epoch(epoch)
    apply_canvas_state(latent.canvas, state.get("latent", {}))
    if compare is not None and latent.compare is not None:
        latent.compare.sync()
        apply_canvas_state(latent.compare.canvas, compare.get("latent", {}))
    if latent.canvas.state.samples is not None and latent.canvas.snapshot is not None:
        latent.prior_panel.refresh(latent.canvas.snapshot)


# ----- teaching panels ----------------------------------------------------------------------
def _panel_state(panel) -> Json:
    state: Json = {}
    if hasattr(panel, "current_source"):
        state["source"] = panel.current_source
        own = getattr(panel, "_own", None)
        if own is not None:
            state["own"] = [np.asarray(a, dtype=float).tolist() for a in own]
    if hasattr(panel, "set_x"):
        state["x"] = float(panel.x)
    if hasattr(panel, "unit_combo"):
        state["unit"] = max(0, panel.unit_combo.currentIndex())  # -1 (not drawn yet) shows unit 0
    return state


def _check_panel_state(state: Mapping[str, Any]) -> None:
    """The form of a panel's state; typed numbers themselves are checked by the panel."""
    if "x" in state:
        checked_number(state["x"])
    if "unit" in state:
        checked_whole(state["unit"], 0, None)
    if "source" in state and not isinstance(state["source"], str):
        raise ValueError("a panel's source is not a name")
    own = state.get("own", [[], []])
    if not isinstance(own, list) or len(own) != 2:
        raise ValueError("a panel's own numbers are not two lists")


def _apply_panel_state(panel, state: Mapping[str, Any]) -> None:
    """Typed numbers go through the panel's own checks; a refused value is said next to
    it, as if typed, and the rest of the screen is restored."""
    if "own" in state and hasattr(panel, "set_own"):
        panel.set_own(*state["own"])
    if "source" in state and state["source"] in panel.source_keys():
        panel.set_source(state["source"])
    if "x" in state:
        panel.set_x(checked_number(state["x"]))
    if "unit" in state:
        if panel.unit_combo.count() == 0:  # a panel never shown has not listed its units yet
            panel.render_live()
        if checked_whole(state["unit"], 0, None) < panel.unit_combo.count():
            panel.unit_combo.setCurrentIndex(state["unit"])
