"""The demo data set: the region, reference data and the demo logins.

Later features add proposals, investors and an event to :func:`load`.
"""

from __future__ import annotations

REGIONS = [
    # slug, Norwegian, English, municipalities (slug, name)
    (
        "ofoten",
        "Ofoten",
        "Ofoten",
        [
            ("narvik", "Narvik"),
            ("tysfjord", "Tysfjord"),
            ("tjeldsund", "Tjeldsund"),
            ("evenes", "Evenes"),
            ("ballangen", "Ballangen"),
        ],
    ),
    (
        "sor-troms",
        "Sør-Troms",
        "Sør-Troms",
        [
            ("harstad", "Harstad"),
            ("kvaefjord", "Kvæfjord"),
            ("ibestad", "Ibestad"),
            ("gratangen", "Gratangen"),
        ],
    ),
]

SUBPROJECTS = [
    ("strategisk-naeringsplan", "Strategisk næringsplan Ofoten", "Strategic business plan"),
    ("marin-kartlegging", "Marin kartlegging Ofoten, Efjord og Tysfjord", "Marine mapping"),
    ("stedsutvikling", "Stedsutvikling", "Place development"),
    ("tidligfasekapital", "Tidligfasekapital (BAN Ofoten)", "Early-phase capital"),
    (
        "nye-arbeidsplasser",
        "Nye arbeidsplasser i Narvik og Ofoten",
        "New jobs (larger initiatives of 50–100 jobs)",
    ),
]

STAGES = [
    ("idea", "Idé", "Idea"),
    ("pre-seed", "Før såkorn", "Pre-seed"),
    ("seed", "Såkorn", "Seed"),
    ("early-growth", "Tidlig vekst", "Early growth"),
    ("growth", "Vekst", "Growth"),
]

SECTORS = [
    ("marine", "Havbruk og marin næring", "Marine and aquaculture"),
    ("tourism", "Reiseliv og opplevelser", "Tourism and experiences"),
    ("industry", "Industri og produksjon", "Industry and manufacturing"),
    ("energy", "Energi og fornybar", "Energy and renewables"),
    ("logistics", "Logistikk og transport", "Logistics and transport"),
    ("technology", "IKT og teknologi", "ICT and technology"),
    ("construction", "Bygg og anlegg", "Construction"),
    ("food", "Mat og landbruk", "Food and agriculture"),
    ("health", "Helse og velferd", "Health and care"),
    ("culture", "Kultur og kreative næringer", "Culture and creative industries"),
    ("education", "Kompetanse og utdanning", "Education and skills"),
    ("services", "Handel og tjenester", "Retail and services"),
]

DEMO_PASSWORD = "ofoten-demo-2026"  # noqa: S105 - published demo password

DEMO_USERS = [
    # email, name, role, investor status
    ("arrangor@demo.banofoten.no", "Ingrid Arrangør", "organiser", None),
    ("investor@demo.banofoten.no", "Ola Investor", "investor", "approved"),
    ("grunder@demo.banofoten.no", "Kari Gründer", "entrepreneur", None),
]

#: More demo logins (same password): a second organiser, so proposals can be
#: scored by two reviewers, and the founders of the demo proposals. Each of the
#: proposals accepted for Springbrett has its own founder (a founder with two
#: companies pitching could be booked into two 1:1 meetings at once).
MORE_DEMO_USERS = [
    ("arrangor2@demo.banofoten.no", "Per Arrangør", "organiser", None),
    ("marit.kuoljok@demo.banofoten.no", "Marit Kuoljok", "entrepreneur", None),
    ("jonas.strand@demo.banofoten.no", "Jonas Strand", "entrepreneur", None),
    ("sigrid.hansen@demo.banofoten.no", "Sigrid Hansen", "entrepreneur", None),
    ("eirik.pedersen@demo.banofoten.no", "Eirik Pedersen", "entrepreneur", None),
    ("jorgen.lind@demo.banofoten.no", "Jørgen Lind", "entrepreneur", None),
    ("emil.johansen@demo.banofoten.no", "Emil Johansen", "entrepreneur", None),
    ("tone.rolland@demo.banofoten.no", "Tone Rolland", "entrepreneur", None),
]
