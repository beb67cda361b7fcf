"""Line-up: the engine proposes the pitches, organisers pin/exclude and publish, founders accept or decline.

Routes hang on the events blueprint; :func:`panel` gives the session page its part.
Thin: parse the form (:mod:`matchmaking.events.forms`), call
:mod:`matchmaking.events.lineup.services` (what the pages show:
:mod:`matchmaking.events.lineup.state`), commit once.

- ``/events/<id>/lineup`` (GET): organisers only. The candidates with their
  screening score and bonus, the stored line-up with its value and proof, each
  investor's best pitch, and the forms below.
- ``/lineup/weight``, ``/lineup/run``, ``/lineup/next-best`` and
  ``/lineup/publish`` (POST) carry ``Event.version``: a post from a page older
  than the last change is refused with the session form's "changed by someone
  else" message, and the page is shown again with what was typed kept.
- ``/lineup/candidates/<cid>/pin|exclude|clear`` (POST): each button says
  what it sets (not a toggle), so a second click changes nothing; no version
  needed.
- ``/events/<id>/invitation/<cid>/accept|decline`` (POST): the founder who owns
  the candidate; anyone else's candidate, or another session's, is a 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _

from matchmaking.accounts.access import organiser_required, roles_required
from matchmaking.accounts.models import Role
from matchmaking.dates import when
from matchmaking.events.access import current_person, load_event
from matchmaking.events.blueprint import bp
from matchmaking.events.errors import EventError
from matchmaking.events.forms import DeclineForm, PublishLineupForm, WeightForm
from matchmaking.events.lineup import services as service
from matchmaking.events.lineup.state import (
    declined_in_lineup,
    invitations_of,
    left_out_of,
    lineup_state,
    programme,
)
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.events.programme import OSLO, pitch_time
from matchmaking.extensions import db, utcnow
from matchmaking.formtools import ConfirmActionForm, ConfirmStep, confirm_page, confirmed
from matchmaking.i18n import lazy_gettext as _l

__all__ = ["bp", "panel"]

INVITATION_LABELS = {
    InvitationStatus.INVITED: _l("Invited, no answer yet"),
    InvitationStatus.ACCEPTED: _l("Said yes"),
    InvitationStatus.DECLINED: _l("Said no"),
}


# --------------------------------------------------------------------------
# The organiser's page
# --------------------------------------------------------------------------


def _number(value: float | None) -> str:
    return "–" if value is None else format_decimal(value, "#,##0.00")


def _percent(value: float, decimals: bool = False) -> str:
    """A share as a percentage in the user's locale ("6.3%", "6,3 %")."""
    pattern = None
    if decimals:
        locale = get_locale()
        base = locale.percent_formats[None].pattern if locale is not None else "#,##0%"
        pattern = re.sub(r"0(?!.*0)", "0.0", base)
    return str(format_percent(value, pattern))


def _proof(event: Event) -> dict[str, Any]:
    """Value, bound and the gap, in words the page shows."""
    value, bound = event.lineup_value, event.lineup_bound
    gap = None
    if value is not None and bound is not None and not event.lineup_optimal and bound > 0:
        gap = _percent(max(0.0, (bound - value) / bound), decimals=True)
    return {"value": _number(value), "bound": _number(bound), "gap": gap}


