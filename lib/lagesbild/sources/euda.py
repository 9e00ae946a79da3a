"""EUDA's European wastewater data: loaders, recomputed weekly means and comparisons between sites.

The bundled files in ``data/raw/wastewater/`` are EUDA's "Wastewater analysis and drugs — a European
multi-city study" (2025 release, SCORE network); see ``data/raw/README.md`` for provenance and caveats.
Loads are biomarker loads in mg per day per 1 000 inhabitants served by the treatment plant, measured
during one week (seven consecutive 24-hour composite samples) per site and year.

==========================  ===========================================================================
function                    what
==========================  ===========================================================================
load_loads                  ``ww2025-all-data.csv`` → (daily loads, summary) in the shared tidy shapes
load_sites                  ``ww2025-site-info-table.csv`` → one row per site with coordinates
load_sites_sweden           ``euda_sites_sweden.csv`` → Swedish site → kommun
load_european_mean          ``ww2025-aggregated-trends.csv`` → European mean per substance and year
recompute_means             weekday / weekend / daily means from the daily loads
means_agreement             do EUDA's published means match the recomputed ones, and why not
latest_year, position       the latest year with data; a site's rank and percentile among sites
nearest_sites, kommun_sites the sites nearest a point; the sites of a kommun
national_picture            the Swedish sites' daily means for one year (or each site's latest)
==========================  ===========================================================================

Definitions of the means (EUDA's, verified against the bundled table in ``tests/test_euda.py``):
weekday mean = mean of Tuesday, Wednesday and Thursday; weekend mean = mean of Friday, Saturday,
Sunday and Monday; daily mean = mean of all seven days. The published means of the 2021
campaign follow another split (Tuesday–Friday and Saturday–Monday) for most sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pyproj import Geod
from scipy import stats

from lagesbild.core import units
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.sources import schemas
from lagesbild.sources.readers import is_missing, read_table, to_number
from lagesbild.sources.substances import SUBSTANCES, substance_key

#: The ``source`` value of every EUDA row.
SOURCE = "EUDA"
#: Values of ``source`` in the shared tidy shapes.
SOURCES = ("EUDA", "egen mätning")

#: EUDA's day columns → weekday number (0 = Monday … 6 = Sunday).
DAYS: dict[str, int] = {"Monday": 0, "Tuesday": 1, "Wednesday": 2, "Thursday": 3, "Friday": 4, "Saturday": 5,
                        "Sunday": 6}
#: Days of EUDA's weekday mean (Tuesday–Thursday) and weekend mean (Friday–Monday); weekday numbers.
WEEKDAY_DAYS: tuple[int, ...] = units.WEEKDAY_DAYS
WEEKEND_DAYS: tuple[int, ...] = units.WEEKEND_DAYS
#: The split EUDA's published 2021 weekday/weekend means follow for most sites: Tuesday–Friday, Saturday–Monday.
WEEKDAY_DAYS_2021: tuple[int, ...] = (1, 2, 3, 4)
WEEKEND_DAYS_2021: tuple[int, ...] = (5, 6, 0)
#: The three means, in the order reports show them.
MEAN_KINDS: tuple[str, ...] = ("weekday_mean", "weekend_mean", "daily_mean")

#: Swedish names for the Swedish sites EUDA spells in English (or as a plant group); the key stays ``site_id``.
SWEDISH_NAMES: dict[str, str] = {"Gothenburg": "Göteborg", "Umea": "Umeå", "Stockholm (2)": "Stockholm"}

#: Country codes EUDA's files write otherwise than ISO 3166: Debrecen (H001) is in country "H" (Hungary).
COUNTRY_CODES: dict[str, str] = {"H": "HU"}

#: EUDA's column → tidy column, for ``ww2025-all-data.csv``.
LOADS_COLUMNS: dict[str, str] = {
    "Year": "year", "Metabolite": "metabolite", "Site ID": "site_id", "Country": "country", "City": "city",
    **{day: day for day in DAYS},
    "Weekday mean": "weekday_mean", "Weekend mean": "weekend_mean", "Daily mean": "daily_mean",
}
#: EUDA's column → tidy column, for ``ww2025-site-info-table.csv`` (``Website`` is dropped).
SITE_COLUMNS: dict[str, str] = {
    "SiteID": "site_id", "Country": "country", "City": "city", "Location": "location", "Latitude": "lat",
    "Longitude": "lon", "Population": "population", "Institution": "institution",
}
SITES_SWEDEN_COLUMNS = ("site_id", "kommun_kod", "kommun", "note")

DAILY_COLUMNS = ["site_id", "site", "country", "kommun_kod", "year", "campaign", "substance", "date", "weekday",
                 "load", "source", "below_loq"]
SUMMARY_COLUMNS = ["site_id", "site", "country", "kommun_kod", "year", "campaign", "substance", "weekday_mean",
                   "weekend_mean", "daily_mean", "n_days", "source"]

_KOMMUN = r"^\d{4}$"
_COUNTRY = r"^[A-Z]{2}$"
_GEOD = Geod(ellps="WGS84")

_FIXES = {
    "site_id": "every row needs the site id (e.g. SE002)",
    "country": "write the country as EUDA does: two capital letters (SE, NO …)",
    "year": "write the year as four digits, e.g. 2024",
    "kommun_kod": "use the four-digit SCB kommun code as text, with its leading zero (0180, not 180)",
    "kommun": "write the kommun's name",
    "lat": "latitude must be in decimal degrees (WGS 84), between -90 and 90",
    "lon": "longitude must be in decimal degrees (WGS 84), between -180 and 180",
    "population": "population served must be a whole, non-negative number",
}

#: Daily loads, one row per site × year (campaign) × substance × day (the shared tidy shape).
DAILY = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "site": pa.Column(str, pa.Check.str_length(min_value=1)),
        "country": pa.Column(str, pa.Check.str_matches(_COUNTRY)),
        "kommun_kod": pa.Column(object, pa.Check(lambda s: s.isna() | s.astype(str).str.match(_KOMMUN),
                                                 error="kommun_kod is four digits or None"), nullable=True),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "campaign": pa.Column(str, pa.Check.str_length(min_value=1)),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "weekday": pa.Column(int, pa.Check.in_range(0, 6)),
        "load": pa.Column(float, pa.Check.ge(0), nullable=True),
        "source": pa.Column(str, pa.Check.isin(SOURCES)),
        "below_loq": pa.Column(bool),
    },
    strict=True,
    name="wastewater_daily",
)

#: One row per site × year (campaign) × substance with the campaign's means (the shared tidy shape).
SUMMARY = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "site": pa.Column(str, pa.Check.str_length(min_value=1)),
        "country": pa.Column(str, pa.Check.str_matches(_COUNTRY)),
        "kommun_kod": pa.Column(object, pa.Check(lambda s: s.isna() | s.astype(str).str.match(_KOMMUN),
                                                 error="kommun_kod is four digits or None"), nullable=True),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "campaign": pa.Column(str, pa.Check.str_length(min_value=1)),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "weekday_mean": pa.Column(float, pa.Check.ge(0), nullable=True),
        "weekend_mean": pa.Column(float, pa.Check.ge(0), nullable=True),
        "daily_mean": pa.Column(float, pa.Check.ge(0), nullable=True),
        "n_days": pa.Column(int, pa.Check.ge(0)),
        "source": pa.Column(str, pa.Check.isin(SOURCES)),
    },
    unique=["site_id", "campaign", "substance"],
    strict=True,
    name="wastewater_summary",
)

SITES = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "site": pa.Column(str),
        "country": pa.Column(str, pa.Check.str_matches(_COUNTRY)),
        "city": pa.Column(str, pa.Check.str_length(min_value=1)),
        "location": pa.Column(str),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90)),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180)),
        "population": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "institution": pa.Column(str),
    },
    strict=True,
    name="wastewater_sites",
)

SITES_SWEDEN = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN)),
        "kommun": pa.Column(str, pa.Check.str_length(min_value=1)),
        "note": pa.Column(str),
    },
    strict=True,
    name="wastewater_sites_sweden",
)

EUROPEAN_MEAN = pa.DataFrameSchema(
    {
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "european_mean": pa.Column(float, pa.Check.ge(0), nullable=True),
    },
    unique=["substance", "year"],
    strict=True,
    name="wastewater_european_mean",
)


# ============================================================================================
# Helpers
# ============================================================================================


def site_name(city: str, country: str) -> str:
    """The display name of a site: Swedish spelling for the Swedish sites EUDA names in English.

    Parameters
    ----------
    city : str
        EUDA's ``City``.
    country : str
        EUDA's two-letter country code.

    Returns
    -------
    str

    Examples
    --------
    >>> site_name("Umea", "SE"), site_name("Stockholm (2)", "SE"), site_name("Gävle", "SE"), site_name("Umea", "XX")
    ('Umeå', 'Stockholm', 'Gävle', 'Umea')
    """
    return SWEDISH_NAMES.get(city, city) if country == "SE" else city


def _country(codes: pd.Series) -> pd.Series:
    return codes.replace(COUNTRY_CODES)


def _rename(raw: pd.DataFrame, columns: dict[str, str], file: str, what: str) -> pd.DataFrame:
    """Rename EUDA's columns (matched case-insensitively) to tidy names; a missing one is an InputError."""
    lower = {str(c).strip().lower(): c for c in raw.columns}
    missing = [c for c in columns if c.lower() not in lower]
    if missing:
        raise InputError(
            file, f"required column(s) missing: {', '.join(repr(c) for c in missing)}",
            f"use {what} as EUDA publishes it, with the columns {', '.join(columns)}",
        )
    return raw.rename(columns={lower[c.lower()]: new for c, new in columns.items()})[list(columns.values())]


