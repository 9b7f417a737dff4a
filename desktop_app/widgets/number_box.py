"""The one spin box every typed number in the app goes through.

Qt's own spin boxes check each keystroke and silently drop what they do not expect:
"1e9" became 19, "1e-3" 13 and a seed of "-1" became 1, and a value the controller
refused stayed on screen while training used the old one. Here nothing typed is
dropped: the text is read when the learner presses Enter or leaves the box, with
``engine.core.typed_numbers.parse_typed_number`` (scientific notation, a comma as the
decimal mark, thousands separators), checked against the box's range and, if
given, the engine's own check; a refusal is said next to the box (``refused`` and a
tooltip there) and the last valid value is shown again. An owner that refuses a
value the box accepted (the controller) calls ``refuse(message)``, with the same
effect. The box comes in two flavours that share all of this, for whole numbers and
for real numbers, because Qt keeps their values in different types.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QSpinBox, QToolTip, QWidget

from engine.core.typed_numbers import parse_typed_number

Check = Callable[[float], object]  # raises ValueError with a sentence for a value it refuses
FLOAT_DECIMALS = 12  # Qt rounds a double spin box's value to its decimals: keep 1e-5 as 1e-5
HUGE = 1e15


class ValidatingBox:
    """What both flavours share (a plain mixin: Qt's virtual methods, overridden)."""

    refused: Signal  # declared by each flavour: the sentence, or "" once a value is accepted
    _whole = False
    what = "This number"
    check: Check | None = None
    example: str | None = None
    message = ""
    _accepted: float = 0.0
    _previous: float = 0.0

    def _setup(self, what: str, check: Check | None, example: str | None) -> None:
        self.what = what
        self.check = check
        self.example = example
        self.message = ""
        self._accepted = self.value()
        self._previous = self._accepted
        self.setKeyboardTracking(False)  # no half-typed "1" of "100" is ever applied
        self.setCorrectionMode(QSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.valueChanged.connect(self._value_committed)  # first in line, before the owner's slot

    # ----- reading what was typed ----------------------------------------------------
    def parse(self, text: str) -> float | int:
        """The number in ``text`` (prefix, suffix and a special "never" understood), or a
        ValueError with the sentence to show."""
        body = text.strip()
        if self.specialValueText() and body == self.specialValueText().strip():
            return self.minimum()
        prefix, suffix = self.prefix().strip(), self.suffix().strip()
        if prefix and body.startswith(prefix):
            body = body[len(prefix):]
        if suffix and body.endswith(suffix):
            body = body[: -len(suffix)]
        if self.check is not None:  # the engine's own rule and words, e.g. for a learning rate
            value = parse_typed_number(body, self.what, whole=self._whole, example=self.example)
            self.check(value)
            return value
        return parse_typed_number(body, self.what, self.minimum(), self.maximum(), whole=self._whole,
                                  example=self.example)

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 (Qt's)
        try:
            self.parse(text)
        except ValueError:
            return QValidator.State.Intermediate, text, pos  # kept as typed; judged when finished
        return QValidator.State.Acceptable, text, pos

    def fixup(self, text: str) -> str:
        """Called by Qt with text it cannot accept, just before it shows the last valid
        value again: say why, next to the box."""
        try:
            self.parse(text)
        except ValueError as exc:
            self._say(str(exc))
        return text

    def valueFromText(self, text: str) -> float | int:  # noqa: N802 (Qt's name)
        try:
            return self.parse(text)
        except ValueError:
            return self._accepted

    # ----- values set by the program, accepted and refused ----------------------------
    def setValue(self, value: float) -> None:  # noqa: N802 (Qt's name)
        """Set by the program (mirroring a model): the new last valid value."""
        super().setValue(value)
        self._accepted = self._previous = self.value()

    def refuse(self, message: str) -> None:
        """The owner refused the value just committed: show the one before it again, and why."""
        blocked = self.blockSignals(True)
        super().setValue(self._previous)
        self.blockSignals(blocked)
        self._accepted = self.value()
        self._say(message)

    def _value_committed(self, value: float) -> None:
        self._previous, self._accepted = self._accepted, value
        if self.message:
            self._say("")

    def _say(self, message: str) -> None:
        if message and message == self.message:  # Qt asks fixup twice for one Enter
            return
        self.message = message
        self.refused.emit(message)
        if message and self.isVisible():
            QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), message, self)


class WholeNumberBox(ValidatingBox, QSpinBox):
    """A validating spin box for whole numbers (epochs, seeds, sizes)."""

    refused = Signal(str)
    _whole = True

    def __init__(self, parent: QWidget | None = None, *, what: str = "This number", check: Check | None = None,
                 minimum: int = 0, maximum: int = 2**31 - 1, example: str | None = None) -> None:
        super().__init__(parent)
        self.setRange(minimum, maximum)
        self._setup(what, check, example)

    def textFromValue(self, value: int) -> str:  # noqa: N802 (Qt's name)
        return f"{value:,}" if self.isGroupSeparatorShown() else str(value)


class NumberBox(ValidatingBox, QDoubleSpinBox):
    """A validating spin box for real numbers (learning rates, β, ranges)."""

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, what: str = "This number", check: Check | None = None,
                 minimum: float = -HUGE, maximum: float = HUGE, example: str | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(FLOAT_DECIMALS)
        self.setRange(minimum, maximum)
        self._setup(what, check, example)

    def setDecimals(self, decimals: int) -> None:  # noqa: N802 (Qt's name)
        """Ignored: Qt would round the value itself to that many places (β 0.001 to 0);
        what is shown is ``textFromValue``'s."""
        super().setDecimals(FLOAT_DECIMALS)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt's name)
        """Short and exact enough to type back: 0.05, 1, 0.0001, 1e-5."""
        if value == 0:
            return "0"
        text = f"{value:.6g}"
        if "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}e{int(exponent)}"
        return text
