"""The Springbrett line-up: the engine proposes the pitches, organisers pin,
exclude and publish, founders accept or decline. Functions flush, never commit.

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
  municipality), ``pinned`` / ``excluded`` from the candidates' flags.

Choices where the issue is silent (a good angel-network platform would do
this, and the page explains it):

- A run is refused, with every broken rule named in the user's language and
  nothing changed, when the rules cannot all be met. The engine's own check
  (:func:`matchmaking.engine.check_lineup`) gives each rule alone, and the
  smallest combination of the pins, the sub-project minimums and the limit
  per municipality that cannot hold together, as data; :func:`rule_problems`
  words them with the sub-projects and the limit. Should the solver still
  refuse, the page names the rule families of its violations in words,
  never the engine's own English text.
- There is no "out of date" column: a change of a pin, an exclusion or the
  screening weight after a run clears ``Event.lineup_bound`` (the proof
  belonged to the old input) while the line-up, its value and its run time
  stay. :func:`lineup_state` also checks the stored line-up against the rules
  as they are now (an excluded, declined or no longer accepted candidate in
  it, a pinned one missing, a quota or the size no longer met). Any of these
  makes the line-up out of date and unpublishable until it is run again.
  Investors who signed up, or candidates added, after the run are mentioned
  but do not block publishing (the programme may already be out).
- Once a line-up has been published, the founders who are invited or have
  accepted keep their places, and so their pitch times: a new run keeps every
  one of them who can still pitch and is not excluded (as if pinned) at the
  place they were invited for, and newcomers take only the free places, in
  the engine's order. When the new line-up is smaller than the old one this
  can leave a place empty before the last pitch; the page says so. An invited
  founder's place beyond the session's pitch slots (the slots were reduced
  after publishing) is refused as a rule, never moved: exclude the founder
  (publishing tells them) or add pitch slots.
- Until it is published, a new run changes only the organisers' page: the
  programme everyone else sees (:func:`programme`, the agendas, the meeting
  choices and the schedule) is the published one, the founders who are
  invited or have accepted, at their places. So an invited founder whom a new
  run leaves out (excluded, or the proposal can no longer pitch) keeps
  ``lineup_position`` at their published place until publishing; the page
  lists them as leaving the programme. (``lineup_position`` of everyone else
  is the place in the last run.)
- Publishing invites the candidates in the line-up who have no invitation yet;
  invited (or accepted) founders no longer in the line-up are told by e-mail
  that they are not in the programme and their invitation is cleared. A
  founder who declined keeps the "declined" record. Nobody's time changes on
  publishing (see above), so no founder needs a "new time" e-mail.
- A founder may accept an open invitation, and decline it (also after
  accepting: plans change). A decline is final for this session: accepting
  again is refused with a message to contact BAN Ofoten; the organisers see
  the decline and can propose the next best line-up. Answers are refused once
  the session has started.
- Answers are e-mailed to the organiser who created the session (all active
  organisers when that account is disabled), in their language.
- The next best line-up pins every founder who is invited or has accepted
  (and is not excluded) and keeps out the declined, so only the free places
  change. The pins are saved, so the candidates table shows why (a plain run
  keeps them too, see above).
- Every change to the line-up bumps ``Event.version`` (a run, a pin or
  exclusion, the weight, publishing, a founder's decline; an accept changes
  nothing an organiser's page shows, so it does not). The weight form, runs
  and publishing carry the version they were shown; a stale one is refused
  with the session form's "changed by someone else" message.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel.lists import format_list
from flask_babel import format_time, get_locale
from sqlalchemy import select, update

from matchmaking.accounts.models import User
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
from matchmaking.events import notifications
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.events.programme import (
    attendee_investors,
    out_reason,
    pitch_time,
    pitching_candidates,
    place_time,
)
from matchmaking.events.versioning import is_current_version
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.matches.models import MatchScore
from matchmaking.proposals.models import Proposal
from matchmaking.screening.services import aggregates_for

log = logging.getLogger(__name__)

#: The screening weight's range.
MIN_SCREENING_WEIGHT, MAX_SCREENING_WEIGHT = 0.0, 10.0
#: The engine's work budget for one run from the web page, in seconds (about).
TIME_LIMIT = 5.0

ACTIONS = ("pin", "exclude", "clear")


class LineupError(Exception):
    """A line-up rule was broken. ``reasons`` lists every rule the run cannot meet;
    ``field`` names the form field the message belongs beside."""

    def __init__(
        self, message: str, *, field: str | None = None, reasons: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.reasons = list(reasons)


def stale_message() -> str:
    """The same words as the session form's optimistic-locking refusal."""
    return str(_l("This session was changed by someone else – reload to see their changes."))


