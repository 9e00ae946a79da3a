"""A kommun's own wastewater lab results: loading, sites, campaigns, the daily and campaign tables.

A *lab-results folder* holds one table of analysis results, as CSV or Excel (``.xlsx``), and an
optional ``metadata.yaml`` (the same keys as a place-data folder, see
:data:`lagesbild.inputs.folders.METADATA_KEYS`):

=====================  ====================================================  ======
file                   what                                                  needed
=====================  ====================================================  ======
``analyser.*``         one row per lab result: day, plant, substance,        yes
                       concentration, flow, population served
``metadata.yaml``      ``exempeldata``, ``beskrivning``, ``kalla``,          no
                       ``datum``
=====================  ====================================================  ======

The table's columns and the templates are in :mod:`lagesbild.wastewater.templates`; units, loads
and the LOQ rule in :mod:`lagesbild.wastewater.loads`. Every problem in a file is an
:class:`~lagesbild.core.errors.InputError` naming file, spreadsheet row, column, what is wrong and the fix.

Results become the shared tidy tables of the wastewater report: :func:`to_daily` (``DAILY``: one
row per site × campaign × substance × day) and :func:`to_summary` (``SUMMARY``: weekday, weekend
and daily means per campaign, with EUDA's day definitions, :data:`WEEKDAY_DAYS` and
:data:`WEEKEND_DAYS`). A *campaign* is a run of consecutive sampling days at one plant, labelled by
the ISO year and week of its first day, e.g. ``"2025 v.12"``.

The column ``kommentar`` may hold anything the analyst writes; it is kept for reading in JupyterLab
but must **never be published** in a report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lagesbild.core import lazy
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.inputs import tables as it
from lagesbild.inputs.tables import Rule, cell_text, is_filled, normalise
from lagesbild.sources import schemas
from lagesbild.sources.readers import to_number
from lagesbild.sources.substances import SUBSTANCES, substance_key
from lagesbild.wastewater.loads import (
    _UNIT_SPELLINGS,
    apply_loq_rule,
    is_mostly_below_loq,
    load_mg_per_day_per_1000,
    parse_concentration,
    unit_factor,
)
from lagesbild.wastewater.templates import FILE_KIND, LAB_FOLDER, TEMPLATE, accepted_substances

# ============================================================================================
# Constants: source, day definitions
# ============================================================================================

#: ``source`` and ``country`` of every row this module writes to the DAILY and SUMMARY tables.
SOURCE = "egen mätning"
COUNTRY = "SE"

#: Days of the week in the weekday mean (0 = Monday): Tuesday, Wednesday, Thursday, as EUDA.
WEEKDAY_DAYS: tuple[int, ...] = (1, 2, 3)
#: Days of the week in the weekend mean: Friday, Saturday, Sunday, Monday, as EUDA (the samples of
#: these days carry the weekend's use). The daily mean is the mean of all measured days.
WEEKEND_DAYS: tuple[int, ...] = (4, 5, 6, 0)

# ============================================================================================
# Contract schemas
# ============================================================================================

_KOMMUN_RE = r"^\d{4}$"

#: A loaded results table (:func:`load_lab_results`). Concentrations in ng/L; index = spreadsheet row.
RESULTS_SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column("datetime64[ns]"),
        "site_id": pa.Column(str, pa.Check(is_filled)),
        "site": pa.Column(str, pa.Check(is_filled)),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "concentration": pa.Column(float, pa.Check.ge(0), nullable=True),
        "loq": pa.Column(float, pa.Check.gt(0), nullable=True),
        "below_loq": pa.Column(bool),
        "concentration_used": pa.Column(float, pa.Check.ge(0)),
        "flow_m3_per_day": pa.Column(float, pa.Check.gt(0)),
        "population": pa.Column(int, pa.Check.gt(0)),
        "load": pa.Column(float, pa.Check.ge(0)),
        "laboratorium": pa.Column(str),
        "kommentar": pa.Column(str),
    },
    checks=pa.Check(lambda d: ~d["below_loq"] | d["loq"].notna(), error="below LOQ needs loq"),
    unique=["date", "site_id", "substance"], strict=True, ordered=True, name="lab_results",
)

#: Columns of the shared DAILY table, in order.
DAILY_COLUMNS: tuple[str, ...] = ("site_id", "site", "country", "kommun_kod", "year", "campaign", "substance",
                                  "date", "weekday", "load", "source", "below_loq")
#: Columns of the SUMMARY table this module writes (the shared ones plus the LOQ columns), in order.
SUMMARY_COLUMNS: tuple[str, ...] = ("site_id", "site", "country", "kommun_kod", "year", "campaign", "substance",
                                    "weekday_mean", "weekend_mean", "daily_mean", "n_days", "source",
                                    "n_below_loq", "mostly_below_loq")

DAILY_SCHEMA = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check(is_filled)),
        "site": pa.Column(str),
        "country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$")),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE), nullable=True),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "campaign": pa.Column(str, pa.Check(is_filled)),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "weekday": pa.Column(int, pa.Check.in_range(0, 6)),
        "load": pa.Column(float, pa.Check.ge(0), nullable=True),
        "source": pa.Column(str),
        "below_loq": pa.Column(bool),
    },
    strict=True, ordered=True, name="daily",
)

SUMMARY_SCHEMA = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check(is_filled)),
        "site": pa.Column(str),
        "country": pa.Column(str),
        "kommun_kod": pa.Column(str, nullable=True),
        "year": pa.Column(int),
        "campaign": pa.Column(str),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "weekday_mean": pa.Column(float, nullable=True),
        "weekend_mean": pa.Column(float, nullable=True),
        "daily_mean": pa.Column(float, nullable=True),
        "n_days": pa.Column(int, pa.Check.ge(0)),
        "source": pa.Column(str),
        "n_below_loq": pa.Column(int, pa.Check.ge(0)),
        "mostly_below_loq": pa.Column(bool),
    },
    unique=["site_id", "campaign", "substance"], strict=True, ordered=True, name="summary",
)

# ============================================================================================
# Sites and campaigns
# ============================================================================================


def make_site_id(kommun: str, plant: str) -> str:
    """The site id of a plant: the kommun code and a slug of the plant's name.

    Examples
    --------
    >>> make_site_id("1287", "Trelleborgs reningsverk"), make_site_id("0114", " Käppalaverket (Lidingö) ")
    ('1287-trelleborgs-reningsverk', '0114-kappalaverket-lidingo')
    """
    ascii_name = unicodedata.normalize("NFKD", str(plant)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{kommun}-{slug}"


def label_campaigns(dates: pd.Series) -> pd.DataFrame:
    """Group the sampling days of one plant into campaigns: runs of consecutive days.

    A campaign is labelled by the ISO year and ISO week of its first day (``"2025 v.12"``); its
    ``year`` is that ISO year, so every day of a campaign has the same year (a campaign starting on
    Monday 30 December 2024 is "2025 v.1", year 2025). Two runs that start in the same ISO week
    (e.g. a week with a lost sample day) get the same label and so are one campaign in
    :func:`to_summary`.

    Parameters
    ----------
    dates : pandas.Series of datetime64
        Sampling days of one plant (repeats allowed, any order).

    Returns
    -------
    pandas.DataFrame
        Aligned with ``dates``: ``campaign`` (str), ``year`` (int), ``start`` (first day of the run).

    Examples
    --------
    >>> days = pd.Series(pd.to_datetime(["2024-12-30", "2024-12-31", "2025-01-01", "2025-03-12", "2025-03-13"]))
    >>> label_campaigns(days)["campaign"].tolist()
    ['2025 v.1', '2025 v.1', '2025 v.1', '2025 v.11', '2025 v.11']
    """
    day = pd.to_datetime(dates).dt.normalize()
    unique = pd.Series(np.sort(day.dropna().unique()))
    new_run = unique.diff() != pd.Timedelta(days=1)
    start = unique.where(new_run).ffill()
    by_day = pd.Series(start.to_numpy(), index=unique.to_numpy())
    first = day.map(by_day)
    iso = first.dt.isocalendar()
    out = pd.DataFrame({
        "campaign": iso["year"].astype(str) + " v." + iso["week"].astype(str),
        "year": iso["year"].astype("int64"),
        "start": first,
    }, index=dates.index)
    out["campaign"] = out["campaign"].astype(str)
    return out


# ============================================================================================
# Reading the results table
# ============================================================================================


def _positive(values: pd.Series, file: str, column: str, *, integer: bool = False,
              allow_missing: bool = False, what: str = "value") -> pd.Series:
    out = to_number(values, file=file, column=column, integer=integer, allow_missing=allow_missing)
    bad = out.notna() & ~(out > 0)
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        raise InputError(file, f"{what} {plain(values[row])} is not greater than 0",
                         f"write the {what} as a number greater than 0", row=int(row), column=column)
    return out


def load_lab_results(path: str | Path) -> pd.DataFrame:
    """Load a results table (``analyser.csv``/``.xlsx``): check every cell, convert units, compute loads.

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``analyser`` if there is one, else the first sheet).

    Returns
    -------
    pandas.DataFrame
        One row per result, index = spreadsheet row, columns (see :data:`RESULTS_SCHEMA`):
        ``date`` (datetime64[ns]), ``site_id`` (:func:`make_site_id`), ``site`` (plant name as first
        written), ``kommun_kod``, ``substance`` (key in :data:`lagesbild.sources.substances.SUBSTANCES`),
        ``concentration`` (ng/L as measured; NaN for ``<LOQ``), ``loq`` (ng/L or NaN), ``below_loq``
        (``<…`` or a number below the row's LOQ), ``concentration_used`` (ng/L after
        :func:`apply_loq_rule`), ``flow_m3_per_day``, ``population`` (int), ``load``
        (mg/day/1 000 inh, :func:`load_mg_per_day_per_1000` of ``concentration_used``),
        ``laboratorium``, ``kommentar`` (never publish).

    Raises
    ------
    InputError
        Naming row and column: unknown or missing columns, a bad date, an empty plant, a kommun that
        is not four digits, an unknown substance (the fix lists the accepted names), a concentration
        that is not a number or ``<LOQ``, ``<LOQ`` without ``loq``, ``<0,5`` that disagrees with
        ``loq``, an unknown unit, a flow or population not above 0 (or a population not whole), two
        results for one day, plant and substance (both rows named), and two different flows or
        populations for one day and plant.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "analyser.csv"
    >>> _ = p.write_text("provdatum;reningsverk;kommun;substans;koncentration;enhet;loq;flode_m3_per_dygn;personer\\n"
    ...                  "2025-03-12;Verket;1287;bensoylekgonin;400;ng/L;;12 000;40 000\\n"
    ...                  "2025-03-12;Verket;1287;metamfetamin;<LOQ;µg/L;0,005;12 000;40 000\\n", encoding="utf-8")
    >>> df = load_lab_results(p)
    >>> df[["substance", "below_loq", "concentration_used", "load"]].values.tolist()
    [['cocaine', False, 400.0, 120.0], ['methamphetamine', True, 2.5, 0.75]]
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATE.read(path)
    it.check_cells(df, {
        "reningsverk": Rule(lambda s: s.map(lambda v: bool(make_site_id("0000", v)[5:])),
                             lambda v: "the plant name is empty" if not v.strip() else f"{plain(v)} is not a plant name",
                             "write the treatment plant's name, the same way on every row"),
        "kommun": it.kommun_rule("1287 for Trelleborg"),
        "substans": Rule(lambda s: s.map(lambda v: substance_key(v, biomarker_only=True) is not None),
                          lambda v: (f"{plain(v)} is not a biomarker this suite knows" if v else "the substance is empty"),
                          "write the biomarker the lab measured (for cocaine benzoylecgonine, for cannabis THC-COOH; "
                          "a parent drug's concentration is not its biomarker's); accepted names: "
                          + accepted_substances()),
        "enhet": Rule(lambda s: s.map(lambda v: unit_factor(v) is not None),
                       lambda v: f"{plain(v)} is not a concentration unit this suite knows",
                       f"write {_UNIT_SPELLINGS}; ask the lab to convert other units"),
    }, file, headers)
    date = it.parse_dates(df["provdatum"], file, headers["provdatum"], allow_future=False)
    flow = _positive(df["flode_m3_per_dygn"], file, headers["flode_m3_per_dygn"], what="flow")
    population = _positive(df["personer"], file, headers["personer"], integer=True, what="population")
    loq_cells = _positive(df["loq"], file, headers["loq"], allow_missing=True, what="LOQ")

    factor = df["enhet"].map(unit_factor).astype(float)
    conc = pd.Series(np.nan, index=df.index)
    below = pd.Series(False, index=df.index)
    loq = loq_cells.copy()
    column = headers["koncentration"]
    for row, cell in df["koncentration"].items():
        try:
            value, is_below, cell_loq = parse_concentration(cell)
        except ValueError as exc:
            raise InputError(file, str(exc), "write the concentration as a number (412,5 or 412.5), as <LOQ "
                             "(and the LOQ in column loq) or as <0,5 (the LOQ after '<')",
                             row=int(row), column=column) from None
        if is_below and np.isnan(cell_loq) and np.isnan(loq_cells[row]):
            raise InputError(file, f"{plain(cell)} is below LOQ but the row has no LOQ",
                             f"write the limit of quantification in column {plain(headers['loq'])} (same unit as the "
                             "concentration), or write the concentration as <0,5 with the LOQ after '<'",
                             row=int(row), column=headers["loq"])
        if is_below and not np.isnan(cell_loq) and not np.isnan(loq_cells[row]) \
                and not np.isclose(cell_loq, loq_cells[row], rtol=1e-9, atol=0):
            raise InputError(file, f"{plain(cell)} says the LOQ is {cell_loq:g} but column loq says {loq_cells[row]:g}",
                             "correct one of them, or write <LOQ and keep the LOQ in column loq",
                             row=int(row), column=column)
        if is_below and not np.isnan(cell_loq):
            loq[row] = cell_loq
        elif not is_below and not np.isnan(loq_cells[row]) and value < loq_cells[row]:
            is_below = True  # a number below the row's own LOQ: the LOQ rule applies to it as well
        conc[row], below[row] = value, is_below

    kommun = cell_text(df["kommun"])
    plant = df["reningsverk"].map(lambda v: " ".join(v.split())).astype(str)
    site_id = pd.Series([make_site_id(k, p) for k, p in zip(kommun, plant, strict=True)], index=df.index)
    substance = df["substans"].map(lambda v: substance_key(v, biomarker_only=True)).astype(str)
    _check_unique(df, date, site_id, substance, plant, file, headers)
    _check_same_day(date, site_id, flow, "flow", file, headers["flode_m3_per_dygn"])
    _check_same_day(date, site_id, population, "population", file, headers["personer"])

    conc_ng, loq_ng = conc * factor, loq * factor
    used = apply_loq_rule(conc_ng, loq_ng, below)
    out = pd.DataFrame({
        "date": date,
        "site_id": site_id.astype(str),
        "site": site_id.map(plant.groupby(site_id).first()).astype(str),
        "kommun_kod": kommun,
        "substance": substance,
        "concentration": conc_ng.astype(float),
        "loq": loq_ng.astype(float),
        "below_loq": below.astype(bool),
        "concentration_used": used.astype(float),
        "flow_m3_per_day": flow.astype(float),
        "population": population.astype("int64"),
        "load": load_mg_per_day_per_1000(used, flow, population).astype(float),
        "laboratorium": cell_text(df["laboratorium"]),
        "kommentar": cell_text(df["kommentar"]),
    }, index=df.index)
    out = schemas.validate(out, RESULTS_SCHEMA, file)
    out.attrs["file"] = file
    return out


