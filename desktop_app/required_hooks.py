"""Hooks a base class leaves to its subclasses, checked when a subclass is defined.

``abc.ABCMeta`` cannot be mixed into a Qt class (Shiboken's metaclass conflicts with
it), and a hook written as ``raise NotImplementedError`` fails only when first called:
on a click, a tab shown, a lesson step, long after the class was written. A base marks
its hooks with ``@hook``; a class that declares hooks of its own is abstract by that,
and any other subclass must define every hook it inherits, or its ``class`` statement
raises ``TypeError`` naming the class and the hook (so an import, and every test,
catches a forgotten one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

Method = TypeVar("Method", bound=Callable[..., Any])

_MARK = "__required_hook__"


def hook(method: Method) -> Method:
    """Mark ``method`` as one every concrete subclass defines (its body never runs)."""
    setattr(method, _MARK, True)
    return method


def is_hook(attribute: object) -> bool:
    return getattr(attribute, _MARK, False) is True


def missing_hooks(cls: type) -> list[tuple[str, type]]:
    """The hooks ``cls`` inherits without defining, each with the base that declares it
    (only ``RequiredHooks`` classes declare hooks: Qt's large classes are not searched)."""
    declared = {name: base for base in reversed(cls.__mro__) if issubclass(base, RequiredHooks)
                for name, value in vars(base).items() if is_hook(value)}
    return [(name, base) for name, base in sorted(declared.items()) if is_hook(getattr(cls, name))]


class RequiredHooks:
    """Mixin: subclasses that declare no hook of their own must define all they inherit."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if any(is_hook(value) for value in vars(cls).values()):
            return  # an abstract base: it leaves hooks of its own to its subclasses
        missing = missing_hooks(cls)
        if missing:
            names = ", ".join(f"{name}() (from {base.__name__})" for name, base in missing)
            raise TypeError(f"{cls.__name__} must define {names}: a hook its base leaves to subclasses.")
