"""Pieces the teaching panels share: the formula line, editable pixel grids, the list of
terms, the written-out sum, messages, and the panel frame that renders only when seen.

Hovering a cell or a term emits its index, so a panel can light up every place the
same pixel or bar appears.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.controller import TrainingController
from desktop_app.frames.live_view import SECOND_HALF, LiveView
from desktop_app.frames.plot_cache import cache_axes
from desktop_app.panels.columns import SectionColumns
from desktop_app.required_hooks import hook
from desktop_app.state.workbench import PanelState
from desktop_app.theme import Theme, text_on
from engine.core.snapshot import EpochSnapshot
from engine.lecture.datasets import PIXEL_NAMES

PIXEL_FONT = 1.0  # relative sizes of the numbers written in pixel cells and in term cells
TERM_FONT = 0.9
COLUMN_WIDTH = 250  # a panel's part is never laid out narrower (at 100 %; see columns.py)


def name_widget(widget: QWidget, name: str) -> QWidget:
    """Set the objectName and the accessible name together (the testable surface)."""
    widget.setObjectName(name)
    widget.setAccessibleName(name)
    return widget


def css(colour: QColor) -> str:
    return colour.name()


def style_axes(plot: object, theme: Theme, relative: float = 0.95, widest_tick: str = "0.00") -> None:
    """Tick labels in the theme's font and colour, with room for them at any scale
    (pyqtgraph does not widen an axis for a bigger font by itself)."""
    font = theme.font(relative)
    metrics = QFontMetrics(font)
    for name in ("bottom", "left"):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(theme.foreground)
        axis.setPen(theme.muted)
    plot.getAxis("left").setWidth(metrics.horizontalAdvance(widest_tick) + int(14 * theme.scale))
    plot.getAxis("bottom").setHeight(metrics.height() + int(12 * theme.scale))
    cache_axes(plot)


def tint(widget: QWidget, colour: QColor) -> None:
    """Text colour through the palette, not a style sheet: style-sheeted widgets paint far
    slower, and these labels repaint with every live snapshot."""
    palette = widget.palette()
    if palette.color(QPalette.ColorRole.WindowText) != colour:
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        widget.setPalette(palette)


# ----- text ---------------------------------------------------------------------------------


class FormulaLabel(QWidget):
    """The formula, typeset with rich text, and one plain sentence that reads it."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.formula = name_widget(QLabel(self), "formulaLabel")
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setFont(theme.font(1.6))
        self.formula.setWordWrap(True)
        self.reading = name_widget(QLabel(self), "readingLabel")
        self.reading.setWordWrap(True)
        self.reading.setFont(theme.font(1.1))
        tint(self.reading, theme.muted)
        layout.addWidget(self.formula)
        layout.addWidget(self.reading)

    def set_formula(self, html: str, reading: str) -> None:
        self.formula.setText(html)
        self.reading.setText(reading)


class MessageLabel(QLabel):
    """A message about bad input, next to the control it concerns; hidden when empty."""

    def __init__(self, theme: Theme, name: str = "messageLabel", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, name)
        self.setWordWrap(True)
        self.setFont(theme.font(1.1))
        tint(self, theme.error)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


class NotesLabel(QLabel):
    """The engine's own notes (a clamp, an infinite term), shown as they come."""

    def __init__(self, theme: Theme, name: str = "notesLabel", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, name)
        self.setWordWrap(True)
        self.setFont(theme.font(1.05))
        self.setMargin(int(5 * theme.scale))
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, theme.heat_colour(0.18))
        palette.setColor(QPalette.ColorRole.WindowText, theme.foreground)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.hide()

    def set_notes(self, notes: Sequence[str]) -> None:
        self.setText("\n".join(notes))
        self.setVisible(bool(notes))


def source_combo(theme: Theme, items: Sequence[tuple[str, str]], parent: QWidget | None = None) -> QComboBox:
    """The picker for where a panel's numbers come from (items are (key, label))."""
    combo = QComboBox(parent)
    name_widget(combo, "sourceCombo")
    combo.setFont(theme.font(1.1))
    # never narrower than its longest item: in a narrow dock its label goes above it (LabelBeside)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumContentsLength(0)
    for key, label in items:
        combo.addItem(label, key)
    return combo


# ----- pixel grids ----------------------------------------------------------------------------


class ReportsHover:
    """For a widget with an ``index`` and a ``hovered`` signal: says which one the pointer
    is over (its index on entering, -1 on leaving), so a panel can light up the matching
    pixel, term and bar together."""

    def enterEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        self.hovered.emit(self.index)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        self.hovered.emit(-1)
        super().leaveEvent(event)


