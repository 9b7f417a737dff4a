"""GUI tests: every test starts from empty settings in its own throw-away folder."""

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def throwaway_settings(tmp_path_factory):
    """QSettings' INI files go to a fresh folder per test, never the user's real ones."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    yield folder


@pytest.fixture(scope="session", autouse=True)
def training_engine_ready():
    """The app's one training host (shared by every test), started and warmed up once,
    before any test times anything."""
    from desktop_app.training_process import training_host

    training_host().call("warmed_up", 120.0, timeout=180.0)
