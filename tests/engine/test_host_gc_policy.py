"""The training host keeps long-lived objects out of the garbage collector's scans:
frozen once torch is loaded, then at most every few seconds while training (a full
scan of them stalled training and the window's updates for 0.3 to 0.6 s)."""

from __future__ import annotations

import gc

from engine.service.gc_policy import SurvivorFreezer


def test_survivors_are_frozen_at_once_then_at_most_every_interval():
    freezer = SurvivorFreezer(every_s=3600.0)
    try:
        kept = [[i] for i in range(1000)]  # lists: always tracked by the collector
        freezer.freeze_now()
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept)
        kept += [[i] for i in range(1000)]
        freezer.while_training()  # too soon: the new objects stay scanned
        assert gc.get_freeze_count() == frozen
        freezer.every_s = 0.0
        freezer.while_training()
        assert gc.get_freeze_count() >= frozen + 1000
    finally:
        gc.unfreeze()


def test_the_warm_up_calls_the_hosts_freeze_once_torch_and_its_optimiser_are_loaded():
    import sys

    from engine.service import warm_up

    done = []
    warm_up.start(then=lambda: done.append("torch._dynamo" in sys.modules))
    assert warm_up.wait(120)
    assert done == [True]
