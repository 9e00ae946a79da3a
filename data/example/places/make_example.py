"""Make the invented example place data for Helsingborg (kommun 1283).

Run from the repository root::

    .venv/bin/python data/example/places/make_example.py

Everything here is made up: places in Helsingborg's priority areas at approximate positions, and
inspections, incidents and citizen reports drawn from a seeded random generator, so that the
place-assessment report has something to show. Nothing is a real inspection, incident or report.
The output is deterministic (fixed seed); the files are written with the same writer that writes
the templates, so they have the templates' columns.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from pyproj import Transformer
from shapely.geometry import Polygon

from lagesbild.places.data import CITIZEN_CATEGORIES, write_csv
from lagesbild.places.factors import FACTOR_KEYS, FACTOR_NAMES
from lagesbild.publish.export import atomic_write_text

SEED = 1283_2025
HERE = Path(__file__).resolve().parent
TO_SWEREF = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
TO_WGS = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)

METADATA = """\
# Invented example data: read by lagesbild.places.data.load_place_data (keys: exempeldata, beskrivning, kalla, datum).
exempeldata: true
beskrivning: >-
  Påhittade exempeldata för platser i Helsingborgs prioriterade områden, gjorda för att visa
  rapporten. Det är inte verkliga besiktningar, händelser eller medborgarrapporter.
