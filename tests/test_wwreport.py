"""Tests of lagesbild.wastewater.text.

Expected values are hand-computed from small synthetic DAILY/SUMMARY frames built here (every contract
column), cross-checked with scipy where a percentile is involved; the real bundled data
(``processed.load()``) is used only where a function needs the kommun boundaries or the real tables, and
there the expected values come from shapely/pyproj or from EUDA's raw CSV read directly in the test.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod, Transformer
from scipy import stats
from shapely.geometry import Point
from test_wwtrends import (  # the DAILY/SUMMARY builders and loads of the statistics' tests
    AFTER,
    BEFORE,
    make_daily,
    make_summary,
    signed,
)

from lagesbild.core import fmt
from lagesbild.core.paths import DATA, PROJ_ROOT
from lagesbild.sources import euda, processed
from lagesbild.wastewater import labresults
from lagesbild.wastewater import text as wr
from lagesbild.wastewater import trends as wwtrends
from lagesbild.wastewater.text import KommunLoads, describe_trend, describe_yoy, summary_sentences
from lagesbild.wastewater.trends import LoadChange, LoadTrend, multi_year_trend, year_over_year

NAN = float("nan")
NBSP = fmt.NBSP

#: The shared tidy contract (ww brief), written out here rather than taken from the library.
SUMMARY_COLS = ["site_id", "site", "country", "kommun_kod", "year", "campaign", "substance", "weekday_mean",
                "weekend_mean", "daily_mean", "n_days", "source"]
DAILY_COLS = ["site_id", "site", "country", "kommun_kod", "year", "campaign", "substance", "date", "weekday",
              "load", "source", "below_loq"]

#: Synthetic EUDA sites: display name, country, kommun (None outside Sweden).
SITES = {
    "SEA": ("Aby", "SE", "0001"), "SEB": ("Bby", "SE", "0002"), "SEC": ("Cby", "SE", "0002"),
    "SED": ("Dby", "SE", "0004"), "DE001": ("Berlin", "DE", None), "FR001": ("Paris", "FR", None),
    "NO001": ("Oslo", "NO", None),
}


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


# ============================================================================================
# Builders of synthetic contract frames
# ============================================================================================


def _ident(site_id: str, year: int, substance: str, campaign: str | None) -> dict:
    own = "-" in site_id  # own lab sites are "<kommun>-<plant>", as labresults.make_site_id writes them
    if own:
        site = "Verket" if site_id.endswith("verket") else "Norra verket"
        country, kommun = "SE", site_id[:4]
    else:
        site, country, kommun = SITES[site_id]
    return {"site_id": site_id, "site": site, "country": country, "kommun_kod": kommun, "year": year,
            "campaign": campaign or str(year), "substance": substance,
            "source": "egen mätning" if own else "EUDA"}


def srow(site_id: str, year: int, substance: str, daily_mean: float, *, campaign: str | None = None,
         weekday_mean: float = NAN, weekend_mean: float = NAN, n_days: int = 7) -> dict:
    return {**_ident(site_id, year, substance, campaign), "weekday_mean": weekday_mean,
            "weekend_mean": weekend_mean, "daily_mean": daily_mean, "n_days": n_days}


def drows(site_id: str, year: int, substance: str, loads: list[float], *, campaign: str | None = None,
          start: str | None = None) -> list[dict]:
    """Seven DAILY rows, ``loads`` Monday … Sunday; ``start`` (a Monday) gives dated lab days, else NaT."""
    if start is not None:
        assert pd.Timestamp(start).day_of_week == 0
    out = []
    for wd, load in enumerate(loads):
        date = pd.Timestamp(start) + pd.Timedelta(days=wd) if start is not None else pd.NaT
        out.append({**_ident(site_id, year, substance, campaign), "date": date, "weekday": wd, "load": load,
                    "below_loq": False})
    return out


def summary_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=SUMMARY_COLS)
    return df.astype({"year": "int64", "n_days": "int64", "weekday_mean": "float64",
                      "weekend_mean": "float64", "daily_mean": "float64"})


def daily_frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=DAILY_COLS)
    return df.astype({"year": "int64", "weekday": "int64", "load": "float64", "date": "datetime64[ns]",
                      "below_loq": bool})


def lab(summary_rows: list[dict], daily_rows: list[dict], example: bool = False) -> SimpleNamespace:
    """What kommun_loads, caveats and key_figures read of a LabData; the summary carries an extra
    column as labresults.to_summary does, which kommun_loads must drop."""
    s = summary_frame(summary_rows).assign(mostly_below_loq=False)
    return SimpleNamespace(summary=s, daily=daily_frame(daily_rows), example=example)


# EUDA's table in miniature: cocaine 2024 at 4 Swedish + 3 other sites, 2023 at two; MDMA 2024 abroad only.
COCAINE_2024 = {"SEA": 100.0, "SEB": 300.0, "SEC": 200.0, "SED": 50.0, "DE001": 400.0, "FR001": 250.0,
                "NO001": 150.0}
MON_SUN_SEA_2023 = [9.0, 8.0, 7.0, 6.0, 10.0, 11.0, 12.0]
MON_SUN_SEA_2024 = [12.0, 3.0, 6.0, 9.0, 14.0, 16.0, 18.0]


@pytest.fixture
def euda_ds() -> SimpleNamespace:
    summary = summary_frame(
        [srow(s, 2024, "cocaine", v) for s, v in COCAINE_2024.items()]
        + [srow("SEA", 2023, "cocaine", 90.0), srow("DE001", 2023, "cocaine", 380.0)]
        + [srow("DE001", 2024, "MDMA", 10.0), srow("FR001", 2024, "MDMA", 20.0)]
    )
    daily = daily_frame(drows("SEA", 2023, "cocaine", MON_SUN_SEA_2023)
                        + drows("SEA", 2024, "cocaine", MON_SUN_SEA_2024)
                        + drows("SEB", 2024, "cocaine", [300.0] * 7)
                        + drows("DE001", 2024, "cocaine", [400.0] * 7))
    sweden = pd.DataFrame({"site_id": ["SEA", "SEB", "SEC", "SED"],
                           "kommun_kod": ["0001", "0002", "0002", "0004"],
                           "kommun": ["A", "B", "B", "D"], "note": ""})
    return SimpleNamespace(ww_summary=summary, ww_daily=daily, ww_sites_sweden=sweden)


@pytest.fixture
def own_lab() -> SimpleNamespace:
    """Kommun 9999's own plant: cocaine 2024 (500) and two 2025 campaigns (200, 240 → 220), MDMA, ketamine."""
    return lab(
        [srow("9999-verket", 2024, "cocaine", 500.0, campaign="2024 v.11"),
         srow("9999-verket", 2025, "cocaine", 200.0, campaign="2025 v.11"),
         srow("9999-verket", 2025, "cocaine", 240.0, campaign="2025 v.40"),
         srow("9999-verket", 2025, "MDMA", 15.0, campaign="2025 v.11"),
         srow("9999-verket", 2025, "ketamine", 3.0, campaign="2025 v.11")],
        drows("9999-verket", 2024, "cocaine", [50.0, 45.0, 48.0, 52.0, 55.0, 60.0, 58.0],
              campaign="2024 v.11", start="2024-03-11")
        + drows("9999-verket", 2025, "cocaine", [10.0, 4.0, 5.0, 6.0, 12.0, 20.0, 18.0], campaign="2025 v.11",
                start="2025-03-10"),
    )


