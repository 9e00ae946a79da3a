"""Tests of lagesbild.wastewater.trends: expected values come from numpy/scipy/statsmodels called directly in
the test, from R's documented Welch example, or from EUDA's published means."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from lagesbild.core import fmt
from lagesbild.core.paths import DATA
from lagesbild.wastewater import trends as wwtrends
from lagesbild.wastewater.trends import (
    multi_year_trend,
    weekday_profile,
    weekend_ratio,
    year_over_year,
)

NBSP = fmt.NBSP
EUDA_CSV = DATA / "raw" / "wastewater" / "ww2025-all-data.csv"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def signed(x: float) -> str:
    """A whole percentage as the sentences write it: +5, −3, 0."""
    r = round(x)
    return f"+{r}" if r > 0 else (f"−{-r}" if r < 0 else "0")


def test_method_codes():
    assert wwtrends.YOY_METHOD == "welch_log_ratio" and wwtrends.TREND_METHOD == "ols_log_trend_theil_sen"
    assert year_over_year(make_daily({"2023": (2023, [1.0, 2, 3]), "2024": (2024, [2.0, 3, 4])}),
                          "SE999", "cocaine").method == wwtrends.YOY_METHOD


def make_daily(campaigns: dict, site_id: str = "SE999", substance: str = "cocaine") -> pd.DataFrame:
    """campaigns: label -> (year, loads[, below_loq[, dates]]). Weekdays run Wednesday, Thursday, ..."""
    rows = []
    for label, spec in campaigns.items():
        year, loads = spec[0], spec[1]
        loq = spec[2] if len(spec) > 2 and spec[2] is not None else [False] * len(loads)
        dates = spec[3] if len(spec) > 3 else [pd.NaT] * len(loads)
        for i, (load, flag, date) in enumerate(zip(loads, loq, dates, strict=True)):
            rows.append({"site_id": site_id, "site": "Testby", "country": "SE", "kommun_kod": "9999",
                         "year": year, "campaign": label, "substance": substance, "date": pd.Timestamp(date),
                         "weekday": (2 + i) % 7, "load": load, "source": "EUDA", "below_loq": flag})
    return pd.DataFrame(rows)


def make_summary(years, means, site_id: str = "SE999", substance: str = "cocaine", campaigns=None) -> pd.DataFrame:
    campaigns = campaigns or [str(y) for y in years]
    return pd.DataFrame({"site_id": site_id, "site": "Testby", "country": "SE", "kommun_kod": "9999",
                         "year": list(years), "campaign": campaigns, "substance": substance,
                         "weekday_mean": np.nan, "weekend_mean": np.nan, "daily_mean": list(means),
                         "n_days": 7, "source": "EUDA"})


@pytest.fixture(scope="module")
def euda() -> pd.DataFrame:
    return pd.read_csv(EUDA_CSV)


def euda_daily(euda: pd.DataFrame, site_id: str, metabolite: str) -> pd.DataFrame:
    """The EUDA wide table turned into DAILY rows (done here by hand, independently of the loader)."""
    wide = euda.loc[(euda["Site ID"] == site_id) & (euda["Metabolite"] == metabolite)]
    long = wide.melt(id_vars=["Year", "Site ID", "City", "Country"], value_vars=DAYS, var_name="day",
                     value_name="load")
    return pd.DataFrame({
        "site_id": long["Site ID"], "site": long["City"], "country": long["Country"], "kommun_kod": None,
        "year": long["Year"].astype(int), "campaign": long["Year"].astype(str), "substance": metabolite,
        "date": pd.NaT, "weekday": long["day"].map(DAYS.index), "load": long["load"].astype(float),
        "source": "EUDA", "below_loq": False})


# ============================================================================================
# EUDA's published means: which days they average (the measured fact the grouping rests on)
# ============================================================================================


class TestEudaMeans:
    def test_graz_mdma_2024(self, euda):
        row = euda.loc[(euda["Site ID"] == "AT001") & (euda["Metabolite"] == "MDMA") & (euda["Year"] == 2024)].iloc[0]
        assert row[["Tuesday", "Wednesday", "Thursday"]].mean() == pytest.approx(row["Weekday mean"], abs=0.006)
        assert row[["Friday", "Saturday", "Sunday", "Monday"]].mean() == pytest.approx(row["Weekend mean"], abs=0.006)
        assert row[DAYS].mean() == pytest.approx(row["Daily mean"], abs=0.006)

    def test_weekday_and_weekend_days_match_euda_outside_2021(self, euda):
        full = euda.dropna(subset=DAYS)
        full = full.loc[full["Year"] != 2021]
        names = [DAYS[d] for d in wwtrends.WEEKDAY_DAYS], [DAYS[d] for d in wwtrends.WEEKEND_DAYS]
        wd_ok = (full[names[0]].mean(axis=1) - full["Weekday mean"]).abs() <= 0.011
        we_ok = (full[names[1]].mean(axis=1) - full["Weekend mean"]).abs() <= 0.011
        dm_ok = (full[DAYS].mean(axis=1) - full["Daily mean"]).abs() <= 0.011
        assert len(full) > 3000
        assert wd_ok.mean() > 0.98 and we_ok.mean() > 0.98 and dm_ok.mean() > 0.99

    def test_2021_means_use_tuesday_to_friday_and_saturday_to_monday(self, euda):
        full = euda.dropna(subset=DAYS)
        full = full.loc[full["Year"] == 2021]
        tue_fri = (full[["Tuesday", "Wednesday", "Thursday", "Friday"]].mean(axis=1) - full["Weekday mean"]).abs()
        sat_mon = (full[["Saturday", "Sunday", "Monday"]].mean(axis=1) - full["Weekend mean"]).abs()
        tue_thu = (full[["Tuesday", "Wednesday", "Thursday"]].mean(axis=1) - full["Weekday mean"]).abs()
        assert len(full) > 200
        assert (tue_fri <= 0.011).all() and (sat_mon <= 0.011).all()
        assert (tue_thu <= 0.011).mean() < 0.2


# ============================================================================================
# year_over_year
# ============================================================================================


BEFORE = [310.0, 295.5, 402.1, 512.8, 620.0, 355.2, 330.7]
AFTER = [401.9, 380.0, 455.3, 702.4, 810.6, 520.1, 433.3]


class TestYearOverYear:
    def test_matches_a_hand_computed_welch_interval(self):
        r = year_over_year(make_daily({"2023": (2023, BEFORE), "2024": (2024, AFTER)}), "SE999", "cocaine")
        lb, la = np.log(BEFORE), np.log(AFTER)
        vb, va = lb.var(ddof=1) / lb.size, la.var(ddof=1) / la.size
        se = math.sqrt(vb + va)
        df = (vb + va) ** 2 / (vb**2 / (lb.size - 1) + va**2 / (la.size - 1))
        diff = la.mean() - lb.mean()
        q = sps.t.ppf(0.975, df)
        assert r.df == pytest.approx(df, rel=1e-12)
        assert r.t == pytest.approx(diff / se, rel=1e-12)
        assert r.p == pytest.approx(2 * sps.t.sf(abs(diff / se), df), rel=1e-10)
        assert r.ratio == pytest.approx(math.exp(diff), rel=1e-12)
        assert r.ci_low == pytest.approx(math.exp(diff - q * se), rel=1e-12)
        assert r.ci_high == pytest.approx(math.exp(diff + q * se), rel=1e-12)
        assert r.gmean_before == pytest.approx(sps.gmean(BEFORE)) and r.gmean_after == pytest.approx(sps.gmean(AFTER))
        assert r.mean_before == pytest.approx(np.mean(BEFORE)) and r.mean_after == pytest.approx(np.mean(AFTER))
        assert (r.n_before, r.n_after, r.years, r.campaigns) == (7, 7, (2023, 2024), ("2023", "2024"))
        assert r.detectable == (r.ci_low > 1) and not r.too_few and not r.not_interpretable

    def test_r_sleep_example(self):
        # R: t.test(extra ~ group, data = sleep) -> Welch: t = -1.8608, df = 17.776, p-value = 0.07939,
        # 95 % CI -3.3654832 0.2054832 (group 1 minus group 2). Loads exp(extra) have these log values.
        g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
        g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
        daily = make_daily({"2023": (2023, list(np.exp(g1))), "2024": (2024, list(np.exp(g2)))})
        r = year_over_year(daily, "SE999", "cocaine")
        assert round(r.t, 4) == 1.8608 and round(r.df, 3) == 17.776 and round(r.p, 5) == 0.07939
        assert math.log(r.ci_low) == pytest.approx(-0.2054832, abs=1e-7)
        assert math.log(r.ci_high) == pytest.approx(3.3654832, abs=1e-7)
        assert not r.detectable
        assert year_over_year(daily, "SE999", "cocaine", alpha=0.10).detectable  # p < 0.10

    def test_real_euda_week_against_scipy_and_the_published_mean(self, euda):
        daily = euda_daily(euda, "AT001", "MDMA")
        r = year_over_year(daily, "AT001", "MDMA")
        assert r.years == (2023, 2024)
        rows = euda.loc[(euda["Site ID"] == "AT001") & (euda["Metabolite"] == "MDMA")].set_index("Year")
        expected = sps.ttest_ind(np.log(rows.loc[2024, DAYS].astype(float)),
                                 np.log(rows.loc[2023, DAYS].astype(float)), equal_var=False)
        assert r.p == pytest.approx(expected.pvalue, rel=1e-12)
        assert r.mean_after == pytest.approx(rows.loc[2024, "Daily mean"], abs=0.006)  # 15.53
        assert r.mean_before == pytest.approx(rows.loc[2023, "Daily mean"], abs=0.006)

    def test_takes_the_last_two_campaigns_in_time_order(self):
        daily = make_daily({"2024": (2024, AFTER), "2019": (2019, BEFORE), "2021": (2021, BEFORE)})
        assert year_over_year(daily, "SE999", "cocaine").years == (2021, 2024)
        own = make_daily({
            "2025 v.12": (2025, AFTER, None, pd.date_range("2025-03-17", periods=7)),
            "2025 v.9": (2025, BEFORE, None, pd.date_range("2025-02-24", periods=7)),
            "2024 v.40": (2024, BEFORE, None, pd.date_range("2024-09-30", periods=7)),
        })
        r = year_over_year(own, "SE999", "cocaine")
        assert r.campaigns == ("2025 v.9", "2025 v.12")  # by date, not alphabetically

    def test_campaign_without_values_is_skipped_and_missing_days_ignored(self):
        daily = make_daily({"2022": (2022, BEFORE), "2023": (2023, AFTER[:6] + [np.nan]),
                            "2024": (2024, [np.nan] * 7)})
        r = year_over_year(daily, "SE999", "cocaine")
        assert r.years == (2022, 2023) and r.n_after == 6
        assert r.mean_after == pytest.approx(np.mean(AFTER[:6]))

    def test_too_few_days(self):
        r = year_over_year(make_daily({"2023": (2023, BEFORE), "2024": (2024, AFTER[:2])}), "SE999", "cocaine")
        assert r.too_few and (r.n_before, r.n_after) == (7, 2)
        assert math.isnan(r.ci_low) and math.isnan(r.ci_high) and math.isnan(r.p) and not r.detectable
        assert r.mean_after == pytest.approx(np.mean(AFTER[:2]))
        three = year_over_year(make_daily({"2023": (2023, BEFORE), "2024": (2024, AFTER[:3])}), "SE999", "cocaine")
        assert not three.too_few and math.isfinite(three.ci_low)

    def test_one_campaign_only(self):
        r = year_over_year(make_daily({"2024": (2024, AFTER)}), "SE999", "cocaine")
        assert r.too_few and r.campaigns == (None, "2024") and r.years == (None, 2024)
        assert r.n_before == 0 and math.isnan(r.ratio) and not r.detectable

    def test_below_loq_values_are_used_and_counted(self):
        loq = [True, True, True, False, False, False, False]
        r = year_over_year(make_daily({"2023": (2023, BEFORE), "2024": (2024, AFTER, loq)}), "SE999", "cocaine")
        assert r.n_below_loq == (0, 3) and not r.not_interpretable
        assert r.mean_after == pytest.approx(np.mean(AFTER))
        assert r.ratio == pytest.approx(sps.gmean(AFTER) / sps.gmean(BEFORE))

    def test_more_than_half_below_loq_is_not_interpretable(self):
        loq = [True, True, True, True, False, False, False]
        r = year_over_year(make_daily({"2023": (2023, BEFORE, loq), "2024": (2024, AFTER)}), "SE999", "cocaine")
        assert r.not_interpretable and r.n_below_loq == (4, 0)
        assert math.isnan(r.ci_low) and math.isnan(r.p) and not r.detectable

    def test_a_zero_load_is_not_interpretable(self):
        r = year_over_year(make_daily({"2023": (2023, BEFORE), "2024": (2024, [0.0] + AFTER[1:])}),
                           "SE999", "cocaine")
        assert r.not_interpretable and r.n_zero == (0, 1) and r.n_below_loq == (0, 1)
        assert math.isnan(r.ratio) and math.isnan(r.ci_low) and not r.detectable

    def test_no_variation_gives_no_interval(self):
        r = year_over_year(make_daily({"2023": (2023, [100.0] * 7), "2024": (2024, [200.0] * 7)}), "SE999", "cocaine")
        assert r.ratio == pytest.approx(2.0) and math.isnan(r.ci_low) and not r.detectable

    def test_bad_input(self):
        daily = make_daily({"2023": (2023, BEFORE), "2024": (2024, AFTER)})
        with pytest.raises(ValueError, match="no rows"):
            year_over_year(daily, "SE000", "cocaine")
        with pytest.raises(ValueError, match="lacks column"):
            year_over_year(daily.drop(columns="below_loq"), "SE999", "cocaine")
        with pytest.raises(ValueError, match="negative"):
            year_over_year(make_daily({"2024": (2024, [-1.0, 2.0, 3.0])}), "SE999", "cocaine")
        with pytest.raises(ValueError, match="alpha"):
            year_over_year(daily, "SE999", "cocaine", alpha=1.5)


# ============================================================================================
# multi_year_trend
# ============================================================================================


class TestMultiYearTrend:
    def test_exact_exponential_growth_is_recovered(self):
        years = [2012, 2013, 2015, 2016, 2019, 2020, 2024]  # gaps allowed
        means = [80.0 * 1.07 ** (y - 2012) for y in years]
        t = multi_year_trend(make_summary(years, means), "SE999", "cocaine")
        assert t.annual_change_pct == pytest.approx(7.0, abs=1e-9)
        assert t.theil_sen_pct == pytest.approx(7.0, abs=1e-9)
        assert t.ci_low_pct == pytest.approx(7.0, abs=1e-6) and t.ci_high_pct == pytest.approx(7.0, abs=1e-6)
        assert t.years == tuple(years) and t.n_years == 7 and t.detectable

    def test_exact_decline(self):
        years = list(range(2018, 2024))
        t = multi_year_trend(make_summary(years, [500.0 * 0.8 ** (y - 2018) for y in years]), "SE999", "cocaine")
        assert t.annual_change_pct == pytest.approx(-20.0, abs=1e-9) and t.detectable

    def test_matches_statsmodels_and_scipy_called_directly(self):
        years = np.array([2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024])
        means = np.array([210.0, 260.3, 240.9, 300.2, 330.0, 310.4, 420.8, 390.1, 460.5])
        t = multi_year_trend(make_summary(years, means), "SE999", "cocaine", alpha=0.1)
        fit = sm.OLS(np.log(means), sm.add_constant(years.astype(float))).fit()
        lo, hi = fit.conf_int(alpha=0.1)[1]
        assert t.annual_change_pct == pytest.approx(100 * math.expm1(fit.params[1]), rel=1e-9)
        assert t.ci_low_pct == pytest.approx(100 * math.expm1(lo), rel=1e-8)
        assert t.ci_high_pct == pytest.approx(100 * math.expm1(hi), rel=1e-8)
        assert t.p == pytest.approx(fit.pvalues[1], rel=1e-8)
        ts = sps.theilslopes(np.log(means), years, alpha=0.9)
        assert t.theil_sen_pct == pytest.approx(100 * math.expm1(ts.slope), rel=1e-9)
        assert t.theil_sen_low_pct == pytest.approx(100 * math.expm1(ts.low_slope), rel=1e-9)
        assert t.theil_sen_high_pct == pytest.approx(100 * math.expm1(ts.high_slope), rel=1e-9)
        assert t.detectable == (fit.pvalues[1] < 0.1)

    def test_several_campaigns_a_year_are_separate_points(self):
        years = [2021, 2021, 2022, 2023, 2023]
        means = [100.0, 120.0, 115.0, 140.0, 130.0]
        s = make_summary(years, means, campaigns=["2021 v.10", "2021 v.40", "2022 v.10", "2023 v.10", "2023 v.40"])
        t = multi_year_trend(s, "SE999", "cocaine")
        fit = sm.OLS(np.log(means), sm.add_constant(np.array(years, dtype=float))).fit()
        assert t.annual_change_pct == pytest.approx(100 * math.expm1(fit.params[1]), rel=1e-9)
        assert (t.n_years, t.n_campaigns) == (3, 5)

    def test_too_few_years(self):
        t = multi_year_trend(make_summary([2023, 2024], [100.0, 150.0]), "SE999", "cocaine")
        assert t.too_few and t.n_years == 2 and math.isnan(t.annual_change_pct) and not t.detectable
        two_years = make_summary([2023, 2023, 2024], [100.0, 120.0, 150.0], campaigns=["a", "b", "c"])
        assert multi_year_trend(two_years, "SE999", "cocaine").too_few
        with_nan = make_summary([2022, 2023, 2024], [np.nan, 120.0, 150.0])
        assert multi_year_trend(with_nan, "SE999", "cocaine").too_few

    def test_a_zero_year_is_not_interpretable(self):
        t = multi_year_trend(make_summary([2020, 2021, 2022, 2023], [5.0, 0.0, 6.0, 7.0]), "SE999", "cocaine")
        assert t.not_interpretable and t.zero_years == (2021,) and math.isnan(t.annual_change_pct)
        assert not t.detectable

    def test_bad_input(self):
        s = make_summary([2022, 2023, 2024], [1.0, 2.0, 3.0])
        with pytest.raises(ValueError, match="no rows"):
            multi_year_trend(s, "SE999", "ketamine")
        with pytest.raises(ValueError, match="negative"):
            multi_year_trend(make_summary([2022, 2023, 2024], [1.0, -2.0, 3.0]), "SE999", "cocaine")
        with pytest.raises(ValueError, match="lacks column"):
            multi_year_trend(s.drop(columns="daily_mean"), "SE999", "cocaine")


# ============================================================================================
# Weekday pattern
# ============================================================================================


class TestWeekdayProfile:
    def test_graz_mdma_2024_against_euda_means(self, euda):
        p = weekday_profile(euda_daily(euda, "AT001", "MDMA"), "AT001", "MDMA", 2024)
        row = euda.loc[(euda["Site ID"] == "AT001") & (euda["Metabolite"] == "MDMA") & (euda["Year"] == 2024)].iloc[0]
        assert p["veckodag"].tolist() == ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
        assert p["load"].tolist() == [row[d] for d in DAYS]
        assert p["grupp"].tolist() == [wwtrends.WEEKEND_GROUP] + [wwtrends.WEEKDAY_GROUP] * 3 + [wwtrends.WEEKEND_GROUP] * 3
        groups = p.groupby("grupp")["load"].mean()
        assert groups[wwtrends.WEEKDAY_GROUP] == pytest.approx(row["Weekday mean"], abs=0.006)
        assert groups[wwtrends.WEEKEND_GROUP] == pytest.approx(row["Weekend mean"], abs=0.006)
        assert p["n_days"].tolist() == [1] * 7

    def test_averages_days_in_the_year_and_keeps_missing_weekdays(self):
        daily = make_daily({"2024 v.10": (2024, [10.0, 20.0, 30.0], [True, False, False]),
                            "2024 v.40": (2024, [30.0, 40.0, np.nan]), "2023": (2023, [99.0] * 7)})
        p = weekday_profile(daily, "SE999", "cocaine", 2024)  # weekdays 2, 3, 4 (Wed, Thu, Fri)
        assert p["load"].iloc[2:5].tolist() == [20.0, 30.0, 30.0]
        assert p["n_days"].tolist() == [0, 0, 2, 2, 1, 0, 0]
        assert p["n_below_loq"].tolist() == [0, 0, 1, 0, 0, 0, 0]
        assert p["load"].iloc[[0, 1, 5, 6]].isna().all()

    def test_no_data(self):
        with pytest.raises(ValueError, match="no measured load"):
            weekday_profile(make_daily({"2024": (2024, [1.0, 2.0])}), "SE999", "cocaine", 2023)


class TestWeekendRatio:
    def test_ratio(self):
        assert weekend_ratio({"weekday_mean": 10.27, "weekend_mean": 19.47}) == pytest.approx(19.47 / 10.27)
        row = make_summary([2024], [1.0]).assign(weekday_mean=4.0, weekend_mean=6.0).iloc[0]
        assert weekend_ratio(row) == 1.5

    def test_undefined_is_nan(self):
        assert math.isnan(weekend_ratio({"weekday_mean": np.nan, "weekend_mean": 2.0}))
        assert math.isnan(weekend_ratio({"weekday_mean": 0.0, "weekend_mean": 2.0}))
        assert math.isnan(weekend_ratio({"weekday_mean": 1.0, "weekend_mean": None}))

    def test_bad_input(self):
        with pytest.raises(ValueError, match="weekend_mean"):
            weekend_ratio({"weekday_mean": 1.0})
        with pytest.raises(ValueError, match="negative"):
            weekend_ratio({"weekday_mean": -1.0, "weekend_mean": 2.0})


class TestYearlyLoads:
    """The yearly numbers the lägesbild's follow-up of an åtgärdsplan reads from the wastewater report's key figures."""

    def test_hand_worked(self):
        d = pd.DataFrame({"site_id": ["S"] * 8 + ["T"], "substance": "cocaine",
                          "year": [2024, 2024, 2024, 2025, 2025, 2025, 2025, 2023, 2024],
                          "load": [math.e, math.e ** 2, math.e ** 3, 10.0, 20.0, 30.0, float("nan"), 5.0, 1.0],
                          "below_loq": [False] * 5 + [True, False, False, False]})
        y = wwtrends.yearly_loads(d, "S", "cocaine").set_index("year")
        # 2024: logs 1, 2, 3: mean 2, sd 1; 2025: three measured days (the NaN is no day), one below the LOQ
        assert y.loc[2024, ["days", "log_mean", "log_sd"]].tolist() == pytest.approx([3, 2.0, 1.0])
        assert y.loc[2025, "days"] == 3 and y.loc[2025, "mean"] == 20.0 and y.loc[2025, "below_loq"] == 1
        # 2023: one day is too few for a test
        assert y.loc[2023, "days"] == 1 and math.isnan(y.loc[2023, "log_mean"])

    def test_more_than_half_below_loq_or_a_zero_is_not_tested(self):
        d = pd.DataFrame({"site_id": "S", "substance": "x", "year": [2024] * 3 + [2025] * 3,
                          "load": [1.0, 2.0, 3.0, 0.0, 2.0, 3.0], "below_loq": [True, True, False, False, False, False]})
        y = wwtrends.yearly_loads(d, "S", "x")
        assert y["log_mean"].isna().all() and y["below_loq"].tolist() == [2, 1]

    def test_trelleborgs_example_in_the_key_figures(self):
        from lagesbild.sources import processed
        from lagesbild.wastewater import labresults
        from lagesbild.wastewater import text as wtext

        lab = labresults.load_lab_folder(DATA / "example" / "wastewater", "1287")
        series = wtext.load_series(wtext.kommun_loads(processed.load(DATA), lab, "1287"))
        cocaine = [r for r in series if r["substance"] == "Kokain"]
        # three one-week campaigns, 2023–2025, seven days each (data/example/README.md)
        assert [(r["year"], r["days"]) for r in cocaine] == [(2023, 7), (2024, 7), (2025, 7)]
        assert all(r["log_mean"] is not None for r in cocaine)
        meth = [r for r in series if r["substance"] == "Metamfetamin"]
        assert meth and all(r["log_mean"] is None for r in meth)  # mostly below the LOQ
