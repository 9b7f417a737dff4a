"""A training run you can step, pause, rewind and continue: the engine's core object.

The worker thread drives ``step``/``run``; the GUI only reads the snapshots it yields.
Settings changed while a run goes on (learning rate, β, noise) are queued and take
effect at the next epoch boundary, so nobody touches a model mid-update.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np
import torch

from engine.core import epoch as epoch_loop
from engine.core.config import LIVE_CHANGES, TrainingConfig, check_epochs
from engine.core.divergence import NonFinite, snapshot_problem, words_for
from engine.core.frozen import frozen
from engine.core.history import DIGIT_SNAPSHOT_CAP, SMALL_SNAPSHOT_CAP, Checkpoint, CheckpointStore, LossHistory
from engine.core.model_factory import make_model
from engine.core.net_layout import export_layout
from engine.core.optimizer_state import portable_optimizer_state
from engine.core.record import SessionRecord
from engine.core.shown_numbers import display_inputs, make_snapshot
from engine.core.snapshot import EpochSnapshot
from engine.core.train_state import portable_train_state
from engine.core.train_state_torch import to_torch
from engine.lecture.datasets import preset_dataset, validate_images


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the session stayed at the last finite epoch."""

    def __init__(self, last_finite_epoch: int, cause: str = "the loss became infinite or not a number") -> None:
        self.last_finite_epoch = last_finite_epoch
        self.cause = cause
        super().__init__(
            f"Training diverged in epoch {last_finite_epoch + 1}: {cause}. "
            f"The model is kept as it was after epoch {last_finite_epoch}; "
            "try a smaller learning rate."
        )


class TrainingInterrupted(RuntimeError):
    """An epoch was abandoned half-way (the window closing); nothing of it was kept."""