class PixelCell(ReportsHover, QLineEdit):
    """One cell of a grid or a row: coloured like the pixel (or the term), holding its number."""

    hovered = Signal(int)

    def __init__(self, index: int, size: tuple[int, int], theme: Theme, parent: QWidget | None = None,
                 stretch: bool = False) -> None:
        super().__init__(parent)
        self.index = index
        self._look: tuple[str, str, bool] | None = None
        self._theme = theme
        if stretch:  # a row of cells sharing the width: at least ``size``, wider when there is room
            self.setMinimumWidth(size[0])
            self.setFixedHeight(size[1])
        else:
            self.setFixedSize(*size)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFont(theme.font(PIXEL_FONT))
        self.setFrame(False)

    def set_look(self, background: QColor, text: QColor, highlighted: bool) -> None:
        """Colours through the palette and a painted border, not a style sheet: cells recolour
        with every live snapshot, and style-sheeted widgets re-polish and paint far slower."""
        look = (background.name(), text.name(), highlighted)
        if look == self._look:
            return
        self._look = look
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, background)
        palette.setColor(QPalette.ColorRole.Text, text)
        self.setPalette(palette)
        self.update()

    @property
    def highlighted(self) -> bool:
        return bool(self._look and self._look[2])

    def paintEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self)
        width = max(1, round(self._theme.line(2.0 if self.highlighted else 0.5)))
        pen = QPen(self._theme.accent if self.highlighted else self._theme.muted, width)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.drawRect(self.rect().adjusted(width // 2, width // 2, -((width + 1) // 2), -((width + 1) // 2)))
        painter.end()


class PixelGrid(QWidget):
    """A 2x2 image as the slides draw it: grey squares with their values written in.

    Cells are numbered in the lecture's pixel order (top-left, top-right, bottom-left,
    bottom-right). An edited cell is reported as text; the panel decides if it is valid
    and calls ``set_pixels`` with whatever it keeps.
    """

    cellEdited = Signal(int, str)
    cellHovered = Signal(int)

    def __init__(self, name: str, caption: str, theme: Theme, editable: bool = True,
                 parent: QWidget | None = None, number_font: float = PIXEL_FONT) -> None:
        super().__init__(parent)
        name_widget(self, name)
        self._theme = theme
        self._highlight = -1
        self._colours: list[tuple[QColor, QColor]] = [(theme.background, theme.foreground)] * 4
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.caption = QLabel(caption, self)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setFont(theme.font(1.15))
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.caption)
        grid = QGridLayout()
        grid.setSpacing(2)
        # room for a pixel ("0.4865") in the number font and a term ("0.01289") in the term font, or smaller
        side = max(QFontMetrics(theme.font(number_font)).horizontalAdvance("0.0000"),
                   QFontMetrics(theme.font(min(number_font, TERM_FONT))).horizontalAdvance("0.00000")) \
            + int(10 * theme.scale)
        self.cells: list[PixelCell] = []
        for i in range(4):
            cell = PixelCell(i, (side, side), theme, self)
            cell.setFont(theme.font(number_font))
            name_widget(cell, f"{name}Cell{i}")
            cell.setReadOnly(not editable)
            cell.setToolTip(f"{PIXEL_NAMES[i]} pixel" + (": type a value between 0 and 1" if editable else ""))
            cell.editingFinished.connect(lambda c=cell: self._finished(c))
            cell.hovered.connect(self.cellHovered)
            grid.addWidget(cell, i // 2, i % 2)
            self.cells.append(cell)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(grid)
        row.addStretch(1)
        layout.addLayout(row)

    def set_pixels(self, values: np.ndarray, texts: Sequence[str]) -> None:
        """Show pixel values in grey (0 black, 1 white), as the lecture draws images."""
        flat = np.asarray(values, dtype=np.float64).ravel()
        colours = [(self._theme.pixel_colour(v), self._theme.text_on_pixel(v)) for v in flat]
        self._show(texts, colours)

    def set_heat(self, fractions: np.ndarray, texts: Sequence[str]) -> None:
        """Show terms of a loss, shaded by their share (0 = page colour, 1 = accent)."""
        heat = [self._theme.heat_colour(f) for f in np.asarray(fractions).ravel()]
        colours = [(background, text_on(background)) for background in heat]
        self._show(texts, colours)

    def clear(self) -> None:
        self._show([""] * 4, [(self._theme.background, self._theme.foreground)] * 4)

    def set_highlight(self, index: int) -> None:
        self._highlight = index
        for cell, (background, text) in zip(self.cells, self._colours, strict=True):
            cell.set_look(background, text, cell.index == index)

    def _show(self, texts: Sequence[str], colours: list[tuple[QColor, QColor]]) -> None:
        self._colours = colours
        for cell, text in zip(self.cells, texts, strict=True):
            if cell.hasFocus() and cell.isModified():
                continue  # the learner is typing here: do not overwrite it
            if cell.text() != text:
                cell.setText(text)
                cell.setCursorPosition(0)
        self.set_highlight(self._highlight)

    def _finished(self, cell: PixelCell) -> None:
        if cell.isModified():
            cell.setModified(False)
            self.cellEdited.emit(cell.index, cell.text())


# ----- terms and sums -------------------------------------------------------------------------


class _TermRow(ReportsHover, QFrame):
    hovered = Signal(int)

    def __init__(self, index: int, theme: Theme, parent: QWidget | None = None, size: float = 1.0) -> None:
        super().__init__(parent)
        self.index = index
        self._theme = theme
        self._highlighted: bool | None = None
        name_widget(self, f"term{index}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.place = QLabel(self)
        self.place.setFont(theme.font(1.0))
        tint(self.place, theme.muted)
        self.expression = name_widget(QLabel(self), f"termExpression{index}")
        self.expression.setTextFormat(Qt.TextFormat.RichText)
        self.expression.setFont(theme.font(size))
        self.expression.setWordWrap(True)
        self.value = name_widget(QLabel(self), f"termValue{index}")
        self.value.setFont(theme.font(size, bold=True))
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # room for any value, so a new number never re-lays out (and repaints) the whole panel
        self.value.setMinimumWidth(QFontMetrics(self.value.font()).horizontalAdvance("−0.00000"))
        layout.addWidget(self.place)
        layout.addWidget(self.expression, 1)
        equals = QLabel("=", self)
        equals.setFont(theme.font(1.2))
        layout.addWidget(equals)
        layout.addWidget(self.value)
        self.set_highlighted(False)

    def set_highlighted(self, on: bool) -> None:
        if on == self._highlighted:
            return
        self._highlighted = on
        self.setAutoFillBackground(on)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, self._theme.heat_colour(0.35))
        self.setPalette(palette)

    @property
    def highlighted(self) -> bool:
        return bool(self._highlighted)


class TermList(QWidget):
    """One row per term: where it comes from, the expression with its numbers, its value."""

    hovered = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None, size: float = 1.0) -> None:
        super().__init__(parent)
        name_widget(self, "termList")
        self._theme = theme
        self._size = size  # of the expressions and values, relative to the theme's type
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(1)
        self.rows: list[_TermRow] = []
        self._highlight = -1

    def set_terms(self, terms: Sequence[tuple[str, str, str]]) -> None:
        """terms: (place, expression as rich text, value) per term."""
        while len(self.rows) < len(terms):
            row = _TermRow(len(self.rows), self._theme, self, self._size)
            row.hovered.connect(self.hovered)
            self._layout.addWidget(row)
            self.rows.append(row)
        for row, (place, expression, value) in zip(self.rows, terms, strict=False):
            row.place.setText(place)
            row.expression.setText(expression)
            row.value.setText(value)
        for i, row in enumerate(self.rows):
            row.setVisible(i < len(terms))

    def set_highlight(self, index: int) -> None:
        self._highlight = index
        for row in self.rows:
            row.set_highlighted(row.index == index)


class SumView(QWidget):
    """The sum written out as on the slides, the total, and what the slide printed."""

    def __init__(self, theme: Theme, symbol: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        name_widget(self, "sumView")
        self._theme = theme
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.sum = name_widget(QLabel(self), "sumLabel")
        self.sum.setWordWrap(True)
        self.sum.setFont(theme.font(1.15))
        total_row = QHBoxLayout()
        total_row.setSpacing(int(8 * theme.scale))
        self.symbol = name_widget(QLabel(symbol, self), "totalSymbolLabel")
        self.symbol.setTextFormat(Qt.TextFormat.RichText)
        self.symbol.setFont(theme.font(1.6, bold=True))
        self.total = name_widget(QLabel(self), "totalLabel")
        self.total.setFont(theme.font(1.6, bold=True))
        self.total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.total.setWordWrap(True)  # a long total ("not defined until ...") never widens the panel's parts
        total_row.addWidget(self.symbol)
        total_row.addWidget(self.total)
        total_row.addStretch(1)
        self.slide_note = name_widget(QLabel(self), "slideNoteLabel")
        self.slide_note.setWordWrap(True)
        self.slide_note.setFont(theme.font(1.1))
        self.slide_note.hide()
        layout.addWidget(self.sum)
        layout.addLayout(total_row)
        layout.addWidget(self.slide_note)

    def set_sum(self, parts: Sequence[str], total: str) -> None:
        self.sum.setText("= " + " + ".join(parts) if parts else "")
        self.total.setText(total)

    def set_symbol(self, html: str) -> None:
        self.symbol.setText(html)

    def set_slide_note(self, text: str, differs: bool) -> None:
        colour = self._theme.accent if differs else self._theme.muted
        tint(self.slide_note, colour)
        if self.slide_note.font().bold() != differs:
            self.slide_note.setFont(self._theme.font(1.1, bold=differs))
        self.slide_note.setText(text)
        self.slide_note.setVisible(bool(text))


def slide_note(printed_text: str, matches: bool, computed_text: str) -> str:
    """What to say beside a computed total about the figure the slide printed."""
    if matches:
        return f"✓ The slide prints {printed_text}: the same, at the slide's precision."
    return (f"The slide prints {printed_text} for these numbers, but the sum written out above "
            f"comes to {computed_text}: the app shows the computed value.")


# ----- the panel frame --------------------------------------------------------------------------


class TeachingPanel(LiveView, QWidget):
    """A dockable panel: named for tests, scrollable on small screens, and light on the
    live model: it renders a new snapshot only while visible (catching up when shown),
    and while training runs at most every ``LIVE_INTERVAL_MS``, in the second half of a
    frame (``desktop_app.frames``), so the workbench's views and the panels never
    paint in one long block.
    """

    LIVE_INTERVAL_MS = 100
    frame_half = SECOND_HALF
    max_per_second = 1000 / LIVE_INTERVAL_MS

    def __init__(self, controller: TrainingController, theme: Theme, name: str, title: str,
                 parent: QWidget | None = None, state: PanelState | None = None) -> None:
        super().__init__(parent)
        name_widget(self, name)
        self.state = state if state is not None else PanelState()  # what a saved session or a lesson step sets
        self.setWindowTitle(title)
        self.controller = controller
        self.theme = theme
        self.mark_stale()  # drawn when first shown
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget(scroll)
        self.body.setObjectName(f"{name}Body")
        palette = self.body.palette()  # the theme's page, light or dark, whatever the desktop's
        for role, colour in ((QPalette.ColorRole.Window, theme.background),
                             (QPalette.ColorRole.WindowText, theme.foreground),
                             (QPalette.ColorRole.Text, theme.foreground),
                             (QPalette.ColorRole.Base, theme.background),
                             (QPalette.ColorRole.Button, theme.grid),
                             (QPalette.ColorRole.ButtonText, theme.foreground)):
            palette.setColor(role, colour)
        self.body.setPalette(palette)
        self.body.setAutoFillBackground(True)
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.columns = SectionColumns(self.body, int(COLUMN_WIDTH * theme.scale), int(16 * theme.scale))
        side = int(6 * theme.scale)  # room for a lesson's highlight frame drawn over the dock's edge
        self.columns.setContentsMargins(side, 4, side, 4)
        self.content = self.new_section(f"{name}Top")
        scroll.setWidget(self.body)
        outer.addWidget(scroll)
        self.follow_frames(controller, controller.selectionChanged, controller.configChanged)
        controller.runningChanged.connect(self._running_changed)

    def new_section(self, name: str = "") -> QVBoxLayout:
        """Start the panel's next part (``self.content`` from now on): parts stand side by
        side where the panel is wide (``SectionColumns``), one under another where not. A
        named part can be highlighted by a lesson step (and the others then step aside
        while it is presented)."""
        section = QWidget(self.body)
        if name:
            name_widget(section, name)
        self.content = QVBoxLayout(section)
        margin = int(4 * self.theme.scale)  # inside a lesson's highlight frame
        self.content.setContentsMargins(margin, margin, margin, margin)
        self.content.setSpacing(8)
        self.columns.addWidget(section)
        return self.content

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Lay the parts out again once shown: polishing may widen a part (a combo box) past
        what its columns were planned for, and a drag or a hover must not meet a layout
        that changes under it."""
        super().showEvent(event)
        self.columns.invalidate()
        self.columns.activate()

    def spare_parts(self) -> list[QWidget]:
        """Parts a presented lesson step may set aside, least needed first, when the panel
        cannot show all of itself on the screen (each repeats what another part says)."""
        return []

    def uses_live_model(self) -> bool:
        """True when what is on screen depends on the controller's snapshot."""
        return True

    @hook
    def render_live(self) -> None:
        """Redraw from ``controller.snapshot`` and ``controller.selected_index``."""

    def wants_drawing(self) -> bool:
        return self.isVisible() and self.uses_live_model()

    def draw(self, _snapshot: EpochSnapshot) -> None:
        self.render_live()

    def _running_changed(self, running: bool) -> None:
        if not running and self.stale:
            self.frame_arrived()
