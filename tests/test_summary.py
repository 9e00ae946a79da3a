"""Tests of the package lagesbild.summary and its module report (the report as a whole), and the report end to end.

The sections' pieces have their own test files: test_summary_sources, test_summary_text,
test_summary_key_indicators, test_summary_standout, test_summary_focus_plan (hand-made key figures in
summary_figures.py); the trygghetsmätning is in test_trygghet.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import json
import re
import subprocess
import sys

import papermill
import pytest
from conftest import html_of
from summary_figures import (
    Cfg,
    crime_figures,
    indicator,
    key_table,
    light,
    place_figures,
    plan_csv,
    wastewater_figures,
    write_reports,
)

from lagesbild import summary as sm
from lagesbild.core.paths import NOTEBOOKS
from lagesbild.publish.export import extract_key_figures
from lagesbild.stats import indicators
from lagesbild.summary import surveys as trygghet

# ============================================================================================
# The package: every name the notebook calls through it, lazily
# ============================================================================================


class TestPackage:
    def test_every_public_name_is_forwarded_from_one_module(self):
        owners = {}
        for name in sm.FORWARDED:
            module = importlib.import_module(f"lagesbild.summary.{name}")
            for attr in module.__all__:
                assert attr not in owners, f"{attr} is public in both {owners[attr]} and {name}"
                owners[attr] = name
                assert getattr(sm, attr) is getattr(module, attr)
        assert sm.load_focus_plan is importlib.import_module("lagesbild.summary.focus_plan").load_focus_plan

    def test_the_notebooks_names_resolve(self):
        nb = (NOTEBOOKS / "lagesbild.ipynb").read_text(encoding="utf-8")
        used = set(re.findall(r"\bsm\.(\w+)", nb))
        assert len(used) > 30 and all(hasattr(sm, name) for name in used)

    def test_submodules_and_unknown_names(self):
        assert sm.surveys.__name__ == "lagesbild.summary.surveys" and sm.text.__name__ == "lagesbild.summary.text"
        with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
            sm.nothing_here  # noqa: B018
        with pytest.raises(AttributeError):
            sm._join  # noqa: B018  (private names are not forwarded)

    def test_import_is_cheap_and_imports_one_way(self):
        code = ("import sys, lagesbild.summary as sm; a = 'pandas' in sys.modules; sm.load_sources; "
                "print(a, 'pandas' in sys.modules, 'lagesbild.summary.text' in sys.modules)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.split() == ["False", "False", "False"]  # reading the sources needs neither pandas nor the text


# ============================================================================================
# The report as a whole: Det viktigaste, gaps, key figures, caveats, provenance
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
            "exempeldata).",
            "Kommunens egna enkäter, t.ex. skol-, ungdoms- eller företagsenkäter (mall i data/templates/lokala_enkater/)."]
        full = write_reports(tmp_path / "full")
        assert sm.gaps(sm.load_sources(full, "2080"), "Falun", trygghet_loaded=True, local_loaded=True) == []
        example = sm.gaps(sm.load_sources(full, "2080"), "Falun", trygghet_loaded=True, local_loaded=True,
                          local_example=True)
        assert example == ["Kommunens egna enkäter, t.ex. skol-, ungdoms- eller företagsenkäter (mall i "
                           "data/templates/lokala_enkater/; avsnitt 2 visar nu påhittade exempeldata)."]

    def test_headline_points(self, tmp_path):
        write_reports(tmp_path)
        total = key_table([{"indicator": sm.TOTAL_CRIME, "value": 7833.0, "lan": light(indicators.LOWER),
                            "riket": light(indicators.LOWER, indicators.RIKET)},
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
                            "riket": light(indicators.UNCLEAR, indicators.RIKET)}])
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
        assert k["focus_plan"] == {"source": "utkast", "file": None, "rows": len(plan), "year": None, "example_data": False}
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


def text_of(page: str) -> str:
    """What a reader sees of an HTML page or fragment: no tags, styles or scripts; entities and NBSP resolved; no
    soft hyphens (invisible unless a line breaks there: the plan tables have them, lagesbild.render.hyphens)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body)).replace("\u00a0", " ").replace("\u00ad", "")


