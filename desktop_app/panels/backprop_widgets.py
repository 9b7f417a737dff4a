"""Pieces of the backpropagation panel: a chain rule written as a row of factors (each
symbol above its number, joined by ·, then = and the product), equation rows for the
optimiser's update, and the forward pass and loss as small tables.

Each number sits in its own label with an objectName built from where it sits in the
chain rule, so tests (and screen readers) can find every factor on screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop_app.panels import formatting as fmt
from desktop_app.panels.widgets import name_widget, tint
from desktop_app.theme import Theme
from engine.lecture.backprop import Factor, Term


def heading(theme: Theme, text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setFont(theme.font(1.25, bold=True))
    return label


def muted(theme: Theme, text: str, parent: QWidget, relative: float = 1.0) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setFont(theme.font(relative))
    tint(label, theme.muted)
    return label


class ChainRow(QWidget):
    """label?  symbol₁ · symbol₂ · …  =  result, with every value under its symbol."""

    def __init__(self, theme: Theme, path: str, factors: Sequence[Factor], result_symbol: str,
                 result_name: str, label: str = "", parent: QWidget | None = None, joiner: str = "·") -> None:
        super().__init__(parent)
        self._theme = theme
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setHorizontalSpacing(int(6 * theme.scale))
        grid.setVerticalSpacing(0)
        column = 0
        if label:
            words = muted(theme, label, self, 0.95)
            words.setWordWrap(False)
            grid.addWidget(words, 1, column)
            column += 1
        self.values: list[QLabel] = []
        for k, factor in enumerate(factors):
            if k:
                grid.addWidget(self._sign(joiner), 1, column)
                column += 1
            grid.addWidget(self._symbol(factor.symbol, factor.meaning), 0, column)
            value = self._value(f"factorValue:{path}/{k}" if path else f"factorValue:{k}")
            value.setToolTip(factor.meaning)
            grid.addWidget(value, 1, column)
            self.values.append(value)
            column += 1
        grid.addWidget(self._sign("="), 1, column)
        grid.addWidget(self._symbol(result_symbol, ""), 0, column + 1)
        self.result = self._value(result_name, bold=True)
        grid.addWidget(self.result, 1, column + 1)
        grid.setColumnStretch(column + 2, 1)

    def set_values(self, factors: Sequence[Factor], result: float) -> None:
        for label, factor in zip(self.values, factors, strict=True):
            label.setText(fmt.result(factor.value))
        self.result.setText(fmt.result(result))

    def _symbol(self, text: str, tip: str) -> QLabel:
        label = QLabel(text, self)
        label.setFont(self._theme.font(1.0))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setToolTip(tip)
        tint(label, self._theme.muted)
        return label

    def _value(self, name: str, bold: bool = False) -> QLabel:
        label = name_widget(QLabel(self), name)
        label.setFont(self._theme.font(1.2, bold=bold))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMinimumWidth(QFontMetrics(label.font()).horizontalAdvance("−0.00000"))
        return label

    def _sign(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setFont(self._theme.font(1.2))
        return label


class ChainView(QWidget):
    """A chain rule: its main row, then one block per factor that is itself a sum
    (∂L/∂z sums over four outputs; a VAE's ∂L/∂μ adds the KL term's own gradient)."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(int(4 * theme.scale))
        self._shape: tuple | None = None
        self._rows: list[tuple[ChainRow, str]] = []  # (row, path of its factors)

    def show_chain(self, factors: Sequence[Factor], value: float, symbol: str = "∂L/∂w") -> None:
        """Build the rows when the shape of the chain changes, else only renew the numbers."""
        shape = (symbol, _shape(factors))
        if shape != self._shape:
            self._build(factors, symbol)
            self._shape = shape
        for row, path in self._rows:
            found = _at(factors, path)
            if isinstance(found, Term):
                row.set_values(found.factors, found.value)
            else:
                row.set_values(factors, value)
        for expression, total, path in self._sums:
            factor = _at(factors, path)
            expression.setText("sum: " + " + ".join(fmt.signed(t.value) for t in factor.terms))
            total.setText(fmt.result(factor.value))

    def _sum_row(self, path: str) -> QWidget:
        """'sum: a + b + c + d = total' for the factor at ``path``."""
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(int(12 * self._theme.scale), 0, 0, 0)
        expression = muted(self._theme, "", row, 1.05)
        value = name_widget(QLabel(row), f"sumValue:{path}")
        value.setFont(self._theme.font(1.2, bold=True))
        layout.addWidget(expression, 1)
        layout.addWidget(QLabel("=", row))
        layout.addWidget(value)
        self._sums.append((expression, value, path))
        return row

    def _build(self, factors: Sequence[Factor], symbol: str) -> None:
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None:
                _retire(widget)
        self._rows = []
        main = ChainRow(self._theme, "", factors, symbol, "gradientValue", parent=self)
        self._layout.addWidget(main)
        self._rows.append((main, ""))
        self._layout.addWidget(muted(self._theme, _meanings(factors), self, 0.95))
        self._sums: list[tuple[QLabel, QLabel, str]] = []
        for path, factor in _sums(factors, ""):
            title = muted(self._theme, f"{factor.symbol}, {factor.meaning}:", self, 1.0)
            title.setStyleSheet(f"margin-left: {int(12 * self._theme.scale)}px;")
            self._layout.addWidget(title)
            for t, term in enumerate(factor.terms):
                row = ChainRow(self._theme, f"{path}/{t}", term.factors, "", f"termValue:{path}/{t}",
                               term.label, self)
                row.setContentsMargins(int(12 * self._theme.scale), 0, 0, 0)
                self._layout.addWidget(row)
                self._rows.append((row, f"{path}/{t}"))
            self._layout.addWidget(self._sum_row(path))
        for i in range(self._layout.count()):  # at once: a layout shows new children only on a later turn
            self._layout.itemAt(i).widget().show()


