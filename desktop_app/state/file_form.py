"""A screen's session-file form, written once for every screen: read the screen into its
state and give the state's JSON; check a JSON form against the screen; set the screen
from one. Each screen supplies its state type and its three functions (read, check,
apply: ``desktop_app.workbench_state``, ``desktop_app.case_studies.study_state``).
Qt-free: it only passes the screen along.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class FileForm:
    """``state_type`` has ``from_json``; its instances ``to_json``. ``apply`` takes the
    screen, the state and whatever the screen's models need (sessions opened from the file)."""

    state_type: type
    read_state: Callable[..., Any]
    check_state: Callable[..., None]
    apply_state: Callable[..., None]

    def read(self, screen: object) -> Json:
        """The screen as its file form."""
        return self.read_state(screen).to_json()

    def check(self, screen: object, form: object) -> None:
        """Raise ValueError naming what is wrong with ``form``; nothing on screen changes."""
        self.check_state(screen, self.state_type.from_json(form))

    def apply(self, screen: object, form: object, *models: object) -> None:
        """Set the screen from its file form (checked first by the state's ``from_json``)."""
        self.apply_state(screen, self.state_type.from_json(form), *models)
