"""Tests of lagesbild.sources.euda: EUDA's wastewater tables, recomputed means and site comparisons.

The real bundled files are checked against pandas' own reading of them (``pd.read_csv``), not
against what the loaders printed once. Bad files are written in the tests, so the defect is visible
here. Comparisons are checked on hand-made summaries with hand-worked values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import raises_input_error, write
from pyproj import Geod
from scipy import stats

from lagesbild.core.paths import DATA
from lagesbild.sources import euda
from lagesbild.sources import public as sources
from lagesbild.sources.substances import SUBSTANCES

WW = DATA / "raw" / "wastewater"
ALL_DATA = WW / "ww2025-all-data.csv"
SITE_INFO = WW / "ww2025-site-info-table.csv"
TRENDS = WW / "ww2025-aggregated-trends.csv"
SE_SITES = WW / "euda_sites_sweden.csv"
KOMMUNER = DATA / "raw" / "geo" / "swedish_admin_areas.csv"

DAY_NAMES = ["Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday"]  # EUDA's order
HEADER = "Year,Metabolite,Site ID,Country,City," + ",".join(DAY_NAMES) + ",Weekday mean,Weekend mean,Daily mean\n"

#: The mapping the brief specifies (SCB codes as text).
EXPECTED_SE = {"SE001": "1480", "SE002": "2180", "SE003": "1780", "SE004": "2181", "SE005": "0180",
               "SE008": "2182", "SE009": "1488", "SE010": "2480", "SE011": "0380", "SE012": "0780"}


@pytest.fixture(scope="module")
def real():
    daily, summary = euda.load_loads(ALL_DATA, SE_SITES)
    return daily, summary


@pytest.fixture(scope="module")
def raw_csv():
    """The all-data table as pandas reads it, independently of lagesbild."""
    return pd.read_csv(ALL_DATA)


# ============================================================================================
# The Swedish site → kommun table
# ============================================================================================


class TestSitesSweden:
    def test_codes_are_kommuner_with_these_names(self):
        kommuner = sources.load_kommuner(KOMMUNER)
        table = euda.load_sites_sweden(SE_SITES, kommuner)  # raises if a code or a name is wrong
        assert dict(zip(table["site_id"], table["kommun_kod"], strict=True)) == EXPECTED_SE
        names = dict(zip(kommuner["kommun_kod"], kommuner["kommun"], strict=True))
        assert table["kommun"].tolist() == [names[c] for c in table["kommun_kod"]]
        assert "Stockholm (2)" in table.loc[table["site_id"] == "SE005", "note"].item()
        assert "neighbouring kommuner" in table.loc[table["site_id"] == "SE005", "note"].item()

    def test_codes_are_quoted_text_in_the_file(self):
        text = SE_SITES.read_text(encoding="utf-8")
        assert '"0180"' in text and '"0380"' in text and '"0780"' in text

    def test_every_swedish_site_in_the_site_table_is_mapped(self):
        sites = pd.read_csv(SITE_INFO)
        assert sorted(sites.loc[sites["Country"] == "SE", "SiteID"]) == sorted(EXPECTED_SE)

    def test_bad_code_named(self, tmp_path):
        p = write(tmp_path, "se.csv", b'site_id;kommun_kod;kommun;note\n"SE011";"0380";"Uppsala";""\n"SE012";"780";"V";""\n')
        err = raises_input_error(euda.load_sites_sweden, p)
        assert (err.row, err.column) == (3, "kommun_kod")
        assert "leading zero" in err.fix

    def test_code_not_a_kommun_or_wrong_name(self, tmp_path):
        kommuner = sources.load_kommuner(KOMMUNER)
        p = write(tmp_path, "se.csv", b"site_id;kommun_kod;kommun;note\nSE011;0399;Uppsala;\n")
        err = raises_input_error(euda.load_sites_sweden, p, kommuner)
        assert (err.row, err.column) == (2, "kommun_kod")
        p = write(tmp_path, "se2.csv", b"site_id;kommun_kod;kommun;note\nSE011;0380;Upsala;\n")
        err = raises_input_error(euda.load_sites_sweden, p, kommuner)
        assert (err.row, err.column) == (2, "kommun")
        assert "Uppsala" in err.problem

    def test_duplicate_site(self, tmp_path):
        p = write(tmp_path, "se.csv", b"site_id;kommun_kod;kommun;note\nSE011;0380;Uppsala;\nSE011;0380;Uppsala;\n")
        err = raises_input_error(euda.load_sites_sweden, p)
        assert "duplicate" in err.problem

    def test_kommun_sites(self):
        table = euda.load_sites_sweden(SE_SITES)
        assert euda.kommun_sites("0180", table) == ["SE005"]
        assert euda.kommun_sites("2181", table) == ["SE004"]
        assert euda.kommun_sites("2080", table) == []


# ============================================================================================
# Loads
# ============================================================================================


class TestSiteName:
    def test_swedish_spellings_only_for_sweden(self):
        assert [euda.site_name(c, "SE") for c in ["Gothenburg", "Umea", "Stockholm (2)", "Växjö"]] == [
            "Göteborg", "Umeå", "Stockholm", "Växjö"]
        assert euda.site_name("Gothenburg", "GB") == "Gothenburg"


class TestLoadLoadsReal:
    def test_shapes_and_columns(self, real):
        daily, summary = real
        assert len(summary) == 4376
        assert len(daily) == 7 * 4376
        assert list(daily.columns) == euda.DAILY_COLUMNS
        assert list(summary.columns) == euda.SUMMARY_COLUMNS
        assert set(summary["substance"]) == set(SUBSTANCES)
        assert (daily["source"] == "EUDA").all() and (summary["source"] == "EUDA").all()
        assert not daily["below_loq"].any()
        assert daily["date"].isna().all()
        assert (summary["campaign"] == summary["year"].astype(str)).all()
        assert summary["year"].min() == 2011 and summary["year"].max() == 2024

    def test_swedish_sites(self, real):
        _, summary = real
        se = summary[summary["country"] == "SE"].drop_duplicates("site_id").set_index("site_id")
        assert len(se) == 10
        assert se["kommun_kod"].to_dict() == EXPECTED_SE
        assert se.loc[["SE001", "SE005", "SE010"], "site"].tolist() == ["Göteborg", "Stockholm", "Umeå"]
        assert summary.loc[summary["country"] != "SE", "kommun_kod"].isna().all()

    def test_without_mapping_no_kommun(self):
        _, summary = euda.load_loads(ALL_DATA)
        assert summary["kommun_kod"].isna().all()

    def test_hungary_h_read_as_hu(self, real, raw_csv):
        _, summary = real
        assert (raw_csv["Country"] == "H").sum() == 6  # Debrecen, H001, as EUDA wrote it
        assert set(summary.loc[summary["site_id"] == "H001", "country"]) == {"HU"}
        assert summary["country"].str.fullmatch(r"[A-Z]{2}").all()

    def test_every_value_as_pandas_reads_it(self, real, raw_csv):
        daily, summary = real
        ref = raw_csv.assign(substance=raw_csv["Metabolite"])
        merged = summary.merge(ref, left_on=["site_id", "year", "substance"],
                               right_on=["Site ID", "Year", "substance"], validate="one_to_one")
        assert len(merged) == 4376
        for ours, theirs in [("weekday_mean", "Weekday mean"), ("weekend_mean", "Weekend mean"),
                             ("daily_mean", "Daily mean")]:
            np.testing.assert_array_equal(merged[ours].to_numpy(), merged[theirs].to_numpy())
        assert (merged["n_days"] == merged[DAY_NAMES].notna().sum(axis=1)).all()
        long = raw_csv.melt(id_vars=["Year", "Metabolite", "Site ID"], value_vars=DAY_NAMES, var_name="day",
                            value_name="ref")
        long["weekday"] = long["day"].map(euda.DAYS)
        m = daily.merge(long, left_on=["site_id", "year", "substance", "weekday"],
                        right_on=["Site ID", "Year", "Metabolite", "weekday"], validate="one_to_one")
        assert len(m) == len(daily)
        np.testing.assert_array_equal(m["load"].to_numpy(), m["ref"].to_numpy())

    def test_one_row_by_hand(self, real):
        # 2024,"MDMA","AT001","AT","Graz",8.82,12.87,12.45,28.11,26.8,10.5,9.13,10.27,19.47,15.53
        daily, summary = real
        row = daily[(daily["site_id"] == "AT001") & (daily["year"] == 2024) & (daily["substance"] == "MDMA")]
        assert row["load"].tolist() == [10.5, 9.13, 8.82, 12.87, 12.45, 28.11, 26.8]  # Monday … Sunday
        s = summary[(summary["site_id"] == "AT001") & (summary["year"] == 2024) & (summary["substance"] == "MDMA")]
        assert s[["weekday_mean", "weekend_mean", "daily_mean", "n_days"]].iloc[0].tolist() == [10.27, 19.47, 15.53, 7]


def _loads_file(tmp_path, *rows: str, header: str = HEADER):
    return write(tmp_path, "ww.csv", (header + "".join(r + "\n" for r in rows)).encode())


GOOD = "2024,cocaine,SE002,SE,Gävle,61.79,54.05,64.37,99.51,120.38,76.09,63.33,59.73,90.09,77.08"


class TestLoadLoadsErrors:
    def test_good_file(self, tmp_path):
        daily, summary = euda.load_loads(_loads_file(tmp_path, GOOD))
        assert len(daily) == 7 and len(summary) == 1

    def test_biomarker_label_accepted(self, tmp_path):
        _, summary = euda.load_loads(_loads_file(tmp_path, GOOD.replace("cocaine", "Benzoylecgonine")))
        assert summary["substance"].tolist() == ["cocaine"]

    def test_unknown_metabolite(self, tmp_path):
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, GOOD, GOOD.replace("cocaine", "caffeine")))
        assert (err.row, err.column) == (3, "Metabolite")
        assert "caffeine" in err.problem and err.file.endswith("ww.csv")

    def test_negative_load(self, tmp_path):
        bad = GOOD.replace("64.37", "-64.37")  # Friday
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, bad))
        assert (err.row, err.column) == (2, "Friday")
        assert "negative" in err.problem

    def test_negative_mean(self, tmp_path):
        bad = GOOD.replace("77.08", "-77.08")
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, bad))
        assert (err.row, err.column) == (2, "Daily mean")

    def test_not_a_number(self, tmp_path):
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, GOOD.replace("99.51", "n.d.")))
        assert (err.row, err.column) == (2, "Saturday")

    def test_missing_column(self, tmp_path):
        header = HEADER.replace(",Tuesday", "")
        row = GOOD.replace(",63.33,", ",")
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, row, header=header))
        assert "'Tuesday'" in err.problem

    def test_duplicate_rows_named(self, tmp_path):
        other = GOOD.replace("SE002", "SE003")
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, GOOD, other, GOOD))
        assert "rows 2 and 4 both hold site SE002, year 2024" in err.problem and err.row == 4

    def test_duplicate_through_label_spelling(self, tmp_path):
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, GOOD, GOOD.replace("cocaine", "benzoylecgonine")))
        assert "rows 2 and 3" in err.problem

    def test_bad_country(self, tmp_path):
        err = raises_input_error(euda.load_loads, _loads_file(tmp_path, GOOD.replace(",SE,", ",Sweden,")))
        assert (err.row, err.column) == (2, "Country")


# ============================================================================================
# Sites and the European mean
# ============================================================================================


class TestLoadSites:
    def test_real(self):
        sites = euda.load_sites(SITE_INFO)
        ref = pd.read_csv(SITE_INFO)
        assert len(sites) == len(ref) == 217
        assert (sites["country"] == "SE").sum() == 10
        assert sites["site_id"].tolist() == ref["SiteID"].tolist()
        # FR003's latitude ends in three non-breaking spaces, so pandas keeps the column as text
        np.testing.assert_array_equal(sites["lat"].to_numpy(), pd.to_numeric(ref["Latitude"].str.strip()).to_numpy())
        np.testing.assert_array_equal(sites["lon"].to_numpy(), ref["Longitude"].to_numpy())
        np.testing.assert_array_equal(sites["population"].astype(float).to_numpy(), ref["Population"].to_numpy())
        uppsala = sites.set_index("site_id").loc["SE011"]
        assert (uppsala["population"], uppsala["location"]) == (200000, "Kungsängsverket")  # "2e+05" in the file
        assert sites.set_index("site_id").loc["SE003", "location"] == ""  # "N/A"

    def test_missing_column(self, tmp_path):
        p = write(tmp_path, "s.csv", b"SiteID,Country,City,Location,Latitude,Population,Institution\nX1,SE,A,,60,1,\n")
        err = raises_input_error(euda.load_sites, p)
        assert "'Longitude'" in err.problem

    def test_latitude_out_of_range(self, tmp_path):
        p = write(tmp_path, "s.csv", b"SiteID,Country,City,Location,Latitude,Longitude,Population,Institution\n"
                                     b"X1,SE,A,,60,15,1,\nX2,SE,B,,600,15,1,\n")
        err = raises_input_error(euda.load_sites, p)
        assert (err.row, err.column) == (3, "Latitude")


class TestEuropeanMean:
    def test_real_file(self):
        eu = euda.load_european_mean(TRENDS)
        assert eu["substance"].unique().tolist() == ["cocaine"]
        assert eu["year"].tolist() == list(range(2011, 2025))
        assert eu.loc[eu["year"] == 2024, "european_mean"].item() == pytest.approx(848.147748699737)

    def test_what_the_european_mean_is(self, raw_csv):
        """It is the mean daily mean of the 7 sites with cocaine data in all 14 years, not of all sites."""
        eu = euda.load_european_mean(TRENDS).set_index("year")["european_mean"]
        coc = raw_csv[raw_csv["Metabolite"] == "cocaine"]
        years = coc.groupby("Site ID")["Year"].nunique()
        panel = years[years == 14].index
        assert sorted(panel) == ["BE002", "ES002", "ES007", "HR002", "IT003", "NL002", "NL010"]
        panel_mean = coc[coc["Site ID"].isin(panel)].groupby("Year")["Daily mean"].mean()
        # the table's values are rounded to 2 decimals; EUDA averaged unrounded loads
        assert (panel_mean - eu).abs().max() < 0.003
        all_sites = coc.groupby("Year")["Daily mean"].mean()
        assert all_sites[2024] == pytest.approx(416.82, abs=0.01)  # about half the published 848.15
        assert ((all_sites - eu).abs() > 10).sum() == 14

    def test_unknown_metabolite_and_negative(self, tmp_path):
        p = write(tmp_path, "t.csv", b'"metabolite","2023"\n"Benzoylecgonine",1\n"Coffee",2\n')
        err = raises_input_error(euda.load_european_mean, p)
        assert (err.row, err.column) == (3, "metabolite")
        p = write(tmp_path, "t2.csv", b'"metabolite","2023","2024"\n"Benzoylecgonine",1,-2\n')
        err = raises_input_error(euda.load_european_mean, p)
        assert (err.row, err.column) == (2, "2024")

    def test_no_year_columns(self, tmp_path):
        p = write(tmp_path, "t.csv", b'"metabolite","value"\n"Benzoylecgonine",1\n')
        raises_input_error(euda.load_european_mean, p)


# ============================================================================================
# Recomputed means
# ============================================================================================


def _daily(loads: list[float], site: str = "X", substance: str = "cocaine") -> pd.DataFrame:
    return pd.DataFrame({"site_id": site, "year": 2024, "campaign": "2024", "substance": substance,
                         "weekday": range(7), "load": loads})


class TestRecomputeMeans:
    def test_definitions_by_hand(self):
        # Mon 7, Tue 1, Wed 2, Thu 3, Fri 4, Sat 5, Sun 6 → weekday (1+2+3)/3, weekend (4+5+6+7)/4, all 28/7
        r = euda.recompute_means(_daily([7, 1, 2, 3, 4, 5, 6]))
        assert r[["weekday_mean", "weekend_mean", "daily_mean"]].iloc[0].tolist() == [2.0, 5.5, 4.0]
        assert r[["n_weekday_days", "n_weekend_days", "n_days"]].iloc[0].tolist() == [3, 4, 7]

    def test_missing_days_left_out_and_none_is_nan(self):
        loads = [np.nan, np.nan, np.nan, np.nan, 4.0, 6.0, np.nan]  # only Friday and Saturday
        r = euda.recompute_means(pd.concat([_daily(loads), _daily([1.0] * 7, site="Y")])).set_index("site_id")
        assert np.isnan(r.loc["X", "weekday_mean"])
        assert (r.loc["X", "weekend_mean"], r.loc["X", "daily_mean"]) == (5.0, 5.0)
        assert r.loc["X", ["n_weekday_days", "n_weekend_days", "n_days"]].tolist() == [0, 2, 2]
        assert r.loc["Y", ["weekday_mean", "weekend_mean", "daily_mean"]].tolist() == [1.0, 1.0, 1.0]

    def test_other_split(self):
        r = euda.recompute_means(_daily([7, 1, 2, 3, 4, 5, 6]), weekday_days=euda.WEEKDAY_DAYS_2021,
                                 weekend_days=euda.WEEKEND_DAYS_2021)
        assert r[["weekday_mean", "weekend_mean"]].iloc[0].tolist() == [2.5, 6.0]  # Tue–Fri, Sat–Mon


class TestMeansAgreementWholeTable:
    """EUDA's published means against the means recomputed from the day columns, every row."""

    @pytest.fixture(scope="class")
    @classmethod
    def agreement(cls, real):
        daily, summary = real
        alternative = euda.recompute_means(daily, weekday_days=euda.WEEKDAY_DAYS_2021,
                                           weekend_days=euda.WEEKEND_DAYS_2021)
        return euda.means_agreement(summary, euda.recompute_means(daily), alternative=alternative)

    def test_shares_measured(self, agreement):
        # Measured over all 4 376 rows (a published mean that is missing counts as not matching):
        #   weekday 3 972 (90.8 %), weekend 4 004 (91.5 %), daily 4 253 (97.2 %).
        # Investigated mismatches:
        #   * 2021: EUDA's published weekday/weekend means use Tuesday–Friday and Saturday–Monday for
        #     most sites (274 weekday and 277 weekend means match that split, not Tue–Thu / Fri–Mon);
        #   * rows lacking a day (245 rows): EUDA's means are not the mean of the days present
        #     (imputation or another handling); 71 weekday, 48 weekend, 99 daily mismatches;
        #   * published mean missing: GB001 2022 weekday (4), CH003 2021 weekend (4);
        #   * other: multi-plant sites (BR005, BR019, BR023 in 2024: "(2)" cities, probably plant-level
        #     means averaged) and scattered 2011–2016 rows (e.g. BE006, BE009, DE011, DE026 in 2014).
        #   Complete weeks outside 2021 match 98.6 % (weekday), 98.9 % (weekend), 99.4 % (daily).
        share = agreement.share
        assert share["weekday_mean"] == pytest.approx(3972 / 4376)
        assert share["weekend_mean"] == pytest.approx(4004 / 4376)
        assert share["daily_mean"] == pytest.approx(4253 / 4376)
        reasons = agreement.detail.groupby(["kind", "reason"]).size()
        assert reasons[("weekday_mean", "other day split")] == 274
        assert reasons[("weekend_mean", "other day split")] == 277
        assert reasons[("weekday_mean", "published mean missing")] == 4
        assert reasons[("weekend_mean", "published mean missing")] == 4
        assert reasons[("daily_mean", "missing days")] == 99
        assert set(agreement.detail.loc[agreement.detail["match"], "reason"]) == {""}

    def test_shares_with_pandas_directly(self, agreement, raw_csv):
        """The same shares computed from the raw CSV with plain pandas, without lagesbild."""
        d = raw_csv
        refs = {"Weekday mean": d[["Tuesday", "Wednesday", "Thursday"]].mean(axis=1),
                "Weekend mean": d[["Friday", "Saturday", "Sunday", "Monday"]].mean(axis=1),
                "Daily mean": d[DAY_NAMES].mean(axis=1)}
        for (col, ref), kind in zip(refs.items(), euda.MEAN_KINDS, strict=True):
            assert ((d[col] - ref).abs() <= 0.01 + 1e-9).mean() == pytest.approx(agreement.share[kind])

    def test_definition_holds_for_complete_weeks_outside_2021(self, agreement, real):
        _, summary = real
        detail = agreement.detail.merge(summary[["site_id", "year", "substance", "n_days"]],
                                        on=["site_id", "year", "substance"])
        complete = detail[(detail["year"] != 2021) & (detail["n_days"] == 7)]
        share = complete.groupby("kind")["match"].mean()
        assert share["weekday_mean"] > 0.985 and share["weekend_mean"] > 0.988 and share["daily_mean"] > 0.993

    def test_swedish_rows(self, agreement):
        se = agreement.detail[agreement.detail["site_id"].str.startswith("SE")]
        bad = se[~se["match"]]
        assert set(bad["year"]) == {2021}  # every other Swedish published mean matches
        assert set(bad["reason"]) == {"other day split", "missing days"}
        assert set(bad.loc[bad["reason"] == "missing days", "site_id"]) == {"SE008"}  # Söderhamn lacks a Wednesday

    def test_hand_made_reasons(self):
        keys = {"site_id": ["A", "B", "C", "D"], "year": 2024, "campaign": "2024", "substance": "MDMA"}
        summary = pd.DataFrame({**keys, "weekday_mean": [1.0, np.nan, 3.0, 5.0], "weekend_mean": 1.0,
                                "daily_mean": [1.0, 1.0, 1.0, 9.0]})
        rec = pd.DataFrame({**keys, "weekday_mean": [1.01, 2.0, 2.0, np.nan], "weekend_mean": 1.0,
                            "daily_mean": [1.0, 1.0, 1.2, np.nan], "n_days": [7, 7, 6, 0]})
        a = euda.means_agreement(summary, rec)
        wd = a.detail[a.detail["kind"] == "weekday_mean"].set_index("site_id")
        assert wd["match"].tolist() == [True, False, False, False]
        assert wd["reason"].tolist() == ["", "published mean missing", "missing days", "no days measured"]
        dm = a.detail[a.detail["kind"] == "daily_mean"].set_index("site_id")
        assert dm["reason"].tolist() == ["", "", "missing days", "no days measured"]
        assert a.share.tolist() == [0.25, 1.0, 0.5]
        tight = euda.means_agreement(summary, rec, tol=0.001)
        assert tight.share["weekday_mean"] == 0.0


