"""The matches page for approved investors: ranked, explained, filtered, searched.

Thin: parse the form, call ``search``/``choices``, commit once, redirect.
Scores come from the stored ``MatchScore`` rows, never computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from matchmaking.accounts.access import roles_required
from matchmaking.accounts.models import Role
from matchmaking.db_utils import writes_on_get
from matchmaking.extensions import db
from matchmaking.matches import choices
from matchmaking.matches.forms import MatchFilterForm, NotInterestedForm, SaveForm, reason_label
from matchmaking.matches.search import (
    MatchFilters,
    ProposalMatch,
    explain_row,
    find_matches,
    profile_facts,
    proposal_match,
    saved_without_score,
)
from matchmaking.money import format_kroner
from matchmaking.numbers import page_arg
from matchmaking.proposals.models import Proposal
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject
from matchmaking.reference.services import active_choices
from matchmaking.security import safe_next

bp = Blueprint("matches", __name__, url_prefix="/matches")

F = TypeVar("F", bound=Callable[..., Any])
INTRODUCTION_ENDPOINT = "introductions.request_form"
FILTER_FIELDS = ("q", "sector", "stage", "municipality", "subproject", "ask_from", "ask_to")


def approved_investor_required(view: F) -> F:
    """Investors only (others 403, anonymous to login); pending investors 403 too."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_approved_investor:
            abort(403)
        return view(*args, **kwargs)

    return roles_required(Role.INVESTOR)(wrapped)  # type: ignore[return-value]


def _user() -> Any:
    return current_user._get_current_object()


