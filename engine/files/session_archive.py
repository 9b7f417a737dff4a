"""Reading a session file's raw contents with every size known before it is read.

A session file is a zip of ``.npy`` arrays (numpy's ``.npz``). Before any array is
read, the zip's directory and each array's own header are checked: plain numeric
dtypes only (an object array would need pickle, which is never used), declared sizes
that agree with each other and stay within what a real session needs. Only then are
the bytes read, so a small file that declares gigabytes is refused at once. Every
problem raises ``SessionFileError`` with a sentence about the file.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

MiB = 1 << 20
MAX_FILE_BYTES = 512 * MiB  # on disk
MAX_TOTAL_BYTES = 512 * MiB  # all arrays together, as they are in memory
MAX_ARRAY_BYTES = 256 * MiB  # a million-epoch history is 24 MB, a digit model ~5 MB
MAX_MEMBERS = 60_000  # a format-1 file of 2000 stored epochs has about 52,000
MAX_HEADER_BYTES = 16 * MiB  # the JSON header
MAX_JSON_DEPTH = 32
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_OPENING, _CLOSING = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)
ALLOWED_DTYPES = tuple(np.dtype(d) for d in ("<f4", "<f8", "|u1", "<i8", "<i4", "|b1"))

# What other files start with, to say what a file "looks like" instead of numpy's text.
_SIGNATURES = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"), (b"\x93NUMPY", "a single numpy array"),
    (b"\x80", "a Python pickle"), (b"BZh", "a bzip2 archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"SQLite format", "an SQLite database"), (b"\x7fELF", "a program"),
)


class SessionFileError(ValueError):
    """A session file that cannot be opened, with the reason in plain words."""


def read_members(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Every array in the file by member name (without ``.npy``), sizes checked first."""
    path = Path(path)
    _check_is_file(path)
    try:
        with open(path, "rb") as handle:
            _check_signature(path, handle)
            _check_directory_size(path, handle)
            with zipfile.ZipFile(handle) as archive:
                infos = _checked_infos(path, archive)
                return {info.filename[:-4]: _read_array(path, archive, info) for info in infos}
    except SessionFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error, NotImplementedError,
            OverflowError, RuntimeError) as exc:
        raise SessionFileError(
            f"{path.name} is not a complete Autoencoder Lab session: it may be truncated, "
            f"damaged or come from another program ({exc})."
        ) from exc
    except MemoryError as exc:
        raise SessionFileError(f"{path.name} is too large to open on this computer.") from exc
    except OSError as exc:
        raise SessionFileError(f"{path.name} could not be read: {exc.strerror or exc}.") from exc


def decode_json(raw: np.ndarray, what: str) -> object:
    """JSON text stored as a uint8 array: bounded size and depth, no NaN or infinity."""
    if raw.dtype != np.uint8 or raw.ndim != 1 or raw.size > MAX_HEADER_BYTES:
        raise SessionFileError(f"The {what} of this session file is not valid text.")
    try:
        text = raw.tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SessionFileError(f"The {what} of this session file is not valid text.") from exc
    if json_depth(text) > MAX_JSON_DEPTH:
        raise SessionFileError(f"The {what} of this session file is nested too deeply to be real.")
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:
        raise SessionFileError(f"The {what} of this session file is damaged ({exc}).") from exc


def json_depth(text: str) -> int:
    """How deeply brackets nest in JSON text (strings skipped), without recursion."""
    codes = np.frombuffer(_STRING.sub("", text).encode(), dtype=np.uint8)
    steps = np.isin(codes, _OPENING).astype(np.int8) - np.isin(codes, _CLOSING).astype(np.int8)
    return int(np.cumsum(steps, dtype=np.int64).max(initial=0))


