"""Polisens trygghetsmätning per område: template, validated loader, example data and an area summary.

The police's local safety survey (Polisens trygghetsmätning, run by the police regions with the
kommuner) reports, per area (område) of a kommun, a *problem index* on a scale from 0 to 6 for each
question (littering, speeding cars, groups of youths causing disturbance …) and a total index per
area: 0 means "närmast obefintligt problem" and 6 "alarmerande påtagligt problem", so a low index is
better than a high one (polisen.se; sources and what could not be confirmed are in
``data/templates/trygghetsmatning/README.md``, written from :func:`templates_markdown`). No public
register of these results exists, so a kommun copies them from the police's report into one table.

A *trygghetsmätning folder* holds that table, as CSV or Excel, and an optional ``metadata.yaml`` (the
keys of :data:`lagesbild.inputs.folders.METADATA_KEYS`):

========================  ===============================================  ======
file                      what                                             needed
========================  ===============================================  ======
``trygghetsmatning.*``    one row per area, year and question: the index,  yes
                          its interval, respondents, the problem level
``metadata.yaml``         ``exempeldata``, ``beskrivning``, ``kalla``,      no
                          ``datum``
========================  ===============================================  ======

The columns are declared once, in :data:`TEMPLATE` (with :mod:`lagesbild.inputs.tables`), and the
folder in :data:`TRYGGHET_FOLDER`; the declaration reads the table and writes the templates in
``data/templates/trygghetsmatning/`` (CSV, ``trygghetsmatning.xlsx`` with an ``Instruktioner`` sheet,
README). Every problem in a file is an :class:`~lagesbild.core.errors.InputError` naming file, spreadsheet
row, column, what is wrong and the fix.

The problem *level* of a question (small, some or large problems) is read only as the police's report
states it: the cut-offs the police use could not be confirmed from a public source, so this module
never derives a level from the index.

:func:`area_summary` summarises the table per area and year (total index, largest problem, rank among
the areas, change since the area's previous measurement with its uncertainty) and :func:`area_table`
makes the report's Swedish table of it. Without a folder of its own a report reads the invented example
for Falun (:data:`EXAMPLE_TRYGGHET`), which says so in its ``metadata.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lagesbild.core import fmt, reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA
from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import tables as it
from lagesbild.inputs.folders import METADATA_KEYS, Folder, parsed_once
from lagesbild.inputs.tables import Column, Rule, Table, normalise
from lagesbild.sources import schemas
from lagesbild.sources.readers import to_number

# ============================================================================================
# Constants
# ============================================================================================

#: The file stem of the table in a trygghetsmätning folder.
FILE_KIND = "trygghetsmatning"

#: Swedish description of the table, used in a report's provenance.
FILE_DESCRIPTION = "Polisens trygghetsmätning: problemindex per område"

#: The bundled, invented example folder (Falun, 2080).
EXAMPLE_TRYGGHET = DATA / "example" / "trygghetsmatning"

#: The problem index scale.
INDEX_MIN, INDEX_MAX = 0.0, 6.0

#: The question name of an area's total index (compared case-insensitively); the aliases mean the same.
TOTAL = "Totalindex"
TOTAL_ALIASES: tuple[str, ...] = ("totalindex", "totalt index", "totalt")

#: Problem levels as a report may state them, and other spellings accepted for each.
LEVELS: tuple[str, ...] = ("små problem", "vissa problem", "stora problem")
LEVEL_ALIASES: dict[str, str] = {
    "små": "små problem", "litet problem": "små problem", "små problem": "små problem",
    "inga eller små problem": "små problem", "vissa": "vissa problem", "vissa problem": "vissa problem",
    "stora": "stora problem", "stort problem": "stora problem", "stora problem": "stora problem",
}

#: The scale in Swedish, for the report and the template.
INDEX_RULE = (
    "Problemindex går från 0 till 6: 0 betyder närmast obefintligt problem och 6 alarmerande påtagligt "
    "problem. Ett lågt index är alltså bättre än ett högt. Varje område får ett index per fråga och ett "
    "samlat totalindex."
)

#: How problem levels are handled, in Swedish.
LEVEL_RULE = (
    "Problemnivån (små problem, vissa problem, stora problem) skrivs in så som polisens rapport anger den. "
    "Vilka indexvärden polisen räknar som små, vissa eller stora problem har inte gått att bekräfta i en "
    "offentlig källa, så nivån räknas aldrig ut ur indexet här. Lämna cellen tom om rapporten inte anger "
    "någon nivå."
)

#: How a change between two measurements is judged, in Swedish.
CHANGE_RULE = (
    "Förändringen sedan föregående mätning i samma område bedöms med ett z-test av skillnaden, där "
    "standardfelen räknas ut ur båda mätningarnas 95 %-intervall. Bara en skillnad med p under 0,05 kallas "
    "tydlig. Utan intervall går osäkerheten inte att bedöma, och då sägs det."
)

# ============================================================================================
# The template
# ============================================================================================


def _column(name: str, required: bool, description: str, example: str, *aliases: str) -> Column:
    return Column(name, required, description, example, tuple(aliases))


_SOURCE = "Polisens trygghetsmätning 2024"
_ROWS: tuple[tuple[str, ...], ...] = (
    ("2080", "Centrum", "2024", TOTAL, "1,85", "1,62", "2,08", "412", "", _SOURCE),
    ("2080", "Centrum", "2024", "Nedskräpning", "2,40", "2,12", "2,68", "405", "vissa problem", _SOURCE),
    ("2080", "Centrum", "2024", "Personer som är påverkade av alkohol eller narkotika", "3,10", "", "", "398",
     "stora problem", _SOURCE),
)

#: The table: its columns (name, required column, Swedish description, example, aliases) and example rows.
TEMPLATE = Table(
    FILE_KIND, "Polisens trygghetsmätning per område",
    "En rad per område, år och fråga ur polisens rapport: frågans problemindex (0–6), dess intervall om "
    f"rapporten anger det, antal svarande och problemnivån. Skriv {TOTAL} som fråga för områdets samlade index.",
    (
        _column("kommun", True, "Kommunkod, fyra siffror (SCB), t.ex. 2080 för Falun eller 0114 (behåll nollan).",
                "2080", "kommun_kod", "kommunkod"),
        _column("omrade", True, "Området som resultatet gäller, med samma namn som i polisens rapport och samma "
                "stavning varje år.", "Centrum", "område"),
        _column("ar", True, "Mätningens år, fyra siffror, t.ex. 2024.", "2024", "år"),
        _column("fraga", True, f"Frågan eller problemet, t.ex. Nedskräpning. Skriv {TOTAL} för områdets samlade "
                "problemindex.", TOTAL, "fråga", "problem"),
        _column("index", True, "Problemindex 0–6 (0 = närmast obefintligt problem, 6 = alarmerande påtagligt "
                "problem); decimalkomma går bra.", "1,85", "problemindex"),
        _column("ki_lag", False, "Nedre gräns i indexets 95 % konfidensintervall (0–6), om rapporten anger den; "
                "annars tom. Ange båda gränserna eller ingen.", "1,62", "ki_låg"),
        _column("ki_hog", False, "Övre gräns i indexets 95 % konfidensintervall (0–6), om rapporten anger den; "
                "annars tom.", "2,08", "ki_hög"),
        _column("antal_svarande", False, "Antal som svarat i området (heltal större än 0); tom om okänt.", "412",
                "svarande", "antal svar"),
        _column("problemniva", False, "Problemnivån som polisens rapport anger för frågan: små problem, vissa "
                "problem eller stora problem. Tom = inte angiven; räkna aldrig ut den själv.", "vissa problem",
                "problemnivå", "nivå"),
        _column("kalla", False, "Rapporten som värdena kommer från, t.ex. Polisens trygghetsmätning 2024.", _SOURCE,
                "källa"),
    ),
    _ROWS,
    templates="data/templates/trygghetsmatning", description=FILE_DESCRIPTION, noun="table",
    row_noun="area, year and question",
)

#: The trygghetsmätning folder: one table and an optional ``metadata.yaml``.
TRYGGHET_FOLDER = Folder("trygghetsmätning folder", (TEMPLATE,), needs=(FILE_KIND,),
                         table_noun="trygghetsmätning table", example_kommun="2080",
                         merge_hint="put all areas and years in one table")

# ============================================================================================
# The loaded table
# ============================================================================================

_KOMMUN_RE = r"^\d{4}$"

#: A loaded table (:func:`load_trygghet`); index = spreadsheet row.
RESULTS_SCHEMA = pa.DataFrameSchema(
    {
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "omrade": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "question": pa.Column(str, pa.Check.str_length(min_value=1)),
        "is_total": pa.Column(bool),
        "index": pa.Column(float, pa.Check.in_range(INDEX_MIN, INDEX_MAX)),
        "ci_low": pa.Column(float, pa.Check.in_range(INDEX_MIN, INDEX_MAX), nullable=True),
        "ci_high": pa.Column(float, pa.Check.in_range(INDEX_MIN, INDEX_MAX), nullable=True),
        "respondents": pa.Column(float, pa.Check.gt(0), nullable=True),
        "level": pa.Column(str, pa.Check.isin(["", *LEVELS])),
        "kalla": pa.Column(str),
    },
    strict=True, ordered=True, name="trygghetsmatning",
)


def _in_range(values: pd.Series, cells: pd.Series, file: str, column: str, what: str) -> None:
    bad = values.notna() & ((values < INDEX_MIN) | (values > INDEX_MAX))
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        raise InputError(file, f"{what} {plain(cells[row])} is outside the scale 0–6",
                         "the problem index runs from 0 to 6; copy the value from the police's report "
                         "(is it a percentage or another scale?)", row=int(row), column=column)


def load_trygghet(path: str | Path) -> pd.DataFrame:
    """Load a trygghetsmätning table (``trygghetsmatning.csv``/``.xlsx``), checking every cell.

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``trygghetsmatning`` if there is one, else the first sheet).

    Returns
    -------
    pandas.DataFrame
        One row per area, year and question, index = spreadsheet row (:data:`RESULTS_SCHEMA`):
        ``kommun_kod``, ``omrade`` (as first written, spaces collapsed), ``year``, ``question``,
        ``is_total`` (the question is :data:`TOTAL`), ``index``, ``ci_low``, ``ci_high`` (NaN if not
        given), ``respondents`` (NaN if not given), ``level`` (one of :data:`LEVELS` or ""),
        ``kalla``.

    Raises
    ------
    InputError
        Naming row and column: unknown or missing columns, a kommun that is not four digits, an empty
        area or question, a year that is not four digits or in the future, an index or interval that is
        not a number or outside 0–6, an interval with one end, an interval that does not contain its
        index or has no width, respondents that are not a whole number above 0, an unknown problem
        level, and two rows for the same kommun, area, year and question (both rows named).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "trygghetsmatning.csv"
    >>> _ = p.write_text("kommun;omrade;ar;fraga;index;ki_lag;ki_hog;antal_svarande\\n"
    ...                  "2080;Centrum;2024;Totalindex;1,85;1,62;2,08;412\\n"
    ...                  "2080;Centrum;2024;Nedskräpning;2,4;;;\\n", encoding="utf-8")
    >>> load_trygghet(p)[["question", "is_total", "index", "ci_low", "respondents"]].values.tolist()
    [['Totalindex', True, 1.85, 1.62, 412.0], ['Nedskräpning', False, 2.4, nan, nan]]
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATE.read(path)
    levels = {normalise(k): v for k, v in LEVEL_ALIASES.items()}
    it.check_cells(df, {
        "kommun": it.kommun_rule("2080 for Falun"),
        "omrade": Rule(lambda s: s.str.strip() != "", lambda v: "the area is empty",
                        "write the area's name as in the police's report"),
        "fraga": Rule(lambda s: s.str.strip() != "", lambda v: "the question is empty",
                       f"write the question or problem as in the police's report, or {TOTAL} for the area's total"),
        "problemniva": Rule(lambda s: s.map(lambda v: not v.strip() or normalise(v) in levels),
                             lambda v: f"{plain(v)} is not a problem level",
                             f"write {', '.join(LEVELS)} as the police's report states it, or leave the cell empty"),
    }, file, headers)
    year = to_number(df["ar"], file=file, column=headers["ar"], integer=True, allow_missing=False)
    this_year = dt.date.today().year
    bad = (year < 1990) | (year > this_year)
    if bad.any():
        row = year.index[bad.to_numpy()][0]
        raise InputError(file, f"{plain(df.loc[row, 'ar'])} is not a year of a measurement (1990–{this_year})",
                         "write the year of the measurement with four digits, e.g. 2024",
                         row=int(row), column=headers["ar"])
    index = to_number(df["index"], file=file, column=headers["index"], allow_missing=False)
    _in_range(index, df["index"], file, headers["index"], "the index")
    low = to_number(df["ki_lag"], file=file, column=headers["ki_lag"])
    high = to_number(df["ki_hog"], file=file, column=headers["ki_hog"])
    _in_range(low, df["ki_lag"], file, headers["ki_lag"], "the lower limit")
    _in_range(high, df["ki_hog"], file, headers["ki_hog"], "the upper limit")
    one = low.isna() != high.isna()
    if one.any():
        row = int(low.index[one.to_numpy()][0])
        col = headers["ki_hog"] if np.isnan(high[row]) else headers["ki_lag"]
        raise InputError(file, "the interval has only one limit", "write both ki_lag and ki_hog, or leave both empty",
                         row=row, column=col)
    outside = low.notna() & ((low > index) | (high < index) | (low >= high))
    if outside.any():
        row = int(low.index[outside.to_numpy()][0])
        raise InputError(file, f"the interval {df.loc[row, 'ki_lag']}–{df.loc[row, 'ki_hog']} does not contain the "
                         f"index {df.loc[row, 'index']} (or has no width)",
                         "check the values against the police's report: ki_lag ≤ index ≤ ki_hog, ki_lag < ki_hog",
                         row=row, column=headers["ki_lag"])
    respondents = to_number(df["antal_svarande"], file=file, column=headers["antal_svarande"], integer=True)
    zero = respondents.notna() & (respondents <= 0)
    if zero.any():
        row = int(respondents.index[zero.to_numpy()][0])
        raise InputError(file, f"{plain(df.loc[row, 'antal_svarande'])} respondents is not above 0",
                         "write the number of respondents (a whole number above 0), or leave the cell empty",
                         row=row, column=headers["antal_svarande"])
    kommun = df["kommun"].str.strip().astype(str)
    area = df["omrade"].map(lambda v: " ".join(v.split())).astype(str)
    question = df["fraga"].map(lambda v: " ".join(v.split())).astype(str)
    is_total = question.map(normalise).isin(TOTAL_ALIASES)
    question = question.where(~is_total, TOTAL)
    area_key = kommun + "|" + area.map(normalise)
    area = area_key.map(area.groupby(area_key).first())  # one spelling per area: the first one written
    keys = area_key + "|" + year.astype(int).astype(str) + "|" + question.map(normalise)
    pair = it.first_repeat(keys)
    if pair is not None:
        first, second = pair
        raise InputError(file, f"rows {int(first)} and {int(second)} are both {plain(question[second])} for {area[second]} "
                         f"({kommun[second]}) in {int(year[second])}",
                         "keep one row per kommun, area, year and question: delete one of the rows or correct it",
                         row=int(second), column=headers["fraga"])
    out = pd.DataFrame({
        "kommun_kod": kommun, "omrade": area.astype(str), "year": year.astype("int64"), "question": question,
        "is_total": is_total.astype(bool), "index": index.astype(float), "ci_low": low.astype(float),
        "ci_high": high.astype(float), "respondents": respondents.astype(float),
        "level": df["problemniva"].map(lambda v: levels.get(normalise(v), "")).astype(str),
        "kalla": df["kalla"].str.strip().astype(str),
    }, index=df.index)
    out = schemas.validate(out, RESULTS_SCHEMA, file)
    out.attrs["file"] = file
    return out


