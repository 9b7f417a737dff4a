"""``LiveView``: a view that follows a controller's snapshots by the frame contract.

A view says which half of the frame it draws in and how often; ``LiveView`` does the
rest, which eight classes used to write out by hand: draw each new snapshot in the
chosen half, draw nothing while hidden (another tab, a closed dock, a lesson step that
hid it) but remember that what it shows is stale, and catch up once when shown.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from desktop_app.required_hooks import RequiredHooks, hook
from engine.core.snapshot import EpochSnapshot

FIRST_HALF = "first"  # with the snapshot: the main page
SECOND_HALF = "second"  # through ``controller.draw_later``: docked panels, curves, anything that can wait 16 ms


def out_of_sight(widget: QWidget) -> bool:
    """Its window is on screen but ``widget`` is not (its dock hidden by a lesson step,
    another tab shown): drawing it now would be thrown away unseen. A window not shown
    yet (a script, a test, an export) draws as always."""
    window = widget.window()
    return window is not widget and window.isVisible() and not widget.isVisible()


class LiveView(RequiredHooks):
    """Mixin for a QWidget view; put it first (``class LossPlot(LiveView, QWidget)``).

    The view defines ``draw(snapshot)`` (checked when its class is defined) and calls ``follow_frames(controller)`` once
    its widgets exist. ``render(snapshot)`` (the views' shared verb) draws now if the
    view is shown and otherwise marks it stale. ``draws`` counts the draws done. A view
    fed by something other than a controller's snapshots (a decoded image) follows no
    controller: its ``draw`` gets None and shows what the view holds.
    """

    frame_half: ClassVar[str] = FIRST_HALF
    max_per_second: ClassVar[float | None] = None  # None: every frame (second half only: the first has no throttle)

    _live_controller: Any = None
    _stale = False
    draws = 0

    def follow_frames(self, controller: Any, *also: SignalInstance) -> None:
        """Draw each snapshot ``controller`` publishes, and again on each signal in ``also``
        (a new selection, a live setting) by the same rules."""
        self._live_controller = controller
        controller.snapshotChanged.connect(self.frame_arrived)
        for signal in also:
            signal.connect(self.frame_arrived)

    @hook
    def draw(self, snapshot: EpochSnapshot) -> None:
        """Show ``snapshot``: the view's own work, called only while it is shown."""

    def wants_drawing(self) -> bool:
        """True when drawing now shows something: the view is on screen."""
        return self.isVisible()  # type: ignore[attr-defined]  (the QWidget this is mixed into)

    def in_sight_of_its_window(self) -> bool:
        """``wants_drawing`` for a view that also draws before its window is first shown
        (one a script or a test reads, or an export grabs)."""
        return not out_of_sight(self)  # type: ignore[arg-type]  (the QWidget this is mixed into)

    @property
    def stale(self) -> bool:
        """What the view shows is older than the controller's snapshot."""
        return self._stale

    def mark_stale(self) -> None:
        """Redraw on the next frame or when next shown, whichever comes first."""
        self._stale = True

    def frame_arrived(self, *_args: object) -> None:
        """A new snapshot (or selection, or setting): drawn in the view's half of the frame."""
        if self.frame_half == FIRST_HALF:
            self.render(self._live_controller.snapshot)
            return
        self._stale = True  # until the second half draws it, or the view is shown
        if self.wants_drawing():
            every_s = 0.0 if self.max_per_second is None else 1.0 / self.max_per_second
            self._live_controller.draw_later(self, self.catch_up, every_s=every_s)

    def render(self, snapshot: EpochSnapshot) -> None:  # noqa: A003 (the views' shared verb)
        """Draw ``snapshot`` now if the view is shown; otherwise catch up when it is."""
        if not self.wants_drawing():
            self.mark_stale()
            return
        self.draw_now(snapshot)

    def draw_now(self, snapshot: EpochSnapshot | None = None) -> None:
        """Draw whether shown or not (a user's own action on this view): ``snapshot``, or
        the controller's (None for a view that follows no controller)."""
        self._stale = False
        self.draws += 1
        if snapshot is None and self._live_controller is not None:
            snapshot = self._live_controller.snapshot
        self.draw(snapshot)

    def catch_up(self) -> None:
        """Draw the newest if the view is shown (the second half calls this): the
        controller's snapshot, or what a view that follows no controller holds."""
        self.render(None if self._live_controller is None else self._live_controller.snapshot)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)  # type: ignore[misc]  (the QWidget's)
        if self._stale:
            self.catch_up()
