"""The organisers' admin area: accounts (list, create organisers, disable and
enable) and the e-mails that could not be sent (send again or dismiss).

Failed e-mails are recorded by the mail thread (``matchmaking.mail.failures``);
the menu shows organisers how many wait (``failed_email_count`` in base.html).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from matchmaking.accounts import services
from matchmaking.accounts.access import organiser_required
from matchmaking.accounts.forms import NewOrganiserForm
from matchmaking.accounts.models import Role, User
from matchmaking.accounts.services import AccountError
from matchmaking.db_utils import unique_or
from matchmaking.extensions import db
from matchmaking.formtools import ConfirmActionForm, ConfirmStep, confirm_page, confirmed
from matchmaking.mail import failures
from matchmaking.mail.failures import AlreadyResolved, FailedEmail

bp = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_FILTERS = {r.value: r for r in Role}


@bp.route("/users")
@organiser_required
def users() -> ResponseReturnValue:
    query = select(User).order_by(User.role, User.name, User.id)
    role = ROLE_FILTERS.get(request.args.get("role", ""))
    if role is not None:
        query = query.where(User.role == role)
    return render_template(
        "admin/users.html",
        users=db.session.scalars(query).all(),
        role=role,
        roles=list(Role),
        action_form=ConfirmActionForm(),
    )


@bp.route("/users/new-organiser", methods=["GET", "POST"])
@organiser_required
def new_organiser() -> ResponseReturnValue:
    form = NewOrganiserForm()
    if form.validate_on_submit():
        try:
            # Two organisers adding the same address at once: the unique index
            # refuses the second, which is told as if it had come after.
            with unique_or(lambda: AccountError("email-taken")):
                user = services.create_user(
                    email=form.email.data,
                    name=form.name.data,
                    password=form.password.data,
                    role=Role.ORGANISER,
                    locale=form.locale.data,
                    confirmed=True,
                    created_by=current_user._get_current_object(),
                )
        except AccountError:
            form.email.errors.append(_("An account with this e-mail address exists already."))
        else:
            db.session.commit()
            flash(_("%(name)s is now an organiser and can log in.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/new_organiser.html", form=form)


def _disable_step(user: User) -> ConfirmStep:
    explain = [
        _(
            "%(name)s (%(email)s) is logged out everywhere at once and can no longer log in.",
            name=user.name,
            email=user.email,
        ),
        _(
            "Their proposals, profile and history stay as they are; you can enable the account"
            " again later."
        ),
    ]
    return ConfirmStep(
        heading=_("Disable %(name)s?", name=user.name),
        yes=_("Yes, disable %(name)s", name=user.name),
        cancel=url_for("admin.users"),
        explain=explain,
    )


def _set_disabled(user_id: int, disabled: bool) -> ResponseReturnValue:
    form = ConfirmActionForm()
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if disabled and not confirmed(form):  # the first click: ask once more
        return confirm_page(_disable_step(user), form)
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_disabled(user, disabled, by=current_user._get_current_object())
    except AccountError:
        flash(_("You cannot disable your own account."), "danger")
        return redirect(url_for("admin.users"))
    db.session.commit()
    if disabled:
        flash(_("%(name)s is disabled and logged out everywhere.", name=user.name), "success")
    else:
        flash(_("%(name)s can log in again.", name=user.name), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@organiser_required
def disable_user(user_id: int) -> ResponseReturnValue:
    return _set_disabled(user_id, True)


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@organiser_required
def enable_user(user_id: int) -> ResponseReturnValue:
    return _set_disabled(user_id, False)


# E-mails that could not be sent ---------------------------------------------------------


@bp.app_context_processor
def _failed_email_count() -> dict[str, Any]:
    """For base.html: how many failed e-mails wait (organisers only)."""

    def count() -> int:
        user = current_user
        if not (user.is_authenticated and user.is_organiser):
            return 0
        return failures.unresolved_count()

    return {"failed_email_count": count}


@bp.route("/mail")
@organiser_required
def failed_mail() -> ResponseReturnValue:
    return render_template(
        "admin/mail.html", failures=failures.unresolved(), action_form=ConfirmActionForm()
    )


def _failed_email(failure_id: int) -> FailedEmail:
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    failed = db.session.get(FailedEmail, failure_id)
    if failed is None:
        abort(404)
    return failed


def _already_resolved() -> ResponseReturnValue:
    """Another organiser was first (or a double click): nothing more is done."""
    flash(_("This e-mail was already sent again or dismissed."), "info")
    return redirect(url_for("admin.failed_mail"))


@bp.route("/mail/<int:failure_id>/send", methods=["POST"])
@organiser_required
def send_mail_again(failure_id: int) -> ResponseReturnValue:
    failed = _failed_email(failure_id)
    try:
        failure = failures.send_again(failed, by_id=current_user.id)
    except AlreadyResolved:
        return _already_resolved()
    db.session.commit()
    if failure is None:
        flash(_("The e-mail to %(address)s is sent.", address=failed.recipient), "success")
    else:
        flash(
            _(
                "The e-mail to %(address)s could not be sent this time either: %(reason)s",
                address=failed.recipient,
                reason=failed.reason_label,
            ),
            "danger",
        )
    return redirect(url_for("admin.failed_mail"))


@bp.route("/mail/<int:failure_id>/dismiss", methods=["POST"])
@organiser_required
def dismiss_mail(failure_id: int) -> ResponseReturnValue:
    failed = _failed_email(failure_id)
    try:
        failures.dismiss(failed, by_id=current_user.id)
    except AlreadyResolved:
        return _already_resolved()
    db.session.commit()
    flash(
        _("The e-mail to %(address)s is dismissed; it will not be sent.", address=failed.recipient),
        "success",
    )
    return redirect(url_for("admin.failed_mail"))
