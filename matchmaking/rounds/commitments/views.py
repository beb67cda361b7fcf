"""An investor's soft commitment and their portfolio.

``GET/POST /proposals/<id>/round/commitment``
    Register or change one's soft commitment (approved investors who may see
    the proposal; others 403, a proposal they may not see 404). While the
    proposal takes no commitments, or its round has closed, the page says why
    and shows no form; a POST then goes back to the round page with that message.
``POST /proposals/<id>/round/commitment/withdraw``
    Withdraw it, after the confirm step (docs/confirm-steps.md).
``GET /investor/portfolio``
    The investor's commitments and investments (a pending investor is told
    what the page will hold once approved).

The rules are ``services.commit`` and ``services.withdraw``; a broken rule's
message goes beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from matchmaking.accounts.access import roles_required
from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.extensions import db
from matchmaking.formtools import ConfirmActionForm, ConfirmStep, confirm_page, confirmed
from matchmaking.money import format_kroner
from matchmaking.proposals.models import Proposal
from matchmaking.proposals.services import status_label
from matchmaking.rounds import services
from matchmaking.rounds.access import may_commit, may_see_round
from matchmaking.rounds.blueprint import bp
from matchmaking.rounds.commitments import portfolio as folio
from matchmaking.rounds.commitments.forms import CommitmentForm
from matchmaking.rounds.models import Commitment
from matchmaking.rounds.services import RoundError

investor_required = roles_required(Role.INVESTOR)


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def _approved_investor() -> User:
    """The current user, an approved investor (a pending one: 403)."""
    user = _user()
    if not user.is_approved_investor:
        abort(403)
    return user


def _visible(user: User, proposal_id: int) -> Proposal:
    """The proposal, or 404 unless ``user`` may see its round."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not may_see_round(user, proposal):
        abort(404)
    return proposal


def why_not(user: User, proposal: Proposal) -> str | None:
    """Why ``user`` cannot register or change a commitment to ``proposal`` now,
    in words; None when they can."""
    if services.open_round(proposal) is None and services.rounds_of(proposal):
        return str(
            _("The round has closed: soft commitments can no longer be registered or changed.")
        )
    if not may_commit(user, proposal):
        return str(
            _(
                "Soft commitments can be registered while a proposal is accepted for Springbrett, pitched or in dialogue. “%(title)s” is now “%(status)s”.",
                title=proposal.title,
                status=status_label(proposal.status),
            )
        )
    return None


def _round_page(proposal: Proposal) -> str:
    return url_for("rounds.show", proposal_id=proposal.id)


def _prefill(mine: Commitment) -> dict[str, object]:
    return {
        "amount": mine.amount,
        "conditions": mine.conditions,
        "would_lead": mine.would_lead,
        "named_to_founder": mine.named_to_founder,
    }


def _render(
    user: User,
    proposal: Proposal,
    form: CommitmentForm | None,
    status: int = 200,
    reason: str | None = None,
) -> ResponseReturnValue:
    round_ = services.open_round(proposal)
    mine = services.commitment_of(round_, user) if round_ is not None else None
    target = round_.target if round_ is not None else proposal.ask
    min_ticket = round_.min_ticket if round_ is not None else proposal.min_ticket
    if form is not None:
        form.amount.description = _(
            "At least %(min)s (the smallest ticket), at most %(target)s (the target). Whole kroner, like 500000 or 500 000.",
            min=format_kroner(min_ticket),
            target=format_kroner(target),
        )
    return (
        render_template(
            "rounds/commitment.html",
            proposal=proposal,
            round=round_,
            mine=mine,
            form=form,
            reason=reason,
            target=target,
            min_ticket=min_ticket,
            instrument=folio.instrument_label(
                round_.instrument if round_ is not None else proposal.instrument
            ),
        ),
        status,
    )


