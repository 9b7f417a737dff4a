"""The workbench read into a ``WorkbenchState`` and set from one (the state itself, and
its session-file form, are in ``desktop_app.state.workbench``).

The latent maps render their own ``LatentMapState``; the run bar's and the docks'
inputs are read and set as a user would set them (through their own signals), so
every view recomputes its figures from the engine exactly as on a learner's click.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop_app.state.file_form import FileForm
from desktop_app.state.latent_map import LatentMapState
from desktop_app.state.workbench import PARTS, WorkbenchState
from desktop_app.view_state import apply_widgets_state, check_widgets_state, set_places, widgets_state
from desktop_app.workbench_views import read_views, show_views


def _controls(workbench) -> dict[str, QWidget]:
    """The latent dock's inputs: they change what is shown, never the model itself (the
    run bar has its own state)."""
    latent = workbench.latent
    maps, path, prior = latent.map_controls, latent.path_panel, latent.prior_panel
    return {
        "overlay": maps.overlay, "grid_size": maps.grid_size, "fit_range": maps.fit_range,
        "range_from": maps.range_from, "range_to": maps.range_to, "background": maps.background,
        "trails": maps.trails, "spreads": maps.spreads, "data_grid": maps.data_grid,
        "path_kind": path.kind, "path_steps": path.steps, "prior_count": prior.count, "prior_seed": prior.seed,
    }


def _panels(workbench) -> dict[str, QWidget]:
    """The teaching panels by name (each dock holds one inside a LayoutFirewall)."""
    return {key: dock.widget().child for key, dock in workbench.docks.items() if key != "latent"}


def read_workbench(workbench, views: bool = False) -> WorkbenchState:
    """The workbench as one state (detached copies: changing it changes nothing on
    screen); ``views``: with the views shown and the large one (the lesson path's)."""
    controller, latent = workbench.controller, workbench.latent
    compare = latent.compare
    visible, large = read_views(workbench) if views else (None, None)
    return WorkbenchState(
        # a past epoch the learner went back to on the timeline; None: the newest
        shown_epoch=None if controller.running or controller.snapshot is controller.session.latest
        else controller.snapshot.epoch,
        selected=controller.selected_index,
        run=workbench.controls.state.copy(),
        controls=widgets_state(_controls(workbench)),
        latent=latent.canvas.state.copy(),
        section=next((k for k, b in latent.section_buttons.items() if b.isChecked()), None),
        compare=compare is not None,
        compare_beta=None if compare is None else compare.beta.value(),
        compare_latent=None if compare is None else compare.canvas.state.copy(),
        panels={key: panel.state.copy() for key, panel in _panels(workbench).items()},
        visible=visible, large=large)


def check_workbench(workbench, state: WorkbenchState) -> None:
    """What only the widgets know (the rows of a combo box, a spin box's range): raise
    ValueError naming what is wrong; nothing on screen changes."""
    check_widgets_state(_controls(workbench), state.controls)


def apply_workbench(workbench, state: WorkbenchState, parts: tuple[str, ...] = PARTS) -> None:
    """Set the screen up as ``state`` says, after the session itself was installed;
    ``parts`` (of ``PARTS``) limits what is set: the rest stays as it is."""
    controller, latent = workbench.controller, workbench.latent
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts of the workbench: {', '.join(sorted(unknown))}")
    if "selected" in parts:
        controller.select_image(state.selected)
    if "controls" in parts:
        if state.run is not None:
            workbench.controls.state.apply(state.run)
        apply_widgets_state(_controls(workbench), state.controls)
    if "section" in parts:
        latent.show_section(state.section)
    if "compare" in parts:
        latent.set_compare(state.compare)
        if state.compare and latent.compare is not None and state.compare_beta is not None:
            latent.compare.beta.setValue(state.compare_beta)
    if "panels" in parts:
        for key, panel in _panels(workbench).items():
            if key in state.panels:  # typed numbers go through the panel's own checks
                panel.state.take(state.panels[key])
    if "shown_epoch" in parts and state.shown_epoch is not None and state.shown_epoch != controller.session.epoch:
        controller.show_epoch(state.shown_epoch)
    if "views" in parts and state.visible is not None:
        show_views(workbench, state.visible, state.large)
    if "latent" in parts:
        _apply_maps(latent, state)


def _apply_maps(latent, state: WorkbenchState) -> None:
    set_places(latent.canvas, state.latent)
    if state.compare and latent.compare is not None:
        latent.compare.sync()
        set_places(latent.compare.canvas, state.compare_latent or LatentMapState())
    if latent.canvas.state.samples is not None and latent.canvas.snapshot is not None:
        latent.prior_panel.refresh(latent.canvas.snapshot)


# ----- the session file's form ----------------------------------------------------------------
WORKBENCH_FORM = FileForm(WorkbenchState, read_workbench, check_workbench, apply_workbench)
workbench_state, check_workbench_state = WORKBENCH_FORM.read, WORKBENCH_FORM.check
apply_workbench_state = WORKBENCH_FORM.apply
