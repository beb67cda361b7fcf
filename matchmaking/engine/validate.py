"""The engine's checks of single values: one implementation each.

The problem types (:class:`~matchmaking.engine.lineup.LineupProblem`,
:class:`~matchmaking.engine.schedule.ScheduleProblem`,
:class:`~matchmaking.engine.rank.RankProblem`) run them on construction, and
the JSON layer (:mod:`matchmaking.engine.io`) runs the same ones while it
reads a document, so a caller in Python gets the same refusals as the
command line. Every check raises :class:`EngineInputError` with a message
that starts with the path of the field at fault, e.g. ``affinity[12]:
investor "inv-9" is not declared``.

This module imports no other module of the engine but :mod:`errors`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from operator import itemgetter
from typing import Any, Final, NoReturn

from matchmaking.engine.errors import EngineInputError, Id

__all__ = [
    "MAX_BONUS",
    "MAX_MONEY",
    "MAX_SCHEDULE_SLOTS",
    "Id",
    "check_declared",
    "check_id",
    "check_id_list",
    "check_int",
    "check_money",
    "check_number",
    "check_pairs",
    "check_unique_ids",
    "fail",
    "first_duplicate",
    "key_path",
    "quote",
    "show",
]

MAX_MONEY: Final = 2**63 - 1
"""The largest amount of kroner the engine accepts (a signed 64-bit integer)."""
MAX_SCHEDULE_SLOTS: Final = 1000
"""More meeting slots than this in one event is taken for a mistake."""
#: A candidate's bonus is the organisers' own weight, on the scale of the
#: attendees' affinities (each at most 1); a million is far beyond any use and
#: keeps the sums finite.
MAX_BONUS: Final = 1_000_000.0


def quote(ident: object) -> str:
    """An id for a message: a string in double quotes, escaped as in JSON (so a
    message stays one line); an integer as it is."""
    if isinstance(ident, str):
        return json.dumps(ident, ensure_ascii=False)
    return str(ident)


def show(value: object) -> str:
    """A short JSON rendering of a bad value, for a message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def key_path(where: str, key: object) -> str:
    """The path of ``key`` inside the object at ``where`` (``a.b`` or ``a["b c"]``)."""
    if isinstance(key, str) and _PLAIN_KEY.match(key):
        return f"{where}.{key}" if where else key
    return f"{where}[{quote(key)}]"


def fail(where: str, problem: str) -> NoReturn:
    """Raise :class:`EngineInputError` naming the field ``where``."""
    raise EngineInputError(f"{where}: {problem}")


def first_duplicate(items: Sequence[Hashable]) -> int | None:
    """The index of the first item equal to an earlier one, or None."""
    seen: set[Hashable] = set()
    for index, item in enumerate(items):
        if item in seen:
            return index
        seen.add(item)
    return None


def check_id(value: object, where: str) -> None:
    """An id: a non-empty string or an integer (the JSON layer allows strings only)."""
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, str) and value)
    ):
        fail(where, f"must be a non-empty string or an integer, not {show(value)}")


def check_unique_ids(kind: str, ids: Sequence[Hashable]) -> None:
    """Raise naming ``kind[k].id`` if an id in ``ids`` stands there a second time,
    or if strings and integers are mixed (ties are broken by id order)."""
    dup = first_duplicate(ids)
    if dup is not None:
        fail(f"{kind}[{dup}].id", f"{quote(ids[dup])} is declared twice")
    _check_one_type(ids, lambda k: f"{kind}[{k}].id")


def _check_one_type(ids: Sequence[Hashable], where: Callable[[int], str]) -> None:
    if ids and len({isinstance(i, str) for i in ids}) > 1:
        first = isinstance(ids[0], str)
        k = next(k for k, i in enumerate(ids) if isinstance(i, str) != first)
        fail(where(k), "ids must be all strings or all integers")


def check_id_list(items: Sequence[Hashable], where: str) -> None:
    """Each item an id, none listed twice."""
    for k, item in enumerate(items):
        check_id(item, f"{where}[{k}]")
    dup = first_duplicate(items)
    if dup is not None:
        fail(f"{where}[{dup}]", f"{quote(items[dup])} is listed twice")
    _check_one_type(items, lambda k: f"{where}[{k}]")


def check_declared(ident: Hashable, declared: Collection[Hashable], where: str, role: str) -> None:
    """``ident`` is one of ``declared`` (``role`` names its kind in the message)."""
    if ident not in declared:
        fail(where, f"{role} {quote(ident)} is not declared")


def check_money(where: str, value: object) -> int:
    """``value`` as whole kroner: an integer from 0 to 2**63 - 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        fail(where, f"must be a whole number of kroner (an integer >= 0), not {show(value)}")
    if not 0 <= value <= MAX_MONEY:
        fail(where, f"must be between 0 and {MAX_MONEY} kroner, not {value}")
    return value


def check_int(value: object, where: str, minimum: int, maximum: int | None = None) -> int:
    """An integer (not a boolean) from ``minimum`` to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        fail(where, f"must be an integer >= {minimum}, not {show(value)}")
    if value < minimum:
        fail(where, f"must be an integer >= {minimum}, not {value}")
    if maximum is not None and value > maximum:
        fail(where, f"must be at most {maximum}, not {value}")
    return value


def check_number(value: object, where: str, maximum: float | None = None) -> float:
    """A finite number (not a boolean) from 0 to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        fail(where, f"must be a number, not {show(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        number = math.inf
    if not math.isfinite(number):
        fail(where, "must be a finite number")
    span = f"in [0, {maximum:g}]" if maximum is not None else ">= 0"
    if number < 0 or (maximum is not None and number > maximum):
        fail(where, f"must be a number {span}, not {show(value)}")
    return number


def check_pairs(
    pairs: Iterable[object],
    where: str,
    roles: tuple[str, str],
    declared: tuple[Collection[Hashable], Collection[Hashable]],
    values: Sequence[object] | None = None,
) -> None:
    """Each of ``pairs`` a (``roles[0]``, ``roles[1]``) tuple of declared ids, and
    each of ``values`` (when given, one per pair) a number in [0, 1].

    The message names the first fault as ``where[k]`` (``where[k][2]`` for a
    value), k counting the pairs in order. Large problems are checked with
    set operations first; the pair-by-pair walk runs only to name a fault.
    """
    keys: list[Any] = list(pairs)
    vals: list[Any] = list(values) if values is not None else []
    try:
        ok = (
            set(map(type, keys)) <= {tuple}
            and set(map(len, keys)) <= {2}
            and set(map(itemgetter(0), keys)) <= set(declared[0])
            and set(map(itemgetter(1), keys)) <= set(declared[1])
        )
        if ok and vals:
            ok = (
                all(t is not bool and issubclass(t, int | float) for t in set(map(type, vals)))
                and all(map(math.isfinite, vals))
                and 0 <= min(vals) <= max(vals) <= 1
            )
    except (TypeError, OverflowError):
        ok = False
    if ok:
        return
    for k, pair in enumerate(keys):
        at = f"{where}[{k}]"
        if not isinstance(pair, tuple) or len(pair) != 2:
            fail(at, f"must be a ({roles[0]}, {roles[1]}) pair")
        check_declared(pair[0], declared[0], at, roles[0])
        check_declared(pair[1], declared[1], at, roles[1])
        if values is not None:
            check_number(values[k], f"{at}[2]", maximum=1.0)
