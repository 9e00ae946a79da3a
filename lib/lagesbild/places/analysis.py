"""What the place assessment report needs beyond its building blocks: settings, folders, periods.

The building blocks are :mod:`lagesbild.places.data` (inputs), :mod:`lagesbild.places.factors` (the eight
factors), :mod:`lagesbild.stats.spatial` (grid), :mod:`lagesbild.stats.hotspots` (hot spots),
:mod:`lagesbild.stats.concentration` (concentration), :mod:`lagesbild.sources.districts` (polisen.se counts per
district) and :mod:`lagesbild.core.privacy` (what may be published). This module checks the report's
settings before a run and holds the small steps that tie them together, so the
notebook only calls, plots and narrates. Its results are tables and numbers; the Swedish sentences about
them (a place's assessment) are in :mod:`lagesbild.places.text`. It imports
nothing heavy at module level: the runner imports it to check parameters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lagesbild.core.errors import ParamsError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA

#: The bundled example place data (Helsingborg), used when no folder is given.
EXAMPLE_PLACES = DATA / "example" / "places"

#: Allowed ranges of the report's numeric settings: (smallest, largest, why).
LIMITS: dict[str, tuple[float, float, str]] = {
    "cell_size": (50, 2000, "rutor mindre än 50 m pekar ut enskilda adresser, större än 2 km säger inget om platser"),
    "months": (1, 120, "en period på 1–120 hela månader"),
    "alpha": (0.001, 0.2, "en signifikansnivå mellan 0,001 och 0,2"),
    "permutations": (99, 99999, "minst 99 permutationer för ett meningsfullt p-värde"),
}


def check_settings(values: dict[str, Any], where: str = "parameters") -> None:
    """Check the place report's numeric settings against :data:`LIMITS`; raise naming the key.

    Keys not in :data:`LIMITS` are ignored (their type is checked elsewhere).

    Parameters
    ----------
    values : dict
        Parameter name → value.
    where : str
        The file or source the values came from, named in the error.

    Raises
    ------
    ParamsError

    Examples
    --------
    >>> check_settings({"cell_size": 250, "alpha": 0.05, "kommun": "1283"})
    >>> check_settings({"cell_size": 10}, "params/1283_helsingborg.yaml")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.ParamsError: params/1283_helsingborg.yaml, column 'cell_size': cell_size is 10, outside 50–2000. Fix: give a value from 50 to 2000 (rutor mindre än 50 m pekar ut enskilda adresser, större än 2 km säger inget om platser).
    """
    for key, (low, high, why) in LIMITS.items():
        if key not in values:
            continue
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not (low <= value <= high):
            raise ParamsError(where, f"{key} is {plain(value)}, outside {low:g}–{high:g}",
                              f"give a value from {low:g} to {high:g} ({why})", column=key)


def place_folder(place_data: str) -> Path:
    """The folder of place data a report reads: the given one, or the bundled example.

    A relative path is relative to the project root (where ``run_all.py`` is), so a params YAML
    means the same folder wherever the notebook runs.

    Examples
    --------
    >>> from lagesbild.core.paths import PROJ_ROOT
    >>> place_folder("") == EXAMPLE_PLACES
    True
    >>> place_folder("/srv/trygghet/platser").as_posix()
    '/srv/trygghet/platser'
    >>> place_folder("indata/platser") == PROJ_ROOT / "indata" / "platser"
    True
    """
    from lagesbild.core.paths import input_folder

    return input_folder(place_data, EXAMPLE_PLACES)


#: Where an event in the combined table came from.
INCIDENT_LOG = "Händelselogg"
CITIZEN_REPORT = "Medborgarrapport"


def combined_events(incidents, citizen_reports):
    """Incident log and citizen reports in one table, with ``kalla_typ`` saying which is which.

    Citizen reports get ``kalla`` = "medborgare". Free text is dropped here: nothing downstream of
    this table can publish it.

    Parameters
    ----------
    incidents, citizen_reports : pandas.DataFrame or None
        As loaded by :mod:`lagesbild.places.data`.

    Returns
    -------
    pandas.DataFrame
        ``tid``, ``kategori``, ``kalla``, ``kalla_typ``, ``plats_id``, ``x``, ``y``; empty (with
        these columns) when both are None.

    Examples
    --------
    >>> import pandas as pd
    >>> inc = pd.DataFrame({"tid": pd.to_datetime(["2025-01-03 22:00"]), "kategori": ["Klotter"], "kalla": ["polis"],
    ...                     "plats_id": ["P1"], "x": [float("nan")], "y": [float("nan")], "fritext": ["hemligt"]})
    >>> out = combined_events(inc, None)
    >>> out[["kategori", "kalla", "kalla_typ"]].to_dict("records"), "fritext" in out
    ([{'kategori': 'Klotter', 'kalla': 'polis', 'kalla_typ': 'Händelselogg'}], False)
    """
    import pandas as pd

    columns = ["tid", "kategori", "kalla", "kalla_typ", "plats_id", "x", "y"]
    parts = []
    if incidents is not None and len(incidents):
        parts.append(incidents.assign(kalla_typ=INCIDENT_LOG))
    if citizen_reports is not None and len(citizen_reports):
        parts.append(citizen_reports.assign(kalla="medborgare", kalla_typ=CITIZEN_REPORT))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "tid" else "float64" if c in "xy" else "str")
                             for c in columns})
    return pd.concat([p[columns] for p in parts], ignore_index=True)


def window(times, months: int):
    """The analysis period: the ``months`` calendar months ending with the month of the latest event.

    Returns the first day of the first month and the last day of the last month (midnight), or
    None when there are no times.

    Examples
    --------
    >>> import pandas as pd
    >>> window(pd.Series(pd.to_datetime(["2023-06-01 08:00", "2025-12-30 23:10"])), 24)
    (Timestamp('2024-01-01 00:00:00'), Timestamp('2025-12-31 00:00:00'))
    >>> window(pd.Series([], dtype="datetime64[ns]"), 12) is None
    True
    """
    import pandas as pd

    times = pd.Series(times).dropna()
    if times.empty:
        return None
    last = times.max().to_period("M")
    return (last - (months - 1)).to_timestamp(), last.to_timestamp(how="end").normalize()


def in_window(events, start, end):
    """The events from ``start`` (a day) to ``end`` (a day, inclusive).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"tid": pd.to_datetime(["2024-12-31 23:59", "2025-01-01 00:00", "2025-01-31 23:00"])})
    >>> len(in_window(e, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-31")))
    2
    """
    import pandas as pd

    return events[(events["tid"] >= start) & (events["tid"] < end + pd.Timedelta(days=1))]


def per_place(places, events):
    """Events per place, split by where they came from (raw counts: mask before publishing).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        The places register (``plats_id``, ``namn``, ``stadsdel``, polygons in EPSG:3006).
    events : pandas.DataFrame
        :func:`combined_events` output.

    Returns
    -------
    pandas.DataFrame
        One row per place in register order: ``plats_id``, ``namn``, ``stadsdel``, ``handelser``
        (incident log), ``medborgarrapporter``, ``totalt``.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> places = gpd.GeoDataFrame({"plats_id": ["P1", "P2"], "namn": ["Torget", "Parken"], "stadsdel": ["", ""]},
    ...                           geometry=[box(0, 0, 100, 100), box(500, 0, 600, 100)], crs="EPSG:3006")
    >>> ev = pd.DataFrame({"tid": pd.to_datetime(["2025-01-01"] * 3), "kategori": ["a"] * 3, "kalla": ["polis"] * 3,
    ...                    "kalla_typ": ["Händelselogg", "Händelselogg", "Medborgarrapport"], "plats_id": ["P1", "", ""],
    ...                    "x": [float("nan"), 50.0, 550.0], "y": [float("nan"), 50.0, 50.0]})
    >>> per_place(places, ev)[["plats_id", "handelser", "medborgarrapporter", "totalt"]].to_dict("list")
    {'plats_id': ['P1', 'P2'], 'handelser': [2, 0], 'medborgarrapporter': [0, 1], 'totalt': [2, 1]}
    """
    import pandas as pd

    from lagesbild.stats import spatial

    assigned = spatial.events_per_place(places, events) if len(events) else events.assign(plats_id_tilldelad="")
    counts = pd.crosstab(assigned["plats_id_tilldelad"], assigned["kalla_typ"])
    out = places[["plats_id", "namn", "stadsdel"]].reset_index(drop=True).copy()
    for column, kind in (("handelser", INCIDENT_LOG), ("medborgarrapporter", CITIZEN_REPORT)):
        values = counts[kind] if kind in counts.columns else pd.Series(dtype="int64")
        out[column] = out["plats_id"].map(values).fillna(0).astype("int64")
    out["totalt"] = out["handelser"] + out["medborgarrapporter"]
    return out


def categories_per_place(places, events, top: int = 5):
    """The most common categories at each place, as publishable text ("Klotter (12), Stöld (4)").

    Only categories with at least :data:`lagesbild.core.privacy.MIN_PUBLISHED` events at a place are
    named; the rest are summed into "övriga". Since the place's total is published elsewhere, a rest
    of 1 or 2 is never left over: the smallest named categories join "övriga" until it is 0 or ≥ 3.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import box
    >>> places = gpd.GeoDataFrame({"plats_id": ["P1"], "namn": ["Torget"], "stadsdel": [""]},
    ...                           geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")
    >>> ev = pd.DataFrame({"tid": pd.to_datetime(["2025-01-01"] * 9), "kategori": ["Klotter"] * 5 + ["Stöld"] * 3 + ["Hot"],
    ...                    "kalla": ["polis"] * 9, "kalla_typ": ["Händelselogg"] * 9, "plats_id": ["P1"] * 9,
    ...                    "x": [float("nan")] * 9, "y": [float("nan")] * 9})
    >>> categories_per_place(places, ev)["kategorier"].tolist()  # Hot (1) alone would be recoverable: Stöld joins it
    ['Klotter (5), övriga (4)']
    """
    import pandas as pd

    from lagesbild.core import fmt, privacy
    from lagesbild.stats import spatial

    assigned = spatial.events_per_place(places, events) if len(events) else events.assign(plats_id_tilldelad="")
    rows = []
    for place in places.itertuples():
        counts = assigned.loc[assigned["plats_id_tilldelad"] == place.plats_id, "kategori"].value_counts()
        shown = sorted(((k, int(n)) for k, n in counts.items() if n >= privacy.MIN_PUBLISHED), key=lambda kv: (-kv[1], kv[0]))
        shown = shown[:top]
        rest = int(counts.sum()) - sum(n for _, n in shown)
        # the place's total is published too: a rest of 1 or 2 would follow by subtraction, so the
        # smallest named categories join "övriga" until the rest is 0 or at least 3
        while 0 < rest < privacy.MIN_PUBLISHED and shown:
            rest += shown.pop()[1]
        parts = [f"{k} ({fmt.number(n)})" for k, n in shown]
        if rest >= privacy.MIN_PUBLISHED:
            parts.append(f"övriga ({fmt.number(rest)})")
        rows.append({"plats_id": place.plats_id, "namn": place.namn,
                     "kategorier": ", ".join(parts) if parts else ("inga" if counts.sum() == 0 else "för få att visa")})
    return pd.DataFrame(rows, columns=["plats_id", "namn", "kategorier"])


class Analysis:
    """Everything the place report shows, computed by :func:`analyse` (attributes documented there)."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"Analysis({', '.join(sorted(self.__dict__))})"


def analyse(data, *, cell_size: int = 250, months: int = 24, alpha: float = 0.05, permutations: int = 999,
            seed: int = 12345) -> Analysis:
    """Compute the place report from one kommun's place data.

    Parameters
    ----------
    data : lagesbild.places.data.PlaceData
    cell_size : int
        Grid cell size in metres (SWEREF 99 TM).
    months : int
        The analysis period: this many calendar months up to the latest incident or citizen report.
    alpha : float
        Significance level for hot spots after false discovery rate control.
    permutations : int
        Permutations for the Gi* pseudo p-values (fixed ``seed``: the report is reproducible).

    Returns
    -------
    Analysis
        ``rounds``, ``latest``, ``changes`` (:mod:`lagesbild.places.factors`; empty frames without
        inspections); ``period`` ((start, end) or None); ``events`` (incidents and citizen reports in
        the period, positions filled from the place for events given only a place id, no free text);
        ``per_place`` (raw counts; mask before publishing); ``categories`` (publishable text);
        ``grid`` (the complete lattice with Gi* statistics, NOT publishable); ``cells`` (publishable
        cells with at least 3 events and their hot-spot class); ``suppressed`` (text: events in
        cells that are not shown); ``concentration`` and ``lorenz`` (over the lattice's cells);
        ``matrix`` (weekday × hour, whole period); ``priority`` (:func:`lagesbild.places.factors.priority_list`).

    Examples
    --------
    >>> from lagesbild import placedata
    >>> a = analyse(placedata.load_place_data(EXAMPLE_PLACES, "1283"), permutations=99)
    >>> a.period[0] < a.period[1], bool((a.cells["antal"] >= 3).all()), len(a.priority) == len(a.latest)
    (True, True, True)
    """
    import pandas as pd

    from lagesbild.core import fmt, privacy
    from lagesbild.places import factors
    from lagesbild.stats import spatial
    from lagesbild.stats.concentration import concentration_summary, lorenz
    from lagesbild.stats.hotspots import hot_spots

    inspections = data.inspections
    if inspections is not None and len(inspections):
        rounds = factors.inspection_rounds(inspections)
        latest = factors.latest_profiles(rounds)
        changes = factors.change_since_previous(rounds)
    else:
        rounds = latest = changes = pd.DataFrame()

    events = combined_events(data.incidents, data.citizen_reports)
    period = window(events["tid"], months)
    if period is not None:
        events = in_window(events, *period)
        events = spatial.place_point(data.places, events)
    counts = per_place(data.places, events)
    categories = categories_per_place(data.places, events)

    grid = cells = None
    concentration, lorenz_table, matrix, suppressed = {}, pd.DataFrame(), None, "0"
    positioned = events.dropna(subset=["x", "y"])
    if len(positioned):
        lattice = spatial.grid_counts(positioned["x"], positioned["y"], cell_size)
        grid = hot_spots(lattice, permutations=permutations, seed=seed, alpha=alpha)
        published = spatial.publishable(lattice)
        classes = grid.set_index("cell_id")[["klass", "het_fdr", "gi_bin"]]
        cells = published.join(classes, on="cell_id")
        shown = published.attrs["suppressed_events"]  # None: 1–2 events, which may not be published
        suppressed = fmt.number(shown) if shown is not None else privacy.SMALL_LABEL
        concentration = concentration_summary(lattice["antal"])
        lorenz_table = lorenz(lattice["antal"])
        from lagesbild.stats.counts import weekday_hour_matrix

        matrix = weekday_hour_matrix(events, column="tid")

    priority = (factors.priority_list(latest, counts.set_index("plats_id")["totalt"]) if len(latest)
                else pd.DataFrame())
    return Analysis(rounds=rounds, latest=latest, changes=changes, period=period, events=events, per_place=counts,
                    categories=categories, grid=grid, cells=cells, suppressed=suppressed,
                    concentration=concentration, lorenz=lorenz_table, matrix=matrix, priority=priority,
                    cell_size=cell_size, alpha=alpha, permutations=permutations)


def district_names(districts: list[str], data=None) -> list[str]:
    """The districts to count in polisen.se summaries: those given, then the places' districts.

    Names are whitespace-normalised and kept once, in order; empty names are skipped.

    Examples
    --------
    >>> district_names(["Söder", " Dalhem"])
    ['Söder', 'Dalhem']
    >>> class D: places = __import__("pandas").DataFrame({"stadsdel": ["Dalhem", "Eneborg", ""]})
    >>> district_names(["Söder", "Dalhem"], D())
    ['Söder', 'Dalhem', 'Eneborg']
    """
    names = list(districts)
    if data is not None:
        names += [str(s) for s in data.places["stadsdel"]]
    out: list[str] = []
    for name in names:
        clean = " ".join(str(name).split())
        if clean and clean not in out:
            out.append(clean)
    return out


def hot_spot_places(cells, places) -> list[str]:
    """Names of the places that touch a published hot-spot cell (significant after FDR), in register order.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> cells = gpd.GeoDataFrame({"het_fdr": [True, False]}, geometry=[box(0, 0, 250, 250), box(250, 0, 500, 250)],
    ...                          crs="EPSG:3006")
    >>> places = gpd.GeoDataFrame({"namn": ["Torget", "Parken"]}, geometry=[box(10, 10, 50, 50), box(300, 10, 350, 50)],
    ...                           crs="EPSG:3006")
    >>> hot_spot_places(cells, places)
    ['Torget']
    """
    if cells is None or not len(cells):
        return []
    hot = cells[cells["het_fdr"].astype(bool)]
    if hot.empty:
        return []
    union = hot.geometry.union_all()
    return [str(n) for n, g in zip(places["namn"], places.geometry, strict=True) if g.intersects(union)]
