"""The frame contract as views see it (``desktop_app.frames.live_view.LiveView``): a hidden
view does no work and catches up once when shown; a view draws in the half of the frame
it chose, every frame or at most as often as it said. And views read the controller's
snapshot and its few read-only facts, never its session."""

import re
from pathlib import Path

import numpy as np
import pytest
from controller_helpers import controller_for
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.controller import TrainingController
from desktop_app.export.frames import ReplayController, StoredRun
from desktop_app.frames.live_view import FIRST_HALF, SECOND_HALF, LiveView
from desktop_app.frames.scheduler import FrameScheduler
from desktop_app.theme import Theme
from desktop_app.views.workbench import WorkbenchPage
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession

APP = Path(__file__).resolve().parents[2] / "desktop_app"


class CountingView(LiveView, QWidget):
    """A view that only records which epochs it drew."""

    def __init__(self, controller, half: str = FIRST_HALF, per_second: float | None = None) -> None:
        super().__init__()
        self.frame_half = half
        self.max_per_second = per_second
        self.drawn: list[int] = []
        self.follow_frames(controller)

    def draw(self, snapshot) -> None:
        self.drawn.append(snapshot.epoch)


@pytest.fixture
def controller(qapp):
    yield from controller_for()


# ----- hidden views --------------------------------------------------------------------------------
@pytest.mark.parametrize("half", [FIRST_HALF, SECOND_HALF])
def test_a_hidden_view_does_no_work_and_catches_up_once_when_shown(qtbot, controller, half):
    view = CountingView(controller, half)
    qtbot.addWidget(view)  # never shown yet: as on another tab
    controller.step(20)
    assert controller.wait_until_idle(30)
    assert view.drawn == [] and view.draws == 0  # twenty snapshots, no work
    assert view.stale
    view.show()
    qtbot.waitExposed(view)
    assert view.drawn == [20]  # caught up once, with the newest epoch
    assert not view.stale
    view.hide()
    view.show()  # nothing new meanwhile: nothing to draw
    assert view.drawn == [20]
    controller.step(1)
    assert controller.wait_until_idle(30)
    assert view.drawn[-1] == 21  # shown: it follows again


def test_the_workbench_views_do_no_work_while_the_page_is_hidden(qtbot, controller):
    page = WorkbenchPage(controller, Theme())
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    views = [page.diagram, page.dataset, page.reconstruction, page.loss_plot, page.timeline]
    assert all(isinstance(v, LiveView) for v in views)
    before = {v: v.draws for v in views}
    page.hide()  # another tab
    controller.step(10)
    assert controller.wait_until_idle(30)
    assert {v: v.draws for v in views} == before
    page.show()
    qtbot.waitExposed(page)
    assert {v: v.draws - before[v] for v in views} == dict.fromkeys(views, 1)  # each caught up once
    assert page.timeline.readout.text() == "epoch 10 (latest)"
    assert len(page.loss_plot.curve_data("loss")[0]) == 10


# ----- which half, how often -----------------------------------------------------------------------
class FramesOnly(QObject):
    """What a LiveView needs of a controller, with a scheduler on a clock the test moves."""

    snapshotChanged = Signal(object)

    def __init__(self, clock) -> None:
        super().__init__()
        self.frames = FrameScheduler(clock=clock)
        self.snapshot = None

    def draw_later(self, view, draw, every_s: float = 0.0) -> None:
        self.frames.draw_later(view, draw, every_s, running=True)


def test_views_draw_in_their_half_every_frame_or_at_most_as_often_as_they_said(qtbot, controller):
    now = [0.0]
    frames = FramesOnly(lambda: now[0])
    first, every, ten = (CountingView(frames, FIRST_HALF), CountingView(frames, SECOND_HALF),
                         CountingView(frames, SECOND_HALF, per_second=10))
    for view in (first, every, ten):
        qtbot.addWidget(view)
        view.show()
    qtbot.waitExposed(ten)
    snapshots = list(TrainingSession(TrainingConfig()).run(60))
    for snapshot in snapshots:  # two seconds at 30 frames a second
        frames.snapshot = snapshot
        frames.snapshotChanged.emit(snapshot)
        assert first.drawn[-1] == snapshot.epoch  # first half: with the snapshot
        assert not every.drawn or every.drawn[-1] < snapshot.epoch  # second half: not yet
        now[0] += 0.016
        frames.frames.draw_second_half()
        assert every.drawn[-1] == snapshot.epoch  # 16 ms later
        now[0] += 1 / 30 - 0.016
    assert len(first.drawn) == len(every.drawn) == 60
    assert 15 <= len(ten.drawn) <= 21  # at most ten a second over two seconds (a frame every 33 ms: every 3rd or 4th)
    frames.frames.draw_second_half(everything=True)  # the run ended
    assert ten.drawn[-1] == 60  # the last snapshot of a run is always drawn


