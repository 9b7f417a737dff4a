"""The benchmarks' report: budgets, met or missed, the JSON keys, the README table.
Made-up measurements only: timings live in the benchmarks, not in tests."""

import json
import math

import pytest

from engine.commands import budgets
from engine.commands.benchmark import engine_figures
from engine.commands.budgets import AT_LEAST, AT_MOST, Budget, figure, markdown_table, report, text_table

FIGURE_KEYS = {"name", "title", "value", "unit", "budget", "comparison", "met"}


@pytest.mark.parametrize(("limit", "comparison", "value", "met"), [
    (16.0, AT_MOST, 15.99, True), (16.0, AT_MOST, 16.0, True), (16.0, AT_MOST, 16.01, False),
    (0.9, AT_LEAST, 0.9, True), (0.9, AT_LEAST, 0.95, True), (0.9, AT_LEAST, 0.89, False),
    (1.3, AT_MOST, None, None), (1.3, AT_MOST, math.nan, None), (0.9, AT_LEAST, math.inf, None),
])
def test_a_budget_is_met_on_its_side_of_the_limit_and_undecided_without_a_number(limit, comparison, value, met):
    assert Budget(limit, comparison).met(value) is met


@pytest.mark.parametrize(("name", "limit", "comparison"), [
    ("first_paint_ratio", 1.3, AT_MOST), ("training_speed_ratio_vae", 0.9, AT_LEAST),
    ("digit_speed_ratio_dae", 0.9, AT_LEAST), ("latent_click_p95_ms_digit_vae", 8.0, AT_MOST),
    ("latent_drag_p95_ms_2x2", 8.0, AT_MOST), ("lag_p95_ms_generation_study", 16.0, AT_MOST),
    ("lag_max_ms_denoising_study", 50.0, AT_MOST), ("engine_vs_reference_seconds_per_epoch_ratio", 1.05, AT_MOST),
])
def test_each_figure_takes_the_budget_of_the_issue_by_its_name(name, limit, comparison):
    f = figure(name, "t", 1.0, "x")
    assert (f.budget, f.comparison) == (limit, comparison)


def test_a_figure_without_a_budget_or_a_number_has_no_verdict():
    assert figure("first_paint_app_s", "t", 2.0, "s").met is None
    missing = figure("lag_p95_ms_workbench_ae_full_speed", "t", math.nan, "ms")
    assert missing.value is None and missing.budget == 16.0 and missing.met is None
    assert figure("lag_max_ms_x", "t", 50.0, "ms").met and not figure("lag_max_ms_x", "t", 50.5, "ms").met


def test_the_report_is_strict_json_with_stable_keys():
    figures = [figure("first_paint_ratio", "first paint", 1.2, "x"), figure("lag_p95_ms_a", "lag", None, "ms")]
    result = report("python -m somewhere", figures, budgets.machine(0.5, extra="yes"), {"raw": [1, 2]})
    text = json.dumps(result, allow_nan=False)  # no NaN or inf anywhere
    again = json.loads(text)
    assert set(again) == {"schema", "source", "figures", "machine", "details"} and again["schema"] == 1
    assert all(set(f) == FIGURE_KEYS for f in again["figures"])
    assert again["figures"][0]["met"] is True and again["figures"][1]["met"] is None
    assert {"cpu_count", "load_average_1min_start", "load_average_1min_end", "platform", "python",
            "measured_at_utc", "extra"} <= set(again["machine"])
    assert again["details"] == {"raw": [1, 2]}


def test_the_tables_say_met_and_missed_for_each_budgeted_figure():
    figures = [figure("first_paint_ratio", "first paint, app / bare", 1.5, "x"),
               figure("training_speed_ratio_ae", "2x2 autoencoder", 0.95, "x"),
               figure("first_paint_app_s", "app alone", 1.9, "s")]
    result = report("python -m x", figures, budgets.machine(1.0))
    table = text_table(result)
    assert "first_paint_ratio" in table and "MISSED" in table and "met" in table
    markdown = markdown_table([result])
    rows = [row for row in markdown.splitlines() if row.startswith("| ") and "`" in row]
    assert len(rows) == 2  # the figure without a budget is not a budget row
    assert "**missed**" in rows[0] and "<= 1.3 x" in rows[0] and rows[1].endswith("| met |")
    assert "load average 1.0 at start" in markdown


