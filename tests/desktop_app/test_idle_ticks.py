"""Between the epochs of a slow run the controller's frame timer is off: a paced run (a
lesson's few epochs a second) or a case study's (seconds an epoch) wakes the window when
an epoch arrives, not ~60 times a second for nothing. Counted in passes of the event loop
(the dispatcher's ``awake`` signal), never with a clock; and every epoch is still shown."""

from __future__ import annotations

import pytest

from tests.desktop_app.controller_helpers import controller_for
from tests.desktop_app.event_counter import Turns

EPOCHS_PER_SECOND = 4


@pytest.fixture
def controller():
    yield from controller_for(epochs=1)


def test_a_paced_run_wakes_the_window_per_epoch_not_per_tick(controller, qtbot):
    shown = []
    controller.snapshotChanged.connect(lambda s: shown.append(s.epoch))
    assert controller.set_speed(EPOCHS_PER_SECOND) is None
    assert controller.set_stop_at(epoch=8) is None
    turns = Turns()
    with qtbot.waitSignal(controller.runningChanged, check_params_cb=lambda on: not on, timeout=15_000):
        controller.play()  # waited for in a plain event loop: no polling of its own
    epochs = controller.latest_epoch - 1
    assert epochs == 7
    # Each epoch is drawn as it arrives, the last one included. Two that arrive together
    # (a loaded machine lets the paced host fall behind and catch up) share one frame, so
    # not every epoch need have its own; without the wake-up only the last would.
    drawn = set(shown) & set(range(2, 9))
    assert shown[-1] == 8 and len(drawn) >= 5, shown
    # Ticking all along: one pass every 16 ms, about 15 an epoch at 4 epochs a second. Woken
    # by each epoch: its arrival, the frame's tick, and the tick that finds nothing to do.
    assert turns.count / epochs < 8, f"{turns.count} passes of the event loop for {epochs} epochs"


def test_a_view_waiting_for_a_second_half_is_drawn_between_epochs(controller, qtbot):
    """A second half asked for while the timer is off (the run is between epochs) still
    comes, without waiting for the next epoch."""
    assert controller.set_speed(0.5) is None  # an epoch every two seconds
    controller.play()
    qtbot.waitUntil(lambda: controller.latest_epoch >= 2, timeout=15_000)
    qtbot.wait(100)  # the epoch's frame is drawn; the timer is off until the next one
    drawn = []
    controller.draw_later(object(), lambda: drawn.append(controller.snapshot.epoch))
    qtbot.waitUntil(lambda: bool(drawn), timeout=1_000)
    assert drawn == [2]
    controller.pause()
    controller.wait_until_idle()
