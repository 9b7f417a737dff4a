"""The training host through its client: requests, replies, refusals, streamed updates
(coalesced), and that training there is the engine's training (step equals run,
rewind and continue, live changes at epoch boundaries, divergence rollback).

Every test uses the app's one host (``training_host()``), as the window does."""

from __future__ import annotations

import time

import numpy as np
import pytest

from desktop_app.training_process import HostError, training_host
from desktop_app.training_process.mirror import apply_update
from engine.core.config import TrainingConfig
from engine.service.host import COALESCE_S
from engine.service.protocol import RunOutcome, SessionUpdate
from engine.service.runner import RunRequest


class Hosted:
    """A session in the host and the test's mirror of it, fed as a controller feeds its own."""

    def __init__(self, config: TrainingConfig | None = None, images: np.ndarray | None = None) -> None:
        config = config or TrainingConfig()
        self.host = training_host()
        self.sid, self.record = self.host.call("create", config, images)
        self.updates: list[SessionUpdate] = []
        self.outcomes: list[RunOutcome] = []
        self.host.subscribe(self.sid, self._on_message)

    def _on_message(self, message: object) -> None:
        if isinstance(message, SessionUpdate):
            self.updates.append(message)
            apply_update(self.record, message)
        else:
            self.outcomes.append(message)

    def run(self, timeout: float = 120.0, **request: object) -> RunOutcome:
        ended = len(self.outcomes)
        self.host.call("run", self.sid, RunRequest(**request))
        self.host.process_messages(until=lambda: len(self.outcomes) > ended, timeout=timeout)
        assert len(self.outcomes) > ended, "the run did not end in time"
        return self.outcomes[-1]

    def fresh_record(self):
        """The host's whole session, as a newly adopting window would get it."""
        return self.host.call("record", self.sid)

    def close(self) -> None:
        self.host.unsubscribe(self.sid)
        self.host.call("close", self.sid)


@pytest.fixture
def hosted(qapp):
    made: list[Hosted] = []

    def make(*args, **kwargs) -> Hosted:
        made.append(Hosted(*args, **kwargs))
        return made[-1]

    yield make
    for session in made:
        session.close()


def assert_same(mirror, truth) -> None:
    """Two records of a session hold the same epochs, losses and weights."""
    assert mirror.epoch == truth.epoch
    np.testing.assert_array_equal(mirror.history.as_array(), truth.history.as_array())
    assert mirror.checkpoints.epochs == truth.checkpoints.epochs
    for ours, theirs in zip(mirror.checkpoints, truth.checkpoints, strict=True):
        for name, value in theirs.snapshot.params.items():
            np.testing.assert_array_equal(ours.snapshot.params[name], value)


def test_a_reply_carries_the_result_and_a_refusal_its_message(hosted):
    host = training_host()
    assert host.call("ping") == host.process_id
    with pytest.raises(HostError, match="no request called 'no such op'"):
        host.call("no such op")
    session = hosted()
    with pytest.raises(HostError, match="learning rate") as refused:
        host.call("change", session.sid, {"learning_rate": -1.0})
    assert refused.value.details == ""  # a refusal, not a failure
    with pytest.raises(HostError, match="no such training session"):
        host.call("run", 987654, RunRequest(epochs=1))


def test_an_op_that_fails_unexpectedly_reports_its_traceback(hosted):
    session = hosted()
    with pytest.raises(HostError, match="AttributeError") as failed:
        training_host().call("run", session.sid, "not a request")
    assert "Traceback" in failed.value.details and "ops_training" in failed.value.details


def test_call_async_answers_on_the_gui_thread(hosted, qtbot):
    host, answers = training_host(), []
    host.call_async("ping", on_reply=lambda pid: answers.append(("reply", pid)))
    host.call_async("no such op", on_error=lambda error: answers.append(("error", str(error))))
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=10_000)
    assert answers[0] == ("reply", host.process_id)
    assert answers[1][0] == "error" and "no such op" in answers[1][1]


def test_updates_are_coalesced_and_the_mirror_equals_the_host(hosted):
    session = hosted()
    start = time.perf_counter()
    outcome = session.run(epochs=1500)
    elapsed = time.perf_counter() - start
    assert outcome.kind == "finished" and session.record.epoch == 1500
    # at most one update per COALESCE_S while it ran (plus the run's last one)
    assert len(session.updates) <= elapsed / COALESCE_S + 2
    assert len(session.updates) < 1500 / 3
    assert_same(session.record, session.fresh_record())


def test_thinning_in_the_mirror_follows_the_host(hosted):
    session = hosted(TrainingConfig(model="vae"))
    session.run(epochs=4100)  # past the 2,000-epoch cap: the store thinned twice
    truth = session.fresh_record()
    assert truth.checkpoints.stride >= 4
    assert_same(session.record, truth)


