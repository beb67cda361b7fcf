"""E-mailed links die with a later change; a change ends the other sessions.

An e-mail-change link works once, and not after the password, the address
or a newer request changed the account; a reset link sent to an old address
dies with the address. The old address is told of a change. A change of
password or address (or a reset) logs out every other browser, remember-me
cookies included, and keeps the browser that made it logged in.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask

from matchmaking.accounts.models import Role
from matchmaking.accounts.services import create_user
from matchmaking.extensions import db as _db
from tests.accounts.test_auth import login
from tests.concurrency import separate_app, served
from tests.conftest import PASSWORD, links_in, reload

NEW_PASSWORD = "northern-lights-over-narvik"
REMEMBER = "remember_token"  # Flask-Login's cookie name (not configured otherwise)

USED_EMAIL_LINK = {
    "nb": "Denne lenken er ikke lenger gyldig",
    "en": "This link is no longer valid",
}
USED_RESET_LINK = {
    "nb": "e-postadresse eller passord er endret",
    "en": "e-mail address or password has changed",
}


def _path(link: str) -> str:
    return link.replace("http://localhost", "")


def _ask_email_change(client: Any, outbox: list[Any], new_email: str) -> str:
    """Ask for a change of address; the path of the link mailed to ``new_email``."""
    before = len(outbox)
    response = client.post(
        "/account/email", data={"email": new_email, "current_password": PASSWORD}
    )
    assert response.status_code == 302
    (message,) = outbox[before:]
    assert message.recipients == [new_email]
    (link,) = [x for x in links_in(message) if "/account/email/confirm/" in x]
    return _path(link)


def _ask_reset(client: Any, outbox: list[Any], email: str) -> str:
    before = len(outbox)
    client.post("/auth/forgot", data={"email": email})
    (message,) = outbox[before:]
    assert message.recipients == [email]
    (link,) = [x for x in links_in(message) if "/auth/reset/" in x]
    return _path(link)


def _is_sent_to_login(client: Any) -> bool:
    response = client.get("/account/")
    return response.status_code == 302 and "/auth/login" in response.headers["Location"]


def _remembered_browser(app: Any, email: str) -> Any:
    """A browser holding only a remember-me cookie (its session has ended)."""
    device = app.test_client()
    assert login(device, email, remember="y").status_code == 302
    cookie = device.get_cookie(REMEMBER)
    assert cookie is not None
    browser = app.test_client()
    browser.set_cookie(REMEMBER, cookie.value)
    assert browser.get("/account/").status_code == 200  # the cookie logs in
    return browser


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_email_change_link_works_once(
    client: Any, make_user: Any, outbox: list[Any], locale: str
) -> None:
    user = make_user(email="once@example.no", locale=locale)
    login(client, user.email)
    link = _ask_email_change(client, outbox, "once-new@example.no")
    assert client.get(link).status_code == 302
    assert reload(user).email == "once-new@example.no"

    response = client.get(link, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert USED_EMAIL_LINK[locale] in page
    assert response.request.path == "/account/email"
    assert reload(user).email == "once-new@example.no"


def test_password_change_refuses_an_earlier_email_change_link(
    client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="pw-then-link@example.no")
    login(client, user.email)
    link = _ask_email_change(client, outbox, "pw-then-link-new@example.no")
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302

    response = client.get(link, follow_redirects=True)
    assert USED_EMAIL_LINK["nb"] in response.get_data(as_text=True)
    assert reload(user).email == "pw-then-link@example.no"


def test_a_newer_email_change_request_refuses_the_earlier_link(
    client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="twice@example.no", locale="en")
    login(client, user.email)
    first = _ask_email_change(client, outbox, "first@example.no")
    second = _ask_email_change(client, outbox, "second@example.no")

    response = client.get(first, follow_redirects=True)
    assert USED_EMAIL_LINK["en"] in response.get_data(as_text=True)
    assert reload(user).email == "twice@example.no"

    response = client.get(second, follow_redirects=True)
    assert "Your e-mail address is now second@example.no" in response.get_data(as_text=True)
    assert reload(user).email == "second@example.no"


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_reset_link_to_the_old_address_dies_when_the_address_changes(
    app: Any, client: Any, make_user: Any, outbox: list[Any], locale: str
) -> None:
    user = make_user(email="moving@example.no", locale=locale)
    reset_link = _ask_reset(app.test_client(), outbox, "moving@example.no")
    login(client, user.email)
    client.get(_ask_email_change(client, outbox, "moved@example.no"))
    assert reload(user).email == "moved@example.no"

    stranger = app.test_client()
    stranger.get(f"/?lang={locale}")
    response = stranger.get(reset_link, follow_redirects=True)
    assert USED_RESET_LINK[locale] in response.get_data(as_text=True)
    assert response.request.path == "/auth/forgot"
    response = stranger.post(
        reset_link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/forgot")
    assert login(app.test_client(), "moved@example.no", NEW_PASSWORD).status_code == 401
    assert login(app.test_client(), "moved@example.no").status_code == 302


def test_reset_link_dies_when_the_password_changes(
    app: Any, client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="pw-changed@example.no")
    reset_link = _ask_reset(app.test_client(), outbox, user.email)
    login(client, user.email)
    client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    response = app.test_client().get(reset_link, follow_redirects=True)
    assert USED_RESET_LINK["nb"] in response.get_data(as_text=True)


def test_reset_link_works_once(app: Any, make_user: Any, outbox: list[Any]) -> None:
    user = make_user(email="reset-once@example.no", locale="en")
    reset_link = _ask_reset(app.test_client(), outbox, user.email)
    browser = app.test_client()
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert browser.post(reset_link, data=data).status_code == 302
    response = browser.post(
        reset_link, data={"password": PASSWORD + "-2", "password_again": PASSWORD + "-2"}
    )
    assert response.headers["Location"].endswith("/auth/forgot")
    response = browser.get(reset_link, follow_redirects=True)
    assert "Denne lenken er ikke gyldig eller er brukt" in response.get_data(as_text=True)
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("locale", "subject", "words"),
    [
        ("nb", "E-postadressen til kontoen din er endret", "Hvis det ikke var deg"),
        ("en", "The e-mail address of your account has been changed", "If it was not you"),
    ],
)
def test_the_old_address_is_told_of_the_change(
    client: Any, make_user: Any, outbox: list[Any], locale: str, subject: str, words: str
) -> None:
    user = make_user(email="before@example.no", name="Kari Nordmann", locale=locale)
    login(client, user.email)
    link = _ask_email_change(client, outbox, "after@example.no")
    assert len(outbox) == 1  # nothing to the old address before the change takes effect
    client.get(link)

    notices = [m for m in outbox if m.recipients == ["before@example.no"]]
    (notice,) = notices
    assert notice.subject == subject
    for body in (notice.body, notice.html):
        assert "Kari Nordmann" in body
        assert "before@example.no" in body
        assert "after@example.no" in body
        assert words in body
        assert "BAN Ofoten" in body
    assert not [m for m in outbox[1:] if m.recipients != ["before@example.no"]]

    # A refused link tells nobody.
    client.get(link)
    assert len(outbox) == 2


def test_email_change_ends_the_other_sessions(
    app: Any, client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="sessions@example.no")
    other_browser = app.test_client()
    login(other_browser, user.email)
    remembered = _remembered_browser(app, user.email)
    login(client, user.email)
    assert other_browser.get("/account/").status_code == 200

    client.get(_ask_email_change(client, outbox, "sessions-new@example.no"))
    assert reload(user).email == "sessions-new@example.no"

    assert client.get("/account/").status_code == 200  # the browser that changed it
    assert _is_sent_to_login(other_browser)
    assert _is_sent_to_login(remembered)


def test_asking_for_an_email_change_ends_no_session(
    app: Any, client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="just-asking@example.no")
    other_browser = app.test_client()
    login(other_browser, user.email)
    login(client, user.email)
    _ask_email_change(client, outbox, "just-asking-new@example.no")
    assert other_browser.get("/account/").status_code == 200
    assert client.get("/account/").status_code == 200


def test_password_change_ends_remembered_logins_and_keeps_this_one(
    app: Any, client: Any, make_user: Any
) -> None:
    user = make_user(email="remember@example.no")
    remembered = _remembered_browser(app, user.email)
    login(client, user.email, remember="y")
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert _is_sent_to_login(remembered)
    assert client.get("/account/").status_code == 200

    # This browser's own remember-me cookie was renewed: it still logs in
    # once the session has ended.
    client.delete_cookie("session")
    assert client.get("/account/").status_code == 200


def test_email_change_keeps_this_browsers_remember_me(
    app: Any, client: Any, make_user: Any, outbox: list[Any]
) -> None:
    user = make_user(email="keep-me@example.no")
    login(client, user.email, remember="y")
    client.get(_ask_email_change(client, outbox, "kept@example.no"))
    client.delete_cookie("session")
    assert client.get("/account/").status_code == 200


def test_password_reset_ends_every_session(app: Any, make_user: Any, outbox: list[Any]) -> None:
    user = make_user(email="reset-all@example.no")
    browser = app.test_client()
    login(browser, user.email)
    remembered = _remembered_browser(app, user.email)
    reset_link = _ask_reset(app.test_client(), outbox, user.email)
    response = app.test_client().post(
        reset_link, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _is_sent_to_login(browser)
    assert _is_sent_to_login(remembered)


@pytest.fixture
def served_app(database_url: str, tmp_path: Path) -> Iterator[tuple[Flask, int]]:
    """A real app on its own database (``tests.concurrency.separate_app``),
    served on loopback by threads."""
    with separate_app(database_url, tmp_path) as app:
        with app.app_context():
            create_user(
                email="race@example.no",
                name="Race",
                password=PASSWORD,
                role=Role.ENTREPRENEUR,
                confirmed=True,
            )
            _db.session.commit()
            _db.session.remove()
        with served(app) as port:
            yield app, port


def _post(port: int, path: str, fields: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request(
            "POST",
            path,
            urlencode(fields),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def test_one_reset_link_used_twice_at_once_works_once(
    served_app: tuple[Flask, int],
) -> None:
    app, port = served_app
    assert _post(port, "/auth/forgot", {"email": "race@example.no"})[0] == 302
    (message,) = app.extensions["mail_outbox"]
    (link,) = [x for x in links_in(message) if "/auth/reset/" in x]
    path = urlsplit(link).path

    passwords = ["first-choice-for-narvik", "second-choice-for-narvik"]
    answers: list[tuple[int, str]] = []
    start = threading.Barrier(len(passwords))

    def use_link(password: str) -> None:
        start.wait(timeout=10)
        answers.append(_post(port, path, {"password": password, "password_again": password}))

    threads = [threading.Thread(target=use_link, args=(p,)) for p in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(location.rsplit("/", 1)[-1] for _status, location in answers) == [
        "forgot",
        "login",
    ], answers
    works = [
        p
        for p in passwords
        if _post(port, "/auth/login", {"email": "race@example.no", "password": p})[0] == 302
    ]
    assert len(works) == 1