@pytest.fixture(scope="module")
def ds():
    return processed.load()


# ============================================================================================
# lab_folder
# ============================================================================================


def test_lab_folder_empty_is_the_example():
    assert wr.lab_folder("") == wr.EXAMPLE_LAB
    assert wr.lab_folder("   ") == wr.EXAMPLE_LAB
    assert wr.EXAMPLE_LAB == DATA / "example" / "wastewater"


def test_lab_folder_relative_is_under_the_project():
    assert wr.lab_folder("indata/avlopp") == PROJ_ROOT / "indata" / "avlopp"
    assert wr.lab_folder(" indata/avlopp ") == PROJ_ROOT / "indata" / "avlopp"


def test_lab_folder_absolute_unchanged(tmp_path):
    assert wr.lab_folder(str(tmp_path)) == tmp_path
    assert wr.lab_folder(str(tmp_path / "avlopp")) == tmp_path / "avlopp"


def test_lab_folder_expands_home():
    assert wr.lab_folder("~/avlopp") == Path.home() / "avlopp"


# ============================================================================================
# kommun_loads, site_names, source_for, comparison_pool
# ============================================================================================


def test_contract_columns_are_the_briefs():
    assert euda.SUMMARY_COLUMNS == SUMMARY_COLS
    assert euda.DAILY_COLUMNS == DAILY_COLS


def test_kommun_loads_own_first_then_euda_sites(euda_ds):
    own = lab([srow("0002-verket", 2025, "cocaine", 7.0, campaign="2025 v.11")],
              drows("0002-verket", 2025, "cocaine", [7.0] * 7, campaign="2025 v.11", start="2025-03-10"))
    k = wr.kommun_loads(euda_ds, own, "0002")
    assert k.any
    assert k.own_sites == ["0002-verket"]
    assert k.euda_sites == ["SEB", "SEC"]
    assert k.sites == ["0002-verket", "SEB", "SEC"]
    assert list(k.summary.columns) == SUMMARY_COLS
    assert list(k.daily.columns) == DAILY_COLS
    # own rows first, then only the kommun's EUDA sites (SEB and SEC are in 0002; SEA, SED and abroad are not)
    assert k.summary["site_id"].tolist() == ["0002-verket", "SEB", "SEC"]
    assert k.summary["daily_mean"].tolist() == [7.0, 300.0, 200.0]
    assert k.daily["site_id"].tolist() == ["0002-verket"] * 7 + ["SEB"] * 7


def test_kommun_loads_euda_only(euda_ds):
    k = wr.kommun_loads(euda_ds, None, "0001")
    assert (k.sites, k.own_sites, k.euda_sites, k.any) == (["SEA"], [], ["SEA"], True)
    assert sorted(k.summary["year"].tolist()) == [2023, 2024]
    assert set(k.daily["site_id"]) == {"SEA"} and len(k.daily) == 14


def test_kommun_loads_own_only(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    assert (k.sites, k.own_sites, k.euda_sites) == (["9999-verket"], ["9999-verket"], [])
    assert len(k.summary) == 5 and len(k.daily) == 14


def test_kommun_loads_neither(euda_ds):
    k = wr.kommun_loads(euda_ds, None, "0003")
    assert k.any is False
    assert (k.sites, k.own_sites, k.euda_sites) == ([], [], [])
    assert k.summary.empty and k.daily.empty
    assert list(k.summary.columns) == SUMMARY_COLS and list(k.daily.columns) == DAILY_COLS


def test_kommun_loads_real_example_lab_and_real_euda(ds):
    own = labresults.load_lab_folder(wr.EXAMPLE_LAB, "1287")
    k = wr.kommun_loads(ds, own, "1287")
    assert k.own_sites == ["1287-trelleborgs-reningsverk"] and k.euda_sites == []
    assert list(k.summary.columns) == SUMMARY_COLS
    assert sorted(k.summary["campaign"].unique()) == ["2023 v.11", "2024 v.11", "2025 v.11"]
    k = wr.kommun_loads(ds, None, "0180")
    assert k.sites == ["SE005"] and set(k.summary["site_id"]) == {"SE005"}


def test_site_names_carry_the_source(euda_ds):
    own = lab([srow("0002-verket", 2025, "cocaine", 7.0, campaign="2025 v.11")], [])
    k = wr.kommun_loads(euda_ds, own, "0002")
    assert wr.site_names(k) == {"0002-verket": "Verket (egen mätning)", "SEB": "Bby (EUDA)",
                                "SEC": "Cby (EUDA)"}
    assert list(wr.site_names(k)) == k.sites
    assert wr.site_names(wr.kommun_loads(euda_ds, None, "0001")) == {"SEA": "Aby (EUDA)"}


def test_source_for():
    both = KommunLoads(pd.DataFrame(), pd.DataFrame(), ["o", "SEB"], ["o"], ["SEB"])
    own = KommunLoads(pd.DataFrame(), pd.DataFrame(), ["o"], ["o"], [])
    eu = KommunLoads(pd.DataFrame(), pd.DataFrame(), ["SEB"], [], ["SEB"])
    none = KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], [])
    assert wr.source_for(both, "Egna", "EUDA") == "Egna; EUDA"
    assert wr.source_for(both, "Egna", "EUDA", with_euda=True) == "Egna; EUDA"
    assert wr.source_for(own, "Egna", "EUDA") == "Egna"
    assert wr.source_for(own, "Egna", "EUDA", with_euda=True) == "Egna; EUDA"
    assert wr.source_for(eu, None, "EUDA") == "EUDA"
    assert wr.source_for(eu, "Egna", "EUDA") == "EUDA"  # no own sites: the own source is not named
    assert wr.source_for(none, None, "EUDA") == "EUDA"


def test_comparison_pool_adds_own_campaigns_only(euda_ds):
    own = lab([srow("0002-verket", 2025, "cocaine", 7.0, campaign="2025 v.11"),
               srow("0002-verket", 2025, "MDMA", 1.0, campaign="2025 v.11")], [])
    k = wr.kommun_loads(euda_ds, own, "0002")
    pool = wr.comparison_pool(euda_ds.ww_summary, k)
    # the kommun's EUDA sites (SEB, SEC) are in k.summary too but must not be added twice
    assert len(pool) == len(euda_ds.ww_summary) + 2
    assert not pool.duplicated(["site_id", "campaign", "substance"]).any()
    assert pool[pool["site_id"] == "0002-verket"]["daily_mean"].tolist() == [7.0, 1.0]
    assert list(pool.columns) == SUMMARY_COLS


def test_comparison_pool_without_own_is_euda(euda_ds):
    k = wr.kommun_loads(euda_ds, None, "0002")
    pd.testing.assert_frame_equal(wr.comparison_pool(euda_ds.ww_summary, k), euda_ds.ww_summary)
    none = KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], [])
    pd.testing.assert_frame_equal(wr.comparison_pool(euda_ds.ww_summary, none), euda_ds.ww_summary)


