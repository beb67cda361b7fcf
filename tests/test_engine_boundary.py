"""The web calls the engine through its public API only: never the command
line or the JSON layer, and with its own typed ids (no "inv-12" prefixes)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "matchmaking"
FORBIDDEN = ("matchmaking.engine.cli", "matchmaking.engine.io")


def engine_imports(source: str) -> set[str]:
    """Every ``matchmaking.engine...`` module or name imported in ``source``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {name for name in found if name.startswith("matchmaking.engine")}


def web_modules() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if ROOT / "engine" not in p.parents]


def test_the_scanner_sees_the_imports_it_must_refuse() -> None:
    for line in (
        "from matchmaking.engine.cli import run_lineup",
        "from matchmaking.engine import cli",
        "import matchmaking.engine.io",
        "def f():\n    from matchmaking.engine.io import parse_lineup",
    ):
        assert any(m.startswith(FORBIDDEN) for m in engine_imports(line)), line
    assert not any(
        m.startswith(FORBIDDEN) for m in engine_imports("from matchmaking.engine import rank")
    )


def test_the_web_never_imports_the_engines_command_line_or_json_layer() -> None:
    assert len(web_modules()) > 20
    offenders = {
        str(path.relative_to(ROOT.parent)): sorted(
            m for m in engine_imports(path.read_text(encoding="utf-8")) if m.startswith(FORBIDDEN)
        )
        for path in web_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_web_builds_no_engine_id_prefixes() -> None:
    for path in web_modules():
        text = path.read_text(encoding="utf-8")
        for prefix in ('"inv-', '"pitch-', '"p-', "INVESTOR_PREFIX", "COMPANY_PREFIX"):
            assert prefix not in text, (path, prefix)