def _check_unique(df: pd.DataFrame, date: pd.Series, site_id: pd.Series, substance: pd.Series,
                  plant: pd.Series, file: str, headers: Mapping[str, str]) -> None:
    keys = date.dt.strftime("%Y-%m-%d") + "|" + site_id + "|" + substance
    pair = it.first_repeat(keys)
    if pair is None:
        return
    a, b = pair
    names = (df.loc[a, "substans"], df.loc[b, "substans"])
    spelled = f" (written {plain(names[0])} and {plain(names[1])})" if normalise(names[0]) != normalise(names[1]) else ""
    raise InputError(
        file,
        f"rows {a} and {b} are both results for {SUBSTANCES[substance[b]].name} on {date[b]:%Y-%m-%d} at "
        f"{plant[b]}{spelled}",
        "keep one result per day, plant and substance: delete one of the rows or correct its date; if the lab "
        "reports both the drug and its biomarker, keep the biomarker (benzoylecgonine for cocaine, THC-COOH "
        "for cannabis)", row=b, column=headers["substans"])


def _check_same_day(date: pd.Series, site_id: pd.Series, values: pd.Series, what: str, file: str,
                    column: str) -> None:
    """All rows of one day and plant must give the same value (one flow, one population per day)."""
    key = date.dt.strftime("%Y-%m-%d") + "|" + site_id
    first = values.groupby(key).transform("first")
    differs = values != first
    if differs.any():
        b = values.index[differs.to_numpy()][0]
        a = values.index[((key == key[b]) & (values == first[b])).to_numpy()][0]
        raise InputError(file, f"rows {int(a)} and {int(b)} give different {what}s ({values[a]:g} and {values[b]:g}) "
                         f"for the same day and plant", f"a day at a plant has one {what}: write the same value on "
                         "every row of that day", row=int(b), column=column)


