"""The round's rules: opening one, committing, withdrawing, and the totals.

Functions flush, never commit; e-mails go through the outbox (sent after the
commit). A broken rule raises :class:`RoundError` naming the form field it
belongs beside (``field``) and saying what is wrong in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm.attributes import set_committed_value

from matchmaking.accounts.models import User
from matchmaking.dates import in_oslo
from matchmaking.db_utils import unique_or
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.money import format_kroner
from matchmaking.numbers import parse_int, percent_half_up
from matchmaking.proposals.lifecycle import MAY_COMMIT
from matchmaking.proposals.models import Instrument, Proposal
from matchmaking.rounds import notifications
from matchmaking.rounds.access import may_commit
from matchmaking.rounds.models import Commitment, Round, RoundState


class RoundError(Exception):
    """A rule of the round was broken; ``field`` is the form field it belongs beside."""

    def __init__(self, message: object, field: str | None = None) -> None:
        super().__init__(str(message))
        self.field = field


def open_round(proposal: Proposal) -> Round | None:
    """The proposal's open round, if any."""
    return db.session.scalar(
        select(Round).where(Round.proposal_id == proposal.id, Round.state == RoundState.OPEN)
    )


def rounds_of(proposal: Proposal) -> list[Round]:
    """Every round of the proposal, the newest first."""
    return list(
        db.session.scalars(
            select(Round)
            .where(Round.proposal_id == proposal.id)
            .order_by(Round.opened_at.desc(), Round.id.desc())
        )
    )


def current_round(proposal: Proposal) -> Round | None:
    """The open round, else the latest closed one (what the round page shows)."""
    rounds = rounds_of(proposal)
    return next((r for r in rounds if r.is_open), rounds[0] if rounds else None)


def _second_open_round() -> RoundError:
    return RoundError(
        _l("This proposal already has an open round: close it before opening another.")
    )


def start_round(
    proposal: Proposal,
    actor: User | None,
    *,
    target: int | None = None,
    min_ticket: int | None = None,
    instrument: Instrument | None = None,
    closes_on: date | None = None,
    today: date | None = None,
) -> Round:
    """Open a round for ``proposal``, its terms prefilled from the proposal.

    Raises RoundError when the proposal is not accepted, pitched or in
    dialogue, when a round is already open, or when a term is out of bounds.
    """
    if proposal.status not in MAY_COMMIT:
        raise RoundError(
            _l(
                "A round can be opened once the proposal is accepted for Springbrett, pitched or in dialogue."
            )
        )
    if open_round(proposal) is not None:
        raise _second_open_round()
    new = Round(
        proposal=proposal,
        state=RoundState.OPEN,
        target=proposal.ask if target is None else target,
        min_ticket=proposal.min_ticket if min_ticket is None else min_ticket,
        instrument=proposal.instrument if instrument is None else instrument,
        closes_on=closes_on,
        opened_by_id=actor.id if actor is not None else None,
        opened_at=utcnow(),
    )
    check_terms(new, today=today)
    with unique_or(_second_open_round):
        db.session.add(new)
        db.session.flush()
    return new


def terms_problems(
    target: int | None,
    min_ticket: int | None,
    closes_on: date | None,
    *,
    today: date | None = None,
) -> list[RoundError]:
    """Every way the terms do not hold together, each naming its field (empty:
    they do), so a form can show all its messages at once."""
    problems: list[RoundError] = []
    if target is None or target <= 0:
        problems.append(RoundError(_l("The target must be more than 0 kr."), "target"))
    if min_ticket is None or min_ticket <= 0:
        problems.append(RoundError(_l("The smallest ticket must be more than 0 kr."), "min_ticket"))
    elif target is not None and target > 0 and min_ticket > target:
        problems.append(
            RoundError(
                _l(
                    "The smallest ticket cannot be more than the target (%(target)s).",
                    target=format_kroner(target),
                ),
                "min_ticket",
            )
        )
    if closes_on is not None and today is not None and closes_on < today:
        problems.append(
            RoundError(
                _l("The closing date has passed: choose today or a later date."), "closes_on"
            )
        )
    return problems


def check_terms(round_: Round, *, today: date | None = None) -> None:
    """Raise RoundError (with its field) unless the round's terms hold together
    (the first of :func:`terms_problems`)."""
    problems = terms_problems(round_.target, round_.min_ticket, round_.closes_on, today=today)
    if problems:
        raise problems[0]


def check_amount(round_: Round, amount: int | None) -> int:
    """An indicative amount: at least the smallest ticket, at most the target
    (returned, known to be a number)."""
    if amount is None:
        raise RoundError(_l("Write the amount in whole kroner, for example 500 000."), "amount")
    if amount < round_.min_ticket:
        raise RoundError(
            _l(
                "The company's smallest ticket is %(min)s: write at least that.",
                min=format_kroner(round_.min_ticket),
            ),
            "amount",
        )
    if amount > round_.target:
        raise RoundError(
            _l(
                "The company seeks %(target)s in all: write at most that.",
                target=format_kroner(round_.target),
            ),
            "amount",
        )
    return amount


def commitment_of(round_: Round, investor: User) -> Commitment | None:
    """The investor's commitment in the round (also a withdrawn one), if any."""
    return db.session.scalar(
        select(Commitment).where(
            Commitment.round_id == round_.id, Commitment.investor_id == investor.id
        )
    )


