"""Every report notebook: committed clean, one typed parameters cell, and runs without errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest

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

    def test_takes_kommun_as_string(self, path):
        inspected = papermill.inspect_notebook(str(path))
        assert inspected["kommun"]["inferred_type_name"] == "str"
        assert re.fullmatch(r'"\d{4}"', inspected["kommun"]["default"])


def error_outputs(nb) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def stderr_outputs(nb) -> list[str]:
    return [o.get("text", "") for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]


FIXTURE_PARAMETERS = {
    "crime_trends": [
        {"kommun": "2080", "focus_areas": ["Våld i offentlig miljö", "Klotter"]},  # Brå data bundled; one unmatched focus
        {"kommun": "1283", "peers": ["1280", "1282"]},  # no Brå data bundled
    ],
    "place_assessment": [
        {"kommun": "1283", "districts": ["Söder", "Dalhem"]},  # the bundled example places (Helsingborg)
        {"kommun": "2080"},  # no place data: the report must say so
    ],
    "project_evaluation": [
        {"kommun": "1283"},  # the example project and a commitment (Helsingborg)
        {"kommun": "1380", "buffer_m": 150},  # commitments only (Halmstad's example medborgarlöfte)
        {"kommun": "2080"},  # nothing: the report must say so
    ],
    "lagesbild": [
        # reports_dir: a folder of the repository without reports, so the run never depends on what reports/ holds;
        # every section must then say which report is missing (tests/test_summary.py builds it from real reports)
        {"kommun": "2080", "reports_dir": "notebooks"},  # NTU and the example trygghetsmätning (Falun)
        {"kommun": "0114", "reports_dir": "notebooks", "alpha": 0.01},  # no survey data either
    ],
    "wastewater": [
        {"kommun": "1287"},  # the bundled example lab results (Trelleborg)
        {"kommun": "1488", "substances": ["cocaine", "MDMA"]},  # a Swedish EUDA site (Trollhättan)
        {"kommun": "2080"},  # no measurements: nearest sites and the national picture
    ],
}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("report", "parameters"),
    [(r, p) for r in available_reports() for p in FIXTURE_PARAMETERS.get(r, [{"kommun": "2080"}])],
    ids=lambda v: v if isinstance(v, str) else v["kommun"],
)
def test_notebook_executes_without_errors_or_warnings(report, parameters, tmp_path):
    nb = papermill.execute_notebook(str(NOTEBOOKS / f"{report}.ipynb"), str(tmp_path / "out.ipynb"),
                                    parameters=parameters, progress_bar=False, kernel_name="python3",
                                    cwd=str(NOTEBOOKS))
    assert not error_outputs(nb)
    assert not stderr_outputs(nb), "warnings in a report are either fixed or stated in words, never printed"
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "<h1" in html and "Om underlaget" in html


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
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Brås statistik över anmälda brott finns inte för Helsingborg i underlaget" in html
    assert "data/local/crime/" in html and "Trattdiagram" not in html
    assert "anger polisen.se bara län, aldrig kommun" in html
    assert "Ingen karta" in html and "<iframe" not in html
    assert "Om underlaget" in html


@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "expected", "absent"), [
    ("1287", ["EXEMPELDATA", "Trelleborgs reningsverk", "Var Trelleborg står", "Helg jämfört med vardag"], []),
    ("1488", ["ingår i EUDA:s europeiska studie med Trollhättan", "Var Trollhättan står"], ["EXEMPELDATA"]),
    ("2080", ["Falun har inga egna mätningar", "Närmaste svenska mätplatser till Falun", "Ta prov sju dagar i följd"],
     ["EXEMPELDATA", "Var Falun står"]),
])
def test_wastewater_report_says_what_the_kommun_has(kommun, expected, absent, tmp_path):
    nb = papermill.execute_notebook(str(NOTEBOOKS / "wastewater.ipynb"), str(tmp_path / "out.ipynb"),
                                    parameters={"kommun": kommun}, progress_bar=False, kernel_name="python3",
                                    cwd=str(NOTEBOOKS))
    assert not error_outputs(nb) and not stderr_outputs(nb)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "expected", "absent"), [
    ("1283", ["EXEMPELDATA", "Trygg Drottninghög", "konfidensintervall", "Åtaganden och deras status"], []),
    ("1380", ["Det finns inga projekt för Halmstad", "Minst 900 timmar", "ej uppfyllt", "kan ej bedömas"], []),
    ("2080", ["Det finns inga projekt för Falun", "inga åtaganden"], ["EXEMPELDATA"]),
])
def test_project_evaluation_says_what_the_kommun_has(kommun, expected, absent, tmp_path):
    nb = papermill.execute_notebook(str(NOTEBOOKS / "project_evaluation.ipynb"), str(tmp_path / "out.ipynb"),
                                    parameters={"kommun": kommun}, progress_bar=False, kernel_name="python3",
                                    cwd=str(NOTEBOOKS))
    assert not error_outputs(nb) and not stderr_outputs(nb)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text
