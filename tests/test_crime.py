"""Unit tests of lagesbild.crime.analysis (and reported, events, groups) with small hand-made frames (expected values worked out by hand)."""

from __future__ import annotations

from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from lagesbild.crime import analysis as crime
from lagesbild.crime import events, groups, reported
from lagesbild.sources import categories

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
            r.append((code, name, year, reported.TOTAL, "Antal", n))
            r.append((code, name, year, reported.TOTAL, "Antal per 100 000 inv", round(n / pop * 100_000)))
    r.append(("2080", "Falun", 2023, "Bilbrott", "Antal", 2.0))
    r.append(("2080", "Falun", 2024, "Bilbrott", "Antal", 4.0))
    r.append(("2080", "Falun", 2023, "Bilbrott", "Antal per 100 000 inv", 3.0))
    r.append(("2080", "Falun", 2024, "Bilbrott", "Antal per 100 000 inv", 7.0))
    return crime_rows(r)


# ------------------------------------------------------------------------------------------------------------
# A small country of three kommuner in two län: every kommun, län sums, one basis per category

INBROTT = "Inbrottsstöld i bostad"
RATE = "Antal per 100 000 inv"
KOMMUNER = pd.DataFrame({"kommun_kod": ["2080", "2081", "0114"],
                         "kommun": ["Falun", "Borlänge", "Upplands Väsby"],
                         "lan_kod": ["20", "20", "01"],
                         "lan": ["Dalarnas län", "Dalarnas län", "Stockholms län"]})


def scb(rows):
    """SCB's population at 31 December: (kommun, year, population)."""
    return pd.DataFrame([{"kommun_kod": k, "kommun": k, "year": y, "population": p} for k, y, p in rows])


def country_rows(preliminary_year=2025):
    """Three kommuner, 2024–2025, in Brå's shape.

    * All reported crime, count and rate: Falun 6 000 of 60 000 inhabitants (10 000 per 100 000),
      Borlänge 4 000 of 50 000, Upplands Väsby 3 000 of 50 000 in 2024; Falun 6 600 and Upplands Väsby
      3 300 in 2025. Brå's own riket (1,5 million, counting crimes placed in no kommun) and Dalarna.
    * Inbrottsstöld i bostad, counts only; Upplands Väsby has no 2025 figure, Brå's riket has one.
    * Bilbrott (a kommunindikator): only Falun among the kommuner, and Brå's Dalarna and riket.
    """
    r = []
    for code, year, count, rate in (
            ("2080", 2024, 6000, 10_000), ("2081", 2024, 4000, 8000), ("0114", 2024, 3000, 6000),
            ("2080", 2025, 6600, 11_000), ("2081", 2025, 4000, 8000), ("0114", 2025, 3300, 6600),
            ("00", 2024, 1_500_000, 14_250), ("00", 2025, 1_550_000, 14_500), ("20", 2024, 11_000, 10_000)):
        r += [(code, code, year, reported.TOTAL, "Antal", float(count)),
              (code, code, year, reported.TOTAL, RATE, float(rate))]
    for code, year, count in (("2080", 2024, 120), ("2081", 2024, 100), ("0114", 2024, 30),
                              ("2080", 2025, 150), ("2081", 2025, 80), ("00", 2025, 20_000)):
        r.append((code, code, year, INBROTT, "Antal", float(count)))
    for code, year, count, rate in (("2080", 2024, 45, 75), ("2080", 2025, 60, 100), ("20", 2024, 400, 140),
                                    ("20", 2025, 420, 147), ("00", 2024, 40_000, 380),
                                    ("00", 2025, 41_000, 390)):
        r += [(code, code, year, "Bilbrott", "Antal", float(count)),
              (code, code, year, "Bilbrott", RATE, float(rate))]
    rows = crime_rows(r)
    return rows.assign(preliminary=rows["year"] == preliminary_year)


@pytest.fixture
def country():
    return country_rows()


def kommun_frame(indicator, years, count, rate, population):
    """A comparison frame of only the kommun's rows."""
    return pd.DataFrame({"level": "kommun", "indicator": indicator, "year": years, "count": count,
                         "rate": rate, "population": population, "preliminary": False})


NAN = float("nan")


class TestPopulationFromTotals:
    def test_recovers_population_within_rounding(self, bra):
        pop = reported.population_from_totals(bra).set_index(["region_code", "year"])["population"]
        assert pop[("2080", 2023)] == pytest.approx(60_000, rel=1e-3)
        assert pop[("00", 2024)] == pytest.approx(10_000_000, rel=1e-4)

    def test_without_rates_returns_empty(self, bra):
        assert reported.population_from_totals(bra[bra["unit"] == "Antal"]).empty


class TestComparisonFrame:
    def test_levels_and_units_side_by_side(self, bra):
        f = reported.comparison_frame(bra, "2080", "20")
        assert set(f["level"]) == {"kommun", "län", "riket"}
        row = f[(f["level"] == "kommun") & (f["indicator"] == "Bilbrott") & (f["year"] == 2024)].iloc[0]
        assert (row["count"], row["rate"]) == (4.0, 7.0)
        assert row["population"] == pytest.approx(60_000 * 1, rel=1e-2)

    def test_kommun_missing_gives_empty_frame(self, bra):
        assert reported.comparison_frame(bra, "1283", "12").empty

    def country_frame(self, country):
        f = reported.comparison_frame(country, "2080", "20", None, KOMMUNER)
        return f.set_index(["level", "indicator", "year"])

    def test_sums_of_the_kommuner_for_a_category_every_kommun_has(self, country):
        f = self.country_frame(country)
        lan, riket = f.loc[("län", reported.TOTAL, 2024)], f.loc[("riket", reported.TOTAL, 2024)]
        assert (lan["basis"], lan["count"], lan["population"]) == ("summa", 10_000, 110_000)
        assert lan["n_kommuner"] == 2
        assert lan["rate"] == pytest.approx(10_000 / 110_000 * 100_000)
        assert lan["region_name"] == "Dalarnas län"
        # riket is all kommuner together (13 000 of 160 000), not Brå's 1,5 million
        assert (riket["basis"], riket["count"], riket["n_kommuner"]) == ("summa", 13_000, 3)
        assert riket["rate"] == pytest.approx(8125) and riket["region_name"] == "Riket"
        assert riket["population_basis"] == "summa"

    def test_one_basis_for_all_years_of_a_category(self, country):
        f = self.country_frame(country).reset_index()
        inbrott = f[(f["indicator"] == INBROTT) & (f["level"] == "riket")]
        # 2025 lacks Upplands Väsby: no sum that year, and Brå's riket (20 000) does not fill the gap
        assert inbrott["year"].tolist() == [2024] and set(inbrott["basis"]) == {"summa"}
        assert inbrott["count"].tolist() == [250]
        lan = f[(f["indicator"] == INBROTT) & (f["level"] == "län")].set_index("year")
        assert lan["count"].to_dict() == {2024: 220, 2025: 230}

    def test_bra_own_regions_when_no_sum_is_ever_complete(self, country):
        f = self.country_frame(country).reset_index()
        cars = f[(f["indicator"] == "Bilbrott") & (f["level"] != "kommun")]
        assert set(cars["basis"]) == {"brå"} and cars["n_kommuner"].isna().all()
        assert cars.set_index(["level", "year"])["count"].to_dict() == {
            ("län", 2024): 400, ("län", 2025): 420, ("riket", 2024): 40_000, ("riket", 2025): 41_000}

    def test_kommun_rows_and_preliminary_carried(self, country):
        f = self.country_frame(country)
        own = f.loc[("kommun", INBROTT, 2025)]
        assert (own["basis"], own["n_kommuner"], own["count"]) == ("kommun", 1, 150)
        assert own["rate"] == pytest.approx(250) and own["rate_derived"]  # 150 of Brå's 60 000
        assert own["preliminary"] and not f.loc[("kommun", INBROTT, 2024), "preliminary"]
        assert f.loc[("län", reported.TOTAL, 2025), "preliminary"]
        assert f.loc[("riket", "Bilbrott", 2025), "preliminary"]

    def test_without_the_kommun_table_bra_own_regions(self, bra):
        # Falun's count and population are known, but without the kommun table it is not its län's only kommun
        f = reported.comparison_frame(bra, "2080", "20").set_index(["level", "indicator", "year"])
        riket = f.loc[("riket", reported.TOTAL, 2024)]
        assert riket["basis"] == "brå" and riket["count"] == 1_260_000
        assert ("län", "Bilbrott", 2024) not in f.index

    def test_precomputed_table_and_sums_give_the_same_frame(self, country):
        table = reported.kommun_table(country, KOMMUNER)
        sums = reported.region_sums(table, KOMMUNER)
        given = reported.comparison_frame(country, "2080", "20", None, KOMMUNER, table=table, sums=sums)
        pd.testing.assert_frame_equal(given, reported.comparison_frame(country, "2080", "20", None, KOMMUNER))


