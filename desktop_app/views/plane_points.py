"""Points on a plane as the latent canvas and the data plane draw them: which dot lies
under the mouse, whether two snapshots hold the same data, and setting an item's data
(hidden while it has none).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF


def dot_at(vb: pg.ViewBox, scene_pos: QPointF, points: np.ndarray, size_px: float) -> int | None:
    """The point drawn under a scene position (the nearest, if dots overlap), or None.

    Measured in screen pixels from the view's current scale, so it does not depend on
    whether the scatter has been painted since its last ``setData``."""
    if len(points) == 0:
        return None
    p = vb.mapSceneToView(scene_pos)
    pw, ph = vb.viewPixelSize()
    d2 = ((points[:, 0] - p.x()) / pw) ** 2 + ((points[:, 1] - p.y()) / ph) ** 2
    k = int(np.argmin(d2))
    return k if d2[k] <= (size_px / 2 + 2) ** 2 else None


def put_points(item: pg.GraphicsObject, *args: object, **kwargs: object) -> None:
    """``setData``, hiding an item with nothing to draw: the scene skips hidden items when
    it looks for what lies under the mouse, which it does on every click and move."""
    data = kwargs.get("pos", args[0] if args else None)
    empty = data is None or len(data) == 0
    if empty:
        if item.isVisible():
            if isinstance(item, pg.ScatterPlotItem):
                item.setData(pos=np.empty((0, 2)))
            else:
                item.setData([], [])
            item.setVisible(False)
        return
    item.setData(*args, **kwargs)
    item.setVisible(True)


def same_data(a: np.ndarray | None, b: np.ndarray) -> bool:
    """The same data (each snapshot holds its own copy, so identity alone says little)."""
    return a is b or (a is not None and a.shape == b.shape and np.array_equal(a, b))
