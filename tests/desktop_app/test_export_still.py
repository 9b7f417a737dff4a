"""Pictures and data of a view: PNG at the chosen size, SVG with the plot's own curves,
CSV rows equal to the engine's numbers, and the menus that offer them."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from desktop_app.export.registry import target_for
from desktop_app.export.still import write_png, write_svg
from desktop_app.export.tables import held_out_psnr_table
from desktop_app.panels import formatting as fmt
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.latent.space import Box
from tests.desktop_app.export_helpers import (
    entries,
    joined,
    open_popup,
    read_csv,
    svg_lines,
    svg_paths,
    svg_texts,
    trained_window,
)


@pytest.fixture
def window(qtbot):
    yield from trained_window(qtbot)


def view(window, name: str) -> QWidget:
    widget = window.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def answer_with(window, path) -> None:
    window.export_menus.ask_path = lambda *_args: str(path)


# ----- PNG ------------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1.0, 2.0, 3.0])
def test_png_decodes_at_the_chosen_scale(window, tmp_path, scale):
    plot = view(window, "lossPlot")
    path = tmp_path / "loss.png"
    answer_with(window, path)
    assert window.export_menus.export_png(target_for(plot), scale) == str(path)
    image = QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (round(plot.width() * scale), round(plot.height() * scale))


def test_png_of_the_window_and_default_suffix(window, tmp_path):
    answer_with(window, tmp_path / "window")  # no suffix typed: .png is added
    assert window.export_menus.export_window(1.0) == str(tmp_path / "window.png")
    image = QImage(str(tmp_path / "window.png"))
    assert (image.width(), image.height()) == (window.width(), window.height())


def test_png_shows_the_view_not_a_blank(window, tmp_path):
    diagram = view(window, "networkDiagram")
    write_png(diagram, str(tmp_path / "d.png"), 1.0)
    image = QImage(str(tmp_path / "d.png"))
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # edges, nodes, text: not one flat colour


def test_a_bad_destination_gets_a_message_and_no_file(window, tmp_path):
    errors: list[str] = []
    window.export_menus.report_error = errors.append
    folder = tmp_path / "taken.png"
    folder.mkdir()  # a folder where the file should go
    answer_with(window, folder)
    assert window.export_menus.export_png(target_for(view(window, "lossPlot"))) is None
    assert errors and "folder" in errors[0]
    answer_with(window, tmp_path / "missing" / "x.png")
    assert window.export_menus.export_png(target_for(view(window, "lossPlot"))) is None
    assert "does not exist" in errors[1]
    assert [p.name for p in tmp_path.iterdir()] == ["taken.png"]


# ----- SVG ------------------------------------------------------------------------------------
def test_svg_of_the_loss_plot_holds_the_loss_curve(window, tmp_path):
    """pyqtgraph's exporter writes the curve as a line through every epoch's point (a
    polyline or path): its x is an affine function of the epoch and its y of the loss."""
    plot = view(window, "lossPlot")
    path = tmp_path / "loss.svg"
    target = target_for(plot)
    write_svg(target.widget, str(path), target.plot)
    losses = window.controller.session.history.column("loss")
    curve = next(line for line in joined(svg_lines(path)) if len(line) == len(losses))
    xs, ys = np.array(curve).T
    epochs = np.arange(1, len(losses) + 1)
    for data, drawn in ((epochs, xs), (losses, ys)):
        slope, offset = np.polyfit(data, drawn, 1)
        assert np.max(np.abs(slope * data + offset - drawn)) < 0.05  # within a twentieth of a unit
    assert np.polyfit(losses, ys, 1)[0] < 0  # a larger loss is drawn higher up (SVG's y points down)


def test_svg_of_the_painted_diagram_has_its_numbers_as_text(window, tmp_path):
    diagram = view(window, "networkDiagram")
    path = tmp_path / "diagram.svg"
    write_svg(diagram, str(path))
    texts = svg_texts(path)
    bias = float(window.controller.snapshot.params["decoder.bias"][0])
    assert "latent code z" in texts
    assert f"b = {fmt.boxed(bias, sign=True)}" in texts
    assert len(svg_paths(path)) >= 16  # the weights are vector lines, not a picture


# ----- CSV: checked against the engine --------------------------------------------------------
def test_csv_loss_history_equals_the_engines_history(window, tmp_path):
    """A VAE, so the three columns differ (an autoencoder's total is its reconstruction)."""
    controller = window.controller
    controller.new_session(controller.config.replace(model="vae"))
    assert controller.step(60) is None
    controller.wait_until_idle(60)
    answer_with(window, tmp_path / "loss.csv")
    target = target_for(view(window, "lossPlot"))
    assert window.export_menus.export_csv(target, "loss history")
    header, rows = read_csv(tmp_path / "loss.csv")
    assert header == ["epoch", "total", "reconstruction", "kl"]
    history = window.controller.session.history
    assert [int(r[0]) for r in rows] == list(range(1, 61))
    for k, name in enumerate(("loss", "reconstruction", "kl"), start=1):
        assert [float(r[k]) for r in rows] == history.column(name).tolist()


def test_csv_latent_codes_equal_a_fresh_encoding(window, tmp_path):
    canvas = view(window, "latentCanvas")
    window.workbench.show_panel("latent")
    target = target_for(canvas)
    target.tables["latent codes"]().write(str(tmp_path / "codes.csv"))
    header, rows = read_csv(tmp_path / "codes.csv")
    snapshot = window.controller.snapshot
    assert header == ["epoch", "image", "x1", "x2", "x3", "x4", "z1", "z2"]
    codes = np.array([[float(v) for v in r[6:8]] for r in rows])
    images = np.array([[float(v) for v in r[2:6]] for r in rows])
    np.testing.assert_array_equal(images, snapshot.images.astype(np.float64))
    np.testing.assert_allclose(codes, snapshot.encode(snapshot.images), atol=1e-6)  # the engine again, from scratch


def test_csv_decoded_grid_equals_decoding_the_grid_points(window, tmp_path):
    canvas = view(window, "latentCanvas")
    canvas.state.grid_size = 5
    target = target_for(canvas)
    target.tables["decoded grid"]().write(str(tmp_path / "grid.csv"))
    header, rows = read_csv(tmp_path / "grid.csv")
    assert header == ["z1", "z2", "p1", "p2", "p3", "p4"]
    box: Box = canvas.current_map_box()
    xs, ys = np.linspace(box.x0, box.x1, 5), np.linspace(box.y1, box.y0, 5)
    points = np.array([(x, y) for y in ys for x in xs])
    table = np.array([[float(v) for v in r] for r in rows])
    np.testing.assert_allclose(table[:, :2], points)
    np.testing.assert_allclose(table[:, 2:], window.controller.snapshot.decode(points), atol=1e-7)


def test_csv_weights_hold_every_parameter(window, tmp_path):
    target = target_for(view(window, "networkDiagram"))
    target.tables["weights and biases"]().write(str(tmp_path / "w.csv"))
    _header, rows = read_csv(tmp_path / "w.csv")
    params = window.controller.snapshot.params
    assert len(rows) == sum(v.size for v in params.values())
    weight = params["encoder.weight"]
    row = next(r for r in rows if r[:3] == ["encoder.weight", "2", "3"])
    assert float(row[3]) == float(weight[1, 2])


def test_csv_held_out_psnr_per_digit_equals_a_hand_computation(tmp_path):
    session = TrainingSession(TrainingConfig(dataset="mnist", model="dae", latent_dim=8, batch_size=500))
    snapshot = session.step()
    pca_like = np.clip(snapshot.inputs * 0.5 + 0.25, 0, 1)  # any other denoiser's output
    held_out_psnr_table(snapshot, pca_like).write(str(tmp_path / "psnr.csv"))
    header, rows = read_csv(tmp_path / "psnr.csv")
    assert header == ["epoch", "digit", "label", "noisy_input_db", "autoencoder_db", "pca_db"]
    assert len(rows) == len(snapshot.images)

    def by_hand(clean, out):
        return 10 * np.log10(1.0 / np.mean((clean.astype(np.float64) - out.astype(np.float64)) ** 2, axis=1))

    for column, out in ((3, snapshot.inputs), (4, snapshot.reconstructions), (5, pca_like)):
        np.testing.assert_allclose([float(r[column]) for r in rows], by_hand(snapshot.images, out), rtol=1e-9)
    assert [int(r[2]) for r in rows] == snapshot.labels.tolist()


# ----- the menus ---------------------------------------------------------------------------
def test_right_click_on_the_loss_plot_opens_the_export_menu(window, qtbot):
    canvas = view(window, "lossPlotCanvas")
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.RightButton, pos=canvas.viewport().rect().center())
    menu = open_popup()
    assert menu is not None
    texts = entries(menu)
    menu.close()
    assert "PNG, 2x for slides…" in texts
    assert "SVG (vectors)…" in texts
    assert "CSV: loss history…" in texts
    assert "More formats (pyqtgraph)…" in texts  # pyqtgraph's own export dialog stays reachable


