"""Checks made before any Qt window exists: the system libraries Qt needs and cannot
name itself in a way a learner can act on.

Since Qt 6.5, opening a window on X11 (Qt's "xcb" platform) needs libxcb-cursor,
which many desktops do not install. Without it Qt aborts after about two seconds with
a message on stderr only, which a learner who started the app from an icon never
sees. Here the library is looked for first, and a missing one is named together with
the package that provides it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

XCB_CURSOR_SONAME = "libxcb-cursor.so.0"
INSTALL_XCB_CURSOR = (
    "Autoencoder Lab cannot open its window: the system library libxcb-cursor is missing\n"
    "(Qt needs it to draw windows on X11). Install it, then start the app again:\n"
    "  Debian, Ubuntu, Mint:   sudo apt install libxcb-cursor0\n"
    "  Fedora, RHEL, CentOS:   sudo dnf install xcb-util-cursor\n"
    "  Arch, Manjaro:          sudo pacman -S xcb-util-cursor\n"
    "  openSUSE:               sudo zypper install libxcb-cursor0\n"
    "On a Wayland desktop, QT_QPA_PLATFORM=wayland also works without it."
)
EXIT_MISSING_LIBRARY = 3


def platform_will_be_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt is going to use X11 here: Linux, and either asked for xcb (first in
    QT_QPA_PLATFORM's list) or not asked for anything outside a Wayland session."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        return asked.split(";")[0].split(":")[0].strip() == "xcb"
    wayland = environ.get("XDG_SESSION_TYPE") == "wayland" and bool(environ.get("WAYLAND_DISPLAY"))
    return not wayland


def load_library(name: str) -> object:
    """Load a shared library as the dynamic loader would for Qt (OSError if it cannot)."""
    return ctypes.CDLL(name)


def find_library(name: str) -> str | None:
    return ctypes.util.find_library(name)


def xcb_cursor_missing(load: Callable[[str], object] | None = None,
                       find: Callable[[str], str | None] | None = None) -> bool:
    """True when libxcb-cursor can be neither loaded nor found."""
    try:
        (load or load_library)(XCB_CURSOR_SONAME)
    except OSError:
        return (find or find_library)("xcb-cursor") is None
    return False


def check_system_libraries(environ: Mapping[str, str] | None = None, platform: str | None = None,
                           load: Callable[[str], object] | None = None,
                           find: Callable[[str], str | None] | None = None) -> int | None:
    """Before the QApplication exists: None if the window can open, else an exit code,
    with the package to install printed on stderr."""
    if platform_will_be_xcb(environ, platform) and xcb_cursor_missing(load, find):
        print(INSTALL_XCB_CURSOR, file=sys.stderr)
        return EXIT_MISSING_LIBRARY
    return None