kalla: Genererade av data/example/places/make_example.py (slumptal med fast frö)
datum: "2026-01-15"
"""

# id, name, stadsdel, lat, lon, geometry kind, radius (m), koordinatsystem as written
PLACES = [
    ("HBG-001", "Drottninghögs centrum", "Drottninghög", 56.0600, 12.7350, "polygon", 110, "EPSG:3006"),
    ("HBG-002", "Dalhemsparken", "Dalhem", 56.0700, 12.7370, "point", 90, "WGS 84"),
    ("HBG-003", "Fredriksdals torg", "Fredriksdal", 56.0550, 12.7150, "point", 70, "EPSG:4326"),
    ("HBG-004", "Södergatan", "Söder", 56.0370, 12.7000, "polygon", 100, "SWEREF 99 TM"),
    ("HBG-005", "Parkstråket på Söder", "Söder", 56.0340, 12.7050, "point", 60, "WGS84"),
    ("HBG-006", "Planteringens centrum", "Planteringen", 56.0280, 12.7170, "polygon", 125, "EPSG:3006"),
    ("HBG-007", "Högaborgs torg", "Högaborg", 56.0520, 12.7030, "point", 80, "WGS 84"),
    ("HBG-008", "Gångtunneln vid Eneborg", "Eneborg", 56.0330, 12.7110, "point", 45, "EPSG:4326"),
]

# A place's typical score per factor (FACTOR_KEYS order): some weak on light and sight lines, some good.
PROFILES = {
    "HBG-001": (2, 3, 2, 2, 3, 3, 2, 3),
    "HBG-002": (3, 2, 2, 1, 2, 3, 3, 2),
    "HBG-003": (4, 4, 4, 4, 3, 4, 4, 3),
    "HBG-004": (2, 4, 3, 3, 3, 2, 2, 3),
    "HBG-005": (3, 2, 1, 2, 2, 3, 3, 2),
    "HBG-006": (3, 3, 3, 3, 2, 3, 3, 3),
    "HBG-007": (4, 5, 4, 4, 4, 4, 5, 4),
    "HBG-008": (2, 2, 1, 1, 2, 2, 2, 2),
}

WEAK_NOTES = {
    "omhandertagna_miljoer": "Mycket skräp och klotter, trasiga bänkar.",
    "befolkade_platser": "Folktomt på kvällen, inga verksamheter öppna.",
    "overblickbarhet": "Täta buskage och skymda hörn, svårt att se in.",
    "belysning": "Flera armaturer släckta, mörka partier längs gångvägen.",
    "sakerhetsatgarder": "Ingen bevakning eller trygghetsvärdar kvällstid.",
    "samhorighet": "Boende uppger att ingen tar ansvar för platsen.",
    "identitet_rykte": "Platsen har dåligt rykte, många undviker den.",
    "information": "Ingen skyltning om vem man kontaktar vid fel.",
}

CATEGORIES = {
    "Skadegörelse": 0.16, "Klotter": 0.14, "Ordningsstörning": 0.14, "Narkotikaförsäljning": 0.07, "Hot": 0.06,
    "Misshandel": 0.05, "Stöld": 0.10, "Brand i fordon": 0.04, "Nedskräpning": 0.12, "Samling av ungdomar": 0.12,
}
SOURCE_WEIGHTS = {
    "polis": 0.34, "bostadsbolag": 0.20, "trygghetsvärdar": 0.15, "kommun": 0.10, "bevakningsbolag": 0.09,
    "räddningstjänst": 0.03, "kollektivtrafik": 0.05, "skola": 0.02, "annan": 0.02,
}
NOTES = {
    "Skadegörelse": ["Krossad ruta i busskur.", "Sönderslagen belysningsstolpe.", "Skadad port till soprum."],
    "Klotter": ["Nytt klotter på fasaden.", "Klotter i gångtunneln.", "Taggar på elskåp."],
    "Ordningsstörning": ["Hög musik och bråk utomhus.", "Berusade personer stör förbipasserande."],
    "Narkotikaförsäljning": ["Misstänkt försäljning vid entrén.", "Tips om langning kvällstid."],
    "Hot": ["Person hotade personal.", "Hotfull stämning mot förbipasserande."],
    "Misshandel": ["Bråk som övergick i slagsmål."],
    "Stöld": ["Cykelstöld från ställ.", "Inbrott i förråd."],
    "Brand i fordon": ["Bil i brand på parkeringen.", "Brand i moped."],
    "Nedskräpning": ["Mycket skräp efter helgen.", "Dumpade möbler vid återvinningen."],
    "Samling av ungdomar": ["Större grupp ungdomar, ingen störning.", "Grupp samlas vid entrén sent."],
}
CITIZEN_WEIGHTS = (0.25, 0.20, 0.12, 0.10, 0.10, 0.15, 0.08)
CITIZEN_NOTES = {
    "Skadegörelse/nedskräpning": ["Mycket skräp vid bänkarna.", "Klotter på lekplatsen."],
    "Belysning": ["Lampan vid gångvägen är trasig.", "Mörkt hela stråket."],
    "Osäker trafiksituation": ["Bilar kör fort förbi skolan.", "Svårt att se vid övergångsstället."],
    "Motorburna fordon": ["Mopeder kör på gångvägen.", "Crossar i parken på kvällen."],
    "Samlingsplats": ["Grupper samlas här på kvällarna.", "Folk hänger vid entrén sent."],
    "Allmänt otrygg plats": ["Känns otryggt att gå här ensam.", "Undviker platsen efter mörkrets inbrott."],
    "Annat": ["Saknar papperskorgar.", "Önskar fler bänkar."],
}

# Incident clusters: place id, share of clustered incidents, spread (m), extra weight per category
CLUSTERS = [
    ("HBG-001", 0.30, 90, {"Narkotikaförsäljning": 3, "Samling av ungdomar": 2, "Ordningsstörning": 1.5}),
    ("HBG-004", 0.22, 120, {"Ordningsstörning": 2, "Misshandel": 2, "Stöld": 1.5}),
    ("HBG-008", 0.16, 50, {"Klotter": 3, "Skadegörelse": 2}),
    ("HBG-002", 0.17, 130, {"Brand i fordon": 3, "Nedskräpning": 1.5}),
    ("HBG-006", 0.15, 70, {}),
]
# Background: scattered over central Helsingborg (lon, lat box, away from the sea)
BACKGROUND = (12.697, 12.760, 56.024, 56.074)
BACKGROUND_NEAR_M = 1500  # keep background within reach of a place (the loader keeps rows within 2 km)

HOUR_WEIGHTS = np.array([3, 2, 1.5, 1, .5, .4, .4, .6, .8, 1, 1, 1.2, 1.3, 1.3, 1.5, 2, 2.5, 3, 4, 5, 5.5, 5.5, 5, 4])
DAY_WEIGHTS = np.array([1.0, 0.95, 1.0, 1.1, 1.5, 1.6, 1.1])  # Monday … Sunday


def centre(lat: float, lon: float) -> tuple[float, float]:
    x, y = TO_SWEREF.transform(lon, lat)
    return float(x), float(y)


def wgs(x: float, y: float) -> tuple[float, float]:
    lon, lat = TO_WGS.transform(x, y)
    return float(lon), float(lat)


def sv(value: float, decimals: int) -> str:
    """A number with a decimal comma, as a Swedish export writes it."""
    return f"{value:.{decimals}f}".replace(".", ",")


def place_rows(rng: np.random.Generator) -> list[dict]:
    rows = []
    for pid, name, area, lat, lon, kind, radius, crs in PLACES:
        row = {"plats_id": pid, "namn": name, "kommun": "1283", "stadsdel": area, "koordinatsystem": crs}
        if kind == "polygon":
            x0, y0 = centre(lat, lon)
            angles = np.deg2rad(np.arange(0, 360, 40) + rng.uniform(-8, 8, 9))
            radii = radius * rng.uniform(0.75, 1.0, 9)
            ring = [(round(x0 + r * np.cos(a)), round(y0 + r * np.sin(a))) for a, r in zip(angles, radii, strict=True)]
            assert Polygon(ring).is_valid
            row["geometri"] = Polygon(ring).wkt
        else:
            row.update(ost=sv(lon, 5), nord=sv(lat, 5), radie_m=str(radius))
        rows.append(row)
    return rows


def inspection_rows(rng: np.random.Generator) -> list[dict]:
    roles = ["trygghetssamordnare", "kommunens tjänsteperson", "polis", "bostadsbolag", "boende",
             "fastighetsägare", "näringsidkare", "trygghetsvärd", "föreningsliv"]
    start, days = dt.date(2023, 3, 1), (dt.date(2025, 11, 30) - dt.date(2023, 3, 1)).days
    rows = []
    for pid, *_ in PLACES:
        n = int(rng.integers(1, 4))
        dates = sorted(start + dt.timedelta(days=int(d)) for d in rng.choice(days, n, replace=False))
        base = np.array(PROFILES[pid], dtype=float)
        for i, day in enumerate(dates):
            improvement = (base <= 2) & (rng.random(8) < 0.35 * i)  # later walks: some measures have helped
            noise = rng.choice([-1, 0, 0, 0, 1], 8)
            scores = np.clip(base + noise + improvement, 1, 5)
            skipped = rng.random(8) < 0.08
            skipped[int(np.argmin(scores))] = False  # never skip every factor
            typ = "trygghetsvandring" if rng.random() < 0.45 else ("okulär besiktning" if rng.random() < 0.3
                                                                   else "besiktning")
            row = {"plats_id": pid, "datum": day.isoformat(), "typ": typ, "roll": str(rng.choice(roles))}
            for key, score, skip in zip(FACTOR_KEYS, scores, skipped, strict=True):
                row[FACTOR_NAMES[key]] = "" if skip else str(int(score))
            weak = [k for k, s, sk in zip(FACTOR_KEYS, scores, skipped, strict=True) if s <= 2 and not sk]
            notes = [WEAK_NOTES[k] for k in weak[:2]] or ["Platsen upplevs som trygg och välskött."]
            if typ == "trygghetsvandring":
                notes.append("Trygghetsvandring med boende kvällstid.")
            row["anteckning"] = " ".join(notes)
            rows.append(row)
    return rows


def random_times(rng: np.random.Generator, n: int, hour_weights: np.ndarray, night_boost: float) -> list[dt.datetime]:
    """Times in 2024–2025 with a weekday × hour pattern (weekend nights boosted)."""
    weights = np.outer(DAY_WEIGHTS, hour_weights)
    weights[5:, :4] *= night_boost  # Saturday and Sunday 00–03: Friday and Saturday nights
    weights = weights.ravel() / weights.sum()
    cells = rng.choice(7 * 24, n, p=weights)
    first, last = dt.date(2024, 1, 1), dt.date(2025, 12, 31)
    all_days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    by_weekday = {d: [day for day in all_days if day.weekday() == d] for d in range(7)}
    out = []
    for cell in cells:
        weekday, hour = divmod(int(cell), 24)
        day = by_weekday[weekday][int(rng.integers(len(by_weekday[weekday])))]
        out.append(dt.datetime.combine(day, dt.time(hour, int(rng.integers(60)))))
    return out


def background_point(rng: np.random.Generator) -> tuple[float, float]:
    """A point in central Helsingborg within BACKGROUND_NEAR_M of some place (rejection sampling)."""
    lon0, lon1, lat0, lat1 = BACKGROUND
    centres = np.array([centre(lat, lon) for _, _, _, lat, lon, *_ in PLACES])
    while True:
        x, y = centre(rng.uniform(lat0, lat1), rng.uniform(lon0, lon1))
        if np.hypot(centres[:, 0] - x, centres[:, 1] - y).min() <= BACKGROUND_NEAR_M:
            return x, y


def incident_rows(rng: np.random.Generator, n: int = 600) -> list[dict]:
    centres = {pid: centre(lat, lon) for pid, _, _, lat, lon, *_ in PLACES}
    times = sorted(random_times(rng, n, HOUR_WEIGHTS, night_boost=3.0))
    names = list(CATEGORIES)
    shares = np.array([c[1] for c in CLUSTERS])
    rows = []
    for when in times:
        clustered = rng.random() < 0.62
        weights = np.array([CATEGORIES[c] for c in names])
        pid = ""
        if clustered:
            pid, _, spread, extra = CLUSTERS[int(rng.choice(len(CLUSTERS), p=shares / shares.sum()))]
            weights = weights * np.array([extra.get(c, 1.0) for c in names])
            x0, y0 = centres[pid]
            x, y = x0 + rng.normal(0, spread), y0 + rng.normal(0, spread)
        else:
            x, y = background_point(rng)
        category = names[int(rng.choice(len(names), p=weights / weights.sum()))]
        if category == "Brand i fordon" and rng.random() < 0.6:
            source = "räddningstjänst"
        else:
            source = str(rng.choice(list(SOURCE_WEIGHTS), p=np.array(list(SOURCE_WEIGHTS.values()))))
        row = {"tid": when.strftime("%Y-%m-%d %H:%M"), "kategori": category, "kalla": source}
        mode = rng.random()
        if clustered and mode < 0.15:  # only the place is known
            row["plats_id"] = pid
        else:
            if clustered and mode < 0.85:
                row["plats_id"] = pid
            row.update(koordinatsystem="EPSG:3006", ost=str(round(x)), nord=str(round(y)))
        if rng.random() < 0.5:
            row["fritext"] = str(rng.choice(NOTES[category]))
        rows.append(row)
    return rows


def citizen_rows(rng: np.random.Generator, n: int = 200) -> list[dict]:
    centres = {pid: centre(lat, lon) for pid, _, _, lat, lon, *_ in PLACES}
    hours = np.array([.3, .2, .1, .1, .1, .2, .5, 1, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 2, 2.5, 3, 3.5, 3.5, 3, 2.5, 1.5, .8])
    times = sorted(random_times(rng, n, hours, night_boost=1.0))
    weights = np.array(CITIZEN_WEIGHTS)
    rows = []
    for i, when in enumerate(times):
        category = CITIZEN_CATEGORIES[int(rng.choice(len(CITIZEN_CATEGORIES), p=weights / weights.sum()))]
        row = {"tid": when.strftime("%Y-%m-%d %H:%M"), "kategori": category}
        if rng.random() < 0.6:
            pid = str(rng.choice(list(centres)))
            x, y = centres[pid][0] + rng.normal(0, 100), centres[pid][1] + rng.normal(0, 100)
            if rng.random() < 0.3:
                row["plats_id"] = pid
        else:
            x, y = background_point(rng)
        if i % 2 == 0:
            lon, lat = wgs(x, y)
            row.update(koordinatsystem="WGS 84", ost=sv(lon, 6), nord=sv(lat, 6))
        else:
            row.update(koordinatsystem="EPSG:3006", ost=str(round(x)), nord=str(round(y)))
        if rng.random() < 0.6:
            row["fritext"] = str(rng.choice(CITIZEN_NOTES[category]))
        rows.append(row)
    return rows


def main() -> None:
    rng = np.random.default_rng(SEED)
    atomic_write_text(HERE / "metadata.yaml", METADATA)
    write_csv(HERE / "platser.csv", "platser", place_rows(rng))
    write_csv(HERE / "besiktningar.csv", "besiktningar", inspection_rows(rng))
    write_csv(HERE / "handelser.csv", "handelser", incident_rows(rng))
    write_csv(HERE / "medborgarrapporter.csv", "medborgarrapporter", citizen_rows(rng))


if __name__ == "__main__":
    main()
