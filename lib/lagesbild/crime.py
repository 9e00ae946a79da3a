"""Reported-crime (Brå) and police-event tables for one kommun, ready to chart and narrate.

Functions in, frames out: every function takes the frames that :mod:`lagesbild.processed` loads
and returns a new frame; nothing here reads files or draws.
"""

from __future__ import annotations

import pandas as pd

from lagesbild import fmt
from lagesbild.units import COUNT_UNIT, RATE_UNIT

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


def comparison_frame(crime: pd.DataFrame, kommun: str, lan_kod: str, population: pd.DataFrame | None = None,
                     kommuner: pd.DataFrame | None = None) -> pd.DataFrame:
    """The kommun, its län and riket side by side: one row per region, indicator and year.

    Each row's population is the one Brå's own count and rate imply (:func:`population_from_totals`).
    Kolada publishes Brå's figures as rates only; for those years the population comes from SCB
    (:func:`region_populations`, given ``population`` and ``kommuner``): the year's mean population
    as Brå uses it (:func:`mean_populations`), or the year-end figure when SCB's figure for the year
    before is missing (then up to about 0,6 % off). The count is derived as
    ``round(rate × population / 100 000)`` and marked in ``count_derived``; with the mean population
    it reproduces Brå's published count to within the rounding of the rate. Reports say which counts
    are derived.

    Parameters
    ----------
    crime : pandas.DataFrame
        Schema ``CRIME``.
    kommun : str
        Four-digit kommun code.
    lan_kod : str
        Its two-digit län code.
    population, kommuner : pandas.DataFrame, optional
        SCB's population per kommun and the kommun table, to derive counts where Brå's data has
        rates only. Without them such rows keep no count.

    Returns
    -------
    pandas.DataFrame
        ``region_code, region_name, level, indicator, year, count, rate, population,
        count_derived``; empty when the data has no rows for the kommun.

    Examples
    --------
    >>> c = pd.DataFrame({"region_code": ["2080", "2080", "00"], "region_name": ["Falun", "Falun", "Hela landet"],
    ...     "year": [2024] * 3, "indicator": ["Bilbrott"] * 3, "unit": ["Antal", "Antal per 100 000 inv", "Antal"],
    ...     "value": [45.0, 75.0, 50000.0]})
    >>> comparison_frame(c, "2080", "20")[["level", "count", "rate"]].to_dict("records")
    [{'level': 'kommun', 'count': 45.0, 'rate': 75.0}, {'level': 'riket', 'count': 50000.0, 'rate': nan}]

    A rate without a count (as Kolada gives it) gets a derived count from SCB's population:

    >>> k = pd.DataFrame({"kommun_kod": ["2080"], "lan_kod": ["20"]})
    >>> pop = pd.DataFrame({"kommun_kod": ["2080"], "kommun": ["Falun"], "year": [2025], "population": [60000]})
    >>> c2 = pd.DataFrame({"region_code": ["2080"], "region_name": ["Falun"], "year": [2025], "indicator": ["Bilbrott"],
    ...                    "unit": ["Antal per 100 000 inv"], "value": [81.7]})
    >>> comparison_frame(c2, "2080", "20", pop, k)[["count", "rate", "population", "count_derived"]].to_dict("records")
    [{'count': 49.0, 'rate': 81.7, 'population': 60000.0, 'count_derived': True}]
    """
    cols = ["region_code", "region_name", "level", "indicator", "year", "count", "rate", "population", "count_derived"]
    if not (crime["region_code"] == kommun).any():
        return pd.DataFrame(columns=cols)
    level = {kommun: "kommun", lan_kod: "län", RIKET: "riket"}
    sub = crime[crime["region_code"].isin(level)]
    wide = sub.pivot_table(index=["region_code", "region_name", "indicator", "year"], columns="unit",
                           values="value", dropna=False, observed=True).reset_index()
    wide = wide.dropna(subset=[u for u in (COUNT_UNIT, RATE_UNIT) if u in wide], how="all")
    wide = wide.rename(columns={COUNT_UNIT: "count", RATE_UNIT: "rate"})
    for c in ("count", "rate"):
        if c not in wide:
            wide[c] = float("nan")
    wide["level"] = wide["region_code"].map(level)
    wide = wide.merge(population_from_totals(sub), on=["region_code", "year"], how="left")
    wide["count_derived"] = False
    if population is not None and kommuner is not None and len(population):
        end = region_populations(population, kommuner)
        mean = mean_populations(end)
        scb = pd.concat([mean, end], ignore_index=True).drop_duplicates(["region_code", "year"])  # the mean where there is one
        scb = scb.rename(columns={"population": "scb_population"})
        wide = wide.merge(scb, on=["region_code", "year"], how="left")
        wide["population"] = wide["population"].fillna(wide.pop("scb_population"))
        derive = wide["count"].isna() & wide["rate"].notna() & wide["population"].notna()
        wide["count"] = wide["count"].where(~derive, (wide["rate"] * wide["population"] / 100_000).round())
        wide["count_derived"] = derive
    wide["level"] = pd.Categorical(wide["level"], LEVELS, ordered=True)
    wide = wide.sort_values(["level", "indicator", "year"]).reset_index(drop=True)
    wide["level"] = wide["level"].astype(str)
    wide.columns.name = None
    return wide[cols].astype({"count": float, "rate": float, "population": float, "count_derived": bool})


