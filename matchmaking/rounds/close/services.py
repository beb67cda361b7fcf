"""Recording a round's outcome: funded (what was raised, by whom) or closed
without funding (why). Irreversible; functions flush, the view commits.

Funded moves the proposal to "funded" on its timeline
(:func:`matchmaking.proposals.services.record_funded`); closed without
funding leaves the proposal's status alone, so a new round may be opened.
E-mails leave after the commit (:mod:`matchmaking.rounds.notifications`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from matchmaking.accounts.models import User
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.money import format_kroner
from matchmaking.proposals.models import Instrument
from matchmaking.proposals.services import TransitionError, record_funded
from matchmaking.rounds import notifications
from matchmaking.rounds.models import CloseReason, Commitment, Investment, Round, RoundState
from matchmaking.rounds.services import RoundError, active_commitments


@dataclass(frozen=True)
class Invested:
    """One line of a funded close: a network investor (``investor_id``) or
    someone outside the network (``outside_name``), and the amount."""

    amount: int
    investor_id: int | None = None
    outside_name: str | None = None


def _check_open(round_: Round) -> None:
    if not round_.is_open:
        raise RoundError(_l("This round has already closed: its outcome is recorded."))


#: An amount raised above this many times the target is asked about before the
#: close (a slip of the finger, or a real oversubscription: it is not refused).
FAR_ABOVE_TARGET = 2


def far_above_target(round_: Round, raised: int | None) -> bool:
    """Whether ``raised`` is more than :data:`FAR_ABOVE_TARGET` times the target."""
    return raised is not None and raised > FAR_ABOVE_TARGET * round_.target


def funded_problems(
    round_: Round,
    *,
    raised: int | None,
    funded_on: date | None,
    pre_money: int | None,
    investments: Sequence[Invested],
    today: date,
) -> list[RoundError]:
    """Every way a funded close does not hold together, each naming its field
    (empty: it does), so the form shows all its messages at once: the amount
    raised given, the date given and not in the future, the pre-money above
    0, the investments (of investors with an active commitment, or outside
    the network) not above the amount raised."""
    problems: list[RoundError] = []
    if raised is None or raised <= 0:
        problems.append(
            RoundError(_l("Write the amount raised in whole kroner, more than 0."), "raised")
        )
    if funded_on is None:
        problems.append(
            RoundError(_l("Enter the date of the funding, e.g. 2027-02-18."), "funded_on")
        )
    elif funded_on > today:
        problems.append(RoundError(_l("The date cannot be in the future."), "funded_on"))
    if pre_money is not None and pre_money <= 0:
        problems.append(
            RoundError(_l("The pre-money valuation must be more than 0 kr."), "pre_money")
        )
    committed = {c.investor_id for c in active_commitments(round_)}
    lines = [i for i in investments if i.amount > 0]
    if any(i.investor_id is not None and i.investor_id not in committed for i in lines):
        problems.append(
            RoundError(_l("Only investors with a commitment in this round are listed."))
        )
    total = sum(i.amount for i in lines)
    if raised is not None and raised > 0 and total > raised:
        problems.append(
            RoundError(
                _l(
                    "The investments add up to %(total)s, more than the amount raised"
                    " (%(raised)s): raise the amount or lower the investments.",
                    total=format_kroner(total),
                    raised=format_kroner(raised),
                ),
                "raised",
            )
        )
    return problems


def check_funded(
    round_: Round,
    *,
    raised: int | None,
    funded_on: date | None,
    pre_money: int | None,
    investments: Sequence[Invested],
    today: date,
) -> list[Invested]:
    """Raise RoundError (with its field) unless a funded close holds together
    (the first of :func:`funded_problems`). Returns the lines with an amount
    (0 = did not invest)."""
    _check_open(round_)
    problems = funded_problems(
        round_,
        raised=raised,
        funded_on=funded_on,
        pre_money=pre_money,
        investments=investments,
        today=today,
    )
    if problems:
        raise problems[0]
    return [i for i in investments if i.amount > 0]


def close_funded(
    round_: Round,
    actor: User,
    *,
    raised: int | None,
    funded_on: date | None,
    instrument: Instrument,
    pre_money: int | None,
    investments: Sequence[Invested],
    today: date,
) -> list[Commitment]:
    """Close ``round_`` as funded and move its proposal to "funded".

    ``investments`` with an amount of 0 are left out (did not invest); network
    lines must be investors with an active commitment. Raises RoundError (with
    its field) when the amount raised is missing, the date is in the future or
    the investments sum above the amount raised. Returns the active
    commitments whose investor did not invest (they are told the round closed).
    """
    lines = check_funded(
        round_,
        raised=raised,
        funded_on=funded_on,
        pre_money=pre_money,
        investments=investments,
        today=today,
    )
    committed = {c.investor_id: c for c in active_commitments(round_)}
    try:
        record_funded(round_.proposal, actor)
    except TransitionError as exc:
        raise RoundError(str(exc)) from exc
    for position, line in enumerate(lines):
        round_.investments.append(
            Investment(
                investor_id=line.investor_id,
                outside_name=line.outside_name,
                amount=line.amount,
                position=position,
            )
        )
    round_.state = RoundState.FUNDED
    round_.raised = raised
    round_.funded_on = funded_on
    round_.instrument = instrument
    round_.pre_money = pre_money
    _closed(round_, actor)
    invested = {i.investor_id for i in lines if i.investor_id is not None}
    left = [c for c in committed.values() if c.investor_id not in invested]
    notifications.round_funded(round_, left)
    return left


def close_not_funded(round_: Round, actor: User, *, reason: CloseReason | None, words: str) -> None:
    """Close ``round_`` without funding, with a reason from the list and optional
    words. The proposal's status stays; a new round may be opened later."""
    _check_open(round_)
    if reason is None:
        raise RoundError(_l("Choose why the round closed without funding."), "reason")
    round_.state = RoundState.NOT_FUNDED
    round_.close_reason = reason
    round_.close_words = words.strip()
    _closed(round_, actor)
    notifications.round_not_funded(round_)


def _closed(round_: Round, actor: User) -> None:
    round_.closed_at = utcnow()
    round_.closed_by_id = actor.id
    db.session.flush()
