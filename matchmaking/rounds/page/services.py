"""The round page's rules: changing an open round's terms and choosing its lead.

Every change posts the ``version`` of the round its form showed.
:func:`~matchmaking.rounds.services.claim_version` compares and bumps it in one conditional UPDATE
(``... WHERE version = :seen``), so of the founder and an organiser saving
at the same moment the second is refused (:class:`StaleRound`) and nobody's
change is overwritten unseen. Functions flush, never commit; e-mails go
through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from matchmaking.accounts.models import User
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Instrument
from matchmaking.rounds import notifications, services
from matchmaking.rounds.models import Commitment, Round
from matchmaking.rounds.services import RoundError


class StaleRound(RoundError):
    """Someone else changed the round since the form was shown."""

    def __init__(self) -> None:
        super().__init__(
            _l(
                "Someone else changed this round while you had the page open, so nothing was"
                " saved. The round as it is now is shown; check it and try again."
            )
        )


def _claim(round_: Round, version: object) -> None:
    if not services.claim_version(round_, version):
        raise StaleRound()


def _must_be_open(round_: Round) -> None:
    if not round_.is_open:
        raise RoundError(_l("This round has closed: its terms and lead can no longer change."))


@dataclass(frozen=True)
class Terms:
    """What the terms form holds (``totals_visible`` None: left as it is)."""

    target: int | None
    min_ticket: int | None
    instrument: Instrument
    closes_on: date | None
    totals_visible: bool | None = None


def _date_checked(round_: Round | None, closes_on: date | None, today: date) -> date | None:
    """The day a closing date may not be before: ``today``, unless the date is
    kept as it was (one that has passed since it was set blocks nothing)."""
    kept_date = round_ is not None and closes_on == round_.closes_on
    return None if kept_date else today


def terms_problems(
    round_: Round | None,
    *,
    target: int | None,
    min_ticket: int | None,
    closes_on: date | None,
    today: date,
) -> list[RoundError]:
    """Every way the typed terms do not hold together, each naming its field,
    for the form to show all at once (see :func:`check_new_terms`)."""
    return services.terms_problems(
        target, min_ticket, closes_on, today=_date_checked(round_, closes_on, today)
    )


def check_new_terms(round_: Round | None, terms: Terms, today: date) -> tuple[int, int]:
    """The target and smallest ticket; RoundError (with its field) unless
    ``terms`` hold together.

    The closing date may not be before ``today`` when it is set or changed;
    an unchanged date that has passed since does not block other changes.
    """
    draft = Round(
        target=terms.target,
        min_ticket=terms.min_ticket,
        instrument=terms.instrument,
        closes_on=terms.closes_on,
    )
    services.check_terms(draft, today=_date_checked(round_, terms.closes_on, today))
    return draft.target, draft.min_ticket


def open_with_terms(proposal: Any, actor: User, terms: Terms, today: date) -> Round:
    """Open a round with ``terms`` (see :func:`services.start_round`)."""
    check_new_terms(None, terms, today)
    opened = services.start_round(
        proposal,
        actor,
        target=terms.target,
        min_ticket=terms.min_ticket,
        instrument=terms.instrument,
        closes_on=terms.closes_on,
        today=today,
    )
    if terms.totals_visible is not None:
        opened.totals_visible = terms.totals_visible
        db.session.flush()
    return opened


def change_terms(round_: Round, version: object, terms: Terms, today: date) -> None:
    """Change an open round's terms unless someone changed the round since
    ``version`` was shown (:class:`StaleRound`).

    A target below what is committed is allowed (commitments stay as they
    are); when the change makes the commitments reach the target, everyone
    concerned is told, once per round as when a commitment reaches it.
    """
    _must_be_open(round_)
    if not services.is_current_version(round_, version):
        raise StaleRound()
    target, min_ticket = check_new_terms(round_, terms, today)
    _claim(round_, version)
    round_.target = target
    round_.min_ticket = min_ticket
    round_.instrument = terms.instrument
    round_.closes_on = terms.closes_on
    if terms.totals_visible is not None:
        round_.totals_visible = terms.totals_visible
    db.session.flush()
    services.tell_if_target_reached(round_)


def lead_candidates(round_: Round) -> list[Commitment]:
    """The active commitments whose investor offered to lead."""
    return [c for c in services.active_commitments(round_) if c.would_lead]


def choose_lead(round_: Round, version: object, investor_id: int | None) -> bool:
    """Organisers choose the lead among those who offered (or clear it with None).

    Changing the lead clears the founder's agreement; the founder is e-mailed
    to agree. Returns whether anything changed.
    """
    _must_be_open(round_)
    if not services.is_current_version(round_, version):
        raise StaleRound()
    if investor_id == round_.lead_id:
        return False
    if investor_id is not None and investor_id not in {
        c.investor_id for c in lead_candidates(round_)
    }:
        raise RoundError(_l("Choose one of the investors who offered to lead, or no lead."), "lead")
    _claim(round_, version)
    round_.lead_id = investor_id
    round_.lead_chosen_at = utcnow() if investor_id is not None else None
    round_.lead_agreed_at = None
    round_.lead_agreed_by_id = None
    db.session.flush()
    db.session.refresh(round_, ["lead"])
    if round_.lead is not None:
        notifications.lead_proposed(round_, round_.lead)
    return True


def agree_lead(round_: Round, version: object, founder: User) -> User:
    """The founder agrees to the lead the organisers chose; the lead is told
    (and returned)."""
    _must_be_open(round_)
    if not services.is_current_version(round_, version):
        raise StaleRound()
    lead = round_.lead
    if lead is None:
        raise RoundError(_l("No lead investor is proposed for this round."))
    if round_.lead_agreed_at is not None:
        raise RoundError(_l("You have already agreed to this lead investor."))
    _claim(round_, version)
    round_.lead_agreed_at = utcnow()
    round_.lead_agreed_by_id = founder.id
    db.session.flush()
    notifications.lead_agreed(round_, lead)
    return lead
