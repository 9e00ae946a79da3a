"""What stands out in the lägesbild: a fixed rule that ranks the problems the data point at (section 3).

Every piece of evidence that points at a problem is a *signal* on a *topic* (a Brå category, an NTU
indicator, the kommun's places, a substance in the wastewater, an area of the police's safety
survey). The signals, from strongest kind to weakest (:data:`SIGNALS`):

1. ``nivå`` – a key indicator (Brå rate or NTU share) clearly worse than the län's or riket's
   (the traffic light of :func:`lagesbild.stats.indicators.indicator_table`: the funnel plot's rule for
   a crime rate, a z-test for an NTU share, at ``alpha``);
2. ``ökning`` – a Brå category with a statistically clear increase from the year before;
3. ``trend`` – a Brå category with a statistically clear upward multi-year trend;
4. ``hot spot`` – places at statistically clear hot spots (Getis-Ord Gi*, FDR) in the place report;
5. ``trygghetsmätning`` – an area whose problem index in the police's survey rose clearly since the
   previous measurement, or where the police's report names "stora problem";
6. ``avloppsvatten`` – a substance whose load is at or above the 75th percentile of the European
   sites (:data:`WASTEWATER_PERCENTILE`);
7. ``fokus`` – a category the kommun has chosen as a focus area (not a finding in the data).

Topics are ranked by (a) the number of different signals (more independent evidence first), (b) the
strongest kind of signal they have, (c) the strength within that kind (smallest p-value; most places;
highest percentile), (d) name. The first :data:`MAX_PROBLEMS` (five) are "the problems that stand out
most"; with fewer candidates the report says so. Data that show nothing give no problem: a clear
*decrease* or a *better* level is never a problem.

The draft åtgärdsplan (:mod:`lagesbild.summary.focus_plan`) has one row per problem found here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.fmt import join, plain
from lagesbild.core.reports import CRIME_TRENDS, PLACE_ASSESSMENT, WASTEWATER
from lagesbild.stats import indicators as ind
from lagesbild.summary.key_indicators import COMPARISON_WORDS
from lagesbild.summary.sources import SOURCE_REPORTS, indicator_record, number_or_none, report_link
from lagesbild.summary.text import ratio_change

#: Signal kinds from strongest to weakest (the ranking's second key): name → Swedish short text.
SIGNALS: dict[str, str] = {
    "nivå": "tydligt högre nivå än i länet eller riket",
    "ökning": "tydlig ökning från året före",
    "trend": "tydligt uppåtgående trend",
    "hot spot": "platser vid säkerställda hot spots",
    "trygghetsmätning": "fler problem enligt polisens trygghetsmätning",
    "avloppsvatten": "hög belastning i avloppsvattnet jämfört med Europa",
    "fokus": "kommunens fokusområde",
}

#: At most this many problems are "the problems that stand out most".
MAX_PROBLEMS = 5
#: Fewer than this many candidates: the report says the data point out few problems.
MIN_PROBLEMS = 3
#: A substance at or above this percentile of the European sites is a signal.
WASTEWATER_PERCENTILE = 75.0

#: Columns of :func:`standout_problems`.
PROBLEM_COLUMNS: tuple[str, ...] = ("rank", "kind", "topic", "evidence", "signals", "n_signals", "tier", "strength",
                                    "reports", "example", "details")

#: Where each kind of topic comes from (report names; "" = this report's own data).
_KIND_REPORTS = {"brott": (CRIME_TRENDS.name,), "ntu": ("",), "platser": (PLACE_ASSESSMENT.name,),
                 "avloppsvatten": (WASTEWATER.name,), "trygghetsmätning": ("",)}


class _Topic:
    def __init__(self, kind: str, topic: str) -> None:
        self.kind, self.topic = kind, topic
        self.signals: dict[str, tuple[float, str]] = {}
        self.example = False
        self.details: dict[str, Any] = {}

    def add(self, signal: str, strength: float, text: str) -> None:
        if signal not in SIGNALS:
            raise ValueError(f"unknown signal {plain(signal)}")
        old = self.signals.get(signal)
        if old is None or strength < old[0]:
            self.signals[signal] = (strength, text)


def _level_signal(row, topic: _Topic) -> None:
    worse = [light for light in (row.lan, row.riket) if light.assessment == ind.WORSE]
    if not worse:
        return
    crime = row.source == ind.CRIME

    def v(x) -> str:
        return fmt.number(x) if crime else f"{fmt.number(x, 1)}\u00a0%"

    regions = [COMPARISON_WORDS[light.comparison] for light in worse]
    where = join(regions)
    refs = [f"{COMPARISON_WORDS[light.comparison]} {v(row.value_lan if light.comparison == ind.LAN else row.value_riket)}"
            for light in worse]
    unit = " per 100 000 invånare" if crime else ""
    best = min(worse, key=lambda light: light.p_value)
    text = (f"tydligt högre än i {where} ({row.year}: {v(row.value)}{unit} mot {', '.join(refs)}; "
            f"{fmt.pvalue(best.p_value)})")
    topic.add("nivå", float(best.p_value), text)
    topic.details.update(year=int(row.year), value=number_or_none(row.value), worse_than=regions,
                         unit="rate" if crime else "share")


def standout_problems(key_indicators: pd.DataFrame | None, crime: Mapping | None = None,
                      places: Mapping | None = None, wastewater: Mapping | None = None,
                      areas: pd.DataFrame | None = None, *, areas_example: bool = False,
                      limit: int = MAX_PROBLEMS, percentile: float = WASTEWATER_PERCENTILE) -> pd.DataFrame:
    """The few problems that stand out most, each with its evidence and source report.

    The rule (the module docstring has it in full): every piece of evidence is a signal of a kind
    in :data:`SIGNALS` on a topic; topics are ranked by the number of different signals, then the
    strongest kind, then the strength within it (smallest p-value; most hot-spot places; highest
    percentile), then name; the first ``limit`` are kept. Clear decreases and better levels are never
    signals.

    Parameters
    ----------
    key_indicators : pandas.DataFrame or None
        :func:`lagesbild.stats.indicators.indicator_table` (``nivå`` signals of crime and NTU).
    crime : dict, optional
        Key figures of ``crime_trends`` (``ökning``, ``trend`` and ``fokus`` signals).
    places : dict, optional
        Key figures of ``place_assessment`` (``hot spot``).
    wastewater : dict, optional
        Key figures of ``wastewater`` (``avloppsvatten``: ``percentile_europe`` ≥ ``percentile``).
    areas : pandas.DataFrame, optional
        :func:`lagesbild.summary.surveys.area_summary` (``trygghetsmätning``: the latest year's areas with a
        clear increase or questions the police call "stora problem").
    areas_example : bool
        Whether ``areas`` are example data.
    limit : int, default 5
    percentile : float, default 75

    Returns
    -------
    pandas.DataFrame
        :data:`PROBLEM_COLUMNS`, at most ``limit`` rows, rank 1 first: ``kind`` ("brott", "ntu",
        "platser", "avloppsvatten", "trygghetsmätning"), ``topic``, ``evidence`` (Swedish),
        ``signals`` (tuple of signal names, strongest kind first), ``n_signals``, ``tier`` (1 =
        ``nivå`` … 7 = ``fokus``), ``strength`` (smaller = stronger within the tier), ``reports``
        (tuple of source report names; "" for this report's own survey data), ``example`` (rests on
        example data), ``details`` (dict: figures for the draft plan). ``attrs["candidates"]`` is the
        number of topics before the limit.

    Examples
    --------
    >>> crime = {"indicators": [
    ...     {"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "previous_year": 2023,
    ...      "previous_count": 100, "change": {"rate_ratio": 1.5, "p_value": 0.001, "detectable": True},
    ...      "trend": {"annual_change_pct": 6.0, "p_value": 0.01, "detectable": True}},
    ...     {"indicator": "Rån", "year": 2024, "count": 12, "rate": 20.0, "previous_year": 2023, "previous_count": 5,
    ...      "change": {"rate_ratio": 2.4, "p_value": 0.04, "detectable": True}}],
    ...     "focus_areas": {"Klotter": []}}
    >>> p = standout_problems(None, crime)
    >>> p[["rank", "topic", "signals"]].values.tolist()
    [[1, 'Bilbrott', ('ökning', 'trend')], [2, 'Rån', ('ökning',)], [3, 'Klotter', ('fokus',)]]
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {plain(limit)}")
    topics: dict[tuple[str, str], _Topic] = {}

    def topic(kind: str, name: str) -> _Topic:
        return topics.setdefault((kind, name), _Topic(kind, name))

    if key_indicators is not None:
        for row in key_indicators.itertuples():
            kind = "brott" if row.source == ind.CRIME else "ntu"
            t = topic(kind, str(row.indicator))
            _level_signal(row, t)
            if not t.signals:
                del topics[(kind, str(row.indicator))]
    for rec in (crime or {}).get("indicators", []):
        c, tr = rec.get("change"), rec.get("trend")
        if c and c["detectable"] and not c.get("too_few") and (c.get("rate_ratio") or 0) > 1:
            t = topic("brott", rec["indicator"])
            t.add("ökning", number_or_none(c.get("p_value")) or 0.0,
                  f"tydlig ökning från {rec.get('previous_year')} till {rec['year']} "
                  f"({fmt.number(rec.get('previous_count'))} → {fmt.number(rec['count'])} anmälda brott, "
                  f"{ratio_change(c.get('rate_ratio'))})")
            t.details.update(year=rec["year"], rate=number_or_none(rec.get("rate")), previous_year=rec.get("previous_year"),
                             previous_rate=number_or_none(rec.get("previous_rate")))
        if tr and tr["detectable"] and not tr.get("too_few") and (tr.get("annual_change_pct") or 0) > 0:
            t = topic("brott", rec["indicator"])
            span = f" {tr['first_year']}–{tr['last_year']}" if tr.get("first_year") else ""
            t.add("trend", number_or_none(tr.get("p_value")) or 0.0,
                  f"tydligt uppåtgående trend{span} ({fmt.percent(tr['annual_change_pct'], 1, signed=True)} per år)")
            t.details.update(year=rec["year"], rate=number_or_none(rec.get("rate")))
    for area, matches in ((crime or {}).get("focus_areas") or {}).items():
        for name in matches or [area]:
            t = topic("brott", name)
            t.add("fokus", 0.0, f"kommunens fokusområde ({area})" if matches else
                  "kommunens fokusområde; ingen motsvarande kategori i Brås statistik i underlaget")
            rec = indicator_record(crime, name)
            if rec is not None:
                t.details.setdefault("year", rec["year"])
                t.details.setdefault("rate", number_or_none(rec.get("rate")))
    if places is not None and places.get("hot_spot_places"):
        hot = list(places["hot_spot_places"])
        t = topic("platser", "Platser med koncentrerade händelser")
        t.add("hot spot", -float(len(hot)),
              f"{len(hot)} {'plats ligger' if len(hot) == 1 else 'platser ligger'} vid statistiskt säkerställda hot "
              f"spots (Getis-Ord Gi*): {join(hot)}")
        t.example = bool(places.get("example_data"))
        t.details.update(places=hot)
    for r in (wastewater or {}).get("latest", []):
        pct = number_or_none(r.get("percentile_europe"))
        if pct is None or pct < percentile:
            continue
        t = topic("avloppsvatten", f"Narkotika i avloppsvattnet: {r['substance'].lower()}")
        t.add("avloppsvatten", -pct, f"percentil {fmt.number(pct)} bland de europeiska mätplatserna {r['year']} "
              f"({fmt.number(r['daily_mean'], 1)} mg per dag och 1 000 invånare)")
        t.example = bool(wastewater.get("example_data"))
        t.details.update(substance=r["substance"], year=r["year"], percentile=pct)
    if areas is not None and len(areas):
        from lagesbild.summary import surveys as trygghet

        latest = areas[areas["year"] == areas["year"].max()]
        for r in latest.itertuples():
            increase = r.change_status == trygghet.INCREASE
            if not increase and not r.n_large_problems:
                continue
            parts = []
            if increase:
                parts.append(f"problemindex ökade tydligt från {fmt.number(r.previous_index, 2)} "
                             f"({int(r.previous_year)}) till {fmt.number(r.index, 2)} ({int(r.year)})")
            if r.n_large_problems:
                parts.append(f"polisens rapport anger stora problem för {r.n_large_problems} "
                             f"{'fråga' if r.n_large_problems == 1 else 'frågor'}")
            t = topic("trygghetsmätning", f"{r.omrade} (polisens trygghetsmätning)")
            t.add("trygghetsmätning", float(r.change_p) if increase else 1.0 - r.n_large_problems / 100, "; ".join(parts))
            t.example = bool(areas_example)
            t.details.update(area=r.omrade, year=int(r.year), index=number_or_none(r.index), top_question=r.top_question,
                             increase=increase)
    tiers = {s: i for i, s in enumerate(SIGNALS, start=1)}
    rows = []
    for t in topics.values():
        names = sorted(t.signals, key=tiers.get)
        best = names[0]
        evidence = "; ".join(t.signals[s][1] for s in names)
        evidence = evidence[:1].upper() + evidence[1:] + (" (exempeldata)" if t.example else "")
        rows.append({"kind": t.kind, "topic": t.topic, "evidence": evidence, "signals": tuple(names),
                     "n_signals": len(names), "tier": tiers[best], "strength": float(t.signals[best][0]),
                     "reports": _KIND_REPORTS[t.kind], "example": t.example, "details": dict(t.details)})
    if not rows:
        out = pd.DataFrame({c: pd.Series([], dtype=object) for c in PROBLEM_COLUMNS})
        out.attrs["candidates"] = 0
        return out
    out = pd.DataFrame(rows).sort_values(["n_signals", "tier", "strength", "topic"],
                                         ascending=[False, True, True, True], kind="stable")
    candidates = len(out)
    out = out.head(limit).reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out.attrs["candidates"] = candidates
    return out[list(PROBLEM_COLUMNS)]


