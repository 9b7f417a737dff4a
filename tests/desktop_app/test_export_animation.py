"""Training animations: frames drawn offscreen from stored epochs, written as GIF (the
chosen number of frames and durations, read back with Pillow), MP4 or PNG frames; Cancel
and failures leave nothing behind; the window keeps answering meanwhile."""

from __future__ import annotations

import time

import numpy as np
import pytest
import torch
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage

from desktop_app.export import encoders
from desktop_app.export.animation_dialog import AnimationDialog
from desktop_app.export.animation_job import AnimationJob
from desktop_app.export.animation_plan import (
    check_settings,
    frame_durations_ms,
    frame_epochs,
    video_writer_available,
)
from desktop_app.export.frames import FrameRenderer, StoredRun, caption, rgb_array
from desktop_app.main_window import MainWindow
from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession

SIZE = (480, 270)


@pytest.fixture(scope="module")
def run() -> StoredRun:
    torch.set_num_threads(1)
    session = TrainingSession(TrainingConfig(seed=3))
    for _snapshot in session.run(40):
        pass
    return StoredRun.of(session)


def settings(tmp_path, run, name="a.gif", frames=12, fps=30.0, views=("diagram", "loss")):
    return check_settings(tmp_path / name, views, 0, 40, SIZE, fps, run.epochs, frames)


def gif_frames(path) -> tuple[int, list[int], tuple[int, int]]:
    with Image.open(path) as gif:
        durations = []
        for k in range(gif.n_frames):
            gif.seek(k)
            durations.append(gif.info["duration"])
        return gif.n_frames, durations, gif.size


def test_frame_epochs_are_stored_epochs_thinned_evenly():
    stored = list(range(0, 101))
    assert frame_epochs(stored, 0, 100, 5) == [0, 25, 50, 75, 100]
    assert frame_epochs(stored, 10, 14, 50) == [10, 11, 12, 13, 14]
    assert frame_epochs([0, 8, 16, 24], 5, 20, 10) == [8, 16]  # never an epoch that is not stored


def test_durations_keep_the_true_pace_in_gif_hundredths():
    durations = frame_durations_ms(30, 30.0)
    assert set(durations) == {30, 40}
    assert sum(durations) == 1000  # 30 frames at 30 fps: one second
    assert frame_durations_ms(4, 10.0) == [100, 100, 100, 100]


def test_gif_has_the_chosen_frames_durations_and_size(qtbot, tmp_path, run):
    job = AnimationJob(settings(tmp_path, run, frames=12, fps=30.0), run)
    assert job.run_to_end() == "finished"
    count, durations, size = gif_frames(tmp_path / "a.gif")
    assert count == 12
    assert durations == frame_durations_ms(12, 30.0)
    assert size == SIZE
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]  # no temporary left over


def test_frames_are_drawn_offscreen_from_the_stored_epoch(qtbot, run):
    renderer = FrameRenderer(run, ("diagram", "loss"), *SIZE)
    try:
        assert renderer.frame.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        first, last = rgb_array(renderer.render(0)), rgb_array(renderer.render(40))
        assert renderer.caption.text() == caption(run.snapshots[40], 40)
        assert renderer.caption.text().startswith("Epoch 40 of 40")
        assert first.shape == (SIZE[1], SIZE[0], 3)
        assert np.mean(np.any(first != last, axis=2)) > 0.01  # training changed the picture
        assert len(renderer.controller.loss_history) == 40  # the loss history as it was at that epoch
        renderer.render(10)
        assert len(renderer.controller.loss_history) == 10
    finally:
        renderer.close()


def test_folder_of_png_frames(qtbot, tmp_path, run):
    job = AnimationJob(settings(tmp_path, run, name="frames", frames=5), run)
    assert job.run_to_end() == "finished"
    files = sorted(p.name for p in (tmp_path / "frames").iterdir())
    assert files == [f"frame-{k:05d}.png" for k in range(1, 6)]
    image = QImage(str(tmp_path / "frames" / files[0]))
    assert (image.width(), image.height()) == SIZE
    assert [p.name for p in tmp_path.iterdir()] == ["frames"]


@pytest.mark.skipif(not video_writer_available(), reason="the optional [video] extra is not installed")
def test_mp4_when_a_video_writer_is_installed(qtbot, tmp_path, run):
    import imageio.v2 as imageio

    job = AnimationJob(settings(tmp_path, run, name="a.mp4", frames=8, fps=10.0), run)
    assert job.run_to_end() == "finished"
    assert (tmp_path / "a.mp4").read_bytes()[4:8] == b"ftyp"  # an MP4 container
    reader = imageio.get_reader(str(tmp_path / "a.mp4"), format="FFMPEG")
    try:
        assert reader.count_frames() == 8
        assert reader.get_data(0).shape == (SIZE[1], SIZE[0], 3)
    finally:
        reader.close()
    assert [p.name for p in tmp_path.iterdir()] == ["a.mp4"]


