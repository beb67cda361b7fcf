"""The e-mails of the follow-up reports, each in its recipient's language.

Sent through the outbox: they leave after the commit, and only if it commits.

- ``results_request``: the founder of a funded company, when a six-monthly
  period falls due (``flask --app wsgi results request``).
- ``results_filed``: the organisers (all but the one who entered it), when a
  report is filed.
"""

from __future__ import annotations

from datetime import date

from matchmaking.accounts.models import User
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url, send_to
from matchmaking.proposals.models import Proposal
from matchmaking.results.models import ReportRequest, ResultReport
from matchmaking.results.periods import MONTHS_PER_PERIOD
from matchmaking.rounds.notifications import organisers


def founder_of(proposal: Proposal) -> User:
    founder: User = proposal.company.owner
    return founder


def report_requested(request: ReportRequest, funded_on: date) -> None:
    """The founder: it is time for the report of ``request``'s period
    (counted from the first funding, ``funded_on``)."""
    proposal = request.proposal
    founder = founder_of(proposal)
    send_to(
        founder,
        _l(
            "Follow-up report for “%(title)s”: how is %(company)s doing?",
            title=proposal.title,
            company=proposal.company.name,
        ),
        "results_request",
        user=founder,
        proposal=proposal,
        request=request,
        months=MONTHS_PER_PERIOD * request.period,
        funded_on=funded_on,
        link=absolute_url("results.new", proposal_id=proposal.id),
    )


def report_filed(report: ResultReport) -> None:
    """Every organiser but the one who entered it: a report has been filed."""
    proposal = report.proposal
    link = absolute_url("results.history", proposal_id=proposal.id)
    for organiser in organisers():
        if organiser.id == report.entered_by_id:
            continue
        send_to(
            organiser,
            _l("New follow-up report from “%(title)s”", title=proposal.title),
            "results_filed",
            user=organiser,
            proposal=proposal,
            report=report,
            link=link,
        )