def _validate(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str, headers: dict[str, str]) -> pd.DataFrame:
    """:func:`lagesbild.sources.schemas.validate`, naming the column as the file's header spells it."""
    try:
        return schemas.validate(df, schema, file)
    except InputError as exc:
        fix = exc.fix if exc.problem.startswith(("duplicate", "required")) else _FIXES.get(exc.column or "", exc.fix)
        column = headers.get(exc.column, exc.column) if exc.column is not None else None
        raise InputError(exc.file, exc.problem, fix, row=exc.row, column=column) from None


def _loads(values: pd.Series, file: str, column: str, cell_columns: pd.Series | None = None,
           allow_missing: bool = True) -> pd.Series:
    """Parse loads (numbers, empty = not measured) and reject negative ones."""
    out = to_number(values, file=file, column=column, allow_missing=allow_missing, cell_columns=cell_columns)
    negative = out < 0
    if negative.any():
        pos = int(np.flatnonzero(negative.to_numpy())[0])
        col = str(cell_columns.iloc[pos]) if cell_columns is not None else column
        raise InputError(
            file, f"the load {plain(values.iloc[pos])} is negative",
            "loads (mg/day/1000 inh.) cannot be negative; correct the value or leave the cell empty if not measured",
            row=int(values.index[pos]), column=col,
        )
    return out


