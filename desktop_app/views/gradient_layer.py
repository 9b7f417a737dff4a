"""The diagram's gradient layer: every edge drawn by ∂L/∂w of the next step (the batch
gradient the optimiser will apply) instead of by its weight, so a learner sees which
weights the current error pushes hardest. Hue for the sign, thickness for the size
(relative to the largest gradient, since gradients shrink by orders of magnitude as
training goes on).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QTimer, Signal

from desktop_app.backprop_source import BreakdownSource
from desktop_app.controller import TrainingController
from desktop_app.views.diagram_items import MAX_EDGE_WIDTH, SCENE_H, SCENE_W, SceneText
from desktop_app.views.network_diagram import NetworkDiagram
from engine.lecture.backprop import Backprop, parse_key

MIN_GRADIENT_WIDTH = 0.8


def gradient_widths(gradients: dict[str, float]) -> dict[str, float]:
    """Edge thickness per weight: the largest |gradient| gets the widest edge, the rest in
    proportion, so thickness orders the edges exactly as |gradient| does."""
    largest = max((abs(g) for g in gradients.values()), default=0.0)
    if largest == 0:
        return {k: MIN_GRADIENT_WIDTH for k in gradients}
    return {k: MIN_GRADIENT_WIDTH + (MAX_EDGE_WIDTH - MIN_GRADIENT_WIDTH) * abs(g) / largest
            for k, g in gradients.items()}


class GradientLayer(QObject):
    """Switch with ``set_enabled``; the slow-motion step may ``override`` it for a stage."""

    toggled = Signal(bool)

    def __init__(self, diagram: NetworkDiagram, controller: TrainingController, source: BreakdownSource) -> None:
        super().__init__(diagram)
        self.diagram = diagram
        self.controller = controller
        self.source = source
        self.enabled = False
        self.note = ""  # why no gradients are drawn (training diverged), or ""
        self._override: Backprop | None = None
        self._key_item: SceneText | None = None
        self._built = -1
        self._drawn = False  # gradients or a note are on the diagram
        controller.snapshotChanged.connect(lambda _s: self.refresh())  # after the diagram's own render
        controller.configChanged.connect(lambda _c: self.refresh())
        diagram.installEventFilter(self)

    def set_enabled(self, on: bool) -> None:
        if on != self.enabled:
            self.enabled = on
            self.refresh()
            self.toggled.emit(on)

    def override(self, breakdown: Backprop | None) -> None:
        """Draw this step's gradients whatever the toggle says (None: back to the toggle)."""
        self._override = breakdown
        self.refresh()

    @property
    def showing(self) -> bool:
        return self.enabled or self._override is not None

    def refresh(self) -> None:
        if not self.diagram.isVisible() or self.diagram.variational is None:
            return  # drawn when the diagram is shown (eventFilter)
        if not self.showing and not self._drawn:
            return  # off, and nothing of it on screen: no work in a training frame
        breakdown, self.note = None, ""
        if self._override is not None:
            breakdown = self._override
        elif self.enabled:
            try:
                breakdown = self.source.current()
            except ValueError as exc:
                self.note = str(exc)
        self._draw(breakdown)

    def gradients(self, breakdown: Backprop) -> dict[str, float]:
        """∂L/∂w of every edge of the diagram, keyed like ``NetworkDiagram.weight_edges``."""
        out = {}
        for key in self.diagram.weight_edges():
            tensor, index = parse_key(key, breakdown.config.model)
            out[key] = float(breakdown.grads[tensor][index])
        return out

    def _draw(self, breakdown: Backprop | None) -> None:
        edges = self.diagram.weight_edges()
        model = "vae" if self.diagram.variational else "ae"
        if breakdown is not None and (breakdown.config.model == "vae") != (model == "vae"):
            breakdown = None  # the diagram has not caught up with a new model yet
        if breakdown is None:
            for edge in edges.values():
                if edge.gradient is not None:
                    edge.set_gradient(None)
        else:
            gradients = self.gradients(breakdown)
            widths = gradient_widths(gradients)
            for key, edge in edges.items():
                edge.set_gradient(gradients[key], widths[key])
        self._show_key(breakdown is not None or bool(self.note))
        self._drawn = breakdown is not None or bool(self.note)

    def _show_key(self, on: bool) -> None:
        """The diagram's legend speaks of weights; while gradients are drawn, say so instead."""
        if self._built != self.diagram.build_count:
            self._built = self.diagram.build_count
            self._key_item = SceneText(self.diagram.theme, 0.85, colour=self.diagram.theme.foreground)
            self.diagram.scene().addItem(self._key_item)
        legend = getattr(self.diagram, "legend", None)
        if legend is not None:
            legend.setVisible(not on)
        self._key_item.setVisible(on)
        if on:
            text = ("Edges show ∂L/∂w of the next step: blue solid +, orange dashed −, thicker = larger; "
                    "each weight moves against it" if not self.note
                    else "No gradients: " + self.note.split(":")[0] + ".")
            self._key_item.place(text, QPointF(SCENE_W / 2, SCENE_H - 20))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.diagram and event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self.refresh)  # after the diagram has caught up with the snapshot
        return False
