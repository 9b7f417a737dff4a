"""Swap the theme of a live window: no restart, nothing rebuilt, no state lost.

Every size and colour a widget got came from the theme it was built with (that is the
theme's contract). So a new theme can be applied to widgets built with an old one by
one rule: a size (font, line width, marker, minimum size) scales by new scale / old
scale, and a colour becomes the same-named colour of the new theme (the old
background becomes the new background, the old muted text the new muted text). Views
that cache something bigger (the network diagram's scene, a tile size) say so with an
``apply_theme(theme)`` method, which is called instead of the generic rule for their
own attributes.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsView, QLayout, QWidget

from desktop_app.theme import Theme

QT_MAX_SIZE = 16777215  # Qt's QWIDGETSIZE_MAX: no maximum set
_COLOUR_NAMES = ("background", "foreground", "muted", "grid", "accent", "error")
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


class ThemeManager(QObject):
    """The window's current theme. ``changed`` carries the new theme to the views."""

    changed = Signal(object)  # the new Theme

    def __init__(self, theme: Theme, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.theme = theme

    def set_theme(self, theme: Theme, root: QWidget | None = None) -> None:
        """Apply ``theme`` to the application and, if given, re-style ``root``'s widgets."""
        old, self.theme = self.theme, theme
        apply_to_application(theme)
        if root is not None and old != theme:
            restyle(root, old, theme)
        self.changed.emit(theme)


def apply_to_application(theme: Theme) -> None:
    """Qt's own widgets (buttons, inputs, tabs, docks, menus) in the theme's palette and font.

    Fusion draws every control from the palette (platform styles may not), so the dark
    theme really is dark everywhere."""
    app = QApplication.instance()
    if app is None:
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(theme.palette())
    app.setFont(theme.application_font())
    for kind in (QEvent.Type.ApplicationFontChange, QEvent.Type.ApplicationPaletteChange):
        QCoreApplication.sendPostedEvents(None, kind)  # every widget has them before we measure or lay out
    pg.setConfigOptions(background=theme.background, foreground=theme.foreground)


def colour_map(old: Theme, new: Theme) -> dict[int, QColor]:
    """Old theme's colours (as 0xRRGGBB) to the new theme's colours of the same name."""
    pairs: dict[int, QColor] = {}
    for name in _COLOUR_NAMES:
        pairs.setdefault(getattr(old, name).rgb() & 0xFFFFFF, getattr(new, name))
    for name in ("loss", "reconstruction", "kl"):
        pairs.setdefault(old.curve_colour(name).rgb() & 0xFFFFFF, new.curve_colour(name))
    old_palette, new_palette = old.palette(), new.palette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        pairs.setdefault(old_palette.color(role).rgb() & 0xFFFFFF, new_palette.color(role))
    return pairs


class _Restyler:
    """One pass over a widget tree (see the module docstring for the rule)."""

    def __init__(self, old: Theme, new: Theme) -> None:
        self.old, self.new = old, new
        self.ratio = new.scale / old.scale
        self.colours = colour_map(old, new)

    # ----- values --------------------------------------------------------------------
    def colour(self, colour: QColor) -> QColor:
        mapped = self.colours.get(colour.rgb() & 0xFFFFFF)
        if mapped is None:
            return colour
        result = QColor(mapped)
        result.setAlpha(colour.alpha())
        return result

    def font(self, font: QFont) -> QFont:
        font = QFont(font)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * self.ratio)
        elif font.pixelSize() > 0:
            font.setPixelSize(max(1, round(font.pixelSize() * self.ratio)))
        return font

    def pen(self, pen: QPen) -> QPen:
        pen = QPen(pen)
        pen.setColor(self.colour(pen.color()))
        if pen.widthF() > 0:
            pen.setWidthF(pen.widthF() * self.ratio)
        return pen

    def size(self, value: int) -> int:
        return value if value in (0, QT_MAX_SIZE) else max(1, round(value * self.ratio))

    # ----- widgets ---------------------------------------------------------------------
    def widget(self, widget: QWidget) -> None:
        hook = getattr(widget, "apply_theme", None)
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
            widget.setFont(self.font(widget.font()))
        if not widget.isWindow() and self.ratio != 1.0 and not _layout_sizes(widget):
            widget.setMinimumSize(self.size(widget.minimumWidth()), self.size(widget.minimumHeight()))
            widget.setMaximumSize(self.size(widget.maximumWidth()), self.size(widget.maximumHeight()))
        if callable(hook):
            hook(self.new)  # after the generic rule: the view's own sizes win
        else:
            for name in ("theme", "_theme"):
                if isinstance(getattr(widget, name, None), Theme):
                    setattr(widget, name, self.new)
        if widget.styleSheet():
            widget.setStyleSheet(_HEX.sub(lambda m: self.colour(QColor(m.group(0))).name(), widget.styleSheet()))
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette):
            self.palette(widget)
        if isinstance(widget, pg.GraphicsView):
            self.plot_view(widget)
        elif isinstance(widget, QGraphicsView) and not callable(hook):
            widget.setBackgroundBrush(self.colour(widget.backgroundBrush().color()))
        widget.updateGeometry()
        widget.update()

    def palette(self, widget: QWidget) -> None:
        palette = widget.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
            for role in QPalette.ColorRole:
                if role == QPalette.ColorRole.NColorRoles or not palette.isBrushSet(group, role):
                    continue
                palette.setColor(group, role, self.colour(palette.color(group, role)))
        widget.setPalette(palette)

    # ----- pyqtgraph ---------------------------------------------------------------------
    def plot_view(self, view: pg.GraphicsView) -> None:
        view.setBackground(self.colour(view.backgroundBrush().color()))
        for item in view.scene().items():
            if isinstance(getattr(item, "theme", None), Theme):
                item.theme = self.new
            if isinstance(item, pg.AxisItem):
                self.axis(item)
            elif isinstance(item, pg.PlotDataItem):
                self.data_item(item)
            elif isinstance(item, pg.ScatterPlotItem) and not isinstance(item.parentItem(), pg.PlotDataItem):
                self.scatter(item)
            elif isinstance(item, pg.PlotCurveItem) and not isinstance(item.parentItem(), pg.PlotDataItem):
                item.setPen(self.pen(pg.mkPen(item.opts["pen"])))
            elif isinstance(item, pg.InfiniteLine):
                item.setPen(self.pen(item.pen))
            elif isinstance(item, pg.LegendItem):
                self.legend(item)
            elif isinstance(item, pg.LabelItem) and not isinstance(item.parentItem(), pg.LegendItem):
                self.label(item)
            elif isinstance(item, pg.TextItem):
                item.setColor(self.colour(item.color))
                item.setFont(self.font(item.textItem.font()))

    def axis(self, axis: pg.AxisItem) -> None:
        if axis.style.get("tickFont") is not None:
            axis.setTickFont(self.font(axis.style["tickFont"]))
        axis.setPen(self.pen(axis.pen()))
        axis.setTextPen(self.pen(axis.textPen()))
        style = dict(axis.labelStyle)
        if "color" in style:
            style["color"] = self.colour(QColor(style["color"])).name()
        if "font-size" in style:
            style["font-size"] = _scaled_css_size(style["font-size"], self.ratio)
        axis.labelStyle = style
        axis._updateLabel()  # pyqtgraph's own redraw of the label from labelStyle
        if axis.fixedWidth is not None:
            axis.setWidth(self.size(int(axis.fixedWidth)))
        if axis.fixedHeight is not None:
            axis.setHeight(self.size(int(axis.fixedHeight)))

    def data_item(self, item: pg.PlotDataItem) -> None:
        if item.opts.get("pen") is not None:
            item.setPen(self.pen(pg.mkPen(item.opts["pen"])))
        if item.opts.get("symbol") is not None:
            item.setSymbolSize(item.opts["symbolSize"] * self.ratio)
            if item.opts.get("symbolPen") is not None:
                item.setSymbolPen(self.pen(pg.mkPen(item.opts["symbolPen"])))
            if item.opts.get("symbolBrush") is not None:
                brush = pg.mkBrush(item.opts["symbolBrush"])
                item.setSymbolBrush(pg.mkBrush(self.colour(brush.color())))

    def scatter(self, item: pg.ScatterPlotItem) -> None:
        sizes = item.data["size"]
        if len(sizes) and (sizes >= 0).any():
            item.setSize(sizes * self.ratio)
        item.opts["size"] = item.opts["size"] * self.ratio
        if not len(sizes) or (sizes < 0).all():
            item.setSize(item.opts["size"])
        brush = pg.mkBrush(item.opts["brush"])
        mapped = self.colour(brush.color())
        if mapped != brush.color():
            item.setBrush(pg.mkBrush(mapped))
        pen = pg.mkPen(item.opts["pen"])
        if self.colour(pen.color()) != pen.color():
            item.setPen(self.pen(pen))

    def legend(self, legend: pg.LegendItem) -> None:
        size = _scaled_css_size(legend.opts.get("labelTextSize", "9pt"), self.ratio)
        colour = self.colour(pg.mkColor(legend.opts.get("labelTextColor") or self.old.foreground))
        legend.opts["labelTextSize"] = size
        legend.opts["labelTextColor"] = colour
        for _sample, label in legend.items:
            label.setText(label.text, size=size, color=colour)

    def label(self, label: pg.LabelItem) -> None:
        options = {}
        if label.opts.get("size"):
            options["size"] = _scaled_css_size(label.opts["size"], self.ratio)
        if label.opts.get("color") is not None:
            options["color"] = self.colour(pg.mkColor(label.opts["color"]))
        label.setText(label.text, **options)


