"""Lesson files: TOML a lecturer edits by hand, read into plain steps and checked.

A file holds a ``title`` and ``[[step]]`` tables (see assets/lessons/README.md for the
format). Every name a step uses is checked here, in one place: views, model, dataset,
panel sources (examples), checks, formulas, highlights. A step that names something
unknown is refused with a message naming the file, the step and the unknown word; the
other steps of the file still load. A file that is not TOML at all is refused whole.
Qt-free, so the format is tested without a window.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_app.lessons.checks import CHECKS
from desktop_app.state.screen import VIEWS, ScreenState, screen_problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover (Python 3.10)
    import tomli as tomllib

LESSON_DIR = Path(__file__).resolve().parents[2] / "assets" / "lessons"
#: Widgets of the case-study tabs a step may highlight (their objectNames).
CASE_STUDY_VIEWS = ("denoisingRows", "denoisingPsnrPlot", "drawPad", "generationLatentCanvas", "generationSamples")
#: Parts of a teaching panel a step may highlight; while presented, the panel's other parts step aside.
PANEL_PARTS = ("sigmoidCurve", "sigmoidTable", "perceptronStep")
HIGHLIGHTS = VIEWS + CASE_STUDY_VIEWS + PANEL_PARTS
#: A step may show the formula of one of these panels, exactly as that panel renders it.
FORMULAS = ("sigmoidPanel", "msePanel", "logLossPanel", "klPanel")
STEP_KEYS = {"id", "title", "text", "action", "screen", "highlight", "check", "formula", "predict"}
SCREEN_KEYS = {"tab", "visible", "large", "model", "dataset", "loss", "seed", "epoch", "selected", "sources"}
PREDICT_KEYS = {"question", "choices", "answer", "why"}


@dataclass(frozen=True)
class Prediction:
    """Predict, then see: the learner picks one of ``choices`` before running."""

    question: str
    choices: tuple[str, ...]
    answer: int  # index into choices
    why: str


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    text: str
    action: str
    screen: ScreenState
    highlight: tuple[str, ...]
    check: str | None = None
    formula: str | None = None
    predict: Prediction | None = None


@dataclass(frozen=True)
class Lesson:
    path: Path
    title: str
    steps: tuple[Step, ...]
    problems: tuple[str, ...]  # one message per refused step (or the whole file)


class StepError(ValueError):
    """A step that cannot load; the message names the unknown word."""


def load_lesson(path: str | Path) -> Lesson:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Lesson(path, path.stem, (), (f"{path.name}: not a readable lesson file ({exc}).",))
    steps, problems, seen = [], [], set()
    raw_steps = data.get("step", [])
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(f"{path.name}: no [[step]] tables.")
        raw_steps = []
    for number, raw in enumerate(raw_steps, start=1):
        name = raw.get("id", f"#{number}") if isinstance(raw, dict) else f"#{number}"
        try:
            step = parse_step(raw)
            if step.id in seen:
                raise StepError(f"the id {step.id!r} is used twice")
            seen.add(step.id)
            steps.append(step)
        except StepError as exc:
            problems.append(f"{path.name}, step {name!r}: {exc}. The step is left out.")
    return Lesson(path, str(data.get("title", path.stem)), tuple(steps), tuple(problems))


def load_lessons(folder: str | Path = LESSON_DIR) -> list[Lesson]:
    """Every ``*.toml`` in ``folder``, in name order."""
    return [load_lesson(p) for p in sorted(Path(folder).glob("*.toml"))]


def parse_step(raw: object) -> Step:
    if not isinstance(raw, dict):
        raise StepError("a step must be a table")
    _known_keys(raw, STEP_KEYS, "key")
    text = {key: _text(raw, key) for key in ("id", "title", "text", "action")}
    screen = parse_screen(raw.get("screen", {}))
    highlight = _names(raw.get("highlight", list(screen.visible if screen.large is None else [screen.large])),
                       "highlight")
    for word in highlight:
        _known(word, HIGHLIGHTS, "view")
    check = raw.get("check")
    if check is not None:
        _known(check, tuple(CHECKS), "check")
    formula = raw.get("formula")
    if formula is not None:
        _known(formula, FORMULAS, "formula")
    predict = parse_prediction(raw["predict"]) if "predict" in raw else None
    return Step(text["id"], text["title"], text["text"], text["action"], screen, highlight, check, formula, predict)


def parse_screen(raw: object) -> ScreenState:
    if not isinstance(raw, dict):
        raise StepError("screen must be a table")
    _known_keys(raw, SCREEN_KEYS, "screen key")
    values = dict(raw)
    if "visible" in values:
        values["visible"] = _names(values["visible"], "visible")
    sources = values.pop("sources", {})
    if not isinstance(sources, dict):
        raise StepError("sources must be a table of panel = source")
    values["sources"] = tuple((str(k), str(v)) for k, v in sources.items())
    state = _unchecked(values)
    problem = screen_problem(state)
    if problem:
        raise StepError(problem)
    return state


def _unchecked(values: dict) -> ScreenState:
    """A ScreenState built without its own check, so the problem reads as a step's."""
    defaults = ScreenState()
    state = object.__new__(ScreenState)
    for name in ScreenState.__dataclass_fields__:
        object.__setattr__(state, name, values.get(name, getattr(defaults, name)))
    return state


def parse_prediction(raw: object) -> Prediction:
    if not isinstance(raw, dict):
        raise StepError("predict must be a table")
    _known_keys(raw, PREDICT_KEYS, "predict key")
    choices = raw.get("choices")
    if not isinstance(choices, list) or len(choices) < 2 or not all(isinstance(c, str) and c for c in choices):
        raise StepError("predict.choices must list at least two texts")
    answer = raw.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= len(choices):
        raise StepError(f"predict.answer must be a choice's number, 1 to {len(choices)}, not {answer!r}")
    return Prediction(_text(raw, "question"), tuple(choices), answer - 1, _text(raw, "why"))


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise StepError(f"{key!r} is missing or empty")
    return " ".join(value.split()) if key != "text" else value.strip()


def _names(value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise StepError(f"{key} must be a list of names")
    return tuple(value)


def _known(word: object, allowed: tuple[str, ...], kind: str) -> None:
    if word not in allowed:
        raise StepError(f"unknown {kind} {word!r} (known: {', '.join(allowed)})")


def _known_keys(raw: dict, allowed: set[str], kind: str) -> None:
    for key in raw:
        if key not in allowed:
            raise StepError(f"unknown {kind} {key!r} (known: {', '.join(sorted(allowed))})")

