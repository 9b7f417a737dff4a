"""The MSE and log-loss panels, driven by keys and clicks and checked against hand values
from the lecture and torch's own losses."""

import dataclasses
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from controller_helpers import controller_for
from test_panels_helpers import cell, choose, hover, label, number, show, term_values, type_into

from desktop_app.controller import TrainingController
from desktop_app.panels.log_loss_panel import LogLossPanel
from desktop_app.panels.mse_panel import MsePanel
from desktop_app.theme import Theme
from engine.core.config import TrainingConfig

REL = 1e-3  # the panels show 4 significant digits


@pytest.fixture
def controller(qapp):
    yield from controller_for(TrainingConfig(seed=1))


def torch_mse(x, y) -> float:
    return float(F.mse_loss(torch.tensor(y, dtype=torch.float64), torch.tensor(x, dtype=torch.float64),
                            reduction="sum"))


def torch_bce(x, y) -> float:
    return float(F.binary_cross_entropy(torch.tensor(y, dtype=torch.float64), torch.tensor(x, dtype=torch.float64),
                                        reduction="sum"))


# ----- MSE ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "y", "printed"), [
    ("slide:good", [0.65, 0.42, 0.36, 0.59], "0.0046"),
    ("slide:bad", [0.1, 0.9, 0.85, 0.2], "0.8625"),
])
def test_mse_slide_examples_show_every_term_and_the_slides_total(qtbot, controller, key, y, printed):
    panel = show(qtbot, MsePanel(controller, Theme()))
    choose(qtbot, panel, key)
    x = [0.6, 0.4, 0.4, 0.6]
    hand = [(a - b) ** 2 for a, b in zip(x, y, strict=True)]
    assert term_values(panel, 4) == pytest.approx(hand, rel=REL)
    assert number(panel, "totalLabel") == pytest.approx(torch_mse(x, y), rel=REL)
    assert label(panel, "totalLabel").text() == printed
    assert [cell(panel, f"xCell{i}").text() for i in range(4)] == ["0.6", "0.4", "0.4", "0.6"]
    assert [float(cell(panel, f"yCell{i}").text()) for i in range(4)] == y
    assert "(0.6 − " + cell(panel, "yCell0").text() + ")" in label(panel, "termExpression0").text()
    note = label(panel, "slideNoteLabel")
    assert note.isVisible() and "✓" in note.text() and printed in note.text()


def test_mse_editing_a_cell_makes_the_numbers_your_own_and_updates_the_total(qtbot, controller):
    panel = show(qtbot, MsePanel(controller, Theme()))
    choose(qtbot, panel, "slide:good")
    type_into(qtbot, cell(panel, "yCell0"), "0.9")
    assert panel.current_source == "own"
    x, y = [0.6, 0.4, 0.4, 0.6], [0.9, 0.42, 0.36, 0.59]
    assert number(panel, "termValue0") == pytest.approx(0.09, rel=REL)
    assert number(panel, "totalLabel") == pytest.approx(torch_mse(x, y), rel=REL)
    assert not label(panel, "slideNoteLabel").isVisible()  # no longer the slide's numbers
    type_into(qtbot, cell(panel, "xCell3"), "0,1")  # a decimal comma is understood
    x[3] = 0.1
    assert number(panel, "totalLabel") == pytest.approx(torch_mse(x, y), rel=REL)


@pytest.mark.parametrize("bad", ["abc", "nan", "-1", "2", ""])
def test_mse_refuses_bad_typing_with_a_message_and_keeps_the_last_valid_numbers(qtbot, controller, bad):
    panel = show(qtbot, MsePanel(controller, Theme()))
    choose(qtbot, panel, "slide:bad")
    before = panel.numbers
    total = label(panel, "totalLabel").text()
    type_into(qtbot, cell(panel, "xCell1"), bad)
    message = label(panel, "messageLabel")
    assert message.isVisible() and "last valid value is kept" in message.text()
    assert "0 and 1" in message.text() or "number" in message.text()
    assert cell(panel, "xCell1").text() == "0.4"
    assert label(panel, "totalLabel").text() == total
    assert all(np.array_equal(a, b) for a, b in zip(before, panel.numbers, strict=True))
    type_into(qtbot, cell(panel, "xCell1"), "0.5")  # a good value clears the message
    assert not message.isVisible()


