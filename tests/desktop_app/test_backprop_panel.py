"""Backpropagation made visible, driven through the real workbench: a weight clicked on
the diagram, its chain rule read off the panel and checked against torch.autograd; loss
and model switched in the controls; the slow-motion step's four stages and the session
it leaves behind; the gradient layer's edges; a diverged state."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from backprop_reference import product, torch_pass, torch_references, walk
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from workbench_helpers import choose, wait_idle

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.formatting import parse_shown
from desktop_app.slow_motion import IDLE
from desktop_app.theme import Theme
from desktop_app.workbench_window import WorkbenchWindow
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.lecture.backprop import parse_key
from engine.lecture.step_state import next_step_state

SHOWN = 2e-3  # four significant digits on screen


@pytest.fixture
def bench(qtbot):
    torch.set_num_threads(1)
    controller = TrainingController(TrainingConfig(seed=2))
    window = WorkbenchWindow(controller, Theme())
    window.controls.confirm_discard = lambda _question: True
    window.resize(1600, 1000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_panel("backpropPanel")
    yield window
    controller.shutdown()


def train(qtbot, bench, epochs: int) -> None:
    assert bench.controller.step(epochs) is None
    wait_idle(qtbot, bench.controller, timeout=60_000)


def click_parameter(qtbot, bench, key: str) -> None:
    """Click the diagram where ``key`` is drawn: somewhere along its edge, or its node."""
    diagram = bench.page.diagram
    edge = diagram.weight_edges().get(key)
    if edge is not None:
        points = [edge.path().pointAtPercent(t / 20) for t in range(2, 19)]
    else:
        index = int(key.split("[")[1].rstrip("]"))
        nodes = diagram.output_nodes if key.startswith("decoder") else diagram.latent_units
        box = nodes[index].sceneBoundingRect()
        points = [box.center(), box.center() + (box.topLeft() - box.center()) * 0.6,
                  box.center() + (box.bottomLeft() - box.center()) * 0.6]
    for scene_point in points:
        view_point = diagram.mapFromScene(scene_point)
        if diagram.parameter_at(diagram.mapToScene(view_point)) == key:
            qtbot.mouseClick(diagram.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(view_point))
            return
    raise AssertionError(f"{key} cannot be found on the diagram")


def shown(panel, name: str) -> float:
    label = panel.findChild(QLabel, name)
    assert label is not None and label.isVisibleTo(panel), name
    return parse_shown(label.text())


def near(value: float, expected: float) -> bool:
    return value == pytest.approx(expected, rel=SHOWN, abs=1e-9)


def all_text(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget))


def step_state(controller):
    """The next step's state worked out here, independently of the window: from a session
    rebuilt in this process out of the window's mirror (the host holds the real one)."""
    return next_step_state(TrainingSession.from_record(controller.session))


def check_chain_rule_on_screen(bench, key: str) -> None:
    """Every factor, every path's product, every sum, the image's and the batch's
    gradient shown in the panel, against torch.autograd."""
    panel = bench.backprop.panel
    controller = bench.controller
    state = step_state(controller)
    n = controller.selected_index
    refs = torch_references(state, n)
    one, batch = torch_pass(state, n), torch_pass(state, slice(None))
    tensor, index = parse_key(key, state.config.model)
    rule = panel.breakdown.chain_rule(key, n)  # only for the layout: which symbol sits where
    for k, factor in enumerate(rule.factors):
        assert near(shown(panel, f"factorValue:{k}"), refs[factor.symbol]), factor.symbol

    def check(factors, prefix):
        for k, factor in enumerate(factors):
            path = f"{prefix}/{k}" if prefix else str(k)
            if factor.terms:
                assert near(shown(panel, f"sumValue:{path}"), refs[factor.symbol])
                for t, term in enumerate(factor.terms):
                    values = [refs[f.symbol] for f in term.factors]
                    for j, inner in enumerate(term.factors):
                        assert near(shown(panel, f"factorValue:{path}/{t}/{j}"), refs[inner.symbol]), inner.symbol
                    assert near(shown(panel, f"termValue:{path}/{t}"), product(values))
                    check(term.factors, f"{path}/{t}")

    check(rule.factors, "")
    expected = float(one["params"][tensor].grad[index])
    assert near(shown(panel, "gradientValue"), expected)
    assert near(shown(panel, "imageGradientValue"), expected)
    assert near(shown(panel, "batchGradientValue"), float(batch["params"][tensor].grad[index]))
    assert near(product(refs[f.symbol] for f in rule.factors), expected)
    assert all(f.symbol in refs for top in rule.factors for f in walk(top))