def check_version(event: Event, version: Any, *, lock: bool = True) -> None:
    """Refuse a post made from a page older than the last change.

    With ``lock`` the event row is re-read and locked (``SELECT ... FOR UPDATE``
    on PostgreSQL) until the request commits, so two organisers posting at the
    same moment cannot both pass. An engine run checks first without the lock
    and locks only to store its result, so the row is not held while it runs.
    """
    if lock:
        db.session.refresh(event, with_for_update=True)
    if not is_current_version(event, version):
        raise LineupError(stale_message(), field="version")


def _changed(event: Event) -> None:
    """Bump the version; a stored line-up is out of date until it is run again."""
    event.version += 1
    if event.lineup_run_at is not None:
        event.lineup_bound = None
        event.lineup_optimal = False


# --------------------------------------------------------------------------
# Reading: keys, bonus, who is in
# --------------------------------------------------------------------------


def screening_bonus(weight: float, mean: float | None) -> float:
    """``weight * (mean - 1) / 4``: 0 for an unscored proposal, ``weight`` for a perfect 5."""
    if mean is None:
        return 0.0
    return round(max(0.0, weight * (mean - 1.0) / 4.0), 6)


def _place_label(event: Event, place: int) -> str:
    """ "place 4 (17:30)": the place from 1 and its time in the user's zone."""
    return str(
        _l(
            "place %(place)d (%(time)s)",
            place=place + 1,
            time=format_time(place_time(event, place), "short"),
        )
    )


@dataclass
class Row:
    """One candidate as the line-up page shows it."""

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


def _scores(
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
    scores = _scores([u.id for u in investors], [r.proposal.id for r in usable])
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


def _invited_beyond_slots(event: Event, rows: Iterable[Row]) -> list[str]:
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
                        place=_place_label(event, r.position),
                        slots=event.pitch_slots,
                    )
                )
            )
    return out


def _listed(items: Sequence[str]) -> str:
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
    problems: list[str] = _invited_beyond_slots(event, inp.rows)
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
                rules=_listed(rules),
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
    return str(_l("No line-up meets these rules together: %(rules)s.", rules=_listed(words)))


# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------


@dataclass
class RunResult:
    """What one engine run gave: the line-up and who is who."""

    lineup: LineupResult
    input: EngineInput


def _solve(event: Event, inp: EngineInput, time_limit: float) -> LineupResult:
    if not inp.problem.candidates or inp.seats == 0:
        raise LineupError(
            str(_l("There is no candidate who can pitch yet.")),
            reasons=[
                str(_l("Nominate accepted proposals, or wait for founders to apply.")),
            ],
        )
    if event.lineup_published_at is not None:
        _leave_unfillable_places_empty(event, inp)
    problems = rule_problems(event, inp)
    if problems:
        raise LineupError(str(_l("The rules cannot all be met:")), reasons=problems)
    try:
        return solve_lineup(inp.problem, time_limit=time_limit)
    except InfeasibleError as exc:  # a case rule_problems does not know: the families in words
        log.info("line-up of event %s refused by the engine: %s", event.id, exc)
        raise LineupError(
            str(_l("The rules cannot all be met:")), reasons=[engine_refusal(exc.violations)]
        ) from exc
    except EngineInputError as exc:  # a stored value the engine cannot take
        log.error("line-up input of event %s refused by the engine: %s", event.id, exc)
        raise LineupError(
            str(
                _l(
                    "The line-up could not be computed from the stored data. Nothing was"
                    " changed; please tell the administrator."
                )
            )
        ) from exc


