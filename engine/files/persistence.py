"""Saving and opening sessions: one ``.aelab`` file, no pickle anywhere.

The file is a numpy ``.npz`` archive (a zip of plain ``.npy`` arrays) with a JSON
``header`` member. Format 2 holds several named sessions (``"workbench"``, the case
studies' ``"denoising"``, ``"generation"``, ...) and a JSON ``app_state`` dict (lesson
position, layout, probes, settings). Each session's stored epochs are stacked into a
few arrays (``s/NAME/model/WEIGHT`` of shape (epochs, ...)), so a 3000-epoch session
is a few dozen members rather than tens of thousands. Format 1 (one session, one set
of members per epoch) still opens: it is rearranged into format 2's layout and goes
through the same checks (``engine.files.session_file_checks``).

Writing goes through ``engine.files.safe_files`` (atomic, the target checked first);
reading through ``engine.files.session_archive`` (sizes checked before reading, pickle
never used). A file that fails any check raises ``SessionFileError`` and nothing else
changes.

No torch: the window saves its mirrors and opens files into mirrors
(``engine.core.record.SessionRecord``), whose snapshots are computed in numpy
(``engine.core.shown_numbers``) exactly as the training session computes them. A live
session (``TrainingSession``) saves too: it has the same reading surface, and its
tensors become arrays through ``np.asarray``. ``TrainingSession.from_record`` makes a
live session from what a file opened into.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from engine.core.record import SessionRecord
from engine.files.safe_files import SaveError, resolve_target, write_atomically
from engine.files.saved_record import record_from_states
from engine.files.session_archive import SessionFileError, decode_json, read_members
from engine.files.session_file_checks import (
    FORMAT_NAME,
    MAX_SESSIONS,
    check_app_state,
    check_session_name,
    check_shown_numbers,
    checked_states,
    v1_as_v2,
)

FORMAT_VERSION = 2
SUFFIX = ".aelab"
WORKBENCH = "workbench"

__all__ = [
    "FORMAT_VERSION", "SUFFIX", "SaveError", "SessionFileError", "check_save_target",
    "load_bundle", "load_session", "save_bundle", "save_session",
]


def save_session(session: Any, path: str | os.PathLike) -> Path:
    """Write one session (a ``SessionRecord`` or a live session) as the bundle's
    ``"workbench"``; returns the file written."""
    return save_bundle(path, {WORKBENCH: session}, {})


def load_session(path: str | os.PathLike) -> SessionRecord:
    """Open a saved session (a bundle's ``"workbench"``); raises ``SessionFileError``."""
    sessions, _app_state = load_bundle(path, only=WORKBENCH)
    if WORKBENCH not in sessions:
        raise SessionFileError(f"{Path(path).name} holds no workbench session.")
    return sessions[WORKBENCH]


def check_save_target(path: str | os.PathLike) -> Path:
    """The file a save to ``path`` would write, or ``SaveError`` saying why it cannot."""
    return resolve_target(path)


def save_bundle(path: str | os.PathLike, sessions: Mapping[str, Any], app_state: dict) -> Path:
    """Write several named sessions (``SessionRecord`` mirrors or live sessions) and a
    JSON-able ``app_state`` dict into one file, atomically; returns the file written (a
    symlink's target).

    Raises ``ValueError`` for a bad name or an ``app_state`` that is not plain JSON of
    bounded size and depth, and ``SaveError`` (an ``OSError``) when the file cannot be
    written; the file on disk is then untouched."""
    if not 1 <= len(sessions) <= MAX_SESSIONS:
        raise ValueError(f"A file holds from 1 to {MAX_SESSIONS} sessions, not {len(sessions)}.")
    names = [check_session_name(name) for name in sessions]
    state = check_app_state(app_state)
    arrays: dict[str, np.ndarray] = {}
    header = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "sessions": {}, "app_state": state}
    for name in names:
        header["sessions"][name] = _pack_session(sessions[name], f"s/{name}/", arrays)
    arrays["header"] = _json_bytes(header)
    return write_atomically(path, lambda handle: np.savez_compressed(handle, **arrays))


def load_bundle(
    path: str | os.PathLike, only: str | None = None
) -> tuple[dict[str, SessionRecord], dict]:
    """Open a file written by ``save_bundle`` (or a format-1 session file, which
    becomes ``{"workbench": session}, {}``); ``only`` opens just that session.

    Raises ``SessionFileError`` with a sentence about the file for every problem."""
    path = Path(path)
    members = read_members(path)
    try:
        return _open_sessions(path, members, only)
    except SessionFileError:
        raise
    except (KeyError, ValueError, TypeError, IndexError, AttributeError, RecursionError, MemoryError) as exc:
        raise SessionFileError(f"{path.name} is damaged or was changed by hand ({exc!s:.200}).") from exc


