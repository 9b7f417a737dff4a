"""File > Save / Open / Open recent as a learner uses them: the unsaved-changes prompt,
dropping a file on the window, the recent list, and every bad file or place to save
to, each with a clear message, the open session untouched and the file on disk
untouched."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QFileDialog, QLineEdit, QMessageBox, QWidget

from desktop_app.main_window import MainWindow
from desktop_app.recent_files import recent_files
from engine.core.config import TrainingConfig

FORMAT1 = Path(__file__).parents[1] / "engine" / "data" / "format1_vae_13_epochs.aelab"


class Dialogs:
    """Records every message box and answers questions as told."""

    def __init__(self, monkeypatch, answer=QMessageBox.StandardButton.Discard) -> None:
        self.warnings: list[str] = []
        self.questions: list[str] = []
        self.answer = answer
        monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: self.warnings.append(text))
        monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text, *a: self._ask(text))

    def _ask(self, text):
        self.questions.append(text)
        return self.answer


@pytest.fixture
def dialogs(monkeypatch):
    return Dialogs(monkeypatch)


@pytest.fixture
def window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def trained(window, epochs: int = 5):
    """Train the workbench on to epoch ``epochs``."""
    assert window.controller.step(epochs - window.controller.session.epoch) is None
    assert window.controller.wait_until_idle(120)
    return window.controller.session


def open_and_wait(window, path, **kwargs):
    job = window.session_files.open_path(path, **kwargs)
    if job is not None:
        assert job.wait(120)
    return job


# ----- unsaved changes ---------------------------------------------------------------------
def test_a_fresh_window_has_nothing_to_save_and_closes_without_asking(window, dialogs):
    window.session_files.ask_on_close = True
    assert not window.session_files.modified
    assert window.close()
    assert dialogs.questions == []


@pytest.mark.parametrize("answer, closes", [(QMessageBox.StandardButton.Cancel, False),
                                            (QMessageBox.StandardButton.Discard, True)])
def test_closing_with_unsaved_training_asks_first(window, dialogs, answer, closes):
    window.session_files.ask_on_close = True
    trained(window)
    assert window.session_files.modified
    dialogs.answer = answer
    assert window.close() is closes
    assert len(dialogs.questions) == 1 and "not saved" in dialogs.questions[0]
    assert window.isVisible() is not closes


def test_save_in_the_prompt_saves_then_closes(window, dialogs, monkeypatch, tmp_path):
    window.session_files.ask_on_close = True
    session = trained(window)
    dialogs.answer = QMessageBox.StandardButton.Save
    target = tmp_path / "tonight.aelab"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.close()
    from engine.files.persistence import load_bundle

    sessions, _state = load_bundle(target)
    np.testing.assert_array_equal(sessions["workbench"].history.as_array(), session.history.as_array())


def test_opening_over_unsaved_work_asks_and_cancel_keeps_it(window, dialogs, tmp_path):
    session = trained(window)
    dialogs.answer = QMessageBox.StandardButton.Cancel
    assert window.session_files.open_path(FORMAT1) is None
    assert window.controller.session is session and len(dialogs.questions) == 1
    dialogs.answer = QMessageBox.StandardButton.Discard
    open_and_wait(window, FORMAT1)
    assert window.controller.session.epoch == 13  # a file from the previous format opens
    assert dialogs.warnings == []


def test_saving_makes_the_window_clean_and_names_the_file(window, dialogs, tmp_path):
    trained(window)
    assert window.session_files.save_to(tmp_path / "a.aelab")
    assert not window.session_files.modified
    assert window.windowTitle().startswith("a.aelab")
    window.controller.select_image(3)  # a selection is worth saving too
    assert window.session_files.modified


# ----- drop, recent files, Ctrl+S -------------------------------------------------------------
def drop_file(window, path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    point = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return enter.isAccepted() and drop.isAccepted()


def test_dropping_a_session_file_on_the_window_opens_it(window, dialogs):
    assert drop_file(window, FORMAT1)
    job = window.session_files.loading
    assert job is not None and job.wait(120)
    assert window.controller.session.epoch == 13
    assert dialogs.warnings == []


def test_a_file_dropped_on_any_view_reaches_the_window(window):
    """Only text fields keep drops for themselves (Qt gives a drop to the innermost
    widget that accepts drops, never to its parents)."""
    keeping = [w for w in window.findChildren(QWidget)
               if w.acceptDrops() and not isinstance(w, (QLineEdit, QAbstractSpinBox))]
    assert keeping == [] and window.acceptDrops()


def test_saved_and_opened_files_are_listed_in_open_recent_newest_first(window, dialogs, tmp_path):
    trained(window, 2)
    assert window.session_files.save_to(tmp_path / "one.aelab")
    assert window.session_files.save_to(tmp_path / "two.aelab")
    assert recent_files()[:2] == [str((tmp_path / "two.aelab").resolve()), str((tmp_path / "one.aelab").resolve())]
    menu = window.session_files.recent_menu
    menu.rebuild()
    first = menu.actions()[0]
    assert first.data() == str((tmp_path / "two.aelab").resolve()) and "two.aelab" in first.text()
    window.controller.reset()  # unsaved: Discard (the fixture's answer) when the list opens a file
    menu.actions()[1].trigger()
    assert window.session_files.loading.wait(120)
    assert window.controller.session.epoch == 2 and window.session_files.path.name == "one.aelab"


def test_ctrl_s_saves_again_to_the_same_file(window, dialogs, tmp_path):
    trained(window, 2)
    assert window.session_files.save_to(tmp_path / "again.aelab")
    trained(window, 4)
    window.session_files.actions["save"].trigger()  # no dialog: the file has a name
    from engine.files.persistence import load_bundle

    assert load_bundle(tmp_path / "again.aelab")[0]["workbench"].epoch == 4
    assert window.session_files.actions["save"].shortcut().matches(Qt.Key.Key_S | Qt.Modifier.CTRL)


# ----- bad places to save to ------------------------------------------------------------------
def test_saving_over_a_folder_says_so(window, dialogs, tmp_path):
    assert not window.session_files.save_to(tmp_path)
    assert "folder" in dialogs.warnings[0] or "not a regular file" in dialogs.warnings[0]


def test_saving_into_a_read_only_folder_says_so_and_writes_nothing(window, dialogs, tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    real_access = os.access
    # root may write anywhere: make the folder read-only for this process too
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if Path(p) == folder else real_access(p, mode, **k))
    trained(window, 2)
    assert not window.session_files.save_to(folder / "s.aelab")
    assert "permission" in dialogs.warnings[0] and "Nothing was written" in dialogs.warnings[0]
    assert list(folder.iterdir()) == []
    folder.chmod(0o755)


def test_a_full_disk_leaves_the_existing_file_as_it_was(window, dialogs, tmp_path, monkeypatch):
    trained(window, 2)
    target = tmp_path / "kept.aelab"
    assert window.session_files.save_to(target)
    before = target.read_bytes()
    trained(window, 5)

    def full(handle, **arrays):
        handle.write(b"PK\x03\x04 half a file")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", full)
    assert not window.session_files.save_to(target)
    assert "disk is full" in dialogs.warnings[0] and "unchanged" in dialogs.warnings[0]
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.aelab"]  # no temporary left behind
    assert window.controller.session.epoch == 5 and window.session_files.modified


# ----- bad files to open ------------------------------------------------------------------------
def rewritten(source: Path, target: Path, change) -> Path:
    with np.load(source, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    header = json.loads(arrays["header"].tobytes().decode())
    change(header)
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    with open(target, "wb") as handle:
        np.savez(handle, **arrays)
    return target


def bad_files(tmp_path: Path, good: Path) -> dict[str, tuple[Path, str]]:
    truncated = tmp_path / "truncated.aelab"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    picture = tmp_path / "picture.aelab"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    text = tmp_path / "notes.aelab"
    text.write_text("my notes, not a session")
    return {
        "newer": (rewritten(good, tmp_path / "newer.aelab", lambda h: h.update(version=99)), "newer"),
        "truncated": (truncated, "truncated|damaged|not"),
        "picture": (picture, "PNG"),
        "text": (text, "not an Autoencoder Lab"),
        "screen state from a newer app": (rewritten(good, tmp_path / "newer_state.aelab",
                                                    lambda h: h["app_state"].update(version=7)), "newer"),
        "screen state tampered": (rewritten(good, tmp_path / "tampered.aelab",
                                            lambda h: h["app_state"]["workbench"].update(selected="two")),
                                  "damaged"),
        "layout tampered": (rewritten(good, tmp_path / "layout.aelab",
                                      lambda h: h["app_state"]["layout"].update(window=[1, 2])), "damaged"),
        "trace tampered": (rewritten(good, tmp_path / "trace.aelab",
                                     lambda h: h["app_state"]["denoising"].update(psnr_trace=[7])), "damaged"),
        "settings tampered": (rewritten(good, tmp_path / "settings.aelab",
                                        lambda h: h["app_state"]["generation"].update(settings={"beta": -1})),
                              "damaged"),
        "a folder": (tmp_path, "folder|not a regular file"),
        "gone": (tmp_path / "gone.aelab", "no file"),
    }


def test_bad_files_are_refused_with_a_message_and_nothing_changes(window, dialogs, tmp_path):
    import re

    trained(window, 3)
    good = tmp_path / "good.aelab"
    assert window.session_files.save_to(good)
    window.controller.new_session(TrainingConfig(model="vae", seed=5))
    session, state_before = window.controller.session, window.session_files.path
    for name, (path, fragment) in bad_files(tmp_path, good).items():
        before = path.read_bytes() if path.is_file() else None
        dialogs.warnings.clear()
        open_and_wait(window, path, confirmed=True)
        assert len(dialogs.warnings) == 1, name
        assert re.search(fragment, dialogs.warnings[0]), (name, dialogs.warnings[0])
        assert "The open session is unchanged" in dialogs.warnings[0]
        assert window.controller.session is session, name
        assert window.session_files.path == state_before
        if before is not None:
            assert path.read_bytes() == before, name


def test_the_window_stays_responsive_while_a_session_loads(window, dialogs, tmp_path, qtbot):
    trained(window, 30)
    assert window.session_files.save_to(tmp_path / "long.aelab")
    window.controller.reset()
    job = window.session_files.open_path(tmp_path / "long.aelab", confirmed=True)
    assert job.running  # the load runs on a worker thread; the window goes on
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    assert window.controller.session.epoch == 30
