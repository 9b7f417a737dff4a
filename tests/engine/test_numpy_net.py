"""The window's forward pass in numpy (``engine.core.numpy_net``) equals the torch
models' to 1e-6 for every model kind, from the layout the training process exports;
the torch-free layouts (what a file opened in the window uses) equal the exported
ones, and their shapes are the models' own."""

import numpy as np
import pytest
import torch
from torch import nn

from engine.core import losses
from engine.core.config import TrainingConfig
from engine.core.model_factory import make_model
from engine.core.net_layout import export_layout
from engine.core.net_layouts import layout_for, state_shapes
from engine.core.session import TrainingSession
from engine.core.shown_numbers import lecture_weights, per_image_loss
from engine.core.snapshot import EpochSnapshot, network_weights

KINDS = [("diagonals", "ae", 2), ("diagonals", "dae", 2), ("diagonals", "vae", 2),
         ("mnist", "ae", 2), ("mnist", "vae", 2), ("mnist", "dae", 16)]
TOLERANCE = 1e-6


def _model(dataset: str, kind: str, latent: int, seed: int = 3) -> tuple[nn.Module, TrainingConfig]:
    config = TrainingConfig(dataset=dataset, model=kind, latent_dim=latent)
    torch.manual_seed(seed)
    model = make_model(config)
    with torch.no_grad():  # batch norm's statistics away from (0, 1), so they matter
        for name, value in model.state_dict().items():
            if name.endswith(("running_mean", "bias")) and "decoder" in name:
                value.add_(torch.randn_like(value) * 0.3)
            if name.endswith("running_var"):
                value.copy_(torch.rand_like(value) * 2 + 0.2)
    return model.eval(), config


def _snapshot(model: nn.Module, config: TrainingConfig) -> EpochSnapshot:
    params = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    empty = np.zeros((0, 4), np.float32)
    return EpochSnapshot(epoch=0, config=config, loss=0.0, reconstruction_loss=0.0, kl=0.0, params=params,
                         images=empty, inputs=empty, codes=empty, reconstructions=empty,
                         image_losses=np.zeros(0), layout=export_layout(model))


def _inputs(config: TrainingConfig, n: int = 9) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    pixels = 784 if config.is_digits else 4
    return rng.random((n, pixels), dtype=np.float32), rng.normal(0, 2, (n, config.latent_dim)).astype(np.float32)


def _assert_close(numpy_out: np.ndarray, torch_out: torch.Tensor) -> None:
    assert numpy_out.dtype == np.float32
    np.testing.assert_allclose(numpy_out, torch_out.numpy(), rtol=0, atol=TOLERANCE)


@pytest.mark.parametrize("dataset, kind, latent", KINDS)
def test_numpy_forward_equals_the_torch_model(dataset, kind, latent):
    model, config = _model(dataset, kind, latent)
    snapshot = _snapshot(model, config)
    x, z = _inputs(config)
    with torch.no_grad():
        out = model(torch.from_numpy(x))
        decoded = model.decode(torch.from_numpy(z))
    _assert_close(snapshot.decode(z), decoded)
    _assert_close(snapshot.decode(z[0]), decoded[0])
    _assert_close(snapshot.encode(x), out.code)
    _assert_close(snapshot.reconstruct(x), out.reconstruction)
    if out.log_var is not None:
        _assert_close(snapshot.net.encode(x)[1], out.log_var)


@pytest.mark.parametrize("kind", ["ae", "dae", "vae"])
def test_a_trained_lecture_run_decodes_as_its_model(kind):
    session = TrainingSession(TrainingConfig(model=kind, seed=2, learning_rate=0.1, noise_level=0.2))
    for _ in session.run(60):
        pass
    snapshot = session.latest
    grid = np.stack(np.meshgrid(np.linspace(-3, 3, 11), np.linspace(-3, 3, 11)), -1).reshape(-1, 2)
    with torch.no_grad():
        expected = session.model.decode(torch.from_numpy(grid.astype(np.float32)))
        out = session.model.eval()(torch.from_numpy(np.array(snapshot.inputs)))
    _assert_close(snapshot.decode(grid), expected)
    _assert_close(snapshot.codes, out.code)
    _assert_close(snapshot.reconstructions, out.reconstruction)


@pytest.mark.parametrize("dataset, kind, latent", KINDS)
def test_the_torch_free_layout_is_the_exported_one_with_the_models_shapes(dataset, kind, latent):
    model, config = _model(dataset, kind, latent)
    layout = layout_for(config)
    assert export_layout(model) == layout
    shapes, trained = state_shapes(layout)
    dtypes = {torch.float32: "<f4", torch.int64: "<i8"}
    assert shapes == {k: (tuple(v.shape), dtypes[v.dtype]) for k, v in model.state_dict().items()}
    assert list(shapes) == list(model.state_dict())
    assert trained == [tuple(p.shape) for p in model.parameters()]  # the optimiser's order


