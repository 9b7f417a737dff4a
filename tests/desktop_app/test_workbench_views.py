"""What the workbench's views show: the diagram, the dataset editor, the reconstruction
view, the loss plot and the timeline, each checked against the engine's own numbers."""

import weakref

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from shiboken6 import isValid

from desktop_app.theme import Theme
from desktop_app.theme import text_on as readable_text_on
from desktop_app.views.diagram_items import MAX_EDGE_WIDTH, edge_width
from desktop_app.views.pixel_grid import cell_at, grid_side, paint_pixel_grid
from engine.core.config import TrainingConfig
from engine.lecture import loss_breakdowns
from tests.desktop_app.workbench_helpers import (
    click_editor_pixel,
    colour_value,
    shown_bench,
    wait_for_epoch,
    wait_idle,
)


@pytest.fixture
def bench(qtbot):
    yield from shown_bench(qtbot)


# ----- the network diagram ------------------------------------------------------------------
def test_diagram_shows_the_weights_of_the_snapshot(bench):
    controller, diagram = bench.controller, bench.page.diagram
    controller.step(20)
    controller.wait_until_idle()
    params = controller.snapshot.params
    for j in range(2):
        for i in range(4):
            edge = diagram.encoder_edges[j][i]
            w = float(params["encoder.weight"][j, i])
            assert edge.weight == pytest.approx(w)
            assert edge.pen().widthF() == pytest.approx(edge_width(w), abs=0.01)
            expected = Theme.positive if w >= 0 else Theme.negative
            assert edge.pen().color().rgb() == expected.rgb()
            assert f"{w:+.4f}".replace("-", "−") in edge.tip()
            assert diagram.decoder_edges[i][j].weight == pytest.approx(float(params["decoder.weight"][i, j]))


def test_edge_thickness_grows_with_the_weight_and_is_capped():
    assert edge_width(0.0) < edge_width(0.5) < edge_width(2.0) < edge_width(-5.0) <= MAX_EDGE_WIDTH
    assert edge_width(-1.0) == edge_width(1.0)
    assert edge_width(1e6) == MAX_EDGE_WIDTH


def test_diagram_shows_activations_of_the_selected_image(bench):
    controller, diagram = bench.controller, bench.page.diagram
    controller.select_image(3)
    s = controller.snapshot
    for i, node in enumerate(diagram.input_nodes):
        assert node.value_text() == f"{s.inputs[3][i]:.2f}"
    for j, unit in enumerate(diagram.latent_units):
        assert unit.value_text() == f"{s.codes[3][j]:.2f}".replace("-", "−")
    for i, node in enumerate(diagram.output_nodes):
        assert node.value_text() == f"{s.reconstructions[3][i]:.2f}"
    assert diagram._output_bias[0].text() == f"b = {float(s.params['decoder.bias'][0]):+.2f}".replace("-", "−")
    assert diagram._latent_bias[1].text() == f"b = {float(s.params['encoder.bias'][1]):+.2f}".replace("-", "−")


def test_diagram_updates_its_items_instead_of_rebuilding(bench):
    controller, diagram = bench.controller, bench.page.diagram
    edges_before = [e for row in diagram.encoder_edges for e in row]
    items_before = len(diagram.scene().items())
    controller.step(30)
    controller.wait_until_idle()
    assert diagram.build_count == 1
    assert [e for row in diagram.encoder_edges for e in row] == edges_before
    assert len(diagram.scene().items()) == items_before


def test_a_cleared_diagram_leaves_no_live_looking_python_handle_behind(bench):
    """A rebuild (another kind of model) clears the scene; the legend the diagram keeps
    must then read as deleted to PySide. A live-looking handle on freed memory is handed
    out for whatever Qt puts at that address next (a QGraphicsItemGroup "found" among a
    new plot's widgets, then a segmentation fault in the GUI test suite)."""
    diagram = bench.page.diagram
    legend = weakref.ref(diagram.legend)  # no second reference: PySide's clear() checks the count
    assert legend().scene() is diagram.scene() and legend().childItems()
    diagram.scene().clear()
    assert not isValid(legend())


