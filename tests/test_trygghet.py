"""Tests of lagesbild.summary.surveys: template, loader, folder, example data and the area summary."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import math
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import raises_input_error

from lagesbild.core.paths import DATA, PROJ_ROOT
from lagesbild.summary import surveys as tm

TEMPLATES_DIR = DATA / "templates" / "trygghetsmatning"
EXAMPLE_DIR = DATA / "example" / "trygghetsmatning"
HEADER = "kommun;omrade;ar;fraga;index;ki_lag;ki_hog;antal_svarande;problemniva;kalla"


def table(tmp_path, *lines: str, header: str = HEADER, name: str = "trygghetsmatning.csv"):
    p = tmp_path / name
    p.write_text(header + "\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return p


def row(kommun="2080", area="Centrum", year="2024", question="Totalindex", index="1,85", low="1,62", high="2,08",
        n="412", level="", source="Polisens trygghetsmätning 2024") -> str:
    return ";".join([kommun, area, year, question, index, low, high, n, level, source])


# ============================================================================================
# Loading
# ============================================================================================


class TestLoad:
    def test_values(self, tmp_path):
        p = table(tmp_path, row(), row(question="Nedskräpning", index="2,4", low="", high="", n="", level="Stora"))
        df = tm.load_trygghet(p)
        assert df.index.tolist() == [2, 3] and list(df.columns) == list(tm.RESULTS_SCHEMA.columns)
        assert df.loc[2, ["kommun_kod", "omrade", "year", "question", "is_total", "index", "ci_low", "ci_high",
                          "respondents", "level"]].tolist() == ["2080", "Centrum", 2024, "Totalindex", True, 1.85, 1.62,
                                                                2.08, 412.0, ""]
        r = df.loc[3]
        assert (r["is_total"], r["index"], r["level"]) == (False, 2.4, "stora problem")
        assert math.isnan(r["ci_low"]) and math.isnan(r["respondents"])

    def test_aliases_spelling_and_area_names(self, tmp_path):
        header = "Kommunkod;Område;År;Fråga;Problemindex;KI_låg;KI_hög"
        p = table(tmp_path, "0114;Centrum ;2023;totalt index;1.5;1.2;1.8", "0114;  centrum;2024;TOTALINDEX;1,7;1,4;2,0",
                  header=header)
        df = tm.load_trygghet(p)
        assert df["kommun_kod"].tolist() == ["0114", "0114"]
        assert df["omrade"].tolist() == ["Centrum", "Centrum"]  # the first spelling, for both rows
        assert df["question"].tolist() == ["Totalindex", "Totalindex"] and df["is_total"].all()
        assert df["kalla"].tolist() == ["", ""] and df["level"].tolist() == ["", ""]

    def test_excel(self, tmp_path):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Annat"
        ws2 = wb.create_sheet("trygghetsmatning")
        ws2.append(HEADER.split(";"))
        ws2.append(row().split(";"))
        p = tmp_path / "trygghetsmatning.xlsx"
        wb.save(p)
        df = tm.load_trygghet(p)
        assert df.loc[2, "index"] == 1.85 and df.loc[2, "respondents"] == 412.0

    @pytest.mark.parametrize("line, column, needle", [
        (row(kommun="208"), "kommun", "four-digit"),
        (row(area=""), "omrade", "area is empty"),
        (row(question=" "), "fraga", "question is empty"),
        (row(year="24"), "ar", "not a year"),
        (row(year="2099"), "ar", "not a year"),
        (row(year="2024,5"), "ar", "whole number"),
        (row(index=""), "index", "missing"),
        (row(index="hög"), "index", "not a number"),
        (row(index="45", low="", high=""), "index", "outside the scale"),
        (row(low="-0,5"), "ki_lag", "outside the scale"),
        (row(high="6,5"), "ki_hog", "outside the scale"),
        (row(high=""), "ki_hog", "only one limit"),
        (row(low=""), "ki_lag", "only one limit"),
        (row(low="1,90"), "ki_lag", "does not contain"),
        (row(index="1,5", low="1,5", high="1,5"), "ki_lag", "no width"),
        (row(n="0"), "antal_svarande", "not above 0"),
        (row(n="41,5"), "antal_svarande", "whole number"),
        (row(level="mycket stora problem"), "problemniva", "not a problem level"),
    ])
    def test_bad_values(self, tmp_path, line, column, needle):
        p = table(tmp_path, row(question="Klotter"), line)
        e = raises_input_error(tm.load_trygghet, p)
        assert (e.file, e.row, e.column) == (str(p), 3, column), e
        assert needle in e.problem, e

    def test_duplicate_rows_are_both_named(self, tmp_path):
        p = table(tmp_path, row(), row(question="Klotter"), row(area="CENTRUM", question="totalindex"))
        e = raises_input_error(tm.load_trygghet, p)
        assert e.row == 4 and "rows 2 and 4" in e.problem and e.column == "fraga"

    def test_header_errors(self, tmp_path):
        e = raises_input_error(tm.load_trygghet, table(tmp_path, row() + ";x", header=HEADER + ";färg"))
        assert (e.row, e.column) == (1, "färg") and "unknown column" in e.problem
        e = raises_input_error(tm.load_trygghet, table(tmp_path, "2080;Centrum;2024;Totalindex",
                                                       header="kommun;omrade;ar;fraga"))
        assert "index" in e.problem and e.row == 1
        e = raises_input_error(tm.load_trygghet, table(tmp_path, "2080;2080;A;2024;T;1", header="kommun;kommunkod;omrade;ar;fraga;index"))
        assert "mean the same thing" in e.problem


# ============================================================================================
# Summary
# ============================================================================================


def results(*recs: tuple) -> pd.DataFrame:
    """(area, year, question, index, ci_low, ci_high, respondents, level) → a loaded-shape frame."""
    df = pd.DataFrame(recs, columns=["omrade", "year", "question", "index", "ci_low", "ci_high", "respondents",
                                     "level"])
    df["is_total"] = df["question"] == tm.TOTAL
    return df


class TestAreaSummary:
    def test_ranks_and_changes(self):
        nan = float("nan")
        r = results(
            ("A", 2023, "Totalindex", 1.50, 1.30, 1.70, 300.0, ""),
            ("A", 2024, "Totalindex", 2.00, 1.80, 2.20, 310.0, ""),
            ("A", 2024, "Klotter", 2.60, nan, nan, 305.0, "stora problem"),
            ("A", 2024, "Nedskräpning", 2.60, nan, nan, 305.0, "stora problem"),
            ("A", 2024, "Buskörning", 1.10, nan, nan, 312.0, "små problem"),
            ("B", 2023, "Totalindex", 2.20, 2.00, 2.40, 200.0, ""),
            ("B", 2024, "Totalindex", 2.10, 1.90, 2.30, 210.0, ""),
            ("C", 2024, "Totalindex", 2.00, nan, nan, nan, ""),
            ("C", 2022, "Totalindex", 1.80, nan, nan, nan, ""),
            ("D", 2024, "Klotter", 1.00, nan, nan, 50.0, ""),
        )
        s = tm.area_summary(r).set_index(["omrade", "year"])
        # 2024: B 2,10 first; A and C share 2,00 → rank 2 both; D has no total
        assert s.loc[("B", 2024), "rank"] == 1 and s.loc[("A", 2024), "rank"] == 2 and s.loc[("C", 2024), "rank"] == 2
        assert math.isnan(s.loc[("D", 2024), "rank"]) and math.isnan(s.loc[("D", 2024), "index"])
        a = s.loc[("A", 2024)]
        assert (a["respondents"], a["n_questions"], a["top_question"], a["top_index"], a["n_large_problems"]) == (
            312.0, 3, "Klotter", 2.6, 2)
        # A: +0,5 from 1,5 [1,3–1,7] to 2,0 [1,8–2,2]: se = 0,2 / 1,96 each, z = 0,5 / 0,1443 = 3,46
        se = 0.2 / 1.959963984540054
        z = 0.5 / math.sqrt(2 * se**2)
        assert a["change"] == pytest.approx(0.5) and a["previous_year"] == 2023 and a["previous_index"] == 1.5
        assert a["change_p"] == pytest.approx(math.erfc(z / math.sqrt(2)))
        assert a["change_ci_low"] == pytest.approx(0.5 - 1.959963984540054 * math.sqrt(2 * se**2))
        assert a["change_status"] == tm.INCREASE
        assert s.loc[("B", 2024), "change_status"] == tm.NO_CLEAR_CHANGE  # −0,1 with the same intervals
        c = s.loc[("C", 2024)]
        assert c["change_status"] == tm.UNKNOWN_CHANGE and c["previous_year"] == 2022 and c["change"] == \
            pytest.approx(0.2) and math.isnan(c["change_p"])
        assert s.loc[("C", 2022), "change_status"] == tm.NO_PREVIOUS
        assert s.loc[("D", 2024), "change_status"] == tm.NO_PREVIOUS and s.loc[("D", 2024), "top_question"] == "Klotter"
        out = tm.area_summary(r)
        assert list(out.columns) == list(tm.SUMMARY_COLUMNS)
        assert out[out["year"] == 2024]["omrade"].tolist() == ["B", "A", "C", "D"]

    def test_decrease(self):
        r = results(("A", 2023, "Totalindex", 2.5, 2.3, 2.7, 300.0, ""), ("A", 2024, "Totalindex", 1.9, 1.7, 2.1,
                                                                                 300.0, ""))
        assert tm.area_summary(r)["change_status"].tolist() == [tm.NO_PREVIOUS, tm.DECREASE]

    def test_empty(self):
        empty = tm.area_summary(results())
        assert empty.empty and list(empty.columns) == list(tm.SUMMARY_COLUMNS)
        assert tm.area_table(empty).empty

    def test_table(self):
        nan = float("nan")
        r = results(("A", 2023, "Totalindex", 1.5, 1.3, 1.7, 300.0, ""), ("A", 2024, "Totalindex", 2.0, 1.8, 2.2,
                                                                                 310.0, ""),
                    ("A", 2024, "Klotter", 2.6, nan, nan, 305.0, ""), ("B", 2024, "Totalindex", 2.2, nan, nan, nan, ""),
                    ("B", 2023, "Totalindex", 2.1, nan, nan, nan, ""), ("D", 2024, "Klotter", 1.25, nan, nan, nan, ""))
        t = tm.area_table(tm.area_summary(r))
        assert t.columns.tolist() == ["Rang", "Område", "Problemindex (0–6)", "95 % KI", "Svarande",
                                      "Största problem", "Förändring"]
        assert t.values.tolist() == [
            ["1", "B", "2,20", "–", "–", "–", "+0,10 sedan 2023 (osäkerheten okänd)"],
            ["2", "A", "2,00", "1,80–2,20", "310", "Klotter (2,60)", "+0,50 sedan 2023 (tydlig ökning, fler problem)"],
            ["–", "D", "–", "–", "–", "Klotter (1,25)", "Ingen tidigare mätning"],
        ]
        t2023 = tm.area_table(tm.area_summary(r), 2023)
        assert t2023["Område"].tolist() == ["B", "A"] and t2023["Förändring"].tolist() == ["Ingen tidigare mätning"] * 2


# ============================================================================================
# Templates
# ============================================================================================


def sheet_values(path_or_bytes) -> dict[str, list[tuple]]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    return {ws.title: [tuple(c.value for c in r) for r in ws.iter_rows()] for ws in wb.worksheets}


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = tm.write_templates(tmp_path)
        assert [p.name for p in written] == ["trygghetsmatning.csv", "trygghetsmatning.xlsx", "README.md"]
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates/trygghetsmatning')"
            if path.suffix == ".xlsx":
                assert sheet_values(committed) == sheet_values(path), "run write_templates(…)"
            else:
                assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates(…)"

    def test_template_round_trip(self):
        raw = (TEMPLATES_DIR / "trygghetsmatning.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0] == HEADER
        df = tm.load_trygghet(TEMPLATES_DIR / "trygghetsmatning.csv")
        assert df.index.tolist() == [2, 3, 4]
        assert df["index"].tolist() == [1.85, 2.40, 3.10] and df["is_total"].tolist() == [True, False, False]
        assert df["level"].tolist() == ["", "vissa problem", "stora problem"]
        pd.testing.assert_frame_equal(tm.load_trygghet(TEMPLATES_DIR / "trygghetsmatning.xlsx"), df,
                                      check_index_type=False)

    def test_workbook(self):
        sheets = sheet_values(TEMPLATES_DIR / "trygghetsmatning.xlsx")
        assert list(sheets) == ["trygghetsmatning", "Instruktioner"]
        assert sheets["trygghetsmatning"][0] == tuple(tm.TEMPLATE.header)
        assert sheets["trygghetsmatning"][1:] == [tuple(v or None for v in r) for r in tm.TEMPLATE.rows]
        text = " ".join(str(v) for r in sheets["Instruktioner"] for v in r if v)
        for needle in (tm.INDEX_RULE, tm.LEVEL_RULE, tm.CHANGE_RULE, *tm.TEMPLATE.header,
                       *(url for _, url in tm.SOURCES)):
            assert needle in text, needle
        raw = tm.workbook_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}

    def test_readme_documents_columns_scale_and_what_is_unconfirmed(self):
        text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
        for col in tm.TEMPLATE.columns:
            assert f"| {col.name} | {'ja' if col.required else 'nej'} | {col.description}" in text, col.name
        for needle in (tm.INDEX_RULE, tm.LEVEL_RULE, tm.CHANGE_RULE, "närmast obefintligt problem",
                       "alarmerande påtagligt problem", "could not be confirmed", "not Brå's NTU"):
            assert needle in text, needle
        for title, url in tm.SOURCES:
            assert url in text and title in text

    def test_csv_text(self, tmp_path):
        path = tmp_path / "trygghetsmatning.csv"
        tm.write_csv(path, [{"kommun": "0114", "område": "Väsby; norra", "år": 2024, "fråga": "Totalindex",
                             "index": 1.5, "källa": 'a "b"', "ki_lag": float("nan")}])
        df = tm.load_trygghet(path)
        assert df.loc[2, "omrade"] == "Väsby; norra" and df.loc[2, "kalla"] == 'a "b"' and df.loc[2, "index"] == 1.5
        with pytest.raises(ValueError, match="unknown column"):
            tm.csv_text([{"färg": "röd"}])
        with pytest.raises(ValueError, match="cells"):
            tm.csv_text([("a", "b")])


# ============================================================================================
# Folder and example data
# ============================================================================================


class TestFolder:
    def test_load_folder(self, tmp_path):
        table(tmp_path, row(), row(kommun="1283", area="Söder"))
        (tmp_path / "metadata.yaml").write_text("beskrivning: Test\ndatum: 2025-04-01\nkalla: Polisen\n",
                                                encoding="utf-8")
        (tmp_path / "README.md").write_text("x")
        data = tm.load_trygghet_folder(tmp_path, "2080")
        assert data.kommun_kod == "2080" and data.example is False and data.description == "Test"
        assert data.source == "Polisen" and data.results.index.tolist() == [2]
        f = data.files[0]
        assert f["name"] == f"{tmp_path.name}/trygghetsmatning.csv" and f["date"] == "2025-04-01"
        assert f["description"] == tm.FILE_DESCRIPTION
        assert f["sha256"] == hashlib.sha256((tmp_path / "trygghetsmatning.csv").read_bytes()).hexdigest()
        assert tm.load_trygghet_folder(tmp_path, "2081") is None

    def test_folder_errors(self, tmp_path):
        assert "does not exist" in str(raises_input_error(tm.load_trygghet_folder, tmp_path / "nej", "2080"))
        assert "has no table" in str(raises_input_error(tm.load_trygghet_folder, tmp_path, "2080"))
        table(tmp_path, row())
        assert "four-digit" in str(raises_input_error(tm.load_trygghet_folder, tmp_path, "208"))
        (tmp_path / "Trygghetsmatning.xlsx").write_text("x")
        assert "two tables" in str(raises_input_error(tm.load_trygghet_folder, tmp_path, "2080"))
        (tmp_path / "Trygghetsmatning.xlsx").unlink()
        (tmp_path / "enkat.csv").write_text("x")
        assert "not a trygghetsmätning table" in str(raises_input_error(tm.load_trygghet_folder, tmp_path, "2080"))
        (tmp_path / "enkat.csv").unlink()
        (tmp_path / "metadata.yaml").write_text("exempeldata: ja\n", encoding="utf-8")
        assert "true or false" in str(raises_input_error(tm.load_trygghet_folder, tmp_path, "2080"))

    def test_folder_choice(self):
        assert tm.trygghet_folder("") == EXAMPLE_DIR and tm.trygghet_folder("  ") == EXAMPLE_DIR
        assert tm.trygghet_folder("indata/tm") == PROJ_ROOT / "indata" / "tm"


class TestExampleData:
    def test_loads_as_example(self):
        data = tm.load_trygghet_folder(EXAMPLE_DIR, "2080")
        assert data.example is True and "påhittade" in data.description.lower()
        assert data.files[0]["description"].endswith("(påhittade exempeldata)")
        r = data.results
        assert len(r) == 5 * 3 * 9 and set(r["kommun_kod"]) == {"2080"}
        assert sorted(r["year"].unique()) == [2022, 2023, 2024] and r["omrade"].nunique() == 5
        assert r.groupby(["omrade", "year"])["is_total"].sum().eq(1).all()
        assert r["ci_low"].notna().all() and (r["level"] == "").all()
        assert r["respondents"].between(100, 500).all()
        assert tm.load_trygghet_folder(EXAMPLE_DIR, "1283") is None

    def test_centrum_rises_clearly_and_the_others_do_not(self):
        s = tm.area_summary(tm.load_trygghet_folder(EXAMPLE_DIR, "2080").results)
        later = s[s["year"] > 2022]
        centrum = later["omrade"] == "Centrum"
        assert (later.loc[centrum, "change_status"] == tm.INCREASE).all()
        assert (later.loc[~centrum, "change_status"] == tm.NO_CLEAR_CHANGE).all()
        assert (s.loc[s["omrade"] == "Centrum", "rank"] == 1).all()

    def test_example_total_is_the_mean_of_its_questions(self):
        r = tm.load_trygghet_folder(EXAMPLE_DIR, "2080").results
        mean = r[~r["is_total"]].groupby(["omrade", "year"])["index"].mean()
        total = r[r["is_total"]].set_index(["omrade", "year"])["index"]
        assert np.allclose(total.sort_index(), mean.sort_index(), atol=0.006)

    def test_script_reproduces_the_committed_files(self, tmp_path, monkeypatch):
        spec = importlib.util.spec_from_file_location("make_example_tm", EXAMPLE_DIR / "make_example.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        monkeypatch.setattr(module, "HERE", tmp_path)
        module.main()
        for name in ("metadata.yaml", "trygghetsmatning.csv"):
            assert (tmp_path / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes(), name

    def test_readme_section(self):
        text = (DATA / "example" / "README.md").read_text(encoding="utf-8")
        assert "## `trygghetsmatning/`" in text and "trygghetsmatning/make_example.py" in text and "Falun" in text
