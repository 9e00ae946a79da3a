"""Tests of lagesbild.wastewater.labresults, .loads and .templates: a kommun's own wastewater lab results.

Inputs are written in the test as text (or as an .xlsx with openpyxl), so what is tested is visible
here. Loads are computed by hand through the unit chain ng/L × m³/day × 1 000 L/m³ = ng/day,
÷ 10⁶ = mg/day, ÷ (population / 1 000) = mg/day per 1 000 inhabitants. EUDA's weekday, weekend and
daily means are checked against the bundled EUDA table.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import raises_input_error

from lagesbild.core.errors import InputError
from lagesbild.core.paths import DATA
from lagesbild.sources.substances import SUBSTANCES
from lagesbild.wastewater import labresults as lr
from lagesbild.wastewater import loads
from lagesbild.wastewater import templates as tpl

TEMPLATES_DIR = DATA / "templates" / "wastewater"
EXAMPLE_DIR = DATA / "example" / "wastewater"
EUDA = DATA / "raw" / "wastewater" / "ww2025-all-data.csv"

HEADER = ("provdatum;reningsverk;kommun;substans;koncentration;enhet;loq;flode_m3_per_dygn;personer;laboratorium;"
          "kommentar")
PLANT = "Verket"


def row(date="2025-03-12", substance="bensoylekgonin", conc="400", unit="ng/L", loq="", flow="10 000",
        pop="50 000", plant=PLANT, kommun="1287", lab="Labbet", comment="") -> str:
    return ";".join([date, plant, kommun, substance, conc, unit, loq, flow, pop, lab, comment])


def table(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "analyser.csv") -> Path:
    """A ;-separated UTF-8 CSV: header = row 1, rows from row 2."""
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def hand_load(conc_ng_per_l: float, flow_m3: float, population: float) -> float:
    """The unit chain written out, independent of the module's shortcut."""
    ng_per_day = conc_ng_per_l * flow_m3 * 1000.0  # ng/L × m³/day × 1 000 L/m³
    mg_per_day = ng_per_day / 1e6
    return mg_per_day / (population / 1000.0)


def assert_where(err: InputError, row: int | None, column: str | None, *needles: str) -> None:
    assert err.row == row, str(err)
    assert err.column == column, str(err)
    for needle in needles:
        assert needle in str(err), (needle, str(err))


# ============================================================================================
# Units and loads
# ============================================================================================


class TestLoads:
    def test_hand_computed(self):
        # 1 000 ng/L × 10 000 m³ × 1 000 L/m³ = 10¹⁰ ng = 10 000 mg per day; 50 000 people → 200 per 1 000
        assert loads.load_mg_per_day_per_1000(1000.0, 10_000.0, 50_000) == pytest.approx(200.0)
        assert hand_load(1000.0, 10_000.0, 50_000) == pytest.approx(200.0)
        # 250 ng/L, 12 000 m³/day, 44 000 people: 250 × 1.2e7 L = 3e9 ng = 3 000 mg/day; / 44 → 68.1818…
        assert loads.load_mg_per_day_per_1000(250.0, 12_000.0, 44_000) == pytest.approx(3000 / 44)

    def test_from_micrograms(self):
        # 0,95 µg/L = 950 ng/L; 950 × 12 350 × 1 000 / 10⁶ = 11 732.5 mg/day; / 44 = 266.647…
        conc = 0.95 * loads.unit_factor("µg/L")
        assert conc == pytest.approx(950.0)
        assert loads.load_mg_per_day_per_1000(conc, 12_350, 44_000) == pytest.approx(11_732.5 / 44)

    def test_arrays_and_series(self):
        got = loads.load_mg_per_day_per_1000(np.array([100.0, 200.0]), np.array([10_000.0, 5_000.0]), 20_000)
        np.testing.assert_allclose(got, [hand_load(100, 10_000, 20_000), hand_load(200, 5_000, 20_000)])
        series = loads.load_mg_per_day_per_1000(pd.Series([100.0], index=[7]), 10_000.0, 20_000)
        assert series.index.tolist() == [7] and series.iloc[0] == pytest.approx(50.0)

    @pytest.mark.parametrize("flow, pop", [(0, 1000), (1000, 0), (-5, 1000), (np.nan, 1000)])
    def test_rejects_non_positive(self, flow, pop):
        with pytest.raises(ValueError, match="greater than 0"):
            loads.load_mg_per_day_per_1000(100.0, flow, pop)

    @pytest.mark.parametrize("unit, factor", [
        ("ng/L", 1.0), ("ng/l", 1.0), ("NG / L", 1.0), ("", 1.0), ("µg/L", 1000.0), ("\u03bcg/L", 1000.0),
        ("ug/l", 1000.0), ("UG/L", 1000.0), ("ng/mL", 1000.0), ("ng/ml", 1000.0),
    ])
    def test_unit_factor(self, unit, factor):
        assert loads.unit_factor(unit) == factor

    @pytest.mark.parametrize("unit", ["mg/L", "pg", "g/m3", "ng"])
    def test_unknown_unit(self, unit):
        assert loads.unit_factor(unit) is None

    def test_units_convert_in_a_file(self, tmp_path):
        # the same 950 ng/L written three ways, LOQ 10 ng/L written in the row's unit
        path = table(tmp_path, row(substance="amfetamin", conc="950", unit="ng/L", loq="10"),
                     row(date="2025-03-13", substance="amfetamin", conc="0,95", unit="µg/L", loq="0,01"),
                     row(date="2025-03-14", substance="amfetamin", conc="0.95", unit="ng/ml", loq="0.01"),
                     row(date="2025-03-15", substance="amfetamin", conc="950", unit="", loq=""))
        df = lr.load_lab_results(path)
        np.testing.assert_allclose(df["concentration"], 950.0)
        np.testing.assert_allclose(df["loq"].iloc[:3], 10.0)
        np.testing.assert_allclose(df["load"], hand_load(950, 10_000, 50_000))  # = 190