def _leave_unfillable_places_empty(event: Event, inp: EngineInput) -> None:
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


def _positions(order: list[EventCandidate], keep: dict[int, int], slots: int) -> dict[int, int]:
    """Places for the new line-up: every candidate in ``keep`` (candidate id ->
    place) keeps its place; the others take the free places from the first, in
    ``order``. Places may be left empty (a gap) when the line-up is smaller
    than before; nobody kept is ever moved."""
    placed: dict[int, int] = {}
    for c in order:
        p = keep.get(c.id)
        if p is not None and p not in placed.values():
            placed[c.id] = p
    taken = set(placed.values())
    free = iter(p for p in range(max(slots, len(order)) + len(taken)) if p not in taken)
    for c in order:
        if c.id not in placed:
            placed[c.id] = next(free)
    return placed


def _store(event: Event, result: RunResult, now: datetime) -> None:
    """Store the run. Founders who are invited or have accepted keep their places
    (those in the run were kept by the engine as pinned; rule_problems refused
    a place past the slots), and those the run leaves out keep their published
    place until publishing tells them (see the module docstring)."""
    out = result.lineup
    order = [result.input.by_id[int(k)].candidate for k in out.lineup]
    keep = {
        c.id: c.lineup_position
        for c in event.candidates
        if c.holds_invitation and c.lineup_position is not None
    }
    places = _positions(order, keep, event.pitch_slots)
    for c in event.candidates:
        if c.id in places:
            c.lineup_position = places[c.id]
        elif not c.holds_invitation:
            c.lineup_position = None
    event.lineup_value = round(float(out.value), 6) + 0.0
    event.lineup_bound = round(float(out.bound), 6) + 0.0
    event.lineup_optimal = bool(out.optimal)
    event.lineup_run_at = now
    event.version += 1
    db.session.flush()


def run(
    event: Event,
    version: Any,
    *,
    now: datetime | None = None,
    time_limit: float = TIME_LIMIT,
) -> RunResult:
    """Propose a line-up with the engine and store it (raises LineupError, changing nothing)."""
    check_version(event, version, lock=False)
    inp = engine_input(event)
    result = RunResult(_solve(event, inp, time_limit), inp)
    check_version(event, version)
    _store(event, result, now or utcnow())
    return result


def declined_in_lineup(event: Event) -> list[EventCandidate]:
    """Founders who declined but still hold a place in the stored line-up."""
    return sorted(
        (
            c
            for c in event.candidates
            if c.invitation is InvitationStatus.DECLINED and c.lineup_position is not None
        ),
        key=lambda c: c.lineup_position or 0,
    )


def next_best(
    event: Event,
    version: Any,
    *,
    now: datetime | None = None,
    time_limit: float = TIME_LIMIT,
) -> RunResult:
    """After a decline: pin every invited or accepted founder (saved), keep out the
    declined, and run again, so only the free places change."""
    check_version(event, version, lock=False)
    if not declined_in_lineup(event):
        raise LineupError(str(_l("No founder in the line-up has declined.")))
    keep = [c for c in event.candidates if c.pitching and not c.excluded]
    for c in keep:
        c.pinned = True
    inp = engine_input(event)
    result = RunResult(_solve(event, inp, time_limit), inp)
    check_version(event, version)
    _store(event, result, now or utcnow())
    return result


# --------------------------------------------------------------------------
# Organiser choices
# --------------------------------------------------------------------------


