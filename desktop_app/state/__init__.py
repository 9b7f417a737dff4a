"""Plain, typed, Qt-free state of the window's screens: what a lesson step or a saved
file sets, and what the window can be read back as.

- ``evented``: the base (one change signal per field, sent only on a real change).
- ``latent_map``: a latent map's layers, range, probe, path and samples
  (``LatentCanvas`` renders one; its controls and panels set it).
- ``workbench``: the workbench tab around its session, its teaching panels included.
- ``studies``: the denoising and generation case studies, and their inputs.
- ``run_bar``: the run bar's speed, where Play stops, how many epochs Run trains.
- ``file_form``: a screen's session-file form (read, check, apply), once for every screen.
- ``screen``: a lesson step's screen (tab, model and epoch, and its workbench part).

The Qt side reads a screen into its state and sets one on it:
``desktop_app.workbench_state`` and ``desktop_app.case_studies.study_state``.
"""
