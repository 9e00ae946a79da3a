"""Tests of lagesbild.stats.funnel (Spiegelhalter's overdispersed funnel plots) and its charts.

The reference numbers are worked out by hand in the comments (the "hand example" below) or come
from the model the data were simulated from; none is copied from the code's output.
"""

from __future__ import annotations

import math
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

matplotlib.use("Agg")

from lagesbild.render import charts  # noqa: E402
from lagesbild.stats import funnel as fn  # noqa: E402
from lagesbild.stats.funnel import (  # noqa: E402
    LEVELS,
    ZONES,
    Comparison,
    Funnel,
    Overdispersion,
    compare,
    funnel,
    limit_curves,
    limits,
    overdispersion,
    ratio_limits,
)

NBSP = "\u00a0"
Z95 = 1.959963984540054  # standard normal 97.5 % quantile (any table)
Z998 = 3.090232306167813  # standard normal 99.9 % quantile (any table)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def no_warnings():
    """Turn every warning (numpy's divide/invalid warnings included) into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --------------------------------------------------------------------------------------------
# The hand example
# --------------------------------------------------------------------------------------------
#
# Target rate 1 000 per 100 000 = 0,01 per inhabitant, so E = population / 100.
# Expected and observed counts are perfect squares, so z = 2 (sqrt(O) - sqrt(E)) is an integer:
#
#   unit  population  E    sqrt(E)  O    sqrt(O)  z
#   u1    10 000      100  10       144  12        4
#   u2    10 000      100  10        64   8       -4
#   u3    10 000      100  10       100  10        0
#   u4    10 000      100  10       121  11        2
#   u5     2 500       25   5        49   7        4
#   u6     2 500       25   5         9   3       -4
#   u7    40 000      400  20       484  22        4
#   u8    40 000      400  20       324  18       -4
#   u9    40 000      400  20       576  24        8
#   u10   10 000      100  10        16   4      -12
#
# Sorted z: -12, -4, -4, -4, 0, 2, 4, 4, 4, 8 (N = 10).
# 10th percentile (linear interpolation, R's quantile type 7): position 1 + 0,1 * 9 = 1,9, so
#   -12 + 0,9 * (-4 - (-12)) = -4,8.   90th: position 9,1, so 4 + 0,1 * (8 - 4) = 4,4.
# Only u10 (-12 -> -4,8) and u9 (8 -> 4,4) are winsorised.
# Sum of squares: 3 * 16 (u1, u5, u7) + 3 * 16 (u2, u6, u8) + 0 + 4 + 4,4^2 + 4,8^2
#   = 48 + 48 + 4 + 19,36 + 23,04 = 142,4, so phi = 14,24. N phi = 142,4 > N - 1 = 9: overdispersed.
# Weights w = 4E: 400 (u1-u4, u10), 100 (u5, u6), 1 600 (u7-u9).
#   sum(w) = 5 * 400 + 2 * 100 + 3 * 1 600 = 7 000
#   sum(w^2) = 5 * 160 000 + 2 * 10 000 + 3 * 2 560 000 = 8 500 000; sum(w^2)/sum(w) = 8 500 / 7
#   denominator = 7 000 - 8 500 / 7 = 40 500 / 7 (= 5 785,714...)
# tau2 = (142,4 - 9) / (40 500 / 7) = 933,8 / 40 500 = 0,0230567901...
#
# Limits for E = 100 (population 10 000): sd = sqrt(1/400 + tau2) = sqrt(0,0255567901) = 0,159865...
#   95 %:   1 -/+ 1,959964 * 0,159865 = 1 -/+ 0,313330 -> ratio 0,686670^2 = 0,47151, 1,313330^2 = 1,72484
#           -> 471,5 and 1 724,8 per 100 000
#   99,8 %: 1 -/+ 3,090232 * 0,159865 = 1 -/+ 0,494020 -> ratio 0,50598^2 = 0,25602, 1,49402^2 = 2,23210
#           -> 256,0 and 2 232,1 per 100 000
#
# Adjusted z = (sqrt(O/E) - 1) / sqrt(1/(4E) + tau2):
#   u10: (0,4 - 1) / 0,159865 = -3,753 -> p < 0,002, below -> "low_998"
#   u5:  (1,4 - 1) / sqrt(0,01 + tau2) = 0,4 / 0,181816 = 2,200 -> 0,002 < p < 0,05 -> "high_95"
#   u6:  (0,6 - 1) / 0,181816 = -2,200 -> "low_95"
#   u9:  (1,2 - 1) / sqrt(1/1600 + tau2) = 0,2 / 0,153889 = 1,300 -> "inside"; all others |z| < 1,3 -> "inside"

HAND_IDS = [f"u{i}" for i in range(1, 11)]
HAND_POP = [10_000, 10_000, 10_000, 10_000, 2_500, 2_500, 40_000, 40_000, 40_000, 10_000]
HAND_OBS = [144, 64, 100, 121, 49, 9, 484, 324, 576, 16]
HAND_E = [100.0, 100.0, 100.0, 100.0, 25.0, 25.0, 400.0, 400.0, 400.0, 100.0]
HAND_PHI = 142.4 / 10
HAND_TAU2 = 933.8 / 40_500
HAND_ZONES = {"u5": "high_95", "u6": "low_95", "u10": "low_998"}


def _hand_funnel(**kwargs) -> Funnel:
    return funnel(HAND_OBS, HAND_POP, ids=HAND_IDS, target_rate=1000, **kwargs)


def _hand_z(obs: float, e: float, tau2: float = HAND_TAU2) -> float:
    return (math.sqrt(obs / e) - 1.0) / math.sqrt(1.0 / (4.0 * e) + tau2)


# --------------------------------------------------------------------------------------------
# A simulation from the additive random-effects model itself
# --------------------------------------------------------------------------------------------

TRUE_TAU2 = 0.01  # SD 0,1 on the square-root scale: a kommun's true rate is typically ±20 %


def _simulate(seed: int = 2024, n: int = 290, rate: float = 0.004) -> tuple[np.ndarray, np.ndarray]:
    """Populations spread like Sweden's 290 kommuner, counts from the additive model on the sqrt scale.

    Populations are log-normal around 16 000 (log-SD 1), cut to 2 500–1 000 000. Kommun i's true
    square-root ratio is 1 + u_i with u_i ~ N(0, TRUE_TAU2); its count is Poisson with mean
    E_i (1 + u_i)^2, so sqrt(O_i / E_i) ~ N(1 + u_i, 1 / (4 E_i)) approximately.
    """
    rng = np.random.default_rng(seed)
    pop = np.clip(np.round(np.exp(rng.normal(np.log(16_000), 1.0, n))), 2_500, 1_000_000)
    u = rng.normal(0.0, math.sqrt(TRUE_TAU2), n)
    counts = rng.poisson(rate * pop * (1.0 + u) ** 2)
    return counts, pop


def _share_inside(f: Funnel, level: float = 0.95) -> float:
    outside = ("high_95", "high_998", "low_95", "low_998") if level == 0.95 else ("high_998", "low_998")
    return float((~f.units["zone"].isin(outside)).mean())


# --------------------------------------------------------------------------------------------


class TestOverdispersionResult:
    def test_applied_values_follow_the_method(self):
        add = Overdispersion(50, 3.0, 0.02, 0.1, "additive", True, "")
        mult = Overdispersion(50, 3.0, 0.02, 0.1, "multiplicative", True, "")
        none = Overdispersion(50, 3.0, 0.02, 0.1, "none", True, "no adjustment requested")
        assert (add.tau2_applied, add.phi_applied) == (0.02, 1.0)
        assert (mult.tau2_applied, mult.phi_applied) == (0.0, 3.0)
        assert (none.tau2_applied, none.phi_applied) == (0.0, 1.0)

    def test_multiplicative_never_narrower_than_poisson(self):
        # N phi > N - 1 can hold with phi slightly below 1 (N = 50, phi = 0.99): limits stay Poisson.
        od = Overdispersion(50, 0.99, 0.0001, 0.1, "multiplicative", True, "")
        assert od.phi_applied == 1.0

    def test_frozen(self):
        od = Overdispersion(50, 3.0, 0.02, 0.1, "additive", True, "")
        with pytest.raises(AttributeError):
            od.tau2 = 0.0  # type: ignore[misc]


class TestOverdispersion:
    def test_hand_example(self):
        od = overdispersion(HAND_OBS, HAND_E)
        assert od.n == 10
        assert od.phi == pytest.approx(HAND_PHI, abs=1e-9)
        assert od.tau2 == pytest.approx(HAND_TAU2, abs=1e-9)
        assert od.overdispersed and od.method == "additive" and od.reason == ""
        assert od.winsorise == 0.1

    def test_without_winsorising_phi_is_the_mean_square(self):
        # z = 4, -4, 0, 2, 4, -4, 4, -4, 8, -12: squares sum to 16*6 + 4 + 64 + 144 = 308.
        od = overdispersion(HAND_OBS, HAND_E, winsorise=0.0)
        assert od.phi == pytest.approx(30.8, abs=1e-9)
        assert od.tau2 == pytest.approx((308 - 9) * 7 / 40_500, abs=1e-9)

    def test_counts_exactly_as_expected(self):
        od = overdispersion([100, 25, 400, 9] * 3, [100.0, 25.0, 400.0, 9.0] * 3)
        assert od.phi == 0.0 and od.tau2 == 0.0
        assert not od.overdispersed and od.method == "none"
        assert "no overdispersion" in od.reason

    def test_boundary_n_phi_equal_to_n_minus_1_is_not_overdispersed(self):
        # Without winsorising: z = 2 (O=4, E=1), -2 (O=0, E=1), 1 (O=1, E=0.25) and seven zeros
        # (O=E=1): sum of squares 4 + 4 + 1 = 9 = N - 1 exactly.
        obs = [4, 0, 1] + [1] * 7
        exp = [1.0, 1.0, 0.25] + [1.0] * 7
        od = overdispersion(obs, exp, winsorise=0.0)
        assert od.phi * 10 == pytest.approx(9.0, abs=1e-12)
        assert od.tau2 == 0.0 and not od.overdispersed and od.method == "none"

    def test_just_above_the_boundary(self):
        # z = 2, -2, 1, 1 and six zeros: sum of squares 10 = N, N phi - (N - 1) = 1.
        # w = 4E: eight units with E = 1 (w = 4), two with E = 0.25 (w = 1).
        # sum(w) = 34, sum(w^2) = 8 * 16 + 2 = 130, denominator 34 - 130/34 = 513/17, tau2 = 17/513.
        obs = [4, 0, 1, 1] + [1] * 6
        exp = [1.0, 1.0, 0.25, 0.25] + [1.0] * 6
        od = overdispersion(obs, exp, winsorise=0.0)
        assert od.overdispersed and od.method == "additive"
        assert od.tau2 == pytest.approx(17 / 513, abs=1e-12)

    def test_poisson_data_give_the_winsorised_normal_second_moment(self):
        # Under the Poisson model z ~ N(0, 1) (approximately, for E = 400). Winsorising a standard
        # normal at its q and 1-q quantiles (±c) gives E[z_w^2] = 1 - 2q - 2 c pdf(c) + 2 q c^2,
        # about 0.679 for q = 0.1: phi is well below 1 and N phi < N - 1, so tau2 = 0.
        q = 0.1
        c = norm.ppf(1 - q)
        moment = 1 - 2 * q - 2 * c * norm.pdf(c) + 2 * q * c**2
        assert moment == pytest.approx(0.6787, abs=1e-3)
        rng = np.random.default_rng(7)
        n = 4000
        od = overdispersion(rng.poisson(400.0, n), np.full(n, 400.0))
        assert od.phi == pytest.approx(moment, abs=0.04)
        assert od.tau2 == 0.0 and not od.overdispersed and od.method == "none"

    def test_too_few_units_gives_no_numbers(self):
        od = overdispersion([144, 64, 100, 121, 16], [100.0] * 5)
        assert od.method == "none" and not od.overdispersed
        assert math.isnan(od.phi) and math.isnan(od.tau2)
        assert "too few" in od.reason
        assert overdispersion([144, 64, 100, 121, 16], [100.0] * 5, min_units=5).method == "additive"

    def test_method_none_still_estimates(self):
        od = overdispersion(HAND_OBS, HAND_E, method="none")
        assert od.method == "none" and od.overdispersed
        assert od.tau2 == pytest.approx(HAND_TAU2, abs=1e-9)
        assert "requested" in od.reason

    def test_multiplicative(self):
        od = overdispersion(HAND_OBS, HAND_E, method="multiplicative")
        assert od.method == "multiplicative" and od.phi_applied == pytest.approx(HAND_PHI)
        assert od.tau2_applied == 0.0

    @pytest.mark.parametrize(
        ("obs", "exp", "kwargs", "match"),
        [
            ([1, 2], [1.0], {}, "same length"),
            ([1, -2, 3], [1.0, 1.0, 1.0], {}, "non-negative whole"),
            ([1, 2.5, 3], [1.0, 1.0, 1.0], {}, "non-negative whole"),
            ([1, float("nan")], [1.0, 1.0], {}, "missing"),
            ([1, 2], [1.0, 0.0], {}, "positive"),
            ([1, 2], [1.0, float("inf")], {}, "positive"),
            ([1, 2], [1.0, 1.0], {"method": "random"}, "method"),
            ([1, 2], [1.0, 1.0], {"winsorise": 0.5}, "winsorise"),
            ([1, 2], [1.0, 1.0], {"min_units": 1}, "min_units"),
        ],
    )
    def test_invalid_input(self, obs, exp, kwargs, match):
        with pytest.raises(ValueError, match=match):
            overdispersion(obs, exp, **kwargs)


class TestFunnel:
    def test_hand_example(self, no_warnings):
        f = _hand_funnel()
        assert f.target_rate == 1000 and f.per == 100_000 and f.levels == LEVELS == (0.95, 0.998)
        assert f.excluded == 0 and f.has_limits
        assert f.od.phi == pytest.approx(HAND_PHI, abs=1e-9)
        assert f.od.tau2 == pytest.approx(HAND_TAU2, abs=1e-9)
        u = f.units
        assert list(u.index) == HAND_IDS and u.index.name == "id"
        assert u["expected"].tolist() == pytest.approx(HAND_E, abs=1e-9)
        assert u["rate"].tolist() == pytest.approx([o / p * 100_000 for o, p in zip(HAND_OBS, HAND_POP, strict=True)])
        for uid, o, e in zip(HAND_IDS, HAND_OBS, HAND_E, strict=True):
            assert u.loc[uid, "z"] == pytest.approx(_hand_z(o, e), abs=1e-9)
            assert u.loc[uid, "p"] == pytest.approx(2 * norm.sf(abs(_hand_z(o, e))), abs=1e-12)
            assert u.loc[uid, "zone"] == HAND_ZONES.get(uid, "inside")
        assert u.loc["u10", "z"] == pytest.approx(-3.753, abs=1e-3)
        assert u.loc["u5", "z"] == pytest.approx(2.200, abs=1e-3)

    def test_hand_example_limits(self):
        f = _hand_funnel()
        sd = math.sqrt(1 / 400 + HAND_TAU2)
        low95, high95 = limits(f, [10_000], 0.95)
        low998, high998 = limits(f, [10_000], 0.998)
        assert low95[0] == pytest.approx((1 - Z95 * sd) ** 2 * 1000, abs=1e-9)
        assert high95[0] == pytest.approx((1 + Z95 * sd) ** 2 * 1000, abs=1e-9)
        assert low998[0] == pytest.approx((1 - Z998 * sd) ** 2 * 1000, abs=1e-9)
        assert high998[0] == pytest.approx((1 + Z998 * sd) ** 2 * 1000, abs=1e-9)
        # the rounded values of the worked example
        assert (low95[0], high95[0]) == pytest.approx((471.5, 1724.8), abs=0.1)
        assert (low998[0], high998[0]) == pytest.approx((256.0, 2232.1), abs=0.1)

    def test_hand_example_multiplicative(self):
        f = _hand_funnel(method="multiplicative")
        assert f.od.method == "multiplicative"
        # z / sqrt(phi): u10 -12 / sqrt(14.24) = -3.180 -> low_998; u9 8 / 3.774 = 2.120 -> high_95
        assert f.units.loc["u10", "z"] == pytest.approx(-12 / math.sqrt(HAND_PHI), abs=1e-9)
        assert f.units.loc["u9", "zone"] == "high_95" and f.units.loc["u10", "zone"] == "low_998"
        low, high = limits(f, [10_000], 0.95)
        half = Z95 * math.sqrt(HAND_PHI / 400)
        assert (low[0], high[0]) == pytest.approx(((1 - half) ** 2 * 1000, (1 + half) ** 2 * 1000), abs=1e-9)

    def test_method_none_gives_poisson_z(self):
        f = _hand_funnel(method="none")
        assert f.od.method == "none"
        assert f.units["z"].tolist() == pytest.approx([4, -4, 0, 2, 4, -4, 4, -4, 8, -12], abs=1e-9)

    def test_default_target_is_the_units_own_rate(self):
        f = funnel(HAND_OBS, HAND_POP)
        # 1 887 events among 175 000 inhabitants
        assert f.target_rate == pytest.approx(1887 / 175_000 * 100_000)
        assert f.units["expected"].sum() == pytest.approx(1887)
        assert list(f.units.index) == list(range(10))

    def test_per_other_than_100k(self):
        f = funnel(HAND_OBS, HAND_POP, target_rate=10, per=1000)
        assert f.units["expected"].tolist() == pytest.approx(HAND_E)
        assert f.od.tau2 == pytest.approx(HAND_TAU2, abs=1e-9)

    def test_ids_from_series_index(self):
        counts = pd.Series(HAND_OBS, index=HAND_IDS)
        pops = pd.Series(HAND_POP, index=HAND_IDS)
        f = funnel(counts, pops, target_rate=1000)
        assert f.units.loc["u10", "zone"] == "low_998"

    def test_zone_agrees_with_p_value(self):
        counts, pop = _simulate()
        f = funnel(counts, pop)
        u = f.units
        assert set(u["zone"]) <= set(ZONES)
        expected = np.where(
            u["p"] < 0.002, np.where(u["z"] > 0, "high_998", "low_998"),
            np.where(u["p"] < 0.05, np.where(u["z"] > 0, "high_95", "low_95"), "inside"),
        )
        assert u["zone"].tolist() == expected.tolist()
        assert {"high_998", "high_95", "inside", "low_95"} <= set(u["zone"])  # the test covers several zones

    def test_zone_agrees_with_drawn_limits(self):
        # A unit is above the drawn upper limit exactly when its zone says so.
        counts, pop = _simulate()
        f = funnel(counts, pop)
        rate = f.units["rate"].to_numpy()
        zone = f.units["zone"]
        for level, high_zones, low_zones in [
            (0.95, {"high_95", "high_998"}, {"low_95", "low_998"}),
            (0.998, {"high_998"}, {"low_998"}),
        ]:
            low, high = limits(f, pop, level)
            assert (rate > high).tolist() == zone.isin(high_zones).tolist()
            assert (rate < low).tolist() == zone.isin(low_zones).tolist()

    def test_simulation_coverage_and_tau2(self):
        counts, pop = _simulate()
        assert pop.min() == 2_500 and 10_000 < np.median(pop) < 25_000
        plain = funnel(counts, pop, winsorise=0.0)  # DerSimonian–Laird without winsorising
        cqc = funnel(counts, pop)  # the default, 10 % winsorised (Spiegelhalter / CQC)
        poisson = funnel(counts, pop, method="none")

        # Without winsorising the estimator recovers tau2 and the limits hold their level.
        assert TRUE_TAU2 / 2 < plain.od.tau2 < 2 * TRUE_TAU2
        assert 0.90 <= _share_inside(plain) <= 0.99
        assert _share_inside(plain, 0.998) >= 0.98

        # Winsorising pulls in the large kommuner's z-scores, which carry the overdispersion, so
        # tau2 comes out lower (but within a factor 4) and fewer than 95 % are inside: for a large
        # kommun with tau2 estimated at tau2/2 to tau2/4, the 95 % limit covers |N(0,1)| < 1.96 * 0.5..0.71.
        assert cqc.od.method == "additive" and cqc.od.overdispersed
        assert TRUE_TAU2 / 4 < cqc.od.tau2 < plain.od.tau2 < 2 * TRUE_TAU2
        assert 0.78 <= _share_inside(cqc) <= 0.96
        assert _share_inside(cqc, 0.998) >= 0.95

        # Plain Poisson limits flag far more kommuner. Their expected coverage under the model is
        # the mean over kommuner of P(|N(0,1)| < 1.96 / sqrt(1 + 4 E tau2)).
        e = poisson.units["expected"].to_numpy()
        expected_inside = float(np.mean(2 * norm.cdf(Z95 / np.sqrt(1 + 4 * e * TRUE_TAU2)) - 1))
        assert expected_inside < 0.75
        assert _share_inside(poisson) == pytest.approx(expected_inside, abs=0.1)
        assert _share_inside(poisson) < _share_inside(cqc) - 0.1

    def test_no_overdispersion_when_poisson_around_target(self):
        rng = np.random.default_rng(11)
        pop = np.clip(np.round(np.exp(rng.normal(np.log(16_000), 1.0, 290))), 2_500, 1_000_000)
        counts = rng.poisson(0.004 * pop)
        f = funnel(counts, pop, target_rate=400)
        assert f.od.tau2 == 0.0 and not f.od.overdispersed and f.od.method == "none"
        assert f.od.phi * 290 <= 289
        assert "no overdispersion" in f.od.reason
        assert 0.9 <= _share_inside(f) <= 0.99

    def test_zero_target_rate_has_no_limits(self, no_warnings):
        f = funnel([0] * 12, [1_000 * (i + 1) for i in range(12)])
        assert f.target_rate == 0 and not f.has_limits
        assert f.od.method == "none" and "target rate is 0" in f.od.reason
        assert f.units["z"].isna().all() and f.units["p"].isna().all()
        assert (f.units["zone"] == "").all()
        assert (f.units["rate"] == 0).all()
        with pytest.raises(ValueError, match="no control limits"):
            limits(f, [1000])
        with pytest.raises(ValueError, match="no control limits"):
            limit_curves(f)

    def test_explicit_zero_target_with_events(self, no_warnings):
        f = funnel(HAND_OBS, HAND_POP, target_rate=0)
        assert not f.has_limits and (f.units["zone"] == "").all()
        assert f.units["rate"].tolist()[0] == pytest.approx(1440.0)

    def test_too_few_units_gives_poisson_limits(self, no_warnings):
        f = funnel([144, 64, 100, 121, 16], [10_000] * 5, target_rate=1000)
        assert f.od.method == "none" and "too few" in f.od.reason
        assert math.isnan(f.od.tau2) and math.isnan(f.od.phi)
        assert f.units["z"].tolist() == pytest.approx([4, -4, 0, 2, -12])
        low, high = limits(f, [10_000])
        assert (low[0], high[0]) == pytest.approx(((1 - Z95 / 20) ** 2 * 1000, (1 + Z95 / 20) ** 2 * 1000))

    def test_missing_and_zero_population_and_missing_count_are_left_out(self, no_warnings):
        counts = HAND_OBS + [50, None, 30, 20]
        pops = HAND_POP + [None, 10_000, 0, -5]
        ids = HAND_IDS + ["a", "b", "c", "d"]
        f = funnel(counts, pops, ids=ids, target_rate=1000)
        assert f.excluded == 4
        assert f.units["included"].tolist() == [True] * 10 + [False] * 4
        left_out = f.units.loc[["a", "b", "c", "d"]]
        assert left_out[["rate", "expected", "z", "p"]].isna().all().all()
        assert (left_out["zone"] == "").all()
        clean = _hand_funnel()
        assert f.od == clean.od
        pd.testing.assert_frame_equal(f.units.loc[HAND_IDS, clean.units.columns], clean.units)

    def test_pandas_missing_values(self):
        counts = pd.Series(HAND_OBS + [pd.NA], dtype="Int64", index=HAND_IDS + ["x"])
        pops = pd.Series(HAND_POP + [5_000], index=HAND_IDS + ["x"], dtype=float)
        f = funnel(counts, pops, target_rate=1000)
        assert f.excluded == 1 and f.od.tau2 == pytest.approx(HAND_TAU2)

    @pytest.mark.parametrize(
        ("counts", "pops", "kwargs", "match"),
        [
            ([1, -1, 3], [10, 10, 10], {}, "non-negative whole"),
            ([1, 2.5, 3], [10, 10, 10], {}, "non-negative whole"),
            ([1, float("inf"), 3], [10, 10, 10], {}, "non-negative whole"),
            ([1, 2], [10, 10, 10], {}, "same length"),
            ([1, 2], [10, 10], {"ids": ["a", "a"]}, "unique"),
            ([1, 2], [10, 10], {"ids": ["a"]}, "same length"),
            ([1, 2], [10, 10], {"target_rate": -1.0}, "target_rate"),
            ([1, 2], [10, 10], {"target_rate": float("nan")}, "target_rate"),
            ([1, 2], [10, 10], {"method": "both"}, "method"),
            ([1, 2], [10, 10], {"per": 0}, "per"),
            ([1, None], [0, 10], {}, "no unit"),
            ([1, "x"], [10, 10], {}, "numbers"),
        ],
    )
    def test_invalid_input(self, counts, pops, kwargs, match):
        with pytest.raises(ValueError, match=match):
            funnel(counts, pops, **kwargs)

    def test_misaligned_series(self):
        with pytest.raises(ValueError, match="indexes"):
            funnel(pd.Series([1, 2], index=["a", "b"]), pd.Series([10, 10], index=["b", "a"]))


class TestRatioLimits:
    def test_poisson_limits_by_hand(self):
        # E = 100: sqrt-scale SE 1/20, so (1 -/+ 1.96/20)^2 = 0.90200^2, 1.09800^2
        low, high = ratio_limits([100.0], 0.95)
        assert (low[0], high[0]) == pytest.approx(((1 - Z95 / 20) ** 2, (1 + Z95 / 20) ** 2), abs=1e-12)
        assert (low[0], high[0]) == pytest.approx((0.8136, 1.2056), abs=1e-4)

    def test_widen_with_tau2(self):
        lows, highs = zip(*(ratio_limits([100.0], 0.95, tau2=t) for t in (0.0, 0.001, 0.01, 0.05)), strict=True)
        assert all(a[0] > b[0] for a, b in zip(lows, lows[1:], strict=False))
        assert all(a[0] < b[0] for a, b in zip(highs, highs[1:], strict=False))

    def test_widen_with_phi_and_level(self):
        low1, high1 = ratio_limits([100.0], 0.95)
        low2, high2 = ratio_limits([100.0], 0.95, phi=4.0)  # SE doubles
        assert (low2[0], high2[0]) == pytest.approx(((1 - Z95 / 10) ** 2, (1 + Z95 / 10) ** 2))
        low3, high3 = ratio_limits([100.0], 0.998)
        assert low2[0] < low1[0] < high1[0] < high2[0]
        assert low3[0] < low1[0] and high3[0] > high1[0]

    def test_narrow_with_expected_count(self):
        e = np.geomspace(0.5, 50_000, 60)
        for tau2 in (0.0, 0.01):
            low, high = ratio_limits(e, 0.998, tau2=tau2)
            assert np.all(np.diff(high) < 0)
            assert np.all(np.diff(low) >= 0) and np.any(np.diff(low) > 0)
        # with tau2 > 0 the limits do not shrink to the target: they tend to (1 -/+ z tau)^2
        low, high = ratio_limits([1e12], 0.95, tau2=0.01)
        assert (low[0], high[0]) == pytest.approx(((1 - Z95 * 0.1) ** 2, (1 + Z95 * 0.1) ** 2), abs=1e-6)

    def test_lower_limit_never_below_zero(self, no_warnings):
        low, high = ratio_limits(np.array([0.01, 0.5, 1.0, 4.0]), 0.998, tau2=1.0)
        assert np.all(low == 0.0)
        low, _ = ratio_limits(np.geomspace(1e-3, 1e4, 200), 0.998, tau2=0.05)
        assert np.all(low >= 0.0) and low[0] == 0.0

    @pytest.mark.parametrize(
        ("expected", "kwargs", "match"),
        [
            ([0.0], {}, "positive"),
            ([float("nan")], {}, "positive"),
            ([1.0], {"level": 1.0}, "level"),
            ([1.0], {"level": 95}, "level"),
            ([1.0], {"tau2": -0.1}, "tau2"),
            ([1.0], {"tau2": float("nan")}, "tau2"),
            ([1.0], {"phi": 0.0}, "phi"),
        ],
    )
    def test_invalid_input(self, expected, kwargs, match):
        with pytest.raises(ValueError, match=match):
            ratio_limits(expected, **kwargs)


class TestLimits:
    def test_rate_scale_is_ratio_times_target(self):
        f = _hand_funnel()
        pops = np.array([2_500, 10_000, 40_000])
        low, high = limits(f, pops, 0.998)
        rlow, rhigh = ratio_limits(pops / 100, 0.998, tau2=HAND_TAU2)
        assert low == pytest.approx(rlow * 1000) and high == pytest.approx(rhigh * 1000)

    def test_widen_with_tau2_narrow_with_population(self):
        counts, pop = _simulate()
        adjusted = funnel(counts, pop)
        plain = funnel(counts, pop, method="none")
        grid = np.geomspace(2_500, 1_000_000, 50)
        alow, ahigh = limits(adjusted, grid)
        plow, phigh = limits(plain, grid)
        assert np.all(alow < plow) and np.all(ahigh > phigh)
        assert np.all(np.diff(ahigh) < 0) and np.all(np.diff(alow) > 0)

    def test_invalid_population(self):
        with pytest.raises(ValueError, match="positive"):
            limits(_hand_funnel(), [0])
        with pytest.raises(ValueError, match="level"):
            limits(_hand_funnel(), [100], level=0)


class TestLimitCurves:
    def test_grid_and_values(self):
        f = _hand_funnel()
        c = limit_curves(f, n_points=5)
        assert list(c.columns) == ["population", "low_95", "high_95", "low_998", "high_998"]
        # log-spaced from 2 500 to 40 000: ratio 16 over 4 steps, factor 2 each
        assert c["population"].tolist() == pytest.approx([2_500, 5_000, 10_000, 20_000, 40_000])
        sd = math.sqrt(1 / 400 + HAND_TAU2)
        row = c.iloc[2]
        assert row["high_95"] == pytest.approx((1 + Z95 * sd) ** 2 * 1000, abs=1e-9)
        assert row["low_998"] == pytest.approx((1 - Z998 * sd) ** 2 * 1000, abs=1e-9)
        assert np.all(c["low_998"] <= c["low_95"]) and np.all(c["high_95"] <= c["high_998"])

    def test_default_length_and_excluded_units_ignored(self):
        f = funnel(HAND_OBS + [3], HAND_POP + [0], target_rate=1000)
        c = limit_curves(f)
        assert len(c) == 200 and c["population"].min() == pytest.approx(2_500)

    def test_invalid_n_points(self):
        with pytest.raises(ValueError, match="n_points"):
            limit_curves(_hand_funnel(), n_points=1)


class TestCompare:
    def test_poisson_by_hand(self):
        # 144 where 100 expected: z = 2 (12 - 10) = 4
        c = compare(144, 10_000, 1000)
        assert isinstance(c, Comparison)
        assert c.count == 144 and c.expected == pytest.approx(100.0) and c.ratio == pytest.approx(1.44)
        assert c.z == pytest.approx(4.0, abs=1e-12)
        assert c.p_value == pytest.approx(2 * norm.sf(4.0), rel=1e-9)
        assert c.direction == "higher" and c.reason == ""

    def test_lower(self):
        c = compare(64, 10_000, 1000)
        assert c.z == pytest.approx(-4.0) and c.direction == "lower"

    def test_between_kommun_variance_makes_it_unclear(self):
        # z = 0.2 / sqrt(1/400 + 0.04) = 0.2 / 0.206155 = 0.970
        c = compare(144, 10_000, 1000, tau2=0.04)
        assert c.z == pytest.approx(0.2 / math.sqrt(0.0025 + 0.04), abs=1e-12)
        assert c.direction == "unclear" and c.p_value > 0.05

    def test_multiplicative(self):
        c = compare(144, 10_000, 1000, phi=4.0)  # z = 4 / 2
        assert c.z == pytest.approx(2.0) and c.direction == "higher"
        assert compare(144, 10_000, 1000, phi=4.0, alpha=0.01).direction == "unclear"

    def test_agrees_with_funnel(self):
        f = _hand_funnel()
        for uid, o, p in zip(HAND_IDS, HAND_OBS, HAND_POP, strict=True):
            c = compare(o, p, f.target_rate, tau2=f.od.tau2_applied, phi=f.od.phi_applied)
            assert c.z == pytest.approx(f.units.loc[uid, "z"], abs=1e-12)
            assert c.p_value == pytest.approx(f.units.loc[uid, "p"], abs=1e-12)

    def test_zero_reference_rate(self, no_warnings):
        c = compare(5, 10_000, 0.0)
        assert c.direction == "unclear" and "reference rate is 0" in c.reason
        assert math.isnan(c.z) and math.isnan(c.p_value) and math.isnan(c.ratio)

    def test_zero_count(self):
        c = compare(0, 10_000, 1000)  # z = 2 (0 - 10) = -20
        assert c.z == pytest.approx(-20.0) and c.direction == "lower" and c.ratio == 0.0

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            ((-1, 100, 10.0), {}, "count"),
            ((2.5, 100, 10.0), {}, "count"),
            ((1, 0, 10.0), {}, "population"),
            ((1, 100, -1.0), {}, "target_rate"),
            ((1, 100, 10.0), {"tau2": float("nan")}, "tau2"),
            ((1, 100, 10.0), {"phi": -1.0}, "phi"),
            ((1, 100, 10.0), {"alpha": 1.5}, "alpha"),
        ],
    )
    def test_invalid_input(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            compare(*args, **kwargs)


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------


def _category(counts_own: int | None, *, n: int = 12, pop_own: float | None = 10_000, others: int = 100) -> Funnel:
    """12 kommuner of 10 000 inhabitants at 1 000 per 100 000; kommun 11 is the own one."""
    counts = [others] * (n - 1) + [counts_own]
    pops = [10_000] * (n - 1) + [pop_own]
    return funnel(counts, pops, ids=range(n), target_rate=1000 if others else None)


class TestFunnelPanels:
    def _funnels(self) -> dict[str, Funnel]:
        counts, pop = _simulate()
        ids = [f"{i:04d}" for i in range(len(pop))]
        return {
            "Misshandel": funnel(counts, pop, ids=ids),
            "Rån": funnel(np.round(counts / 10), pop, ids=ids),
            "Mord": funnel(np.zeros(len(pop)), pop, ids=ids),
        }

    def test_panels_points_lines_and_legend(self):
        funnels = self._funnels()
        group = ["0001", "0002", "0003", "0004"]
        fig = charts.funnel_panels(funnels, own="0000", own_label="Falun", group=group,
                                   group_label="Större städer")
        assert [ax.get_title() for ax in fig.axes] == ["Misshandel", "Rån", "Mord"]
        ax = fig.axes[0]
        assert ax.get_xscale() == "log"
        own = funnels["Misshandel"].units.loc["0000"]
        offsets = [c.get_offsets().tolist() for c in ax.collections]
        assert [[own["population"], own["rate"]]] in offsets  # the own kommun is drawn, alone
        assert "Falun" in [t.get_text() for t in ax.texts]
        grey = [o for o in offsets if len(o) == len(funnels["Misshandel"].units) - 5]
        assert grey, "the other 285 kommuner are one collection"
        # target + 2 × 95 % + 2 × 99.8 % limits
        lines = ax.get_lines()
        assert len(lines) == 5
        styles = sorted(line.get_linestyle() for line in lines)
        assert styles == ["-", "--", "--", ":", ":"]
        curves = limit_curves(funnels["Misshandel"])
        dashed = [line for line in lines if line.get_linestyle() == "--"]
        assert any(np.allclose(line.get_ydata(), curves["high_95"]) for line in dashed)
        legend = fig.legends[0]
        assert [t.get_text() for t in legend.get_texts()] == [
            "Falun", "Större städer", "Övriga kommuner", "Riket (alla kommuner)",
            f"95{NBSP}%-gränser", f"99,8{NBSP}%-gränser",
        ]
        markers = [h.get_marker() for h in legend.legend_handles[:3]]
        assert len(set(markers)) == 3  # not colour alone

    def test_panel_without_limits_has_note_and_no_lines(self):
        fig = charts.funnel_panels(self._funnels(), own="0000", own_label="Falun")
        ax = fig.axes[2]
        assert ax.get_lines() == []
        assert any("Inga gränser" in t.get_text() for t in ax.texts)
        assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == ["Falun", "Övriga kommuner"]

    def test_own_kommun_missing_in_one_category(self):
        funnels = {"Rån": _category(196), "Stöld": _category(100, pop_own=None)}
        fig = charts.funnel_panels(funnels, own=11, own_label="Falun", ncols=1)
        assert len(fig.axes) == 2
        assert any("Uppgift saknas för Falun" in t.get_text() for t in fig.axes[1].texts)

    def test_swedish_tick_labels(self):
        fig = charts.funnel_panels(self._funnels(), own="0000", own_label="Falun")
        fig.canvas.draw()
        xlabels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
        assert f"100{NBSP}000" in xlabels

    def test_invalid(self):
        with pytest.raises(ValueError, match="empty"):
            charts.funnel_panels({}, own="0000", own_label="Falun")
        with pytest.raises(ValueError, match="not among the units"):
            charts.funnel_panels(self._funnels(), own=0, own_label="Falun")  # int, ids are text
        with pytest.raises(ValueError, match="ncols"):
            charts.funnel_panels(self._funnels(), own="0000", own_label="Falun", ncols=0)


class TestFunnelBackdrop:
    """The part every kommun's funnel figure shares is drawn once per process (issue 16); never stale."""

    @staticmethod
    def _funnels(seed: int = 2024) -> dict[str, Funnel]:
        counts, pop = _simulate(seed)
        ids = [f"{i:04d}" for i in range(len(pop))]
        return {"Misshandel": funnel(counts, pop, ids=ids), "Rån": funnel(np.round(counts / 10), pop, ids=ids)}

    @staticmethod
    def _png(funnels, own="0000", label="Falun", group=("0001", "0002")) -> bytes:
        from lagesbild.render.pngs import png_bytes

        fig = charts.funnel_panels(funnels, own=own, own_label=label, group=list(group), group_label="Större städer")
        try:
            return png_bytes(fig)
        finally:
            plt.close(fig)

    @staticmethod
    def _pixels(png: bytes) -> np.ndarray:
        import io

        from PIL import Image

        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)

    @pytest.fixture(autouse=True)
    def _empty_cache(self, monkeypatch):
        monkeypatch.setattr(charts.funnel, "_BACKDROPS", {})

    def test_drawn_once_and_the_same_picture_as_drawn_fresh(self, monkeypatch):
        funnels = self._funnels()
        first = self._png(funnels)
        assert len(charts.funnel._BACKDROPS) == 1
        drawn = []
        monkeypatch.setattr(charts.funnel.pngs, "backdrop", lambda *a, **k: drawn.append(1))
        assert self._png(funnels) == first  # from the cache: not drawn again, the same bytes
        assert drawn == []

    def test_each_kommun_gets_its_own_marker_name_and_legend(self):
        from lagesbild.render.charts.style import PALETTE

        funnels = self._funnels()
        falun, other = self._png(funnels, "0000", "Falun"), self._png(funnels, "0005", "Borlänge")
        assert falun != other
        own_colour = np.array([int(PALETTE[1][i:i + 2], 16) for i in (1, 3, 5)])
        for png in (falun, other):  # the diamonds (two panels and the legend) are drawn over the backdrop
            assert (np.abs(self._pixels(png) - own_colour).sum(axis=2) < 30).sum() > 3 * 40

    def test_changed_data_draws_a_new_backdrop(self):
        before = self._funnels()
        self._png(before)
        changed = self._funnels()
        units = changed["Rån"].units
        units.loc["0100", "rate"] = units["rate"].max() * 0.9  # one other kommun's rate, inside the y range
        after = self._png(changed)
        assert len(charts.funnel._BACKDROPS) == 2
        charts.funnel._BACKDROPS.clear()
        assert self._png(changed) == after  # drawn fresh from the changed data: the same picture

    def test_matplotlib_settings_are_part_of_the_key(self):
        funnels = self._funnels()
        self._png(funnels)
        with matplotlib.rc_context({"font.size": 14}):
            self._png(funnels)
        assert len(charts.funnel._BACKDROPS) == 2

    def test_the_png_is_the_whole_figure_drawn_with_its_layout(self):
        """Backdrop plus the kommun's own artists ≈ every artist the figure holds drawn in one pass."""
        import io

        from lagesbild.render import pngs

        fig = charts.funnel_panels(self._funnels(), own="0000", own_label="Falun", group=["0001", "0002"])
        on_backdrop = self._pixels(pngs.png_bytes(fig))
        delattr(fig, pngs._ON_BACKDROP)  # the same figure, its layout fixed, every artist drawn
        whole = io.BytesIO()
        fig.savefig(whole, format="png", dpi=pngs.FIGURE_DPI)
        plt.close(fig)
        whole = self._pixels(whole.getvalue())
        assert whole.shape == on_backdrop.shape
        differ = (np.abs(whole - on_backdrop).sum(axis=2) > 60).mean()
        assert differ < 0.002, f"{differ:.2%} of the pixels differ"

    def test_a_kommun_missing_in_a_panel_is_laid_out_on_its_own(self):
        from lagesbild.render import pngs

        funnels = {"Rån": _category(196), "Stöld": _category(100, pop_own=None)}
        fig = charts.funnel_panels(funnels, own=11, own_label="Falun", ncols=1)
        assert not hasattr(fig, pngs._ON_BACKDROP)
        assert fig.get_layout_engine() is not None and pngs.png_bytes(fig)[1:4] == b"PNG"
        plt.close(fig)
        assert charts.funnel._BACKDROPS == {}

    def test_the_cache_keeps_only_the_newest(self, monkeypatch):
        monkeypatch.setattr(charts.funnel, "_BACKDROPS_KEPT", 2)
        keys = []
        for seed in (1, 2, 3):
            self._png(self._funnels(seed))
            keys.append(list(charts.funnel._BACKDROPS)[-1])
        assert list(charts.funnel._BACKDROPS) == keys[1:]

    def test_a_large_kommun_has_its_name_on_the_left(self):
        funnels = self._funnels()
        pop = funnels["Misshandel"].units["population"]
        fig = charts.funnel_panels(funnels, own=pop.idxmax(), own_label="Stockholm")
        fig.canvas.draw()
        ax = fig.axes[0]
        name = next(t for t in ax.texts if t.get_text() == "Stockholm")
        assert name.get_ha() == "right"
        renderer = fig.canvas.get_renderer()
        assert name.get_window_extent(renderer).x1 <= ax.get_window_extent(renderer).x1
        small = charts.funnel_panels(funnels, own=pop.idxmin(), own_label="Bjurholm")
        assert next(t for t in small.axes[0].texts if t.get_text() == "Bjurholm").get_ha() == "left"
        plt.close("all")