def test_right_drag_on_the_latent_space_zooms_instead(window, qtbot):
    window.workbench.show_panel("latent")
    canvas = view(window, "latentCanvas")
    port = canvas.viewport()
    qtbot.mouseClick(port, Qt.MouseButton.RightButton, pos=port.rect().center())
    menu = open_popup()
    assert menu is not None and "CSV: latent codes…" in entries(menu) and "CSV: decoded grid…" in entries(menu)
    menu.close()
    before = canvas.getPlotItem().vb.viewRange()
    centre = port.rect().center()
    qtbot.mousePress(port, Qt.MouseButton.RightButton, pos=centre)
    for step in range(1, 6):
        qtbot.mouseMove(port, centre + QPoint(0, -12 * step))
    qtbot.mouseRelease(port, Qt.MouseButton.RightButton, pos=centre + QPoint(0, -60))
    assert open_popup() is None
    assert canvas.getPlotItem().vb.viewRange() != before


@pytest.mark.parametrize("name, csv_entry", [("networkDiagram", "CSV: weights and biases…"),
                                             ("datasetView", "CSV: training images…"),
                                             ("reconstructionView", "CSV: reconstructions…"),
                                             ("msePanel", None)])
def test_context_menu_on_painted_views_and_panels(window, name, csv_entry):
    widget = view(window, name)
    if name == "msePanel":
        window.workbench.show_panel("msePanel")
    QApplication.processEvents()
    labels = [label for label in widget.findChildren(QLabel) if label.isVisible()]
    # on a panel, a label (its controls keep their own menus); on a view, its middle
    point = labels[0].mapTo(widget, labels[0].rect().center()) if name == "msePanel" else widget.rect().center()
    child = widget.childAt(point) or widget  # the platform sends it to the widget under the mouse
    local = child.mapFrom(widget, point)
    QApplication.sendEvent(child, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, local, child.mapToGlobal(local)))
    menu = open_popup()
    assert menu is not None
    texts = entries(menu)
    menu.close()
    assert "PNG, 2x for slides…" in texts and "SVG (vectors)…" in texts
    if csv_entry:
        assert csv_entry in texts


