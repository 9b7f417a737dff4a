"""Every step of the shipped lesson path, presented on a projector: at 1280x720 with 150 %
and at 1920x1080 with 200 %, in the light, high-contrast and dark themes.

The window is put on an offscreen screen of that size (tests/offscreen_screens.json) and
goes into presentation mode as F5 does, so full screen is that screen's size, not a size
the test chose. The walk moves with PageDown, what a clicker sends. At each step: the
window is the screen's size; each view the step names is shown; no visible view leaves
the window or overlaps another (the lesson path, the control bar and the step's views);
the page of the tab shows no scroll bar; and the lesson's text and Back/Next are on screen.

What is not checked: a teaching panel's own content (the sigmoid panel is 1,280 px tall at
150 %) scrolls inside its dock, and so may a long step text inside the lesson column; the
training images and the reconstructions are lists that scroll by design.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QWidget

from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.lessons.screen_setup import view_widget
from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.main_window import MainWindow
from desktop_app.preferences import Preferences
from desktop_app.theme import THEME_NAMES, Theme
from desktop_app.theming import apply_to_application
from tests.desktop_app.screens import PROJECTOR_720, PROJECTOR_1080, put_on

SESSIONS = StepSessions()  # each step's trained session made once for the whole module
SIZES = [(PROJECTOR_720, 1.5), (PROJECTOR_1080, 2.0)]


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def named_views(window, step) -> dict[str, QWidget]:
    """The views the step names: the workbench views it shows, or the case-study parts it frames."""
    screen = step.screen
    names = screen.visible if screen.tab == "workbench" else step.highlight
    return {name: view_widget(window, name) for name in names}


def page_scroll_bars(window) -> list[str]:
    """Shown scroll bars of the current tab's page: a case study's page, or any scroll area
    the workbench page itself is in."""
    page = window.tabs.currentWidget()
    areas = [page.findChild(QScrollArea)] if isinstance(page, LiveStudy) else \
        [a for a in window.workbench.centralWidget().findChildren(QAbstractScrollArea)
         if a.parentWidget() is window.workbench.centralWidget()]
    return [f"{type(page).__name__} {kind} scroll bar" for area in areas if area is not None
            for kind, bar in (("horizontal", area.horizontalScrollBar()), ("vertical", area.verticalScrollBar()))
            if bar.isVisible()]


def fit_problems(window, step) -> list[str]:
    """Everything that breaks the fit rule at this step, in words."""
    box = window.rect()
    problems = [] if window.geometry() == window.screen().geometry() else \
        [f"window {window.geometry()} is not the screen {window.screen().geometry()}"]
    views = named_views(window, step)
    problems += [f"{name} hidden" for name, widget in views.items() if not widget.isVisible()]
    problems += [f"{name} squeezed to {w.size()} below its minimum {w.minimumSizeHint()} (clipped)"
                 for name, w in views.items() if w.isVisible() and (w.width() < w.minimumSizeHint().width()
                                                                    or w.height() < w.minimumSizeHint().height())]
    nav = window.lessons
    shown = {name: w for name, w in views.items() if w.isVisible()}
    shown["lesson path"] = window.lesson_dock
    if window.tabs.currentWidget() is window.workbench:
        shown["control bar"] = window.workbench.controls
    for name, widget in list(shown.items()) + [("Back", nav.back_button), ("Next", nav.next_button),
                                                ("lesson title", nav.title_label), ("lesson text", nav.body)]:
        if not widget.isVisible():
            problems.append(f"{name} not shown")
        elif not box.contains(_rect(widget, window)):
            problems.append(f"{name} at {_rect(widget, window)} outside the window {box}")
    items = list(shown.items())
    for i, (a_name, a) in enumerate(items):
        for b_name, b in items[i + 1:]:
            if not (a.isAncestorOf(b) or b.isAncestorOf(a)) and _rect(a, window).intersects(_rect(b, window)):
                problems.append(f"{a_name} {_rect(a, window)} overlaps {b_name} {_rect(b, window)}")
    return problems + page_scroll_bars(window)


@pytest.fixture(params=THEME_NAMES)
def theme_name(request):
    return request.param


@pytest.mark.parametrize(("screen_name", "scale"), SIZES, ids=["1280x720-150", "1920x1080-200"])
def test_every_step_fits_a_projector_at_its_scale(qtbot, screen_name, scale, theme_name):
    Preferences(presentation_scale=scale, theme=theme_name).save()
    window = MainWindow(Theme.named(theme_name))
    qtbot.addWidget(window)
    window.lessons.prepare_ahead = lambda: None
    window.lessons.sessions = SESSIONS
    screen = put_on(window, screen_name)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3_000)
    nav = window.lessons
    try:
        assert window.lesson_dock.isVisible()
        window.presentation.enter()
        qtbot.waitUntil(lambda: window.geometry() == screen.geometry(), timeout=3_000)
        assert window.theme.scale == scale and window.theme.name == theme_name
        nav.go_to(0)
        failures = {}
        for k, step in enumerate(nav.steps):
            if k:
                qtbot.keyClick(window, Qt.Key.Key_PageDown)  # what a clicker sends
            assert nav.index == k
            qtbot.wait(30)  # nested layouts catch up, as they do between a lecturer's clicks
            problems = fit_problems(window, step)
            if problems:
                failures[step.id] = problems
        assert failures == {}, "\n".join(f"{step}: {problems}" for step, problems in failures.items())
    finally:
        window.presentation.leave()
        window.close()
        apply_to_application(Theme())