# ============================================================================================
# substances_measured, european_series, swedish_context_sites
# ============================================================================================


def test_substances_measured_order_and_filters():
    s = summary_frame([srow("SEA", 2024, "MDMA", 1.0), srow("SEA", 2024, "cannabis", 2.0),
                       srow("SEA", 2024, "cocaine", 3.0), srow("SEA", 2024, "ketamine", NAN),
                       srow("SEB", 2024, "amphetamine", 4.0)])
    # SUBSTANCES order (cocaine, amphetamine, methamphetamine, MDMA, cannabis, ketamine), not the frame's
    assert wr.substances_measured(s, ["SEA"]) == ["cocaine", "MDMA", "cannabis"]  # ketamine: no value
    assert wr.substances_measured(s, ["SEA", "SEB"]) == ["cocaine", "amphetamine", "MDMA", "cannabis"]
    assert wr.substances_measured(s, ["SEA"], ["cannabis", "cocaine"]) == ["cocaine", "cannabis"]
    assert wr.substances_measured(s, ["SEA"], ["amphetamine"]) == []  # chosen but not measured there
    assert wr.substances_measured(s, ["SEA"], []) == ["cocaine", "MDMA", "cannabis"]  # empty: all
    assert wr.substances_measured(s, []) == []


def test_substances_measured_unknown_raises():
    s = summary_frame([srow("SEA", 2024, "cocaine", 3.0)])
    with pytest.raises(ValueError, match="kokain"):
        wr.substances_measured(s, ["SEA"], ["cocaine", "kokain"])


def test_european_series():
    e = pd.DataFrame({"substance": ["cocaine", "cocaine", "MDMA"], "year": [2024, 2020, 2024],
                      "european_mean": [848.1, 600.0, 5.0]})
    got = wr.european_series(e, "cocaine")
    assert got.index.tolist() == [2020, 2024] and got.tolist() == [600.0, 848.1]
    assert wr.european_series(e, "ketamine") is None


