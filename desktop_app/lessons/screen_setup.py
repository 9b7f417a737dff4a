"""Put a ``ScreenState`` on the window, and read the window back as one.

``apply_screen`` sets the window up completely from the state alone: the tab, the
workbench views shown (the rest hidden) and which is large, a fresh session with the
state's model, data, loss and seed trained synchronously to its epoch (the same numbers
every time: same seed, same epochs), the selected image and each panel's source. A
case-study tab gets its digit model fresh or pre-trained (``engine.pretrained``).
``read_screen`` reports what the window shows, measured on its widgets, so a test can
compare the two.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QWidget

from desktop_app.lessons.step_sessions import StepSessions, make_session
from desktop_app.state.screen import DOCK_VIEWS, PAGE_VIEWS, PANEL_SOURCES, TABS, ScreenState
from engine.pretrained import case_study_config
from engine.session import TrainingSession

LARGE_SHARE = 0.62  # of the workbench's width (or height) for the large view
SIGMOID_START = 1.0  # the sigmoid panel's input when a step begins (the panel's own start)
SMALL_DOCK_SHARE = 0.3  # of its width for the docks beside a large view on the page
LAYOUT_ROUNDS = 4  # nested layouts (dock, page, splitter, wrapping rows) settle within these


def step_session(state: ScreenState, sessions: StepSessions | None) -> TrainingSession:
    """A fresh session at epoch 0, or the step's trained one (made ahead when possible)."""
    if state.epoch == 0:
        return make_session(state) if state.tab == "workbench" else TrainingSession(case_study_config(state.model))
    return sessions.session_for(state) if sessions is not None else make_session(state)


def apply_screen(window, state: ScreenState, sessions: StepSessions | None = None) -> None:
    """Set ``window`` (a MainWindow) up as ``state`` says; ``sessions`` keeps trained ones."""
    window.tabs.setCurrentIndex(TABS.index(state.tab))
    if state.tab == "workbench":
        _apply_workbench(window, state, sessions)
    else:
        _apply_study(window, state, sessions)


def _apply_workbench(window, state: ScreenState, sessions: StepSessions | None) -> None:
    """Hide the views the step leaves out, then put the step's session in, then show the
    step's views: a view out of sight skips the new session's drawing (it catches up when
    shown), one that stays draws it once, one that appears draws it once as it is shown."""
    bench, controller = window.workbench, window.controller
    controller.shutdown()  # nothing may train a session while it is rewound
    wanted = _visibility(bench, state)
    for widget, on in wanted:
        if not on:
            widget.setVisible(False)
    controller.adopt(step_session(state, sessions))
    controller.select_image(state.selected)
    bench.latent.canvas.set_probe(None, image=controller.selected_index)  # the probe on the selected image
    sigmoid = bench.docks["sigmoidPanel"].widget().findChild(QWidget, "sigmoidPanel")
    sigmoid.set_x(SIGMOID_START)
    for widget, on in wanted:
        if on:
            widget.setVisible(True)
    for name in DOCK_VIEWS:
        if name in state.visible:
            bench.docks[name].raise_()
    for panel, key in state.sources:
        bench.docks[panel].widget().findChild(QWidget, panel).set_source(key)
    lay_out_now()  # the docks just shown need their geometry before they are sized
    _make_large(bench, state)


def _visibility(bench, state: ScreenState) -> list[tuple[QWidget, bool]]:
    """Every workbench widget a step shows or hides, with whether it is shown."""
    shown = set(state.visible)
    views = bench.page.views()
    wanted = [(views[name], name in shown) for name in PAGE_VIEWS]
    splitters = bench.page.splitters  # a section whose views are all hidden gives its room away
    wanted += [(splitters["bottom"], bool(shown & {"reconstructionView", "lossPlot"})),
               (splitters["centre"], bool(shown & {"networkDiagram", "reconstructionView", "lossPlot"})),
               (splitters["main"], bool(shown & {"networkDiagram", "reconstructionView", "lossPlot", "datasetView"})),
               (bench.centralWidget(), bool(shown & set(PAGE_VIEWS)))]
    wanted += [(slow, "networkDiagram" in shown)  # it steps the diagram: no diagram, no bar
               for slow in bench.page.findChildren(QWidget, "slowMotionBar")]
    # A dock no lesson names (the backprop panel) would take the room: hidden.
    wanted += [(dock, name in shown) for name, dock in bench.docks.items()]
    return wanted


