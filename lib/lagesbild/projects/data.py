"""Safety projects and commitments: loading the registers and a project folder.

A *project folder* holds up to three tables, each as CSV or Excel (``.xlsx``), one of each kind:

=========================  ===============================================  ==========
file                       what                                             needed
=========================  ===============================================  ==========
``projekt.*``              project register: measures, budget, dates,       one of the
                           treated and control area, before/after periods   first two
``ataganden.*``            commitments (e.g. medborgarlöften): target,      one of the
                           deadline, outcome                                first two
``enkat.*``                survey indices before and after (e.g. a          no
                           problem index with its confidence interval)
``metadata.yaml``          ``exempeldata``, ``beskrivning``, ``kalla``,     no
                           ``datum`` (as a place-data folder)
=========================  ===============================================  ==========

``åtaganden.*`` and ``enkät.*`` are accepted as file names too. The columns of each table are
declared once, in :data:`~lagesbild.projects.templates.TEMPLATES` (with :mod:`lagesbild.inputs.tables`),
and the folder in :data:`~lagesbild.projects.templates.PROJECT_FOLDER`; the declaration reads the
tables and writes the templates in ``data/templates/projects/`` (CSV, ``mallar.xlsx`` with an
instruction sheet, README), so templates and docs cannot drift. Every problem in a file is an
:class:`~lagesbild.core.errors.InputError` naming file, spreadsheet row, column, what is wrong and the
fix. Headers match case-insensitively, with or without Swedish letters (``atgarder`` or ``åtgärder``);
numbers may have a decimal comma and spaces; dates are ISO (``2024-07-01``) or Excel date cells.

A project's treated, displacement and control areas, and the event counts in them before and after,
are in :mod:`lagesbild.projects.areas`.

The column ``kommentar`` of the project register may hold anything the analyst writes; it is kept
for reading in JupyterLab but must **never be published** in a report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa

from lagesbild.core import lazy
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.inputs import tables as it
from lagesbild.inputs.coordinates import crs_rule, parse_crs
from lagesbild.inputs.folders import parsed_once
from lagesbild.inputs.tables import NOT_EMPTY, Rule, cell_text, first_row, is_filled, normalise
from lagesbild.projects.areas import _ID_COLUMNS, _check_overlap, _parse_area, _split_ids, resolve_areas
from lagesbild.projects.templates import (
    _MEASURE_TYPE_ALIASES,
    _OWNER_ALIASES,
    _PERIOD_ALIASES,
    _TYPE_ALIASES,
    COMMITMENT_TYPES,
    DIRECTION_TYPES,
    MEASURE_TYPES,
    OWNERS,
    PROJECT_FOLDER,
    SURVEY_PERIODS,
    TARGET_TYPES,
    TEMPLATES,
)
from lagesbild.sources import schemas
from lagesbild.sources.readers import to_number

# ============================================================================================
# Constants
# ============================================================================================

#: Earliest and latest year (``ar``) of a commitment.
YEAR_RANGE = (2000, 2100)

_KOMMUN_RE = r"^\d{4}$"
_DATE_COLUMNS = ("start", "slut", "fore_start", "fore_slut", "efter_start", "efter_slut")

# ============================================================================================
# Contract schemas (the loaded frames)
# ============================================================================================


def _is_polygonal_or_none(s: pd.Series) -> pd.Series:
    return s.map(lambda g: g is None or (g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid))


def _date_column() -> pa.Column:
    return pa.Column("datetime64[ns]")

#: A loaded project register (:func:`load_projects`); index = spreadsheet row.
PROJECTS_SCHEMA = pa.DataFrameSchema(
    {
        "projekt_id": pa.Column(str, pa.Check(is_filled), unique=True),
        "namn": pa.Column(str, pa.Check(is_filled)),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "atgarder": pa.Column(str, pa.Check(is_filled)),
        "atgardstyp": pa.Column(str, pa.Check.isin(MEASURE_TYPES)),
        "budget_sek": pa.Column(float, pa.Check.ge(0), nullable=True),
        **{c: _date_column() for c in _DATE_COLUMNS},
        "fore_dagar": pa.Column(int, pa.Check.ge(1)),
        "efter_dagar": pa.Column(int, pa.Check.ge(1)),
        "behandlat_platser": pa.Column(str),
        "behandlat_geometri": pa.Column(None, pa.Check(_is_polygonal_or_none), nullable=True),
        "kontroll_platser": pa.Column(str),
        "kontroll_geometri": pa.Column(None, pa.Check(_is_polygonal_or_none), nullable=True),
        "kommentar": pa.Column(str),
    },
    checks=[pa.Check(lambda d: d["slut"] >= d["start"], error="slut >= start"),
            pa.Check(lambda d: d["fore_slut"] <= d["start"], error="fore_slut <= start"),
            pa.Check(lambda d: d["efter_start"] >= d["slut"], error="efter_start >= slut")],
    strict=True, ordered=True, name="projects",
)

#: A loaded commitments register (:func:`load_commitments`); index = spreadsheet row.
COMMITMENTS_SCHEMA = pa.DataFrameSchema(
    {
        "atagande_id": pa.Column(str, pa.Check(is_filled), unique=True),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "ar": pa.Column(int, pa.Check.in_range(*YEAR_RANGE)),
        "text": pa.Column(str, pa.Check(is_filled)),
        "agare": pa.Column(str, pa.Check.isin(OWNERS)),
        "indikator": pa.Column(str),
        "typ": pa.Column(str, pa.Check.isin(COMMITMENT_TYPES)),
        "mal": pa.Column(float, pa.Check.ge(0), nullable=True),
        "enhet": pa.Column(str),
        "deadline": _date_column(),
        "utfall": pa.Column(float, nullable=True),
        "fore": pa.Column(float, pa.Check.ge(0), nullable=True),
        "efter": pa.Column(float, pa.Check.ge(0), nullable=True),
        "rapporterat": pa.Column(bool),
        "kalla": pa.Column(str),
    },
    checks=[pa.Check(lambda d: d["mal"].notna() == d["typ"].isin(TARGET_TYPES), error="mal only for minst/högst"),
            pa.Check(lambda d: d["fore"].isna() | d["typ"].isin(DIRECTION_TYPES), error="fore only for minska/öka")],
    strict=True, ordered=True, name="commitments",
)

#: A loaded survey table (:func:`load_surveys`); index = spreadsheet row.
SURVEYS_SCHEMA = pa.DataFrameSchema(
    {
        "projekt_id": pa.Column(str),
        "omrade": pa.Column(str),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
        "index": pa.Column(str, pa.Check(is_filled)),
        "period": pa.Column(str, pa.Check.isin(SURVEY_PERIODS)),
        "varde": pa.Column(float),
        "ki_lag": pa.Column(float, nullable=True),
        "ki_hog": pa.Column(float, nullable=True),
        "n": pa.Column(float, pa.Check.gt(0), nullable=True),
        "kalla": pa.Column(str),
    },
    checks=pa.Check(lambda d: (d["projekt_id"] != "") | (d["omrade"] != ""), error="projekt_id or omrade"),
    strict=True, ordered=True, name="surveys",
)

# ============================================================================================
# Cell helpers
# ============================================================================================

_KOMMUN = it.kommun_rule("1283 for Helsingborg")


def _day(d: pd.Timestamp) -> str:
    return f"{d:%Y-%m-%d}"


# ============================================================================================
# Loaders
# ============================================================================================


def _check_periods(dates: Mapping[str, pd.Series], file: str, headers: Mapping[str, str]) -> None:
    """The order of the dates of every row; the first broken rule (row by row) is raised."""
    d = dates
    rules = [
        ("slut", d["slut"] < d["start"],
         lambda r: f"the intervention ends (slut {_day(d['slut'][r])}) before it starts (start {_day(d['start'][r])})",
         "check start and slut: slut is the last day of the intervention, on or after start"),
        ("fore_slut", d["fore_slut"] < d["fore_start"],
         lambda r: f"the before period ends ({_day(d['fore_slut'][r])}) before it starts "
                   f"({_day(d['fore_start'][r])})", "check fore_start and fore_slut"),
        ("fore_slut", d["fore_slut"] > d["start"],
         lambda r: f"the before period ends on {_day(d['fore_slut'][r])}, after the intervention starts "
                   f"(start {_day(d['start'][r])})",
         "the before period must end on or before start: move fore_slut to the start day or earlier"),
        ("efter_start", d["efter_start"] < d["slut"],
         lambda r: f"the after period starts on {_day(d['efter_start'][r])}, before the intervention ends "
                   f"(slut {_day(d['slut'][r])})",
         "the after period must start on or after slut: move efter_start to the end day or later"),
        ("efter_slut", d["efter_slut"] < d["efter_start"],
         lambda r: f"the after period ends ({_day(d['efter_slut'][r])}) before it starts "
                   f"({_day(d['efter_start'][r])})", "check efter_start and efter_slut"),
    ]
    for row in d["start"].index:
        for col, bad, problem, fix in rules:
            if bad[row]:
                raise InputError(file, problem(row), fix, row=int(row), column=headers[col])


def load_projects(path: str | Path, places: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Load a project register (``projekt.csv``/``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``projekt`` if there is one, else the first sheet).
    places : geopandas.GeoDataFrame, optional
        The places register. When given, areas named by place ids are resolved
        (:func:`~lagesbild.projects.areas.resolve_areas`); otherwise their geometry stays None until
        :func:`~lagesbild.projects.areas.resolve_areas` or :func:`~lagesbild.projects.areas.project_areas`
        is given the register.

    Returns
    -------
    pandas.DataFrame
        One row per project, index = spreadsheet row (see :data:`PROJECTS_SCHEMA`): ``projekt_id``,
        ``namn``, ``kommun_kod``, ``atgarder`` (the measures, trimmed and joined with ``"; "``),
        ``atgardstyp``, ``budget_sek`` (NaN = unknown), ``start``, ``slut``, ``fore_start``,
        ``fore_slut``, ``efter_start``, ``efter_slut`` (datetime64[ns], whole days), ``fore_dagar``
        and ``efter_dagar`` (length of each period in days, end day included), ``behandlat_platser``
        and ``kontroll_platser`` (place ids joined with ``"; "``, "" for a polygon or no area),
        ``behandlat_geometri`` and ``kontroll_geometri`` (shapely polygons in EPSG:3006, or None),
        ``kommentar`` (never publish). ``attrs``: ``file`` and ``headers``.

    Raises
    ------
    InputError
        Naming row and column: missing or unknown columns, an empty or repeated ``projekt_id``, a
        kommun that is not four digits, an empty list of measures, an unknown ``atgardstyp``, a
        negative budget, a bad date, dates in the wrong order (the intervention ends before it
        starts, the before period ends after ``start``, the after period starts before ``slut``,
        a period that ends before it starts), an empty treated area, a polygon without
        ``koordinatsystem`` or with bad WKT or coordinates outside Sweden, an unknown place id
        (with ``places``), and a control area that overlaps the treated area.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "projekt.csv"
    >>> _ = p.write_text("projekt_id;namn;kommun;åtgärder;åtgärdstyp;start;slut;behandlat_omrade;"
    ...                  "fore_start;fore_slut;efter_start;efter_slut\\n"
    ...                  'P1;Ljusare torg;1283;"belysning ;röjning";Fysisk;2024-07-01;2024-12-31;HBG-001;'
    ...                  '2024-01-01;2024-06-30;2025-01-01;2025-03-31\\n', encoding="utf-8")
    >>> df = load_projects(p)
    >>> df.loc[2, ["atgarder", "atgardstyp", "behandlat_platser"]].tolist()
    ['belysning; röjning', 'fysisk', 'HBG-001']
    >>> int(df.loc[2, "fore_dagar"]), int(df.loc[2, "efter_dagar"])  # end days included
    (182, 90)
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATES["projekt"].read(path)
    it.check_cells(df, {
        "projekt_id": NOT_EMPTY,
        "namn": NOT_EMPTY,
        "kommun": _KOMMUN,
        "atgarder": Rule(lambda s: s.map(lambda v: bool(_split_ids(v))), lambda v: "the list of measures is empty",
                          "list the measures separated by ;, e.g. belysning; röjning; aktivering"),
        "atgardstyp": it.vocabulary(MEASURE_TYPES, _MEASURE_TYPE_ALIASES, "kind of measure"),
        "behandlat_omrade": Rule(is_filled, lambda v: "the treated area is empty",
                                  "give a WKT polygon (and koordinatsystem) or the plats_id of one or more places "
                                  "in platser, separated by ;"),
        "koordinatsystem": crs_rule(),
    }, file, headers)
    ids = cell_text(df["projekt_id"])
    it.check_unique(ids, file, headers["projekt_id"], "projekt_id")
    budget = it.numbers(df, "budget_sek", file, headers, minimum=0, what="budget",
                      fix="write the budget in kronor as a number 0 or larger, or leave the cell empty if unknown")
    dates = {c: it.parse_dates(df[c], file, headers[c]) for c in _DATE_COLUMNS}
    _check_periods(dates, file, headers)
    crs = {row: parse_crs(value) for row, value in df["koordinatsystem"].items()}  # None when empty
    areas = {}
    for which, (_, _, source_col) in _ID_COLUMNS.items():
        areas[which] = [_parse_area(df.loc[row, source_col], crs[row], file, int(row), headers[source_col],
                                    headers["koordinatsystem"]) for row in df.index]
    one_day = pd.Timedelta(days=1)
    out = pd.DataFrame({
        "projekt_id": ids,
        "namn": cell_text(df["namn"]),
        "kommun_kod": cell_text(df["kommun"]),
        "atgarder": df["atgarder"].map(lambda v: "; ".join(_split_ids(v))).astype(str),
        "atgardstyp": it.canonical(df["atgardstyp"], MEASURE_TYPES, _MEASURE_TYPE_ALIASES),
        "budget_sek": budget.astype(float),
        **dates,
        "fore_dagar": ((dates["fore_slut"] - dates["fore_start"] + one_day).dt.days).astype("int64"),
        "efter_dagar": ((dates["efter_slut"] - dates["efter_start"] + one_day).dt.days).astype("int64"),
        "behandlat_platser": pd.Series(["; ".join(a[0]) for a in areas["behandlat"]], index=df.index, dtype=str),
        "behandlat_geometri": pd.Series([a[1] for a in areas["behandlat"]], index=df.index, dtype=object),
        "kontroll_platser": pd.Series(["; ".join(a[0]) for a in areas["kontroll"]], index=df.index, dtype=str),
        "kontroll_geometri": pd.Series([a[1] for a in areas["kontroll"]], index=df.index, dtype=object),
        "kommentar": cell_text(df["kommentar"]),
    }, index=df.index)
    out.attrs.update(file=file, headers=dict(headers))
    _check_overlap(out, file, headers)
    if places is not None:
        out = resolve_areas(out, places)
    attrs = dict(out.attrs)
    out = schemas.validate(out, PROJECTS_SCHEMA, file)
    out.attrs = attrs
    return out


def load_commitments(path: str | Path) -> pd.DataFrame:
    """Load a commitments register (``ataganden.csv``/``.xlsx``), e.g. the commitments of a medborgarlöfte.

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``ataganden`` or ``åtaganden`` if there is one, else the first).

    Returns
    -------
    pandas.DataFrame
        One row per commitment, index = spreadsheet row (see :data:`COMMITMENTS_SCHEMA`):
        ``atagande_id``, ``kommun_kod``, ``ar`` (int), ``text``, ``agare`` (one of :data:`OWNERS`),
        ``indikator``, ``typ`` (one of :data:`COMMITMENT_TYPES`), ``mal`` (float; only for
        ``minst``/``högst``, else NaN), ``enhet``, ``deadline`` (datetime64[ns]), ``utfall`` (float:
        the number for ``minst``/``högst``, 1.0 = ja and 0.0 = nej for ``ja/nej``, NaN when not
        reported yet and always for ``minska``/``öka``), ``fore`` and ``efter`` (counts for
        ``minska``/``öka``, else NaN), ``rapporterat`` (True when the outcome is reported: ``utfall``
        filled, or both ``fore`` and ``efter``), ``kalla``.

    Raises
    ------
    InputError
        Naming row and column: missing or unknown columns, an empty or repeated ``atagande_id``, a
        kommun that is not four digits, a year that is not a whole number 2000–2100, empty text, an
        unknown owner or type, ``mal`` missing for ``minst``/``högst`` or filled for another type, a
        bad or early deadline, an outcome that does not fit the type (a number for ``ja/nej``,
        ``utfall`` for ``minska``/``öka``), ``fore``/``efter`` for another type, only one of them,
        or not a whole number 0 or larger.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ataganden.csv"
    >>> _ = p.write_text("atagande_id;kommun;år;text;ägare;typ;mål;deadline;utfall;före;efter\\n"
    ...                  "A1;1380;2025;Minst 900 timmar;Polis;minst;900;2025-12-31;950;;\\n"
    ...                  "A2;1380;2025;Färre misshandel;båda;minska;;2025-12-31;;48;35\\n"
    ...                  "A3;1380;2025;Trygghetsvandring;kommun;Ja/Nej;;2025-12-31;Ja;;\\n", encoding="utf-8")
    >>> df = load_commitments(p)
    >>> df[["typ", "mal", "utfall", "fore", "efter", "rapporterat"]].values.tolist()
    [['minst', 900.0, 950.0, nan, nan, True], ['minska', nan, nan, 48.0, 35.0, True], ['ja/nej', nan, 1.0, nan, nan, True]]
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATES["ataganden"].read(path)
    it.check_cells(df, {
        "atagande_id": NOT_EMPTY,
        "kommun": _KOMMUN,
        "text": Rule(is_filled, lambda v: "the commitment's text is empty",
                      "write the commitment as it was published"),
        "agare": it.vocabulary(OWNERS, _OWNER_ALIASES, "commitment owner"),
        "typ": it.vocabulary(COMMITMENT_TYPES, _TYPE_ALIASES, "commitment type"),
    }, file, headers)
    ids = cell_text(df["atagande_id"])
    it.check_unique(ids, file, headers["atagande_id"], "atagande_id")
    year = to_number(df["ar"], file=file, column=headers["ar"], integer=True, allow_missing=False)
    bad_year = (year < YEAR_RANGE[0]) | (year > YEAR_RANGE[1])
    if bad_year.any():
        row = first_row(bad_year)
        raise InputError(file, f"{plain(df.loc[row, 'ar'])} is not a year {YEAR_RANGE[0]}–{YEAR_RANGE[1]}",
                         "write the year the commitment is for with four digits, e.g. 2025", row=row,
                         column=headers["ar"])
    typ = it.canonical(df["typ"], COMMITMENT_TYPES, _TYPE_ALIASES)
    deadline = it.parse_dates(df["deadline"], file, headers["deadline"])
    early = deadline < pd.to_datetime(year.astype(int).astype(str) + "-01-01")
    if early.any():
        row = first_row(early)
        raise InputError(file, f"the deadline {_day(deadline[row])} is before the commitment's year "
                         f"{int(year[row])}", "correct the deadline or the year (ar)", row=row,
                         column=headers["deadline"])

    target = typ.isin(TARGET_TYPES)
    direction = typ.isin(DIRECTION_TYPES)
    yes_no = typ == "ja/nej"
    mal = it.numbers(df, "mal", file, headers, minimum=0, what="target",
                   fix="write the target as a number 0 or larger, e.g. 900")
    _typed_cells(df, "mal", mal.isna() & target, file, headers, typ,
                 "the target (mal) is empty", "write the target number for minst/högst, e.g. 900")
    _typed_cells(df, "mal", mal.notna() & ~target, file, headers, typ,
                 "the row has a target (mal) but typ is {typ}",
                 "leave mal empty for minska, öka and ja/nej (minska/öka: give the counts in fore and efter), "
                 "or change typ to minst or högst")

    utfall_text = cell_text(df["utfall"])
    utfall = pd.Series(np.nan, index=df.index, dtype=float)
    if target.any():
        utfall[target] = to_number(utfall_text[target], file=file, column=headers["utfall"]).to_numpy()
    answer = utfall_text.map(normalise)
    _typed_cells(df, "utfall", yes_no & ~answer.isin(["ja", "nej", ""]), file, headers, typ,
                 "{cell} is not ja or nej", "write ja or nej for a ja/nej commitment, or leave it empty if not "
                 "reported yet")
    utfall[yes_no & (answer == "ja")] = 1.0
    utfall[yes_no & (answer == "nej")] = 0.0
    _typed_cells(df, "utfall", (utfall_text != "") & direction, file, headers, typ,
                 "the row has an outcome (utfall) but typ is {typ}",
                 "for minska and öka give the counts before and after in fore and efter and leave utfall empty")

    counts = {}
    for col in ("fore", "efter"):
        counts[col] = it.numbers(df, col, file, headers, minimum=0, integer=True, what="count",
                               fix="write the count as a whole number 0 or larger")
        _typed_cells(df, col, counts[col].notna() & ~direction, file, headers, typ,
                     f"the row has a count in {headers[col]} but typ is {{typ}}",
                     "leave fore and efter empty unless typ is minska or öka")
    for a, b in (("fore", "efter"), ("efter", "fore")):
        _typed_cells(df, b, counts[a].notna() & counts[b].isna(), file, headers, typ,
                     f"{headers[a]} is filled but {headers[b]} is empty",
                     "give both fore and efter, or leave both empty if the outcome is not reported yet")

    out = pd.DataFrame({
        "atagande_id": ids,
        "kommun_kod": cell_text(df["kommun"]),
        "ar": year.astype("int64"),
        "text": cell_text(df["text"]),
        "agare": it.canonical(df["agare"], OWNERS, _OWNER_ALIASES),
        "indikator": cell_text(df["indikator"]),
        "typ": typ,
        "mal": mal.astype(float),
        "enhet": cell_text(df["enhet"]),
        "deadline": deadline,
        "utfall": utfall,
        "fore": counts["fore"].astype(float),
        "efter": counts["efter"].astype(float),
        "rapporterat": (utfall.notna() | (counts["fore"].notna() & counts["efter"].notna())).astype(bool),
        "kalla": cell_text(df["kalla"]),
    }, index=df.index)
    out = schemas.validate(out, COMMITMENTS_SCHEMA, file)
    out.attrs.update(file=file, headers=dict(headers))
    return out


