"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from matchmaking.extensions import db as _db
from matchmaking.matches.search import FTS_OBJECTS


def _not_fts(name: Any, type_: str, parent_names: Any) -> bool:
    """The FTS table, its shadow tables and index are made by hand in a migration."""
    return name not in FTS_OBJECTS


def test_models_and_migrations_agree(app: Any) -> None:
    # The `app` fixture built the schema with `flask db upgrade`.
    with app.app_context(), _db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _not_fts}
        )
        diff = compare_metadata(context, _db.metadata)
    assert diff == []


def test_control_characters_in_stored_one_line_names_become_spaces(
    database_url: str, tmp_path: Any
) -> None:
    """Rows saved before forms refused line breaks: the migration puts their
    one-line names on one line and leaves multi-line text alone."""
    import os
    import uuid

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, select, text
    from sqlalchemy.engine import make_url

    from matchmaking.accounts.models import Role, User
    from matchmaking.demo.services import load_reference_data
    from matchmaking.proposals.models import Company, Instrument, Proposal, Status, TeamMember
    from matchmaking.reference.models import Municipality, Region, Sector, Stage
    from matchmaking.screening.models import Criterion
    from tests.conftest import make_app
    from tests.events.factories import new_event

    schema = None
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'migrate.sqlite'}"
    else:  # a schema of its own, dropped afterwards
        schema = f"migrate_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        admin = create_engine(database_url)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = (
            make_url(database_url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    app = make_app(url)
    try:
        with app.app_context():
            # The rows below are made with today's models, so at the newest
            # schema; the downgrade to the revision before the cleaning one
            # keeps them (that revision's downgrade restores nothing).
            upgrade()
            load_reference_data()
            user = User(email="kari@example.no", name="Kari\r\nNordmann", role=Role.ENTREPRENEUR)
            user.password_hash = "x"
            organiser = User(email="olga@example.no", name="Olga\tOrganiser", role=Role.ORGANISER)
            organiser.password_hash = "x"
            _db.session.add_all([user, organiser])
            _db.session.flush()
            narvik = _db.session.scalars(select(Municipality).where(Municipality.slug == "narvik"))
            company = Company(
                owner_id=user.id,
                name="Tare\n AS",
                municipality_id=narvik.one().id,
                contact_name="Kari \u2028 Nordmann",
                contact_email="kari@example.no",
            )
            company.team.append(TeamMember(name="Per\x1bHansen", role="CTO\r", background="A\nB"))
            proposal = Proposal(
                company=company,
                title="Tare\r\nBcc: x@evil.example",
                teaser="Linje 1\nLinje 2",
                description="Avsnitt 1\r\n\r\nAvsnitt 2",
                sector_id=_db.session.scalars(select(Sector.id)).first(),
                stage_id=_db.session.scalars(select(Stage.id)).first(),
                ask=1_000_000,
                min_ticket=100_000,
                instrument=Instrument.EQUITY,
                status=Status.SUBMITTED,
            )
            _db.session.add_all(
                [
                    proposal,
                    Criterion(slug="team", name_nb="Team\u202e", name_en="Team\n", weight=1.0),
                ]
            )
            _db.session.scalars(
                select(Region).order_by(Region.id)
            ).first().name_en = "Ofoten\r\n\r\nregion"
            _db.session.commit()
            event = new_event(organiser, title="Springbrett\rNarvik")
            ids = {"user": user.id, "organiser": organiser.id, "event": event.id}
            ids["proposal"] = proposal.id
            _db.session.remove()
            downgrade(revision="05f8d53f3faa-1")

            upgrade()  # through the cleaning revision, back to today's models

            assert _db.session.get(User, ids["user"]).name == "Kari Nordmann"
            assert _db.session.get(User, ids["organiser"]).name == "Olga Organiser"
            p = _db.session.get(Proposal, ids["proposal"])
            assert p.title == "Tare Bcc: x@evil.example"
            assert p.teaser == "Linje 1\nLinje 2"  # multi-line text keeps its lines
            assert p.description == "Avsnitt 1\r\n\r\nAvsnitt 2"
            assert p.company.name == "Tare AS"
            assert p.company.contact_name == "Kari Nordmann"
            (member,) = p.company.team
            assert (member.name, member.role, member.background) == ("Per Hansen", "CTO", "A\nB")
            criterion = _db.session.scalars(select(Criterion)).one()
            assert (criterion.name_nb, criterion.name_en) == ("Team", "Team")
            assert (
                _db.session.scalars(select(Region).order_by(Region.id)).first().name_en
                == "Ofoten region"
            )
            from matchmaking.events.models import Event

            assert _db.session.get(Event, ids["event"]).title == "Springbrett Narvik"
            assert _db.session.get(Event, ids["event"]).venue == "Malmen"
            _db.session.remove()
    finally:
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()
        if schema is not None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