# ============================================================================================
# A trygghetsmätning folder
# ============================================================================================


@dataclass
class TrygghetData:
    """One kommun's trygghetsmätning, loaded from a folder (:func:`load_trygghet_folder`).

    ``results`` as :func:`load_trygghet` (only the kommun's rows). ``files`` lists the table read
    (``name``, ``description``, ``sha256``, ``date``) for the report's provenance. ``example`` is True
    for invented example data: every report must say so.
    """

    results: pd.DataFrame
    example: bool
    description: str
    source: str
    files: list[dict] = field(default_factory=list)
    kommun_kod: str = ""
    folder: Path | None = None


def trygghet_folder(value: str = "") -> Path:
    """The folder a report reads the trygghetsmätning from: the given one, or the bundled example.

    Examples
    --------
    >>> from lagesbild.core.paths import PROJ_ROOT
    >>> trygghet_folder("") == EXAMPLE_TRYGGHET, trygghet_folder("indata/tm") == PROJ_ROOT / "indata" / "tm"
    (True, True)
    """
    from lagesbild.core.paths import input_folder

    return input_folder(value, EXAMPLE_TRYGGHET)


def find_trygghet_table(folder: str | Path) -> Path:
    """The table of a trygghetsmätning folder: ``trygghetsmatning.csv`` or ``.xlsx``.

    Other files (``metadata.yaml``, README, scripts, Excel lock files ``~$…``) are ignored; another
    table, two tables or none are errors.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("Trygghetsmatning.xlsx", "metadata.yaml", "make_example.py"):
    ...     _ = (d / name).write_text("x")
    >>> find_trygghet_table(d).name
    'Trygghetsmatning.xlsx'
    """
    found = TRYGGHET_FOLDER.find(folder)
    TRYGGHET_FOLDER.require(folder, found)
    return found[FILE_KIND]


