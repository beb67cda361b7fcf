"""The organisers' notices: who is told, what, and when. Functions flush, never commit.

- **Immediately**: each active organiser whose ``notice_mode`` is
  ``immediately`` gets one e-mail per new submission, resubmission or investor
  registration (an investor counts as registered when the e-mail address is
  confirmed: an unconfirmed account cannot log in and may be a typo).
- **Daily**: :func:`send_summaries` (``flask --app wsgi notices summary``, for
  cron) e-mails each active organiser whose mode is ``daily`` and whose last
  summary is at least :data:`SUMMARY_GAP` old (23 hours, so a daily cron job
  that runs a little early skips no day) what happened after their
  ``summary_sent_at`` and up to ``now``; a first summary (no
  ``summary_sent_at``) covers the last 24 hours. When nothing happened nothing
  is sent and ``summary_sent_at`` stays, so the next run looks again; after a
  summary ``summary_sent_at`` is ``now``, so a second run sends nothing.
  Choosing "daily" on the profile sets ``summary_sent_at`` to that moment
  (:func:`matchmaking.accounts.services.set_notice_mode`), so the first
  summary does not repeat what was e-mailed immediately before.
- **Never**: nothing.

What happened is read from the records themselves (the proposals' timeline and
the investors' confirmation times), so a summary needs no table of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaking.accounts.models import NoticeMode, Role, User
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url, send_to
from matchmaking.proposals.models import Proposal, ProposalEvent, Status

#: The least time between two daily summaries to one organiser.
SUMMARY_GAP = timedelta(hours=23)
#: What a first summary covers.
FIRST_WINDOW = timedelta(hours=24)

SUBMISSIONS = (Status.SUBMITTED, Status.RESUBMITTED)


def organisers(mode: NoticeMode) -> list[User]:
    """The active organisers who chose ``mode``, by id."""
    query = select(User).where(
        User.role == Role.ORGANISER,
        User.disabled_at.is_(None),
        User.email_confirmed_at.is_not(None),
        User.notice_mode == mode,
    )
    return list(db.session.scalars(query.order_by(User.id)))


# As they happen ------------------------------------------------------------------------


def proposal_submitted(proposal: Proposal) -> int:
    """Tell the "immediately" organisers of a submission or resubmission. Returns how many."""
    resubmitted = proposal.status is Status.RESUBMITTED
    link = absolute_url("screening.detail", proposal_id=proposal.id)
    people = organisers(NoticeMode.IMMEDIATELY)
    for organiser in people:
        send_to(
            organiser,
            _l("Resubmitted: “%(title)s”", title=proposal.title)
            if resubmitted
            else _l("New proposal: “%(title)s”", title=proposal.title),
            "notice_proposal",
            organiser=organiser,
            proposal=proposal,
            resubmitted=resubmitted,
            link=link,
        )
    return len(people)


def investor_registered(investor: User) -> int:
    """Tell the "immediately" organisers of a new investor. Returns how many."""
    link = absolute_url("investors.investor", user_id=investor.id)
    people = organisers(NoticeMode.IMMEDIATELY)
    for organiser in people:
        send_to(
            organiser,
            _l("New investor: %(name)s", name=investor.name),
            "notice_investor",
            organiser=organiser,
            investor=investor,
            link=link,
        )
    return len(people)


# The daily summary ---------------------------------------------------------------------


def is_due(summary_sent_at: datetime | None, now: datetime) -> bool:
    """Whether a daily summary may go out at ``now``."""
    return summary_sent_at is None or now - summary_sent_at >= SUMMARY_GAP


def window_start(summary_sent_at: datetime | None, now: datetime) -> datetime:
    """Where a summary at ``now`` starts (exclusive)."""
    return summary_sent_at if summary_sent_at is not None else now - FIRST_WINDOW


@dataclass
class Summary:
    """What happened in a window: submissions, resubmissions, new investors."""

    submitted: list[ProposalEvent] = field(default_factory=list)
    resubmitted: list[ProposalEvent] = field(default_factory=list)
    investors: list[User] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.submitted or self.resubmitted or self.investors)


def happened(since: datetime, until: datetime) -> Summary:
    """Submissions, resubmissions and investor registrations in (``since``, ``until``]."""
    events = db.session.scalars(
        select(ProposalEvent)
        .where(
            ProposalEvent.to_status.in_(SUBMISSIONS),
            ProposalEvent.at > since,
            ProposalEvent.at <= until,
        )
        .options(selectinload(ProposalEvent.proposal))
        .order_by(ProposalEvent.at, ProposalEvent.id)
    )
    summary = Summary()
    for e in events:
        (summary.resubmitted if e.to_status is Status.RESUBMITTED else summary.submitted).append(e)
    summary.investors = list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.INVESTOR,
                User.email_confirmed_at > since,
                User.email_confirmed_at <= until,
            )
            .order_by(User.email_confirmed_at, User.id)
        )
    )
    return summary


def send_summary(organiser: User, now: datetime) -> bool:
    """E-mail ``organiser`` the summary due at ``now``; False when nothing happened."""
    summary = happened(window_start(organiser.summary_sent_at, now), now)
    if summary.empty:
        return False
    send_to(
        organiser,
        _l(
            "Daily summary: new proposals and investors in BAN Ofoten (%(n)d)",
            n=len(summary.submitted) + len(summary.resubmitted) + len(summary.investors),
        ),
        "notice_summary",
        organiser=organiser,
        summary=summary,
        proposal_link=lambda proposal_id: absolute_url("screening.detail", proposal_id=proposal_id),
        investor_link=lambda user_id: absolute_url("investors.investor", user_id=user_id),
        board_link=absolute_url("screening.board"),
        profile_link=absolute_url("account.profile"),
    )
    organiser.summary_sent_at = now
    db.session.flush()
    return True


@dataclass(frozen=True)
class SummaryRun:
    sent: int
    nothing_new: int


def send_summaries(now: datetime) -> SummaryRun:
    """Send every daily summary due at ``now``; flushes (the command commits)."""
    sent = nothing = 0
    for organiser in organisers(NoticeMode.DAILY):
        if not is_due(organiser.summary_sent_at, now):
            continue
        if send_summary(organiser, now):
            sent += 1
        else:
            nothing += 1
    return SummaryRun(sent, nothing)
