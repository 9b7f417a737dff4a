"""Shared test set-up: Qt runs offscreen in every test, with no screen needed, and
QStandardPaths (autosave, logs) writes into a throw-away folder, never the user's own."""

import os
import tempfile

# The offscreen screens (tests/offscreen_screens.json): the primary one is 1280x800, the
# smallest common laptop; far from it, a 1280x720 and a 1920x1080 projector and an 800x600
# screen, on which a fixture puts a window by name (tests/desktop_app/screens.py).
_SCREENS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "offscreen_screens.json")
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREENS}"
# QStandardPaths (autosave, logs) honours XDG_* on Linux; keep them inside one temp folder.
_SANDBOX = tempfile.mkdtemp(prefix="autoencoder-lab-tests-")
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_name] = os.path.join(_SANDBOX, _name.lower())

import torch  # noqa: E402,F401  (torch must load before any QApplication exists)
