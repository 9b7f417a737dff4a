"""The workbench page: the network diagram at the centre, the dataset on its left, the
reconstruction and the loss curve below it, and a timeline over past epochs.

Composition plus two small pieces of its own: the banner that says training diverged
(and offers a smaller learning rate), and the timeline that shows any past epoch and
can continue training from it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSlider, QSplitter, QVBoxLayout, QWidget

from desktop_app.controller import TrainingController
from desktop_app.frames.live_view import LiveView
from desktop_app.frames.opaque import paints_own_background
from desktop_app.theme import Theme
from desktop_app.views.dataset_view import DatasetView
from desktop_app.views.loss_plot import LossPlot
from desktop_app.views.network_diagram import NetworkDiagram
from desktop_app.views.reconstruction_view import ReconstructionView
from desktop_app.widgets.confirm import Confirm, dialog_confirm
from engine.core.snapshot import EpochSnapshot


class DivergedBanner(QFrame):
    """Says plainly that training blew up, where it stopped, and offers the usual cure."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("divergedBanner")
        self.controller = controller
        error = theme.error
        self.setStyleSheet(f"#divergedBanner {{ border: 2px solid {error.name()}; border-radius: 6px; "
                           f"background: {theme.heat_colour(0.15).name()}; }}")
        self.text = QLabel()
        self.text.setObjectName("divergedMessage")
        self.text.setWordWrap(True)
        self.text.setFont(theme.font(1.15, bold=True))
        self.text.setStyleSheet(f"color: {error.name()}; border: none; background: transparent;")
        self.lower_button = QPushButton("Divide the learning rate by 10")
        self.lower_button.setObjectName("lowerLearningRateButton")
        self.lower_button.setToolTip("A smaller step is the usual cure for a loss that blows up.")
        self.lower_button.clicked.connect(self.lower_learning_rate)
        self.back_button = QPushButton("Go back")
        self.back_button.setObjectName("divergedBackButton")
        self.back_button.setToolTip("Stand on the last epoch whose numbers are all finite, and train on from there.")
        self.back_button.clicked.connect(controller.go_back_to_last_finite)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("divergedResetButton")
        self.reset_button.setToolTip("Start again from fresh random weights, same settings and images.")
        self.reset_button.clicked.connect(controller.reset)
        self.restart_button = QPushButton("Restart training")
        self.restart_button.setObjectName("restartTrainingButton")
        self.restart_button.setToolTip("Start the training engine again and go on from the last epoch shown.")
        self.restart_button.clicked.connect(self.restart_training)
        close = QPushButton("Dismiss")
        close.setToolTip("Hide this message.")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        for button in (self.back_button, self.lower_button, self.reset_button, self.restart_button, close):
            layout.addWidget(button)
        controller.diverged.connect(self.show_message)
        controller.sessionReplaced.connect(lambda _s: self.hide())
        controller.runningChanged.connect(lambda running: self.hide() if running else None)
        self.hide()

    def show_message(self, message: str) -> None:
        """The message, and only the offer that can help (engine.core.divergence decides which)."""
        report = self.controller.divergence
        remedy = report.remedy if report is not None else "lower"
        self.lower_button.setVisible(remedy == "lower")
        self.back_button.setVisible(remedy == "go back")
        if report is not None and report.last_finite is not None:
            self.back_button.setText(f"Go back to epoch {report.last_finite:,}")
        self.reset_button.setVisible(remedy == "reset")
        self.restart_button.setVisible(remedy == "restart")
        self.text.setText(f"⚠  {message}")
        self.show()

    def restart_training(self) -> None:
        self.controller.restart_training()
        self.hide()

    def lower_learning_rate(self) -> None:
        self.controller.change(learning_rate=self.controller.config.learning_rate / 10)
        self.hide()


