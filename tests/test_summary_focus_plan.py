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
from lagesbild.summary import plan_text, standout
from lagesbild.summary import surveys as trygghet

TEMPLATES_DIR = DATA / "templates" / "atgardsplan"
#: The template's header: Brå's columns, then those of a measurable goal.
BRÅ_HEADER = ("kommun;problem;orsak;atgard;operativt_mal;nar;ansvarig;uppfoljning;status;matt;matt_avser;malvarde;malar;"
              "riktning;utgangsar")


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
        assert list(plan.columns) == list(fp.PLAN_COLUMNS)
        assert (plan[["nar", "ansvarig", "status"]] == "").all().all() and (plan["orsak"] == plan_text.ORSAK_PROMPT).all()
        for part in ("Gärningsperson", "Offer/objekt", "Plats och tillfälle"):  # Brå's crime triangle
            assert part in plan_text.ORSAK_PROMPT
        stold = plan.loc["Stöld och tillgreppsbrott, totalt"]
        assert stold["problem"] == "Stöld och tillgreppsbrott, totalt (tydligt högre än i länet)"
        assert stold["operativt_mal"] == "Inte tydligt högre än i länet år 2027" and stold["matt"] == ""
        assert stold["uppfoljning"].startswith("Brå: anmälda brott, stöld och tillgreppsbrott, totalt, per 100 000 "
                                               "invånare, varje år (Brottsutvecklingen)")
        assert stold["uppfoljning"].endswith(fp.FOLLOW_UP_TAIL)
        assert plan.loc["Skadegörelsebrott", "operativt_mal"].replace("\u00a0", " ") == (
            "Tillbaka till högst 952 per 100 000 invånare (nivån 2023) år 2027")
        assert plan.loc["Skadegörelsebrott", list(fp.MEASURE_COLUMNS)].tolist() == [
            "brott", "Skadegörelsebrott", "952", "2027", "högst", "2024"]
        assert plan.loc["Rån", "operativt_mal"] == "Lägre än 20 per 100 000 invånare (2024) år 2027"
        assert plan.loc["Rån", ["matt", "malvarde", "utgangsar"]].tolist() == ["brott", "20", "2024"]
        assert plan.loc["Narkotika", "operativt_mal"].startswith("Sätt ett mätbart mål när Brås statistik")
        assert plan.loc["Narkotika", "matt"] == ""
        assert plan.loc["Otrygg ute sent", "operativt_mal"] == (
            "Inte tydligt högre än i riket i NTU år 2027 (i dag 30,0\u00a0%, 2024)")
        assert plan.loc["Platser med koncentrerade händelser", "operativt_mal"] == (
            "Färre platser vid säkerställda hot spots än i dag (1) år 2027")
        assert "Torget" in plan.loc["Platser med koncentrerade händelser", "atgard"]
        assert plan.loc["Narkotika i avloppsvattnet: amfetamin", "operativt_mal"] == (
            "Under percentil 75 bland de europeiska mätplatserna år 2027")
        assert plan.loc["Centrum (polisens trygghetsmätning)", "operativt_mal"] == (
            "Problemindex för Centrum tydligt lägre än 2,75 (2024) vid mätningen år 2027")
        assert plan.loc["Centrum (polisens trygghetsmätning)", list(fp.MEASURE_COLUMNS)].tolist() == [
            "trygghetsmatning", "Centrum", "2.75", "2027", "högst", "2024"]
        assert "(Fart)" in plan.loc["Centrum (polisens trygghetsmätning)", "atgard"]

    def test_display(self):
        plan = pd.DataFrame([["P", "", "A", "M", "", "", "U", "not_met"] + [""] * 6,
                             ["P2", "Orsak", "A2", "M2", "2026", "kommun", "U2", ""] + ["brott", "Rån", "20.5", "2027",
                                                                                       "högst", ""]],
                            columns=list(fp.PLAN_COLUMNS))
        brå = ["Problem", "Orsak", "Åtgärd", "Operativa mål", "När", "Ansvarig", "Uppföljning", "Status"]
        as_file = fp.focus_plan_file(plan)
        assert list(as_file.columns) == brå + ["Mått", "Avser", "Målvärde", "Målår", "Riktning", "Utgångsår"]
        assert as_file["Orsak"].tolist() == ["orsak inte angiven", "Orsak"]
        assert as_file["Status"].tolist() == ["Inte uppnått (röd)", ""] and as_file.loc[1, "Målvärde"] == "20,5"
        shown = fp.focus_plan_display(plan)  # the page: Brå's eight columns and the measure as one phrase
        assert list(shown.columns) == brå + ["Mått och målvärde"]
        assert shown["Mått och målvärde"].tolist() == [
            "–", "Rån: anmälda brott per 100 000 invånare (Brå) högst 20,5 år 2027"]
        assert shown[brå].equals(as_file[brå])
        assert list(fp.focus_plan_display(plan.iloc[[0]]).columns) == brå
        assert fp.focus_plan_display(plan, draft=True)["Orsak"].tolist() == ["", "Orsak"]
        assert fp.draft_focus_plan(standout.standout_problems(None), 2027).empty