def set_flag(event: Event, candidate: EventCandidate, action: str) -> bool:
    """Pin, exclude or clear a candidate (pinned and excluded are exclusive).

    Returns whether anything changed; a change marks the line-up out of date.
    """
    if action not in ACTIONS:
        raise LineupError(str(_l("Choose pin, exclude or clear.")))
    if candidate.event_id != event.id:
        raise LineupError(str(_l("That candidate is not in this session.")))
    if action == "pin":
        reason = out_reason(candidate)
        if reason is not None:
            raise LineupError(
                str(
                    _l(
                        "“%(title)s” cannot be pinned: %(reason)s",
                        title=candidate.proposal.title,
                        reason=reason,
                    )
                )
            )
    wanted = (action == "pin", action == "exclude")
    if (candidate.pinned, candidate.excluded) == wanted:
        return False
    candidate.pinned, candidate.excluded = wanted
    _changed(event)
    db.session.flush()
    return True


def set_weight(event: Event, weight: float | None, version: Any) -> bool:
    """Save the screening weight (0 to 10). Returns whether it changed."""
    check_version(event, version)
    if weight is None or not math.isfinite(weight):
        raise LineupError(
            str(_l("Enter a number from 0 to 10, for example 1,5.")), field="screening_weight"
        )
    if not MIN_SCREENING_WEIGHT <= weight <= MAX_SCREENING_WEIGHT:
        raise LineupError(str(_l("The weight must be from 0 to 10.")), field="screening_weight")
    weight = round(weight, 2)
    if math.isclose(weight, event.screening_weight, abs_tol=1e-9):
        return False
    event.screening_weight = weight
    _changed(event)
    db.session.flush()
    return True


# --------------------------------------------------------------------------
# What the page shows
# --------------------------------------------------------------------------


@dataclass
class BestFor:
    investor: User
    row: Row | None
    score: float


@dataclass
class LineupState:
    """The stored line-up and everything the organiser needs to judge it."""

    rows: list[Row]
    #: The last run's line-up in place order (declined founders still in it;
    #: invited founders the run leaves out are in ``leaving`` instead).
    lineup: list[Row]
    has_run: bool
    #: Why the stored line-up no longer fits the rules (blocks publishing).
    problems: list[str] = field(default_factory=list)
    #: Things that happened since the run that do not block publishing.
    notes: list[str] = field(default_factory=list)
    declined: list[Row] = field(default_factory=list)
    best_for: list[BestFor] = field(default_factory=list)
    left_out: list[Row] = field(default_factory=list)
    #: Invited founders no longer in the line-up: publishing tells them.
    leaving: list[Row] = field(default_factory=list)

    @property
    def out_of_date(self) -> bool:
        return bool(self.problems or self.declined)

    @property
    def current(self) -> bool:
        return self.has_run and bool(self.lineup) and not self.out_of_date

    @property
    def places(self) -> list[tuple[int, Row | None]]:
        """Every place up to the last pitch, with its row (None: an empty place)."""
        by_place: dict[int, Row] = {}
        for r in self.lineup:  # a newcomer in a declined founder's place shows, not the decline
            if r.position is not None and (r.position not in by_place or r not in self.declined):
                by_place[r.position] = r
        last = max(by_place, default=-1)
        return [(p, by_place.get(p)) for p in range(last + 1)]

    @property
    def gaps(self) -> list[int]:
        """Empty places before the last pitch (0 = first)."""
        return [p for p, r in self.places if r is None]


def _best_for(
    investors: list[User], lineup: list[Row], scores: dict[tuple[int, int], float]
) -> list[BestFor]:
    """Each investor's best pitch in the line-up (the engine's rule: highest score,
    ties by engine id, none where every score is 0)."""
    out = []
    ordered = sorted(lineup, key=lambda r: r.candidate.id)
    for u in investors:
        best: Row | None = None
        best_v = 0.0
        for r in ordered:
            v = scores.get((u.id, r.proposal.id), 0.0)
            if v > best_v:
                best, best_v = r, v
        out.append(BestFor(u, best, best_v))
    return out


