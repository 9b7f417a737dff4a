"""An animation export that keeps the window responsive and can be cancelled.

Frames are rendered on the GUI thread (Qt widgets live there) a few at a time from a
zero-interval timer, within ``TICK_BUDGET_S`` per turn of the event loop; encoding (the
palette reduction, PNG and H.264 compression) runs on a worker thread fed through a
small queue. Cancel or a failure removes the temporary: nothing half-written is left.
"""

from __future__ import annotations

import queue
import threading
import time

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal

from desktop_app.export.animation_plan import AnimationSettings, frame_epochs
from desktop_app.export.encoders import FrameWriter, open_writer
from desktop_app.export.frames import FrameRenderer, StoredRun, rgb_array
from desktop_app.theme import Theme

TICK_BUDGET_S = 0.03
QUEUE_FRAMES = 4  # frames waiting for the encoder: bounds memory when encoding is slower
_FINISH = object()


class AnimationJob(QObject):
    progressed = Signal(int, int)  # frames rendered, frames in all
    finished = Signal(str)  # the path written
    failed = Signal(str)  # a message for the learner
    cancelled = Signal()

    def __init__(self, settings: AnimationSettings, run: StoredRun, theme: Theme | None = None,
                 selected: int = 0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.run = run
        self.epochs = frame_epochs(run.epochs, settings.first_epoch, settings.last_epoch, settings.max_frames)
        self.theme = theme
        self.selected = selected
        self.done = 0
        self.state = "ready"  # ready, rendering, encoding, finished, failed, cancelled
        self.error = ""
        self._queue: queue.Queue = queue.Queue(QUEUE_FRAMES)
        self._stop = threading.Event()
        self._commit_lock = threading.Lock()  # Cancel and the final rename never cross
        self._encoder: threading.Thread | None = None
        self._writer: FrameWriter | None = None
        self._renderer: FrameRenderer | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._tick)

    @property
    def total(self) -> int:
        return len(self.epochs)

    def start(self) -> None:
        """Open the file and start rendering from the event loop (returns at once)."""
        s = self.settings
        try:
            self._writer = open_writer(s.kind, s.path, s.fps)
        except Exception as exc:  # noqa: BLE001 (a folder we may not write, a broken video writer)
            self._fail(f"Could not write {s.path}: {exc}")
            return
        self._renderer = FrameRenderer(self.run, s.views, s.width, s.height, self.theme, self.selected)
        self._encoder = threading.Thread(target=self._encode, name="animation-encoder", daemon=True)
        self._encoder.start()
        app = QCoreApplication.instance()
        if app is not None:  # the app quitting mid-export: remove the temporary, as Cancel does
            app.aboutToQuit.connect(self.cancel)
        self.state = "rendering"
        self._timer.start()

    def run_to_end(self) -> str:
        """For scripts: start, and run Qt's event loop until the export ends; the final state."""
        loop = QEventLoop()
        for signal in (self.finished, self.failed, self.cancelled):
            signal.connect(loop.quit)
        self.start()
        if self.state in ("rendering", "encoding"):
            loop.exec()
        return self.state

    def cancel(self) -> None:
        """Stop now; the temporary file or folder is removed before this returns."""
        if self.state not in ("rendering", "encoding"):
            return
        self._timer.stop()
        with self._commit_lock:
            self._stop.set()
        self._drain()
        if self._encoder is not None:
            self._encoder.join()
        self._close_renderer()
        self.state = "cancelled"
        self.cancelled.emit()

    # ----- GUI thread -------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.state == "encoding":
            self._check_encoder()
            return
        started = time.perf_counter()
        self._timer.setInterval(0)
        while self.done < self.total and time.perf_counter() - started < TICK_BUDGET_S:
            if self._queue.full() or self._encoder_failed():
                self._timer.setInterval(5)  # the encoder is behind (or gave up): look again in a moment
                break
            frame = rgb_array(self._renderer.render(self.epochs[self.done]))
            self._queue.put(frame)
            self.done += 1
            self.progressed.emit(self.done, self.total)
        if self._encoder_failed():
            self._check_encoder()
        elif self.done == self.total:
            self._queue.put(_FINISH)
            self._close_renderer()
            self.state = "encoding"
            self._timer.setInterval(20)  # only polling the encoder now

    def _check_encoder(self) -> None:
        if self._encoder is not None and self._encoder.is_alive():
            return
        self._timer.stop()
        self._close_renderer()
        if self.error:
            self._fail(self.error)
        else:
            self.state = "finished"
            self.finished.emit(str(self.settings.path))

    def _encoder_failed(self) -> bool:
        return bool(self.error)

    def _fail(self, message: str) -> None:
        self._timer.stop()
        self.state = "failed"
        self.error = message
        self.failed.emit(message)

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def _close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    # ----- encoder thread ---------------------------------------------------------------------
    def _encode(self) -> None:
        writer = self._writer
        try:
            while not self._stop.is_set():
                try:
                    item = self._queue.get(timeout=0.05)
                except queue.Empty:
                    continue
                if item is _FINISH:
                    writer.close()
                    with self._commit_lock:
                        if not self._stop.is_set():
                            writer.commit()
                            return
                    break
                writer.add(item)
            writer.abort()
        except Exception as exc:  # noqa: BLE001 (any failure: say so, leave nothing behind)
            writer.abort()
            self.error = f"Could not write {self.settings.path}: {exc}"
