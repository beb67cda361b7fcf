"""What the line-up pages show: the stored line-up checked against the rules as
they are now, each investor's best pitch, the published programme and a
founder's invitations. Nothing here writes to the database.

- There is no "out of date" column: a change of a pin, an exclusion or the
  screening weight after a run clears ``Event.lineup_bound`` (the proof
  belonged to the old input) while the line-up, its value and its run time
  stay. :func:`lineup_state` also checks the stored line-up against the rules
  as they are now (an excluded, declined or no longer accepted candidate in
  it, a pinned one missing, a quota or the size no longer met). Any of these
  makes the line-up out of date and unpublishable until it is run again.
  Investors who signed up, or candidates added, after the run are mentioned
  but do not block publishing (the programme may already be out).
- Once a line-up has been published, invited founders keep their places, so a
  smaller new line-up can leave a place empty before the last pitch
  (:attr:`LineupState.gaps`); the page says so.
- Until it is published, a new run changes only the organisers' page: the
  programme everyone else sees (:func:`programme`, the agendas, the meeting
  choices and the schedule) is the published one, the founders who are
  invited or have accepted, at their places. So an invited founder whom a new
  run leaves out (excluded, or the proposal can no longer pitch) keeps
  ``lineup_position`` at their published place until publishing; the page
  lists them as leaving the programme (:attr:`LineupState.leaving`).
  (``lineup_position`` of everyone else is the place in the last run.)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from matchmaking.accounts.models import User
from matchmaking.events.lineup.adapter import (
    Row,
    engine_input,
    invited_beyond_slots,
    leave_unfillable_places_empty,
    listed,
    match_scores,
    place_label,
    rows,
)
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.events.programme import attendee_investors, pitch_time, pitching_candidates
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Proposal

# --------------------------------------------------------------------------
# The organisers' page
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
    scores = match_scores([u.id for u in investors], [r.proposal.id for r in pitching])
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
    beyond = invited_beyond_slots(event, lineup)
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
                    titles=listed(
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
        leave_unfillable_places_empty(event, fillable)
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
        empty = [place_label(event, p) for p in gaps]
        state.notes.append(
            str(
                _l(
                    "The line-up is smaller than before: %(n)d pitches. Founders already invited"
                    " keep their times, so these places stay empty: %(places)s.",
                    n=sum(1 for _p, r in state.places if r is not None),
                    places=listed(empty),
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
# The session page
# --------------------------------------------------------------------------


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


def left_out_of(event: Event, founder: User) -> list[EventCandidate]:
    """The founder's candidates a published line-up left out ("not this time"):
    told by e-mail (``left_out_at``) and holding no invitation now."""
    if event.lineup_published_at is None:
        return []
    return [
        c
        for c in event.candidates
        if c.left_out_at is not None
        and c.invitation is None
        and c.proposal.company.owner_id == founder.id
    ]
