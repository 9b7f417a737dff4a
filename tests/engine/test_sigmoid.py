"""The sigmoid, its table and the perceptron step, checked against torch itself."""

import math

import numpy as np
import pytest
import torch

from engine.core.named_weights import NetworkWeights
from engine.core.snapshot import network_weights
from engine.lecture.examples import SIGMOID_TABLE
from engine.lecture.models import TinyAutoencoder, TinyVAE
from engine.lecture.sigmoid import latent_unit_step, latent_units, perceptron_step, sigmoid, sigmoid_table


def test_sigmoid_matches_torch_and_never_overflows():
    xs = np.array([-1000.0, -40.0, -5.0, -1.0, 0.0, 0.5, 5.0, 40.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):
        ours = sigmoid(xs)
    assert np.allclose(ours, torch.sigmoid(torch.tensor(xs)).numpy(), rtol=1e-12, atol=0)
    assert ours[0] == 0.0 and ours[-1] == 1.0 and float(sigmoid(0.0)) == 0.5


def test_the_lecture_table_is_computed_and_agrees_with_the_slide_at_its_precision():
    rows = sigmoid_table([x for x, _ in SIGMOID_TABLE])
    for (x, value), (_, printed) in zip(rows, SIGMOID_TABLE, strict=True):
        assert value == pytest.approx(1 / (1 + math.exp(-x)))
        assert printed.matches(value), (x, value, printed.text)
    assert rows[0][1] == pytest.approx(0.0066929, abs=1e-7)  # the slide rounds it to 0.01


def test_sigmoid_refuses_what_is_not_a_number():
    with pytest.raises(ValueError, match="finite"):
        sigmoid(float("nan"))
    with pytest.raises(ValueError, match="numbers"):
        sigmoid("abc")


def test_perceptron_step_keeps_every_intermediate_number():
    step = perceptron_step([0.5, -1.0, 2.0, 0.0], 0.25, [0.6, 0.4, 0.4, 0.6])
    assert np.allclose(step.products, [0.3, -0.4, 0.8, 0.0])
    assert step.weighted_sum == pytest.approx(0.3 - 0.4 + 0.8 + 0.25)
    assert step.output == pytest.approx(1 / (1 + math.exp(-0.95)))
    linear = perceptron_step([1.0], -3.0, [1.0], activation="linear")
    assert linear.output == linear.weighted_sum == -2.0
    with pytest.raises(ValueError, match="4 weights needs 4 inputs"):
        perceptron_step([1, 2, 3, 4], 0.0, [1, 2])
    with pytest.raises(ValueError, match="activation"):
        perceptron_step([1.0], 0.0, [1.0], activation="relu")


def _params(model: torch.nn.Module) -> NetworkWeights:
    return network_weights(model)


def test_latent_unit_step_reproduces_the_autoencoders_encoder():
    torch.manual_seed(3)
    model = TinyAutoencoder()
    image = np.array([0.8, 0.65, 0.65, 0.8])
    with torch.no_grad():
        z = model.encode(torch.tensor(image, dtype=torch.float32)).numpy()
    (unit,) = latent_units("ae")
    for j in range(2):
        step = latent_unit_step(_params(model), unit, j, image)
        assert step.activation == "sigmoid" and step.output == pytest.approx(float(z[j]), abs=1e-6)
    with pytest.raises(ValueError, match="no unit 3"):
        latent_unit_step(_params(model), unit, 2, image)


def test_vae_latent_units_are_linear_and_give_mu_and_log_var():
    torch.manual_seed(4)
    model = TinyVAE()
    image = np.array([0.3, 0.9, 0.9, 0.3])
    with torch.no_grad():
        mu, log_var = (t.numpy() for t in model.encode(torch.tensor(image, dtype=torch.float32)))
    mu_unit, log_var_unit = latent_units("vae")
    assert mu_unit.activation == log_var_unit.activation == "linear"
    for j in range(2):
        assert latent_unit_step(_params(model), mu_unit, j, image).output == pytest.approx(float(mu[j]), abs=1e-6)
        assert latent_unit_step(_params(model), log_var_unit, j, image).output == pytest.approx(
            float(log_var[j]), abs=1e-6)
