"""The latent explorer: paths, a VAE's spreads and prior, the AE|VAE comparison, the
linked data plane, and the canvas reused for 28x28 digits. Checked against the engine."""

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_app.controller import TrainingController
from desktop_app.theme import Theme
from desktop_app.views.decoded_image import DecodedImageView
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.views.latent_compare import COMPARE_BETA
from desktop_app.views.latent_explorer import LatentExplorer
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.latent import space as latent


def make_explorer(qtbot, config: TrainingConfig, epochs: int):
    torch.set_num_threads(1)
    controller = TrainingController(config)
    controller.step(epochs)
    controller.wait_until_idle()
    w = LatentExplorer(controller, Theme())
    qtbot.addWidget(w)
    w.resize(900, 760)
    w.show()
    qtbot.waitExposed(w)
    return controller, w


@pytest.fixture
def ae(qapp, qtbot):
    controller, w = make_explorer(qtbot, TrainingConfig(seed=2), 80)
    yield controller, w
    w.set_compare(False)
    controller.shutdown()


@pytest.fixture
def vae(qapp, qtbot):
    controller, w = make_explorer(qtbot, TrainingConfig(model="vae", beta=0.1, seed=2), 150)
    yield controller, w
    w.set_compare(False)
    controller.shutdown()


def click_latent(qtbot, canvas, z) -> None:
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport_pos(z))


def test_interpolation_endpoints_are_the_decoded_endpoints(ae, qtbot):
    controller, w = ae
    canvas, panel = w.canvas, w.path_panel
    snapshot = controller.snapshot
    assert canvas.probe_image == controller.selected_index  # the panel opens on the selected image
    canvas.set_probe(None, image=3)  # a training image as A (follows its code)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    canvas.set_probe((0.9, 0.1))
    qtbot.mouseClick(panel.end_button, Qt.MouseButton.LeftButton)
    for kind in ("linear", "spherical"):
        panel.kind.setCurrentIndex(latent.INTERPOLATIONS.index(kind))
        strip = panel.strip.values()
        assert len(strip) == panel.steps.value()
        np.testing.assert_allclose(strip[0], snapshot.decode(snapshot.codes[3]), atol=1e-6)
        np.testing.assert_allclose(strip[-1], snapshot.decode([0.9, 0.1]), atol=1e-6)
        path = np.stack(canvas.path_item.getData(), axis=1)
        expected = latent.interpolation_path(snapshot.codes[3], [0.9, 0.1], panel.steps.value(), kind,
                                             latent.interpolation_centre(snapshot))
        np.testing.assert_allclose(path, expected, atol=1e-9)
        np.testing.assert_allclose(strip, snapshot.decode(expected), atol=1e-6)
    panel.steps.setValue(5)
    assert len(panel.strip.values()) == 5
    # training moves image 3's code, and the path's start follows it
    controller.step(10)
    controller.wait_until_idle()
    np.testing.assert_allclose(panel.strip.values()[0], controller.snapshot.decode(controller.snapshot.codes[3]),
                               atol=1e-6)
    # a tile clicked is decoded large
    panel.strip.tileClicked.emit(2)
    np.testing.assert_allclose(w.readout.image.values(), controller.snapshot.decode(canvas.probe), atol=1e-6)


def test_vae_ellipse_radii_are_the_spreads(vae):
    controller, w = vae
    snapshot = controller.snapshot
    xs, ys = w.canvas.ellipse_item.getData()
    breaks = np.flatnonzero(np.isnan(xs))
    assert len(breaks) == len(snapshot.images)
    start = 0
    for k, end in enumerate(breaks):
        x, y = xs[start:end], ys[start:end]
        assert (x.max() - x.min()) / 2 == pytest.approx(snapshot.spreads[k, 0], rel=1e-6)
        assert (y.max() - y.min()) / 2 == pytest.approx(snapshot.spreads[k, 1], rel=1e-6)
        assert (x.max() + x.min()) / 2 == pytest.approx(snapshot.codes[k, 0], abs=1e-6)
        start = end + 1
    w.map_controls.spreads.setChecked(False)
    assert len(w.canvas.ellipse_item.getData()[0] or []) == 0
    assert w.canvas.box.x0 <= -3 and w.canvas.box.x1 >= 3  # the axes fit a VAE


