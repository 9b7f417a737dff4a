"""Where a session trains: the learner's choice resolved (CUDA, then MPS, then the CPU),
the 2x2 models always on the CPU, and a session on the CPU device training the same
numbers as before. Accelerators are simulated by monkeypatching torch's own checks;
the last test trains on a real one where the machine has it."""

import numpy as np
import pytest
import torch

from engine.core import device
from engine.core.config import TrainingConfig
from engine.core.device import available_devices, check_device_choice, resolve_device
from engine.core.session import TrainingSession
from engine.digits.training import case_study_config, evaluate

DIGITS = case_study_config("vae")


def machine(monkeypatch, cuda: bool, mps: bool) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)


@pytest.mark.parametrize(("cuda", "mps", "expected"), [
    (True, True, "cuda"), (True, False, "cuda"), (False, True, "mps"), (False, False, "cpu")])
def test_automatic_takes_cuda_then_mps_then_the_cpu(monkeypatch, cuda, mps, expected):
    machine(monkeypatch, cuda, mps)
    assert resolve_device("auto", DIGITS) == expected
    assert available_devices()[-1] == "cpu" and available_devices()[0] == expected


@pytest.mark.parametrize(("choice", "cuda", "mps", "expected"), [
    ("cuda", True, True, "cuda"), ("mps", True, True, "mps"), ("cpu", True, True, "cpu"),
    ("cuda", False, True, "cpu"), ("mps", True, False, "cpu")])
def test_a_chosen_device_is_used_when_present_and_the_cpu_otherwise(monkeypatch, choice, cuda, mps, expected):
    machine(monkeypatch, cuda, mps)
    assert resolve_device(choice, DIGITS) == expected


@pytest.mark.parametrize("choice", ["auto", "cuda", "mps"])
def test_the_2x2_models_stay_on_the_cpu_whatever_is_chosen(monkeypatch, choice):
    machine(monkeypatch, True, True)
    assert resolve_device(choice, TrainingConfig(model="vae")) == "cpu"


@pytest.mark.parametrize("bad", ["gpu", "", None, 0, "CUDA"])
def test_an_unknown_choice_is_refused_with_the_choices_named(bad):
    with pytest.raises(ValueError, match="auto, cuda, mps, cpu"):
        check_device_choice(bad)
    with pytest.raises(ValueError):
        resolve_device(bad, DIGITS)


def test_the_choices_import_without_torch():
    """The window keeps the choice as a preference and never imports torch."""
    assert device.DEVICE_CHOICES == ("auto", "cuda", "mps", "cpu")
    assert "torch" not in device.__dict__


@pytest.mark.parametrize("model", ["ae", "dae", "vae"])
def test_a_session_on_the_cpu_device_trains_the_same_numbers_as_before(model):
    config = TrainingConfig(model=model, seed=3)
    default, on_cpu = TrainingSession(config), TrainingSession(config, device="cpu")
    for _ in range(3):
        a, b = default.step(), on_cpu.step()
        assert a.loss == b.loss
    assert on_cpu.device == torch.device("cpu") and all(p.device.type == "cpu" for p in on_cpu.model.parameters())
    for name, value in on_cpu.latest.params.items():
        assert isinstance(value, np.ndarray)
        np.testing.assert_array_equal(value, default.latest.params[name])


def test_held_out_scoring_runs_where_the_model_is():
    session = TrainingSession(DIGITS, device="cpu")
    figures = evaluate(session.model, session.latest.images[:50].copy(), loss=DIGITS.loss, beta=DIGITS.beta)
    assert np.isfinite(figures["loss"]) and figures["outputs"].shape == (50, 784)


@pytest.mark.parametrize("accelerator", [
    pytest.param("cuda", marks=pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device here")),
    pytest.param("mps", marks=pytest.mark.skipif(not torch.backends.mps.is_available(), reason="no MPS device here")),
])
def test_a_session_on_an_accelerator_trains_close_to_the_cpu_and_hands_out_cpu_numpy(accelerator):
    config = TrainingConfig(model="dae", seed=1)
    on_cpu, on_gpu = TrainingSession(config), TrainingSession(config, device=accelerator)
    for _ in range(5):
        a, b = on_cpu.step(), on_gpu.step()
    assert b.loss == pytest.approx(a.loss, rel=1e-3)  # same draws (CPU generator), float differences only
    assert all(p.device.type == accelerator for p in on_gpu.model.parameters())
    assert isinstance(b.reconstructions, np.ndarray) and isinstance(b.params["encoder.weight"], np.ndarray)
    assert on_gpu.go_to_epoch(2).epoch == 2 and on_gpu.step().epoch == 3


def test_the_hosts_thread_count_is_the_one_a_run_set_on_its_own_thread():
    """OpenMP keeps a thread count per thread: the op reads the count the last run set
    (on the run's thread), not the stale one of the thread that asks."""
    import threading

    from engine.service.ops_device import torch_threads

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        run = threading.Thread(target=lambda: torch.set_num_threads(3))  # as ops_training._use_threads does
        run.start()
        run.join()
        assert torch.get_num_threads() == 1  # this thread still holds its own count
        assert torch_threads(None) == 3
    finally:
        torch.set_num_threads(before)


def test_a_recipe_keeps_the_choice_for_digits_and_the_cpu_for_the_2x2_models():
    from engine.core.session_recipe import SessionRecipe

    assert SessionRecipe(DIGITS, device="mps").device == "mps"
    assert SessionRecipe.shipped("vae", "cuda").device == "cuda"
    assert SessionRecipe(TrainingConfig(), 30, device="cuda") == SessionRecipe(TrainingConfig(), 30)  # one kept session
    with pytest.raises(ValueError, match="auto, cuda, mps, cpu"):
        SessionRecipe(DIGITS, device="gpu")


@pytest.mark.parametrize(("choice", "expected"), [("auto", "cuda"), ("cuda", "cuda"), ("mps", "cpu"), ("cpu", "cpu")])
def test_lesson_and_shipped_digit_sessions_are_placed_where_the_learner_chose(monkeypatch, choice, expected):
    """A lesson step's digit model (shipped pre-trained, or fresh) trains on the chosen
    device. No accelerator here: the placement is recorded and the session made on the CPU."""
    from engine.core.session_recipe import SessionRecipe
    from engine.service.step_maker import make_session

    machine(monkeypatch, cuda=True, mps=False)
    placed = []
    real_init, real_from_record = TrainingSession.__init__, TrainingSession.from_record.__func__

    def from_record(cls, record, device="cpu"):
        placed.append(("loaded", device))
        return real_from_record(cls, record, device="cpu")

    def init(self, config, images=None, device="cpu"):
        placed.append(("made", device))
        real_init(self, config, images, device="cpu")

    monkeypatch.setattr(TrainingSession, "from_record", classmethod(from_record))
    monkeypatch.setattr(TrainingSession, "__init__", init)
    make_session(SessionRecipe.shipped("vae", choice))
    make_session(SessionRecipe(DIGITS, device=choice))
    assert placed[0] == ("loaded", expected) and placed[-1] == ("made", expected)
