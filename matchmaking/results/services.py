"""The rules of the follow-up reports: filing one, the history, and the
six-monthly requests.

Functions flush, never commit; e-mails go through the outbox (sent after the
commit). A broken rule raises :class:`ReportError` naming the form field it
belongs beside.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_decimal
from sqlalchemy import func, select

from matchmaking.accounts.models import User
from matchmaking.dates import day, oslo_today
from matchmaking.db_utils import insert
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Proposal
from matchmaking.proposals.services import is_owner
from matchmaking.results import notifications
from matchmaking.results.access import funded_rounds
from matchmaking.results.models import ReportRequest, ResultReport
from matchmaking.results.periods import due_on, latest_due_period
from matchmaking.rounds.models import Round, RoundState

#: The most full-time equivalents a report may give (a slip of the finger beyond).
MAX_EMPLOYEES = 100_000


#: Beside a number field that got a negative number.
AT_LEAST_ZERO = _l("Must be 0 or more.")


def at_most(maximum: int) -> str:
    """Beside a number field whose number is too large, the limit written the
    way the reader's language writes numbers ("100 000" / "100,000")."""
    return str(_l("Must be %(max)s or less.", max=format_decimal(maximum, "#,##0")))


class ReportError(Exception):
    """A rule of the report was broken; ``field`` is the form field it belongs beside."""

    def __init__(self, message: object, field: str) -> None:
        super().__init__(str(message))
        self.field = field


@dataclass(frozen=True)
class ReportData:
    """What a report says (as the form parsed it)."""

    as_of: date
    employees: float
    revenue_12m: int
    capital_since: int
    words: str


@dataclass(frozen=True)
class Baseline:
    """What the reports are measured against: the jobs given at submission and
    the funding (every funded round, the earliest first)."""

    jobs_now: int
    jobs_in_3_years: int
    rounds: list[Round]

    @property
    def funded_on(self) -> date | None:
        """The first funding date: the periods count from it."""
        return self.rounds[0].funded_on if self.rounds else None


@dataclass(frozen=True)
class ReportRow:
    """A report in the history, with the change in employees since the baseline."""

    report: ResultReport
    change: float


def baseline(proposal: Proposal) -> Baseline:
    rounds = [r for r in funded_rounds(proposal) if r.funded_on is not None]
    return Baseline(proposal.jobs_now, proposal.jobs_in_3_years, rounds)


def reports_of(proposal: Proposal) -> list[ResultReport]:
    """Every report of the proposal, the newest first (by its date, then entry)."""
    return list(
        db.session.scalars(
            select(ResultReport)
            .where(ResultReport.proposal_id == proposal.id)
            .order_by(
                ResultReport.as_of.desc(), ResultReport.created_at.desc(), ResultReport.id.desc()
            )
        )
    )


def latest_report(proposal: Proposal) -> ResultReport | None:
    """The proposal's latest report (the first of the history), if any."""
    reports = reports_of(proposal)
    return reports[0] if reports else None


def history(proposal: Proposal) -> list[ReportRow]:
    """The reports, the newest first, each with its change in employees since
    the jobs given at submission (full-time equivalents, one decimal)."""
    return [
        ReportRow(report, round(report.employees - proposal.jobs_now, 1))
        for report in reports_of(proposal)
    ]


def _latest_request(proposal_id: int) -> ReportRequest | None:
    return db.session.scalar(
        select(ReportRequest)
        .where(ReportRequest.proposal_id == proposal_id)
        .order_by(ReportRequest.period.desc())
        .limit(1)
    )


def open_request(proposal: Proposal) -> ReportRequest | None:
    """The proposal's latest request, if no report answers it yet.

    An earlier request skipped by the founder stays unanswered: a report
    filed later is about the company now, so it answers the latest.
    """
    latest = _latest_request(proposal.id)
    if latest is None:
        return None
    answered = db.session.scalar(
        select(func.count(ResultReport.id)).where(ResultReport.request_id == latest.id)
    )
    return None if answered else latest


def check_report(proposal: Proposal, data: ReportData, today: date) -> None:
    """Raise ReportError (with its field) unless the report's values hold together."""
    if data.as_of > today:
        raise ReportError(_l("The date cannot be in the future: choose today or earlier."), "as_of")
    first = baseline(proposal).funded_on
    if first is not None and data.as_of < first:
        raise ReportError(
            _l(
                "Reports start at the funding (%(day)s): choose that day or later.",
                day=day(first),
            ),
            "as_of",
        )
    if data.employees < 0:
        raise ReportError(AT_LEAST_ZERO, "employees")
    if data.employees > MAX_EMPLOYEES:
        raise ReportError(at_most(MAX_EMPLOYEES), "employees")
    if data.revenue_12m < 0:
        raise ReportError(AT_LEAST_ZERO, "revenue_12m")
    if data.capital_since < 0:
        raise ReportError(AT_LEAST_ZERO, "capital_since")