def commit(
    proposal: Proposal,
    investor: User,
    *,
    amount: int | None,
    conditions: str = "",
    would_lead: bool = False,
    named_to_founder: bool = False,
) -> Commitment:
    """Register or change ``investor``'s soft commitment to the proposal's open
    round. A proposal with no round at all gets one, with its terms; once a
    round has closed, a new one must be opened by the founder or organisers.

    Raises RoundError when the investor may not commit or the amount is out of bounds.
    """
    if not may_commit(investor, proposal):
        raise RoundError(
            _l(
                "Commitments can be made while a proposal is accepted for Springbrett, pitched or in dialogue."
            )
        )
    round_ = open_round(proposal)
    if round_ is None:
        if rounds_of(proposal):
            raise RoundError(
                _l(
                    "The round has closed: commitments can be made again once a new round is opened."
                )
            )
        round_ = start_round(proposal, None)
    amount = check_amount(round_, amount)
    existing = commitment_of(round_, investor)
    values = {
        "amount": amount,
        "conditions": conditions.strip(),
        "would_lead": would_lead,
        "named_to_founder": named_to_founder,
    }
    if existing is None:
        existing = Commitment(investor_id=investor.id, **values)
        with unique_or(lambda: RoundError(_l("You have already registered a commitment here."))):
            round_.commitments.append(existing)
            db.session.flush()
    else:
        for key, value in values.items():
            setattr(existing, key, value)
        existing.withdrawn_at = None
        existing.updated_at = utcnow()
        db.session.flush()
    tell_if_target_reached(round_)
    return existing


def tell_if_target_reached(round_: Round) -> None:
    """The first time the commitments reach the target, everyone concerned is told (once)."""
    if round_.target_reached_at is not None:
        return
    db.session.refresh(round_, ["commitments"])
    gathered = totals(round_)
    if gathered.reached:
        round_.target_reached_at = utcnow()
        db.session.flush()
        notifications.target_reached(round_, gathered.total)


def withdraw(commitment: Commitment) -> None:
    """Withdraw a commitment while its round is open (kept, marked withdrawn)."""
    if not commitment.round.is_open:
        raise RoundError(_l("The round has closed: its commitments can no longer change."))
    if commitment.round.lead_id == commitment.investor_id:
        commitment.round.lead_id = None
        commitment.round.lead_chosen_at = None
        commitment.round.lead_agreed_at = None
        commitment.round.lead_agreed_by_id = None
    commitment.withdrawn_at = utcnow()
    db.session.flush()


def active_commitments(round_: Round) -> list[Commitment]:
    return [c for c in round_.commitments if c.is_active]


@dataclass(frozen=True)
class Totals:
    """What a round has gathered: the sum of active commitments, how many
    investors, and the share of the target (0-100, for a progress bar)."""

    total: int
    count: int
    target: int

    @property
    def share(self) -> int:
        """The total as a share of the target in whole per cent, rounded half up
        (2 of 3 million is 67); beyond 100 when the target is passed."""
        if self.target <= 0:
            return 0
        return percent_half_up(self.total, self.target)

    @property
    def percent(self) -> int:
        """:attr:`share`, at most 100 (for a bar)."""
        return min(100, self.share)

    @property
    def reached(self) -> bool:
        return self.total >= self.target > 0


def totals(round_: Round) -> Totals:
    active = active_commitments(round_)
    return Totals(total=sum(c.amount for c in active), count=len(active), target=round_.target)


def is_current_version(round_: Round, version: object) -> bool:
    """Whether ``version`` as posted (a number, text or None) is the round's current one."""
    text = version if isinstance(version, int) else str(version if version is not None else "")
    number = parse_int(text.strip() if isinstance(text, str) else text)
    return number is not None and number == round_.version


def claim_version(round_: Round, version: object) -> bool:
    """Whether ``version`` (as posted: a number, text or None) is the round's
    current version; if so, bump it in one conditional UPDATE (``... WHERE
    version = :seen``), so of the founder and an organiser posting at the same
    moment the second gets False even when both read the same version (on
    PostgreSQL the second UPDATE waits for the first to commit, then matches
    no row). Like ``events.versioning.claim_version``.
    """
    if not is_current_version(round_, version):
        return False
    seen = round_.version
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Round)
            .where(Round.id == round_.id, Round.version == seen)
            .values(version=Round.version + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return False
    set_committed_value(round_, "version", seen + 1)
    return True


#: The closing-date reminder goes this many days before ``closes_on``.
REMIND_DAYS_BEFORE = 7


def closing_near_until(today: date) -> date:
    """The last closing date that counts as near on ``today`` (Oslo's calendar):
    7 days ahead. An open round whose ``closes_on`` is on or before it closes
    soon, or its date has passed; the reminder (:func:`remind_closing`) and the
    organisers' home use this one rule."""
    return today + timedelta(days=REMIND_DAYS_BEFORE)


def remind_closing(now: datetime) -> list[tuple[Round, int]]:
    """Tell everyone concerned that an open round's closing date is near: once
    per round (``closing_reminded_at``), from 7 days before ``closes_on`` (in
    Oslo) or later while the round is still open. Returns each round reminded
    and how many people were told."""
    today = in_oslo(now).date()
    due = db.session.scalars(
        select(Round)
        .where(
            Round.state == RoundState.OPEN,
            Round.closes_on.is_not(None),
            Round.closes_on <= closing_near_until(today),
            Round.closing_reminded_at.is_(None),
        )
        .order_by(Round.closes_on, Round.id)
    )
    sent: list[tuple[Round, int]] = []
    for round_ in due:
        round_.closing_reminded_at = now
        told = notifications.closing_soon(round_)
        sent.append((round_, len(told)))
    db.session.flush()
    return sent
