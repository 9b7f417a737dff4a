"""The slides' examples: computed by the engine, compared with hand values and torch,
and with the figures the slides print."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.lecture.examples import KL_EXAMPLES, LOG_LOSS_EXAMPLES, MSE_EXAMPLES, PrintedFigure
from engine.lecture.gaussian import bell_curve, curve_range, latent_kl_parts, normal_pdf
from engine.lecture.loss_breakdowns import kl_divergence, log_loss, mse


def test_printed_figures_know_their_precision():
    figure = PrintedFigure("0.0046")
    assert figure.value == 0.0046 and figure.decimals == 4
    assert figure.matches(0.0046) and figure.matches(0.00464) and not figure.matches(0.00466)
    assert not figure.matches(float("inf")) and not figure.matches(float("nan"))
    assert PrintedFigure("0.5").matches(0.5) and PrintedFigure("0.01").matches(0.0067)


def test_mse_examples_by_hand_by_torch_and_as_printed():
    by_hand = [
        (0.6 - 0.65) ** 2 + (0.4 - 0.42) ** 2 + (0.4 - 0.36) ** 2 + (0.6 - 0.59) ** 2,
        (0.6 - 0.1) ** 2 + (0.4 - 0.9) ** 2 + (0.4 - 0.85) ** 2 + (0.6 - 0.2) ** 2,
    ]
    for example, hand in zip(MSE_EXAMPLES, by_hand, strict=True):
        total = mse(example.x_array, example.y_array).total
        torch_total = F.mse_loss(torch.tensor(example.y_array), torch.tensor(example.x_array), reduction="sum")
        assert total == pytest.approx(hand) == pytest.approx(float(torch_total))
        assert example.printed_total.matches(total)


def test_log_loss_examples_by_hand_by_torch_and_as_printed():
    by_hand = [-4 * math.log(0.9), -4 * math.log(0.2)]
    for example, hand in zip(LOG_LOSS_EXAMPLES, by_hand, strict=True):
        total = log_loss(example.x_array, example.y_array).total
        torch_total = F.binary_cross_entropy(torch.tensor(example.y_array), torch.tensor(example.x_array),
                                             reduction="sum")
        assert total == pytest.approx(hand) == pytest.approx(float(torch_total))
        assert example.printed_total.matches(total)


def test_kl_examples_by_hand_by_torch_and_against_the_slides():
    close, far = KL_EXAMPLES
    hand_close = 0.1 * math.log(0.1 / 0.15) + 0.2 * math.log(0.2 / 0.15)
    hand_far = sum(p * math.log(p / q) for p, q in zip(far.p, far.q, strict=True))
    for example, hand in ((close, hand_close), (far, hand_far)):
        total = kl_divergence(example.p_array, example.q_array).total
        # F.kl_div(input=ln q, target=p) computes Σ p (ln p − ln q) = KL(p, q)
        torch_total = F.kl_div(torch.tensor(example.q_array).log(), torch.tensor(example.p_array), reduction="sum")
        assert total == pytest.approx(hand) == pytest.approx(float(torch_total))
    assert far.printed_total.matches(kl_divergence(far.p_array, far.q_array).total)
    # The first slide prints 0.132 under a sum that comes to 0.017: the app says so.
    assert hand_close == pytest.approx(0.016990, abs=1e-6)
    assert not close.printed_total.matches(hand_close)


def test_example_inputs_are_valid_and_frozen():
    for example in MSE_EXAMPLES + LOG_LOSS_EXAMPLES:
        assert example.x_array.shape == example.y_array.shape == (2, 2)
    for example in KL_EXAMPLES:
        assert example.p_array.sum() == pytest.approx(1) and example.q_array.sum() == pytest.approx(1)
    with pytest.raises(AttributeError):
        MSE_EXAMPLES[0].x = ((0, 0), (0, 0))


def test_normal_pdf_and_latent_kl_parts_against_torch():
    xs = np.linspace(-3, 3, 7)
    expected = torch.distributions.Normal(0.5, 2.0).log_prob(torch.tensor(xs)).exp().numpy()
    assert np.allclose(normal_pdf(xs, 0.5, 2.0), expected)
    with pytest.raises(ValueError, match="positive spread"):
        normal_pdf(xs, 0.0, 0.0)
    mu, log_var = np.array([0.3, -1.2]), np.array([-0.5, 0.2])
    parts = latent_kl_parts(mu, log_var)
    sigma = np.exp(0.5 * log_var)
    reference = torch.distributions.kl_divergence(
        torch.distributions.Normal(torch.tensor(mu), torch.tensor(sigma)),
        torch.distributions.Normal(0.0, 1.0))
    assert np.allclose(parts.breakdown.terms, reference.numpy())
    assert np.allclose(parts.variance, sigma**2) and np.allclose(parts.sigma, sigma)


def test_curves_cover_every_unit_and_draw_narrow_peaks_at_full_height():
    low, high = curve_range(np.array([6.0]), np.array([0.5]))
    assert low == -4.0 and high == pytest.approx(8.0)
    assert curve_range(np.array([1e6]), np.array([1.0]))[1] == 50.0
    xs, ys = bell_curve(0.3, 0.01, -4, 4)
    assert ys.max() == pytest.approx(normal_pdf(0.3, 0.3, 0.01), rel=1e-3)
    assert np.all(np.diff(xs) > 0)
