"""The latent-space maths: boxes, grids, rasters, paths, samples, trails (no Qt)."""

import math

import numpy as np
import pytest

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.latent import space as latent


@pytest.fixture(scope="module")
def ae_session():
    session = TrainingSession(TrainingConfig(seed=3))
    for _ in session.run(60):
        pass
    return session


@pytest.fixture(scope="module")
def vae_session():
    session = TrainingSession(TrainingConfig(model="vae", seed=3))
    for _ in session.run(60):
        pass
    return session


def test_the_box_fits_the_model(ae_session, vae_session):
    ae = latent.model_box(ae_session.latest)
    assert (ae.x0, ae.x1, ae.y0, ae.y1) == (-0.05, 1.05, -0.05, 1.05)
    vae = latent.model_box(vae_session.latest)
    assert vae.x0 <= -3 and vae.x1 >= 3 and vae.contains(vae_session.latest.codes)


def test_a_box_only_grows_when_a_code_leaves_it():
    base = latent.Box.square(-3, 3)
    assert latent.fit_box(np.array([[0.5, -2.9], [2.0, 1.0]]), base) == base
    grown = latent.fit_box(np.array([[0.0, 0.0], [4.2, 0.1]]), base)
    assert grown.x1 >= 4.2 and grown.x0 == -3 and grown.y0 == -3
    assert grown.x1 == pytest.approx(round(grown.x1 * 2) / 2)  # round numbers


def test_bad_boxes_are_refused_with_a_message():
    with pytest.raises(ValueError, match="smaller number to a larger"):
        latent.Box.square(1, 1)
    with pytest.raises(ValueError, match="finite"):
        latent.Box(0, math.inf, 0, 1)


def test_grid_points_read_like_a_picture_and_decode_with_the_snapshot(ae_session):
    box = latent.Box.square(0, 1)
    points, images = latent.decode_grid(ae_session.latest, box, 3)
    assert points[0].tolist() == [0, 1] and points[2].tolist() == [1, 1] and points[-1].tolist() == [1, 0]
    np.testing.assert_allclose(images, ae_session.latest.decode(points))
    with pytest.raises(ValueError, match="grid size"):
        latent.grid_points(box, 1)


def test_mosaic_places_each_tile_with_see_through_gaps():
    images = np.arange(4 * 4, dtype=float).reshape(4, 4)  # four 2x2 images on a 2x2 grid
    m = latent.mosaic(images, 2, gap=1)
    assert m.shape == (5, 5)
    np.testing.assert_array_equal(m[0:2, 0:2], images[0].reshape(2, 2))
    np.testing.assert_array_equal(m[3:5, 3:5], images[3].reshape(2, 2))
    assert np.isnan(m[2]).all() and np.isnan(m[:, 2]).all()


def test_pixel_map_is_one_decoded_pixel_at_the_raster_centres(ae_session):
    box = latent.Box(0, 1, 0, 2)
    values = latent.pixel_map(ae_session.latest, box, 1, resolution=4)
    xs, ys = latent.cell_centres(box, 4)
    assert values.shape == (4, 4)
    assert values[3, 0] == pytest.approx(ae_session.latest.decode([xs[0], ys[3]])[1], abs=1e-7)
    assert ys[3] == pytest.approx(1.75)


def test_distance_map_measures_how_far_a_decoded_point_is_from_the_data(ae_session):
    snap = ae_session.latest
    box = latent.Box.square(0, 1)
    d = latent.distance_map(snap, box, resolution=3)
    xs, ys = latent.cell_centres(box, 3)
    decoded = snap.decode([xs[2], ys[0]])
    assert d[0, 2] == pytest.approx(((snap.images - decoded) ** 2).sum(1).min(), abs=1e-6)


def test_distance_scale_is_measured_against_the_gaps_between_images():
    images = np.array([[0.0, 0, 0, 0], [0.1, 0, 0, 0], [1.0, 1, 1, 1]])
    # nearest-neighbour squared distances 0.01, 0.01, 0.81+3 -> median 0.01
    assert latent.distance_scale(images, factor=4) == pytest.approx(0.04)


def test_a_vae_with_a_strong_beta_collapses_and_a_weak_one_does_not():
    strong = TrainingSession(TrainingConfig(model="vae", beta=1.0))
    weak = TrainingSession(TrainingConfig(model="vae", beta=0.05))
    for session in (strong, weak):
        for _ in session.run(300):
            pass
    assert latent.collapsed_units(strong.latest) == [0, 1]
    assert latent.collapsed_units(weak.latest) == []
    kl = latent.unit_kl(weak.latest)
    assert kl.sum() == pytest.approx(weak.latest.kl, rel=0.05)  # the training KL is their sum


