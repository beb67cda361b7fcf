"""Account rules: plain functions that flush; the request commits once.

Every function that sends an e-mail does so after flushing, so a failing
mail server raises before the caller commits, and nothing half-done is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.accounts.throttle import get_throttle
from matchmaking.accounts.tokens import TokenError, make_token, password_fingerprint, read_token
from matchmaking.extensions import db, utcnow
from matchmaking.mail import absolute_url, send_email


class AccountError(Exception):
    """A rule was broken; the message is meant for the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def email_taken(email: str, except_user: User | None = None) -> bool:
    user = find_by_email(email)
    return user is not None and user is not except_user


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    role: Role,
    locale: str = "nb",
    confirmed: bool = False,
    investor_status: InvestorStatus | None = None,
    created_by: User | None = None,
) -> User:
    """Add a user; investors start as pending unless told otherwise."""
    if email_taken(email):
        raise AccountError("email-taken")
    if role is Role.INVESTOR and investor_status is None:
        investor_status = InvestorStatus.PENDING
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        locale=locale,
        investor_status=investor_status if role is Role.INVESTOR else None,
        email_confirmed_at=utcnow() if confirmed else None,
        created_by_id=created_by.id if created_by else None,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def send_confirmation(user: User) -> None:
    token = make_token("confirm", {"uid": user.id, "email": user.email})
    link = absolute_url("auth.confirm", token=token)
    send_email(
        user.email, _l("Confirm your e-mail address"), "confirm", user.locale, user=user, link=link
    )


def register(*, email: str, name: str, password: str, role: Role, locale: str) -> User:
    """Self-registration as entrepreneur or investor; sends the confirmation link."""
    if role is Role.ORGANISER:
        raise AccountError("organisers-are-created-by-organisers")
    user = create_user(email=email, name=name, password=password, role=role, locale=locale)
    send_confirmation(user)
    return user


def confirm(token: str, max_age: int) -> User:
    """Mark the address in the token as confirmed; raises TokenError."""
    data = read_token("confirm", token, max_age)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise TokenError(expired=False)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
    return user


class LoginResult:
    OK = "ok"
    BAD = "bad"
    THROTTLED = "throttled"
    UNCONFIRMED = "unconfirmed"
    DISABLED = "disabled"


@dataclass
class Login:
    result: str
    user: User | None = None


def authenticate(email: str, password: str, address: str) -> Login:
    """Check a login attempt, honouring and updating the throttle."""
    from matchmaking.accounts.models import dummy_password_check

    account = normalise_email(email)
    throttle = get_throttle()
    if throttle.blocked(account, address):
        return Login(LoginResult.THROTTLED)
    user = find_by_email(account)
    if user is None:
        dummy_password_check(password)
        throttle.fail(account, address)
        return Login(LoginResult.BAD)
    if not user.check_password(password):
        throttle.fail(account, address)
        return Login(LoginResult.BAD)
    throttle.succeed(account)
    if user.disabled_at is not None:
        return Login(LoginResult.DISABLED, user)
    if user.email_confirmed_at is None:
        return Login(LoginResult.UNCONFIRMED, user)
    user.last_login_at = utcnow()
    db.session.flush()
    return Login(LoginResult.OK, user)


def end_all_sessions(user: User) -> None:
    """Refuse every existing session and remember-me cookie of ``user``."""
    user.rotate_session_token()
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    user.set_password(new_password)
    end_all_sessions(user)


def send_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to an account; silent otherwise."""
    user = find_by_email(email)
    if user is None or user.disabled_at is not None:
        return
    token = make_token("reset", {"uid": user.id, "pw": password_fingerprint(user.password_hash)})
    link = absolute_url("auth.reset_password", token=token)
    send_email(user.email, _l("Reset your password"), "reset", user.locale, user=user, link=link)


def user_for_reset(token: str, max_age: int) -> User:
    """The user a reset link is for; raises TokenError if broken, expired or used."""
    data = read_token("reset", token, max_age)
    user = db.session.get(User, data.get("uid"))
    if user is None or password_fingerprint(user.password_hash) != data.get("pw"):
        raise TokenError(expired=False)
    return user


def reset_password(user: User, new_password: str) -> None:
    """Set the new password; the link, and every session, stop working.

    Following the link proves the address, so an unconfirmed account is
    confirmed too.
    """
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    change_password(user, new_password)


def request_email_change(user: User, new_email: str) -> None:
    if email_taken(new_email, except_user=user):
        raise AccountError("email-taken")
    new_email = normalise_email(new_email)
    token = make_token("email", {"uid": user.id, "email": new_email})
    link = absolute_url("account.confirm_email_change", token=token)
    send_email(
        new_email,
        _l("Confirm your new e-mail address"),
        "change_email",
        user.locale,
        user=user,
        link=link,
        new_email=new_email,
    )


def confirm_email_change(user: User, token: str, max_age: int) -> str:
    """Switch ``user`` to the new address in the token; returns it."""
    data = read_token("email", token, max_age)
    new_email = data.get("email")
    if data.get("uid") != user.id or not isinstance(new_email, str):
        raise TokenError(expired=False)
    if email_taken(new_email, except_user=user):
        raise AccountError("email-taken")
    user.email = new_email
    user.email_confirmed_at = utcnow()
    db.session.flush()
    return new_email


def set_disabled(user: User, disabled: bool, by: User) -> None:
    """Disable (ending every session) or enable an account; never one's own."""
    if user.id == by.id:
        raise AccountError("cannot-disable-self")
    if disabled:
        user.disabled_at = utcnow()
        end_all_sessions(user)
    else:
        user.disabled_at = None
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