def _substances(labels: pd.Series, file: str, column: str) -> pd.Series:
    keys = labels.map(substance_key)
    unknown = keys.isna()
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            file, f"unknown metabolite {plain(labels.iloc[pos])}",
            f"use one of EUDA's labels ({', '.join(SUBSTANCES)}) or a biomarker name such as benzoylecgonine",
            row=int(labels.index[pos]), column=column,
        )
    return keys.astype(str)


def _kommun_lookup(sites_sweden: pd.DataFrame | str | Path | None) -> dict[str, str]:
    if sites_sweden is None:
        return {}
    table = sites_sweden if isinstance(sites_sweden, pd.DataFrame) else load_sites_sweden(sites_sweden)
    return dict(zip(table["site_id"], table["kommun_kod"], strict=True))


# ============================================================================================
# Loaders
# ============================================================================================


def load_loads(path: str | Path, sites_sweden: pd.DataFrame | str | Path | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """EUDA's per-day loads (``ww2025-all-data.csv``) as daily loads and a per-campaign summary.

    Parameters
    ----------
    path : str or Path
        EUDA's all-data table: ``Year, Metabolite, Site ID, Country, City``, one column per day
        (``Wednesday`` … ``Tuesday``) and ``Weekday mean, Weekend mean, Daily mean``; loads in
        mg/day/1000 inhabitants; an empty cell is a day without a result.
    sites_sweden : DataFrame, str or Path, optional
        The Swedish site → kommun table (:func:`load_sites_sweden`, or its path). Without it, and for
        sites not in it, ``kommun_kod`` is None.

    Returns
    -------
    daily : pandas.DataFrame
        Schema :data:`DAILY`: seven rows per site, year and substance (``weekday`` 0 = Monday);
        ``date`` is NaT (EUDA does not publish the dates), ``campaign`` the year as text,
        ``source`` "EUDA", ``below_loq`` False.
    summary : pandas.DataFrame
        Schema :data:`SUMMARY`: one row per site, year and substance with EUDA's *published* means
        and ``n_days``, the number of days with a result.
        Both: ``site_id`` is the key; ``site`` the display name (Swedish spelling, see
        :data:`SWEDISH_NAMES`); ``country`` two letters (:data:`COUNTRY_CODES` corrects EUDA's
        "H"); sorted by site, year and substance.

    Raises
    ------
    InputError
        Missing column, unknown metabolite, a value that is not a number, a negative load, or two
        rows for the same site, year and substance.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "ww.csv"
    >>> head = "Year,Metabolite,Site ID,Country,City," + ",".join(DAYS) + ",Weekday mean,Weekend mean,Daily mean\\n"
    >>> _ = p.write_text(head + "2024,cocaine,SE010,SE,Umea,10,20,20,20,10,10,10,20,10,14.29\\n", encoding="utf-8")
    >>> daily, summary = load_loads(p, pd.DataFrame({"site_id": ["SE010"], "kommun_kod": ["2480"]}))
    >>> summary[["site_id", "site", "kommun_kod", "campaign", "weekday_mean", "daily_mean", "n_days"]].to_dict("records")
    [{'site_id': 'SE010', 'site': 'Umeå', 'kommun_kod': '2480', 'campaign': '2024', 'weekday_mean': 20.0, 'daily_mean': 14.29, 'n_days': 7}]
    >>> daily["load"].tolist(), daily["weekday"].tolist()
    ([10.0, 20.0, 20.0, 20.0, 10.0, 10.0, 10.0], [0, 1, 2, 3, 4, 5, 6])
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = _rename(raw, LOADS_COLUMNS, file, "the all-data table (ww*-all-data.csv)")
    headers = {new: old for old, new in LOADS_COLUMNS.items()}
    df["country"] = _country(df["country"])
    year = to_number(df["year"], file=file, column="Year", integer=True, allow_missing=False)
    substance = _substances(df["metabolite"], file, "Metabolite")
    loads = {day: _loads(df[day], file, day) for day in DAYS}
    means = {kind: _loads(df[kind], file, headers[kind]) for kind in MEAN_KINDS}
    _check_unique(pd.DataFrame({"site_id": df["site_id"], "year": year, "substance": substance}), file)

    kommun = _kommun_lookup(sites_sweden)
    summary = pd.DataFrame({
        "site_id": df["site_id"],
        "site": [site_name(c, k) for c, k in zip(df["city"], df["country"], strict=True)],
        "country": df["country"],
        "kommun_kod": pd.Series([kommun.get(s) for s in df["site_id"]], index=df.index, dtype=object),
        "year": year.astype(int),
        "campaign": year.astype(int).astype(str),
        "substance": substance,
        **means,
        "n_days": pd.DataFrame(loads).notna().sum(axis=1).astype(int),
        "source": SOURCE,
    }, index=df.index)
    summary = _validate(summary, SUMMARY, file, headers)

    long = pd.DataFrame(loads).rename(columns=DAYS)
    long.columns.name = "weekday"
    stacked = long.stack(future_stack=True).rename("load").reset_index(level="weekday")
    daily = summary[["site_id", "site", "country", "kommun_kod", "year", "campaign", "substance"]].join(stacked)
    daily = daily.assign(
        date=pd.Series(pd.NaT, index=daily.index, dtype="datetime64[ns]"),
        weekday=daily["weekday"].astype(int), load=daily["load"].astype(float), source=SOURCE, below_loq=False,
    )[DAILY_COLUMNS]
    daily = _validate(daily, DAILY, file, headers)

    order = ["site_id", "year", "substance"]
    summary = summary.sort_values(order, kind="stable").reset_index(drop=True)
    daily = daily.sort_values([*order, "weekday"], kind="stable").reset_index(drop=True)
    summary.attrs["file"] = daily.attrs["file"] = file
    return daily, summary


def _check_unique(keys: pd.DataFrame, file: str) -> None:
    dup = keys.duplicated(keep=False)
    if not dup.any():
        return
    first = keys[dup].iloc[0]
    same = keys[(keys == first).all(axis=1)].index.tolist()
    rows = f"{', '.join(map(str, same[:-1]))} and {same[-1]}"
    raise InputError(
        file,
        f"rows {rows} {'both' if len(same) == 2 else 'all'} hold site {first['site_id']}, year {first['year']:.0f} "
        f"and substance {first['substance']}",
        "remove the duplicated rows; each site, year and metabolite may appear once",
        row=int(same[1]), column="Metabolite",
    )


def load_sites(path: str | Path) -> pd.DataFrame:
    """EUDA's site table (``ww2025-site-info-table.csv``): one row per site.

    Parameters
    ----------
    path : str or Path
        Columns ``SiteID, Country, City, Location, Latitude, Longitude, Population, Institution``
        (``Website`` and other columns are ignored). ``N/A`` or empty means unknown.

    Returns
    -------
    pandas.DataFrame
        ``site_id, site, country, city, location, lat, lon, population, institution``: ``site`` is
        the display name (:func:`site_name`), ``city`` as EUDA spells it, ``country`` as in
        :func:`load_loads`, ``lat``/``lon`` WGS 84
        degrees, ``population`` the population served (nullable integer), unknown texts ``""``.

    Raises
    ------
    InputError
        Missing column, duplicate site id, coordinates out of range, population not a whole number.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "sites.csv"
    >>> _ = p.write_text('"SiteID","Country","City","Location","Latitude","Longitude","Population","Institution"\\n'
    ...                  '"SE010","SE","Umea","N/A","63.8","20.3",2e+05,"N/A"\\n', encoding="utf-8")
    >>> load_sites(p).iloc[0].to_dict()
    {'site_id': 'SE010', 'site': 'Umeå', 'country': 'SE', 'city': 'Umea', 'location': '', 'lat': 63.8, 'lon': 20.3, 'population': 200000, 'institution': ''}
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = _rename(raw, SITE_COLUMNS, file, "the site table (ww*-site-info-table.csv)")
    headers = {new: old for old, new in SITE_COLUMNS.items()}
    df["country"] = _country(df["country"])
    text = {c: df[c].where(~is_missing(df[c]), "") for c in ("location", "institution")}
    out = pd.DataFrame({
        "site_id": df["site_id"],
        "site": [site_name(c, k) for c, k in zip(df["city"], df["country"], strict=True)],
        "country": df["country"],
        "city": df["city"],
        "location": text["location"],
        "lat": to_number(df["lat"], file=file, column="Latitude", allow_missing=False),
        "lon": to_number(df["lon"], file=file, column="Longitude", allow_missing=False),
        "population": to_number(df["population"], file=file, column="Population", integer=True).astype("Int64"),
        "institution": text["institution"],
    }, index=df.index)
    out = _validate(out, SITES, file, headers)
    out = out.reset_index(drop=True)
    out.attrs["file"] = file
    return out


def load_sites_sweden(path: str | Path, kommuner: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Swedish EUDA sites mapped to kommuner (``euda_sites_sweden.csv``).

    Parameters
    ----------
    path : str or Path
        Columns ``site_id; kommun_kod; kommun; note`` (codes as text with leading zeros).
    kommuner : pandas.DataFrame, optional
        The kommun table (:func:`lagesbild.sources.public.load_kommuner`); when given, every code must be in
        it with the same name.

    Returns
    -------
    pandas.DataFrame
        ``site_id, kommun_kod, kommun, note``.

    Raises
    ------
    InputError
        Missing column, duplicate site, a code that is not four digits or not a kommun.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "se.csv"
    >>> _ = p.write_text('site_id;kommun_kod;kommun;note\\n"SE011";"0380";"Uppsala";""\\n', encoding="utf-8")
    >>> load_sites_sweden(p).to_dict("records")
    [{'site_id': 'SE011', 'kommun_kod': '0380', 'kommun': 'Uppsala', 'note': ''}]
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = _rename(raw, {c: c for c in SITES_SWEDEN_COLUMNS}, file, "the Swedish site table")
    df = _validate(df, SITES_SWEDEN, file, {})
    if kommuner is not None:
        names = dict(zip(kommuner["kommun_kod"], kommuner["kommun"], strict=True))
        for row, code, name in zip(df.index, df["kommun_kod"], df["kommun"], strict=True):
            if code not in names:
                raise InputError(file, f"{code} is not a kommun code", "use the SCB code of the kommun",
                                 row=int(row), column="kommun_kod")
            if names[code] != name:
                raise InputError(file, f"kommun {code} is {names[code]}, not {name}",
                                 "correct the code or the name", row=int(row), column="kommun")
    df = df.reset_index(drop=True)
    df.attrs["file"] = file
    return df


def load_european_mean(path: str | Path) -> pd.DataFrame:
    """EUDA's European mean per substance and year (``ww2025-aggregated-trends.csv``), long.

    What "European mean" is in the bundled file (checked in ``tests/test_euda.py``): the arithmetic
    mean of the published *daily means* of a fixed panel of sites — the seven sites with a cocaine
    result in every year 2011–2024 (Antwerp Zuid, Castellon, Santiago, Zagreb, Milan, Eindhoven,
    Utrecht), computed from unrounded loads (the table's rounded values reproduce it to 0.003). It is
    *not* the mean over all sites reporting a year, which is lower and swings with which sites took
    part. The file only has benzoylecgonine (→ ``cocaine``), 2011–2024.

    Parameters
    ----------
    path : str or Path
        A ``metabolite`` column (drug or biomarker name) and one column per year.

    Returns
    -------
    pandas.DataFrame
        ``substance, year, european_mean`` (mg/day/1000 inh.), one row per substance and year.

    Raises
    ------
    InputError
        No ``metabolite`` or year columns, unknown metabolite, a value that is not a number or negative.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "trends.csv"
    >>> _ = p.write_text('"metabolite","2023","2024"\\n"Benzoylecgonine",747.4,848.1\\n', encoding="utf-8")
    >>> load_european_mean(p).to_dict("records")
    [{'substance': 'cocaine', 'year': 2023, 'european_mean': 747.4}, {'substance': 'cocaine', 'year': 2024, 'european_mean': 848.1}]
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    label = next((c for c in raw.columns if str(c).strip().lower() == "metabolite"), None)
    years = [c for c in raw.columns if str(c).strip().isdigit() and len(str(c).strip()) == 4]
    if label is None or not years:
        raise InputError(file, "the table needs a 'metabolite' column and one column per year",
                         "use the aggregated-trends table as EUDA publishes it (metabolite, 2011, 2012, …)")
    substance = _substances(raw[label], file, label)
    long = raw[years].assign(substance=substance).reset_index().melt(
        id_vars=["row", "substance"], value_vars=years, var_name="column", value_name="value").set_index("row")
    out = pd.DataFrame({
        "substance": long["substance"],
        "year": long["column"].astype(int),
        "european_mean": _loads(long["value"], file, "year", cell_columns=long["column"]),
    }, index=long.index)
    out = _validate(out, EUROPEAN_MEAN, file, {"substance": label})
    out = out.sort_values(["substance", "year"]).reset_index(drop=True)
    out.attrs["file"] = file
    return out


# ============================================================================================
# Recomputed means and their agreement with EUDA's
# ============================================================================================

_KEYS = ["site_id", "year", "campaign", "substance"]
_EPS = 1e-9


def recompute_means(daily: pd.DataFrame, *, weekday_days: tuple[int, ...] = WEEKDAY_DAYS,
                    weekend_days: tuple[int, ...] = WEEKEND_DAYS) -> pd.DataFrame:
    """Weekday, weekend and daily means per site, year (campaign) and substance from daily loads.

    Definitions (EUDA's): weekday mean = mean of the loads of Tuesday, Wednesday and Thursday;
    weekend mean = Friday, Saturday, Sunday and Monday; daily mean = all seven days. A missing day
    (``load`` NaN) is left out: each mean is the mean of the days present, and NaN when none of its
    days has a result; the ``n_*`` columns say how many days each mean rests on. Days below the
    limit of quantification count with the value given in ``load``.

    Parameters
    ----------
    daily : pandas.DataFrame
        Daily loads (schema :data:`DAILY`).
    weekday_days, weekend_days : tuple of int
        Weekday numbers (0 = Monday) of the two means; e.g. :data:`WEEKDAY_DAYS_2021` and
        :data:`WEEKEND_DAYS_2021` for the split of EUDA's 2021 means.

    Returns
    -------
    pandas.DataFrame
        ``site_id, year, campaign, substance, weekday_mean, weekend_mean, daily_mean,
        n_weekday_days, n_weekend_days, n_days``.

    Examples
    --------
    >>> d = pd.DataFrame({"site_id": "X", "year": 2024, "campaign": "2024", "substance": "cocaine",
    ...                   "weekday": range(7), "load": [40.0, 10.0, 20.0, np.nan, 30.0, 50.0, 60.0]})
    >>> recompute_means(d).drop(columns=["site_id", "year", "campaign", "substance"]).to_dict("records")
    [{'weekday_mean': 15.0, 'weekend_mean': 45.0, 'daily_mean': 35.0, 'n_weekday_days': 2, 'n_weekend_days': 4, 'n_days': 6}]
    """
    kinds = {"weekday_mean": weekday_days, "weekend_mean": weekend_days, "daily_mean": tuple(range(7))}
    counts = {"weekday_mean": "n_weekday_days", "weekend_mean": "n_weekend_days", "daily_mean": "n_days"}
    index = daily.groupby(_KEYS, sort=True).size().index
    out = pd.DataFrame(index=index)
    for kind, days in kinds.items():
        part = daily[daily["weekday"].isin(days)].groupby(_KEYS)["load"].agg(["mean", "count"])
        out[kind] = part["mean"].reindex(index).astype(float)
        out[counts[kind]] = part["count"].reindex(index).fillna(0).astype(int)
    return out[[*kinds, *counts.values()]].reset_index()


class MeansAgreement(NamedTuple):
    """What :func:`means_agreement` returns."""

    detail: pd.DataFrame   #: one row per summary row and mean kind
    share: pd.Series       #: share of summary rows whose published mean matches, per kind


def means_agreement(summary: pd.DataFrame, recomputed: pd.DataFrame, tol: float = 0.01, *,
                    alternative: pd.DataFrame | None = None) -> MeansAgreement:
    """Compare EUDA's published means with recomputed ones, row by row, with a reason per mismatch.

    A published mean matches when ``abs(published - recomputed) <= tol`` (EUDA rounds to two
    decimals, so 0.01 allows for rounding of the days and of the mean; 1e-9 is added so that a
    difference of exactly ``tol`` is not lost to binary floating point, e.g. 1.01 - 1.0). Reasons for a mismatch, the
    first that applies: ``"published mean missing"``; ``"no days measured"`` (nothing to recompute
    from); ``"missing days"`` (the campaign lacks one or more of the seven days: EUDA evidently
    handles those otherwise); ``"other day split"`` (the published mean matches ``alternative``,
    e.g. recomputed with the 2021 split); ``"other"``.

    Parameters
    ----------
    summary : pandas.DataFrame
        Schema :data:`SUMMARY` (published means).
    recomputed : pandas.DataFrame
        :func:`recompute_means` of the same data.
    tol : float
        Largest absolute difference that counts as a match.
    alternative : pandas.DataFrame, optional
        :func:`recompute_means` with another split of the week.

    Returns
    -------
    MeansAgreement
        ``detail``: ``site_id, year, campaign, substance, kind, published, recomputed, difference,
        match, reason`` (``reason`` ``""`` when it matches); ``share``: per kind, the share of all
        summary rows that match (a missing published mean counts as not matching).

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": ["A", "B"], "year": 2024, "campaign": "2024", "substance": "MDMA",
    ...                   "weekday_mean": [1.0, 2.0], "weekend_mean": [3.0, np.nan], "daily_mean": [2.0, 2.5]})
    >>> r = s[["site_id", "year", "campaign", "substance"]].assign(
    ...     weekday_mean=[1.004, 2.5], weekend_mean=[3.0, 3.0], daily_mean=[2.0, 2.5], n_days=[7, 7])
    >>> a = means_agreement(s, r)
    >>> a.share.to_dict()
    {'weekday_mean': 0.5, 'weekend_mean': 0.5, 'daily_mean': 1.0}
    >>> a.detail.loc[~a.detail["match"], ["site_id", "kind", "reason"]].to_dict("records")
    [{'site_id': 'B', 'kind': 'weekday_mean', 'reason': 'other'}, {'site_id': 'B', 'kind': 'weekend_mean', 'reason': 'published mean missing'}]
    """
    keys = summary[_KEYS].reset_index(drop=True)
    rec = keys.merge(recomputed, on=_KEYS, how="left", validate="one_to_one")
    alt = keys.merge(alternative, on=_KEYS, how="left", validate="one_to_one") if alternative is not None else None
    incomplete = rec["n_days"].fillna(0).to_numpy() < 7
    parts = []
    for kind in MEAN_KINDS:
        published = summary[kind].to_numpy(dtype=float)
        again = rec[kind].to_numpy(dtype=float)
        diff = published - again
        match = np.abs(diff) <= tol + _EPS  # NaN on either side → False
        other_split = (np.abs(published - alt[kind].to_numpy(dtype=float)) <= tol + _EPS) if alt is not None else False
        reason = np.select(
            [match, np.isnan(published), np.isnan(again), incomplete, other_split],
            ["", "published mean missing", "no days measured", "missing days", "other day split"],
            default="other",
        )
        parts.append(keys.assign(kind=kind, published=published, recomputed=again, difference=diff,
                                 match=match, reason=reason))
    detail = pd.concat(parts, ignore_index=True)
    share = detail.groupby("kind", sort=False)["match"].mean().reindex(list(MEAN_KINDS))
    return MeansAgreement(detail, share)


# ============================================================================================
# Comparisons for the report
# ============================================================================================


def latest_year(summary: pd.DataFrame, substance: str, *, site_id: str | None = None,
                country: str | None = None) -> int | None:
    """The latest year with a daily mean for a substance (optionally one site or one country).

    Parameters
    ----------
    summary : pandas.DataFrame
        Schema :data:`SUMMARY`.
    substance : str
        Substance key (see :data:`lagesbild.sources.substances.SUBSTANCES`).
    site_id, country : str, optional
        Only this site / this country (two letters, e.g. "SE").

    Returns
    -------
    int or None
        None when there is no such value.

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": ["A", "A", "B"], "country": ["SE", "SE", "NO"], "year": [2022, 2024, 2023],
    ...                   "substance": "cocaine", "daily_mean": [1.0, np.nan, 2.0]})
    >>> latest_year(s, "cocaine"), latest_year(s, "cocaine", site_id="A"), latest_year(s, "MDMA")
    (2023, 2022, None)
    """
    rows = _with_value(summary, substance, "daily_mean", country)
    if site_id is not None:
        rows = rows[rows["site_id"] == site_id]
    return int(rows["year"].max()) if len(rows) else None


def _with_value(summary: pd.DataFrame, substance: str, column: str, country: str | None) -> pd.DataFrame:
    rows = summary[(summary["substance"] == substance) & summary[column].notna()]
    return rows[rows["country"] == country] if country is not None else rows


@dataclass(frozen=True)
class Position:
    """A site's place among the sites with a value for one substance and year (see :func:`position`)."""

    site_id: str
    substance: str
    year: int
    value: float        #: the site's load (mg/day/1000 inh.)
    rank: int           #: 1 = highest load; tied sites share the best rank
    n_sites: int        #: sites with a value that year (in ``country`` if given)
    percentile: float   #: share of those sites (in %) with a load at or below this site's
    minimum: float
    median: float
    maximum: float


