"""The report registry (lagesbild.core.reports): one entry per notebook, and every place reads its names from it."""

from __future__ import annotations

import json
import re

import pytest

from lagesbild.core import reports
from lagesbild.core.paths import NOTEBOOKS, available_reports, notebook_path


class TestRegistryMatchesTheNotebooks:
    def test_each_registered_report_has_its_notebook(self):
        missing = [r.name for r in reports.REGISTRY if not (NOTEBOOKS / r.notebook).is_file()]
        assert not missing, f"registered without a notebook in notebooks/: {missing}"

    def test_each_notebook_is_registered(self):
        unregistered = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb") if p.stem not in reports.BY_NAME)
        assert not unregistered, f"notebooks without an entry in lagesbild.core.reports.REGISTRY: {unregistered}"

    def test_the_notebook_is_where_paths_looks(self):
        for r in reports.REGISTRY:
            assert notebook_path(r.name) == NOTEBOOKS / r.notebook

    @pytest.mark.parametrize("report", reports.REGISTRY, ids=lambda r: r.name)
    def test_the_title_is_how_the_reports_own_heading_begins(self, report):
        """``title = f"Brottsutvecklingen i {name}"`` in crime_trends.ipynb → the title "Brottsutvecklingen"."""
        cells = json.loads((NOTEBOOKS / report.notebook).read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        heading = re.search(r'^title = f"(.+?)"$', source, flags=re.M)
        assert heading, f"{report.notebook} has no line title = f\"…\""
        assert heading.group(1).startswith(report.title + " "), (heading.group(1), report.title)


class TestRegistryIsConsistent:
    def test_names_are_unique_and_listed_in_order(self):
        assert len(reports.BY_NAME) == len(reports.REGISTRY)
        assert reports.names() == [r.name for r in reports.REGISTRY]
        assert available_reports() == sorted(reports.names())

    def test_dependencies_are_registered_and_never_circular(self):
        for r in reports.REGISTRY:
            assert set(r.depends_on) <= set(reports.BY_NAME) - {r.name}
            assert all(not reports.get(d).depends_on for d in r.depends_on), "a report that reads a summary"

    def test_the_summary_reads_the_four_domain_reports(self):
        assert reports.SUMMARY.name == "lagesbild" and reports.REGISTRY[0] is reports.SUMMARY
        assert reports.dependencies("lagesbild") == ("crime_trends", "place_assessment", "wastewater",
                                                     "project_evaluation")

    def test_an_unknown_name_is_an_error_that_names_the_reports(self):
        with pytest.raises(KeyError, match="unknown report 'crime'; the reports are lagesbild, crime_trends"):
            reports.get("crime")
        assert reports.dependencies("crime") == ()

    def test_a_report_is_frozen(self):
        with pytest.raises(AttributeError):
            reports.CRIME_TRENDS.title = "x"


class TestEveryPlaceReadsTheRegistry:
    """The landing page's labels and the summary's titles: the texts readers saw before the registry."""

    def test_landing_labels_in_page_order(self):
        from lagesbild.publish import landing

        assert landing.REPORT_LABELS == {
            "lagesbild": "Lägesbild (sammanfattning)",
            "crime_trends": "Brottsutveckling",
            "place_assessment": "Platsbedömning",
            "wastewater": "Narkotika i avloppsvatten",
            "project_evaluation": "Utvärdering av trygghetsarbete",
        }
        assert list(landing.REPORT_LABELS) == reports.names()

    def test_summary_titles_in_reading_order(self):
        from lagesbild.summary import report as sm

        assert sm.SOURCE_REPORTS == {
            "crime_trends": "Brottsutvecklingen",
            "place_assessment": "Platsbedömning",
            "wastewater": "Narkotika i avloppsvatten",
            "project_evaluation": "Utvärdering av trygghetsarbetet",
        }

    def test_parameter_checks_and_the_runner_name_registered_reports(self):
        from lagesbild.run import params, runner

        assert set(params.VALUE_CHECKS) <= set(reports.BY_NAME)
        assert runner.SUMMARY_REPORT == reports.SUMMARY.name