# ============================================================================================
# DAILY and SUMMARY tables
# ============================================================================================


def _empty(columns: Iterable[str], schema: pa.DataFrameSchema) -> pd.DataFrame:
    dtypes = {"year": "int64", "weekday": "int64", "n_days": "int64", "n_below_loq": "int64",
              "below_loq": bool, "mostly_below_loq": bool, "date": "datetime64[ns]"}
    floats = {"load", "weekday_mean", "weekend_mean", "daily_mean"}
    return schema.validate(pd.DataFrame({
        c: pd.Series([], dtype=dtypes.get(c, "float64" if c in floats else str)) for c in columns}))


def to_daily(results: pd.DataFrame) -> pd.DataFrame:
    """Results as the shared DAILY table: one row per site × campaign × substance × day.

    Every substance measured in a campaign gets a row for every day of the campaign; a day
    without a result for it has ``load`` NaN (not measured). ``load`` of a day below LOQ is the
    LOQ/2 load (:func:`apply_loq_rule`) with ``below_loq`` True.

    Parameters
    ----------
    results : pandas.DataFrame
        As :func:`load_lab_results` returns (possibly filtered to one kommun).

    Returns
    -------
    pandas.DataFrame
        :data:`DAILY_COLUMNS`: ``site_id``, ``site``, ``country`` ("SE"), ``kommun_kod``, ``year`` and
        ``campaign`` (:func:`label_campaigns`), ``substance``, ``date``, ``weekday`` (0 = Monday),
        ``load`` (mg/day/1 000 inh), ``source`` ("egen mätning"), ``below_loq``. Sorted by site,
        date, substance (in :data:`~lagesbild.sources.substances.SUBSTANCES` order); index 0, 1, …

    Examples
    --------
    >>> results = pd.DataFrame({"date": pd.to_datetime(["2025-03-12", "2025-03-13", "2025-03-12"]),
    ...     "site_id": "1287-verket", "site": "Verket", "kommun_kod": "1287",
    ...     "substance": ["cocaine", "cocaine", "MDMA"], "below_loq": False, "load": [80.0, 90.0, 5.0]})
    >>> daily = to_daily(results)
    >>> daily[["campaign", "substance", "weekday", "load"]].values.tolist()
    [['2025 v.11', 'cocaine', 2, 80.0], ['2025 v.11', 'MDMA', 2, 5.0], ['2025 v.11', 'cocaine', 3, 90.0],
     ['2025 v.11', 'MDMA', 3, nan]]
    """
    if results.empty:
        return _empty(DAILY_COLUMNS, DAILY_SCHEMA)
    frames = []
    order = {k: i for i, k in enumerate(SUBSTANCES)}
    for site_id, rows in results.groupby("site_id", sort=True):
        labels = label_campaigns(rows["date"])
        rows = rows.assign(campaign=labels["campaign"], year=labels["year"], start=labels["start"])
        days = rows[["campaign", "year", "start", "date"]].drop_duplicates()
        substances = rows[["campaign", "substance"]].drop_duplicates()
        grid = days.merge(substances, on="campaign")
        grid = grid.merge(rows[["date", "substance", "load", "below_loq"]], on=["date", "substance"], how="left")
        grid["below_loq"] = grid["below_loq"].fillna(False).astype(bool)
        first = rows.iloc[0]
        grid = grid.assign(site_id=site_id, site=first["site"], kommun_kod=first["kommun_kod"])
        frames.append(grid)
    daily = pd.concat(frames, ignore_index=True)
    daily["_order"] = daily["substance"].map(order)
    daily = daily.sort_values(["site_id", "date", "_order"], kind="stable").reset_index(drop=True)
    daily = daily.assign(country=COUNTRY, source=SOURCE, weekday=daily["date"].dt.day_of_week.astype("int64"))
    daily = daily[list(DAILY_COLUMNS)].astype({"year": "int64", "load": "float64", "date": "datetime64[ns]"})
    for col in ("site_id", "site", "kommun_kod", "campaign", "substance", "country", "source"):
        daily[col] = daily[col].astype(str)
    return DAILY_SCHEMA.validate(daily)


