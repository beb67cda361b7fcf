"""Stored match scores: the adapter between database rows and the engine's ``rank``.

Scores are stored in ``match_score``, not computed per page view. They are
recomputed

- for one investor when their profile changes or they are approved or
  rejected (:func:`recompute_for_investor`, called by the investors views);
- for one proposal when it enters or leaves :data:`MATCHABLE` (submitted,
  resubmitted, declined, withdrawn, closed, ...; :func:`recompute_for_proposal`,
  called by ``proposals.services.transition`` and ``enter_dialogue``);
- all at once by ``flask --app wsgi matches recompute`` (:func:`recompute_all`,
  meant for a nightly cron job and after bulk imports).

Who is matched: approved investors with a profile whose account is not
disabled, against proposals whose status is in :data:`MATCHABLE`. An
investor never matches a proposal of a company they own (passed to the
engine as conflicts). Each investor keeps the best :data:`TOP_N` pairs that
the engine does not exclude (ticket ranges that do not meet are excluded).

**Consistency.** The engine fits its TF-IDF text model on the texts it is
given, so ranking one investor (or one proposal) alone would score the text
on a different corpus than a full run, and the stored scores would drift
apart depending on which recompute last touched a row. So every recompute
ranks *all* investors against *all* matchable proposals, on the same corpus
as the full run, and then writes only what is in its scope:

- per investor: that investor's rows;
- per proposal: the rows of the investors that had the proposal among their
  stored best N or have it now, replaced by their fresh best N (so a new
  proposal pushes out the weakest, a withdrawn one is replaced by the next
  best);
- all: every row.

The price is the time of a full ranking per recompute (4-11 s at 2,000
investors x 10,000 proposals on a busy 2-core machine, see docs/benchmarks.md, "Benchmarks (web)"; a few
milliseconds at the size of a regional network). The rows outside the scope
keep the scores of the last run that wrote them: adding one text moves the
text model's weights a little for everybody, so those scores may differ from
a fresh full run in the last decimals until the next
:func:`recompute_all`, which the nightly command brings back in line.

Writing is a diff: pairs that left are deleted, new pairs inserted (their
``first_seen_at`` is now), pairs whose score or reasons changed updated; a
pair that stays keeps its ``first_seen_at``. ``computed_at`` is set to now
on every row of the scope (the time the row was last confirmed). Rows are
written in bulk (executemany in chunks), not one ORM object per row.

Functions flush, never commit; the caller commits once.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, TypeVar

from sqlalchemy import Table, bindparam, delete, func, insert, select, update

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.engine import REASONS, RankedMatch, RankInvestor, RankPitch, rank
from matchmaking.extensions import db, utcnow
from matchmaking.investors.models import (
    InvestorProfile,
    investor_municipality,
    investor_region,
    investor_sector,
    investor_stage,
    investor_subproject,
)
from matchmaking.matches.models import MatchScore
from matchmaking.proposals.lifecycle import MATCHABLE
from matchmaking.proposals.models import Company, Proposal, Status
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

__all__ = [
    "TOP_N",
    "Recomputed",
    "is_matchable",
    "load_investors",
    "load_pitches",
    "rank_investor",
    "rank_pitch",
    "rankable",
    "reasons_json",
    "recompute_all",
    "recompute_for_investor",
    "recompute_for_proposal",
    "region_members",
]

#: The pairs stored per investor: the best 200. The matches page pages
#: through them with filters; 200 is far more than anyone reads, and keeps
#: the table at 400,000 rows for 2,000 investors whatever the number of
#: proposals.
TOP_N: Final = 200

# Rows per executemany / ids per IN list.
_CHUNK: Final = 2000
_IN_CHUNK: Final = 500

_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def is_matchable(status: Status) -> bool:
    """Whether a proposal in ``status`` is matched to investors."""
    return status in MATCHABLE


# Adapters: one object ---------------------------------------------------------


def _pitch_text(title: str, teaser: str, description: str) -> str:
    return "\n".join(part for part in (title, teaser, description) if part)


def _investor(
    user_id: int,
    ticket_min: int,
    ticket_max: int,
    thesis: str,
    sectors: Iterable[str],
    stages: Iterable[str],
    places: Iterable[str],
    subprojects: Iterable[str],
) -> RankInvestor:
    return RankInvestor(
        id=user_id,
        ticket_min=ticket_min,
        ticket_max=ticket_max,
        sectors=tuple(sorted(set(sectors))),
        stages=tuple(sorted(set(stages))),
        municipalities=tuple(sorted(set(places))),
        subprojects=tuple(sorted(set(subprojects))),
        thesis=thesis or "",
    )


def rank_investor(profile: InvestorProfile) -> RankInvestor:
    """An investor profile as the engine sees it (id: the user's id).

    The named municipalities and the slugs of the named regions go into one
    list (the engine takes a region slug to mean all its municipalities,
    given :func:`region_members`). Lists are sorted, so equal profiles give
    equal inputs.
    """
    return _investor(
        profile.user_id,
        profile.ticket_min,
        profile.ticket_max,
        profile.thesis,
        (s.slug for s in profile.sectors),
        (s.slug for s in profile.stages),
        [m.slug for m in profile.municipalities] + [r.slug for r in profile.regions],
        (s.slug for s in profile.subprojects),
    )


def rank_pitch(proposal: Proposal) -> RankPitch:
    """A proposal as the engine sees it (id: the proposal's id).

    The municipality is the company's; the text is the title, the teaser
    and the confidential description (the investors who see matches are
    approved, so they may read all three).
    """
    return RankPitch(
        id=proposal.id,
        sector=proposal.sector.slug,
        stage=proposal.stage.slug,
        ask=proposal.ask,
        min_ticket=proposal.min_ticket,
        municipality=proposal.company.municipality.slug,
        subproject=proposal.subproject.slug if proposal.subproject is not None else None,
        text=_pitch_text(proposal.title, proposal.teaser, proposal.description),
    )


def rankable(user: User) -> bool:
    """Whether ``user`` is matched: an approved, enabled investor with a profile."""
    if user.role is not Role.INVESTOR or user.investor_status is not InvestorStatus.APPROVED:
        return False
    if user.disabled_at is not None:
        return False
    found = db.session.scalar(select(InvestorProfile.id).where(InvestorProfile.user_id == user.id))
    return found is not None


# '{"sector":%r,...}': a float's repr is its JSON text (the engine's are finite),
# and formatting is four times faster than json.dumps over 400,000 rows.
_REASONS_FORMAT: Final = "{" + ",".join(f'"{name}":%r' for name in REASONS) + "}"


def reasons_json(match: RankedMatch) -> str:
    """The engine's reasons as the JSON text stored in ``MatchScore.reasons``:
    ``{"sector": 0.25, ...}`` in the order of :data:`REASONS`, no spaces."""
    return _REASONS_FORMAT % tuple(float(match.reasons[name]) for name in REASONS)


# Adapters: everything at once ------------------------------------------------


def region_members() -> dict[str, list[str]]:
    """``{region slug: [municipality slugs]}`` from the reference tables (retired too:
    a retired row keeps working where it is used)."""
    query = (
        select(Region.slug, Municipality.slug)
        .join(Municipality, Municipality.region_id == Region.id)
        .order_by(Region.slug, Municipality.slug)
    )
    out: dict[str, list[str]] = {}
    for region, municipality in db.session.execute(query):
        out.setdefault(region, []).append(municipality)
    return out


def _slugs_by_profile(link: Table, model: Any, column: str) -> dict[int, list[str]]:
    query = select(link.c.profile_id, model.slug).join(model, model.id == link.c[column])
    out: dict[int, list[str]] = {}
    for profile_id, slug in db.session.execute(query):
        out.setdefault(profile_id, []).append(slug)
    return out


def load_investors() -> list[RankInvestor]:
    """Every approved, enabled investor with a profile, by user id.

    One query per preference list, not one per investor.
    """
    query = (
        select(
            InvestorProfile.id,
            InvestorProfile.user_id,
            InvestorProfile.ticket_min,
            InvestorProfile.ticket_max,
            InvestorProfile.thesis,
        )
        .join(User, User.id == InvestorProfile.user_id)
        .where(
            User.role == Role.INVESTOR,
            User.investor_status == InvestorStatus.APPROVED,
            User.disabled_at.is_(None),
        )
        .order_by(InvestorProfile.user_id)
    )
    rows = db.session.execute(query).all()
    if not rows:
        return []
    sectors = _slugs_by_profile(investor_sector, Sector, "sector_id")
    stages = _slugs_by_profile(investor_stage, Stage, "stage_id")
    municipalities = _slugs_by_profile(investor_municipality, Municipality, "municipality_id")
    regions = _slugs_by_profile(investor_region, Region, "region_id")
    subprojects = _slugs_by_profile(investor_subproject, Subproject, "subproject_id")
    investors = []
    for profile_id, user_id, ticket_min, ticket_max, thesis in rows:
        if ticket_min < 0 or ticket_max < ticket_min:
            continue  # the profile form refuses these; never let one stop every recompute
        investors.append(
            _investor(
                user_id,
                ticket_min,
                ticket_max,
                thesis,
                sectors.get(profile_id, ()),
                stages.get(profile_id, ()),
                municipalities.get(profile_id, []) + regions.get(profile_id, []),
                subprojects.get(profile_id, ()),
            )
        )
    return investors


def load_pitches() -> tuple[list[RankPitch], dict[int, int]]:
    """Every matchable proposal, by id, and ``{proposal id: owner's user id}``."""
    query = (
        select(
            Proposal.id,
            Proposal.title,
            Proposal.teaser,
            Proposal.description,
            Proposal.ask,
            Proposal.min_ticket,
            Sector.slug,
            Stage.slug,
            Subproject.slug,
            Municipality.slug,
            Company.owner_id,
        )
        .join(Company, Company.id == Proposal.company_id)
        .join(Sector, Sector.id == Proposal.sector_id)
        .join(Stage, Stage.id == Proposal.stage_id)
        .join(Municipality, Municipality.id == Company.municipality_id)
        .outerjoin(Subproject, Subproject.id == Proposal.subproject_id)
        .where(Proposal.status.in_(MATCHABLE))
        .order_by(Proposal.id)
    )
    pitches = []
    owners: dict[int, int] = {}
    for row in db.session.execute(query):
        (pid, title, teaser, description, ask, min_ticket) = row[:6]
        sector, stage, subproject, municipality, owner_id = row[6:]
        if min_ticket < 0 or ask < min_ticket:
            continue  # the proposal form refuses these; see load_investors
        pitches.append(
            RankPitch(
                id=pid,
                sector=sector,
                stage=stage,
                ask=ask,
                min_ticket=min_ticket,
                municipality=municipality,
                subproject=subproject,
                text=_pitch_text(title, teaser, description),
            )
        )
        owners[pid] = owner_id
    return pitches, owners


#: The PostgreSQL advisory lock that serialises recomputes (any number; "MTCH").
_LOCK_KEY: Final = 0x4D54_4348


def _serialise() -> None:
    """Flush, and on PostgreSQL wait for any other recompute's transaction to end.

    Two recomputes at once (two organisers moving two proposals) would each
    diff against the rows they read and insert the same new pair twice; with
    the lock the second reads the first's rows once they are committed
    (READ COMMITTED). The lock is released when the transaction ends. SQLite
    serialises writers itself.
    """
    db.session.flush()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))


def _rank_all() -> tuple[dict[int, list[RankedMatch]], int]:
    """The best :data:`TOP_N` of every rankable investor, on the full corpus,
    and the number of matchable proposals."""
    investors = load_investors()
    pitches, owners = load_pitches()
    ids = {int(inv.id) for inv in investors}
    conflicts = [(owner, pid) for pid, owner in owners.items() if owner in ids]
    if not investors:
        return {}, len(pitches)
    ranking = rank(investors, pitches, conflicts=conflicts, regions=region_members(), top=TOP_N)
    return {int(investor): matches for investor, matches in ranking.items()}, len(pitches)


# Writing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Recomputed:
    """What a recompute did: investors and matchable proposals ranked, rows of its scope
    stored afterwards, rows inserted, updated and deleted, and the time taken."""

    investors: int
    proposals: int
    stored: int
    inserted: int
    updated: int
    deleted: int
    seconds: float


_TABLE: Final = MatchScore.__table__


def _stored(scope: Sequence[int] | None) -> dict[tuple[int, int], tuple[float, str]]:
    """The stored ``{(investor, proposal): (score, reasons)}`` of the scope (None: all)."""
    columns = (_TABLE.c.investor_id, _TABLE.c.proposal_id, _TABLE.c.score, _TABLE.c.reasons)
    out: dict[tuple[int, int], tuple[float, str]] = {}
    if scope is None:
        for investor, proposal, score, reasons in db.session.execute(select(*columns)):
            out[investor, proposal] = (score, reasons)
        return out
    for part in _chunks(scope, _IN_CHUNK):
        query = select(*columns).where(_TABLE.c.investor_id.in_(part))
        for investor, proposal, score, reasons in db.session.execute(query):
            out[investor, proposal] = (score, reasons)
    return out


def _write(
    fresh: dict[int, list[RankedMatch]],
    scope: Sequence[int] | None,
    now: datetime,
) -> tuple[int, int, int, int]:
    """Make the stored rows of ``scope`` (investor ids; None: every row) equal
    ``fresh``; returns (stored, inserted, updated, deleted)."""
    before = _stored(scope)
    wanted: dict[tuple[int, int], tuple[float, str]] = {}
    for investor in fresh if scope is None else scope:
        for match in fresh.get(investor, ()):
            wanted[investor, int(match.pitch)] = (match.score, reasons_json(match))

    gone = [key for key in before if key not in wanted]
    new = [key for key in wanted if key not in before]
    changed = [key for key, value in wanted.items() if key in before and before[key] != value]

    # Investors losing every row are deleted by investor, the rest by pair.
    emptied = sorted({i for i, _ in gone} - {i for i, _ in wanted})
    for part in _chunks(emptied, _IN_CHUNK):
        db.session.execute(delete(_TABLE).where(_TABLE.c.investor_id.in_(part)))
    emptied_set = set(emptied)
    pairs = [{"b_i": i, "b_p": p} for i, p in gone if i not in emptied_set]
    by_pair = delete(_TABLE).where(
        _TABLE.c.investor_id == bindparam("b_i"), _TABLE.c.proposal_id == bindparam("b_p")
    )
    for pair_chunk in _chunks(pairs, _CHUNK):
        db.session.execute(by_pair, pair_chunk)

    rows = [
        {
            "investor_id": i,
            "proposal_id": p,
            "score": wanted[i, p][0],
            "reasons": wanted[i, p][1],
            "computed_at": now,
            "first_seen_at": now,
        }
        for i, p in new
    ]
    for row_chunk in _chunks(rows, _CHUNK):
        db.session.execute(insert(_TABLE), row_chunk)

    changes = [
        {"b_i": i, "b_p": p, "b_score": wanted[i, p][0], "b_reasons": wanted[i, p][1]}
        for i, p in changed
    ]
    set_score = (
        update(_TABLE)
        .where(_TABLE.c.investor_id == bindparam("b_i"), _TABLE.c.proposal_id == bindparam("b_p"))
        .values(score=bindparam("b_score"), reasons=bindparam("b_reasons"))
    )
    for chunk in _chunks(changes, _CHUNK):
        db.session.execute(set_score, chunk)

    # Every row of the scope was confirmed now.
    touched = update(_TABLE).values(computed_at=now)
    if scope is None:
        db.session.execute(touched)
    else:
        for part in _chunks(scope, _IN_CHUNK):
            db.session.execute(touched.where(_TABLE.c.investor_id.in_(part)))

    # The rows changed under the ORM: loaded MatchScore objects are stale.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, MatchScore):
            db.session.expire(obj)
    db.session.flush()
    return len(wanted), len(new), len(changed), len(gone)


def _result(
    fresh: dict[int, list[RankedMatch]],
    proposals: int,
    written: tuple[int, int, int, int],
    started: float,
) -> Recomputed:
    return Recomputed(
        investors=len(fresh),
        proposals=proposals,
        stored=written[0],
        inserted=written[1],
        updated=written[2],
        deleted=written[3],
        seconds=time.perf_counter() - started,
    )


def recompute_all(now: datetime | None = None) -> Recomputed:
    """Rank every approved investor against every matchable proposal and
    replace all stored rows (rows of investors no longer matched go). Flushes."""
    started = time.perf_counter()
    _serialise()
    fresh, proposals = _rank_all()
    written = _write(fresh, None, now or utcnow())
    return _result(fresh, proposals, written, started)


def recompute_for_investor(user: User, now: datetime | None = None) -> Recomputed:
    """Refresh ``user``'s stored matches (after a profile change, an approval
    or a rejection). A user who is not matched (see :func:`rankable`) loses
    every stored row, without a ranking. Flushes."""
    started = time.perf_counter()
    _serialise()
    fresh, proposals = _rank_all() if rankable(user) else ({}, 0)
    written = _write(fresh, [user.id], now or utcnow())
    return _result(fresh, proposals, written, started)


def recompute_for_proposal(proposal: Proposal, now: datetime | None = None) -> Recomputed:
    """Refresh the stored matches that involve ``proposal`` (after it was
    submitted, changed, or entered or left :data:`MATCHABLE`).

    Writes the rows of every investor that had the proposal among their best
    :data:`TOP_N` or has it now; a proposal that is not matchable ends in no
    row, its place taken by each investor's next best. Flushes.
    """
    started = time.perf_counter()
    _serialise()
    fresh, proposals = _rank_all()
    had = db.session.scalars(
        select(_TABLE.c.investor_id).where(_TABLE.c.proposal_id == proposal.id)
    ).all()
    key = proposal.id
    has = [i for i, matches in fresh.items() if any(m.pitch == key for m in matches)]
    scope = sorted(set(had) | set(has))
    written = _write(fresh, scope, now or utcnow())
    return _result(fresh, proposals, written, started)
