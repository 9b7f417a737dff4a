"""What the teaching panels show is whole at every scale a lecture uses: the "Numbers
from" picker shows each of its choices uncut in the narrowest panel, and the sigmoid
panel's slide table is as tall as its rows, no taller (issue 12's leftovers: the picker
cut "Slide: a bad reconstructio…", and the presented table showed empty rows under its
last line, its rows too short for their text)."""

from __future__ import annotations

import pytest
from controller_helpers import controller_for
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QComboBox, QScrollArea, QStyle, QStyleOptionComboBox, QTableWidget

from desktop_app.panels.kl_panel import KlPanel
from desktop_app.panels.log_loss_panel import LogLossPanel
from desktop_app.panels.mse_panel import MsePanel
from desktop_app.panels.sigmoid_panel import SigmoidPanel
from desktop_app.theme import Theme
from desktop_app.theming import ThemeManager, apply_to_application
from engine.core.config import TrainingConfig

SCALES = (1.0, 1.5, 2.0, 2.5)


@pytest.fixture
def controller(qapp):
    yield from controller_for(TrainingConfig(seed=3))


@pytest.fixture
def app_theme():
    """Restyled panels change the application's font and palette: put them back after."""
    yield
    apply_to_application(Theme())


def at_scale(qtbot, panel, scale: float, restyled: bool):
    """The panel at ``scale``: built at it, or built at 100 % and restyled as presentation
    mode does (F5)."""
    qtbot.addWidget(panel)
    if restyled:
        ThemeManager(panel.theme).set_theme(panel.theme.scaled(scale), panel)
    return panel


def narrowest(qtbot, panel) -> None:
    """Show the panel as narrow as its body goes without scrolling sideways, tall enough
    not to scroll down."""
    body = panel.findChild(QScrollArea).widget()
    panel.resize(600, 4000)
    panel.show()
    qtbot.waitExposed(panel)  # polished: a combo box knows its own font's widths now
    panel.resize(body.minimumSizeHint().width(), 4000)
    qtbot.wait(20)  # the columns are laid out again


def text_room(combo: QComboBox) -> int:
    """The width the combo draws its current choice in (its edit field, arrow and frame aside)."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    return combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxEditField, combo).width()


@pytest.mark.parametrize("restyled", [False, True], ids=["built", "restyled"])
@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("kind", [MsePanel, LogLossPanel, KlPanel], ids=["mse", "logloss", "kl"])
def test_every_choice_of_the_source_picker_is_whole_in_the_narrowest_panel(qtbot, controller, app_theme,
                                                                          kind, scale, restyled):
    theme = Theme() if restyled else Theme().scaled(scale)
    panel = at_scale(qtbot, kind(controller, theme), scale, restyled)
    narrowest(qtbot, panel)
    combo = panel.findChild(QComboBox, "sourceCombo")
    body = panel.findChild(QScrollArea).widget()
    assert combo.isVisible() and combo.geometry().right() <= combo.parentWidget().width()
    assert body.width() <= panel.findChild(QScrollArea).viewport().width()  # nothing scrolled out of sight
    metrics = combo.fontMetrics()
    cut = [combo.itemText(i) for i in range(combo.count())
           if metrics.horizontalAdvance(combo.itemText(i)) > text_room(combo)]
    assert cut == [], f"cut at {text_room(combo)} px: {cut}"


def table_rows_height(table: QTableWidget) -> int:
    return sum(table.rowHeight(r) for r in range(table.rowCount()))


@pytest.mark.parametrize("restyled", [False, True], ids=["built", "restyled"])
@pytest.mark.parametrize("scale", SCALES)
def test_the_sigmoid_table_is_as_tall_as_its_rows_and_each_row_holds_its_text(qtbot, controller, app_theme,
                                                                              scale, restyled):
    theme = Theme() if restyled else Theme().scaled(scale)
    panel = at_scale(qtbot, SigmoidPanel(controller, theme), scale, restyled)
    narrowest(qtbot, panel)
    table = panel.findChild(QTableWidget, "sigmoidTable")
    text_height = QFontMetrics(table.font()).height()
    assert all(table.rowHeight(r) >= text_height for r in range(table.rowCount()))
    shown, rows = table.viewport().height(), table_rows_height(table)
    assert shown >= rows, f"the last rows cut off: {rows} px of rows in {shown}"
    assert shown - rows < 3, f"{shown - rows} px of empty rows under the last one"
    assert table.horizontalHeader().height() >= QFontMetrics(table.horizontalHeader().font()).height()
