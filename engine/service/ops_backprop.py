"""The backpropagation panel's request: the worked-out step after a stored epoch.

``next_step_state`` reads the session's stored checkpoint (never the model being
trained) and draws the step's noise or ε from a copy of its torch generator, so it
runs where the session lives; the breakdown itself is numpy (``engine.lecture.backprop``)
and travels back whole. A refusal (an epoch no longer stored, a digit model) is a
ValueError whose message the panel shows.
"""

from __future__ import annotations

from engine.lecture.backprop import Backprop, breakdown
from engine.lecture.step_state import next_step_state
from engine.service.registry import op


@op("step_breakdown")
def step_breakdown(table, sid: int, epoch: int) -> Backprop:
    return breakdown(next_step_state(table.session(sid), epoch))
