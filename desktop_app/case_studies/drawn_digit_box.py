"""Case study 1's "Draw your own digit": a pad, Clear, "Frame like MNIST", and the
drawing (framed) noisy and cleaned by the autoencoder and by PCA.

The box shows figures the study computes for it (``drawn_digit_figures``); a drawing
that changes is the pad's ``drawingChanged``.

Beside the held-out table on a narrow page (a presented lesson step at 150 % on a
1280-pixel projector) the pad and a row of four results did not fit: the page needed
1,269 px in a 1,079 px view and scrolled sideways. There the box stands upright: the
results go under the pad, as a column (one tile and its PSNR a line).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
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
from desktop_app.case_studies.digit_grid import SIDE, DigitTable
from desktop_app.case_studies.draw_pad import DrawPad
from desktop_app.theme import Theme
from desktop_app.theming import QT_MAX_SIZE
from desktop_app.widgets.wrapping_rows import wrap_layout
from engine.digits.data import N_PIXELS
from engine.digits.study_figures import DrawnDigitFigures

COLUMNS = ["yours", "noisy", "autoencoder", "PCA"]  # the results, in the order the row shows them
ROOM = "00.00 dB"  # the widest PSNR expected (digits in [0, 1] stay under 100 dB): what the arrangements measure
PAD_STRETCH, RESULTS_STRETCH = 2, 3  # side by side: the pad's and the results' shares of the width


class DrawnDigitBox(QGroupBox):
    """The pad on the left; on the right the drawing's row of results (or, while nothing is
    drawn, the hint in its place) and the pad's buttons (Clear, "Frame like MNIST"). Too
    narrow for the pad and the row side by side, the box stands upright (``upright``):
    the pad on top, the results under it as a column, the buttons last; only where it has
    its column's height to itself (``let_stand``). The width decides, never the drawing,
    so the pad does not move under a first stroke.

    The box gives way on a short page: it is never taller than its natural height (the
    pad as large as it asks) and shrinks down to the smallest pad one still draws on,
    leaving the plots above it their height. The buttons stand under the results, not
    under the pad, so the pad's column is the pad alone and its smallest size is what
    the box needs."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__("Draw your own digit", parent)
        self.setObjectName("denoisingDrawBox")  # a presented lesson step that does not name the pad sets it aside
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.upright = False
        self.may_stand = False  # whether the box has its column's height to itself (``let_stand``)
        self._figures: DrawnDigitFigures | None = None  # what the results show (again, when the box turns)
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.pad = DrawPad(theme, self)
        self._layout.addWidget(self.pad, PAD_STRETCH)
        self.table = DigitTable(theme, captions_below=True, parent=self)
        self.table.setObjectName("drawnDigitRow")
        self.table.setAccessibleName("drawnDigitRow")
        self.hint = QLabel("Draw a digit on the pad (left button draws, right button erases): it is "
                           "corrupted with the noise above and cleaned by both methods.", self)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.hint.setStyleSheet(f"color: {theme.muted.name()}")
        self.results = QWidget(self)  # the hint stands where the results will be: one of the two is shown
        results = QVBoxLayout(self.results)
        results.setContentsMargins(0, 0, 0, 0)
        results.addWidget(self.table, 1)
        results.addWidget(self.hint, 1)
        self.table.hide()
        right = QVBoxLayout()
        right.addWidget(self.results, 1)
        self.buttons = wrap_layout(self._buttons(), theme, self)
        right.addWidget(self.buttons)
        self._layout.addLayout(right, RESULTS_STRETCH)
        # never shown: the results laid out both ways, measured for the width each needs
        self._as_row, self._as_column = DigitTable(theme, True, self), DigitTable(theme, False, self)
        for probe in (self._as_row, self._as_column):
            probe.hide()
        self._fill(np.zeros((4, N_PIXELS), np.float32), [""] + [ROOM] * 3, None, False, self._as_row)
        self._fill(np.zeros((4, N_PIXELS), np.float32), [""] + [ROOM] * 3, None, True, self._as_column)

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
        """As narrow as the box upright, where it may stand (below the side-by-side width
        it stands up); the smallest pad, or the results with the hint wrapped at the box's
        width, whichever is taller."""
        size = super().minimumSizeHint()
        if self.may_stand:
            size.setWidth(self._width(upright=True))
        if self.width() > 0:
            size.setHeight(max(size.height(), self.layout().totalMinimumHeightForWidth(self.width())))
        return size

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._arrange()
            self.updateGeometry()  # the wrapped hint's height, and so the minimum, follow the width

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # new fonts (a restyle): the results' room follows
            self._hold_results_height()
        return super().event(event)

    # ----- the two arrangements ---------------------------------------------------------------
    def let_stand(self, may: bool) -> None:
        """Whether the box may stand upright: only with its column's height to itself (a
        presented lesson step sets the plots above it aside). Upright it is taller, and
        beside the plots it would take the height their axes need."""
        if may != self.may_stand:
            self.may_stand = may
            self._arrange()
            self.updateGeometry()

    def _arrange(self) -> None:
        self._stand(self.may_stand and self.width() < self._width(upright=False))
        self._hold_results_height()

    def _edges(self) -> int:
        """The box's width around its layout's contents: its frame and the layout's margins."""
        frame, inner = self.contentsMargins(), self._layout.contentsMargins()
        return frame.left() + frame.right() + inner.left() + inner.right()

    def _width(self, upright: bool) -> int:
        """The box's least width with the pad and the results side by side, or upright."""
        edges, pad = self._edges(), self.pad.minimumSizeHint().width()
        if upright:
            return edges + max(pad, self._as_column.minimumSizeHint().width(), self.buttons.minimumSizeHint().width())
        return edges + pad + max(0, self._layout.spacing()) + self._as_row.minimumSizeHint().width()

    def _stand(self, upright: bool) -> None:
        """Stand the box upright (or lay it side by side again) and show the results so."""
        if upright == self.upright:
            return
        self.upright = upright
        self._layout.setDirection(QBoxLayout.Direction.TopToBottom if upright else QBoxLayout.Direction.LeftToRight)
        self._layout.setStretch(1, 0 if upright else RESULTS_STRETCH)  # upright, the pad takes the spare height
        self.show_figures(self._figures)

    def _hold_results_height(self) -> None:
        """Upright, the results keep one height, drawn or not, so the pad above them does
        not shrink under the first stroke: the hint's, or the column's with tiles a digit
        side at the theme's scale (or as large as the width holds), whichever is taller.
        Side by side they take what they get."""
        if not self.upright:
            self.results.setMinimumHeight(0)
            self.results.setMaximumHeight(QT_MAX_SIZE)
            return
        width = self.width() - self._edges()
        probe = self._as_column
        widest = SIDE + width - probe.minimumSizeHint().width()  # the largest tile the width holds
        column = probe.size_for_tile(max(SIDE, min(SIDE * probe.theme.scale, widest))).height()
        height = max(column, self.hint.heightForWidth(width))
        if self.results.minimumHeight() != height or self.results.maximumHeight() != height:
            self.results.setFixedHeight(height)

    def show_figures(self, d: DrawnDigitFigures | None) -> None:
        """The drawing's results (PCA's image waits while PCA is fitted), as a row or, the
        box upright, a column; None: nothing is drawn, and the hint says how to draw."""
        self._figures = d
        self.hint.setVisible(d is None)
        self.table.setVisible(d is not None)
        if d is None:
            self.table.set_table(np.zeros((0, 4, N_PIXELS), np.float32), [])
            return
        waiting = d.projected is None
        images = np.stack([d.framed, d.corrupted, d.denoised, np.zeros_like(d.framed) if waiting else d.projected])
        captions = ["", f"{db(d.input_psnr)} dB", f"{db(d.network_psnr)} dB", f"{db(d.pca_psnr)} dB"]
        self._fill(images, captions, better_column(d.network_psnr, d.pca_psnr), self.upright, self.table,
                   waiting="fitting…" if waiting else None)

    @staticmethod
    def _fill(images: np.ndarray, captions: list[str], better: int | None, column: bool, table: DigitTable,
              waiting: str | None = None) -> None:
        """The four results in ``table``: a row under titles (captions under the tiles), or
        a column of labelled lines (captions beside); ``better`` is the result in bold."""
        if column:
            table.captions_below = False
            table.set_table(images[:, None], [], COLUMNS, [[text] for text in captions],
                            emphasis=[0 if r == better else None for r in range(len(COLUMNS))],
                            waiting_rows={3: waiting} if waiting else None, caption_room=ROOM)
        else:
            table.captions_below = True
            table.set_table(images[None], COLUMNS, captions=[captions], emphasis=[better],
                            waiting_columns={3: waiting} if waiting else None)  # as narrow as its numbers
