"""The worked-out training step for the epoch on screen, shared by the backpropagation
panel, the diagram's gradient layer and the slow-motion step.

It is read from the session's stored checkpoint of that epoch (never from the model
being trained) and worked out by ``engine.lecture.backprop``; one computation per snapshot and
setting serves every view that asks in the same frame.
"""

from __future__ import annotations

import weakref

from desktop_app.controller import TrainingController
from engine.lecture.backprop import Backprop, breakdown
from engine.lecture.step_state import next_step_state

_SOURCES: weakref.WeakKeyDictionary[TrainingController, BreakdownSource] = weakref.WeakKeyDictionary()


class BreakdownSource:
    """``current()`` gives the breakdown of the step after the shown epoch, or raises a
    ValueError whose message the views show instead of numbers."""

    def __init__(self, controller: TrainingController) -> None:
        self.controller = controller
        self._key: tuple | None = None
        self._value: Backprop | ValueError | None = None
        controller.sessionReplaced.connect(lambda _s: self.forget())

    def forget(self) -> None:
        """Drop the cached step (and with it the reference to a replaced session)."""
        self._key, self._value = None, None

    def current(self) -> Backprop:
        c = self.controller
        snapshot = c.snapshot
        key = (c.session, snapshot, c.config)  # objects kept alive here, so identities cannot be reused
        if key != self._key:
            try:
                self._value = breakdown(next_step_state(c.session, snapshot.epoch))
            except ValueError as exc:
                self._value = exc
            self._key = key
        if isinstance(self._value, ValueError):
            raise self._value
        return self._value


def source_for(controller: TrainingController) -> BreakdownSource:
    """The one source per controller (views built separately share it)."""
    if controller not in _SOURCES:
        _SOURCES[controller] = BreakdownSource(controller)
    return _SOURCES[controller]
