"""Registration, confirmation, login and logout, passwords, the profile."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from matchmaking.accounts import services
from matchmaking.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EmailOnlyForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from matchmaking.accounts.models import Role, User
from matchmaking.accounts.services import AccountError, LoginResult
from matchmaking.accounts.throttle import allow_email
from matchmaking.accounts.tokens import TokenError
from matchmaking.db_utils import writes_on_get
from matchmaking.extensions import db, login_manager
from matchmaking.numbers import parse_id
from matchmaking.security import safe_next

auth_bp = Blueprint("auth", __name__, url_prefix="/auth")
account_bp = Blueprint("account", __name__, url_prefix="/account")

login_manager.login_view = "auth.login"
login_manager.login_message = None  # the login page explains itself
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Accept ``"<id>:<session token>"`` only while the token is current."""
    id_part, _sep, token = user_id.partition(":")
    wanted = parse_id(id_part)
    if wanted is None or not token:
        return None
    user = db.session.get(User, wanted)
    if user is None or user.session_token != token or not user.is_active:
        return None
    return user


def _client_address() -> str:
    return request.remote_addr or "unknown"


def _stay_logged_in(user: User) -> None:
    """Log this browser in again after ``user``'s sessions were ended.

    The session takes the new session token; a remember-me cookie this
    browser had is issued anew for it (the old one no longer logs in).
    """
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    login_user(user, remember=cookie in request.cookies)


@auth_bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = session.get("lang", current_app.config["BABEL_DEFAULT_LOCALE"])
    if form.validate_on_submit():
        # A known address gets the same answer as a new one; its owner is
        # e-mailed instead (services.register), so the page tells nobody
        # which addresses have accounts. That notice is limited like reset
        # links (counted for every address, so the count tells nothing).
        notify = allow_email("register", form.email.data, _client_address())
        services.register(
            email=form.email.data,
            name=form.name.data,
            password=form.password.data,
            role=Role(form.role.data),
            locale=form.locale.data,
            notify_owner=notify,
        )
        db.session.commit()
        session["lang"] = form.locale.data
        return render_template("auth/check_email.html", email=form.email.data.strip().lower())
    return render_template("auth/register.html", form=form)


