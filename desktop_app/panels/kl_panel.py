"""The KL divergence worked out bar by bar (LECTURE.md §7), then the VAE's own latent loss.

Two 5-bin distributions p and q, drawn as the slides draw them (p blue, q red), with
every term pᵢ ln(pᵢ / qᵢ) and their sum; the slides' two examples; bars the learner
drags or types. Bars are kept non-negative and at most 1; a distribution that no
longer adds up to 1 is shown as it is, with a message and a "Normalise" button, so
the learner sees why it matters. The last source is the VAE's latent loss for the
selected image, ½(μ² + σ² − 1 − ln σ²) per latent unit, live while training.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.distribution_editor import DistributionEditor
from desktop_app.panels.latent_kl_view import LatentKLView
from desktop_app.panels.sourced_panel import OWN, SourcedPanel
from desktop_app.panels.widgets import (
    FormulaLabel,
    MessageLabel,
    NotesLabel,
    SumView,
    TermList,
    css,
    name_widget,
    slide_note,
    tint,
)
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme
from engine.core.config import MODEL_TITLES
from engine.core.typed_numbers import check_unit_interval, normalise, parse_unit_interval
from engine.lecture.examples import KL_EXAMPLES, DistributionExample
from engine.lecture.gaussian import latent_kl_parts
from engine.lecture.loss_breakdowns import kl_divergence

LATENT = "latent"


class KlPanel(SourcedPanel):
    own_words = "Your own p and q"

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None,
                 state: PanelState | None = None) -> None:
        super().__init__(controller, theme, "klPanel", "KL divergence", parent, state)
        first = KL_EXAMPLES[0]
        self._p, self._q = first.p_array, first.q_array  # on screen; non-negative, each ≤ 1
        self._own = (first.p_array, first.q_array)
        self._highlight = -1
        p_colour, q_colour = css(theme.distribution_p), css(theme.distribution_q)
        self._discrete_formula = (
            f"KL(<b style='color:{p_colour}'>p</b>, <b style='color:{q_colour}'>q</b>) = Σ<sub><i>i</i></sub> "
            f"<i>p</i><sub><i>i</i></sub> ln(<i>p</i><sub><i>i</i></sub> ⁄ <i>q</i><sub><i>i</i></sub>)")
        self._discrete_reading = ("How badly q stands in for p: 0 when q = p, larger the more q underrates "
                                  "what p says is likely.")

        self.formula = FormulaLabel(theme, self.body)
        self.content.addWidget(self.formula)
        items = [(f"slide:{e.key}", f"Slide: {e.title}") for e in KL_EXAMPLES]
        items += [(OWN, "Your own p and q"), (LATENT, "The VAE's latent loss (selected image)")]
        self.add_source_row(items)

        # --- two distributions ---
        self.discrete = QWidget(self.body)
        discrete = QHBoxLayout(self.discrete)
        discrete.setContentsMargins(0, 0, 0, 0)
        self.p_editor = DistributionEditor("p", theme.distribution_p, theme, parent=self.discrete)
        self.q_editor = DistributionEditor("q", theme.distribution_q, theme, parent=self.discrete)
        for name, editor in (("p", self.p_editor), ("q", self.q_editor)):
            discrete.addWidget(editor)
            editor.hovered.connect(self._set_highlight)
            editor.cellEdited.connect(lambda i, text, n=name: self._typed(n, i, text))
            editor.barDragged.connect(lambda i, v, done, n=name: self._dragged(n, i, v))
        self.content.addWidget(self.discrete)
        # --- the VAE's latent loss ---
        self.latent = LatentKLView(theme, self.body)
        self.content.addWidget(self.latent)

        self.bar_section = self.new_section("klBarCells").parentWidget()  # the typed bars, beside the drawn ones
        self.bar_cells = QWidget(self.body)
        table = QGridLayout(self.bar_cells)
        table.setContentsMargins(0, 0, 0, 0)
        table.setHorizontalSpacing(3)
        table.setVerticalSpacing(3)
        for i in range(5):
            header = QLabel(f"bar {i + 1}", self.bar_cells)
            header.setFont(theme.font(0.95))
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tint(header, theme.muted)
            table.addWidget(header, 0, i + 1)
        for r, (name, editor, colour) in enumerate((("p", self.p_editor, p_colour), ("q", self.q_editor, q_colour))):
            row_label = QLabel(f"<b style='color:{colour}'>{name}</b>", self.bar_cells)
            row_label.setFont(theme.font(1.3))
            table.addWidget(row_label, r + 1, 0)
            for i, cell in enumerate(editor.cells):
                table.addWidget(cell, r + 1, i + 1)
        self.content.addWidget(self.bar_cells)
        self.normalise_row = QWidget(self.body)
        buttons = QHBoxLayout(self.normalise_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.normalise_button = name_widget(QPushButton("Normalise p and q", self.normalise_row), "normaliseButton")
        self.normalise_button.setFont(theme.font(1.1))
        self.normalise_button.setToolTip("Rescale each distribution so that its bars add up to 1")
        self.normalise_button.clicked.connect(self.normalise)
        self.sums = name_widget(QLabel(self.normalise_row), "barSumsLabel")
        self.sums.setFont(theme.font(1.05))
        self.sums.setWordWrap(True)  # its text changes with every drag: it must not widen the panel's parts
        buttons.addWidget(self.normalise_button)
        buttons.addWidget(self.sums, 1)
        self.content.addWidget(self.normalise_row)

        self.new_section("klTerms")  # the terms and their sum, beside the bars where the panel is wide
        self.message = MessageLabel(theme, parent=self.body)
        self.content.addWidget(self.message)
        self.terms = TermList(theme, self.body)
        self.terms.hovered.connect(self._set_highlight)
        self.content.addWidget(self.terms)
        self.sum = SumView(theme, "KL =", self.body)
        self.content.addWidget(self.sum)
        self.notes = NotesLabel(theme, parent=self.body)
        self.content.addWidget(self.notes)

        self.bind_sources()

    def spare_parts(self) -> list[QWidget]:
        """The formula's reading, then the sums of the bars (the message says when they are
        not 1). Only parts the panel never hides itself: they are shown again afterwards."""
        return [self.formula.reading, self.sums]

    # ----- numbers and sources ---------------------------------------------------------------
    @property
    def distributions(self) -> tuple[np.ndarray, np.ndarray]:
        return self._p.copy(), self._q.copy()

    def checked_own(self, p: object, q: object) -> tuple[np.ndarray, np.ndarray]:
        """The learner's own p and q: five bars each, non-negative, each at most 1."""
        return self._checked_bars("p", p), self._checked_bars("q", q)

    def show_own(self, p: np.ndarray, q: np.ndarray) -> None:
        self._show_discrete(p, q)

    def normalise(self) -> None:
        """Rescale p and q to add up to 1 (the "Normalise" button)."""
        try:
            p, q = normalise(self._p, "p"), normalise(self._q, "q")
        except ValueError as exc:
            self.message.show_message(str(exc))
            return
        if np.allclose(p, self._p, rtol=0, atol=1e-12) and np.allclose(q, self._q, rtol=0, atol=1e-12):
            self._show_discrete(self._p, self._q, self._example())
            return
        self.take_own(p, q)

    # ----- sources --------------------------------------------------------------------------
    def uses_live_model(self) -> bool:
        return self.current_source == LATENT

    def show_source(self) -> None:
        self.message.clear_message()
        key = self.current_source
        latent = key == LATENT
        self.discrete.setVisible(not latent)
        self.bar_cells.setVisible(not latent)
        self.normalise_row.setVisible(not latent)
        self.bar_section.setVisible(not latent)
        self.latent.setVisible(latent)
        self._set_highlight(-1)
        if latent:
            self.draw_now()
            return
        self.formula.set_formula(self._discrete_formula, self._discrete_reading)
        tint(self.info, self.theme.muted)
        self.sum.setVisible(True)
        self.sum.set_symbol("KL(p, q) =")
        if key == OWN:
            self.info.setText("Your own p and q: drag the bars or type into the cells under them.")
            self._show_discrete(*self._own)
        else:
            example = self._example()
            self.info.setText(f"The slide's example: {example.title}. Drag a bar or type to make it your own.")
            self._show_discrete(example.p_array, example.q_array, example)

    def _example(self) -> DistributionExample | None:
        return next((e for e in KL_EXAMPLES if f"slide:{e.key}" == self.current_source), None)

    # ----- editing the bars ---------------------------------------------------------------------
    def _checked_bars(self, name: str, values: object) -> np.ndarray:
        array = np.asarray(values, dtype=np.float64).ravel()
        if array.shape != (5,):
            raise ValueError(f"{name} needs exactly 5 bars, not {array.size}.")
        for i, v in enumerate(array):
            check_unit_interval(float(v), f"Bar {i + 1} of {name}")
        return array

    def _typed(self, name: str, index: int, text: str) -> None:
        try:
            value = parse_unit_interval(text, f"Bar {index + 1} of {name}")
        except ValueError as exc:
            self.message.show_message(f"{exc} The last valid value is kept.")
            self._show_discrete(self._p, self._q, self._example())  # puts the valid text back
            return
        self._set_bar(name, index, value)

    def _dragged(self, name: str, index: int, value: float) -> None:
        self._set_bar(name, index, value)

    def _set_bar(self, name: str, index: int, value: float) -> None:
        p, q = self._p.copy(), self._q.copy()
        (p if name == "p" else q)[index] = value
        self.take_own(p, q)

    # ----- drawing ------------------------------------------------------------------------------
    def _show_discrete(self, p: np.ndarray, q: np.ndarray, example: DistributionExample | None = None) -> None:
        self._p, self._q = np.array(p, dtype=np.float64), np.array(q, dtype=np.float64)
        self.p_editor.set_values(self._p, [fmt.value(v) for v in self._p])
        self.q_editor.set_values(self._q, [fmt.value(v) for v in self._q])
        sums = f"p adds up to {fmt.value(float(self._p.sum()))}, q to {fmt.value(float(self._q.sum()))}"
        self.sums.setText(sums)
        try:
            breakdown = kl_divergence(self._p, self._q)
        except ValueError as exc:
            self.message.show_message(f"{exc} Press “Normalise p and q” to rescale the bars.")
            self.terms.set_terms([])
            self.sum.set_sum([], "not defined until p and q each add up to 1")
            self.sum.set_slide_note("", False)
            self.notes.set_notes([])
            return
        texts = [fmt.result(t) for t in breakdown.terms]
        self.terms.set_terms([
            (f"bar {i + 1}", f"{fmt.value(pv)} ln({fmt.value(pv)} ⁄ {fmt.value(qv)})", texts[i])
            for i, (pv, qv) in enumerate(zip(self._p, self._q, strict=True))
        ])
        total = fmt.result(breakdown.total)
        self.sum.set_sum([fmt.signed(t) for t in breakdown.terms], total)
        if example is not None and example.printed_total is not None:
            matches = example.printed_total.matches(breakdown.total)
            self.sum.set_slide_note(slide_note(example.printed_total.text, matches, total), not matches)
        else:
            self.sum.set_slide_note("", False)
        self.notes.set_notes(breakdown.notes)

    def render_live(self) -> None:
        if self.current_source != LATENT:
            return
        snapshot = self.controller.snapshot
        config = snapshot.config
        self.formula.set_formula(
            "KL(N(μ, σ<sup>2</sup>) ‖ N(0, 1)) = Σ<sub><i>j</i></sub> "
            "½(μ<sub><i>j</i></sub><sup>2</sup> + σ<sub><i>j</i></sub><sup>2</sup> − 1 "
            "− ln σ<sub><i>j</i></sub><sup>2</sup>)",
            "How far each latent unit's distribution for this image is from the standard normal N(0, 1): "
            "0 only when μ = 0 and σ = 1.")
        self.sum.set_symbol("KL =")
        if not snapshot.is_variational:
            title = MODEL_TITLES[config.model]
            self.info.setText(
                f"The model is a{'n' if title[0] in 'AEIOU' else ''} {title.lower()}: its encoder gives each image "
                "one point, not a distribution, so it has no latent loss. Choose “Variational autoencoder” in "
                "the model selector at the top of the workbench to train a VAE and watch its latent loss here.")
            tint(self.info, self.theme.foreground)
            self.latent.setVisible(False)
            self.terms.set_terms([])
            self.sum.setVisible(False)
            self.notes.set_notes([])
            return
        tint(self.info, self.theme.muted)
        self.sum.setVisible(True)
        self.message.clear_message()
        self.latent.setVisible(True)
        i = self.controller.selected_index
        try:
            parts = latent_kl_parts(snapshot.codes[i], snapshot.log_vars[i])
        except ValueError as exc:  # e.g. codes that are not numbers after training diverged
            self.info.setText(f"Image {i + 1} after epoch {snapshot.epoch}: the latent loss cannot be "
                              f"worked through: {exc}")
            return
        self.info.setText(
            f"Image {i + 1} of {len(snapshot.images)} after epoch {snapshot.epoch}. Training adds "
            f"β × this (β = {fmt.value(config.beta)}) to the reconstruction loss, averaged over the images.")
        self.latent.show_units(parts)
        texts = [fmt.result(t) for t in parts.breakdown.terms]
        self.terms.set_terms([
            (f"unit {j + 1}", f"½({fmt.signed(m, 3)}<sup>2</sup> + {fmt.result(v, 3)} − 1 − ln {fmt.result(v, 3)})",
             texts[j])
            for j, (m, v) in enumerate(zip(parts.mu, parts.variance, strict=True))
        ])
        self.sum.set_sum(texts, fmt.result(parts.breakdown.total))
        self.sum.set_slide_note("", False)
        self.notes.set_notes(parts.breakdown.notes)

    def _set_highlight(self, index: int) -> None:
        self._highlight = index
        self.p_editor.set_highlight(index)
        self.q_editor.set_highlight(index)
        self.latent.set_highlight(index)
        self.terms.set_highlight(index)

    @property
    def highlighted(self) -> int:
        return self._highlight
