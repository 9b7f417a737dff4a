"""Entering a lesson step draws each view once, and only the views it shows; the
step-entry benchmark's verdict.

Counted on the real window: the latent canvas's dots (``codes_item.setData``, the call
that puts a snapshot's codes on screen) and the whole window's paints while the step is
set up. A step used to draw the latent canvas twice (once for the new session, once
more for its first snapshot), even while its dock was hidden, and to paint the window
at every half-made state on the way: most of a step's entry time.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from desktop_app.lessons.benchmark import BUDGET_S, _summary, table
from desktop_app.lessons.lesson_file import LESSON_DIR, load_lessons
from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.main_window import MainWindow
from tests.desktop_app.event_counter import EventCounter

IDS = [s.id for lesson in load_lessons(LESSON_DIR) for s in lesson.steps]
SESSIONS = StepSessions()  # one trained session per set-up for this module


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    qtbot.addWidget(w)
    w.lessons.prepare_ahead = lambda: None  # no background thread competing with the test
    w.lessons.sessions = SESSIONS
    w.resize(1700, 1000)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def settle() -> None:
    for _ in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def count_canvas_draws(canvas) -> list:
    """Record every snapshot's codes put on the canvas (a list that grows)."""
    drawn = []
    original = canvas.codes_item.setData

    def set_data(*args, **kwargs):
        drawn.append(np.column_stack([kwargs["x"], kwargs["y"]]))
        return original(*args, **kwargs)

    canvas.codes_item.setData = set_data
    return drawn


def enter(window, step_id: str) -> None:
    window.lessons.go_to(IDS.index(step_id))
    settle()


@pytest.mark.parametrize(("before", "step_id"), [("book", "training"), ("generator", "holes")])
def test_entering_a_step_draws_the_latent_canvas_once(window, before, step_id):
    """From a step with the latent dock hidden, and from one that shows it too."""
    enter(window, before)
    drawn = count_canvas_draws(window.workbench.latent.canvas)
    enter(window, step_id)
    assert len(drawn) == 1
    np.testing.assert_allclose(drawn[0], window.controller.snapshot.codes[:, :2])


def test_a_step_that_hides_the_latent_canvas_draws_it_when_it_is_shown(window):
    enter(window, "training")
    canvas = window.workbench.latent.canvas
    drawn = count_canvas_draws(canvas)
    enter(window, "book")  # a new session, its latent dock hidden
    assert drawn == []
    snapshot = window.controller.snapshot
    assert canvas.snapshot is snapshot  # what the checks read follows at once
    window.workbench.docks["latent"].show()
    settle()
    assert len(drawn) == 1
    np.testing.assert_allclose(drawn[0], snapshot.codes[:, :2])
    np.testing.assert_allclose(canvas.probe_item.pos().x(), snapshot.codes[0, 0])  # the probe on image 0


def test_a_step_is_set_up_without_painting_the_window_half_made(window):
    enter(window, "book")
    paints = EventCounter(window, QEvent.Type.Paint)
    window.lessons.go_to(IDS.index("training"))
    assert paints.count == 0  # set up, laid out, not yet painted
    settle()
    assert paints.count >= 1  # then painted, set up


def test_the_benchmark_reports_every_step_and_judges_the_worst_entry():
    walks = [{"book": 0.2, "vae": 0.4}, {"book": 0.3, "vae": 0.9}, {"book": 0.25, "vae": 0.5}]
    result = _summary(walks, {"vae": 1.5}, 2.0, (0.5, 0.7))
    assert result["per_step"] == {"book": {"median_s": 0.25, "max_s": 0.3}, "vae": {"median_s": 0.5, "max_s": 0.9}}
    assert result["slowest_step"] == "vae" and result["slowest_step_s"] == 0.9
    assert result["budget_met"] and result["median_step_s"] == pytest.approx(0.375)
    assert "vae" in table(result) and ": met" in table(result)
    walks[0]["book"] = BUDGET_S  # one entry at the budget is a miss, whatever the median
    late = _summary(walks, {"vae": 1.5}, 2.0, (0.5, 0.7))
    assert not late["budget_met"] and late["slowest_step"] == "book" and late["per_step"]["book"]["median_s"] == 0.3
    assert "MISSED" in table(late)
