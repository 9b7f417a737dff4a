"""engine.lecture.backprop: every factor and product of the chain rule against torch.autograd in
float64 and against finite differences; the reported update against the weights the
session's own next step produces. These tests do not require Qt."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from backprop_reference import product, torch_pass, torch_references, walk

from engine.core.config import TrainingConfig
from engine.core.session import TrainingDiverged, TrainingSession
from engine.lecture.backprop import Backprop, breakdown, parameter_keys, parameter_name, parse_key
from engine.lecture.step_state import next_step_state

MODELS = ("ae", "dae", "vae")
LOSSES = ("mse", "logloss")
TIGHT = 1e-9


def trained(model: str, loss: str, optimizer: str = "adam", epochs: int = 3, **extra) -> TrainingSession:
    session = TrainingSession(TrainingConfig(model=model, loss=loss, optimizer=optimizer, seed=5, **extra))
    for _ in range(epochs):
        session.step()
    return session


# ----- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("model", MODELS)
def test_every_factor_and_product_matches_torch_autograd_in_float64(model, loss):
    state = next_step_state(trained(model, loss))
    b = breakdown(state)
    for n in (0, 7):
        refs = torch_references(state, n)
        one = torch_pass(state, n)
        for key in parameter_keys(model):
            rule = b.chain_rule(key, n)
            tensor, index = parse_key(key, model)
            assert rule.value == pytest.approx(float(one["params"][tensor].grad[index]), abs=TIGHT), key
            assert rule.value == pytest.approx(product(f.value for f in rule.factors), abs=TIGHT), key
            for top in rule.factors:
                for factor in walk(top):
                    assert factor.symbol in refs, (key, factor.symbol)
                    assert factor.value == pytest.approx(refs[factor.symbol], abs=TIGHT), (key, factor.symbol)
                    if factor.terms:
                        assert factor.value == pytest.approx(sum(t.value for t in factor.terms), abs=TIGHT)
                        for term in factor.terms:
                            assert term.value == pytest.approx(product(f.value for f in term.factors), abs=TIGHT)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("model", MODELS)
def test_forward_pass_loss_terms_and_batch_gradient_match_torch(model, loss):
    state = next_step_state(trained(model, loss))
    b = breakdown(state)
    t = torch_pass(state, slice(None))
    assert b.outputs == pytest.approx(t["y"].detach().numpy(), abs=TIGHT)
    assert b.output_sums == pytest.approx(t["s"].detach().numpy(), abs=TIGHT)
    assert b.latent == pytest.approx(t["z"].detach().numpy(), abs=TIGHT)
    assert b.pixel_terms == pytest.approx(t["per_pixel"].detach().numpy(), abs=TIGHT)
    assert b.image_losses == pytest.approx(t["per_image"].detach().numpy(), abs=TIGHT)
    assert b.loss == pytest.approx(float(t["loss"].detach()), abs=TIGHT)
    if model == "vae":
        assert b.mu == pytest.approx(t["mu"].detach().numpy(), abs=TIGHT)
        assert b.log_var == pytest.approx(t["log_var"].detach().numpy(), abs=TIGHT)
        assert b.kl_terms == pytest.approx(t["kl"].detach().numpy(), abs=TIGHT)
        assert b.eps == pytest.approx(state.eps, abs=0)
    else:
        assert b.hidden_sums == pytest.approx(t["h"].detach().numpy(), abs=TIGHT)
    for key in parameter_keys(model):
        tensor, index = parse_key(key, model)
        assert b.chain_rule(key, 0).batch == pytest.approx(float(t["params"][tensor].grad[index]), abs=TIGHT)
        assert b.chain_rule(key, 0).batch == pytest.approx(b.chain_rule(key, 3).per_image.mean(), abs=TIGHT)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("model", MODELS)
def test_batch_gradient_matches_finite_differences(model, loss):
    state = next_step_state(trained(model, loss))
    b = breakdown(state)
    h = 1e-6
    for key in parameter_keys(model):
        tensor, index = parse_key(key, model)

        def loss_with(delta: float, tensor=tensor, index=index) -> float:
            params = {k: np.array(v, dtype=np.float64) for k, v in state.params.items()}
            params[tensor][index] += delta
            return breakdown(dataclasses.replace(state, params=params)).loss

        numeric = (loss_with(h) - loss_with(-h)) / (2 * h)
        assert b.grads[tensor][index] == pytest.approx(numeric, rel=1e-5, abs=1e-7), key


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("epochs", [0, 4])
def test_reported_update_is_the_sessions_next_step(model, loss, optimizer, epochs):
    """From the random start (a fresh Adam) and after a few epochs: the weights the
    breakdown predicts are the weights the session's own step produces (float32)."""
    session = trained(model, loss, optimizer, epochs=epochs)
    b = breakdown(next_step_state(session))
    updates = {key: b.update(key) for key in parameter_keys(model)}
    snapshot = session.step()
    assert snapshot.loss == pytest.approx(b.loss, abs=1e-6)
    for key, update in updates.items():
        tensor, index = parse_key(key, model)
        after = float(snapshot.params[tensor][index])
        assert update.new_weight == pytest.approx(after, abs=1e-6), key
        assert update.weight + update.delta == pytest.approx(update.new_weight, abs=1e-12)
        if optimizer == "sgd":
            assert update.delta == pytest.approx(-update.learning_rate * update.gradient, abs=1e-15)
    if optimizer == "adam":
        saved = session.optimizer.state_dict()["state"]
        names = list(b.grads)
        for key, update in updates.items():
            tensor, index = parse_key(key, model)
            slot = saved[names.index(tensor)]
            assert update.step == int(slot["step"]) == epochs + 1
            assert update.m == pytest.approx(float(slot["exp_avg"][index]), abs=1e-7)
            assert update.v == pytest.approx(float(slot["exp_avg_sq"][index]), abs=1e-9)
            assert update.delta == pytest.approx(
                -update.learning_rate * update.m_hat / (np.sqrt(update.v_hat) + update.eps), abs=1e-12)