class TestOrderIndicators:
    def test_focus_first_by_prefix_case_insensitive(self):
        ordered, matches = reported.order_indicators(["A brott", "Bilbrott", "Våld x", "Våld y"], ["våld", "Klotter"])
        # the rest: a kommunindikator (Bilbrott) before a category neither set knows
        assert ordered == ["Våld x", "Våld y", "Bilbrott", "A brott"]
        assert matches == {"våld": ["Våld x", "Våld y"], "Klotter": []}

    def test_focus_area_gets_the_broader_sol_category(self):
        person, adults = "Brott mot person (3–7 kap. BrB)", "Våld i offentlig miljö mot vuxna"
        focus = "Våld i offentlig miljö"
        ordered, matches = reported.order_indicators(["Bilbrott", person, reported.TOTAL, adults], [focus])
        assert matches == {focus: [adults, person]}  # direct, then the broader SOL category
        assert ordered == [reported.TOTAL, adults, person, "Bilbrott"]

    def test_rest_in_report_order_sol_first(self):
        drugs, burglary = "Narkotikabrott + vapenlagsbrott", "Inbrottsstöld i bostad"
        ordered, _ = reported.order_indicators(["Cykelstöld", "Bilbrott", drugs, burglary, reported.TOTAL], [])
        assert ordered == [reported.TOTAL, burglary, drugs, "Bilbrott", "Cykelstöld"]


class TestOrderIndicatorsTotalFirst:
    def test_total_always_first(self):
        ordered, _ = reported.order_indicators(["Bilbrott", reported.TOTAL, "Rån"], ["Rån"])
        assert ordered == [reported.TOTAL, "Rån", "Bilbrott"]


class TestSummaryTable:
    def test_uniform_years_go_into_the_headers(self, bra):
        f = reported.comparison_frame(bra, "2080", "20")
        table = reported.summary_table(reported.indicator_summary(f, [reported.TOTAL, "Bilbrott"]))
        assert list(table.columns) == ["Kategori", "Antal 2023 → 2024", "Per 100 000 inv. 2023 → 2024", "Länet 2024",
                                       "Riket 2024", "Förändring", "Trend"]
        bil = table.set_index("Kategori").loc["Bilbrott"]
        assert bil["Antal 2023 → 2024"] == "2 → 4" and bil["Förändring"] == "för få fall för att bedöma"
        assert bil["Länet 2024"] == "–"  # no Bilbrott rows for the län

    def test_mixed_years_get_a_year_column(self, bra):
        f = reported.comparison_frame(bra[~((bra["indicator"] == "Bilbrott") & (bra["year"] == 2024))], "2080", "20")
        extra = f[(f["indicator"] == "Bilbrott")].assign(year=2022, count=1.0)
        s = reported.indicator_summary(pd.concat([f, extra]), [reported.TOTAL, "Bilbrott"])
        table = reported.summary_table(s)
        assert "År" in table.columns and table.set_index("Kategori").loc["Bilbrott", "År"] == "2022 → 2023"

    def summary(self, preliminary=False):
        total = kommun_frame(reported.TOTAL, [2024, 2025], [6000.0, 6600.0], [10_000.0, 11_000.0],
                             [60_000.0, 60_000.0]).assign(preliminary=preliminary)
        bikes = kommun_frame("Cykelstöld", [2024, 2025], [120.0, 150.0], [200.0, NAN], [60_000.0, NAN])
        return pd.concat([reported.indicator_summary(total, [reported.TOTAL]),
                          reported.indicator_summary(bikes, ["Cykelstöld"])], ignore_index=True)

    def test_untested_change_and_missing_values(self):
        t = reported.summary_table(self.summary()).set_index("Kategori")
        bike = t.loc["Cykelstöld"]
        assert bike["Förändring"] == "kan inte prövas" and bike["Trend"] == "för få år eller fall"
        assert bike["Per 100 000 inv. 2024 → 2025"] == "200 → –"
        assert bike["Länet 2025"] == "–" and bike["Riket 2025"] == "–"
        assert t.loc[reported.TOTAL, "Förändring"] == "säkerställd ökning"

    def test_preliminary_in_the_headers(self):
        t = reported.summary_table(self.summary(preliminary=True))
        assert "Antal 2024 → 2025 (prel.)" in t.columns and "Riket 2025 (prel.)" in t.columns

    def test_preliminary_and_a_missing_year_in_the_year_column(self):
        one_year = kommun_frame("A", [2026], [5.0], [8.0], [60_000.0]).assign(preliminary=True)
        summary = pd.concat([self.summary(), reported.indicator_summary(one_year, ["A"])], ignore_index=True)
        t = reported.summary_table(summary).set_index("Kategori")
        assert t.loc["A", "År"] == "– → 2026 (prel.)" and t.loc[reported.TOTAL, "År"] == "2024 → 2025"
        assert t.loc["A", "Antal"] == "– → 5"


