"""The sigmoid and the perceptron step (LECTURE.md §3): a curve with a draggable x, the
slide's table σ(−5) … σ(5) computed here, and one latent unit of the learner's model
worked through for the selected image: weighted sum plus bias, then σ."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QWidget,
)

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.whole_table import WholeTable
from desktop_app.panels.widgets import (
    FormulaLabel,
    MessageLabel,
    PixelGrid,
    SumView,
    TeachingPanel,
    TermList,
    name_widget,
    style_axes,
    tint,
)
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme
from desktop_app.widgets.wrapping_rows import wrap_layout
from engine.core.typed_numbers import parse_number
from engine.lecture.examples import SIGMOID_TABLE
from engine.lecture.sigmoid import PerceptronStep, latent_unit_step, latent_units, sigmoid, sigmoid_table

CURVE_X = np.linspace(-30.0, 30.0, 1201)  # wide enough for any weighted sum worth drawing
VIEW_X = 7.0
INPUT_FONT, TERM_SIZE = 0.7, 0.95  # the perceptron's input grid and terms, small enough to stand side by side
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class SigmoidPanel(TeachingPanel):
    """σ on its curve for any x, and one latent unit's perceptron step; ``state.x`` and
    ``state.unit`` are the x read off and the unit worked through."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None,
                 state: PanelState | None = None) -> None:
        super().__init__(controller, theme, "sigmoidPanel", "Sigmoid", parent, state)
        self._x = 1.0
        self._step: PerceptronStep | None = None
        formula = FormulaLabel(theme, self.body)
        formula.set_formula("σ(<i>s</i>) = 1 ⁄ (1 + <i>e</i><sup>−<i>s</i></sup>)",
                            "Squashes any number into the interval (0, 1): very negative → near 0, "
                            "0 → 0.5, very positive → near 1.")
        self.content.addWidget(formula)
        self._build_curve()
        self.new_section("sigmoidSlideTable")  # the slide's table, beside the curve where the panel is wide
        self._build_table()
        self.new_section("perceptronStep")  # and the perceptron step beside both
        self._build_perceptron()
        self._bind_state()

    def _bind_state(self) -> None:
        """The x and the unit follow the state from now on (a state given is shown)."""
        wanted_unit = self.state.unit
        # no unit is listed before the panel first draws the model: unit 0 until then
        self.state.update(x=self._x if self.state.x is None else self.state.x, unit=0)
        self.state.events.x.connect(self._show_x)
        self.state.events.unit.connect(self._show_unit)
        self._show_x(self.state.x)
        if wanted_unit:
            self.state.unit = wanted_unit

    # ----- the curve -----------------------------------------------------------------------
    def _build_curve(self) -> None:
        theme = self.theme
        self.plot = name_widget(pg.PlotWidget(self.body, background=theme.background), "sigmoidCurve")
        self.plot.setMinimumHeight(int(210 * theme.scale))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        # no grid: its lines belong to the axes, which would then repaint with every moving dot
        style_axes(self.plot, theme, 0.95)
        self.plot.setYRange(-0.05, 1.05, padding=0)
        self.plot.setXRange(-VIEW_X, VIEW_X, padding=0)
        self.plot.plot(CURVE_X, sigmoid(CURVE_X), pen=pg.mkPen(theme.curve_reconstruction, width=theme.line(1.3)))
        self.level = pg.InfiniteLine(angle=0, pen=pg.mkPen(theme.muted, width=theme.line(0.6),
                                                          style=Qt.PenStyle.DashLine))
        self.plot.addItem(self.level)
        self.cursor = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen(theme.accent, width=theme.line(1.0)),
                                      hoverPen=pg.mkPen(theme.accent, width=theme.line(2.0)))
        self.cursor.setToolTip("Drag to move x")
        # dragged x snaps to hundredths, so the x read off is exactly the x computed with
        self.cursor.sigPositionChanged.connect(lambda line: self.set_x(round(float(line.value()), 2)))
        self.plot.addItem(self.cursor)
        self.point = pg.ScatterPlotItem(size=theme.marker(1.5), brush=pg.mkBrush(theme.accent),
                                        pen=pg.mkPen(theme.foreground, width=theme.line(0.5)))
        self.plot.addItem(self.point)
        self.unit_point = pg.ScatterPlotItem(size=theme.marker(1.5), symbol="s", brush=pg.mkBrush(theme.positive),
                                             pen=pg.mkPen(theme.foreground, width=theme.line(0.5)))
        self.plot.addItem(self.unit_point)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.content.addWidget(self.plot)

        row = QHBoxLayout()
        label = QLabel("x =", self.body)
        label.setFont(theme.font(1.2))
        self.x_edit = name_widget(QLineEdit(self.body), "xEdit")
        self.x_edit.setFont(theme.font(1.2))
        self.x_edit.setMaximumWidth(int(110 * theme.scale))
        self.x_edit.setToolTip("Type any number, or drag the orange line, or click on the plot")
        self.x_edit.editingFinished.connect(self._typed)
        label.setBuddy(self.x_edit)
        self.readout = name_widget(QLabel(self.body), "sigmoidReadout")
        self.readout.setFont(theme.font(1.6, bold=True))
        self.readout.setWordWrap(True)  # a far x must not widen the panel's parts (they may stand side by side)
        row.addWidget(label)
        row.addWidget(self.x_edit)
        row.addSpacing(12)
        row.addWidget(self.readout, 1)
        self.content.addLayout(row)
        self.x_message = MessageLabel(theme, "xMessage", self.body)
        self.content.addWidget(self.x_message)

    def set_x(self, x: float) -> None:
        """Move the cursor to x and read σ(x) off (from the drag, the click, the table, or code)."""
        self.state.x = float(x)

    def _show_x(self, x: float) -> None:
        self._x = float(x)
        value = float(sigmoid(self._x))
        if abs(self.cursor.value() - self._x) > 1e-12:
            self.cursor.blockSignals(True)
            self.cursor.setValue(self._x)
            self.cursor.blockSignals(False)
        self.point.setData([self._x], [value])
        self.level.setValue(value)
        self.readout.setText(f"σ({fmt.value(self._x)}) = {fmt.value(value, 4)}")
        if not self.x_edit.hasFocus():
            self.x_edit.setText(fmt.value(self._x))
        self._mark_table_row()

    @property
    def x(self) -> float:
        return self._x

    def _typed(self) -> None:
        if not self.x_edit.isModified():
            return
        self.x_edit.setModified(False)
        try:
            x = parse_number(self.x_edit.text(), "x")
        except ValueError as exc:
            self.x_message.show_message(f"{exc} x stays at {fmt.value(self._x)}.")
            self.x_edit.setText(fmt.value(self._x))
            return
        self.x_message.clear_message()
        self.set_x(x)
        self._fit_x_range()

    def _clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        self.x_message.clear_message()
        self.set_x(round(vb.mapSceneToView(event.scenePos()).x(), 2))

    def curve_point(self, x: float) -> QPointF:
        """Where (x, σ(x)) is in the plot widget's pixels (for tests and scripts)."""
        vb = self.plot.getPlotItem().vb
        return self.plot.mapFromScene(vb.mapViewToScene(QPointF(x, float(sigmoid(x)))))

    # ----- the lecture's table ----------------------------------------------------------------
    def _build_table(self) -> None:
        theme = self.theme
        caption = QLabel("The slide's table, computed here (click a row to move x there):", self.body)
        caption.setFont(theme.font(1.05))
        caption.setWordWrap(True)
        self.content.addWidget(caption)
        rows = sigmoid_table([x for x, _ in SIGMOID_TABLE])
        self.table = name_widget(WholeTable(len(rows), 3, self.body), "sigmoidTable")
        self.table.setHorizontalHeaderLabels(["x", "σ(x)", "slide prints"])
        self.table.setFont(theme.font(1.1))
        self.table.horizontalHeader().setFont(theme.font(1.0, bold=True))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, ((x, value), (_, printed)) in enumerate(zip(rows, SIGMOID_TABLE, strict=True)):
            same = printed.matches(value)
            cells = [fmt.value(x), fmt.value(value, 4), printed.text + ("  ✓" if same else "  (differs)")]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self.table.cellClicked.connect(lambda r, _c: self.set_x(SIGMOID_TABLE[r][0]))
        self.content.addWidget(self.table)

    def _mark_table_row(self) -> None:
        for r, (x, _) in enumerate(SIGMOID_TABLE):
            if abs(x - self._x) < 1e-9:
                self.table.selectRow(r)
                return
        self.table.clearSelection()

    # ----- one latent unit of the model ------------------------------------------------------------
    def _build_perceptron(self) -> None:
        theme = self.theme
        title = QLabel("<b>The perceptron step in your model</b>: weighted sum plus bias, then σ", self.body)
        title.setFont(theme.font(1.2))
        title.setWordWrap(True)
        self.content.addWidget(title)
        row = QHBoxLayout()
        unit_label = QLabel("Latent unit:", self.body)
        unit_label.setFont(theme.font(1.1))
        self.unit_combo = name_widget(QComboBox(self.body), "unitCombo")
        self.unit_combo.setFont(theme.font(1.1))
        unit_label.setBuddy(self.unit_combo)
        self.unit_combo.currentIndexChanged.connect(lambda i: setattr(self.state, "unit", max(0, i)))
        row.addWidget(unit_label)
        row.addWidget(self.unit_combo, 1)
        self.content.addLayout(row)
        self.unit_info = name_widget(QLabel(self.body), "perceptronInfoLabel")
        self.unit_info.setWordWrap(True)
        self.unit_info.setFont(theme.font(1.0))
        tint(self.unit_info, theme.muted)
        self.content.addWidget(self.unit_info)
        inputs_row = QHBoxLayout()
        self.input_grid = PixelGrid("perceptronInput", "input <b>x</b>", theme, False, self.body,
                                    number_font=INPUT_FONT)  # smaller: the terms beside it carry the numbers
        self.input_grid.cellHovered.connect(self._set_highlight)
        inputs_row.addWidget(self.input_grid)
        inputs_row.addSpacing(0)  # two groups: a narrow panel puts the terms under the input
        self.terms = TermList(theme, self.body, TERM_SIZE)
        self.terms.hovered.connect(self._set_highlight)
        inputs_row.addWidget(self.terms, 1)
        self.content.addWidget(wrap_layout(inputs_row, theme, self.body))
        self.sum = SumView(theme, "<i>s</i> =", self.body)
        self.content.addWidget(self.sum)
        self.output = name_widget(QLabel(self.body), "perceptronOutput")
        self.output.setTextFormat(Qt.TextFormat.RichText)
        self.output.setWordWrap(True)
        self.output.setFont(theme.font(1.4, bold=True))
        self.content.addWidget(self.output)
        self.output_note = name_widget(QLabel(self.body), "perceptronNote")
        self.output_note.setWordWrap(True)
        self.output_note.setFont(theme.font(1.0))
        self.content.addWidget(self.output_note)
        self._note_for: str | None = None  # the activation the note explains ("sigmoid", "linear"), None: no note
        self.plot.installEventFilter(self)  # the note points at the curve only while the curve is in sight
        self._unit_items: tuple[str, ...] = ()

    def _show_unit(self, unit: int) -> None:
        """Work through ``unit`` (a unit the model does not have: the state takes back the one shown)."""
        if self.unit_combo.count() == 0:  # a panel never shown has not listed its units yet
            self.render_live()
        if unit >= max(1, self.unit_combo.count()):
            self.state.unit = max(0, self.unit_combo.currentIndex())
            return
        if self.unit_combo.count() and unit != self.unit_combo.currentIndex():
            self.unit_combo.blockSignals(True)
            self.unit_combo.setCurrentIndex(unit)
            self.unit_combo.blockSignals(False)
        self.render_live()

    @staticmethod
    def _unit_choices(model: str, count: int) -> list[tuple[int, int, str]]:
        """(which encoder rows, unit index, label) for every latent unit of this model."""
        choices = []
        for k, unit in enumerate(latent_units(model)):
            for j in range(count):
                sub = str(j + 1).translate(SUBSCRIPTS)
                name = {"z": f"z{sub}", "μ": f"μ{sub}", "ln σ²": f"ln σ{sub}²"}[unit.label]
                choices.append((k, j, f"unit {j + 1}: {name}"))
        return choices

    def render_live(self) -> None:
        snapshot = self.controller.snapshot
        config = snapshot.config
        i = self.controller.selected_index
        weights = snapshot.weights
        units = latent_units(config.model)
        if weights is None:
            self._no_perceptron("This model's encoder has several layers of many units; the perceptron step "
                                "is worked out here for the lecture's 2x2 network.")
            return
        count = snapshot.latent_dim
        choices = self._unit_choices(config.model, count)
        labels = tuple(label for _, _, label in choices)
        if labels != self._unit_items:
            self._unit_items = labels
            keep = max(0, self.unit_combo.currentIndex())
            self.unit_combo.blockSignals(True)
            self.unit_combo.clear()
            self.unit_combo.addItems(list(labels))
            self.unit_combo.setCurrentIndex(min(keep, len(labels) - 1))
            self.unit_combo.blockSignals(False)
            self.state.unit = max(0, self.unit_combo.currentIndex())
        k, j, _ = choices[max(0, self.unit_combo.currentIndex())]
        unit = units[k]
        inputs = np.asarray(snapshot.inputs[i], dtype=np.float64)
        try:
            step = latent_unit_step(weights, unit, j, inputs)
        except ValueError as exc:  # e.g. weights that are not numbers after training diverged
            self._no_perceptron(f"Epoch {snapshot.epoch}: this unit cannot be worked through: {exc}")
            return
        self._step = step
        self.input_grid.set_pixels(inputs, [fmt.value(v) for v in inputs])
        fed = ("a noisy copy of the image (the denoiser is fed noise, and learns to undo it)"
               if config.model == "dae" else "the image")
        self.unit_info.setText(f"Image {i + 1} of {len(snapshot.images)} after epoch {snapshot.epoch}; "
                               f"the unit receives {fed}.")
        texts = [fmt.result(p) for p in step.products]
        self.terms.set_terms([
            (f"w{str(n + 1).translate(SUBSCRIPTS)} x{str(n + 1).translate(SUBSCRIPTS)}",
             f"{fmt.signed(w)} × {fmt.value(x)}", texts[n])
            for n, (w, x) in enumerate(zip(step.weights, step.inputs, strict=True))
        ])
        self.sum.set_sum([fmt.signed(p) for p in step.products] + [f"{fmt.signed(step.bias)} (bias b)"],
                         fmt.result(step.weighted_sum))
        name = self.unit_combo.currentText().split(": ", 1)[1]
        s_text = fmt.result(step.weighted_sum)
        if step.activation == "sigmoid":
            self.output.setText(f"{name} = σ({s_text}) = {fmt.result(step.output)}")
            self.unit_point.setData([step.weighted_sum], [step.output])
        else:
            self.output.setText(f"{name} = s = {s_text}")
            self.unit_point.setData([], [])
        self._note_for = step.activation if step.activation == "sigmoid" else "linear"
        self._show_note()
        self._fit_x_range()

    def _fit_x_range(self) -> None:
        """Show x and the unit's s however far out they are, never less than ±7."""
        reach = max([VIEW_X, abs(self._x) + 1] + ([abs(self._step.weighted_sum) + 1] if self._step else []))
        reach = min(reach, float(CURVE_X[-1]))
        if self.plot.getPlotItem().vb.viewRange()[0] != [-reach, reach]:
            self.plot.setXRange(-reach, reach, padding=0)

    def _no_perceptron(self, message: str) -> None:
        self._step = None
        self.unit_info.setText(message)
        self.input_grid.clear()
        self.terms.set_terms([])
        self.sum.set_sum([], "—")
        self.output.setText("")
        self._note_for = None
        self._show_note()
        self.unit_point.setData([], [])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.plot and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._show_note()  # a presented step may set the curve aside (or bring it back)
        return super().eventFilter(watched, event)

    def _show_note(self) -> None:
        """What the unit's output means; where the curve is in sight, where on it."""
        curve = self.plot.isVisibleTo(self)
        if self._note_for == "sigmoid":
            text = ("A square on the sigmoid curve marks this unit: s along, σ(s) up." if curve
                    else "σ squashes the weighted sum s into (0, 1): that is the unit's output.")
        elif self._note_for == "linear":
            text = ("A VAE's latent units are linear: no σ here, so μ can be any number (and ln σ² any spread) "
                    "and the distribution can match N(0, 1).")
            text += " The curve above is for the autoencoder's units." if curve else ""
        else:
            text = ""
        self.output_note.setText(text)
        tint(self.output_note, self.theme.muted)

    @property
    def perceptron(self) -> PerceptronStep | None:
        """The step on screen (None when the model has no 2x2 encoder)."""
        return self._step

    def _set_highlight(self, index: int) -> None:
        self.input_grid.set_highlight(index)
        self.terms.set_highlight(index)