def _sums(factors: Sequence[Factor], prefix: str):
    """(path, factor) for every factor that is a sum of terms, outermost first."""
    for k, factor in enumerate(factors):
        path = f"{prefix}/{k}" if prefix else str(k)
        if factor.terms:
            yield path, factor
            for t, term in enumerate(factor.terms):
                yield from _sums(term.factors, f"{path}/{t}")


def _at(factors: Sequence[Factor], path: str) -> Factor | Term | None:
    """The term at 'k/t/k/t' or the factor at 'k/t/k'; None for the main row."""
    if not path:
        return None
    parts = [int(p) for p in path.split("/")]
    node: Factor | Term | None = None
    current: Sequence[Factor] = factors
    for depth, part in enumerate(parts):
        if depth % 2 == 0:
            node = current[part]
        else:
            node = node.terms[part]
            current = node.factors
    return node


def _shape(factors: Sequence[Factor]) -> tuple:
    return tuple((f.symbol, f.meaning, _shape_terms(f.terms)) for f in factors)


def _shape_terms(terms: Sequence[Term]) -> tuple:
    return tuple((t.label, _shape(t.factors)) for t in terms)


def _meanings(factors: Sequence[Factor]) -> str:
    return "\n".join(f"{f.symbol}: {f.meaning}." for f in factors)


class EquationRows(QWidget):
    """Rows of 'expression = value', the value in a label named for tests."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(int(8 * theme.scale))
        self._names: tuple[str, ...] = ()
        self.values: dict[str, QLabel] = {}
        self.expressions: dict[str, QLabel] = {}

    def set_rows(self, rows: Sequence[tuple[str, str, str]]) -> None:
        """rows: (name, expression as rich text, value text)."""
        names = tuple(name for name, _e, _v in rows)
        if names != self._names:
            self._rebuild(names)
        for name, expression, value in rows:
            self.expressions[name].setText(expression)
            self.values[name].setText(value)

    def _rebuild(self, names: tuple[str, ...]) -> None:
        for label in [*self.values.values(), *self.expressions.values(), *self.findChildren(QLabel, "equalsSign")]:
            _retire(label)
        self.values, self.expressions = {}, {}
        for r, name in enumerate(names):
            expression = name_widget(QLabel(self), f"{name}Expression")
            expression.setTextFormat(Qt.TextFormat.RichText)
            expression.setWordWrap(True)
            expression.setFont(self._theme.font(1.05))
            equals = QLabel("=", self)
            equals.setObjectName("equalsSign")
            equals.setFont(self._theme.font(1.1))
            value = name_widget(QLabel(self), f"{name}Value")
            value.setFont(self._theme.font(1.15, bold=True))
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._grid.addWidget(expression, r, 0)
            self._grid.addWidget(equals, r, 1)
            self._grid.addWidget(value, r, 2)
            self.values[name], self.expressions[name] = value, expression
            for label in (expression, equals, value):
                label.show()
        self._grid.setColumnStretch(0, 1)
        self._names = names


def _retire(widget: QWidget) -> None:
    """Out of sight and out of findChild's way now; deleted once the event loop turns."""
    widget.hide()
    for child in [widget, *widget.findChildren(QWidget)]:
        child.setObjectName("")
    widget.deleteLater()


def table_html(theme: Theme, header: Sequence[str], rows: Sequence[tuple[str, Sequence[str]]]) -> str:
    """A small table: a header row, then (row title, cells)."""
    muted_css = theme.muted.name()
    head = "".join(f"<th align='right' style='color:{muted_css}; font-weight:normal'>{h}</th>" for h in header)
    body = "".join(
        f"<tr><td style='color:{muted_css}'>{title}</td>" + "".join(f"<td align='right'>{c}</td>" for c in cells)
        + "</tr>" for title, cells in rows)
    return f"<table cellspacing='0' cellpadding='3'><tr><th></th>{head}</tr>{body}</table>"
