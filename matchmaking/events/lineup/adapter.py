"""The line-up's engine boundary: the database's rows in, the engine's answer in words out.

How the engine's problem is built (:func:`engine_input`, a
:class:`~matchmaking.engine.LineupProblem` with the database's ids: candidate
ids, investor user ids, municipality and sub-project slugs; the model is
``docs/engine-io.md``, "lineup"):

- ``slots`` is ``Event.pitch_slots``.
- ``attendees`` are the attending investors
  (:func:`matchmaking.events.programme.attendee_investors`: approved, account
  active).
- ``candidates`` are the session's candidates that may stand
  (:func:`matchmaking.events.programme.out_reason`: accepted, already pitched
  elsewhere, or in dialogue; an invited founder while the proposal is in the
  investors' sight). The others are *left out*, and the page says why: the
  proposal moved on (withdrawn, declined, closed, funded) or the founder
  declined the invitation to this session.
- ``affinity`` is the stored :class:`~matchmaking.matches.models.MatchScore`
  of each (attendee, candidate) pair; a pair without a stored score is 0.
- ``bonus`` is the screening bonus: ``screening_weight * (mean - 1) / 4`` with
  the proposal's weighted mean score (1-5, from the screening aggregate), 0
  for a proposal nobody has scored. With the default weight 1 a top-scored
  proposal counts like one investor with a perfect match.
- ``min_per_subproject`` comes from the session's minimums (by sub-project
  slug), ``max_per_municipality`` from the session (the company's
  municipality), ``pinned`` / ``excluded`` from the candidates' flags; the
  founders who are invited or have accepted (and are not excluded) count as
  pinned, so a new run keeps them.

A run is refused (:func:`solve` raises
:class:`~matchmaking.events.errors.EventError` with every broken rule in
``reasons``, and nothing is changed) when the rules cannot all be met. The
engine's own check (:func:`matchmaking.engine.check_lineup`) gives each rule
alone, and the smallest combination of the pins, the sub-project minimums and
the limit per municipality that cannot hold together, as data;
:func:`rule_problems` words them with the sub-projects and the limit. Should
the solver still refuse, :func:`engine_refusal` names the rule families of its
violations in words, never the engine's own English text.

After publishing, a place nobody may take under the rules stays empty
(:func:`leave_unfillable_places_empty`), and an invited founder's place beyond
the session's pitch slots is refused as a rule, never moved
(:func:`invited_beyond_slots`).

Nothing here writes to the database.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import get_locale
from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.dates import clock
from matchmaking.engine import (
    EngineInputError,
    InfeasibleError,
    LineupCandidate,
    LineupProblem,
    LineupResult,
    Rule,
    Violation,
    ViolationKind,
    check_lineup,
    solve_lineup,
)
from matchmaking.events.errors import EventError
from matchmaking.events.models import Event, EventCandidate
from matchmaking.events.programme import attendee_investors, out_reason, place_time
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.matches.models import MatchScore
from matchmaking.proposals.models import Proposal
from matchmaking.screening.services import aggregates_for

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------
# Reading: keys, bonus, who is in
# --------------------------------------------------------------------------


def screening_bonus(weight: float, mean: float | None) -> float:
    """``weight * (mean - 1) / 4``: 0 for an unscored proposal, ``weight`` for a perfect 5."""
    if mean is None:
        return 0.0
    return round(max(0.0, weight * (mean - 1.0) / 4.0), 6)


def place_label(event: Event, place: int) -> str:
    """ "place 4 (17:30)": the place from 1 and its time in the user's zone."""
    return str(
        _l(
            "place %(place)d (%(time)s)",
            place=place + 1,
            time=clock(place_time(event, place)),
        )
    )


@dataclass
class Row:
    """One candidate as the engine's problem and the line-up page read it: its
    keys, its screening score and bonus, and whether it may stand."""

    candidate: EventCandidate
    proposal: Proposal
    municipality_slug: str
    municipality: str
    subproject_slug: str | None
    subproject: str | None
    mean: float | None
    reviews: int
    bonus: float
    #: Why the candidate cannot go into the engine (None: it can).
    left_out: str | None

    @property
    def available(self) -> bool:
        """Can pitch and is not excluded: the engine may choose it."""
        return self.left_out is None and not self.candidate.excluded

    @property
    def position(self) -> int | None:
        return self.candidate.lineup_position

    @property
    def invited(self) -> bool:
        """The founder is invited or has accepted (a published line-up holds them)."""
        return self.candidate.holds_invitation

    @property
    def kept(self) -> bool:
        """An invited founder who stays: can pitch and is not excluded (as if pinned)."""
        return self.invited and self.available

    @property
    def leaving(self) -> bool:
        """An invited founder a new run leaves out: excluded, or can no longer pitch.
        They stay in the published programme until the next publish."""
        return self.invited and not self.available


