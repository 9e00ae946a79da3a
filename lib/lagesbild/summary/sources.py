"""The other reports' key figures, read back and checked: the summary's sources.

The summary never recomputes a figure the reports publish; it reads their key figures from
``<reports_dir>/<kommun>/<report>.json`` (written by :func:`lagesbild.run.jobs.record`, checked against
the models of :mod:`lagesbild.core.keyfigures`) and shows them:

========================  =====================================================================
report                    what the summary reads
========================  =====================================================================
``crime_trends``          Brå's indicators (levels, change, trend, län and riket), focus areas,
                          polisen.se events
``place_assessment``      places, hot-spot places, the priority list, concentration, each place's
                          yearly factor score and events (``place_series``, for the åtgärdsplan's goals)
``wastewater``            the latest load per substance and its percentile in Europe
``project_evaluation``    projects with their effect estimate, commitments per status
========================  =====================================================================

A report that is missing is in :attr:`Sources.missing` (the summary names it with the command that
builds it, :func:`build_command`); a JSON that cannot be read stops the report
(:class:`~lagesbild.core.errors.InputError`, naming the file and the field); key figures from an earlier
run are used as they are, and the report shows when each was built (:mod:`lagesbild.summary.text`).

Nothing here writes Swedish for the reader: the sentences about the sources are in
:mod:`lagesbild.summary.text`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from lagesbild.core import reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.keyfigures import MODELS as _FIGURE_MODELS
from lagesbild.core.keyfigures import Envelope as _Envelope
from lagesbild.core.paths import REPORTS, input_folder
from lagesbild.core.reports import BY_NAME as _REGISTERED
from lagesbild.core.reports import SUMMARY as _SUMMARY

#: The reports the summary reads, in the order it uses them: report name → Swedish title (from the
#: registry, :mod:`lagesbild.core.reports`).
SOURCE_REPORTS: dict[str, str] = {name: _REGISTERED[name].title for name in _SUMMARY.depends_on}

#: The key indicator "total reported crime" in Brå's kommunindikatorer.
TOTAL_CRIME = "Totalt antal anmälda brott"


def _check_report(report: str) -> str:
    if report not in SOURCE_REPORTS:
        raise ValueError(f"unknown source report {plain(report)}; the summary reads {list(SOURCE_REPORTS)}")
    return report


def source_title(report: str) -> str:
    """A source report's Swedish title (:data:`SOURCE_REPORTS`).

    Raises
    ------
    ValueError
        A report the summary does not read.

    Examples
    --------
    >>> source_title("place_assessment")
    'Platsbedömning'
    >>> source_title("lagesbild")
    Traceback (most recent call last):
    ...
    ValueError: unknown source report 'lagesbild'; the summary reads ['crime_trends', 'place_assessment', 'wastewater', 'project_evaluation']
    """
    return SOURCE_REPORTS[_check_report(report)]


def build_command(kommun: str, report: str | None = None) -> str:
    """The command that builds a kommun's report (all reports without ``report``).

    Examples
    --------
    >>> build_command("2080", "wastewater")
    'python run_all.py --kommun 2080 --report wastewater'
    >>> build_command("0114")
    'python run_all.py --kommun 0114'
    """
    return f"python run_all.py --kommun {kommun}" + (f" --report {report}" if report else "")


def report_link(report: str) -> str:
    """The relative link from the summary to a source report (same folder): ``<report>.html``.

    Examples
    --------
    >>> report_link("crime_trends")
    'crime_trends.html'
    """
    return f"{_check_report(report)}.html"


def reports_folder(value: str = "") -> Path:
    """The folder a summary reads the other reports from: ``value``, or the project's ``reports/``.

    The runner passes the run's output folder (absolute). A relative path is relative to the project
    root, like every other folder parameter (:func:`lagesbild.core.paths.input_folder`).

    Raises
    ------
    InputError
        A folder given in ``value`` that does not exist (the default ``reports/`` may be missing: then
        every report is missing and the summary says how to build them).

    Examples
    --------
    >>> reports_folder("") == REPORTS
    True
    >>> reports_folder("/no/such/folder")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: /no/such/folder: the reports folder does not exist. Fix: give the folder that run_all.py wrote the reports to (its --out, by default reports), or leave reports_dir empty.
    """
    folder = input_folder(value, REPORTS)
    if str(value).strip() and not folder.is_dir():
        raise InputError(folder, "the reports folder does not exist",
                         "give the folder that run_all.py wrote the reports to (its --out, by default reports), or "
                         "leave reports_dir empty")
    return folder


@dataclass(frozen=True)
class SourceReport:
    """One source report's JSON, read and checked (:func:`read_source`).

    Attributes
    ----------
    report : str
        Report name, a key of :data:`SOURCE_REPORTS`.
    file : Path
        The JSON file.
    kommun, name : str
        The kommun's code and name as the report wrote them.
    generated : datetime.datetime
        When the report was built (aware).
    version : str
        The lagesbild version that built it.
    git_commit : str or None
    parameters : dict
        The report's parameters.
    key_figures : dict
        Its key figures, checked: every field the summary uses is present with the right type.
    """

    report: str
    file: Path
    kommun: str
    name: str
    generated: dt.datetime
    version: str
    git_commit: str | None
    parameters: dict
    key_figures: dict

    @property
    def title(self) -> str:
        """The report's Swedish title (:data:`SOURCE_REPORTS`)."""
        return SOURCE_REPORTS[self.report]

    @property
    def link(self) -> str:
        """Relative link to the report's page."""
        return report_link(self.report)

    @property
    def example(self) -> bool:
        """Whether the report was built on invented example data."""
        return bool(self.key_figures.get("example_data", False))


