"""Tests of lagesbild.stats.indicators (the traffic light) and lagesbild.crime.reported.with_comparison_counts.

Every expected value is worked out by hand or with scipy/statsmodels called directly in the test. The
traffic light returns codes; their Swedish words are tested in test_summary_key_indicators.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats as sps

from lagesbild.core.paths import DATA
from lagesbild.crime import reported
from lagesbild.sources import processed
from lagesbild.stats import indicators
from lagesbild.stats.indicators import (
    BETTER,
    HIGHER,
    LOWER,
    MISSING,
    UNCLEAR,
    WORSE,
    Light,
    indicator_table,
    missing_light,
    rate_light,
    share_light,
)
from lagesbild.stats.surveys import survey_change

Z975 = 1.959963984540054


def central_p(x: int, n: int, p0: float) -> float:
    """The central two-sided p-value of a binomial count, straight from scipy's distribution."""
    return min(1.0, 2 * min(sps.binom.cdf(x, n, p0), sps.binom.sf(x - 1, n, p0)))


# ============================================================================================
# rate_light: the funnel plot's rule (chance and the usual variation between kommuner)
# ============================================================================================


def hand_z(count: int, population: float, ref_rate: float, tau2: float) -> tuple[float, float]:
    """z and the two-sided p-value, written out from the formula (not from lagesbild.stats.funnel)."""
    expected = ref_rate * population / 100_000
    z = (math.sqrt(count / expected) - 1) / math.sqrt(1 / (4 * expected) + tau2)
    return z, 2 * sps.norm.sf(abs(z))


class TestRateLight:
    def test_between_kommun_variation_makes_a_large_difference_unclear(self):
        # Helsingborg-sized: 1 446 crimes among 152 429, riket 1 167 per 100 000 (E = 1 778,85)
        light = rate_light(1446, 152_429, ref_rate=1167, tau2=0.05, comparison="riket")
        z, p = hand_z(1446, 152_429, 1167, 0.05)
        assert z == pytest.approx(-0.4394, abs=1e-4)
        assert light.status == UNCLEAR and light.p_value == pytest.approx(p)
        assert light.estimate == pytest.approx(1446 / 1778.8464)

    def test_without_between_kommun_variation_it_is_the_poisson_test_on_the_square_root_scale(self):
        light = rate_light(1446, 152_429, ref_rate=1167, tau2=0.0, comparison="riket")
        expected = 1167 * 152_429 / 100_000
        z = 2 * (math.sqrt(1446) - math.sqrt(expected))  # Spiegelhalter's Poisson z-score
        assert light.status == LOWER and light.p_value == pytest.approx(2 * sps.norm.sf(abs(z)))
        assert light.assessment == BETTER and light.comparison == "riket" and light.method == indicators.FUNNEL

    def test_clearly_higher(self):
        # 400 where 100 are expected, tau2 = 0,05: z = (2 - 1) / sqrt(0,0025 + 0,05) = 4,36
        light = rate_light(400, 10_000, ref_rate=1000, tau2=0.05)
        assert light.status == HIGHER and light.colour == "#D55E00" and light.assessment == WORSE
        assert light.comparison == indicators.LAN and light.kind == "ratio" and light.reason == ""
        assert light.p_value == pytest.approx(2 * sps.norm.sf(1 / math.sqrt(0.0525)))

    def test_the_same_as_the_funnel_plot_for_every_unit(self):
        from lagesbild.stats import funnel

        counts = [100, 144, 64, 121, 81, 169, 49, 196, 16, 100, 400, 25]
        pops = [10_000] * 10 + [20_000, 5_000]
        f = funnel.funnel(counts, pops, winsorise=0)
        for i, (c, pop) in enumerate(zip(counts, pops, strict=True)):
            light = rate_light(c, pop, ref_rate=f.target_rate, tau2=f.od.tau2_applied, comparison="riket")
            assert light.p_value == pytest.approx(f.units["p"].iloc[i])
            assert (light.status == UNCLEAR) == (f.units["zone"].iloc[i] == "inside")

    def test_interval_excludes_one_exactly_when_the_difference_is_clear(self):
        for count in range(60, 200, 7):
            for tau2 in (0.0, 0.01, 0.05):
                light = rate_light(count, 10_000, ref_rate=1000, tau2=tau2)
                clear = light.status in (HIGHER, LOWER)
                assert clear == (light.ci_low > 1 or light.ci_high < 1)
                assert light.ci_low <= light.estimate <= light.ci_high

    def test_higher_is_better(self):
        light = rate_light(400, 10_000, ref_rate=1000, tau2=0.05, higher_is_worse=False)
        assert light.status == HIGHER and light.assessment == BETTER and light.colour == "#0072B2"

    def test_zero_reference_rate_is_no_test(self):
        light = rate_light(3, 10_000, ref_rate=0, tau2=0.01)
        assert light.status == UNCLEAR and light.colour is None

    def test_unknown_between_kommun_variation_is_no_comparison(self):
        light = rate_light(400, 10_000, ref_rate=1000, tau2=None)
        assert light.status == MISSING and light.reason == "variation_unknown"


