"""The lägesbild summary: the other reports' key figures read back, what stands out, a draft action plan.

Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete, 4 §, asks every kommun for a
*lägesbild* over the crime in its area: a mapping (kartläggning) of the crime, its extent and
consequences, other information that matters, and an analysis of both; from it the kommun decides an
*åtgärdsplan*. The summary report (``notebooks/lagesbild.ipynb``) is that lägesbild in the law's
order, built from the four reports of the same run:

========================  =====================================================================
report                    what the summary reads from ``<reports_dir>/<kommun>/<report>.json``
========================  =====================================================================
``crime_trends``          Brå's indicators (levels, change, trend, län and riket), focus areas,
                          polisen.se events
``place_assessment``      places, hot-spot places, the priority list, concentration
``wastewater``            the latest load per substance and its percentile in Europe
``project_evaluation``    projects with their effect estimate, commitments per status
========================  =====================================================================

The summary never recomputes a figure the reports publish: it reads their key figures
(:func:`load_sources`) and shows them; a comparison with the län and riket is a test *on* those
figures (:mod:`lagesbild.stats.indicators`). A report that is missing is named with the command that builds
it; a JSON that cannot be read stops the report (:class:`~lagesbild.core.errors.InputError`); key figures
from an earlier run are used as they are, and the report shows when each was built.

What stands out (:func:`standout_problems`)
-------------------------------------------
Every piece of evidence that points at a problem is a *signal* on a *topic* (a Brå category, an NTU
indicator, the kommun's places, a substance in the wastewater, an area of the police's safety
survey). The signals, from strongest kind to weakest (:data:`SIGNALS`):

1. ``nivå`` – a key indicator (Brå rate or NTU share) clearly worse than the län's or riket's
   (the traffic light of :func:`lagesbild.stats.indicators.indicator_table`: an exact or z-test at
   ``alpha``);
2. ``ökning`` – a Brå category with a statistically clear increase from the year before;
3. ``trend`` – a Brå category with a statistically clear upward multi-year trend;
4. ``hot spot`` – places at statistically clear hot spots (Getis-Ord Gi*, FDR) in the place report;
5. ``trygghetsmätning`` – an area whose problem index in the police's survey rose clearly since the
   previous measurement, or where the police's report names "stora problem";
6. ``avloppsvatten`` – a substance whose load is at or above the 75th percentile of the European
   sites (:data:`WASTEWATER_PERCENTILE`);
7. ``fokus`` – a category the kommun has chosen as a focus area (not a finding in the data).

Topics are ranked by (a) the number of different signals (more independent evidence first), (b) the
strongest kind of signal they have, (c) the strength within that kind (smallest p-value; most places;
highest percentile), (d) name. The first :data:`MAX_PROBLEMS` (five) are "the problems that stand out
most"; with fewer candidates the report says so. Data that show nothing give no problem: a clear
*decrease* or a *better* level is never a problem.

The draft plan (:func:`draft_focus_plan`)
-----------------------------------------
One row per problem in the shape of Trelleborg's samverkansöverenskommelse: problem → aktivitet →
uppföljning → mål. Activities are suggestions from the measure catalogue of the place assessment
(:data:`lagesbild.places.factors.MEASURES`, via :data:`ACTIVITY_MEASURES`); the follow-up names the indicator
and its source; the goal is measurable ("inte tydligt högre än i länet 2027"). It is a **draft** for
the analyst: download it from the report, edit it, and point the parameter ``focus_plan`` at the file
(:func:`load_focus_plan`; template in ``data/templates/atgardsplan/``); then the report shows the
kommun's plan instead.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pydantic import ValidationError

from lagesbild.core import fmt
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.keyfigures import MODELS as _FIGURE_MODELS
from lagesbild.core.keyfigures import Envelope as _Envelope
from lagesbild.core.paths import PROJ_ROOT, REPORTS, input_folder
from lagesbild.core.reports import BY_NAME as _REGISTERED
from lagesbild.core.reports import CRIME_TRENDS, PLACE_ASSESSMENT, WASTEWATER
from lagesbild.core.reports import SUMMARY as _SUMMARY
from lagesbild.inputs import tables as it
from lagesbild.inputs.tables import Column, Table
from lagesbild.sources import schemas
from lagesbild.text import caveats as register

# ============================================================================================
# The source reports
# ============================================================================================

#: The reports the summary reads, in the order it uses them: report name → Swedish title (from the
#: registry, :mod:`lagesbild.core.reports`).
SOURCE_REPORTS: dict[str, str] = {name: _REGISTERED[name].title for name in _SUMMARY.depends_on}

#: Build times are shown in Swedish time.
TIMEZONE = "Europe/Stockholm"

#: The key indicator "total reported crime" in Brå's kommunindikatorer.
TOTAL_CRIME = "Totalt antal anmälda brott"


def _check_report(report: str) -> str:
    if report not in SOURCE_REPORTS:
        raise ValueError(f"unknown source report {plain(report)}; the summary reads {list(SOURCE_REPORTS)}")
    return report


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
        if path.exists():
            found[report] = read_source(path, report, kommun)
    return Sources(kommun, folder, found)


def built_text(when: dt.datetime | str) -> str:
    """A build time in Swedish time: ``22 november 2026 kl. 21.25``.

    Examples
    --------
    >>> built_text("2026-11-22T20:25:13+00:00")
    '22 november 2026 kl. 21.25'
    >>> built_text("2026-07-01T08:05:00+00:00")
    '1 juli 2026 kl. 10.05'
    """
    from zoneinfo import ZoneInfo

    when = dt.datetime.fromisoformat(when) if isinstance(when, str) else when
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone(ZoneInfo(TIMEZONE))
    return f"{fmt.day(local)} kl. {local.hour:02d}.{local.minute:02d}"


def missing_text(report: str, kommun: str) -> str:
    """What a section says when its source report is missing, and how to build it.

    Examples
    --------
    >>> print(missing_text("wastewater", "2080"))
    Rapporten Narkotika i avloppsvatten finns inte för kommunen i den här körningen, så avsnittet kan inte visa den. Bygg den med python run_all.py --kommun 2080 --report wastewater och bygg sedan lägesbilden igen (python run_all.py --kommun 2080 bygger alla rapporter i rätt ordning).
    """
    return (f"Rapporten {SOURCE_REPORTS[_check_report(report)]} finns inte för kommunen i den här körningen, så "
            f"avsnittet kan inte visa den. Bygg den med {build_command(kommun, report)} och bygg sedan lägesbilden igen "
            f"({build_command(kommun)} bygger alla rapporter i rätt ordning).")


def source_line(sources: Sources, report: str, data: str = "") -> str:
    """The source of a figure or table the summary takes from a report: the report, its build time, its data.

    Examples
    --------
    >>> import tempfile
    >>> source_line(load_sources(tempfile.mkdtemp(), "2080"), "crime_trends", "Brå, kommunindikatorer")
    'Rapporten Brottsutvecklingen (crime_trends.html); Brå, kommunindikatorer'
    """
    src = sources.found.get(_check_report(report))
    built = f", byggd {built_text(src.generated)}" if src is not None else ""
    return f"Rapporten {SOURCE_REPORTS[report]} ({report_link(report)}{built})" + (f"; {data}" if data else "")


def sources_table(sources: Sources, version: str | None = None) -> pd.DataFrame:
    """The reports the summary builds on: title, file, build time, example data, remarks.

    Parameters
    ----------
    sources : Sources
    version : str, optional
        The running lagesbild version; a report built with another version gets a remark.

    Returns
    -------
    pandas.DataFrame
        Columns ``Rapport``, ``Fil``, ``Byggd``, ``Exempeldata``, ``Anmärkning``; one row per
        source report in :data:`SOURCE_REPORTS` order, missing ones included.

    Examples
    --------
    >>> import tempfile
    >>> t = sources_table(load_sources(tempfile.mkdtemp(), "2080"))
    >>> t.iloc[0].tolist()
    ['Brottsutvecklingen', 'crime_trends.html', 'saknas', '–', 'Bygg den med python run_all.py --kommun 2080 --report crime_trends']
    """
    rows = []
    for report, title in SOURCE_REPORTS.items():
        src = sources.found.get(report)
        if src is None:
            rows.append([title, report_link(report), "saknas", "–",
                         f"Bygg den med {build_command(sources.kommun, report)}"])
            continue
        remark = (f"Byggd med lagesbild {src.version}, den här rapporten med {version}."
                  if version and src.version and src.version != version else "")
        rows.append([title, src.link, built_text(src.generated), "ja" if src.example else "nej", remark or "–"])
    return pd.DataFrame(rows, columns=["Rapport", "Fil", "Byggd", "Exempeldata", "Anmärkning"])


def example_text(sources: Sources, trygghet_example: bool = False) -> str | None:
    """The EXEMPELDATA note: which parts of the summary rest on invented example data (None: none).

    Examples
    --------
    >>> import tempfile
    >>> print(example_text(load_sources(tempfile.mkdtemp(), "2080"), trygghet_example=True))
    Delar av lägesbilden bygger på påhittade exempeldata, inte på verkliga uppgifter: Polisens trygghetsmätning. Siffrorna där beskriver inte verkligheten i kommunen; de visar hur rapporten ser ut när kommunen har egna uppgifter.
    """
    parts = [SOURCE_REPORTS[r] for r in sources.example_reports]
    if trygghet_example:
        parts.append("Polisens trygghetsmätning")
    if not parts:
        return None
    return ("Delar av lägesbilden bygger på påhittade exempeldata, inte på verkliga uppgifter: " + ", ".join(parts)
            + ". Siffrorna där beskriver inte verkligheten i kommunen; de visar hur rapporten ser ut när kommunen har "
            "egna uppgifter.")


# ============================================================================================
# 1. Kartläggning
# ============================================================================================


def _ratio_pct(ratio: float | None) -> str:
    return "–" if ratio is None else fmt.percent(100 * (ratio - 1), 0, signed=True)


def _change_text(rec: Mapping) -> str:
    c = rec.get("change")
    if not c:
        return "kan inte prövas" if rec.get("change_reason") else "–"
    if c.get("too_few"):
        return "för få fall för att bedöma"
    word = ("tydlig ökning" if (c["rate_ratio"] or 0) > 1 else "tydlig minskning") if c["detectable"] \
        else "ingen tydlig förändring"
    return f"{_ratio_pct(c.get('rate_ratio'))} ({word})"


def _trend_text(rec: Mapping) -> str:
    t = rec.get("trend")
    if not t:
        return "–"
    if t.get("too_few"):
        return "för få fall för att bedöma"
    pct = t.get("annual_change_pct")
    head = "–" if pct is None else f"{fmt.percent(pct, 1, signed=True)} per år"
    word = ("tydligt uppåt" if (pct or 0) > 0 else "tydligt nedåt") if t["detectable"] else "ingen tydlig trend"
    return f"{head} ({word})"


#: The crime table's "Underlag" words of the category sets (short: the table is wide).
SHORT_SET_WORDS = {"sol": "statistikdatabasen", "kommunindikatorer": "kommunindikator", "övrigt": "egen fil"}
#: The "Underlag" words of the category sets (:mod:`lagesbild.sources.categories`).
SET_WORDS = {"sol": "Brå, statistikdatabasen", "kommunindikatorer": "Brå, kommunindikatorer",
             "övrigt": "egen eller hämtad fil", "ntu": "NTU"}


def _year_text(rec: Mapping) -> str:
    return f"{rec['year']}" + (" (prel.)" if rec.get("preliminary") else "")


def crime_table(crime: Mapping) -> pd.DataFrame:
    """The crime picture as a table: every category's latest level, change and trend.

    Parameters
    ----------
    crime : dict
        The key figures of ``crime_trends`` (:meth:`Sources.figures`).

    Returns
    -------
    pandas.DataFrame
        Columns ``Kategori``, ``Underlag`` (Brå's statistics database, its kommunindikatorer, or an own or
        fetched file; only when there are several), ``År`` (with "(prel.)" for a possibly preliminary
        year), ``Antal``, ``Per 100 000 invånare``, ``Länet``, ``Riket`` (rates rounded to whole numbers, as
        in the report), ``Förändring från året före``, ``Trend``.

    Examples
    --------
    >>> crime = {"indicators": [{"indicator": "Bilbrott", "set": "kommunindikatorer", "year": 2024, "count": 150,
    ...     "rate": 250.4, "rate_lan": 226.0, "rate_riket": 383.0,
    ...     "change": {"rate_ratio": 0.738, "detectable": True, "too_few": False},
    ...     "trend": {"annual_change_pct": 5.84, "detectable": False, "too_few": False}}]}
    >>> crime_table(crime).values.tolist()[0]
    ['Bilbrott', '2024', 150, 250.0, 226.0, 383.0, '−26\xa0% (tydlig minskning)', '+5,8\xa0% per år (ingen tydlig trend)']
    """
    def rate(x):
        return None if x is None else float(round(x))

    recs = crime.get("indicators", [])
    rows = [[r["indicator"], SHORT_SET_WORDS.get(r.get("set") or "", "Brå"), _year_text(r), r["count"], rate(r["rate"]),
             rate(r.get("rate_lan")), rate(r.get("rate_riket")), _change_text(r), _trend_text(r)] for r in recs]
    out = pd.DataFrame(rows, columns=["Kategori", "Underlag", "År", "Antal", "Per 100 000 invånare", "Länet", "Riket",
                                      "Förändring från året före", "Trend"])
    if len({r.get("set") for r in recs}) <= 1:  # one set: the caption's source says which
        out = out.drop(columns="Underlag")
    return out


_join = fmt.join


def _by_name(crime: Mapping | None, indicator: str) -> dict | None:
    for rec in (crime or {}).get("indicators", []):
        if rec["indicator"] == indicator:
            return rec
    return None


def crime_points(crime: Mapping, name: str, lan: str) -> list[str]:
    """The crime picture in a few sentences: total level, clear changes and trends, focus areas.

    Parameters
    ----------
    crime : dict
        Key figures of ``crime_trends``.
    name, lan : str
        The kommun's and the län's names.

    Returns
    -------
    list of str

    Examples
    --------
    >>> crime = {"bra_available": True, "indicators": [{"indicator": "Totalt antal anmälda brott", "year": 2024,
    ...     "count": 4697, "rate": 7833.0, "rate_lan": 8750.0, "rate_riket": 14090.0, "previous_year": 2023,
    ...     "change": {"rate_ratio": 0.93, "detectable": True, "too_few": False}}],
    ...     "detectable_increases": ["Bilbrott"], "detectable_decreases": [], "focus_areas": {}}
    >>> for p in crime_points(crime, "Falun", "Dalarnas län"): print(p.replace("\\xa0", " "))
    År 2024 anmäldes 4 697 brott i Falun, 7 833 per 100 000 invånare (Dalarnas län: 8 750, riket: 14 090). Avsnitt 3 prövar om skillnaderna är tydliga.
    Jämfört med 2023 är det en tydlig minskning (−7 %).
    Tydlig ökning från året före: Bilbrott.
    Kommunen har inte angett några fokusområden (focus_areas i kommunens parameterfil).

    With fetched data: counts derived from rates, and the kommun's place in its SKR kommungrupp:

    >>> crime |= {"derived_count_years": [2025], "kommungrupp": "Större stad", "kommungrupp_comparison": [
    ...     {"indicator": "Totalt antal anmälda brott", "year": 2025, "n": 24, "rank": 5, "median": 9100.0, "position": "låg"}]}
    >>> for p in crime_points(crime, "Falun", "Dalarnas län")[2:4]: print(p.replace("\\xa0", " "))
    Antalen för 2025 är härledda ur Brås tal per 100 000 invånare och folkmängden (källan anger bara talen per invånare för de åren).
    I kommungruppen Större stad (SKR) ligger Falun bland den fjärdedel av gruppen som har lägst tal: plats 5 av 24 (1 = lägst) för anmälda brott per 100 000 invånare 2025, gruppens median 9 100.
    """
    if not crime.get("bra_available"):
        return [f"Brås statistik över anmälda brott finns inte för {name} i den data rapporterna byggdes på, så "
                "brottsnivåer och förändringar kan inte visas. Lägg Brås export för kommunen i data/local/crime/ "
                "(format i data/raw/README.md) och bygg rapporterna igen."]
    out = []
    total = _by_name(crime, TOTAL_CRIME)
    if total is not None:
        lan_word = f"{fmt.genitive(lan)} kommuner" if total.get("basis_lan") == "summa" else lan
        riket_word = "alla kommuner" if total.get("basis_riket") == "summa" else "riket"
        out.append(f"År {_year_text(total)} anmäldes {fmt.number(total['count'])} brott i {name}, "
                   f"{fmt.number(total['rate'])} per 100 000 invånare ({lan_word}: {fmt.number(total.get('rate_lan'))}, "
                   f"{riket_word}: {fmt.number(total.get('rate_riket'))}). Avsnitt 3 prövar om skillnaderna är tydliga.")
        zone = (total.get("dispersion") or {}).get("zone")
        if zone:
            from lagesbild.crime.text import ZONE_WORDS

            out.append(f"I trattdiagrammet över alla kommuner ligger {name} {ZONE_WORDS[zone]} kring rikets tal"
                       + (": skillnaden är inte större än vad kommuner av samma storlek brukar skilja sig."
                          if zone == "inside" else f": tydligt {'högre' if zone.startswith('high') else 'lägre'} än "
                          "kommuner av samma storlek brukar ligga."))
        c = total.get("change")
        if c and not c.get("too_few") and total.get("previous_year"):
            what = (("en tydlig ökning" if c["rate_ratio"] > 1 else "en tydlig minskning") if c["detectable"]
                    else "ingen tydlig förändring")
            out.append(f"Jämfört med {total['previous_year']} är det {what} ({_ratio_pct(c.get('rate_ratio'))}).")
        if crime.get("derived_count_years"):
            out.append(f"Antalen för {fmt.year_list(crime['derived_count_years'])} är härledda ur Brås tal per 100 000 "
                       "invånare och folkmängden (källan anger bara talen per invånare för de åren).")
        if crime.get("preliminary_years"):
            out.append(f"Siffrorna för {fmt.year_list(crime['preliminary_years'])} kan vara Brås preliminära och kan "
                       "ändras något när Brå publicerar de slutliga i mars.")
    group = next((r for r in crime.get("kommungrupp_comparison") or [] if r.get("indicator") == TOTAL_CRIME), None)
    if group is not None and crime.get("kommungrupp"):
        where = {"låg": "bland den fjärdedel av gruppen som har lägst tal", "hög": "bland den fjärdedel som har högst",
                 "mitten": "i gruppens mittersta hälft"}[group["position"]]
        out.append(f"I kommungruppen {crime['kommungrupp']} (SKR) ligger {name} {where}: plats {group['rank']} av "
                   f"{group['n']} (1 = lägst) för anmälda brott per 100 000 invånare {group['year']}, gruppens median "
                   f"{fmt.number(group['median'])}.")
    if crime.get("detectable_increases"):
        out.append("Tydlig ökning från året före: " + _join(crime["detectable_increases"]) + ".")
    if crime.get("detectable_decreases"):
        out.append("Tydlig minskning från året före: " + _join(crime["detectable_decreases"]) + ".")
    up = [r["indicator"] for r in crime.get("indicators", [])
          if r.get("trend") and r["trend"]["detectable"] and (r["trend"].get("annual_change_pct") or 0) > 0]
    down = [r["indicator"] for r in crime.get("indicators", [])
            if r.get("trend") and r["trend"]["detectable"] and (r["trend"].get("annual_change_pct") or 0) < 0]
    if up:
        out.append("Tydligt uppåtgående trend över flera år: " + _join(up) + ".")
    if down:
        out.append("Tydligt nedåtgående trend över flera år: " + _join(down) + ".")
    out.append(focus_text(crime))
    return out


def focus_text(crime: Mapping) -> str:
    """The kommun's focus areas and the Brå categories each matched (directly, or the broader SOL category).

    Examples
    --------
    >>> focus_text({"focus_areas": {"Våld i offentlig miljö": ["A", "B"], "Klotter": []}})
    'Kommunens fokusområden: Våld i offentlig miljö (2 kategorier i Brås statistik) och Klotter (ingen motsvarande kategori i Brås statistik).'
    >>> focus_text({"focus_areas": {"Våld": ["Brott mot person"]}, "focus_broader": {"Våld": ["Brott mot person"]}})
    'Kommunens fokusområden: Våld (följs med den bredare kategorin Brott mot person).'
    """
    focus = crime.get("focus_areas") or {}
    broader = crime.get("focus_broader") or {}
    if not focus:
        return "Kommunen har inte angett några fokusområden (focus_areas i kommunens parameterfil)."
    parts = []
    for area, matches in focus.items():
        wide = [m for m in broader.get(area, []) if m in matches]
        direct = [m for m in matches if m not in wide]
        bits = []
        if direct:
            bits.append(f"{len(direct)} {'kategori' if len(direct) == 1 else 'kategorier'} i Brås statistik")
        if wide:
            bits.append(f"följs med den bredare kategorin {_join(wide)}" if not direct
                        else f"och den bredare {_join(wide)}")
        parts.append(f"{area} ({' '.join(bits)})" if bits else f"{area} (ingen motsvarande kategori i Brås statistik)")
    return "Kommunens fokusområden: " + _join(parts) + "."


def place_points(places: Mapping, name: str) -> list[str]:
    """The places that stand out, in a few sentences (from the place assessment's key figures).

    Examples
    --------
    >>> p = {"place_data": True, "example_data": False, "places": 8, "places_assessed": 6, "period": ["2024-01", "2025-12"],
    ...      "hot_spot_places": ["Torget"], "priority": ["Torget", "Parken", "Stråket", "Tunneln"], "gini": 0.846}
    >>> for t in place_points(p, "Ort"): print(t)
    8 platser i registret, 6 bedömda vid besiktning eller trygghetsvandring; händelser januari 2024–december 2025.
    Platser vid statistiskt säkerställda hot spots (Getis-Ord Gi*): Torget.
    Högst prioriterade platser: Torget, Parken och Stråket.
    Händelserna är koncentrerade: Ginikoefficienten är 0,85 (0 är jämnt fördelat, 1 är allt i en ruta).
    >>> place_points({"place_data": False}, "Falun")[0][:42]
    'Falun har ingen platsdata i underlaget: in'
    """
    if not places.get("place_data"):
        return [f"{name} har ingen platsdata i underlaget: inga platser är bedömda och inga händelser från samverkan "
                "eller invånarnas rapporter är analyserade. Kommunen samlar in dem med mallarna i data/templates/ "
                "(platser, besiktningar, händelselogg, medborgarrapporter)."]
    period = places.get("period")
    when = ""
    if period:
        start, end = (dt.date.fromisoformat(f"{p}-01") for p in period)
        when = f"; händelser {fmt.month(start)}–{fmt.month(end)}"
    out = [f"{fmt.number(places['places'])} platser i registret, {fmt.number(places['places_assessed'])} bedömda vid "
           f"besiktning eller trygghetsvandring{when}."]
    hot = places.get("hot_spot_places") or []
    out.append("Platser vid statistiskt säkerställda hot spots (Getis-Ord Gi*): " + _join(hot) + "." if hot
               else "Ingen plats ligger vid en statistiskt säkerställd hot spot.")
    if places.get("priority"):
        out.append("Högst prioriterade platser: " + _join(places["priority"][:3]) + ".")
    if places.get("gini") is not None:
        out.append(f"Händelserna är koncentrerade: Ginikoefficienten är {fmt.number(places['gini'], 2)} (0 är jämnt "
                   "fördelat, 1 är allt i en ruta).")
    return out


#: The source line of Polisen's utsatta områden.
USO_SOURCE = "Polismyndigheten, utsatta områden 2025"


def utsatta_omraden_text(areas, name: str) -> str:
    """What Polisen's list of utsatta områden says about the kommun, in one or two sentences.

    Parameters
    ----------
    areas : pandas.DataFrame
        The kommun's rows of the processed ``utsatta_omraden`` (``name, class``).
    name : str
        The kommun's name.

    Examples
    --------
    >>> a = pd.DataFrame({"name": ["Söder", "Dalhem"], "class": ["utsatt", "utsatt"]})
    >>> print(utsatta_omraden_text(a, "Helsingborg"))
    Polisen räknar 2 områden i Helsingborg som utsatta (Dalhem och Söder) i sin lista från 2025. Ett utsatt område har låg socioekonomisk status och kriminella som påverkar lokalsamhället; i ett särskilt utsatt område är det svårt eller nästan omöjligt för polisen att fullgöra sitt uppdrag.
    >>> utsatta_omraden_text(a.head(0), "Falun")
    'Falun har inget område på Polisens lista över utsatta och särskilt utsatta områden (2025).'
    """
    if areas is None or not len(areas):
        return f"{name} har inget område på Polisens lista över utsatta och särskilt utsatta områden (2025)."
    parts = []
    for cls, one, many in (("sarskilt", "särskilt utsatt", "särskilt utsatta"), ("utsatt", "utsatt", "utsatta")):
        found = sorted(areas.loc[areas["class"] == cls, "name"].astype(str))
        if found:
            parts.append(f"{len(found)} {'område' if len(found) == 1 else 'områden'} i {name} som "
                         f"{one if len(found) == 1 else many} ({_join(found)})")
    text = "Polisen räknar " + " och ".join(p if i == 0 else p.replace(f" i {name} som", " som") for i, p in enumerate(parts))
    return (text + " i sin lista från 2025. Ett utsatt område har låg socioekonomisk status och kriminella som påverkar "
            "lokalsamhället; i ett särskilt utsatt område är det svårt eller nästan omöjligt för polisen att fullgöra "
            "sitt uppdrag.")


def utsatta_omraden_table(areas) -> pd.DataFrame:
    """The kommun's utsatta områden as a table: name, class, town, police region and area.

    Examples
    --------
    >>> a = pd.DataFrame({"name": ["Söder"], "class": ["utsatt"], "ort": ["Helsingborg"], "polisregion": ["Syd"],
    ...                   "area_ha": [210.9]})
    >>> utsatta_omraden_table(a).values.tolist()
    [['Söder', 'utsatt område', 'Helsingborg', 'Syd', '211']]
    """
    from lagesbild.sources.public import USO_CLASSES

    order = {"sarskilt": 0, "utsatt": 1}
    rows = areas.assign(_o=areas["class"].map(order)).sort_values(["_o", "name"])
    return pd.DataFrame({"Område": rows["name"].astype(str), "Klass": rows["class"].map(USO_CLASSES),
                         "Ort": rows["ort"].astype(str), "Polisregion": rows["polisregion"].astype(str),
                         "Yta (hektar)": rows["area_ha"].map(fmt.number)}).reset_index(drop=True)


def wastewater_table(wastewater: Mapping) -> pd.DataFrame:
    """The latest wastewater load per substance with its European percentile.

    Examples
    --------
    >>> w = {"latest": [{"substance": "Amfetamin", "year": 2025, "daily_mean": 256.4, "percentile_europe": 91.2}]}
    >>> wastewater_table(w).values.tolist()[0]
    ['Amfetamin', '2025', 256.4, 91.2]
    """
    rows = [[r["substance"], str(r["year"]), r["daily_mean"], r.get("percentile_europe")]
            for r in wastewater.get("latest", [])]
    return pd.DataFrame(rows, columns=["Substans", "År", "mg per dag och 1 000 invånare", "Percentil i Europa"])


def narcotics_points(wastewater: Mapping | None, crime: Mapping | None, name: str, lan: str) -> list[str]:
    """The narcotics picture: reported narcotics crime (Brå) and narcotics in the wastewater.

    Either source may be None (its report is missing); the sentences then use the other.

    Examples
    --------
    >>> w = {"own_measurements": False, "example_data": False, "euda_sites": ["SE009"], "latest": [
    ...     {"substance": "Amfetamin", "year": 2024, "daily_mean": 279.39, "percentile_europe": 93.2}]}
    >>> for t in narcotics_points(w, None, "Trollhättan", "Västra Götalands län"): print(t.replace("\\xa0", " "))
    Trollhättan ingår i EUDA:s europeiska studie av avloppsvatten.
    Amfetamin 2024: 279,4 mg per dag och 1 000 invånare, percentil 93 bland de europeiska mätplatserna (93 % av dem har samma eller lägre belastning).
    """
    out = []
    for category, what in (("Narkotikabrott + vapenlagsbrott", "Anmälda narkotika- och vapenlagsbrott"),
                           ("Narkotikabrott", "Anmälda narkotikabrott (kommunindikatorn)")):
        narc = _by_name(crime, category)
        if narc is None or narc.get("rate") is None:
            continue
        lan_word = f"{fmt.genitive(lan)} kommuner" if narc.get("basis_lan") == "summa" else lan
        riket_word = "alla kommuner" if narc.get("basis_riket") == "summa" else "riket"
        out.append(f"{what} {_year_text(narc)}: {fmt.number(narc['rate'])} per 100 000 invånare ({lan_word}: "
                   f"{fmt.number(narc.get('rate_lan'))}, {riket_word}: {fmt.number(narc.get('rate_riket'))}).")
    if out:
        out.append("Antalet anmälda narkotikabrott speglar till stor del polisens kontroller, inte bara hur mycket "
                   "narkotika som används.")
    if wastewater is None:
        return out
    if wastewater.get("own_measurements"):
        out.append(f"{name} mäter narkotika i avloppsvattnet"
                   + (" (i underlaget: påhittade exempeldata)." if wastewater.get("example_data") else "."))
    elif wastewater.get("euda_sites"):
        out.append(f"{name} ingår i EUDA:s europeiska studie av avloppsvatten.")
    if not wastewater.get("latest"):
        out.append(f"{name} har inga mätningar av narkotika i avloppsvatten i underlaget. Rapporten Narkotika i "
                   "avloppsvatten visar de närmaste mätplatserna och läget i landet.")
    for r in wastewater.get("latest", []):
        pct = r.get("percentile_europe")
        where = ("" if pct is None else f", percentil {fmt.number(pct)} bland de europeiska mätplatserna "
                 f"({fmt.percent(pct)} av dem har samma eller lägre belastning)")
        out.append(f"{r['substance']} {r['year']}: {fmt.number(r['daily_mean'], 1)} mg per dag och 1 000 invånare"
                   f"{where}.")
    return out


# ============================================================================================
# 2. Annan information
# ============================================================================================


def _share_text(share: float, low: float, high: float) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    text = f"{fmt.number(share, 1)}\u00a0%"
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return text
    return f"{text} ({fmt.number(low, 1)}–{fmt.number(high, 1)})"


def ntu_table(latest: pd.DataFrame) -> pd.DataFrame:
    """NTU's latest results for the kommun beside the län and riket, with 95 % intervals, by theme.

    Parameters
    ----------
    latest : pandas.DataFrame
        :func:`lagesbild.sources.ntu.latest`.

    Returns
    -------
    pandas.DataFrame
        Columns ``Indikator``, ``Tema``, ``Avser år``, ``Kommunen``, ``Länet``, ``Riket``,
        ``Svarande i kommunen``; a share as "19,0 % (15,0–23,0)".

    Examples
    --------
    >>> nan = float("nan")
    >>> latest = pd.DataFrame([{"theme_label": "Otrygghet", "label": "Otrygg ute sent", "year": 2025, "survey_year": 2025,
    ...     "share": 19.0, "ci_low": 15.0, "ci_high": 23.0, "respondents": 465.0, "share_lan": 21.2, "ci_low_lan": 19.3,
    ...     "ci_high_lan": 23.2, "share_riket": nan, "ci_low_riket": nan, "ci_high_riket": nan}])
    >>> ntu_table(latest).values.tolist()[0]
    ['Otrygg ute sent', 'Otrygghet', '2025', '19,0\\xa0% (15,0–23,0)', '21,2\\xa0% (19,3–23,2)', '–', 465]
    """
    rows = []
    for r in latest.itertuples():
        rows.append([r.label, r.theme_label, str(int(r.year)), _share_text(r.share, r.ci_low, r.ci_high),
                     _share_text(r.share_lan, r.ci_low_lan, r.ci_high_lan),
                     _share_text(r.share_riket, r.ci_low_riket, r.ci_high_riket),
                     None if math.isnan(r.respondents) else int(r.respondents)])
    return pd.DataFrame(rows, columns=["Indikator", "Tema", "Avser år", "Kommunen", "Länet", "Riket",
                                       "Svarande i kommunen"])


def ntu_note(latest: pd.DataFrame) -> str:
    """How to read NTU's years and intervals (victimisation refers to the year before the survey).

    Examples
    --------
    >>> latest = pd.DataFrame({"theme": ["utsatthet", "oro"], "year": [2024, 2025], "survey_year": [2025, 2025]})
    >>> print(ntu_note(latest))
    Frågorna om utsatthet för brott gäller året före undersökningen: NTU 2025 frågar om 2024. Kolumnen Avser år anger det år siffran gäller; övriga frågor gäller undersökningsåret. Inom parentes står 95 % konfidensintervall: NTU är en urvalsundersökning, och i en kommun svarar några hundra personer.
    >>> latest["share"], latest["ci_low"] = [5.0, 6.0], [4.0, float("nan")]  # a share fetched from Kolada
    >>> print(ntu_note(latest).split("personer. ")[1])
    Andelar utan intervall är hämtade från Kolada, som publicerar Brås andel utan konfidensintervall; de kan inte prövas mot länet och riket och får därför ingen färg bland nyckeltalen.
    """
    victim = latest[latest["theme"] == "utsatthet"]
    years = ""
    if len(victim):
        r = victim.sort_values("survey_year").iloc[-1]
        years = f": NTU {int(r['survey_year'])} frågar om {int(r['year'])}"
    text = ("Frågorna om utsatthet för brott gäller året före undersökningen" + years + ". Kolumnen Avser år anger "
            "det år siffran gäller; övriga frågor gäller undersökningsåret. Inom parentes står 95 % konfidensintervall: "
            "NTU är en urvalsundersökning, och i en kommun svarar några hundra personer.")
    if ntu_without_interval(latest):
        text += (" Andelar utan intervall är hämtade från Kolada, som publicerar Brås andel utan konfidensintervall; "
                 "de kan inte prövas mot länet och riket och får därför ingen färg bland nyckeltalen.")
    return text


def ntu_without_interval(latest: pd.DataFrame) -> bool:
    """Whether any share in the table (kommun, län or riket) comes without its interval (fetched from Kolada).

    Examples
    --------
    >>> nan = float("nan")
    >>> ntu_without_interval(pd.DataFrame({"share": [5.0], "ci_low": [3.0], "share_lan": [4.0], "ci_low_lan": [nan]}))
    True
    >>> ntu_without_interval(pd.DataFrame({"share": [nan], "ci_low": [nan]}))
    False
    """
    for suffix in ("", "_lan", "_riket"):
        share, low = f"share{suffix}", f"ci_low{suffix}"
        if share in latest and low in latest and (latest[share].notna() & latest[low].isna()).any():
            return True
    return False


def trygghet_levels(results: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The questions for which the police's report states a problem level, in one year (default the latest).

    Parameters
    ----------
    results : pandas.DataFrame
        :func:`lagesbild.summary.surveys.load_trygghet` rows of one kommun.
    year : int, optional

    Returns
    -------
    pandas.DataFrame
        Columns ``Område``, ``Fråga``, ``Problemindex (0–6)``, ``Problemnivå enligt polisen``; large
        problems first, then by index (highest first). Empty when no level is stated.

    Examples
    --------
    >>> r = pd.DataFrame({"omrade": ["A", "A", "B"], "year": 2024, "question": ["Klotter", "Nedskräpning", "Klotter"],
    ...                   "is_total": False, "index": [2.1, 3.1, 1.0], "level": ["vissa problem", "stora problem", ""]})
    >>> trygghet_levels(r).values.tolist()
    [['A', 'Nedskräpning', 3.1, 'stora problem'], ['A', 'Klotter', 2.1, 'vissa problem']]
    """
    columns = ["Område", "Fråga", "Problemindex (0–6)", "Problemnivå enligt polisen"]
    if results.empty:
        return pd.DataFrame(columns=columns)
    year = int(results["year"].max()) if year is None else int(year)
    rows = results[(results["year"] == year) & (results["level"] != "")].copy()
    order = {"stora problem": 0, "vissa problem": 1, "små problem": 2}
    rows = rows.assign(_o=rows["level"].map(order)).sort_values(["_o", "index"], ascending=[True, False], kind="stable")
    out = rows[["omrade", "question", "index", "level"]].astype({"index": float})
    out.columns = columns
    return out.reset_index(drop=True)


def trygghet_template_text() -> str:
    """What a kommun fills in to bring Polisens trygghetsmätning into the summary.

    Examples
    --------
    >>> "data/templates/trygghetsmatning" in trygghet_template_text()
    True
    """
    from lagesbild.summary import surveys as trygghet

    return ("Polisens trygghetsmätning redovisar per område ett problemindex för varje fråga och ett totalindex. "
            + trygghet.INDEX_RULE + " Kommunen skriver av resultaten ur polisens rapport i mallen "
            "data/templates/trygghetsmatning/trygghetsmatning.csv (eller .xlsx): en rad per område, år och fråga, med "
            "index, intervall och den problemnivå (små, vissa eller stora problem) som rapporten anger. Mappen anges med "
            "parametern trygghet_data (reports: lagesbild: trygghet_data i kommunens parameterfil).")


def citizen_reports_text(places: Mapping, name: str) -> str:
    """What the underlag holds on citizens' reports of unsafe places (they are part of the place data).

    Examples
    --------
    >>> citizen_reports_text({"place_data": False}, "Falun")[:58]
    'Underlaget har inga medborgarrapporter för Falun. De samla'
    >>> citizen_reports_text({"place_data": True, "citizen_reports": 120}, "Ort").replace("\\xa0", " ")[:60]
    'Invånarnas rapporter om otrygga platser (medborgarrapporter,'
    """
    if not places.get("place_data"):
        return (f"Underlaget har inga medborgarrapporter för {name}. De samlas in med mallen "
                "data/templates/medborgarrapporter.csv (till exempel ur en trygghetsapp eller kommunens felanmälan) och "
                "analyseras i platsbedömningen tillsammans med händelseloggen.")
    count = places.get("citizen_reports")
    many = f", {fmt.number(count)} i underlaget" if isinstance(count, int) and not isinstance(count, bool) else ""
    example = " Platsdata i underlaget är påhittade exempeldata." if places.get("example_data") else ""
    return (f"Invånarnas rapporter om otrygga platser (medborgarrapporter{many}) analyseras i platsbedömningen "
            f"tillsammans med händelseloggen från samverkan; se rapporten Platsbedömning.{example}")


def police_events_text(crime: Mapping, name: str) -> str:
    """The polisen.se events placed in the kommun over the last twelve months, with what they are.

    Examples
    --------
    >>> police_events_text({"events_last_12_months": 129, "events_period_end": "2025-12"}, "Falun")[:100]
    'Polisen publicerade 129 händelser placerade i Falun på polisen.se under tolv månader till och med de'
    """
    n, end = crime.get("events_last_12_months"), crime.get("events_period_end")
    if n is None or not end:
        return (f"Polisens händelsearkiv anger inte kommun för händelserna i underlaget, så händelserna i {name} kan "
                "inte följas.")
    month = fmt.month(dt.date.fromisoformat(f"{end}-01"))
    return (f"Polisen publicerade {fmt.number(n)} händelser placerade i {name} på polisen.se under tolv månader till "
            f"och med {month}. Händelserna är polisens pressmeddelanden, inte brottsstatistik: många är inte brott, och "
            "urvalet är polisens.")


# ============================================================================================
# 3. Analys: key indicators
# ============================================================================================


def light_text(light) -> str:
    """A traffic light as table text: symbol, word and, for a clear difference, better or worse.

    The colour (:attr:`lagesbild.stats.indicators.Light.colour`) never carries the meaning alone: the
    symbol gives the direction and the word what it means.

    Examples
    --------
    >>> from lagesbild.stats.indicators import rate_light
    >>> light_text(rate_light(341, 59_930, ref_rate=1233, tau2=0.01, comparison="riket"))
    '▼ Lägre (bättre)'
    >>> light_text(rate_light(None, 59_930, ref_rate=1233, tau2=0.01))
    '– Uppgift saknas'
    """
    text = f"{light.symbol} {light.word}"
    return f"{text} ({light.assessment})" if light.assessment else text


def key_indicator_display(table: pd.DataFrame) -> pd.DataFrame:
    """The key-indicator table for the report: values and both traffic lights as text.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`lagesbild.stats.indicators.indicator_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``Nyckeltal``, ``Underlag``, ``År``, ``Kommunen``, ``Länet``, ``Riket``,
        ``Jämfört med länet``, ``Jämfört med riket``; rates as whole numbers per 100 000 invånare,
        shares in % with one decimal.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "set": "kommunindikatorer", "year": 2024, "count": 150,
    ...     "rate": 250.0, "rate_lan": 226.0, "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> key_indicator_display(t).values.tolist()[0]
    ['Bilbrott', 'Anmälda brott per 100 000 invånare (Brå, kommunindikatorer)', '2024', '250', '226', '383', '○ Ingen tydlig skillnad', '▼ Lägre (bättre)']
    """
    columns = ["Nyckeltal", "Underlag", "År", "Kommunen", "Länet", "Riket", "Jämfört med länet", "Jämfört med riket"]
    rows = []
    for r in table.itertuples():
        crime = r.source == "Anmälda brott"

        def value(v, crime=crime) -> str:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return "–"
            return fmt.number(v) if crime else f"{fmt.number(v, 1)}\u00a0%"

        where = SET_WORDS.get(getattr(r, "set", "") or "", "Brå")
        what = f"Anmälda brott per 100 000 invånare ({where})" if crime else f"NTU, andel i procent ({r.theme})"
        year = "–" if r.year is None else str(int(r.year)) + (" (prel.)" if getattr(r, "preliminary", False) else "")
        rows.append([r.indicator, what, year, value(r.value), value(r.value_lan),
                     value(r.value_riket), light_text(r.lan), light_text(r.riket)])
    return pd.DataFrame(rows, columns=columns)


def key_indicator_classes(table: pd.DataFrame) -> dict[str, list[str | None]]:
    """The traffic light's cell colours for :func:`key_indicator_display`'s two comparison columns.

    Only a clear difference gets a colour ("sämre" or "bättre", :data:`lagesbild.render.report.CELL_CLASSES`);
    "ingen tydlig skillnad" and "saknas" get none. Pass it as ``report.table(..., cell_classes=...)``.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...     "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> key_indicator_classes(t)
    {'Jämfört med länet': [None], 'Jämfört med riket': ['bättre']}
    """
    return {"Jämfört med länet": [light.assessment for light in table["lan"]] if len(table) else [],
            "Jämfört med riket": [light.assessment for light in table["riket"]] if len(table) else []}


def method_text(table: pd.DataFrame, alpha: float) -> str:
    """How the traffic light was decided, in Swedish: the tests actually used, the level, the symbols.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...                       "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> "trattdiagrammets regel" in method_text(t, 0.05), "p < 0,05" in method_text(t, 0.05)
    (True, True)
    """
    methods = []
    for col in ("lan", "riket"):
        for light in table[col] if len(table) else []:
            if light.method and light.method not in methods:
                methods.append(light.method)
    used = ("Metoder: " + "; ".join(methods) + ".") if methods else ""
    crime = len(table) and (table["source"] == "Anmälda brott").any()
    summed = ("För Brås kategorier för alla kommuner är länet summan av länets kommuner och riket summan av alla "
              "kommuner (Brås eget rikstal räknar också brott som inte kan föras till någon kommun). Anmälda brott "
              "skiljer sig mycket mer mellan kommuner än slumpen ger, så en skillnad kallas tydlig först när den är "
              "större än kommuner brukar skilja sig, samma regel som trattdiagrammet i rapporten Brottsutvecklingen. "
              if crime else "")
    return (f"Ett nyckeltal jämförs med länet och riket med ett statistiskt test, och bara en skillnad med p < "
            f"{fmt.number(alpha, 2)} kallas tydlig och markeras: ▲ tydligt högre, ▼ tydligt lägre, ○ ingen tydlig "
            "skillnad, – uppgift saknas. Inom parentes står om skillnaden är bättre eller sämre, och bara en tydlig "
            "skillnad får färg (orange för sämre, blå för bättre); för alla nyckeltal här är ett högre värde sämre. "
            + summed + used)


def key_indicator_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many key indicators are clearly worse or better than the län or riket.

    Returns
    -------
    dict
        ``indicators`` (rows), ``worse`` (clearly worse than the län or riket), ``better`` (clearly
        better than both or than one without being worse than the other), ``missing`` (no
        comparison at all).

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...     "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> key_indicator_counts(t)
    {'indicators': 1, 'worse': 0, 'better': 1, 'missing': 0}
    """
    worse = better = missing = 0
    for lan, riket in zip(table["lan"], table["riket"], strict=True) if len(table) else []:
        verdicts = {lan.assessment, riket.assessment}
        if "sämre" in verdicts:
            worse += 1
        elif "bättre" in verdicts:
            better += 1
        if lan.status == "saknas" and riket.status == "saknas":
            missing += 1
    return {"indicators": int(len(table)), "worse": worse, "better": better, "missing": missing}


# ============================================================================================
# 3. Analys: what stands out
# ============================================================================================

#: Signal kinds from strongest to weakest (the ranking's second key): name → Swedish short text.
SIGNALS: dict[str, str] = {
    "nivå": "tydligt högre nivå än i länet eller riket",
    "ökning": "tydlig ökning från året före",
    "trend": "tydligt uppåtgående trend",
    "hot spot": "platser vid säkerställda hot spots",
    "trygghetsmätning": "fler problem enligt polisens trygghetsmätning",
    "avloppsvatten": "hög belastning i avloppsvattnet jämfört med Europa",
    "fokus": "kommunens fokusområde",
}

#: At most this many problems are "the problems that stand out most".
MAX_PROBLEMS = 5
#: Fewer than this many candidates: the report says the data point out few problems.
MIN_PROBLEMS = 3
#: A substance at or above this percentile of the European sites is a signal.
WASTEWATER_PERCENTILE = 75.0

#: Columns of :func:`standout_problems`.
PROBLEM_COLUMNS: tuple[str, ...] = ("rank", "kind", "topic", "evidence", "signals", "n_signals", "tier", "strength",
                                    "reports", "example", "details")

#: Where each kind of topic comes from (report names; "" = this report's own data).
_KIND_REPORTS = {"brott": (CRIME_TRENDS.name,), "ntu": ("",), "platser": (PLACE_ASSESSMENT.name,),
                 "avloppsvatten": (WASTEWATER.name,), "trygghetsmätning": ("",)}


class _Topic:
    def __init__(self, kind: str, topic: str) -> None:
        self.kind, self.topic = kind, topic
        self.signals: dict[str, tuple[float, str]] = {}
        self.example = False
        self.details: dict[str, Any] = {}

    def add(self, signal: str, strength: float, text: str) -> None:
        if signal not in SIGNALS:
            raise ValueError(f"unknown signal {plain(signal)}")
        old = self.signals.get(signal)
        if old is None or strength < old[0]:
            self.signals[signal] = (strength, text)


def _num(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _level_signal(row, topic: _Topic) -> None:
    worse = [light for light in (row.lan, row.riket) if light.assessment == "sämre"]
    if not worse:
        return
    crime = row.source == "Anmälda brott"

    def v(x) -> str:
        return fmt.number(x) if crime else f"{fmt.number(x, 1)}\u00a0%"

    where = _join([light.comparison for light in worse])
    refs = [f"{light.comparison} {v(row.value_lan if light.comparison == 'länet' else row.value_riket)}"
            for light in worse]
    unit = " per 100 000 invånare" if crime else ""
    best = min(worse, key=lambda light: light.p_value)
    text = (f"tydligt högre än i {where} ({row.year}: {v(row.value)}{unit} mot {', '.join(refs)}; "
            f"{fmt.pvalue(best.p_value)})")
    topic.add("nivå", float(best.p_value), text)
    topic.details.update(year=int(row.year), value=_num(row.value), worse_than=[light.comparison for light in worse],
                         unit="rate" if crime else "share")


def standout_problems(key_indicators: pd.DataFrame | None, crime: Mapping | None = None,
                      places: Mapping | None = None, wastewater: Mapping | None = None,
                      areas: pd.DataFrame | None = None, *, areas_example: bool = False,
                      limit: int = MAX_PROBLEMS, percentile: float = WASTEWATER_PERCENTILE) -> pd.DataFrame:
    """The few problems that stand out most, each with its evidence and source report.

    The rule (the module docstring has it in full): every piece of evidence is a signal of a kind
    in :data:`SIGNALS` on a topic; topics are ranked by the number of different signals, then the
    strongest kind, then the strength within it (smallest p-value; most hot-spot places; highest
    percentile), then name; the first ``limit`` are kept. Clear decreases and better levels are never
    signals.

    Parameters
    ----------
    key_indicators : pandas.DataFrame or None
        :func:`lagesbild.stats.indicators.indicator_table` (``nivå`` signals of crime and NTU).
    crime : dict, optional
        Key figures of ``crime_trends`` (``ökning``, ``trend`` and ``fokus`` signals).
    places : dict, optional
        Key figures of ``place_assessment`` (``hot spot``).
    wastewater : dict, optional
        Key figures of ``wastewater`` (``avloppsvatten``: ``percentile_europe`` ≥ ``percentile``).
    areas : pandas.DataFrame, optional
        :func:`lagesbild.summary.surveys.area_summary` (``trygghetsmätning``: the latest year's areas with a
        clear increase or questions the police call "stora problem").
    areas_example : bool
        Whether ``areas`` are example data.
    limit : int, default 5
    percentile : float, default 75

    Returns
    -------
    pandas.DataFrame
        :data:`PROBLEM_COLUMNS`, at most ``limit`` rows, rank 1 first: ``kind`` ("brott", "ntu",
        "platser", "avloppsvatten", "trygghetsmätning"), ``topic``, ``evidence`` (Swedish),
        ``signals`` (tuple of signal names, strongest kind first), ``n_signals``, ``tier`` (1 =
        ``nivå`` … 7 = ``fokus``), ``strength`` (smaller = stronger within the tier), ``reports``
        (tuple of source report names; "" for this report's own survey data), ``example`` (rests on
        example data), ``details`` (dict: figures for the draft plan). ``attrs["candidates"]`` is the
        number of topics before the limit.

    Examples
    --------
    >>> crime = {"indicators": [
    ...     {"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "previous_year": 2023,
    ...      "previous_count": 100, "change": {"rate_ratio": 1.5, "p_value": 0.001, "detectable": True},
    ...      "trend": {"annual_change_pct": 6.0, "p_value": 0.01, "detectable": True}},
    ...     {"indicator": "Rån", "year": 2024, "count": 12, "rate": 20.0, "previous_year": 2023, "previous_count": 5,
    ...      "change": {"rate_ratio": 2.4, "p_value": 0.04, "detectable": True}}],
    ...     "focus_areas": {"Klotter": []}}
    >>> p = standout_problems(None, crime)
    >>> p[["rank", "topic", "signals"]].values.tolist()
    [[1, 'Bilbrott', ('ökning', 'trend')], [2, 'Rån', ('ökning',)], [3, 'Klotter', ('fokus',)]]
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {plain(limit)}")
    topics: dict[tuple[str, str], _Topic] = {}

    def topic(kind: str, name: str) -> _Topic:
        return topics.setdefault((kind, name), _Topic(kind, name))

    if key_indicators is not None:
        for row in key_indicators.itertuples():
            kind = "brott" if row.source == "Anmälda brott" else "ntu"
            t = topic(kind, str(row.indicator))
            _level_signal(row, t)
            if not t.signals:
                del topics[(kind, str(row.indicator))]
    for rec in (crime or {}).get("indicators", []):
        c, tr = rec.get("change"), rec.get("trend")
        if c and c["detectable"] and not c.get("too_few") and (c.get("rate_ratio") or 0) > 1:
            t = topic("brott", rec["indicator"])
            t.add("ökning", _num(c.get("p_value")) or 0.0,
                  f"tydlig ökning från {rec.get('previous_year')} till {rec['year']} "
                  f"({fmt.number(rec.get('previous_count'))} → {fmt.number(rec['count'])} anmälda brott, "
                  f"{_ratio_pct(c.get('rate_ratio'))})")
            t.details.update(year=rec["year"], rate=_num(rec.get("rate")), previous_year=rec.get("previous_year"),
                             previous_rate=_num(rec.get("previous_rate")))
        if tr and tr["detectable"] and not tr.get("too_few") and (tr.get("annual_change_pct") or 0) > 0:
            t = topic("brott", rec["indicator"])
            span = f" {tr['first_year']}–{tr['last_year']}" if tr.get("first_year") else ""
            t.add("trend", _num(tr.get("p_value")) or 0.0,
                  f"tydligt uppåtgående trend{span} ({fmt.percent(tr['annual_change_pct'], 1, signed=True)} per år)")
            t.details.update(year=rec["year"], rate=_num(rec.get("rate")))
    for area, matches in ((crime or {}).get("focus_areas") or {}).items():
        for name in matches or [area]:
            t = topic("brott", name)
            t.add("fokus", 0.0, f"kommunens fokusområde ({area})" if matches else
                  "kommunens fokusområde; ingen motsvarande kategori i Brås statistik i underlaget")
            rec = _by_name(crime, name)
            if rec is not None:
                t.details.setdefault("year", rec["year"])
                t.details.setdefault("rate", _num(rec.get("rate")))
    if places is not None and places.get("hot_spot_places"):
        hot = list(places["hot_spot_places"])
        t = topic("platser", "Platser med koncentrerade händelser")
        t.add("hot spot", -float(len(hot)),
              f"{len(hot)} {'plats ligger' if len(hot) == 1 else 'platser ligger'} vid statistiskt säkerställda hot "
              f"spots (Getis-Ord Gi*): {_join(hot)}")
        t.example = bool(places.get("example_data"))
        t.details.update(places=hot)
    for r in (wastewater or {}).get("latest", []):
        pct = _num(r.get("percentile_europe"))
        if pct is None or pct < percentile:
            continue
        t = topic("avloppsvatten", f"Narkotika i avloppsvattnet: {r['substance'].lower()}")
        t.add("avloppsvatten", -pct, f"percentil {fmt.number(pct)} bland de europeiska mätplatserna {r['year']} "
              f"({fmt.number(r['daily_mean'], 1)} mg per dag och 1 000 invånare)")
        t.example = bool(wastewater.get("example_data"))
        t.details.update(substance=r["substance"], year=r["year"], percentile=pct)
    if areas is not None and len(areas):
        from lagesbild.summary import surveys as trygghet

        latest = areas[areas["year"] == areas["year"].max()]
        for r in latest.itertuples():
            increase = r.change_status == trygghet.INCREASE
            if not increase and not r.n_large_problems:
                continue
            parts = []
            if increase:
                parts.append(f"problemindex ökade tydligt från {fmt.number(r.previous_index, 2)} "
                             f"({int(r.previous_year)}) till {fmt.number(r.index, 2)} ({int(r.year)})")
            if r.n_large_problems:
                parts.append(f"polisens rapport anger stora problem för {r.n_large_problems} "
                             f"{'fråga' if r.n_large_problems == 1 else 'frågor'}")
            t = topic("trygghetsmätning", f"{r.omrade} (polisens trygghetsmätning)")
            t.add("trygghetsmätning", float(r.change_p) if increase else 1.0 - r.n_large_problems / 100, "; ".join(parts))
            t.example = bool(areas_example)
            t.details.update(area=r.omrade, year=int(r.year), index=_num(r.index), top_question=r.top_question,
                             increase=increase)
    tiers = {s: i for i, s in enumerate(SIGNALS, start=1)}
    rows = []
    for t in topics.values():
        names = sorted(t.signals, key=tiers.get)
        best = names[0]
        evidence = "; ".join(t.signals[s][1] for s in names)
        evidence = evidence[:1].upper() + evidence[1:] + (" (exempeldata)" if t.example else "")
        rows.append({"kind": t.kind, "topic": t.topic, "evidence": evidence, "signals": tuple(names),
                     "n_signals": len(names), "tier": tiers[best], "strength": float(t.signals[best][0]),
                     "reports": _KIND_REPORTS[t.kind], "example": t.example, "details": dict(t.details)})
    if not rows:
        out = pd.DataFrame({c: pd.Series([], dtype=object) for c in PROBLEM_COLUMNS})
        out.attrs["candidates"] = 0
        return out
    out = pd.DataFrame(rows).sort_values(["n_signals", "tier", "strength", "topic"],
                                         ascending=[False, True, True, True], kind="stable")
    candidates = len(out)
    out = out.head(limit).reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    out.attrs["candidates"] = candidates
    return out[list(PROBLEM_COLUMNS)]


def _report_names(reports: Iterable[str]) -> str:
    return ", ".join(f"{SOURCE_REPORTS[r]} ({report_link(r)})" if r else "den här rapporten, avsnitt 2"
                     for r in reports)


def problems_display(problems: pd.DataFrame) -> pd.DataFrame:
    """The standing-out problems for the report: rank, problem, evidence, source.

    Examples
    --------
    >>> p = standout_problems(None, {"focus_areas": {"Klotter": []}})
    >>> problems_display(p).values.tolist()[0]
    [1, 'Klotter', 'Kommunens fokusområde; ingen motsvarande kategori i Brås statistik i underlaget', 'Brottsutvecklingen (crime_trends.html)']
    """
    rows = [[int(r.rank), r.topic, r.evidence, _report_names(r.reports)] for r in problems.itertuples()]
    return pd.DataFrame(rows, columns=["Rang", "Problem", "Underlag", "Källa"])


def problems_intro(problems: pd.DataFrame, limit: int = MAX_PROBLEMS) -> str:
    """How the problems were chosen, and how many candidates there were.

    Examples
    --------
    >>> p = standout_problems(None, {"focus_areas": {"Klotter": []}})
    >>> problems_intro(p).endswith("Underlaget pekar bara ut 1 sådant problem.")
    True
    """
    n = int(problems.attrs.get("candidates", len(problems)))
    rule = ("Ett problem sticker ut när underlaget visar något av följande, i den här ordningen: ett nyckeltal som är "
            "tydligt sämre än i länet eller riket, en tydlig ökning från året före, en tydligt uppåtgående trend, "
            "platser vid säkerställda hot spots, fler problem i ett område enligt polisens trygghetsmätning, narkotika i "
            f"avloppsvattnet på eller över percentil {fmt.number(WASTEWATER_PERCENTILE)} i Europa, och sist kommunens "
            "egna fokusområden. Problem med flera sådana belägg rangordnas först, sedan efter det starkaste belägget. "
            "En minskning eller en bättre nivå räknas aldrig som ett problem.")
    if n == 0:
        return rule + " Underlaget pekar inte ut något sådant problem."
    if n < MIN_PROBLEMS:
        return rule + f" Underlaget pekar bara ut {n} {'sådant problem' if n == 1 else 'sådana problem'}."
    if n > limit:
        return rule + f" Tabellen visar de {limit} som sticker ut mest av {n}."
    return rule


# ============================================================================================
# 3. Analys: the focus plan (draft, template, loader)
# ============================================================================================

#: Columns of a focus plan (loaded or drafted), in order.
FOCUS_COLUMNS: tuple[str, ...] = ("problem", "aktivitet", "uppfoljning", "mal", "ansvar")
#: Their headings in the report (and in the draft's download, which loads back as a plan).
FOCUS_HEADINGS: dict[str, str] = {"problem": "Problem", "aktivitet": "Aktivitet", "uppfoljning": "Uppföljning",
                                  "mal": "Mål", "ansvar": "Ansvar"}

#: Measures of the place assessment's catalogue (keys of :data:`lagesbild.places.factors.MEASURES`) to try
#: first for a problem, by how its name begins (lower case; the first match wins). Suggestions for
#: the analyst, in the spirit of situational crime prevention; a problem that matches none gets
#: :data:`ANALYSIS_ACTIVITY`, one in :data:`NON_PLACE_PREFIXES` gets :data:`NON_PLACE_ACTIVITY`.
ACTIVITY_MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("våld i offentlig miljö", ("belysning", "trygghetsvardar", "samverkan")),
    ("misshandel", ("belysning", "trygghetsvardar", "samverkan")),
    ("rån", ("belysning", "siktlinjer", "trygghetsvardar")),
    ("skadegörelse", ("klotter", "underhall", "stadfadderskap")),
    ("klotter", ("klotter", "underhall", "stadfadderskap")),
    ("oro för bostadsinbrott", ("grannsamverkan", "skalskydd")),
    ("bostadsinbrott", ("grannsamverkan", "skalskydd")),
    ("inbrottsstöld i bostad", ("grannsamverkan", "skalskydd")),
    ("oro för stöld av eller skadegörelse på bil", ("belysning", "siktlinjer")),
    ("bilbrott", ("belysning", "siktlinjer", "kamerabevakning")),
    ("cykelstöld", ("skalskydd", "belysning")),
    ("stöld", ("skalskydd", "samverkan")),
    ("öppen narkotikahandel", ("samverkan", "trygghetsvardar", "belysning")),
    ("narkotika", ("samverkan", "trygghetsvardar")),
    ("trafikbrott", ("trafiksakerhet",)),
    ("fortkörning", ("trafiksakerhet",)),
    ("övrig störande körning", ("trafiksakerhet",)),
    ("otrygg", ("belysning", "siktlinjer", "trygghetsvardar")),
    ("personer påverkade", ("trygghetsvardar", "samverkan")),
    ("gäng", ("trygghetsvardar", "aktivering", "samverkan")),
    ("avstått", ("aktivering", "belysning", "trygghetsvardar")),
    ("valt annan väg", ("belysning", "siktlinjer", "trygghetsvardar")),
    ("oro för", ("informationsinsatser", "trygghetsvardar")),
    ("försäljningsbedrägeri", ("informationsinsatser",)),
    ("kortbedrägeri", ("informationsinsatser",)),
)
#: Problems for which the place measures do not fit (crime indoors or in close relationships).
NON_PLACE_PREFIXES: tuple[str, ...] = ("våld i nära relationer", "våld i inomhusmiljö", "sexualbrott")
NON_PLACE_ACTIVITY = ("Platsåtgärder passar sällan för våld inomhus eller i nära relationer. Pröva insatser i "
                      "samverkan med socialtjänsten, skolan, hälso- och sjukvården och polisen.")