def _layout_sizes(widget: QWidget) -> bool:
    """Whether the widget's minimum and maximum sizes are its layout's (a QDockWidget's
    are): scaled, they would become sizes set by hand and stay when its content shrinks."""
    layout = widget.layout()
    return layout is not None and layout.sizeConstraint() in _LAYOUT_SET_SIZES


_LAYOUT_SET_SIZES = (QLayout.SizeConstraint.SetMinimumSize, QLayout.SizeConstraint.SetMaximumSize,
                     QLayout.SizeConstraint.SetMinAndMaxSize, QLayout.SizeConstraint.SetFixedSize)


def _scaled_css_size(text: str, ratio: float) -> str:
    """'12pt' times 1.5 is '18pt' (pyqtgraph keeps its text sizes as CSS strings)."""
    match = re.fullmatch(r"\s*([0-9.]+)\s*(pt|px)\s*", str(text))
    if not match:
        return text
    return f"{float(match.group(1)) * ratio:.1f}{match.group(2)}"


def restyle(root: QWidget, old: Theme, new: Theme) -> None:
    """Apply ``new`` to every widget under ``root`` that was built with ``old``."""
    restyler = _Restyler(old, new)
    for widget in [root, *root.findChildren(QWidget)]:
        restyler.widget(widget)
