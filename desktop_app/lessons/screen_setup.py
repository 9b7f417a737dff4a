"""Put a ``ScreenState`` on the window, and read the window back as one.

``apply_screen`` sets the window up completely from the state alone: the tab, the
workbench views shown (the rest hidden) and which is large (its ``WorkbenchState``,
set by the same ``apply_workbench`` as a saved session's), a fresh session with the
state's model, data, loss and seed trained synchronously to its epoch (the same numbers
every time: same seed, same epochs), the selected image and each panel's source. A
case-study tab gets its digit model fresh or pre-trained (``engine.digits.pretrained``).
``read_screen`` reports what the window shows, measured on its widgets, so a test can
compare the two.
"""

from __future__ import annotations

from desktop_app.lessons.step_sessions import StepSessions, make_session
from desktop_app.state.screen import PANEL_SOURCES, STEP_PARTS, TABS, ScreenState
from desktop_app.workbench_state import apply_workbench, read_workbench
from desktop_app.workbench_views import hide_views_left_out, show_every_view, view_widget
from engine.core.session import TrainingSession
from engine.digits.settings import case_study_config

__all__ = ["apply_screen", "read_screen", "show_every_view", "step_session", "view_widget"]


def step_session(state: ScreenState, sessions: StepSessions | None) -> TrainingSession:
    """A fresh session at epoch 0, or the step's trained one (made ahead when possible)."""
    if state.epoch == 0:
        return make_session(state) if state.tab == "workbench" else TrainingSession(case_study_config(state.model))
    return sessions.session_for(state) if sessions is not None else make_session(state)


def apply_screen(window, state: ScreenState, sessions: StepSessions | None = None) -> None:
    """Set ``window`` (a MainWindow) up as ``state`` says; ``sessions`` keeps trained ones."""
    window.tabs.setCurrentIndex(TABS.index(state.tab))
    if state.tab == "workbench":
        _apply_workbench(window, state, sessions)
    else:
        _apply_study(window, state, sessions)


def _apply_workbench(window, state: ScreenState, sessions: StepSessions | None) -> None:
    """The step's session, then its workbench part, set as a saved session's is."""
    controller = window.controller
    controller.shutdown()  # nothing may train a session while it is rewound
    hide_views_left_out(window.workbench, state.visible)  # out of sight: the new session is not drawn there
    controller.adopt(step_session(state, sessions))
    apply_workbench(window.workbench, state.workbench(), STEP_PARTS)


def _apply_study(window, state: ScreenState, sessions: StepSessions | None) -> None:
    study = window.denoising if state.tab == "denoising" else window.generation
    study.start()
    study.stop()
    if state.tab == "generation":
        study.set_compare(False)
    study.controller.shutdown()
    study.controller.adopt(step_session(state, sessions))


def read_screen(window) -> ScreenState:
    """What the window shows now, as a ScreenState."""
    tab = TABS[window.tabs.currentIndex()]
    if tab != "workbench":
        study = window.denoising if tab == "denoising" else window.generation
        c = study.controller
        return ScreenState(tab=tab, visible=(), model=c.config.model, dataset=c.config.dataset,
                           loss=c.config.loss, seed=c.config.seed, epoch=c.snapshot.epoch)
    controller = window.controller
    bench = read_workbench(window.workbench, views=True)
    sources = tuple((panel, bench.panels[panel].source) for panel in PANEL_SOURCES if panel in bench.visible)
    c = controller.config
    return ScreenState(tab=tab, visible=bench.visible, large=bench.large, model=c.model, dataset=c.dataset,
                       loss=c.loss, seed=c.seed, epoch=controller.snapshot.epoch, selected=bench.selected,
                       sources=sources)
