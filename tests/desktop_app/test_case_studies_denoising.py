"""Case study 1 driven as a learner does: train, change the noise, draw a digit.

Every number read back off the screen is checked against an independent numpy (or
torch) computation on the arrays the screen shows.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from case_study_helpers import shown_denoising_study
from digit_oracles import independent_pca, independent_psnr
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from desktop_app.case_studies import denoising_study
from engine.core.config import TrainingConfig
from engine.digits import data as digits
from engine.digits.drawing import frame_like_mnist
from engine.lecture.noise import corrupt_for_display

SMALL = TrainingConfig(dataset="mnist", model="dae", latent_dim=8, batch_size=250, loss="logloss",
                       learning_rate=2e-3, noise_type="gaussian", noise_level=0.5, seed=3)


def shown_db(text: str) -> float:
    return float(text.replace(" dB", "").replace("∞", "inf"))


@pytest.fixture(scope="module")
def study(qapp):
    with shown_denoising_study(SMALL, epochs=1) as widget:
        yield widget


def test_the_window_builds_without_loading_digits_or_training(qtbot):
    from desktop_app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.denoising.started and not window.generation.started


def test_training_an_epoch_shows_rows_of_held_out_digits(study):
    snapshot = study.controller.snapshot
    assert snapshot.epoch == 1 and study.run_controls.epoch_label.text() == "epoch 1"
    assert study.run_controls.bar.format() == "1 of 1 epoch"
    f = study.figures
    assert sorted(f.labels) == list(range(10))  # one of each digit
    shown = study.table.images
    np.testing.assert_array_equal(shown[:, 0], snapshot.images[f.rows])
    np.testing.assert_array_equal(shown[:, 1], snapshot.inputs[f.rows])
    np.testing.assert_array_equal(shown[:, 2], snapshot.reconstructions[f.rows])
    held_out = digits.split_digits(digits.load_digits())[1]
    np.testing.assert_array_equal(shown[:, 0], held_out.images[f.rows])  # targets stay the clean digits


def test_psnr_shown_per_row_and_on_average_equals_numpy_on_the_shown_arrays(study):
    shown = study.table.images
    for column in (1, 2, 3):
        expected = independent_psnr(shown[:, 0], shown[:, column])
        got = [shown_db(study.table.caption(r, column)) for r in range(len(shown))]
        np.testing.assert_allclose(got, expected, atol=0.006)  # two decimals on screen
        (_, mean_rows), (_, mean_all) = study.table.footer
        assert shown_db(mean_rows[column]) == pytest.approx(expected.mean(), abs=0.006)
    snapshot = study.controller.snapshot
    all_network = independent_psnr(snapshot.images, snapshot.reconstructions)
    assert shown_db(mean_all[2]) == pytest.approx(all_network.mean(), abs=0.006)
    assert f"autoencoder {all_network.mean():.2f} dB" in study.headline.text()


def test_pca_column_equals_an_independent_svd_projection(study):
    train = digits.split_digits(digits.load_digits())[0].images
    snapshot = study.controller.snapshot
    expected_all = independent_pca(train, SMALL.latent_dim, snapshot.inputs)
    np.testing.assert_allclose(study.table.images[:, 3], expected_all[study.figures.rows], atol=1e-4)
    (_, _), (_, mean_all) = study.table.footer
    expected = independent_psnr(snapshot.images, expected_all).mean()
    assert shown_db(mean_all[3]) == pytest.approx(expected, abs=0.006)
    assert study.table.titles[3] == f"PCA, k = {SMALL.latent_dim}"


def test_changing_the_noise_re_corrupts_the_shown_digits_at_once(study, qtbot):
    before = study.table.images[:, 1].copy()
    clean_before = study.table.images[:, 0].copy()
    study.noise_slider.setValue(20)  # σ = 0.20, as a learner drags the slider
    qtbot.waitUntil(lambda: study.controller.snapshot.config.noise_level == pytest.approx(0.2), timeout=5000)
    qtbot.waitUntil(lambda: not np.array_equal(study.table.images[:, 1], before), timeout=5000)
    snapshot = study.controller.snapshot
    assert snapshot.epoch == 1  # nothing trained: the same network sees new noise
    expected = corrupt_for_display(snapshot.images, "gaussian", 0.2, SMALL.seed + 1)  # the shown (numpy) noise
    np.testing.assert_array_equal(study.table.images[:, 1], expected[study.figures.rows])
    np.testing.assert_array_equal(study.table.images[:, 0], clean_before)  # targets stay clean
    assert study.noise_label.text() == "σ = 0.20"
    study.noise_type.setCurrentIndex(study.noise_type.findData("mask"))
    qtbot.waitUntil(lambda: study.controller.snapshot.config.noise_type == "mask", timeout=5000)
    masked = study.table.images[:, 1]
    clean = study.table.images[:, 0]
    assert np.all((masked == 0) | (masked == clean))  # masking only blanks pixels
    assert study.noise_label.text() == "20% of pixels"
    study.set_noise("gaussian", 0.5)
    assert study.controller.snapshot.config.noise_level == 0.5


def test_the_draw_pad_feeds_the_denoiser(study, qtbot):
    pad = study.pad
    assert study.drawn_figures is None or pad.pixels.max() == 0
    corner = pad.from_pixel(9, 6)
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=corner.toPoint())
    for x, y in ((19, 6), (13, 23)):
        qtbot.mouseMove(pad, pos=pad.from_pixel(x, y).toPoint())
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=pad.from_pixel(13, 23).toPoint())
    assert pad.pixels.max() == 1.0 and pad.pixels.reshape(28, 28)[6, 9:19].min() > 0.5
    shown = study.drawn_table.images[0]
    snapshot = study.controller.snapshot
    np.testing.assert_array_equal(shown[0], frame_like_mnist(pad.pixels))
    noise = corrupt_for_display(shown[0][None], "gaussian", 0.5, 7)  # the shown (numpy) noise
    np.testing.assert_array_equal(shown[1], noise[0])
    np.testing.assert_allclose(shown[2], snapshot.reconstruct(shown[1][None])[0], atol=1e-6)
    expected = independent_psnr(shown[0][None], shown[2][None])[0]
    assert shown_db(study.drawn_table.caption(0, 2)) == pytest.approx(expected, abs=0.006)
    clear = study.findChild(QPushButton, "drawPadClearButton")
    qtbot.mouseClick(clear, Qt.MouseButton.LeftButton)
    assert pad.pixels.max() == 0 and len(study.drawn_table.images) == 0
    qtbot.mousePress(pad, Qt.MouseButton.RightButton, pos=QPoint(1, 1))  # erasing an empty pad is harmless


def test_play_runs_the_chosen_epochs_and_stop_keeps_what_was_learned(study, qtbot):
    start = study.controller.snapshot.epoch
    study.run_controls.epochs_spin.setValue(1)
    qtbot.mouseClick(study.run_controls.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: study.run_controls.play_button.text() == "Play", timeout=60000)
    assert study.controller.snapshot.epoch == start + 1
    assert study.run_controls.bar.format() == "1 of 1 epoch" and study.run_controls.time_label.text() == "done"
    study.run_controls.epochs_spin.setValue(50)
    qtbot.mouseClick(study.run_controls.play_button, Qt.MouseButton.LeftButton)
    assert study.run_controls.stop_button.isEnabled()
    # stopped once it has learned something (a Stop that reaches the training engine before
    # the run's first epoch starts rightly stops with nothing learned and says nothing)
    qtbot.waitUntil(lambda: study.controller.snapshot.epoch >= start + 2, timeout=60000)
    qtbot.mouseClick(study.run_controls.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: study.run_controls.play_button.text() == "Play", timeout=60000)
    stopped = study.controller.snapshot
    assert start + 2 <= stopped.epoch < start + 51
    assert "keeps what it learned" in study.run_controls.time_label.text()
    # what was learned is kept: the next epoch continues from the stopped weights
    assert study.controller.session.epoch == stopped.epoch
    assert study.step(1) is None and study.wait_until_idle(60)
    assert study.controller.snapshot.epoch == stopped.epoch + 1


def test_space_plays_and_pauses_and_right_steps_one_epoch(study, qtbot):
    start = study.controller.session.epoch
    qtbot.keyClick(study, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: study.run_controls.play_button.text() == "Play"
                    and study.controller.snapshot.epoch == start + 1, timeout=60000)
    study.run_controls.epochs_spin.setValue(1)
    qtbot.keyClick(study, Qt.Key.Key_Space)
    assert study.controller.running or study.controller.session.epoch == start + 2
    qtbot.waitUntil(lambda: study.run_controls.play_button.text() == "Play"
                    and study.controller.snapshot.epoch == start + 2, timeout=60000)


def test_a_new_bottleneck_is_a_new_network_and_pca_keeps_as_many_components(study, qtbot):
    study.set_bottleneck(5)  # confirm=False: no question asked (a script, or nothing trained)
    snapshot = study.controller.snapshot
    assert snapshot.epoch == 0 and snapshot.codes.shape[1] == 5 and study.bottleneck.value() == 5
    qtbot.waitUntil(lambda: not study.table.waiting_columns and study.table.titles[3] == "PCA, k = 5", timeout=60000)
    train = digits.split_digits(digits.load_digits())[0].images
    expected = independent_pca(train, 5, snapshot.inputs)[study.figures.rows]
    np.testing.assert_allclose(study.table.images[:, 3], expected, atol=1e-4)


def test_while_training_an_epoch_draws_its_table_in_the_second_half_of_the_frame(study, monkeypatch):
    """The headline with the epoch's figures comes first; the 40-digit table follows one
    tick later (issue 15: drawn together they stalled the window once per epoch)."""
    controller = study.controller
    drawn = []
    monkeypatch.setattr(denoising_study, "show_held_out", lambda _table, figures: drawn.append(figures))
    with monkeypatch.context() as training:
        training.setattr(type(controller), "running", property(lambda _self: True))
        study.draw_now(controller.snapshot)
        assert drawn == []  # not in the first half
        assert f"Epoch {controller.snapshot.epoch} " in study.headline.text()
    controller.wait_until_idle()  # the frame's second half
    assert drawn == [study.figures]


def test_while_training_the_table_plots_and_drawing_each_draw_in_a_second_half_of_their_own(study, monkeypatch):
    """Two of them in one turn of the event loop held the window 15 to 40 ms per epoch."""
    controller = study.controller
    halves: list[list[str]] = []
    for name in ("_render_psnr", "_render_loss_curve", "render_drawing"):
        monkeypatch.setattr(study, name, lambda *_args, name=name: halves[-1].append(name))
    monkeypatch.setattr(denoising_study, "show_held_out", lambda _table, _figures: halves[-1].append("table"))
    with monkeypatch.context() as training:
        training.setattr(type(controller), "running", property(lambda _self: True))
        study.draw_now(controller.snapshot)
        for _ in range(5):
            halves.append([])
            controller._frames.draw_second_half()  # one tick of the frame timer
    assert halves == [["table"], ["_render_psnr"], ["_render_loss_curve"], ["render_drawing"], []]


def test_the_next_epochs_numbers_do_not_resize_the_table(study):
    """A PSNR that gains a digit (9.87 to 10.02 dB) made the table wider: the whole page
    was laid out again and repainted mid-epoch (20 to 50 ms on a busy machine)."""
    f = study.figures

    def scored(db: float):
        rows = np.full(len(f.rows), db)
        return dataclasses.replace(f, input_psnr=rows, network_psnr=rows, pca_psnr=rows,
                                   mean_rows=(db, db, db), mean_all=(db, db, db))

    denoising_study.show_held_out(study.table, scored(5.0))
    sizes = (study.table.sizeHint(), study.table.minimumSizeHint())
    denoising_study.show_held_out(study.table, scored(55.0))
    assert study.table.caption(0, 2) == "55.00 dB"
    assert (study.table.sizeHint(), study.table.minimumSizeHint()) == sizes
    denoising_study.show_held_out(study.table, f)  # as it was
