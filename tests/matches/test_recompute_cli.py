"""``flask --app wsgi matches recompute``: prints what it did, nothing twice, clean errors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.models import MatchScore


@pytest.fixture
def investors(db: Any, reference: None, make_user: Any) -> list[Any]:
    users = [make_user("investor", approved=True) for _ in range(2)]
    for user in users:
        db.session.add(InvestorProfile(user_id=user.id, display_name=user.name, ticket_max=10**7))
    db.session.commit()
    return users


def count(db: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(MatchScore)))


def test_recompute_stores_the_pairs_and_says_so(
    app: Any, db: Any, investors: list[Any], make_proposal: Any
) -> None:
    make_proposal()
    make_proposal(title="Nordlys", sector="tourism")
    make_proposal(title="Kladd", status="draft")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["matches", "recompute"])
    assert first.exit_code == 0, first.output
    assert "ranked 2 investors against 2 matchable proposals" in first.output
    assert "4 pairs stored (4 new, 0 changed, 0 removed)" in first.output
    assert count(db) == 4
    second = runner.invoke(args=["matches", "recompute"])
    assert second.exit_code == 0, second.output
    assert "4 pairs stored (0 new, 0 changed, 0 removed)" in second.output
    assert count(db) == 4


def test_recompute_one_investor_or_one_proposal(
    app: Any, db: Any, investors: list[Any], make_proposal: Any
) -> None:
    proposal = make_proposal()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["matches", "recompute", "--investor", str(investors[0].id)])
    assert result.exit_code == 0, result.output
    assert f"(investor {investors[0].id})" in result.output
    assert "1 pairs stored (1 new" in result.output
    result = runner.invoke(args=["matches", "recompute", "--proposal", str(proposal.id)])
    assert result.exit_code == 0, result.output
    assert "2 pairs stored (1 new, 0 changed, 0 removed)" in result.output
    assert count(db) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "no such option"),
        (["--investor", "abc"], "not a valid integer"),
        (["--investor", "2147483648"], "not a valid integer id (1 to 2147483647)"),
        (["--proposal", "99999999999999999999999"], "not a valid integer id"),
        (["--proposal", "²"], "not a valid integer id"),
        (["--proposal", "٣"], "not a valid integer id"),
        (["--investor", "999999"], "no user with id 999999"),
        (["--proposal", "999999"], "no proposal with id 999999"),
        (["--investor", "1", "--proposal", "1"], "not both"),
        (["extra"], "unexpected extra argument"),
    ],
)
def test_bad_options_end_with_error_and_status_2(
    app: Any, db: Any, reference: None, args: list[str], message: str
) -> None:
    result = app.test_cli_runner().invoke(args=["matches", "recompute", *args])
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert message in result.output.lower()
    assert "Traceback" not in result.output
