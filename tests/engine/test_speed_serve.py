"""``python -m engine.commands.speed --serve``: the benchmark's headless side, asked for
rounds one line at a time, each round continuing the model's one session."""

import json

import pytest

from engine.commands import speed
from engine.core.session import TrainingSession


@pytest.fixture
def made(monkeypatch) -> list[TrainingSession]:
    """The sessions the server makes, in order."""
    sessions: list[TrainingSession] = []
    warm = speed._warm_session

    def counted(model):
        sessions.append(warm(model))
        return sessions[-1]

    monkeypatch.setattr(speed, "_warm_session", counted)
    return sessions


def test_each_request_trains_more_epochs_of_the_models_one_session(made):
    answers: list[str] = []
    speed.serve(["ae 5\n", "ae 7\n", "vae 3\n"], answers.append)
    assert [json.loads(a)["epochs_per_second"] > 0 for a in answers] == [True] * 3
    assert [s.config.model for s in made] == ["ae", "vae"]  # one session per model
    assert made[0].epoch == 1 + 5 + 7 and made[1].epoch == 1 + 3  # a warm-up epoch, then each round's


def test_a_bad_request_gets_an_error_line_and_the_next_is_answered():
    answers: list[str] = []
    speed.serve(["gan 5\n", "ae -1\n", "ae\n", "ae 1e3\n", "digits:gan 1\n", "digits: 1\n", "ae 2\n"],
                answers.append)
    errors = [json.loads(a).get("error", "") for a in answers[:6]]
    assert all("expected 'MODEL EPOCHS' or 'digits:MODEL EPOCHS'" in e for e in errors)
    assert json.loads(answers[6])["epochs_per_second"] > 0


def test_a_digit_request_trains_the_case_studys_model_one_untimed_epoch_then_the_timed_ones(made):
    answers: list[str] = []
    speed.serve(["digits:vae 1\n", "digits:vae 1\n"], answers.append)
    first, second = (json.loads(a) for a in answers)
    assert first["seconds_per_epoch"] > 0 and first["epochs_timed"] == 1 and first["threads"] >= 1
    assert second["seconds_per_epoch"] > 0
    assert len(made) == 1 and made[0].config.is_digits and made[0].config.model == "vae"
    assert made[0].epoch == 1 + 2 * (1 + 1)  # a warm-up epoch, then each round's untimed and timed one