@pytest.mark.parametrize("name", ["a.gif", "frames"])
def test_cancel_leaves_nothing_behind(qtbot, tmp_path, run, name):
    job = AnimationJob(settings(tmp_path, run, name=name, frames=40), run)
    job.start()
    qtbot.waitUntil(lambda: job.done >= 3, timeout=20000)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.cancel()
    assert job.state == "cancelled"
    assert list(tmp_path.iterdir()) == []


def test_cancel_while_encoding_leaves_nothing_either(qtbot, tmp_path, run):
    job = AnimationJob(settings(tmp_path, run, frames=6), run)
    job.start()
    qtbot.waitUntil(lambda: job.state == "encoding", timeout=20000)
    job.cancel()
    assert job.state == "cancelled"
    assert list(tmp_path.iterdir()) == []


def test_an_encoder_failure_says_so_and_leaves_nothing(qtbot, tmp_path, run, monkeypatch):
    def broken(self, frame):
        raise OSError("No space left on device")

    monkeypatch.setattr(encoders.GifWriter, "add", broken)
    job = AnimationJob(settings(tmp_path, run), run)
    assert job.run_to_end() == "failed"
    assert "No space left on device" in job.error
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_untouched_until_the_new_one_is_complete(qtbot, tmp_path, run):
    (tmp_path / "a.gif").write_bytes(b"the old animation")
    job = AnimationJob(settings(tmp_path, run, frames=20), run)
    job.start()
    qtbot.waitUntil(lambda: job.done >= 2, timeout=20000)
    job.cancel()
    assert (tmp_path / "a.gif").read_bytes() == b"the old animation"


def test_the_window_keeps_answering_while_frames_render(qtbot, tmp_path, run):
    """Frames render a few at a time from the event loop: a timer keeps ticking while they
    do, and sees the job partway more than once (rendered in one go, it would see none
    rendered, then all). Judged by what the ticks saw, not by their count, which depends
    on how fast this machine renders."""
    job = AnimationJob(settings(tmp_path, run, frames=60), run)
    seen: list[tuple[float, int]] = []
    timer = QTimer()
    timer.timeout.connect(lambda: seen.append((time.perf_counter(), job.done)))
    timer.start(5)
    started = time.perf_counter()
    job.start()
    qtbot.waitUntil(lambda: job.state == "finished", timeout=60000)
    finished = time.perf_counter()
    timer.stop()
    partway = {done for _, done in seen if 0 < done < job.total}
    assert len(partway) >= 2, f"ticks saw {sorted({done for _, done in seen})} of {job.total} frames"
    during = [t for t, _ in seen if started <= t <= finished]
    assert np.percentile(np.diff([started, *during, finished]), 90) < 0.25  # generous: a loaded 2-core machine


@pytest.fixture
def window(qtbot):
    torch.set_num_threads(1)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert w.controller.step(25) is None
    w.controller.wait_until_idle(60)
    yield w
    w.controller.shutdown()


def test_dialog_exports_the_workbench_run(qtbot, tmp_path, window):
    dialog = AnimationDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.last.value() == 25
    dialog.view_checks["latent"].setChecked(True)
    dialog.width_spin.setValue(SIZE[0])
    dialog.height_spin.setValue(SIZE[1])
    dialog.fps.setValue(10)
    dialog.first.setValue(5)
    dialog.path.setText(str(tmp_path / "run.gif"))
    job = dialog.export()
    assert job is not None and job.settings.views == ("diagram", "latent", "loss")
    qtbot.waitUntil(lambda: job.state == "finished", timeout=60000)
    count, durations, size = gif_frames(tmp_path / "run.gif")
    assert (count, size) == (21, SIZE)  # epochs 5 to 25
    assert set(durations) == {100}
    assert "Saved" in dialog.message.text()


def test_dialog_refuses_bad_settings_with_a_message(qtbot, tmp_path, window):
    dialog = AnimationDialog(window)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "run.gif"))
    dialog.first.setValue(20)
    dialog.last.setValue(10)
    assert dialog.export() is None
    assert "comes after" in dialog.message.text()
    dialog.last.setValue(25)
    for check in dialog.view_checks.values():
        check.setChecked(False)
    assert dialog.export() is None
    assert "at least one view" in dialog.message.text()
    dialog.view_checks["loss"].setChecked(True)
    dialog.path.setText(str(tmp_path / "run.png"))
    assert dialog.export() is None
    assert ".gif or .mp4" in dialog.message.text()
    assert list(tmp_path.iterdir()) == []


def test_mp4_is_greyed_out_without_a_video_writer(qtbot, window, monkeypatch):
    monkeypatch.setattr("desktop_app.export.animation_dialog.video_writer_available", lambda: False)
    dialog = AnimationDialog(window)
    qtbot.addWidget(dialog)
    item = dialog.format.model().item(1)
    assert not item.isEnabled()
    assert "[video]" in dialog.format.itemText(1)


def test_file_menu_opens_the_dialog(qtbot, window):
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, "exportAnimationAction")
    action.trigger()
    dialog = window.animation_dialog
    assert dialog.isVisible() and dialog.objectName() == "exportAnimationDialog"
    dialog.close()