def test_while_training_a_throttled_view_draws_less_often_than_an_every_frame_one(qtbot, controller):
    every, five = CountingView(controller, SECOND_HALF), CountingView(controller, SECOND_HALF, per_second=5)
    for view in (every, five):
        qtbot.addWidget(view)
        view.show()
    qtbot.waitExposed(five)
    controller.set_speed(60.0)
    snapshots = []
    controller.snapshotChanged.connect(lambda s: snapshots.append(s.epoch))
    clock = __import__("time").perf_counter
    start = clock()
    controller.play()
    qtbot.waitUntil(lambda: len(snapshots) >= 20, timeout=20_000)
    controller.pause()
    assert controller.wait_until_idle(30)
    seconds = clock() - start
    assert len(five.drawn) <= 5 * seconds + 3 < len(every.drawn) + 3
    assert five.drawn[-1] == every.drawn[-1] == controller.snapshot.epoch  # both end on the last epoch


# ----- what views read -----------------------------------------------------------------------------
def test_the_controller_tells_views_the_few_facts_a_snapshot_does_not_hold(controller):
    controller.step(12)
    assert controller.wait_until_idle(30)
    controller.show_epoch(4)
    assert controller.snapshot.epoch == 4 and controller.latest_epoch == 12
    assert len(controller.loss_history) == 12
    assert np.array_equal(controller.train_images, controller.snapshot.images)
    stored = [s.epoch for s in controller.stored_snapshots()]
    assert stored == sorted(stored) and stored[0] == 0 and stored[-1] == 12
    assert controller.stored_snapshot_at(12).epoch == 12


def test_the_offscreen_stand_in_offers_the_same_facts_cut_at_its_epoch():
    session = TrainingSession(TrainingConfig())
    for _ in session.run(8):
        pass
    replay = ReplayController(StoredRun.of(session))
    replay.show(session.snapshot_at(5))
    assert replay.latest_epoch == 5 and len(replay.loss_history) == 5
    assert [s.epoch for s in replay.stored_snapshots()][-1] <= 5
    assert replay.stored_snapshot_at(5).epoch <= 5
    for name in ("latest_epoch", "loss_history", "train_images", "stored_snapshots", "stored_snapshot_at",
                 "snapshot", "selected_index", "running", "draw_later", "drawing"):
        assert hasattr(TrainingController, name) and hasattr(replay, name), name


def test_views_panels_and_case_studies_never_read_the_controllers_session():
    """The rule the views follow: render snapshots and state; the session is the engine's."""
    reads = []
    for folder in ("views", "panels", "case_studies", "widgets"):
        for path in sorted((APP / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#")[0]
                if re.search(r"\.session\b", code) and not code.lstrip().startswith(("from ", "import ")):
                    reads.append(f"{path.relative_to(APP)}:{number}: {line.strip()}")
    assert reads == []


# ----- the latent dock's views ----------------------------------------------------------------------
def test_the_latent_docks_views_wait_out_of_sight_and_catch_up_once_when_shown(qtbot, controller):
    from PySide6.QtWidgets import QVBoxLayout

    from desktop_app.views.data_plane import DataPlane
    from desktop_app.views.decoded_image import DecodedImageView
    from desktop_app.views.latent_canvas import LatentCanvas
    from desktop_app.views.latent_compare import ComparePane

    window = QWidget()
    layout = QVBoxLayout(window)
    canvas, plane = LatentCanvas(controller, Theme(), window), DataPlane(controller, Theme(), window)
    image = DecodedImageView(Theme(), window, pixels=784)
    compare = ComparePane(controller, Theme(), {}, window)
    views = (canvas, plane, image, compare)
    for view in views:
        layout.addWidget(view)
        assert isinstance(view, LiveView)
    qtbot.addWidget(window)
    window.resize(600, 1600)
    window.show()
    qtbot.waitExposed(window)
    for view in views:
        view.hide()  # the window is on screen, these are not (a lesson step hid the dock)
    before = {v: v.draws for v in views}
    controller.step(10)
    assert controller.wait_until_idle(30)
    image.set_values(np.linspace(0, 1, 784))
    qtbot.wait(50)
    assert {v: v.draws for v in views} == before  # no work out of sight
    assert all(v.stale for v in views)
    assert compare.controller.snapshot.epoch == 0  # the companion did not train either
    np.testing.assert_allclose(image.values(), np.linspace(0, 1, 784))  # what the window reads follows at once
    assert canvas.snapshot is controller.snapshot
    for view in views:
        view.show()
    qtbot.waitExposed(window)
    assert {v: v.draws - before[v] for v in views} == dict.fromkeys(views, 1)  # each caught up once
    assert not any(v.stale for v in views)
    codes = np.column_stack(canvas.codes_item.getData())
    np.testing.assert_allclose(codes, controller.snapshot.codes, rtol=1e-6)  # the newest epoch, drawn
    rx, ry = plane.reconstructions_item.getData()
    assert len(rx) == len(controller.snapshot.images)
    assert compare.controller.wait_until_idle(30)
    qtbot.waitUntil(lambda: compare.controller.snapshot.epoch == 10, timeout=20_000)
    compare.shutdown()