def test_prior_samples_are_drawn_decoded_and_clickable(vae, qtbot):
    controller, w = vae
    panel, canvas = w.prior_panel, w.canvas
    panel.count.setValue(30)
    panel.seed.setValue(4)
    qtbot.mouseClick(panel.draw_button, Qt.MouseButton.LeftButton)
    expected = latent.prior_samples(30, 2, seed=4)
    np.testing.assert_array_equal(canvas.state.samples, expected)
    x, y = canvas.samples_item.getData()
    np.testing.assert_allclose(np.stack([x, y], 1), expected)
    np.testing.assert_allclose(panel.strip.values(), controller.snapshot.decode(expected[:12]), atol=1e-6)
    # clicking a sample (one away from every dot) decodes it
    codes = controller.snapshot.codes
    far = [k for k in range(30) if np.min(np.linalg.norm(codes - expected[k], axis=1)) > 0.3
           and np.all(np.abs(expected[k]) < 2.5)]
    k = far[0]
    click_latent(qtbot, canvas, expected[k])
    np.testing.assert_allclose(canvas.probe, latent.snap(expected[k]))
    np.testing.assert_allclose(w.readout.image.values(), controller.snapshot.decode(canvas.probe), atol=1e-6)



def test_a_prior_tile_clicked_probes_its_sample_and_a_cleared_strip_probes_nothing(vae):
    controller, w = vae
    panel, canvas = w.prior_panel, w.canvas
    panel.seed.setValue(7)
    panel.draw()
    expected = latent.prior_samples(panel.count.value(), 2, seed=7)
    panel.strip.tileClicked.emit(3)
    np.testing.assert_allclose(canvas.probe, latent.snap(expected[3]))
    np.testing.assert_allclose(w.readout.image.values(), controller.snapshot.decode(canvas.probe), atol=1e-6)
    panel.clear()
    assert len(panel.strip.values()) == 0
    panel.strip.tileClicked.emit(5)  # no tile is on screen: the probe stays
    np.testing.assert_allclose(canvas.probe, latent.snap(expected[3]))

def test_compare_trains_the_other_model_with_the_same_seed_and_data(ae, qtbot):
    controller, w = ae
    qtbot.mouseClick(w.compare_button, Qt.MouseButton.LeftButton)
    pane = w.compare
    other = pane.controller
    assert other.config.model == "vae" and other.config.seed == controller.config.seed
    assert other.config.beta == COMPARE_BETA
    qtbot.waitUntil(lambda: not other.running and other.snapshot.epoch == controller.snapshot.epoch, timeout=20000)
    np.testing.assert_array_equal(other.snapshot.images, controller.snapshot.images)
    # the same run, computed headless by the engine
    headless = TrainingSession(other.config, controller.session.train_images)
    for _ in headless.run(controller.snapshot.epoch):
        pass
    np.testing.assert_allclose(other.snapshot.codes, headless.latest.codes, atol=1e-6)
    x, y = pane.canvas.codes_item.getData()
    np.testing.assert_allclose(np.stack([x, y], 1), other.snapshot.encode(other.snapshot.images), atol=1e-6)
    # its canvas decodes with its own model
    click_latent(qtbot, pane.canvas, (2.6, -2.6))
    np.testing.assert_allclose(pane.readout.image.values(), other.snapshot.decode(pane.canvas.probe), atol=1e-6)
    # it keeps up with the main run, and looks back with it
    controller.step(15)
    controller.wait_until_idle()
    qtbot.waitUntil(lambda: not other.running and other.snapshot.epoch == controller.snapshot.epoch, timeout=20000)
    controller.show_epoch(40)
    assert other.snapshot.epoch == 40
    # layers apply to both canvases
    w.map_controls.overlay.setChecked(True)
    assert pane.canvas.overlay_item.isVisible()
    qtbot.mouseClick(w.compare_button, Qt.MouseButton.LeftButton)
    assert w.compare is None and not other.running


