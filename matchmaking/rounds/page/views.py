"""The round page, opening a round, its terms and its lead.

``GET /proposals/<id>/round`` is for the founder, organisers and approved
investors who may see the proposal's confidential part (others: 404, like
the proposal itself). Organisers see every commitment with names; the
founder the total, the count, and the names of investors who chose to be
named; other investors the total and count when organisers show them.
Opening a round and changing its terms is for the founder and organisers;
choosing the lead for organisers; agreeing to it for the founder
(docs/features/rounds.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaking.accounts.models import User
from matchmaking.dates import oslo_today
from matchmaking.extensions import db, utcnow
from matchmaking.money import format_kroner
from matchmaking.numbers import parse_id
from matchmaking.proposals.forms import INSTRUMENT_CHOICES
from matchmaking.proposals.lifecycle import MAY_COMMIT
from matchmaking.proposals.models import Instrument, Proposal
from matchmaking.proposals.services import is_owner
from matchmaking.rounds import services
from matchmaking.rounds.access import may_commit, may_manage_round, may_see_round
from matchmaking.rounds.blueprint import bp
from matchmaking.rounds.models import Commitment, Round, RoundState
from matchmaking.rounds.page import services as page
from matchmaking.rounds.page.forms import LeadForm, TermsForm, VersionForm
from matchmaking.rounds.page.services import StaleRound, Terms
from matchmaking.rounds.services import RoundError, Totals


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def visible_proposal(proposal_id: int) -> Proposal:
    """The proposal, or 404 unless the current user may see its round."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not may_see_round(_user(), proposal):
        abort(404)
    return proposal


def managed_proposal(proposal_id: int) -> Proposal:
    """The proposal, 404 unless the user may see its round, 403 unless they manage it."""
    proposal = visible_proposal(proposal_id)
    if not may_manage_round(_user(), proposal):
        abort(403)
    return proposal


def instrument_label(instrument: Instrument) -> str:
    return next(str(c.label) for c in INSTRUMENT_CHOICES if c.value == instrument.value)


def state_label(state: RoundState) -> str:
    labels: dict[RoundState, str] = {
        RoundState.OPEN: _("Open"),
        RoundState.FUNDED: _("Funded"),
        RoundState.NOT_FUNDED: _("Closed without funding"),
    }
    return labels[state]


def _back(proposal: Proposal) -> ResponseReturnValue:
    return redirect(url_for("rounds.show", proposal_id=proposal.id))


# The round page --------------------------------------------------------------------


@bp.get("/proposals/<int:proposal_id>/round")
@login_required
def show(proposal_id: int) -> ResponseReturnValue:
    user = _user()
    proposal = visible_proposal(proposal_id)
    round_ = services.current_round(proposal)
    manages = may_manage_round(user, proposal)
    founder = is_owner(user, proposal)
    mine = services.commitment_of(round_, user) if round_ is not None and user.is_investor else None
    sees_totals = manages or bool(round_ is not None and round_.totals_visible)
    shown: list[Commitment] = []
    if round_ is not None and user.is_organiser:
        shown = list(round_.commitments)
    elif round_ is not None and founder:
        shown = [c for c in services.active_commitments(round_) if c.named_to_founder]
    lead_form = agree_form = None
    if round_ is not None and round_.is_open:
        if user.is_organiser:
            lead_form = LeadForm(formdata=None, version=str(round_.version))
            lead_form.set_candidates(
                [(str(c.investor_id), c.investor.name) for c in page.lead_candidates(round_)]
            )
            lead_form.lead.data = str(round_.lead_id) if round_.lead_id is not None else ""
        if founder and round_.lead_id is not None and round_.lead_agreed_at is None:
            agree_form = VersionForm(formdata=None, version=str(round_.version))
    return render_template(
        "rounds/show.html",
        proposal=proposal,
        round=round_,
        totals=services.totals(round_) if round_ is not None and sees_totals else None,
        commitments=shown,
        mine=mine,
        manages=manages,
        founder=founder,
        may_commit=may_commit(user, proposal),
        may_open=manages
        and proposal.status in MAY_COMMIT
        and services.open_round(proposal) is None,
        # Whoever leads is known to organisers, the founder (who agrees to it) and the lead.
        sees_lead=bool(
            round_ is not None
            and (manages or (round_.lead_id is not None and round_.lead_id == user.id))
        ),
        earlier=[r for r in services.rounds_of(proposal) if r is not round_],
        lead_form=lead_form,
        agree_form=agree_form,
        instrument_label=instrument_label,
        state_label=state_label,
        today=oslo_today(utcnow()),
    )


