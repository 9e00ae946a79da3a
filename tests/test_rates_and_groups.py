"""Rates without counts (as Kolada publishes Brå's figures) and the SKR kommungrupp comparison."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import papermill
import pytest

from lagesbild.core.paths import DATA, NOTEBOOKS
from lagesbild.core.units import COUNT_UNIT, RATE_UNIT
from lagesbild.crime import reported
from lagesbild.crime.groups import kommungrupp_comparison, kommungrupp_rates
from lagesbild.publish.export import KEY_FIGURES_MIME
from lagesbild.sources import processed

KOMMUNER = pd.DataFrame({"kommun_kod": ["2080", "2081", "2082", "0114"], "lan_kod": ["20", "20", "20", "01"]})


def population(rows):
    return pd.DataFrame([{"kommun_kod": k, "kommun": k, "year": y, "population": p} for k, y, p in rows])


def crime_rows(rows):
    return pd.DataFrame([{"region_code": r, "region_name": r, "year": y, "indicator": i, "unit": u, "value": v}
                         for r, y, i, u, v in rows])


class TestRegionPopulations:
    def test_lan_and_riket_only_when_every_kommun_has_a_figure(self):
        pop = population([("2080", 2024, 60000), ("2081", 2024, 52000), ("2082", 2024, 11000), ("0114", 2024, 48000),
                          ("2080", 2025, 61000), ("2081", 2025, 52500), ("0114", 2025, 48500)])  # 2082 missing 2025
        r = reported.region_populations(pop, KOMMUNER).set_index(["region_code", "year"])["population"]
        assert r[("20", 2024)] == 123000 and r[("01", 2024)] == 48000 and r[("00", 2024)] == 171000
        assert ("20", 2025) not in r.index and ("00", 2025) not in r.index
        assert r[("01", 2025)] == 48500  # Stockholms län here has one kommun, which has its figure
        assert r[("2080", 2025)] == 61000

    def test_kommuner_outside_the_table_are_ignored(self):
        pop = population([("9999", 2024, 5), ("2080", 2024, 60000)])
        r = reported.region_populations(pop, KOMMUNER)
        assert "9999" not in set(r["region_code"])


class TestDerivedCounts:
    def frame(self):
        c = crime_rows([
            ("2080", 2024, reported.TOTAL, COUNT_UNIT, 4697.0), ("2080", 2024, reported.TOTAL, RATE_UNIT, 7833.0),
            ("2080", 2025, reported.TOTAL, RATE_UNIT, 8000.0),  # Kolada: rate only
            ("20", 2025, reported.TOTAL, RATE_UNIT, 9000.0), ("00", 2025, reported.TOTAL, RATE_UNIT, 12000.0)])
        pop = population([("2080", 2025, 60000), ("2081", 2025, 50000), ("2082", 2025, 10000), ("0114", 2025, 40000)])
        return reported.comparison_frame(c, "2080", "20", pop, KOMMUNER).set_index(["level", "year"])

    def test_published_counts_stay_and_are_not_marked(self):
        f = self.frame()
        assert f.loc[("kommun", 2024), "count"] == 4697 and not f.loc[("kommun", 2024), "count_derived"]
        assert f.loc[("kommun", 2024), "population"] == pytest.approx(4697 / 7833 * 100_000)

    def test_rate_times_scb_population_for_kommun_lan_and_riket(self):
        f = self.frame()
        assert f.loc[("kommun", 2025), "count"] == 4800 and f.loc[("kommun", 2025), "count_derived"]
        assert f.loc[("län", 2025), "count"] == 10800  # 9 000 per 100 000 of 120 000
        assert f.loc[("riket", 2025), "count"] == 19200  # 12 000 per 100 000 of 160 000
        assert f.loc[("riket", 2025), "population"] == 160000

    def test_mean_population_of_the_year_and_the_year_before_when_both_exist(self):
        c = crime_rows([("2080", 2025, reported.TOTAL, RATE_UNIT, 8000.0)])
        pop = population([("2080", 2024, 59000), ("2080", 2025, 61000)])
        f = reported.comparison_frame(c, "2080", "20", pop, KOMMUNER).iloc[0]
        assert f["population"] == 60000 and f["count"] == 4800

    def test_brås_published_counts_are_reproduced_from_their_rates(self):
        """Reference values: Brå's own counts for Dalarna 2018–2019, recomputed from Brå's rates and SCB's population."""
        ds = processed.load(DATA)
        published = ds.crime[ds.crime["year"].isin([2018, 2019])]
        rates_only = published[published["unit"] == RATE_UNIT]
        checked = 0
        for kommun in ["2080", "2029", "2039", "2085"]:
            derived = reported.comparison_frame(rates_only, kommun, "20", ds.population, ds.kommuner)
            truth = reported.comparison_frame(published, kommun, "20")
            both = derived.merge(truth, on=["region_code", "indicator", "year"], suffixes=("", "_bra"))
            # a län or riket that is the sum over its kommuner is not one of Brå's published figures (the
            # truth here, without the kommun table, is Brå's own län and riket): compare the kommun and
            # Brå's own regions only
            both = both[both["count_bra"].notna() & both["rate"].notna() & (both["basis"] != reported.SUM)]
            assert both["count_derived"].all()
            # the rate is published rounded to 0,5 per 100 000 at most: that much of the population, plus the rounding
            slack = 0.5 * both["population"] / 100_000 + 1
            assert ((both["count"] - both["count_bra"]).abs() <= slack).all(), both.loc[
                (both["count"] - both["count_bra"]).abs() > slack, ["region_code", "indicator", "year", "count", "count_bra"]]
            checked += len(both)
        assert checked > 100

    def test_without_population_nothing_is_derived(self):
        c = crime_rows([("2080", 2025, reported.TOTAL, RATE_UNIT, 8000.0)])
        f = reported.comparison_frame(c, "2080", "20")
        assert f["count"].isna().all() and not f["count_derived"].any()

    def test_derived_counts_feed_the_change_test(self):
        f = self.frame().reset_index()
        s = reported.indicator_summary(f, [reported.TOTAL])
        row = s.iloc[0]
        assert (row["count_before"], row["count_after"]) == (4697, 4800)
        assert row["change"].rate_ratio == pytest.approx((4800 / 60000) / (4697 / (4697 / 7833 * 100_000)))


