"""Tests of the local surveys (lokala enkäter): the statistics, the template, the loader, bad input, the text,
and the section in a built lägesbild.

Reference values are worked by hand (the formulas are written out in the tests) or published: the Wilson
intervals of Newcombe (1998a, Table I: 81/263, 15/148, 0/20, 1/29) and the hybrid score intervals of the
difference of Newcombe (1998b, Table II, method 10: 56/70 − 48/80, 9/10 − 3/10).
"""

from __future__ import annotations

import html
import io
import json
import math
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lagesbild.core import reads
from lagesbild.core.errors import InputError, LagesbildError
from lagesbild.core.paths import PROJ_ROOT
from lagesbild.stats.surveys import share_change, survey_change, wilson_interval
from lagesbild.summary import local_surveys as ls
from lagesbild.summary import local_surveys_text as lt

TEMPLATES_DIR = PROJ_ROOT / "data" / "templates" / "lokala_enkater"
EXAMPLE = ls.EXAMPLE_LOCAL_SURVEYS
HEADER = ("kommun;enkat;indikator;grupp;ar;andel;medel;skala;antal_svarande;nedre;ovre;utgivare;kalla;anmarkning")
nan = float("nan")


# ============================================================================================
# Statistics (lagesbild.stats.surveys)
# ============================================================================================


