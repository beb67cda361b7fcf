"""Benchmarks of the matching engine (``make bench``).

Prints the machine (CPU model, cores, load) and then one table: the rows of
``bench/engine_rank.py``, ``bench/engine_lineup.py`` and
``bench/engine_schedule.py``, each of which exposes ``run() -> list[dict]``
with the keys case, size, time, result and aim. Instances are generated with
fixed seeds, so two runs measure the same work.
"""

from __future__ import annotations

import datetime
import importlib
import platform
import sys
import time
from pathlib import Path

from machine import cores, cpu_model, load

HERE = Path(__file__).resolve().parent
COLUMNS = ("case", "size", "time", "result", "aim")
MODULES = ("engine_rank", "engine_lineup", "engine_schedule")


def table(rows: list[dict[str, str]]) -> str:
    """A Markdown table of the rows, so it can be pasted into docs/benchmarks.md."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = [row.get(c, "").replace("|", "/") for c in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    sys.path.insert(0, str(HERE))
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"CPU: {cpu_model()}; cores: {cores()}; load average at start: {load()}")
    print(f"Python {platform.python_version()} on {platform.system()} {platform.release()}")
    print()
    rows: list[dict[str, str]] = []
    missing: list[str] = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            missing.append(f"bench/{name}.py is missing: its rows are not measured")
            continue
        start = time.perf_counter()
        rows += module.run()
        print(f"{name}: done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    print(table(rows))
    for line in missing:
        print(line)
    print(f"\nload average at the end: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