def rows(event: Event) -> list[Row]:
    """Every candidate with its screening score, bonus and engine state."""
    candidates = list(event.candidates)
    aggregates = aggregates_for([c.proposal_id for c in candidates])
    out = []
    for c in candidates:
        p = c.proposal
        agg = aggregates.get(p.id)
        mean = agg.mean if agg is not None else None
        out.append(
            Row(
                candidate=c,
                proposal=p,
                municipality_slug=p.company.municipality.slug,
                municipality=p.company.municipality.name,
                subproject_slug=p.subproject.slug if p.subproject is not None else None,
                subproject=p.subproject.name if p.subproject is not None else None,
                mean=mean,
                reviews=agg.reviews if agg is not None else 0,
                bonus=screening_bonus(event.screening_weight, mean),
                left_out=out_reason(c),
            )
        )
    return out


def match_scores(
    investor_ids: Iterable[int], proposal_ids: Iterable[int]
) -> dict[tuple[int, int], float]:
    """Stored match scores of the pairs, clamped to [0, 1] (the engine's range)."""
    inv, prop = list(investor_ids), list(proposal_ids)
    if not inv or not prop:
        return {}
    query = select(MatchScore.investor_id, MatchScore.proposal_id, MatchScore.score).where(
        MatchScore.investor_id.in_(inv), MatchScore.proposal_id.in_(prop)
    )
    out: dict[tuple[int, int], float] = {}
    for investor_id, proposal_id, score in db.session.execute(query):
        value = float(score)
        if math.isfinite(value) and value > 0:
            out[(investor_id, proposal_id)] = min(value, 1.0)
    return out


@dataclass
class EngineInput:
    """The engine's problem (ids: candidate ids and investor user ids), with the
    rows and people behind its ids."""

    problem: LineupProblem
    rows: list[Row]
    investors: list[User]
    #: Candidate id -> its row.
    by_id: dict[int, Row]
    scores: dict[tuple[int, int], float]

    @property
    def seats(self) -> int:
        """How many pitches the line-up has: ``min(slots, candidates not excluded)``."""
        kept = [r for r in self.rows if r.left_out is None and not r.candidate.excluded]
        return min(self.problem.slots, len(kept))


def engine_input(event: Event) -> EngineInput:
    """Build the engine's problem from the database (see the module docstring)."""
    all_rows = rows(event)
    usable = [r for r in all_rows if r.left_out is None]
    investors = attendee_investors(event)
    scores = match_scores([u.id for u in investors], [r.proposal.id for r in usable])
    problem = LineupProblem(
        slots=event.pitch_slots,
        attendees=tuple(u.id for u in investors),
        candidates=tuple(
            LineupCandidate(
                id=r.candidate.id,
                municipality=r.municipality_slug,
                subproject=r.subproject_slug,
                bonus=r.bonus,
            )
            for r in usable
        ),
        affinity={
            (u.id, r.candidate.id): scores[(u.id, r.proposal.id)]
            for u in investors
            for r in usable
            if (u.id, r.proposal.id) in scores
        },
        min_per_subproject={m.subproject.slug: m.minimum for m in event.minimums if m.minimum},
        max_per_municipality=event.max_per_municipality,
        pinned=tuple(
            r.candidate.id
            for r in usable
            if (r.candidate.pinned or r.invited) and not r.candidate.excluded
        ),
        excluded=tuple(r.candidate.id for r in usable if r.candidate.excluded),
    )
    return EngineInput(
        problem=problem,
        rows=all_rows,
        investors=investors,
        by_id={r.candidate.id: r for r in all_rows},
        scores=scores,
    )


# --------------------------------------------------------------------------
# The rules, in words
# --------------------------------------------------------------------------


