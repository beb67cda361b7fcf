"""Configuration classes, read from the environment.

``create_app`` picks one by ``MATCHMAKING_CONFIG`` (``development`` by
default, ``testing``, ``production``). Every setting a deployment may change
is listed with its default in the configuration table in docs/operations.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _seconds(name: str, default: str) -> tuple[float, ...]:
    """A comma-separated list of seconds, like ``5,30,120``."""
    return tuple(float(item) for item in os.environ.get(name, default).split(",") if item.strip())


class Config:
    """Settings shared by every environment."""

    SECRET_KEY: str | None = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI: str | None = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, object]] = {"pool_pre_ping": True}
    # SQLite only: how long (seconds) a writing request waits for the single
    # write lock held by another before it gives up ("busy, try again").
    SQLITE_BUSY_TIMEOUT = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "10"))

    # Sessions: 30 minutes idle, "remember me" for 14 days.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    IDLE_TIMEOUT = timedelta(minutes=30)
    # The idle timeout writes the last-seen time on every page, which sends the
    # cookie again; a request that changes nothing (a static file) must not,
    # or its late answer overwrites a newer cookie (matchmaking/security.py).
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False

    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    # Pitch decks: outside static/, served only through an access-checked route.
    DECK_DIR = os.environ.get("DECK_DIR", str(INSTANCE_DIR / "decks"))
    DECK_MAX_BYTES = 20 * 1024 * 1024
    # Checking an uploaded deck: refuse more pages than this, and give up
    # (refusing the file) after this many seconds.
    DECK_MAX_PAGES = 300
    DECK_CHECK_SECONDS = 5.0
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600 * 8

    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    LANGUAGES = ("nb", "en")

    BOOTSTRAP_SERVE_LOCAL = True

    # Mail. MAIL_BACKEND is "smtp" (send through MAIL_SERVER) or "log"
    # (write every message to the log and standard output instead).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SUPPRESS_SEND = False  # MAIL_BACKEND decides where messages go
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "BAN Ofoten <no-reply@banofoten.no>"
    )
    # Seconds any one step of talking to the mail server may take: a server
    # that accepts and then stalls cannot hold the mail thread for good.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))
    # A message the server did not take (no connection, a timeout, a 4xx
    # answer) is tried again this many times, after these delays in seconds
    # (the last repeats); one that still fails is kept for the organisers.
    MAIL_RETRIES = int(os.environ.get("MAIL_RETRIES", "3"))
    MAIL_RETRY_DELAYS = _seconds("MAIL_RETRY_DELAYS", "5,30,120")

    # Every link in an e-mail or a calendar file starts with BASE_URL (scheme,
    # host and any path prefix), never with the host a request names: a
    # forged Host header must not put an attacker's address in a reset link.
    # SERVER_NAME is still accepted as a fallback (PREFERRED_URL_SCHEME://
    # SERVER_NAME) for deployments that set it for the digest command before.
    BASE_URL: str | None = os.environ.get("BASE_URL")
    SERVER_NAME: str | None = os.environ.get("SERVER_NAME")
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Host names requests may name (Flask checks them; others answer 400).
    # None accepts any; production sets BASE_URL's host plus TRUSTED_HOSTS.
    TRUSTED_HOSTS: list[str] | None = None

    CONFIRM_TOKEN_MAX_AGE = int(os.environ.get("CONFIRM_TOKEN_MAX_AGE", str(48 * 3600)))
    RESET_TOKEN_MAX_AGE = 3600

    # Login and e-mail throttling: counters in Redis when REDIS_URL is set, else the database.
    REDIS_URL: str | None = os.environ.get("REDIS_URL")
    LOGIN_MAX_PER_ACCOUNT = 5
    LOGIN_MAX_PER_ADDRESS = 20
    LOGIN_WINDOW = timedelta(minutes=15)
    # Reset and confirmation e-mails: at most this many requests per
    # recipient address (for each kind of e-mail) and per client address in
    # the window; past that the page answers the same but sends nothing.
    MAIL_LIMIT_PER_RECIPIENT = 3
    MAIL_LIMIT_PER_CLIENT = 20
    MAIL_LIMIT_WINDOW = timedelta(hours=1)

    HSTS = False
    # Behind a reverse proxy: how many proxies in front of the app set
    # X-Forwarded-For / -Proto. 0 trusts none (the client address is the
    # connection's); throttling per address needs the real one.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # X-Forwarded-Host is trusted only when this is also on: a proxy that
    # passes the client's header through would otherwise let anyone choose
    # the host the app sees.
    PROXY_TRUST_HOST = _bool("PROXY_TRUST_HOST", False)


class DevelopmentConfig(Config):
    """`make run`: SQLite under instance/, mail written to the log."""

    DEBUG = _bool("FLASK_DEBUG", False)
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'matchmaking.sqlite'}"
    )
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")
    BASE_URL = os.environ.get("BASE_URL") or (
        None
        if os.environ.get("SERVER_NAME")
        else f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"
    )


class TestingConfig(Config):
    """The test suite: tests set the database URL themselves."""

    TESTING = True
    SECRET_KEY = "testing-not-secret"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    MAIL_BACKEND = "record"
    WTF_CSRF_ENABLED = False
    SERVER_NAME = None
    # The test client's own host, so that tests can follow e-mailed links.
    BASE_URL = "http://localhost"
    # One quick retry: tests of retries set their own.
    MAIL_RETRIES = 1
    MAIL_RETRY_DELAYS = (0.05,)


class ProductionConfig(Config):
    """Production: everything secret comes from the environment."""

    DEBUG = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    HSTS = True

    @classmethod
    def check(cls) -> None:
        """Refuse to start without the settings production cannot guess."""
        for name in ("SECRET_KEY", "DATABASE_URL"):
            if not os.environ.get(name):
                raise SystemExit(f"error: {name} must be set in production")
        if not (os.environ.get("BASE_URL") or os.environ.get("SERVER_NAME")):
            raise SystemExit(
                "error: BASE_URL must be set in production: the address people use to reach "
                "the service (e.g. https://match.banofoten.no), for the links in e-mails"
            )

    @classmethod
    def settings(cls) -> dict[str, object]:
        """The settings read from the environment when the app starts."""
        return {
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
            "REDIS_URL": os.environ.get("REDIS_URL"),
            "BASE_URL": os.environ.get("BASE_URL"),
            "SERVER_NAME": os.environ.get("SERVER_NAME"),
            "TRUSTED_HOSTS": _list("TRUSTED_HOSTS"),
            "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
            "PROXY_TRUST_HOST": _bool("PROXY_TRUST_HOST", False),
        }


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
