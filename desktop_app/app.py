"""Start the application: ``autoencoder-lab`` or ``python -m desktop_app``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from desktop_app.export.cli import add_export_arguments, check_export_arguments
from desktop_app.frames.gc_policy import freeze_startup_objects

LOG = logging.getLogger("autoencoder_lab")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m desktop_app", description="Autoencoder Lab")
    parser.add_argument("--screenshot", metavar="PATH", help="save a PNG of the window and exit")
    parser.add_argument("--train-epochs", type=int, default=0, metavar="N",
                        help="with --screenshot: train N epochs of the default model first")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the first session")
    parser.add_argument("--tab", type=int, default=0, help="with --screenshot: which tab to show (0-2)")
    parser.add_argument("--scale", type=float, default=None,
                        help="the window's scale for this run, 1.0 to 2.5 (presentation mode keeps its own)")
    parser.add_argument("--dark", action="store_true", help="dark theme for this run")
    parser.add_argument("--benchmark", action="store_true", help="measure the GUI budgets and exit")
    parser.add_argument("--json", action="store_true", help="with --benchmark: print the report as JSON")
    parser.add_argument("--quick", action="store_true", help="with --benchmark: fewer repetitions of each figure")
    parser.add_argument("--open", metavar="SESSION", help="start on a saved session file (.aelab)")
    parser.add_argument("--exit-after-paint", action="store_true", help=argparse.SUPPRESS)
    add_export_arguments(parser)  # --export-animation and its options (desktop_app/export/cli.py)
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.train_epochs < 0 or args.train_epochs > 1_000_000:
        parser.error("--train-epochs must be a whole number from 0 to 1,000,000.")
    if not 0 <= args.seed <= 2**31 - 1:
        parser.error("--seed must be a whole number from 0 to 2,147,483,647.")
    if not 0 <= args.tab <= 2:
        parser.error("--tab must be 0, 1 or 2.")
    if args.scale is not None and not 1.0 <= args.scale <= 2.5:
        parser.error("--scale must be between 1.0 and 2.5.")
    if args.open is not None and not Path(args.open).is_file():
        parser.error(f"--open: there is no session file at {args.open}.")
    if args.screenshot:
        folder = Path(args.screenshot).resolve().parent
        if not folder.is_dir():
            parser.error(f"--screenshot: the folder {folder} does not exist.")
    if (args.json or args.quick) and not args.benchmark:
        parser.error("--json and --quick go with --benchmark.")
    check_export_arguments(parser, args)
    return args


def install_error_dialog() -> None:
    """An unexpected error in a slot is logged to a file and shown once; the app stays up."""
    from desktop_app.error_log import install_error_reporting

    install_error_reporting()


def _headless_if_no_screen() -> None:
    """Scripted runs work without a screen: Qt draws offscreen when there is no display."""
    import os

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.screenshot or args.benchmark or args.exit_after_paint or args.export_animation:
        _headless_if_no_screen()
    from desktop_app.platform_check import check_system_libraries

    missing = check_system_libraries()  # Qt would abort later, on stderr only
    if missing is not None:
        return missing
    from PySide6.QtWidgets import QApplication

    from desktop_app.training_process import training_host

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Autoencoder Lab")
    app.aboutToQuit.connect(lambda: training_host().shutdown(timeout=1.0))  # the last window closed
    if args.export_animation:
        from desktop_app.export.cli import export_animation_from_args

        return export_animation_from_args(args)
    from desktop_app.preferences import startup_theme

    theme = startup_theme(args.scale, args.dark)
    if args.benchmark or args.screenshot:
        return _run_scripted(args, app, theme)
    install_error_dialog()
    return _run_for_a_learner(args, app, theme)


def _run_scripted(args: argparse.Namespace, app, theme) -> int:
    """The benchmark and the screenshot: a window that is ready when built (it waits)."""
    from desktop_app.main_window import MainWindow

    window = MainWindow(theme, seed=args.seed)
    freeze_startup_objects()
    if args.benchmark:
        from desktop_app.benchmark import run_gui_benchmark

        return run_gui_benchmark(window, app, as_json=args.json, quick=args.quick)
    from desktop_app.screenshot import take_screenshot

    return take_screenshot(window, app, args.screenshot, args.train_epochs, args.tab)


def _run_for_a_learner(args: argparse.Namespace, app, theme) -> int:
    """Paint at once (``StartingWindow``), build the main window while the training
    engine starts, and put it in the starting window's place with the first session."""
    from desktop_app.startup_window import start_main_window
    from desktop_app.training_process import training_host
    from desktop_app.training_process.lifetime import end_host_with

    outcome: dict[str, object] = {}

    def build(first) -> None:
        from desktop_app.main_window import MainWindow
        from desktop_app.startup_session import start_session

        window = outcome["window"] = MainWindow(theme, seed=args.seed, session=first)
        failure = start_session(window, args.open, offer_autosave=not args.exit_after_paint)
        if failure is not None:
            print(f"python -m desktop_app: error: --open: {failure}", file=sys.stderr)
            app.exit(2)
            return
        end_host_with(window, training_host())
        window.show()
        shell.close()
        if args.open is None and not args.exit_after_paint:
            from desktop_app.lessons.install import welcome_newcomer

            welcome_newcomer(window)  # a first start opens on the lesson path's first step
        freeze_startup_objects()

    def failed(message: str) -> None:
        print(f"python -m desktop_app: the training engine did not start: {message}", file=sys.stderr)
        app.exit(1)

    def load_main_window_modules() -> None:  # while the engine imports torch
        import desktop_app.main_window  # noqa: F401

    shell = start_main_window(theme, args.seed, build, failed, meanwhile=load_main_window_modules)
    if args.exit_after_paint:
        _exit_after_first_paint(shell)
    return app.exec()


def _exit_after_first_paint(window) -> None:
    """For the first-paint benchmark: say "painted" once the window has painted, then quit
    without asking about unsaved changes (a case study built after the first paint
    counts as one, and the question would wait forever for an answer)."""
    from desktop_app.first_paint import quit_after_first_paint

    if hasattr(window, "session_files"):
        window.session_files.ask_on_close = False
    window._paint_watcher = quit_after_first_paint(window, window)
