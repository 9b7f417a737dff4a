"""The command-line contract of ``python -m engine train``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.commands.cli import main
from engine.files.persistence import load_session

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
    from engine.commands.cli import build_parser, config_from_args

    parse = build_parser().parse_args
    assert config_from_args(parse(["train", "--dataset", "mnist", "--model", "dae"])).latent_dim == 64
    assert config_from_args(parse(["train", "--dataset", "mnist", "--model", "vae"])).latent_dim == 2
    told = parse(["train", "--dataset", "mnist", "--model", "dae", "--latent-dim", "8"])
    assert config_from_args(told).latent_dim == 8


# ----- saving, divergence, Ctrl-C ------------------------------------------------------
@pytest.mark.parametrize("target, fragment", [
    ("", "needs a file name"),
    ("/dev/null", "is a device, not a regular file"),
    (".", "is a folder, not a regular file"),
])
def test_a_bad_save_target_exits_2_before_training(target, fragment, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "5", "--json", "--save", target])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert fragment in captured.err and captured.out == ""  # not one epoch was trained


def test_a_read_only_save_target_exits_2(tmp_path, capsys):
    target = tmp_path / "keep.aelab"
    target.write_bytes(b"precious")
    target.chmod(0o444)
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--epochs", "5", "--save", str(target)])
    assert exit_info.value.code == 2 and "read-only" in capsys.readouterr().err
    assert target.read_bytes() == b"precious"


def test_divergence_is_in_the_final_object_and_the_exit_code(tmp_path, capsys):
    """The issue's case: a VAE with SGD, β 100 and learning rate 10 blows up at once."""
    target = tmp_path / "diverged.aelab"
    code = main(["train", "--model", "vae", "--optimizer", "sgd", "--beta", "100", "--lr", "10",
                 "--epochs", "50", "--json", "--save", str(target)])
    captured = capsys.readouterr()
    final = json.loads(captured.out.splitlines()[-1])
    assert code == 3
    assert final["diverged"] is True and final["last_finite_epoch"] < final["diverged_at_epoch"] < 50
    assert final["epochs"] == final["last_finite_epoch"]
    assert "diverged" in captured.err
    assert load_session(target).epoch == final["last_finite_epoch"]  # the last finite epoch is saved


def test_ctrl_c_stops_cleanly_and_saves_what_was_trained(tmp_path):
    import signal

    target = tmp_path / "stopped.aelab"
    child = subprocess.Popen([sys.executable, "-m", "engine", "train", "--epochs", "1000000", "--json",
                              "--save", str(target)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    lines = [child.stdout.readline() for _ in range(20)]  # twenty epochs trained
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    rows = [json.loads(line) for line in lines + out.splitlines()]
    final = rows[-1]
    assert child.returncode == 130, err
    assert "Traceback" not in err and "Ctrl-C" in err
    assert final["final"] and final["interrupted"] is True and final["saved"] == str(target)
    assert final["epochs"] == rows[-2]["epoch"] >= 20
    assert load_session(target).epoch == final["epochs"]
