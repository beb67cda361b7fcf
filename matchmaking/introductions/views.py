"""Introductions: an approved investor asks to meet a founder; the founder answers.

Routes:
    GET  /matches/<proposal_id>/introduction   the request form (approved investors)
    POST /matches/<proposal_id>/introduction   send the request
    GET  /introductions/                       founders: requests for their proposals;
                                               investors: their own requests
    POST /introductions/<id>/accept|decline    the founder's answer

A proposal the investor may not ask about (a draft, withdrawn, declined or
closed, or unknown) is a 404; a pending investor, a founder or an organiser
asking is a 403. Another founder's introduction is a 404. Thin: the rules are
in ``matchmaking.introductions.services``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaking.accounts.access import organiser_required, roles_required
from matchmaking.accounts.models import Role, User
from matchmaking.extensions import db
from matchmaking.introductions import services
from matchmaking.introductions.forms import AnswerForm, RequestForm
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.matches.stats import founder_stats, reason_label
from matchmaking.proposals.models import Proposal

bp = Blueprint("introductions", __name__)

investor_required = roles_required(Role.INVESTOR)
founder_required = roles_required(Role.ENTREPRENEUR)


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.app_context_processor
def _globals() -> dict[str, Any]:
    """For base.html (the count in the menu) and the proposal page."""
    return {
        "open_introductions": lambda: services.open_count(_user()),
        "founder_stats": founder_stats,
        "reason_label": reason_label,
        "can_request_introduction": lambda proposal: services.can_request(_user(), proposal),
    }


def _requestable(proposal_id: int) -> Proposal:
    """403 unless an approved investor; 404 unless they may ask about this proposal."""
    user = _user()
    if not user.is_approved_investor:
        abort(403)
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not services.can_request(user, proposal):
        abort(404)
    return proposal


@bp.get("/matches/<int:proposal_id>/introduction", endpoint="request_form")
@investor_required
def request_form(proposal_id: int) -> ResponseReturnValue:
    proposal = _requestable(proposal_id)
    return _render_request(proposal, RequestForm())


def _render_request(proposal: Proposal, form: RequestForm, code: int = 200) -> ResponseReturnValue:
    existing = services.existing_request(_user(), proposal)
    return (
        render_template(
            "introductions/request.html", proposal=proposal, form=form, existing=existing
        ),
        code,
    )


@bp.post("/matches/<int:proposal_id>/introduction", endpoint="request")
@investor_required
def send_request(proposal_id: int) -> ResponseReturnValue:
    proposal = _requestable(proposal_id)
    if services.existing_request(_user(), proposal) is not None:
        flash(
            _("You have already asked for an introduction to this proposal. See its status below."),
            "info",
        )
        return redirect(url_for("introductions.index"))
    form = RequestForm()
    if not form.validate_on_submit():
        return _render_request(proposal, form, 400)
    try:
        services.request_introduction(_user(), proposal, form.message.data or "")
    except services.IntroductionError as exc:
        db.session.rollback()
        form.message.errors = [str(exc)]
        return _render_request(proposal, form, 400)
    db.session.commit()
    flash(
        _("Your request is sent. The founder answers here, and you get an e-mail."),
        "success",
    )
    return redirect(url_for("introductions.index"))


@bp.get("/introductions/")
@login_required
def index() -> ResponseReturnValue:
    return _render_index()


@bp.get("/introductions/open")
@organiser_required
def open_requests() -> ResponseReturnValue:
    """Organisers: the requests still awaiting an answer; ``?waiting=long`` for
    those older than :data:`~matchmaking.introductions.services.WAITING_LONG`."""
    long_only = request.args.get("waiting") == "long"
    return render_template(
        "introductions/organiser.html",
        items=services.open_requests(long_only=long_only),
        long_only=long_only,
        days=services.WAITING_LONG.days,
    )


def _render_index(
    failed: Introduction | None = None, failed_form: AnswerForm | None = None, code: int = 200
) -> ResponseReturnValue:
    user = _user()
    if user.is_entrepreneur:
        items = services.for_founder(user)
        forms = {
            i.id: failed_form
            if failed is not None and i.id == failed.id
            else AnswerForm(prefix=f"intro-{i.id}", formdata=None)
            for i in items
            if i.status is IntroductionStatus.REQUESTED
        }
        cards = {i.id: services.investor_card(i.investor) for i in items}
        return (
            render_template(
                "introductions/founder.html",
                items=items,
                forms=forms,
                cards=cards,
                contacts=_contacts(user, items),
            ),
            code,
        )
    if user.is_approved_investor:
        items = services.for_investor(user)
        return render_template(
            "introductions/investor.html", items=items, contacts=_contacts(user, items)
        )
    abort(403)


def _contacts(user: User, items: list[Introduction]) -> dict[int, services.Contact]:
    """The other party's contact details, for each accepted introduction of ``user``."""
    shared = {i.id: services.shared_contact(user, i) for i in items}
    return {key: contact for key, contact in shared.items() if contact is not None}


def _answer(introduction_id: int, accept: bool) -> ResponseReturnValue:
    founder = _user()
    introduction = services.founder_introduction(founder, introduction_id)
    if introduction is None:
        abort(404)
    form = AnswerForm(prefix=f"intro-{introduction.id}")
    if not form.validate_on_submit():
        return _render_index(introduction, form, 400)
    try:
        if accept:
            services.accept(introduction, founder, form.answer.data or "")
        else:
            services.decline(introduction, founder, form.answer.data or "")
    except services.IntroductionError as exc:
        db.session.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("introductions.index"))
    db.session.commit()
    if accept:
        flash(
            _(
                "Accepted. You and the investor have each been sent the other's contact"
                " details by e-mail; your proposal is now in dialogue with investors."
            ),
            "success",
        )
    else:
        flash(_("Declined. The investor is told, without your contact details."), "success")
    return redirect(url_for("introductions.index"))


@bp.post("/introductions/<int:introduction_id>/accept")
@founder_required
def accept(introduction_id: int) -> ResponseReturnValue:
    return _answer(introduction_id, accept=True)


@bp.post("/introductions/<int:introduction_id>/decline")
@founder_required
def decline(introduction_id: int) -> ResponseReturnValue:
    return _answer(introduction_id, accept=False)
