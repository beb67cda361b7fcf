"""Login throttling: 5 failures per account, 20 per address, 15 minutes."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from typing import Any

import pytest

from config import Config
from matchmaking.accounts.throttle import DatabaseThrottle, Limits, RedisThrottle
from tests.accounts.test_auth import login
from tests.conftest import PASSWORD, reload


def test_five_failures_lock_the_account_until_the_window_passes(
    client: Any, make_user: Any, db: Any
) -> None:
    make_user(email="target@example.no")
    for _ in range(5):
        assert login(client, "target@example.no", "wrong-password-9").status_code == 401
    response = login(client, "target@example.no", PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede forsøk" in response.get_data(as_text=True)

    # The window passes: move the recorded failures 16 minutes back.
    from matchmaking.accounts.models import LoginFailure

    for failure in db.session.query(LoginFailure).all():
        failure.at = failure.at - timedelta(minutes=16)
    db.session.commit()
    assert login(client, "target@example.no", PASSWORD).status_code == 302


def test_success_resets_the_account_count(client: Any, make_user: Any) -> None:
    make_user(email="typo@example.no")
    for _ in range(4):
        login(client, "typo@example.no", "wrong-password-9")
    assert login(client, "typo@example.no", PASSWORD).status_code == 302
    client.post("/auth/logout")
    for _ in range(4):
        assert login(client, "typo@example.no", "wrong-password-9").status_code == 401
    assert login(client, "typo@example.no", PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_block_it(client: Any, make_user: Any) -> None:
    make_user(email="victim@example.no")
    for n in range(20):
        assert login(client, f"guess{n}@example.no", "wrong-password-9").status_code == 401
    assert login(client, "victim@example.no", PASSWORD).status_code == 429
    other_address = client.post(
        "/auth/login",
        data={"email": "victim@example.no", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert other_address.status_code == 302


def _redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_throttle() -> RedisThrottle:
    import redis

    throttle = RedisThrottle(_redis_url(), Limits(vars(Config)), f"test:{uuid.uuid4().hex}:")
    try:
        throttle.client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return throttle


def test_redis_backend_counts_like_the_database(redis_throttle: RedisThrottle) -> None:
    t = redis_throttle
    for _ in range(5):
        assert t.attempt("a@example.no", "1.2.3.4")
    assert not t.attempt("a@example.no", "1.2.3.4")
    assert t.attempt("b@example.no", "5.6.7.8")
    t.succeed("a@example.no")
    assert t.attempt("a@example.no", "5.6.7.8")
    for n in range(20):
        t.attempt(f"x{n}@example.no", "9.9.9.9")
    assert not t.attempt("fresh@example.no", "9.9.9.9")


def test_app_uses_redis_when_redis_url_is_set(
    database_url: str, redis_throttle: RedisThrottle
) -> None:
    from tests.conftest import make_app

    app = make_app(database_url, REDIS_URL=_redis_url())
    assert isinstance(app.extensions["login_throttle"], RedisThrottle)
    app = make_app(database_url)
    assert isinstance(app.extensions["login_throttle"], DatabaseThrottle)


def _error_beside(html: str, field_id: str) -> str:
    """The text of the error shown beside the field ``field_id``."""
    match = re.search(rf'<div id="{field_id}-error"[^>]*>([^<]*)</div>', html)
    assert match, f"no error beside {field_id}"
    return match.group(1).strip()


CHANGE_PAGES = [
    (
        "/account/password",
        {"password": "a-brand-new-password", "password_again": "a-brand-new-password"},
    ),
    ("/account/email", {"email": "new-address@example.no"}),
]


@pytest.mark.parametrize(("path", "fields"), CHANGE_PAGES)
def test_current_password_guesses_are_throttled(
    client: Any, login_as: Any, outbox: list[Any], path: str, fields: dict[str, str]
) -> None:
    user = login_as("entrepreneur")
    for _ in range(5):
        response = client.post(path, data={"current_password": "wrong-password-9", **fields})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert _error_beside(html, "current_password") == "Det nåværende passordet er feil."
    response = client.post(path, data={"current_password": PASSWORD, **fields})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert _error_beside(html, "current_password") == (
        "For mange feil passord. Vent 15 minutter og prøv igjen."
    )
    response = client.post(path + "?lang=en", data={"current_password": PASSWORD, **fields})
    assert response.status_code == 429
    assert _error_beside(response.get_data(as_text=True), "current_password") == (
        "Too many wrong passwords. Wait 15 minutes and try again."
    )
    # Nothing changed, nothing sent; the login is locked too (the same count).
    assert reload(user).check_password(PASSWORD)
    assert reload(user).email == user.email
    assert outbox == []
    client.post("/auth/logout")
    assert login(client, user.email, PASSWORD).status_code == 429


@pytest.mark.parametrize(("path", "fields"), CHANGE_PAGES)
def test_the_right_current_password_clears_the_count(
    client: Any, login_as: Any, path: str, fields: dict[str, str]
) -> None:
    user = login_as("entrepreneur")
    for _ in range(4):
        login(client, user.email, "wrong-password-9")
    with client.session_transaction() as session:  # the failed logins left the session
        session["_user_id"] = user.get_id()
    response = client.post(path, data={"current_password": PASSWORD, **fields})
    assert response.status_code == 302
    client.post("/auth/logout")
    for _ in range(4):
        assert login(client, user.email, "wrong-password-9").status_code == 401
    assert (
        login(
            client, user.email, "a-brand-new-password" if "password" in fields else PASSWORD
        ).status_code
        == 302
    )


def _same_answers(responses: list[Any]) -> None:
    assert {r.status_code for r in responses} == {302}
    assert len({r.headers["Location"] for r in responses}) == 1


def test_reset_emails_are_limited_per_address(
    client: Any, make_user: Any, outbox: list[Any], db: Any
) -> None:
    user = make_user(email="kari@example.no")
    responses = [client.post("/auth/forgot", data={"email": "Kari@example.no "}) for _ in range(25)]
    _same_answers(responses)
    assert [m.recipients for m in outbox] == [[user.email]] * 3
    # The page after the redirect says the same as before the limit.
    page = client.get(responses[-1].headers["Location"]).get_data(as_text=True)
    assert "Hvis adressen har en konto" in page
    # An unknown address is answered alike.
    _same_answers([*responses, client.post("/auth/forgot", data={"email": "nobody@example.no"})])
    # The window passes: one more may be sent.
    from matchmaking.accounts.models import MailRequest

    for row in db.session.query(MailRequest).all():
        row.at = row.at - timedelta(minutes=61)
    db.session.commit()
    client.post("/auth/forgot", data={"email": user.email})
    assert len(outbox) == 4


def test_confirmation_emails_are_limited_per_address(
    client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="ola@example.no", confirmed=False)
    responses = [client.post("/auth/confirm", data={"email": user.email}) for _ in range(25)]
    _same_answers(responses)
    assert [m.recipients for m in outbox] == [[user.email]] * 3
    page = client.get(responses[-1].headers["Location"]).get_data(as_text=True)
    assert "Hvis adressen har en konto som ikke er bekreftet" in page


def test_someone_tried_to_register_notices_are_limited_per_address(
    app: Any, make_user: Any, outbox: list[Any]
) -> None:
    owner = make_user(email="eier@example.no")
    pages = []
    for n in range(25):
        response = app.test_client().post(
            "/auth/register",
            data={
                "name": f"Noen {n}",
                "email": "Eier@example.no",
                "password": "et-langt-og-godt-passord-42",
                "password_again": "et-langt-og-godt-passord-42",
                "role": "investor",
                "locale": "nb",
            },
        )
        assert response.status_code == 200
        pages.append("Sjekk e-posten" in response.get_data(as_text=True))
    # The same answer every time, but the owner's inbox gets three notices.
    assert all(pages)
    assert [m.recipients for m in outbox] == [[owner.email]] * 3


def test_account_emails_are_limited_per_client(
    client: Any, make_user: Any, outbox: list[Any]
) -> None:
    users = [make_user() for _ in range(25)]
    responses = [client.post("/auth/forgot", data={"email": u.email}) for u in users]
    _same_answers(responses)
    assert len(outbox) == 20
    # The confirmation route shares the client's count.
    unconfirmed = make_user(confirmed=False)
    client.post("/auth/confirm", data={"email": unconfirmed.email})
    assert len(outbox) == 20
    client.post(
        "/auth/forgot", data={"email": users[-1].email}, environ_base={"REMOTE_ADDR": "10.9.8.7"}
    )
    assert outbox[-1].recipients == [users[-1].email]
    assert len(outbox) == 21


def test_email_change_links_are_limited_per_address(
    client: Any, login_as: Any, make_user: Any, outbox: list[Any]
) -> None:
    login_as("entrepreneur")
    data = {"email": "target@example.no", "current_password": PASSWORD}
    responses = [client.post("/account/email", data=data) for _ in range(25)]
    _same_answers(responses)
    assert [m.recipients for m in outbox] == [["target@example.no"]] * 3
    page = client.get(responses[-1].headers["Location"]).get_data(as_text=True)
    assert "target@example.no" in page
    # An address another account uses is still told beside the field.
    other = make_user(email="taken@example.no")
    for _ in range(4):
        response = client.post("/account/email", data={**data, "email": other.email})
        assert response.status_code == 200
        assert _error_beside(response.get_data(as_text=True), "email") == (
            "En annen konto bruker denne e-postadressen."
        )
    assert len(outbox) == 3


def test_redis_backend_limits_emails(redis_throttle: RedisThrottle) -> None:
    t = redis_throttle
    assert [t.allow_email("reset", "a@example.no", "1.2.3.4") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert t.allow_email("confirm", "a@example.no", "1.2.3.4")
    for n in range(16):
        assert t.allow_email("reset", f"x{n}@example.no", "1.2.3.4")
    assert not t.allow_email("reset", "fresh@example.no", "1.2.3.4")
    assert t.allow_email("reset", "fresh@example.no", "5.6.7.8")