class TestIndicatorSummary:
    def test_last_two_years_and_reference_rates(self, bra):
        f = reported.comparison_frame(bra, "2080", "20")
        s = reported.indicator_summary(f, [reported.TOTAL, "Bilbrott"]).set_index("indicator")
        assert s.loc[reported.TOTAL, "count_before"] == 4800 and s.loc[reported.TOTAL, "count_after"] == 4320
        assert s.loc[reported.TOTAL, "rate_riket"] == 12_600  # 1 260 000 / 10 000 000 × 100 000
        assert s.loc[reported.TOTAL, "change"].detectable  # −10 % on 4 800 events is clear
        assert not s.loc["Bilbrott", "change"].detectable and s.loc["Bilbrott", "change"].too_few

    def test_counts_and_population_are_tested(self, country):
        f = reported.comparison_frame(country, "2080", "20", None, KOMMUNER)
        s = reported.indicator_summary(f, [reported.TOTAL, INBROTT, "Bilbrott"]).set_index("indicator")
        total = s.loc[reported.TOTAL]
        assert (total["year_before"], total["year_after"]) == (2024, 2025)
        assert (total["count_before"], total["count_after"]) == (6000, 6600)
        assert total["change"].rate_ratio == pytest.approx(1.1)  # same population both years
        assert total["change"].detectable and total["change_reason"] == ""
        assert (total["trend"].first_year, total["trend"].last_year) == (2024, 2025)
        assert total["rate_lan"] == pytest.approx(10_600 / 110_000 * 100_000)  # the sums, not Brå's
        assert total["rate_riket"] == pytest.approx(13_900 / 160_000 * 100_000)
        assert total["preliminary"] and total["missing_population"] == []
        assert pd.isna(s.loc[INBROTT, "rate_riket"])  # no complete riket sum in 2025
        assert s.loc["Bilbrott", "rate_riket"] == 390

    def test_rates_only_without_population(self):
        f = kommun_frame("Våldsbrott", [2025, 2026], NAN, [900.0, 950.0], NAN)
        row = reported.indicator_summary(f, ["Våldsbrott"]).iloc[0]
        assert row["change"] is None and row["trend"] is None and row["change_reason"] == reported.NO_COUNTS
        assert (row["rate_before"], row["rate_after"]) == (900, 950)
        assert row["missing_population"] == [2025, 2026]

    def test_counts_without_population_for_the_latest_year(self):
        f = kommun_frame("Cykelstöld", [2024, 2025, 2026], [110.0, 120.0, 150.0], [183.0, 200.0, NAN],
                         [60_000.0, 60_000.0, NAN])
        row = reported.indicator_summary(f, ["Cykelstöld"]).iloc[0]
        assert row["change"] is None and row["change_reason"] == reported.NO_POPULATION
        assert (row["count_before"], row["count_after"]) == (120, 150)
        assert row["missing_population"] == [2026]
        # the trend still runs over the years with a population
        assert (row["trend"].first_year, row["trend"].last_year) == (2024, 2025)

    def test_rates_only_in_the_latest_year_without_population(self):
        f = kommun_frame("Cykelstöld", [2025, 2026], [120.0, NAN], [200.0, 210.0], [60_000.0, NAN])
        row = reported.indicator_summary(f, ["Cykelstöld"]).iloc[0]
        assert row["change"] is None and row["change_reason"] == reported.NO_COUNTS

    def test_a_single_year(self):
        f = kommun_frame("Cykelstöld", [2026], [150.0], [250.0], [60_000.0])
        row = reported.indicator_summary(f, ["Cykelstöld"]).iloc[0]
        assert row["change"] is None and row["trend"] is None
        assert row["change_reason"] == reported.NO_PREVIOUS_YEAR
        assert row["year_before"] is None and pd.isna(row["count_before"]) and row["year_after"] == 2026

    def test_every_category_the_kommun_has_in_the_given_order(self):
        f = pd.concat([kommun_frame("A", [2026], [1.0], [2.0], [50_000.0]),
                       kommun_frame("B", [2026], [3.0], [6.0], [50_000.0])])
        # no row for Rån, which the kommun does not have
        assert reported.indicator_summary(f, ["B", "Rån", "A"])["indicator"].tolist() == ["B", "A"]


class TestEvents:
    def test_kommun_events_drops_summaries_and_lan_level(self):
        ev = pd.DataFrame({"kommun_kod": ["2080", "2080", None], "type": ["Rån", "Sammanfattning kväll och natt", "Rån"]})
        assert events.kommun_events(ev, "2080")["type"].tolist() == ["Rån"]

    def test_complete_months_excludes_partial_first_and_last(self):
        t = pd.to_datetime(["2023-01-01 00:00", "2023-03-31 23:59"]).tz_localize(TZ)
        assert events.complete_months(pd.DataFrame({"datetime": t})) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-03-01"))

    def test_event_coverage_stops_when_the_kommun_is_no_longer_named(self):
        months = pd.date_range("2024-01-01", periods=5, freq="MS").tz_localize(TZ)
        t = months.repeat(10)  # the archive starts at midnight on 1 January: January is complete
        t = t.append(pd.DatetimeIndex([pd.Timestamp("2024-06-30 23:00", tz=TZ)]))
        placed = ["2080"] * 30 + [None] * 21  # months 4 and 5 only at län level
        assert events.event_coverage(pd.DataFrame({"datetime": t, "kommun_kod": placed})) == (
            pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01"))

    def test_event_coverage_is_none_when_no_event_names_a_kommun(self):
        t = pd.date_range("2024-01-01", periods=3, freq="MS").tz_localize(TZ).repeat(5)
        assert events.event_coverage(pd.DataFrame({"datetime": t, "kommun_kod": [None] * 15})) is None

    def test_weekday_hour_and_peak(self):
        t = pd.to_datetime(["2024-05-10 22:15", "2024-05-10 22:50", "2024-05-11 03:00"]).tz_localize(TZ)  # Fri, Fri, Sat
        m = events.weekday_hour_matrix(pd.DataFrame({"datetime": t}))
        assert m.shape == (7, 24) and m.to_numpy().sum() == 3
        assert events.peak_time(m) == (4, 22, 2)

    def test_type_table_recent_and_previous(self):
        t = pd.to_datetime(["2024-12-31", "2024-01-01", "2023-12-31", "2022-12-31"]).tz_localize(TZ)
        ev = pd.DataFrame({"datetime": t, "type": ["Rån", "Rån", "Stöld", "Rån"]})
        out = events.type_table(ev, pd.Timestamp("2024-12-01")).set_index("type")
        assert out.loc["Rån"].tolist() == [2, 0] and out.loc["Stöld"].tolist() == [0, 1]

    def test_monthly_counts_fill_zero_months(self):
        t = pd.to_datetime(["2024-01-15", "2024-03-15"]).tz_localize(TZ)
        m = events.monthly_counts(pd.DataFrame({"datetime": t, "type": ["Rån", "Rån"]}), pd.Timestamp("2024-01-01"),
                                 pd.Timestamp("2024-03-01"))
        assert m["count"].tolist() == [1, 0, 1]


class TestNeighbourValues:
    @pytest.fixture
    def geo(self):
        return gpd.GeoDataFrame({"kommun_kod": ["2080", "2081", "2082"], "kommun": ["Falun", "Borlänge", "Säter"]},
                                geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], crs=4326)

    def test_uses_bra_when_kommun_and_a_peer_have_it(self, bra, geo):
        extra = crime_rows([("2081", "Borlänge", 2024, reported.TOTAL, "Antal per 100 000 inv", 9000.0)])
        area, info = groups.neighbour_values(pd.concat([bra, extra]), pd.DataFrame(), pd.DataFrame(), geo, "2080",
                                            ["2081", "2082"], pd.Timestamp("2024-12-01"))
        assert info["measure"] == "bra" and info["rank"] == 2 and info["n"] == 2
        assert area.set_index("kommun_kod")["value"].isna().tolist() == [False, False, True]

    def test_nothing_to_show_without_bra_and_without_comparable_events(self, geo):
        area, info = groups.neighbour_values(crime_rows([]), pd.DataFrame(), pd.DataFrame(), geo, "2080", ["2081"], None)
        assert info["measure"] == "none" and info["rank"] is None and area["value"].isna().all()

    def test_falls_back_to_events_per_1000(self, geo):
        t = pd.to_datetime(["2024-12-05"] * 3).tz_localize(TZ)
        ev = pd.DataFrame({"datetime": t, "kommun_kod": ["2080", "2080", "2082"]})
        pop = pd.DataFrame({"kommun_kod": ["2080", "2081", "2082"], "year": [2019] * 3, "population": [2000, 1000, 500]})
        area, info = groups.neighbour_values(crime_rows([]), ev, pop, geo, "2080", ["2081", "2082"], pd.Timestamp("2024-12-01"))
        assert info["measure"] == "events"
        assert area.set_index("kommun_kod")["value"].to_dict() == {"2080": 1.0, "2081": 0.0, "2082": 2.0}
        assert info["rank"] == 2 and info["value"] == 1.0


