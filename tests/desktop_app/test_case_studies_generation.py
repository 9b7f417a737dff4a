"""Case study 2 driven as a learner does: train the VAE, click its map, grid, walk,
sample from the prior, put a plain autoencoder beside it.

What the screen shows is checked against the engine's frozen snapshot (``decode``)
and independent numpy computations, never against another widget.
"""

from __future__ import annotations

import re
import time

import numpy as np
import pytest
import torch
from case_study_helpers import small_digit_world
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop_app.case_studies.generation_study import SAMPLE_COUNT, GenerationStudy
from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from engine.core.config import TrainingConfig
from engine.digits import data as digits
from engine.latent import space as latent

SMALL = TrainingConfig(dataset="mnist", model="vae", latent_dim=2, batch_size=250, loss="logloss",
                       learning_rate=2e-3, seed=2)


def shown_point(label) -> np.ndarray:
    x, y = re.search(r"z = \(([−-]?[\d.]+), ([−-]?[\d.]+)\)", label.text()).groups()
    return np.array([fmt.parse_shown(x), fmt.parse_shown(y)])


def empty_spot(snapshot, box: latent.Box) -> np.ndarray:
    """A point of the map at least 0.3 from every held-out code (so no dot is hit)."""
    for z in latent.grid_points(box, 9):
        if np.min(np.linalg.norm(snapshot.codes - z, axis=1)) > 0.3:
            return z
    raise AssertionError("no empty spot on the map")


@pytest.fixture(scope="module")
def study(qapp):
    torch.set_num_threads(1)
    with small_digit_world():
        yield from _trained_study()


def _trained_study():
    widget = GenerationStudy(Theme(), config=SMALL)
    widget.resize(1500, 900)
    widget.show()
    widget.start()
    assert widget.step(1) is None
    assert widget.wait_until_idle(120)
    yield widget
    widget.set_compare(False)
    widget.shutdown()
    widget.close()


def test_the_map_shows_the_held_out_digits_coloured_by_label(study):
    snapshot = study.controller.snapshot
    assert snapshot.epoch == 1 and snapshot.config.model == "vae"
    canvas = study.vae_pane.canvas
    x, y = canvas.codes_item.getData()
    np.testing.assert_array_equal(np.stack([x, y], axis=1), np.asarray(snapshot.codes, np.float64))
    labels = digits.split_digits(digits.load_digits())[1].labels
    np.testing.assert_array_equal(snapshot.labels, labels)
    palette = [QColor(c).name() for c in Theme().digit_palette]
    brushes = [p.brush().color().name() for p in canvas.codes_item.points()]
    assert brushes == [palette[int(d)] for d in labels]
    assert "Epoch 1" in study.headline.text()


def test_clicking_the_map_generates_the_digit_decoded_at_the_shown_point(study, qtbot):
    canvas, pane = study.vae_pane.canvas, study.vae_pane
    snapshot = study.controller.snapshot
    z = empty_spot(snapshot, canvas.box)
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport_pos(z))
    shown = shown_point(pane.coords)
    assert np.abs(shown - z).max() < 0.05
    np.testing.assert_allclose(pane.decoded.values(), snapshot.decode(shown), atol=1e-6)
    assert pane.decoded.values().shape == (784,)


def test_the_manifold_grid_shows_the_decoder_on_a_grid_of_points(study, qtbot):
    canvas = study.vae_pane.canvas
    study.grid_spin.setValue(5)
    qtbot.mouseClick(study.manifold_check, Qt.MouseButton.LeftButton)
    assert study.manifold_check.isChecked() and canvas.overlay_item.isVisible()
    snapshot = study.controller.snapshot
    points = latent.grid_points(canvas.current_map_box(), 5)  # top row first, left to right
    expected = snapshot.decode(points)
    shown = canvas.overlay_item.image[::-1]  # the canvas draws row 0 at the bottom
    cell = 28 + 2
    for k in (0, 7, 24):
        r, c = divmod(k, 5)
        tile = shown[r * cell: r * cell + 28, c * cell: c * cell + 28]
        np.testing.assert_allclose(tile.ravel(), expected[k], atol=1e-6)
    study.dots_check.setChecked(False)
    assert not canvas.codes_item.isVisible()
    study.dots_check.setChecked(True)
    qtbot.mouseClick(study.manifold_check, Qt.MouseButton.LeftButton)
    assert not canvas.overlay_item.isVisible()


def test_interpolation_walks_between_two_points(study, qtbot):
    canvas, panel = study.vae_pane.canvas, study.path_panel
    canvas.set_probe((-1.0, -1.0))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    canvas.set_probe((1.5, 1.0))
    qtbot.mouseClick(panel.end_button, Qt.MouseButton.LeftButton)
    strip = panel.strip.values()
    steps = canvas.state.path_steps
    path = np.linspace(0, 1, steps)[:, None] * (np.array([1.5, 1.0]) - [-1.0, -1.0]) + [-1.0, -1.0]
    np.testing.assert_allclose(strip, study.controller.snapshot.decode(path), atol=1e-6)
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)


def test_sampling_from_the_prior_fills_a_grid_of_new_digits(study, qtbot):
    qtbot.mouseClick(study.sample_button, Qt.MouseButton.LeftButton)
    z = np.random.default_rng(study.sample_seed).standard_normal((SAMPLE_COUNT, 2))
    np.testing.assert_allclose(study.samples_z, z)
    before = study.mosaic.images.copy()
    np.testing.assert_allclose(before, study.controller.snapshot.decode(z), atol=1e-6)
    study.samples_on_map.setChecked(True)
    np.testing.assert_allclose(study.vae_pane.canvas.state.samples, z)
    study.samples_on_map.setChecked(False)
    assert study.vae_pane.canvas.state.samples is None
    qtbot.mouseClick(study.sample_button, Qt.MouseButton.LeftButton)  # another press: other digits
    assert not np.allclose(study.mosaic.images, before)


