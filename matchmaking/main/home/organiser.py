"""The organisers' home: counts of what waits for them, each linking to the
list filtered to exactly those, the open funding rounds that need them
(:mod:`matchmaking.rounds.attention`), and per upcoming session what needs
action (:mod:`matchmaking.events.session.attention`). What each count means
is in docs/features/organiser-home.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.events.models import Event
from matchmaking.events.session import attention
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.introductions import services as introductions
from matchmaking.proposals.lifecycle import SCREENING
from matchmaking.proposals.models import Proposal
from matchmaking.rounds import attention as rounds_attention
from matchmaking.screening.board import REVIEWS_COMPLETE, REVIEWS_MISSING, TAB_SCREENING
from matchmaking.screening.services import aggregates_for, min_reviews


@dataclass(frozen=True)
class Count:
    """One line of the home page: how many, what, and the filtered list."""

    key: str
    count: int
    label: str
    url: str


@dataclass(frozen=True)
class SessionNotices:
    event: Event
    notices: list[attention.Notice]


def to_screen_count() -> int:
    """Proposals in screening (submitted, in screening or resubmitted)."""
    query = select(func.count(Proposal.id)).where(Proposal.status.in_(SCREENING))
    return int(db.session.scalar(query) or 0)


def pending_investors_count() -> int:
    """Investors whose registration waits for an organiser's approval."""
    query = select(func.count(User.id)).where(
        User.role == Role.INVESTOR, User.investor_status == InvestorStatus.PENDING
    )
    return int(db.session.scalar(query) or 0)


def counts(now: datetime | None = None) -> list[Count]:
    """The home page's counts, each with the link to its filtered list."""
    ids = list(db.session.scalars(select(Proposal.id).where(Proposal.status.in_(SCREENING))))
    enough = min_reviews()
    reviewed = aggregates_for(ids)
    missing = sum(1 for pid in ids if reviewed[pid].reviews < enough)
    board = "screening.board"
    return [
        Count(
            "to_screen",
            len(ids),
            str(_l("Proposals in screening")),
            url_for(board, tab=TAB_SCREENING),
        ),
        Count(
            "reviews_missing",
            missing,
            str(_l("Waiting for reviews: fewer than %(n)d reviews", n=enough)),
            url_for(board, tab=TAB_SCREENING, reviews=REVIEWS_MISSING),
        ),
        Count(
            "to_decide",
            len(ids) - missing,
            str(_l("Ready for a decision: at least %(n)d reviews", n=enough)),
            url_for(board, tab=TAB_SCREENING, reviews=REVIEWS_COMPLETE),
        ),
        Count(
            "investors",
            pending_investors_count(),
            str(_l("Investors awaiting approval")),
            url_for("investors.screening", status=InvestorStatus.PENDING.value),
        ),
        Count(
            "introductions",
            introductions.waiting_long_count(now),
            str(
                _l(
                    "Introduction requests unanswered for more than %(days)d days",
                    days=introductions.WAITING_LONG.days,
                )
            ),
            url_for("introductions.open_requests", waiting="long"),
        ),
    ]


def upcoming(now: datetime | None = None) -> list[SessionNotices]:
    """Every session that has not started yet, soonest first, with its notices."""
    now = now or utcnow()
    events = db.session.scalars(
        select(Event).where(Event.starts_at > now).order_by(Event.starts_at, Event.id)
    )
    return [SessionNotices(e, attention.notices(e, now)) for e in events]


def page() -> ResponseReturnValue:
    now = utcnow()
    return render_template(
        "main/home/organiser.html",
        counts=counts(now),
        rounds=rounds_attention.rounds_needing_action(now),
        sessions=upcoming(now),
    )


def menu_context() -> dict[str, Any]:
    """For base.html: the organiser menu's badges (a few COUNT queries, only
    when an organiser's page is drawn)."""

    def menu_counts() -> dict[str, int]:
        if not (current_user.is_authenticated and current_user.is_organiser):
            return {}
        return {
            "to_screen": to_screen_count(),
            "investors": pending_investors_count(),
            "introductions": introductions.waiting_long_count(),
            "sessions": attention.sessions_needing_action_count(),
        }

    return {"organiser_menu_counts": menu_counts}
