"""Loading the demo companies and proposals, their timelines, decks and reviews.

Get-or-create: a company is found by owner and name, a proposal by company
and title; only a proposal created now gets its timeline, deck and reviews,
so a second run adds nothing.

The timeline is written as ``ProposalEvent`` rows with plausible times
rather than through ``proposals.services.transition``: that would e-mail the
founders a few dozen times on every fresh ``make run``. Each path is checked
against the lifecycle (``TRANSITIONS``) so that it is one the service allows.
Every proposal past the draft has a deck, as submission requires one.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.accounts.services import find_by_email
from matchmaking.demo.pdf import pitch_deck
from matchmaking.demo.proposal_data import PROPOSALS, DemoProposal
from matchmaking.extensions import db, utcnow
from matchmaking.money import format_kroner
from matchmaking.proposals.lifecycle import MAY_COMMIT
from matchmaking.proposals.models import (
    Company,
    Instrument,
    Proposal,
    ProposalEvent,
    Status,
    TeamMember,
)
from matchmaking.proposals.orgnr import WEIGHTS, is_valid_orgnr
from matchmaking.proposals.services import TRANSITIONS, WITHDRAWABLE
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject
from matchmaking.screening.models import Criterion, Review, Score

S = Status
FOUNDER, ORGANISER = "founder", "organiser"
FIRST_REVIEWER = "arrangor@demo.banofoten.no"
SECOND_REVIEWER = "arrangor2@demo.banofoten.no"
#: Every demo login's e-mail ends with this.
DEMO_DOMAIN = "@demo.banofoten.no"

# Each step: the status reached, who made the move, the default comment.
_SUBMIT = (S.SUBMITTED, FOUNDER, "")
_SCREEN = (S.IN_SCREENING, ORGANISER, "Tatt inn til vurdering i screeningkomiteen.")
_ACCEPT = (S.ACCEPTED, ORGANISER, "Godkjent for neste Springbrett. Gratulerer!")
_PITCH = (S.PITCHED, ORGANISER, "Pitchet på Springbrett i Narvik.")
_DIALOGUE = (S.IN_DIALOGUE, ORGANISER, "I dialog med to investorer etter Springbrett.")
_REQUEST = (S.CHANGES_REQUESTED, ORGANISER, "")  # the proposal's reason
_DECLINE = (S.DECLINED, ORGANISER, "")  # the proposal's reason

PATHS: dict[Status, tuple[tuple[Status, str, str], ...]] = {
    S.DRAFT: (),
    S.SUBMITTED: (_SUBMIT,),
    S.IN_SCREENING: (_SUBMIT, _SCREEN),
    S.CHANGES_REQUESTED: (_SUBMIT, _SCREEN, _REQUEST),
    S.RESUBMITTED: (
        _SUBMIT,
        _SCREEN,
        _REQUEST,
        (S.RESUBMITTED, FOUNDER, "Vi har lagt til det dere ba om."),
    ),
    S.ACCEPTED: (_SUBMIT, _SCREEN, _ACCEPT),
    S.DECLINED: (_SUBMIT, _SCREEN, _DECLINE),
    S.PITCHED: (_SUBMIT, _SCREEN, _ACCEPT, _PITCH),
    S.IN_DIALOGUE: (_SUBMIT, _SCREEN, _ACCEPT, _PITCH, _DIALOGUE),
    S.FUNDED: (
        _SUBMIT,
        _SCREEN,
        _ACCEPT,
        _PITCH,
        _DIALOGUE,
        (S.FUNDED, ORGANISER, "Emisjonen er fulltegnet. Lykke til videre!"),
    ),
    S.WITHDRAWN: (_SUBMIT, (S.WITHDRAWN, FOUNDER, "Vi har fått banklån og trekker forslaget.")),
}

INSTRUMENT_NB = {
    Instrument.EQUITY: "Egenkapital (aksjer)",
    Instrument.CONVERTIBLE: "Konvertibelt lån",
    Instrument.LOAN: "Lån",
    Instrument.OTHER: "Annet",
}

# How each reviewer's score on each criterion strays from the proposal's quality.
_OFFSETS = (0, 1, -1, 0, 0, 1, -1)


def path_is_allowed(path: tuple[tuple[Status, str, str], ...]) -> bool:
    """True when every step of ``path`` (from draft) is a move the lifecycle allows."""
    current = S.DRAFT
    for to, _who, _comment in path:
        allowed = {m.to for m in TRANSITIONS[current]}
        if to is S.WITHDRAWN and current in WITHDRAWABLE:
            allowed.add(S.WITHDRAWN)
        if to is S.FUNDED and current in MAY_COMMIT:
            allowed.add(S.FUNDED)  # a funded round's close (proposals.services.record_funded)
        if to not in allowed:
            return False
        current = to
    return True


def valid_orgnr(base: str) -> str:
    """The first valid organisation number from the 8-digit ``base`` upwards.

    The check digit is the MOD11 digit (weights 3, 2, 7, 6, 5, 4, 3, 2); a
    base whose remainder is 1 has none, so the next base is tried.
    """
    number = int(base)
    while True:
        digits = f"{number:08d}"
        remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
        if remainder != 1:
            candidate = digits + str(0 if remainder == 0 else 11 - remainder)
            if is_valid_orgnr(candidate):
                return candidate
        number += 1


def _slugify(text: str) -> str:
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def deck_bytes(spec: DemoProposal, municipality: str) -> bytes:
    """A two-page PDF deck for ``spec``."""
    figures = [
        f"Kapitalbehov: {format_kroner(spec.ask)}",
        f"Minste investering: {format_kroner(spec.min_ticket)}",
        f"Instrument: {INSTRUMENT_NB[Instrument(spec.instrument)]}",
    ]
    if spec.pre_money:
        figures.append(f"Verdi før emisjon: {format_kroner(spec.pre_money)}")
    figures += [
        f"Arbeidsplasser i dag: {spec.jobs_now}, om tre år: {spec.jobs_in_3_years}",
        f"Bruk av midlene: {spec.use_of_funds}",
        f"Trekkraft: {spec.traction}",
    ]
    team = [f"{name}, {role}: {background}" for name, role, background in spec.team]
    return pitch_deck(
        spec.title,
        spec.company,
        [
            (f"{spec.company} – {municipality}", [spec.teaser, *spec.description.split("\n\n")]),
            ("Nøkkeltall og team", [*figures, "", *team]),
        ],
    )


def _by_slug(model: type, slug: str) -> object:
    row = db.session.scalar(select(model).where(model.slug == slug))  # type: ignore[attr-defined]
    if row is None:
        raise LookupError(f"demo data needs {model.__name__} {slug!r}: load the reference data")
    return row


def _user(email: str) -> User:
    user = find_by_email(email)
    if user is None:
        raise LookupError(f"demo data needs the user {email}: load the demo users")
    return user


def _from_earlier_demo_owner(spec: DemoProposal, owner: User) -> Company | None:
    """The company as an earlier version of the demo data loaded it, under another
    demo founder: it moves to ``owner`` (with its proposals), so loading the demo
    into an older database gives each founder their company instead of a copy."""
    earlier: Company | None = db.session.scalar(
        select(Company)
        .join(User, User.id == Company.owner_id)
        .where(Company.name == spec.company, User.email.endswith(DEMO_DOMAIN))
    )
    if earlier is None:
        return None
    before = earlier.owner_id
    earlier.owner = owner
    earlier.contact_name = owner.name
    earlier.contact_email = owner.email
    for proposal in earlier.proposals:  # the founder's own moves (submitted, ...) are theirs
        for event in proposal.events:
            if event.actor_id == before:
                event.actor_id = owner.id
    db.session.flush()
    return earlier


def _company(spec: DemoProposal, owner: User, created: datetime) -> Company:
    existing: Company | None = db.session.scalar(
        select(Company).where(Company.owner_id == owner.id, Company.name == spec.company)
    )
    if existing is not None:
        return existing
    moved = _from_earlier_demo_owner(spec, owner)
    if moved is not None:
        return moved
    company = Company(
        owner_id=owner.id,
        name=spec.company,
        org_number=valid_orgnr(spec.orgnr_base) if spec.orgnr_base else None,
        municipality=_by_slug(Municipality, spec.municipality),
        website=spec.website,
        contact_name=owner.name,
        contact_email=owner.email,
        created_at=created,
    )
    for position, (name, role, background) in enumerate(spec.team):
        company.team.append(
            TeamMember(position=position, name=name, role=role, background=background)
        )
    db.session.add(company)
    db.session.flush()
    return company


def _timeline(
    proposal: Proposal,
    spec: DemoProposal,
    founder: User,
    organiser: User,
    start: datetime,
    end: datetime,
) -> list[ProposalEvent]:
    """The proposal's steps from ``start``: evenly spread before ``end``, or,
    when the spec says when the last step was made, ending on that day."""
    path = PATHS[Status(spec.status)]
    if not path_is_allowed(path):  # pragma: no cover - guarded by a test
        raise ValueError(f"the demo path to {spec.status} is not allowed by the lifecycle")
    if spec.last_step_days_ago is not None and path:
        step = (end - start) / len(path)
    else:
        step = (end - start) / (len(path) + 1)
    events = []
    current = S.DRAFT
    for i, (to, who, comment) in enumerate(path, start=1):
        at = start + step * i
        if to in (S.CHANGES_REQUESTED, S.DECLINED):
            comment = spec.reason
        event = ProposalEvent(
            proposal=proposal,
            at=at,
            actor_id=(founder if who == FOUNDER else organiser).id,
            from_status=current,
            to_status=to,
            comment=comment,
        )
        db.session.add(event)
        events.append(event)
        if to in (S.SUBMITTED, S.RESUBMITTED):
            proposal.submitted_at = at
        current = to
    proposal.status = current
    return events


def _reviews(
    proposal: Proposal,
    spec: DemoProposal,
    index: int,
    criteria: list[Criterion],
    reviewers: tuple[User, User],
    events: list[ProposalEvent],
) -> None:
    """Two reviewers score a proposal that has been in screening."""
    screened = next((e for e in events if e.to_status is S.IN_SCREENING), None)
    if screened is None:
        return
    later = [e.at for e in events if e.at > screened.at]
    until = later[0] if later else utcnow()
    for r, reviewer in enumerate(reviewers):
        at = screened.at + (until - screened.at) * (r + 1) / 3
        comment = spec.review_comments[r]
        if r == 1 and spec.conflict:
            db.session.add(
                Review(
                    proposal=proposal,
                    reviewer_id=reviewer.id,
                    conflict_of_interest=True,
                    created_at=at,
                    updated_at=at,
                )
            )
            continue
        if not comment:
            continue
        review = Review(
            proposal=proposal,
            reviewer_id=reviewer.id,
            comment=comment,
            created_at=at,
            updated_at=at,
        )
        for c, criterion in enumerate(criteria):
            value = spec.quality + _OFFSETS[(3 * c + 2 * r + index) % len(_OFFSETS)]
            review.scores.append(Score(criterion_id=criterion.id, value=min(5, max(1, value))))
        db.session.add(review)


def load_proposals(now: datetime | None = None) -> list[Proposal]:
    """Create the demo companies and proposals that are missing. Flushes, never commits.

    Needs the reference data and the demo users (``services.load`` loads
    them first), and ``DECK_DIR`` to store the decks in.
    """
    from matchmaking.proposals.storage import save_deck
    from matchmaking.screening.services import seed_criteria

    now = now or utcnow()
    criteria = [c for c in seed_criteria() if c.retired_at is None]
    organiser = _user(FIRST_REVIEWER)
    reviewers = (organiser, _user(SECOND_REVIEWER))
    proposals = []
    for index, spec in enumerate(PROPOSALS):
        founder = _user(spec.owner)
        created = now - timedelta(days=spec.days_ago, hours=index)
        company = _company(spec, founder, created - timedelta(days=1))
        proposal = db.session.scalar(
            select(Proposal).where(Proposal.company_id == company.id, Proposal.title == spec.title)
        )
        if proposal is not None:
            proposals.append(proposal)
            continue
        proposal = Proposal(
            company=company,
            title=spec.title,
            teaser=spec.teaser,
            description=spec.description,
            sector=_by_slug(Sector, spec.sector),
            stage=_by_slug(Stage, spec.stage),
            subproject=_by_slug(Subproject, spec.subproject) if spec.subproject else None,
            ask=spec.ask,
            min_ticket=spec.min_ticket,
            instrument=Instrument(spec.instrument),
            pre_money=spec.pre_money,
            use_of_funds=spec.use_of_funds,
            jobs_now=spec.jobs_now,
            jobs_in_3_years=spec.jobs_in_3_years,
            traction=spec.traction,
            share_review_comments=spec.share_review_comments,
            created_at=created,
            status=S.DRAFT,
        )
        db.session.add(proposal)
        db.session.flush()
        end = (
            now - timedelta(hours=2)
            if spec.last_step_days_ago is None
            else now - timedelta(days=spec.last_step_days_ago)
        )
        events = _timeline(proposal, spec, founder, organiser, created, end)
        if proposal.status is not S.DRAFT:
            save_deck(
                proposal,
                deck_bytes(spec, company.municipality.name),
                f"{_slugify(spec.company)}-pitch.pdf",
            )
            proposal.deck_uploaded_at = created + timedelta(hours=3)
        proposal.updated_at = events[-1].at if events else created
        _reviews(proposal, spec, index, criteria, reviewers, events)
        db.session.flush()
        proposals.append(proposal)
    return proposals
