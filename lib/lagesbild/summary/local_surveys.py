"""The kommun's own surveys (lokala enkäter): template, validated loader, example data, statistics.

Kommuner run or take part in surveys of their own beside Brå's NTU and the police's trygghetsmätning:
Helsingborg's Företagens trygghetsundersökning, Region Skåne's folkhälsoenkät (the share of gymnasium
students who have used narcotics), school and youth surveys such as Stockholmsenkäten or LUPP. Their
results are published as shares (per cent) or means on a scale, per group (a school year, the
companies, everyone) and year, sometimes with a confidence interval, usually with the number who
answered. The lägesbild shows them in "2. Annan information" (``### Lokala enkäter``).

A *local-surveys folder* holds one or more tables following :data:`TEMPLATE`, as CSV or Excel files
with any name (one per survey, or all in one), and an optional ``metadata.yaml`` (the keys of
:data:`lagesbild.inputs.folders.METADATA_KEYS`; ``exempeldata: true`` marks invented data). One row
per kommun, survey, indicator, group and year. The template files are written by
:func:`write_templates` into ``data/templates/lokala_enkater/`` (CSV, ``lokala_enkater.xlsx`` with an
``Instruktioner`` sheet, README). Every problem in a file is an
:class:`~lagesbild.core.errors.InputError` naming file, spreadsheet row, column, what is wrong and the
fix; the folder and every table read are recorded (:mod:`lagesbild.core.reads`), so editing a file
rebuilds the lägesbild.

:func:`survey_statistics` gives each value its uncertainty — the survey's own interval, else for a
share with respondents a Wilson 95 % interval — and compares it with the previous measurement of the
same indicator and group: the two-proportion z-test for two shares with respondents, else a z-test of
the difference from the two intervals (:func:`lagesbild.stats.surveys.survey_change`); without either,
no comparison, and the reason is kept. The Swedish words are in
:mod:`lagesbild.summary.local_surveys_text`. Without a folder of its own a report reads the invented
example (:data:`EXAMPLE_LOCAL_SURVEYS`: Helsingborg and Falun), which says so in its ``metadata.yaml``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lagesbild.core import reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA
from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import tables as it
from lagesbild.inputs.folders import (
    EXAMPLE_MARK,
    METADATA_KEYS,
    parsed_once,
    read_metadata,
    read_metadata_defaults,
)
from lagesbild.inputs.tables import Rule, normalise
from lagesbild.sources import schemas
from lagesbild.sources.processed import sha256
from lagesbild.sources.readers import CSV_SUFFIXES, EXCEL_SUFFIXES, to_number

# ============================================================================================
# Constants
# ============================================================================================

#: The template's table kind (file stem and sheet name of the template; a kommun's files may have any name).
FILE_KIND = "lokala_enkater"

#: Swedish description of a table, used in a report's provenance.
FILE_DESCRIPTION = "Lokal enkät: resultat per indikator, grupp och år"

#: The bundled, invented example folder (Helsingborg 1283 and Falun 2080).
EXAMPLE_LOCAL_SURVEYS = DATA / "example" / "lokala_enkater"

#: The group of a row whose ``grupp`` is empty.
ALL = "Alla"

#: What a row measures.
SHARE, MEAN = "andel", "medel"

#: The first year a row may have.
FIRST_YEAR = 1990

#: The change of a value against the previous measurement of its indicator and group.
INCREASE, DECREASE, NO_CLEAR_CHANGE, UNKNOWN_CHANGE, NO_PREVIOUS = (
    "increase", "decrease", "no_clear_change", "unknown", "no_previous")

#: How a value's interval was found.
GIVEN, WILSON, NO_INTERVAL = "given", "wilson", "none"

#: How a change was tested.
TWO_PROPORTIONS, INTERVALS = "two_proportions", "intervals"

#: How a value's uncertainty is found, in Swedish (template, README, report).
INTERVAL_RULE = (
    "Varje värde visas med ett 95 % konfidensintervall: enkätens eget när dess rapport anger ett, annars för en andel "
    "ett Wilsonintervall som räknas ut ur antalet svarande (markerat beräknat). Ett medelvärde utan intervall i "
    "rapporten, och en andel utan både intervall och antal svarande, får inget intervall."
)



def change_rule(alpha: float = 0.05) -> str:
    """How a change is judged, in Swedish, for the significance level ``alpha``.

    Examples
    --------
    >>> "p under 0,10 kallas tydlig" in change_rule(0.1)
    True
    """
    from lagesbild.core import fmt

    return (
        "Varje värde jämförs med föregående mätning av samma indikator och grupp. Har båda andelarna antal svarande "
        "men inget angivet intervall prövas skillnaden med ett z-test av två andelar; annars prövas den med "
        f"standardfelen ur båda värdenas intervall. Bara en skillnad med p under {fmt.number(alpha, 2)} kallas "
        "tydlig; annars går förändringen inte att skilja från slumpen. Saknar ett av åren både intervall och antal "
        "svarande (ett medelvärde: intervall) går förändringen inte att bedöma, och då sägs det."
    )


#: How a change is judged, in Swedish (at the 5 % level: the template and README).
CHANGE_RULE = change_rule(0.05)

#: The caveat of computed intervals, in Swedish.
SAMPLE_RULE = (
    "Ett beräknat intervall förutsätter att de svarande är ett slumpmässigt urval. Är enkäten viktad, eller svarar "
    "bara en del av dem som fick den, kan osäkerheten vara större; ange då enkätens egna intervall om rapporten har "
    "dem."
)

_SCALE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:–|—|-|till)\s*(\d+(?:[.,]\d+)?)\s*$")

# ============================================================================================
# The template
# ============================================================================================


def _column(name: str, required: bool, description: str, *aliases: str) -> tuple:
    return (name, required, description, *aliases)


_ROWS: tuple[tuple[str, ...], ...] = (
    ("1283", "Företagens trygghetsundersökning", "Andel företag som utsatts för brott de senaste 12 månaderna",
     "Företag", "2023", "24,5", "", "", "398", "", "", "Helsingborgs stad", "Företagens trygghetsundersökning 2023",
     ""),
    ("1283", "Folkhälsoenkät Barn och unga", "Andel som någon gång använt narkotika", "Gymnasiet år 2", "2024",
     "19,0", "", "", "2610", "17,5", "20,5", "Region Skåne", "Folkhälsoenkät Barn och unga i Skåne 2024",
     "Intervallet enligt Region Skånes rapport"),
    ("1283", "Företagens trygghetsundersökning", "Trygghet i företagets närområde", "Företag", "2023", "", "3,7",
     "1–5", "398", "3,6", "3,8", "Helsingborgs stad", "Företagens trygghetsundersökning 2023",
     "1 = mycket otryggt, 5 = mycket tryggt"),
)

#: The table: its columns (name, required column, Swedish description, aliases) and example rows.
TEMPLATE = it.table(
    FILE_KIND, "Lokala enkäter",
    "En rad per enkät, indikator, grupp och år, avskriven ur enkätens rapport: antingen en andel i procent eller ett "
    "medelvärde med sin skala, antal svarande och intervallet om rapporten anger det, och vem som gett ut enkäten. "
    "En mapp kan ha en fil per enkät eller alla enkäter i samma fil.",
    (
        _column("kommun", True, "Kommunkod, fyra siffror (SCB), t.ex. 1283 för Helsingborg eller 0114 (behåll "
                "nollan).", "kommun_kod", "kommunkod"),
        _column("enkat", True, "Enkätens namn, likadant varje år, t.ex. Företagens trygghetsundersökning eller "
                "Stockholmsenkäten.", "enkät"),
        _column("indikator", True, "Frågan eller indikatorn så som rapporten skriver den, likadant varje år, t.ex. "
                "Andel som någon gång använt narkotika.", "fråga", "fraga"),
        _column("grupp", False, "Vilka som svarat, t.ex. Åk 9, Gymnasiet år 2, Företag eller Alla. Tom = Alla.",),
        _column("ar", True, "Enkätens år, fyra siffror, t.ex. 2024 (inte ett år som inte har varit).", "år"),
        _column("andel", False, "Andel i procent, 0–100 (25 eller 25 % betyder 25 %); decimalkomma går bra. Fyll i "
                "andel eller medel, aldrig båda.", "andel_procent", "procent"),
        _column("medel", False, "Medelvärde på enkätens skala, om indikatorn är ett medelvärde; ange då också "
                "skala.", "medelvärde", "medelvarde"),
        _column("skala", False, "Skalan för ett medelvärde, lägsta–högsta, t.ex. 1–5 eller 0–10. Tom för en "
                "andel. I Excel: formatera kolumnen som text, annars blir 1-5 ett datum.",),
        _column("antal_svarande", False, "Antal som svarat på frågan i gruppen (heltal större än 0); tom om "
                "okänt. Behövs för att räkna ut ett intervall när rapporten inte anger något.", "svarande",
                "antal svar", "n"),
        _column("nedre", False, "Nedre gräns i 95 % konfidensintervall, i samma enhet som värdet, om rapporten "
                "anger den; annars tom. Ange båda gränserna eller ingen.", "ki_lag", "ki_låg", "nedre_grans"),
        _column("ovre", False, "Övre gräns i 95 % konfidensintervall, om rapporten anger den; annars tom.",
                "övre", "ki_hog", "ki_hög", "ovre_grans"),
        _column("utgivare", True, "Vem som gett ut enkäten eller rapporten, t.ex. Helsingborgs stad eller Region "
                "Skåne; visas som tabellens källa.", "utgivare_kalla"),
        _column("kalla", False, "Rapporten som värdet kommer från (titel, år, gärna webbadress).", "källa",
                "rapport"),
        _column("anmarkning", False, "Frivillig anmärkning som visas i rapporten, t.ex. att frågan ändrades ett "
                "år. Skriv aldrig personuppgifter.", "anmärkning", "not"),
    ),
    _ROWS,
    templates="data/templates/lokala_enkater", description=FILE_DESCRIPTION, noun="local-survey table",
    row_noun="survey, indicator, group and year",
)

# ============================================================================================
# Loading one table
# ============================================================================================

#: A loaded table (:func:`load_local_survey`); index = spreadsheet row.
RESULTS_SCHEMA = pa.DataFrameSchema(
    {
        "kommun_kod": pa.Column(str, pa.Check.str_matches(r"^\d{4}$")),
        "enkat": pa.Column(str, pa.Check.str_length(min_value=1)),
        "indikator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "grupp": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year": pa.Column(int, pa.Check.ge(FIRST_YEAR)),
        "measure": pa.Column(str, pa.Check.isin([SHARE, MEAN])),
        "value": pa.Column(float),
        "scale_min": pa.Column(float),
        "scale_max": pa.Column(float),
        "ci_low": pa.Column(float, nullable=True),
        "ci_high": pa.Column(float, nullable=True),
        "respondents": pa.Column(float, pa.Check.gt(0), nullable=True),
        "utgivare": pa.Column(str, pa.Check.str_length(min_value=1)),
        "kalla": pa.Column(str),
        "anmarkning": pa.Column(str),
        "file": pa.Column(str),
    },
    strict=True, ordered=True, name="lokala_enkater",
)


def parse_scale(text: str) -> tuple[float, float] | None:
    """A scale written as ``lowest–highest`` (``1–5``, ``0-10``, ``1 till 7``) → (lowest, highest), else None.

    Examples
    --------
    >>> parse_scale("1–5"), parse_scale(" 0 - 10 "), parse_scale("1,5 till 4,5"), parse_scale("fem")
    ((1.0, 5.0), (0.0, 10.0), (1.5, 4.5), None)
    """
    m = _SCALE.match(str(text))
    if not m:
        return None
    return float(m.group(1).replace(",", ".")), float(m.group(2).replace(",", "."))


def _error(file: str, problem: str, fix: str, row: int, column: str) -> InputError:
    return InputError(file, problem, fix, row=int(row), column=column)


def _key_text(values: pd.Series) -> pd.Series:
    """Names as compared: spaces collapsed, case ignored."""
    return values.map(normalise)


def load_local_survey(path: str | Path) -> pd.DataFrame:
    """Load one local-survey table (CSV or Excel per :data:`TEMPLATE`), checking every cell.

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``lokala_enkater`` if there is one, else the first sheet).

    Returns
    -------
    pandas.DataFrame
        One row per kommun, survey, indicator, group and year, index = spreadsheet row
        (:data:`RESULTS_SCHEMA`): ``kommun_kod``, ``enkat``, ``indikator``, ``grupp`` (:data:`ALL` when
        empty; names as first written, spaces collapsed), ``year``, ``measure`` (:data:`SHARE` or
        :data:`MEAN`), ``value`` (a share in per cent 0–100, or the mean), ``scale_min``,
        ``scale_max`` (0 and 100 for a share), ``ci_low``, ``ci_high`` (the given interval; NaN if
        none), ``respondents`` (NaN if not given), ``utgivare``, ``kalla``, ``anmarkning``, ``file``
        (the file's name).

    Raises
    ------
    InputError
        Naming row and column: unknown or missing columns; a kommun that is not a kommun's code; an
        empty survey, indicator or publisher; a year that is not a whole number, before 1990 or in the
        future; both or neither of andel and medel; a share outside 0–100; a mean without a scale, a
        scale that is not ``lowest–highest`` or given for a share, a mean outside its scale; an interval
        with one limit, outside the scale, or that does not contain its value or has no width;
        respondents that are not a whole number above 0; two rows for the same kommun, survey,
        indicator, group and year (both rows named); an indicator and group given as a share in one
        row and a mean in another, or on two scales.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkat.csv"
    >>> _ = p.write_text("kommun;enkat;indikator;grupp;ar;andel;antal_svarande;utgivare\\n"
    ...                  "1283;Företagsenkäten;Utsatt för brott;Företag;2023;24,5;398;Helsingborgs stad\\n"
    ...                  "1283;Företagsenkäten;Utsatt för brott;;2021;31;;Helsingborgs stad\\n", encoding="utf-8")
    >>> load_local_survey(p)[["grupp", "year", "measure", "value", "respondents"]].values.tolist()
    [['Företag', 2023, 'andel', 24.5, 398.0], ['Alla', 2021, 'andel', 31.0, nan]]
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATE.read(path)

    def filled(what: str, fix: str) -> Rule:
        return Rule(it.is_filled, lambda v: f"the {what} is empty", fix)

    it.check_cells(df, {
        "kommun": it.kommun_rule("1283 for Helsingborg"),
        "enkat": filled("survey", "write the survey's name, the same way every year"),
        "indikator": filled("indicator", "write the question or indicator as the survey's report does"),
        "utgivare": filled("publisher", "write who published the survey (e.g. Region Skåne): the report cites it"),
    }, file, headers)
    year = to_number(df["ar"], file=file, column=headers["ar"], integer=True, allow_missing=False)
    this_year = dt.date.today().year
    early = year < FIRST_YEAR
    if early.any():
        row = it.first_row(early)
        raise _error(file, f"{plain(df.loc[row, 'ar'])} is not a survey year ({FIRST_YEAR}–{this_year})",
                     "write the survey's year with four digits, e.g. 2024", row, headers["ar"])
    late = year > this_year
    if late.any():
        row = it.first_row(late)
        raise _error(file, f"the year {plain(df.loc[row, 'ar'])} is in the future (this year is {this_year})",
                     "correct the year (is it mistyped?); the table can only hold surveys that have been made",
                     row, headers["ar"])
    percent = TEMPLATE.excel_percent_cells(path, ("andel", "nedre", "ovre"))
    for col in ("andel", "nedre", "ovre"):  # "24,5 %" is 24,5
        df[col] = df[col].str.replace(r"\s*%\s*$", "", regex=True)
    share = _per_cent(to_number(df["andel"], file=file, column=headers["andel"]), percent["andel"])
    mean = to_number(df["medel"], file=file, column=headers["medel"])
    both = share.notna() & mean.notna()
    if both.any():
        row = it.first_row(both)
        raise _error(file, "both andel and medel are given",
                     "a row holds either a share (andel, 0–100 %) or a mean (medel with its skala): keep one and "
                     "put the other on a row of its own", row, headers["medel"])
    neither = share.isna() & mean.isna()
    if neither.any():
        row = it.first_row(neither)
        raise _error(file, "neither andel nor medel is given",
                     "write the share in per cent in andel, or the mean in medel (with its skala), or delete the row",
                     row, headers["andel"])
    outside = share.notna() & ((share < 0) | (share > 100))
    if outside.any():
        row = it.first_row(outside)
        raise _error(file, f"the share {plain(df.loc[row, 'andel'])} is outside 0–100",
                     "write the share in per cent from 0 to 100 (25 for 25 %)", row, headers["andel"])
    is_mean = mean.notna()
    scale_text = it.cell_text(df["skala"])
    scale_given = scale_text != ""
    bad = scale_given & ~is_mean
    if bad.any():
        row = it.first_row(bad)
        raise _error(file, f"a scale ({plain(scale_text[row])}) is given for a share",
                     "leave skala empty on a row with andel (a share is always 0–100 %), or move the value to medel",
                     row, headers["skala"])
    bad = is_mean & ~scale_given
    if bad.any():
        row = it.first_row(bad)
        raise _error(file, "a mean needs its scale", "write the scale as lowest–highest, e.g. 1–5, as the survey's "
                     "report states it", row, headers["skala"])
    scales = scale_text.map(lambda v: parse_scale(v) if v else (0.0, 100.0))
    bad = scales.isna() | scales.map(lambda s: s is not None and s[0] >= s[1])
    if bad.any():
        row = it.first_row(bad)
        raise _error(file, f"{plain(scale_text[row])} is not a scale",
                     "write the scale as lowest–highest with the lowest first, e.g. 1–5 or 0–10 (in Excel: format the "
                     "column as text, or Excel turns 1-5 into a date)", row, headers["skala"])
    low_end = scales.map(lambda s: s[0]).astype(float)
    high_end = scales.map(lambda s: s[1]).astype(float)
    outside = is_mean & ((mean < low_end) | (mean > high_end))
    if outside.any():
        row = it.first_row(outside)
        raise _error(file, f"the mean {plain(df.loc[row, 'medel'])} is outside its scale {scale_text[row]}",
                     "check the mean and the scale against the survey's report", row, headers["medel"])
    value = share.where(~is_mean, mean)
    low = _per_cent(to_number(df["nedre"], file=file, column=headers["nedre"]), percent["nedre"] & set(df.index[~is_mean]))
    high = _per_cent(to_number(df["ovre"], file=file, column=headers["ovre"]), percent["ovre"] & set(df.index[~is_mean]))
    one = low.isna() != high.isna()
    if one.any():
        row = it.first_row(one)
        col = headers["ovre"] if math.isnan(high[row]) else headers["nedre"]
        raise _error(file, "the interval has only one limit", "write both nedre and ovre, or leave both empty", row,
                     col)
    for col, limit in (("nedre", low), ("ovre", high)):
        off = limit.notna() & ((limit < low_end) | (limit > high_end))
        if off.any():
            row = it.first_row(off)
            unit = "0–100 (per cent)" if not is_mean[row] else f"the scale {scale_text[row]}"
            raise _error(file, f"the limit {plain(df.loc[row, col])} is outside {unit}",
                         "write the interval in the same unit as the value, as the survey's report states it", row,
                         headers[col])
    contains = low.notna() & ((low > value) | (high < value) | (low >= high))
    if contains.any():
        row = it.first_row(contains)
        column = "andel" if not is_mean[row] else "medel"
        raise _error(file, f"the interval {df.loc[row, 'nedre']}–{df.loc[row, 'ovre']} does not contain the value "
                     f"{df.loc[row, column]} (or has no width)",
                     "check the values against the survey's report: nedre ≤ value ≤ ovre and nedre < ovre", row,
                     headers["nedre"])
    respondents = to_number(df["antal_svarande"], file=file, column=headers["antal_svarande"], integer=True)
    zero = respondents.notna() & (respondents <= 0)
    if zero.any():
        row = it.first_row(zero)
        raise _error(file, f"{plain(df.loc[row, 'antal_svarande'])} respondents is not above 0",
                     "write the number who answered (a whole number above 0), or leave the cell empty", row,
                     headers["antal_svarande"])
    kommun = df["kommun"].str.strip().astype(str)
    survey = _spelling(df["enkat"], kommun)
    indicator = _spelling(df["indikator"], kommun + "|" + _key_text(survey))
    group_text = df["grupp"].map(lambda v: " ".join(str(v).split())).astype(str)
    group = _spelling(group_text.where(group_text != "", ALL), kommun + "|" + _key_text(survey) + "|"
                      + _key_text(indicator))
    series = kommun + "|" + _key_text(survey) + "|" + _key_text(indicator) + "|" + _key_text(group)
    pair = it.first_repeat(series + "|" + year.astype(int).astype(str))
    if pair is not None:
        first, second = pair
        raise _error(file, f"rows {first} and {second} are both {plain(indicator[second])} for {group[second]} in "
                     f"{survey[second]} {int(year[second])}",
                     "keep one row per kommun, survey, indicator, group and year: delete one of the rows or correct it",
                     second, headers["ar"])
    measure = pd.Series(np.where(is_mean, MEAN, SHARE), index=df.index)
    out = pd.DataFrame({
        "kommun_kod": kommun, "enkat": survey, "indikator": indicator, "grupp": group,
        "year": year.astype("int64"), "measure": measure.astype(str), "value": value.astype(float),
        "scale_min": low_end, "scale_max": high_end, "ci_low": low.astype(float), "ci_high": high.astype(float),
        "respondents": respondents.astype(float), "utgivare": df["utgivare"].str.strip().astype(str),
        "kalla": it.cell_text(df["kalla"]), "anmarkning": it.cell_text(df["anmarkning"]), "file": path.name,
    }, index=df.index)
    check_series(out, file, headers)
    out = schemas.validate(out, RESULTS_SCHEMA, file)
    out.attrs.update(file=file, headers=dict(headers))
    return out


def _per_cent(values: pd.Series, rows: set[int]) -> pd.Series:
    """Values of percentage-formatted Excel cells (0,245) as the per cent shown (24,5)."""
    if not rows:
        return values
    at = values.index.isin(sorted(rows))
    return values.where(~at, values * 100.0)


def _spelling(values: pd.Series, within: pd.Series) -> pd.Series:
    """Names with spaces collapsed, each written the way its first row writes it (case ignored)."""
    text = values.map(lambda v: " ".join(str(v).split())).astype(str)
    key = within + "|" + text.map(normalise)
    return key.map(text.groupby(key).first()).astype(str)


def check_series(results: pd.DataFrame, file: str, headers: Mapping[str, str]) -> None:
    """Refuse an indicator and group measured as a share in one row and a mean in another, or on two scales.

    Parameters
    ----------
    results : pandas.DataFrame
        Rows as :func:`load_local_survey` builds them (index = spreadsheet row).
    file : str
    headers : mapping
        Field → header as written.

    Raises
    ------
    InputError
        At the later row of the first such pair, naming the earlier one.

    Examples
    --------
    >>> r = pd.DataFrame({"kommun_kod": "1283", "enkat": "E", "indikator": "Trygghet", "grupp": "Alla",
    ...     "measure": ["medel", "medel"], "scale_min": [1.0, 0.0], "scale_max": [5.0, 10.0]}, index=[2, 3])
    >>> check_series(r, "e.csv", {"skala": "skala", "andel": "andel"})
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: e.csv, row 3, column 'skala': 'Trygghet' for Alla in E is on the scale 0–10 here and 1–5 in row 2. Fix: a series can only be compared on one scale: write the same scale every year, or give the indicator another name.
    """
    key = (results["kommun_kod"] + "|" + _key_text(results["enkat"]) + "|" + _key_text(results["indikator"]) + "|"
           + _key_text(results["grupp"]))
    for _, g in results.groupby(key, sort=False):
        first = g.index[0]
        for row in g.index[1:]:
            a, b = g.loc[first], g.loc[row]
            what = f"{plain(b['indikator'])} for {b['grupp']} in {b['enkat']}"
            if a["measure"] != b["measure"]:
                raise _error(file, f"{what} is a {_noun(b['measure'])} here and a {_noun(a['measure'])} in row {first}",
                             "a series is either shares or means: correct the row, or give the indicator another name",
                             row, headers["medel" if b["measure"] == MEAN else "andel"])
            if (a["scale_min"], a["scale_max"]) != (b["scale_min"], b["scale_max"]):
                raise _error(file, f"{what} is on the scale {_scale(b)} here and {_scale(a)} in row {first}",
                             "a series can only be compared on one scale: write the same scale every year, or give "
                             "the indicator another name", row, headers["skala"])


def _noun(measure: str) -> str:
    return "share" if measure == SHARE else "mean"


def _scale(r: pd.Series) -> str:
    return f"{r['scale_min']:g}–{r['scale_max']:g}"


# ============================================================================================
# A local-surveys folder
# ============================================================================================


@dataclass
class LocalSurveys:
    """One kommun's local surveys, loaded from a folder (:func:`load_local_surveys`).

    ``results`` as :func:`load_local_survey` (only the kommun's rows, every table of the folder, index
    0…n-1). ``files`` lists the tables read (``name``, ``description``, ``sha256``, ``date``) for the
    report's provenance. ``example`` is True for invented example data: every report must say so.
    """

    results: pd.DataFrame
    example: bool
    description: str
    source: str
    files: list[dict] = field(default_factory=list)
    kommun_kod: str = ""
    folder: Path | None = None


def local_surveys_folder(value: str = "") -> Path:
    """The folder a report reads the local surveys from: the given one, or the bundled example.

    Examples
    --------
    >>> from lagesbild.core.paths import PROJ_ROOT
    >>> local_surveys_folder("") == EXAMPLE_LOCAL_SURVEYS, local_surveys_folder("indata/enk") == PROJ_ROOT / "indata/enk"
    (True, True)
    """
    from lagesbild.core.paths import input_folder

    return input_folder(value, EXAMPLE_LOCAL_SURVEYS)


def find_local_survey_tables(folder: str | Path) -> list[Path]:
    """The tables of a local-surveys folder: every CSV and Excel file, sorted by name.

    Other files (``metadata.yaml``, README, scripts), hidden files and Excel lock files (``~$…``) are
    ignored. The folder is recorded as read (:func:`lagesbild.core.reads.folder`), so a file added,
    changed or removed rebuilds the report.

    Raises
    ------
    InputError
        The folder does not exist, or holds no table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("skola.xlsx", "Företag.csv", "metadata.yaml", "~$skola.xlsx", "make_example.py"):
    ...     _ = (d / name).write_text("x")
    >>> [p.name for p in find_local_survey_tables(d)]
    ['Företag.csv', 'skola.xlsx']
    """
    folder = Path(folder)
    reads.folder(folder)
    if not folder.is_dir():
        raise InputError(folder, "the local-surveys folder does not exist",
                         f"create it with a table per survey (copy {TEMPLATE.templates}/{FILE_KIND}.csv), or correct "
                         "the path")
    found = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))
                    and p.suffix.lower() in (*CSV_SUFFIXES, *EXCEL_SUFFIXES)), key=lambda p: p.name.lower())
    if not found:
        raise InputError(folder / f"{FILE_KIND}.csv", "the local-surveys folder has no table (CSV or Excel)",
                         f"add {FILE_KIND}.csv from {TEMPLATE.templates}/ with one row per "
                         f"{TEMPLATE.row_noun}")
    return found


