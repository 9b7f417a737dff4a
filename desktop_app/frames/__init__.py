"""The frame contract: what happens in one frame, and who may draw when.

While training runs, a controller shows at most ~30 frames a second, and draws each
in two halves about 16 ms apart, so that no single turn of the event loop keeps the
window from answering for long (``scheduler.FrameScheduler``):

1. First half: the controller publishes the newest snapshot (``snapshotChanged``).
   Views that draw in the first half (the workbench's main page) render it at once.
2. Second half, on the next 16 ms tick: the views that asked with ``draw_later`` (the
   docked panels, the loss curve, catch-up redraws) are drawn one at a time, each at
   most as often as it asked, until ``HALF_FRAME_BUDGET_S`` is spent; the rest wait
   for the next tick. The last request of a run is always drawn.

Who may draw when: only the GUI thread, and while training only inside
``controller.drawing()``, which paints at once. Training runs in the training host, a
process of its own, so a frame never waits for it nor it for a frame. When nothing
trains, a request draws at once. A hidden view draws nothing: it remembers that it is stale and catches up
once, when it is shown (``live_view.LiveView``).

What keeps a frame cheap: ``layout_firewall`` (a new label text does not relayout the
window), ``opaque`` (a view paints its own background, not its ten parents'),
``plot_cache`` (axes replayed from a pixmap) and ``gc_policy`` (no 30-170 ms full
garbage collection in the middle of a frame).

This package imports nothing at import time; ``gc_policy`` is Qt-free.
"""
