"""The lesson file format and the checks, without a window (these tests need no Qt)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from desktop_app.lessons.checks import CHECKS, Facts, check_holds
from desktop_app.lessons.lesson_file import FORMULAS, HIGHLIGHTS, LESSON_DIR, load_lesson, load_lessons
from desktop_app.state.screen import PANEL_SOURCES, VIEWS, ScreenState
from engine.core.config import DATASETS, MODEL_KINDS
from engine.lecture.loss_breakdowns import log_loss

GOOD_STEP = """
[[step]]
id = "{id}"
title = "A step"
text = "Some text."
action = "Do one thing."
{extra}
[step.screen]
{screen}
"""
DEFAULT_SCREEN = 'visible = ["networkDiagram", "msePanel"]\nlarge = "msePanel"\n'



def write(tmp_path: Path, *steps: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text('title = "Test"\n' + "".join(steps), encoding="utf-8")
    return path


def step(id: str = "s1", extra: str = "", screen: str = DEFAULT_SCREEN) -> str:  # noqa: A002 (the file's key)
    return GOOD_STEP.format(id=id, extra=extra, screen=screen)


def test_every_shipped_lesson_loads_and_uses_only_known_names():
    lessons = load_lessons(LESSON_DIR)
    assert lessons, "no lesson shipped"
    steps = [s for lesson in lessons for s in lesson.steps]
    assert all(not lesson.problems for lesson in lessons), [lesson.problems for lesson in lessons]
    assert len(steps) >= 16
    assert sum(s.predict is not None for s in steps) >= 5
    raw = "".join(p.read_text(encoding="utf-8") for p in LESSON_DIR.glob("*.toml"))
    assert raw.count("[[step]]") == len(steps)  # none left out silently
    for s in steps:
        assert set(s.screen.visible) <= set(VIEWS)
        assert s.screen.large is None or s.screen.large in s.screen.visible
        assert set(s.highlight) <= set(HIGHLIGHTS)
        assert s.screen.model in MODEL_KINDS and s.screen.dataset in DATASETS
        assert s.check is None or s.check in CHECKS
        assert s.formula is None or s.formula in FORMULAS
        for panel, key in s.screen.sources:
            assert key in PANEL_SOURCES[panel]
        if s.predict:
            assert 0 <= s.predict.answer < len(s.predict.choices)
    ids = [s.id for s in steps]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "book" and ids[-1] == "case-generation"


def test_the_path_follows_the_lecture():
    steps = load_lessons(LESSON_DIR)[0].steps
    text = " | ".join(s.title for s in steps).lower()
    order = ["book", "list of numbers", "two of information", "sigmoid", "perceptron", "4-2-4", "training",
             "squared error", "log-loss", "not secretly 2-dimensional", "denoising", "pca", "generator",
             "latent space", "variational", "kl divergence", "case study 1", "case study 2"]
    positions = [text.find(word) for word in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions, strict=True))
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))


@pytest.mark.parametrize(("screen", "extra", "word"), [
    ('visible = ["networkDiagram", "msePanel", "mesPanel"]', "", "mesPanel"),
    (DEFAULT_SCREEN + 'model = "gan"', "", "gan"),
    (DEFAULT_SCREEN + 'dataset = "cifar"', "", "cifar"),
    (DEFAULT_SCREEN + 'sources = { msePanel = "slide:ugly" }', "", "slide:ugly"),
    (DEFAULT_SCREEN, 'check = "trained_forever"', "trained_forever"),
    (DEFAULT_SCREEN, 'highlight = ["latentCanvasX"]', "latentCanvasX"),
    (DEFAULT_SCREEN, 'formula = "gradientPanel"', "gradientPanel"),
])
def test_a_step_with_an_unknown_word_is_refused_and_the_rest_loads(tmp_path, screen, extra, word):
    path = write(tmp_path, step("first"), step("broken", extra=extra, screen=screen), step("third"))
    lesson = load_lesson(path)
    assert [s.id for s in lesson.steps] == ["first", "third"]
    assert len(lesson.problems) == 1
    message = lesson.problems[0]
    assert "lesson.toml" in message and "'broken'" in message and repr(word) in message


def test_a_prediction_needs_choices_and_a_real_answer(tmp_path):
    bad = 'predict = { question = "Q?", choices = ["a", "b"], answer = 3, why = "w" }'
    good = 'predict = { question = "Q?", choices = ["a", "b"], answer = 2, why = "because" }'
    lesson = load_lesson(write(tmp_path, step("bad", extra=bad), step("good", extra=good)))
    assert [s.id for s in lesson.steps] == ["good"]
    assert lesson.steps[0].predict.answer == 1 and lesson.steps[0].predict.choices == ("a", "b")
    assert "answer" in lesson.problems[0]


def test_a_file_that_is_not_toml_is_refused_whole_with_its_name(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[[step]\nid = ", encoding="utf-8")
    lesson = load_lesson(path)
    assert lesson.steps == () and "broken.toml" in lesson.problems[0]


def test_case_study_steps_use_the_shipped_models_epochs(tmp_path):
    wrong = 'tab = "generation"\nvisible = []\nmodel = "vae"\ndataset = "mnist"\nloss = "logloss"\nepoch = 7'
    path = tmp_path / "case.toml"
    path.write_text(GOOD_STEP.format(id="case", extra="", screen=wrong), encoding="utf-8")
    lesson = load_lesson(path)
    assert lesson.steps == ()
    assert re.search(r"pre-trained \(epoch \d+\)", lesson.problems[0])


def test_duplicate_ids_are_refused(tmp_path):
    lesson = load_lesson(write(tmp_path, step("same"), step("same")))
    assert len(lesson.steps) == 1 and "twice" in lesson.problems[0]


def test_screen_state_validates_itself():
    assert ScreenState().tab == "workbench"
    with pytest.raises(ValueError, match="unknown view 'nowhere'"):
        ScreenState(visible=("nowhere",))
    with pytest.raises(ValueError, match="large view"):
        ScreenState(visible=("msePanel",), large="klPanel")


# ----- the checks, on hand-made facts -----------------------------------------------------------

def snap(epoch: int, reconstruction: float) -> SimpleNamespace:
    return SimpleNamespace(epoch=epoch, reconstruction_loss=reconstruction)


def test_reconstruction_check_holds_only_below_the_threshold():
    name = "reconstruction_below_0.01"
    assert not check_holds(name, Facts(snapshot=snap(300, 0.0101)))
    assert check_holds(name, Facts(snapshot=snap(300, 0.0099)))
    assert not check_holds(name, Facts(snapshot=snap(0, 0.001)))  # untrained: nothing was done
    assert not check_holds(name, Facts(snapshot=snap(300, float("nan"))))


def test_own_mse_check_wants_the_learners_own_y():
    x = np.array([[0.6, 0.4], [0.4, 0.6]])
    slide_good = np.array([[0.65, 0.42], [0.36, 0.59]])  # its MSE is 0.0046, but it is the slide's
    close = np.array([[0.62, 0.41], [0.38, 0.6]])  # 0.0004 + 0.0001 + 0.0004 = 0.0009
    far = np.array([[0.5, 0.5], [0.5, 0.5]])  # 4 × 0.01 = 0.04
    own = {"msePanel": "own"}
    assert check_holds("own_mse_below_0.01", Facts(sources=own, mse_xy=(x, close)))
    assert not check_holds("own_mse_below_0.01", Facts(sources=own, mse_xy=(x, far)))
    assert not check_holds("own_mse_below_0.01", Facts(sources=own, mse_xy=(x, slide_good)))
    assert not check_holds("own_mse_below_0.01", Facts(sources={"msePanel": "live"}, mse_xy=(x, close)))


def test_costliest_pixel_check_compares_with_the_engines_terms():
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    y = np.array([[0.9, 0.3], [0.1, 0.6]])
    terms = log_loss(x, y).terms.ravel()
    costliest = int(np.argmax(terms))
    assert costliest == 3  # −ln 0.6 = 0.51 beats −ln 0.7 = 0.36
    for pixel in range(4):
        facts = Facts(logloss_xy=(x, y), logloss_hovered=pixel)
        assert check_holds("costliest_logloss_pixel", facts) == (pixel == costliest)
    assert not check_holds("costliest_logloss_pixel", Facts(logloss_xy=(x, y), logloss_hovered=-1))


def test_latent_check_wants_a_click_that_decodes_bright():
    bright, dark = np.array([0.85, 0.1, 0.1, 0.85]), np.array([0.79, 0.2, 0.2, 0.79])
    name = "latent_top_left_above_0.8"
    assert check_holds(name, Facts(probe_moved=True, probe_values=bright))
    assert not check_holds(name, Facts(probe_moved=True, probe_values=dark))
    assert not check_holds(name, Facts(probe_moved=False, probe_values=bright))  # the set-up's, not a click


def test_sigmoid_and_training_checks():
    assert check_holds("sigmoid_at_least_0.99", Facts(sigmoid_input=4.6))  # σ(4.6) = 0.990
    assert not check_holds("sigmoid_at_least_0.99", Facts(sigmoid_input=4.5))  # σ(4.5) = 0.989
    assert check_holds("trained_300_epochs", Facts(snapshot=snap(450, 1.0), start_epoch=150))
    assert not check_holds("trained_300_epochs", Facts(snapshot=snap(449, 1.0), start_epoch=150))
    assert check_holds("denoiser_beats_pca", Facts(network_psnr=19.5, pca_psnr=15.1))
    assert not check_holds("denoiser_beats_pca", Facts(network_psnr=19.5, pca_psnr=None))