class TestMissing:
    @pytest.mark.parametrize(("kwargs", "reason"), [
        ({"count": None, "population": 1000, "ref_rate": 5, "tau2": 0.0}, "count_missing"),
        ({"count": 3, "population": float("nan"), "ref_rate": 5, "tau2": 0.0}, "population_missing"),
        ({"count": 3, "population": 1000, "tau2": 0.0}, "reference_missing"),
        ({"count": 3, "population": 1000, "ref_rate": 5}, "variation_unknown"),
        ({"count": 3, "population": 1000, "ref_rate": float("nan"), "tau2": 0.0}, "reference_missing"),
    ])
    def test_rate_without_data_is_missing(self, kwargs, reason):
        light = rate_light(kwargs.pop("count"), kwargs.pop("population"), **kwargs)
        assert light.status == MISSING and light.colour is None and light.assessment is None
        assert light.symbol == "–" and light.reason == reason and light.method == ""
        assert light.comparison == indicators.LAN

    def test_share_without_data_is_missing(self):
        assert share_light(None, 1, 3, 2, 1, 3).reason == "share_missing"
        light = share_light(2, 1, 3, 2, float("nan"), 3, comparison="riket")
        assert light.status == MISSING and light.reason == "reference_share_missing" and light.comparison == "riket"
        # no width: no uncertainty to test with
        assert (share_light(2, 2, 2, 3, 3, 3).status, share_light(2, 2, 2, 3, 3, 3).reason) == (MISSING, "no_interval_width")

    def test_missing_light(self):
        light = missing_light("riket", "reference_missing", higher_is_worse=False)
        assert (light.status, light.colour, light.text_colour, light.reason, light.higher_is_worse) == (
            MISSING, None, None, "reference_missing", False)
        assert missing_light().reason == "missing" and missing_light().comparison == indicators.LAN
        d = light.as_dict()
        assert d["estimate"] is None and d["p_value"] is None and d["symbol"] == "–" and d["assessment"] is None

    def test_a_reason_is_a_code(self):
        with pytest.raises(ValueError, match="unknown reason 'Rikets värde saknas.'"):
            missing_light("riket", "Rikets värde saknas.")

    def test_bad_values_are_errors_not_missing(self):
        with pytest.raises(ValueError, match="whole number"):
            rate_light(2.5, 1000, ref_rate=5, tau2=0.0)
        with pytest.raises(ValueError, match="whole number"):
            rate_light(-1, 1000, ref_rate=5, tau2=0.0)
        with pytest.raises(ValueError, match="population"):
            rate_light(1, 0, ref_rate=5, tau2=0.0)
        with pytest.raises(ValueError, match="number or None"):
            rate_light("12", 1000, ref_rate=5, tau2=0.0)
        with pytest.raises(ValueError, match="alpha"):
            rate_light(1, 1000, ref_rate=5, tau2=0.0, alpha=5)
        with pytest.raises(ValueError, match="got 2.5"):  # a plain value, never np.float64(2.5)
            import numpy as np

            rate_light(np.float64(2.5), 1000, ref_rate=5, tau2=0.0)


