"""Tests of lagesbild.sources.ntu: loading Brå's NTU file, themes, kommun against län and riket.

Values of the bundled file were read from ``data/raw/ntu/bra_kommunindikatorer_dalarna_ntu.csv`` by
hand (line numbers in the comments); the rest are small hand-made files.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from helpers import raises_input_error

from lagesbild.core.paths import DATA
from lagesbild.sources import ntu
from lagesbild.sources import public as sources

NTU_CSV = DATA / "raw" / "ntu" / "bra_kommunindikatorer_dalarna_ntu.csv"
KOMMUNER = sources.load_kommuner(DATA / "raw" / "geo" / "swedish_admin_areas.csv")
HEADER = "region_code,region_name,year,indicator,unit,value\n"
ORO = "Oro för att utsättas för misshandel"
SHARE_UNIT = "Andel (%) i befolkningen (16–84 år) som oroar sig ganska/mycket ofta."


@pytest.fixture(scope="module")
def bundled() -> pd.DataFrame:
    return ntu.load_ntu(NTU_CSV, KOMMUNER)


def rows(*lines: str) -> str:
    return HEADER + "".join(line + "\n" for line in lines)


def oro(region="2080,Falun", year=2024, share="5.0", low="3.0", high="7.0") -> list[str]:
    out = [f"{region},{year},{ORO},{SHARE_UNIT},{share}"]
    if low is not None:
        out.append(f"{region},{year},{ORO},KI (95 %) undre gräns,{low}")
    if high is not None:
        out.append(f"{region},{year},{ORO},KI (95 %) övre gräns,{high}")
    return out


def write(tmp_path, text: str, name: str = "ntu.csv", encoding: str = "utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


class TestLoadBundled:
    def test_shape_regions_and_themes(self, bundled):
        assert len(bundled) == 2992  # 9 129 raw rows: 2 992 × (share + two limits) + 153 respondent rows
        assert list(bundled.columns) == list(ntu.NTU_COLUMNS)
        assert sorted(bundled["region_code"].unique()) == sorted(
            ["00", "20", "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080", "2081", "2082",
             "2083", "2084", "2085"])
        assert bundled["indicator"].nunique() == 20 and set(bundled["indicator"]) == set(ntu.INDICATORS)
        assert (bundled["theme"] != "").all()
        per_region = bundled[bundled["region_code"] == "2080"].groupby("theme").size().to_dict()
        # utsatthet 6 indicators × 9 years; otrygghet 1 × 9; oro 6 × 9; problem 3 × 9 + 4 × 8
        assert per_region == {"utsatthet": 54, "otrygghet": 9, "oro": 54, "problem": 59}

    def test_values_read_by_hand(self, bundled):
        b = bundled.set_index(["region_code", "indicator", "year"])
        # lines 2345–2347 and 2158: Falun 2025 otrygghet 19.0 [15.0, 23.0], 465 respondents
        r = b.loc[("2080", "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet", 2025)]
        assert (r["share"], r["ci_low"], r["ci_high"], r["respondents"]) == (19.0, 15.0, 23.0, 465.0)
        assert r["theme"] == "otrygghet" and r["survey_year"] == 2025
        # lines 566–568 and 19: Dalarnas län 2025
        r = b.loc[("20", "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet", 2025)]
        assert r["share"] == pytest.approx(21.195378627849344) and r["ci_high"] == pytest.approx(23.2300318484263)
        assert r["respondents"] == 2142.0
        # lines 593–595: Hela landet 2025
        r = b.loc[("00", "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet", 2025)]
        assert (round(r["share"], 6), round(r["ci_low"], 6)) == (24.987962, 24.564736)

    def test_victimisation_is_about_the_year_before_the_survey(self, bundled):
        b = bundled.set_index(["region_code", "indicator", "year"])
        # lines 2159–2161 and 2150: Falun victimisation 2016 = NTU 2017, answered by 398
        r = b.loc[("2080", "Självrapporterad utsatthet för misshandel", 2016)]
        assert (r["share"], r["ci_low"], r["ci_high"]) == (3.1, 2.0, 4.4)
        assert r["survey_year"] == 2017 and r["respondents"] == 398.0
        # lines 8681–8683 and 8602: Älvdalen rån 2024 0.5 [0.2, 1.1], NTU 2025 with 86 respondents
        r = b.loc[("2039", "Självrapporterad utsatthet för rån", 2024)]
        assert (r["share"], r["ci_low"], r["ci_high"], r["respondents"]) == (0.5, 0.2, 1.1, 86.0)
        years = bundled.groupby("theme")["year"].agg(["min", "max"]).to_dict("index")
        assert years["utsatthet"] == {"min": 2016, "max": 2024} and years["oro"] == {"min": 2017, "max": 2025}

    def test_labels_are_short_and_unique(self, bundled):
        labels = bundled.drop_duplicates("indicator").set_index("indicator")["label"]
        assert labels.is_unique and labels.str.len().max() < 70
        assert labels[next(k for k in ntu.INDICATORS if "bostadsinbrott" in k)] == "Oro för bostadsinbrott"


class TestLoadFormats:
    def test_small_file(self, tmp_path):
        p = write(tmp_path, rows(*oro(), "2080,Falun,2024,Antal svarande i NTU.,,427.0"))
        df = ntu.load_ntu(p)
        assert df[["region_code", "year", "survey_year", "theme", "label", "share", "ci_low", "ci_high",
                   "respondents"]].values.tolist() == [["2080", 2024, 2024, "oro", "Oro för misshandel", 5.0, 3.0, 7.0,
                                                        427.0]]
        assert df["unit"].tolist() == [SHARE_UNIT]

    def test_swedish_export_latin1_semicolons_decimal_commas_names_only(self, tmp_path):
        text = ("Region;År;Indikator;Enhet;Värde\n"
                f"Falun;2024;{ORO};Andel (%);5,5\nFalun;2024;{ORO};KI (95 %) nedre gräns;3,5\n"
                f"Falun;2024;{ORO};KI (95 %) övre gräns;7,5\nDalarnas län;2024;{ORO};Andel (%);..\n"
                "Hela landet;2024;Antal svarande i NTU.;;64 751\n")
        df = ntu.load_ntu(write(tmp_path, text, encoding="cp1252"), KOMMUNER)
        assert df[["region_code", "share", "ci_low", "ci_high"]].fillna(-1).values.tolist() == [
            ["20", -1.0, -1.0, -1.0], ["2080", 5.5, 3.5, 7.5]]

    def test_pxweb_labels_and_no_interval(self, tmp_path):
        text = "region;år;indikator;enhet;värde\n0180 Stockholm;2024;Problem med klotter i det egna bostadsområdet;Andel (%);12\n"
        df = ntu.load_ntu(write(tmp_path, text))
        assert df["region_code"].tolist() == ["0180"] and math.isnan(df["ci_low"].iloc[0])
        assert df["theme"].tolist() == ["problem"] and df["label"].tolist() == ["Klotter"]

    def test_unknown_indicator_is_kept_with_a_theme_from_its_name(self, tmp_path):
        p = write(tmp_path, rows("2080,Falun,2024,Självrapporterad utsatthet för hot,Andel (%),4",
                                 "2080,Falun,2024,Förtroende för polisen,Andel (%),60"))
        df = ntu.load_ntu(p).set_index("indicator")
        assert df.loc["Självrapporterad utsatthet för hot", "theme"] == "utsatthet"
        assert df.loc["Självrapporterad utsatthet för hot", "survey_year"] == 2025
        assert df.loc["Förtroende för polisen", "theme"] == "" and df.loc["Förtroende för polisen", "label"] == \
            "Förtroende för polisen"


class TestLoadErrors:
    def test_unknown_unit(self, tmp_path):
        p = write(tmp_path, rows(*oro(), f"2080,Falun,2024,{ORO},Medelvärde,3"))
        e = raises_input_error(ntu.load_ntu, p)
        assert (e.row, e.column) == (5, "unit") and "Medelvärde" in e.problem and "KI (95 %)" in e.fix

    def test_interval_without_share(self, tmp_path):
        p = write(tmp_path, rows(*oro()[1:]))
        e = raises_input_error(ntu.load_ntu, p)
        assert e.row == 2 and "no share row" in e.problem

    def test_interval_with_one_end(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(high=None))))
        assert e.row == 3 and "only one end" in e.problem

    def test_share_outside_its_interval(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(share="8.0"))))
        assert (e.row, e.column) == (2, "value") and "outside its interval" in e.problem

    def test_share_above_100(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(share="150", low="140", high="160"))))
        assert e.row == 2 and "above 100" in e.problem

    def test_negative_value(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(low="-1"))))
        assert (e.row, e.column) == (3, "value")

    def test_not_a_number(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(share="fem"))))
        assert (e.row, e.column) == (2, "value")

    def test_fractional_respondents(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(), "2080,Falun,2024,Antal svarande i NTU.,,42.5")))
        assert (e.row, e.column) == (5, "value") and "whole" in e.problem

    def test_two_shares_for_one_key(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(), f"2080,Falun,2024,{ORO},Andel (%),6")))
        assert e.row == 5 and "rows 2 and 5" in e.problem

    def test_two_respondent_counts(self, tmp_path):
        p = write(tmp_path, rows("2080,Falun,2024,Antal svarande i NTU.,,400", "2080,Falun,2024,Antal svarande i NTU.,,401"))
        assert "rows 2 and 3" in raises_input_error(ntu.load_ntu, p).problem

    def test_unknown_region_name(self, tmp_path):
        text = "region,year,indicator,unit,value\nOslo,2024,x,Andel,1\n"
        e = raises_input_error(ntu.load_ntu, write(tmp_path, text), KOMMUNER)
        assert (e.row, e.column) == (2, "region_name") and "Oslo" in e.problem

    def test_region_code_not_a_kommun(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, rows(*oro(region="2099,Nowhere"))), KOMMUNER)
        assert (e.row, e.column) == (2, "region_code")

    def test_missing_column(self, tmp_path):
        e = raises_input_error(ntu.load_ntu, write(tmp_path, "region_code,region_name,year,unit,value\n2080,F,2024,a,1\n"))
        assert "'indicator'" in e.problem and e.row == 1


class TestIndicatorInfo:
    def test_known_and_prefix_rules(self):
        assert ntu.indicator_info("Problem med gäng som uppehåller sig i det egna bostadsområdet") == (
            "problem", "Gäng som uppehåller sig i området")
        assert ntu.indicator_info("  otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet ")[0] == "otrygghet"
        assert ntu.indicator_info("Avstått från att gå ut")[0] == "oro"
        assert ntu.indicator_info("Oro för brottsligheten i samhället")[0] == "oro"
        assert ntu.indicator_info("Förtroende för rättsväsendet") == ("", "Förtroende för rättsväsendet")

    def test_every_indicator_has_one_of_the_four_themes(self):
        assert {theme for theme, _ in ntu.INDICATORS.values()} == set(ntu.THEMES)
        assert list(ntu.THEMES.values()) == ["Utsatthet för brott", "Otrygghet", "Oro för brott",
                                             "Problem i bostadsområdet"]


class TestComparison:
    def test_falun(self, bundled):
        c = ntu.comparison(bundled, "2080", "20")
        assert c.available and c.reason == ""
        assert c.frame["level"].drop_duplicates().tolist() == ["kommun", "län", "riket"]
        assert set(c.frame.loc[c.frame["level"] == "län", "region_code"]) == {"20"}
        assert (c.frame["level"] == "kommun").sum() == 176

    def test_kommun_outside_the_data(self, bundled):
        c = ntu.comparison(bundled, "1283", "12")
        assert not c.available and c.frame.empty
        assert "15 kommuner" in c.reason and "Falun" in c.reason and "1283" in c.reason
        assert ntu.latest(c).empty

    def test_no_ntu_file(self):
        c = ntu.comparison(ntu.empty_ntu(), "2080", "20")
        assert not c.available and "ingen NTU-fil" in c.reason


class TestLatest:
    def frame(self) -> pd.DataFrame:
        base = {"theme": "oro", "indicator": ORO, "label": "Oro för misshandel", "respondents": 400.0}
        klotter = {"theme": "problem", "indicator": "Problem med klotter i det egna bostadsområdet", "label": "Klotter",
                   "respondents": 400.0}
        recs = [
            {**base, "level": "kommun", "year": 2023, "survey_year": 2023, "share": 7.0, "ci_low": 5.0, "ci_high": 9.0},
            {**base, "level": "kommun", "year": 2024, "survey_year": 2024, "share": 5.0, "ci_low": 3.0, "ci_high": 7.0},
            {**base, "level": "län", "year": 2024, "survey_year": 2024, "share": 6.0, "ci_low": 5.0, "ci_high": 7.0},
            {**base, "level": "län", "year": 2025, "survey_year": 2025, "share": 9.0, "ci_low": 8.0, "ci_high": 10.0},
            {**base, "level": "riket", "year": 2024, "survey_year": 2024, "share": 8.0, "ci_low": 7.8, "ci_high": 8.2},
            {**klotter, "level": "kommun", "year": 2024, "survey_year": 2024, "share": 3.0, "ci_low": 2.0, "ci_high": 4.0},
            {**klotter, "level": "kommun", "year": 2025, "survey_year": 2025, "share": float("nan"),
             "ci_low": float("nan"), "ci_high": float("nan")},
        ]
        return pd.DataFrame(recs)

    def test_kommuns_latest_year_with_the_regions_of_that_year(self):
        out = ntu.latest(self.frame()).set_index("label")
        # oro: the kommun's latest is 2024; the län's 2025 is not used
        assert out.loc["Oro för misshandel", ["year", "share", "share_lan", "share_riket"]].tolist() == [2024, 5.0, 6.0,
                                                                                                       8.0]
        # klotter: 2025 has no share for the kommun, so 2024; no län or riket row that year
        r = out.loc["Klotter"]
        assert r["year"] == 2024 and r["share"] == 3.0 and math.isnan(r["share_lan"]) and math.isnan(r["share_riket"])
        assert list(out.index) == ["Oro för misshandel", "Klotter"]  # theme order: oro before problem
        assert out["theme_label"].tolist() == ["Oro för brott", "Problem i bostadsområdet"]

    def test_bundled_falun(self, bundled):
        out = ntu.latest(ntu.comparison(bundled, "2080", "20"))
        assert len(out) == 20 and out["theme"].tolist()[0] == "utsatthet" and out["theme"].tolist()[-1] == "problem"
        r = out.set_index("indicator").loc["Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet"]
        assert (r["year"], r["share"], r["ci_low"], r["ci_high"], r["respondents"]) == (2025, 19.0, 15.0, 23.0, 465.0)
        assert r["share_lan"] == pytest.approx(21.195378627849344) and r["respondents_lan"] == 2142.0
        assert r["share_riket"] == pytest.approx(24.987961713550163)
        assert set(out.loc[out["theme"] == "utsatthet", "year"]) == {2024}
