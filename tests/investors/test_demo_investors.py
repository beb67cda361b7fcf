"""The demo investors: a dozen approved with varied profiles, two pending, nothing twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.demo import services
from matchmaking.demo.data import DEMO_PASSWORD
from matchmaking.demo.investors import INVESTORS
from matchmaking.investors.models import InvestorDecision, InvestorProfile


def _load(app: Flask, db: Any) -> None:
    with app.test_request_context():
        services.load()
        db.session.commit()


def _counts(db: Any) -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (User, InvestorProfile, InvestorDecision)
    )


@pytest.fixture
def decks(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setitem(app.config, "DECK_DIR", str(tmp_path))
    return tmp_path


def test_demo_investors_load_once(app: Flask, db: Any, decks: Path) -> None:
    _load(app, db)
    first = _counts(db)
    _load(app, db)
    assert _counts(db) == first

    investors = list(db.session.scalars(select(User).where(User.role == Role.INVESTOR)))
    approved = [u for u in investors if u.investor_status is InvestorStatus.APPROVED]
    pending = [u for u in investors if u.investor_status is InvestorStatus.PENDING]
    assert len(approved) >= 12
    assert len(pending) >= 2
    assert all(u.email.endswith("@demo.banofoten.no") for u in investors)
    demo = next(u for u in investors if u.email == "investor@demo.banofoten.no")
    assert demo.check_password(DEMO_PASSWORD)

    profiles = {p.user_id: p for p in db.session.scalars(select(InvestorProfile))}
    assert all(u.id in profiles for u in investors)  # the existing demo investor too
    # Varied: several sectors, both regions, single municipalities, every digest choice.
    sectors = {s.slug for p in profiles.values() for s in p.sectors}
    assert {"marine", "tourism", "industry", "energy"} <= sectors
    assert {r.slug for p in profiles.values() for r in p.regions} == {"ofoten", "sor-troms"}
    assert any(p.municipalities for p in profiles.values())
    assert {p.digest_frequency.value for p in profiles.values()} == {"never", "weekly", "daily"}
    for p in profiles.values():
        assert 0 <= p.ticket_min <= p.ticket_max <= 10_000_000_000
        assert len(p.thesis) > 80
    assert any(p.organisation == "Ofoten Invest AS" for p in profiles.values())
    # Every profile names reference rows that exist (no slug slipped).
    for spec in INVESTORS:
        user = next(u for u in investors if u.email == spec.email)
        profile = profiles[user.id]
        assert len(profile.sectors) == len(spec.sectors)
        assert len(profile.regions) == len(spec.regions)
        assert len(profile.municipalities) == len(spec.municipalities)
        assert len(profile.subprojects) == len(spec.subprojects)


def test_a_demo_investor_can_log_in_and_see_the_profile(
    app: Flask, db: Any, decks: Path, client: Any
) -> None:
    _load(app, db)
    response = client.post(
        "/auth/login",
        data={"email": "kristin.nilsen@demo.banofoten.no", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    page = client.get("/investor/profile").get_data(as_text=True)
    assert "Nilsen Havbruk Holding AS" in page
    assert "Efjorden" in page
