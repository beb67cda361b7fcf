"""The follow-up reports' pages: ``GET /proposals/<id>/results`` (the
history) and ``GET/POST /proposals/<id>/results/new`` (the form).

Who sees and who files: :mod:`matchmaking.results.access`. Anyone else gets
404, as for a proposal they may not see.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaking.accounts.models import User
from matchmaking.dates import oslo_today
from matchmaking.extensions import db, utcnow
from matchmaking.proposals.models import Proposal
from matchmaking.proposals.services import is_owner
from matchmaking.results import services
from matchmaking.results.access import is_funded, may_report, may_see_results
from matchmaking.results.blueprint import bp
from matchmaking.results.forms import ReportForm
from matchmaking.results.periods import due_on


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.app_template_filter("fte")
def fte(value: float) -> str:
    """Full-time equivalents with one decimal, as the language writes it ("2,5")."""
    return str(format_decimal(value, "#,##0.0"))


@bp.app_template_filter("fte_change")
def fte_change(value: float) -> str:
    """A change in full-time equivalents with its sign ("+1,5", "-0,5", "0,0")."""
    if round(value, 1) == 0:
        return fte(0.0)
    return str(format_decimal(value, "+#,##0.0;-#,##0.0"))


@bp.app_template_global("sees_results")
def sees_results(proposal: Proposal) -> bool:
    """For the proposal page: whether to link to the follow-up reports."""
    user = _user()
    return may_see_results(user, proposal) and is_funded(proposal)


def _visible(proposal_id: int) -> Proposal:
    """The proposal, or 404 unless the current user may see its reports."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not may_see_results(_user(), proposal):
        abort(404)
    return proposal


@bp.get("/proposals/<int:proposal_id>/results")
@login_required
def history(proposal_id: int) -> ResponseReturnValue:
    user = _user()
    proposal = _visible(proposal_id)
    baseline = services.baseline(proposal)
    return render_template(
        "results/history.html",
        proposal=proposal,
        baseline=baseline,
        first_due=due_on(baseline.funded_on, 1) if baseline.funded_on else None,
        rows=services.history(proposal),
        funded=is_funded(proposal),
        may_report=may_report(user, proposal),
        founder=is_owner(user, proposal),
        open_request=services.open_request(proposal),
    )


def _data(form: ReportForm) -> services.ReportData:
    return services.ReportData(
        as_of=form.as_of.data,
        employees=float(form.employees.data or 0),
        revenue_12m=form.revenue_12m.amount or 0,
        capital_since=form.capital_since.amount or 0,
        words=form.words.data or "",
    )


@bp.route("/proposals/<int:proposal_id>/results/new", methods=["GET", "POST"])
@login_required
def new(proposal_id: int) -> ResponseReturnValue:
    """The founder files a report; an organiser enters one on the founder's behalf."""
    user = _user()
    proposal = _visible(proposal_id)
    if not is_funded(proposal):
        abort(404)  # reports start after a funded round (the history page says so)
    if not may_report(user, proposal):
        abort(403)  # an investor of the company reads the reports, files none
    today = oslo_today(utcnow())
    defaults: dict[str, Any] = {"as_of": today, "capital_since": 0}
    form = ReportForm(**defaults) if request.method == "GET" else ReportForm()
    if form.validate_on_submit():
        try:
            report = services.file_report(proposal, user, _data(form), today)
        except services.ReportError as error:
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            db.session.commit()
            if report.on_behalf:
                flash(_("Report saved, marked as entered for the founder."), "success")
            else:
                flash(_("Thank you: your report is saved."), "success")
            return redirect(url_for("results.history", proposal_id=proposal.id))
    return render_template(
        "results/new.html",
        proposal=proposal,
        form=form,
        founder=is_owner(user, proposal),
        open_request=services.open_request(proposal),
    )
