"""Benchmark of the ranking: 2,000 investors x 10,000 pitches, top 50 each.

Run through ``bench/engine.py`` (or alone: ``python bench/engine_rank.py``).
Instances are generated with a fixed seed from word lists of the domain:
Norwegian (bokmål) and English texts with compound words and inflections
(theses of 20-80 words, pitch texts of 60-220), sectors, stages,
municipalities and regions of Ofoten, Sør-Troms and Vesterålen, the five
sub-projects, tickets from 10,000 to 50,000,000 kroner, and a few conflicts.

Each measurement runs in a child process of its own, so that its peak
memory (``ru_maxrss``) is honest: the full matrix with :func:`rank`, and a
200 x 1,000 slice of the same instance with both :func:`rank` and the plain
per-pair loop :func:`rank_reference`, for the speed per pair.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matchmaking.engine.rank import RankInvestor, RankPitch, rank, rank_reference  # noqa: E402

SEED = 20_151_101
FULL = (2000, 10_000)
SLICE = (200, 1000)
TOP = 50
AIM_SECONDS = 3.0
AIM_MEMORY_MB = 1536
AIM_RATIO = 50.0
# Runs of the full ranking; the aim is judged on the fastest, as timeit does:
# slower runs measure other work on the machine, not the ranking.
REPEATS = 5

REGIONS = {
    "ofoten": ["narvik", "evenes", "tjeldsund", "ballangen", "tysfjord"],
    "sor-troms": ["harstad", "kvaefjord", "ibestad", "lavangen", "salangen", "bardu"],
    "vesteralen": ["sortland", "hadsel", "andoy", "bo", "oksnes"],
}
MUNICIPALITIES = [m for members in REGIONS.values() for m in members]
STAGES = ["idea", "pre-seed", "seed", "early-growth", "growth"]
SUBPROJECTS = [
    "strategisk-naeringsplan",
    "marin-kartlegging",
    "stedsutvikling",
    "tidligfasekapital",
    "nye-arbeidsplasser",
]
SECTOR_WORDS = {
    "marine": "hav fisk laks sjømat oppdrett tare skjell kyst fiskeri marin havbruk torsk fôr "
    "rogn fartøy merd smolt settefisk sjø notlag seafood salmon aquaculture kelp fishing ocean "
    "fjord vessel hatchery",
    "tourism": "reiseliv turisme opplevelse hotell overnatting nordlys fjell ski guide hytte "
    "destinasjon kultur gjest vandring fiske cruise rorbu tourism travel hotel aurora "
    "adventure booking hiking lodge visitor",
    "energy": "energi kraft vind sol hydrogen batteri strøm nett fornybar vannkraft lading "
    "elektrisk varme utslipp solcelle kraftverk energy wind solar battery grid renewable "
    "charging emission turbine",
    "logistics": "logistikk transport jernbane havn frakt lager malm terminal godstrafikk "
    "lastebil rute levering drone kai ferge logistics rail port freight shipping warehouse "
    "container delivery corridor",
    "tech": "programvare data app plattform sky sensor kunstig intelligens digital nettverk "
    "automasjon robot sikkerhet algoritme software cloud platform analytics machine learning "
    "cybersecurity interface",
    "health": "helse omsorg pasient medisin velferd sykehus eldre trening diagnose behandling "
    "rehabilitering hjemme monitor legemiddel health care patient medical wellbeing clinic "
    "therapy elderly",
    "industry": "industri produksjon metall stål verksted maskin prosess materiale forsvar "
    "komponent sveising montering kvalitet støping industry manufacturing steel factory "
    "materials defence machining",
    "agriculture": "landbruk gård jord melk sau rein grønnsaker veksthus økologisk foredling "
    "bær urter beite slakteri farming farm greenhouse organic dairy reindeer berries "
    "vegetables",
    "culture": "kultur musikk festival kunst film teater scene design media spill litteratur "
    "museum culture music festival art film theatre design games",
    "construction": "bygg anlegg bolig tre tømmer betong eiendom arkitektur rehabilitering "
    "construction housing timber concrete property architecture",
}
SECTORS = sorted(SECTOR_WORDS)


def _words(text: str) -> list[str]:
    return text.split()


GENERAL_NO = _words(
    "selskap marked kunde løsning produkt utvikling vekst arbeidsplass investering kapital "
    "region team eksport nasjonal internasjonal bærekraft innovasjon pilot salg inntekt "
    "lønnsom gründer oppstart samarbeid leverandør skalering prototyp patent lisens avtale "
    "finansiering tilskudd styre erfaring kompetanse teknologi tjeneste plan mål strategi"
)
GENERAL_EN = _words(
    "company market customer solution product development growth job investment capital "
    "region team export international sustainable innovation pilot sales revenue profitable "
    "founder startup partnership supplier scaling prototype patent licence agreement funding "
    "grant board experience competence technology service plan goal strategy"
)
FUNCTION_NO = _words(
    "og i for med til på av som er en et vi det den har skal kan vår våre fra ved om at de mot "
    "etter nå mer nye i dag også både eller ikke vil blir"
)
FUNCTION_EN = _words(
    "the and of for with to in we our a is will that this from by on are an at as it more into "
    "also both or not new today can has have"
)
SUFFIX_NO = ["", "", "", "", "en", "et", "er", "ene", "ing", "ens", "s", "ar"]
PLACES = ["Narvik", "Ofoten", "Harstad", "Evenes", "Tysfjord", "Nord-Norge", "Lofoten", "Bjerkvik"]


def _zipf_pick(rng: random.Random, words: list[str]) -> str:
    """Common words more often than rare ones (roughly Zipf's law)."""
    return words[min(len(words) - 1, int(rng.paretovariate(1.1)) - 1)]


def _text(rng: random.Random, sectors: list[str], n_words: int) -> str:
    norwegian = rng.random() < 0.7
    general = GENERAL_NO if norwegian else GENERAL_EN
    function = FUNCTION_NO if norwegian else FUNCTION_EN
    words: list[str] = []
    for _ in range(n_words):
        r = rng.random()
        if r < 0.35:
            sector = sectors[0] if rng.random() < 0.75 else rng.choice(SECTORS)
            stems = SECTOR_WORDS[sector].split()
            word = rng.choice(stems)
            if norwegian and rng.random() < 0.35:  # a compound: "laks" + "oppdrett"
                word += rng.choice(stems + general)
            if norwegian:
                word += rng.choice(SUFFIX_NO)
        elif r < 0.6:
            word = rng.choice(general) + (rng.choice(SUFFIX_NO) if norwegian else "")
        elif r < 0.63:
            word = rng.choice(PLACES)
        elif r < 0.65:
            word = str(rng.choice([2, 5, 10, 12, 20, 50, 100, 2026, 2027]))
        else:
            word = _zipf_pick(rng, function)
        words.append(word)
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _money(rng: random.Random, low: int, high: int) -> int:
    """A round amount of kroner, log-uniform between low and high."""
    value = 10 ** rng.uniform(len(str(low)) - 1, len(str(high)) - 1)
    return max(low, min(high, int(round(value, -4))))


def make_instance(
    n_investors: int, n_pitches: int, seed: int = SEED
) -> tuple[list[RankInvestor], list[RankPitch], list[tuple[str, str]], dict[str, list[str]]]:
    """Investors, pitches, conflicts and regions, the same for the same arguments."""
    rng = random.Random(seed)
    places = [*MUNICIPALITIES, *REGIONS]
    investors = []
    for k in range(n_investors):
        low = _money(rng, 25_000, 2_000_000)
        investors.append(
            RankInvestor(
                id=f"inv-{k:05d}",
                sectors=tuple(rng.sample(SECTORS, rng.choice([0, 1, 2, 2, 3]))),
                stages=tuple(rng.sample(STAGES, rng.choice([0, 1, 2, 2, 3]))),
                ticket_min=low,
                ticket_max=max(low, _money(rng, 100_000, 10_000_000)),
                municipalities=tuple(rng.sample(places, rng.choice([0, 1, 1, 2, 3]))),
                subprojects=tuple(rng.sample(SUBPROJECTS, rng.choice([0, 0, 1, 2]))),
                thesis=_text(rng, rng.sample(SECTORS, 2), rng.randint(20, 80)),
            )
        )
    pitches = []
    for k in range(n_pitches):
        sector = rng.choice(SECTORS)
        ask = _money(rng, 200_000, 50_000_000)
        pitches.append(
            RankPitch(
                id=f"p-{k:05d}",
                sector=sector,
                stage=rng.choice(STAGES),
                ask=ask,
                min_ticket=min(ask, _money(rng, 10_000, 2_000_000)),
                municipality=rng.choice(MUNICIPALITIES),
                subproject=rng.choice([*SUBPROJECTS, None]),
                text=_text(rng, [sector], rng.randint(60, 220)),
            )
        )
    conflicts = [
        (rng.choice(investors).id, rng.choice(pitches).id) for _ in range(n_investors // 10)
    ]
    return investors, pitches, sorted(set(conflicts)), REGIONS


# -- measuring ------------------------------------------------------------


def _rss_mb() -> float:
    """The resident set size of this process now, in MB."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child_full(repeats: int = REPEATS) -> dict[str, float]:
    investors, pitches, conflicts, regions = make_instance(*FULL)
    before = _rss_mb()
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        result = rank(investors, pitches, conflicts=conflicts, regions=regions, top=TOP)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        assert all(len(v) <= TOP for v in result.values())
        del result
    return {
        "wall_min": min(walls),
        "wall_median": statistics.median(walls),
        "cpu_median": statistics.median(cpus),
        "input_mb": before,
        "peak_mb": _peak_mb(),
    }


def _child_slice() -> dict[str, float]:
    investors, pitches, conflicts, regions = make_instance(*FULL)
    investors, pitches = investors[: SLICE[0]], pitches[: SLICE[1]]
    start = time.perf_counter()
    fast = rank(investors, pitches, conflicts=conflicts, regions=regions)
    vectorised = time.perf_counter() - start
    start = time.perf_counter()
    slow = rank_reference(investors, pitches, conflicts=conflicts, regions=regions)
    reference = time.perf_counter() - start
    worst = max(
        (abs(a.score - b.score) for inv in fast for a, b in zip(fast[inv], slow[inv], strict=True)),
        default=0.0,
    )
    same = all([m.pitch for m in fast[k]] == [m.pitch for m in slow[k]] for k in fast)
    return {"vectorised": vectorised, "reference": reference, "worst": worst, "same": float(same)}


def _in_child(kind: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def run() -> list[dict[str, str]]:
    """The benchmark's rows: case, size, time, result, aim."""
    full = _in_child("full")
    part = _in_child("slice")
    pairs_full = FULL[0] * FULL[1]
    pairs_slice = SLICE[0] * SLICE[1]
    per_pair_full = full["wall_min"] / pairs_full
    per_pair_ref = part["reference"] / pairs_slice
    per_pair_vec = part["vectorised"] / pairs_slice
    ratio = per_pair_ref / per_pair_full
    met_full = full["wall_min"] < AIM_SECONDS and full["peak_mb"] < AIM_MEMORY_MB
    return [
        {
            "case": f"rank, top {TOP} per investor",
            "size": f"{FULL[0]:,} investors x {FULL[1]:,} pitches",
            "time": f"best {full['wall_min']:.2f} s of {REPEATS} (median "
            f"{full['wall_median']:.2f} s, CPU {full['cpu_median']:.2f} s)",
            "result": f"peak RSS {full['peak_mb']:.0f} MB ({full['input_mb']:.0f} MB before "
            f"ranking); {1e9 * per_pair_full:.0f} ns per pair",
            "aim": f"< {AIM_SECONDS:.0f} s and < {AIM_MEMORY_MB / 1024:.1f} GB"
            + (": met" if met_full else ": NOT met"),
        },
        {
            "case": "rank, plain per-pair loop (rank_reference)",
            "size": f"{SLICE[0]} x {SLICE[1]:,} slice",
            "time": f"{part['reference']:.2f} s (vectorised on the slice {part['vectorised']:.2f} s)",
            "result": f"{1e6 * per_pair_ref:.1f} us per pair: the full run is {ratio:.0f}x "
            f"faster per pair, the slice {per_pair_ref / per_pair_vec:.0f}x; same ranking: "
            + ("yes" if part["same"] else "no")
            + f" (largest score difference {part['worst']:.1e})",
            "aim": f">= {AIM_RATIO:.0f}x faster per pair"
            + (": met" if ratio >= AIM_RATIO else ": NOT met"),
        },
    ]


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child = {"full": _child_full, "slice": _child_slice}[sys.argv[2]]
        print(json.dumps(child()))
        return
    for row in run():
        print(" | ".join(row.values()))


if __name__ == "__main__":
    main()