ANALYSIS_ACTIVITY = ("Fördjupad analys tillsammans med polisen av var, när och mot vem brotten sker, innan "
                     "åtgärder väljs.")
#: The follow-up every activity shares: it becomes a project or commitment in the project evaluation.
FOLLOW_UP_TAIL = "; insatsen registreras som projekt eller åtagande och följs i Utvärdering av trygghetsarbetet"


def activity_for(topic: str) -> str:
    """The draft activity for a problem: measures from the catalogue, or what to do instead.

    Examples
    --------
    >>> activity_for("Skadegörelsebrott")
    'Förslag att pröva: Snabb klotter- och skadegörelsesanering; Reparation, städning och underhåll; Städdagar och fadderskap för platsen.'
    >>> activity_for("Våld i nära relationer, mot kvinnor").startswith("Platsåtgärder passar sällan")
    True
    >>> activity_for("Totalt antal anmälda brott").startswith("Fördjupad analys")
    True
    """
    from lagesbild.places.factors import MEASURES

    key = topic.strip().lower()
    if key.startswith(NON_PLACE_PREFIXES):
        return NON_PLACE_ACTIVITY
    names = {m.key: m.name for m in MEASURES}
    for prefix, measures in ACTIVITY_MEASURES:
        if key.startswith(prefix):
            return "Förslag att pröva: " + "; ".join(names[m] for m in measures) + "."
    return ANALYSIS_ACTIVITY


