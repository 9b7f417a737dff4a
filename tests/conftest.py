"""Shared test set-up: Qt runs offscreen in every test, with no screen needed, and
QStandardPaths (autosave, logs) writes into a throw-away folder, never the user's own."""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# QStandardPaths (autosave, logs) honours XDG_* on Linux; keep them inside one temp folder.
_SANDBOX = tempfile.mkdtemp(prefix="autoencoder-lab-tests-")
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = os.path.join(_SANDBOX, _name.lower())

import torch  # noqa: E402,F401  (torch must load before any QApplication exists)
