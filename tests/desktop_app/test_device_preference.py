"""Edit > Preferences > "Train digit models on": the choice is kept in QSettings as the
plain string the training host resolves, and a hand-edited value falls back to automatic."""

from desktop_app.preferences import KEYS, Preferences, PreferencesDialog, training_device
from desktop_app.settings import settings


def test_the_device_choice_is_offered_saved_and_read_back(qtbot):
    dialog = PreferencesDialog(Preferences.load())
    qtbot.addWidget(dialog)
    combo = dialog.device_combo
    assert combo.objectName() == "deviceCombo"
    assert [combo.itemData(i) for i in range(combo.count())] == ["auto", "cuda", "mps", "cpu"]
    assert combo.currentData() == "auto" and training_device() == "auto"  # automatic by default
    assert "CUDA, then MPS, then CPU" in combo.itemText(0)
    combo.setCurrentIndex(combo.findData("cpu"))
    dialog.preferences().save()
    assert settings().value(KEYS["device"]) == "cpu"
    assert training_device() == "cpu" and Preferences.load().device == "cpu"
    again = PreferencesDialog(Preferences.load())
    qtbot.addWidget(again)
    assert again.device_combo.currentData() == "cpu"


def test_an_unknown_stored_device_falls_back_to_automatic(qapp):
    store = settings()
    for value in ("gpu", "", "CUDA", "3"):
        store.setValue(KEYS["device"], value)
        store.sync()
        assert training_device() == "auto"