def goal_year(crime: Mapping | None, today: dt.date | None = None) -> int:
    """The year a draft goal is set for: three years after Brå's latest year, else three after last year.

    Examples
    --------
    >>> goal_year({"bra_latest_year": 2024}), goal_year(None, dt.date(2026, 11, 22))
    (2027, 2028)
    """
    latest = (crime or {}).get("bra_latest_year")
    if latest is None:
        latest = (today or dt.date.today()).year - 1
    return int(latest) + 3


def _draft_row(r, year: int) -> dict[str, str]:
    d = r.details
    short = ", ".join(f"tydligt högre än i {_join(d.get('worse_than', ['länet']))}" if s == "nivå" else SIGNALS[s]
                      for s in r.signals)
    problem = f"{r.topic} ({short})"
    if r.kind == "platser":
        places = _join(d.get("places", []))
        return {"problem": problem,
                "aktivitet": f"Besiktning eller trygghetsvandring vid {places}, sedan åtgärder efter platsernas svaga "
                             "faktorer (se åtgärdskatalogen i Platsbedömning).",
                "uppfoljning": "Hot spots och faktorpoäng i Platsbedömning vid varje ny besiktning" + FOLLOW_UP_TAIL,
                "mal": f"Färre platser vid säkerställda hot spots än i dag ({len(d.get('places', []))}) år {year}",
                "ansvar": ""}
    if r.kind == "avloppsvatten":
        return {"problem": problem,
                "aktivitet": "Fortsatta mätningar minst en vecka varje år; förebyggande insatser mot narkotikabruk i "
                             "samverkan med socialtjänsten, skolan och polisen.",
                "uppfoljning": f"Belastning av {d['substance'].lower()} i mg per dag och 1 000 invånare och percentilen "
                               "i Europa (Narkotika i avloppsvatten)" + FOLLOW_UP_TAIL,
                "mal": f"Under percentil {fmt.number(WASTEWATER_PERCENTILE)} bland de europeiska mätplatserna år {year}",
                "ansvar": ""}
    if r.kind == "trygghetsmätning":
        top = f" ({d['top_question']})" if d.get("top_question") else ""
        return {"problem": problem,
                "aktivitet": f"Trygghetsvandring i {d['area']} och åtgärder efter frågan med högst problemindex{top}.",
                "uppfoljning": f"Totalindex för {d['area']} i polisens trygghetsmätning (den här rapporten, avsnitt 2)"
                               + FOLLOW_UP_TAIL,
                "mal": (f"Problemindex för {d['area']} tydligt lägre än {fmt.number(d['index'], 2)} ({d['year']}) vid "
                        f"mätningen år {year}" if d.get("index") is not None
                        else f"Inga stora problem i {d['area']} vid mätningen år {year}"),
                "ansvar": ""}
    if r.kind == "ntu":
        share = d.get("value")
        worse = _join(d.get("worse_than", ["länet"]))
        return {"problem": problem, "aktivitet": activity_for(r.topic),
                "uppfoljning": f"NTU (Brå): andel {r.topic.lower()}, varje år (den här rapporten, avsnitt 2 och 3)"
                               + FOLLOW_UP_TAIL,
                "mal": (f"Inte tydligt högre än i {worse} i NTU år {year} (i dag "
                        f"{fmt.number(share, 1)}\u00a0%, {d.get('year')})" if share is not None
                        else f"Inte tydligt högre än i {worse} i NTU år {year}"),
                "ansvar": ""}
    # a Brå category
    follow = f"Brå: anmälda brott, {r.topic[:1].lower()}{r.topic[1:]}, per 100 000 invånare, varje år (Brottsutvecklingen)"
    if "nivå" in r.signals:
        goal = f"Inte tydligt högre än i {_join(d.get('worse_than', ['länet']))} år {year}"
    elif "ökning" in r.signals and d.get("previous_rate") is not None:
        goal = (f"Tillbaka till högst {fmt.number(d['previous_rate'])} per 100 000 invånare (nivån "
                f"{d['previous_year']}) år {year}")
    elif d.get("rate") is not None:
        goal = f"Lägre än {fmt.number(d['rate'])} per 100 000 invånare ({d['year']}) år {year}"
    else:
        goal = f"Sätt ett mätbart mål när Brås statistik för kategorin finns i underlaget (senast år {year})"
    return {"problem": problem, "aktivitet": activity_for(r.topic), "uppfoljning": follow + FOLLOW_UP_TAIL,
            "mal": goal, "ansvar": ""}