def to_summary(daily: pd.DataFrame) -> pd.DataFrame:
    """Campaign means from a DAILY table: weekday, weekend and daily means, days and LOQ flags.

    The day definitions are EUDA's: weekday mean = mean of Tuesday, Wednesday, Thursday
    (:data:`WEEKDAY_DAYS`); weekend mean = mean of Friday, Saturday, Sunday, Monday
    (:data:`WEEKEND_DAYS`); daily mean = mean of all days. Days without a load (NaN) are left out
    of the means and of ``n_days``. Loads below LOQ enter the means as their LOQ/2 value
    (:func:`apply_loq_rule`); ``mostly_below_loq`` flags a campaign where more than half of the
    measured days are below LOQ (:func:`is_mostly_below_loq`).

    Parameters
    ----------
    daily : pandas.DataFrame
        A DAILY table (:data:`DAILY_COLUMNS`), e.g. from :func:`to_daily`.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`, one row per site × campaign × substance, sorted by site, year,
        campaign start and substance.

    Examples
    --------
    >>> days = pd.date_range("2025-03-10", periods=7)  # Monday … Sunday
    >>> daily = pd.DataFrame({"site_id": "1287-verket", "site": "Verket", "country": "SE", "kommun_kod": "1287",
    ...     "year": 2025, "campaign": "2025 v.11", "substance": "MDMA", "date": days, "weekday": days.day_of_week,
    ...     "load": [10.0, 4.0, 5.0, 6.0, 12.0, 20.0, 18.0], "source": "egen mätning", "below_loq": False})
    >>> to_summary(daily)[["weekday_mean", "weekend_mean", "daily_mean", "n_days", "mostly_below_loq"]].values.tolist()
    [[5.0, 15.0, 10.714285714285714, 7, False]]
    """
    if daily.empty:
        return _empty(SUMMARY_COLUMNS, SUMMARY_SCHEMA)
    keys = ["site_id", "site", "country", "kommun_kod", "year", "campaign", "substance", "source"]
    measured = daily["load"].notna()
    work = daily.assign(
        _weekday=daily["load"].where(daily["weekday"].isin(WEEKDAY_DAYS)),
        _weekend=daily["load"].where(daily["weekday"].isin(WEEKEND_DAYS)),
        _measured=measured,
        _below=daily["below_loq"].astype(bool) & measured,
    )
    out = work.groupby(keys, dropna=False, sort=False).agg(
        weekday_mean=("_weekday", "mean"), weekend_mean=("_weekend", "mean"), daily_mean=("load", "mean"),
        n_days=("_measured", "sum"), n_below_loq=("_below", "sum"), _start=("date", "min"),
    ).reset_index()
    out["mostly_below_loq"] = is_mostly_below_loq(out["n_below_loq"], out["n_days"]).astype(bool)
    order = {k: i for i, k in enumerate(SUBSTANCES)}
    out["_order"] = out["substance"].map(order)
    out = out.sort_values(["site_id", "year", "_start", "campaign", "_order"], kind="stable").reset_index(drop=True)
    out = out.astype({"n_days": "int64", "n_below_loq": "int64", "year": "int64",
                      "weekday_mean": "float64", "weekend_mean": "float64", "daily_mean": "float64"})
    kommun = out["kommun_kod"].astype(object).where(out["kommun_kod"].notna(), None)
    out = out[list(SUMMARY_COLUMNS)].copy()
    out["kommun_kod"] = pd.Series(kommun, dtype=str) if kommun.notna().all() else kommun
    return SUMMARY_SCHEMA.validate(out)


