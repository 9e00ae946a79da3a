"""Place data: the places register, inspections, incident log and citizen reports, declared, loaded and checked.

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

The tables are declared once, in :data:`TEMPLATES` (with :mod:`lagesbild.inputs.tables`), and the
folder in :data:`PLACE_FOLDER` (:mod:`lagesbild.inputs.folders`); the declaration writes the
templates in ``data/templates/`` (CSV, ``mallar.xlsx`` and the README) so templates and docs cannot
drift. Every problem in a file is an :class:`~lagesbild.core.errors.InputError` naming file,
spreadsheet row, column, what is wrong and the fix.

Coordinates are never guessed (:mod:`lagesbild.inputs.coordinates`): every row with coordinates
declares its ``koordinatsystem`` (SWEREF 99 TM = EPSG:3006, or WGS 84 = EPSG:4326). ``ost`` is the
easting (SWEREF 99 TM) or the longitude (WGS 84); ``nord`` is the northing or the latitude.
Coordinates outside Sweden for the declared system are an error whose fix says what they look like
(swapped, or the other system). Everything is transformed to SWEREF 99 TM (metres).

The free-text columns ``anteckning`` and ``fritext`` are kept so that analysts can read them in
JupyterLab, but they may hold personal data and must **never be published** in a report.

The loaded frames follow the data contract (see ``PLACES_SCHEMA`` … below); their index is the row
number the spreadsheet shows, so an analyst can find a row in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import tables as it
from lagesbild.inputs.coordinates import (
    CRS,
    CRS_ALIASES,
    CRS_REQUIRED,
    CRS_RULE,
    check_in_sweden,
    coordinate_columns,
    crs_rule,
    diagnose_coordinates,
    parse_crs,
    parse_polygon,
    positions,
)
from lagesbild.inputs.folders import METADATA_KEYS, Folder, parsed_once, read_metadata, read_metadata_defaults
from lagesbild.inputs.tables import NOT_EMPTY, Column, Rule, Table, cell_text, is_filled
from lagesbild.places.factors import FACTOR_KEYS, FACTORS, SCALE, SCALE_MAX, SCALE_MIN
from lagesbild.sources import schemas
from lagesbild.sources.readers import to_number

# ============================================================================================
# Controlled vocabularies
# ============================================================================================

#: The four kinds of table in a place-data folder (file stem = kind).
FILE_KINDS: tuple[str, ...] = ("platser", "besiktningar", "handelser", "medborgarrapporter")

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

PRIVACY_RULE = (
    "Fritextkolumnerna (anteckning, fritext) och rollerna får aldrig innehålla namn, personnummer eller "
    "andra uppgifter som pekar ut en person. Fritext läses bara av analytikern och publiceras aldrig i en rapport."
)

# ============================================================================================
# The tables: one description of every column, used for loading, the template files and the docs
# ============================================================================================

_FACTOR_COLUMNS = [
    Column(f.name, False, f"{f.question} Heltal {SCALE_MIN}–{SCALE_MAX}; tom cell = inte bedömd.",
           aliases=(f.key,), key=f.key)
    for f in FACTORS
]

#: Every file kind's columns (name, required, Swedish description, example) and example rows.
TEMPLATES: dict[str, Table] = {
    "platser": it.table(
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
        description="Platsregister", noun="places register", row_noun="place",
    ),
    "besiktningar": it.table(
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
        description="Besiktningar och trygghetsvandringar", noun="inspections table", row_noun="inspection",
    ),
    "handelser": it.table(
        "handelser", "Händelselogg",
        "En rad per händelse (EST-liknande logg). Varje rad behöver en position (ost, nord och "
        "koordinatsystem) eller ett plats_id från platsregistret, gärna båda.",
        [
            ("tid", True, "Tidpunkt i svensk lokal tid, ÅÅÅÅ-MM-DD TT:MM (sekunder går bra), t.ex. 2025-03-14 22:15."),
            ("kategori", True, "Typ av händelse, t.ex. Skadegörelse, Klotter, Ordningsstörning (får inte vara tom)."),
            ("kalla", True, "Vem som rapporterade: " + ", ".join(SOURCES) + ".", "källa"),
            ("plats_id", False, "Platsens id i platsregistret, om händelsen hör till en plats."),
            *coordinate_columns(),
            ("fritext", False, "Kort beskrivning. Publiceras aldrig; skriv inga namn eller personuppgifter."),
        ],
        [("2025-03-14 22:15", "Skadegörelse", "polis", "HBG-001", "EPSG:3006", "358970", "6215070",
          "Krossad ruta i busskuren.")],
        description="Händelselogg", noun="incident log", row_noun="incident",
    ),
    "medborgarrapporter": it.table(
        "medborgarrapporter", "Medborgarrapporter",
        "En rad per rapport från en invånare (t.ex. via en app eller felanmälan). Varje rad behöver en position "
        "(ost, nord och koordinatsystem) eller ett plats_id.",
        [
            ("tid", True, "Tidpunkt i svensk lokal tid, ÅÅÅÅ-MM-DD TT:MM, t.ex. 2025-03-14 18:40."),
            ("kategori", True, "En av: " + ", ".join(CITIZEN_CATEGORIES) + "."),
            ("plats_id", False, "Platsens id i platsregistret, om rapporten hör till en plats."),
            *coordinate_columns(),
            ("fritext", False, "Rapportens text. Publiceras aldrig; kan innehålla personuppgifter."),
        ],
        [("2025-03-14 18:40", "Belysning", "", "WGS 84", "12,7368", "56,0702", "Trasig gatlampa vid lekplatsen.")],
        description="Medborgarrapporter", noun="citizen-report table", row_noun="report",
    ),
}

#: Swedish description of each file kind, used in the provenance of a report.
FILE_DESCRIPTIONS: dict[str, str] = {kind: t.description for kind, t in TEMPLATES.items()}

#: The place-data folder: its four tables, of which the places register is needed.
PLACE_FOLDER = Folder("place-data folder", tuple(TEMPLATES.values()), needs=("platser",),
                      table_noun="place-data table", example_kommun="1283")

# ============================================================================================
# Contract schemas (the loaded frames)
# ============================================================================================

_KOMMUN_RE = r"^\d{4}$"


PLACES_SCHEMA = pa.DataFrameSchema(
    {
        "plats_id": pa.Column(str, pa.Check(is_filled), unique=True),
        "namn": pa.Column(str, pa.Check(is_filled)),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "stadsdel": pa.Column(str),
        "radie_m": pa.Column(float, pa.Check.in_range(0, MAX_RADIUS_M, include_min=False), nullable=True),
        "geometry": pa.Column(None, pa.Check(lambda s: s.geom_type.isin(["Polygon", "MultiPolygon"]) & s.is_valid)),
    },
    strict=True, ordered=True, name="places",
)

INSPECTIONS_SCHEMA = pa.DataFrameSchema(
    {
        "plats_id": pa.Column(str, pa.Check(is_filled)),
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
        "kategori": pa.Column(str, pa.Check(is_filled)),
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
# Checks across tables
# ============================================================================================


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
    df, headers = TEMPLATES["platser"].read(path)
    it.check_cells(df, {
        "plats_id": NOT_EMPTY,
        "namn": NOT_EMPTY,
        "kommun": it.kommun_rule("1283 for Helsingborg"),
        "koordinatsystem": CRS_REQUIRED,
    }, file, headers)
    it.check_cells(df, {"koordinatsystem": crs_rule()}, file, headers)
    it.check_unique(df["plats_id"], file, headers["plats_id"], "plats_id",
                    "every place needs its own plats_id: renumber or delete one of the rows")

    ost, nord = it.numbers(df, "ost", file, headers), it.numbers(df, "nord", file, headers)
    radius = it.numbers(df, "radie_m", file, headers)
    crs = df["koordinatsystem"].map(parse_crs)
    wkt = df["geometri"]
    geoms: list = []
    for row in df.index:
        point_cols = [headers[c] for c, v in (("ost", ost), ("nord", nord), ("radie_m", radius)) if pd.notna(v[row])]
        if wkt[row]:
            if point_cols:
                raise InputError(file, f"the row has both geometri and {', '.join(point_cols)}",
                                 "give the place EITHER as a polygon in geometri OR as ost, nord and radie_m; "
                                 "empty the other cells", row=int(row), column=point_cols[0])
            geoms.append(parse_polygon(wkt[row], crs[row], file, int(row), headers["geometri"]))
            continue
        for col, values in (("ost", ost), ("nord", nord)):
            if pd.isna(values[row]):
                raise InputError(file, "the place has no geometry" if not point_cols else f"{headers[col]} is empty",
                                 "fill geometri with a WKT polygon, or ost, nord and radie_m for a point",
                                 row=int(row), column=headers[col] if point_cols else headers["geometri"])
        check_in_sweden(float(ost[row]), float(nord[row]), crs[row], file, int(row), headers["ost"])
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
        "plats_id": cell_text(df["plats_id"]),
        "namn": cell_text(df["namn"]),
        "kommun_kod": cell_text(df["kommun"]),
        "stadsdel": cell_text(df["stadsdel"]),
        "radie_m": radius.where(is_point, np.nan).astype(float),
    }, geometry=out_geom, crs=CRS)
    out = schemas.validate(out, PLACES_SCHEMA, file)
    out.attrs["file"] = file
    return out


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
    df, headers = TEMPLATES["besiktningar"].read(path)
    it.check_cells(df, {
        "plats_id": NOT_EMPTY,
        "typ": Rule(it.in_vocabulary(INSPECTION_TYPES, _TYPE_ALIASES),
                    lambda v: f"{plain(v)} is not an inspection type" if v else "the type is empty",
                    "write besiktning (okulär besiktning) or trygghetsvandring"),
        "roll": Rule(it.in_vocabulary(ROLES),
                     lambda v: f"{plain(v)} is not one of the assessor roles" if v else "the role is empty",
                     "give the role, never a person's name: one of " + ", ".join(ROLES)),
    }, file, headers)
    _known_ids(df["plats_id"], places, file, headers["plats_id"])
    datum = it.parse_dates(df["datum"], file, headers["datum"], allow_future=False)
    scores = {k: _factor_scores(df, k, file, headers[k]) for k in FACTOR_KEYS}
    none = pd.DataFrame(scores).isna().all(axis=1)
    if none.any():
        row = df.index[none.to_numpy()][0]
        raise InputError(file, "no factor is scored in this row",
                         f"score at least one of the eight factors ({SCALE_MIN}–{SCALE_MAX}) or delete the row",
                         row=int(row), column=headers[FACTOR_KEYS[0]])
    out = pd.DataFrame({
        "plats_id": cell_text(df["plats_id"]),
        "datum": datum,
        "typ": it.canonical(df["typ"], INSPECTION_TYPES, _TYPE_ALIASES),
        "roll": it.canonical(df["roll"], ROLES),
        **scores,
        "anteckning": cell_text(df["anteckning"]),
    }, index=df.index)
    out = schemas.validate(out, INSPECTIONS_SCHEMA, file)
    out.attrs["file"] = file
    return out


def _load_positioned(path: str | Path, kind: str, places: pd.DataFrame | None,
                     rules: Mapping[str, Rule]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Shared part of incidents and citizen reports: read, check, time, plats_id, position."""
    file = str(path)
    df, headers = TEMPLATES[kind].read(path)
    it.check_cells(df, {**rules, "koordinatsystem": crs_rule()}, file, headers)
    tid = it.parse_times(df["tid"], file, headers["tid"])
    x, y = positions(df, file, headers)
    plats = cell_text(df["plats_id"])
    _known_ids(plats, places, file, headers["plats_id"])
    nowhere = x.isna() & (plats == "")
    if nowhere.any():
        row = df.index[nowhere.to_numpy()][0]
        raise InputError(file, "the row has neither a position nor a plats_id",
                         "give ost, nord and koordinatsystem, or the plats_id of a place in platser",
                         row=int(row), column=headers["plats_id"])
    base = pd.DataFrame({"tid": tid, "plats_id": plats, "x": x, "y": y, "fritext": cell_text(df["fritext"])},
                        index=df.index)
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
    df, base, _ = _load_positioned(path, "handelser", places, {
        "kategori": Rule(is_filled, lambda v: "the category is empty",
                         "write the kind of incident, e.g. Skadegörelse, Klotter, Ordningsstörning"),
        "kalla": Rule(it.in_vocabulary(SOURCES), lambda v: f"{plain(v)} is not a known source" if v else "the source is empty",
                      "write who reported it: one of " + ", ".join(SOURCES)),
    })
    out = pd.DataFrame({
        "tid": base["tid"],
        "kategori": cell_text(df["kategori"]),
        "kalla": it.canonical(df["kalla"], SOURCES),
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
    df, base, _ = _load_positioned(path, "medborgarrapporter", places, {
        "kategori": Rule(it.in_vocabulary(CITIZEN_CATEGORIES),
                         lambda v: f"{plain(v)} is not a citizen-report category" if v else "the category is empty",
                         "write one of " + ", ".join(CITIZEN_CATEGORIES)),
    })
    out = pd.DataFrame({
        "tid": base["tid"],
        "kategori": it.canonical(df["kategori"], CITIZEN_CATEGORIES),
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


_LOADERS: dict[str, Callable] = {"besiktningar": load_inspections, "handelser": load_incidents,
                                 "medborgarrapporter": load_citizen_reports}


def find_files(folder: str | Path) -> dict[str, Path]:
    """The tables of a place-data folder by kind (file names compared case-insensitively).

    Other files (``metadata.yaml``, README, scripts, Excel lock files ``~$…``) are ignored; a table
    whose name is not a known kind, or two tables of one kind, are errors (:meth:`PLACE_FOLDER.find
    <lagesbild.inputs.folders.Folder.find>`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("platser.csv", "Handelser.xlsx", "README.md"):
    ...     _ = (d / name).write_text("x")
    >>> sorted(find_files(d))
    ['handelser', 'platser']
    """
    return PLACE_FOLDER.find(folder)


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
    found = PLACE_FOLDER.open(folder, kommun)
    tables, meta = found.tables, found.metadata

    def parse() -> tuple[gpd.GeoDataFrame, dict[str, pd.DataFrame | None]]:
        places = load_places(tables["platser"])
        return places, {kind: _LOADERS[kind](tables[kind], places) if kind in tables else None
                        for kind in FILE_KINDS[1:]}

    places, loaded = parsed_once("places", tables, parse)  # the whole folder, once per process
    mine = places[places["kommun_kod"] == found.kommun]
    if mine.empty:
        return None
    mine.attrs = dict(places.attrs)
    inspections = loaded["besiktningar"]
    if inspections is not None:
        attrs = dict(inspections.attrs)
        inspections = inspections[inspections["plats_id"].isin(set(mine["plats_id"]))]
        inspections.attrs = attrs
    return PlaceData(
        places=mine, inspections=inspections,
        incidents=_belonging(loaded["handelser"], mine),
        citizen_reports=_belonging(loaded["medborgarrapporter"], mine),
        example=meta["exempeldata"], description=meta["beskrivning"], source=meta["kalla"],
        files=found.provenance(), kommun_kod=found.kommun, folder=found.folder,
    )


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
    return TEMPLATES[kind].csv_text(rows)


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
    TEMPLATES[kind].write_csv(path, rows)


def instructions_rows() -> list[it.InstructionRow]:
    """The rows of the ``Instruktioner`` sheet: (section/column, required, description, example).

    Examples
    --------
    >>> rows = instructions_rows()
    >>> rows[0][0], any(r[0] == "Överblickbarhet" for r in rows)
    ('Mallar för platsbedömning', True)
    """
    rows = it.instructions_rows(
        TEMPLATES.values(), "Mallar för platsbedömning",
        "Spara varje blad som egen fil (CSV eller .xlsx) med bladets namn, t.ex. platser.csv, och lägg filerna "
        "i en mapp. En .xlsx-fil läses från bladet med filens namn, annars från första bladet. Rubrikerna måste "
        "stå kvar; exempelraderna ska ersättas.")
    rows.append(("Skala", "", f"Varje faktor bedöms med ett heltal {SCALE_MIN}–{SCALE_MAX}; tom cell = inte bedömd.", ""))
    rows += [(str(k), "", label, "") for k, label in SCALE.items()]
    rows.append(it.BLANK)
    rows.append(("Faktorer", "", "De åtta faktorerna (kolumnrubrik = namn eller nyckel).", "Nyckel"))
    rows += [(f.name, "", f.question, f.key) for f in FACTORS]
    rows.append(it.BLANK)
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
        it.generated_note("lagesbild.places.data.write_templates", "TEMPLATES", "lib/lagesbild/places/data.py"),
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
        "The templates are written by `lagesbild.places.data.write_templates(\"data/templates\")`; a test checks "
        "that these files are what it writes today and that their example rows load.",
        "",
        *it.files_markdown(TEMPLATES.values(), METADATA_KEYS),
    ]
    for t in TEMPLATES.values():
        lines += it.columns_markdown(t)
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
    return it.write_templates(folder, TEMPLATES.values(), workbook_name="mallar.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


__all__ = [
    "CITIZEN_CATEGORIES", "CITIZEN_REPORTS_SCHEMA", "CRS", "CRS_ALIASES", "CRS_RULE", "FILE_DESCRIPTIONS",
    "FILE_KINDS", "INCIDENTS_SCHEMA", "INSPECTIONS_SCHEMA", "INSPECTION_TYPES", "MAX_RADIUS_M", "METADATA_KEYS",
    "NEAR_PLACE_M", "PLACES_SCHEMA", "PLACE_FOLDER", "PRIVACY_RULE", "ROLES", "SOURCES", "TEMPLATES", "PlaceData",
    "csv_text", "diagnose_coordinates", "find_files", "instructions_rows", "load_citizen_reports", "load_incidents",
    "load_inspections", "load_place_data", "load_places", "read_metadata", "read_metadata_defaults",
    "templates_markdown", "workbook_bytes", "write_csv", "write_templates",
]
