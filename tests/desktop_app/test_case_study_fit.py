"""The two case-study tabs fit a projector at its presentation scale: at 1280x720 with
150 % and 1920x1080 with 200 %, no scroll bar on the page and no visible part of it
outside the page (a clipped view, or one drawn over its neighbour)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QScrollArea, QTabWidget, QWidget

from desktop_app.case_studies import DenoisingStudy, GenerationStudy
from desktop_app.case_studies.digit_grid import SIDE
from desktop_app.case_studies.live_study import LiveStudy
from desktop_app.theme import Theme
from desktop_app.theming import apply_to_application, restyle


def _problems(study: LiveStudy) -> list[str]:
    """Shown scroll bars of the page, and visible parts whose geometry leaves the page."""
    area = study.findChild(QScrollArea)
    problems = [f"{name} scroll bar" for name, bar in (("horizontal", area.horizontalScrollBar()),
                                                        ("vertical", area.verticalScrollBar())) if bar.isVisible()]
    page = QRect(area.viewport().mapTo(study, area.viewport().rect().topLeft()), area.viewport().size())
    for widget in study.content.findChildren(QWidget):
        if widget.isVisible() and widget.width() > 0 and widget.height() > 0:
            where = QRect(widget.mapTo(study, widget.rect().topLeft()), widget.size())
            if not page.contains(where):
                problems.append(f"{type(widget).__name__} {widget.objectName()} at {where} outside {page}")
    return problems


@pytest.mark.parametrize("live", [False, True], ids=["built-at-scale", "live-scale-change"])
@pytest.mark.parametrize(("width", "height", "scale"), [(1280, 720, 1.5), (1920, 1080, 2.0)])
@pytest.mark.parametrize("study_class", [DenoisingStudy, GenerationStudy])
def test_a_case_study_fits_a_projector_at_its_scale(qtbot, study_class, width, height, scale, live):
    """The tab as the main window shows it in presentation mode (full screen, no menu or
    status bar): a tab widget filling the screen. ``live``: built at 100 % and then
    re-styled, as Preferences does to a running window."""
    theme = Theme(scale=scale)
    apply_to_application(Theme() if live else theme)
    study = study_class(Theme() if live else theme)
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(study, "Case study")
    tabs.resize(width, height)
    tabs.show()
    qtbot.waitExposed(tabs)
    qtbot.waitUntil(lambda: study.started and study.controller.snapshot is not None, timeout=20_000)
    if live:
        apply_to_application(theme)
        restyle(tabs, Theme(), theme)
    qtbot.wait(300)  # nested layouts catch up
    tabs.resize(width, height)
    qtbot.wait(200)
    try:
        assert tabs.size() == QSize(width, height), (tabs.size(), tabs.minimumSizeHint())
        assert _problems(study) == [], study.content.minimumSizeHint()
    finally:
        study.shutdown()
        apply_to_application(Theme())


def test_the_digit_table_headers_fit_their_columns_after_a_live_scale_change(qtbot):
    """Each header is painted in its column's width; after a change to 200 % the table
    measures its text in the new fonts (the PCA scores were clipped by stale widths)."""
    apply_to_application(Theme())
    study = DenoisingStudy(Theme())
    qtbot.addWidget(study)
    study.resize(1280, 720)
    study.show()
    qtbot.waitUntil(lambda: study.figures is not None and study.table.titles != [], timeout=20_000)
    big = Theme(scale=2.0)
    try:
        apply_to_application(big)
        restyle(study, Theme(), big)
        table = study.table
        header, score = QFontMetricsF(big.font(0.95, bold=True)), QFontMetricsF(big.font(1.05, bold=True))
        tile = SIDE  # the smallest tile: the tightest the columns get
        for c, title in enumerate(table.titles):
            room = table._left(c + 1, tile) - table._left(c, tile) - table._gap()
            assert header.horizontalAdvance(title) <= room, title
            widest = max([score.horizontalAdvance(row[c]) for row in table.captions if row[c]] + [0])
            assert widest <= table._caption_widths()[c], (title, widest)
    finally:
        study.shutdown()
        apply_to_application(Theme())
