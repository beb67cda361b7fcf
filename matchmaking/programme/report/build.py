"""The report as pages and exports show it: the numbers for a period and the
period before, the breakdown tables with their row names, and, for a
steering-group member or the public (``masked``), the small-cell rule applied.

Organisers see every number exact; :func:`build` with ``masked=True`` gives
what the steering group sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from matchmaking.extensions import db, utcnow
from matchmaking.programme.report import cells as small
from matchmaking.programme.report.facts import load
from matchmaking.programme.report.numbers import (
    COLUMNS,
    Cell,
    Numbers,
    Row,
    compute,
)
from matchmaking.programme.report.periods import Period
from matchmaking.programme.report.sessions import SESSION_COLUMNS, SessionRow, sessions_held
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

#: The breakdown tables, in the order the report shows them.
DIMENSIONS = ("subproject", "municipality", "sector", "stage")


@dataclass
class Group:
    """Rows under one heading (a region), with their subtotal; or the only group."""

    label: str | None
    rows: list[tuple[str, Row]]
    subtotal: Row | None = None


@dataclass
class Table:
    dimension: str
    groups: list[Group]
    total: Row


@dataclass
class Report:
    period: Period
    previous: Period
    current: Numbers
    before: Numbers
    tables: list[Table]
    sessions: list[SessionRow]
    sessions_total: dict[str, Cell]
    masked: bool


def build(period: Period, *, masked: bool, now: datetime | None = None) -> Report:
    now = now or utcnow()
    previous = period.previous()
    facts = load(period.ends_at)
    current = compute(facts, period)
    before = compute(facts, previous)
    tables = [_table(current, dimension) for dimension in DIMENSIONS]
    sessions = sessions_held(period, now)
    sessions_total = {
        c: Cell(
            sum(s.cells[c].value for s in sessions),
            sum(s.cells[c].count for s in sessions),
        )
        for c in SESSION_COLUMNS
    }
    report = Report(
        period, previous, current, before, tables, sessions, sessions_total, masked=masked
    )
    if masked:
        _mask(report)
    return report


def _names(dimension: str) -> list[tuple[int | None, str, int | None]]:
    """(id, name, region id) of every row a table lists, in display order."""
    if dimension == "subproject":
        subprojects = db.session.scalars(select(Subproject).order_by(Subproject.id))
        return [(s.id, s.name, None) for s in subprojects]
    if dimension == "municipality":
        municipalities = db.session.scalars(select(Municipality).order_by(Municipality.name))
        return [(m.id, m.name, m.region_id) for m in municipalities]
    if dimension == "sector":
        sectors = db.session.scalars(select(Sector))
        return sorted(((s.id, s.name, None) for s in sectors), key=lambda t: t[1])
    stages = db.session.scalars(select(Stage).order_by(Stage.position))
    return [(s.id, s.name, None) for s in stages]


def _table(numbers: Numbers, dimension: str) -> Table:
    from flask_babel import gettext

    rows = numbers.breakdowns[dimension]
    listed = _names(dimension)
    if dimension == "subproject":
        listed.append((None, gettext("No sub-project given"), None))
    named: list[tuple[str, Row, int | None]] = []
    for key, name, region in listed:
        row = rows.get(key)
        if row is None:
            row = Row(key)
        named.append((name, row, region))
    if dimension != "municipality":
        return Table(dimension, [Group(None, [(n, r) for n, r, _ in named])], numbers.total)
    regions = db.session.scalars(select(Region).order_by(Region.id))
    groups = []
    for region in regions:
        members = [(n, r) for n, r, g in named if g == region.id]
        if not members:
            continue
        subtotal = Row(region.id)
        for column in COLUMNS:
            subtotal.cells[column] = Cell(
                sum(r.cells[column].value for _, r in members),
                sum(r.cells[column].count for _, r in members),
            )
        groups.append(Group(region.name, members, subtotal))
    return Table(dimension, groups, numbers.total)


def _mask(report: Report) -> None:
    for table in report.tables:
        for column in COLUMNS:
            _mask_column(table, column)
    for numbers in (report.current, report.before):
        _mask_funnel(numbers)
        for column in COLUMNS:
            cell = numbers.total.cells[column]
            cell.hidden = cell.hidden or small.is_small(cell.count)
        investors = numbers.investors
        for cell in (investors.approved, investors.new, investors.active):
            cell.hidden = small.is_small(cell.count)
    for column in SESSION_COLUMNS:
        counts = [s.cells[column].count for s in report.sessions]
        hidden, hide_total = small.suppress(counts)
        for session, h in zip(report.sessions, hidden, strict=True):
            session.cells[column].hidden = h
        report.sessions_total[column].hidden = hide_total


def _mask_column(table: Table, column: str) -> None:
    if len(table.groups) == 1 and table.groups[0].subtotal is None:
        rows = [r for _, r in table.groups[0].rows]
        hidden, hide_total = small.suppress([r.cells[column].count for r in rows])
        for row, h in zip(rows, hidden, strict=True):
            row.cells[column].hidden = h
        table.total.cells[column].hidden |= hide_total
        return
    groups = [[r.cells[column].count for _, r in g.rows] for g in table.groups]
    hidden_cells, hidden_subtotals, hide_whole = small.suppress_groups(groups)
    for group, hidden, subtotal_hidden in zip(
        table.groups, hidden_cells, hidden_subtotals, strict=True
    ):
        for (_, row), h in zip(group.rows, hidden, strict=True):
            row.cells[column].hidden = h
        if group.subtotal is not None:
            group.subtotal.cells[column].hidden = subtotal_hidden
    table.total.cells[column].hidden |= hide_whole


def _mask_funnel(numbers: Numbers) -> None:
    funnel = numbers.funnel
    for cell in funnel.steps:
        cell.hidden = small.is_small(cell.count)
    # Where the cohort is at the end adds up to the submitted: one group.
    parts = [*funnel.stopped.values(), funnel.under_way, funnel.steps[-1]]
    hidden, hide_total = small.suppress([c.count for c in parts])
    for cell, h in zip(parts, hidden, strict=True):
        cell.hidden = cell.hidden or h
    funnel.steps[0].hidden = funnel.steps[0].hidden or hide_total
