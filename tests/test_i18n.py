"""Norwegian bokmål by default, English on request, remembered."""

from __future__ import annotations

from typing import Any

from babel.messages.pofile import read_po

from matchmaking.i18n import TRANSLATIONS_DIR
from tests.conftest import reload


def test_norwegian_by_default(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="nb">' in page
    assert "Tidligfasekapital for Narvik og Ofoten" in page


def test_query_parameter_switches_and_is_remembered_in_the_session(client: Any) -> None:
    page = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Early-phase capital for Narvik and Ofoten" in page
    assert '<html lang="en">' in client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="nb">' in client.get("/?lang=nb").get_data(as_text=True)


def test_unknown_language_falls_back_to_norwegian(client: Any) -> None:
    assert '<html lang="nb">' in client.get("/?lang=xx").get_data(as_text=True)


def test_header_switch_is_saved_in_the_profile(app: Any, client: Any, login_as: Any) -> None:
    user = login_as("investor")
    response = client.post("/language", data={"lang": "en", "next": "/account/"})
    assert response.headers["Location"] == "/account/"
    assert reload(user).locale == "en"
    # A new session (another device) starts in the user's language.
    other = app.test_client()
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert '<html lang="en">' in other.get("/").get_data(as_text=True)


def test_header_switch_does_not_redirect_elsewhere(client: Any) -> None:
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_every_string_is_translated_to_norwegian() -> None:
    with (TRANSLATIONS_DIR / "nb" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_catalogue_covers_the_templates_and_code() -> None:
    """A string added without running `make translations` fails here."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    root = TRANSLATIONS_DIR.parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "extract",
                "-F",
                str(root / "babel.cfg"),
                "-k",
                "_l",
                "-o",
                str(pot),
                "matchmaking",
                "templates",
            ],
            cwd=root,
            check=True,
            capture_output=True,
        )
        with pot.open("rb") as fh:
            wanted = {m.id for m in read_po(fh) if m.id}
    with (TRANSLATIONS_DIR / "nb" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        have = {m.id for m in read_po(fh) if m.id}
    assert sorted(map(str, wanted - have)) == []
