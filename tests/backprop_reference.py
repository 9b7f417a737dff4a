"""An independent computation of one training step of the 2x2 network: torch.autograd
in float64, every intermediate's gradient kept. Shared by the engine tests of
engine.lecture.backprop and the GUI tests of the backpropagation panel (no tests here)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from engine.lecture.backprop import Factor, StepState, sub


def torch_pass(state: StepState, images: slice | int) -> dict[str, torch.Tensor]:
    """The network's forward pass in float64 with every intermediate's gradient kept;
    ``images`` picks one image (its own loss, for a chain rule) or all (the batch loss)."""
    c = state.config
    p = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for k, v in state.params.items()}
    x_in = torch.tensor(np.asarray(state.inputs, dtype=np.float64))[images]
    x = torch.tensor(np.asarray(state.targets, dtype=np.float64))[images]
    x_in, x = torch.atleast_2d(x_in), torch.atleast_2d(x)
    t: dict[str, torch.Tensor] = {"params": p}
    if c.model == "vae":
        eps = torch.atleast_2d(torch.tensor(np.asarray(state.eps, dtype=np.float64))[images])
        mu = x_in @ p["encoder_mu.weight"].T + p["encoder_mu.bias"]
        log_var = x_in @ p["encoder_log_var.weight"].T + p["encoder_log_var.bias"]
        mu.retain_grad()
        log_var.retain_grad()
        z = mu + torch.exp(0.5 * log_var) * eps
        t.update(mu=mu, log_var=log_var, eps=eps)
    else:
        h = x_in @ p["encoder.weight"].T + p["encoder.bias"]
        h.retain_grad()
        z = torch.sigmoid(h)
        t["h"] = h
    z.retain_grad()
    s = z @ p["decoder.weight"].T + p["decoder.bias"]
    s.retain_grad()
    y = torch.sigmoid(s)
    y.retain_grad()
    if c.loss == "mse":
        per_pixel = F.mse_loss(y, x, reduction="none")
    else:
        per_pixel = F.binary_cross_entropy(y, x, reduction="none")
    per_image = per_pixel.sum(dim=1)
    if c.model == "vae":
        kl = 0.5 * (t["mu"] ** 2 + torch.expm1(t["log_var"]) - t["log_var"])
        per_image = per_image + c.beta * kl.sum(dim=1)
        t["kl"] = kl
    loss = per_image.mean()
    loss.backward()
    t.update(z=z, s=s, y=y, x=x, x_in=x_in, per_pixel=per_pixel, per_image=per_image, loss=loss)
    return t


def torch_references(state: StepState, n: int) -> dict[str, float]:
    """Every leaf factor a chain rule may show for image n, by symbol, from torch."""
    t = torch_pass(state, n)
    p = t["params"]
    refs: dict[str, float] = {"1": 1.0, "β": state.config.beta}
    s = t["s"].detach()
    slope = torch.autograd.functional.jacobian(torch.sigmoid, s[0]).diagonal()
    for i in range(4):
        refs[f"∂L/∂y{sub(i)}"] = float(t["y"].grad[0, i])
        refs[f"σ′(s{sub(i)})"] = float(slope[i])
        for j in range(2):
            refs[f"V{sub(i)}{sub(j)}"] = float(p["decoder.weight"].detach()[i, j])
        refs[f"x{sub(i)}"] = refs[f"x̃{sub(i)}"] = float(t["x_in"][0, i])
    for j in range(2):
        refs[f"z{sub(j)}"] = float(t["z"].detach()[0, j])
        if state.config.model == "vae":
            mu = t["mu"].detach()[0, j].clone().requires_grad_(True)
            lv = t["log_var"].detach()[0, j].clone().requires_grad_(True)
            kl = 0.5 * (mu**2 + torch.expm1(lv) - lv)
            kl_mu, kl_lv = torch.autograd.grad(kl, (mu, lv))
            z_mu, z_lv = torch.autograd.grad(mu + torch.exp(0.5 * lv) * t["eps"][0, j], (mu, lv))
            refs.update({f"∂R/∂z{sub(j)}": float(t["z"].grad[0, j]), f"∂L/∂μ{sub(j)}": float(t["mu"].grad[0, j]),
                         f"∂L/∂ln σ{sub(j)}²": float(t["log_var"].grad[0, j]), f"∂KL/∂μ{sub(j)}": float(kl_mu),
                         f"∂KL/∂ln σ{sub(j)}²": float(kl_lv), f"∂z{sub(j)}/∂μ{sub(j)}": float(z_mu),
                         f"∂z{sub(j)}/∂ln σ{sub(j)}²": float(z_lv)})
        else:
            h = t["h"].detach()[0, j].clone().requires_grad_(True)
            (slope_h,) = torch.autograd.grad(torch.sigmoid(h), h)
            refs[f"∂L/∂z{sub(j)}"] = float(t["z"].grad[0, j])
            refs[f"σ′(h{sub(j)})"] = float(slope_h)
    return refs


def walk(factor: Factor):
    yield factor
    for term in factor.terms:
        for inner in term.factors:
            yield from walk(inner)


def product(values) -> float:
    out = 1.0
    for v in values:
        out *= v
    return out


