"""A plain PyTorch loop for the digit VAE: the yardstick for the engine's own loop.

Written the way pytorch/examples ``vae/main.py`` writes it (one ``nn.Module``, BCE
summed over pixels plus the closed-form Gaussian KL, Adam, a shuffled DataLoader-style
pass), and sharing no code with the engine, so the engine's time per epoch can be
held against it (budget: at most 1.05 times) and a wrong loss in either would show as
two different held-out figures.

Sizes: the app's own (784-512-256-2-256-512-784 with ReLU, sigmoid pixels), not
pytorch/examples' 784-400-20-400-784, so the ratio compares loops, not networks. Same
split (``engine.digits.data``'s 4,500 training digits, 500 held out), batch size 64,
Adam at 1e-3, β = 1, the same thread count, the same process.

Adam is torch's default implementation, as pytorch/examples makes it; ``fused=True``
gives the reference the engine's own fused Adam, so that the two loops can also be
compared with the same optimiser (what is then left is the loop's own cost).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

PIXELS = 784


class ReferenceVAE(nn.Module):
    def __init__(self, hidden: tuple[int, int] = (512, 256), latent: int = 2) -> None:
        super().__init__()
        h1, h2 = hidden
        self.fc1, self.fc2 = nn.Linear(PIXELS, h1), nn.Linear(h1, h2)
        self.fc_mu, self.fc_log_var = nn.Linear(h2, latent), nn.Linear(h2, latent)
        self.fc3, self.fc4, self.fc5 = nn.Linear(latent, h2), nn.Linear(h2, h1), nn.Linear(h1, PIXELS)

    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        h = F.relu(self.fc2(F.relu(self.fc1(x))))
        return self.fc_mu(h), self.fc_log_var(h)

    def decode(self, z: Tensor) -> Tensor:
        return torch.sigmoid(self.fc5(F.relu(self.fc4(F.relu(self.fc3(z))))))

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        mu, log_var = self.encode(x)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu) if self.training else mu
        return self.decode(z), mu, log_var


def loss_per_image(y: Tensor, x: Tensor, mu: Tensor, log_var: Tensor) -> Tensor:
    """BCE summed over pixels + KL(N(μ, σ²) || N(0, I)) (Kingma & Welling 2014, appendix
    B), averaged over the batch."""
    bce = F.binary_cross_entropy(y, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
    return (bce + kl) / x.shape[0]


def train_epoch(model: ReferenceVAE, optimizer: torch.optim.Optimizer, train: Tensor, batch_size: int) -> float:
    model.train()
    total = 0.0
    for batch in torch.randperm(train.shape[0]).split(batch_size):
        x = train[batch]
        optimizer.zero_grad()
        loss = _step_loss(model, x)
        loss.backward()
        optimizer.step()
        total += loss.item() * x.shape[0]
    return total / train.shape[0]


def _step_loss(model: ReferenceVAE, x: Tensor) -> Tensor:
    y, mu, log_var = model(x)
    return loss_per_image(y, x, mu, log_var)


@torch.no_grad()
def held_out_loss(model: ReferenceVAE, test: Tensor) -> float:
    """Mean loss per held-out digit with z = μ (the engine's definition)."""
    model.eval()
    y, mu, log_var = model(test)
    return float(loss_per_image(y, test, mu, log_var))


class ReferenceRun:
    """The reference model, its optimiser and the data, trained one epoch at a time."""

    def __init__(self, train: np.ndarray, test: np.ndarray, seed: int = 0, batch_size: int = 64,
                 learning_rate: float = 1e-3, fused: bool = False) -> None:
        torch.manual_seed(seed)
        self.model = ReferenceVAE()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=learning_rate, fused=fused or None)
        self.optimizer.zero_grad()  # first use imports torch._dynamo: paid now, as the engine's benchmark does
        self.train = torch.from_numpy(np.ascontiguousarray(train, dtype=np.float32))
        self.test = torch.from_numpy(np.ascontiguousarray(test, dtype=np.float32))
        self.batch_size = batch_size
        self.epoch = 0

    def step(self) -> float:
        """One epoch; its mean training loss per image."""
        loss = train_epoch(self.model, self.optimizer, self.train, self.batch_size)
        self.epoch += 1
        return loss

    def held_out_loss(self) -> float:
        return held_out_loss(self.model, self.test)