def _report_names(reports: Iterable[str]) -> str:
    return ", ".join(f"{SOURCE_REPORTS[r]} ({report_link(r)})" if r else "den här rapporten, avsnitt 2"
                     for r in reports)


def problems_display(problems: pd.DataFrame) -> pd.DataFrame:
    """The standing-out problems for the report: rank, problem, evidence, source.

    Examples
    --------
    >>> p = standout_problems(None, {"focus_areas": {"Klotter": []}})
    >>> problems_display(p).values.tolist()[0]
    [1, 'Klotter', 'Kommunens fokusområde; ingen motsvarande kategori i Brås statistik i underlaget', 'Brottsutvecklingen (crime_trends.html)']
    """
    rows = [[int(r.rank), r.topic, r.evidence, _report_names(r.reports)] for r in problems.itertuples()]
    return pd.DataFrame(rows, columns=["Rang", "Problem", "Underlag", "Källa"])


def problems_intro(problems: pd.DataFrame, limit: int = MAX_PROBLEMS) -> str:
    """How the problems were chosen, and how many candidates there were.

    Examples
    --------
    >>> p = standout_problems(None, {"focus_areas": {"Klotter": []}})
    >>> problems_intro(p).endswith("Underlaget pekar bara ut 1 sådant problem.")
    True
    """
    n = int(problems.attrs.get("candidates", len(problems)))
    rule = ("Ett problem sticker ut när underlaget visar något av följande, i den här ordningen: ett nyckeltal som är "
            "tydligt sämre än i länet eller riket, en tydlig ökning från året före, en tydligt uppåtgående trend, "
            "platser vid säkerställda hot spots, fler problem i ett område enligt polisens trygghetsmätning, narkotika i "
            f"avloppsvattnet på eller över percentil {fmt.number(WASTEWATER_PERCENTILE)} i Europa, och sist kommunens "
            "egna fokusområden. Problem med flera sådana belägg rangordnas först, sedan efter det starkaste belägget. "
            "En minskning eller en bättre nivå räknas aldrig som ett problem.")
    if n == 0:
        return rule + " Underlaget pekar inte ut något sådant problem."
    if n < MIN_PROBLEMS:
        return rule + f" Underlaget pekar bara ut {n} {'sådant problem' if n == 1 else 'sådana problem'}."
    if n > limit:
        return rule + f" Tabellen visar de {limit} som sticker ut mest av {n}."
    return rule


__all__ = [
    "MAX_PROBLEMS", "MIN_PROBLEMS", "PROBLEM_COLUMNS", "SIGNALS", "WASTEWATER_PERCENTILE",
    "problems_display", "problems_intro", "standout_problems"
]