def test_file_menu_lists_the_views_of_the_shown_tab(window):
    from PySide6.QtWidgets import QMenu

    menu = window.findChild(QMenu, "exportViewMenu")
    window.export_menus.fill_file_menu(menu)
    titles = [a.text() for a in menu.actions()]
    assert {"Network diagram", "Loss curve", "Latent space", "Reconstruction", "Training images"} <= set(titles)
    file_texts = [a.text() for a in menu.parentWidget().actions()] if menu.parentWidget() else []
    assert "Export &window as PNG…" in file_texts and "Export &animation…" in file_texts


def test_a_plot_with_pyqtgraphs_own_menu_gets_our_entries_in_it(qtbot):
    """Where pyqtgraph's right-click menu is on, it stays, with "Export this view" added."""
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.case_studies.curves import CurvePlot
    from desktop_app.export.menus import ExportMenus
    from desktop_app.theme import Theme

    host = QMainWindow()
    qtbot.addWidget(host)
    curves = CurvePlot(Theme(), "Held-out PSNR", "dB")
    curves.add_curve("network", "network", Theme().accent)
    curves.set_curve("network", np.arange(1, 6), np.linspace(10, 14, 5))
    curves.plot.setMenuEnabled(True)
    host.setCentralWidget(curves)
    host.resize(500, 400)
    host.show()
    qtbot.waitExposed(host)
    ExportMenus(host).install()
    port = curves.plot.viewport()
    qtbot.mouseClick(port, Qt.MouseButton.RightButton, pos=port.rect().center())
    menu = open_popup()
    assert menu is not None
    texts = entries(menu)
    assert "Export this view" in texts  # ours
    assert "View All" in texts  # pyqtgraph's own
    ours = next(a for a in menu.actions() if a.text() == "Export this view").menu()
    ours.aboutToShow.emit()
    assert "CSV: curves…" in entries(ours)
    menu.close()


def test_csv_latent_codes_of_a_vae_carry_each_spread(tmp_path):
    from desktop_app.export.tables import latent_codes_table

    session = TrainingSession(TrainingConfig(model="vae", seed=1))
    snapshot = session.step()
    latent_codes_table(snapshot).write(str(tmp_path / "codes.csv"))
    header, rows = read_csv(tmp_path / "codes.csv")
    assert header[-4:] == ["z1", "z2", "sigma1", "sigma2"]
    table = np.array([[float(v) for v in r[-4:]] for r in rows])
    np.testing.assert_allclose(table[:, :2], snapshot.encode(snapshot.images), atol=1e-6)  # the means
    np.testing.assert_allclose(table[:, 2:], np.exp(0.5 * snapshot.log_vars.astype(np.float64)), rtol=1e-6)
