"""Writing export files so that a failure or a Cancel never leaves half a file behind.

Everything is written to a temporary beside the destination and renamed into place at
the end (a rename within one folder is atomic); on any error the temporary is removed
and an earlier file of that name is left as it was.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def check_destination(path: str | os.PathLike) -> Path:
    """The destination as a Path, or a ValueError that says what is wrong with it."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValueError(f"{target} is a folder; choose a file name.")
    if not target.parent.is_dir():
        raise ValueError(f"The folder {target.parent} does not exist.")
    return target


def temporary_beside(target: Path, *, folder: bool = False, keep_suffix: bool = False) -> Path:
    """A fresh temporary file (or folder) in the destination's folder, hidden by its dot;
    ``keep_suffix`` ends it in the destination's suffix too (ffmpeg picks its format by it)."""
    suffix = ".partial" + (target.suffix if keep_suffix else "")
    while True:
        path = target.parent / f".{target.name}.{secrets.token_hex(4)}{suffix}"
        try:  # created with the user's usual permissions (umask), unlike tempfile's private 0600
            if folder:
                path.mkdir()
            else:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except FileExistsError:
            continue
        return path


def discard(temporary: Path) -> None:
    if temporary.is_dir():
        shutil.rmtree(temporary, ignore_errors=True)
    else:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path to write; rename it to ``path`` if the block succeeds."""
    target = check_destination(path)
    temporary = temporary_beside(target)
    try:
        yield str(temporary)
        os.replace(temporary, target)
    except BaseException:
        discard(temporary)
        raise


def check_folder_destination(path: str | os.PathLike) -> Path:
    """A folder of frames must be new (or empty): frames of another export never mix in."""
    target = Path(path).expanduser()
    if target.exists() and not target.is_dir():
        raise ValueError(f"{target} is a file; choose a new folder name.")
    if target.is_dir() and any(target.iterdir()):
        raise ValueError(f"The folder {target} is not empty; choose a new or empty folder.")
    if not target.parent.is_dir():
        raise ValueError(f"The folder {target.parent} does not exist.")
    return target


def move_folder_into_place(temporary: Path, target: Path) -> None:
    if target.is_dir():  # empty (checked): rename replaces an empty folder on POSIX, not on Windows
        target.rmdir()
    os.replace(temporary, target)
