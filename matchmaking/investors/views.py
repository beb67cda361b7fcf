"""Investor pages: the interest profile (investors) and approval (organisers).

Thin: parse the form, call a service, recompute the scores, commit once.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from matchmaking.accounts.access import organiser_required, roles_required
from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.investors import services
from matchmaking.investors.forms import CheckboxGroupField, InvestorDecisionForm, ProfileForm
from matchmaking.investors.models import DigestFrequency, InvestorProfile
from matchmaking.investors.services import InvestorError
from matchmaking.investors.signals import investor_profile_changed
from matchmaking.money import format_kroner
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject
from matchmaking.reference.services import active_choices, display_name

bp = Blueprint("investors", __name__)

STATUS_LABELS = {
    InvestorStatus.PENDING: _l("Awaiting approval"),
    InvestorStatus.APPROVED: _l("Approved"),
    InvestorStatus.REJECTED: _l("Rejected"),
}
DIGEST_LABELS = {
    DigestFrequency.NEVER: _l("Never"),
    DigestFrequency.WEEKLY: _l("Weekly"),
    DigestFrequency.DAILY: _l("Daily"),
}


def investor_status_label(status: InvestorStatus | None) -> str:
    return str(STATUS_LABELS[status]) if status is not None else ""


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "kroner": format_kroner,
        "investor_status_label": investor_status_label,
        "digest_label": lambda f: str(DIGEST_LABELS[f]),
        "names": lambda rows: ", ".join(sorted(display_name(r) for r in rows)),
    }


def _user() -> Any:
    return current_user._get_current_object()


def _recompute(investor: User) -> None:
    """Refresh the investor's stored match scores (after a profile change, an
    approval or a rejection: a rejected investor loses them): matches listens
    to the signal and flushes."""
    investor_profile_changed.send(investor)


# The profile ----------------------------------------------------------------------


def _choices(field: CheckboxGroupField, model: Any, current: list[Any]) -> None:
    """Active rows, plus any retired row the profile already has (nothing is lost)."""
    choices = active_choices(model)
    offered = {value for value, _label in choices}
    for row in current:
        if str(row.id) not in offered:
            choices.append((str(row.id), display_name(row)))
    field.choices = choices


def _set_choices(form: ProfileForm, profile: InvestorProfile | None) -> None:
    _choices(form.sectors, Sector, profile.sectors if profile else [])
    _choices(form.stages, Stage, profile.stages if profile else [])
    _choices(form.regions, Region, profile.regions if profile else [])
    _choices(form.municipalities, Municipality, profile.municipalities if profile else [])
    _choices(form.subprojects, Subproject, profile.subprojects if profile else [])


def _municipality_groups(form: ProfileForm) -> list[tuple[str, list[Any]]]:
    """The municipality checkboxes grouped by region, in the choices' order."""
    ids = [int(v) for v, _label in form.municipalities.choices or []]
    rows = db.session.scalars(select(Municipality).where(Municipality.id.in_(ids)))
    regions = {m.id: m.region.name for m in rows}
    groups: dict[str, list[Any]] = {}
    for option in form.municipalities:
        groups.setdefault(regions.get(int(option.data), ""), []).append(option)
    return list(groups.items())


def _render_profile(form: ProfileForm, profile: InvestorProfile | None) -> ResponseReturnValue:
    return render_template(
        "investors/profile.html",
        form=form,
        profile=profile,
        municipality_groups=_municipality_groups(form),
        pending=_user().investor_status is not InvestorStatus.APPROVED,
        rejected=_user().investor_status is InvestorStatus.REJECTED,
    )


@bp.route("/investor/profile", methods=["GET", "POST"])
@roles_required(Role.INVESTOR)
def profile() -> ResponseReturnValue:
    me = _user()
    current = services.profile_of(me)
    if current is None:
        form = ProfileForm(data={"display_name": me.name})
    else:
        form = ProfileForm(
            data={
                "display_name": current.display_name,
                "organisation": current.organisation or "",
                "ticket_min": current.ticket_min,
                "ticket_max": current.ticket_max,
                "thesis": current.thesis,
                "co_invest": current.co_invest,
                "digest_frequency": current.digest_frequency.value,
                "sectors": [r.id for r in current.sectors],
                "stages": [r.id for r in current.stages],
                "regions": [r.id for r in current.regions],
                "municipalities": [r.id for r in current.municipalities],
                "subprojects": [r.id for r in current.subprojects],
            },
        )
    _set_choices(form, current)
    if not form.validate_on_submit():
        if form.is_submitted():
            flash(
                _("Your profile was not saved. Please correct the fields marked below."), "danger"
            )
        return _render_profile(form, current)
    try:
        services.save_profile(me, form.to_data())
        _recompute(me)
    except InvestorError as exc:
        db.session.rollback()
        target = getattr(form, exc.field, None) if exc.field else None
        if target is not None:
            target.errors = [*target.errors, exc.message]
        else:
            form.form_errors.append(exc.message)
        return _render_profile(form, services.profile_of(me))
    db.session.commit()
    if me.is_approved_investor:
        flash(_("Your profile is saved. Your matches are updated."), "success")
    else:
        flash(
            _("Your profile is saved. The organisers see it when they review your registration."),
            "success",
        )
    return redirect(url_for(".profile"))


# Approval (organisers) -------------------------------------------------------------


@bp.route("/screening/investors")
@organiser_required
def screening() -> ResponseReturnValue:
    rows = services.investors_for_screening()
    statuses = (InvestorStatus.PENDING, InvestorStatus.APPROVED, InvestorStatus.REJECTED)
    # ?status=pending (the organisers' home links there): that group only.
    only = next((s for s in statuses if s.value == request.args.get("status")), None)
    groups = [
        (status, [r for r in rows if r.user.investor_status is status])
        for status in statuses
        if only is None or status is only
    ]
    return render_template("investors/screening.html", groups=groups, only=only)


def _investor(user_id: int) -> User:
    investor = services.investor_by_id(user_id)
    if investor is None:
        abort(404)
    return investor


def _render_investor(
    investor: User, form: InvestorDecisionForm | None = None
) -> ResponseReturnValue:
    return render_template(
        "investors/investor.html",
        investor=investor,
        profile=services.profile_of(investor),
        decisions=services.decisions_of(investor),
        form=form or InvestorDecisionForm(formdata=None),
    )


@bp.route("/screening/investors/<int:user_id>")
@organiser_required
def investor(user_id: int) -> ResponseReturnValue:
    return _render_investor(_investor(user_id))


@bp.route("/screening/investors/<int:user_id>/decision", methods=["POST"])
@organiser_required
def decide(user_id: int) -> ResponseReturnValue:
    investor = _investor(user_id)
    form = InvestorDecisionForm()
    if not form.validate_on_submit():
        return _render_investor(investor, form)
    try:
        if form.decision.data == "approve":
            services.approve(investor, _user(), form.reason.data or "")
            _recompute(investor)
        else:
            services.reject(investor, _user(), form.reason.data or "")
            _recompute(investor)
    except InvestorError as exc:
        db.session.rollback()
        investor = _investor(user_id)
        if exc.field == "reason":
            form.reason.errors = [*form.reason.errors, exc.message]
        else:
            form.form_errors.append(exc.message)
        return _render_investor(investor, form)
    db.session.commit()
    if form.decision.data == "approve":
        flash(_("%(name)s is approved and has been told by e-mail.", name=investor.name), "success")
    else:
        flash(_("%(name)s is rejected and has been told by e-mail.", name=investor.name), "success")
    return redirect(url_for(".screening"))
