"""Forgotten password, change of password and e-mail."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from matchmaking.accounts.passwords import password_problem
from tests.accounts.test_auth import login
from tests.conftest import PASSWORD, links_in, reload

NEW_PASSWORD = "northern-lights-over-narvik"


def _path(link: str) -> str:
    return link.replace("http://localhost", "")


def test_forgotten_password_link_works_once_for_one_hour(
    app: Any, client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="forgot@example.no", locale="en")
    response = client.post(
        "/auth/forgot", data={"email": "forgot@example.no"}, follow_redirects=True
    )
    assert response.status_code == 200
    (message,) = outbox
    assert message.subject == "Reset your password"
    (link,) = [x for x in links_in(message) if "/auth/reset/" in x]
    assert client.get(_path(link)).status_code == 200

    response = client.post(
        _path(link), data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert login(client, user.email, PASSWORD).status_code == 401
    assert login(client, user.email, NEW_PASSWORD).status_code == 302
    client.post("/auth/logout")

    # Used once: the same link is refused.
    response = client.get(_path(link), follow_redirects=True)
    assert "ikke gyldig eller er brukt" in response.get_data(as_text=True)


def test_reset_link_expires(app: Any, client: Any, make_user: Any, outbox: list[Any]) -> None:
    make_user(email="slow@example.no")
    client.post("/auth/forgot", data={"email": "slow@example.no"})
    (link,) = [x for x in links_in(outbox[0]) if "/auth/reset/" in x]
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    try:
        response = client.get(_path(link), follow_redirects=True)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600
    assert "utløpt" in response.get_data(as_text=True)


def test_forgot_for_unknown_address_sends_nothing_and_says_the_same(
    client: Any, db: Any, outbox: list[Any]
) -> None:
    response = client.post(
        "/auth/forgot", data={"email": "ghost@example.no"}, follow_redirects=True
    )
    assert "Hvis adressen har en konto" in response.get_data(as_text=True)
    assert outbox == []


def test_change_password_ends_other_sessions(app: Any, client: Any, make_user: Any) -> None:
    user = make_user(email="change@example.no")
    other_device = app.test_client()
    login(client, user.email)
    login(other_device, user.email)
    assert other_device.get("/account/").status_code == 200

    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong-one-123",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert "Det nåværende passordet er feil." in response.get_data(as_text=True)

    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200  # this device stays logged in
    assert other_device.get("/account/").status_code == 302  # the other is logged out


def test_change_email(client: Any, make_user: Any, outbox: list[Any]) -> None:
    user = make_user(email="old@example.no")
    make_user(email="taken@example.no")
    login(client, user.email)
    response = client.post(
        "/account/email", data={"email": "taken@example.no", "current_password": PASSWORD}
    )
    assert "En annen konto bruker denne e-postadressen." in response.get_data(as_text=True)
    response = client.post(
        "/account/email", data={"email": "new@example.no", "current_password": "wrong-password"}
    )
    assert "Det nåværende passordet er feil." in response.get_data(as_text=True)
    assert outbox == []

    client.post("/account/email", data={"email": "new@example.no", "current_password": PASSWORD})
    assert reload(user).email == "old@example.no"  # not until confirmed
    (message,) = outbox
    assert message.recipients == ["new@example.no"]
    (link,) = [x for x in links_in(message) if "/account/email/confirm/" in x]
    client.get(_path(link))
    user = reload(user)
    assert user.email == "new@example.no"
    assert user.email_confirmed_at is not None


def test_password_policy() -> None:
    assert password_problem("short") is not None
    assert password_problem("x" * 129) is not None
    assert password_problem("qwertyuiop") is not None  # in the common list
    assert password_problem("kari@example.no", "kari@example.no") is not None
    assert password_problem(NEW_PASSWORD, "kari@example.no") is None


@given(st.text(min_size=10, max_size=128).filter(lambda s: s.strip().lower() not in {"a@b.no"}))
def test_password_policy_never_crashes(password: str) -> None:
    # Any input gets an answer: None or words for the user.
    result = password_problem(password, "a@b.no")
    assert result is None or isinstance(result, str)
