"""Tests of lagesbild.indicators (the traffic light) and lagesbild.crime.with_comparison_counts.

Every expected value is worked out by hand or with scipy/statsmodels called directly in the test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats import rates as smrates  # module import: pytest would collect test_poisson

from lagesbild import crime, indicators, processed
from lagesbild.evaluation import survey_change
from lagesbild.indicators import (
    HIGHER,
    LOWER,
    MISSING,
    UNCLEAR,
    Light,
    indicator_table,
    missing_light,
    rate_light,
    share_light,
)
from lagesbild.paths import DATA

Z975 = 1.959963984540054


def central_p(x: int, n: int, p0: float) -> float:
    """The central two-sided p-value of a binomial count, straight from scipy's distribution."""
    return min(1.0, 2 * min(sps.binom.cdf(x, n, p0), sps.binom.sf(x - 1, n, p0)))


# ============================================================================================
# rate_light: the kommun against the rest of its region
# ============================================================================================


class TestRateAgainstRest:
    def test_clearly_higher(self):
        # kommun 150 crimes / 10 000 people; region 300 / 50 000, so the rest has 150 / 40 000: ratio 4
        light = rate_light(150, 10_000, ref_count=300, ref_population=50_000)
        assert light.status == HIGHER and light.estimate == pytest.approx(4.0)
        assert light.p_value == pytest.approx(central_p(150, 300, 0.2))
        assert light.p_value < 1e-10 and light.ci_low > 1
        assert light.assessment == "sämre" and light.colour == "#D55E00" and light.symbol == "▲"
        assert light.text == "Tydligt högre än i länet (sämre)"

    def test_clearly_lower(self):
        # 20 / 10 000 against a rest of 180 / 40 000 (rate 45 per 10 000): ratio 20 / 45
        light = rate_light(20, 10_000, ref_count=200, ref_population=50_000, comparison="riket")
        assert light.status == LOWER and light.estimate == pytest.approx(20 / 45)
        assert light.assessment == "bättre" and light.colour == "#0072B2" and light.symbol == "▼"
        assert light.text == "Tydligt lägre än i riket (bättre)"

    def test_no_clear_difference(self):
        # 12 / 10 000 against a rest of 38 / 40 000: ratio 1,26, far from clear with 50 events
        light = rate_light(12, 10_000, ref_count=50, ref_population=50_000)
        assert light.status == UNCLEAR and light.estimate == pytest.approx(1.2 / 0.95)
        assert light.p_value == pytest.approx(central_p(12, 50, 0.2)) and light.p_value > 0.05
        assert light.ci_low < 1 < light.ci_high
        assert light.colour is None and light.symbol == "○" and light.text == "Ingen tydlig skillnad mot länet"

    def test_ratio_interval_is_clopper_pearson_mapped_to_the_ratio(self):
        x, n, pop, rest_pop = 45, 219, 59_964.0, 286_891.0 - 59_964.0
        light = rate_light(x, pop, ref_count=n, ref_population=286_891.0)
        low_p = sps.beta.ppf(0.025, x, n - x + 1)  # Clopper–Pearson from the beta distribution
        high_p = sps.beta.ppf(0.975, x + 1, n - x)
        assert light.ci_low == pytest.approx(low_p / (1 - low_p) * rest_pop / pop)
        assert light.ci_high == pytest.approx(high_p / (1 - high_p) * rest_pop / pop)

    def test_published_reference_interval(self):
        # Gu et al. (2008) example 1 (R exactci::poisson.exact, central): 60 events in 51 477,5 person-years
        # against 30 in 54 308,7: ratio 2,11 with 95 % interval 1,3397–3,3884.
        light = rate_light(60, 51_477.5, ref_count=30, ref_population=54_308.7, nested=False)
        assert (round(light.estimate, 2), round(light.ci_low, 4), round(light.ci_high, 4)) == (2.11, 1.3397, 3.3884)
        assert light.status == HIGHER

    def test_equals_statsmodels_exact_conditional_test_when_symmetric(self):
        # Equal exposures make the conditional binomial symmetric, where statsmodels' "minlike" p-value
        # (binom_test) and the central one coincide.
        for x, y in ((30, 18), (7, 2), (100, 100), (0, 5)):
            light = rate_light(x, 1_000.0, ref_count=y, ref_population=1_000.0, nested=False)
            sm = smrates.test_poisson_2indep(x, 1_000.0, y, 1_000.0, method="exact-cond")
            assert light.p_value == pytest.approx(min(1.0, sm.pvalue)), (x, y)

    def test_nested_is_the_rest_of_the_region(self):
        nested = rate_light(77, 60_000, ref_count=300, ref_population=285_000)
        rest = rate_light(77, 60_000, ref_count=223, ref_population=225_000, nested=False)
        assert (nested.status, nested.estimate, nested.p_value) == (rest.status, rest.estimate, rest.p_value)

    def test_colour_agrees_with_the_interval(self):
        for x, ref, pop, ref_pop in ((5, 20, 1000, 10_000), (9, 20, 1000, 10_000), (30, 300, 10_000, 60_000),
                                     (41, 300, 10_000, 60_000), (60, 300, 10_000, 60_000), (3, 60, 1000, 10_000)):
            light = rate_light(x, pop, ref_count=ref, ref_population=ref_pop)
            excludes_one = light.ci_low > 1 or light.ci_high < 1
            assert (light.status != UNCLEAR) == excludes_one == (light.p_value < 0.05), (x, ref, light)

    def test_higher_is_better(self):
        light = rate_light(150, 10_000, ref_count=300, ref_population=50_000, higher_is_worse=False)
        assert light.status == HIGHER and light.assessment == "bättre" and light.colour == "#0072B2"
        assert light.direction == "högre är bättre" and light.text == "Tydligt högre än i länet (bättre)"
        low = rate_light(20, 10_000, ref_count=200, ref_population=50_000, higher_is_worse=False)
        assert low.assessment == "sämre" and low.colour == "#D55E00" and low.text_colour == "#000000"

    def test_zero_events(self):
        light = rate_light(0, 10_000, ref_count=0, ref_population=50_000)
        assert light.status == UNCLEAR and light.p_value == 1.0

    def test_region_must_contain_the_kommun(self):
        with pytest.raises(ValueError, match="nested=False"):
            rate_light(50, 10_000, ref_count=40, ref_population=50_000)
        with pytest.raises(ValueError, match="nested=False"):
            rate_light(5, 10_000, ref_count=40, ref_population=9_000)


