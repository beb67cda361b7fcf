"""Registration, confirmation, login and logout, as a person goes through them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaking.accounts.models import InvestorStatus, Role, User
from tests.conftest import PASSWORD, links_in, reload

GOOD_PASSWORD = "fjord-lighthouse-42"


def register(client: Any, **fields: str) -> Any:
    data = {
        "name": "Sigrid Nilsen",
        "email": "sigrid@example.no",
        "password": GOOD_PASSWORD,
        "password_again": GOOD_PASSWORD,
        "role": "entrepreneur",
        "locale": "nb",
    }
    data.update(fields)
    return client.post("/auth/register", data=data)


def login(client: Any, email: str, password: str = PASSWORD, **extra: str) -> Any:
    return client.post("/auth/login", data={"email": email, "password": password, **extra})


def test_register_confirm_and_login(client: Any, db: Any, outbox: list[Any]) -> None:
    response = register(client)
    assert response.status_code == 200
    assert "sigrid@example.no" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "sigrid@example.no"))
    assert user.role is Role.ENTREPRENEUR
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD_PASSWORD not in user.password_hash

    # Not confirmed yet: refused, and offered a new link.
    response = login(client, "sigrid@example.no", GOOD_PASSWORD)
    assert response.status_code == 403
    assert "/auth/confirm" in response.get_data(as_text=True)

    assert len(outbox) == 1
    message = outbox[0]
    assert message.recipients == ["sigrid@example.no"]
    assert message.html
    assert message.body
    (link,) = [link for link in links_in(message) if "/auth/confirm/" in link]
    response = client.get(link.replace("http://localhost", ""), follow_redirects=True)
    assert response.status_code == 200
    assert reload(user).email_confirmed_at is not None

    response = login(client, "Sigrid@Example.no ", GOOD_PASSWORD)
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_registration_email_is_in_the_chosen_language(client: Any, outbox: list[Any]) -> None:
    register(client, locale="en", email="en@example.no")
    register(client, locale="nb", email="nb@example.no")
    english, norwegian = outbox
    assert "Confirm your e-mail address" in english.subject
    assert "Bekreft e-postadressen din" in norwegian.subject
    assert "Hei" in norwegian.body


def test_investor_starts_pending(client: Any, db: Any) -> None:
    register(client, role="investor", email="angel@example.no")
    user = db.session.scalar(select(User).where(User.email == "angel@example.no"))
    assert user.role is Role.INVESTOR
    assert user.investor_status is InvestorStatus.PENDING


def test_nobody_registers_as_organiser(client: Any, db: Any) -> None:
    response = register(client, role="organiser", email="boss@example.no")
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "boss@example.no")) is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Skriv inn navnet ditt."),
        ({"name": "x" * 121}, "Navnet kan ha høyst 120 tegn."),
        ({"email": ""}, "Skriv inn e-postadressen din."),
        ({"email": "not-an-address"}, "Skriv inn en gyldig e-postadresse"),
        ({"password": "short", "password_again": "short"}, "minst 10 tegn"),
        ({"password": "x" * 129, "password_again": "x" * 129}, "høyst 128 tegn"),
        ({"password": "1234567890", "password_again": "1234567890"}, "for vanlig"),
        (
            {"password": "sigrid@example.no", "password_again": "sigrid@example.no"},
            "ikke være e-postadressen",
        ),
        ({"password_again": "something-else-entirely"}, "ikke like"),
        ({"role": ""}, "gründer eller investor"),
    ],
)
def test_register_bad_input_says_what_is_wrong(
    client: Any, db: Any, fields: dict[str, str], message: str
) -> None:
    response = register(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'aria-invalid="true"' in page
    # What was typed is kept (but never the password).
    if fields.get("name", "Sigrid Nilsen") == "Sigrid Nilsen":
        assert 'value="Sigrid Nilsen"' in page
    assert GOOD_PASSWORD not in page
    assert db.session.scalar(select(User)) is None


def test_register_existing_email_makes_no_account_and_tells_the_owner(
    client: Any, db: Any, make_user: Any, outbox: list[Any]
) -> None:
    """Issue 10: the page no longer says the address is taken (that told anyone
    which addresses have accounts); the owner is e-mailed instead.
    tests/accounts/test_enumeration.py compares the answers."""
    owner = make_user(email="taken@example.no")
    response = register(client, email="TAKEN@example.no")
    assert response.status_code == 200
    assert "finnes allerede" not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert reload(owner).password_hash == owner.password_hash
    (message,) = outbox
    assert message.recipients == ["taken@example.no"]


def test_confirmation_link_expired_or_broken(
    app: Any, client: Any, db: Any, outbox: list[Any]
) -> None:
    register(client)
    (link,) = [x for x in links_in(outbox[0]) if "/auth/confirm/" in x]
    path = link.replace("http://localhost", "")
    response = client.get(path[:-3] + "xyz", follow_redirects=True)
    assert "ikke gyldig" in response.get_data(as_text=True)
    app.config["CONFIRM_TOKEN_MAX_AGE"] = -1
    try:
        response = client.get(path, follow_redirects=True)
    finally:
        app.config["CONFIRM_TOKEN_MAX_AGE"] = 48 * 3600
    assert "utløpt" in response.get_data(as_text=True)


def test_resend_confirmation(client: Any, make_user: Any, outbox: list[Any]) -> None:
    make_user(email="late@example.no", confirmed=False)
    make_user(email="done@example.no", confirmed=True)
    for email in ("late@example.no", "done@example.no", "nobody@example.no"):
        response = client.post("/auth/confirm", data={"email": email}, follow_redirects=True)
        assert "Hvis adressen har en konto" in response.get_data(as_text=True)
    assert [m.recipients for m in outbox] == [["late@example.no"]]


def test_wrong_password_and_unknown_email_look_the_same(client: Any, make_user: Any) -> None:
    make_user(email="known@example.no")
    wrong = login(client, "known@example.no", "wrong-password-1")
    unknown = login(client, "unknown@example.no", "wrong-password-1")
    assert wrong.status_code == unknown.status_code == 401
    assert "Feil e-postadresse eller passord." in wrong.get_data(as_text=True)
    assert "Feil e-postadresse eller passord." in unknown.get_data(as_text=True)


def test_login_form_bad_input(client: Any, db: Any) -> None:
    response = client.post("/auth/login", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert "Skriv inn e-postadressen din." in page
    assert "Skriv inn passordet ditt." in page


def test_login_next_only_follows_local_paths(client: Any, make_user: Any) -> None:
    make_user(email="n@example.no")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": "n@example.no", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"
    client.post("/auth/logout")
    response = client.post(
        "/auth/login?next=/account/", data={"email": "n@example.no", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/account/"


def test_disabled_account_cannot_log_in(client: Any, make_user: Any) -> None:
    make_user(email="off@example.no", disabled=True)
    response = login(client, "off@example.no")
    assert response.status_code == 403
    assert "deaktivert" in response.get_data(as_text=True)


def test_logout_is_post_only_and_ends_the_session(client: Any, make_user: Any) -> None:
    make_user(email="out@example.no")
    login(client, "out@example.no")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/account/").status_code == 200
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302
