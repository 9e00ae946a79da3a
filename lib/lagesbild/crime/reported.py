"""Brå's reported crime for one kommun, its län and riket: populations, rates, tests and the indicator summary.

Functions in, frames out: every function takes the frames that :mod:`lagesbild.sources.processed` loads
and returns a new frame; nothing here reads files or draws. :mod:`lagesbild.crime.analysis` puts them
together for the report.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core.units import COUNT_UNIT, RATE_UNIT

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
    kommun = frame[(frame["level"] == "kommun") & (frame["count"].notna() | frame["rate"].notna())]
    # split once, not one boolean mask over the whole frame per category (a third of the function's time)
    series = {ind: k.sort_values("year") for ind, k in kommun.groupby("indicator", sort=False)}
    rates = {}
    for key in zip(frame["indicator"], frame["year"], frame["level"], frame["rate"], strict=True):
        rates[key[:3]] = key[3]
    for ind in indicators:
        k = series.get(ind)
        if k is None:
            continue
        a = k.iloc[-1]
        b = k.iloc[-2] if len(k) > 1 else None
        latest = {level: rates.get((ind, a["year"], level), float("nan")) for level in ("län", "riket")}
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
        ``basis_lan``, ``count_riket``, ``population_riket``, ``basis_riket`` and ``series`` (the
        kommun's count and population in every year, :func:`yearly_series`) (counts as int,
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
        new["series"] = yearly_series(frame, fig["indicator"])
        out.append(new)
    return out


def yearly_series(frame: pd.DataFrame, indicator: str) -> list[dict]:
    """The kommun's count and population of one category in every year of :func:`comparison_frame`.

    The lägesbild follows up an åtgärdsplan's goals against a baseline year that may lie several
    years back (:mod:`lagesbild.summary.goals`); it reads these instead of recomputing them.

    Returns
    -------
    list of dict
        ``year`` (int), ``count`` (int or None), ``population`` (rounded to 0,1, or None), by year.

    Examples
    --------
    >>> frame = pd.DataFrame({"level": ["kommun", "kommun", "län"], "indicator": "Bilbrott",
    ...     "year": [2024, 2023, 2024], "count": [150.0, 203.0, 648.0], "population": [59964.25, 59800.0, 286891.4]})
    >>> yearly_series(frame, "Bilbrott")
    [{'year': 2023, 'count': 203, 'population': 59800.0}, {'year': 2024, 'count': 150, 'population': 59964.2}]
    >>> yearly_series(frame, "Rån")
    []
    """
    rows = frame[(frame["level"] == "kommun") & (frame["indicator"] == indicator)].sort_values("year")
    return [{"year": int(r["year"]), "count": None if pd.isna(r["count"]) else int(r["count"]),
             "population": None if pd.isna(r["population"]) else round(float(r["population"]), 1)}
            for r in rows.to_dict("records")]