def test_compared_maps_get_equal_room_and_only_a_vae_shows_beta(vae, qtbot):
    controller, w = vae
    qtbot.mouseClick(w.compare_button, Qt.MouseButton.LeftButton)
    pane = w.compare
    qtbot.waitUntil(lambda: not pane.controller.running, timeout=20000)
    assert pane.controller.config.model == "ae"
    assert not pane.beta.isVisible()  # the plain autoencoder has no β to set
    assert pane.canvas.width() >= w.canvas.minimumWidth()
    assert abs(pane.canvas.width() - w.canvas.width()) <= 0.25 * w.canvas.width()  # side by side, alike
    w.set_compare(False)
    controller.new_session(TrainingConfig(seed=2))  # an autoencoder: the VAE beside it has a β
    w.set_compare(True)
    assert w.compare.beta.isVisible()


def test_data_plane_and_canvas_light_up_together(ae, qtbot):
    controller, w = ae
    canvas, plane = w.canvas, w.data_plane
    snapshot = controller.snapshot
    np.testing.assert_allclose(plane.points(), latent.pattern_coordinates(snapshot.images))
    codes = snapshot.codes
    gaps = np.linalg.norm(codes[:, None] - codes[None], axis=2) + np.eye(len(codes)) * 9
    index = int(np.argmax(gaps.min(axis=1)))
    for offset in (QPoint(30, 30), QPoint(0, 0)):
        qtbot.wait(12)  # pyqtgraph takes at most 100 mouse moves a second
        pos = canvas.viewport_pos(codes[index]) + offset
        event = QMouseEvent(QMouseEvent.Type.MouseMove, QPointF(pos), QPointF(canvas.viewport().mapToGlobal(pos)),
                            Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(canvas.viewport(), event)
    assert plane.hovered == index
    np.testing.assert_allclose(plane.hover_item.getData()[0], [plane.points()[index, 0]])
    # selecting in the data plane selects everywhere
    ab = plane.points()
    gaps = np.linalg.norm(ab[:, None] - ab[None], axis=2) + np.eye(len(ab)) * 9
    pick = int(np.argmax(gaps.min(axis=1)))
    vb = plane.getPlotItem().getViewBox()
    pos = plane.mapFromScene(vb.mapViewToScene(QPointF(*ab[pick])))
    qtbot.mouseClick(plane.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert controller.selected_index == pick
    np.testing.assert_allclose(canvas.selected_item.getData()[0], [codes[pick, 0]])
    # the decoded probe shows where its image sits in the data plane
    canvas.set_probe((0.5, 0.5))
    decoded = controller.snapshot.decode(canvas.probe)
    np.testing.assert_allclose(plane.decoded_point(), latent.pattern_coordinates(decoded)[0], atol=1e-6)


def test_the_canvas_and_decoded_view_take_28x28_digits_from_a_snapshot_source(qapp, qtbot):
    torch.set_num_threads(1)
    snapshot = TrainingSession(TrainingConfig(dataset="mnist", model="vae", latent_dim=2)).latest
    canvas = LatentCanvas(None, Theme(), name="digitCanvas")
    image = DecodedImageView(Theme(), pixels=784)
    canvas.probeChanged.connect(lambda z, values: image.set_values(values))
    for widget in (canvas, image):
        qtbot.addWidget(widget)
        widget.resize(500, 500)
        widget.show()
    canvas.render(snapshot)
    x, y = canvas.codes_item.getData()
    np.testing.assert_allclose(np.stack([x, y], 1), snapshot.codes, atol=1e-6)
    assert canvas.legend is not None and len(canvas.legend.items) == 10
    brushes = canvas.codes_item.data["brush"]
    palette = Theme().digit_palette
    assert all(b.color().name().lower() == palette[d].lower() for b, d in zip(brushes, snapshot.labels, strict=True))
    canvas.set_probe((0.5, -0.25))
    np.testing.assert_allclose(image.values(), snapshot.decode([0.5, -0.25]), atol=1e-6)
    canvas.state.update(overlay_on=True, grid_size=3)
    tiles = canvas.overlay_item.image[::-1]
    expected = snapshot.decode(latent.grid_points(canvas.box, 3))
    np.testing.assert_allclose(tiles[30:58, 0:28].ravel(), expected[3], atol=1e-6)  # row 1, column 0
