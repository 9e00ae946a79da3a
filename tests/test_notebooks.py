"""Every report notebook: committed clean, one typed parameters cell, and runs without errors in a Jupyter kernel
(with its default parameters, as nbval used to run it, and with variations)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest
from conftest import SHARED_KOMMUNER, error_outputs, html_of, stderr_outputs

from lagesbild.core.paths import NOTEBOOKS, available_reports

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
ANNOTATED = re.compile(r"^(\w+)\s*:\s*[^=]+=")


def parameters_cell(path: Path):
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name}: exactly one cell must be tagged 'parameters'"
    return cells[0]


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
class TestCommittedNotebook:
    def test_outputs_stripped(self, path):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell["outputs"] and cell["execution_count"] is None, f"{path.name}: clear the outputs"

    def test_every_parameter_is_typed_commented_and_parsed_by_papermill(self, path):
        lines = [ln for ln in parameters_cell(path).source.splitlines() if ln and not ln.startswith("#")]
        names = [ANNOTATED.match(ln).group(1) for ln in lines if ANNOTATED.match(ln)]
        assert len(names) == len(lines), f"{path.name}: every parameter line must be `name: type = value  # comment`"
        assert all("  # " in ln for ln in lines), f"{path.name}: every parameter needs a comment"
        inspected = papermill.inspect_notebook(str(path))
        # papermill silently drops a line it cannot parse (e.g. '=' or '()' in the comment)
        assert list(inspected) == names
        assert all(p["inferred_type_name"] not in ("None", "") for p in inspected.values())

    def test_the_runner_reads_the_parameters_as_papermill_does(self, path):
        """run_all.py reads the cell without papermill (lagesbild.run.params.parameters_cell): same result."""
        from lagesbild.run import params

        theirs = {name: {"type": p["inferred_type_name"], "default": p["default"], "help": p["help"]}
                  for name, p in papermill.inspect_notebook(str(path)).items()}
        assert params.notebook_parameters(path.stem) == theirs

    def test_takes_kommun_as_string(self, path):
        inspected = papermill.inspect_notebook(str(path))
        assert inspected["kommun"]["inferred_type_name"] == "str"
        assert re.fullmatch(r'"\d{4}"', inspected["kommun"]["default"])


# Each notebook runs in a Jupyter kernel (papermill) with its default parameters, as an analyst opening it in
# Jupyter would, and with the variations below that run_all.py cannot express. Every execution happens once per
# run (conftest's executed_notebook) and the tests further down read the same executions. Every report of every
# kommun of the shared run_all.py build (conftest's reports_build, with params/) is checked the same way in
# test_every_report_of_the_shared_build_shows_no_error_or_warning: Falun's crime report, place assessment,
# project evaluation and wastewater report with their defaults, Helsingborg's crime report with peers and focus
# areas (one matching no category) and its place assessment with districts, Halmstad's commitments.
FIXTURE_PARAMETERS = {
    "crime_trends": [
        {},  # the defaults: Falun
    ],
    "place_assessment": [
        {},  # the defaults: Helsingborg with the bundled example places (test_map_context reads it too)
    ],
    "project_evaluation": [
        {},  # the defaults: the example project and a commitment (Helsingborg)
    ],
    "lagesbild": [
        {},  # the defaults: reports_dir "" is the repository's reports/ (none in a fresh clone)
        # reports_dir: a folder of the repository without reports, so the run never depends on what reports/ holds;
        # every section must then say which report is missing (tests/test_summary.py builds it from real reports)
        {"kommun": "2080", "reports_dir": "notebooks"},  # NTU and the example trygghetsmätning (Falun)
        {"kommun": "0114", "reports_dir": "notebooks", "alpha": 0.01},  # no survey data either
    ],
    "wastewater": [
        {},  # the defaults: the bundled example lab results (Trelleborg)
        {"kommun": "1488", "substances": ["cocaine", "MDMA"]},  # a Swedish EUDA site (Trollhättan), two substances
    ],
}


def test_every_report_runs_with_its_default_parameters():
    assert sorted(FIXTURE_PARAMETERS) == available_reports()
    assert all({} in variations for variations in FIXTURE_PARAMETERS.values())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("report", "parameters"),
    [(r, p) for r in available_reports() for p in FIXTURE_PARAMETERS.get(r, [{}])],
    ids=lambda v: v if isinstance(v, str) else v.get("kommun", "defaults"),
)
def test_notebook_executes_without_errors_or_warnings(executed_notebook, report, parameters):
    nb = executed_notebook(report, parameters)
    assert not error_outputs(nb)
    assert not stderr_outputs(nb), "warnings in a report are either fixed or stated in words, never printed"
    html = html_of(nb)
    assert "<h1" in html and "Om underlaget" in html


@pytest.mark.slow
def test_every_report_of_the_shared_build_shows_no_error_or_warning(reports_build):
    """The run_all.py build the suite shares (every report for the kommuner of conftest's SHARED_KOMMUNER, with
    params/: e.g. Helsingborg's districts): no report failed, and none shows a cell's stderr or an error."""
    assert reports_build.proc.returncode == 0, reports_build.proc.stderr[-3000:]
    pages = sorted(reports_build.out.glob("*/*.html"))
    assert len(pages) == len(SHARED_KOMMUNER) * len(available_reports())
    for page in pages:
        body = re.sub(r"<style.*?</style>", "", page.read_text(encoding="utf-8"), flags=re.S)  # the CSS names both
        assert "application/vnd.jupyter.stderr" not in body, page  # how the export shows stderr and errors
        assert "Traceback" not in body, page


@pytest.mark.slow
def test_crime_trends_stands_with_neither_bra_data_nor_kommun_level_events(tmp_path):
    """Helsingborg with an event archive that names only län: every section says what is missing."""
    import shutil

    from lagesbild.core.paths import DATA

    data = tmp_path / "data"
    # without Brå's figures for all kommuner (only Dalarna's kommunindikatorer) and with län-level events only
    shutil.copytree(DATA / "raw", data / "raw", ignore=shutil.ignore_patterns("police_events", "bra_anmalda_brott_kommun*"))
    (data / "raw" / "police_events").mkdir()
    (data / "raw" / "police_events" / "lan_only.csv").write_text(
        "id,datetime,type,location_name,lat,lon,name,summary,url\n"
        "1,2025-01-10T12:00:00+01:00,Stöld,Skåne län,55.99,13.59,x,,\n"
        "2,2025-02-10T12:00:00+01:00,Rån,Skåne län,55.99,13.59,x,,\n"
        "3,2025-03-10T12:00:00+01:00,Brand,Skåne län,55.99,13.59,x,,\n", encoding="utf-8")
    nb = papermill.execute_notebook(str(NOTEBOOKS / "crime_trends.ipynb"), str(tmp_path / "out.ipynb"),
                                    parameters={"kommun": "1283", "data_dir": str(data)}, progress_bar=False,
                                    kernel_name="python3", cwd=str(NOTEBOOKS))
    assert not error_outputs(nb) and not stderr_outputs(nb)
    html = html_of(nb)
    assert "Brås statistik över anmälda brott finns inte för Helsingborg i underlaget" in html
    assert "data/local/crime/" in html and "Trattdiagram" not in html
    assert "anger polisen.se bara län, aldrig kommun" in html
    assert "Ingen karta" in html and "<iframe" not in html
    assert "Om underlaget" in html


def kernel_html(executed_notebook, report: str, parameters: dict) -> str:
    """The HTML of a kernel execution above (one of FIXTURE_PARAMETERS), which has no error or warning."""
    assert parameters in FIXTURE_PARAMETERS[report]  # read from an execution above, not a new one
    nb = executed_notebook(report, parameters)
    assert not error_outputs(nb) and not stderr_outputs(nb)
    return html_of(nb)


def built_html(reports_build, report: str, kommun: str) -> str:
    """A page of the shared run_all.py build (checked for errors and warnings above)."""
    assert kommun in SHARED_KOMMUNER and reports_build.proc.returncode == 0, reports_build.proc.stderr[-3000:]
    return (reports_build.out / kommun / f"{report}.html").read_text(encoding="utf-8")


def says(html: str, expected: list[str], absent: list[str]) -> None:
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


TRELLEBORG = ["EXEMPELDATA", "Trelleborgs reningsverk", "Var Trelleborg står", "Helg jämfört med vardag"], []
TROLLHATTAN = ["ingår i EUDA:s europeiska studie med Trollhättan", "Var Trollhättan står"], ["EXEMPELDATA"]
FALUN_WW = (["Falun har inga egna mätningar", "Närmaste svenska mätplatser till Falun", "Ta prov sju dagar i följd"],
            ["EXEMPELDATA", "Var Falun står"])


@pytest.mark.slow
@pytest.mark.parametrize(("parameters", "texts"), [
    ({}, TRELLEBORG), ({"kommun": "1488", "substances": ["cocaine", "MDMA"]}, TROLLHATTAN)], ids=["1287", "1488"])
def test_wastewater_report_says_what_the_kommun_has(executed_notebook, parameters, texts):
    says(kernel_html(executed_notebook, "wastewater", parameters), *texts)


@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "texts"), [("1287", TRELLEBORG), ("1488", TROLLHATTAN), ("2080", FALUN_WW)])
def test_built_wastewater_report_says_what_the_kommun_has(reports_build, kommun, texts):
    says(built_html(reports_build, "wastewater", kommun), *texts)


@pytest.mark.slow
def test_project_evaluation_says_what_the_kommun_has(executed_notebook):
    says(kernel_html(executed_notebook, "project_evaluation", {}),
         ["EXEMPELDATA", "Trygg Drottninghög", "konfidensintervall", "Åtaganden och deras status"], [])


@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "expected", "absent"), [
    ("1283", ["EXEMPELDATA", "Trygg Drottninghög", "konfidensintervall", "Åtaganden och deras status"], []),
    ("1380", ["Det finns inga projekt för Halmstad", "Minst 900 timmar", "ej uppfyllt", "kan ej bedömas"], []),
    ("2080", ["Det finns inga projekt för Falun", "inga åtaganden"], ["EXEMPELDATA"]),
])
def test_built_project_evaluation_says_what_the_kommun_has(reports_build, kommun, expected, absent):
    says(built_html(reports_build, "project_evaluation", kommun), expected, absent)


@pytest.mark.slow
def test_place_assessment_without_place_data_says_so(reports_build):
    """Falun has no place data (the shared build, the notebook's other defaults): the report says so."""
    html = built_html(reports_build, "place_assessment", "2080")
    assert "<h1" in html and "Om underlaget" in html and "Det finns inga platsdata för Falun" in html
