"""The lesson path in the real window: every step's set-up against its lesson file and
against the engine, checks that turn done only when their condition holds, predictions,
keys, jumps, leaving and resuming, and progress that survives a restart."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from desktop_app.lessons.install import install_lesson_path
from desktop_app.lessons.lesson_file import LESSON_DIR, load_lessons
from desktop_app.lessons.screen_setup import read_screen, view_widget
from desktop_app.lessons.step_sessions import StepSessions
from desktop_app.main_window import MainWindow
from desktop_app.panels import formatting as fmt
from desktop_app.settings import settings
from desktop_app.state.screen import CASE_STUDY_MODELS, DOCK_VIEWS, PAGE_VIEWS
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.digits.pretrained import load_pretrained, pretrained_path
from engine.lecture.loss_breakdowns import log_loss
from tests.desktop_app.screens import PROJECTOR_1080, put_on

STEPS = [s for lesson in load_lessons(LESSON_DIR) for s in lesson.steps]
IDS = [s.id for s in STEPS]


SHARED_SESSIONS = StepSessions()  # one trained session per step set-up for the whole module


def make_window(qtbot, ahead: bool = False) -> MainWindow:
    """The real window. ``ahead``: sessions are made ahead on a background thread as in
    the app, by the window's own ``StepSessions``. Off by default so the tests do not
    compete with it for a busy machine; then every window shares ``SHARED_SESSIONS``, so
    a step's session is trained once per module (as once per app run) and rewound on
    each later visit, exactly as a learner's second visit is; the walk still compares
    what each step shows with a session trained independently here (``engine_snapshot``)."""
    window = MainWindow()
    qtbot.addWidget(window)
    if not ahead:
        window.lessons.prepare_ahead = lambda: None
        window.lessons.sessions = SHARED_SESSIONS
    put_on(window, PROJECTOR_1080)  # a screen with room for the size below, so the first fit keeps it
    window.resize(1700, 1000)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot):
    w = make_window(qtbot)
    yield w
    w.close()


def enter(window, step_id: str):
    nav = window.lessons
    nav.go_to(IDS.index(step_id))
    return nav


def panel(window, name: str) -> QWidget:
    return view_widget(window, name).widget().findChild(QWidget, name)


_ENGINE: dict = {}


def engine_snapshot(step):
    """``engine_session(step).latest``, made once per set-up for this test module."""
    s = step.screen
    key = (s.model, s.dataset, s.loss, s.seed, s.epoch)
    if key not in _ENGINE:
        _ENGINE[key] = engine_session(step).latest
    return _ENGINE[key]


def engine_session(step) -> TrainingSession:
    """The step's numbers made independently: a fresh session trained here."""
    s = step.screen
    session = TrainingSession(TrainingConfig(model=s.model, dataset=s.dataset, loss=s.loss, seed=s.seed))
    if s.epoch:
        for _ in session.run(epochs=s.epoch):
            pass
    return session


def test_the_navigator_is_named_and_docked_with_a_view_menu_entry(window):
    nav = window.lessons
    assert nav.objectName() == "lessonNavigator" and nav.accessibleName() == "lessonNavigator"
    assert window.findChild(QWidget, "lessonNavigator") is nav
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    toggle = next(a for a in view.actions() if a.text() == "&Lesson path")
    assert window.lesson_dock.isVisible()
    toggle.trigger()
    assert not window.lesson_dock.isVisible()
    toggle.trigger()
    assert window.lesson_dock.isVisible()
    assert nav.step_list.count() == len(STEPS) >= 16


def test_walking_every_step_sets_up_what_the_lesson_file_says_with_the_engines_numbers(window, qtbot):
    nav = window.lessons
    for k, step in enumerate(STEPS):
        nav.go_to(k)
        qtbot.wait(10)
        shown = read_screen(window)
        want = step.screen
        assert shown.tab == want.tab, step.id
        assert (shown.model, shown.dataset, shown.loss, shown.seed, shown.epoch) == \
            (want.model, want.dataset, want.loss, want.seed, want.epoch), step.id
        if want.tab == "workbench":
            assert set(shown.visible) == set(want.visible), step.id
            assert shown.large == (want.large or shown.large), step.id
            assert shown.selected == want.selected, step.id
            assert set(want.sources) <= set(shown.sources), step.id
            if want.epoch:
                assert_engines_numbers(window, step)
        assert step.id not in nav.progress.done, step.id  # setting a step up is not doing it
        assert set(nav.highlighter.names) == set(step.highlight), step.id
        for frame in nav.highlighter.frames.values():
            assert frame.isVisible() and frame.geometry() == frame.parentWidget().rect(), step.id
        assert nav.title_label.text() == step.title
        assert nav.counter.text() == f"Step {k + 1} of {len(STEPS)}"
        if step.formula:  # the formula exactly as the panel renders it
            assert nav.formula.formula.text() == panel(window, step.formula).findChild(QLabel, "formulaLabel").text()


