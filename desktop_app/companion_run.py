"""A second model kept in step with a first: the plain autoencoder beside the digit
VAE, the other model beside the workbench's in its latent comparison.

The companion has its own controller, so the engine trains it on its own worker
thread; this object only decides what it should do next so that it shows the same
epoch as its leader: train on to it, or (when the leader looks back in time) show
its own stored epoch there. It holds no Qt object and calls only the controllers'
methods, so the rule is written (and tested) once for every screen that uses it.
"""

from __future__ import annotations

from typing import Protocol


class _Snapshot(Protocol):
    epoch: int



class Trainer(Protocol):
    """What a companion run asks of a model's controller (``TrainingController``)."""

    @property
    def running(self) -> bool: ...

    @property
    def latest_epoch(self) -> int: ...

    @property
    def snapshot(self) -> _Snapshot: ...

    def step(self, epochs: int = 1) -> str | None: ...

    def show_epoch(self, epoch: int) -> None: ...

    def stored_snapshot_at(self, epoch: int) -> _Snapshot: ...


class CompanionRun:
    """``companion`` follows ``leader``'s epoch.

    ``looks_back``: when the leader shows an earlier epoch than the companion has
    trained to, the companion shows its stored epoch there too (the workbench's
    timeline); without it a companion that is ahead simply waits.
    """

    def __init__(self, leader: Trainer, companion: Trainer, *, looks_back: bool = False) -> None:
        self.leader = leader
        self.companion = companion
        self.looks_back = looks_back

    def target(self, run_target: int | None = None) -> int:
        """The epoch to be at: the one the leader shows if the companion looks back with
        it, else the leader's newest; while the leader runs to an epoch (a case study's
        run), that epoch, so both train side by side."""
        leader = self.leader.snapshot.epoch if self.looks_back else self.leader.latest_epoch
        return leader if run_target is None else max(leader, run_target)

    def keep_up(self, run_target: int | None = None) -> int | None:
        """One move towards ``target(run_target)``; the epoch the companion now trains
        to, or None when it does not train. Nothing while the companion runs: call
        again when its run ends (its controller's ``runningChanged(False)``)."""
        mine = self.companion
        if mine.running:
            return None
        target = self.target(run_target)
        behind = target - mine.latest_epoch
        if behind > 0:
            return None if mine.step(behind) else target
        if self.looks_back and mine.snapshot.epoch != mine.stored_snapshot_at(target).epoch:
            mine.show_epoch(target)
        return None
