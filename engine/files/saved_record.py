"""A session's mirror (``SessionRecord``) from its saved states: what a file and a
pre-trained model open into, in the window, without torch."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from engine.core.history import Checkpoint, CheckpointStore, LossHistory, snapshot_cap
from engine.core.net_layouts import layout_for
from engine.core.record import SessionRecord
from engine.core.shown_numbers import make_snapshot


def record_from_states(states: list[dict], history: LossHistory) -> SessionRecord:
    """The mirror of a saved session, from its states (oldest first; each a dict of
    ``epoch``, ``losses``, ``config``, ``model``, ``optimizer``, ``generator``, ``train``,
    arrays in numpy) and its loss history. Each stored epoch's snapshot is computed from
    its weights (``engine.core.shown_numbers``), exactly as the training session computed
    it, and added oldest first to a store of the session's own cap."""
    store = CheckpointStore(snapshot_cap(states[-1]["config"]))
    for state in states:
        config = state["config"]
        images, labels = shown_digits() if config.is_digits else (state["train"], None)
        snapshot = make_snapshot(state["epoch"], config, tuple(state["losses"]), state["model"], layout_for(config),
                                 images, labels=labels, initial=state["epoch"] == 0)
        train_state = {"model": snapshot.params, "optimizer": state["optimizer"], "generator": state["generator"],
                       "config": config, "train": None if config.is_digits else state["train"]}
        store.add(Checkpoint(snapshot, train_state))
    return SessionRecord(store, history)


@lru_cache(maxsize=1)
def shown_digits() -> tuple[np.ndarray, np.ndarray]:
    """The held-out digits (images, labels) a digit session shows, read once."""
    from engine.digits.data import load_digits, split_digits

    _train, test = split_digits(load_digits())
    return test.images, test.labels
