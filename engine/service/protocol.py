"""What crosses the pipe between the window and the training host.

Torch-free on purpose: the window unpickles every message, and unpickling a class
imports its module. Snapshots and checkpoints arrive as numpy (``EpochSnapshot`` and
``Checkpoint`` are torch-free; train states are turned into numpy before sending).

Order matters and is kept: the host sends a session's ``SessionUpdate`` messages, the
reply to a request and a run's ``RunOutcome`` in the order they happened, and the
window applies them in that order, so its mirror of a session always equals the
host's session as of the last message applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.core.config import TrainingConfig


@dataclass(frozen=True)
class Request:
    """Run op ``op`` with ``args``; ``rid`` pairs the reply with it."""

    rid: int
    op: str
    args: tuple = ()


@dataclass(frozen=True)
class Reply:
    rid: int
    result: object = None


@dataclass(frozen=True)
class Refusal:
    """The op refused (a ``ValueError``: bad input, a missing session): ``message`` is
    for the learner. ``details`` is a traceback for anything else (a bug in an op)."""

    rid: int
    message: str
    details: str = ""


@dataclass(frozen=True)
class SessionUpdate:
    """What changed in one session since its previous update: enough to bring the
    window's mirror (``SessionRecord``) level with the host's session.

    ``history_from``: the mirror keeps its first ``history_from`` loss rows and appends
    ``rows`` (a rewind sends fewer rows than the mirror has). ``dropped``: stored epochs
    the host thinned or forgot; ``added``: new or replaced checkpoints, oldest first,
    their train states numpy; ``stride``: the host store's grid after these (the mirror's
    store takes it, so it thins on exactly as the host's does). ``epoch`` is the newest epoch trained, ``config`` the
    settings the next epoch uses (queued live changes included), ``train_images`` the
    2x2 images the next epoch uses (None for digits)."""

    sid: int
    history_from: int
    rows: np.ndarray
    dropped: tuple[int, ...]
    added: tuple
    epoch: int
    stride: int
    config: TrainingConfig
    train_images: np.ndarray | None
    epochs_per_second: float = 0.0


@dataclass(frozen=True)
class DivergenceFacts:
    """What a diverged run tells the window's report: the epoch that blew up and why."""

    failed_epoch: int
    cause: str


@dataclass(frozen=True)
class RunOutcome:
    """A run ended: ``kind`` is "finished", "paused", "diverged" or "error". Sent after
    the run's last ``SessionUpdate``. ``report`` is the divergence report the host
    computed (a ``DivergenceReport``: it needs the torch model to say whether going back
    helps)."""

    sid: int
    run: int
    kind: str
    message: str = ""
    divergence: DivergenceFacts | None = None
    report: object = None
    details: str = ""


@dataclass(frozen=True)
class HostStarted:
    """The host's first message: it is up (torch imported) and takes requests."""

    pid: int
    ops: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class RunRequest:
    """How long to run: a number of epochs, up to an epoch, below a loss, or until paused."""

    epochs: int | None = None
    until_epoch: int | None = None
    loss_below: float | None = None
    epochs_per_second: float | None = None  # None: as fast as possible


@dataclass(frozen=True)
class HostedSession:
    """A handle on a session the host already holds (made by an op, e.g. a lesson
    step's session trained ahead): a controller adopts it without moving it.
    ``lent``: the op's owner keeps it (the lesson path rewinds it on the next visit), so
    a controller that drops it leaves it in the host instead of closing it."""

    sid: int
    lent: bool = False
    #: The window's mirror of it when the window has one already (a lesson step's,
    #: rewound as the host rewound the session): adopted without asking for the record.
    record: object = field(default=None, compare=False, repr=False)