def lineup_state(event: Event) -> LineupState:
    """Read the stored line-up and check it against the rules as they are now."""
    all_rows = rows(event)
    lineup = sorted(
        (r for r in all_rows if r.position is not None and not r.leaving),
        key=lambda r: (r.position or 0, r.candidate.id),
    )
    state = LineupState(
        rows=all_rows,
        lineup=lineup,
        has_run=event.lineup_run_at is not None,
        left_out=[r for r in all_rows if r.left_out is not None],
        leaving=[r for r in all_rows if r.leaving],
    )
    # Each investor's best pitch among those that will happen (a declined one will not).
    pitching = [
        r
        for r in lineup
        if r.left_out is None and r.candidate.invitation is not InvitationStatus.DECLINED
    ]
    investors = attendee_investors(event)
    scores = _scores([u.id for u in investors], [r.proposal.id for r in pitching])
    state.best_for = _best_for(investors, pitching, scores)
    run_at = event.lineup_run_at
    if run_at is None:
        return state
    # Per candidate first: each says why a place is wrong.
    specific: list[str] = []
    for r in lineup:
        title = r.proposal.title
        if r.candidate.invitation is InvitationStatus.DECLINED:
            state.declined.append(r)
        elif r.left_out is not None:
            specific.append(
                str(
                    _l(
                        "“%(title)s” is in the line-up but cannot pitch: %(reason)s",
                        title=title,
                        reason=r.left_out,
                    )
                )
            )
        elif r.candidate.excluded:
            specific.append(
                str(_l("“%(title)s” is in the line-up but is now excluded.", title=title))
            )
    for r in all_rows:
        if r.candidate.pinned and r.position is None and r.left_out is None:
            specific.append(
                str(_l("“%(title)s” is pinned but not in the line-up.", title=r.proposal.title))
            )
        elif r.kept and r.position is None:
            specific.append(
                str(
                    _l(
                        "“%(title)s” is invited to pitch but has no place in the line-up.",
                        title=r.proposal.title,
                    )
                )
            )
    # Places past the pitch slots (the slots were reduced): after the size check.
    beyond = _invited_beyond_slots(event, lineup)
    for r in lineup:
        if not r.invited and r.position is not None and r.position >= event.pitch_slots:
            beyond.append(
                str(
                    _l(
                        "“%(title)s” has place %(place)d, but the session now has %(slots)d"
                        " pitch slots.",
                        title=r.proposal.title,
                        place=r.position + 1,
                        slots=event.pitch_slots,
                    )
                )
            )
    shared = Counter(
        r.position for r in lineup if r.position is not None and r not in state.declined
    )
    for place in sorted(p for p, n in shared.items() if n > 1):
        specific.append(
            str(
                _l(
                    "Two pitches have place %(place)d: %(titles)s.",
                    place=place + 1,
                    titles=_listed(
                        [
                            r.proposal.title
                            for r in lineup
                            if r.position == place and r not in state.declined
                        ]
                    ),
                )
            )
        )
    if event.lineup_bound is None:
        state.problems.append(
            str(_l("Pins, exclusions or the screening weight changed after the last run."))
        )
    state.problems.extend(specific)
    seats = min(event.pitch_slots, sum(1 for r in all_rows if r.available))
    count = len(lineup) - len(state.declined)
    if event.lineup_published_at is not None and count < seats:
        fillable = engine_input(event)
        _leave_unfillable_places_empty(event, fillable)
        seats = min(seats, fillable.seats)  # places nobody may take stay empty
    # A decline leaves a free place: the notice about it says what to do.
    if not specific and (count > seats or (count < seats and not state.declined)):
        state.problems.append(
            str(
                _l(
                    "The line-up no longer has the right size: pitches %(n)d, places now %(seats)d.",
                    n=count,
                    seats=seats,
                )
            )
        )
    state.problems.extend(beyond)
    for m in event.minimums:
        have = sum(1 for r in lineup if r.subproject_slug == m.subproject.slug)
        if m.minimum and have < m.minimum:
            state.problems.append(
                str(
                    _l(
                        "The line-up no longer meets the minimum for “%(sub)s”: %(have)d of %(min)d.",
                        have=have,
                        sub=m.subproject.name,
                        min=m.minimum,
                    )
                )
            )
    cap = event.max_per_municipality
    if cap is not None:
        for muni, count in sorted(Counter(r.municipality for r in lineup).items()):
            if count > cap:
                state.problems.append(
                    str(
                        _l(
                            "The line-up has more pitches from %(muni)s than the limit per municipality"
                            " allows: %(n)d, limit %(cap)d.",
                            n=count,
                            muni=muni,
                            cap=cap,
                        )
                    )
                )
    for r in state.leaving:
        reason = str(_l("It is excluded.")) if r.candidate.excluded else r.left_out or ""
        state.notes.append(
            str(
                _l(
                    "“%(title)s” leaves the programme when you publish: %(reason)s Publishing"
                    " tells the founder by e-mail.",
                    title=r.proposal.title,
                    reason=reason,
                )
            )
        )
    gaps = state.gaps
    if gaps:
        empty = [_place_label(event, p) for p in gaps]
        state.notes.append(
            str(
                _l(
                    "The line-up is smaller than before: %(n)d pitches. Founders already invited"
                    " keep their times, so these places stay empty: %(places)s.",
                    n=sum(1 for _p, r in state.places if r is not None),
                    places=_listed(empty),
                )
            )
        )
    newcomers = sum(1 for a in event.attendees if a.signed_up_at > run_at and a.user in investors)
    if newcomers:
        state.notes.append(
            str(
                _l(
                    "Investors who signed up after the last run: %(n)d. Running again may serve"
                    " them better.",
                    n=newcomers,
                )
            )
        )
    added = sum(1 for r in all_rows if r.candidate.created_at > run_at and r.available)
    if added:
        state.notes.append(str(_l("Candidates added after the last run: %(n)d.", n=added)))
    return state