class Timeline(LiveView, QWidget):
    """A slider over epochs 0..latest: drag back to see an earlier epoch, then continue from it."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.confirm_discard: Confirm = dialog_confirm(self)
        label = QLabel("Timeline")
        label.setFont(theme.font(1.0, bold=True))
        self.timeline_slider = QSlider(Qt.Orientation.Horizontal)
        self.timeline_slider.setObjectName("timelineSlider")
        self.timeline_slider.setAccessibleName("timelineSlider")
        self.timeline_slider.setToolTip("Drag back to see the network as it was at an earlier epoch (pause first).")
        self.timeline_slider.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.timeline_slider.valueChanged.connect(self._dragged)
        self.readout = QLabel()
        self.readout.setObjectName("timelineReadout")
        self.readout.setFont(theme.font())
        self.readout.setMinimumWidth(int(150 * theme.scale))
        paints_own_background(self.timeline_slider, self.readout)
        self.continue_button = QPushButton("Continue from here")
        self.continue_button.setObjectName("continueFromHereButton")
        self.continue_button.setToolTip("Go back to the epoch shown and train on from it; later epochs are forgotten.")
        self.continue_button.setFont(theme.font())
        self.continue_button.clicked.connect(self.continue_from_here)
        self.latest_button = QPushButton("Back to latest")
        self.latest_button.setObjectName("timelineLatestButton")
        self.latest_button.setToolTip("Show the newest epoch again.")
        self.latest_button.setFont(theme.font())
        self.latest_button.clicked.connect(lambda: controller.show_epoch(controller.latest_epoch))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(label)
        layout.addWidget(self.timeline_slider, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.latest_button)
        layout.addWidget(self.continue_button)
        self.follow_frames(controller, controller.runningChanged, controller.sessionReplaced)
        self.render(controller.snapshot)

    def draw(self, snapshot: EpochSnapshot) -> None:
        latest = self.controller.latest_epoch
        running = self.controller.running
        slider = self.timeline_slider
        slider.blockSignals(True)
        slider.setRange(0, latest)
        if not slider.isSliderDown():
            slider.setValue(snapshot.epoch)
        slider.blockSignals(False)
        slider.setEnabled(not running and latest > 0)
        past = snapshot.epoch < latest
        self.readout.setText(f"epoch {snapshot.epoch:,} of {latest:,}" if past else f"epoch {latest:,} (latest)")
        self.continue_button.setEnabled(past and not running)
        self.latest_button.setEnabled(past and not running)

    def _dragged(self, epoch: int) -> None:
        if not self.controller.running:
            self.controller.show_epoch(epoch)

    def continue_from_here(self) -> bool:
        """Rewind the session to the epoch on screen (asks first: later epochs are lost)."""
        shown, latest = self.controller.snapshot.epoch, self.controller.latest_epoch
        if shown >= latest or self.controller.running:
            return False
        lost = latest - shown
        epochs = "epoch" if lost == 1 else "epochs"
        question = f"Continue from epoch {shown:,}? The {lost:,} {epochs} after it are forgotten."
        if not self.confirm_discard(question):
            return False
        self.controller.continue_from_shown()
        self.render(self.controller.snapshot)
        return True


class WorkbenchPage(QWidget):
    """The central widget of the workbench: every view of the 2x2 network at once."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbenchPage")
        self.controller = controller
        self.theme = theme
        self.banner = DivergedBanner(controller, theme)
        self.diagram = NetworkDiagram(controller, theme)
        self.dataset = DatasetView(controller, theme)
        self.reconstruction = ReconstructionView(controller, theme)
        self.loss_plot = LossPlot(controller, theme)
        self.timeline = Timeline(controller, theme)

        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.reconstruction)
        bottom.addWidget(self.loss_plot)
        bottom.setStretchFactor(0, 2)
        bottom.setStretchFactor(1, 3)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.diagram)
        centre.addWidget(bottom)
        centre.setStretchFactor(0, 3)
        centre.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.dataset)
        main.addWidget(centre)
        main.setStretchFactor(0, 0)
        main.setStretchFactor(1, 1)
        main.setSizes([int(250 * theme.scale), int(900 * theme.scale)])
        centre.setSizes([460, 330])
        self.splitters = {"main": main, "centre": centre, "bottom": bottom}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(main, 1)
        layout.addWidget(self.timeline)

    def views(self) -> dict[str, QWidget]:
        """Each view by name, so a lesson step can show or hide it."""
        return {"networkDiagram": self.diagram, "datasetView": self.dataset, "reconstructionView": self.reconstruction,
                "lossPlot": self.loss_plot, "timeline": self.timeline}

    def show_view(self, name: str, visible: bool = True) -> None:
        self.views()[name].setVisible(visible)
