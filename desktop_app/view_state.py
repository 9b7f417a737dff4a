"""What a learner set up on screen, as plain data (JSON types only), and back.

A saved session holds the models (engine files); this module holds the rest: which
epoch is on screen, which image is selected, where the latent probe sits, the path
and prior samples, the layers switched on, the numbers typed into the panels. Each
``*_state`` function reads widgets; each ``apply_*`` sets them the way a user would
(through the widgets' own signals), so the views recompute every figure from the
engine exactly as they did before the save.

Restoring is forgiving about form (a missing key keeps what is on screen) and strict
about values: anything out of range raises ``ValueError``, which the caller turns
into "this file is damaged" before any view is touched.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QWidget

from engine.latent.space import Box

Json = dict[str, Any]


# ----- single widgets --------------------------------------------------------------------
def widget_value(widget: QWidget) -> object:
    """The value a user set in an input widget, as JSON."""
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, (QAbstractSpinBox, QAbstractSlider)):
        return widget.value()
    raise TypeError(f"{type(widget).__name__} holds no value to save")


def set_widget_value(widget: QWidget, value: object) -> None:
    """Set an input widget as a user would: its signals fire and the app reacts."""
    if isinstance(widget, QComboBox):
        index = checked_whole(value, 0, widget.count() - 1)
        widget.setCurrentIndex(index)
    elif isinstance(widget, QAbstractButton):
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, found {value!r}")
        widget.setChecked(value)
    elif isinstance(widget, QLineEdit):
        if not isinstance(value, str):
            raise ValueError(f"expected text, found {value!r}")
        widget.setText(value)
        widget.editingFinished.emit()
    elif isinstance(widget, (QAbstractSpinBox, QAbstractSlider)):
        number = checked_number(value)
        if not widget.minimum() <= number <= widget.maximum():
            raise ValueError(f"{number} is outside {widget.minimum()}..{widget.maximum()}")
        widget.setValue(number if isinstance(widget.value(), float) else int(number))
    else:
        raise TypeError(f"{type(widget).__name__} holds no value to restore")


def widgets_state(widgets: Mapping[str, QWidget]) -> Json:
    return {name: widget_value(w) for name, w in widgets.items()}


def apply_widgets_state(widgets: Mapping[str, QWidget], state: Mapping[str, object]) -> None:
    for name, widget in widgets.items():
        if name in state:
            set_widget_value(widget, state[name])


def check_widgets_state(widgets: Mapping[str, QWidget], state: object) -> None:
    """Raise ValueError if ``state`` could not be applied (checked before anything changes)."""
    if not isinstance(state, Mapping):
        raise ValueError("the controls' settings are not a table")
    for name, widget in widgets.items():
        if name not in state:
            continue
        value = state[name]
        if isinstance(widget, QComboBox):
            checked_whole(value, 0, widget.count() - 1)
        elif isinstance(widget, QAbstractButton) and not isinstance(value, bool):
            raise ValueError(f"{name}: expected true or false")
        elif isinstance(widget, QLineEdit) and not isinstance(value, str):
            raise ValueError(f"{name}: expected text")
        elif isinstance(widget, (QAbstractSpinBox, QAbstractSlider)):
            number = checked_number(value)
            if not widget.minimum() <= number <= widget.maximum():
                raise ValueError(f"{name}: {number} is out of range")


# ----- the latent canvas -------------------------------------------------------------------
def canvas_state(canvas) -> Json:
    """The probe, the path's two ends and the prior samples of a ``LatentCanvas``."""
    probe = None
    if canvas.probe is not None:
        probe = ({"image": canvas.probe_image} if canvas.probe_image is not None
                 else {"point": [float(v) for v in canvas.probe]})
    ends = [None if end is None else [end[0], end[1] if end[0] == "image" else [float(v) for v in end[1]]]
            for end in canvas.path_ends]
    samples = None if canvas.samples is None else np.asarray(canvas.samples, dtype=float).tolist()
    box = canvas.map_box
    return {"probe": probe, "path_ends": ends, "samples": samples,
            "map_box": None if box is None else [box.x0, box.x1, box.y0, box.y1]}


def apply_canvas_state(canvas, state: Mapping[str, Any]) -> None:
    """Put the probe and path back; samples and range too (their controls, if any, are
    restored separately and agree)."""
    if "samples" in state:
        samples = state["samples"]
        canvas.configure(samples=None if samples is None else checked_points(samples))
    if "map_box" in state and state["map_box"] is not None:
        canvas.configure(map_box=Box(*(checked_number(v) for v in state["map_box"])))
    count = 0 if canvas.snapshot is None else len(canvas.snapshot.codes)
    for which, end in enumerate(state.get("path_ends", [None, None])[:2]):
        end = _path_end(end, None)
        canvas.set_path_end(which, end if end is None or end[0] == "point" or end[1] < count else None)
    probe = state.get("probe")
    if probe is not None and canvas.snapshot is not None and canvas.snapshot.latent_dim == 2:
        if "image" not in probe:
            canvas.set_probe(checked_points([probe["point"]])[0])
        elif probe["image"] < count:  # an image index from a file with more images is dropped
            canvas.set_probe(None, image=probe["image"])


def check_canvas_state(state: object) -> None:
    if not isinstance(state, Mapping):
        raise ValueError("the latent map's settings are not a table")
    if state.get("samples") is not None:
        checked_points(state["samples"])
    if state.get("map_box") is not None:
        Box(*(checked_number(v) for v in state["map_box"]))
    for end in state.get("path_ends", [None, None])[:2]:
        _path_end(end, None)
    probe = state.get("probe")
    if probe is not None:
        if not isinstance(probe, Mapping):
            raise ValueError("the probe is not a point")
        if "image" in probe:
            checked_whole(probe["image"], 0, None)
        else:
            checked_points([probe["point"]])


# ----- checked conversions -----------------------------------------------------------------
def checked_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"expected a finite number, found {value!r}")
    return value


def checked_whole(value: object, low: int, high: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
        raise ValueError(f"expected a whole number from {low}{'' if high is None else f' to {high}'}, found {value!r}")
    return value


def checked_points(values: object) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError("a list of points holds something that is not a number") from exc
    if array.ndim != 2 or array.shape[0] > 10_000 or not 1 <= array.shape[1] <= 64 or not np.isfinite(array).all():
        raise ValueError("a list of points has the wrong shape or a value that is not finite")
    return array


def _path_end(end: object, count: int | None) -> tuple[str, object] | None:
    if end is None:
        return None
    if not isinstance(end, (list, tuple)) or len(end) != 2 or end[0] not in ("image", "point"):
        raise ValueError("a path end is neither an image nor a point")
    if end[0] == "image":
        return ("image", checked_whole(end[1], 0, None if count is None else count - 1))
    return ("point", checked_points([end[1]])[0])
