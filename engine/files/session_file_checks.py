"""Every value read from a session file, checked before it reaches a session.

One place decides what a saved session may hold: settings go through
``engine.core.config`` (the same checks as typed input), images through
``engine.lecture.datasets.validate_images``; weights, optimiser moments and generator states
must have exactly the shapes and dtypes the configured network has, and be finite.
Checks run on whole stacked arrays at once (one ``isfinite`` per array, not per
epoch), so a 2000-epoch session is checked in milliseconds.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

from engine.core.config import TrainingConfig
from engine.core.history import COLUMNS, LossHistory
from engine.core.net_layouts import layout_for, state_shapes
from engine.files.session_archive import MAX_HEADER_BYTES, MAX_JSON_DEPTH, SessionFileError
from engine.lecture.datasets import validate_images

FORMAT_NAME = "autoencoder-lab-session"
MAX_CHECKPOINTS = 4096
MAX_SESSIONS = 16
MAX_APP_STATE_ITEMS = 200_000
_NAME = re.compile(r"[a-z][a-z0-9_.-]{0,39}")
_CONFIG_FIELDS = {f.name for f in TrainingConfig.__dataclass_fields__.values()}
_FIXED_FIELDS = ("model", "dataset", "optimizer", "latent_dim")  # what fixes the network's shapes
_OPTIMIZER_SLOTS = {"adam": {"step": "step", "exp_avg": "like", "exp_avg_sq": "like+"},
                    "sgd": {"momentum_buffer": "like"}}
#: Bytes of torch's CPU random generator state (mt19937 and its normal-sample cache);
#: a test checks it against ``torch.Generator().get_state()``. Files store it as is.
GENERATOR_BYTES = 5056


def check_session_name(name: object, error: type[Exception] = ValueError) -> str:
    """A session's name in a file: short lower-case words like ``"denoising"``."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise error(f"{str(name)[:40]!r} is not a session name (lower-case letters, digits, '_', '-', '.').")
    return name


def check_app_state(value: object, error: type[Exception] = ValueError) -> dict:
    """``value`` if it is a dict of plain JSON (str keys; str, finite numbers, bools,
    None, lists, dicts) no deeper than 32 levels and no larger than 16 MB; walked
    without recursion, so a deeply nested value cannot exhaust the stack."""
    if not isinstance(value, dict):
        raise error("The app state must be a dict.")
    stack, items, text = [(value, 1)], 0, 0
    while stack:
        node, depth = stack.pop()
        items += 1
        if depth > MAX_JSON_DEPTH or items > MAX_APP_STATE_ITEMS:
            raise error("The app state is nested too deeply or holds too many values.")
        if isinstance(node, dict):
            for key, child in node.items():
                if not isinstance(key, str):
                    raise error(f"The app state has a key that is not text ({key!r:.40}).")
                text += len(key)
                stack.append((child, depth + 1))
        elif isinstance(node, (list, tuple)):
            stack.extend((child, depth + 1) for child in node)
        elif isinstance(node, str):
            text += len(node)
        elif isinstance(node, float) and not math.isfinite(node):
            raise error("The app state holds a number that is not finite.")
        elif isinstance(node, int) and abs(node) > 2**63:
            raise error("The app state holds a whole number too large to store.")
        elif node is not None and not isinstance(node, (bool, int, float)):
            raise error(f"The app state holds a {type(node).__name__}, which is not plain JSON.")
        if text > MAX_HEADER_BYTES:
            raise error("The app state is larger than 16 MB.")
    return value


def checked_states(name: str, meta: object, members: dict[str, np.ndarray], prefix: str):
    """(states, oldest first, loss history) of one saved session: each state a dict of
    ``epoch``, ``losses``, ``config``, ``model``, ``optimizer``, ``generator`` and
    ``train``, every array numpy (views into the file's stacked arrays)."""
    try:
        return _Checker(name, members, prefix).states(meta)
    except SessionFileError:
        raise
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, RecursionError, MemoryError) as exc:
        raise SessionFileError(f"The {name} session in this file is damaged or was changed by hand ({exc}).") from exc