def file_report(proposal: Proposal, actor: User, data: ReportData, today: date) -> ResultReport:
    """Save a report of ``proposal`` entered by ``actor``; flushes.

    An organiser enters it on the founder's behalf (``on_behalf``). It answers
    the proposal's open request, if any. The organisers are told by e-mail.
    """
    check_report(proposal, data, today)
    report = ResultReport(
        proposal=proposal,
        request=open_request(proposal),
        as_of=data.as_of,
        employees=round(data.employees, 1),
        revenue_12m=data.revenue_12m,
        capital_since=data.capital_since,
        words=data.words,
        entered_by=actor,
        on_behalf=not is_owner(actor, proposal),
    )
    db.session.add(report)
    db.session.flush()
    notifications.report_filed(report)
    return report


def correct_report(report: ResultReport, actor: User, data: ReportData, today: date) -> None:
    """Replace what ``report`` says with ``data`` (the rules of a new report);
    ``actor`` (the founder or an organiser) is recorded as the one who last
    changed it. Who entered it, and the request it answered, stay. Flushes."""
    check_report(report.proposal, data, today)
    report.as_of = data.as_of
    report.employees = round(data.employees, 1)
    report.revenue_12m = data.revenue_12m
    report.capital_since = data.capital_since
    report.words = data.words
    report.changed_by = actor
    report.changed_at = utcnow()
    db.session.flush()


def delete_report(report: ResultReport) -> None:
    """Delete ``report`` for good; flushes. A request it answered is open again
    if it is still the proposal's latest (the founder's home asks again)."""
    db.session.delete(report)
    db.session.flush()


def reopens_request(report: ResultReport) -> ReportRequest | None:
    """The request that deleting ``report`` opens again: the one it answers,
    if that is the proposal's latest and no other report answers it."""
    if report.request_id is None:
        return None
    latest = _latest_request(report.proposal_id)
    if latest is None or latest.id != report.request_id:
        return None
    others = db.session.scalar(
        select(func.count(ResultReport.id)).where(
            ResultReport.request_id == latest.id, ResultReport.id != report.id
        )
    )
    return None if others else latest


# The six-monthly requests ----------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A funded proposal whose latest due period has not been asked for yet."""

    proposal: Proposal
    funded_on: date
    period: int
    due_on: date


def first_fundings() -> list[tuple[Proposal, date]]:
    """Every proposal with a funded round, and its first funding date."""
    rows = db.session.execute(
        select(Proposal, func.min(Round.funded_on))
        .join(Round, Round.proposal_id == Proposal.id)
        .where(Round.state == RoundState.FUNDED, Round.funded_on.is_not(None))
        .group_by(Proposal.id)
        .order_by(Proposal.id)
    )
    return [(proposal, funded_on) for proposal, funded_on in rows if funded_on is not None]


def due_requests(today: date) -> list[Due]:
    """For each funded proposal, its latest period due by ``today``, unless
    already asked for. Only the latest: a run missed for a year asks once."""
    asked = {
        (proposal_id, period)
        for proposal_id, period in db.session.execute(
            select(ReportRequest.proposal_id, ReportRequest.period)
        )
    }
    found = []
    for proposal, funded_on in first_fundings():
        period = latest_due_period(funded_on, today)
        if period is not None and (proposal.id, period) not in asked:
            found.append(Due(proposal, funded_on, period, due_on(funded_on, period)))
    return found


def send_requests(now: datetime) -> list[ReportRequest]:
    """Ask each due proposal's founder for a report; flushes. Returns the
    requests made. A founder whose account is disabled gets no e-mail, but
    the request is recorded (it shows on their home if they come back)."""
    made = []
    for due in due_requests(oslo_today(now)):
        request = ReportRequest(
            proposal_id=due.proposal.id, period=due.period, due_on=due.due_on, sent_at=now
        )
        if not insert(request):  # another run asked at the same moment
            continue
        made.append(request)
        if notifications.founder_of(due.proposal).disabled_at is None:
            notifications.report_requested(request, due.funded_on)
    return made
