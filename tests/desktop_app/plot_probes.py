"""What the tests of plots' words share: an axis title's painted size, the value labels
an axis would paint (and those its title lies on), a window on a projector (presented
at a scale, or measured at 100 % and again at 200 %), and the denoising study's trained
plots beside the lesson path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyqtgraph as pg
import pytest
from case_study_helpers import small_digit_world
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QScreen, QTextCursor

from desktop_app.case_studies.denoising_study import DenoisingStudy
from desktop_app.main_window import MainWindow
from desktop_app.preferences import Preferences
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application
from tests.desktop_app.screens import PROJECTOR_720, PROJECTOR_1080, put_on

Sizes = dict[str, tuple[str, float, float]]  # per plot and side: the title, its size, the tick values' size


def title_points(axis: pg.AxisItem) -> float:
    """The point size of the axis title's first character as painted."""
    document = axis.label.document()
    cursor = QTextCursor(document)
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    size = cursor.charFormat().fontPointSize()
    return size if size > 0 else document.defaultFont().pointSizeF()


def title_sizes(plots: dict[str, pg.PlotItem]) -> Sizes:
    """Per named plot and side: the title, its painted size, and the tick values' size."""
    sizes = {}
    for name, plot in plots.items():
        for side in ("bottom", "left"):
            axis = plot.getAxis(side)
            sizes[f"{name} {side}"] = (axis.label.toPlainText().strip(), title_points(axis),
                                       axis.style["tickFont"].pointSizeF())
    return sizes


def value_labels(axis: pg.AxisItem) -> list[tuple[str, QRectF]]:
    """The value labels ``axis`` would paint now, with their rectangles in its coordinates
    (pyqtgraph's own ``generateDrawSpecs``)."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _line, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(text, rect) for rect, _flags, text in texts]


def labels_under_the_title(axis: pg.AxisItem) -> list[str]:
    """The value labels whose painted rectangles the axis title's overlaps, each with both
    rectangles (the title's: its label item's geometry, in the axis's coordinates)."""
    title = axis.label.mapRectToParent(axis.label.boundingRect())
    return [f"{text!r} {rect.getRect()} under the title {title.getRect()}"
            for text, rect in value_labels(axis) if rect.intersects(title)]


def presented_window(qtbot, screen_name: str, scale: float, sessions, theme_name: str | None = None,
                     ) -> tuple[MainWindow, QScreen]:
    """A window on the projector ``screen_name`` whose presentation mode is ``scale`` (in
    the theme ``theme_name``, else the preferences' own), its lesson steps' sessions from
    ``sessions``, shown (not yet presenting)."""
    if theme_name is None:
        Preferences(presentation_scale=scale).save()
        window = MainWindow(Theme())
    else:
        Preferences(presentation_scale=scale, theme=theme_name).save()
        window = MainWindow(Theme.named(theme_name))
    qtbot.addWidget(window)
    window.lessons.prepare_ahead = lambda: None
    window.lessons.sessions = sessions
    screen = put_on(window, screen_name)
    window.show()
    qtbot.waitExposed(window)
    return window, screen


@contextmanager
def denoising_beside_lessons(qtbot, epochs: int) -> Iterator[tuple[MainWindow, DenoisingStudy]]:
    """The denoising study trained ``epochs`` epochs on small digits, at 1280x720 and 100 %
    with the lesson path opened beside the tab (View > Lesson path, as a learner has it)."""
    theme = Theme()
    apply_to_application(theme)
    with small_digit_world():
        window = MainWindow(theme)
        qtbot.addWidget(window)
        put_on(window, PROJECTOR_720)
        window.tabs.setCurrentWidget(window.denoising)
        window.show()
        qtbot.waitExposed(window)
        qtbot.wait(300)  # the first window's fit to the screen is done (window_layout)
        window.lesson_dock.toggleViewAction().trigger()
        study = window.denoising
        try:
            qtbot.waitUntil(lambda: study.started and study.controller.snapshot is not None, timeout=20_000)
            assert study.step(epochs) is None
            assert study.wait_until_idle(120)
            qtbot.waitUntil(lambda: all(last_epoch(plot) == epochs for plot in (study.psnr_plot, study.loss_plot)),
                            timeout=20_000)
            yield window, study
        finally:
            study.shutdown()


def last_epoch(curves) -> int | None:
    """The last epoch a case-study curve plot shows (None before its first point)."""
    epochs = next(iter(curves.curves.values())).getData()[0]
    return None if epochs is None or len(epochs) == 0 else epochs[-1]


def projector_window(qtbot, theme: Theme) -> MainWindow:
    window = MainWindow(theme)
    qtbot.addWidget(window)
    window.lessons.prepare_ahead = lambda: None
    put_on(window, PROJECTOR_1080)
    window.show()
    qtbot.waitExposed(window)
    return window


@contextmanager
def sizes_at_100_and_200(qtbot, how: str, sizes_of: Callable[[MainWindow], Sizes]) -> Iterator[tuple[Sizes, Sizes]]:
    """``sizes_of`` a projector window at 100 %, then at 200 % ``how``: "presentation-mode"
    (entered in the same window) or "built-at-200" (a second window); both closed after."""
    Preferences(presentation_scale=2.0).save()
    window = projector_window(qtbot, Theme())
    large = None
    try:
        at_100 = sizes_of(window)
        if how == "presentation-mode":
            window.presentation.enter()
            qtbot.waitUntil(lambda: window.theme.scale == 2.0, timeout=3_000)
            at_200 = sizes_of(window)
        else:
            large = projector_window(qtbot, Theme(scale=2.0))
            at_200 = sizes_of(large)
        yield at_100, at_200
    finally:
        if window.presentation.active:
            window.presentation.leave()
        for shown in (window, large):
            if shown is not None:
                shown.close()
        apply_to_application(Theme())


def assert_titles_grew_with_their_ticks(at_100: Sizes, at_200: Sizes) -> None:
    """Every title is at least twice as large at 200 %, grown as its tick values did."""
    assert at_200.keys() == at_100.keys()
    for name, (title, size, ticks) in at_100.items():
        _title, big, big_ticks = at_200[name]
        assert big >= 2 * size - 0.1, (name, title, size, big)
        assert big / size == pytest.approx(big_ticks / ticks, rel=0.05), (name, title)  # as the tick values grew