def draft_focus_plan(problems: pd.DataFrame, year: int) -> pd.DataFrame:
    """A draft plan from the standing-out problems: problem → aktivitet → uppföljning → mål.

    Parameters
    ----------
    problems : pandas.DataFrame
        :func:`standout_problems`.
    year : int
        The goal year (:func:`goal_year`).

    Returns
    -------
    pandas.DataFrame
        :data:`FOCUS_COLUMNS` (``ansvar`` empty: for the analyst), one row per problem, in rank order.

    Examples
    --------
    >>> p = standout_problems(None, {"indicators": [{"indicator": "Skadegörelsebrott", "year": 2024, "count": 700,
    ...     "rate": 1170.0, "previous_year": 2023, "previous_count": 571, "previous_rate": 952.0,
    ...     "change": {"rate_ratio": 1.23, "p_value": 0.001, "detectable": True}}]})
    >>> row = draft_focus_plan(p, 2027).iloc[0]
    >>> row["problem"], row["mal"].replace("\\xa0", " ")
    ('Skadegörelsebrott (tydlig ökning från året före)', 'Tillbaka till högst 952 per 100 000 invånare (nivån 2023) år 2027')
    """
    rows = [_draft_row(r, int(year)) for r in problems.itertuples()]
    return pd.DataFrame(rows, columns=list(FOCUS_COLUMNS)).astype(str)


