"""The application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import CONFIGS, Config, ProductionConfig
from matchmaking.extensions import bootstrap, csrf, db, login_manager, mail, migrate

BASE_DIR = Path(__file__).resolve().parent.parent


def create_app(
    config: str | type[Config] | None = None, overrides: Mapping[str, Any] | None = None
) -> Flask:
    """Build the app.

    ``config`` names a config (``development``, ``testing``, ``production``)
    or is a config class; by default ``MATCHMAKING_CONFIG`` names it
    (``development`` if unset). ``overrides`` are applied on top (tests).
    """
    if config is None or isinstance(config, str):
        name = config or os.environ.get("MATCHMAKING_CONFIG", "development")
        if name not in CONFIGS:
            raise SystemExit(f"error: MATCHMAKING_CONFIG must be one of {', '.join(CONFIGS)}")
        config_class = CONFIGS[name]
    else:
        config_class = config
    if config_class is ProductionConfig:
        ProductionConfig.check()

    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=os.environ.get("INSTANCE_PATH", str(BASE_DIR / "instance")),
        instance_relative_config=False,
    )
    app.config.from_object(config_class)
    if config_class is ProductionConfig:
        app.config.update(ProductionConfig.settings())
    app.config.update(overrides or {})
    if not app.config.get("SECRET_KEY"):
        raise SystemExit("error: SECRET_KEY must be set")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        raise SystemExit("error: DATABASE_URL must be set")
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _links_and_hosts(app, production=config_class is ProductionConfig)

    from matchmaking.converters import IdConverter

    app.url_map.converters["int"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)
    _connect_signals()

    from matchmaking import cli, errors, i18n, security
    from matchmaking.proposals.services import status_label

    i18n.init_app(app)
    app.jinja_env.filters["status_label"] = status_label
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app


def _links_and_hosts(app: Flask, *, production: bool) -> None:
    """Fix where e-mailed links point (BASE_URL) and which hosts requests may name.

    Links never take the request's host: a forged ``Host`` or
    ``X-Forwarded-Host`` must not reach a reset link. In production Flask
    answers 400 to a request naming any host but BASE_URL's (and those in
    ``TRUSTED_HOSTS``), and ``X-Forwarded-Host`` is believed only with
    ``PROXY_TRUST_HOST``.
    """
    from matchmaking.mail import base_url_from

    try:
        app.config["BASE_URL"] = base_url_from(app.config)
    except ValueError as error:
        raise SystemExit(f"error: {error}") from None
    if production:
        host = urlsplit(app.config["BASE_URL"]).hostname
        extra = app.config.get("TRUSTED_HOSTS") or []
        app.config["TRUSTED_HOSTS"] = [host, *(h for h in extra if h != host)]

    if app.config["PROXY_COUNT"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        x_host = n if app.config["PROXY_TRUST_HOST"] else 0
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=x_host)  # type: ignore[method-assign]


def normalise_database_url(url: str) -> str:
    """Let ``postgres://`` and ``postgresql://`` URLs use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _init_extensions(app: Flask) -> None:
    from matchmaking.accounts import models as account_models  # noqa: F401  (tables)
    from matchmaking.events import models as event_models  # noqa: F401
    from matchmaking.introductions import models as introduction_models  # noqa: F401
    from matchmaking.investors import models as investor_models  # noqa: F401
    from matchmaking.mail import failures as mail_models  # noqa: F401
    from matchmaking.matches import models as match_models  # noqa: F401
    from matchmaking.proposals import models as proposal_models  # noqa: F401
    from matchmaking.reference import models as reference_models  # noqa: F401
    from matchmaking.results import models as result_models  # noqa: F401
    from matchmaking.rounds import models as round_models  # noqa: F401
    from matchmaking.screening import models as screening_models  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    login_manager.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_transactions(db.engine, app.config["SQLITE_BUSY_TIMEOUT"])


#: Requests that only read: their SQLite transactions begin DEFERRED.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _begins_immediate() -> bool:
    """Whether this SQLite transaction should take the write lock at BEGIN.

    Yes for a request that may write (any method but GET, HEAD and OPTIONS,
    or a view marked :func:`~matchmaking.db_utils.writes_on_get`) and for everything outside a
    request (commands, the tests' fixtures).
    """
    if not has_request_context():
        return True
    if request.method not in READING_METHODS:
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes_on_get", False))


def _sqlite_transactions(engine: Engine, busy_timeout: float) -> None:
    """Make SQLite safe for a handful of simultaneous users.

    SQLAlchemy's recipe for pysqlite ("Serializable isolation / Savepoints /
    Transactional DDL"): pysqlite's own transaction handling is switched
    off and SQLAlchemy emits ``BEGIN`` itself, so SAVEPOINTs (the tests'
    isolation, :func:`matchmaking.db_utils.insert`) work. Then:

    - WAL journal mode: readers never wait on the writer, nor it on them.
    - A busy timeout (``SQLITE_BUSY_TIMEOUT`` seconds): a writer waits that
      long for the single write lock instead of failing at once.
    - ``BEGIN IMMEDIATE`` for transactions that may write. A transaction
      begun DEFERRED that reads and then writes cannot wait for the lock
      (SQLite refuses at once, to avoid a deadlock, or because another
      write made its snapshot stale): that was the "database is locked"
      of two simultaneous logins or a double click. IMMEDIATE takes the
      write lock at BEGIN, where the busy timeout applies, so writing
      requests queue one after another.

    Reading requests (GET, HEAD, OPTIONS) begin DEFERRED, so pages keep
    being served in parallel and never wait for a writer, thanks to WAL;
    taking the write lock for every transaction would queue every page
    behind every other. The few GET views that write (e-mailed confirmation
    links) are marked with :func:`~matchmaking.db_utils.writes_on_get`. Outside requests
    (commands) every transaction begins IMMEDIATE. Writers being queued is
    fine for the handful of simultaneous users SQLite is meant for here; a
    busier service should use PostgreSQL.
    """
    timeout_ms = max(0, int(busy_timeout * 1000))

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Persistent in the file; an in-memory database answers "memory".
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _begins_immediate() else "BEGIN")


def _connect_signals() -> None:
    """Higher features listen to the signals lower ones send (docs/architecture.md)."""
    from matchmaking.matches import signals as match_signals
    from matchmaking.notices import signals as notice_signals
    from matchmaking.screening import signals as screening_signals

    match_signals.connect()
    screening_signals.connect()
    notice_signals.connect()


def _register_blueprints(app: Flask) -> None:
    from matchmaking.accounts.admin import bp as admin_bp
    from matchmaking.accounts.views import account_bp, auth_bp
    from matchmaking.events import bp as events_bp
    from matchmaking.introductions.views import bp as introductions_bp
    from matchmaking.investors.views import bp as investors_bp
    from matchmaking.main.views import bp as main_bp
    from matchmaking.matches.views import bp as matches_bp
    from matchmaking.programme import bp as programme_bp
    from matchmaking.proposals.views import bp as proposals_bp
    from matchmaking.reference.views import bp as reference_bp
    from matchmaking.results import bp as results_bp
    from matchmaking.rounds import bp as rounds_bp
    from matchmaking.screening.views import bp as screening_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(reference_bp)
    app.register_blueprint(screening_bp)
    app.register_blueprint(matches_bp)
    app.register_blueprint(introductions_bp)
    app.register_blueprint(investors_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(programme_bp)