class TestHeadlineChanges:
    def test_total_then_focus_then_by_p_value_with_limit(self, bra):
        from types import SimpleNamespace as T

        s = pd.DataFrame({"indicator": ["X", reported.TOTAL, "F", "Y", "Z"],
                          "change": [T(detectable=True, p_value=0.001), T(detectable=True, p_value=0.2),
                                     T(detectable=True, p_value=0.03), T(detectable=False, p_value=0.5),
                                     T(detectable=True, p_value=0.01)]})
        rows, left = reported.headline_changes(s, focus=["F"], limit=2)
        assert rows["indicator"].tolist() == [reported.TOTAL, "F", "X"]
        assert left == 1

    def test_untested_rows_are_never_chosen(self):
        from types import SimpleNamespace as T

        s = pd.DataFrame({"indicator": [reported.TOTAL, "A", "B", "C"],
                          "change": [None, None, T(detectable=True, p_value=0.01),
                                     T(detectable=False, p_value=0.3)]})
        rows, left = reported.headline_changes(s, focus=["A"])
        assert rows["indicator"].tolist() == ["B"] and left == 0


class TestIndicatorFigures:
    def test_json_ready_with_missing_values_as_none(self, bra):
        import json

        f = reported.comparison_frame(bra, "2080", "20")
        figures = reported.indicator_figures(reported.indicator_summary(f, [reported.TOTAL, "Bilbrott"]))
        json.dumps(figures, allow_nan=False)  # no NaN or inf reaches the JSON
        bil = figures[1]
        assert bil["indicator"] == "Bilbrott" and (bil["count"], bil["previous_count"]) == (4, 2)
        assert bil["rate_lan"] is None  # the län has no Bilbrott rows
        assert bil["change"]["too_few"] is True and bil["change"]["detectable"] is False

    def test_change_none_with_its_reason(self):
        import json

        f = kommun_frame("Cykelstöld", [2024, 2025], [120.0, 150.0], [200.0, NAN], [60_000.0, NAN])
        fig = reported.indicator_figures(reported.indicator_summary(f, ["Cykelstöld"]))[0]
        json.dumps(fig, allow_nan=False)
        assert fig["change"] is None and fig["change_reason"] == "no_population"
        assert (fig["previous_year"], fig["year"]) == (2024, 2025)
        assert (fig["previous_count"], fig["count"]) == (120, 150)
        assert fig["rate"] is None and fig["previous_rate"] == 200 and fig["set"] == "övrigt"

    def test_single_year_has_no_previous_values(self):
        f = kommun_frame(reported.TOTAL, [2026], [150.0], [250.0], [60_000.0])
        fig = reported.indicator_figures(reported.indicator_summary(f, [reported.TOTAL]))[0]
        assert fig["previous_year"] is None and fig["previous_count"] is None and fig["previous_rate"] is None
        assert fig["change_reason"] == "no_previous_year" and fig["trend"] is None and fig["set"] == "sol"


class TestPopulations:
    def test_bra_then_scb_mean_then_scb_year_end(self):
        c = crime_rows([("2080", "Falun", 2024, reported.TOTAL, "Antal", 6000.0),
                        ("2080", "Falun", 2024, reported.TOTAL, RATE, 10_000.0),
                        ("20", "Dalarnas län", 2024, reported.TOTAL, "Antal", 11_000.0),
                        ("20", "Dalarnas län", 2024, reported.TOTAL, RATE, 10_000.0)])
        pop = scb([("2080", 2022, 59_000), ("2080", 2023, 59_400), ("2080", 2024, 59_800),
                   ("2080", 2025, 60_600), ("2081", 2023, 50_000), ("2081", 2024, 50_400)])
        k = KOMMUNER[KOMMUNER["lan_kod"] == "20"]
        p = reported.populations(c, pop, k).set_index(["region_code", "year"])
        expected = {
            ("2080", 2022): (59_000, "scb_31dec"),  # no 2021: no mean
            ("2080", 2023): ((59_000 + 59_400) / 2, "scb_medel"),
            ("2080", 2024): (6000 / 10_000 * 100_000, "brå"),  # Brå's own, although SCB has the year
            ("2080", 2025): ((59_800 + 60_600) / 2, "scb_medel"),
            ("2081", 2023): (50_000, "scb_31dec"),
            ("2081", 2024): ((50_000 + 50_400) / 2, "scb_medel"),
            ("20", 2023): (59_400 + 50_000, "scb_31dec"),  # 2022: Borlänge has no figure, so no län
            ("20", 2024): (110_000, "brå"),  # Brå's own before SCB's mean of 109 400 and 110 200
            ("00", 2023): (109_400, "scb_31dec"),
            ("00", 2024): ((109_400 + 110_200) / 2, "scb_medel"),
        }
        assert sorted(p.index) == sorted(expected)
        for key, (value, basis) in expected.items():
            assert p.loc[key, "population"] == pytest.approx(value), key
            assert p.loc[key, "population_basis"] == basis, key

    def test_only_bra_without_scb(self, country):
        p = reported.populations(country)
        assert set(p["population_basis"]) == {"brå"}
        assert p.set_index(["region_code", "year"]).loc[("2081", 2024), "population"] == pytest.approx(50_000)

    def test_scb_needs_the_kommun_table(self, country):
        p = reported.populations(country, scb([("2080", 2030, 1000)]))
        assert 2030 not in set(p["year"])