def focus_plan_display(plan: pd.DataFrame) -> pd.DataFrame:
    """A focus plan with Swedish headings; the ``Ansvar`` column only when some row has one.

    Examples
    --------
    >>> plan = pd.DataFrame([["P", "A", "U", "M", ""]], columns=list(FOCUS_COLUMNS))
    >>> list(focus_plan_display(plan).columns)
    ['Problem', 'Aktivitet', 'Uppföljning', 'Mål']
    """
    keep = [c for c in FOCUS_COLUMNS if c != "ansvar" or (plan[c].astype(str).str.strip() != "").any()]
    return plan[keep].rename(columns=FOCUS_HEADINGS).reset_index(drop=True)


_TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = (
    ("1287", "Misshandel i centrum på helgnätter", "Trygghetsvärdar och synlig polis i centrum fredag och lördag "
     "kl. 22–03; bättre belysning på Stortorget", "Anmälda misshandelsbrott i centrum (polisens öppna data), varje halvår",
     "Antalet misshandelsbrott i centrum ska minska till 2027", "båda"),
    ("1287", "Otrygghet vid busstationen kvällstid", "Trygghetsvandring med boende; beskärning av buskage och ny "
     "belysning längs gångstråket", "Andel otrygga i polisens trygghetsmätning för området, varje år",
     "Problemindex för området tydligt lägre än 2024 vid mätningen 2026", "kommun"),
    ("1287", "Narkotika: hög belastning av amfetamin i avloppsvattnet", "Fortsatta mätningar en vecka per år; "
     "förebyggande insatser i skolan", "Amfetamin i mg per dag och 1 000 invånare (Narkotika i avloppsvatten)",
     "Under percentil 75 bland de europeiska mätplatserna 2027", "kommun"),
)

