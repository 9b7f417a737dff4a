"""Train the digit models a lesson step shows, and write them to this folder.

Usage (run from the repository's root; about 3 minutes on a 2-core laptop)::

    python assets/pretrained/make_pretrained.py            # both models
    python assets/pretrained/make_pretrained.py vae        # one of them

Each model is trained with its case study's own settings (``engine.digits.pretrained.RECIPES``:
the config the study starts with, seed 0, the same ``TrainingSession`` epochs the app
runs, one torch thread), so the files come out the same on every run of this script on
the same torch version. The weights are stored as float16 (a few MB in all).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402 (after the path)

from engine.digits.pretrained import RECIPES, make_pretrained  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make_pretrained.py")
    parser.add_argument("models", nargs="*", help=f"any of {', '.join(sorted(RECIPES))} (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.models) - set(RECIPES))
    if unknown:
        parser.error(f"unknown model {', '.join(unknown)}: choose from {', '.join(sorted(RECIPES))}")
    torch.set_num_threads(1)
    for model in args.models or sorted(RECIPES):
        path = make_pretrained(model)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