# ============================================================================================
# A lab-results folder
# ============================================================================================


@dataclass
class LabData:
    """The own wastewater lab results of one kommun, loaded from a lab-results folder.

    ``results`` as :func:`load_lab_results` (only the kommun's rows), ``daily`` and ``summary`` as
    :func:`to_daily` and :func:`to_summary`. ``files`` lists the tables read (``name``,
    ``description``, ``sha256``, ``date``) for the report's provenance. ``example`` is True for
    invented example data: every report must say so.
    """

    results: pd.DataFrame
    daily: pd.DataFrame
    summary: pd.DataFrame
    example: bool
    description: str
    source: str
    files: list[dict] = field(default_factory=list)
    kommun_kod: str = ""
    folder: Path | None = None


def find_lab_table(folder: str | Path) -> Path:
    """The results table of a lab-results folder: ``analyser.csv`` or ``analyser.xlsx``.

    Other files (``metadata.yaml``, README, scripts, Excel lock files ``~$…``) are ignored; another
    table, two results tables or none are errors (:data:`LAB_FOLDER`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("Analyser.xlsx", "metadata.yaml", "make_example.py"):
    ...     _ = (d / name).write_text("x")
    >>> find_lab_table(d).name
    'Analyser.xlsx'
    """
    found = LAB_FOLDER.find(folder)
    LAB_FOLDER.require(folder, found)
    return found[FILE_KIND]


