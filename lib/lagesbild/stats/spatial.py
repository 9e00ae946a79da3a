"""Where events happen: grid counts that are safe to publish, and events per place.

Everything works in SWEREF 99 TM (EPSG:3006, metres).

* :func:`grid_cells` and :func:`grid_counts` put events on a lattice of square cells whose lower-left
  corners lie at multiples of the cell size (the same alignment as SCB's statistical grid), so cells
  from different runs, years and sources line up.
* :func:`publishable` is the only way a place-level count leaves the analysis: it keeps cells with
  at least :data:`MIN_PUBLISHED` events, masks category breakdowns that would reveal 1–2 events,
  and carries cell polygons only (never an event's position).
  :func:`lagesbild.stats.hotspots.publishable_hot_spots` does the same for a hot-spot map (classes only,
  no counts, no z-scores).
* :func:`events_per_place` assigns events to places (by id, or by position inside the polygon) and
  :func:`place_point` gives events that only have a place id a position (the place's representative
  point) so that they can be put on the grid.

What is computed on the lattice has its own modules: Getis-Ord Gi* hot spots
(:mod:`lagesbild.stats.hotspots`) and how concentrated events are over cells or places, Lorenz curve,
Gini and top shares (:mod:`lagesbild.stats.concentration`). The names they took from here still answer
here (``lagesbild.spatial.hot_spots`` works), looked up lazily.

The privacy rule of the report: place-level incident data is only ever published aggregated to grid
cells, never as exact points, and never a cell with fewer than three events. Frames returned by
:func:`grid_counts`, :func:`lagesbild.stats.hotspots.hot_spots`, :func:`events_per_place` and
:func:`place_point` are for the analysis only (they hold small counts or exact positions); show or map
only what :func:`publishable` and :func:`lagesbild.stats.hotspots.publishable_hot_spots` return.
"""

from __future__ import annotations

import math
import numbers

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

from lagesbild.core import lazy, privacy
from lagesbild.core.fmt import plain

#: The coordinate reference system of every position: SWEREF 99 TM.
CRS = "EPSG:3006"

#: The smallest number of events a published grid cell (or category count in a cell) may show
#: (:data:`lagesbild.core.privacy.MIN_PUBLISHED`). :func:`publishable` refuses anything lower.
MIN_PUBLISHED = privacy.MIN_PUBLISHED

#: Text for a count that is not shown because it is below :data:`MIN_PUBLISHED`.
FEWER_THAN_TEXT = privacy.SMALL_LABEL

#: Largest lattice :func:`grid_cells` builds. 200 000 cells of 250 m cover 12 500 km², more than
#: any Swedish kommun's built-up area; a larger lattice almost always means a stray or swapped
#: coordinate, or a cell size that is too small.
MAX_CELLS = 200_000

#: Column for the events of unknown category in :func:`grid_counts` (``by`` empty or missing).
MISSING_CATEGORY = "Uppgift saknas"

_BASE_COLUMNS = ["cell_id", "row", "col"]


# ============================================================================================
# The lattice
# ============================================================================================


def _cell_size(cell_size: float) -> int:
    """Check that the cell size is a positive whole number of metres and return it as int."""
    if (
        isinstance(cell_size, bool)
        or not isinstance(cell_size, numbers.Real)
        or not math.isfinite(cell_size)
        or cell_size <= 0
    ):
        raise ValueError(f"cell_size must be a positive number of metres, got {plain(cell_size)}.")
    if cell_size != int(cell_size):
        raise ValueError(f"cell_size must be a whole number of metres, got {plain(cell_size)}.")
    return int(cell_size)


