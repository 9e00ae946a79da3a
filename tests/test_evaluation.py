"""Tests of lagesbild.stats.effects, .treated, .surveys and .commitments against published worked examples
and hand computations.

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
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from lagesbild.stats import commitments as cm
from lagesbild.stats import effects as ev
from lagesbild.stats import treated as tr
from lagesbild.stats.commitments import CommitmentStatus, commitment_status
from lagesbild.stats.counts import poisson_change
from lagesbild.stats.effects import WDDHarmResult, WDDResult, WDQResult, wdd, wdd_harm, wdq
from lagesbild.stats.surveys import SurveyChange, survey_change
from lagesbild.stats.treated import RegressionToMeanCheck, TreatedOnlyResult, regression_to_mean, treated_only

Z975 = 1.959963984540054  # standard normal 97.5 % quantile (any table)
Z95 = 1.6448536269514722  # standard normal 95 % quantile

# The worked example of Wheeler & Ratcliffe (2018) / Guerette (2009), appendix D.
T, C, D, DC = (207, 110), (308, 318), (178, 157), (150, 140)


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
        assert r.reading in ev.WDQ_READING_CODES

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

    def test_reading_codes(self):
        assert ev.WDQ_READING_CODES == ("not_computable", "no_success", "diffusion_greater", "diffusion", "none",
                                        "displacement", "displacement_greater")


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
        assert c.threshold_sd == tr.RTM_THRESHOLD_SD == 1.5

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
# Commitments (codes; the Swedish status words and reasons are tested in test_evalreport.py)
# =============================================================================================


class TestCommitmentCodes:
    def test_statuses_and_reasons_are_codes(self):
        assert cm.STATUSES == ("met", "partly_met", "not_met", "not_assessable")
        assert cm.PARTIAL_SHARE == 0.75
        assert cm.KINDS == ("minst", "högst", "minska", "öka", "ja/nej")

    @pytest.mark.parametrize(
        ("args", "kwargs", "status", "reason"),
        [
            (("minst", 10, 12), {}, "met", "reached"),
            (("minst", 10, 9), {}, "partly_met", "partly_reached"),
            (("minst", 10, 7), {}, "not_met", "missed"),
            (("högst", 4, None), {}, "not_assessable", "missing_outcome"),
            (("ja/nej", None, "ja"), {}, "met", "done"),
            (("ja/nej", None, "nej"), {}, "not_met", "not_done"),
            (("minska", None, None), {"before": 60, "after": 30}, "met", "detectable"),
            (("minska", None, None), {"before": 60, "after": 50}, "partly_met", "not_detectable"),
            (("minska", 50, None), {"before": 100, "after": 60}, "partly_met", "short_of_target"),
            (("minska", None, None), {"before": 40, "after": 40}, "not_met", "unchanged"),
            (("minska", None, None), {"before": 40, "after": 60}, "not_met", "wrong_direction"),
            (("öka", None, None), {"before": 3, "after": 6}, "not_assessable", "too_few"),
            (("minska", None, None), {"after": 6}, "not_assessable", "missing_before"),
            (("minska", None, None), {"before": 6}, "not_assessable", "missing_after"),
            (("minska", None, None), {}, "not_assessable", "missing_counts"),
        ],
    )
    def test_status_and_reason(self, args, kwargs, status, reason):
        s = commitment_status(*args, **kwargs)
        assert (s.status, s.reason) == (status, reason)
        assert s.status in cm.STATUSES and s.reason in cm.REASONS

    def test_carries_what_the_sentence_needs(self):
        s = commitment_status("minst", 90, 70, baseline=60, deadline="2025-12-31", today="2025-06-01")
        assert (s.target, s.outcome, s.baseline) == (90.0, 70.0, 60.0)
        assert (s.deadline, s.today) == (date(2025, 12, 31), date(2025, 6, 1))
        assert s.share == pytest.approx(1 / 3) and s.change is None
        c = commitment_status("minska", 20, None, before=100, after=60)
        assert c.target == 20.0 and c.outcome is None and c.change.count_before == 100

    def test_missing_outcome_keeps_a_numeric_target_only(self):
        assert commitment_status("minst", 10, None).target == 10.0
        assert commitment_status("ja/nej", 10, None).target is None

    def test_result_is_frozen(self):
        s = commitment_status("minst", 10, 12)
        assert isinstance(s, CommitmentStatus)
        with pytest.raises(dataclasses.FrozenInstanceError):
            s.status = "not_met"  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (("minst", "tio", 5), {}, "target"),
            (("minst", 10, "fem"), {}, "outcome"),
            (("minst", None, 5), {}, "target"),
            (("minst", 10, 5), {"deadline": "31/12/2025"}, "deadline"),
            (("minst", 10, 5), {"today": 20250101}, "today"),
            (("mer", 10, 5), {}, "kind"),
            (("minst", 50, 40), {"baseline": 60}, "above"),
            (("minska", -10, None), {"before": 60, "after": 30}, "percent"),
            (("ja/nej", None, "delvis"), {}, "'ja' or 'nej'"),
        ],
    )
    def test_rejects_bad_input(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            commitment_status(*args, **kwargs)


def test_the_old_module_still_answers_for_the_names_it_gave_away():
    """``lagesbild.evaluation`` (stats.effects) forwards what moved to treated, surveys and commitments."""
    from lagesbild import evaluation as old
    from lagesbild.stats import surveys

    assert old.treated_only is treated_only and old.RTM_THRESHOLD_SD is tr.RTM_THRESHOLD_SD
    assert old.survey_change is surveys.survey_change
    assert old.commitment_status is commitment_status and old.PARTIAL_SHARE == cm.PARTIAL_SHARE
    with pytest.raises(AttributeError, match="nor has lagesbild.stats.treated"):
        old.no_such_name  # noqa: B018
