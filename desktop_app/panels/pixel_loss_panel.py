"""What the MSE and log-loss panels share: an original x and a reconstruction y as 2x2
grids, each pixel's term on a third grid, the sum written out, and four sources of
numbers (the slides' two examples, the live model, the learner's own).

Every value comes from ``engine.lecture.loss_breakdowns``; typed values are checked by
``engine.core.typed_numbers`` and the loss itself, and a refused value leaves the last valid
numbers on screen with a message saying why.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.sourced_panel import OWN, SourcedPanel
from desktop_app.panels.widgets import (
    TERM_FONT,
    FormulaLabel,
    MessageLabel,
    NotesLabel,
    PixelGrid,
    SumView,
    TermList,
    slide_note,
    tint,
)
from desktop_app.required_hooks import hook
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme
from desktop_app.widgets.wrapping_rows import wrap_layout
from engine.core.config import MODEL_TITLES, World
from engine.core.typed_numbers import parse_unit_interval
from engine.lecture.datasets import PIXEL_NAMES
from engine.lecture.examples import PixelExample
from engine.lecture.loss_breakdowns import LossBreakdown

LOSS_NAMES = {"mse": "mean squared error", "logloss": "log-loss"}
LIVE = "live"


class PixelLossPanel(SourcedPanel):
    """Subclasses say which loss, which slide examples, and how one term is written."""

    loss_key: str
    examples: tuple[PixelExample, ...]
    loss: Callable[[np.ndarray, np.ndarray], LossBreakdown]
    formula_html: str
    reading: str
    symbol_html: str

    def __init__(self, controller: TrainingController, theme: Theme, name: str, title: str,
                 parent: QWidget | None = None, state: PanelState | None = None) -> None:
        super().__init__(controller, theme, name, title, parent, state)
        first = self.examples[0]
        self._x, self._y = first.x_array, first.y_array  # the numbers on screen, always valid
        self._own = (first.x_array, first.y_array)
        self._highlight = -1

        self.formula = FormulaLabel(theme, self.body)
        self.formula.set_formula(self.formula_html, self.reading)
        self.content.addWidget(self.formula)

        items = [(f"slide:{e.key}", f"Slide: {e.title}") for e in self.examples]
        items += [(LIVE, "Live: your model on the selected image"), (OWN, "Your own numbers")]
        self.add_source_row(items)

        grids = QHBoxLayout()
        self.x_grid = PixelGrid("x", "<b>x</b> original", theme, True, self.body)
        self.y_grid = PixelGrid("y", "<b>y</b> reconstruction", theme, True, self.body)
        self.term_grid = PixelGrid("terms", "each term", theme, False, self.body, number_font=TERM_FONT)
        for grid in (self.x_grid, self.y_grid, self.term_grid):
            grids.addWidget(grid)
            grids.addSpacing(0)  # each grid a group of its own: a narrow panel puts the terms below
            grid.cellHovered.connect(self._set_highlight)
        self.x_grid.cellEdited.connect(lambda i, text: self._edited("x", i, text))
        self.y_grid.cellEdited.connect(lambda i, text: self._edited("y", i, text))
        self.content.addWidget(wrap_layout(grids, theme, self.body))
        self.message = MessageLabel(theme, parent=self.body)
        self.content.addWidget(self.message)
        hint = QLabel("Type into any cell of x or y to make the numbers your own.", self.body)
        hint.setWordWrap(True)
        hint.setFont(theme.font(0.95))
        tint(hint, theme.muted)
        self.content.addWidget(hint)

        self.terms = TermList(theme, self.body)
        self.terms.hovered.connect(self._set_highlight)
        self.content.addWidget(self.terms)
        self.sum = SumView(theme, self.symbol_html, self.body)
        self.content.addWidget(self.sum)
        self.notes = NotesLabel(theme, parent=self.body)
        self.content.addWidget(self.notes)
        self.add_extras()
        self.content.addStretch(1)

        self.bind_sources()

    # ----- for subclasses -----------------------------------------------------------------
    @hook
    def term_expression(self, x: float, y: float) -> str:
        """One pixel's term written with its numbers, as rich text."""

    def add_extras(self) -> None:
        """Add widgets below the sum (the log-loss curve)."""

    def after_display(self, x: np.ndarray, y: np.ndarray, breakdown: LossBreakdown) -> None:
        """Called whenever new numbers are on screen."""

    def focus_changed(self, index: int) -> None:
        """Called when the hovered pixel changes (−1: none)."""

    # ----- numbers and sources ---------------------------------------------------------------
    @property
    def numbers(self) -> tuple[np.ndarray, np.ndarray]:
        """The x and y on screen (copies)."""
        return self._x.copy(), self._y.copy()

    def checked_own(self, x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
        """2x2 grids the loss can work through (it raises ValueError saying why not)."""
        x_arr, y_arr = np.asarray(x, dtype=np.float64).reshape(2, 2), np.asarray(y, dtype=np.float64).reshape(2, 2)
        self.loss(x_arr, y_arr)
        return x_arr, y_arr

    def show_own(self, x: np.ndarray, y: np.ndarray) -> None:
        self._display(x, y)

    def uses_live_model(self) -> bool:
        return self.current_source == LIVE

    def show_source(self) -> None:
        self.message.clear_message()
        key = self.current_source
        if key == LIVE:
            self.draw_now()
        elif key == OWN:
            self.info.setText("Your own numbers: type any value between 0 and 1 into x or y.")
            self._display(*self._own)
        else:
            example = next(e for e in self.examples if f"slide:{e.key}" == key)
            self.info.setText(f"The slide's example: {example.title}.")
            self._display(example.x_array, example.y_array, example)

    def render_live(self) -> None:
        if self.current_source != LIVE:
            return
        snapshot = self.controller.snapshot
        i = self.controller.selected_index
        if snapshot.world is not World.LECTURE:
            self.info.setText("The live example follows the 2x2 network; this model works on digits.")
            return
        x = np.asarray(snapshot.images[i], dtype=np.float64).reshape(2, 2)
        y = np.asarray(snapshot.reconstructions[i], dtype=np.float64).reshape(2, 2)
        text = self._live_text(snapshot.config, i, len(snapshot.images), snapshot.epoch)
        try:
            self.loss(x, y)
        except ValueError as exc:  # e.g. an output that is not a number after training diverged
            self.info.setText(f"{text} This output cannot be worked through: {exc}")
            return
        self.info.setText(text)
        self._display(x, y)

    def _live_text(self, config: object, index: int, count: int, epoch: int) -> str:
        this = LOSS_NAMES[self.loss_key]
        parts = [f"Image {index + 1} of {count} after epoch {epoch}: x is the training image, "
                 f"y what the {MODEL_TITLES[config.model].lower()} makes of it."]
        if config.loss == self.loss_key:
            parts.append(f"The model is trained with this loss ({this}, chosen in the controls).")
        else:
            parts.append(f"The model is trained with {LOSS_NAMES[config.loss]} (chosen in the controls); "
                         f"this panel shows what {this} makes of the same output.")
        if config.model == "dae":
            parts.append("The denoiser was fed a noisy copy of x; the target is still the clean x.")
        elif config.model == "vae":
            parts.append("The VAE's output here is decoded from its mean μ, without sampling.")
        return " ".join(parts)

    # ----- editing ----------------------------------------------------------------------------
    def _edited(self, which: str, index: int, text: str) -> None:
        try:
            value = parse_unit_interval(text, f"Pixel {index + 1} of {which}")
            x, y = self._x.copy(), self._y.copy()
            (x if which == "x" else y).flat[index] = value
            self.loss(x, y)
        except ValueError as exc:
            self.message.show_message(f"{exc} The last valid value is kept.")
            self._display(self._x, self._y, self._example())  # put the valid text back
            return
        self.take_own(x, y)

    def _example(self) -> PixelExample | None:
        key = self.current_source
        return next((e for e in self.examples if f"slide:{e.key}" == key), None)

    # ----- drawing ----------------------------------------------------------------------------
    def _display(self, x: np.ndarray, y: np.ndarray, example: PixelExample | None = None) -> None:
        breakdown = self.loss(x, y)
        self._x, self._y = np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)
        terms = breakdown.terms.ravel()
        self.x_grid.set_pixels(x, [fmt.value(v) for v in x.ravel()])
        self.y_grid.set_pixels(y, [fmt.value(v) for v in y.ravel()])
        largest = float(terms.max()) if np.isfinite(terms).all() else 1.0
        fractions = terms / largest if largest > 0 else np.zeros_like(terms)
        term_texts = [fmt.result(t) for t in terms]
        self.term_grid.set_heat(fractions, term_texts)
        self.terms.set_terms([
            (PIXEL_NAMES[i], self.term_expression(float(xv), float(yv)), term_texts[i])
            for i, (xv, yv) in enumerate(zip(x.ravel(), y.ravel(), strict=True))
        ])
        total = fmt.result(breakdown.total)
        self.sum.set_sum(term_texts, total)
        if example is not None and example.printed_total is not None:
            printed = example.printed_total
            matches = printed.matches(breakdown.total)
            self.sum.set_slide_note(slide_note(printed.text, matches, total), not matches)
        else:
            self.sum.set_slide_note("", False)
        self.notes.set_notes(breakdown.notes)
        self.after_display(self._x, self._y, breakdown)

    def _set_highlight(self, index: int) -> None:
        if index == self._highlight:
            return
        self._highlight = index
        for grid in (self.x_grid, self.y_grid, self.term_grid):
            grid.set_highlight(index)
        self.terms.set_highlight(index)
        self.focus_changed(index)

    @property
    def highlighted(self) -> int:
        """The pixel lit up by hovering (−1: none)."""
        return self._highlight

