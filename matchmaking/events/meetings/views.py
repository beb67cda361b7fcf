"""1:1 meetings: requests from both sides, unavailable slots, the engine's schedule and hand edits.

Routes hang on the events blueprint; :func:`panel` gives the session page its part.
Thin: parse the form (:mod:`matchmaking.events.forms`), call the services
(:mod:`~matchmaking.events.meetings.services` for the participants' choices,
:mod:`~matchmaking.events.meetings.planning` for the organisers' schedule,
:mod:`~matchmaking.events.meetings.grid` for what the schedule page shows),
commit once.

- ``/events/<id>/meetings`` (GET, POST): an approved, signed-up investor
  chooses pitching companies; a founder whose company pitches chooses
  investors; both mark the slots they cannot attend. Anyone else is told why
  on the page (a POST from them goes back to that page); organisers get 403 on
  the POST (they plan on the schedule page).
- ``/events/<id>/schedule`` and its forms: organisers only. Every form that
  changes the schedule carries ``Event.version``; a stale post is refused
  with the session form's "changed by someone else" message. A refused hand
  edit shows the page again with what was chosen kept and the reason beside it;
  a hand edit that is saved but creates a clash says so in a warning that
  names the clash.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.exc import IntegrityError

from matchmaking.accounts.access import organiser_required, roles_required
from matchmaking.accounts.models import Role
from matchmaking.dates import clock
from matchmaking.events.access import current_person, load_event
from matchmaking.events.blueprint import bp
from matchmaking.events.errors import EventError
from matchmaking.events.forms import (
    AddMeetingForm,
    ChoicesForm,
    FounderChoicesForm,
    MinimumForm,
    VersionForm,
)
from matchmaking.events.meetings import choosing, grid, planning
from matchmaking.events.meetings import services as service
from matchmaking.events.meetings.services import Chooser
from matchmaking.events.models import Event, Meeting
from matchmaking.extensions import db
from matchmaking.numbers import parse_int

__all__ = ["bp", "panel"]


def _int(raw: Any) -> int | None:
    """A whole number 0 .. 2^31 - 1 from a form value (spaces around it are
    dropped), else None: see ``matchmaking.numbers``."""
    return parse_int(str(raw if raw is not None else "").strip())


# --------------------------------------------------------------------------
# The participant's page
# --------------------------------------------------------------------------


def _slot_choices(event: Event) -> list[tuple[int, str]]:
    """Each slot as "Slot 3: 18:40–19:00" (Oslo time)."""
    return [
        (
            s.index,
            _(
                "Slot %(n)d: %(start)s–%(end)s",
                n=s.number,
                start=clock(s.starts_at),
                end=clock(s.ends_at),
            ),
        )
        for s in service.slots(event)
    ]


def _choices_form(event: Event, who: Chooser, **kwargs: Any) -> ChoicesForm:
    form: ChoicesForm
    if who.proposal is None:
        form = ChoicesForm(**kwargs)
        form.wanted.choices = [(p.id, p.title) for p in service.pitching(event)]
    else:
        form = FounderChoicesForm(**kwargs)
        form.wanted.choices = [(o.user.id, str(o.name)) for o in service.investor_options(event)]
    form.unavailable.choices = _slot_choices(event)
    return form


def _choices_page(event: Event, who: Chooser, form: ChoicesForm) -> str:
    user = current_person()
    saved, _marked = service.current_choices(event, who)
    return render_template(
        "events/meetings/meetings.html",
        event=event,
        who=who,
        form=form,
        reason=None,
        companies=service.company_options(event, user) if who.proposal is None else [],
        investors=choosing.investor_choices(event, who.proposal)
        if who.proposal is not None
        else [],
        asked=choosing.asked_by_others(event, who),
        saved=set(saved),
        own=service.founder_proposals(event, user) if who.proposal is not None else [],
        slots=service.slots(event),
        wanted=set(form.wanted.data or []),
        unavailable=set(form.unavailable.data or []),
        built=event.schedule_built_at is not None,
    )


def _chooser(event: Event, raw_proposal: Any) -> Chooser:
    """The chooser, or EventError; another founder's or an unknown proposal is a 404."""
    proposal_id = _int(raw_proposal) if raw_proposal not in (None, "") else None
    if raw_proposal not in (None, "") and proposal_id is None:
        abort(404)
    try:
        return service.chooser(event, current_person(), proposal_id)
    except EventError as e:
        if proposal_id is not None and service.why_not(event, current_person()) is None:
            abort(404)
        raise e