def load_local_surveys(folder: str | Path, kommun: str) -> LocalSurveys | None:
    """Load every table of a local-surveys folder and keep one kommun's rows.

    Parameters
    ----------
    folder : str or Path
        The folder (see the module docstring).
    kommun : str
        Four-digit kommun code, e.g. "1283".

    Returns
    -------
    LocalSurveys or None
        None when no table has a row for ``kommun``.

    Raises
    ------
    InputError
        A kommun code that is not four digits, a missing folder or no table in it, a bad
        ``metadata.yaml``, every error of :func:`load_local_survey`, and the same kommun, survey,
        indicator, group and year in two files (both named) or an indicator and group measured
        differently in two files.

    Examples
    --------
    >>> data = load_local_surveys(EXAMPLE_LOCAL_SURVEYS, "1283")
    >>> data.example, sorted(data.results["enkat"].unique())
    (True, ['Folkhälsoenkät Barn och unga', 'Företagens trygghetsundersökning'])
    >>> load_local_surveys(EXAMPLE_LOCAL_SURVEYS, "0114") is None
    True
    """
    folder = Path(folder)
    kommun = str(kommun).strip()
    if not re.match(r"^\d{4}$", kommun):
        raise InputError(folder, f"kommun {plain(kommun)} is not a four-digit kommun code", "pass e.g. '1283'")
    tables = find_local_survey_tables(folder)
    meta_path = folder / "metadata.yaml"
    meta = read_metadata(meta_path) if meta_path.exists() else read_metadata_defaults()

    def parse() -> list[pd.DataFrame]:
        loaded = [load_local_survey(p) for p in tables]
        _check_across_files(loaded)
        return loaded

    # every kommun's lägesbild reads the same (example) folder: parsed once per process, each file recorded as read
    for p in tables:
        reads.file(p)
    loaded = parsed_once("local_surveys", {p.name: p for p in tables}, parse)
    used = [(p, t) for p, t in zip(tables, loaded, strict=True) if (t["kommun_kod"] == kommun).any()]
    if not used:
        return None
    results = pd.concat([t[t["kommun_kod"] == kommun] for _, t in used]).reset_index(drop=True)
    files = []
    for p, _ in used:
        date = meta["datum"] or dt.date.fromtimestamp(p.stat().st_mtime).isoformat()
        files.append({"name": f"{folder.name}/{p.name}",
                      "description": FILE_DESCRIPTION + (EXAMPLE_MARK if meta["exempeldata"] else ""),
                      "sha256": sha256(p), "date": date})
    return LocalSurveys(results=results, example=meta["exempeldata"], description=meta["beskrivning"],
                        source=meta["kalla"], files=files, kommun_kod=kommun, folder=folder)


