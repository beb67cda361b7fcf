"""Flask extensions, created unbound and initialised in ``create_app``."""

from __future__ import annotations

import enum
import smtplib
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_mail import Connection, Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, Enum, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints have stable names for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned time-zone aware (UTC).

    SQLite keeps no zone, PostgreSQL does; this type makes both behave the
    same: naive values are refused so that a local time never slips in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


def str_enum(cls: type[enum.Enum], length: int) -> Enum:
    """A column type for a string enum, stored as its values in a VARCHAR.

    Not a native database enum, so adding a member needs no migration of the
    type, and SQLite and PostgreSQL store the same.
    """
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def utcnow() -> datetime:
    """Now, time-zone aware, in UTC."""
    return datetime.now(UTC)


class _TimedConnection(Connection):
    """Flask-Mail's SMTP connection with a timeout on every socket operation
    (``MAIL_TIMEOUT``), which Flask-Mail itself does not set: a mail server
    that accepts and then stalls cannot hold the mail thread for good."""

    def __init__(self, state: Any, timeout: float) -> None:
        super().__init__(state)
        self.timeout = timeout

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        state = self.mail
        factory = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = factory(state.server, state.port, timeout=self.timeout)
        host.set_debuglevel(int(state.debug))
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


class TimedMail(Mail):
    """Flask-Mail whose connections time out after ``MAIL_TIMEOUT`` seconds."""

    def connect(self) -> Connection:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        return _TimedConnection(app.extensions["mail"], float(app.config["MAIL_TIMEOUT"]))


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
mail = TimedMail()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