def test_beta_changes_live_and_shows_in_the_figures(study, qtbot):
    study.beta_spin.setValue(2.0)
    assert study.controller.config.beta == 2.0
    qtbot.waitUntil(lambda: "(β = 2)" in study.headline.text(), timeout=5000)
    loss = study.vae_loss
    snapshot = study.controller.snapshot
    mu, log_var = np.asarray(snapshot.codes, np.float64), np.asarray(snapshot.log_vars, np.float64)
    kl = np.mean(np.sum(0.5 * (mu**2 + np.exp(log_var) - 1 - log_var), axis=1))
    assert loss.kl == pytest.approx(kl, rel=1e-6)
    assert loss.total == pytest.approx(np.mean(snapshot.image_losses) + 2.0 * kl, rel=1e-6)
    assert f"KL {kl:.2f}" in study.headline.text()
    study.beta_spin.setValue(1.0)


def test_a_plain_autoencoder_beside_trains_on_the_same_digits_to_the_same_epoch(study, qtbot):
    qtbot.mouseClick(study.compare_check, Qt.MouseButton.LeftButton)
    ae = study.autoencoder
    assert ae is not None and study.ae_pane.isVisible() and ae.config.model == "ae"
    qtbot.waitUntil(lambda: ae.snapshot.epoch == study.controller.snapshot.epoch and not ae.running,
                    timeout=120000)
    np.testing.assert_array_equal(ae.snapshot.images, study.controller.snapshot.images)
    canvas = study.ae_pane.canvas
    x, y = canvas.codes_item.getData()
    np.testing.assert_array_equal(np.stack([x, y], axis=1), np.asarray(ae.snapshot.codes, np.float64))
    assert "plain autoencoder" in study.headline.text() and "ae" in study.loss_plot.curves
    assert study.step(1) is None and study.wait_until_idle(120)  # one epoch: both models train
    qtbot.waitUntil(lambda: ae.snapshot.epoch == study.controller.snapshot.epoch == 2, timeout=120000)
    qtbot.mouseClick(study.compare_check, Qt.MouseButton.LeftButton)
    assert study.autoencoder is None and not study.ae_pane.isVisible() and "ae" not in study.loss_plot.curves
    study.set_compare(True)  # on again: a fresh autoencoder catches up
    qtbot.waitUntil(lambda: study.autoencoder.snapshot.epoch == 2 and not study.autoencoder.running, timeout=120000)
    study.set_compare(False)


def test_other_latent_sizes_train_but_only_two_show_a_map(qapp, qtbot):
    widget = GenerationStudy(Theme(), config=SMALL.replace(latent_dim=3))
    qtbot.addWidget(widget)
    widget.show()
    widget.start()
    assert widget.controller.snapshot.codes.shape == (500, 3)
    assert not widget.manifold_check.isEnabled() and not widget.path_panel.isEnabled()
    assert widget.vae_pane.canvas.message_item.isVisible()
    widget.sample()
    assert widget.samples_z.shape == (SAMPLE_COUNT, 3)
    np.testing.assert_allclose(widget.mosaic.images, widget.controller.snapshot.decode(widget.samples_z), atol=1e-6)
    widget.set_latent_size(2)
    assert widget.controller.snapshot.codes.shape == (500, 2) and widget.manifold_check.isEnabled()
    widget.shutdown()


def test_a_hidden_tab_catches_up_when_shown_and_closing_mid_run_stops_every_worker(qapp, qtbot):
    from desktop_app.main_window import MainWindow

    with small_digit_world():
        window = MainWindow()
        qtbot.addWidget(window)
        window.show()
        assert not window.generation.started  # nothing loaded before the tab is shown
        window.tabs.setCurrentIndex(2)
        study = window.generation
        qtbot.waitUntil(lambda: study.started, timeout=30000)
        study.set_compare(True)
        study.run_controls.epochs_spin.setValue(200)
        window.tabs.setCurrentIndex(0)
        study.play()
        qtbot.waitUntil(lambda: study.controller.snapshot.epoch >= 1, timeout=60000)
        assert study.headline.text().startswith("Epoch 0")  # hidden: not rendered yet
        window.tabs.setCurrentIndex(2)
        shown = study.controller.snapshot.epoch
        assert study.headline.text().startswith(f"Epoch {shown}")
        assert study.controller.running
        start = time.perf_counter()
        window.close()
        assert time.perf_counter() - start < 1.5
        assert not study.controller.running and not study.autoencoder.running


def test_the_loss_curves_wait_while_their_tab_is_hidden_and_catch_up_when_shown(study, qtbot):
    """Drawn on a hidden tab they cost 5 ms of every epoch's drawing."""
    study.extras.setCurrentIndex(0)  # the samples' tab: the loss curves are out of sight
    before = len(study.loss_plot.curves["loss"].getData()[0] or [])
    assert study.step(1) is None and study.wait_until_idle(120)
    history = study.controller.loss_history
    assert len(history.epochs) > before
    assert len(study.loss_plot.curves["loss"].getData()[0] or []) == before  # not drawn while hidden
    study.extras.setCurrentWidget(study.loss_plot)
    for key in ("loss", "reconstruction", "kl"):
        x, y = study.loss_plot.curves[key].getData()
        np.testing.assert_array_equal(x, history.epochs)
        np.testing.assert_allclose(y, history.column(key))
    study.extras.setCurrentIndex(0)
