"""Handwritten digits for the case studies: the shipped MNIST subset and IDX files.

The shipped file (``assets/digits/mnist_5k.npz``, see its README for origin and
licence) holds 5,000 MNIST digits sorted by digit, 500 of each. Users with the full
MNIST can load the standard IDX files instead (LeCun et al., "THE MNIST DATABASE of
handwritten digits", file format section: big-endian magic 0x00000803 for images,
0x00000801 for labels, then the dimensions as 32-bit big-endian integers).
"""

from __future__ import annotations

import gzip
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SIDE = 28
N_PIXELS = SIDE * SIDE
N_CLASSES = 10
HELD_OUT_PER_DIGIT = 50
HELD_OUT_COUNT = N_CLASSES * HELD_OUT_PER_DIGIT  # the 500 digits the case studies show
SHIPPED_COUNT = 5_000  # digits in the shipped file, 500 of each (a test checks the file)
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "assets" / "digits" / "mnist_5k.npz"

IDX_IMAGES_MAGIC = 0x00000803  # unsigned byte, 3 dimensions
IDX_LABELS_MAGIC = 0x00000801  # unsigned byte, 1 dimension
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, eq=False)
class DigitSet:
    """Digits as the models see them: ``images`` float32 (N, 784) in [0, 1], row-major
    28x28; ``labels`` int64 (N,) in 0..9."""

    images: np.ndarray
    labels: np.ndarray

    def __post_init__(self) -> None:
        if self.images.ndim != 2 or self.images.shape[1] != N_PIXELS:
            raise ValueError(f"images must be (N, {N_PIXELS}), got {self.images.shape}")
        if self.labels.shape != (self.images.shape[0],):
            raise ValueError(
                f"{self.images.shape[0]} images but labels of shape {self.labels.shape}"
            )

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def subset(self, indices: np.ndarray) -> DigitSet:
        return DigitSet(self.images[indices].copy(), self.labels[indices].copy())


def _from_uint8(images: np.ndarray, labels: np.ndarray) -> DigitSet:
    flat = images.reshape(images.shape[0], N_PIXELS).astype(np.float32) / np.float32(255.0)
    return DigitSet(flat, labels.astype(np.int64))


def load_digits(path: str | Path | None = None) -> DigitSet:
    """Load the shipped digits (or an ``.npz`` of the same layout).

    Raises ValueError, naming the file and what is wrong, for a file that is not such
    an npz (foreign, truncated, wrong shapes or dtypes, labels outside 0..9).
    """
    path = DEFAULT_PATH if path is None else Path(path)
    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as err:
        raise ValueError(f"{path}: not a digits .npz file ({err})") from err
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{path}: not an .npz archive (a single .npy array)")
    with archive:
        missing = {"images", "labels"} - set(archive.files)
        if missing:
            raise ValueError(f"{path}: missing arrays {sorted(missing)}")
        try:
            images = archive["images"]
            labels = archive["labels"]
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
            raise ValueError(f"{path}: unreadable or truncated digits file ({err})") from err

    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (SIDE, SIDE):
        raise ValueError(
            f"{path}: images must be uint8 (N, {SIDE}, {SIDE}), "
            f"got {images.dtype} {images.shape}"
        )
    if labels.dtype != np.uint8 or labels.shape != (images.shape[0],):
        raise ValueError(
            f"{path}: labels must be uint8 ({images.shape[0]},), got {labels.dtype} {labels.shape}"
        )
    if labels.size and labels.max() >= N_CLASSES:
        raise ValueError(f"{path}: labels must be 0..9, found {int(labels.max())}")
    return _from_uint8(images, labels)


def held_out_indices(labels: np.ndarray, per_digit: int = HELD_OUT_PER_DIGIT) -> np.ndarray:
    """Indices (sorted) of the last ``per_digit`` images of each digit, in file order."""
    chosen = []
    for digit in range(N_CLASSES):
        where = np.flatnonzero(labels == digit)
        if where.size < per_digit:
            raise ValueError(f"digit {digit} has {where.size} images, fewer than {per_digit}")
        chosen.append(where[-per_digit:])
    return np.sort(np.concatenate(chosen))


def split_digits(ds: DigitSet) -> tuple[DigitSet, DigitSet]:
    """The fixed split: held-out = the last 50 of each digit (500), training = the rest."""
    test_idx = held_out_indices(ds.labels)
    train_mask = np.ones(len(ds), dtype=bool)
    train_mask[test_idx] = False
    return ds.subset(np.flatnonzero(train_mask)), ds.subset(test_idx)


# ----------------------------------------------------------------------------- IDX


def _read_maybe_gzip(path: Path) -> bytes:
    raw = Path(path).read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as err:
            raise ValueError(f"{path}: truncated or corrupt gzip data ({err})") from err
    return raw


def _idx_header(data: bytes, path: Path, magic: int, n_dims: int) -> tuple[int, ...]:
    header_size = 4 + 4 * n_dims
    if len(data) < 4:
        raise ValueError(f"{path}: too short for an IDX header ({len(data)} bytes)")
    (found,) = struct.unpack(">I", data[:4])
    if found != magic:
        kind = "images" if magic == IDX_IMAGES_MAGIC else "labels"
        raise ValueError(
            f"{path}: not an IDX {kind} file (magic 0x{found:08x}, expected 0x{magic:08x})"
        )
    if len(data) < header_size:
        raise ValueError(f"{path}: too short for an IDX header ({len(data)} bytes)")
    dims = struct.unpack(f">{n_dims}I", data[4:header_size])
    expected = header_size + int(np.prod(dims, dtype=np.int64))
    if len(data) != expected:
        what = "truncated" if len(data) < expected else "has trailing bytes"
        raise ValueError(
            f"{path}: {what}: {len(data)} bytes, header {dims} implies {expected}"
        )
    return dims


def load_idx_images(path: str | Path) -> np.ndarray:
    """uint8 (N, rows, cols) from an IDX3 image file (gzipped or not)."""
    path = Path(path)
    data = _read_maybe_gzip(path)
    n, rows, cols = _idx_header(data, path, IDX_IMAGES_MAGIC, 3)
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, rows, cols).copy()


def load_idx_labels(path: str | Path) -> np.ndarray:
    """uint8 (N,) from an IDX1 label file (gzipped or not)."""
    path = Path(path)
    data = _read_maybe_gzip(path)
    (n,) = _idx_header(data, path, IDX_LABELS_MAGIC, 1)
    return np.frombuffer(data, dtype=np.uint8, offset=8).copy()


def load_idx_digits(images_path: str | Path, labels_path: str | Path) -> DigitSet:
    """A DigitSet from a pair of MNIST IDX files (e.g. train-images-idx3-ubyte.gz)."""
    images = load_idx_images(images_path)
    labels = load_idx_labels(labels_path)
    if images.shape[1:] != (SIDE, SIDE):
        raise ValueError(f"{images_path}: images are {images.shape[1:]}, expected 28x28")
    if images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"{images.shape[0]} images in {images_path} but {labels.shape[0]} labels "
            f"in {labels_path}"
        )
    if labels.size and labels.max() >= N_CLASSES:
        raise ValueError(f"{labels_path}: labels must be 0..9, found {int(labels.max())}")
    return _from_uint8(images, labels)
