"""What both case studies share: a controller built on first use, run controls, progress.

The digits and the network are only loaded when the tab is first shown or Play is
pressed, so the window opens fast. A study may train companions beside its main
model (the plain autoencoder next to the VAE): Play, Stop, one epoch and Reset then
drive them all, each on its own worker thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.case_studies.progress import RunControls
from desktop_app.companion_run import CompanionRun
from desktop_app.controller import TrainingController
from desktop_app.frames.live_view import LiveView
from desktop_app.required_hooks import hook
from desktop_app.theme import Theme
from desktop_app.widgets.wrapping_rows import wrap_layout
from engine.core.config import TrainingConfig
from engine.core.record import SessionRecord
from engine.digits.study_figures import RunProgress


class PageLayout(QVBoxLayout):
    """A page's column that fills the scroll area's view and only scrolls below its
    minimum size: without this, word-wrapped labels make Qt size the page by its
    preferred height (height-for-width) and it scrolls even on a large screen."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False


class LiveStudy(LiveView, QWidget):
    """Subclasses give ``initial_config`` and ``draw``; the rest is shared. The page
    draws in the frame's first half, and not at all while hidden (another tab)."""

    def __init__(self, theme: Theme, prefix: str, default_epochs: int, parent: QWidget | None = None,
                 step_key: bool = True) -> None:
        super().__init__(parent)
        self.theme = theme
        self.prefix = prefix  # of the page's object names
        self._controller: TrainingController | None = None
        self._run_start = 0
        self._run_target = 0
        self._halted = True  # Stop (or nothing started): companions must not start on their own
        # The page scrolls when it is smaller than its content (presentation scale on a
        # small screen) instead of forcing the window past the screen's edge.
        self.content = QWidget(self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)
        self.page = PageLayout(self.content)  # the study's own layout goes here
        self.run_controls = RunControls(theme, prefix, default_epochs, self, step_key=step_key)
        self.run_controls.playToggled.connect(self.toggle_play)
        self.run_controls.stepRequested.connect(lambda: self.step(1))
        self.run_controls.stopRequested.connect(self.stop)
        self.run_controls.resetRequested.connect(self.reset)

    # ----- the page's top -------------------------------------------------------------------
    def add_page_head(self, title: str, settings: QHBoxLayout, headline_size: float) -> None:
        """Title, run controls, the study's settings (wrapping on a narrow screen), an error
        line shown only while there is something to say, and the headline the study writes
        its figures into (``<prefix>ErrorLabel``, ``<prefix>Headline``)."""
        t = self.theme
        heading = QLabel(title)
        heading.setFont(t.font(1.35, bold=True))
        heading.setWordWrap(True)
        heading.setObjectName("caseStudyTitle")  # a presented lesson step says it in its own title
        self.page.addWidget(heading)
        self.page.addWidget(self.run_controls)
        self.page.addWidget(wrap_layout(settings, t, self))
        self.error_label = QLabel("", self)
        self.error_label.setObjectName(f"{self.prefix}ErrorLabel")
        self.error_label.setAccessibleName(f"{self.prefix}ErrorLabel")
        self.error_label.setStyleSheet(f"color: {t.error.name()}")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.page.addWidget(self.error_label)
        self.headline = QLabel("", self)
        self.headline.setObjectName(f"{self.prefix}Headline")
        self.headline.setAccessibleName(f"{self.prefix}Headline")
        self.headline.setFont(t.font(headline_size))
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        self.page.addWidget(self.headline)

    def show_error(self, message: str | None) -> None:
        """Say ``message`` under the settings; None (or empty) hides the line."""
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))

    # ----- to override ---------------------------------------------------------------------
    @hook
    def initial_config(self) -> TrainingConfig:
        """The main model's first configuration (the study's defaults)."""

    def companion_runs(self) -> list[CompanionRun]:
        """Models trained alongside the main one, kept at its epoch (none by default)."""
        return []

    def companions(self) -> list[TrainingController]:
        return [run.companion for run in self.companion_runs()]

    def on_started(self, controller: TrainingController) -> None:
        """Called once, right after the main controller is built."""

    # ----- the controller, built on first use -------------------------------------------------
    @property
    def started(self) -> bool:
        return self._controller is not None

    @property
    def controller(self) -> TrainingController:
        if self._controller is None:
            self._build_controller(None)
        return self._controller

    def start(self, session: SessionRecord | None = None) -> None:
        """Load the digits and build the network now (idempotent); ``session``: show and
        continue that one instead (opened from a file), without building a fresh one first."""
        if self._controller is None:
            self._build_controller(session)
        elif session is not None:
            self._controller.set_session(session)

    def _build_controller(self, session: SessionRecord | None) -> None:
        controller = TrainingController(self.initial_config(), parent=self, session=session)
        self._controller = controller
        self.follow_frames(controller)
        controller.snapshotChanged.connect(lambda _snapshot: self._show_progress())
        controller.runningChanged.connect(lambda _running: self._show_progress())
        controller.sessionReplaced.connect(lambda _session: self._forget_run())
        self.on_started(controller)
        self.render(controller.snapshot)
        self._show_progress()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)  # LiveView's: catches up if a snapshot came while hidden
        if not self.started:  # after this paint, so the tab appears at once
            QTimer.singleShot(0, self._start_if_visible)

    def _start_if_visible(self) -> None:
        if self.isVisible():
            self.start()

    def _all(self) -> list[TrainingController]:
        return [self.controller, *self.companions()]

    # ----- running ---------------------------------------------------------------------------
    def toggle_play(self) -> None:
        if self.controller.running:
            self.stop()
        else:
            self.play()

    def play(self) -> None:
        """Train ``epochs per run`` more epochs, then stop; companions train up to the
        same epoch."""
        self._begin_run(self.run_controls.epochs_per_run)
        if self.controller.latest_epoch < self._run_target:
            self.controller.set_stop_at(epoch=self._run_target)
            self.controller.play()
        for run in self.companion_runs():
            run.keep_up(self._run_target)
        self._show_progress()

    def step(self, epochs: int = 1) -> str | None:
        """Exactly ``epochs`` more epochs of the main model (companions to the same epoch)."""
        if self.controller.running:
            return "Training is running: stop it first."
        error = self._begin_run(epochs)
        if error:
            return error
        self.controller.step(epochs)
        for run in self.companion_runs():
            run.keep_up(self._run_target)
        self._show_progress()
        return None

    def _begin_run(self, epochs: int) -> str | None:
        if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
            return "The number of epochs must be a whole number of at least 1."
        self._halted = False
        self._run_start = self.controller.latest_epoch
        self._run_target = self._run_start + epochs
        return None

    @property
    def run_target(self) -> int | None:
        """The epoch the current run trains to; None after Stop."""
        return None if self._halted else self._run_target

    def stop(self) -> None:
        """Stop after the epoch under way; the weights are kept and Play continues."""
        self._halted = True
        for controller in self._all():
            controller.pause()

    def reset(self) -> None:
        self._halted = True
        for controller in self._all():
            controller.reset()

    def wait_until_idle(self, timeout: float = 60.0) -> bool:
        """For scripts and tests: wait for every model of the study to finish its run."""
        return all([c.wait_until_idle(timeout) for c in self._all()])

    def shutdown(self) -> None:
        if self._controller is not None:
            for controller in self._all():
                controller.shutdown()

    # ----- progress ----------------------------------------------------------------------------
    def _forget_run(self) -> None:
        self._run_start = self._run_target = 0

    def _show_progress(self) -> None:
        if self._controller is None:
            return
        c = self._controller
        progress = RunProgress(c.snapshot.epoch, self._run_start, self._run_target, c.epochs_per_second)
        self.run_controls.show_progress(progress, c.running)