class TestFunnelAlt:
    def test_constructed_case(self):
        # 11 kommuner with 100 events where 100 are expected (z = 0) and the own kommun:
        # Rån: 196 -> z = 2 (14 - 10) = 8, p < 0.002 -> above the 99.8 % limit (rate 1 960)
        # Skadegörelse: 81 -> z = 2 (9 - 10) = -2, 0.002 < p = 0.046 < 0.05 -> below the 95 % limit
        # Stöld: 100 -> inside. (Winsorising pulls the one deviating z to 0, so phi = 0 and the
        # limits are Poisson.) Mord: no events anywhere. Bedrägeri: own population missing.
        funnels = {
            "Rån": _category(196),
            "Stöld": _category(100),
            "Skadegörelse": _category(81),
            "Mord": _category(0, others=0),
            "Bedrägeri": _category(100, pop_own=None),
        }
        assert funnels["Rån"].units.loc[11, "zone"] == "high_998"
        assert funnels["Skadegörelse"].units.loc[11, "zone"] == "low_95"
        text = charts.funnel_alt(funnels, own=11, own_label="Falun").replace(NBSP, " ")
        assert text == (
            "Falun jämfört med alla kommuner (anmälda brott per 100 000 invånare, gränser kring rikets nivå). "
            "Över den övre 99,8 %-gränsen för rån (1 960 mot rikets 1 000). "
            "Inom gränserna för stöld. "
            "Under den nedre 95 %-gränsen men inom 99,8 %-gränsen för skadegörelse (810 mot rikets 1 000). "
            "Inga gränser (inga anmälda brott) för mord. "
            "Uppgift saknas för bedrägeri."
        )

    def test_all_inside(self):
        text = charts.funnel_alt({"Rån": _category(100), "Stöld": _category(110)}, own=11, own_label="Ale")
        assert text.endswith("Inom gränserna för rån och stöld.")

    def test_own_not_found(self):
        with pytest.raises(ValueError, match="not among the units"):
            charts.funnel_alt({"Rån": _category(100)}, own="0180", own_label="Stockholm")


