"""The lesson steps' sessions in the training host (``engine.service.step_maker``), run
in-process with a plain table: made once, rewound to the same numbers on each visit,
remade when changed, and a step asked for is made first while the background waits."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.core.session_recipe import SessionRecipe
from engine.digits.pretrained import load_pretrained, pretrained_path
from engine.service.step_maker import StepMaker, make_session


class DictTable:
    """The host's session table, as the maker uses it."""

    def __init__(self) -> None:
        self.sessions: dict[int, TrainingSession] = {}
        self._lock = threading.Lock()
        self._last = 0

    def add(self, session: TrainingSession) -> int:
        with self._lock:
            self._last += 1
            self.sessions[self._last] = session
            return self._last

    def session(self, sid: int) -> TrainingSession:
        return self.sessions[sid]

    def close(self, sid: int) -> None:
        del self.sessions[sid]


AE = SessionRecipe(TrainingConfig(model="ae", seed=3), 40)


def trained_here(recipe: SessionRecipe) -> TrainingSession:
    session = TrainingSession(recipe.config)
    for _ in session.run(epochs=recipe.epochs):
        pass
    return session


def test_a_recipe_gives_the_engines_own_numbers_and_a_second_visit_makes_none():
    table = DictTable()
    maker = StepMaker(table)
    sid = maker.session_for(AE)
    session = table.session(sid)
    reference = trained_here(AE)
    assert session.epoch == 40 and session.latest.loss == reference.latest.loss
    for _ in session.run(epochs=25):  # the learner trains on
        pass
    assert maker.session_for(AE) == sid and maker.made_count == 1
    assert session.epoch == 40 and session.latest.loss == reference.latest.loss
    for name, value in reference.latest.params.items():
        np.testing.assert_array_equal(session.latest.params[name], value)


def test_a_changed_or_closed_session_is_made_afresh():
    table = DictTable()
    maker = StepMaker(table)
    sid = maker.session_for(AE)
    table.session(sid).set_images(np.eye(4))
    table.session(sid).refresh()  # an edit shown at epoch 40: not the step's numbers any more
    again = maker.session_for(AE)
    assert again != sid and maker.made_count == 2
    assert table.session(again).latest.loss == trained_here(AE).latest.loss
    table.close(again)
    assert maker.session_for(AE) not in (sid, again) and maker.made_count == 3


def test_a_fresh_recipe_is_never_kept():
    table = DictTable()
    maker = StepMaker(table)
    fresh = SessionRecipe(TrainingConfig(model="vae"))
    first, second = maker.session_for(fresh), maker.session_for(fresh)
    assert first != second and maker.made_count == 0 and table.session(first).epoch == 0


def test_a_shipped_recipe_loads_the_pretrained_file():
    table = DictTable()
    session = table.session(StepMaker(table).session_for(SessionRecipe.shipped("dae")))
    expected = load_pretrained(pretrained_path("dae")).latest
    assert session.epoch == expected.epoch == SessionRecipe.shipped("dae").epochs
    np.testing.assert_array_equal(session.latest.reconstructions, expected.reconstructions)
    with pytest.raises(ValueError, match="no shipped"):
        SessionRecipe.shipped("gan")


def test_sessions_made_ahead_are_taken_without_training():
    table = DictTable()
    maker = StepMaker(table)
    recipes = [AE, SessionRecipe(TrainingConfig(model="vae", seed=1), 30), SessionRecipe(TrainingConfig())]
    maker.prepare(recipes)
    assert wait_until(lambda: not maker.busy)
    assert maker.made_count == 2  # the fresh one is not made ahead
    sid = maker.session_for(recipes[1])
    assert maker.made_count == 2 and table.session(sid).epoch == 30


def wait_until(condition, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def test_a_step_asked_for_is_made_first_while_the_background_waits():
    """The background's sessions train only between epochs it may go on; while the
    learner's step is made, it waits (counted: no background epoch during it)."""
    table = DictTable()
    log: list[str] = []
    gate = threading.Event()

    def make(recipe, go_on=None):
        name = "urgent" if go_on is None else f"ahead{recipe.epochs}"
        session = TrainingSession(recipe.config)
        for _ in session.run(epochs=recipe.epochs):
            log.append(name)
            if go_on is not None:
                gate.set()
                if not go_on():
                    return None
        return session

    maker = StepMaker(table, make)
    maker.prepare([SessionRecipe(TrainingConfig(seed=s), 400) for s in (1, 2)])
    assert gate.wait(30)
    late = SessionRecipe(TrainingConfig(seed=9), 60)
    maker.session_for(late)
    urgent = [i for i, name in enumerate(log) if name == "urgent"]
    assert len(urgent) == 60
    between = log[urgent[0]:urgent[-1] + 1]
    assert len(between) - 60 <= 1  # the background's epoch under way when the step was asked for, at most
    assert maker.stop(timeout=30)


def test_stopping_cuts_the_background_short_and_keeps_nothing_half_made():
    table = DictTable()
    maker = StepMaker(table)
    maker.prepare([SessionRecipe(TrainingConfig(seed=5), 100_000)])
    assert wait_until(lambda: bool(maker._pending))
    assert maker.stop(timeout=30)
    assert maker.made_count == 0 and table.sessions == {}


def test_make_session_trains_the_recipes_epochs():
    session = make_session(SessionRecipe(TrainingConfig(seed=4), 7))
    assert session.epoch == 7 and len(session.history) == 7
