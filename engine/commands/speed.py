"""The headless yardstick for training inside the app, in a process of its own.

    python -m engine.commands.speed [--models ae,dae,vae] [--epochs 2000]
                                    [--digits dae,vae] [--digit-epochs 3] [--json]
    python -m engine.commands.speed --serve

The 2x2 models' epochs a second and the digit models' seconds per epoch, trained by
the engine's one loop with the thread counts ``python -m engine train`` uses
(``engine.core.runtime.threads_for``). ``python -m desktop_app --benchmark`` runs this
as a fresh process beside the window, so the window process never imports torch for
it. First-use costs (the optimiser's first use imports torch._dynamo, about 2 s) are
paid before the clock starts, as the app pays them before training.

``--serve`` keeps the process: each line ``MODEL EPOCHS`` read from standard input
trains that many more epochs of one continuing 2x2 session of the model and answers a
line of JSON, ``{"epochs_per_second": ...}``; a line ``digits:MODEL EPOCHS`` does the
same for the case study's digit model, one untimed epoch then ``EPOCHS`` timed ones (as
the app's round is timed from its first epoch's arrival), and answers
``{"seconds_per_epoch": ..., "threads": ...}``. The benchmark alternates these with the
app's own rounds, so the machine's drift (its speed moves by a third within a minute
here) falls on both sides of each pair alike.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from engine.core.config import MODEL_KINDS, TrainingConfig

if TYPE_CHECKING:
    from engine.core.session import TrainingSession

DIGITS = "digits:"  # a request's model prefix: the case study's digit model of that kind


def two_by_two_epochs_per_second(model: str, epochs: int) -> float:
    """Epochs a second of a fresh 2x2 session of ``model`` over ``epochs`` epochs."""
    from engine.commands.benchmark import epochs_per_second

    return epochs_per_second(TrainingConfig(model=model), epochs)


def digit_seconds_per_epoch(model: str, epochs: int) -> dict:
    """A case study's model as the app starts it: the first epoch untimed (first-use
    costs), then the mean of ``epochs - 1`` epochs, each with its snapshot as in the app."""
    return _digit_round(_new_session(DIGITS + model), max(1, epochs - 1))


def _digit_round(session: TrainingSession, timed: int) -> dict:
    """One untimed epoch, then the mean of ``timed`` epochs (each with its snapshot)."""
    from engine.core.runtime import threads_for

    session.step()
    start = time.perf_counter()
    for _ in range(timed):
        session.step()
    return {"seconds_per_epoch": round((time.perf_counter() - start) / timed, 3), "epochs_timed": timed,
            "threads": threads_for(session.config)}


def serve(requests: Iterable[str], answer: Callable[[str], None]) -> None:
    """``--serve``: each request line ``MODEL EPOCHS`` (or ``digits:MODEL EPOCHS``)
    trains more epochs of that model's one session (made, and its first-use costs paid,
    at its first request) and is answered with a JSON line; a bad line gets an error."""
    sessions: dict[str, TrainingSession] = {}
    for line in requests:
        try:
            model, count = _request(line)
        except ValueError:
            expected = f"expected 'MODEL EPOCHS' or '{DIGITS}MODEL EPOCHS' (a model of {', '.join(MODEL_KINDS)})"
            answer(json.dumps({"error": f"{expected}, got {line.strip()!r}"}))
            continue
        if model not in sessions:
            sessions[model] = _warm_session(model)
        session = sessions[model]
        if session.config.is_digits:
            from engine.core.runtime import use_threads_for

            use_threads_for(session.config)  # as the app's host sets them before each run
            answer(json.dumps(_digit_round(session, count)))
            continue
        start = time.perf_counter()
        for _ in session.run(count):
            pass
        answer(json.dumps({"epochs_per_second": round(count / (time.perf_counter() - start), 1)}))


def _request(line: str) -> tuple[str, int]:
    """A request line's model (``digits:`` kept) and epoch count; ValueError if malformed."""
    model, epochs = line.split()
    count = int(epochs)
    if model.removeprefix(DIGITS) not in MODEL_KINDS or count < 1:
        raise ValueError(line)
    return model, count


def _warm_session(model: str) -> TrainingSession:
    """``_new_session(model)`` with one epoch trained (first-use costs paid)."""
    session = _new_session(model)
    session.step()
    return session


def _new_session(model: str) -> TrainingSession:
    """A fresh session of ``model`` (2x2, or ``digits:`` and the case study's), on the
    threads ``python -m engine train`` gives it."""
    from engine.core.runtime import use_threads_for
    from engine.core.session import TrainingSession

    if model.startswith(DIGITS):
        from engine.digits.training import case_study_config

        config = case_study_config(model.removeprefix(DIGITS))
    else:
        config = TrainingConfig(model=model)
    use_threads_for(config)
    return TrainingSession(config)


def _names(text: str) -> list[str]:
    names = [n for n in text.split(",") if n]
    unknown = [n for n in names if n not in MODEL_KINDS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown model {unknown[0]!r}: choose from {', '.join(MODEL_KINDS)}")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.commands.speed", description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=_names, default=list(MODEL_KINDS), help="2x2 models, comma-separated")
    parser.add_argument("--epochs", type=int, default=2000, help="epochs of each 2x2 model")
    parser.add_argument("--digits", type=_names, default=[], help="digit models, comma-separated")
    parser.add_argument("--digit-epochs", type=int, default=3, help="epochs of each digit model (first untimed)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", action="store_true", help="answer 'MODEL EPOCHS' lines from standard input")
    args = parser.parse_args(argv)
    if args.serve:
        serve(sys.stdin, lambda line: print(line, flush=True))
        return 0
    if args.epochs < 1 or args.digit_epochs < 2:
        parser.error("--epochs must be at least 1 and --digit-epochs at least 2.")
    result = {"epochs_per_second": {m: round(two_by_two_epochs_per_second(m, args.epochs), 1) for m in args.models},
              "digits": {m: digit_seconds_per_epoch(m, args.digit_epochs) for m in args.digits}}
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
