"""The engine modules the window reads import no torch, and their numpy paths run
without it (issue 15: the window process never imports torch; on Windows a torch
imported after Qt fails to load its DLLs, pytorch/pytorch#166628).

``WINDOW_MODULES`` is the list, written out so that a module joining it is a decision:
every engine module ``desktop_app`` imports at its top level, except the ones that
belong to the training process (``TORCH_SIDE``, each with why), plus the modules a
mirror is made of. A fresh interpreter imports them all and runs the numpy paths (a
file opened into a record, the latent maths, the case studies' figures, a pre-trained
digit model) and then finds no torch in ``sys.modules``."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WINDOW_MODULES = (
    # a session's mirror and what it holds
    "engine.core.record", "engine.core.train_state", "engine.core.history", "engine.core.snapshot",
    "engine.core.numpy_net", "engine.core.net_layouts", "engine.core.shown_numbers", "engine.core.named_weights",
    "engine.core.frozen", "engine.core.config", "engine.core.typed_numbers", "engine.core.kl", "engine.core.runtime",
    "engine.core.optimizer_state",
    "engine.core.divergence", "engine.core.blas_threads",
    # files: opened into records, records saved
    "engine.files.persistence", "engine.files.saved_record", "engine.files.session_file_checks",
    "engine.files.session_archive", "engine.files.safe_files",
    # what the views and panels compute from snapshots
    "engine.latent", "engine.latent.space",
    "engine.lecture", "engine.lecture.backprop", "engine.lecture.datasets", "engine.lecture.examples",
    "engine.lecture.gaussian", "engine.lecture.loss_breakdowns", "engine.lecture.noise", "engine.lecture.sigmoid",
    # the case studies
    "engine.digits", "engine.digits.data", "engine.digits.settings", "engine.digits.study_figures",
    "engine.digits.denoising_quality", "engine.digits.drawing", "engine.digits.pretrained",
    # talking to the training process: its messages, a lesson step's recipe, the child's entry point
    "engine.service", "engine.service.protocol", "engine.service.wire", "engine.service.shown_once",
    "engine.core.session_recipe",
    "engine.service.child",
    # the training device: a plain choice the window keeps (torch only inside available_devices)
    "engine.core.device",
    # the benchmark's figures and budgets (plain Python; the GUI benchmark reports through it), and
    # the headless yardstick's request names (it imports torch only when it trains)
    "engine.commands.budgets", "engine.commands.speed",
)
#: Engine modules that need torch and run in the training process only.
TORCH_SIDE = {
    "engine.core.session": "the training session itself",
    "engine.core.epoch": "the epoch loop",
    "engine.core.training_step": "the training step's losses",
    "engine.core.losses": "torch's losses, for gradients",
    "engine.core.model_factory": "builds torch models",
    "engine.core.net_layout": "reads a torch model's layout",
    "engine.core.train_state_torch": "numpy train states back to tensors",
    "engine.core.divergence_step": "runs a training step to see if it blows up",
    "engine.lecture.models": "the torch models",
    "engine.lecture.corruption": "training noise drawn with torch's generator",
    "engine.lecture.step_state": "replays the next step's random draws with torch's generator",
    "engine.digits.models": "the torch models",
    "engine.digits.training": "held-out scoring of a live torch model",
    "engine.commands.benchmark": "trains headless",
}

CHECK = r"""
import importlib, sys
import numpy as np
modules = sys.argv[1].split(",")
for name in modules:
    importlib.import_module(name)
assert "torch" not in sys.modules, "torch came with the imports"

from engine.core.record import SessionRecord
from engine.digits.pretrained import load_pretrained_record, pretrained_path
from engine.digits.study_figures import denoising_figures, drawn_digit_figures, held_out_loss, prior_digits
from engine.digits.drawing import blank, stroke
from engine.files.persistence import load_session, save_session
from engine.latent import space

record = load_session(sys.argv[2])  # a 2x2 VAE saved by the format-1 code
assert isinstance(record, SessionRecord) and record.epoch == 13
snap = record.latest
box = space.model_box(snap)
points, images = space.decode_grid(snap, box, 30)
assert images.shape == (900, 4) and np.isfinite(images).all()
assert space.distance_map(snap, box, 16).shape == (16, 16)
assert space.encoded_data_grid(snap).shape[-1] == 2
record.truncate_after(5)
save_session(record, sys.argv[3])
assert load_session(sys.argv[3]).epoch == 5

vae = load_pretrained_record(pretrained_path("vae")).latest
loss = held_out_loss(vae)
assert np.isfinite(loss.total) and loss.kl > 0
z, digits = prior_digits(vae, 16, seed=1)
assert digits.shape == (16, 784)
points, grid = space.decode_grid(vae, space.model_box(vae), 30)
assert grid.shape == (900, 784)
dae = load_pretrained_record(pretrained_path("dae")).latest
figures = denoising_figures(dae, None, np.arange(10))
assert figures.network_psnr.mean() > figures.input_psnr.mean()
drawn = drawn_digit_figures(dae, None, stroke(blank(), (9, 6), (19, 20)))
assert drawn.denoised.shape == (784,)

torch_like = sorted(m for m in sys.modules if m == "torch" or m.startswith("torch."))
print("TORCH:", torch_like)
sys.exit(1 if torch_like else 0)
"""


def test_the_window_modules_import_and_run_without_torch(tmp_path):
    data = ROOT / "tests" / "engine" / "data" / "format1_vae_13_epochs.aelab"
    args = [",".join(WINDOW_MODULES), str(data), str(tmp_path / "again.aelab")]
    result = subprocess.run([sys.executable, "-c", CHECK, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_engine_module_the_window_imports_is_listed_or_torch_side():
    """A new ``from engine... import`` in desktop_app must be placed in one list or the other."""
    import ast

    imported: set[str] = set()
    for path in (ROOT / "desktop_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("engine"):
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names if a.name.startswith("engine"))
    unplaced = imported - set(WINDOW_MODULES) - set(TORCH_SIDE)
    assert unplaced == set()
    assert not set(WINDOW_MODULES) & set(TORCH_SIDE)
