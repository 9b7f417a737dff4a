"""Pen strokes and MNIST-style framing of a drawn digit. These tests do not require Qt."""

import numpy as np

from engine.digits.drawing import BOX, SIDE, blank, frame_like_mnist, stroke


def test_a_stroke_inks_the_pixels_along_its_path_and_nothing_far_away():
    image = stroke(blank(), (4.5, 14.0), (23.5, 14.0))
    grid = image.reshape(SIDE, SIDE)
    assert image.dtype == np.float32 and image.shape == (SIDE * SIDE,)
    assert np.all(grid[13:15, 5:23] == 1.0)  # on the line: full ink
    assert np.all(grid[:11] == 0) and np.all(grid[17:] == 0)  # far from it: none
    assert grid[15, 10] == 0.5  # the soft edge: 1.5 px from the line


def test_ink_never_gets_darker_than_one_and_erasing_removes_it():
    once = stroke(blank(), (5, 5), (20, 20))
    twice = stroke(once, (5, 5), (20, 20))
    np.testing.assert_array_equal(once, twice)
    erased = stroke(twice, (5, 5), (20, 20), erase=True)
    assert erased.max() == 0


def test_stroke_does_not_change_its_input():
    image = blank()
    stroke(image, (3, 3), (9, 9))
    assert image.max() == 0


def test_framing_fits_a_20_pixel_box_centred_by_mass():
    small = stroke(blank(), (2.5, 2.5), (2.5, 8.5))  # a short bar in the top-left corner
    framed = frame_like_mnist(small).reshape(SIDE, SIDE)
    rows = np.flatnonzero(framed.max(axis=1) > 0)
    assert rows[-1] - rows[0] + 1 == BOX  # scaled up to the box height
    ys, xs = np.mgrid[0:SIDE, 0:SIDE] + 0.5
    centre = ((framed * ys).sum() / framed.sum(), (framed * xs).sum() / framed.sum())
    assert abs(centre[0] - SIDE / 2) <= 1 and abs(centre[1] - SIDE / 2) <= 1
    assert framed.min() >= 0 and framed.max() <= 1


def test_framing_an_empty_pad_gives_an_empty_image():
    assert frame_like_mnist(blank()).max() == 0