def assert_engines_numbers(window, step) -> None:
    """What the step shows is a fresh session with its seed trained its epochs, here."""
    expected = engine_snapshot(step)
    shown = window.controller.snapshot
    assert shown.epoch == expected.epoch == step.screen.epoch, step.id
    assert shown.loss == expected.loss, step.id
    for name, value in expected.params.items():
        np.testing.assert_array_equal(shown.params[name], value)
    np.testing.assert_array_equal(shown.reconstructions, expected.reconstructions)
    assert window.findChild(QLabel, "epochLabel").text().replace(",", "").endswith(str(step.screen.epoch))


def test_the_live_log_loss_panel_shows_the_engines_sum(window):
    step = STEPS[IDS.index("log-loss-live")]
    enter(window, "log-loss-live")
    expected = engine_snapshot(step)
    i = step.screen.selected
    x = np.asarray(expected.images[i], dtype=np.float64).reshape(2, 2)
    y = np.asarray(expected.reconstructions[i], dtype=np.float64).reshape(2, 2)
    total = fmt.result(log_loss(x, y).total)
    loss_panel = panel(window, "logLossPanel")
    assert loss_panel.current_source == "live"
    assert loss_panel.sum.total.text() == total
    np.testing.assert_allclose(loss_panel.numbers[1], y)


@pytest.mark.parametrize("tab", ["denoising", "generation"])
def test_a_case_study_step_shows_the_shipped_model_at_once(window, tab):
    step_id = next(s.id for s in STEPS if s.screen.tab == tab and s.screen.epoch > 0)
    nav = enter(window, step_id)
    study = window.denoising if tab == "denoising" else window.generation
    expected = load_pretrained(pretrained_path(CASE_STUDY_MODELS[tab])).latest
    shown = study.controller.snapshot
    assert window.tabs.currentWidget() is study
    assert shown.epoch == expected.epoch == STEPS[IDS.index(step_id)].screen.epoch
    assert shown.loss == pytest.approx(expected.loss, rel=1e-12)
    np.testing.assert_array_equal(shown.reconstructions, expected.reconstructions)
    assert nav.last_entry_seconds > 0  # measured (the 1 s budget is the benchmark's: python -m desktop_app --benchmark)


def test_sessions_made_ahead_open_a_trained_step_without_training(qtbot):
    window = make_window(qtbot, ahead=True)
    nav = window.lessons
    nav.go_to(0)  # entering the path starts making the trained steps' sessions
    assert nav.sessions.wait(timeout=300)
    made = nav.sessions.made_count
    assert made == len({(s.screen.tab, s.screen.model, s.screen.dataset, s.screen.loss, s.screen.epoch)
                        for s in STEPS if s.screen.epoch})
    for step in STEPS:
        if step.screen.epoch:
            nav.go_to(IDS.index(step.id))
    assert nav.sessions.made_count == made
    window.close()


def test_a_second_visit_gives_the_same_numbers_without_training_again(window):
    nav = enter(window, "log-loss-live")
    first = window.controller.snapshot
    made = nav.sessions.made_count
    window.controller.step(40)
    window.controller.wait_until_idle()
    window.controller.select_image(5)
    assert window.controller.snapshot.epoch == 190
    enter(window, "book")
    enter(window, "log-loss-live")
    again = window.controller.snapshot
    assert again.epoch == 150 and again.loss == first.loss and window.controller.selected_index == 3
    for name, value in first.params.items():
        np.testing.assert_array_equal(again.params[name], value)
    assert nav.sessions.made_count == made
    window.controller.step(3)  # and training on from it gives the engine's epochs 151-153
    window.controller.wait_until_idle()
    reference = engine_session(STEPS[IDS.index("log-loss-live")])
    for _ in reference.run(epochs=3):
        pass
    assert window.controller.snapshot.loss == reference.latest.loss