def test_mse_live_follows_the_selected_image_and_training(qtbot, controller):
    panel = show(qtbot, MsePanel(controller, Theme()))
    choose(qtbot, panel, "live")
    snapshot = controller.snapshot
    x, y = snapshot.images[0].astype(float), snapshot.reconstructions[0].astype(float)
    assert term_values(panel, 4) == pytest.approx(((x - y) ** 2).tolist(), rel=REL)
    assert number(panel, "totalLabel") == pytest.approx(torch_mse(x, y), rel=REL)
    assert "epoch 0" in label(panel, "sourceInfoLabel").text()
    before = label(panel, "totalLabel").text()

    assert controller.step(1) is None
    assert controller.wait_until_idle()
    snapshot = controller.snapshot
    assert snapshot.epoch == 1 and "epoch 1" in label(panel, "sourceInfoLabel").text()
    x, y = snapshot.images[0].astype(float), snapshot.reconstructions[0].astype(float)
    assert label(panel, "totalLabel").text() != before
    assert number(panel, "totalLabel") == pytest.approx(torch_mse(x, y), rel=REL)

    controller.select_image(5)
    x, y = snapshot.images[5].astype(float), snapshot.reconstructions[5].astype(float)
    assert number(panel, "totalLabel") == pytest.approx(torch_mse(x, y), rel=REL)
    assert "Image 6 of" in label(panel, "sourceInfoLabel").text()


def test_mse_live_says_when_the_model_trains_with_the_other_loss(qtbot, controller):
    panel = show(qtbot, MsePanel(controller, Theme()))
    choose(qtbot, panel, "live")
    assert "trained with this loss" in label(panel, "sourceInfoLabel").text()
    assert controller.change(loss="logloss") is None
    assert "trained with log-loss" in label(panel, "sourceInfoLabel").text()


def test_hovering_a_term_lights_up_its_pixel_everywhere(qtbot, controller):
    panel = show(qtbot, MsePanel(controller, Theme()))
    hover(qtbot, panel.terms.rows[2])
    assert panel.highlighted == 2
    for name in ("xCell2", "yCell2", "termsCell2"):
        assert cell(panel, name).highlighted
    assert not cell(panel, "xCell1").highlighted
    hover(qtbot, cell(panel, "yCell1"))  # and a pixel lights up its term
    assert panel.highlighted == 1 and panel.terms.rows[1].highlighted and not panel.terms.rows[2].highlighted
    assert cell(panel, "termsCell1").highlighted and not cell(panel, "termsCell2").highlighted


# ----- log-loss ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "y", "printed"), [
    ("slide:good", [0.9, 0.1, 0.1, 0.9], "0.421"),
    ("slide:bad", [0.2, 0.8, 0.8, 0.2], "6.438"),
])
def test_log_loss_slide_examples_match_hand_values_and_torch(qtbot, controller, key, y, printed):
    panel = show(qtbot, LogLossPanel(controller, Theme()))
    choose(qtbot, panel, key)
    x = [1.0, 0.0, 0.0, 1.0]
    hand = [-math.log(y[0]), -math.log(1 - y[1]), -math.log(1 - y[2]), -math.log(y[3])]
    assert term_values(panel, 4) == pytest.approx(hand, rel=REL)
    assert number(panel, "totalLabel") == pytest.approx(torch_bce(x, y), rel=REL)
    assert printed in label(panel, "slideNoteLabel").text() and "✓" in label(panel, "slideNoteLabel").text()
    assert label(panel, "termExpression0").text() == f"−ln({y[0]:g})"  # as the slide writes it
    assert label(panel, "termExpression1").text() == f"−ln(1 − {y[1]:g})"


def test_log_loss_curve_shows_the_costliest_pixel_on_its_own_curve(qtbot, controller):
    panel = show(qtbot, LogLossPanel(controller, Theme()))
    choose(qtbot, panel, "slide:bad")
    xs, costs = panel.curve.getData()
    assert panel.curve_pixel == 0  # target 1, output 0.2: the curve is −ln y
    assert np.allclose(costs, -np.log(xs))
    (px,), (py,) = panel.point.getData()
    assert px == pytest.approx(0.2) and py == pytest.approx(-math.log(0.2))
    hover(qtbot, panel.terms.rows[1])  # target 0: the curve becomes −ln(1 − y)
    xs, costs = panel.curve.getData()
    assert np.allclose(costs, -np.log(1 - xs))
    assert "top-right" in label(panel, "costCurveLabel").text()


def test_log_loss_explains_the_clamp_for_an_output_of_exactly_zero(qtbot, controller):
    panel = show(qtbot, LogLossPanel(controller, Theme()))
    choose(qtbot, panel, "slide:good")
    assert not label(panel, "notesLabel").isVisible()
    type_into(qtbot, cell(panel, "yCell0"), "0")  # target 1, output 0: −ln 0 would be infinite
    notes = label(panel, "notesLabel")
    assert notes.isVisible() and "1e-7" in notes.text() and "row 1, column 1" in notes.text()
    assert number(panel, "termValue0") == pytest.approx(-math.log(1e-7), rel=REL)
    assert "10⁻⁷" in label(panel, "termExpression0").text()
    total = -math.log(1e-7) - math.log(0.9) - 2 * math.log(1 - 0.1)
    assert number(panel, "totalLabel") == pytest.approx(total, rel=REL)


