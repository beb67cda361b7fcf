"""The engine's public face: the package's exports, problems that check themselves
with the command line's refusals, and infeasibility as structured violations."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

import matchmaking.engine as engine
from matchmaking.engine import (
    EngineInputError,
    InfeasibleError,
    LineupCandidate,
    LineupProblem,
    RankInvestor,
    RankPitch,
    RankProblem,
    Rule,
    SchedulePerson,
    ScheduleProblem,
    Violation,
    ViolationKind,
    check_lineup,
    check_schedule,
    cli,
    rank_problem,
    solve_lineup,
    solve_schedule,
)

ENGINE = Path(__file__).resolve().parents[2] / "matchmaking" / "engine"


def _cli_error(verb: str, doc: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> str:
    """The command line's one-line refusal of ``doc`` (without ``error: ``)."""
    import io
    import sys

    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(json.dumps(doc).encode()))
    try:
        status = cli.main([verb])
    finally:
        sys.stdin = stdin
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.startswith("error: ")
    return err.removeprefix("error: ").strip()


def test_the_package_exports_the_public_api() -> None:
    for name in (
        "rank",
        "rank_problem",
        "solve_lineup",
        "solve_schedule",
        "check_lineup",
        "check_schedule",
        "RankProblem",
        "LineupProblem",
        "LineupResult",
        "ScheduleProblem",
        "ScheduleResult",
        "Weights",
        "EngineInputError",
        "InfeasibleError",
        "Violation",
        "ViolationKind",
    ):
        assert name in engine.__all__
        assert getattr(engine, name) is not None
    assert callable(engine.rank)  # the function, not the module of the same name
    assert engine.solve_lineup is solve_lineup


