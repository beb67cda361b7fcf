"""Recording a round's outcome: ``GET/POST /proposals/<id>/round/close``.

For the founder and organisers (``may_manage_round``). Other founders and
people who may not see the round get 404, like the round itself; approved
investors who may see it get 403. Closing is irreversible, so the valid
first POST answers with the confirm step (docs/confirm-steps.md) that says
what will happen and carries what was typed; "Yes" (``confirm=1``) claims
the round's version, records the outcome and commits.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaking.accounts.models import User
from matchmaking.dates import day, oslo_today
from matchmaking.extensions import db, utcnow
from matchmaking.formtools import ConfirmStep, confirm_page
from matchmaking.money import format_kroner
from matchmaking.proposals.models import Instrument, Proposal
from matchmaking.rounds import services
from matchmaking.rounds.access import may_manage_round, may_see_round
from matchmaking.rounds.blueprint import bp
from matchmaking.rounds.close import services as close
from matchmaking.rounds.close.forms import FUNDED, NOT_FUNDED, OUTSIDE_MAX, OUTSIDE_ROWS, CloseForm
from matchmaking.rounds.models import CloseReason, Commitment, Round
from matchmaking.rounds.notifications import reason_label
from matchmaking.rounds.services import RoundError


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def _managed(proposal_id: int) -> Proposal:
    """The proposal; 404 unless the user may see its round, 403 unless they manage it."""
    user = _user()
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not may_see_round(user, proposal):
        abort(404)
    if not may_manage_round(user, proposal):
        abort(403)
    return proposal


def _prefill(form: CloseForm, round_: Round, committed: list[Commitment]) -> None:
    form.version.data = str(round_.version)
    form.instrument.data = round_.instrument.value
    form.funded_on.data = oslo_today(utcnow())
    for commitment in committed:
        form.network.append_entry({"investor": str(commitment.investor_id)})
        form.network.entries[-1].form.amount.process_data(commitment.amount)


def _label_rows(form: CloseForm, committed: list[Commitment]) -> None:
    """Each row's fields named for a screen reader: the investor, or the row's number."""
    by_id = {str(c.investor_id): c for c in committed}
    form.network.entries = [e for e in form.network.entries if e.form.investor.data in by_id]
    for entry in form.network.entries:
        commitment = by_id[entry.form.investor.data]
        entry.form.amount.label.text = _(
            "%(name)s (committed %(amount)s)",
            name=commitment.investor.name,
            amount=format_kroner(commitment.amount),
        )
    for n, entry in enumerate(form.outside.entries, start=1):
        entry.form.name.label.text = _("Outside investor %(n)s: name", n=n)
        entry.form.amount.label.text = _("Outside investor %(n)s: amount", n=n)


def _lines(form: CloseForm) -> tuple[list[close.Invested], bool]:
    """What was invested, by whom, and whether every outside row is complete
    (an incomplete one gets its message beside it)."""
    lines: list[close.Invested] = []
    ok = True
    for entry in form.network.entries:
        amount = entry.form.amount.amount
        if amount:
            lines.append(close.Invested(amount=amount, investor_id=int(entry.form.investor.data)))
    for entry in form.outside.entries:
        name, amount = entry.form.name.data or "", entry.form.amount.amount
        if name and not amount:
            if not entry.form.amount.errors:
                entry.form.amount.errors = [_("Write the amount %(name)s invested.", name=name)]
            ok = False
        elif amount and not name:
            entry.form.name.errors = [_("Write who invested this amount.")]
            ok = False
        elif name and amount:
            lines.append(close.Invested(amount=amount, outside_name=name))
        if entry.form.errors:
            ok = False
    return lines, ok


_FUNDED_FIELDS = ("raised", "funded_on", "instrument", "pre_money", "network", "outside")
_NOT_FUNDED_FIELDS = ("reason", "words")


def _clear(field: Any) -> None:
    """Drop a field's errors (and its rows' errors)."""
    field.errors = []
    for entry in getattr(field, "entries", []):
        for sub in entry.form:
            sub.errors = []


def _check(form: CloseForm, round_: Round) -> list[close.Invested] | None:
    """Validate the form as typed, every message at once beside its field (and
    in the summary at the top of the page). The lines when valid."""
    form.validate()
    form.raised_confirmed.errors = []  # asked on the confirm step, not here
    if form.outcome.data not in (FUNDED, NOT_FUNDED):
        form.outcome.errors = [_("Choose funded or closed without funding.")]
        return None
    # Only the fields of the chosen outcome count; the others' input is kept as typed.
    ignored = _FUNDED_FIELDS if form.outcome.data == NOT_FUNDED else _NOT_FUNDED_FIELDS
    for name in ignored:
        _clear(form[name])
    valid = not form.errors
    if form.outcome.data == NOT_FUNDED:
        if not form.reason.data:
            form.reason.errors = [_("Choose why the round closed without funding.")]
            return None
        return [] if valid else None
    lines, rows_ok = _lines(form)
    problems = close.funded_problems(
        round_,
        raised=form.raised.amount,
        funded_on=form.funded_on.data,
        pre_money=form.pre_money.amount,
        investments=lines,
        today=oslo_today(utcnow()),
    )
    for problem in problems:
        # A field's own message (what was typed is not a number, a date) comes first.
        if not (problem.field and form[problem.field].errors):
            _beside(form, problem)
    if not valid or not rows_ok or problems:
        return None
    return lines


def _beside(form: CloseForm, exc: RoundError) -> None:
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _form_page(
    form: CloseForm, proposal: Proposal, round_: Round, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "rounds/close.html", form=form, proposal=proposal, round=round_, outside_max=OUTSIDE_MAX
    ), status


#: What the confirm step does not carry: it posts them itself.
_NOT_CARRIED = ("csrf_token", "confirm", "back", "raised_confirmed")


def _far_above(form: CloseForm, round_: Round) -> bool:
    return form.outcome.data == FUNDED and close.far_above_target(round_, form.raised.amount)


def _step(
    form: CloseForm, proposal: Proposal, round_: Round, lines: list[close.Invested]
) -> ConfirmStep:
    carry = {k: v for k, v in request.form.items() if k not in _NOT_CARRIED}
    title = proposal.title
    cancel = url_for("rounds.show", proposal_id=proposal.id)
    back = _("Go back to the form to change it")
    if form.outcome.data == FUNDED:
        raised = format_kroner(form.raised.amount or 0)
        check: list[str] = []
        fields: list[Any] = []
        if _far_above(form, round_):
            # Oversubscription is real, so it is asked about, not refused.
            check = [
                _(
                    "The amount raised, %(raised)s, is more than twice the round's target"
                    " (%(target)s). Rounds are sometimes oversubscribed, but check the"
                    " number of zeros.",
                    raised=raised,
                    target=format_kroner(round_.target),
                )
            ]
            form.raised_confirmed.label.text = _(
                "Yes, %(raised)s is right: the round raised more than twice its target",
                raised=raised,
            )
            fields = [form.raised_confirmed]
        return ConfirmStep(
            heading=_("Record “%(title)s” as funded?", title=title),
            yes=_("Yes, record the round as funded"),
            cancel=cancel,
            explain=[
                _(
                    "The round closes as funded: %(raised)s raised on %(day)s, "
                    "from %(count)s investors recorded.",
                    raised=raised,
                    day=day(form.funded_on.data),
                    count=len(lines),
                ),
                _("The proposal moves to “funded” on its timeline."),
                _(
                    "The founder is congratulated by e-mail, the investors who invested are "
                    "thanked, and those who committed but did not invest are told the round has closed."
                ),
            ],
            warnings=[
                *check,
                _(
                    "Closing is final: the outcome and the investments cannot be changed afterwards."
                ),
                _("Commitments can no longer be changed or withdrawn."),
            ],
            carry=carry,
            fields=fields,
            back=back,
        )
    return ConfirmStep(
        heading=_("Close the round for “%(title)s” without funding?", title=title),
        yes=_("Yes, close the round without funding"),
        cancel=cancel,
        explain=[
            _("Reason: %(reason)s.", reason=reason_label(CloseReason(form.reason.data))),
            _(
                "The founder and the investors with a commitment are told by e-mail, "
                "with the reason. The proposal keeps its status; a new round may be opened later."
            ),
        ],
        warnings=[
            _("Closing is final: the round cannot be opened again."),
            _("Commitments can no longer be changed or withdrawn."),
        ],
        carry=carry,
        back=back,
    )


@bp.app_template_filter("close_reason")
def close_reason_filter(reason: CloseReason | None) -> str:
    """Why a round closed without funding, in words (templates/rounds/_outcome.html)."""
    return reason_label(reason)


@bp.route("/proposals/<int:proposal_id>/round/close", methods=["GET", "POST"], endpoint="close")
@login_required
def close_round(proposal_id: int) -> ResponseReturnValue:
    proposal = _managed(proposal_id)
    round_ = services.open_round(proposal)
    if round_ is None:
        flash(_("This proposal has no open round to close."), "warning")
        return redirect(url_for("rounds.show", proposal_id=proposal.id))
    committed = services.active_commitments(round_)
    form = CloseForm()
    if request.method == "GET":
        _prefill(form, round_, committed)
        _label_rows(form, committed)
        return _form_page(form, proposal, round_)
    _label_rows(form, committed)
    if "back" in request.form:
        # From the confirm step: the form again, as typed, to change it.
        return _form_page(form, proposal, round_)
    if "more" in request.form:
        for _n in range(OUTSIDE_ROWS):
            if len(form.outside.entries) < OUTSIDE_MAX:
                form.outside.append_entry()
        _label_rows(form, committed)
        return _form_page(form, proposal, round_)
    lines = _check(form, round_)
    if lines is None:
        return _form_page(form, proposal, round_, 400)
    if request.form.get("confirm") != "1":
        if form.version.data != str(round_.version):
            return _stale(form, proposal, round_)
        return confirm_page(_step(form, proposal, round_, lines), form)
    if _far_above(form, round_) and not form.raised_confirmed.data:
        step = _step(form, proposal, round_, lines)
        form.raised_confirmed.errors = [
            _("Tick the box if the amount raised is right, or go back and change it.")
        ]
        return confirm_page(step, form)
    if not services.claim_version(round_, form.version.data):
        return _stale(form, proposal, round_)
    try:
        if form.outcome.data == FUNDED:
            close.close_funded(
                round_,
                _user(),
                raised=form.raised.amount,
                funded_on=form.funded_on.data,
                instrument=Instrument(form.instrument.data),
                pre_money=form.pre_money.amount,
                investments=lines,
                today=oslo_today(utcnow()),
            )
            done = _("The round is recorded as funded. Congratulations!")
        else:
            close.close_not_funded(
                round_, _user(), reason=CloseReason(form.reason.data), words=form.words.data or ""
            )
            done = _("The round is closed without funding.")
    except RoundError as exc:
        db.session.rollback()
        _beside(form, exc)
        return _form_page(form, proposal, round_, 400)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("rounds.show", proposal_id=proposal.id))


def _stale(form: CloseForm, proposal: Proposal, round_: Round) -> ResponseReturnValue:
    """Someone else changed the round since the form was shown: the form again,
    with what was typed and the round as it is now."""
    db.session.rollback()
    round_ = db.session.get(Round, round_.id) or round_
    form.form_errors.append(
        _(
            "Someone else changed this round while you were filling in the form. "
            "Check the round as it is now, then record the outcome again."
        )
    )
    form.version.data = str(round_.version)
    if not round_.is_open:
        flash(_("This round has already closed: its outcome is recorded."), "warning")
        return redirect(url_for("rounds.show", proposal_id=proposal.id))
    return _form_page(form, proposal, round_, 409)
