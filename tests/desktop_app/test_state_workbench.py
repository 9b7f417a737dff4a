"""The workbench set from one ``WorkbenchState`` reads back as the same state, and the
state's session-file form reads back as the same state (old files keep opening)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop_app.main_window import MainWindow
from desktop_app.state.latent_map import LatentMapState
from desktop_app.state.workbench import PanelState, WorkbenchState
from desktop_app.workbench_state import apply_workbench, read_workbench
from engine.latent import space as latent


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    controller = window.controller
    assert controller.step(20) is None
    qtbot.waitUntil(lambda: not controller.running and controller.session.epoch >= 20, timeout=60_000)
    controller.wait_until_idle(30)
    yield window
    window.close()


def test_the_workbench_set_from_a_state_reads_back_equal(window):
    saved = read_workbench(window.workbench).to_json()
    saved["selected"] = 3
    saved["section"] = "path"
    saved["controls"].update(speed=2, overlay=True, grid_size=5, background=1, trails=True, path_kind=1,
                             path_steps=7, prior_count=12, prior_seed=4, run_epochs=250, stop_epoch=900)
    saved["latent"] = {"probe": {"point": [0.25, 0.5]}, "path_ends": [["image", 1], ["point", [0.9, 0.1]]],
                       "samples": latent.prior_samples(5, 2, 4).tolist(), "map_box": None}
    saved["panels"]["sigmoidPanel"]["x"] = -1.5
    saved["panels"]["msePanel"]["source"] = "live"
    wanted = WorkbenchState.from_json(saved)
    assert wanted.latent.overlay_on and wanted.latent.background == "pattern"  # the controls' rows, as fields

    apply_workbench(window.workbench, wanted)
    got = read_workbench(window.workbench)
    assert got == wanted
    assert window.workbench.controls.speed_combo.currentIndex() == 2  # and on screen
    assert window.workbench.latent.section_buttons["path"].isChecked()
    assert window.controller.selected_index == 3
    np.testing.assert_allclose(window.workbench.latent.canvas.probe, [0.25, 0.5])


def test_a_click_on_a_panel_control_lands_in_the_read_state(window, qtbot):
    latent_dock = window.workbench.latent
    latent_dock.show_section("map")
    assert read_workbench(window.workbench).latent.trails_on is False
    qtbot.mouseClick(latent_dock.map_controls.trails, Qt.MouseButton.LeftButton)
    state = read_workbench(window.workbench)
    assert state.latent.trails_on is True and state.controls["trails"] is True
    assert latent_dock.canvas.state.trails_on is True


def test_the_file_form_round_trips_without_a_window():
    state = WorkbenchState(selected=2, controls={"overlay": True, "grid_size": 6, "background": 2},
                           latent=LatentMapState(overlay_on=True, grid_size=6, background="distance",
                                                 probe=("image", 1)),
                           section="prior", compare=True, compare_beta=0.25,
                           compare_latent=LatentMapState(overlay_on=True, grid_size=6, background="distance"),
                           panels={"sigmoidPanel": PanelState(x=0.5, unit=1),
                                   "klPanel": PanelState(source="own", own=((0.5, 0.5), (0.25, 0.75)))})
    assert WorkbenchState.from_json(state.to_json()) == state