class TestKommunTable:
    def table(self):
        c = crime_rows([
            ("2080", "Falun", 2024, reported.TOTAL, "Antal", 6000.0),
            ("2080", "Falun", 2024, reported.TOTAL, RATE, 10_000.0),
            ("2080", "Falun", 2024, INBROTT, "Antal", 120.0),  # count only
            ("2080", "Falun", 2024, "Cykelstöld", RATE, 81.7),  # rate only (Kolada)
            ("2081", "Borlänge", 2024, reported.TOTAL, "Antal", 5000.0),  # count only, SCB's population
            ("0114", "Upplands Väsby", 2024, "Cykelstöld", RATE, 50.0),  # no population at all
            ("20", "Dalarnas län", 2024, reported.TOTAL, "Antal", 11_000.0)])
        c = c.assign(preliminary=(c["indicator"] == INBROTT))
        pop = scb([("2081", 2023, 49_000), ("2081", 2024, 51_000)])
        return reported.kommun_table(c, KOMMUNER, pop).set_index(["region_code", "indicator"])

    def test_only_kommuner_with_their_lan(self):
        t = self.table()
        assert set(t.index.get_level_values("region_code")) == {"2080", "2081", "0114"}
        assert t.loc[("2081", reported.TOTAL), "lan_kod"] == "20"
        assert t.loc[("0114", "Cykelstöld"), "lan_kod"] == "01"

    def test_published_count_and_rate_stay(self):
        row = self.table().loc[("2080", reported.TOTAL)]
        assert (row["count"], row["rate"], row["population"]) == (6000, 10_000, 60_000)
        assert not row["count_derived"] and not row["rate_derived"] and row["population_basis"] == "brå"

    def test_rate_derived_from_count_and_population(self):
        row = self.table().loc[("2080", INBROTT)]
        assert row["rate"] == pytest.approx(120 / 60_000 * 100_000)  # 200
        assert row["rate_derived"] and not row["count_derived"] and row["preliminary"]

    def test_count_derived_from_rate_and_population_rounded(self):
        row = self.table().loc[("2080", "Cykelstöld")]
        assert row["count"] == 49  # 81,7 × 60 000 / 100 000 = 49,02
        assert row["count_derived"] and not row["rate_derived"]

    def test_scb_mean_population_when_bra_has_none(self):
        row = self.table().loc[("2081", reported.TOTAL)]
        assert row["population"] == 50_000 and row["population_basis"] == "scb_medel"
        assert row["rate"] == pytest.approx(10_000) and row["rate_derived"]  # 5 000 / 50 000

    def test_without_population_nothing_is_derived(self):
        row = self.table().loc[("0114", "Cykelstöld")]
        assert pd.isna(row["count"]) and pd.isna(row["population"]) and row["rate"] == 50
        assert not row["count_derived"] and not row["rate_derived"]


class TestRegionSums:
    def sums(self):
        t = pd.DataFrame([
            # indicator A: every kommun in 2024; Upplands Väsby's 2025 count has no population
            ("2080", "20", "A", 2024, 100.0, 50_000.0, False),
            ("2081", "20", "A", 2024, 300.0, 150_000.0, False),
            ("0114", "01", "A", 2024, 50.0, 50_000.0, False),
            ("2080", "20", "A", 2025, 110.0, 50_000.0, True),
            ("2081", "20", "A", 2025, 290.0, 150_000.0, False),
            ("0114", "01", "A", 2025, 60.0, float("nan"), False),
            ("2080", "20", "B", 2024, 7.0, 50_000.0, False)],  # B: Falun only
            columns=["region_code", "lan_kod", "indicator", "year", "count", "population", "preliminary"])
        return reported.region_sums(t, KOMMUNER).set_index(["region_code", "indicator", "year"])

    def test_complete_sums(self):
        s = self.sums()
        lan = s.loc[("20", "A", 2024)]
        assert (lan["count"], lan["population"]) == (400, 200_000)
        assert (lan["n_kommuner"], lan["complete"]) == (2, True)
        assert lan["rate"] == pytest.approx(200)  # 400 per 200 000
        riket = s.loc[("00", "A", 2024)]
        assert (riket["count"], riket["n_kommuner"], riket["complete"]) == (450, 3, True)
        assert riket["rate"] == pytest.approx(450 / 250_000 * 100_000)
        assert s.loc[("01", "A", 2024), "rate"] == pytest.approx(100)

    def test_a_kommun_without_population_makes_the_sum_incomplete(self):
        s = self.sums()
        assert s.loc[("20", "A", 2025), "complete"]  # Dalarna's two kommuner have everything
        riket = s.loc[("00", "A", 2025)]
        assert not riket["complete"] and riket["n_kommuner"] == 2 and riket["count"] == 400
        assert ("01", "A", 2025) not in s.index  # its only kommun has no population

    def test_a_category_only_some_kommuner_have_is_incomplete(self):
        s = self.sums()
        assert not s.loc[("20", "B", 2024), "complete"] and not s.loc[("00", "B", 2024), "complete"]

    def test_preliminary_when_any_kommun_is(self):
        s = self.sums()
        assert s.loc[("20", "A", 2025), "preliminary"] and not s.loc[("20", "A", 2024), "preliminary"]


class TestFunnelOf:
    def table(self, n, missing_population=0):
        pops = [100_000.0] * (n - missing_population) + [NAN] * missing_population
        return pd.DataFrame({"region_code": [f"{i:04d}" for i in range(n)], "indicator": "A", "year": 2025,
                             "count": [100.0] * (n - 1) + [200.0], "population": pops})

    def test_ten_kommuner_are_enough(self):
        f = groups.funnel_of(self.table(10), "A", 2025)
        assert f.target_rate == pytest.approx(1100 / 1_000_000 * 100_000)  # 110 per 100 000
        assert sorted(f.units.index) == [f"{i:04d}" for i in range(10)]

    def test_fewer_than_ten_give_none(self):
        assert groups.funnel_of(self.table(9), "A", 2025) is None
        # eleven kommuner, but only nine with a population
        assert groups.funnel_of(self.table(11, missing_population=2), "A", 2025) is None
        assert groups.funnel_of(self.table(10), "A", 2024) is None  # no kommun has that year

    def test_target_rate_can_be_given(self):
        assert groups.funnel_of(self.table(10), "A", 2025, target_rate=100.0).target_rate == 100


# ------------------------------------------------------------------------------------------------------------
# analyse on a synthetic country of twelve kommuner in two län

SMALL_POPS = [10_000, 20_000, 30_000, 40_000, 50_000, 60_000]
#: All reported crime per 100 000 in 2024 (2025: 10 % more), kommuner 1–6 of each län.
SMALL_RATES = {"03": [9000, 9500, 10_000, 10_500, 11_000, 12_000],
               "04": [8000, 8500, 9000, 9500, 10_000, 10_500]}