def _check_across_files(loaded: list[pd.DataFrame]) -> None:
    """The same row in two files, or a series measured two ways across files: an error at the later file."""
    if len(loaded) < 2:
        return
    both = pd.concat([t.assign(_row=t.index) for t in loaded], ignore_index=True)
    series = (both["kommun_kod"] + "|" + _key_text(both["enkat"]) + "|" + _key_text(both["indikator"]) + "|"
              + _key_text(both["grupp"]))
    pair = it.first_repeat(series + "|" + both["year"].astype(str))
    if pair is not None:
        a, b = both.loc[pair[0]], both.loc[pair[1]]
        t = _table_of(loaded, b["file"])
        raise _error(t.attrs["file"], f"{plain(b['indikator'])} for {b['grupp']} in {b['enkat']} {int(b['year'])} is "
                     f"also in {a['file']}, row {int(a['_row'])}",
                     "keep each survey result in one file: delete one of the rows", int(b["_row"]),
                     t.attrs["headers"]["ar"])
    for _, g in both.groupby(series, sort=False):
        first = g.iloc[0]
        for _, r in g.iloc[1:].iterrows():
            if r["file"] == first["file"]:
                continue
            if r["measure"] != first["measure"] or (r["scale_min"], r["scale_max"]) != (first["scale_min"],
                                                                                         first["scale_max"]):
                t = _table_of(loaded, r["file"])
                column = "skala" if r["measure"] == first["measure"] else ("medel" if r["measure"] == MEAN else "andel")
                raise _error(t.attrs["file"], f"{plain(r['indikator'])} for {r['grupp']} in {r['enkat']} is measured differently "
                             f"here ({_noun(r['measure'])}, {_scale(r)}) than in {first['file']}, row "
                             f"{int(first['_row'])} ({_noun(first['measure'])}, {_scale(first)})",
                             "a series is either shares or means on one scale: correct one of the rows, or give the "
                             "indicator another name", int(r["_row"]), t.attrs["headers"][column])


