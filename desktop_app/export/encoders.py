"""Writing frames to a GIF (Pillow), an MP4 (imageio's ffmpeg, optional) or a folder of PNGs.

Each writer works on a temporary beside the destination: ``close`` completes it,
``commit`` renames it into place, ``abort`` removes it, so a cancelled or failed export leaves nothing. The
writers take numpy RGB frames and touch no Qt object, so they run on a thread.
"""

from __future__ import annotations

import contextlib
import os
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np
from PIL import Image

from desktop_app.export.animation_plan import frame_durations_ms
from desktop_app.export.files import (
    check_destination,
    check_folder_destination,
    discard,
    move_folder_into_place,
    temporary_beside,
)


class FrameWriter(ABC):
    @abstractmethod
    def add(self, frame: np.ndarray) -> None:
        """Take the next frame."""

    @abstractmethod
    def close(self) -> None:
        """Complete the temporary (the slow part of a GIF: all of its compression)."""

    def commit(self) -> None:
        """Rename the completed temporary to the destination (atomic within a folder)."""
        os.replace(self.temporary, self.target)

    @abstractmethod
    def abort(self) -> None:
        """Drop the temporary; the destination is left as it was."""


class GifWriter(FrameWriter):
    """An animated GIF that loops, each frame with its own 256-colour palette.

    Pillow writes a GIF in one call, so frames are kept until ``close``, already
    reduced to palette images (one byte a pixel: 200 frames of 1280x720 take 184 MB)."""

    def __init__(self, path: str | os.PathLike, fps: float) -> None:
        self.target = check_destination(path)
        self.temporary = temporary_beside(self.target)
        self.fps = fps
        self.frames: list[Image.Image] = []

    def add(self, frame: np.ndarray) -> None:
        # fast octree: a palette fitted to this frame in a few ms (median cut takes ~10x longer)
        self.frames.append(Image.fromarray(frame, "RGB").quantize(256, Image.Quantize.FASTOCTREE,
                                                                  dither=Image.Dither.NONE))

    def close(self) -> None:
        first, *rest = self.frames
        self.frames = []
        first.save(self.temporary, format="GIF", save_all=True, append_images=rest, loop=0,
                   duration=frame_durations_ms(1 + len(rest), self.fps), disposal=1, optimize=False)

    def abort(self) -> None:
        self.frames = []
        discard(self.temporary)


class Mp4Writer(FrameWriter):
    """H.264 in an MP4 through imageio's ffmpeg, streamed frame by frame."""

    def __init__(self, path: str | os.PathLike, fps: float) -> None:
        import imageio.v2 as imageio

        self.target = check_destination(path)
        self.temporary = temporary_beside(self.target, keep_suffix=True)
        try:
            self.writer = imageio.get_writer(str(self.temporary), format="FFMPEG", mode="I", fps=fps,
                                             codec="libx264", pixelformat="yuv420p", macro_block_size=2,
                                             ffmpeg_log_level="error")
        except BaseException:
            discard(self.temporary)
            raise

    def add(self, frame: np.ndarray) -> None:
        self.writer.append_data(frame)

    def close(self) -> None:
        self.writer.close()

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # already failing: the temporary goes regardless
            self.writer.close()
        discard(self.temporary)


class FolderWriter(FrameWriter):
    """frame-00001.png, frame-00002.png, … in a new folder (filled under a temporary name)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.target = check_folder_destination(path)
        self.temporary = temporary_beside(self.target, folder=True)
        self.count = 0

    def add(self, frame: np.ndarray) -> None:
        self.count += 1
        Image.fromarray(frame, "RGB").save(Path(self.temporary) / f"frame-{self.count:05d}.png", compress_level=3)

    def close(self) -> None:
        """Every frame is already a finished PNG."""

    def commit(self) -> None:
        move_folder_into_place(self.temporary, self.target)

    def abort(self) -> None:
        discard(self.temporary)


def open_writer(kind: str, path: str | os.PathLike, fps: float) -> FrameWriter:
    if kind == "gif":
        return GifWriter(path, fps)
    if kind == "mp4":
        return Mp4Writer(path, fps)
    if kind == "folder":
        return FolderWriter(path)
    raise ValueError(f"Unknown animation format {kind!r}.")
