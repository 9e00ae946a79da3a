"""The crime report's analysis of one kommun (:func:`analyse`) and the tables and key figures made from it.

Functions in, frames out: nothing here reads files or draws. The parts have modules of their own:
:mod:`lagesbild.crime.reported` (Brå's reported crime: populations, rates, the kommun against its län
and riket, the indicator summary), :mod:`lagesbild.crime.events` (polisen.se's police events) and
:mod:`lagesbild.crime.groups` (the kommungrupp, the funnel over all kommuner, the peers' map). Their
names are still found here (``analysis.kommun_table``), lazily, for code written before the split.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild.core import fmt, lazy
from lagesbild.crime.groups import funnel_figures, funnel_of, kommungrupp_comparison, kommungrupp_rates
from lagesbild.crime.reported import (
    comparison_frame,
    indicator_figures,
    indicator_summary,
    kommun_table,
    order_indicators,
    populations,
    region_sums,
    with_comparison_counts,
)


@dataclass
class CrimeAnalysis:
    """Everything the crime report shows about one kommun (:func:`analyse`).

    Attributes
    ----------
    kommun : str
        The kommun's code.
    frame : pandas.DataFrame
        :func:`comparison_frame`: the kommun, its län and riket per category and year.
    table : pandas.DataFrame
        :func:`kommun_table`: every kommun.
    indicators : list of str
        Every category the kommun has, in report order (total, focus areas, the rest).
    sets : dict
        Category set (:data:`lagesbild.sources.categories.SETS`) → its categories in report order.
    focus : dict
        Focus area → :class:`lagesbild.sources.categories.FocusMatch`.
    summary : pandas.DataFrame
        :func:`indicator_summary` of every category.
    funnels : dict
        SOL category → its :class:`lagesbild.stats.funnel.Funnel` over all kommuner in the kommun's latest year that
        enough kommuner have.
    dispersion : dict
        Every category → :func:`funnel_figures` (over all kommuner that have it, in the kommun's latest
        year that at least :data:`MIN_FUNNEL_KOMMUNER` kommuner have; None when no year has): the variation
        between kommuner the summary's comparisons use.
    group, group_rates, group_comparison
        The kommun's SKR kommungrupp (:func:`kommungrupp_rates`, :func:`kommungrupp_comparison`).
    group_size : int
        How many kommuner the kommungrupp has (0 without a group).
    preliminary_years : list of int
        Years of the kommun's figures that may be Brå's preliminary ones.
    missing_population : dict
        Year → categories with a count or rate but no population that year.
    """

    kommun: str
    frame: pd.DataFrame
    table: pd.DataFrame
    indicators: list[str]
    sets: dict[str, list[str]]
    focus: dict
    summary: pd.DataFrame
    funnels: dict
    dispersion: dict
    group: str | None
    group_rates: pd.DataFrame
    group_comparison: pd.DataFrame
    group_size: int
    preliminary_years: list[int]
    missing_population: dict[int, list[str]]

    @property
    def available(self) -> bool:
        """Whether the data has any category for the kommun."""
        return len(self.summary) > 0

    def charted(self, indicators: list[str]) -> list[str]:
        """The categories among ``indicators`` with at least one rate to draw."""
        has = set(self.frame.loc[self.frame["rate"].notna(), "indicator"])
        return [i for i in indicators if i in has]

    def summary_of(self, indicators: list[str]) -> pd.DataFrame:
        """The summary rows of some categories, in their order."""
        s = self.summary.set_index("indicator")
        return s.loc[[i for i in indicators if i in s.index]].reset_index()

    def trends_of(self, indicators: list[str]) -> dict:
        """Category → its trend test (:func:`lagesbild.stats.counts.trend_test`, or None), for some categories."""
        return self.summary_of(indicators).set_index("indicator")["trend"].to_dict()

    def missing_population_in(self, indicators: list[str]) -> dict[int, list[str]]:
        """Year → those of ``indicators`` that lack a population that year (years without any left out)."""
        shown = {y: [i for i in inds if i in indicators] for y, inds in self.missing_population.items()}
        return {y: inds for y, inds in shown.items() if inds}

    @property
    def group_members(self) -> list[str]:
        """The codes of the kommungrupp's kommuner with figures (empty without a group)."""
        return self.group_rates["kommun_kod"].unique().tolist() if self.group else []


