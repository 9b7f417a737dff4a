"""Which workbench views are shown and which one is large, set and read on the window.

A view is a page view (``PAGE_VIEWS``: docked in the middle) or a dock (``DOCK_VIEWS``);
``WorkbenchState.visible``/``large`` name them. The lesson path shows a step's views
this way; ``desktop_app.workbench_state`` reads and sets them with the rest of the tab.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QWidget

from desktop_app.state.screen import DOCK_VIEWS, PAGE_VIEWS

LARGE_SHARE = 0.62  # of the workbench's width (or height) for the large view
SMALL_DOCK_SHARE = 0.3  # of its width for the docks beside a large view on the page
LAYOUT_ROUNDS = 4  # nested layouts (dock, page, splitter, wrapping rows) settle within these


def show_views(bench, visible: tuple[str, ...], large: str | None) -> None:
    """Show exactly ``visible`` (the rest hidden) and give ``large`` most of the room."""
    wanted = _visibility(bench, visible)
    for widget, on in wanted:  # hidden first: a view on its way out draws nothing more
        if not on:
            widget.setVisible(False)
    for widget, on in wanted:
        if on:
            widget.setVisible(True)
    for name in DOCK_VIEWS:
        if name in visible:
            bench.docks[name].raise_()
    lay_out_now()  # the docks just shown need their geometry before they are sized
    _make_large(bench, visible, large)


def hide_views_left_out(bench, visible: tuple[str, ...]) -> None:
    """Hide what ``visible`` leaves out before a new session comes in, so a view out of
    sight skips drawing it."""
    for widget, on in _visibility(bench, visible):
        if not on:
            widget.setVisible(False)


def _visibility(bench, visible: tuple[str, ...]) -> list[tuple[QWidget, bool]]:
    """Every workbench widget a screen shows or hides, with whether it is shown."""
    shown = set(visible)
    views = bench.page.views()
    wanted = [(views[name], name in shown) for name in PAGE_VIEWS]
    splitters = bench.page.splitters  # a section whose views are all hidden gives its room away
    wanted += [(splitters["bottom"], bool(shown & {"reconstructionView", "lossPlot"})),
               (splitters["centre"], bool(shown & {"networkDiagram", "reconstructionView", "lossPlot"})),
               (splitters["main"], bool(shown & {"networkDiagram", "reconstructionView", "lossPlot", "datasetView"})),
               (bench.centralWidget(), bool(shown & set(PAGE_VIEWS)))]
    wanted += [(slow, "networkDiagram" in shown)  # it steps the diagram: no diagram, no bar
               for slow in bench.page.findChildren(QWidget, "slowMotionBar")]
    # A dock no screen names (the backprop panel) would take the room: hidden.
    wanted += [(dock, name in shown) for name, dock in bench.docks.items()]
    return wanted


def lay_out_now() -> None:
    """Deliver the pending layout requests, and nothing else: sizes settle now, while the
    paint waits for the event loop, so the window is painted once, set up, instead of once
    for every half-made state on the way (each a full repaint). A layout that changes a
    size posts its parent's request for the next round (Qt delivers only what was posted
    before it began), hence a few rounds."""
    for _ in range(LAYOUT_ROUNDS):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def read_views(bench) -> tuple[tuple[str, ...], str | None]:
    """The views on screen (in ``PAGE_VIEWS + DOCK_VIEWS`` order) and the largest of them."""
    widgets = shown_views(bench)
    visible = tuple(name for name in PAGE_VIEWS + DOCK_VIEWS if name in widgets)
    large = max(visible, key=lambda n: widgets[n].width() * widgets[n].height()) if visible else None
    return visible, large


def show_every_view(window) -> None:
    """Every workbench view back on screen (after a step hid some and the learner left the path)."""
    bench = window.workbench
    for splitter in bench.page.splitters.values():
        splitter.setVisible(True)
    bench.centralWidget().setVisible(True)
    for name in PAGE_VIEWS:
        bench.page.show_view(name, True)
    for slow in bench.page.findChildren(QWidget, "slowMotionBar"):
        slow.setVisible(True)
    for dock in bench.docks.values():
        dock.setVisible(True)


def _make_large(bench, visible: tuple[str, ...], large: str | None) -> None:
    """Give the large view most of the room: docks by resizeDocks, page views by their splitters."""
    docks = [bench.docks[n] for n in DOCK_VIEWS if n in visible]
    width, height = max(bench.width(), 400), max(bench.height(), 300)
    page_shown = any(n in visible for n in PAGE_VIEWS)
    if docks and page_shown:
        share = LARGE_SHARE if large in DOCK_VIEWS else SMALL_DOCK_SHARE
        bench.resizeDocks(docks, [int(width * share)] * len(docks), Qt.Orientation.Horizontal)
    if len(docks) > 1 and large in DOCK_VIEWS:
        sizes = [int(height * (LARGE_SHARE if d is bench.docks[large] else 1 - LARGE_SHARE)) for d in docks]
        bench.resizeDocks(docks, sizes, Qt.Orientation.Vertical)
    splitters = bench.page.splitters
    big, small = 70, 30
    layouts = {
        "networkDiagram": {"centre": [big, small], "main": [20, 80]},
        "datasetView": {"main": [55, 45]},
        "reconstructionView": {"centre": [small, big], "bottom": [big, small]},
        "lossPlot": {"centre": [small, big], "bottom": [small, big]},
    }
    for key, weights in layouts.get(large, {}).items():
        splitter = splitters[key]
        total = sum(splitter.sizes()) or 1000
        splitter.setSizes([total * w // 100 for w in weights])


def view_widget(window, name: str) -> QWidget:
    """The widget a view name stands for: a page view, a dock, or a case study's part."""
    bench = window.workbench
    if name in PAGE_VIEWS or name in DOCK_VIEWS:
        return bench_view(bench, name)
    return window.findChild(QWidget, name)


def bench_view(bench, name: str) -> QWidget:
    """A workbench view's widget: a page view, or the dock that holds a panel."""
    return bench.page.views()[name] if name in PAGE_VIEWS else bench.docks[name]


def shown_views(bench) -> dict[str, QWidget]:
    """The workbench views that would be on screen with the window shown."""
    names = {}
    for name in PAGE_VIEWS + DOCK_VIEWS:
        widget = bench_view(bench, name)
        if widget.isVisibleTo(bench) and (name in DOCK_VIEWS or bench.centralWidget().isVisibleTo(bench)):
            names[name] = widget
    return names
