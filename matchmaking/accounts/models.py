"""Accounts: who can log in, in which role, and the login-failure log."""

from __future__ import annotations

import contextlib
import enum
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) defaults


class Role(enum.StrEnum):
    ENTREPRENEUR = "entrepreneur"
    INVESTOR = "investor"
    ORGANISER = "organiser"


class NoticeMode(enum.StrEnum):
    """How an organiser hears of new submissions, resubmissions and investor registrations."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    NEVER = "never"


class InvestorStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def new_security_stamp() -> str:
    return secrets.token_urlsafe(16)


class User(db.Model):  # type: ignore[name-defined,misc]
    """A person with a login.

    ``session_token`` ends every session when changed. ``security_stamp``
    changes with the e-mail address, the password and each request to change
    the address; links sent by e-mail carry a fingerprint of it, so a change
    refuses the links sent before (``tokens.account_fingerprint``).
    """

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    investor_status: Mapped[InvestorStatus | None] = mapped_column(str_enum(InvestorStatus, 20))
    locale: Mapped[str] = mapped_column(String(5), default="nb")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Rows from before the column have "" until their first change.
    security_stamp: Mapped[str] = mapped_column(
        String(32), default=new_security_stamp, server_default=""
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Organisers: new submissions and registrations by e-mail as they happen,
    #: in a daily summary, or never; and when the last summary went out.
    notice_mode: Mapped[NoticeMode] = mapped_column(
        str_enum(NoticeMode, 16), default=NoticeMode.IMMEDIATELY, server_default="immediately"
    )
    summary_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Investors: when they last opened their matches ("new since your last visit").
    matches_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Flask-Login protocol -------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.email_confirmed_at is not None

    def get_id(self) -> str:
        """The id plus the session token: a new token refuses old cookies."""
        return f"{self.id}:{self.session_token}"

    # Small invariants ------------------------------------------------------
    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.password_hash = _hasher.hash(password)
        return True

    def rotate_session_token(self) -> None:
        self.session_token = new_session_token()

    def rotate_security_stamp(self) -> None:
        self.security_stamp = new_security_stamp()

    @property
    def is_organiser(self) -> bool:
        return self.role is Role.ORGANISER

    @property
    def is_investor(self) -> bool:
        return self.role is Role.INVESTOR

    @property
    def is_entrepreneur(self) -> bool:
        return self.role is Role.ENTREPRENEUR

    @property
    def is_approved_investor(self) -> bool:
        return self.role is Role.INVESTOR and self.investor_status is InvestorStatus.APPROVED

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


def hash_password(password: str) -> str:
    """The argon2 hash of ``password`` (deliberately slow)."""
    return _hasher.hash(password)


def dummy_password_check(password: str) -> None:
    """Spend the time of a real check, so unknown e-mails are not revealed by timing."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher.verify(_DUMMY_HASH, password)


_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))


class LoginFailure(db.Model):  # type: ignore[name-defined,misc]
    """One password attempt, kept for the throttling window (database backend).

    The row is written before the password is checked and removed when the
    check succeeds, so a row left behind is a failure (or one being checked).
    """

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_account_at", "account", "at"),
        Index("ix_login_failure_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MailRequest(db.Model):  # type: ignore[name-defined,misc]
    """One reset or confirmation e-mail let through, kept for the mail window."""

    __tablename__ = "mail_request"
    __table_args__ = (
        Index("ix_mail_request_kind_recipient_at", "kind", "recipient", "at"),
        Index("ix_mail_request_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
