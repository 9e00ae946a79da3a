"""Safety projects and commitments: the registers, the areas of a project and event counts before and after.

A *project folder* holds up to three tables, each as CSV or Excel (``.xlsx``), one of each kind:

=========================  ===============================================  ==========
file                       what                                             needed
=========================  ===============================================  ==========
``projekt.*``              project register: measures, budget, dates,       one of the
                           treated and control area, before/after periods   first two
``ataganden.*``            commitments (e.g. medborgarlöften): target,      one of the
                           deadline, outcome                                first two
``enkat.*``                survey indices before and after (e.g. a          no
                           problem index with its confidence interval)
``metadata.yaml``          ``exempeldata``, ``beskrivning``, ``kalla``,     no
                           ``datum`` (as a place-data folder)
=========================  ===============================================  ==========

``åtaganden.*`` and ``enkät.*`` are accepted as file names too. The columns of each table are
declared once, in :data:`TEMPLATES` (with :mod:`lagesbild.inputs.tables`), and the folder in
:data:`PROJECT_FOLDER`; the declaration reads the tables and writes the templates in
``data/templates/projects/`` (CSV, ``mallar.xlsx`` with an instruction sheet, README), so templates
and docs cannot drift. Every problem in a file is an :class:`~lagesbild.core.errors.InputError` naming
file, spreadsheet row, column, what is wrong and the fix. Headers match case-insensitively, with or
without Swedish letters (``atgarder`` or ``åtgärder``); numbers may have a decimal comma and spaces;
dates are ISO (``2024-07-01``) or Excel date cells.

Areas
-----
A project's treated area (``behandlat_omrade``) and optional control area (``kontrollomrade``) are
each EITHER a WKT polygon in the row's declared ``koordinatsystem`` (parsed and checked with the
coordinate rules of :mod:`lagesbild.inputs.coordinates`) OR place ids from the places register separated
by ``;`` (the union of those places). :func:`project_areas` turns a project into four disjoint
areas in SWEREF 99 TM (:data:`AREA_ROLES`): the treated area, its displacement ring (the treated
area buffered by ``buffer_m`` minus the treated area, minus the control area where they overlap),
the control area, and the control's displacement ring (minus the treated area's buffer where they
overlap). Because the four never overlap, an event counts in at most one of them.

Counts
------
:func:`count_events` counts events per project, area, period and category, with zero counts as
rows. A period ``(start, end)`` is whole days and its end is inclusive. An event that lies exactly
on the line between two areas (e.g. on the edge of the treated area, which is also the inner edge
of the displacement ring) counts for the first of them in :data:`AREA_ROLES` order, so an event is
never counted twice and never falls between two areas.

The column ``kommentar`` of the project register may hold anything the analyst writes; it is kept
for reading in JupyterLab but must **never be published** in a report.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from lagesbild.core import fmt
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import tables as it
from lagesbild.inputs.coordinates import CRS, CRS_RULE, crs_rule, parse_crs, parse_polygon
from lagesbild.inputs.folders import METADATA_KEYS, Folder
from lagesbild.inputs.tables import NOT_EMPTY, Rule, Table, cell_text, first_row, is_filled, normalise
from lagesbild.sources import schemas
from lagesbild.sources.readers import to_number
from lagesbild.stats.spatial import MISSING_CATEGORY, place_point

# ============================================================================================
# Controlled vocabularies and constants
# ============================================================================================

#: The three kinds of table in a project folder (file stem = kind).
FILE_KINDS: tuple[str, ...] = ("projekt", "ataganden", "enkat")


#: Kinds of measure (``atgardstyp``).
MEASURE_TYPES: tuple[str, ...] = ("fysisk", "social", "fysisk och social")
_MEASURE_TYPE_ALIASES = {"fysisk/social": "fysisk och social", "fysisk & social": "fysisk och social",
                         "fysisk + social": "fysisk och social", "social och fysisk": "fysisk och social"}

#: Who owns a commitment (``agare``).
OWNERS: tuple[str, ...] = ("kommun", "polis", "båda")
_OWNER_ALIASES = {"bada": "båda", "kommunen": "kommun", "polisen": "polis", "kommun och polis": "båda",
                  "polis och kommun": "båda"}

#: Kinds of commitment (``typ``): a target number (``minst``, ``högst``), a direction between two
#: counts (``minska``, ``öka``) or done / not done (``ja/nej``).
COMMITMENT_TYPES: tuple[str, ...] = ("minst", "högst", "minska", "öka", "ja/nej")
_TYPE_ALIASES = {"hogst": "högst", "oka": "öka", "ja / nej": "ja/nej", "ja-nej": "ja/nej", "janej": "ja/nej",
                 "ja eller nej": "ja/nej"}
#: Commitment types with a target number in ``mal`` and a number in ``utfall``.
TARGET_TYPES: tuple[str, ...] = ("minst", "högst")
#: Commitment types whose outcome is two counts, ``fore`` and ``efter``.
DIRECTION_TYPES: tuple[str, ...] = ("minska", "öka")

#: Survey periods (``period``).
SURVEY_PERIODS: tuple[str, ...] = ("före", "efter")
_PERIOD_ALIASES = {"fore": "före"}

#: The four areas of a project, in the order that decides which area an event on a shared edge counts for.
AREA_ROLES: tuple[str, ...] = ("behandlat", "förskjutning", "kontroll", "kontrollförskjutning")

#: Default width of the displacement ring (metres), and its allowed range (above 0, at most MAX_BUFFER_M).
DEFAULT_BUFFER_M = 250.0
MAX_BUFFER_M = 2000.0

#: Segments per quarter circle when buffering. Shapely approximates a round corner by a polygon
#: inscribed in the circle; with 32 segments per quarter the ring around a square is 0.01 % smaller
#: than the exact one (with shapely's default of 8 it would be 0.2 %).
QUAD_SEGS = 32

#: The ``kategori`` of the total over all categories in :func:`count_events`.
ALL = "alla"

#: Earliest and latest year (``ar``) of a commitment.
YEAR_RANGE = (2000, 2100)

_KOMMUN_RE = r"^\d{4}$"
_TEMPLATES = "data/templates/projects"
_DATE_COLUMNS = ("start", "slut", "fore_start", "fore_slut", "efter_start", "efter_slut")

PRIVACY_RULE = (
    "Kolumnen kommentar i projektregistret läses bara av analytikern och publiceras aldrig i en rapport. "
    "Skriv inga namn, personnummer eller andra uppgifter som pekar ut en person i någon kolumn."
)
AREA_RULE = (
    "Behandlat område och kontrollområde anges ANTINGEN som en WKT-polygon (POLYGON eller MULTIPOLYGON, t.ex. "
    "kopierad från QGIS) med radens koordinatsystem, ELLER som plats_id från platsregistret åtskilda med "
    "semikolon (HBG-001; HBG-002); flera platser slås ihop till ett område. Kontrollområdet ska likna det "
    "behandlade området men inte få insatsen, och får inte överlappa det. Runt båda läggs ett "
    "förskjutningsområde (en ring, standard 250 m) för att se om problemen flyttat dit; där ringen runt det "
    "behandlade området når in i kontrollområdet räknas ytan bara till kontrollområdet, och ringen runt "
    "kontrollområdet tar inte med något inom 250 m från det behandlade området."
)
PERIOD_RULE = (
    "Perioden före (fore_start–fore_slut) ska sluta senast den dag insatsen börjar (start), och perioden efter "
    "(efter_start–efter_slut) ska börja tidigast den dag insatsen slutar (slut). Alla datum är hela dagar och "
    "slutdagen räknas med. Perioderna får vara olika långa; rapporten räknar då om till antal per dag "
    "(fore_dagar och efter_dagar). Jämför helst lika långa perioder under samma tid på året."
)
COMMITMENT_RULE = (
    "typ minst eller högst: måltalet i mal och utfallet som tal i utfall. typ minska eller öka: antal före och "
    "efter i fore och efter (mal och utfall tomma). typ ja/nej: utfall ja eller nej (mal tom). Tom utfallscell "
    "(eller tomma fore och efter) betyder att utfallet inte är rapporterat än."
)

# ============================================================================================
# Templates
# ============================================================================================

_KOMMUN_DESCRIPTION = "Kommunkod, fyra siffror (SCB), t.ex. 1283 för Helsingborg eller 0114 (behåll nollan)."
_HBG_POLYGON = ("POLYGON ((356630 6212510, 356800 6212510, 356800 6212670, 356630 6212670, 356630 6212510))")

#: Every file kind's columns (name, required column, Swedish description, aliases) and example rows.
TEMPLATES: dict[str, Table] = {
    "projekt": it.table(
        "projekt", "Projekt",
        "Projektregistret: en rad per trygghetsprojekt (insats) som ska utvärderas före och efter.",
        [
            ("projekt_id", True, "Projektets id, unikt i registret (text), t.ex. HBG-2024-01. Används i enkat."),
            ("namn", True, "Projektets namn, som det ska stå i rapporten."),
            ("kommun", True, _KOMMUN_DESCRIPTION, "kommun_kod", "kommunkod"),
            ("atgarder", True, "Åtgärderna, åtskilda med semikolon, t.ex. belysning; röjning; aktivering.",
             "åtgärder"),
            ("atgardstyp", True, "fysisk, social eller fysisk och social.", "åtgärdstyp"),
            ("budget_sek", False, "Budget i kronor, tal 0 eller större (mellanslag går bra); tom = okänd.",
             "budget", "budget_kr"),
            ("start", True, "Första dagen för insatsen, ÅÅÅÅ-MM-DD (eller ett datum i Excel)."),
            ("slut", True, "Sista dagen för insatsen (samma dag som start eller senare)."),
            ("behandlat_omrade", True,
             "Området där insatsen görs: en WKT-polygon (med koordinatsystem) ELLER plats_id från "
             "platsregistret åtskilda med semikolon, t.ex. HBG-001; HBG-002.",
             "behandlat_område", "behandlat område"),
            ("kontrollomrade", False,
             "Jämförelseområde utan insatsen, på samma sätt som behandlat_omrade; tom = inget kontrollområde. "
             "Får inte överlappa det behandlade området.", "kontrollområde"),
            ("fore_start", True, "Första dagen i perioden före insatsen.", "före_start"),
            ("fore_slut", True, "Sista dagen i perioden före; senast samma dag som start.", "före_slut"),
            ("efter_start", True, "Första dagen i perioden efter; tidigast samma dag som slut."),
            ("efter_slut", True, "Sista dagen i perioden efter."),
            ("koordinatsystem", False,
             "Koordinatsystem för WKT-polygonerna: EPSG:3006 (SWEREF 99 TM) eller EPSG:4326 (WGS 84). "
             "Krävs när ett område är en polygon."),
            ("kommentar", False, "Anteckning om projektet. Publiceras aldrig; skriv inga namn eller personuppgifter.",
             "anteckning"),
        ],
        [
            ("HBG-2024-01", "Trygg Drottninghög – belysning och aktivering", "1283",
             "belysning; beskärning; aktivering", "fysisk och social", "1 400 000", "2024-07-01", "2024-12-31",
             "HBG-001", "HBG-006", "2024-01-01", "2024-06-30", "2025-01-01", "2025-06-30", "",
             "Kontrollområdet liknar Drottninghög men fick ingen insats."),
            ("HBG-2025-02", "Ny belysning på Södergatan", "1283", "belysning", "fysisk", "250 000", "2025-03-01",
             "2025-03-31", _HBG_POLYGON, "", "2024-09-01", "2025-02-28", "2025-04-01", "2025-09-30",
             "EPSG:3006", ""),
        ],
        templates=_TEMPLATES, description="Projektregister", noun="project register", row_noun="project",
    ),
    "ataganden": it.table(
        "ataganden", "Åtaganden",
        "En rad per åtagande, t.ex. i ett medborgarlöfte eller en samverkansöverenskommelse, med mål och utfall.",
        [
            ("atagande_id", True, "Åtagandets id, unikt i registret (text), t.ex. HAL-2025-1.", "åtagande_id"),
            ("kommun", True, _KOMMUN_DESCRIPTION, "kommun_kod", "kommunkod"),
            ("ar", True, "Året åtagandet gäller, t.ex. 2025.", "år"),
            ("text", True, "Åtagandet ordagrant som det publicerades.", "åtagande"),
            ("agare", True, "Vem som äger åtagandet: kommun, polis eller båda.", "ägare"),
            ("indikator", False, "Vad som mäts, t.ex. Timmar synlig uniformerad polis i stadskärnan."),
            ("typ", True, "minst, högst, minska, öka eller ja/nej (se Åtaganden nedan)."),
            ("mal", False, "Måltal för typ minst och högst (tal 0 eller större); tom för minska, öka och ja/nej.",
             "mål"),
            ("enhet", False, "Enhet för mål och utfall, t.ex. timmar, gånger, brott."),
            ("deadline", True, "Sista dagen för att uppfylla åtagandet, ÅÅÅÅ-MM-DD.", "slutdatum"),
            ("utfall", False, "Utfallet: ett tal för minst och högst, ja eller nej för ja/nej; tom = inte "
             "rapporterat än. Tom för minska och öka (använd fore och efter)."),
            ("fore", False, "Antal före, heltal 0 eller större (bara för minska och öka).", "före"),
            ("efter", False, "Antal efter, heltal 0 eller större (bara för minska och öka)."),
            ("kalla", False, "Var utfallet redovisas, t.ex. Polisens uppföljning av medborgarlöftet.", "källa"),
        ],
        [
            ("HAL-2025-1", "1380", "2025", "Minst 900 timmar synlig uniformerad polis i stadskärnan", "polis",
             "Timmar synlig uniformerad polis i stadskärnan", "minst", "900", "timmar", "2025-12-31", "950", "",
             "", "Polisens uppföljning av medborgarlöftet"),
            ("HAL-2025-3", "1380", "2025", "Antalet misshandelsbrott i stadskärnan ska minska", "båda",
             "Anmälda misshandelsbrott i stadskärnan", "minska", "", "brott", "2025-12-31", "", "48", "35",
             "Polisens öppna data"),
            ("HAL-2025-4", "1380", "2025", "Trygghetsvandring i varje prioriterat område", "kommun", "",
             "ja/nej", "", "", "2025-12-31", "", "", "", ""),
        ],
        templates=_TEMPLATES, names=("åtaganden",), description="Åtaganden (t.ex. medborgarlöften)",
        noun="commitments register", row_noun="commitment",
    ),
    "enkat": it.table(
        "enkat", "Enkätindex",
        "En rad per index och period (före eller efter) från en trygghetsmätning eller enkät, för ett projekt "
        "(projekt_id) eller ett område (omrade).",
        [
            ("projekt_id", False, "Projektets id i projektregistret; tom om raden gäller ett område utan projekt."),
            ("omrade", False, "Området som mätningen gäller (krävs när projekt_id är tomt).", "område"),
            ("kommun", False, "Kommunkod, fyra siffror; krävs när projekt_id är tomt (annars projektets kommun).",
             "kommun_kod", "kommunkod"),
            ("index", True, "Indexets namn, t.ex. Problemindex (polisens trygghetsmätning)."),
            ("period", True, "före eller efter."),
            ("varde", True, "Indexets värde (tal, decimalkomma går bra).", "värde"),
            ("ki_lag", False, "Nedre gräns i 95 % konfidensintervall (tom om okänd).", "ki_låg"),
            ("ki_hog", False, "Övre gräns i 95 % konfidensintervall (tom om okänd).", "ki_hög"),
            ("n", False, "Antal svarande, heltal större än 0.", "antal_svar"),
            ("kalla", False, "Mätningen, t.ex. Polisens trygghetsmätning 2024.", "källa"),
        ],
        [
            ("HBG-2024-01", "", "", "Problemindex (polisens trygghetsmätning)", "före", "2,1", "1,8", "2,4", "412",
             "Polisens trygghetsmätning 2024"),
            ("HBG-2024-01", "", "", "Problemindex (polisens trygghetsmätning)", "efter", "1,7", "1,4", "2,0", "398",
             "Polisens trygghetsmätning 2025"),
            ("", "Planteringen", "1283", "Problemindex (polisens trygghetsmätning)", "före", "2,3", "2,0", "2,6",
             "", "Polisens trygghetsmätning 2024"),
        ],
        templates=_TEMPLATES, names=("enkät",), description="Enkätindex före och efter", noun="survey table",
        row_noun="index and period",
    ),
}

#: Swedish description of each file kind, used in the provenance of a report.
FILE_DESCRIPTIONS: dict[str, str] = {kind: t.description for kind, t in TEMPLATES.items()}

#: The project folder: its three tables, of which the project register or the commitments register is needed.
PROJECT_FOLDER = Folder("project folder", tuple(TEMPLATES.values()), needs=("projekt", "ataganden"),
                        table_noun="project-folder table", example_kommun="1283")

# ============================================================================================
# Contract schemas (the loaded frames)
# ============================================================================================


def _is_polygonal_or_none(s: pd.Series) -> pd.Series:
    return s.map(lambda g: g is None or (g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid))


def _date_column() -> pa.Column:
    return pa.Column("datetime64[ns]")

#: A loaded project register (:func:`load_projects`); index = spreadsheet row.
PROJECTS_SCHEMA = pa.DataFrameSchema(
    {
        "projekt_id": pa.Column(str, pa.Check(is_filled), unique=True),
        "namn": pa.Column(str, pa.Check(is_filled)),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "atgarder": pa.Column(str, pa.Check(is_filled)),
        "atgardstyp": pa.Column(str, pa.Check.isin(MEASURE_TYPES)),
        "budget_sek": pa.Column(float, pa.Check.ge(0), nullable=True),
        **{c: _date_column() for c in _DATE_COLUMNS},
        "fore_dagar": pa.Column(int, pa.Check.ge(1)),
        "efter_dagar": pa.Column(int, pa.Check.ge(1)),
        "behandlat_platser": pa.Column(str),
        "behandlat_geometri": pa.Column(None, pa.Check(_is_polygonal_or_none), nullable=True),
        "kontroll_platser": pa.Column(str),
        "kontroll_geometri": pa.Column(None, pa.Check(_is_polygonal_or_none), nullable=True),
        "kommentar": pa.Column(str),
    },
    checks=[pa.Check(lambda d: d["slut"] >= d["start"], error="slut >= start"),
            pa.Check(lambda d: d["fore_slut"] <= d["start"], error="fore_slut <= start"),
            pa.Check(lambda d: d["efter_start"] >= d["slut"], error="efter_start >= slut")],
    strict=True, ordered=True, name="projects",
)

#: A loaded commitments register (:func:`load_commitments`); index = spreadsheet row.
COMMITMENTS_SCHEMA = pa.DataFrameSchema(
    {
        "atagande_id": pa.Column(str, pa.Check(is_filled), unique=True),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "ar": pa.Column(int, pa.Check.in_range(*YEAR_RANGE)),
        "text": pa.Column(str, pa.Check(is_filled)),
        "agare": pa.Column(str, pa.Check.isin(OWNERS)),
        "indikator": pa.Column(str),
        "typ": pa.Column(str, pa.Check.isin(COMMITMENT_TYPES)),
        "mal": pa.Column(float, pa.Check.ge(0), nullable=True),
        "enhet": pa.Column(str),
        "deadline": _date_column(),
        "utfall": pa.Column(float, nullable=True),
        "fore": pa.Column(float, pa.Check.ge(0), nullable=True),
        "efter": pa.Column(float, pa.Check.ge(0), nullable=True),
        "rapporterat": pa.Column(bool),
        "kalla": pa.Column(str),
    },
    checks=[pa.Check(lambda d: d["mal"].notna() == d["typ"].isin(TARGET_TYPES), error="mal only for minst/högst"),
            pa.Check(lambda d: d["fore"].isna() | d["typ"].isin(DIRECTION_TYPES), error="fore only for minska/öka")],
    strict=True, ordered=True, name="commitments",
)

#: A loaded survey table (:func:`load_surveys`); index = spreadsheet row.
SURVEYS_SCHEMA = pa.DataFrameSchema(
    {
        "projekt_id": pa.Column(str),
        "omrade": pa.Column(str),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
        "index": pa.Column(str, pa.Check(is_filled)),
        "period": pa.Column(str, pa.Check.isin(SURVEY_PERIODS)),
        "varde": pa.Column(float),
        "ki_lag": pa.Column(float, nullable=True),
        "ki_hog": pa.Column(float, nullable=True),
        "n": pa.Column(float, pa.Check.gt(0), nullable=True),
        "kalla": pa.Column(str),
    },
    checks=pa.Check(lambda d: (d["projekt_id"] != "") | (d["omrade"] != ""), error="projekt_id or omrade"),
    strict=True, ordered=True, name="surveys",
)

#: Columns of the counts table of :func:`count_events`, in order.
COUNT_COLUMNS: tuple[str, ...] = ("projekt_id", "roll", "period", "kategori", "antal")

# ============================================================================================
# Cell helpers
# ============================================================================================

_KOMMUN = it.kommun_rule("1283 for Helsingborg")


def _day(d: pd.Timestamp) -> str:
    return f"{d:%Y-%m-%d}"


# ============================================================================================
# Areas given as WKT or place ids
# ============================================================================================


def _split_ids(text: str) -> tuple[str, ...]:
    """``"HBG-001; HBG-002;"`` → ("HBG-001", "HBG-002"): trimmed, empty pieces and repeats dropped."""
    out: list[str] = []
    for part in text.split(";"):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return tuple(out)


def _parse_area(text: str, crs: str | None, file: str, row: int, column: str, crs_column: str):
    """One area cell → (place ids, geometry in EPSG:3006 or None). Empty cell → ((), None)."""
    text = text.strip()
    if not text:
        return (), None
    if "(" not in text:
        return _split_ids(text), None
    if crs is None:
        raise InputError(file, f"{column} is a WKT polygon but the row has no koordinatsystem",
                         "write EPSG:3006 (SWEREF 99 TM, metres) or EPSG:4326 (WGS 84, degrees) in koordinatsystem; "
                         "the coordinate system is never guessed", row=row, column=crs_column)
    geom = parse_polygon(text, crs, file, row, column)
    if crs != CRS:
        geom = gpd.GeoSeries([geom], crs=crs).to_crs(CRS).iloc[0]
    return (), geom


def _check_place_frame(places) -> None:
    if not isinstance(places, gpd.GeoDataFrame) or "plats_id" not in places.columns:
        raise ValueError("places must be a GeoDataFrame with a 'plats_id' column (lagesbild.places.data.load_places).")
    if places.crs is None or places.crs.to_epsg() != 3006:
        raise ValueError(f"places must be in EPSG:3006 (SWEREF 99 TM), got {places.crs}.")


def _union_of_places(ids: Iterable[str], places: gpd.GeoDataFrame):
    """Union of the places' polygons; KeyError with the first unknown id."""
    by_id = dict(zip(places["plats_id"].astype(str), places.geometry, strict=True))
    geoms = []
    for pid in ids:
        if pid not in by_id:
            raise KeyError(pid)
        geoms.append(by_id[pid])
    return shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]


