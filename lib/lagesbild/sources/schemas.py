"""The tidy shapes every loader returns, as pandera schemas, and validation with clear errors.

A loader first maps a user's file onto one of these shapes (column aliases, wide → long, Swedish
numbers), then calls :func:`validate`. Pandera reports every failing cell; :func:`validate` turns
the first one into an :class:`~lagesbild.core.errors.InputError` that names file, row, column and fix.
The DataFrame index carries the spreadsheet row number through (see :mod:`lagesbild.sources.readers`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.units import COUNT_UNIT, RATE_UNIT, UNITS  # noqa: F401  (re-exported)

_KOMMUN = r"^\d{4}$"
_REGION = r"^(\d{2}|\d{4})$"
_LAN = r"^\d{2}$"

#: What to tell the user per column when a check fails.
FIXES: dict[str, str] = {
    "region_code": "use the SCB code as text: '00' for Sweden, two digits for a län, four for a kommun (keep leading zeros)",
    "kommun_kod": "use the four-digit SCB kommun code as text, with its leading zero (0114, not 114)",
    "lan_kod": "use the two-digit SCB län code as text (01, 20 …)",
    "year": "write the year as four digits between 1950 and 2100, e.g. 2024",
    "unit": f"the unit must be one of {', '.join(repr(u) for u in UNITS)}",
    "value": "counts and rates cannot be negative; use '..' for a missing value",
    "population": "population must be a whole, non-negative number",
    "indicator": "every row needs the crime category (indicator) name",
    "id": "every event needs a unique numeric id; remove duplicated rows",
    "datetime": "write times as ISO 8601 with offset, e.g. 2024-05-01T13:45:00+02:00",
    "lat": "latitude must be in WGS 84 degrees within Sweden (55–70), or empty",
    "lon": "longitude must be in WGS 84 degrees within Sweden (10–25), or empty",
}

CRIME = pa.DataFrameSchema(
    {
        "region_code": pa.Column(str, pa.Check.str_matches(_REGION)),
        "region_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year": pa.Column(int, pa.Check.in_range(1950, 2100)),
        "indicator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit": pa.Column(str, pa.Check.isin(UNITS)),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
        # Brå's preliminary figure (its own column in an export, or a bundled file's preliminary years)
        "preliminary": pa.Column(bool, required=False),
    },
    unique=["region_code", "year", "indicator", "unit"],
    strict=True,
    ordered=False,
    name="crime",
)

POPULATION = pa.DataFrameSchema(
    {
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN)),
        "kommun": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(1950, 2100)),
        "population": pa.Column(int, pa.Check.ge(0)),
    },
    unique=["kommun_kod", "year"],
    strict=True,
    name="population",
)

KOMMUNER = pa.DataFrameSchema(
    {
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN), unique=True),
        "kommun": pa.Column(str, pa.Check.str_length(min_value=1)),
        "lan_kod": pa.Column(str, pa.Check.str_matches(_LAN)),
        "lan": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    checks=pa.Check(lambda d: d["kommun_kod"].str[:2] == d["lan_kod"], error="kommun code must start with its län code"),
    strict=True,
    name="kommuner",
)

EVENTS = pa.DataFrameSchema(
    {
        "id": pa.Column(int, unique=True),
        "datetime": pa.Column(pd.DatetimeTZDtype("ns", "Europe/Stockholm"), coerce=True),
        "type": pa.Column(str, pa.Check.str_length(min_value=1)),
        "location_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "lat": pa.Column(float, pa.Check.in_range(55, 70), nullable=True),
        "lon": pa.Column(float, pa.Check.in_range(10, 25), nullable=True),
        "name": pa.Column(str, nullable=True),
        "summary": pa.Column(str, nullable=True),
        "url": pa.Column(str, nullable=True),
    },
    strict=True,
    name="events",
)


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str | Path) -> pd.DataFrame:
    """Validate ``df`` against ``schema``; raise the first problem as an :class:`InputError`.

    Parameters
    ----------
    df : pandas.DataFrame
        Index = spreadsheet row numbers (ints), as :func:`lagesbild.sources.readers.read_table` gives.
    schema : pandera.DataFrameSchema
    file : str or Path
        Named in the error.

    Returns
    -------
    pandas.DataFrame
        The validated (and, where the schema says so, coerced) frame.

    Raises
    ------
    InputError

    Examples
    --------
    >>> bad = pd.DataFrame({"kommun_kod": ["0114", "114"], "kommun": ["Upplands Väsby", "X"],
    ...                     "year": [2019, 2019], "population": [1, 2]}, index=[2, 3])
    >>> validate(bad, POPULATION, "pop.csv")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: pop.csv, row 3, column 'kommun_kod': value '114' fails the check str_matches('^\\d{4}$'). Fix: use the four-digit SCB kommun code as text, with its leading zero (0114, not 114).
    """
    missing = [c for c, col in schema.columns.items() if c not in df.columns and col.required]
    if missing:
        raise InputError(
            file, f"required column(s) missing: {', '.join(missing)}",
            f"add the column(s); found: {', '.join(map(str, df.columns))}",
        )
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _first_error(exc.failure_cases, file) from None


def _first_error(cases: pd.DataFrame, file: str | Path) -> InputError:
    cases = cases.copy()
    cases["_row"] = pd.to_numeric(cases["index"], errors="coerce")
    case = cases.sort_values("_row", na_position="last").iloc[0]
    column = case["column"] if isinstance(case["column"], str) else None
    value = _plain(case["failure_case"])
    row = int(case["_row"]) if pd.notna(case["_row"]) else None
    check = str(case["check"])
    if "unique" in check or "duplicate" in check.lower():
        same = cases["check"] == case["check"]
        if check != "multiple_fields_uniqueness":
            same &= cases["column"] == case["column"]
        return _duplicate_error(cases[same], file, column if check != "multiple_fields_uniqueness" else None)
    if check.startswith("dtype") or "coerce" in check:
        problem = f"wrong type: {check}"
        fix = FIXES.get(column or "", "correct the values in this column")
    else:
        problem = f"value {plain(value)} fails the check {check}"
        fix = FIXES.get(column or "", "correct the value")
    return InputError(file, problem, fix, row=row, column=column)


def _plain(value):
    """A numpy scalar as a plain Python value, so that messages show ``2017``, not ``np.int64(2017)``."""
    return value.item() if hasattr(value, "item") else value


def _duplicate_error(cases: pd.DataFrame, file: str | Path, column: str | None) -> InputError:
    """The first key that appears in two rows, naming both rows and every column of the key."""
    order = {c: i for i, c in enumerate(dict.fromkeys(cases["column"].astype(str)))}  # the schema's key order
    keys: dict[tuple, list[int]] = {}
    for row, group in cases.dropna(subset=["_row"]).groupby("_row", sort=True):
        pairs = zip(group["column"].astype(str), group["failure_case"].map(_plain), strict=True)
        key = tuple(sorted(set(pairs), key=lambda cv: order[cv[0]]))
        keys.setdefault(key, []).append(int(row))
    repeated = [(rows, key) for key, rows in keys.items() if len(rows) > 1]
    if not repeated:  # pandera reported a single row: name it and its value
        first = cases.sort_values("_row", na_position="last").iloc[0]
        row = int(first["_row"]) if pd.notna(first["_row"]) else None
        return InputError(file, f"duplicate row for the same key ({plain(_plain(first['failure_case']))})",
                          "remove the duplicated rows; each key may appear once", row=row, column=column)
    rows, key = min(repeated)
    parts = [f"{c} {plain(v)}" for c, v in key]
    what = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return InputError(file, f"duplicate rows: rows {rows[0]} and {rows[1]} have the same {what}",
                      f"keep one row per {', '.join(c for c, _ in key)}: delete the repeated row or correct it",
                      row=rows[0], column=column)
