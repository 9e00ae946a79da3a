"""Tests of lagesbild.text.narrative with hand-made ChangeTest / TrendTest results."""

from __future__ import annotations

import math

import pytest

from lagesbild.stats.counts import ChangeTest, TrendTest
from lagesbild.text.narrative import describe_change, describe_trend

NBSP = "\u00a0"


def change(before, after, ratio, lo, hi, p, *, alpha=0.05, too_few=None) -> ChangeTest:
    if too_few is None:
        too_few = before + after < 10
    return ChangeTest(before, after, 1.0, 1.0, ratio, lo, hi, p, alpha, p < alpha, too_few, "test")


def trend(est, lo, hi, p, *, alpha=0.05, too_few=False, first=2017, last=2024) -> TrendTest:
    return TrendTest(first, last, last - first + 1, est, lo, hi, p, 1.2, alpha, p < alpha, too_few, "test")


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


class TestDescribeChange:
    def test_detectable_decrease_with_ratio_and_interval(self):
        t = change(1234, 1100, 0.89, 0.82, 0.97, 0.003)
        text = describe_change("Anmälda skadegörelsebrott", t, 2023, 2024, 1234, 1100)
        assert plain(text) == (
            "Anmälda skadegörelsebrott per 100 000 invånare minskade från 1 234 (2023) till "
            "1 100 (2024); förändringen är statistiskt säkerställd (kvot 0,89; 95 % KI 0,82–0,97; p = 0,003)."
        )
        assert f"1{NBSP}234" in text and f"95{NBSP}%" in text  # fmt's non-breaking spaces

    def test_small_numbers_are_never_a_percentage(self):
        t = change(2, 4, 2.0, 0.29, 22.1, 0.48)
        text = describe_change("Anmälda narkotikabrott", t, 2023, 2024, 2, 4, unit="")
        assert text == (
            "Anmälda narkotikabrott ökade från 2 (2023) till 4 (2024); det är ingen statistiskt "
            "säkerställd förändring (p = 0,48), och antalen är för små för att säga något säkert om utvecklingen."
        )
        for banned in ("+100", "100 %", f"100{NBSP}%", "kvot", "dubbl", "2,00", "%"):
            assert banned not in text

    def test_increase_not_detectable_with_enough_events_gives_interval(self):
        t = change(40, 48, 1.2, 0.79, 1.83, 0.39)
        text = plain(describe_change("Anmälda rån", t, 2023, 2024, 40, 48, unit=""))
        assert text == (
            "Anmälda rån ökade från 40 (2023) till 48 (2024); det är ingen statistiskt säkerställd "
            "förändring (kvot 1,20; 95 % KI 0,79–1,83; p = 0,39)."
        )

    def test_unchanged_values(self):
        t = change(300, 301, 1.003, 0.86, 1.17, 0.97)
        text = plain(describe_change("Anmälda stölder", t, 2023, 2024, 612.4, 611.6))
        assert text.startswith("Anmälda stölder per 100 000 invånare låg oförändrat på 612 (2023 och 2024); ")
        assert "ingen statistiskt säkerställd förändring" in text
        assert "ökade" not in text and "minskade" not in text

    def test_unchanged_as_shown_but_detectable(self):
        t = change(150_000, 151_500, 1.01, 1.003, 1.017, 0.006)
        text = describe_change("Anmälda brott", t, 2023, 2024, 15_000.2, 15_000.4)
        assert "i stort sett oförändrat" in text and "förändringen är statistiskt säkerställd" in text

    def test_zero_to_zero(self):
        t = change(0, 0, math.nan, 0.0, math.inf, 1.0)
        text = describe_change("Anmälda mord", t, 2023, 2024, 0, 0, unit="")
        assert text == (
            "Anmälda mord låg oförändrat på 0 (2023 och 2024); det är ingen statistiskt säkerställd "
            "förändring (p = 1,00), och antalen är för små för att säga något säkert om utvecklingen."
        )
        assert "nan" not in text.lower() and "inf" not in text

    def test_zero_to_many_has_no_infinite_ratio(self):
        t = change(0, 50, math.inf, 12.0, math.inf, 1.8e-15)
        text = describe_change("Anmälda bedrägerier", t, 2023, 2024, 0, 50, unit="")
        assert text == (
            "Anmälda bedrägerier ökade från 0 (2023) till 50 (2024); förändringen är statistiskt säkerställd (p < 0,001)."
        )

    def test_detectable_but_too_few(self):
        t = change(0, 9, math.inf, 1.9, math.inf, 0.0012)
        text = describe_change("Anmälda rån", t, 2023, 2024, 0, 9, unit="")
        assert "förändringen är statistiskt säkerställd (p = 0,001)" in text
        assert "antalen är små" in text and "kvot" not in text

    def test_many_to_zero(self):
        t = change(12, 0, 0.0, 0.0, 0.36, 0.0002)
        text = describe_change("Anmälda rån", t, 2023, 2024, 12, 0, unit="")
        assert "minskade från 12 (2023) till 0 (2024)" in text and "kvot" not in text

    def test_confidence_level_follows_alpha(self):
        t = change(400, 340, 0.85, 0.75, 0.96, 0.02, alpha=0.1)
        assert f"90{NBSP}% KI" in describe_change("X", t, 2023, 2024, 400, 340, unit="")
        t = change(400, 340, 0.85, 0.71, 1.01, 0.02, alpha=0.001)
        assert f"99,9{NBSP}% KI" in describe_change("X", t, 2023, 2024, 400, 340, unit="")

    def test_decimals_and_unit(self):
        t = change(400, 340, 0.85, 0.75, 0.96, 0.02)
        text = plain(describe_change("Våld", t, 2022, 2024, 12.345, 10.5, unit="per 1 000 invånare", decimals=1))
        assert text.startswith("Våld per 1 000 invånare minskade från 12,3 (2022) till 10,5 (2024);")

    def test_plain_text_is_not_escaped(self):
        t = change(400, 340, 0.85, 0.75, 0.96, 0.02)
        text = describe_change("Stöld & snatteri <butik>", t, 2023, 2024, 400, 340, unit="")
        assert text.startswith("Stöld & snatteri <butik> minskade") and "&amp;" not in text

    def test_values_contradicting_the_test_are_refused(self):
        t = change(400, 340, 0.85, 0.75, 0.96, 0.02)
        with pytest.raises(ValueError, match="opposite directions"):
            describe_change("X", t, 2023, 2024, 340, 400)

    def test_small_rounding_disagreement_is_tolerated(self):
        # published rates rounded to whole numbers vs. the test on counts and population
        t = change(1000, 1000, 0.999, 0.91, 1.09, 0.98)
        assert "ökade från 1 234 (2023) till 1 235 (2024)" in plain(describe_change("X", t, 2023, 2024, 1234, 1235))

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"value_before": math.nan}, "value_before"),
            ({"value_after": math.inf}, "value_after"),
            ({"decimals": -1}, "decimals"),
            ({"year_after": 2023}, "year_after"),
        ],
    )
    def test_invalid_input(self, kwargs, message):
        args = {"subject": "X", "test": change(400, 340, 0.85, 0.75, 0.96, 0.02), "year_before": 2023,
                "year_after": 2024, "value_before": 400, "value_after": 340}
        args.update(kwargs)
        with pytest.raises(ValueError, match=message):
            describe_change(**args)


