"""Saving never damages what is at the path: devices, folders, pipes, symlinks,
read-only files, permissions, full disks, and a process killed mid-save."""

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from engine.core.config import TrainingConfig
from engine.core.session import TrainingSession
from engine.files.persistence import load_session, save_session
from engine.files.safe_files import TEMP_SUFFIX, SaveError, remove_stale_temporaries, write_atomically


@pytest.fixture(scope="module")
def session():
    s = TrainingSession(TrainingConfig(model="vae"))
    for _ in s.run(5):
        pass
    return s


def test_a_symlink_is_followed_and_stays_a_link(session, tmp_path):
    real = tmp_path / "real.aelab"
    real.write_bytes(b"old")
    link = tmp_path / "link.aelab"
    link.symlink_to(real)
    written = save_session(session, link)
    assert written == real and link.is_symlink() and os.readlink(link) == str(real)
    assert load_session(link).epoch == 5


def test_an_existing_files_permissions_are_kept(session, tmp_path):
    target = tmp_path / "shared.aelab"
    target.write_bytes(b"old")
    target.chmod(0o640)
    save_session(session, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_new_file_gets_the_usual_permissions_not_0600(session, tmp_path):
    old = os.umask(0o022)
    try:
        target = save_session(session, tmp_path / "new.aelab")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_read_only_file_is_refused_and_untouched(session, tmp_path):
    target = tmp_path / "keep.aelab"
    target.write_bytes(b"precious")
    target.chmod(0o444)
    with pytest.raises(SaveError, match="read-only"):
        save_session(session, target)
    assert target.read_bytes() == b"precious"


def test_dev_null_is_never_replaced(session):
    before = os.stat("/dev/null")
    with pytest.raises(SaveError, match="is a device, not a regular file"):
        save_session(session, "/dev/null")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_symlink_to_a_device_is_refused(session, tmp_path):
    link = tmp_path / "null.aelab"
    link.symlink_to("/dev/null")
    with pytest.raises(SaveError, match="is a device"):
        save_session(session, link)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_folders_and_pipes_are_refused(session, tmp_path):
    with pytest.raises(SaveError, match="is a folder, not a regular file"):
        save_session(session, tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(SaveError, match="is a named pipe"):
        save_session(session, fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_saving_under_a_plain_file_says_so(session, tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("x")
    with pytest.raises(SaveError, match="is a file, not a folder"):
        save_session(session, plain / "run.aelab")
    with pytest.raises(SaveError, match="is a file, not a folder"):
        save_session(session, plain / "deeper" / "run.aelab")


def test_an_empty_name_is_refused(session):
    with pytest.raises(SaveError, match="(?i)no file name"):
        save_session(session, "")


def test_missing_folders_are_made_when_writing_not_when_checking(session, tmp_path):
    from engine.files.persistence import check_save_target

    assert check_save_target(tmp_path / "a" / "b" / "run.aelab") == tmp_path / "a" / "b" / "run.aelab"
    assert not (tmp_path / "a").exists()
    assert load_session(save_session(session, tmp_path / "a" / "b" / "run.aelab")).epoch == 5


def test_a_folder_without_write_permission_is_refused(session, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)  # root may write anywhere
    with pytest.raises(SaveError, match="no permission to write in the folder"):
        save_session(session, tmp_path / "run.aelab")


def test_the_message_reads_after_could_not_save(session, tmp_path):
    target = tmp_path / "keep.aelab"
    target.write_bytes(b"x")
    target.chmod(0o444)
    with pytest.raises(SaveError) as info:
        save_session(session, target)
    assert f"Could not save: {info.value.strerror}." == f"Could not save: {target} is read-only."
    assert str(info.value) == f"{target} is read-only."


def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "run.aelab"
    target.write_bytes(b"previous")

    def full_disk(handle):
        handle.write(b"partial data")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(SaveError, match="the disk is full"):
        write_atomically(target, full_disk)
    assert target.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["run.aelab"]


def test_named_temporary_fallback_also_cleans_up(tmp_path, monkeypatch):
    import engine.files.safe_files as safe_files

    monkeypatch.setattr(safe_files, "_open_unnamed", lambda folder, mode: None)
    target = tmp_path / "run.aelab"
    write_atomically(target, lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["run.aelab"]
    with pytest.raises(KeyError):
        write_atomically(target, lambda handle: (handle.write(b"half"), {}["boom"]))
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["run.aelab"]


def test_stale_temporaries_of_dead_processes_are_removed_but_nothing_else(tmp_path):
    target = tmp_path / "run.aelab"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".run.aelab.{dead}.123{TEMP_SUFFIX}"
    stale.write_bytes(b"left by a killed save")
    live = tmp_path / f".run.aelab.{os.getpid()}.9{TEMP_SUFFIX}"  # a save under way here
    other = tmp_path / f".other.aelab.{dead}.1{TEMP_SUFFIX}"  # another file's: not ours to judge
    mine = tmp_path / "run.aelab.backup"
    for p in (live, other, mine):
        p.write_bytes(b"x")
    assert remove_stale_temporaries(target) == [stale]
    assert not stale.exists() and live.exists() and other.exists() and mine.exists()


def _saving_child(data: bytes, target: Path, how: str) -> tuple[int, int]:
    """A forked child that saves ``data`` to ``target`` over and over until killed,
    slowly, in chunks; it writes a byte to the returned pipe once it is mid-write."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            import engine.files.safe_files as safe_files

            if how == "named":
                safe_files._open_unnamed = lambda folder, mode: None

            def slowly(handle):
                for at in range(0, len(data), 1024):
                    handle.write(data[at : at + 1024])
                    os.write(write_end, b"w")
                    time.sleep(0.001)

            while True:
                write_atomically(target, slowly)
        finally:
            os._exit(1)
    os.close(write_end)
    return pid, read_end


@pytest.mark.parametrize("how", ["unnamed", "named"])
def test_killed_mid_save_leaves_no_temporary_behind(session, tmp_path, how):
    """SIGKILL a process in the middle of writing a session, eight times. With
    O_TMPFILE nothing named is left even before cleanup; with named temporaries (the
    fallback) each kill leaves one, and the next save removes them. The file on disk
    is always the whole session."""
    data = save_session(session, tmp_path / "reference").read_bytes()
    (tmp_path / "reference").unlink()
    target = tmp_path / "run.aelab"
    rng = np.random.default_rng(0)
    for _kill in range(8):
        pid, pipe = _saving_child(data, target, how)
        for _ in range(int(rng.integers(1, 2 * len(data) // 1024))):
            assert os.read(pipe, 1) == b"w"  # the child is writing
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(pipe)
        assert not target.exists() or target.read_bytes() == data
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "run.aelab"]
        if how == "unnamed":
            assert leftovers == []
        else:  # the last kill's (each save first removes those of dead processes)
            assert len(leftovers) == 1 and leftovers[0].endswith(TEMP_SUFFIX)
    assert load_session(target).epoch == 5
    save_session(session, target)
    assert [p.name for p in tmp_path.iterdir()] == ["run.aelab"]