def _non_negative_int(value: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, got {plain(value)}.")
    return int(value)


def _coordinates(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """x and y as float arrays of equal length (NaN kept; missing values become NaN)."""
    def as_float(values: ArrayLike) -> np.ndarray:
        series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
        # a writable copy: pandas' copy-on-write hands out read-only views
        return np.array(pd.to_numeric(series, errors="raise").to_numpy(dtype=float, na_value=np.nan))

    xa, ya = as_float(x), as_float(y)
    if xa.ndim != 1 or ya.ndim != 1 or len(xa) != len(ya):
        raise ValueError(f"x and y must be one-dimensional and equally long, got {len(xa)} and {len(ya)}.")
    return xa, ya


def _lattice(col0: int, row0: int, ncols: int, nrows: int, size: int) -> gpd.GeoDataFrame:
    """The cells of a lattice, row-major from the south-west corner."""
    rows = np.repeat(np.arange(nrows, dtype=np.int64), ncols)
    cols = np.tile(np.arange(ncols, dtype=np.int64), nrows)
    east = (col0 + cols) * size
    north = (row0 + rows) * size
    ids = [f"E{e}N{n}" for e, n in zip(east.tolist(), north.tolist(), strict=True)]
    geometry = shapely.box(east, north, east + size, north + size)
    out = gpd.GeoDataFrame({"cell_id": pd.array(ids, dtype="str"), "row": rows, "col": cols},
                           geometry=geometry, crs=CRS)
    out.attrs.update(cell_size=size, x0=int(col0 * size), y0=int(row0 * size), nrows=int(nrows),
                     ncols=int(ncols))
    return out


def _extent(xa: np.ndarray, ya: np.ndarray, size: int, margin: int) -> tuple[int, int, int, int]:
    """(col0, row0, ncols, nrows) of the lattice around finite points, in absolute cell indices."""
    cols = np.floor_divide(xa, size)
    rows = np.floor_divide(ya, size)
    col0 = int(cols.min()) - margin
    row0 = int(rows.min()) - margin
    ncols = int(cols.max()) + margin - col0 + 1
    nrows = int(rows.max()) + margin - row0 + 1
    if ncols * nrows > MAX_CELLS:
        raise ValueError(
            f"The grid would have {ncols} × {nrows} = {ncols * nrows} cells of {size} m "
            f"(x {xa.min():.0f}–{xa.max():.0f}, y {ya.min():.0f}–{ya.max():.0f}), more than {MAX_CELLS}. "
            "Check the coordinates for stray points or swapped x/y (they must be SWEREF 99 TM metres, "
            "EPSG:3006), or increase the cell size."
        )
    return col0, row0, ncols, nrows


def grid_cells(x: ArrayLike, y: ArrayLike, cell_size: float = 250, *, margin_cells: int = 1) -> gpd.GeoDataFrame:
    """The complete lattice of square grid cells covering points, aligned to the cell size.

    Cells are squares of ``cell_size`` metres in SWEREF 99 TM whose lower-left corners lie at whole
    multiples of ``cell_size`` (like SCB's statistical grid), so a cell is the same square whatever
    the data. A cell holds the points with ``E0 <= x < E0 + cell_size`` and
    ``N0 <= y < N0 + cell_size`` (a point on a west or south edge belongs to that cell, a point on an
    east or north edge to the next cell). The lattice covers all finite points plus ``margin_cells``
    cells on every side; points with a NaN coordinate are ignored (see :func:`grid_counts`).

    Parameters
    ----------
    x, y : array-like of float
        Easting and northing in metres (EPSG:3006).
    cell_size : int, default 250
        Side of a cell in whole metres.
    margin_cells : int, default 1
        Empty cells added around the points' extent (keeps hot spots at the edge away from the
        lattice border).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cell, row-major from the south-west: ``cell_id`` (``"E<east>N<north>"`` of the
        lower-left corner in metres, e.g. ``"E674000N6580000"``; our own id, not SCB's code, and
        without the cell size, which is in ``attrs["cell_size"]``), ``row`` (0 = southernmost row),
        ``col`` (0 = westernmost column), ``geometry`` (the square), crs EPSG:3006. The index is
        ``row * ncols + col``. ``attrs``: ``cell_size``, ``x0``, ``y0`` (lower-left corner of the
        lattice), ``nrows``, ``ncols``. No finite point gives an empty frame with these columns.

    Raises
    ------
    ValueError
        If ``cell_size`` is not a positive whole number, ``margin_cells`` is negative, or the
        lattice would exceed :data:`MAX_CELLS` cells (the message says to check the coordinates or
        increase the cell size).

    Examples
    --------
    >>> g = grid_cells([250, 499], [250, 260], cell_size=250, margin_cells=0)
    >>> g[["cell_id", "row", "col"]].values.tolist()
    [['E250N250', 0, 0]]
    >>> g.geometry.iloc[0].bounds
    (250.0, 250.0, 500.0, 500.0)
    >>> len(grid_cells([250], [250]))  # one cell plus a margin of one
    9
    """
    size = _cell_size(cell_size)
    margin = _non_negative_int(margin_cells, "margin_cells")
    xa, ya = _coordinates(x, y)
    ok = np.isfinite(xa) & np.isfinite(ya)
    if not ok.any():
        out = _lattice(0, 0, 0, 0, size)
        out.attrs.update(x0=None, y0=None)
        return out
    col0, row0, ncols, nrows = _extent(xa[ok], ya[ok], size, margin)
    return _lattice(col0, row0, ncols, nrows, size)


def _categories(by: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Category label per point (missing and "" → :data:`MISSING_CATEGORY`) and the column order."""
    if isinstance(by.dtype, pd.CategoricalDtype):
        order = [str(c) for c in by.cat.categories]
    else:
        order = None
    labels = by.astype("str").str.strip()
    labels = labels.where(by.notna() & (labels != ""), MISSING_CATEGORY)
    present = set(labels.unique())
    if order is None:
        order = sorted(present - {MISSING_CATEGORY})
    if MISSING_CATEGORY in present and MISSING_CATEGORY not in order:
        order.append(MISSING_CATEGORY)
    return labels.to_numpy(dtype=object), order


def grid_counts(
    x: ArrayLike,
    y: ArrayLike,
    cell_size: float = 250,
    *,
    margin_cells: int = 1,
    by: pd.Series | ArrayLike | None = None,
) -> gpd.GeoDataFrame:
    """Count events per grid cell on the complete lattice (cells without events included).

    Parameters
    ----------
    x, y : array-like of float
        Event positions in metres (EPSG:3006). Events with a NaN (or infinite) coordinate are
        dropped and counted in ``attrs["dropped"]``; give events that only have a place id a
        position first with :func:`place_point`.
    cell_size : int, default 250
        Side of a cell in whole metres (see :func:`grid_cells`).
    margin_cells : int, default 1
        Empty cells around the events' extent.
    by : pandas.Series or array-like, optional
        A category per event, positionally aligned with ``x`` and ``y`` (if ``x`` and ``by`` are
        both Series, their indexes must be equal). Adds one count column per category: the
        categories of a categorical ``by`` in their order (unused ones as zero columns), otherwise
        the sorted distinct values; missing or empty values are counted in a column
        ``"Uppgift saknas"``. The category columns of a cell add up to its ``antal``.

    Returns
    -------
    geopandas.GeoDataFrame
        The lattice of :func:`grid_cells` with ``antal`` (events per cell, int) and the category
        columns. ``attrs`` as in :func:`grid_cells` plus ``dropped`` (events without a position),
        ``n_events`` (events counted) and ``categories`` (the category column names, in order).
        Holds counts of 1–2: pass it through :func:`publishable` before showing it.

    Raises
    ------
    ValueError
        As :func:`grid_cells`; also if ``by`` does not match ``x`` or a category is named like a
        grid column (``cell_id``, ``row``, ``col``, ``antal``, ``geometry``).

    Examples
    --------
    >>> g = grid_counts([10, 20, 300, float("nan")], [10, 20, 10, 5], cell_size=250, margin_cells=0,
    ...                 by=["a", "b", "a", "a"])
    >>> g[["cell_id", "antal", "a", "b"]].values.tolist()
    [['E0N0', 2, 1, 1], ['E250N0', 1, 1, 0]]
    >>> g.attrs["dropped"], g.attrs["categories"]
    (1, ['a', 'b'])
    """
    xa, ya = _coordinates(x, y)
    labels = order = None
    if by is not None:
        by_s = by if isinstance(by, pd.Series) else pd.Series(np.asarray(by, dtype=object))
        if len(by_s) != len(xa):
            raise ValueError(f"`by` has {len(by_s)} values but there are {len(xa)} positions.")
        if isinstance(x, pd.Series) and isinstance(by, pd.Series) and not x.index.equals(by.index):
            raise ValueError("`by` and `x` are Series with different indexes; align them first.")
        labels, order = _categories(by_s)
        clash = set(order) & {*_BASE_COLUMNS, "antal", "geometry"}
        if clash:
            raise ValueError(f"Category names {sorted(clash)} collide with grid columns; rename them.")
    ok = np.isfinite(xa) & np.isfinite(ya)
    grid = grid_cells(xa[ok], ya[ok], cell_size, margin_cells=margin_cells)
    size = grid.attrs["cell_size"]
    n = len(grid)
    if n:
        flat = ((np.floor_divide(ya[ok], size).astype(np.int64) - grid.attrs["y0"] // size) * grid.attrs["ncols"]
                + np.floor_divide(xa[ok], size).astype(np.int64) - grid.attrs["x0"] // size)
    else:
        flat = np.zeros(0, dtype=np.int64)
    grid["antal"] = np.bincount(flat, minlength=n).astype(np.int64)
    if order is not None:
        kept = labels[ok]
        for cat in order:
            grid[cat] = np.bincount(flat[kept == cat], minlength=n).astype(np.int64)
    grid = grid[[*_BASE_COLUMNS, "antal", *(order or []), "geometry"]]
    grid.attrs.update(dropped=int((~ok).sum()), n_events=int(ok.sum()), categories=list(order or []))
    return grid


# ============================================================================================
# Publishing: suppression of small counts
# ============================================================================================


def _check_lattice_geometry(grid: gpd.GeoDataFrame) -> int:
    """Every geometry must be a whole grid cell (corners at multiples of the cell size).

    Returns the cell size. This is what makes :func:`publishable` unable to emit a point.
    """
    if len(grid) == 0:
        return int(grid.attrs.get("cell_size", 0) or 0)
    geom = grid.geometry
    if geom.crs is None or geom.crs.to_epsg() != 3006:
        raise ValueError("The grid must be in EPSG:3006 (SWEREF 99 TM); use grid_counts().")
    if not (geom.geom_type == "Polygon").all():
        raise ValueError("Only grid cells (squares) can be published, not points or other shapes; "
                         "use grid_counts().")
    b = geom.bounds.to_numpy()
    size = grid.attrs.get("cell_size") or (b[0, 2] - b[0, 0])
    width, height = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    ok = (
        np.isclose(width, size, rtol=0, atol=1e-6)
        & np.isclose(height, size, rtol=0, atol=1e-6)
        & np.isclose(np.mod(b[:, 0] + size / 2, size), size / 2, rtol=0, atol=1e-6)
        & np.isclose(np.mod(b[:, 1] + size / 2, size), size / 2, rtol=0, atol=1e-6)
        & np.isclose(geom.area.to_numpy(), size * size, rtol=1e-9, atol=0)
    )
    if not ok.all():
        raise ValueError("Only whole grid cells aligned to the cell size can be published; "
                         "build the grid with grid_counts().")
    return int(round(size))


def _check_min_count(min_count: int) -> int:
    if isinstance(min_count, bool) or not isinstance(min_count, numbers.Integral):
        raise ValueError(f"min_count must be a whole number, got {plain(min_count)}.")
    if min_count < MIN_PUBLISHED:
        raise ValueError(f"min_count cannot be below {MIN_PUBLISHED}: cells with fewer events are never "
                         "published.")
    return int(min_count)


def publishable(grid: gpd.GeoDataFrame, min_count: int = MIN_PUBLISHED) -> gpd.GeoDataFrame:
    """The grid cells that may be published: at least ``min_count`` events, no small sub-counts.

    This is the only function whose output may be shown, mapped or exported at cell level.

    * Cells with ``antal < min_count`` are left out (cells with 0 events too, so a missing cell
      does not tell whether it had 0, 1 or 2 events).
    * Category columns (``attrs["categories"]`` of :func:`grid_counts`): if any category in a kept
      cell has 1 to ``min_count - 1`` events, *all* category counts of that cell become NaN (show
      them as :data:`FEWER_THAN_TEXT`/"visas inte"). Masking only the small value would not
      protect it: it could be recovered as ``antal`` minus the other categories. Zeros are shown.
    * Only ``cell_id``, ``row``, ``col``, ``antal``, the category columns and the cell polygons
      are returned; any other column is left out (named in ``attrs["dropped_columns"]``). If
      ``attrs["categories"]`` was lost, category columns are left out too.
    * Every geometry must be a whole, aligned grid cell; anything else (e.g. points) raises, so
      an exact position cannot come out of this function.

    Parameters
    ----------
    grid : geopandas.GeoDataFrame
        Output of :func:`grid_counts`.
    min_count : int, default :data:`MIN_PUBLISHED`
        Smallest count shown. Can be raised, never lowered below 3.

    Returns
    -------
    geopandas.GeoDataFrame
        The kept cells. ``attrs``: ``cell_size``, ``min_count``, ``categories``,
        ``suppressed_cells`` (cells with 1 to ``min_count - 1`` events that were left out),
        ``suppressed_events`` (the events in those cells as one number, or ``None`` when that
        number is between 1 and ``min_count - 1``: a report then says "färre än" ``min_count``),
        ``hidden_breakdown_cells`` (kept cells whose
        category counts were masked), ``dropped`` (events without a position, from
        :func:`grid_counts`) and ``dropped_columns``.

    Raises
    ------
    ValueError
        If ``min_count < 3``, ``antal`` is missing, or a geometry is not an aligned grid cell.

    Notes
    -----
    ``suppressed_cells`` together with ``suppressed_events`` can tell that, say, four left-out
    cells held eight events (two each) — but not where; only the cells shown are located.
    Tables published next to the map (e.g. totals per category for the whole area) can still
    allow subtraction; publish such totals only as aggregates of at least three events.

    Examples
    --------
    >>> g = grid_counts([1, 2, 3, 300, 301, 700], [1, 1, 1, 1, 1, 1], 250, margin_cells=0,
    ...                 by=["a", "a", "b", "a", "a", "b"])
    >>> p = publishable(g)
    >>> p[["cell_id", "antal", "a", "b"]].values.tolist()
    [['E0N0', 3, nan, nan]]
    >>> p.attrs["suppressed_cells"], p.attrs["suppressed_events"]
    (2, 3)
    >>> publishable(g, min_count=2)
    Traceback (most recent call last):
    ...
    ValueError: min_count cannot be below 3: cells with fewer events are never published.
    """
    min_count = _check_min_count(min_count)
    if "antal" not in grid.columns:
        raise ValueError("The grid has no 'antal' column; build it with grid_counts().")
    if not isinstance(grid, gpd.GeoDataFrame):
        raise ValueError("publishable() takes the GeoDataFrame from grid_counts().")
    size = _check_lattice_geometry(grid)
    counts = pd.to_numeric(grid["antal"]).to_numpy()
    if np.isnan(counts.astype(float)).any() or (counts < 0).any():
        raise ValueError("'antal' must be counts ≥ 0 without missing values.")
    keep = counts >= min_count
    small = (counts > 0) & ~keep
    categories = [c for c in grid.attrs.get("categories", []) if c in grid.columns]
    columns = [c for c in _BASE_COLUMNS if c in grid.columns] + ["antal", *categories]
    out = grid.loc[keep, columns + ["geometry"]].copy()
    hidden = 0
    if categories and len(out):
        sub = out[categories].astype(float)
        mask = ((sub > 0) & (sub < min_count)).any(axis=1)
        sub.loc[mask, :] = np.nan
        out[categories] = sub
        hidden = int(mask.sum())
    out.attrs = {}
    suppressed_events = int(counts[small].sum())
    shown = suppressed_events if suppressed_events == 0 or suppressed_events >= min_count else None
    out.attrs.update(
        cell_size=size,
        min_count=min_count,
        categories=categories,
        suppressed_cells=int(small.sum()),
        suppressed_events=shown,
        hidden_breakdown_cells=hidden,
        dropped=grid.attrs.get("dropped", 0),
        dropped_columns=[c for c in grid.columns if c not in columns and c != grid.geometry.name],
    )
    return out


# ============================================================================================
# Events and places
# ============================================================================================


def _check_places(places: gpd.GeoDataFrame) -> None:
    if not isinstance(places, gpd.GeoDataFrame) or "plats_id" not in places.columns:
        raise ValueError("places must be a GeoDataFrame with a 'plats_id' column.")
    if places.crs is None or places.crs.to_epsg() != 3006:
        raise ValueError(f"places must be in EPSG:3006 (SWEREF 99 TM), got {places.crs}.")
    if places["plats_id"].duplicated().any():
        dup = sorted(places.loc[places["plats_id"].duplicated(), "plats_id"].astype(str).unique())
        raise ValueError(f"plats_id must be unique in places; repeated: {dup}.")


def _event_ids(events: pd.DataFrame) -> pd.Series:
    for column in ("plats_id", "x", "y"):
        if column not in events.columns:
            raise ValueError(f"events has no {plain(column)} column.")
    ids = events["plats_id"].astype("str").str.strip()
    return ids.where(events["plats_id"].notna(), "")


def events_per_place(places: gpd.GeoDataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Assign events to places: by their ``plats_id``, or by position inside the place polygon.

    An event belongs to a place if its ``plats_id`` names it. An event without ``plats_id``
    (empty or missing) belongs to every place whose polygon contains its point
    (``geopandas.sjoin``, predicate ``"within"``: a point exactly on a polygon's boundary is not
    within it). An event inside two overlapping places counts for both. An event with a
    ``plats_id`` is assigned by the id only, even if its position lies in another place.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        ``plats_id`` (unique) and polygons, EPSG:3006.
    events : pandas.DataFrame
        Incidents or citizen reports with ``plats_id`` (may be ``""``), ``x`` and ``y`` (may be NaN).

    Returns
    -------
    pandas.DataFrame
        One row per (event, place) pair, in the events' order: the event's columns plus
        ``plats_id_tilldelad`` (the place) and ``tilldelad_via`` (``"plats_id"`` or
        ``"position"``). The index is the event's index in ``events`` (repeated for an event in
        two places). Events that match no place are left out; ``attrs``: ``unmatched`` (their
        number) and ``unknown_place_ids`` (ids in ``events`` that are not in ``places``). Counts
        per place: ``out.groupby("plats_id_tilldelad").size()``. Holds exact positions and
        free text: for the analysis only.

    Raises
    ------
    ValueError
        If ``places`` is not a GeoDataFrame in EPSG:3006 with unique ``plats_id``, or ``events``
        lacks ``plats_id``, ``x`` or ``y``.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> places = gpd.GeoDataFrame({"plats_id": ["P1"]}, geometry=[box(0, 0, 100, 100)], crs=3006)
    >>> events = pd.DataFrame({"plats_id": ["P1", "", ""], "x": [float("nan"), 50, 500],
    ...                        "y": [float("nan"), 50, 500]})
    >>> out = events_per_place(places, events)
    >>> out[["plats_id_tilldelad", "tilldelad_via"]].values.tolist(), out.attrs["unmatched"]
    ([['P1', 'plats_id'], ['P1', 'position']], 1)
    """
    _check_places(places)
    ids = _event_ids(events)
    place_ids = places["plats_id"].astype("str")
    known = ids.isin(set(place_ids))
    has_id = (ids != "").to_numpy()
    by_id = np.flatnonzero(has_id & known.to_numpy())

    xa, ya = _coordinates(events["x"], events["y"])
    by_pos = np.flatnonzero(~has_id & np.isfinite(xa) & np.isfinite(ya))
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xa[by_pos], ya[by_pos]), index=by_pos, crs=CRS)
    polygons = gpd.GeoDataFrame({"plats_id_tilldelad": place_ids.to_numpy(), "_place": np.arange(len(places))},
                                geometry=places.geometry.to_numpy(), crs=places.crs)
    joined = gpd.sjoin(points, polygons, how="inner", predicate="within")

    order_of_place = dict(zip(place_ids, range(len(places)), strict=True))
    pairs = pd.DataFrame({
        "_event": np.r_[by_id, joined.index.to_numpy(dtype=np.int64)],
        "_place": np.r_[[order_of_place[i] for i in ids.iloc[by_id]], joined["_place"].to_numpy()].astype(np.int64),
        "tilldelad_via": ["plats_id"] * len(by_id) + ["position"] * len(joined),
    }).sort_values(["_event", "_place"], kind="stable")
    out = events.iloc[pairs["_event"].to_numpy()].copy()
    out["plats_id_tilldelad"] = pd.array(place_ids.to_numpy()[pairs["_place"].to_numpy()], dtype="str")
    out["tilldelad_via"] = pd.array(pairs["tilldelad_via"].to_numpy(), dtype="str")
    out.attrs = {
        "unmatched": int(len(events) - pairs["_event"].nunique()),
        "unknown_place_ids": sorted(set(ids[(ids != "") & ~known])),
    }
    return out


def place_point(places: gpd.GeoDataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Give events that only have a ``plats_id`` the position of their place.

    Events with a missing ``x`` or ``y`` and a ``plats_id`` found in ``places`` get the place
    polygon's representative point (``representative_point()``: a point guaranteed to lie inside
    the polygon, unlike the centroid). On the grid such events land in the cell of that point, so
    all events of a large place given only by id count in one cell. Events with a position keep it;
    events with neither a known id nor a position stay NaN (and :func:`grid_counts` drops them).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        ``plats_id`` (unique) and polygons, EPSG:3006.
    events : pandas.DataFrame
        With ``plats_id``, ``x`` and ``y``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``events`` with ``x`` and ``y`` filled and a boolean column ``xy_fran_plats``
        (True where the position was taken from the place). ``attrs["filled"]``: how many.

    Raises
    ------
    ValueError
        As :func:`events_per_place`.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> places = gpd.GeoDataFrame({"plats_id": ["P1"]}, geometry=[box(0, 0, 100, 100)], crs=3006)
    >>> events = pd.DataFrame({"plats_id": ["P1", ""], "x": [float("nan"), 7.0], "y": [float("nan"), 8.0]})
    >>> out = place_point(places, events)
    >>> out[["x", "y", "xy_fran_plats"]].values.tolist()
    [[50.0, 50.0, True], [7.0, 8.0, False]]
    """
    _check_places(places)
    ids = _event_ids(events)
    xa, ya = _coordinates(events["x"], events["y"])
    points = places.geometry.representative_point()
    px = dict(zip(places["plats_id"].astype("str"), points.x.to_numpy(), strict=True))
    py = dict(zip(places["plats_id"].astype("str"), points.y.to_numpy(), strict=True))
    fill = (~(np.isfinite(xa) & np.isfinite(ya))) & ids.isin(set(px)).to_numpy()
    out = events.copy()
    xa[fill] = [px[i] for i in ids[fill]]
    ya[fill] = [py[i] for i in ids[fill]]
    out["x"] = xa
    out["y"] = ya
    out["xy_fran_plats"] = fill
    out.attrs["filled"] = int(fill.sum())
    return out


# ============================================================================================
# Names that moved
# ============================================================================================

# Hot spots and concentration now live in their own modules; old code (``lagesbild.spatial.hot_spots``)
# still finds them here.
__getattr__ = lazy.also_in(__name__, "lagesbild.stats.hotspots", "lagesbild.stats.concentration")
