"""Helpers for the introduction tests: an investor with a profile, a founder with a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchmaking.accounts.models import User
from matchmaking.investors.models import InvestorProfile


@pytest.fixture
def make_investor(db: Any, make_user: Callable[..., User]) -> Callable[..., User]:
    """An investor (approved unless told) with an interest profile."""

    def factory(
        *,
        name: str = "Kari Nordmann",
        organisation: str | None = "Ofoten Invest AS",
        email: str | None = None,
        approved: bool = True,
        locale: str = "nb",
    ) -> User:
        user = make_user("investor", approved=approved, email=email, name=name, locale=locale)
        db.session.add(
            InvestorProfile(user_id=user.id, display_name=name, organisation=organisation)
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def founder_proposal(
    db: Any, make_user: Callable[..., User], make_proposal: Callable[..., Any]
) -> Callable[..., Any]:
    """A founder's proposal whose company has a contact person with a phone."""

    def factory(status: str = "submitted", locale: str = "nb", **kwargs: Any) -> Any:
        founder = make_user("entrepreneur", name="Solveig Sjøberg", locale=locale)
        proposal = make_proposal(founder, status=status, **kwargs)
        company = proposal.company
        company.contact_name = "Solveig Sjøberg"
        company.contact_email = "kontakt@sjoberg-havbruk.no"
        company.contact_phone = "+47 976 54 321"
        db.session.commit()
        return proposal

    return factory


def login(client: Any, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
