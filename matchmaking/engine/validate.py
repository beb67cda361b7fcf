"""Read and check the JSON input of the three verbs (the engine's contract).

Every check raises :class:`EngineInputError` with a message that starts
with the path of the field at fault, e.g. ``affinity[12]: investor "inv-9"
is not declared``. The checks are strict: unknown keys (at the top or in any
object), duplicate keys, duplicate ids, a pair listed twice, booleans where
numbers are expected, fractions where whole numbers are expected, NaN and
Infinity are all errors.

The solver modules are imported by the function that needs them, so that
checking a ``lineup`` input does not load the ranking's text machinery and
this module can be imported by :mod:`matchmaking.engine.rank`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, NoReturn

from matchmaking.engine.errors import EngineInputError

if TYPE_CHECKING:
    from matchmaking.engine.lineup import LineupProblem
    from matchmaking.engine.rank import RankInvestor, RankPitch
    from matchmaking.engine.schedule import ScheduleProblem

__all__ = [
    "MAX_MONEY",
    "MAX_SCHEDULE_SLOTS",
    "RankRequest",
    "check_money",
    "check_unique_ids",
    "first_duplicate",
    "load_json",
    "parse_lineup",
    "parse_rank",
    "parse_schedule",
    "quote",
]

MAX_MONEY: Final = 2**63 - 1
"""The largest amount of kroner the engine accepts (a signed 64-bit integer)."""
MAX_SCHEDULE_SLOTS: Final = 1000
"""More meeting slots than this in one event is taken for a mistake."""

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


# -- small helpers, also used by rank --------------------------------------


def quote(text: str) -> str:
    """``text`` in double quotes, escaped as in JSON (so a message stays one line)."""
    return json.dumps(text, ensure_ascii=False)


def first_duplicate(items: Sequence[Hashable]) -> int | None:
    """The index of the first item equal to an earlier one, or None."""
    seen: set[Hashable] = set()
    for index, item in enumerate(items):
        if item in seen:
            return index
        seen.add(item)
    return None


def check_unique_ids(kind: str, ids: Sequence[str]) -> None:
    """Raise naming ``kind[k].id`` if an id in ``ids`` stands there a second time."""
    dup = first_duplicate(ids)
    if dup is not None:
        _fail(f"{kind}[{dup}].id", f"{quote(ids[dup])} is declared twice")


def check_money(where: str, value: object) -> int:
    """``value`` as whole kroner: an integer from 0 to 2**63 - 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, f"must be a whole number of kroner (an integer >= 0), not {_show(value)}")
    if not 0 <= value <= MAX_MONEY:
        _fail(where, f"must be between 0 and {MAX_MONEY} kroner, not {value}")
    return value


def _fail(where: str, problem: str) -> NoReturn:
    raise EngineInputError(f"{where}: {problem}")


def _show(value: object) -> str:
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


def _key_path(where: str, key: str) -> str:
    if _PLAIN_KEY.match(key):
        return f"{where}.{key}" if where else key
    return f"{where}[{quote(key)}]"


# -- JSON ------------------------------------------------------------------


#: A candidate's bonus is the organisers' own weight, on the scale of the
#: attendees' affinities (each at most 1); a million is far beyond any use and
#: keeps the sums finite.
MAX_BONUS = 1_000_000.0


