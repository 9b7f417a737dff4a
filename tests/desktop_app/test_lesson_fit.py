"""Every step of the shipped lesson path, presented on a projector: at 1280x720 with 150 %
and at 1920x1080 with 200 %, in the light, high-contrast and dark themes.

The window is put on an offscreen screen of that size (tests/offscreen_screens.json) and
goes into presentation mode as F5 does, so full screen is that screen's size, not a size
the test chose. The walk moves with PageDown, what a clicker sends, then jumps from the
first step to each step with a loss curve (a jump keeps the sizes of the step before,
where the diagram was large). The lecturer's setting is on and each prediction is answered
wrongly, so the answer's longest words ("It went the other way: ...") are on screen; the
case study's step is checked again once its action is done (a digit drawn on the pad: its
row of results took the page 1,269 px wide in a 1,079 px view at 150 %). At each step: the
window is the screen's size; each view the step names is shown; no visible view leaves
the window or overlaps another (the lesson path, the control bar and the step's views);
no part of a named view is cut off by its edge, and none scrolls sideways (a teaching
panel shows its whole width) nor down (a teaching panel's body fits its dock's height: no
scroll bar shown or needed, no part outside what its scroll area shows); the page of the
tab shows no scroll bar; the lesson's text is read without scrolling, with Back/Next on
screen; and a loss curve is not squeezed under a roomier diagram or reconstruction.

What is not checked: the training images and the reconstructions are lists that scroll
by design.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea, QSplitter, QWidget

from desktop_app.case_studies import DenoisingStudy
from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.lessons.screen_setup import view_widget
from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.theme import THEME_NAMES, Theme
from desktop_app.theming import apply_to_application
from tests.desktop_app.plot_probes import presented_window
from tests.desktop_app.screens import PROJECTOR_720, PROJECTOR_1080

SESSIONS = StepSessions()  # each step's trained session made once for the whole module
SIZES = [(PROJECTOR_720, 1.5), (PROJECTOR_1080, 2.0)]
LISTS = ("reconstructionStrip", "datasetTiles")  # what scrolls by design: every training image


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


def _in_scrolled_content(widget: QWidget, view: QWidget) -> bool:
    """Whether ``widget`` is the content of a scroll area inside ``view`` (it may extend
    past the view's edge: that is what scrolling is for)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not view:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return True
        parent = parent.parentWidget()
    return False


def cut_off_problems(views: dict[str, QWidget]) -> list[str]:
    """Parts of a shown view cut off by its own edge, and views whose content scrolls
    sideways (the sigmoid panel's table and readout were cut on the right at 200 %)."""
    problems = []
    for name, view in views.items():
        if not view.isVisible():
            continue
        parts = [p for p in view.findChildren(QWidget)
                 if p.isVisible() and p.objectName() != "lessonHighlight" and not _in_scrolled_content(p, view)]
        problems += [f"{name}: its {type(p).__name__} {p.objectName()!r} is cut off" for p in parts
                     if not view.rect().contains(QRect(p.mapTo(view, p.rect().topLeft()), p.size()))]
        for area in view.findChildren(QAbstractScrollArea):
            content = area.widget() if isinstance(area, QScrollArea) else None
            listed = content is not None and content.objectName() in LISTS
            if area.isVisible() and area.horizontalScrollBar().isVisible() and not listed:
                problems.append(f"{name} scrolls sideways (its content is {content and content.minimumSizeHint()},"
                                f" the view {area.viewport().size()})")
    return problems


def scrolled_down_problems(views: dict[str, QWidget]) -> list[str]:
    """A shown view's scroll area (a teaching panel's body) whose content is taller than
    what it shows: its vertical scroll bar shown, or needed for the content's height at its
    width, or a part of the content outside the visible rect (the perceptron step sat
    below the sigmoid panel's table, out of sight)."""
    problems = []
    for name, view in views.items():
        for area in view.findChildren(QScrollArea) if view.isVisible() else ():
            content = area.widget()
            if not area.isVisible() or content is None or content.objectName() in LISTS:
                continue
            port = area.viewport()
            need = max(content.minimumSizeHint().height(), content.heightForWidth(port.width()))
            if area.verticalScrollBar().isVisible() or need > port.height():
                problems.append(f"{name} scrolls down (its content needs {need} px, it shows {port.height()})")
                continue
            shown = port.rect()
            problems += [f"{name}: its {type(p).__name__} {p.objectName()!r} is out of sight"
                         for p in content.findChildren(QWidget) if p.isVisible()
                         and not shown.contains(QRect(p.mapTo(port, p.rect().topLeft()), p.size()))]
    return problems


def lesson_text_problems(window) -> list[str]:
    """The step's words must be read without scrolling the lesson column."""
    body = window.lessons.body
    return [f"lesson text scrolls ({body.widget().height()} px in {body.viewport().height()})"] \
        if body.verticalScrollBar().isVisible() else []


def loss_curve_problems(window) -> list[str]:
    """A shown loss curve is at least as tall as the diagram above it (unless the diagram is
    at its minimum) and as the reconstruction stacked above it (unless that is at its
    minimum): at 200 % it had a third of the height under a half-empty diagram."""
    page = window.workbench.page
    loss, problems = page.loss_plot, []
    if window.tabs.currentWidget() is not window.workbench or not loss.isVisible():
        return problems
    bottom: QSplitter = page.splitters["bottom"]
    above = [(page.diagram, bottom, page.diagram.minimumHeight())]
    if bottom.orientation() == Qt.Orientation.Vertical:
        above.append((page.reconstruction, loss, page.reconstruction.minimumSizeHint().height()))
    for view, part, minimum in above:
        if view.isVisible() and part.height() < view.height() and view.height() > minimum + 2:
            problems.append(f"loss curve {part.height()} px tall under the {view.objectName()} of {view.height()} px")
    return problems


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
    problems += cut_off_problems(views) + scrolled_down_problems(views) + lesson_text_problems(window)
    problems += loss_curve_problems(window)
    return problems + page_scroll_bars(window)


def draw_a_digit(qtbot, study: DenoisingStudy) -> None:
    """Draw a "7" on the denoising study's pad with the mouse, as the step asks, and wait
    for the drawing's results to be shown (they took more width than the hint)."""
    pad = study.pad
    where = pad.geometry()
    strokes = [(8, 6), (20, 6), (13, 23)]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=pad.from_pixel(*strokes[0]).toPoint())
    for x, y in strokes[1:]:
        qtbot.mouseMove(pad, pos=pad.from_pixel(x, y).toPoint())
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=pad.from_pixel(*strokes[-1]).toPoint())
    assert pad.pixels.max() > 0
    qtbot.waitUntil(study.drawn_table.isVisible, timeout=5_000)
    qtbot.wait(100)  # the page and the lesson column take in the new size
    assert pad.geometry() == where, "the pad moved under the first stroke"


