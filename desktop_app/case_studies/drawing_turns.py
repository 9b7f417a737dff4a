"""Draw a study's independent parts one per second half of a frame, in order.

Why: a case study's epoch brings several slow pieces to draw (a 40-digit table, plots
whose axes move, a drawn digit's row). The frame scheduler draws every waiting view
in one second half until 10 ms are spent, and starts the next one even then, so two
pieces of 5 to 8 ms landed in the same turn of the event loop: 15 to 40 ms in which
the window answered nothing (more on a machine whose cores are busy training).
Chained, each piece asks for the next only once it has been drawn, so no turn holds
more than one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop_app.controller import TrainingController

Step = tuple[object, Callable[[], None]]  # (the view, how to draw it)


def draw_in_turns(controller: TrainingController, steps: Sequence[Step]) -> None:
    """Draw ``steps`` in order, each in a second half of its own while training runs
    (``controller.draw_later``), all at once when it is not. A newer chain restarts
    from its first step; each step reads what is newest when it runs."""
    if not steps:
        return
    (view, draw), rest = steps[0], steps[1:]

    def step() -> None:
        draw()
        draw_in_turns(controller, rest)

    controller.draw_later(view, step)
