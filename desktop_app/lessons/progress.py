"""The learner's progress on the path, kept in the app's QSettings between runs:
the step they are on, the steps done, their answers to the predictions, and the
lecturer's setting."""

from __future__ import annotations

from desktop_app.settings import read_bool, settings

CURRENT, DONE, ANSWERS, LECTURER, SHOWN = (
    "lessons/current", "lessons/done", "lessons/answers", "lessons/lecturer_mode", "lessons/visible")


class Progress:
    """Read once, written through on every change (a crash loses nothing)."""

    def __init__(self) -> None:
        store = settings()
        self.current: str | None = store.value(CURRENT, None) or None
        done = store.value(DONE, "")
        self.done: set[str] = {d for d in (done if isinstance(done, str) else ",".join(done)).split(",") if d}
        store.beginGroup(ANSWERS)
        self.answers: dict[str, int] = {}
        for key in store.childKeys():
            try:
                self.answers[key] = int(store.value(key))
            except (TypeError, ValueError):
                continue  # a hand-edited value that is not a choice: ignored
        store.endGroup()
        self.lecturer_mode = read_bool(store, LECTURER, False)
        self.navigator_shown = read_bool(store, SHOWN, True)

    def set_current(self, step_id: str) -> None:
        self.current = step_id
        settings().setValue(CURRENT, step_id)

    def mark_done(self, step_id: str) -> bool:
        """True if the step was not done before."""
        if step_id in self.done:
            return False
        self.done.add(step_id)
        settings().setValue(DONE, ",".join(sorted(self.done)))
        return True

    def answer(self, step_id: str, choice: int) -> None:
        self.answers[step_id] = choice
        settings().setValue(f"{ANSWERS}/{step_id}", choice)

    def replace(self, done: set[str], answers: dict[str, int]) -> None:
        """Take the done marks and answers of an opened session file, written through."""
        store = settings()
        self.done = set(done)
        store.setValue(DONE, ",".join(sorted(self.done)))
        store.remove(ANSWERS)
        self.answers = {}
        for step_id, choice in answers.items():
            self.answer(step_id, choice)

    def set_lecturer_mode(self, on: bool) -> None:
        self.lecturer_mode = on
        settings().setValue(LECTURER, on)

    def set_navigator_shown(self, on: bool) -> None:
        self.navigator_shown = on
        settings().setValue(SHOWN, on)
