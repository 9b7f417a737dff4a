"""A presented lesson step on a case study's page (see presenting.py): the page's title
and the plots the step does not name step aside, and the workbench's control bar, on a
page of its own, no longer keeps width from the lesson column."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QWidget

from desktop_app.lessons.lesson_column import settle_window
from desktop_app.lessons.screen_setup import view_widget

#: Parts of a case study's page that step aside while a presented step names neither them nor a view inside them.
STUDY_ASIDES = {"denoising": ("denoisingPsnrPlot", "lossPlotDenoising", "denoisingDrawBox")}


def study_parts_aside(window) -> list[QWidget]:
    """Hide the parts of the study's page the step does not name (nor a view inside them);
    returns them, to be shown again after the step."""
    step = window.lessons.step
    names = [n for n in STUDY_ASIDES.get(step.screen.tab, ()) if n not in step.highlight]
    named = [view_widget(window, n) for n in step.highlight]
    parts = [w for n in names for w in window.findChildren(QWidget, n) if not w.isHidden()]
    aside = [w for w in parts if not any(w.isAncestorOf(v) for v in named if v is not None)]
    for widget in aside:
        widget.hide()
    return aside


def show_study_titles(window, shown: bool) -> None:
    """A case study's page title: the step's own title says it while a step is presented."""
    for title in window.findChildren(QLabel, "caseStudyTitle"):
        title.setVisible(shown)


def study_page_scrolls(window) -> bool:
    """Whether the case study's page shows a scroll bar (its content is wider or taller
    than the room the column left it)."""
    scroll = window.tabs.currentWidget().findChild(QScrollArea)
    if scroll is None:
        return False
    need, room = scroll.widget().minimumSizeHint(), scroll.viewport().size()
    return need.width() > room.width() or need.height() > room.height()  # what makes Qt show a bar


def study_squeezed(window) -> bool:
    """Whether a part of the case study the step highlights is below its minimum height."""
    parts = [view_widget(window, n) for n in window.lessons.step.highlight]
    return any(p is not None and p.isVisible() and p.height() < p.minimumSizeHint().height() for p in parts)


def bench_counts(window, counts: bool) -> None:
    """Whether the workbench's minimum size holds the tabs' pages: a case study's page
    is not as wide as the workbench's control bar, which the tabs (one stack of pages)
    would otherwise keep from the lesson column."""
    policy = QSizePolicy.Policy.Preferred if counts else QSizePolicy.Policy.Ignored
    if window.workbench.sizePolicy().horizontalPolicy() != policy:
        window.workbench.setSizePolicy(policy, policy)
        window.tabs.updateGeometry()
        settle_window(window)