def test_a_step_at_a_time_equals_one_run(hosted):
    stepped, ran = hosted(), hosted()
    for _ in range(12):
        assert stepped.run(epochs=1).kind == "finished"
    ran.run(epochs=12)
    assert_same(stepped.record, ran.record)
    assert len(stepped.record.history) == 12


def test_going_back_and_continuing_retrains_the_same_epochs(hosted):
    rewound, straight = hosted(TrainingConfig(model="vae")), hosted(TrainingConfig(model="vae"))
    rewound.run(epochs=30)
    reached = training_host().call("go_to_epoch", rewound.sid, 10)
    assert reached == 10 and rewound.record.epoch == 10 and len(rewound.record.history) == 10
    rewound.run(epochs=20)
    straight.run(epochs=30)
    assert_same(rewound.record, straight.record)


def test_a_live_change_takes_effect_at_an_epoch_boundary(hosted):
    """A learning rate changed mid-run applies from one whole epoch on: the run equals
    one that stopped at that epoch, changed, and went on."""
    live, replay = hosted(), hosted()
    host = training_host()
    host.call("run", live.sid, RunRequest(epochs=60, epochs_per_second=200))
    host.process_messages(until=lambda: live.record.epoch >= 10, timeout=60)
    assert host.call("change", live.sid, {"learning_rate": 0.5}).learning_rate == 0.5
    host.process_messages(until=lambda: bool(live.outcomes), timeout=60)
    rates = [c.train_state["config"].learning_rate for c in live.record.checkpoints]
    first_new = next(c.snapshot.epoch for c in live.record.checkpoints
                     if c.train_state["config"].learning_rate == 0.5)
    assert 10 <= first_new < 60 and rates[0] != 0.5
    # checkpoint e holds the settings epoch e was trained with
    replay.run(epochs=first_new - 1)
    host.call("change", replay.sid, {"learning_rate": 0.5})
    replay.run(epochs=60 - (first_new - 1))
    assert_same(live.record, replay.record)


def test_divergence_rolls_back_to_the_last_finite_epoch_and_says_so(hosted):
    session = hosted(TrainingConfig(model="vae", optimizer="sgd", learning_rate=10.0, beta=1.0))
    outcome = session.run(epochs=200)
    assert outcome.kind == "diverged"
    facts, report = outcome.divergence, outcome.report
    assert facts.failed_epoch == session.record.epoch + 1  # nothing of the failed epoch was kept
    assert report.failed_epoch == facts.failed_epoch and "diverged" in report.message
    assert np.isfinite(session.record.latest.loss)
    assert np.isfinite(session.record.history.as_array()).all()
    assert_same(session.record, session.fresh_record())


def test_pause_finishes_the_epoch_under_way(hosted):
    session = hosted()
    host = training_host()
    host.call("run", session.sid, RunRequest())
    host.process_messages(until=lambda: session.record.epoch >= 5, timeout=60)
    host.call("pause", session.sid)
    host.process_messages(until=lambda: bool(session.outcomes), timeout=60)
    assert session.outcomes[-1].kind == "paused"
    assert_same(session.record, session.fresh_record())


def test_the_answer_to_run_arrives_before_anything_the_run_sends(hosted):
    """A run that fails in its first epoch ends at once; its outcome must still come
    after the run's number, or the window cannot tell it is its own (it waited forever)."""
    session, host = hosted(), training_host()
    host.call("fail_epochs", session.sid, "broken at once")
    for _ in range(25):
        ended = len(session.outcomes)
        run = host.call("run", session.sid, RunRequest(epochs=1))
        assert len(session.outcomes) == ended, "an outcome arrived before the run's number"
        host.process_messages(until=lambda: len(session.outcomes) > ended, timeout=60)  # noqa: B023
        assert session.outcomes[-1].run == run and session.outcomes[-1].kind == "error"


def test_a_request_sent_by_a_finalizer_in_the_middle_of_sending_is_sent_after_it(hosted):
    """The garbage collector can run a finalizer (a gone controller closing its session)
    while the window pickles a request; the close it sends must neither deadlock on the
    send lock nor split the request under way (CI once hung here)."""
    import faulthandler

    host, answers = training_host(), []

    class CollectedMidway:
        def __reduce__(self):
            host.call_async("ping", on_reply=answers.append)  # what a finalizer does
            return (str, ("PySide6",))

    faulthandler.dump_traceback_later(120, exit=True)  # a deadlock fails the run, not hangs it
    try:
        assert host.call("imported", CollectedMidway()) == []
        host.process_messages(until=lambda: bool(answers), timeout=60)
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert answers == [host.process_id]
    assert host.call("ping") == host.process_id  # the pipe carries whole messages still


def test_the_host_never_imports_qt(hosted):
    assert training_host().call("imported", "PySide6") == []
    assert training_host().call("imported", "desktop_app") == []
