"""The screens' state objects without Qt: one signal per changed field, none when a
value is set again, checks in one place, and copies that compare equal.

These tests do not require Qt (no QApplication is made and none is imported)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from desktop_app.state.latent_map import LatentMapState
from engine.latent.space import Box


def recorder(state) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    for name in state.field_names():
        getattr(state.events, name).connect(lambda value, n=name: seen.append((n, value)))
    return seen


def test_one_signal_per_changed_field_and_none_for_an_equal_value() -> None:
    state = LatentMapState()
    seen = recorder(state)
    state.update(overlay_on=True, grid_size=9, background="distance")  # grid_size already 9
    assert seen == [("overlay_on", True), ("background", "distance")]
    seen.clear()
    state.overlay_on = True
    state.samples = None
    state.path_ends = (None, None)
    assert seen == []


def test_arrays_and_points_compare_by_value() -> None:
    state = LatentMapState(samples=np.zeros((3, 2)))
    seen = recorder(state)
    state.samples = np.zeros((3, 2))  # another array, the same numbers: no signal
    state.probe = ("point", np.array([0.25, 0.5]))  # an array from a click becomes a tuple
    state.probe = ["point", [0.25, 0.5]]  # the same place from JSON
    state.samples = np.ones((3, 2))
    assert [name for name, _ in seen] == ["probe", "samples"]
    assert state.probe == ("point", (0.25, 0.5))


def test_a_refused_value_changes_nothing_and_says_why() -> None:
    state = LatentMapState()
    seen = recorder(state)
    with pytest.raises(ValueError, match="grid size"):
        state.grid_size = 1
    with pytest.raises(ValueError, match="unknown background"):
        state.update(overlay_on=True, background="stripes")  # checked before anything is set
    with pytest.raises(AttributeError):
        state.colour = "red"  # no field of that name: nothing accepts any attribute
    assert seen == [] and state == LatentMapState()


def test_copy_is_equal_and_detached_and_apply_makes_equal() -> None:
    state = LatentMapState(overlay_on=True, map_box=Box.square(-1, 1), samples=np.eye(2),
                           path_ends=(("image", 3), ("point", (0.1, 0.2))))
    copy = state.copy()
    assert copy == state and copy is not state
    copy.samples[0, 0] = 5.0
    assert state.samples[0, 0] == 1.0  # deep: the copy owns its arrays
    target = LatentMapState()
    seen = recorder(target)
    target.apply(state)
    assert target == state
    assert sorted(name for name, _ in seen) == ["map_box", "overlay_on", "path_ends", "samples"]


def test_a_deep_copy_leaves_the_listeners_behind() -> None:
    import copy

    state = LatentMapState(grid_size=4)
    state.events.grid_size.connect(lambda value: pytest.fail("the copy's change reached the original's listener"))
    twin = copy.deepcopy({"map": state})["map"]
    assert twin == state and len(twin.events.grid_size) == 0
    twin.grid_size = 5


def test_json_form_round_trips_the_places() -> None:
    state = LatentMapState(map_box=Box(-2, 2, -1, 3), samples=np.array([[0.5, -0.5]]), probe=("image", 2),
                           path_ends=(("image", 1), ("point", (0.9, 0.1))))
    again = LatentMapState(**LatentMapState.places_from_json(state.to_json()))
    assert again == state


def test_the_state_package_imports_no_qt() -> None:
    """Every state module loads in a fresh interpreter without PySide6 or pyqtgraph."""
    import pkgutil

    import desktop_app.state as package

    names = [f"desktop_app.state.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    code = (f"import sys\nfor n in {names!r}: __import__(n)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
