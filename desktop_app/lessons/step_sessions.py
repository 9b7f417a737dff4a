"""Trained sessions for the lesson's steps, made ahead so entering a step never waits.

A step that shows a model trained to epoch N needs a fresh session with its seed
trained N epochs (a second or more on a busy laptop); a digit model would take minutes
(those are shipped pre-trained, ``engine.digits.pretrained``). The sessions live in the
training host (``engine.service.step_maker``): while the learner reads the first steps,
the host makes every such session once on a background thread; entering a step takes
its session there, rewound to epoch N (weights, optimiser, random generator and data
exactly), and the controller adopts it as a handle, without copying it. A step the
learner jumps to before the background got there is made first, the background waiting
meanwhile. The numbers are the same on every visit, however far the learner trained
it the last time.

Each ``StepSessions`` has its own sessions in the host (a fresh one starts with none
made: the benchmark's cold walk). Nothing here imports torch.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

from desktop_app.preferences import training_device
from desktop_app.state.screen import CASE_STUDY_MODELS, ScreenState
from desktop_app.training_process import HostError, training_host
from engine.core.config import TrainingConfig
from engine.core.record import SessionRecord
from engine.core.session_recipe import SessionRecipe
from engine.digits.settings import case_study_config
from engine.service.protocol import HostedSession

MAKE_TIMEOUT_S = 600.0  # a step's session made on demand (seconds on a busy machine)


def workbench_config(state: ScreenState) -> TrainingConfig:
    return TrainingConfig(model=state.model, dataset=state.dataset, loss=state.loss, seed=state.seed)


def recipe_for(state: ScreenState) -> SessionRecipe:
    """How the host makes the step's session: trained to its epoch (the workbench), the
    shipped pre-trained model (a case study's trained step) or a fresh one (epoch 0)."""
    if state.tab == "workbench":
        return SessionRecipe(workbench_config(state), state.epoch)
    device = training_device()  # the learner's choice: the host places the digit model
    if state.epoch:
        return SessionRecipe.shipped(CASE_STUDY_MODELS[state.tab], device)
    return SessionRecipe(case_study_config(state.model), device=device)


class StepSessions:
    """The steps' sessions in the training host: made once, rewound on each visit."""

    def __init__(self) -> None:
        self.owner = uuid.uuid4().hex  # names this set of sessions in the host
        self._mirrors: dict[tuple[int, int], SessionRecord] = {}  # (host generation, id) -> the window's mirror

    def session_for(self, state: ScreenState) -> HostedSession:
        """The step's session at its epoch, for a controller to adopt. Call only when no
        controller trains a session handed out before (it has been shut down).

        A kept session comes with the window's mirror of it: fetched whole on the first
        visit, and on later ones the mirror of the last visit (the controller kept it
        level with the host) rewound as the host rewound the session, so a second visit
        costs one short request instead of the whole record."""
        recipe = recipe_for(state)
        host = training_host()
        sid = host.call("lesson_session", self.owner, recipe, timeout=MAKE_TIMEOUT_S)
        if not recipe.kept:
            return HostedSession(sid)
        key = (host.generation, sid)  # a restarted host numbers its sessions afresh
        mirror = self._mirrors.get(key)
        if mirror is None or mirror.epoch < recipe.epochs:
            mirror = self._mirrors[key] = host.call("record", sid)
        else:
            mirror.truncate_after(recipe.epochs)  # what go_to_epoch did in the host
        return HostedSession(sid, lent=True, record=mirror)  # the next visit rewinds it again

    def prepare(self, states: Iterable[ScreenState]) -> None:
        """Have the host make the trained sessions of ``states`` in the background, in this order."""
        training_host().call("lesson_prepare", self.owner, [recipe_for(s) for s in states if s.epoch])

    @property
    def made_count(self) -> int:
        """Sessions made so far (for tests: a second visit makes none)."""
        return training_host().call("lesson_progress", self.owner)[1]

    def shutdown(self, timeout: float = 1.0) -> bool:
        """Stop making sessions ahead (the window closes); a host that is gone (shut down
        first, or dead) makes nothing any more."""
        host = training_host()
        if not host.alive:
            return True
        try:
            return host.call("lesson_stop", self.owner, timeout, timeout=timeout + 10.0)
        except HostError:
            return True

    def wait(self, timeout: float | None = None) -> bool:
        """For tests and the benchmark: wait until the background is done."""
        end = None if timeout is None else time.monotonic() + timeout
        while training_host().call("lesson_progress", self.owner)[0]:
            if end is not None and time.monotonic() > end:
                return False
            time.sleep(0.05)
        return True
