"""One-line fields refuse line breaks and other control characters.

Every form class of the project is found (also those the views build on the
fly), and every field typed on one line in it is sent ``"a\\nb"``: each must
refuse it, so a field added later without the check fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import wtforms
from flask_wtf.file import FileField as FlaskFileField
from werkzeug.datastructures import MultiDict
from wtforms.fields import (
    BooleanField,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    PasswordField,
    SelectFieldBase,
    SubmitField,
    TextAreaField,
)

import matchmaking
from matchmaking.formtools import ONE_LINE_MESSAGE
from matchmaking.text import is_one_line, single_line

#: Fields that are not one line of typed text: multi-line text, passwords
#: (never shown or mailed, see formtools), hidden values, boxes, lists, files.
NOT_ONE_LINE = (
    TextAreaField,
    PasswordField,
    HiddenField,
    BooleanField,
    SelectFieldBase,
    FileField,
    FlaskFileField,
    SubmitField,
)


def _import_everything() -> None:
    for module in pkgutil.walk_packages(matchmaking.__path__, "matchmaking."):
        if module.name.rsplit(".", 1)[-1] != "__main__":
            importlib.import_module(module.name)


def _built_on_the_fly() -> list[Any]:
    """Forms the views build per request (their classes live while used)."""
    from matchmaking.events.forms import event_form
    from matchmaking.reference.forms import form_class
    from matchmaking.screening.forms import review_form

    kept: list[Any] = [event_form([("1", "Marin"), ("2", "Tidligfase")], meta={"csrf": False})]
    kept.append(
        review_form(
            [
                SimpleNamespace(id=1, name="Team", low="Én person", high="Fullt team"),
                SimpleNamespace(id=2, name="Marked", low="", high=""),
            ],
            meta={"csrf": False},
        )
    )
    for kind in ("regions", "municipalities", "sectors", "stages", "subprojects"):
        for new in (True, False):
            kept.append(form_class(kind, new=new))
    return kept


def _form_classes() -> list[type]:
    found: dict[str, type] = {}
    todo = [wtforms.Form]  # noqa: TID251 (every form class derives from it)
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("matchmaking."):
                found[f"{sub.__module__}.{sub.__qualname__}#{id(sub)}"] = sub
    return [found[k] for k in sorted(found)]


def _leaves(fields: Any) -> Iterator[Any]:
    for field in fields:
        if isinstance(field, FormField):
            yield from _leaves(field.form)
        elif isinstance(field, FieldList):
            yield from _leaves(field.entries)
        else:
            yield field


def test_every_one_line_field_of_every_form_refuses_a_line_break(app: Any) -> None:
    _import_everything()
    with app.test_request_context("/?lang=en"):
        kept = _built_on_the_fly()
        classes = _form_classes()
        assert len(classes) > 30  # the walk found the project's forms
        checked: list[str] = []
        accepted: list[str] = []
        for cls in classes:
            empty = cls(formdata=None, meta={"csrf": False})
            names = [f.name for f in _leaves(empty) if not isinstance(f, NOT_ONE_LINE)]
            form = cls(formdata=MultiDict(dict.fromkeys(names, "a\nb")), meta={"csrf": False})
            for field in _leaves(form):
                if isinstance(field, NOT_ONE_LINE):
                    continue
                where = f"{cls.__module__}.{cls.__qualname__}.{field.name}"
                checked.append(where)
                field.validate(form)
                if not field.errors or (
                    isinstance(field.data, str) and str(ONE_LINE_MESSAGE) not in field.errors
                ):
                    accepted.append(where)
        assert kept
    assert not accepted, "these one-line fields accept a line break: " + ", ".join(accepted)
    # The walk reached the fields of the report (names, titles, slugs, venue, ...).
    for name in (
        "accounts.forms.RegisterForm.name",
        "accounts.forms.RegisterForm.email",
        "proposals.forms.ProposalForm.title",
        "proposals.forms.CompanyForm.name",
        "proposals.forms.CompanyForm.website",
        "proposals.forms.TeamMemberForm.name",
        "events.forms.event_form.<locals>._Form.title",
        "events.forms.event_form.<locals>._Form.venue",
        "reference.forms.named_form.<locals>.NamedForm.slug",
        "reference.forms.municipality_form.<locals>.MunicipalityForm.name",
        "screening.forms.CriterionForm.name_nb",
        "investors.forms.ProfileForm.display_name",
        "matches.forms.MatchFilterForm.q",
    ):
        assert f"matchmaking.{name}" in checked


@pytest.mark.parametrize(
    "text",
    ["a\nb", "a\rb", "a\tb", "a\x00b", "a\x1bb", "a\x85b", "a\u2028b", "a\u2029b", "a\u202eb"],
)
def test_control_characters_are_not_one_line(text: str) -> None:
    assert not is_one_line(text)
    assert single_line(text) == "a b"


def test_letters_and_joiners_are_one_line() -> None:
    for text in ("Tromsø Havbruk AS", "Ærlig & Ålreit – «sjømat»", "مهدی\u200cزاده", "👩\u200d💻"):
        assert is_one_line(text)
        assert single_line(text) == text
    assert single_line("  Tare \r\n\r\n  AS \t") == "Tare AS"


# --------------------------------------------------------------------------
# What a person sees
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Write this on one line, without line breaks or control characters."),
        ("nb", "Skriv dette på én linje, uten linjeskift eller kontrolltegn."),
    ],
)
def test_a_title_with_a_line_break_gets_a_message_beside_the_field(
    client: Any, login_as: Any, make_proposal: Any, lang: str, message: str
) -> None:
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal
    from tests.conftest import csrf_token

    me = login_as("entrepreneur", locale=lang)
    proposal = make_proposal(me, status="draft", title="Tare")
    page = client.get(f"/proposals/{proposal.id}/edit?lang={lang}")
    form = {
        "csrf_token": csrf_token(page.text),
        "title": "Tare\r\nBcc: x@evil.example",
        "teaser": "Første linje\r\nandre linje",
        "description": "Avsnitt 1\r\n\r\nAvsnitt 2",
        "sector": str(proposal.sector_id),
        "stage": str(proposal.stage_id),
        "subproject": str(proposal.subproject_id),
        "ask": "2 000 000",
        "min_ticket": "250 000",
        "instrument": "equity",
        "jobs_now": "2",
        "jobs_in_3_years": "5",
    }
    response = client.post(f"/proposals/{proposal.id}/edit?lang={lang}", data=form)
    assert response.status_code == 200
    html = response.text
    title_at = html.index('id="title"')
    assert message in html[title_at : title_at + 2000]
    assert html.count(message) == 1  # the teaser is a text area: its line break is fine
    assert html.count("is-invalid") == 1  # the title is all that is wrong
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).title == "Tare"


# --------------------------------------------------------------------------
# Values stored before the check: never a broken e-mail or calendar
# --------------------------------------------------------------------------


def test_accepting_a_proposal_whose_stored_title_has_a_line_break_sends_a_one_line_subject(
    database_url: str, db: Any, make_user: Any, make_proposal: Any
) -> None:
    from matchmaking.mail import wait_for_deliveries
    from matchmaking.proposals.models import Proposal, Status
    from tests.conftest import make_app
    from tests.smtp import smtp_server

    organiser = make_user("organiser")
    founder = make_user("entrepreneur", locale="en")
    proposal = make_proposal(founder, status="in_screening", title="Tare\r\nBcc: x@evil.example")
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = organiser.get_id()
            session["_fresh"] = True
        response = client.post(
            f"/screening/{proposal.id}/decision", data={"decision": "accepted", "confirm": "1"}
        )
        wait_for_deliveries(app=app)  # sent after the response, on the app's mail thread
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status is Status.ACCEPTED
    (message,) = received
    assert message["Subject"] == "“Tare Bcc: x@evil.example” is accepted for Springbrett"
    assert message["Bcc"] is None
    assert message["To"] == founder.email


def test_a_session_title_with_line_breaks_gives_a_valid_calendar_and_agendas(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    import icalendar

    from matchmaking.events.models import Event
    from matchmaking.extensions import db
    from tests.events.agenda_factories import scene

    me = login_as("organiser", locale="en")
    s = scene(make_user, make_proposal, organiser=me)
    event = db.session.get(Event, s.event.id)
    event.title = "Springbrett\r\nNarvik\rvår"
    event.venue = "Malmen\nsal 2"
    db.session.commit()
    response = client.get(f"/events/{s.event.id}/agenda.ics")
    assert response.status_code == 200
    data = response.data
    # Every content line ends in CRLF; no bare CR or LF inside a line.
    lines = data.split(b"\r\n")
    assert not [line for line in lines if b"\r" in line or b"\n" in line]
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Springbrett Narvik vår"
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert "Springbrett Narvik vår: pitches" in summaries
    assert all(str(e["LOCATION"]).startswith("Malmen sal 2") for e in cal.walk("VEVENT"))
    page = client.post(
        f"/events/{s.event.id}/agendas/send",
        data={"version": str(event.version), "confirm": "1"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    assert "Agendas sent to" in page.text
    assert outbox
    for message in outbox:
        assert not message.has_bad_headers()
        assert "\n" not in message.subject
        assert "\r" not in message.subject
