"""Loading the demo data: get-or-create by slug, e-mail or title, so nothing is added twice."""

from __future__ import annotations

from sqlalchemy import func, select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.accounts.services import create_user, find_by_email
from matchmaking.demo import data
from matchmaking.extensions import db
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject


def database_is_empty() -> bool:
    """True when no user and no reference data exist yet (a first start)."""
    return not db.session.scalar(select(func.count()).select_from(User)) and not db.session.scalar(
        select(func.count()).select_from(Region)
    )


def _get_or_add(model: type, slug: str, **values: object) -> object:
    row = db.session.scalar(select(model).where(model.slug == slug))  # type: ignore[attr-defined]
    if row is None:
        row = model(slug=slug, **values)
        db.session.add(row)
        db.session.flush()
    return row


def load_reference_data() -> None:
    for slug, name_nb, name_en, municipalities in data.REGIONS:
        region = _get_or_add(Region, slug, name_nb=name_nb, name_en=name_en)
        for m_slug, m_name in municipalities:
            _get_or_add(Municipality, m_slug, name=m_name, region_id=region.id)  # type: ignore[attr-defined]
    for slug, name_nb, name_en in data.SUBPROJECTS:
        _get_or_add(Subproject, slug, name_nb=name_nb, name_en=name_en)
    for position, (slug, name_nb, name_en) in enumerate(data.STAGES):
        _get_or_add(Stage, slug, name_nb=name_nb, name_en=name_en, position=position)
    for slug, name_nb, name_en in data.SECTORS:
        _get_or_add(Sector, slug, name_nb=name_nb, name_en=name_en)


def load_demo_users() -> list[User]:
    users = []
    for email, name, role, status in data.DEMO_USERS + data.MORE_DEMO_USERS:
        user = find_by_email(email)
        if user is None:
            user = create_user(
                email=email,
                name=name,
                password=data.DEMO_PASSWORD,
                role=Role(role),
                confirmed=True,
                investor_status=InvestorStatus(status) if status else None,
            )
        users.append(user)
    return users


def load() -> list[User]:
    """Load everything; running it again adds nothing twice. Flushes, never commits.

    The demo proposals' decks are written to ``DECK_DIR``.
    """
    from matchmaking.demo.events import load_events, load_meeting_requests
    from matchmaking.demo.investors import load_investors
    from matchmaking.demo.proposals import load_proposals
    from matchmaking.demo.rounds import load_rounds

    load_reference_data()
    users = load_demo_users()
    load_proposals()
    load_investors()
    load_events()
    _recompute_matches()
    load_meeting_requests()  # from the match scores
    load_rounds()  # from the proposals' timelines
    return users


def _recompute_matches() -> None:
    """Score every demo investor against the demo proposals."""
    from matchmaking.matches.services import recompute_all

    recompute_all()
