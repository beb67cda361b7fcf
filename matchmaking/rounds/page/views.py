"""The round page: ``GET /proposals/<id>/round``.

For the founder, organisers and approved investors who may see the
proposal's confidential part (others: 404, like the proposal itself).
Organisers see every commitment with names; the founder the total, the
count, and the names of investors who chose to be named; other investors
their own commitment, and the total and count when organisers show them.
"""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from matchmaking.accounts.models import User
from matchmaking.extensions import db
from matchmaking.proposals.models import Proposal
from matchmaking.proposals.services import is_owner
from matchmaking.rounds import services
from matchmaking.rounds.access import may_commit, may_manage_round, may_see_round
from matchmaking.rounds.blueprint import bp


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def visible_proposal(proposal_id: int) -> Proposal:
    """The proposal, or 404 unless the current user may see its round."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not may_see_round(_user(), proposal):
        abort(404)
    return proposal


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
    if round_ is None:
        shown = []
    elif user.is_organiser:
        shown = services.active_commitments(round_)
    elif founder:
        shown = [c for c in services.active_commitments(round_) if c.named_to_founder]
    else:
        shown = []
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
    )
