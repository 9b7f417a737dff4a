"""The command-line contract of ``python -m engine train``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.cli import main
from engine.persistence import load_session

ROOT = Path(__file__).resolve().parents[2]


def run_json(capsys, *args):
    assert main(["train", *args, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_json_lines_per_epoch_and_a_final_object(capsys):
    rows = run_json(capsys, "--model", "ae", "--dataset", "diagonals", "--epochs", "5")
    assert [r["epoch"] for r in rows[:-1]] == [1, 2, 3, 4, 5]
    for row in rows[:-1]:
        assert set(row) == {"epoch", "loss", "reconstruction", "kl", "seconds"}
        assert row["kl"] == 0 and row["loss"] == row["reconstruction"]
    final = rows[-1]
    assert final["final"] is True and final["epochs"] == 5
    assert final["train_loss"] == rows[-2]["loss"] and final["seconds"] >= 0


def test_vae_reports_kl(capsys):
    rows = run_json(capsys, "--model", "vae", "--epochs", "3", "--beta", "0.5")
    assert all(r["kl"] > 0 for r in rows[:-1])
    assert rows[0]["loss"] == pytest.approx(rows[0]["reconstruction"] + 0.5 * rows[0]["kl"], rel=1e-6)


def test_same_seed_same_output(capsys):
    strip = lambda rows: [{k: v for k, v in r.items() if k != "seconds"} for r in rows]  # noqa: E731
    a = run_json(capsys, "--model", "dae", "--epochs", "4", "--seed", "3", "--noise-type", "mask", "--noise", "0.3")
    b = run_json(capsys, "--model", "dae", "--epochs", "4", "--seed", "3", "--noise-type", "mask", "--noise", "0.3")
    assert strip(a) == strip(b)


def test_table_output_and_save(capsys, tmp_path):
    target = tmp_path / "s.aelab"
    assert main(["train", "--epochs", "40", "--loss", "logloss", "--save", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:2] == ["epoch", "loss"] and "done: 40 epochs" in out
    assert load_session(target).epoch == 40


@pytest.mark.parametrize("args, fragment", [
    (["--epochs", "0"], "number of epochs"),
    (["--epochs", "-3"], "number of epochs"),
    (["--lr", "nan"], "learning rate"),
    (["--lr", "-0.1"], "learning rate"),
    (["--beta", "inf"], "β"),
    (["--noise", "7"], "noise"),
    (["--model", "gan"], "invalid choice"),
    (["--epochs", "many"], "invalid int"),
])
def test_bad_arguments_exit_2_with_a_message(args, fragment, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", *args])
    assert exit_info.value.code == 2
    assert fragment in capsys.readouterr().err


def test_module_entry_point_learns_the_diagonals():
    """The foundation's 'done' check, shortened: a real subprocess, real JSON."""
    result = subprocess.run([sys.executable, "-m", "engine", "train", "--model", "ae", "--dataset", "diagonals",
                             "--epochs", "1500", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    final = json.loads(result.stdout.splitlines()[-1])
    assert final["final"] and final["epochs"] == 1500 and final["train_loss"] < 0.01


def test_digit_denoiser_gets_its_64_unit_bottleneck_unless_told_otherwise():
    from engine.cli import build_parser, config_from_args

    parse = build_parser().parse_args
    assert config_from_args(parse(["train", "--dataset", "mnist", "--model", "dae"])).latent_dim == 64
    assert config_from_args(parse(["train", "--dataset", "mnist", "--model", "vae"])).latent_dim == 2
    told = parse(["train", "--dataset", "mnist", "--model", "dae", "--latent-dim", "8"])
    assert config_from_args(told).latent_dim == 8