def invited_beyond_slots(event: Event, rows: Iterable[Row]) -> list[str]:
    """Invited founders whose place is past the session's pitch slots (the slots
    were reduced after publishing): they are never moved, so this is a rule."""
    out = []
    for r in rows:
        if r.kept and r.position is not None and r.position >= event.pitch_slots:
            out.append(
                str(
                    _l(
                        "“%(title)s” is invited for %(place)s, but the session now has %(slots)d"
                        " pitch slots. Invited founders keep their times: exclude it (publishing"
                        " then tells the founder) or add pitch slots on the session form.",
                        title=r.proposal.title,
                        place=place_label(event, r.position),
                        slots=event.pitch_slots,
                    )
                )
            )
    return out


def listed(items: Sequence[str]) -> str:
    """The items as "a, b and c" in the user's language."""
    locale = get_locale()
    return format_list(list(items), locale=locale if locale is not None else "nb")


def rule_problems(event: Event, inp: EngineInput) -> list[str]:
    """The rules no line-up can meet, each named in the user's language.

    An invited founder past the pitch slots (a rule of the page), then the
    engine's violations (:func:`matchmaking.engine.check_lineup`: each rule
    alone, then pins that crowd out a minimum, then the smallest combination
    of pins, minimums and cap that cannot hold together), in words. The pins
    include the founders already invited.
    """
    problems: list[str] = invited_beyond_slots(event, inp.rows)
    for v in check_lineup(inp.problem):
        if problems and v.kind in _ONLY_ALONE:
            continue  # named only when no single rule is broken
        problems.append(violation_words(event, inp, v))
    return problems


#: Violations named only when no single rule is broken (the engine gives them only then).
_ONLY_ALONE = frozenset({ViolationKind.PINS_CROWD_MINIMUMS, ViolationKind.COMBINATION})


def violation_words(event: Event, inp: EngineInput, v: Violation) -> str:
    """One engine violation as a sentence in the user's language."""
    slots = event.pitch_slots
    kept = sum(1 for r in inp.rows if r.available)
    subs = {m.subproject.slug: m.subproject.name for m in event.minimums}
    munis = {r.municipality_slug: r.municipality for r in inp.rows}

    def sub(ident: object) -> str:
        return subs.get(str(ident), str(ident))

    kind = v.kind
    if kind is ViolationKind.TOO_MANY_PINNED:
        return str(
            _l(
                "More candidates are pinned or already invited than the line-up has places:"
                " %(n)d, places %(seats)d (pitch slots: %(slots)d, candidates who can pitch:"
                " %(kept)d).",
                n=v.needed,
                seats=v.available,
                slots=slots,
                kept=kept,
            )
        )
    if kind is ViolationKind.MINIMUMS_OVER_SEATS:
        return str(
            _l(
                "The sub-project minimums add up to more than the line-up has places:"
                " minimums %(total)d, places %(seats)d (pitch slots: %(slots)d,"
                " candidates who can pitch: %(kept)d).",
                total=v.needed,
                seats=v.available,
                slots=slots,
                kept=kept,
            )
        )
    if kind is ViolationKind.TOO_FEW_CANDIDATES:
        return str(
            _l(
                "“%(sub)s” has a minimum of %(min)d, but its candidates who can pitch"
                " (accepted and not excluded) number %(have)d.",
                sub=sub(v.subprojects[0]),
                min=v.needed,
                have=v.available,
            )
        )
    if kind is ViolationKind.SUBPROJECT_MINIMUM:
        return str(
            _l(
                "“%(sub)s” has a minimum of %(min)d, but with the limit per municipality"
                " (%(cap)d) at most %(reach)d of its candidates can be chosen.",
                sub=sub(v.subprojects[0]),
                min=v.needed,
                cap=v.limit,
                reach=v.available,
            )
        )
    if kind is ViolationKind.PINNED_CONFLICT:
        return str(
            _l(
                "Too many pinned or already invited candidates from %(muni)s: %(n)d,"
                " but the limit per municipality is %(cap)d.",
                n=v.needed,
                muni=munis.get(str(v.municipalities[0]), str(v.municipalities[0])),
                cap=v.available,
            )
        )
    if kind is ViolationKind.MUNICIPALITY_CAP:
        return str(
            _l(
                "The limit per municipality (%(cap)d) leaves places empty: at most"
                " %(fill)d of the %(seats)d places can be filled (municipalities with"
                " candidates: %(munis)d).",
                cap=v.limit,
                munis=len(v.municipalities),
                fill=v.available,
                seats=v.needed,
            )
        )
    if kind is ViolationKind.PINS_CROWD_MINIMUMS:
        return str(
            _l(
                "The pinned or already invited candidates leave too few free places for"
                " the sub-project minimums: free places %(free)d, pitches still needed"
                " %(need)d (%(which)s).",
                free=v.available,
                need=v.needed,
                which=", ".join(
                    f"{sub(s)}: {n}" for s, n in zip(v.subprojects, v.shortfall, strict=True)
                ),
            )
        )
    if kind is ViolationKind.COMBINATION:
        rules = []
        if v.candidates:
            rules.append(
                str(_l("the pinned or already invited candidates (%(n)d)", n=len(v.candidates)))
            )
        rules += [
            str(_l("at least %(min)d from “%(sub)s”", min=least, sub=sub(s)))
            for s, least in zip(v.subprojects, v.shortfall, strict=True)
        ]
        if v.limit is not None:
            rules.append(str(_l("at most %(cap)d from any one municipality", cap=v.limit)))
        return str(
            _l(
                "No line-up of %(seats)d pitches meets these rules together: %(rules)s. Lower a"
                " minimum, raise the limit per municipality or change the pins.",
                seats=v.needed,
                rules=listed(rules),
            )
        )
    return engine_refusal([v])


