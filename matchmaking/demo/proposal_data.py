"""The demo proposals: twenty made-up companies across Ofoten and Sør-Troms.

Every company, person and figure here is invented. Organisation numbers are
computed from ``orgnr_base`` (the first eight digits) by the MOD11 rule, see
:func:`matchmaking.demo.proposals.valid_orgnr`; ``None`` means none yet
(allowed at the idea stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Team members: name, role, short background.
Team = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class DemoProposal:
    owner: str  # e-mail of the founder
    company: str
    orgnr_base: str | None
    municipality: str  # slug
    website: str | None
    team: Team
    title: str
    teaser: str
    description: str
    sector: str  # slug
    stage: str  # slug
    subproject: str | None  # slug
    ask: int
    min_ticket: int
    instrument: str
    pre_money: int | None
    use_of_funds: str
    jobs_now: int
    jobs_in_3_years: int
    traction: str
    status: str  # the status it ends in; the timeline is made to lead there
    days_ago: int  # when the founder created it
    quality: int = 3  # 1–5: the reviewers' scores vary around it
    reason: str = ""  # for changes requested or declined
    conflict: bool = False  # the second reviewer declares a conflict of interest
    share_review_comments: bool = False
    review_comments: tuple[str, str] = field(default=("", ""))


GRUNDER = "grunder@demo.banofoten.no"
MARIT = "marit.kuoljok@demo.banofoten.no"
JONAS = "jonas.strand@demo.banofoten.no"
SIGRID = "sigrid.hansen@demo.banofoten.no"
EIRIK = "eirik.pedersen@demo.banofoten.no"
JORGEN = "jorgen.lind@demo.banofoten.no"
EMIL = "emil.johansen@demo.banofoten.no"
TONE = "tone.rolland@demo.banofoten.no"

PROPOSALS: tuple[DemoProposal, ...] = (
    DemoProposal(
        owner=GRUNDER,
        company="Polarlys Batterigjenvinning AS",
        orgnr_base="93140217",
        municipality="narvik",
        website="https://polarlys-batteri.example.no",
        team=(
            (
                "Kari Gründer",
                "Daglig leder",
                "Sivilingeniør fra UiT Narvik, åtte år i prosessindustrien.",
            ),
            ("Tor Ellingsen", "Teknisk sjef", "Tidligere driftsleder ved smelteverk i Mo i Rana."),
            (
                "Amina Yusuf",
                "Kjemiker",
                "Ph.d. i materialkjemi, hydrometallurgi for litium og kobolt.",
            ),
        ),
        title="Gjenvinning av litiumbatterier med vannkraft i Narvik",
        teaser=(
            "Vi bygger et anlegg ved Narvik havn som henter ut litium, nikkel og kobolt fra "
            "brukte elbilbatterier med ren vannkraft. Råvarene selges tilbake til "
            "batteriindustrien i Norden. Pilotanlegget går, og vi søker kapital til første "
            "fullskala linje."
        ),
        description=(
            "Elbilbatteriene fra de første norske elbilene kommer nå til endt levetid. I dag "
            "sendes de fleste til Tyskland eller Asia for gjenvinning. Vi har utviklet en "
            "hydrometallurgisk prosess som gir over 90 prosent utvinning av litium, nikkel og "
            "kobolt og som bruker lite energi, og den energien vi bruker er vannkraft.\n\n"
            "Narvik har havn, jernbane og kraft – og ligger nær batterifabrikkene som planlegges "
            "i Nord-Sverige. Vi har en intensjonsavtale om avsetning av råvarene og en avtale "
            "med to bilforhandlere i regionen om innsamling."
        ),
        sector="industry",
        stage="seed",
        subproject="nye-arbeidsplasser",
        ask=12_000_000,
        min_ticket=500_000,
        instrument="equity",
        pre_money=38_000_000,
        use_of_funds=(
            "Første fullskala linje (7,5 mill. kr), miljøtillatelser og ansettelse av fire "
            "prosessoperatører (2,5 mill. kr), arbeidskapital (2 mill. kr)."
        ),
        jobs_now=6,
        jobs_in_3_years=55,
        traction=(
            "Pilotanlegget har behandlet 12 tonn batterier. Intensjonsavtale om salg av "
            "råvarer; tilsagn på 4 mill. kr fra Innovasjon Norge forutsatt privat kapital."
        ),
        status="accepted",
        days_ago=75,
        quality=5,
        review_comments=(
            "Sterkt team og tydelig regional forankring. Stort potensial for arbeidsplasser.",
            "Kapitalkrevende, men realistisk plan. Bør pitche på Springbrett.",
        ),
    ),
    DemoProposal(
        owner=JORGEN,
        company="Ofoten Droneinspeksjon AS",
        orgnr_base="92488130",
        municipality="narvik",
        website="https://ofoten-drone.example.no",
        team=(
            ("Kari Gründer", "Styreleder", "Sivilingeniør, gründer av to selskaper i Narvik."),
            (
                "Jørgen Lind",
                "Daglig leder",
                "Dronepilot med A2- og STS-sertifikat, tidligere i Forsvaret.",
            ),
        ),
        title="Droneinspeksjon av kraftlinjer og jernbane i arktisk klima",
        teaser=(
            "Vi inspiserer kraftlinjer og Ofotbanen med droner som tåler kulde og vind, og "
            "finner feil med bildeanalyse før de blir til driftsstans. Kundene sparer "
            "helikoptertimer og får rapporten samme dag."
        ),
        description=(
            "Netteiere og Bane NOR bruker i dag helikopter og fotfolk for å inspisere linjer og "
            "spor i vanskelig terreng. Våre droner flyr i ned til minus 30 grader, og "
            "programvaren vår merker skader på isolatorer, master og skinner automatisk.\n\n"
            "Vi har levert inspeksjoner for to netteiere i Nordland og Troms og har nå en "
            "rammeavtale under forhandling."
        ),
        sector="technology",
        stage="early-growth",
        subproject="tidligfasekapital",
        ask=3_500_000,
        min_ticket=250_000,
        instrument="convertible",
        pre_money=14_000_000,
        use_of_funds="To nye dronesystemer, videreutvikling av bildeanalysen og en salgsansvarlig.",
        jobs_now=4,
        jobs_in_3_years=14,
        traction="Omsetning 2,1 mill. kr i fjor, to faste kunder, rammeavtale under forhandling.",
        status="accepted",
        days_ago=40,
        quality=4,
        review_comments=(
            "God trekkraft og tydelig kundebehov.",
            "Konkurransen fra større aktører bør beskrives bedre.",
        ),
    ),
    DemoProposal(
        owner=MARIT,
        company="Hellemobotn Villmark AS",
        orgnr_base="99102345",
        municipality="tysfjord",
        website="https://hellemobotn.example.no",
        team=(
            ("Marit Kuoljok", "Daglig leder", "Lulesamisk reiselivsguide, 12 år i Tysfjord."),
            ("Henrik Bakke", "Båtfører", "Skipper med fartstid i fjordcruise."),
        ),
        title="Guidede turer mellom fjord og fjell i Hellemobotn",
        teaser=(
            "Vi tilbyr båtturer, fjellvandring og lulesamisk kulturformidling fra Tysfjord til "
            "Hellemobotn, Norges smaleste punkt. Turene selges til cruisegjester og "
            "naturturister som vil ha stillhet og historier."
        ),
        description=(
            "Tysfjord har spektakulær natur, men få pakkede opplevelser som kan bookes på "
            "nett. Vi kombinerer båttransport, guidet tur og måltid med lokale råvarer, og "
            "samarbeider med Árran lulesamisk senter om kulturdelen."
        ),
        sector="tourism",
        stage="pre-seed",
        subproject="stedsutvikling",
        ask=1_200_000,
        min_ticket=100_000,
        instrument="equity",
        pre_money=3_000_000,
        use_of_funds="Ombygging av båt for 12 passasjerer, nettside med booking og markedsføring.",
        jobs_now=2,
        jobs_in_3_years=6,
        traction="Prøvesesong med 140 gjester og snittkarakter 4,8 av 5.",
        status="submitted",
        days_ago=12,
    ),
    DemoProposal(
        owner=MARIT,
        company="Tysfjord Tare AS",
        orgnr_base="92611804",
        municipality="tysfjord",
        website="https://tysfjordtare.example.no",
        team=(
            ("Marit Kuoljok", "Styreleder", "Reiselivsgründer med fiskeribakgrunn."),
            ("Ole-Johan Sørensen", "Daglig leder", "Havbruksingeniør, tidligere i lakseoppdrett."),
            ("Lena Vik", "Marinbiolog", "Master fra Nord universitet, tarekultivering."),
        ),
        title="Taredyrking i Tysfjorden til mat og fôr",
        teaser=(
            "Vi dyrker sukkertare og butare på liner i Tysfjorden, på lokaliteter valgt med "
            "data fra den marine kartleggingen. Taren selges til matprodusenter og som "
            "fôringrediens. Høsting skjer om våren, når oppdretterne har ledig kapasitet."
        ),
        description=(
            "Tare binder CO₂ og næringssalter, trenger verken fôr eller ferskvann og gir "
            "helårsarbeid sammen med eksisterende havbruk. Den marine kartleggingen av "
            "Ofoten, Efjord og Tysfjord har gitt oss strøm- og dybdedata for tre gode "
            "lokaliteter.\n\nVi har tillatelse for 20 dekar og en avtale med en "
            "foredlingsbedrift i Lofoten."
        ),
        sector="marine",
        stage="seed",
        subproject="marin-kartlegging",
        ask=4_500_000,
        min_ticket=200_000,
        instrument="equity",
        pre_money=9_000_000,
        use_of_funds="Liner og flåte (2 mill. kr), tørkeanlegg (1,5 mill. kr), drift første år.",
        jobs_now=3,
        jobs_in_3_years=12,
        traction="Første høsting ga 18 tonn våtvekt; avtale om kjøp av 60 tonn neste år.",
        status="accepted",
        days_ago=90,
        quality=4,
        review_comments=(
            "God bruk av kartleggingsdata og tydelig marked.",
            "Marginene er usikre, men teamet er solid.",
        ),
    ),
    DemoProposal(
        owner=JONAS,
        company="Evenes Kjølefrakt AS",
        orgnr_base="91870331",
        municipality="evenes",
        website="https://evenes-kjolefrakt.example.no",
        team=(
            (
                "Jonas Strand",
                "Daglig leder",
                "Tjue år i logistikk, tidligere terminalsjef på Evenes.",
            ),
            ("Ingrid Moe", "Økonomisjef", "Siviløkonom, revisor i fem år."),
        ),
        title="Kjølt flyfrakt av fersk sjømat fra Evenes",
        teaser=(
            "Vi bygger en kjøleterminal ved Harstad/Narvik lufthavn Evenes slik at fersk fisk "
            "fra Ofoten, Vesterålen og Sør-Troms kan fly direkte til Asia og Europa i stedet "
            "for å kjøres sørover med trailer."
        ),
        description=(
            "I dag kjøres nesten all fersk sjømat fra regionen til Oslo før den flys ut. Det "
            "koster tid, kvalitet og utslipp. En kjøleterminal på Evenes, med fraktfly to "
            "ganger i uka, gir oppdretterne et nytt og raskere marked."
        ),
        sector="logistics",
        stage="early-growth",
        subproject="nye-arbeidsplasser",
        ask=25_000_000,
        min_ticket=1_000_000,
        instrument="equity",
        pre_money=60_000_000,
        use_of_funds="Kjøleterminal (18 mill. kr), håndteringsutstyr og oppstart av fraktruten.",
        jobs_now=8,
        jobs_in_3_years=60,
        traction="Intensjonsavtaler med tre oppdrettsselskap om 9 000 tonn i året.",
        status="in_dialogue",
        days_ago=160,
        quality=4,
        review_comments=(
            "Stort regionalt potensial, mange arbeidsplasser.",
            "Avhengig av flyselskap; risikoen er beskrevet ærlig.",
        ),
    ),
    DemoProposal(
        owner=JONAS,
        company="Fjordvarme Tjeldsund AS",
        orgnr_base="92035716",
        municipality="tjeldsund",
        website=None,
        team=(
            ("Jonas Strand", "Styreleder", "Logistikkleder og investor i Evenes."),
            ("Siri Kristiansen", "Daglig leder", "Energirådgiver, bygget varmesentraler i Troms."),
        ),
        title="Fjernvarme fra sjøvann for Tjeldsund",
        teaser=(
            "Store varmepumper henter varme fra sjøvannet og leverer fjernvarme til skole, "
            "sykehjem og næringsbygg i Tjeldsund. Kundene sparer strøm, og kommunen når "
            "klimamålene i den strategiske næringsplanen."
        ),
        description=(
            "Sjøvann på 30 meters dyp holder 5–7 grader året rundt. En varmesentral ved kaia "
            "kan forsyne de største byggene i kommunesenteret. Kommunen har sagt seg villig "
            "til å inngå en langsiktig leveringsavtale."
        ),
        sector="energy",
        stage="seed",
        subproject="strategisk-naeringsplan",
        ask=6_000_000,
        min_ticket=300_000,
        instrument="loan",
        pre_money=None,
        use_of_funds="Forprosjekt og konsesjon (1 mill. kr), varmesentral og første ledningsnett.",
        jobs_now=1,
        jobs_in_3_years=5,
        traction="Forprosjekt ferdig; kommunestyret har vedtatt å forhandle om avtale.",
        status="changes_requested",
        days_ago=55,
        quality=3,
        reason=(
            "Takk for et interessant forslag. Vi trenger en kontantstrømoppstilling for de "
            "første fem årene og en beskrivelse av hva som skjer om kommunen ikke signerer. "
            "Send inn på nytt når dette er med."
        ),
        review_comments=(
            "Godt prosjekt, men økonomien er for tynt beskrevet.",
            "Lånebehovet må begrunnes bedre.",
        ),
    ),
    DemoProposal(
        owner=EIRIK,
        company="Bjørkåsen Mineralanalyse AS",
        orgnr_base="99812073",
        municipality="ballangen",
        website=None,
        team=(
            ("Eirik Pedersen", "Daglig leder", "Geolog, tidligere ved gruvedriften i Ballangen."),
        ),
        title="Mobilt laboratorium for mineralanalyse",
        teaser=(
            "Et laboratorium i en container som analyserer borkjerner på stedet, slik at "
            "letevirksomhet i Nord-Norge slipper å sende prøver sørover og vente i ukevis "
            "på svar."
        ),
        description=(
            "Letevirksomheten etter kritiske mineraler øker i nord. Vi vil bygge et mobilt "
            "laboratorium med røntgenfluorescens og tilby analyser på leiebasis."
        ),
        sector="industry",
        stage="pre-seed",
        subproject="strategisk-naeringsplan",
        ask=2_500_000,
        min_ticket=100_000,
        instrument="equity",
        pre_money=4_000_000,
        use_of_funds="Container, instrumenter og sertifisering av laboratoriet.",
        jobs_now=1,
        jobs_in_3_years=4,
        traction="Samtaler med to leteselskaper; ingen avtaler ennå.",
        status="declined",
        days_ago=70,
        quality=2,
        reason=(
            "Vi takker nei denne gangen. Markedet er ikke dokumentert ennå, og planen "
            "avhenger av én person. Vi anbefaler å søke Innovasjon Norges "
            "markedsavklaringstilskudd og komme tilbake med en signert pilotkunde."
        ),
        share_review_comments=True,
        review_comments=(
            "Interessant nisje, men ingen kunder har forpliktet seg ennå.",
            "Sårbart med én person i teamet. Anbefaler markedsavklaring først.",
        ),
    ),
    DemoProposal(
        owner=SIGRID,
        company="Havbunnskart Nord AS",
        orgnr_base="92766544",
        municipality="harstad",
        website="https://havbunnskart.example.no",
        team=(
            ("Sigrid Hansen", "Daglig leder", "Hydrograf, ti år i Kartverket."),
            ("Mats Olsen", "Utviklingssjef", "Robotikk fra NTNU, autonome fartøy."),
            ("Ane Berg", "Salgssjef", "Tidligere i maritim utstyrsbransje i Harstad."),
        ),
        title="Autonome båter som kartlegger havbunnen",
        teaser=(
            "Våre små ubemannede overflatefartøy kartlegger havbunnen for oppdrettere, havner "
            "og kommuner til en brøkdel av prisen for et bemannet fartøy. Metoden er prøvd i "
            "den marine kartleggingen av Ofoten."
        ),
        description=(
            "Et bemannet kartleggingsfartøy koster over 100 000 kr per døgn. Vår 4 meter lange "
            "båt går på batteri, følger en planlagt rute og leverer data i formatet Kartverket "
            "bruker. Vi har kartlagt 35 km² i Ofotfjorden som underleverandør."
        ),
        sector="technology",
        stage="seed",
        subproject="marin-kartlegging",
        ask=8_000_000,
        min_ticket=400_000,
        instrument="equity",
        pre_money=24_000_000,
        use_of_funds="Tre nye fartøy, programvare for ruteplanlegging og to ingeniører.",
        jobs_now=5,
        jobs_in_3_years=18,
        traction="Omsetning 3,4 mill. kr, oppdrag for fem oppdrettere og to havner.",
        status="pitched",
        days_ago=130,
        quality=5,
        review_comments=(
            "Teknologien er bevist, og markedet er stort.",
            "Et av de sterkeste forslagene i år.",
        ),
    ),
    DemoProposal(
        owner=SIGRID,
        company="Bryggekjøkkenet Harstad AS",
        orgnr_base="91523987",
        municipality="harstad",
        website="https://bryggekjokkenet.example.no",
        team=(
            ("Sigrid Hansen", "Styreleder", "Gründer og investor i Harstad."),
            (
                "Kristoffer Nygård",
                "Kjøkkensjef",
                "Kokk fra Lofoten, tidligere på restaurant i Oslo.",
            ),
        ),
        title="Ferdigretter av lokal sjømat til dagligvare",
        teaser=(
            "Vi lager ferdigretter av torsk, sei og kongekrabbe fra Sør-Troms og selger dem "
            "til dagligvarekjedene i Nord-Norge. Rettene lages i Harstad av fisk som er "
            "landet samme uke."
        ),
        description=(
            "Etterspørselen etter sunne ferdigretter vokser, men nesten alle lages langt fra "
            "havet. Vi har et godkjent produksjonskjøkken og tre retter i test hos en kjede."
        ),
        sector="food",
        stage="early-growth",
        subproject=None,
        ask=5_000_000,
        min_ticket=250_000,
        instrument="equity",
        pre_money=12_000_000,
        use_of_funds="Pakkelinje, kjølelager og lansering i 60 butikker.",
        jobs_now=7,
        jobs_in_3_years=20,
        traction="Solgt 22 000 porsjoner i testbutikker; listing i kjede fra høsten.",
        status="submitted",
        days_ago=9,
    ),
    DemoProposal(
        owner=SIGRID,
        company="Kvæfjordkaka AS",
        orgnr_base="98733120",
        municipality="kvaefjord",
        website="https://kvaefjordkaka.example.no",
        team=(
            ("Sigrid Hansen", "Styreleder", "Gründer og investor i Harstad."),
            ("Berit Hanssen", "Daglig leder", "Konditor, tredje generasjon i Borkenes."),
        ),
        title="Verdens beste kake fra Kvæfjord til hele landet",
        teaser=(
            "Vi baker den originale kvæfjordkaka i Borkenes og vil levere den fryst til "
            "dagligvare og kafeer i hele Norge. Nytt bakeri gir arbeidsplasser i bygda og "
            "gjør Kvæfjord kjent som matdestinasjon."
        ),
        description=(
            "Kvæfjordkaka er kåret til nasjonalkake og etterspørres langt utenfor Nord-Norge. "
            "Bakeriet har i dag full kapasitet. Et nytt bakeri med frysetunnel tidobler "
            "produksjonen og åpner for salg gjennom kjedene."
        ),
        sector="food",
        stage="growth",
        subproject="stedsutvikling",
        ask=9_000_000,
        min_ticket=500_000,
        instrument="equity",
        pre_money=30_000_000,
        use_of_funds="Nytt bakeri med frysetunnel (7 mill. kr), markedsføring og lager.",
        jobs_now=5,
        jobs_in_3_years=18,
        traction="Omsetning 6,8 mill. kr; forespørsel fra to dagligvarekjeder.",
        status="accepted",
        days_ago=100,
        quality=4,
        review_comments=(
            "Sterk merkevare med klar regional identitet.",
            "Kapasitetsøkningen er godt planlagt.",
        ),
    ),
    DemoProposal(
        owner=TONE,
        company="Rolla Røkeri AS",
        orgnr_base="92955108",
        municipality="ibestad",
        website=None,
        team=(
            ("Eirik Pedersen", "Styreleder", "Geolog og gründer i Ballangen."),
            ("Tone Rolland", "Daglig leder", "Fiskeforedler, oppvokst på Rolla."),
        ),
        title="Kaldrøkt laks og sei fra Rolla",
        teaser=(
            "Et lite røkeri på Rolla som kaldrøyker laks og sei etter gammel oppskrift med "
            "bjørkeved fra Ibestad. Produktene selges i nettbutikk og til hoteller i "
            "Nord-Norge."
        ),
        description=(
            "Ibestad har lange fisketradisjoner men få arbeidsplasser i foredling. Vi har "
            "leid et nedlagt fiskebruk og testet produktene på tre hoteller."
        ),
        sector="marine",
        stage="seed",
        subproject=None,
        ask=1_800_000,
        min_ticket=100_000,
        instrument="convertible",
        pre_money=5_000_000,
        use_of_funds="Røykovn, vakuumpakker og oppgradering av lokalet til godkjent næringsmiddelbedrift.",
        jobs_now=2,
        jobs_in_3_years=6,
        traction="Tre hoteller har bestilt fast; 400 kunder i nettbutikken.",
        status="accepted",
        days_ago=30,
        quality=3,
        review_comments=(
            "Hyggelig lokalt prosjekt, begrenset vekstpotensial.",
            "Bør tenke på salg utenfor Nord-Norge.",
        ),
    ),
    DemoProposal(
        owner=EIRIK,
        company="Gratangsbotn Tømmerhus AS",
        orgnr_base="91247765",
        municipality="gratangen",
        website="https://gratangsbotn-tommerhus.example.no",
        team=(
            ("Eirik Pedersen", "Styreleder", "Gründer i Ballangen og Gratangen."),
            ("Rune Hætta", "Daglig leder", "Tømrermester, 25 år i byggebransjen."),
            ("Maja Lind", "Arkitekt", "Arkitekt fra Tromsø, spesialist på tre."),
        ),
        title="Ferdighus og hytter i massivtre fra Gratangen",
        teaser=(
            "Vi produserer hytter og småhus i massivtre fra nordnorsk skog i en fabrikk i "
            "Gratangsbotn. Modulene monteres på en uke og har lavt klimaavtrykk. Målet er 50 "
            "arbeidsplasser i en liten kommune."
        ),
        description=(
            "Byggebransjen i nord mangler folk, og mye bygges av materialer fraktet langt. "
            "Vi lager ferdige moduler innendørs, uavhengig av vær, og monterer dem på "
            "tomta. Fabrikken kan ligge i det gamle sagbruket i Gratangsbotn."
        ),
        sector="construction",
        stage="early-growth",
        subproject="nye-arbeidsplasser",
        ask=15_000_000,
        min_ticket=500_000,
        instrument="equity",
        pre_money=35_000_000,
        use_of_funds="Produksjonslinje i sagbruket (10 mill. kr), sertifisering og salg.",
        jobs_now=9,
        jobs_in_3_years=50,
        traction="Levert 14 hytter; ordrebok på 22 mill. kr for neste år.",
        status="resubmitted",
        days_ago=80,
        quality=4,
        reason=(
            "Lovende! Før vi går videre vil vi se en plan for rekruttering av fagfolk til "
            "fabrikken og en oppdatert budsjettert balanse."
        ),
        review_comments=(
            "Mange arbeidsplasser og et reelt behov.",
            "Rekruttering er den største risikoen.",
        ),
    ),
    DemoProposal(
        owner=EMIL,
        company="Arktisk Helseteknologi AS",
        orgnr_base="92308811",
        municipality="narvik",
        website="https://arktisk-helse.example.no",
        team=(
            ("Kari Gründer", "Styreleder", "Sivilingeniør og seriegründer i Narvik."),
            ("Emil Johansen", "Daglig leder", "Sykepleier og master i helseinformatikk."),
            (
                "Nora Aas",
                "Utvikler",
                "Programvareutvikler, tidligere i et e-helseselskap i Tromsø.",
            ),
        ),
        title="Digital hjemmeoppfølging for eldre i spredtbygde kommuner",
        teaser=(
            "Sensorer i hjemmet og en enkel nettbrett-app lar hjemmetjenesten følge opp eldre "
            "uten å kjøre like ofte. Vi er laget for kommuner med lange avstander, dårlig "
            "dekning og få ansatte."
        ),
        description=(
            "Hjemmetjenesten i Ofoten kjører tusenvis av mil i året. Løsningen vår varsler "
            "ved fall, uvanlig lite aktivitet eller glemte medisiner, og fungerer også når "
            "mobildekningen faller ut."
        ),
        sector="health",
        stage="seed",
        subproject="tidligfasekapital",
        ask=4_000_000,
        min_ticket=200_000,
        instrument="equity",
        pre_money=11_000_000,
        use_of_funds="Utprøving i to kommuner, CE-merking og to utviklere.",
        jobs_now=3,
        jobs_in_3_years=15,
        traction="Pilot i Narvik kommune med 25 brukere; Evenes vil være med i neste runde.",
        status="accepted",
        days_ago=6,
    ),
    DemoProposal(
        owner=EIRIK,
        company="Nordlys Læring AS",
        orgnr_base="99355428",
        municipality="narvik",
        website="https://nordlyslaering.example.no",
        team=(
            ("Eirik Pedersen", "Styreleder", "Geolog og gründer."),
            (
                "Hilde Nystad",
                "Daglig leder",
                "Lærer i teknikk og industriell produksjon ved videregående.",
            ),
        ),
        title="VR-opplæring i sikkerhet for industriarbeidere",
        teaser=(
            "Virtuell trening i farlige arbeidsoperasjoner – høyspent, løft og arbeid i kulde – "
            "for fagskoler og industribedrifter. Elevene øver trygt før de gjør det på ekte."
        ),
        description=(
            "Industrien i regionen trenger fagarbeidere, og opplæring i farlige operasjoner "
            "er dyr og risikabel. Vi lager VR-moduler sammen med fagskolen i Narvik."
        ),
        sector="education",
        stage="pre-seed",
        subproject="tidligfasekapital",
        ask=1_500_000,
        min_ticket=100_000,
        instrument="convertible",
        pre_money=4_500_000,
        use_of_funds="Tre nye treningsmoduler og utstyr til to skoler.",
        jobs_now=2,
        jobs_in_3_years=8,
        traction="Brukt av 60 elever ved fagskolen; to bedrifter vil teste.",
        status="accepted",
        days_ago=25,
        quality=3,
        conflict=True,
        review_comments=("Godt behov, men markedet er lite. Bør se på hele Nord-Norge.", ""),
    ),
    DemoProposal(
        owner=GRUNDER,
        company="Narvik Kulturverksted",
        orgnr_base=None,
        municipality="narvik",
        website=None,
        team=(("Kari Gründer", "Initiativtaker", "Seriegründer med interesse for kultur."),),
        title="Verksted og scene for unge kunstnere i Narvik sentrum",
        teaser=(
            "Et felles verksted, atelier og lite scenerom i et tomt butikklokale i sentrum, "
            "der unge kunstnere kan jobbe, vise fram og selge arbeidene sine."
        ),
        description="Ideen er på et tidlig stadium; vi snakker med gårdeiere og kommunen.",
        sector="culture",
        stage="idea",
        subproject="stedsutvikling",
        ask=600_000,
        min_ticket=50_000,
        instrument="other",
        pre_money=None,
        use_of_funds="",
        jobs_now=0,
        jobs_in_3_years=3,
        traction="",
        status="draft",
        days_ago=3,
    ),
    DemoProposal(
        owner=SIGRID,
        company="Bryggerad Kontorfellesskap",
        orgnr_base=None,
        municipality="harstad",
        website=None,
        team=(("Sigrid Hansen", "Initiativtaker", "Gründer og investor i Harstad."),),
        title="Kontorfellesskap for gründere i bryggerekka",
        teaser=(
            "Fleksible kontorplasser, møterom og et felles kaffekjøkken i en gammel brygge i "
            "Harstad, for gründere og fjernarbeidere som vil ha et fellesskap."
        ),
        description="Vi vurderer to brygger og lager nå en enkel kalkyle.",
        sector="services",
        stage="idea",
        subproject="stedsutvikling",
        ask=800_000,
        min_ticket=50_000,
        instrument="equity",
        pre_money=None,
        use_of_funds="",
        jobs_now=0,
        jobs_in_3_years=2,
        traction="",
        status="draft",
        days_ago=2,
    ),
    DemoProposal(
        owner=JONAS,
        company="Evenes Hydrogen AS",
        orgnr_base="93017642",
        municipality="evenes",
        website="https://eveneshydrogen.example.no",
        team=(
            ("Jonas Strand", "Daglig leder", "Logistikkleder på Evenes i tjue år."),
            (
                "Petter Solheim",
                "Teknisk rådgiver",
                "Kjemiingeniør, elektrolyse i Herøya industripark.",
            ),
        ),
        title="Grønt hydrogen til fly, ferger og tungtransport ved Evenes",
        teaser=(
            "Et elektrolyseanlegg ved Evenes lager hydrogen av lokal vannkraft til "
            "bakkeutstyr på flyplassen, ferger i Ofotfjorden og lastebiler på E10. Fullt "
            "utbygd gir det 70 arbeidsplasser."
        ),
        description=(
            "Ferger og tungtransport må bli utslippsfrie. Vi vil bygge et anlegg på 20 MW i "
            "to trinn, med flyplassen og fergeselskapet som første kunder."
        ),
        sector="energy",
        stage="pre-seed",
        subproject="nye-arbeidsplasser",
        ask=10_000_000,
        min_ticket=1_000_000,
        instrument="equity",
        pre_money=20_000_000,
        use_of_funds="Konsekvensutredning, nettilknytning og detaljprosjektering av trinn 1.",
        jobs_now=0,
        jobs_in_3_years=70,
        traction="Intensjonsavtale med fergeselskapet; tomt regulert til industri.",
        status="submitted",
        days_ago=15,
    ),
    DemoProposal(
        owner=GRUNDER,
        company="Malmbanen Logistikk-IT AS",
        orgnr_base="91688255",
        municipality="narvik",
        website="https://malmbanen-it.example.no",
        team=(
            ("Kari Gründer", "Styreleder", "Seriegründer i Narvik."),
            ("Anders Nilsen", "Daglig leder", "Jernbaneingeniør, ti år på Ofotbanen."),
        ),
        title="Sanntidssporing av gods på Ofotbanen",
        teaser=(
            "Programvare som viser hvor hver container og malmvogn på Ofotbanen er, og når "
            "den kommer fram. Speditører og havna planlegger bedre og sparer ventetid."
        ),
        description=(
            "Ofotbanen er en av Nordens travleste godsbaner. Vi kobler sensordata fra vogner "
            "og terminaler og gir kundene et felles bilde av godsstrømmen."
        ),
        sector="logistics",
        stage="early-growth",
        subproject="tidligfasekapital",
        ask=3_000_000,
        min_ticket=200_000,
        instrument="equity",
        pre_money=15_000_000,
        use_of_funds="Integrasjon med to nye terminaler og en salgsansvarlig i Sverige.",
        jobs_now=6,
        jobs_in_3_years=16,
        traction="Fire betalende kunder, årlig gjentakende inntekt 2,4 mill. kr.",
        status="funded",
        days_ago=220,
        quality=4,
        review_comments=(
            "Tydelig kundeverdi og gjentakende inntekter.",
            "Godt team med bransjekunnskap.",
        ),
    ),
    DemoProposal(
        owner=JONAS,
        company="Ramsund Maritime Service AS",
        orgnr_base="98422019",
        municipality="tjeldsund",
        website=None,
        team=(
            ("Jonas Strand", "Styreleder", "Logistikkleder og investor."),
            ("Knut Amundsen", "Daglig leder", "Maskinist, 15 år på marinefartøy."),
        ),
        title="Vedlikehold av fartøy ved Ramsund",
        teaser=(
            "Verksted og servicebåt for vedlikehold av fartøy i Ramsund og Tjeldsundet, for "
            "Forsvaret, oppdrettere og fiskeflåten."
        ),
        description="Vi utvider verkstedet og kjøper en servicebåt.",
        sector="services",
        stage="growth",
        subproject=None,
        ask=7_000_000,
        min_ticket=500_000,
        instrument="loan",
        pre_money=None,
        use_of_funds="Servicebåt og utvidet verksted.",
        jobs_now=11,
        jobs_in_3_years=16,
        traction="Omsetning 14 mill. kr; rammeavtale med Forsvaret.",
        status="withdrawn",
        days_ago=60,
    ),
    DemoProposal(
        owner=EIRIK,
        company="Efjord Kajakk og Rorbu AS",
        orgnr_base="92150477",
        municipality="ballangen",
        website="https://efjord-kajakk.example.no",
        team=(
            ("Eirik Pedersen", "Styreleder", "Gründer i Ballangen."),
            ("Julie Karlsen", "Daglig leder", "Kajakkinstruktør og reiselivsutdannet."),
        ),
        title="Kajakkturer og rorbuer i Efjorden",
        teaser=(
            "Havkajakk, rorbuer og nordlysturer i Efjorden. Vi gir gjester fra hele verden en "
            "rolig opplevelse av fjorden og holder åpent hele året."
        ),
        description=(
            "Efjorden er en av de vakreste fjordene i Ofoten, men har lite overnatting. Vi "
            "pusser opp fire rorbuer og tilbyr guidede kajakkturer sommer og nordlysturer "
            "vinter."
        ),
        sector="tourism",
        stage="seed",
        subproject="stedsutvikling",
        ask=2_200_000,
        min_ticket=100_000,
        instrument="equity",
        pre_money=6_000_000,
        use_of_funds="Oppussing av fire rorbuer og tolv kajakker med utstyr.",
        jobs_now=2,
        jobs_in_3_years=7,
        traction="Belegg på 70 prosent i fjor sommer; avtale med to turoperatører.",
        status="in_screening",
        days_ago=35,
        quality=3,
        review_comments=(
            "Fin helårsidé, men sesongen er kort for kajakk.",
            "Solid plan for vintersesongen.",
        ),
    ),
)