#: The focus-plan table: its columns (name, required column, Swedish description, example, aliases) and example rows.
TEMPLATE = Table(
    "atgardsplan", "Åtgärdsplan (fokusområden)",
    "En rad per problem som kommunen väljer att arbeta med: problemet, aktiviteten, hur den följs upp och ett mätbart "
    "mål (som i Trelleborgs samverkansöverenskommelse). Utgå från utkastet i lägesbildsrapporten (ladda ned tabellen "
    "som CSV eller Excel) eller från den här mallen.",
    (
        Column("kommun", False, "Kommunkod, fyra siffror (SCB), t.ex. 1287 eller 0114 (behåll nollan). Tom "
               "cell eller ingen kolumn = planen gäller kommunen som rapporten byggs för; rader för andra "
               "kommuner hoppas över.", "1287", ("kommun_kod", "kommunkod")),
        Column("problem", True, "Problemet, kort och konkret: vad, var och gärna när.",
               _TEMPLATE_ROWS[0][1]),
        Column("aktivitet", True, "Vad som görs åt problemet (en eller flera aktiviteter, åtskilda med "
               "semikolon).", _TEMPLATE_ROWS[0][2], ("aktiviteter", "åtgärd", "atgard", "åtgärder")),
        Column("uppfoljning", True, "Hur det följs upp: vilket mått, ur vilken källa och hur ofta.",
               _TEMPLATE_ROWS[0][3], ("uppföljning",)),
        Column("mal", True, "Ett mätbart mål med årtal, t.ex. Inte tydligt högre än i länet 2027.",
               _TEMPLATE_ROWS[0][4], ("mål",)),
        Column("ansvar", False, "Vem som ansvarar, t.ex. kommun, polis, båda eller en förvaltning; tom = inte "
               "angivet.", _TEMPLATE_ROWS[0][5], ("ansvarig",)),
    ),
    _TEMPLATE_ROWS,
    templates="data/templates/atgardsplan",
)

#: A loaded focus plan (:func:`load_focus_plan`); index = spreadsheet row.
FOCUS_PLAN_SCHEMA = pa.DataFrameSchema(
    {c: pa.Column(str, pa.Check.str_length(min_value=0 if c == "ansvar" else 1)) for c in FOCUS_COLUMNS},
    strict=True, ordered=True, name="atgardsplan",
)

#: Longest text in a cell of the plan (a table cell is not a document).
MAX_CELL_CHARS = 600

_KOMMUN_RE = re.compile(r"^\d{4}$")


def focus_plan_path(value: str = "") -> Path | None:
    """The edited focus plan a report reads, or None for the draft.

    A relative path is relative to the project root (:func:`lagesbild.core.paths.input_folder`).

    Raises
    ------
    InputError
        A path that is not an existing file.

    Examples
    --------
    >>> focus_plan_path("") is None
    True
    >>> focus_plan_path("data/templates/atgardsplan/atgardsplan.csv").name
    'atgardsplan.csv'
    """
    if not str(value).strip():
        return None
    path = input_folder(value, PROJ_ROOT)
    if not path.is_file():
        raise InputError(path, "the focus plan file does not exist",
                         "give the path of the edited plan (CSV or Excel, relative to the project folder): start from "
                         "the draft in the lägesbild report or data/templates/atgardsplan/atgardsplan.csv, or leave "
                         "focus_plan empty to show the draft")
    return path


