"""A project's treated, displacement and control areas, and event counts in them before and after.

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
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lagesbild.core import fmt
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.inputs.coordinates import CRS, parse_polygon
from lagesbild.stats.spatial import MISSING_CATEGORY, place_point

# ============================================================================================
# Constants
# ============================================================================================

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

#: Columns of the counts table of :func:`count_events`, in order.
COUNT_COLUMNS: tuple[str, ...] = ("projekt_id", "roll", "period", "kategori", "antal")


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
        As :func:`~lagesbild.projects.data.load_projects` returns it (its ``attrs`` name the file and the headers for errors).
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
    >>> from lagesbild.projects.data import load_projects
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
        A row of :func:`~lagesbild.projects.data.load_projects` (``projekt_id``, ``behandlat_geometri``,
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


__all__ = [
    "ALL", "AREA_ROLES", "COUNT_COLUMNS", "DEFAULT_BUFFER_M", "MAX_BUFFER_M", "QUAD_SEGS", "count_events",
    "project_areas", "project_periods", "resolve_areas",
]
