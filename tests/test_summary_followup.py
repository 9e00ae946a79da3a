"""Tests of lagesbild.summary.followup (plans by year, the previous plan's goals against the data) and plan_text."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from helpers import raises_input_error

from lagesbild.core import reads
from lagesbild.stats import goals as g
from lagesbild.summary import focus_plan as fp
from lagesbild.summary import followup as fu
from lagesbild.summary import plan_text as pt

HEADER = "kommun;problem;atgard;operativt_mal;uppfoljning;status;matt;matt_avser;malvarde;malar;riktning;utgangsar"


def write_plan(folder, name, *rows):
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(HEADER + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def crime(**series) -> dict:
    """Key figures of the crime report with hand-made yearly series: name → [(year, count, population)]."""
    return {"indicators": [{"indicator": name, "year": pts[-1][0], "count": pts[-1][1], "population": pts[-1][2],
                            "series": [{"year": y, "count": c, "population": n} for y, c, n in pts]}
                           for name, pts in series.items()]}


def plan_row(**kw) -> dict:
    row = dict.fromkeys(fp.PLAN_COLUMNS, "")
    row.update(problem="P", atgard="A", operativt_mal="M", uppfoljning="U")
    row.update(kw)
    return row


class TestPlansByYear:
    def test_plan_year(self):
        assert fu.plan_year("x/atgardsplan_2026.xlsx") == 2026 and fu.plan_year("ÅTGÄRDSPLAN_2024.csv") == 2024
        assert fu.plan_year("atgardsplan.csv") is None and fu.plan_year("plan_2026.csv") is None

    def test_folder_newest_is_current_the_one_before_is_followed_up(self, tmp_path):
        d = tmp_path / "planer"
        write_plan(d, "atgardsplan_2024.csv", "2080;Gammalt;X;Y;Z;röd;;;;;;")
        write_plan(d, "atgardsplan_2025.csv", "2080;Förra;X;Y;Z;gul;;;;;;")
        write_plan(d, "atgardsplan_2026.csv", "2080;Nu;X;Y;Z;;brott;Rån;20;2028;;")
        (d / "README.md").write_text("anteckningar", encoding="utf-8")
        reads.start()
        plans = fu.load_plans(str(d), "2080")
        assert (plans.current.year, plans.previous.year, plans.example) == (2026, 2025, False)
        assert plans.current.plan["problem"].tolist() == ["Nu"] and plans.previous.plan["status"].tolist() == ["on_the_way"]
        assert plans.current_file == d / "atgardsplan_2026.csv"
        assert [f["name"] for f in plans.files] == [f"planer/atgardsplan_{y}.csv" for y in (2024, 2025, 2026)]
        assert plans.files[2]["description"] == "Kommunens åtgärdsplan 2026"
        # what the report read is recorded, so a changed plan rebuilds the lägesbild
        snap = reads.snapshot()
        assert str(d.resolve()) in snap["folders"] and str((d / "atgardsplan_2025.csv").resolve()) in snap["files"]

    def test_a_single_file_is_the_current_plan(self, tmp_path):
        p = write_plan(tmp_path, "atgardsplan.csv", "2080;A;B;C;D;;;;;;;")
        plans = fu.load_plans(str(p), "2080")
        assert plans.current.year is None and plans.previous is None and plans.current_file == p

    def test_provenance_lists_the_current_plan_and_the_one_it_follows_up(self, tmp_path):
        d = tmp_path / "planer"
        for year in (2023, 2024, 2026):
            write_plan(d, f"atgardsplan_{year}.csv", "2080;A;B;C;D;;;;;;;")
        (d / "metadata.yaml").write_text("exempeldata: true\n", encoding="utf-8")
        files = fu.plan_provenance(d / "atgardsplan_2026.csv")
        assert [f["name"] for f in files] == ["planer/atgardsplan_2024.csv", "planer/atgardsplan_2026.csv"]
        assert files[0]["description"] == "Kommunens åtgärdsplan 2024 (påhittade exempeldata)"
        single = write_plan(tmp_path, "plan.csv", "2080;A;B;C;D;;;;;;;")
        assert [(f["name"], f["description"]) for f in fu.plan_provenance(single)] == [("plan.csv", "Kommunens åtgärdsplan")]
        # the summary's list of files behind the report (the notebook passes the current plan's file)
        from lagesbild.summary import report, sources

        names = [f["name"] for f in report.provenance_files(sources.load_sources(tmp_path, "2080"), [],
                                                            d / "atgardsplan_2026.csv")]
        assert names == ["planer/atgardsplan_2024.csv", "planer/atgardsplan_2026.csv"]

    def test_the_bundled_example_only_for_its_kommun(self):
        plans = fu.load_plans("", "2080")
        assert plans.example and (plans.current.year, plans.previous.year) == (2026, 2025)
        assert all("påhittade exempeldata" in f["description"] for f in plans.files)
        assert fu.load_plans("", "0114") == fu.Plans(folder=fu.EXAMPLE_PLANS)

    @pytest.mark.parametrize(("files", "bad", "problem"), [
        (["atgardsplan_2025.csv", "plan.csv"], "plan.csv", "is not a plan of a year"),
        (["atgardsplan_2025.csv", "Atgardsplan_2025.xlsx"], "atgardsplan_2025.csv", "two plans for 2025"),
    ])
    def test_bad_folders(self, tmp_path, files, bad, problem):
        for name in files:
            write_plan(tmp_path, name, "2080;A;B;C;D;;;;;;;")
        err = raises_input_error(fu.load_plans, str(tmp_path), "2080")
        assert err.file == str(tmp_path / bad) and problem in err.problem

    def test_an_empty_folder_and_a_plan_without_the_kommun(self, tmp_path):
        assert "holds no åtgärdsplan" in raises_input_error(fu.load_plans, str(tmp_path), "2080").problem
        write_plan(tmp_path, "atgardsplan_2025.csv", "2081;A;B;C;D;;;;;;;")
        assert "no row for kommun 2080" in raises_input_error(fu.load_plans, str(tmp_path), "2080").problem


class TestSeries:
    def test_crime_series_and_the_fallback_of_an_older_report(self):
        c = crime(Rån=[(2023, 10, 50_000.0), (2024, 12, 50_100.0)])
        assert [(o.year, o.count) for o in fu.crime_observations(c, " rån ")] == [(2023, 10), (2024, 12)]
        old = {"indicators": [{"indicator": "Rån", "year": 2024, "count": 12, "population": 50_000.0,
                               "previous_year": 2023, "previous_count": 10, "previous_rate": 20.0}]}
        obs = fu.crime_observations(old, "Rån")
        assert [(o.year, o.count, o.exposure) for o in obs] == [(2023, 10, 50_000.0), (2024, 12, 50_000.0)]
        assert fu.crime_observations(c, "Bilbrott") is None and fu.crime_observations(None, "Rån") is None

    def test_ntu_kommun_rows_by_label_or_indicator(self):
        frame = pd.DataFrame({"level": ["kommun", "län", "kommun"], "indicator": ["Otrygg ute sent (lång)"] * 3,
                              "label": ["Otrygg ute sent"] * 3, "year": [2023, 2023, 2024], "share": [20.0, 18.0, 15.0],
                              "ci_low": [17.0, 17.0, float("nan")], "ci_high": [23.0, 19.0, float("nan")]})
        obs = fu.survey_observations(frame, "otrygg ute sent", kind="ntu")
        assert [(o.year, o.value, o.has_interval) for o in obs] == [(2023, 20.0, True), (2024, 15.0, False)]
        assert fu.survey_observations(frame, "Otrygg ute sent (lång)", kind="ntu")[0].ci_low == 17.0
        assert fu.survey_observations(None, "x", kind="ntu") is None


class TestFollowUp:
    def test_statuses_row_by_row(self):
        plan = pd.DataFrame([
            # 2024 -> 2025: 327 -> 203 burglaries in 60 000: a clear fall to 338 per 100 000, below 450
            plan_row(problem="Inbrott", matt="brott", matt_avser="Inbrottsstöld i bostad", malvarde="450", malar="2027",
                     riktning="högst"),
            # the plan is for 2025: the survey's last measurement (2024) is no follow-up yet
            plan_row(problem="Centrum", matt="trygghetsmatning", matt_avser="Centrum", malvarde="2.5", malar="2027",
                     riktning="högst"),
            plan_row(problem="Stavfel", matt="brott", matt_avser="Inbrot", malvarde="450", malar="2027", riktning="högst"),
            plan_row(problem="Våld", status="not_met"),
        ])
        tm = pd.DataFrame({"omrade": ["Centrum", "Centrum"], "is_total": [True, True], "year": [2023, 2024],
                           "index": [2.42, 2.75], "ci_low": [2.32, 2.66], "ci_high": [2.52, 2.84]})
        c = crime(**{"Inbrottsstöld i bostad": [(2024, 327, 60_000.0), (2025, 203, 60_000.0)]}) | {"preliminary_years": [2025]}
        f = fu.follow_up(plan, 2025, crime=c, trygghet=SimpleNamespace(results=tm, example=True))
        assert f["status"].tolist() == [g.MET, g.NOT_MEASURABLE, g.NOT_MEASURABLE, g.NOT_MET]
        assert f["computed"].tolist() == [True, True, True, False] and f["found"].tolist() == [True, True, False, False]
        assert f["source"].tolist() == [True, True, True, False]
        assert f["example"].tolist() == [False, True, False, False] and f.loc[1, "goal"].reason == "no_new_data"
        assert fu.status_counts(f) == {"met": 1, "on_the_way": 0, "not_met": 1, "not_measurable": 2, "": 0}
        shown = pt.followup_table(f)
        assert list(shown.columns) == list(pt.FOLLOWUP_HEADINGS)
        assert shown.loc[0, "Utfall"] == "338 år 2025 (545 år 2024)" and shown.loc[0, "Status"] == "Uppnått (grön)"
        assert shown.loc[0, "Bedömning"].endswith("(p < 0,001). Siffrorna för 2025 är Brås preliminära.")
        assert shown.loc[1, "Bedömning"] == ("Ingen mätning efter 2024 finns i underlaget ännu (senaste är från 2024). "
                                             "Mätningen är påhittade exempeldata.")
        assert shown.loc[2, "Bedömning"].startswith("Inbrot finns inte i underlaget")
        assert shown.loc[3, "Status"] == "Inte uppnått (röd)" and shown.loc[3, "Mått och målvärde"] == "–"
        assert pt.followup_classes(f) == ["grön", None, None, "röd"]

    def test_baseline_year_and_direction(self):
        # at least 30 % in 2027 from 20 % (2023, 17–23) to 26 % (2025, 23–29): a clear rise, short of the target
        frame = pd.DataFrame({"level": "kommun", "indicator": "Förtroende", "label": "Förtroende",
                              "year": [2023, 2024, 2025], "share": [20.0, 22.0, 26.0], "ci_low": [17.0, 19.0, 23.0],
                              "ci_high": [23.0, 25.0, 29.0]})
        plan = pd.DataFrame([plan_row(matt="ntu", matt_avser="Förtroende", malvarde="30", malar="2027",
                                      riktning="minst", utgangsar="2023")])
        goal = fu.follow_up(plan, 2024, ntu_frame=frame).loc[0, "goal"]
        assert (goal.status, goal.reason, goal.baseline_year, goal.year) == (g.ON_THE_WAY, "moving_towards", 2023, 2025)
        assert goal.change_p < 0.01

    def test_a_wastewater_load(self):
        # cocaine: a typical day e^5.7 ≈ 299 (2024) -> e^5.0 ≈ 148 (2025), spread 0.3 and 0.4 over 7 and 6 days:
        # Welch's t ≈ 3.5 on ≈ 9 df, p < 0.01; the mean load 150 is below the target 200
        ww = {"example_data": True, "load_series": [
            {"substance": "Kokain", "site_id": "S", "year": 2024, "days": 7, "mean": 300.0, "log_mean": 5.7, "log_sd": 0.3},
            {"substance": "Kokain", "site_id": "S", "year": 2025, "days": 6, "mean": 150.0, "log_mean": 5.0, "log_sd": 0.4},
            {"substance": "Kokain", "site_id": "T", "year": 2025, "days": 7, "mean": 900.0, "log_mean": 6.8, "log_sd": 0.3}]}
        plan = pd.DataFrame([plan_row(matt="avloppsvatten", matt_avser="kokain", malvarde="200", malar="2027",
                                      riktning="högst")])
        f = fu.follow_up(plan, 2025, wastewater=ww)
        assert f.loc[0, "status"] == g.MET and f.loc[0, "example"] and f.loc[0, "goal"].value == 150.0  # site S only
        why = pt.followup_table(f).loc[0, "Bedömning"]
        assert "En mätvecka behöver inte representera hela året." in why and "påhittade exempeldata" in why
        assert pt.followup_table(f).loc[0, "Utfall"] == "150,0 år 2025 (300,0 år 2024)"
        assert not fu.follow_up(plan, 2025, wastewater={"load_series": []}).loc[0, "source"]

    def test_a_missing_source_is_named(self):
        plan = pd.DataFrame([plan_row(matt="ntu", matt_avser="Otrygg", malvarde="10", malar="2027", riktning="högst"),
                             plan_row(matt="trygghetsmatning", matt_avser="Centrum", malvarde="2", malar="2027",
                                      riktning="högst")])
        f = fu.follow_up(plan, 2025, ntu_frame=pd.DataFrame())
        assert f["status"].tolist() == [g.NOT_MEASURABLE] * 2 and f["source"].tolist() == [False, False]
        assert pt.followup_table(f)["Bedömning"].tolist() == [
            "NTU (Brås kommunindikatorer) finns inte för kommunen i underlaget.",
            "Polisens trygghetsmätning finns inte för kommunen i underlaget."]


class TestPlanText:
    def test_status_words_and_colours(self):
        assert [pt.status_text(s) for s in g.STATUSES] == ["Uppnått (grön)", "På väg (gul)", "Inte uppnått (röd)",
                                                           "Går inte att mäta än"]
        assert set(pt.GOAL_STATUS_INPUT.values()) == set(g.STATUSES)

    def test_every_reason_has_a_sentence(self):
        base = g.GoalStatus(g.NOT_MET, "", 10.0, 2027, True, 2025, 12.0, 2024, 11.0, 0.2)
        texts = {r: pt.reason_text(g.GoalStatus(**{**base.__dict__, "reason": r}), 2024) for r in g.REASONS}
        assert len(set(texts.values())) == len(g.REASONS)
        assert texts["short_of_target"] == "Målåret är inte nått, men värdet har inte rört sig mot målet (p = 0,20)."

    def test_rule_and_prompts(self):
        for word in ("Uppnått", "På väg", "Inte uppnått", "Går inte att mäta än", "E-test", "konfidensintervallen"):
            assert word in pt.GOAL_RULE
        assert pt.ORSAK_PROMPT.startswith(pt.ORSAK_PROMPT_START)

    def test_summary_and_texts(self):
        assert pt.followup_summary({"met": 2, "not_met": 1}, None) == (
            "Den förra åtgärdsplanen har 3 mål: 2 uppnått och 1 inte uppnått.")
        assert "följs förra årets plan upp här" in pt.no_previous_plan_text(True)
        assert pt.plan_source("a.csv", example=True) == "Påhittade exempeldata: Kommunens åtgärdsplan (a.csv)"


class TestExamplePlans:
    def test_committed_files_are_what_make_example_writes(self):
        import importlib.util

        spec = importlib.util.spec_from_file_location("make_plans", fu.EXAMPLE_PLANS / "make_example.py")
        make = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(make)
        for year, rows in ((2025, make.PLAN_2025), (2026, make.PLAN_2026)):
            committed = (fu.EXAMPLE_PLANS / f"atgardsplan_{year}.csv").read_text(encoding="utf-8")
            assert committed == fp.TEMPLATE.csv_text(rows), f"run data/example/atgardsplan/make_example.py ({year})"
        assert (fu.EXAMPLE_PLANS / "metadata.yaml").read_text(encoding="utf-8") == make.METADATA

    def test_the_example_uses_every_supported_measure_and_writes_causes(self):
        plans = fu.load_plans("", "2080")
        measured = pd.concat([plans.previous.plan, plans.current.plan])
        measured = measured[measured["matt"] != ""]
        assert set(measured["matt"]) == {"brott", "ntu", "trygghetsmatning"}
        assert (measured["orsak"] != "").sum() >= len(measured) - 1