LAN_NAMES = {"03": "Uppsala län", "04": "Södermanlands län"}
SYNTH_KOMMUNER = pd.DataFrame([{"kommun_kod": f"{lan}0{i}", "kommun": f"Kommun {lan}0{i}", "lan_kod": lan,
                                "lan": LAN_NAMES[lan]} for lan in ("03", "04") for i in range(1, 7)])
SYNTH_GROUPS = SYNTH_KOMMUNER.assign(
    kommungrupp=(["Landsbygdskommun"] * 3 + ["Större stad"] * 3) * 2)[["kommun_kod", "kommun", "kommungrupp"]]


def synthetic_country():
    """Twelve kommuner with all reported crime (count and rate) and Inbrottsstöld i bostad (counts) 2024–2025.

    Kommun 0301 has a user's extra year 2026 that no other kommun has (all reported crime with Brå's rate, so
    with a population, and burglaries; marked preliminary); kommun 0302 has burglaries 2026 without any
    population. Three kommuner have Bilbrott (counts only).
    """
    r = []
    for lan, rates in SMALL_RATES.items():
        for i, (pop, rate) in enumerate(zip(SMALL_POPS, rates, strict=True), start=1):
            code = f"{lan}0{i}"
            for year, factor in ((2024, 1.0), (2025, 1.1)):
                rate_year = round(rate * factor)
                r += [(code, code, year, reported.TOTAL, "Antal", pop * rate_year / 100_000),
                      (code, code, year, reported.TOTAL, RATE, float(rate_year)),
                      (code, code, year, INBROTT, "Antal", pop / 1000 * (2 if year == 2024 else 3))]
    r += [("0301", "0301", 2026, reported.TOTAL, "Antal", 1000.0),
          ("0301", "0301", 2026, reported.TOTAL, RATE, 10_000.0),
          ("0301", "0301", 2026, INBROTT, "Antal", 25.0),
          ("0302", "0302", 2026, INBROTT, "Antal", 30.0)]
    r += [(code, code, year, "Bilbrott", "Antal", 5.0)
          for code in ("0301", "0302", "0401") for year in (2024, 2025)]
    rows = crime_rows(r)
    return rows.assign(preliminary=(rows["year"] == 2026) & (rows["region_code"] == "0301"))


@pytest.fixture(scope="module")
def synthetic():
    c = synthetic_country()
    return {k: crime.analyse(c, scb([]), SYNTH_KOMMUNER, SYNTH_GROUPS, k, k[:2], ["Inbrott", "Bedrägeri"])
            for k in ("0301", "0302")}


class TestAnalyse:
    def test_categories_sets_and_focus(self, synthetic):
        a = synthetic["0301"]
        assert a.available and a.kommun == "0301"
        assert a.indicators == [reported.TOTAL, INBROTT, "Bilbrott"]
        assert a.sets == {"sol": [reported.TOTAL, INBROTT], "kommunindikatorer": ["Bilbrott"]}
        assert a.focus["Inbrott"].direct == [INBROTT] and a.focus["Bedrägeri"].all == []

    def test_funnel_year_falls_back_to_the_latest_year_with_enough_kommuner(self, synthetic):
        a = synthetic["0301"]
        total = a.summary.set_index("indicator").loc[reported.TOTAL]
        assert (total["year_before"], total["year_after"]) == (2025, 2026)  # the change uses the extra year
        # but only 0301 has 2026: the funnel is 2025's, over all twelve kommuner
        assert a.dispersion[reported.TOTAL]["year"] == 2025 and a.dispersion[reported.TOTAL]["n"] == 12
        counts = [pop * round(rate * 1.1) / 100_000 for rates in SMALL_RATES.values()
                  for pop, rate in zip(SMALL_POPS, rates, strict=True)]
        expected_target = sum(counts) / (2 * sum(SMALL_POPS)) * 100_000
        assert a.funnels[reported.TOTAL].target_rate == pytest.approx(expected_target)
        assert a.dispersion[reported.TOTAL]["target_rate"] == pytest.approx(expected_target)
        assert a.dispersion[reported.TOTAL]["zone"] in {"inside", "high_95", "high_998", "low_95", "low_998"}
        assert a.dispersion[INBROTT]["year"] == 2025

    def test_funnels_for_sol_categories_only(self, synthetic):
        a = synthetic["0301"]
        assert list(a.funnels) == [reported.TOTAL, INBROTT]
        assert a.dispersion["Bilbrott"] is None  # three kommuner are too few

    def test_preliminary_years_and_group(self, synthetic):
        a = synthetic["0301"]
        assert a.preliminary_years == [2026] and a.missing_population == {}
        assert a.group == "Landsbygdskommun"
        assert set(a.group_rates["kommun_kod"]) <= {"0301", "0302", "0303", "0401", "0402", "0403"}

    def test_missing_population_and_untested_change(self, synthetic):
        a = synthetic["0302"]
        assert a.missing_population == {2026: [INBROTT]} and a.preliminary_years == []
        row = a.summary.set_index("indicator").loc[INBROTT]
        assert row["change"] is None and row["change_reason"] == reported.NO_POPULATION
        assert row["year_after"] == 2026
        assert a.dispersion[INBROTT]["year"] == 2025  # the year with a population

    def test_kommungrupp_comparison_in_the_latest_year_with_rates(self, synthetic):
        a = synthetic["0302"]
        c = a.group_comparison.set_index("indicator")
        assert list(c.index) == [reported.TOTAL, INBROTT]  # Bilbrott: only three group members have it
        assert c.loc[reported.TOTAL, "year"] == 2025 and c.loc[reported.TOTAL, "n"] == 6
        # 0302's 2025 rate 10 450 among the group's 9 900, 10 450, 11 000 (Uppsala) and 8 800, 9 350,
        # 9 900 (Södermanland): four are lower
        assert c.loc[reported.TOTAL, "rate"] == 10_450 and c.loc[reported.TOTAL, "rank"] == 5

    def test_län_and_riket_are_sums(self, synthetic):
        f = synthetic["0301"].frame
        riket = f[(f["level"] == "riket") & (f["indicator"] == reported.TOTAL)]
        assert riket["year"].tolist() == [2024, 2025] and set(riket["basis"]) == {"summa"}
        assert set(riket["n_kommuner"]) == {12}
        lan = f[(f["level"] == "län") & (f["indicator"] == reported.TOTAL)]
        assert set(lan["n_kommuner"]) == {6} and set(lan["region_name"]) == {"Uppsala län"}


# ------------------------------------------------------------------------------------------------------------
# The bundled data: Brå's SOL for all 290 kommuner, Dalarna's kommunindikatorer

SOL_NAMES = ["Totalt antal anmälda brott", "Brott mot person (3–7 kap. BrB)",
             "Stöld och rån m.m. (8 kap. BrB)", "Inbrottsstöld i bostad", "Skadegörelsebrott (12 kap. BrB)",
             "Narkotikabrott + vapenlagsbrott"]
SOL_FILE = "bra_anmalda_brott_kommun_2015_2025_long.csv"
GROUPS_FILE = "scb_kommunkopplingar_skr2023_2025.csv"
#: Helsingborg, Halmstad, Trelleborg, Trollhättan, Stockholm and Vimmerby (SKR's group C8, landsbygdskommun).
SOL_ONLY = ["1283", "1380", "1287", "1488", "0180", "0884"]


