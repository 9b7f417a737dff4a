"""``python -m desktop_app --export-animation OUT …``: train offscreen, write the animation.

For lecturers preparing slides in batch. The arguments are added to the app's parser
here and checked here (bad ones: exit code 2 and a message, as argparse does); the
run trains the engine's own session in the training host (this process draws the frames
offscreen with Qt, so it never imports torch, as the window does not) and writes with
the same offscreen frames and writers as File > Export animation.
"""

from __future__ import annotations

import argparse
import sys

from desktop_app.export.animation_plan import DEFAULT_FRAMES, MAX_FPS, check_look, parse_size, parse_views

DEFAULT_TRAIN_EPOCHS = 300
_DEFAULTS = {"model": "ae", "views": "diagram,loss", "fps": 20.0, "size": "1280x720", "frames": DEFAULT_FRAMES}


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("training animation, for scripts")
    group.add_argument("--export-animation", metavar="OUT",
                       help="train offscreen, write OUT.gif, OUT.mp4 or (no suffix) a folder of PNG frames, exit")
    group.add_argument("--model", default=_DEFAULTS["model"], help="with --export-animation: ae, dae or vae")
    group.add_argument("--views", default=_DEFAULTS["views"],
                       help="with --export-animation: any of diagram,latent,loss,reconstruction,workbench")
    group.add_argument("--fps", type=float, default=_DEFAULTS["fps"], help=f"frames per second, 1 to {MAX_FPS}")
    group.add_argument("--size", default=_DEFAULTS["size"], help="frame size WIDTHxHEIGHT")
    group.add_argument("--frames", type=int, default=_DEFAULTS["frames"],
                       help="at most this many frames (the stored epochs are thinned evenly)")


def check_export_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Exit 2 with a message on a bad value; fill in the parsed forms the run uses."""
    if args.export_animation is None:
        stray = [f"--{name}" for name, default in _DEFAULTS.items() if getattr(args, name) != default]
        if stray:
            parser.error(f"{', '.join(stray)} only go with --export-animation.")
        return
    if args.screenshot or args.benchmark:
        parser.error("--export-animation cannot be combined with --screenshot or --benchmark.")
    if args.model not in ("ae", "dae", "vae"):
        parser.error("--model must be ae, dae or vae.")
    try:
        size = parse_size(args.size)
        views = parse_views(args.views)
        check_look(args.export_animation, views, size, args.fps, args.frames)
    except ValueError as exc:
        parser.error(str(exc))
    args.animation_size, args.animation_views = size, views
    args.animation_epochs = args.train_epochs or DEFAULT_TRAIN_EPOCHS


def export_animation_from_args(args: argparse.Namespace) -> int:
    """Train ``args.animation_epochs`` epochs with the engine's session (in the training
    host), then write the frames."""
    from desktop_app.export.animation_job import AnimationJob
    from desktop_app.export.animation_plan import check_settings
    from desktop_app.export.frames import StoredRun
    from desktop_app.theme import Theme
    from desktop_app.training_process import training_host
    from engine.core.config import TrainingConfig

    record, diverged = training_host().call("trained_record", TrainingConfig(model=args.model, seed=args.seed),
                                            args.animation_epochs, timeout=3600)
    if diverged is not None:
        print(f"{diverged} The animation stops there.", file=sys.stderr)
    run = StoredRun.of(record)
    settings = check_settings(args.export_animation, args.animation_views, 0, record.epoch, args.animation_size,
                              args.fps, run.epochs, args.frames)
    job = AnimationJob(settings, run, Theme())
    if job.run_to_end() != "finished":
        print(job.error, file=sys.stderr)
        return 1
    print(f"{settings.path}: {job.total} frames, epochs 0 to {record.epoch}")
    return 0
