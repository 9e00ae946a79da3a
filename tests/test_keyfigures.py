"""The key-figure models (lagesbild.core.keyfigures): what a report may publish is what the summary can read."""

from __future__ import annotations

import pytest

from lagesbild.core import keyfigures, reports


def test_every_report_the_summary_reads_has_a_model():
    assert set(keyfigures.MODELS) == set(reports.SUMMARY.depends_on)


def test_valid_figures_pass_and_keep_unmodelled_fields():
    figures = {"bra_available": True, "bra_latest_year": 2025, "indicators": [
        {"indicator": "Brott mot person", "year": 2025, "count": 10, "rate": 9.5, "extra": "kept"}],
        "title": "Brottsutvecklingen i Falun"}
    out = keyfigures.check("crime_trends", figures)
    assert out["indicators"][0]["extra"] == "kept" and out["title"] == figures["title"]
    assert out["indicators"][0]["count"] == 10


@pytest.mark.parametrize("report, figures, where", [
    ("crime_trends", {}, "bra_available: the field is missing"),
    ("crime_trends", {"bra_available": True, "indicators": [{"indicator": "X", "year": "2025", "count": 1,
                                                            "rate": 1.0}]}, "indicators.0.year: input should be a valid integer"),
    ("place_assessment", {"place_data": True, "places": 2.5}, "places: input should be a valid integer"),
    ("wastewater", {"own_measurements": True, "latest": [{"substance": "Kokain", "year": 2024}]},
     "latest.0.daily_mean: the field is missing"),
    ("project_evaluation", {"projects": [{"id": "P1"}], "commitments": {}}, "projects.0.name: the field is missing"),
])
def test_a_figure_the_summary_would_refuse_is_refused_when_written(report, figures, where):
    with pytest.raises(keyfigures.KeyFigureError, match=f"the report {report}'s key figure {where}"):
        keyfigures.check(report, figures)


def test_strict_types_refuse_a_bool_for_an_int():
    with pytest.raises(keyfigures.KeyFigureError, match="places"):
        keyfigures.check("place_assessment", {"place_data": True, "places": True})


def test_the_runner_refuses_to_publish_figures_the_summary_would_refuse():
    import time

    import nbformat

    from lagesbild.render.report import KEY_FIGURES_MIME
    from lagesbild.run.jobs import Job, render_notebook

    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={KEY_FIGURES_MIME: {"bra_available": "ja"}})]
    job = Job("2080", "Falun", "Dalarnas län", "crime_trends", {}, "/tmp", "")
    with pytest.raises(keyfigures.KeyFigureError, match="crime_trends's key figure bra_available: input should be a valid boolean"):
        render_notebook(job, nbformat.v4.new_notebook(cells=[cell]), time.perf_counter())
