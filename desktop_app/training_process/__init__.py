"""The window's side of the training host (``engine.service``): one child process
holds every training session; the window asks it (``TrainingHost.call``) and mirrors
what it streams. No torch here."""

from desktop_app.training_process.client import HostDied, HostError, TrainingHost, training_host

__all__ = ["HostDied", "HostError", "TrainingHost", "training_host"]
