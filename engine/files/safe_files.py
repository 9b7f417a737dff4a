"""Writing a file so that nothing the user had is ever damaged.

The target must be a regular file or a new name: a folder, a device (``/dev/null``),
a named pipe or a socket is refused, never replaced. A symlink is followed: the file
it points to is rewritten and the link stays a link. An existing file keeps its
permission bits; a read-only one is refused.

How a kill mid-save leaves nothing behind: on Linux the data is written into an
unnamed file (``O_TMPFILE``) in the target's folder; if the process dies while
writing, the kernel frees it. Only once it is complete and synced is it given a
name (``.NAME.PID.aelab-part``) and at once renamed over the target, so a named
temporary exists for a few microseconds. Where ``O_TMPFILE`` is missing (other
systems, some file systems) the named temporary is written directly. Either way,
every save first removes stale temporaries of ours for the same target (those whose
process is gone), and ``remove_stale_temporaries`` does it on demand.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".aelab-part"


class SaveError(OSError):
    """A file that cannot be written, with the reason in plain words.

    An ``OSError`` so callers that catch OSError keep working; ``strerror`` holds
    the reason without a final full stop (it reads after "Could not save: "),
    ``str()`` the same with the first letter capitalised and a full stop."""

    def __init__(self, reason: str) -> None:
        super().__init__(errno.EINVAL, reason)

    def __str__(self) -> str:
        return f"{self.strerror[:1].upper()}{self.strerror[1:]}."


def resolve_target(path: str | os.PathLike) -> Path:
    """The file a save to ``path`` will write (symlinks followed), after checking it
    can be written: raises ``SaveError`` saying why not. Writes nothing."""
    if str(path).strip() == "":
        raise SaveError("no file name was given")
    target = Path(os.path.realpath(os.path.expanduser(os.fspath(path))))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        _check_folder(target.parent)
        return target
    except NotADirectoryError:
        raise SaveError(f"a part of the path {path} is a file, not a folder") from None
    except OSError as exc:
        raise SaveError(f"{path}: {_reason(exc)}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SaveError(f"{path} is {_kind(info.st_mode)}, not a regular file")
    if not os.access(target, os.W_OK) or not info.st_mode & 0o222:
        raise SaveError(f"{path} is read-only")
    _check_folder(target.parent)
    return target


def write_atomically(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file through ``write(handle)``, all or nothing; returns the file written.

    The previous file stays intact until the new one is complete and on disk."""
    target = resolve_target(path)
    _make_folder(target.parent)
    remove_stale_temporaries(target)
    try:
        _write_replace(target, write, *_mode_for(target))
    except SaveError:
        raise
    except OSError as exc:
        raise SaveError(f"{target}: {_reason(exc)}") from exc
    return target


def remove_stale_temporaries(path: str | os.PathLike) -> list[Path]:
    """Delete our temporaries for ``path`` left by processes that no longer run."""
    target = Path(path)
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)(?:\.\d+)?{re.escape(TEMP_SUFFIX)}")
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match and not _process_alive(int(match.group(1))):
            try:
                (target.parent / name).unlink()
                removed.append(target.parent / name)
            except OSError:
                continue
    return removed


# ----- internals ------------------------------------------------------------------------
def _write_replace(
    target: Path, write: Callable[[BinaryIO], None], mode: int, uid: int | None, gid: int | None
) -> None:
    folder = target.parent
    temp = folder / f".{target.name}.{os.getpid()}.{id(write)}{TEMP_SUFFIX}"
    fd = _open_unnamed(folder, mode)
    named = fd is None
    if named:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb", closefd=False) as handle:
            write(handle)
            handle.flush()
        _keep_owner(fd, uid, gid)
        os.fchmod(fd, mode)
        os.fsync(fd)
        if not named:
            _give_name(fd, temp)
        os.replace(temp, target)
    except BaseException:
        if named or temp.exists():
            temp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)
    _sync_folder(folder)


def _give_name(fd: int, name: Path) -> None:
    """Link an ``O_TMPFILE`` file into its folder. A folder descriptor makes Python call
    ``linkat(..., AT_SYMLINK_FOLLOW)`` (plain ``link`` would link the /proc symlink)."""
    folder_fd = os.open(name.parent, os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder_fd, follow_symlinks=True)
    finally:
        os.close(folder_fd)


def _open_unnamed(folder: Path, mode: int) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where unsupported."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY, mode)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None
        raise


def _mode_for(target: Path) -> tuple[int, int | None, int | None]:
    """An existing file's permission bits and owner; for a new file, what ``umask``
    allows and no owner to keep."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask, None, None
    return stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid


def _keep_owner(fd: int, uid: int | None, gid: int | None) -> None:
    """Give the new file the old one's owner where allowed (root saving a user's file)."""
    if uid is None or (uid, gid) == (os.getuid(), os.getgid()):
        return
    with contextlib.suppress(OSError):
        os.fchown(fd, uid, gid)


def _check_folder(folder: Path) -> None:
    """The folder exists and we may write in it, or the nearest existing folder above
    it does (missing folders are made when the file is written, not when checked)."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), folder)
    if not existing.is_dir():
        raise SaveError(f"{existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise SaveError(f"you have no permission to write in the folder {existing}")


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"the folder {folder} cannot be made: {_reason(exc)}") from exc


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another save in this process may be under way
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.EROFS: "the disk is read-only",
    errno.EEXIST: "a file is in the way where a folder should be",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
    errno.ENAMETOOLONG: "the name is too long",
}


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, exc.strerror or str(exc))