# --------------------------------------------------------------------------
# Publishing and the founders' answers
# --------------------------------------------------------------------------


@dataclass
class Published:
    invited: list[EventCandidate]
    removed: list[EventCandidate]


#: What a person plans their day by: a change to any of these after the
#: programme is published is e-mailed to the founders and investors in it.
TIMING = (
    "starts_at",
    "minutes_per_pitch",
    "meetings_start_at",
    "meeting_minutes",
    "venue",
    "municipality_id",
)


def timing(event: Event) -> tuple[Any, ...]:
    """The session's times and place, to compare before and after an edit."""
    return tuple(getattr(event, name) for name in TIMING)


def tell_changed_times(event: Event, before: tuple[Any, ...]) -> int:
    """After an edit of a published programme that moved its times or place
    (``before`` from :func:`timing`), e-mail each pitching founder their new
    pitch time and each signed-up investor the new times, in their language.
    Returns how many were told (0: nothing changed, or nothing published yet).
    """
    if event.lineup_published_at is None or timing(event) == before:
        return 0
    return notifications.changed_times(event)


def publish(event: Event, version: Any, *, now: datetime | None = None) -> Published:
    """Invite the newcomers of the current line-up and tell those no longer in it.

    Refused (nothing changed) on a stale version, a draft or past session, no
    line-up, or a line-up that no longer fits the rules.
    """
    now = now or utcnow()
    check_version(event, version)
    if not event.is_published:
        raise LineupError(
            str(_l("Publish the session first: founders cannot be invited to a draft."))
        )
    if event.starts_at <= now:
        raise LineupError(str(_l("This session has already started.")))
    state = lineup_state(event)
    if not state.has_run or not state.lineup:
        raise LineupError(str(_l("Propose a line-up first.")))
    if state.out_of_date:
        raise LineupError(
            str(_l("The line-up is out of date: propose it again before publishing.")),
            reasons=state.problems
            + [
                str(_l("“%(title)s” declined the invitation.", title=r.proposal.title))
                for r in state.declined
            ],
        )
    invited: list[EventCandidate] = []
    removed: list[EventCandidate] = []
    leaving = {r.candidate.id for r in state.leaving}
    for c in event.candidates:
        if c.id in leaving:
            c.invitation = None
            c.invited_at = None
            c.responded_at = None
            c.lineup_position = None
            removed.append(c)
        elif c.lineup_position is not None and c.invitation is None:
            c.invitation = InvitationStatus.INVITED
            c.invited_at = now
            c.responded_at = None
            invited.append(c)
    event.lineup_published_at = now
    event.version += 1
    db.session.flush()
    for c in sorted(invited, key=lambda c: c.lineup_position or 0):
        notifications.invited(event, c)
    for c in removed:
        notifications.removed_from_lineup(event, c)
    return Published(invited, removed)


