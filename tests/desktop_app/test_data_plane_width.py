"""The latent view's data plane keeps a readable square when its dock is as narrow as it
goes: at 200 % (a lecture at 1920x1080) a presented step squeezed it to a 160-px square in
a column 740 px tall (issue 12's leftovers)."""

from __future__ import annotations

import pytest
from controller_helpers import controller_for
from PySide6.QtCore import QPointF

from desktop_app.theme import Theme
from desktop_app.theming import ThemeManager, apply_to_application
from desktop_app.views.latent_explorer import LatentExplorer
from engine.core.config import TrainingConfig

SQUARE_AT_100 = 90  # the unit square's side on screen, in px per 100 % of scale, at the least


@pytest.fixture
def controller(qapp):
    yield from controller_for(TrainingConfig(seed=3))
    apply_to_application(Theme())  # a restyle changed the application's font


def unit_square_width(explorer: LatentExplorer) -> float:
    """How wide the plane draws a = 0 to a = 1, in the widget's pixels."""
    plane = explorer.data_plane
    vb = plane.getPlotItem().vb
    left, right = (plane.mapFromScene(vb.mapViewToScene(QPointF(a, 0.0))) for a in (0.0, 1.0))
    return right.x() - left.x()


@pytest.mark.parametrize("restyled", [False, True], ids=["built", "restyled"])
@pytest.mark.parametrize("scale", [2.0, 2.5])  # a lecture's scales (100 % keeps 110 px: the first window's fit)
def test_the_data_plane_keeps_a_readable_square_in_the_narrowest_latent_view(qtbot, controller, scale, restyled):
    explorer = LatentExplorer(controller, Theme() if restyled else Theme().scaled(scale))
    qtbot.addWidget(explorer)
    if restyled:
        ThemeManager(Theme()).set_theme(Theme().scaled(scale), explorer)
    explorer.resize(explorer.minimumSizeHint().width(), int(700 * scale))  # tall: the width decides
    explorer.show()
    qtbot.waitExposed(explorer)
    explorer.resize(explorer.minimumSizeHint().width(), int(700 * scale))
    qtbot.wait(50)
    assert explorer.data_plane.isVisible()
    assert unit_square_width(explorer) >= SQUARE_AT_100 * scale
