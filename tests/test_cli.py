"""The commands: create-organiser and demo load."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from matchmaking.accounts.models import Role, User
from matchmaking.demo.data import DEMO_PASSWORD, DEMO_USERS, MORE_DEMO_USERS
from matchmaking.demo.investors import INVESTORS as DEMO_INVESTORS
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject


def test_create_organiser(app: Any, db: Any) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-organiser", "boss@example.no", "--name", "Berit Sjef"],
        input="a-proper-password-1\na-proper-password-1\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "boss@example.no"))
    assert user.role is Role.ORGANISER
    assert user.is_active
    assert user.check_password("a-proper-password-1")


def test_create_organiser_bad_input(app: Any, db: Any, make_user: Any) -> None:
    runner = app.test_cli_runner()
    make_user(email="taken@example.no")
    cases = [
        (
            ["create-organiser", "not-an-email", "--name", "X"],
            "a-proper-password-1",
            "not a valid e-mail",
        ),
        (["create-organiser", "short@example.no", "--name", "X"], "short", "at least 10"),
        (
            ["create-organiser", "taken@example.no", "--name", "X"],
            "a-proper-password-1",
            "exists already",
        ),
    ]
    for args, password, message in cases:
        result = runner.invoke(args=args, input=f"{password}\n{password}\n")
        assert result.exit_code == 2
        assert "error: " in result.output
        assert message in result.output
        assert "Traceback" not in result.output


def test_demo_load_twice_adds_nothing_twice(app: Any, db: Any) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "arrangor@demo.banofoten.no" in first.output

    def counts() -> tuple[int, ...]:
        return tuple(
            db.session.scalar(select(func.count()).select_from(m))
            for m in (User, Region, Municipality, Sector, Stage, Subproject)
        )

    before = counts()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load", "--if-empty"]).exit_code == 0
    assert counts() == before
    logins = {email for email, *_ in DEMO_USERS + MORE_DEMO_USERS}
    assert before[0] == len(logins | {i.email for i in DEMO_INVESTORS})
    assert before[5] == 5
    slugs = set(db.session.scalars(select(Stage.slug).order_by(Stage.position)))
    assert slugs == {"idea", "pre-seed", "seed", "early-growth", "growth"}
    narvik = db.session.scalar(select(Municipality).where(Municipality.slug == "narvik"))
    assert narvik.region.slug == "ofoten"
    organiser = db.session.scalar(select(User).where(User.email == "arrangor@demo.banofoten.no"))
    assert organiser.role is Role.ORGANISER
    assert organiser.check_password(DEMO_PASSWORD)
    investor = db.session.scalar(select(User).where(User.email == "investor@demo.banofoten.no"))
    assert investor.is_approved_investor


def test_demo_logins_work(client: Any, app: Any, db: Any) -> None:
    app.test_cli_runner().invoke(args=["demo", "load"])
    for email in (
        "arrangor@demo.banofoten.no",
        "investor@demo.banofoten.no",
        "grunder@demo.banofoten.no",
    ):
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.post("/auth/logout")