class TestRateAgainstKnownRate:
    def test_hand_computed_poisson_test(self):
        # 10 events among 1 000 people against 500 per 100 000 (expected 5):
        # p = 2 × P(X ≥ 10 | λ = 5) = 2 × (1 − 0,968172) = 0,063657 — not clear
        light = rate_light(10, 1_000, ref_rate=500)
        assert light.p_value == pytest.approx(2 * sps.poisson.sf(9, 5.0)) and light.p_value == pytest.approx(0.063657,
                                                                                                            abs=1e-6)
        assert light.status == UNCLEAR and light.estimate == pytest.approx(2.0)

    def test_matches_statsmodels(self):
        for count, pop, rate in ((4, 59_964.0, 9.0), (341, 59_930.0, 1233.0), (163, 59_926.0, 314.0), (0, 2_000.0, 90.0)):
            light = rate_light(count, pop, ref_rate=rate, comparison="riket")
            sm_p = smrates.test_poisson(count, pop, rate / 100_000, method="exact-c").pvalue
            low, high = smrates.confint_poisson(count, pop, method="exact-c")
            assert light.p_value == pytest.approx(min(1.0, sm_p)), count
            assert light.ci_low == pytest.approx(low / (rate / 100_000)) and light.ci_high == pytest.approx(
                high / (rate / 100_000)), count

    def test_clear_difference_from_a_rate(self):
        light = rate_light(341, 59_930, ref_rate=1233, comparison="riket")
        assert light.status == LOWER and "resten" not in light.method and "känd referens" in light.method

    def test_counts_win_over_the_rate(self):
        light = rate_light(150, 10_000, ref_count=300, ref_population=50_000, ref_rate=1)
        assert light.estimate == pytest.approx(4.0) and "resten av länet" in light.method