def load_lab_folder(folder: str | Path, kommun: str) -> LabData | None:
    """Load a lab-results folder and keep the results of one kommun.

    The whole table is loaded and checked first; then the rows whose ``kommun`` is ``kommun`` are
    kept and turned into the DAILY and SUMMARY tables.

    Parameters
    ----------
    folder : str or Path
        The lab-results folder (see the module docstring).
    kommun : str
        Four-digit kommun code, e.g. "1287".

    Returns
    -------
    LabData or None
        None when the table has no result for ``kommun``.

    Raises
    ------
    InputError
        Missing folder or table, other tables in the folder, bad ``metadata.yaml``, and every error
        of :func:`load_lab_results`.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> data = load_lab_folder(DATA / "example" / "wastewater", "1287")
    >>> data.example, data.files[0]["name"], sorted(data.summary["campaign"].unique())
    (True, 'wastewater/analyser.csv', ['2023 v.11', '2024 v.11', '2025 v.11'])
    >>> load_lab_folder(DATA / "example" / "wastewater", "1283") is None
    True
    """
    found = LAB_FOLDER.open(folder, kommun)
    meta = found.metadata
    results = load_lab_results(found.tables[FILE_KIND])
    mine = results[results["kommun_kod"] == found.kommun]
    if mine.empty:
        return None
    mine.attrs = dict(results.attrs)
    daily = to_daily(mine)
    return LabData(results=mine, daily=daily, summary=to_summary(daily), example=meta["exempeldata"],
                   description=meta["beskrivning"], source=meta["kalla"], files=found.provenance(),
                   kommun_kod=found.kommun, folder=found.folder)


__all__ = [
    "COUNTRY", "DAILY_COLUMNS", "DAILY_SCHEMA", "RESULTS_SCHEMA", "SOURCE", "SUMMARY_COLUMNS", "SUMMARY_SCHEMA",
    "WEEKDAY_DAYS", "WEEKEND_DAYS", "LabData", "find_lab_table", "label_campaigns", "load_lab_folder",
    "load_lab_results", "make_site_id", "to_daily", "to_summary",
]

#: The names this module gave to :mod:`lagesbild.wastewater.loads` and :mod:`lagesbild.wastewater.templates`
#: (``lagesbild.wastewater.labresults.LOQ_RULE`` keeps working, looked up on first use).
__getattr__ = lazy.also_in(__name__, "lagesbild.wastewater.loads", "lagesbild.wastewater.templates")