def _open_sessions(
    path: Path, members: dict[str, np.ndarray], only: str | None
) -> tuple[dict[str, SessionRecord], dict]:
    if "header" not in members:
        raise SessionFileError(f"{path.name} is not an Autoencoder Lab session (it has no header).")
    header = _checked_header(path, decode_json(members["header"], "header"))
    if header["version"] == 1:
        header, members = v1_as_v2(header, members)
    app_state = check_app_state(header.get("app_state", {}), error=SessionFileError)
    sessions_meta = header.get("sessions")
    if not isinstance(sessions_meta, dict) or not sessions_meta or len(sessions_meta) > MAX_SESSIONS:
        raise SessionFileError(f"{path.name} holds no session (or an impossible number of them).")
    for name in sessions_meta:
        check_session_name(name, error=SessionFileError)
    wanted = [name for name in sessions_meta if only is None or name == only]
    return {name: _unpack_session(name, sessions_meta[name], members) for name in wanted}, app_state


# ----- writing ---------------------------------------------------------------------------
def _pack_session(session: Any, prefix: str, arrays: dict[str, np.ndarray]) -> dict:
    checkpoints = list(session.checkpoints)
    if session.config.is_digits:
        checkpoints = checkpoints[-1:]  # digit models are large: keep the newest only
    configs: list[dict] = []
    trains: list[np.ndarray] = []
    opt_groups: dict[tuple, list[dict]] = {}
    metas = []
    for checkpoint in checkpoints:
        state, snapshot = checkpoint.train_state, checkpoint.snapshot
        config = dataclasses.asdict(state["config"])
        if config not in configs:
            configs.append(config)
        metas.append({
            "epoch": snapshot.epoch,
            "losses": [snapshot.loss, snapshot.reconstruction_loss, snapshot.kl],
            "config": configs.index(config),
            "train": None if session.config.is_digits else _index_of(trains, state["train"]),
            "opt": _optimizer_group(state["optimizer"], opt_groups),
        })
    arrays[f"{prefix}history"] = session.history.as_array()
    arrays[f"{prefix}generator"] = np.stack([np.asarray(c.train_state["generator"]) for c in checkpoints])
    for name in checkpoints[0].train_state["model"]:
        arrays[f"{prefix}model/{name}"] = np.stack([np.asarray(c.train_state["model"][name]) for c in checkpoints])
    for j, train in enumerate(trains):
        arrays[f"{prefix}train/{j}"] = train
    signatures = list(opt_groups)
    for g, states in enumerate(opt_groups.values()):
        for pid, slot, _shape in signatures[g]:
            stacked = np.stack([np.asarray(s[pid][slot], dtype=np.float32) for s in states])
            arrays[f"{prefix}opt{g}/{pid}/{slot}"] = stacked
    return {
        "epoch": session.epoch, "configs": configs, "checkpoints": metas,
        "opt_groups": [[[pid, slot] for pid, slot, _ in sig] for sig in signatures],
    }


def _index_of(trains: list[np.ndarray], train: object) -> int:
    """Each distinct training set is stored once (checkpoints share the same one)."""
    train = np.asarray(train)
    for j, kept in enumerate(trains):
        if kept.shape == train.shape and np.array_equal(kept, train):
            return j
    trains.append(train)
    return len(trains) - 1


def _optimizer_group(optimizer: dict | None, groups: dict[tuple, list[dict]]) -> int | None:
    """Checkpoints whose optimiser state has the same slots are stacked together."""
    if optimizer is None:
        return None
    state = {pid: {slot: v for slot, v in slots.items() if v is not None}
             for pid, slots in optimizer["state"].items()}
    signature = tuple((pid, slot, np.shape(v))
                      for pid in sorted(state) for slot, v in sorted(state[pid].items()))
    groups.setdefault(signature, []).append(state)
    return list(groups).index(signature)


def _json_bytes(value: object) -> np.ndarray:
    return np.frombuffer(json.dumps(value, allow_nan=False).encode(), dtype=np.uint8)


# ----- reading ---------------------------------------------------------------------------
def _checked_header(path: Path, header: object) -> dict:
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise SessionFileError(f"{path.name} is not an Autoencoder Lab session file.")
    version = header.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SessionFileError(f"{path.name} names no valid file format version: it was changed by hand.")
    if version > FORMAT_VERSION:
        raise SessionFileError(
            f"{path.name} was saved by a newer Autoencoder Lab (file format {version}); "
            f"this version reads formats 1 to {FORMAT_VERSION}. Please update the app."
        )
    return header


def _unpack_session(name: str, meta: object, members: dict[str, np.ndarray]) -> SessionRecord:
    states, history = checked_states(name, meta, members, f"s/{name}/")
    try:
        record = record_from_states(states, history)
    except (ValueError, RuntimeError, TypeError, KeyError, IndexError) as exc:
        raise SessionFileError(f"The {name} session in this file is damaged or was changed by hand ({exc}).") from exc
    check_shown_numbers(name, record)
    return record
