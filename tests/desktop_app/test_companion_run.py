"""The companion-run rule (``desktop_app.companion_run``): a second model trains on to
its leader's epoch, waits while it runs, and looks back with the leader if asked.
First with plain stand-ins for the controllers (the rule needs no Qt), then with two
real controllers training the lecture's models."""

from types import SimpleNamespace

import pytest

from desktop_app.companion_run import CompanionRun
from desktop_app.controller import TrainingController
from engine.core.config import TrainingConfig


class StandIn:
    """A controller's surface as the rule sees it: epochs trained, epochs stored, shown."""

    def __init__(self, epoch: int = 0, stored: tuple[int, ...] = (0,), shown: int | None = None) -> None:
        self.stored = sorted({*stored, epoch})
        self.latest_epoch = epoch
        self.shown = epoch if shown is None else shown
        self.running = False
        self.steps: list[int] = []
        self.looks: list[int] = []
        self.refusal: str | None = None

    def stored_snapshot_at(self, epoch: int) -> SimpleNamespace:
        return SimpleNamespace(epoch=max(e for e in self.stored if e <= epoch))

    @property
    def snapshot(self) -> SimpleNamespace:
        return SimpleNamespace(epoch=self.shown)

    def step(self, epochs: int = 1) -> str | None:
        if self.refusal is None:
            self.steps.append(epochs)
            self.running = True
        return self.refusal

    def show_epoch(self, epoch: int) -> None:
        self.looks.append(epoch)
        self.shown = self.stored_snapshot_at(epoch).epoch


def test_a_companion_behind_trains_on_to_the_leaders_epoch():
    leader, companion = StandIn(12), StandIn(5)
    assert CompanionRun(leader, companion).keep_up() == 12
    assert companion.steps == [7] and companion.looks == []


def test_a_running_companion_is_left_alone_until_its_run_ends():
    leader, companion = StandIn(12), StandIn(5)
    run = CompanionRun(leader, companion)
    run.keep_up()
    leader.latest_epoch = 20
    assert run.keep_up() is None and companion.steps == [7]  # still on its first run
    companion.running, companion.latest_epoch = False, 12
    assert run.keep_up() == 20 and companion.steps == [7, 8]


def test_during_a_run_both_train_side_by_side_to_its_end():
    leader, companion = StandIn(3), StandIn(3)
    run = CompanionRun(leader, companion)
    assert run.target(30) == 30
    assert run.keep_up(run_target=30) == 30 and companion.steps == [27]


def test_the_newest_epoch_leads_unless_the_companion_looks_back_with_the_leader():
    leader = StandIn(50, stored=(0, 10, 20, 50), shown=20)  # the learner looks at epoch 20
    assert CompanionRun(leader, StandIn()).target() == 50
    assert CompanionRun(leader, StandIn(), looks_back=True).target() == 20


@pytest.mark.parametrize("looks_back", [True, False])
def test_a_companion_ahead_looks_back_only_when_asked(looks_back):
    leader = StandIn(40, stored=(0, 10, 20, 40), shown=25)  # the companion trained further
    companion = StandIn(50, stored=(0, 16, 24, 32, 50))
    assert CompanionRun(leader, companion, looks_back=looks_back).keep_up() is None
    assert companion.steps == []
    assert (companion.looks, companion.shown) == (([25], 24) if looks_back else ([], 50))


def test_a_companion_already_showing_the_right_epoch_is_not_redrawn():
    leader, companion = StandIn(50, stored=(0, 50), shown=25), StandIn(50, stored=(0, 24, 50), shown=24)
    CompanionRun(leader, companion, looks_back=True).keep_up()
    assert companion.looks == []


def test_a_refused_run_is_not_reported_as_training():
    leader, companion = StandIn(12), StandIn(5)
    companion.refusal = "The number of epochs must be ..."
    assert CompanionRun(leader, companion).keep_up() is None


def test_two_real_controllers_stay_in_step(qtbot):
    leader = TrainingController(TrainingConfig(model="vae", seed=4))
    companion = TrainingController(TrainingConfig(model="ae", seed=4))
    run = CompanionRun(leader, companion, looks_back=True)
    try:
        leader.step(300)
        qtbot.waitUntil(lambda: not leader.running and leader.snapshot.epoch == 300, timeout=30000)
        assert run.keep_up() == 300
        qtbot.waitUntil(lambda: not companion.running and companion.snapshot.epoch == 300, timeout=30000)
        leader.show_epoch(150)  # the learner drags the timeline back
        assert run.keep_up() is None
        assert companion.snapshot.epoch == companion.stored_snapshot_at(leader.snapshot.epoch).epoch <= 150
        assert companion.latest_epoch == 300  # looking back trains nothing and forgets nothing
    finally:
        leader.shutdown()
        companion.shutdown()
