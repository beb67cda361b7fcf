"""Security that is part of done: headers, CSRF, sessions, limits, errors."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from typing import Any

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.accounts.test_auth import login
from tests.conftest import csrf_token, make_app


def test_headers_on_every_response(client: Any) -> None:
    for path in ("/", "/auth/login", "/healthz", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
        assert "Strict-Transport-Security" not in headers  # development and tests: no HSTS


def test_no_store_for_logged_in_pages(client: Any, login_as: Any) -> None:
    assert client.get("/").headers.get("Cache-Control") != "no-store"
    login_as("entrepreneur")
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_load_nothing_from_other_hosts(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "")
    assert "https://" not in page
    assert "/static/bootstrap/" in page or "bootstrap" in page


def test_csrf_is_required(database_url: str) -> None:
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        response = client.post("/auth/login", data={"email": "a@example.no", "password": "x" * 12})
        assert response.status_code == 400
        assert "Ugyldig forespørsel" in response.get_data(as_text=True)
        page = client.get("/auth/login").get_data(as_text=True)
        response = client.post(
            "/auth/login",
            data={"email": "a@example.no", "password": "", "csrf_token": csrf_token(page)},
        )
        assert response.status_code == 200


def test_session_cookie_flags(client: Any, make_user: Any) -> None:
    make_user(email="c@example.no")
    response = login(client, "c@example.no", remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
    assert "Secure" not in session_cookie  # only in production


def test_login_starts_a_fresh_session(client: Any, make_user: Any) -> None:
    make_user(email="fresh@example.no")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "fresh@example.no")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_replayed_cookie_is_refused_after_logout(app: Any, client: Any, make_user: Any) -> None:
    make_user(email="replay@example.no")
    login(client, "replay@example.no")
    stolen = client.get_cookie("session").value
    client.post("/auth/logout")
    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    assert attacker.get("/account/").status_code == 302


def test_disabling_ends_every_session(app: Any, client: Any, login_as: Any, make_user: Any) -> None:
    victim = make_user(email="victim@example.no")
    victim_client = app.test_client()
    login(victim_client, "victim@example.no", remember="y")
    assert victim_client.get("/account/").status_code == 200
    login_as("organiser")
    response = client.post(f"/admin/users/{victim.id}/disable", data={"confirm": "1"})
    assert response.status_code == 302
    assert victim_client.get("/account/").status_code == 302
    # The remember-me cookie no longer brings the session back either.
    victim_client.delete_cookie("session")
    assert victim_client.get("/account/").status_code == 302


def test_idle_timeout(app: Any, client: Any, make_user: Any) -> None:
    make_user(email="idle@example.no")
    login(client, "idle@example.no")
    assert client.get("/account/").status_code == 200
    with client.session_transaction() as session:
        session["_seen"] = time.time() - 31 * 60
    assert client.get("/account/").status_code == 302


def test_remember_me_survives_the_idle_timeout(client: Any, make_user: Any) -> None:
    make_user(email="keep@example.no")
    login(client, "keep@example.no", remember="y")
    with client.session_transaction() as session:
        session["_seen"] = time.time() - 31 * 60
    assert client.get("/account/").status_code == 200


def test_a_late_static_answer_does_not_undo_a_newer_session(client: Any, make_user: Any) -> None:
    """The browser fetches the icon late; its answer, sent with the cookie as
    it was, must not overwrite the language chosen on the next page."""
    make_user(email="late@example.no")
    login(client, "late@example.no")
    client.get("/account/")
    old_cookie = client.get_cookie("session").value
    client.get("/account/?lang=en")  # the next page chooses English
    for path in ("/static/favicon.svg", "/favicon.ico"):
        client.set_cookie("session", old_cookie)
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
    # Replayed as the browser would: the late answer set nothing, so the
    # browser still holds the English cookie.
    client.get("/account/?lang=en")
    assert "Log out" in client.get("/account/").get_data(as_text=True)


def test_upload_limit_gives_a_413_page(client: Any) -> None:
    big = io.BytesIO(b"x" * (25 * 1024 * 1024 + 1))
    boundary, body = encode_multipart({"file": FileStorage(big, "big.bin")})
    response = client.post(
        "/auth/login", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "25 MB" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_error_pages_in_both_languages(client: Any, lang: str) -> None:
    response = client.get(f"/no-such-page?lang={lang}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    expected = "Fant ikke siden" if lang == "nb" else "Page not found"
    assert expected in page
    response = client.put("/")
    assert response.status_code == 405


def test_unexpected_error_shows_no_traceback(database_url: str) -> None:
    app = make_app(database_url)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "secret internals" not in page
    assert "Noe gikk galt" in page


def test_healthz(client: Any) -> None:
    assert client.get("/healthz").status_code == 200


def test_healthz_without_a_database() -> None:
    broken = make_app("sqlite:////nonexistent-dir/forbidden/x.sqlite")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DATABASE_URL": "sqlite://"}, "SECRET_KEY"),
        ({"SECRET_KEY": "s3cret-value"}, "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_settings(env: dict[str, str], missing: str) -> None:
    code = "from matchmaking import create_app; create_app('production')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "MATCHMAKING_CONFIG": "production", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: {missing} must be set in production"]


def test_production_sets_secure_cookies_and_hsts(monkeypatch: Any) -> None:
    from matchmaking import create_app

    monkeypatch.setenv("SECRET_KEY", "s3cret-value-for-test")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("BASE_URL", "https://match.banofoten.no")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert not app.debug
    with app.app_context():
        response = app.test_client().get("/healthz", base_url="https://match.banofoten.no")
    assert "Strict-Transport-Security" in response.headers


def _production_run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from matchmaking import create_app; create_app('production')"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "MATCHMAKING_CONFIG": "production", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_base_url() -> None:
    result = _production_run({"SECRET_KEY": "s3cret-value", "DATABASE_URL": "sqlite://"})
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: BASE_URL must be set in production")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("base_url", ["match.banofoten.no", "ftp://match.banofoten.no", "https://"])
def test_production_refuses_a_base_url_that_is_no_address(base_url: str) -> None:
    env = {"SECRET_KEY": "s3cret-value", "DATABASE_URL": "sqlite://", "BASE_URL": base_url}
    result = _production_run(env)
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: BASE_URL must be the address people use to reach the service")


def _production_app(monkeypatch: Any, **env: str) -> Any:
    from matchmaking import create_app

    monkeypatch.setenv("SECRET_KEY", "s3cret-value-for-test")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("BASE_URL", "https://match.banofoten.no")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return create_app("production")


def test_production_refuses_a_foreign_host(monkeypatch: Any) -> None:
    """TRUSTED_HOSTS: BASE_URL's host, plus those listed in TRUSTED_HOSTS; any other 400."""
    app = _production_app(monkeypatch, TRUSTED_HOSTS="10.0.0.5, intern.banofoten.no")
    client = app.test_client()
    ours = "https://match.banofoten.no"
    assert client.get("/healthz", base_url=ours).status_code == 200
    assert client.get("/healthz", base_url="http://10.0.0.5:8000").status_code == 200
    assert client.get("/healthz", base_url="https://intern.banofoten.no").status_code == 200
    response = client.post(
        "/auth/forgot", data={"email": "kari@example.no"}, base_url="https://evil.example"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<h1>Ugyldig forespørsel</h1>" in page  # the 400 page, in words, no traceback
    assert "Traceback" not in page
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_behind_a_proxy_the_forwarded_host_is_trusted_only_when_told(monkeypatch: Any) -> None:
    ours = "https://match.banofoten.no"
    forged = {"X-Forwarded-Host": "evil.example"}
    app = _production_app(monkeypatch, PROXY_COUNT="1")
    assert app.test_client().get("/healthz", base_url=ours, headers=forged).status_code == 200
    app = _production_app(monkeypatch, PROXY_COUNT="1", PROXY_TRUST_HOST="1")
    client = app.test_client()
    assert client.get("/healthz", base_url=ours, headers=forged).status_code == 400
    passed_on = {"X-Forwarded-Host": "match.banofoten.no"}
    assert client.get("/healthz", base_url="http://app:8000", headers=passed_on).status_code == 200


def test_behind_a_proxy_the_client_address_counts(
    database_url: str, db: Any, make_user: Any
) -> None:
    """With PROXY_COUNT=1 the throttle sees X-Forwarded-For, not the proxy."""
    app = make_app(database_url, PROXY_COUNT=1)
    client = app.test_client()
    for n in range(20):
        client.post(
            "/auth/login",
            data={"email": f"guess{n}@example.no", "password": "wrong-password-9"},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
    blocked = client.post(
        "/auth/login",
        data={"email": "someone@example.no", "password": "wrong-password-9"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert blocked.status_code == 429
    other = client.post(
        "/auth/login",
        data={"email": "someone@example.no", "password": "wrong-password-9"},
        headers={"X-Forwarded-For": "198.51.100.9"},
    )
    assert other.status_code == 401


def test_nul_characters_never_reach_the_database(client: Any, login_as: Any, db: Any) -> None:
    """A NUL pasted into a field is dropped (PostgreSQL cannot store one)."""
    user = login_as("entrepreneur")
    response = client.post("/account/", data={"name": "Kari\x00 Nordmann", "locale": "nb"})
    assert response.status_code == 302
    from tests.conftest import reload

    assert reload(user).name == "Kari Nordmann"
    assert client.get("/?lang=e\x00n").status_code == 200


@pytest.mark.parametrize(
    "path", ["/proposals/99999999999999999999999", "/screening/investors/99999999999999999999999"]
)
def test_an_id_too_large_for_the_database_is_a_404(client: Any, login_as: Any, path: str) -> None:
    login_as("organiser")
    assert client.get(path).status_code == 404
