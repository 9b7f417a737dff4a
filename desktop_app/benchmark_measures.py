"""How the GUI benchmark times the window: event-loop lag, latent clicks and drags.

- lag: how late each tick of a 10 ms precise timer comes while the real event loop
  runs (as ``app.exec`` runs it), in ms;
- a latent click or drag: from the mouse event sent to the canvas until the decoded
  image has repainted (``repaint`` paints at once), in ms.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

CLICK_BUDGET_P95_MS = 8.0  # latent click to decoded image repainted (README, Measured budgets)
TICK_MS = 10


def spin(app: QApplication, seconds: float) -> None:
    """Run the real event loop (as ``app.exec`` does) for ``seconds``."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def settle(app: QApplication) -> None:
    """Let the event loop finish what earlier events queued (repaints, deferred slots)."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        app.processEvents()


def timer_lateness(app: QApplication, seconds: float, until: Callable[[], bool] | None = None,
                   on_tick: Callable[[], None] | None = None) -> list[float]:
    """How late each tick of a 10 ms timer comes, in ms, while the event loop runs for
    ``seconds`` (or, with ``until``, until it says True, ``seconds`` at most).
    ``on_tick`` runs at every tick (e.g. to note when an epoch arrived)."""
    lags: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]
    loop = QEventLoop()

    def tick() -> None:
        now = clock.nsecsElapsed()
        lags.append(max(0.0, (now - last[0]) / 1e6 - TICK_MS))
        last[0] = now
        if on_tick is not None:
            on_tick()
        if until is not None and until():
            loop.quit()

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(TICK_MS)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    return lags[1:]


def lag_summary(lags: list[float]) -> dict:
    if not lags:
        return {"p95_ms": None, "max_ms": None, "samples": 0}
    return {"p95_ms": round(float(np.percentile(lags, 95)), 2), "max_ms": round(max(lags), 2),
            "samples": len(lags)}


def _latency_summary(times: list[float], **extra: object) -> dict:
    p95 = float(np.percentile(times, 95))
    return {"p95_ms": round(p95, 2), "max_ms": round(max(times), 2), **extra,
            "budget_p95_ms": CLICK_BUDGET_P95_MS, "met": p95 < CLICK_BUDGET_P95_MS}


def click_latency_ms(app: QApplication, canvas: QWidget, image: QWidget, clicks: int = 60) -> dict:
    """Mouse press on the canvas until the decoded image has repainted."""
    viewport = getattr(canvas, "viewport", lambda: canvas)()
    rng = np.random.default_rng(0)
    times = []
    for _ in range(clicks):
        x = int(rng.uniform(0.2, 0.8) * viewport.width())
        y = int(rng.uniform(0.2, 0.8) * viewport.height())
        settle(app)  # the previous click's follow-up repaints belong to that click, not this one
        clock = QElapsedTimer()
        clock.start()
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
        image.repaint()
        times.append(clock.nsecsElapsed() / 1e6)
        app.processEvents()
    return _latency_summary(times, clicks=clicks)


def _send(widget: QWidget, kind: QMouseEvent.Type, pos: QPoint, button: Qt.MouseButton,
          buttons: Qt.MouseButton) -> None:
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag_latency_ms(app: QApplication, canvas: QWidget, image: QWidget, moves: int = 60) -> dict:
    """A left-button drag across the canvas: each mouse move until the decoded image has
    repainted. Moves come about 80 times a second, as a hand on a mouse makes them."""
    viewport = getattr(canvas, "viewport", lambda: canvas)()
    width, height = viewport.width(), viewport.height()
    angles = np.linspace(0, 2 * np.pi, moves + 1)
    path = [QPoint(int(width * (0.5 + 0.25 * np.cos(a))), int(height * (0.5 + 0.25 * np.sin(a)))) for a in angles]
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _send(viewport, QMouseEvent.Type.MouseButtonPress, path[0], left, left)
    times = []
    for pos in path[1:]:
        settle(app)
        time.sleep(0.012)
        clock = QElapsedTimer()
        clock.start()
        _send(viewport, QMouseEvent.Type.MouseMove, pos, none, left)
        image.repaint()
        times.append(clock.nsecsElapsed() / 1e6)
    _send(viewport, QMouseEvent.Type.MouseButtonRelease, path[-1], left, none)
    settle(app)
    return _latency_summary(times, moves=moves)
