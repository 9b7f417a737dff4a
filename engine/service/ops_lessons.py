"""The lesson path's requests to the training host: its steps' sessions, made ahead and
on demand by a ``StepMaker`` (``engine.service.step_maker``).

Each window-side ``StepSessions`` names its own maker (``owner``), so a fresh one (the
benchmark's cold walk, a test's) starts with nothing made. A step's session is
answered with its id in the host's table: the controller adopts it as a handle.
"""

from __future__ import annotations

import threading
import weakref

from engine.core.runtime import threads_for
from engine.core.session_recipe import SessionRecipe
from engine.service.registry import op
from engine.service.step_maker import StepMaker

_MAKERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # table -> {owner: StepMaker}
_LOCK = threading.Lock()


def maker(table, owner: str) -> StepMaker:
    """The owner's maker in this host (made on first use)."""
    with _LOCK:
        makers = _MAKERS.setdefault(table, {})
        if owner not in makers:
            makers[owner] = StepMaker(table, before_make=lambda recipe: _use_threads(table, recipe.config))
        return makers[owner]


def _use_threads(table, config) -> None:
    """Torch's thread count is one for the whole host: the most that the session being
    made and every running session want (one for a 2x2 model: two threads on a tiny
    network only wait for each other, many times slower on a busy machine)."""
    import torch

    wanted = [threads_for(config)]
    for sid in table.ids():
        try:
            if table.runner(sid).running:
                wanted.append(threads_for(table.session(sid).config))
        except ValueError:  # closed meanwhile
            continue
    torch.set_num_threads(max(wanted))


@op("lesson_session")
def lesson_session(table, owner: str, recipe: SessionRecipe) -> int:
    """The step's session at its epoch (made first if it is not made yet)."""
    return maker(table, owner).session_for(recipe)


@op("lesson_prepare")
def lesson_prepare(table, owner: str, recipes: list[SessionRecipe]) -> None:
    """Make these steps' sessions ahead, in this order, on a background thread."""
    maker(table, owner).prepare(recipes)


@op("lesson_progress")
def lesson_progress(table, owner: str) -> tuple[bool, int]:
    """(still making sessions ahead, how many were made so far)."""
    m = maker(table, owner)
    return m.busy, m.made_count


@op("lesson_stop")
def lesson_stop(table, owner: str, timeout: float = 1.0) -> bool:
    """Stop making sessions ahead; True once the background is done."""
    with _LOCK:
        m = _MAKERS.get(table, {}).get(owner)
    return True if m is None else m.stop(timeout)