_ID_COLUMNS = {"behandlat": ("behandlat_platser", "behandlat_geometri", "behandlat_omrade"),
               "kontroll": ("kontroll_platser", "kontroll_geometri", "kontrollomrade")}


def resolve_areas(projects: pd.DataFrame, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Give the areas that a project register names by place ids their geometry from the places register.

    Areas already given as WKT polygons are kept. Each area named by place ids becomes the union of
    those places' polygons. Then the treated and control areas of each project are checked not to
    overlap.

    Parameters
    ----------
    projects : pandas.DataFrame
        As :func:`load_projects` returns it (its ``attrs`` name the file and the headers for errors).
    places : geopandas.GeoDataFrame
        The places register (:func:`lagesbild.places.data.load_places`), EPSG:3006.

    Returns
    -------
    pandas.DataFrame
        A copy of ``projects`` with ``behandlat_geometri`` and ``kontroll_geometri`` filled.

    Raises
    ------
    InputError
        Naming the row and column (``behandlat_omrade`` or ``kontrollomrade``): a place id that is not
        in the register, a place in another kommun than the project, or a control area that overlaps
        the treated area.
    ValueError
        If ``places`` is not a GeoDataFrame in EPSG:3006 with ``plats_id``.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> from lagesbild.places.data import load_places
    >>> projects = load_projects(DATA / "templates" / "projects" / "projekt.csv")
    >>> projects.loc[2, "behandlat_geometri"] is None
    True
    >>> done = resolve_areas(projects, load_places(DATA / "example" / "places" / "platser.csv"))
    >>> done.loc[2, "behandlat_geometri"].geom_type, round(done.loc[2, "behandlat_geometri"].area)
    ('Polygon', 28382)
    """
    _check_place_frame(places)
    file = projects.attrs.get("file", "projekt")
    headers = projects.attrs.get("headers", {})
    out = projects.copy()
    kommun_of = (dict(zip(places["plats_id"].astype(str), places["kommun_kod"].astype(str), strict=True))
                 if "kommun_kod" in places.columns else {})
    known = sorted(places["plats_id"].astype(str))
    for which, (ids_col, geom_col, source_col) in _ID_COLUMNS.items():
        column = headers.get(source_col, source_col)
        geoms = out[geom_col].tolist()
        for i, row in enumerate(out.index):
            ids = _split_ids(out.loc[row, ids_col])
            if not ids:
                continue
            try:
                geoms[i] = _union_of_places(ids, places)
            except KeyError as exc:
                raise InputError(
                    file, f"plats_id {plain(exc.args[0])} in the {which} area is not in the places register",
                    "correct the id, or add the place to platser (known ids: "
                    f"{', '.join(known[:8])}{' …' if len(known) > 8 else ''}); separate several ids with ;",
                    row=int(row), column=column) from None
            other = [p for p in ids if kommun_of.get(p, out.loc[row, "kommun_kod"]) != out.loc[row, "kommun_kod"]]
            if other:
                raise InputError(file, f"place {plain(other[0])} is in kommun {kommun_of[other[0]]}, the project in "
                                 f"{out.loc[row, 'kommun_kod']}",
                                 "use places in the project's kommun, or correct the project's kommun",
                                 row=int(row), column=column)
        out[geom_col] = pd.Series(geoms, index=out.index, dtype=object)
    _check_overlap(out, file, headers)
    out.attrs = dict(projects.attrs)
    return out


def _check_overlap(projects: pd.DataFrame, file: str, headers: Mapping[str, str]) -> None:
    for row in projects.index:
        treated, control = projects.loc[row, "behandlat_geometri"], projects.loc[row, "kontroll_geometri"]
        if treated is None or control is None:
            continue
        shared = treated.intersection(control).area
        if shared > 0.01:
            raise InputError(file, f"the control area overlaps the treated area ({shared:,.0f} m² in common)",
                             "choose a control area that does not overlap the treated area (a place cannot be both "
                             "treated and control)", row=int(row), column=headers.get("kontrollomrade", "kontrollomrade"))


# ============================================================================================
# Loaders
# ============================================================================================


def _check_periods(dates: Mapping[str, pd.Series], file: str, headers: Mapping[str, str]) -> None:
    """The order of the dates of every row; the first broken rule (row by row) is raised."""
    d = dates
    rules = [
        ("slut", d["slut"] < d["start"],
         lambda r: f"the intervention ends (slut {_day(d['slut'][r])}) before it starts (start {_day(d['start'][r])})",
         "check start and slut: slut is the last day of the intervention, on or after start"),
        ("fore_slut", d["fore_slut"] < d["fore_start"],
         lambda r: f"the before period ends ({_day(d['fore_slut'][r])}) before it starts "
                   f"({_day(d['fore_start'][r])})", "check fore_start and fore_slut"),
        ("fore_slut", d["fore_slut"] > d["start"],
         lambda r: f"the before period ends on {_day(d['fore_slut'][r])}, after the intervention starts "
                   f"(start {_day(d['start'][r])})",
         "the before period must end on or before start: move fore_slut to the start day or earlier"),
        ("efter_start", d["efter_start"] < d["slut"],
         lambda r: f"the after period starts on {_day(d['efter_start'][r])}, before the intervention ends "
                   f"(slut {_day(d['slut'][r])})",
         "the after period must start on or after slut: move efter_start to the end day or later"),
        ("efter_slut", d["efter_slut"] < d["efter_start"],
         lambda r: f"the after period ends ({_day(d['efter_slut'][r])}) before it starts "
                   f"({_day(d['efter_start'][r])})", "check efter_start and efter_slut"),
    ]
    for row in d["start"].index:
        for col, bad, problem, fix in rules:
            if bad[row]:
                raise InputError(file, problem(row), fix, row=int(row), column=headers[col])


def load_projects(path: str | Path, places: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Load a project register (``projekt.csv``/``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``projekt`` if there is one, else the first sheet).
    places : geopandas.GeoDataFrame, optional
        The places register. When given, areas named by place ids are resolved (:func:`resolve_areas`);
        otherwise their geometry stays None until :func:`resolve_areas` or :func:`project_areas` is
        given the register.

    Returns
    -------
    pandas.DataFrame
        One row per project, index = spreadsheet row (see :data:`PROJECTS_SCHEMA`): ``projekt_id``,
        ``namn``, ``kommun_kod``, ``atgarder`` (the measures, trimmed and joined with ``"; "``),
        ``atgardstyp``, ``budget_sek`` (NaN = unknown), ``start``, ``slut``, ``fore_start``,
        ``fore_slut``, ``efter_start``, ``efter_slut`` (datetime64[ns], whole days), ``fore_dagar``
        and ``efter_dagar`` (length of each period in days, end day included), ``behandlat_platser``
        and ``kontroll_platser`` (place ids joined with ``"; "``, "" for a polygon or no area),
        ``behandlat_geometri`` and ``kontroll_geometri`` (shapely polygons in EPSG:3006, or None),
        ``kommentar`` (never publish). ``attrs``: ``file`` and ``headers``.

    Raises
    ------
    InputError
        Naming row and column: missing or unknown columns, an empty or repeated ``projekt_id``, a
        kommun that is not four digits, an empty list of measures, an unknown ``atgardstyp``, a
        negative budget, a bad date, dates in the wrong order (the intervention ends before it
        starts, the before period ends after ``start``, the after period starts before ``slut``,
        a period that ends before it starts), an empty treated area, a polygon without
        ``koordinatsystem`` or with bad WKT or coordinates outside Sweden, an unknown place id
        (with ``places``), and a control area that overlaps the treated area.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "projekt.csv"
    >>> _ = p.write_text("projekt_id;namn;kommun;åtgärder;åtgärdstyp;start;slut;behandlat_omrade;"
    ...                  "fore_start;fore_slut;efter_start;efter_slut\\n"
    ...                  'P1;Ljusare torg;1283;"belysning ;röjning";Fysisk;2024-07-01;2024-12-31;HBG-001;'
    ...                  '2024-01-01;2024-06-30;2025-01-01;2025-03-31\\n', encoding="utf-8")
    >>> df = load_projects(p)
    >>> df.loc[2, ["atgarder", "atgardstyp", "behandlat_platser"]].tolist()
    ['belysning; röjning', 'fysisk', 'HBG-001']
    >>> int(df.loc[2, "fore_dagar"]), int(df.loc[2, "efter_dagar"])  # end days included
    (182, 90)
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATES["projekt"].read(path)
    it.check_cells(df, {
        "projekt_id": NOT_EMPTY,
        "namn": NOT_EMPTY,
        "kommun": _KOMMUN,
        "atgarder": Rule(lambda s: s.map(lambda v: bool(_split_ids(v))), lambda v: "the list of measures is empty",
                          "list the measures separated by ;, e.g. belysning; röjning; aktivering"),
        "atgardstyp": it.vocabulary(MEASURE_TYPES, _MEASURE_TYPE_ALIASES, "kind of measure"),
        "behandlat_omrade": Rule(is_filled, lambda v: "the treated area is empty",
                                  "give a WKT polygon (and koordinatsystem) or the plats_id of one or more places "
                                  "in platser, separated by ;"),
        "koordinatsystem": crs_rule(),
    }, file, headers)
    ids = cell_text(df["projekt_id"])
    it.check_unique(ids, file, headers["projekt_id"], "projekt_id")
    budget = it.numbers(df, "budget_sek", file, headers, minimum=0, what="budget",
                      fix="write the budget in kronor as a number 0 or larger, or leave the cell empty if unknown")
    dates = {c: it.parse_dates(df[c], file, headers[c]) for c in _DATE_COLUMNS}
    _check_periods(dates, file, headers)
    crs = {row: parse_crs(value) for row, value in df["koordinatsystem"].items()}  # None when empty
    areas = {}
    for which, (_, _, source_col) in _ID_COLUMNS.items():
        areas[which] = [_parse_area(df.loc[row, source_col], crs[row], file, int(row), headers[source_col],
                                    headers["koordinatsystem"]) for row in df.index]
    one_day = pd.Timedelta(days=1)
    out = pd.DataFrame({
        "projekt_id": ids,
        "namn": cell_text(df["namn"]),
        "kommun_kod": cell_text(df["kommun"]),
        "atgarder": df["atgarder"].map(lambda v: "; ".join(_split_ids(v))).astype(str),
        "atgardstyp": it.canonical(df["atgardstyp"], MEASURE_TYPES, _MEASURE_TYPE_ALIASES),
        "budget_sek": budget.astype(float),
        **dates,
        "fore_dagar": ((dates["fore_slut"] - dates["fore_start"] + one_day).dt.days).astype("int64"),
        "efter_dagar": ((dates["efter_slut"] - dates["efter_start"] + one_day).dt.days).astype("int64"),
        "behandlat_platser": pd.Series(["; ".join(a[0]) for a in areas["behandlat"]], index=df.index, dtype=str),
        "behandlat_geometri": pd.Series([a[1] for a in areas["behandlat"]], index=df.index, dtype=object),
        "kontroll_platser": pd.Series(["; ".join(a[0]) for a in areas["kontroll"]], index=df.index, dtype=str),
        "kontroll_geometri": pd.Series([a[1] for a in areas["kontroll"]], index=df.index, dtype=object),
        "kommentar": cell_text(df["kommentar"]),
    }, index=df.index)
    out.attrs.update(file=file, headers=dict(headers))
    _check_overlap(out, file, headers)
    if places is not None:
        out = resolve_areas(out, places)
    attrs = dict(out.attrs)
    out = schemas.validate(out, PROJECTS_SCHEMA, file)
    out.attrs = attrs
    return out


def load_commitments(path: str | Path) -> pd.DataFrame:
    """Load a commitments register (``ataganden.csv``/``.xlsx``), e.g. the commitments of a medborgarlöfte.

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``ataganden`` or ``åtaganden`` if there is one, else the first).

    Returns
    -------
    pandas.DataFrame
        One row per commitment, index = spreadsheet row (see :data:`COMMITMENTS_SCHEMA`):
        ``atagande_id``, ``kommun_kod``, ``ar`` (int), ``text``, ``agare`` (one of :data:`OWNERS`),
        ``indikator``, ``typ`` (one of :data:`COMMITMENT_TYPES`), ``mal`` (float; only for
        ``minst``/``högst``, else NaN), ``enhet``, ``deadline`` (datetime64[ns]), ``utfall`` (float:
        the number for ``minst``/``högst``, 1.0 = ja and 0.0 = nej for ``ja/nej``, NaN when not
        reported yet and always for ``minska``/``öka``), ``fore`` and ``efter`` (counts for
        ``minska``/``öka``, else NaN), ``rapporterat`` (True when the outcome is reported: ``utfall``
        filled, or both ``fore`` and ``efter``), ``kalla``.

    Raises
    ------
    InputError
        Naming row and column: missing or unknown columns, an empty or repeated ``atagande_id``, a
        kommun that is not four digits, a year that is not a whole number 2000–2100, empty text, an
        unknown owner or type, ``mal`` missing for ``minst``/``högst`` or filled for another type, a
        bad or early deadline, an outcome that does not fit the type (a number for ``ja/nej``,
        ``utfall`` for ``minska``/``öka``), ``fore``/``efter`` for another type, only one of them,
        or not a whole number 0 or larger.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ataganden.csv"
    >>> _ = p.write_text("atagande_id;kommun;år;text;ägare;typ;mål;deadline;utfall;före;efter\\n"
    ...                  "A1;1380;2025;Minst 900 timmar;Polis;minst;900;2025-12-31;950;;\\n"
    ...                  "A2;1380;2025;Färre misshandel;båda;minska;;2025-12-31;;48;35\\n"
    ...                  "A3;1380;2025;Trygghetsvandring;kommun;Ja/Nej;;2025-12-31;Ja;;\\n", encoding="utf-8")
    >>> df = load_commitments(p)
    >>> df[["typ", "mal", "utfall", "fore", "efter", "rapporterat"]].values.tolist()
    [['minst', 900.0, 950.0, nan, nan, True], ['minska', nan, nan, 48.0, 35.0, True], ['ja/nej', nan, 1.0, nan, nan, True]]
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATES["ataganden"].read(path)
    it.check_cells(df, {
        "atagande_id": NOT_EMPTY,
        "kommun": _KOMMUN,
        "text": Rule(is_filled, lambda v: "the commitment's text is empty",
                      "write the commitment as it was published"),
        "agare": it.vocabulary(OWNERS, _OWNER_ALIASES, "commitment owner"),
        "typ": it.vocabulary(COMMITMENT_TYPES, _TYPE_ALIASES, "commitment type"),
    }, file, headers)
    ids = cell_text(df["atagande_id"])
    it.check_unique(ids, file, headers["atagande_id"], "atagande_id")
    year = to_number(df["ar"], file=file, column=headers["ar"], integer=True, allow_missing=False)
    bad_year = (year < YEAR_RANGE[0]) | (year > YEAR_RANGE[1])
    if bad_year.any():
        row = first_row(bad_year)
        raise InputError(file, f"{plain(df.loc[row, 'ar'])} is not a year {YEAR_RANGE[0]}–{YEAR_RANGE[1]}",
                         "write the year the commitment is for with four digits, e.g. 2025", row=row,
                         column=headers["ar"])
    typ = it.canonical(df["typ"], COMMITMENT_TYPES, _TYPE_ALIASES)
    deadline = it.parse_dates(df["deadline"], file, headers["deadline"])
    early = deadline < pd.to_datetime(year.astype(int).astype(str) + "-01-01")
    if early.any():
        row = first_row(early)
        raise InputError(file, f"the deadline {_day(deadline[row])} is before the commitment's year "
                         f"{int(year[row])}", "correct the deadline or the year (ar)", row=row,
                         column=headers["deadline"])

    target = typ.isin(TARGET_TYPES)
    direction = typ.isin(DIRECTION_TYPES)
    yes_no = typ == "ja/nej"
    mal = it.numbers(df, "mal", file, headers, minimum=0, what="target",
                   fix="write the target as a number 0 or larger, e.g. 900")
    _typed_cells(df, "mal", mal.isna() & target, file, headers, typ,
                 "the target (mal) is empty", "write the target number for minst/högst, e.g. 900")
    _typed_cells(df, "mal", mal.notna() & ~target, file, headers, typ,
                 "the row has a target (mal) but typ is {typ}",
                 "leave mal empty for minska, öka and ja/nej (minska/öka: give the counts in fore and efter), "
                 "or change typ to minst or högst")

    utfall_text = cell_text(df["utfall"])
    utfall = pd.Series(np.nan, index=df.index, dtype=float)
    if target.any():
        utfall[target] = to_number(utfall_text[target], file=file, column=headers["utfall"]).to_numpy()
    answer = utfall_text.map(normalise)
    _typed_cells(df, "utfall", yes_no & ~answer.isin(["ja", "nej", ""]), file, headers, typ,
                 "{cell} is not ja or nej", "write ja or nej for a ja/nej commitment, or leave it empty if not "
                 "reported yet")
    utfall[yes_no & (answer == "ja")] = 1.0
    utfall[yes_no & (answer == "nej")] = 0.0
    _typed_cells(df, "utfall", (utfall_text != "") & direction, file, headers, typ,
                 "the row has an outcome (utfall) but typ is {typ}",
                 "for minska and öka give the counts before and after in fore and efter and leave utfall empty")

    counts = {}
    for col in ("fore", "efter"):
        counts[col] = it.numbers(df, col, file, headers, minimum=0, integer=True, what="count",
                               fix="write the count as a whole number 0 or larger")
        _typed_cells(df, col, counts[col].notna() & ~direction, file, headers, typ,
                     f"the row has a count in {headers[col]} but typ is {{typ}}",
                     "leave fore and efter empty unless typ is minska or öka")
    for a, b in (("fore", "efter"), ("efter", "fore")):
        _typed_cells(df, b, counts[a].notna() & counts[b].isna(), file, headers, typ,
                     f"{headers[a]} is filled but {headers[b]} is empty",
                     "give both fore and efter, or leave both empty if the outcome is not reported yet")

    out = pd.DataFrame({
        "atagande_id": ids,
        "kommun_kod": cell_text(df["kommun"]),
        "ar": year.astype("int64"),
        "text": cell_text(df["text"]),
        "agare": it.canonical(df["agare"], OWNERS, _OWNER_ALIASES),
        "indikator": cell_text(df["indikator"]),
        "typ": typ,
        "mal": mal.astype(float),
        "enhet": cell_text(df["enhet"]),
        "deadline": deadline,
        "utfall": utfall,
        "fore": counts["fore"].astype(float),
        "efter": counts["efter"].astype(float),
        "rapporterat": (utfall.notna() | (counts["fore"].notna() & counts["efter"].notna())).astype(bool),
        "kalla": cell_text(df["kalla"]),
    }, index=df.index)
    out = schemas.validate(out, COMMITMENTS_SCHEMA, file)
    out.attrs.update(file=file, headers=dict(headers))
    return out


