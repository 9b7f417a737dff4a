"""The frame around a lesson step's views follows a live theme switch: the frames on screen
repaint in the new theme's accent, and the next step's frames are drawn in it too.
Checked on the pixels of the frame as the user sees it, not on an attribute."""

from __future__ import annotations

from PySide6.QtGui import QColor

from desktop_app.lessons.lesson_file import LESSON_DIR, load_lessons
from desktop_app.lessons.screen_setup import view_widget
from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.main_window import MainWindow
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application

STEPS = [s for lesson in load_lessons(LESSON_DIR) for s in lesson.steps]
IDS = [s.id for s in STEPS]


def frame_colour(window, name: str) -> QColor:
    """The colour painted at the middle of the frame's left edge, on screen."""
    view = view_widget(window, name)
    frame = window.lessons.highlighter.frames[name]
    picture = view.grab().toImage()
    x = round(frame.width / 2) + 1
    return picture.pixelColor(x, view.height() // 2)


def close_to(a: QColor, b: QColor, tolerance: int = 24) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_the_highlight_frame_takes_the_new_themes_accent_at_once_and_on_the_next_step(qtbot):
    light, dark = Theme.named("light"), Theme.named("dark")
    assert not close_to(light.accent, dark.accent)  # else the test proves nothing
    window = MainWindow(light)
    qtbot.addWidget(window)
    window.lessons.prepare_ahead = lambda: None
    window.lessons.sessions = StepSessions()
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    nav = window.lessons
    try:
        nav.go_to(IDS.index("book"))
        qtbot.wait(20)
        assert close_to(frame_colour(window, "networkDiagram"), light.accent)
        window.presentation.choose_theme("dark")
        qtbot.wait(20)
        assert close_to(frame_colour(window, "networkDiagram"), dark.accent)  # the frame shown
        nav.go_to(IDS.index("images-as-vectors"))
        qtbot.wait(20)
        assert close_to(frame_colour(window, "datasetView"), dark.accent)  # a frame drawn after the switch
        assert nav.highlighter.frames["datasetView"].width == max(3.0, 4.0 * dark.scale)
    finally:
        window.close()
        apply_to_application(Theme())
