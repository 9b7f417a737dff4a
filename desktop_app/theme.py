"""One theme object for every size and colour on screen (presentation mode scales it)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtGui import QColor, QFont


@dataclass(frozen=True)
class Theme:
    """Sizes are at scale 1.0; use the scaled helpers (``font``, ``line``, ``marker``)."""

    scale: float = 1.0
    dark: bool = False
    base_font_pt: float = 10.0
    base_line_px: float = 2.0
    base_marker_px: float = 9.0

    # ----- colours ---------------------------------------------------------------------
    @property
    def background(self) -> QColor:
        return QColor("#1e1f24" if self.dark else "#ffffff")

    @property
    def foreground(self) -> QColor:
        return QColor("#e8e8ea" if self.dark else "#202124")

    @property
    def muted(self) -> QColor:
        return QColor("#9aa0a6" if self.dark else "#6b6f76")

    @property
    def grid(self) -> QColor:
        return QColor("#3a3c42" if self.dark else "#e3e5e8")

    @property
    def accent(self) -> QColor:
        return QColor("#f6b73c" if self.dark else "#d97706")

    # Weights: sign by hue (blue positive, orange-red negative; colour-blind safe pair).
    positive = QColor("#1f77b4")
    negative = QColor("#d62728")
    # Loss curves: total, reconstruction, KL (Okabe-Ito, colour-blind safe).
    curve_total = QColor("#000000")
    curve_reconstruction = QColor("#0072B2")
    curve_kl = QColor("#D55E00")
    # Ten digit classes: Okabe-Ito extended (colour-blind safe).
    digit_palette = (
        "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
        "#D55E00", "#CC79A7", "#000000", "#999999", "#882255",
    )

    # The two distributions of a KL divergence, blue p and red q as on the slides
    # (Okabe-Ito pair, colour-blind safe).
    distribution_p = QColor("#0072B2")
    distribution_q = QColor("#D55E00")

    # A 2x2 image's two numbers (a, b) as one colour: a bivariate map with these corners
    # at (a, b) = (0, 0), (1, 0), (0, 1), (1, 1) (J. Stevens' blue-pink bivariate scheme,
    # readable with the common colour-vision deficiencies), mixed bilinearly.
    pattern_corners = ("#e8e8e8", "#be64ac", "#5ac8c8", "#3b4994")

    def pattern_rgb(self, ab: np.ndarray) -> np.ndarray:
        """(..., 2) points of the data plane to (..., 3) uint8 colours."""
        p = np.clip(np.asarray(ab, dtype=np.float64), 0.0, 1.0)
        a, b = p[..., :1], p[..., 1:2]
        c = np.array([QColor(h).getRgb()[:3] for h in self.pattern_corners], dtype=np.float64)
        rgb = (1 - a) * (1 - b) * c[0] + a * (1 - b) * c[1] + (1 - a) * b * c[2] + a * b * c[3]
        return np.rint(rgb).astype(np.uint8)

    def pattern_colour(self, a: float, b: float) -> QColor:
        return QColor(*(int(v) for v in self.pattern_rgb(np.array([a, b]))))

    @property
    def error(self) -> QColor:
        """Text of a message about bad input."""
        return QColor("#ff8a80" if self.dark else "#b3261e")

    def heat_colour(self, fraction: float) -> QColor:
        """Background for a loss term: the page colour at 0, the accent at 1."""
        f = min(1.0, max(0.0, float(fraction)))
        a, b = self.background, self.accent
        return QColor(*(round(x + (y - x) * f) for x, y in ((a.red(), b.red()), (a.green(), b.green()),
                                                            (a.blue(), b.blue()))))

    def curve_colour(self, name: str) -> QColor:
        colours = {"loss": self.curve_total, "reconstruction": self.curve_reconstruction, "kl": self.curve_kl}
        colour = QColor(colours[name])
        if name == "loss" and self.dark:
            colour = QColor("#ffffff")
        return colour

    def pixel_colour(self, value: float) -> QColor:
        """Grayscale for a pixel value in [0, 1] (0 black, 1 white), as in the lecture."""
        v = int(round(255 * min(1.0, max(0.0, float(value)))))
        return QColor(v, v, v)

    def text_on_pixel(self, value: float) -> QColor:
        return QColor("#000000" if value > 0.55 else "#ffffff")

    # ----- sizes -------------------------------------------------------------------------
    def font(self, relative: float = 1.0, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(self.base_font_pt * self.scale * relative)
        font.setBold(bold)
        return font

    def line(self, relative: float = 1.0) -> float:
        return self.base_line_px * self.scale * relative

    def marker(self, relative: float = 1.0) -> float:
        return self.base_marker_px * self.scale * relative

    def scaled(self, scale: float) -> Theme:
        return replace(self, scale=scale)

    def with_dark(self, dark: bool) -> Theme:
        return replace(self, dark=dark)
