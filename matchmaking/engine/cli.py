"""The engine's command-line face: ``python -m matchmaking.engine VERB [INPUT] [-o OUTPUT]``.

Reads one JSON object (a file, or standard input), runs ``rank``,
``lineup`` or ``schedule`` and writes one JSON object (a file, or standard
output). Bad input of any kind exits with status 2 and one line
``error: <message>`` on standard error; an output file is written to a
temporary file beside it and renamed into place, so it is either complete or
untouched. A fault in the engine itself exits with status 1, also with one
line and no traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from matchmaking.engine.errors import EngineInputError
from matchmaking.engine.io import (
    lineup_to_json,
    load_json,
    parse_lineup,
    parse_rank,
    parse_schedule,
    rankings_to_json,
    render,
    schedule_to_json,
)

__all__ = ["main", "run_lineup", "run_rank", "run_schedule"]

#: The largest ``--time-limit`` accepted, in seconds (an hour): a larger one is
#: taken for a slip of the finger (``1e308``), not a wish to wait for days.
MAX_TIME_LIMIT = 3600.0


class _UsageError(Exception):
    """A bad command line (reported like bad input: one line, status 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m matchmaking.engine",
        description=(
            "The matching engine of BAN Ofoten. rank: score and explain every "
            "investor-pitch pair; lineup: choose the pitches for a Springbrett "
            "session; schedule: the 1:1 meetings after the pitches. Input and "
            "output are JSON (see docs/engine.md)."
        ),
        epilog="Exit status: 0 success, 2 bad input (one line 'error: ...' on "
        "standard error), 1 internal error.",
    )
    parser.add_argument("verb", choices=("rank", "lineup", "schedule"), help="what to compute")
    parser.add_argument(
        "input", nargs="?", default="-", help="JSON input file (default: standard input)"
    )
    parser.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="OUTPUT",
        help="JSON output file (default: standard output)",
    )
    parser.add_argument(
        "--time-limit",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="time budget of the lineup and schedule solvers, more than 0 and at most "
        f"{MAX_TIME_LIMIT:g} (default: 10 and 30)",
    )
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_TIME_LIMIT:
        raise argparse.ArgumentTypeError(
            f"must be more than 0 and at most {MAX_TIME_LIMIT:g} seconds: {text!r}"
        )
    return value


# -- the verbs: checked input in, plain JSON-ready data out ----------------


def _limit(time_limit: float | None) -> dict[str, float]:
    """The solver's keyword arguments: its own default time limit unless one is given."""
    return {} if time_limit is None else {"time_limit": time_limit}


def run_rank(data: object, time_limit: float | None = None) -> dict[str, Any]:
    """The ``rank`` verb on parsed JSON ``data`` (``time_limit`` is not used)."""
    from matchmaking.engine.rank import rank_problem

    return rankings_to_json(rank_problem(parse_rank(data)))


def run_lineup(data: object, time_limit: float | None = None) -> dict[str, Any]:
    """The ``lineup`` verb on parsed JSON ``data``."""
    from matchmaking.engine.lineup import solve_lineup

    problem = parse_lineup(data)
    return lineup_to_json(problem, solve_lineup(problem, **_limit(time_limit)))


def run_schedule(data: object, time_limit: float | None = None) -> dict[str, Any]:
    """The ``schedule`` verb on parsed JSON ``data``."""
    from matchmaking.engine.schedule import solve_schedule

    return schedule_to_json(solve_schedule(parse_schedule(data), **_limit(time_limit)))


_VERBS: dict[str, tuple[Callable[[object, float | None], dict[str, Any]], int]] = {
    # verb: (function, depth below which the output is written on one line)
    "rank": (run_rank, 3),
    "lineup": (run_lineup, 2),
    "schedule": (run_schedule, 2),
}


# -- files -----------------------------------------------------------------


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise EngineInputError(f"input: cannot read {source}: {exc.strerror or exc}") from None


def _write(target: str, text: str) -> None:
    data = text.encode("utf-8")
    if target == "-":
        try:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        except OSError as exc:
            raise EngineInputError(f"output: cannot write: {exc.strerror or exc}") from None
        return
    path = Path(target)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise EngineInputError(f"output: cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _one_line(message: str) -> str:
    return " ".join(message.split("\n")).replace("\r", " ")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        function, flat_from = _VERBS[args.verb]
        data = load_json(_read(args.input))
        output = render(function(data, args.time_limit), flat_from) + "\n"
        _write(args.output, output)
    except (EngineInputError, _UsageError) as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault in the engine: still one line, no traceback
        print(
            f"error: internal error: {type(exc).__name__}: {_one_line(str(exc))}", file=sys.stderr
        )
        return 1
    return 0
