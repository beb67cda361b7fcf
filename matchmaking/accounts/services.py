"""Account rules: plain functions that flush; the request commits once.

E-mails are queued on the session and go out after the request commits
(``matchmaking.mail``): nobody is mailed about work that was rolled back, and
no answer waits on the mail server. Answers that must not tell whether an
address has an account (registration, "forgot password") do the same work
either way: the same token, the same rendering, the same password hashing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from matchmaking.accounts.models import InvestorStatus, NoticeMode, Role, User, hash_password
from matchmaking.accounts.signals import account_confirmed
from matchmaking.accounts.throttle import get_throttle
from matchmaking.accounts.tokens import (
    TokenError,
    account_fingerprint,
    fingerprint_matches,
    make_token,
    read_token,
)
from matchmaking.db_utils import lock
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url, render_email, send_email, send_to


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
    send_to(user, _l("Confirm your e-mail address"), "confirm", user=user, link=link)


def register(
    *, email: str, name: str, password: str, role: Role, locale: str, notify_owner: bool = True
) -> User | None:
    """Self-registration as entrepreneur or investor; sends the confirmation link.

    An address that has an account already is not told apart: its owner is
    e-mailed instead ("someone tried to register with your address"), the
    submitted password is hashed all the same and thrown away, and None is
    returned (``notify_owner`` False: rendered, not sent, as past the limit
    on such e-mails). Two registrations of one address at the same moment end the
    same way for the one that loses (the unique index refuses it).
    """
    if role is Role.ORGANISER:
        raise AccountError("organisers-are-created-by-organisers")
    existing = find_by_email(email)
    if existing is None:
        try:
            with db.session.begin_nested():
                user = create_user(
                    email=email, name=name, password=password, role=role, locale=locale
                )
        except IntegrityError:
            existing = find_by_email(email)
            if existing is None:
                raise
        else:
            send_confirmation(user)
            return user
    else:
        hash_password(password)  # the time a new account's hashing takes
    tell_owner_of_registration(existing, send=notify_owner)
    return None


def tell_owner_of_registration(user: User, *, send: bool = True) -> None:
    """E-mail the owner of an address someone tried to register with."""
    make_token("confirm", {"uid": user.id, "email": user.email})  # as a new account's link
    login_link = absolute_url("auth.login")
    reset_link = absolute_url("auth.forgot_password")
    resend_link = absolute_url("auth.resend_confirmation")
    subject = _l("Someone tried to register with your e-mail address")
    # A disabled account is not mailed; the work is the same.
    deliver = render_email if user.disabled_at is not None or not send else send_email
    deliver(
        user.email,
        subject,
        "already_registered",
        user.locale,
        user=user,
        login_link=login_link,
        reset_link=reset_link,
        resend_link=resend_link,
    )


def confirm(token: str, max_age: int) -> User:
    """Mark the address in the token as confirmed; raises TokenError."""
    data = read_token("confirm", token, max_age)
    user = db.session.get(User, data.get("uid"))
    if user is None or user.email != data.get("email"):
        raise TokenError(expired=False)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
        account_confirmed.send(user)
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
    """Check a login attempt, honouring and updating the throttle.

    The throttle records the attempt, committing the session, before the
    password is checked (see ``throttle``); nothing else is pending then.
    """
    from matchmaking.accounts.models import dummy_password_check

    account = normalise_email(email)
    throttle = get_throttle()
    # The attempt is recorded (and committed) before the password is checked.
    if not throttle.attempt(account, address):
        return Login(LoginResult.THROTTLED)
    user = find_by_email(account)
    if user is None:
        dummy_password_check(password)
        return Login(LoginResult.BAD)
    if not user.check_password(password):
        return Login(LoginResult.BAD)
    throttle.succeed(account)
    if user.disabled_at is not None:
        return Login(LoginResult.DISABLED, user)
    if user.email_confirmed_at is None:
        return Login(LoginResult.UNCONFIRMED, user)
    user.last_login_at = utcnow()
    db.session.flush()
    return Login(LoginResult.OK, user)


def check_current_password(user: User, password: str, address: str) -> str:
    """The current-password check of the password and e-mail pages.

    Throttled like a login, against the same per-account and per-address
    counts: LoginResult.OK, BAD or THROTTLED.
    """
    account = normalise_email(user.email)
    throttle = get_throttle()
    if not throttle.attempt(account, address):
        return LoginResult.THROTTLED
    if not user.check_password(password):
        return LoginResult.BAD
    throttle.succeed(account)
    return LoginResult.OK


def end_all_sessions(user: User) -> None:
    """Refuse every existing session and remember-me cookie of ``user``."""
    user.rotate_session_token()
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    """Set the password; every link sent by e-mail, and every session, ends."""
    user.set_password(new_password)
    user.rotate_security_stamp()
    end_all_sessions(user)


def send_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to an account; silent otherwise.

    An unknown (or disabled) address costs the same work: a token is made and
    the message rendered for a stand-in, then thrown away. The message itself
    goes out after the commit, off the request thread (``matchmaking.mail``).
    """
    user = find_by_email(email)
    known = user is not None and user.disabled_at is None
    if user is None or not known:
        user = User(
            email=normalise_email(email),
            name="",
            locale="nb",
            password_hash=_STAND_IN,
            security_stamp="",
        )
    token = make_token("reset", {"uid": user.id or 0, "fp": account_fingerprint(user)})
    link = absolute_url("auth.reset_password", token=token)
    if known:
        send_to(user, _l("Reset your password"), "reset", user=user, link=link)
    else:
        render_email(
            user.email, _l("Reset your password"), "reset", user.locale, user=user, link=link
        )


