"""A place's yearly series for the åtgärdsplan's goals: its factor score and its events, publishable.

An åtgärdsplan (:mod:`lagesbild.summary.followup`) may set a goal on a place of the place data: its
combined factor score ("samlad poäng", :func:`lagesbild.places.factors.overall_score`) or the number of
events at it in the incident log (``handelser``). The place assessment report computes both series here
from the same data and with the same functions it uses for its own tables, and publishes them in its key
figures (``place_series``); the lägesbild reads them back and never recomputes them.

- :func:`yearly_scores`: per place and year, the combined score of the latest inspection round in the
  year that has one (a round with fewer than :data:`lagesbild.places.factors.MIN_ASSESSED` factors
  assessed has none and is skipped).
- :func:`log_coverage` and :func:`yearly_events`: per place and year, the incident-log events at the
  place (by ``plats_id`` or by position inside the place, :func:`lagesbild.stats.spatial.events_per_place`,
  as the report's table of events per place) and how many calendar months of the year the log covers:
  the log is taken to cover every month from its first event's month to its last event's month, so a year
  at the edge of the log is a partial year and a place without events in a covered year has 0.
- :func:`publishable_events`: the counts as they may be published. Place-level incident data never
  shows a count below :data:`lagesbild.core.privacy.MIN_PUBLISHED`: a year with 0, 1 or 2 events has no
  count (``small``). The report also publishes each place's events in its analysis period; a year's count
  that would let a reader subtract his way to a count below 3 from that total is withheld as well
  (``hidden``).

Free text never enters these series.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core import privacy
from lagesbild.places import factors


def yearly_scores(rounds: pd.DataFrame) -> pd.DataFrame:
    """Each place's combined factor score per year: the latest inspection round of the year with a score.

    Parameters
    ----------
    rounds : pandas.DataFrame
        Inspections per the data contract or :func:`lagesbild.places.factors.inspection_rounds` output.

    Returns
    -------
    pandas.DataFrame
        ``plats_id``, ``year``, ``datum`` (the round's day) and ``samlad`` (1–5, a higher score is
        better), sorted by place and year; years without a scored round are absent.

    Examples
    --------
    Two rounds at P1 in 2024 (the later counts) and one in 2025 with too few factors assessed:

    >>> base = {"plats_id": "P1", "typ": "besiktning", "n_bedomare": 1, **dict.fromkeys(factors.FACTOR_KEYS, 3.0)}
    >>> r = pd.DataFrame([{**base, "datum": pd.Timestamp("2024-03-01"), "belysning": 1.0},
    ...                   {**base, "datum": pd.Timestamp("2024-09-01"), "belysning": 5.0},
    ...                   {**base, "datum": pd.Timestamp("2025-05-01"), **dict.fromkeys(factors.FACTOR_KEYS[:5])}])
    >>> yearly_scores(r).to_dict("records")
    [{'plats_id': 'P1', 'year': 2024, 'datum': '2024-09-01', 'samlad': 3.25}]
    """
    columns = ["plats_id", "year", "datum", "samlad"]
    if rounds is None or rounds.empty:
        return pd.DataFrame(columns=columns)
    r = factors._as_rounds(rounds, "yearly_scores")
    r["samlad"] = factors.overall_score(r)
    r = r[r["samlad"].notna()].copy()
    r["year"] = r["datum"].dt.year.astype("int64")
    latest = r.sort_values(["plats_id", "datum"], kind="stable").groupby(["plats_id", "year"]).tail(1)
    out = latest.assign(datum=latest["datum"].dt.strftime("%Y-%m-%d"))[columns]
    return out.sort_values(["plats_id", "year"], kind="stable").reset_index(drop=True)


def log_coverage(times) -> dict[int, tuple[int, int]]:
    """The calendar months per year an incident log covers (from its first event's month to its last's).

    Returns
    -------
    dict
        year → (first month, number of months).

    Examples
    --------
    >>> log_coverage(pd.to_datetime(pd.Series(["2024-03-15", "2025-10-02"])))
    {2024: (3, 10), 2025: (1, 10)}
    >>> log_coverage(pd.Series([], dtype="datetime64[ns]"))
    {}
    """
    times = pd.Series(times).dropna()
    if times.empty:
        return {}
    months = pd.period_range(times.min().to_period("M"), times.max().to_period("M"), freq="M")
    out: dict[int, tuple[int, int]] = {}
    for m in months:
        first, n = out.get(int(m.year), (int(m.month), 0))
        out[int(m.year)] = (first, n + 1)
    return out


def yearly_events(places, incidents: pd.DataFrame | None) -> pd.DataFrame:
    """Incident-log events per place and year, with the months of the year the log covers.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        The places register (``plats_id``, polygons in EPSG:3006).
    incidents : pandas.DataFrame or None
        The incident log as loaded (:func:`lagesbild.places.data.load_incidents`); None: no log.

    Returns
    -------
    pandas.DataFrame
        ``plats_id``, ``year``, ``first_month`` and ``months`` (the covered months of the year,
        :func:`log_coverage`) and ``count`` (raw: never publish it, see :func:`publishable_events`), one
        row per place and covered year (0 where no event); empty without a log.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> places = gpd.GeoDataFrame({"plats_id": ["P1", "P2"]}, geometry=[box(0, 0, 100, 100), box(500, 0, 600, 100)],
    ...                           crs="EPSG:3006")
    >>> inc = pd.DataFrame({"tid": pd.to_datetime(["2024-11-03", "2025-01-02", "2025-02-09"]),
    ...                     "plats_id": ["P1", "", "P2"], "x": [float("nan"), 50.0, float("nan")],
    ...                     "y": [float("nan"), 50.0, float("nan")]})
    >>> yearly_events(places, inc).values.tolist()
    [['P1', 2024, 11, 2, 1], ['P1', 2025, 1, 2, 1], ['P2', 2024, 11, 2, 0], ['P2', 2025, 1, 2, 1]]
    """
    from lagesbild.stats import spatial

    columns = ["plats_id", "year", "first_month", "months", "count"]
    coverage = log_coverage(incidents["tid"]) if incidents is not None else {}
    if not coverage:
        return pd.DataFrame(columns=columns)
    assigned = spatial.events_per_place(places, incidents[["tid", "plats_id", "x", "y"]])
    counts = assigned.groupby([assigned["plats_id_tilldelad"], assigned["tid"].dt.year]).size()
    rows = [(str(p), y, first, n, int(counts.get((str(p), y), 0)))
            for p in places["plats_id"] for y, (first, n) in coverage.items()]
    return pd.DataFrame(rows, columns=columns).astype({c: "int64" for c in columns[1:]})


def _gives_back(rest: int, small: int, hidden: int) -> bool:
    """Whether the rest of a published total (after the shown yearly counts) pins a count below 3: ``small``
    years hold 0–2 events each, ``hidden`` ones any number as far as a reader knows.

    Pinned are: events outside the years shown (no small year, a rest of 1 or 2), the one small year (a rest
    of 0–2), and every small year at 0 or at 2 (a rest of 0 or twice their number). A withheld year can take
    any rest, so with one nothing is pinned.

    Examples
    --------
    >>> _gives_back(2, 1, 0), _gives_back(0, 1, 0), _gives_back(4, 2, 0), _gives_back(3, 2, 0), _gives_back(3, 1, 1)
    (True, True, True, False, False)
    """
    if hidden:
        return False
    if small == 0:
        return 0 < rest < privacy.MIN_PUBLISHED  # events of the period outside the years shown
    return rest == 0 or rest == (privacy.MIN_PUBLISHED - 1) * small or (small == 1 and rest < privacy.MIN_PUBLISHED)


def publishable_events(counts: pd.DataFrame, window_totals: dict | None = None, period=None) -> list[dict]:
    """One place's yearly counts as they may be published: none below 3, none that gives one by subtraction.

    A year with fewer than :data:`lagesbild.core.privacy.MIN_PUBLISHED` events gets ``count`` None and
    ``small`` True. The place report also publishes the place's events in its analysis period
    (``window_totals``); the reader who subtracts the published counts of the years inside that period
    from it gets the rest: while that rest pins a year below 3 (:func:`_gives_back`), the smallest published
    count inside the period is withheld too (``hidden``); with none left, one small year is only said to be
    withheld. A period total of 0 pins every year at 0 by itself (the place report shows it): nothing to hide.

    Parameters
    ----------
    counts : pandas.DataFrame
        One place's rows of :func:`yearly_events` (``year``, ``first_month``, ``months``, ``count``).
    window_totals : dict, optional
        ``{"count": events at the place in the analysis period}`` (the report's table of events per
        place); None: the report publishes no such total.
    period : (Timestamp, Timestamp), optional
        The analysis period (:attr:`lagesbild.places.analysis.Analysis.period`).

    Returns
    -------
    list of dict
        ``year``, ``months``, ``count`` (int or None), ``small``, ``hidden``, by year.

    Examples
    --------
    2024 has 7 events, 2025 has 2; the period 2024–2025 has 9. 9 − 7 would give 2025's 2 back, so 7 is
    withheld as well:

    >>> c = pd.DataFrame({"year": [2024, 2025], "first_month": [1, 1], "months": [12, 12], "count": [7, 2]})
    >>> period = (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31"))
    >>> [(p["year"], p["count"], p["small"], p["hidden"]) for p in publishable_events(c, {"count": 9}, period)]
    [(2024, None, False, True), (2025, None, True, False)]

    With the period 2025 only, 2024's 7 lies outside it and can be shown:

    >>> period = (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31"))
    >>> [(p["year"], p["count"]) for p in publishable_events(c, {"count": 2}, period)]
    [(2024, 7), (2025, None)]

    Two small years and a period total of 4: both must be 2, so the later is only said to be withheld:

    >>> two = pd.DataFrame({"year": [2024, 2025], "first_month": [1, 1], "months": [12, 12], "count": [2, 2]})
    >>> period = (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31"))
    >>> [(p["year"], p["count"], p["small"], p["hidden"]) for p in publishable_events(two, {"count": 4}, period)]
    [(2024, None, True, False), (2025, None, False, True)]
    """
    rows = counts.sort_values("year").to_dict("records")
    out = [{"year": int(r["year"]), "months": int(r["months"]), "count": int(r["count"]),
            "small": int(r["count"]) < privacy.MIN_PUBLISHED, "hidden": False} for r in rows]
    if window_totals is not None and period is not None and out and int(window_totals["count"]) > 0:
        start, end = pd.Timestamp(period[0]).to_period("M"), pd.Timestamp(period[1]).to_period("M")
        spans = {int(r["year"]): pd.Period(year=int(r["year"]), month=int(r["first_month"]), freq="M") for r in rows}
        inside = [p for p in out if start <= spans[p["year"]] and spans[p["year"]] + (p["months"] - 1) <= end]

        def rest() -> int:
            return int(window_totals["count"]) - sum(p["count"] for p in inside if not (p["small"] or p["hidden"]))

        while _gives_back(rest(), sum(p["small"] for p in inside), sum(p["hidden"] for p in inside)):
            shown = [p for p in inside if not (p["small"] or p["hidden"])]
            smalls = [p for p in inside if p["small"]]
            if shown:
                min(shown, key=lambda p: (p["count"], p["year"]))["hidden"] = True
            elif smalls:  # nothing left to withhold: the small years' total is the rest; say less of one of them
                max(smalls, key=lambda p: p["year"]).update(small=False, hidden=True)
            else:  # no year left to withhold or blur (the rest is then the place report's own total)
                break
    for p in out:
        if p["small"] or p["hidden"]:
            p["count"] = None
    return out


def place_series(data, a=None) -> list[dict]:
    """Every place's yearly factor score and events, for the place report's key figures (``place_series``).

    Parameters
    ----------
    data : lagesbild.places.data.PlaceData or None
    a : lagesbild.places.analysis.Analysis, optional
        The report's analysis: its ``rounds``, ``period`` and ``per_place`` (the published events per
        place in the period, against which the yearly counts are checked by :func:`publishable_events`).

    Returns
    -------
    list of dict
        Per place in register order: ``plats_id``, ``name``, ``scores`` (``year``, ``date``, ``score``) and
        ``events`` (:func:`publishable_events`; empty without an incident log). No count below 3.

    Examples
    --------
    >>> from lagesbild.places.text import example
    >>> data, a = example()
    >>> s = {p["name"]: p for p in place_series(data, a)}
    >>> [(x["year"], x["score"]) for x in s["Gångtunneln vid Eneborg"]["scores"]]
    [(2024, 1.6666666666666667), (2025, 2.75)]
    >>> all(e["count"] is None or e["count"] >= 3 for p in s.values() for e in p["events"])
    True
    """
    if data is None:
        return []
    rounds = a.rounds if a is not None and getattr(a, "rounds", None) is not None and len(a.rounds) else (
        factors.inspection_rounds(data.inspections) if data.inspections is not None and len(data.inspections)
        else None)
    scores = yearly_scores(rounds)
    events = yearly_events(data.places, data.incidents)
    window = None
    if a is not None and a.period is not None and len(a.per_place):
        window = a.per_place.set_index("plats_id")["handelser"]
    out = []
    for p in data.places.itertuples():
        pid = str(p.plats_id)
        s = scores[scores["plats_id"] == pid]
        e = events[events["plats_id"] == pid]
        total = {"count": int(window[pid])} if window is not None and pid in window.index else None
        out.append({"plats_id": pid, "name": str(p.namn),
                    "scores": [{"year": int(r.year), "date": str(r.datum), "score": float(r.samlad)}
                               for r in s.itertuples()],
                    "events": publishable_events(e, total, a.period if total is not None else None)})
    return out


__all__ = ["log_coverage", "place_series", "publishable_events", "yearly_events", "yearly_scores"]
