"""The worked-out training step for the epoch on screen, shared by the backpropagation
panel, the diagram's gradient layer and the slow-motion step.

It is read from the session's stored checkpoint of that epoch (never from the model
being trained) and worked out by ``engine.lecture.backprop`` in the training host, where
the session and its torch random generator live (the step's noise or ε is drawn there
exactly as the step will draw it); one request per snapshot and setting serves every
view that asks in the same frame.
"""

from __future__ import annotations

import weakref

from desktop_app.controller import TrainingController
from desktop_app.training_process import HostError
from engine.lecture.backprop import Backprop

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
            self._value = self._ask(snapshot.epoch)
            self._key = key
        if isinstance(self._value, ValueError):
            raise self._value
        return self._value

    def _ask(self, epoch: int) -> Backprop | ValueError:
        c = self.controller
        if c.config.is_digits:  # said here, without a round trip
            return ValueError("The step is worked out for the lecture's 2x2 network, not the digit models.")
        if c.session_id is None:
            return ValueError("The training engine has stopped: press Restart training.")
        try:
            return c.host.call("step_breakdown", c.session_id, epoch)
        except HostError as exc:
            return ValueError(str(exc))


def source_for(controller: TrainingController) -> BreakdownSource:
    """The one source per controller (views built separately share it)."""
    if controller not in _SOURCES:
        _SOURCES[controller] = BreakdownSource(controller)
    return _SOURCES[controller]
