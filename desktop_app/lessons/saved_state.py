"""The lesson position as plain JSON, for a saved session file (``app_session`` calls the
window's ``lesson_state`` / ``check_lesson_state`` / ``apply_lesson_state`` hooks, which
``install_lesson_path`` sets to these).

The state is the step the learner is on (its id), the steps done, their answers to the
predictions, and whether they follow the path or explore freely. A key that is absent
leaves that part as it is (older files, files written without a lesson path); a value of
the wrong kind is refused with a clear message before anything changes; a step id this
app's lessons do not have (a lesson renamed since the file was saved) is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

CURRENT, DONE, ANSWERS, FOLLOWING = "current", "done", "answers", "following"


def lesson_state(navigator) -> dict:
    """Where the learner is on the path, as JSON (cheap: read on every autosave look)."""
    progress = navigator.progress
    return {CURRENT: navigator.step.id if navigator.steps else None,
            DONE: sorted(progress.done),
            ANSWERS: dict(sorted(progress.answers.items())),
            FOLLOWING: bool(navigator.following)}


def check_lesson_state(state: object) -> None:
    """Raise ValueError saying what is wrong with a saved lesson position."""
    if not isinstance(state, Mapping):
        raise ValueError("its lesson position is not a table")
    current = state.get(CURRENT)
    if current is not None and not isinstance(current, str):
        raise ValueError("its lesson step is not a step name")
    done = state.get(DONE, [])
    if not isinstance(done, list) or not all(isinstance(d, str) for d in done):
        raise ValueError("its finished lesson steps are not a list of step names")
    answers = state.get(ANSWERS, {})
    if not isinstance(answers, Mapping) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in answers.items()):
        raise ValueError("its lesson answers are not choices by step name")
    if not isinstance(state.get(FOLLOWING, False), bool):
        raise ValueError("whether the lesson path is followed is not yes or no")


def apply_lesson_state(navigator, state: object) -> None:
    """Put the learner back where the state says, on the window as the session left it."""
    check_lesson_state(state)
    steps = {step.id: step for step in navigator.steps}
    progress = navigator.progress
    done = progress.done
    if DONE in state:
        done = {d for d in state[DONE] if d in steps}
    answers = progress.answers
    if ANSWERS in state:
        answers = {k: v for k, v in state[ANSWERS].items() if _is_choice(steps.get(k), v)}
    progress.replace(done, answers)
    ids = list(steps)
    index = ids.index(state[CURRENT]) if state.get(CURRENT) in steps else navigator.index
    navigator.show_position(index, state.get(FOLLOWING, navigator.following))


def _is_choice(step, choice: int) -> bool:
    return step is not None and step.predict is not None and choice < len(step.predict.choices)
