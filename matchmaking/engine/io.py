"""The engine's JSON layer: read the three verbs' documents into the typed
problems, and write the results as JSON (``docs/engine-io.md``).

Only the command line (:mod:`matchmaking.engine.cli`) uses this module; the
web app and other Python callers build the problem dataclasses directly.

Reading checks the JSON shape (unknown keys at the top or in any object,
duplicate keys, a pair listed twice, strings where ids are expected,
booleans where numbers are expected, NaN and Infinity) and runs the value
checks of :mod:`matchmaking.engine.validate` in the order of the document,
so the first fault is the one named; the problems then check themselves on
construction with the same functions. Every refusal raises
:class:`EngineInputError` with a message that starts with the path of the
field at fault.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from matchmaking.engine.errors import EngineInputError
from matchmaking.engine.validate import (
    MAX_BONUS,
    MAX_SCHEDULE_SLOTS,
    Id,
    check_declared,
    check_id_list,
    check_int,
    check_money,
    check_number,
    check_unique_ids,
    first_duplicate,
    quote,
)
from matchmaking.engine.validate import fail as _fail
from matchmaking.engine.validate import key_path as _key_path

if TYPE_CHECKING:
    from matchmaking.engine.lineup import LineupProblem, LineupResult
    from matchmaking.engine.rank import RankedMatch, RankProblem
    from matchmaking.engine.schedule import ScheduleProblem, ScheduleResult
from matchmaking.engine.validate import show as _show

__all__ = [
    "DECIMALS",
    "lineup_to_json",
    "load_json",
    "parse_lineup",
    "parse_rank",
    "parse_schedule",
    "rankings_to_json",
    "render",
    "schedule_to_json",
]

#: Decimals of the numbers written.
DECIMALS = 6


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


def _id_list(value: object, where: str) -> tuple[str, ...]:
    items = tuple(_id(item, f"{where}[{k}]") for k, item in enumerate(_list(value, where)))
    check_id_list(items, where)
    return items


def _pairs(
    value: object,
    where: str,
    roles: tuple[str, str],
    declared: tuple[Mapping[Id, object], Mapping[Id, object]],
    *,
    with_value: bool,
) -> dict[tuple[Id, Id], float]:
    """A list of [a, b] (or [a, b, value]) items naming declared ids, each pair once."""
    out: dict[tuple[Id, Id], float] = {}
    first: dict[tuple[Id, Id], int] = {}
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
            check_declared(ident, declared[pos], at, roles[pos])
            ids.append(ident)
        pair = (ids[0], ids[1])
        if pair in first:
            _fail(
                at,
                f"the pair {quote(ids[0])}, {quote(ids[1])} is listed twice "
                f"(first at {where}[{first[pair]}])",
            )
        first[pair] = k
        out[pair] = check_number(item[2], f"{at}[2]", maximum=1.0) if with_value else 1.0
    return out


# -- rank ------------------------------------------------------------------


def parse_rank(data: object) -> RankProblem:
    """Check a ``rank`` input and build the ranking problem."""
    from matchmaking.engine.rank import RankInvestor, RankPitch, RankProblem

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
        top = check_int(top, "top", 1)
    return RankProblem(
        investors=tuple(investors),
        pitches=tuple(pitches),
        conflicts=tuple(conflicts),
        regions=regions,
        top=top,
    )


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
    slots = check_int(top_level["slots"], "slots", 1)
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
                bonus=check_number(item.get("bonus", 0.0), f"{at}.bonus", MAX_BONUS),
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
    quotas: dict[Id, int] = {}
    raw_quotas = top_level.get("min_per_subproject", {})
    if not isinstance(raw_quotas, dict):
        _fail("min_per_subproject", f"must be a JSON object, not {_show(raw_quotas)}")
    for sub, count in raw_quotas.items():
        if not sub:
            _fail("min_per_subproject", "a sub-project slug must be a non-empty string")
        quotas[sub] = check_int(count, _key_path("min_per_subproject", sub), 0)
    cap = top_level.get("max_per_municipality")
    if cap is not None:
        cap = check_int(cap, "max_per_municipality", 1)
    chosen = {}
    for name in ("pinned", "excluded"):
        ids = _id_list(top_level.get(name, []), name)
        for k, ident in enumerate(ids):
            check_declared(ident, cand_ids, f"{name}[{k}]", "candidate")
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
    slots = check_int(top_level["slots"], "slots", 1, MAX_SCHEDULE_SLOTS)
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
                check_int(slot, f"{at}.unavailable[{s}]", 0, slots - 1)
            dup = first_duplicate(busy)
            if dup is not None:
                _fail(f"{at}.unavailable[{dup}]", f"slot {busy[dup]} is listed twice")
            people[side].append(
                SchedulePerson(
                    id=_id(item["id"], f"{at}.id"),
                    max_meetings=check_int(
                        item.get("max_meetings", slots), f"{at}.max_meetings", 0
                    ),
                    min_meetings=check_int(item.get("min_meetings", 0), f"{at}.min_meetings", 0),
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


# -- results as JSON -------------------------------------------------------


def _number(value: float) -> float:
    """``value`` rounded for output; -0.0 becomes 0.0."""
    return round(float(value), DECIMALS) + 0.0


def rankings_to_json(rankings: Mapping[Any, Sequence[RankedMatch]]) -> dict[str, Any]:
    """The ``rank`` output document."""
    return {
        "rankings": {
            investor: [{"pitch": m.pitch, "score": m.score, "reasons": m.reasons} for m in matches]
            for investor, matches in rankings.items()
        }
    }


def lineup_to_json(problem: LineupProblem, result: LineupResult) -> dict[str, Any]:
    """The ``lineup`` output document."""
    return {
        "lineup": list(result.lineup),
        "value": _number(result.value),
        "bound": _number(result.bound),
        "optimal": bool(result.optimal),
        "best_for": {a: result.best_for.get(a) for a in problem.attendees},
    }


def schedule_to_json(result: ScheduleResult) -> dict[str, Any]:
    """The ``schedule`` output document (meetings by slot, investor, company)."""
    meetings = sorted(result.meetings, key=lambda m: (m.slot, m.investor, m.company))
    return {
        "meetings": [
            {"investor": m.investor, "company": m.company, "slot": int(m.slot)} for m in meetings
        ],
        "value": _number(result.value),
        "bound": _number(result.bound),
        "optimal": bool(result.optimal),
    }


def render(value: Any, flat_from: int, depth: int = 0) -> str:
    """JSON text: objects and arrays above depth ``flat_from`` one item a line."""
    if depth >= flat_from or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    pad = "  " * (depth + 1)
    if isinstance(value, dict):
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {render(v, flat_from, depth + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    items = [pad + render(v, flat_from, depth + 1) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