GROUPS = pd.DataFrame({"kommun_kod": [f"{i:04d}" for i in range(1, 9)], "kommun": [f"K{i}" for i in range(1, 9)],
                       "kommungrupp": ["A"] * 6 + ["B"] * 2})
GROUP_KOMMUNER = GROUPS.assign(lan_kod="01")[["kommun_kod", "lan_kod"]]


class TestKommungrupp:
    def rates(self, values, indicator="Bilbrott", year=2025):
        """The kommun table (:func:`reported.kommun_table`) of rates for kommuner 0001, 0002, … in that order."""
        return reported.kommun_table(self.rate_rows(values, indicator, year), GROUP_KOMMUNER)

    def rate_rows(self, values, indicator="Bilbrott", year=2025):
        return crime_rows([(f"{i:04d}", year, indicator, RATE_UNIT, v) for i, v in enumerate(values, start=1)])

    def test_only_the_own_group_in_the_kommuns_latest_year(self):
        c = reported.kommun_table(pd.concat([self.rate_rows([10, 20, 30, 40, 50, 60, 1, 1]),
                                          self.rate_rows([99] * 8, year=2024)]), GROUP_KOMMUNER)
        group, r = kommungrupp_rates(c, GROUPS, "0002", ["Bilbrott"])
        assert group == "A"
        assert r["kommun_kod"].tolist() == ["0002", "0001", "0003", "0004", "0005", "0006"]
        assert set(r["year"]) == {2025}

    def test_rank_quartiles_and_position_match_numpy(self):
        import numpy as np

        values = [10.0, 20, 30, 40, 50, 60]
        _, r = kommungrupp_rates(self.rates(values + [1, 1]), GROUPS, "0006", ["Bilbrott"])
        row = kommungrupp_comparison(r).iloc[0]
        assert row["n"] == 6 and row["rank"] == 6 and row["position"] == "hög"
        assert (row["q1"], row["median"], row["q3"]) == tuple(np.percentile(values, [25, 50, 75]))

    def test_ties_share_the_better_rank(self):
        _, r = kommungrupp_rates(self.rates([30, 30, 30, 40, 50, 60, 1, 1]), GROUPS, "0003", ["Bilbrott"])
        assert kommungrupp_comparison(r).iloc[0]["rank"] == 1

    def test_too_few_members_with_data_give_no_row(self):
        c = self.rates([10, 20, 30, 40, float("nan"), float("nan"), 1, 1])
        _, r = kommungrupp_rates(c, GROUPS, "0001", ["Bilbrott"])
        assert len(r) == 4 and kommungrupp_comparison(r).empty

    def test_rates_derived_from_counts_take_part(self):
        """Counts without rates get their rate from Brå's population (10 000 per 100 000 of all crime)."""
        rows = [(f"{i:04d}", 2025, reported.TOTAL, unit, v) for i in range(1, 9)
                for unit, v in ((COUNT_UNIT, 1000.0), (RATE_UNIT, 10_000.0))]
        rows += [(f"{i:04d}", 2025, "Bilbrott", COUNT_UNIT, float(i)) for i in range(1, 7)]
        table = reported.kommun_table(crime_rows(rows), GROUP_KOMMUNER)
        _, r = kommungrupp_rates(table, GROUPS, "0003", ["Bilbrott"])
        assert r["rate"].tolist() == pytest.approx([30.0, 10.0, 20.0, 40.0, 50.0, 60.0])  # 3 per 10 000 → 30
        row = kommungrupp_comparison(r).iloc[0]
        assert (row["n"], row["rank"]) == (6, 3)

    def test_kommun_without_group(self):
        group, r = kommungrupp_rates(self.rates([1] * 8), GROUPS, "2080", ["Bilbrott"])
        assert group is None and r.empty

    def test_indicators_in_report_order(self):
        rows = pd.concat([self.rate_rows(range(1, 9), indicator="Rån"), self.rate_rows(range(1, 9))])
        c = reported.kommun_table(rows, GROUP_KOMMUNER)
        _, r = kommungrupp_rates(c, GROUPS, "0001", ["Rån", "Bilbrott"])
        assert list(dict.fromkeys(r["indicator"])) == ["Rån", "Bilbrott"]
        assert kommungrupp_comparison(r)["indicator"].tolist() == ["Rån", "Bilbrott"]


