"""Digest e-mails: each approved investor's new matches, as often as they asked.

``flask --app wsgi digests send [--now ISO8601]`` is meant for cron (hourly,
say). The rules are pure functions that take ``now``:

- :func:`is_due`: a daily digest goes when at least 23 hours have passed
  since the last one, a weekly one after 6 days and 23 hours (the hour of
  slack keeps a daily cron job from skipping a day when it runs a little
  early); "never" is never due; a first digest is due at once.
- :func:`select_matches`: the matches that became matches after the last
  digest (``first_seen_at > last_digest_at``) and not after ``now``; for a
  first digest every current match. The best 10 by score (ties by id).

When there is nothing new, nothing is sent and ``last_digest_at`` stays
where it is, so a match that appears an hour later goes out at the next
run instead of waiting a whole period; an investor still never gets more
than one digest per period. After a digest is sent, ``last_digest_at`` is
``now``: running the command twice sends nothing twice (the second run
finds the investor not due, and nothing newer than ``now`` anyway).

A proposal goes out once per investor: :class:`DigestSent` remembers it, so
one that leaves the investor's best matches and comes back (with a new
``first_seen_at``) is not told again.

Proposals the investor marked "not interested", and proposals that are not
matchable (``proposals.lifecycle.MATCHABLE``: drafts, proposals sent back for
changes, funded, closed, declined, withdrawn), are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import selectinload

from matchmaking import mail
from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.commandline import parse_now
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.investors.models import DigestFrequency, DigestSent, InvestorProfile
from matchmaking.mail import absolute_url, check_base_url, send_to
from matchmaking.matches.models import MatchChoice, MatchScore
from matchmaking.proposals.lifecycle import MATCHABLE
from matchmaking.proposals.models import Company, Proposal

DAILY_GAP = timedelta(hours=23)
WEEKLY_GAP = timedelta(days=6, hours=23)
DIGEST_CAP = 10

_GAPS = {DigestFrequency.DAILY: DAILY_GAP, DigestFrequency.WEEKLY: WEEKLY_GAP}


# Pure rules --------------------------------------------------------------------------


def is_due(frequency: DigestFrequency, last_digest_at: datetime | None, now: datetime) -> bool:
    """Whether an investor with ``frequency`` gets a digest at ``now``."""
    gap = _GAPS.get(frequency)
    if gap is None:
        return False
    if last_digest_at is None:
        return True
    return now - last_digest_at >= gap


@dataclass(frozen=True)
class Candidate:
    """One stored match of an investor."""

    proposal_id: int
    score: float
    first_seen_at: datetime


def select_matches(
    candidates: Iterable[Candidate],
    last_digest_at: datetime | None,
    now: datetime,
    cap: int = DIGEST_CAP,
    sent: Collection[int] = (),
) -> list[Candidate]:
    """The new matches for a digest: best first, at most ``cap``; never one
    of the proposals in ``sent`` (already told in an earlier digest)."""
    new = [
        c
        for c in candidates
        if c.first_seen_at <= now
        and (last_digest_at is None or c.first_seen_at > last_digest_at)
        and c.proposal_id not in sent
    ]
    new.sort(key=lambda c: (-c.score, c.proposal_id))
    return new[:cap]


# The database side -----------------------------------------------------------------


def due_profiles(now: datetime) -> list[InvestorProfile]:
    """Profiles of approved, active investors whose digest is due at ``now``."""
    profiles = db.session.scalars(
        select(InvestorProfile)
        .join(User, InvestorProfile.user_id == User.id)
        .where(
            User.role == Role.INVESTOR,
            User.investor_status == InvestorStatus.APPROVED,
            User.disabled_at.is_(None),
            User.email_confirmed_at.is_not(None),
            InvestorProfile.digest_frequency != DigestFrequency.NEVER,
        )
        .options(selectinload(InvestorProfile.user))
        .order_by(InvestorProfile.id)
    )
    return [p for p in profiles if is_due(p.digest_frequency, p.last_digest_at, now)]


def candidates_for(investor_id: int) -> list[Candidate]:
    """The investor's stored matches on open proposals they have not turned down."""
    turned_down = select(MatchChoice.proposal_id).where(
        MatchChoice.investor_id == investor_id, MatchChoice.not_interested.is_(True)
    )
    rows = db.session.execute(
        select(MatchScore.proposal_id, MatchScore.score, MatchScore.first_seen_at)
        .join(Proposal, Proposal.id == MatchScore.proposal_id)
        .where(
            MatchScore.investor_id == investor_id,
            Proposal.status.in_(MATCHABLE),
            MatchScore.proposal_id.not_in(turned_down),
        )
    )
    return [Candidate(r.proposal_id, r.score, r.first_seen_at) for r in rows]