def _imports(path: Path) -> set[str]:
    """The engine modules ``path`` imports (at any level, also inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # from .x import y
                module = "matchmaking.engine." + module
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_validate_and_rank_do_not_import_each_other() -> None:
    assert not any(
        m.startswith("matchmaking.engine.rank") for m in _imports(ENGINE / "validate.py")
    )
    assert "matchmaking.engine.validate" in _imports(ENGINE / "rank.py")
    # validate.py imports nothing of the engine but its errors
    engine_imports = {
        m for m in _imports(ENGINE / "validate.py") if m.startswith("matchmaking.engine.")
    }
    assert {m.rsplit(".", 1)[0] for m in engine_imports} <= {"matchmaking.engine.errors"} | {
        "matchmaking.engine"
    }


def test_the_ranking_modules_import_one_way() -> None:
    # rank -> rank_features -> rank_types, never back
    assert "matchmaking.engine.rank_features" in _imports(ENGINE / "rank.py")
    assert "matchmaking.engine.rank_types" in _imports(ENGINE / "rank_features.py")
    for lower, higher in (
        ("rank_features.py", {"matchmaking.engine.rank"}),
        ("rank_types.py", {"matchmaking.engine.rank", "matchmaking.engine.rank_features"}),
    ):
        assert not _imports(ENGINE / lower) & higher, lower


def test_json_is_read_and_written_only_in_io_and_cli() -> None:
    for path in ENGINE.glob("*.py"):
        if path.stem in {"io", "cli", "__main__"}:
            continue
        assert "matchmaking.engine.io" not in _imports(path), path.name
        assert "matchmaking.engine.cli" not in _imports(path), path.name
        assert "json.loads" not in path.read_text(encoding="utf-8"), path.name


# -- the same refusals from Python as from the command line ----------------

LINEUP = {
    "slots": 2,
    "attendees": ["i1", "i2"],
    "candidates": [
        {"id": "a", "municipality": "narvik", "subproject": "s", "bonus": 0.1},
        {"id": "b", "municipality": "evenes", "subproject": None},
        {"id": "c", "municipality": "evenes"},
    ],
    "affinity": [["i1", "a", 0.5], ["i2", "b", 0.25]],
}


def _lineup_problem(doc: dict[str, Any]) -> LineupProblem:
    """``doc`` built directly as a Python caller would, without the JSON layer."""
    return LineupProblem(
        slots=doc["slots"],
        attendees=tuple(doc["attendees"]),
        candidates=tuple(
            LineupCandidate(c["id"], c["municipality"], c.get("subproject"), c.get("bonus", 0.0))
            for c in doc["candidates"]
        ),
        affinity={(a, c): v for a, c, v in doc["affinity"]},
        min_per_subproject=doc.get("min_per_subproject", {}),
        max_per_municipality=doc.get("max_per_municipality"),
        pinned=tuple(doc.get("pinned", ())),
        excluded=tuple(doc.get("excluded", ())),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"affinity": [["i1", "a", 0.5], ["i9", "b", 0.2]]}, 'affinity[1]: attendee "i9" is not'),
        ({"affinity": [["i1", "zz", 0.5]]}, 'affinity[0]: candidate "zz" is not declared'),
        ({"affinity": [["i1", "a", 1.5]]}, "affinity[0][2]: must be a number in [0, 1]"),
        ({"attendees": ["i1", "i1"]}, 'attendees[1]: "i1" is listed twice'),
        (
            {"candidates": [{"id": "a", "municipality": "n"}, {"id": "a", "municipality": "m"}]},
            'candidates[1].id: "a" is declared twice',
        ),
        (
            {"candidates": [{"id": "a", "municipality": "n", "bonus": -1}]},
            "candidates[0].bonus: must be a number in [0, 1e+06], not -1",
        ),
        ({"pinned": ["zz"]}, 'pinned[0]: candidate "zz" is not declared'),
        ({"excluded": ["a", "a"]}, 'excluded[1]: "a" is listed twice'),
        ({"max_per_municipality": 0}, "max_per_municipality: must be an integer >= 1, not 0"),
        (
            {"min_per_subproject": {"s": -1}},
            "min_per_subproject.s: must be an integer >= 0, not -1",
        ),
        ({"slots": 2.5}, "slots: must be an integer >= 1, not 2.5"),
    ],
)
def test_a_python_caller_gets_the_command_lines_refusal_for_a_lineup(
    change: dict[str, Any], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {**LINEUP, **change}
    if "candidates" in change:
        doc["affinity"] = []
    from_cli = _cli_error("lineup", doc, capsys)
    with pytest.raises(EngineInputError) as info:
        _lineup_problem(doc)
    assert str(info.value) == from_cli
    assert from_cli.startswith(message)


SCHEDULE = {
    "slots": 3,
    "investors": [{"id": "i1"}, {"id": "i2", "max_meetings": 2}],
    "companies": [{"id": "p1", "min_meetings": 1}, {"id": "p2"}],
    "affinity": [["i1", "p1", 0.5], ["i2", "p2", 0.25]],
}


def _schedule_problem(doc: dict[str, Any]) -> ScheduleProblem:
    slots = doc["slots"]

    def person(p: dict[str, Any]) -> SchedulePerson:
        return SchedulePerson(
            p["id"],
            max_meetings=p.get("max_meetings", slots),
            min_meetings=p.get("min_meetings", 0),
            unavailable=frozenset(p.get("unavailable", ())),
        )

    return ScheduleProblem(
        slots=slots,
        investors=tuple(person(p) for p in doc["investors"]),
        companies=tuple(person(p) for p in doc["companies"]),
        affinity={(i, c): v for i, c, v in doc["affinity"]},
        conflicts=frozenset((i, c) for i, c in doc.get("conflicts", ())),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slots": 1001}, "slots: must be at most 1000, not 1001"),
        ({"affinity": [["i1", "p9", 0.5]]}, 'affinity[0]: company "p9" is not declared'),
        ({"affinity": [["i1", "p1", -0.5]]}, "affinity[0][2]: must be a number in [0, 1]"),
        ({"conflicts": [["i7", "p1"]]}, 'conflicts[0]: investor "i7" is not declared'),
        (
            {"companies": [{"id": "p1", "max_meetings": -1}]},
            "companies[0].max_meetings: must be an integer >= 0, not -1",
        ),
        ({"investors": [{"id": "i1"}, {"id": "i1"}]}, 'investors[1].id: "i1" is declared twice'),
    ],
)
def test_a_python_caller_gets_the_command_lines_refusal_for_a_schedule(
    change: dict[str, Any], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {**SCHEDULE, **change}
    if "companies" in change or "investors" in change:
        doc["affinity"] = []
    from_cli = _cli_error("schedule", doc, capsys)
    with pytest.raises(EngineInputError) as info:
        _schedule_problem(doc)
    assert str(info.value) == from_cli
    assert from_cli.startswith(message)


RANK = {
    "investors": [
        {
            "id": "i1",
            "sectors": ["marine"],
            "stages": [],
            "ticket_min": 100,
            "ticket_max": 1000,
            "municipalities": [],
            "subprojects": [],
        }
    ],
    "pitches": [
        {
            "id": "p1",
            "sector": "marine",
            "stage": "seed",
            "ask": 500,
            "min_ticket": 100,
            "municipality": "narvik",
        }
    ],
}


def _rank_problem(doc: dict[str, Any]) -> RankProblem:
    return RankProblem(
        investors=tuple(
            RankInvestor(
                id=i["id"],
                sectors=tuple(i["sectors"]),
                stages=tuple(i["stages"]),
                ticket_min=i["ticket_min"],
                ticket_max=i["ticket_max"],
                municipalities=tuple(i["municipalities"]),
                subprojects=tuple(i["subprojects"]),
            )
            for i in doc["investors"]
        ),
        pitches=tuple(
            RankPitch(
                id=p["id"],
                sector=p["sector"],
                stage=p["stage"],
                ask=p["ask"],
                min_ticket=p["min_ticket"],
                municipality=p["municipality"],
            )
            for p in doc["pitches"]
        ),
        conflicts=tuple((i, p) for i, p in doc.get("conflicts", ())),
        top=doc.get("top"),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"conflicts": [["i1", "p9"]]}, 'conflicts[0]: pitch "p9" is not declared'),
        ({"top": 0}, "top: must be an integer >= 1, not 0"),
        ({"investors": [{**RANK["investors"][0], "ticket_max": 10}]}, "investors[0].ticket_min"),
        ({"pitches": [{**RANK["pitches"][0], "ask": -1}]}, "pitches[0].ask: must be between 0"),
        ({"pitches": [RANK["pitches"][0], RANK["pitches"][0]]}, 'pitches[1].id: "p1" is declared'),
        (
            {"investors": [{**RANK["investors"][0], "sectors": ["a", "a"]}]},
            "investors[0].sectors[1]",
        ),
    ],
)
def test_a_python_caller_gets_the_command_lines_refusal_for_a_ranking(
    change: dict[str, Any], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {**RANK, **change}
    from_cli = _cli_error("rank", doc, capsys)
    with pytest.raises(EngineInputError) as info:
        _rank_problem(doc)
    assert str(info.value) == from_cli
    assert from_cli.startswith(message)


def test_a_checked_ranking_problem_ranks_like_rank() -> None:
    got = rank_problem(_rank_problem(RANK))
    assert [m.pitch for m in got["i1"]] == ["p1"]


# -- integer ids -----------------------------------------------------------


def test_integer_ids_work_and_break_ties_in_number_order() -> None:
    problem = LineupProblem(
        slots=2,
        attendees=(7,),
        candidates=tuple(LineupCandidate(i, "narvik", None) for i in (10, 9, 100)),
        affinity={},
    )
    result = solve_lineup(problem)
    assert result.lineup == [9, 10]  # all ties: by id, as numbers
    with pytest.raises(EngineInputError, match=r"candidates\[1\]\.id: ids must be all strings"):
        LineupProblem(
            slots=1,
            attendees=(),
            candidates=(LineupCandidate(1, "n", None), LineupCandidate("b", "n", None)),
            affinity={},
        )


# -- infeasible line-ups: structured violations ----------------------------


def _cand(ident: int, muni: str, sub: str | None = None) -> LineupCandidate:
    return LineupCandidate(ident, muni, sub)


def _refused(problem: LineupProblem) -> list[Violation]:
    with pytest.raises(InfeasibleError) as info:
        solve_lineup(problem)
    assert info.value.violations == check_lineup(problem)  # one check, two callers
    return info.value.violations


def test_a_subproject_with_too_few_candidates_names_it_with_numbers() -> None:
    problem = LineupProblem(
        slots=3,
        attendees=(1,),
        candidates=(_cand(1, "narvik", "marine"), _cand(2, "evenes"), _cand(3, "evenes")),
        affinity={},
        min_per_subproject={"marine": 2},
    )
    [v] = _refused(problem)
    assert v.kind is ViolationKind.TOO_FEW_CANDIDATES
    assert v.subprojects == ("marine",)
    assert (v.needed, v.available) == (2, 1)
    assert v.candidates == (1,)
    assert v.rules == (Rule.MIN_PER_SUBPROJECT,)


def test_pins_over_a_municipality_cap_name_the_municipality_and_the_pins() -> None:
    problem = LineupProblem(
        slots=3,
        attendees=(1,),
        candidates=(_cand(1, "narvik"), _cand(2, "narvik"), _cand(3, "evenes"), _cand(4, "bodo")),
        affinity={},
        max_per_municipality=1,
        pinned=(1, 2),
    )
    [v] = _refused(problem)
    assert v.kind is ViolationKind.PINNED_CONFLICT
    assert v.municipalities == ("narvik",)
    assert v.candidates == (1, 2)
    assert (v.needed, v.available, v.limit) == (2, 1, 1)


def test_a_cap_that_leaves_seats_empty_and_a_capped_minimum_are_both_named() -> None:
    problem = LineupProblem(
        slots=3,
        attendees=(1,),
        candidates=(_cand(1, "narvik", "s"), _cand(2, "narvik", "s"), _cand(3, "evenes")),
        affinity={},
        max_per_municipality=1,
        min_per_subproject={"s": 2},
    )
    kinds = {v.kind: v for v in _refused(problem)}
    capped = kinds[ViolationKind.SUBPROJECT_MINIMUM]
    assert (capped.subprojects, capped.needed, capped.available, capped.limit) == (
        ("s",),
        2,
        1,
        1,
    )
    empty = kinds[ViolationKind.MUNICIPALITY_CAP]
    assert (empty.needed, empty.available, empty.municipalities) == (3, 2, ("evenes", "narvik"))


def test_too_many_pins_and_minimums_over_the_seats() -> None:
    problem = LineupProblem(
        slots=2,
        attendees=(),
        candidates=tuple(_cand(i, "narvik", "s") for i in range(1, 5)),
        affinity={},
        min_per_subproject={"s": 3},
        pinned=(1, 2, 3),
    )
    pins, mins = _refused(problem)
    assert (pins.kind, pins.needed, pins.available, pins.candidates) == (
        ViolationKind.TOO_MANY_PINNED,
        3,
        2,
        (1, 2, 3),
    )
    assert (mins.kind, mins.needed, mins.available) == (ViolationKind.MINIMUMS_OVER_SEATS, 3, 2)


def test_pinned_and_excluded_names_the_candidates() -> None:
    problem = LineupProblem(
        slots=1,
        attendees=(),
        candidates=(_cand(1, "narvik"), _cand(2, "narvik")),
        affinity={},
        pinned=(2,),
        excluded=(2,),
    )
    assert _refused(problem)[0] == Violation(
        ViolationKind.PINNED_AND_EXCLUDED, candidates=(2,), rules=(Rule.PINNED, Rule.EXCLUDED)
    )


def test_pins_that_crowd_out_a_minimum_say_how_many_are_still_needed() -> None:
    problem = LineupProblem(
        slots=2,
        attendees=(),
        candidates=(_cand(1, "a"), _cand(2, "b"), _cand(3, "c", "s")),
        affinity={},
        min_per_subproject={"s": 1},
        pinned=(1, 2),
    )
    [v] = _refused(problem)
    assert v.kind is ViolationKind.PINS_CROWD_MINIMUMS
    assert (v.needed, v.available, v.subprojects, v.shortfall) == (1, 0, ("s",), (1,))


def test_a_combination_names_its_smallest_failing_part() -> None:
    # Each rule alone holds; "s" lives only in narvik, where "t" needs a place too.
    problem = LineupProblem(
        slots=3,
        attendees=(),
        candidates=(
            _cand(1, "narvik", "s"),
            _cand(2, "narvik", "t"),
            _cand(3, "evenes", "t"),
            _cand(4, "bodo", None),
        ),
        affinity={},
        min_per_subproject={"s": 1, "t": 2},
        max_per_municipality=1,
    )
    [v] = _refused(problem)
    assert v.kind is ViolationKind.COMBINATION
    assert (v.subprojects, v.shortfall, v.limit, v.needed) == (("s", "t"), (1, 2), 1, 3)
    assert v.candidates == ()
    assert v.rules == (Rule.MIN_PER_SUBPROJECT, Rule.MAX_PER_MUNICIPALITY)


def test_a_feasible_line_up_has_no_violations() -> None:
    problem = _lineup_problem(LINEUP)
    assert check_lineup(problem) == []


# -- infeasible schedules --------------------------------------------------


def test_a_company_that_cannot_get_its_minimum_is_named_with_numbers() -> None:
    problem = ScheduleProblem(
        slots=3,
        investors=(SchedulePerson(1, 3), SchedulePerson(2, 3)),
        companies=(SchedulePerson(10, 3, min_meetings=3),),
        affinity={(1, 10): 0.5, (2, 10): 0.5},
    )
    with pytest.raises(InfeasibleError) as info:
        solve_schedule(problem)
    [v] = info.value.violations
    assert v.kind is ViolationKind.TOO_FEW_INVESTORS
    assert (v.companies, v.needed, v.available) == ((10,), 3, 2)


def test_minimums_that_cannot_hold_together_name_the_companies() -> None:
    problem = ScheduleProblem(
        slots=2,
        investors=(SchedulePerson(1, 1), SchedulePerson(2, 1)),
        companies=(
            SchedulePerson(10, 2, min_meetings=2),
            SchedulePerson(11, 2, min_meetings=2),
        ),
        affinity={(1, 10): 0.5, (2, 10): 0.5, (1, 11): 0.5, (2, 11): 0.5},
    )
    with pytest.raises(InfeasibleError) as info:
        solve_schedule(problem)
    [v] = info.value.violations
    assert v.kind is ViolationKind.MINIMUMS_TOGETHER
    assert (v.companies, v.needed, v.available) == ((10, 11), 4, 2)


def test_check_schedule_names_every_company_that_cannot_get_its_minimum_alone() -> None:
    """One check, two callers: ``solve_schedule`` raises with exactly the list
    ``check_schedule`` gives without solving, every such company in id order,
    each with the first check it fails."""
    problem = ScheduleProblem(
        slots=3,
        investors=tuple(SchedulePerson(i, 3, unavailable=frozenset({1, 2})) for i in (1, 2)),
        companies=(
            SchedulePerson(10, 2, min_meetings=3),  # over its max_meetings
            SchedulePerson(11, 3, min_meetings=2, unavailable=frozenset({0, 1})),  # one slot
            SchedulePerson(12, 3, min_meetings=3),  # two investors it may meet
            SchedulePerson(13, 3, min_meetings=2),  # both investors free in slot 0 only
            SchedulePerson(14, 3, min_meetings=1),  # fine alone
        ),
        affinity={(i, c): 0.5 for i in (1, 2) for c in (10, 11, 12, 13, 14)},
    )
    violations = check_schedule(problem)
    assert [(v.kind, v.companies, v.needed, v.available) for v in violations] == [
        (ViolationKind.MINIMUM_OVER_MAXIMUM, (10,), 3, 2),
        (ViolationKind.TOO_FEW_SLOTS, (11,), 2, 1),
        (ViolationKind.TOO_FEW_INVESTORS, (12,), 3, 2),
        (ViolationKind.TOO_FEW_SHARED_SLOTS, (13,), 2, 1),
    ]
    assert violations[0].rules == (Rule.MIN_MEETINGS, Rule.MAX_MEETINGS)
    with pytest.raises(InfeasibleError) as info:
        solve_schedule(problem)
    assert info.value.violations == violations
    assert str(info.value) == 'company "10" needs 3 meetings but its max_meetings is 2'


def test_check_schedule_is_empty_when_each_minimum_holds_alone() -> None:
    """Minimums that hold alone but not together are found only by solving."""
    problem = ScheduleProblem(
        slots=2,
        investors=(SchedulePerson(1, 1), SchedulePerson(2, 1)),
        companies=(
            SchedulePerson(10, 2, min_meetings=2),
            SchedulePerson(11, 2, min_meetings=2),
        ),
        affinity={(1, 10): 0.5, (2, 10): 0.5, (1, 11): 0.5, (2, 11): 0.5},
    )
    assert check_schedule(problem) == []
    with pytest.raises(InfeasibleError) as info:
        solve_schedule(problem)
    [v] = info.value.violations
    assert v.kind is ViolationKind.MINIMUMS_TOGETHER
    feasible = ScheduleProblem(
        slots=2,
        investors=(SchedulePerson(1, 2),),
        companies=(SchedulePerson(10, 2, min_meetings=1),),
        affinity={(1, 10): 0.0},
    )
    assert check_schedule(feasible) == []
    assert len(solve_schedule(feasible).meetings) == 1