def test_pattern_coordinates_turn_diagonal_images_into_their_two_numbers():
    ab = np.array([[0.6, 0.4], [0.8, 0.65]])
    np.testing.assert_allclose(latent.pattern_coordinates(latent.pattern_images(ab)), ab)


def test_the_encoded_data_grid_is_the_encoder_applied_to_straight_lines(ae_session):
    warped = latent.encoded_data_grid(ae_session.latest, lines=3, samples=5)
    straight = latent.data_grid_lines(3, 5)
    assert warped.shape == straight.shape == (6, 5, 2)
    assert np.all(straight[0, :, 0] == 0) and np.all(straight[3, :, 1] == 0)
    expected = ae_session.latest.encode(latent.pattern_images(straight[4]))
    np.testing.assert_allclose(warped[4], expected, atol=1e-7)


def test_linear_and_spherical_paths_start_and_end_at_the_endpoints():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 2.0])
    line = latent.interpolation_path(a, b, 5, "linear")
    np.testing.assert_allclose(line[2], [0.5, 1.0])
    arc = latent.interpolation_path(a, b, 5, "spherical")
    np.testing.assert_array_equal(arc[0], a)
    np.testing.assert_array_equal(arc[-1], b)
    assert np.linalg.norm(arc[2]) > np.linalg.norm(line[2])  # the arc keeps its distance from 0
    # Same direction from the centre: the great circle is undefined, a line is used.
    np.testing.assert_allclose(latent.interpolation_path(a, 3 * a, 3, "spherical"), [[1, 0], [2, 0], [3, 0]])
    with pytest.raises(ValueError, match="steps"):
        latent.interpolation_path(a, b, 1)
    with pytest.raises(ValueError, match="linear or spherical"):
        latent.interpolation_path(a, b, 4, "cubic")


def test_prior_samples_are_standard_normal_and_repeat_by_seed():
    s = latent.prior_samples(500, 2, seed=7)
    np.testing.assert_array_equal(s, latent.prior_samples(500, 2, seed=7))
    assert abs(s.mean()) < 0.1 and abs(s.std() - 1) < 0.1
    with pytest.raises(ValueError, match="samples"):
        latent.prior_samples(0)


def test_ellipse_outlines_have_the_spreads_as_radii():
    centres = np.array([[0.0, 1.0], [2.0, -1.0]])
    radii = np.array([[0.5, 0.25], [1.0, 2.0]])
    xs, ys = latent.ellipse_outlines(centres, radii, segments=16)
    per = 16 + 2
    for k in range(2):
        x, y = xs[k * per: (k + 1) * per - 1], ys[k * per: (k + 1) * per - 1]
        assert (x.max() - x.min()) / 2 == pytest.approx(radii[k, 0])
        assert (y.max() - y.min()) / 2 == pytest.approx(radii[k, 1])
        assert np.all(np.isfinite(x)) and np.isnan(xs[(k + 1) * per - 1])


def test_trails_follow_each_code_through_the_stored_epochs(ae_session):
    snaps = [c.snapshot for c in ae_session.checkpoints]
    shown = ae_session.snapshot_at(30)
    trails = latent.code_trails(snaps, shown)
    assert trails.shape == (len(shown.images), 31, 2)
    np.testing.assert_array_equal(trails[:, -1], shown.codes)
    np.testing.assert_array_equal(trails[:, 0], ae_session.snapshot_at(0).codes)
    assert latent.code_trails(snaps, shown, max_steps=5).shape[1] == 5
    edited = TrainingSession(TrainingConfig(seed=3))
    for _ in edited.run(5):
        pass
    edited.set_images(edited.train_images[:10])
    for _ in edited.run(3):
        pass
    trails = latent.code_trails([c.snapshot for c in edited.checkpoints], edited.latest)
    assert trails.shape == (10, 3, 2)  # the edit (applied at epoch 6) starts new trails


def test_snap_and_nudge_step_are_round_numbers():
    assert latent.nudge_step(latent.Box.square(-0.05, 1.05)) == pytest.approx(0.01)
    assert latent.nudge_step(latent.Box.square(-3, 3)) == pytest.approx(0.05)