def _put_beside(form: CommitmentForm, error: RoundError) -> None:
    """The rule's message beside the field it names (else above the form)."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _registered(made: Commitment, proposal: Proposal, changed: bool) -> str:
    """The flash: what was registered, in words."""
    amount = format_kroner(made.amount)
    if changed:
        words = [
            _(
                "Your soft commitment to “%(title)s” is changed to %(amount)s.",
                title=proposal.title,
                amount=amount,
            )
        ]
    else:
        words = [
            _(
                "Your soft commitment of %(amount)s to “%(title)s” is registered.",
                title=proposal.title,
                amount=amount,
            )
        ]
    if made.would_lead:
        words.append(_("You offered to lead the round."))
    if made.named_to_founder:
        words.append(_("The founder sees your name."))
    else:
        words.append(_("The founder does not see your name."))
    return " ".join(words)


@bp.route("/proposals/<int:proposal_id>/round/commitment", methods=["GET", "POST"])
@investor_required
def commitment(proposal_id: int) -> ResponseReturnValue:
    user = _approved_investor()
    proposal = _visible(user, proposal_id)
    reason = why_not(user, proposal)
    if reason is not None:
        if request.method == "POST":
            flash(reason, "danger")
            return redirect(_round_page(proposal))
        return _render(user, proposal, None, reason=reason)
    round_ = services.open_round(proposal)
    mine = services.commitment_of(round_, user) if round_ is not None else None
    if request.method == "GET" and mine is not None:
        form = CommitmentForm(data=_prefill(mine))
    else:
        form = CommitmentForm()
    if not form.validate_on_submit():
        return _render(user, proposal, form, 400 if form.is_submitted() else 200)
    changed = mine is not None and mine.is_active
    try:
        made = services.commit(
            proposal,
            user,
            amount=form.amount.amount,
            conditions=form.conditions.data or "",
            would_lead=bool(form.would_lead.data),
            named_to_founder=bool(form.named_to_founder.data),
        )
    except RoundError as exc:
        db.session.rollback()
        _put_beside(form, exc)
        return _render(user, proposal, form, 400)
    db.session.commit()
    flash(_registered(made, proposal, changed), "success")
    return redirect(_round_page(proposal))


@bp.post("/proposals/<int:proposal_id>/round/commitment/withdraw")
@investor_required
def withdraw_commitment(proposal_id: int) -> ResponseReturnValue:
    user = _approved_investor()
    proposal = _visible(user, proposal_id)
    back = _round_page(proposal)
    round_ = services.current_round(proposal)
    mine = services.commitment_of(round_, user) if round_ is not None else None
    if round_ is None or mine is None or not mine.is_active:
        flash(_("You have no soft commitment to withdraw in this round."), "info")
        return redirect(back)
    form = ConfirmActionForm()
    # A closed round is not asked about: the service says why it cannot be done.
    if round_.is_open and not confirmed(form):
        return confirm_page(_withdraw_step(proposal, mine, back), form)
    try:
        services.withdraw(mine)
    except RoundError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(back)
    db.session.commit()
    flash(
        _(
            "Your soft commitment to “%(title)s” is withdrawn. You can register one again while the round is open.",
            title=proposal.title,
        ),
        "success",
    )
    return redirect(back)


def _withdraw_step(proposal: Proposal, mine: Commitment, back: str) -> ConfirmStep:
    warnings = []
    if mine.round.lead_id == mine.investor_id:
        warnings.append(
            _(
                "You are the round's lead investor. Withdrawing ends that too: the organisers choose the lead again."
            )
        )
    return ConfirmStep(
        heading=_("Withdraw your soft commitment to “%(title)s”?", title=proposal.title),
        yes=_("Yes, withdraw my commitment"),
        cancel=back,
        explain=[
            _(
                "Your commitment of %(amount)s no longer counts in the round: not in its total, nor in the number of investors.",
                amount=format_kroner(mine.amount),
            ),
            _(
                "While the round is open you can register a commitment again; the form then holds what you wrote."
            ),
        ],
        warnings=warnings,
    )


@bp.get("/investor/portfolio")
@investor_required
def portfolio() -> ResponseReturnValue:
    user = _user()
    approved = user.is_approved_investor
    return render_template(
        "rounds/portfolio.html",
        approved=approved,
        rejected=user.investor_status is InvestorStatus.REJECTED,
        portfolio=folio.portfolio_of(user) if approved else None,
        instrument_label=folio.instrument_label,
        round_state_label=folio.round_state_label,
    )


# Entry points on other pages ---------------------------------------------------------


@dataclass(frozen=True)
class CommitmentOffer:
    """A link to the commitment form: "Register a soft commitment", or "Change
    your commitment" when the investor has an active one in the open round."""

    url: str
    changing: bool

    @property
    def label(self) -> str:
        if self.changing:
            return str(_("Change your commitment"))
        return str(_("Register a soft commitment"))


def _per_request(name: str, load: Callable[[], set[int]]) -> set[int]:
    """``load()``, once per request (a page lists many proposals)."""
    cached: set[int] | None = g.get(name)
    if cached is None:
        cached = load()
        setattr(g, name, cached)
    return cached


@bp.app_template_global()
def commitment_offer(proposal: Proposal) -> CommitmentOffer | None:
    """The link to register (or change) a commitment to ``proposal``, for the
    matches list, the proposal page and the meeting outcomes; None when the
    current user may not commit to it now. Two queries a request, whatever
    the number of proposals on the page."""
    user = _user()
    if not may_commit(user, proposal):
        return None
    if proposal.id in _per_request("_rounds_closed_ids", folio.closed_round_proposal_ids):
        return None
    committed = _per_request("_rounds_committed_ids", lambda: folio.committed_proposal_ids(user))
    return CommitmentOffer(
        url=url_for("rounds.commitment", proposal_id=proposal.id),
        changing=proposal.id in committed,
    )