def load_focus_plan(path: str | Path, kommun: str) -> pd.DataFrame:
    """Load an analyst-edited focus plan (CSV or Excel) for one kommun, checking every cell.

    Headers are the template's (``problem``, ``aktivitet``, ``uppfoljning``, ``mal``, optional
    ``ansvar`` and ``kommun``) or the report's Swedish headings (``Problem`` … ``Mål``, so the draft
    downloaded from the report loads as it is); case does not matter. An ``.xlsx`` is read from the
    sheet ``atgardsplan`` if there is one, else the first sheet.

    Parameters
    ----------
    path : str or Path
    kommun : str
        The kommun the report is for: rows with another kommun code are skipped.

    Returns
    -------
    pandas.DataFrame
        :data:`FOCUS_PLAN_SCHEMA`: :data:`FOCUS_COLUMNS` as text (spaces collapsed), index =
        spreadsheet row, ``attrs["file"]``.

    Raises
    ------
    InputError
        Naming file, row and column: unknown, duplicate or missing columns, an empty problem,
        activity, follow-up or goal, a cell longer than :data:`MAX_CELL_CHARS`, a kommun code that is
        not four digits, the same problem and activity twice (both rows named), or no row for the
        kommun.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
    >>> _ = p.write_text("Problem;Aktivitet;Uppföljning;Mål\\nKlotter i centrum;Snabb sanering;Anmälda brott;"
    ...                  "Lägre än 2024 år 2027\\n", encoding="utf-8")
    >>> load_focus_plan(p, "2080").loc[2].tolist()
    ['Klotter i centrum', 'Snabb sanering', 'Anmälda brott', 'Lägre än 2024 år 2027', '']
    >>> _ = p.write_text("problem;aktivitet;uppfoljning;mal\\nKlotter;;Anmälda brott;Lägre\\n", encoding="utf-8")
    >>> load_focus_plan(p, "2080")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: ...plan.csv, row 2, column 'aktivitet': the cell is empty. Fix: write what is done about the problem (every row needs problem, aktivitet, uppfoljning and mal).
    """
    path = Path(path)
    file = str(path)
    kommun = str(kommun).strip()
    df, headers = TEMPLATE.read(path)
    has_kommun = "kommun" not in df.attrs["absent"]
    for col in (*FOCUS_COLUMNS, "kommun"):
        df[col] = df[col].astype(str).map(lambda v: " ".join(v.split()))
    if has_kommun:
        bad = (df["kommun"] != "") & ~df["kommun"].str.match(_KOMMUN_RE)
        if bad.any():
            row = int(df.index[bad.to_numpy()][0])
            raise InputError(file, f"{plain(df.loc[row, 'kommun'])} is not a four-digit kommun code",
                             "write the SCB kommun code as four digits (keep the leading zero, e.g. 0114), or leave the "
                             "cell empty for the kommun the report is for", row=row, column=headers["kommun"])
        df = df[(df["kommun"] == "") | (df["kommun"] == kommun)]
    what = {"problem": "write the problem", "aktivitet": "write what is done about the problem",
            "uppfoljning": "write how it is followed up (which measure, from which source, how often)",
            "mal": "write a measurable goal with a year"}
    for col, fix in what.items():
        empty = df[col] == ""
        if empty.any():
            row = int(df.index[empty.to_numpy()][0])
            raise InputError(file, "the cell is empty",
                             f"{fix} (every row needs problem, aktivitet, uppfoljning and mal)", row=row,
                             column=headers[col])
    for col in FOCUS_COLUMNS:
        long = df[col].str.len() > MAX_CELL_CHARS
        if long.any():
            row = int(df.index[long.to_numpy()][0])
            raise InputError(file, f"the cell has {len(df.loc[row, col])} characters, more than {MAX_CELL_CHARS}",
                             "shorten it: the plan is a table; put the details in the kommun's own documents",
                             row=row, column=headers.get(col, col))
    key = df["problem"].str.casefold() + "|" + df["aktivitet"].str.casefold()
    dup = key.duplicated(keep="first")
    if dup.any():
        second = int(df.index[dup.to_numpy()][0])
        first = int(df.index[(key == key[second]).to_numpy()][0])
        raise InputError(file, f"rows {first} and {second} have the same problem and activity",
                         "delete one of the rows or make them different", row=second, column=headers["aktivitet"])
    if df.empty:
        raise InputError(file, f"the plan has no row for kommun {kommun}",
                         f"add rows for {kommun} (or leave the kommun cells empty), or check the kommun column",
                         column=headers["kommun"] if has_kommun else None)
    out = schemas.validate(df[list(FOCUS_COLUMNS)].astype(str), FOCUS_PLAN_SCHEMA, file)
    out.attrs["file"] = file
    return out


def _instructions_rows() -> list[it.InstructionRow]:
    rows = it.instructions_rows(
        [TEMPLATE], "Mall för åtgärdsplan (fokusområden)",
        "Fyll i bladet atgardsplan (en rad per problem) och spara det som atgardsplan.csv eller atgardsplan.xlsx. Ange "
        "filen med parametern focus_plan (reports: lagesbild: focus_plan i kommunens parameterfil); då visar "
        "lägesbilden planen i stället för utkastet. Exempelraderna ska ersättas.")
    rows += [("Rubriker", "", "Rubrikerna kan också vara lägesbildsrapportens: Problem, Aktivitet, Uppföljning, Mål, "
              "Ansvar. Stora och små bokstäver spelar ingen roll.", "")]
    return rows


def workbook_bytes() -> bytes:
    """The template workbook ``atgardsplan.xlsx``: the plan's sheet and ``Instruktioner``; deterministic.

    Examples
    --------
    >>> workbook_bytes() == workbook_bytes()
    True
    """
    from lagesbild.core.workbook import template_workbook

    rows = _instructions_rows()
    return template_workbook([TEMPLATE], rows, instruction_widths=(32, 20, 100, 30),
                             titles={r[0] for r in rows if r[0] and not r[1] and r[0] not in ("Kolumn",)},
                             column_width=lambda col: max(14, min(50, max(len(col.name), len(col.example)) + 3)))


def template_csv() -> str:
    """The template ``atgardsplan.csv`` as text (``;``-separated, UTF-8 BOM, the example rows).

    Examples
    --------
    >>> template_csv().splitlines()[0]
    '\\ufeffkommun;problem;aktivitet;uppfoljning;mal;ansvar'
    """
    return TEMPLATE.csv_text(TEMPLATE.rows)


