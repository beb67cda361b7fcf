"""Agendas: each participant's page, print view, iCalendar file and e-mail; the CSV export; meeting outcomes.

Routes hang on the events blueprint; :func:`panel` gives the session page its part.
Thin: parse the form, call a service of this package (:mod:`.services`,
:mod:`.calendar`, :mod:`.sending`, :mod:`.export`, :mod:`.outcomes`), commit once.

Who gets what (see the service's docstring for the reasons):

- ``/events/<id>/agenda`` and ``/agenda.ics``: a participant's own agenda;
  organisers get the overview, or anyone's agenda with ``?participant=<user id>``
  (404 when that user takes no part). Others logged in: 403 with a sentence
  saying why; ``?participant=`` naming someone else: 403 for non-organisers.
- ``/schedule.csv``, ``/schedule.xlsx``, ``/agendas/send``, ``/held``: organisers only.
- ``/outcomes``: organisers (every meeting) and participating investors (their
  own); ``/meetings/<id>/outcome``: the same people, for a meeting they may
  record. Another event's meeting, or another investor's: 404.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from matchmaking.accounts.access import organiser_required, roles_required
from matchmaking.accounts.models import Role, User
from matchmaking.dates import when
from matchmaking.errors import render_error
from matchmaking.events.access import current_person, load_event
from matchmaking.events.agenda import export, sending
from matchmaking.events.agenda import outcomes as outcome_service
from matchmaking.events.agenda import services as service
from matchmaking.events.agenda.calendar import calendar, ics_filename, ics_host
from matchmaking.events.agenda.services import Agenda
from matchmaking.events.blueprint import bp
from matchmaking.events.errors import EventError
from matchmaking.events.forms import OutcomeForm, SendAgendasForm
from matchmaking.events.meetings.services import investor_names
from matchmaking.events.models import Event, Meeting
from matchmaking.extensions import db, utcnow
from matchmaking.formtools import ConfirmActionForm, ConfirmStep, confirm_page, confirmed
from matchmaking.numbers import parse_id

__all__ = ["bp", "panel"]


def _outcome_form(meeting: Meeting, formdata: bool = False) -> OutcomeForm:
    prefix = f"m{meeting.id}"
    if formdata:
        return OutcomeForm(prefix=prefix)
    return OutcomeForm(
        formdata=None,
        prefix=prefix,
        data={
            "outcome": meeting.outcome.value if meeting.outcome else None,
            "note": meeting.outcome_note,
        },
    )


def _refuse(message: str) -> NoReturn:
    """Stop with a 403 page that says why."""
    abort(make_response(render_error(403, message)))


def _agenda(event: Event) -> Agenda:
    """The agenda this request asks for, or a refusal (see the module docstring)."""
    user = current_person()
    raw = request.args.get("participant")
    if raw is not None:
        wanted = parse_id(raw)
        if wanted is None:
            abort(404)
        if wanted != user.id:
            if not user.is_organiser:
                abort(403)
            target = db.session.get(User, wanted)
            if target is None or service.participant_kind(event, target) is None:
                abort(404)
            return service.agenda_for(event, target)
    if user.is_organiser:
        return service.overview(event)
    try:
        return service.agenda_for(event, user)
    except EventError as e:
        _refuse(e.message)


@bp.get("/<int:event_id>/agenda")
@login_required  # every logged-in user; the view decides
def agenda(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    result = _agenda(event)
    user = current_person()
    return render_template(
        "events/agenda/agenda.html",
        event=event,
        agenda=result,
        # The .ics link of someone else's agenda (an organiser looking) names them too.
        ics_args=(
            {"participant": result.user.id}
            if result.user is not None and result.user.id != user.id
            else {}
        ),
        can_record=bool(
            result.user is not None
            and result.user.id == user.id
            and result.kind == service.INVESTOR
            and any(service.has_started(m.meeting) for m in result.meetings)
        ),
        started={m.id: service.has_started(m.meeting) for m in result.meetings},
        who_name=_name(result),
        outcome_label=outcome_service.outcome_label,
        next_item=service.next_item(result, utcnow()),
        plan_is_final=service.plan_is_final(event),
    )


def _name(result: Agenda) -> str:
    """How the agenda's owner is named to an organiser looking at it."""
    if result.user is None:
        return ""
    if result.kind == service.INVESTOR:
        return str(investor_names([result.user])[result.user.id])
    return str(result.user.name)