# Opening a round and changing its terms ----------------------------------------------


def _terms_form(user: User, round_: Round | None, proposal: Proposal) -> TermsForm:
    """The terms form: posted, or prefilled from the round (or the proposal)."""
    if request.method == "POST":
        form = TermsForm()
    elif round_ is not None:
        form = TermsForm(
            formdata=None,
            version=str(round_.version),
            target=round_.target,
            min_ticket=round_.min_ticket,
            instrument=round_.instrument.value,
            closes_on=round_.closes_on,
            totals_visible=round_.totals_visible,
        )
    else:
        form = TermsForm(
            formdata=None,
            target=proposal.ask,
            min_ticket=proposal.min_ticket,
            instrument=proposal.instrument.value,
        )
    if not user.is_organiser:
        del form.totals_visible
    return form


def _terms(form: TermsForm) -> Terms:
    visible = form.totals_visible.data if "totals_visible" in form else None
    return Terms(
        target=form.target.amount,
        min_ticket=form.min_ticket.amount,
        instrument=Instrument(form.instrument.data),
        closes_on=form.closes_on.data,
        totals_visible=bool(visible) if visible is not None else None,
    )


def _valid_terms(form: TermsForm, round_: Round | None) -> bool:
    """Check everything typed at once: each field's own message, then the rules
    between the terms beside the fields that have none yet (an empty target
    gets "enter the target", not also "more than 0 kr")."""
    form.validate()
    for problem in page.terms_problems(
        round_,
        target=form.target.amount,
        min_ticket=form.min_ticket.amount,
        closes_on=form.closes_on.data,
        today=oslo_today(utcnow()),
    ):
        field = form[problem.field] if problem.field else None
        if field is not None and not field.errors:
            field.errors = [str(problem)]
    return not form.errors