@pytest.fixture(scope="module")
def bundle():
    from lagesbild.core.paths import DATA
    from lagesbild.sources import processed

    ds = processed.load(DATA)
    table = reported.kommun_table(ds.crime, ds.kommuner, ds.population)
    raw = pd.read_csv(DATA / "raw" / "crime" / SOL_FILE, dtype={"kommunkod": str})
    groups = pd.read_csv(DATA / "raw" / "kommungrupper" / GROUPS_FILE, dtype=str)
    return {"ds": ds, "table": table, "sums": reported.region_sums(table, ds.kommuner), "raw": raw,
            "groups": groups}


def bundled_frame(bundle, kommun):
    ds = bundle["ds"]
    lan = ds.kommuner.set_index("kommun_kod").loc[kommun, "lan_kod"]
    return reported.comparison_frame(ds.crime, kommun, lan, ds.population, ds.kommuner, table=bundle["table"],
                                  sums=bundle["sums"])


class TestBundledComparisonFrame:
    def test_the_landsbygdskommun_is_in_group_c8(self, bundle):
        vimmerby = bundle["groups"].set_index("kommunkod").loc["0884"]
        assert vimmerby["skr_kommungrupp_2023"] == "C8"
        assert vimmerby["skr_kommungrupp_namn"] == "Landsbygdskommun"

    @pytest.mark.parametrize("kommun", SOL_ONLY)
    def test_six_sol_categories_against_sums(self, bundle, kommun):
        f = bundled_frame(bundle, kommun)
        kommuner = bundle["ds"].kommuner
        lan = kommuner.set_index("kommun_kod").loc[kommun, "lan_kod"]
        own = f[f["level"] == "kommun"]
        assert sorted(own["indicator"].unique()) == sorted(SOL_NAMES)
        for level in ("kommun", "län", "riket"):
            rows = f[f["level"] == level]
            for ind in SOL_NAMES:
                years = rows.loc[rows["indicator"] == ind, "year"].tolist()
                assert sorted(years) == list(range(2015, 2026)), (level, ind)
            assert rows["rate"].notna().all()
        regions = f[f["level"] != "kommun"]
        assert set(regions["basis"]) == {"summa"}
        assert set(f.loc[f["level"] == "riket", "n_kommuner"]) == {290}
        assert set(f.loc[f["level"] == "län", "n_kommuner"]) == {int((kommuner["lan_kod"] == lan).sum())}
        assert set(f.loc[f["preliminary"], "year"]) == {2025}  # Brå's preliminary 2025, at every level
        assert set(f.loc[f["year"] == 2025, "preliminary"]) == {True}

    def test_riket_total_is_the_sum_of_all_290_kommuner(self, bundle):
        raw = bundle["raw"]
        total = raw[(raw["ar"] == 2024) & (raw["kategori_sv"] == reported.TOTAL)]
        assert total["kommunkod"].nunique() == 290
        f = bundled_frame(bundle, "1283")
        riket = f[(f["level"] == "riket") & (f["indicator"] == reported.TOTAL) & (f["year"] == 2024)].iloc[0]
        assert riket["count"] == total["antal"].sum()
        # Brå's own populations (count / rate) summed: the rate of all kommuner together
        population = (total["antal"] / total["per_100k"] * 100_000).sum()
        assert riket["rate"] == pytest.approx(total["antal"].sum() / population * 100_000)
        skane = total[total["kommunkod"].str.startswith("12")]
        lan = f[(f["level"] == "län") & (f["indicator"] == reported.TOTAL) & (f["year"] == 2024)].iloc[0]
        assert lan["count"] == skane["antal"].sum() and lan["n_kommuner"] == len(skane) == 33

    def test_falun_has_both_sets(self, bundle):
        f = bundled_frame(bundle, "2080")
        ki = [c.name for c in categories.KOMMUNINDIKATORER]
        assert set(f.loc[f["level"] == "kommun", "indicator"]) == set(SOL_NAMES) | set(ki)
        regions = f[f["indicator"].isin(ki)]
        assert set(regions.loc[regions["level"] == "riket", "basis"]) == {"brå"}
        assert set(regions.loc[regions["level"] == "län", "basis"]) == {"summa"}
        assert set(regions.loc[regions["level"] == "län", "n_kommuner"]) == {15}
        assert sorted(set(regions.loc[regions["level"] == "kommun", "year"])) == list(range(2017, 2025))

    def test_falun_total_is_one_series(self, bundle):
        f = bundled_frame(bundle, "2080")
        for level in ("kommun", "län", "riket"):
            years = f.loc[(f["level"] == level) & (f["indicator"] == reported.TOTAL), "year"].tolist()
            assert years == list(range(2015, 2026)), level  # once each, no year from both sets
        assert set(f.loc[(f["level"] != "kommun") & (f["indicator"] == reported.TOTAL), "basis"]) == {"summa"}


class TestKeyFigures:
    def test_falun_is_json_with_set_and_dispersion(self, bundle):
        import json

        from lagesbild.run import params

        ds = bundle["ds"]
        cfg = params.resolve("2080", ds.kommuner, ["Våld i offentlig miljö"])
        a = crime.analyse(ds.crime, ds.population, ds.kommuner, ds.kommungrupper, "2080", "20",
                          cfg.focus_areas)
        figures = crime.key_figures("Brottsutvecklingen i Falun", cfg, a, None, None)
        text = json.dumps(figures, allow_nan=False)
        assert json.loads(text)["kommun"] == "2080"
        assert len(figures["indicators"]) == 20
        for rec in figures["indicators"]:
            assert rec["set"] in ("sol", "kommunindikatorer") and "dispersion" in rec
        by = {r["indicator"]: r for r in figures["indicators"]}
        assert by[reported.TOTAL]["set"] == "sol" and by[reported.TOTAL]["dispersion"]["n"] == 290
        assert by[reported.TOTAL]["basis_riket"] == "summa" and by["Bilbrott"]["basis_riket"] == "brå"
        assert figures["bra_latest_year"] == 2025 and figures["preliminary_years"] == [2025]
        assert figures["focus_broader"] == {"Våld i offentlig miljö": ["Brott mot person (3–7 kap. BrB)"]}


# ------------------------------------------------------------------------------------------------------------
# What the notebook used to compute itself: police events, chart panels, the kommungrupp chart, per-set lookups

