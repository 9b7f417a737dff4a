"""File > Export animation: choose the views, the epochs, the size and the pace, then
watch a progress bar (with Cancel) while the window stays usable."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.export.animation_job import AnimationJob
from desktop_app.export.animation_plan import (
    DEFAULT_FRAMES,
    MAX_FPS,
    MAX_FRAMES,
    MAX_SIZE,
    MIN_SIZE,
    VIEW_NAMES,
    VIEWS,
    AnimationSettings,
    check_settings,
    video_writer_available,
)
from desktop_app.export.frames import StoredRun

FORMATS = (("gif", "Animated GIF (.gif)", ".gif"), ("mp4", "Video (.mp4)", ".mp4"),
           ("folder", "Folder of PNG frames", ""))


class AnimationDialog(QDialog):
    """Settings for one animation of the workbench's stored run, and the export itself."""

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("exportAnimationDialog")
        self.setWindowTitle("Export a training animation")
        self.window_ = window
        self.controller = window.controller
        self.job: AnimationJob | None = None
        self.progress: QProgressDialog | None = None
        latest = self.controller.session.epoch
        intro = QLabel(f"Frames are drawn from the stored epochs of the workbench's run (0 to {latest:,}), "
                       "one stored epoch a frame, each with its epoch number.")
        intro.setWordWrap(True)

        self.view_checks: dict[str, QCheckBox] = {}
        views = QHBoxLayout()
        for key in VIEWS:
            check = QCheckBox(VIEW_NAMES[key])
            check.setObjectName(f"animationView_{key}")
            check.setChecked(key in ("diagram", "loss"))
            self.view_checks[key] = check
            views.addWidget(check)
        self.first = self._spin("animationFirstEpoch", 0, latest, 0)
        self.last = self._spin("animationLastEpoch", 0, latest, latest)
        self.frames = self._spin("animationFrames", 1, MAX_FRAMES, DEFAULT_FRAMES)
        self.frames.setToolTip("At most this many frames: longer runs are thinned evenly.")
        self.width_spin = self._spin("animationWidth", MIN_SIZE[0], MAX_SIZE[0], 1280)
        self.height_spin = self._spin("animationHeight", MIN_SIZE[1], MAX_SIZE[1], 720)
        self.fps = self._spin("animationFps", 1, MAX_FPS, 20)
        self.format = QComboBox()
        self.format.setObjectName("animationFormat")
        for kind, label, _suffix in FORMATS:
            self.format.addItem(label, kind)
        if not video_writer_available():  # greyed out, and says why
            item = self.format.model().item(1)
            item.setEnabled(False)
            item.setToolTip("Install the optional video writer: pip install 'autoencoder-lab[video]'")
            self.format.setItemText(1, "Video (.mp4): needs the [video] extra")
        self.path = QLineEdit(str(Path.home() / "training.gif"))
        self.path.setObjectName("animationPath")
        self.format.currentIndexChanged.connect(self._suffix_follows_format)
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose_path)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        self.message = QLabel()
        self.message.setObjectName("animationMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)  # numbers stay narrow
        self.path.setMinimumWidth(420)
        form.addRow("Views", views)
        epochs = QHBoxLayout()
        epochs.addWidget(self.first)
        epochs.addWidget(QLabel("to"))
        epochs.addWidget(self.last)
        epochs.addStretch(1)
        form.addRow("Epochs", epochs)
        form.addRow("Frames at most", self.frames)
        size = QHBoxLayout()
        size.addWidget(self.width_spin)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_spin)
        size.addWidget(QLabel("pixels"))
        size.addStretch(1)
        form.addRow("Size", size)
        form.addRow("Frames per second", self.fps)
        form.addRow("Format", self.format)
        form.addRow("Save to", where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("animationExportButton")
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _spin(self, name: str, low: int, high: int, value: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setGroupSeparatorShown(True)
        return spin

    def _suffix_follows_format(self) -> None:
        kind = self.format.currentData()
        path = Path(self.path.text())
        suffix = dict((k, s) for k, _label, s in FORMATS)[kind]
        stem = path.with_suffix("") if path.suffix.lower() in (".gif", ".mp4") else path
        self.path.setText(str(stem) + suffix)

    def _choose_path(self) -> None:
        if self.format.currentData() == "folder":
            folder = QFileDialog.getExistingDirectory(self, "Folder to put the frames folder in")
            if folder:
                self.path.setText(str(Path(folder) / "training-frames"))
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the animation as", self.path.text())
        if path:
            self.path.setText(path)
            self._suffix_follows_format()

    def settings(self) -> AnimationSettings:
        """The chosen settings, checked (a ValueError says what to change)."""
        views = tuple(key for key, check in self.view_checks.items() if check.isChecked())
        if not views:
            raise ValueError("Choose at least one view.")
        return check_settings(self.path.text().strip(), views, self.first.value(), self.last.value(),
                              (self.width_spin.value(), self.height_spin.value()), float(self.fps.value()),
                              self.controller.session.checkpoints.epochs, self.frames.value())

    def export(self) -> AnimationJob | None:
        """Start the export (returns at once); the progress dialog offers Cancel."""
        if self.job is not None and self.job.state in ("rendering", "encoding"):
            return self.job
        try:
            settings = self.settings()
        except ValueError as exc:
            self.message.setText(str(exc))
            return None
        self.message.setText("")
        run = StoredRun.of(self.controller.session)
        job = AnimationJob(settings, run, self.window_.theme, self.controller.selected_index, self)
        self.job = job
        self.progress = QProgressDialog(f"Rendering {job.total:,} frames…", "Cancel", 0, job.total, self)
        self.progress.setObjectName("animationProgress")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        job.progressed.connect(self._progressed)
        job.finished.connect(self._finished)
        job.failed.connect(self._failed)
        self.progress.canceled.connect(job.cancel)
        job.start()
        return job

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setValue(done)
            if done == total:
                self.progress.setLabelText("Encoding…")

    def _finished(self, path: str) -> None:
        self._close_progress()
        self.message.setStyleSheet("")
        self.message.setText(f"Saved {path}")
        self.window_.statusBar().showMessage(f"Exported the animation to {path}", 10000)

    def _failed(self, message: str) -> None:
        self._close_progress()
        self.message.setText(message)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress = None

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
        super().reject()
