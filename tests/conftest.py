"""Fixtures: ``app``, ``db`` (each test rolled back), ``client``, ``login_as`` and factories.

Every test that uses the database runs on SQLite and, when
``TEST_DATABASE_URL`` is set, again on PostgreSQL: the session-scoped
``database_url`` fixture is parametrised over both. The schema is built by
the migrations, so the suite also checks them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from itertools import count
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.orm import scoped_session, sessionmaker

from matchmaking import create_app
from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow

# The browser fixtures (chromium, a live server, axe-core) for every test folder.
pytest_plugins = ["tests.browser.fixtures"]

PASSWORD = "a-long-test-password"
_HASHES: dict[str, str] = {}

DATABASES = ["sqlite"]
if os.environ.get("TEST_DATABASE_URL"):
    DATABASES.append("postgresql")


def reset_postgresql(url: str) -> None:
    """Drop everything in the test database: the migrations build it anew."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    url = os.environ["TEST_DATABASE_URL"]
    reset_postgresql(url)
    return url


_DECKS = tempfile.TemporaryDirectory(prefix="mm-test-decks-")


def make_app(database_url: str, **overrides: Any) -> Flask:
    settings: dict[str, Any] = {"SQLALCHEMY_DATABASE_URI": database_url, "DECK_DIR": _DECKS.name}
    settings.update(overrides)
    return create_app("testing", settings)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Any]:
    """The database inside a transaction rolled back after the test.

    The service code commits; those commits release SAVEPOINTs inside the
    outer transaction, which the test then rolls back. No app context stays
    pushed, so each request gets its own (and its own ``g``), as in
    production. Objects made by the test keep their loaded values across
    requests (``expire_on_commit=False``); re-read with ``db.session.get``
    to see what a request changed.
    """
    with app.app_context():
        connection = _db.engine.connect()
    transaction = connection.begin()
    original = _db.session
    _db.session = scoped_session(
        sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    )
    app.extensions["mail_outbox"] = []
    try:
        yield _db
    finally:
        _db.session.remove()
        _db.session = original
        transaction.rollback()
        connection.close()


def reload(obj: Any) -> Any:
    """The row of ``obj`` as the database has it now."""
    _db.session.expire_all()
    return _db.session.get(type(obj), obj.id)


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def outbox(app: Flask, db: Any) -> list[Any]:
    """Messages sent during the test (the "record" mail backend)."""
    box: list[Any] = app.extensions["mail_outbox"]
    return box


_serial = count(1)


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    """Factory: ``make_user(role="investor", approved=True, email=..., ...)``."""

    def factory(
        role: str = "entrepreneur",
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
        confirmed: bool = True,
        approved: bool | None = None,
        locale: str = "nb",
        disabled: bool = False,
    ) -> User:
        n = next(_serial)
        user = User(
            email=email or f"{role}{n}@example.no",
            name=name or f"{role.title()} {n}",
            role=Role(role),
            locale=locale,
            email_confirmed_at=utcnow() if confirmed else None,
            disabled_at=utcnow() if disabled else None,
        )
        if role == "investor":
            user.investor_status = InvestorStatus.APPROVED if approved else InvestorStatus.PENDING
        # Hashing with argon2 is deliberately slow: hash each test password once.
        if password not in _HASHES:
            user.set_password(password)
            _HASHES[password] = user.password_hash
        user.password_hash = _HASHES[password]
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def reference(db: Any) -> None:
    """The demo reference data: regions, municipalities, sectors, stages, sub-projects."""
    from matchmaking.demo.services import load_reference_data

    load_reference_data()
    db.session.commit()


def tiny_pdf(text: str = "Pitch deck") -> bytes:
    """A small, valid one-page PDF (the demo data's deck writer)."""
    from matchmaking.demo.pdf import pitch_deck

    return pitch_deck(text, "Test AS", [("", [text])])


@pytest.fixture
def make_proposal(db: Any, reference: None, make_user: Callable[..., User]) -> Callable[..., Any]:
    """Factory: a company and a proposal, ``status`` set directly (with a deck if asked)."""
    from sqlalchemy import select

    from matchmaking.proposals.models import Company, Instrument, Proposal, Status
    from matchmaking.reference.models import Municipality, Sector, Stage, Subproject

    def factory(
        owner: User | None = None,
        *,
        status: str = "submitted",
        title: str = "Tareforedling i Efjorden",
        sector: str = "marine",
        stage: str = "seed",
        municipality: str = "narvik",
        subproject: str | None = "marin-kartlegging",
        ask: int = 2_000_000,
        min_ticket: int = 250_000,
        **values: Any,
    ) -> Proposal:
        owner = owner or make_user("entrepreneur")
        company = db.session.scalar(select(Company).where(Company.owner_id == owner.id))
        if company is None:
            company = Company(
                owner_id=owner.id,
                name=f"{owner.name} AS",
                municipality_id=db.session.scalar(
                    select(Municipality.id).where(Municipality.slug == municipality)
                ),
                contact_name=owner.name,
                contact_email=owner.email,
                org_number=None,
            )
            db.session.add(company)
        proposal = Proposal(
            company=company,
            title=title,
            teaser=values.pop("teaser", "Vi foredler tare fra Efjorden til fôr og mat."),
            description=values.pop("description", "Konfidensiell beskrivelse av driften."),
            sector_id=db.session.scalar(select(Sector.id).where(Sector.slug == sector)),
            stage_id=db.session.scalar(select(Stage.id).where(Stage.slug == stage)),
            subproject_id=db.session.scalar(
                select(Subproject.id).where(Subproject.slug == subproject)
            )
            if subproject
            else None,
            ask=ask,
            min_ticket=min_ticket,
            instrument=Instrument.EQUITY,
            use_of_funds=values.pop("use_of_funds", "Produksjonslinje og salg."),
            status=Status(status),
            **values,
        )
        db.session.add(proposal)
        db.session.commit()
        return proposal

    return factory


ROLES = ("anonymous", "entrepreneur", "pending_investor", "investor", "organiser")


@pytest.fixture
def login_as(client: FlaskClient, make_user: Callable[..., User]) -> Callable[..., User | None]:
    """Log the test client in as a new user of ``role`` (one of ROLES); returns the user."""

    def login(role: str, **kwargs: Any) -> User | None:
        if role == "anonymous":
            return None
        if role == "pending_investor":
            user = make_user("investor", approved=False, **kwargs)
        elif role == "investor":
            user = make_user("investor", approved=True, **kwargs)
        else:
            user = make_user(role, **kwargs)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login


def csrf_token(html: bytes | str) -> str:
    """The CSRF token of the first form in a page."""
    if isinstance(html, bytes):
        html = html.decode()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


def links_in(message: Any) -> list[str]:
    """The http(s) links in an e-mail's plain-text body."""
    return re.findall(r"https?://\S+", message.body)
