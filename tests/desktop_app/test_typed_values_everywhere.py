"""Typed values outside the control bar (issue 16, defects 6 and 10): the pixel editor,
the stop-at-loss box, the sigmoid's x and the case studies' boxes read scientific
notation as meant or refuse with a message and show the last valid value again; huge
and tiny numbers are written m×10ⁿ, never as 309 digits, "nan" or "inf"."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from test_panels_helpers import label, show
from test_panels_helpers import type_into as type_line

from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from desktop_app.panels.sigmoid_panel import SigmoidPanel
from desktop_app.theme import Theme
from desktop_app.widgets.number_box import NumberBox, WholeNumberBox
from engine.core.config import TrainingConfig
from engine.core.typed_numbers import parse_number
from engine.latent import space as latent
from tests.desktop_app.test_number_boxes import type_into
from tests.desktop_app.workbench_helpers import click_editor_pixel, shown_bench


@pytest.fixture
def bench(qtbot):
    yield from shown_bench(qtbot)


@pytest.mark.parametrize(("v", "text"), [(1e308, "1×10³⁰⁸"), (-2.5e-7, "−2.5×10⁻⁷"), (1234567.0, "1.235×10⁶"),
                                         (0.8625, "0.8625"), (0.01699, "0.01699"), (float("nan"), "—"),
                                         (float("inf"), "∞"), (float("-inf"), "−∞"), (0.0, "0")])
def test_results_are_short_however_large_or_small(v, text):
    assert fmt.result(v) == text
    if math.isfinite(v):
        assert fmt.parse_shown(text) == pytest.approx(v, rel=1e-3)  # what is shown reads back


@pytest.mark.parametrize("v", [1e308, -1e308, 1e-300, 5e-324, 123456789.0, float("nan"), float("inf")])
def test_no_formatter_prints_hundreds_of_digits_or_nan_or_inf(v):
    for text in (fmt.value(v), fmt.result(v), fmt.fixed(v), fmt.fixed(v, sign=True), fmt.signed(v),
                 fmt.scientific(v), fmt.boxed(v, 2)):
        assert len(text) <= 12, text
        assert "nan" not in text.lower() and "inf" not in text.lower() and "e+" not in text


def test_a_latent_point_is_written_as_snapped_with_no_minus_zero():
    """(Moved here from tests/engine/test_latent.py with the formatting it checks.)"""
    assert fmt.point(latent.snap([0.12345, -0.0001]), latent.COORD_DECIMALS) == "(0.123, 0.000)"


def test_every_negative_number_on_screen_has_the_typographic_minus():
    for text in (fmt.value(-0.5), fmt.result(-0.5), fmt.fixed(-0.5), fmt.fixed(-0.5, sign=True),
                 fmt.boxed(-0.5), fmt.boxed(-0.5, sign=True), fmt.scientific(-5e7), fmt.signed(-0.5),
                 fmt.point([-0.5, 0.25], 3), fmt.fixed(float("-inf")), fmt.boxed(-2e5)):
        assert "-" not in text and "−" in text, text
    assert fmt.boxed(0.25, sign=True) == "+0.25" and fmt.boxed(-0.001, sign=True) == "+0.00"


def test_a_sigmoid_x_of_1e308_is_written_short_and_can_be_typed_back(qtbot):
    controller = TrainingController(TrainingConfig())
    panel = show(qtbot, SigmoidPanel(controller, Theme()))
    type_line(qtbot, panel.x_edit, "1e308")
    assert panel.x == 1e308
    assert label(panel, "sigmoidReadout").text() == "σ(1×10³⁰⁸) = 1"  # was a 309-digit number
    assert panel.x_edit.text() == "1×10³⁰⁸" and parse_number(panel.x_edit.text()) == 1e308
    type_line(qtbot, panel.x_edit, "-1e-9")
    assert label(panel, "sigmoidReadout").text() == "σ(−1×10⁻⁹) = 0.5"
    controller.shutdown()


@pytest.mark.parametrize(("typed", "says"), [("2", "between 0 and 1"), ("-1e-3", "between 0 and 1"),
                                             ("nan", "ordinary number"), ("1e308", "between 0 and 1"),
                                             ("", "needed"), ("0.5 0.6", "not a number")])
def test_a_refused_pixel_shows_its_valid_value_again(bench, qtbot, typed, says):
    dataset, controller = bench.page.dataset, bench.controller
    click_editor_pixel(qtbot, bench, 0)
    dataset.pixel_editor.selectAll()
    if typed:
        qtbot.keyClicks(dataset.pixel_editor, typed)
    else:
        qtbot.keyClick(dataset.pixel_editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(dataset.pixel_editor, Qt.Key.Key_Return)
    assert says in dataset.message.text() and "keeps 0.60" in dataset.message.text()
    assert dataset.pixel_editor.text() == "0.60"  # not the refused text
    assert controller.session.train_images[0, 0] == pytest.approx(0.6)


def test_a_pixel_in_scientific_notation_is_read_as_meant(bench, qtbot):
    dataset, controller = bench.page.dataset, bench.controller
    click_editor_pixel(qtbot, bench, 0)
    dataset.pixel_editor.selectAll()
    qtbot.keyClicks(dataset.pixel_editor, "2.5e-1")
    qtbot.keyClick(dataset.pixel_editor, Qt.Key.Key_Return)
    assert controller.session.train_images[0, 0] == pytest.approx(0.25)


def test_the_stop_loss_box_reads_1e_3_and_takes_back_what_it_refuses(bench, qtbot):
    edit, controls = bench.controls.stop_loss_edit, bench.controls
    type_line(qtbot, edit, "1e-3")
    assert bench.controller._stop_loss == pytest.approx(0.001) and not controls.message_label.isVisibleTo(bench)
    for bad in ("-1", "nan", "inf", "loss"):
        type_line(qtbot, edit, bad)
        assert edit.text() == "1e-3" and controls.message_label.isVisibleTo(bench)
        assert bench.controller._stop_loss == pytest.approx(0.001)


def test_every_spin_box_in_the_app_is_the_validating_one(qtbot):
    from PySide6.QtWidgets import QAbstractSpinBox

    from desktop_app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    boxes = window.findChildren(QAbstractSpinBox)
    assert len(boxes) >= 14
    assert all(isinstance(b, (NumberBox, WholeNumberBox)) for b in boxes), [
        b.objectName() for b in boxes if not isinstance(b, (NumberBox, WholeNumberBox))]
    window.controller.shutdown()


def test_a_case_study_box_reads_scientific_notation_and_refuses_with_a_message(qtbot):
    from desktop_app.case_studies import GenerationStudy

    study = GenerationStudy(Theme())
    qtbot.addWidget(study)
    study.show()
    type_into(qtbot, study.beta_spin, "5e-1")
    assert study.beta_spin.value() == pytest.approx(0.5)
    type_into(qtbot, study.latent_spin, "1e9")
    assert study.latent_spin.value() != 1e9 and "too large" in study.error_label.text()
    type_into(qtbot, study.grid_spin, "-1")
    assert study.grid_spin.value() == 15 and "too small" in study.error_label.text()