def load_trygghet_folder(folder: str | Path, kommun: str) -> TrygghetData | None:
    """Load a trygghetsmätning folder and keep one kommun's rows.

    Parameters
    ----------
    folder : str or Path
        The folder (see the module docstring).
    kommun : str
        Four-digit kommun code, e.g. "2080".

    Returns
    -------
    TrygghetData or None
        None when the table has no row for ``kommun``.

    Raises
    ------
    InputError
        Missing folder or table, other tables in the folder, bad ``metadata.yaml``, a kommun code that
        is not four digits, and every error of :func:`load_trygghet`.

    Examples
    --------
    >>> data = load_trygghet_folder(EXAMPLE_TRYGGHET, "2080")
    >>> data.example, data.files[0]["name"], sorted(data.results["year"].unique().tolist())
    (True, 'trygghetsmatning/trygghetsmatning.csv', [2022, 2023, 2024])
    >>> load_trygghet_folder(EXAMPLE_TRYGGHET, "1283") is None
    True
    """
    found = TRYGGHET_FOLDER.open(folder, kommun)
    meta = found.metadata
    # every kommun's lägesbild reads the same example folder: parsed once per process, the file recorded as read
    reads.file(found.tables[FILE_KIND])
    results = parsed_once("trygghet", found.tables, lambda: load_trygghet(found.tables[FILE_KIND]))
    mine = results[results["kommun_kod"] == found.kommun]
    if mine.empty:
        return None
    mine.attrs = dict(results.attrs)
    return TrygghetData(results=mine, example=meta["exempeldata"], description=meta["beskrivning"],
                        source=meta["kalla"], files=found.provenance(), kommun_kod=found.kommun, folder=found.folder)


