"""The latent canvas: clicks, drags and keys decode with the snapshot's own decoder.

Numbers are checked against the engine (``snapshot.decode``/``encode``), never against
what another widget shows.
"""

import re

import numpy as np
import pytest
from controller_helpers import controller_for
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from desktop_app.panels import formatting as fmt
from desktop_app.theme import Theme
from desktop_app.views.latent_explorer import LatentExplorer
from engine.core.config import TrainingConfig
from engine.latent import space as latent


@pytest.fixture
def controller(qapp):
    yield from controller_for(TrainingConfig(seed=1), epochs=80)


@pytest.fixture
def explorer(controller, qtbot):
    w = LatentExplorer(controller, Theme())
    qtbot.addWidget(w)
    w.resize(900, 760)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.set_compare(False)


def shown_point(label) -> np.ndarray:
    """The coordinates a ``latentCoordLabel`` shows."""
    x, y = re.search(r"z = \(([−-]?[\d.]+), ([−-]?[\d.]+)\)", label.text()).groups()
    return np.array([fmt.parse_shown(x), fmt.parse_shown(y)])


def empty_spots(snapshot, count: int, margin: float = 0.08) -> list[np.ndarray]:
    """Points of the unit square at least ``margin`` from every code (so no dot is hit)."""
    spots = []
    for z in latent.grid_points(latent.Box.square(0.05, 0.95), 7):
        if np.min(np.linalg.norm(snapshot.codes - z, axis=1)) > margin:
            spots.append(z)
    assert len(spots) >= count
    return [spots[0], spots[-1]][:count] if count == 2 else spots[:count]


def send_mouse(widget, kind, pos: QPoint, buttons) -> None:
    button = Qt.MouseButton.LeftButton if kind != QMouseEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def test_two_clicks_decode_two_images_at_the_coordinates_shown(explorer, controller, qtbot):
    canvas, image, label = explorer.canvas, explorer.readout.image, explorer.readout.coords
    snapshot = controller.snapshot
    decoded = []
    for z in empty_spots(snapshot, 2):
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport_pos(z))
        shown = shown_point(label)
        assert np.abs(shown - z).max() < 0.01  # where the click landed, to a pixel or so
        assert canvas.probe_image is None
        np.testing.assert_allclose(image.values(), snapshot.decode(shown), atol=1e-6)
        decoded.append(image.values())
    assert np.abs(decoded[0] - decoded[1]).max() > 0.01


def test_dragging_decodes_continuously(explorer, controller, qtbot):
    canvas, label = explorer.canvas, explorer.readout.coords
    viewport = canvas.viewport()
    seen = []
    canvas.probeChanged.connect(lambda z, values: seen.append((z, values)))
    start, end = empty_spots(controller.snapshot, 2)
    path = [canvas.viewport_pos(start + t * (end - start)) for t in np.linspace(0, 1, 8)]
    send_mouse(viewport, QMouseEvent.Type.MouseButtonPress, path[0], Qt.MouseButton.LeftButton)
    for pos in path[1:]:
        qtbot.wait(12)  # pyqtgraph takes at most 100 mouse moves a second
        send_mouse(viewport, QMouseEvent.Type.MouseMove, pos, Qt.MouseButton.LeftButton)
    send_mouse(viewport, QMouseEvent.Type.MouseButtonRelease, path[-1], Qt.MouseButton.NoButton)
    assert len(seen) >= 6  # one decode per move once the drag started
    points = np.array([z for z, _ in seen])
    assert len(np.unique(points, axis=0)) >= 6
    for z, values in seen:
        np.testing.assert_allclose(values, controller.snapshot.decode(z), atol=1e-6)
    np.testing.assert_allclose(shown_point(label), points[-1])
    assert np.abs(points[-1] - end).max() < 0.01
    assert not canvas._user_view  # a plain drag moved the probe, not the view


def test_clicking_a_dot_selects_its_image_and_decodes_its_code(explorer, controller, qtbot):
    canvas, image = explorer.canvas, explorer.readout.image
    codes = controller.snapshot.codes
    # the code farthest from all others, so exactly one dot is under the mouse
    gaps = np.linalg.norm(codes[:, None] - codes[None], axis=2) + np.eye(len(codes)) * 9
    index = int(np.argmax(gaps.min(axis=1)))
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport_pos(codes[index]))
    assert canvas.probe_image == index  # decoded at once
    np.testing.assert_allclose(image.values(), controller.snapshot.decode(codes[index]), atol=1e-6)
    qtbot.waitUntil(lambda: controller.selected_index == index, timeout=2000)  # selected right after
    assert "image" in explorer.readout.coords.text()
    np.testing.assert_allclose(canvas.selected_item.getData()[0], [codes[index, 0]])