def matches_link() -> str:
    """The investor's match list, as an absolute link."""
    return absolute_url("matches.index")


def send_digest(profile: InvestorProfile, now: datetime) -> int:
    """E-mail ``profile``'s investor their new matches; return how many (0: nothing sent).

    Sets ``last_digest_at`` to ``now`` when a digest is sent. Flushes.
    """
    sent = set(
        db.session.scalars(
            select(DigestSent.proposal_id).where(DigestSent.investor_id == profile.user_id)
        )
    )
    chosen = select_matches(candidates_for(profile.user_id), profile.last_digest_at, now, sent=sent)
    if not chosen:
        return 0
    proposals = {
        p.id: p
        for p in db.session.scalars(
            select(Proposal)
            .where(Proposal.id.in_([c.proposal_id for c in chosen]))
            .options(
                selectinload(Proposal.sector),
                selectinload(Proposal.stage),
                selectinload(Proposal.company).selectinload(Company.municipality),
            )
        )
    }
    items = [
        {
            "proposal": proposals[c.proposal_id],
            "score": c.score,
            "link": absolute_url("proposals.detail", proposal_id=c.proposal_id),
        }
        for c in chosen
    ]
    user = profile.user
    send_to(
        user,
        _l("New matches for you in BAN Ofoten"),
        "investor_digest",
        user=user,
        profile=profile,
        items=items,
        first=profile.last_digest_at is None,
        matches_link=matches_link(),
        profile_link=absolute_url("investors.profile"),
        deliver_now=True,  # sent before the commit: a failed send is not recorded as sent
    )
    profile.last_digest_at = now
    db.session.add_all(
        DigestSent(investor_id=profile.user_id, proposal_id=c.proposal_id, sent_at=now)
        for c in chosen
    )
    db.session.flush()
    return len(items)


@dataclass(frozen=True)
class DigestRun:
    sent: int
    nothing_new: int
    failed: Sequence[str]


def send_due_digests(now: datetime) -> DigestRun:
    """Send every digest due at ``now``, committing after each investor.

    Committing one by one means a mail server that fails half-way does not
    make the next run send the first half again. A failure is recorded and
    the run goes on.
    """
    sent = nothing = 0
    failed: list[str] = []
    for profile in due_profiles(now):
        email = profile.user.email
        try:
            if send_digest(profile, now):
                sent += 1
            else:
                nothing += 1
            db.session.commit()
        except OSError:  # smtplib's errors are OSErrors
            db.session.rollback()
            failed.append(email)
    return DigestRun(sent, nothing, failed)


# The command --------------------------------------------------------------------------


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


def init_app(app: Flask) -> None:
    """Register ``flask digests send``."""
    digests = AppGroup("digests", help="Digest e-mails of new matches.")

    @digests.command("send")
    @click.option(
        "--now",
        "now_text",
        default=None,
        help="Pretend it is this time (ISO 8601, UTC if no zone is given). Default: now.",
    )
    @click.option(
        "--base-url",
        default=None,
        help="Where the service lives, for the links (default: the BASE_URL setting).",
    )
    def send(now_text: str | None, base_url: str | None) -> None:
        """E-mail each approved investor whose digest is due their new matches."""
        now = datetime.now(UTC)
        if now_text is not None:
            try:
                now = parse_now(now_text)
            except ValueError:
                _fail(
                    f"--now must be a date and time like 2026-11-26T07:00:00+00:00, not {now_text!r}"
                )
        config = current_app.config
        saved = config["BASE_URL"]
        if base_url is not None:
            try:
                base_url = check_base_url(base_url)
            except ValueError:
                _fail(
                    f"--base-url must be an address like https://match.banofoten.no, not {base_url!r}"
                )
        try:
            config["BASE_URL"] = base_url or saved  # this run's links only
            run = send_due_digests(now)
            mail.wait_for_deliveries()  # nothing queued is lost when the command exits
        except (OperationalError, ProgrammingError):
            _fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
        finally:
            config["BASE_URL"] = saved
        click.echo(
            f"Digests sent: {run.sent}; due but nothing new: {run.nothing_new}; "
            f"failed: {len(run.failed)}."
        )
        for email in run.failed:
            click.echo(f"error: could not send the digest to {email}", err=True)
        if run.failed:
            raise SystemExit(1)

    app.cli.add_command(digests)
