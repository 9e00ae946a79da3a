"""The kommun's police events from polisen.se: the comparable months, counts per type and month, the change.

Functions in, frames out: every function takes the frames that :mod:`lagesbild.sources.processed` loads
and returns a new frame; nothing here reads files or draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lagesbild.core import fmt
from lagesbild.stats.counts import (
    ChangeTest,
    poisson_change,
    weekday_hour_matrix,  # noqa: F401  (notebooks call events.weekday_hour_matrix)
)

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
