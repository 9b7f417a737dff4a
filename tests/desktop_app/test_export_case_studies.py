"""Exports on the case studies: the held-out PSNR per digit (checked by hand against the
network's and PCA's outputs), the PSNR plot's curves and its SVG, the digit table as PNG."""

from __future__ import annotations

import numpy as np
import pytest
from case_study_helpers import shown_denoising_study
from PySide6.QtGui import QImage

from desktop_app.export.registry import target_for
from desktop_app.export.still import write_png, write_svg
from engine.core.config import TrainingConfig
from tests.desktop_app.export_helpers import joined, read_csv, svg_lines

SMALL = TrainingConfig(dataset="mnist", model="dae", latent_dim=8, batch_size=250, loss="logloss",
                       noise_type="gaussian", noise_level=0.5, learning_rate=2e-3, seed=0)


def by_hand(clean: np.ndarray, out: np.ndarray) -> np.ndarray:
    error = np.mean((clean.astype(np.float64) - out.astype(np.float64)) ** 2, axis=1)
    return 10 * np.log10(1.0 / error)


@pytest.fixture(scope="module")
def study(qapp):
    with shown_denoising_study(SMALL, epochs=2) as widget:
        qapp.processEvents()
        yield widget


def test_psnr_per_held_out_digit_from_the_digit_table(study, tmp_path):
    target = target_for(study.table)
    assert target.title == "held-out digits"
    target.tables["held-out PSNR per digit"]().write(str(tmp_path / "psnr.csv"))
    header, rows = read_csv(tmp_path / "psnr.csv")
    snapshot = study.controller.snapshot
    projected = study.pca.denoiser(SMALL.latent_dim).denoise(snapshot.inputs)
    assert header == ["epoch", "digit", "label", "noisy_input_db", "autoencoder_db", "pca_db"]
    assert len(rows) == len(snapshot.images) == 500
    assert {int(r[0]) for r in rows} == {2}
    for column, out in ((3, snapshot.inputs), (4, snapshot.reconstructions), (5, projected)):
        np.testing.assert_allclose([float(r[column]) for r in rows], by_hand(snapshot.images, out), rtol=1e-9)


def test_psnr_plot_curve_csv_and_svg(study, tmp_path):
    target = target_for(study.psnr_plot)
    target.tables["curves"]().write(str(tmp_path / "curves.csv"))
    header, rows = read_csv(tmp_path / "curves.csv")
    assert header == ["epoch", "network"]
    snapshot = study.controller.snapshot
    mean_network = float(np.mean(by_hand(snapshot.images, snapshot.reconstructions)))
    assert float(rows[-1][1]) == pytest.approx(mean_network, rel=1e-9)
    write_svg(target.widget, str(tmp_path / "psnr.svg"), target.plot)
    assert any(len(line) == len(rows) for line in joined(svg_lines(tmp_path / "psnr.svg")))


def test_loss_plot_of_a_study_exports_the_engines_history(study, tmp_path):
    target = target_for(study.loss_plot)
    target.tables["loss history"]().write(str(tmp_path / "loss.csv"))
    _header, rows = read_csv(tmp_path / "loss.csv")
    assert [float(r[1]) for r in rows] == study.controller.session.history.column("loss").tolist()


def test_digit_table_png(study, tmp_path):
    size = write_png(target_for(study.table).widget, str(tmp_path / "table.png"), 2.0)
    image = QImage(str(tmp_path / "table.png"))
    assert (image.width(), image.height()) == (size.width(), size.height())
    assert image.width() == round(study.table.width() * 2)