# ============================================================================================
# The LOQ rule
# ============================================================================================


class TestLoq:
    @pytest.mark.parametrize("cell, expected", [
        ("412,5", (412.5, False, np.nan)),
        ("1 234.5", (1234.5, False, np.nan)),
        ("0", (0.0, False, np.nan)),
        ("<LOQ", (np.nan, True, np.nan)),
        ("< LOQ", (np.nan, True, np.nan)),
        ("<loq", (np.nan, True, np.nan)),
        ("<0,5", (np.nan, True, 0.5)),
        ("< 0,5", (np.nan, True, 0.5)),
        ("<0.5", (np.nan, True, 0.5)),
    ])
    def test_parse(self, cell, expected):
        value, below, loq = loads.parse_concentration(cell)
        assert below is expected[1]
        np.testing.assert_equal([value, loq], [expected[0], expected[2]])

    @pytest.mark.parametrize("cell", ["", "..", "abc", "-3", "<", "<abc", "<0", "< -1", "12 ng/L", ">5"])
    def test_parse_rejects(self, cell):
        with pytest.raises(ValueError):
            loads.parse_concentration(cell)

    def test_substitution(self):
        got = loads.apply_loq_rule(np.array([12.0, np.nan, 0.3]), np.array([np.nan, 5.0, 0.5]),
                                np.array([False, True, True]))
        np.testing.assert_allclose(got, [12.0, 2.5, 0.25])
        assert loads.LOQ_FRACTION == 0.5
        with pytest.raises(ValueError, match="LOQ"):
            loads.apply_loq_rule(np.array([np.nan]), np.array([np.nan]), np.array([True]))

    def test_loq_parsing_in_a_file(self, tmp_path):
        path = table(tmp_path,
                     row(substance="metamfetamin", conc="<LOQ", loq="5"),
                     row(substance="MDMA", conc="< 0,5", loq=""),
                     row(substance="ketamin", conc="<0.5", loq="0,5"),
                     row(substance="THC-COOH", conc="< LOQ", unit="µg/L", loq="0,02"),
                     row(substance="amfetamin", conc="3", loq="4"))  # a number below its own LOQ
        df = lr.load_lab_results(path)
        assert df["below_loq"].tolist() == [True] * 5
        np.testing.assert_allclose(df["loq"], [5.0, 0.5, 0.5, 20.0, 4.0])
        np.testing.assert_allclose(df["concentration_used"], [2.5, 0.25, 0.25, 10.0, 2.0])
        assert np.isnan(df["concentration"].iloc[:4]).all() and df["concentration"].iloc[4] == 3.0
        np.testing.assert_allclose(df["load"], [hand_load(c, 10_000, 50_000) for c in (2.5, 0.25, 0.25, 10.0, 2.0)])

    def test_number_at_loq_is_not_below(self, tmp_path):
        df = lr.load_lab_results(table(tmp_path, row(conc="10", loq="10")))
        assert not df["below_loq"].iloc[0] and df["concentration_used"].iloc[0] == 10.0

    @pytest.mark.parametrize("n_below, n_days, flag", [(4, 7, True), (3, 7, False), (7, 7, True), (2, 4, False),
                                                       (3, 5, True), (0, 0, False), (1, 1, True)])
    def test_mostly_below(self, n_below, n_days, flag):
        assert loads.is_mostly_below_loq(n_below, n_days) is flag

    def test_mostly_below_vectorised(self):
        got = loads.is_mostly_below_loq(pd.Series([4, 3]), pd.Series([7, 7]))
        assert got.tolist() == [True, False]

    def test_rule_texts_are_swedish_and_say_the_rule(self):
        assert "LOQ/2" in loads.LOQ_RULE and "mer än hälften" in loads.LOQ_RULE and "tolkas inte" in loads.LOQ_RULE


# ============================================================================================
# Campaigns, DAILY and SUMMARY
# ============================================================================================


def week_file(tmp_path: Path, concs: dict[str, list[str]], start: str = "2025-03-10", flow: str = "10000",
              pop: str = "50000", loq: str = "5") -> Path:
    """Seven consecutive days from ``start``; one row per substance and day."""
    days = pd.date_range(start, periods=7)
    rows = [row(date=f"{d:%Y-%m-%d}", substance=s, conc=values[i], loq=loq, flow=flow, pop=pop)
            for i, d in enumerate(days) for s, values in concs.items() if values[i] is not None]
    return table(tmp_path, *rows)


