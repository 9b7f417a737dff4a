"""Samples from the prior N(0, I) (``PriorPanel``): drawn on the latent canvas and
decoded, each a tile the learner can look at on the map.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from desktop_app.theme import Theme
from desktop_app.views.decoded_points import DecodedPointsPanel, ImageStrip
from desktop_app.views.latent_canvas import LatentCanvas
from desktop_app.views.latent_readout import hint
from desktop_app.widgets.number_box import WholeNumberBox
from engine.core.snapshot import EpochSnapshot
from engine.latent import space as latent

SAMPLE_TILES = 12


class PriorPanel(DecodedPointsPanel):
    """Samples from the prior N(0, I), drawn on the canvas and decoded."""

    def __init__(self, canvas: LatentCanvas, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(canvas, theme, "latentPriorPanel", parent)
        self.count = WholeNumberBox(self, what="The number of samples")
        self.count.setObjectName("priorCount")
        self.count.setRange(1, latent.MAX_SAMPLES)
        self.count.setValue(40)
        self.count.setSuffix(" samples")
        self.seed = WholeNumberBox(self, what="The seed")
        self.seed.setObjectName("priorSeed")
        self.seed.setRange(0, 1_000_000)
        self.seed.setPrefix("seed ")
        self.draw_button = QPushButton("Draw from N(0, I)", self)
        self.draw_button.setObjectName("priorDrawButton")
        self.clear_button = QPushButton("Clear", self)
        self.note = hint("", theme, self)
        self.strip = ImageStrip(theme, self, name="priorStrip",
                                empty_text="Draw samples: each × on the canvas is a point from N(0, I); "
                                           "their decoded images appear here.")
        self.lay_out((self.count, self.seed, self.draw_button, self.clear_button), (self.note,))
        self.draw_button.clicked.connect(self.draw)
        self.clear_button.clicked.connect(self.clear)

    def draw(self) -> None:
        self.canvas.state.samples = latent.prior_samples(self.count.value(), 2, self.seed.value())
        self._refresh_current()

    def clear(self) -> None:
        self.canvas.state.samples = None
        self._refresh_current()

    def _refresh_current(self) -> None:
        if self.canvas.snapshot is not None:
            self.refresh(self.canvas.snapshot)

    def refresh(self, snapshot: EpochSnapshot) -> None:
        """Decode the first samples with this epoch's decoder (they change as it learns)."""
        samples = self.canvas.state.samples
        if snapshot.is_variational:
            self.note.setText("A VAE's codes are pulled toward N(0, I), so samples from it land where the "
                              "decoder has learnt something. Click a × to decode it large.")
        else:
            self.note.setText("A plain autoencoder has no prior: nothing pulls its codes toward N(0, I), so "
                              "most of these samples land where no image was ever encoded.")
        if samples is None or snapshot.latent_dim != 2:
            self.show_points(None)
            return
        shown = samples[:SAMPLE_TILES]
        self.show_points(shown, snapshot.decode(shown), [f"#{k + 1}" for k in range(len(shown))])
