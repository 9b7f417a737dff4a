"""A run's last epoch is drawn over several turns of the event loop, not in one, and the
run ends for the views (``running``, ``runningChanged(False)``) only once all of it is
drawn. Drawn in one turn, the end of a case study's run held its window 25 to 45 ms of
CPU (issue 15). Turns are counted with the event dispatcher's ``awake`` signal (one per
pass of the event loop), never with a clock."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import torch
from case_study_helpers import shown_denoising_study
from event_counter import Turns

from desktop_app.case_studies import denoising_study
from desktop_app.case_studies.drawing_turns import draw_in_turns
from desktop_app.controller import END_TICKS, TrainingController
from desktop_app.frames.scheduler import HALF_FRAME_BUDGET_S, FrameScheduler
from engine.core.config import TrainingConfig

SMALL_DAE = TrainingConfig(dataset="mnist", model="dae", latent_dim=8, batch_size=250, loss="logloss",
                           learning_rate=2e-3, noise_type="gaussian", noise_level=0.5, seed=3)
PARTS = ("table", "psnr", "loss", "drawing")  # the denoising study's parts, in the order it draws them


class Log:
    """What drew, in which turn, at which epoch, and whether the run was still on."""

    def __init__(self, controller: TrainingController) -> None:
        self.controller = controller
        self.turns = Turns()
        self.rows: list[tuple[str, int, int, bool]] = []  # (part, epoch shown, turn, running)

    def note(self, part: str) -> None:
        self.rows.append((part, self.controller.snapshot.epoch, self.turns.count, self.controller.running))

    def per_turn(self, parts: tuple[str, ...]) -> Counter:
        return Counter(turn for part, _epoch, turn, _running in self.rows if part in parts)


# ----- the scheduler -------------------------------------------------------------------------
def test_a_runs_last_half_draws_every_view_due_or_not_within_the_halfs_budget():
    now = [0.0]
    frames = FrameScheduler(clock=lambda: now[0])
    drawn: list[str] = []

    def view(name: str):
        def draw() -> None:
            drawn.append(name)
            now[0] += HALF_FRAME_BUDGET_S * 0.6  # each view costs most of a half's budget
        return draw

    for name in "abcd":
        frames.draw_later(name, view(name), every_s=0.0, running=False)  # drawn at once: now they are not due
    drawn.clear()
    for name in "abcd":
        frames.draw_later(name, view(name), every_s=60.0, running=True)
    assert not frames.draw_second_half()  # none due for another minute
    halves = []
    while frames.waiting:
        frames.draw_second_half(everything=True)
        halves.append("".join(drawn))
        drawn.clear()
    assert halves == ["ab", "cd"]  # every one drawn, two per half: the second past the budget ends the half
    for name in "abcd":
        frames.draw_later(name, view(name), every_s=60.0, running=True)
    frames.draw_second_half(everything=True, at_once=True)  # a script waiting for the end
    assert drawn == list("abcd") and not frames.waiting


# ----- the controller ------------------------------------------------------------------------
def test_the_last_epoch_is_drawn_part_by_part_and_the_run_ends_after_its_last_part(qtbot):
    torch.set_num_threads(1)
    controller = TrainingController(TrainingConfig())
    log = Log(controller)

    def costly(name: str):
        def draw() -> None:
            time.sleep(HALF_FRAME_BUDGET_S * 1.2)  # alone past a half's budget
            log.note(name)
        return draw

    def on_snapshot(_snapshot) -> None:
        draw_in_turns(controller, "chain", [(name, lambda name=name: log.note(name)) for name in PARTS])
        for name in ("map", "curves", "grid"):  # throttled views: not due at the end, drawn all the same
            controller.draw_later(name, costly(name), every_s=60.0)

    controller.snapshotChanged.connect(on_snapshot)
    ended: dict[str, int] = {}
    controller.runningChanged.connect(lambda running: None if running else ended.update(
        {part: epoch for part, epoch, _turn, _running in log.rows}))
    try:
        with qtbot.waitSignal(controller.runningChanged, timeout=30_000, check_params_cb=lambda r: r is False):
            assert controller.step(200) is None
        last = controller.session.latest.epoch
        assert last == 200 and controller.snapshot.epoch == 200 and not controller.running
        # when the run ended for the views, every part and view had drawn its last epoch
        assert ended == {name: last for name in (*PARTS, "map", "curves", "grid")}
        assert all(running for *_rest, running in log.rows)  # all of it while the run was still on
        # ...and never two chained parts, or two costly views, in one turn of the event loop
        assert max(log.per_turn(PARTS).values()) == 1
        assert max(log.per_turn(("map", "curves", "grid")).values()) == 1
        drawn_last = [row for row in log.rows if row[1] == last]
        assert len({turn for _part, _epoch, turn, _running in drawn_last}) >= len(PARTS)
        assert set(Counter(part for part, *_rest in drawn_last).values()) == {1}  # the last epoch drawn once
    finally:
        controller.shutdown()


def test_a_step_asked_for_while_the_end_is_drawn_draws_the_rest_and_runs(qtbot):
    """The Step key held down: the next run is not lost to the last ticks of the previous."""
    torch.set_num_threads(1)
    controller = TrainingController(TrainingConfig())
    drawn: list[int] = []
    controller.snapshotChanged.connect(lambda _s: draw_in_turns(controller, "chain", [
        (name, lambda: drawn.append(controller.snapshot.epoch)) for name in PARTS]))
    try:
        assert controller.step(3) is None
        controller.host.process_messages(until=lambda: controller._ending is not None, timeout=10)
        assert controller.running  # the host's run is over; its last epoch is not drawn yet
        assert controller.step(2) is None
        assert drawn[-len(PARTS):] == [3] * len(PARTS)  # the first run's end, drawn before the next began
        assert controller.wait_until_idle(10) and controller.snapshot.epoch == 5
        assert drawn[-len(PARTS):] == [5] * len(PARTS)
    finally:
        controller.shutdown()


# ----- a case study, drawn for real ----------------------------------------------------------
@pytest.fixture
def study(qapp):
    with shown_denoising_study(SMALL_DAE) as widget:
        yield widget


def test_the_denoising_studys_last_epoch_is_drawn_one_part_per_turn_then_the_run_ends(study, qtbot, monkeypatch):
    controller = study.controller
    log = Log(controller)
    for name, method in zip(PARTS[1:], ("_render_psnr", "_render_loss_curve", "render_drawing"), strict=True):
        real = getattr(study, method)
        monkeypatch.setattr(study, method, lambda *args, real=real, name=name: (log.note(name), real(*args)))
    show_held_out = denoising_study.show_held_out
    monkeypatch.setattr(denoising_study, "show_held_out",
                        lambda table, figures: (log.note("table"), show_held_out(table, figures)))
    with qtbot.waitSignal(controller.runningChanged, timeout=120_000, check_params_cb=lambda r: r is False):
        assert study.step(1) is None
    snapshot = controller.snapshot
    assert snapshot.epoch == 1 and snapshot is controller.session.latest
    last = [(part, turn, running) for part, epoch, turn, running in log.rows if epoch == 1]
    assert [part for part, _turn, _running in last] == list(PARTS)  # each part drew the last epoch...
    assert len({turn for _part, turn, _running in last}) == len(PARTS)  # ...in a turn of its own...
    assert all(running for _part, _turn, running in last)  # ...before the run ended for the views
    # what the learner sees once the run has ended: the last epoch everywhere
    assert f"Epoch {snapshot.epoch} " in study.headline.text()
    rows = study.figures.rows
    assert (study.table.images[:, 2] == snapshot.reconstructions[rows]).all()
    assert list(study.loss_plot.curves["loss"].getData()[0]) == [1]
    assert list(study.psnr_plot.curves["network"].getData()[0]) == [0, 1]  # the untrained network, then epoch 1
    assert study.run_controls.epoch_label.text() == "epoch 1" and study.run_controls.play_button.text() == "Play"


def test_a_view_that_keeps_asking_cannot_keep_the_run_from_ending(qtbot):
    """A view asking again from its own drawing would leave the Play button on Pause for
    ever: after END_TICKS ticks the end is drawn at once and the run ends."""
    torch.set_num_threads(1)
    controller = TrainingController(TrainingConfig())
    drawn: list[int] = []

    def restless() -> None:
        drawn.append(controller.snapshot.epoch)
        if controller.running:  # asks again every time while the run is on (an animation)
            controller.draw_later("restless", restless)

    controller.snapshotChanged.connect(lambda _s: controller.draw_later("restless", restless))
    try:
        with qtbot.waitSignal(controller.runningChanged, timeout=30_000, check_params_cb=lambda r: r is False):
            assert controller.step(20) is None
        assert not controller.running and drawn[-1] == 20
        assert drawn.count(20) >= END_TICKS  # it was drawn over the ticks until the bound
    finally:
        controller.shutdown()
