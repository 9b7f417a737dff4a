"""The workbench tab's state: the epoch on screen, the selected image, the run bar's
pace, the latent dock (its map, open section, comparison) and each teaching panel's
source and typed numbers.

The model itself is the training session (saved as its record); this is what the
learner arranged around it. ``WorkbenchState.from_json``/``to_json`` are the session
file's form, unchanged since the first saved sessions, so old files open as they did.
Qt-free: ``desktop_app.workbench_state`` reads a workbench into one and sets one on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop_app.state.checks import checked_bool, checked_number, checked_whole, table_of
from desktop_app.state.evented import Evented, checked_field
from desktop_app.state.latent_map import BACKGROUNDS, LatentMapState, checked_map
from desktop_app.state.run_bar import RUN_CONTROLS, RunBarState
from engine.latent.space import INTERPOLATIONS

SECTIONS = ("map", "path", "prior")
#: The workbench's views on its page (always docked in the middle).
PAGE_VIEWS = ("networkDiagram", "datasetView", "reconstructionView", "lossPlot", "timeline")
#: The workbench's docks: the latent space and the four teaching panels.
DOCK_VIEWS = ("latent", "sigmoidPanel", "msePanel", "logLossPanel", "klPanel")
VIEWS = PAGE_VIEWS + DOCK_VIEWS
#: What ``apply_workbench`` sets, in this order; a lesson step sets only some of them.
PARTS = ("selected", "controls", "section", "compare", "panels", "shown_epoch", "views", "latent")
def layers_from_controls(controls: Mapping[str, Any]) -> dict[str, Any]:
    """The map's layer fields the saved controls stand for (combo boxes are saved as row
    numbers: the backgrounds' and path kinds' rows are in their states' order)."""
    names = {"overlay": "overlay_on", "trails": "trails_on", "spreads": "spreads_on", "data_grid": "data_grid_on",
             "grid_size": "grid_size", "path_steps": "path_steps"}
    values = {field: controls[key] for key, field in names.items() if key in controls}
    for key, field, keys in (("background", "background", BACKGROUNDS), ("path_kind", "path_kind", INTERPOLATIONS)):
        if key in controls:
            values[field] = keys[checked_whole(controls[key], 0, len(keys) - 1)]
    return values


def _map_from_json(places: object, controls: Mapping[str, Any]) -> LatentMapState:
    return LatentMapState(**{**layers_from_controls(controls), **LatentMapState.places_from_json(places)})


def _maybe_whole(value: object) -> int | None:
    return None if value is None else checked_whole(value, 0, None)


def _maybe_number(value: object) -> float | None:
    return None if value is None else float(checked_number(value))