def test_vae_latent_units_show_mean_spread_and_sample(bench):
    controller, diagram = bench.controller, bench.page.diagram
    controller.new_session(TrainingConfig(model="vae"))
    controller.step(5)
    controller.wait_until_idle()
    s = controller.snapshot
    assert diagram.variational and diagram.build_count == 2
    for j, unit in enumerate(diagram.latent_units):
        assert unit.mu == pytest.approx(float(s.codes[0][j]))
        assert unit.sigma == pytest.approx(float(s.spreads[0][j]))
        assert unit.sample == pytest.approx(float(s.samples[0][j]))
        assert unit.value_text() == f"z = {s.samples[0][j]:.2f}".replace("-", "−")
        assert len(diagram.log_var_edges[j]) == 4
        assert diagram.log_var_edges[j][2].weight == pytest.approx(float(s.params["encoder_log_var.weight"][j, 2]))


def test_denoiser_diagram_is_fed_the_noisy_input(bench):
    controller, diagram = bench.controller, bench.page.diagram
    controller.new_session(TrainingConfig(model="dae", noise_level=0.3))
    s = controller.snapshot
    assert not np.allclose(s.inputs[0], s.images[0])
    assert [n.value for n in diagram.input_nodes] == pytest.approx(s.inputs[0].tolist())
    assert "noise" in diagram._input_caption.text()


def test_editing_a_pixel_changes_the_diagrams_input(bench, qtbot):
    dataset, diagram, controller = bench.page.dataset, bench.page.diagram, bench.controller
    bench.show()
    qtbot.waitExposed(bench)
    assert diagram.input_nodes[1].value_text() == "0.40"
    dark = colour_value(diagram.input_nodes[1].fill_colour())
    click_editor_pixel(qtbot, bench, 1)
    assert dataset.pixel_editor.isVisible()
    dataset.pixel_editor.selectAll()
    qtbot.keyClicks(dataset.pixel_editor, "0,9")  # a comma works as the decimal mark
    qtbot.keyClick(dataset.pixel_editor, Qt.Key.Key_Return)
    assert not dataset.pixel_editor.isVisible()
    assert controller.session.train_images[0, 1] == pytest.approx(0.9)
    assert diagram.input_nodes[1].value_text() == "0.90"
    shade = colour_value(diagram.input_nodes[1].fill_colour())
    assert shade == pytest.approx(0.9, abs=0.01) and shade > dark
    assert bench.page.reconstruction.original.values()[1] == pytest.approx(0.9)
    assert dataset.tiles.images[0, 1] == pytest.approx(0.9)


@pytest.mark.parametrize("typed, says", [("1.5", "between 0 and 1"), ("abc", "not a number"), ("", "needed")])
def test_a_bad_pixel_value_is_explained_next_to_it(bench, qtbot, typed, says):
    dataset, controller = bench.page.dataset, bench.controller
    bench.show()
    qtbot.waitExposed(bench)
    click_editor_pixel(qtbot, bench, 0)
    dataset.pixel_editor.setText(typed)
    qtbot.keyClick(dataset.pixel_editor, Qt.Key.Key_Return)
    assert says in dataset.message.text()
    assert dataset.pixel_editor.isVisible()  # still open, to be corrected
    assert controller.session.train_images[0, 0] == pytest.approx(0.6)
    qtbot.keyClick(dataset.pixel_editor, Qt.Key.Key_Escape)
    assert not dataset.pixel_editor.isVisible() and dataset.message.text() == ""


