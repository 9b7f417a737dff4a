"""The engine never imports Qt: checked on the source and on a real import. No Qt needed."""

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
FORBIDDEN = ("PySide6", "PySide2", "PyQt5", "PyQt6", "pyqtgraph", "qtpy", "shiboken6")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def _module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_engine_source_file_imports_qt():
    offenders = {
        str(path.relative_to(ENGINE)): sorted(_imported_modules(path) & set(FORBIDDEN))
        for path in ENGINE.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_engine_module_loads_no_qt():
    modules = sorted(_module_name(path) for path in ENGINE.rglob("*.py") if path.stem != "__main__")
    assert "engine.core.session" in modules and "engine.digits" in modules  # subpackages are walked
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ENGINE.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