class TestTrimOutliers:
    """Trimming: start from the winsorised estimate, drop units outside its 99.8 % limits, re-estimate."""

    # z-scores 0, ±4, ±4, ±2, ±2 and one extreme unit with z = 2 (30 - 10) = 40 (all E = 100)
    COUNTS = [100, 144, 64, 144, 64, 121, 81, 121, 81, 900]
    EXPECTED = [100.0] * 10

    def test_plain_dersimonian_laird_is_dominated_by_the_extreme_unit(self):
        od = fn.overdispersion(self.COUNTS, self.EXPECTED, winsorise=0)
        assert od.tau2 == pytest.approx((1680 - 9) / 3600)  # sum z² = 80 + 1600
        assert od.trimmed == 0

    def test_trimmed_estimate_comes_from_the_other_units(self):
        od = fn.overdispersion(self.COUNTS, self.EXPECTED, winsorise=0, trim_outliers=True, min_units=5)
        # nine units: sum z² = 80, N = 9, sum w = 3 600, sum w² / sum w = 400
        assert (od.n, od.trimmed) == (9, 1)
        assert od.phi == pytest.approx(80 / 9)
        assert od.tau2 == pytest.approx((80 - 8) / 3200)

    def test_the_trimmed_unit_keeps_its_zone_and_lies_far_outside(self):
        f = fn.funnel(self.COUNTS, [10_000] * 10, ids=list("abcdefghij"), target_rate=1000, winsorise=0,
                          trim_outliers=True, min_units=5)
        assert f.units.loc["j", "zone"] == "high_998"
        assert f.units.loc["j", "z"] == pytest.approx(2 / np.sqrt(1 / 400 + 72 / 3200))
        assert (f.units.drop(index="j")["zone"] == "inside").all()

    def test_nothing_to_trim_gives_the_plain_estimate(self):
        counts = [100, 144, 64, 144, 64, 121, 81, 121, 81, 100]
        plain = fn.overdispersion(counts, self.EXPECTED, winsorise=0)
        trimmed = fn.overdispersion(counts, self.EXPECTED, winsorise=0, trim_outliers=True)
        assert trimmed.tau2 == pytest.approx(plain.tau2) and trimmed.trimmed == 0

    def test_too_few_units_left_give_no_estimate(self):
        od = fn.overdispersion(self.COUNTS, self.EXPECTED, winsorise=0, trim_outliers=True, min_units=10)
        assert od.method == "none" and np.isnan(od.tau2) and "99.8 %" in od.reason

    def test_simulated_kommuner_with_a_few_extreme_cities(self):
        """Data from the additive model plus three cities at three times the rate: trimming keeps the
        limits close to the true between-kommun spread, plain DerSimonian–Laird lets the cities widen them."""
        rng = np.random.default_rng(7)
        pop = np.exp(rng.uniform(np.log(2_500), np.log(1_000_000), 290))
        true_tau2 = 0.01
        y = 1 + rng.normal(0, np.sqrt(true_tau2), pop.size)
        counts = rng.poisson((y ** 2) * 0.01 * pop).astype(float)
        big = np.argsort(pop)[-3:]
        counts[big] *= 3
        plain = fn.funnel(counts, pop, winsorise=0)
        trimmed = fn.funnel(counts, pop, winsorise=0, trim_outliers=True)
        assert trimmed.od.trimmed >= 3
        assert trimmed.od.tau2 < plain.od.tau2 / 2
        assert 0.5 * true_tau2 < trimmed.od.tau2 < 2 * true_tau2
        assert (trimmed.units.loc[big, "zone"] == "high_998").all()
