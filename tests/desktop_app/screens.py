"""The tests' offscreen screens by name (tests/offscreen_screens.json, loaded by
tests/conftest.py): a fixture that needs a screen of a given size puts its window there,
so full screen and the first window's fit are measured on that screen, not guessed."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

PROJECTOR_720, PROJECTOR_1080, SMALL = "Projector720", "Projector1080", "Small"


def screen_named(name: str) -> QScreen:
    screens = {screen.name(): screen for screen in QGuiApplication.screens()}
    assert name in screens, f"no offscreen screen {name!r} (have {sorted(screens)}): see tests/offscreen_screens.json"
    return screens[name]


def put_on(window: QWidget, name: str) -> QScreen:
    """Place a window (before it is shown) at the top-left of the screen ``name``."""
    screen = screen_named(name)
    window.setScreen(screen)
    window.move(screen.availableGeometry().topLeft())
    return screen
