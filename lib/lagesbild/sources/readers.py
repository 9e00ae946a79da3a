"""Read tables as Swedish users actually have them.

Exports from Brå, Kolada, SCB's PxWeb or Excel arrive with ``;`` as separator, decimal commas,
``..`` for a missing value, spaces or non-breaking spaces as thousands separators, a title line
above the header, and UTF-8 (with or without BOM) or Latin-1/Windows-1252 encoding. This module
turns such a file into a DataFrame of strings whose index is the row number a spreadsheet shows
(the header is row 1), so that every later error can name the row. Numbers are converted column
by column with :func:`to_number`, which names the file, row and column of the first bad value.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild.core import reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain

#: Cell texts that mean "no value" in Swedish official statistics (SCB: ``..`` = not available,
#: ``.`` = not applicable, ``-`` = nothing to report) and in Excel exports.
MISSING_MARKERS = frozenset({"", "..", ".", "-", "–", "NA", "N/A", "nan", "NaN", "#N/A"})

_SEPARATORS = (";", ",", "\t", "|")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")  # space, NBSP, narrow NBSP, thin space
_MINUSES = str.maketrans({"\u2212": "-", "\u2013": "-"})
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")  # the old binary .xls needs an extra engine: users save as .xlsx


def decode(raw: bytes, file: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode file bytes: UTF-8 with or without BOM, else Windows-1252 (a superset of Latin-1).

    Parameters
    ----------
    raw : bytes
        The file's content.
    file : str or Path
        Name used in error messages.

    Returns
    -------
    (text, encoding) : tuple of str

    Raises
    ------
    InputError
        If the file is empty, or holds NUL bytes (UTF-16 "Unicode text" or a binary file, which
        would otherwise decode as Windows-1252 garbage).

    Examples
    --------
    >>> decode("Malmö".encode("utf-8-sig"))
    ('Malmö', 'utf-8-sig')
    >>> decode("Malmö".encode("latin-1"))
    ('Malmö', 'cp1252')
    >>> decode("kommun;år".encode("utf-16"), "x.csv")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: x.csv: the file holds NUL bytes, so it is not text in UTF-8 or Latin-1 (it may be UTF-16 'Unicode text' or not a table at all). Fix: save the table as CSV UTF-8 (Excel: Save as → CSV UTF-8) or as an Excel workbook (.xlsx).
    """
    if not raw.strip():
        raise InputError(file, "the file is empty", "export the table again; the file has no rows")
    if b"\x00" in raw:
        raise InputError(file, "the file holds NUL bytes, so it is not text in UTF-8 or Latin-1 (it may be UTF-16 "
                         "'Unicode text' or not a table at all)",
                         "save the table as CSV UTF-8 (Excel: Save as → CSV UTF-8) or as an Excel workbook (.xlsx)")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw.decode("utf-8-sig"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def sniff_separator(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number (> 1) of fields.

    Examples
    --------
    >>> sniff_separator(["kommun;år;antal", "Falun;2024;1 234,5"])
    ';'
    >>> sniff_separator(["a,b,c", "1,2,3"])
    ','
    """
    best, best_score = ",", (0, 0)
    for sep in _SEPARATORS:
        counts = [len(next(csv.reader([line], delimiter=sep))) for line in lines if line.strip()]
        if not counts:
            continue
        n, freq = Counter(counts).most_common(1)[0]
        score = (freq if n > 1 else 0, n)
        if score > best_score:
            best, best_score = sep, score
    return best


def read_table(path: str | Path, *, sheet: str | int = 0) -> pd.DataFrame:
    """Read a CSV or Excel file into a DataFrame of stripped strings, index = spreadsheet row.

    Title lines above the header (as in PxWeb exports) are skipped: the header is the first line
    with as many fields as most of the lines below it. Column names are stripped of spaces and BOMs.
    Empty cells are ``""`` (use :func:`to_number` or :func:`is_missing` to interpret them).

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.txt``/``.tsv`` or ``.xlsx``/``.xls`` file.
    sheet : str or int
        Excel sheet (ignored for CSV).

    Returns
    -------
    pandas.DataFrame
        All columns of dtype str; ``df.index`` holds the row number as a spreadsheet shows it.
        ``df.attrs`` has ``file``, ``encoding`` and ``separator``.

    Raises
    ------
    InputError
        Missing or empty file, unsupported suffix, rows with the wrong number of fields.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "brott.csv"
    >>> _ = p.write_bytes("Anmälda brott\\n\\nkommun;år;antal\\nFalun;2024;1\\u00a0234\\n".encode("cp1252"))
    >>> df = read_table(p)
    >>> list(df.columns), df.loc[4, "antal"], df.attrs["separator"]
    (['kommun', 'år', 'antal'], '1\\xa0234', ';')
    """
    path = Path(path)
    reads.file(path)
    if not path.exists():
        raise InputError(path, "the file does not exist", "check the path and the --data folder")
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, sheet)
    if suffix not in CSV_SUFFIXES:
        fix = ("open it in Excel and save it as Excel Workbook (.xlsx) or CSV" if suffix == ".xls"
               else "save the table as CSV (.csv) or Excel (.xlsx)")
        raise InputError(path, f"unsupported file type {plain(suffix)}", fix)
    text, encoding = decode(path.read_bytes(), path)
    lines = text.splitlines()
    sample = [ln for ln in lines[:50] if ln.strip()]
    reader = None
    try:
        sep = "\t" if suffix == ".tsv" else sniff_separator(sample)
        reader = csv.reader(io.StringIO(text), delimiter=sep)
        rows = list(reader)
    except csv.Error as exc:  # e.g. a stray carriage return or a field of more than 128 kB: not a table
        raise InputError(path, f"the file cannot be read as a table ({exc})",
                         "check that it is the exported table; save it again as CSV UTF-8 or Excel (.xlsx)",
                         row=reader.line_num if reader is not None else None) from None
    widths = [len(r) for r in rows if any(c.strip() for c in r)]
    if not widths:
        raise InputError(path, "the file has no rows", "export the table again")
    width = Counter(widths[: 200]).most_common(1)[0][0]
    header_at = next(i for i, r in enumerate(rows) if len(r) == width and any(c.strip() for c in r))
    header = [_clean_name(c) for c in rows[header_at]]
    _check_header(path, header, header_at + 1)
    records, index = [], []
    for i, r in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(c.strip() for c in r):
            continue  # blank line (often a footnote separator)
        if len(r) != width:
            if len(r) < width and _is_footnote(r):
                continue
            raise InputError(
                path,
                f"the row has {len(r)} fields but the header has {width}",
                f"check for a stray {plain(sep)} or an unquoted text in that row",
                row=i,
            )
        records.append([c.strip() for c in r])
        index.append(i)
    df = pd.DataFrame(records, columns=header, index=pd.Index(index, name="row"), dtype=str)
    if df.empty:
        raise InputError(path, "the file has a header but no data rows", "export the table again")
    df.attrs.update(file=str(path), encoding=encoding, separator=sep)
    return df


def _read_excel(path: Path, sheet: str | int) -> pd.DataFrame:
    try:
        raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str, keep_default_na=False)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:  # how openpyxl reports broken files
        raise InputError(path, f"the Excel file cannot be read ({exc})", "open it in Excel and save it again as .xlsx") from exc
    raw = raw.fillna("")
    widths = [(raw.iloc[i] != "").sum() for i in range(len(raw))]
    if not any(widths):
        raise InputError(path, "the file is empty", "export the table again; the sheet has no rows")
    width = max(widths)
    header_at = next(i for i, w in enumerate(widths) if w == width)
    header = [_clean_name(str(c)) for c in raw.iloc[header_at]]
    keep = [j for j, h in enumerate(header) if h]
    body = raw.iloc[header_at + 1:, keep]
    body.columns = [header[j] for j in keep]
    body = body.map(lambda v: str(v).strip())
    body.index = pd.Index(range(header_at + 2, header_at + 2 + len(body)), name="row")
    body = body[(body != "").any(axis=1)]
    _check_header(path, list(body.columns), header_at + 1)
    if body.empty:
        raise InputError(path, "the sheet has a header but no data rows", "export the table again")
    body = body.astype(str)
    body.attrs.update(file=str(path), encoding="xlsx", separator="")
    return body


def _clean_name(name: str) -> str:
    return name.replace("\ufeff", "").strip().strip('"').strip()


def _is_footnote(row: list[str]) -> bool:
    return sum(bool(c.strip()) for c in row) <= 1


def _check_header(path: Path, header: list[str], row: int) -> None:
    seen: set[str] = set()
    for name in header:
        if not name:
            raise InputError(path, "a column has no name", "give every column a header", row=row)
        if name.lower() in seen:
            raise InputError(path, f"the column {plain(name)} appears twice", "remove or rename one of them", row=row, column=name)
        seen.add(name.lower())


def is_missing(values: pd.Series) -> pd.Series:
    """True where a cell holds one of the :data:`MISSING_MARKERS` (``..``, empty, …).

    Examples
    --------
    >>> is_missing(pd.Series(["12", "..", "", "0"])).tolist()
    [False, True, True, False]
    """
    return _as_text(values).isin(MISSING_MARKERS)


def _as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped text; real NaN/None become "" (pandas 3's ``astype(str)`` keeps them)."""
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def to_number(
    values: pd.Series,
    *,
    file: str | Path,
    column: str,
    integer: bool = False,
    allow_missing: bool = True,
    minimum: float | None = None,
    cell_columns: pd.Series | None = None,
) -> pd.Series:
    """Parse Swedish-formatted numbers: decimal comma, space/NBSP thousands separators, ``..``.

    Both ``1 234,5`` and ``1234.5`` are accepted. When a cell holds both a point and a comma, the
    one that comes last is the decimal separator (``1.234,5`` and ``1,234.5`` are both 1234.5).
    Real NaN/None cells count as missing.

    Parameters
    ----------
    values : pandas.Series
        Cells as strings; the index is the spreadsheet row (see :func:`read_table`).
    file, column : str
        Used in the error message.
    integer : bool
        Require whole numbers (counts).
    allow_missing : bool
        Whether ``..`` and empty cells are allowed (they become NaN).
    minimum : float, optional
        Smallest allowed value (e.g. 0 for counts).
    cell_columns : pandas.Series, optional
        Per-cell column name to report instead of ``column`` (for wide files melted to long,
        where each value came from a year column).

    Returns
    -------
    pandas.Series of float64

    Raises
    ------
    InputError
        At the first cell that is not a number, is missing when not allowed, not whole, or too small.

    Examples
    --------
    >>> to_number(pd.Series(["1\\u00a0234,5", "..", "−3", "1,234.5", "1.234,5"]), file="x.csv", column="v").tolist()
    [1234.5, nan, -3.0, 1234.5, 1234.5]
    >>> to_number(pd.Series(["12", "3,5"], index=[2, 3]), file="x.csv", column="antal", integer=True)
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: x.csv, row 3, column 'antal': '3,5' is not a whole number. Fix: counts must be whole numbers; check the column holds counts, not rates.
    """
    text = _as_text(values)
    missing = text.isin(MISSING_MARKERS)
    cleaned = text.str.translate(_MINUSES).str.replace(_SPACES, "", regex=True)
    last_comma, last_point = cleaned.str.rfind(","), cleaned.str.rfind(".")
    both = (last_comma >= 0) & (last_point >= 0)
    comma_decimal = both & (last_comma > last_point)
    cleaned = cleaned.where(~comma_decimal, cleaned.str.replace(".", "", regex=False))
    cleaned = cleaned.where(~(both & ~comma_decimal), cleaned.str.replace(",", "", regex=False))
    cleaned = cleaned.str.replace(",", ".", regex=False)
    ok = cleaned.str.match(_NUMBER) | missing

    def fail(bad: pd.Series, problem: str, fix: str) -> InputError:
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        col = str(cell_columns.iloc[pos]) if cell_columns is not None else column
        return InputError(file, problem.format(cell=repr(text.iloc[pos])), fix, row=_row(values.index[pos]), column=col)

    if not ok.all():
        raise fail(~ok, "{cell} is not a number", "write numbers with digits only (1 234,5 or 1234.5; '..' for missing)")
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    out[~missing.to_numpy()] = cleaned[~missing].astype("float64").to_numpy()
    if missing.any() and not allow_missing:
        raise fail(missing, "the value is missing", "fill in a value; this column cannot be empty")
    if integer:
        frac = (~missing) & (out % 1 != 0)
        if frac.any():
            raise fail(frac, "{cell} is not a whole number",
                       "counts must be whole numbers; check the column holds counts, not rates")
    if minimum is not None:
        low = (~missing) & (out < minimum)
        if low.any():
            raise fail(low, "{cell} is below the smallest allowed value " + f"{minimum:g}",
                       "correct the value (counts and populations cannot be negative)")
    return out


def _row(label: object) -> int | None:
    return int(label) if isinstance(label, (int, np.integer)) else None
