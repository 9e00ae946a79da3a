"""Tests of lagesbild.summary.report and the lägesbild report: sources, sections, what stands out, the focus plan."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys

import openpyxl
import pandas as pd
import papermill
import pytest
from helpers import raises_input_error

from lagesbild.core.paths import DATA, NOTEBOOKS, PROJ_ROOT, REPORTS
from lagesbild.render import report
from lagesbild.stats import indicators
from lagesbild.stats.indicators import Light
from lagesbild.summary import report as sm
from lagesbild.summary import surveys as trygghet

TEMPLATES_DIR = DATA / "templates" / "atgardsplan"
NAN = float("nan")

# ============================================================================================
# Hand-made key figures, as the four reports write them
# ============================================================================================


def indicator(name="Bilbrott", year=2024, count=150, rate=250.0, rate_lan=226.0, rate_riket=383.0, prev_count=200,
              prev_rate=339.0, ratio=0.74, change_p=0.005, change_detectable=True, trend_pct=5.8, trend_p=0.32,
              trend_detectable=False, **extra) -> dict:
    return {"indicator": name, "year": year, "previous_year": year - 1, "count": count, "previous_count": prev_count,
            "rate": rate, "previous_rate": prev_rate, "rate_lan": rate_lan, "rate_riket": rate_riket,
            "set": "kommunindikatorer", "preliminary": False, "dispersion": {"tau2": 0.005},
            "change": {"rate_ratio": ratio, "ci_low": None, "ci_high": None, "p_value": change_p,
                       "detectable": change_detectable, "too_few": False},
            "trend": {"first_year": 2017, "last_year": year, "annual_change_pct": trend_pct, "ci_low_pct": None,
                      "ci_high_pct": None, "p_value": trend_p, "detectable": trend_detectable, "too_few": False},
            **extra}


def crime_figures(**kw) -> dict:
    out = {"title": "Brottsutvecklingen i Falun", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län",
           "bra_available": True, "bra_latest_year": 2024, "detectable_increases": [], "detectable_decreases": ["Bilbrott"],
           "focus_areas": {}, "indicators": [indicator()], "events_last_12_months": 129, "events_period_end": "2025-12"}
    out.update(kw)
    return out


def place_figures(**kw) -> dict:
    out = {"title": "Platsbedömning i Falun", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län",
           "place_data": True, "example_data": False, "places": 8, "places_assessed": 6,
           "period": ["2024-01", "2025-12"], "hot_spot_cells": 3, "hot_spot_places": ["Torget", "Parken"],
           "priority": ["Torget", "Parken", "Stråket", "Tunneln"], "gini": 0.5, "districts_counted": []}
    out.update(kw)
    return out


def wastewater_figures(**kw) -> dict:
    out = {"title": "Narkotika i avloppsvatten – Falun", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län",
           "own_measurements": True, "example_data": False, "sites": ["x"], "euda_sites": [],
           "latest": [{"substance": "Amfetamin", "year": 2025, "daily_mean": 256.4, "percentile_europe": 91.2},
                      {"substance": "Kokain", "year": 2025, "daily_mean": 100.3, "percentile_europe": 29.7}]}
    out.update(kw)
    return out


def project_figures(**kw) -> dict:
    out = {"title": "Utvärdering", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län", "example_data": False,
           "projects": [{"id": "P1", "name": "Trygg park", "wdd_estimate": -12.0, "wdd_ci": [-20.5, -3.5],
                         "detectable": True}],
           "commitments": {"uppfyllt": 2, "delvis uppfyllt": 0, "ej uppfyllt": 1, "kan ej bedömas": 0}}
    out.update(kw)
    return out


FIGURES = {"crime_trends": crime_figures, "place_assessment": place_figures, "wastewater": wastewater_figures,
           "project_evaluation": project_figures}


def document(report_name: str, figures: dict | None = None, kommun: str = "2080",
             generated: str = "2026-01-10T08:00:00+00:00") -> dict:
    return {"kommun": kommun, "name": "Falun", "lan": "Dalarnas län", "report": report_name, "generated": generated,
            "lagesbild_version": "0.1.0", "git_commit": "abc", "parameters": {"kommun": kommun, "data_dir": "data"},
            "params_source": "2080_falun.yaml",
            "key_figures": FIGURES[report_name]() if figures is None else figures}


def write_reports(folder, kommun="2080", reports=tuple(sm.SOURCE_REPORTS), **figures):
    (folder / kommun).mkdir(parents=True, exist_ok=True)
    for name in reports:
        doc = document(name, figures.get(name), kommun=kommun)
        (folder / kommun / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def light(status, comparison="länet", p=0.01, estimate=1.5, higher_is_worse=True, method="test") -> Light:
    if status == indicators.MISSING:
        return indicators.missing_light(comparison, "Saknas.")
    return Light(status, higher_is_worse, comparison, estimate, estimate - 0.1, estimate + 0.1, p, 0.05, "ratio", method)


def key_table(rows: list[dict]) -> pd.DataFrame:
    """A hand-made key-indicator table (the shape of indicators.indicator_table)."""
    out = []
    for r in rows:
        out.append({"source": r.get("source", "Anmälda brott"), "theme": r.get("theme", "Anmälda brott"),
                    "indicator": r["indicator"], "year": r.get("year", 2024), "value": r.get("value", 100.0),
                    "unit": "", "value_lan": r.get("value_lan", 80.0), "value_riket": r.get("value_riket", 90.0),
                    "higher_is_worse": True, "lan": r.get("lan", light(indicators.UNCLEAR)),
                    "riket": r.get("riket", light(indicators.UNCLEAR, "riket")), "note": ""})
    return pd.DataFrame(out)


class Cfg:
    kommun, name, lan, lan_kod = "2080", "Falun", "Dalarnas län", "20"


# ============================================================================================
# Source reports
# ============================================================================================


class TestPaths:
    def test_build_command_and_link(self):
        assert sm.build_command("0114", "crime_trends") == "python run_all.py --kommun 0114 --report crime_trends"
        assert sm.build_command("0114") == "python run_all.py --kommun 0114"
        assert sm.report_link("project_evaluation") == "project_evaluation.html"
        with pytest.raises(ValueError, match="unknown source report"):
            sm.report_link("lagesbild")

    def test_reports_folder(self, tmp_path):
        assert sm.reports_folder("") == REPORTS and sm.reports_folder("  ") == REPORTS
        assert sm.reports_folder(str(tmp_path)) == tmp_path
        assert sm.reports_folder("notebooks") == PROJ_ROOT / "notebooks"  # relative to the project root
        err = raises_input_error(sm.reports_folder, str(tmp_path / "nope"))
        assert err.file == str(tmp_path / "nope") and "does not exist" in err.problem


class TestReadSource:
    def test_valid(self, tmp_path):
        p = tmp_path / "crime_trends.json"
        p.write_text(json.dumps(document("crime_trends")), encoding="utf-8")
        s = sm.read_source(p, "crime_trends", "2080")
        assert (s.report, s.kommun, s.title, s.link, s.version, s.example) == (
            "crime_trends", "2080", "Brottsutvecklingen", "crime_trends.html", "0.1.0", False)
        assert s.generated == dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC)
        assert s.key_figures["indicators"][0]["count"] == 150 and s.key_figures["events_last_12_months"] == 129
        assert s.parameters == {"kommun": "2080", "data_dir": "data"}

    def test_extra_fields_are_kept_and_comparison_counts_accepted(self, tmp_path):
        figures = crime_figures(indicators=[indicator(population=59964.2, count_lan=648, population_lan=286891.4,
                                                      count_riket=40508, population_riket=10570040.0)],
                                new_field={"a": 1})
        p = tmp_path / "c.json"
        p.write_text(json.dumps(document("crime_trends", figures)), encoding="utf-8")
        k = sm.read_source(p, "crime_trends", "2080").key_figures
        assert k["new_field"] == {"a": 1} and k["indicators"][0]["count_lan"] == 648

    def test_naive_build_time_is_utc(self, tmp_path):
        p = tmp_path / "w.json"
        p.write_text(json.dumps(document("wastewater", generated="2026-01-10T08:00:00")), encoding="utf-8")
        assert sm.read_source(p, "wastewater", "2080").generated.tzinfo == dt.UTC

    @pytest.mark.parametrize(("content", "problem"), [
        (b"{\"report\": ", "not valid JSON (line 1"),
        (b"[1, 2]", "JSON list, not an object"),
        ("{}".encode("utf-16"), "not UTF-8"),
    ])
    def test_unreadable_file(self, tmp_path, content, problem):
        p = tmp_path / "place_assessment.json"
        p.write_bytes(content)
        err = raises_input_error(sm.read_source, p, "place_assessment", "2080")
        assert err.file == str(p) and problem in err.problem
        assert err.fix == "rebuild the report: python run_all.py --kommun 2080 --report place_assessment"

    @pytest.mark.parametrize(("change", "column", "problem"), [
        (lambda d: d.update(report="wastewater"), "report", "is the report 'wastewater'"),
        (lambda d: d.update(kommun="2081"), "kommun", "for kommun 2081, not 2080"),
        (lambda d: d.update(generated="igår"), "generated", "not an ISO date"),
        (lambda d: d.pop("generated"), "generated", "is missing"),
        (lambda d: d["key_figures"].pop("bra_available"), "key_figures.bra_available", "is missing"),
        (lambda d: d["key_figures"]["indicators"][0].update(count="150"), "key_figures.indicators.0.count",
         "valid integer, found '150'"),
        (lambda d: d["key_figures"]["indicators"][0]["change"].update(detectable=1),
         "key_figures.indicators.0.change.detectable", "valid boolean"),
        (lambda d: d["key_figures"].update(focus_areas=["Klotter"]), "key_figures.focus_areas", "valid dictionary"),
    ])
    def test_invalid_fields_name_the_field(self, tmp_path, change, column, problem):
        doc = document("crime_trends")
        change(doc)
        p = tmp_path / "crime_trends.json"
        p.write_text(json.dumps(doc), encoding="utf-8")
        err = raises_input_error(sm.read_source, p, "crime_trends", "2080")
        assert err.column == column and problem in err.problem and err.file == str(p)

    @pytest.mark.parametrize("report_name", list(sm.SOURCE_REPORTS))
    def test_each_report_needs_its_main_flag(self, tmp_path, report_name):
        flag = {"crime_trends": "bra_available", "place_assessment": "place_data", "wastewater": "own_measurements",
                "project_evaluation": "projects"}[report_name]
        doc = document(report_name)
        del doc["key_figures"][flag]
        p = tmp_path / f"{report_name}.json"
        p.write_text(json.dumps(doc), encoding="utf-8")
        assert raises_input_error(sm.read_source, p, report_name, "2080").column == f"key_figures.{flag}"


class TestLoadSources:
    def test_found_missing_and_example(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends", "wastewater"),
                      wastewater=wastewater_figures(example_data=True))
        s = sm.load_sources(tmp_path, "2080")
        assert list(s.found) == ["crime_trends", "wastewater"]
        assert s.missing == ["place_assessment", "project_evaluation"]
        assert s.example_reports == ["wastewater"]
        assert s.figures("place_assessment") is None and s.figures("crime_trends")["bra_available"] is True
        with pytest.raises(ValueError):
            s.figures("nope")

    def test_other_kommun_folder_is_not_read(self, tmp_path):
        write_reports(tmp_path, kommun="2081")
        assert sm.load_sources(tmp_path, "2080").found == {}

    def test_a_broken_file_stops_the_report(self, tmp_path):
        write_reports(tmp_path)
        (tmp_path / "2080" / "wastewater.json").write_text("{broken", encoding="utf-8")
        err = raises_input_error(sm.load_sources, tmp_path, "2080")
        assert err.file.endswith("wastewater.json")


class TestSourceTexts:
    def test_built_text_in_swedish_time(self):
        # Sweden is UTC+1 in winter and UTC+2 in summer (the switch is on the last Sunday of March)
        assert sm.built_text("2026-01-10T08:00:00+00:00") == "10 januari 2026 kl. 09.00"
        assert sm.built_text("2026-07-01T23:30:00+00:00") == "2 juli 2026 kl. 01.30"
        assert sm.built_text(dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC)) == "29 mars 2026 kl. 01.59"
        assert sm.built_text(dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)) == "29 mars 2026 kl. 03.00"

    def test_missing_text(self):
        text = sm.missing_text("place_assessment", "0114")
        assert text.startswith("Rapporten Platsbedömning finns inte")
        assert "python run_all.py --kommun 0114 --report place_assessment" in text
        assert "python run_all.py --kommun 0114 bygger alla" in text

    def test_sources_table(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends", "place_assessment"),
                      place_assessment=place_figures(example_data=True))
        t = sm.sources_table(sm.load_sources(tmp_path, "2080"), version="0.2.0")
        assert t["Rapport"].tolist() == list(sm.SOURCE_REPORTS.values())
        assert t["Byggd"].tolist() == ["10 januari 2026 kl. 09.00"] * 2 + ["saknas"] * 2
        assert t["Exempeldata"].tolist() == ["nej", "ja", "–", "–"]
        assert t.loc[0, "Anmärkning"] == "Byggd med lagesbild 0.1.0, den här rapporten med 0.2.0."
        assert t.loc[3, "Anmärkning"] == "Bygg den med python run_all.py --kommun 2080 --report project_evaluation"
        assert sm.sources_table(sm.load_sources(tmp_path, "2080"), version="0.1.0").loc[0, "Anmärkning"] == "–"

    def test_source_line(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends",))
        s = sm.load_sources(tmp_path, "2080")
        assert sm.source_line(s, "crime_trends", "Brå") == ("Rapporten Brottsutvecklingen (crime_trends.html, byggd "
                                                            "10 januari 2026 kl. 09.00); Brå")
        assert sm.source_line(s, "wastewater") == "Rapporten Narkotika i avloppsvatten (wastewater.html)"

    def test_example_text(self, tmp_path):
        write_reports(tmp_path, place_assessment=place_figures(example_data=True),
                      project_evaluation=project_figures(example_data=True))
        s = sm.load_sources(tmp_path, "2080")
        text = sm.example_text(s)
        assert "påhittade exempeldata" in text and "Platsbedömning, Utvärdering av trygghetsarbetet." in text
        assert "Polisens trygghetsmätning" in sm.example_text(s, trygghet_example=True)
        empty = write_reports(tmp_path / "b")
        assert sm.example_text(sm.load_sources(empty, "2080")) is None


# ============================================================================================
# 1. Kartläggning
# ============================================================================================


class TestCrime:
    def test_table(self):
        inc = indicator("Rån", change_detectable=True, ratio=2.0, trend_detectable=True, trend_pct=-3.25)
        few = indicator("Mord", change_detectable=False, ratio=None)
        few["change"]["too_few"] = True
        t = sm.crime_table(crime_figures(indicators=[indicator(), inc, few]))
        assert list(t.columns) == ["Kategori", "År", "Antal", "Per 100 000 invånare", "Länet", "Riket",
                                   "Förändring från året före", "Trend"]
        assert t.loc[0, ["Kategori", "År", "Antal", "Per 100 000 invånare", "Länet", "Riket"]].tolist() == [
            "Bilbrott", "2024", 150, 250.0, 226.0, 383.0]
        assert t.loc[0, "Förändring från året före"] == "−26\u00a0% (tydlig minskning)"  # 0,74 − 1
        assert t.loc[1, "Förändring från året före"] == "+100\u00a0% (tydlig ökning)"
        assert t.loc[1, "Trend"] == "−3,3\u00a0% per år (tydligt nedåt)"  # −3,25 rounded half away from zero
        assert t.loc[0, "Trend"] == "+5,8\u00a0% per år (ingen tydlig trend)"
        assert t.loc[2, "Förändring från året före"] == "för få fall för att bedöma"

    def test_points(self):
        total = indicator(sm.TOTAL_CRIME, count=4697, rate=7833.0, rate_lan=8750.0, rate_riket=14090.0, ratio=1.05,
                          change_detectable=False)
        up = indicator("Rån", trend_detectable=True, trend_pct=4.0)
        down = indicator("Bilbrott", trend_detectable=True, trend_pct=-4.0)
        pts = sm.crime_points(crime_figures(indicators=[total, up, down], detectable_increases=["Rån", "Klotter"]),
                              "Falun", "Dalarnas län")
        text = [p.replace("\u00a0", " ") for p in pts]
        assert text[0] == ("År 2024 anmäldes 4 697 brott i Falun, 7 833 per 100 000 invånare (Dalarnas län: 8 750, "
                           "riket: 14 090). Avsnitt 3 prövar om skillnaderna är tydliga.")
        assert text[1] == "Jämfört med 2023 är det ingen tydlig förändring (+5 %)."
        assert "Tydlig ökning från året före: Rån och Klotter." in text
        assert "Tydlig minskning från året före: Bilbrott." in text
        assert "Tydligt uppåtgående trend över flera år: Rån." in text
        assert "Tydligt nedåtgående trend över flera år: Bilbrott." in text
        assert text[-1].startswith("Kommunen har inte angett några fokusområden")

    def test_points_without_bra(self):
        pts = sm.crime_points(crime_figures(bra_available=False, indicators=[]), "Helsingborg", "Skåne län")
        assert len(pts) == 1 and pts[0].startswith("Brås statistik över anmälda brott finns inte för Helsingborg")

    def test_focus_text(self):
        assert sm.focus_text({"focus_areas": {}}).startswith("Kommunen har inte angett")
        assert sm.focus_text({"focus_areas": {"Rån": ["Rån mot privatperson, unga"]}}) == (
            "Kommunens fokusområden: Rån (1 kategori i Brås statistik).")


class TestPlacesAndNarcotics:
    def test_place_points(self):
        pts = sm.place_points(place_figures(), "Ort")
        assert pts[0] == ("8 platser i registret, 6 bedömda vid besiktning eller trygghetsvandring; händelser "
                          "januari 2024–december 2025.")
        assert pts[1] == "Platser vid statistiskt säkerställda hot spots (Getis-Ord Gi*): Torget och Parken."
        assert pts[2] == "Högst prioriterade platser: Torget, Parken och Stråket."  # the first three
        assert "0,50" in pts[3]

    def test_place_points_without_hot_spots_or_period(self):
        pts = sm.place_points(place_figures(hot_spot_places=[], period=None, priority=[], gini=None), "Ort")
        assert pts == ["8 platser i registret, 6 bedömda vid besiktning eller trygghetsvandring.",
                       "Ingen plats ligger vid en statistiskt säkerställd hot spot."]
        assert "ingen platsdata" in sm.place_points(place_figures(place_data=False), "Ort")[0]

    def test_wastewater_table(self):
        t = sm.wastewater_table(wastewater_figures())
        assert t.values.tolist() == [["Amfetamin", "2025", 256.4, 91.2], ["Kokain", "2025", 100.3, 29.7]]

    def test_narcotics_points(self):
        crime = crime_figures(indicators=[indicator("Narkotikabrott", rate=569.0, rate_lan=864.0, rate_riket=1233.0)])
        pts = [p.replace("\u00a0", " ") for p in sm.narcotics_points(wastewater_figures(example_data=True), crime,
                                                                      "Falun", "Dalarnas län")]
        assert pts[0].startswith("Anmälda narkotikabrott (kommunindikatorn) 2024: 569 per 100 000 invånare (Dalarnas "
                                 "län: 864, riket: 1 233).")
        assert pts[1].startswith("Antalet anmälda narkotikabrott speglar till stor del polisens kontroller")
        assert pts[2] == "Falun mäter narkotika i avloppsvattnet (i underlaget: påhittade exempeldata)."
        assert pts[3] == ("Amfetamin 2025: 256,4 mg per dag och 1 000 invånare, percentil 91 bland de europeiska "
                          "mätplatserna (91 % av dem har samma eller lägre belastning).")

    def test_narcotics_points_with_both_category_sets(self):
        # Dalarna has SOL's narcotics *and weapons* offences for all kommuner and the narrower kommunindikator
        sol = indicator("Narkotikabrott + vapenlagsbrott", year=2025, rate=771.0, rate_lan=873.0, rate_riket=1167.0,
                        set="sol", basis_lan="summa", basis_riket="summa", preliminary=True)
        ki = indicator("Narkotikabrott", rate=569.0, rate_lan=864.0, rate_riket=1233.0)
        pts = [p.replace("\u00a0", " ") for p in sm.narcotics_points(None, crime_figures(indicators=[sol, ki]), "Falun",
                                                                       "Dalarnas län")]
        assert pts[0] == ("Anmälda narkotika- och vapenlagsbrott 2025 (prel.): 771 per 100 000 invånare (Dalarnas läns "
                          "kommuner: 873, alla kommuner: 1 167).")
        assert pts[1].startswith("Anmälda narkotikabrott (kommunindikatorn) 2024: 569")
        assert len(pts) == 3

    def test_narcotics_points_without_measurements_or_reports(self):
        pts = sm.narcotics_points(wastewater_figures(own_measurements=False, latest=[]), None, "Falun", "Dalarnas län")
        assert pts == ["Falun har inga mätningar av narkotika i avloppsvatten i underlaget. Rapporten Narkotika i "
                       "avloppsvatten visar de närmaste mätplatserna och läget i landet."]
        assert sm.narcotics_points(None, None, "Falun", "Dalarnas län") == []


# ============================================================================================
# 2. Annan information
# ============================================================================================


def ntu_latest() -> pd.DataFrame:
    return pd.DataFrame([
        {"theme": "utsatthet", "theme_label": "Utsatthet för brott", "indicator": "x", "label": "Misshandel",
         "year": 2024, "survey_year": 2025, "share": 2.4, "ci_low": 1.5, "ci_high": 3.6, "respondents": 465.0,
         "share_lan": 2.07, "ci_low_lan": 1.5, "ci_high_lan": 2.8, "respondents_lan": 1969.0, "share_riket": NAN,
         "ci_low_riket": NAN, "ci_high_riket": NAN, "respondents_riket": NAN},
        {"theme": "otrygghet", "theme_label": "Otrygghet", "indicator": "y", "label": "Otrygg ute sent", "year": 2025,
         "survey_year": 2025, "share": 30.0, "ci_low": 26.0, "ci_high": 34.0, "respondents": NAN, "share_lan": 21.2,
         "ci_low_lan": 19.3, "ci_high_lan": 23.2, "respondents_lan": 1969.0, "share_riket": 25.0,
         "ci_low_riket": 24.6, "ci_high_riket": 25.4, "respondents_riket": 64751.0},
    ])


class TestSurveys:
    def test_ntu_table(self):
        t = sm.ntu_table(ntu_latest())
        assert t.iloc[:, :6].values.tolist() == [
            ["Misshandel", "Utsatthet för brott", "2024", "2,4\u00a0% (1,5–3,6)", "2,1\u00a0% (1,5–2,8)", "–"],
            ["Otrygg ute sent", "Otrygghet", "2025", "30,0\u00a0% (26,0–34,0)", "21,2\u00a0% (19,3–23,2)",
             "25,0\u00a0% (24,6–25,4)"]]
        assert t.loc[0, "Svarande i kommunen"] == 465 and pd.isna(t.loc[1, "Svarande i kommunen"])

    def test_ntu_note_says_victimisation_is_the_year_before(self):
        text = sm.ntu_note(ntu_latest())
        assert text.startswith("Frågorna om utsatthet för brott gäller året före undersökningen: NTU 2025 frågar om "
                               "2024.")
        assert "95 % konfidensintervall" in text
        no_victim = sm.ntu_note(ntu_latest().iloc[[1]])
        assert no_victim.startswith("Frågorna om utsatthet för brott gäller året före undersökningen. Kolumnen")

    def test_trygghet_levels(self):
        r = pd.DataFrame({"omrade": ["A", "A", "B", "B", "A"], "year": [2024, 2024, 2024, 2024, 2023],
                          "question": ["Klotter", "Nedskräpning", "Fart", "Totalindex", "Klotter"],
                          "is_total": [False, False, False, True, False], "index": [2.1, 3.1, 3.5, 2.0, 4.0],
                          "level": ["vissa problem", "stora problem", "vissa problem", "", "stora problem"]})
        t = sm.trygghet_levels(r)
        assert t.values.tolist() == [["A", "Nedskräpning", 3.1, "stora problem"], ["B", "Fart", 3.5, "vissa problem"],
                                     ["A", "Klotter", 2.1, "vissa problem"]]
        assert sm.trygghet_levels(r, 2023).values.tolist() == [["A", "Klotter", 4.0, "stora problem"]]
        assert sm.trygghet_levels(r.iloc[0:0]).empty

    def test_trygghet_levels_on_the_example(self):
        data = trygghet.load_trygghet_folder(trygghet.EXAMPLE_TRYGGHET, "2080")
        stated = data.results[(data.results["year"] == data.results["year"].max()) & (data.results["level"] != "")]
        assert len(sm.trygghet_levels(data.results)) == len(stated)

    def test_template_text(self):
        text = sm.trygghet_template_text()
        assert trygghet.INDEX_RULE in text and "trygghet_data" in text

    def test_citizen_reports(self):
        assert "inga medborgarrapporter för Falun" in sm.citizen_reports_text(place_figures(place_data=False), "Falun")
        text = sm.citizen_reports_text(place_figures(example_data=True), "Ort")
        assert "analyseras i platsbedömningen" in text and text.endswith("påhittade exempeldata.")
        counted = sm.citizen_reports_text(place_figures(citizen_reports=1200), "Ort").replace("\u00a0", " ")
        assert "(medborgarrapporter, 1 200 i underlaget)" in counted

    def test_police_events(self):
        text = sm.police_events_text(crime_figures(), "Falun")
        assert text.startswith("Polisen publicerade 129 händelser placerade i Falun på polisen.se under tolv månader "
                               "till och med december 2025.")
        assert "inte brottsstatistik" in text
        none = sm.police_events_text(crime_figures(events_last_12_months=None, events_period_end=None), "Falun")
        assert "anger inte kommun" in none


# ============================================================================================
# 3. Analys: key indicators
# ============================================================================================


class TestKeyIndicators:
    def test_light_text(self):
        assert sm.light_text(light(indicators.HIGHER)) == "▲ Högre (sämre)"
        assert sm.light_text(light(indicators.LOWER)) == "▼ Lägre (bättre)"
        assert sm.light_text(light(indicators.HIGHER, higher_is_worse=False)) == "▲ Högre (bättre)"
        assert sm.light_text(light(indicators.UNCLEAR)) == "○ Ingen tydlig skillnad"
        assert sm.light_text(light(indicators.MISSING)) == "– Uppgift saknas"

    def test_display_with_and_without_population(self):
        # the same Falun 2024 car crimes: with the population and with it derived from count / rate; both give a
        # table, and 250 against 383 with a between-kommun variance of 0,005 is clearly lower either way
        for rec in (indicator(population=59964.2), indicator()):
            t = indicators.indicator_table([rec], ntu_latest())
            d = sm.key_indicator_display(t)
            assert d["Nyckeltal"].tolist() == ["Bilbrott", "Misshandel", "Otrygg ute sent"]
            assert d.loc[0, ["År", "Kommunen", "Länet", "Riket"]].tolist() == ["2024", "250", "226", "383"]
            assert d.loc[0, "Underlag"] == "Anmälda brott per 100 000 invånare (Brå, kommunindikatorer)"
            assert d.loc[1, ["Kommunen", "Länet", "Riket"]].tolist() == ["2,4\u00a0%", "2,1\u00a0%", "–"]
            assert d.loc[1, "Jämfört med riket"] == "– Uppgift saknas"
            assert d.loc[0, "Jämfört med riket"] == "▼ Lägre (bättre)"
            # 30 % [26–34] against riket 25,0 % [24,6–25,4]: z = 5 / sqrt(2,04² + 0,20²) ≈ 2,44, p ≈ 0,015
            assert d.loc[2, "Jämfört med riket"] == "▲ Högre (sämre)"
            assert d.loc[2, "Underlag"] == "NTU, andel i procent (Otrygghet)"

    def test_preliminary_year_is_marked(self):
        t = indicators.indicator_table([indicator(year=2025, preliminary=True, set="sol")])
        d = sm.key_indicator_display(t)
        assert d.loc[0, "År"] == "2025 (prel.)" and d.loc[0, "Underlag"].endswith("(Brå, statistikdatabasen)")

    def test_method_text_names_the_tests_used(self):
        text = sm.method_text(indicators.indicator_table([indicator(population=59964.2)]), 0.05)
        assert "trattdiagrammets regel (Spiegelhalter 2005)" in text and "p < 0,05" in text
        assert "summan av alla kommuner" in text and "större än kommuner brukar skilja sig" in text
        assert "p < 0,01" in sm.method_text(indicators.indicator_table([indicator()]), 0.01)
        assert "Metoder" not in sm.method_text(indicators.indicator_table(None), 0.05)

    def test_counts(self):
        t = key_table([
            {"indicator": "A", "lan": light(indicators.HIGHER), "riket": light(indicators.LOWER, "riket")},
            {"indicator": "B", "lan": light(indicators.LOWER), "riket": light(indicators.UNCLEAR, "riket")},
            {"indicator": "C", "lan": light(indicators.MISSING), "riket": light(indicators.MISSING, "riket")},
            {"indicator": "D"},
        ])
        assert sm.key_indicator_counts(t) == {"indicators": 4, "worse": 1, "better": 1, "missing": 1}
        assert sm.key_indicator_counts(indicators.indicator_table(None)) == {"indicators": 0, "worse": 0, "better": 0,
                                                                            "missing": 0}


# ============================================================================================
# 3. Analys: the standing-out rule
# ============================================================================================


class TestStandoutRule:
    def test_more_signals_rank_first(self):
        # A: only a level worse than the län (strongest kind, tiny p); B: an increase and a trend (two signals)
        table = key_table([{"indicator": "A", "lan": light(indicators.HIGHER, p=1e-9)}])
        crime = crime_figures(indicators=[
            indicator("A", change_detectable=False, ratio=1.1),
            indicator("B", ratio=1.5, change_p=0.04, trend_detectable=True, trend_pct=3.0, trend_p=0.03)])
        p = sm.standout_problems(table, crime)
        assert p["topic"].tolist() == ["B", "A"]
        assert p.loc[0, "signals"] == ("ökning", "trend") and p.loc[0, "n_signals"] == 2 and p.loc[0, "tier"] == 2
        assert p.loc[1, "signals"] == ("nivå",) and p.loc[1, "tier"] == 1

    def test_stronger_kind_first_then_smaller_p(self):
        table = key_table([{"indicator": "Nivå svag", "lan": light(indicators.HIGHER, p=0.04)},
                           {"indicator": "Nivå stark", "riket": light(indicators.HIGHER, "riket", p=0.001)}])
        crime = crime_figures(indicators=[indicator("Ökning", ratio=1.3, change_p=1e-6)])
        p = sm.standout_problems(table, crime)
        assert p["topic"].tolist() == ["Nivå stark", "Nivå svag", "Ökning"]
        assert p["rank"].tolist() == [1, 2, 3]
        assert p.loc[0, "strength"] == 0.001

    def test_decreases_and_better_levels_are_never_problems(self):
        table = key_table([{"indicator": "Bättre", "lan": light(indicators.LOWER, p=1e-9)},
                           {"indicator": "Högre men bra", "lan": light(indicators.HIGHER, higher_is_worse=False)},
                           {"indicator": "Oklar"}])
        crime = crime_figures(indicators=[indicator("Minskar", ratio=0.5, trend_detectable=True, trend_pct=-8.0),
                                          indicator("Ökar oklart", ratio=1.8, change_detectable=False)])
        p = sm.standout_problems(table, crime)
        assert p.empty and list(p.columns) == list(sm.PROBLEM_COLUMNS) and p.attrs["candidates"] == 0

    def test_too_few_is_not_an_increase(self):
        rec = indicator("Få", ratio=3.0)
        rec["change"]["too_few"] = True
        assert sm.standout_problems(None, crime_figures(indicators=[rec])).empty

    def test_limit_and_candidates(self):
        crime = crime_figures(indicators=[indicator(f"K{i}", ratio=1.5, change_p=0.001 * (i + 1)) for i in range(7)])
        p = sm.standout_problems(None, crime)
        assert len(p) == sm.MAX_PROBLEMS == 5 and p.attrs["candidates"] == 7
        assert p["topic"].tolist() == ["K0", "K1", "K2", "K3", "K4"]  # smallest p first
        assert len(sm.standout_problems(None, crime, limit=3)) == 3
        with pytest.raises(ValueError, match="limit"):
            sm.standout_problems(None, crime, limit=0)

    def test_level_evidence_text(self):
        table = key_table([{"indicator": "Stöld", "value": 2563.0, "value_lan": 2385.0, "value_riket": 3252.0,
                            "lan": light(indicators.HIGHER, p=0.0049)}])
        p = sm.standout_problems(table)
        assert p.loc[0, "evidence"].replace("\u00a0", " ") == (
            "Tydligt högre än i länet (2024: 2 563 per 100 000 invånare mot länet 2 385; p = 0,005)")
        assert p.loc[0, "kind"] == "brott" and p.loc[0, "reports"] == ("crime_trends",)
        assert p.loc[0, "details"]["worse_than"] == ["länet"]

    def test_ntu_level(self):
        table = key_table([{"indicator": "Otrygg ute sent", "source": "NTU", "value": 30.0, "value_lan": 21.2,
                            "value_riket": 25.0, "lan": light(indicators.HIGHER, p=0.001),
                            "riket": light(indicators.HIGHER, "riket", p=0.02)}])
        p = sm.standout_problems(table)
        assert p.loc[0, "kind"] == "ntu" and p.loc[0, "reports"] == ("",)
        assert p.loc[0, "evidence"].startswith("Tydligt högre än i länet och riket (2024: 30,0\u00a0% mot länet "
                                               "21,2\u00a0%, riket 25,0\u00a0%; p = 0,001)")

    def test_focus_areas(self):
        crime = crime_figures(indicators=[indicator("Våld i offentlig miljö mot vuxna", ratio=1.4, change_p=0.01),
                                          indicator("Våld i offentlig miljö mot barn", ratio=0.9,
                                                    change_detectable=False)],
                              focus_areas={"Våld i offentlig miljö": ["Våld i offentlig miljö mot vuxna",
                                                                      "Våld i offentlig miljö mot barn"],
                                           "Klotter": []})
        p = sm.standout_problems(None, crime)
        # the matched category with an increase has two signals; the other matched one and the unmatched focus one
        assert p["topic"].tolist() == ["Våld i offentlig miljö mot vuxna", "Klotter", "Våld i offentlig miljö mot barn"]
        assert p.loc[0, "signals"] == ("ökning", "fokus")
        assert p.loc[1, "evidence"] == "Kommunens fokusområde; ingen motsvarande kategori i Brås statistik i underlaget"
        assert p.loc[2, "evidence"] == "Kommunens fokusområde (Våld i offentlig miljö)"
        assert p.loc[2, "details"]["rate"] == 250.0

    def test_places_wastewater_and_example_flags(self):
        ww = wastewater_figures(example_data=True, latest=[
            {"substance": "Amfetamin", "year": 2025, "daily_mean": 256.4, "percentile_europe": 91.2},
            {"substance": "Kokain", "year": 2025, "daily_mean": 100.0, "percentile_europe": 75.0},
            {"substance": "MDMA", "year": 2025, "daily_mean": 10.0, "percentile_europe": 74.9},
            {"substance": "Ketamin", "year": 2025, "daily_mean": 1.0, "percentile_europe": None}])
        p = sm.standout_problems(None, None, place_figures(hot_spot_places=["A", "B", "C"]), ww)
        assert p["topic"].tolist() == ["Platser med koncentrerade händelser", "Narkotika i avloppsvattnet: amfetamin",
                                       "Narkotika i avloppsvattnet: kokain"]  # 75 counts, 74,9 does not
        assert p.loc[0, "evidence"] == ("3 platser ligger vid statistiskt säkerställda hot spots (Getis-Ord Gi*): A, B "
                                        "och C")
        assert not p.loc[0, "example"] and p.loc[1, "example"] and p.loc[1, "evidence"].endswith("(exempeldata)")
        assert p.loc[1, "reports"] == ("wastewater",) and p.loc[1, "strength"] == -91.2

    def test_trygghet_areas(self):
        areas = pd.DataFrame({
            "omrade": ["Centrum", "Centrum", "Norr", "Söder"], "year": [2023, 2024, 2024, 2024],
            "index": [2.4, 2.75, 1.4, 1.2], "previous_index": [NAN, 2.42, 1.41, 1.1], "previous_year": [NAN, 2023, 2023, 2023],
            "change_status": [trygghet.NO_PREVIOUS, trygghet.INCREASE, trygghet.NO_CLEAR_CHANGE, trygghet.NO_CLEAR_CHANGE],
            "change_p": [NAN, 0.0001, 0.8, 0.3], "n_large_problems": [3, 1, 2, 0], "top_question": ["Fart"] * 4})
        p = sm.standout_problems(None, areas=areas, areas_example=True)
        assert p["topic"].tolist() == ["Centrum (polisens trygghetsmätning)", "Norr (polisens trygghetsmätning)"]
        assert p.loc[0, "evidence"] == ("Problemindex ökade tydligt från 2,42 (2023) till 2,75 (2024); polisens rapport "
                                        "anger stora problem för 1 fråga (exempeldata)")
        assert p.loc[1, "evidence"] == "Polisens rapport anger stora problem för 2 frågor (exempeldata)"
        assert p["example"].all() and p.loc[0, "details"]["area"] == "Centrum"

    def test_display_and_intro(self):
        crime = crime_figures(indicators=[indicator("Rån", ratio=2.0, change_p=0.01)])
        p = sm.standout_problems(None, crime)
        d = sm.problems_display(p)
        assert d.values.tolist() == [[1, "Rån", "Tydlig ökning från 2023 till 2024 (200 → 150 anmälda brott, +100\u00a0%)",
                                      "Brottsutvecklingen (crime_trends.html)"]]
        assert sm.problems_intro(p).endswith("Underlaget pekar bara ut 1 sådant problem.")
        assert sm.problems_intro(sm.standout_problems(None)).endswith("Underlaget pekar inte ut något sådant problem.")
        many = sm.standout_problems(None, crime_figures(indicators=[indicator(f"K{i}", ratio=1.5) for i in range(6)]))
        assert sm.problems_intro(many).endswith("Tabellen visar de 5 som sticker ut mest av 6.")
        three = sm.standout_problems(None, crime_figures(indicators=[indicator(f"K{i}", ratio=1.5) for i in range(3)]))
        assert sm.problems_intro(three).endswith("räknas aldrig som ett problem.")
        ntu_row = sm.standout_problems(key_table([{"indicator": "X", "source": "NTU", "lan": light(indicators.HIGHER)}]))
        assert sm.problems_display(ntu_row).loc[0, "Källa"] == "den här rapporten, avsnitt 2"


# ============================================================================================
# 3. Analys: the draft plan
# ============================================================================================


class TestDraftPlan:
    def test_activity_for(self):
        assert sm.activity_for("Bostadsinbrott") == "Förslag att pröva: Grannsamverkan; Skalskydd och lås."
        assert sm.activity_for("Oro för bostadsinbrott") == "Förslag att pröva: Grannsamverkan; Skalskydd och lås."
        assert sm.activity_for("Oro för misshandel") == ("Förslag att pröva: Information om vad som görs; "
                                                         "Trygghetsvärdar och vuxenvandringar.")
        assert sm.activity_for("Trafikbrott, totalt") == "Förslag att pröva: Trafiksäkerhetsåtgärder."
        assert sm.activity_for("Våld i inomhusmiljö mot barn och unga, pojkar") == sm.NON_PLACE_ACTIVITY
        assert sm.activity_for("Något nytt") == sm.ANALYSIS_ACTIVITY

    def test_every_catalogue_key_exists(self):
        from lagesbild.places.factors import MEASURES

        keys = {m.key for m in MEASURES}
        assert all(set(measures) <= keys for _, measures in sm.ACTIVITY_MEASURES)

    def test_goal_year(self):
        assert sm.goal_year({"bra_latest_year": 2024}) == 2027
        assert sm.goal_year({"bra_latest_year": None}, dt.date(2026, 11, 22)) == 2028
        assert sm.goal_year(None, dt.date(2030, 1, 1)) == 2032

    def test_rows_per_kind(self):
        table = key_table([{"indicator": "Stöld och tillgreppsbrott, totalt", "lan": light(indicators.HIGHER)},
                           {"indicator": "Otrygg ute sent", "source": "NTU", "value": 30.0,
                            "riket": light(indicators.HIGHER, "riket", p=0.2)}])
        crime = crime_figures(indicators=[indicator("Skadegörelsebrott", ratio=1.3, prev_rate=952.0),
                                          indicator("Rån", change_detectable=False, ratio=1.0, trend_detectable=True,
                                                    trend_pct=5.0, rate=20.0)],
                              focus_areas={"Narkotika": []})
        areas = pd.DataFrame({"omrade": ["Centrum"], "year": [2024], "index": [2.75], "previous_index": [2.42],
                              "previous_year": [2023], "change_status": [trygghet.INCREASE], "change_p": [0.001],
                              "n_large_problems": [0], "top_question": ["Fart"]})
        p = sm.standout_problems(table, crime, place_figures(hot_spot_places=["Torget"]), wastewater_figures(), areas,
                                 limit=10)
        plan = sm.draft_focus_plan(p, 2027).set_index(p["topic"])
        assert list(plan.columns) == list(sm.FOCUS_COLUMNS) and (plan["ansvar"] == "").all()
        stold = plan.loc["Stöld och tillgreppsbrott, totalt"]
        assert stold["problem"] == "Stöld och tillgreppsbrott, totalt (tydligt högre än i länet)"
        assert stold["mal"] == "Inte tydligt högre än i länet år 2027"
        assert stold["uppfoljning"].startswith("Brå: anmälda brott, stöld och tillgreppsbrott, totalt, per 100 000 "
                                               "invånare, varje år (Brottsutvecklingen)")
        assert stold["uppfoljning"].endswith(sm.FOLLOW_UP_TAIL)
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
        plan = pd.DataFrame([["P", "A", "U", "M", ""], ["P2", "A2", "U2", "M2", "kommun"]], columns=list(sm.FOCUS_COLUMNS))
        assert list(sm.focus_plan_display(plan).columns) == ["Problem", "Aktivitet", "Uppföljning", "Mål", "Ansvar"]
        assert list(sm.focus_plan_display(plan.iloc[[0]]).columns) == ["Problem", "Aktivitet", "Uppföljning", "Mål"]
        assert sm.draft_focus_plan(sm.standout_problems(None), 2027).empty


# ============================================================================================
# 3. Analys: the focus plan file
# ============================================================================================


HEADER = "kommun;problem;aktivitet;uppfoljning;mal;ansvar"


def plan_csv(tmp_path, *lines: str, header: str = HEADER, name: str = "atgardsplan.csv"):
    p = tmp_path / name
    p.write_text(header + "\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return p


class TestFocusPlanLoader:
    def test_values_and_kommun_filter(self, tmp_path):
        p = plan_csv(tmp_path, "2080;Klotter  i centrum;Snabb sanering;Anmälda brott;Lägre år 2027;kommun",
                     "2081;Annat;X;Y;Z;", ";Rån;Belysning;Brå;Inte högre än länet 2027;")
        df = sm.load_focus_plan(p, "2080")
        assert df.index.tolist() == [2, 4] and list(df.columns) == list(sm.FOCUS_COLUMNS)
        assert df.loc[2].tolist() == ["Klotter i centrum", "Snabb sanering", "Anmälda brott", "Lägre år 2027", "kommun"]
        assert df.loc[4, "ansvar"] == "" and df.attrs["file"] == str(p)

    def test_swedish_headings_without_kommun_or_ansvar(self, tmp_path):
        p = plan_csv(tmp_path, "A;B;C;D", header="PROBLEM;Aktivitet;Uppföljning;Mål")
        assert sm.load_focus_plan(p, "0114").loc[2].tolist() == ["A", "B", "C", "D", ""]

    def test_the_drafts_download_loads_back(self, tmp_path):
        crime = crime_figures(indicators=[indicator("Skadegörelsebrott", ratio=1.3), indicator("Rån", ratio=1.5)])
        draft = sm.draft_focus_plan(sm.standout_problems(None, crime), 2027)
        shown = sm.focus_plan_display(draft)
        data = report.table_csv(list(shown.columns), shown.values.tolist())  # what the page's CSV link holds
        p = tmp_path / "utkast.csv"
        p.write_bytes(data)
        loaded = sm.load_focus_plan(p, "2080")
        assert loaded.reset_index(drop=True).equals(draft)
        x = tmp_path / "utkast.xlsx"
        x.write_bytes(report.table_xlsx(list(shown.columns), shown.values.tolist(), caption="Utkast"))
        assert sm.load_focus_plan(x, "2080").reset_index(drop=True).equals(draft)

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
        err = raises_input_error(sm.load_focus_plan, p, "2080")
        assert err.file == str(p) and err.row == row and err.column == column and problem in err.problem

    def test_empty_file_and_missing_file(self, tmp_path):
        p = tmp_path / "plan.csv"
        p.write_text(HEADER + "\n", encoding="utf-8")
        assert "no data rows" in raises_input_error(sm.load_focus_plan, p, "2080").problem
        err = raises_input_error(sm.focus_plan_path, str(tmp_path / "saknas.csv"))
        assert "does not exist" in err.problem and "focus_plan empty" in err.fix
        assert sm.focus_plan_path("") is None and sm.focus_plan_path(str(p)) == p

    def test_excel_sheet_by_name(self, tmp_path):
        wb = openpyxl.Workbook()
        wb.active.title = "Anteckningar"
        wb.active.append(["inte planen"])
        ws = wb.create_sheet("Atgardsplan")
        ws.append(["problem", "aktivitet", "uppfoljning", "mal"])
        ws.append(["A", "B", "C", "D"])
        p = tmp_path / "plan.xlsx"
        wb.save(p)
        assert sm.load_focus_plan(p, "2080").loc[2].tolist() == ["A", "B", "C", "D", ""]


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = sm.write_templates(tmp_path)
        assert [p.name for p in written] == ["atgardsplan.csv", "atgardsplan.xlsx", "README.md"]
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates/atgardsplan')"
            assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates(…)"

    def test_template_rows_load(self):
        raw = (TEMPLATES_DIR / "atgardsplan.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0] == HEADER
        df = sm.load_focus_plan(TEMPLATES_DIR / "atgardsplan.csv", "1287")
        assert df.index.tolist() == [2, 3, 4] and df["ansvar"].tolist() == ["båda", "kommun", "kommun"]
        assert df["problem"].tolist() == [r[1] for r in sm.TEMPLATE.rows]
        pd.testing.assert_frame_equal(sm.load_focus_plan(TEMPLATES_DIR / "atgardsplan.xlsx", "1287"), df,
                                      check_index_type=False)
        assert "no row for kommun 2080" in raises_input_error(sm.load_focus_plan, TEMPLATES_DIR / "atgardsplan.csv",
                                                              "2080").problem

    def test_workbook_and_readme(self):
        wb = openpyxl.load_workbook(io.BytesIO(sm.workbook_bytes()))
        assert wb.sheetnames == ["atgardsplan", "Instruktioner"]
        assert [c.value for c in wb["atgardsplan"][1]] == HEADER.split(";")
        text = sm.templates_markdown()
        for col in sm.TEMPLATE.columns:
            assert f"| {col.name} | {'ja' if col.required else 'nej'} |" in text
        assert sm.template_csv().startswith("\ufeff" + HEADER)


# ============================================================================================
# 4. Uppföljning
# ============================================================================================


class TestFollowUp:
    def test_commitments_table(self):
        t = sm.commitments_table(project_figures())
        assert t.values.tolist() == [["uppfyllt", 2], ["ej uppfyllt", 1]]
        assert sm.commitments_table(project_figures(commitments={})).empty

    def test_projects_table(self):
        p = project_figures(projects=[
            {"id": "1", "name": "A", "wdd_estimate": -12.0, "wdd_ci": [-20.5, -3.5], "detectable": True},
            {"id": "2", "name": "B", "wdd_estimate": 8.0, "wdd_ci": [1.0, 15.0], "detectable": True},
            {"id": "3", "name": "C", "wdd_estimate": 1.0, "wdd_ci": [-19.08, 21.08], "detectable": False},
            {"id": "4", "name": "D", "wdd_estimate": None, "wdd_ci": None, "detectable": None}])
        t = sm.projects_table(p)
        assert t["Tydlig effekt"].tolist() == ["ja, färre händelser än väntat", "ja, fler händelser än väntat",
                                               "nej, skillnaden kan bero på slumpen",
                                               "kan inte bedömas (för få händelser eller inget kontrollområde)"]
        assert t.iloc[2, 1:3].tolist() == ["+1,0", "−19,1 till +21,1"]

    def test_points(self):
        pts = sm.followup_points(project_figures(example_data=True), "Ort")
        assert pts == ["1 projekt är utvärderat före och efter; 1 har en effektskattning och 1 av dem en tydlig effekt "
                       "(Trygg park).", "Åtaganden: 2 uppfyllt, 1 ej uppfyllt (av 3).",
                       "Projekten och åtagandena i underlaget är påhittade exempeldata."]
        none = sm.followup_points(project_figures(projects=[], commitments={}), "Falun")
        assert none[0].startswith("Falun har inga projekt") and "inga åtaganden" in none[1]


# ============================================================================================
# The most important, gaps, key figures
# ============================================================================================


class TestSummaryParts:
    def test_gaps(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends", "place_assessment", "wastewater"),
                      crime_trends=crime_figures(bra_available=False, indicators=[]),
                      place_assessment=place_figures(example_data=True), wastewater=wastewater_figures(latest=[]))
        g = sm.gaps(sm.load_sources(tmp_path, "2080"), "Falun", ntu_reason="Ingen NTU.", trygghet_loaded=True,
                    trygghet_example=True)
        assert g == [
            "Rapporten Utvärdering av trygghetsarbetet saknas i körningen (python run_all.py --kommun 2080 --report "
            "project_evaluation).",
            "Brås statistik över anmälda brott för kommunen (lägg Brås export i data/local/crime/).",
            "Kommunens platsdata: platser, besiktningar, händelselogg och medborgarrapporter (mallar i data/templates/; "
            "rapporten bygger nu på påhittade exempeldata).",
            "Mätningar av narkotika i avloppsvatten (mall i data/templates/wastewater/).",
            "NTU per kommun: Ingen NTU.",
            "Polisens trygghetsmätning för Falun (mall i data/templates/trygghetsmatning/; avsnitt 2 visar nu påhittade "
            "exempeldata)."]
        full = write_reports(tmp_path / "full")
        assert sm.gaps(sm.load_sources(full, "2080"), "Falun", trygghet_loaded=True) == []

    def test_headline_points(self, tmp_path):
        write_reports(tmp_path)
        total = key_table([{"indicator": sm.TOTAL_CRIME, "value": 7833.0, "lan": light(indicators.LOWER),
                            "riket": light(indicators.LOWER, "riket")},
                           {"indicator": "Stöld", "lan": light(indicators.HIGHER)}])
        problems = sm.standout_problems(total)
        pts = [p.replace("\u00a0", " ") for p in sm.headline_points("Falun", total, problems,
                                                                     sm.load_sources(tmp_path, "2080"), ["x", "y"])]
        assert pts == ["Anmälda brott 2024: 7 833 per 100 000 invånare i Falun, tydligt lägre än i länet och riket.",
                       "Av 2 nyckeltal är 1 tydligt sämre och 1 tydligt bättre än i länet eller riket; övriga skiljer sig "
                       "inte tydligt eller saknar jämförelse (avsnitt 3).",
                       "Det som sticker ut mest: Stöld (avsnitt 3).",
                       "Uppföljning: 1 utvärderat projekt och 3 åtaganden, varav 2 uppfyllda (avsnitt 4).",
                       "Underlaget saknar 2 delar; de listas nedan och i respektive avsnitt."]
        mixed = key_table([{"indicator": sm.TOTAL_CRIME, "lan": light(indicators.HIGHER),
                            "riket": light(indicators.UNCLEAR, "riket")}])
        first = sm.headline_points("Falun", mixed, sm.standout_problems(None), sm.load_sources(tmp_path, "2080"), [])
        assert first[0].endswith("tydligt högre än i länet och ingen tydlig skillnad mot riket.")
        assert "Inget i underlaget sticker ut" in first[2]
        empty = write_reports(tmp_path / "nocrime", reports=("wastewater",))
        no_crime = sm.headline_points("Falun", indicators.indicator_table(None), sm.standout_problems(None),
                                      sm.load_sources(empty, "2080"), [])
        assert no_crime[0] == "Rapporten Brottsutvecklingen saknas i körningen, så brottsnivån kan inte visas."
        no_bra = write_reports(tmp_path / "nobra", reports=("crime_trends",),
                               crime_trends=crime_figures(bra_available=False, indicators=[]))
        assert sm.headline_points("Falun", indicators.indicator_table(None), sm.standout_problems(None),
                                  sm.load_sources(no_bra, "2080"), [])[0] == (
            "Brås statistik över anmälda brott saknas för Falun i underlaget.")

    def test_source_figures_are_the_sources(self, tmp_path):
        write_reports(tmp_path)
        s = sm.load_sources(tmp_path, "2080")
        f = sm.source_figures(s)
        assert f["places"] == {k: place_figures()[k] for k in f["places"]}
        assert f["wastewater"]["latest"] == wastewater_figures()["latest"]
        assert f["followup"]["commitments"] == project_figures()["commitments"]
        assert f["crime"]["indicators"][0]["rate"] == 250.0 and f["crime"]["events_last_12_months"] == 129

    def test_key_figures(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends", "wastewater"), wastewater=wastewater_figures(example_data=True))
        s = sm.load_sources(tmp_path, "2080")
        table = indicators.indicator_table(s.figures("crime_trends")["indicators"])
        problems = sm.standout_problems(table, s.figures("crime_trends"), None, s.figures("wastewater"))
        plan = sm.draft_focus_plan(problems, 2027)
        tm = trygghet.load_trygghet_folder(trygghet.EXAMPLE_TRYGGHET, "2080")
        k = sm.key_figures("Lägesbild för Falun", Cfg(), s, table, problems, plan, None, ntu_available=True,
                           trygghet_data=tm, missing=["a"])
        json.dumps(k)  # JSON-able
        assert k["example_data"] is True and k["missing_reports"] == ["place_assessment", "project_evaluation"]
        assert k["sources"]["wastewater"] == {"found": True, "generated": "2026-01-10T08:00:00+00:00",
                                              "example_data": True}
        assert k["places"] is None and k["wastewater"]["latest"] == wastewater_figures()["latest"]
        assert k["key_indicators"][0]["indicator"] == "Bilbrott" and k["key_indicators"][0]["riket"]["status"] == "lägre"
        assert k["problems"][0] == {"rank": 1, "kind": "avloppsvatten", "topic": "Narkotika i avloppsvattnet: amfetamin",
                                    "signals": ["avloppsvatten"], "reports": ["wastewater"], "example_data": True}
        assert k["focus_plan"] == {"source": "utkast", "file": None, "rows": len(plan)}
        assert k["trygghetsmatning"] == {"example_data": True, "latest_year": 2024, "areas": 5}
        assert k["gaps"] == ["a"]

    def test_caveats(self):
        table = indicators.indicator_table([indicator(f"K{i}") for i in range(20)])
        c = sm.caveats(table, 0.05, draft=False)
        assert any("Med 20 nyckeltal och två jämförelser vardera väntas ungefär 2 tydliga skillnader" in t for t in c)
        assert not any("utkast" in t for t in c) and any("utkast" in t for t in sm.caveats(table, 0.05, draft=True))
        assert any("ungefär 1 tydlig skillnad" in t for t in sm.caveats(table.head(10), 0.05, draft=True))
        assert not any("nyckeltal och två" in t for t in sm.caveats(indicators.indicator_table(None), 0.05, draft=True))

    def test_provenance_files(self, tmp_path):
        import hashlib

        write_reports(tmp_path, reports=("wastewater",), wastewater=wastewater_figures(example_data=True))
        plan = plan_csv(tmp_path, "2080;A;B;C;D;")
        files = sm.provenance_files(sm.load_sources(tmp_path, "2080"), [{"name": "raw/x.csv"}], plan)
        assert [f["name"] for f in files] == ["raw/x.csv", "atgardsplan.csv", "2080/wastewater.json"]
        src = tmp_path / "2080" / "wastewater.json"
        assert files[2]["sha256"] == hashlib.sha256(src.read_bytes()).hexdigest()
        assert files[2]["description"] == "Nyckeltal ur rapporten Narkotika i avloppsvatten (exempeldata)"
        assert files[2]["date"] == "10 januari 2026 kl. 09.00"


# ============================================================================================
# The report, end to end
# ============================================================================================


def page_text(path) -> str:
    import html

    page = path.read_text(encoding="utf-8")
    body = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00a0", " ")


def run_all(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", *args],
                          capture_output=True, text=True, timeout=900, cwd=PROJ_ROOT)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    """Every report for Falun (Brå and NTU bundled, example trygghetsmätning) and Upplands Väsby (little data)."""
    out = tmp_path_factory.mktemp("reports")
    proc = run_all("--kommun", "2080", "--kommun", "0114", "--out", str(out))
    return out, proc


SECTIONS = ("Det viktigaste", "1. Kartläggning", "2. Annan information", "3. Analys", "4. Uppföljning", "Förbehåll")


@pytest.mark.slow
class TestEndToEnd:
    def test_builds(self, full_run):
        out, proc = full_run
        assert proc.returncode == 0, proc.stdout + proc.stderr
        for kommun in ("2080", "0114"):
            assert (out / kommun / "lagesbild.html").exists() and (out / kommun / "lagesbild.json").exists()

    def test_summary_figures_equal_the_sources(self, full_run):
        out, _ = full_run
        summary = json.loads((out / "2080" / "lagesbild.json").read_text(encoding="utf-8"))["key_figures"]
        sources = {r: json.loads((out / "2080" / f"{r}.json").read_text(encoding="utf-8")) for r in sm.SOURCE_REPORTS}
        crime = sources["crime_trends"]["key_figures"]
        assert crime["bra_available"] and len(crime["indicators"]) > 5  # the comparison below is not empty
        for key in ("bra_available", "bra_latest_year", "detectable_increases", "detectable_decreases", "focus_areas",
                    "events_last_12_months", "events_period_end"):
            assert summary["crime"][key] == crime[key], key
        assert len(summary["crime"]["indicators"]) == len(crime["indicators"])
        for mine, theirs in zip(summary["crime"]["indicators"], crime["indicators"], strict=True):
            assert mine == {k: theirs[k] for k in mine}
        for name, part in (("place_assessment", "places"), ("wastewater", "wastewater"),
                           ("project_evaluation", "followup")):
            theirs = sources[name]["key_figures"]
            assert summary[part] == {k: theirs[k] for k in summary[part]}, part
        for name, src in sources.items():
            assert summary["sources"][name] == {"found": True, "generated": dt.datetime.fromisoformat(
                src["generated"]).isoformat(), "example_data": bool(src["key_figures"].get("example_data"))}
        # the key-indicator table shows the same crime rates and the län's and riket's as the crime report
        rates = {r["indicator"]: (r["value"], r["value_lan"], r["value_riket"]) for r in summary["key_indicators"]
                 if r["source"] == "Anmälda brott"}
        assert rates == {r["indicator"]: (r["rate"], r["rate_lan"], r["rate_riket"]) for r in crime["indicators"]}
        assert summary["ntu_available"] is True and summary["trygghetsmatning"]["example_data"] is True
        assert 1 <= len(summary["problems"]) <= sm.MAX_PROBLEMS and summary["missing_reports"] == []

    def test_page_has_the_four_sections_the_links_and_the_figures(self, full_run):
        out, _ = full_run
        page = (out / "2080" / "lagesbild.html").read_text(encoding="utf-8")
        text = page_text(out / "2080" / "lagesbild.html")
        headings = [re.sub(r"<[^>]+>|¶", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, flags=re.S)]
        assert [h for h in headings if h in SECTIONS] == list(SECTIONS)
        for name in sm.SOURCE_REPORTS:
            assert f'href="{name}.html"' in page, name
            assert (out / "2080" / f"{name}.html").exists()
        assert "Lägesbild för Falun" in text and "4 § lagen (2023:196)" in text
        crime = json.loads((out / "2080" / "crime_trends.json").read_text(encoding="utf-8"))["key_figures"]
        total = next(r for r in crime["indicators"] if r["indicator"] == sm.TOTAL_CRIME)
        rate = f"{int(total['rate']):,}".replace(",", " ")
        prel = " (preliminärt)" if total["preliminary"] else ""
        assert f"Anmälda brott {total['year']}{prel}: {rate} per 100 000 invånare i Falun" in text
        assert "EXEMPELDATA" in text and "Trygghetsmätningen är påhittade exempeldata" in text
        assert "NTU 2025 frågar om 2024" in text and "UTKAST" in text
        assert "Om underlaget" in text and "2080/crime_trends.json" in text

    def test_little_data_says_what_is_missing_and_stands(self, full_run):
        out, _ = full_run
        text = page_text(out / "0114" / "lagesbild.html")
        summary = json.loads((out / "0114" / "lagesbild.json").read_text(encoding="utf-8"))["key_figures"]
        # Brå's figures are bundled for every kommun; NTU, places, projects and surveys are not
        assert summary["crime"]["bra_available"] is True and summary["ntu_available"] is False
        for part in SECTIONS:
            assert part in text, part
        assert "Brås statistik över anmälda brott saknas" not in text and "Nyckeltal för Upplands Väsby" in text
        assert "Underlag som saknas" in text and "NTU per kommun" in text
        assert "Upplands Väsby har ingen platsdata i underlaget" in text
        assert "Upplands Väsby har inga projekt i underlaget" in text
        assert "EXEMPELDATA" not in text

    def test_a_missing_source_report_is_named_and_the_page_still_builds(self, tmp_path):
        proc = run_all("--kommun", "2080", "--report", "lagesbild", "--out", str(tmp_path))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        text = page_text(tmp_path / "2080" / "lagesbild.html")
        for title in sm.SOURCE_REPORTS.values():
            assert f"Rapporten {title} finns inte för kommunen i den här körningen" in text, title
        assert "python run_all.py --kommun 2080 --report crime_trends" in text
        # NTU and the survey do not depend on the other reports
        assert "Nationella trygghetsundersökningen" in text and "NTU 2025 frågar om 2024" in text
        summary = json.loads((tmp_path / "2080" / "lagesbild.json").read_text(encoding="utf-8"))["key_figures"]
        assert summary["missing_reports"] == list(sm.SOURCE_REPORTS) and summary["crime"] is None


def execute(tmp_path, **parameters):
    nb = papermill.execute_notebook(str(NOTEBOOKS / "lagesbild.ipynb"), str(tmp_path / "out.ipynb"),
                                    parameters=parameters, progress_bar=False, kernel_name="python3", cwd=str(NOTEBOOKS))
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    return nb, html


@pytest.mark.slow
class TestNotebook:
    def test_hand_made_reports_and_the_kommuns_plan(self, tmp_path):
        folder = write_reports(tmp_path / "reports", wastewater=wastewater_figures(example_data=True))
        plan = plan_csv(tmp_path, "2080;Klotter vid <skolan>;Snabb sanering;Anmälda brott;Lägre 2027;kommun")
        nb, html = execute(tmp_path, kommun="2080", reports_dir=str(folder), focus_plan=str(plan))
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors
        assert "Klotter vid &lt;skolan&gt;" in html and "UTKAST" not in html  # escaped, and no draft
        assert "Kommunens åtgärdsplan (atgardsplan.csv)" in html
        assert "Amfetamin 2025: 256,4 mg per dag" in html.replace("\u00a0", " ")
        assert "1 projekt är utvärderat" in html and "Trygg park" in html
        assert "EXEMPELDATA" in html

    def test_a_broken_json_stops_the_report_naming_the_file(self, tmp_path):
        folder = write_reports(tmp_path / "reports")
        (folder / "2080" / "crime_trends.json").write_text("{", encoding="utf-8")
        with pytest.raises(papermill.PapermillExecutionError) as info:
            execute(tmp_path, kommun="2080", reports_dir=str(folder))
        assert info.value.ename == "InputError" and "crime_trends.json" in info.value.evalue
        assert "rebuild the report" in info.value.evalue


class TestUtsattaOmraden:
    AREAS = pd.DataFrame({"name": ["Rosengård", "Holma / Kroksbäck", "Seved", "<script>"],
                          "class": ["sarskilt", "utsatt", "utsatt", "utsatt"], "ort": "Malmö", "polisregion": "Syd",
                          "area_ha": [96.9, 77.4, 32.5, 1.0]})

    def test_both_classes_in_one_sentence(self):
        text = sm.utsatta_omraden_text(self.AREAS.head(3), "Malmö")
        assert text.startswith("Polisen räknar 1 område i Malmö som särskilt utsatt (Rosengård) och 2 områden som "
                               "utsatta (Holma / Kroksbäck och Seved) i sin lista från 2025.")

    def test_none(self):
        assert sm.utsatta_omraden_text(self.AREAS.head(0), "Orsa").startswith("Orsa har inget område")

    def test_table_särskilt_first_then_by_name(self):
        t = sm.utsatta_omraden_table(self.AREAS)
        assert t["Område"].tolist() == ["Rosengård", "<script>", "Holma / Kroksbäck", "Seved"]  # escaped when shown
        assert t["Klass"].tolist()[:2] == ["särskilt utsatt område", "utsatt område"]
        assert t["Yta (hektar)"].tolist()[0] == "97"