def _put_error(form: TermsForm, error: RoundError) -> None:
    """The service's message beside its field, else above the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _render_terms(
    form: TermsForm, proposal: Proposal, round_: Round | None, *, stale: bool = False
) -> ResponseReturnValue:
    status = 409 if stale else (400 if form.errors else 200)
    return render_template(
        "rounds/terms.html",
        form=form,
        proposal=proposal,
        round=round_,
        stale=stale,
        instrument_label=instrument_label,
    ), status


@bp.route("/proposals/<int:proposal_id>/round/new", methods=["GET", "POST"])
@login_required
def new(proposal_id: int) -> ResponseReturnValue:
    user = _user()
    proposal = managed_proposal(proposal_id)
    if request.method == "GET":
        if services.open_round(proposal) is not None:
            flash(_("This proposal already has an open round: here it is."), "info")
            return _back(proposal)
        if proposal.status not in MAY_COMMIT:
            flash(
                _(
                    "A round can be opened once the proposal is accepted for Springbrett,"
                    " pitched or in dialogue."
                ),
                "warning",
            )
            return _back(proposal)
    form = _terms_form(user, None, proposal)
    if request.method == "POST" and _valid_terms(form, None):
        try:
            page.open_with_terms(proposal, user, _terms(form), oslo_today(utcnow()))
        except RoundError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            db.session.commit()
            flash(_("The round is open: investors can register soft commitments."), "success")
            return _back(proposal)
    return _render_terms(form, proposal, None)


@bp.route("/proposals/<int:proposal_id>/round/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id: int) -> ResponseReturnValue:
    user = _user()
    proposal = managed_proposal(proposal_id)
    round_ = services.open_round(proposal)
    if round_ is None:
        flash(_("This proposal has no open round to change."), "warning")
        return _back(proposal)
    form = _terms_form(user, round_, proposal)
    if request.method == "POST" and _valid_terms(form, round_):
        before = services.totals(round_)
        try:
            page.change_terms(round_, form.version.data, _terms(form), oslo_today(utcnow()))
        except StaleRound as error:
            db.session.rollback()
            # What was typed stays; the version is now the one shown beside it,
            # so saving again knowingly replaces the current terms.
            form.form_errors.append(str(error))
            form.version.data = str(round_.version)
            return _render_terms(form, proposal, round_, stale=True)
        except RoundError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            db.session.commit()
            flash(_("The round's terms are saved."), "success")
            if before.total > round_.target:
                flash(
                    _(
                        "The target (%(target)s) is now below what investors have committed"
                        " (%(total)s). Their commitments stay as they are.",
                        target=format_kroner(round_.target),
                        total=format_kroner(before.total),
                    ),
                    "info",
                )
            return _back(proposal)
    return _render_terms(form, proposal, round_)


# The lead --------------------------------------------------------------------------


@bp.post("/proposals/<int:proposal_id>/round/lead")
@login_required
def choose_lead(proposal_id: int) -> ResponseReturnValue:
    proposal = visible_proposal(proposal_id)
    if not _user().is_organiser:
        abort(403)
    round_ = services.open_round(proposal)
    form = LeadForm()
    if round_ is None:
        flash(_("This proposal has no open round."), "warning")
        return _back(proposal)
    chosen = request.form.get("lead", "").strip()
    investor_id = parse_id(chosen) if chosen else None
    if chosen and investor_id is None:
        flash(_("Choose one of the investors who offered to lead, or no lead."), "danger")
        return _back(proposal)
    try:
        changed = page.choose_lead(round_, form.version.data, investor_id)
    except RoundError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _back(proposal)
    db.session.commit()
    if not changed:
        flash(_("The lead is unchanged."), "info")
    elif round_.lead is None:
        flash(_("The round has no lead investor now."), "success")
    else:
        flash(
            _(
                "%(name)s is proposed as lead investor. The founder is asked by e-mail to agree.",
                name=round_.lead.name,
            ),
            "success",
        )
    return _back(proposal)


@bp.post("/proposals/<int:proposal_id>/round/lead/agree")
@login_required
def agree_lead(proposal_id: int) -> ResponseReturnValue:
    user = _user()
    proposal = visible_proposal(proposal_id)
    if not is_owner(user, proposal):
        abort(403)
    round_ = services.open_round(proposal)
    if round_ is None:
        flash(_("This proposal has no open round."), "warning")
        return _back(proposal)
    form = VersionForm()
    try:
        lead = page.agree_lead(round_, form.version.data, user)
    except RoundError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return _back(proposal)
    db.session.commit()
    flash(
        _("You have agreed that %(name)s leads the round. They are told.", name=lead.name),
        "success",
    )
    return _back(proposal)


# The round on the proposal page ------------------------------------------------------


@dataclass(frozen=True)
class RoundSummary:
    """What the proposal page shows of its round to the current user."""

    round: Round | None
    totals: Totals | None
    mine: Commitment | None
    manages: bool
    may_open: bool
    may_commit: bool
    state: str


@bp.app_template_global("round_summary")
def round_summary(proposal: Proposal) -> RoundSummary | None:
    """The proposal's round as the current user may see it (None: nothing to show)."""
    user = _user()
    if not user.is_authenticated or not may_see_round(user, proposal):
        return None
    round_ = services.current_round(proposal)
    manages = may_manage_round(user, proposal)
    may_open = manages and proposal.status in MAY_COMMIT and services.open_round(proposal) is None
    committing = may_commit(user, proposal)
    if round_ is None and not (may_open or committing):
        return None
    sees_totals = manages or bool(round_ is not None and round_.totals_visible)
    mine = services.commitment_of(round_, user) if round_ is not None and user.is_investor else None
    return RoundSummary(
        round=round_,
        totals=services.totals(round_) if round_ is not None and sees_totals else None,
        mine=mine if mine is not None and mine.is_active else None,
        manages=manages,
        may_open=may_open,
        may_commit=committing,
        state=state_label(round_.state) if round_ is not None else "",
    )