def _json_problem(exc: json.JSONDecodeError) -> str:
    return f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"


def _field_error(path: Path, exc: ValidationError, prefix: tuple[str, ...], fix: str) -> InputError:
    """The first pydantic error as an InputError whose column is the field's dotted path."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in (*prefix, *err["loc"]))
    if err["type"] == "missing":
        problem = "the field is missing" + (" (a key figure the summary uses; was the report built by an older "
                                            "lagesbild version?)" if prefix else "")
    else:
        problem = f"{err['msg'].rstrip('.')[:1].lower()}{err['msg'].rstrip('.')[1:]}, found {plain(err.get('input'))}"
    return InputError(path, problem, fix, column=loc or None)


def read_source(path: str | Path, report: str, kommun: str) -> SourceReport:
    """Read one report's key-figure JSON and check that it is the kommun's and has what the summary uses.

    Parameters
    ----------
    path : str or Path
        ``<reports_dir>/<kommun>/<report>.json`` as :func:`lagesbild.run.jobs.record` writes it.
    report : str
        The report it must be (a key of :data:`SOURCE_REPORTS`).
    kommun : str
        The kommun it must be for.

    Returns
    -------
    SourceReport

    Raises
    ------
    InputError
        Naming the file (and, for a field, the field as ``column``): a file that is not UTF-8 or not
        JSON, that is not a JSON object, is another report's or kommun's, has no valid build time, or
        lacks a key figure the summary uses or has it with the wrong type. The fix is always to
        rebuild the report.

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "wastewater.json"
    >>> doc = {"report": "wastewater", "kommun": "1287", "name": "Trelleborg", "generated": "2026-01-10T08:00:00+00:00",
    ...        "key_figures": {"own_measurements": True, "example_data": True,
    ...                        "latest": [{"substance": "Kokain", "year": 2025, "daily_mean": 100.3,
    ...                                    "percentile_europe": 29.7}]}}
    >>> _ = p.write_text(json.dumps(doc), encoding="utf-8")
    >>> s = read_source(p, "wastewater", "1287")
    >>> s.title, s.example, s.key_figures["latest"][0]["percentile_europe"], s.generated.year
    ('Narkotika i avloppsvatten', True, 29.7, 2026)
    >>> _ = p.write_text("{", encoding="utf-8")
    >>> read_source(p, "wastewater", "1287")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: ...wastewater.json: the file is not valid JSON (line 1, column 2: ...). Fix: rebuild the report: python run_all.py --kommun 1287 --report wastewater.
    """
    report = _check_report(report)
    path = Path(path)
    fix = f"rebuild the report: {build_command(kommun, report)}"
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(path, "the file is not UTF-8 text", fix) from None
    except json.JSONDecodeError as exc:
        raise InputError(path, _json_problem(exc), fix) from None
    except OSError as exc:
        raise InputError(path, f"the file cannot be read ({exc.strerror or exc})", fix) from None
    if not isinstance(doc, dict):
        raise InputError(path, f"the file holds a JSON {type(doc).__name__}, not an object", fix)
    try:
        env = _Envelope.model_validate(doc)
    except ValidationError as exc:
        raise _field_error(path, exc, (), fix) from None
    try:
        figures = _FIGURE_MODELS[report].model_validate(env.key_figures).model_dump()
    except ValidationError as exc:
        raise _field_error(path, exc, ("key_figures",), fix) from None
    if env.report != report:
        raise InputError(path, f"the file is the report {plain(env.report)}, not {plain(report)}", fix, column="report")
    if env.kommun != str(kommun):
        raise InputError(path, f"the file is for kommun {env.kommun}, not {kommun}", fix, column="kommun")
    try:
        generated = dt.datetime.fromisoformat(env.generated)
    except ValueError:
        raise InputError(path, f"the build time {plain(env.generated)} is not an ISO date and time", fix,
                         column="generated") from None
    if generated.tzinfo is None:
        generated = generated.replace(tzinfo=dt.UTC)
    return SourceReport(report, path, env.kommun, env.name, generated, env.lagesbild_version, env.git_commit,
                        dict(env.parameters), figures)


@dataclass(frozen=True)
class Sources:
    """The source reports of one kommun found in a reports folder (:func:`load_sources`).

    ``found`` maps report name → :class:`SourceReport` for every report whose JSON exists; the
    others are :attr:`missing`.
    """

    kommun: str
    folder: Path
    found: dict[str, SourceReport]

    def figures(self, report: str) -> dict | None:
        """The key figures of ``report``, or None when it is missing."""
        src = self.found.get(_check_report(report))
        return None if src is None else src.key_figures

    @property
    def missing(self) -> list[str]:
        """The source reports without a JSON, in :data:`SOURCE_REPORTS` order."""
        return [r for r in SOURCE_REPORTS if r not in self.found]

    @property
    def example_reports(self) -> list[str]:
        """The found reports that were built on example data."""
        return [r for r, s in self.found.items() if s.example]


def load_sources(folder: str | Path, kommun: str) -> Sources:
    """Read the key figures of every source report of a kommun: ``<folder>/<kommun>/<report>.json``.

    Parameters
    ----------
    folder : str or Path
        The run's output folder (:func:`reports_folder`).
    kommun : str
        Four-digit kommun code.

    Returns
    -------
    Sources
        A missing file is not an error: the report is in :attr:`Sources.missing`.

    Raises
    ------
    InputError
        A file that exists but cannot be read or checked (:func:`read_source`).

    Examples
    --------
    >>> import tempfile
    >>> s = load_sources(tempfile.mkdtemp(), "2080")
    >>> s.missing == list(SOURCE_REPORTS), s.figures("crime_trends") is None
    (True, True)
    """
    folder = Path(folder)
    kommun = str(kommun)
    found = {}
    for report in SOURCE_REPORTS:
        path = folder / kommun / f"{report}.json"
        reads.file(path)  # read or missing: a rebuild of the summary depends on it either way
        if path.exists():
            found[report] = read_source(path, report, kommun)
    return Sources(kommun, folder, found)


def indicator_record(crime: Mapping | None, indicator: str) -> dict | None:
    """The record of one indicator in the key figures of ``crime_trends`` (None: not there, or no figures).

    Examples
    --------
    >>> crime = {"indicators": [{"indicator": "Bilbrott", "rate": 250.4}]}
    >>> indicator_record(crime, "Bilbrott")["rate"], indicator_record(crime, "Rån"), indicator_record(None, "Rån")
    (250.4, None, None)
    """
    for rec in (crime or {}).get("indicators", []):
        if rec["indicator"] == indicator:
            return rec
    return None


def number_or_none(value) -> float | None:
    """A figure as a JSON-ready float: None for None, a boolean or NaN.

    Examples
    --------
    >>> number_or_none(3), number_or_none(None), number_or_none(float("nan")), number_or_none(True)
    (3.0, None, None, None)
    """
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return None if math.isnan(value) else value


_CRIME_KEYS = ("bra_available", "bra_latest_year", "detectable_increases", "detectable_decreases", "focus_areas",
               "events_last_12_months", "events_period_end")
_INDICATOR_KEYS = ("indicator", "year", "count", "rate", "rate_lan", "rate_riket", "previous_year", "previous_count",
                   "previous_rate")
_PLACE_KEYS = ("place_data", "example_data", "places", "places_assessed", "period", "hot_spot_places", "priority",
               "gini")
_WW_KEYS = ("own_measurements", "example_data", "euda_sites", "latest")
_PROJECT_KEYS = ("example_data", "projects", "commitments")


def source_figures(sources: Sources) -> dict:
    """The source reports' key figures the summary shows, copied unchanged (None for a missing report).

    These are the summary's own key figures for the four reports: a test compares them with the
    sources' JSON, so the summary can never show a figure that differs from its report.

    Examples
    --------
    >>> import tempfile
    >>> source_figures(load_sources(tempfile.mkdtemp(), "2080"))["crime"] is None
    True
    """
    crime, places = sources.figures("crime_trends"), sources.figures("place_assessment")
    ww, proj = sources.figures("wastewater"), sources.figures("project_evaluation")
    return {
        "crime": None if crime is None else {
            **{k: crime[k] for k in _CRIME_KEYS},
            "indicators": [{k: rec.get(k) for k in _INDICATOR_KEYS} for rec in crime["indicators"]]},
        "places": None if places is None else {k: places[k] for k in _PLACE_KEYS},
        "wastewater": None if ww is None else {k: ww[k] for k in _WW_KEYS},
        "followup": None if proj is None else {k: proj[k] for k in _PROJECT_KEYS},
    }


__all__ = ["SOURCE_REPORTS", "TOTAL_CRIME", "SourceReport", "Sources", "build_command", "indicator_record",
           "load_sources", "number_or_none", "read_source", "report_link", "reports_folder", "source_figures",
           "source_title"]
