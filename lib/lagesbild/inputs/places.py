"""Place data: the places register, inspections, incident log and citizen reports, loaded and checked.

A *place-data folder* holds up to four tables, each as CSV or Excel (``.xlsx``), one of each kind:

=========================  ===============================================  ==========
file                       what                                             needed
=========================  ===============================================  ==========
``platser.*``              places register: id, name, kommun, geometry      yes
``besiktningar.*``         site inspections and safety walks, 8 factors     no
``handelser.*``            incident log (EST style): time, category, place  no
``medborgarrapporter.*``   citizen reports: time, category, place           no
``metadata.yaml``          ``exempeldata``, ``beskrivning``, ``kalla``,     no
                           ``datum``
=========================  ===============================================  ==========

The columns of each table are described once, in :data:`TEMPLATES`; that description writes the
templates in ``data/templates/`` (CSV, ``mallar.xlsx`` and the README) so templates and docs cannot
drift. Every problem in a file is an :class:`~lagesbild.core.errors.InputError` naming file, spreadsheet
row, column, what is wrong and the fix.

Coordinates are never guessed: every row with coordinates declares its ``koordinatsystem``
(SWEREF 99 TM = EPSG:3006, or WGS 84 = EPSG:4326). ``ost`` is the easting (SWEREF 99 TM) or the
longitude (WGS 84); ``nord`` is the northing or the latitude. Coordinates outside Sweden for the
declared system are an error whose fix says what they look like (swapped, or the other system).
Everything is transformed to SWEREF 99 TM (metres).

The free-text columns ``anteckning`` and ``fritext`` are kept so that analysts can read them in
JupyterLab, but they may hold personal data and must **never be published** in a report.

The loaded frames follow the data contract (see ``PLACES_SCHEMA`` … below); their index is the row
number the spreadsheet shows, so an analyst can find a row in the file.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely
import shapely.errors
import yaml
from pyproj import Transformer

from lagesbild.core.errors import InputError
from lagesbild.core.files import atomic_write_text
from lagesbild.core.fmt import plain
from lagesbild.core.workbook import markdown_cell, template_csv_text
from lagesbild.core.yamlio import strict_yaml
from lagesbild.places.factors import FACTOR_KEYS, FACTORS, SCALE, SCALE_MAX, SCALE_MIN
from lagesbild.sources import schemas
from lagesbild.sources.processed import sha256
from lagesbild.sources.public import is_kommun_code, kommun_code_problem
from lagesbild.sources.readers import CSV_SUFFIXES, EXCEL_SUFFIXES, read_table, to_number

# ============================================================================================
# Controlled vocabularies
# ============================================================================================

#: The four kinds of table in a place-data folder (file stem = kind).
FILE_KINDS: tuple[str, ...] = ("platser", "besiktningar", "handelser", "medborgarrapporter")

#: Target coordinate system of every loaded geometry and position.
CRS = "EPSG:3006"

#: Accepted ``koordinatsystem`` values. Keys are compared in lower case with spaces removed, so
#: "SWEREF 99 TM", "sweref99 tm", "EPSG:3006" and "3006" all mean SWEREF 99 TM.
CRS_ALIASES: dict[str, str] = {
    "epsg:3006": "EPSG:3006",
    "sweref99tm": "EPSG:3006",
    "3006": "EPSG:3006",
    "epsg:4326": "EPSG:4326",
    "wgs84": "EPSG:4326",
    "4326": "EPSG:4326",
}
_CRS_SPELLINGS = "EPSG:3006, SWEREF 99 TM, 3006, EPSG:4326, WGS 84, WGS84 or 4326"

#: Extent of Sweden per coordinate system: (east_min, east_max, north_min, north_max).
SWEREF_EXTENT = (200_000.0, 1_000_000.0, 6_100_000.0, 7_700_000.0)
WGS84_EXTENT = (10.0, 25.0, 55.0, 70.0)
#: RT 90 2.5 gon V (the old national grid): easting 1.2–1.9 million, northing as SWEREF 99 TM.
_RT90_EXTENT = (1_200_000.0, 1_900_000.0, 6_100_000.0, 7_700_000.0)

#: Largest radius of a place given as a point (metres); a larger place is an area: draw a polygon.
MAX_RADIUS_M = 2000.0

#: The two kinds of inspection (``typ``). "okulär besiktning" is read as "besiktning".
INSPECTION_TYPES: tuple[str, ...] = ("besiktning", "trygghetsvandring")
_TYPE_ALIASES = {"besiktning": "besiktning", "okulär besiktning": "besiktning", "okular besiktning": "besiktning",
                 "trygghetsvandring": "trygghetsvandring"}

#: Assessor roles (``roll``) at an inspection. A role, never a person's name.
ROLES: tuple[str, ...] = (
    "kommunens tjänsteperson", "trygghetssamordnare", "polis", "fastighetsägare", "bostadsbolag",
    "boende", "näringsidkare", "trygghetsvärd", "räddningstjänst", "föreningsliv", "skola", "annan",
)

#: Who reported an incident (``kalla``) in the incident log.
SOURCES: tuple[str, ...] = (
    "polis", "kommun", "bostadsbolag", "trygghetsvärdar", "bevakningsbolag", "räddningstjänst",
    "kollektivtrafik", "skola", "annan",
)

#: Categories of citizen reports (``kategori``), as the data contract spells them.
CITIZEN_CATEGORIES: tuple[str, ...] = (
    "Skadegörelse/nedskräpning", "Belysning", "Osäker trafiksituation", "Motorburna fordon",
    "Samlingsplats", "Allmänt otrygg plats", "Annat",
)

#: A row with a position but without ``plats_id`` belongs to a kommun when it lies within this
#: distance (metres) of the bounding box of one of the kommun's places (:func:`load_place_data`).
NEAR_PLACE_M = 2000.0

#: Keys allowed in ``metadata.yaml``.
METADATA_KEYS: dict[str, str] = {
    "exempeldata": "true if the data are invented example data (every report then says so), else false",
    "beskrivning": "one sentence: what the data are",
    "kalla": "where the data come from (organisation, system)",
    "datum": "when the data were exported, as 2025-03-14",
}

PRIVACY_RULE = (
    "Fritextkolumnerna (anteckning, fritext) och rollerna får aldrig innehålla namn, personnummer eller "
    "andra uppgifter som pekar ut en person. Fritext läses bara av analytikern och publiceras aldrig i en rapport."
)
CRS_RULE = (
    "Varje rad med koordinater anger sitt koordinatsystem: EPSG:3006 (SWEREF 99 TM, meter) eller "
    "EPSG:4326 (WGS 84, grader). I SWEREF 99 TM är ost = östlig koordinat (E, 200 000–1 000 000) och "
    "nord = nordlig koordinat (N, 6 100 000–7 700 000). I WGS 84 är ost = longitud (Sverige ca 11–24) och "
    "nord = latitud (ca 55–69). Koordinatsystemet gissas aldrig; RT 90 och andra system räknas om till "
    "SWEREF 99 TM först (t.ex. i QGIS). Decimalkomma går bra."
)


# ============================================================================================
# Templates: one description of every column, used for the template files and the docs
# ============================================================================================


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a template.

    ``required`` means that the column must be in the file (the description says which cells may
    be empty). ``aliases`` are other accepted headers; headers match case-insensitively.
    """

    name: str
    required: bool
    description: str
    example: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    """A file kind: its Swedish title and purpose, its columns, and the example rows of the template."""

    kind: str
    title: str
    purpose: str
    columns: tuple[TemplateColumn, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def header(self) -> list[str]:
        """Column names in template order."""
        return [c.name for c in self.columns]


def _template(kind: str, title: str, purpose: str, columns: list[tuple], rows: list[tuple[str, ...]]) -> Template:
    """Build a Template; each column's ``example`` is its first non-empty value in ``rows``."""
    cols = []
    for j, (name, required, description, *aliases) in enumerate(columns):
        example = next((r[j] for r in rows if r[j]), "")
        cols.append(TemplateColumn(name, required, description, example, tuple(aliases)))
    assert all(len(r) == len(cols) for r in rows), kind
    return Template(kind, title, purpose, tuple(cols), tuple(rows))


_COORD_COLUMNS = [
    ("koordinatsystem", False,
     "Koordinatsystem för ost/nord: EPSG:3006 (SWEREF 99 TM) eller EPSG:4326 (WGS 84). Krävs när ost och nord är ifyllda."),
    ("ost", False, "Östlig koordinat (SWEREF 99 TM, meter) eller longitud (WGS 84, grader)."),
    ("nord", False, "Nordlig koordinat (SWEREF 99 TM, meter) eller latitud (WGS 84, grader)."),
]

_FACTOR_COLUMNS = [
    (f.name, False, f"{f.question} Heltal {SCALE_MIN}–{SCALE_MAX}; tom cell = inte bedömd.", f.key)
    for f in FACTORS
]

#: Every file kind's columns (name, required, Swedish description, example) and example rows.
TEMPLATES: dict[str, Template] = {
    "platser": _template(
        "platser", "Platser",
        "Platsregistret: en rad per plats som bedöms. Geometrin anges ANTINGEN som polygon (geometri) "
        "ELLER som punkt med radie (ost, nord, radie_m).",
        [
            ("plats_id", True, "Platsens id, unikt i registret (text), t.ex. HBG-001. Används i de andra filerna."),
            ("namn", True, "Platsens namn, t.ex. Drottninghögs centrum."),
            ("kommun", True, "Kommunkod, fyra siffror (SCB), t.ex. 1283 för Helsingborg eller 0114 (behåll nollan).",
             "kommun_kod", "kommunkod"),
            ("stadsdel", False, "Stadsdel eller område (får vara tom)."),
            ("koordinatsystem", True,
             "Koordinatsystem för geometri eller ost/nord: EPSG:3006 (SWEREF 99 TM) eller EPSG:4326 (WGS 84)."),
            ("geometri", False,
             "Platsens yta som WKT-polygon (POLYGON eller MULTIPOLYGON), t.ex. från QGIS. Lämna tom för punkt + radie."),
            ("ost", False, "Punktens östliga koordinat (SWEREF 99 TM, meter) eller longitud (WGS 84, grader)."),
            ("nord", False, "Punktens nordliga koordinat (SWEREF 99 TM, meter) eller latitud (WGS 84, grader)."),
            ("radie_m", False, f"Platsens radie i meter runt punkten, större än 0 och högst {MAX_RADIUS_M:.0f}."),
        ],
        [
            ("HBG-001", "Drottninghögs centrum", "1283", "Drottninghög", "EPSG:3006",
             "POLYGON ((358900 6215010, 359050 6215010, 359050 6215130, 358900 6215130, 358900 6215010))",
             "", "", ""),
            ("HBG-002", "Dalhemsparken", "1283", "Dalhem", "WGS 84", "", "12,737", "56,070", "120"),
        ],
    ),
    "besiktningar": _template(
        "besiktningar", "Besiktningar och trygghetsvandringar",
        f"En rad per bedömning av en plats: de åtta faktorerna bedöms med heltal {SCALE_MIN}–{SCALE_MAX} "
        "(tom cell = inte bedömd; minst en faktor per rad).",
        [
            ("plats_id", True, "Platsens id i platsregistret."),
            ("datum", True, "Dag för bedömningen, ÅÅÅÅ-MM-DD, t.ex. 2025-03-14 (eller ett datum i Excel)."),
            ("typ", True, "besiktning (okulär besiktning) eller trygghetsvandring."),
            ("roll", True, "Bedömarens roll, aldrig namn: " + ", ".join(ROLES) + "."),
            *_FACTOR_COLUMNS,
            ("anteckning", False, "Fritext om bedömningen. Publiceras aldrig; skriv inga namn eller personuppgifter.",
             "anteckningar"),
        ],
        [("HBG-001", "2025-03-14", "besiktning", "trygghetssamordnare", "3", "4", "2", "2", "3", "", "3", "2",
          "Mörkt vid gångtunneln, buskage skymmer sikten mot busshållplatsen.")],
    ),
    "handelser": _template(
        "handelser", "Händelselogg",
        "En rad per händelse (EST-liknande logg). Varje rad behöver en position (ost, nord och "
        "koordinatsystem) eller ett plats_id från platsregistret, gärna båda.",
        [
            ("tid", True, "Tidpunkt i svensk lokal tid, ÅÅÅÅ-MM-DD TT:MM (sekunder går bra), t.ex. 2025-03-14 22:15."),
            ("kategori", True, "Typ av händelse, t.ex. Skadegörelse, Klotter, Ordningsstörning (får inte vara tom)."),
            ("kalla", True, "Vem som rapporterade: " + ", ".join(SOURCES) + ".", "källa"),
            ("plats_id", False, "Platsens id i platsregistret, om händelsen hör till en plats."),
            *_COORD_COLUMNS,
            ("fritext", False, "Kort beskrivning. Publiceras aldrig; skriv inga namn eller personuppgifter."),
        ],
        [("2025-03-14 22:15", "Skadegörelse", "polis", "HBG-001", "EPSG:3006", "358970", "6215070",
          "Krossad ruta i busskuren.")],
    ),
    "medborgarrapporter": _template(
        "medborgarrapporter", "Medborgarrapporter",
        "En rad per rapport från en invånare (t.ex. via en app eller felanmälan). Varje rad behöver en position "
        "(ost, nord och koordinatsystem) eller ett plats_id.",
        [
            ("tid", True, "Tidpunkt i svensk lokal tid, ÅÅÅÅ-MM-DD TT:MM, t.ex. 2025-03-14 18:40."),
            ("kategori", True, "En av: " + ", ".join(CITIZEN_CATEGORIES) + "."),
            ("plats_id", False, "Platsens id i platsregistret, om rapporten hör till en plats."),
            *_COORD_COLUMNS,
            ("fritext", False, "Rapportens text. Publiceras aldrig; kan innehålla personuppgifter."),
        ],
        [("2025-03-14 18:40", "Belysning", "", "WGS 84", "12,7368", "56,0702", "Trasig gatlampa vid lekplatsen.")],
    ),
}

#: Swedish description of each file kind, used in the provenance of a report.
FILE_DESCRIPTIONS: dict[str, str] = {
    "platser": "Platsregister",
    "besiktningar": "Besiktningar och trygghetsvandringar",
    "handelser": "Händelselogg",
    "medborgarrapporter": "Medborgarrapporter",
}

# ============================================================================================
# Contract schemas (the loaded frames)
# ============================================================================================

_KOMMUN_RE = r"^\d{4}$"


def _nonempty(s: pd.Series) -> pd.Series:
    return s.str.strip().str.len() > 0


PLACES_SCHEMA = pa.DataFrameSchema(
    {
        "plats_id": pa.Column(str, pa.Check(_nonempty), unique=True),
        "namn": pa.Column(str, pa.Check(_nonempty)),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "stadsdel": pa.Column(str),
        "radie_m": pa.Column(float, pa.Check.in_range(0, MAX_RADIUS_M, include_min=False), nullable=True),
        "geometry": pa.Column(None, pa.Check(lambda s: s.geom_type.isin(["Polygon", "MultiPolygon"]) & s.is_valid)),
    },
    strict=True, ordered=True, name="places",
)

INSPECTIONS_SCHEMA = pa.DataFrameSchema(
    {
        "plats_id": pa.Column(str, pa.Check(_nonempty)),
        "datum": pa.Column("datetime64[ns]"),
        "typ": pa.Column(str, pa.Check.isin(INSPECTION_TYPES)),
        "roll": pa.Column(str, pa.Check.isin(ROLES)),
        **{k: pa.Column(float, [pa.Check.isin([float(v) for v in SCALE])], nullable=True) for k in FACTOR_KEYS},
        "anteckning": pa.Column(str),
    },
    checks=pa.Check(lambda d: d[list(FACTOR_KEYS)].notna().any(axis=1), error="at least one factor scored"),
    strict=True, ordered=True, name="inspections",
)


def _located(d: pd.DataFrame) -> pd.Series:
    return (d["x"].notna() & d["y"].notna()) | (d["plats_id"] != "")


_POSITIONED = {
    "plats_id": pa.Column(str),
    "x": pa.Column(float, nullable=True),
    "y": pa.Column(float, nullable=True),
    "fritext": pa.Column(str),
}

INCIDENTS_SCHEMA = pa.DataFrameSchema(
    {
        "tid": pa.Column("datetime64[ns]"),
        "kategori": pa.Column(str, pa.Check(_nonempty)),
        "kalla": pa.Column(str, pa.Check.isin(SOURCES)),
        **_POSITIONED,
    },
    checks=pa.Check(_located, error="position or plats_id"), strict=True, ordered=True, name="incidents",
)

CITIZEN_REPORTS_SCHEMA = pa.DataFrameSchema(
    {
        "tid": pa.Column("datetime64[ns]"),
        "kategori": pa.Column(str, pa.Check.isin(CITIZEN_CATEGORIES)),
        **_POSITIONED,
    },
    checks=pa.Check(_located, error="position or plats_id"), strict=True, ordered=True, name="citizen_reports",
)

# ============================================================================================
# Reading a table and its header
# ============================================================================================


def _key(text: str) -> str:
    """Header or value as compared: lower case, surrounding spaces stripped, inner spaces collapsed."""
    return re.sub(r"\s+", " ", str(text).replace("\ufeff", "")).strip().lower()


def _header_lookup(kind: str) -> dict[str, str]:
    """Accepted header (normalised) → canonical column name (factor columns → factor key)."""
    lookup: dict[str, str] = {}
    for col in TEMPLATES[kind].columns:
        canonical = next((a for a in col.aliases if a in FACTOR_KEYS), col.name)
        for name in (col.name, *col.aliases):
            lookup[_key(name)] = canonical
    return lookup


def _read(path: str | Path, kind: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Read one table of ``kind``; rename headers to canonical names; check required/unknown columns.

    Returns the frame and a map canonical name → the header as the user wrote it (for errors).
    """
    path = Path(path)
    sheet: str | int = 0
    if path.suffix.lower() in EXCEL_SUFFIXES and path.exists():
        try:
            with pd.ExcelFile(path) as book:
                names = book.sheet_names
        except (ValueError, OSError, KeyError, zipfile.BadZipFile):
            names = []  # read_table below reports the broken file with its fix
        sheet = next((n for n in names if _key(n) == kind), 0)
    df = read_table(path, sheet=sheet)
    lookup = _header_lookup(kind)
    template = TEMPLATES[kind]
    headers: dict[str, str] = {}
    for col in df.columns:
        canonical = lookup.get(_key(col))
        if canonical is None:
            raise InputError(
                path, f"unknown column {plain(col)}",
                f"rename it to one of the template's columns ({', '.join(template.header)}) or delete it; "
                "see data/templates/README.md", row=1, column=str(col),
            )
        if canonical in headers:
            raise InputError(path, f"the columns {plain(headers[canonical])} and {plain(col)} mean the same thing",
                             "keep one of them", row=1, column=str(col))
        headers[canonical] = str(col)
    df = df.rename(columns={v: k for k, v in headers.items()})
    missing = [c.name for c in template.columns if c.required and c.name not in df.columns]
    if missing:
        raise InputError(
            path, f"required column(s) missing: {', '.join(missing)}",
            f"add the column(s) to the header row (found: {', '.join(map(str, headers.values()))}); "
            f"start from data/templates/{kind}.csv",
            row=1,
        )
    for col in template.columns:  # optional columns absent from the file are empty
        key = next((a for a in col.aliases if a in FACTOR_KEYS), col.name)
        if key not in df.columns:
            df[key] = ""
            headers[key] = col.name
    df.attrs["file"] = str(path)
    return df, headers


# ============================================================================================
# Cell checks (pandera) and parsing helpers
# ============================================================================================


@dataclass(frozen=True)
class _Rule:
    """A per-cell check: ``ok(series) -> bool series``; ``problem(value) -> str``; ``fix``."""

    ok: Callable[[pd.Series], pd.Series]
    problem: Callable[[str], str]
    fix: str


def _in_vocabulary(allowed: Iterable[str], aliases: Mapping[str, str] | None = None) -> Callable[[pd.Series], pd.Series]:
    names = {_key(a) for a in allowed} | {_key(a) for a in (aliases or {})}
    return lambda s: s.map(_key).isin(names)


_NOT_EMPTY = _Rule(_nonempty, lambda v: "the cell is empty", "fill in a value; this column cannot be empty")


def _check_cells(df: pd.DataFrame, rules: Mapping[str, _Rule], file: str, headers: Mapping[str, str]) -> None:
    """Validate text cells with a pandera schema built from ``rules``; raise the first failure."""
    schema = pa.DataFrameSchema(
        {col: pa.Column(str, pa.Check(rule.ok, error=col)) for col, rule in rules.items()}, strict=False)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["check"].isin(list(rules))].copy()
        order = {c: i for i, c in enumerate(rules)}
        cases["_row"] = pd.to_numeric(cases["index"], errors="coerce")
        cases["_col"] = cases["check"].map(order)
        case = cases.sort_values(["_row", "_col"]).iloc[0]
        col = str(case["check"])
        value = "" if pd.isna(case["failure_case"]) else str(case["failure_case"])
        raise InputError(file, rules[col].problem(value), rules[col].fix,
                         row=int(case["_row"]), column=headers.get(col, col)) from None


def _duplicates(values: pd.Series, file: str, column: str, what: str) -> None:
    """Raise on the first value that appears twice, naming both rows."""
    dup = values.duplicated(keep=False) & (values != "")
    if dup.any():
        value = values[dup].iloc[0]
        rows = [int(r) for r in values.index[values == value]]
        raise InputError(
            file, f"{what} {plain(value)} appears in rows {rows[0]} and {rows[1]}",
            f"every place needs its own {what}: renumber or delete one of the rows",
            row=rows[1], column=column,
        )


def _known_ids(values: pd.Series, places: pd.DataFrame | None, file: str, column: str) -> None:
    """Every non-empty plats_id must be in the places register (when one is given)."""
    if places is None:
        return
    known = set(places["plats_id"])
    unknown = (values != "") & ~values.isin(known)
    if unknown.any():
        row = values.index[unknown.to_numpy()][0]
        raise InputError(
            file, f"plats_id {plain(values[row])} is not in the places register",
            "add the place to platser (plats_id, namn, kommun, geometry) or correct the id "
            f"(known ids: {', '.join(sorted(known)[:8])}{' …' if len(known) > 8 else ''})",
            row=int(row), column=column,
        )


_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: 00:00:00)?$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2})(\.\d+)?)?$")


def _parse_dates(values: pd.Series, file: str, column: str, *, allow_future: bool = True) -> pd.Series:
    """ISO dates ``2025-03-14`` (or an Excel date, read as ``2025-03-14 00:00:00``) → datetime64[ns].

    With ``allow_future=False`` (what has happened: inspections, samples) a day after today is an error.
    """
    text = values.str.strip()
    day = text.str.extract(_DATE)[0]
    parsed = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        raise InputError(file, f"{plain(text[row])} is not a date" if text[row] else "the date is empty",
                         "write the date as ISO 8601, e.g. 2025-03-14 (in Excel: format the cell as a date)",
                         row=int(row), column=column)
    if not allow_future:
        _not_in_future(parsed, text, file, column)
    return parsed.astype("datetime64[ns]")


def _not_in_future(parsed: pd.Series, text: pd.Series, file: str, column: str) -> None:
    """Refuse a day after today: a mistyped year (2052 for 2025) would otherwise become the latest
    event and move every "latest …" and analysis period past all real data without a word."""
    tomorrow = pd.Timestamp(dt.date.today()) + pd.Timedelta(days=1)
    late = parsed >= tomorrow
    if late.any():
        row = parsed.index[late.to_numpy()][0]
        raise InputError(file, f"{plain(text[row])} is in the future (today is {dt.date.today().isoformat()})",
                         "correct the date (is the year mistyped?); the data can only hold what has happened",
                         row=int(row), column=column)


def _parse_times(values: pd.Series, file: str, column: str) -> pd.Series:
    """Local date-times ``2025-03-14 22:15`` (``T``, seconds, ``22.15`` or an Excel time) → datetime64[ns].

    A time after the end of today is an error (see :func:`_not_in_future`).
    """
    text = values.str.strip()
    parts = text.str.extract(_DATETIME)
    iso = (parts[0] + " " + parts[1].str.zfill(2) + ":" + parts[2] + ":" + parts[3].fillna("00")
           + parts[4].fillna(""))
    parsed = pd.to_datetime(iso, format="ISO8601", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        cell = text[row]
        problem = ("the time is empty" if not cell else
                   f"{plain(cell)} has no time of day" if _DATE.match(cell) else f"{plain(cell)} is not a date and time")
        raise InputError(file, problem,
                         "write date and time as 2025-03-14 22:15 (ISO 8601, Swedish local time; seconds optional)",
                         row=int(row), column=column)
    _not_in_future(parsed, text, file, column)
    return parsed.dt.round("s").astype("datetime64[ns]")


def _numbers(df: pd.DataFrame, col: str, file: str, headers: Mapping[str, str]) -> pd.Series:
    return to_number(df[col], file=file, column=headers[col])


@lru_cache(maxsize=4)
def _transformer(source: str) -> Transformer:
    return Transformer.from_crs(source, CRS, always_xy=True)


def _parse_crs(value: str) -> str | None:
    """``koordinatsystem`` cell → "EPSG:3006"/"EPSG:4326", None when empty (unknown values are rejected earlier)."""
    return CRS_ALIASES.get(re.sub(r"\s+", "", value).lower()) if value.strip() else None


def _inside(e: float, n: float, extent: tuple[float, float, float, float]) -> bool:
    return extent[0] <= e <= extent[1] and extent[2] <= n <= extent[3]


def diagnose_coordinates(ost: float, nord: float, crs: str) -> tuple[str, str] | None:
    """Check one coordinate pair against Sweden's extent in the declared system.

    Parameters
    ----------
    ost, nord : float
        Easting/northing (SWEREF 99 TM) or longitude/latitude (WGS 84).
    crs : str
        "EPSG:3006" or "EPSG:4326".

    Returns
    -------
    None if the pair lies in Sweden's extent, else ``(problem, fix)`` saying what the numbers look
    like (latitude and longitude swapped, WGS 84 declared as SWEREF 99 TM, RT 90, …).

    Examples
    --------
    >>> diagnose_coordinates(361000, 6213000, "EPSG:3006") is None
    True
    >>> diagnose_coordinates(56.046, 12.694, "EPSG:4326")[0]
    'ost 56.046 and nord 12.694 look like latitude and longitude in swapped order'
    >>> diagnose_coordinates(12.694, 56.046, "EPSG:3006")[1][:45]
    'set koordinatsystem to EPSG:4326 (WGS 84) for'
    """
    pair = f"ost {ost:g} and nord {nord:g}"
    wgs_fix = "put the longitude (east, about 11–24 in Sweden) in ost and the latitude (north, 55–69) in nord"
    sweref_fix = "put the easting (200 000–1 000 000) in ost and the northing (6 100 000–7 700 000) in nord"
    if crs == "EPSG:3006":
        if _inside(ost, nord, SWEREF_EXTENT):
            return None
        if _inside(ost, nord, WGS84_EXTENT):
            return (f"{pair} look like WGS 84 longitude/latitude, but koordinatsystem says SWEREF 99 TM (EPSG:3006)",
                    "set koordinatsystem to EPSG:4326 (WGS 84) for this row, or give SWEREF 99 TM metres")
        if _inside(nord, ost, WGS84_EXTENT):
            return (f"{pair} look like WGS 84 latitude/longitude (swapped), but koordinatsystem says SWEREF 99 TM",
                    f"set koordinatsystem to EPSG:4326 and {wgs_fix}")
        if _inside(nord, ost, SWEREF_EXTENT):
            return f"{pair} look swapped for SWEREF 99 TM", sweref_fix
        if _inside(ost, nord, _RT90_EXTENT):
            return (f"{pair} look like RT 90 coordinates, not SWEREF 99 TM",
                    "convert the coordinates to SWEREF 99 TM (EPSG:3006), e.g. in QGIS, before loading")
        return (f"{pair} lie outside Sweden in SWEREF 99 TM (ost 200 000–1 000 000, nord 6 100 000–7 700 000)",
                "check the coordinates and koordinatsystem (EPSG:3006 = SWEREF 99 TM metres, EPSG:4326 = WGS 84 degrees)")
    if _inside(ost, nord, WGS84_EXTENT):
        return None
    if _inside(nord, ost, WGS84_EXTENT):
        return f"{pair} look like latitude and longitude in swapped order", wgs_fix
    if _inside(ost, nord, SWEREF_EXTENT):
        return (f"{pair} look like SWEREF 99 TM metres, but koordinatsystem says WGS 84 (EPSG:4326)",
                "set koordinatsystem to EPSG:3006 (SWEREF 99 TM) for this row")
    if _inside(nord, ost, SWEREF_EXTENT):
        return (f"{pair} look like SWEREF 99 TM metres in swapped order, but koordinatsystem says WGS 84",
                f"set koordinatsystem to EPSG:3006 and {sweref_fix}")
    return (f"{pair} lie outside Sweden in WGS 84 (longitude 10–25, latitude 55–70)",
            "check the coordinates and koordinatsystem; in WGS 84 ost is the longitude and nord the latitude")


def _crs_rule() -> _Rule:
    return _Rule(
        lambda s: (s.str.strip() == "") | s.map(lambda v: re.sub(r"\s+", "", v).lower()).isin(CRS_ALIASES),
        lambda v: f"{plain(v)} is not a coordinate system this suite knows",
        f"write one of {_CRS_SPELLINGS}; convert other systems (e.g. RT 90) to SWEREF 99 TM first",
    )


def _require_crs(crs: pd.Series, need: pd.Series, file: str, column: str) -> None:
    missing = need & crs.isna()
    if missing.any():
        row = crs.index[missing.to_numpy()][0]
        raise InputError(file, "the row has coordinates but no koordinatsystem",
                         "write EPSG:3006 (SWEREF 99 TM, metres) or EPSG:4326 (WGS 84, degrees); "
                         "the coordinate system is never guessed", row=int(row), column=column)


def _check_extent(e: np.ndarray, n: np.ndarray, crs: pd.Series, file: str, column: str) -> None:
    for row, ee, nn, c in zip(crs.index, e, n, crs, strict=True):
        if c is None or np.isnan(ee) or np.isnan(nn):
            continue
        found = diagnose_coordinates(float(ee), float(nn), c)
        if found:
            raise InputError(file, found[0], found[1], row=int(row), column=column)


def _positions(df: pd.DataFrame, file: str, headers: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """ost/nord (+ koordinatsystem) per row → x, y in SWEREF 99 TM (NaN where the row has no position)."""
    ost, nord = _numbers(df, "ost", file, headers), _numbers(df, "nord", file, headers)
    for a, b in (("ost", "nord"), ("nord", "ost")):
        half = df.index[(ost if a == "ost" else nord).notna() & (nord if a == "ost" else ost).isna()]
        if len(half):
            raise InputError(file, f"{headers[a]} is filled but {headers[b]} is empty",
                             "give both ost and nord, or neither", row=int(half[0]), column=headers[b])
    crs = df["koordinatsystem"].map(_parse_crs)
    has = ost.notna()
    _require_crs(crs, has, file, headers["koordinatsystem"])
    _check_extent(ost.to_numpy(), nord.to_numpy(), crs, file, headers["ost"])
    x, y = ost.astype(float).copy(), nord.astype(float).copy()
    wgs = (has & (crs == "EPSG:4326")).to_numpy()
    if wgs.any():
        tx, ty = _transformer("EPSG:4326").transform(ost[wgs].to_numpy(), nord[wgs].to_numpy())
        x[wgs], y[wgs] = tx, ty
    return x, y


def _text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str).str.strip().astype(str)


# ============================================================================================
# Loaders
# ============================================================================================


def load_places(path: str | Path) -> gpd.GeoDataFrame:
    """Load a places register (``platser.csv``/``.xlsx``) into a GeoDataFrame in SWEREF 99 TM.

    Each place is a WKT polygon (``geometri``) or a point (``ost``, ``nord``) with ``radie_m``
    (0 < r ≤ 2000 m), in the ``koordinatsystem`` its row declares. A point is stored as a circle of
    that radius.

    Parameters
    ----------
    path : str or Path
        The file. For ``.xlsx``, the sheet named ``platser`` if there is one, else the first sheet.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:3006; columns ``plats_id``, ``namn``, ``kommun_kod``, ``stadsdel``, ``radie_m`` (NaN
        for polygons), ``geometry`` (Polygon/MultiPolygon). Index = spreadsheet row.

    Raises
    ------
    InputError
        Missing columns, empty or duplicate ``plats_id``, kommun not four digits, unknown or
        missing coordinate system, coordinates outside Sweden, bad or invalid WKT, missing or
        out-of-range radius.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "platser.csv"
    >>> _ = p.write_text("plats_id;namn;kommun;koordinatsystem;ost;nord;radie_m\\n"
    ...                  "P1;Torget;1283;WGS 84;12,694;56,046;100\\n", encoding="utf-8")
    >>> places = load_places(p)
    >>> places.crs.to_epsg(), places.loc[2, "kommun_kod"], round(float(places.area.iloc[0]) / 1e4, 1)
    (3006, '1283', 3.1)
    """
    path = Path(path)
    file = str(path)
    df, headers = _read(path, "platser")
    _check_cells(df, {
        "plats_id": _NOT_EMPTY,
        "namn": _NOT_EMPTY,
        "kommun": _Rule(is_kommun_code, kommun_code_problem,
                        "write the SCB kommun code as four digits as text, e.g. 1283 for Helsingborg or 0114 "
                        "(keep the leading zero; in Excel format the column as text)"),
        "koordinatsystem": _Rule(_nonempty, lambda v: "the coordinate system is empty",
                                 "write EPSG:3006 (SWEREF 99 TM, metres) or EPSG:4326 (WGS 84, degrees); "
                                 "the coordinate system is never guessed"),
    }, file, headers)
    _check_cells(df, {"koordinatsystem": _crs_rule()}, file, headers)
    _duplicates(df["plats_id"], file, headers["plats_id"], "plats_id")

    ost, nord = _numbers(df, "ost", file, headers), _numbers(df, "nord", file, headers)
    radius = _numbers(df, "radie_m", file, headers)
    crs = df["koordinatsystem"].map(_parse_crs)
    wkt = df["geometri"]
    geoms: list = []
    for row in df.index:
        point_cols = [headers[c] for c, v in (("ost", ost), ("nord", nord), ("radie_m", radius)) if pd.notna(v[row])]
        if wkt[row]:
            if point_cols:
                raise InputError(file, f"the row has both geometri and {', '.join(point_cols)}",
                                 "give the place EITHER as a polygon in geometri OR as ost, nord and radie_m; "
                                 "empty the other cells", row=int(row), column=point_cols[0])
            geoms.append(_polygon(wkt[row], crs[row], file, int(row), headers["geometri"]))
            continue
        for col, values in (("ost", ost), ("nord", nord)):
            if pd.isna(values[row]):
                raise InputError(file, "the place has no geometry" if not point_cols else f"{headers[col]} is empty",
                                 "fill geometri with a WKT polygon, or ost, nord and radie_m for a point",
                                 row=int(row), column=headers[col] if point_cols else headers["geometri"])
        found = diagnose_coordinates(float(ost[row]), float(nord[row]), crs[row])
        if found:
            raise InputError(file, found[0], found[1], row=int(row), column=headers["ost"])
        r = radius[row]
        if pd.isna(r) or not 0 < r <= MAX_RADIUS_M:
            problem = "the radius is missing" if pd.isna(r) else f"the radius {r:g} m is not above 0 and at most 2000"
            raise InputError(file, problem,
                             f"give radie_m in metres, above 0 and at most {MAX_RADIUS_M:.0f}; "
                             "for a larger area draw a polygon in geometri", row=int(row), column=headers["radie_m"])
        geoms.append(shapely.Point(float(ost[row]), float(nord[row])))
    source = gpd.GeoSeries(geoms, index=df.index)
    out_geom = gpd.GeoSeries([None] * len(df), index=df.index, crs=CRS)
    for code in ("EPSG:3006", "EPSG:4326"):
        mask = (crs == code).to_numpy()
        if mask.any():
            out_geom[mask] = source[mask].set_crs(code).to_crs(CRS).to_numpy()
    is_point = (out_geom.geom_type == "Point").to_numpy()
    out_geom[is_point] = out_geom[is_point].buffer(radius[is_point].to_numpy()).to_numpy()
    out = gpd.GeoDataFrame({
        "plats_id": _text(df["plats_id"]),
        "namn": _text(df["namn"]),
        "kommun_kod": _text(df["kommun"]),
        "stadsdel": _text(df["stadsdel"]),
        "radie_m": radius.where(is_point, np.nan).astype(float),
    }, geometry=out_geom, crs=CRS)
    out = schemas.validate(out, PLACES_SCHEMA, file)
    out.attrs["file"] = file
    return out


def _polygon(text: str, crs: str, file: str, row: int, column: str):
    """Parse and check one WKT polygon in its declared CRS (not yet transformed)."""
    fix = ("give a WKT polygon, e.g. POLYGON ((358900 6215010, 359050 6215010, 359050 6215130, 358900 6215010)) "
           "— in QGIS, copy the feature as WKT; or use ost, nord and radie_m for a point")
    try:
        geom = shapely.from_wkt(text.replace("\u00a0", " "))
    except shapely.errors.ShapelyError as exc:
        raise InputError(file, f"geometri is not valid WKT ({exc})", fix, row=row, column=column) from None
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        kind = "empty" if geom is None or geom.is_empty else f"a {geom.geom_type}"
        raise InputError(file, f"geometri is {kind}, not a polygon", fix, row=row, column=column)
    geom = shapely.force_2d(geom)
    if not geom.is_valid:
        raise InputError(file, f"the polygon is invalid: {shapely.is_valid_reason(geom)}",
                         "draw the polygon so that its edges do not cross and each ring closes (first point = last "
                         "point); in QGIS use Vector → Geometry Tools → Fix Geometries", row=row, column=column)
    minx, miny, maxx, maxy = geom.bounds
    found = diagnose_coordinates(minx, miny, crs) or diagnose_coordinates(maxx, maxy, crs)
    if found:
        raise InputError(file, f"the polygon's coordinates: {found[0]}", found[1], row=row, column=column)
    return geom


def _factor_scores(df: pd.DataFrame, key: str, file: str, column: str) -> pd.Series:
    """One factor column → float scores SCALE_MIN..SCALE_MAX, NaN = not assessed."""
    labels = ", ".join(f"{k} = {v}" for k, v in SCALE.items())
    fix = (f"score with a whole number {SCALE_MIN}–{SCALE_MAX} ({labels}); "
           "leave the cell empty if the factor was not assessed")
    try:
        scores = to_number(df[key], file=file, column=column)
    except InputError as exc:
        cell = df.loc[exc.row, key] if exc.row in df.index else ""
        raise InputError(file, f"{plain(cell)} is not a score", fix, row=exc.row, column=column) from None
    bad = scores.notna() & ((scores % 1 != 0) | (scores < SCALE_MIN) | (scores > SCALE_MAX))
    if bad.any():
        row = df.index[bad.to_numpy()][0]
        raise InputError(file, f"{plain(df.loc[row, key])} is not on the scale {SCALE_MIN}–{SCALE_MAX}", fix,
                         row=int(row), column=column)
    return scores.astype(float)


def load_inspections(path: str | Path, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load site inspections and safety walks (``besiktningar.csv``/``.xlsx``).

    Factor columns may be headed by the key (``overblickbarhet``) or the Swedish name
    (``Överblickbarhet``); a factor column missing from the file counts as not assessed.

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: sheet ``besiktningar`` if present, else the first).
    places : pandas.DataFrame, optional
        The places register: every ``plats_id`` must be in it.

    Returns
    -------
    pandas.DataFrame
        ``plats_id``, ``datum`` (datetime64[ns]), ``typ``, ``roll``, one float column per factor key
        (1–5, NaN = not assessed), ``anteckning`` (free text: never publish). Index = spreadsheet row.

    Raises
    ------
    InputError
        Missing columns, unknown place, bad date, unknown type or role (e.g. a person's name),
        a score that is not a whole number on the scale, a row without any score.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "besiktningar.csv"
    >>> _ = p.write_text("plats_id;datum;typ;roll;Belysning;overblickbarhet\\n"
    ...                  "P1;2025-03-14;Okulär besiktning;Polis;2;\\n", encoding="utf-8")
    >>> df = load_inspections(p)
    >>> df.loc[2, "typ"], df.loc[2, "roll"], float(df.loc[2, "belysning"]), float(df.loc[2, "overblickbarhet"])
    ('besiktning', 'polis', 2.0, nan)
    """
    path = Path(path)
    file = str(path)
    df, headers = _read(path, "besiktningar")
    _check_cells(df, {
        "plats_id": _NOT_EMPTY,
        "typ": _Rule(_in_vocabulary(INSPECTION_TYPES, _TYPE_ALIASES),
                     lambda v: f"{plain(v)} is not an inspection type" if v else "the type is empty",
                     "write besiktning (okulär besiktning) or trygghetsvandring"),
        "roll": _Rule(_in_vocabulary(ROLES),
                      lambda v: f"{plain(v)} is not one of the assessor roles" if v else "the role is empty",
                      "give the role, never a person's name: one of " + ", ".join(ROLES)),
    }, file, headers)
    _known_ids(df["plats_id"], places, file, headers["plats_id"])
    datum = _parse_dates(df["datum"], file, headers["datum"], allow_future=False)
    scores = {k: _factor_scores(df, k, file, headers[k]) for k in FACTOR_KEYS}
    none = pd.DataFrame(scores).isna().all(axis=1)
    if none.any():
        row = df.index[none.to_numpy()][0]
        raise InputError(file, "no factor is scored in this row",
                         f"score at least one of the eight factors ({SCALE_MIN}–{SCALE_MAX}) or delete the row",
                         row=int(row), column=headers[FACTOR_KEYS[0]])
    roles = {_key(r): r for r in ROLES}
    out = pd.DataFrame({
        "plats_id": _text(df["plats_id"]),
        "datum": datum,
        "typ": df["typ"].map(lambda v: _TYPE_ALIASES[_key(v)]).astype(str),
        "roll": df["roll"].map(lambda v: roles[_key(v)]).astype(str),
        **scores,
        "anteckning": _text(df["anteckning"]),
    }, index=df.index)
    out = schemas.validate(out, INSPECTIONS_SCHEMA, file)
    out.attrs["file"] = file
    return out


def _load_positioned(path: str | Path, kind: str, places: pd.DataFrame | None,
                     rules: Mapping[str, _Rule]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Shared part of incidents and citizen reports: read, check, time, plats_id, position."""
    file = str(path)
    df, headers = _read(path, kind)
    _check_cells(df, {**rules, "koordinatsystem": _crs_rule()}, file, headers)
    tid = _parse_times(df["tid"], file, headers["tid"])
    x, y = _positions(df, file, headers)
    plats = _text(df["plats_id"])
    _known_ids(plats, places, file, headers["plats_id"])
    nowhere = x.isna() & (plats == "")
    if nowhere.any():
        row = df.index[nowhere.to_numpy()][0]
        raise InputError(file, "the row has neither a position nor a plats_id",
                         "give ost, nord and koordinatsystem, or the plats_id of a place in platser",
                         row=int(row), column=headers["plats_id"])
    base = pd.DataFrame({"tid": tid, "plats_id": plats, "x": x, "y": y, "fritext": _text(df["fritext"])}, index=df.index)
    return df, base, headers


def load_incidents(path: str | Path, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load an incident log (``handelser.csv``/``.xlsx``, EST style).

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: sheet ``handelser`` if present, else the first).
    places : pandas.DataFrame, optional
        The places register: every non-empty ``plats_id`` must be in it.

    Returns
    -------
    pandas.DataFrame
        ``tid`` (datetime64[ns], Swedish local time, naive), ``kategori``, ``kalla`` (one of
        :data:`SOURCES`), ``plats_id`` ("" if none), ``x``, ``y`` (SWEREF 99 TM metres, NaN without
        a position), ``fritext`` (never publish). Index = spreadsheet row.

    Raises
    ------
    InputError
        Bad time, empty category, unknown source, unknown place, missing or unknown coordinate
        system, coordinates outside Sweden, a row with neither position nor place.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "handelser.csv"
    >>> _ = p.write_text("tid;kategori;kalla;plats_id;koordinatsystem;ost;nord\\n"
    ...                  "2025-03-14 22:15;Klotter;Polis;;EPSG:3006;361 000;6 213 000\\n"
    ...                  "2025-03-15 01:05:30;Hot;trygghetsvärdar;P1;;;\\n", encoding="utf-8")
    >>> df = load_incidents(p)
    >>> df[["kalla", "plats_id", "x"]].values.tolist()
    [['polis', '', 361000.0], ['trygghetsvärdar', 'P1', nan]]
    >>> df["tid"].dt.hour.tolist()
    [22, 1]
    """
    path = Path(path)
    file = str(path)
    sources = {_key(s): s for s in SOURCES}
    df, base, _ = _load_positioned(path, "handelser", places, {
        "kategori": _Rule(_nonempty, lambda v: "the category is empty",
                          "write the kind of incident, e.g. Skadegörelse, Klotter, Ordningsstörning"),
        "kalla": _Rule(_in_vocabulary(SOURCES), lambda v: f"{plain(v)} is not a known source" if v else "the source is empty",
                       "write who reported it: one of " + ", ".join(SOURCES)),
    })
    out = pd.DataFrame({
        "tid": base["tid"],
        "kategori": _text(df["kategori"]),
        "kalla": df["kalla"].map(lambda v: sources[_key(v)]).astype(str),
        **{c: base[c] for c in ("plats_id", "x", "y", "fritext")},
    }, index=df.index)
    out = schemas.validate(out, INCIDENTS_SCHEMA, file)
    out.attrs["file"] = file
    return out


def load_citizen_reports(path: str | Path, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load citizen reports (``medborgarrapporter.csv``/``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: sheet ``medborgarrapporter`` if present, else the first).
    places : pandas.DataFrame, optional
        The places register: every non-empty ``plats_id`` must be in it.

    Returns
    -------
    pandas.DataFrame
        ``tid``, ``kategori`` (canonical spelling from :data:`CITIZEN_CATEGORIES`), ``plats_id``,
        ``x``, ``y``, ``fritext`` (never publish), as :func:`load_incidents`. Index = spreadsheet row.

    Raises
    ------
    InputError
        As :func:`load_incidents`; the category must be one of :data:`CITIZEN_CATEGORIES`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "medborgarrapporter.csv"
    >>> _ = p.write_text("tid;kategori;koordinatsystem;ost;nord\\n"
    ...                  "2025-03-14 18:40;allmänt otrygg plats;WGS 84;12,694;56,046\\n", encoding="utf-8")
    >>> df = load_citizen_reports(p)
    >>> df.loc[2, "kategori"], round(float(df.loc[2, "x"]), -2), round(float(df.loc[2, "y"]), -2)
    ('Allmänt otrygg plats', 356400.0, 6213600.0)
    """
    path = Path(path)
    file = str(path)
    categories = {_key(c): c for c in CITIZEN_CATEGORIES}
    df, base, _ = _load_positioned(path, "medborgarrapporter", places, {
        "kategori": _Rule(_in_vocabulary(CITIZEN_CATEGORIES),
                          lambda v: f"{plain(v)} is not a citizen-report category" if v else "the category is empty",
                          "write one of " + ", ".join(CITIZEN_CATEGORIES)),
    })
    out = pd.DataFrame({
        "tid": base["tid"],
        "kategori": df["kategori"].map(lambda v: categories[_key(v)]).astype(str),
        **{c: base[c] for c in ("plats_id", "x", "y", "fritext")},
    }, index=df.index)
    out = schemas.validate(out, CITIZEN_REPORTS_SCHEMA, file)
    out.attrs["file"] = file
    return out


# ============================================================================================
# A place-data folder
# ============================================================================================


@dataclass
class PlaceData:
    """The place data of one kommun, loaded from a place-data folder.

    ``inspections``, ``incidents`` and ``citizen_reports`` are None when the folder has no such
    file. ``files`` lists the tables read (``name``, ``description``, ``sha256``, ``date``) for the
    report's provenance. ``example`` is True for invented example data: every report must say so.
    """

    places: gpd.GeoDataFrame
    inspections: pd.DataFrame | None
    incidents: pd.DataFrame | None
    citizen_reports: pd.DataFrame | None
    example: bool
    description: str
    source: str
    files: list[dict] = field(default_factory=list)
    kommun_kod: str = ""
    folder: Path | None = None


_LOADERS: dict[str, Callable] = {}  # filled below, after the loaders are defined


def find_files(folder: str | Path) -> dict[str, Path]:
    """The tables of a place-data folder by kind (file names compared case-insensitively).

    Other files (``metadata.yaml``, README, scripts, Excel lock files ``~$…``) are ignored; a table
    whose name is not a known kind, or two tables of one kind, are errors.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("platser.csv", "Handelser.xlsx", "README.md"):
    ...     _ = (d / name).write_text("x")
    >>> sorted(find_files(d))
    ['handelser', 'platser']
    """
    folder = Path(folder)
    found: dict[str, Path] = {}
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.name.startswith(("~$", ".")) or p.suffix.lower() not in (*CSV_SUFFIXES, *EXCEL_SUFFIXES):
            continue
        kind = _key(p.stem)
        if kind not in FILE_KINDS:
            raise InputError(p, f"{plain(p.name)} is not a place-data table",
                             f"name it {', '.join(FILE_KINDS)} (.csv or .xlsx), or move it out of the folder")
        if kind in found:
            raise InputError(p, f"there are two {kind} files ({found[kind].name} and {p.name})",
                             "keep one of them in the folder")
        found[kind] = p
    return found


def read_metadata(path: str | Path) -> dict:
    """Read and check ``metadata.yaml`` (keys in :data:`METADATA_KEYS`; all optional).

    Returns
    -------
    dict
        ``exempeldata`` (bool, default False), ``beskrivning``, ``kalla``, ``datum`` (str, default "").

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "metadata.yaml"
    >>> _ = p.write_text("exempeldata: true\\ndatum: 2025-03-14\\n", encoding="utf-8")
    >>> read_metadata(p)
    {'exempeldata': True, 'beskrivning': '', 'kalla': '', 'datum': '2025-03-14'}
    """
    path = Path(path)
    try:
        raw = strict_yaml(path.read_text(encoding="utf-8-sig"))  # a key written twice is an error
    except yaml.YAMLError as exc:  # the message on one line (the run's summary shows only the first)
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        fix = "keep only one of the two lines" if "appears twice" in problem else "write one 'key: value' per line"
        raise InputError(path, f"the file is not valid YAML ({problem})", fix,
                         row=mark.line + 1 if mark else None) from None
    except UnicodeDecodeError:
        raise InputError(path, "the file is not UTF-8 text", "save it as UTF-8 (any text editor can)") from None
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise InputError(path, "the file is not a list of 'key: value' lines",
                         f"write one 'key: value' per line with the keys {', '.join(METADATA_KEYS)}")
    out = {"exempeldata": False, "beskrivning": "", "kalla": "", "datum": ""}
    for key, value in raw.items():
        if key not in METADATA_KEYS:
            raise InputError(path, f"unknown key {plain(key)}",
                             "use only " + "; ".join(f"{k}: {v}" for k, v in METADATA_KEYS.items()), column=str(key))
        if key == "exempeldata":
            if not isinstance(value, bool):
                raise InputError(path, f"exempeldata is {plain(value)}, not true or false", "write true or false",
                                 column=key)
            out[key] = value
        elif isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif value is None or isinstance(value, str | int | float):
            out[key] = "" if value is None else str(value).strip()
        else:
            raise InputError(path, f"{key} is not a text", "write a single line of text", column=key)
    if out["datum"] and not _DATE.match(out["datum"]):
        raise InputError(path, f"datum {plain(out['datum'])} is not a date", "write the date as 2025-03-14", column="datum")
    return out


def _near_places(x: pd.Series, y: pd.Series, places: gpd.GeoDataFrame) -> pd.Series:
    """True where (x, y) lies within NEAR_PLACE_M of the bounding box of one of ``places``."""
    boxes = shapely.box(*places.bounds.to_numpy().T)
    has = (x.notna() & y.notna()).to_numpy()
    near = np.zeros(len(x), dtype=bool)
    points = shapely.points(x.to_numpy()[has], y.to_numpy()[has])
    near[has] = shapely.dwithin(points[:, None], boxes[None, :], NEAR_PLACE_M).any(axis=1)
    return pd.Series(near, index=x.index)


def _belonging(df: pd.DataFrame | None, places: gpd.GeoDataFrame) -> pd.DataFrame | None:
    if df is None:
        return None
    ids = set(places["plats_id"])
    by_id = df["plats_id"].isin(ids)
    by_position = (df["plats_id"] == "") & _near_places(df["x"], df["y"], places)
    out = df[by_id | by_position]
    out.attrs = dict(df.attrs)
    return out


def load_place_data(folder: str | Path, kommun: str) -> PlaceData | None:
    """Load a place-data folder and keep the places of one kommun and what belongs to them.

    The whole folder is loaded and cross-checked first (every ``plats_id`` must be in the places
    register). Then the kommun's places are kept, with the inspections of those places and the
    incidents and citizen reports that belong to them: rows with a ``plats_id`` by that id; rows
    with only a position when the point lies within :data:`NEAR_PLACE_M` (2 km) of the bounding
    box of one of the kommun's places.

    Parameters
    ----------
    folder : str or Path
        The place-data folder (see the module docstring).
    kommun : str
        Four-digit kommun code, e.g. "1283".

    Returns
    -------
    PlaceData or None
        None when the folder has no place in ``kommun``.

    Raises
    ------
    InputError
        Missing folder or places file, unknown table names, bad ``metadata.yaml``, and every error
        of the loaders.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> data = load_place_data(DATA / "example" / "places", "1283")
    >>> data.example, data.kommun_kod, len(data.places) > 0, data.files[0]["name"]
    (True, '1283', True, 'places/platser.csv')
    >>> load_place_data(DATA / "example" / "places", "2080") is None
    True
    """
    folder = Path(folder)
    kommun = str(kommun).strip()
    if not re.match(_KOMMUN_RE, kommun):
        raise InputError(folder, f"kommun {plain(kommun)} is not a four-digit kommun code", "pass e.g. '1283'")
    if not folder.is_dir():
        raise InputError(folder, "the place-data folder does not exist",
                         "create it with at least platser.csv (copy data/templates/), or correct the path")
    tables = find_files(folder)
    if "platser" not in tables:
        raise InputError(folder / "platser.csv", "the folder has no places register (platser.csv or platser.xlsx)",
                         "add platser.csv from data/templates/ with one row per place")
    meta_path = folder / "metadata.yaml"
    meta = read_metadata(meta_path) if meta_path.exists() else read_metadata_defaults()
    places = load_places(tables["platser"])
    loaded: dict[str, pd.DataFrame | None] = {}
    for kind in FILE_KINDS[1:]:
        loaded[kind] = _LOADERS[kind](tables[kind], places) if kind in tables else None
    mine = places[places["kommun_kod"] == kommun]
    if mine.empty:
        return None
    mine.attrs = dict(places.attrs)
    inspections = loaded["besiktningar"]
    if inspections is not None:
        attrs = dict(inspections.attrs)
        inspections = inspections[inspections["plats_id"].isin(set(mine["plats_id"]))]
        inspections.attrs = attrs
    files = []
    for kind in FILE_KINDS:
        if kind not in tables:
            continue
        p = tables[kind]
        date = meta["datum"] or dt.date.fromtimestamp(p.stat().st_mtime).isoformat()
        description = FILE_DESCRIPTIONS[kind] + (" (påhittade exempeldata)" if meta["exempeldata"] else "")
        files.append({"name": f"{folder.name}/{p.name}", "description": description,
                      "sha256": sha256(p), "date": date})
    return PlaceData(
        places=mine, inspections=inspections,
        incidents=_belonging(loaded["handelser"], mine),
        citizen_reports=_belonging(loaded["medborgarrapporter"], mine),
        example=meta["exempeldata"], description=meta["beskrivning"], source=meta["kalla"],
        files=files, kommun_kod=kommun, folder=folder,
    )


def read_metadata_defaults() -> dict:
    """The metadata of a folder without ``metadata.yaml``: not example data, no description.

    Examples
    --------
    >>> read_metadata_defaults()["exempeldata"]
    False
    """
    return {"exempeldata": False, "beskrivning": "", "kalla": "", "datum": ""}


_LOADERS.update(besiktningar=load_inspections, handelser=load_incidents, medborgarrapporter=load_citizen_reports)

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
        A mapping is keyed by template column name (or factor key); missing keys are empty cells.
        A sequence holds the cells in template order. None and NaN are written as empty cells.

    Examples
    --------
    >>> csv_text("platser", [{"plats_id": "P1", "namn": "Torget", "kommun": "1283"}]).splitlines()[1]
    'P1;Torget;1283;;;;;;'
    """
    lookup = _header_lookup(kind)
    header = TEMPLATES[kind].header
    return template_csv_text(header, rows, lookup=lookup, key=_key, canonical=[lookup[_key(h)] for h in header],
                             kind=kind)


def write_csv(path: str | Path, kind: str, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> None:
    """Write rows of ``kind`` as a template-shaped CSV (``;``, UTF-8 with BOM), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "platser.csv"
    >>> write_csv(p, "platser", [("P1", "Torget", "1283", "", "WGS 84", "", "12,694", "56,046", "100")])
    >>> load_places(p)["plats_id"].tolist()
    ['P1']
    """
    atomic_write_text(path, csv_text(kind, rows))


def instructions_rows() -> list[tuple[str, str, str, str]]:
    """The rows of the ``Instruktioner`` sheet: (section/column, required, description, example).

    Examples
    --------
    >>> rows = instructions_rows()
    >>> rows[0][0], any(r[0] == "Överblickbarhet" for r in rows)
    ('Mallar för platsbedömning', True)
    """
    rows: list[tuple[str, str, str, str]] = [
        ("Mallar för platsbedömning", "", "Spara varje blad som egen fil (CSV eller .xlsx) med bladets namn, "
         "t.ex. platser.csv, och lägg filerna i en mapp. En .xlsx-fil läses från bladet med filens namn, "
         "annars från första bladet. Rubrikerna måste stå kvar; exempelraderna ska ersättas.", ""),
        ("", "", "", ""),
    ]
    for template in TEMPLATES.values():
        rows.append((f"{template.kind} – {template.title}", "", template.purpose, ""))
        rows.append(("Kolumn", "Obligatorisk kolumn", "Beskrivning", "Exempel"))
        for col in template.columns:
            rows.append((col.name, "ja" if col.required else "nej", col.description, col.example))
        rows.append(("", "", "", ""))
    rows.append(("Skala", "", f"Varje faktor bedöms med ett heltal {SCALE_MIN}–{SCALE_MAX}; tom cell = inte bedömd.", ""))
    rows += [(str(k), "", label, "") for k, label in SCALE.items()]
    rows.append(("", "", "", ""))
    rows.append(("Faktorer", "", "De åtta faktorerna (kolumnrubrik = namn eller nyckel).", "Nyckel"))
    rows += [(f.name, "", f.question, f.key) for f in FACTORS]
    rows.append(("", "", "", ""))
    rows.append(("Koordinater", "", CRS_RULE, ""))
    rows.append(("Roller (roll)", "", ", ".join(ROLES), ""))
    rows.append(("Källor (kalla)", "", ", ".join(SOURCES), ""))
    rows.append(("Kategorier (medborgarrapporter)", "", ", ".join(CITIZEN_CATEGORIES), ""))
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
    from lagesbild.core.workbook import template_workbook

    rows = instructions_rows()
    titles = {r[0] for r in rows if r[0] and not r[1] and not r[3]} - {str(k) for k in SCALE}
    return template_workbook(
        TEMPLATES.values(), rows, instruction_widths=(32, 20, 100, 40), titles=titles,
        column_width=lambda col: max(12, min(60, len(col.name) + 4, len(col.example) + 2)))


def templates_markdown() -> str:
    """``data/templates/README.md``: every file and column, the scale, the factors and the rules.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| plats_id | ja |" in text, "## Integritet" in text
    (True, True)
    """
    lines = [
        "# Mallar för platsbedömning (place-assessment templates)",
        "",
        "<!-- Generated by lagesbild.inputs.places.write_templates(); do not edit by hand: edit TEMPLATES in "
        "lib/lagesbild/inputs/places.py and run the function again. -->",
        "",
        "These templates are the input of the place-assessment report. A *place-data folder* holds up to four "
        "tables, each as CSV (`;`-separated, UTF-8) or Excel (`.xlsx`), named after its kind, plus an optional "
        "`metadata.yaml`. Only `platser` is required. `mallar.xlsx` holds all four as sheets plus an "
        "`Instruktioner` sheet: save each sheet as its own file (`platser.xlsx`, `handelser.csv` …); an `.xlsx` "
        "is read from the sheet named after the kind, else from its first sheet. Headers match "
        "case-insensitively (a factor column may be headed by its Swedish name or its key); optional columns "
        "may be left out, but a column that is not in the template is an error, so that a misspelt header is "
        "never silently ignored. Every problem is reported with file, spreadsheet row, column and a fix. "
        "Other tables in the folder are an error; other files (README, scripts) are ignored.",
        "",
        "The templates are written by `lagesbild.inputs.places.write_templates(\"data/templates\")`; a test checks "
        "that these files are what it writes today and that their example rows load.",
        "",
        "| fil | innehåll |",
        "|---|---|",
    ]
    lines += [f"| `{t.kind}.csv` / `{t.kind}.xlsx` | {markdown_cell(t.title)} |" for t in TEMPLATES.values()]
    lines += ["| `metadata.yaml` | " + "; ".join(f"`{k}`: {v}" for k, v in METADATA_KEYS.items())
              + ". Other keys are an error. |", ""]
    for t in TEMPLATES.values():
        lines += [f"## `{t.kind}` – {t.title}", "", t.purpose, "",
                  "| kolumn | obligatorisk kolumn | beskrivning | exempel |", "|---|---|---|---|"]
        for c in t.columns:
            alias = f" (eller `{'`, `'.join(c.aliases)}`)" if c.aliases else ""
            lines.append(f"| {c.name} | {'ja' if c.required else 'nej'} | {markdown_cell(c.description)}{alias} | "
                         f"{markdown_cell(c.example)} |")
        lines.append("")
    lines += [
        "## Skala", "",
        f"Varje faktor bedöms med ett heltal {SCALE_MIN}–{SCALE_MAX}. Tom cell (eller `-`) = inte bedömd. "
        "Minst en faktor per rad. 0, 6, 2,5 eller text är fel.", "",
        "| poäng | betydelse |", "|---|---|",
        *[f"| {k} | {v} |" for k, v in SCALE.items()], "",
        "## Faktorer", "",
        "| rubrik | nyckel | fråga |", "|---|---|---|",
        *[f"| {f.name} | `{f.key}` | {f.question} |" for f in FACTORS], "",
        "## Koordinater", "", CRS_RULE, "",
        "Koordinater utanför Sverige för det angivna systemet är fel, och felet säger vad de liknar (t.ex. "
        "latitud och longitud i omvänd ordning, eller WGS 84 fast SWEREF 99 TM angavs). Allt räknas om till "
        "SWEREF 99 TM. En punkt med radie lagras som en cirkel.", "",
        "## Kontrollerade listor", "",
        f"- **typ:** {', '.join(INSPECTION_TYPES)} (\"okulär besiktning\" läses som besiktning).",
        f"- **roll:** {', '.join(ROLES)}.",
        f"- **kalla:** {', '.join(SOURCES)}.",
        f"- **kategori (medborgarrapporter):** {', '.join(CITIZEN_CATEGORIES)}.",
        "- **kategori (handelser):** fri text, får inte vara tom.", "",
        "Stora och små bokstäver spelar ingen roll.", "",
        "## Datum och tider", "",
        "Datum som `2025-03-14`, tider som `2025-03-14 22:15` (sekunder går bra), svensk lokal tid. "
        "Datum- och tidsceller i Excel går också bra. Tal får skrivas med decimalkomma (`56,046`) och "
        "mellanslag (`6 215 070`).", "",
        "## Integritet", "", PRIVACY_RULE, "",
        "Fritextkolumnerna läses in så att analytikern kan läsa dem i JupyterLab, men rapporterna visar "
        "dem aldrig.", "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates: four CSVs, ``mallar.xlsx`` and ``README.md``, each atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates``.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> written = write_templates(pathlib.Path(tempfile.mkdtemp()))
    >>> [p.name for p in written]
    ['platser.csv', 'besiktningar.csv', 'handelser.csv', 'medborgarrapporter.csv', 'mallar.xlsx', 'README.md']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, template in TEMPLATES.items():
        path = folder / f"{kind}.csv"
        write_csv(path, kind, template.rows)
        written.append(path)
    xlsx = folder / "mallar.xlsx"
    _atomic_write_bytes(xlsx, workbook_bytes())
    readme = folder / "README.md"
    atomic_write_text(readme, templates_markdown())
    return [*written, xlsx, readme]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = [
    "CITIZEN_CATEGORIES", "CITIZEN_REPORTS_SCHEMA", "CRS", "CRS_ALIASES", "FILE_KINDS", "INCIDENTS_SCHEMA",
    "INSPECTIONS_SCHEMA", "INSPECTION_TYPES", "NEAR_PLACE_M", "PLACES_SCHEMA", "ROLES", "SOURCES", "TEMPLATES",
    "PlaceData", "Template", "TemplateColumn", "csv_text", "diagnose_coordinates", "find_files", "instructions_rows",
    "load_citizen_reports", "load_incidents", "load_inspections", "load_place_data", "load_places", "read_metadata",
    "read_metadata_defaults", "templates_markdown", "workbook_bytes", "write_csv", "write_templates",
]