def test_adam_reading_says_why_its_step_differs_from_eta_times_g():
    b = breakdown(next_step_state(trained("ae", "mse", "adam", epochs=0)))
    first = b.update("decoder.weight[0,0]")
    assert first.step == 1 and "first step" in first.reading
    assert abs(first.delta) == pytest.approx(first.learning_rate, rel=1e-4)  # m̂/√v̂ = ±1
    later = breakdown(next_step_state(trained("ae", "mse", "adam", epochs=30))).update("decoder.weight[0,0]")
    assert later.step == 31
    assert ("larger" in later.reading) == (abs(later.delta) > abs(later.plain_delta))


def test_a_past_epoch_explains_the_step_that_followed_it():
    """Rewinding and stepping again gives the same weights: the stored generator state
    draws the same noise, so the breakdown of epoch 1 is the step 1 -> 2."""
    session = trained("dae", "mse", epochs=4)
    b = breakdown(next_step_state(session, epoch=1))
    session.go_to_epoch(1)
    after = session.step()
    for tensor, values in after.params.items():
        assert b.next_params[tensor] == pytest.approx(values.astype(np.float64), abs=1e-6)


def test_a_queued_learning_rate_is_the_one_the_next_step_uses():
    session = trained("ae", "mse", "sgd")
    session.change(learning_rate=0.5)
    b = breakdown(next_step_state(session))
    assert b.config.learning_rate == 0.5
    after = session.step()
    assert b.next_params["decoder.bias"] == pytest.approx(after.params["decoder.bias"].astype(np.float64), abs=1e-6)


def test_the_denoiser_is_fed_noise_and_judged_against_the_clean_image():
    state = next_step_state(trained("dae", "mse"))
    assert not np.allclose(state.inputs, state.targets)
    b = breakdown(state)
    rule = b.chain_rule("encoder.weight[0,2]", 0)
    assert rule.factors[-1].symbol == "x̃₃" and rule.factors[-1].value == pytest.approx(state.inputs[0, 2])
    assert b.pixel_terms[0] == pytest.approx((b.outputs[0] - state.targets[0]) ** 2)