# ============================================================================================
# Comparisons
# ============================================================================================


@pytest.fixture
def hand_summary():
    """Six sites, cocaine 2024: SE A 100, SE B 300, NO C 200, DK D 400, SE E 50, SE F 300; A also 2022."""
    return pd.DataFrame({
        "site_id": ["A", "B", "C", "D", "E", "F", "A", "G"],
        "site": list("abcdefag"),
        "country": ["SE", "SE", "NO", "DK", "SE", "SE", "SE", "SE"],
        "kommun_kod": ["0001", "0002", None, None, "0005", "0006", "0001", "0007"],
        "year": [2024] * 6 + [2022, 2024],
        "campaign": ["2024"] * 6 + ["2022", "2024"],
        "substance": ["cocaine"] * 8,
        "daily_mean": [100.0, 300.0, 200.0, 400.0, 50.0, 300.0, 80.0, np.nan],
    })


class TestLatestYear:
    def test_hand(self, hand_summary):
        assert euda.latest_year(hand_summary, "cocaine") == 2024
        assert euda.latest_year(hand_summary, "cocaine", site_id="G") is None  # only a missing value
        assert euda.latest_year(hand_summary, "MDMA") is None
        assert euda.latest_year(hand_summary.iloc[[6]], "cocaine", country="SE") == 2022

    def test_real(self, real):
        _, summary = real
        assert euda.latest_year(summary, "cocaine", country="SE") == 2024
        assert euda.latest_year(summary, "cocaine", site_id="SE010") == 2013
        assert euda.latest_year(summary, "ketamine", site_id="SE011") == 2023