def test_swedish_context_sites(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    pool = wr.comparison_pool(euda_ds.ww_summary, k)
    assert wr.swedish_context_sites(pool, k, "cocaine") == ["9999-verket", "SEA", "SEB", "SEC", "SED"]
    assert wr.swedish_context_sites(pool, k, "MDMA") == ["9999-verket"]  # MDMA abroad only
    k2 = wr.kommun_loads(euda_ds, None, "0002")
    assert wr.swedish_context_sites(euda_ds.ww_summary, k2, "cocaine") == ["SEB", "SEC", "SEA", "SED"]


# ============================================================================================
# standing
# ============================================================================================

STANDING_COLS = ["Substans", "Senaste mätår", "Hela veckan", "Jämfört med år", "Plats i Sverige",
                 "Percentil i Europa", "Andra platser i Europa", "Median i Europa"]


def test_standing_own_newer_than_euda(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    t = wr.standing(k, wr.comparison_pool(euda_ds.ww_summary, k), ["cocaine", "MDMA", "ketamine"])
    assert list(t.columns) == STANDING_COLS
    # ketamine: no other site anywhere → left out (no crash)
    assert t["Substans"].tolist() == ["Kokain", "MDMA (ecstasy)"]
    coc = t.iloc[0]
    # the latest own year is 2025, two campaigns (200, 240) → 220; EUDA's latest year is 2024 (the own
    # 2025 value is not an EUDA year)
    assert int(coc["Senaste mätår"]) == 2025
    assert coc["Hela veckan"] == pytest.approx(220.0)
    assert int(coc["Jämfört med år"]) == 2024
    # Sweden 2024: 300, 220 (the kommun), 200, 100, 50 → second of five
    assert coc["Plats i Sverige"] == "2 av 5"
    # Europe 2024: 50 100 150 200 [220] 250 300 400 → 5 of 8 at or below = 62.5 %; median (200 + 220) / 2
    values = [*COCAINE_2024.values(), 220.0]
    assert coc["Percentil i Europa"] == pytest.approx(62.5)
    assert coc["Percentil i Europa"] == pytest.approx(stats.percentileofscore(values, 220.0, kind="weak"))
    assert int(coc["Andra platser i Europa"]) == 7
    assert coc["Median i Europa"] == pytest.approx(210.0)
    # MDMA: only DE (10) and FR (20) in 2024 → no other Swedish site; 10, [15], 20 → 2 of 3 at or below
    mdma = t.iloc[1]
    assert int(mdma["Jämfört med år"]) == 2024
    assert mdma["Plats i Sverige"] == "inga andra svenska platser"
    assert mdma["Percentil i Europa"] == pytest.approx(200 / 3)
    assert int(mdma["Andra platser i Europa"]) == 2
    assert mdma["Median i Europa"] == pytest.approx(15.0)


def test_standing_euda_main_site_same_year(euda_ds):
    k = wr.kommun_loads(euda_ds, None, "0002")  # SEB (300) and SEC; SEB is the main site
    t = wr.standing(k, euda_ds.ww_summary, ["cocaine"])
    row = t.iloc[0]
    assert (int(row["Senaste mätår"]), int(row["Jämfört med år"])) == (2024, 2024)
    assert row["Hela veckan"] == 300.0
    assert row["Plats i Sverige"] == "1 av 4"  # 300 > 200 > 100 > 50
    # 6 of 7 at or below 300 (only Berlin's 400 is higher)
    assert row["Percentil i Europa"] == pytest.approx(600 / 7)
    assert int(row["Andra platser i Europa"]) == 6
    assert row["Median i Europa"] == 200.0


def test_standing_ties_share_the_best_rank():
    euda_summary = summary_frame([srow("SEA", 2024, "cocaine", 300.0), srow("SEB", 2024, "cocaine", 200.0),
                                  srow("SEC", 2024, "cocaine", 200.0), srow("SED", 2024, "cocaine", 100.0),
                                  srow("DE001", 2024, "cocaine", 200.0)])
    own = lab([srow("9999-verket", 2024, "cocaine", 200.0, campaign="2024 v.11")], [])
    ds = SimpleNamespace(ww_summary=euda_summary, ww_daily=daily_frame([]),
                         ww_sites_sweden=pd.DataFrame({"site_id": [], "kommun_kod": []}))
    k = wr.kommun_loads(ds, own, "9999")
    row = wr.standing(k, wr.comparison_pool(euda_summary, k), ["cocaine"]).iloc[0]
    assert int(row["Jämfört med år"]) == 2024
    # Sweden: 300, then 200 three times (SEB, SEC, the kommun) → rank 2 shared; five sites
    assert row["Plats i Sverige"] == "2 av 5"
    # Europe: 100, 200 ×4 (incl. the kommun and DE), 300 → 5 of 6 at or below
    assert row["Percentil i Europa"] == pytest.approx(500 / 6)
    assert row["Median i Europa"] == 200.0


def test_standing_no_value_for_main_site_skips(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    t = wr.standing(k, wr.comparison_pool(euda_ds.ww_summary, k), ["amphetamine"])
    assert t.empty and list(t.columns) == STANDING_COLS


def test_standing_second_own_plant_is_not_an_euda_year(euda_ds):
    two = lab([srow("9999-verket", 2025, "cocaine", 220.0, campaign="2025 v.11"),
               srow("9999-norra", 2025, "cocaine", 80.0, campaign="2025 v.11")], [])
    k = wr.kommun_loads(euda_ds, two, "9999")
    assert k.sites[0] == "9999-verket"
    row = wr.standing(k, wr.comparison_pool(euda_ds.ww_summary, k), ["cocaine"]).iloc[0]
    assert int(row["Jämfört med år"]) == 2024


# ============================================================================================
# standing_text, percent_text, STANDING_FORMAT
# ============================================================================================


def _stand(rows):
    return pd.DataFrame(rows, columns=["Substans", "Percentil i Europa", "Jämfört med år", "Senaste mätår"])


def test_standing_text_highest_and_lowest():
    t = _stand([["Kokain", 28.0, 2024, 2024], ["Amfetamin", 93.0, 2024, 2024],
                ["Cannabis", None, 2024, 2024]])
    text = plain(wr.standing_text(t, "Testby"))
    assert text.startswith("Jämfört med de europeiska mätplatserna ligger Testby högst för amfetamin "
                           "(percentil 93")
    assert "lägst för kokain (percentil 28)" in text
    assert "nyare än EUDA" not in text
    assert text.endswith("upptagningsområden skiljer sig åt.")


def test_standing_text_newer_than_euda_names_the_year():
    t = _stand([["Kokain", 62.5, 2024, 2025], ["MDMA (ecstasy)", 66.7, 2024, 2025]])
    text = plain(wr.standing_text(t, "Testby"))
    assert "högst för mdma (ecstasy) (percentil 67" in text and "lägst för kokain (percentil 63)" in text
    assert "jämförs den med det närmast föregående året i EUDA:s tabell (se kolumnen Jämfört med år)" in text


def test_standing_text_nothing_to_compare():
    t = _stand([["Kokain", None, 2024, 2024]])
    expected = "Det finns inga andra mätplatser att jämföra Testby med för samma år."
    assert wr.standing_text(t, "Testby") == expected


def test_standing_text_single_substance_is_not_both_highest_and_lowest():
    text = wr.standing_text(_stand([["Kokain", 62.5, 2024, 2024]]), "Testby")
    assert "lägst för" not in text


def test_percent_text_and_standing_format():
    assert wr.percent_text(62.5) == f"63{NBSP}%"
    assert wr.percent_text(None) == "–" and wr.percent_text(NAN) == "–"
    assert wr.STANDING_FORMAT["Hela veckan"](220.04) == "220,0"
    assert wr.STANDING_FORMAT["Median i Europa"](None) == "–"
    assert wr.STANDING_FORMAT["Jämfört med år"](2024) == "2024"


# ============================================================================================
# campaign_table, latest_profile, weekend_table, weekday_alt, over_time_alt
# ============================================================================================


def test_campaign_table_values_and_order(euda_ds):
    # own plant: Mon … Sun = 10, 4, 5, 6, 12, 20, 18 → weekday (tis–tor) 5, weekend (fre–mån) 15, week 75/7
    own = lab([srow("0002-verket", 2025, "MDMA", 75 / 7, campaign="2025 v.11", weekday_mean=5.0,
                    weekend_mean=15.0),
               srow("0002-verket", 2025, "cocaine", 2.0, campaign="2025 v.11", weekday_mean=1.0,
                    weekend_mean=2.75, n_days=6),
               srow("0002-verket", 2024, "cocaine", 3.0, campaign="2024 v.11", weekday_mean=2.0,
                    weekend_mean=4.0)],
              [])
    k = wr.kommun_loads(euda_ds, own, "0002")
    t = wr.campaign_table(k, ["cocaine", "MDMA"])
    assert list(t.columns) == ["Plats", "Mätvecka", "Substans", "Vardagar (tis–tor)", "Helg (fre–mån)",
                               "Hela veckan", "Mätdygn"]
    # own plant first; per site cocaine before MDMA (SUBSTANCES order), years ascending
    assert t[["Plats", "Mätvecka", "Substans"]].values.tolist() == [
        ["Verket (egen mätning)", "2024 v.11", "Kokain"], ["Verket (egen mätning)", "2025 v.11", "Kokain"],
        ["Verket (egen mätning)", "2025 v.11", "MDMA (ecstasy)"], ["Bby (EUDA)", "2024", "Kokain"],
        ["Cby (EUDA)", "2024", "Kokain"]]
    assert t["Vardagar (tis–tor)"].iloc[2] == 5.0 and t["Helg (fre–mån)"].iloc[2] == 15.0
    assert t["Hela veckan"].iloc[2] == pytest.approx(75 / 7)
    assert t["Hela veckan"].iloc[3:].tolist() == [300.0, 200.0]
    assert str(t["Mätdygn"].dtype) == "Int64" and t["Mätdygn"].tolist() == [7, 6, 7, 7, 7]
    assert wr.campaign_table(k, ["ketamine"]).empty


def test_campaign_table_campaigns_in_time_order(euda_ds):
    own = lab([srow("9999-verket", 2025, "cocaine", 10.0, campaign="2025 v.9"),
               srow("9999-verket", 2025, "cocaine", 20.0, campaign="2025 v.40")], [])
    t = wr.campaign_table(wr.kommun_loads(euda_ds, own, "9999"), ["cocaine"])
    assert t["Mätvecka"].tolist() == ["2025 v.9", "2025 v.40"]


def test_latest_profile_latest_year_of_first_site_with_days(euda_ds):
    # the own plant has a cocaine campaign without any measured day: the EUDA site's latest year is used
    own = lab([srow("0001-verket", 2025, "cocaine", NAN, campaign="2025 v.11", n_days=0)],
              drows("0001-verket", 2025, "cocaine", [NAN] * 7, campaign="2025 v.11", start="2025-03-10"))
    k = wr.kommun_loads(euda_ds, own, "0001")
    assert k.sites == ["0001-verket", "SEA"]
    p = wr.latest_profile(k, "cocaine")
    assert p["veckodag"].tolist() == ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
    assert p["load"].tolist() == MON_SUN_SEA_2024
    assert p["grupp"].tolist() == ["helg (fre–mån)"] + ["vardag (tis–tor)"] * 3 + ["helg (fre–mån)"] * 3


def test_latest_profile_own_first(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    assert wr.latest_profile(k, "cocaine")["load"].tolist() == [10.0, 4.0, 5.0, 6.0, 12.0, 20.0, 18.0]


def test_latest_profile_none_without_days(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    assert wr.latest_profile(k, "MDMA") is None  # summary only, no daily values
    assert wr.latest_profile(wr.kommun_loads(euda_ds, None, "0003"), "cocaine") is None


def test_weekend_table_by_hand(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    t = wr.weekend_table(k, ["cocaine", "MDMA"])
    assert list(t.columns) == ["Substans", "Mätvecka", "Vardagar (tis–tor)", "Helg (fre–mån)",
                               "Helg / vardag"]
    assert t["Substans"].tolist() == ["Kokain"]  # MDMA has no daily values
    row = t.iloc[0]
    assert row["Mätvecka"] == "2025 v.11"  # the latest campaign, not 2024's
    assert row["Vardagar (tis–tor)"] == pytest.approx((4 + 5 + 6) / 3)
    assert row["Helg (fre–mån)"] == pytest.approx((12 + 20 + 18 + 10) / 4)
    assert row["Helg / vardag"] == pytest.approx(3.0)


def test_weekend_table_euda_site_and_zero_weekdays(euda_ds):
    k = wr.kommun_loads(euda_ds, None, "0001")
    row = wr.weekend_table(k, ["cocaine"]).iloc[0]
    assert row["Mätvecka"] == "2024"
    assert row["Vardagar (tis–tor)"] == pytest.approx(6.0)   # 3, 6, 9
    assert row["Helg (fre–mån)"] == pytest.approx(15.0)      # 14, 16, 18, 12
    assert row["Helg / vardag"] == pytest.approx(2.5)
    zero = KommunLoads(daily_frame(drows("SEA", 2024, "cocaine", [1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0])),
                       summary_frame([srow("SEA", 2024, "cocaine", 4 / 7)]), ["SEA"], [], ["SEA"])
    row = wr.weekend_table(zero, ["cocaine"]).iloc[0]
    assert row["Vardagar (tis–tor)"] == 0.0 and row["Helg (fre–mån)"] == 1.0
    assert math.isnan(row["Helg / vardag"])


def _two_campaigns_2025(euda_ds):
    first = [10.0, 4.0, 5.0, 6.0, 12.0, 20.0, 18.0]
    second = [2 * x for x in first]
    own = lab([srow("9999-verket", 2025, "cocaine", 75 / 7, campaign="2025 v.11"),
               srow("9999-verket", 2025, "cocaine", 150 / 7, campaign="2025 v.40")],
              drows("9999-verket", 2025, "cocaine", first, campaign="2025 v.11", start="2025-03-10")
              + drows("9999-verket", 2025, "cocaine", second, campaign="2025 v.40", start="2025-09-29"))
    return wr.kommun_loads(euda_ds, own, "9999"), second


def test_weekend_table_two_campaigns_in_a_year_uses_the_latest(euda_ds):
    k, _ = _two_campaigns_2025(euda_ds)
    row = wr.weekend_table(k, ["cocaine"]).iloc[0]
    assert row["Mätvecka"] == "2025 v.40"
    assert row["Vardagar (tis–tor)"] == pytest.approx((8 + 10 + 12) / 3)
    assert row["Helg (fre–mån)"] == pytest.approx((24 + 40 + 36 + 20) / 4)


def test_latest_profile_two_campaigns_in_a_year_uses_the_latest(euda_ds):
    k, second = _two_campaigns_2025(euda_ds)
    assert wr.latest_profile(k, "cocaine")["load"].tolist() == second


def _profile(loads):
    groups = ["helg (fre–mån)"] + ["vardag (tis–tor)"] * 3 + ["helg (fre–mån)"] * 3
    return pd.DataFrame({"weekday": range(7), "veckodag": fmt.WEEKDAYS_SHORT, "grupp": groups, "load": loads})


def test_weekday_alt_by_hand():
    text = wr.weekday_alt(None, "MDMA", _profile([10.0, 4.0, 5.0, 6.0, 12.0, 20.0, 18.0]))
    assert text == ("Stapeldiagram över MDMA (ecstasy) per veckodag: högst på lördag (20,0). Helgdagarna "
                    "ligger i genomsnitt 3,0 gånger så högt som vardagarna.")
    # no weekday load above zero: no ratio sentence
    text = wr.weekday_alt(None, "cocaine", _profile([1.0, 0.0, 0.0, 0.0, 2.0, 1.0, 1.0]))
    assert text == "Stapeldiagram över kokain per veckodag: högst på fredag (2,0)."


def test_weekday_alt_without_weekend_days():
    text = wr.weekday_alt(None, "cocaine", _profile([NAN, 4.0, 5.0, 6.0, NAN, NAN, NAN]))
    assert "uppgift saknas" not in text


def test_over_time_alt(euda_ds):
    k = wr.kommun_loads(euda_ds, None, "0001")  # SEA: 90 (2023), 100 (2024)
    text = plain(wr.over_time_alt(k, "cocaine", wr.site_names(k)))
    assert text == ("Linjediagram över kokain i avloppsvattnet vid Aby (EUDA): från 90,0 (2023) till "
                    "100,0 (2024) mg per dygn och 1 000 invånare.")
    k = wr.kommun_loads(euda_ds, None, "0004")  # SED: 2024 only
    text = plain(wr.over_time_alt(k, "cocaine", wr.site_names(k)))
    assert text.endswith("vid Dby (EUDA): 50,0 (2024) mg per dygn och 1 000 invånare.")


def test_over_time_alt_skips_own_site_without_the_substance(euda_ds):
    own = lab([srow("0001-verket", 2025, "MDMA", 1.0, campaign="2025 v.11")], [])
    k = wr.kommun_loads(euda_ds, own, "0001")
    assert "vid Aby (EUDA): från 90,0 (2023)" in plain(wr.over_time_alt(k, "cocaine", wr.site_names(k)))


def test_over_time_alt_campaigns_in_time_order(euda_ds):
    own = lab([srow("9999-verket", 2025, "cocaine", 10.0, campaign="2025 v.9"),
               srow("9999-verket", 2025, "cocaine", 20.0, campaign="2025 v.40")], [])
    k = wr.kommun_loads(euda_ds, own, "9999")
    text = plain(wr.over_time_alt(k, "cocaine", wr.site_names(k)))
    assert "från 10,0 (2025 v.9) till 20,0 (2025 v.40)" in text


def test_substance_sentences_use_the_first_site_with_the_substance(euda_ds):
    own = lab([srow("0001-verket", 2025, "MDMA", 1.0, campaign="2025 v.11")], [])
    k = wr.kommun_loads(euda_ds, own, "0001")
    out = wr.substance_sentences(k, "cocaine")
    yoy = wwtrends.year_over_year(k.daily, "SEA", "cocaine", 0.05)
    trend = wwtrends.multi_year_trend(k.summary, "SEA", "cocaine", 0.05)
    assert out == [wr.describe_yoy("Kokain", yoy), wr.describe_trend("Kokain", trend)]


# ============================================================================================
# Real boundaries and tables: kommun_point, nearest_table, national_table
# ============================================================================================


@pytest.mark.parametrize("kommun", ["0188", "2584", "1880", "0380", "1287"])
def test_kommun_point_inside_the_kommun(ds, kommun):
    lat, lon = wr.kommun_point(ds.boundaries, kommun)
    polygon = ds.boundaries[ds.boundaries["kommun_kod"] == kommun].to_crs(3006).geometry.iloc[0]
    x, y = Transformer.from_crs(4326, 3006, always_xy=True).transform(lon, lat)
    assert polygon.contains(Point(x, y))


def test_kommun_point_unknown_kommun(ds):
    with pytest.raises(ValueError, match="9999"):
        wr.kommun_point(ds.boundaries, "9999")


def test_nearest_table_uppsala(ds):
    t = wr.nearest_table(ds, "0380")
    assert list(t.columns) == ["Plats", "Kommun", "Avstånd (km)", "Mätår"]
    assert len(t) == 3
    first = t.iloc[0]
    assert (first["Plats"], first["Kommun"]) == ("Uppsala", "Uppsala")
    assert first["Avstånd (km)"] < 30
    assert t["Avstånd (km)"].is_monotonic_increasing
    # distances: the geodesic from the kommun's point to each site, computed here with pyproj
    lat, lon = wr.kommun_point(ds.boundaries, "0380")
    sites = ds.ww_sites.set_index("site")
    sites = sites[sites["country"] == "SE"]
    for _, row in t.iterrows():
        site = sites.loc[row["Plats"]]
        _, _, metres = Geod(ellps="WGS84").inv(lon, lat, site["lon"], site["lat"])
        assert row["Avstånd (km)"] == round(metres / 1000)
    # Mätår of Uppsala (SE011) from EUDA's raw table, read here
    raw = pd.read_csv(DATA / "raw" / "wastewater" / "ww2025-all-data.csv")
    years = raw.loc[raw["Site ID"] == "SE011", "Year"]
    assert first["Mätår"] == f"{years.min()}–{years.max()}"
    assert len(wr.nearest_table(ds, "0380", n=5)) == 5


def test_national_table_synthetic():
    s = summary_frame([srow("SEA", 2022, "cocaine", 1.0), srow("SEA", 2024, "cocaine", 3.0),
                       srow("SEA", 2024, "MDMA", 4.0), srow("SEA", 2024, "amphetamine", 6.0),
                       srow("SEB", 2023, "cocaine", 5.0), srow("SEB", 2023, "amphetamine", 7.0),
                       srow("SEC", 2025, "cocaine", 9.0),      # after the year: not shown
                       srow("NO001", 2024, "cocaine", 8.0)])   # not Swedish
    t = wr.national_table(s, 2024)
    # SUBSTANCES order (cocaine, amphetamine, MDMA), with Swedish names
    assert list(t.columns) == ["Plats (år)", "Kokain", "Amfetamin", "MDMA (ecstasy)"]
    got = t.set_index("Plats (år)")
    assert sorted(got.index) == ["Aby (2024)", "Bby (2023)"]
    assert got.loc["Aby (2024)"].tolist() == [3.0, 6.0, 4.0]
    assert got.loc["Bby (2023)", ["Kokain", "Amfetamin"]].tolist() == [5.0, 7.0]
    assert math.isnan(got.loc["Bby (2023)", "MDMA (ecstasy)"])


def test_national_table_real_years_never_after_the_year(ds):
    names = [s.name for s in wr.SUBSTANCES.values()]
    for year in (2013, 2020, 2024):
        t = wr.national_table(ds.ww_summary, year)
        assert t.columns[0] == "Plats (år)"
        cols = list(t.columns[1:])
        assert cols == [n for n in names if n in cols]
        years = [int(re.search(r"\((\d{4})\)$", p).group(1)) for p in t["Plats (år)"]]
        assert years and max(years) <= year
    # Göteborg (SE001) was measured 2012–2013 only: in 2020 it appears with 2013
    assert "Göteborg (2013)" in wr.national_table(ds.ww_summary, 2020)["Plats (år)"].tolist()


# ============================================================================================
# Texts: sites_text, no_data_text, summary_points, method_text, caveats, key_figures
# ============================================================================================


def test_sites_text(euda_ds, own_lab):
    own = lab([srow("0002-verket", 2024, "cocaine", 1.0, campaign="2024 v.11"),
               srow("0002-verket", 2025, "cocaine", 1.0, campaign="2025 v.11")], [])
    k = wr.kommun_loads(euda_ds, own, "0002")
    assert wr.sites_text(k, "Bstad") == ("Bstad har egna analyser från Verket (mätår 2024–2025). Bstad ingår "
                                         "i EUDA:s europeiska studie med Bby (mätår 2024) och Cby (mätår "
                                         "2024).")
    k = wr.kommun_loads(euda_ds, None, "0001")
    assert wr.sites_text(k, "Astad") == "Astad ingår i EUDA:s europeiska studie med Aby (mätår 2023–2024)."
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    assert wr.sites_text(k, "Testby") == "Testby har egna analyser från Verket (mätår 2024–2025)."


def test_no_data_text(tmp_path):
    example = wr.no_data_text("Falun", wr.EXAMPLE_LAB)
    assert example.startswith("Falun har inga egna mätningar i underlaget och inget reningsverk i kommunen "
                              "ingår")
    assert "exempeldata gäller bara Trelleborg" in example
    assert wr.no_data_text("Falun", wr.lab_folder("")) == example
    other = wr.no_data_text("Falun", tmp_path / "avlopp")
    assert "Mappen avlopp har inga analysresultat för kommunen." in other
    assert "Trelleborg" not in other
    assert other.endswith("närmaste svenska mätplatserna och läget i landet.")


def test_summary_points_without_data():
    out = wr.summary_points(KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], []), None, "Falun", [])
    assert len(out) == 1
    assert out[0].startswith("Falun har inga egna mätningar av narkotika i avloppsvatten och ingår inte "
                             "i EUDA")
    assert "närmaste svenska mätplatserna" in out[0]


def test_summary_points_with_data(euda_ds, own_lab):
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    stand = wr.standing(k, wr.comparison_pool(euda_ds.ww_summary, k), ["cocaine", "MDMA"])
    out = wr.summary_points(k, stand, "Testby", ["cocaine", "MDMA"])
    assert out[0] == wr.sites_text(k, "Testby")
    assert out[-1] == wr.standing_text(stand, "Testby")
    assert len(out) >= 3
    out = wr.summary_points(k, None, "Testby", ["cocaine"])
    assert out[0] == wr.sites_text(k, "Testby") and not any("europeiska mätplatserna" in s for s in out)


def test_method_text():
    text = plain(wr.method_text())
    assert "mg per dygn och 1 000 invånare" in text
    assert "tisdag–torsdag" in text and "fredag–måndag" in text


def test_caveats_example_only_when_example():
    k = KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], [])
    plain_list = wr.caveats(None, k)
    assert not any("exempeldata" in c for c in plain_list)
    assert not any("exempeldata" in c for c in wr.caveats(SimpleNamespace(example=False), k))
    with_example = wr.caveats(SimpleNamespace(example=True), k)
    assert with_example[0] == "Kommunens egna mätningar i rapporten är påhittade exempeldata."
    assert with_example[1:] == plain_list
    assert any("kvantifieringsgränsen" in c for c in plain_list)


def test_caveats_real_example_lab():
    example = labresults.load_lab_folder(wr.EXAMPLE_LAB, "1287")
    assert example.example is True
    empty = KommunLoads(pd.DataFrame(), pd.DataFrame(), [], [], [])
    assert "påhittade exempeldata" in wr.caveats(example, empty)[0]


def test_key_figures_json_serialisable(euda_ds, own_lab):
    own_lab.example = True
    k = wr.kommun_loads(euda_ds, own_lab, "9999")
    stand = wr.standing(k, wr.comparison_pool(euda_ds.ww_summary, k), ["cocaine", "MDMA"])
    cfg = SimpleNamespace(kommun="9999", name="Testby", lan="Testlän")
    kf = wr.key_figures("Narkotika i avloppsvatten – Testby", cfg, own_lab, k, stand)
    again = json.loads(json.dumps(kf))
    assert again == kf
    assert (kf["kommun"], kf["name"], kf["lan"]) == ("9999", "Testby", "Testlän")
    assert kf["own_measurements"] is True and kf["example_data"] is True
    assert kf["sites"] == ["9999-verket"] and kf["euda_sites"] == []
    assert kf["latest"] == [
        {"substance": "Kokain", "year": 2025, "daily_mean": 220.0, "percentile_europe": 62.5},
        {"substance": "MDMA (ecstasy)", "year": 2025, "daily_mean": 15.0, "percentile_europe": 66.7},
    ]


def test_key_figures_without_standing(euda_ds):
    k = wr.kommun_loads(euda_ds, None, "0002")
    cfg = SimpleNamespace(kommun="0002", name="Bstad", lan="Blän")
    kf = wr.key_figures("t", cfg, None, k, None)
    json.dumps(kf)
    assert kf["latest"] == [] and kf["own_measurements"] is False and kf["example_data"] is False
    assert kf["sites"] == ["SEB", "SEC"]
    # a compared substance without a European percentile is written as null
    stand = pd.DataFrame({"Substans": ["Kokain"], "Senaste mätår": [np.int64(2024)], "Hela veckan": [1.234],
                          "Percentil i Europa": [None]})
    kf = wr.key_figures("t", cfg, None, k, stand)
    assert json.loads(json.dumps(kf))["latest"] == [{"substance": "Kokain", "year": 2024, "daily_mean": 1.23,
                                                     "percentile_europe": None}]


# ============================================================================================
# Sentences about changes and trends (moved here from test_wwtrends.py with the functions)
# ============================================================================================


def _change(**kw) -> LoadChange:
    base = dict(site_id="SE999", substance="cocaine", years=(2024, 2025), campaigns=("2024", "2025"),
                mean_before=300.0, mean_after=412.0, gmean_before=290.0, gmean_after=400.0, ratio=1.38,
                ci_low=1.05, ci_high=1.81, p=0.03, t=2.5, df=11.0, n_before=7, n_after=7, n_below_loq=(0, 0),
                n_zero=(0, 0), alpha=0.05, detectable=True, too_few=False, not_interpretable=False, method="")
    base.update(kw)
    return LoadChange(**base)


def _trend(**kw) -> LoadTrend:
    base = dict(site_id="SE999", substance="cocaine", years=tuple(range(2016, 2025)), n_years=9, n_campaigns=9,
                annual_change_pct=9.2, ci_low_pct=4.1, ci_high_pct=14.6, p=0.003, theil_sen_pct=8.6,
                theil_sen_low_pct=3.0, theil_sen_high_pct=15.0, alpha=0.05, detectable=True, too_few=False,
                not_interpretable=False, zero_years=(), method="")
    base.update(kw)
    return LoadTrend(**base)


class TestDescribeYoy:
    def test_confirmed_increase(self):
        text = plain(describe_yoy("Kokain", _change()))
        assert text.startswith("Kokain: 2025 var belastningen i genomsnitt 412 mg per dygn och 1 000 invånare "
                               "(2024: 300).")
        assert "38 % högre än 2024 (95 % KI +5 till +81 %); skillnaden är statistiskt säkerställd." in text
        assert "behöver inte vara representativ för hela året" in text

    def test_change_that_may_be_chance(self):
        text = plain(describe_yoy("Kokain", _change(ratio=0.88, ci_low=0.7, ci_high=1.1, p=0.3, detectable=False)))
        assert "12 % lägre än 2024 (95 % KI −30 till +10 %), men skillnaden kan bero på slumpen." in text
        assert "säkerställd" not in text

    def test_from_a_real_result_the_numbers_match(self):
        r = year_over_year(make_daily({"2023": (2023, BEFORE), "2024": (2024, AFTER)}), "SE999", "cocaine", 0.1)
        text = plain(describe_yoy("Kokain", r))
        pct = round(100 * (r.ratio - 1))
        assert f"{pct} % högre än 2023" in text and "90 % KI" in text
        assert f"{signed(100 * (r.ci_low - 1))} till {signed(100 * (r.ci_high - 1))} %" in text
        assert ("statistiskt säkerställd" in text) == r.detectable

    def test_too_few_days_gives_no_percentage(self):
        text = plain(describe_yoy("Kokain", _change(too_few=True, n_after=2, detectable=False)))
        assert text == ("Kokain: det går inte att säga om belastningen ändrades från 2024 till 2025: för få "
                        "mätdagar (7 och 2; minst 3 behövs i varje mätperiod).")

    def test_mostly_below_loq(self):
        text = describe_yoy("Kokain", _change(not_interpretable=True, n_below_loq=(5, 1), detectable=False))
        assert "de flesta värden låg under kvantifieringsgränsen (5 av 7 mätdygn 2024, 1 av 7 2025)" in text
        assert "%" not in text

    def test_zero_loads(self):
        text = describe_yoy("Kokain", _change(not_interpretable=True, n_below_loq=(1, 0), n_zero=(1, 0),
                                              detectable=False))
        assert "1 mätdygn har inget kvantifierat värde" in text and "%" not in text

    def test_one_campaign(self):
        text = describe_yoy("Kokain", _change(campaigns=(None, "2025"), years=(None, 2025), too_few=True))
        assert text == "Kokain: bara en mätperiod (2025), så det går inte att säga om belastningen har ändrats."

    def test_own_campaign_labels_and_longer_periods(self):
        text = plain(describe_yoy("Kokain", _change(campaigns=("2025 v.9", "2025 v.12"), years=(2025, 2025),
                                                    n_before=14, n_after=14)))
        assert text.startswith("Kokain: mätperioden 2025 v.12 var belastningen")
        assert "högre än mätperioden 2025 v.9" in text and "en enstaka mätperiod" in text

    def test_no_change_as_displayed(self):
        text = plain(describe_yoy("Kokain", _change(ratio=1.003, ci_low=0.9, ci_high=1.1, detectable=False)))
        assert "på ungefär samma nivå som 2024" in text and "högre" not in text


class TestDescribeTrend:
    def test_confirmed_increase(self):
        text = plain(describe_trend("Kokain", _trend()))
        assert text.startswith("Kokain: belastningen har ökat med i genomsnitt 9 % per år 2016–2024 (9 mätår; "
                               "95 % KI +4 till +15 %; p = 0,003); trenden är statistiskt säkerställd.")
        assert "Theil–Sen): +9 % per år." in text and "en enda mätperiod (oftast en vecka)" in text

    def test_confirmed_decrease(self):
        text = plain(describe_trend("Cannabis", _trend(annual_change_pct=-6.0, ci_low_pct=-9.0, ci_high_pct=-3.0,
                                                       theil_sen_pct=-5.0)))
        assert "har minskat med i genomsnitt 6 % per år" in text

    def test_no_trend(self):
        text = plain(describe_trend("Kokain", _trend(annual_change_pct=2.0, ci_low_pct=-5.0, ci_high_pct=9.0,
                                                     p=0.41, detectable=False)))
        assert "Kokain: ingen statistiskt säkerställd trend 2016–2024 (9 mätår; i genomsnitt +2 % per år; " \
               "95 % KI −5 till +9 %; p = 0,41)." in text
        assert "statistiskt säkerställd." not in text

    def test_theil_sen_pointing_the_other_way_is_flagged(self):
        text = describe_trend("Kokain", _trend(theil_sen_pct=-2.0))
        assert "motsatt håll" in text and "försiktighet" in text
        assert "motsatt" not in describe_trend("Kokain", _trend())

    def test_too_few_and_not_interpretable(self):
        nan = math.nan
        few = _trend(years=(2023, 2024), n_years=2, n_campaigns=2, annual_change_pct=nan, detectable=False,
                     too_few=True)
        assert describe_trend("Kokain", few) == "Kokain: för få mätår (2) för att bedöma en trend; minst 3 behövs."
        zero = _trend(not_interpretable=True, zero_years=(2019, 2020), detectable=False)
        assert "inget kvantifierades 2019 och 2020" in describe_trend("MDMA (ecstasy)", zero)

    def test_several_campaigns_a_year(self):
        assert "några få mätperioder" in describe_trend("Kokain", _trend(n_campaigns=14))

    def test_from_a_real_result(self):
        years = list(range(2015, 2025))
        t = multi_year_trend(make_summary(years, [80.0 * 1.07 ** (y - 2015) for y in years]), "SE999", "cocaine")
        text = plain(describe_trend("Kokain", t))
        assert "har ökat med i genomsnitt 7 % per år 2015–2024 (10 mätår" in text and "osäkerheten" not in text

    def test_few_years_are_called_very_uncertain(self):
        text = describe_trend("Kokain", _trend(years=(2022, 2023, 2024), n_years=3, n_campaigns=3,
                                               detectable=False))
        assert "Med bara 3 mätår är osäkerheten mycket stor." in text


class TestSummarySentences:
    @pytest.fixture
    def site(self):
        rng = np.random.default_rng(1)
        noise = lambda: list(np.exp(rng.normal(0, 0.05, 7)))  # noqa: E731
        parts = [
            make_daily({"2023": (2023, [300 * v for v in noise()]), "2024": (2024, [450 * v for v in noise()])},
                       substance="cocaine"),
            make_daily({"2023": (2023, [40 * v for v in noise()], [True] * 5 + [False] * 2),
                        "2024": (2024, [45 * v for v in noise()])}, substance="amphetamine"),
            make_daily({"2023": (2023, [10.0, 14.0, 9.0, 30.0, 12.0, 25.0, 11.0]),
                        "2024": (2024, [12.0, 9.0, 13.0, 22.0, 28.0, 10.0, 14.0])}, substance="MDMA"),
            make_daily({"2023": (2023, [90 * v for v in noise()]), "2024": (2024, [60 * v for v in noise()])},
                       substance="cannabis"),
            make_daily({"2024": (2024, [5 * v for v in noise()])}, substance="ketamine"),
        ]
        daily = pd.concat(parts, ignore_index=True)
        years = list(range(2018, 2025))
        summary = pd.concat([
            make_summary(years, [200 * 1.1 ** (y - 2018) * (1.02 if y % 2 else 0.98) for y in years]),
            make_summary([2023, 2024], [20.0, 22.0], substance="MDMA"),
            make_summary(years, [100, 70, 120, 90, 110, 80, 100], substance="cannabis"),
        ], ignore_index=True)
        return daily, summary

    def test_groups_what_rose_fell_and_cannot_be_said(self, site):
        daily, summary = site
        out = [plain(s) for s in summary_sentences(daily, summary, "SE999")]
        cocaine = year_over_year(daily, "SE999", "cocaine")
        cannabis = year_over_year(daily, "SE999", "cannabis")
        assert cocaine.detectable and cannabis.detectable and cocaine.ratio > 1 > cannabis.ratio
        assert out[0] == (f"Statistiskt säkerställd ökning från 2023 till 2024 (ett typiskt mätdygn): kokain "
                          f"{signed(100 * (cocaine.ratio - 1))} %.")
        assert out[1] == (f"Statistiskt säkerställd minskning från 2023 till 2024 (ett typiskt mätdygn): cannabis "
                          f"{signed(100 * (cannabis.ratio - 1))} %.")
        assert out[2] == ("Ingen säkerställd förändring från 2023 till 2024 (skillnaden kan bero på slumpen): "
                          "MDMA (ecstasy).")
        assert out[3] == ("Förändringen går inte att bedöma för amfetamin: de flesta värden under "
                          "kvantifieringsgränsen.")
        assert out[4] == "Förändringen går inte att bedöma för ketamin: bara en mätperiod."
        trend = multi_year_trend(summary, "SE999", "cocaine")
        assert trend.detectable
        assert out[5] == (f"Statistiskt säkerställd ökande trend 2018–2024 (genomsnitt per år): kokain "
                          f"{signed(trend.annual_change_pct)} %.")
        assert out[6] == "Ingen säkerställd trend 2018–2024: cannabis."
        assert out[7] == "Trenden över flera år går inte att bedöma för amfetamin och ketamin: inga årsvärden."
        assert out[8] == "Trenden över flera år går inte att bedöma för MDMA (ecstasy): för få mätår."
        assert "behöver inte vara representativ för hela året" in out[-1] and len(out) == 10

    def test_zero_days_and_later_campaign_pairs(self):
        daily = pd.concat([
            make_daily({"2023": (2023, BEFORE), "2024": (2024, [0.0] + AFTER[1:])}, substance="cocaine"),
            make_daily({"2021": (2021, BEFORE), "2024": (2024, BEFORE[::-1])}, substance="cannabis"),
        ], ignore_index=True)
        out = summary_sentences(daily, make_summary([2024], [1.0]), "SE999")
        assert out[0] == ("Ingen säkerställd förändring från 2021 till 2024 (skillnaden kan bero på slumpen): "
                          "cannabis.")
        assert out[1] == "Förändringen går inte att bedöma för kokain: mätdygn utan kvantifierat värde (0)."

    def test_unknown_site(self, site):
        with pytest.raises(ValueError, match="SE000"):
            summary_sentences(*site, "SE000")


def test_method_texts_cover_the_method_codes():
    assert set(wr.METHOD_TEXTS) == {wwtrends.YOY_METHOD, wwtrends.TREND_METHOD}
    assert wr.METHOD_TEXTS[wwtrends.YOY_METHOD].startswith("Welchs t-test på logaritmerade dygnsbelastningar")
    assert "Theil–Sens lutning" in wr.METHOD_TEXTS[wwtrends.TREND_METHOD]