def _page(
    event: Event,
    *,
    weight_form: WeightForm | None = None,
    publish_form: PublishLineupForm | None = None,
    error: EventError | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    state = lineup_state(event)
    if weight_form is None:
        weight_form = WeightForm(
            formdata=None,
            data={"version": str(event.version), "screening_weight": event.screening_weight},
        )
    if publish_form is None:
        offered = service.default_reply_by(event, utcnow())
        publish_form = PublishLineupForm(
            formdata=None,
            data={
                "version": str(event.version),
                "reply_by": offered.astimezone(OSLO).replace(tzinfo=None),
            },
        )
    return (
        render_template(
            "events/lineup/lineup.html",
            event=event,
            state=state,
            proof=_proof(event),
            weight_form=weight_form,
            publish_form=publish_form,
            confirm=ConfirmActionForm(),
            error=error,
            invitation_label=lambda s: str(INVITATION_LABELS[s]) if s is not None else "",
            number=_number,
            percent=_percent,
            pitch_time=lambda position: pitch_time(event, position),
            minimums=", ".join(
                f"{m.subproject.name}: {m.minimum}" for m in event.minimums if m.minimum
            ),
        ),
        status,
    )


def _time_limit() -> float:
    return float(current_app.config.get("LINEUP_TIME_LIMIT", service.TIME_LIMIT))


def _back(event: Event, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for("events.lineup", event_id=event.id, _anchor=anchor))


@bp.get("/<int:event_id>/lineup")
@organiser_required
def lineup(event_id: int) -> ResponseReturnValue:
    return _page(load_event(event_id))


@bp.post("/<int:event_id>/lineup/weight")
@organiser_required
def lineup_weight(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    form = WeightForm()
    if not form.validate():
        return _page(event, weight_form=form)
    try:
        changed = service.set_weight(event, form.screening_weight.data, form.version.data)
    except EventError as e:
        db.session.rollback()
        if e.field == "screening_weight":
            form.screening_weight.errors = [*form.screening_weight.errors, e.message]
            return _page(event, weight_form=form)
        return _page(event, weight_form=form, error=e)
    db.session.commit()
    if changed:
        flash(_("Weight saved. Propose the line-up again to use it."), "success")
    else:
        flash(_("The weight is unchanged."), "info")
    return _back(event)


def _ran(event: Event) -> None:
    if event.lineup_optimal:
        flash(_("Line-up proposed: the best possible under these rules."), "success")
    else:
        flash(
            _(
                "Line-up proposed. It may not be the best possible: the search ran out of time before it could tell."
            ),
            "success",
        )


def _engine_run(event_id: int, run: Callable[..., Any]) -> ResponseReturnValue:
    """Run the engine (``run``: a proposal or the next best), then show the result."""
    event = load_event(event_id)
    try:
        run(event, request.form.get("version"), time_limit=_time_limit())
    except EventError as e:
        db.session.rollback()
        return _page(event, error=e)
    db.session.commit()
    _ran(event)
    return _back(event, "result")


@bp.post("/<int:event_id>/lineup/run")
@organiser_required
def lineup_run(event_id: int) -> ResponseReturnValue:
    return _engine_run(event_id, service.run)


@bp.post("/<int:event_id>/lineup/next-best")
@organiser_required
def lineup_next_best(event_id: int) -> ResponseReturnValue:
    return _engine_run(event_id, service.next_best)


@bp.post("/<int:event_id>/lineup/candidates/<int:candidate_id>/<any(pin, exclude, clear):action>")
@organiser_required
def lineup_candidate(event_id: int, candidate_id: int, action: str) -> ResponseReturnValue:
    event = load_event(event_id)
    candidate = db.session.get(EventCandidate, candidate_id)
    if candidate is None or candidate.event_id != event.id:
        abort(404)
    try:
        changed = service.set_flag(event, candidate, action)
    except EventError as e:
        db.session.rollback()
        flash(e.message, "warning")
        return _back(event, "candidates")
    db.session.commit()
    if changed:
        messages = {
            "pin": _("“%(title)s” is pinned.", title=candidate.proposal.title),
            "exclude": _("“%(title)s” is excluded.", title=candidate.proposal.title),
            "clear": _(
                "“%(title)s” is neither pinned nor excluded.", title=candidate.proposal.title
            ),
        }
        flash(messages[action], "success")
    return _back(event, "candidates")


@bp.post("/<int:event_id>/lineup/publish")
@organiser_required
def lineup_publish(event_id: int) -> ResponseReturnValue:
    event = load_event(event_id)
    form = PublishLineupForm()
    if not form.validate():
        return _page(event, publish_form=form)
    reply_by = form.reply_by.data
    try:
        result = service.publish(
            event,
            form.version.data,
            reply_by=reply_by.replace(tzinfo=OSLO).astimezone(UTC) if reply_by else None,
        )
    except EventError as e:
        db.session.rollback()
        if e.field == "reply_by":
            form.reply_by.errors = [*form.reply_by.errors, e.message]
            return _page(event, publish_form=form)
        return _page(event, publish_form=form, error=e)
    db.session.commit()
    if result.invited or result.removed:
        flash(
            _(
                "Programme published. Founders invited by e-mail: %(invited)d. Founders told"
                " they are no longer in the programme: %(removed)d.",
                invited=len(result.invited),
                removed=len(result.removed),
            ),
            "success",
        )
    else:
        flash(_("The programme is published; there was nobody new to invite."), "info")
    if result.left_out:
        flash(
            _(
                "Founders told by e-mail that they are not in the programme this time: %(n)d.",
                n=len(result.left_out),
            ),
            "info",
        )
    if event.reply_by is not None:
        flash(_("Founders answer by %(when)s.", when=when(event.reply_by)), "info")
    return _back(event, "result")


# --------------------------------------------------------------------------
# The founders
# --------------------------------------------------------------------------


@bp.post("/<int:event_id>/invitation/<int:candidate_id>/<any(accept, decline):answer>")
@roles_required(Role.ENTREPRENEUR)
def invitation_answer(event_id: int, candidate_id: int, answer: str) -> ResponseReturnValue:
    event = load_event(event_id)
    user = current_person()
    candidate = db.session.get(EventCandidate, candidate_id)
    if (
        candidate is None
        or candidate.event_id != event.id
        or candidate.proposal.company.owner_id != user.id
    ):
        abort(404)
    accept = answer == "accept"
    back = url_for("events.show", event_id=event.id, _anchor="lineup-heading")
    reason = ""
    open_ = candidate.invitation in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)
    if not accept and open_ and event.starts_at > utcnow():  # else the service says why not
        form = DeclineForm()
        if not confirmed(form):  # the first click, or a reason too long: ask once more
            return confirm_page(_decline_step(event, candidate, form, back), form)
        reason = form.reason.data or ""
    try:
        changed = service.answer(candidate, user, accept, reason=reason)
    except EventError as e:
        db.session.rollback()
        flash(e.message, "warning")
    else:
        db.session.commit()
        if not changed:
            flash(_("Your answer was already registered."), "info")
        elif accept:
            flash(_("Thank you: you have accepted the invitation to pitch."), "success")
        else:
            flash(_("You have declined the invitation; the organisers are told."), "success")
    return redirect(back)


def _decline_step(
    event: Event, candidate: EventCandidate, form: DeclineForm, back: str
) -> ConfirmStep:
    title = candidate.proposal.title
    return ConfirmStep(
        heading=_("Decline to pitch “%(title)s” at %(event)s?", title=title, event=event.title),
        yes=_("Yes, decline the invitation"),
        cancel=back,
        explain=[
            _(
                "Declining is final for this session: the organisers give the place to another"
                " company, and you cannot take it back here."
            ),
            _("The organisers are told at once, with your reason if you give one."),
        ],
        fields=[form.reason],
    )


# --------------------------------------------------------------------------
# The session page's part
# --------------------------------------------------------------------------


def panel(event: Event, user: Any) -> dict[str, Any]:
    """What ``templates/events/lineup/_panel.html`` needs on the session page.

    Everyone who can see the session sees the published programme; a founder
    sees their own invitations with the buttons to answer; organisers see
    where the line-up stands and the link to its page. Before the line-up is
    published nothing of it shows to anyone but organisers.
    """
    pitches = programme(event)
    invitations = invitations_of(event, user) if user.is_entrepreneur else []
    left_out = left_out_of(event, user) if user.is_entrepreneur else []
    organiser = bool(user.is_organiser)
    if not (pitches or invitations or left_out or organiser):
        return {"lineup_panel": None}
    summary: dict[str, Any] = {}
    if organiser:
        summary = {
            "has_run": event.lineup_run_at is not None,
            "published_at": event.lineup_published_at,
            "declined": len(declined_in_lineup(event)),
            "answers": {
                status.value: sum(1 for c in event.candidates if c.invitation is status)
                for status in InvitationStatus
            },
        }
    return {
        "lineup_panel": {
            "organiser": organiser,
            "programme": pitches,
            "invitations": [
                {
                    "candidate": c,
                    "status": c.invitation.value if c.invitation else "",
                    "starts_at": pitch_time(event, c.lineup_position),
                }
                for c in invitations
            ],
            "left_out": left_out,
            "reply_by": event.reply_by,
            # Past the deadline an invitation can still be answered (until the
            # session starts): the panel says the deadline has passed, not "answer by".
            "reply_passed": event.reply_by is not None and event.reply_by <= utcnow(),
            "summary": summary,
            "form": ConfirmActionForm(),
        }
    }