@pytest.mark.parametrize(("model", "keys"), [
    ("ae", ["decoder.weight[1,0]", "encoder.weight[0,2]", "decoder.bias[3]", "encoder.bias[1]"]),
    ("dae", ["encoder.weight[1,3]"]),
    ("vae", ["encoder_mu.weight[0,1]", "encoder_log_var.weight[1,2]", "decoder.weight[2,1]",
             "encoder_log_var.bias[0]"]),
])
def test_a_weight_clicked_on_the_diagram_shows_its_chain_rule_with_torchs_numbers(qtbot, bench, model, keys):
    if model != "ae":
        choose(bench.controls.model_selector, model)
    train(qtbot, bench, 6)
    bench.controller.select_image(3)
    panel = bench.backprop.panel
    for key in keys:
        click_parameter(qtbot, bench, key)
        assert panel.parameter == key
        assert panel.parameter_combo.currentData() == key
        check_chain_rule_on_screen(bench, key)
    if model == "vae":
        text = all_text(panel)
        assert "ε, drawn from N(0, 1) this step" in text and "∂KL/∂μ = μ" in text
        state = step_state(bench.controller)
        latent = panel.findChild(QLabel, "latentTable").text()
        assert fmt.result(float(state.eps[3, 0])) in latent and fmt.result(float(state.eps[3, 1])) in latent


def test_switching_the_loss_and_the_model_renews_the_breakdown(qtbot, bench):
    panel = bench.backprop.panel
    train(qtbot, bench, 3)
    panel.select_parameter("decoder.weight[0,1]")
    assert "∂L/∂y = 2(y − x)" in all_text(panel)
    choose(bench.controls.loss_selector, "logloss")
    qtbot.waitUntil(lambda: "(y − x) / (y(1 − y))" in all_text(panel))
    check_chain_rule_on_screen(bench, "decoder.weight[0,1]")
    state = step_state(bench.controller)
    batch = torch_pass(state, slice(None))
    assert near(shown(panel, "batchLossValue"), float(batch["loss"].detach()))

    choose(bench.controls.model_selector, "vae")
    qtbot.waitUntil(lambda: panel.parameter_combo.findData("encoder_log_var.weight[0,0]") >= 0)
    assert panel.parameter == "decoder.weight[0,1]"  # a decoder weight exists in both models
    train(qtbot, bench, 2)
    click_parameter(qtbot, bench, "encoder_log_var.weight[0,0]")
    check_chain_rule_on_screen(bench, "encoder_log_var.weight[0,0]")
    assert "KL of image" in all_text(panel)


def test_the_update_shown_is_the_one_the_next_step_makes(qtbot, bench):
    panel = bench.backprop.panel
    train(qtbot, bench, 4)
    key = "decoder.weight[3,1]"
    panel.select_parameter(key)
    adam = {name: shown(panel, f"{name}Value") for name in ("weightNow", "newWeight", "updateDelta", "plainStep")}
    assert "running mean" in all_text(panel) and panel.findChild(QLabel, "updateReading").text()
    train(qtbot, bench, 1)
    tensor, index = parse_key(key, "ae")
    assert near(adam["newWeight"], float(bench.controller.snapshot.params[tensor][index]))
    assert near(adam["weightNow"] + adam["updateDelta"], adam["newWeight"])

    choose(bench.controls.optimizer_selector, "sgd")
    train(qtbot, bench, 2)
    panel.select_parameter(key)
    before, after = shown(panel, "weightNowValue"), shown(panel, "newWeightValue")
    rate = bench.controller.config.learning_rate
    assert near(after, before - rate * shown(panel, "batchGradientValue"))
    train(qtbot, bench, 1)
    assert near(after, float(bench.controller.snapshot.params[tensor][index]))


def test_gradient_layer_draws_edges_thicker_the_larger_the_gradient(qtbot, bench):
    train(qtbot, bench, 5)
    diagram, bar = bench.page.diagram, bench.backprop.bar
    weights_widths = {k: e.pen().widthF() for k, e in diagram.weight_edges().items()}
    qtbot.mouseClick(bar.gradient_toggle, Qt.MouseButton.LeftButton)
    assert bar.gradient_toggle.isChecked() and bench.backprop.layer.enabled
    state = step_state(bench.controller)
    grads = torch_pass(state, slice(None))["params"]
    magnitude, width = {}, {}
    for key, edge in diagram.weight_edges().items():
        tensor, index = parse_key(key, "ae")
        g = float(grads[tensor].grad[index])
        magnitude[key], width[key] = abs(g), edge.pen().widthF()
        colour = diagram.theme.positive if g >= 0 else diagram.theme.negative
        assert edge.pen().color().rgb() == colour.rgb(), key
    keys = list(magnitude)
    for a in keys:
        for b in keys:
            if magnitude[a] < magnitude[b] * (1 - 1e-6):
                assert width[a] <= width[b], (a, b)
    assert max(width.values()) > 3 * min(width.values())
    assert width != weights_widths
    assert "∂L/∂w" in bench.backprop.layer._key_item.text()
    qtbot.mouseClick(bar.gradient_toggle, Qt.MouseButton.LeftButton)
    assert {k: e.pen().widthF() for k, e in diagram.weight_edges().items()} == weights_widths


