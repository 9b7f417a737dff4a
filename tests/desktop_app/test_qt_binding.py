"""The pinned Qt binding must not leak references to None (PySide6 6.12.0 on Python 3.11 did:
every void call such as setText lowered None's reference count until Python aborted)."""

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_reference_count(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        label.setText("x")
    assert sys.getrefcount(None) - before > -100  # 6.12.0 on 3.11: about -20,000, then a crash