def test_names_and_formulas_read_like_the_lecture():
    assert parameter_name("decoder.weight[1,0]", "ae") == "weight z₁ → y₂"
    assert parameter_name("encoder_log_var.bias[1]", "vae") == "bias of ln σ₂²"
    assert parameter_name("encoder.weight[0,3]", "dae") == "weight x₄ → z₁"
    b = breakdown(next_step_state(trained("ae", "mse")))
    assert b.chain_rule("decoder.weight[1,0]", 0).formula == "∂L/∂w = ∂L/∂y₂ · σ′(s₂) · z₁"
    assert len(b.chain_rule("encoder.weight[0,0]", 0).factors[0].terms) == 4  # the sum over the four outputs
    assert b.chain_rule("decoder.bias[2]", 0).formula == "∂L/∂b = ∂L/∂y₃ · σ′(s₃) · 1"
    assert len(parameter_keys("ae")) == 8 + 2 + 8 + 4 and len(parameter_keys("vae")) == 8 + 2 + 8 + 2 + 8 + 4


@pytest.mark.parametrize("bad", ["decoder.weight[4,0]", "encoder_mu.weight[0,0]", "nonsense", "decoder.bias[0,1]"])
def test_an_unknown_weight_is_refused_with_a_message(bad):
    b = breakdown(next_step_state(trained("ae", "mse", epochs=1)))
    with pytest.raises(ValueError, match="no weight or bias called"):
        b.chain_rule(bad, 0)


def test_diverged_weights_and_overflowing_steps_are_explained_not_computed():
    state = next_step_state(trained("ae", "mse", epochs=1))
    broken = {**state.params, "decoder.bias": np.array([np.nan, 0, 0, 0], dtype=np.float32)}
    with pytest.raises(ValueError, match="diverged"):
        breakdown(dataclasses.replace(state, params=broken))
    vae = next_step_state(trained("vae", "mse", epochs=1))
    huge = {**vae.params, "encoder_log_var.bias": np.array([2000.0, 0], dtype=np.float32)}
    with pytest.raises(ValueError, match="infinite or not a number"):
        breakdown(dataclasses.replace(vae, params=huge))


@pytest.mark.parametrize(("loss", "rate", "beta"), [
    ("mse", 10.0, 100.0), ("mse", 2.0, 1.0), ("logloss", 2.0, 1.0), ("logloss", 10.0, 1.0), ("mse", 5.0, 5.0)])
def test_a_session_that_diverged_is_explained_at_its_last_finite_epoch(loss, rate, beta):
    """The session diverges in float32; the float64 breakdown of that same step must
    not pretend it went well (some of these sums overflow only in float32)."""
    config = TrainingConfig(model="vae", optimizer="sgd", learning_rate=rate, beta=beta, loss=loss)
    session = TrainingSession(config)
    with pytest.raises(TrainingDiverged), np.errstate(all="ignore"):
        for _ in range(60):
            session.step()
    with pytest.raises(ValueError, match="diverges here"):
        breakdown(next_step_state(session))


def test_mini_batches_and_digit_models_are_refused_plainly():
    session = TrainingSession(TrainingConfig(batch_size=8, seed=1))
    with pytest.raises(ValueError, match="full-batch"):
        breakdown(next_step_state(session))
    state = next_step_state(trained("ae", "mse", epochs=0))
    with pytest.raises(ValueError, match="2x2 network"):
        breakdown(dataclasses.replace(state, config=TrainingConfig(dataset="mnist")))


def test_breakdown_is_a_plain_numpy_object():
    b = breakdown(next_step_state(trained("vae", "logloss")))
    assert isinstance(b, Backprop)
    assert all(isinstance(v, np.ndarray) for v in b.grads.values())
