"""Typed numbers: what a learner may type into a panel, and the messages when it is not."""

import numpy as np
import pytest

from engine.core.typed_numbers import check_unit_interval, normalise, parse_number, parse_unit_interval


@pytest.mark.parametrize(("text", "value"), [("0.35", 0.35), (" 1 ", 1.0), ("0", 0.0), ("0,5", 0.5), (".2", 0.2)])
def test_values_in_the_unit_interval_are_accepted(text, value):
    assert parse_unit_interval(text) == value


@pytest.mark.parametrize(("text", "words"), [
    ("abc", "not a number"), ("", "needed"), ("nan", "ordinary number"), ("inf", "ordinary number"),
    ("-1", "between 0 and 1"), ("2", "between 0 and 1"), ("1.0000001", "between 0 and 1"),
])
def test_everything_else_is_refused_with_a_message(text, words):
    with pytest.raises(ValueError, match=words):
        parse_unit_interval(text, "Bar 2 of p")
    with pytest.raises(ValueError):
        check_unit_interval(float("nan"))


def test_numbers_for_the_sigmoid_axis_may_be_any_finite_value():
    assert parse_number("−1.5") == -1.5 and parse_number("12") == 12.0
    for bad in ("x", "nan", "-inf", ""):
        with pytest.raises(ValueError):
            parse_number(bad)


def test_normalise_keeps_proportions_and_refuses_nothing_to_scale():
    assert np.allclose(normalise([0.3, 0.2, 0.4, 0.2, 0.1]), np.array([0.3, 0.2, 0.4, 0.2, 0.1]) / 1.2)
    assert normalise([0, 0, 2]).tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match="at least one bar"):
        normalise([0, 0, 0], "q")
    with pytest.raises(ValueError, match="non-negative"):
        normalise([0.5, -0.1])
