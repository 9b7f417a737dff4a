"""Shared test set-up: Qt runs offscreen in every test, with no screen needed."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import torch  # noqa: E402,F401  (torch must load before any QApplication exists)
