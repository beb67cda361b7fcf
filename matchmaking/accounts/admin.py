"""Organisers manage accounts: list, create organisers, disable and enable."""

from __future__ import annotations

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
from matchmaking.formtools import ConfirmActionForm

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


def _set_disabled(user_id: int, disabled: bool) -> ResponseReturnValue:
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
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
