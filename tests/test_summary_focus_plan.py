"""Tests of lagesbild.summary.focus_plan: the draft åtgärdsplan, the kommun's file and the template."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from helpers import raises_input_error
from summary_figures import (
    HEADER,
    crime_figures,
    indicator,
    key_table,
    light,
    place_figures,
    plan_csv,
    wastewater_figures,
)

from lagesbild.core.paths import DATA
from lagesbild.render import report
from lagesbild.stats import indicators
from lagesbild.summary import focus_plan as fp
from lagesbild.summary import standout
from lagesbild.summary import surveys as trygghet

TEMPLATES_DIR = DATA / "templates" / "atgardsplan"


class TestDraftPlan:
    def test_activity_for(self):
        assert fp.activity_for("Bostadsinbrott") == "Förslag att pröva: Grannsamverkan; Skalskydd och lås."
        assert fp.activity_for("Oro för bostadsinbrott") == "Förslag att pröva: Grannsamverkan; Skalskydd och lås."
        assert fp.activity_for("Oro för misshandel") == ("Förslag att pröva: Information om vad som görs; "
                                                         "Trygghetsvärdar och vuxenvandringar.")
        assert fp.activity_for("Trafikbrott, totalt") == "Förslag att pröva: Trafiksäkerhetsåtgärder."
        assert fp.activity_for("Våld i inomhusmiljö mot barn och unga, pojkar") == fp.NON_PLACE_ACTIVITY
        assert fp.activity_for("Något nytt") == fp.ANALYSIS_ACTIVITY

    def test_every_catalogue_key_exists(self):
        from lagesbild.places.factors import MEASURES

        keys = {m.key for m in MEASURES}
        assert all(set(measures) <= keys for _, measures in fp.ACTIVITY_MEASURES)

    def test_goal_year(self):
        assert fp.goal_year({"bra_latest_year": 2024}) == 2027
        assert fp.goal_year({"bra_latest_year": None}, dt.date(2026, 11, 22)) == 2028
        assert fp.goal_year(None, dt.date(2030, 1, 1)) == 2032

    def test_rows_per_kind(self):
        table = key_table([{"indicator": "Stöld och tillgreppsbrott, totalt", "lan": light(indicators.HIGHER)},
                           {"indicator": "Otrygg ute sent", "source": indicators.NTU, "value": 30.0,
                            "riket": light(indicators.HIGHER, indicators.RIKET, p=0.2)}])
        crime = crime_figures(indicators=[indicator("Skadegörelsebrott", ratio=1.3, prev_rate=952.0),
                                          indicator("Rån", change_detectable=False, ratio=1.0, trend_detectable=True,
                                                    trend_pct=5.0, rate=20.0)],
                              focus_areas={"Narkotika": []})
        areas = pd.DataFrame({"omrade": ["Centrum"], "year": [2024], "index": [2.75], "previous_index": [2.42],
                              "previous_year": [2023], "change_status": [trygghet.INCREASE], "change_p": [0.001],
                              "n_large_problems": [0], "top_question": ["Fart"]})
        p = standout.standout_problems(table, crime, place_figures(hot_spot_places=["Torget"]), wastewater_figures(), areas,
                                 limit=10)
        plan = fp.draft_focus_plan(p, 2027).set_index(p["topic"])
        assert list(plan.columns) == list(fp.FOCUS_COLUMNS) and (plan["ansvar"] == "").all()
        stold = plan.loc["Stöld och tillgreppsbrott, totalt"]
        assert stold["problem"] == "Stöld och tillgreppsbrott, totalt (tydligt högre än i länet)"
        assert stold["mal"] == "Inte tydligt högre än i länet år 2027"
        assert stold["uppfoljning"].startswith("Brå: anmälda brott, stöld och tillgreppsbrott, totalt, per 100 000 "
                                               "invånare, varje år (Brottsutvecklingen)")
        assert stold["uppfoljning"].endswith(fp.FOLLOW_UP_TAIL)
        assert plan.loc["Skadegörelsebrott", "mal"].replace("\u00a0", " ") == (
            "Tillbaka till högst 952 per 100 000 invånare (nivån 2023) år 2027")
        assert plan.loc["Rån", "mal"] == "Lägre än 20 per 100 000 invånare (2024) år 2027"
        assert plan.loc["Narkotika", "mal"].startswith("Sätt ett mätbart mål när Brås statistik")
        assert plan.loc["Otrygg ute sent", "mal"] == "Inte tydligt högre än i riket i NTU år 2027 (i dag 30,0\u00a0%, 2024)"
        assert plan.loc["Platser med koncentrerade händelser", "mal"] == (
            "Färre platser vid säkerställda hot spots än i dag (1) år 2027")
        assert "Torget" in plan.loc["Platser med koncentrerade händelser", "aktivitet"]
        assert plan.loc["Narkotika i avloppsvattnet: amfetamin", "mal"] == (
            "Under percentil 75 bland de europeiska mätplatserna år 2027")
        assert plan.loc["Centrum (polisens trygghetsmätning)", "mal"] == (
            "Problemindex för Centrum tydligt lägre än 2,75 (2024) vid mätningen år 2027")
        assert "(Fart)" in plan.loc["Centrum (polisens trygghetsmätning)", "aktivitet"]

    def test_display(self):
        plan = pd.DataFrame([["P", "A", "U", "M", ""], ["P2", "A2", "U2", "M2", "kommun"]], columns=list(fp.FOCUS_COLUMNS))
        assert list(fp.focus_plan_display(plan).columns) == ["Problem", "Aktivitet", "Uppföljning", "Mål", "Ansvar"]
        assert list(fp.focus_plan_display(plan.iloc[[0]]).columns) == ["Problem", "Aktivitet", "Uppföljning", "Mål"]
        assert fp.draft_focus_plan(standout.standout_problems(None), 2027).empty


class TestFocusPlanLoader:
    def test_values_and_kommun_filter(self, tmp_path):
        p = plan_csv(tmp_path, "2080;Klotter  i centrum;Snabb sanering;Anmälda brott;Lägre år 2027;kommun",
                     "2081;Annat;X;Y;Z;", ";Rån;Belysning;Brå;Inte högre än länet 2027;")
        df = fp.load_focus_plan(p, "2080")
        assert df.index.tolist() == [2, 4] and list(df.columns) == list(fp.FOCUS_COLUMNS)
        assert df.loc[2].tolist() == ["Klotter i centrum", "Snabb sanering", "Anmälda brott", "Lägre år 2027", "kommun"]
        assert df.loc[4, "ansvar"] == "" and df.attrs["file"] == str(p)

    def test_swedish_headings_without_kommun_or_ansvar(self, tmp_path):
        p = plan_csv(tmp_path, "A;B;C;D", header="PROBLEM;Aktivitet;Uppföljning;Mål")
        assert fp.load_focus_plan(p, "0114").loc[2].tolist() == ["A", "B", "C", "D", ""]

    def test_the_drafts_download_loads_back(self, tmp_path):
        crime = crime_figures(indicators=[indicator("Skadegörelsebrott", ratio=1.3), indicator("Rån", ratio=1.5)])
        draft = fp.draft_focus_plan(standout.standout_problems(None, crime), 2027)
        shown = fp.focus_plan_display(draft)
        data = report.table_csv(list(shown.columns), shown.values.tolist())  # what the page's CSV link holds
        p = tmp_path / "utkast.csv"
        p.write_bytes(data)
        loaded = fp.load_focus_plan(p, "2080")
        assert loaded.reset_index(drop=True).equals(draft)
        x = tmp_path / "utkast.xlsx"
        x.write_bytes(report.table_xlsx(list(shown.columns), shown.values.tolist(), caption="Utkast"))
        assert fp.load_focus_plan(x, "2080").reset_index(drop=True).equals(draft)

    @pytest.mark.parametrize(("lines", "header", "row", "column", "problem"), [
        (["2080;A;B;C;D;;x"], HEADER + ";extra", 1, "extra", "unknown column 'extra'"),
        (["A;B;C"], "problem;aktivitet;uppfoljning", 1, None, "required column(s) missing: mal"),
        (["A;B;C;D;E"], "problem;aktivitet;uppföljning;uppfoljning;mal", 1, "uppfoljning", "mean the same thing"),
        (["2080;A;B;C;D;", "2080;A2;;C;D;"], HEADER, 3, "aktivitet", "the cell is empty"),
        (["2080;A;B;C;  ;"], HEADER, 2, "mal", "the cell is empty"),
        (["2080;;B;C;D;"], "kommun;Problem;Aktivitet;Uppföljning;Mål;Ansvar", 2, "Problem", "the cell is empty"),
        (["114;A;B;C;D;"], HEADER, 2, "kommun", "'114' is not a four-digit kommun code"),
        (["2080;A;B;C;D;", "2080;a;b;X;Y;"], HEADER, 3, "aktivitet", "rows 2 and 3 have the same problem and activity"),
        (["2080;A;" + "x" * 601 + ";C;D;"], HEADER, 2, "aktivitet", "more than 600"),
        (["2081;A;B;C;D;"], HEADER, None, "kommun", "no row for kommun 2080"),
    ])
    def test_bad_rows(self, tmp_path, lines, header, row, column, problem):
        p = plan_csv(tmp_path, *lines, header=header)
        err = raises_input_error(fp.load_focus_plan, p, "2080")
        assert err.file == str(p) and err.row == row and err.column == column and problem in err.problem

    def test_empty_file_and_missing_file(self, tmp_path):
        p = tmp_path / "plan.csv"
        p.write_text(HEADER + "\n", encoding="utf-8")
        assert "no data rows" in raises_input_error(fp.load_focus_plan, p, "2080").problem
        err = raises_input_error(fp.focus_plan_path, str(tmp_path / "saknas.csv"))
        assert "does not exist" in err.problem and "focus_plan empty" in err.fix
        assert fp.focus_plan_path("") is None and fp.focus_plan_path(str(p)) == p

    def test_excel_sheet_by_name(self, tmp_path):
        wb = openpyxl.Workbook()
        wb.active.title = "Anteckningar"
        wb.active.append(["inte planen"])
        ws = wb.create_sheet("Atgardsplan")
        ws.append(["problem", "aktivitet", "uppfoljning", "mal"])
        ws.append(["A", "B", "C", "D"])
        p = tmp_path / "plan.xlsx"
        wb.save(p)
        assert fp.load_focus_plan(p, "2080").loc[2].tolist() == ["A", "B", "C", "D", ""]


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = fp.write_templates(tmp_path)
        assert [p.name for p in written] == ["atgardsplan.csv", "atgardsplan.xlsx", "README.md"]
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates/atgardsplan')"
            assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates(…)"

    def test_template_rows_load(self):
        raw = (TEMPLATES_DIR / "atgardsplan.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0] == HEADER
        df = fp.load_focus_plan(TEMPLATES_DIR / "atgardsplan.csv", "1287")
        assert df.index.tolist() == [2, 3, 4] and df["ansvar"].tolist() == ["båda", "kommun", "kommun"]
        assert df["problem"].tolist() == [r[1] for r in fp.TEMPLATE.rows]
        pd.testing.assert_frame_equal(fp.load_focus_plan(TEMPLATES_DIR / "atgardsplan.xlsx", "1287"), df,
                                      check_index_type=False)
        assert "no row for kommun 2080" in raises_input_error(fp.load_focus_plan, TEMPLATES_DIR / "atgardsplan.csv",
                                                              "2080").problem

    def test_workbook_and_readme(self):
        wb = openpyxl.load_workbook(io.BytesIO(fp.workbook_bytes()))
        assert wb.sheetnames == ["atgardsplan", "Instruktioner"]
        assert [c.value for c in wb["atgardsplan"][1]] == HEADER.split(";")
        text = fp.templates_markdown()
        for col in fp.TEMPLATE.columns:
            assert f"| {col.name} | {'ja' if col.required else 'nej'} |" in text
        assert fp.template_csv().startswith("\ufeff" + HEADER)