def _write_fetched(root, rel, frame):
    path = root / "fetched" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    path.with_name(path.name + processed.PROVENANCE_SUFFIX).write_text(
        json.dumps({"source": "test", "fetched_at": "2026-11-01T00:00:00+00:00", "urls": ["https://example.test"]}))


@pytest.mark.slow
def test_crime_trends_with_fetched_rates_population_and_groups(tmp_path):
    """Falun with a fetched year of rates only, SCB's population and a kommungrupp: counts derived and said so."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "raw", data / "raw")
    ds = processed.load(DATA)
    dalarna = ds.kommuner[ds.kommuner["lan_kod"] == "20"]
    last = ds.crime[(ds.crime["year"] == 2024) & (ds.crime["unit"] == RATE_UNIT)
                    & ds.crime["region_code"].isin([*dalarna["kommun_kod"], "20", "00"])]
    _write_fetched(data, "crime/kolada_test.csv", last.assign(year=2025, value=last["value"] * 1.1))
    pop = ds.population[ds.population["year"] == ds.population["year"].max()].assign(year=2025)
    _write_fetched(data, "population/scb_test.csv", pop)
    group = dalarna.tail(7).assign(kommungrupp="Mindre stad/tätort")[["kommun_kod", "kommun", "kommungrupp"]]
    _write_fetched(data, "kommungrupper/test.csv", group)
    assert "2080" in set(group["kommun_kod"])
    out = tmp_path / "out.ipynb"
    nb = papermill.execute_notebook(str(NOTEBOOKS / "crime_trends.ipynb"), str(out),
                                    parameters={"kommun": "2080", "data_dir": str(data)}, progress_bar=False,
                                    kernel_name="python3", cwd=str(NOTEBOOKS))
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    html = html.replace("\u00a0", " ")  # "100 000" is written with a no-break space
    assert "Traceback" not in html
    # the fetched 2025 has rates only for the kommunindikatorer: their counts are derived, as the source says
    assert ("för 2025 har källan bara tal per 100 000 invånare, och antalen är härledda ur dem och "
            "folkmängden") in html
    assert "Falun tillhör kommungruppen Mindre stad/tätort" in html
    assert "fetched/kommungrupper/test.csv" in html
    # the fetched groups replace the bundled group of those seven kommuner: the group is SKR's members of
    # "Mindre stad/tätort" (Falun among them) together with the seven
    skr = pd.read_csv(DATA / "raw" / "kommungrupper" / "scb_kommunkopplingar_skr2023_2025.csv", dtype=str)
    bundled = set(skr.loc[skr["skr_kommungrupp_namn"] == "Mindre stad/tätort", "kommunkod"])
    members = bundled | set(group["kommun_kod"])
    in_dalarna = members & set(dalarna["kommun_kod"])  # the only kommuner with the kommunindikatorer
    assert f"av {len(in_dalarna)}" in html  # the rank among the members with a kommunindikator
    figures = next(o["data"][KEY_FIGURES_MIME] for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if KEY_FIGURES_MIME in o.get("data", {}))
    figures = json.loads(figures) if isinstance(figures, str) else figures
    assert figures["derived_count_years"] == [2025]
    assert figures["kommungrupp"] == "Mindre stad/tätort"
    total = next(r for r in figures["kommungrupp_comparison"] if r["indicator"] == reported.TOTAL)
    assert total["n"] == len(members) and total["year"] == 2025  # every kommun has Brå's total
    cars = next(r for r in figures["kommungrupp_comparison"] if r["indicator"] == "Bilbrott")
    assert cars["n"] == len(in_dalarna) and cars["year"] == 2025
    falun = next(f for f in figures["indicators"] if f["indicator"] == reported.TOTAL)
    assert (falun["previous_year"], falun["year"]) == (2024, 2025)


class TestKommungruppYear:
    def test_a_year_only_the_kommun_has_falls_back_to_the_latest_year_the_group_has(self):
        table = pd.DataFrame({"region_code": [f"{i:04d}" for i in range(6)] * 2 + ["0000"],
                              "region_name": "x", "indicator": "Bilbrott",
                              "year": [2024] * 6 + [2025] * 6 + [2026], "rate": [float(v) for v in range(13)]})
        groups = pd.DataFrame({"kommun_kod": [f"{i:04d}" for i in range(6)], "kommun": "x", "kommungrupp": "G"})
        _, rates = kommungrupp_rates(table, groups, "0000", ["Bilbrott"])
        assert set(rates["year"]) == {2025} and len(rates) == 6  # 2026 is the kommun's alone
