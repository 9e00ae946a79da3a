"""What the wastewater report needs beyond its building blocks: the kommun's sites, comparisons, texts.

The building blocks are :mod:`lagesbild.sources.euda` (the bundled European table), :mod:`lagesbild.wastewater.labresults`
(a kommun's own lab results), :mod:`lagesbild.wastewater.trends` (changes, trends, sentences) and two charts in
:mod:`lagesbild.render.charts`. This module ties them together for ``notebooks/wastewater.ipynb``: which sites
belong to the kommun, where the kommun stands among Swedish sites and in Europe, the nearest sites when
the kommun measures nothing, and the report's Swedish tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA
from lagesbild.sources import euda
from lagesbild.sources.public import kommun_point
from lagesbild.sources.substances import SUBSTANCES
from lagesbild.text import caveats as register
from lagesbild.wastewater import trends as wwtrends
from lagesbild.wastewater.trends import (
    MIN_DAYS,
    MIN_TREND_YEARS,
    LoadChange,
    LoadTrend,
    multi_year_trend,
    year_over_year,
)

#: The bundled example lab results (Trelleborg), used when no folder is given.
EXAMPLE_LAB = DATA / "example" / "wastewater"

#: The unit of every load, in words.
UNIT = "mg per dygn och 1\u00a0000 invånare"


def lab_folder(lab_data: str) -> Path:
    """The folder of lab results a report reads: the given one (relative to the project), or the example.

    Examples
    --------
    >>> from lagesbild.core.paths import PROJ_ROOT
    >>> lab_folder("") == EXAMPLE_LAB, lab_folder("indata/avlopp") == PROJ_ROOT / "indata" / "avlopp"
    (True, True)
    """
    from lagesbild.core.paths import input_folder

    return input_folder(lab_data, EXAMPLE_LAB)


@dataclass
class KommunLoads:
    """The kommun's measurements: own lab results and EUDA sites in the kommun, in one DAILY/SUMMARY pair."""

    daily: pd.DataFrame
    summary: pd.DataFrame
    sites: list[str]          # site ids, own measurements first
    own_sites: list[str]
    euda_sites: list[str]

    @property
    def any(self) -> bool:
        return bool(self.sites)


def kommun_loads(ds, lab, kommun: str) -> KommunLoads:
    """Combine the kommun's own lab results (``lab``, may be None) with the EUDA sites mapped to it.

    Examples
    --------
    >>> from lagesbild import processed
    >>> k = kommun_loads(processed.load(), None, "1488")
    >>> k.sites, k.euda_sites, sorted(k.summary["substance"].unique())[:2]
    (['SE009'], ['SE009'], ['MDMA', 'amphetamine'])

    EUDA's 2021 weekday and weekend means (another split of the week) are recomputed from the days:

    >>> g = kommun_loads(processed.load(), None, "2180").summary
    >>> row = g[(g["year"] == 2021) & (g["substance"] == "cocaine")].iloc[0]
    >>> published = processed.load().ww_summary
    >>> old = published[(published["site_id"] == "SE002") & (published["year"] == 2021) & (published["substance"] == "cocaine")]
    >>> bool(row["weekday_mean"] != old["weekday_mean"].iloc[0]), bool(row["daily_mean"] == old["daily_mean"].iloc[0])
    (True, True)
    """
    euda_ids = euda.kommun_sites(kommun, ds.ww_sites_sweden)
    daily = [ds.ww_daily[ds.ww_daily["site_id"].isin(euda_ids)]]
    summary = [_recomputed(ds.ww_summary[ds.ww_summary["site_id"].isin(euda_ids)], daily[0])]
    own: list[str] = []
    if lab is not None:
        own = list(dict.fromkeys(lab.summary["site_id"]))
        daily.insert(0, lab.daily)
        summary.insert(0, lab.summary)
    columns = list(euda.DAILY_COLUMNS)
    d = pd.concat([f[columns] for f in daily], ignore_index=True)
    s = pd.concat([f[list(euda.SUMMARY_COLUMNS)] for f in summary], ignore_index=True)
    return KommunLoads(daily=d, summary=s, sites=own + euda_ids, own_sites=own, euda_sites=euda_ids)