# ============================================================================================
# share_light: survey shares with 95 % intervals
# ============================================================================================


class TestShares:
    def test_hand_computed_clear_difference(self):
        # Falun 19 % [15–23] against riket 25,0 % [24,6–25,4]:
        # se = 8 / (2 × 1,96) = 2,0409, se_ref = 0,8 / 3,92 = 0,2041; z = −6 / √(2,0409² + 0,2041²) = −2,9254
        light = share_light(19, 15, 23, 25.0, 24.6, 25.4, comparison="riket")
        se, se_ref = 8 / (2 * Z975), 0.8 / (2 * Z975)
        z = -6 / math.sqrt(se**2 + se_ref**2)
        assert z == pytest.approx(-2.9254, abs=1e-4)
        assert light.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)))
        assert light.status == LOWER and light.estimate == pytest.approx(-6.0)
        assert light.ci_low == pytest.approx(-6 - Z975 * math.sqrt(se**2 + se_ref**2))
        assert light.assessment == BETTER and light.kind == "difference" and light.method == indicators.SHARE_Z_TEST

    def test_unclear(self):
        light = share_light(19, 15, 23, 21.2, 19.3, 23.2)
        assert light.status == UNCLEAR and light.colour is None and light.p_value > 0.05

    def test_clearly_higher_and_both_directions(self):
        worse = share_light(12, 10, 14, 8, 7.5, 8.5)
        assert worse.status == HIGHER and worse.assessment == WORSE
        better = share_light(12, 10, 14, 8, 7.5, 8.5, higher_is_worse=False)
        assert better.status == HIGHER and better.assessment == BETTER and better.colour == "#0072B2"

    def test_same_as_two_independent_survey_estimates(self):
        # the reference implementation in evaluation (two survey rounds) gives the same z-test
        light = share_light(8.5, 6.0, 11.5, 6.7, 5.4, 8.1)
        ref = survey_change((6.7, 5.4, 8.1), (8.5, 6.0, 11.5))
        assert light.p_value == pytest.approx(ref.p_value) and light.estimate == pytest.approx(ref.difference)
        assert (light.ci_low, light.ci_high) == (pytest.approx(ref.ci_low), pytest.approx(ref.ci_high))

    def test_overlap_removes_the_covariance(self):
        # w = 0,25: var = se²(1 − 2w) + se_ref² = 0,5 se² + se_ref²
        light = share_light(12, 8, 16, 10, 9, 11, overlap=0.25)
        se, se_ref = 8 / (2 * Z975), 2 / (2 * Z975)
        z = 2 / math.sqrt(0.5 * se**2 + se_ref**2)
        assert light.p_value == pytest.approx(math.erfc(z / math.sqrt(2)))
        assert light.p_value < share_light(12, 8, 16, 10, 9, 11).p_value  # ignoring it is conservative

    def test_errors(self):
        with pytest.raises(ValueError, match="outside its interval"):
            share_light(20, 15, 19, 25, 24, 26)
        with pytest.raises(ValueError, match="overlap"):
            share_light(20, 15, 25, 25, 24, 26, overlap=1.0)


