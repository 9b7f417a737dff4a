"""Each case study set from one state reads back as the same state (the lesson path and
a saved session set a study this way), and a click on a study's control lands in it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from case_study_helpers import small_digit_world
from PySide6.QtCore import Qt

from desktop_app.case_studies.study_state import apply_denoising, apply_generation, read_denoising, read_generation
from desktop_app.main_window import MainWindow
from desktop_app.state.studies import DenoisingInputs, DenoisingState, GenerationInputs, GenerationState
from engine.latent import space as latent


@pytest.fixture(scope="module")
def digit_world(qapp):
    torch.set_num_threads(1)
    with small_digit_world():
        yield


@pytest.fixture
def window(digit_world, qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    yield window
    for study in (window.denoising, window.generation):
        study.shutdown()


def test_the_denoising_study_set_from_a_state_reads_back_equal(window, qtbot):
    study = window.denoising
    window.tabs.setCurrentIndex(1)
    study.start()
    qtbot.waitUntil(lambda: bool(study._psnr_trace), timeout=60_000)  # the shown epoch's PSNR, measured
    saved = read_denoising(study).to_json()
    saved["controls"].update(epochs=7, frame=not saved["controls"]["frame"])
    saved["offset"] = 1
    saved["drawing"] = np.linspace(0, 1, 784).tolist()
    wanted = DenoisingState.from_json(saved)
    apply_denoising(study, wanted, None)
    assert read_denoising(study) == wanted
    np.testing.assert_allclose(study.pad.pixels, np.linspace(0, 1, 784), atol=1e-6)  # on screen too


def test_the_generation_study_set_from_a_state_reads_back_equal(window, qtbot):
    study = window.generation
    window.tabs.setCurrentIndex(2)
    study.start()
    saved = read_generation(study).to_json()
    saved["controls"].update(manifold=True, grid_size=6, spreads=True, path_kind=1, path_steps=5,
                             samples_on_map=True, epochs=3)
    saved["sample_seed"] = 4
    saved["samples"] = latent.prior_samples(8, 2, 4).tolist()
    saved["vae_map"] = {"probe": {"point": [0.5, -0.5]}, "path_ends": [["point", [-1.0, 0.0]], ["point", [1.0, 0.5]]],
                        "samples": saved["samples"], "map_box": None}
    wanted = GenerationState.from_json(saved)
    assert wanted.vae_map.overlay_on and wanted.vae_map.grid_size == 6 and wanted.vae_map.path_kind == "spherical"
    apply_generation(study, wanted, None, None)
    got = read_generation(study)
    assert got == wanted
    assert study.vae_pane.canvas.overlay_item.isVisible()  # the manifold grid, drawn
    np.testing.assert_allclose(study.vae_pane.decoded.values(),
                               study.controller.snapshot.decode(np.array([0.5, -0.5])).ravel(), atol=1e-6)
    # a learner's click lands in the map's state
    qtbot.mouseClick(study.manifold_check, Qt.MouseButton.LeftButton)
    assert study.vae_pane.canvas.state.overlay_on is False
    assert read_generation(study).vae_map.overlay_on is False


# ----- the studies' inputs are bound to their states ---------------------------------------------
def test_the_denoising_studys_inputs_write_to_its_state_and_follow_it(window, qtbot):
    study = window.denoising
    window.tabs.setCurrentIndex(1)
    study.start()
    study.noise_slider.setValue(20)  # a learner drags the slider
    qtbot.mouseClick(study.frame_check, Qt.MouseButton.LeftButton)
    assert study.inputs.noise_level == pytest.approx(0.2) and study.inputs.frame is False
    qtbot.waitUntil(lambda: study.controller.config.noise_level == pytest.approx(0.2), timeout=5_000)

    study.inputs.update(noise_type="mask", noise_level=0.4, latent_dim=6, epochs=9, frame=True)  # a lesson step
    assert study.noise_type.currentData() == "mask" and study.noise_slider.value() == 40
    assert study.bottleneck.value() == 6 and study.run_controls.epochs_spin.value() == 9
    assert study.frame_check.isChecked()
    qtbot.waitUntil(lambda: study.controller.config.noise_type == "mask", timeout=5_000)
    config = study.controller.config
    assert (config.noise_level, config.latent_dim) == (pytest.approx(0.4), 6)  # a new network of 6 units
    assert read_denoising(study).settings == study.inputs.settings()


def test_the_generation_studys_inputs_write_to_its_state_and_follow_it(window, qtbot):
    study = window.generation
    window.tabs.setCurrentIndex(2)
    study.start()
    study.beta_spin.setValue(0.5)
    qtbot.mouseClick(study.dots_check, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(study.samples_on_map, Qt.MouseButton.LeftButton)
    assert (study.inputs.beta, study.inputs.dots, study.inputs.samples_on_map) == (0.5, False, True)
    assert study.controller.config.beta == 0.5

    study.inputs.update(beta=2.0, latent_dim=3, dots=True, epochs=4)
    assert study.beta_spin.value() == 2.0 and study.latent_spin.value() == 3
    assert study.run_controls.epochs_spin.value() == 4 and study.dots_check.isChecked()
    assert study.controller.config.beta == 2.0 and study.controller.snapshot.latent_dim == 3
    study.vae_pane.canvas.state.grid_size = 7  # the map's layers move their boxes too
    assert study.grid_spin.value() == 7
    assert read_generation(study).settings == {"latent_dim": 3, "beta": 2.0}


def test_a_study_state_refuses_values_its_inputs_cannot_hold():
    with pytest.raises(ValueError, match="noise"):
        DenoisingInputs(noise_type="fog")
    with pytest.raises(ValueError, match="β"):
        GenerationInputs(beta=-1.0)