class TestCampaigns:
    def test_year_boundary(self):
        days = pd.Series(pd.to_datetime(["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-08"]))
        got = lr.label_campaigns(days)
        # Monday 30 December 2024 is in ISO week 1 of 2025; 8 January (after a gap) starts a run in week 2
        assert got["campaign"].tolist() == ["2025 v.1", "2025 v.1", "2025 v.1", "2025 v.2"]
        assert got["year"].tolist() == [2025, 2025, 2025, 2025]
        assert got["start"].tolist() == [pd.Timestamp("2024-12-30")] * 3 + [pd.Timestamp("2025-01-08")]

    def test_a_lost_day_inside_a_week_keeps_the_label(self):
        # Wednesday 12 … Tuesday 18 March 2025 without Thursday 13: two runs, both starting in ISO week 11
        days = pd.Series(pd.to_datetime(["2025-03-12", "2025-03-14", "2025-03-15", "2025-03-16", "2025-03-17",
                                         "2025-03-18"]))
        got = lr.label_campaigns(days)
        assert set(got["campaign"]) == {"2025 v.11"}
        assert got["start"].tolist() == [pd.Timestamp("2025-03-12")] + [pd.Timestamp("2025-03-14")] * 5

    def test_run_over_new_year_keeps_the_first_days_week(self):
        days = pd.Series(pd.date_range("2020-12-28", "2021-01-03"))  # Monday … Sunday, ISO 2020-W53
        got = lr.label_campaigns(days)
        assert set(got["campaign"]) == {"2020 v.53"} and set(got["year"]) == {2020}
        days = pd.Series(pd.date_range("2025-12-27", periods=7))  # Saturday 27 Dec 2025 = ISO 2025-W52
        got = lr.label_campaigns(days)
        assert set(got["campaign"]) == {"2025 v.52"} and set(got["year"]) == {2025}
        assert got["start"].eq(pd.Timestamp("2025-12-27")).all()

    def test_runs_split_at_gaps_and_order_and_repeats_do_not_matter(self):
        days = pd.Series(pd.to_datetime(["2025-03-19", "2024-03-13", "2025-03-18", "2024-03-14", "2025-03-18"]),
                         index=[10, 11, 12, 13, 14])
        got = lr.label_campaigns(days)
        assert got.index.tolist() == [10, 11, 12, 13, 14]
        assert got["campaign"].tolist() == ["2025 v.12", "2024 v.11", "2025 v.12", "2024 v.11", "2025 v.12"]

    def test_site_id(self):
        assert lr.make_site_id("1287", "Trelleborgs reningsverk") == "1287-trelleborgs-reningsverk"
        assert lr.make_site_id("2080", "Främby ARV / Falun") == "2080-framby-arv-falun"


