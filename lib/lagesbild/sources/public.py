"""Loaders for each real public source, in the formats the sources publish and users export.

Every loader returns a frame in one of the shapes in :mod:`lagesbild.sources.schemas`, validated, with
the file it came from in ``df.attrs["file"]``. Accepted formats and columns are documented in
``data/raw/README.md``; the column aliases below are that document's source of truth.

====================  ======================================================================================
loader                accepts
====================  ======================================================================================
load_crime            Brå's SOL and kommunindikatorer, Brå/Kolada/PxWeb exports: long, counts beside rates, wide
load_population       SCB long table, or PxWeb export (``region`` "0114 Upplands Väsby", years wide)
load_kommuner         SCB kommun/län code list
load_boundaries       GeoJSON / GeoPackage / GeoParquet of kommun or län polygons, CRS declared
kommun_point          a point inside a kommun's polygon (lat, lon), e.g. to find the nearest measuring sites
load_events           polisen.se events: the API's JSON, the archive's Parquet, or CSV
load_kommungrupper    SKR's kommungrupper: ``kommun_kod, kommun, kommungrupp`` (as lagesbild.sources.fetch writes it)
                      or SCB's kommunkopplingar with SKR's 2023 groups (as bundled)
load_utsatta_omraden  Polisen's utsatta områden, each assigned to the kommun holding most of it
====================  ======================================================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.sources import schemas
from lagesbild.sources.readers import read_table, to_number

# Column aliases (lower-case, compared after stripping). First match wins.
CRIME_ALIASES = {
    "region_code": ["region_code", "regionkod", "kommunkod", "kommun_kod", "kommun-id", "kommunid", "kod", "municipality_id",
                    "region-id", "regionid"],
    "region_name": ["region_name", "region", "kommun", "kommunnamn", "geografi", "område", "municipality"],
    "year": ["year", "år", "ar", "period"],
    "indicator": ["indicator", "indikator", "brottskategori", "brottstyp", "brott", "kategori_sv", "kategori", "variabel",
                  "kpi", "nyckeltal"],
    "unit": ["unit", "enhet", "tabellinnehåll", "tabellinnehall", "mått"],
    "value": ["value", "värde", "varde"],
    "gender": ["kön", "kon", "gender"],
    "preliminary": ["preliminary", "preliminär", "preliminärt", "prel"],
    "rate_source": ["per_100k_kalla", "per_100k_källa"],
}
#: Column names that hold counts or rates side by side (a table with both, one row per region, year and
#: category); compared lower-case, after stripping.
COUNT_COLUMNS = ("antal", "antal anmälda brott", "anmälda brott", "count")
RATE_COLUMNS = ("per_100k", "per 100 000 invånare", "per 100 000 inv", "antal per 100 000 inv",
                "antal per 100 000 invånare", "anmälda brott per 100 000 invånare", "per100k", "per_100000")
#: Values of a gender column that mean both genders (Kolada's "T").
TOTAL_GENDERS = ("t", "totalt", "total", "alla", "båda könen", "samtliga", "kvinnor och män")
_TRUE = ("1", "true", "ja", "j", "x", "p", "yes", "y", "prel", "preliminär", "preliminärt")
_FALSE = ("", "0", "false", "nej", "n", "no", "slutlig", "slutligt", "nan", "..")
POPULATION_ALIASES = {
    "kommun_kod": ["kommun_kod", "kommunkod", "regionkod", "region_code", "kod"],
    "kommun": ["kommun", "region", "kommunnamn", "region_name"],
    "year": ["year", "år", "ar"],
    "population": ["population", "folkmängd", "folkmangd", "antal", "invånare", "value", "värde"],
}
KOMMUNER_ALIASES = {
    "kommun_kod": ["kommun_kod", "municipality_code", "kommunkod", "kod"],
    "kommun": ["kommun", "municipality_name", "kommunnamn"],
    "lan_kod": ["lan_kod", "county_code", "länskod", "lanskod"],
    "lan": ["lan", "county_name", "län", "länsnamn"],
}
EVENT_COLUMNS = ["id", "datetime", "type", "location_name", "lat", "lon", "name", "summary", "url"]

_CODE_NAME = re.compile(r"^\s*(\d{2}|\d{4})\s+(.+?)\s*$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_RATE_UNIT = re.compile(r"\bper\s*100[\s\u00a0\u202f]?000(?!\d)")
_COUNT_UNITS = ("antal", "count", "st", "antal anmälda brott", "anmälda brott", "antal brott")


def rename_aliases(df: pd.DataFrame, aliases: dict[str, list[str]]) -> pd.DataFrame:
    """Rename the first column matching each alias list to its canonical name (case-insensitive).

    Examples
    --------
    >>> df = pd.DataFrame(columns=["Kommun", "År", "Folkmängd"])
    >>> list(rename_aliases(df, POPULATION_ALIASES).columns)
    ['kommun', 'year', 'population']
    """
    lower = {str(c).strip().lower(): c for c in df.columns}
    mapping: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in names:
            if name in lower and lower[name] not in mapping:
                mapping[lower[name]] = canonical
                break
    return df.rename(columns=mapping)


def split_code_name(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split PxWeb-style labels ``"0114 Upplands Väsby"`` into code and name (NaN code if absent).

    Examples
    --------
    >>> code, name = split_code_name(pd.Series(["0114 Upplands Väsby", "Falun"]))
    >>> code.tolist(), name.tolist()
    (['0114', nan], ['Upplands Väsby', 'Falun'])
    """
    parts = values.astype(str).str.extract(_CODE_NAME)
    code = parts[0].astype(object).where(parts[0].notna(), np.nan)
    name = parts[1].where(parts[1].notna(), values.astype(str).str.strip())
    return code, name


