"""An investor's choices on a match: save it, or say "not interested" and why.

One ``MatchChoice`` row per investor and proposal holds the latest word.
Saving a proposal the investor had turned down takes the "not interested"
back (the reason goes with it); saying "not interested" un-saves it.
Organisers see the reasons; founders only anonymous counts (elsewhere).
Functions flush, never commit; the request commits once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from matchmaking.accounts.models import User
from matchmaking.db_utils import get_or_create
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.matches.models import MatchChoice, NotInterestedReason
from matchmaking.proposals.lifecycle import HIDDEN_FROM_INVESTORS
from matchmaking.proposals.models import Proposal

REASON_TEXT_MAX: Final = 1000


class ChoiceError(Exception):
    """A rule was broken; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def is_matchable(proposal: Proposal) -> bool:
    """Whether investors may see ``proposal`` among matches (and save it or turn it down)."""
    return proposal.status not in HIDDEN_FROM_INVESTORS


def choice_for(investor: User, proposal: Proposal) -> MatchChoice | None:
    """The investor's choice on ``proposal``, if any."""
    found: MatchChoice | None = db.session.scalar(
        select(MatchChoice).where(
            MatchChoice.investor_id == investor.id, MatchChoice.proposal_id == proposal.id
        )
    )
    return found


def _choice(investor: User, proposal: Proposal) -> MatchChoice:
    """The investor's row for ``proposal``, made if missing.

    Made at most once even when the same click arrives twice at once: the
    second request then takes the row the first made.
    """
    choice, _created = get_or_create(
        MatchChoice,
        {"investor_id": investor.id, "proposal_id": proposal.id},
        saved=False,
        not_interested=False,
        reason_text="",
    )
    return choice


def set_saved(investor: User, proposal: Proposal, saved: bool) -> MatchChoice:
    """Save ``proposal`` (or un-save it). Saving takes back a "not interested"."""
    choice = _choice(investor, proposal)
    choice.saved = saved
    if saved:
        choice.not_interested = False
        choice.reason = None
        choice.reason_text = ""
    db.session.flush()
    return choice


def toggle_saved(investor: User, proposal: Proposal) -> bool:
    """Save if not saved, else un-save; returns whether it is saved now."""
    current = choice_for(investor, proposal)
    saved = not (current is not None and current.saved)
    set_saved(investor, proposal, saved)
    return saved


def mark_not_interested(
    investor: User, proposal: Proposal, reason: NotInterestedReason | str, text: str = ""
) -> MatchChoice:
    """Turn ``proposal`` down with a reason from the list and optional free text.

    The proposal leaves the investor's matches; it is no longer saved.
    "Other" needs a few words of text.
    """
    try:
        reason = NotInterestedReason(reason)
    except ValueError as exc:
        raise ChoiceError(str(_l("Choose a reason from the list.")), "reason") from exc
    text = text.strip()
    if len(text) > REASON_TEXT_MAX:
        raise ChoiceError(
            str(_l("At most %(max)d characters.", max=REASON_TEXT_MAX)), "reason_text"
        )
    if reason is NotInterestedReason.OTHER and not text:
        raise ChoiceError(str(_l("Say in a few words why.")), "reason_text")
    choice = _choice(investor, proposal)
    choice.not_interested = True
    choice.saved = False
    choice.reason = reason
    choice.reason_text = text
    db.session.flush()
    return choice


def undo_not_interested(investor: User, proposal: Proposal) -> None:
    """Bring ``proposal`` back among the matches (the reason is dropped)."""
    choice = choice_for(investor, proposal)
    if choice is not None and choice.not_interested:
        choice.not_interested = False
        choice.reason = None
        choice.reason_text = ""
        db.session.flush()


def mark_matches_seen(investor: User, now: datetime | None = None) -> None:
    """The investor opened their matches: what is new on their home counts from ``now``."""
    investor.matches_seen_at = now or utcnow()
    db.session.flush()


def hidden(investor: User) -> list[MatchChoice]:
    """The proposals ``investor`` said "not interested" in, with the reason they
    gave, most recent first; those no longer open to investors are left out
    (they are not among anyone's matches whatever the choice)."""
    return list(
        db.session.scalars(
            select(MatchChoice)
            .join(Proposal, Proposal.id == MatchChoice.proposal_id)
            .where(
                MatchChoice.investor_id == investor.id,
                MatchChoice.not_interested.is_(True),
                Proposal.status.not_in(sorted(HIDDEN_FROM_INVESTORS)),
            )
            .options(joinedload(MatchChoice.proposal))
            .order_by(MatchChoice.updated_at.desc(), MatchChoice.id.desc())
        )
    )
