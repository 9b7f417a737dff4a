"""Make the window fit its screen at a presentation scale, without clipping or scroll bars.

At 150 % on a 1280x720 projector the screen holds what 853x480 holds at 100 %: not every
view of the workbench side by side. Rather than clip views, overlap them or scroll the
page, the least needed workbench views are hidden, one at a time, until the window's minimum size
fits the screen; the status bar names them and the View menu shows them again. Leaving
presentation mode shows them again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize
from PySide6.QtWidgets import QMainWindow, QWidget


def settle(window: QMainWindow, size: QSize | None = None) -> None:
    """Lay the window out (at ``size`` if given) and let every pending event run, so minimum
    sizes are those of that size (the control bar takes more rows when it is narrower)."""
    if size is not None and window.size() != size and not window.isFullScreen():
        window.resize(size)
    previous = None
    for _ in range(12):  # each level of nested layouts passes the change up in its own event
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QCoreApplication.processEvents()
        minimum = window.minimumSizeHint()
        if minimum == previous:
            break
        previous = minimum


FRAME_ALLOWANCE = QSize(0, 32)  # a window manager's title bar, before the window has a frame to measure


def frame_of(window: QWidget) -> QSize:
    """What the window manager adds around the window (title bar, borders): measured once the
    window is shown, a title bar's height before."""
    frame = window.frameGeometry().size() - window.size()
    shown = window.isVisible() and (frame.width() > 0 or frame.height() > 0)
    return frame if shown else FRAME_ALLOWANCE


def room(window: QMainWindow) -> QSize:
    """The size the window may take: the whole screen in full screen, else its available area
    less the window manager's frame."""
    screen = window.screen()
    if window.isFullScreen():
        return screen.geometry().size()
    return screen.availableGeometry().size() - frame_of(window)


def fits(window: QMainWindow, size: QSize) -> bool:
    settle(window, size)
    minimum = window.minimumSizeHint()
    return minimum.width() <= size.width() and minimum.height() <= size.height()


def candidates(window: QMainWindow) -> list[tuple[str, list[QWidget]]]:
    """Views that may be hidden, least needed first: the teaching panels, the latent space,
    the reconstruction, the loss curve, the slow-motion step, and last the lesson path (its dock narrows first: its
    rows wrap; Ctrl+L shows it again). The diagram, data and controls always stay."""
    workbench = window.workbench
    panels = [dock for key, dock in workbench.docks.items() if key != "latent"]
    page = workbench.page
    groups = [("the panels", panels), ("the latent space", [workbench.docks["latent"]]),
              ("the reconstruction", [page.reconstruction]), ("the loss curve", [page.loss_plot])]
    slow = page.findChild(QWidget, "slowMotionBar")  # the backprop's slow step: a row the diagram can spare
    groups += [("the slow-motion step", [slow])] if slow is not None else []
    lesson_dock = getattr(window, "lesson_dock", None)
    return groups + ([("the lesson path", [lesson_dock])] if lesson_dock is not None else [])


def _hide(groups: list[tuple[str, list[QWidget]]], done, hidden: list[QWidget], names: list[str]) -> None:
    for name, widgets in groups:
        if done():
            return
        shown = [w for w in widgets if not w.isHidden()]
        for widget in shown:
            widget.hide()
        if shown:
            hidden += shown
            names.append(name)


def fit_views(window: QMainWindow, size: QSize | None = None, keep: list[QWidget] | tuple = ()) -> list[QWidget]:
    """Hide workbench views, never those in ``keep`` (a presented lesson step's), until the
    window's minimum size fits ``size`` (the screen); returns what was hidden."""
    size = size or room(window)
    hidden: list[QWidget] = []
    names: list[str] = []
    groups = [(name, [w for w in widgets if w not in keep]) for name, widgets in candidates(window)]
    _hide(groups, lambda: fits(window, size), hidden, names)
    if hidden:
        fits(window, size)  # the window's layout takes in the last hiding before anyone resizes it
    if names:
        window.statusBar().showMessage(
            f"To fit this screen at {round(window.theme.scale * 100)} %, hidden: {', '.join(names)} "
            "(the View menu shows them again).", 15000)
    return hidden


def show_again(widgets: list[QWidget]) -> None:
    for widget in widgets:
        widget.show()
