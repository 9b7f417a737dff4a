"""The slides' worked examples, as data: their inputs and the figures the slides print.

The inputs are what the panels compute with; the printed figures are kept only to
compare against (LECTURE.md, "What every number on screen must obey": the slides are
test cases, not truth). Source: shared/lecture/generative-models-lecture.txt, the
slides "Sigmoid function", "Reconstruction loss (Mean squared error)",
"Reconstruction loss (log-loss)" and "Latent loss (KL-divergence)".

Pixel grids are written row by row, as on the slides: [[top-left, top-right],
[bottom-left, bottom-right]].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PrintedFigure:
    """A number as the slide prints it; its digits say how precise it claims to be."""

    text: str

    @property
    def value(self) -> float:
        return float(self.text)

    @property
    def decimals(self) -> int:
        return len(self.text.partition(".")[2])

    def matches(self, computed: float) -> bool:
        """True when ``computed``, rounded as the slide rounds, is the printed figure."""
        if not np.isfinite(computed):
            return False
        # The half-unit in the last printed place decides; a tiny margin absorbs the
        # binary representation of decimals such as 0.0046.
        return abs(computed - self.value) <= 0.5 * 10.0 ** (-self.decimals) + 1e-12


@dataclass(frozen=True)
class PixelExample:
    """x the original (target), y the reconstruction, and the loss the slide prints."""

    key: str
    title: str
    x: tuple[tuple[float, float], tuple[float, float]]
    y: tuple[tuple[float, float], tuple[float, float]]
    printed_total: PrintedFigure | None

    @property
    def x_array(self) -> np.ndarray:
        return np.array(self.x, dtype=np.float64)

    @property
    def y_array(self) -> np.ndarray:
        return np.array(self.y, dtype=np.float64)


@dataclass(frozen=True)
class DistributionExample:
    """Two 5-bin distributions and the KL(p, q) the slide prints."""

    key: str
    title: str
    p: tuple[float, ...]
    q: tuple[float, ...]
    printed_total: PrintedFigure | None

    @property
    def p_array(self) -> np.ndarray:
        return np.array(self.p, dtype=np.float64)

    @property
    def q_array(self) -> np.ndarray:
        return np.array(self.q, dtype=np.float64)


_DIAGONAL = ((0.6, 0.4), (0.4, 0.6))
_CHECKER = ((1.0, 0.0), (0.0, 1.0))
_P = (0.1, 0.2, 0.4, 0.2, 0.1)

#: Slide "Sigmoid function": σ(−5) = 0.01 … σ(5) = 0.99, as (x, printed σ(x)).
SIGMOID_TABLE: tuple[tuple[float, PrintedFigure], ...] = tuple(
    (x, PrintedFigure(text))
    for x, text in ((-5.0, "0.01"), (-2.0, "0.12"), (-1.0, "0.27"), (0.0, "0.5"),
                    (1.0, "0.73"), (2.0, "0.88"), (5.0, "0.99"))
)

#: Slides "Reconstruction loss (Mean squared error)": a good and a bad reconstruction.
MSE_EXAMPLES: tuple[PixelExample, ...] = (
    PixelExample("good", "a good reconstruction", _DIAGONAL, ((0.65, 0.42), (0.36, 0.59)), PrintedFigure("0.0046")),
    PixelExample("bad", "a bad reconstruction", _DIAGONAL, ((0.1, 0.9), (0.85, 0.2)), PrintedFigure("0.8625")),
)

#: Slides "Reconstruction loss (log-loss)": the same target, a confident right and a
#: confident wrong output.
LOG_LOSS_EXAMPLES: tuple[PixelExample, ...] = (
    PixelExample("good", "a good reconstruction", _CHECKER, ((0.9, 0.1), (0.1, 0.9)), PrintedFigure("0.421")),
    PixelExample("bad", "a bad reconstruction", _CHECKER, ((0.2, 0.8), (0.8, 0.2)), PrintedFigure("6.438")),
)

#: Slides "Latent loss (KL-divergence)". The first slide prints 0.132 under its own
#: written-out sum, which adds up to about 0.017 (0.1 ln(0.1/0.15) + 0.2 ln(0.2/0.15),
#: the other terms being 0); the panel shows the computed value and the printed one.
KL_EXAMPLES: tuple[DistributionExample, ...] = (
    DistributionExample("close", "q close to p", _P, (0.15, 0.15, 0.4, 0.2, 0.1), PrintedFigure("0.132")),
    DistributionExample("far", "q far from p", _P, (0.4, 0.1, 0.1, 0.1, 0.3), PrintedFigure("0.583")),
)
