"""Commands: ``flask --app wsgi create-organiser EMAIL`` and ``demo load``.

Bad input ends with ``error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.exc import OperationalError, ProgrammingError

from matchmaking.extensions import db


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


def init_app(app: Flask) -> None:
    from matchmaking.accounts import throttle
    from matchmaking.events.cli import events as events_cli
    from matchmaking.matches import digests
    from matchmaking.matches.cli import matches as matches_cli
    from matchmaking.notices.cli import notices as notices_cli
    from matchmaking.results.cli import results as results_cli
    from matchmaking.rounds.cli import rounds as rounds_cli

    throttle.init_app(app)
    digests.init_app(app)

    @app.cli.command("create-organiser")
    @click.argument("email")
    @click.option("--name", default=None, help="Full name (asked for if not given).")
    @click.password_option("--password", prompt=True, help="Asked for, twice, if not given.")
    def create_organiser(email: str, name: str | None, password: str) -> None:
        """Create a confirmed organiser account for EMAIL."""
        from email_validator import EmailNotValidError, validate_email

        from matchmaking.accounts.models import Role
        from matchmaking.accounts.passwords import password_problem
        from matchmaking.accounts.services import AccountError, create_user

        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            _fail(f"{email!r} is not a valid e-mail address")
        with force_locale("en"):  # commands speak English, like the engine's
            problem = password_problem(password, email)
        if problem:
            _fail(problem)
        if name is None:
            name = click.prompt("Name", default=email.split("@")[0])
        try:
            create_user(
                email=email,
                name=name or email,
                password=password,
                role=Role.ORGANISER,
                confirmed=True,
            )
            db.session.commit()
        except AccountError:
            _fail(f"an account with the e-mail address {email} exists already")
        except (OperationalError, ProgrammingError):
            _fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
        click.echo(f"Organiser {email} created.")

    demo = AppGroup("demo", help="Demo data.")

    @demo.command("load")
    @click.option("--if-empty", is_flag=True, help="Only load into an empty database.")
    def demo_load(if_empty: bool) -> None:
        """Load the demo region, reference data and logins (nothing is added twice)."""
        from matchmaking.demo import data, services

        try:
            if if_empty and not services.database_is_empty():
                click.echo("The database has data already; demo data not loaded.")
            else:
                services.load()
                db.session.commit()
                click.echo("Demo data loaded.")
        except (OperationalError, ProgrammingError):
            _fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
        click.echo(f"Demo logins (password {data.DEMO_PASSWORD}):")
        for email, _name, role, _status in data.DEMO_USERS + data.MORE_DEMO_USERS:
            click.echo(f"  {role:<13} {email}")

    app.cli.add_command(demo)
    app.cli.add_command(matches_cli)
    app.cli.add_command(events_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(results_cli)
    app.cli.add_command(rounds_cli)