#: The engine's names for the rule families, in words (in the order named).
RULE_FAMILIES = {
    Rule.PINNED: _l("the pinned or already invited candidates"),
    Rule.EXCLUDED: _l("the excluded candidates"),
    Rule.MIN_PER_SUBPROJECT: _l("the minimums per sub-project"),
    Rule.MAX_PER_MUNICIPALITY: _l("the limit per municipality"),
}


def engine_refusal(violations: Sequence[Violation]) -> str:
    """The engine's refusal in the user's language: the rule families of its
    violations, in words (the violations are data; no text is read)."""
    named = {rule for v in violations for rule in v.rules}
    words = [str(w) for rule, w in RULE_FAMILIES.items() if rule in named]
    if not words:
        return str(_l("No line-up meets all the rules together."))
    return str(_l("No line-up meets these rules together: %(rules)s.", rules=listed(words)))


# --------------------------------------------------------------------------
# Solving
# --------------------------------------------------------------------------


def solve(event: Event, inp: EngineInput, time_limit: float) -> LineupResult:
    """The engine's line-up for ``inp``, or :class:`EventError` naming every rule
    that cannot be met (see the module docstring); nothing is written."""
    if not inp.problem.candidates or inp.seats == 0:
        raise EventError(
            str(_l("There is no candidate who can pitch yet.")),
            reasons=[
                str(_l("Nominate accepted proposals, or wait for founders to apply.")),
            ],
        )
    if event.lineup_published_at is not None:
        leave_unfillable_places_empty(event, inp)
    problems = rule_problems(event, inp)
    if problems:
        raise EventError(str(_l("The rules cannot all be met:")), reasons=problems)
    try:
        return solve_lineup(inp.problem, time_limit=time_limit)
    except InfeasibleError as exc:  # a case rule_problems does not know: the families in words
        log.info("line-up of event %s refused by the engine: %s", event.id, exc)
        raise EventError(
            str(_l("The rules cannot all be met:")), reasons=[engine_refusal(exc.violations)]
        ) from exc
    except EngineInputError as exc:  # a stored value the engine cannot take
        log.error("line-up input of event %s refused by the engine: %s", event.id, exc)
        raise EventError(
            str(
                _l(
                    "The line-up could not be computed from the stored data. Nothing was"
                    " changed; please tell the administrator."
                )
            )
        ) from exc


def leave_unfillable_places_empty(event: Event, inp: EngineInput) -> None:
    """After publishing, a place nobody can take under the rules stays empty.

    Before publishing, the line-up fills every pitch slot (the engine's rule) and
    a rule that leaves a place empty is named. Once founders are invited, an
    organiser who excludes one (or sees a proposal withdrawn) must be able to go
    on even when the limit per municipality or the minimums leave nobody for the
    free place: the engine is asked for the largest line-up the rules allow that
    keeps every invited founder, and the page shows the rest as empty places.
    """
    pinned = inp.problem.pinned
    for seats in range(inp.seats, max(len(pinned), 1) - 1, -1):
        smaller = dataclasses.replace(inp.problem, slots=seats)
        if not check_lineup(smaller):
            inp.problem = smaller
            return
