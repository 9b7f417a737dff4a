"""The weights table (CSV export) reads the network's weights by what they are (the
snapshot's named layers), never by torch's keys: a layer that torch calls by another
name leaves every row unchanged."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from renamed_layers import RENAMED, renamed, trained

from desktop_app.export.tables import weights_table


@pytest.mark.parametrize("model", ["ae", "vae"])
def test_the_weights_table_is_the_same_when_torch_renames_a_layer(model):
    snapshot = trained(model).latest
    original = weights_table(snapshot)
    moved = weights_table(dataclasses.replace(snapshot, params=renamed(snapshot.params)))
    assert moved.rows == original.rows
    names = {row[0] for row in moved.rows}
    assert names.isdisjoint(RENAMED.values())
    weights = snapshot.weights
    row = next(r for r in moved.rows if r[:3] == ["decoder.weight", 4, 2])
    assert row[3] == pytest.approx(float(weights.decoder.weight[3, 1]))
    assert len(moved.rows) == sum(np.size(v) for v in snapshot.params.values())