@pytest.mark.parametrize("kind", ["ae", "vae"])
def test_named_weights_read_off_the_layout_are_the_models_named_layers(kind):
    model, config = _model("diagonals", kind, 2)
    params = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    mine, theirs = lecture_weights(params, layout_for(config)), network_weights(model)
    for part in ("encoder", "decoder", "log_var"):
        a, b = getattr(mine, part), getattr(theirs, part)
        assert (a is None) == (b is None)
        if a is not None:
            assert np.array_equal(a.weight, b.weight) and np.array_equal(a.bias, b.bias)
    assert lecture_weights(params, layout_for(TrainingConfig(dataset="mnist", model=kind))) is None


def test_a_layer_without_a_numpy_op_is_refused_when_exported():
    model, _config = _model("mnist", "ae", 2)
    model.decoder[1] = nn.Tanh()
    with pytest.raises(ValueError, match="Tanh has no numpy op"):
        export_layout(model)


@pytest.mark.parametrize("kind", ["mse", "logloss"])
def test_each_images_loss_in_numpy_equals_the_training_loss(kind):
    rng = np.random.default_rng(1)
    y = rng.random((6, 784), dtype=np.float32)
    y[0, :3] = (0.0, 1.0, 1e-30)  # log floor of −100 at a certain output
    x = (rng.random((6, 784)) < 0.3).astype(np.float32)
    expected = losses.per_image_reconstruction(torch.from_numpy(y), torch.from_numpy(x), kind)
    np.testing.assert_allclose(per_image_loss(y, x, kind), expected.numpy(), rtol=1e-6)


def _run_op(op: tuple, params: dict, x: np.ndarray) -> np.ndarray:
    """One op on images in torch's (n, channels, height, width) order: inside the net
    they are channels last, so they go in and come out transposed."""
    from engine.core.numpy_net import NumpyNet

    out = NumpyNet(params, (("decoder", (op,)),)).decode(x.transpose(0, 2, 3, 1))
    return out.transpose(0, 3, 1, 2)


def test_batch_norm_with_tiny_variances_equals_torchs():
    """Variances near eps (1e-5), where leaving eps out or adding it elsewhere shows."""
    rng = np.random.default_rng(2)
    c = 6
    p = {"bn.weight": rng.normal(1, 0.5, c), "bn.bias": rng.normal(0, 0.5, c),
         "bn.running_mean": rng.normal(0, 0.3, c), "bn.running_var": rng.uniform(1e-6, 1e-4, c)}
    p = {k: v.astype(np.float32) for k, v in p.items()}
    x = rng.random((3, c, 5, 5), dtype=np.float32)
    t = {k: torch.from_numpy(v) for k, v in p.items()}
    expected = torch.nn.functional.batch_norm(torch.from_numpy(x), t["bn.running_mean"], t["bn.running_var"],
                                              t["bn.weight"], t["bn.bias"], training=False, eps=1e-5)
    np.testing.assert_allclose(_run_op(("batch_norm", "bn", c, 1e-5), p, x), expected.numpy(), rtol=1e-5)


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("kernel, stride, padding", [(3, 1, 1), (3, 2, 1), (4, 2, 1), (2, 3, 0), (5, 2, 2)])
def test_convolutions_equal_torchs(transposed, kernel, stride, padding):
    rng = np.random.default_rng(kernel * 10 + stride)
    c_in, c_out = 3, 4
    shape = (c_in, c_out, kernel, kernel) if transposed else (c_out, c_in, kernel, kernel)
    p = {"c.weight": rng.normal(0, 0.5, shape).astype(np.float32), "c.bias": rng.normal(0, 1, c_out).astype(np.float32)}
    x = rng.random((2, c_in, 7, 6), dtype=np.float32)
    conv = torch.nn.functional.conv_transpose2d if transposed else torch.nn.functional.conv2d
    expected = conv(torch.from_numpy(x), torch.from_numpy(p["c.weight"]), torch.from_numpy(p["c.bias"]),
                    stride=stride, padding=padding)
    kind = "conv_transpose2d" if transposed else "conv2d"
    got = _run_op((kind, "c", c_in, c_out, kernel, stride, padding), p, x)
    assert got.shape == tuple(expected.shape)
    np.testing.assert_allclose(got, expected.numpy(), rtol=TOLERANCE, atol=TOLERANCE)


def test_a_pickled_snapshot_leaves_its_cached_network_behind_and_decodes_the_same():
    import pickle

    snapshot = TrainingSession(TrainingConfig(model="vae")).latest
    before = snapshot.decode([[0.5, -1.0]])
    assert snapshot.net is snapshot.net  # made once, then kept
    pickled = pickle.dumps(snapshot)
    assert b"NumpyNet" not in pickled
    copy = pickle.loads(pickled)
    assert copy.layout == snapshot.layout
    assert np.array_equal(copy.decode([[0.5, -1.0]]), before)