def position(summary: pd.DataFrame, site_id: str, substance: str, year: int, *, country: str | None = None,
             column: str = "daily_mean") -> Position | None:
    """A site's rank and percentile among the sites with a value for a substance and year.

    The percentile is :func:`scipy.stats.percentileofscore` with ``kind="weak"``: the share of the
    sites (including the site itself) whose load is at or below the site's, in per cent, so the
    highest site is at 100 and a site in the middle of 5 at 60. Rank 1 is the highest load; tied
    sites share the best rank (``scipy.stats.rankdata`` ``method="min"`` on the negated loads).
    Several campaigns of one site in the year are averaged first.

    Parameters
    ----------
    summary : pandas.DataFrame
        Schema :data:`SUMMARY` (EUDA's, for a European comparison).
    site_id, substance : str
    year : int
    country : str, optional
        Compare only with sites in this country (e.g. "SE").
    column : str
        The mean to compare (``daily_mean``, ``weekday_mean`` or ``weekend_mean``).

    Returns
    -------
    Position or None
        None when the site has no value that year.

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": list("ABCDE"), "country": ["SE", "SE", "NO", "DK", "SE"], "year": 2024,
    ...                   "substance": "cocaine", "daily_mean": [100.0, 300.0, 200.0, 400.0, 50.0]})
    >>> p = position(s, "C", "cocaine", 2024)
    >>> p.rank, p.n_sites, p.percentile, p.minimum, p.median, p.maximum
    (3, 5, 60.0, 50.0, 200.0, 400.0)
    >>> p = position(s, "A", "cocaine", 2024, country="SE")
    >>> p.rank, p.n_sites, round(p.percentile, 1)
    (2, 3, 66.7)
    """
    rows = _with_value(summary, substance, column, country)
    values = rows[rows["year"] == year].groupby("site_id")[column].mean()
    if site_id not in values.index:
        return None
    value = float(values[site_id])
    ranks = pd.Series(stats.rankdata(-values.to_numpy(), method="min"), index=values.index)
    return Position(
        site_id=site_id, substance=substance, year=int(year), value=value, rank=int(ranks[site_id]),
        n_sites=len(values), percentile=float(stats.percentileofscore(values.to_numpy(), value, kind="weak")),
        minimum=float(values.min()), median=float(values.median()), maximum=float(values.max()),
    )