class TestDailyAndSummary:
    # Monday 10 … Sunday 16 March 2025; flow 10 000 m³/day, 50 000 people: load = conc / 5
    CONCS = ["50", "20", "25", "30", "60", "100", "90"]  # Mon … Sun, ng/L
    LOADS = [10.0, 4.0, 5.0, 6.0, 12.0, 20.0, 18.0]

    def test_means_by_hand(self, tmp_path):
        path = week_file(tmp_path, {"bensoylekgonin": self.CONCS})
        daily = lr.to_daily(lr.load_lab_results(path))
        np.testing.assert_allclose(daily["load"], self.LOADS)
        assert daily["weekday"].tolist() == [0, 1, 2, 3, 4, 5, 6]
        summary = lr.to_summary(daily)
        assert len(summary) == 1
        s = summary.iloc[0]
        assert s["weekday_mean"] == pytest.approx((4 + 5 + 6) / 3)  # Tue, Wed, Thu
        assert s["weekend_mean"] == pytest.approx((12 + 20 + 18 + 10) / 4)  # Fri, Sat, Sun, Mon
        assert s["daily_mean"] == pytest.approx(75 / 7)
        assert (s["n_days"], s["n_below_loq"], s["mostly_below_loq"]) == (7, 0, False)
        assert (s["campaign"], s["year"], s["substance"], s["source"], s["country"], s["kommun_kod"]) == (
            "2025 v.11", 2025, "cocaine", "egen mätning", "SE", "1287")
        assert list(summary.columns) == list(lr.SUMMARY_COLUMNS)

    def test_daily_contract(self, tmp_path):
        path = week_file(tmp_path, {"bensoylekgonin": self.CONCS, "MDMA": ["5"] * 7})
        daily = lr.to_daily(lr.load_lab_results(path))
        assert list(daily.columns) == list(lr.DAILY_COLUMNS)
        assert len(daily) == 14 and daily.index.tolist() == list(range(14))
        assert set(daily["site_id"]) == {"1287-verket"} and set(daily["site"]) == {PLANT}
        assert set(daily["source"]) == {"egen mätning"} and set(daily["country"]) == {"SE"}
        assert daily["substance"].tolist()[:2] == ["cocaine", "MDMA"]  # by date, then SUBSTANCES order
        assert str(daily["date"].dtype) == "datetime64[ns]" and daily["year"].dtype == "int64"
        assert daily["date"].dt.day_of_week.tolist() == daily["weekday"].tolist()

    def test_loq_days_in_the_means(self, tmp_path):
        # methamphetamine: 4 of 7 days <LOQ (LOQ 5 ng/L → 2.5 ng/L → load 0.5); others 10 ng/L → load 2
        concs = ["<LOQ", "10", "<LOQ", "10", "<LOQ", "10", "<LOQ"]
        daily = lr.to_daily(lr.load_lab_results(week_file(tmp_path, {"metamfetamin": concs})))
        assert daily["below_loq"].tolist() == [c == "<LOQ" for c in concs]
        np.testing.assert_allclose(daily["load"], [0.5, 2, 0.5, 2, 0.5, 2, 0.5])
        s = lr.to_summary(daily).iloc[0]
        assert s["weekday_mean"] == pytest.approx((2 + 0.5 + 2) / 3)
        assert s["weekend_mean"] == pytest.approx((0.5 + 2 + 0.5 + 0.5) / 4)
        assert s["daily_mean"] == pytest.approx(8 / 7)
        assert (s["n_below_loq"], s["mostly_below_loq"]) == (4, True)

    def test_three_of_seven_below_is_not_flagged(self, tmp_path):
        concs = ["<LOQ", "10", "<LOQ", "10", "<LOQ", "10", "10"]
        s = lr.to_summary(lr.to_daily(lr.load_lab_results(week_file(tmp_path, {"metamfetamin": concs})))).iloc[0]
        assert (s["n_below_loq"], s["mostly_below_loq"]) == (3, False)

    def test_missing_day_is_nan_and_left_out(self, tmp_path):
        concs = self.CONCS.copy()
        concs[2] = None  # no MDMA result on Wednesday
        path = week_file(tmp_path, {"bensoylekgonin": self.CONCS, "MDMA": concs})
        daily = lr.to_daily(lr.load_lab_results(path))
        mdma = daily[daily["substance"] == "MDMA"]
        assert len(mdma) == 7 and mdma["load"].isna().tolist() == [False, False, True, False, False, False, False]
        assert not mdma["below_loq"].any()
        s = lr.to_summary(daily).set_index("substance").loc["MDMA"]
        assert s["n_days"] == 6
        assert s["weekday_mean"] == pytest.approx((4 + 6) / 2) and s["daily_mean"] == pytest.approx(70 / 6)

    def test_two_campaigns_and_sorting(self, tmp_path):
        rows = [row(date=d, conc="100") for d in ("2025-03-12", "2025-03-13", "2024-03-13", "2024-03-14")]
        rows.append(row(date="2024-12-30", conc="50"))
        daily = lr.to_daily(lr.load_lab_results(table(tmp_path, *rows)))
        assert daily["campaign"].tolist() == ["2024 v.11", "2024 v.11", "2025 v.1", "2025 v.11", "2025 v.11"]
        summary = lr.to_summary(daily)
        assert summary["campaign"].tolist() == ["2024 v.11", "2025 v.1", "2025 v.11"]
        assert summary["n_days"].tolist() == [2, 1, 2]

    def test_two_plants(self, tmp_path):
        rows = [row(plant="Norra verket", conc="100"), row(plant="Södra verket", conc="200", kommun="1283"),
                row(plant="norra  VERKET", conc="100", date="2025-03-13")]
        results = lr.load_lab_results(table(tmp_path, *rows))
        assert results["site_id"].tolist() == ["1287-norra-verket", "1283-sodra-verket", "1287-norra-verket"]
        assert results["site"].tolist() == ["Norra verket", "Södra verket", "Norra verket"]  # first spelling
        summary = lr.to_summary(lr.to_daily(results))
        assert summary["site_id"].tolist() == ["1283-sodra-verket", "1287-norra-verket"]

    def test_empty(self):
        daily = lr.to_daily(lr.load_lab_results(TEMPLATES_DIR / "analyser.csv").iloc[:0])
        assert daily.empty and list(daily.columns) == list(lr.DAILY_COLUMNS)
        summary = lr.to_summary(daily)
        assert summary.empty and list(summary.columns) == list(lr.SUMMARY_COLUMNS)


def euda_daily(rows: pd.DataFrame) -> pd.DataFrame:
    """EUDA's wide day columns as a DAILY table (date unknown, weekday from the column)."""
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    long = rows.melt(id_vars=["Year", "Metabolite", "Site ID", "Country", "City"], value_vars=names,
                     var_name="day", value_name="load")
    return pd.DataFrame({
        "site_id": long["Site ID"].astype(str), "site": long["City"].astype(str),
        "country": long["Country"].astype(str), "kommun_kod": None, "year": long["Year"].astype("int64"),
        "campaign": long["Year"].astype(str), "substance": long["Metabolite"].astype(str),
        "date": pd.Series(pd.NaT, index=long.index, dtype="datetime64[ns]"),
        "weekday": long["day"].map(names.index).astype("int64"), "load": long["load"].astype(float),
        "source": "EUDA", "below_loq": False,
    })


