"""What keeps a case study's epoch from stalling the window: its slow parts drawn one per
second half of a frame (``draw_in_turns``), the run's progress bar painted with the
frame instead of at once, the digit tiles converted in one step. No training here."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget

from desktop_app.case_studies.digit_grid import DigitMosaic, DigitTable, digit_qimage, digit_qimages
from desktop_app.case_studies.drawing_turns import draw_in_turns
from desktop_app.case_studies.progress import RunControls
from desktop_app.frames.scheduler import FrameScheduler
from desktop_app.theme import Theme
from engine.digits.study_figures import RunProgress
from tests.desktop_app.event_counter import EventCounter


class Frames:
    """What ``draw_in_turns`` needs of a controller: ``draw_later`` on a real scheduler."""

    def __init__(self, running: bool = True) -> None:
        self.scheduler = FrameScheduler(clock=lambda: 0.0)
        self.running = running

    def draw_later(self, view, draw, every_s: float = 0.0) -> None:
        self.scheduler.draw_later(view, draw, every_s, self.running)


def steps(drawn: list[str], names: str) -> list:
    return [(name, lambda name=name: drawn.append(name)) for name in names]


def test_while_training_each_step_draws_in_a_second_half_of_its_own_in_order():
    frames, drawn = Frames(), []
    draw_in_turns(frames, "study", steps(drawn, "abcd"))
    assert drawn == []  # nothing in the first half
    halves = []
    for _ in range(6):
        frames.scheduler.draw_second_half()
        halves.append("".join(drawn))
        drawn.clear()
    assert halves == ["a", "b", "c", "d", "", ""]


def test_a_newer_epoch_restarts_the_chain_and_nothing_is_drawn_twice_in_one_half():
    frames, drawn = Frames(), []
    draw_in_turns(frames, "study", steps(drawn, "abc"))
    frames.scheduler.draw_second_half()
    assert drawn == ["a"]
    draw_in_turns(frames, "study", steps(drawn, "abc"))  # the next epoch arrives while b waits
    halves = []
    for _ in range(4):
        drawn.clear()
        frames.scheduler.draw_second_half()
        halves.append("".join(drawn))
    assert halves == ["a", "b", "c", ""]  # the waiting b was replaced: the new epoch from its start


def test_when_not_training_every_step_draws_at_once():
    frames, drawn = Frames(running=False), []
    draw_in_turns(frames, "study", steps(drawn, "abcd"))
    assert drawn == list("abcd")


def test_the_progress_bar_paints_with_the_frame_not_at_once(qtbot):
    """QProgressBar.setValue repaints at once when its text changes, and that repaint
    painted every pending change of the window mid-epoch; now the bar waits for the frame."""
    page = QWidget()
    qtbot.addWidget(page)
    controls = RunControls(Theme(), "test", 10, page)
    page.resize(900, 80)
    page.show()
    counter = EventCounter(controls.bar, QEvent.Type.Paint)
    qtbot.waitUntil(lambda: counter.count > 0, timeout=2000)  # the window's first paint
    counter.count = 0
    controls.show_progress(RunProgress(3, 0, 10, 1.0), running=True)
    assert counter.count == 0  # not painted inside show_progress
    assert controls.bar.text() == "3 of 10 epochs" and controls.bar.value() == 3
    qtbot.waitUntil(lambda: counter.count > 0, timeout=2000)  # painted by the event loop


def test_tiles_converted_together_are_the_tiles_converted_one_by_one(qtbot):
    rng = np.random.default_rng(4)
    images = rng.uniform(-0.2, 1.2, (3, 4, 784)).astype(np.float32)  # out of range too: clipped
    together = digit_qimages(images)
    assert [len(row) for row in together] == [4, 4, 4]
    for r in range(3):
        for c in range(4):
            assert together[r][c] == digit_qimage(images[r, c])
    table = DigitTable(Theme())
    qtbot.addWidget(table)
    table.set_table(images, ["a", "b", "c", "d"], waiting_columns={3: "wait"})
    assert table._qimages[1][2] == digit_qimage(images[1, 2]) and table._qimages[1][3] is None
    mosaic = DigitMosaic(Theme())
    qtbot.addWidget(mosaic)
    mosaic.set_images(images[0])
    assert [image == digit_qimage(tile) for image, tile in zip(mosaic._qimages, images[0], strict=True)] == [True] * 4
    mosaic.set_images(np.zeros((0, 784), np.float32))
    assert mosaic._qimages == []
