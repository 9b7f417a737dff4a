"""A new bottleneck (case study 1) or latent size (case study 2) is a new network: typed
into its box once epochs are trained, the study asks first. "No" keeps the trained
network and puts its size back in the box; "Yes" starts the new one."""

from __future__ import annotations

import pytest
import torch
from case_study_helpers import small_digit_world
from PySide6.QtWidgets import QMessageBox

from desktop_app.case_studies.denoising_study import DenoisingStudy
from desktop_app.case_studies.generation_study import GenerationStudy
from desktop_app.theme import Theme
from engine.core.config import TrainingConfig

DENOISER = TrainingConfig(dataset="mnist", model="dae", latent_dim=8, batch_size=250, loss="logloss",
                          learning_rate=2e-3, noise_type="gaussian", noise_level=0.5, seed=3)
VAE = TrainingConfig(dataset="mnist", model="vae", latent_dim=2, batch_size=250, loss="logloss",
                     learning_rate=2e-3, seed=2)


@pytest.fixture(params=["denoising", "generation"])
def trained(request, qapp, qtbot):
    """A study one epoch in, and the box that sets its network's latent size."""
    torch.set_num_threads(1)
    with small_digit_world():
        if request.param == "denoising":
            study = DenoisingStudy(Theme(), config=DENOISER)
            box = study.bottleneck
        else:
            study = GenerationStudy(Theme(), config=VAE)
            box = study.latent_spin
        qtbot.addWidget(study)
        study.start()
        assert study.step(1) is None
        assert study.wait_until_idle(120)
        yield study, box
        study.shutdown()


def answer(monkeypatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent, title: str, text: str, *_args) -> QMessageBox.StandardButton:
        asked.append(f"{title} {text}")
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_no_keeps_the_trained_network_and_its_size_in_the_box(trained, monkeypatch):
    study, box = trained
    before = box.value()
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    box.setValue(before + 1)
    assert len(asked) == 1 and "the 1 epochs trained so far are discarded" in asked[0]
    assert box.value() == before
    assert study.controller.snapshot.epoch == 1
    assert study.controller.config.latent_dim == before == study.inputs.latent_dim


def test_yes_starts_a_new_network_of_the_new_size(trained, monkeypatch):
    study, box = trained
    wanted = box.value() + 1
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    box.setValue(wanted)
    assert len(asked) == 1
    assert study.controller.snapshot.epoch == 0
    assert study.controller.config.latent_dim == wanted == study.inputs.latent_dim == box.value()
    assert study.controller.snapshot.codes.shape[1] == wanted
