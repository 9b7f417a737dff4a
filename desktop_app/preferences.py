"""The user's preferences: what they are, where QSettings keeps them, and their dialog.

One place reads and validates them: a value that a hand-edited or older settings file
gets wrong falls back to its default, never reaches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.settings import read_bool, settings
from desktop_app.state.run_bar import DEFAULT_SPEED, SPEEDS
from desktop_app.theme import SCALES, THEME_NAMES, THEME_TITLES, Theme
from engine.core.device import AUTO, DEVICE_CHOICES, DEVICE_TITLES

SYSTEM = "system"
FASTEST = 0.0  # how "fastest" (no pace) is stored: QSettings cannot keep None
LAYERS = (("overlay", "Decoded map", "latentOverlayCheck"), ("trails", "Trails", "latentTrailsCheck"),
          ("spreads", "Spreads (VAE)", "latentSpreadsCheck"), ("data_grid", "Data grid", "latentDataGridCheck"))
# setting name -> QSettings key (the sessions code reads "autosave/enabled" too)
KEYS = {"theme": "appearance/theme", "presentation_scale": "presentation/scale", "speed": "training/speed",
        "reopen_last_tab": "window/reopenLastTab", "last_tab": "window/lastTab",
        "overlay": "latentMap/overlay", "trails": "latentMap/trails", "spreads": "latentMap/spreads",
        "data_grid": "latentMap/dataGrid", "autosave": "autosave/enabled", "device": "training/device"}


@dataclass
class Preferences:
    theme: str = SYSTEM  # "system" or one of THEME_NAMES
    presentation_scale: float = 1.5
    speed: float | None = DEFAULT_SPEED  # epochs a second while playing; None: as fast as it goes
    reopen_last_tab: bool = True
    last_tab: int = 0
    overlay: bool = False
    trails: bool = False
    spreads: bool = True
    data_grid: bool = False
    autosave: bool = True
    device: str = AUTO  # where the digit case studies train: engine.core.device resolves it in the host

    @classmethod
    def load(cls, store: QSettings | None = None) -> Preferences:
        store = store or settings()
        default = cls()
        values = {}
        for field in fields(cls):
            key, fallback = KEYS[field.name], getattr(default, field.name)
            if isinstance(fallback, bool):
                values[field.name] = read_bool(store, key, fallback)
            else:
                values[field.name] = store.value(key, fallback)
        return cls(theme=_valid_theme(values["theme"]), presentation_scale=valid_scale(values["presentation_scale"]),
                   speed=_valid_speed(values["speed"]), reopen_last_tab=values["reopen_last_tab"],
                   last_tab=_valid_int(values["last_tab"], 0, 0, 99), overlay=values["overlay"],
                   trails=values["trails"], spreads=values["spreads"], data_grid=values["data_grid"],
                   autosave=values["autosave"], device=_valid_device(values["device"]))

    def save(self, store: QSettings | None = None) -> None:
        store = store or settings()
        for field in fields(self):
            value = getattr(self, field.name)
            store.setValue(KEYS[field.name], FASTEST if field.name == "speed" and value is None else value)
        store.sync()

    def resolved_theme(self) -> str:
        """The theme to show: the chosen one, or the system's light or dark."""
        return system_theme() if self.theme == SYSTEM else self.theme

    def layers(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name, _title, _object in LAYERS}


def system_theme() -> str:
    """Dark when the system says so (Qt's QStyleHints.colorScheme()), else light."""
    hints = QGuiApplication.styleHints() if QGuiApplication.instance() else None
    return "dark" if hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def valid_scale(value: object) -> float:
    """The nearest offered scale (100 % to 250 %); anything unreadable gives 150 %."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 1.5
    if number != number:  # NaN
        return 1.5
    return min(SCALES, key=lambda s: abs(s - number))


def _valid_theme(value: object) -> str:
    return value if value == SYSTEM or value in THEME_NAMES else SYSTEM


def _valid_speed(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return DEFAULT_SPEED
    if number == FASTEST:
        return None
    return number if any(number == s for s, _t in SPEEDS) else DEFAULT_SPEED


def _valid_device(value: object) -> str:
    return value if value in DEVICE_CHOICES else AUTO


def training_device() -> str:
    """The device the learner chose for the digit models, as the plain string the
    training host resolves ("auto", "cuda", "mps" or "cpu"; engine.core.device)."""
    return Preferences.load().device


def _valid_int(value: object, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def startup_theme(scale: float | None = None, dark: bool = False) -> Theme:
    """The first window's theme: the preference, unless --scale / --dark say otherwise for this run."""
    name = "dark" if dark else Preferences.load().resolved_theme()
    return Theme.named(name, scale if scale is not None else 1.0)