class TestEudaDayDefinitions:
    def test_graz_mdma_2024(self):
        euda = pd.read_csv(EUDA)
        graz = euda[(euda["Site ID"] == "AT001") & (euda["Metabolite"] == "MDMA") & (euda["Year"] == 2024)]
        s = lr.to_summary(euda_daily(graz)).iloc[0]
        # published: weekday 10.27, weekend 19.47, daily 15.53 (day values rounded to 2 decimals)
        assert round(s["weekday_mean"], 2) == 10.27 == graz["Weekday mean"].iloc[0]
        assert s["weekend_mean"] == pytest.approx(19.47, abs=0.006)  # 77.86 / 4 = 19.465
        assert round(s["daily_mean"], 2) == 15.53 == graz["Daily mean"].iloc[0]
        assert s["kommun_kod"] is None and s["n_days"] == 7

    def test_every_complete_2023_row(self):
        euda = pd.read_csv(EUDA)
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        rows = euda[(euda["Year"] == 2023)].dropna(subset=days)
        assert len(rows) > 500
        summary = lr.to_summary(euda_daily(rows)).set_index(["site_id", "substance"])
        published = rows.set_index(["Site ID", "Metabolite"]).rename_axis(["site_id", "substance"])
        for ours, theirs in (("weekday_mean", "Weekday mean"), ("weekend_mean", "Weekend mean"),
                             ("daily_mean", "Daily mean")):
            # the day values are published rounded to 2 decimals, so the means agree to about 0.01
            diff = (summary[ours] - published[theirs]).abs()
            assert diff.max() <= 0.011, (ours, diff.idxmax())


# ============================================================================================
# Errors: every one names file, row and column
# ============================================================================================


class TestErrors:
    @pytest.mark.parametrize("kwargs, column, needle", [
        ({"date": "12/3/2025"}, "provdatum", "not a date"),
        ({"date": ""}, "provdatum", "date is empty"),
        ({"plant": ""}, "reningsverk", "plant name is empty"),
        ({"plant": "--"}, "reningsverk", "not a plant name"),
        ({"kommun": "287"}, "kommun", "four-digit"),
        ({"substance": "koffein"}, "substans", "bensoylekgonin"),  # the fix lists accepted names
        ({"substance": ""}, "substans", "substance is empty"),
        ({"conc": "abc"}, "koncentration", "not a number"),
        ({"conc": ""}, "koncentration", "empty"),
        ({"conc": "-4"}, "koncentration", "not a concentration"),
        ({"conc": "<x"}, "koncentration", "followed by LOQ or a number"),
        ({"conc": "<LOQ", "loq": ""}, "loq", "no LOQ"),
        ({"conc": "<0,5", "loq": "0,4"}, "koncentration", "column loq says 0.4"),
        ({"unit": "mg/kg"}, "enhet", "not a concentration unit"),
        ({"loq": "0"}, "loq", "not greater than 0"),
        ({"loq": "fem"}, "loq", "not a number"),
        ({"flow": "0"}, "flode_m3_per_dygn", "not greater than 0"),
        ({"flow": ""}, "flode_m3_per_dygn", "missing"),
        ({"pop": "-10"}, "personer", "not greater than 0"),
        ({"pop": "44 000,5"}, "personer", "not a whole number"),
        ({"pop": ""}, "personer", "missing"),
    ])
    def test_bad_cell(self, tmp_path, kwargs, column, needle):
        path = table(tmp_path, row(), row(**{"date": "2025-03-13", **kwargs}))
        err = raises_input_error(lr.load_lab_results, path)
        assert_where(err, 3, column, needle, str(path))

    def test_sample_date_after_today_is_refused(self, tmp_path):
        # 2052 for 2025 would become the latest campaign; today itself is a valid sample day.
        today, later = dt.date.today(), dt.date.today() + dt.timedelta(days=1)
        path = table(tmp_path, row(date=today.isoformat()), row(date=later.isoformat()))
        err = raises_input_error(lr.load_lab_results, path)
        assert_where(err, 3, "provdatum", f"'{later.isoformat()}' is in the future", "year mistyped")

    def test_unknown_substance_lists_accepted_names(self, tmp_path):
        err = raises_input_error(lr.load_lab_results, table(tmp_path, row(substance="kodein")))
        for s in SUBSTANCES.values():
            for name in (s.key, s.name, s.biomarker, *s.aliases):
                assert name.casefold() in str(err).casefold(), name
                assert name.casefold() in tpl.accepted_substances().casefold(), name

    def test_header_errors(self, tmp_path):
        err = raises_input_error(lr.load_lab_results, table(tmp_path, row() + ";x", header=HEADER + ";provnummer"))
        assert_where(err, 1, "provnummer", "unknown column")
        header = HEADER.replace("personer", "invånare")
        err = raises_input_error(lr.load_lab_results, table(tmp_path, row(), header=header))
        assert_where(err, 1, "invånare", "unknown column")
        short = "provdatum;reningsverk;kommun;substans;koncentration"
        err = raises_input_error(lr.load_lab_results, table(tmp_path, "2025-03-12;V;1287;MDMA;5", header=short))
        assert_where(err, 1, None, "flode_m3_per_dygn, personer")
        both = HEADER.replace("flode_m3_per_dygn", "flöde") + ";flode"
        err = raises_input_error(lr.load_lab_results, table(tmp_path, row() + ";1", header=both))
        assert_where(err, 1, "flode", "mean the same thing")

    def test_aliases_and_case(self, tmp_path):
        header = "Datum;RENINGSVERK;Kommunkod;Ämne;Halt;Flöde;Anslutna personer"
        df = lr.load_lab_results(table(tmp_path, "2025-03-12;V;1287;Bensoylekgonin;100;10000;50000", header=header))
        assert df["substance"].tolist() == ["cocaine"] and df["load"].tolist() == [20.0]
        assert df["laboratorium"].tolist() == [""] and np.isnan(df["loq"].iloc[0])

    @pytest.mark.parametrize("drug", ["Kokain", "cocaine", "THC", "cannabis"])
    def test_a_parent_drug_is_not_read_as_its_biomarker(self, tmp_path, drug):
        header = "Datum;RENINGSVERK;Kommunkod;Ämne;Halt;Flöde;Anslutna personer"
        err = raises_input_error(lr.load_lab_results, table(tmp_path, f"2025-03-12;V;1287;{drug};100;10000;50000",
                                                            header=header))
        assert err.row == 2 and "biomarker" in str(err)

    def test_duplicate_names_both_rows(self, tmp_path):
        path = table(tmp_path, row(), row(substance="MDMA"), row(substance="BE"))
        err = raises_input_error(lr.load_lab_results, path)
        assert_where(err, 4, "substans", "rows 2 and 4", "Kokain", "2025-03-12", "'bensoylekgonin' and 'BE'",
                     "biomarker")
        path = table(tmp_path, row(), row(substance="MDMA"), row(plant="verket ", conc="12"))
        assert_where(raises_input_error(lr.load_lab_results, path), 4, "substans", "rows 2 and 4")

    def test_same_substance_other_day_or_plant_is_fine(self, tmp_path):
        path = table(tmp_path, row(), row(date="2025-03-13"), row(plant="Annat verk"), row(kommun="1283"))
        assert len(lr.load_lab_results(path)) == 4

    def test_flow_and_population_agree_within_a_day(self, tmp_path):
        path = table(tmp_path, row(), row(substance="MDMA", flow="10 000"), row(substance="amfetamin", flow="11000"))
        err = raises_input_error(lr.load_lab_results, path)
        assert_where(err, 4, "flode_m3_per_dygn", "rows 2 and 4", "10000 and 11000")
        path = table(tmp_path, row(), row(substance="MDMA", pop="49 000"))
        assert_where(raises_input_error(lr.load_lab_results, path), 3, "personer", "rows 2 and 3")

    def test_first_bad_row_is_named(self, tmp_path):
        path = table(tmp_path, row(), row(date="2025-03-13"), row(date="2025-03-14", unit="kg"),
                     row(date="2025-03-15", unit="g"))
        assert_where(raises_input_error(lr.load_lab_results, path), 4, "enhet")

    def test_title_lines_keep_row_numbers(self, tmp_path):
        path = tmp_path / "analyser.csv"
        path.write_text("Analysrapport från labbet\n\n" + HEADER + "\n" + row() + "\n" + row(kommun="12") + "\n",
                        encoding="utf-8")
        assert_where(raises_input_error(lr.load_lab_results, path), 5, "kommun")