class TestDescribeTrend:
    def test_detectable_decrease(self):
        text = describe_trend("Anmälda bostadsinbrott per 100 000 invånare", trend(-6.2, -9.1, -3.2, 0.0004))
        assert plain(text) == (
            "Anmälda bostadsinbrott per 100 000 invånare har minskat med i genomsnitt 6 % per år "
            "2017–2024 (95 % KI −9 till −3 %); trenden är statistiskt säkerställd (p < 0,001)."
        )
        assert "\u2212" in text  # typographic minus from fmt

    def test_detectable_increase(self):
        text = plain(describe_trend("Anmälda våldtäkter", trend(4.6, 1.8, 7.5, 0.002)))
        assert text == (
            "Anmälda våldtäkter har ökat med i genomsnitt 5 % per år 2017–2024 (95 % KI +2 till +8 %); "
            "trenden är statistiskt säkerställd (p = 0,002)."
        )

    def test_not_detectable(self):
        text = plain(describe_trend("Anmälda rån", trend(-1.8, -5.2, 1.4, 0.41)))
        assert text == (
            "Anmälda rån visar ingen statistiskt säkerställd trend 2017–2024 "
            "(i genomsnitt −2 % per år; 95 % KI −5 till +1 %; p = 0,41)."
        )

    def test_too_few(self):
        t = TrendTest(2022, 2024, 3, *(math.nan,) * 4, math.nan, 0.05, False, True, "")
        assert describe_trend("Anmälda rån", t) == "För få år eller för få fall för att bedöma en trend."

    def test_no_estimate(self):
        t = TrendTest(2021, 2024, 4, *(math.nan,) * 4, math.nan, 0.05, False, False, "")
        assert describe_trend("Anmälda rån", t) == "Anmälda rån: det går inte att skatta någon trend 2021–2024."

    def test_small_trend_gets_decimals(self):
        text = plain(describe_trend("Anmälda brott", trend(0.3, 0.1, 0.5, 0.01)))
        assert "i genomsnitt 0,3 % per år" in text and "KI +0,1 till +0,5 %" in text

    def test_confidence_level_follows_alpha(self):
        text = describe_trend("X", trend(-6.2, -8.5, -3.9, 0.0004, alpha=0.1))
        assert f"90{NBSP}% KI" in text

    def test_missing_interval_in_hand_made_result(self):
        with pytest.raises(ValueError, match="ci_low_pct"):
            describe_trend("X", trend(-6.2, math.nan, -3.2, 0.0004))


