"""The boundary between the 1:1 meetings and the engine: the session's rows as a
:class:`~matchmaking.engine.ScheduleProblem`, and the engine's refusal as a
sentence in the reader's language.

Which pairs may meet, and how much each is worth (the engine's ``affinity``)
    A pair where either side asked is worth ``0.5 * match score + 0.25`` per
    side that asked (see :func:`affinity`). A pair nobody asked for but with a
    stored match score (``MatchScore``) may meet with affinity 0: the engine
    uses such a pair only when a company needs it to reach the organisers'
    minimum, and drops it otherwise (``matchmaking.engine.schedule``), so
    nobody is booked into a meeting nobody asked for just because they match.

Conflicts of interest (never scheduled by the engine; listed as a clash when
a hand edit makes one)
    - the investor owns the proposal's company;
    - the investor marked the proposal "not interested" on their matches page,
      unless they asked to meet it at this session (their newer, explicit
      choice wins);
    - the founder declined the investor's introduction request, unless the
      founder asked to meet that investor at this session.

Whether the organisers' minimum can be met is the engine's one check
(:func:`matchmaking.engine.check_schedule`, and :func:`solve_schedule` when
the minimums only fail together); :func:`refusal` words its violations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.engine import SchedulePerson, ScheduleProblem, Violation, ViolationKind
from matchmaking.events.meetings.services import investors, pitching
from matchmaking.events.models import Event, RequestSide
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.matches.models import MatchChoice, MatchScore
from matchmaking.proposals.models import Proposal

#: Conflict reasons (see the module docstring).
OWNER = "owner"
NOT_INTERESTED = "not_interested"
DECLINED_INTRODUCTION = "declined_introduction"


def affinity(score: float | None, investor_asked: bool, founder_asked: bool) -> float:
    """What a meeting is worth to the engine, in [0, 1].

    ``0.5 * match score + 0.25`` for each side that asked: a pair where both
    asked (0.5 boost) beats one where only one did (0.25), and among those the
    better match wins. A missing score counts as 0. A pair nobody asked for is
    worth 0, whatever its score: the engine schedules it only when a company
    needs it to reach the minimum.
    """
    if not (investor_asked or founder_asked):
        return 0.0
    value = 0.5 * min(max(score or 0.0, 0.0), 1.0)
    value += 0.25 * investor_asked + 0.25 * founder_asked
    return round(min(max(value, 0.0), 1.0), 6)


@dataclass
class EngineInput:
    """The engine's schedule problem (ids: investor user ids and proposal ids) and
    what it was made of."""

    problem: ScheduleProblem
    investors: dict[int, User]
    companies: dict[int, Proposal]
    #: (investor user id, proposal id) -> affinity, for every pair that may meet.
    affinity: dict[tuple[int, int], float]
    #: (investor user id, proposal id) -> conflict reason.
    conflicts: dict[tuple[int, int], str]
    #: Pairs asked for: (investor, proposal) -> sides that asked.
    asked: dict[tuple[int, int], set[RequestSide]] = field(default_factory=dict)


def conflicts(
    users: list[User], proposals: list[Proposal], asked: dict[tuple[int, int], set[RequestSide]]
) -> dict[tuple[int, int], str]:
    """Conflicts of interest among these investors and companies (module docstring)."""
    out: dict[tuple[int, int], str] = {}
    user_ids = [u.id for u in users]
    proposal_ids = [p.id for p in proposals]
    if not user_ids or not proposal_ids:
        return out
    for p in proposals:
        if p.owner_id in user_ids:
            out[(p.owner_id, p.id)] = OWNER
    for inv, pid in db.session.execute(
        select(MatchChoice.investor_id, MatchChoice.proposal_id).where(
            MatchChoice.investor_id.in_(user_ids),
            MatchChoice.proposal_id.in_(proposal_ids),
            MatchChoice.not_interested.is_(True),
        )
    ):
        if RequestSide.INVESTOR not in asked.get((inv, pid), set()):
            out.setdefault((inv, pid), NOT_INTERESTED)
    for inv, pid in db.session.execute(
        select(Introduction.investor_id, Introduction.proposal_id).where(
            Introduction.investor_id.in_(user_ids),
            Introduction.proposal_id.in_(proposal_ids),
            Introduction.status == IntroductionStatus.DECLINED,
        )
    ):
        if RequestSide.FOUNDER not in asked.get((inv, pid), set()):
            out.setdefault((inv, pid), DECLINED_INTRODUCTION)
    return out


def engine_input(event: Event) -> EngineInput:
    """The ``schedule`` input for the session (see the module docstring).

    Investors: signed-up approved investors, unavailable from their marks.
    Companies: the pitching proposals, ``min_meetings = event.min_meetings``.
    Affinity: every pair someone asked for or with a stored match score, minus
    conflicts, valued by :func:`affinity` (0 for a pair nobody asked for, which
    the engine then uses only to reach a minimum). Conflicts: listed as well.
    Everything is sorted, so the same data gives the same input.
    """
    users = investors(event)
    proposals = pitching(event)
    user_ids = {u.id for u in users}
    proposal_ids = {p.id for p in proposals}
    n = event.meeting_slots

    asked: dict[tuple[int, int], set[RequestSide]] = {}
    for r in event.meeting_requests:
        if r.investor_id in user_ids and r.proposal_id in proposal_ids:
            asked.setdefault((r.investor_id, r.proposal_id), set()).add(r.side)
    scores: dict[tuple[int, int], float] = {}
    if user_ids and proposal_ids:
        for inv, pid, score in db.session.execute(
            select(MatchScore.investor_id, MatchScore.proposal_id, MatchScore.score).where(
                MatchScore.investor_id.in_(sorted(user_ids)),
                MatchScore.proposal_id.in_(sorted(proposal_ids)),
            )
        ):
            scores[(inv, pid)] = float(score)
    banned = conflicts(users, proposals, asked)
    values: dict[tuple[int, int], float] = {}
    for pair in sorted(set(asked) | set(scores)):
        if pair in banned:
            continue
        sides = asked.get(pair, set())
        values[pair] = affinity(
            scores.get(pair), RequestSide.INVESTOR in sides, RequestSide.FOUNDER in sides
        )

    busy_user: dict[int, set[int]] = {}
    busy_company: dict[int, set[int]] = {}
    for u in event.unavailable_slots:
        if not 0 <= u.slot < n:
            continue
        if u.user_id is not None and u.user_id in user_ids:
            busy_user.setdefault(u.user_id, set()).add(u.slot)
        elif u.proposal_id is not None and u.proposal_id in proposal_ids:
            busy_company.setdefault(u.proposal_id, set()).add(u.slot)

    problem = ScheduleProblem(
        slots=n,
        investors=tuple(
            SchedulePerson(uid, max_meetings=n, unavailable=frozenset(busy_user.get(uid, ())))
            for uid in sorted(user_ids)
        ),
        companies=tuple(
            SchedulePerson(
                pid,
                max_meetings=n,
                min_meetings=event.min_meetings,
                unavailable=frozenset(busy_company.get(pid, ())),
            )
            for pid in sorted(proposal_ids)
        ),
        affinity=dict(sorted(values.items())),
        conflicts=frozenset(banned),
    )
    return EngineInput(
        problem=problem,
        investors={u.id: u for u in users},
        companies={p.id: p for p in proposals},
        affinity=values,
        conflicts=banned,
        asked=asked,
    )


def refusal(event: Event, inp: EngineInput, violations: Sequence[Violation]) -> str:
    """The engine's refusal of the minimum in the reader's language, from its
    violations (data: the kind, the company, what is needed and available):
    the first company :func:`~matchmaking.engine.check_schedule` names, else
    the minimums that :func:`~matchmaking.engine.solve_schedule` found cannot
    hold together."""
    for v in violations:
        if not v.companies or v.kind is ViolationKind.MINIMUMS_TOGETHER:
            continue
        if v.kind is ViolationKind.MINIMUM_OVER_MAXIMUM:
            # A company may have as many meetings as the session has slots:
            # the slots were reduced after the minimum was set.
            return str(
                _l(
                    "The minimum is %(need)d meetings per company, but the session has only"
                    " %(slots)d meeting slots. Lower the minimum, or give the session more slots.",
                    need=v.needed,
                    slots=event.meeting_slots,
                )
            )
        title = inp.companies[int(v.companies[0])].title
        if v.kind is ViolationKind.TOO_FEW_SLOTS:
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but its founder marked"
                    " all but %(free)d of the %(slots)d slots as unavailable."
                    " Lower the minimum, or ask the founder to free more slots.",
                    company=title,
                    need=v.needed,
                    free=v.available,
                    slots=event.meeting_slots,
                )
            )
        if v.kind is ViolationKind.TOO_FEW_INVESTORS:
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but only %(n)d signed-up"
                    " investors may meet it (those who asked, whom the founder asked for, or"
                    " who match it, minus conflicts of interest)."
                    " Lower the minimum, or ask more investors to choose it.",
                    company=title,
                    need=v.needed,
                    n=v.available,
                )
            )
        if v.kind is ViolationKind.TOO_FEW_SHARED_SLOTS:
            return str(
                _l(
                    "“%(company)s” needs at least %(need)d meetings, but only %(fit)d fit into"
                    " slots where both the company and the investors who may meet it are"
                    " available. Lower the minimum, or ask them to free more slots.",
                    company=title,
                    need=v.needed,
                    fit=v.available,
                )
            )
    return str(
        _l(
            "Every company can get %(need)d meetings on its own, but not all at once:"
            " there are not enough free investor slots for all of them together."
            " Lower the minimum, or ask investors to free more slots.",
            need=event.min_meetings,
        )
    )