def _recomputed(summary: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """EUDA rows with weekday and weekend means recomputed from the days (Tue–Thu, Fri–Mon) where days exist.

    EUDA's published 2021 means split the week differently (:mod:`lagesbild.sources.euda`); recomputed means
    are comparable across years. The daily mean stays EUDA's.
    """
    if summary.empty or daily.empty:
        return summary
    again = euda.recompute_means(daily).set_index(["site_id", "year", "campaign", "substance"])
    out = summary.copy()
    key = pd.MultiIndex.from_frame(out[["site_id", "year", "campaign", "substance"]])
    for column in ("weekday_mean", "weekend_mean"):
        fresh = again[column].reindex(key).to_numpy()
        out[column] = pd.Series(fresh, index=out.index).where(pd.notna(fresh), out[column])
    return out


def _main_site(k: KommunLoads, substance: str) -> str | None:
    """The kommun's first site (own measurements first) with a value for the substance."""
    have = k.summary[(k.summary["substance"] == substance) & k.summary["daily_mean"].notna()]["site_id"]
    return next((s for s in k.sites if (have == s).any()), None)


def _ordered(k: KommunLoads, rows: pd.DataFrame) -> pd.DataFrame:
    """Summary rows in time order: by year, then by the campaign's first sample day (EUDA has none: by label)."""
    starts = (k.daily.dropna(subset=["date"]).groupby(["site_id", "campaign"])["date"].min()
              if len(k.daily) and "date" in k.daily else pd.Series(dtype="datetime64[ns]"))
    key = pd.MultiIndex.from_frame(rows[["site_id", "campaign"]])
    start = pd.Series(starts.reindex(key).to_numpy(), index=rows.index)
    # without sample days, the week in a label like "2025 v.9" orders campaigns (as a number, not as text)
    week = rows["campaign"].astype(str).str.extract(r"v\.?\s*(\d+)", expand=False).astype(float)
    return rows.assign(_start=start, _week=week).sort_values(["year", "_start", "_week", "campaign"], kind="stable",
                                                             na_position="last").drop(columns=["_start", "_week"])


def _latest_campaign(k: KommunLoads, site: str, substance: str) -> str | None:
    """The latest campaign of a site with daily values for the substance."""
    d = k.daily[(k.daily["site_id"] == site) & (k.daily["substance"] == substance) & k.daily["load"].notna()]
    if d.empty:
        return None
    rows = k.summary[(k.summary["site_id"] == site) & (k.summary["substance"] == substance)
                     & k.summary["campaign"].isin(set(d["campaign"]))]
    return str(_ordered(k, rows)["campaign"].iloc[-1]) if len(rows) else str(d["campaign"].iloc[-1])


def site_names(k: KommunLoads) -> dict[str, str]:
    """Site id → display name, with the source ("egen mätning" or "EUDA") in brackets.

    Examples
    --------
    >>> k = KommunLoads(pd.DataFrame(), pd.DataFrame({"site_id": ["a"], "site": ["Verket"]}), ["a"], ["a"], [])
    >>> site_names(k)
    {'a': 'Verket (egen mätning)'}
    """
    names = dict(zip(k.summary["site_id"], k.summary["site"], strict=True))
    return {s: f"{names[s]} ({'egen mätning' if s in k.own_sites else 'EUDA'})" for s in k.sites}


def substances_measured(summary: pd.DataFrame, site_ids: list[str], chosen: list[str] | None = None) -> list[str]:
    """The substance keys the sites have values for, in :data:`SUBSTANCES` order (``chosen`` filters).

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": ["a", "a"], "substance": ["MDMA", "cocaine"], "daily_mean": [1.0, 2.0]})
    >>> substances_measured(s, ["a"]), substances_measured(s, ["a"], ["MDMA"])
    (['cocaine', 'MDMA'], ['MDMA'])
    """
    have = set(summary.loc[summary["site_id"].isin(site_ids) & summary["daily_mean"].notna(), "substance"])
    unknown = [c for c in (chosen or []) if c not in SUBSTANCES]
    if unknown:
        raise ValueError(f"unknown substance(s) {unknown}; use {list(SUBSTANCES)}")
    return [key for key in SUBSTANCES if key in have and (not chosen or key in chosen)]


def european_series(europe: pd.DataFrame, substance: str) -> pd.Series | None:
    """EUDA's European mean per year for a substance (only cocaine has one), or None.

    Examples
    --------
    >>> e = pd.DataFrame({"substance": ["cocaine"], "year": [2024], "european_mean": [848.1]})
    >>> european_series(e, "cocaine").to_dict(), european_series(e, "MDMA")
    ({2024: 848.1}, None)
    """
    rows = europe[europe["substance"] == substance]
    return None if rows.empty else rows.set_index("year")["european_mean"].sort_index()


def campaign_table(k: KommunLoads, substances: list[str]) -> pd.DataFrame:
    """One row per site, campaign and substance: the means a council reads, with the number of days.

    Examples
    --------
    >>> from lagesbild import processed
    >>> t = campaign_table(kommun_loads(processed.load(), None, "1488"), ["cocaine"])
    >>> list(t.columns)
    ['Plats', 'Mätvecka', 'Substans', 'Vardagar (tis–tor)', 'Helg (fre–mån)', 'Hela veckan', 'Mätdygn']
    """
    names = site_names(k)
    s = _ordered(k, k.summary[k.summary["substance"].isin(substances)].copy())
    s["_order"] = s["substance"].map({key: i for i, key in enumerate(SUBSTANCES)})
    s["_site"] = s["site_id"].map({site: i for i, site in enumerate(k.sites)})
    s = s.sort_values(["_site", "_order"], kind="stable")
    return pd.DataFrame({
        "Plats": s["site_id"].map(names), "Mätvecka": s["campaign"].astype(str),
        "Substans": s["substance"].map(lambda key: SUBSTANCES[key].name),
        "Vardagar (tis–tor)": s["weekday_mean"], "Helg (fre–mån)": s["weekend_mean"], "Hela veckan": s["daily_mean"],
        "Mätdygn": s["n_days"].astype("Int64"),
    }).reset_index(drop=True)


def standing(k: KommunLoads, all_summary: pd.DataFrame, substances: list[str]) -> pd.DataFrame:
    """Where the kommun's latest value stands among Swedish sites and in Europe, per substance.

    The kommun's latest campaign mean (its main site: own measurements first) is compared with the
    sites in EUDA's table for the same year, or, when EUDA has no sites for that year (own results
    newer than the table), with EUDA's latest year; the column ``Jämfört med år`` says which.
    Rank 1 is the highest load; the percentile is the share of sites at or below the kommun
    (:func:`lagesbild.sources.euda.position`).

    Examples
    --------
    >>> from lagesbild import processed
    >>> ds = processed.load()
    >>> t = standing(kommun_loads(ds, None, "1488"), ds.ww_summary, ["cocaine"])
    >>> int(t.iloc[0]["Jämfört med år"]), t.iloc[0]["Plats i Sverige"]
    (2024, '3 av 5')
    """
    rows = []
    for key in substances:
        main = _main_site(k, key)
        if main is None:
            continue
        mine = k.summary[(k.summary["site_id"] == main) & (k.summary["substance"] == key)].dropna(subset=["daily_mean"])
        year = int(mine["year"].max())
        value = float(mine[mine["year"] == year]["daily_mean"].mean())
        # the sites the kommun is compared with: EUDA's, never the main site or the kommun's own plants (a second
        # own plant measured in 2025 does not make 2025 an EUDA year); another EUDA site in the kommun counts
        pool = all_summary[~all_summary["site_id"].isin({main, *k.own_sites}) & (all_summary["substance"] == key)
                           & all_summary["daily_mean"].notna()]
        euda_years = pool["year"]
        if euda_years.empty:
            continue
        compare = year if year in set(euda_years) else int(euda_years[euda_years <= year].max()
                                                             if (euda_years <= year).any() else euda_years.max())
        others = pool[pool["year"] == compare]
        pseudo = pd.DataFrame([{**dict.fromkeys(euda.SUMMARY_COLUMNS), "site_id": main, "site": "", "country": "SE",
                                "year": compare, "campaign": str(compare), "substance": key, "daily_mean": value}])
        ranked = pd.concat([others, pseudo], ignore_index=True)
        se = euda.position(ranked, main, key, compare, country="SE")
        eu = euda.position(ranked, main, key, compare)
        rows.append({
            "Substans": SUBSTANCES[key].name, "Senaste mätår": year, "Hela veckan": value, "Jämfört med år": compare,
            "Plats i Sverige": f"{se.rank} av {se.n_sites}" if se and se.n_sites > 1 else "inga andra svenska platser",
            "Percentil i Europa": eu.percentile if eu and eu.n_sites > 1 else None,
            "Andra platser i Europa": eu.n_sites - 1 if eu else 0,
            "Median i Europa": eu.median if eu and eu.n_sites > 1 else None,
        })
    return pd.DataFrame(rows, columns=["Substans", "Senaste mätår", "Hela veckan", "Jämfört med år", "Plats i Sverige",
                                       "Percentil i Europa", "Andra platser i Europa", "Median i Europa"])


def nearest_table(ds, kommun: str, n: int = 3) -> pd.DataFrame:
    """The nearest Swedish EUDA sites, with distance, years measured and their kommun.

    Examples
    --------
    >>> from lagesbild import processed
    >>> t = nearest_table(processed.load(), "2080")
    >>> list(t.columns), len(t)
    (['Plats', 'Kommun', 'Avstånd (km)', 'Mätår'], 3)
    """
    lat, lon = kommun_point(ds.boundaries, kommun)
    near = euda.nearest_sites(lat, lon, ds.ww_sites, n=n, country="SE")
    kommuner = ds.ww_sites_sweden.set_index("site_id")["kommun"]
    years = ds.ww_summary.groupby("site_id")["year"].agg(lambda y: f"{int(y.min())}–{int(y.max())}"
                                                          if y.min() != y.max() else str(int(y.min())))
    return pd.DataFrame({"Plats": near["site"], "Kommun": near["site_id"].map(kommuner),
                         "Avstånd (km)": near["distance_km"].round(0), "Mätår": near["site_id"].map(years)})


def national_table(summary: pd.DataFrame, year: int) -> pd.DataFrame:
    """The Swedish sites' latest values up to ``year``, one column per substance (for the national picture).

    Examples
    --------
    >>> from lagesbild import processed
    >>> t = national_table(processed.load().ww_summary, 2024)
    >>> t.columns[0], "Kokain" in t.columns
    ('Plats (år)', True)
    """
    pic = euda.national_picture(summary, year, country="SE")
    pic = pic.assign(plats=pic["site"] + " (" + pic["year"].astype(int).astype(str) + ")")
    wide = pic.pivot_table(index="plats", columns="substance", values="daily_mean", aggfunc="mean")
    wide = wide[[key for key in SUBSTANCES if key in wide.columns]]
    wide.columns = [SUBSTANCES[key].name for key in wide.columns]
    return wide.reset_index().rename(columns={"plats": "Plats (år)"})


def method_text() -> str:
    """How the loads are computed and compared, in a paragraph.

    Examples
    --------
    >>> "mg per dygn" in method_text()
    True
    """
    return ("Avloppsvattnet provtas som dygnsprover vid reningsverkets inlopp. Laboratoriet mäter halten av varje "
            "narkotikarest (biomarkör, t.ex. bensoylekgonin för kokain). Halten gånger dygnets flöde delat med antalet "
            f"anslutna personer ger belastningen i {UNIT}, samma mått som EUDA:s europeiska studie använder. Rapporten "
            "redovisar biomarkörernas belastning, inte beräknad konsumtion. Vardagsmedel är tisdag–torsdag och "
            "helgmedel fredag–måndag, som hos EUDA (helgens bruk syns i avloppet med ett dygns fördröjning).")


def caveats(lab, k: KommunLoads) -> list[str]:
    """The report's caveats, one sentence each.

    Examples
    --------
    >>> any("vecka" in c for c in caveats(None, KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], [])))
    True
    """
    out = []
    if lab is not None and lab.example:
        out.append("Kommunens egna mätningar i rapporten är påhittade exempeldata.")
    out += [register.text("ww_one_week"), register.text("ww_catchment"), register.text("ww_loq"),
            register.text("ww_euda_2021_days"), register.text("ww_labs")]
    return out


def key_figures(title: str, cfg, lab, k: KommunLoads, stand: pd.DataFrame) -> dict:
    """The report's key figures for ``<report>.json``.

    Examples
    --------
    >>> class C: kommun, name, lan = "2080", "Falun", "Dalarnas län"
    >>> kf = key_figures("t", C(), None, KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], []), None)
    >>> kf["own_measurements"], kf["sites"]
    (False, [])
    """
    return {
        "title": title, "kommun": cfg.kommun, "name": cfg.name, "lan": cfg.lan,
        "own_measurements": bool(k.own_sites), "example_data": bool(lab is not None and lab.example),
        "sites": k.sites, "euda_sites": k.euda_sites,
        "latest": [{"substance": r["Substans"], "year": int(r["Senaste mätår"]), "daily_mean": round(float(r["Hela veckan"]), 2),
                    "percentile_europe": None if pd.isna(r["Percentil i Europa"]) else round(float(r["Percentil i Europa"]), 1)}
                   for _, r in stand.iterrows()] if stand is not None and len(stand) else [],
        "load_series": load_series(k),
    }


def load_series(k: KommunLoads) -> list[dict]:
    """Per substance, its main site's yearly loads (:func:`lagesbild.wastewater.trends.yearly_loads`), JSON-ready.

    The main site is the one the report's "latest" figures use (own measurements first). The
    lägesbild follows up an åtgärdsplan's goal on a substance with these.

    Examples
    --------
    >>> d = pd.DataFrame({"site_id": "S", "substance": "cocaine", "year": 2025, "load": [90.0, 100.0, 110.0],
    ...                   "below_loq": False})
    >>> s = pd.DataFrame({"site_id": ["S"], "substance": ["cocaine"], "year": [2025], "daily_mean": [100.0]})
    >>> r = load_series(KommunLoads(d, s, ["S"], ["S"], []))[0]
    >>> r["substance"], r["site_id"], r["year"], r["days"], r["mean"], r["log_sd"]
    ('Kokain', 'S', 2025, 3, 100.0, 0.1004)
    """
    from lagesbild.wastewater.trends import yearly_loads

    def num(x: float) -> float | None:
        return None if pd.isna(x) else round(float(x), 4)

    out = []
    if not len(k.summary):
        return out
    for key in sorted(k.summary["substance"].unique(), key=lambda x: SUBSTANCES[x].name if x in SUBSTANCES else x):
        main = _main_site(k, key)
        if main is None or key not in SUBSTANCES or not len(k.daily):
            continue
        for r in yearly_loads(k.daily, main, key).to_dict("records"):
            out.append({"substance": SUBSTANCES[key].name, "site_id": main, "year": int(r["year"]), "days": int(r["days"]),
                        "mean": round(float(r["mean"]), 2), "log_mean": num(r["log_mean"]), "log_sd": num(r["log_sd"]),
                        "below_loq": int(r["below_loq"])})
    return out


def no_data_text(name: str, lab_folder_path) -> str:
    """Why a kommun has no measurements of its own in the report.

    Examples
    --------
    >>> no_data_text("Falun", EXAMPLE_LAB).startswith("Falun har inga egna mätningar")
    True
    """
    where = ("De medföljande exempeldata gäller bara Trelleborg, och ingen egen mapp med analysresultat (lab_data) är "
             "angiven för kommunen." if Path(lab_folder_path).resolve() == EXAMPLE_LAB.resolve()
             else f"Mappen {Path(lab_folder_path).name} har inga analysresultat för kommunen.")
    return (f"{name} har inga egna mätningar i underlaget och inget reningsverk i kommunen ingår i EUDA:s europeiska "
            f"studie. {where} Rapporten visar därför de närmaste svenska mätplatserna och läget i landet.")


def percent_text(value) -> str:
    """A percentile (0–100) for a table, or "–".

    Examples
    --------
    >>> percent_text(62.5), percent_text(None)
    ('63\\xa0%', '–')
    """
    return "–" if value is None or value != value else fmt.percent(float(value))


#: ``formatters`` for :func:`standing` tables.
STANDING_FORMAT = {"Percentil i Europa": percent_text, "Hela veckan": lambda v: fmt.number(v, 1),
                   "Median i Europa": lambda v: "–" if v is None or v != v else fmt.number(v, 1),
                   "Senaste mätår": str, "Jämfört med år": str}


def comparison_pool(euda_summary: pd.DataFrame, k: KommunLoads) -> pd.DataFrame:
    """EUDA's summary plus the kommun's own campaigns: the sites a kommun is compared with.

    Examples
    --------
    >>> k = KommunLoads(pd.DataFrame(), pd.DataFrame({"site_id": ["own"], "daily_mean": [1.0]}), ["own"], ["own"], [])
    >>> len(comparison_pool(pd.DataFrame({"site_id": ["AT001"], "daily_mean": [2.0]}), k))
    2
    """
    own = k.summary[k.summary["site_id"].isin(k.own_sites)] if len(k.summary) else k.summary
    return pd.concat([euda_summary, own], ignore_index=True) if len(own) else euda_summary


def source_for(k: KommunLoads, own_source: str | None, euda_source: str, *, with_euda: bool = False) -> str:
    """The source line for a section on the kommun's measurements (``with_euda``: EUDA sites are shown too).

    Examples
    --------
    >>> k = KommunLoads(pd.DataFrame(), pd.DataFrame(), ["a", "SE009"], ["a"], ["SE009"])
    >>> source_for(k, "Egna analyser", "EUDA")
    'Egna analyser; EUDA'
    """
    parts = []
    if k.own_sites and own_source:
        parts.append(own_source)
    if k.euda_sites or not k.own_sites or with_euda:
        parts.append(euda_source)
    return "; ".join(parts)


def sites_text(k: KommunLoads, name: str) -> str:
    """Which measurements the kommun has, in a sentence or two.

    Examples
    --------
    >>> from lagesbild import processed
    >>> print(sites_text(kommun_loads(processed.load(), None, "1488"), "Trollhättan"))
    Trollhättan ingår i EUDA:s europeiska studie med Trollhättan (mätår 2024).
    """
    years = k.summary.groupby("site_id")["year"].agg(lambda y: f"{int(y.min())}–{int(y.max())}" if y.min() != y.max()
                                                     else str(int(y.min())))
    site = dict(zip(k.summary["site_id"], k.summary["site"], strict=True))
    out = []
    if k.own_sites:
        out.append(f"{name} har egna analyser från {_join([f'{site[s]} (mätår {years[s]})' for s in k.own_sites])}.")
    if k.euda_sites:
        out.append(f"{name} ingår i EUDA:s europeiska studie med "
                   f"{_join([f'{site[s]} (mätår {years[s]})' for s in k.euda_sites])}.")
    return " ".join(out)


_join = fmt.join


# --------------------------------------------------------------------------------------------
# Sentences about changes and trends (the statistics are in lagesbild.wastewater.trends)
# --------------------------------------------------------------------------------------------

#: The methods of :mod:`lagesbild.wastewater.trends` in words, by their ``method`` code.
METHOD_TEXTS = {
    wwtrends.YOY_METHOD: (
        "Welchs t-test på logaritmerade dygnsbelastningar (olika varianser, Welch–Satterthwaites "
        "frihetsgrader); skillnaden i medelvärde av log-värden återförd till en kvot av geometriska "
        "medelvärden med konfidensintervall"
    ),
    wwtrends.TREND_METHOD: (
        "Log-linjär trend: minsta-kvadratregression (OLS) av log(dygnsmedelvärde) på år, en punkt per "
        "mätperiod; Theil–Sens lutning på samma log-värden som robusthetskontroll"
    ),
}


def _period(campaign: str | None, year: int | None) -> str:
    """How a campaign is named in a sentence: ``"2024"`` or ``"mätperioden 2025 v.12"``."""
    if campaign is None:
        return "–"
    return campaign if campaign == str(year) else f"mätperioden {campaign}"


def _load_text(x: float) -> str:
    decimals = 0 if x >= 100 else (1 if x >= 1 else 2)
    return fmt.number(x, decimals)


def _signed_pct(x: float, decimals: int = 0) -> str:
    sign = "+" if round(x, decimals) > 0 else ""
    return sign + fmt.number(x, decimals)


def _level(alpha: float) -> str:
    level = 100.0 * (1.0 - alpha)
    decimals = next(d for d in range(4) if abs(round(level, d) - level) < 1e-9 or d == 3)
    return fmt.percent(level, decimals)


def _pct_decimals(*values: float) -> int:
    """Whole percent, unless the estimate is below 0,5 % in size (then one decimal)."""
    return 0 if abs(values[0]) >= 0.5 else 1


def _lower_first(name: str) -> str:
    """``"Kokain"`` → ``"kokain"`` inside a sentence; acronyms such as ``"MDMA"`` stay."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name




def _week_caveat(n_before: int, n_after: int) -> str:
    what = "mätvecka" if max(n_before, n_after) <= 7 else "mätperiod"
    return (f"Jämförelsen bygger på {n_before} och {n_after} mätdygn, och en enstaka {what} behöver "
            "inte vara representativ för hela året.")


def describe_yoy(name: str, result: LoadChange) -> str:
    """Swedish sentences about the change between the last two campaigns, with its uncertainty.

    The level of the later campaign is the arithmetic mean of its daily loads (as EUDA publishes
    it); the percentage and its interval are for a typical measurement day (ratio of geometric
    means, see :func:`~lagesbild.wastewater.trends.year_over_year`). "Statistiskt säkerställd" only when the interval excludes
    no change; otherwise "kan bero på slumpen". With too few days, a single campaign, or most
    values below the LOQ, no percentage is given. Every comparison ends with the reminder that a
    measurement week need not represent the year.

    Parameters
    ----------
    name : str
        Swedish substance name starting with a capital, e.g. ``"Kokain"``.
    result : LoadChange
        From :func:`~lagesbild.wastewater.trends.year_over_year`.

    Returns
    -------
    str
        Plain text, one to three sentences.

    Examples
    --------
    >>> r = LoadChange("SE999", "cocaine", (2024, 2025), ("2024", "2025"), 300.0, 412.0, 290.0, 400.0,
    ...                1.38, 1.05, 1.81, 0.03, 2.5, 11.2, 7, 7, (0, 0), (0, 0), 0.05, True, False, False, "")
    >>> print(describe_yoy("Kokain", r).replace("\\u00a0", " "))
    Kokain: 2025 var belastningen i genomsnitt 412 mg per dygn och 1 000 invånare (2024: 300). Ett typiskt mätdygn låg 38 % högre än 2024 (95 % KI +5 till +81 %); skillnaden är statistiskt säkerställd. Jämförelsen bygger på 7 och 7 mätdygn, och en enstaka mätvecka behöver inte vara representativ för hela året.

    >>> r = LoadChange("SE999", "cocaine", (2024, 2025), ("2024", "2025"), 300.0, 320.0, 290.0, 310.0,
    ...                1.07, 0.8, 1.4, 0.6, 0.5, 11.2, 2, 7, (0, 0), (0, 0), 0.05, False, True, False, "")
    >>> print(describe_yoy("Kokain", r))
    Kokain: det går inte att säga om belastningen ändrades från 2024 till 2025: för få mätdagar (2 och 7; minst 3 behövs i varje mätperiod).
    """
    cb, ca = result.campaigns
    yb, ya = result.years
    if ca is None or cb is None:
        if ca is None:
            return f"{name}: inga mätvärden, så det går inte att säga något om belastningen."
        return (f"{name}: bara en mätperiod ({ca}), så det går inte att säga om belastningen har "
                "ändrats.")
    before, after = _period(cb, yb), _period(ca, ya)
    reasons = []
    if result.too_few:
        reasons.append(f"för få mätdagar ({result.n_before} och {result.n_after}; minst {MIN_DAYS} behövs "
                       "i varje mätperiod)")
    if result.not_interpretable:
        nb, na = result.n_before, result.n_after
        lb, la = result.n_below_loq
        if (nb and lb > nb / 2) or (na and la > na / 2):
            reasons.append(f"de flesta värden låg under kvantifieringsgränsen ({lb} av {nb} mätdygn "
                           f"{cb}, {la} av {na} {ca})")
        else:
            zb, za = result.n_zero
            reasons.append(f"{zb + za} mätdygn har inget kvantifierat värde (värdet 0), och då går "
                           "förändringen inte att beräkna")
    if reasons:
        return (f"{name}: det går inte att säga om belastningen ändrades från {before} till {after}: "
                f"{' och '.join(reasons)}.")

    level = (f"{name}: {after} var belastningen i genomsnitt {_load_text(result.mean_after)} {UNIT} "
             f"({before}: {_load_text(result.mean_before)}).")
    caveat = _week_caveat(result.n_before, result.n_after)
    if not math.isfinite(result.ratio):
        return f"{level} Förändringen går inte att beräkna. {caveat}"
    pct = 100.0 * (result.ratio - 1.0)
    d = 0  # whole percent: a week of data carries no more precision
    if round(pct, d) == 0:
        change = f"Ett typiskt mätdygn låg på ungefär samma nivå som {before}"
    else:
        word = "högre" if pct > 0 else "lägre"
        change = f"Ett typiskt mätdygn låg {fmt.percent(abs(pct), d)} {word} än {before}"
    if not math.isfinite(result.ci_low):
        return f"{level} {change}, men osäkerheten går inte att beräkna (alla dygn har samma värde). {caveat}"
    ci = (f"{_level(result.alpha)} KI {_signed_pct(100 * (result.ci_low - 1), d)} till "
          f"{_signed_pct(100 * (result.ci_high - 1), d)}{fmt.NBSP}%")
    if result.detectable:
        return f"{level} {change} ({ci}); skillnaden är statistiskt säkerställd. {caveat}"
    return f"{level} {change} ({ci}), men skillnaden kan bero på slumpen. {caveat}"


def describe_trend(name: str, result: LoadTrend) -> str:
    """Swedish sentences about the multi-year trend, with its interval and the Theil–Sen check.

    Parameters
    ----------
    name : str
        Swedish substance name starting with a capital, e.g. ``"Kokain"``.
    result : LoadTrend
        From :func:`~lagesbild.wastewater.trends.multi_year_trend`.

    Returns
    -------
    str
        Plain text. A trend is called "statistiskt säkerställd" only when the OLS interval excludes
        0; when the Theil–Sen slope points the other way the text says to read the trend with
        care. It always says that each year rests on one (or a few) measurement periods.

    Examples
    --------
    >>> t = LoadTrend("SE999", "cocaine", tuple(range(2016, 2025)), 9, 9, 9.2, 4.1, 14.6, 0.003, 8.6,
    ...               3.0, 15.0, 0.05, True, False, False, (), "")
    >>> print(describe_trend("Kokain", t).replace("\\u00a0", " "))
    Kokain: belastningen har ökat med i genomsnitt 9 % per år 2016–2024 (9 mätår; 95 % KI +4 till +15 %; p = 0,003); trenden är statistiskt säkerställd. Robust skattning (Theil–Sen): +9 % per år. Varje år bygger på en enda mätperiod (oftast en vecka), så en del av skillnaderna mellan åren kan bero på vilken vecka som mättes.

    >>> t = LoadTrend("SE999", "cocaine", (2023, 2024), 2, 2, *[float("nan")] * 7, 0.05, False, True,
    ...               False, (), "")
    >>> print(describe_trend("Kokain", t))
    Kokain: för få mätår (2) för att bedöma en trend; minst 3 behövs.
    """
    if result.too_few:
        if result.n_years == 0:
            return f"{name}: inga mätår, så det går inte att bedöma någon trend."
        return f"{name}: för få mätår ({result.n_years}) för att bedöma en trend; minst {MIN_TREND_YEARS} behövs."
    if result.not_interpretable:
        years = _join([str(y) for y in result.zero_years])
        return (f"{name}: det går inte att skatta en trend, eftersom inget kvantifierades {years} "
                "(dygnsmedelvärde 0).")
    period = f"{result.years[0]}–{result.years[-1]}"
    est = result.annual_change_pct
    d = _pct_decimals(est)
    ci = (f"{_level(result.alpha)} KI {_signed_pct(result.ci_low_pct, d)} till "
          f"{_signed_pct(result.ci_high_pct, d)}{fmt.NBSP}%")
    p = fmt.pvalue(result.p)
    if result.detectable:
        direction = "ökat" if est > 0 else "minskat"
        text = (f"{name}: belastningen har {direction} med i genomsnitt {fmt.percent(abs(est), d)} per år "
                f"{period} ({result.n_years} mätår; {ci}; {p}); trenden är statistiskt säkerställd.")
    else:
        text = (f"{name}: ingen statistiskt säkerställd trend {period} ({result.n_years} mätår; i genomsnitt "
                f"{_signed_pct(est, d)}{fmt.NBSP}% per år; {ci}; {p}).")
    ts = result.theil_sen_pct
    text += f" Robust skattning (Theil–Sen): {_signed_pct(ts, d)}{fmt.NBSP}% per år"
    if result.detectable and round(ts, d) != 0 and (ts > 0) != (est > 0):
        text += ", alltså åt motsatt håll, så trenden bör tolkas med stor försiktighet"
    elif result.detectable and round(ts, d) == 0:
        text += ", så trenden bör tolkas med försiktighet"
    text += "."
    if result.n_years < 5:
        text += f" Med bara {result.n_years} mätår är osäkerheten mycket stor."
    if result.n_campaigns == result.n_years:
        text += (" Varje år bygger på en enda mätperiod (oftast en vecka), så en del av skillnaderna "
                 "mellan åren kan bero på vilken vecka som mättes.")
    else:
        text += (" Varje år bygger på några få mätperioder, så en del av skillnaderna mellan åren kan "
                 "bero på vilka veckor som mättes.")
    return text


def summary_sentences(daily: pd.DataFrame, summary: pd.DataFrame, site_id: str,
                      alpha: float = 0.05) -> list[str]:
    """Short Swedish overview of one site: what rose, what fell, and what cannot be said.

    For every substance of :data:`lagesbild.sources.substances.SUBSTANCES` (in that order) that the site
    has in ``daily`` or ``summary``, the last two campaigns are compared with
    :func:`~lagesbild.wastewater.trends.year_over_year` and the years with :func:`~lagesbild.wastewater.trends.multi_year_trend`. Substances are grouped into
    sentences: statistically confirmed increases and decreases (with the change of a typical
    measurement day), changes that may be chance, and comparisons that cannot be made (with the
    reason); then the trends the same way. The last sentence reminds that a measurement week need
    not represent the year.

    Parameters
    ----------
    daily, summary : pandas.DataFrame
        ``DAILY`` and ``SUMMARY`` frames.
    site_id : str
    alpha : float, default 0.05

    Returns
    -------
    list of str
        Plain-text sentences.

    Raises
    ------
    ValueError
        Neither frame has a row for ``site_id``, or as :func:`~lagesbild.wastewater.trends.year_over_year` and
        :func:`~lagesbild.wastewater.trends.multi_year_trend`.

    Examples
    --------
    >>> import pandas as pd
    >>> daily = pd.DataFrame({
    ...     "site_id": "SE999", "substance": "cocaine", "date": pd.NaT, "below_loq": False,
    ...     "year": [2023] * 4 + [2024] * 4, "campaign": ["2023"] * 4 + ["2024"] * 4,
    ...     "weekday": [1, 2, 3, 4] * 2, "load": [100.0, 110, 90, 120, 150, 160, 140, 170]})
    >>> summary = pd.DataFrame({"site_id": "SE999", "substance": "cocaine", "year": [2023, 2024],
    ...                         "campaign": ["2023", "2024"], "daily_mean": [105.0, 155.0]})
    >>> for s in summary_sentences(daily, summary, "SE999"):
    ...     print(s.replace("\\u00a0", " "))
    Statistiskt säkerställd ökning från 2023 till 2024 (ett typiskt mätdygn): kokain +48 %.
    Trenden över flera år går inte att bedöma för kokain: för få mätår.
    Varje jämförelse bygger på enstaka mätveckor; en vecka behöver inte vara representativ för hela året, så förändringar mellan enskilda år ska tolkas försiktigt.
    """
    a = wwtrends.check_alpha(alpha)
    wwtrends._require(daily, wwtrends._DAILY_COLUMNS, "daily")
    wwtrends._require(summary, wwtrends._SUMMARY_COLUMNS, "summary")
    d_site = daily.loc[daily["site_id"] == site_id]
    s_site = summary.loc[summary["site_id"] == site_id]
    if d_site.empty and s_site.empty:
        raise ValueError(f"neither daily nor summary has a row for site {plain(site_id)}.")
    present = set(d_site["substance"]) | set(s_site["substance"])
    keys = [k for k in SUBSTANCES if k in present] + sorted(str(k) for k in present - set(SUBSTANCES))

    rose: dict[tuple[str, str], list[str]] = {}
    fell: dict[tuple[str, str], list[str]] = {}
    chance: dict[tuple[str, str], list[str]] = {}
    cannot: dict[str, list[str]] = {}
    t_up: dict[str, list[str]] = {}
    t_down: dict[str, list[str]] = {}
    t_none: dict[str, list[str]] = {}
    t_cannot: dict[str, list[str]] = {}
    for key in keys:
        label = _lower_first(SUBSTANCES[key].name) if key in SUBSTANCES else key
        if (d_site["substance"] == key).any():
            r = year_over_year(daily, site_id, key, a)
            cb, ca = r.campaigns
            if cb is None:
                cannot.setdefault("bara en mätperiod" if ca is not None else "inga mätvärden", []).append(label)
            elif r.too_few:
                cannot.setdefault("för få mätdagar", []).append(label)
            elif r.not_interpretable:
                nb, na = r.n_before, r.n_after
                mostly = r.n_below_loq[0] > nb / 2 or r.n_below_loq[1] > na / 2
                reason = ("de flesta värden under kvantifieringsgränsen" if mostly
                          else "mätdygn utan kvantifierat värde (0)")
                cannot.setdefault(reason, []).append(label)
            else:
                pair = (_period(cb, r.years[0]), _period(ca, r.years[1]))
                if r.detectable:
                    text = f"{label} {_signed_pct(100.0 * (r.ratio - 1.0))}{fmt.NBSP}%"
                    (rose if r.ratio > 1 else fell).setdefault(pair, []).append(text)
                else:
                    chance.setdefault(pair, []).append(label)
        else:
            cannot.setdefault("inga dygnsvärden", []).append(label)
        if (s_site["substance"] == key).any():
            t = multi_year_trend(summary, site_id, key, a)
            if t.too_few:
                t_cannot.setdefault("för få mätår", []).append(label)
            elif t.not_interpretable:
                t_cannot.setdefault("år utan kvantifierat värde (0)", []).append(label)
            else:
                period = f"{t.years[0]}–{t.years[-1]}"
                if t.detectable:
                    est = t.annual_change_pct
                    text = f"{label} {_signed_pct(est, _pct_decimals(est))}{fmt.NBSP}%"
                    (t_up if est > 0 else t_down).setdefault(period, []).append(text)
                else:
                    t_none.setdefault(period, []).append(label)
        else:
            t_cannot.setdefault("inga årsvärden", []).append(label)

    out = []
    for (before, after), items in rose.items():
        out.append(f"Statistiskt säkerställd ökning från {before} till {after} (ett typiskt mätdygn): "
                   f"{_join(items)}.")
    for (before, after), items in fell.items():
        out.append(f"Statistiskt säkerställd minskning från {before} till {after} (ett typiskt mätdygn): "
                   f"{_join(items)}.")
    for (before, after), items in chance.items():
        out.append(f"Ingen säkerställd förändring från {before} till {after} (skillnaden kan bero på "
                   f"slumpen): {_join(items)}.")
    for reason, items in cannot.items():
        out.append(f"Förändringen går inte att bedöma för {_join(items)}: {reason}.")
    for period, items in t_up.items():
        out.append(f"Statistiskt säkerställd ökande trend {period} (genomsnitt per år): {_join(items)}.")
    for period, items in t_down.items():
        out.append(f"Statistiskt säkerställd minskande trend {period} (genomsnitt per år): {_join(items)}.")
    for period, items in t_none.items():
        out.append(f"Ingen säkerställd trend {period}: {_join(items)}.")
    for reason, items in t_cannot.items():
        out.append(f"Trenden över flera år går inte att bedöma för {_join(items)}: {reason}.")
    out.append("Varje jämförelse bygger på enstaka mätveckor; en vecka behöver inte vara representativ för "
               "hela året, så förändringar mellan enskilda år ska tolkas försiktigt.")
    return out


def substance_sentences(k: KommunLoads, substance: str, alpha: float = 0.05) -> list[str]:
    """Year-over-year change and multi-year trend of one substance at the kommun's main site, in Swedish.

    Examples
    --------
    >>> from lagesbild import processed
    >>> out = substance_sentences(kommun_loads(processed.load(), None, "1488"), "cocaine")
    >>> len(out), "en mätperiod" in out[0] or "för få" in out[0] or "bara" in out[0]
    (2, True)
    """
    main = next(s for s in k.sites if ((k.summary["site_id"] == s) & (k.summary["substance"] == substance)).any())
    name = SUBSTANCES[substance].name
    out = [describe_yoy(name, wwtrends.year_over_year(k.daily, main, substance, alpha))]
    out.append(describe_trend(name, wwtrends.multi_year_trend(k.summary, main, substance, alpha)))
    return out


def _in_sentence(substance: str) -> str:
    """A substance's name inside a sentence: "Kokain" → "kokain", but "MDMA (ecstasy)" keeps its capitals."""
    name = SUBSTANCES[substance].name
    return name if name[1:2].isupper() else name[0].lower() + name[1:]


def over_time_alt(k: KommunLoads, substance: str, names: dict[str, str]) -> str:
    """The loads-over-time chart in words: the first and latest value of the main site.

    Examples
    --------
    >>> from lagesbild import processed
    >>> k = kommun_loads(processed.load(), None, "1488")
    >>> over_time_alt(k, "cocaine", site_names(k)).startswith("Linjediagram")
    True
    """
    main = _main_site(k, substance)
    rows = _ordered(k, k.summary[(k.summary["site_id"] == main) & (k.summary["substance"] == substance)])
    first, last = rows.iloc[0], rows.iloc[-1]
    what = (f"från {fmt.number(first['daily_mean'], 1)} ({first['campaign']}) till {fmt.number(last['daily_mean'], 1)} "
            f"({last['campaign']})" if len(rows) > 1 else f"{fmt.number(last['daily_mean'], 1)} ({last['campaign']})")
    return f"Linjediagram över {_in_sentence(substance)} i avloppsvattnet vid {names[main]}: {what} {UNIT}."


def latest_profile(k: KommunLoads, substance: str) -> pd.DataFrame | None:
    """The weekday profile of the main site's latest campaign with daily values, or None.

    Examples
    --------
    >>> from lagesbild import processed
    >>> p = latest_profile(kommun_loads(processed.load(), None, "1488"), "cocaine")
    >>> len(p), list(p["veckodag"])[:2]
    (7, ['mån', 'tis'])
    """
    for site in k.sites:
        campaign = _latest_campaign(k, site, substance)
        if campaign is not None:
            days = k.daily[k.daily["campaign"] == campaign]
            return wwtrends.weekday_profile(days, site, substance, int(days.loc[days["site_id"] == site, "year"].iloc[0]))
    return None


def weekday_alt(k: KommunLoads, substance: str, profile: pd.DataFrame) -> str:
    """The weekday chart in words: the highest day and the weekend / weekday ratio.

    Examples
    --------
    >>> p = pd.DataFrame({"veckodag": ["mån", "tis"], "grupp": ["helg (fre–mån)", "vardag (tis–tor)"], "load": [4.0, 2.0]})
    >>> weekday_alt(None, "cocaine", p)
    'Stapeldiagram över kokain per veckodag: högst på måndag (4,0). Helgdagarna ligger i genomsnitt 2,0 gånger så högt som vardagarna.'
    """
    top = profile.loc[profile["load"].idxmax()]
    weekend = profile.loc[profile["grupp"].str.startswith("helg"), "load"].mean()
    weekday = profile.loc[profile["grupp"].str.startswith("vardag"), "load"].mean()
    if weekday != weekday or weekend != weekend:  # NaN: a group has no measured day
        ratio = " Vardag och helg går inte att jämföra: någon av grupperna saknar mätdygn."
    elif weekday > 0:
        ratio = f" Helgdagarna ligger i genomsnitt {fmt.number(weekend / weekday, 1)} gånger så högt som vardagarna."
    else:  # nothing on weekdays: a ratio would be infinite
        ratio = ""
    day = top["veckodag"]
    day = fmt.WEEKDAYS[fmt.WEEKDAYS_SHORT.index(day)] if day in fmt.WEEKDAYS_SHORT else day  # "lör" → "lördag"
    return (f"Stapeldiagram över {_in_sentence(substance)} per veckodag: högst på {day} "
            f"({fmt.number(top['load'], 1)}).{ratio}")


def weekend_table(k: KommunLoads, substances: list[str]) -> pd.DataFrame:
    """Per substance the latest campaign: weekday and weekend means recomputed from its days, and their ratio.

    Examples
    --------
    >>> from lagesbild import processed
    >>> t = weekend_table(kommun_loads(processed.load(), None, "1488"), ["cocaine"])
    >>> list(t.columns)
    ['Substans', 'Mätvecka', 'Vardagar (tis–tor)', 'Helg (fre–mån)', 'Helg / vardag']
    """
    rows = []
    for key in substances:
        profile = latest_profile(k, key)
        if profile is None:
            continue
        d = k.daily[(k.daily["substance"] == key) & k.daily["load"].notna()]
        site = next(s for s in k.sites if (d["site_id"] == s).any())
        campaign = _latest_campaign(k, site, key)
        weekday = profile.loc[profile["grupp"].str.startswith("vardag"), "load"].mean()
        weekend = profile.loc[profile["grupp"].str.startswith("helg"), "load"].mean()
        rows.append({"Substans": SUBSTANCES[key].name, "Mätvecka": str(campaign), "Vardagar (tis–tor)": weekday,
                     "Helg (fre–mån)": weekend, "Helg / vardag": weekend / weekday if weekday > 0 else float("nan")})
    return pd.DataFrame(rows, columns=["Substans", "Mätvecka", "Vardagar (tis–tor)", "Helg (fre–mån)", "Helg / vardag"])


def standing_text(stand: pd.DataFrame, name: str) -> str:
    """Where the kommun stands, in words (highest and lowest European percentile).

    Examples
    --------
    >>> t = pd.DataFrame({"Substans": ["Kokain", "Amfetamin"], "Percentil i Europa": [28.0, 93.0],
    ...                   "Jämfört med år": [2024, 2024], "Senaste mätår": [2024, 2024]})
    >>> standing_text(t, "Trollhättan").startswith("Jämfört med de europeiska mätplatserna ligger Trollhättan högst för amfetamin")
    True
    """
    valid = stand.dropna(subset=["Percentil i Europa"]).sort_values("Percentil i Europa", kind="stable")
    if valid.empty:
        return f"Det finns inga andra mätplatser att jämföra {name} med för samma år."
    high, low = valid.iloc[-1], valid.iloc[0]
    if len(valid) == 1:
        text = (f"Jämfört med de europeiska mätplatserna ligger {name} på percentil "
                f"{fmt.number(high['Percentil i Europa'])} för {high['Substans'].lower()}: så stor andel av platserna "
                "har samma eller lägre belastning.")
    else:
        text = (f"Jämfört med de europeiska mätplatserna ligger {name} högst för {high['Substans'].lower()} "
                f"(percentil {fmt.number(high['Percentil i Europa'])}: så stor andel av platserna har samma eller lägre "
                f"belastning) och lägst för {low['Substans'].lower()} (percentil {fmt.number(low['Percentil i Europa'])}).")
    newer = stand[stand["Senaste mätår"] > stand["Jämfört med år"]]
    if len(newer):
        text += (" Där kommunens senaste mätning är nyare än EUDA:s jämförbara år jämförs den med det närmast "
                 "föregående året i EUDA:s tabell (se kolumnen Jämfört med år).")
    return text + " En placering säger inget om orsaken: reningsverkens upptagningsområden skiljer sig åt."


def summary_points(k: KommunLoads, stand, name: str, shown: list[str], alpha: float = 0.05) -> list[str]:
    """The report's summary bullets.

    Examples
    --------
    >>> summary_points(KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], []), None, "Falun", [])[0].startswith("Falun har")
    True
    """
    if not k.any:
        return [f"{name} har inga egna mätningar av narkotika i avloppsvatten och ingår inte i EUDA:s studie. Rapporten "
                "visar de närmaste svenska mätplatserna, läget i landet och vad en egen mätning behöver."]
    out = [sites_text(k, name)]
    main = k.sites[0]
    out += summary_sentences(k.daily[k.daily["substance"].isin(shown)],
                                      k.summary[k.summary["substance"].isin(shown)], main, alpha)
    if stand is not None and len(stand):
        out.append(standing_text(stand, name))
    return out


def swedish_context_sites(all_summary: pd.DataFrame, k: KommunLoads, substance: str) -> list[str]:
    """The kommun's sites first, then the other Swedish EUDA sites with values for the substance (chart context).

    Examples
    --------
    >>> from lagesbild import processed
    >>> ds = processed.load()
    >>> swedish_context_sites(ds.ww_summary, kommun_loads(ds, None, "1488"), "cocaine")[:2]
    ['SE009', 'SE001']
    """
    rows = all_summary[(all_summary["country"] == "SE") & (all_summary["substance"] == substance)
                       & all_summary["daily_mean"].notna()]
    others = [s for s in dict.fromkeys(rows.sort_values("site_id")["site_id"]) if s not in k.sites]
    mine = [s for s in k.sites if ((k.summary["site_id"] == s) & (k.summary["substance"] == substance)).any()]
    return mine + others


#: The legend text of EUDA's European mean (see :func:`lagesbild.sources.euda.load_european_mean`).
EUROPEAN_LABEL = "EUDA:s europeiska medel (7 städer som mätt alla år)"