@pytest.mark.parametrize("bad", ["x", "NaN", "-1", "2"])
def test_log_loss_refuses_bad_typing_and_keeps_the_last_valid_numbers(qtbot, controller, bad):
    panel = show(qtbot, LogLossPanel(controller, Theme()))
    choose(qtbot, panel, "slide:good")
    type_into(qtbot, cell(panel, "yCell2"), bad)
    assert label(panel, "messageLabel").isVisible()
    assert cell(panel, "yCell2").text() == "0.1"
    assert label(panel, "totalLabel").text() == "0.4214"


def test_log_loss_live_changes_after_a_training_step(qtbot, controller):
    panel = show(qtbot, LogLossPanel(controller, Theme()))
    choose(qtbot, panel, "live")
    controller.select_image(2)
    assert "trained with mean squared error" in label(panel, "sourceInfoLabel").text()
    before = label(panel, "totalLabel").text()
    controller.step(1)
    controller.wait_until_idle()
    s = controller.snapshot
    assert label(panel, "totalLabel").text() != before
    assert number(panel, "totalLabel") == pytest.approx(torch_bce(s.images[2].astype(float),
                                                                  s.reconstructions[2].astype(float)), rel=REL)


def test_live_panels_render_at_most_ten_times_a_second_while_training_and_never_when_hidden(qtbot, controller):
    panel = show(qtbot, MsePanel(controller, Theme()))
    hidden = MsePanel(controller, Theme())
    qtbot.addWidget(hidden)
    choose(qtbot, panel, "live")
    hidden.set_source("live")
    renders, snapshots, hidden_renders = [], [], []
    panel.render_live = lambda original=panel.render_live: (renders.append(1), original())
    hidden.render_live = lambda original=hidden.render_live: (hidden_renders.append(1), original())
    controller.snapshotChanged.connect(lambda s: snapshots.append(s.epoch))
    controller.step(1)  # the first epoch imports torch's optimisers: seconds on a busy machine
    assert controller.wait_until_idle(timeout=60)
    renders.clear(), snapshots.clear()
    clock = __import__("time").perf_counter
    # the training thread's pace depends on the machine: add bursts of ten snapshots every 20 ms
    # as well, so the panel gets far more than ten a second to throttle even on a busy machine
    from PySide6.QtCore import QTimer
    extra = QTimer()
    extra.timeout.connect(lambda: [controller.snapshotChanged.emit(controller.snapshot) for _ in range(10)])
    start = clock()
    controller.play()
    extra.start(20)
    qtbot.waitUntil(lambda: len(snapshots) >= 150, timeout=20000)
    extra.stop()
    controller.pause()
    assert controller.wait_until_idle()
    seconds = clock() - start
    assert len(renders) <= seconds * 10 + 3 < len(snapshots) + 3
    assert not hidden_renders
    s = controller.snapshot  # the last snapshot is shown once training stops
    assert f"after epoch {s.epoch}:" in label(panel, "sourceInfoLabel").text()
    hidden.show()  # a panel shown later catches up at once
    assert hidden_renders and f"after epoch {s.epoch}:" in label(hidden, "sourceInfoLabel").text()


def test_an_output_that_is_not_a_number_is_explained_not_crashed_on(qtbot, controller, monkeypatch):
    panel = show(qtbot, LogLossPanel(controller, Theme()))
    choose(qtbot, panel, "live")
    shown = label(panel, "totalLabel").text()
    good = controller.snapshot
    bad = dataclasses.replace(good, reconstructions=np.full_like(good.reconstructions, np.nan))
    monkeypatch.setattr(TrainingController, "snapshot", property(lambda self: bad))
    controller.selectionChanged.emit(0)
    assert "cannot be worked through" in label(panel, "sourceInfoLabel").text()
    assert "finite" in label(panel, "sourceInfoLabel").text()
    assert label(panel, "totalLabel").text() == shown  # the last valid numbers stay


def test_panels_can_be_set_up_from_code_for_the_lesson_path(qtbot, controller):
    panel = show(qtbot, MsePanel(controller, Theme()))
    assert panel.source_keys() == ["slide:good", "slide:bad", "live", "own"]
    panel.set_source("slide:bad")
    assert label(panel, "totalLabel").text() == "0.8625"
    assert panel.set_own([[1, 0], [0, 1]], [[0.5, 0.5], [0.5, 0.5]]) is None
    assert panel.current_source == "own" and number(panel, "totalLabel") == pytest.approx(1.0)
    assert "between 0 and 1" in panel.set_own([[1, 0], [0, 1]], [[1.5, 0.5], [0.5, 0.5]])
    assert number(panel, "totalLabel") == pytest.approx(1.0)  # refused: the last valid numbers stay
    with pytest.raises(ValueError, match="Unknown source"):
        panel.set_source("slide:ugly")