def templates_markdown() -> str:
    """``data/templates/atgardsplan/README.md``: every column and how the plan reaches the report.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| problem | ja |" in text, "focus_plan" in text
    (True, True)
    """
    lines = [
        "# Mall för åtgärdsplan (focus-plan template)",
        "",
        it.generated_note("lagesbild.summary.report.write_templates", "TEMPLATE", "lib/lagesbild/summary/report.py"),
        "",
        "The lägesbild report (`notebooks/lagesbild.ipynb`) ends its analysis with proposed focus areas in the shape "
        "of Trelleborg's samverkansöverenskommelse: **problem → aktivitet → uppföljning → mål**. Without a plan of "
        "the kommun's own it shows a *draft*, drafted from the problems that stand out in the data "
        "(`lagesbild.summary.report.draft_focus_plan`). The analyst edits it and gives it back:",
        "",
        "1. download the draft from the report (the links under the table: CSV or Excel), or copy `atgardsplan.csv` "
        "from this folder;",
        "2. edit the rows: keep, change, delete or add problems; write who is responsible in `ansvar`;",
        "3. point the report at the file with the parameter `focus_plan` (in the kommun's YAML: `reports: lagesbild: "
        "focus_plan: \"path/to/atgardsplan.csv\"`, relative to the repository) and build the report again. It then "
        "shows the kommun's plan instead of the draft.",
        "",
        "Headers match case-insensitively and may be the template's (`problem`, `aktivitet`, `uppfoljning`, `mal`, "
        "`ansvar`, `kommun`) or the report's headings (`Problem`, `Aktivitet`, `Uppföljning`, `Mål`, `Ansvar`); a "
        "column that is neither is an error, so that a misspelt header is never silently ignored. An `.xlsx` is read "
        "from the sheet `atgardsplan` if there is one, else from the first sheet. Every problem is reported with "
        "file, spreadsheet row, column and a fix. The example rows are invented.",
        "",
        "The files here are written by `lagesbild.summary.report.write_templates(\"data/templates/atgardsplan\")`; a test "
        "checks that they are what it writes today and that the example rows load.",
        "",
        *it.columns_markdown(TEMPLATE),
    ]
    lines += [
        f"Every row needs `problem`, `aktivitet`, `uppfoljning` and `mal`; a cell holds at most {MAX_CELL_CHARS} "
        "characters; the same problem with the same activity twice is an error. Rows whose `kommun` is another "
        "kommun's code are skipped, so one file may hold several kommuners plans.",
        "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates ``atgardsplan.csv``, ``atgardsplan.xlsx`` and ``README.md`` atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/atgardsplan``.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))]
    ['atgardsplan.csv', 'atgardsplan.xlsx', 'README.md']
    """
    return it.write_templates(folder, [TEMPLATE], workbook_name="atgardsplan.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


# ============================================================================================
# 4. Uppföljning
# ============================================================================================

#: Commitment statuses in report order (as the project evaluation writes them).
COMMITMENT_STATUSES: tuple[str, ...] = ("uppfyllt", "delvis uppfyllt", "ej uppfyllt", "kan ej bedömas")


def commitments_table(projects: Mapping) -> pd.DataFrame:
    """The commitments per status (from the project evaluation's key figures).

    Examples
    --------
    >>> commitments_table({"commitments": {"uppfyllt": 1, "ej uppfyllt": 2, "delvis uppfyllt": 0}}).values.tolist()
    [['uppfyllt', 1], ['ej uppfyllt', 2]]
    """
    counts = projects.get("commitments") or {}
    order = [s for s in COMMITMENT_STATUSES if s in counts] + sorted(s for s in counts if s not in COMMITMENT_STATUSES)
    rows = [[s, int(counts[s])] for s in order if counts[s]]
    return pd.DataFrame(rows, columns=["Status", "Antal åtaganden"])


def _signed(x: float) -> str:
    return ("+" if x > 0 and fmt.number(x, 1) != "0,0" else "") + fmt.number(x, 1)


def projects_table(projects: Mapping) -> pd.DataFrame:
    """The evaluated projects: effect estimate (WDD) with its interval and whether the effect is clear.

    Examples
    --------
    >>> p = {"projects": [{"id": "P1", "name": "Trygg park", "wdd_estimate": -12.0, "wdd_ci": [-20.5, -3.5],
    ...                    "detectable": True}, {"id": "P2", "name": "Ljus", "wdd_estimate": None, "wdd_ci": None,
    ...                    "detectable": None}]}
    >>> projects_table(p).values.tolist()
    [['Trygg park', '−12,0', '−20,5 till −3,5', 'ja, färre händelser än väntat'], ['Ljus', '–', '–', 'kan inte bedömas (för få händelser eller inget kontrollområde)']]
    """
    rows = []
    for r in projects.get("projects", []):
        est, ci, det = r.get("wdd_estimate"), r.get("wdd_ci"), r.get("detectable")
        if det is None or est is None:
            verdict = "kan inte bedömas (för få händelser eller inget kontrollområde)"
        elif det:
            verdict = "ja, färre händelser än väntat" if est < 0 else "ja, fler händelser än väntat"
        else:
            verdict = "nej, skillnaden kan bero på slumpen"
        rows.append([r["name"], "–" if est is None else _signed(est),
                     "–" if not ci else f"{_signed(ci[0])} till {_signed(ci[1])}", verdict])
    return pd.DataFrame(rows, columns=["Projekt", "Skattad effekt (händelser jämfört med kontrollområdet)",
                                       "95 % konfidensintervall", "Tydlig effekt"])


def followup_points(projects: Mapping, name: str) -> list[str]:
    """The follow-up in sentences: how many projects have an estimate and a clear effect; commitments.

    Examples
    --------
    >>> p = {"example_data": False, "projects": [{"id": "P1", "name": "A", "wdd_estimate": 1.0, "wdd_ci": [-19.0, 21.0],
    ...      "detectable": False}], "commitments": {"uppfyllt": 1, "ej uppfyllt": 0}}
    >>> for t in followup_points(p, "Ort"): print(t)
    1 projekt är utvärderat före och efter; 1 har en effektskattning och inget av dem en tydlig effekt.
    Åtaganden: 1 uppfyllt (av 1).
    """
    out = []
    items = projects.get("projects", [])
    if items:
        estimated = [r for r in items if r.get("detectable") is not None]
        clear = [r for r in estimated if r["detectable"]]
        word = "projekt är utvärderat" if len(items) == 1 else "projekt är utvärderade"
        clear_text = ("inget av dem en tydlig effekt" if not clear
                      else f"{len(clear)} av dem en tydlig effekt ({_join([r['name'] for r in clear])})")
        out.append(f"{len(items)} {word} före och efter; {len(estimated)} har en effektskattning och {clear_text}.")
    else:
        out.append(f"{name} har inga projekt i underlaget att utvärdera. Projekt registreras med mallen i "
                   "data/templates/projects/.")
    counts = {s: n for s, n in (projects.get("commitments") or {}).items() if n}
    if counts:
        total = sum(counts.values())
        parts = [f"{fmt.number(counts[s])} {s}" for s in (*COMMITMENT_STATUSES, *sorted(counts)) if s in counts]
        parts = list(dict.fromkeys(parts))
        out.append(f"Åtaganden: {', '.join(parts)} (av {fmt.number(total)}).")
    else:
        out.append(f"{name} har inga åtaganden (till exempel medborgarlöften) i underlaget.")
    if projects.get("example_data"):
        out.append("Projekten och åtagandena i underlaget är påhittade exempeldata.")
    return out


# ============================================================================================
# The most important, what is missing, key figures
# ============================================================================================


def _compare_phrase(lan, riket) -> str:
    if lan.status == riket.status and lan.status in ("högre", "lägre"):
        return f"tydligt {lan.status} än i {lan.comparison} och {riket.comparison}"
    if lan.status == riket.status == "ingen tydlig skillnad":
        return f"ingen tydlig skillnad mot {lan.comparison} och {riket.comparison}"
    parts = []
    for light in (lan, riket):
        if light.status in ("högre", "lägre"):
            parts.append(f"tydligt {light.status} än i {light.comparison}")
        elif light.status == "ingen tydlig skillnad":
            parts.append(f"ingen tydlig skillnad mot {light.comparison}")
    return _join(parts) if parts else "jämförelse saknas"


def gaps(sources: Sources, name: str, *, ntu_reason: str = "", trygghet_loaded: bool = False,
         trygghet_example: bool = False) -> list[str]:
    """What the lägesbild lacks, one sentence each, with how to get it.

    Parameters
    ----------
    sources : Sources
    name : str
        The kommun's name.
    ntu_reason : str
        Why NTU is missing (:attr:`lagesbild.sources.ntu.NtuComparison.reason`); "" when it is there.
    trygghet_loaded : bool
        Whether the police's safety survey is in the underlag.
    trygghet_example : bool
        Whether that survey is the invented example (then the kommun's own is still missing).

    Returns
    -------
    list of str
        A report built on example data counts as missing the kommun's own data.

    Examples
    --------
    >>> import tempfile
    >>> g = gaps(load_sources(tempfile.mkdtemp(), "0114"), "Upplands Väsby", ntu_reason="Ingen NTU.")
    >>> len(g), g[0]
    (6, 'Rapporten Brottsutvecklingen saknas i körningen (python run_all.py --kommun 0114 --report crime_trends).')
    """
    out = [f"Rapporten {SOURCE_REPORTS[r]} saknas i körningen ({build_command(sources.kommun, r)})."
           for r in sources.missing]
    crime, places = sources.figures("crime_trends"), sources.figures("place_assessment")
    ww, proj = sources.figures("wastewater"), sources.figures("project_evaluation")
    def note(example: bool) -> str:
        return "; rapporten bygger nu på påhittade exempeldata" if example else ""

    if crime is not None and not crime["bra_available"]:
        out.append("Brås statistik över anmälda brott för kommunen (lägg Brås export i data/local/crime/).")
    for year, inds in sorted(((crime or {}).get("missing_population") or {}).items()):
        out.append(f"Folkmängden {year} för {name} ({_join(inds)} visas därför utan tal per 100 000 invånare): lägg "
                   "SCB:s folkmängd i data/local/population/ eller kör python -m lagesbild.sources.fetch scb --all.")
    if places is not None and (not places["place_data"] or places["example_data"]):
        out.append("Kommunens platsdata: platser, besiktningar, händelselogg och medborgarrapporter (mallar i "
                   f"data/templates/{note(places['place_data'] and places['example_data'])}).")
    if ww is not None and (not ww["latest"] or ww["example_data"]):
        out.append(f"Mätningar av narkotika i avloppsvatten (mall i data/templates/wastewater/{note(ww['example_data'])}).")
    if proj is not None and (proj["example_data"] or (not proj["projects"] and not any(proj["commitments"].values()))):
        out.append("Kommunens projekt och åtaganden att följa upp (mallar i data/templates/projects/"
                   f"{note(proj['example_data'])}).")
    if ntu_reason:
        out.append(f"NTU per kommun: {ntu_reason}")
    if not trygghet_loaded or trygghet_example:
        shown = "; avsnitt 2 visar nu påhittade exempeldata" if trygghet_loaded and trygghet_example else ""
        out.append(f"Polisens trygghetsmätning för {name} (mall i data/templates/trygghetsmatning/{shown}).")
    return out


def headline_points(name: str, key_indicators: pd.DataFrame, problems: pd.DataFrame, sources: Sources,
                    missing: Sequence[str]) -> list[str]:
    """"Det viktigaste": the total level, the key indicators' lights, what stands out, follow-up, gaps.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.stats.indicators import indicator_table
    >>> src = load_sources(tempfile.mkdtemp(), "2080")
    >>> pts = headline_points("Falun", indicator_table(None), standout_problems(None), src, ["x"])
    >>> pts[0]
    'Rapporten Brottsutvecklingen saknas i körningen, så brottsnivån kan inte visas.'
    """
    out = []
    total = key_indicators[(key_indicators["source"] == "Anmälda brott") & (key_indicators["indicator"] == TOTAL_CRIME)] \
        if len(key_indicators) else key_indicators
    if len(total):
        r = total.iloc[0]
        prel = " (preliminärt)" if bool(r.get("preliminary", False)) else ""
        out.append(f"Anmälda brott {int(r['year'])}{prel}: {fmt.number(r['value'])} per 100 000 invånare i {name}, "
                   f"{_compare_phrase(r['lan'], r['riket'])}.")
    elif sources.figures("crime_trends") is None:
        out.append(f"Rapporten {SOURCE_REPORTS['crime_trends']} saknas i körningen, så brottsnivån kan inte visas.")
    else:
        out.append(f"Brås statistik över anmälda brott saknas för {name} i underlaget.")
    counts = key_indicator_counts(key_indicators)
    if counts["indicators"]:
        out.append(f"Av {counts['indicators']} nyckeltal är {counts['worse']} tydligt sämre och {counts['better']} "
                   "tydligt bättre än i länet eller riket; övriga skiljer sig inte tydligt eller saknar jämförelse "
                   "(avsnitt 3).")
    if len(problems):
        out.append("Det som sticker ut mest: " + "; ".join(problems["topic"].astype(str)) + " (avsnitt 3).")
    else:
        out.append("Inget i underlaget sticker ut som ett tydligt problem (avsnitt 3).")
    proj = sources.figures("project_evaluation")
    if proj is not None:
        c = {s: n for s, n in (proj["commitments"] or {}).items() if n}
        if proj["projects"] or c:
            n = len(proj["projects"])
            parts = [f"{n} {'utvärderat projekt' if n == 1 else 'utvärderade projekt'}"] if n else []
            if c:
                total, done = sum(c.values()), c.get("uppfyllt", 0)
                parts.append(f"{total} {'åtagande' if total == 1 else 'åtaganden'}, varav {done} "
                             f"{'uppfyllt' if done == 1 else 'uppfyllda'}")
            out.append("Uppföljning: " + " och ".join(parts) + " (avsnitt 4).")
    if missing:
        out.append(f"Underlaget saknar {len(missing)} delar; de listas nedan och i respektive avsnitt.")
    return out


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


def key_figures(title: str, cfg, sources: Sources, key_indicators: pd.DataFrame, problems: pd.DataFrame,
                plan: pd.DataFrame, plan_file: Path | None, *, ntu_available: bool, trygghet_data=None,
                missing: Sequence[str] = ()) -> dict:
    """The summary's key figures for ``lagesbild.json``.

    Parameters
    ----------
    title : str
    cfg : lagesbild.run.params.KommunConfig
        ``kommun``, ``name``, ``lan``.
    sources : Sources
    key_indicators : pandas.DataFrame
        :func:`lagesbild.stats.indicators.indicator_table`.
    problems : pandas.DataFrame
        :func:`standout_problems`.
    plan : pandas.DataFrame
        The focus plan shown (draft or loaded).
    plan_file : Path or None
        The loaded plan's file (None: the draft).
    ntu_available : bool
    trygghet_data : lagesbild.summary.surveys.TrygghetData or None
    missing : sequence of str
        :func:`gaps`.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.stats.indicators import indicator_table
    >>> class C: kommun, name, lan = "2080", "Falun", "Dalarnas län"
    >>> k = key_figures("t", C(), load_sources(tempfile.mkdtemp(), "2080"), indicator_table(None), standout_problems(None),
    ...                 draft_focus_plan(standout_problems(None), 2027), None, ntu_available=False)
    >>> k["missing_reports"], k["focus_plan"]
    (['crime_trends', 'place_assessment', 'wastewater', 'project_evaluation'], {'source': 'utkast', 'file': None, 'rows': 0})
    """
    def light(x):
        return {"status": x.status, "assessment": x.assessment, "estimate": _num(x.estimate),
                "p_value": _num(x.p_value)}

    tm = None
    if trygghet_data is not None:
        res = trygghet_data.results
        tm = {"example_data": bool(trygghet_data.example), "latest_year": int(res["year"].max()),
              "areas": int(res.loc[res["year"] == res["year"].max(), "omrade"].nunique())}
    return {
        "title": title, "kommun": cfg.kommun, "name": cfg.name, "lan": cfg.lan,
        "example_data": bool(sources.example_reports or (trygghet_data is not None and trygghet_data.example)),
        "sources": {r: {"found": r in sources.found,
                        "generated": sources.found[r].generated.isoformat() if r in sources.found else None,
                        "example_data": bool(sources.found[r].example) if r in sources.found else False}
                    for r in SOURCE_REPORTS},
        "missing_reports": sources.missing,
        **source_figures(sources),
        "key_indicators": [{"source": r.source, "indicator": r.indicator, "year": None if r.year is None else int(r.year),
                            "value": _num(r.value), "value_lan": _num(r.value_lan), "value_riket": _num(r.value_riket),
                            "lan": light(r.lan), "riket": light(r.riket)} for r in key_indicators.itertuples()],
        "ntu_available": bool(ntu_available),
        "trygghetsmatning": tm,
        "problems": [{"rank": int(r.rank), "kind": r.kind, "topic": r.topic, "signals": list(r.signals),
                      "reports": [x for x in r.reports if x], "example_data": bool(r.example)}
                     for r in problems.itertuples()],
        "focus_plan": {"source": "utkast" if plan_file is None else "fil",
                       "file": None if plan_file is None else Path(plan_file).name, "rows": int(len(plan))},
        "gaps": list(missing),
    }


def caveats(key_indicators: pd.DataFrame, alpha: float, *, draft: bool) -> list[str]:
    """The summary's caveats, in Swedish, including what the number of comparisons means for the lights.

    Parameters
    ----------
    key_indicators : pandas.DataFrame
        :func:`lagesbild.stats.indicators.indicator_table`.
    alpha : float
    draft : bool
        Whether the focus areas shown are the draft.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> c = caveats(indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0,
    ...     "rate_lan": 226.0, "rate_riket": 383.0}] * 10), 0.05, draft=True)
    >>> [t for t in c if "slumpen" in t][0][:95]
    'Med 10 nyckeltal och två jämförelser vardera väntas ungefär 1 tydlig skillnad av slumpen även o'
    """
    out = [register.text("summary_recounts_nothing"), register.text("bra_reported_crime")]
    n = int(len(key_indicators))
    if n:
        expected = 2 * n * alpha
        many = fmt.number(expected)
        out.append(f"Med {n} nyckeltal och två jämförelser vardera väntas ungefär {many} "
                   f"{'tydlig skillnad' if many == '1' else 'tydliga skillnader'} av slumpen även om kommunen inte skiljer "
                   "sig från länet eller riket. En enstaka tydlig "
                   "skillnad är därför en fråga att pröva, inte ett bevis; flera belägg för samma problem väger tyngre.")
    out.append(register.text("summary_standout_rule"))
    if draft:
        out.append(register.text("summary_draft_focus"))
    return out


def provenance_files(sources: Sources, files: Sequence[Mapping] = (), plan_file: Path | None = None) -> list[dict]:
    """The data files behind the summary: ``files`` (processed data, survey tables), the source JSONs, the plan.

    Examples
    --------
    >>> import tempfile
    >>> provenance_files(load_sources(tempfile.mkdtemp(), "2080"), [{"name": "raw/ntu.csv"}])
    [{'name': 'raw/ntu.csv'}]
    """
    from lagesbild.sources.processed import sha256

    out = [dict(f) for f in files]
    if plan_file is not None:
        out.append({"name": Path(plan_file).name, "description": "Kommunens åtgärdsplan (fokusområden)",
                    "sha256": sha256(Path(plan_file))})
    for report, src in sources.found.items():
        out.append({"name": f"{src.kommun}/{report}.json",
                    "description": f"Nyckeltal ur rapporten {src.title}" + (" (exempeldata)" if src.example else ""),
                    "date": built_text(src.generated), "sha256": sha256(src.file)})
    return out


__all__ = [
    "ACTIVITY_MEASURES", "ANALYSIS_ACTIVITY", "COMMITMENT_STATUSES", "FOCUS_COLUMNS", "FOCUS_HEADINGS",
    "FOCUS_PLAN_SCHEMA", "FOLLOW_UP_TAIL", "MAX_CELL_CHARS", "MAX_PROBLEMS", "MIN_PROBLEMS",
    "NON_PLACE_ACTIVITY", "NON_PLACE_PREFIXES", "PROBLEM_COLUMNS", "SIGNALS", "SOURCE_REPORTS", "TEMPLATE",
    "TIMEZONE", "TOTAL_CRIME", "WASTEWATER_PERCENTILE", "SourceReport", "Sources", "activity_for",
    "build_command", "built_text", "caveats", "citizen_reports_text", "commitments_table", "crime_points",
    "crime_table", "draft_focus_plan", "example_text", "focus_plan_display", "focus_plan_path", "focus_text",
    "followup_points", "gaps", "goal_year", "headline_points", "key_figures", "key_indicator_counts",
    "key_indicator_classes", "key_indicator_display", "light_text", "load_focus_plan", "load_sources", "method_text", "missing_text",
    "narcotics_points", "ntu_note", "ntu_table", "place_points", "police_events_text", "problems_display",
    "problems_intro", "projects_table", "provenance_files", "read_source", "report_link", "reports_folder",
    "source_figures", "source_line", "sources_table", "standout_problems", "template_csv",
    "templates_markdown", "trygghet_levels", "trygghet_template_text", "wastewater_table", "workbook_bytes",
    "write_templates",
]
