"""Save the whole app, open it in a new window: every tab comes back with the same
epoch, the same numbers and the same selections, and training continues exactly as
if the app had never closed.

The reopened window is compared with the engine: the original sessions' own stored
snapshots, histories and weights, and figures the engine computes from them
(``snapshot.decode``, ``denoising_figures``, ``held_out_loss``), never one widget
against another.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from case_study_helpers import small_digit_world
from PySide6.QtCore import Qt

from desktop_app.app_session import screen_state
from desktop_app.main_window import MainWindow
from engine.core.config import TrainingConfig
from engine.digits.study_figures import held_out_loss


def open_in_new_window(qtbot, path) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    job = window.session_files.open_path(path, confirmed=True)
    assert job is not None and job.wait(120)
    return window


def assert_same_session(restored, original) -> None:
    """Same epoch, same stored epochs, same loss history, same weights (bit for bit)."""
    assert restored.epoch == original.epoch
    np.testing.assert_array_equal(restored.history.as_array(), original.history.as_array())
    shown, kept = restored.latest, original.latest
    assert shown.epoch == kept.epoch and shown.loss == kept.loss and shown.kl == kept.kl
    for name, value in kept.params.items():
        np.testing.assert_array_equal(shown.params[name], value)
    np.testing.assert_array_equal(shown.codes, kept.codes)


def train(qtbot, controller, epochs: int) -> None:
    """Train on to epoch ``epochs`` (from wherever the session is)."""
    assert controller.step(epochs - controller.session.epoch) is None
    qtbot.waitUntil(lambda: not controller.running and controller.session.epoch >= epochs, timeout=120_000)
    controller.wait_until_idle(60)


def vae_window(qtbot, epochs: int) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.controller.new_session(TrainingConfig(model="vae", seed=3, learning_rate=0.05))
    if epochs:
        train(qtbot, window.controller, epochs)
    return window


def test_the_workbench_comes_back_as_it_was(qtbot, tmp_path):
    window = vae_window(qtbot, 60)
    c, latent = window.controller, window.workbench.latent
    c.select_image(2)
    c.show_epoch(30)  # looking back in time on the timeline
    latent.canvas.set_probe((0.25, 0.75))
    latent.canvas.set_path_end(0, ("image", 1))
    latent.canvas.set_path_end(1, ("point", np.array([0.9, 0.1])))
    latent.map_controls.overlay.setChecked(True)
    latent.prior_panel.seed.setValue(7)
    latent.prior_panel.draw()
    latent.show_section("prior")
    mse = window.workbench.docks["msePanel"].widget().child
    assert mse.set_own([[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.5], [0.25, 0.75]]) is None
    window.workbench.controls.speed_combo.setCurrentIndex(2)
    window.tabs.setCurrentIndex(0)
    original, shown = c.session, c.snapshot
    assert window.session_files.save_to(tmp_path / "bench.aelab")

    other = open_in_new_window(qtbot, tmp_path / "bench.aelab")
    d, canvas = other.controller, other.workbench.latent.canvas
    assert_same_session(d.session, original)
    assert d.snapshot.epoch == shown.epoch == 30  # the timeline's epoch, not the newest
    for name, value in shown.params.items():
        np.testing.assert_array_equal(d.snapshot.params[name], value)
    assert d.selected_index == 2
    np.testing.assert_allclose(canvas.probe, [0.25, 0.75])
    decoded = other.workbench.latent.readout.image.values()
    np.testing.assert_allclose(decoded, shown.decode(np.array([0.25, 0.75])).ravel(), rtol=0, atol=1e-12)
    assert canvas.state.path_ends[0] == ("image", 1)
    np.testing.assert_allclose(canvas.state.path_ends[1][1], [0.9, 0.1])
    assert canvas.state.overlay_on and other.workbench.latent.map_controls.overlay.isChecked()
    np.testing.assert_array_equal(canvas.state.samples, latent.canvas.state.samples)
    other_mse = other.workbench.docks["msePanel"].widget().child
    x, y = other_mse.numbers
    np.testing.assert_array_equal(x, [[0.1, 0.2], [0.3, 0.4]])
    np.testing.assert_array_equal(y, [[0.5, 0.5], [0.25, 0.75]])
    assert other.workbench.controls.speed_combo.currentIndex() == 2
    assert other.workbench.latent.section_buttons["prior"].isChecked()
    assert screen_state(other) == screen_state(window)  # every other setting too
    assert not other.session_files.modified


def test_continuing_a_restored_session_equals_training_that_never_stopped(qtbot, tmp_path):
    first = vae_window(qtbot, 50)
    assert first.session_files.save_to(tmp_path / "half.aelab")
    restored = open_in_new_window(qtbot, tmp_path / "half.aelab")
    train(qtbot, restored.controller, 100)
    straight = vae_window(qtbot, 100)
    np.testing.assert_array_equal(restored.controller.session.history.as_array(),
                                  straight.controller.session.history.as_array())
    assert_same_session(restored.controller.session, straight.controller.session)


@pytest.fixture(scope="module")
def digit_world(qapp):
    torch.set_num_threads(1)
    with small_digit_world():
        yield


def test_both_case_studies_come_back_as_they_were(digit_world, qtbot, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    dn, gen = window.denoising, window.generation
    window.tabs.setCurrentIndex(1)
    dn.start()
    dn.set_noise("salt-pepper", 0.3)
    assert dn.step(1) is None and dn.wait_until_idle(120)
    dn.pad.draw_line((8.5, 6.0), (19.5, 6.5))
    dn.show_other_digits()
    window.tabs.setCurrentIndex(2)
    gen.start()
    gen.set_compare(True)
    assert gen.step(1) is None and gen.wait_until_idle(120)
    qtbot.waitUntil(lambda: gen.autoencoder.session.epoch == 1 and not gen.autoencoder.running, timeout=120_000)
    gen.sample()
    gen.vae_pane.canvas.set_probe((0.5, -0.5))
    gen.manifold_check.setChecked(True)
    originals = {"dn": dn.controller.session, "vae": gen.controller.session, "ae": gen.autoencoder.session}
    trace = dict(dn._psnr_trace)
    assert window.session_files.save_to(tmp_path / "studies.aelab")

    other = open_in_new_window(qtbot, tmp_path / "studies.aelab")
    odn, ogen = other.denoising, other.generation
    assert other.tabs.currentIndex() == 2
    assert_same_session(odn.controller.session, originals["dn"])
    assert_same_session(ogen.controller.session, originals["vae"])
    assert_same_session(ogen.autoencoder.session, originals["ae"])
    assert odn.controller.config.noise_type == "salt-pepper" and odn.controller.config.noise_level == 0.3
    # the generation tab (on screen): samples, probe, held-out loss, from the original snapshot
    vae = originals["vae"].latest
    np.testing.assert_array_equal(ogen.samples_z, gen.samples_z)
    np.testing.assert_allclose(ogen.vae_pane.decoded.values(), vae.decode(np.array([0.5, -0.5])).ravel(),
                               rtol=0, atol=1e-12)
    assert ogen.vae_loss == held_out_loss(vae)
    assert ogen.manifold_check.isChecked() and ogen.vae_pane.canvas.state.overlay_on
    # the denoising tab once shown: the same table of PSNRs, drawing and trace
    other.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: odn.figures is not None and odn.figures.projected is not None, timeout=60_000)
    np.testing.assert_array_equal(odn.pad.pixels, dn.pad.pixels)
    assert odn._offset == 1
    qtbot.waitUntil(lambda: dn.figures.projected is not None, timeout=60_000)
    assert odn.figures.mean_all == dn.figures.mean_all  # noisy input, autoencoder, PCA: dB over 500 digits
    assert {e: v for e, v in odn._psnr_trace.items() if e in trace} == trace
    window.tabs.setCurrentIndex(2)
    other.tabs.setCurrentIndex(2)
    assert screen_state(other)["generation"] == screen_state(window)["generation"]
    assert screen_state(other)["denoising"] == screen_state(window)["denoising"]
    for study in (dn, gen, odn, ogen):
        study.shutdown()


def test_the_comparison_beside_the_workbench_comes_back_with_the_same_numbers(qtbot, tmp_path):
    window = vae_window(qtbot, 40)
    latent = window.workbench.latent
    latent.set_compare(True)
    compare = latent.compare.controller
    qtbot.waitUntil(lambda: not compare.running and compare.session.epoch == 40, timeout=120_000)
    assert window.session_files.save_to(tmp_path / "compare.aelab")

    other = open_in_new_window(qtbot, tmp_path / "compare.aelab")
    pane = other.workbench.latent.compare
    assert pane is not None and pane.beta.value() == latent.compare.beta.value()
    qtbot.waitUntil(lambda: not pane.controller.running and pane.controller.session.epoch == 40, timeout=120_000)
    # retrained from the same seed and settings: the same model, bit for bit
    assert_same_session(pane.controller.session, compare.session)


def test_the_lesson_position_travels_through_the_window_hooks(qtbot, tmp_path):
    window = vae_window(qtbot, 0)
    window.lesson_state = lambda: {"lesson": "vae", "step": 3}
    assert window.session_files.save_to(tmp_path / "lesson.aelab")
    other = MainWindow()
    qtbot.addWidget(other)
    applied = []
    other.apply_lesson_state = applied.append
    job = other.session_files.open_path(tmp_path / "lesson.aelab", confirmed=True)
    assert job.wait(120)
    assert applied == [{"lesson": "vae", "step": 3}]
    plain = open_in_new_window(qtbot, tmp_path / "lesson.aelab")  # a window without a lesson path
    assert plain.controller.session.epoch == 0


def test_the_window_layout_comes_back(qtbot, tmp_path):
    from PySide6.QtCore import Qt

    window = vae_window(qtbot, 0)
    bench = window.workbench
    bench.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, bench.docks["latent"])
    bench.docks["klPanel"].hide()
    window.tabs.setCurrentIndex(2)
    assert window.session_files.save_to(tmp_path / "layout.aelab")
    other = open_in_new_window(qtbot, tmp_path / "layout.aelab")
    assert other.workbench.dockWidgetArea(other.workbench.docks["latent"]) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert other.workbench.docks["klPanel"].isHidden() and not other.workbench.docks["msePanel"].isHidden()
    assert other.tabs.currentIndex() == 2


def test_the_lesson_position_done_marks_and_answers_come_back(qtbot, tmp_path):
    from desktop_app.lessons.lesson_file import LESSON_DIR, load_lessons
    from desktop_app.settings import settings

    ids = [s.id for lesson in load_lessons(LESSON_DIR) for s in lesson.steps]
    window = vae_window(qtbot, 0)
    nav = window.lessons
    nav.prepare_ahead = lambda: None  # no background training competing with the test
    nav.go_to(ids.index("log-loss"))
    qtbot.mouseClick(nav.choice_rows[0].button, Qt.MouseButton.LeftButton)
    nav.go_to(ids.index("kl-by-hand"))
    qtbot.mouseClick(nav.choice_rows[1].button, Qt.MouseButton.LeftButton)  # a guess, its check not yet run
    assert nav.progress.answers == {"log-loss": 0, "kl-by-hand": 1}
    assert window.session_files.save_to(tmp_path / "path.aelab")
    nav.go_to(ids.index("book"))
    nav.leave()
    settings().remove("lessons")  # the learner's stored progress is gone: only the file knows

    other = open_in_new_window(qtbot, tmp_path / "path.aelab")
    shown = other.lessons
    assert shown.step.id == "kl-by-hand" and shown.following
    assert shown.title_label.text() == nav.steps[ids.index("kl-by-hand")].title
    assert shown.step_list.currentRow() == ids.index("kl-by-hand")
    assert shown.progress.answers == {"log-loss": 0, "kl-by-hand": 1}
    assert shown.choice_rows[1].button.isChecked() and not shown.choice_rows[0].button.isEnabled()
    assert "Now see for yourself" in shown.outcome_label.text()
    done = {ids[k] for k in range(len(ids)) if shown.step_list.item(k).text().startswith("✓")}
    assert done == set(nav.progress.done) and "log-loss" in done
    assert settings().value("lessons/current") == "kl-by-hand"  # written through, as a step change is


def test_a_bad_lesson_position_is_refused_and_unknown_steps_are_dropped(qtbot):
    window = vae_window(qtbot, 0)
    nav = window.lessons
    for bad, words in (([1], "not a table"), ({"current": 3}, "not a step name"),
                       ({"done": "book"}, "finished lesson steps"), ({"answers": {"log-loss": "0"}}, "answers"),
                       ({"following": "yes"}, "yes or no")):
        with pytest.raises(ValueError, match=words):
            window.apply_lesson_state(bad)
    assert nav.step.id == nav.steps[0].id and not nav.progress.answers  # nothing changed
    window.apply_lesson_state({"current": "a-renamed-step", "done": ["gone", "book"],
                               "answers": {"gone": 0, "log-loss": 9, "kl-by-hand": 0}, "following": False})
    assert nav.index == 0 and nav.progress.done == {"book"} and nav.progress.answers == {"kl-by-hand": 0}
    assert not nav.following