def nearest_sites(lat: float, lon: float, sites: pd.DataFrame, n: int = 3, country: str | None = "SE"
                  ) -> pd.DataFrame:
    """The ``n`` sites nearest a point, by geodesic distance on the WGS 84 ellipsoid (``pyproj.Geod``).

    Parameters
    ----------
    lat, lon : float
        The point in WGS 84 degrees (e.g. a kommun's centroid).
    sites : pandas.DataFrame
        :func:`load_sites`.
    n : int
        How many sites.
    country : str or None
        Only sites in this country; None for all.

    Returns
    -------
    pandas.DataFrame
        ``site_id, site, city, distance_km``, nearest first.

    Examples
    --------
    >>> sites = pd.DataFrame({"site_id": ["A", "B", "C"], "site": ["a", "b", "c"], "city": ["a", "b", "c"],
    ...                       "country": "SE", "lat": [60.0, 61.0, 59.0], "lon": [15.0, 15.0, 15.0]})
    >>> nearest_sites(60.1, 15.0, sites, n=2).round(1).to_dict("records")
    [{'site_id': 'A', 'site': 'a', 'city': 'a', 'distance_km': 11.1}, {'site_id': 'B', 'site': 'b', 'city': 'b', 'distance_km': 100.3}]
    """
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"({lat}, {lon}) is not a WGS 84 latitude, longitude")
    rows = sites if country is None else sites[sites["country"] == country]
    rows = rows[rows["lat"].notna() & rows["lon"].notna()]
    k = len(rows)
    _, _, metres = _GEOD.inv(np.full(k, float(lon)), np.full(k, float(lat)),
                             rows["lon"].to_numpy(dtype=float), rows["lat"].to_numpy(dtype=float))
    out = rows[["site_id", "site", "city"]].assign(distance_km=np.asarray(metres, dtype=float) / 1000)
    return out.sort_values(["distance_km", "site_id"]).head(n).reset_index(drop=True)


