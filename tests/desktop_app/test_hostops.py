"""The training host's ops outside training, through the app's one host: lesson steps'
sessions, the backpropagation step, pre-trained digit models and trained records. Each
answer is checked against the same thing computed here, in this process, with torch."""

from __future__ import annotations

import uuid

import numpy as np
import pytest

from desktop_app.training_process import HostError, training_host
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.core.session_recipe import SessionRecipe
from engine.digits.pretrained import load_pretrained, pretrained_path
from engine.lecture.backprop import breakdown
from engine.lecture.step_state import next_step_state
from engine.service.protocol import RunOutcome
from engine.service.runner import RunRequest


def trained(config: TrainingConfig, epochs: int) -> TrainingSession:
    session = TrainingSession(config)
    for _ in session.run(epochs=epochs):
        pass
    return session


def run_in_host(host, sid: int, epochs: int) -> None:
    """Train a hosted session ``epochs`` epochs and wait for the run's outcome."""
    outcomes: list[RunOutcome] = []
    host.subscribe(sid, lambda message: outcomes.append(message) if isinstance(message, RunOutcome) else None)
    host.call("run", sid, RunRequest(epochs=epochs))
    host.process_messages(until=lambda: bool(outcomes), timeout=120)
    host.unsubscribe(sid)
    assert outcomes and outcomes[-1].kind == "finished"


def assert_same_snapshot(a, b) -> None:
    assert a.epoch == b.epoch and a.loss == b.loss
    for name, value in b.params.items():
        np.testing.assert_array_equal(a.params[name], value)
    np.testing.assert_array_equal(a.reconstructions, b.reconstructions)


def test_a_lesson_steps_session_is_made_once_in_the_host_and_rewound_on_each_visit(qapp):
    host, owner = training_host(), uuid.uuid4().hex
    recipe = SessionRecipe(TrainingConfig(model="vae", seed=2), 30)
    reference = trained(recipe.config, 30).latest
    sid = host.call("lesson_session", owner, recipe)
    assert_same_snapshot(host.call("record", sid).latest, reference)
    run_in_host(host, sid, 5)  # the learner trains on, then comes back
    assert host.call("lesson_session", owner, recipe) == sid
    assert host.call("lesson_progress", owner) == (False, 1)  # nothing made again
    assert_same_snapshot(host.call("record", sid).latest, reference)
    host.call("go_to_epoch", sid, 10)  # epoch 30 forgotten: made afresh on the next visit
    again = host.call("lesson_session", owner, recipe)
    assert again != sid and host.call("lesson_progress", owner) == (False, 2)
    assert_same_snapshot(host.call("record", again).latest, reference)
    assert host.call("lesson_stop", owner, 1.0)


def test_sessions_made_ahead_in_the_host_are_taken_without_training(qapp):
    host, owner = training_host(), uuid.uuid4().hex
    recipes = [SessionRecipe(TrainingConfig(seed=s), 20) for s in (4, 5)]
    host.call("lesson_prepare", owner, recipes)
    host.process_messages(until=lambda: not host.call("lesson_progress", owner)[0], timeout=120)
    assert host.call("lesson_progress", owner) == (False, 2)
    sid = host.call("lesson_session", owner, recipes[1])
    assert host.call("lesson_progress", owner) == (False, 2)
    assert_same_snapshot(host.call("record", sid).latest, trained(recipes[1].config, 20).latest)


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_the_backprop_step_from_the_host_is_the_one_worked_out_here(qapp, model):
    """The denoiser's noise and the VAE's ε come from the session's torch generator: the
    host draws them as the step will, exactly as a session trained here does."""
    host = training_host()
    config = TrainingConfig(model=model, seed=7)
    sid, _record = host.call("create", config, None)
    run_in_host(host, sid, 6)
    reference = trained(config, 6)
    for epoch in (6, 3):
        got, expected = host.call("step_breakdown", sid, epoch), breakdown(next_step_state(reference, epoch))
        assert got.loss == expected.loss
        for name, grad in expected.grads.items():
            np.testing.assert_array_equal(got.grads[name], grad)
            np.testing.assert_array_equal(got.next_params[name], expected.next_params[name])
    with pytest.raises(HostError, match="No stored epoch|no longer stored"):
        host.call("step_breakdown", sid, -1)
    host.call("close", sid)


def test_a_pretrained_digit_model_is_loaded_in_the_host(qapp):
    host = training_host()
    sid = host.call("load_pretrained", "dae")
    assert_same_snapshot(host.call("record", sid).latest, load_pretrained(pretrained_path("dae")).latest)
    host.call("close", sid)
    with pytest.raises(HostError, match="Unknown|no pre-trained"):
        host.call("load_pretrained", "gan")


def test_a_trained_record_is_the_engines_run(qapp):
    config = TrainingConfig(model="dae", seed=3)
    record, diverged = training_host().call("trained_record", config, 12)
    assert diverged is None and record.epoch == 12 and len(record.history) == 12
    assert_same_snapshot(record.latest, trained(config, 12).latest)
    blows_up = TrainingConfig(model="vae", optimizer="sgd", learning_rate=10.0, beta=1.0)
    record, diverged = training_host().call("trained_record", blows_up, 200)
    assert diverged is not None and "diverged" in diverged
    assert record.epoch < 200 and np.isfinite(record.latest.loss)  # kept up to the last finite epoch


@pytest.mark.parametrize("model", ["dae", "vae"])
def test_the_backprop_step_of_a_session_restored_from_its_mirror_is_the_same(qapp, model):
    """A file opened, or a restart after the host died: the host's session is rebuilt
    from the window's numpy record, and its next step still draws the same noise or ε."""
    host = training_host()
    sid, _record = host.call("create", TrainingConfig(model=model, seed=11, optimizer="adam"), None)
    run_in_host(host, sid, 4)
    restored = host.call("restore", host.call("record", sid))
    for epoch in (4, 2):
        a, b = host.call("step_breakdown", sid, epoch), host.call("step_breakdown", restored, epoch)
        assert a.loss == b.loss
        for name, grad in a.grads.items():
            np.testing.assert_array_equal(b.grads[name], grad)
        assert (a.next_adam is None) == (b.next_adam is None)
    for s in (sid, restored):
        host.call("close", s)
