"""What needs an organiser's action in the open funding rounds: one item per
round, for the organisers' home (:mod:`matchmaking.main.home.organiser`).
Nothing here writes to the database.

A round is listed, with every reason that applies, when:

- ``closing_passed``: its closing date has passed (Oslo's calendar) and no
  outcome is recorded;
- ``closing_soon``: its closing date is within 7 days, the rule of the
  closing reminder (:func:`matchmaking.rounds.services.closing_near_until`,
  what ``flask rounds remind`` uses);
- ``target_reached``: its active commitments reach the target
  (:attr:`matchmaking.rounds.services.Totals.reached`, as on the round page),
  so the outcome can be recorded;
- ``lead_waiting``: investors with an active commitment offered to lead and
  no lead is chosen.

Recording the outcome closes the round, so it leaves the list; choosing a
lead ends ``lead_waiting``; a later closing date ends the date's reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaking.dates import day, oslo_today
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.money import format_kroner
from matchmaking.proposals.models import Proposal
from matchmaking.rounds.models import Round, RoundState
from matchmaking.rounds.services import active_commitments, closing_near_until, totals


@dataclass(frozen=True)
class Reason:
    kind: str
    message: str


@dataclass(frozen=True)
class RoundItem:
    """One open round that needs an organiser, with why (in words) and its page."""

    round: Round
    reasons: list[Reason]
    url: str

    @property
    def proposal(self) -> Proposal:
        return self.round.proposal


def reasons(round_: Round, today: date) -> list[Reason]:
    """Why an open round needs an organiser on ``today`` (empty: it does not)."""
    found: list[Reason] = []
    closes_on = round_.closes_on
    if closes_on is not None and closes_on < today:
        found.append(
            Reason(
                "closing_passed",
                str(
                    _l(
                        "The closing date, %(day)s, has passed and no outcome is recorded:"
                        " record the outcome or set a later date.",
                        day=day(closes_on),
                    )
                ),
            )
        )
    elif closes_on is not None and closes_on <= closing_near_until(today):
        found.append(
            Reason(
                "closing_soon",
                str(
                    _l(
                        "The round closes on %(day)s: record the outcome when it is settled,"
                        " or set a later date.",
                        day=day(closes_on),
                    )
                ),
            )
        )
    gathered = totals(round_)
    if gathered.reached:
        found.append(
            Reason(
                "target_reached",
                str(
                    _l(
                        "The commitments have reached the target (%(total)s of %(target)s):"
                        " record the outcome.",
                        total=format_kroner(gathered.total),
                        target=format_kroner(gathered.target),
                    )
                ),
            )
        )
    if round_.lead_id is None:
        offered = sum(1 for c in active_commitments(round_) if c.would_lead)
        if offered:
            found.append(
                Reason(
                    "lead_waiting",
                    str(
                        _l(
                            "Investors who offered to lead, with no lead chosen: %(n)d."
                            " Choose the lead.",
                            n=offered,
                        )
                    ),
                )
            )
    return found


def rounds_needing_action(now: datetime | None = None) -> list[RoundItem]:
    """The open rounds that need an organiser, the closing date soonest first
    (passed ones first), then rounds without a date, by proposal title."""
    today = oslo_today(now or utcnow())
    rounds = db.session.scalars(
        select(Round)
        .where(Round.state == RoundState.OPEN)
        .options(selectinload(Round.commitments), selectinload(Round.proposal))
    )
    items = []
    for round_ in rounds:
        why = reasons(round_, today)
        if why:
            url = url_for("rounds.show", proposal_id=round_.proposal_id)
            items.append(RoundItem(round_, why, url))
    items.sort(
        key=lambda i: (
            i.round.closes_on is None,
            i.round.closes_on or today,
            i.proposal.title,
            i.round.id,
        )
    )
    return items