# ----- internals ------------------------------------------------------------------------
def _check_is_file(path: Path) -> None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        kind = "a broken link" if os.path.islink(path) else "no file"
        raise SessionFileError(f"There is {kind} at {path}.") from None
    except OSError as exc:
        raise SessionFileError(f"{path} could not be read: {exc.strerror or exc}.") from exc
    if not stat.S_ISREG(info.st_mode):
        raise SessionFileError(f"{path} is not a regular file, so it cannot be a session.")
    if info.st_size > MAX_FILE_BYTES:
        raise SessionFileError(
            f"{path.name} is {info.st_size / MiB:.0f} MB, larger than any Autoencoder Lab session "
            f"({MAX_FILE_BYTES // MiB} MB at most)."
        )


def _check_signature(path: Path, handle) -> None:
    start = handle.read(16)
    handle.seek(0)
    if start.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return
    if not start:
        raise SessionFileError(f"{path.name} is empty: it is not an Autoencoder Lab session.")
    looks = next((name for magic, name in _SIGNATURES if start.startswith(magic)), None)
    if looks is None and start.lstrip()[:1] in (b"{", b"["):
        looks = "a JSON file"
    hint = f" (it looks like {looks})" if looks else ""
    raise SessionFileError(f"{path.name} is not an Autoencoder Lab session{hint}.")


def _check_directory_size(path: Path, handle) -> None:
    """Read the zip's end record before zipfile parses its whole directory."""
    size = handle.seek(0, os.SEEK_END)
    tail_len = min(size, 65_557)
    handle.seek(size - tail_len)
    tail = handle.read(tail_len)
    handle.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise zipfile.BadZipFile("no end of the zip directory")
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries > MAX_MEMBERS or directory_bytes > MAX_MEMBERS * 200:
        raise SessionFileError(f"{path.name} holds more parts than any Autoencoder Lab session.")


def _checked_infos(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise SessionFileError(f"{path.name} holds more parts than any Autoencoder Lab session.")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise SessionFileError(f"{path.name} holds two parts with the same name: it was changed by hand.")
    total = 0
    for info in infos:
        if not info.filename.endswith(".npy") or info.is_dir():
            raise SessionFileError(f"{path.name} holds a part that is not an array ({info.filename[:60]}).")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SessionFileError(f"{path.name} uses a compression Autoencoder Lab never writes.")
        total += info.file_size
        if info.file_size > MAX_ARRAY_BYTES + 4096 or total > MAX_TOTAL_BYTES:
            raise _too_large(path, total)
    return infos


def _read_array(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    name = info.filename[:-4]
    with archive.open(info) as member:
        version = npy_format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = npy_format.read_array_header_1_0(member, max_header_size=10_000)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = npy_format.read_array_header_2_0(member, max_header_size=10_000)
        else:
            raise ValueError(f"unknown array format {version}")
        if dtype.hasobject:
            raise SessionFileError(
                f"{path.name} holds a Python object ({name}), which is never loaded: "
                "it is not an Autoencoder Lab session."
            )
        if dtype not in ALLOWED_DTYPES:
            raise SessionFileError(f"{path.name}: the part {name} has a kind of number ({dtype}) no session uses.")
        nbytes = math.prod(shape) * dtype.itemsize
        if nbytes > MAX_ARRAY_BYTES:
            raise _too_large(path, nbytes)
        if member.tell() + nbytes != info.file_size:
            raise SessionFileError(f"{path.name}: the part {name} does not hold the size it declares.")
        buffer = bytearray(nbytes)
        if member.readinto(buffer) != nbytes:
            raise EOFError(f"{name} is cut short")
    return np.frombuffer(buffer, dtype=dtype).reshape(shape, order="F" if fortran else "C")


def _too_large(path: Path, nbytes: int) -> SessionFileError:
    return SessionFileError(
        f"{path.name} declares at least {nbytes / MiB:,.0f} MB of data, more than any Autoencoder Lab "
        f"session needs ({MAX_TOTAL_BYTES // MiB} MB at most): it is damaged or not a session."
    )


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a session stores")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large")
    return value
