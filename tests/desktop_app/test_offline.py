"""Offline (issue 16): the main flows run with every socket blocked, and nothing tries
to connect: build the window, train, click the latent space, open every panel, and
train the denoising case study on the shipped digits."""

from __future__ import annotations

import socket
import sys

import pytest
import torch
from case_study_helpers import small_digit_world
from PySide6.QtCore import Qt

from tests.desktop_app.screen_text import non_finite_on_screen

ATTEMPTS: list[str] = []


def refuse(*args, **kwargs):
    ATTEMPTS.append(repr(args))
    raise AssertionError(f"Autoencoder Lab tried to use the network: {args!r}")


@pytest.fixture
def no_network(monkeypatch):
    ATTEMPTS.clear()
    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "gethostbyname", refuse)
    yield
    assert ATTEMPTS == []


def test_the_main_flows_never_touch_the_network(qtbot, no_network):
    from desktop_app.main_window import MainWindow

    torch.set_num_threads(1)
    with small_digit_world():
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        controller = window.controller
        assert controller.step(30) is None
        qtbot.waitUntil(lambda: not controller.running and controller.session.epoch == 30, timeout=60_000)
        controller.wait_until_idle()
        canvas = window.workbench.latent.canvas
        window.workbench.docks["latent"].raise_()
        qtbot.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=canvas.viewport().rect().center())
        for key in window.workbench.docks:
            window.workbench.show_panel(key)
            qtbot.wait(30)
        window.tabs.setCurrentWidget(window.denoising)
        study = window.denoising
        study.start()
        assert study.step(1) is None
        assert study.wait_until_idle(180)
        qtbot.wait(50)
        assert study.controller.session.epoch == 1
        assert non_finite_on_screen(window) == []
        study.shutdown()
        window.close()
    assert "PySide6.QtNetwork" not in sys.modules  # no Qt networking was even loaded


def test_the_guard_itself_catches_a_connection(no_network):
    with pytest.raises(AssertionError, match="network"):
        socket.create_connection(("example.org", 80))
    with pytest.raises(AssertionError, match="network"):
        socket.socket().connect(("127.0.0.1", 9))
    ATTEMPTS.clear()  # caught as it should be; the fixture's own check stays for the real flows
