"""Case study 1's "Draw your own digit": a pad, Clear, "Frame like MNIST", and the
drawing (framed) noisy and cleaned by the autoencoder and by PCA.

The box shows figures the study computes for it (``drawn_digit_figures``); a drawing
that changes is the pad's ``drawingChanged``.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.case_studies.denoising_display import better_column, db
from desktop_app.case_studies.digit_grid import DigitTable
from desktop_app.case_studies.draw_pad import DrawPad
from desktop_app.theme import Theme
from desktop_app.widgets.wrapping_rows import wrap_layout
from engine.digits.data import N_PIXELS
from engine.digits.study_figures import DrawnDigitFigures


class DrawnDigitBox(QGroupBox):
    """The pad on the left; on the right the drawing's row of results (or, while nothing is
    drawn, the hint in its place) and the pad's buttons (Clear, "Frame like MNIST").

    The box gives way on a short page: it is never taller than its natural height (the
    pad as large as it asks) and shrinks down to the smallest pad one still draws on,
    leaving the plots above it their height. The buttons stand under the results, not
    under the pad, so the pad's column is the pad alone and its smallest size is what
    the box needs."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__("Draw your own digit", parent)
        self.setObjectName("denoisingDrawBox")  # a presented lesson step that does not name the pad sets it aside
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QHBoxLayout(self)
        self.pad = DrawPad(theme, self)
        layout.addWidget(self.pad, 2)
        self.table = DigitTable(theme, captions_below=True, parent=self)
        self.table.setObjectName("drawnDigitRow")
        self.table.setAccessibleName("drawnDigitRow")
        self.hint = QLabel("Draw a digit on the pad (left button draws, right button erases): it is "
                           "corrupted with the noise above and cleaned by both methods.", self)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.hint.setStyleSheet(f"color: {theme.muted.name()}")
        right = QVBoxLayout()  # the hint stands where the row will be: one of the two is shown
        right.addWidget(self.table, 1)
        right.addWidget(self.hint, 1)
        self.table.hide()
        right.addWidget(wrap_layout(self._buttons(), theme, self))
        layout.addLayout(right, 3)

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        clear = QPushButton("Clear", self)
        clear.setObjectName("drawPadClearButton")
        clear.setAccessibleName("drawPadClearButton")
        clear.setToolTip("Wipe the pad.")
        clear.clicked.connect(self.pad.clear)
        buttons.addWidget(clear)
        buttons.addSpacing(0)  # a group of its own: the two stack when the column is narrow
        self.frame_check = QCheckBox("Frame like MNIST", self)
        self.frame_check.setObjectName("drawPadFrameCheck")
        self.frame_check.setChecked(True)
        self.frame_check.setToolTip("Scale the drawing to a 20x20 box and centre it by its centre of mass, "
                                    "as the MNIST digits were prepared.")
        buttons.addWidget(self.frame_check)
        return buttons

    # ----- size: give way on a short page ---------------------------------------------------
    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        """No: a vertical box layout pins a height-for-width item to that one height (its
        minimum and its hint), so the box could not give way. The word-wrapped hint inside
        still counts, through ``minimumSizeHint``."""
        return False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """The smallest pad, or the results with the hint wrapped at the box's width,
        whichever is taller."""
        size = super().minimumSizeHint()
        if self.width() > 0:
            size.setHeight(max(size.height(), self.layout().totalMinimumHeightForWidth(self.width())))
        return size

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped hint's height, and so the minimum, follow the width

    def show_figures(self, d: DrawnDigitFigures | None) -> None:
        """The drawing's row (PCA's image waits while PCA is fitted); None: nothing is
        drawn, and the hint says how to draw."""
        self.hint.setVisible(d is None)
        self.table.setVisible(d is not None)
        if d is None:
            self.table.set_table(np.zeros((0, 4, N_PIXELS), np.float32), [])
            return
        waiting = d.projected is None
        self.table.set_table(
            np.stack([d.framed, d.corrupted, d.denoised, np.zeros_like(d.framed) if waiting else d.projected])[None],
            ["yours", "noisy", "autoencoder", "PCA"],
            captions=[["", f"{db(d.input_psnr)} dB", f"{db(d.network_psnr)} dB", f"{db(d.pca_psnr)} dB"]],
            emphasis=[better_column(d.network_psnr, d.pca_psnr)],
            waiting_columns={3: "fitting…"} if waiting else None,
        )
