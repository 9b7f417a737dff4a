"""A session's shown images and their inputs cross the pipe once, not with every epoch.

A snapshot's ``images`` (the 500 held-out digits of a case study) and ``inputs`` (what
the network is fed for them: the same array, or a denoiser's copy corrupted with fixed
noise) are the very same arrays epoch after epoch, until the images or the noise change
(``TrainingSession._refresh_display_inputs`` makes new ones then). Sent with every
update they were 1.6 MB of the digit VAE's 16 MB an epoch and 3.1 MB of the denoiser's
7.5 MB: pickled on the host's sender thread, under the interpreter lock its training
thread needs, and read back by the window's reader while torch wants both cores.

The host's ``HeldBack`` (one per session's ``MirrorSync``) sends each such array once
and then ``SAME`` in its place; the window's ``restore_shown`` puts back the array it
got last for that session and field. A session's messages arrive in the order they were
sent, so "the last one sent" is the same array on both sides. When the window is given
a whole session (``MirrorSync.mark_all``) the host forgets what it sent: the next update
sends the arrays again, so the two sides never rely on a guess about the other.
Torch-free: the window imports it.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Iterable
from typing import Any

FIELDS = ("images", "inputs")


class _Same:
    """In place of an array the window already has (the last one sent in this field)."""

    def __reduce__(self) -> str:
        return "SAME"  # unpickles as this module's one instance

    def __repr__(self) -> str:
        return "SAME"


SAME = _Same()


class HeldBack:
    """The host's side: which array of each field it sent last for one session."""

    def __init__(self) -> None:
        self._sent: dict[str, Any] = {}  # field -> the array object sent last (kept alive, compared by identity)
        self.held_back = 0  # arrays left out so far (for tests)

    def reset(self) -> None:
        """The window was given the whole session: send every array again next time."""
        self._sent.clear()

    def thin(self, checkpoints: Iterable[Any]) -> tuple:
        """``checkpoints`` (oldest first) as they cross the pipe: each snapshot's fields
        holding the array sent last replaced by ``SAME`` (a shallow copy of the snapshot
        and checkpoint; the host's own stay as they are)."""
        out = []
        for checkpoint in checkpoints:
            snapshot = checkpoint.snapshot
            same = {}
            for field in FIELDS:
                value = getattr(snapshot, field)
                if value is not None and self._sent.get(field) is value:
                    same[field] = SAME
                else:
                    self._sent[field] = value
            self.held_back += len(same)
            out.append(_with_fields(checkpoint, same))
        return tuple(out)


_received: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # mirror -> {field: last array received}


def restore_shown(mirror: object, checkpoints: Iterable[Any]) -> list:
    """The window's side: ``checkpoints`` (oldest first, as received for ``mirror``) with
    each ``SAME`` replaced by the array last received in that field for ``mirror``."""
    last = _received.setdefault(mirror, {})
    out = []
    for checkpoint in checkpoints:
        snapshot = checkpoint.snapshot
        same = {}
        for field in FIELDS:
            value = getattr(snapshot, field)
            if value is SAME:
                if field not in last:
                    raise RuntimeError(f"The training engine left out a snapshot's {field} this window never got.")
                same[field] = last[field]
            else:
                last[field] = value
        out.append(_with_fields(checkpoint, same))
    return out


def _with_fields(checkpoint: Any, fields: dict[str, Any]) -> Any:
    """``checkpoint`` itself when ``fields`` is empty, else a shallow copy whose snapshot
    has ``fields`` replaced (the original stays as it is)."""
    if not fields:
        return checkpoint
    return dataclasses.replace(checkpoint, snapshot=dataclasses.replace(checkpoint.snapshot, **fields))