class TestLightValues:
    def test_codes_symbols_and_colours(self):
        assert indicators.STATUSES == ("higher", "lower", "unclear", "missing")
        assert indicators.ASSESSMENTS == ("worse", "better") and indicators.COMPARISONS == ("lan", "riket")
        assert set(indicators.SYMBOLS) == set(indicators.STATUSES)
        assert len(set(indicators.SYMBOLS.values())) == 4  # the symbol alone tells the statuses apart
        assert indicators.COLOURS == {"worse": "#D55E00", "better": "#0072B2"}  # Okabe–Ito vermillion and blue

    def test_colours_have_enough_contrast(self):
        def luminance(hex_colour: str) -> float:
            channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
            lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
            return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

        def contrast(a: str, b: str) -> float:
            la, lb = sorted((luminance(a), luminance(b)), reverse=True)
            return (la + 0.05) / (lb + 0.05)

        for meaning, colour in indicators.COLOURS.items():
            assert contrast(colour, "#FFFFFF") >= 3.0, meaning  # a marker on a white page (WCAG 1.4.11)
            assert contrast(colour, indicators.TEXT_COLOURS[meaning]) >= 4.5, meaning  # text on the colour

    def test_as_dict(self):
        light = Light(HIGHER, True, "lan", 1.5, 1.1, math.inf, 0.01, 0.05, "ratio", indicators.FUNNEL)
        d = light.as_dict()
        assert d["ci_high"] is None and d["colour"] == "#D55E00" and d["text_colour"] == "#000000"
        assert d["status"] == "higher" and d["higher_is_worse"] is True and d["assessment"] == "worse"
        assert d["symbol"] == "▲" and d["method"] == "funnel" and d["comparison"] == "lan"


# ============================================================================================
# The whole table
# ============================================================================================


def crime_record(**extra) -> dict:
    return {"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
            "rate_riket": 383.0, **extra}


def ntu_latest(**overrides) -> pd.DataFrame:
    row = {"theme": "otrygghet", "theme_label": "Otrygghet", "indicator": "Otrygghet vid utevistelse …",
           "label": "Otrygg ute sent på kvällen", "year": 2025, "survey_year": 2025, "share": 19.0, "ci_low": 15.0,
           "ci_high": 23.0, "respondents": 465.0, "share_lan": 21.2, "ci_low_lan": 19.3, "ci_high_lan": 23.2,
           "respondents_lan": 2142.0, "share_riket": 25.0, "ci_low_riket": 24.6, "ci_high_riket": 25.4,
           "respondents_riket": 65338.0}
    row.update(overrides)
    return pd.DataFrame([row])


class TestIndicatorTable:
    def test_crime_with_dispersion_and_ntu(self):
        t = indicator_table([crime_record(population=60_000.0, dispersion={"tau2": 0.005}, set="kommunindikatorer",
                                          preliminary=True)], ntu_latest())
        assert t["source"].tolist() == ["crime", "ntu"] and t["theme"].tolist() == ["", "Otrygghet"]
        assert t["unit"].tolist() == ["per_100000", "percent"]
        assert t[["value", "value_lan", "value_riket"]].values.tolist() == [[250.0, 226.0, 383.0], [19.0, 21.2, 25.0]]
        expected = rate_light(150, 60_000.0, ref_rate=226.0, tau2=0.005)
        assert t.loc[0, "lan"] == expected and t.loc[0, "note"] == ""
        assert t["status_lan"].tolist() == ["unclear", "unclear"]
        assert t["status_riket"].tolist() == ["lower", "lower"]
        assert [light.comparison for light in t["riket"]] == ["riket", "riket"]
        assert t["set"].tolist() == ["kommunindikatorer", "ntu"] and t["preliminary"].tolist() == [True, False]
        assert t.loc[1, "theme"] == "Otrygghet" and t.loc[1, "indicator"] == "Otrygg ute sent på kvällen"

    def test_population_from_count_and_rate_when_missing(self):
        t = indicator_table([crime_record(dispersion={"tau2": 0.005})])
        assert t.loc[0, "lan"] == rate_light(150, 150 / 250 * 100_000, ref_rate=226.0, tau2=0.005)
        assert t.loc[0, "note"] == indicators.POPULATION_DERIVED

    def test_without_dispersion_there_is_no_comparison(self):
        t = indicator_table([crime_record(population=60_000.0)])
        assert t["status_lan"].tolist() == ["missing"] and t["status_riket"].tolist() == ["missing"]
        assert t.loc[0, "lan"].reason == "variation_unknown"

    def test_missing_values_give_saknas(self):
        t = indicator_table([crime_record(rate_riket=None, count=None, dispersion={"tau2": 0.005})],
                            ntu_latest(share_riket=float("nan")))
        assert t["status_lan"].tolist() == ["missing", "unclear"]
        assert t["status_riket"].tolist() == ["missing", "missing"]
        assert all(light.colour is None for light in t["riket"])

    def test_empty(self):
        t = indicator_table([], None)
        assert t.empty and "status_lan" in t.columns
        assert indicator_table(None, ntu_latest().iloc[:0]).empty


