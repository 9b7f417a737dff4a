"""The run bar's state: how fast Play trains, where it stops by itself, how many epochs
Run trains (``ControlsBar`` renders one and its inputs write to it; a saved session and
a lesson step set it).

The stop-at loss is kept as the text the learner typed ("" for none): the controller
judges the number (one place validates) and a refused one is taken back out of the
state, as it is out of the box. Qt-free.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.state.checks import checked_whole
from desktop_app.state.evented import Evented, checked_field
from engine.core.config import MAX_EPOCHS

SPEEDS: tuple[tuple[float | None, str], ...] = (
    (1.0, "1 epoch/s"), (3.0, "3 epochs/s"), (10.0, "10 epochs/s"), (30.0, "30 epochs/s"),
    (100.0, "100 epochs/s"), (300.0, "300 epochs/s"), (1000.0, "1,000 epochs/s"), (None, "fastest"),
)
SPEED_VALUES = tuple(value for value, _title in SPEEDS)
DEFAULT_SPEED = 30.0  # the first run of a newcomer: about ten seconds to watch the diagonals being learned
#: The run bar's inputs by the names a saved session's ``controls`` table gives them.
RUN_CONTROLS = ("speed", "stop_epoch", "stop_loss", "run_epochs")


def _speed(value: object) -> float | None:
    if value not in SPEED_VALUES or isinstance(value, bool):
        raise ValueError(f"unknown speed {value!r} (known: {', '.join(t for _v, t in SPEEDS)})")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, found {value!r}")
    return value.strip()


@dataclass(eq=False)
class RunBarState(Evented):
    """``speed`` in epochs a second (None: as fast as it goes); ``stop_epoch`` 0: never."""

    speed: float | None = checked_field(DEFAULT_SPEED, check=_speed)
    stop_epoch: int = checked_field(0, check=lambda v: checked_whole(v, 0, MAX_EPOCHS))
    stop_loss: str = checked_field("", check=_text)
    run_epochs: int = checked_field(100, check=lambda v: checked_whole(v, 1, MAX_EPOCHS))

    def to_controls(self) -> dict[str, Any]:
        """The session file's form: the speed as its row in the speed box."""
        return {"speed": SPEED_VALUES.index(self.speed), "stop_epoch": self.stop_epoch,
                "stop_loss": self.stop_loss, "run_epochs": self.run_epochs}

    @classmethod
    def from_controls(cls, controls: Mapping[str, Any]) -> RunBarState | None:
        """The run bar a saved ``controls`` table describes; None when it names none of
        its inputs (the run bar stays as it is)."""
        if not any(key in controls for key in RUN_CONTROLS):
            return None
        values: dict[str, Any] = {key: controls[key] for key in RUN_CONTROLS[1:] if key in controls}
        if "speed" in controls:
            values["speed"] = SPEED_VALUES[checked_whole(controls["speed"], 0, len(SPEEDS) - 1)]
        return cls(**values)
