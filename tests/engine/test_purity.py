"""The engine stays framework-free: no Flask, no SQLAlchemy, nothing else of matchmaking.

Run with ``pytest tests/engine --confcutdir=tests/engine``. Two checks: a
fresh interpreter that imports every module of the engine (and runs the
command's ``--help``) has loaded none of the forbidden modules, and no file
under ``matchmaking/engine`` names one in an import statement.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "matchmaking" / "engine"
MODULES = sorted(
    "matchmaking.engine" + ("" if p.stem == "__init__" else f".{p.stem}")
    for p in ENGINE.glob("*.py")
    if p.stem != "__main__"
)


def forbidden(name: str) -> bool:
    """A module the engine must not load."""
    root = name.split(".")[0]
    if root in {"flask", "sqlalchemy", "flask_sqlalchemy"} or root.startswith("flask_"):
        return True
    return name.startswith("matchmaking.") and not (
        name == "matchmaking.engine" or name.startswith("matchmaking.engine.")
    )


def test_the_rule_itself() -> None:
    assert forbidden("flask")
    assert forbidden("flask_login.utils")
    assert forbidden("sqlalchemy.orm")
    assert forbidden("matchmaking.extensions")
    assert forbidden("matchmaking.engineering")
    assert not forbidden("matchmaking")
    assert not forbidden("matchmaking.engine.rank")
    assert not forbidden("numpy")
    assert "matchmaking.engine.rank" in MODULES
    assert "matchmaking.engine.cli" in MODULES


def loaded_after(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return result.stdout.split()


def test_importing_every_engine_module_loads_no_web_stack() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = loaded_after(code)
    assert set(MODULES) <= set(loaded)
    assert [name for name in loaded if forbidden(name)] == []


def test_running_the_command_loads_no_web_stack() -> None:
    code = (
        "import contextlib, io, sys\n"
        "from matchmaking.engine import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        cli.main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    assert [name for name in loaded_after(code) if forbidden(name)] == []


def imported_names(path: Path) -> list[str]:
    """Every module an engine file imports, relative imports made absolute."""
    package = ["matchmaking", "engine"]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            names.append(module)
            names += [f"{module}.{alias.name}" for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.append(node.args[0].value)
    return names


@pytest.mark.parametrize("path", sorted(ENGINE.rglob("*.py")), ids=lambda p: p.name)
def test_no_engine_file_imports_the_web_stack(path: Path) -> None:
    assert [name for name in imported_names(path) if forbidden(name)] == []


def test_the_scan_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import flask\n"
        "from sqlalchemy import select\n"
        "from .. import extensions\n"
        "from ..models import Pitch\n"
        "import importlib\n"
        "importlib.import_module('flask_login')\n"
        "from . import rank\n"
    )
    found = [name for name in imported_names(sample) if forbidden(name)]
    assert found == [
        "flask",
        "sqlalchemy",
        "sqlalchemy.select",
        "matchmaking.extensions",
        "matchmaking.models",
        "matchmaking.models.Pitch",
        "flask_login",
    ]
