"""The sigmoid panel: the slide's table, x by typing, clicking and dragging, and the
perceptron step of the learner's own latent units, checked against torch."""

import math

import numpy as np
import pytest
import torch
from controller_helpers import controller_for
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableWidget
from test_panels_helpers import click, drag, hover, label, number, show, term_values, type_into

from desktop_app.controller import TrainingController
from desktop_app.panels import build_panels
from desktop_app.panels.sigmoid_panel import SigmoidPanel
from desktop_app.theme import Theme
from engine.core.config import TrainingConfig


@pytest.fixture
def controller(qapp):
    yield from controller_for(TrainingConfig(seed=3))


def readout(panel) -> tuple[float, float]:
    text = label(panel, "sigmoidReadout").text()  # "σ(1.5) = 0.8176"
    x_text, value_text = text[2:].split(") = ")
    return float(x_text.replace("−", "-")), float(value_text)


def test_the_slides_table_is_computed_and_compared(qtbot, controller):
    panel = show(qtbot, SigmoidPanel(controller, Theme()))
    table = panel.findChild(QTableWidget, "sigmoidTable")
    printed = {-5: "0.01", -2: "0.12", -1: "0.27", 0: "0.5", 1: "0.73", 2: "0.88", 5: "0.99"}
    assert table.rowCount() == len(printed)
    for row, (x, slide) in enumerate(printed.items()):
        assert float(table.item(row, 0).text().replace("−", "-")) == x
        assert float(table.item(row, 1).text()) == pytest.approx(1 / (1 + math.exp(-x)), abs=5e-5)
        assert table.item(row, 2).text().startswith(slide) and "✓" in table.item(row, 2).text()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(0, 1)).center())
    assert panel.x == -5 and readout(panel) == (-5.0, pytest.approx(0.0067, abs=1e-4))


def test_x_by_typing_clicking_and_dragging(qtbot, controller):
    panel = show(qtbot, SigmoidPanel(controller, Theme()))
    edit = panel.x_edit
    type_into(qtbot, edit, "2")
    assert readout(panel) == (2.0, pytest.approx(1 / (1 + math.exp(-2)), abs=1e-4))
    assert panel.point.getData()[1][0] == pytest.approx(1 / (1 + math.exp(-2)))

    click(panel.plot, panel.curve_point(-1.0))
    x, value = readout(panel)
    assert x == pytest.approx(-1.0, abs=0.05) and value == pytest.approx(1 / (1 + math.exp(-x)), abs=1e-4)

    start = panel.curve_point(panel.x)
    drag(panel.plot, start, panel.curve_point(3.0))
    x, value = readout(panel)
    assert x == pytest.approx(3.0, abs=0.05) and value == pytest.approx(1 / (1 + math.exp(-x)), abs=1e-4)
    assert panel.cursor.value() == pytest.approx(panel.x)


@pytest.mark.parametrize("bad", ["abc", "nan", "inf", ""])
def test_bad_x_is_refused_with_a_message(qtbot, controller, bad):
    panel = show(qtbot, SigmoidPanel(controller, Theme()))
    type_into(qtbot, panel.x_edit, bad)
    message = label(panel, "xMessage")
    assert message.isVisible() and "x stays at 1" in message.text()
    assert readout(panel)[0] == 1.0 and panel.x_edit.text() == "1"


def _encoder(snapshot, prefix: str, unit: int, image: np.ndarray) -> float:
    w = torch.tensor(snapshot.params[f"{prefix}.weight"][unit], dtype=torch.float64)
    b = float(snapshot.params[f"{prefix}.bias"][unit])
    return float(w @ torch.tensor(image, dtype=torch.float64)) + b