def test_editing_while_training_is_safe_and_shows_up(bench, qtbot):
    controller, dataset = bench.controller, bench.page.dataset
    bench.controls.set_speed(None)
    controller.play()
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= 3, timeout=10_000)
    dataset.begin_edit(3)
    dataset.pixel_editor.setText("0.05")
    assert dataset.commit_edit()
    qtbot.waitUntil(lambda: controller.snapshot.images[0, 3] == pytest.approx(0.05), timeout=10_000)
    controller.pause()
    wait_idle(qtbot, controller)
    assert bench.page.diagram.input_nodes[3].value_text() == "0.05"


def test_selecting_a_tile_follows_that_image_everywhere(bench, qtbot):
    bench.show()
    qtbot.waitExposed(bench)
    tiles = bench.page.dataset.tiles
    centre = tiles.tile_rect(5).center()
    qtbot.mouseClick(tiles, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y())))
    s = bench.controller.snapshot
    assert bench.controller.selected_index == 5
    assert [n.value for n in bench.page.diagram.input_nodes] == pytest.approx(s.inputs[5].tolist())
    assert bench.page.reconstruction.title.text() == "Reconstruction of image 6"
    assert bench.page.reconstruction.strip.selected == 5 and tiles.selected == 5


def test_add_and_delete_images(bench):
    dataset, controller = bench.page.dataset, bench.controller
    dataset.add_button.click()
    assert len(controller.session.train_images) == 25 and controller.selected_index == 24
    assert dataset.title.text() == "Training images (25)"
    assert list(dataset.editor.values()) == [0.5] * 4
    dataset.delete_button.click()
    assert len(controller.session.train_images) == 24 and controller.selected_index == 23
    controller.set_images([[0.1, 0.2, 0.3, 0.4]])
    dataset.render(controller.snapshot)
    assert not dataset.delete_button.isEnabled()


def test_presets_ask_before_discarding_training(bench):
    dataset, controller = bench.page.dataset, bench.controller
    controller.step(2)
    controller.wait_until_idle()
    bench.answer = False
    assert not dataset.load_preset("random")
    assert controller.session.epoch == 2 and controller.config.dataset == "diagonals"
    bench.answer = True
    dataset.preset_buttons["random"].click()
    assert controller.config.dataset == "random" and controller.session.epoch == 0
    images = controller.session.train_images
    assert not np.allclose(images[:, 0], images[:, 3])  # no diagonal structure
    dataset.preset_buttons["diagonals"].click()  # epoch 0: no question
    assert len(bench.answers) == 2
    assert np.allclose(controller.session.train_images[:, 0], controller.session.train_images[:, 3])


# ----- reconstruction view ----------------------------------------------------------------------
def test_reconstruction_view_shows_the_engines_per_pixel_loss(bench):
    controller, view = bench.controller, bench.page.reconstruction
    controller.step(10)
    controller.wait_until_idle()
    controller.select_image(2)
    s = controller.snapshot
    expected = loss_breakdowns.mse(s.images[2], s.reconstructions[2])
    assert view.error.values() == pytest.approx(expected.terms)
    assert expected.total == pytest.approx(float(s.image_losses[2]), rel=1e-4)
    assert f"{expected.total:.4f}" in view.total.text()
    assert view.reconstruction.values() == pytest.approx(s.reconstructions[2].astype(float))
    assert not view.noisy.isVisibleTo(view)
    controller.change(loss="logloss")
    assert "log-loss" in view.total.text()


def test_reconstruction_view_shows_the_noisy_input_for_a_denoiser(bench):
    controller, view = bench.controller, bench.page.reconstruction
    controller.new_session(TrainingConfig(model="dae", noise_level=0.3))
    assert view.noisy.isVisibleTo(view)
    assert view.noisy.values() == pytest.approx(controller.snapshot.inputs[0].astype(float))


def test_clicking_the_strip_follows_an_image(bench, qtbot):
    bench.show()
    qtbot.waitExposed(bench)
    strip = bench.page.reconstruction.strip
    top, _bottom = strip.column_rects(4)
    qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=top.center().toPoint())
    assert bench.controller.selected_index == 4