def heading_text(markup: str) -> str:
    """A heading's text: tags and the anchor link's ¶ removed, entities (the export writes &#228;) unescaped."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).replace("¶", "").strip()


def page_text(path) -> str:
    return text_of(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def full_run(reports_build):
    """Every report for Falun (Brå and NTU bundled, example trygghetsmätning) and Upplands Väsby (little data):
    the suite's shared run_all.py build (conftest.reports_build)."""
    return reports_build.out, reports_build.proc


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
        headings = [heading_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, flags=re.S)]
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
        assert "NTU 2025 frågar om 2024" in text
        assert "Om underlaget" in text and "2080/crime_trends.json" in text

    def test_the_previous_plan_is_followed_up_and_the_current_plan_has_brås_columns(self, full_run):
        """Falun's example plans (data/example/atgardsplan): the 2025 plan followed up row by row in section 4 with
        statuses computed from the data, the 2026 plan in section 3 in Brå's columns, both labelled as example data."""
        out, _ = full_run
        page = (out / "2080" / "lagesbild.html").read_text(encoding="utf-8")
        text = re.sub(r"\s+", " ", page_text(out / "2080" / "lagesbild.html"))
        h3 = [heading_text(h) for h in re.findall(r"<h3[^>]*>(.*?)</h3>", page, flags=re.S)]
        assert h3.index("Åtgärdsplan") < h3.index("Förra årets åtgärdsplan") < h3.index("Åtaganden och projekt")
        section3 = text[text.index("Åtgärdsplan 2026 för Falun"):text.index("4. Uppföljning")]
        assert "Problem Orsak Åtgärd Operativa mål När Ansvarig Uppföljning Status Mått och målvärde" in section3
        # the download keeps the measure columns apart (it loads back as a plan)
        import base64
        csv_link = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"[^>]*download="atgardsplan_2080\.csv"', page)
        header = base64.b64decode(csv_link.group(1)).decode("utf-8-sig").splitlines()[0]
        assert header.endswith("Status;Mått;Avser;Målvärde;Målår;Riktning;Utgångsår")
        assert "orsak inte angiven" in section3 and "UTKAST" not in text
        section4 = text[text.index("Förra årets åtgärdsplan"):text.index("Åtaganden och projekt")]
        assert "Åtgärdsplanerna är påhittade exempeldata" in section4 and "EXEMPELDATA" in section4
        assert "Åtgärdsplanen för 2025 har 6 mål:" in section4
        # Brå: Falun's burglaries (inbrottsstöld i bostad) fell from 327 (2024) to 203 (2025), a clear fall to about
        # 339 per 100 000, below the target 450; the goal is met. Narkotika- och vapenlagsbrott rose clearly (368 to
        # 462): not met. Centrum's survey index has no measurement after 2024: not measurable yet.
        problems = ("Bostadsinbrott i villa", "Brottsligheten i kommunen", "Narkotika och vapen", "Otrygghet i Centrum",
                    "Otrygghet i bostads", "Våld i nära")
        rows = dict(zip(problems, re.split("(?=" + "|".join(problems) + ")", section4)[1:], strict=True))
        assert "339 år 2025 (546 år 2024) Uppnått (grön)" in rows["Bostadsinbrott i villa"]
        assert "Inte uppnått (röd) Värdet har tydligt rört sig bort från målet" in rows["Narkotika och vapen"]
        assert "Går inte att mäta än Ingen mätning efter 2024" in rows["Otrygghet i Centrum"]
        assert "På väg (gul) Kommunens egen bedömning" in rows["Våld i nära"]
        assert "Uppnått: det senaste värdet" in section4  # the printed rule
        summary = json.loads((out / "2080" / "lagesbild.json").read_text(encoding="utf-8"))["key_figures"]
        assert summary["focus_plan"] == {"source": "fil", "file": "atgardsplan_2026.csv", "rows": 4, "year": 2026,
                                         "example_data": True}
        # lagesbild.json holds the follow-up's statuses, as the page shows them (goal by goal, no measured values)
        followup = summary["plan_followup"]
        assert followup["plan_year"] == 2025 and followup["example_data"] is True and summary["example_data"] is True
        statuses = {g["problem"]: g["status"] for g in followup["goals"]}
        assert statuses["Bostadsinbrott i villaområdena"] == "met" and statuses["Otrygghet i Centrum kvällstid"] == "not_measurable"
        assert statuses["Narkotika och vapen bland unga"] == "not_met" and statuses["Våld i nära relationer"] == "on_the_way"
        assert sum(followup["counts"].values()) == len(followup["goals"]) == 6
        assert all(set(g) == {"problem", "operativt_mal", "measure", "subject", "target", "target_year", "direction",
                              "status", "computed"} for g in followup["goals"])
        assert summary["local_surveys"]["surveys"] == ["LUPP"] and summary["local_surveys"]["example_data"] is True
        # a kommun without plans gets the draft in Brå's columns and no follow-up
        little = re.sub(r"\s+", " ", page_text(out / "0114" / "lagesbild.html"))
        assert "UTKAST" in little and "Att fylla i efter orsaksanalys" in little
        assert "Det finns ingen tidigare åtgärdsplan att följa upp." in little
        little_json = json.loads((out / "0114" / "lagesbild.json").read_text(encoding="utf-8"))["key_figures"]
        assert little_json["plan_followup"] is None and little_json["focus_plan"]["source"] == "utkast"

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

    def test_a_missing_source_report_is_named_and_the_page_still_builds(self, executed_notebook):
        """The lägesbild alone, with a reports folder that holds no report (the notebook as run_all.py runs it)."""
        nb = executed_notebook("lagesbild", {"kommun": "2080", "reports_dir": "notebooks"})
        text = re.sub(r"\s+", " ", text_of(html_of(nb)))
        for title in sm.SOURCE_REPORTS.values():
            assert f"Rapporten {title} finns inte för kommunen i den här körningen" in text, title
        assert "python run_all.py --kommun 2080 --report crime_trends" in text
        # NTU and the survey do not depend on the other reports
        assert "Nationella trygghetsundersökningen" in text and "NTU 2025 frågar om 2024" in text
        summary = extract_key_figures(nb)
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