@bp.get("/<int:event_id>/meetings")
@login_required
def meetings(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    try:
        who = _chooser(event, request.args.get("proposal"))
    except EventError as e:
        return render_template(
            "events/meetings/meetings.html", event=event, reason=e.message, who=None
        )
    wanted, unavailable = service.current_choices(event, who)
    data = {
        "proposal": str(who.proposal.id) if who.proposal else "",
        "wanted": wanted,
        "unavailable": unavailable,
    }
    return _choices_page(event, who, _choices_form(event, who, data=data))


@bp.post("/<int:event_id>/meetings")
@roles_required(Role.INVESTOR, Role.ENTREPRENEUR)
def meetings_save(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    try:
        who = _chooser(event, request.form.get("proposal"))
    except EventError as e:
        flash(e.message, "warning")
        return redirect(url_for("events.meetings", event_id=event.id))
    form = _choices_form(event, who)
    proposal = who.proposal.id if who.proposal is not None else None
    if form.validate():
        try:
            service.save_choices(event, who, form.wanted.data or [], form.unavailable.data or [])
            db.session.commit()
        except EventError as e:
            form[e.field or "wanted"].errors = [*form[e.field or "wanted"].errors, e.message]
        except IntegrityError:
            # The same choices were saved at the same moment (a double click
            # that got past the lock): nothing of this save is kept.
            db.session.rollback()
            flash(
                _(
                    "Your choices were being saved twice at the same moment. This is what is"
                    " saved now: check it, and save again if something is missing."
                ),
                "warning",
            )
            return redirect(url_for("events.meetings", event_id=event.id, proposal=proposal))
        else:
            flash(_("Your choices are saved."), "success")
            return redirect(url_for("events.meetings", event_id=event.id, proposal=proposal))
    db.session.rollback()
    return _choices_page(event, who, form)


# --------------------------------------------------------------------------
# The organisers' schedule page
# --------------------------------------------------------------------------


def _add_form(event: Event, **kwargs: Any) -> AddMeetingForm:
    form = AddMeetingForm(**kwargs)
    choose = ("", _("Choose…"))
    form.investor.choices = [
        choose,
        *((str(o.user.id), str(o.name)) for o in service.investor_options(event)),
    ]
    form.company.choices = [choose, *((str(p.id), p.title) for p in service.pitching(event))]
    form.slot.choices = [choose, *((str(i), label) for i, label in _slot_choices(event))]
    return form


def _percent(fraction: float) -> str:
    """A share with one decimal, in the reader's locale ("1.3%", "1,3 %")."""
    locale = get_locale()
    pattern = locale.percent_formats[None].pattern if locale else "#,##0%"
    return str(format_percent(fraction, pattern.replace("#,##0", "#,##0.0", 1)))


def _schedule_page(
    event: Event,
    *,
    minimum_form: MinimumForm | None = None,
    add_form: AddMeetingForm | None = None,
    stale: str | None = None,
) -> str:
    version = {"version": str(event.version)}
    gap = grid.gap(event)
    clashes = grid.clashes(event)
    return render_template(
        "events/meetings/schedule.html",
        event=event,
        is_open=service.is_open(event),
        counts=grid.counts(event),
        investors=service.investors(event),
        companies=service.pitching(event),
        grid=grid.grid(event),
        by_investor=grid.by_investor(event) if _view() == "investor" else None,
        view=_view(),
        clashes=clashes,
        clash_ids={i for c in clashes for i in c.meeting_ids},
        late=grid.late_requests(event),
        slot_choices=_slot_choices(event),
        minimum_form=minimum_form
        or MinimumForm(data={**version, "min_meetings": event.min_meetings}),
        add_form=add_form or _add_form(event, data=version),
        stale=stale,
        value=format_decimal(event.schedule_value or 0, "#,##0.00"),
        bound=format_decimal(event.schedule_bound or 0, "#,##0.00"),
        gap=_percent(gap) if gap is not None else None,
    )


def _meeting(event: Event, meeting_id: int) -> Meeting:
    """A meeting of this session: another session's (or none) is a 404."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.event_id != event.id:
        abort(404)
    return meeting


def _view() -> str:
    """Which view of the schedule: "investor" (rows investors) or "" (rows slots)."""
    raw = request.values.get("view", "")
    return "investor" if raw == "investor" else ""


def _back(event: Event) -> ResponseReturnValue:
    """To the schedule, in the view the organiser came from."""
    if _view():
        return redirect(url_for("events.schedule", event_id=event.id, view=_view()))
    return redirect(url_for("events.schedule", event_id=event.id))


def _meeting_page(
    event: Event, meeting: Meeting, move: dict[str, Any] | None = None, stale: str | None = None
) -> str:
    """One meeting of the schedule, with the forms that move or remove it."""
    clashes = [c for c in grid.clashes(event) if meeting.id in c.meeting_ids]
    return render_template(
        "events/meetings/meeting.html",
        event=event,
        meeting=meeting,
        name=service.investor_names([meeting.investor])[meeting.investor_id],
        slot=service.slot(event, meeting.slot),
        kind=grid.meeting_kinds(event, [meeting])[meeting.id],
        clashes=clashes,
        slot_choices=_slot_choices(event),
        move=move or {},
        stale=stale,
        view=_view(),
    )


def _clash_messages(event: Event) -> set[str]:
    return {c.message for c in grid.clashes(event)}


def _flash_edit(event: Event, done: str, before: set[str]) -> None:
    """``done`` in green, or in a warning naming the clashes the edit created."""
    new = [c.message for c in grid.clashes(event) if c.message not in before]
    if new:
        flash(
            _("%(done)s It creates a clash: %(clashes)s", done=done, clashes=" ".join(new)),
            "warning",
        )
    else:
        flash(done, "success")


@bp.get("/<int:event_id>/schedule")
@organiser_required
def schedule(event_id: int) -> ResponseReturnValue:
    return _schedule_page(load_event(event_id))


@bp.post("/<int:event_id>/schedule/minimum")
@organiser_required
def schedule_minimum(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    form = MinimumForm()
    stale = None
    if form.validate():
        try:
            planning.set_minimum(event, form.min_meetings.data or 0, form.version.data)
        except EventError as e:
            if e.field:
                form[e.field].errors = [*form[e.field].errors, e.message]
            else:
                stale = e.message
        else:
            db.session.commit()
            flash(_("The minimum is saved."), "success")
            return _back(event)
    db.session.rollback()
    return _schedule_page(event, minimum_form=form, stale=stale)


@bp.post("/<int:event_id>/schedule/build")
@organiser_required
def schedule_build(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    limit = float(current_app.config.get("SCHEDULE_TIME_LIMIT", planning.DEFAULT_TIME_LIMIT))
    try:
        built = planning.build_schedule(event, form.version.data, time_limit=limit)
    except EventError as e:
        db.session.rollback()
        flash(e.message, "warning")
    else:
        db.session.commit()
        if built.optimal:
            flash(_("Schedule built: %(n)d meetings, proven optimal.", n=built.meetings), "success")
        else:
            flash(
                _(
                    "Schedule built: %(n)d meetings. The engine ran out of time before proving"
                    " it optimal; the page shows how close it is.",
                    n=built.meetings,
                ),
                "success",
            )
    return _back(event)


@bp.get("/<int:event_id>/meetings/<int:meeting_id>")
@organiser_required
def meeting_edit(event_id: int, meeting_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    return _meeting_page(event, _meeting(event, meeting_id))


@bp.post("/<int:event_id>/meetings/<int:meeting_id>/move")
@organiser_required
def meeting_move(event_id: int, meeting_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    meeting = _meeting(event, meeting_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    raw = request.form.get("slot", "")
    before = _clash_messages(event)
    try:
        planning.move_meeting(meeting, _int(raw), form.version.data)
    except EventError as e:
        db.session.rollback()
        move = {"slot": raw, "version": form.version.data}
        if e.field:
            move["error"] = e.message
        return _meeting_page(event, meeting, move=move, stale=None if e.field else e.message)
    _flash_edit(event, _("The meeting is moved."), before)
    db.session.commit()
    return _back(event)


@bp.post("/<int:event_id>/meetings/<int:meeting_id>/remove")
@organiser_required
def meeting_remove(event_id: int, meeting_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    meeting = _meeting(event, meeting_id)
    form = VersionForm()
    if not form.validate():
        abort(400)
    before = _clash_messages(event)
    try:
        planning.remove_meeting(meeting, form.version.data)
    except EventError as e:
        db.session.rollback()
        flash(e.message, "warning")
    else:
        _flash_edit(event, _("The meeting is removed."), before)
        db.session.commit()
    return _back(event)


@bp.post("/<int:event_id>/schedule/add")
@organiser_required
def meeting_add(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    form = _add_form(event)
    stale = None
    if form.validate():
        before = _clash_messages(event)
        try:
            planning.add_meeting(
                event,
                _int(form.investor.data),
                _int(form.company.data),
                _int(form.slot.data),
                form.version.data,
            )
        except EventError as e:
            if e.field:
                form[e.field].errors = [*form[e.field].errors, e.message]
            else:
                stale = e.message
        else:
            _flash_edit(event, _("The meeting is added."), before)
            db.session.commit()
            return _back(event)
    db.session.rollback()
    return _schedule_page(event, add_form=form, stale=stale)


# --------------------------------------------------------------------------
# The session page's part
# --------------------------------------------------------------------------


def panel(event: Event, user: Any) -> dict[str, Any]:
    """What ``templates/events/meetings/_panel.html`` needs on the session page."""
    if not service.is_open(event):
        return {"meeting_panel": None}
    if user.is_organiser:
        return {"meeting_panel": {"organiser": True, "counts": grid.counts(event)}}
    if service.why_not(event, user) is not None:
        return {"meeting_panel": None}
    who = service.chooser(event, user)
    wanted, unavailable = service.current_choices(event, who)
    return {
        "meeting_panel": {
            "organiser": False,
            "wanted": len(wanted),
            "unavailable": len(unavailable),
        }
    }
