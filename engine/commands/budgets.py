"""The budgets every benchmark reports against, and one report format for all of them.

``python -m desktop_app --benchmark --json`` and ``python -m engine bench --json`` both
print ``{"schema": 1, "source": ..., "figures": [...], "machine": {...}, "details":
{...}}``: each figure is ``{"name", "title", "value", "unit", "budget", "comparison",
"met"}``, ``met`` being True, False, or None when the figure has no budget or was not
measured (its ``value`` is then None: JSON has no NaN). The README's budget table is
made from these files (``python -m engine.commands.budgets --markdown FILE...``), so a
figure in the README is one a command printed; ``--write-readme README.md`` puts the
table between the README's markers.

Torch-free and Qt-free: the window process reports through it too.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

SCHEMA = 1
AT_MOST, AT_LEAST = "<=", ">="


@dataclass(frozen=True)
class Budget:
    """A target: ``limit`` in ``unit``, met when the figure is ``comparison`` it."""

    limit: float
    comparison: str = AT_MOST

    def met(self, value: float | None) -> bool | None:
        """True or False; None when nothing usable was measured (a skipped or broken run)."""
        if value is None or not math.isfinite(value):
            return None
        if self.comparison == AT_MOST:
            return value <= self.limit
        if self.comparison == AT_LEAST:
            return value >= self.limit
        raise ValueError(f"unknown comparison {self.comparison!r}: use {AT_MOST!r} or {AT_LEAST!r}")


#: The project's budgets (issue 15 and DESIGN.md's "Performance budgets"), by figure name.
BUDGETS: dict[str, Budget] = {
    "first_paint_ratio": Budget(1.3),
    "lesson_step_entry_max_s": Budget(1.0),
    "engine_vs_reference_seconds_per_epoch_ratio": Budget(1.05),
    "memory_mb_per_million_epochs": Budget(50.0),
    "digit_vae_held_out_loss_in_10_s": Budget(165.0),
    "digit_denoiser_held_out_psnr_in_15_s": Budget(19.5, AT_LEAST),
}
#: Families of figures that share a budget: a name that starts with the key takes it.
BUDGET_PREFIXES: dict[str, Budget] = {
    "training_speed_ratio_": Budget(0.9, AT_LEAST),
    "digit_speed_ratio_": Budget(0.9, AT_LEAST),
    "digit_threads_ratio_": Budget(1.0, AT_LEAST),
    "latent_click_p95_ms_": Budget(8.0),
    "latent_drag_p95_ms_": Budget(8.0),
    "lag_p95_ms_": Budget(16.0),
    "lag_max_ms_": Budget(50.0),
}


def budget_for(name: str) -> Budget | None:
    """The budget a figure of this name is held to, or None (a figure shown for context)."""
    if name in BUDGETS:
        return BUDGETS[name]
    for prefix, budget in BUDGET_PREFIXES.items():
        if name.startswith(prefix):
            return budget
    return None


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    value: float | None
    unit: str
    budget: float | None
    comparison: str | None
    met: bool | None


def figure(name: str, title: str, value: float | None, unit: str) -> Figure:
    """A measured figure with its budget (looked up by name) and whether it is met."""
    number = None if value is None or not math.isfinite(float(value)) else float(value)
    budget = budget_for(name)
    if budget is None:
        return Figure(name, title, number, unit, None, None, None)
    return Figure(name, title, number, unit, budget.limit, budget.comparison, budget.met(number))


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is not positive."""
    if numerator is None or denominator is None or not denominator > 0:
        return None
    value = numerator / denominator
    return value if math.isfinite(value) else None


def load_average() -> float | None:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None


def machine(load_at_start: float | None, **extra: object) -> dict[str, object]:
    """What the figures depend on: cores, the load average before and after, the platform."""
    return {"command": " ".join(["python", *sys.orig_argv[1:]]) if hasattr(sys, "orig_argv") else None,
            "cpu_count": os.cpu_count(), "load_average_1min_start": load_at_start,
            "load_average_1min_end": load_average(), "platform": platform.platform(),
            "python": platform.python_version(),
            "measured_at_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
            **extra}


