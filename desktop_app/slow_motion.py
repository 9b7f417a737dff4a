""""Step 1 epoch" in slow motion: forward, loss, backward, update, one stage at a time.

It is a view of one ordinary step, not a second training loop: the first three stages
only show the worked-out step (``engine.lecture.backprop``, from the stored state of the newest
epoch), and the last stage asks the controller for its normal one-epoch step. So
however long a learner lingers, pauses or clicks on, the session ends exactly where
Step 1 epoch would have left it. Each stage advances by ``advance()`` (a button, or a
lesson path's → / PageDown) or by itself about once a second.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.backprop_source import BreakdownSource
from desktop_app.controller import TrainingController
from desktop_app.panels import formatting as fmt
from engine.lecture.backprop import Backprop

STAGES = ("forward", "loss", "backward", "update")
STAGE_MS = 1000
IDLE = -1


class SlowMotionStep(QObject):
    """Stages 0..3 (``IDLE`` when not playing); ``stageChanged`` carries the caption."""

    stageChanged = Signal(int, str)  # the stage now on screen (IDLE: none) and its caption
    refused = Signal(str)  # why a slow step cannot start now

    def __init__(self, controller: TrainingController, source: BreakdownSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.source = source
        self.stage = IDLE
        self.breakdown: Backprop | None = None
        self.caption = ""
        self._stepping = False  # our own step is under way (the last stage)
        self._timer = QTimer(self)
        self._timer.setInterval(STAGE_MS)
        self._timer.timeout.connect(self.advance)
        controller.runningChanged.connect(self._running_changed)
        controller.sessionReplaced.connect(lambda _s: self.cancel())

    @property
    def active(self) -> bool:
        return self.stage != IDLE

    @property
    def auto(self) -> bool:
        return self._timer.isActive()

    def start(self, auto: bool = False) -> str | None:
        """Begin at the forward stage; returns why not, if it cannot start now."""
        c = self.controller
        if c.running:
            return self._refuse("Pause training first: a slow step shows one step from a paused network.")
        if c.snapshot is not c.session.latest:
            c.show_epoch(c.session.epoch)  # a step always continues from the newest epoch
        try:
            self.breakdown = self.source.current()
        except ValueError as exc:
            return self._refuse(str(exc))
        self._enter(0)
        self.set_auto(auto)
        return None

    def advance(self) -> None:
        """The next stage (from idle: start). The last stage waits for its step to finish."""
        if self.stage == IDLE:
            self.start()
        elif self.stage < len(STAGES) - 1:
            self._enter(self.stage + 1)
        elif not self._stepping:
            self.cancel()

    def set_auto(self, on: bool) -> None:
        """Advance by itself about once a second (off: pause where it is)."""
        if on and self.active:
            self._timer.start()
        else:
            self._timer.stop()

    def cancel(self) -> None:
        """Stop showing stages; before the last stage nothing about the session changed."""
        self._timer.stop()
        if self.stage != IDLE:
            self.stage, self.caption = IDLE, ""
            self.stageChanged.emit(IDLE, "")

    # ----- internals ---------------------------------------------------------------------
    def _enter(self, stage: int) -> None:
        self.stage = stage
        if STAGES[stage] == "update":
            self._stepping = True
            error = self.controller.step(1)  # the ordinary step: the same code as Step 1 epoch
            if error:
                self._stepping = False
                self.cancel()
                self._refuse(error)
                return
        self.caption = self._caption(stage)
        self.stageChanged.emit(stage, self.caption)

    def _running_changed(self, running: bool) -> None:
        if running and not self._stepping:
            self.cancel()  # the learner pressed Play or Step: that step is not ours to show
        elif not running and self._stepping:
            self._stepping = False
            if self.stage == len(STAGES) - 1:
                self.caption = self._caption(self.stage)
                self.stageChanged.emit(self.stage, self.caption)

    def _refuse(self, message: str) -> str:
        self.refused.emit(message)
        return message

    def _caption(self, stage: int) -> str:
        b = self.breakdown
        n = min(self.controller.selected_index, len(b.inputs) - 1)
        head = f"{stage + 1} of 4 · "
        if STAGES[stage] == "forward":
            if b.is_variational:
                return (head + "Forward: each image flows left to right; the encoder gives μ and ln σ², the step "
                        "draws its own ε (listed in the panel) for z = μ + σ·ε, the outputs are σ(V z + c).")
            middle = ("σ(W x̃ + b) of a noisy input (the step draws fresh noise, listed in the panel)"
                      if b.config.model == "dae" else "σ(W x + b)")
            return (head + f"Forward: each image flows left to right; the latent units compute {middle}, "
                    "the outputs σ(V z + c).")
        if STAGES[stage] == "loss":
            return (head + f"Loss: each output pixel is compared with its target. Image {n + 1} costs "
                    f"{fmt.result(float(b.image_losses[n]))}; the batch's loss, the mean over "
                    f"{len(b.inputs)} images, is {fmt.result(b.loss)}.")
        if STAGES[stage] == "backward":
            return (head + "Backward: the error flows right to left, ∂L/∂y through σ′ along every edge; "
                    "the edges now show each weight's gradient ∂L/∂w.")
        if self._stepping:
            return head + "Update: the optimiser moves every weight against its gradient…"
        rule = "w ← w − η·∂L/∂w" if b.config.optimizer == "sgd" else "Adam's step"
        return (head + f"Update: every weight moved against its gradient ({rule}); this is epoch "
                f"{self.controller.session.epoch}, exactly as Step 1 epoch would have left it.")