def answer(
    candidate: EventCandidate, founder: User, accept: bool, *, now: datetime | None = None
) -> bool:
    """The founder accepts or declines the invitation; the organisers are e-mailed.

    Returns False (nothing changed, no e-mail) when the answer is the one
    already given. Raises LineupError when there is no open invitation, after
    a decline (accepting again is not possible here), or once the session
    has started.
    """
    now = now or utcnow()
    if candidate.proposal.company.owner_id != founder.id:
        raise LineupError(str(_l("Only the founder can answer this invitation.")))
    db.session.refresh(candidate, with_for_update=True)
    event = candidate.event
    status = candidate.invitation
    if status is None or event.lineup_published_at is None:
        raise LineupError(str(_l("There is no open invitation for this proposal.")))
    if event.starts_at <= now:
        raise LineupError(str(_l("This session has already started.")))
    if status is InvitationStatus.DECLINED:
        if accept:
            raise LineupError(
                str(
                    _l(
                        "You have declined this invitation. If you have changed your mind,"
                        " contact BAN Ofoten: the place may have gone to someone else."
                    )
                )
            )
        return False
    if accept and status is InvitationStatus.ACCEPTED:
        return False
    candidate.invitation = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    candidate.responded_at = now
    if not accept:  # the line-up loses a pitch: a page showing it as whole is out of date
        # version = version + 1 in SQL, so an organiser's save at the same moment
        # is not overwritten with a bump computed from an older value.
        db.session.execute(
            update(Event).where(Event.id == event.id).values(version=Event.version + 1),
            execution_options={"synchronize_session": "fetch"},
        )
    db.session.flush()
    notifications.invitation_answered(event, candidate, accept)
    return True


@dataclass
class ProgrammeItem:
    candidate: EventCandidate
    proposal: Proposal
    starts_at: datetime | None


def programme(event: Event) -> list[ProgrammeItem]:
    """The published programme: the pitches in order with their times (empty before
    publishing). Only what was published shows, never a newer run: the founders
    invited or accepted, at the places they were invited for
    (``EventCandidate.pitching``). Declined founders are left out, and so is a
    proposal taken out of investors' sight since (withdrawn, declined,
    closed): its teaser is no longer public. A proposal that moved on after
    the session (in dialogue, funded) stays in the programme."""
    if event.lineup_published_at is None:
        return []
    return [
        ProgrammeItem(c, c.proposal, pitch_time(event, c.lineup_position))
        for c in pitching_candidates(event)
    ]


def invitations_of(event: Event, founder: User) -> list[EventCandidate]:
    """The founder's candidates in this session that have an invitation (any answer)."""
    if event.lineup_published_at is None:
        return []
    return [
        c
        for c in event.candidates
        if c.invitation is not None and c.proposal.company.owner_id == founder.id
    ]