class TestWithComparisonCounts:
    def test_hand_made_frame(self):
        frame = pd.DataFrame({"level": ["kommun", "län", "kommun"], "indicator": ["Bilbrott", "Bilbrott", "Rån"],
                              "year": [2024, 2024, 2024], "count": [150.0, 648.0, 4.0],
                              "population": [59_964.25, 286_891.44, float("nan")], "basis": ["kommun", "summa", "kommun"],
                              "population_basis": ["brå", "summa", None]})
        figs = [{"indicator": "Bilbrott", "year": 2024, "count": 150}, {"indicator": "Rån", "year": 2024, "count": 4},
                {"indicator": "Bilbrott", "year": 2023, "count": 1}]
        out = reported.with_comparison_counts(figs, frame)
        assert out[0] == {"indicator": "Bilbrott", "year": 2024, "count": 150, "population": 59_964.2,
                          "population_basis": "brå", "count_lan": 648, "population_lan": 286_891.4, "basis_lan": "summa",
                          "count_riket": None, "population_riket": None, "basis_riket": None,
                          "series": [{"year": 2024, "count": 150, "population": 59_964.2}]}
        assert out[1]["series"] == [{"year": 2024, "count": 4, "population": None}]
        assert out[1]["population"] is None and out[1]["count_lan"] is None
        assert out[2]["population"] is None  # no row for that year
        assert "population" not in figs[0]  # the input is not changed

    def test_bundled_falun(self):
        ds = processed.load(DATA)
        frame = reported.comparison_frame(ds.crime, "2080", "20", ds.population, ds.kommuner)
        out = reported.with_comparison_counts([{"indicator": "Bilbrott", "year": 2024, "count": 150}], frame)[0]
        # Brå 2024: Falun all crime 4 697 at 7 836 per 100 000 (SOL); Bilbrott Dalarna 648 = the sum of its
        # 15 kommuner; Hela landet 40 508 (kommunindikatorer: riket is Brå's own, at 1 489 319 / 14 090)
        assert out["population"] == round(4697 / 7836 * 100_000, 1) and out["population_basis"] == "brå"
        assert out["count_lan"] == 648 and out["basis_lan"] == "summa"
        dalarna = ds.crime[(ds.crime["region_code"].str.startswith("20")) & (ds.crime["region_code"].str.len() == 4)
                           & (ds.crime["year"] == 2024) & (ds.crime["indicator"] == reported.TOTAL)]
        wide = dalarna.pivot(index="region_code", columns="unit", values="value")
        assert out["population_lan"] == pytest.approx((wide["Antal"] / wide["Antal per 100 000 inv"] * 100_000).sum(), abs=0.1)
        assert out["count_riket"] == 40508 and out["basis_riket"] == "brå"
        assert out["population_riket"] == round(1489319 / 14090 * 100_000, 1)
        # the yearly series the lägesbild's follow-up of an åtgärdsplan reads: Falun's Bilbrott 2023 was 203 (Brå)
        series = {p["year"]: p for p in out["series"]}
        assert series[2023]["count"] == 203 and series[2024]["count"] == 150 and series[2024]["population"] == out["population"]
        assert min(series) <= 2017 and sorted(series) == [p["year"] for p in out["series"]]