# ----- checks ---------------------------------------------------------------------------------

def test_the_training_check_turns_done_only_below_the_threshold(window):
    nav = enter(window, "training")
    nav.choose(0)
    assert "training" not in nav.progress.done
    window.controller.step(50)
    window.controller.wait_until_idle()
    nav.evaluate()
    assert window.controller.snapshot.reconstruction_loss > 0.01
    assert "training" not in nav.progress.done and "To do" in nav.status_label.text()
    window.controller.set_stop_at(loss=0.01)
    window.controller.play()
    window.controller.wait_until_idle(timeout=30)
    nav.evaluate()
    assert window.controller.snapshot.reconstruction_loss < 0.01
    assert "training" in nav.progress.done and nav.status_label.text() == "✓ Done"
    assert nav.step_list.item(IDS.index("training")).text().startswith("✓")


def test_the_own_mse_check_wants_typed_numbers_below_001(window, qtbot):
    nav = enter(window, "mse-your-own")
    mse_panel = panel(window, "msePanel")
    cells = mse_panel.y_grid.findChildren(QLineEdit)
    assert len(cells) == 4

    def type_into(cell: QLineEdit, text: str) -> None:
        cell.setFocus()
        cell.selectAll()
        QTest.keyClicks(cell, text)
        QTest.keyClick(cell, Qt.Key.Key_Return)
        qtbot.wait(250)  # the check looks every 200 ms

    type_into(cells[0], "0.6")  # one pixel right, three still the slide's bad ones
    assert mse_panel.current_source == "own"
    assert "mse-your-own" not in nav.progress.done
    for cell, value in zip(cells[1:], ("0.4", "0.4", "0.55"), strict=True):
        type_into(cell, value)
    assert "mse-your-own" in nav.progress.done  # (0.6 − 0.55)² = 0.0025 < 0.01


def test_the_costliest_pixel_check_follows_the_hovered_pixel(window):
    nav = enter(window, "log-loss-live")
    loss_panel = panel(window, "logLossPanel")
    x, y = loss_panel.numbers
    terms = log_loss(x, y).terms.ravel()
    costliest = int(np.argmax(terms))
    for pixel in range(4):
        if pixel != costliest:
            loss_panel.term_grid.cellHovered.emit(pixel)
    assert "log-loss-live" not in nav.progress.done
    loss_panel.term_grid.cellHovered.emit(costliest)
    assert "log-loss-live" in nav.progress.done


def test_the_latent_check_wants_a_click_that_decodes_a_bright_top_left(window, qtbot):
    nav = enter(window, "generator")
    canvas = window.workbench.latent.canvas
    snapshot = window.controller.snapshot
    grid = np.stack(np.meshgrid(np.linspace(0, 1, 41), np.linspace(0, 1, 41)), -1).reshape(-1, 2)
    top_left = np.array([snapshot.decode(z)[0] for z in grid])
    dark, bright = grid[np.argmin(top_left)], grid[np.argmax(top_left)]
    assert top_left.max() > 0.8 > top_left.min()
    canvas.set_probe(dark)
    nav.evaluate()
    assert "generator" not in nav.progress.done
    qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport_pos(bright))
    qtbot.wait(50)
    assert canvas.probe is not None and snapshot.decode(canvas.probe)[0] > 0.8
    assert "generator" in nav.progress.done


# ----- predictions ------------------------------------------------------------------------------

def test_a_prediction_is_recorded_and_its_outcome_said_once_run(window, qtbot):
    nav = enter(window, "kl-by-hand")
    assert nav.predict_box.isVisible() and "Choose what you expect" in nav.outcome_label.text()
    nav.choice_rows[1].button.click()  # "Smaller": the wrong guess
    assert nav.progress.answers["kl-by-hand"] == 1
    assert settings().value("lessons/answers/kl-by-hand") in (1, "1")
    assert not any(row.button.isEnabled() for row in nav.choice_rows)  # a guess is a guess
    assert nav.choice_rows[1].label.font().bold() and not nav.choice_rows[0].label.font().bold()
    assert "Now see for yourself" in nav.outcome_label.text()
    panel(window, "klPanel").set_source("slide:far")
    qtbot.wait(250)
    assert "It went the other way" in nav.outcome_label.text() and "Larger" in nav.outcome_label.text()
    assert "kl-by-hand" in nav.progress.done


