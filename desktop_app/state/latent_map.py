"""The latent map's state: its layers, the range they cover, the probe, the path and
the prior samples (``LatentCanvas`` renders one; the map controls, the path panel, the
prior panel, a lesson step and a saved session set it).

A probe or a path end is ``("image", index)`` (it follows that image's code as the
model trains) or ``("point", (z1, z2))`` (it stays put); points are tuples of floats so
that equal places compare equal and a repeated click sends no signal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop_app.state.checks import (
    checked_bool,
    checked_number,
    checked_point,
    checked_points,
    checked_whole,
    one_of,
)
from desktop_app.state.evented import Evented, checked_field
from engine.latent import space as latent
from engine.latent.space import Box

BACKGROUNDS = ("none", "pattern", "distance", "pixel0", "pixel1", "pixel2", "pixel3")
End = tuple[str, Any]  # ("image", int) or ("point", tuple[float, ...])
LAYERS = ("overlay_on", "grid_size", "map_box", "background", "trails_on", "spreads_on", "data_grid_on")


def checked_end(end: object) -> End | None:
    """A probe or path end in its one form (a list from JSON or an array from a click become tuples)."""
    if end is None:
        return None
    if not isinstance(end, (list, tuple)) or len(end) != 2 or end[0] not in ("image", "point"):
        raise ValueError("a path end is neither an image nor a point")
    if end[0] == "image":
        return ("image", checked_whole(end[1], 0, None))
    return ("point", checked_point(end[1]))


def _ends(value: object) -> tuple[End | None, End | None]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError("a path has two ends")
    return (checked_end(value[0]), checked_end(value[1]))


def _box(value: object) -> Box | None:
    if value is None or isinstance(value, Box):
        return value
    raise ValueError(f"expected a range (Box) or None, found {value!r}")


def _samples(value: object) -> np.ndarray | None:
    return None if value is None else checked_points(value)


def _steps(value: object) -> int:
    return checked_whole(value, 2, latent.MAX_STRIP)


def checked_map(value: object) -> LatentMapState | None:
    """A nested map state (or None where a screen may have no such map)."""
    if value is not None and not isinstance(value, LatentMapState):
        raise ValueError("a latent map's state is not a LatentMapState")
    return value


@dataclass(eq=False)
class LatentMapState(Evented):
    """What one latent map shows besides the model's codes; ``map_box`` None: the box that fits."""

    overlay_on: bool = checked_field(False, check=checked_bool)
    grid_size: int = checked_field(9, check=latent.check_grid_size)
    map_box: Box | None = checked_field(None, check=_box)
    background: str = checked_field("none", check=one_of(BACKGROUNDS, "background"))
    trails_on: bool = checked_field(False, check=checked_bool)
    spreads_on: bool = checked_field(True, check=checked_bool)
    data_grid_on: bool = checked_field(False, check=checked_bool)
    samples: np.ndarray | None = checked_field(None, check=_samples)
    path_kind: str = checked_field("linear", check=one_of(latent.INTERPOLATIONS, "path kind"))
    path_steps: int = checked_field(9, check=_steps)
    probe: End | None = checked_field(None, check=checked_end)
    path_ends: tuple[End | None, End | None] = checked_field((None, None), check=_ends)

    def layers(self) -> dict[str, Any]:
        """The layer settings alone (a second map shown beside this one takes them)."""
        return {name: getattr(self, name) for name in LAYERS}

    def forget_places(self) -> None:
        """A new model or dataset: the probe, the path and the samples meant the old one."""
        self.update(probe=None, path_ends=(None, None), samples=None)

    # ----- the session file's form (unchanged since the first saved sessions) ----------------------
    def to_json(self) -> dict[str, Any]:
        """The probe, the path's ends, the samples and the range (the layers' switches are
        saved with the controls that show them)."""
        def end_json(end: End | None) -> object:
            return None if end is None else [end[0], end[1] if end[0] == "image" else list(end[1])]
        probe = self.probe
        box = self.map_box
        return {"probe": None if probe is None else ({"image": probe[1]} if probe[0] == "image"
                                                      else {"point": list(probe[1])}),
                "path_ends": [end_json(e) for e in self.path_ends],
                "samples": None if self.samples is None else np.asarray(self.samples, dtype=float).tolist(),
                "map_box": None if box is None else [box.x0, box.x1, box.y0, box.y1]}

    @staticmethod
    def places_from_json(state: object) -> dict[str, Any]:
        """The fields a saved map sets, checked; a missing key sets nothing."""
        if not isinstance(state, Mapping):
            raise ValueError("the latent map's settings are not a table")
        values: dict[str, Any] = {}
        if "samples" in state:
            values["samples"] = _samples(state["samples"])
        if state.get("map_box") is not None:
            values["map_box"] = Box(*(checked_number(v) for v in state["map_box"]))
        if "path_ends" in state:
            ends = list(state["path_ends"])[:2] if isinstance(state["path_ends"], (list, tuple)) else None
            if ends is None:
                raise ValueError("a path has two ends")
            values["path_ends"] = _ends(ends + [None] * (2 - len(ends)))
        probe = state.get("probe")
        if probe is not None:
            if not isinstance(probe, Mapping):
                raise ValueError("the probe is not a point")
            values["probe"] = checked_end(("image", probe["image"]) if "image" in probe else ("point", probe["point"]))
        return values