# ============================================================================================
# Excel input
# ============================================================================================


def excel_file(tmp_path: Path, rows: list[list], sheet: str = "analyser", header=None, name="analyser.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header or HEADER.split(";"))
    for r in rows:
        ws.append(r)
    path = tmp_path / name
    wb.save(path)
    return path


class TestExcel:
    def test_excel_like_csv(self, tmp_path):
        # real Excel cells: date cells, numbers, kommun as text
        xrows = [
            [dt.datetime(2025, 3, 12), PLANT, "1287", "bensoylekgonin", 412.5, "ng/L", 10, 12350, 44000, "Labbet",
             None],
            [dt.datetime(2025, 3, 12), PLANT, "1287", "metamfetamin", "<LOQ", "µg/L", 0.005, 12350, 44000, None, "x"],
            [dt.datetime(2025, 3, 13), PLANT, "1287", "MDMA", 24, None, None, 11000.0, 44000.0, None, None],
        ]
        book = excel_file(tmp_path / "", xrows)
        csv = table(tmp_path,
                    row(conc="412,5", loq="10", flow="12 350", pop="44 000", lab="Labbet", date="2025-03-12"),
                    row(substance="metamfetamin", conc="<LOQ", unit="µg/L", loq="0,005", flow="12350", pop="44000",
                        lab="", comment="x"),
                    row(date="2025-03-13", substance="MDMA", conc="24", unit="", flow="11000", pop="44000", lab=""))
        from_xlsx, from_csv = lr.load_lab_results(book), lr.load_lab_results(csv)
        pd.testing.assert_frame_equal(from_xlsx, from_csv, check_index_type=False)
        assert from_xlsx["load"].iloc[1] == pytest.approx(hand_load(2.5, 12_350, 44_000))

    def test_excel_errors_name_rows(self, tmp_path):
        xrows = [[dt.datetime(2025, 3, 12), PLANT, "1287", "MDMA", 24, None, None, 11000, 44000, None, None],
                 [dt.datetime(2025, 3, 12), PLANT, 1287, "MDMA", 25, None, None, 11000, 44000, None, None]]
        err = raises_input_error(lr.load_lab_results, excel_file(tmp_path, xrows))
        assert_where(err, 3, "substans", "rows 2 and 3")
        xrows = [[dt.datetime(2025, 3, 12), PLANT, 114, "MDMA", 24, None, None, 11000, 44000, None, None]]
        assert_where(raises_input_error(lr.load_lab_results, excel_file(tmp_path, xrows)), 2, "kommun", "'114'")

    def test_sheet_named_analyser_is_read(self, tmp_path):
        wb = openpyxl.Workbook()
        wb.active.title = "Info"
        wb.active.append(["Om filen"])
        ws = wb.create_sheet("Analyser")
        ws.append(HEADER.split(";"))
        ws.append(["2025-03-12", PLANT, "1287", "MDMA", "20", "", "", "10000", "50000", "", ""])
        path = tmp_path / "analyser.xlsx"
        wb.save(path)
        assert lr.load_lab_results(path)["load"].tolist() == [4.0]


# ============================================================================================
# Templates
# ============================================================================================


def sheet_values(path_or_bytes) -> dict[str, list[tuple]]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    return {ws.title: [tuple(c.value for c in r) for r in ws.iter_rows()] for ws in wb.worksheets}


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = tpl.write_templates(tmp_path)
        assert [p.name for p in written] == ["analyser.csv", "analyser.xlsx", "README.md"]
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates/wastewater')"
            if path.suffix == ".xlsx":
                assert sheet_values(committed) == sheet_values(path), "run write_templates('data/templates/wastewater')"
            else:
                assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates(…)"

    def test_csv_format(self):
        raw = (TEMPLATES_DIR / "analyser.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        assert raw.decode("utf-8-sig").splitlines()[0] == HEADER

    def test_template_round_trip(self):
        df = lr.load_lab_results(TEMPLATES_DIR / "analyser.csv")
        assert df.index.tolist() == list(range(2, 2 + len(tpl.TEMPLATE.rows)))
        by = df.set_index("substance")
        # 412,5 ng/L; 0,95 µg/L; 24,1 ng/L (no unit); <LOQ with LOQ 5 ng/L; <2 ng/L — all 12 350 m³, 44 000 people
        for key, conc in (("cocaine", 412.5), ("amphetamine", 950.0), ("MDMA", 24.1), ("cannabis", 151.0),
                          ("methamphetamine", 2.5), ("ketamine", 1.0)):
            assert by.loc[key, "concentration_used"] == pytest.approx(conc), key
            assert by.loc[key, "load"] == pytest.approx(hand_load(conc, 12_350, 44_000)), key
        assert by.loc[["methamphetamine", "ketamine"], "below_loq"].all()
        pd.testing.assert_frame_equal(lr.load_lab_results(TEMPLATES_DIR / "analyser.xlsx"), df,
                                      check_index_type=False)

    def test_write_csv_round_trip(self, tmp_path):
        path = tmp_path / "analyser.csv"
        tpl.write_csv(path, [{"provdatum": "2025-03-12", "reningsverk": PLANT, "kommun": "0114", "ämne": "MDMA",
                             "koncentration": "20", "flöde": 10_000, "personer": 50_000, "kommentar": 'a;b "c"',
                             "loq": float("nan")}])
        df = lr.load_lab_results(path)
        assert df.loc[2, "kommun_kod"] == "0114" and df.loc[2, "kommentar"] == 'a;b "c"' and df.loc[2, "load"] == 4.0
        with pytest.raises(ValueError, match="unknown column"):
            tpl.csv_text([{"färg": "röd"}])
        with pytest.raises(ValueError, match="cells"):
            tpl.csv_text([("a", "b")])

    def test_workbook(self):
        sheets = sheet_values(TEMPLATES_DIR / "analyser.xlsx")
        assert list(sheets) == ["analyser", "Instruktioner"]
        assert sheets["analyser"][0] == tuple(tpl.TEMPLATE.header)
        assert sheets["analyser"][1:] == [tuple(v or None for v in r) for r in tpl.TEMPLATE.rows]
        text = " ".join(str(v) for r in sheets["Instruktioner"] for v in r if v)
        for needle in [*tpl.PROGRAMME_ADVICE, loads.LOQ_RULE, tpl.LOAD_RULE, tpl.PRIVACY_RULE, *tpl.TEMPLATE.header]:
            assert needle in text, needle
        raw = tpl.workbook_bytes()
        assert raw == tpl.workbook_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            assert "2025-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()

    def test_readme_documents_everything(self):
        text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
        for col in tpl.TEMPLATE.columns:
            assert f"| {col.name} | {'ja' if col.required else 'nej'} | {col.description}" in text, col.name
        for advice in tpl.PROGRAMME_ADVICE:
            assert advice in text
        for needle in (loads.LOQ_RULE, tpl.LOAD_RULE, tpl.CAMPAIGN_RULE, tpl.PRIVACY_RULE, "µg/L", "ng/mL", "m³",
                       "## Mätprogram", "## LOQ-regeln", "## Enheter"):
            assert needle in text, needle

    def test_programme_advice_covers_the_essentials(self):
        text = " ".join(tpl.PROGRAMME_ADVICE)
        for needle in ("24 timmar", "flödesproportionella", "sju dagar i följd", "helg", "en gång per år",
                       "samma årstid", "samma reningsverk", "samma laboratorium", "flöde", "anslutna",
                       "bensoylekgonin", "amfetamin", "metamfetamin", "MDMA", "THC-COOH", "LOQ"):
            assert needle in text, needle


# ============================================================================================
# Folders and the example data
# ============================================================================================


class TestFolder:
    def test_load_folder(self, tmp_path):
        table(tmp_path, row(), row(kommun="1283", plant="Annat verk"))
        (tmp_path / "metadata.yaml").write_text("beskrivning: Test\ndatum: 2025-04-01\nkalla: Labbet\n",
                                                encoding="utf-8")
        (tmp_path / "README.md").write_text("x")
        data = lr.load_lab_folder(tmp_path, "1287")
        assert data.kommun_kod == "1287" and data.example is False and data.description == "Test"
        assert data.source == "Labbet" and data.results.index.tolist() == [2]
        assert len(data.daily) == 1 and len(data.summary) == 1
        f = data.files[0]
        assert f["name"] == f"{tmp_path.name}/analyser.csv" and f["date"] == "2025-04-01"
        assert f["description"] == tpl.FILE_DESCRIPTION
        import hashlib
        assert f["sha256"] == hashlib.sha256((tmp_path / "analyser.csv").read_bytes()).hexdigest()
        assert lr.load_lab_folder(tmp_path, "2080") is None

    def test_folder_errors(self, tmp_path):
        assert "does not exist" in str(raises_input_error(lr.load_lab_folder, tmp_path / "nej", "1287"))
        assert "no results table" in str(raises_input_error(lr.load_lab_folder, tmp_path, "1287"))
        table(tmp_path, row())
        assert "four-digit" in str(raises_input_error(lr.load_lab_folder, tmp_path, "128"))
        (tmp_path / "Analyser.xlsx").write_text("x")
        assert "two results tables" in str(raises_input_error(lr.load_lab_folder, tmp_path, "1287"))
        (tmp_path / "Analyser.xlsx").unlink()
        (tmp_path / "resultat.csv").write_text("x")
        assert "not a lab-results table" in str(raises_input_error(lr.load_lab_folder, tmp_path, "1287"))
        (tmp_path / "resultat.csv").unlink()
        (tmp_path / "metadata.yaml").write_text("exempeldata: ja\n", encoding="utf-8")
        assert "true or false" in str(raises_input_error(lr.load_lab_folder, tmp_path, "1287"))

    def test_find_lab_table_ignores_other_files(self, tmp_path):
        for name in ("analyser.csv", "~$analyser.xlsx", ".hidden.csv", "make.py", "metadata.yaml"):
            (tmp_path / name).write_text("x")
        assert lr.find_lab_table(tmp_path) == tmp_path / "analyser.csv"


class TestExampleData:
    def test_loads_as_example(self):
        data = lr.load_lab_folder(EXAMPLE_DIR, "1287")
        assert data.example is True and "påhittade" in data.description.lower()
        assert data.files[0]["description"].endswith("(påhittade exempeldata)")
        r = data.results
        assert set(r["site"]) == {"Trelleborgs reningsverk"} and set(r["kommun_kod"]) == {"1287"}
        assert set(r["substance"]) == {"cocaine", "amphetamine", "MDMA", "cannabis", "methamphetamine"}
        assert len(r) == 3 * 7 * 5
        assert r["population"].between(43_000, 45_000).all()
        assert r["flow_m3_per_day"].between(9_000, 17_000).all() and r["flow_m3_per_day"].nunique() > 15
        s = data.summary
        assert s["campaign"].unique().tolist() == ["2023 v.11", "2024 v.11", "2025 v.11"]
        assert (s["n_days"] == 7).all()
        assert data.daily["date"].dt.month.eq(3).all()
        assert lr.load_lab_folder(EXAMPLE_DIR, "1283") is None

    def test_methamphetamine_mostly_below_loq_others_not(self):
        s = lr.load_lab_folder(EXAMPLE_DIR, "1287").summary
        meth = s["substance"] == "methamphetamine"
        assert s.loc[meth, "mostly_below_loq"].all() and not s.loc[~meth, "mostly_below_loq"].any()
        raw = (EXAMPLE_DIR / "analyser.csv").read_text(encoding="utf-8-sig")
        assert "<LOQ" in raw and "< 5" in raw  # both ways of writing it

    def test_weekend_peak_for_cocaine_and_mdma(self):
        s = lr.load_lab_folder(EXAMPLE_DIR, "1287").summary
        for key in ("cocaine", "MDMA"):
            rows = s[s["substance"] == key]
            assert (rows["weekend_mean"] > 1.3 * rows["weekday_mean"]).all(), key

    def test_loads_in_the_range_euda_reports_for_sweden(self):
        euda = pd.read_csv(EUDA)
        sweden = euda[(euda["Country"] == "SE") & (euda["Daily mean"] > 0)]
        ranges = sweden.groupby("Metabolite")["Daily mean"].agg(["min", "max"])
        s = lr.load_lab_folder(EXAMPLE_DIR, "1287").summary
        for _, r in s.iterrows():
            low, high = ranges.loc[r["substance"]]
            assert low <= r["daily_mean"] <= high, (r["substance"], r["campaign"], r["daily_mean"], low, high)

    def test_script_reproduces_the_committed_files(self, tmp_path, monkeypatch):
        spec = importlib.util.spec_from_file_location("make_example_ww", EXAMPLE_DIR / "make_example.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        monkeypatch.setattr(module, "HERE", tmp_path)
        module.main()
        for name in ("metadata.yaml", "analyser.csv"):
            assert (tmp_path / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes(), name

    def test_readme_section(self):
        text = (DATA / "example" / "README.md").read_text(encoding="utf-8")
        assert "## `wastewater/`" in text and "wastewater/make_example.py" in text and "Trelleborg" in text
