"""The whole app as one saved session: every tab's models and everything around them.

``capture`` reads the window into ``AppContents``: the sessions' mirrors by name (frozen
copies, safe to write from another thread while training goes on) and the app state
as plain JSON (each tab's screen state, the lesson position, the window layout).
``apply_contents`` puts a window back exactly as captured. The file format itself is
the engine's (``engine.files.persistence.save_bundle``/``load_bundle``); nothing here reads
or writes bytes.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QByteArray

from desktop_app.case_studies.study_state import check_denoising_state, check_generation_state
from desktop_app.frozen_session import freeze
from desktop_app.workbench_state import apply_workbench_state, check_workbench_state, workbench_state

STATE_VERSION = 1
WORKBENCH, DENOISING, GENERATION, GENERATION_AE = "workbench", "denoising", "generation", "generation_ae"


@dataclass(frozen=True)
class AppContents:
    """What a session file holds: session records by name, and JSON for the rest."""

    sessions: Mapping[str, Any]
    app_state: dict = field(default_factory=dict)


# ----- reading the window -------------------------------------------------------------------
def live_sessions(window) -> dict[str, Any]:
    """The sessions on screen right now (their mirrors), by the name they are saved under."""
    sessions = {WORKBENCH: window.controller.session}
    if window.denoising.started:
        sessions[DENOISING] = window.denoising.controller.session
    if window.generation.started:
        sessions[GENERATION] = window.generation.controller.session
        if window.generation.autoencoder is not None:
            sessions[GENERATION_AE] = window.generation.autoencoder.session
    return sessions


def screen_state(window) -> dict:
    """Every tab's screen state and the lesson position (the layout is separate)."""
    state = {
        "version": STATE_VERSION,
        "tab": window.tabs.currentIndex(),
        "workbench": workbench_state(window.workbench),
        "denoising": window.denoising.screen_state(),
        "generation": window.generation.screen_state(),
    }
    lesson_state = getattr(window, "lesson_state", None)
    if callable(lesson_state):
        state["lesson"] = lesson_state()
    return state


def capture(window) -> AppContents:
    """A consistent copy of the whole app, even while models train."""
    sessions = {name: freeze(session) for name, session in live_sessions(window).items()}
    state = screen_state(window)
    state["layout"] = layout_state(window)
    return AppContents(sessions, state)


class Fingerprint:
    """What the app holds, cheaply compared: which session objects with which newest
    snapshot (weak references: an old fingerprint keeps no session alive, and a freed
    one never matches a new object at the same address), and the screen state as JSON."""

    def __init__(self, sessions: Mapping[str, Any], screen: str) -> None:
        self._models = {name: (weakref.ref(s), weakref.ref(s.latest), s.epoch) for name, s in sessions.items()}
        self._screen = screen

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fingerprint) or self._screen != other._screen:
            return False
        if self._models.keys() != other._models.keys():
            return False
        return all(_same(self._models[name], other._models[name]) for name in self._models)

    __hash__ = None  # compared, never hashed


def _same(a: tuple, b: tuple) -> bool:
    return a[2] == b[2] and all(x() is not None and x() is y() for x, y in zip(a[:2], b[:2], strict=True))


def fingerprint(window) -> Fingerprint:
    """Changes only when something worth saving changed: a model trained, was edited or
    replaced, or the screen state moved (the layout alone does not count)."""
    return Fingerprint(live_sessions(window), json.dumps(screen_state(window), sort_keys=True, default=str))


# ----- the layout ----------------------------------------------------------------------------------
def _encode(data: QByteArray) -> str:
    return bytes(data.toBase64()).decode("ascii")


def _decode(text: object) -> QByteArray:
    if not isinstance(text, str):
        raise ValueError("a saved layout is not text")
    return QByteArray.fromBase64(text.encode("ascii"))


def layout_state(window) -> dict:
    """Where the docks, toolbars and splitters are (Qt's own saveState, base64)."""
    page = window.workbench.page
    return {"window": _encode(window.saveState()), "workbench": _encode(window.workbench.saveState()),
            "splitters": {key: _encode(s.saveState()) for key, s in page.splitters.items()}}


def check_layout(layout: object) -> None:
    """Qt reads any bytes as a layout (it ignores what it cannot use); only the form is checked."""
    if not isinstance(layout, Mapping):
        raise ValueError("its window layout is not a table")
    splitters = layout.get("splitters", {})
    texts = [layout.get("window", ""), layout.get("workbench", ""),
             *(splitters.values() if isinstance(splitters, Mapping) else [None])]
    if not all(isinstance(text, str) for text in texts):
        raise ValueError("its window layout is not text")


def apply_layout(window, layout: object) -> None:
    if not isinstance(layout, Mapping):
        return
    if "window" in layout:
        window.restoreState(_decode(layout["window"]))
    if "workbench" in layout:
        window.workbench.restoreState(_decode(layout["workbench"]))
    for key, text in dict(layout.get("splitters", {})).items():
        if key in window.workbench.page.splitters:
            window.workbench.page.splitters[key].restoreState(_decode(text))


# ----- putting it back -------------------------------------------------------------------------------
def check_contents(window, contents: AppContents) -> None:
    """Raise ValueError saying what is wrong, before anything on screen changes."""
    try:
        _check_contents(window, contents)
    except (TypeError, KeyError, IndexError, AttributeError) as exc:  # a value of the wrong form
        raise ValueError(f"its screen state has a value of the wrong kind ({exc!s:.120})") from exc


def _check_contents(window, contents: AppContents) -> None:
    state = contents.app_state
    if not isinstance(state, Mapping):
        raise ValueError("the app state is not a table")
    version = state.get("version", STATE_VERSION)
    if not isinstance(version, int) or version > STATE_VERSION:
        raise ValueError(f"its screen state is version {version}, newer than this app reads ({STATE_VERSION})")
    if WORKBENCH not in contents.sessions:
        raise ValueError("it holds no workbench session")
    tab = state.get("tab", 0)
    if isinstance(tab, bool) or not isinstance(tab, int) or not 0 <= tab < window.tabs.count():
        raise ValueError("its current tab does not exist")
    if "workbench" in state:
        check_workbench_state(window.workbench, state["workbench"])
    if "denoising" in state:
        check_denoising_state(window.denoising, state["denoising"])
    if "generation" in state:
        check_generation_state(window.generation, state["generation"])
    check_lesson = getattr(window, "check_lesson_state", None)
    if callable(check_lesson) and "lesson" in state:
        check_lesson(state["lesson"])
    check_layout(state.get("layout", {}))


def apply_contents(window, contents: AppContents) -> None:
    """Replace every tab by the captured one (call ``check_contents`` first)."""
    state, sessions = contents.app_state, contents.sessions
    window.controller.set_session(sessions[WORKBENCH])
    if "workbench" in state:
        apply_workbench_state(window.workbench, state["workbench"])
    if DENOISING in sessions or window.denoising.started or "denoising" in state:
        window.denoising.apply_screen_state(state.get("denoising", {}), sessions.get(DENOISING))
    if GENERATION in sessions or window.generation.started or "generation" in state:
        window.generation.apply_screen_state(state.get("generation", {}), sessions.get(GENERATION),
                                             sessions.get(GENERATION_AE))
    apply_lesson = getattr(window, "apply_lesson_state", None)
    if callable(apply_lesson) and "lesson" in state:
        apply_lesson(state["lesson"])
    apply_layout(window, state.get("layout", {}))
    window.tabs.setCurrentIndex(state.get("tab", 0))
