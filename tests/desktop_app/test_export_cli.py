"""``python -m desktop_app --export-animation``: a real run writes the animation; bad
arguments exit with code 2 and say what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from desktop_app.app import parse_args

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("argv, message", [
    (["--export-animation", "{tmp}/a.png"], "must end in .gif or .mp4"),
    (["--export-animation", "{tmp}/a.gif", "--fps", "0"], "Frames per second"),
    (["--export-animation", "{tmp}/a.gif", "--fps", "nan"], "Frames per second"),
    (["--export-animation", "{tmp}/a.gif", "--size", "10x10"], "The size must be"),
    (["--export-animation", "{tmp}/a.gif", "--size", "wide"], "WIDTHxHEIGHT"),
    (["--export-animation", "{tmp}/a.gif", "--views", "diagram,heatmap"], "Unknown view heatmap"),
    (["--export-animation", "{tmp}/a.gif", "--model", "gan"], "--model must be ae, dae or vae"),
    (["--export-animation", "{tmp}/a.gif", "--frames", "0"], "number of frames"),
    (["--export-animation", "{tmp}/no/such/folder/a.gif"], "does not exist"),
    (["--export-animation", "{tmp}/a.gif", "--train-epochs", "-3"], "--train-epochs"),
    (["--export-animation", "{tmp}/a.gif", "--screenshot", "{tmp}/s.png"], "cannot be combined"),
    (["--views", "loss"], "only go with --export-animation"),
])
def test_bad_arguments_exit_2_with_a_message(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        parse_args([a.format(tmp=tmp_path) for a in argv])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_good_arguments_are_parsed_once_for_the_run(tmp_path):
    args = parse_args(["--export-animation", str(tmp_path / "a.gif"), "--views", "loss,diagram,loss",
                       "--size", "640x360", "--fps", "12.5", "--model", "vae"])
    assert args.animation_views == ("loss", "diagram")
    assert args.animation_size == (640, 360)
    assert args.animation_epochs == 300  # the default when no --train-epochs is given


def test_the_command_trains_offscreen_and_writes_the_gif(tmp_path):
    out = tmp_path / "training.gif"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--export-animation", str(out), "--train-epochs", "30",
         "--views", "diagram,latent", "--frames", "10", "--fps", "5", "--size", "400x240", "--seed", "2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "10 frames, epochs 0 to 30" in result.stdout
    with Image.open(out) as gif:
        assert (gif.n_frames, gif.size, gif.info["duration"]) == (10, (400, 240), 200)
    assert [p.name for p in tmp_path.iterdir()] == ["training.gif"]
