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

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QWidget

from desktop_app.state.checks import checked_number, checked_whole
from desktop_app.state.latent_map import LatentMapState

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
    """The probe, the path's two ends, the prior samples and the range of a ``LatentCanvas``."""
    return canvas.state.to_json()


def apply_canvas_state(canvas, state: Mapping[str, Any]) -> None:
    """Put the probe and path back; samples and range too (their controls follow the state)."""
    set_places(canvas, LatentMapState(**LatentMapState.places_from_json(state)))


def set_places(canvas, places: LatentMapState) -> None:
    """Give a canvas the probe, the path's ends, the samples and the range of ``places``
    (its layers are the map controls' business). An image index beyond the images shown
    now (a file from a larger data set) is dropped."""
    count = 0 if canvas.snapshot is None else len(canvas.snapshot.codes)
    ends = tuple(None if end is None or (end[0] == "image" and end[1] >= count) else end for end in places.path_ends)
    values: dict[str, Any] = {"samples": places.samples, "path_ends": ends}
    if places.map_box is not None:  # None: "fit", which the map controls' own switch sets
        values["map_box"] = places.map_box
    canvas.state.update(**values)
    probe = places.probe
    if probe is not None and canvas.snapshot is not None and canvas.snapshot.latent_dim == 2:
        if probe[0] == "point":
            canvas.set_probe(probe[1])
        elif probe[1] < count:
            canvas.set_probe(None, image=probe[1])


def check_canvas_state(state: object) -> None:
    LatentMapState.places_from_json(state)
