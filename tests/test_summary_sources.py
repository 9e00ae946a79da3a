"""Tests of lagesbild.summary.sources: reading and checking the other reports' key figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from helpers import raises_input_error
from summary_figures import (
    crime_figures,
    document,
    indicator,
    place_figures,
    project_figures,
    wastewater_figures,
    write_reports,
)

from lagesbild.core.paths import PROJ_ROOT, REPORTS
from lagesbild.summary import sources


class TestPaths:
    def test_build_command_and_link(self):
        assert sources.build_command("0114", "crime_trends") == "python run_all.py --kommun 0114 --report crime_trends"
        assert sources.build_command("0114") == "python run_all.py --kommun 0114"
        assert sources.report_link("project_evaluation") == "project_evaluation.html"
        with pytest.raises(ValueError, match="unknown source report"):
            sources.report_link("lagesbild")

    def test_reports_folder(self, tmp_path):
        assert sources.reports_folder("") == REPORTS and sources.reports_folder("  ") == REPORTS
        assert sources.reports_folder(str(tmp_path)) == tmp_path
        assert sources.reports_folder("notebooks") == PROJ_ROOT / "notebooks"  # relative to the project root
        err = raises_input_error(sources.reports_folder, str(tmp_path / "nope"))
        assert err.file == str(tmp_path / "nope") and "does not exist" in err.problem


class TestReadSource:
    def test_valid(self, tmp_path):
        p = tmp_path / "crime_trends.json"
        p.write_text(json.dumps(document("crime_trends")), encoding="utf-8")
        s = sources.read_source(p, "crime_trends", "2080")
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
        k = sources.read_source(p, "crime_trends", "2080").key_figures
        assert k["new_field"] == {"a": 1} and k["indicators"][0]["count_lan"] == 648

    def test_naive_build_time_is_utc(self, tmp_path):
        p = tmp_path / "w.json"
        p.write_text(json.dumps(document("wastewater", generated="2026-01-10T08:00:00")), encoding="utf-8")
        assert sources.read_source(p, "wastewater", "2080").generated.tzinfo == dt.UTC

    @pytest.mark.parametrize(("content", "problem"), [
        (b"{\"report\": ", "not valid JSON (line 1"),
        (b"[1, 2]", "JSON list, not an object"),
        ("{}".encode("utf-16"), "not UTF-8"),
    ])
    def test_unreadable_file(self, tmp_path, content, problem):
        p = tmp_path / "place_assessment.json"
        p.write_bytes(content)
        err = raises_input_error(sources.read_source, p, "place_assessment", "2080")
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
        err = raises_input_error(sources.read_source, p, "crime_trends", "2080")
        assert err.column == column and problem in err.problem and err.file == str(p)

    @pytest.mark.parametrize("report_name", list(sources.SOURCE_REPORTS))
    def test_each_report_needs_its_main_flag(self, tmp_path, report_name):
        flag = {"crime_trends": "bra_available", "place_assessment": "place_data", "wastewater": "own_measurements",
                "project_evaluation": "projects"}[report_name]
        doc = document(report_name)
        del doc["key_figures"][flag]
        p = tmp_path / f"{report_name}.json"
        p.write_text(json.dumps(doc), encoding="utf-8")
        assert raises_input_error(sources.read_source, p, report_name, "2080").column == f"key_figures.{flag}"


class TestLoadSources:
    def test_found_missing_and_example(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends", "wastewater"),
                      wastewater=wastewater_figures(example_data=True))
        s = sources.load_sources(tmp_path, "2080")
        assert list(s.found) == ["crime_trends", "wastewater"]
        assert s.missing == ["place_assessment", "project_evaluation"]
        assert s.example_reports == ["wastewater"]
        assert s.figures("place_assessment") is None and s.figures("crime_trends")["bra_available"] is True
        with pytest.raises(ValueError):
            s.figures("nope")

    def test_other_kommun_folder_is_not_read(self, tmp_path):
        write_reports(tmp_path, kommun="2081")
        assert sources.load_sources(tmp_path, "2080").found == {}

    def test_a_broken_file_stops_the_report(self, tmp_path):
        write_reports(tmp_path)
        (tmp_path / "2080" / "wastewater.json").write_text("{broken", encoding="utf-8")
        err = raises_input_error(sources.load_sources, tmp_path, "2080")
        assert err.file.endswith("wastewater.json")


class TestSourceFigures:
    def test_source_figures_are_the_sources(self, tmp_path):
        write_reports(tmp_path)
        s = sources.load_sources(tmp_path, "2080")
        f = sources.source_figures(s)
        assert f["places"] == {k: place_figures()[k] for k in f["places"]}
        assert f["wastewater"]["latest"] == wastewater_figures()["latest"]
        assert f["followup"]["commitments"] == project_figures()["commitments"]
        assert f["crime"]["indicators"][0]["rate"] == 250.0 and f["crime"]["events_last_12_months"] == 129

    def test_a_missing_report_has_no_figures(self, tmp_path):
        write_reports(tmp_path, reports=("crime_trends",))
        f = sources.source_figures(sources.load_sources(tmp_path, "2080"))
        assert f["places"] is None and f["wastewater"] is None and f["followup"] is None
        assert set(f["crime"]) == {"bra_available", "bra_latest_year", "detectable_increases", "detectable_decreases",
                                   "focus_areas", "events_last_12_months", "events_period_end", "indicators"}


class TestHelpers:
    def test_source_title(self):
        assert [sources.source_title(r) for r in sources.SOURCE_REPORTS] == list(sources.SOURCE_REPORTS.values())
        assert sources.source_title("wastewater") == "Narkotika i avloppsvatten"
        with pytest.raises(ValueError, match="unknown source report 'summary'"):
            sources.source_title("summary")

    def test_indicator_record(self):
        crime = crime_figures(indicators=[indicator("Rån", rate=20.0), indicator("Bilbrott")])
        assert sources.indicator_record(crime, "Rån")["rate"] == 20.0
        assert sources.indicator_record(crime, "Mord") is None
        assert sources.indicator_record(None, "Rån") is None and sources.indicator_record({}, "Rån") is None

    def test_number_or_none(self):
        import numpy as np

        assert sources.number_or_none(np.int64(7)) == 7.0 and type(sources.number_or_none(np.int64(7))) is float
        assert sources.number_or_none(2.5) == 2.5 and sources.number_or_none(0) == 0.0
        for missing in (None, float("nan"), np.nan, True, False):
            assert sources.number_or_none(missing) is None
