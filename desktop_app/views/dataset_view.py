"""The training images as 2x2 tiles with their numbers: pick one, edit it, add, delete, or
start over from a preset (the lecture's diagonals or unstructured random pixels).

Edits go through the controller, which checks them and hands them to the session at
the next epoch boundary, so editing while training is safe. A refused value is
explained next to the pixel it was typed into.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.controller import TrainingController
from desktop_app.frames.live_view import LiveView
from desktop_app.theme import Theme
from desktop_app.views.pixel_grid import PixelGrid, cell_rect, paint_pixel_grid
from desktop_app.widgets.confirm import Confirm, dialog_confirm, discard_question
from engine.core.snapshot import EpochSnapshot
from engine.core.typed_numbers import parse_unit_interval
from engine.lecture.datasets import PIXEL_NAMES

PRESET_TITLES = {"diagonals": "The lecture's diagonals", "random": "Random pixels"}
NEW_IMAGE = (0.5, 0.5, 0.5, 0.5)


class TileGrid(QWidget):
    """Every image as a small tile with its four numbers, flowing into rows; click to pick."""

    tileClicked = Signal(int)

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.images = np.zeros((0, 4))
        self.selected = 0
        self.tile = int(round(66 * theme.scale))
        self.gap = int(round(8 * theme.scale))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_images(self, images: np.ndarray, selected: int) -> None:
        changed_count = len(images) != len(self.images)
        if changed_count or selected != self.selected or not np.array_equal(images, self.images):
            self.images = np.array(images, dtype=np.float64)
            self.selected = selected
            if changed_count:
                self._fit_height()
            self.update()

    def width_for(self, columns: int) -> int:
        """The width that fits ``columns`` tiles side by side."""
        return self.gap + columns * (self.tile + self.gap)

    def columns(self) -> int:
        return max(1, (self.width() - self.gap) // (self.tile + self.gap))

    def tile_rect(self, index: int) -> QRectF:
        row, col = divmod(index, self.columns())
        step = self.tile + self.gap
        return QRectF(self.gap + col * step, self.gap + row * step, self.tile, self.tile)

    def index_at(self, point: QPointF) -> int | None:
        for i in range(len(self.images)):
            if self.tile_rect(i).contains(point):
                return i
        return None

    def apply_theme(self, theme: Theme) -> None:
        """Tiles at another theme's size (desktop_app.theming calls this)."""
        self.theme = theme
        self.tile = int(round(66 * theme.scale))
        self.gap = int(round(8 * theme.scale))
        self._fit_height()
        self.updateGeometry()

    def _fit_height(self) -> None:
        rows = -(-len(self.images) // self.columns())
        self.setMinimumHeight(self.gap + rows * (self.tile + self.gap))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(3 * (self.tile + self.gap) + self.gap, 4 * (self.tile + self.gap))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_height()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        font = painter.font()
        for i, image in enumerate(self.images):
            rect = self.tile_rect(i)
            if not rect.intersects(QRectF(event.rect())):
                continue
            chosen = i == self.selected
            paint_pixel_grid(painter, rect, image, self.theme, border=self.theme.accent if chosen else None)
            if chosen:
                painter.setPen(self.theme.accent)
                pen = painter.pen()
                pen.setWidthF(self.theme.line(1.6))
                painter.setPen(pen)
                painter.drawRect(rect.adjusted(-3, -3, 3, 3))
        painter.setFont(font)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        index = self.index_at(event.position())
        if index is not None:
            self.tileClicked.emit(index)


class DatasetView(LiveView, QWidget):
    """The dataset editor. ``confirm_discard`` asks before a preset throws training away."""

    def __init__(self, controller: TrainingController, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("datasetView")
        self.setAccessibleName("datasetView")
        self.controller = controller
        self.theme = theme
        self.confirm_discard: Confirm = dialog_confirm(self)
        self._editing: int | None = None
        self._follow_when_shown: int | None = None  # an image added while training, not yet on screen

        self.title = QLabel()
        self.title.setFont(theme.font(1.15, bold=True))
        hint = QLabel("Click an image to follow it everywhere.")
        hint.setWordWrap(True)
        hint.setFont(theme.font(0.9))
        hint.setStyleSheet(f"color: {theme.muted.name()};")

        self.tiles = TileGrid(theme)
        self.tiles.setObjectName("datasetTiles")
        self.tiles.setToolTip("The training images with their pixel values; click one to follow it.")
        self.tiles.tileClicked.connect(controller.select_image)
        scroll = QScrollArea()
        scroll.setWidget(self.tiles)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(self.tiles.width_for(2) + scroll.verticalScrollBar().sizeHint().width() + 4)
        self.scroll = scroll

        self.editor = PixelGrid(theme, caption="", cell_px=52)
        self.editor.setObjectName("datasetEditor")
        self.editor.setToolTip("The image being followed: click a pixel and type a value from 0 to 1.")
        self.editor.pixelClicked.connect(self.begin_edit)
        self.editor.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.pixel_editor = QLineEdit(self.editor)
        self.pixel_editor.setObjectName("pixelEditor")
        self.pixel_editor.setAccessibleName("pixelEditor")
        self.pixel_editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pixel_editor.setFont(theme.font(1.1, bold=True))
        self.pixel_editor.setToolTip("Type a value from 0 (black) to 1 (white), then Enter; Escape cancels.")
        self.pixel_editor.hide()
        self.pixel_editor.returnPressed.connect(self.commit_edit)
        self.pixel_editor.installEventFilter(self)
        self.editor_caption = QLabel()
        self.editor_caption.setWordWrap(True)
        self.editor_caption.setFont(theme.font(1.0, bold=True))
        self.message = QLabel()
        self.message.setObjectName("datasetMessage")
        self.message.setWordWrap(True)
        self.message.setFont(theme.font(0.95))
        self.message.setStyleSheet(f"color: {theme.error.name()};")
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        self.add_button = self._button("addImageButton", "Add image",
                                       "Add a mid-grey image to edit (training goes on).", self.add_image)
        self.delete_button = self._button("deleteImageButton", "Delete", "Remove the followed image from the training "
                                                                        "set.", self.delete_selected)
        self.preset_buttons = {
            "diagonals": self._button("diagonalsPresetButton", PRESET_TITLES["diagonals"],
                                      "The lecture's images (a, b, b, a): four pixels, two numbers of information.",
                                      lambda: self.load_preset("diagonals")),
            "random": self._button("randomPresetButton", PRESET_TITLES["random"],
                                   "Four unrelated pixels: no two numbers can summarise them, so the loss stays up.",
                                   lambda: self.load_preset("random")),
        }

        editor_row = QHBoxLayout()
        editor_row.addWidget(self.editor)
        editor_row.addWidget(self.message, 1)
        buttons = QGridLayout()
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.delete_button, 0, 1)
        buttons.addWidget(self.preset_buttons["diagonals"], 1, 0, 1, 2)
        buttons.addWidget(self.preset_buttons["random"], 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.editor_caption)
        layout.addLayout(editor_row)
        layout.addLayout(buttons)

        self.follow_frames(controller, controller.selectionChanged)
        self.render(controller.snapshot)

    def _button(self, name: str, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setFont(self.theme.font())
        button.clicked.connect(slot)
        return button

    # ----- showing ----------------------------------------------------------------------
    def images(self) -> np.ndarray:
        """The images on screen: the session's current set, or a past epoch's when looking back."""
        snapshot = self.controller.snapshot
        if snapshot.epoch < self.controller.latest_epoch:
            return np.asarray(snapshot.images)
        return self.controller.train_images

    def render(self, snapshot: EpochSnapshot) -> None:  # noqa: A003 (the views' shared verb)
        if self._follow_when_shown is not None and self._follow_when_shown < len(snapshot.images):
            index, self._follow_when_shown = self._follow_when_shown, None
            self.controller.select_image(index)  # comes back here through selectionChanged
            return
        super().render(snapshot)

    def draw(self, snapshot: EpochSnapshot) -> None:
        images = self.images()
        index = min(self.controller.selected_index, len(images) - 1)
        self.title.setText(f"Training images ({len(images)})")
        self.tiles.set_images(images, index)
        self.editor.set_values(images[index])
        self.editor.set_highlight(self._editing)
        self.editor_caption.setText(f"Image {index + 1}: click a pixel to change it")
        self.delete_button.setEnabled(len(images) > 1)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    # ----- editing ----------------------------------------------------------------------
    def begin_edit(self, pixel: int) -> None:
        """Open a box over ``pixel`` of the followed image to type its new value."""
        self._editing = pixel
        cell = cell_rect(self.editor.grid_rect(), 2, pixel).toAlignedRect()
        self.pixel_editor.setGeometry(cell.adjusted(3, int(cell.height() * 0.25), -3, -int(cell.height() * 0.25)))
        self.pixel_editor.setText(f"{self.editor.values()[pixel]:.2f}")
        self.pixel_editor.selectAll()
        self.pixel_editor.show()
        self.pixel_editor.setFocus()
        self.editor.set_highlight(pixel)
        self.show_message(f"New value for the {PIXEL_NAMES[pixel]} pixel, from 0 to 1, then Enter.")

    def commit_edit(self) -> bool:
        """Check the typed value and send it; a bad one keeps the box open with a message."""
        if self._editing is None:
            return False
        pixel = self._editing
        try:
            value = parse_unit_interval(self.pixel_editor.text(), "A pixel value")
        except ValueError as exc:
            return self._refuse_edit(pixel, str(exc))
        error = self.controller.edit_pixel(self.controller.selected_index, pixel, value)
        if error:
            return self._refuse_edit(pixel, error)
        self.cancel_edit()
        self.render(self.controller.snapshot)
        return True

    def _refuse_edit(self, pixel: int, message: str) -> bool:
        """Say why, and show the pixel's valid value again (selected, to type over)."""
        self.show_message(f"{message} The pixel keeps {self.editor.values()[pixel]:.2f}.")
        self.pixel_editor.setText(f"{self.editor.values()[pixel]:.2f}")
        self.pixel_editor.selectAll()
        return False

    def cancel_edit(self) -> None:
        self._editing = None
        self.pixel_editor.hide()
        self.editor.set_highlight(None)
        self.show_message("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (watched is self.pixel_editor and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape):
            self.cancel_edit()
            return True
        return super().eventFilter(watched, event)

    def add_image(self) -> None:
        error = self.controller.add_image(NEW_IMAGE)
        if error:
            self.show_message(error)
            return
        newest = len(self.controller.train_images) - 1
        if newest < len(self.controller.snapshot.images):
            self.controller.select_image(newest)
        else:  # training: the new image reaches the screen with the next epoch
            self._follow_when_shown = newest
        self.render(self.controller.snapshot)
        self.show_message("Added a grey image: click its pixels to shape it.")

    def delete_selected(self) -> None:
        error = self.controller.delete_image(self.controller.selected_index)
        self.cancel_edit()
        if error:
            self.show_message(error)
        self.render(self.controller.snapshot)

    def load_preset(self, name: str) -> bool:
        """Start over with a preset dataset (asks first if epochs would be lost)."""
        question = discard_question(self.controller, f"Loading “{PRESET_TITLES[name]}”")
        if question is not None and not self.confirm_discard(question):
            return False
        self.cancel_edit()
        self.controller.new_session(self.controller.config.replace(dataset=name))
        return True