class TestFocusPlanLoader:
    def test_values_and_kommun_filter(self, tmp_path):
        p = plan_csv(tmp_path, "2080;Klotter  i centrum;Snabb sanering;Anmälda brott;Lägre år 2027;kommun",
                     "2081;Annat;X;Y;Z;", ";Rån;Belysning;Brå;Inte högre än länet 2027;")
        # a plan in the earlier columns (aktivitet, mal, ansvar) loads as it is
        df = fp.load_focus_plan(p, "2080")
        assert df.index.tolist() == [2, 4] and list(df.columns) == list(fp.PLAN_COLUMNS)
        assert df.loc[2, ["problem", "atgard", "uppfoljning", "operativt_mal", "ansvarig"]].tolist() == [
            "Klotter i centrum", "Snabb sanering", "Anmälda brott", "Lägre år 2027", "kommun"]
        assert (df.loc[2, ["orsak", "nar", "status", *fp.MEASURE_COLUMNS]] == "").all()
        assert df.loc[4, "ansvarig"] == "" and df.attrs["file"] == str(p)

    def test_swedish_headings_without_kommun_or_ansvar(self, tmp_path):
        p = plan_csv(tmp_path, "A;B;C;D", header="PROBLEM;Aktivitet;Uppföljning;Mål")
        assert fp.load_focus_plan(p, "0114").loc[2, ["problem", "atgard", "uppfoljning", "operativt_mal"]].tolist() == [
            "A", "B", "C", "D"]

    def test_brås_columns_status_and_measures(self, tmp_path):
        header = ("Problem;Orsak;Åtgärd;Operativa mål;När;Ansvarig;Uppföljning;Status;Mått;Avser;Målvärde;Målår;"
                  "Riktning;Utgångsår")
        p = plan_csv(tmp_path, "Inbrott;Få grannar hemma;Grannsamverkan;Högst 450;2026;Polisen;Brå;Grön;Brott;"
                     "Inbrottsstöld i bostad;450;2027;;2025",
                     f"Otrygghet;{plan_text.ORSAK_PROMPT};Vandring;Lägre index;Hösten;Kommunen;TM;Uppnått (grön);"
                     "trygghetsmätning;Centrum;2,4;2027;HÖGST;",
                     "Narkotika;;Mätning;Under p75;;;Avlopp;röd;;;;;;", header=header)
        df = fp.load_focus_plan(p, "2080")
        assert df["status"].tolist() == ["met", "met", "not_met"]
        assert df["orsak"].tolist() == ["Få grannar hemma", "", ""]  # the draft's prompts are no cause
        assert df.loc[2, list(fp.MEASURE_COLUMNS)].tolist() == ["brott", "Inbrottsstöld i bostad", "450", "2027",
                                                                "högst", "2025"]
        assert df.loc[3, list(fp.MEASURE_COLUMNS)].tolist() == ["trygghetsmatning", "Centrum", "2.4", "2027", "högst", ""]
        assert (df.loc[4, list(fp.MEASURE_COLUMNS)] == "").all()

    @pytest.mark.parametrize(("measure", "column", "problem", "fix"), [
        ("inbrott;X;5;2027;;", "matt", "'inbrott' is not a measure",
         "brott, ntu, trygghetsmatning, avloppsvatten, faktorpoang, handelser"),
        ("faktorpoäng;X;5;2027;uppåt;", "riktning", "'uppåt' is not a direction", "minst"),
        ("brott;;5;2027;;", "matt_avser", "the cell is empty", "Brå category"),
        ("brott;Rån;fem;2027;;", "malvarde", "'fem' is not a number", ""),
        ("brott;Rån;5;27;;", "malar", "'27' is not a year", "four digits"),
        ("brott;Rån;5;2027;lägre;", "riktning", "'lägre' is not a direction", "minst"),
        ("brott;Rån;5;2027;;2027", "utgangsar", "not before the target year", ""),
        (";Rån;5;2027;;", "matt_avser", "matt is empty", "brott, ntu, trygghetsmatning"),
    ])
    def test_bad_measures(self, tmp_path, measure, column, problem, fix):
        p = plan_csv(tmp_path, "A;B;C;D;" + measure, header="problem;atgard;uppfoljning;operativt_mal;matt;matt_avser;"
                     "malvarde;malar;riktning;utgangsar")
        err = raises_input_error(fp.load_focus_plan, p, "2080")
        assert (err.row, err.column) == (2, column) and problem in err.problem and fix in err.fix

    def test_bad_status(self, tmp_path):
        p = plan_csv(tmp_path, "A;B;C;D;blå", header="problem;atgard;uppfoljning;operativt_mal;status")
        err = raises_input_error(fp.load_focus_plan, p, "2080")
        assert (err.row, err.column) == (2, "status") and "grön, gul or röd" in err.fix

    def test_a_shared_example_without_the_kommun(self, tmp_path):
        p = plan_csv(tmp_path, "2081;A;B;C;D;")
        assert fp.load_focus_plan(p, "2080", allow_empty=True).empty

    def test_the_drafts_download_loads_back(self, tmp_path):
        crime = crime_figures(indicators=[indicator("Skadegörelsebrott", ratio=1.3), indicator("Rån", ratio=1.5)])
        draft = fp.draft_focus_plan(standout.standout_problems(None, crime), 2027)
        shown = fp.focus_plan_file(draft)
        data = report.table_csv(list(shown.columns), shown.values.tolist())  # what the page's CSV link holds
        p = tmp_path / "utkast.csv"
        p.write_bytes(data)
        loaded = fp.load_focus_plan(p, "2080")
        expected = draft.assign(orsak="")  # the prompts are not a cause
        assert loaded.reset_index(drop=True).equals(expected)
        x = tmp_path / "utkast.xlsx"
        x.write_bytes(report.table_xlsx(list(shown.columns), shown.values.tolist(), caption="Utkast"))
        assert fp.load_focus_plan(x, "2080").reset_index(drop=True).equals(expected)

    @pytest.mark.parametrize(("lines", "header", "row", "column", "problem"), [
        (["2080;A;B;C;D;;x"], HEADER + ";extra", 1, "extra", "unknown column 'extra'"),
        (["A;B;C"], "problem;aktivitet;uppfoljning", 1, None, "required column(s) missing: operativt_mal"),
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
        assert fp.load_focus_plan(p, "2080").loc[2, ["problem", "atgard", "uppfoljning", "operativt_mal"]].tolist() == [
            "A", "B", "C", "D"]


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
        assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0] == BRÅ_HEADER
        df = fp.load_focus_plan(TEMPLATES_DIR / "atgardsplan.csv", "1287")
        assert df.index.tolist() == [2, 3, 4] and df["matt"].tolist() == ["brott", "trygghetsmatning", ""]
        assert df["status"].tolist() == ["", "", "on_the_way"] and df.loc[4, "orsak"] == ""
        assert df["problem"].tolist() == [r[1] for r in fp.TEMPLATE.rows]
        pd.testing.assert_frame_equal(fp.load_focus_plan(TEMPLATES_DIR / "atgardsplan.xlsx", "1287"), df,
                                      check_index_type=False)
        assert "no row for kommun 2080" in raises_input_error(fp.load_focus_plan, TEMPLATES_DIR / "atgardsplan.csv",
                                                              "2080").problem

    def test_workbook_and_readme(self):
        wb = openpyxl.load_workbook(io.BytesIO(fp.workbook_bytes()))
        assert wb.sheetnames == ["atgardsplan", "Instruktioner"]
        assert [c.value for c in wb["atgardsplan"][1]] == BRÅ_HEADER.split(";")
        text = fp.templates_markdown()
        for col in fp.TEMPLATE.columns:
            assert f"| {col.name} | {'ja' if col.required else 'nej'} |" in text
        assert fp.template_csv().startswith("\ufeff" + BRÅ_HEADER)
        assert "atgardsplan_2025.csv" in text and "orsak inte angiven" in text and "Upprätta åtgärdsplan" in text
