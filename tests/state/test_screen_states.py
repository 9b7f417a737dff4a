"""The workbench's, the case studies' and a lesson step's states without Qt: their file
forms round-trip, equal values send no signal, and a lesson step's workbench part is
the same kind of state a saved session holds. These tests do not require Qt."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.state.latent_map import LatentMapState
from desktop_app.state.screen import SIGMOID_START, ScreenState
from desktop_app.state.studies import DenoisingState, GenerationState
from desktop_app.state.workbench import PanelState, WorkbenchState


def test_denoising_state_round_trips_with_a_perfect_psnr():
    state = DenoisingState(settings={"noise_type": "gaussian", "noise_level": 0.5, "latent_dim": 32},
                           controls={"epochs": 3, "frame": True}, offset=2, drawing=tuple(np.linspace(0, 1, 784)),
                           psnr_trace=((0, 10.5), (3, math.inf)))
    form = state.to_json()
    assert form["psnr_trace"] == [[0, 10.5], [3, None]]  # JSON has no infinity
    assert DenoisingState.from_json(form) == state


def test_generation_state_takes_its_maps_layers_from_the_saved_controls():
    form = {"controls": {"manifold": True, "grid_size": 7, "spreads": True, "path_kind": 1, "path_steps": 4},
            "compare": True, "sample_seed": 3, "samples": [[0.1, 0.2]],
            "vae_map": {"probe": {"point": [0.5, -0.5]}}, "ae_map": {"probe": {"image": 4}}}
    state = GenerationState.from_json(form)
    assert state.vae_map.overlay_on and state.vae_map.grid_size == 7 and state.vae_map.spreads_on
    assert state.vae_map.path_kind == "spherical" and state.vae_map.path_steps == 4
    assert state.ae_map.overlay_on and not state.ae_map.spreads_on and state.ae_map.probe == ("image", 4)
    assert GenerationState.from_json(state.to_json()) == state
    with pytest.raises(ValueError, match="comparison switch"):
        GenerationState.from_json({"compare": "yes"})


def test_nested_states_signal_their_own_fields_only():
    state = WorkbenchState(panels={"klPanel": PanelState(source="own")})
    top, inner = [], []
    state.events.latent.connect(top.append)
    state.latent.events.overlay_on.connect(inner.append)
    state.apply(WorkbenchState(latent=LatentMapState(overlay_on=True), panels={"klPanel": PanelState(source="own")}))
    assert inner == [True] and top == []  # the map was changed in place, not replaced
    assert state.latent.overlay_on


def test_a_lesson_steps_workbench_is_a_workbench_state():
    step = ScreenState(visible=("networkDiagram", "msePanel"), large="msePanel", selected=2,
                       sources=(("msePanel", "live"),))
    bench = step.workbench()
    assert isinstance(bench, WorkbenchState)
    assert (bench.visible, bench.large, bench.selected) == (("networkDiagram", "msePanel"), "msePanel", 2)
    assert bench.panels["msePanel"].source == "live" and bench.panels["sigmoidPanel"].x == SIGMOID_START
    assert bench.latent.probe == ("image", 2)  # the probe on the selected image's code