class TestMissing:
    @pytest.mark.parametrize("kwargs", [
        {"count": None, "population": 1000, "ref_rate": 5},
        {"count": 3, "population": float("nan"), "ref_rate": 5},
        {"count": 3, "population": 1000},
        {"count": 3, "population": 1000, "ref_count": 30, "ref_population": None},
        {"count": 3, "population": 1000, "ref_rate": float("nan")},
    ])
    def test_rate_without_data_is_missing(self, kwargs):
        light = rate_light(kwargs.pop("count"), kwargs.pop("population"), **kwargs)
        assert light.status == MISSING and light.colour is None and light.assessment is None
        assert light.symbol == "–" and light.word == "Uppgift saknas" and light.reason
        assert light.text == "Uppgift saknas för jämförelse med länet"

    def test_share_without_data_is_missing(self):
        assert share_light(None, 1, 3, 2, 1, 3).status == MISSING
        assert share_light(2, 1, 3, 2, float("nan"), 3, comparison="riket").reason == \
            "Andelen för riket eller dess intervall saknas."
        assert share_light(2, 2, 2, 3, 3, 3).status == MISSING  # no width: no uncertainty to test with

    def test_missing_light(self):
        light = missing_light("riket", "Rikets värde saknas.", higher_is_worse=False)
        assert (light.status, light.colour, light.text_colour, light.detail, light.direction) == (
            MISSING, None, None, "Rikets värde saknas.", "högre är bättre")
        d = light.as_dict()
        assert d["estimate"] is None and d["p_value"] is None and d["word"] == "Uppgift saknas"

    def test_bad_values_are_errors_not_missing(self):
        with pytest.raises(ValueError, match="whole number"):
            rate_light(2.5, 1000, ref_rate=5)
        with pytest.raises(ValueError, match="whole number"):
            rate_light(-1, 1000, ref_rate=5)
        with pytest.raises(ValueError, match="population"):
            rate_light(1, 0, ref_rate=5)
        with pytest.raises(ValueError, match="number or None"):
            rate_light("12", 1000, ref_rate=5)
        with pytest.raises(ValueError, match="alpha"):
            rate_light(1, 1000, ref_rate=5, alpha=5)


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
        assert light.text == "Tydligt lägre än i riket (bättre)" and light.kind == "difference"

    def test_unclear(self):
        light = share_light(19, 15, 23, 21.2, 19.3, 23.2)
        assert light.status == UNCLEAR and light.colour is None and light.p_value > 0.05

    def test_clearly_higher_and_both_directions(self):
        worse = share_light(12, 10, 14, 8, 7.5, 8.5)
        assert worse.status == HIGHER and worse.assessment == "sämre"
        better = share_light(12, 10, 14, 8, 7.5, 8.5, higher_is_worse=False)
        assert better.status == HIGHER and better.assessment == "bättre" and better.colour == "#0072B2"

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

    def test_detail_in_swedish(self):
        light = share_light(19, 15, 23, 25.0, 24.6, 25.4, comparison="riket")
        assert light.detail == "skillnad −6,0 procentenheter (95 % KI −10,0 till −2,0), p = 0,003"
        light = rate_light(150, 10_000, ref_count=300, ref_population=50_000)
        assert light.detail.startswith("kvot 4,00 (95 % KI ") and light.detail.endswith("p < 0,001")


