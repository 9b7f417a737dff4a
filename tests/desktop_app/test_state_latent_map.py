"""The latent map's widgets and its state are one truth: a click on a control lands in
the state, a change of the state shows on the canvas and in the controls, and the
canvas draws what the state says (checked against the engine's own decoding)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from test_latent_explorer import make_explorer

from desktop_app.controller import TrainingController
from desktop_app.state.latent_map import LatentMapState
from desktop_app.theme import Theme
from desktop_app.views.latent_explorer import LatentExplorer
from engine.core.config import TrainingConfig
from engine.latent import space as latent


@pytest.fixture
def explorer(qapp, qtbot):
    controller, w = make_explorer(qtbot, TrainingConfig(seed=2), 30)
    w.show_section("map")
    yield controller, w
    controller.shutdown()


def test_a_click_on_a_layer_control_lands_in_the_state(explorer, qtbot):
    _controller, w = explorer
    state, seen = w.canvas.state, []
    state.events.overlay_on.connect(seen.append)
    qtbot.mouseClick(w.map_controls.overlay, Qt.MouseButton.LeftButton)
    assert state.overlay_on is True and seen == [True]  # one signal for one change
    assert w.canvas.overlay_item.isVisible()
    w.map_controls.background.setCurrentIndex(2)  # the row a user picks
    assert state.background == "distance"


def test_a_state_change_shows_in_the_controls_and_on_the_canvas(explorer):
    controller, w = explorer
    state = w.canvas.state
    state.update(overlay_on=True, grid_size=4, map_box=latent.Box.square(-0.5, 1.5), trails_on=True)
    maps = w.map_controls
    assert maps.overlay.isChecked() and maps.grid_size.value() == 4 and maps.trails.isChecked()
    assert not maps.fit_range.isChecked() and (maps.range_from.value(), maps.range_to.value()) == (-0.5, 1.5)
    image = w.canvas.overlay_item.image
    side = latent.image_side(4)
    assert image.shape[0] == 4 * side + 3 * 1  # four tiles and three one-pixel gaps
    # the path's two ends from the state: the strip shows what the engine decodes along the path
    state.path_ends = (("image", 0), ("point", (0.9, 0.1)))
    codes = np.asarray(controller.snapshot.codes, dtype=np.float64)
    path = latent.interpolation_path(codes[0], np.array([0.9, 0.1]), state.path_steps, state.path_kind,
                                     latent.interpolation_centre(controller.snapshot))
    np.testing.assert_allclose(w.path_panel._points, path)
    assert "A: image 1" in w.path_panel.ends_label.text()


def test_a_click_on_the_plane_sets_the_probe_in_the_state(explorer, qtbot):
    controller, w = explorer
    seen = []
    w.canvas.state.events.probe.connect(seen.append)
    qtbot.mouseClick(w.canvas.viewport(), Qt.MouseButton.LeftButton, pos=w.canvas.viewport_pos((0.25, 0.75)))
    kind, z = w.canvas.state.probe
    assert kind == "point" and len(seen) == 1
    np.testing.assert_allclose(z, (0.25, 0.75), atol=0.01)  # within a pixel of the click
    np.testing.assert_allclose(w.readout.image.values(), controller.snapshot.decode(np.array(z)), atol=1e-6)


def test_a_map_set_from_a_state_reads_back_equal(explorer):
    _controller, w = explorer
    wanted = LatentMapState(overlay_on=True, grid_size=5, background="pattern", trails_on=True, spreads_on=False,
                            data_grid_on=True, samples=latent.prior_samples(6, 2, 1), path_kind="spherical",
                            path_steps=7, probe=("image", 2), path_ends=(("image", 1), ("point", (0.2, 0.3))),
                            map_box=latent.Box.square(-1.0, 2.0))
    w.canvas.state.apply(wanted)
    assert w.canvas.state == wanted
    maps, path = w.map_controls, w.path_panel
    assert maps.background.currentData() == "pattern" and path.kind.currentIndex() == 1
    assert path.steps.value() == 7 and w.canvas.probe_image == 2


def test_an_explorer_built_on_a_state_shows_it_from_the_start(qapp, qtbot):
    state = LatentMapState(overlay_on=True, grid_size=6, background="distance", path_kind="spherical")
    controller = TrainingController(TrainingConfig(seed=2))
    w = LatentExplorer(controller, Theme(), state=state)
    qtbot.addWidget(w)
    assert w.canvas.state is state
    maps = w.map_controls
    assert maps.overlay.isChecked() and maps.grid_size.value() == 6 and maps.background.currentData() == "distance"
    assert w.path_panel.kind.currentIndex() == 1
    assert w.canvas.overlay_item.isVisible()
    controller.shutdown()
