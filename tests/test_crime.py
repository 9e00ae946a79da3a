"""Unit tests of lagesbild.crime with small hand-made frames (expected values worked out by hand)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from lagesbild import crime

TZ = "Europe/Stockholm"


def crime_rows(rows):
    return pd.DataFrame(rows, columns=["region_code", "region_name", "year", "indicator", "unit", "value"])


@pytest.fixture
def bra():
    """Falun (2080), Dalarna (20) and riket (00): totals for 2023–2024, one small category."""
    r = []
    for code, name, pop, total in (("2080", "Falun", 60_000, 4_800), ("20", "Dalarnas län", 290_000, 25_000),
                                   ("00", "Hela landet", 10_000_000, 1_400_000)):
        for year, factor in ((2023, 1.0), (2024, 0.9)):
            n = total * factor
            r.append((code, name, year, crime.TOTAL, "Antal", n))
            r.append((code, name, year, crime.TOTAL, "Antal per 100 000 inv", round(n / pop * 100_000)))
    r.append(("2080", "Falun", 2023, "Bilbrott", "Antal", 2.0))
    r.append(("2080", "Falun", 2024, "Bilbrott", "Antal", 4.0))
    r.append(("2080", "Falun", 2023, "Bilbrott", "Antal per 100 000 inv", 3.0))
    r.append(("2080", "Falun", 2024, "Bilbrott", "Antal per 100 000 inv", 7.0))
    return crime_rows(r)


class TestPopulationFromTotals:
    def test_recovers_population_within_rounding(self, bra):
        pop = crime.population_from_totals(bra).set_index(["region_code", "year"])["population"]
        assert pop[("2080", 2023)] == pytest.approx(60_000, rel=1e-3)
        assert pop[("00", 2024)] == pytest.approx(10_000_000, rel=1e-4)

    def test_without_rates_returns_empty(self, bra):
        assert crime.population_from_totals(bra[bra["unit"] == "Antal"]).empty


class TestComparisonFrame:
    def test_levels_and_units_side_by_side(self, bra):
        f = crime.comparison_frame(bra, "2080", "20")
        assert set(f["level"]) == {"kommun", "län", "riket"}
        row = f[(f["level"] == "kommun") & (f["indicator"] == "Bilbrott") & (f["year"] == 2024)].iloc[0]
        assert (row["count"], row["rate"]) == (4.0, 7.0)
        assert row["population"] == pytest.approx(60_000 * 1, rel=1e-2)

    def test_kommun_missing_gives_empty_frame(self, bra):
        assert crime.comparison_frame(bra, "1283", "12").empty


class TestOrderIndicators:
    def test_focus_first_by_prefix_case_insensitive(self):
        ordered, matches = crime.order_indicators(["A brott", "Bilbrott", "Våld x", "Våld y"], ["våld", "Klotter"])
        assert ordered == ["Våld x", "Våld y", "A brott", "Bilbrott"]
        assert matches == {"våld": ["Våld x", "Våld y"], "Klotter": []}


class TestOrderIndicatorsTotalFirst:
    def test_total_always_first(self):
        ordered, _ = crime.order_indicators(["Bilbrott", crime.TOTAL, "Rån"], ["Rån"])
        assert ordered == [crime.TOTAL, "Rån", "Bilbrott"]


class TestSummaryTable:
    def test_uniform_years_go_into_the_headers(self, bra):
        f = crime.comparison_frame(bra, "2080", "20")
        table = crime.summary_table(crime.indicator_summary(f, [crime.TOTAL, "Bilbrott"]))
        assert list(table.columns) == ["Kategori", "Antal 2023 → 2024", "Per 100 000 inv. 2023 → 2024", "Länet 2024",
                                       "Riket 2024", "Förändring", "Trend"]
        bil = table.set_index("Kategori").loc["Bilbrott"]
        assert bil["Antal 2023 → 2024"] == "2 → 4" and bil["Förändring"] == "för få fall för att bedöma"
        assert bil["Länet 2024"] == "uppgift saknas"

    def test_mixed_years_get_a_year_column(self, bra):
        f = crime.comparison_frame(bra[~((bra["indicator"] == "Bilbrott") & (bra["year"] == 2024))], "2080", "20")
        extra = f[(f["indicator"] == "Bilbrott")].assign(year=2022, count=1.0)
        s = crime.indicator_summary(pd.concat([f, extra]), [crime.TOTAL, "Bilbrott"])
        table = crime.summary_table(s)
        assert "År" in table.columns and table.set_index("Kategori").loc["Bilbrott", "År"] == "2022 → 2023"


class TestIndicatorSummary:
    def test_last_two_years_and_reference_rates(self, bra):
        f = crime.comparison_frame(bra, "2080", "20")
        s = crime.indicator_summary(f, [crime.TOTAL, "Bilbrott"]).set_index("indicator")
        assert s.loc[crime.TOTAL, "count_before"] == 4800 and s.loc[crime.TOTAL, "count_after"] == 4320
        assert s.loc[crime.TOTAL, "rate_riket"] == 12_600  # 1 260 000 / 10 000 000 × 100 000
        assert s.loc[crime.TOTAL, "change"].detectable  # −10 % on 4 800 events is clear
        assert not s.loc["Bilbrott", "change"].detectable and s.loc["Bilbrott", "change"].too_few


class TestEvents:
    def test_kommun_events_drops_summaries_and_lan_level(self):
        ev = pd.DataFrame({"kommun_kod": ["2080", "2080", None], "type": ["Rån", "Sammanfattning kväll och natt", "Rån"]})
        assert crime.kommun_events(ev, "2080")["type"].tolist() == ["Rån"]

    def test_complete_months_excludes_partial_first_and_last(self):
        t = pd.to_datetime(["2023-01-01 00:00", "2023-03-31 23:59"]).tz_localize(TZ)
        assert crime.complete_months(pd.DataFrame({"datetime": t})) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-03-01"))

    def test_event_coverage_stops_when_the_kommun_is_no_longer_named(self):
        months = pd.date_range("2024-01-01", periods=5, freq="MS").tz_localize(TZ)
        t = months.repeat(10)  # the archive starts at midnight on 1 January: January is complete
        t = t.append(pd.DatetimeIndex([pd.Timestamp("2024-06-30 23:00", tz=TZ)]))
        placed = ["2080"] * 30 + [None] * 21  # months 4 and 5 only at län level
        assert crime.event_coverage(pd.DataFrame({"datetime": t, "kommun_kod": placed})) == (
            pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01"))

    def test_event_coverage_is_none_when_no_event_names_a_kommun(self):
        t = pd.date_range("2024-01-01", periods=3, freq="MS").tz_localize(TZ).repeat(5)
        assert crime.event_coverage(pd.DataFrame({"datetime": t, "kommun_kod": [None] * 15})) is None

    def test_weekday_hour_and_peak(self):
        t = pd.to_datetime(["2024-05-10 22:15", "2024-05-10 22:50", "2024-05-11 03:00"]).tz_localize(TZ)  # Fri, Fri, Sat
        m = crime.weekday_hour_matrix(pd.DataFrame({"datetime": t}))
        assert m.shape == (7, 24) and m.to_numpy().sum() == 3
        assert crime.peak_time(m) == (4, 22, 2)

    def test_type_table_recent_and_previous(self):
        t = pd.to_datetime(["2024-12-31", "2024-01-01", "2023-12-31", "2022-12-31"]).tz_localize(TZ)
        ev = pd.DataFrame({"datetime": t, "type": ["Rån", "Rån", "Stöld", "Rån"]})
        out = crime.type_table(ev, pd.Timestamp("2024-12-01")).set_index("type")
        assert out.loc["Rån"].tolist() == [2, 0] and out.loc["Stöld"].tolist() == [0, 1]

    def test_monthly_counts_fill_zero_months(self):
        t = pd.to_datetime(["2024-01-15", "2024-03-15"]).tz_localize(TZ)
        m = crime.monthly_counts(pd.DataFrame({"datetime": t, "type": ["Rån", "Rån"]}), pd.Timestamp("2024-01-01"),
                                 pd.Timestamp("2024-03-01"))
        assert m["count"].tolist() == [1, 0, 1]


class TestNeighbourValues:
    @pytest.fixture
    def geo(self):
        return gpd.GeoDataFrame({"kommun_kod": ["2080", "2081", "2082"], "kommun": ["Falun", "Borlänge", "Säter"]},
                                geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], crs=4326)

    def test_uses_bra_when_kommun_and_a_peer_have_it(self, bra, geo):
        extra = crime_rows([("2081", "Borlänge", 2024, crime.TOTAL, "Antal per 100 000 inv", 9000.0)])
        area, info = crime.neighbour_values(pd.concat([bra, extra]), pd.DataFrame(), pd.DataFrame(), geo, "2080",
                                            ["2081", "2082"], pd.Timestamp("2024-12-01"))
        assert info["measure"] == "bra" and info["rank"] == 2 and info["n"] == 2
        assert area.set_index("kommun_kod")["value"].isna().tolist() == [False, False, True]

    def test_nothing_to_show_without_bra_and_without_comparable_events(self, geo):
        area, info = crime.neighbour_values(crime_rows([]), pd.DataFrame(), pd.DataFrame(), geo, "2080", ["2081"], None)
        assert info["measure"] == "none" and info["rank"] is None and area["value"].isna().all()

    def test_falls_back_to_events_per_1000(self, geo):
        t = pd.to_datetime(["2024-12-05"] * 3).tz_localize(TZ)
        ev = pd.DataFrame({"datetime": t, "kommun_kod": ["2080", "2080", "2082"]})
        pop = pd.DataFrame({"kommun_kod": ["2080", "2081", "2082"], "year": [2019] * 3, "population": [2000, 1000, 500]})
        area, info = crime.neighbour_values(crime_rows([]), ev, pop, geo, "2080", ["2081", "2082"], pd.Timestamp("2024-12-01"))
        assert info["measure"] == "events"
        assert area.set_index("kommun_kod")["value"].to_dict() == {"2080": 1.0, "2081": 0.0, "2082": 2.0}
        assert info["rank"] == 2 and info["value"] == 1.0


class TestHeadlineChanges:
    def test_total_then_focus_then_by_p_value_with_limit(self, bra):
        from types import SimpleNamespace as T

        s = pd.DataFrame({"indicator": ["X", crime.TOTAL, "F", "Y", "Z"],
                          "change": [T(detectable=True, p_value=0.001), T(detectable=True, p_value=0.2),
                                     T(detectable=True, p_value=0.03), T(detectable=False, p_value=0.5),
                                     T(detectable=True, p_value=0.01)]})
        rows, left = crime.headline_changes(s, focus=["F"], limit=2)
        assert rows["indicator"].tolist() == [crime.TOTAL, "F", "X"]
        assert left == 1


class TestIndicatorFigures:
    def test_json_ready_with_missing_values_as_none(self, bra):
        import json

        f = crime.comparison_frame(bra, "2080", "20")
        figures = crime.indicator_figures(crime.indicator_summary(f, [crime.TOTAL, "Bilbrott"]))
        json.dumps(figures, allow_nan=False)  # no NaN or inf reaches the JSON
        bil = figures[1]
        assert bil["indicator"] == "Bilbrott" and (bil["count"], bil["previous_count"]) == (4, 2)
        assert bil["rate_lan"] is None  # the län has no Bilbrott rows
        assert bil["change"]["too_few"] is True and bil["change"]["detectable"] is False
