"""The ops table: every request the training host answers, by name.

An op is ``fn(table, *args) -> picklable result``; register it with ``@op("name")``
in a module ``engine/service/ops_<topic>.py``. The host imports every such module it
finds (``load_ops``), so a helper adds ops without editing a shared list. An op
refuses bad input by raising ``ValueError`` with a message for the learner.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import engine.service

OPS: dict[str, Callable[..., object]] = {}


def op(name: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Register ``fn`` as the op ``name`` (a second op of the same name is a bug)."""

    def register(fn: Callable[..., object]) -> Callable[..., object]:
        if name in OPS and OPS[name] is not fn:
            raise RuntimeError(f"Two ops are called {name!r}.")
        OPS[name] = fn
        return fn

    return register


def load_ops() -> dict[str, Callable[..., object]]:
    """Import every ``engine.service.ops_*`` module; returns the table."""
    for module in pkgutil.iter_modules(engine.service.__path__):
        if module.name.startswith("ops_"):
            importlib.import_module(f"engine.service.{module.name}")
    return OPS