def test_the_markdown_command_reads_reports_and_refuses_other_files(tmp_path, capsys):
    good = tmp_path / "gui.json"
    good.write_text(json.dumps(report("python -m x", [figure("lag_p95_ms_a", "lag", 3.0, "ms")], budgets.machine(0.1))))
    assert budgets.main(["--markdown", str(good)]) == 0
    assert "| lag (`lag_p95_ms_a`) | <= 16 ms | 3 ms | met |" in capsys.readouterr().out
    other = tmp_path / "other.json"
    other.write_text("[1, 2]")
    with pytest.raises(SystemExit) as refused:
        budgets.main([str(other)])
    assert refused.value.code == 2 and "not a benchmark report" in capsys.readouterr().err


def test_the_engine_report_holds_the_engine_against_the_plain_pytorch_loop():
    comparison = {"budget_seconds": 10.0, "seconds_per_epoch_ratio": 1.04,
                  "engine": {"seconds_per_epoch": 1.04, "test_loss": 170.2},
                  "reference": {"seconds_per_epoch": 1.0, "test_loss": 171.0}}
    figures = {f.name: f for f in engine_figures({"ae_epochs_per_second": 900.0, "digit_vae_reference": comparison,
                                                  "long_run": {"extrapolated_mb_per_million_epochs": 61.0}})}
    assert figures["engine_vs_reference_seconds_per_epoch_ratio"].met is True
    assert figures["memory_mb_per_million_epochs"].met is False
    assert figures["engine_held_out_loss_same_time"].value == 170.2
    assert figures["reference_held_out_loss_same_time"].value == 171.0
    assert figures["engine_eps_ae"].met is None
    slower = engine_figures({"digit_vae_reference": {**comparison, "seconds_per_epoch_ratio": 1.06}})
    assert slower[0].name == "engine_vs_reference_seconds_per_epoch_ratio" and slower[0].met is False


def test_the_readme_table_is_replaced_between_its_markers_only(tmp_path, capsys):
    report_file = tmp_path / "engine.json"
    report_file.write_text(json.dumps(report("python -m engine bench",
                                             [figure("first_paint_ratio", "paint", 2.0, "x")], budgets.machine(3.0))))
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\nbefore\n{budgets.BEGIN}\n| old | table |\n{budgets.END}\nafter\n")
    assert budgets.main([str(report_file), "--write-readme", str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("# Title\nbefore\n") and text.endswith(f"{budgets.END}\nafter\n")
    assert "| old | table |" not in text and "| paint (`first_paint_ratio`) | <= 1.3 x | 2 x | **missed** |" in text
    readme.write_text("no markers here")
    with pytest.raises(SystemExit):
        budgets.main([str(report_file), "--write-readme", str(readme)])
    assert "markers" in capsys.readouterr().err and readme.read_text() == "no markers here"


@pytest.mark.parametrize("name, value, unit, shown", [
    ("digit_denoiser_held_out_psnr_in_15_s", 19.49, "dB", "19.49 dB"),  # rounds to the budget it misses
    ("training_speed_ratio_ae", 0.8996, "x", "0.8996 x"),
    ("training_speed_ratio_ae", 0.899, "x", "0.899 x"),
    ("digit_vae_held_out_loss_in_10_s", 165.004, "per image", "165.004 per image"),
    ("digit_vae_held_out_loss_in_10_s", 159.829, "per image", "160 per image"),  # clear of 165: as before
    ("first_paint_ratio", 1.3, "x", "1.3 x"),  # on the budget itself: met, written as it is
])
def test_a_figure_is_never_written_as_its_budget_when_it_falls_on_the_other_side(name, value, unit, shown):
    result = report("python -m x", [figure(name, "a figure", value, unit)], budgets.machine(1.0))
    row = next(row for row in markdown_table([result]).splitlines() if f"`{name}`" in row)
    assert f"| {shown} |" in row
    assert shown in text_table(result)