# ----- loss plot ------------------------------------------------------------------------------
def test_loss_curves_equal_the_engines_history(bench):
    controller, plot = bench.controller, bench.page.loss_plot
    controller.step(40)
    controller.wait_until_idle()
    history = controller.session.history
    x, y = plot.curve_data("loss")
    assert np.array_equal(x, history.epochs) and np.array_equal(y, history.column("loss"))
    assert not plot.curves["kl"].isVisible()
    controller.new_session(TrainingConfig(model="vae"))
    controller.step(15)
    controller.wait_until_idle()
    history = controller.session.history
    for name in ("loss", "reconstruction", "kl"):
        x, y = plot.curve_data(name)
        assert np.array_equal(y, history.column(name)) and plot.curves[name].isVisible()


def test_a_narrow_loss_plot_leaves_its_legend_to_the_coloured_readout(bench, qtbot):
    controller, plot = bench.controller, bench.page.loss_plot
    controller.new_session(TrainingConfig(model="vae"))
    controller.step(5)
    controller.wait_until_idle()
    s = controller.snapshot
    text = plot.readout.text()
    for term in (f"total {s.loss:.4g}", f"reconstruction {s.reconstruction_loss:.4g}", f"KL {s.kl:.4g}"):
        assert term in text
    assert bench.theme_colour("kl") in text  # each term in its curve's colour
    bench.page.splitters["bottom"].setSizes([2000, 150])  # squeeze the plot
    qtbot.waitUntil(lambda: not plot.legend.isVisible())
    bench.page.splitters["bottom"].setSizes([200, 2000])
    qtbot.waitUntil(lambda: plot.legend.isVisible())


def test_loss_plot_marker_follows_the_shown_epoch_and_log_scale_toggles(bench):
    controller, plot = bench.controller, bench.page.loss_plot
    controller.step(12)
    controller.wait_until_idle()
    assert plot.marker_line.value() == 12
    controller.show_epoch(4)
    assert plot.marker_line.value() == 4
    assert len(plot.curve_data("loss")[0]) == 12  # the curve keeps the whole run
    plot.log_toggle.setChecked(True)
    assert plot.plot.getPlotItem().ctrl.logYCheck.isChecked()
    plot.set_log_scale(False)
    assert not plot.log_toggle.isChecked()


def test_loss_plot_thins_very_long_histories(bench, monkeypatch):
    from desktop_app.views import loss_plot

    monkeypatch.setattr(loss_plot, "MAX_PLOTTED_EPOCHS", 10)
    bench.controller.step(50)
    bench.controller.wait_until_idle()
    x, _y = bench.page.loss_plot.curve_data("loss")
    assert len(x) <= 10 and x[-1] == 50


# ----- timeline -------------------------------------------------------------------------------
def test_timeline_shows_a_past_epoch_and_continues_from_it(bench, qtbot):
    controller, timeline = bench.controller, bench.page.timeline
    controller.step(20)
    controller.wait_until_idle()
    slider = timeline.timeline_slider
    assert slider.maximum() == 20 and slider.value() == 20 and slider.isEnabled()
    assert not timeline.continue_button.isEnabled()
    slider.setValue(8)
    s = controller.snapshot
    assert s.epoch == 8 and bench.controls.epoch_label.text() == "Epoch 8 of 20"
    assert bench.page.diagram.encoder_edges[0][0].weight == pytest.approx(float(s.params["encoder.weight"][0, 0]))
    assert timeline.continue_button.isEnabled()
    qtbot.mouseClick(timeline.continue_button, Qt.MouseButton.LeftButton)
    assert "12 epochs" in bench.answers[-1]
    assert controller.session.epoch == 8 and len(controller.session.history) == 8
    assert len(bench.page.loss_plot.curve_data("loss")[0]) == 8
    controller.step(1)
    wait_for_epoch(qtbot, controller, 9)
    assert slider.maximum() == 9


