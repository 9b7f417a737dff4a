"""What the MSE, log-loss and KL panels share: a "Numbers from:" picker (the slides'
examples, the live model, the learner's own numbers) and the learner's own numbers,
both kept in the panel's ``PanelState``.

The picker and the typed or dragged numbers write to the state; the state's change
signals move the picker and show the numbers, so a lesson step or a saved session that
sets the state sees the panel follow, and a panel read back is its state. Own numbers
set from outside are checked by the panel (the loss decides what it can work through):
a refused pair is said next to the numbers, as if typed, and the state takes back the
pair on screen.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.controller import TrainingController
from desktop_app.panels.columns import LabelBeside
from desktop_app.panels.widgets import MessageLabel, TeachingPanel, name_widget, source_combo, tint
from desktop_app.required_hooks import hook
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme

OWN = "own"


def own_form(a: np.ndarray, b: np.ndarray) -> tuple:
    """Two arrays of numbers as the state keeps them (nested lists: JSON's form)."""
    return tuple(np.asarray(part, dtype=float).tolist() for part in (a, b))


class SourcedPanel(TeachingPanel):
    """A teaching panel with a source picker and own numbers. Subclasses build the picker
    with ``add_source_row``, keep the numbers in ``_own`` (a pair of arrays), implement
    ``checked_own``, ``show_source`` and ``show_own``, and call ``bind_sources`` last."""

    message: MessageLabel
    own_words = "Your own numbers"  # how the info line names the own numbers

    def __init__(self, controller: TrainingController, theme: Theme, name: str, title: str,
                 parent: QWidget | None = None, state: PanelState | None = None) -> None:
        super().__init__(controller, theme, name, title, parent, state)
        self._own: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
        self._switching = False  # moving the picker to "own" without showing that source afresh

    # ----- for subclasses -----------------------------------------------------------------
    @hook
    def checked_own(self, a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
        """The learner's own pair as arrays, or ValueError saying why it cannot be shown."""

    @hook
    def show_source(self) -> None:
        """Show what the picker's source holds (its numbers, its info line)."""

    @hook
    def show_own(self, a: np.ndarray, b: np.ndarray) -> None:
        """Show the learner's own numbers (already checked and kept in ``_own``)."""

    def add_source_row(self, items: Sequence[tuple[str, str]]) -> None:
        """The picker and the info line under it."""
        label = QLabel("Numbers from:", self.body)
        label.setFont(self.theme.font(1.1))
        self.source = source_combo(self.theme, items, self.body)
        label.setBuddy(self.source)
        self.content.addWidget(LabelBeside(label, self.source, self.body))
        self.info = name_widget(QLabel(self.body), "sourceInfoLabel")
        self.info.setWordWrap(True)
        self.info.setFont(self.theme.font(1.0))
        tint(self.info, self.theme.muted)
        self.content.addWidget(self.info)

    def bind_sources(self) -> None:
        """Follow the state from now on; a state given to the constructor is shown."""
        wanted_source, wanted_own = self.state.source, self.state.own
        self.state.update(source=self.current_source, own=own_form(*self._own))
        self.source.currentIndexChanged.connect(lambda _i: setattr(self.state, "source", self.current_source))
        self.state.events.source.connect(self._source_from_state)
        self.state.events.own.connect(self._own_from_state)
        self.show_source()
        if wanted_own is not None:
            self.state.own = wanted_own
        if wanted_source is not None:
            self.state.source = wanted_source

    # ----- from code (lesson path, scripts) ------------------------------------------------
    def set_source(self, key: str) -> None:
        if key not in self.source_keys():
            raise ValueError(f"Unknown source {key!r}: choose one of {self.source_keys()}.")
        self.state.source = key

    def source_keys(self) -> list[str]:
        return [self.source.itemData(i) for i in range(self.source.count())]

    @property
    def current_source(self) -> str:
        return self.source.currentData()

    def set_own(self, a: object, b: object) -> str | None:
        """Show the learner's own pair; returns the message if it is refused."""
        try:
            checked = self.checked_own(a, b)
        except (TypeError, ValueError) as exc:
            self.message.show_message(str(exc))
            return str(exc)
        self.take_own(*checked)
        return None

    def take_own(self, a: np.ndarray, b: np.ndarray) -> None:
        """Checked own numbers (typed, dragged, normalised or set): kept, the picker moved
        to "own" and the numbers shown."""
        self.message.clear_message()
        self._own = (a, b)
        self.state.own = own_form(a, b)
        if self.current_source != OWN:
            before = self.source.currentText()
            self._switching = True
            try:
                self.state.source = OWN
            finally:
                self._switching = False
            self.info.setText(f"{self.own_words}, starting from “{before}”. Pick a source above to go back.")
        self.show_own(a, b)

    # ----- the state's signals ----------------------------------------------------------------
    def _source_from_state(self, key: str | None) -> None:
        if key not in self.source_keys():  # a source this panel does not have: stay as it is
            self.state.source = self.current_source
            return
        if key != self.current_source:
            self.source.blockSignals(True)
            self.source.setCurrentIndex(self.source.findData(key))
            self.source.blockSignals(False)
        if not self._switching:
            self.message.clear_message()
            self.show_source()

    def _own_from_state(self, own: tuple | None) -> None:
        if own is None or self._shows(own):
            return
        if self.set_own(*own) is not None:  # refused: the state keeps the pair on screen
            self.state.own = own_form(*self._own)

    def _shows(self, own: tuple) -> bool:
        try:
            return all(np.array_equal(np.asarray(part, dtype=float), mine)
                       for part, mine in zip(own, self._own, strict=True))
        except (TypeError, ValueError):
            return False
