"""The Autoencoder Lab window: views that draw engine snapshots, controls that ask the engine for work."""

import sys


def _keep_none_alive() -> None:
    """Work around a crash: PySide6 6.12 hands back None from every void Qt method (setText,
    setData, setStyleSheet, ...) without taking a reference to it. From Python 3.12 None is
    immortal and this is harmless; on 3.11 each call lowers None's reference count, and after
    a few thousand calls (seconds of live rendering) Python aborts with "none_dealloc:
    deallocating None". Give None a reference count that no session can use up (2**40
    calls: years of rendering)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


_keep_none_alive()