class TestWilsonInterval:
    def test_30_of_120_by_hand(self):
        # p = 0,25, n = 120, z = 1,959964, z² = 3,841459:
        # centre = (p + z²/2n) / (1 + z²/n) = 0,2660061 / 1,0320122 = 0,2577551
        # half = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n) = 1,959964 · sqrt(0,0015625 + 0,0000667) / 1,0320122 = 0,0766564
        low, high = wilson_interval(0.25, 120)
        assert low == pytest.approx(0.2577551 - 0.0766564, abs=2e-6)
        assert high == pytest.approx(0.2577551 + 0.0766564, abs=2e-6)

    @pytest.mark.parametrize(("x", "n", "low", "high"), [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605),
                                                         (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
    def test_newcombe_1998_table_1(self, x, n, low, high):
        got = wilson_interval(x / n, n)
        assert got == pytest.approx((low, high), abs=6e-5)

    def test_zero_of_n_has_upper_limit_z2_over_n_plus_z2(self):
        z2 = 1.959964**2
        assert wilson_interval(0.0, 20) == pytest.approx((0.0, z2 / (20 + z2)), abs=1e-6)

    @pytest.mark.parametrize(("share", "n"), [(1.2, 10), (-0.1, 10), (0.5, 0), (0.5, -3), (math.nan, 10)])
    def test_bad_values(self, share, n):
        with pytest.raises(ValueError):
            wilson_interval(share, n)


class TestShareChange:
    def test_two_proportion_z_test_by_hand(self):
        # 30 of 120 (25 %) before, 50 of 125 (40 %) after: pooled 80/245 = 0,3265306;
        # se = sqrt(0,3265306 · 0,6734694 · (1/120 + 1/125)) = 0,0599319; z = 0,15 / 0,0599319 = 2,50284
        c = share_change((0.25, 120), (0.40, 125))
        assert c.pooled == pytest.approx(80 / 245)
        assert c.se == pytest.approx(0.0599319, abs=1e-7)
        assert c.z == pytest.approx(2.50284, abs=1e-5)
        assert c.p_value == pytest.approx(0.012320, abs=1e-6)  # 2 · (1 − Φ(2,50284))
        assert c.detectable and c.difference == pytest.approx(0.15)

    def test_same_as_statsmodels_proportions_ztest(self):
        from statsmodels.stats.proportion import proportions_ztest

        z, p = proportions_ztest([50, 30], [125, 120])
        c = share_change((30 / 120, 120), (50 / 125, 125))
        assert (c.z, c.p_value) == pytest.approx((z, p))

    @pytest.mark.parametrize(("before", "after", "low", "high"), [((48, 80), (56, 70), 0.0524, 0.3339),
                                                                  ((3, 10), (9, 10), 0.1705, 0.8090)])
    def test_newcombe_1998_method_10(self, before, after, low, high):
        c = share_change((before[0] / before[1], before[1]), (after[0] / after[1], after[1]))
        assert (c.ci_low, c.ci_high) == pytest.approx((low, high), abs=6e-5)

    def test_not_clear_when_the_evidence_is_weak(self):
        c = share_change((0.58, 405), (0.61, 390))
        assert not c.detectable and c.p_value > 0.05

    def test_both_zero_has_no_test(self):
        c = share_change((0.0, 10), (0.0, 10))
        assert math.isnan(c.p_value) and not c.detectable


# ============================================================================================
# Template and loader
# ============================================================================================


def sheet_values(path_or_bytes) -> dict[str, list[tuple]]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    return {ws.title: [tuple(c.value for c in r) for r in ws.iter_rows()] for ws in wb.worksheets}


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = ls.write_templates(tmp_path)
        assert [p.name for p in written] == ["lokala_enkater.csv", "lokala_enkater.xlsx", "README.md"]
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates/lokala_enkater')"
            if path.suffix == ".xlsx":
                assert sheet_values(committed) == sheet_values(path), "run write_templates(…)"
            else:
                assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates(…)"

    def test_template_round_trip(self):
        raw = (TEMPLATES_DIR / "lokala_enkater.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0] == HEADER
        df = ls.load_local_survey(TEMPLATES_DIR / "lokala_enkater.csv")
        assert df.index.tolist() == [2, 3, 4]
        assert df["measure"].tolist() == ["andel", "andel", "medel"]
        assert df["value"].tolist() == [24.5, 19.0, 3.7]
        assert df["scale_max"].tolist() == [100.0, 100.0, 5.0]
        xlsx = ls.load_local_survey(TEMPLATES_DIR / "lokala_enkater.xlsx")
        pd.testing.assert_frame_equal(xlsx.drop(columns="file"), df.drop(columns="file"), check_index_type=False)

    def test_workbook(self):
        sheets = sheet_values(TEMPLATES_DIR / "lokala_enkater.xlsx")
        assert list(sheets) == ["lokala_enkater", "Instruktioner"]
        assert sheets["lokala_enkater"][0] == tuple(ls.TEMPLATE.header)
        text = " ".join(str(v) for r in sheets["Instruktioner"] for v in r if v)
        for needle in (ls.INTERVAL_RULE, ls.CHANGE_RULE, ls.SAMPLE_RULE, *ls.TEMPLATE.header, "local_surveys"):
            assert needle in text, needle
        with zipfile.ZipFile(io.BytesIO(ls.workbook_bytes())) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}

    def test_readme_documents_every_column_and_the_rules(self):
        text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
        for column in ls.TEMPLATE.header:
            assert f"| {column} |" in text, column
        assert "18,1–33,4 %" in text and "Newcombe" in text and "local_surveys" in text


def write(folder: Path, name: str, *rows: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


ROW = "1283;Enkät;Utsatt;Åk 9;2022;25;;;120;;;Region Skåne;;"


class TestLoader:
    def test_example_folder(self):
        data = ls.load_local_surveys(EXAMPLE, "1283")
        assert data.example and data.kommun_kod == "1283"
        assert [f["name"] for f in data.files] == ["lokala_enkater/folkhalsoenkat_barn_och_unga.csv",
                                                   "lokala_enkater/foretagens_trygghetsundersokning.csv"]
        assert all(f["description"].endswith("(påhittade exempeldata)") for f in data.files)
        assert len(data.results) == 13 and set(data.results["kommun_kod"]) == {"1283"}
        falun = ls.load_local_surveys(EXAMPLE, "2080")
        assert [f["name"] for f in falun.files] == ["lokala_enkater/lupp_falun.csv"] and len(falun.results) == 6

    def test_a_kommun_without_rows_gets_none(self):
        assert ls.load_local_surveys(EXAMPLE, "0114") is None

    def test_names_groups_and_aliases(self, tmp_path):
        text = ("Kommun;Enkät;Fråga;År;Andel;Svarande;Utgivare\n"
                "1283;Skolenkäten;Använt  narkotika;2022;12,5;300;Kommunen\n"
                "1283;skolenkäten;använt narkotika;2024;14;310;Kommunen\n")
        (tmp_path / "skola.csv").write_text(text, encoding="utf-8")
        df = ls.load_local_survey(tmp_path / "skola.csv")
        assert df["enkat"].tolist() == ["Skolenkäten"] * 2  # one spelling: the first
        assert df["indikator"].tolist() == ["Använt narkotika"] * 2 and df["grupp"].tolist() == ["Alla"] * 2
        assert df["respondents"].tolist() == [300.0, 310.0] and df["ci_low"].isna().all()

    def test_excel_with_numbers_a_percent_format_and_its_own_sheet_name(self, tmp_path):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Blad1"
        ws.append(ls.TEMPLATE.header)
        ws.append(["1283", "Skolenkät", "Använt narkotika", "Åk 9", 2024, 6.1, None, None, 2980, 5.2, 7.0, "Region Skåne"])
        ws.append(["1283", "Skolenkät", "Trygghet", "Åk 9", 2024, None, 3.7, "1–5", 2980, None, None, "Region Skåne"])
        ws.append(["1283", "Skolenkät", "Otrygg", "Åk 9", 2024, 0.245, None, None, 2980, 0.23, 0.26, "Region Skåne"])
        for cell in ("F4", "J4", "K4"):  # typed as 24,5 % in a cell formatted as a percentage: Excel keeps 0,245
            ws[cell].number_format = "0.0%"
        (tmp_path / "enk").mkdir()
        wb.save(tmp_path / "enk" / "skola.xlsx")
        r = ls.load_local_surveys(tmp_path / "enk", "1283").results
        assert r["year"].tolist() == [2024] * 3 and r["respondents"].tolist() == [2980.0] * 3
        assert r["value"].tolist() == pytest.approx([6.1, 3.7, 24.5])
        assert r.loc[2, ["ci_low", "ci_high"]].tolist() == pytest.approx([23.0, 26.0])
        assert r["scale_max"].tolist() == [100.0, 5.0, 100.0]

    def test_a_per_cent_sign_is_allowed(self, tmp_path):
        write(tmp_path / "enk", "a.csv", "1283;E;I;;2022;24,5 %;;;120;20%;29 %;R;;")
        r = ls.load_local_surveys(tmp_path / "enk", "1283").results
        assert r.loc[0, ["value", "ci_low", "ci_high"]].tolist() == [24.5, 20.0, 29.0]

    def test_the_folder_and_its_tables_are_recorded_as_read(self, tmp_path):
        write(tmp_path / "enk", "a.csv", ROW)
        reads.start()
        ls.load_local_surveys(tmp_path / "enk", "1283")
        snap = reads.snapshot()
        assert str((tmp_path / "enk").resolve()) in snap["folders"]
        assert str((tmp_path / "enk" / "a.csv").resolve()) in snap["files"]

    def test_other_files_are_ignored(self, tmp_path):
        folder = tmp_path / "enk"
        write(folder, "a.csv", ROW)
        for name in ("README.md", "~$a.xlsx", ".hidden.csv", "make.py"):
            (folder / name).write_text("x", encoding="utf-8")
        assert [p.name for p in ls.find_local_survey_tables(folder)] == ["a.csv"]

    def test_parameter_resolves_to_the_example_or_a_folder(self):
        assert ls.local_surveys_folder("") == EXAMPLE
        assert ls.local_surveys_folder("x/y") == PROJ_ROOT / "x" / "y"


# ============================================================================================
# Bad input: every error names file, row and column, the problem and the fix
# ============================================================================================

#: (name, file, rows written, row, column, needles); the rows replace the table's body.
CASES = [
    ("share_outside_0_100", ["1283;E;I;;2022;120;;;100;;;R;;"], 2, "andel", "the share '120' is outside 0–100"),
    ("share_and_mean", ["1283;E;I;;2022;25;3;1–5;100;;;R;;"], 2, "medel", "both andel and medel are given"),
    ("neither_share_nor_mean", ["1283;E;I;;2022;;;;100;;;R;;"], 2, "andel", "neither andel nor medel"),
    ("interval_without_the_value", [ROW, "1283;E;I;;2023;25;;;100;26;30;R;;"], 3, "nedre",
     "does not contain the value 25"),
    ("interval_one_limit", ["1283;E;I;;2022;25;;;100;20;;R;;"], 2, "ovre", "the interval has only one limit"),
    ("interval_outside_scale", ["1283;E;I;;2022;;3;1–5;100;2;6;R;;"], 2, "ovre", "the limit '6' is outside the scale"),
    ("respondents_zero", ["1283;E;I;;2022;25;;;0;;;R;;"], 2, "antal_svarande", "'0' respondents is not above 0"),
    ("respondents_not_whole", ["1283;E;I;;2022;25;;;12,5;;;R;;"], 2, "antal_svarande", "'12,5'"),
    ("respondents_not_a_number", ["1283;E;I;;2022;25;;;många;;;R;;"], 2, "antal_svarande", "'många'"),
    ("duplicate_row", [ROW, "1283;Enkät;utsatt;ÅK 9;2022;26;;;120;;;Region Skåne;;"], 3, "ar",
     "rows 2 and 3 are both 'Utsatt' for Åk 9 in Enkät 2022"),
    ("year_in_the_future", ["1283;E;I;;2999;25;;;100;;;R;;"], 2, "ar", "the year '2999' is in the future"),
    ("year_too_early", ["1283;E;I;;1850;25;;;100;;;R;;"], 2, "ar", "'1850' is not a survey year"),
    ("year_not_whole", ["1283;E;I;;2022,5;25;;;100;;;R;;"], 2, "ar", "'2022,5'"),
    ("mean_without_scale", ["1283;E;I;;2022;;3,5;;100;;;R;;"], 2, "skala", "a mean needs its scale"),
    ("scale_not_a_scale", ["1283;E;I;;2022;;3,5;fem;100;;;R;;"], 2, "skala", "'fem' is not a scale"),
    ("scale_read_as_a_date", ["1283;E;I;;2022;;3,5;2026-05-01 00:00:00;100;;;R;;"], 2, "skala",
     "Excel turns 1-5 into a date"),
    ("scale_for_a_share", ["1283;E;I;;2022;25;;0–100;100;;;R;;"], 2, "skala", "is given for a share"),
    ("mean_outside_scale", ["1283;E;I;;2022;;7;1–5;100;;;R;;"], 2, "medel", "the mean '7' is outside its scale 1–5"),
    ("share_then_mean", [ROW, "1283;Enkät;Utsatt;Åk 9;2023;;3;1–5;100;;;Region Skåne;;"], 3, "medel",
     "is a mean here and a share in row 2"),
    ("two_scales", ["1283;E;I;;2022;;3;1–5;100;;;R;;", "1283;E;I;;2023;;6;0–10;100;;;R;;"], 3, "skala",
     "on the scale 0–10 here and 1–5 in row 2"),
    ("empty_publisher", ["1283;E;I;;2022;25;;;100;;;;;"], 2, "utgivare", "the publisher is empty"),
    ("empty_indicator", ["1283;E;;;2022;25;;;100;;;R;;"], 2, "indikator", "the indicator is empty"),
    ("bad_kommun", ["283;E;I;;2022;25;;;100;;;R;;"], 2, "kommun", "'283'"),
]


def broken_folder(tmp_path: Path, rows: list[str]) -> Path:
    folder = tmp_path / "lokala_enkater"
    shutil.copytree(EXAMPLE, folder)
    write(folder, "foretagens_trygghetsundersokning.csv", *rows)
    return folder


def first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0]


def where(file: str, row: int | None, column: str | None) -> str:
    parts = [f"/{file}"] + ([f"row {row}"] if row is not None else []) + ([f"column {column!r}"] if column else [])
    return ", ".join(parts) + ": "


@pytest.mark.parametrize(("name", "rows", "row", "column", "needle"), CASES, ids=[c[0] for c in CASES])
def test_bad_table(tmp_path, name, rows, row, column, needle):
    """Loaded as the notebook loads it: the folder of the parameter, the kommun's code."""
    folder = broken_folder(tmp_path, rows)
    with pytest.raises(LagesbildError) as info:
        ls.load_local_surveys(ls.local_surveys_folder(str(folder)), "1283")
    message = first_line(info.value)
    start = where("foretagens_trygghetsundersokning.csv", row, column)
    assert start in message, message
    assert needle in message and "Fix: " in message.split(start, 1)[1], message


def test_unknown_column(tmp_path):
    folder = tmp_path / "enk"
    folder.mkdir()
    (folder / "a.csv").write_text("kommun;enkat;indikator;ar;andel;utgivare;färg\n1283;E;I;2022;5;R;röd\n",
                                  encoding="utf-8")
    with pytest.raises(InputError, match=r"/a\.csv, row 1, column 'färg': unknown column 'färg'\. Fix: rename"):
        ls.load_local_surveys(folder, "1283")


def test_the_same_result_in_two_files(tmp_path):
    folder = tmp_path / "enk"
    write(folder, "a.csv", ROW)
    write(folder, "b.csv", "1283;Enkät;Utsatt;Åk 9;2023;26;;;120;;;Region Skåne;;",
          "1283;enkät;Utsatt;Åk 9;2022;26;;;120;;;Region Skåne;;")
    with pytest.raises(InputError) as info:
        ls.load_local_surveys(folder, "1283")
    assert first_line(info.value).endswith(
        "/b.csv, row 3, column 'ar': 'Utsatt' for Åk 9 in Enkät 2022 is also in a.csv, row 2. Fix: keep each survey "
        "result in one file: delete one of the rows.")


def test_a_series_measured_differently_in_two_files(tmp_path):
    folder = tmp_path / "enk"
    write(folder, "a.csv", ROW)
    write(folder, "b.csv", "1283;Enkät;Utsatt;Åk 9;2023;;3;1–5;120;;;Region Skåne;;")
    with pytest.raises(InputError, match=r"/b\.csv, row 2, column 'medel': 'Utsatt' for Åk 9 in Enkät is measured "
                                         r"differently here \(mean, 1–5\) than in a\.csv, row 2 \(share, 0–100\)"):
        ls.load_local_surveys(folder, "1283")


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(InputError, match="the local-surveys folder does not exist. Fix: create it"):
        ls.load_local_surveys(tmp_path / "nowhere", "1283")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"/lokala_enkater\.csv: the local-surveys folder has no table"):
        ls.load_local_surveys(tmp_path / "empty", "1283")


def test_bad_metadata_and_kommun(tmp_path):
    folder = tmp_path / "enk"
    write(folder, "a.csv", ROW)
    with pytest.raises(InputError, match="kommun '12' is not a four-digit kommun code"):
        ls.load_local_surveys(folder, "12")
    (folder / "metadata.yaml").write_text("exempeldata: kanske\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"metadata\.yaml, column 'exempeldata': exempeldata is 'kanske'"):
        ls.load_local_surveys(folder, "1283")


# ============================================================================================
# survey_statistics: which interval, which test, or why none
# ============================================================================================


def results(*rows) -> pd.DataFrame:
    """Rows (indikator, grupp, year, measure, value, low, high, n); scale 0–100 for shares, 1–5 for means."""
    out = []
    for ind, group, year, measure, value, low, high, n in rows:
        out.append({"enkat": "E", "indikator": ind, "grupp": group, "year": year, "measure": measure, "value": value,
                    "scale_min": 0.0 if measure == "andel" else 1.0, "scale_max": 100.0 if measure == "andel" else 5.0,
                    "ci_low": low, "ci_high": high, "respondents": n, "utgivare": "R", "kalla": "", "anmarkning": "",
                    "file": "e.csv"})
    return pd.DataFrame(out)


class TestSurveyStatistics:
    def test_each_case(self):
        r = results(
            ("A", "Åk 9", 2022, "andel", 25.0, nan, nan, 120.0),     # Wilson
            ("A", "Åk 9", 2024, "andel", 40.0, nan, nan, 125.0),     # two shares with n: the z-test
            ("B", "Alla", 2020, "andel", 6.0, nan, nan, nan),        # nothing: no interval
            ("B", "Alla", 2022, "andel", 5.5, 4.7, 6.3, 3120.0),     # given interval; 2020 has none: unknown
            ("B", "Alla", 2024, "andel", 6.1, 5.2, 7.0, 2980.0),     # two given intervals: survey_change
            ("C", "Alla", 2021, "medel", 3.6, nan, nan, 412.0),      # a mean without interval: none
            ("C", "Alla", 2023, "medel", 3.7, 3.6, 3.8, 398.0),      # unknown (2021)
            ("D", "Alla", 2021, "andel", 20.0, 15.0, 25.0, 300.0),   # given before …
            ("D", "Alla", 2023, "andel", 30.0, nan, nan, 300.0),     # … Wilson after: intervals
        )
        s = ls.survey_statistics(r)
        assert s["interval"].tolist() == ["wilson", "wilson", "none", "given", "given", "none", "given", "given",
                                          "wilson"]
        assert s["change_method"].tolist() == ["", "two_proportions", "", "", "intervals", "", "", "", "intervals"]
        assert s["change_status"].tolist() == ["no_previous", "increase", "no_previous", "unknown", "no_clear_change",
                                               "no_previous", "unknown", "no_previous", "increase"]
        assert s["without_uncertainty"].tolist() == ["", "", "", "2020", "", "", "2021", "", ""]
        assert s.loc[0, ["interval_low", "interval_high"]].tolist() == pytest.approx([18.1099, 33.4411], abs=1e-3)
        assert s.loc[1, "change_p"] == pytest.approx(0.012320, abs=1e-6)
        assert s.loc[1, "change"] == pytest.approx(15.0) and s.loc[3, "change"] == pytest.approx(-0.5)
        # by hand: se = (6,3 − 4,7) / (2 · 1,959964) = 0,408171 and (7,0 − 5,2) / 3,919928 = 0,459192;
        # se(d) = sqrt(0,408171² + 0,459192²) = 0,614379; z = 0,6 / 0,614379 = 0,976596; p = 2 · (1 − Φ(z)) = 0,3288
        assert s.loc[4, "change_p"] == pytest.approx(0.3288, abs=1e-4) and s.loc[4, "change_status"] == "no_clear_change"
        low, high = wilson_interval(0.30, 300)
        wilson_d = survey_change((20.0, 15.0, 25.0), (30.0, 100 * low, 100 * high))
        assert s.loc[8, "change_p"] == pytest.approx(wilson_d.p_value)

    def test_order_follows_the_file_and_years_ascend(self):
        r = results(("Z", "Alla", 2024, "andel", 5.0, nan, nan, 100.0), ("A", "Alla", 2020, "andel", 5.0, nan, nan, 100.0),
                    ("Z", "Alla", 2020, "andel", 6.0, nan, nan, 100.0))
        s = ls.survey_statistics(r)
        assert list(zip(s["indikator"], s["year"], strict=True)) == [("Z", 2020), ("Z", 2024), ("A", 2020)]
        assert s.loc[1, "previous_year"] == 2020.0

    def test_alpha(self):
        r = results(("A", "Alla", 2022, "andel", 22.0, nan, nan, 640.0), ("A", "Alla", 2023, "andel", 27.5, nan, nan,
                                                                           602.0))
        assert ls.survey_statistics(r, alpha=0.05).loc[1, "change_status"] == "increase"  # p = 0,025
        assert ls.survey_statistics(r, alpha=0.01).loc[1, "change_status"] == "no_clear_change"

    def test_empty(self):
        assert ls.survey_statistics(results()).empty


# ============================================================================================
# The Swedish text
# ============================================================================================


def example_stats(kommun: str):
    data = ls.load_local_surveys(EXAMPLE, kommun)
    return data, ls.survey_statistics(data.results)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


class TestText:
    def test_table_of_helsingborgs_companies(self):
        data, stats = example_stats("1283")
        assert lt.surveys(stats) == ["Folkhälsoenkät Barn och unga", "Företagens trygghetsundersökning"]
        t = lt.survey_table(stats, "Företagens trygghetsundersökning")
        assert t.columns.tolist() == ["Indikator", "Grupp", "År", "Värde", "95 % KI", "Svarande", "Förändring",
                                      "Anmärkning"]
        rows = [[plain(v) for v in r] for r in t.values.tolist()]
        assert rows[2][2:7] == ["2023", "24,5 %", "20,5–29,0 (beräknat)", "398",
                                "−6,5 procentenheter sedan 2021: tydlig minskning"]
        assert rows[1][6] == "+2,0 procentenheter sedan 2019: kan inte skiljas från slumpen"
        assert rows[5][3:6] == ["3,60 (skala 1–5)", "3,50–3,70", "412"]
        assert rows[6][6] == "+0,10 sedan 2021: kan inte skiljas från slumpen"
        assert rows[6][7] == "1 = mycket otryggt, 5 = mycket tryggt" and rows[0][7] == "–"
        assert lt.survey_source(data, stats, "Företagens trygghetsundersökning") == (
            "Helsingborgs stad, Företagens trygghetsundersökning (påhittade exempeldata; "
            "lokala_enkater/foretagens_trygghetsundersokning.csv)")

    def test_a_year_without_uncertainty_is_named(self):
        _, stats = example_stats("1283")
        t = lt.survey_table(stats, "Folkhälsoenkät Barn och unga")
        assert plain(t.loc[1, "Förändring"]) == ("−0,5 procentenheter sedan 2016: går inte att bedöma, 2016 saknar "
                                                 "både intervall och antal svarande")
        assert t.loc[0, "95 % KI"] == "–" and t.loc[0, "Svarande"] == "–"
        assert t.loc[1, "95 % KI"] == "4,7–6,3"  # the survey's own: not marked as computed

    def test_points_for_clear_changes_only(self):
        _, stats = example_stats("1283")
        points = [plain(p) for p in lt.change_points(stats, "Företagens trygghetsundersökning")]
        assert points[0].startswith("Andel företag som utsatts för brott de senaste 12 månaderna (Företag) minskade "
                                    "från 31,0 % 2021 till 24,5 % 2023, en tydlig minskning med 6,5 procentenheter "
                                    "(p = 0,039; 95 % konfidensintervall för minskningen 0,3–12,6 procentenheter).")
        assert points[1:] == ["Övriga förändringar sedan föregående mätning går inte att skilja från slumpen."]
        health = [plain(p) for p in lt.change_points(stats, "Folkhälsoenkät Barn och unga")]
        assert health[0].startswith("Andel som någon gång använt narkotika (Gymnasiet år 2) ökade från 16,5 % 2020 "
                                    "till 19,0 % 2024")

    def test_points_when_nothing_is_clear_or_comparable(self):
        r = results(("A", "Alla", 2022, "andel", 25.0, nan, nan, 120.0), ("A", "Alla", 2024, "andel", 26.0, nan, nan,
                                                                           125.0),
                    ("B", "Alla", 2022, "andel", 25.0, nan, nan, nan), ("B", "Alla", 2024, "andel", 26.0, nan, nan,
                                                                       125.0))
        assert lt.change_points(ls.survey_statistics(r), "E") == [
            "Ingen förändring sedan föregående mätning är tydlig: förändringarna går inte att skilja från slumpen "
            "eller går inte att bedöma, eftersom ett av åren saknar uppgift om osäkerheten."]
        assert lt.change_points(ls.survey_statistics(results(("A", "Alla", 2022, "andel", 25.0, nan, nan, 120.0))),
                                "E") == []

    def test_mean_without_interval_says_interval(self):
        r = results(("C", "Alla", 2021, "medel", 3.6, nan, nan, 412.0), ("C", "Alla", 2023, "medel", 3.7, 3.6, 3.8,
                                                                          398.0))
        assert lt.change_text(ls.survey_statistics(r).iloc[1]) == "+0,10 sedan 2021: går inte att bedöma, 2021 saknar intervall"

    def test_template_example_method_and_caption(self):
        assert "data/templates/lokala_enkater/lokala_enkater.csv" in lt.template_text("Upplands Väsby")
        assert "local_surveys" in lt.template_text("Upplands Väsby")
        data, stats = example_stats("2080")
        assert lt.example_text(data).startswith("Enkätresultaten i det här avsnittet är påhittade exempeldata")
        assert "Falun" in lt.example_text(data)  # the folder's own description follows
        assert "p under 0,01 kallas tydlig" in lt.method_text(0.01)
        assert lt.survey_caption(stats, "LUPP", "Falun").startswith("LUPP i Falun 2019 och 2023:")

    def test_hostile_text_stays_text(self, tmp_path):
        from lagesbild.render import report

        write(tmp_path / "enk", "a.csv", "1283;<b>E</b>;<script>x</script>;;2022;25;;;120;;;<i>R</i>;;<img src=x>")
        data = ls.load_local_surveys(tmp_path / "enk", "1283")
        stats = ls.survey_statistics(data.results)
        out = report.table(lt.survey_table(stats, "<b>E</b>"), lt.survey_caption(stats, "<b>E</b>", "Ort"),
                           source=lt.survey_source(data, stats, "<b>E</b>"))
        assert "<script>" not in out and "<img" not in out and "&lt;script&gt;" in out


# ============================================================================================
# The section in a built lägesbild (the suite's shared run_all.py build)
# ============================================================================================


def section(page: str) -> str:
    """The text of ### Lokala enkäter, up to the next h3."""
    page = html.unescape(page)  # an exported page may write å as &#229;
    start = re.search(r"<h3[^>]*>\s*Lokala enkäter", page)
    assert start, "no ### Lokala enkäter"
    text = re.sub(r"<[^>]+>", " ", page[start.end():].split("<h3", 1)[0])
    return re.sub(r"\s+", " ", plain(text))


@pytest.mark.slow
class TestBuiltReport:
    def test_helsingborg_shows_its_example_surveys(self, reports_build):
        assert reports_build.proc.returncode == 0, reports_build.proc.stderr[-3000:]
        page = (reports_build.out / "1283" / "lagesbild.html").read_text(encoding="utf-8")
        text = section(page)
        assert "Enkätresultaten i det här avsnittet är påhittade exempeldata" in text
        assert "Företagens trygghetsundersökning i Helsingborg 2019, 2021 och 2023" in text
        assert "Källa: Region Skåne, Folkhälsoenkät Barn och unga (påhittade exempeldata;" in text
        assert "en tydlig minskning med 6,5 procentenheter" in text and "20,5–29,0 (beräknat)" in text
        assert 'download="lokal_enkat_1_1283.csv"' in page
        assert "lokala_enkater/foretagens_trygghetsundersokning.csv" in page.split("Om underlaget", 1)[1]
        # what the report read, for the rebuild rules: editing a file of the folder rebuilds the lägesbild
        record = json.loads((reports_build.out / "1283" / "_build" / "lagesbild.json").read_text(encoding="utf-8"))
        assert str(EXAMPLE.resolve()) in record["inputs"]["folders"]
        assert str((EXAMPLE / "foretagens_trygghetsundersokning.csv").resolve()) in record["inputs"]["files"]

    def test_falun_shows_lupp_and_upplands_vasby_the_template(self, reports_build):
        assert reports_build.proc.returncode == 0, reports_build.proc.stderr[-3000:]
        falun = section((reports_build.out / "2080" / "lagesbild.html").read_text(encoding="utf-8"))
        assert "LUPP i Falun 2019 och 2023" in falun and "tydlig ökning med 5,5 procentenheter" in falun
        vasby = section((reports_build.out / "0114" / "lagesbild.html").read_text(encoding="utf-8"))
        assert "Underlaget har inga lokala enkäter för Upplands Väsby" in vasby and "lokala_enkater.csv" in vasby
        assert "påhittade exempeldata" not in vasby


# ============================================================================================
# Bad input end to end: run_all.py with a kommun whose YAML points local_surveys at a broken folder
# ============================================================================================


@pytest.mark.slow
def test_bad_local_survey_fails_the_lagesbild_cleanly(tmp_path):
    """As tests/test_bad_inputs.py checks every per-kommun folder: exit code 1, the summary line names file, row,
    column, problem and fix, no traceback, the old report kept, and another kommun in the same run still built."""
    from test_bad_inputs import Case, check_per_kommun_case, run_folder_group, set_cell

    case = Case("share_outside_0_100", "2021", "foretagens_trygghetsundersokning.csv", 4, "andel",
                ("the share '245' is outside 0–100", "write the share in per cent from 0 to 100"),
                lambda f: set_cell(f / "foretagens_trygghetsundersokning.csv", 4, "andel", "245"))
    run = run_folder_group(tmp_path, "lagesbild", "local_surveys", EXAMPLE, [case], good="1283")
    check_per_kommun_case(run, case)
    assert "Företagens trygghetsundersökning i Helsingborg" in section((run.out / "1283" / "lagesbild.html").read_text(
        encoding="utf-8"))
