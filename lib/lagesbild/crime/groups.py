"""The kommun among other kommuner: its SKR kommungrupp, the funnel over every kommun, its peers on a map.

Functions in, frames out: every function takes the frames that :mod:`lagesbild.sources.processed` loads
(or :func:`lagesbild.crime.reported.kommun_table`) and returns a new frame; nothing here reads files or draws.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.units import RATE_UNIT
from lagesbild.crime.events import events_per_1000
from lagesbild.crime.reported import TOTAL, _num


def neighbour_values(crime: pd.DataFrame, events: pd.DataFrame, population: pd.DataFrame, boundaries,
                     kommun: str, peers: list[str], end: pd.Timestamp | None) -> tuple[object, dict]:
    """One comparable value per kommun for the map of the kommun among its peers.

    All reported crime per 100 000 inhabitants (Brå, latest year) when the kommun and at least one
    peer have it; otherwise police events per 1 000 inhabitants during the 12 months to ``end``.

    Parameters
    ----------
    crime, events, population : pandas.DataFrame
        As loaded by :func:`lagesbild.sources.processed.load`.
    boundaries : geopandas.GeoDataFrame
        Kommun polygons with ``kommun_kod``.
    kommun : str
    peers : list of str
    end : pandas.Timestamp or None
        Last complete month of comparable events (None: there are none).

    Returns
    -------
    (area, info)
        ``area``: the polygons of the kommun and its peers with a column ``value``; ``info``: a dict
        with ``measure`` ("bra" or "events"), ``legend``, ``what`` (Swedish, for sentences),
        ``decimals``, ``rank`` (1 = highest value), ``n`` (kommuner with a value) and ``value``;
        ``measure`` is "none" (and every value NaN) when neither source can be used.
    """
    codes = [kommun, *[p for p in peers if p != kommun]]
    area = boundaries[boundaries["kommun_kod"].isin(codes)].copy()
    totals = crime[(crime["indicator"] == TOTAL) & (crime["unit"] == RATE_UNIT) & crime["value"].notna()]
    year = int(totals["year"].max()) if len(totals) else None
    latest = totals[totals["year"] == year].set_index("region_code")["value"] if year else pd.Series(dtype=float)
    if kommun in latest.index and area["kommun_kod"].isin(latest.index).sum() > 1:
        area["value"] = area["kommun_kod"].map(latest).astype(float)
        info = {"measure": "bra", "legend": f"Anmälda brott per 100 000 inv. {year}",
                "what": f"anmälda brott per 100 000 invånare {year}", "decimals": 0}
    elif end is None:
        area["value"] = float("nan")
        info = {"measure": "none", "legend": "", "what": "", "decimals": 0}
    else:
        rates = events_per_1000(events, population, area["kommun_kod"].tolist(), end)
        area["value"] = area["kommun_kod"].map(rates.set_index("kommun_kod")["per_1000"]).astype(float)
        info = {"measure": "events", "legend": "Polisens händelser per 1 000 inv.",
                "what": (f"polisens händelser per 1 000 invånare under tolv månader till och med {fmt.month(end)} "
                         f"(befolkning {int(rates['population_year'].iloc[0])})"), "decimals": 1}
    ranked = area.dropna(subset=["value"]).sort_values("value", ascending=False)["kommun_kod"].tolist()
    info |= {"rank": ranked.index(kommun) + 1 if kommun in ranked else None, "n": len(ranked),
             "value": float(area.loc[area["kommun_kod"] == kommun, "value"].iloc[0]) if kommun in ranked else float("nan")}
    return area.reset_index(drop=True), info


#: A kommungrupp comparison needs at least this many group members with a rate the same year.
MIN_GROUP_MEMBERS = 5


def kommungrupp_rates(table: pd.DataFrame, kommungrupper: pd.DataFrame, kommun: str,
                      indicators: list[str]) -> tuple[str | None, pd.DataFrame]:
    """The rates of every kommun in the kommun's SKR kommungrupp, per indicator, in the kommun's latest year.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`kommun_table` (every kommun's ``region_code, region_name, indicator, year, rate``).
    kommungrupper : pandas.DataFrame
        ``kommun_kod, kommun, kommungrupp`` (:func:`lagesbild.sources.public.load_kommungrupper`; SKR's 2023
        groups are bundled).
    kommun : str
        Four-digit kommun code.
    indicators : list of str
        In report order.

    Returns
    -------
    (group, rates) : tuple
        The group's name (None when the kommun has no group in the data) and a frame
        ``indicator, year, kommun_kod, region_name, rate, own``: for each indicator the latest year
        in which the kommun and at least :data:`MIN_GROUP_MEMBERS` of the group have a rate (else the kommun's
        latest year), and every group member with a rate that year.

    Examples
    --------
    >>> g = pd.DataFrame({"kommun_kod": ["2080", "2081", "0114"], "kommun": ["Falun", "Borlänge", "Upplands Väsby"],
    ...                   "kommungrupp": ["Större stad", "Större stad", "Pendlingskommun nära storstad"]})
    >>> t = pd.DataFrame({"region_code": ["2080", "2081", "0114"], "region_name": ["Falun", "Borlänge", "Upplands Väsby"],
    ...                   "year": 2025, "indicator": "Bilbrott", "rate": [80.0, 120.0, 90.0]})
    >>> group, rates = kommungrupp_rates(t, g, "2080", ["Bilbrott"])
    >>> group, rates[["kommun_kod", "rate", "own"]].values.tolist()
    ('Större stad', [['2080', 80.0, True], ['2081', 120.0, False]])
    """
    cols = ["indicator", "year", "kommun_kod", "region_name", "rate", "own"]
    mine = kommungrupper.loc[kommungrupper["kommun_kod"] == kommun, "kommungrupp"]
    if mine.empty:
        return None, pd.DataFrame(columns=cols)
    group = str(mine.iloc[0])
    members = set(kommungrupper.loc[kommungrupper["kommungrupp"] == group, "kommun_kod"])
    rates = table[table["region_code"].isin(members) & table["rate"].notna() & table["indicator"].isin(indicators)]
    out = []
    for ind in indicators:
        r = rates[rates["indicator"] == ind]
        own_years = sorted(r.loc[r["region_code"] == kommun, "year"].astype(int), reverse=True)
        if not own_years:
            continue
        # the latest year most of the group has (a year only the kommun's own export has compares with nobody)
        members_per_year = r.groupby("year")["region_code"].nunique()
        year = next((y for y in own_years if members_per_year.get(y, 0) >= MIN_GROUP_MEMBERS), own_years[0])
        out.append(r[r["year"] == year])
    if not out:
        return group, pd.DataFrame(columns=cols)
    df = pd.concat(out, ignore_index=True).rename(columns={"region_code": "kommun_kod"})
    df["own"] = df["kommun_kod"] == kommun
    df = df.sort_values(["own", "kommun_kod"], ascending=[False, True], kind="stable")
    order = {ind: i for i, ind in enumerate(indicators)}
    df = df.sort_values("indicator", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return group, df[cols]


def kommungrupp_comparison(rates: pd.DataFrame, min_members: int = MIN_GROUP_MEMBERS) -> pd.DataFrame:
    """Where the kommun stands in its kommungrupp, per indicator: rank, median and middle half.

    Descriptive, not a test: the group's kommuner are not a sample of anything, and the rank says
    where the kommun's rate lies among theirs in the same year.

    Parameters
    ----------
    rates : pandas.DataFrame
        Output of :func:`kommungrupp_rates`.
    min_members : int
        Indicators with fewer group members with a rate (the kommun included) are left out: a rank
        among three says little.

    Returns
    -------
    pandas.DataFrame
        ``indicator, year, n, rate, median, q1, q3, lowest, highest, rank, position``; ``rank`` 1 is
        the lowest rate (ties share the better rank), ``position`` ``"låg"`` below the group's
        first quartile, ``"hög"`` above its third, ``"mitten"`` otherwise.

    Examples
    --------
    Falun's 80 among ten kommuner with 60, 70, …, 150 (the type-7 quartiles of the group):

    >>> r = pd.DataFrame({"indicator": "Bilbrott", "year": 2025, "kommun_kod": [f"{i:04d}" for i in range(10)],
    ...                   "region_name": "x", "rate": [80.0, 60, 70, 90, 100, 110, 120, 130, 140, 150],
    ...                   "own": [True] + [False] * 9})
    >>> kommungrupp_comparison(r)[["n", "rate", "median", "q1", "q3", "rank", "position"]].to_dict("records")
    [{'n': 10, 'rate': 80.0, 'median': 105.0, 'q1': 82.5, 'q3': 127.5, 'rank': 3, 'position': 'låg'}]
    """
    cols = ["indicator", "year", "n", "rate", "median", "q1", "q3", "lowest", "highest", "rank", "position"]
    rows = []
    for (ind, year), r in rates.groupby(["indicator", "year"], sort=False):
        if len(r) < min_members or not r["own"].any():
            continue
        own = float(r.loc[r["own"], "rate"].iloc[0])
        q1, med, q3 = r["rate"].quantile([0.25, 0.5, 0.75]).tolist()
        rows.append({"indicator": ind, "year": int(year), "n": len(r), "rate": own, "median": med, "q1": q1, "q3": q3,
                     "lowest": float(r["rate"].min()), "highest": float(r["rate"].max()),
                     "rank": int((r["rate"] < own).sum()) + 1,
                     "position": "låg" if own < q1 else "hög" if own > q3 else "mitten"})
    return pd.DataFrame(rows, columns=cols)


def kommungrupp_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The kommungrupp comparison as a report table with Swedish headers and formatted numbers.

    Examples
    --------
    >>> c = pd.DataFrame([{"indicator": "Bilbrott", "year": 2025, "n": 10, "rate": 80.0, "median": 105.0, "q1": 82.5,
    ...                    "q3": 127.5, "lowest": 60.0, "highest": 150.0, "rank": 3, "position": "låg"}])
    >>> kommungrupp_table(c).to_dict("records")[0]
    {'Kategori': 'Bilbrott', 'År': '2025', 'Kommunen': '80', 'Gruppens median': '105', 'Mittersta hälften': '83–128', 'Lägst–högst': '60–150', 'Plats (1 = lägst)': '3 av 10', 'Läge i gruppen': 'lägsta fjärdedelen'}
    """
    words = {"låg": "lägsta fjärdedelen", "hög": "högsta fjärdedelen", "mitten": "mittersta hälften"}
    return pd.DataFrame({
        "Kategori": comparison["indicator"],
        "År": comparison["year"].astype(str),
        "Kommunen": comparison["rate"].map(fmt.number),
        "Gruppens median": comparison["median"].map(fmt.number),
        "Mittersta hälften": [f"{fmt.number(a)}–{fmt.number(b)}" for a, b in zip(comparison["q1"], comparison["q3"], strict=True)],
        "Lägst–högst": [f"{fmt.number(a)}–{fmt.number(b)}" for a, b in zip(comparison["lowest"], comparison["highest"], strict=True)],
        "Plats (1 = lägst)": [f"{r} av {n}" for r, n in zip(comparison["rank"], comparison["n"], strict=True)],
        "Läge i gruppen": comparison["position"].map(words),
    })


#: A category's variation between kommuner is estimated only from at least this many kommuner.
MIN_FUNNEL_KOMMUNER = 10
#: How the funnels' limits are widened (:func:`lagesbild.stats.funnel.funnel`): the additive random effect of
#: Spiegelhalter (2005), its variance estimated by DerSimonian–Laird without winsorising, from the kommuner
#: inside the 99,8 % limits (trimmed from a 10 % winsorised start). Measured on Brå's 2024 and 2025 figures
#: for all 290 kommuner: the 10 % winsorising of the CQC method left 10–24 % of kommuner outside the 95 %
#: limits (the large kommuner, which carry the information about the variation, are the ones winsorised),
#: plain DerSimonian–Laird 0,3–13 %, with a few extreme kommuner widening everyone's limits; trimmed, 0,3–13 %
#: with the extremes kept out of the estimate.
FUNNEL_METHOD = {"method": "additive", "winsorise": 0.0, "trim_outliers": True}


def funnel_of(table: pd.DataFrame, indicator: str, year: int, *, target_rate: float | None = None):
    """The funnel plot numbers of one category and year over every kommun that has it.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`kommun_table`.
    indicator : str
    year : int
    target_rate : float, optional
        The rate to centre on; default the kommuner's own rate (the sum of their counts over the sum
        of their populations: riket as the sum of its kommuner, when every kommun has the category).

    Returns
    -------
    lagesbild.stats.funnel.Funnel or None
        None when fewer than :data:`MIN_FUNNEL_KOMMUNER` kommuner have a count and a population.

    Examples
    --------
    >>> t = pd.DataFrame({"region_code": [f"{i:04d}" for i in range(12)], "indicator": "A", "year": 2025,
    ...                   "count": [100.0] * 12, "population": [100_000.0] * 12})
    >>> f = funnel_of(t, "A", 2025)
    >>> f.target_rate, len(f.units), funnel_of(t.head(5), "A", 2025) is None
    (100.0, 12, True)
    """
    from lagesbild.stats import funnel

    rows = table[(table["indicator"] == indicator) & (table["year"] == year)
                 & table["count"].notna() & table["population"].notna() & (table["population"] > 0)]
    if len(rows) < MIN_FUNNEL_KOMMUNER:
        return None
    return funnel.funnel(rows["count"].to_numpy(), rows["population"].to_numpy(), ids=rows["region_code"].to_numpy(),
                         target_rate=target_rate, min_units=MIN_FUNNEL_KOMMUNER, **FUNNEL_METHOD)


def funnel_figures(f, kommun: str, year: int) -> dict | None:
    """One category's funnel as JSON-ready key figures: where the kommun lies and how wide the variation is.

    Examples
    --------
    >>> t = pd.DataFrame({"region_code": [f"{i:04d}" for i in range(12)], "indicator": "A", "year": 2025,
    ...                   "count": [100.0] * 11 + [400.0], "population": [100_000.0] * 12})
    >>> r = funnel_figures(funnel_of(t, "A", 2025), "0011", 2025)
    >>> r["n"], r["zone"], r["method"]
    (12, 'high_998', 'additive')
    """
    if f is None:
        return None
    units = f.units[f.units["included"]] if "included" in f.units.columns else f.units
    own = units.loc[kommun] if kommun in units.index else None
    return {
        "year": int(year), "n": int(len(units)), "target_rate": _num(f.target_rate), "method": f.od.method,
        # the between-kommun variance the comparisons use: None when it could not be estimated
        "phi": _num(f.od.phi), "tau2": None if f.od.tau2 != f.od.tau2 else _num(f.od.tau2_applied),
        "overdispersed": bool(f.od.overdispersed), "trimmed": int(f.od.trimmed),
        "z": _num(own["z"]) if own is not None else None, "p": _num(own["p"]) if own is not None else None,
        "zone": str(own["zone"]) if own is not None else "",
    }
