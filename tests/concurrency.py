"""Real simultaneous requests against a database of their own.

The ``db`` fixture's single rolled-back connection cannot show a race: every
request shares it. :func:`separate_app` builds the app on a fresh database
instead (a temporary SQLite file, or a PostgreSQL database created for the
test and dropped after), and :func:`at_once` sends requests from several
threads, each with its own test client, released together by a barrier.
Bounded: a few threads, each waited for at most ``timeout`` seconds.
"""

from __future__ import annotations

import html
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from tests.conftest import PASSWORD, make_app

T = TypeVar("T")


@contextmanager
def _postgresql_database(url: str) -> Iterator[str]:
    """A new, empty database beside ``url``'s, dropped afterwards."""
    name = f"{make_url(url).database}_race_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def separate_app(database_url: str, tmp_path: Path, **overrides: Any) -> Iterator[Flask]:
    """The app on a fresh database of the same kind as ``database_url``, migrated."""
    with (
        _postgresql_database(database_url)
        if database_url.startswith("postgresql")
        else _sqlite_file(tmp_path)
    ) as url:
        app = make_app(url, **overrides)
        with app.app_context():
            upgrade()
            from matchmaking.demo.services import load_reference_data

            load_reference_data()
            _db.session.commit()
            _db.session.remove()
        try:
            yield app
        finally:
            with app.app_context():
                _db.session.remove()
                _db.engine.dispose()


@contextmanager
def served(app: Flask) -> Iterator[int]:
    """``app`` served on 127.0.0.1 by a threaded werkzeug server; yields its port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def _sqlite_file(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'race.sqlite'}"


def add_user(app: Flask, role: str, email: str, **values: Any) -> int:
    """A confirmed user (investors approved) with ``PASSWORD``; returns the id."""
    with app.app_context():
        user = User(
            email=email,
            name=values.pop("name", email.split("@")[0].title()),
            role=Role(role),
            locale=values.pop("locale", "nb"),
            email_confirmed_at=utcnow(),
            **values,
        )
        if role == "investor":
            user.investor_status = InvestorStatus.APPROVED
        user.set_password(PASSWORD)
        _db.session.add(user)
        _db.session.commit()
        user_id: int = user.id
        _db.session.remove()
        return user_id


def at_once(calls: list[Callable[[], T]], timeout: float = 60) -> list[T]:
    """Run every call in its own thread, all released at the same moment."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait(timeout)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [f.result(timeout) for f in futures]


def flashed(page: str) -> list[str]:
    """The flashed messages shown at the top of a page."""
    return [
        html.unescape(m)
        for m in re.findall(r'<div class="alert alert-\w+" role="\w+">(.*?)</div>', page, re.S)
    ]


def add_proposal(app: Flask, owner_id: int, title: str = "Tareforedling i Efjorden") -> int:
    """A submitted proposal of a new company of ``owner_id``; returns its id."""
    from sqlalchemy import select

    from matchmaking.proposals.models import Company, Instrument, Proposal, Status
    from matchmaking.reference.models import Municipality, Sector, Stage

    with app.app_context():
        company = Company(
            owner_id=owner_id,
            name="Tare AS",
            municipality_id=_db.session.scalar(
                select(Municipality.id).where(Municipality.slug == "narvik")
            ),
            contact_name="Grunder",
            contact_email="grunder@example.no",
        )
        proposal = Proposal(
            company=company,
            title=title,
            teaser="Vi foredler tare.",
            description="Beskrivelse.",
            sector_id=_db.session.scalar(select(Sector.id).where(Sector.slug == "marine")),
            stage_id=_db.session.scalar(select(Stage.id).where(Stage.slug == "seed")),
            ask=2_000_000,
            min_ticket=250_000,
            instrument=Instrument.EQUITY,
            use_of_funds="Produksjon.",
            status=Status.SUBMITTED,
        )
        _db.session.add(proposal)
        _db.session.commit()
        proposal_id: int = proposal.id
        _db.session.remove()
        return proposal_id


def client_of(app: Flask, email: str, n: int = 0) -> FlaskClient:
    """A test client at address 127.0.0.<n+1>, logged in through the login form."""
    client = app.test_client()
    # An address of its own: the login throttle counts per client address.
    client.environ_base["REMOTE_ADDR"] = f"127.0.0.{n + 1}"
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    client.get("/")  # shows (and so clears) the welcome
    return client