class TestPosition:
    def test_rank_and_percentile_by_hand(self, hand_summary):
        # 2024 values: 50, 100, 200, 300, 300, 400 (G has none)
        p = euda.position(hand_summary, "A", "cocaine", 2024)
        assert (p.value, p.rank, p.n_sites) == (100.0, 5, 6)
        assert p.percentile == pytest.approx(100 * 2 / 6)  # 50 and 100 are ≤ 100
        assert (p.minimum, p.median, p.maximum) == (50.0, 250.0, 400.0)

    def test_ties_share_the_best_rank(self, hand_summary):
        b, f = (euda.position(hand_summary, s, "cocaine", 2024) for s in "BF")
        assert b.rank == f.rank == 2
        assert b.percentile == pytest.approx(100 * 5 / 6)
        assert b.percentile == stats.percentileofscore([50, 100, 200, 300, 300, 400], 300, kind="weak")

    def test_country(self, hand_summary):
        p = euda.position(hand_summary, "A", "cocaine", 2024, country="SE")
        assert (p.rank, p.n_sites, p.percentile) == (3, 4, 50.0)  # SE: 50, 100, 300, 300
        assert p.median == 200.0
        assert euda.position(hand_summary, "C", "cocaine", 2024, country="SE") is None

    def test_no_value(self, hand_summary):
        assert euda.position(hand_summary, "G", "cocaine", 2024) is None
        assert euda.position(hand_summary, "A", "cocaine", 2023) is None

    def test_real_highest_swedish_cocaine(self, real):
        _, summary = real
        p = euda.position(summary, "SE005", "cocaine", 2024, country="SE")
        assert (p.rank, p.n_sites, p.value, p.percentile) == (1, 5, 374.23, 100.0)


