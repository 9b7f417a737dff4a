"""The diagram and the perceptron panel read a snapshot's named weights (encoder,
decoder, a VAE's log-variance head), never torch's state_dict keys: a model whose layers
have other names still shows its own numbers, and a snapshot written by hand, with no
torch model behind it, renders."""

import numpy as np
import pytest
import torch
from torch import nn

from desktop_app.controller import TrainingController
from desktop_app.panels.sigmoid_panel import SigmoidPanel
from desktop_app.theme import Theme
from desktop_app.views.network_diagram import NetworkDiagram
from engine.core import session as session_module
from engine.core.config import TrainingConfig, World
from engine.core.named_weights import NetworkWeights
from engine.core.session import TrainingSession
from engine.core.snapshot import EpochSnapshot
from engine.lecture.models import ModelOutput


class RenamedAutoencoder(nn.Module):
    """The lecture's 4-2-4 network with its layers under other names."""

    is_variational = False

    def __init__(self) -> None:
        super().__init__()
        self.latent_dim = 2
        self.squeeze = nn.Linear(4, 2)
        self.expand = nn.Linear(2, 4)

    def named_layers(self) -> dict[str, nn.Linear]:
        return {"encoder": self.squeeze, "decoder": self.expand}

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.squeeze(x))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.expand(z))

    def forward(self, x: torch.Tensor) -> ModelOutput:
        z = self.encode(x)
        return ModelOutput(self.decode(z), z)


@pytest.fixture
def diagram(qtbot):
    controller = TrainingController(TrainingConfig())
    view = NetworkDiagram(controller, Theme())
    qtbot.addWidget(view)
    view.show()  # a hidden diagram leaves its drawing for later
    qtbot.waitExposed(view)
    yield view
    controller.shutdown()


def _edges(rows) -> np.ndarray:
    return np.array([[edge.weight for edge in row] for row in rows])


def test_a_model_with_renamed_layers_shows_its_own_weights(diagram, monkeypatch):
    monkeypatch.setattr(session_module, "make_model", lambda _config: RenamedAutoencoder())
    session = TrainingSession(TrainingConfig())
    list(session.run(epochs=3))
    snapshot = session.latest
    assert "encoder.weight" not in snapshot.params  # torch's keys are squeeze.*, expand.*
    model = session.model
    diagram.render(snapshot)
    np.testing.assert_allclose(_edges(diagram.encoder_edges), model.squeeze.weight.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(_edges(diagram.decoder_edges), model.expand.weight.detach().numpy(), rtol=1e-6)


def _hand_snapshot(variational: bool) -> EpochSnapshot:
    """A snapshot written by hand: no torch model, no state_dict (``params`` is empty)."""
    w_enc = np.array([[0.5, -1.25, 2.0, 0.0], [-0.75, 1.5, 0.25, -2.5]])
    w_dec = np.arange(8, dtype=np.float64).reshape(4, 2) / 4 - 1
    layers = {"encoder": (w_enc, [0.125, -0.375]), "decoder": (w_dec, [0.5, -0.5, 1.0, -1.0])}
    if variational:
        layers["log_var"] = (-w_enc, [-0.25, 0.75])
    images = np.array([[0.9, 0.1, 0.1, 0.9], [0.1, 0.9, 0.9, 0.1]], dtype=np.float32)
    codes = np.array([[0.2, 0.7], [0.6, 0.3]], dtype=np.float32)
    return EpochSnapshot(
        epoch=7, config=TrainingConfig(model="vae" if variational else "ae"), loss=0.5,
        reconstruction_loss=0.4, kl=0.1 if variational else 0.0, params={},
        images=images, inputs=images, codes=codes, reconstructions=images[::-1].copy(),
        image_losses=np.array([0.3, 0.5]), weights=NetworkWeights.from_arrays(layers),
        log_vars=np.zeros_like(codes) if variational else None)


@pytest.mark.parametrize("variational", [False, True])
def test_a_snapshot_made_by_hand_renders_its_numbers(diagram, variational):
    snapshot = _hand_snapshot(variational)
    assert snapshot.world is World.LECTURE and snapshot.latent_dim == 2
    diagram.render(snapshot)
    weights = snapshot.weights
    np.testing.assert_array_equal(_edges(diagram.encoder_edges), weights.encoder.weight)
    np.testing.assert_array_equal(_edges(diagram.decoder_edges), weights.decoder.weight)
    assert diagram._output_bias[3].text() == "b = −1.00"
    if variational:
        np.testing.assert_array_equal(_edges(diagram.log_var_edges), weights.log_var.weight)
        assert diagram._latent_bias[1].text() == "b_μ = −0.38   b_lnσ² = +0.75"
    else:
        assert diagram._latent_bias[0].text() == "b = +0.12"


def test_the_perceptron_panel_works_a_hand_made_snapshot(qtbot, monkeypatch):
    controller = TrainingController(TrainingConfig())
    panel = SigmoidPanel(controller, Theme())
    qtbot.addWidget(panel)
    snapshot = _hand_snapshot(False)
    monkeypatch.setattr(TrainingController, "snapshot", property(lambda _self: snapshot))
    panel.render_live()
    s = 0.5 * 0.9 - 1.25 * 0.1 + 2.0 * 0.1 + 0.0 * 0.9 + 0.125  # unit 1 on image 1, by hand
    assert panel._step.weighted_sum == pytest.approx(s)
    assert panel._step.output == pytest.approx(1 / (1 + np.exp(-s)))
    controller.shutdown()