def _matchable(proposal_id: int) -> Proposal:
    """A proposal an investor may act on: 404 for drafts, hidden statuses, unknown ids."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not choices.is_matchable(proposal):
        abort(404)
    return proposal


def _back(default: str | None = None, proposal: Proposal | None = None) -> str:
    """Where to return after an action: a same-site path under /matches/ (or the
    page of ``proposal``, where the save button also is), else the list."""
    target = safe_next(request.form.get("next") or request.args.get("next"))
    if target and target.startswith(url_for("matches.index")):
        return target
    if target and proposal is not None:
        page = url_for("proposals.detail", proposal_id=proposal.id)
        if target == page or target.startswith(page + "?"):
            return target
    return default or url_for("matches.index")


@bp.app_template_global("proposal_match")
def proposal_match_for_reader(proposal: Proposal) -> ProposalMatch | None:
    """For the proposal page: the reader's match score, its reasons and their
    choices, when the reader is an approved investor and the proposal is open
    to investors; else None (nothing is shown)."""
    user = _user()
    if not getattr(user, "is_approved_investor", False) or not choices.is_matchable(proposal):
        return None
    return proposal_match(user.id, proposal)


@bp.app_template_global()
def introduction_url(proposal_id: int) -> str:
    """The "request an introduction" page of ``proposal_id``."""
    return url_for(INTRODUCTION_ENDPOINT, proposal_id=proposal_id)


def _filter_form() -> MatchFilterForm:
    form = MatchFilterForm(request.args)
    for name, model, label in (
        ("sector", Sector, _("All sectors")),
        ("stage", Stage, _("All stages")),
        ("municipality", Municipality, _("All municipalities")),
        ("subproject", Subproject, _("All sub-projects")),
    ):
        chosen = request.args.get(name) or None
        form[name].choices = [("", label), *active_choices(model, key="slug", include=chosen)]
    form.validate()
    form.check_choices()
    return form


def _filters(form: MatchFilterForm, saved: bool) -> MatchFilters:
    """The filters to apply: a field with an error is left out (its message shows);
    a range whose "to" is below its "from" is left out whole."""
    bad_range = bool(form.ask_to.errors) and form.ask_to.amount is not None
    return MatchFilters(
        q="" if form.q.errors else (form.q.data or ""),
        sector=form.choice_value("sector"),
        stage=form.choice_value("stage"),
        municipality=form.choice_value("municipality"),
        subproject=form.choice_value("subproject"),
        ask_from=None if form.ask_from.errors or bad_range else form.ask_from.amount,
        ask_to=None if form.ask_to.errors else form.ask_to.amount,
        saved=saved,
    )


@bp.route("/")
@writes_on_get  # the visit is remembered: the home counts new matches from it
@roles_required(Role.INVESTOR)
def index() -> ResponseReturnValue:
    user = _user()
    if not user.is_approved_investor:
        return render_template("matches/pending.html")
    choices.mark_matches_seen(user)
    db.session.commit()
    if request.args.get("tab") == "hidden":
        return render_template(
            "matches/hidden.html",
            tab="hidden",
            query={},
            hidden=choices.hidden(user),
            reason_words=reason_label,
        )
    form = _filter_form()
    tab = "saved" if request.args.get("tab") == "saved" else "all"
    page_number = request.args.get("page", 1, type=page_arg)
    result = find_matches(user.id, _filters(form, saved=tab == "saved"), page_number)
    profile = profile_facts(user.id)
    query: dict[str, Any] = {k: request.args[k] for k in FILTER_FIELDS if request.args.get(k)}
    if tab == "saved":
        query_tab: dict[str, Any] = {**query, "tab": tab}
    else:
        query_tab = dict(query)

    def page_url(n: int) -> str:
        args = dict(query_tab)
        if n > 1:
            args["page"] = n
        return url_for("matches.index", **args)

    here = page_url(result.page)
    return render_template(
        "matches/index.html",
        form=form,
        result=result,
        why={row.proposal.id: explain_row(row, profile) for row in result.rows},
        tab=tab,
        query=query,
        here=here,
        page_url=page_url,
        kroner=format_kroner,
        filtered=bool(query),
        unscored=saved_without_score(user.id) if tab == "saved" and not query else [],
    )


@bp.route("/<int:proposal_id>/save", methods=["POST"])
@approved_investor_required
def toggle_save(proposal_id: int) -> ResponseReturnValue:
    proposal = _matchable(proposal_id)
    form = SaveForm()
    if not form.validate_on_submit():
        abort(400)
    saved = choices.toggle_saved(_user(), proposal)
    db.session.commit()
    if saved:
        flash(_("Saved “%(title)s”.", title=proposal.title), "success")
    else:
        flash(_("“%(title)s” is no longer saved.", title=proposal.title), "success")
    return redirect(_back(proposal=proposal))


@bp.route("/<int:proposal_id>/undo-not-interested", methods=["POST"])
@approved_investor_required
def undo_not_interested(proposal_id: int) -> ResponseReturnValue:
    """Take back a "not interested": the proposal is among the matches again."""
    proposal = _matchable(proposal_id)
    form = SaveForm()
    if not form.validate_on_submit():
        abort(400)
    choices.undo_not_interested(_user(), proposal)
    db.session.commit()
    flash(
        _("“%(title)s” is back among your matches.", title=proposal.title),
        "success",
    )
    return redirect(_back(proposal=proposal))


@bp.route("/<int:proposal_id>/not-interested", methods=["GET", "POST"])
@approved_investor_required
def not_interested(proposal_id: int) -> ResponseReturnValue:
    proposal = _matchable(proposal_id)
    form = NotInterestedForm()
    if request.method == "GET":
        form.next.data = _back(proposal=proposal)
    if form.validate_on_submit():
        try:
            choices.mark_not_interested(
                _user(), proposal, form.reason.data or "", form.reason_text.data or ""
            )
        except choices.ChoiceError as exc:
            form[exc.field or "reason"].errors = [exc.message]
        else:
            db.session.commit()
            flash(
                _(
                    "“%(title)s” is no longer among your matches. Thank you for saying why.",
                    title=proposal.title,
                ),
                "success",
            )
            return redirect(_back(proposal=proposal))
    status = 400 if form.errors else 200
    return render_template(
        "matches/not_interested.html", form=form, proposal=proposal, back=_back(proposal=proposal)
    ), status
