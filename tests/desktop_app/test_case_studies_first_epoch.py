"""A case study's first epoch costs the window no more turns, and no longer ones, than
the epochs after it (issue 15: the denoising study's first epoch held the window 70 ms).

Two causes, each proved gone by structure, not by a clock:
- the PSNR plot's left axis fitted itself to each epoch's tick labels while it painted,
  so the plot was laid out and painted two or three times in one turn;
- PCA's projection of the 500 held-out inputs (and their PSNRs) was computed in the
  turn that drew the first epoch; it is now computed in the background while the first
  epoch trains, and the figures are the same to the last bit.
And in the generation study, re-decoded samples no longer lay the whole page out again.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from case_study_helpers import small_digit_world
from digit_oracles import independent_pca
from event_counter import EventCounter
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.case_studies.curves import CurvePlot
from desktop_app.case_studies.denoising_study import DenoisingStudy
from desktop_app.case_studies.digit_grid import DigitMosaic
from desktop_app.frames.scheduler import paint_now
from desktop_app.theme import Theme
from engine.core.config import TrainingConfig
from engine.digits import data as digits
from engine.digits.denoising_quality import PCADenoiser

SMALL = TrainingConfig(dataset="mnist", model="dae", latent_dim=8, batch_size=250, loss="logloss",
                       learning_rate=2e-3, noise_type="gaussian", noise_level=0.5, seed=3)

# held-out PSNRs as the denoising study's plot gets them, epoch by epoch: a growing curve
# whose tick labels change width ("4", "4.5", "10", "12.5", "13.75"...), between two levels
NETWORK = [4.2, 4.6, 9.8, 11.9, 12.6, 13.1, 13.4, 13.62, 13.7, 13.76, 13.8]
NOISY_INPUT, PCA_LEVEL = 4.05, 12.94


@pytest.fixture
def psnr_plot(qtbot):
    theme = Theme()
    plot = CurvePlot(theme, "Held-out PSNR (higher is cleaner)", "dB", value_room="00.0")
    plot.add_curve("network", "denoising autoencoder", theme.curve_reconstruction, symbol=True)
    plot.add_level("pca", "PCA projection", theme.curve_kl)
    plot.add_level("input", "noisy input", theme.muted)
    qtbot.addWidget(plot)
    plot.resize(520, 300)
    plot.show()
    qtbot.waitExposed(plot)
    paint_now()
    return plot


def test_each_epoch_paints_the_psnr_plot_once_and_its_axis_keeps_its_width(psnr_plot):
    left = psnr_plot.plot.getAxis("left")
    paints = EventCounter(psnr_plot.plot.viewport(), QEvent.Type.Paint)
    widths, per_epoch = set(), []
    for epoch in range(len(NETWORK)):
        paints.count = 0
        with psnr_plot.changes():  # as the study sets them
            psnr_plot.set_curve("network", np.arange(epoch + 1), np.array(NETWORK[: epoch + 1]))
            psnr_plot.set_level("input", NOISY_INPUT)
            psnr_plot.set_level("pca", PCA_LEVEL if epoch > 1 else None)  # PCA's level comes later
        paint_now()  # what the frame scheduler does after each drawing
        per_epoch.append(paints.count)
        widths.add(left.width())
    assert per_epoch == [1] * len(NETWORK)  # one paint per epoch: nothing changed in the middle of one
    assert len(widths) == 1  # the axis kept its width, so the plot was not laid out again


def test_a_level_set_alone_is_fitted_before_the_paint_too(psnr_plot):
    """Outside ``changes()`` each setter fits the view itself."""
    paints = EventCounter(psnr_plot.plot.viewport(), QEvent.Type.Paint)
    for epoch, value in enumerate(NETWORK):
        paints.count = 0
        psnr_plot.set_level("input", value)
        paint_now()
        assert paints.count == 1, f"epoch {epoch}: {paints.count} paints"


def test_the_first_epoch_shown_with_pca_projects_nothing_on_the_windows_thread(qtbot, monkeypatch):
    """As the benchmark and a learner do: open the study and press Step at once, before PCA
    is fitted. PCA's fit and its scores of the held-out inputs are computed in the
    background meanwhile; the turn that shows the first epoch only reads them."""
    torch.set_num_threads(1)
    on_window_thread: list[int] = []
    real_denoise = PCADenoiser.denoise

    def denoise(self, images):
        if threading.current_thread() is threading.main_thread():
            on_window_thread.append(len(images))
        return real_denoise(self, images)

    monkeypatch.setattr(PCADenoiser, "denoise", denoise)
    with small_digit_world():
        study = DenoisingStudy(Theme(), config=SMALL)
        qtbot.addWidget(study)
        study.resize(1400, 900)
        study.show()
        study.start()
        try:
            assert study.pca.ready(SMALL.latent_dim) is None and study.figures.projected is None  # still fitting
            assert study.step(1) is None
            study._preparing.result(timeout=120)  # (the window waits here: no epoch is drawn meanwhile)
            with qtbot.waitSignal(study.controller.runningChanged, timeout=120_000,
                                  check_params_cb=lambda running: running is False):
                pass
            snapshot = study.controller.snapshot
            assert snapshot.epoch == 1 and study.figures.epoch == 1
            assert on_window_thread == []
            train = digits.split_digits(digits.load_digits())[0].images
            expected = independent_pca(train, SMALL.latent_dim, snapshot.inputs)
            np.testing.assert_allclose(study.table.images[:, 3], expected[study.figures.rows], atol=1e-4)
        finally:
            study.shutdown()


def test_new_samples_of_the_same_count_do_not_lay_the_page_out_again(qtbot):
    """The generation study re-decodes its samples (or none) every epoch: only a new number
    of rows asks the page for another size."""
    page = QWidget()
    qtbot.addWidget(page)
    mosaic = DigitMosaic(Theme(), columns=8)
    QVBoxLayout(page).addWidget(mosaic)
    page.show()
    rng = np.random.default_rng(0)
    mosaic.set_images(rng.random((16, 784), dtype=np.float32))
    paint_now()
    requests = EventCounter(page, QEvent.Type.LayoutRequest)
    for _epoch in range(3):
        mosaic.set_images(rng.random((16, 784), dtype=np.float32))  # the next epoch's decoding
        paint_now()
    mosaic.set_images(np.zeros((0, 784), np.float32))
    paint_now()
    assert requests.count == 1  # only the change to none
    mosaic.set_images(np.zeros((0, 784), np.float32))
    paint_now()
    assert requests.count == 1