def shown_numbers_finite(snapshot) -> bool:
    """Whether every number a view shows of this epoch is finite: finite weights can
    still give an infinite σ (a crafted file, or training just before it diverged)."""
    arrays = [snapshot.codes, snapshot.reconstructions, snapshot.image_losses]
    if snapshot.log_vars is not None:
        with np.errstate(over="ignore"):
            arrays += [snapshot.spreads, snapshot.samples]
    return all(np.isfinite(a).all() for a in arrays) and math.isfinite(snapshot.loss)


def check_shown_numbers(name: str, session) -> None:
    """Refuse a session any of whose stored epochs would put a non-finite number on screen."""
    for checkpoint in session.checkpoints:
        if not shown_numbers_finite(checkpoint.snapshot):
            raise SessionFileError(
                f"At epoch {checkpoint.snapshot.epoch} the {name} session in this file gives numbers "
                "that are not finite (an infinite σ or code): its training had diverged, or the file "
                "was changed by hand. It cannot be shown."
            )


class _Checker:
    def __init__(self, name: str, members: dict[str, np.ndarray], prefix: str) -> None:
        self.name, self.members, self.prefix = name, members, prefix
        self.fixed: tuple | None = None  # the first epoch's network; every other must match
        self.taken: dict[int, int] = {}  # per optimiser group, how many epochs took their slice

    def fail(self, what: str) -> SessionFileError:
        return SessionFileError(f"The {self.name} session in this file is damaged: {what}.")

    def array(self, key: str, dtype: str, shape: tuple) -> np.ndarray:
        value = self.members.get(self.prefix + key)
        if value is None:
            raise self.fail(f"{key} is missing")
        if value.dtype != np.dtype(dtype) or value.shape != shape:
            raise self.fail(f"{key} has shape {value.shape} of {value.dtype}, not {shape} of {np.dtype(dtype)}")
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            raise self.fail(f"{key} holds a value that is not finite")
        return value

    def states(self, meta: object) -> tuple[list[dict], LossHistory]:
        meta = _dict(meta, self.fail, "its description")
        metas = _list(meta["checkpoints"], self.fail, "its list of epochs", 1, MAX_CHECKPOINTS)
        configs = [self.config(raw) for raw in _list(meta["configs"], self.fail, "its settings", 1, MAX_CHECKPOINTS)]
        epochs = [_int(_dict(m, self.fail, "an epoch")["epoch"], self.fail, "an epoch", 0, 10**8) for m in metas]
        if any(b <= a for a, b in zip(epochs, epochs[1:], strict=False)):
            raise self.fail("its epochs are not in order")
        n = _int(meta["epoch"], self.fail, "its epoch", 0, 10**8)
        history = self.array("history", "<f8", (n, len(COLUMNS)))
        if epochs[-1] != n:
            raise self.fail("the loss history does not match the saved epochs")
        k = len(metas)
        c = configs[0]
        shapes, parameter_shapes = _network_shapes(c.model, c.dataset, c.latent_dim)
        model = {p: self.array(f"model/{p}", dtype, (k, *shape)) for p, (shape, dtype) in shapes.items()}
        if any((model[p] < 0).any() for p in model if p.endswith(("running_var", "num_batches_tracked"))):
            raise self.fail("a batch-norm statistic is negative")
        extra = {key for key in self.members if key.startswith(f"{self.prefix}model/")} - {
            f"{self.prefix}model/{p}" for p in shapes}
        if extra:
            raise self.fail(f"it holds weights the network does not have ({sorted(extra)[0]})")
        generators = self.array("generator", "|u1", (k, GENERATOR_BYTES))
        trains = [] if configs[0].is_digits else self.trains()
        optimizers = self.optimizer_groups(meta, metas, c.optimizer, parameter_shapes)
        states = []
        for i, m in enumerate(metas):
            losses = _list(m["losses"], self.fail, "the losses", 3, 3)
            if not all(_is_number(v) and math.isfinite(v) for v in losses):
                raise self.fail(f"the losses of epoch {epochs[i]} are not finite numbers")
            states.append({
                "epoch": epochs[i], "losses": [float(v) for v in losses],
                "config": configs[_int(m["config"], self.fail, "a settings index", 0, len(configs) - 1)],
                "model": {p: w[i, ...] for p, w in model.items()},
                "optimizer": self.optimizer_of(m, optimizers),
                "generator": generators[i, ...],
                "train": None if configs[0].is_digits
                else trains[_int(m["train"], self.fail, "a dataset index", 0, len(trains) - 1)],
            })
        return states, LossHistory.from_array(history)

    def config(self, raw: object) -> TrainingConfig:
        raw = _dict(raw, self.fail, "its settings")
        unknown = set(raw) - _CONFIG_FIELDS
        if unknown:
            raise self.fail(f"it names an unknown setting ({sorted(map(str, unknown))[0][:40]})")
        try:
            config = TrainingConfig(**raw)
        except (ValueError, TypeError) as exc:
            raise SessionFileError(
                f"The {self.name} session in this file has a setting that is not valid: {exc}"
            ) from exc
        if self.fixed is None:
            self.fixed = tuple(getattr(config, f) for f in _FIXED_FIELDS)
        elif tuple(getattr(config, f) for f in _FIXED_FIELDS) != self.fixed:
            raise self.fail("its epochs disagree about the network")
        return config

    def trains(self) -> list[np.ndarray]:
        trains, j = [], 0
        while f"{self.prefix}train/{j}" in self.members:
            raw = self.members[f"{self.prefix}train/{j}"]
            if raw.dtype != np.float32 or raw.ndim != 2:
                raise self.fail(f"training set {j} is not a table of pixels")
            try:
                trains.append(validate_images(raw))
            except ValueError as exc:
                raise self.fail(f"training set {j}: {exc}") from exc
            j += 1
        if not trains:
            raise self.fail("its training images are missing")
        return trains

    def optimizer_groups(self, meta: dict, metas: list, kind: str, shapes: list) -> list[dict]:
        groups = []
        for g, slots in enumerate(_list(meta.get("opt_groups", []), self.fail, "the optimiser state", 0, 8)):
            count = sum(1 for m in metas if m.get("opt") == g)
            state: dict[int, dict[str, np.ndarray]] = {}
            for pair in _list(slots, self.fail, "the optimiser state", 0, 4 * len(shapes)):
                pid, slot = _list(pair, self.fail, "an optimiser slot", 2, 2)
                pid = _int(pid, self.fail, "a parameter number", 0, len(shapes) - 1)
                rule = _OPTIMIZER_SLOTS[kind].get(slot) if isinstance(slot, str) else None
                if rule is None or slot in state.get(pid, {}):
                    raise self.fail(f"the {kind} optimiser has no slot {str(slot)[:40]!r}")
                shape = () if rule == "step" else shapes[pid]
                value = self.array(f"opt{g}/{pid}/{slot}", "<f4", (count, *shape))
                if rule in ("step", "like+") and (value < 0).any():
                    raise self.fail(f"the optimiser's {slot} is negative")
                state.setdefault(pid, {})[slot] = value
            if any(set(slots) != set(_OPTIMIZER_SLOTS[kind]) for slots in state.values()):
                raise self.fail(f"the {kind} optimiser state of a weight is incomplete")
            groups.append(state)
        return groups

    def optimizer_of(self, meta: dict, groups: list[dict]) -> dict | None:
        g = meta.get("opt")
        if g is None:
            return None
        g = _int(g, self.fail, "an optimiser group", 0, len(groups) - 1)
        position = self.taken.get(g, 0)
        self.taken[g] = position + 1
        # views into the stacked arrays: the session copies them when it loads them
        state = {pid: {slot: v[position, ...] for slot, v in slots.items()} for pid, slots in groups[g].items()}
        return {"state": state, "param_groups": None}


