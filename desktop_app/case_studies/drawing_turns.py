"""Draw a study's independent parts one per second half of a frame, in order.

Why: a case study's epoch brings several slow pieces to draw (a 40-digit table, plots
whose axes move, a drawn digit's row). The frame scheduler draws every waiting view
in one second half until 10 ms are spent, and starts the next one even then, so two
pieces of 5 to 8 ms landed in the same turn of the event loop: 15 to 40 ms in which
the window answered nothing (more on a machine whose cores are busy training).
Chained, each piece asks for the next only once it has been drawn, so no turn holds
more than one of them. That holds at the end of a run too: the controller counts as
running until its last epoch is drawn, so the last chain is drawn over the next ticks
like any other (drawn at once, it held the window 25 to 45 ms at the end of each run).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop_app.controller import TrainingController

Step = tuple[object, Callable[[], None]]  # (the view drawn, for the reader; how to draw it)


def draw_in_turns(controller: TrainingController, owner: object, steps: Sequence[Step]) -> None:
    """Draw ``steps`` in order, each in a second half of its own while training runs or
    its last epoch is drawn (``controller.draw_later``), all at once when it is not. Every step is asked for
    under the one key ``owner``, and the scheduler keeps one request per key: a newer
    chain (the next epoch) replaces the step still waiting and starts from its first
    step, so two steps never share a half. Each step reads what is newest when it runs."""
    if not steps:
        return
    (_view, draw), rest = steps[0], steps[1:]

    def step() -> None:
        draw()
        draw_in_turns(controller, owner, rest)

    controller.draw_later(owner, step)
