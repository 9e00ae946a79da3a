"""Reported-crime (Brå) and police-event tables for one kommun, ready to chart and narrate.

Functions in, frames out: every function takes the frames that :mod:`lagesbild.sources.processed` loads
and returns a new frame; nothing here reads files or draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.units import COUNT_UNIT, RATE_UNIT
from lagesbild.stats.counts import (
    ChangeTest,
    poisson_change,
    weekday_hour_matrix,  # noqa: F401  (notebooks call crime.weekday_hour_matrix)
)

TOTAL = "Totalt antal anmälda brott"
RIKET = "00"
LEVELS = ("kommun", "län", "riket")


def population_from_totals(crime: pd.DataFrame) -> pd.DataFrame:
    """Population per region and year implied by Brå's own count and rate of all reported crime.

    Brå publishes each indicator as a count and as a rate per 100 000 inhabitants using its own
    population figures; ``count / rate × 100 000`` of the largest indicator (all reported crime)
    recovers that population to within the rate's rounding (< 0,1 % for a kommun with 1 000
    crimes). This keeps counts, rates and exposures consistent for every year Brå covers, also
    after the last year of the bundled SCB table.

    Parameters
    ----------
    crime : pandas.DataFrame
        Schema ``CRIME``.

    Returns
    -------
    pandas.DataFrame
        ``region_code, year, population`` (float).

    Examples
    --------
    >>> c = pd.DataFrame({"region_code": ["2080", "2080"], "region_name": ["Falun"] * 2, "year": [2024, 2024],
    ...                   "indicator": [TOTAL] * 2, "unit": ["Antal", "Antal per 100 000 inv"], "value": [4697.0, 7833.0]})
    >>> round(population_from_totals(c)["population"].iloc[0])
    59964
    """
    tot = crime[crime["indicator"] == TOTAL].pivot_table(index=["region_code", "year"], columns="unit", values="value")
    if COUNT_UNIT not in tot or RATE_UNIT not in tot:
        return pd.DataFrame(columns=["region_code", "year", "population"])
    pop = (tot[COUNT_UNIT] / tot[RATE_UNIT] * 100_000).rename("population").dropna()
    return pop.reset_index()


def region_populations(population: pd.DataFrame, kommuner: pd.DataFrame) -> pd.DataFrame:
    """Population per kommun, län and riket and year from SCB's kommun table.

    A län's population is the sum over its kommuner and riket's the sum over all kommuner, but
    only for years in which every one of those kommuner has a figure: a partial sum would be a
    wrong population, not a smaller one.

    Parameters
    ----------
    population : pandas.DataFrame
        Schema ``POPULATION`` (``kommun_kod, kommun, year, population``).
    kommuner : pandas.DataFrame
        The kommun table (``kommun_kod, lan_kod``), which says which kommuner a län has.

    Returns
    -------
    pandas.DataFrame
        ``region_code, year, population`` (float); region codes as in Brå's data (``00`` riket).

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["2080", "2081", "0114"], "lan_kod": ["20", "20", "01"]})
    >>> pop = pd.DataFrame({"kommun_kod": ["2080", "2081", "0114", "2080"], "kommun": ["Falun", "Borlänge", "Upplands Väsby", "Falun"],
    ...                     "year": [2024, 2024, 2024, 2025], "population": [59686, 52000, 48000, 60000]})
    >>> r = region_populations(pop, k)  # 2025: only Falun has a figure, so no län or riket population
    >>> r[r["year"] == 2024].set_index("region_code")["population"].to_dict()
    {'00': 159686.0, '01': 48000.0, '0114': 48000.0, '20': 111686.0, '2080': 59686.0, '2081': 52000.0}
    >>> r[r["year"] == 2025]["region_code"].tolist()
    ['2080']
    """
    cols = ["region_code", "year", "population"]
    pop = population[population["kommun_kod"].isin(kommuner["kommun_kod"])]
    out = [pop.rename(columns={"kommun_kod": "region_code"})[cols]]
    lan_of = dict(zip(kommuner["kommun_kod"], kommuner["lan_kod"], strict=True))
    size = kommuner.groupby("lan_kod")["kommun_kod"].nunique()
    with_lan = pop.assign(lan_kod=pop["kommun_kod"].map(lan_of))
    lan = with_lan.groupby(["lan_kod", "year"]).agg(population=("population", "sum"), n=("kommun_kod", "nunique")).reset_index()
    lan = lan[lan["n"] == lan["lan_kod"].map(size)]
    out.append(lan.rename(columns={"lan_kod": "region_code"})[cols])
    riket = pop.groupby("year").agg(population=("population", "sum"), n=("kommun_kod", "nunique")).reset_index()
    riket = riket[riket["n"] == kommuner["kommun_kod"].nunique()].assign(region_code=RIKET)
    out.append(riket[cols])
    df = pd.concat(out, ignore_index=True).astype({"population": float})
    return df.sort_values(["region_code", "year"]).reset_index(drop=True)


def mean_populations(year_end: pd.DataFrame) -> pd.DataFrame:
    """Each year's mean population: the average of 31 December the year before and of the year.

    Brå's rates per 100 000 inhabitants divide by this mean, not by the year-end figure: Falun's
    2018 count and rate imply 58 631 inhabitants, SCB's year-end figures 58 340 (2017) and
    58 923 (2018) average 58 631,5 (the year-end figure is 0,5 % off).

    Parameters
    ----------
    year_end : pandas.DataFrame
        ``region_code, year, population`` at 31 December (:func:`region_populations`).

    Returns
    -------
    pandas.DataFrame
        ``region_code, year, population`` for the years whose previous year is there too.

    Examples
    --------
    >>> pop = pd.DataFrame({"region_code": ["2080", "2080", "2080"], "year": [2017, 2018, 2020],
    ...                     "population": [58340.0, 58923.0, 59000.0]})
    >>> mean_populations(pop).to_dict("records")
    [{'region_code': '2080', 'year': 2018, 'population': 58631.5}]
    """
    cols = ["region_code", "year", "population"]
    before = year_end[cols].assign(year=year_end["year"] + 1).rename(columns={"population": "before"})
    both = year_end[cols].merge(before, on=["region_code", "year"])
    both["population"] = (both["population"] + both["before"]) / 2
    return both[cols].reset_index(drop=True)


#: Where a population comes from (``population_basis``): Brå's own divisor (its count and rate of all
#: reported crime), SCB's mean population of the year (the mean of two year-ends), SCB's year-end figure.
POPULATION_BASES = ("brå", "scb_medel", "scb_31dec")
#: Where a län's or riket's figures come from (``basis``): the sum over its kommuner, or Brå's own figure.
SUM, OWN = "summa", "brå"
_FRAME_COLUMNS = ["region_code", "region_name", "level", "indicator", "year", "count", "rate", "population",
                  "count_derived", "rate_derived", "basis", "population_basis", "n_kommuner", "preliminary"]


def populations(crime: pd.DataFrame, population: pd.DataFrame | None = None,
                kommuner: pd.DataFrame | None = None) -> pd.DataFrame:
    """The population to divide by, per region and year, and where it comes from.

    In order of preference: the population **Brå divides by**, recovered from Brå's own count and rate
    of all reported crime (:func:`population_from_totals`; bundled for every kommun 2015–2025);
    otherwise **SCB's mean population** of the year (:func:`mean_populations`; the bundled SCB table
    ends in 2019, fetched or local SCB files add later years); otherwise SCB's year-end figure
    (up to about 0,6 % off Brå's). Län and riket get SCB's sums only for years in which every kommun has
    a figure (:func:`region_populations`).

    Parameters
    ----------
    crime : pandas.DataFrame
        Schema ``CRIME``.
    population, kommuner : pandas.DataFrame, optional
        SCB's population per kommun (schema ``POPULATION``) and the kommun table.

    Returns
    -------
    pandas.DataFrame
        ``region_code, year, population, population_basis`` (one of :data:`POPULATION_BASES`).

    Examples
    --------
    >>> c = pd.DataFrame({"region_code": ["2080", "2080"], "region_name": "Falun", "year": 2024, "indicator": TOTAL,
    ...                   "unit": [COUNT_UNIT, RATE_UNIT], "value": [4697.0, 7833.0]})
    >>> pop = pd.DataFrame({"kommun_kod": ["2080"] * 3, "kommun": "Falun", "year": [2023, 2024, 2025],
    ...                     "population": [59500, 59900, 60100]})
    >>> k = pd.DataFrame({"kommun_kod": ["2080"], "lan_kod": ["20"]})
    >>> p = populations(c, pop, k)
    >>> p[p["region_code"] == "2080"][["year", "population_basis"]].values.tolist()
    [[2023, 'scb_31dec'], [2024, 'brå'], [2025, 'scb_medel']]
    """
    cols = ["region_code", "year", "population", "population_basis"]
    parts = [population_from_totals(crime).assign(population_basis="brå")]
    if population is not None and kommuner is not None and len(population):
        end = region_populations(population, kommuner)
        parts += [mean_populations(end).assign(population_basis="scb_medel"), end.assign(population_basis="scb_31dec")]
    df = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else pd.DataFrame(columns=cols)
    df = df.drop_duplicates(["region_code", "year"], keep="first")  # the order above is the preference
    return df[cols].astype({"population": float}).sort_values(["region_code", "year"]).reset_index(drop=True)


def _wide(crime: pd.DataFrame) -> pd.DataFrame:
    """Crime rows as one row per region, indicator and year with ``count``, ``rate`` and ``preliminary``."""
    cols = ["region_code", "region_name", "indicator", "year", "count", "rate", "preliminary"]
    if crime.empty:
        return pd.DataFrame(columns=cols)
    key = ["region_code", "indicator", "year"]
    values = crime.set_index([*key, "unit"])["value"].unstack("unit")
    out = pd.DataFrame(index=values.index)
    out["count"] = values[COUNT_UNIT] if COUNT_UNIT in values else float("nan")
    out["rate"] = values[RATE_UNIT] if RATE_UNIT in values else float("nan")
    out = out.dropna(how="all").reset_index()
    extra = crime.assign(preliminary=crime["preliminary"] if "preliminary" in crime.columns else False)
    extra = extra.groupby(key, sort=False).agg(region_name=("region_name", "first"), preliminary=("preliminary", "any"))
    out = out.merge(extra.reset_index(), on=key, how="left")
    return out[cols]


def _complete(df: pd.DataFrame, pops: pd.DataFrame) -> pd.DataFrame:
    """Add the population and derive the missing one of count and rate from the other (flagged)."""
    df = df.merge(pops, on=["region_code", "year"], how="left")
    count_derived = df["count"].isna() & df["rate"].notna() & df["population"].notna()
    rate_derived = df["rate"].isna() & df["count"].notna() & df["population"].notna() & (df["population"] > 0)
    df["count"] = df["count"].where(~count_derived, (df["rate"] * df["population"] / 100_000).round())
    df["rate"] = df["rate"].where(~rate_derived, df["count"] / df["population"] * 100_000)
    df["count_derived"], df["rate_derived"] = count_derived, rate_derived
    return df


def kommun_table(crime: pd.DataFrame, kommuner: pd.DataFrame, population: pd.DataFrame | None = None, *,
                 pops: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every kommun's count, rate and population per category and year: the base of every comparison.

    The rate is Brå's where Brå gives it; otherwise it is computed from the count and the population
    Brå divides by (:func:`populations`; flagged ``rate_derived``). A rate without a count (Kolada) gets
    a count derived with the population (``count_derived``); without a population, either stays missing.

    Parameters
    ----------
    crime : pandas.DataFrame
        Schema ``CRIME`` (every region; only kommuner are kept).
    kommuner : pandas.DataFrame
        The kommun table (``kommun_kod, lan_kod``).
    population : pandas.DataFrame, optional
        SCB's population per kommun, for years without Brå's own population.
    pops : pandas.DataFrame, optional
        :func:`populations` computed already.

    Returns
    -------
    pandas.DataFrame
        ``region_code, region_name, lan_kod, indicator, year, count, rate, population, population_basis,
        count_derived, rate_derived, preliminary``.

    Examples
    --------
    >>> c = pd.DataFrame({"region_code": "2080", "region_name": "Falun", "year": 2024,
    ...                   "indicator": [TOTAL, TOTAL, "Inbrottsstöld i bostad"],
    ...                   "unit": [COUNT_UNIT, RATE_UNIT, COUNT_UNIT], "value": [4697.0, 7833.0, 120.0]})
    >>> k = pd.DataFrame({"kommun_kod": ["2080"], "lan_kod": ["20"]})
    >>> t = kommun_table(c, k).set_index("indicator")
    >>> round(float(t.loc["Inbrottsstöld i bostad", "rate"]), 1), bool(t.loc["Inbrottsstöld i bostad", "rate_derived"])
    (200.1, True)
    """
    lan_of = dict(zip(kommuner["kommun_kod"], kommuner["lan_kod"], strict=True))
    rows = _wide(crime[crime["region_code"].isin(lan_of)])
    df = _complete(rows, pops if pops is not None else populations(crime, population, kommuner))
    df["lan_kod"] = df["region_code"].map(lan_of)
    cols = ["region_code", "region_name", "lan_kod", "indicator", "year", "count", "rate", "population",
            "population_basis", "count_derived", "rate_derived", "preliminary"]
    return df[cols].astype({"count": float, "rate": float, "population": float, "count_derived": bool,
                            "rate_derived": bool, "preliminary": bool}).reset_index(drop=True)


def region_sums(table: pd.DataFrame, kommuner: pd.DataFrame) -> pd.DataFrame:
    """Each län's and riket's count, population and rate as the **sum over its kommuner**.

    A sum is marked ``complete`` only when every kommun of the region has both a count and a
    population for the category and year; an incomplete sum is a wrong total, not a smaller one, and
    is never used. Brå's own national total is larger than the sum over the kommuner: some 250 000
    crimes a year are not placed in any kommun (fraud with an unknown place of crime, for example), so
    "riket" here means "all kommuner together", and reports say so.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`kommun_table`.
    kommuner : pandas.DataFrame
        The kommun table (``kommun_kod, lan_kod``): which kommuner a län has.

    Returns
    -------
    pandas.DataFrame
        ``region_code, indicator, year, count, population, rate, n_kommuner, complete, preliminary``.

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["2080", "2081", "0114"], "lan_kod": ["20", "20", "01"]})
    >>> t = pd.DataFrame({"region_code": ["2080", "2081", "0114"], "lan_kod": ["20", "20", "01"], "indicator": TOTAL,
    ...                   "year": 2024, "count": [4697.0, 6000.0, 3000.0], "population": [59900.0, 48000.0, 48000.0],
    ...                   "preliminary": False})
    >>> s = region_sums(t, k).set_index("region_code")
    >>> s.loc["20", "count"], int(s.loc["20", "n_kommuner"]), bool(s.loc["20", "complete"])
    (np.float64(10697.0), 2, True)
    >>> round(float(s.loc["00", "rate"]))  # 13 697 crimes among 155 900 inhabitants
    8786
    """
    valid = table["count"].notna() & table["population"].notna()
    t = table[valid].assign(riket=RIKET)
    size = kommuner.groupby("lan_kod")["kommun_kod"].nunique().to_dict() | {RIKET: kommuner["kommun_kod"].nunique()}
    parts = []
    for column in ("lan_kod", "riket"):
        g = t.groupby([column, "indicator", "year"], sort=False).agg(
            count=("count", "sum"), population=("population", "sum"), n_kommuner=("region_code", "nunique"),
            preliminary=("preliminary", "any")).reset_index().rename(columns={column: "region_code"})
        parts.append(g)
    df = pd.concat(parts, ignore_index=True)
    df["complete"] = df["n_kommuner"] == df["region_code"].map(size)
    df["rate"] = df["count"] / df["population"] * 100_000
    cols = ["region_code", "indicator", "year", "count", "population", "rate", "n_kommuner", "complete", "preliminary"]
    return df[cols].reset_index(drop=True)


def comparison_frame(crime: pd.DataFrame, kommun: str, lan_kod: str, population: pd.DataFrame | None = None,
                     kommuner: pd.DataFrame | None = None, *, table: pd.DataFrame | None = None,
                     sums: pd.DataFrame | None = None, pops: pd.DataFrame | None = None) -> pd.DataFrame:
    """The kommun, its län and riket side by side: one row per level, category and year.

    The kommun's rows come from :func:`kommun_table`. For the län and riket, each category gets **one
    basis for all its years**, so a series never jumps between two measures: the sum over the region's
    kommuner (:func:`region_sums`, ``basis`` ``"summa"``) when that sum is complete in at least one year
    (then only complete years are shown), otherwise Brå's own figure for the region (``basis`` ``"brå"``;
    the kommunindikatorer have Brå's län and riket). So for Brå's six categories of all kommuner, "riket"
    is the sum over all 290 kommuner (comparable with a kommun: Brå's own national total also counts the
    crimes that belong to no kommun); for Dalarna's kommunindikatorer it is Brå's riket.

    Parameters
    ----------
    crime : pandas.DataFrame
        Schema ``CRIME``.
    kommun, lan_kod : str
        The kommun's four-digit code and its two-digit län code.
    population, kommuner : pandas.DataFrame, optional
        SCB's population per kommun and the kommun table. Without ``kommuner`` there are no sums
        (only Brå's own län and riket rows) and no kommun table beyond the kommun itself.
    table, sums, pops : pandas.DataFrame, optional
        :func:`kommun_table`, :func:`region_sums` and :func:`populations` computed already (a report computes
        them once).

    Returns
    -------
    pandas.DataFrame
        ``region_code, region_name, level, indicator, year, count, rate, population, count_derived,
        rate_derived, basis, population_basis, n_kommuner, preliminary``; empty when the data has no rows
        for the kommun.

    Examples
    --------
    >>> c = pd.DataFrame({"region_code": ["2080", "2080", "00"], "region_name": ["Falun", "Falun", "Hela landet"],
    ...     "year": [2024] * 3, "indicator": ["Bilbrott"] * 3, "unit": ["Antal", "Antal per 100 000 inv", "Antal"],
    ...     "value": [45.0, 75.0, 50000.0]})
    >>> comparison_frame(c, "2080", "20")[["level", "count", "rate", "basis"]].to_dict("records")
    [{'level': 'kommun', 'count': 45.0, 'rate': 75.0, 'basis': 'kommun'}, {'level': 'riket', 'count': 50000.0, 'rate': nan, 'basis': 'brå'}]

    A rate without a count (as Kolada gives it) gets a derived count from SCB's population:

    >>> k = pd.DataFrame({"kommun_kod": ["2080"], "lan_kod": ["20"]})
    >>> pop = pd.DataFrame({"kommun_kod": ["2080"], "kommun": ["Falun"], "year": [2025], "population": [60000]})
    >>> c2 = pd.DataFrame({"region_code": ["2080"], "region_name": ["Falun"], "year": [2025], "indicator": ["Bilbrott"],
    ...                    "unit": ["Antal per 100 000 inv"], "value": [81.7]})
    >>> comparison_frame(c2, "2080", "20", pop, k)[["level", "count", "rate", "population", "count_derived"]].to_dict("records")[0]
    {'level': 'kommun', 'count': 49.0, 'rate': 81.7, 'population': 60000.0, 'count_derived': True}
    """
    if not (crime["region_code"] == kommun).any():
        return pd.DataFrame(columns=_FRAME_COLUMNS)
    pops = pops if pops is not None else populations(crime, population, kommuner)
    known_kommuner = kommuner is not None
    if kommuner is None:
        kommuner = pd.DataFrame({"kommun_kod": [kommun], "lan_kod": [lan_kod]})
    if table is None:
        table = kommun_table(crime, kommuner, population)
    if sums is None:
        # without the kommun table the kommun would be its län's and riket's only kommun: no sums
        sums = region_sums(table if known_kommuner else table.iloc[:0], kommuner)
    own = table[table["region_code"] == kommun].assign(level="kommun", basis="kommun", n_kommuner=1)
    parts = [own]
    lan_names = dict(zip(kommuner["lan_kod"], kommuner["lan"], strict=False)) if "lan" in kommuner.columns else {}
    regions = _complete(_wide(crime[crime["region_code"].isin([lan_kod, RIKET])]), pops)
    for level, code in (("län", lan_kod), ("riket", RIKET)):
        summed = sums[(sums["region_code"] == code) & sums["complete"] & sums["indicator"].isin(own["indicator"])]
        brå = regions[(regions["region_code"] == code) & regions["indicator"].isin(own["indicator"])
                      & ~regions["indicator"].isin(summed["indicator"])]
        name = "Riket" if code == RIKET else lan_names.get(code, code)
        parts.append(summed.assign(level=level, basis=SUM, region_name=name, population_basis="summa",
                                   count_derived=False, rate_derived=True))
        parts.append(brå.assign(level=level, basis=OWN, n_kommuner=pd.NA))
    wide = pd.concat([p for p in parts if len(p)], ignore_index=True)
    for col, default in (("preliminary", False), ("count_derived", False), ("rate_derived", False)):
        wide[col] = wide[col].astype(object).where(wide[col].notna(), default).astype(bool)
    wide["level"] = pd.Categorical(wide["level"], LEVELS, ordered=True)
    wide = wide.sort_values(["level", "indicator", "year"]).reset_index(drop=True)
    wide["level"] = wide["level"].astype(str)
    return wide[_FRAME_COLUMNS].astype({"count": float, "rate": float, "population": float})


def order_indicators(indicators: list[str], focus_areas: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """All reported crime first, then the kommun's focus areas, then the rest in report order.

    A focus area matches the categories of both bundled sets (:func:`lagesbild.sources.categories.match_focus`):
    every category whose name begins with it (case-insensitive), so ``"Våld i offentlig miljö"`` matches
    the three kommunindikatorer of violence in public places, and, where no SOL category begins with it,
    the broader SOL category of its theme (here *Brott mot person*), which every kommun has.

    Returns
    -------
    (ordered, matches) : tuple
        ``ordered`` all indicators: the total, the focus ones (in focus order), the rest (SOL's, then the
        kommunindikatorer, then any other, :func:`lagesbild.sources.categories.set_order`); ``matches`` maps each
        focus area to its categories (an empty list if it matched none — say so in the report).

    Examples
    --------
    >>> order_indicators(["Bilbrott", "Narkotikabrott", TOTAL, "Våld i offentlig miljö mot vuxna"], ["narkotika", "Våld i offentlig miljö", "Klotter"])
    (['Totalt antal anmälda brott', 'Narkotikabrott', 'Våld i offentlig miljö mot vuxna', 'Bilbrott'], {'narkotika': ['Narkotikabrott'], 'Våld i offentlig miljö': ['Våld i offentlig miljö mot vuxna'], 'Klotter': []})
    """
    from lagesbild.sources.categories import match_focus, set_order

    found = match_focus(list(indicators), focus_areas)
    matches = {f: m.all for f, m in found.items()}
    rest = set_order(list(indicators))
    first = [TOTAL] if TOTAL in indicators else []
    first = list(dict.fromkeys(first + [i for f in focus_areas for i in matches[f]]))
    return first + [i for i in rest if i not in first], matches


#: Why a category's change or trend test cannot run (codes; Swedish in :mod:`lagesbild.crime.text`).
NO_PREVIOUS_YEAR = "no_previous_year"
NO_COUNTS = "no_counts"
NO_POPULATION = "no_population"


def _test_reason(rows: pd.DataFrame) -> str:
    if rows["count"].isna().any():
        return NO_COUNTS if rows["population"].isna().any() or rows["rate"].notna().all() else NO_POPULATION
    return NO_POPULATION


def indicator_summary(frame: pd.DataFrame, indicators: list[str], alpha: float = 0.05) -> pd.DataFrame:
    """Per category: the kommun's last two years with an E-test, its long-run trend, and län/riket.

    Every category the kommun has gets a row, also when a test cannot run: a category with rates but
    no counts and no population (a Kolada or rate-only export for a year without a population), counts
    without a population, or a single year. Then ``change`` (and, with fewer than two usable years,
    ``trend``) is None and ``change_reason`` says why (:data:`NO_PREVIOUS_YEAR`, :data:`NO_COUNTS`,
    :data:`NO_POPULATION`); the report says it in words.

    Parameters
    ----------
    frame : pandas.DataFrame
        Output of :func:`comparison_frame`.
    indicators : list of str
        In report order.
    alpha : float
        Significance level.

    Returns
    -------
    pandas.DataFrame
        One row per indicator with kommun data: ``indicator, year_before, year_after, count_before,
        count_after, rate_before, rate_after, rate_lan, rate_riket, population_after, preliminary,
        change`` (:class:`~lagesbild.stats.counts.ChangeTest` or None) ``, change_reason, trend``
        (:class:`~lagesbild.stats.counts.TrendTest` or None) ``, missing_population`` (years of the series whose
        count or rate has no population: list of int).

    Examples
    --------
    >>> f = pd.DataFrame({"level": "kommun", "indicator": "Cykelstöld", "year": [2025, 2026],
    ...                   "count": [120.0, 150.0], "rate": [200.0, float("nan")], "population": [60000.0, float("nan")],
    ...                   "preliminary": False})
    >>> s = indicator_summary(f, ["Cykelstöld"]).iloc[0]
    >>> s["change"] is None, s["change_reason"], s["missing_population"]
    (True, 'no_population', [2026])
    """
    from lagesbild.stats import counts as stats

    cols = ["indicator", "year_before", "year_after", "count_before", "count_after", "rate_before", "rate_after",
            "rate_lan", "rate_riket", "population_after", "preliminary", "change", "change_reason", "trend",
            "missing_population"]
    rows = []
    kommun = frame[frame["level"] == "kommun"]
    for ind in indicators:
        k = kommun[(kommun["indicator"] == ind) & (kommun["count"].notna() | kommun["rate"].notna())].sort_values("year")
        if k.empty:
            continue
        a = k.iloc[-1]
        b = k.iloc[-2] if len(k) > 1 else None
        latest = frame[(frame["indicator"] == ind) & (frame["year"] == a["year"])].set_index("level")["rate"]
        usable = k.dropna(subset=["count", "population"])
        change, reason = None, ""
        if b is None:
            reason = NO_PREVIOUS_YEAR
        elif pd.notna(a["count"]) and pd.notna(b["count"]) and pd.notna(a["population"]) and pd.notna(b["population"]):
            change = stats.poisson_change(int(b["count"]), int(a["count"]), float(b["population"]),
                                          float(a["population"]), alpha=alpha)
        else:
            reason = _test_reason(k.iloc[-2:])
        trend = (stats.trend_test(usable["year"].astype(int).tolist(), usable["count"].astype(int).tolist(),
                                  usable["population"].tolist(), alpha=alpha) if len(usable) >= 2 else None)
        rows.append({
            "indicator": ind,
            "year_before": int(b["year"]) if b is not None else None, "year_after": int(a["year"]),
            "count_before": b["count"] if b is not None else float("nan"), "count_after": a["count"],
            "rate_before": b["rate"] if b is not None else float("nan"), "rate_after": a["rate"],
            "rate_lan": latest.get("län", float("nan")), "rate_riket": latest.get("riket", float("nan")),
            "population_after": a["population"], "preliminary": bool(a.get("preliminary", False)),
            "change": change, "change_reason": reason, "trend": trend,
            "missing_population": [int(y) for y in k.loc[k["population"].isna(), "year"]],
        })
    return pd.DataFrame(rows, columns=cols)


#: Event types that bundle several events into one notice (counted, they would distort every figure).
SUMMARY_PREFIX = "Sammanfattning"


def kommun_events(events: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """The police events placed in one kommun (not those only placed in its län), without summaries.

    Notices of the types "Sammanfattning natt", "Sammanfattning kväll och natt" … bundle several
    events into one text published in the morning; they are left out.

    Examples
    --------
    >>> ev = pd.DataFrame({"kommun_kod": ["2080", None, "2081", "2080"], "type": ["Stöld", "Brand", "Rån", "Sammanfattning natt"]})
    >>> kommun_events(ev, "2080")["type"].tolist()
    ['Stöld']
    """
    keep = (events["kommun_kod"] == kommun) & ~events["type"].astype(str).str.startswith(SUMMARY_PREFIX)
    return events[keep].reset_index(drop=True)


def event_coverage(events: pd.DataFrame, volume_share: float = 0.5,
                   placed_share: float = 0.75) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The complete months in which the archive can be compared at kommun level.

    A month counts when the archive holds at least ``volume_share`` × the median monthly number
    of events (the scraper was running) and the share of events placed in a kommun is at least
    ``placed_share`` × its median (the police still named the kommun: since January 2026
    polisen.se names only the län). Returns the first and last such month (month starts), or
    None when no month qualifies (an archive placed only at län level): the report then says so.

    Examples
    --------
    >>> months = pd.date_range("2023-01-01", periods=6, freq="MS").tz_localize("Europe/Stockholm")
    >>> t = months.repeat([1, 10, 10, 10, 10, 10]) + pd.Timedelta(hours=12)
    >>> placed = ["0114"] * 41 + [None] * 10
    >>> event_coverage(pd.DataFrame({"datetime": t, "kommun_kod": placed}))
    (Timestamp('2023-02-01 00:00:00'), Timestamp('2023-05-01 00:00:00'))
    """
    month = events["datetime"].dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    volume = month.value_counts().sort_index()
    placed = events["kommun_kod"].notna().groupby(month).mean().reindex(volume.index)
    ok = (volume >= volume_share * volume.median()) & (placed >= placed_share * placed.median())
    first, last = complete_months(events)
    ok = ok[(ok.index >= first) & (ok.index <= last)]
    good = ok.index[ok.to_numpy()]
    if not len(good) or not events["kommun_kod"].notna().any():
        return None
    return good.min(), good.max()


def complete_months(events: pd.DataFrame, first: pd.Timestamp | None = None, last: pd.Timestamp | None = None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last *complete* calendar month covered by an event archive (month starts, naive).

    The archive's first and last months are usually partial (it starts and ends mid-month);
    counting them would show a false drop. Pass ``first``/``last`` (timestamps) to take the span
    from the whole archive rather than from one kommun's events.

    Examples
    --------
    >>> t = pd.to_datetime(["2022-09-26 10:00", "2023-01-31 23:00"]).tz_localize("Europe/Stockholm")
    >>> complete_months(pd.DataFrame({"datetime": t}))
    (Timestamp('2022-10-01 00:00:00'), Timestamp('2023-01-01 00:00:00'))
    """
    first = first if first is not None else events["datetime"].min()
    last = last if last is not None else events["datetime"].max()
    start = pd.Timestamp(first.year, first.month, 1)
    if (first.day, first.hour, first.minute) != (1, 0, 0):
        start = start + pd.offsets.MonthBegin(1)
    end = pd.Timestamp(last.year, last.month, 1)
    if (last + pd.Timedelta(days=1)).month == last.month:  # last day of the month not reached
        end = end - pd.offsets.MonthBegin(1)
    return start, end


def monthly_counts(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Events per type and month from ``start`` to ``end`` (month starts, inclusive), zeros included.

    Examples
    --------
    >>> t = pd.to_datetime(["2023-01-05", "2023-03-02"]).tz_localize("Europe/Stockholm")
    >>> m = monthly_counts(pd.DataFrame({"datetime": t, "type": ["Stöld", "Stöld"]}), pd.Timestamp("2023-01-01"), pd.Timestamp("2023-03-01"))
    >>> m["count"].tolist()
    [1, 0, 1]
    """
    months = pd.date_range(start, end, freq="MS")
    month = events["datetime"].dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    inside = (month >= start) & (month <= end)
    counts = events[inside].assign(month=month[inside]).groupby(["type", "month"]).size()
    types = sorted(events.loc[inside, "type"].unique())
    full = pd.MultiIndex.from_product([types, months], names=["type", "month"])
    out = counts.reindex(full, fill_value=0).rename("count").reset_index()
    return out[["month", "type", "count"]].astype({"count": "int64"})


def in_months(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """The events from the first day of month ``start`` to the last day of month ``end``.

    Examples
    --------
    >>> t = pd.to_datetime(["2023-12-31 23:59", "2024-01-01 00:00", "2024-02-29 23:59", "2024-03-01 00:00"]).tz_localize("Europe/Stockholm")
    >>> len(in_months(pd.DataFrame({"datetime": t}), pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")))
    2
    """
    month = events["datetime"].dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    return events[(month >= start) & (month <= end)].reset_index(drop=True)


def type_table(events: pd.DataFrame, end: pd.Timestamp, months: int = 12) -> pd.DataFrame:
    """Events per type in the last ``months`` complete months to ``end`` and the months before.

    Returns
    -------
    pandas.DataFrame
        ``type, recent, previous`` sorted by ``recent`` descending.

    Examples
    --------
    >>> t = pd.to_datetime(["2024-12-05", "2023-12-05", "2023-11-05"]).tz_localize("Europe/Stockholm")
    >>> type_table(pd.DataFrame({"datetime": t, "type": ["Stöld"] * 3}), pd.Timestamp("2024-12-01")).to_dict("records")
    [{'type': 'Stöld', 'recent': 1, 'previous': 2}]
    """
    month = events["datetime"].dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    recent_start = end - pd.DateOffset(months=months - 1)
    prev_start = recent_start - pd.DateOffset(months=months)
    recent = events[(month >= recent_start) & (month <= end)].groupby("type").size()
    previous = events[(month >= prev_start) & (month < recent_start)].groupby("type").size()
    out = pd.concat({"recent": recent, "previous": previous}, axis=1).fillna(0).astype("int64")
    out.index.name = "type"
    return out.reset_index().sort_values(["recent", "previous", "type"], ascending=[False, False, True]).reset_index(drop=True)


def window_labels(end: pd.Timestamp, months: int = 12) -> tuple[str, str]:
    """Swedish labels of the two windows :func:`type_table` compares (previous, recent).

    Examples
    --------
    >>> window_labels(pd.Timestamp("2025-12-01"))
    ('jan 2024–dec 2024', 'jan 2025–dec 2025')
    """
    recent_start = end - pd.DateOffset(months=months - 1)
    prev_start, prev_end = recent_start - pd.DateOffset(months=months), recent_start - pd.DateOffset(months=1)
    return (f"{fmt.month(prev_start, short=True)}–{fmt.month(prev_end, short=True)}",
            f"{fmt.month(recent_start, short=True)}–{fmt.month(end, short=True)}")


@dataclass
class PoliceEvents:
    """The kommun's police events from polisen.se, ready to tabulate, chart and narrate (:func:`police_events`).

    Attributes
    ----------
    events : pandas.DataFrame
        :func:`kommun_events`: the kommun's events in the whole archive.
    start, end : pandas.Timestamp or None
        First and last month in which the archive can be compared at kommun level (:func:`event_coverage`);
        both None when polisen.se never named the kommuner.
    archive_end : pandas.Timestamp
        Last complete month of the whole archive (:func:`complete_months`): after ``end`` polisen.se may name
        only the län.
    types : pandas.DataFrame or None
        :func:`type_table` of the twelve months to ``end`` and the twelve before; None without comparable
        months or without any event in the kommun.
    change : lagesbild.stats.counts.ChangeTest or None
        All events of the last twelve months against the twelve before (None where ``types`` is None).
    """

    events: pd.DataFrame
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    archive_end: pd.Timestamp
    types: pd.DataFrame | None
    change: ChangeTest | None

    @property
    def comparable(self) -> bool:
        """Whether the archive names the kommuner in some month (there is a period to show)."""
        return self.start is not None

    @property
    def shown(self) -> bool:
        """Whether there are events to tabulate and chart: comparable months and events in the kommun."""
        return self.types is not None

    @property
    def recent(self) -> int:
        """Events in the last twelve comparable months (0 when none can be counted)."""
        return int(self.types["recent"].sum()) if self.types is not None else 0

    @property
    def previous(self) -> int:
        """Events in the twelve months before those (0 when none can be counted)."""
        return int(self.types["previous"].sum()) if self.types is not None else 0

    def labels(self) -> tuple[str, str]:
        """:func:`window_labels` of the two periods ``types`` compares; empty without comparable months."""
        return window_labels(self.end) if self.comparable else ("", "")

    def in_period(self) -> pd.DataFrame:
        """The kommun's events in the comparable months (:func:`in_months`)."""
        return in_months(self.events, self.start, self.end)

    def top_types(self, n: int) -> list[str]:
        """The ``n`` most common event types of the last twelve months (none without ``types``)."""
        return self.types["type"].head(n).tolist() if self.types is not None else []


def police_events(events: pd.DataFrame, kommun: str, alpha: float = 0.05) -> PoliceEvents:
    """The kommun's police events: the comparable months, the types and the change over twelve months.

    Parameters
    ----------
    events : pandas.DataFrame
        The whole archive, as :func:`lagesbild.sources.processed.load` gives it (``datetime, type, kommun_kod``).
    kommun : str
    alpha : float
        Significance level of the twelve-month change (:func:`lagesbild.stats.counts.poisson_change`).

    Returns
    -------
    PoliceEvents

    Examples
    --------
    >>> t = pd.date_range("2023-01-01 12:00", periods=25, freq="MS").tz_localize("Europe/Stockholm")
    >>> t = t.append(pd.DatetimeIndex([pd.Timestamp("2025-01-31 23:00", tz="Europe/Stockholm")]))
    >>> ev = pd.DataFrame({"datetime": t, "type": ["Stöld"] * 26, "kommun_kod": ["2080"] * 26})
    >>> p = police_events(ev, "2080")
    >>> p.start, p.end, p.previous, p.recent, p.labels()
    (Timestamp('2023-02-01 00:00:00'), Timestamp('2025-01-01 00:00:00'), 12, 13, ('feb 2023–jan 2024', 'feb 2024–jan 2025'))
    >>> police_events(ev, "1283").shown  # no event in Helsingborg: nothing to tabulate
    False
    """
    own = kommun_events(events, kommun)
    coverage = event_coverage(events)
    start, end = coverage or (None, None)
    types = type_table(own, end) if coverage and len(own) else None
    change = (poisson_change(int(types["previous"].sum()), int(types["recent"].sum()), alpha=alpha)
              if types is not None else None)
    return PoliceEvents(events=own, start=start, end=end, archive_end=complete_months(events)[1], types=types,
                        change=change)


def events_table(types: pd.DataFrame, rows: int = 15) -> pd.DataFrame:
    """The most common event types as a report table (Swedish headers).

    Examples
    --------
    >>> t = pd.DataFrame({"type": ["Stöld", "Rån"], "recent": [5, 1], "previous": [3, 2]})
    >>> events_table(t, rows=1).to_dict("records")
    [{'Händelsetyp': 'Stöld', 'Senaste 12 månaderna': 5, '12 månader innan': 3}]
    """
    return types.head(rows).rename(columns={"type": "Händelsetyp", "recent": "Senaste 12 månaderna",
                                            "previous": "12 månader innan"})


def events_per_1000(events: pd.DataFrame, population: pd.DataFrame, kommuner: list[str], end: pd.Timestamp, months: int = 12) -> pd.DataFrame:
    """Police events placed in each kommun during the last ``months`` months, per 1 000 inhabitants.

    Uses the latest population year available (state it in the report).

    Returns
    -------
    pandas.DataFrame
        ``kommun_kod, events, population, population_year, per_1000``.

    Examples
    --------
    >>> t = pd.to_datetime(["2024-12-05", "2024-11-05"]).tz_localize("Europe/Stockholm")
    >>> ev = pd.DataFrame({"datetime": t, "kommun_kod": ["2080", "2080"]})
    >>> pop = pd.DataFrame({"kommun_kod": ["2080", "2081"], "year": [2019, 2019], "population": [2000, 1000]})
    >>> events_per_1000(ev, pop, ["2080", "2081"], pd.Timestamp("2024-12-01"))["per_1000"].tolist()
    [1.0, 0.0]
    """
    month = events["datetime"].dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    start = end - pd.DateOffset(months=months - 1)
    counts = events[(month >= start) & (month <= end)].groupby("kommun_kod").size()
    year = int(population["year"].max())
    pop = population[population["year"] == year].set_index("kommun_kod")["population"]
    out = pd.DataFrame({"kommun_kod": kommuner})
    out["events"] = out["kommun_kod"].map(counts).fillna(0).astype("int64")
    out["population"] = out["kommun_kod"].map(pop)
    out["population_year"] = year
    out["per_1000"] = out["events"] / out["population"] * 1000
    return out


def peak_time(matrix: pd.DataFrame) -> tuple[int, int, int]:
    """The weekday (0 = Monday) and hour with the most events, and that count.

    Examples
    --------
    >>> m = pd.DataFrame(0, index=range(7), columns=range(24)); m.loc[4, 22] = 9
    >>> peak_time(m)
    (4, 22, 9)
    """
    stacked = matrix.stack()
    (day, hour), count = stacked.idxmax(), stacked.max()
    return int(day), int(hour), int(count)


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The indicator summary as a report table: Swedish headers, formatted numbers, plain verdicts.

    A category whose change cannot be tested says so ("kan inte prövas", the report says why); a value
    that is missing reads "–"; a possibly preliminary year is marked "(prel.)".

    Examples
    --------
    >>> from lagesbild.stats.counts import poisson_change, trend_test
    >>> s = pd.DataFrame([{"indicator": "Bilbrott", "year_before": 2023, "year_after": 2024, "count_before": 2,
    ...     "count_after": 4, "rate_before": 3.0, "rate_after": 7.0, "rate_lan": 50.0, "rate_riket": 60.0,
    ...     "preliminary": False, "change": poisson_change(2, 4), "trend": trend_test([2021, 2022, 2023, 2024], [3, 2, 2, 4])}])
    >>> summary_table(s).iloc[0]["Förändring"]  # 2 → 4: far too few events to say anything
    'för få fall för att bedöma'
    """
    from lagesbild.core import fmt

    def verdict(t) -> str:
        if t is None:
            return "kan inte prövas"
        if t.too_few and not t.detectable:
            return "för få fall för att bedöma"
        if not t.detectable:
            return "ingen säkerställd förändring"
        return "säkerställd ökning" if t.rate_ratio > 1 else "säkerställd minskning"

    def trend(t) -> str:
        if t is None or t.too_few:
            return "för få år eller fall"
        if not t.detectable:
            return "ingen säkerställd trend"
        return f"{fmt.percent(t.annual_change_pct, 1, signed=True)} per år"

    def num(x) -> str:
        return "–" if x is None or pd.isna(x) else fmt.number(x)

    def year(y) -> str:
        return "–" if y is None or pd.isna(y) else str(int(y))

    uniform = (len(summary) > 0 and summary["year_before"].nunique(dropna=False) == 1
               and summary["year_after"].nunique() == 1 and summary["year_before"].notna().all())
    prel = summary["preliminary"].astype(bool) if "preliminary" in summary.columns else pd.Series(False, index=summary.index)
    mark = " (prel.)" if uniform and prel.any() else ""
    years = f" {year(summary['year_before'].iloc[0])} → {year(summary['year_after'].iloc[0])}{mark}" if uniform else ""
    latest = f" {year(summary['year_after'].iloc[0])}{mark}" if uniform else ""
    rows = []
    for r, p in zip(summary.itertuples(), prel, strict=True):
        row = {"Kategori": r.indicator}
        if not uniform:
            row["År"] = f"{year(r.year_before)} → {year(r.year_after)}" + (" (prel.)" if p else "")
        row |= {
            f"Antal{years}": f"{num(r.count_before)} → {num(r.count_after)}",
            f"Per 100 000 inv.{years}": f"{num(r.rate_before)} → {num(r.rate_after)}",
            f"Länet{latest}": num(r.rate_lan),
            f"Riket{latest}": num(r.rate_riket),
            "Förändring": verdict(r.change),
            "Trend": trend(r.trend),
        }
        rows.append(row)
    return pd.DataFrame(rows)


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


def headline_changes(summary: pd.DataFrame, focus: list[str], limit: int = 6) -> tuple[pd.DataFrame, int]:
    """The changes worth a sentence in a summary: all reported crime, then detectable changes.

    Detectable changes in focus-area categories come first, then the others by p-value; at most
    ``limit`` rows besides the total. A category whose change was not tested is never chosen (the
    total then too, when untested).

    Returns
    -------
    (rows, left_out) : tuple
        The chosen rows of ``summary`` and how many detectable changes did not fit.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> s = pd.DataFrame({"indicator": [TOTAL, "A", "B", "C", "D"],
    ...                   "change": [T(detectable=False, p_value=0.5), T(detectable=True, p_value=0.01),
    ...                              T(detectable=True, p_value=0.04), T(detectable=True, p_value=0.001), None]})
    >>> rows, left = headline_changes(s, focus=["B"], limit=2)
    >>> rows["indicator"].tolist(), left
    (['Totalt antal anmälda brott', 'B', 'C'], 1)
    """
    tested = summary[summary["change"].map(lambda c: c is not None)]
    total = tested[tested["indicator"] == TOTAL]
    rest = tested[(tested["indicator"] != TOTAL) & tested["change"].map(lambda c: c.detectable)]
    rest = rest.assign(_focus=~rest["indicator"].isin(focus), _p=rest["change"].map(lambda c: c.p_value))
    rest = rest.sort_values(["_focus", "_p"], kind="stable").drop(columns=["_focus", "_p"])
    return pd.concat([total, rest.head(limit)]), max(0, len(rest) - limit)


def _num(x):
    x = None if x is None or (not isinstance(x, str) and pd.isna(x)) else float(x)
    return None if x is None or x in (float("inf"), float("-inf")) else round(x, 6)


def indicator_figures(summary: pd.DataFrame) -> list[dict]:
    """The indicator summary as plain JSON-ready records, for the report's key-figure file.

    Later reports (the lägesbild summary) read these instead of recomputing them. A change or trend
    that was not tested is ``None``, with ``change_reason`` saying why.

    Examples
    --------
    >>> from lagesbild.stats.counts import poisson_change, trend_test
    >>> s = pd.DataFrame([{"indicator": "Bilbrott", "year_before": 2023, "year_after": 2024, "count_before": 200,
    ...     "count_after": 150, "rate_before": 339.0, "rate_after": 250.0, "rate_lan": 226.0, "rate_riket": 383.0,
    ...     "change": poisson_change(200, 150), "trend": trend_test([2021, 2022, 2023, 2024], [210, 190, 200, 150])}])
    >>> f = indicator_figures(s)[0]
    >>> f["indicator"], f["rate"], f["change"]["detectable"], sorted(f["trend"])[:2], f["set"]
    ('Bilbrott', 250.0, True, ['annual_change_pct', 'ci_high_pct'], 'kommunindikatorer')
    """
    from lagesbild.sources.categories import category_set

    def count(x):
        return None if x is None or pd.isna(x) else int(x)

    out = []
    for r in summary.to_dict("records"):
        c, t = r["change"], r["trend"]
        out.append({
            "indicator": r["indicator"], "set": category_set(r["indicator"]),
            "year": int(r["year_after"]), "previous_year": None if r["year_before"] is None or pd.isna(r["year_before"])
            else int(r["year_before"]),
            "count": count(r["count_after"]), "previous_count": count(r["count_before"]),
            "rate": _num(r["rate_after"]), "previous_rate": _num(r["rate_before"]),
            "rate_lan": _num(r["rate_lan"]), "rate_riket": _num(r["rate_riket"]),
            "preliminary": bool(r.get("preliminary", False)),
            "change": None if c is None else {
                "rate_ratio": _num(c.rate_ratio), "ci_low": _num(c.ci_low), "ci_high": _num(c.ci_high),
                "p_value": _num(c.p_value), "detectable": bool(c.detectable), "too_few": bool(c.too_few)},
            "change_reason": r.get("change_reason") or "",
            "trend": None if t is None else {
                "first_year": int(t.first_year), "last_year": int(t.last_year),
                "annual_change_pct": _num(t.annual_change_pct), "ci_low_pct": _num(t.ci_low_pct),
                "ci_high_pct": _num(t.ci_high_pct), "p_value": _num(t.p_value),
                "detectable": bool(t.detectable), "too_few": bool(t.too_few)},
        })
    return out


def with_comparison_counts(figures: list[dict], frame: pd.DataFrame) -> list[dict]:
    """The indicator records with the counts, populations and bases a comparison needs added.

    :func:`indicator_figures` gives the kommun's count and the län's and riket's *rates*. To compare
    the kommun with its län and riket (:func:`lagesbild.stats.indicators.rate_light`) the summary report
    also needs the kommun's population and the län's and riket's counts and populations, and what
    "länet" and "riket" are (``basis_lan``, ``basis_riket``: ``"summa"`` of the kommuner or ``"brå"``'s
    own figure); this adds them, for the same indicator and year, from :func:`comparison_frame`. The
    records are copied, not changed.

    Parameters
    ----------
    figures : list of dict
        :func:`indicator_figures` records (``indicator`` and ``year`` are used).
    frame : pandas.DataFrame
        :func:`comparison_frame` of the same kommun.

    Returns
    -------
    list of dict
        Each record with ``population``, ``population_basis``, ``count_lan``, ``population_lan``,
        ``basis_lan``, ``count_riket``, ``population_riket`` and ``basis_riket`` (counts as int,
        populations rounded to 0,1; None when missing).

    Examples
    --------
    >>> frame = pd.DataFrame({"level": ["kommun", "län", "riket"], "indicator": "Bilbrott", "year": 2024,
    ...     "count": [150.0, 648.0, 40508.0], "population": [59964.25, 286891.4, 10570040.0],
    ...     "basis": ["kommun", "summa", "brå"], "population_basis": ["brå", "summa", "brå"]})
    >>> r = with_comparison_counts([{"indicator": "Bilbrott", "year": 2024, "count": 150}], frame)[0]
    >>> r["population"], r["count_lan"], r["basis_lan"], r["basis_riket"]
    (59964.2, 648, 'summa', 'brå')
    """
    def count(x):
        return None if pd.isna(x) else int(x)

    def population(x):
        return None if pd.isna(x) else round(float(x), 1)

    out = []
    for fig in figures:
        rows = frame[(frame["indicator"] == fig["indicator"]) & (frame["year"] == fig["year"])]
        by = {str(r["level"]): r for r in rows.to_dict("records")}
        new = dict(fig)
        own = by.get("kommun")
        new["population"] = population(own["population"]) if own is not None else None
        new["population_basis"] = (own.get("population_basis") if own is not None
                                   and isinstance(own.get("population_basis"), str) else None)
        for level, suffix in (("län", "lan"), ("riket", "riket")):
            r = by.get(level)
            new[f"count_{suffix}"] = count(r["count"]) if r is not None else None
            new[f"population_{suffix}"] = population(r["population"]) if r is not None else None
            new[f"basis_{suffix}"] = r.get("basis") if r is not None else None
        out.append(new)
    return out


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

    pops = populations(crime, population, kommuner)
    table = kommun_table(crime, kommuner, population, pops=pops)
    sums = region_sums(table, kommuner)
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
            f = funnel_of(table, row.indicator, year)
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
