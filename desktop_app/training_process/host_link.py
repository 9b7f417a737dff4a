"""A controller's link to the training host: the life of the host seen from one
controller (its session's id, the updates delivered to it, the host's death and restart)
and the report shown when the host is gone.

The host keeps a weak reference back to the controller: when the controller goes (Qt
deletes it, or Python collects it), the link closes its session in the host and stops
delivering. Qt-free and torch-free.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.training_process.client import TrainingHost

if TYPE_CHECKING:
    from desktop_app.controller import TrainingController

HOST_LOST = "The training engine stopped (its process ended)"


@dataclass(frozen=True)
class HostLost:
    """Why training cannot go on: the training host died. Read by the banner as a
    divergence report is (``remedy``, ``message``); the mirror keeps every epoch."""

    epoch: int
    last_finite: None = None

    @property
    def remedy(self) -> str:
        return "restart"

    @property
    def message(self) -> str:
        return (f"{HOST_LOST}. Everything up to epoch {self.epoch:,} is kept: press Restart training "
                "to go on from there.")


class HostLink:
    """What the host holds for one controller: its session id, and a weak way back to
    the controller. When the controller goes (Qt deletes it, or Python collects it)
    the link closes its session in the host and stops delivering."""

    def __init__(self, host: TrainingHost, controller: TrainingController) -> None:
        self.host = host
        self.sid: int | None = None
        self.owned = True  # False: a session lent by its owner (HostedSession.lent), never closed here
        self._controller = weakref.ref(controller)
        host.on_died(self.died)
        host.on_restarted(self.restarted)

    def controller(self) -> TrainingController | None:
        return self._controller() if self.host is not None else None

    def deliver(self, message: object) -> None:
        controller = self.controller()
        if controller is not None:
            controller._on_message(message)

    def died(self) -> None:
        controller = self.controller()
        if controller is not None:
            controller._on_host_died()

    def restarted(self) -> None:
        controller = self.controller()
        if controller is not None:
            controller._on_host_restarted()

    def follow(self, sid: int, owned: bool = True) -> None:
        self.sid, self.owned = sid, owned
        self.host.subscribe(sid, self.deliver)

    def close_session(self) -> None:
        """Forget the session in the host (without waiting for the answer); one lent by
        its owner (a lesson step's) stays there."""
        sid, self.sid = self.sid, None
        if sid is not None and self.host is not None:
            self.host.unsubscribe(sid)
            if self.host.alive and self.owned:
                self.host.call_async("close", sid, on_error=lambda _error: None)

    def close(self, *_args: object) -> None:
        """The controller is gone."""
        if self.host is not None:
            self.close_session()
            self.host.forget_listener(self.died)
            self.host.forget_listener(self.restarted)
            self.host = None