class TestDescribeChangeWithPeriodLabels:
    def test_twelve_month_windows_as_labels(self):
        from lagesbild.stats.counts import poisson_change

        text = describe_change("Polisens händelser", poisson_change(117, 129), "jan 2024–dec 2024", "jan 2025–dec 2025",
                               117, 129, unit="")
        assert text.startswith("Polisens händelser ökade från 117 (jan 2024–dec 2024) till 129 (jan 2025–dec 2025);")
        assert "ingen statistiskt säkerställd förändring" in text


class TestMethods:
    """The method texts that :mod:`lagesbild.stats.counts` gives as codes (moved from test_stats.py)."""

    def test_change_method(self):
        from lagesbild.stats.counts import poisson_change
        from lagesbild.text.narrative import change_method

        text = change_method(poisson_change(10, 20))
        assert "E-test" in text and "Krishnamoorthy" in text and "Clopper–Pearson" in text
        with pytest.raises(ValueError, match="unknown method"):
            change_method(change(10, 20, 2.0, 0.9, 4.6, 0.06))

    def test_trend_methods(self):
        from lagesbild.stats.counts import trend_test
        from lagesbild.text.narrative import trend_method

        aids = [12, 14, 33, 50, 67, 74, 123, 141, 165, 204, 253, 246, 240]  # overdispersed
        scaled = trend_method(trend_test(range(1981, 1994), aids))
        assert "kvasi-Poisson" in scaled and "11 frihetsgrader" in scaled and "offset" not in scaled
        exact = trend_method(trend_test([2021, 2022, 2023, 2024], [10, 20, 40, 80], exposure=[1000, 2000, 4000, 8000]))
        assert "ingen överspridning" in exact and "offset" in exact
        assert "minst 4 år" in trend_method(trend_test([2022, 2023, 2024], [40, 50, 60]))
        assert "sista" in trend_method(trend_test([2021, 2022, 2023, 2024], [0, 0, 0, 12]))
        assert "första" in trend_method(trend_test([2021, 2022, 2023, 2024], [12, 0, 0, 0]))
        with pytest.raises(ValueError, match="unknown method"):
            trend_method(trend(-6.0, -9.0, -3.0, 0.001))