# ----- format 1 --------------------------------------------------------------------------
def v1_as_v2(header: dict, members: dict[str, np.ndarray]) -> tuple[dict, dict[str, np.ndarray]]:
    """A format-1 file (one member per array per epoch) rearranged into format 2's
    layout under the name ``"workbench"``, so one set of checks serves both."""
    fail = lambda what: SessionFileError(f"This session file (format 1) is damaged: {what}.")  # noqa: E731
    metas = _list(header.get("checkpoints"), fail, "its list of epochs", 1, MAX_CHECKPOINTS)
    out: dict[str, np.ndarray] = {}
    prefix = "s/workbench/"
    if "history" not in members:
        raise fail("the loss history is missing")
    out[prefix + "history"] = members["history"]
    configs, checkpoints, opt_signatures = [], [], []
    opt_arrays: dict[str, list[np.ndarray]] = {}
    for k, meta in enumerate(metas):
        meta = _dict(meta, fail, "an epoch")
        config = _dict(meta["config"], fail, "its settings")
        if config not in configs:
            configs.append(config)
        slots = _dict(meta.get("opt_slots", {}), fail, "the optimiser slots")
        signature = sorted([str(pid), str(slot)] for pid, names in slots.items()
                           for slot in _list(names, fail, "the optimiser slots", 0, 8))
        has_opt = meta.get("param_groups") is not None
        if has_opt and signature not in opt_signatures:
            opt_signatures.append(signature)
        g = opt_signatures.index(signature) if has_opt else None
        for pid, slot in signature if has_opt else []:
            opt_arrays.setdefault(f"opt{g}/{pid}/{slot}", []).append(members[f"c{k}/opt/{pid}/{slot}"])
        checkpoints.append({"epoch": meta["epoch"], "losses": meta["losses"], "config": configs.index(config),
                            "train": k, "opt": g})
    for key, parts in opt_arrays.items():
        out[prefix + key] = _stack(parts, fail, key)
    names = sorted({key.split("/", 2)[2] for key in members if key.startswith("c0/model/")})
    for name in names:
        out[f"{prefix}model/{name}"] = _stack([members[f"c{k}/model/{name}"] for k in range(len(metas))], fail, name)
    out[prefix + "generator"] = _stack([members[f"c{k}/generator"] for k in range(len(metas))], fail, "generator")
    for k in range(len(metas)):
        out[f"{prefix}train/{k}"] = members[f"c{k}/train"]
    n = len(members["history"]) if members["history"].ndim == 2 else -1
    meta2 = {"epoch": n, "configs": configs, "checkpoints": checkpoints,
             "opt_groups": [[[int(p), s] for p, s in sig] for sig in opt_signatures]}
    return {"format": FORMAT_NAME, "version": 2, "sessions": {"workbench": meta2}, "app_state": {}}, out