class TrainingSession:
    """One model, one dataset, one optimiser, and the history of their epochs."""

    def __init__(self, config: TrainingConfig, images: np.ndarray | None = None, device: str = "cpu") -> None:
        self._config = config
        # Where the model and its batches live ("cpu", "cuda", "mps": engine.core.device
        # resolves a learner's choice). Random draws stay on the CPU generator, so every
        # device trains from the same numbers; snapshots are CPU numpy copies.
        self.device = torch.device(device)
        self._pending: dict[str, object] = {}
        self._pending_lock = threading.Lock()
        self._stop = threading.Event()
        self._abort = threading.Event()
        self._generator = torch.Generator().manual_seed(config.seed)
        with torch.random.fork_rng():  # seeded initial weights, global stream untouched
            torch.manual_seed(config.seed)
            self.model = make_model(config).to(self.device)
        if config.model == "vae":
            self.model.generator = self._generator
        self._layout = export_layout(self.model)  # what the window's numpy forward pass runs
        self._optimizer: torch.optim.Optimizer | None = None  # made on first use (see optimizer)
        self._saved_optimizer_state: dict | None = None  # restored state waiting for the optimiser
        self._stored_optimizer: object = None  # the last epoch's stored optimiser state (its layout is shared)
        # Called before every mini-batch, on the training thread. A GUI sets it to wait
        # while its own thread draws (Python runs one thread at a time); None: no wait.
        self.before_batch: Callable[[], None] | None = None
        self._load_data(images)
        self.history = LossHistory()
        cap = DIGIT_SNAPSHOT_CAP if config.is_digits else SMALL_SNAPSHOT_CAP
        self.checkpoints = CheckpointStore(cap)
        self.epoch = 0
        self._remember(self._make_snapshot(0.0, 0.0, 0.0, initial=True))

    @classmethod
    def from_saved(cls, states: list[dict], history: LossHistory) -> TrainingSession:
        """Rebuild a session from saved checkpoints (oldest first) and its loss history."""
        states = sorted(states, key=lambda s: s["epoch"])
        if len(history) != states[-1]["epoch"]:
            raise ValueError("the loss history does not match the saved epochs")
        session = cls(states[0]["config"], images=None if states[0]["config"].is_digits else states[0]["train"].numpy())
        session.checkpoints.truncate_after(-1)
        for state in states:
            state = {**state, "generator": state["generator"].clone()}
            session._restore(state)
            session.epoch = state["epoch"]
            session._latest = session._make_snapshot(*state["losses"], initial=state["epoch"] == 0)
            # The saved state is the session's own (nothing else holds it): kept as the
            # checkpoint without the copy _remember makes of a live model's state.
            session.checkpoints.add(Checkpoint(session._latest, state))
        session.history = history
        return session

    @classmethod
    def from_record(cls, record: SessionRecord, device: str = "cpu") -> TrainingSession:
        """A live session from a mirror (a file opened in the window, or a restart after
        the training process died): it stands at the record's newest epoch and can go
        back to any stored one. The record's snapshot objects are shared, its numpy
        train states become tensors when an epoch is restored; settings the record
        holds beyond its newest epoch (queued live changes) are queued again."""
        newest = record.checkpoints.newest()
        config = newest.train_state["config"]
        train = newest.train_state.get("train")
        session = cls(config, images=None if config.is_digits else np.asarray(train, dtype=np.float32), device=device)
        session.checkpoints = record.checkpoints.mapped(lambda checkpoint: checkpoint)
        session._restore(newest.train_state)
        session.epoch = newest.snapshot.epoch
        session._latest = newest.snapshot
        session.history = LossHistory.from_array(record.history.as_array())
        queued = {name: getattr(record.config, name) for name in LIVE_CHANGES
                  if getattr(record.config, name) != getattr(config, name)}
        if queued:
            session.change(**queued)
        return session

    def record(self) -> SessionRecord:
        """The window's mirror of this session: its stored checkpoints (numpy already, and
        never changed once stored, so they are shared) and a copy of its history."""
        return SessionRecord(self.checkpoints.mapped(lambda checkpoint: checkpoint),
                             LossHistory.from_array(self.history.as_array()), config=self.config)

    @property
    def optimizer(self) -> torch.optim.Optimizer:
        """The optimiser, made when training first needs it: torch's first optimiser
        imports torch._dynamo (about 2 s), which must not delay the first window."""
        if self._optimizer is None:
            self._optimizer = _make_optimizer(self._config, self.model)
            if self._saved_optimizer_state is not None:
                self._load_optimizer_state(self._saved_optimizer_state)
                self._saved_optimizer_state = None
        return self._optimizer

    # ----- reading -------------------------------------------------------------------
    @property
    def config(self) -> TrainingConfig:
        """The settings the next epoch will use (queued changes included)."""
        with self._pending_lock:
            return self._config.replace(**self._pending) if self._pending else self._config

    @property
    def has_pending_changes(self) -> bool:
        with self._pending_lock:
            return bool(self._pending) or self._pending_images is not None

    @property
    def latest(self) -> EpochSnapshot:
        return self._latest

    def snapshot_at(self, epoch: int) -> EpochSnapshot:
        """The stored snapshot nearest at or before ``epoch`` (history is thinned)."""
        return self.checkpoints.at_or_before(epoch).snapshot

    @property
    def train_images(self) -> np.ndarray:
        """The training images the next epoch will use (a queued edit included)."""
        with self._pending_lock:
            if self._pending_images is not None:
                return self._pending_images.copy()
        return self._train.cpu().numpy().copy()

    # ----- changing settings ---------------------------------------------------------
    def change(self, **changes: object) -> TrainingConfig:
        """Queue live setting changes; validated now, applied at the next epoch."""
        unknown = set(changes) - set(LIVE_CHANGES)
        if unknown:
            raise ValueError(f"{', '.join(sorted(unknown))} can only change with a new session.")
        checked = self.config.replace(**changes)  # raises ValueError on bad values
        with self._pending_lock:
            self._pending.update(changes)
        return checked

    def set_images(self, images: object) -> None:
        """Replace a 2x2 training set (validated); takes effect at the next epoch."""
        if self._config.is_digits:
            raise ValueError("The digit case studies use the shipped digits.")
        checked = validate_images(images)
        with self._pending_lock:
            self._pending_images = checked

    # ----- training --------------------------------------------------------------------
    def step(self) -> EpochSnapshot:
        """Run exactly one epoch; on divergence, raise and stay at the last finite epoch."""
        self._abort.clear()
        return self._step()

    def _step(self) -> EpochSnapshot:
        self._apply_pending()
        try:
            parts = self._train_one_epoch()
            self.epoch += 1
            snapshot = self._make_snapshot(*parts)
            problem = snapshot_problem(snapshot)  # the weights, and what they make of the images
            if problem is not None:  # e.g. finite weights whose σ = exp(½ ln σ²) overflows
                self.epoch -= 1
                raise NonFinite(problem)
        except TrainingInterrupted:
            self._roll_back()
            raise
        except NonFinite as exc:  # nothing of the epoch is kept
            self._roll_back()
            raise TrainingDiverged(self.epoch, exc.cause) from None
        self.history.append(*parts)
        self._remember(snapshot)
        return snapshot

    def run(
        self,
        epochs: int | None = None,
        *,
        until_epoch: int | None = None,
        loss_below: float | None = None,
        on_epoch: Callable[[EpochSnapshot], None] | None = None,
    ) -> Iterator[EpochSnapshot]:
        """Yield a snapshot per epoch until a count, an epoch, a loss threshold or a stop.

        Earlier stop requests are forgotten here, when the run is asked for, not when its
        first epoch starts: a stop that comes in between (a window closing just after
        Play, on another thread) still stops it."""
        target = _target_epoch(self.epoch, epochs, until_epoch)
        self._stop.clear()
        self._abort.clear()
        return self._epochs(target, loss_below, on_epoch)

    def _epochs(
        self, target: int | None, loss_below: float | None, on_epoch: Callable[[EpochSnapshot], None] | None
    ) -> Iterator[EpochSnapshot]:
        while (target is None or self.epoch < target) and not self._stop.is_set():
            snapshot = self._step()
            if on_epoch is not None:
                on_epoch(snapshot)
            yield snapshot
            if loss_below is not None and snapshot.loss < loss_below:
                return

    def refresh(self) -> EpochSnapshot:
        """Apply queued changes now and redraw the current epoch (no training).

        Call only while no epoch is running: e.g. a pixel edited while paused shows
        its new activations at once instead of after the next epoch.
        """
        self._apply_pending()
        latest = self._latest
        snapshot = self._make_snapshot(latest.loss, latest.reconstruction_loss, latest.kl,
                                       initial=self.epoch == 0)
        self._remember(snapshot)
        return snapshot

    def request_stop(self) -> None:
        """Pause: stop after the epoch under way."""
        self._stop.set()

    def abort(self) -> None:
        """Stop now, abandoning the epoch under way (used when the window closes)."""
        self._stop.set()
        self._abort.set()

    def go_to_epoch(self, epoch: int) -> EpochSnapshot:
        """Go back to a stored epoch and continue from there; later epochs are forgotten."""
        checkpoint = self.checkpoints.at_or_before(epoch)
        self._restore(checkpoint.train_state)
        self.epoch = checkpoint.snapshot.epoch
        self.history.truncate_after(self.epoch)
        self.checkpoints.truncate_after(self.epoch)
        self._latest = checkpoint.snapshot
        return self._latest

    # ----- internals ---------------------------------------------------------------------
    def _load_data(self, images: np.ndarray | None) -> None:
        c = self._config
        self._pending_images: np.ndarray | None = None
        self.labels = None
        if c.is_digits:
            from engine.digits.data import load_digits, split_digits

            train, test = split_digits(load_digits())
            self._train = torch.from_numpy(train.images).to(self.device)
            self._display = torch.from_numpy(test.images).to(self.device)
            self.labels = frozen(test.labels)
        else:
            if images is None:
                images = preset_dataset(c.dataset, c.dataset_size, c.seed)
            self._train = torch.from_numpy(validate_images(images)).to(self.device)
            self._display = self._train
        self._refresh_display_inputs()

    def _refresh_display_inputs(self) -> None:
        """The images shown and the inputs fed for them (corrupted for a denoiser: a fixed
        noise seed, so they stay put), frozen once and kept until the images or the noise
        change: every snapshot until then shares them."""
        self._display_images = frozen(self._display.cpu().numpy())
        self._display_inputs = frozen(display_inputs(self._display_images, self._config))

    def _apply_pending(self) -> None:
        with self._pending_lock:
            changes, self._pending = self._pending, {}
            images, self._pending_images = self._pending_images, None
        if images is not None:
            self._train = torch.from_numpy(images).to(self.device)
            self._display = self._train
        if changes:
            self._config = self._config.replace(**changes)
            self._sync_learning_rate()
        if changes or images is not None:
            self._refresh_display_inputs()

    def _train_one_epoch(self) -> tuple[float, float, float]:
        """The project's one epoch loop (``engine.core.epoch``); an abort (the window
        closing) abandons the epoch between two batches, a non-finite loss before its
        update. Weights an update made non-finite are caught with the epoch's snapshot
        (``snapshot_problem``); either way the whole epoch is rolled back."""
        if self._abort.is_set():
            raise TrainingInterrupted("Training was stopped before the epoch began.")
        result = epoch_loop.train_epoch(self.model, self.optimizer, self._train, self._config, self._generator,
                                        before_batch=self.before_batch, stop=self._abort.is_set)
        if not result.finite:
            raise NonFinite(f"the loss {words_for(result.loss)}")
        if result.images < len(self._train):
            raise TrainingInterrupted("Training was stopped in the middle of an epoch.")
        return result.parts

    def _make_snapshot(self, loss: float, recon: float, kl: float, initial: bool = False) -> EpochSnapshot:
        """The epoch's snapshot, its numbers computed in numpy from the weights as a file
        opened in the window computes them (``engine.core.shown_numbers``)."""
        return make_snapshot(
            self.epoch, self._config, (loss, recon, kl), self.model.state_dict(), self._layout,
            self._display_images, inputs=self._display_inputs, labels=self.labels, initial=initial,
        )

    def _remember(self, snapshot: EpochSnapshot) -> None:
        self._latest = snapshot
        self.checkpoints.add(Checkpoint(snapshot, self._train_state(snapshot)))

    def _roll_back(self) -> None:
        """Back to the start of the epoch under way (always the newest checkpoint),
        keeping the current settings so a learner's fix (a smaller rate) survives."""
        self._restore(self.checkpoints.at_or_before(self.epoch).train_state, settings=False)

    def _train_state(self, snapshot: EpochSnapshot) -> dict:
        """What this epoch needs to go on from it, stored as the window's mirror and a file
        hold it (``portable_train_state``: numpy copies; the weights are the snapshot's
        own frozen copy, taken at the same moment), so a stored epoch crosses to the
        window as it is. The training host used to convert every epoch again on its way
        out, under the interpreter lock its training thread needs."""
        optimizer = self._saved_optimizer_state if self._optimizer is None else self._optimizer.state_dict()
        self._stored_optimizer = portable_optimizer_state(optimizer, like=self._stored_optimizer)
        return portable_train_state({
            "model": snapshot.params,
            "optimizer": self._stored_optimizer,
            "generator": self._generator.get_state(),
            "config": self._config,
            "train": snapshot.images if self._display is self._train else self._train,  # shared when shown
        })

    def _restore(self, state: dict, settings: bool = True) -> None:
        state = to_torch(state)  # a mirror's or a file's checkpoint holds numpy arrays
        self._abort.clear()
        self.model.load_state_dict(state["model"])
        if state["optimizer"] is None:  # saved before the first update: a fresh optimiser
            self._optimizer, self._saved_optimizer_state = None, None
        elif self._optimizer is None:  # made (and given this state) when training needs it
            self._saved_optimizer_state = state["optimizer"]
        else:
            self._load_optimizer_state(state["optimizer"])
        self._generator.set_state(state["generator"])
        if settings:
            self._config = state["config"]
            if state["train"] is not None:  # None: a digit session's shipped digits
                self._train = state["train"].to(self.device)
        if not self._config.is_digits:
            self._display = self._train
        self._sync_learning_rate()
        self._refresh_display_inputs()

    def _load_optimizer_state(self, state: dict) -> None:
        """Load saved moments; ``param_groups`` None (a file) means the fresh optimiser's
        own groups, so nothing in a file sets hyperparameters but the config."""
        groups = state["param_groups"] or self._optimizer.state_dict()["param_groups"]
        self._optimizer.load_state_dict(_clone_optimizer_state({"state": state["state"], "param_groups": groups}))
        self._sync_learning_rate()

    def _sync_learning_rate(self) -> None:
        if self._optimizer is not None:
            for group in self._optimizer.param_groups:
                group["lr"] = self._config.learning_rate