class TestLightValues:
    def test_words_symbols_and_colours(self):
        assert indicators.STATUSES == ("högre", "lägre", "ingen tydlig skillnad", "saknas")
        assert set(indicators.SYMBOLS) == set(indicators.WORDS) == set(indicators.STATUSES)
        assert len(set(indicators.SYMBOLS.values())) == 4  # the symbol alone tells the statuses apart
        assert indicators.COLOURS == {"sämre": "#D55E00", "bättre": "#0072B2"}  # Okabe–Ito vermillion and blue

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
        light = Light(HIGHER, True, "länet", 1.5, 1.1, math.inf, 0.01, 0.05, "ratio", "test")
        d = light.as_dict()
        assert d["ci_high"] is None and d["colour"] == "#D55E00" and d["text"] == "Tydligt högre än i länet (sämre)"
        assert d["status"] == "högre" and d["higher_is_worse"] is True and d["direction"] == "högre är sämre"


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
    def test_crime_with_counts_and_ntu(self):
        counts = {"population": 60_000.0, "count_lan": 648, "population_lan": 287_000.0, "count_riket": 40_508,
                  "population_riket": 10_576_000.0}
        t = indicator_table([crime_record(**counts)], ntu_latest())
        assert t["source"].tolist() == ["Anmälda brott", "NTU"]
        assert t["unit"].tolist() == ["per 100 000 invånare", "procent"]
        assert t[["value", "value_lan", "value_riket"]].values.tolist() == [[250.0, 226.0, 383.0], [19.0, 21.2, 25.0]]
        expected = rate_light(150, 60_000.0, ref_count=648, ref_population=287_000.0)
        assert t.loc[0, "lan"] == expected and t.loc[0, "note"] == ""
        assert t["status_lan"].tolist() == ["ingen tydlig skillnad", "ingen tydlig skillnad"]
        assert t["status_riket"].tolist() == ["lägre", "lägre"]
        assert t.loc[1, "theme"] == "Otrygghet" and t.loc[1, "indicator"] == "Otrygg ute sent på kvällen"

    def test_crime_as_the_json_has_it_today(self):
        # no counts or population: population from count / rate, and the regions' rates as references
        t = indicator_table([crime_record()])
        expected = rate_light(150, 150 / 250 * 100_000, ref_rate=226.0)
        assert t.loc[0, "lan"] == expected
        assert "avrundade takt" in t.loc[0, "note"]

    def test_missing_values_give_saknas(self):
        t = indicator_table([crime_record(rate_riket=None, count=None)], ntu_latest(share_riket=float("nan")))
        assert t["status_lan"].tolist() == ["saknas", "ingen tydlig skillnad"]
        assert t["status_riket"].tolist() == ["saknas", "saknas"]
        assert all(light.colour is None for light in t["riket"])

    def test_empty(self):
        t = indicator_table([], None)
        assert t.empty and "status_lan" in t.columns
        assert indicator_table(None, ntu_latest().iloc[:0]).empty


class TestWithComparisonCounts:
    def test_hand_made_frame(self):
        frame = pd.DataFrame({"level": ["kommun", "län", "kommun"], "indicator": ["Bilbrott", "Bilbrott", "Rån"],
                              "year": [2024, 2024, 2024], "count": [150.0, 648.0, 4.0],
                              "population": [59_964.25, 286_891.44, float("nan")]})
        figs = [{"indicator": "Bilbrott", "year": 2024, "count": 150}, {"indicator": "Rån", "year": 2024, "count": 4},
                {"indicator": "Bilbrott", "year": 2023, "count": 1}]
        out = crime.with_comparison_counts(figs, frame)
        assert out[0] == {"indicator": "Bilbrott", "year": 2024, "count": 150, "population": 59_964.2,
                          "count_lan": 648, "population_lan": 286_891.4, "count_riket": None,
                          "population_riket": None}
        assert out[1]["population"] is None and out[1]["count_lan"] is None
        assert out[2]["population"] is None  # no row for that year
        assert "population" not in figs[0]  # the input is not changed

    def test_bundled_falun(self):
        ds = processed.load(DATA)
        frame = crime.comparison_frame(ds.crime, "2080", "20")
        out = crime.with_comparison_counts([{"indicator": "Bilbrott", "year": 2024, "count": 150}], frame)[0]
        # Brå 2024: Falun all crime 4 697 at 7 833 per 100 000; Bilbrott Dalarna 648, Hela landet 40 508
        assert out["population"] == round(4697 / 7833 * 100_000, 1)
        assert out["count_lan"] == 648 and out["population_lan"] == round(25103 / 8750 * 100_000, 1)
        assert out["count_riket"] == 40508 and out["population_riket"] == round(1489319 / 14090 * 100_000, 1)