@auth_bp.route("/confirm/<token>")
@writes_on_get
def confirm(token: str) -> ResponseReturnValue:
    try:
        user = services.confirm(token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    except TokenError as exc:
        message = (
            _("This confirmation link has expired. Ask for a new one below.")
            if exc.expired
            else _("This confirmation link is not valid. Ask for a new one below.")
        )
        flash(message, "danger")
        return redirect(url_for("auth.resend_confirmation"))
    db.session.commit()
    flash(_("Thank you, %(email)s is confirmed. You can log in now.", email=user.email), "success")
    return redirect(url_for("auth.login"))


@auth_bp.route("/confirm", methods=["GET", "POST"])
def resend_confirmation() -> ResponseReturnValue:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        # Counted whether or not the address has an account; past the limit
        # the answer is the same, without the e-mail.
        if allow_email("confirm", form.email.data, _client_address()):
            user = services.find_by_email(form.email.data)
            if user is not None and user.email_confirmed_at is None:
                services.send_confirmation(user)
        db.session.commit()  # the e-mail goes out after the commit
        # The same answer whether or not the address has an account.
        flash(_("If that address has an unconfirmed account, a new link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/resend.html", form=form)


@auth_bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Log in; then the safe ``next`` page, else ``/``, which is the person's home."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        outcome = services.authenticate(form.email.data, form.password.data, _client_address())
        db.session.commit()  # the throttle's counts are kept whatever the outcome
        if outcome.result == LoginResult.OK and outcome.user is not None:
            lang = session.get("lang")
            session.clear()  # a fresh session on login
            if lang:
                session["lang"] = lang
            login_user(outcome.user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=outcome.user.name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
        if outcome.result == LoginResult.THROTTLED:
            status = 429
            form.form_errors.append(
                _(
                    "Too many failed attempts. Wait 15 minutes and try again, or reset your password."
                )
            )
        elif outcome.result == LoginResult.UNCONFIRMED:
            form.form_errors.append(
                _(
                    "Your e-mail address is not confirmed yet. Use the link we sent you, or ask for a new one."
                )
            )
            return render_template("auth/login.html", form=form, offer_resend=True), 403
        elif outcome.result == LoginResult.DISABLED:
            form.form_errors.append(_("This account has been disabled. Contact BAN Ofoten."))
            status = 403
        else:
            form.form_errors.append(_("Wrong e-mail address or password."))
            status = 401
    return render_template("auth/login.html", form=form, offer_resend=False), status


@auth_bp.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@auth_bp.route("/forgot", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        if allow_email("reset", form.email.data, _client_address()):
            services.send_password_reset(form.email.data)
        db.session.commit()  # the e-mail goes out after the commit, off this thread
        flash(
            _(
                "If that address has an account, a link to choose a new password is on its way. It works for one hour, once."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@auth_bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    try:
        user = services.user_for_reset(token, current_app.config["RESET_TOKEN_MAX_AGE"])
    except TokenError as exc:
        message = (
            _("This link has expired. Ask for a new one.")
            if exc.expired
            else _(
                "This link is not valid or has been used, or the account's e-mail address or password has changed since it was sent. Ask for a new one."
            )
        )
        flash(message, "danger")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@account_bp.route("/", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        user.name = form.name.data.strip()
        services.set_locale(user, form.locale.data)
        db.session.commit()
        session["lang"] = user.locale
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form, user=user)


def _too_many_passwords() -> str:
    message: str = _("Too many wrong passwords. Wait 15 minutes and try again.")
    return message


def _check_current_password(
    user: User, form: ChangePasswordForm | ChangeEmailForm
) -> tuple[bool, int]:
    """The change pages' current-password check, throttled like logins.

    Whether it is right, and the status to answer with otherwise (429 past
    the limit); the reason goes beside the field.
    """
    checked = services.check_current_password(user, form.current_password.data, _client_address())
    if checked == LoginResult.THROTTLED:
        form.current_password.errors.append(_too_many_passwords())
        return False, 429
    if checked != LoginResult.OK:
        form.current_password.errors.append(_("The current password is wrong."))
        return False, 200
    return True, 200


@account_bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = ChangePasswordForm()
    form.account_email = user.email
    status = 200
    if form.validate_on_submit():
        right, status = _check_current_password(user, form)
        if right:
            services.change_password(user, form.password.data)
            db.session.commit()
            # Every other session ends; this one starts afresh with the new token.
            _stay_logged_in(user)
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form), status


@account_bp.route("/email", methods=["GET", "POST"])
@login_required
def change_email() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    form = ChangeEmailForm()
    status = 200
    if form.validate_on_submit():
        right, status = _check_current_password(user, form)
        if right:
            try:
                # Past the limit the page answers the same, but sends nothing.
                if allow_email("email-change", form.email.data, _client_address()):
                    services.request_email_change(user, form.email.data)
                elif services.email_taken(form.email.data, except_user=user):
                    raise AccountError("email-taken")
            except AccountError:
                form.email.errors.append(_("Another account uses this e-mail address."))
                db.session.commit()  # the right password has cleared the throttle's count
            else:
                db.session.commit()
                flash(
                    _(
                        "We sent a link to %(email)s. Your address changes when you follow it.",
                        email=form.email.data.strip().lower(),
                    ),
                    "info",
                )
                return redirect(url_for("account.profile"))
    return render_template("account/email.html", form=form), status


@account_bp.route("/email/confirm/<token>")
@writes_on_get
@login_required
def confirm_email_change(token: str) -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    try:
        new_email = services.confirm_email_change(
            user, token, current_app.config["CONFIRM_TOKEN_MAX_AGE"]
        )
    except TokenError as exc:
        message = (
            _("This link has expired. Ask for the change again.")
            if exc.expired
            else _(
                "This link is no longer valid: it has been used, a newer link has been sent, or your e-mail address or password has changed since. Ask for the change again if you need it."
            )
        )
        flash(message, "danger")
        return redirect(url_for("account.change_email"))
    except AccountError:
        flash(_("Another account uses this e-mail address."), "danger")
        return redirect(url_for("account.change_email"))
    db.session.commit()
    # Every other session ends; this one starts afresh with the new token.
    _stay_logged_in(user)
    flash(
        _(
            "Your e-mail address is now %(email)s. Other devices have been logged out.",
            email=new_email,
        ),
        "success",
    )
    return redirect(url_for("account.profile"))
