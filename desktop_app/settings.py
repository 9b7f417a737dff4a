"""Preferences that survive a restart, kept by Qt's own QSettings.

One place names the organisation and application, so every part of the window reads
and writes the same store. Tests point QSettings at a throw-away folder
(tests/conftest.py), never at the user's real preferences.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings

ORGANIZATION = "Autoencoder Lab"
APPLICATION = "Autoencoder Lab"


def identify_application() -> None:
    """Name the app for QSettings and QStandardPaths (call before the first settings())."""
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def settings() -> QSettings:
    """The user's settings store (an INI file in the user's config folder)."""
    identify_application()
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


def read_bool(store: QSettings, key: str, default: bool) -> bool:
    """QSettings returns strings from INI files; read a flag the way it was written."""
    value = store.value(key, default)
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
