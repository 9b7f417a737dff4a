"""The planes' axis titles (z₁, z₂ on every latent canvas; a, b on the data plane) scale
with the window like the rest of its text.

Presentation mode at 200 % on a 1920x1080 projector left them at 10 pt beside 17 pt tick
values: they were set as the label item's own font, which a restyle does not touch. The
size read here is what pyqtgraph paints: the title's HTML size if it has one, else the
label item's font."""

from __future__ import annotations

import pytest

from desktop_app.main_window import MainWindow
from desktop_app.views.data_plane import DataPlane
from desktop_app.views.latent_canvas import LatentCanvas
from tests.desktop_app.plot_probes import Sizes, assert_titles_grew_with_their_ticks, sizes_at_100_and_200, title_sizes


def plane_sizes(window: MainWindow) -> Sizes:
    """Per plane and side: the title, its painted size, and the tick values' size."""
    planes = window.findChildren(LatentCanvas) + window.findChildren(DataPlane)
    return title_sizes({plane.objectName(): plane.getPlotItem() for plane in planes})


@pytest.mark.parametrize("how", ["presentation-mode", "built-at-200"])
def test_plane_axis_titles_are_twice_as_large_at_200_percent(qtbot, how):
    with sizes_at_100_and_200(qtbot, how, plane_sizes) as (at_100, at_200):
        assert {title for title, _size, _ticks in at_100.values()} == {"z₁", "z₂", "a", "b"}
        assert len(at_100) >= 6  # the workbench's canvas and data plane, the generation study's canvases
        assert_titles_grew_with_their_ticks(at_100, at_200)