def test_a_right_guess_without_a_check_is_said_at_once(window):
    nav = enter(window, "log-loss")
    right = STEPS[IDS.index("log-loss")].predict.answer
    nav.choose(right)
    assert "Your guess held" in nav.outcome_label.text()
    assert "log-loss" in nav.progress.done


def test_the_lecturer_reveals_answers_and_checks_hold_nothing_back(window):
    nav = enter(window, "random-pixels")
    assert not nav.reveal_button.isVisible()
    nav.lecturer_check.setChecked(True)
    assert settings().value("lessons/lecturer_mode") in (True, "true")
    assert nav.reveal_button.isVisible()
    nav.reveal_button.click()
    assert "Answer:" in nav.outcome_label.text()
    nav.next()  # nothing trained, yet the lecturer moves on with the step marked done
    assert "random-pixels" in nav.progress.done and nav.step.id == "denoising"


# ----- navigation -------------------------------------------------------------------------------

def test_page_down_and_up_move_the_path_from_anywhere_and_space_still_trains(window, qtbot):
    nav = window.lessons
    nav.go_to(0)
    mse_cell = panel(window, "msePanel").y_grid.findChildren(QLineEdit)[0]
    mse_cell.setFocus()
    QTest.keyClick(mse_cell, Qt.Key.Key_PageDown)
    assert nav.index == 1
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert nav.index == 3
    QTest.keyClick(window, Qt.Key.Key_PageUp)
    assert nav.index == 2
    window.tabs.setCurrentIndex(2)  # another tab: the keys still move the path
    QTest.keyClick(window, Qt.Key.Key_PageDown)
    assert nav.index == 3 and window.tabs.currentIndex() == 0
    window.workbench.page.diagram.setFocus()
    QTest.keyClick(window.workbench.page.diagram, Qt.Key.Key_Space)
    assert window.controller.running
    window.controller.pause()
    window.controller.wait_until_idle()
    assert nav.index == 3


