"""One theme object for every size and colour on screen (presentation mode scales it).

Three looks: ``light``, ``contrast`` (high-contrast light, for projectors that wash
colours out) and ``dark``. Every widget takes its sizes and colours from a Theme;
``palette()`` gives Qt's own widgets (buttons, inputs, tabs, docks, menus) the same
colours, and ``desktop_app.theming`` swaps the theme of a live window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtGui import QColor, QFont, QPalette

THEME_NAMES = ("light", "contrast", "dark")
THEME_TITLES = {"light": "Light", "contrast": "High-contrast light (projectors)", "dark": "Dark"}
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5)  # the presentation scales offered (100 % to 250 %)

# name -> (background, foreground, muted, grid, accent, error) of the painted views
_VIEW_COLOURS = {
    "light": ("#ffffff", "#202124", "#6b6f76", "#e3e5e8", "#d97706", "#b3261e"),
    "contrast": ("#ffffff", "#000000", "#333333", "#b0b0b0", "#a84300", "#9b0000"),
    "dark": ("#1e1f24", "#e8e8ea", "#9aa0a6", "#3a3c42", "#f6b73c", "#ff8a80"),
}
# name -> the window's own colours: window, base (inputs), alternate base, button,
# highlight, highlighted text, mid-tone frames (Qt's Mid/Dark roles), link
_WINDOW_COLOURS = {
    "light": ("#f3f4f6", "#ffffff", "#f7f7f9", "#e9eaee", "#0072b2", "#ffffff", "#b8bbc2", "#0060a0"),
    "contrast": ("#ffffff", "#ffffff", "#f0f0f0", "#ffffff", "#000000", "#ffffff", "#000000", "#00509e"),
    "dark": ("#2a2b31", "#1e1f24", "#26272d", "#3a3c43", "#56b4e9", "#000000", "#55575f", "#7cc4f0"),
}


def text_on(background: QColor) -> QColor:
    """Black or white text, whichever contrasts more with ``background``: decided once,
    here, for every pixel, node and shaded term on screen.

    Contrast ratio (L₁ + 0.05) / (L₂ + 0.05) of relative luminances, WCAG 2.1,
    "relative luminance" and "contrast ratio" definitions (sRGB channels linearised).
    On a grey the choice turns at about 46 % (value 0.46 of a pixel).
    """
    lum = _relative_luminance(background)
    return QColor("#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff")


def _relative_luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


@dataclass(frozen=True)
class Theme:
    """Sizes are at scale 1.0; use the scaled helpers (``font``, ``line``, ``marker``).

    ``dark`` and ``contrast`` pick the look (``Theme.named`` builds one from its name)."""

    scale: float = 1.0
    dark: bool = False
    base_font_pt: float = 10.0
    base_line_px: float = 2.0
    base_marker_px: float = 9.0
    contrast: bool = False

    @classmethod
    def named(cls, name: str, scale: float = 1.0) -> Theme:
        if name not in THEME_NAMES:
            raise ValueError(f"Unknown theme {name!r}: choose one of {', '.join(THEME_NAMES)}.")
        return cls(scale=scale, dark=name == "dark", contrast=name == "contrast")

    @property
    def name(self) -> str:
        return "dark" if self.dark else "contrast" if self.contrast else "light"

    def _view(self, index: int) -> QColor:
        return QColor(_VIEW_COLOURS[self.name][index])

    # ----- colours ---------------------------------------------------------------------
    @property
    def background(self) -> QColor:
        return self._view(0)

    @property
    def foreground(self) -> QColor:
        return self._view(1)

    @property
    def muted(self) -> QColor:
        return self._view(2)

    @property
    def grid(self) -> QColor:
        return self._view(3)

    @property
    def accent(self) -> QColor:
        return self._view(4)

    # Weights: sign by hue, Okabe-Ito blue for positive and vermillion for negative (told
    # apart with every common colour-vision deficiency); the network diagram also dashes
    # negative weights, so the sign reads in greyscale too.
    positive = QColor("#0072B2")
    negative = QColor("#D55E00")

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

    @property
    def error(self) -> QColor:
        """Text of a message about bad input."""
        return self._view(5)

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
        """Text on a pixel of this value (``text_on`` its grey)."""
        return text_on(self.pixel_colour(value))

    # ----- sizes -------------------------------------------------------------------------
    def font(self, relative: float = 1.0, bold: bool = False) -> QFont:
        font = QFont()
        font.setPointSizeF(self.base_font_pt * self.scale * relative)
        font.setBold(bold)
        return font

    def axis_title_style(self, relative: float = 1.0) -> dict[str, str]:
        """A pyqtgraph axis title's style (``setLabel(text, **style)``): the theme's text
        colour and size, as CSS, which a restyle (``theming``) scales and recolours."""
        return {"color": self.foreground.name(), "font-size": f"{self.font(relative).pointSizeF():.1f}pt"}

    def line(self, relative: float = 1.0) -> float:
        return self.base_line_px * self.scale * relative

    def marker(self, relative: float = 1.0) -> float:
        return self.base_marker_px * self.scale * relative

    def scaled(self, scale: float) -> Theme:
        return replace(self, scale=scale)

    # ----- Qt's own widgets ----------------------------------------------------------
    def application_font(self) -> QFont:
        """The font every widget without its own inherits (menus, tabs, docks, buttons)."""
        return self.font(1.0)

    def palette(self) -> QPalette:
        """Qt's palette in this theme's colours, so buttons, inputs, tabs, docks and menus
        match the painted views (Fusion draws every control from it)."""
        window, base, alternate, button, highlight, on_highlight, mid, link = (
            QColor(c) for c in _WINDOW_COLOURS[self.name])
        text = self.foreground
        role = QPalette.ColorRole
        palette = QPalette()
        for r, colour in ((role.Window, window), (role.WindowText, text), (role.Base, base),
                          (role.AlternateBase, alternate), (role.Text, text), (role.Button, button),
                          (role.ButtonText, text), (role.ToolTipBase, base), (role.ToolTipText, text),
                          (role.Highlight, highlight), (role.HighlightedText, on_highlight),
                          (role.Link, link), (role.BrightText, self.error), (role.PlaceholderText, self.muted),
                          (role.Light, button.lighter(130)), (role.Midlight, button.lighter(110)),
                          (role.Mid, mid), (role.Dark, mid.darker(130)), (role.Shadow, QColor("#000000")),
                          (role.Accent, highlight)):
            palette.setColor(r, colour)
        disabled = QPalette.ColorGroup.Disabled
        for r in (role.WindowText, role.Text, role.ButtonText):
            palette.setColor(disabled, r, self.muted)
        palette.setColor(disabled, role.Base, window)
        return palette
