"""What a training animation shows: the settings, checked in one place, and its frames.

Used by File > Export animation and by ``--export-animation``; both get the same
messages for the same mistakes. No Qt here.
"""

from __future__ import annotations

import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

VIEWS = ("diagram", "latent", "loss", "reconstruction", "workbench")
VIEW_NAMES = {"diagram": "network diagram", "latent": "latent space", "loss": "loss curve",
              "reconstruction": "reconstruction", "workbench": "whole workbench"}
KINDS = ("gif", "mp4", "folder")
MIN_SIZE, MAX_SIZE = (320, 180), (3840, 2160)
MAX_FPS = 50  # GIF delays are whole hundredths of a second, and viewers slow down anything under 2
MAX_FRAMES = 2000
DEFAULT_FRAMES = 200


@dataclass(frozen=True)
class AnimationSettings:
    path: Path
    kind: str  # "gif", "mp4" or "folder"
    views: tuple[str, ...]
    first_epoch: int
    last_epoch: int
    width: int
    height: int
    fps: float
    max_frames: int = DEFAULT_FRAMES


def kind_of(path: str | Path) -> str:
    """GIF or MP4 by the file's suffix; no suffix names a folder of PNG frames."""
    suffix = Path(path).suffix.lower()
    if suffix in (".gif", ".mp4"):
        return suffix[1:]
    if suffix == "":
        return "folder"
    raise ValueError(f"{Path(path).name}: the animation's name must end in .gif or .mp4, "
                     "or have no suffix for a folder of PNG frames.")


def parse_views(text: str) -> tuple[str, ...]:
    views = tuple(v.strip().lower() for v in text.split(",") if v.strip())
    unknown = [v for v in views if v not in VIEWS]
    if unknown or not views:
        raise ValueError(f"Unknown view {', '.join(unknown) or '(none)'}: choose from {', '.join(VIEWS)}.")
    return tuple(dict.fromkeys(views))  # each once, in the order given


def parse_size(text: str) -> tuple[int, int]:
    parts = text.lower().replace("×", "x").split("x")
    try:
        width, height = (int(p) for p in parts)
    except ValueError:
        raise ValueError(f"{text!r}: give the size as WIDTHxHEIGHT, e.g. 1280x720.") from None
    return width, height


def video_writer_available() -> bool:
    """MP4 needs the optional ``[video]`` extra (imageio with its ffmpeg)."""
    return all(importlib.util.find_spec(name) is not None for name in ("imageio", "imageio_ffmpeg"))


def check_look(path: str | Path, views: tuple[str, ...], size: tuple[int, int], fps: float,
               max_frames: int = DEFAULT_FRAMES) -> tuple[str, tuple[str, ...]]:
    """Everything but the epochs: (the kind of output, the views), or a ValueError."""
    kind = kind_of(path)
    if kind == "mp4" and not video_writer_available():
        raise ValueError("MP4 needs a video writer: pip install 'autoencoder-lab[video]' (imageio and ffmpeg).")
    views = parse_views(",".join(views))
    width, height = size
    if not (MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]):
        raise ValueError(f"The size must be from {MIN_SIZE[0]}x{MIN_SIZE[1]} to {MAX_SIZE[0]}x{MAX_SIZE[1]} pixels.")
    if kind == "mp4" and (width % 2 or height % 2):
        raise ValueError("An MP4 needs an even width and height (e.g. 1280x720).")
    if not (isinstance(fps, (int, float)) and math.isfinite(fps) and 1 <= fps <= MAX_FPS):
        raise ValueError(f"Frames per second must be from 1 to {MAX_FPS}.")
    if not 1 <= max_frames <= MAX_FRAMES:
        raise ValueError(f"The number of frames must be from 1 to {MAX_FRAMES:,}.")
    folder = Path(path).expanduser().parent
    if not folder.is_dir():
        raise ValueError(f"The folder {folder} does not exist.")
    return kind, views


def check_settings(path: str | Path, views: tuple[str, ...], first_epoch: int, last_epoch: int,
                   size: tuple[int, int], fps: float, stored_epochs: list[int],
                   max_frames: int = DEFAULT_FRAMES) -> AnimationSettings:
    """Every setting checked against the stored run; a ValueError says what to change."""
    kind, views = check_look(path, views, size, fps, max_frames)
    if not stored_epochs:
        raise ValueError("Nothing is stored yet: train a few epochs first.")
    if first_epoch > last_epoch:
        raise ValueError(f"The first epoch ({first_epoch}) comes after the last ({last_epoch}).")
    if first_epoch < 0 or last_epoch > stored_epochs[-1]:
        raise ValueError(f"The epochs must lie within the stored run, 0 to {stored_epochs[-1]:,}.")
    if not frame_epochs(stored_epochs, first_epoch, last_epoch, max_frames):
        raise ValueError(f"No stored epoch lies between {first_epoch} and {last_epoch}.")
    width, height = size
    return AnimationSettings(Path(path).expanduser(), kind, views, int(first_epoch), int(last_epoch), int(width),
                             int(height), float(fps), int(max_frames))


def frame_epochs(stored: list[int], first: int, last: int, max_frames: int) -> list[int]:
    """The stored epochs from ``first`` to ``last``, evenly thinned to at most ``max_frames``
    (the first and the last always kept): a frame shows a real stored epoch, never a guess."""
    inside = [e for e in sorted(stored) if first <= e <= last]
    if len(inside) <= max_frames:
        return inside
    if max_frames == 1:
        return [inside[-1]]
    picks = np.unique(np.round(np.linspace(0, len(inside) - 1, max_frames)).astype(int))
    return [inside[i] for i in picks]


def frame_durations_ms(count: int, fps: float) -> list[int]:
    """Each frame's display time in whole hundredths of a second (GIF's unit), rounded so
    the running total stays on the true clock: 30 fps gives 30, 30, 40, 30, 30, 40 ms…"""
    ends = [round(100 * (k + 1) / fps) * 10 for k in range(count)]
    return [ends[0], *(b - a for a, b in zip(ends, ends[1:], strict=False))]
