"""Tests for the command line ``python -m matchmaking.engine rank|lineup|schedule``.

Run with ``pytest tests/engine --confcutdir=tests/engine``. Most tests call
:func:`matchmaking.engine.cli.main` in this process (fast); a few run the
real command in a subprocess. Each kind of bad input, for each verb, must
give exit status 2, exactly one line ``error: ...`` on standard error that
names the field, no traceback and no output file.
"""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from matchmaking.engine import cli

ROOT = Path(__file__).resolve().parents[2]

RANK: dict[str, Any] = {
    "investors": [
        {
            "id": "inv-1",
            "sectors": ["marine", "tourism"],
            "stages": ["pre-seed", "seed"],
            "ticket_min": 100000,
            "ticket_max": 1000000,
            "municipalities": ["narvik", "evenes"],
            "subprojects": ["marin-kartlegging"],
            "thesis": "Sjømat og havbruk i Ofoten; seafood and aquaculture.",
        },
        {
            "id": "inv-2",
            "sectors": [],
            "stages": [],
            "ticket_min": 0,
            "ticket_max": 50000,
            "municipalities": ["ofoten"],
            "subprojects": [],
        },
    ],
    "pitches": [
        {
            "id": "p-1",
            "sector": "marine",
            "stage": "seed",
            "ask": 2000000,
            "min_ticket": 250000,
            "municipality": "narvik",
            "subproject": "marin-kartlegging",
            "text": "Tareoppdrett og sjømateksport fra Ofotfjorden.",
        },
        {
            "id": "p-3",
            "sector": "tourism",
            "stage": "idea",
            "ask": 500000,
            "min_ticket": 10000,
            "municipality": "harstad",
        },
        {
            "id": "p-2",
            "sector": "energy",
            "stage": "seed",
            "ask": 300000,
            "min_ticket": 0,
            "municipality": "tysfjord",
            "subproject": None,
            "text": "Hydrogen for ferger.",
        },
    ],
    "conflicts": [["inv-1", "p-3"]],
    "regions": {
        "ofoten": ["narvik", "evenes", "tjeldsund", "ballangen", "tysfjord"],
        "sor-troms": ["harstad", "kvaefjord"],
    },
    "top": 20,
}

LINEUP: dict[str, Any] = {
    "slots": 2,
    "attendees": ["inv-1", "inv-2"],
    "candidates": [
        {"id": "p-1", "municipality": "narvik", "subproject": "marin-kartlegging", "bonus": 0.2},
        {"id": "p-4", "municipality": "evenes", "subproject": None},
        {"id": "p-7", "municipality": "harstad"},
        {"id": "p-9", "municipality": "narvik"},
    ],
    "affinity": [["inv-1", "p-1", 0.82], ["inv-2", "p-4", 0.5], ["inv-2", "p-9", 0.9]],
    "min_per_subproject": {"marin-kartlegging": 1},
    "max_per_municipality": 2,
    "pinned": ["p-7"],
    "excluded": ["p-9"],
}

SCHEDULE: dict[str, Any] = {
    "slots": 3,
    "investors": [{"id": "inv-1", "max_meetings": 2, "unavailable": [0]}, {"id": "inv-2"}],
    "companies": [
        {"id": "p-1", "max_meetings": 3, "min_meetings": 1, "unavailable": []},
        {"id": "p-2"},
    ],
    "affinity": [
        ["inv-1", "p-1", 0.82],
        ["inv-2", "p-1", 0.4],
        ["inv-1", "p-2", 0.3],
        ["inv-2", "p-2", 0.9],
    ],
    "conflicts": [["inv-2", "p-1"]],
}

BASE = {"rank": RANK, "lineup": LINEUP, "schedule": SCHEDULE}
HUGE = "__1e400__"  # written into the input as the number 1e400 (a float overflow)


