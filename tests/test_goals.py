"""Tests of lagesbild.stats.goals: the status of an åtgärdsplan's measurable goal, against hand-worked cases."""

import math

import pytest

from lagesbild.stats import goals as g
from lagesbild.stats.goals import CountObservation as C
from lagesbild.stats.goals import SurveyObservation as S


class TestPoissonLevel:
    def test_hand_worked(self):
        # P(X <= 3 | mu = 10) = e^-10 (1 + 10 + 50 + 1000/6) = 0.010336; two-sided: twice that
        low = math.exp(-10) * (1 + 10 + 50 + 1000 / 6)
        assert g.poisson_level_pvalue(3, 10.0) == pytest.approx(2 * low, rel=1e-9)
        # upper tail: P(X >= 18 | 10) = 0.01427 (tables); two-sided 0.0285
        assert g.poisson_level_pvalue(18, 10.0) == pytest.approx(0.0285, abs=5e-4)
        assert g.poisson_level_pvalue(10, 10.0) == 1.0

    def test_bad_expected(self):
        with pytest.raises(ValueError, match="positive"):
            g.poisson_level_pvalue(3, 0.0)


class TestPick:
    def test_target_year_else_latest_before(self):
        obs = [S(2022, 1.0), S(2024, 3.0), S(2023, 2.0)]
        assert [o.year if o else None for o in g.pick_observations(obs, 2023, 2022)] == [2022, 2023]
        assert [o.year if o else None for o in g.pick_observations(obs, 2030, 2019)] == [None, 2024]


class TestCounts:
    def test_clear_fall_below_the_target_is_met(self):
        # 200 -> 150 in the same population: E-test p = 0.0074 (Krishnamoorthy & Thomson), below 0.05
        s = g.goal_status(160, 2027, C(2025, 150, 1e5), C(2024, 200, 1e5))
        assert (s.status, s.reason) == (g.MET, "clear_change")
        assert s.value == 150.0 and s.baseline_value == 200.0 and s.change_p < 0.01

    def test_below_the_target_by_chance_is_on_the_way_never_met(self):
        # 110 -> 100: p ≈ 0.5; 100 against the 105 the target implies: p ≈ 0.7
        s = g.goal_status(105, 2027, C(2025, 100, 1e5), C(2024, 110, 1e5))
        assert (s.status, s.reason) == (g.ON_THE_WAY, "not_clear") and s.change_p > 0.3 and s.level_p > 0.5

    def test_clearly_below_the_target_without_baseline_is_met(self):
        # target 20 per 100 000 in 50 000 inhabitants: 10 expected; 3 observed: p = 0.0207
        s = g.goal_status(20, 2027, C(2026, 3, 50_000))
        assert (s.status, s.reason) == (g.MET, "clear_level") and s.level_p == pytest.approx(0.0207, abs=1e-4)

    def test_moving_towards_before_the_target_year(self):
        s = g.goal_status(80, 2027, C(2025, 95, 1e5), C(2024, 100, 1e5))
        assert (s.status, s.reason) == (g.ON_THE_WAY, "moving_towards")
        # the same values in the target year: not met
        s = g.goal_status(80, 2025, C(2025, 95, 1e5), C(2024, 100, 1e5))
        assert (s.status, s.reason) == (g.NOT_MET, "short_of_target")

    def test_clear_rise_is_not_met(self):
        s = g.goal_status(90, 2027, C(2025, 150, 1e5), C(2024, 100, 1e5))
        assert (s.status, s.reason) == (g.NOT_MET, "clear_away")

    def test_at_least(self):
        # a goal of at least 200: 100 -> 150 is a clear rise towards it, before the target year
        s = g.goal_status(200, 2027, C(2025, 150, 1e5), C(2024, 100, 1e5), lower_is_better=False)
        assert (s.status, s.reason) == (g.ON_THE_WAY, "moving_towards")

    def test_not_measurable(self):
        assert (g.goal_status(100, 2027, None).status, g.goal_status(100, 2027, None).reason) == (g.NOT_MEASURABLE,
                                                                                                  "no_data")
        s = g.goal_status(100, 2027, C(2024, 50, 1e5), start_year=2024)
        assert (s.status, s.reason, s.year) == (g.NOT_MEASURABLE, "no_new_data", 2024)

    def test_kinds_do_not_mix(self):
        with pytest.raises(ValueError, match="one kind"):
            g.goal_status(1, 2027, C(2025, 1, 1e5), S(2024, 1.0))