def test_the_step_list_jumps_anywhere(window, qtbot):
    nav = window.lessons
    target = IDS.index("kl-by-hand")
    item = nav.step_list.item(target)
    nav.step_list.scrollToItem(item)
    rect = nav.step_list.visualItemRect(item)
    QTest.mouseClick(nav.step_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert nav.index == target and read_screen(window).large == "klPanel"


def test_leaving_keeps_the_window_and_resume_sets_the_step_up_again(window):
    nav = enter(window, "mse-by-hand")
    assert nav.follow_button.text() == "Leave the path"
    nav.follow_button.click()
    assert not nav.following and not nav.highlighter.names
    window.workbench.docks["latent"].setVisible(True)
    panel(window, "msePanel").set_source("slide:good")
    assert read_screen(window).source_map["msePanel"] == "slide:good"
    assert "latent" in read_screen(window).visible  # the window stays as the learner made it
    assert nav.follow_button.text().startswith(("Resume", "Start"))
    nav.follow_button.click()
    shown = read_screen(window)
    assert nav.following and shown.source_map["msePanel"] == "slide:bad" and "latent" not in shown.visible


def test_show_every_view_brings_hidden_views_back(window):
    enter(window, "kl-by-hand")
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    next(a for a in view.actions() if a.text() == "Show &every view").trigger()
    assert set(read_screen(window).visible) >= set(PAGE_VIEWS) | {"latent"}
    assert set(DOCK_VIEWS) - set(read_screen(window).visible) <= {"sigmoidPanel", "msePanel", "logLossPanel",
                                                                   "klPanel"}


def test_progress_survives_a_restart(qtbot):
    first = make_window(qtbot)
    nav = first.lessons
    nav.go_to(IDS.index("log-loss"))
    nav.choose(0)
    nav.next()
    nav.lecturer_check.setChecked(True)
    done, answers, index = set(nav.progress.done), dict(nav.progress.answers), nav.index
    first.close()
    second = make_window(qtbot)
    again = second.lessons
    assert again.index == index and again.step.id == "log-loss-live"
    assert again.progress.done == done and "log-loss" in done
    assert again.progress.answers == answers == {"log-loss": 0}
    assert again.lecturer_check.isChecked()
    assert not again.following and again.follow_button.text() == f"Resume step {index + 1}"
    assert again.step_list.item(IDS.index("log-loss")).text().startswith("✓")
    second.close()


def test_a_broken_lesson_file_gives_its_message_and_the_rest_loads(qtbot, tmp_path):
    good = (LESSON_DIR / "01_lecture.toml").read_text(encoding="utf-8")
    (tmp_path / "01_lecture.toml").write_text(good.replace('large = "sigmoidPanel"\n',
                                                           'large = "sigmoidPanel"\nmodel = "gan"\n', 1),
                                              encoding="utf-8")
    (tmp_path / "02_extra.toml").write_text("this is = = not toml", encoding="utf-8")
    window = MainWindow()
    qtbot.addWidget(window)
    nav = install_lesson_path(window, tmp_path)
    problems = nav.problem_label.text()
    assert nav.problem_label.isVisibleTo(window.lesson_dock)
    assert "01_lecture.toml, step 'sigmoid'" in problems and "'gan'" in problems
    assert "02_extra.toml" in problems
    assert [s.id for s in nav.steps] == [i for i in IDS if i != "sigmoid"]
    window.close()


def test_pretrained_recipes_are_the_case_studies_own_settings():
    from desktop_app.case_studies.denoising_study import DEFAULT_CONFIG as DENOISING
    from desktop_app.case_studies.generation_study import DEFAULT_CONFIG as GENERATION
    from engine.digits.pretrained import RECIPES

    assert RECIPES["dae"][0] == DENOISING and RECIPES["vae"][0] == GENERATION


def test_a_newcomer_starts_on_the_first_step_and_a_returning_learner_where_they_left(qtbot):
    from desktop_app.lessons.install import welcome_newcomer

    window = make_window(qtbot)
    nav = window.lessons
    assert nav.progress.current is None and not nav.following  # a fresh settings folder: never on the path
    window.lesson_dock.hide()
    assert welcome_newcomer(window)
    assert nav.following and nav.index == 0 and window.lesson_dock.isVisible()
    assert set(read_screen(window).visible) == set(STEPS[0].screen.visible)  # not the whole workbench at once
    nav.go_to(3)
    window.close()
    again = make_window(qtbot)  # the next start
    assert not welcome_newcomer(again) and again.lessons.progress.current == STEPS[3].id
    again.close()


def test_someone_who_used_the_app_before_or_has_trained_work_is_not_moved_onto_the_path(qtbot):
    from desktop_app.lessons.install import welcome_newcomer

    window = make_window(qtbot)
    window.controller.step(3)
    window.controller.wait_until_idle(60)
    assert not welcome_newcomer(window) and window.controller.session.epoch == 3  # a restored autosave stays
    window.close()  # its layout is remembered: the app was used here
    again = make_window(qtbot)
    assert again.lessons.progress.current is None and not welcome_newcomer(again)
    assert not again.lessons.following
    again.close()


def test_a_step_the_training_host_cannot_make_says_so_and_the_path_goes_on(window, monkeypatch):
    """A shipped model missing or damaged: the host refuses the step's session (its
    ValueError arrives as a HostError) and the step says so instead of raising."""
    import desktop_app.lessons.step_sessions as step_sessions
    from engine.core.session_recipe import SessionRecipe
    from engine.digits.pretrained import RECIPES

    real = step_sessions.recipe_for

    def missing(state):
        if state.tab == "generation" and state.epoch:
            config, epochs = RECIPES["vae"]
            return SessionRecipe(config, epochs, "no-such-model")
        return real(state)

    monkeypatch.setattr(step_sessions, "recipe_for", missing)
    nav = window.lessons
    trained = next(k for k, s in enumerate(STEPS) if s.screen.tab == "generation" and s.screen.epoch)
    nav.go_to(trained)
    assert "could not be set up" in nav.status_label.text() and "no pre-trained model" in nav.status_label.text()
    assert not nav.following
    monkeypatch.undo()
    nav.go_to(0)
    assert nav.following and nav.index == 0