def _typed_cells(df: pd.DataFrame, col: str, bad: pd.Series, file: str, headers: Mapping[str, str],
                 typ: pd.Series, problem: str, fix: str) -> None:
    """Raise at the first row of ``bad`` (a problem that depends on the commitment's type)."""
    if bad.any():
        row = first_row(bad)
        raise InputError(file, problem.format(typ=typ[row], cell=repr(df.loc[row, col])), fix, row=row,
                         column=headers[col])


def load_surveys(path: str | Path, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load survey indices before and after (``enkat.csv``/``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``enkat`` or ``enkät`` if there is one, else the first).
    projects : pandas.DataFrame, optional
        The project register (:func:`load_projects`): every ``projekt_id`` must be in it, and a row
        with a project takes the project's kommun.

    Returns
    -------
    pandas.DataFrame
        Index = spreadsheet row (see :data:`SURVEYS_SCHEMA`): ``projekt_id`` ("" for an area without a
        project), ``omrade``, ``kommun_kod`` (the project's kommun, else the row's; "" when neither is
        known), ``index``, ``period`` ("före" or "efter"), ``varde``, ``ki_lag``, ``ki_hog`` (NaN when
        not given), ``n`` (number of respondents, NaN when not given), ``kalla``.

    Raises
    ------
    InputError
        Naming row and column: missing or unknown columns, a row with neither ``projekt_id`` nor
        ``omrade``, an unknown project (with ``projects``), a row without a project and without a
        four-digit kommun, a kommun that differs from the project's, an empty index, a period that is
        not före/efter, a value that is not a number, only one bound of the interval, a value outside
        its interval, ``n`` not a whole number above 0, and two values for the same project or area,
        index and period.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkat.csv"
    >>> _ = p.write_text("område;kommun;index;period;värde;ki_låg;ki_hög;n\\n"
    ...                  "Söder;1283;Problemindex;Före;2,1;1,8;2,4;412\\n", encoding="utf-8")
    >>> load_surveys(p).loc[2, ["omrade", "period", "varde", "ki_lag", "ki_hog", "n"]].astype(str).tolist()
    ['Söder', 'före', '2.1', '1.8', '2.4', '412.0']
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATES["enkat"].read(path)
    it.check_cells(df, {
        "index": Rule(is_filled, lambda v: "the index name is empty",
                       "write the name of the index, e.g. Problemindex (polisens trygghetsmätning)"),
        "period": it.vocabulary(SURVEY_PERIODS, _PERIOD_ALIASES, "survey period"),
        "kommun": it.kommun_rule("1283 for Helsingborg", allow_empty=True),
    }, file, headers)
    project_id, area, kommun = cell_text(df["projekt_id"]), cell_text(df["omrade"]), cell_text(df["kommun"])
    neither = (project_id == "") & (area == "")
    if neither.any():
        raise InputError(file, "the row has neither a projekt_id nor an omrade",
                         "give the projekt_id of a project in projekt, or the name of the area in omrade",
                         row=first_row(neither), column=headers["projekt_id"])
    if projects is not None:
        kommun_of = dict(zip(projects["projekt_id"], projects["kommun_kod"], strict=True))
        unknown = (project_id != "") & ~project_id.isin(set(kommun_of))
        if unknown.any():
            row = first_row(unknown)
            raise InputError(file, f"projekt_id {plain(project_id[row])} is not in the project register",
                             "correct the id or add the project to projekt (known ids: "
                             f"{', '.join(sorted(kommun_of)[:8]) or 'none'})", row=row, column=headers["projekt_id"])
        from_project = project_id.map(lambda p: kommun_of.get(p, "")).astype(str)
        differs = (from_project != "") & (kommun != "") & (kommun != from_project)
        if differs.any():
            row = first_row(differs)
            raise InputError(file, f"kommun {kommun[row]} differs from the project's kommun {from_project[row]}",
                             "leave kommun empty for a row with a projekt_id, or correct it", row=row,
                             column=headers["kommun"])
        kommun = from_project.where(from_project != "", kommun)
    no_kommun = (project_id == "") & (kommun == "")
    if no_kommun.any():
        raise InputError(file, "the row has no projekt_id and no kommun",
                         "write the four-digit kommun code of the area, e.g. 1283", row=first_row(no_kommun),
                         column=headers["kommun"])
    value = to_number(df["varde"], file=file, column=headers["varde"], allow_missing=False)
    low = to_number(df["ki_lag"], file=file, column=headers["ki_lag"])
    high = to_number(df["ki_hog"], file=file, column=headers["ki_hog"])
    for a, b, sa, sb in (("ki_lag", "ki_hog", low, high), ("ki_hog", "ki_lag", high, low)):
        half = sa.notna() & sb.isna()
        if half.any():
            raise InputError(file, f"{headers[a]} is filled but {headers[b]} is empty",
                             "give both bounds of the confidence interval, or neither", row=first_row(half),
                             column=headers[b])
    outside = low.notna() & ((value < low) | (value > high))
    if outside.any():
        row = first_row(outside)
        raise InputError(file, f"the value {value[row]:g} is not inside its interval {low[row]:g}–{high[row]:g}",
                         "check varde, ki_lag and ki_hog (ki_lag ≤ varde ≤ ki_hog)", row=row,
                         column=headers["varde"])
    n = it.numbers(df, "n", file, headers, integer=True, minimum=1, what="number of respondents",
                 fix="write the number of respondents as a whole number above 0, or leave it empty")
    period = it.canonical(df["period"], SURVEY_PERIODS, _PERIOD_ALIASES)
    key = project_id.where(project_id != "", "område " + area + " " + kommun)
    it.check_unique(key + " | " + df["index"].map(normalise) + " | " + period, file, headers["period"],
                    "project/area, index and period")
    out = pd.DataFrame({
        "projekt_id": project_id, "omrade": area, "kommun_kod": kommun.astype(str), "index": cell_text(df["index"]),
        "period": period, "varde": value.astype(float), "ki_lag": low.astype(float), "ki_hog": high.astype(float),
        "n": n.astype(float), "kalla": cell_text(df["kalla"]),
    }, index=df.index)
    out = schemas.validate(out, SURVEYS_SCHEMA, file)
    out.attrs.update(file=file, headers=dict(headers))
    return out


# ============================================================================================
# A project folder
# ============================================================================================


@dataclass
class ProjectData:
    """The projects, commitments and survey indices of one kommun, loaded from a project folder.

    ``projects`` (:func:`load_projects`, areas resolved when a places register was given),
    ``commitments`` (:func:`load_commitments`) and ``surveys`` (:func:`load_surveys`) hold only the
    kommun's rows; each is None when the kommun has none (or the folder has no such file).
    ``files`` lists the tables that gave rows (``name``, ``description``, ``sha256``, ``date``) for
    the report's provenance. ``example`` is True for invented example data: every report must say so.
    """

    projects: pd.DataFrame | None
    commitments: pd.DataFrame | None
    surveys: pd.DataFrame | None
    example: bool
    description: str
    source: str
    files: list[dict] = field(default_factory=list)
    kommun_kod: str = ""
    folder: Path | None = None


def find_project_files(folder: str | Path) -> dict[str, Path]:
    """The tables of a project folder by kind (file names compared case-insensitively).

    ``åtaganden`` and ``enkät`` are accepted spellings. Other files (``metadata.yaml``, README, scripts,
    Excel lock files ``~$…``) are ignored; a table whose name is not a known kind, or two tables of one
    kind, are errors.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("Projekt.csv", "åtaganden.xlsx", "make_example.py"):
    ...     _ = (d / name).write_text("x")
    >>> sorted(find_project_files(d))
    ['ataganden', 'projekt']
    """
    return PROJECT_FOLDER.find(folder)


def load_project_folder(folder: str | Path, kommun: str, places: gpd.GeoDataFrame | None = None) -> ProjectData | None:
    """Load a project folder and keep the projects, commitments and survey indices of one kommun.

    Every table is loaded and checked whole first (survey rows against the project register). Then the
    kommun's rows are kept, and the areas of its projects that are named by place ids are resolved
    against ``places`` (so a places register of this kommun only is enough).

    Parameters
    ----------
    folder : str or Path
        The project folder (see the module docstring).
    kommun : str
        Four-digit kommun code, e.g. "1283".
    places : geopandas.GeoDataFrame, optional
        The places register (e.g. ``load_place_data(...).places``). Without it, areas named by place
        ids keep the geometry None.

    Returns
    -------
    ProjectData or None
        None when the kommun has neither projects nor commitments.

    Raises
    ------
    InputError
        A missing folder, a folder with neither ``projekt`` nor ``ataganden``, unknown table names,
        a bad ``metadata.yaml``, every error of the loaders, and (with ``places``) an unknown place id
        in one of the kommun's projects, naming row and column.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> data = load_project_folder(DATA / "example" / "projects", "1380")
    >>> data.example, data.projects is None, len(data.commitments), data.files[0]["name"]
    (True, True, 4, 'projects/ataganden.csv')
    >>> load_project_folder(DATA / "example" / "projects", "2080") is None
    True
    """
    found = PROJECT_FOLDER.open(folder, kommun)
    tables, meta, kommun = found.tables, found.metadata, found.kommun
    all_projects = load_projects(tables["projekt"]) if "projekt" in tables else None
    commitments = load_commitments(tables["ataganden"]) if "ataganden" in tables else None
    if "enkat" in tables and all_projects is None:
        all_projects_for_check = pd.DataFrame({"projekt_id": pd.Series([], dtype=str),
                                               "kommun_kod": pd.Series([], dtype=str)})
    else:
        all_projects_for_check = all_projects
    surveys = load_surveys(tables["enkat"], all_projects_for_check) if "enkat" in tables else None

    def mine(df: pd.DataFrame | None) -> pd.DataFrame | None:
        if df is None:
            return None
        kept = df[df["kommun_kod"] == kommun]
        if kept.empty:
            return None
        kept.attrs = dict(df.attrs)
        return kept

    projects, commitments, surveys = mine(all_projects), mine(commitments), mine(surveys)
    if projects is None and commitments is None:
        return None
    if projects is not None and places is not None:
        projects = resolve_areas(projects, places)
    used = [kind for kind, frame in (("projekt", projects), ("ataganden", commitments), ("enkat", surveys))
            if frame is not None]
    return ProjectData(projects=projects, commitments=commitments, surveys=surveys, example=meta["exempeldata"],
                       description=meta["beskrivning"], source=meta["kalla"], files=found.provenance(used),
                       kommun_kod=kommun, folder=found.folder)


# ============================================================================================
# Areas and counts
# ============================================================================================


def _buffer_width(buffer_m: float) -> float:
    if (isinstance(buffer_m, bool) or not isinstance(buffer_m, numbers.Real) or not math.isfinite(buffer_m)
            or not 0 < buffer_m <= MAX_BUFFER_M):
        raise ValueError(f"buffer_m must be a number of metres above 0 and at most {MAX_BUFFER_M:g}, got {plain(buffer_m)}.")
    return float(buffer_m)


def _area_of(project_row: Mapping, which: str, places: gpd.GeoDataFrame | None):
    ids_col, geom_col, _ = _ID_COLUMNS[which]
    geom = project_row.get(geom_col)
    if geom is not None and not (isinstance(geom, float) and math.isnan(geom)):
        return geom
    text = project_row.get(ids_col)
    ids = _split_ids(text if isinstance(text, str) else "")
    if not ids:
        return None
    if places is None:
        raise ValueError(f"the {which} area of project {plain(project_row.get('projekt_id'))} is given by place ids "
                         f"({'; '.join(ids)}): pass the places register as places=.")
    _check_place_frame(places)
    try:
        return _union_of_places(ids, places)
    except KeyError as exc:
        raise ValueError(f"place {plain(exc.args[0])} of project {plain(project_row.get('projekt_id'))} is not in places.") from None


def project_areas(project_row: Mapping | pd.Series, places: gpd.GeoDataFrame | None = None,
                  buffer_m: float = DEFAULT_BUFFER_M) -> gpd.GeoDataFrame:
    """The treated, displacement, control and control-displacement areas of a project.

    * ``behandlat``: the treated area (the union of its polygons).
    * ``förskjutning``: ``treated.buffer(buffer_m) − treated`` (a ring where displaced problems would
      show), minus the control area where the ring reaches into it.
    * ``kontroll``: the control area, only when the project has one.
    * ``kontrollförskjutning``: ``control.buffer(buffer_m) − control``, minus the treated area's
      buffer where they overlap; only when the project has a control area.

    The four areas are disjoint, so an event counts in at most one of them. Each subtraction that
    changes an area is described in Swedish in ``attrs["notes"]``. Buffers use :data:`QUAD_SEGS`
    segments per quarter circle, so round corners are polygons inscribed in the circle: the ring
    around a square of side ``a`` is ``4·a·w + (N/2)·w²·sin(2π/N)`` with ``N = 4·QUAD_SEGS``
    (0.01 % less than the exact ``4·a·w + π·w²``).

    Parameters
    ----------
    project_row : pandas.Series or mapping
        A row of :func:`load_projects` (``projekt_id``, ``behandlat_geometri``,
        ``behandlat_platser``, ``kontroll_geometri``, ``kontroll_platser``).
    places : geopandas.GeoDataFrame, optional
        The places register, needed when an area is given by place ids and not yet resolved.
    buffer_m : float, default 250
        Width of the displacement rings in metres, above 0 and at most 2000.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:3006, columns ``projekt_id``, ``roll`` (in :data:`AREA_ROLES` order), ``geometry``;
        ``attrs``: ``notes`` (list of Swedish sentences), ``buffer_m``.

    Raises
    ------
    ValueError
        ``buffer_m`` not above 0 and at most 2000; an area given by place ids without ``places`` or
        with an id not in it; no treated area; a control area that overlaps the treated area.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> row = {"projekt_id": "P1", "behandlat_geometri": box(0, 0, 100, 100), "behandlat_platser": "",
    ...        "kontroll_geometri": box(1000, 0, 1100, 100), "kontroll_platser": ""}
    >>> areas = project_areas(row, buffer_m=50)
    >>> areas["roll"].tolist()
    ['behandlat', 'förskjutning', 'kontroll', 'kontrollförskjutning']
    >>> round(float(areas.area.iloc[1]))  # 4·100·50 + π·50² ≈ 27 854 (inscribed corners: 27 851)
    27851
    """
    width = _buffer_width(buffer_m)
    row = project_row.to_dict() if isinstance(project_row, pd.Series) else dict(project_row)
    project_id = str(row.get("projekt_id", ""))
    treated = _area_of(row, "behandlat", places)
    if treated is None:
        raise ValueError(f"project {plain(project_id)} has no treated area.")
    control = _area_of(row, "kontroll", places)
    notes: list[str] = []
    treated_buffer = treated.buffer(width, quad_segs=QUAD_SEGS)
    ring = treated_buffer.difference(treated)
    roles, geoms = ["behandlat", "förskjutning"], [treated, ring]
    if control is not None:
        shared = treated.intersection(control).area
        if shared > 0.01:
            raise ValueError(f"project {plain(project_id)}: the control area overlaps the treated area ({shared:.0f} m²).")
        cut = ring.intersection(control).area
        if cut > 0:
            ring = ring.difference(control)
            geoms[1] = ring
            notes.append(f"Förskjutningsområdet runt det behandlade området når in i kontrollområdet; den delen "
                         f"({fmt.number(cut)} m²) räknas bara till kontrollområdet.")
        control_ring = control.buffer(width, quad_segs=QUAD_SEGS).difference(control)
        cut = control_ring.intersection(treated_buffer).area
        if cut > 0:
            control_ring = control_ring.difference(treated_buffer)
            notes.append(f"Förskjutningsområdet runt kontrollområdet överlappar det behandlade området eller dess "
                         f"förskjutningsområde; den delen ({fmt.number(cut)} m²) räknas inte till kontrollens "
                         "förskjutningsområde.")
        roles += ["kontroll", "kontrollförskjutning"]
        geoms += [control, control_ring]
    out = gpd.GeoDataFrame({"projekt_id": pd.Series([project_id] * len(roles), dtype=str),
                            "roll": pd.Series(roles, dtype=str)}, geometry=geoms, crs=CRS)
    out.attrs.update(notes=notes, buffer_m=width)
    return out


def project_periods(project_row: Mapping | pd.Series) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """The before and after periods of a project, as :func:`count_events` takes them.

    Examples
    --------
    >>> row = {"fore_start": "2024-01-01", "fore_slut": "2024-06-30", "efter_start": "2025-01-01",
    ...        "efter_slut": "2025-06-30"}
    >>> {k: (f"{a:%Y-%m-%d}", f"{b:%Y-%m-%d}") for k, (a, b) in project_periods(row).items()}
    {'före': ('2024-01-01', '2024-06-30'), 'efter': ('2025-01-01', '2025-06-30')}
    """
    return {"före": (pd.Timestamp(project_row["fore_start"]), pd.Timestamp(project_row["fore_slut"])),
            "efter": (pd.Timestamp(project_row["efter_start"]), pd.Timestamp(project_row["efter_slut"]))}


def _period_bounds(periods: Mapping) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """(name, first moment, first moment after the inclusive end day) for every period."""
    if not isinstance(periods, Mapping) or not periods:
        raise ValueError("periods must be a non-empty dict {name: (start, end)}, e.g. project_periods(row).")
    out = []
    for name, bounds in periods.items():
        try:
            start, end = (pd.Timestamp(b) for b in bounds)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"period {plain(name)}: {plain(bounds)} is not a pair of dates ({exc}).") from None
        for b in (start, end):
            if pd.isna(b) or b != b.normalize():
                raise ValueError(f"period {plain(name)}: {b} is not a whole day; periods are days, end day included.")
        if end < start:
            raise ValueError(f"period {plain(name)} ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d}).")
        out.append((str(name), start, end + pd.Timedelta(days=1)))
    return out


