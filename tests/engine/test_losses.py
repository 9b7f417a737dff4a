"""engine.lecture.loss_breakdowns and engine.core.losses: the lecture's worked examples,
torch as a second opinion, learner-friendly errors and notes, properties, and gradients.
These tests do not require Qt."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays
from torch.distributions import Normal
from torch.distributions import kl_divergence as torch_kl

from engine.core.losses import RECONSTRUCTION_KINDS, latent_kl, reconstruction_loss, vae_loss
from engine.lecture.loss_breakdowns import LossBreakdown, gaussian_kl, kl_divergence, log_loss, mse

X_GREY = [[0.6, 0.4], [0.4, 0.6]]
X_CHECKER = [[1, 0], [0, 1]]
P = [0.1, 0.2, 0.4, 0.2, 0.1]


# --- the lecture's worked examples, computed by hand -------------------------------------


@pytest.mark.parametrize(
    ("y", "hand", "slide"),
    [
        (
            [[0.65, 0.42], [0.36, 0.59]],
            (0.6 - 0.65) ** 2 + (0.4 - 0.42) ** 2 + (0.4 - 0.36) ** 2 + (0.6 - 0.59) ** 2,
            0.0046,
        ),
        (
            [[0.1, 0.9], [0.85, 0.2]],
            (0.6 - 0.1) ** 2 + (0.4 - 0.9) ** 2 + (0.4 - 0.85) ** 2 + (0.6 - 0.2) ** 2,
            0.8625,
        ),
    ],
)
def test_mse_worked_examples(y, hand, slide):
    result = mse(X_GREY, y)
    assert result.total == pytest.approx(hand, abs=1e-12)
    assert result.total == pytest.approx(slide, abs=5e-5)
    assert result.terms.shape == (2, 2)
    assert result.notes == ()


@pytest.mark.parametrize(
    ("y", "hand", "slide"),
    [
        ([[0.9, 0.1], [0.1, 0.9]], 4 * -math.log(0.9), 0.421),
        ([[0.2, 0.8], [0.8, 0.2]], 4 * -math.log(0.2), 6.438),
    ],
)
def test_log_loss_worked_examples(y, hand, slide):
    result = log_loss(X_CHECKER, y)
    assert result.total == pytest.approx(hand, abs=1e-12)
    assert result.total == pytest.approx(slide, abs=5e-4)
    assert result.notes == ()


def _hand_kl(p: list[float], q: list[float]) -> float:
    return sum(pi * math.log(pi / qi) for pi, qi in zip(p, q, strict=True))


@pytest.mark.parametrize(
    ("q", "hand", "slide"),
    [
        (
            [0.15, 0.15, 0.4, 0.2, 0.1],
            0.1 * math.log(0.1 / 0.15) + 0.2 * math.log(0.2 / 0.15),  # the other bars: ln 1 = 0
            0.01699,
        ),
        ([0.4, 0.1, 0.1, 0.1, 0.3], _hand_kl(P, [0.4, 0.1, 0.1, 0.1, 0.3]), 0.583),
    ],
)
def test_kl_worked_examples(q, hand, slide):
    result = kl_divergence(P, q)
    assert result.total == pytest.approx(hand, abs=1e-12)
    assert result.total == pytest.approx(slide, abs=5e-4)
    assert result.terms[2] == pytest.approx(0.4 * math.log(0.4 / q[2]))
    assert result.notes == ()


def test_gaussian_kl_by_hand():
    result = gaussian_kl([0.5, -1.0], [math.log(2.0), 0.0])
    hand = [0.5 * (0.25 + 2.0 - 1 - math.log(2.0)), 0.5 * (1.0 + 1.0 - 1 - 0.0)]
    np.testing.assert_allclose(result.terms, hand, rtol=1e-14)
    assert result.total == pytest.approx(sum(hand))


# --- the breakdown itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("breakdown", "symbol"),
    [
        (lambda: mse(X_GREY, X_GREY), "²"),
        (lambda: log_loss(X_GREY, X_GREY), "ln"),
        (lambda: kl_divergence(P, P), "ln"),
        (lambda: gaussian_kl([0.0], [0.0]), "σ"),
    ],
)
def test_breakdown_is_frozen_float64_with_a_formula(breakdown, symbol):
    result = breakdown()
    assert isinstance(result, LossBreakdown)
    assert result.terms.dtype == np.float64
    assert isinstance(result.total, float)
    assert symbol in result.formula and "Σ" in result.formula
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 0.0
    with pytest.raises(ValueError):
        result.terms[0] = 1.0  # the numbers on screen cannot be edited behind its back


# --- torch as a second opinion ------------------------------------------------------------


def _rng_pair(shape=(4, 7), seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, shape), rng.uniform(0.01, 0.99, shape)


def test_mse_matches_torch():
    x, y = _rng_pair()
    expected = F.mse_loss(torch.tensor(y), torch.tensor(x), reduction="sum").item()
    assert mse(x, y).total == pytest.approx(expected, rel=1e-12)


def test_log_loss_matches_torch():
    x, y = _rng_pair()
    expected = F.binary_cross_entropy(torch.tensor(y), torch.tensor(x), reduction="sum").item()
    assert log_loss(x, y).total == pytest.approx(expected, rel=1e-12)


def test_kl_matches_torch():
    p = np.array([0.0, 0.1, 0.3, 0.6])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    expected = F.kl_div(torch.tensor(q).log(), torch.tensor(p), reduction="sum").item()
    assert kl_divergence(p, q).total == pytest.approx(expected, rel=1e-12)


def test_gaussian_kl_matches_torch_distributions():
    rng = np.random.default_rng(1)
    mu, log_var = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    sigma = torch.tensor(log_var).mul(0.5).exp()
    expected = torch_kl(Normal(torch.tensor(mu), sigma), Normal(0.0, 1.0)).numpy()
    np.testing.assert_allclose(gaussian_kl(mu, log_var).terms, expected, rtol=1e-10)


# --- notes for the learner ----------------------------------------------------------------


def test_log_loss_clamps_an_output_of_zero_and_says_where():
    result = log_loss([[1, 0], [0, 1]], [[0, 0.5], [0.5, 0.5]])
    assert result.terms[0, 0] == pytest.approx(-math.log(1e-7))
    assert math.isfinite(result.total)
    (note,) = result.notes
    assert "row 1, column 1" in note and "exactly 0" in note and "ln 0" in note


def test_log_loss_clamps_an_output_of_one_and_says_where():
    result = log_loss([0.2, 0.5, 1.0], [0.5, 1.0, 1.0])
    assert result.terms[1] == pytest.approx(-0.5 * math.log(1 - 1e-7) - 0.5 * math.log(1e-7))
    (note,) = result.notes
    assert "pixel 2" in note and "exactly 1" in note and "pixel 3" not in note


def test_log_loss_exact_match_at_zero_or_one_costs_nothing():
    result = log_loss(X_CHECKER, X_CHECKER)
    assert np.all(result.terms == 0.0) and result.total == 0.0
    assert not np.signbit(result.terms).any()  # no "-0" on screen
    assert result.notes == ()


def test_kl_zero_probability_in_p_adds_nothing_and_says_why():
    result = kl_divergence([0.0, 0.5, 0.5], [0.2, 0.4, 0.4])
    assert result.terms[0] == 0.0
    assert result.total == pytest.approx(math.log(0.5 / 0.4))
    (note,) = result.notes
    assert "bar 1" in note and "0 · ln 0" in note


def test_kl_is_infinite_where_q_rules_out_what_p_allows():
    result = kl_divergence([0.5, 0.5, 0.0], [1.0, 0.0, 0.0])
    assert result.terms[1] == math.inf and result.total == math.inf
    assert result.terms[2] == 0.0  # both zero: 0 · ln(0/0) still counts as 0
    assert any("q gives bar 2 no chance at all" in n and "infinite" in n for n in result.notes)


def test_kl_names_several_bars():
    result = kl_divergence([0.5, 0.0, 0.5, 0.0], [0.25, 0.25, 0.25, 0.25])
    assert "bars 2 and 4" in result.notes[0]


def test_gaussian_kl_overflowing_variance_is_infinite_with_a_note():
    result = gaussian_kl([0.0, 0.0], [0.0, 1000.0])
    assert result.total == math.inf
    assert "unit 2" in result.notes[0]


# --- bad input: a ValueError with a sentence a learner understands --------------------------

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("loss", [mse, log_loss])
@pytest.mark.parametrize(
    ("x", "y", "fragments"),
    [
        ([[0.1, 0.2]], [0.1, 0.2], ("same shape", "(1, 2)", "(2,)")),
        ([], [], ("x is empty",)),
        ([0.5, NAN], [0.5, 0.5], ("x must hold finite numbers", "pixel 2", "nan")),
        ([0.5, 0.5], [[0.5, INF]], ("y must hold finite numbers", "row 1, column 2")),
        ([0.5, 1.5], [0.5, 0.5], ("x must hold values between 0 and 1", "pixel 2", "1.5")),
        ([0.5, 0.5], [-0.2, 0.5], ("y must hold values between 0 and 1", "-0.2")),
        (["a", "b"], [0.5, 0.5], ("x must hold numbers",)),
        ([0.5], None, ("y must hold numbers",)),
        ([[0.5], [0.5, 0.5]], [0.5], ("x must be a grid", "equal length")),
    ],
)
def test_pixel_losses_reject_bad_input(loss, x, y, fragments):
    with pytest.raises(ValueError) as caught:
        loss(x, y)
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("p", "q", "fragments"),
    [
        ([0.5, 0.7], [0.5, 0.5], ("p must be a probability distribution", "add up to 1.2, not 1")),
        ([0.5, 0.5], [0.3, 0.3], ("q must be a probability distribution", "0.6")),
        ([1.1, -0.1], [0.5, 0.5], ("p must not have negative values", "bar 2", "-0.1")),
        ([[0.5, 0.5]], [0.5, 0.5], ("p must be a single list", "(1, 2)")),
        ([1.0], [0.5, 0.5], ("same number of bars", "p has 1", "q has 2")),
        ([0.5, NAN], [0.5, 0.5], ("p must hold finite numbers", "bar 2")),
        ([], [], ("p is empty",)),
        ([0.5, 0.5], ["x", "y"], ("q must hold numbers",)),
    ],
)
def test_kl_rejects_bad_input(p, q, fragments):
    with pytest.raises(ValueError) as caught:
        kl_divergence(p, q)
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("mu", "log_var", "fragments"),
    [
        ([0.0, 1.0], [0.0], ("mu and log_var must have the same shape",)),
        ([INF], [0.0], ("mu must hold finite numbers",)),
        ([0.0], [NAN], ("log_var must hold finite numbers", "unit 1")),
        ([], [], ("mu is empty",)),
        ("abc", [0.0], ("mu must hold numbers",)),
    ],
)
def test_gaussian_kl_rejects_bad_input(mu, log_var, fragments):
    with pytest.raises(ValueError) as caught:
        gaussian_kl(mu, log_var)
    for fragment in fragments:
        assert fragment in str(caught.value)


# --- properties ---------------------------------------------------------------------------

unit = st.floats(0, 1, allow_nan=False)
shapes = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5)


@st.composite
def pixel_pairs(draw):
    shape = draw(shapes)
    return tuple(draw(arrays(np.float64, shape, elements=unit)) for _ in range(2))


@st.composite
def distribution_pairs(draw):
    n = draw(st.integers(1, 8))
    weights = st.floats(1e-3, 1.0)
    p = np.array(draw(st.lists(weights, min_size=n, max_size=n)))
    q = np.array(draw(st.lists(weights, min_size=n, max_size=n)))
    return p / p.sum(), q / q.sum()


@given(pixel_pairs())
def test_mse_properties(pair):
    x, y = pair
    result = mse(x, y)
    assert result.terms.shape == x.shape
    assert result.total == pytest.approx(result.terms.sum())
    assert result.total >= 0


def _entropy(x: np.ndarray) -> float:
    return float(sum(-v * math.log(v) - (1 - v) * math.log(1 - v) for v in x.ravel() if 0 < v < 1))


@given(pixel_pairs())
def test_log_loss_properties(pair):
    x, y = pair
    result = log_loss(x, y)
    assert result.terms.shape == x.shape
    assert result.total == pytest.approx(result.terms.sum())
    # LL(x, y) − H(x) is a sum of Bernoulli KL divergences, so never below the entropy.
    assert result.total >= _entropy(x) - 1e-9
    assert math.isfinite(result.total)


@given(distribution_pairs())
def test_kl_properties(pair):
    p, q = pair
    result = kl_divergence(p, q)
    assert result.terms.shape == p.shape
    assert result.total == pytest.approx(result.terms.sum())
    assert result.total >= -1e-12  # Gibbs' inequality
    assert kl_divergence(p, p).total == pytest.approx(0.0, abs=1e-12)


@given(
    shapes.flatmap(
        lambda shape: st.tuples(
            arrays(np.float64, shape, elements=st.floats(-10, 10)),
            arrays(np.float64, shape, elements=st.floats(-10, 10)),
        )
    )
)
def test_gaussian_kl_properties(pair):
    mu, log_var = pair
    result = gaussian_kl(mu, log_var)
    assert result.terms.shape == mu.shape
    assert result.total == pytest.approx(result.terms.sum())
    assert (result.terms >= 0).all()
    assert gaussian_kl(np.zeros_like(mu), np.zeros_like(mu)).total == 0.0


# --- training losses (torch) --------------------------------------------------------------


def _batch(seed=0, shape=(5, 1, 3, 4), dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(shape, generator=g, dtype=dtype)
    y = torch.sigmoid(torch.randn(shape, generator=g, dtype=dtype))
    return y, x


@pytest.mark.parametrize(
    ("kind", "torch_loss"), [("mse", F.mse_loss), ("logloss", F.binary_cross_entropy)]
)
def test_reconstruction_loss_is_per_image_sum_batch_mean(kind, torch_loss):
    y, x = _batch()
    expected = torch_loss(y, x, reduction="sum") / len(x)
    assert reconstruction_loss(y, x, kind).item() == pytest.approx(expected.item(), rel=1e-12)
    one = reconstruction_loss(y[:1], x[:1], kind).item()
    assert one == pytest.approx(torch_loss(y[0], x[0], reduction="sum").item(), rel=1e-12)


def test_reconstruction_loss_matches_the_panel_breakdowns():
    y, x = _batch(shape=(1, 2, 2))
    assert reconstruction_loss(y, x, "mse").item() == pytest.approx(mse(x[0], y[0]).total)
    assert reconstruction_loss(y, x, "logloss").item() == pytest.approx(log_loss(x[0], y[0]).total)


def test_reconstruction_kinds():
    assert RECONSTRUCTION_KINDS == ("mse", "logloss")


def test_reconstruction_loss_rejects_unknown_kind_and_shape_mismatch():
    y, x = _batch()
    with pytest.raises(ValueError, match="Unknown reconstruction loss 'l1'.*'mse', 'logloss'"):
        reconstruction_loss(y, x, "l1")
    with pytest.raises(ValueError, match="same shape"):
        reconstruction_loss(y[:, :, :2], x, "mse")


def test_latent_kl_matches_torch_distributions():
    g = torch.Generator().manual_seed(2)
    mu = torch.randn(6, 2, generator=g, dtype=torch.float64)
    log_var = torch.randn(6, 2, generator=g, dtype=torch.float64)
    per_unit = torch_kl(Normal(mu, (0.5 * log_var).exp()), Normal(0.0, 1.0))
    assert latent_kl(mu, log_var).item() == pytest.approx(per_unit.sum(1).mean().item(), rel=1e-12)
    assert latent_kl(mu[:1], log_var[:1]).item() == pytest.approx(
        gaussian_kl(mu[0].numpy(), log_var[0].numpy()).total
    )
    assert latent_kl(torch.zeros(3, 2), torch.zeros(3, 2)).item() == 0.0


@pytest.mark.parametrize("kind", RECONSTRUCTION_KINDS)
@pytest.mark.parametrize("beta", [0.0, 1.0, 4.0])
def test_vae_loss_is_reconstruction_plus_beta_kl(kind, beta):
    y, x = _batch()
    mu, log_var = torch.randn(5, 2, dtype=torch.float64), torch.randn(5, 2, dtype=torch.float64)
    total, recon, kl = vae_loss(y, x, mu, log_var, kind, beta)
    assert recon.item() == pytest.approx(reconstruction_loss(y, x, kind).item())
    assert kl.item() == pytest.approx(latent_kl(mu, log_var).item())
    assert total.item() == pytest.approx(recon.item() + beta * kl.item())


@pytest.mark.parametrize("kind", RECONSTRUCTION_KINDS)
def test_training_losses_have_correct_gradients(kind):
    y, x = _batch(shape=(3, 4))
    mu = torch.randn(3, 2, dtype=torch.float64)
    log_var = torch.randn(3, 2, dtype=torch.float64)
    for t in (y, mu, log_var):
        t.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda y_: reconstruction_loss(y_, x, kind), (y,))
    assert torch.autograd.gradcheck(latent_kl, (mu, log_var))
    assert torch.autograd.gradcheck(
        lambda y_, m, v: vae_loss(y_, x, m, v, kind, 2.0)[0], (y, mu, log_var)
    )


# --- the engine stays free of Qt ----------------------------------------------------------


def test_losses_import_no_qt():
    code = (
        "import sys, engine.core.losses, engine.lecture.loss_breakdowns; "
        "bad = [m for m in sys.modules if m.startswith(('PySide', 'PyQt', 'pyqtgraph'))]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