def report(source: str, figures: list[Figure], machine_info: dict, details: dict | None = None) -> dict:
    """The one JSON object a benchmark prints (see the module's docstring)."""
    return {"schema": SCHEMA, "source": source, "figures": [asdict(f) for f in figures],
            "machine": machine_info, "details": details or {}}


def verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "-"}[met]


def _number(value: float | None, unit: str, budget: float | None = None) -> str:
    """Three significant digits (whole numbers from 100), more where fewer would write a
    figure on the other side of its ``budget`` as the budget itself (19.49 dB missing
    19.5 is "19.49 dB", not "19.5 dB")."""
    if value is None:
        return "not measured"
    text = f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
    digits = 3
    while budget is not None and value != budget and float(text.replace(",", "")) == budget and digits < 9:
        digits += 1
        text = f"{value:.{digits}g}"
    return f"{text} {unit}".rstrip()


def _measured(f: dict) -> str:
    return _number(f["value"], f["unit"], f["budget"])


def _target(f: dict) -> str:
    return "" if f["budget"] is None else f"{f['comparison']} {_number(f['budget'], f['unit'])}"


def text_table(result: dict) -> str:
    """The report for a terminal: one row per figure, then the machine."""
    figures = result["figures"]
    width = max([len(f["name"]) for f in figures] + [6])
    rows = [f"{'figure':{width}s}  {'measured':>16s}  {'budget':>14s}  verdict"]
    rows += [f"{f['name']:{width}s}  {_measured(f):>16s}  {_target(f):>14s}  {verdict(f['met'])}"
             for f in figures]
    m = result["machine"]
    rows.append(f"{m.get('cpu_count')} cores, load average {m.get('load_average_1min_start')} at start, "
                f"{m.get('load_average_1min_end')} at end; {m.get('measured_at_utc')} UTC")
    return "\n".join(rows)


def markdown_table(results: list[dict]) -> str:
    """The README's budget table: the budgeted figures of every report, then a line per
    report saying where and under what load it was measured."""
    rows = ["| figure | budget | measured | status |", "| --- | --- | --- | --- |"]
    notes = []
    for result in results:
        for f in result["figures"]:
            if f["budget"] is not None:
                status = verdict(f["met"]).replace("MISSED", "**missed**")
                rows.append(f"| {f['title']} (`{f['name']}`) | {_target(f)} | {_measured(f)} "
                            f"| {status} |")
        m = result["machine"]
        notes.append(f"`{m.get('command') or result['source']}`: {m.get('measured_at_utc')} UTC, "
                     f"{m.get('cpu_count')} cores, "
                     f"load average {m.get('load_average_1min_start')} at start and "
                     f"{m.get('load_average_1min_end')} at end.")
    return "\n".join(rows + [""] + [f"- {note}" for note in notes])


BEGIN, END = "<!-- budget table: begin -->", "<!-- budget table: end -->"


def replace_between_markers(text: str, table: str) -> str:
    """``text`` (the README) with what lies between the two markers replaced by ``table``."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN} and {END} are not there, in that order")
    return f"{text[: start + len(BEGIN)]}\n{table}\n{text[end:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.commands.budgets",
                                     description="Print benchmark reports (--json files) as a table.")
    parser.add_argument("reports", nargs="+", type=Path, help="files written by a benchmark's --json")
    parser.add_argument("--markdown", action="store_true", help="the README's budget table")
    parser.add_argument("--write-readme", type=Path, metavar="README",
                        help="put that table between the budget-table markers of this file")
    args = parser.parse_args(argv)
    results = []
    for path in args.reports:
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            parser.error(f"{path}: {exc}")
        if not isinstance(result, dict) or result.get("schema") != SCHEMA:
            parser.error(f"{path}: not a benchmark report (schema {SCHEMA}).")
        results.append(result)
    if args.write_readme:
        try:
            text = replace_between_markers(args.write_readme.read_text(encoding="utf-8"), markdown_table(results))
        except (OSError, ValueError) as exc:
            parser.error(f"{args.write_readme}: {exc}")
        args.write_readme.write_text(text, encoding="utf-8")
        return 0
    print(markdown_table(results) if args.markdown else "\n\n".join(text_table(r) for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