def archive(months, per_month, kommun_from=None, kommun="2080"):
    """An archive with ``per_month`` events at noon on the 1st of each month from January 2023, ending at midnight.

    From month index ``kommun_from`` on the events name only the län (as polisen.se did from January 2026).
    """
    starts = pd.date_range("2023-01-01", periods=months, freq="MS").tz_localize(TZ)
    t = starts.repeat(per_month) + pd.Timedelta(hours=12)
    t = t.append(pd.DatetimeIndex([starts[0], starts[-1] + pd.offsets.MonthEnd(0) + pd.Timedelta(hours=23, minutes=59)]))
    placed = [kommun if kommun_from is None or i // per_month < kommun_from else None for i in range(months * per_month)]
    placed += [kommun, kommun if kommun_from is None else None]
    return pd.DataFrame({"datetime": t, "kommun_kod": placed, "type": "Stöld"})


class TestPoliceEvents:
    def test_two_years_of_events_compared_over_twelve_months(self):
        ev = events.police_events(archive(24, 2), "2080")
        # archive from midnight on 1 January 2023 to the last minute of December 2024: 24 complete months
        assert (ev.start, ev.end, ev.archive_end) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-01"),
                                                      pd.Timestamp("2024-12-01"))
        assert ev.comparable and ev.shown
        # 2023: 24 at noon + the one at midnight on 1 January; 2024: 24 + the one on 31 December
        assert (ev.previous, ev.recent) == (25, 25)
        assert ev.change.count_before == 25 and ev.change.count_after == 25 and not ev.change.detectable
        assert ev.labels() == ("jan 2023–dec 2023", "jan 2024–dec 2024")
        assert ev.top_types(6) == ["Stöld"] and len(ev.in_period()) == 50

    def test_months_after_the_kommun_was_last_named_are_left_out(self):
        ev = events.police_events(archive(30, 4, kommun_from=24), "2080")
        assert ev.end == pd.Timestamp("2024-12-01") and ev.archive_end == pd.Timestamp("2025-06-01")
        assert ev.recent == 48 and len(ev.in_period()) == 97  # 24 months of 4, and the one at midnight

    def test_summaries_are_not_counted(self):
        a = archive(24, 2)
        a.loc[a.index[:10], "type"] = "Sammanfattning natt"
        ev = events.police_events(a, "2080")
        assert ev.previous == 15 and ev.top_types(6) == ["Stöld"]

    def test_an_archive_that_never_names_a_kommun(self):
        a = archive(24, 2).assign(kommun_kod=None)
        ev = events.police_events(a, "2080")
        assert not ev.comparable and not ev.shown
        assert (ev.start, ev.end, ev.types, ev.change) == (None, None, None, None)
        assert (ev.previous, ev.recent, ev.labels(), ev.top_types(6)) == (0, 0, ("", ""), [])

    def test_a_kommun_without_events(self):
        ev = events.police_events(archive(24, 2), "1283")
        assert ev.comparable and not ev.shown and len(ev.events) == 0
        assert ev.types is None and ev.change is None and ev.recent == 0

    def test_alpha_reaches_the_change_test(self):
        assert events.police_events(archive(24, 2), "2080", alpha=0.01).change.alpha == 0.01


class TestEventsTable:
    def test_swedish_headers_and_rows(self):
        t = pd.DataFrame({"type": list("ABC"), "recent": [3, 2, 1], "previous": [0, 1, 2]})
        out = events.events_table(t, rows=2)
        assert list(out.columns) == ["Händelsetyp", "Senaste 12 månaderna", "12 månader innan"]
        assert out["Händelsetyp"].tolist() == ["A", "B"]


class TestChartPanels:
    @pytest.mark.parametrize(("n", "sizes"), [(0, []), (1, [1]), (6, [6]), (7, [6, 1]), (12, [6, 6]),
                                              (13, [6, 6, 1]), (18, [6, 6, 6]), (20, [6, 6, 8])])
    def test_six_per_chart_and_the_rest_in_the_third(self, n, sizes):
        items = [f"K{i}" for i in range(n)]
        panels = crime.chart_panels(items)
        assert [len(p) for p in panels] == sizes
        assert [i for p in panels for i in p] == items  # every category once, in order


class TestGroupChart:
    def test_a_median_of_zero_or_none_is_left_to_the_table(self):
        comp = pd.DataFrame({"indicator": ["A", "B", "C"], "median": [10.0, 0.0, NAN]})
        rates = pd.DataFrame({"indicator": ["A", "B", "C", "A"], "kommun_kod": ["2080", "2080", "2080", "2081"]})
        g = crime.group_chart(SimpleNamespace(group_comparison=comp, group_rates=rates))
        assert g.comparison["indicator"].tolist() == ["A"] and g.rates["kommun_kod"].tolist() == ["2080", "2081"]
        assert g.no_median == ["B", "C"] and g.drawable

    def test_nothing_to_draw(self):
        comp = pd.DataFrame({"indicator": ["B"], "median": [0.0]})
        g = crime.group_chart(SimpleNamespace(group_comparison=comp, group_rates=comp.assign(kommun_kod="2080")))
        assert not g.drawable and g.no_median == ["B"] and g.rates.empty


class TestCrimeAnalysisLookups:
    def test_missing_population_only_for_the_set_shown(self, synthetic):
        a = synthetic["0302"]  # burglaries 2026 without a population
        assert a.missing_population_in([reported.TOTAL]) == {}
        assert a.missing_population_in([reported.TOTAL, INBROTT]) == {2026: [INBROTT]}

    def test_group_members_are_the_groups_kommuner_with_figures(self, synthetic):
        a = synthetic["0301"]
        assert set(a.group_members) == set(a.group_rates["kommun_kod"]) and "0301" in a.group_members
        assert len(a.group_members) == len(set(a.group_members))
        assert crime.CrimeAnalysis(**{**a.__dict__, "group": None}).group_members == []

    def test_trends_of_some_categories(self, synthetic):
        a = synthetic["0301"]
        trends = a.trends_of([INBROTT, "Bilbrott"])
        assert list(trends) == [INBROTT, "Bilbrott"]
        assert trends[INBROTT] is a.summary.set_index("indicator").loc[INBROTT, "trend"]


class TestNationalTablesAreComputedOnce:
    """crime.national: the tables every kommun's analysis shares, computed once per process and never changed."""

    def test_the_same_analysis_as_without_the_cache(self, bundle):
        import copy

        ds = bundle["ds"]
        crime._NATIONAL.clear()
        first = crime.analyse(ds.crime, ds.population, ds.kommuner, ds.kommungrupper, "2080", "20", [])
        kept = copy.deepcopy(crime._NATIONAL["value"][:3])
        cached = crime.analyse(ds.crime, ds.population, ds.kommuner, ds.kommungrupper, "1283", "12", [])
        for mine, theirs in zip(crime._NATIONAL["value"][:3], kept, strict=True):
            pd.testing.assert_frame_equal(mine, theirs)  # an analysis left the shared tables as they were
        crime._NATIONAL.clear()
        fresh = crime.analyse(ds.crime, ds.population, ds.kommuner, ds.kommungrupper, "1283", "12", [])
        pd.testing.assert_frame_equal(cached.summary, fresh.summary)
        assert cached.dispersion == fresh.dispersion and cached.funnels.keys() == fresh.funnels.keys()
        assert first.kommun == "2080"

    def test_other_frames_are_computed_again(self, bundle):
        ds = bundle["ds"]
        one = crime.national(ds.crime, ds.population, ds.kommuner)
        other = crime.national(ds.crime.copy(), ds.population, ds.kommuner)
        assert one[1] is not other[1]
