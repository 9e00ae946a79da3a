"""Coordinates and polygons in a kommun's own tables: declared systems, Sweden's extent, SWEREF 99 TM.

Coordinates are never guessed: every row with coordinates declares its ``koordinatsystem`` (SWEREF 99
TM = EPSG:3006, or WGS 84 = EPSG:4326; the spellings of :data:`CRS_ALIASES`). ``ost`` is the easting
(SWEREF 99 TM) or the longitude (WGS 84); ``nord`` is the northing or the latitude. Coordinates outside
Sweden for the declared system are an error whose fix says what they look like (swapped, the other
system, RT 90: :func:`diagnose_coordinates`). Everything is transformed to SWEREF 99 TM (metres),
:data:`CRS`.

A table with a position per row declares :func:`coordinate_columns` and reads them with
:func:`positions`; a polygon cell (WKT) is read with :func:`parse_polygon`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
import shapely.errors
from pyproj import Transformer

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.inputs.tables import Column, Rule, is_filled, numbers

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
CRS_SPELLINGS = "EPSG:3006, SWEREF 99 TM, 3006, EPSG:4326, WGS 84, WGS84 or 4326"

#: Extent of Sweden per coordinate system: (east_min, east_max, north_min, north_max).
SWEREF_EXTENT = (200_000.0, 1_000_000.0, 6_100_000.0, 7_700_000.0)
WGS84_EXTENT = (10.0, 25.0, 55.0, 70.0)
#: RT 90 2.5 gon V (the old national grid): easting 1.2–1.9 million, northing as SWEREF 99 TM.
RT90_EXTENT = (1_200_000.0, 1_900_000.0, 6_100_000.0, 7_700_000.0)

#: The rule in Swedish, for templates and their documentation.
CRS_RULE = (
    "Varje rad med koordinater anger sitt koordinatsystem: EPSG:3006 (SWEREF 99 TM, meter) eller "
    "EPSG:4326 (WGS 84, grader). I SWEREF 99 TM är ost = östlig koordinat (E, 200 000–1 000 000) och "
    "nord = nordlig koordinat (N, 6 100 000–7 700 000). I WGS 84 är ost = longitud (Sverige ca 11–24) och "
    "nord = latitud (ca 55–69). Koordinatsystemet gissas aldrig; RT 90 och andra system räknas om till "
    "SWEREF 99 TM först (t.ex. i QGIS). Decimalkomma går bra."
)

_NO_CRS_FIX = ("write EPSG:3006 (SWEREF 99 TM, metres) or EPSG:4326 (WGS 84, degrees); "
               "the coordinate system is never guessed")


def coordinate_columns() -> tuple[Column, Column, Column]:
    """The optional columns ``koordinatsystem``, ``ost``, ``nord`` of a table with a position per row.

    Examples
    --------
    >>> [c.name for c in coordinate_columns()]
    ['koordinatsystem', 'ost', 'nord']
    """
    return (
        Column("koordinatsystem", False, "Koordinatsystem för ost/nord: EPSG:3006 (SWEREF 99 TM) eller EPSG:4326 "
               "(WGS 84). Krävs när ost och nord är ifyllda."),
        Column("ost", False, "Östlig koordinat (SWEREF 99 TM, meter) eller longitud (WGS 84, grader)."),
        Column("nord", False, "Nordlig koordinat (SWEREF 99 TM, meter) eller latitud (WGS 84, grader)."),
    )


@lru_cache(maxsize=4)
def _transformer(source: str) -> Transformer:
    return Transformer.from_crs(source, CRS, always_xy=True)


def parse_crs(value: str) -> str | None:
    """A ``koordinatsystem`` cell → "EPSG:3006" or "EPSG:4326"; None when empty or unknown (see :func:`crs_rule`).

    Examples
    --------
    >>> parse_crs("SWEREF 99 TM"), parse_crs(" wgs 84"), parse_crs("")
    ('EPSG:3006', 'EPSG:4326', None)
    """
    return CRS_ALIASES.get(re.sub(r"\s+", "", value).lower()) if value.strip() else None


def crs_rule() -> Rule:
    """The :class:`~lagesbild.inputs.tables.Rule` of a ``koordinatsystem`` column: empty or a known system.

    Examples
    --------
    >>> rule = crs_rule()
    >>> rule.ok(pd.Series(["EPSG:3006", "", "RT90"])).tolist(), rule.problem("RT90")
    ([True, True, False], "'RT90' is not a coordinate system this suite knows")
    """
    return Rule(
        lambda s: (s.str.strip() == "") | s.map(lambda v: re.sub(r"\s+", "", v).lower()).isin(CRS_ALIASES),
        lambda v: f"{plain(v)} is not a coordinate system this suite knows",
        f"write one of {CRS_SPELLINGS}; convert other systems (e.g. RT 90) to SWEREF 99 TM first",
    )


#: The :class:`~lagesbild.inputs.tables.Rule` of a ``koordinatsystem`` that must be filled.
CRS_REQUIRED = Rule(is_filled, lambda v: "the coordinate system is empty", _NO_CRS_FIX)


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
        if _inside(ost, nord, RT90_EXTENT):
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


def check_in_sweden(ost: float, nord: float, crs: str, file: str, row: int, column: str) -> None:
    """Raise :func:`diagnose_coordinates`' problem and fix for one pair, naming file, row and column.

    Examples
    --------
    >>> check_in_sweden(6213000, 361000, "EPSG:3006", "platser.csv", 4, "ost")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: platser.csv, row 4, column 'ost': ost 6.213e+06 and nord 361000 look swapped for SWEREF 99 TM. Fix: put the easting (200 000–1 000 000) in ost and the northing (6 100 000–7 700 000) in nord.
    """
    found = diagnose_coordinates(ost, nord, crs)
    if found:
        raise InputError(file, found[0], found[1], row=row, column=column)


def positions(df: pd.DataFrame, file: str, headers: Mapping[str, str]) -> tuple[pd.Series, pd.Series]:
    """``ost``/``nord`` with ``koordinatsystem`` per row → x, y in SWEREF 99 TM (NaN where the row has no position).

    The ``koordinatsystem`` cells must have passed :func:`crs_rule`.

    Raises
    ------
    InputError
        Only one of ost and nord, coordinates without ``koordinatsystem``, coordinates outside Sweden
        for the declared system, a cell that is not a number.

    Examples
    --------
    >>> df = pd.DataFrame({"koordinatsystem": ["EPSG:3006", "WGS 84", ""], "ost": ["361 000", "12,694", ""],
    ...                    "nord": ["6 213 000", "56,046", ""]}, index=[2, 3, 4])
    >>> x, y = positions(df, "handelser.csv", {c: c for c in df.columns})
    >>> [round(v, -2) for v in x.tolist()[:2]], y.isna().tolist()
    ([361000.0, 356400.0], [False, False, True])
    """
    ost, nord = numbers(df, "ost", file, headers), numbers(df, "nord", file, headers)
    for a, b in (("ost", "nord"), ("nord", "ost")):
        half = df.index[(ost if a == "ost" else nord).notna() & (nord if a == "ost" else ost).isna()]
        if len(half):
            raise InputError(file, f"{headers[a]} is filled but {headers[b]} is empty",
                             "give both ost and nord, or neither", row=int(half[0]), column=headers[b])
    crs = df["koordinatsystem"].map(parse_crs)
    has = ost.notna()
    missing = has & crs.isna()
    if missing.any():
        row = crs.index[missing.to_numpy()][0]
        raise InputError(file, "the row has coordinates but no koordinatsystem", _NO_CRS_FIX, row=int(row),
                         column=headers["koordinatsystem"])
    for row, e, n, c in zip(crs.index, ost.to_numpy(), nord.to_numpy(), crs, strict=True):
        if c is not None and not np.isnan(e) and not np.isnan(n):
            check_in_sweden(float(e), float(n), c, file, int(row), headers["ost"])
    x, y = ost.astype(float).copy(), nord.astype(float).copy()
    wgs = (has & (crs == "EPSG:4326")).to_numpy()
    if wgs.any():
        tx, ty = _transformer("EPSG:4326").transform(ost[wgs].to_numpy(), nord[wgs].to_numpy())
        x[wgs], y[wgs] = tx, ty
    return x, y


def parse_polygon(text: str, crs: str, file: str, row: int, column: str):
    """Parse and check one WKT polygon cell in its declared system (not yet transformed).

    Parameters
    ----------
    text : str
        ``POLYGON ((…))`` or ``MULTIPOLYGON (…)``, e.g. copied from QGIS.
    crs : str
        "EPSG:3006" or "EPSG:4326".
    file, row, column
        Named in errors.

    Returns
    -------
    shapely Polygon or MultiPolygon, 2-D.

    Raises
    ------
    InputError
        Not WKT, empty or not a polygon, invalid (edges that cross), or outside Sweden in ``crs``.

    Examples
    --------
    >>> parse_polygon("POLYGON ((358900 6215010, 359050 6215010, 359050 6215130, 358900 6215010))",
    ...               "EPSG:3006", "platser.csv", 2, "geometri").area
    9000.0
    >>> parse_polygon("POINT (358900 6215010)", "EPSG:3006", "platser.csv", 2, "geometri")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: platser.csv, row 2, column 'geometri': geometri is a Point, not a polygon. Fix: ...
    """
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


__all__ = [
    "CRS", "CRS_ALIASES", "CRS_REQUIRED", "CRS_RULE", "CRS_SPELLINGS", "RT90_EXTENT", "SWEREF_EXTENT", "WGS84_EXTENT",
    "check_in_sweden", "coordinate_columns", "crs_rule", "diagnose_coordinates", "parse_crs", "parse_polygon",
    "positions",
]