def _table_of(loaded: list[pd.DataFrame], name: str) -> pd.DataFrame:
    return next(t for t in loaded if Path(t.attrs["file"]).name == name)


# ============================================================================================
# Statistics: each value's interval and its change since the previous measurement
# ============================================================================================

STATISTICS_COLUMNS: tuple[str, ...] = (
    "enkat", "indikator", "grupp", "year", "measure", "value", "scale_min", "scale_max", "respondents",
    "interval_low", "interval_high", "interval", "previous_year", "previous_value", "change", "change_low",
    "change_high", "change_p", "change_method", "change_status", "without_uncertainty", "utgivare", "kalla",
    "anmarkning", "file")


def _interval(r: pd.Series, alpha: float) -> tuple[float, float, str]:
    from lagesbild.stats.surveys import wilson_interval

    if not math.isnan(r["ci_low"]):
        return float(r["ci_low"]), float(r["ci_high"]), GIVEN
    if r["measure"] == SHARE and not math.isnan(r["respondents"]):
        low, high = wilson_interval(r["value"] / 100.0, r["respondents"], alpha)
        return 100.0 * low, 100.0 * high, WILSON
    return math.nan, math.nan, NO_INTERVAL


def survey_statistics(results: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Each value with its interval, and its change since the previous measurement of its indicator and group.

    Parameters
    ----------
    results : pandas.DataFrame
        :func:`load_local_survey` rows (or :attr:`LocalSurveys.results`) of one kommun.
    alpha : float, default 0.05
        Significance level of the change; the computed intervals have level ``1 - alpha``.

    Returns
    -------
    pandas.DataFrame
        :data:`STATISTICS_COLUMNS`, one row per value, in the order of the results' surveys,
        indicators and groups (as first written) and by year:

        - ``interval_low``, ``interval_high``, ``interval``: the survey's interval (:data:`GIVEN`), else
          for a share with respondents the Wilson interval (:data:`WILSON`,
          :func:`lagesbild.stats.surveys.wilson_interval`), else NaN (:data:`NO_INTERVAL`); per cent for a
          share;
        - ``previous_year``, ``previous_value``, ``change``: the latest earlier value of the same
          indicator and group and the difference (percentage points for a share);
        - ``change_method``: :data:`TWO_PROPORTIONS` when both are shares with respondents and neither
          has a given interval (:func:`lagesbild.stats.surveys.share_change`), :data:`INTERVALS` when
          both have an interval (:func:`lagesbild.stats.surveys.survey_change`), else "";
        - ``change_low``, ``change_high``, ``change_p``: the difference's interval and p-value;
        - ``change_status``: :data:`INCREASE` or :data:`DECREASE` (clear: ``p < alpha``),
          :data:`NO_CLEAR_CHANGE`, :data:`UNKNOWN_CHANGE` (a year without uncertainty; its years in
          ``without_uncertainty``, e.g. "2016") or :data:`NO_PREVIOUS`.

    Examples
    --------
    30 of 120 (25 %) in 2022, 40 % of 125 in 2024: a clear increase by the two-proportion test.

    >>> r = pd.DataFrame({"enkat": "E", "indikator": "Utsatt", "grupp": "Alla", "year": [2022, 2024],
    ...     "measure": "andel", "value": [25.0, 40.0], "scale_min": 0.0, "scale_max": 100.0,
    ...     "ci_low": float("nan"), "ci_high": float("nan"), "respondents": [120.0, 125.0], "utgivare": "K",
    ...     "kalla": "", "anmarkning": "", "file": "e.csv"})
    >>> s = survey_statistics(r)
    >>> s[["interval_low", "interval_high"]].round(1).values.tolist()
    [[18.1, 33.4], [31.8, 48.8]]
    >>> float(s.loc[1, "change"]), s.loc[1, "change_method"], s.loc[1, "change_status"], round(float(s.loc[1, "change_p"]), 4)
    (15.0, 'two_proportions', 'increase', 0.0123)
    """
    from lagesbild.stats.surveys import share_change, survey_change

    if results.empty:
        return pd.DataFrame({c: pd.Series([], dtype=float) for c in STATISTICS_COLUMNS})
    rows = []
    key = _key_text(results["enkat"]) + "|" + _key_text(results["indikator"]) + "|" + _key_text(results["grupp"])
    order = {k: i for i, k in enumerate(dict.fromkeys(key))}
    frame = results.assign(_series=key.map(order)).sort_values(["_series", "year"], kind="stable")
    for _, g in frame.groupby("_series", sort=True):
        previous = None
        for _, r in g.iterrows():
            low, high, how = _interval(r, alpha)
            row = {c: r[c] for c in ("enkat", "indikator", "grupp", "year", "measure", "value", "scale_min",
                                     "scale_max", "respondents", "utgivare", "kalla", "anmarkning", "file")}
            row.update(interval_low=low, interval_high=high, interval=how, previous_year=math.nan,
                       previous_value=math.nan, change=math.nan, change_low=math.nan, change_high=math.nan,
                       change_p=math.nan, change_method="", change_status=NO_PREVIOUS, without_uncertainty="")
            if previous is not None:
                p = previous
                row.update(previous_year=float(p["year"]), previous_value=float(p["value"]),
                           change=float(r["value"] - p["value"]))
                shares = r["measure"] == SHARE
                if (shares and p["interval"] != GIVEN and how != GIVEN and not math.isnan(p["respondents"])
                        and not math.isnan(r["respondents"])):
                    c = share_change((p["value"] / 100.0, p["respondents"]), (r["value"] / 100.0, r["respondents"]),
                                     alpha)
                    row.update(change_low=100.0 * c.ci_low, change_high=100.0 * c.ci_high, change_p=c.p_value,
                               change_method=TWO_PROPORTIONS, change_status=_status(c.detectable, c.difference))
                elif p["interval"] != NO_INTERVAL and how != NO_INTERVAL:
                    c = survey_change((p["value"], p["interval_low"], p["interval_high"]), (r["value"], low, high),
                                      alpha)
                    row.update(change_low=c.ci_low, change_high=c.ci_high, change_p=c.p_value,
                               change_method=INTERVALS, change_status=_status(c.detectable, c.difference))
                else:
                    missing = [str(int(x["year"])) for x, h in ((p, p["interval"]), (r, how)) if h == NO_INTERVAL]
                    row.update(change_status=UNKNOWN_CHANGE, without_uncertainty=" och ".join(missing))
            rows.append(row)
            previous = pd.Series(row)
    out = pd.DataFrame(rows, columns=list(STATISTICS_COLUMNS))
    out["year"] = out["year"].astype("int64")
    return out


def _status(detectable: bool, difference: float) -> str:
    if not detectable:
        return NO_CLEAR_CHANGE
    return INCREASE if difference > 0 else DECREASE


# ============================================================================================
# Writing templates and tables
# ============================================================================================


def csv_text(rows: Iterable[Mapping[str, object] | Iterable[object]]) -> str:
    """The text of a ``;``-separated table with the template header (UTF-8 BOM included).

    Examples
    --------
    >>> csv_text([{"kommun": "1283", "enkät": "E", "ar": 2024}]).splitlines()[1]
    '1283;E;;;2024;;;;;;;;;'
    """
    return TEMPLATE.csv_text(rows)


def write_csv(path: str | Path, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> None:
    """Write rows as a template-shaped CSV (``;``, UTF-8 with BOM), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkat.csv"
    >>> write_csv(p, [{"kommun": "1283", "enkat": "E", "indikator": "I", "ar": 2024, "andel": "12,5",
    ...                "utgivare": "Region Skåne"}])
    >>> float(load_local_survey(p).loc[2, "value"])
    12.5
    """
    TEMPLATE.write_csv(path, rows)


#: Examples of local surveys, for the README (what they are; nothing is read from them).
SURVEY_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Företagens trygghetsundersökning (Helsingborgs stad)",
     "companies' exposure to crime and their sense of safety; group Företag"),
    ("Folkhälsoenkät Barn och unga (Region Skåne)",
     "e.g. the share of students who have ever used narcotics; groups Åk 9, Gymnasiet år 2"),
    ("Stockholmsenkäten (Stockholms stad and kommuner in Stockholms län)",
     "school survey on drugs, crime and risk and protective factors; groups Åk 9, Gymnasiet år 2"),
    ("LUPP, Lokal uppföljning av ungdomspolitiken (MUCF's survey, run by the kommun)",
     "young people's safety, leisure and influence; groups by school year"),
)


def instructions_rows() -> list[it.InstructionRow]:
    """The rows of the ``Instruktioner`` sheet: (section/column, required, description, example).

    Examples
    --------
    >>> rows = instructions_rows()
    >>> rows[0][0], any(r[0] == "andel" for r in rows), any(r[0] == "Förändring" for r in rows)
    ('Mall för lokala enkäter', True, True)
    """
    rows = it.instructions_rows(
        [TEMPLATE], "Mall för lokala enkäter",
        f"Fyll i bladet {FILE_KIND} (en rad per enkät, indikator, grupp och år) och spara det som CSV eller Excel i "
        "en egen mapp; en fil per enkät går också bra. Rubrikerna måste stå kvar; exempelraderna ska ersättas. Ange "
        "mappen med parametern local_surveys (reports: lagesbild: local_surveys i kommunens parameterfil).")
    rows.append(("Intervall", "", INTERVAL_RULE, ""))
    rows.append(("Urval", "", SAMPLE_RULE, ""))
    rows.append(("Förändring", "", CHANGE_RULE, ""))
    return rows


def workbook_bytes() -> bytes:
    """The template workbook ``lokala_enkater.xlsx`` as bytes: the table's sheet and ``Instruktioner``.

    Deterministic: fixed document dates and zip entry times.

    Examples
    --------
    >>> workbook_bytes() == workbook_bytes()
    True
    """
    return template_workbook([TEMPLATE], instructions_rows())


def templates_markdown() -> str:
    """``data/templates/lokala_enkater/README.md``: every column, the rules, how values are compared.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| andel | nej |" in text, "## Förändring" in text, "Wilson" in text
    (True, True, True)
    """
    lines = [
        "# Mall för lokala enkäter (local surveys template)",
        "",
        it.generated_note("lagesbild.summary.local_surveys.write_templates", "TEMPLATE",
                          "lib/lagesbild/summary/local_surveys.py"),
        "",
        "This template is how a kommun brings the results of its own surveys into the lägesbild (section 2, Annan "
        "information, *Lokala enkäter*): surveys the kommun runs or takes part in beside Brå's NTU and the police's "
        "trygghetsmätning, for example:",
        "",
        *[f"- **{name}**: {what}." for name, what in SURVEY_EXAMPLES],
        "",
        "A *local-surveys folder* holds one or more tables — `;`-separated CSV (UTF-8) or Excel (read from the sheet "
        f"`{FILE_KIND}`, else the first sheet), with any file name, one per survey or all in one — plus an optional "
        "`metadata.yaml`. Each table has the columns below, one row per kommun, survey, indicator, group and year, "
        "copied from the survey's report. Headers match case-insensitively; optional columns may be left out, but "
        "a column that is not in the template is an error, so that a misspelt header is never silently ignored. Every "
        "problem is reported with file, spreadsheet row, column and a fix. Other files in the folder (README, "
        "scripts, `metadata.yaml`) are ignored.",
        "",
        "The files here are written by `lagesbild.summary.local_surveys.write_templates(\"data/templates/"
        f"lokala_enkater\")`; a test checks that they are what it writes today and that the example rows load. "
        f"`{FILE_KIND}.xlsx` has the table's sheet and an `Instruktioner` sheet with the same rules as this page. "
        "Point the lägesbild at the folder with `reports: lagesbild: local_surveys: \"<folder>\"` in the kommun's "
        "params YAML. Loaded with `lagesbild.summary.local_surveys.load_local_surveys(folder, kommun)`; each value's "
        "interval and change with `survey_statistics`. Invented example data for Helsingborg and Falun: "
        "`data/example/lokala_enkater/`.",
        "",
        "| fil | innehåll |",
        "|---|---|",
        f"| `*.csv` / `*.xlsx` (e.g. `{FILE_KIND}.csv`) | {TEMPLATE.title}: one or more tables |",
        "| `metadata.yaml` | " + "; ".join(f"`{k}`: {v}" for k, v in METADATA_KEYS.items())
        + ". Other keys are an error. |",
        "",
        *it.columns_markdown(TEMPLATE),
        "## Rules",
        "",
        "- One row per kommun, survey, indicator, group and year, in the folder as a whole: two rows for the same "
        "combination are an error (both rows named, across files too). Names of surveys, indicators and groups are "
        "compared without regard to upper and lower case or extra spaces; write them the same way every year, "
        "otherwise they become different series. An empty `grupp` is `Alla`.",
        "- A row holds **either** `andel` (a share in per cent, 0–100: 25 for 25 %) **or** `medel` (a mean) with its "
        "`skala` (`lowest–highest`, e.g. `1–5`); never both, never neither. The mean must lie on its scale. A share "
        "may be written `24,5` or `24,5 %`; in Excel, a cell formatted as a percentage (which Excel stores as 0,245) "
        "is read as the per cent it shows. In Excel, format `skala` as text: Excel turns `1-5` into a date.",
        "- An indicator and group are one series: all shares, or all means on the same scale.",
        "- `nedre` and `ovre` are the 95 % confidence interval as the report gives it, in the value's unit (both or "
        "neither; `nedre` ≤ value ≤ `ovre`, `nedre` < `ovre`, within 0–100 or the scale).",
        "- `antal_svarande` is a whole number above 0. `ar` is a year from 1990 to this year.",
        "- `utgivare` is required: it is the source line under the report's table.",
        "- `anmarkning` is shown in the report beside the value; never write personal data in it.",
        "",
        "## Intervall",
        "",
        INTERVAL_RULE,
        "",
        SAMPLE_RULE,
        "",
        "The Wilson score interval (Wilson 1927) is computed with "
        "`statsmodels.stats.proportion.proportion_confint(method=\"wilson\")`; for 30 of 120 (25 %) it is "
        "18,1–33,4 %. It stays within 0–100 % and keeps its level for small groups and shares near 0 or 100 %.",
        "",
        "## Förändring",
        "",
        CHANGE_RULE,
        "",
        "The two-proportion test is the z-test with the pooled standard error (Agresti 2013, section 3.1); the "
        "difference's interval is Newcombe's hybrid score interval (Newcombe 1998, method 10). From two intervals "
        "the standard errors are recovered as (upper − lower) / (2 × 1,96) and the difference tested with their "
        "combined standard error (Altman & Bland 2003). The comparison is always with the previous measurement of "
        "the same indicator and group in the table.",
        "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates: ``lokala_enkater.csv``, ``lokala_enkater.xlsx`` and ``README.md``, atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/lokala_enkater``.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))]
    ['lokala_enkater.csv', 'lokala_enkater.xlsx', 'README.md']
    """
    return it.write_templates(folder, [TEMPLATE], workbook_name=f"{FILE_KIND}.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


__all__ = [
    "ALL", "CHANGE_RULE", "DECREASE", "EXAMPLE_LOCAL_SURVEYS", "FILE_DESCRIPTION", "FILE_KIND", "FIRST_YEAR",
    "GIVEN", "INCREASE", "INTERVALS", "INTERVAL_RULE", "MEAN", "NO_CLEAR_CHANGE", "NO_INTERVAL", "NO_PREVIOUS",
    "RESULTS_SCHEMA", "SAMPLE_RULE", "SHARE", "STATISTICS_COLUMNS", "SURVEY_EXAMPLES", "TEMPLATE", "TWO_PROPORTIONS",
    "UNKNOWN_CHANGE", "WILSON",
    "LocalSurveys", "change_rule", "check_series", "csv_text", "find_local_survey_tables", "instructions_rows", "load_local_survey",
    "load_local_surveys", "local_surveys_folder", "parse_scale", "survey_statistics", "templates_markdown",
    "workbook_bytes", "write_csv", "write_templates",
]
