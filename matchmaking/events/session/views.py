"""Springbrett sessions: list, page, organiser form, sign-up and candidates.
Thin: parse the form, call a service, commit once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from matchmaking.accounts.access import organiser_required, roles_required
from matchmaking.accounts.models import Role
from matchmaking.events import programme
from matchmaking.events.access import current_person, load_event
from matchmaking.events.agenda import views as agenda_views
from matchmaking.events.blueprint import bp
from matchmaking.events.errors import EventError
from matchmaking.events.forms import EventForm, ProposalChoiceForm, event_form
from matchmaking.events.lineup import services as lineup_service
from matchmaking.events.lineup import views as lineup_views
from matchmaking.events.meetings import views as meeting_views
from matchmaking.events.models import Event, EventCandidate, EventStatus
from matchmaking.events.programme import out_reason
from matchmaking.events.session import attention, services
from matchmaking.events.session.services import EventData
from matchmaking.extensions import db
from matchmaking.formtools import ConfirmActionForm
from matchmaking.numbers import parse_id, parse_int
from matchmaking.proposals.models import Proposal
from matchmaking.reference.models import Municipality, Subproject
from matchmaking.reference.services import active_choices


@bp.app_template_global("event_place")
def event_place(event: Event) -> str:
    """The venue and municipality without saying the municipality twice."""
    return programme.place(event)


@bp.app_template_global("attention_notices")
def attention_notices(event: Event) -> list[attention.Notice]:
    """What needs action at ``event``, for organisers only (empty for anyone else)."""
    if not (current_user.is_authenticated and current_user.is_organiser):
        return []
    return attention.notices(event)


def _form(event: Event | None) -> EventForm:
    subprojects = active_choices(Subproject)
    if event is not None:
        kept = {str(m.subproject_id) for m in event.minimums}
        have = {sid for sid, _ in subprojects}
        for sid in kept - have:  # retired since, but this session still has a minimum
            subprojects += [c for c in active_choices(Subproject, include=int(sid)) if c[0] == sid]
    if request.method == "POST":
        form = event_form(subprojects)
    elif event is not None:
        local = programme.utc_to_oslo(event.starts_at)
        data: dict[str, Any] = {
            "version": str(event.version),
            "title": event.title,
            "day": local.date(),
            "start": local.time(),
            "venue": event.venue,
            "municipality": str(event.municipality_id),
            "pitch_slots": event.pitch_slots,
            "minutes_per_pitch": event.minutes_per_pitch,
            "meetings_start": programme.utc_to_oslo(event.meetings_start_at).time(),
            "meeting_slots": event.meeting_slots,
            "meeting_minutes": event.meeting_minutes,
            "capacity": event.capacity,
            "max_per_municipality": event.max_per_municipality,
        }
        for m in event.minimums:
            data[f"min_{m.subproject_id}"] = m.minimum
        form = event_form(subprojects, data=data)
    else:
        form = event_form(subprojects, data={"minutes_per_pitch": 10, "meeting_minutes": 20})
    form.municipality.choices = [
        ("", _("Choose…")),
        *active_choices(Municipality, include=event.municipality_id if event else None),
    ]
    return form


def _data(form: EventForm) -> EventData:
    minimums = {int(f.name.removeprefix("min_")): f.data or 0 for f in form.subproject_fields}
    return EventData(
        title=form.title.data or "",
        day=form.day.data,
        start=form.start.data,
        venue=form.venue.data or "",
        municipality_id=int(form.municipality.data),
        pitch_slots=form.pitch_slots.data or 0,
        minutes_per_pitch=form.minutes_per_pitch.data or 0,
        meeting_slots=form.meeting_slots.data or 0,
        meeting_minutes=form.meeting_minutes.data or 0,
        meetings_start=form.meetings_start.data,
        capacity=form.capacity.data or 0,
        max_per_municipality=form.max_per_municipality.data,
        minimums=minimums,
    )


def _save(form: EventForm, event: Event | None) -> Event | None:
    """Check and save; on a broken rule put its message beside the field."""
    if not form.validate():
        return None
    data = _data(form)
    errors = services.check_event(data)
    if errors:
        for name, message in errors.items():
            if name == "minimums":
                form.minimums_error = message
            else:
                form[name].errors = [*form[name].errors, message]
        return None
    try:
        if event is None:
            return services.create_event(data, current_person())
        return services.update_event(
            event, data, parse_int(str(form.version.data or "").strip()) or 0
        )
    except (EventError, ValueError) as e:
        message = e.message if isinstance(e, EventError) else _("Reload the page and try again.")
        form.stale_error = message
        return None


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    query = select(Event).order_by(Event.starts_at)
    if not current_user.is_organiser:
        query = query.where(Event.status == EventStatus.PUBLISHED)
    return render_template("events/session/index.html", events=list(db.session.scalars(query)))


@bp.route("/new", methods=["GET", "POST"])
@organiser_required
def new() -> ResponseReturnValue:
    form = _form(None)
    if request.method == "POST":
        event = _save(form, None)
        if event is not None:
            db.session.commit()
            flash(_("Session saved as a draft."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/session/form.html", form=form, event=None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    form = _form(event)
    if request.method == "POST":
        before = lineup_service.timing(event)
        if _save(form, event) is not None:
            told = lineup_service.tell_changed_times(event, before)
            db.session.commit()
            flash(_("Session saved."), "success")
            if told:
                flash(
                    _("The new times were e-mailed to %(n)d people in the programme.", n=told),
                    "info",
                )
            return redirect(url_for("events.show", event_id=event.id))
        db.session.rollback()
    return render_template("events/session/form.html", form=form, event=event)


@bp.post("/<int:event_id>/publish")
@organiser_required
def publish(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    try:
        services.publish(event)
    except EventError as e:
        flash(e.message, "warning")
    else:
        db.session.commit()
        flash(_("Session published: everyone logged in can see it."), "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.get("/<int:event_id>")
@login_required
def show(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    user = current_person()
    apply_form = nominate_form = None
    if user.is_entrepreneur and event.is_published:
        own = services.accepted_proposals(owner=user, exclude=event)
        if own:
            apply_form = ProposalChoiceForm()
            apply_form.proposal.choices = [(str(p.id), p.title) for p in own]
    if user.is_organiser:
        nominate_form = ProposalChoiceForm()
        nominate_form.proposal.choices = [
            ("", _("Choose…")),
            *((str(p.id), p.title) for p in services.accepted_proposals(exclude=event)),
        ]
    return render_template(
        "events/session/show.html",
        event=event,
        oslo=programme.utc_to_oslo,
        signed_up=services.is_signed_up(event, user),
        own_candidates=[
            (c, out_reason(c)) for c in event.candidates if c.proposal.owner_id == user.id
        ],
        apply_form=apply_form,
        nominate_form=nominate_form,
        confirm=ConfirmActionForm(),
        **_panels(event, user),
    )


def _panels(event: Event, user: Any) -> dict[str, Any]:
    """The later parts of the session page, each from its own module."""
    context: dict[str, Any] = {}
    for module in (lineup_views, meeting_views, agenda_views):
        context.update(module.panel(event, user))
    return context


def _back(event: Event) -> ResponseReturnValue:
    return redirect(url_for("events.show", event_id=event.id))


def _commit(action: Callable[[], object], done: str, twice: str) -> None:
    """Run ``action`` and commit, flashing ``done``; a rule it breaks is flashed.

    The services lock the session's row, so a double click normally meets
    "already done" from the service. Should the same row still be written
    twice at once (a duplicate, or a row deleted under us), nothing is saved
    and ``twice`` says what stands: never an error page.
    """
    try:
        action()
        db.session.commit()
    except EventError as e:
        flash(e.message, "warning")
    except (IntegrityError, StaleDataError):
        db.session.rollback()
        flash(twice, "info")
    else:
        flash(done, "success")


@bp.post("/<int:event_id>/signup")
@roles_required(Role.INVESTOR)
def signup(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    user = current_person()
    _commit(
        lambda: services.sign_up(event, user),
        _("You are signed up."),
        _("You are already signed up."),
    )
    return _back(event)


@bp.post("/<int:event_id>/cancel")
@roles_required(Role.INVESTOR)
def cancel(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    user = current_person()
    _commit(
        lambda: services.cancel(event, user),
        _("Your place is cancelled."),
        _("You are not signed up."),
    )
    return _back(event)


def _chosen_proposal() -> Proposal | None:
    wanted = parse_id(request.form.get("proposal", ""))
    return db.session.get(Proposal, wanted) if wanted is not None else None


@bp.post("/<int:event_id>/apply")
@roles_required(Role.ENTREPRENEUR)
def apply(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    proposal = _chosen_proposal()
    user = current_person()

    def action() -> object:
        if proposal is None:
            raise EventError(_("Choose one of your accepted proposals."))
        return services.apply(event, proposal, user)

    _commit(
        action, _("Your application is registered."), _("That proposal is already a candidate.")
    )
    return _back(event)


@bp.post("/<int:event_id>/nominate")
@organiser_required
def nominate(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    proposal = _chosen_proposal()

    def action() -> object:
        if proposal is None:
            raise EventError(_("Choose a proposal."))
        return services.nominate(event, proposal)

    _commit(action, _("Proposal nominated."), _("That proposal is already a candidate."))
    return _back(event)


@bp.post("/<int:event_id>/candidates/<int:candidate_id>/remove")
@organiser_required
def remove_candidate(event_id: int, candidate_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    candidate = db.session.get(EventCandidate, candidate_id)
    if candidate is None or candidate.event_id != event.id:
        abort(404)
    try:
        services.remove_candidate(candidate)
        db.session.commit()
    except EventError as error:
        flash(error.message, "danger")
    except StaleDataError:
        db.session.rollback()
        flash(_("That candidate was already removed."), "info")
    else:
        flash(_("Candidate removed."), "success")
    return _back(event)
