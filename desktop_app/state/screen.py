"""A screen as a lesson step describes it: which tab, which model on which data trained
how far, and on the workbench which views are shown, which is large, which image is
selected and where each panel takes its numbers from.

Its workbench part is a ``WorkbenchState`` (``ScreenState.workbench``), the same state
a saved session sets, set on the window by the same ``apply_workbench``. Qt-free on
purpose: a lesson file is parsed into ``ScreenState`` without a window, and
``desktop_app.lessons.screen_setup`` applies one to the window and reads one back, so
a test can compare what a step asked for with what the window shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.state.latent_map import LatentMapState
from desktop_app.state.workbench import DOCK_VIEWS, PAGE_VIEWS, VIEWS, PanelState, WorkbenchState
from engine.core.config import DATASETS, LOSS_KINDS, MODEL_KINDS
from engine.digits.pretrained import RECIPES
from engine.lecture.examples import KL_EXAMPLES, LOG_LOSS_EXAMPLES, MSE_EXAMPLES

TABS = ("workbench", "denoising", "generation")
__all__ = ["CASE_STUDY_MODELS", "DOCK_VIEWS", "PAGE_VIEWS", "PANEL_SOURCES", "TABS", "VIEWS", "ScreenState",
           "screen_problem"]
#: Where each panel with a source picker can take its numbers from (the pickers' keys).
PANEL_SOURCES: dict[str, tuple[str, ...]] = {
    "msePanel": (*(f"slide:{e.key}" for e in MSE_EXAMPLES), "live", "own"),
    "logLossPanel": (*(f"slide:{e.key}" for e in LOG_LOSS_EXAMPLES), "live", "own"),
    "klPanel": (*(f"slide:{e.key}" for e in KL_EXAMPLES), "own", "latent"),
}
#: Digit models a case-study step can show already trained (assets/pretrained/).
CASE_STUDY_MODELS = {"denoising": "dae", "generation": "vae"}
SIGMOID_START = 1.0  # the sigmoid panel's input when a step begins (the panel's own start)
#: The parts of the workbench a step sets (the rest stays as the learner left it).
STEP_PARTS = ("selected", "panels", "views", "latent")


@dataclass(frozen=True)
class ScreenState:
    """Everything a step decides about the window. ``visible`` lists the workbench views
    shown (the rest are hidden); ``epoch`` is how far a fresh session with ``seed`` is
    trained; ``sources`` maps a panel to its source key. On a case-study tab, ``model``
    is that study's digit model and ``epoch`` the shipped pre-trained one's."""

    tab: str = "workbench"
    visible: tuple[str, ...] = ("networkDiagram", "datasetView", "reconstructionView", "lossPlot", "timeline")
    large: str | None = None
    model: str = "ae"
    dataset: str = "diagonals"
    loss: str = "mse"
    seed: int = 0
    epoch: int = 0
    selected: int = 0
    sources: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        problem = screen_problem(self)
        if problem:
            raise ValueError(problem)

    @property
    def source_map(self) -> dict[str, str]:
        return dict(self.sources)

    def workbench(self) -> WorkbenchState:
        """The workbench this step shows, set with ``STEP_PARTS``: its views, the selected
        image with the probe on its code, each named panel's source, the sigmoid's start."""
        panels = {panel: PanelState(source=key) for panel, key in self.sources}
        panels["sigmoidPanel"] = PanelState(x=SIGMOID_START)
        return WorkbenchState(selected=self.selected, visible=self.visible, large=self.large,
                              latent=LatentMapState(probe=("image", self.selected)), panels=panels)


def screen_problem(s: ScreenState) -> str | None:
    """What is wrong with a screen, naming the unknown word; None when it is whole."""
    checks = [("tab", s.tab, TABS), ("model", s.model, MODEL_KINDS), ("dataset", s.dataset, DATASETS),
              ("loss", s.loss, LOSS_KINDS)]
    checks += [("view", name, VIEWS) for name in s.visible]
    if s.large is not None:
        checks.append(("view", s.large, VIEWS))
    checks += [("panel", panel, tuple(PANEL_SOURCES)) for panel, _key in s.sources]
    for kind, word, allowed in checks:
        if word not in allowed:
            return f"unknown {kind} {word!r} (known: {', '.join(allowed)})"
    for panel, key in s.sources:
        if key not in PANEL_SOURCES[panel]:
            return f"unknown example {key!r} for {panel} (known: {', '.join(PANEL_SOURCES[panel])})"
    if s.large is not None and s.large not in s.visible:
        return f"the large view {s.large!r} is not among the visible ones"
    for name, value in (("seed", s.seed), ("epoch", s.epoch), ("selected", s.selected)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"{name} must be a whole number of at least 0, not {value!r}"
    if s.dataset == "mnist" and s.tab == "workbench":
        return "the workbench trains 2x2 images; the digits live in the case-study tabs"
    if s.tab in CASE_STUDY_MODELS:
        model = CASE_STUDY_MODELS[s.tab]
        if s.model != model or s.dataset != "mnist":
            return f"the {s.tab} tab shows the {model!r} model on 'mnist', not {s.model!r} on {s.dataset!r}"
        config, shipped = RECIPES[model]
        if (s.loss, s.seed) != (config.loss, config.seed):
            return (f"the {s.tab} tab's model trains with loss {config.loss!r} and seed {config.seed}, "
                    f"not {s.loss!r} and {s.seed}")
        if s.epoch not in (0, shipped):
            return f"the {s.tab} tab starts fresh (epoch 0) or pre-trained (epoch {shipped}), not epoch {s.epoch}"
    return None