def test_perceptron_step_of_the_autoencoders_latent_unit_follows_training(qtbot, controller):
    panel = show(qtbot, SigmoidPanel(controller, Theme()))
    controller.select_image(3)
    combo = panel.findChild(QComboBox, "unitCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == ["unit 1: z₁", "unit 2: z₂"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == 1

    def check() -> None:
        s = controller.snapshot
        image = s.inputs[3].astype(float)
        w = s.params["encoder.weight"][1].astype(float)
        assert term_values(panel, 4) == pytest.approx((w * image).tolist(), rel=1e-3, abs=1e-6)
        weighted = _encoder(s, "encoder", 1, image)
        assert number(panel, "totalLabel") == pytest.approx(weighted, rel=1e-3, abs=1e-6)
        z = float(torch.sigmoid(torch.tensor(weighted)))
        assert label(panel, "perceptronOutput").text().endswith(f"= {z:.4g}".replace("-", "−"))
        assert z == pytest.approx(float(s.codes[3, 1]), abs=1e-5)  # the model's own latent code
        assert panel.unit_point.getData()[1][0] == pytest.approx(z)
        assert f"epoch {s.epoch}" in label(panel, "perceptronInfoLabel").text()

    check()
    before = label(panel, "perceptronOutput").text()
    controller.step(2)
    controller.wait_until_idle(60)  # the first step imports torch's optimisers: seconds on a busy machine
    check()
    assert label(panel, "perceptronOutput").text() != before
    hover(qtbot, panel.terms.rows[2])
    assert panel.input_grid.cells[2].highlighted and not panel.input_grid.cells[1].highlighted


def test_the_vae_latent_unit_is_linear_and_says_so(qtbot):
    torch.set_num_threads(1)
    c = TrainingController(TrainingConfig(model="vae", seed=3))
    try:
        panel = show(qtbot, SigmoidPanel(c, Theme()))
        combo = panel.findChild(QComboBox, "unitCombo")
        labels = [combo.itemText(i) for i in range(combo.count())]
        assert labels == ["unit 1: μ₁", "unit 2: μ₂", "unit 1: ln σ₁²", "unit 2: ln σ₂²"]
        s = c.snapshot
        mu = _encoder(s, "encoder_mu", 0, s.inputs[0].astype(float))
        assert number(panel, "totalLabel") == pytest.approx(mu, rel=1e-3, abs=1e-6)
        assert mu == pytest.approx(float(s.codes[0, 0]), abs=1e-5)
        assert "linear" in label(panel, "perceptronNote").text()
        assert len(panel.unit_point.getData()[0]) == 0  # no σ, so no point on the σ curve
        combo.setCurrentIndex(3)
        log_var = _encoder(s, "encoder_log_var", 1, s.inputs[0].astype(float))
        assert number(panel, "totalLabel") == pytest.approx(log_var, rel=1e-3, abs=1e-6)
        assert log_var == pytest.approx(float(s.log_vars[0, 1]), abs=1e-5)
    finally:
        c.shutdown()


def test_build_panels_gives_the_named_panels_for_the_workbench_docks(qtbot, controller):
    panels = build_panels(controller, Theme())
    for panel in panels:
        qtbot.addWidget(panel)
    names = ["sigmoidPanel", "msePanel", "logLossPanel", "klPanel", "backpropPanel"]
    assert [p.objectName() for p in panels] == names
    assert [p.accessibleName() for p in panels] == names
    assert all(p.windowTitle() for p in panels)
    from desktop_app.workbench_window import WorkbenchWindow

    window = WorkbenchWindow(controller, Theme())
    qtbot.addWidget(window)
    for key in names:
        assert window.docks[key].widget().child.objectName() == key  # inside its layout firewall


def test_the_unit_note_points_at_the_curve_only_while_the_curve_is_in_sight(qtbot, controller):
    """A presented step may set the curve aside and show the perceptron step alone: the
    note must not then send the learner to a square on a curve that is not there."""
    panel = show(qtbot, SigmoidPanel(controller, Theme()))
    note = label(panel, "perceptronNote")
    assert "square on the sigmoid curve" in note.text()
    curve_part = panel.columns.itemAt(0).widget()
    assert curve_part.isAncestorOf(panel.plot)
    curve_part.hide()
    assert "curve" not in note.text() and "(0, 1)" in note.text()
    curve_part.show()
    assert "square on the sigmoid curve" in note.text()
