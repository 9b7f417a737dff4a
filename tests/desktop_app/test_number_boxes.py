"""Typed numbers (issue 16, defect 6): every box reads what the learner typed as they
meant it (scientific notation included) or refuses it with a sentence next to the
controls, and a refused value never stays on screen while training uses another."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.widgets.number_box import NumberBox, WholeNumberBox
from tests.desktop_app.workbench_helpers import choose, shown_bench


@pytest.fixture
def bench(qtbot):
    yield from shown_bench(qtbot)


def type_into(qtbot, box, text: str) -> None:
    """Select what the box shows and type over it, then press Enter, as a learner does."""
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Backspace)
    if text:
        qtbot.keyClicks(box.lineEdit(), text)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def message(bench) -> str:
    return bench.controls.message_label.text() if bench.controls.message_label.isVisibleTo(bench) else ""


ACCEPTED_RATES = [("1e-3", 0.001, "0.001"), ("2E-4", 0.0002, "0.0002"), ("0,5", 0.5, "0.5"), ("1e-05", 1e-5, "1e-5"),
                  (" 0.25 ", 0.25, "0.25"), ("−0.5e-1", None, None)]
REFUSED_RATES = [("0", "greater than 0"), ("100", "above 10"), ("-1", "greater than 0"), ("nan", "ordinary number"),
                 ("inf", "ordinary number"), ("-inf", "ordinary number"), ("1e308", "above 10"),
                 ("1e9", "above 10"), ("", "needed here"), ("abc", "not a number"),
                 ("0.01; rm -rf ~ pasted", "not a number"), ("1e", "not a number"), ("--1", "not a number")]


@pytest.mark.parametrize(("text", "rate", "shown"), ACCEPTED_RATES[:-1])
def test_learning_rates_in_scientific_notation_are_read_as_meant(bench, qtbot, text, rate, shown):
    box = bench.controls.learning_rate_spin
    type_into(qtbot, box, text)
    assert bench.controller.config.learning_rate == pytest.approx(rate)
    assert box.value() == pytest.approx(rate) and box.text() == shown
    assert message(bench) == ""


@pytest.mark.parametrize(("text", "words"), REFUSED_RATES)
def test_a_refused_learning_rate_never_stays_on_screen(bench, qtbot, text, words):
    box = bench.controls.learning_rate_spin
    type_into(qtbot, box, "0.002")  # the last valid value
    type_into(qtbot, box, text)
    assert words in message(bench), message(bench)
    assert box.text() == "0.002" and box.value() == pytest.approx(0.002)
    assert bench.controller.config.learning_rate == pytest.approx(0.002)  # what training uses
    type_into(qtbot, box, "0.003")
    assert message(bench) == ""  # a valid value clears the refusal


@pytest.mark.parametrize("garbage", ["0.01\n0.02", "⚠ \U0001F600 0.1", "1" * 400, "\x00\x07", "０.５"])
def test_pasted_garbage_is_refused_and_the_last_value_shown(bench, qtbot, garbage):
    box = bench.controls.learning_rate_spin
    type_into(qtbot, box, "0.002")
    QApplication.clipboard().setText(garbage)
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    if garbage == "０.５":  # full-width digits are digits: 0.5, read as meant
        assert box.text() == "0.5" and bench.controller.config.learning_rate == pytest.approx(0.5)
        return
    assert box.text() == "0.002" and bench.controller.config.learning_rate == pytest.approx(0.002)
    assert message(bench)


@pytest.mark.parametrize(("text", "seed"), [("1e9", 1_000_000_000), ("42", 42), ("1,000", 1000), ("7.0", 7)])
def test_seeds_are_read_as_meant(bench, qtbot, text, seed):
    type_into(qtbot, bench.controls.seed_spin, text)
    assert bench.controller.config.seed == seed and bench.controls.seed_spin.value() == seed


@pytest.mark.parametrize(("text", "words"), [("-1", "too small"), ("1.5", "whole number"), ("1e308", "too large"),
                                             ("nan", "ordinary number"), ("", "needed here"), ("seed", "not a number"),
                                             ("3e9", "too large")])
def test_refused_seeds_show_the_last_valid_one(bench, qtbot, text, words):
    box = bench.controls.seed_spin
    type_into(qtbot, box, "5")
    type_into(qtbot, box, text)
    assert words in message(bench)
    assert box.value() == 5 and box.text() == "5" and bench.controller.config.seed == 5


def test_beta_and_epoch_boxes_read_scientific_notation(bench, qtbot):
    choose(bench.controls.model_selector, "vae")
    type_into(qtbot, bench.controls.beta_spin, "1e-3")
    assert bench.controller.config.beta == pytest.approx(0.001) and bench.controls.beta_spin.text() == "0.001"
    type_into(qtbot, bench.controls.beta_spin, "1e3")
    assert "β must be a number from 0 to 100" in message(bench) and bench.controller.config.beta == pytest.approx(0.001)
    type_into(qtbot, bench.controls.run_epochs_spin, "1e3")
    assert bench.controls.run_epochs_spin.value() == 1000
    type_into(qtbot, bench.controls.stop_epoch_spin, "2,500")
    assert bench.controls.stop_epoch_spin.value() == 2500
    type_into(qtbot, bench.controls.stop_epoch_spin, "-3")
    assert bench.controls.stop_epoch_spin.value() == 2500 and "too small" in message(bench)


def test_arrows_past_what_the_engine_allows_are_taken_back(bench, qtbot):
    box = bench.controls.learning_rate_spin
    type_into(qtbot, box, "10")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Up)
    assert box.value() == pytest.approx(10) and bench.controller.config.learning_rate == pytest.approx(10)
    assert "above 10" in message(bench)


@pytest.mark.parametrize("flavour", [NumberBox, WholeNumberBox])
def test_a_box_on_its_own_says_why_and_keeps_its_value(qtbot, flavour):
    box = flavour(what="The size", minimum=1, maximum=50)
    qtbot.addWidget(box)
    box.show()
    box.setValue(7)
    said = []
    box.refused.connect(said.append)
    type_into(qtbot, box, "1e2")
    assert box.value() == 7 and said == ["The size must be from 1 to 50: 1e2 is too large."]
    type_into(qtbot, box, "2e1")
    assert box.value() == 20 and said[-1] == ""