class PreferencesDialog(QDialog):
    """Edit > Preferences: every preference in one form; OK saves and applies them."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.theme_combo = self._combo("themeCombo", [(SYSTEM, "Follow the system")]
                                       + [(n, THEME_TITLES[n]) for n in THEME_NAMES], preferences.theme)
        self.scale_combo = self._combo("presentationScaleCombo", [(s, f"{round(s * 100)} %") for s in SCALES],
                                       preferences.presentation_scale)
        self.speed_combo = self._combo("speedPreferenceCombo", list(SPEEDS), preferences.speed)
        self.reopen_tab = self._check("reopenLastTabCheck", "Open on the tab I used last", preferences.reopen_last_tab)
        self.layer_checks = {name: self._check(f"{name}LayerCheck", title, getattr(preferences, name))
                             for name, title, _object in LAYERS}
        self.autosave = self._check("autosaveCheck", "Autosave the session (every minute and on close)",
                                    preferences.autosave)
        self.device_combo = self._combo("deviceCombo", [(d, DEVICE_TITLES[d]) for d in DEVICE_CHOICES],
                                        preferences.device)
        self.device_combo.setToolTip("Where the case studies' digit models train; a new or reset study uses it.")
        self._last_tab = preferences.last_tab
        form = QFormLayout()
        form.addRow("Theme:", self.theme_combo)
        form.addRow("Presentation scale (F5):", self.scale_combo)
        form.addRow("Training speed:", self.speed_combo)
        form.addRow("At start:", self.reopen_tab)
        layers = QHBoxLayout()
        for box in self.layer_checks.values():
            layers.addWidget(box)
        form.addRow("Latent-map layers:", layers)
        form.addRow("Sessions:", self.autosave)
        form.addRow("Train digit models on:", self.device_combo)
        note = QLabel("The command-line flags --scale and --dark override these for one run.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _combo(self, name: str, items: list[tuple[object, str]], current: object) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for value, text in items:
            combo.addItem(text, value)
            if value == current:
                combo.setCurrentIndex(combo.count() - 1)
        return combo

    def _check(self, name: str, text: str, checked: bool) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setObjectName(name)
        box.setChecked(bool(checked))
        return box

    def preferences(self) -> Preferences:
        """What the form says now."""
        return Preferences(theme=self.theme_combo.currentData(), presentation_scale=self.scale_combo.currentData(),
                           speed=self.speed_combo.currentData(), reopen_last_tab=self.reopen_tab.isChecked(),
                           last_tab=self._last_tab, autosave=self.autosave.isChecked(),
                           device=self.device_combo.currentData(),
                           **{name: box.isChecked() for name, box in self.layer_checks.items()})


def apply_preferences(window, preferences: Preferences) -> None:
    """Put the preferences that shape the workbench (speed, latent-map layers) on screen."""
    window.workbench.controls.set_speed(preferences.speed)
    controls = window.workbench.latent.map_controls
    for name, _title, _object in LAYERS:
        getattr(controls, name).setChecked(bool(getattr(preferences, name)))


def open_preferences(window) -> PreferencesDialog:
    """Edit > Preferences: OK saves them and applies them to the live window."""
    dialog = PreferencesDialog(Preferences.load(), window)

    def accepted() -> None:
        chosen = dialog.preferences()
        chosen.last_tab = Preferences.load().last_tab
        chosen.save()
        window.presentation.set_scale(chosen.presentation_scale)
        window.presentation.choose_theme(chosen.theme)
        apply_preferences(window, chosen)

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog


def install_preferences(window, edit_menu) -> None:
    """Edit > Preferences, and the stored preferences applied to the new window."""
    from PySide6.QtGui import QAction, QKeySequence

    action = QAction("&Preferences…", window)
    action.setObjectName("preferencesAction")
    standard = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    action.setShortcuts(standard or [QKeySequence("Ctrl+,")])  # Linux has no standard key for it
    action.triggered.connect(lambda: open_preferences(window))
    window.addAction(action)
    edit_menu.addAction(action)
    apply_preferences(window, Preferences.load())