def _wide_to_long(df: pd.DataFrame, value_name: str) -> pd.DataFrame:
    """Melt year columns (``2019``, ``2020`` …) into ``year`` + ``value_name``, keeping row numbers."""
    years = [c for c in df.columns if _YEAR.match(str(c).strip())]
    if not years or "year" in df.columns:
        return df
    ids = [c for c in df.columns if c not in years]
    long = df.reset_index().melt(id_vars=["row", *ids], value_vars=years, var_name="year", value_name=value_name)
    long["_source_column"] = long["year"]  # errors name the year column the user sees
    return long.set_index("row")


def _cell_columns(df: pd.DataFrame) -> pd.Series | None:
    return df["_source_column"] if "_source_column" in df.columns else None


def _require(df: pd.DataFrame, columns: Iterable[str], file: str | Path, aliases: dict[str, list[str]]) -> None:
    for col in columns:
        if col not in df.columns:
            names = ", ".join(repr(a) for a in aliases.get(col, [col])[:5])
            raise InputError(
                file, f"no column for {plain(col)}",
                f"add a column named one of {names} (found: {', '.join(map(str, df.columns))}); see data/raw/README.md",
            )


def _years(df: pd.DataFrame, file: str | Path) -> pd.Series:
    return to_number(df["year"].astype(str).str[:4], file=file, column="year", integer=True, allow_missing=False).astype(int)


def _code_from_names(names: pd.Series, kommuner: pd.DataFrame | None) -> pd.Series:
    lookup = {"hela landet": "00", "riket": "00", "sverige": "00"}
    if kommuner is not None:
        lookup.update({n.lower(): c for n, c in zip(kommuner["kommun"], kommuner["kommun_kod"], strict=True)})
        lans = kommuner.drop_duplicates("lan_kod")
        for code, lan in zip(lans["lan_kod"], lans["lan"], strict=True):
            lookup[lan.lower()] = code
            lookup[lan.lower().removesuffix(" län").removesuffix("s")] = code
    return names.str.strip().str.lower().map(lookup)


def _normalise_unit(units: pd.Series) -> pd.Series:
    """Map spellings of the two units to the canonical ones; anything else is left for the schema to reject."""
    low = units.astype(str).str.strip().str.lower()
    rate = low.str.contains(_RATE_UNIT)
    count = low.isin(_COUNT_UNITS)
    return pd.Series(np.where(rate, schemas.RATE_UNIT, np.where(count, schemas.COUNT_UNIT, units.astype(str))), index=units.index)


def _validated(df: pd.DataFrame, schema, file: str) -> pd.DataFrame:
    """Validate, remember the source file, and renumber the rows."""
    out = schemas.validate(df, schema, file)
    out.attrs["file"] = file
    return out.reset_index(drop=True)


