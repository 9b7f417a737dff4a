"""engine.core.kl: the one Gaussian KL formula, checked against torch.distributions, and
every place that reports a KL shown to use it. These tests do not require Qt."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.distributions import Normal
from torch.distributions import kl_divergence as torch_kl

from engine.core.config import TrainingConfig
from engine.core.kl import gaussian_kl_terms
from engine.core.losses import latent_kl
from engine.core.session import TrainingSession
from engine.digits.study_figures import held_out_loss
from engine.latent.space import unit_kl
from engine.lecture.backprop import breakdown
from engine.lecture.loss_breakdowns import gaussian_kl
from engine.lecture.step_state import next_step_state


def _torch_kl(mu: np.ndarray, log_var: np.ndarray) -> np.ndarray:
    """KL(N(μ, σ²) ‖ N(0, 1)) per element, by torch.distributions (no closed form of ours)."""
    sigma = torch.tensor(log_var).mul(0.5).exp()
    return torch_kl(Normal(torch.tensor(mu), sigma), Normal(0.0, 1.0)).numpy()


def test_the_formula_matches_torch_distributions_on_numpy_and_on_tensors():
    rng = np.random.default_rng(7)
    mu, log_var = rng.normal(size=(5, 3)) * 2, rng.normal(size=(5, 3)) * 2
    expected = _torch_kl(mu, log_var)
    np.testing.assert_allclose(gaussian_kl_terms(mu, log_var), expected, rtol=1e-10)
    on_tensors = gaussian_kl_terms(torch.tensor(mu), torch.tensor(log_var))
    assert isinstance(on_tensors, torch.Tensor)
    np.testing.assert_allclose(on_tensors.numpy(), expected, rtol=1e-10)
    assert gaussian_kl_terms(0.0, 0.0) == 0.0  # the prior itself: no divergence


def test_gradients_flow_through_the_tensor_form():
    mu = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    log_var = torch.tensor([0.5, -0.7], dtype=torch.float64, requires_grad=True)
    gaussian_kl_terms(mu, log_var).sum().backward()
    # ∂/∂μ = μ, ∂/∂ln σ² = ½(σ² − 1): by hand from ½(μ² + σ² − 1 − ln σ²)
    np.testing.assert_allclose(mu.grad.numpy(), [0.3, -1.2])
    np.testing.assert_allclose(log_var.grad.numpy(), 0.5 * np.expm1([0.5, -0.7]))


def test_every_kl_the_app_reports_is_the_same_number():
    """The training loss, the KL panel, the latent tools, the backprop walk-through and the
    case study's held-out figure all agree, on one VAE's codes."""
    session = TrainingSession(TrainingConfig(model="vae"))
    list(session.run(epochs=3))
    snapshot = session.latest
    mu, log_var = snapshot.codes.astype(np.float64), snapshot.log_vars.astype(np.float64)
    per_unit = _torch_kl(mu, log_var)
    np.testing.assert_allclose(unit_kl(snapshot), per_unit.mean(axis=0), rtol=1e-9)
    assert held_out_loss(snapshot).kl == pytest.approx(per_unit.sum(axis=1).mean(), rel=1e-9)
    assert latent_kl(torch.tensor(mu), torch.tensor(log_var)).item() == pytest.approx(
        per_unit.sum(axis=1).mean(), rel=1e-9)
    assert gaussian_kl(mu[0], log_var[0]).total == pytest.approx(per_unit[0].sum(), rel=1e-9)
    step = breakdown(next_step_state(session))
    np.testing.assert_allclose(step.kl_terms, _torch_kl(step.mu, step.log_var), rtol=1e-9)
