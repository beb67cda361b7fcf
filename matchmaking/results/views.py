"""The follow-up reports' pages: ``GET /proposals/<id>/results`` (the
history), ``GET/POST /proposals/<id>/results/new`` (the form),
``GET/POST /proposals/<id>/results/<report_id>/edit`` (a correction) and
``POST /proposals/<id>/results/<report_id>/delete`` (with a confirm step).

Who sees and who files: :mod:`matchmaking.results.access`. Anyone else gets
404, as for a proposal they may not see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaking.accounts.models import User
from matchmaking.dates import day, oslo_today
from matchmaking.extensions import db, utcnow
from matchmaking.formtools import ConfirmActionForm, ConfirmStep, confirm_page, confirmed
from matchmaking.proposals.models import Proposal
from matchmaking.proposals.services import is_owner
from matchmaking.results import services
from matchmaking.results.access import is_funded, manages_results, may_report, may_see_results
from matchmaking.results.blueprint import bp
from matchmaking.results.forms import ReportForm
from matchmaking.results.models import ResultReport
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
        manages=manages_results(user, proposal),
        organiser=user.is_organiser,
        delete_form=ConfirmActionForm(),
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
    latest = services.latest_report(proposal)
    form = ReportForm(**_defaults(latest, today)) if request.method == "GET" else ReportForm()
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
        latest=latest,
        report=None,
    )


def _defaults(latest: ResultReport | None, today: date) -> dict[str, Any]:
    """A new report's form: today, and the figures of the latest report (the
    capital is a running total since the funding; 0 before any report)."""
    if latest is None:
        return {"as_of": today, "capital_since": 0}
    return {
        "as_of": today,
        "employees": latest.employees,
        "revenue_12m": latest.revenue_12m,
        "capital_since": latest.capital_since,
    }


def _report_of(proposal: Proposal, report_id: int) -> ResultReport:
    """The proposal's report, or 404 (another proposal's report included)."""
    report = db.session.get(ResultReport, report_id)
    if report is None or report.proposal_id != proposal.id:
        abort(404)
    return report


@bp.route("/proposals/<int:proposal_id>/results/<int:report_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int, report_id: int) -> ResponseReturnValue:
    """The founder or an organiser corrects a report (the rules of a new one)."""
    user = _user()
    proposal = _visible(proposal_id)
    report = _report_of(proposal, report_id)
    if not manages_results(user, proposal):
        abort(403)  # an investor of the company reads the reports, corrects none
    form = ReportForm(obj=report) if request.method == "GET" else ReportForm()
    if form.validate_on_submit():
        try:
            services.correct_report(report, user, _data(form), oslo_today(utcnow()))
        except services.ReportError as error:
            form[error.field].errors = [*form[error.field].errors, str(error)]
        else:
            db.session.commit()
            flash(_("The report as of %(day)s is corrected.", day=day(report.as_of)), "success")
            return redirect(url_for("results.history", proposal_id=proposal.id))
    return render_template(
        "results/new.html",
        proposal=proposal,
        form=form,
        founder=is_owner(user, proposal),
        open_request=None,
        latest=None,
        report=report,
    )


def _delete_step(report: ResultReport) -> ConfirmStep:
    explain = [
        _(
            "The report is removed for good: the founder, the organisers and the company's"
            " investors no longer see it, and its figures cannot be brought back."
        )
    ]
    reopened = services.reopens_request(report)
    if reopened is not None:
        explain.append(
            _(
                "It answers BAN Ofoten's request for the report due %(day)s: that request is"
                " open again, and the founder's home asks for the report again.",
                day=day(reopened.due_on),
            )
        )
    return ConfirmStep(
        heading=_("Delete the report as of %(day)s?", day=day(report.as_of)),
        yes=_("Yes, delete the report as of %(day)s", day=day(report.as_of)),
        cancel=url_for("results.history", proposal_id=report.proposal_id),
        explain=explain,
    )


@bp.post("/proposals/<int:proposal_id>/results/<int:report_id>/delete")
@login_required
def delete(proposal_id: int, report_id: int) -> ResponseReturnValue:
    """An organiser deletes a report, after a confirm step (docs/confirm-steps.md)."""
    user = _user()
    proposal = _visible(proposal_id)
    report = _report_of(proposal, report_id)
    if not user.is_organiser:
        abort(403)  # the founder corrects a report; only the organisers delete one
    form = ConfirmActionForm()
    if not confirmed(form):  # the first click: ask once more
        return confirm_page(_delete_step(report), form)
    as_of = report.as_of
    services.delete_report(report)
    db.session.commit()
    flash(_("The report as of %(day)s is deleted.", day=day(as_of)), "success")
    return redirect(url_for("results.history", proposal_id=proposal.id))