#: The national tables of the frames last given to :func:`national` (identity-keyed) and their funnels.
_NATIONAL: dict = {}


def national(crime: pd.DataFrame, population: pd.DataFrame, kommuner: pd.DataFrame
             ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Every kommun's table, the län and riket sums, and a cache of funnels: the same for every kommun.

    Computed once per process for the same three frames (by identity: the processed data a warm worker
    holds); a report forked from a process that computed them (the warm engine's warm-up) gets them done.
    They are shared, so callers must not change them (:func:`analyse` does not; tested).

    Returns
    -------
    (pops, table, sums, funnels)
        :func:`~lagesbild.crime.reported.populations`, :func:`~lagesbild.crime.reported.kommun_table`,
        :func:`~lagesbild.crime.reported.region_sums`, and a dict (indicator, year) → funnel or None that
        :func:`analyse` fills.

    Examples
    --------
    >>> from lagesbild.sources import processed
    >>> ds = processed.load()
    >>> national(ds.crime, ds.population, ds.kommuner)[1] is national(ds.crime, ds.population, ds.kommuner)[1]
    True
    """
    key = (id(crime), id(population), id(kommuner))
    kept = _NATIONAL.get("value")
    if kept is None or _NATIONAL.get("key") != key or _NATIONAL["frames"][0] is not crime:
        pops = populations(crime, population, kommuner)
        table = kommun_table(crime, kommuner, population, pops=pops)
        kept = (pops, table, region_sums(table, kommuner), {})
        _NATIONAL.update(key=key, frames=(crime, population, kommuner), value=kept)
    return kept


def analyse(crime: pd.DataFrame, population: pd.DataFrame, kommuner: pd.DataFrame, kommungrupper: pd.DataFrame,
            kommun: str, lan_kod: str, focus_areas: list[str], alpha: float = 0.05) -> CrimeAnalysis:
    """The crime report's analysis of one kommun: comparisons, tests, funnels and kommungrupp.

    Parameters
    ----------
    crime, population, kommuner, kommungrupper : pandas.DataFrame
        As :func:`lagesbild.sources.processed.load` gives them.
    kommun, lan_kod : str
    focus_areas : list of str
        The kommun's focus areas.
    alpha : float

    Returns
    -------
    CrimeAnalysis
    """
    from lagesbild.sources.categories import SETS, category_set, match_focus

    pops, table, sums, funnel_cache = national(crime, population, kommuner)
    frame = comparison_frame(crime, kommun, lan_kod, population, kommuner, table=table, sums=sums, pops=pops)
    indicators, _ = order_indicators(sorted(frame.loc[frame["level"] == "kommun", "indicator"].unique()), focus_areas)
    focus = match_focus(indicators, focus_areas)
    sets = {s: [i for i in indicators if category_set(i) == s] for s in SETS}
    summary = indicator_summary(frame, indicators, alpha=alpha)
    funnels, dispersion = {}, {}
    own_rows = table[(table["region_code"] == kommun) & table["count"].notna() & table["population"].notna()]
    for row in summary.itertuples():
        # the kommun's latest year in which enough kommuner have the category (a year only the kommun's own
        # export has, such as the year after the bundle ends, has no funnel)
        f, year = None, row.year_after
        for year in sorted(own_rows.loc[own_rows["indicator"] == row.indicator, "year"].astype(int), reverse=True):
            if (row.indicator, year) not in funnel_cache:
                funnel_cache[(row.indicator, year)] = funnel_of(table, row.indicator, year)
            f = funnel_cache[(row.indicator, year)]
            if f is not None:
                break
        dispersion[row.indicator] = funnel_figures(f, kommun, year)
        if category_set(row.indicator) == SETS[0] and f is not None:
            funnels[row.indicator] = f
    group, group_rates = kommungrupp_rates(table, kommungrupper, kommun, indicators)
    own = frame[frame["level"] == "kommun"]
    missing = own[own["population"].isna()]
    return CrimeAnalysis(
        kommun=kommun, frame=frame, table=table, indicators=indicators, sets={k: v for k, v in sets.items() if v}, focus=focus,
        summary=summary, funnels=funnels, dispersion=dispersion, group=group, group_rates=group_rates,
        group_comparison=kommungrupp_comparison(group_rates),
        group_size=int((kommungrupper["kommungrupp"] == group).sum()) if group else 0,
        preliminary_years=sorted(int(y) for y in own.loc[own["preliminary"], "year"].unique()),
        missing_population={int(y): sorted(g["indicator"].unique()) for y, g in missing.groupby("year")},
    )


def chart_panels(indicators: list[str], size: int = 6, most: int = 3) -> list[list[str]]:
    """The categories split into charts of ``size`` panels, at most ``most`` charts (the last takes the rest).

    Examples
    --------
    >>> [len(p) for p in chart_panels([str(i) for i in range(20)])]
    [6, 6, 8]
    >>> chart_panels(["A", "B"]), chart_panels([])
    ([['A', 'B']], [])
    """
    parts = [indicators[i * size:(i + 1) * size] for i in range(most - 1)] + [indicators[(most - 1) * size:]]
    return [p for p in parts if p]


@dataclass
class GroupChart:
    """What the kommungrupp chart can show (:func:`group_chart`).

    Attributes
    ----------
    comparison : pandas.DataFrame
        The rows of :attr:`CrimeAnalysis.group_comparison` the chart draws: those whose group median is above 0
        (the chart shows each kommun's rate relative to the median).
    rates : pandas.DataFrame
        :attr:`CrimeAnalysis.group_rates` of those categories.
    no_median : list of str
        The categories left out of the chart: the group's median is 0 (or missing).
    """

    comparison: pd.DataFrame
    rates: pd.DataFrame
    no_median: list[str]

    @property
    def drawable(self) -> bool:
        """Whether any category can be drawn."""
        return len(self.comparison) > 0


def group_chart(a: CrimeAnalysis) -> GroupChart:
    """Split the kommungrupp comparison into what the chart can draw and what only the table shows.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> comp = pd.DataFrame({"indicator": ["A", "B"], "median": [12.0, 0.0]})
    >>> rates = pd.DataFrame({"indicator": ["A", "A", "B"], "kommun_kod": ["2080", "2081", "2080"]})
    >>> g = group_chart(SimpleNamespace(group_comparison=comp, group_rates=rates))
    >>> g.comparison["indicator"].tolist(), len(g.rates), g.no_median, g.drawable
    (['A'], 2, ['B'], True)
    """
    comparison = a.group_comparison
    plotted = comparison.loc[comparison["median"] > 0, "indicator"]
    return GroupChart(comparison=comparison[comparison["indicator"].isin(plotted)],
                      rates=a.group_rates[a.group_rates["indicator"].isin(plotted)],
                      no_median=[i for i in comparison["indicator"] if i not in set(plotted)])


def funnel_table(a: CrimeAnalysis, kommun: str) -> pd.DataFrame:
    """Where the kommun lies in each funnel plot, as a report table (Swedish headers, formatted numbers).

    Parameters
    ----------
    a : CrimeAnalysis
    kommun : str

    Returns
    -------
    pandas.DataFrame
        ``Kategori, År, Kommunen, Riket (alla kommuner), 95 % gränser, 99,8 % gränser, Läge``, per 100 000
        inhabitants; the limits are those at the kommun's own population.
    """
    from lagesbild.stats import funnel

    words = {"high_998": "över 99,8 %-gränsen", "high_95": "över 95 %-gränsen", "inside": "inom gränserna",
             "low_95": "under 95 %-gränsen", "low_998": "under 99,8 %-gränsen", "": "–"}
    rows = []
    for indicator, f in a.funnels.items():
        if kommun not in f.units.index or not f.units.loc[kommun, "included"]:
            continue
        u = f.units.loc[kommun]
        year = a.dispersion[indicator]["year"]
        limits = [funnel.limits(f, [u["population"]], level) if f.has_limits else None for level in f.levels]
        rows.append({
            "Kategori": indicator, "År": str(year) + (" (prel.)" if year in a.preliminary_years else ""),
            "Kommunen": fmt.number(u["rate"]), "Riket (alla kommuner)": fmt.number(f.target_rate),
            "95 % gränser": "–" if limits[0] is None else f"{fmt.number(limits[0][0][0])}–{fmt.number(limits[0][1][0])}",
            "99,8 % gränser": "–" if limits[1] is None else f"{fmt.number(limits[1][0][0])}–{fmt.number(limits[1][1][0])}",
            "Läge": words.get(str(u["zone"]), "–"),
        })
    return pd.DataFrame(rows, columns=["Kategori", "År", "Kommunen", "Riket (alla kommuner)", "95 % gränser",
                                       "99,8 % gränser", "Läge"])


def key_figures(title: str, cfg, a: CrimeAnalysis, types: pd.DataFrame | None, month_end) -> dict:
    """The crime report's key figures (``reports/<kommun>/crime_trends.json``), read by the lägesbild summary.

    Parameters
    ----------
    title : str
    cfg : lagesbild.run.params.KommunConfig
    a : CrimeAnalysis
    types : pandas.DataFrame or None
        :func:`type_table` of the kommun's police events (None: no comparable events).
    month_end : pandas.Timestamp or None
        Last month of comparable events.

    Returns
    -------
    dict
        JSON-ready. ``indicators`` holds every category's :func:`indicator_figures` record with the
        counts, populations and bases of :func:`with_comparison_counts` and, under ``dispersion``, its
        :func:`funnel_figures` (the variation between kommuner the summary's comparisons use).
    """
    records = with_comparison_counts(indicator_figures(a.summary), a.frame) if a.available else []
    for rec in records:
        rec["dispersion"] = a.dispersion.get(rec["indicator"])
    tested = a.summary[a.summary["change"].map(lambda c: c is not None)] if a.available else a.summary
    own = a.frame[a.frame["level"] == "kommun"]
    return {
        "title": title, "kommun": cfg.kommun, "name": cfg.name, "lan": cfg.lan,
        "bra_available": bool(a.available),
        "bra_latest_year": int(a.summary["year_after"].max()) if a.available else None,
        "detectable_increases": [r.indicator for r in tested.itertuples() if r.change.detectable and r.change.rate_ratio > 1],
        "detectable_decreases": [r.indicator for r in tested.itertuples() if r.change.detectable and r.change.rate_ratio < 1],
        "focus_areas": {f: m.all for f, m in a.focus.items()},
        "focus_broader": {f: m.broader for f, m in a.focus.items() if m.broader},
        "sets": a.sets,
        "indicators": records,
        "preliminary_years": a.preliminary_years,
        "missing_population": {str(y): inds for y, inds in a.missing_population.items()},
        "derived_count_years": sorted(int(y) for y in own.loc[own["count_derived"], "year"].unique()),
        "events_last_12_months": int(types["recent"].sum()) if types is not None else None,
        "events_period_end": month_end.strftime("%Y-%m") if month_end is not None else None,
        "kommungrupp": a.group,
        "kommungrupp_comparison": a.group_comparison.to_dict("records"),
    }


__getattr__ = lazy.also_in(__name__, "lagesbild.crime.reported", "lagesbild.crime.events", "lagesbild.crime.groups")