def _clone_optimizer_state(state: dict) -> dict:
    """A copy of an optimiser state dict that shares no tensor with the original
    (``copy.deepcopy`` does the same about ten times slower)."""
    return {
        "state": {
            key: {name: v.clone() if isinstance(v, torch.Tensor) else v for name, v in slots.items()}
            for key, slots in state["state"].items()
        },
        "param_groups": [dict(group) for group in state["param_groups"]],
    }


def _make_optimizer(config: TrainingConfig, model: torch.nn.Module) -> torch.optim.Optimizer:
    """SGD, or Adam with torch's fused kernel: one call per tensor for the whole update
    instead of a dozen, the same algorithm to float rounding. Measured on one CPU thread:
    a digit VAE epoch 0.67 → 0.42 s, a 2x2 autoencoder epoch 430 → 330 µs."""
    if config.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=config.learning_rate)
    return torch.optim.Adam(model.parameters(), lr=config.learning_rate, fused=True)


def _target_epoch(current: int, epochs: int | None, until_epoch: int | None) -> int | None:
    if epochs is not None and until_epoch is not None:
        raise ValueError("Give either a number of epochs or an epoch to stop at, not both.")
    if epochs is not None:
        return current + check_epochs(epochs)
    if until_epoch is not None:
        return check_epochs(until_epoch)
    return None