@bp.get("/<int:event_id>/agenda.ics")
@login_required  # every logged-in user; the view decides
def agenda_ics(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    result = _agenda(event)
    data = calendar(result, service.agenda_link(event), ics_host())
    return Response(
        data,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="{ics_filename(event)}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.post("/<int:event_id>/agendas/send")
@organiser_required
def agendas_send(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    form = ConfirmActionForm()
    before = sending.before_sending(event)
    # Nothing to send (no schedule, nobody): send_agendas says why, no question first.
    if before.schedule_at is not None and before.recipients and not confirmed(form):
        return confirm_page(_send_step(event, before), form)
    try:
        sent = sending.send_agendas(event, request.form.get("version"))
    except EventError as e:
        db.session.rollback()
        flash(e.message, "danger")
    else:
        db.session.commit()
        flash(_("Agendas sent to %(n)d participants.", n=len(sent.sent)), "success")
        if sent.failed:
            flash(
                _(
                    "The mail server did not take the agenda for: %(names)s. Send again later.",
                    names=", ".join(u.name for u in sent.failed),
                ),
                "warning",
            )
    return redirect(url_for("events.show", event_id=event.id))


def _send_step(event: Event, before: sending.BeforeSending) -> ConfirmStep:
    """The confirm step of sending the agendas: who gets them, and what may be out of date."""
    explain = [
        _(
            "Each of the %(n)d participants gets their agenda by e-mail now, in their own"
            " language, with a calendar file. An e-mail cannot be called back.",
            n=before.recipients,
        )
    ]
    if event.agendas_sent_at is not None:
        explain.append(
            _(
                "Agendas were last sent %(when)s; everyone gets the current agenda again.",
                when=when(event.agendas_sent_at),
            )
        )
    warnings = []
    if before.unanswered:
        warnings.append(
            _(
                "Invited founders who have not accepted yet: %(n)d (%(titles)s). Their"
                " agendas show the pitch, but they may still decline.",
                n=len(before.unanswered),
                titles=", ".join(before.unanswered),
            )
        )
    else:
        explain.append(_("Every invited founder has accepted."))
    if before.behind_the_programme and before.schedule_at and before.plan_changed_at:
        warnings.append(
            _(
                "The 1:1 schedule (%(built)s) is older than the last change of the programme"
                " (%(changed)s): build the schedule again first, or some meetings may no"
                " longer fit.",
                built=when(before.schedule_at),
                changed=when(before.plan_changed_at),
            )
        )
    if before.outdated and before.schedule_at:
        warnings.append(
            _(
                "The 1:1 schedule (%(built)s) is older than the last change of who takes part."
                " Meetings with an investor who cancelled or a company that no longer pitches:"
                " %(n)d. Remove or move them on the schedule page first, or build the schedule"
                " again.",
                built=when(before.schedule_at),
                n=before.outdated_meetings,
            )
        )
        warnings.extend(c.message for c in before.outdated)
    if not before.stale:
        explain.append(_("The 1:1 schedule is newer than the last change of the programme."))
    return ConfirmStep(
        heading=_("Send the agendas for %(event)s?", event=event.title),
        yes=_("Yes, send %(n)d agendas", n=before.recipients),
        cancel=url_for("events.show", event_id=event.id, _anchor="agenda-heading"),
        explain=explain,
        warnings=warnings,
        carry={"version": request.form.get("version", "")},
    )


@bp.get("/<int:event_id>/schedule.csv")
@organiser_required
def export_csv(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    return Response(
        export.schedule_csv(event).encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{export.csv_filename(event)}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.get("/<int:event_id>/schedule.xlsx")
@organiser_required
def export_xlsx(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    return Response(
        export.schedule_xlsx(event),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{export.xlsx_filename(event)}"',
            "Cache-Control": "private, no-store",
        },
    )


def _outcome_user(event: Event) -> User:
    """Organisers, and investors taking part in ``event``; others 403."""
    user: User = current_person()
    if user.is_organiser:
        return user
    if service.participant_kind(event, user) != service.INVESTOR:
        _refuse(
            _(
                "Outcomes are recorded by the organisers and, for their own meetings, by the investors who took part."
            )
        )
    return user


def _outcomes_page(
    event: Event, user: User, failed: OutcomeForm | None = None, failed_id: int | None = None
) -> ResponseReturnValue:
    now = utcnow()
    rows = []
    for m in outcome_service.meetings_for(event, user):
        start, end = service.slot_times(event, m.slot)
        form = failed if failed is not None and m.id == failed_id else _outcome_form(m)
        rows.append(
            {
                "meeting": m,
                "starts_at": start,
                "ends_at": end,
                "started": start <= now,
                "form": form,
            }
        )
    names = investor_names(m.investor for m in event.meetings)
    return render_template(
        "events/agenda/outcomes.html",
        event=event,
        rows=rows,
        names=names,
        outcome_label=outcome_service.outcome_label,
        started=event.starts_at <= now,
        confirm=ConfirmActionForm(),
    )


@bp.get("/<int:event_id>/outcomes")
@roles_required(Role.ORGANISER, Role.INVESTOR)
def outcomes(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    return _outcomes_page(event, _outcome_user(event))


@bp.post("/<int:event_id>/meetings/<int:meeting_id>/outcome")
@roles_required(Role.ORGANISER, Role.INVESTOR)
def outcome_record(event_id: int, meeting_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    user = _outcome_user(event)
    meeting = db.session.get(Meeting, meeting_id)
    if (
        meeting is None
        or meeting.event_id != event.id
        or not outcome_service.can_record(user, meeting)
    ):
        abort(404)
    form = _outcome_form(meeting, formdata=True)
    if form.validate():
        try:
            outcome_service.record_outcome(meeting, user, form.outcome.data, form.note.data or "")
        except EventError as e:
            db.session.rollback()
            target = form[e.field] if e.field in ("outcome", "note") else form.outcome
            target.errors = [*target.errors, e.message]
        else:
            db.session.commit()
            flash(_("Outcome saved."), "success")
            return redirect(
                url_for("events.outcomes", event_id=event.id, _anchor=f"meeting-{meeting.id}")
            )
    return _outcomes_page(event, user, form, meeting.id)


@bp.post("/<int:event_id>/held")
@organiser_required
def outcome_held(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    try:
        moved = outcome_service.mark_held(event, current_person())
    except EventError as e:
        db.session.rollback()
        flash(e.message, "warning")
    else:
        db.session.commit()
        if moved:
            flash(
                _("Session marked as held: %(n)d proposals are now “Pitched”.", n=len(moved)),
                "success",
            )
        else:
            flash(
                _(
                    "Session marked as held. Every pitching proposal had already moved past “Accepted for Springbrett”."
                ),
                "info",
            )
    return redirect(url_for("events.outcomes", event_id=event.id))


def panel(event: Event, user: Any) -> dict[str, Any]:
    """What ``templates/events/agenda/_panel.html`` needs on the session page."""
    now = utcnow()
    context: dict[str, Any] = {
        "kind": None if user.is_organiser else service.participant_kind(event, user),
        "programme_published": event.lineup_published_at is not None,
        "schedule_built": event.schedule_built_at is not None,
        "started": event.starts_at <= now,
    }
    if context["kind"] == service.INVESTOR:
        context["can_record"] = any(
            m.investor_id == user.id and service.has_started(m, now) for m in event.meetings
        )
    if user.is_organiser:
        form = SendAgendasForm(formdata=None)
        form.version.data = str(event.version)
        context["send_form"] = form
        context["meetings"] = len(event.meetings)
    return {"agenda_panel": context}