def count_events(areas: gpd.GeoDataFrame, events: pd.DataFrame, periods: Mapping, *, by: str | None = "kategori",
                 places: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Count events per project, area, period and category; zero counts are rows too.

    An event counts in a period when ``start <= tid < end + 1 day`` (the end day is included). An
    event counts in an area when its point lies inside the area or on its edge; an event on the edge
    between two areas of a project counts for the first of them in :data:`AREA_ROLES` order (so an
    event on the edge of the treated area counts as treated, never also in the displacement ring).
    Events of different projects are counted independently (their areas may overlap).

    An event with a position counts where its position is, whatever its ``plats_id`` says.
    Events without a position but with a ``plats_id`` are placed at the place's representative
    point (:func:`lagesbild.stats.spatial.place_point`) when ``places`` is given; events still without a
    position are not counted (``attrs["unplaced"]``).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        :func:`project_areas` of one project, or several concatenated: ``projekt_id``, ``roll``,
        ``geometry``, EPSG:3006; one area per project and role.
    events : pandas.DataFrame
        ``tid`` (datetime), ``x``, ``y`` (EPSG:3006 metres, NaN without a position), ``plats_id``
        (needed with ``places``) and the column ``by``, e.g. an incident log.
    periods : dict
        ``{name: (first day, last day)}``, e.g. :func:`project_periods` (``"före"``, ``"efter"``).
    by : str or None, default "kategori"
        Column of ``events`` to count by; None counts only the total. An empty or missing value
        counts as :data:`lagesbild.stats.spatial.MISSING_CATEGORY`.
    places : geopandas.GeoDataFrame, optional
        The places register, to place events that only have a ``plats_id``.

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS`: ``projekt_id``, ``roll``, ``period``, ``kategori`` (:data:`ALL` = the
        total, then every category that occurs in ``events``, sorted; the values of ``by``),
        ``antal`` (int64). One row per project × area × period × category, in the order of
        ``areas``, ``periods`` and the categories. ``attrs``: ``by``, ``unplaced`` (events without a
        position), ``filled`` (events placed at their place's point). Small counts: for the
        analysis only; apply the privacy rule before publishing.

    Raises
    ------
    ValueError
        Malformed ``areas`` (not EPSG:3006, missing columns, unknown role, two areas for one project
        and role), ``events`` without ``tid``, ``x``, ``y`` or ``by``, or a period that is not two
        whole days in order.

    Examples
    --------
    >>> import pandas as pd
    >>> from shapely.geometry import box
    >>> row = {"projekt_id": "P1", "behandlat_geometri": box(0, 0, 100, 100), "behandlat_platser": ""}
    >>> areas = project_areas(row, buffer_m=50)
    >>> events = pd.DataFrame({"tid": pd.to_datetime(["2024-01-31 23:59", "2024-02-01 00:00",
    ...                                               "2024-01-15 12:00"]),
    ...                        "x": [50.0, 120.0, 500.0], "y": [50.0, 50.0, 50.0], "kategori": ["A", "B", "A"]})
    >>> counts = count_events(areas, events, {"före": ("2024-01-01", "2024-01-31"),
    ...                                       "efter": ("2024-02-01", "2024-02-29")})
    >>> counts[counts["antal"] > 0].values.tolist()
    [['P1', 'behandlat', 'före', 'alla', 1], ['P1', 'behandlat', 'före', 'A', 1], ['P1', 'förskjutning', 'efter', 'alla', 1], ['P1', 'förskjutning', 'efter', 'B', 1]]
    >>> len(counts)  # 2 areas × 2 periods × (alla, A, B)
    12
    """
    if not isinstance(areas, gpd.GeoDataFrame) or not {"projekt_id", "roll"} <= set(areas.columns):
        raise ValueError("areas must be a GeoDataFrame with 'projekt_id' and 'roll' (project_areas).")
    if areas.crs is None or areas.crs.to_epsg() != 3006:
        raise ValueError(f"areas must be in EPSG:3006 (SWEREF 99 TM), got {areas.crs}.")
    unknown = set(areas["roll"]) - set(AREA_ROLES)
    if unknown:
        raise ValueError(f"unknown roll {sorted(unknown)} in areas; use {', '.join(AREA_ROLES)}.")
    if areas.duplicated(["projekt_id", "roll"]).any():
        raise ValueError("areas has two areas for one project and roll; give one (union) per project and roll.")
    needed = ["tid", "x", "y"] + ([by] if by is not None else []) + (["plats_id"] if places is not None else [])
    missing = [c for c in needed if c not in events.columns]
    if missing:
        raise ValueError(f"events has no column(s) {missing}.")
    bounds = _period_bounds(periods)

    filled = 0
    if places is not None:
        events = place_point(places, events)
        filled = int(events.attrs.get("filled", 0))
    x = pd.to_numeric(events["x"], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    y = pd.to_numeric(events["y"], errors="raise").to_numpy(dtype=float, na_value=np.nan)
    has = np.isfinite(x) & np.isfinite(y)
    tid = pd.to_datetime(events["tid"]).to_numpy()
    if by is not None:
        raw = events[by].astype(object)
        cats = raw.where(raw.notna(), "").astype(str).str.strip()
        cats = cats.where(cats != "", MISSING_CATEGORY).to_numpy()
        categories = sorted(set(cats))
    else:
        cats, categories = None, []
    points = shapely.points(np.where(has, x, 0.0), np.where(has, y, 0.0))

    rows = []
    for project_id in pd.unique(areas["projekt_id"]):
        mine = areas[areas["projekt_id"] == project_id].set_index("roll")
        taken = ~has
        for role in AREA_ROLES:
            if role not in mine.index:
                continue
            geom = mine.geometry[role]
            inside = np.zeros(len(points), dtype=bool)
            if geom is not None and not geom.is_empty:
                shapely.prepare(geom)
                inside = shapely.covered_by(points, geom) & ~taken
            taken = taken | inside
            for name, start, stop in bounds:
                hit = inside & (tid >= start.to_datetime64()) & (tid < stop.to_datetime64())
                rows.append((project_id, role, name, ALL, int(hit.sum())))
                if cats is not None:
                    found = pd.Series(cats[hit]).value_counts()
                    rows += [(project_id, role, name, c, int(found.get(c, 0))) for c in categories]
    out = pd.DataFrame(rows, columns=list(COUNT_COLUMNS))
    for col in COUNT_COLUMNS[:-1]:
        out[col] = out[col].astype(str)
    out["antal"] = out["antal"].astype("int64")
    out.attrs.update(by=by, unplaced=int((~has).sum()), filled=filled)
    return out


# ============================================================================================
# Writing templates and tables
# ============================================================================================


def csv_text(kind: str, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> str:
    """The text of a ``;``-separated CSV of ``kind`` with the template header (UTF-8 BOM included).

    Parameters
    ----------
    kind : str
        One of :data:`FILE_KINDS`.
    rows : iterable of mappings or sequences
        A mapping is keyed by template column name (or alias); missing keys are empty cells. A
        sequence holds the cells in template order. None and NaN are written as empty cells.

    Examples
    --------
    >>> csv_text("enkat", [{"omrade": "Söder", "kommun": "1283", "värde": "2,1"}]).splitlines()[1]
    ';Söder;1283;;;2,1;;;;'
    """
    return TEMPLATES[kind].csv_text(rows)


def write_csv(path: str | Path, kind: str, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> None:
    """Write rows of ``kind`` as a template-shaped CSV (``;``, UTF-8 with BOM), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkat.csv"
    >>> write_csv(p, "enkat", [{"omrade": "Söder", "kommun": "1283", "index": "Problemindex", "period": "efter",
    ...                         "varde": "1,7"}])
    >>> load_surveys(p)["varde"].tolist()
    [1.7]
    """
    TEMPLATES[kind].write_csv(path, rows)


def instructions_rows() -> list[it.InstructionRow]:
    """The rows of the ``Instruktioner`` sheet: (section/column, required, description, example).

    Examples
    --------
    >>> rows = instructions_rows()
    >>> rows[0][0], any(r[0] == "behandlat_omrade" for r in rows), any(r[0] == "Perioder" for r in rows)
    ('Mallar för projekt och åtaganden', True, True)
    """
    rows = it.instructions_rows(
        TEMPLATES.values(), "Mallar för projekt och åtaganden",
        "Spara varje blad som egen fil (CSV eller .xlsx) med bladets namn, t.ex. projekt.csv, och lägg filerna i en "
        "mapp. En .xlsx-fil läses från bladet med filens namn, annars från första bladet. Rubrikerna måste stå kvar; "
        "exempelraderna ska ersättas. projekt eller ataganden behövs (eller båda); enkat är frivillig.")
    rows.append(("Områden", "", AREA_RULE, ""))
    rows.append(("Perioder", "", PERIOD_RULE, ""))
    rows.append(("Åtaganden", "", COMMITMENT_RULE, ""))
    rows.append(("Koordinater", "", CRS_RULE, ""))
    rows.append(("Åtgärdstyp (atgardstyp)", "", ", ".join(MEASURE_TYPES), ""))
    rows.append(("Ägare (agare)", "", ", ".join(OWNERS), ""))
    rows.append(("Typ (typ)", "", ", ".join(COMMITMENT_TYPES), ""))
    rows.append(("Period (enkat)", "", ", ".join(SURVEY_PERIODS), ""))
    rows.append(("Integritet", "", PRIVACY_RULE, ""))
    return rows


def workbook_bytes() -> bytes:
    """The template workbook ``mallar.xlsx`` as bytes: one sheet per kind and ``Instruktioner``.

    Deterministic: fixed document dates and zip entry times, so the same templates give the same bytes.

    Examples
    --------
    >>> workbook_bytes() == workbook_bytes()
    True
    """
    rows = instructions_rows()
    return template_workbook(
        TEMPLATES.values(), rows, instruction_widths=(32, 20, 100, 40),
        titles={r[0] for r in rows if r[0] and not r[1] and not r[3]},
        column_width=lambda col: max(12, min(50, max(len(col.name), len(col.example)) + 3)))


def templates_markdown() -> str:
    """``data/templates/projects/README.md``: every file and column, areas, periods, commitments and rules.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| projekt_id | ja |" in text, "## Perioder" in text, "## Integritet" in text
    (True, True, True)
    """
    lines = [
        "# Mallar för projekt och åtaganden (project and commitment templates)",
        "",
        it.generated_note("lagesbild.projects.data.write_templates", "TEMPLATES", "lib/lagesbild/projects/data.py"),
        "",
        "These templates are the input of the project-evaluation report (before/after evaluation of safety "
        "projects and follow-up of commitments such as medborgarlöften). A *project folder* holds up to three "
        "tables, each as CSV (`;`-separated, UTF-8) or Excel (`.xlsx`), named after its kind, plus an optional "
        "`metadata.yaml`. `projekt` or `ataganden` is required (or both); `enkat` is optional. `åtaganden` and "
        "`enkät` are accepted file names too. `mallar.xlsx` holds all three as sheets plus an `Instruktioner` "
        "sheet: save each sheet as its own file (`projekt.xlsx`, `ataganden.csv` …); an `.xlsx` is read from the "
        "sheet named after the kind, else from its first sheet. Headers match case-insensitively (with or "
        "without å, ä, ö); optional columns may be left out, but a column that is not in the template is an "
        "error, so that a misspelt header is never silently ignored. Every problem is reported with file, "
        "spreadsheet row, column and a fix. Other tables in the folder are an error; other files (README, "
        "scripts) are ignored.",
        "",
        "The templates are written by `lagesbild.projects.data.write_templates(\"data/templates/projects\")`; a test "
        "checks that these files are what it writes today and that their example rows load.",
        "",
        *it.files_markdown(TEMPLATES.values(), METADATA_KEYS),
    ]
    for t in TEMPLATES.values():
        lines += it.columns_markdown(t)
    lines += [
        "## Områden", "", AREA_RULE, "",
        "Platserna hämtas ur platsregistret (`platser.csv`, se `data/templates/README.md`). Ett okänt plats_id "
        "eller en plats i en annan kommun är fel.", "",
        "## Perioder", "", PERIOD_RULE, "",
        "## Åtaganden", "", COMMITMENT_RULE, "",
        "## Koordinater", "", CRS_RULE, "",
        "## Kontrollerade listor", "",
        f"- **atgardstyp:** {', '.join(MEASURE_TYPES)}.",
        f"- **agare:** {', '.join(OWNERS)}.",
        f"- **typ:** {', '.join(COMMITMENT_TYPES)}.",
        f"- **period (enkat):** {', '.join(SURVEY_PERIODS)}.", "",
        "Stora och små bokstäver spelar ingen roll.", "",
        "## Datum och tal", "",
        "Datum som `2024-07-01`; datumceller i Excel går också bra. Tal får skrivas med decimalkomma (`2,1`) "
        "och mellanslag (`1 400 000`).", "",
        "## Integritet", "", PRIVACY_RULE, "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates: three CSVs, ``mallar.xlsx`` and ``README.md``, each atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/projects``.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))]
    ['projekt.csv', 'ataganden.csv', 'enkat.csv', 'mallar.xlsx', 'README.md']
    """
    return it.write_templates(folder, TEMPLATES.values(), workbook_name="mallar.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


__all__ = [
    "ALL", "AREA_ROLES", "AREA_RULE", "COMMITMENTS_SCHEMA", "COMMITMENT_RULE", "COMMITMENT_TYPES", "COUNT_COLUMNS",
    "DEFAULT_BUFFER_M", "DIRECTION_TYPES", "FILE_DESCRIPTIONS", "FILE_KINDS", "MAX_BUFFER_M", "MEASURE_TYPES",
    "OWNERS", "PERIOD_RULE", "PRIVACY_RULE", "PROJECTS_SCHEMA", "PROJECT_FOLDER", "QUAD_SEGS", "SURVEYS_SCHEMA", "SURVEY_PERIODS",
    "TARGET_TYPES", "TEMPLATES", "YEAR_RANGE", "ProjectData", "count_events", "csv_text", "find_project_files",
    "instructions_rows", "load_commitments", "load_project_folder", "load_projects", "load_surveys",
    "project_areas", "project_periods", "resolve_areas", "templates_markdown", "workbook_bytes", "write_csv",
    "write_templates",
]
