"""Start-up without Qt's system libraries (issue 16, defect 9): a missing libxcb-cursor
is found before any QApplication exists, named with the package to install, and the
app exits with a non-zero code instead of Qt aborting two seconds later."""

from __future__ import annotations

import sys

import pytest

from desktop_app import app, platform_check
from desktop_app.platform_check import check_system_libraries, platform_will_be_xcb, xcb_cursor_missing


def missing_loader(name: str) -> object:
    raise OSError(f"{name}: cannot open shared object file: No such file or directory")


def not_found(name: str) -> None:
    return None


@pytest.mark.parametrize(("environ", "platform", "xcb"), [
    ({"DISPLAY": ":0"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb;wayland"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland"}, "linux", False),
    ({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
    ({"DISPLAY": ":0"}, "darwin", False),
    ({}, "win32", False),
])
def test_which_platform_qt_will_use(environ, platform, xcb):
    assert platform_will_be_xcb(environ, platform) is xcb


def test_a_missing_library_is_named_with_its_packages(capsys):
    code = check_system_libraries({"DISPLAY": ":0"}, "linux", load=missing_loader, find=not_found)
    assert code == platform_check.EXIT_MISSING_LIBRARY != 0
    err = capsys.readouterr().err
    assert "libxcb-cursor" in err
    assert "sudo apt install libxcb-cursor0" in err and "sudo dnf install xcb-util-cursor" in err


def test_nothing_is_said_when_the_library_loads_or_qt_will_not_need_it(capsys):
    assert check_system_libraries({"DISPLAY": ":0"}, "linux", load=lambda name: object(), find=not_found) is None
    assert check_system_libraries({"QT_QPA_PLATFORM": "offscreen"}, "linux", load=missing_loader,
                                  find=not_found) is None
    assert capsys.readouterr().err == ""
    assert not xcb_cursor_missing(load=missing_loader, find=lambda name: "libxcb-cursor.so.0")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11's library is a Linux matter")
def test_the_app_exits_before_building_a_window(monkeypatch, capsys):
    built = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(platform_check, "load_library", missing_loader)
    monkeypatch.setattr(platform_check, "find_library", not_found)
    monkeypatch.setattr("desktop_app.main_window.MainWindow", lambda *a, **k: built.append(a))
    monkeypatch.setattr("logging.basicConfig", lambda **k: None)
    assert app.main([]) == platform_check.EXIT_MISSING_LIBRARY
    assert built == [] and "libxcb-cursor0" in capsys.readouterr().err


def test_the_real_loader_finds_the_library_on_this_machine():
    assert not xcb_cursor_missing() or platform_check.find_library("xcb-cursor") is None