def load_crime(path: str | Path, kommuner: pd.DataFrame | None = None) -> pd.DataFrame:
    """Reported crimes (Brå) per region, year and category, as counts and/or per 100 000 inhabitants.

    Reads the forms Brå's, Kolada's and SCB's PxWeb exports come in (all documented in
    ``data/raw/README.md``, "Formats you can bring"):

    * **long**, one row per region, year, category and unit (``unit`` ``Antal`` or ``Antal per 100 000
      inv``; without a unit column a value column named ``antal`` means counts);
    * **counts and rates side by side**: columns such as ``antal`` and ``per_100k`` (or ``Per 100 000
      invånare``) in one row (rates marked ``härledd`` in a ``per_100k_kalla`` column were computed by a
      third party and are not read: the suite computes rates itself from counts and Brå's population);
    * **wide**, one column per year, as PxWeb and Kolada export (a ``tabellinnehåll`` column is the unit);
    * **Kolada**: the unit written into the title (``"Anmälda brott totalt, antal/100 000 inv"`` is a rate
      of the total), region ids ``0000`` for riket and ``00NN`` for a län, and a gender column of which
      only the total (``T``/``Totalt``) is read.

    Regions by code (``region_code``/``kommunkod``), by PxWeb label (``"1283 Helsingborg"``) or by name
    (then ``kommuner`` resolves names to codes). Category titles of Brå's measures in Kolada get the
    suite's names (:func:`lagesbild.sources.categories.canonical_name`), so they join the same series. A
    ``preliminary`` column (``ja``/``1``/``x``) marks Brå's preliminary figures.

    Parameters
    ----------
    path : str or Path
        CSV or Excel.
    kommuner : pandas.DataFrame, optional
        The kommun table (:func:`load_kommuner`), to resolve region names to codes and to check
        that every code is Sweden's (``00``), a län's or a kommun's.

    Returns
    -------
    pandas.DataFrame
        Columns ``region_code, region_name, year, indicator, unit, value, preliminary`` (schema ``CRIME``).

    Raises
    ------
    InputError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "brå.csv"
    >>> _ = p.write_text("Region;Brottskategori;2023;2024\\n2080 Falun;Skadegörelsebrott;1\\u00a0537;..\\n", encoding="utf-8-sig")
    >>> load_crime(p)[["region_code", "year", "unit", "value"]].to_dict("records")
    [{'region_code': '2080', 'year': 2023, 'unit': 'Antal', 'value': 1537.0}, {'region_code': '2080', 'year': 2024, 'unit': 'Antal', 'value': nan}]

    A Kolada export: the unit is in the title, riket is ``0000``, and only the total over genders is read:

    >>> p = pathlib.Path(tempfile.mkdtemp()) / "kolada.csv"
    >>> _ = p.write_text("Kommun-id;Kommun;Nyckeltal;Kön;2024\\n0000;Riket;Anmälda brott totalt, antal/100 000 inv;T;14 250\\n"
    ...                  "1283;Helsingborg;Anmälda brott totalt, antal/100 000 inv;T;12 801\\n", encoding="utf-8")
    >>> load_crime(p)[["region_code", "indicator", "unit", "value"]].to_dict("records")[0]
    {'region_code': '00', 'indicator': 'Totalt antal anmälda brott', 'unit': 'Antal per 100 000 inv', 'value': 14250.0}
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = rename_aliases(raw, CRIME_ALIASES)
    df = _only_total_gender(df, file)
    df = _side_by_side(df, file)
    if "value" not in df.columns and "antal" in [str(c).lower() for c in df.columns]:
        df = df.rename(columns={c: "value" for c in df.columns if str(c).lower() == "antal"})
        df["unit"] = schemas.COUNT_UNIT
    df = _wide_to_long(df, "value")
    _require(df, ["region_name", "year", "indicator", "value"], file, CRIME_ALIASES)
    indicator, unit = _indicator_and_unit(df, file)
    code, name = split_code_name(df["region_name"])
    if "region_code" in df.columns:
        code = df["region_code"].astype(str).str.strip().where(df["region_code"].astype(str).str.strip() != "", code)
    code = code.where(code.notna(), _code_from_names(name, kommuner))
    unknown = code.isna()
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            file, f"cannot tell which region {plain(name.iloc[pos])} is", "add a region_code column with SCB codes, or use the official kommun name",
            row=int(df.index[pos]), column="region_name",
        )
    code = code.astype(str)
    code = code.str.zfill(2).where(code.str.len() != 3, code.str.zfill(4))
    code = code.where(~code.str.fullmatch(r"00\d\d"), code.str[2:])  # Kolada: 0000 riket, 0020 Dalarnas län
    out = pd.DataFrame(
        {
            "region_code": code,
            "region_name": name.astype(str),
            "year": _years(df, file),
            "indicator": indicator,
            "unit": unit,
            "value": to_number(df["value"], file=file, column="value", cell_columns=_cell_columns(df)),
            "preliminary": _flags(df["preliminary"], file) if "preliminary" in df.columns else False,
        },
        index=df.index,
    )
    if kommuner is not None:
        _check_region_codes(out["region_code"], kommuner, file)
    return _validated(out, schemas.CRIME, file)


def _only_total_gender(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """Keep the rows for both genders of a file with a gender column (Kolada's ``T``)."""
    if "gender" not in df.columns:
        return df
    total = df["gender"].astype(str).str.strip().str.casefold().isin(TOTAL_GENDERS)
    if not total.any():
        values = ", ".join(sorted(map(str, df["gender"].astype(str).str.strip().unique()))[:4])
        raise InputError(file, f"the gender column has no row for both genders (only {values})",
                         "export the total as well (Kolada: kön T, Totalt); the reports use totals only", column="kön")
    return df[total].drop(columns="gender")


def _side_by_side(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """A table with a count column and/or a rate column per row, as long rows with a unit.

    Rates marked as derived (``härledd``) in a rate-source column are left out: the suite derives rates
    itself, with the population Brå divides by, and says so.
    """
    if "value" in df.columns:
        return df.drop(columns="rate_source", errors="ignore")
    lower = {str(c).strip().lower(): c for c in df.columns}
    count_col = next((lower[c] for c in COUNT_COLUMNS if c in lower), None)
    rate_col = next((lower[c] for c in RATE_COLUMNS if c in lower), None)
    if rate_col is None:  # a lone "antal" column: handled by load_crime as before
        return df.drop(columns="rate_source", errors="ignore")
    ids = [c for c in df.columns if c not in (count_col, rate_col, "rate_source")]
    parts = []
    if count_col is not None:
        parts.append(df[ids].assign(unit=schemas.COUNT_UNIT, value=df[count_col], _source_column=str(count_col)))
    rates = df[ids].assign(unit=schemas.RATE_UNIT, value=df[rate_col], _source_column=str(rate_col))
    if "rate_source" in df.columns:
        rates = rates[~df["rate_source"].astype(str).str.casefold().str.contains("härled")]
    parts.append(rates)
    return pd.concat(parts)


def _indicator_and_unit(df: pd.DataFrame, file: str) -> tuple[pd.Series, pd.Series]:
    """Each row's category (the unit written into a title taken off, Kolada's titles renamed) and unit."""
    from lagesbild.sources.categories import canonical_name, split_unit

    titles = df["indicator"].astype(str).str.strip()
    split = {t: split_unit(t) for t in titles.unique()}  # per distinct title, not per row (a file may have 1M rows)
    indicator = titles.map({t: canonical_name(name) for t, (name, _) in split.items()})
    in_title = titles.map({t: unit for t, (_, unit) in split.items()})
    if "unit" not in df.columns:
        unit = pd.Series(np.where(in_title == "rate", schemas.RATE_UNIT, schemas.COUNT_UNIT), index=df.index)
        return indicator, unit
    unit = _normalise_unit(df["unit"])
    said = in_title.map({"rate": schemas.RATE_UNIT, "count": schemas.COUNT_UNIT})
    clash = said.notna() & unit.isin(schemas.UNITS) & (said != unit)
    if clash.any():
        pos = int(np.flatnonzero(clash.to_numpy())[0])
        raise InputError(file, f"the category {plain(titles.iloc[pos])} names another unit than the unit column ({plain(unit.iloc[pos])})",
                         "correct the unit or the category name", row=int(df.index[pos]), column="unit")
    return indicator, unit


def _flags(values: pd.Series, file: str) -> pd.Series:
    """Yes/no cells (``ja``, ``1``, ``x``, ``true`` / ``nej``, ``0``, empty) as booleans."""
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip().str.casefold()
    bad = ~text.isin(_TRUE + _FALSE)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(file, f"{plain(values.iloc[pos])} is neither yes nor no", "write ja or nej (1 or 0; empty means no)",
                         row=int(values.index[pos]) if isinstance(values.index[pos], (int, np.integer)) else None,
                         column="preliminary")
    return text.isin(_TRUE)


def _check_region_codes(codes: pd.Series, kommuner: pd.DataFrame, file: str) -> None:
    """Every code must be riket (00), a län or a kommun of the kommun table: a mistyped code would
    otherwise leave its rows out of every report without a word."""
    known = {"00", *kommuner["lan_kod"].astype(str), *kommuner["kommun_kod"].astype(str)}
    unknown = ~codes.isin(known) & codes.str.fullmatch(r"\d{2}|\d{4}")  # other shapes: the schema's message
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(file, f"{plain(codes.iloc[pos])} is not the code of Sweden (00), a län or a kommun",
                         "correct the code (SCB's kommun and län codes, with leading zeros) or delete the row",
                         row=int(codes.index[pos]), column="region_code")


def load_population(path: str | Path) -> pd.DataFrame:
    """Population on 31 December per kommun and year (SCB BE0101).

    Parameters
    ----------
    path : str or Path
        CSV or Excel: long (``kommun_kod, kommun, year, population``) or SCB PxWeb export with a
        ``region`` column such as ``"0114 Upplands Väsby"`` and one column per year.

    Returns
    -------
    pandas.DataFrame
        Columns ``kommun_kod, kommun, year, population`` (schema ``POPULATION``).

    Raises
    ------
    InputError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "be0101.csv"
    >>> text = '"Folkmängd efter region och år"\\n\\n"region";"2018";"2019"\\n"0114 Upplands Väsby";"45 543";"46 800"\\n'
    >>> _ = p.write_bytes(text.encode("latin-1"))
    >>> load_population(p).to_dict("records")[1]
    {'kommun_kod': '0114', 'kommun': 'Upplands Väsby', 'year': 2019, 'population': 46800}
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = _wide_to_long(rename_aliases(raw, POPULATION_ALIASES), "population")
    _require(df, ["kommun", "year", "population"], file, POPULATION_ALIASES)
    code, name = split_code_name(df["kommun"])
    if "kommun_kod" in df.columns:
        code = df["kommun_kod"].astype(str).str.strip()
    if code.isna().any():
        pos = int(np.flatnonzero(code.isna().to_numpy())[0])
        raise InputError(file, f"no kommun code for {plain(name.iloc[pos])}", "add a kommun_kod column or use PxWeb labels like '0114 Upplands Väsby'",
                         row=int(df.index[pos]), column="kommun")
    out = pd.DataFrame(
        {
            "kommun_kod": code.astype(str),
            "kommun": name.astype(str),
            "year": _years(df, file),
            "population": to_number(df["population"], file=file, column="population", integer=True, allow_missing=False,
                                    minimum=0, cell_columns=_cell_columns(df)).astype("int64"),
        },
        index=df.index,
    )
    return _validated(out, schemas.POPULATION, file)


#: The SCB list of kommuner bundled with the suite (``data/raw/geo``); what :func:`kommun_codes` reads.
KOMMUN_LIST = Path(__file__).resolve().parents[3] / "data" / "raw" / "geo" / "swedish_admin_areas.csv"
_CODES: dict[str, frozenset[str]] = {}


def kommun_codes(path: str | Path = KOMMUN_LIST) -> frozenset[str]:
    """The codes of Sweden's 290 kommuner (SCB), read once from the bundled kommun list.

    Examples
    --------
    >>> codes = kommun_codes()
    >>> len(codes), "0114" in codes, "1283" in codes, "9999" in codes
    (290, True, True, False)
    """
    key = str(Path(path).resolve())
    if key not in _CODES:
        _CODES[key] = frozenset(load_kommuner(path)["kommun_kod"])
    return _CODES[key]


def is_kommun_code(values: pd.Series) -> pd.Series:
    """Whether each text value is the code of a Swedish kommun (four digits *and* in :func:`kommun_codes`).

    Input files name their kommun per row; a well-formed code that no kommun has (a typo such as
    ``1238`` for ``1283``) would otherwise make its rows vanish from every report without a word.

    Examples
    --------
    >>> is_kommun_code(pd.Series(["1283", " 0114", "9999", "114", ""])).tolist()
    [True, True, False, False, False]
    """
    return values.astype(str).str.strip().isin(kommun_codes())


def kommun_code_problem(value: str) -> str:
    """The problem with a value that :func:`is_kommun_code` refused, in words.

    Examples
    --------
    >>> kommun_code_problem("9999")
    "'9999' is not the code of any Swedish kommun"
    >>> kommun_code_problem("114")
    "'114' is not a four-digit kommun code"
    """
    if re.fullmatch(r"\d{4}", str(value).strip()):
        return f"{plain(str(value).strip())} is not the code of any Swedish kommun"
    return f"{plain(value)} is not a four-digit kommun code"


def load_kommuner(path: str | Path) -> pd.DataFrame:
    """The SCB list of kommuner with their län: ``kommun_kod, kommun, lan_kod, lan``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
    >>> _ = p.write_text("municipality_code,municipality_name,county_code,county_name\\n0114,Upplands Väsby,01,Stockholms län\\n")
    >>> load_kommuner(p).iloc[0].tolist()
    ['0114', 'Upplands Väsby', '01', 'Stockholms län']
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = rename_aliases(raw, KOMMUNER_ALIASES)
    _require(df, ["kommun_kod", "kommun", "lan_kod", "lan"], file, KOMMUNER_ALIASES)
    out = df[["kommun_kod", "kommun", "lan_kod", "lan"]].astype(str)
    return _validated(out, schemas.KOMMUNER, file)


def load_boundaries(path: str | Path, key: str = "kommun_kod"):
    """Kommun or län polygons, reprojected to WGS 84 (EPSG:4326), geometries checked.

    Parameters
    ----------
    path : str or Path
        GeoJSON (RFC 7946 coordinates are WGS 84 by definition), GeoPackage, Shapefile or
        GeoParquet. For every format but GeoJSON the file must declare its CRS (e.g. EPSG:3006,
        SWEREF 99 TM); an undeclared CRS is an error, never a guess.
    key : str
        The code column that must be present and unique (``kommun_kod`` or ``lan_kod``).

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    InputError
        Unreadable file, missing key column, undeclared CRS, empty or invalid geometry.
    """
    import geopandas as gpd
    from pyogrio.errors import DataSourceError

    path = Path(path)
    if not path.exists():
        raise InputError(path, "the file does not exist", "check the path and the --data folder")
    try:
        if path.suffix.lower() == ".parquet":
            gdf = gpd.read_parquet(path)
        else:
            gdf = gpd.read_file(path)
    except (DataSourceError, ValueError, OSError) as exc:
        raise InputError(path, f"the geodata cannot be read ({str(exc).splitlines()[0]})", "export it again as valid GeoJSON or GeoPackage") from exc
    if gdf.crs is None:
        raise InputError(path, "the file does not declare its coordinate system", "save it with its CRS (e.g. EPSG:3006 SWEREF 99 TM or EPSG:4326)")
    if key not in gdf.columns:
        raise InputError(path, f"no {plain(key)} property", f"add the SCB code as the property {plain(key)}", column=key)
    gdf[key] = gdf[key].astype(str)
    pattern = r"^\d{4}$" if key == "kommun_kod" else r"^\d{2}$"
    bad = ~gdf[key].str.match(pattern)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, f"feature {i + 1} has the code {plain(gdf[key].iloc[i])}", schemas.FIXES[key], column=key)
    dup = gdf[key].duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(path, f"feature {i + 1} repeats the code {plain(gdf[key].iloc[i])}", "merge the parts into one MultiPolygon per code", column=key)
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    invalid = empty | ~gdf.geometry.is_valid
    if invalid.any():
        i = int(np.flatnonzero(invalid.to_numpy())[0])
        what = "has no geometry" if empty.iloc[i] else "has an invalid geometry (e.g. a self-intersecting ring)"
        raise InputError(path, f"feature {i + 1} ({gdf[key].iloc[i]}) {what}", "repair the geometry (QGIS: Fix geometries; shapely.make_valid)", column="geometry")
    gdf = gdf.to_crs(4326)
    gdf.attrs["file"] = str(path)
    return gdf


def load_events(path: str | Path) -> pd.DataFrame:
    """polisen.se events: the API's JSON list, the git-scraped archive's Parquet, or CSV.

    Parameters
    ----------
    path : str or Path
        ``.json`` as https://polisen.se/api/events returns it (``location.gps`` = ``"lat,lon"``),
        ``.parquet`` or ``.csv`` with columns ``id, datetime, type, location_name, lat, lon, name,
        summary, url``.

    Returns
    -------
    pandas.DataFrame
        Schema ``EVENTS``; ``datetime`` tz-aware Europe/Stockholm; sorted by time.

    Raises
    ------
    InputError

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "events.json"
    >>> _ = p.write_text(json.dumps([{"id": 1, "datetime": "2024-05-01 13:45:00 +02:00", "name": "1 maj",
    ...     "summary": "", "url": "/aktuellt/1", "type": "Stöld", "location": {"name": "Falun", "gps": "60.6,15.6"}}]))
    >>> load_events(p)[["id", "type", "location_name", "lat"]].to_dict("records")
    [{'id': 1, 'type': 'Stöld', 'location_name': 'Falun', 'lat': 60.6}]
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "the file does not exist", "check the path and the --data folder")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow

        try:
            df = pd.read_parquet(path)
        except (pyarrow.ArrowException, OSError) as exc:
            raise InputError(path, f"the Parquet file cannot be read ({exc})", "write the file again") from exc
        df.index = pd.RangeIndex(2, len(df) + 2, name="row")
    elif suffix == ".json":
        df = _events_from_api_json(path)
    else:
        df = read_table(path)
    missing = [c for c in EVENT_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(path, f"required column(s) missing: {', '.join(missing)}", f"the columns must be {', '.join(EVENT_COLUMNS)}")
    df = df[EVENT_COLUMNS].copy()
    df["id"] = to_number(df["id"].astype(str), file=path, column="id", integer=True, allow_missing=False).astype("int64")
    for c in ("lat", "lon"):
        df[c] = to_number(df[c], file=path, column=c)
    for c in ("type", "location_name", "name", "summary", "url"):
        df[c] = df[c].astype("str").where(df[c].notna(), None) if c in ("name", "summary", "url") else df[c].astype(str)
    df["datetime"] = parse_local_times(df["datetime"], path)
    out = schemas.validate(df, schemas.EVENTS, path)
    out = out.sort_values("datetime", kind="stable").reset_index(drop=True)
    out.attrs["file"] = str(path)
    return out


_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def parse_local_times(values: pd.Series, file: str | Path) -> pd.Series:
    """Parse times to Europe/Stockholm: with an offset as given, without one as Swedish local time.

    ``2024-05-01 13:45 +02:00`` (the API's form), ``2024-05-01T13:45:00+0200`` and
    ``2024-05-01 13:45`` (local, as a spreadsheet export has it) all become 13:45 in Stockholm.
    A local time that does not exist or is ambiguous at a daylight-saving change is an error.

    Examples
    --------
    >>> parse_local_times(pd.Series(["2024-05-01 13:45:00 +02:00", "2024-05-01 13:45"]), "x.csv").dt.hour.tolist()
    [13, 13]
    """
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    text = text.str.replace(r"\s+([+-]\d{2}:?\d{2})$", r"\1", regex=True)
    has_offset = text.str.contains(_OFFSET)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns, Europe/Stockholm]")
    if has_offset.any():
        aware = pd.to_datetime(text[has_offset], format="mixed", utc=True, errors="coerce")
        # .array keeps the time zone (to_numpy() of an all-NaT column would not, and the assignment would fail)
        out[has_offset.to_numpy()] = aware.dt.tz_convert("Europe/Stockholm").astype(out.dtype).array
    if (~has_offset).any():
        naive = pd.to_datetime(text[~has_offset], format="mixed", errors="coerce")
        local = naive.dt.tz_localize("Europe/Stockholm", ambiguous="NaT", nonexistent="NaT")
        out[(~has_offset).to_numpy()] = local.astype(out.dtype).array
    bad = out.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(file, f"{plain(text.iloc[pos])} is not a date and time (or falls in a daylight-saving change)",
                         schemas.FIXES["datetime"], row=int(values.index[pos]), column="datetime")
    return out


_SV_MONTHS = {m: i for i, m in enumerate(["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                           "september", "oktober", "november", "december"], start=1)}
_EVENT_NAME_TIME = re.compile(r"^(\d{1,2}) (" + "|".join(_SV_MONTHS) + r") (\d{1,2})[:.](\d{2})")


def event_times(events: pd.DataFrame) -> pd.Series:
    """When each event happened, from its title ("15 november 18:28, Rån, Falun").

    polisen.se's ``datetime`` is when the notice was published or last updated, often hours
    after the event (or, for announced controls, before it); the title starts with the event's
    own day and time but no year: the year taken is the one that puts it closest to the
    publication (a late-December event published in January belongs to the year before).
    Where a title has no time, the publication time is used.

    Examples
    --------
    >>> ev = pd.DataFrame({"name": ["31 december 23:50, Brand, Falun", "Ingen tid"],
    ...     "datetime": pd.to_datetime(["2024-01-01 08:00", "2024-05-01 12:00"]).tz_localize("Europe/Stockholm")})
    >>> [str(t) for t in event_times(ev)]
    ['2023-12-31 23:50:00+01:00', '2024-05-01 12:00:00+02:00']
    """
    parts = events["name"].astype(object).where(events["name"].notna(), "").astype(str).str.extract(_EVENT_NAME_TIME)
    published = events["datetime"]
    fields = {"month": parts[1].map(_SV_MONTHS), "day": parts[0].astype(float), "hour": parts[2].astype(float),
              "minute": parts[3].astype(float)}
    best = pd.Series(pd.NaT, index=events.index, dtype=published.dtype)
    for shift in (0, -1, 1):  # the title's year is the one that puts it closest to the publication
        stamp = pd.to_datetime(pd.DataFrame({"year": published.dt.year + shift, **fields}), errors="coerce")
        # in the repeated hour of the October change, take standard time (a 1-hour uncertainty, not a year)
        local = stamp.dt.tz_localize("Europe/Stockholm", ambiguous=np.zeros(len(stamp), dtype=bool),
                                     nonexistent="shift_forward")
        closer = local.notna() & (best.isna() | ((local - published).abs() < (best - published).abs()))
        best = best.where(~closer, local)
    local = best
    return local.where(local.notna(), published).astype(published.dtype)


def _events_from_api_json(path: Path) -> pd.DataFrame:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON ({exc})", "save the API response unchanged (UTF-8 JSON)") from exc
    if not isinstance(data, list):
        raise InputError(path, "the JSON is not a list of events", "save the response of https://polisen.se/api/events unchanged")
    rows = []
    for i, ev in enumerate(data):
        if not isinstance(ev, dict):
            raise InputError(path, f"item {i + 1} of the list is not an event but the {type(ev).__name__} {ev!r:.40}",
                             "save the response of https://polisen.se/api/events unchanged")
        if not isinstance(ev.get("location") or {}, dict):
            raise InputError(path, f"event {i + 1} has a location that is not an object ({ev['location']!r:.40})",
                             "save the response of https://polisen.se/api/events unchanged (location: {name, gps})")
        loc = ev.get("location") or {}
        lat = lon = None
        gps = str(loc.get("gps") or "")
        if "," in gps:
            lat, lon = gps.split(",", 1)
        url = ev.get("url") or ""
        rows.append({
            "id": ev.get("id"), "datetime": ev.get("datetime"), "type": ev.get("type"), "location_name": loc.get("name"),
            "lat": lat, "lon": lon, "name": ev.get("name"), "summary": ev.get("summary"),
            "url": ("https://polisen.se" + url) if url.startswith("/") else url,
        })
        if ev.get("id") is None or ev.get("datetime") is None:
            raise InputError(path, f"event {i + 1} has no id or datetime", "save the API response unchanged")
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="row"))


KOMMUNGRUPPER_ALIASES = {
    "kommun_kod": ["kommun_kod", "kommunkod", "kod", "municipality_id"],
    "kommun": ["kommun", "kommunnamn", "municipality"],
    # SCB's kommunkopplingar: the group's name and its code (A1 … C9) in separate columns
    "kommungrupp": ["kommungrupp", "skr_kommungrupp_namn", "grupp", "kommungruppsindelning", "group"],
    "kommungrupp_kod": ["kommungrupp_kod", "skr_kommungrupp_2023", "gruppkod"],
}
KOMMUNGRUPPER_COLUMNS = ["kommun_kod", "kommun", "kommungrupp", "kommungrupp_kod"]


def _kommungrupper_schema():
    import pandera.pandas as pa

    return pa.DataFrameSchema(
        {
            "kommun_kod": pa.Column(str, pa.Check.str_matches(r"^\d{4}$"), unique=True),
            "kommun": pa.Column(str),
            "kommungrupp": pa.Column(str, pa.Check.str_length(min_value=1)),
            "kommungrupp_kod": pa.Column(str),  # SKR's code (A1 … C9), "" when the file has none
        },
        strict=True,
        name="kommungrupper",
    )


def empty_kommungrupper() -> pd.DataFrame:
    """An empty kommungrupp table (a data folder without ``kommungrupper/``).

    Examples
    --------
    >>> list(empty_kommungrupper().columns)
    ['kommun_kod', 'kommun', 'kommungrupp', 'kommungrupp_kod']
    """
    return pd.DataFrame({c: pd.Series(dtype=str) for c in KOMMUNGRUPPER_COLUMNS})


def load_kommungrupper(path: str | Path, kommuner: pd.DataFrame | None = None) -> pd.DataFrame:
    """SKR's kommungruppsindelning: which group each kommun belongs to.

    Parameters
    ----------
    path : str or Path
        CSV or Excel with ``kommun_kod, kommun, kommungrupp`` (one row per kommun), as
        ``python -m lagesbild.sources.fetch kolada`` writes it from Kolada's municipality groups, or SCB's
        kommunkopplingar with SKR's groups (``kommunkod, kommunnamn, skr_kommungrupp_2023,
        skr_kommungrupp_namn``, as bundled); an optional code column (``kommungrupp_kod``, A1 … C9).
    kommuner : pandas.DataFrame, optional
        The kommun table, to check that every code is a kommun's and to fill in missing names.

    Returns
    -------
    pandas.DataFrame
        Columns ``kommun_kod, kommun, kommungrupp, kommungrupp_kod``; one row per kommun.

    Raises
    ------
    InputError

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "kommungrupper.csv"
    >>> _ = p.write_text("kommun_kod,kommun,kommungrupp\\n1283,Helsingborg,Större stad\\n")
    >>> load_kommungrupper(p).to_dict("records")
    [{'kommun_kod': '1283', 'kommun': 'Helsingborg', 'kommungrupp': 'Större stad', 'kommungrupp_kod': ''}]
    """
    raw = read_table(path)
    file = raw.attrs["file"]
    df = rename_aliases(raw, KOMMUNGRUPPER_ALIASES)
    _require(df, ["kommun_kod", "kommungrupp"], file, KOMMUNGRUPPER_ALIASES)
    out = pd.DataFrame({"kommun_kod": df["kommun_kod"].astype(str).str.strip(),
                        "kommun": df["kommun"].astype(str) if "kommun" in df.columns else "",
                        "kommungrupp": df["kommungrupp"].astype(str).str.strip(),
                        "kommungrupp_kod": (df["kommungrupp_kod"].astype(str).str.strip() if "kommungrupp_kod" in df.columns
                                            else "")}, index=df.index)
    if kommuner is not None:
        names = dict(zip(kommuner["kommun_kod"], kommuner["kommun"], strict=True))
        unknown = ~out["kommun_kod"].isin(list(names))
        if unknown.any():
            pos = int(np.flatnonzero(unknown.to_numpy())[0])
            raise InputError(file, kommun_code_problem(out["kommun_kod"].iloc[pos]),
                             "use SCB's four-digit kommun codes, with leading zeros", row=int(out.index[pos]),
                             column="kommun_kod")
        out["kommun"] = out["kommun"].where(out["kommun"].str.strip() != "", out["kommun_kod"].map(names))
    dup = out["kommun_kod"].duplicated()
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(file, f"kommun {out['kommun_kod'].iloc[pos]} is in more than one group",
                         "keep one row per kommun", row=int(out.index[pos]), column="kommun_kod")
    return _validated(out, _kommungrupper_schema(), file)


#: Polisen's classes of utsatta områden (the ``class`` property) and their Swedish names.
USO_CLASSES = {"utsatt": "utsatt område", "sarskilt": "särskilt utsatt område"}
USO_COLUMNS = ["name", "class", "ort", "polisregion", "since", "area_ha", "kommun_kod", "kommun_share", "distance_m"]
#: How far outside every kommun polygon an area may lie and still be given the nearest kommun (coastlines of
#: simplified boundaries cut off parts of towns: Helsingborg's Söder lies 204 m outside the bundled polygon).
USO_MAX_DISTANCE_M = 2_000


def empty_utsatta_omraden():
    """An empty table of utsatta områden (a data folder without ``utsatta_omraden/``).

    Examples
    --------
    >>> len(empty_utsatta_omraden()), "kommun_kod" in empty_utsatta_omraden().columns
    (0, True)
    """
    import geopandas as gpd

    return gpd.GeoDataFrame({c: pd.Series(dtype=float if c in ("area_ha", "kommun_share", "distance_m") else str)
                             for c in USO_COLUMNS}, geometry=gpd.GeoSeries([], crs=4326), crs=4326)


def kommun_point(boundaries, kommun: str) -> tuple[float, float]:
    """A point inside the kommun (representative point of its polygon), as (lat, lon) in WGS 84.

    Examples
    --------
    >>> from lagesbild import processed
    >>> lat, lon = kommun_point(processed.load().boundaries, "2080")
    >>> 60 < lat < 61.5 and 14 < lon < 17
    True
    """
    rows = boundaries[boundaries["kommun_kod"] == kommun]
    if rows.empty:
        raise ValueError(f"kommun_point: no boundary for kommun {kommun}")
    point = rows.to_crs(3006).geometry.representative_point()
    point = point.to_crs(4326).iloc[0]
    return float(point.y), float(point.x)



def load_utsatta_omraden(path: str | Path, boundaries):
    """Polisen's utsatta and särskilt utsatta områden, each assigned to the kommun it lies in.

    Parameters
    ----------
    path : str or Path
        Polygons with the properties ``name`` and ``class`` (``utsatt`` or ``sarskilt``, as in Polisen's
        "Kartgränser" and the bundled file), optionally ``ort, polisregion, since, area_ha``. GeoJSON is
        WGS 84 by definition; other formats must declare their CRS.
    boundaries : geopandas.GeoDataFrame
        Kommun polygons with ``kommun_kod`` (the processed ``boundaries``).

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`USO_COLUMNS` and the geometry (WGS 84). ``kommun_kod`` is the kommun that holds the
        largest part of the area (measured in SWEREF 99 TM), ``kommun_share`` that part (0–1). An area
        that overlaps no kommun polygon gets the nearest kommun within :data:`USO_MAX_DISTANCE_M`
        (``kommun_share`` 0, ``distance_m`` the distance): simplified coastlines cut off parts of towns.

    Raises
    ------
    InputError
        Unreadable file, a missing property, an unknown class, an invalid geometry, or an area far from
        every kommun.
    """
    import geopandas as gpd
    from pyogrio.errors import DataSourceError

    path = Path(path)
    if not path.exists():
        raise InputError(path, "the file does not exist", "check the path and the --data folder")
    try:
        gdf = gpd.read_parquet(path) if path.suffix.lower() == ".parquet" else gpd.read_file(path)
    except (DataSourceError, ValueError, OSError) as exc:
        raise InputError(path, f"the geodata cannot be read ({str(exc).splitlines()[0]})",
                         "export it again as valid GeoJSON or GeoPackage") from exc
    if gdf.crs is None:
        raise InputError(path, "the file does not declare its coordinate system",
                         "save it with its CRS (e.g. EPSG:3006 SWEREF 99 TM or EPSG:4326)")
    for col in ("name", "class"):
        if col not in gdf.columns:
            raise InputError(path, f"no {plain(col)} property", "every area needs its name and its class (utsatt or sarskilt)",
                             column=col)
    cls = gdf["class"].astype(str).str.strip().str.casefold().replace({"särskilt": "sarskilt", "särskilt utsatt": "sarskilt",
                                                                         "särskilt utsatt område": "sarskilt",
                                                                         "utsatt område": "utsatt"})
    bad = ~cls.isin(list(USO_CLASSES))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, f"feature {i + 1} ({gdf['name'].iloc[i]}) has the class {plain(gdf['class'].iloc[i])}",
                         "the class must be utsatt or sarskilt", column="class")
    invalid = gdf.geometry.isna() | gdf.geometry.is_empty | ~gdf.geometry.is_valid
    if invalid.any():
        i = int(np.flatnonzero(invalid.to_numpy())[0])
        raise InputError(path, f"feature {i + 1} ({gdf['name'].iloc[i]}) has no valid geometry",
                         "repair the geometry (QGIS: Fix geometries; shapely.make_valid)", column="geometry")
    areas = gdf.assign(**{"class": cls}).to_crs(3006).reset_index(drop=True)
    kommuner = boundaries[["kommun_kod", "geometry"]].to_crs(3006)
    parts = gpd.overlay(areas[["geometry"]].assign(_i=areas.index), kommuner, how="intersection", keep_geom_type=True)
    parts["_area"] = parts.area
    parts = parts.sort_values(["_i", "_area"], ascending=[True, False])
    total = parts.groupby("_i")["_area"].sum()
    best = parts.drop_duplicates("_i").set_index("_i")
    out = areas.assign(kommun_kod=best["kommun_kod"].reindex(areas.index),
                       kommun_share=(best["_area"] / total).reindex(areas.index).fillna(0.0), distance_m=0.0)
    lost = out["kommun_kod"].isna()
    if lost.any():
        near = gpd.sjoin_nearest(out.loc[lost, ["geometry"]], kommuner, distance_col="_d", how="left")
        near = near[~near.index.duplicated()]
        out.loc[lost, "kommun_kod"] = near["kommun_kod"]
        out.loc[lost, "distance_m"] = near["_d"].round(0)
        far = out["distance_m"] > USO_MAX_DISTANCE_M
        if far.any():
            i = int(np.flatnonzero(far.to_numpy())[0])
            raise InputError(path, f"feature {i + 1} ({out['name'].iloc[i]}) lies {int(out['distance_m'].iloc[i])} m from "
                             "every kommun", "check that the file's coordinate system is declared correctly", column="geometry")
    for col in ("ort", "polisregion", "since"):
        out[col] = out[col].astype(str).where(out[col].notna(), "") if col in out.columns else ""
    out["area_ha"] = (out["area_ha"].astype(float) if "area_ha" in out.columns else out.area / 10_000).round(1)
    out["name"] = out["name"].astype(str).str.strip()
    out = out[[*USO_COLUMNS, "geometry"]].to_crs(4326)
    out.attrs["file"] = str(path)
    return out