def _stack(parts: list[np.ndarray], fail, key: str) -> np.ndarray:
    if len({(p.shape, p.dtype) for p in parts}) != 1:
        raise fail(f"{key} changes shape between epochs")
    return np.stack(parts)


# ----- small checks ----------------------------------------------------------------------
@lru_cache(maxsize=16)
def _network_shapes(
    model: str, dataset: str, latent_dim: int
) -> tuple[dict[str, tuple[tuple[int, ...], str]], list[tuple[int, ...]]]:
    """A network's state (weights and buffers such as batch-norm statistics) by name as
    (shape, dtype), and its parameters' shapes in the optimiser's order, from its
    torch-free layout (``engine.core.net_layouts``, proven equal to the models')."""
    return state_shapes(layout_for(TrainingConfig(model=model, dataset=dataset, latent_dim=latent_dim)))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _int(value: object, fail, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(f"{what} is not a whole number from {low} to {high}")
    return value


def _list(value: object, fail, what: str, low: int, high: int) -> list:
    if not isinstance(value, list) or not low <= len(value) <= high:
        raise fail(f"{what} is not a list of {low} to {high} entries")
    return value


def _dict(value: object, fail, what: str) -> dict:
    if not isinstance(value, dict):
        raise fail(f"{what} is not a table of named values")
    return value