def run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str, data: bytes | object
) -> tuple[int, str | None, str]:
    """Run the command in this process: (status, output or None, standard error)."""
    source = tmp_path / "in.json"
    text = data if isinstance(data, bytes) else json.dumps(data).encode()
    source.write_bytes(text.replace(f'"{HUGE}"'.encode(), b"1e400"))
    target = tmp_path / "out.json"
    capsys.readouterr()
    status = cli.main([verb, str(source), "-o", str(target)])
    err = capsys.readouterr().err
    out = target.read_text(encoding="utf-8") if target.exists() else None
    return status, out, err


def assert_bad(status: int, out: str | None, err: str, fragment: str, tmp_path: Path) -> None:
    assert status == 2
    assert out is None, "an output file was written"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"], "stray files"
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    assert fragment in lines[0], lines[0]


def changed(verb: str, path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A copy of the verb's valid input with the item at ``path`` set (or deleted: ...)."""
    data = copy.deepcopy(BASE[verb])
    node: Any = data
    for step in path[:-1]:
        node = node[step]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


# -- success ---------------------------------------------------------------


@pytest.mark.parametrize("verb", ["rank", "lineup", "schedule"])
def test_valid_input_gives_status_0_and_the_same_bytes_twice(
    verb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, first, err = run(tmp_path, capsys, verb, BASE[verb])
    assert (status, err) == (0, "")
    assert first is not None
    assert first.endswith("}\n")
    status, second, _ = run(tmp_path, capsys, verb, BASE[verb])
    assert status == 0
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.json"]


def test_rank_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(tmp_path, capsys, "rank", RANK)
    assert status == 0
    assert out is not None
    rankings = json.loads(out)["rankings"]
    assert list(rankings) == ["inv-1", "inv-2"]
    assert [m["pitch"] for m in rankings["inv-1"]] == ["p-1", "p-2"]  # p-3 is a conflict
    assert [m["pitch"] for m in rankings["inv-2"]] == ["p-2", "p-3"]  # p-1 needs 250 000
    for matches in rankings.values():
        for m in matches:
            assert list(m) == ["pitch", "score", "reasons"]
            assert list(m["reasons"]) == [
                "sector", "stage", "ticket", "geography", "subproject", "text",
            ]  # fmt: skip
            assert abs(sum(m["reasons"].values()) - m["score"]) <= 1e-6
            assert all(v >= 0 for v in m["reasons"].values())
            assert 0 <= m["score"] <= 1
            assert len(repr(m["score"]).split(".")[-1]) <= 6


def test_rank_top_limits_each_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(tmp_path, capsys, "rank", changed("rank", ("top",), 1))
    assert status == 0
    assert out is not None
    assert [len(v) for v in json.loads(out)["rankings"].values()] == [1, 1]


def test_rank_optional_keys_may_be_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = {"investors": copy.deepcopy(RANK["investors"]), "pitches": RANK["pitches"]}
    del data["investors"][0]["thesis"]
    status, out, _ = run(tmp_path, capsys, "rank", data)
    assert status == 0
    assert out is not None
    assert [m["pitch"] for m in json.loads(out)["rankings"]["inv-1"]][:1] == ["p-1"]


def test_rank_with_nobody_or_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(tmp_path, capsys, "rank", {"investors": [], "pitches": []})
    assert status == 0
    assert out == '{\n  "rankings": {}\n}\n'
    status, out, _ = run(tmp_path, capsys, "rank", {**RANK, "pitches": [], "conflicts": []})
    assert status == 0
    assert out is not None
    assert json.loads(out) == {"rankings": {"inv-1": [], "inv-2": []}}


@pytest.mark.parametrize(
    ("verb", "path"),
    [
        ("rank", ("top",)),
        ("rank", ("pitches", 0, "subproject")),
        ("lineup", ("max_per_municipality",)),
        ("lineup", ("candidates", 2, "subproject")),
    ],
)
def test_null_means_none_where_the_spec_allows_it(
    verb: str, path: tuple[Any, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(tmp_path, capsys, verb, changed(verb, path, None))
    assert status == 0, err


def test_lineup_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(tmp_path, capsys, "lineup", LINEUP)
    assert status == 0, err
    assert out is not None
    result = json.loads(out)
    assert list(result) == ["lineup", "value", "bound", "optimal", "best_for"]
    assert sorted(result["lineup"]) == ["p-1", "p-7"]  # p-7 pinned, p-1 for the quota
    assert result["value"] == pytest.approx(1.02, abs=1e-6)  # 0.82 + bonus 0.2
    assert result["bound"] >= result["value"] - 1e-6
    assert result["optimal"] is True
    assert result["best_for"] == {"inv-1": "p-1", "inv-2": None}


def test_schedule_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(tmp_path, capsys, "schedule", SCHEDULE)
    assert status == 0, err
    assert out is not None
    result = json.loads(out)
    assert list(result) == ["meetings", "value", "bound", "optimal"]
    meetings = result["meetings"]
    assert {(m["investor"], m["company"]) for m in meetings} == {
        ("inv-1", "p-1"),
        ("inv-1", "p-2"),
        ("inv-2", "p-2"),
    }
    keys = [(m["slot"], m["investor"], m["company"]) for m in meetings]
    assert keys == sorted(keys)
    assert all(list(m) == ["investor", "company", "slot"] for m in meetings)
    assert all(m["slot"] != 0 for m in meetings if m["investor"] == "inv-1")
    assert result["value"] == pytest.approx(2.02, abs=1e-6)
    assert result["optimal"] is True


def test_standard_input_and_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(RANK).encode())))
    assert cli.main(["rank"]) == 0
    printed = capsys.readouterr().out
    status, from_file, _ = run(tmp_path, capsys, "rank", RANK)
    assert status == 0
    assert printed == from_file


def test_a_byte_order_mark_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(tmp_path, capsys, "rank", b"\xef\xbb\xbf" + json.dumps(RANK).encode())
    assert status == 0
    assert out is not None


def test_output_file_permissions_follow_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, _ = run(tmp_path, capsys, "rank", RANK)
    assert status == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o666 & ~umask


# -- bad input, each kind, each verb ----------------------------------------

BAD_FIELDS = [
    # rank: the top level
    ("rank", ("colour",), "red", "colour: unknown key"),
    ("rank", ("investors",), ..., "investors: missing"),
    ("rank", ("investors",), {}, "investors: must be an array"),
    ("rank", ("top",), 0, "top: must be an integer >= 1"),
    ("rank", ("top",), 2.5, "top: must be an integer"),
    ("rank", ("top",), True, "top: must be an integer"),
    ("rank", ("top",), "5", "top: must be an integer"),
    ("rank", ("regions",), [], "regions: must be a JSON object"),
    ("rank", ("regions", "ofoten"), "narvik", "regions.ofoten: must be an array"),
    ("rank", ("regions", "ofoten", 1), "narvik", 'regions.ofoten[1]: "narvik" is listed twice'),
    ("rank", ("regions", ""), [], "regions: a region slug"),
    # rank: investors
    ("rank", ("investors", 0), [], "investors[0]: must be a JSON object"),
    ("rank", ("investors", 0, "colour"), 1, "investors[0].colour: unknown key"),
    ("rank", ("investors", 0, "sectors"), ..., "investors[0].sectors: missing"),
    ("rank", ("investors", 0, "id"), "", "investors[0].id: must be a non-empty string"),
    ("rank", ("investors", 0, "id"), 7, "investors[0].id: must be a non-empty string"),
    ("rank", ("investors", 1, "id"), "inv-1", 'investors[1].id: "inv-1" is declared twice'),
    ("rank", ("investors", 0, "sectors"), "marine", "investors[0].sectors: must be an array"),
    ("rank", ("investors", 0, "sectors", 1), "marine", 'investors[0].sectors[1]: "marine" is'),
    ("rank", ("investors", 0, "stages", 0), "", "investors[0].stages[0]"),
    ("rank", ("investors", 0, "municipalities", 0), None, "investors[0].municipalities[0]"),
    ("rank", ("investors", 0, "subprojects", 0), 3, "investors[0].subprojects[0]"),
    ("rank", ("investors", 0, "ticket_min"), True, "investors[0].ticket_min: must be a whole"),
    ("rank", ("investors", 0, "ticket_min"), 1.5, "investors[0].ticket_min: must be a whole"),
    ("rank", ("investors", 0, "ticket_min"), 1000.0, "investors[0].ticket_min: must be a whole"),
    ("rank", ("investors", 0, "ticket_min"), -1, "investors[0].ticket_min"),
    ("rank", ("investors", 0, "ticket_min"), "100", "investors[0].ticket_min"),
    ("rank", ("investors", 0, "ticket_max"), 2**63, "investors[0].ticket_max"),
    (
        "rank",
        ("investors", 0, "ticket_min"),
        2000000,
        "investors[0].ticket_min: 2000000 is greater",
    ),
    ("rank", ("investors", 0, "thesis"), None, "investors[0].thesis: must be a string"),
    # rank: pitches
    ("rank", ("pitches", 0, "ask"), ..., "pitches[0].ask: missing"),
    ("rank", ("pitches", 0, "ask"), HUGE, "pitches[0].ask: must be a whole number"),
    ("rank", ("pitches", 0, "min_ticket"), 3000000, "pitches[0].min_ticket: 3000000 is greater"),
    ("rank", ("pitches", 0, "sector"), "", "pitches[0].sector: must be a non-empty string"),
    ("rank", ("pitches", 0, "subproject"), 5, "pitches[0].subproject"),
    ("rank", ("pitches", 0, "text"), ["a"], "pitches[0].text: must be a string"),
    ("rank", ("pitches", 2, "id"), "p-1", 'pitches[2].id: "p-1" is declared twice'),
    # rank: conflicts
    ("rank", ("conflicts", 0), ["inv-9", "p-3"], 'conflicts[0]: investor "inv-9" is not declared'),
    ("rank", ("conflicts", 0), ["inv-1", "p-9"], 'conflicts[0]: pitch "p-9" is not declared'),
    ("rank", ("conflicts",), [["inv-1", "p-3"], ["inv-1", "p-3"]], "conflicts[1]: the pair"),
    ("rank", ("conflicts", 0), ["inv-1"], "conflicts[0]: must be an array [investor, pitch]"),
    ("rank", ("conflicts", 0), ["inv-1", 3], "conflicts[0][1]"),
    ("rank", ("conflicts",), {}, "conflicts: must be an array"),
    # lineup
    ("lineup", ("slots",), 0, "slots: must be an integer >= 1"),
    ("lineup", ("slots",), -3, "slots: must be an integer >= 1"),
    ("lineup", ("slots",), 2.0, "slots: must be an integer"),
    ("lineup", ("slots",), True, "slots: must be an integer"),
    ("lineup", ("slots",), ..., "slots: missing"),
    ("lineup", ("bonus",), 1, "bonus: unknown key"),
    ("lineup", ("attendees", 1), "inv-1", 'attendees[1]: "inv-1" is listed twice'),
    ("lineup", ("attendees", 0), "", "attendees[0]: must be a non-empty string"),
    ("lineup", ("candidates", 0, "colour"), "red", "candidates[0].colour: unknown key"),
    ("lineup", ("candidates", 1, "id"), "p-1", 'candidates[1].id: "p-1" is declared twice'),
    ("lineup", ("candidates", 0, "municipality"), ..., "candidates[0].municipality: missing"),
    (
        "lineup",
        ("candidates", 0, "bonus"),
        -0.1,
        "candidates[0].bonus: must be a number in [0, 1e+06]",
    ),
    ("lineup", ("candidates", 0, "bonus"), "high", "candidates[0].bonus: must be a number"),
    ("lineup", ("candidates", 0, "bonus"), False, "candidates[0].bonus: must be a number"),
    ("lineup", ("candidates", 0, "subproject"), "", "candidates[0].subproject"),
    ("lineup", ("affinity", 0), ["inv-9", "p-1", 0.5], 'affinity[0]: attendee "inv-9" is not'),
    ("lineup", ("affinity", 2), ["inv-1", "p-8", 0.5], 'affinity[2]: candidate "p-8" is not'),
    ("lineup", ("affinity", 0, 2), 1.5, "affinity[0][2]: must be a number in [0, 1]"),
    ("lineup", ("affinity", 0, 2), -0.5, "affinity[0][2]: must be a number in [0, 1]"),
    ("lineup", ("affinity", 0, 2), True, "affinity[0][2]: must be a number"),
    ("lineup", ("affinity", 0, 2), HUGE, "affinity[0][2]: must be a finite number"),
    ("lineup", ("affinity", 0, 2), 10**400, "affinity[0][2]: must be a finite number"),
    ("lineup", ("candidates", 0, "bonus"), 10**400, "candidates[0].bonus: must be a finite"),
    ("lineup", ("affinity", 1), ["inv-1", "p-1", 0.1], "affinity[1]: the pair"),
    ("lineup", ("affinity", 0), ["inv-1", "p-1"], "affinity[0]: must be an array"),
    ("lineup", ("affinity",), ..., "affinity: missing"),
    ("lineup", ("min_per_subproject",), [], "min_per_subproject: must be a JSON object"),
    ("lineup", ("min_per_subproject", "marin-kartlegging"), -1, "min_per_subproject.marin-kart"),
    ("lineup", ("min_per_subproject", "marin-kartlegging"), 0.5, "min_per_subproject.marin-"),
    ("lineup", ("max_per_municipality",), 0, "max_per_municipality: must be an integer >= 1"),
    ("lineup", ("max_per_municipality",), "2", "max_per_municipality: must be an integer"),
    ("lineup", ("pinned", 0), "p-8", 'pinned[0]: candidate "p-8" is not declared'),
    ("lineup", ("excluded", 0), "p-8", 'excluded[0]: candidate "p-8" is not declared'),
    ("lineup", ("pinned",), ["p-7", "p-7"], 'pinned[1]: "p-7" is listed twice'),
    ("lineup", ("pinned",), "p-7", "pinned: must be an array"),
    # lineup: constraints no lineup can meet (the solver names them)
    ("lineup", ("pinned",), ["p-9"], "pinned"),
    ("lineup", ("min_per_subproject", "stedsutvikling"), 1, "stedsutvikling"),
    # schedule
    ("schedule", ("slots",), 0, "slots: must be an integer >= 1"),
    ("schedule", ("slots",), 1001, "slots: must be at most 1000"),
    ("schedule", ("slots",), "3", "slots: must be an integer"),
    ("schedule", ("rooms",), 2, "rooms: unknown key"),
    ("schedule", ("companies",), ..., "companies: missing"),
    ("schedule", ("investors", 0, "min_meetings"), 1, "investors[0].min_meetings: unknown key"),
    ("schedule", ("investors", 0, "max_meetings"), -1, "investors[0].max_meetings"),
    ("schedule", ("investors", 0, "max_meetings"), 1.5, "investors[0].max_meetings"),
    ("schedule", ("investors", 0, "unavailable", 0), 3, "investors[0].unavailable[0]: must be"),
    ("schedule", ("investors", 0, "unavailable", 0), -1, "investors[0].unavailable[0]"),
    ("schedule", ("investors", 0, "unavailable"), [1, 1], "investors[0].unavailable[1]: slot 1"),
    ("schedule", ("investors", 0, "unavailable"), 1, "investors[0].unavailable: must be an"),
    ("schedule", ("investors", 1, "id"), "inv-1", 'investors[1].id: "inv-1" is declared twice'),
    ("schedule", ("companies", 0, "colour"), 1, "companies[0].colour: unknown key"),
    ("schedule", ("companies", 0, "min_meetings"), True, "companies[0].min_meetings"),
    ("schedule", ("companies", 1, "id"), "p-1", 'companies[1].id: "p-1" is declared twice'),
    ("schedule", ("affinity", 0), ["inv-9", "p-1", 0.5], 'affinity[0]: investor "inv-9" is'),
    ("schedule", ("affinity", 0), ["inv-1", "p-9", 0.5], 'affinity[0]: company "p-9" is'),
    ("schedule", ("affinity", 3, 2), 2, "affinity[3][2]: must be a number in [0, 1]"),
    ("schedule", ("affinity", 1), ["inv-1", "p-1", 0.5], "affinity[1]: the pair"),
    ("schedule", ("conflicts", 0), ["inv-2", "p-9"], 'conflicts[0]: company "p-9" is not'),
    ("schedule", ("conflicts",), [["inv-2", "p-1"], ["inv-2", "p-1"]], "conflicts[1]: the pair"),
    # schedule: minimums no schedule can meet (the solver names the company)
    ("schedule", ("companies", 1, "min_meetings"), 3, "p-2"),
    # text that cannot be written back as UTF-8, and sums that cannot stay finite
    ("rank", ("investors", 0, "id"), "\ud800", "investors[0].id: is not valid text"),
    (
        "lineup",
        ("candidates", 0, "bonus"),
        1e308,
        "candidates[0].bonus: must be a number in [0, 1e+06]",
    ),
]


@pytest.mark.parametrize(("verb", "path", "value", "fragment"), BAD_FIELDS)
def test_bad_field(
    verb: str,
    path: tuple[Any, ...],
    value: Any,
    fragment: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(tmp_path, capsys, verb, changed(verb, path, value))
    assert_bad(status, out, err, fragment, tmp_path)


BAD_DOCUMENTS = [
    (b"", "input: not valid JSON"),
    (b'{"investors": [', "input: not valid JSON"),
    (b"[]", "input: must be a JSON object"),
    (b'"rank"', "input: must be a JSON object"),
    (b"\xff\xfe{}", "input: not valid UTF-8"),
    (b'{"a": 1, "a": 2}', 'input: the key "a" appears twice'),
    (b'{"slots": NaN}', "input: NaN is not allowed"),
    (b'{"slots": Infinity}', "input: Infinity is not allowed"),
    (b'{"slots": -Infinity}', "input: -Infinity is not allowed"),
    (b"[" * 100_000 + b"]" * 100_000, "input: nested too deeply"),
    (b'{"slots": 1' + b"0" * 5000 + b"}", "input: not valid JSON"),
]


@pytest.mark.parametrize("verb", ["rank", "lineup", "schedule"])
@pytest.mark.parametrize(("data", "fragment"), BAD_DOCUMENTS)
def test_bad_document(
    verb: str, data: bytes, fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(tmp_path, capsys, verb, data)
    assert_bad(status, out, err, fragment, tmp_path)


def test_an_id_with_a_newline_stays_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = changed("rank", ("conflicts", 0), ["inv\nX", "p-1"])
    status, out, err = run(tmp_path, capsys, "rank", data)
    assert_bad(status, out, err, 'conflicts[0]: investor "inv\\nX" is not declared', tmp_path)


def test_a_failed_run_leaves_an_existing_output_file_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n")
    source = tmp_path / "in.json"
    source.write_text("{")
    assert cli.main(["rank", str(source), "-o", str(target)]) == 2
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.json"]


# -- files and the command line itself -------------------------------------


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


def test_unreadable_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rank", str(tmp_path / "missing.json")]) == 2
    assert "missing.json" in one_error_line(capsys)
    assert cli.main(["rank", str(tmp_path)]) == 2  # a directory
    assert "input: cannot read" in one_error_line(capsys)


def test_unwritable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(RANK))
    assert cli.main(["rank", str(source), "-o", str(tmp_path / "no" / "out.json")]) == 2
    assert "output: cannot write" in one_error_line(capsys)
    assert cli.main(["rank", str(source), "-o", str(tmp_path)]) == 2  # a directory
    assert "output: cannot write" in one_error_line(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        ([], "verb"),
        (["rnk"], "rnk"),
        (["rank", "a.json", "b.json"], "b.json"),
        (["lineup", "--time-limit", "0"], "--time-limit"),
        (["lineup", "--time-limit", "soon"], "--time-limit"),
        (["rank", "--colour"], "--colour"),
    ],
)
def test_bad_command_line(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 2
    assert fragment in one_error_line(capsys)


@pytest.mark.parametrize("verb", ["lineup", "schedule"])
@pytest.mark.parametrize(
    "value", ["1e308", "3600.001", "inf", "-inf", "nan", "1e400", "-1", "0", "-0.0", "1e-400"]
)
def test_a_time_limit_out_of_range_is_refused(
    verb: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An hour at most (``cli.MAX_TIME_LIMIT``); more than 0; never NaN or infinite:
    ``--time-limit 1e308`` would let the solvers run without end."""
    source = tmp_path / "in.json"
    source.write_text(json.dumps(LINEUP if verb == "lineup" else SCHEDULE))
    target = tmp_path / "out.json"
    assert cli.main([verb, str(source), "-o", str(target), f"--time-limit={value}"]) == 2
    line = one_error_line(capsys)
    assert "--time-limit" in line
    assert "at most 3600 seconds" in line
    assert not target.exists()


@pytest.mark.parametrize("value", ["3600", "0.01"])
def test_a_time_limit_at_the_edges_is_accepted(value: str, tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(LINEUP))
    assert (
        cli.main(["lineup", str(source), "-o", str(tmp_path / "out.json"), "--time-limit", value])
        == 0
    )


def test_command_refuses_a_huge_time_limit() -> None:
    result = command("lineup", "--time-limit", "1e308", stdin=json.dumps(LINEUP).encode())
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().startswith("error: argument --time-limit: must be more than 0")


def test_an_internal_fault_is_one_line_with_status_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(data: object, time_limit: float | None) -> dict[str, Any]:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setitem(cli._VERBS, "rank", (broken, 3))
    status, out, err = run(tmp_path, capsys, "rank", RANK)
    assert status == 1
    assert out is None
    assert err == "error: internal error: RuntimeError: boom second line\n"


def test_time_limit_reaches_the_solvers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import matchmaking.engine.schedule as schedule

    seen: list[float] = []
    real = schedule.solve_schedule

    def spy(problem: Any, *, time_limit: float = 30.0) -> Any:
        seen.append(time_limit)
        return real(problem, time_limit=time_limit)

    monkeypatch.setattr(schedule, "solve_schedule", spy)
    source = tmp_path / "in.json"
    source.write_text(json.dumps(SCHEDULE))
    assert cli.main(["schedule", str(source), "--time-limit", "2.5"]) == 0
    assert seen == [2.5]


# -- the real command, in a subprocess -------------------------------------


def command(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "matchmaking.engine", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_command_reads_standard_input_and_writes_standard_output(tmp_path: Path) -> None:
    data = json.dumps(RANK).encode()
    first = command("rank", stdin=data)
    second = command("rank", stdin=data)
    assert first.returncode == 0, first.stderr
    assert first.stderr == b""
    assert first.stdout == second.stdout
    target = tmp_path / "out.json"
    source = tmp_path / "in.json"
    source.write_bytes(data)
    to_file = command("rank", str(source), "-o", str(target))
    assert to_file.returncode == 0
    assert to_file.stdout == b""
    assert target.read_bytes() == first.stdout


def test_command_on_bad_input_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = command("schedule", "-o", str(target), stdin=b'{"slots": 2, "investors": [}')
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: input: not valid JSON")
    assert not target.exists()


def test_command_help() -> None:
    result = command("--help")
    assert result.returncode == 0
    for verb in (b"rank", b"lineup", b"schedule"):
        assert verb in result.stdout