def test_arrow_keys_nudge_the_point(explorer, controller, qtbot):
    canvas, image, label = explorer.canvas, explorer.readout.image, explorer.readout.coords
    z = empty_spots(controller.snapshot, 2)[0]
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport_pos(z))
    before = shown_point(label)
    step = latent.nudge_step(canvas.box)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    qtbot.keyClick(canvas, Qt.Key.Key_Up)
    qtbot.keyClick(canvas, Qt.Key.Key_Up)
    np.testing.assert_allclose(shown_point(label), before + [step, 2 * step], atol=1e-9)
    qtbot.keyClick(canvas, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    np.testing.assert_allclose(shown_point(label), before + [-9 * step, 2 * step], atol=1e-9)
    np.testing.assert_allclose(image.values(), controller.snapshot.decode(shown_point(label)), atol=1e-6)


def test_codes_on_the_canvas_are_the_engines_encodings_for_the_shown_epoch(explorer, controller, qtbot):
    canvas = explorer.canvas
    for epoch in (None, 40):
        if epoch is not None:
            controller.show_epoch(epoch)
        snapshot = controller.snapshot
        x, y = canvas.codes_item.getData()
        np.testing.assert_allclose(np.stack([x, y], 1), snapshot.encode(snapshot.images), atol=1e-6)
    assert controller.snapshot.epoch == 40
    # live: training moves the dots
    controller.step(20)
    controller.wait_until_idle()
    x, y = canvas.codes_item.getData()
    np.testing.assert_allclose(np.stack([x, y], 1), controller.snapshot.encode(controller.snapshot.images), atol=1e-6)


def test_the_axes_fit_the_model_keep_their_scale_and_reset(explorer, controller, qtbot):
    canvas = explorer.canvas
    vb = canvas.getPlotItem().getViewBox()
    assert canvas.box == latent.Box.square(-0.05, 1.05)
    before = vb.viewRange()
    controller.step(30)
    controller.wait_until_idle()
    np.testing.assert_allclose(vb.viewRange(), before)  # no autoscale jitter while training
    vb.scaleBy((0.5, 0.5))
    vb.sigRangeChangedManually.emit(vb.state["mouseEnabled"])
    assert not np.allclose(vb.viewRange(), before)
    qtbot.mouseClick(explorer.reset_button, Qt.MouseButton.LeftButton)
    np.testing.assert_allclose(vb.viewRange(), before)


def test_the_decoded_map_shows_the_decoders_outputs(explorer, controller, qtbot):
    canvas, controls = explorer.canvas, explorer.map_controls
    qtbot.mouseClick(explorer.section_buttons["map"], Qt.MouseButton.LeftButton)
    assert controls.isVisible()
    controls.grid_size.setValue(4)
    controls.overlay.setChecked(True)
    assert canvas.overlay_item.isVisible()
    tiles = canvas.overlay_item.image[::-1]  # drawn bottom row first
    expected = controller.snapshot.decode(latent.grid_points(canvas.box, 4))
    for k in range(16):
        r, c = divmod(k, 4)
        np.testing.assert_allclose(tiles[r * 3: r * 3 + 2, c * 3: c * 3 + 2].ravel(), expected[k], atol=1e-6)
    # each tile is centred on its grid point
    rect = canvas.overlay_item.mapRectToParent(canvas.overlay_item.boundingRect())
    px = rect.width() / tiles.shape[1]
    assert rect.left() + px * 1.0 == pytest.approx(canvas.box.x0)
    # a chosen range: the grid follows it; a reversed range is refused next to the control
    controls.fit_range.setChecked(False)
    controls.range_from.setValue(0.2)
    controls.range_to.setValue(0.6)
    assert canvas.state.map_box == latent.Box.square(0.2, 0.6)
    controls.range_to.setValue(0.1)
    assert controls.range_message.isVisible() and "smaller number" in controls.range_message.text()
    assert canvas.state.map_box == latent.Box.square(0.2, 0.6)


def test_the_pixel_background_is_one_decoded_pixel(explorer, controller):
    controls, canvas = explorer.map_controls, explorer.canvas
    controls.background.setCurrentIndex(controls.background.findData("pixel2"))
    expected = latent.pixel_map(controller.snapshot, canvas.box, 2, resolution=64)
    np.testing.assert_allclose(canvas.background_item.image, expected, atol=1e-6)
    controls.background.setCurrentIndex(controls.background.findData("distance"))
    np.testing.assert_allclose(canvas.background_item.image, latent.distance_map(controller.snapshot, canvas.box))
    assert f"{canvas.distance_level:.3g}" in controls.background_key.text()


def test_trails_follow_the_stored_epochs(explorer, controller):
    explorer.map_controls.trails.setChecked(True)
    x, y = explorer.canvas.trail_item.getData()
    trails = latent.code_trails([c.snapshot for c in controller.session.checkpoints], controller.snapshot)
    ex, ey = latent.polylines(trails)
    np.testing.assert_allclose(x, ex)
    np.testing.assert_allclose(y, ey)