def test_timeline_is_locked_while_training(bench, qtbot):
    controller = bench.controller
    controller.step(2)
    controller.wait_until_idle()
    bench.controls.set_speed(10.0)
    controller.play()
    qtbot.waitUntil(lambda: not bench.page.timeline.timeline_slider.isEnabled(), timeout=2_000)
    controller.pause()
    wait_idle(qtbot, controller)
    assert bench.page.timeline.timeline_slider.isEnabled()


# ----- the shared pixel-grid painter --------------------------------------------------------------
def test_pixel_grid_draws_any_square_image_with_its_shades():
    theme = Theme()
    image = QImage(90, 90, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    painter = QPainter(image)
    values = np.linspace(0, 1, 9)
    paint_pixel_grid(painter, QRectF(0, 0, 90, 90), values, theme, numbers=False)
    painter.end()
    assert QColor(image.pixel(15, 15)).red() == 0  # value 0 is black
    assert QColor(image.pixel(75, 75)).green() == 255  # value 1 is white
    assert grid_side(values) == 3 and cell_at(QRectF(0, 0, 90, 90), 3, QRectF(40, 70, 1, 1).center()) == 7
    assert readable_text_on(QColor("white")).name() == "#000000"
    with pytest.raises(ValueError):
        grid_side([0.1, 0.2, 0.3])


def test_hovering_an_edge_shows_its_weight(bench, qtbot):
    controller, diagram = bench.controller, bench.page.diagram
    controller.step(10)
    controller.wait_until_idle()
    bench.show()
    qtbot.waitExposed(bench)
    bench.activateWindow()
    qtbot.waitUntil(bench.isActiveWindow, timeout=3_000)
    edge = diagram.encoder_edges[1][0]  # from the top-left pixel to z2, near the pixel
    for button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):  # QTest remembers presses that
        qtbot.mouseRelease(diagram.viewport(), button, pos=QPoint(2, 2))  # earlier tests never released

    def hover_near_the_pixel() -> bool:
        # Mapped again at every try: a window larger than the test screen is fitted to it
        # after showing, and the diagram then scales its scene again.
        near_pixel = diagram.mapFromScene(edge.path().pointAtPercent(0.15))
        qtbot.mouseMove(diagram.viewport(), near_pixel + QPoint(0, 60))  # arrive from elsewhere
        qtbot.mouseMove(diagram.viewport(), near_pixel)
        qtbot.wait(50)
        return edge._label.isVisible()

    qtbot.waitUntil(hover_near_the_pixel, timeout=4_000)
    assert edge._label_text.text() == f"w = {edge.weight:+.3f}".replace("-", "−")
    assert f"{edge.weight:+.4f}".replace("-", "−") in edge.toolTip()


def test_an_image_added_while_training_is_followed_once_it_arrives(bench, qtbot):
    controller, dataset = bench.controller, bench.page.dataset
    bench.controls.set_speed(30.0)
    controller.play()
    qtbot.waitUntil(lambda: controller.snapshot.epoch >= 1, timeout=10_000)
    dataset.add_button.click()
    qtbot.waitUntil(lambda: controller.selected_index == 24, timeout=10_000)
    controller.pause()
    wait_idle(qtbot, controller)
    assert list(bench.page.diagram.input_nodes[i].value for i in range(4)) == pytest.approx([0.5] * 4)


def test_hidden_views_skip_work_and_catch_up_when_shown(bench):
    controller, diagram, plot = bench.controller, bench.page.diagram, bench.page.loss_plot
    bench.page.show_view("networkDiagram", False)
    bench.page.show_view("lossPlot", False)
    controller.step(5)
    controller.wait_until_idle()
    assert diagram._stale and plot._stale
    assert len(plot.curve_data("loss")[0]) == 0  # nothing drawn while hidden
    bench.page.show_view("networkDiagram")
    bench.page.show_view("lossPlot")
    weight = float(controller.snapshot.params["encoder.weight"][0, 0])
    assert diagram.encoder_edges[0][0].weight == pytest.approx(weight)
    assert len(plot.curve_data("loss")[0]) == 5