class TestSurveys:
    def test_clear_fall_of_an_index(self):
        # 2.0 (1.8–2.2) -> 1.7 (1.5–1.9): difference -0.3, se 0.1443, p 0.038 (stats.surveys doctest)
        s = g.goal_status(1.8, 2027, S(2026, 1.7, 1.5, 1.9), S(2024, 2.0, 1.8, 2.2))
        assert (s.status, s.reason) == (g.MET, "clear_change") and s.change_p == pytest.approx(0.038, abs=1e-3)

    def test_interval_wholly_below_the_target(self):
        assert g.goal_status(10.0, 2027, S(2026, 7.0, 5.0, 9.5)).reason == "clear_level"
        assert g.goal_status(10.0, 2027, S(2026, 7.0, 5.0, 10.5)).status == g.ON_THE_WAY

    def test_overlapping_intervals_are_not_met(self):
        # 12 (10–14) -> 11 (9–13): se = sqrt(2) * 1.02 = 1.44, z = -0.69: not clear; target 11.5
        s = g.goal_status(11.5, 2027, S(2026, 11.0, 9.0, 13.0), S(2024, 12.0, 10.0, 14.0))
        assert (s.status, s.reason) == (g.ON_THE_WAY, "not_clear")

    def test_without_interval_never_met(self):
        s = g.goal_status(10.0, 2027, S(2026, 2.0), S(2024, 20.0))
        assert (s.status, s.reason) == (g.ON_THE_WAY, "uncertainty_unknown") and s.change_p is None


class TestLoads:
    def test_welch_and_level_against_scipy(self):
        from scipy import stats as sps

        b, a = g.LoadObservation(2024, 300.0, 7, 5.7, 0.3), g.LoadObservation(2025, 150.0, 6, 5.0, 0.4)
        ref = sps.ttest_ind_from_stats(5.7, 0.3, 7, 5.0, 0.4, 6, equal_var=False).pvalue
        assert g.welch_log_pvalue(b, a) == pytest.approx(ref, rel=1e-9)
        one = sps.ttest_1samp([4.5, 5.0, 5.5], math.log(200.0)).pvalue  # log mean 5, sd 0.5, three days
        assert g.log_level_pvalue(g.LoadObservation(2025, 150.0, 3, 5.0, 0.5), 200.0) == pytest.approx(one, rel=1e-9)

    def test_a_clear_fall_below_the_target_is_met(self):
        # typical day e^5.7 ≈ 299 -> e^5.0 ≈ 148: t ≈ 4.9 on ≈ 9 df
        s = g.goal_status(200, 2027, g.LoadObservation(2025, 150.0, 6, 5.0, 0.4), g.LoadObservation(2024, 300.0, 7, 5.7, 0.3))
        assert (s.status, s.reason) == (g.MET, "clear_change") and s.change_p < 0.01

    def test_days_that_cannot_be_compared_are_never_met(self):
        s = g.goal_status(200, 2027, g.LoadObservation(2025, 150.0, 7), g.LoadObservation(2024, 300.0, 7, 5.7, 0.3))
        assert (s.status, s.reason) == (g.ON_THE_WAY, "uncertainty_unknown") and s.change_p is None

    def test_a_week_that_varies_much_is_not_clear(self):
        # 250 -> 180 with a spread of 0.8 on the log scale over seven days each: p ≈ 0.45
        s = g.goal_status(200, 2027, g.LoadObservation(2025, 180.0, 7, 5.2, 0.8), g.LoadObservation(2024, 250.0, 7, 5.5, 0.8))
        assert (s.status, s.reason) == (g.ON_THE_WAY, "not_clear") and s.change_p > 0.3