def _typed_cells(df: pd.DataFrame, col: str, bad: pd.Series, file: str, headers: Mapping[str, str],
                 typ: pd.Series, problem: str, fix: str) -> None:
    """Raise at the first row of ``bad`` (a problem that depends on the commitment's type)."""
    if bad.any():
        row = first_row(bad)
        raise InputError(file, problem.format(typ=typ[row], cell=repr(df.loc[row, col])), fix, row=row,
                         column=headers[col])


def load_surveys(path: str | Path, projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """Load survey indices before and after (``enkat.csv``/``.xlsx``).

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``enkat`` or ``enkät`` if there is one, else the first).
    projects : pandas.DataFrame, optional
        The project register (:func:`load_projects`): every ``projekt_id`` must be in it, and a row
        with a project takes the project's kommun.

    Returns
    -------
    pandas.DataFrame
        Index = spreadsheet row (see :data:`SURVEYS_SCHEMA`): ``projekt_id`` ("" for an area without a
        project), ``omrade``, ``kommun_kod`` (the project's kommun, else the row's; "" when neither is
        known), ``index``, ``period`` ("före" or "efter"), ``varde``, ``ki_lag``, ``ki_hog`` (NaN when
        not given), ``n`` (number of respondents, NaN when not given), ``kalla``.

    Raises
    ------
    InputError
        Naming row and column: missing or unknown columns, a row with neither ``projekt_id`` nor
        ``omrade``, an unknown project (with ``projects``), a row without a project and without a
        four-digit kommun, a kommun that differs from the project's, an empty index, a period that is
        not före/efter, a value that is not a number, only one bound of the interval, a value outside
        its interval, ``n`` not a whole number above 0, and two values for the same project or area,
        index and period.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkat.csv"
    >>> _ = p.write_text("område;kommun;index;period;värde;ki_låg;ki_hög;n\\n"
    ...                  "Söder;1283;Problemindex;Före;2,1;1,8;2,4;412\\n", encoding="utf-8")
    >>> load_surveys(p).loc[2, ["omrade", "period", "varde", "ki_lag", "ki_hog", "n"]].astype(str).tolist()
    ['Söder', 'före', '2.1', '1.8', '2.4', '412.0']
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATES["enkat"].read(path)
    it.check_cells(df, {
        "index": Rule(is_filled, lambda v: "the index name is empty",
                       "write the name of the index, e.g. Problemindex (polisens trygghetsmätning)"),
        "period": it.vocabulary(SURVEY_PERIODS, _PERIOD_ALIASES, "survey period"),
        "kommun": it.kommun_rule("1283 for Helsingborg", allow_empty=True),
    }, file, headers)
    project_id, area, kommun = cell_text(df["projekt_id"]), cell_text(df["omrade"]), cell_text(df["kommun"])
    neither = (project_id == "") & (area == "")
    if neither.any():
        raise InputError(file, "the row has neither a projekt_id nor an omrade",
                         "give the projekt_id of a project in projekt, or the name of the area in omrade",
                         row=first_row(neither), column=headers["projekt_id"])
    if projects is not None:
        kommun_of = dict(zip(projects["projekt_id"], projects["kommun_kod"], strict=True))
        unknown = (project_id != "") & ~project_id.isin(set(kommun_of))
        if unknown.any():
            row = first_row(unknown)
            raise InputError(file, f"projekt_id {plain(project_id[row])} is not in the project register",
                             "correct the id or add the project to projekt (known ids: "
                             f"{', '.join(sorted(kommun_of)[:8]) or 'none'})", row=row, column=headers["projekt_id"])
        from_project = project_id.map(lambda p: kommun_of.get(p, "")).astype(str)
        differs = (from_project != "") & (kommun != "") & (kommun != from_project)
        if differs.any():
            row = first_row(differs)
            raise InputError(file, f"kommun {kommun[row]} differs from the project's kommun {from_project[row]}",
                             "leave kommun empty for a row with a projekt_id, or correct it", row=row,
                             column=headers["kommun"])
        kommun = from_project.where(from_project != "", kommun)
    no_kommun = (project_id == "") & (kommun == "")
    if no_kommun.any():
        raise InputError(file, "the row has no projekt_id and no kommun",
                         "write the four-digit kommun code of the area, e.g. 1283", row=first_row(no_kommun),
                         column=headers["kommun"])
    value = to_number(df["varde"], file=file, column=headers["varde"], allow_missing=False)
    low = to_number(df["ki_lag"], file=file, column=headers["ki_lag"])
    high = to_number(df["ki_hog"], file=file, column=headers["ki_hog"])
    for a, b, sa, sb in (("ki_lag", "ki_hog", low, high), ("ki_hog", "ki_lag", high, low)):
        half = sa.notna() & sb.isna()
        if half.any():
            raise InputError(file, f"{headers[a]} is filled but {headers[b]} is empty",
                             "give both bounds of the confidence interval, or neither", row=first_row(half),
                             column=headers[b])
    outside = low.notna() & ((value < low) | (value > high))
    if outside.any():
        row = first_row(outside)
        raise InputError(file, f"the value {value[row]:g} is not inside its interval {low[row]:g}–{high[row]:g}",
                         "check varde, ki_lag and ki_hog (ki_lag ≤ varde ≤ ki_hog)", row=row,
                         column=headers["varde"])
    n = it.numbers(df, "n", file, headers, integer=True, minimum=1, what="number of respondents",
                 fix="write the number of respondents as a whole number above 0, or leave it empty")
    period = it.canonical(df["period"], SURVEY_PERIODS, _PERIOD_ALIASES)
    key = project_id.where(project_id != "", "område " + area + " " + kommun)
    it.check_unique(key + " | " + df["index"].map(normalise) + " | " + period, file, headers["period"],
                    "project/area, index and period")
    out = pd.DataFrame({
        "projekt_id": project_id, "omrade": area, "kommun_kod": kommun.astype(str), "index": cell_text(df["index"]),
        "period": period, "varde": value.astype(float), "ki_lag": low.astype(float), "ki_hog": high.astype(float),
        "n": n.astype(float), "kalla": cell_text(df["kalla"]),
    }, index=df.index)
    out = schemas.validate(out, SURVEYS_SCHEMA, file)
    out.attrs.update(file=file, headers=dict(headers))
    return out


# ============================================================================================
# A project folder
# ============================================================================================


@dataclass
class ProjectData:
    """The projects, commitments and survey indices of one kommun, loaded from a project folder.

    ``projects`` (:func:`load_projects`, areas resolved when a places register was given),
    ``commitments`` (:func:`load_commitments`) and ``surveys`` (:func:`load_surveys`) hold only the
    kommun's rows; each is None when the kommun has none (or the folder has no such file).
    ``files`` lists the tables that gave rows (``name``, ``description``, ``sha256``, ``date``) for
    the report's provenance. ``example`` is True for invented example data: every report must say so.
    """

    projects: pd.DataFrame | None
    commitments: pd.DataFrame | None
    surveys: pd.DataFrame | None
    example: bool
    description: str
    source: str
    files: list[dict] = field(default_factory=list)
    kommun_kod: str = ""
    folder: Path | None = None


def find_project_files(folder: str | Path) -> dict[str, Path]:
    """The tables of a project folder by kind (file names compared case-insensitively).

    ``åtaganden`` and ``enkät`` are accepted spellings. Other files (``metadata.yaml``, README, scripts,
    Excel lock files ``~$…``) are ignored; a table whose name is not a known kind, or two tables of one
    kind, are errors.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("Projekt.csv", "åtaganden.xlsx", "make_example.py"):
    ...     _ = (d / name).write_text("x")
    >>> sorted(find_project_files(d))
    ['ataganden', 'projekt']
    """
    return PROJECT_FOLDER.find(folder)


def load_project_folder(folder: str | Path, kommun: str, places: gpd.GeoDataFrame | None = None) -> ProjectData | None:
    """Load a project folder and keep the projects, commitments and survey indices of one kommun.

    Every table is loaded and checked whole first (survey rows against the project register). Then the
    kommun's rows are kept, and the areas of its projects that are named by place ids are resolved
    against ``places`` (so a places register of this kommun only is enough).

    Parameters
    ----------
    folder : str or Path
        The project folder (see the module docstring).
    kommun : str
        Four-digit kommun code, e.g. "1283".
    places : geopandas.GeoDataFrame, optional
        The places register (e.g. ``load_place_data(...).places``). Without it, areas named by place
        ids keep the geometry None.

    Returns
    -------
    ProjectData or None
        None when the kommun has neither projects nor commitments.

    Raises
    ------
    InputError
        A missing folder, a folder with neither ``projekt`` nor ``ataganden``, unknown table names,
        a bad ``metadata.yaml``, every error of the loaders, and (with ``places``) an unknown place id
        in one of the kommun's projects, naming row and column.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> data = load_project_folder(DATA / "example" / "projects", "1380")
    >>> data.example, data.projects is None, len(data.commitments), data.files[0]["name"]
    (True, True, 4, 'projects/ataganden.csv')
    >>> load_project_folder(DATA / "example" / "projects", "2080") is None
    True
    """
    found = PROJECT_FOLDER.open(folder, kommun)
    tables, meta, kommun = found.tables, found.metadata, found.kommun

    def parse() -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
        all_projects = load_projects(tables["projekt"]) if "projekt" in tables else None
        commitments = load_commitments(tables["ataganden"]) if "ataganden" in tables else None
        if "enkat" in tables and all_projects is None:
            all_projects_for_check = pd.DataFrame({"projekt_id": pd.Series([], dtype=str),
                                                   "kommun_kod": pd.Series([], dtype=str)})
        else:
            all_projects_for_check = all_projects
        surveys = load_surveys(tables["enkat"], all_projects_for_check) if "enkat" in tables else None
        return all_projects, commitments, surveys

    all_projects, commitments, surveys = parsed_once("projects", tables, parse)  # the whole folder, once per process

    def mine(df: pd.DataFrame | None) -> pd.DataFrame | None:
        if df is None:
            return None
        kept = df[df["kommun_kod"] == kommun]
        if kept.empty:
            return None
        kept.attrs = dict(df.attrs)
        return kept

    projects, commitments, surveys = mine(all_projects), mine(commitments), mine(surveys)
    if projects is None and commitments is None:
        return None
    if projects is not None and places is not None:
        projects = resolve_areas(projects, places)
    used = [kind for kind, frame in (("projekt", projects), ("ataganden", commitments), ("enkat", surveys))
            if frame is not None]
    return ProjectData(projects=projects, commitments=commitments, surveys=surveys, example=meta["exempeldata"],
                       description=meta["beskrivning"], source=meta["kalla"], files=found.provenance(used),
                       kommun_kod=kommun, folder=found.folder)


__all__ = [
    "COMMITMENTS_SCHEMA", "PROJECTS_SCHEMA", "SURVEYS_SCHEMA", "YEAR_RANGE", "ProjectData", "find_project_files",
    "load_commitments", "load_project_folder", "load_projects", "load_surveys",
]

#: The names this module gave to :mod:`lagesbild.projects.templates` and :mod:`lagesbild.projects.areas`
#: (``lagesbild.projects.data.count_events`` keeps working, looked up on first use).
__getattr__ = lazy.also_in(__name__, "lagesbild.projects.templates", "lagesbild.projects.areas")
