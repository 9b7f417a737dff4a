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


def test_the_window_passes_the_choice_and_the_host_places_the_session(qtbot, monkeypatch):
    from desktop_app.controller import TrainingController
    from desktop_app.training_process import training_host
    from engine.core.config import TrainingConfig
    from engine.digits.training import case_study_config

    Preferences(device="mps").save()
    host = training_host()
    calls = []
    real_call = type(host).call

    def spy(self, name, *args, **kwargs):
        calls.append((name, args))
        return real_call(self, name, *args, **kwargs)

    monkeypatch.setattr(type(host), "call", spy)
    for config in (case_study_config("vae"), TrainingConfig()):
        controller = TrainingController(config)
        created = [args for name, args in calls if name == "create"][-1]
        assert created[0] == config and created[-1] == "mps"  # the preference, as a plain string
        expected = "mps" if config.is_digits and "mps" in host.call("available_devices") else "cpu"
        assert host.call("device", controller._link.sid) == expected  # no MPS here: the CPU
        controller.shutdown()
    assert host.call("torch_threads") >= 1  # what the GUI benchmark reports as the app's threads



def test_a_lesson_steps_digit_session_carries_the_choice_to_the_host(qapp):
    from desktop_app.lessons.step_sessions import recipe_for
    from desktop_app.state.screen import ScreenState
    from engine.digits.pretrained import RECIPES

    def study(tab: str, model: str, epoch: int) -> ScreenState:
        config = RECIPES[model][0]
        return ScreenState(tab=tab, model=model, dataset="mnist", loss=config.loss, seed=config.seed, visible=(),
                           epoch=epoch)

    Preferences(device="cuda").save()
    assert recipe_for(study("generation", "vae", RECIPES["vae"][1])).device == "cuda"  # the shipped VAE
    assert recipe_for(study("denoising", "dae", 0)).device == "cuda"  # a fresh denoiser
    assert recipe_for(ScreenState(tab="workbench", epoch=30)).device == "cpu"  # a 2x2 model
