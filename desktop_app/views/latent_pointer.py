"""How the latent canvas answers the mouse and the keys (a mixin of ``LatentCanvas``):
selection and hover, the probe (press, drag, arrow keys) decoded by the snapshot's
own decoder and sent back through the state, and the interpolation path between two
ends.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent

from desktop_app.views.plane_points import dot_at, put_points
from engine.latent import space as latent


class LatentPointer:
    """Pointer, keys and the path, for ``LatentCanvas`` (it holds the items and the state)."""

    # ----- selection and hover ---------------------------------------------------------------------
    def set_selected(self, index: int) -> None:
        self._selected = int(index)
        if self._snapshot is not None:
            self._draw_marks()
            if self.state.trails_on:
                self._draw_trails()

    def set_hover(self, index: int) -> None:
        """Light up an image hovered elsewhere (the data plane)."""
        self._hovered = int(index)
        if self._snapshot is not None:
            self._draw_marks()

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        if self._snapshot is None or self._snapshot.latent_dim != 2:
            return
        inside = self._vb.sceneBoundingRect().contains(scene_pos)
        found = dot_at(self._vb, scene_pos, self._codes(), self.theme.marker()) if inside else None
        index = -1 if found is None else found
        if index != self._hovered:
            self.set_hover(index)
            self.imageHovered.emit(index)

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._hovered != -1:
            self.set_hover(-1)
            self.imageHovered.emit(-1)
        super().leaveEvent(event)

    # ----- the probe -----------------------------------------------------------------------------------
    @property
    def probe(self) -> np.ndarray | None:
        """Where the probe is on the snapshot shown (an image's probe moves with its code)."""
        return None if self._probe is None or self.state.probe is None else self._probe.copy()

    @property
    def probe_image(self) -> int | None:
        """The image whose code the probe sits on (and follows), if any."""
        probe = self.state.probe
        return probe[1] if probe is not None and probe[0] == "image" else None

    def set_probe(self, z: np.ndarray | tuple | list, image: int | None = None) -> None:
        """Decode at ``z`` (snapped to the digits shown) or at an image's code."""
        if self._snapshot is None:
            return
        probe = ("image", int(image)) if image is not None else ("point", tuple(float(v) for v in latent.snap(z)))
        if probe == self.state.probe:
            self._show_probe()  # asked again (a click on the same place): decoded again
        else:
            self.state.probe = probe

    def _show_probe(self) -> None:
        probe = self.state.probe
        if probe is None:
            self._probe = None
            self.probe_item.setVisible(False)
            return
        z = self._resolve(probe)
        if z is None:
            return
        self._probe = z
        self.probe_item.setPos(float(z[0]), float(z[1]))
        self.probe_item.setVisible(True)
        self.probeChanged.emit(z.copy(), self._snapshot.decode(z))

    # Left clicks and drags on the plane are handled here, before pyqtgraph's scene: its
    # dispatch (which items lie near the mouse, hover and click events for each) costs a
    # few milliseconds per click with 500 dots, and a click must show its image within a
    # frame. Everything else (Shift/middle-drag pans, wheel and right-drag zoom) goes on
    # to pyqtgraph as usual.
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_probe_press(event):
            self._probing = True
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._pick(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._probing and event.buttons() & Qt.MouseButton.LeftButton:
            p = self._vb.mapSceneToView(self.mapToScene(event.position().toPoint()))
            self.set_probe((p.x(), p.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._probing and event.button() == Qt.MouseButton.LeftButton:
            self._probing = False
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _is_probe_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self._snapshot is None:
            return False
        if self._snapshot.latent_dim != 2:
            return False
        if event.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier):
            return False
        return self._vb.sceneBoundingRect().contains(self.mapToScene(event.position().toPoint()))

    def _pick(self, scene_pos: QPointF) -> None:
        """A press: on an image's dot, decode its code and select it; on a prior sample,
        decode the sample; anywhere else, decode that point."""
        index = dot_at(self._vb, scene_pos, self._codes(), self.theme.marker())
        if index is not None:
            self.set_probe(None, image=index)
            # Selecting redraws every view that follows the selection: let the decoded
            # image paint first, and select on the next turn of the event loop.
            QTimer.singleShot(0, lambda: self._select(index))
            return
        samples = self.state.samples
        if samples is not None:
            k = dot_at(self._vb, scene_pos, samples[:, :2], self.theme.marker(0.9))
            if k is not None:
                self.set_probe(samples[k, :2])
                return
        p = self._vb.mapSceneToView(scene_pos)
        self.set_probe((p.x(), p.y()))

    def _select(self, index: int) -> None:
        self.imageClicked.emit(index)
        if self._controller is not None:
            self._controller.select_image(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        moves = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, 1), Qt.Key.Key_Down: (0, -1)}
        move = moves.get(Qt.Key(event.key()))
        if move is None or self._box is None:
            super().keyPressEvent(event)
            return
        step = latent.nudge_step(self._box) * (10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
        start = self._probe if self._probe is not None else np.array(
            [(self._box.x0 + self._box.x1) / 2, (self._box.y0 + self._box.y1) / 2])
        self.set_probe(start + step * np.asarray(move, dtype=np.float64))
        event.accept()

    # ----- interpolation ---------------------------------------------------------------------------------
    def set_path_end(self, which: int, end: tuple[str, object] | None) -> None:
        """Set endpoint 0 (A) or 1 (B): ("image", index) follows that image's code,
        ("point", z) stays put; None clears it."""
        ends = list(self.state.path_ends)
        ends[which] = end
        self.state.path_ends = tuple(ends)

    def path_end_from_probe(self) -> tuple[str, object] | None:
        return self.state.probe

    def _resolve(self, end: tuple[str, object]) -> np.ndarray | None:
        kind, value = end
        if kind == "image":
            codes = self._codes()
            return codes[value].copy() if 0 <= value < len(codes) else None
        return np.asarray(value, dtype=np.float64)

    def _update_path(self) -> None:
        ends = [self._resolve(e) if e is not None else None for e in self.state.path_ends]
        for label, z in zip(self.path_labels, ends, strict=True):
            label.setVisible(z is not None)
            if z is not None:
                label.setPos(float(z[0]), float(z[1]))
        if any(z is None for z in ends):
            put_points(self.path_item)
            self.pathChanged.emit(None, None)
            return
        points = latent.interpolation_path(ends[0], ends[1], self.state.path_steps, self.state.path_kind,
                                           latent.interpolation_centre(self._snapshot))
        put_points(self.path_item, points[:, 0], points[:, 1])
        self.pathChanged.emit(points, self._snapshot.decode(points))

    # ----- helpers for scripts and tests ------------------------------------------------------------------
    def viewport_pos(self, z: np.ndarray | tuple | list) -> QPoint:
        """Where the latent point ``z`` is, in the viewport's pixel coordinates."""
        scene = self._vb.mapViewToScene(QPointF(float(z[0]), float(z[1])))
        return self.mapFromScene(scene)