def kommun_sites(kommun_kod: str, sites_sweden: pd.DataFrame) -> list[str]:
    """The EUDA sites in a kommun (its treatment plants), sorted.

    Parameters
    ----------
    kommun_kod : str
        Four-digit SCB code as text (``"0180"``).
    sites_sweden : pandas.DataFrame
        :func:`load_sites_sweden`.

    Returns
    -------
    list of str
        Site ids; empty when the kommun has none.

    Examples
    --------
    >>> t = pd.DataFrame({"site_id": ["SE002", "SE004"], "kommun_kod": ["2180", "2181"]})
    >>> kommun_sites("2180", t), kommun_sites("0180", t)
    (['SE002'], [])
    """
    return sorted(sites_sweden.loc[sites_sweden["kommun_kod"] == str(kommun_kod), "site_id"].tolist())


def national_picture(summary: pd.DataFrame, year: int, *, country: str = "SE", fallback: bool = True
                     ) -> pd.DataFrame:
    """Per substance, each site's daily mean in ``year`` — or, with ``fallback``, its latest year before.

    Parameters
    ----------
    summary : pandas.DataFrame
        Schema :data:`SUMMARY`.
    year : int
        The year of the picture; no later year is used.
    country : str
        Two-letter country code.
    fallback : bool
        For a site without a value in ``year``, use its latest earlier year (the ``year`` column
        says which); if False, such sites are left out.

    Returns
    -------
    pandas.DataFrame
        ``substance, site_id, site, kommun_kod, year, daily_mean``; substances in the order of
        :data:`lagesbild.sources.substances.SUBSTANCES`, within a substance the highest load first.

    Examples
    --------
    >>> s = pd.DataFrame({"site_id": ["A", "A", "B", "C"], "site": ["a", "a", "b", "c"], "country": "SE",
    ...                   "kommun_kod": ["0001", "0001", "0002", None], "year": [2022, 2024, 2023, 2025],
    ...                   "campaign": ["2022", "2024", "2023", "2025"], "substance": "cocaine",
    ...                   "daily_mean": [1.0, 3.0, 5.0, 9.0]})
    >>> national_picture(s, 2024)[["site_id", "year", "daily_mean"]].to_dict("records")
    [{'site_id': 'B', 'year': 2023, 'daily_mean': 5.0}, {'site_id': 'A', 'year': 2024, 'daily_mean': 3.0}]
    >>> national_picture(s, 2024, fallback=False)["site_id"].tolist()
    ['A']
    """
    rows = summary[(summary["country"] == country) & summary["daily_mean"].notna() & (summary["year"] <= year)]
    if not fallback:
        rows = rows[rows["year"] == year]
    latest = rows.sort_values(["year", "campaign"]).groupby(["site_id", "substance"]).tail(1)
    order = {key: i for i, key in enumerate(SUBSTANCES)}
    out = latest.assign(_order=latest["substance"].map(order))
    out = out.sort_values(["_order", "daily_mean", "site_id"], ascending=[True, False, True])
    return out[["substance", "site_id", "site", "kommun_kod", "year", "daily_mean"]].reset_index(drop=True)