def _check_text(value: Any, where: str) -> None:
    """Refuse strings that cannot be written back as UTF-8 (lone surrogates,
    which JSON's \\uD800 escapes can produce), naming where they are."""
    if isinstance(value, str):
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise EngineInputError(f"{where}: is not valid text (a lone UTF-16 surrogate)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"{where}: key {quote(key.encode('utf-8', 'replace').decode())}")
            _check_text(item, f"{where}.{key}" if where != "input" else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{where}[{index}]")


def _reject_constant(name: str) -> NoReturn:
    raise EngineInputError(f"input: {name} is not allowed (numbers must be finite)")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise EngineInputError(f"input: the key {quote(key)} appears twice in one object")
        out[key] = value
    return out


def load_json(data: bytes) -> Any:
    """Decode UTF-8 JSON strictly: no NaN or Infinity, no duplicate keys.

    A leading byte-order mark is accepted (spreadsheet exports write one).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EngineInputError(f"input: not valid UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(
            text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys
        )
        _check_text(value, "input")
    except json.JSONDecodeError as exc:
        raise EngineInputError(f"input: not valid JSON: {exc}") from None
    except RecursionError:
        raise EngineInputError("input: nested too deeply") from None
    except EngineInputError:
        raise
    except ValueError as exc:  # e.g. an integer with too many digits
        raise EngineInputError(f"input: not valid JSON: {exc}") from None
    return value


# -- typed fields ----------------------------------------------------------


def _object(
    value: object, where: str, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(where or "input", f"must be a JSON object, not {_show(value)}")
    allowed = (*required, *optional)
    for key in value:
        if key not in allowed:
            _fail(_key_path(where, key), f"unknown key; expected one of {', '.join(allowed)}")
    for key in required:
        if key not in value:
            _fail(_key_path(where, key), "missing")
    return value


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        _fail(where, f"must be an array, not {_show(value)}")
    return value


def _id(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        _fail(where, f"must be a non-empty string, not {_show(value)}")
    return value


def _optional_id(value: object, where: str) -> str | None:
    """An id, or None where the input gives null or nothing."""
    return None if value is None else _id(value, where)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        _fail(where, f"must be a string, not {_show(value)}")
    return value


def _int(value: object, where: str, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, f"must be an integer >= {minimum}, not {_show(value)}")
    if value < minimum:
        _fail(where, f"must be an integer >= {minimum}, not {value}")
    if maximum is not None and value > maximum:
        _fail(where, f"must be at most {maximum}, not {value}")
    return value


def _number(value: object, where: str, maximum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail(where, f"must be a number, not {_show(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        number = math.inf
    if not math.isfinite(number):
        _fail(where, "must be a finite number")
    span = f"in [0, {maximum:g}]" if maximum is not None else ">= 0"
    if number < 0 or (maximum is not None and number > maximum):
        _fail(where, f"must be a number {span}, not {_show(value)}")
    return number


def _id_list(value: object, where: str) -> tuple[str, ...]:
    items = tuple(_id(item, f"{where}[{k}]") for k, item in enumerate(_list(value, where)))
    dup = first_duplicate(items)
    if dup is not None:
        _fail(f"{where}[{dup}]", f"{quote(items[dup])} is listed twice")
    return items


def _pairs(
    value: object,
    where: str,
    roles: tuple[str, str],
    declared: tuple[Mapping[str, object], Mapping[str, object]],
    *,
    with_value: bool,
) -> dict[tuple[str, str], float]:
    """A list of [a, b] (or [a, b, value]) items naming declared ids, each pair once."""
    out: dict[tuple[str, str], float] = {}
    first: dict[tuple[str, str], int] = {}
    width = 3 if with_value else 2
    shape = f"[{roles[0]}, {roles[1]}" + (", value]" if with_value else "]")
    for k, item in enumerate(_list(value, where)):
        at = f"{where}[{k}]"
        if not isinstance(item, list) or len(item) != width:
            _fail(at, f"must be an array {shape}, not {_show(item)}")
        ids = []
        for pos in range(2):
            ident = item[pos]
            if not isinstance(ident, str) or not ident:
                _fail(f"{at}[{pos}]", f"{roles[pos]} id must be a non-empty string")
            if ident not in declared[pos]:
                _fail(at, f"{roles[pos]} {quote(ident)} is not declared")
            ids.append(ident)
        pair = (ids[0], ids[1])
        if pair in first:
            _fail(
                at,
                f"the pair {quote(ids[0])}, {quote(ids[1])} is listed twice "
                f"(first at {where}[{first[pair]}])",
            )
        first[pair] = k
        out[pair] = _number(item[2], f"{at}[2]", maximum=1.0) if with_value else 1.0
    return out


# -- rank ------------------------------------------------------------------


@dataclass(frozen=True)
class RankRequest:
    """A checked ``rank`` input, ready for :func:`matchmaking.engine.rank.rank`."""

    investors: tuple[RankInvestor, ...]
    pitches: tuple[RankPitch, ...]
    conflicts: tuple[tuple[str, str], ...]
    regions: dict[str, tuple[str, ...]]
    top: int | None


def parse_rank(data: object) -> RankRequest:
    """Check a ``rank`` input and build the engine's dataclasses."""
    from matchmaking.engine.rank import RankInvestor, RankPitch

    top_level = _object(data, "", ("investors", "pitches"), ("conflicts", "regions", "top"))
    investors: list[RankInvestor] = []
    for k, raw in enumerate(_list(top_level["investors"], "investors")):
        at = f"investors[{k}]"
        item = _object(
            raw,
            at,
            (
                "id",
                "sectors",
                "stages",
                "ticket_min",
                "ticket_max",
                "municipalities",
                "subprojects",
            ),
            ("thesis",),
        )
        investors.append(
            RankInvestor(
                id=_id(item["id"], f"{at}.id"),
                sectors=_id_list(item["sectors"], f"{at}.sectors"),
                stages=_id_list(item["stages"], f"{at}.stages"),
                ticket_min=check_money(f"{at}.ticket_min", item["ticket_min"]),
                ticket_max=check_money(f"{at}.ticket_max", item["ticket_max"]),
                municipalities=_id_list(item["municipalities"], f"{at}.municipalities"),
                subprojects=_id_list(item["subprojects"], f"{at}.subprojects"),
                thesis=_text(item.get("thesis", ""), f"{at}.thesis"),
            )
        )
    pitches: list[RankPitch] = []
    for k, raw in enumerate(_list(top_level["pitches"], "pitches")):
        at = f"pitches[{k}]"
        item = _object(
            raw,
            at,
            ("id", "sector", "stage", "ask", "min_ticket", "municipality"),
            ("subproject", "text"),
        )
        pitches.append(
            RankPitch(
                id=_id(item["id"], f"{at}.id"),
                sector=_id(item["sector"], f"{at}.sector"),
                stage=_id(item["stage"], f"{at}.stage"),
                ask=check_money(f"{at}.ask", item["ask"]),
                min_ticket=check_money(f"{at}.min_ticket", item["min_ticket"]),
                municipality=_id(item["municipality"], f"{at}.municipality"),
                subproject=_optional_id(item.get("subproject"), f"{at}.subproject"),
                text=_text(item.get("text", ""), f"{at}.text"),
            )
        )
    inv_ids = {inv.id: None for inv in investors}
    pitch_ids = {p.id: None for p in pitches}
    conflicts = _pairs(
        top_level.get("conflicts", []),
        "conflicts",
        ("investor", "pitch"),
        (inv_ids, pitch_ids),
        with_value=False,
    )
    regions: dict[str, tuple[str, ...]] = {}
    raw_regions = top_level.get("regions", {})
    if not isinstance(raw_regions, dict):
        _fail("regions", f"must be a JSON object, not {_show(raw_regions)}")
    for slug, members in raw_regions.items():
        at = _key_path("regions", slug)
        if not slug:
            _fail("regions", "a region slug must be a non-empty string")
        regions[slug] = _id_list(members, at)
    top = top_level.get("top")
    if top is not None:
        top = _int(top, "top", 1)
    return RankRequest(tuple(investors), tuple(pitches), tuple(conflicts), regions, top)


# -- lineup ----------------------------------------------------------------


def parse_lineup(data: object) -> LineupProblem:
    """Check a ``lineup`` input and build the solver's problem."""
    from matchmaking.engine.lineup import LineupCandidate, LineupProblem

    top_level = _object(
        data,
        "",
        ("slots", "attendees", "candidates", "affinity"),
        ("min_per_subproject", "max_per_municipality", "pinned", "excluded"),
    )
    slots = _int(top_level["slots"], "slots", 1)
    attendees = _id_list(top_level["attendees"], "attendees")
    candidates: list[LineupCandidate] = []
    for k, raw in enumerate(_list(top_level["candidates"], "candidates")):
        at = f"candidates[{k}]"
        item = _object(raw, at, ("id", "municipality"), ("subproject", "bonus"))
        candidates.append(
            LineupCandidate(
                id=_id(item["id"], f"{at}.id"),
                municipality=_id(item["municipality"], f"{at}.municipality"),
                subproject=_optional_id(item.get("subproject"), f"{at}.subproject"),
                bonus=_number(item.get("bonus", 0.0), f"{at}.bonus", MAX_BONUS),
            )
        )
    check_unique_ids("candidates", [c.id for c in candidates])
    cand_ids = {c.id: None for c in candidates}
    affinity = _pairs(
        top_level["affinity"],
        "affinity",
        ("attendee", "candidate"),
        (dict.fromkeys(attendees), cand_ids),
        with_value=True,
    )
    quotas: dict[str, int] = {}
    raw_quotas = top_level.get("min_per_subproject", {})
    if not isinstance(raw_quotas, dict):
        _fail("min_per_subproject", f"must be a JSON object, not {_show(raw_quotas)}")
    for sub, count in raw_quotas.items():
        if not sub:
            _fail("min_per_subproject", "a sub-project slug must be a non-empty string")
        quotas[sub] = _int(count, _key_path("min_per_subproject", sub), 0)
    cap = top_level.get("max_per_municipality")
    if cap is not None:
        cap = _int(cap, "max_per_municipality", 1)
    chosen = {}
    for name in ("pinned", "excluded"):
        ids = _id_list(top_level.get(name, []), name)
        for k, ident in enumerate(ids):
            if ident not in cand_ids:
                _fail(f"{name}[{k}]", f"candidate {quote(ident)} is not declared")
        chosen[name] = ids
    return LineupProblem(
        slots=slots,
        attendees=attendees,
        candidates=tuple(candidates),
        affinity=affinity,
        min_per_subproject=quotas,
        max_per_municipality=cap,
        pinned=chosen["pinned"],
        excluded=chosen["excluded"],
    )


# -- schedule --------------------------------------------------------------


def parse_schedule(data: object) -> ScheduleProblem:
    """Check a ``schedule`` input and build the solver's problem."""
    from matchmaking.engine.schedule import SchedulePerson, ScheduleProblem

    top_level = _object(data, "", ("slots", "investors", "companies", "affinity"), ("conflicts",))
    slots = _int(top_level["slots"], "slots", 1, MAX_SCHEDULE_SLOTS)
    people: dict[str, list[SchedulePerson]] = {}
    for side in ("investors", "companies"):
        optional: tuple[str, ...] = ("max_meetings", "min_meetings", "unavailable")
        if side == "investors":
            optional = ("max_meetings", "unavailable")
        people[side] = []
        for k, raw in enumerate(_list(top_level[side], side)):
            at = f"{side}[{k}]"
            if side == "investors" and isinstance(raw, dict) and "min_meetings" in raw:
                _fail(f"{at}.min_meetings", "unknown key; min_meetings is for companies only")
            item = _object(raw, at, ("id",), optional)
            busy = _list(item.get("unavailable", []), f"{at}.unavailable")
            for s, slot in enumerate(busy):
                _int(slot, f"{at}.unavailable[{s}]", 0, slots - 1)
            dup = first_duplicate(busy)
            if dup is not None:
                _fail(f"{at}.unavailable[{dup}]", f"slot {busy[dup]} is listed twice")
            people[side].append(
                SchedulePerson(
                    id=_id(item["id"], f"{at}.id"),
                    max_meetings=_int(item.get("max_meetings", slots), f"{at}.max_meetings", 0),
                    min_meetings=_int(item.get("min_meetings", 0), f"{at}.min_meetings", 0),
                    unavailable=frozenset(busy),
                )
            )
        check_unique_ids(side, [p.id for p in people[side]])
    declared = (
        {p.id: None for p in people["investors"]},
        {p.id: None for p in people["companies"]},
    )
    affinity = _pairs(
        top_level["affinity"], "affinity", ("investor", "company"), declared, with_value=True
    )
    conflicts = _pairs(
        top_level.get("conflicts", []),
        "conflicts",
        ("investor", "company"),
        declared,
        with_value=False,
    )
    return ScheduleProblem(
        slots=slots,
        investors=tuple(people["investors"]),
        companies=tuple(people["companies"]),
        affinity=affinity,
        conflicts=frozenset(conflicts),
    )
