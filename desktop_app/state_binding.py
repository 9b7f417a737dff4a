"""Two-way links between input widgets and fields of an evented state.

The widget shows the field from the start and follows its change signal; a user's edit
goes back through the field (where the state checks it). Setting a widget from the
state does not block its signals: whatever else listens to the widget reacts as to a
user's edit, and the value written back equals the field's, so no signal comes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit

from desktop_app.state.evented import Evented


def bind_check(box: QAbstractButton, state: Evented, name: str,
               on_user: Callable[[bool], None] | None = None) -> None:
    """A check box for a bool field; ``on_user`` (default: set the field) takes the user's value."""
    box.setChecked(bool(getattr(state, name)))
    box.toggled.connect(on_user or (lambda on: setattr(state, name, bool(on))))
    getattr(state.events, name).connect(lambda on: box.setChecked(bool(on)))


def bind_number(spin: QAbstractSpinBox, state: Evented, name: str,
                on_user: Callable[[object], None] | None = None, whole: bool = True) -> None:
    """A spin box for a number field (whole numbers unless ``whole`` is False)."""
    convert = int if whole else float
    spin.setValue(getattr(state, name))
    spin.valueChanged.connect(on_user or (lambda value: setattr(state, name, convert(value))))
    getattr(state.events, name).connect(spin.setValue)


def bind_choice(combo: QComboBox, state: Evented, name: str, keys: tuple,
                on_user: Callable[[object], None] | None = None) -> None:
    """A combo box whose rows stand for ``keys``; the field holds the key."""
    combo.setCurrentIndex(keys.index(getattr(state, name)))
    combo.currentIndexChanged.connect(on_user or (lambda i: setattr(state, name, keys[i])))
    getattr(state.events, name).connect(lambda key: combo.setCurrentIndex(keys.index(key)))


def bind_text(edit: QLineEdit, state: Evented, name: str) -> None:
    """A line edit for a text field, written back when the learner finishes typing."""
    edit.setText(getattr(state, name))
    edit.editingFinished.connect(lambda: setattr(state, name, edit.text()))
    getattr(state.events, name).connect(edit.setText)
