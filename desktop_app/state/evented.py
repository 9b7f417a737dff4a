"""A small evented dataclass: typed fields, one change signal per field, no Qt.

After napari's ``EventedModel`` (``napari/utils/events/evented_model.py``): each field
has its own emitter under ``state.events.<field>``; setting a field to a value equal to
the one it holds (arrays compared element by element) emits nothing, so a widget that
mirrors the state and writes the same value back ends the round trip there. A field may
name a check (``checked_field``) that raises ``ValueError`` for a value the screen
cannot show: one place validates, whoever sets it (a widget, a lesson step, a file).

No Qt on purpose: a state is built, changed and compared in tests without a
QApplication, and a lesson file or a saved session becomes one without a window.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Callable
from typing import Any

import numpy as np

CHECK = "check"


class Signal:
    """A list of callbacks called in order with the new value (Qt-free, same-thread)."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: list[Callable[..., object]] = []

    def connect(self, slot: Callable[..., object]) -> None:
        self._slots.append(slot)

    def disconnect(self, slot: Callable[..., object]) -> None:
        self._slots.remove(slot)

    def emit(self, *args: object) -> None:
        for slot in list(self._slots):  # a slot may disconnect itself
            slot(*args)

    def __len__(self) -> int:
        return len(self._slots)


class Events:
    """One ``Signal`` per field, by the field's name."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self._names = names
        for name in names:
            setattr(self, name, Signal())

    def __iter__(self):
        return iter(self._names)


def same(a: object, b: object) -> bool:
    """Equal values, arrays and tuples of arrays included (``==`` on arrays is no answer)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and np.array_equal(a, b))
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


def checked_field(default: object = dataclasses.MISSING, *, check: Callable[[Any], Any] | None = None,
                  factory: Callable[[], Any] | None = None) -> Any:
    """A dataclass field whose values pass ``check`` (which returns the value to keep or
    raises ValueError) every time it is set, the first time included."""
    kwargs: dict[str, Any] = {"metadata": {CHECK: check}}
    if factory is not None:
        kwargs["default_factory"] = factory
    else:
        kwargs["default"] = default
    return dataclasses.field(**kwargs)


@functools.cache
def _fields(cls: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(cls)}


class Evented:
    """Base of the screens' states; subclasses are ``@dataclass(eq=False)``.

    ``update`` sets several fields (one signal each, for those that change); ``apply``
    makes this state equal to another of its kind while keeping nested states (and so
    the widgets bound to them); ``copy`` is a detached deep copy; ``==`` compares values.
    """

    events: Events

    def __post_init__(self) -> None:
        object.__setattr__(self, "events", Events(self.field_names()))

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(_fields(cls))

    def __setattr__(self, name: str, value: object) -> None:
        fields = _fields(type(self))
        if name not in fields:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        check = fields[name].metadata.get(CHECK)
        if check is not None:
            value = check(value)
        events = self.__dict__.get("events")
        if events is not None and same(self.__dict__[name], value):
            return
        object.__setattr__(self, name, value)
        if events is not None:
            getattr(events, name).emit(value)

    def update(self, **values: object) -> None:
        """Set the named fields in order; every value is checked before any is set."""
        fields = _fields(type(self))
        for name, value in values.items():
            if name not in fields:
                raise AttributeError(f"{type(self).__name__} has no field {name!r}")
            check = fields[name].metadata.get(CHECK)
            if check is not None:
                check(value)
        for name, value in values.items():
            setattr(self, name, value)

    def apply(self, other: Evented) -> None:
        """Become equal to ``other`` field by field (nested states are applied, not replaced)."""
        if type(other) is not type(self):
            raise TypeError(f"cannot apply a {type(other).__name__} to a {type(self).__name__}")
        for name in self.field_names():
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, Evented) and type(mine) is type(theirs):
                mine.apply(theirs)
            else:
                setattr(self, name, copy.deepcopy(theirs))

    def copy(self) -> Evented:
        """A deep copy with its own (unconnected) signals."""
        values = {name: getattr(self, name) for name in self.field_names()}
        return type(self)(**{k: v.copy() if isinstance(v, Evented) else copy.deepcopy(v) for k, v in values.items()})

    def __deepcopy__(self, memo: dict) -> Evented:
        """A state inside a list or table is copied without its listeners (never a widget)."""
        return self.copy()

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.field_names()}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(same(getattr(self, n), getattr(other, n)) for n in self.field_names())

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.field_names())
        return f"{type(self).__name__}({inner})"
