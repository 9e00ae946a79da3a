"""Tests of lagesbild.stats.counts against published reference values and hand-computed results."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from lagesbild.stats import counts
from lagesbild.stats.counts import ChangeTest, TrendTest, poisson_change, rate_per_100k, trend_test

# statsmodels warns "Perfect separation or prediction detected" whenever a Poisson GLM fits the
# data exactly (constant counts, exact doubling). Those hand-made inputs are exact on purpose.
exact_fit = pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")

Z975 = 1.959963984540054  # standard normal 97.5 % quantile (any table)


class TestPoissonChange:
    def test_krishnamoorthy_thomson_example_1(self):
        # Krishnamoorthy & Thomson (2004), J. Stat. Plan. Inference 119:23–35, section 6,
        # example 1: 0 vs 3 events in samples of equal size, two-sided E-test p = 0.0884.
        # (Also in scipy's test_hypotests.py::TestPoissonMeansTest::test_paper_examples.)
        t = poisson_change(0, 3, 100, 100)
        assert t.p_value == pytest.approx(0.0884, abs=1e-4)
        assert not t.detectable

    def test_krishnamoorthy_thomson_example_2(self):
        # Same paper and section: 2 vs 6 events, p = 0.1749.
        t = poisson_change(2, 6, 100, 100)
        assert t.p_value == pytest.approx(0.1749, abs=1e-4)

    def test_authors_fortran_unequal_exposure(self):
        # p-value produced by Krishnamoorthy & Thomson's own Fortran program for 3 events in 100
        # vs 20 in 300, as quoted in scipy's test_hypotests.py::test_fortran_authors
        # (0.12202725450896404, checked there to atol 2e-6).
        t = poisson_change(3, 20, 100, 300)
        assert t.p_value == pytest.approx(0.12202725450896404, abs=2e-6)

    def test_exact_interval_matches_r_exactci(self):
        # Gu, Ng, Tang & Schucany (2008), Biometrical Journal 50(2), example 1: 60 events in
        # 51477.5 vs 30 in 54308.7 person-years. R: exactci::poisson.exact(c(60, 30),
        # c(51477.5, 54308.7), tsmethod="central") gives the interval 1.339735721772650 to
        # 3.388365573616252 and estimate 2.10999757175465 (quoted in statsmodels'
        # stats/tests/test_rates_poisson.py::test_tost_poisson and results/results_rates.py).
        t = poisson_change(30, 60, exposure_before=54308.7, exposure_after=51477.5)
        assert t.rate_ratio == pytest.approx(2.10999757175465, rel=1e-12)
        assert t.ci_low == pytest.approx(1.339735721772650, rel=1e-9)
        assert t.ci_high == pytest.approx(3.388365573616252, rel=1e-9)
        assert t.detectable and not t.too_few

    def test_zero_to_zero(self):
        t = poisson_change(0, 0)
        assert t.p_value == 1.0
        assert math.isnan(t.rate_ratio)
        assert (t.ci_low, t.ci_high) == (0.0, math.inf)
        assert not t.detectable and t.too_few

    def test_zero_to_five_has_infinite_ratio(self):
        # Hand-computed: the Clopper–Pearson lower limit for 5 of 5 is (alpha/2)^(1/5) =
        # 0.025^0.2 = 0.478176, i.e. odds 0.478176 / 0.521824 = 0.916356.
        t = poisson_change(0, 5)
        assert t.rate_ratio == math.inf and t.ci_high == math.inf
        assert t.ci_low == pytest.approx(0.916356, abs=1e-6)
        assert t.too_few

    def test_ten_to_zero_has_zero_ratio(self):
        # Hand-computed: the Clopper–Pearson upper limit for 0 of 10 is 1 - 0.025^(1/10) =
        # 0.308497, i.e. odds 0.308497 / 0.691503 = 0.446126.
        t = poisson_change(10, 0)
        assert t.rate_ratio == 0.0 and t.ci_low == 0.0
        assert t.ci_high == pytest.approx(0.446126, abs=1e-6)
        assert not t.too_few

    def test_rate_ratio_uses_exposures(self):
        # Same count, twice the population: the rate halves.
        t = poisson_change(100, 100, 10_000, 20_000)
        assert t.rate_ratio == pytest.approx(0.5)
        assert t.ci_low < 0.5 < t.ci_high

    def test_swapping_periods_inverts_ratio_and_keeps_p(self):
        a, b = poisson_change(40, 65), poisson_change(65, 40)
        assert a.rate_ratio == pytest.approx(1 / b.rate_ratio)
        assert a.ci_low == pytest.approx(1 / b.ci_high)
        assert a.ci_high == pytest.approx(1 / b.ci_low)
        assert a.p_value == pytest.approx(b.p_value)

    @pytest.mark.parametrize(("before", "after", "too_few"), [(4, 5, True), (5, 5, False), (0, 9, True), (0, 10, False)])
    def test_too_few_below_ten_events(self, before, after, too_few):
        assert poisson_change(before, after).too_few is too_few

    def test_detectable_follows_alpha(self):
        t = poisson_change(30, 45)
        assert t.detectable is (t.p_value < 0.05)
        loose = poisson_change(30, 45, alpha=0.5)
        assert loose.detectable and loose.alpha == 0.5
        # a lower confidence level gives a narrower interval
        assert t.ci_low < loose.ci_low < loose.ci_high < t.ci_high

    def test_integral_floats_and_numpy_ints_are_accepted(self):
        t = poisson_change(12.0, np.int64(20))
        assert (t.count_before, t.count_after) == (12, 20)
        assert isinstance(t.count_before, int) and isinstance(t.p_value, float)

    def test_method_and_fields(self):
        t = poisson_change(10, 20, 2.0, 4.0, alpha=0.1)
        assert isinstance(t, ChangeTest)
        assert (t.exposure_before, t.exposure_after, t.alpha) == (2.0, 4.0, 0.1)
        assert t.method == "poisson_e_test"

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            ((-1, 3), "count_before"),
            ((1, 2.5), "count_after"),
            ((float("nan"), 3), "count_before"),
            ((True, 3), "count_before"),
            (("7", 3), "count_before"),
            ((1, 3, 0.0), "exposure_before"),
            ((1, 3, 1.0, -5.0), "exposure_after"),
            ((1, 3, float("inf")), "exposure_before"),
            ((1, 3, 1.0, 1.0, 0.0), "alpha"),
            ((1, 3, 1.0, 1.0, 1.0), "alpha"),
            ((1, 3, 1.0, 1.0, -0.05), "alpha"),
        ],
    )
    def test_invalid_input(self, args, message):
        with pytest.raises(ValueError, match=message):
            poisson_change(*args)


AIDS_BELGIUM = [12, 14, 33, 50, 67, 74, 123, 141, 165, 204, 253, 246, 240]


class TestETestInBoundedMemory:
    """counts.e_test_pvalue: SciPy's E-test, summed a block at a time (a storstad's totals took 1,4 GB at once)."""

    @pytest.mark.parametrize(("k1", "n1", "k2", "n2"), [
        (0, 100, 3, 100), (30, 54308.7, 60, 51477.5), (1_200, 1.0, 1_290, 1.0), (9_000, 98_000.0, 9_400, 99_100.0),
        (151_234, 2_400_000.0, 148_901, 2_430_000.0), (150_000, 1.0, 152_500, 1.0), (40_000, 1.0, 41_500, 1.0),
    ])
    def test_the_same_p_value_as_scipy(self, k1, n1, k2, n2, monkeypatch):
        from scipy import stats as sps

        expected = sps.poisson_means_test(k1, n1, k2, n2).pvalue
        assert math.isclose(counts.e_test_pvalue(k1, n1, k2, n2), expected, rel_tol=1e-9, abs_tol=1e-15)
        monkeypatch.setattr(counts, "E_TEST_BLOCK", 5_000)  # blocks for the small ones too
        assert math.isclose(counts.e_test_pvalue(k1, n1, k2, n2), expected, rel_tol=1e-9, abs_tol=1e-15)

    def test_a_storstads_totals_stay_small_in_memory(self):
        import tracemalloc

        tracemalloc.start()
        counts.poisson_change(151_234, 148_901, 2_400_000.0, 2_430_000.0)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 100 * 2**20  # SciPy's one-grid sum: ≈ 1,4 GB


class TestTrendTest:
    def test_aids_belgium_matches_r_glm(self):
        # Wood, "Generalized Additive Models: An Introduction with R" (Chapman & Hall), the
        # "AIDS in Belgium" Poisson GLM example: new cases 1981–1993. R's glm(y ~ t, poisson)
        # gives coefficient t = 0.2021212 and residual deviance 80.69 on 11 df (R output
        # reproduced at rstudio-pubs-static.s3.amazonaws.com/1419470_fecfa4261d49461395c2c9a0fd58c485.html).
        # Deviance/df = 7.3, so the data are strongly overdispersed and the SEs must be scaled.
        t = trend_test(range(1981, 1994), AIDS_BELGIUM)
        assert t.annual_change_pct == pytest.approx(100 * math.expm1(0.2021212), abs=1e-4)
        assert (t.first_year, t.last_year, t.n_years) == (1981, 1993, 13)
        assert t.dispersion > 1
        assert t.method == "quasi_poisson_glm"
        assert t.ci_low_pct < t.annual_change_pct < t.ci_high_pct
        assert t.detectable and not t.too_few

    @exact_fit
    def test_doubling_every_year_is_plus_100_percent(self):
        t = trend_test([2020, 2021, 2022, 2023, 2024], [5, 10, 20, 40, 80])
        assert t.annual_change_pct == pytest.approx(100.0, abs=1e-6)
        assert t.detectable

    @exact_fit
    def test_constant_counts_hand_computed_interval(self):
        # Hand-computed: constant counts c give beta = 0 exactly and, with the year centred, the
        # Fisher information of beta is c * sum((t - mean t)^2) = 25 * 5, so SE = sqrt(1/125).
        # No overdispersion (Pearson chi2 = 0): normal quantiles.
        t = trend_test([2021, 2022, 2023, 2024], [25, 25, 25, 25])
        se = math.sqrt(1 / 125)
        assert t.annual_change_pct == pytest.approx(0.0, abs=1e-9)
        assert t.p_value == pytest.approx(1.0)
        assert t.ci_low_pct == pytest.approx(100 * math.expm1(-Z975 * se), abs=1e-6)  # −16,05 %
        assert t.ci_high_pct == pytest.approx(100 * math.expm1(Z975 * se), abs=1e-6)  # +19,12 %
        assert not t.detectable

    def test_underdispersed_counts_are_not_scaled_down(self):
        # Hand-computed: 24, 26, 26, 24 is symmetric in time, so beta = 0 and every fitted value
        # is 25; Pearson chi2 = 4 * 1/25 = 0.16 on 2 df, dispersion 0.08 < 1: the Poisson SE
        # sqrt(1/125) and normal quantiles are kept.
        t = trend_test([2021, 2022, 2023, 2024], [24, 26, 26, 24])
        se = math.sqrt(1 / 125)
        assert t.dispersion == pytest.approx(0.08)
        assert t.ci_high_pct == pytest.approx(100 * math.expm1(Z975 * se), abs=1e-6)
        assert t.method == "poisson_glm"

    def test_overdispersed_counts_use_quasi_poisson_and_t(self):
        # Hand-computed: 20, 30, 30, 20 gives beta = 0, fitted values 25, Pearson chi2 =
        # 4 * 25/25 = 4 on 2 df, dispersion 2. Quasi-Poisson SE = sqrt(2/125); t with 2 df
        # (97.5 % quantile 4.302653, any t table), as R's summary.glm(family=quasipoisson).
        t = trend_test([2021, 2022, 2023, 2024], [20, 30, 30, 20])
        se = math.sqrt(2 / 125)
        q = 4.302652729749464
        assert q == pytest.approx(sps.t.ppf(0.975, 2))
        assert t.dispersion == pytest.approx(2.0)
        assert t.p_value == pytest.approx(1.0)
        assert t.ci_low_pct == pytest.approx(100 * math.expm1(-q * se), abs=1e-6)  # −41,97 %
        assert t.ci_high_pct == pytest.approx(100 * math.expm1(q * se), abs=1e-6)  # +72,33 %
        assert t.method == "quasi_poisson_glm" and t.n_years - 2 == 2

    @exact_fit
    def test_exposure_is_an_offset(self):
        years = [2021, 2022, 2023, 2024]
        # same count, population doubling each year: the rate halves each year
        halving = trend_test(years, [100, 100, 100, 100], exposure=[1000, 2000, 4000, 8000])
        assert halving.annual_change_pct == pytest.approx(-50.0, abs=1e-6)
        # counts that grow exactly as the population: constant rate
        flat = trend_test(years, [10, 20, 40, 80], exposure=[1000, 2000, 4000, 8000])
        assert flat.annual_change_pct == pytest.approx(0.0, abs=1e-6)
        assert flat.offset

    def test_constant_exposure_changes_nothing(self):
        plain = trend_test(range(1981, 1994), AIDS_BELGIUM)
        scaled = trend_test(range(1981, 1994), AIDS_BELGIUM, exposure=[9.9e6] * 13)
        assert scaled.annual_change_pct == pytest.approx(plain.annual_change_pct, rel=1e-8)
        assert scaled.ci_low_pct == pytest.approx(plain.ci_low_pct, rel=1e-6)
        assert scaled.p_value == pytest.approx(plain.p_value, rel=1e-6)

    def test_order_of_input_does_not_matter(self):
        years = list(range(1981, 1994))
        shuffled = [7, 0, 12, 3, 9, 1, 11, 5, 2, 10, 4, 8, 6]
        a = trend_test(years, AIDS_BELGIUM)
        b = trend_test([years[i] for i in shuffled], [AIDS_BELGIUM[i] for i in shuffled])
        assert b == a

    def test_pandas_series_accepted(self):
        df = pd.DataFrame({"year": range(2017, 2025), "count": [30, 28, 35, 31, 26, 29, 24, 22]})
        t = trend_test(df["year"], df["count"], exposure=pd.Series([50_000.0] * 8))
        assert t.n_years == 8 and t.annual_change_pct < 0

    def test_alpha_sets_interval_level(self):
        a = trend_test(range(1981, 1994), AIDS_BELGIUM, alpha=0.05)
        b = trend_test(range(1981, 1994), AIDS_BELGIUM, alpha=0.2)
        assert a.ci_low_pct < b.ci_low_pct < b.ci_high_pct < a.ci_high_pct
        assert b.alpha == 0.2

    def test_too_few_years(self):
        t = trend_test([2022, 2023, 2024], [100, 120, 140])
        assert t.too_few and not t.detectable
        assert (t.first_year, t.last_year, t.n_years) == (2022, 2024, 3)
        assert all(math.isnan(v) for v in (t.annual_change_pct, t.ci_low_pct, t.ci_high_pct, t.p_value, t.dispersion))

    @pytest.mark.parametrize(("counts", "too_few"), [([1, 2, 3, 3], True), ([1, 2, 3, 4], False)])
    def test_too_few_events(self, counts, too_few):
        assert trend_test([2021, 2022, 2023, 2024], counts).too_few is too_few

    @pytest.mark.parametrize(("counts", "where"), [([0, 0, 0, 12], "all_in_last_year"),
                                                   ([12, 0, 0, 0], "all_in_first_year")])
    def test_all_events_in_one_end_year_has_no_estimate(self, counts, where):
        # The maximum-likelihood slope is ±infinity; statsmodels would report a huge finite value.
        t = trend_test([2021, 2022, 2023, 2024], counts)
        assert math.isnan(t.annual_change_pct) and math.isnan(t.p_value)
        assert not t.detectable and not t.too_few
        assert t.method == where

    def test_all_events_in_a_middle_year_is_estimable(self):
        t = trend_test([2021, 2022, 2023, 2024], [0, 12, 0, 0])
        assert math.isfinite(t.annual_change_pct)

    def test_result_type(self):
        assert isinstance(trend_test(range(1981, 1994), AIDS_BELGIUM), TrendTest)

    @pytest.mark.parametrize(
        ("years", "counts", "exposure", "alpha", "message"),
        [
            ([], [], None, 0.05, "empty"),
            ([2021, 2022], [1], None, 0.05, "same length"),
            ([2021, 2022, 2023, 2024], [1, 2, 3, 4], [1, 1, 1], 0.05, "exposure"),
            ([2021, 2021, 2023, 2024], [5, 5, 5, 5], None, 0.05, "only once"),
            ([2021.5, 2022, 2023, 2024], [5, 5, 5, 5], None, 0.05, "whole numbers"),
            ([2021, 2022, 2023, 2024], [5, -5, 5, 5], None, 0.05, "counts"),
            ([2021, 2022, 2023, 2024], [5, 5.5, 5, 5], None, 0.05, "counts"),
            ([2021, 2022, 2023, 2024], [5, float("nan"), 5, 5], None, 0.05, "counts"),
            ([2021, 2022, 2023, 2024], [5, 5, 5, 5], [1, 0, 1, 1], 0.05, "exposure"),
            ([2021, 2022, 2023, 2024], [5, 5, 5, 5], None, 1.5, "alpha"),
            ([2021, 2022, 2023, 2024], ["a", 5, 5, 5], None, 0.05, "counts"),
        ],
    )
    def test_invalid_input(self, years, counts, exposure, alpha, message):
        with pytest.raises(ValueError, match=message):
            trend_test(years, counts, exposure, alpha=alpha)


class TestRatePer100k:
    def test_scalar(self):
        # 50 / 25 000 * 100 000 = 200 (by hand)
        assert rate_per_100k(50, 25_000) == 200.0
        assert isinstance(rate_per_100k(50, 25_000), float)

    def test_array(self):
        out = rate_per_100k(np.array([50, 3]), np.array([25_000, 60_000]))
        np.testing.assert_allclose(out, [200.0, 5.0])

    def test_series_keeps_index(self):
        counts = pd.Series([50, 3], index=["2080", "2081"])
        out = rate_per_100k(counts, pd.Series([25_000, 60_000], index=["2080", "2081"]))
        assert isinstance(out, pd.Series)
        assert out.to_dict() == {"2080": 200.0, "2081": 5.0}

    def test_series_with_scalar_population(self):
        out = rate_per_100k(pd.Series([1, 2], index=[2023, 2024]), 1000)
        assert out.to_dict() == {2023: 100.0, 2024: 200.0}

    def test_missing_population_gives_nan(self):
        out = rate_per_100k([10, 10], [1000, float("nan")])
        assert out[0] == 1000.0 and math.isnan(out[1])

    @pytest.mark.parametrize("population", [0, -10, [1000, 0], pd.Series([5.0, -1.0])])
    def test_non_positive_population(self, population):
        with pytest.raises(ValueError, match="population"):
            rate_per_100k(5 if np.ndim(population) == 0 else [5] * len(population), population)

    def test_negative_count(self):
        with pytest.raises(ValueError, match="count"):
            rate_per_100k(-1, 1000)
