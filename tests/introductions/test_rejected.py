"""A founder cannot hand contact details to an investor who lost approval."""

from __future__ import annotations

from typing import Any

import pytest

from matchmaking.accounts.models import InvestorStatus
from matchmaking.introductions.models import Introduction
from matchmaking.introductions.services import IntroductionError, accept


def test_accepting_a_request_from_a_rejected_investor_is_refused(
    app: Any, db: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    founder = make_user("entrepreneur")
    investor = make_user("investor", approved=True)
    proposal = make_proposal(founder, status="accepted")
    intro = Introduction(investor_id=investor.id, proposal_id=proposal.id, message="Hei")
    db.session.add(intro)
    investor.investor_status = InvestorStatus.REJECTED
    db.session.add(investor)
    db.session.commit()
    with (
        app.test_request_context(),
        pytest.raises(IntroductionError, match=r"ikke lenger godkjent|no longer approved"),
    ):
        accept(intro, founder, "")
    assert outbox == []
