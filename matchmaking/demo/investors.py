"""Demo investors: a dozen approved angels with varied profiles, and two pending.

Every person, organisation and figure is invented. Get-or-create by e-mail,
and a profile only for a user who has none, so a second run adds nothing
(and leaves a profile a demo user has edited alone). The approved ones get
an approval decision by the first demo organiser, dated in the past, without
an e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.accounts.services import create_user, find_by_email
from matchmaking.demo.data import DEMO_PASSWORD
from matchmaking.extensions import db, utcnow
from matchmaking.investors.models import DigestFrequency, InvestorDecision, InvestorProfile
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject

APPROVER = "arrangor@demo.banofoten.no"


@dataclass(frozen=True)
class DemoInvestor:
    email: str
    name: str
    organisation: str | None
    ticket_min: int
    ticket_max: int
    thesis: str
    sectors: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    subprojects: tuple[str, ...] = ()
    co_invest: bool = False
    digest: str = "weekly"
    status: str = "approved"
    locale: str = "nb"
    approval_note: str = field(default="Velkommen som investor i BAN Ofoten.")
    # When the first organiser approved them (days before now); None: a few
    # weeks ago. Members who committed to the demo's older rounds
    # (matchmaking/demo/rounds.py) were approved before those rounds opened.
    approved_days_ago: int | None = None


INVESTORS: tuple[DemoInvestor, ...] = (
    DemoInvestor(
        email="investor@demo.banofoten.no",
        name="Ola Investor",
        organisation="Ofoten Invest AS",
        ticket_min=250_000,
        ticket_max=3_000_000,
        thesis=(
            "Jeg investerer i selskaper som bygger arbeidsplasser i Narvik og Ofoten, "
            "helst innen havbruk, industri og energi. Jeg bidrar med styreerfaring og "
            "nettverk mot regionale banker og Innovasjon Norge."
        ),
        sectors=("marine", "industry", "energy"),
        stages=("pre-seed", "seed", "early-growth"),
        regions=("ofoten",),
        subprojects=("tidligfasekapital", "nye-arbeidsplasser"),
        co_invest=True,
    ),
    DemoInvestor(
        email="kristin.nilsen@demo.banofoten.no",
        name="Kristin Nilsen",
        organisation="Nilsen Havbruk Holding AS",
        ticket_min=500_000,
        ticket_max=5_000_000,
        thesis=(
            "Tjue år i oppdrettsnæringen i Efjorden og Tysfjord. Jeg ser etter tare, "
            "skalldyr, fôr og teknologi som gjør havbruket renere. Marin kartlegging "
            "av fjordene våre gir nye muligheter, og jeg vil være med tidlig."
        ),
        sectors=("marine", "food"),
        stages=("seed", "early-growth"),
        municipalities=("narvik", "tysfjord", "ibestad"),
        subprojects=("marin-kartlegging",),
        co_invest=True,
        digest="daily",
        approved_days_ago=380,
    ),
    DemoInvestor(
        email="bjorn.lund@demo.banofoten.no",
        name="Bjørn Lund",
        organisation="Lund Industri Invest AS",
        ticket_min=1_000_000,
        ticket_max=10_000_000,
        thesis=(
            "Industri og prosess i Narvik: batterier, metaller og gjenvinning. Jeg har "
            "bygget opp to produksjonsbedrifter og går gjerne inn i styret. Ser etter "
            "prosjekter som kan gi 50–100 nye arbeidsplasser."
        ),
        sectors=("industry", "energy", "construction"),
        stages=("seed", "early-growth", "growth"),
        regions=("ofoten",),
        subprojects=("nye-arbeidsplasser",),
    ),
    DemoInvestor(
        email="hanne.olsen@demo.banofoten.no",
        name="Hanne Olsen",
        organisation=None,
        ticket_min=100_000,
        ticket_max=800_000,
        thesis=(
            "Reiseliv og opplevelser i Ofoten: fjell, fjord og nordlys hele året. Jeg "
            "driver selv et overnattingssted i Tysfjord og investerer små beløp i "
            "gründere med lokal forankring."
        ),
        sectors=("tourism", "culture", "food"),
        stages=("idea", "pre-seed", "seed"),
        municipalities=("tysfjord", "ballangen", "narvik"),
        subprojects=("stedsutvikling",),
        co_invest=True,
    ),
    DemoInvestor(
        email="erik.johansen@demo.banofoten.no",
        name="Erik Johansen",
        organisation="Nordkraft Venture AS",
        ticket_min=2_000_000,
        ticket_max=15_000_000,
        thesis=(
            "Fornybar energi, kraftkrevende industri og elektrifisering av transport i "
            "Nordland og Troms. Vi ser etter team med teknisk dybde og en plan for "
            "skalering fra pilot til fullskala."
        ),
        sectors=("energy", "logistics", "industry"),
        stages=("seed", "early-growth"),
        regions=("ofoten", "sor-troms"),
        digest="daily",
        approved_days_ago=400,
    ),
    DemoInvestor(
        email="ingvild.berg@demo.banofoten.no",
        name="Ingvild Berg",
        organisation="Berg & Co Kapital AS",
        ticket_min=300_000,
        ticket_max=2_500_000,
        thesis=(
            "Programvare og teknologi fra Nord-Norge for et globalt marked: "
            "sensorikk, dataanalyse og digitale tjenester for industri og helse. "
            "Jeg bidrar med salg og internasjonalisering."
        ),
        sectors=("technology", "health"),
        stages=("pre-seed", "seed"),
        regions=("sor-troms", "ofoten"),
        subprojects=("tidligfasekapital",),
        co_invest=True,
        locale="en",
        approved_days_ago=1070,
    ),
    DemoInvestor(
        email="tor.haugen@demo.banofoten.no",
        name="Tor Haugen",
        organisation="Harstad Næringsinvest AS",
        ticket_min=500_000,
        ticket_max=4_000_000,
        thesis=(
            "Mat, landbruk og handel i Sør-Troms. Lokale råvarer fra Kvæfjord og "
            "Harstad skal ut i hele landet. Jeg liker selskaper som allerede har "
            "kunder og trenger kapital til å vokse."
        ),
        sectors=("food", "services"),
        stages=("early-growth", "growth"),
        regions=("sor-troms",),
    ),
    DemoInvestor(
        email="silje.andreassen@demo.banofoten.no",
        name="Silje Andreassen",
        organisation=None,
        ticket_min=50_000,
        ticket_max=500_000,
        thesis=(
            "Helse, velferd og kompetanse. Jeg er sykepleier og tidligere gründer, og "
            "vil hjelpe nye selskaper i Narvik som gjør hverdagen bedre for folk i "
            "distriktene."
        ),
        sectors=("health", "education"),
        stages=("idea", "pre-seed", "seed"),
        municipalities=("narvik", "evenes"),
        co_invest=True,
        digest="never",
    ),
    DemoInvestor(
        email="arne.pettersen@demo.banofoten.no",
        name="Arne Pettersen",
        organisation="Evenes Logistikk Invest AS",
        ticket_min=1_000_000,
        ticket_max=8_000_000,
        thesis=(
            "Logistikk rundt Harstad/Narvik lufthavn Evenes og Narvik havn: "
            "godsterminaler, kald kjede og grønn transport. Jeg har drevet "
            "transportselskap i tretti år."
        ),
        sectors=("logistics", "services", "construction"),
        stages=("early-growth", "growth"),
        municipalities=("evenes", "narvik", "tjeldsund", "harstad"),
        subprojects=("nye-arbeidsplasser",),
        approved_days_ago=1090,
    ),
    DemoInvestor(
        email="maria.eriksen@demo.banofoten.no",
        name="Maria Eriksen",
        organisation="Fjordkapital AS",
        ticket_min=200_000,
        ticket_max=1_500_000,
        thesis=(
            "Bærekraftig havbruk og sjømat fra Ibestad, Tjeldsund og Tysfjord. Jeg ser "
            "etter gründere som kombinerer tradisjon med ny teknologi, og som vil "
            "bygge helårs arbeidsplasser langs kysten."
        ),
        sectors=("marine", "food", "tourism"),
        stages=("pre-seed", "seed"),
        municipalities=("ibestad", "tjeldsund", "tysfjord"),
        subprojects=("marin-kartlegging", "stedsutvikling"),
        co_invest=True,
    ),
    DemoInvestor(
        email="jon.sandvik@demo.banofoten.no",
        name="Jon Sandvik",
        organisation="Sandvik Eiendom og Bygg AS",
        ticket_min=1_000_000,
        ticket_max=20_000_000,
        thesis=(
            "Bygg, anlegg og stedsutvikling i Narvik og Gratangen. Jeg investerer i "
            "selskaper som bygger boliger, næringsbygg og infrastruktur, gjerne med "
            "tre og lavutslippsløsninger."
        ),
        sectors=("construction", "industry"),
        stages=("early-growth", "growth"),
        municipalities=("narvik", "gratangen"),
        subprojects=("stedsutvikling", "nye-arbeidsplasser"),
    ),
    DemoInvestor(
        email="line.karlsen@demo.banofoten.no",
        name="Line Karlsen",
        organisation="Kreativ Nord AS",
        ticket_min=50_000,
        ticket_max=600_000,
        thesis=(
            "Kultur, kreative næringer og opplevelser. Festivaler, design og "
            "innholdsproduksjon fra Ofoten kan nå langt. Jeg er gjerne med tidlig og "
            "deler kontakter i mediebransjen."
        ),
        sectors=("culture", "tourism", "technology"),
        stages=("idea", "pre-seed"),
        regions=("ofoten",),
        co_invest=True,
    ),
    DemoInvestor(
        email="geir.mathisen@demo.banofoten.no",
        name="Geir Mathisen",
        organisation="Mathisen Family Office AS",
        ticket_min=3_000_000,
        ticket_max=25_000_000,
        thesis=(
            "Et familiekontor med røtter i Ballangen. Vi investerer langsiktig i "
            "vekstselskaper i hele regionen, uansett bransje, når teamet er sterkt og "
            "selskapet kan bli en hjørnesteinsbedrift."
        ),
        stages=("early-growth", "growth"),
        regions=("ofoten", "sor-troms"),
        subprojects=("nye-arbeidsplasser", "strategisk-naeringsplan"),
        digest="weekly",
        approved_days_ago=200,
    ),
    # Two pending registrations, for the approval screen.
    DemoInvestor(
        email="anders.moe@demo.banofoten.no",
        name="Anders Moe",
        organisation="Moe Teknologi AS",
        ticket_min=100_000,
        ticket_max=1_000_000,
        thesis=(
            "Nyutdannet fra UiT i Narvik og har solgt mitt første selskap. Vil "
            "investere i teknologi og energi, og bidra med produktutvikling."
        ),
        sectors=("technology", "energy"),
        stages=("idea", "pre-seed"),
        regions=("ofoten",),
        status="pending",
    ),
    DemoInvestor(
        email="randi.solberg@demo.banofoten.no",
        name="Randi Solberg",
        organisation=None,
        ticket_min=200_000,
        ticket_max=1_000_000,
        thesis=(
            "Pensjonert bankrådgiver i Harstad. Interessert i mat, handel og reiseliv i Sør-Troms."
        ),
        sectors=("food", "services", "tourism"),
        regions=("sor-troms",),
        status="pending",
    ),
)


def _rows(model: Any, slugs: tuple[str, ...]) -> list[Any]:
    if not slugs:
        return []
    rows: list[Any] = list(db.session.scalars(select(model).where(model.slug.in_(slugs))))
    found = {r.slug: r for r in rows}
    return [found[s] for s in slugs if s in found]


def load_investors() -> list[User]:
    """Create the demo investors with their profiles; nothing twice. Flushes."""
    approver = find_by_email(APPROVER)
    users: list[User] = []
    for n, spec in enumerate(INVESTORS):
        user = find_by_email(spec.email)
        if user is None:
            user = create_user(
                email=spec.email,
                name=spec.name,
                password=DEMO_PASSWORD,
                role=Role.INVESTOR,
                locale=spec.locale,
                confirmed=True,
                investor_status=InvestorStatus(spec.status),
            )
            if user.investor_status is InvestorStatus.APPROVED and approver is not None:
                db.session.add(
                    InvestorDecision(
                        investor_id=user.id,
                        decided_by_id=approver.id,
                        status=InvestorStatus.APPROVED,
                        reason=spec.approval_note,
                        at=utcnow() - timedelta(days=spec.approved_days_ago or 40 - n),
                    )
                )
        users.append(user)
        has_profile = db.session.scalar(
            select(InvestorProfile.id).where(InvestorProfile.user_id == user.id)
        )
        if has_profile is None and user.role is Role.INVESTOR:
            db.session.add(
                InvestorProfile(
                    user_id=user.id,
                    display_name=spec.name,
                    organisation=spec.organisation,
                    ticket_min=spec.ticket_min,
                    ticket_max=spec.ticket_max,
                    thesis=spec.thesis,
                    co_invest=spec.co_invest,
                    digest_frequency=DigestFrequency(spec.digest),
                    sectors=_rows(Sector, spec.sectors),
                    stages=_rows(Stage, spec.stages),
                    regions=_rows(Region, spec.regions),
                    municipalities=_rows(Municipality, spec.municipalities),
                    subprojects=_rows(Subproject, spec.subprojects),
                )
            )
    db.session.flush()
    return users