#: The password hash of the stand-in for an unknown address (never stored).
_STAND_IN = "$argon2id$v=19$m=65536,t=3,p=4$c3RhbmQtaW4$c3RhbmQtaW4tbm90LWEtaGFzaA"


def user_for_reset(token: str, max_age: int) -> User:
    """The user a reset link is for; raises TokenError if broken, expired or used.

    The link is refused once used, and once the account's e-mail address or
    password has changed since it was sent.
    """
    data = read_token("reset", token, max_age)
    uid = data.get("uid")
    user = db.session.get(User, uid) if isinstance(uid, int) else None
    if user is None:
        raise TokenError(expired=False)
    lock(user)  # two uses of one link at once: the second sees the new fingerprint
    if not fingerprint_matches(data, user):
        raise TokenError(expired=False)
    return user


def reset_password(user: User, new_password: str) -> None:
    """Set the new password; the link, and every session, stop working.

    Following the link proves the address, so an unconfirmed account is
    confirmed too.
    """
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.flush()
        account_confirmed.send(user)
    change_password(user, new_password)


def request_email_change(user: User, new_email: str) -> None:
    """Mail a confirmation link to ``new_email``; links sent before stop working."""
    if email_taken(new_email, except_user=user):
        raise AccountError("email-taken")
    new_email = normalise_email(new_email)
    user.rotate_security_stamp()
    db.session.flush()
    token = make_token(
        "email", {"uid": user.id, "email": new_email, "fp": account_fingerprint(user)}
    )
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
    """Switch ``user`` to the new address in the token; returns it.

    The link works once, and only while the address and password are those
    it was sent for and no newer change was asked for; it raises TokenError
    otherwise. Every other session ends (the caller logs the current one in
    again), and the old address is told of the change.
    """
    data = read_token("email", token, max_age)
    new_email = data.get("email")
    if data.get("uid") != user.id or not isinstance(new_email, str):
        raise TokenError(expired=False)
    lock(user)  # two uses of one link at once: the second sees the new fingerprint
    if not fingerprint_matches(data, user):
        raise TokenError(expired=False)
    if email_taken(new_email, except_user=user):
        raise AccountError("email-taken")
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = utcnow()
    user.rotate_security_stamp()
    end_all_sessions(user)
    send_email(
        old_email,
        _l("The e-mail address of your account has been changed"),
        "email_changed",
        user.locale,
        user=user,
        old_email=old_email,
        new_email=new_email,
    )
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


def set_notice_mode(user: User, mode: NoticeMode, now: datetime | None = None) -> None:
    """Save an organiser's choice of notices (``matchmaking.notices``); choosing
    "daily" starts the summaries from ``now``, so the first one repeats nothing
    e-mailed before."""
    if mode is NoticeMode.DAILY and user.notice_mode is not NoticeMode.DAILY:
        user.summary_sent_at = now or utcnow()
    user.notice_mode = mode
    db.session.flush()
