"""Tests of lagesbild.stats.effects against published worked examples and hand computations.

Sources of the reference values (each test says which it uses):

* Wheeler & Ratcliffe (2018), Crime Science 7:11, worked example: treated 207 → 110, control
  308 → 318, displacement 178 → 157, displacement control 150 → 140 give WDD = −118,
  se = √1568, z = −2.98, 95 % CI −196 to −40. The same numbers are asserted in the authors' R
  package ``ptools``, tests/testthat/test-wdd.R, test "Est & Variance Paper".
* Wheeler (2021-01-09), "The WDD test with different pre/post time periods",
  andrewpwheeler.com: treated 80/20, control 100/50; unweighted −10 with variance 250
  (se ≈ 15.8); per year with two years before −20 with variance 115 (se ≈ 10.7), 95 % CI
  ≈ −41 to +1.
* Wheeler (2021-02-23), "The WDD test with different area sizes", values as asserted in
  ``ptools`` tests/testthat/test-wdd.R, test "Area Weights" (the paper's counts with area weights
  control 0.9, treated 1.2, displacement control 1.6, displacement 1.5).
* Guerette (2009), Analyzing Crime Displacement and Diffusion, POP Center tool guide 10,
  appendix D ("MOPPIN up Dodge", Lancashire): GE = 97, NE = .326, TNE = 130.5.
* Altman & Bland (2003), BMJ 326:219, "Interaction revisited": difference of two log relative
  risks (0.67, 95 % CI 0.46–0.98 vs 0.88, 0.71–1.08; Torgerson & Bell-Syer 2001) d = −0.2726
  with SE(d) = 0.2206.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from lagesbild.stats import effects as ev
from lagesbild.stats.counts import poisson_change
from lagesbild.stats.effects import (
    CommitmentStatus,
    RegressionToMeanCheck,
    SurveyChange,
    TreatedOnlyResult,
    WDDHarmResult,
    WDDResult,
    WDQResult,
    commitment_status,
    regression_to_mean,
    survey_change,
    treated_only,
    wdd,
    wdd_harm,
    wdq,
)

Z975 = 1.959963984540054  # standard normal 97.5 % quantile (any table)
Z95 = 1.6448536269514722  # standard normal 95 % quantile

# The worked example of Wheeler & Ratcliffe (2018) / Guerette (2009), appendix D.
T, C, D, DC = (207, 110), (308, 318), (178, 157), (150, 140)


def plain(text: str) -> str:
    """Report text with ordinary spaces and hyphen-minus, for readable assertions."""
    return text.replace("\u00a0", " ").replace("\u2212", "-")


# =============================================================================================
# Weighted Displacement Difference
# =============================================================================================


class TestWDD:
    def test_paper_worked_example(self):
        # Wheeler & Ratcliffe (2018) worked example (ptools test "Est & Variance Paper"):
        # −118, se √1568, z −2.98, 95 % CI −196 to −40 (rounded to whole crimes).
        r = wdd(treated=T, control=C, displacement=D, displacement_control=DC)
        assert isinstance(r, WDDResult)
        assert r.estimate == -118
        assert r.variance == 1568
        assert r.se == pytest.approx(math.sqrt(1568))
        assert round(r.z, 2) == -2.98
        assert round(r.ci_low) == -196
        assert round(r.ci_high) == -40
        # Two-sided normal p-value, computed with the reference library.
        assert r.p_value == pytest.approx(2 * sps.norm.cdf(-118 / math.sqrt(1568)), rel=1e-12)
        assert r.detectable
        assert not r.too_few

    def test_paper_components_by_hand(self):
        # Local: (110 − 207) − (318 − 308) = −107, variance 207+110+308+318 = 943.
        # Displacement: (157 − 178) − (140 − 150) = −11, variance 178+157+150+140 = 625.
        r = wdd(T, C, D, DC)
        assert r.treated_change == -97 and r.control_change == 10
        assert r.displacement_change == -21 and r.displacement_control_change == -10
        assert r.local_estimate == -107 and r.local_se == pytest.approx(math.sqrt(943))
        assert r.displacement_estimate == -11 and r.displacement_se == pytest.approx(25.0)
        assert r.treated == T and r.control == C and r.displacement == D and r.displacement_control == DC

    def test_ptools_unit_tests(self):
        # ptools tests/testthat/test-wdd.R: "Local -10", "Displacement -10", "Total -20".
        # (ptools' argument order is control, treated, disp_control, disp_treated.)
        assert wdd((20, 10), (20, 20)).estimate == -10
        r = wdd((20, 20), (20, 20), (20, 10), (20, 20))
        assert r.displacement_estimate == -10 and r.estimate == -10
        assert wdd((20, 10), (20, 20), (20, 10), (20, 20)).estimate == -20

    def test_blog_unweighted_different_periods(self):
        # Wheeler (2021-01-09): treated 80 → 20, control 100 → 50 without weights:
        # (20 − 80) − (50 − 100) = −10, variance 250, se ≈ 15.8, not significant.
        r = wdd((80, 20), (100, 50))
        assert r.estimate == -10 and r.variance == 250
        assert round(r.se, 1) == 15.8
        assert not r.detectable

    def test_blog_time_weights(self):
        # Same post, per year with two years before: (20 − 40) − (50 − 50) = −20,
        # variance 20/1 + 80/4 + 50/1 + 100/4 = 115, se ≈ 10.7, 95 % CI ≈ [−41, +1]
        # (also ptools test "Time Weights": −20 and √115).
        r = wdd((80, 20), (100, 50), time_weights=(2, 1))
        assert r.estimate == -20 and r.variance == 115
        assert round(r.se, 1) == 10.7
        assert (round(r.ci_low), round(r.ci_high)) == (-41, 1)
        assert r.time_weights == (2.0, 1.0)
        assert not r.detectable

    def test_blog_area_weights(self):
        # Wheeler (2021-02-23), values from ptools test "Area Weights":
        # −99.69444444, 35.4280755, −2.813995483, −169.1321965, −30.25669241.
        expected = (-99.69444444, 35.4280755, -2.813995483, -169.1321965, -30.25669241)
        weights = {"treated": 1.2, "control": 0.9, "displacement": 1.5, "displacement_control": 1.6}
        for aw in (weights, (1.2, 0.9, 1.5, 1.6)):  # mapping, or sequence in argument order
            r = wdd(T, C, D, DC, area_weights=aw)
            got = (r.estimate, r.se, r.z, r.ci_low, r.ci_high)
            assert got == pytest.approx(expected, abs=1e-7)
            assert r.area_weights == (1.2, 0.9, 1.5, 1.6)

    def test_area_weights_partial_mapping_and_pair(self):
        # Missing keys are 1; a pair weights only the treated and the control area.
        # By hand: (10/2 − 20/2) − (20 − 20) = −5, variance 10/4 + 20/4 + 40 = 47.5.
        for aw in ({"treated": 2}, (2, 1)):
            r = wdd((20, 10), (20, 20), area_weights=aw)
            assert r.estimate == -5 and r.variance == 47.5

    def test_increase_is_positive(self):
        # By hand: (30 − 10) − (10 − 10) = +20.
        assert wdd((10, 30), (10, 10)).estimate == 20

    def test_alpha_sets_interval_level(self):
        # 90 % interval: −10 ± 1.6449·√70 (by hand, table value of z_0.95).
        r = wdd((20, 10), (20, 20), alpha=0.1)
        assert r.ci_low == pytest.approx(-10 - Z95 * math.sqrt(70))
        assert r.ci_high == pytest.approx(-10 + Z95 * math.sqrt(70))
        assert r.alpha == 0.1
        r95 = wdd((20, 10), (20, 20))
        assert r95.ci_high == pytest.approx(-10 + Z975 * math.sqrt(70))

    def test_without_displacement_areas(self):
        r = wdd((20, 10), (20, 20))
        assert math.isnan(r.displacement_estimate) and math.isnan(r.displacement_se)
        assert math.isnan(r.displacement_change) and math.isnan(r.displacement_control_change)
        assert r.displacement is None and r.displacement_control is None
        assert r.estimate == r.local_estimate == -10
        assert r.variance == 70

    def test_too_few_boundary(self):
        # Fewer than 10 events in the treated area (before + after).
        assert wdd((5, 4), (100, 100)).too_few
        assert not wdd((6, 4), (100, 100)).too_few

    def test_all_zero(self):
        r = wdd((0, 0), (0, 0))
        assert r.estimate == 0 and r.se == 0
        assert math.isnan(r.z) and math.isnan(r.p_value)
        assert (r.ci_low, r.ci_high) == (0.0, 0.0)
        assert not r.detectable and r.too_few

    def test_accepts_lists_arrays_series_and_integral_floats(self):
        assert wdd([20.0, 10], [20, 20]).estimate == -10
        assert wdd(np.array([20, 10]), pd.Series([20, 20], index=["före", "efter"])).estimate == -10
        assert wdd((20, 10), (20, 20), time_weights=np.array([2.0, 1.0])).time_weights == (2.0, 1.0)

    def test_frozen(self):
        r = wdd((20, 10), (20, 20))
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.estimate = 0  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (((20, -1), (20, 20)), {}, "treated"),
            (((20, 1.5), (20, 20)), {}, "whole number"),
            (((20, 10, 5), (20, 20)), {}, "pair"),
            (("ab", (20, 20)), {}, "pair"),
            (((20, 10), (20, 20), (5, 5)), {}, "both"),
            (((20, 10), (20, 20)), {"displacement_control": (5, 5)}, "both"),
            (((20, 10), (20, 20)), {"time_weights": (0, 1)}, "positive"),
            (((20, 10), (20, 20)), {"time_weights": (1, 1, 1)}, "pair"),
            (((20, 10), (20, 20)), {"time_weights": 2}, "pair"),
            (({"before": 20, "after": 10}, (20, 20)), {}, "pair"),
            (((20, 10), (20, 20)), {"area_weights": {"behandlat": 2}}, "unknown keys"),
            (((20, 10), (20, 20)), {"area_weights": (1, 1, 1)}, "2 or 4"),
            (((20, 10), (20, 20)), {"area_weights": (1, -1)}, "positive"),
            (((20, 10), (20, 20)), {"alpha": 1.5}, "alpha"),
        ],
    )
    def test_rejects_bad_input(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            wdd(*args, **kwargs)


class TestWDDHarm:
    COUNTS = {"rån": ((20, 10), (20, 20)), "inbrott": ((25, 20), (30, 30)), "stöld": ((70, 20), (80, 60))}
    WEIGHTS = {"rån": 10, "inbrott": 5, "stöld": 1}

    def test_ptools_example_by_hand(self):
        # Inputs of ptools::wdd_harm's documented example (its output is not printed there), by
        # hand: robbery −10 (var 10+20+20+20 = 70), burglary −5 (var 105), theft −30 (var 230);
        # harm = 10·(−10) + 5·(−5) + 1·(−30) = −155, variance 100·70 + 25·105 + 1·230 = 9855.
        h = wdd_harm(self.COUNTS, self.WEIGHTS)
        assert isinstance(h, WDDHarmResult)
        assert h.estimate == -155 and h.variance == 9855
        assert h.se == pytest.approx(math.sqrt(9855))
        assert h.z == pytest.approx(-155 / math.sqrt(9855))
        assert h.ci_low == pytest.approx(-155 - Z975 * math.sqrt(9855))
        assert h.p_value == pytest.approx(2 * sps.norm.cdf(-155 / math.sqrt(9855)), rel=1e-12)
        assert h.by_type["stöld"].estimate == -30 and h.by_type["inbrott"].variance == 105
        assert h.weights == {"rån": 10.0, "inbrott": 5.0, "stöld": 1.0}
        assert not h.too_few

    def test_variance_scales_with_squared_weights(self):
        # Doubling every weight doubles the estimate and the standard error (variance × 4).
        h1 = wdd_harm(self.COUNTS, self.WEIGHTS)
        h2 = wdd_harm(self.COUNTS, {k: 2 * v for k, v in self.WEIGHTS.items()})
        assert h2.estimate == 2 * h1.estimate and h2.variance == 4 * h1.variance
        assert h2.z == pytest.approx(h1.z)

    def test_same_harm_different_certainty(self):
        # Wheeler (2020): 10 crimes fewer at weight 10 and 25 fewer at weight 4 are both −100
        # harm units but differ in variance. By hand: 100·(20+10+20+20) = 7000 vs
        # 16·(50+25+50+50) = 2800.
        a = wdd_harm({"x": ((20, 10), (20, 20))}, {"x": 10})
        b = wdd_harm({"x": ((50, 25), (50, 50))}, {"x": 4})
        assert a.estimate == b.estimate == -100
        assert (a.variance, b.variance) == (7000, 2800)

    def test_with_displacement_areas(self):
        # By hand: type a: local −10, displacement (10 − 20) − (20 − 20) = −10, total −20,
        # variance 70 + 70 = 140; type b: −5, var 105. Weights 2 and 3: −40 − 15 = −55,
        # variance 4·140 + 9·105 = 1505.
        h = wdd_harm(
            {"a": ((20, 10), (20, 20), (20, 10), (20, 20)), "b": ((25, 20), (30, 30))},
            {"a": 2, "b": 3},
        )
        assert h.estimate == -55 and h.variance == 1505

    def test_too_few_over_all_types(self):
        # Treated counts 3+2 and 2+2: 9 in total < 10; one more makes 10.
        assert wdd_harm({"a": ((3, 2), (50, 50)), "b": ((2, 2), (50, 50))}, {"a": 1, "b": 1}).too_few
        assert not wdd_harm({"a": ((3, 3), (50, 50)), "b": ((2, 2), (50, 50))}, {"a": 1, "b": 1}).too_few

    @pytest.mark.parametrize(
        ("counts", "weights", "match"),
        [
            ({}, {}, "empty"),
            ({"a": ((20, 10), (20, 20))}, {"b": 1}, "same crime types"),
            ({"a": ((20, 10), (20, 20))}, {"a": 0}, "positive"),
            ({"a": ((20, 10), (20, 20))}, {"a": "tio"}, "positive"),
            ({"a": ((20, 10),)}, {"a": 1}, "treated, control"),
            ({"a": ((20, 10), (20, 20), (1, 1))}, {"a": 1}, "treated, control"),
            ([("a", 1)], {"a": 1}, "mappings"),
        ],
    )
    def test_rejects_bad_input(self, counts, weights, match):
        with pytest.raises(ValueError, match=match):
            wdd_harm(counts, weights)


# =============================================================================================
# Weighted Displacement Quotient
# =============================================================================================


class TestWDQ:
    def test_guerette_appendix_d(self):
        # Guerette (2009), appendix D: GE = 207 − 110 = 97, NE = 207/308 − 110/318 = .326,
        # TNE = [207·(318/308) − 110] + [178·(318/308) − 157] = 130.5 (published values).
        r = wdq(treated=T, control=C, displacement=D)
        assert isinstance(r, WDQResult)
        assert r.gross_effect == 97
        assert round(r.net_effect, 3) == 0.326
        assert round(r.total_net_effect, 1) == 130.5

    def test_guerette_appendix_d_quotient_by_hand(self):
        # The WDQ by hand from the guide's own formula and counts:
        # (157/318 − 178/308) / (110/318 − 207/308) = (−0.084211) / (−0.326166) = 0.2582.
        # The guide prints ".411", which does not follow from these numbers (an arithmetic slip
        # in the guide); its reading — diffusion, smaller than the direct effect — is the same.
        r = wdq(T, C, D)
        assert r.success_measure == pytest.approx(110 / 318 - 207 / 308)
        assert r.displacement_measure == pytest.approx(157 / 318 - 178 / 308)
        assert r.success_measure == pytest.approx(-0.326166, abs=1e-6)
        assert r.displacement_measure == pytest.approx(-0.084211, abs=1e-6)
        assert r.wdq == pytest.approx(0.2582, abs=1e-4)
        assert r.reading == "diffusion"
        # Parts of the TNE by hand: 207·318/308 − 110 = 103.7208; 178·318/308 − 157 = 26.7792.
        assert r.direct_net_effect == pytest.approx(103.7208, abs=1e-4)
        assert r.buffer_net_effect == pytest.approx(26.7792, abs=1e-4)
        assert r.displacement_control is None

    def test_with_displacement_control_by_hand(self):
        # The paper's displacement control 150 → 140 replaces the control for the buffer:
        # (157/140 − 178/150) / (110/318 − 207/308) = (−0.065238) / (−0.326166) = 0.2000;
        # buffer part of the TNE: 178·140/150 − 157 = 9.1333.
        r = wdq(T, C, D, DC)
        assert r.displacement_measure == pytest.approx(157 / 140 - 178 / 150)
        assert r.wdq == pytest.approx(0.2000, abs=1e-4)
        assert r.buffer_net_effect == pytest.approx(178 * 140 / 150 - 157)
        assert r.total_net_effect == pytest.approx(207 * 318 / 308 - 110 + 178 * 140 / 150 - 157)
        assert r.displacement_control == DC

    @pytest.mark.parametrize(
        ("displacement", "expected_wdq", "reading"),
        [
            # Control constant (100 → 100), treated 100 → 50: success measure −0.5 (by hand).
            ((100, 40), 1.2, "diffusion_greater"),  # displacement measure −0.6
            ((100, 50), 1.0, "diffusion"),  # −0.5: boundary, 0 < WDQ ≤ 1
            ((100, 80), 0.4, "diffusion"),
            ((100, 100), 0.0, "none"),
            ((100, 120), -0.4, "displacement"),
            ((100, 150), -1.0, "displacement"),  # boundary, −1 ≤ WDQ < 0
            ((100, 160), -1.2, "displacement_greater"),
        ],
    )
    def test_readings_and_boundaries(self, displacement, expected_wdq, reading):
        r = wdq((100, 50), (100, 100), displacement)
        assert r.success_measure == -0.5
        assert r.wdq == pytest.approx(expected_wdq)
        assert r.reading == reading
        assert r.reading in ev.WDQ_READINGS

    @pytest.mark.parametrize("treated", [(100, 100), (100, 120)])
    def test_no_success_is_not_read(self, treated):
        # Success measure 0 or positive: the quotient is not interpretable (Bowers & Johnson).
        r = wdq(treated, (100, 100), (100, 50))
        assert r.success_measure >= 0
        assert math.isnan(r.wdq)
        assert r.reading == "no_success"
        # The net effects are still reported: TNE by hand 100 − 120 + 100 − 50 for (100, 120).
        if treated == (100, 120):
            assert r.total_net_effect == pytest.approx(30.0)

    @pytest.mark.parametrize(
        ("control", "dcontrol"), [((0, 5), None), ((5, 0), None), ((5, 5), (0, 3)), ((5, 5), (3, 0))]
    )
    def test_zero_control_not_computable(self, control, dcontrol):
        r = wdq((10, 5), control, (10, 10), dcontrol)
        assert r.reading == "not_computable"
        assert r.gross_effect == 5
        for name in ("net_effect", "success_measure", "displacement_measure", "wdq", "total_net_effect"):
            assert math.isnan(getattr(r, name))

    def test_rejects_bad_counts(self):
        with pytest.raises(ValueError, match="pair"):
            wdq((1, 2, 3), (1, 1), (1, 1))
        with pytest.raises(ValueError, match="whole number"):
            wdq((1, 2), (1, -1), (1, 1))

    def test_readings_are_swedish_sentences(self):
        for text in ev.WDQ_READINGS.values():
            assert text.endswith(".") and text[0].isupper()


# =============================================================================================
# Treated area only
# =============================================================================================


class TestTreatedOnly:
    def test_uses_e_test_with_years_as_exposure(self):
        # Rates by hand: 40 over 2 years = 20/year, 10 over 1 year = 10/year, ratio 0.5, −50 %.
        # The p-value is scipy's E-test (the reference implementation) on the same numbers.
        r = treated_only(40, 10, years_before=2, years_after=1)
        assert isinstance(r, TreatedOnlyResult)
        assert (r.rate_before, r.rate_after, r.rate_ratio, r.change_pct) == (20.0, 10.0, 0.5, -50.0)
        assert r.p_value == pytest.approx(sps.poisson_means_test(40, 2, 10, 1).pvalue, rel=1e-12)
        assert r.detectable and r.reading == "decrease"
        assert r.test == poisson_change(40, 10, 2, 1)
        assert (r.ci_low, r.ci_high) == (r.test.ci_low, r.test.ci_high)

    def test_krishnamoorthy_thomson_example(self):
        # Krishnamoorthy & Thomson (2004), example 1: 0 vs 3, p = 0.0884; only 3 events → too few.
        r = treated_only(3, 0)
        assert r.p_value == pytest.approx(0.0884, abs=1e-4)
        assert r.too_few and r.reading == "too_few"

    def test_increase(self):
        r = treated_only(10, 40)
        assert r.detectable and r.reading == "increase" and r.change_pct == 300

    def test_no_detectable_change(self):
        r = treated_only(20, 22)
        assert not r.detectable and r.reading == "no_detectable_change"

    def test_too_few_boundary_overrides_detectable(self):
        # 9 events in total is too few even when the E-test is below alpha (9 → 0: p ≈ 0.004).
        r = treated_only(9, 0)
        assert r.detectable and r.too_few and r.reading == "too_few"
        assert not treated_only(10, 0).too_few

    def test_alpha_passed_on(self):
        r = treated_only(30, 18, alpha=0.01)
        assert r.alpha == 0.01 and r.p_value == pytest.approx(sps.poisson_means_test(30, 1, 18, 1).pvalue)

    def test_rejects_bad_input(self):
        with pytest.raises(ValueError):
            treated_only(-1, 3)
        with pytest.raises(ValueError):
            treated_only(10, 3, years_before=0)


# =============================================================================================
# Regression to the mean
# =============================================================================================


class TestRegressionToMean:
    def test_peak_by_hand(self):
        # Earlier 10, 9, 11, 10: mean 10, sd √10 = 3.1623; before 19: (19 − 10)/3.1623 = 2.846.
        c = regression_to_mean(pd.Series([10, 9, 11, 10, 19]), 1)
        assert isinstance(c, RegressionToMeanCheck)
        assert c.earlier_mean == 10 and c.before_mean == 19 and c.earlier_periods == 4
        assert c.earlier_sd == pytest.approx(math.sqrt(10))
        assert c.excess_sd == pytest.approx(9 / math.sqrt(10))
        assert c.above_threshold and c.highest and c.warning
        assert c.threshold_sd == ev.RTM_THRESHOLD_SD == 1.5

    def test_ordinary_period(self):
        # Earlier 10, 14, 8, 10 (mean 10.5); before 11 is below the earlier maximum 14 and only
        # 0.5/√10.5 = 0.154 sd above the mean: no warning.
        c = regression_to_mean(pd.Series([10, 14, 8, 10, 11]), 1)
        assert c.excess_sd == pytest.approx(0.5 / math.sqrt(10.5))
        assert not c.highest and not c.above_threshold and not c.warning

    def test_threshold_is_strict(self):
        # Earlier 10, 22, 16, 16: mean 16, sd 4. Before 22 is exactly 1.5 sd above and ties the
        # earlier maximum (not higher): no warning. Before 23: 1.75 sd, and the highest.
        c = regression_to_mean(pd.Series([10, 22, 16, 16, 22]), 1)
        assert c.excess_sd == 1.5 and not c.above_threshold and not c.highest and not c.warning
        c = regression_to_mean(pd.Series([10, 22, 16, 16, 23]), 1)
        assert c.excess_sd == 1.75 and c.above_threshold and c.highest

    def test_above_threshold_without_being_highest(self):
        # Earlier 10, 30, 16, 8: mean 16, sd 4; before 23 is 1.75 sd above but below 30.
        c = regression_to_mean(pd.Series([10, 30, 16, 8, 23]), 1)
        assert c.above_threshold and not c.highest and c.warning

    def test_highest_without_being_above_threshold(self):
        # Two before periods: earlier 5, 15, 10, 10 (mean 10), runs of two: 10, 12.5, 10.
        # Before 12, 13 (mean 12.5) ties the highest run: no warning; 12, 14 (13) is higher.
        c = regression_to_mean(pd.Series([5, 15, 10, 10, 12, 13]), 2)
        assert c.before_mean == 12.5 and c.earlier_max_mean == 12.5
        assert c.excess_sd == pytest.approx(2.5 / math.sqrt(10))
        assert not c.highest and not c.warning
        c = regression_to_mean(pd.Series([5, 15, 10, 10, 12, 14]), 2)
        assert c.highest and not c.above_threshold and c.warning

    def test_fewer_earlier_periods_than_window(self):
        # One earlier period and a before period of two: the earlier run is that period.
        c = regression_to_mean(pd.Series([10, 12, 14]), 2)
        assert c.earlier_max_mean == 10 and c.before_mean == 13 and c.highest

    def test_custom_threshold(self):
        c = regression_to_mean(pd.Series([10, 30, 16, 8, 23]), 1, threshold_sd=2)
        assert not c.above_threshold and c.threshold_sd == 2

    def test_zero_history(self):
        c = regression_to_mean(pd.Series([0, 0, 0, 3]), 1)
        assert c.excess_sd == math.inf and c.warning
        c = regression_to_mean(pd.Series([0, 0, 0, 0]), 1)
        assert c.excess_sd == 0 and not c.warning

    def test_time_index_and_plain_list(self):
        idx = pd.period_range("2024-01", periods=5, freq="M")
        c = regression_to_mean(pd.Series([10, 9, 11, 10, 19], index=idx), 1)
        assert c.warning
        assert regression_to_mean([10, 9, 11, 10, 19], 1) == c

    @pytest.mark.parametrize(
        ("history", "k", "match"),
        [
            ([1, 2, 3], 3, "before_periods"),
            ([1, 2, 3], 0, "before_periods"),
            ([1, 2, 3], 1.5, "whole number"),
            ([1, float("nan"), 3], 1, "non-negative"),
            ([1, -2, 3], 1, "non-negative"),
            (["a", "b", "c"], 1, "numbers"),
        ],
    )
    def test_rejects_bad_input(self, history, k, match):
        with pytest.raises(ValueError, match=match):
            regression_to_mean(pd.Series(history), k)

    def test_rejects_unsorted_time_index(self):
        idx = pd.to_datetime(["2024-03-01", "2024-01-01", "2024-02-01"])
        with pytest.raises(ValueError, match="increasing"):
            regression_to_mean(pd.Series([1, 2, 3], index=idx), 1)


# =============================================================================================
# Survey estimates
# =============================================================================================


class TestSurveyChange:
    def test_altman_bland_2003(self):
        # Altman & Bland (2003): log RR −0.4005 (0.67; 0.46–0.98) vs −0.1278 (0.88; 0.71–1.08),
        # d = −0.2726 with SE(d) = 0.2206 (the published values).
        c = survey_change(
            before=(math.log(0.88), math.log(0.71), math.log(1.08)),
            after=(math.log(0.67), math.log(0.46), math.log(0.98)),
        )
        assert isinstance(c, SurveyChange)
        assert round(c.difference, 4) == -0.2726
        assert round(c.se, 4) == 0.2206
        assert c.z == pytest.approx(-0.2726 / 0.2206, abs=0.01)
        assert not c.detectable

    def test_by_hand(self):
        # Index 2.0 (1.8–2.2) → 1.7 (1.5–1.9): each se = 0.4/(2·1.959964) = 0.102043,
        # se(d) = √2 · 0.102043 = 0.144311, z = −0.3/0.144311 = −2.0788, p = 0.03763,
        # 95 % CI −0.3 ± 1.959964 · 0.144311 = −0.58284 to −0.01716.
        c = survey_change((2.0, 1.8, 2.2), (1.7, 1.5, 1.9))
        assert c.difference == pytest.approx(-0.3)
        assert c.se_before == pytest.approx(0.4 / (2 * Z975))
        assert c.se_after == pytest.approx(0.4 / (2 * Z975))
        assert c.se == pytest.approx(0.144311, abs=1e-6)
        assert c.z == pytest.approx(-2.0788, abs=1e-4)
        assert c.p_value == pytest.approx(0.03763, abs=1e-5)
        assert (c.ci_low, c.ci_high) == pytest.approx((-0.58284, -0.01716), abs=1e-5)
        assert c.detectable and c.alpha == 0.05 and c.ci_level == 0.95

    def test_input_level_and_output_alpha(self):
        # 90 % input intervals: se = half-width / 1.644854; 99 % output interval uses 2.575829.
        c = survey_change((3.0, 2.5, 3.5), (3.0, 2.5, 3.5), alpha=0.01, ci_level=0.90)
        se1 = 0.5 / Z95
        assert c.se_before == pytest.approx(se1)
        assert c.difference == 0 and c.z == 0 and c.p_value == pytest.approx(1.0)
        assert c.ci_high == pytest.approx(2.5758293035489 * math.sqrt(2) * se1)

    def test_asymmetric_interval_uses_average_half_width(self):
        c = survey_change((0.1, 0.05, 0.25), (0.1, 0.05, 0.25))
        assert c.se_before == pytest.approx(0.2 / (2 * Z975))

    @pytest.mark.parametrize(
        ("before", "kwargs", "match"),
        [
            ((2.0, 2.1, 2.3), {}, "ci_low <= mean"),
            ((2.0, 2.0, 2.0), {}, "ci_low < ci_high"),
            ((2.0, 1.8), {}, "mean, ci_low, ci_high"),
            ((float("nan"), 1.8, 2.2), {}, "finite"),
            (("2,0", 1.8, 2.2), {}, "number"),
            ((2.0, 1.8, 2.2), {"ci_level": 95}, "alpha"),
            ((2.0, 1.8, 2.2), {"alpha": 0}, "alpha"),
        ],
    )
    def test_rejects_bad_input(self, before, kwargs, match):
        with pytest.raises(ValueError, match=match):
            survey_change(before, (1.7, 1.5, 1.9), **kwargs)


# =============================================================================================
# Commitments
# =============================================================================================


class TestCommitmentMinstHogst:
    def test_partial_share_constant(self):
        assert ev.PARTIAL_SHARE == 0.75
        assert set(ev.STATUSES) == {"uppfyllt", "delvis uppfyllt", "ej uppfyllt", "kan ej bedömas"}

    @pytest.mark.parametrize(
        ("target", "outcome", "status", "share"),
        [
            (10, 12, "uppfyllt", 1.2),
            (10, 10, "uppfyllt", 1.0),  # boundary: reaching the target is enough
            (10, 9, "delvis uppfyllt", 0.9),
            (8, 6, "delvis uppfyllt", 0.75),  # boundary: exactly 75 %
            (10, 7, "ej uppfyllt", 0.7),
            (10, 0, "ej uppfyllt", 0.0),
        ],
    )
    def test_minst(self, target, outcome, status, share):
        s = commitment_status("minst", target, outcome)
        assert isinstance(s, CommitmentStatus)
        assert (s.kind, s.status) == ("minst", status)
        assert s.share == pytest.approx(share)
        assert s.change is None

    @pytest.mark.parametrize(
        ("target", "outcome", "status", "share"),
        [
            (4, 3, "uppfyllt", 4 / 3),
            (4, 4, "uppfyllt", 1.0),  # boundary
            (3, 4, "delvis uppfyllt", 0.75),  # boundary: target is 75 % of the outcome
            (4, 5, "delvis uppfyllt", 0.8),
            (4, 6, "ej uppfyllt", 4 / 6),
            (0, 0, "uppfyllt", math.nan),
            (0, 2, "ej uppfyllt", 0.0),
        ],
    )
    def test_hogst(self, target, outcome, status, share):
        s = commitment_status("högst", target, outcome)
        assert s.status == status
        if math.isnan(share):
            assert math.isnan(s.share)
        else:
            assert s.share == pytest.approx(share)

    @pytest.mark.parametrize(
        ("kind", "baseline", "target", "outcome", "status", "share"),
        [
            # Progress from the baseline: (85 − 60) / (90 − 60) = 0.8333.
            ("minst", 60, 90, 85, "delvis uppfyllt", 25 / 30),
            ("minst", 60, 90, 82.5, "delvis uppfyllt", 0.75),  # boundary
            ("minst", 60, 90, 80, "ej uppfyllt", 20 / 30),
            ("minst", 60, 90, 95, "uppfyllt", 35 / 30),
            # (10 − 5) / (10 − 4) = 0.8333; (10 − 5.5) / 6 = 0.75; (10 − 6) / 6 = 0.667.
            ("högst", 10, 4, 5, "delvis uppfyllt", 5 / 6),
            ("högst", 10, 4, 5.5, "delvis uppfyllt", 0.75),
            ("högst", 10, 4, 6, "ej uppfyllt", 4 / 6),
            ("högst", 10, 4, 4, "uppfyllt", 1.0),
        ],
    )
    def test_with_baseline(self, kind, baseline, target, outcome, status, share):
        s = commitment_status(kind, target, outcome, baseline=baseline)
        assert s.status == status
        assert s.share == pytest.approx(share)

    def test_baseline_on_wrong_side(self):
        with pytest.raises(ValueError, match="above the baseline"):
            commitment_status("minst", 50, 40, baseline=60)
        with pytest.raises(ValueError, match="below the baseline"):
            commitment_status("högst", 10, 8, baseline=5)

    def test_share_undefined_gives_no_partial(self):
        # minst with target 0 and a negative outcome: no share, so not partially met.
        s = commitment_status("minst", 0, -2)
        assert s.status == "ej uppfyllt" and math.isnan(s.share)

    def test_reasons(self):
        assert plain(commitment_status("minst", 10, 12).reason) == "Utfallet 12 når målet (minst 10)."
        assert plain(commitment_status("minst", 10, 9).reason) == (
            "Utfallet 9 når inte målet (minst 10), men är 90 % av målvärdet; "
            "delvis uppfyllt kräver minst 75 %."
        )
        reason = commitment_status("högst", 4, 3.5).reason
        assert plain(reason) == "Utfallet 3,5 håller sig inom målet (högst 4)."
        assert plain(commitment_status("minst", 90, 70, baseline=60).reason) == (
            "Utfallet 70 når inte målet (minst 90) och motsvarar 33 % av den planerade förändringen "
            "från 60 till 90; delvis uppfyllt kräver minst 75 %."
        )

    def test_reason_never_rounds_onto_the_threshold(self):
        # 0.7499 of the target is "ej uppfyllt": the text must not say 75 %.
        s = commitment_status("minst", 10000, 7499)
        assert s.status == "ej uppfyllt"
        assert "74,99 %" in plain(s.reason)

    def test_preliminary_before_deadline(self):
        s = commitment_status("minst", 10, 4, deadline=date(2025, 12, 31), today=date(2025, 6, 1))
        assert s.status == "ej uppfyllt"
        assert plain(s.reason) == (
            "Utfallet 4 når inte målet (minst 10) och är 40 % av målvärdet; delvis uppfyllt kräver "
            "minst 75 %. Tidsfristen (31 december 2025) har inte passerat, så bedömningen är preliminär."
        )
        # After the deadline, or when met, no such note.
        s = commitment_status("minst", 10, 4, deadline="2025-12-31", today="2026-01-01")
        assert "Tidsfristen" not in s.reason
        s = commitment_status("minst", 10, 12, deadline="2025-12-31", today="2025-06-01")
        assert "Tidsfristen" not in s.reason

    def test_deadline_day_itself_is_not_passed(self):
        s = commitment_status("minst", 10, None, deadline="2025-12-31", today="2025-12-31")
        assert "har inte passerat" in s.reason

    @pytest.mark.parametrize("missing", [None, float("nan"), "", "  ", pd.NA])
    def test_missing_outcome(self, missing):
        s = commitment_status("minst", 10, missing, deadline="2025-06-30", today="2025-09-01")
        assert s.status == "kan ej bedömas"
        assert s.reason == "Utfall saknas, och tidsfristen (30 juni 2025) har passerat."
        assert math.isnan(s.share)

    def test_missing_outcome_before_deadline_and_without_deadline(self):
        s = commitment_status("högst", 4, None, deadline=datetime(2025, 12, 31, 12), today=date(2025, 6, 1))
        assert s.reason == "Utfall saknas ännu; tidsfristen (31 december 2025) har inte passerat."
        assert commitment_status("högst", 4, None).reason == "Utfall saknas."

    def test_today_defaults_to_today(self):
        s = commitment_status("minst", 10, None, deadline=date(2000, 1, 1))
        assert "har passerat" in s.reason

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (("minst", "tio", 5), {}, "target"),
            (("minst", 10, "fem"), {}, "outcome"),
            (("minst", None, 5), {}, "target"),
            (("minst", 10, 5), {"deadline": "31/12/2025"}, "deadline"),
            (("minst", 10, 5), {"today": 20250101}, "today"),
            (("mer", 10, 5), {}, "kind"),
        ],
    )
    def test_rejects_bad_input(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            commitment_status(*args, **kwargs)


class TestCommitmentCounts:
    def test_minska_detectable_decrease(self):
        s = commitment_status("minska", None, None, before=60, after=30)
        assert s.status == "uppfyllt"
        assert s.change is not None and s.change.reading == "decrease"
        assert s.change.p_value == pytest.approx(sps.poisson_means_test(60, 1, 30, 1).pvalue)
        assert plain(s.reason) == (
            "Antalet minskade (60 före och 30 efter, -50 %); minskningen är statistiskt "
            "säkerställd (p = 0,001)."
        )

    def test_minska_not_detectable(self):
        # 60 → 50: p = 0.34 (E-test), fell but not detectably.
        s = commitment_status("minska", None, None, before=60, after=50)
        assert s.status == "delvis uppfyllt"
        assert not s.change.detectable
        assert "inte statistiskt säkerställd" in s.reason

    @pytest.mark.parametrize(("before", "after"), [(30, 60), (40, 40), (40, 45)])
    def test_minska_rose_or_unchanged(self, before, after):
        s = commitment_status("minska", None, None, before=before, after=after)
        assert s.status == "ej uppfyllt"

    def test_minska_unchanged_reason(self):
        assert plain(commitment_status("minska", None, None, before=40, after=40).reason) == (
            "Antalet är oförändrat (40 före och 40 efter)."
        )

    def test_minska_too_few_boundary(self):
        s = commitment_status("minska", None, None, before=9, after=0)
        assert s.status == "kan ej bedömas"
        assert plain(s.reason) == (
            "För få händelser (9 före och 0 efter) för att bedöma en förändring; minst 10 behövs sammanlagt."
        )
        assert commitment_status("minska", None, None, before=10, after=0).status == "uppfyllt"

    def test_minska_with_percentage_target(self):
        # 100 → 60 is a detectable 40 % decrease: meets a 20 % target, not a 50 % target.
        assert commitment_status("minska", 20, None, before=100, after=60).status == "uppfyllt"
        assert commitment_status("minska", 40, None, before=100, after=60).status == "uppfyllt"
        s = commitment_status("minska", 50, None, before=100, after=60)
        assert s.status == "delvis uppfyllt"
        assert "målet var en minskning med minst 50 %" in plain(s.reason)

    def test_minska_baseline_and_outcome_as_counts(self):
        a = commitment_status("minska", None, 30, baseline=60)
        b = commitment_status("minska", None, None, before=60, after=30)
        assert a == b

    def test_minska_years(self):
        # 40 in two years → 10 in one year: 20 → 10 per year, −50 %.
        s = commitment_status("minska", None, None, before=40, after=10, years_before=2, years_after=1)
        assert s.status == "uppfyllt" and s.change.change_pct == -50
        assert "perioder på 2 och 1 år" in s.reason

    def test_oka_symmetric(self):
        assert commitment_status("öka", None, None, before=30, after=60).status == "uppfyllt"
        assert commitment_status("öka", None, None, before=50, after=60).status == "delvis uppfyllt"
        assert commitment_status("öka", None, None, before=60, after=30).status == "ej uppfyllt"
        assert commitment_status("öka", None, None, before=60, after=60).status == "ej uppfyllt"
        assert commitment_status("öka", None, None, before=3, after=6).status == "kan ej bedömas"
        s = commitment_status("öka", 300, None, before=30, after=60)
        assert s.status == "delvis uppfyllt" and "ökning med minst 300 %" in plain(s.reason)

    @pytest.mark.parametrize(
        ("before", "after", "what"),
        [
            (None, 30, "Antal före insatsen"),
            (60, None, "Antal efter insatsen"),
            (None, None, "Antal före och efter insatsen"),
            (float("nan"), 30, "Antal före insatsen"),
        ],
    )
    def test_missing_counts(self, before, after, what):
        s = commitment_status(
            "minska", None, None, before=before, after=after, deadline="2025-06-30", today="2025-09-01"
        )
        assert s.status == "kan ej bedömas"
        assert s.reason == f"{what} saknas, och tidsfristen (30 juni 2025) har passerat."
        assert s.change is None

    def test_preliminary_note(self):
        s = commitment_status(
            "minska", None, None, before=60, after=50, deadline="2026-01-01", today="2025-06-01"
        )
        assert plain(s.reason) == (
            "Antalet minskade (60 före och 50 efter, -17 %), men minskningen är inte statistiskt "
            "säkerställd (p = 0,34) och kan vara slumpmässig. Tidsfristen (1 januari 2026) har inte "
            "passerat, så bedömningen är preliminär."
        )

    def test_rejects_negative_target_and_bad_counts(self):
        with pytest.raises(ValueError, match="percent"):
            commitment_status("minska", -10, None, before=60, after=30)
        with pytest.raises(ValueError):
            commitment_status("minska", None, None, before=60, after=-3)


class TestCommitmentYesNo:
    @pytest.mark.parametrize(
        ("outcome", "status"),
        [
            ("ja", "uppfyllt"),
            (" Ja ", "uppfyllt"),
            (True, "uppfyllt"),
            ("nej", "ej uppfyllt"),
            ("NEJ", "ej uppfyllt"),
            (False, "ej uppfyllt"),
        ],
    )
    def test_yes_no(self, outcome, status):
        s = commitment_status("ja/nej", None, outcome)
        assert s.status == status
        assert s.reason in ("Åtagandet är genomfört.", "Åtagandet är inte genomfört.")

    def test_missing(self):
        s = commitment_status("ja/nej", None, None, deadline="2026-06-30", today="2025-09-01")
        assert s.status == "kan ej bedömas"
        assert s.reason == "Utfall saknas ännu; tidsfristen (30 juni 2026) har inte passerat."

    def test_not_done_before_deadline_is_preliminary(self):
        s = commitment_status("ja/nej", None, "nej", deadline="2026-06-30", today="2025-09-01")
        assert s.status == "ej uppfyllt"
        assert s.reason == (
            "Åtagandet är inte genomfört. Tidsfristen (30 juni 2026) har inte passerat, så bedömningen "
            "är preliminär."
        )

    @pytest.mark.parametrize("outcome", ["delvis", "yes", 1])
    def test_rejects_other_answers(self, outcome):
        with pytest.raises(ValueError, match="'ja' or 'nej'"):
            commitment_status("ja/nej", None, outcome)
