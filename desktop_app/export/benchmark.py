"""The export figure of ``python -m desktop_app --benchmark``: seconds to write a
200-frame 1280x720 GIF of the workbench's network diagram and loss curve."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from desktop_app.export.animation_job import AnimationJob
from desktop_app.export.animation_plan import check_settings
from desktop_app.export.frames import StoredRun
from desktop_app.training_process import training_host
from engine.core.config import TrainingConfig


def gif_export_seconds(frames: int = 200, size: tuple[int, int] = (1280, 720)) -> dict:
    """Train ``frames - 1`` epochs (not timed), then time the export from Export to the
    renamed file: offscreen rendering, palette reduction and GIF compression. The run is
    trained in the training host, as the app's are."""
    record, _diverged = training_host().call("trained_record", TrainingConfig(), frames - 1, timeout=600)
    run = StoredRun.of(record)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "benchmark.gif"
        settings = check_settings(path, ("diagram", "loss"), 0, record.epoch, size, 20.0, run.epochs, frames)
        job = AnimationJob(settings, run)
        start = time.perf_counter()
        state = job.run_to_end()
        seconds = time.perf_counter() - start
        megabytes = path.stat().st_size / 1e6 if path.exists() else 0.0
    return {"seconds": round(seconds, 2), "frames": job.total, "size": f"{size[0]}x{size[1]}",
            "megabytes": round(megabytes, 1), "state": state}