# ============================================================================================
# Summary per area and year
# ============================================================================================

INCREASE = "ökat"
DECREASE = "minskat"
NO_CLEAR_CHANGE = "ingen tydlig förändring"
UNKNOWN_CHANGE = "osäkerhet okänd"
NO_PREVIOUS = "ingen tidigare mätning"

SUMMARY_COLUMNS: tuple[str, ...] = (
    "omrade", "year", "rank", "index", "ci_low", "ci_high", "respondents", "n_questions", "top_question",
    "top_index", "n_large_problems", "previous_year", "previous_index", "change", "change_ci_low", "change_ci_high",
    "change_p", "change_status")


def area_summary(results: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per area and year: the total index, the largest problem, the rank and the change since last time.

    Parameters
    ----------
    results : pandas.DataFrame
        :func:`load_trygghet` (or :attr:`TrygghetData.results`) of one kommun.
    alpha : float, default 0.05
        Significance level of the change.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`, one row per area and year, sorted by year and rank:

        - ``index``, ``ci_low``, ``ci_high``: the area's :data:`TOTAL` row (NaN without one: the
          police's total is not the mean of the questions, so it is never computed here);
        - ``rank``: 1 = the highest total index (most problems) among the areas measured that year
          (ties share the lower rank; NaN without a total);
        - ``respondents``: the largest number of respondents given for the area that year;
        - ``n_questions``, ``top_question``, ``top_index``: the questions (not the total), and the one
          with the highest index (ties: the first in the file);
        - ``n_large_problems``: questions the report calls "stora problem";
        - ``previous_year``, ``previous_index``: the area's latest earlier total index;
        - ``change`` (index points), ``change_ci_low``, ``change_ci_high``, ``change_p``: the
          difference and its z-test from both intervals (:func:`lagesbild.stats.surveys.survey_change`;
          NaN without intervals);
        - ``change_status``: "ökat", "minskat", "ingen tydlig förändring", "osäkerhet okänd" (no
          intervals) or "ingen tidigare mätning".

    Examples
    --------
    >>> r = pd.DataFrame({"omrade": ["A", "A", "A", "B"], "year": [2023, 2024, 2024, 2024],
    ...     "question": ["Totalindex", "Totalindex", "Klotter", "Totalindex"], "is_total": [True, True, False, True],
    ...     "index": [1.5, 2.0, 2.6, 1.2], "ci_low": [1.3, 1.8, np.nan, 1.0], "ci_high": [1.7, 2.2, np.nan, 1.4],
    ...     "respondents": [300.0, 310.0, 305.0, 250.0], "level": ["", "", "stora problem", ""]})
    >>> s = area_summary(r)
    >>> s[["omrade", "year", "rank", "change_status"]].values.tolist()
    [['A', 2023, 1.0, 'ingen tidigare mätning'], ['A', 2024, 1.0, 'ökat'], ['B', 2024, 2.0, 'ingen tidigare mätning']]
    """
    from lagesbild.stats.surveys import survey_change

    rows = []
    for (area, year), g in results.groupby(["omrade", "year"], sort=False):
        total = g[g["is_total"]]
        questions = g[~g["is_total"]]
        top = questions.loc[questions["index"].idxmax()] if len(questions) else None
        t = total.iloc[0] if len(total) else None
        rows.append({
            "omrade": str(area), "year": int(year),
            "index": float(t["index"]) if t is not None else np.nan,
            "ci_low": float(t["ci_low"]) if t is not None else np.nan,
            "ci_high": float(t["ci_high"]) if t is not None else np.nan,
            "respondents": float(g["respondents"].max()) if g["respondents"].notna().any() else np.nan,
            "n_questions": len(questions),
            "top_question": str(top["question"]) if top is not None else "",
            "top_index": float(top["index"]) if top is not None else np.nan,
            "n_large_problems": int((questions["level"] == "stora problem").sum()),
        })
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype=str if c in ("omrade", "top_question", "change_status")
                                          else float) for c in SUMMARY_COLUMNS})
    out = pd.DataFrame(rows).sort_values(["omrade", "year"]).reset_index(drop=True)
    out["rank"] = out.groupby("year")["index"].rank(method="min", ascending=False)
    for col in ("previous_year", "previous_index", "change", "change_ci_low", "change_ci_high", "change_p"):
        out[col] = np.nan
    out["change_status"] = NO_PREVIOUS
    for _, g in out.groupby("omrade", sort=False):
        measured = g[g["index"].notna()]
        for prev_i, cur_i in zip(measured.index[:-1], measured.index[1:], strict=True):
            prev, cur = out.loc[prev_i], out.loc[cur_i]
            out.loc[cur_i, ["previous_year", "previous_index", "change"]] = (
                prev["year"], prev["index"], cur["index"] - prev["index"])
            if np.isnan(prev["ci_low"]) or np.isnan(cur["ci_low"]):
                out.loc[cur_i, "change_status"] = UNKNOWN_CHANGE
                continue
            c = survey_change((prev["index"], prev["ci_low"], prev["ci_high"]),
                              (cur["index"], cur["ci_low"], cur["ci_high"]), alpha=alpha)
            out.loc[cur_i, ["change_ci_low", "change_ci_high", "change_p"]] = (c.ci_low, c.ci_high, c.p_value)
            out.loc[cur_i, "change_status"] = (NO_CLEAR_CHANGE if not c.detectable
                                               else INCREASE if c.difference > 0 else DECREASE)
    out = out.sort_values(["year", "rank", "omrade"], na_position="last", kind="stable").reset_index(drop=True)
    out["n_questions"] = out["n_questions"].astype("int64")
    out["n_large_problems"] = out["n_large_problems"].astype("int64")
    return out[list(SUMMARY_COLUMNS)]


def _change_text(r: pd.Series) -> str:
    if r["change_status"] == NO_PREVIOUS:
        return "Ingen tidigare mätning"
    sign = "+" if r["change"] > 0 else ""
    head = f"{sign}{fmt.number(r['change'], 2)} sedan {int(r['previous_year'])}"
    what = {INCREASE: "tydlig ökning, fler problem", DECREASE: "tydlig minskning, färre problem",
            NO_CLEAR_CHANGE: "ingen tydlig förändring", UNKNOWN_CHANGE: "osäkerheten okänd"}[r["change_status"]]
    return f"{head} ({what})"


def area_table(summary: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The report's table of the areas in one year (default: the latest), ranked, with Swedish text.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`area_summary`.
    year : int, optional
        The measurement year; default the latest in ``summary``.

    Returns
    -------
    pandas.DataFrame
        Columns ``Rang``, ``Område``, ``Problemindex (0–6)``, ``95 % KI``, ``Svarande``,
        ``Största problem``, ``Förändring`` — all text (Swedish numbers), rank 1 = most problems;
        "–" where a value is missing. Empty when ``summary`` has no rows for the year.

    Examples
    --------
    >>> s = pd.DataFrame([{"omrade": "A", "year": 2024, "rank": 1.0, "index": 2.0, "ci_low": 1.8, "ci_high": 2.2,
    ...     "respondents": 310.0, "n_questions": 1, "top_question": "Klotter", "top_index": 2.6,
    ...     "n_large_problems": 1, "previous_year": 2023.0, "previous_index": 1.5, "change": 0.5,
    ...     "change_ci_low": 0.2, "change_ci_high": 0.8, "change_p": 0.001, "change_status": "ökat"}])
    >>> area_table(s).iloc[0].tolist()
    ['1', 'A', '2,00', '1,80–2,20', '310', 'Klotter (2,60)', '+0,50 sedan 2023 (tydlig ökning, fler problem)']
    """
    columns = ["Rang", "Område", "Problemindex (0–6)", "95 % KI", "Svarande", "Största problem", "Förändring"]
    if summary.empty:
        return pd.DataFrame(columns=columns)
    year = int(summary["year"].max()) if year is None else int(year)
    rows = []
    for _, r in summary[summary["year"] == year].iterrows():
        rows.append([
            "–" if np.isnan(r["rank"]) else str(int(r["rank"])),
            r["omrade"],
            fmt.number(r["index"], 2, missing="–"),
            "–" if np.isnan(r["ci_low"]) else f"{fmt.number(r['ci_low'], 2)}–{fmt.number(r['ci_high'], 2)}",
            fmt.number(r["respondents"], 0, missing="–"),
            f"{r['top_question']} ({fmt.number(r['top_index'], 2)})" if r["top_question"] else "–",
            _change_text(r),
        ])
    return pd.DataFrame(rows, columns=columns)


# ============================================================================================
# Writing templates and tables
# ============================================================================================


def csv_text(rows: Iterable[Mapping[str, object] | Iterable[object]]) -> str:
    """The text of a ``;``-separated table with the template header (UTF-8 BOM included).

    Parameters
    ----------
    rows : iterable of mappings or sequences
        A mapping is keyed by template column name (or alias); missing keys are empty cells. A
        sequence holds the cells in template order. None and NaN are written as empty cells.

    Examples
    --------
    >>> csv_text([{"kommun": "2080", "område": "Centrum", "ar": 2024}]).splitlines()[1]
    '2080;Centrum;2024;;;;;;;'
    """
    return TEMPLATE.csv_text(rows)


def write_csv(path: str | Path, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> None:
    """Write rows as a template-shaped CSV (``;``, UTF-8 with BOM), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "trygghetsmatning.csv"
    >>> write_csv(p, [("2080", "Centrum", "2024", "Totalindex", "1,85", "", "", "", "", "")])
    >>> float(load_trygghet(p).loc[2, "index"])
    1.85
    """
    TEMPLATE.write_csv(path, rows)


#: Where the scale comes from (for the README and the instruction sheet).
SOURCES: tuple[tuple[str, str], ...] = (
    ("Polisen, pressmeddelande 2019-11: Resultat trygghetsmätning 2019, lokalpolisområde Trelleborg",
     "https://polisen.se/aktuellt/pressmeddelanden/2019/november/resultat-trygghetsmatning-2019-lokalpolisomrade-"
     "trelleborg/"),
    ("Polisen, pressmeddelande 2018-11: Resultat trygghetsmätning 2018, lokalpolisområde Trelleborg",
     "https://polisen.se/aktuellt/pressmeddelanden/2018/november/trygghetsmatning-2018-lpo-trelleborg/"),
    ("Polisen, pressmeddelande 2017-12: Trygghetsmätning 2017, lokalpolisområde Kävlinge",
     "https://polisen.se/aktuellt/pressmeddelanden-2017/2017/december/trygghetsmatning-2017-tryggt-pa-helheten-men-"
     "otryggt-i-vissa-delar-av-lokalpolisomrade-kavlinge/"),
    ("Security User 2011-12-01: Uppsalaborna är trygga (Trygga Uppsala läns mätning)",
     "https://www.securityuser.com/se/Nyhetsarkiv/uppsalaborna-ar-trygga1"),
)


def instructions_rows() -> list[it.InstructionRow]:
    """The rows of the ``Instruktioner`` sheet: (section/column, required, description, example).

    Examples
    --------
    >>> rows = instructions_rows()
    >>> rows[0][0], any(r[0] == "index" for r in rows), any(r[0] == "Problemnivå" for r in rows)
    ('Mall för polisens trygghetsmätning', True, True)
    """
    rows = it.instructions_rows(
        [TEMPLATE], "Mall för polisens trygghetsmätning",
        f"Fyll i bladet {FILE_KIND} (en rad per område, år och fråga) och spara det som {FILE_KIND}.csv eller "
        f"{FILE_KIND}.xlsx i en egen mapp. Rubrikerna måste stå kvar; exempelraderna ska ersättas.")
    rows.append(("Problemindex", "", INDEX_RULE, ""))
    rows.append(("Problemnivå", "", LEVEL_RULE, ""))
    rows.append(("Förändring", "", CHANGE_RULE, ""))
    rows.append(it.BLANK)
    rows.append(("Källor", "", "Skalan 0–6 och dess ändpunkter enligt:", ""))
    rows += [(f"{i}.", "", f"{title}: {url}", "") for i, (title, url) in enumerate(SOURCES, start=1)]
    return rows


def workbook_bytes() -> bytes:
    """The template workbook ``trygghetsmatning.xlsx`` as bytes: the table's sheet and ``Instruktioner``.

    Deterministic: fixed document dates and zip entry times.

    Examples
    --------
    >>> workbook_bytes() == workbook_bytes()
    True
    """
    return template_workbook([TEMPLATE], instructions_rows())


def templates_markdown() -> str:
    """``data/templates/trygghetsmatning/README.md``: every column, the scale with its sources, the rules.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| index | ja |" in text, "## Problemindex" in text, "could not be confirmed" in text
    (True, True, True)
    """
    lines = [
        "# Mall för polisens trygghetsmätning (police safety survey template)",
        "",
        it.generated_note("lagesbild.summary.surveys.write_templates", "TEMPLATE", "lib/lagesbild/summary/surveys.py"),
        "",
        "This template is how a kommun brings the results of the police's local safety survey (Polisens "
        "trygghetsmätning) per area (område) into the suite. A *trygghetsmätning folder* holds one table "
        f"`{FILE_KIND}.csv` (`;`-separated, UTF-8) or `{FILE_KIND}.xlsx` (read from the sheet `{FILE_KIND}`, else "
        "the first sheet), one row per area, year and question, copied from the police's report, plus an optional "
        "`metadata.yaml`. Headers match case-insensitively; optional columns may be left out, but a column that is "
        "not in the template is an error, so that a misspelt header is never silently ignored. Every problem is "
        "reported with file, spreadsheet row, column and a fix.",
        "",
        f"The files here are written by `lagesbild.summary.surveys.write_templates(\"data/templates/trygghetsmatning\")`; "
        f"a test checks that they are what it writes today and that the example rows load. `{FILE_KIND}.xlsx` has "
        "the table's sheet and an `Instruktioner` sheet with the same rules as this page. Loaded with "
        "`lagesbild.summary.surveys.load_trygghet_folder(folder, kommun)`; summarised per area and year with "
        "`area_summary` and `area_table`. Invented example data for Falun: `data/example/trygghetsmatning/`.",
        "",
        *it.files_markdown([TEMPLATE], METADATA_KEYS),
        *it.columns_markdown(TEMPLATE),
        "En rad per kommun, område, år och fråga: två rader för samma kombination är fel. Områdesnamn och frågor "
        "jämförs utan hänsyn till stora och små bokstäver; skriv dem likadant varje år, annars blir de olika "
        f"områden. `{TOTAL}` (även `totalt index`) är områdets samlade index.",
        "",
        "## Problemindex",
        "",
        INDEX_RULE,
        "",
        "What could be confirmed, and from where:",
        "",
        "- The scale: results are reported as index values between 0 and 6, where 0 stands for \"närmast "
        "obefintligt problem\" (a problem that hardly exists) and 6 for \"alarmerande påtagligt problem\"; a low "
        "index is better than a high one; every sub-area of a kommun gets an index per question, and there is a "
        "total index per kommun and per local police area ([1], [2]; [3] words the ends \"inget problem\" and "
        "\"stora problem\"). The same 0–6 scale is used in the earlier surveys of the same method (Trygga "
        "Uppsala län, [4]: \"från närmaste obefintliga problem till alarmerande påtagliga problem\").",
        "- The survey is not Brå's NTU: it is run at another time of year, with other questions and another "
        "sample, so the two are not directly comparable ([3]).",
        "",
        "What **could not be confirmed** from a public source: how the answers to a question are turned into "
        "its 0–6 index (the weight of each answer alternative), how the total index is formed from the "
        "questions, and which index ranges the police count as small, some or large problems. The suite "
        "therefore never computes a total index or a problem level itself: both are read as the police's report "
        "states them. If your police region's report defines them, note the definition in `metadata.yaml` "
        "(`beskrivning`).",
        "",
        *[f"- [{i}] {title}. <{url}>" for i, (title, url) in enumerate(SOURCES, start=1)],
        "",
        "## Problemnivå",
        "",
        LEVEL_RULE,
        "",
        "Accepted spellings: " + "; ".join(f"`{k}` → {v}" for k, v in LEVEL_ALIASES.items()) + ".",
        "",
        "## Intervall och antal svarande",
        "",
        "`ki_lag` and `ki_hog` are the 95 % confidence interval of the index, when the report gives one (both or "
        "neither; `ki_lag` ≤ `index` ≤ `ki_hog`). `antal_svarande` is the number of respondents in the area. An "
        "area with few respondents has a wide interval: its index moves a lot from year to year by chance alone.",
        "",
        "## Förändring och rangordning",
        "",
        CHANGE_RULE,
        "",
        "Areas are ranked by their total index within a year (1 = the highest index, most problems). The change "
        "is the difference of the total index against the area's previous measurement.",
        "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates: ``trygghetsmatning.csv``, ``trygghetsmatning.xlsx`` and ``README.md``, atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/trygghetsmatning``.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))]
    ['trygghetsmatning.csv', 'trygghetsmatning.xlsx', 'README.md']
    """
    return it.write_templates(folder, [TEMPLATE], workbook_name=f"{FILE_KIND}.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


__all__ = [
    "CHANGE_RULE", "DECREASE", "EXAMPLE_TRYGGHET", "FILE_DESCRIPTION", "FILE_KIND", "INCREASE", "INDEX_MAX",
    "INDEX_MIN", "INDEX_RULE", "LEVELS", "LEVEL_ALIASES", "LEVEL_RULE", "NO_CLEAR_CHANGE", "NO_PREVIOUS",
    "RESULTS_SCHEMA", "SOURCES", "SUMMARY_COLUMNS", "TEMPLATE", "TOTAL", "TOTAL_ALIASES", "TRYGGHET_FOLDER",
    "UNKNOWN_CHANGE",
    "TrygghetData", "area_summary", "area_table", "csv_text", "find_trygghet_table", "instructions_rows",
    "load_trygghet", "load_trygghet_folder", "templates_markdown", "trygghet_folder", "workbook_bytes", "write_csv",
    "write_templates",
]
