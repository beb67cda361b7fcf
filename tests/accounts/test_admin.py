"""Organisers create organisers and disable or enable accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaking.accounts.models import Role, User
from tests.conftest import reload

NEW = {
    "name": "Nils Arrangør",
    "email": "nils@example.no",
    "password": "polarlys-i-narvik-2026",
    "password_again": "polarlys-i-narvik-2026",
    "locale": "nb",
}


def test_organiser_creates_an_organiser_who_can_log_in(
    app: Any, client: Any, login_as: Any, db: Any
) -> None:
    login_as("organiser")
    response = client.post("/admin/users/new-organiser", data=NEW)
    assert response.status_code == 302
    created = db.session.scalar(select(User).where(User.email == "nils@example.no"))
    assert created.role is Role.ORGANISER
    other = app.test_client()
    response = other.post(
        "/auth/login", data={"email": "nils@example.no", "password": NEW["password"]}
    )
    assert response.status_code == 302
    assert other.get("/admin/users").status_code == 200


def test_new_organiser_bad_input(client: Any, login_as: Any, make_user: Any, db: Any) -> None:
    login_as("organiser")
    make_user(email="taken@example.no")
    for changes, message in [
        ({"email": "taken@example.no"}, "finnes allerede"),
        ({"name": ""}, "Skriv inn navnet."),
        ({"password": "abc", "password_again": "abc"}, "minst 10 tegn"),
    ]:
        response = client.post("/admin/users/new-organiser", data=NEW | changes)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert message in page
    assert db.session.scalar(select(User).where(User.email == "nils@example.no")) is None


def test_disable_and_enable(client: Any, login_as: Any, make_user: Any) -> None:
    organiser = login_as("organiser")
    founder = make_user("entrepreneur", name="Frida Gründer")
    client.post(f"/admin/users/{founder.id}/disable", data={"confirm": "1"})
    assert reload(founder).disabled_at is not None
    page = client.get("/admin/users?role=entrepreneur").get_data(as_text=True)
    assert "Frida Gründer" in page
    assert "Deaktivert" in page
    client.post(f"/admin/users/{founder.id}/enable")
    assert reload(founder).disabled_at is None

    response = client.post(
        f"/admin/users/{organiser.id}/disable", data={"confirm": "1"}, follow_redirects=True
    )
    assert "Du kan ikke deaktivere din egen konto." in response.get_data(as_text=True)
    assert reload(organiser).disabled_at is None


def test_disabling_asks_first_and_cancel_changes_nothing(
    client: Any, login_as: Any, make_user: Any
) -> None:
    login_as("organiser", locale="en")
    founder = make_user("entrepreneur", name="Frida Gründer", email="frida@example.no")
    victim = founder.id
    page = client.post(f"/admin/users/{victim}/disable")
    assert page.status_code == 200
    assert '<h1 id="confirm-heading">Disable Frida Gründer?</h1>' in page.text
    assert "Frida Gründer (frida@example.no) is logged out everywhere at once" in page.text
    assert "Yes, disable Frida Gründer" in page.text
    assert 'href="/admin/users">Cancel</a>' in page.text
    assert reload(founder).disabled_at is None
    assert client.get("/admin/users").status_code == 200  # Cancel
    assert reload(founder).disabled_at is None
    done = client.post(f"/admin/users/{victim}/disable", data={"confirm": "1"})
    assert done.status_code == 302
    assert reload(founder).disabled_at is not None
    # Enabling again is not final: it does not ask.
    assert client.post(f"/admin/users/{victim}/enable").status_code == 302
    assert reload(founder).disabled_at is None


def test_disable_is_post_only(client: Any, login_as: Any, make_user: Any) -> None:
    login_as("organiser")
    founder = make_user("entrepreneur")
    assert client.get(f"/admin/users/{founder.id}/disable").status_code == 405
    assert reload(founder).disabled_at is None