def test_slow_motion_plays_four_stages_and_leaves_the_session_as_a_normal_step(qtbot, bench):
    train(qtbot, bench, 3)
    tools = bench.backprop
    stages: list[tuple[int, str]] = []
    tools.slow.stageChanged.connect(lambda stage, caption: stages.append((stage, caption)))
    twin = TrainingController(TrainingConfig(seed=2))
    assert twin.step(4) is None
    twin.wait_until_idle(30)

    qtbot.mouseClick(tools.bar.start_button, Qt.MouseButton.LeftButton)
    assert tools.slow.stage == 0 and tools.highlight.lit == ["inputs"]
    qtbot.waitUntil(lambda: tools.highlight.lit == ["inputs", "latent", "outputs"], timeout=3000)
    assert bench.controller.session.epoch == 3  # nothing trained yet
    qtbot.mouseClick(tools.bar.next_button, Qt.MouseButton.LeftButton)
    assert tools.highlight.lit == ["outputs"] and tools.highlight.items
    qtbot.mouseClick(tools.bar.next_button, Qt.MouseButton.LeftButton)
    assert tools.layer.showing and not tools.layer.enabled  # the backward stage draws gradients
    assert tools.highlight.note.startswith(tools.panel.breakdown.chain_rule(tools.panel.parameter, 0).name)
    tools.highlight.finish_sweep()
    assert tools.highlight.lit == ["outputs", "decoder edges", "latent", "encoder edges", "inputs"]
    assert bench.controller.session.epoch == 3
    qtbot.mouseClick(tools.bar.next_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, bench.controller, timeout=60_000)
    qtbot.waitUntil(lambda: "exactly as Step 1 epoch" in tools.bar.caption.text())
    assert not tools.layer.showing
    assert [s for s, _c in stages] == [0, 1, 2, 3, 3]
    assert [c.split(" · ")[1].split(":")[0] for _s, c in stages[:4]] == ["Forward", "Loss", "Backward", "Update"]
    session = bench.controller.session
    assert session.epoch == twin.session.epoch == 4
    for name, values in twin.session.latest.params.items():
        np.testing.assert_array_equal(session.latest.params[name], values)
    qtbot.mouseClick(tools.bar.next_button, Qt.MouseButton.LeftButton)
    assert tools.slow.stage == IDLE and not tools.highlight.items
    twin.shutdown()


def test_pausing_a_slow_step_mid_stage_and_continuing_ends_where_a_normal_step_does(qtbot, bench):
    choose(bench.controls.model_selector, "vae")
    train(qtbot, bench, 2)
    tools = bench.backprop
    twin = TrainingController(TrainingConfig(model="vae", seed=2))
    assert twin.step(3) is None
    twin.wait_until_idle(30)
    qtbot.mouseClick(tools.bar.auto_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tools.bar.start_button, Qt.MouseButton.LeftButton)
    assert tools.slow.auto
    qtbot.waitUntil(lambda: tools.slow.stage == 1, timeout=3000)  # about a second a stage
    qtbot.mouseClick(tools.bar.auto_check, Qt.MouseButton.LeftButton)  # pause in the loss stage
    qtbot.wait(1500)
    assert tools.slow.stage == 1 and bench.controller.session.epoch == 2
    tools.slow.advance()  # a lesson path's → or PageDown
    tools.slow.advance()
    wait_idle(qtbot, bench.controller, timeout=60_000)
    assert bench.controller.session.epoch == 3
    for name, values in twin.session.latest.params.items():
        np.testing.assert_array_equal(bench.controller.session.latest.params[name], values)
    twin.shutdown()


def test_pressing_play_during_a_slow_step_ends_it_without_a_second_step(qtbot, bench):
    tools = bench.backprop
    tools.slow.start()
    tools.slow.advance()
    assert bench.controller.step(1) is None  # the ordinary Step 1 epoch, pressed mid-way
    wait_idle(qtbot, bench.controller, timeout=60_000)
    assert tools.slow.stage == IDLE and bench.controller.session.epoch == 1


def test_a_diverged_state_shows_a_message_and_never_nan(qtbot, bench):
    bench.controller.new_session(TrainingConfig(model="vae", optimizer="sgd", learning_rate=2.0, beta=100.0))
    panel, tools = bench.backprop.panel, bench.backprop
    messages: list[str] = []
    bench.controller.diverged.connect(messages.append)
    assert bench.controller.step(20) is None
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    wait_idle(qtbot, bench.controller, timeout=60_000)
    message = panel.findChild(QLabel, "backpropMessage")
    qtbot.waitUntil(lambda: message.isVisible())
    assert "diverges here" in message.text()
    assert "nan" not in all_text(panel).lower()
    assert not panel.sections.isVisible()
    qtbot.mouseClick(tools.bar.gradient_toggle, Qt.MouseButton.LeftButton)
    assert tools.layer.note and "nan" not in tools.layer._key_item.text().lower()
    assert all(e.gradient is None for e in bench.page.diagram.weight_edges().values())
    qtbot.mouseClick(tools.bar.start_button, Qt.MouseButton.LeftButton)
    assert tools.slow.stage == IDLE and "diverges here" in tools.bar.caption.text()


def test_panel_is_registered_beside_the_others(bench):
    panel = bench.findChild(QLabel, "backpropInfo").parent()
    assert bench.docks["backpropPanel"].widget() is not None
    assert bench.backprop.panel.objectName() == "backpropPanel" == bench.backprop.panel.accessibleName()
    assert "Image 1 of 24" in panel.findChild(QLabel, "backpropInfo").text()