class TestNearestSites:
    def test_stockholm_uppsala(self):
        sites = euda.load_sites(SITE_INFO)
        se = sites.set_index("site_id")
        up, st = se.loc["SE011"], se.loc["SE005"]
        _, _, metres = Geod(ellps="WGS84").inv(up["lon"], up["lat"], st["lon"], st["lat"])
        near = euda.nearest_sites(up["lat"], up["lon"], sites, n=3)
        assert near["site_id"].tolist()[:2] == ["SE011", "SE005"]
        assert near["distance_km"].iloc[0] == pytest.approx(0.0, abs=1e-6)
        assert near["distance_km"].iloc[1] == pytest.approx(metres / 1000)
        assert near["distance_km"].iloc[1] == pytest.approx(64, abs=0.5)  # Stockholm–Uppsala ≈ 64 km
        assert near["distance_km"].is_monotonic_increasing
        assert list(near.columns) == ["site_id", "site", "city", "distance_km"]

    def test_country_filter(self):
        sites = euda.load_sites(SITE_INFO)
        # Oslo: nearest Swedish site vs nearest site anywhere
        assert euda.nearest_sites(59.91, 10.75, sites, n=1)["site_id"].item().startswith("SE")
        anywhere = euda.nearest_sites(59.91, 10.75, sites, n=1, country=None)
        assert not anywhere["site_id"].item().startswith("SE")

    def test_bad_point(self):
        sites = euda.load_sites(SITE_INFO)
        with pytest.raises(ValueError):
            euda.nearest_sites(6_600_000, 670_000, sites)  # SWEREF 99 TM metres, not degrees


class TestNationalPicture:
    def test_hand(self, hand_summary):
        t = euda.national_picture(hand_summary, 2023)
        assert t[["site_id", "year", "daily_mean"]].to_dict("records") == [
            {"site_id": "A", "year": 2022, "daily_mean": 80.0}]
        t = euda.national_picture(hand_summary, 2024)
        assert t["site_id"].tolist() == ["B", "F", "A", "E"]  # highest first; ties by site id; G has no value
        assert euda.national_picture(hand_summary, 2024, country="NO")["site_id"].tolist() == ["C"]

    def test_real(self, real):
        _, summary = real
        t = euda.national_picture(summary, 2024)
        coc = t[t["substance"] == "cocaine"].set_index("site_id")
        assert len(coc) == 10
        assert coc.loc["SE003", ["year", "daily_mean"]].tolist() == [2024, 108.62]
        assert coc.loc["SE010", ["year", "daily_mean"]].tolist() == [2013, 5.07]
        assert t["substance"].unique().tolist() == list(SUBSTANCES)
        only = euda.national_picture(summary, 2024, fallback=False)
        assert set(only["year"]) == {2024}
        assert set(only["site_id"]) == {"SE002", "SE003", "SE005", "SE009", "SE012"}