def lay_out_now() -> None:
    """Deliver the pending layout requests, and nothing else: sizes settle now, while the
    paint waits for the event loop, so a step's window is painted once, set up, instead
    of once for every half-made state on the way (each a full repaint, most of a step's
    entry time). A layout that changes a size posts its parent's request for the next
    round (Qt delivers only what was posted before it began), hence a few rounds."""
    for _ in range(LAYOUT_ROUNDS):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


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


def _make_large(bench, state: ScreenState) -> None:
    """Give the large view most of the room: docks by resizeDocks, page views by their splitters."""
    docks = [bench.docks[n] for n in DOCK_VIEWS if n in state.visible]
    width, height = max(bench.width(), 400), max(bench.height(), 300)
    page_shown = any(n in state.visible for n in PAGE_VIEWS)
    if docks and page_shown:
        share = LARGE_SHARE if state.large in DOCK_VIEWS else SMALL_DOCK_SHARE
        bench.resizeDocks(docks, [int(width * share)] * len(docks), Qt.Orientation.Horizontal)
    if len(docks) > 1 and state.large in DOCK_VIEWS:
        sizes = [int(height * (LARGE_SHARE if d is bench.docks[state.large] else 1 - LARGE_SHARE)) for d in docks]
        bench.resizeDocks(docks, sizes, Qt.Orientation.Vertical)
    splitters = bench.page.splitters
    big, small = 70, 30
    layouts = {
        "networkDiagram": {"centre": [big, small], "main": [20, 80]},
        "datasetView": {"main": [55, 45]},
        "reconstructionView": {"centre": [small, big], "bottom": [big, small]},
        "lossPlot": {"centre": [small, big], "bottom": [small, big]},
    }
    for key, weights in layouts.get(state.large, {}).items():
        splitter = splitters[key]
        total = sum(splitter.sizes()) or 1000
        splitter.setSizes([total * w // 100 for w in weights])


def _apply_study(window, state: ScreenState, sessions: StepSessions | None) -> None:
    study = window.denoising if state.tab == "denoising" else window.generation
    study.start()
    study.stop()
    if state.tab == "generation":
        study.set_compare(False)
    study.controller.shutdown()
    study.controller.adopt(step_session(state, sessions))


def read_screen(window) -> ScreenState:
    """What the window shows now, as a ScreenState."""
    tab = TABS[window.tabs.currentIndex()]
    if tab != "workbench":
        study = window.denoising if tab == "denoising" else window.generation
        c = study.controller
        return ScreenState(tab=tab, visible=(), model=c.config.model, dataset=c.config.dataset,
                           loss=c.config.loss, seed=c.config.seed, epoch=c.snapshot.epoch)
    controller = window.controller
    widgets = shown_views(window)
    visible = tuple(name for name in PAGE_VIEWS + DOCK_VIEWS if name in widgets)
    large = max(visible, key=lambda n: widgets[n].width() * widgets[n].height()) if visible else None
    sources = tuple((panel, view_widget(window, panel).findChild(QWidget, panel).current_source)
                    for panel in PANEL_SOURCES if panel in visible)
    c = controller.config
    return ScreenState(tab=tab, visible=visible, large=large, model=c.model, dataset=c.dataset, loss=c.loss,
                       seed=c.seed, epoch=controller.snapshot.epoch, selected=controller.selected_index,
                       sources=sources)


def view_widget(window, name: str) -> QWidget:
    """The widget a view name stands for: a page view, a dock, or a case study's part."""
    bench = window.workbench
    if name in PAGE_VIEWS:
        return bench.page.views()[name]
    if name in DOCK_VIEWS:
        return bench.docks[name]
    return window.findChild(QWidget, name)


def shown_views(window) -> dict[str, QWidget]:
    """The workbench views that would be on screen with the window shown."""
    bench = window.workbench
    names = {}
    for name in PAGE_VIEWS + DOCK_VIEWS:
        widget = view_widget(window, name)
        if widget.isVisibleTo(bench) and (name in DOCK_VIEWS or bench.centralWidget().isVisibleTo(bench)):
            names[name] = widget
    return names
