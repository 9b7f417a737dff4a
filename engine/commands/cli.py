"""Command line: ``python -m engine train ...`` and ``python -m engine bench``.

With ``--json`` every epoch prints one JSON object (epoch, loss, reconstruction, kl,
seconds since the start) and a final object with ``"final": true``.

Exit codes: 0 trained all epochs; 2 bad arguments or a ``--save`` target that cannot
be written (found before training starts); 3 training diverged (the final object says
``"diverged": true`` and the last finite epoch, which is what ``--save`` writes);
4 the session could not be saved at the end (a full disk); 130 stopped with Ctrl-C
(what was trained is saved when ``--save`` was given).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time

from engine.core.config import (
    DATASETS,
    LOSS_KINDS,
    MODEL_KINDS,
    OPTIMIZERS,
    TrainingConfig,
    check_epochs,
)
from engine.core.runtime import use_threads_for
from engine.core.session import TrainingDiverged, TrainingInterrupted, TrainingSession
from engine.lecture.noise import NOISE_KINDS

DEFAULT_EPOCHS = {"mnist": 10}
EXIT_DONE, EXIT_BAD_ARGUMENTS, EXIT_DIVERGED, EXIT_SAVE_FAILED, EXIT_INTERRUPTED = 0, 2, 3, 4, 130
PRESET_DATASETS = tuple(d for d in DATASETS if d != "custom")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a model and report each epoch")
    train.add_argument("--model", choices=MODEL_KINDS, default="ae")
    train.add_argument("--dataset", choices=PRESET_DATASETS, default="diagonals")
    train.add_argument("--epochs", type=int, help="epochs to train (3000 for 2x2 sets, 10 for mnist)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--lr", type=float, help="learning rate")
    train.add_argument("--loss", choices=LOSS_KINDS, help="reconstruction loss")
    train.add_argument("--optimizer", choices=OPTIMIZERS, default="adam")
    train.add_argument("--noise-type", choices=NOISE_KINDS, default="gaussian")
    train.add_argument("--noise", type=float, help="noise level (std or fraction)")
    train.add_argument("--beta", type=float, help="weight of the KL term (VAE; 0.05 for 2x2 sets, 1 for mnist)")
    train.add_argument("--latent-dim", type=int, help="latent units (mnist only; 2, or 64 for the denoiser)")
    train.add_argument("--batch-size", type=int, help="images per update")
    train.add_argument("--save", metavar="PATH", help="save the session to this file")
    train.add_argument("--json", action="store_true", help="one JSON object per epoch")
    commands.add_parser("bench", help="measure training speed, memory and digit quality", add_help=False)
    return parser


def config_from_args(args: argparse.Namespace) -> TrainingConfig:
    """The run's settings: for digits, the app's case-study settings
    (``engine.digits.training.case_study_config``) with what the arguments change."""
    base = _digit_config(args.model) if args.dataset == "mnist" else TrainingConfig(model=args.model)
    settings: dict[str, object] = {"dataset": args.dataset, "seed": args.seed, "optimizer": args.optimizer,
                                   "noise_type": args.noise_type}
    for name, value in (("learning_rate", args.lr), ("loss", args.loss), ("beta", args.beta),
                        ("noise_level", args.noise), ("batch_size", args.batch_size),
                        ("latent_dim", args.latent_dim)):
        if value is not None:
            settings[name] = value
    return base.replace(**settings)


def _digit_config(model: str) -> TrainingConfig:
    from engine.digits.training import case_study_config

    return case_study_config(model)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "bench":
        from engine.commands.benchmark import main as bench_main

        return bench_main(extra)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        config = config_from_args(args)
        epochs = check_epochs(args.epochs if args.epochs is not None else DEFAULT_EPOCHS.get(args.dataset, 3000))
        if args.save is not None:
            _check_save_target(args.save)
    except ValueError as exc:
        parser.error(str(exc))
    except OSError as exc:
        parser.error(f"--save: {exc}")
    try:
        return _train(config, epochs, args)
    except KeyboardInterrupt:  # a second Ctrl-C: stop at once, quietly
        print("\nStopped.", file=sys.stderr)
        return EXIT_INTERRUPTED


def _check_save_target(path: str) -> None:
    from engine.files.persistence import check_save_target

    if path.strip() == "":
        raise ValueError("--save needs a file name (it was empty).")
    check_save_target(path)


def _train(config: TrainingConfig, epochs: int, args: argparse.Namespace) -> int:
    use_threads_for(config)
    session = TrainingSession(config)
    report = _JsonReport() if args.json else _TableReport(epochs)
    start = time.perf_counter()
    summary: dict[str, object] = {"final": True}
    with _StopOnCtrlC(session) as ctrl_c:
        try:
            for snapshot in session.run(epochs):
                report.epoch(snapshot, time.perf_counter() - start)
        except TrainingDiverged as exc:
            print(str(exc), file=sys.stderr)
            summary.update(diverged=True, diverged_at_epoch=exc.last_finite_epoch + 1,
                           last_finite_epoch=_back_to_finite(session))
        except TrainingInterrupted:
            pass  # Ctrl-C in the middle of an epoch: that epoch was rolled back
    if ctrl_c.pressed:
        summary["interrupted"] = True
        print(f"Stopped by Ctrl-C after epoch {session.epoch}.", file=sys.stderr)
    summary.update(epochs=session.epoch, train_loss=session.latest.loss,
                   reconstruction=session.latest.reconstruction_loss, kl=session.latest.kl)
    if config.is_digits:
        from engine.digits.training import held_out_report

        summary.update(held_out_report(session))
    summary["seconds"] = round(time.perf_counter() - start, 3)
    code = EXIT_INTERRUPTED if ctrl_c.pressed else EXIT_DIVERGED if summary.get("diverged") else EXIT_DONE
    if args.save is not None:
        code = _save(session, args.save, summary) or code
    report.final(summary)
    return code


def _save(session: TrainingSession, path: str, summary: dict) -> int | None:
    """Save at the end; on failure (a full disk) say so in the summary and on stderr."""
    from engine.files.persistence import save_session

    try:
        summary["saved"] = str(save_session(session, path))
    except OSError as exc:
        summary["save_error"] = str(exc)
        print(f"Could not save: {exc}", file=sys.stderr)
        return EXIT_SAVE_FAILED
    return None


def _back_to_finite(session: TrainingSession) -> int:
    """The newest stored epoch whose shown numbers are all finite (just before a
    divergence σ can already be infinite); the session goes back to it."""
    from engine.files.session_file_checks import shown_numbers_finite

    if not shown_numbers_finite(session.latest):
        ruined = session.epoch
        finite = [c.snapshot.epoch for c in session.checkpoints if shown_numbers_finite(c.snapshot)]
        session.go_to_epoch(finite[-1] if finite else 0)
        print(f"Epoch {ruined} already gives infinite numbers (σ or a code); kept epoch {session.epoch}.",
              file=sys.stderr)
    return session.epoch


class _StopOnCtrlC:
    """The first Ctrl-C abandons the epoch under way (rolled back, so the session stays
    whole and can be saved); a second one interrupts at once."""

    def __init__(self, session: TrainingSession) -> None:
        self.session = session
        self.pressed = False
        self._previous = None

    def __enter__(self) -> _StopOnCtrlC:
        try:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread (a test calling main()): leave Ctrl-C alone
            self._previous = None
        return self

    def _handle(self, _signum, _frame) -> None:
        if self.pressed:
            raise KeyboardInterrupt
        self.pressed = True
        self.session.abort()

    def __exit__(self, *_exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


class _JsonReport:
    def epoch(self, s, seconds: float) -> None:
        row = {"epoch": s.epoch, "loss": s.loss, "reconstruction": s.reconstruction_loss,
               "kl": s.kl, "seconds": round(seconds, 4)}
        print(json.dumps(row), flush=True)

    def final(self, summary: dict) -> None:
        print(json.dumps(summary), flush=True)


class _TableReport:
    """A readable table (about 20 rows) and a progress bar on stderr."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs
        self.every = max(1, epochs // 20)
        self.last_bar = 0.0
        self.show_bar = sys.stderr.isatty()
        print(f"{'epoch':>8}  {'loss':>12}  {'reconstruction':>14}  {'kl':>10}  {'seconds':>8}")

    def epoch(self, s, seconds: float) -> None:
        if s.epoch % self.every == 0 or s.epoch == self.epochs:
            self._clear_bar()
            print(f"{s.epoch:>8}  {s.loss:>12.6f}  {s.reconstruction_loss:>14.6f}  {s.kl:>10.4f}  {seconds:>8.2f}")
        if self.show_bar and (seconds - self.last_bar > 0.1 or s.epoch == self.epochs):
            self.last_bar = seconds
            done = s.epoch / self.epochs
            bar = "#" * int(30 * done)
            print(f"\r[{bar:<30}] {s.epoch}/{self.epochs}", end="", file=sys.stderr, flush=True)

    def _clear_bar(self) -> None:
        if self.show_bar:
            print("\r" + " " * 50 + "\r", end="", file=sys.stderr)

    def final(self, summary: dict) -> None:
        self._clear_bar()
        print(f"done: {summary['epochs']} epochs in {summary['seconds']:.2f} s, "
              f"final loss {summary['train_loss']:.6f}")
        for key in ("test_loss", "test_psnr", "pca_psnr", "saved"):
            if key in summary:
                print(f"{key}: {summary[key]}")