def order_indicators(indicators: list[str], focus_areas: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """All reported crime first, then the kommun's focus areas, then the rest in the given order.

    A focus area matches every indicator that starts with it (case-insensitive), so
    ``"Våld i offentlig miljö"`` matches the three indicators of violence in public places.

    Returns
    -------
    (ordered, matches) : tuple
        ``ordered`` all indicators: the total, the focus ones (in focus order), the rest;
        ``matches`` maps each focus area to its indicators (an empty list if it matched none —
        say so in the report).

    Examples
    --------
    >>> order_indicators(["Bilbrott", "Narkotikabrott", TOTAL, "Våld i offentlig miljö mot vuxna"], ["narkotika", "Våld i offentlig miljö", "Klotter"])
    (['Totalt antal anmälda brott', 'Narkotikabrott', 'Våld i offentlig miljö mot vuxna', 'Bilbrott'], {'narkotika': ['Narkotikabrott'], 'Våld i offentlig miljö': ['Våld i offentlig miljö mot vuxna'], 'Klotter': []})
    """
    matches = {f: [i for i in indicators if i.lower().startswith(f.lower())] for f in focus_areas}
    first = [TOTAL] if TOTAL in indicators else []
    first = list(dict.fromkeys(first + [i for f in focus_areas for i in matches[f]]))
    return first + [i for i in indicators if i not in first], matches


def indicator_summary(frame: pd.DataFrame, indicators: list[str], alpha: float = 0.05) -> pd.DataFrame:
    """Per indicator: the kommun's last two years with an E-test, its long-run trend, and län/riket.

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
        One row per indicator: ``indicator, year_before, year_after, count_before, count_after,
        rate_before, rate_after, rate_lan, rate_riket, change`` (:class:`~lagesbild.stats.ChangeTest`)
        ``, trend`` (:class:`~lagesbild.stats.TrendTest`).
    """
    from lagesbild import stats

    rows = []
    for ind in indicators:
        k = frame[(frame["level"] == "kommun") & (frame["indicator"] == ind)].dropna(subset=["count", "population"]).sort_values("year")
        if len(k) < 2:
            continue
        b, a = k.iloc[-2], k.iloc[-1]
        latest = frame[(frame["indicator"] == ind) & (frame["year"] == a["year"])].set_index("level")["rate"]
        rows.append({
            "indicator": ind,
            "year_before": int(b["year"]), "year_after": int(a["year"]),
            "count_before": int(b["count"]), "count_after": int(a["count"]),
            "rate_before": b["rate"], "rate_after": a["rate"],
            "rate_lan": latest.get("län", float("nan")), "rate_riket": latest.get("riket", float("nan")),
            "change": stats.poisson_change(int(b["count"]), int(a["count"]), float(b["population"]), float(a["population"]), alpha=alpha),
            "trend": stats.trend_test(k["year"].astype(int).tolist(), k["count"].astype(int).tolist(), k["population"].tolist(), alpha=alpha),
        })
    return pd.DataFrame(rows)


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


def weekday_hour_matrix(events: pd.DataFrame, column: str = "datetime") -> pd.DataFrame:
    """Counts by weekday (rows 0 = Monday … 6) and hour of day (columns 0–23), local time.

    Pass ``column="occurred"`` for when events happened (parsed from their titles by
    :func:`lagesbild.sources.event_times`) rather than when polisen.se published them.

    Examples
    --------
    >>> t = pd.to_datetime(["2024-05-06 13:10"]).tz_localize("Europe/Stockholm")  # a Monday
    >>> int(weekday_hour_matrix(pd.DataFrame({"datetime": t})).loc[0, 13])
    1
    """
    dt = events[column]
    m = pd.crosstab(dt.dt.day_of_week, dt.dt.hour)
    return m.reindex(index=range(7), columns=range(24), fill_value=0).astype("int64")


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

    Examples
    --------
    >>> from lagesbild.stats import poisson_change, trend_test
    >>> s = pd.DataFrame([{"indicator": "Bilbrott", "year_before": 2023, "year_after": 2024, "count_before": 2,
    ...     "count_after": 4, "rate_before": 3.0, "rate_after": 7.0, "rate_lan": 50.0, "rate_riket": 60.0,
    ...     "change": poisson_change(2, 4), "trend": trend_test([2021, 2022, 2023, 2024], [3, 2, 2, 4])}])
    >>> summary_table(s).iloc[0]["Förändring"]  # 2 → 4: far too few events to say anything
    'för få fall för att bedöma'
    """
    from lagesbild import fmt

    def verdict(t) -> str:
        if t.too_few and not t.detectable:
            return "för få fall för att bedöma"
        if not t.detectable:
            return "ingen säkerställd förändring"
        return "säkerställd ökning" if t.rate_ratio > 1 else "säkerställd minskning"

    def trend(t) -> str:
        if t.too_few:
            return "för få år eller fall"
        if not t.detectable:
            return "ingen säkerställd trend"
        return f"{fmt.percent(t.annual_change_pct, 1, signed=True)} per år"

    uniform = len(summary) > 0 and summary["year_before"].nunique() == 1 and summary["year_after"].nunique() == 1
    years = f" {summary['year_before'].iloc[0]} → {summary['year_after'].iloc[0]}" if uniform else ""
    latest = f" {summary['year_after'].iloc[0]}" if uniform else ""
    rows = []
    for r in summary.itertuples():
        row = {"Kategori": r.indicator}
        if not uniform:
            row["År"] = f"{r.year_before} → {r.year_after}"
        row |= {
            f"Antal{years}": f"{fmt.number(r.count_before)} → {fmt.number(r.count_after)}",
            f"Per 100 000 inv.{years}": f"{fmt.number(r.rate_before)} → {fmt.number(r.rate_after)}",
            f"Länet{latest}": fmt.number(r.rate_lan),
            f"Riket{latest}": fmt.number(r.rate_riket),
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
        As loaded by :func:`lagesbild.processed.load`.
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
    ``limit`` rows besides the total.

    Returns
    -------
    (rows, left_out) : tuple
        The chosen rows of ``summary`` and how many detectable changes did not fit.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> s = pd.DataFrame({"indicator": [TOTAL, "A", "B", "C"],
    ...                   "change": [T(detectable=False, p_value=0.5), T(detectable=True, p_value=0.01),
    ...                              T(detectable=True, p_value=0.04), T(detectable=True, p_value=0.001)]})
    >>> rows, left = headline_changes(s, focus=["B"], limit=2)
    >>> rows["indicator"].tolist(), left
    (['Totalt antal anmälda brott', 'B', 'C'], 1)
    """
    total = summary[summary["indicator"] == TOTAL]
    rest = summary[(summary["indicator"] != TOTAL) & summary["change"].map(lambda c: c.detectable)]
    rest = rest.assign(_focus=~rest["indicator"].isin(focus), _p=rest["change"].map(lambda c: c.p_value))
    rest = rest.sort_values(["_focus", "_p"], kind="stable").drop(columns=["_focus", "_p"])
    return pd.concat([total, rest.head(limit)]), max(0, len(rest) - limit)


def indicator_figures(summary: pd.DataFrame) -> list[dict]:
    """The indicator summary as plain JSON-ready records, for the report's key-figure file.

    Later reports (the lägesbild summary) read these instead of recomputing them.

    Examples
    --------
    >>> from lagesbild.stats import poisson_change, trend_test
    >>> s = pd.DataFrame([{"indicator": "Bilbrott", "year_before": 2023, "year_after": 2024, "count_before": 200,
    ...     "count_after": 150, "rate_before": 339.0, "rate_after": 250.0, "rate_lan": 226.0, "rate_riket": 383.0,
    ...     "change": poisson_change(200, 150), "trend": trend_test([2021, 2022, 2023, 2024], [210, 190, 200, 150])}])
    >>> f = indicator_figures(s)[0]
    >>> f["indicator"], f["rate"], f["change"]["detectable"], sorted(f["trend"])[:2]
    ('Bilbrott', 250.0, True, ['annual_change_pct', 'ci_high_pct'])
    """
    def num(x):
        x = float(x)
        return None if x != x or x in (float("inf"), float("-inf")) else round(x, 6)

    out = []
    for r in summary.itertuples():
        c, t = r.change, r.trend
        out.append({
            "indicator": r.indicator, "year": int(r.year_after), "previous_year": int(r.year_before),
            "count": int(r.count_after), "previous_count": int(r.count_before),
            "rate": num(r.rate_after), "previous_rate": num(r.rate_before),
            "rate_lan": num(r.rate_lan), "rate_riket": num(r.rate_riket),
            "change": {"rate_ratio": num(c.rate_ratio), "ci_low": num(c.ci_low), "ci_high": num(c.ci_high),
                       "p_value": num(c.p_value), "detectable": bool(c.detectable), "too_few": bool(c.too_few)},
            "trend": {"first_year": int(t.first_year), "last_year": int(t.last_year),
                      "annual_change_pct": num(t.annual_change_pct), "ci_low_pct": num(t.ci_low_pct),
                      "ci_high_pct": num(t.ci_high_pct), "p_value": num(t.p_value),
                      "detectable": bool(t.detectable), "too_few": bool(t.too_few)},
        })
    return out


def with_comparison_counts(figures: list[dict], frame: pd.DataFrame) -> list[dict]:
    """The indicator records with the counts and populations a rate comparison needs added.

    :func:`indicator_figures` gives the kommun's count and the län's and riket's *rates*. To test
    the kommun against the rest of its län (:func:`lagesbild.indicators.rate_light`) the summary
    report also needs the kommun's population and the län's and riket's counts and populations;
    this adds them, for the same indicator and year, from :func:`comparison_frame`. The population
    is the one Brå's own count and rate imply (:func:`population_from_totals`), the same for count
    and rate. The records are copied, not changed.

    Parameters
    ----------
    figures : list of dict
        :func:`indicator_figures` records (``indicator`` and ``year`` are used).
    frame : pandas.DataFrame
        :func:`comparison_frame` of the same kommun.

    Returns
    -------
    list of dict
        Each record with ``population``, ``count_lan``, ``population_lan``, ``count_riket`` and
        ``population_riket`` (counts as int, populations rounded to 0,1; None when missing).

    Examples
    --------
    >>> frame = pd.DataFrame({"level": ["kommun", "län", "riket"], "indicator": "Bilbrott", "year": 2024,
    ...     "count": [150.0, 648.0, 40508.0], "population": [59964.25, 286891.4, 10570040.0]})
    >>> with_comparison_counts([{"indicator": "Bilbrott", "year": 2024, "count": 150}], frame)
    [{'indicator': 'Bilbrott', 'year': 2024, 'count': 150, 'population': 59964.2, 'count_lan': 648, 'population_lan': 286891.4, 'count_riket': 40508, 'population_riket': 10570040.0}]
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
        new["population"] = population(by["kommun"]["population"]) if "kommun" in by else None
        for level, suffix in (("län", "lan"), ("riket", "riket")):
            r = by.get(level)
            new[f"count_{suffix}"] = count(r["count"]) if r is not None else None
            new[f"population_{suffix}"] = population(r["population"]) if r is not None else None
        out.append(new)
    return out


def kommungrupp_rates(crime: pd.DataFrame, kommungrupper: pd.DataFrame, kommun: str,
                      indicators: list[str]) -> tuple[str | None, pd.DataFrame]:
    """The rates of every kommun in the kommun's SKR kommungrupp, per indicator, in the kommun's latest year.

    Parameters
    ----------
    crime : pandas.DataFrame
        Schema ``CRIME`` (all kommuner; Kolada gives the group's rates).
    kommungrupper : pandas.DataFrame
        ``kommun_kod, kommun, kommungrupp`` (:func:`lagesbild.sources.load_kommungrupper`).
    kommun : str
        Four-digit kommun code.
    indicators : list of str
        In report order.

    Returns
    -------
    (group, rates) : tuple
        The group's name (None when the kommun has no group in the data) and a frame
        ``indicator, year, kommun_kod, region_name, rate, own``: for each indicator the latest year
        in which the kommun has a rate, and every group member with a rate that year.

    Examples
    --------
    >>> g = pd.DataFrame({"kommun_kod": ["2080", "2081", "0114"], "kommun": ["Falun", "Borlänge", "Upplands Väsby"],
    ...                   "kommungrupp": ["Större stad", "Större stad", "Pendlingskommun nära storstad"]})
    >>> c = pd.DataFrame({"region_code": ["2080", "2081", "0114"], "region_name": ["Falun", "Borlänge", "Upplands Väsby"],
    ...                   "year": 2025, "indicator": "Bilbrott", "unit": "Antal per 100 000 inv", "value": [80.0, 120.0, 90.0]})
    >>> group, rates = kommungrupp_rates(c, g, "2080", ["Bilbrott"])
    >>> group, rates[["kommun_kod", "rate", "own"]].values.tolist()
    ('Större stad', [['2080', 80.0, True], ['2081', 120.0, False]])
    """
    cols = ["indicator", "year", "kommun_kod", "region_name", "rate", "own"]
    mine = kommungrupper.loc[kommungrupper["kommun_kod"] == kommun, "kommungrupp"]
    if mine.empty:
        return None, pd.DataFrame(columns=cols)
    group = str(mine.iloc[0])
    members = set(kommungrupper.loc[kommungrupper["kommungrupp"] == group, "kommun_kod"])
    rates = crime[(crime["unit"] == RATE_UNIT) & crime["region_code"].isin(members) & crime["value"].notna()
                  & crime["indicator"].isin(indicators)]
    out = []
    for ind in indicators:
        r = rates[rates["indicator"] == ind]
        own_years = r.loc[r["region_code"] == kommun, "year"]
        if own_years.empty:
            continue
        year = int(own_years.max())
        out.append(r[r["year"] == year])
    if not out:
        return group, pd.DataFrame(columns=cols)
    df = pd.concat(out, ignore_index=True).rename(columns={"region_code": "kommun_kod", "value": "rate"})
    df["own"] = df["kommun_kod"] == kommun
    df = df.sort_values(["own", "kommun_kod"], ascending=[False, True], kind="stable")
    order = {ind: i for i, ind in enumerate(indicators)}
    df = df.sort_values("indicator", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return group, df[cols]


def kommungrupp_comparison(rates: pd.DataFrame, min_members: int = 5) -> pd.DataFrame:
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