@pytest.fixture(params=THEME_NAMES)
def theme_name(request):
    return request.param


@pytest.mark.parametrize(("screen_name", "scale"), SIZES, ids=["1280x720-150", "1920x1080-200"])
def test_every_step_fits_a_projector_at_its_scale(qtbot, screen_name, scale, theme_name):
    window, screen = presented_window(qtbot, screen_name, scale, SESSIONS, theme_name)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3_000)
    nav = window.lessons
    try:
        assert window.lesson_dock.isVisible()
        window.presentation.enter()
        qtbot.waitUntil(lambda: window.geometry() == screen.geometry(), timeout=3_000)
        assert window.theme.scale == scale and window.theme.name == theme_name
        nav.set_lecturer_mode(True)  # each prediction's answer said as soon as it is chosen
        nav.go_to(0)
        failures = {}
        for k, step in enumerate(nav.steps):
            if k:
                qtbot.keyClick(window, Qt.Key.Key_PageDown)  # what a clicker sends
            assert nav.index == k
            if step.predict is not None:  # the room guessed wrongly: the longest answer
                nav.choose((step.predict.answer + 1) % len(step.predict.choices))
                assert nav.outcome_label.isVisible()
            qtbot.wait(30)  # nested layouts catch up, as they do between a lecturer's clicks
            problems = fit_problems(window, step)
            if problems:
                failures[step.id] = problems
            if step.check == "digit_drawn":  # the step's action done: its results beside the table
                draw_a_digit(qtbot, window.denoising)
                problems = fit_problems(window, step)
                if problems:
                    failures[f"{step.id}, a digit drawn"] = problems
        for k, step in enumerate(nav.steps):  # a jump from the list keeps the sizes of the step before
            if "lossPlot" in step.screen.visible:
                nav.go_to(0)  # the diagram large
                nav.go_to(k)
                qtbot.wait(30)
                problems = fit_problems(window, step)
                if problems:
                    failures[f"{step.id}, jumped to from step 1"] = problems
        assert failures == {}, "\n".join(f"{step}: {problems}" for step, problems in failures.items())
    finally:
        window.presentation.leave()
        window.close()
        apply_to_application(Theme())