def _views(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or not all(v in VIEWS for v in value):
        raise ValueError(f"the shown views must be names among {', '.join(VIEWS)}")
    return tuple(value)


def _large(value: object) -> str | None:
    if value is not None and value not in VIEWS:
        raise ValueError(f"unknown view {value!r} (known: {', '.join(VIEWS)})")
    return value


def _section(value: object) -> str | None:
    if value not in (None, *SECTIONS):
        raise ValueError("the latent dock's open section is unknown")
    return value


def _source(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("a panel's source is not a name")
    return value


def _own(value: object) -> tuple[tuple, tuple] | None:
    """A panel's own numbers: two lists, kept as given (the panel checks them when they
    are set on it and says a refusal next to them, as if typed)."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 2 \
            or not all(isinstance(part, (list, tuple, np.ndarray)) for part in value):
        raise ValueError("a panel's own numbers are not two lists")
    return tuple(tuple(np.asarray(part).tolist()) if isinstance(part, np.ndarray) else tuple(part)
                 for part in value)


_controls = table_of("the controls' settings")


def _run(value: object) -> RunBarState | None:
    if value is not None and not isinstance(value, RunBarState):
        raise ValueError("the run bar's state is not a RunBarState")
    return value


@dataclass(eq=False)
class PanelState(Evented):
    """One teaching panel: where its numbers come from, the numbers typed into it, the
    sigmoid's input and the unit it shows (None: the panel has no such thing)."""

    source: str | None = checked_field(None, check=_source)
    own: tuple | None = checked_field(None, check=_own)
    x: float | None = checked_field(None, check=_maybe_number)
    unit: int | None = checked_field(None, check=_maybe_whole)

    def to_json(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        if self.source is not None:
            state["source"] = self.source
        if self.own is not None:
            state["own"] = [list(part) for part in self.own]
        if self.x is not None:
            state["x"] = self.x
        if self.unit is not None:
            state["unit"] = self.unit
        return state

    def take(self, wanted: PanelState) -> None:
        """Set what ``wanted`` gives and this panel has (a field None here: the panel has
        no such thing), own numbers before the source (own numbers switch the source to
        "own", so a saved source set after them stands)."""
        for name in ("own", "source", "x", "unit"):
            value = getattr(wanted, name)
            if value is not None and getattr(self, name) is not None:
                setattr(self, name, value)

    @classmethod
    def from_json(cls, state: object) -> PanelState:
        if not isinstance(state, Mapping):
            raise ValueError("the panels' settings are not a table")
        return cls(source=state.get("source"), own=state.get("own"), x=state.get("x"), unit=state.get("unit"))


def _panels(value: object) -> dict[str, PanelState]:
    if not isinstance(value, Mapping) or not all(isinstance(v, PanelState) for v in value.values()):
        raise ValueError("the panels' settings are not a table of panel states")
    return dict(value)



@dataclass(eq=False)
class WorkbenchState(Evented):
    """The workbench around its session; ``shown_epoch`` None: the newest epoch.
    ``run``: the run bar (None: as it is). ``controls``: the latent dock's inputs by name.
    ``visible``/``large``: the views shown and the large one (None: as they are; a saved
    session keeps the window's layout as Qt's own state instead)."""

    shown_epoch: int | None = checked_field(None, check=_maybe_whole)
    selected: int = checked_field(0, check=lambda v: checked_whole(v, 0, None))
    run: RunBarState | None = checked_field(None, check=_run)
    controls: dict = checked_field(factory=dict, check=_controls)
    latent: LatentMapState = checked_field(factory=LatentMapState, check=checked_map)
    section: str | None = checked_field(None, check=_section)
    compare: bool = checked_field(False, check=checked_bool)
    compare_beta: float | None = checked_field(None, check=_maybe_number)
    compare_latent: LatentMapState | None = checked_field(None, check=checked_map)
    panels: dict = checked_field(factory=dict, check=_panels)
    visible: tuple | None = checked_field(None, check=_views)
    large: str | None = checked_field(None, check=_large)

    def to_json(self) -> dict[str, Any]:
        compare = None
        if self.compare:
            compare = {"beta": self.compare_beta,
                       "latent": (self.compare_latent or LatentMapState()).to_json()}
        controls = {**dict(self.controls), **({} if self.run is None else self.run.to_controls())}
        return {"shown_epoch": self.shown_epoch, "selected": self.selected, "controls": controls,
                "latent": self.latent.to_json(), "section": self.section, "compare": compare,
                "panels": {key: panel.to_json() for key, panel in self.panels.items()}}

    @classmethod
    def from_json(cls, state: object) -> WorkbenchState:
        """Checked: raises ValueError naming what is wrong (a missing key keeps its default)."""
        if not isinstance(state, Mapping):
            raise ValueError("the workbench's settings are not a table")
        compare = state.get("compare")
        if compare is not None and not isinstance(compare, Mapping):
            raise ValueError("the comparison's settings are not a table")
        panels = state.get("panels", {})
        if not isinstance(panels, Mapping):
            raise ValueError("the panels' settings are not a table")
        controls = _controls(state.get("controls", {}))
        run = RunBarState.from_controls(controls)
        controls = {key: value for key, value in controls.items() if key not in RUN_CONTROLS}
        return cls(shown_epoch=state.get("shown_epoch"), selected=state.get("selected", 0), run=run,
                   controls=controls,
                   latent=_map_from_json(state.get("latent", {}), controls),
                   section=state.get("section"), compare=compare is not None,
                   compare_beta=None if compare is None else compare.get("beta"),
                   compare_latent=None if compare is None else _map_from_json(compare.get("latent", {}), controls),
                   panels={key: PanelState.from_json(value) for key, value in panels.items()})
