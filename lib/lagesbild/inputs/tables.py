"""The kommun's own tables, declared once: columns, template files, and loading with row/column errors.

A report domain declares every table a kommun fills in as a :class:`Table` of :class:`Column` s: each
column's name, whether the column must be in the file, a Swedish description with an example, and
other accepted headers. That one declaration

* reads a file (:meth:`Table.read`): CSV or Excel (the sheet named after the table, else the first),
  headers matched case-insensitively and through aliases, an unknown, doubled or missing column an
  :class:`~lagesbild.core.errors.InputError` naming file, row 1, column and the fix; optional
  columns left out are read as empty;
* writes the template: the CSV (:meth:`Table.csv_text`, :meth:`Table.write_csv`), the workbook's
  sheets and ``Instruktioner`` rows (:func:`instructions_rows`,
  :func:`lagesbild.core.workbook.template_workbook`) and the README's tables
  (:func:`files_markdown`, :func:`columns_markdown`), all written by :func:`write_templates`,
  so that a template and its documentation cannot drift apart.

Cells are then checked column by column with :class:`Rule` s (:func:`check_cells`: the first bad cell,
row by row, with its fix) and parsed with the helpers here (:func:`parse_dates`,
:func:`parse_times`, :func:`numbers`, :func:`check_unique`). Every error names the file, the row as
the spreadsheet shows it (the header is row 1), the column as the user wrote it, and the fix.

The folder a kommun keeps its tables in (``metadata.yaml``, which tables are needed, provenance) is
:mod:`lagesbild.inputs.folders`; coordinates and polygons are :mod:`lagesbild.inputs.coordinates`.

Examples
--------
A tiny table, its template and a file with a bad value:

>>> import tempfile, pathlib
>>> fruit = Table("frukt", "Frukt", "En rad per frukt.", (
...     Column("namn", True, "Fruktens namn.", "äpple"),
...     Column("antal", False, "Antal, heltal.", "3", aliases=("st",))), rows=(("äpple", "3"),))
>>> fruit.csv_text(fruit.rows).splitlines()
['\\ufeffnamn;antal', 'äpple;3']
>>> p = pathlib.Path(tempfile.mkdtemp()) / "frukt.csv"
>>> _ = p.write_text("Namn;St\\npäron;två\\n", encoding="utf-8")
>>> df, headers = fruit.read(p)
>>> numbers(df, "antal", str(p), headers)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
lagesbild.core.errors.InputError: ...frukt.csv, row 2, column 'St': 'två' is not a number. Fix: ...
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from lagesbild.core.errors import InputError
from lagesbild.core.files import atomic_write_bytes, atomic_write_text
from lagesbild.core.fmt import plain
from lagesbild.core.workbook import markdown_cell, template_csv_text
from lagesbild.sources.public import is_kommun_code, kommun_code_problem
from lagesbild.sources.readers import EXCEL_SUFFIXES, read_table, to_number

#: A row of the ``Instruktioner`` sheet: (section or column, required, description, example).
InstructionRow = tuple[str, str, str, str]

#: The empty row between sections of the ``Instruktioner`` sheet.
BLANK: InstructionRow = ("", "", "", "")

# ============================================================================================
# Text as compared
# ============================================================================================


def normalise(text: object) -> str:
    """A header, file name or value as compared: lower case, BOM and surrounding spaces removed, inner spaces collapsed.

    Examples
    --------
    >>> normalise("  Okulär   Besiktning\\ufeff"), normalise(2024)
    ('okulär besiktning', '2024')
    """
    return re.sub(r"\s+", " ", str(text).replace("\ufeff", "")).strip().lower()


def is_filled(values: pd.Series) -> pd.Series:
    """True where a text cell holds more than spaces.

    Examples
    --------
    >>> is_filled(pd.Series(["a", " ", ""])).tolist()
    [True, False, False]
    """
    return values.str.strip().str.len() > 0


def cell_text(values: pd.Series) -> pd.Series:
    """Cells as trimmed text, missing values as "".

    Examples
    --------
    >>> cell_text(pd.Series([" Söder ", None])).tolist()
    ['Söder', '']
    """
    return values.astype(object).where(values.notna(), "").astype(str).str.strip().astype(str)


# ============================================================================================
# Declaring a table
# ============================================================================================


@dataclass(frozen=True)
class Column:
    """One column of a kommun's table.

    Parameters
    ----------
    name : str
        The header of the template.
    required : bool
        The column must be in the file (the description says which cells may be empty).
    description : str
        Swedish, for the template's documentation and its ``Instruktioner`` sheet.
    example : str
        The example shown in the documentation (:func:`table` takes it from the example rows).
    aliases : tuple of str
        Other accepted headers; all headers match case-insensitively (:func:`normalise`).
    key : str
        The column's name in the frame :meth:`Table.read` returns, when it is not ``name`` (the place
        assessment's factor columns are headed by their Swedish name and read under their key).

    Examples
    --------
    >>> Column("Belysning", False, "Belysningen.", aliases=("belysning",), key="belysning").field
    'belysning'
    """

    name: str
    required: bool
    description: str
    example: str = ""
    aliases: tuple[str, ...] = ()
    key: str = ""

    @property
    def field(self) -> str:
        """The column's name in the loaded frame: ``key``, else ``name``."""
        return self.key or self.name


@dataclass(frozen=True)
class Table:
    """A table a kommun fills in: its template, its documentation and the reading of its header.

    Parameters
    ----------
    kind : str
        File stem and sheet name, e.g. ``"platser"`` (``platser.csv``, ``platser.xlsx``).
    title, purpose : str
        Swedish heading and one paragraph on what a row is, for the documentation.
    columns : tuple of Column
        In template order.
    rows : tuple of tuples of str
        The template's example rows, one cell per column.
    templates : str
        The folder of the committed template files, named in fixes (``start from
        data/templates/platser.csv``).
    names : tuple of str
        Other accepted file stems and sheet names (e.g. ``"åtaganden"`` for ``"ataganden"``).
    description : str
        Swedish description of the file in a report's provenance, e.g. "Platsregister".
    noun : str
        What the table is called in errors: "the folder has no places register".
    row_noun : str
        What a row is, in errors: "add platser.csv … with one row per place".

    Examples
    --------
    >>> t = Table("frukt", "Frukt", "En rad per frukt.", (Column("namn", True, "Namnet."),), names=("fruit",))
    >>> t.header, t.is_named("Fruit"), t.lookup
    (['namn'], True, {'namn': 'namn'})
    """

    kind: str
    title: str
    purpose: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    templates: str = "data/templates"
    names: tuple[str, ...] = ()
    description: str = ""
    noun: str = "table"
    row_noun: str = "row"

    def __post_init__(self) -> None:
        fields = [c.field for c in self.columns]
        if len(set(fields)) != len(fields):
            raise ValueError(f"table {self.kind}: two columns share a name ({fields})")
        bad = [r for r in self.rows if len(r) != len(self.columns)]
        if bad:
            raise ValueError(f"table {self.kind}: an example row has {len(bad[0])} cells, not {len(self.columns)}")

    @property
    def header(self) -> list[str]:
        """Column names in template order."""
        return [c.name for c in self.columns]

    @property
    def fields(self) -> list[str]:
        """The columns' names in the loaded frame (:attr:`Column.field`), in template order."""
        return [c.field for c in self.columns]

    @property
    def lookup(self) -> dict[str, str]:
        """Every accepted header, normalised → the column's field."""
        return {normalise(name): c.field for c in self.columns for name in (c.name, *c.aliases)}

    def is_named(self, stem: str) -> bool:
        """True when a file stem or sheet name is this table's kind or one of its other names."""
        return normalise(stem) in {normalise(n) for n in (self.kind, *self.names)}

    def read(self, path: str | Path) -> tuple[pd.DataFrame, dict[str, str]]:
        """Read a file of this table and check its header.

        Parameters
        ----------
        path : str or Path
            CSV or Excel. An Excel file is read from the sheet named after the table (:meth:`is_named`),
            else from its first sheet.

        Returns
        -------
        (pandas.DataFrame, dict)
            The cells as text, columns renamed to their fields, every column of the template present
            (optional columns left out are empty), index = spreadsheet row; ``attrs``: ``file`` and
            ``absent`` (the fields of the optional columns the file does not have). The dict maps each
            field to its header as the user wrote it (a field's own name when absent), for errors.

        Raises
        ------
        InputError
            Row 1: a column that is not in the template, two columns that mean the same, required
            columns missing; and every error of :func:`lagesbild.sources.readers.read_table`.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> t = Table("frukt", "Frukt", "En rad per frukt.", (Column("namn", True, "Namnet."),
        ...     Column("antal", False, "Antal.", aliases=("st",))))
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "frukt.csv"
        >>> _ = p.write_text("NAMN;st\\näpple;3\\n", encoding="utf-8")
        >>> df, headers = t.read(p)
        >>> df.loc[2].tolist(), headers
        (['äpple', '3'], {'namn': 'NAMN', 'antal': 'st'})
        >>> _ = p.write_text("antal\\n3\\n", encoding="utf-8")
        >>> t.read(p)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        lagesbild.core.errors.InputError: ...frukt.csv, row 1: required column(s) missing: namn. Fix: add the column(s) to the header row (found: antal); start from data/templates/frukt.csv.
        """
        path = Path(path)
        sheet: str | int = 0
        if path.suffix.lower() in EXCEL_SUFFIXES and path.exists():
            try:
                with pd.ExcelFile(path) as book:
                    names = book.sheet_names
            except (ValueError, OSError, KeyError, zipfile.BadZipFile):
                names = []  # read_table below reports the broken file with its fix
            sheet = next((n for n in names if self.is_named(n)), 0)
        df = read_table(path, sheet=sheet)
        lookup = self.lookup
        headers: dict[str, str] = {}
        for col in df.columns:
            field = lookup.get(normalise(col))
            if field is None:
                raise InputError(
                    path, f"unknown column {plain(col)}",
                    f"rename it to one of the template's columns ({', '.join(self.header)}) or delete it; "
                    f"see {self.templates}/README.md", row=1, column=str(col))
            if field in headers:
                raise InputError(path, f"the columns {plain(headers[field])} and {plain(col)} mean the same thing",
                                 "keep one of them", row=1, column=str(col))
            headers[field] = str(col)
        df = df.rename(columns={v: k for k, v in headers.items()})
        missing = [c.name for c in self.columns if c.required and c.field not in df.columns]
        if missing:
            raise InputError(
                path, f"required column(s) missing: {', '.join(missing)}",
                f"add the column(s) to the header row (found: {', '.join(map(str, headers.values()))}); "
                f"start from {self.templates}/{self.kind}.csv", row=1)
        absent = [c.field for c in self.columns if c.field not in df.columns]
        for field in absent:
            df[field] = ""
            headers[field] = self.column(field).name
        df = df[self.fields]
        df.attrs.update(file=str(path), absent=absent)
        return df, headers

    def excel_percent_cells(self, path: str | Path, fields: Iterable[str]) -> dict[str, set[int]]:
        """The rows whose cell of each field is a number formatted as a percentage in an Excel table.

        Excel stores 24,5 % typed into a cell formatted as a percentage as 0,245: a loader reads such a
        cell as the per cent the user sees. The sheet is the one :meth:`read` reads (named after the
        table, else the first); a CSV has no formats (empty sets).

        Parameters
        ----------
        path : str or Path
        fields : iterable of str
            The table's fields, e.g. ``("andel", "nedre")``.

        Returns
        -------
        dict
            Field → spreadsheet rows (the header is row 1).

        Examples
        --------
        >>> import tempfile, pathlib, openpyxl
        >>> t = Table("enkat", "Enkät", "En rad per värde.", (Column("kommun", True, "Kod."), Column("andel", True, "%."),
        ...                                                   Column("nedre", False, "%.")))
        >>> wb = openpyxl.Workbook(); ws = wb.active
        >>> ws.append(["kommun", "Andel"]); ws.append(["1283", 0.245]); ws.append(["1283", 12.0])
        >>> ws["B2"].number_format = "0.0%"
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkat.xlsx"; wb.save(p)
        >>> t.excel_percent_cells(p, ["andel", "nedre"])
        {'andel': {2}, 'nedre': set()}
        """
        import openpyxl

        path = Path(path)
        out: dict[str, set[int]] = {f: set() for f in fields}
        if path.suffix.lower() not in EXCEL_SUFFIXES or not path.exists():
            return out
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            return out  # read() reports the broken file with its fix
        try:
            sheet = next((book[n] for n in book.sheetnames if self.is_named(n)), book.worksheets[0])
            lookup = self.lookup
            columns: dict[int, str] = {}
            for i, row in enumerate(sheet.iter_rows(), start=1):
                if i == 1:
                    columns = {j: lookup.get(normalise(c.value), "") for j, c in enumerate(row) if c.value is not None}
                    continue
                for j, c in enumerate(row):
                    field = columns.get(j, "")
                    if (field in out and isinstance(c.value, int | float) and not isinstance(c.value, bool)
                            and "%" in str(getattr(c, "number_format", ""))):
                        out[field].add(i)
        finally:
            book.close()
        return out

    def column(self, field: str) -> Column:
        """The column whose field is ``field`` (KeyError if none)."""
        for c in self.columns:
            if c.field == field:
                return c
        raise KeyError(field)

    def csv_text(self, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> str:
        """The text of a ``;``-separated CSV of this table with the template header (UTF-8 BOM included).

        Parameters
        ----------
        rows : iterable of mappings or sequences
            A mapping is keyed by column name, alias or field; missing keys are empty cells. A
            sequence holds the cells in template order. None and NaN are written as empty cells.

        Raises
        ------
        ValueError
            An unknown column, or a sequence of the wrong length.

        Examples
        --------
        >>> t = Table("frukt", "Frukt", "", (Column("namn", True, ""), Column("antal", False, "", aliases=("st",))))
        >>> t.csv_text([{"St": 2}, ("päron", None)]).splitlines()
        ['\\ufeffnamn;antal', ';2', 'päron;']
        """
        return template_csv_text(self.header, rows, lookup=self.lookup, key=normalise, canonical=self.fields,
                                 kind=self.kind)

    def write_csv(self, path: str | Path, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> None:
        """Write rows as a template-shaped CSV (``;``, UTF-8 with BOM), atomically (see :meth:`csv_text`).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> t = Table("frukt", "Frukt", "", (Column("namn", True, ""),))
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "frukt.csv"
        >>> t.write_csv(p, [("äpple",)])
        >>> p.read_text(encoding="utf-8-sig")
        'namn\\näpple\\n'
        """
        atomic_write_text(path, self.csv_text(rows))


def table(kind: str, title: str, purpose: str, columns: Sequence[tuple | Column],
          rows: Sequence[tuple[str, ...]] = (), **options) -> Table:
    """Declare a :class:`Table` compactly: each column's example is its first non-empty cell in ``rows``.

    Parameters
    ----------
    kind, title, purpose : str
        As :class:`Table`.
    columns : sequence
        Each a :class:`Column` (kept as it is), or a tuple ``(name, required, description, *aliases)``.
    rows : sequence of tuples of str
        The example rows.
    **options
        The other fields of :class:`Table` (``templates``, ``names``, ``description``, ``noun``, ``row_noun``).

    Examples
    --------
    >>> t = table("frukt", "Frukt", "", [("namn", True, "Namnet.", "frukt"), ("antal", False, "Antal.")],
    ...           [("äpple", ""), ("päron", "2")])
    >>> [(c.name, c.example, c.aliases) for c in t.columns]
    [('namn', 'äpple', ('frukt',)), ('antal', '2', ())]
    """
    cols = []
    for j, col in enumerate(columns):
        example = next((r[j] for r in rows if r[j]), "")
        if isinstance(col, Column):
            cols.append(col if col.example else Column(col.name, col.required, col.description, example,
                                                         col.aliases, col.key))
        else:
            name, required, description, *aliases = col
            cols.append(Column(name, required, description, example, tuple(aliases)))
    return Table(kind, title, purpose, tuple(cols), tuple(tuple(r) for r in rows), **options)


# ============================================================================================
# Checking cells
# ============================================================================================


@dataclass(frozen=True)
class Rule:
    """A check of every cell of a column.

    Parameters
    ----------
    ok : callable
        Text series → boolean series, True where the cell is fine.
    problem : callable
        The failing cell's text → what is wrong, e.g. "'x' is not a date".
    fix : str
        What the user should do.
    """

    ok: Callable[[pd.Series], pd.Series]
    problem: Callable[[str], str]
    fix: str


#: A cell that must not be empty.
NOT_EMPTY = Rule(is_filled, lambda v: "the cell is empty", "fill in a value; this column cannot be empty")


def in_vocabulary(allowed: Iterable[str], aliases: Mapping[str, str] | None = None) -> Callable[[pd.Series], pd.Series]:
    """A :attr:`Rule.ok`: True where the cell is one of ``allowed`` or an alias, compared by :func:`normalise`.

    Examples
    --------
    >>> in_vocabulary(["polis", "kommun"], {"polisen": "polis"})(pd.Series(["Polisen", "Kommun ", "Anna"])).tolist()
    [True, True, False]
    """
    names = {normalise(a) for a in allowed} | {normalise(a) for a in (aliases or {})}
    return lambda s: s.map(normalise).isin(names)


def vocabulary(allowed: Sequence[str], aliases: Mapping[str, str] | None, what: str) -> Rule:
    """A :class:`Rule` for a column with a controlled vocabulary: the problem names ``what``, the fix lists ``allowed``.

    Examples
    --------
    >>> rule = vocabulary(("före", "efter"), {"fore": "före"}, "survey period")
    >>> rule.problem("sedan"), rule.problem(""), rule.fix
    ("'sedan' is not a survey period", 'the survey period is empty', 'write one of: före, efter')
    """
    return Rule(in_vocabulary(allowed, aliases),
                lambda v: f"{plain(v)} is not a {what}" if v else f"the {what} is empty",
                f"write one of: {', '.join(allowed)}")


def canonical(values: pd.Series, allowed: Sequence[str], aliases: Mapping[str, str] | None = None) -> pd.Series:
    """Cells checked with :func:`in_vocabulary` → their spelling in ``allowed``.

    Examples
    --------
    >>> canonical(pd.Series(["Fore", "EFTER"]), ("före", "efter"), {"fore": "före"}).tolist()
    ['före', 'efter']
    """
    names = {normalise(a): a for a in allowed} | {normalise(k): v for k, v in (aliases or {}).items()}
    return values.map(lambda v: names[normalise(v)]).astype(str)


def kommun_rule(example: str = "1283 for Helsingborg", *, allow_empty: bool = False) -> Rule:
    """A :class:`Rule` for a kommun code: four digits of a real kommun (leading zero kept).

    Examples
    --------
    >>> rule = kommun_rule("2080 for Falun", allow_empty=True)
    >>> rule.ok(pd.Series(["2080", "114", ""])).tolist()
    [True, False, True]
    >>> rule.fix[:60]
    'write the SCB kommun code as four digits as text, e.g. 2080 '
    """
    fix = (f"write the SCB kommun code as four digits as text, e.g. {example} or 0114 "
           "(keep the leading zero; in Excel format the column as text)")
    if allow_empty:
        return Rule(lambda s: is_kommun_code(s) | (s.str.strip() == ""), kommun_code_problem, fix)
    return Rule(is_kommun_code, kommun_code_problem, fix)


def check_cells(df: pd.DataFrame, rules: Mapping[str, Rule], file: str, headers: Mapping[str, str]) -> None:
    """Check text cells column by column; raise the first failure (by row, then in the order of ``rules``).

    Parameters
    ----------
    df : pandas.DataFrame
        Text cells, as :meth:`Table.read` returns them (index = spreadsheet row).
    rules : mapping
        Field → :class:`Rule`.
    file : str
        Named in the error.
    headers : mapping
        Field → header as the user wrote it (named in the error).

    Raises
    ------
    InputError
        With the row, the column and the rule's problem and fix.

    Examples
    --------
    >>> df = pd.DataFrame({"namn": ["äpple", ""]}, index=[2, 3])
    >>> check_cells(df, {"namn": NOT_EMPTY}, "frukt.csv", {"namn": "Namn"})
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: frukt.csv, row 3, column 'Namn': the cell is empty. Fix: fill in a value; this column cannot be empty.
    """
    schema = pa.DataFrameSchema(
        {col: pa.Column(str, pa.Check(rule.ok, error=col)) for col, rule in rules.items()}, strict=False)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["check"].isin(list(rules))].copy()
        order = {c: i for i, c in enumerate(rules)}
        cases["_row"] = pd.to_numeric(cases["index"], errors="coerce")
        cases["_col"] = cases["check"].map(order)
        case = cases.sort_values(["_row", "_col"]).iloc[0]
        col = str(case["check"])
        value = "" if pd.isna(case["failure_case"]) else str(case["failure_case"])
        raise InputError(file, rules[col].problem(value), rules[col].fix,
                         row=int(case["_row"]), column=headers.get(col, col)) from None


def first_row(mask: pd.Series) -> int:
    """The spreadsheet row of the first True in ``mask`` (whose index is spreadsheet rows).

    Examples
    --------
    >>> first_row(pd.Series([False, True, True], index=[2, 3, 4]))
    3
    """
    return int(mask.index[mask.to_numpy()][0])


def first_repeat(keys: pd.Series) -> tuple[int, int] | None:
    """The rows of the first key that is written twice: (its first row, the row that repeats it), or None.

    Reading from the top, the repeat is the first row whose key came before.

    Examples
    --------
    >>> first_repeat(pd.Series(["a", "b", "b", "a"], index=[2, 3, 4, 5]))
    (3, 4)
    >>> first_repeat(pd.Series(["a", "b"])) is None
    True
    """
    repeat = keys.duplicated(keep="first")
    if not repeat.any():
        return None
    second = first_row(repeat)
    return first_row(keys == keys[second]), second


def check_unique(values: pd.Series, file: str, column: str, what: str, fix: str | None = None) -> None:
    """Raise at the first row that repeats a non-empty value of a column that must be unique, naming both rows.

    Parameters
    ----------
    values : pandas.Series
        The column's text (index = spreadsheet row).
    file, column : str
        Named in the error.
    what : str
        What the value is, e.g. "plats_id".
    fix : str, optional
        Default: every row needs its own ``what``.

    Examples
    --------
    >>> check_unique(pd.Series(["P1", "P2", "P1"], index=[2, 3, 4]), "platser.csv", "plats_id", "plats_id")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: platser.csv, row 4, column 'plats_id': plats_id 'P1' appears in rows 2 and 4. Fix: every row needs its own plats_id: renumber or delete one of the rows.
    """
    repeat = values.duplicated(keep="first") & (values != "")
    if not repeat.any():
        return
    second = first_row(repeat)
    first = first_row(values == values[second])
    raise InputError(file, f"{what} {plain(values[second])} appears in rows {first} and {second}",
                     fix or f"every row needs its own {what}: renumber or delete one of the rows",
                     row=second, column=column)


# ============================================================================================
# Parsing cells
# ============================================================================================

#: A date cell: ``2025-03-14``, or an Excel date read as ``2025-03-14 00:00:00``.
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?: 00:00:00)?$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2})(\.\d+)?)?$")


def numbers(df: pd.DataFrame, col: str, file: str, headers: Mapping[str, str], *, integer: bool = False,
            minimum: float | None = None, what: str = "value", fix: str = "") -> pd.Series:
    """Swedish numbers of one column (decimal comma, spaces; NaN for empty cells), optionally at least ``minimum``.

    Parameters
    ----------
    df : pandas.DataFrame
        Text cells, index = spreadsheet row.
    col : str
        The field.
    file : str
    headers : mapping
        Field → header as written.
    integer : bool
        Whole numbers only.
    minimum : float, optional
        Smallest allowed value; a smaller one is an error naming ``what`` with ``fix``.
    what, fix : str
        For the error of ``minimum`` (default fix: write the ``what`` as a number ``minimum`` or larger).

    Raises
    ------
    InputError
        A cell that is not a number (:func:`lagesbild.sources.readers.to_number`) or below ``minimum``.

    Examples
    --------
    >>> df = pd.DataFrame({"budget": ["1 400 000", "", "-5"]}, index=[2, 3, 4])
    >>> numbers(df.iloc[:2], "budget", "projekt.csv", {"budget": "budget_sek"}).tolist()
    [1400000.0, nan]
    >>> numbers(df, "budget", "projekt.csv", {"budget": "budget_sek"}, minimum=0, what="budget")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: projekt.csv, row 4, column 'budget_sek': budget '-5' is below 0. Fix: write the budget as a number 0 or larger.
    """
    out = to_number(df[col], file=file, column=headers[col], integer=integer)
    if minimum is not None:
        low = out.notna() & (out < minimum)
        if low.any():
            row = first_row(low)
            raise InputError(file, f"{what} {plain(df.loc[row, col])} is below {minimum:g}",
                             fix or f"write the {what} as a number {minimum:g} or larger", row=row,
                             column=headers[col])
    return out


def parse_dates(values: pd.Series, file: str, column: str, *, allow_future: bool = True) -> pd.Series:
    """ISO dates ``2025-03-14`` (or an Excel date, read as ``2025-03-14 00:00:00``) → datetime64[ns].

    With ``allow_future=False`` (what has happened: inspections, samples) a day after today is an
    error (:func:`not_in_future`).

    Examples
    --------
    >>> parse_dates(pd.Series(["2025-03-14", "2024-02-29 00:00:00"], index=[2, 3]), "f.csv", "datum").dt.day.tolist()
    [14, 29]
    >>> parse_dates(pd.Series(["14/3"], index=[2]), "f.csv", "datum")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: f.csv, row 2, column 'datum': '14/3' is not a date. Fix: write the date as ISO 8601, e.g. 2025-03-14 (in Excel: format the cell as a date).
    """
    text = values.str.strip()
    day = text.str.extract(DATE)[0]
    parsed = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        raise InputError(file, f"{plain(text[row])} is not a date" if text[row] else "the date is empty",
                         "write the date as ISO 8601, e.g. 2025-03-14 (in Excel: format the cell as a date)",
                         row=int(row), column=column)
    if not allow_future:
        not_in_future(parsed, text, file, column)
    return parsed.astype("datetime64[ns]")


def not_in_future(parsed: pd.Series, text: pd.Series, file: str, column: str) -> None:
    """Refuse a day after today.

    A mistyped year (2052 for 2025) would otherwise become the latest event and move every "latest …"
    and analysis period past all real data without a word.

    Examples
    --------
    >>> later = pd.Series([pd.Timestamp("2999-01-01")], index=[5])
    >>> not_in_future(later, later.astype(str), "f.csv", "datum")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: f.csv, row 5, column 'datum': '2999-01-01' is in the future (today is ...). Fix: correct the date (is the year mistyped?); the data can only hold what has happened.
    """
    tomorrow = pd.Timestamp(dt.date.today()) + pd.Timedelta(days=1)
    late = parsed >= tomorrow
    if late.any():
        row = parsed.index[late.to_numpy()][0]
        raise InputError(file, f"{plain(text[row])} is in the future (today is {dt.date.today().isoformat()})",
                         "correct the date (is the year mistyped?); the data can only hold what has happened",
                         row=int(row), column=column)


def parse_times(values: pd.Series, file: str, column: str) -> pd.Series:
    """Local date-times ``2025-03-14 22:15`` (``T``, seconds, ``22.15`` or an Excel time) → datetime64[ns].

    A time after the end of today is an error (see :func:`not_in_future`).

    Examples
    --------
    >>> parse_times(pd.Series(["2025-03-14 22.15", "2025-03-15T01:05:30"], index=[2, 3]), "f.csv", "tid").tolist()
    [Timestamp('2025-03-14 22:15:00'), Timestamp('2025-03-15 01:05:30')]
    >>> parse_times(pd.Series(["2025-03-14"], index=[2]), "f.csv", "tid")
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: f.csv, row 2, column 'tid': '2025-03-14' has no time of day. Fix: write date and time as 2025-03-14 22:15 (ISO 8601, Swedish local time; seconds optional).
    """
    text = values.str.strip()
    parts = text.str.extract(_DATETIME)
    iso = (parts[0] + " " + parts[1].str.zfill(2) + ":" + parts[2] + ":" + parts[3].fillna("00")
           + parts[4].fillna(""))
    parsed = pd.to_datetime(iso, format="ISO8601", errors="coerce")
    bad = parsed.isna()
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        cell = text[row]
        problem = ("the time is empty" if not cell else
                   f"{plain(cell)} has no time of day" if DATE.match(cell) else f"{plain(cell)} is not a date and time")
        raise InputError(file, problem,
                         "write date and time as 2025-03-14 22:15 (ISO 8601, Swedish local time; seconds optional)",
                         row=int(row), column=column)
    not_in_future(parsed, text, file, column)
    return parsed.dt.round("s").astype("datetime64[ns]")


# ============================================================================================
# Template documents
# ============================================================================================


def instructions_rows(tables: Iterable[Table], title: str, text: str) -> list[InstructionRow]:
    """The ``Instruktioner`` sheet's opening and one section per table; a domain appends its own rules.

    Each section is the table's kind and title with its purpose, a "Kolumn" row, one row per column
    (name, "ja"/"nej" for a required column, description, example) and an empty row.

    Examples
    --------
    >>> t = Table("frukt", "Frukt", "En rad per frukt.", (Column("namn", True, "Namnet.", "äpple"),))
    >>> for row in instructions_rows([t], "Mall för frukt", "Fyll i bladet."):
    ...     print(row)
    ('Mall för frukt', '', 'Fyll i bladet.', '')
    ('', '', '', '')
    ('frukt – Frukt', '', 'En rad per frukt.', '')
    ('Kolumn', 'Obligatorisk kolumn', 'Beskrivning', 'Exempel')
    ('namn', 'ja', 'Namnet.', 'äpple')
    ('', '', '', '')
    """
    rows: list[InstructionRow] = [(title, "", text, ""), BLANK]
    for t in tables:
        rows.append((f"{t.kind} – {t.title}", "", t.purpose, ""))
        rows.append(("Kolumn", "Obligatorisk kolumn", "Beskrivning", "Exempel"))
        rows += [(c.name, "ja" if c.required else "nej", c.description, c.example) for c in t.columns]
        rows.append(BLANK)
    return rows


def files_markdown(tables: Iterable[Table], metadata_keys: Mapping[str, str] | None = None) -> list[str]:
    """The README's table of files: one line per table and, given its keys, one for ``metadata.yaml``.

    Examples
    --------
    >>> t = Table("frukt", "Frukt", "", (Column("namn", True, ""),))
    >>> print("\\n".join(files_markdown([t], {"datum": "when"})))
    | fil | innehåll |
    |---|---|
    | `frukt.csv` / `frukt.xlsx` | Frukt |
    | `metadata.yaml` | `datum`: when. Other keys are an error. |
    <BLANKLINE>
    """
    lines = ["| fil | innehåll |", "|---|---|"]
    lines += [f"| `{t.kind}.csv` / `{t.kind}.xlsx` | {markdown_cell(t.title)} |" for t in tables]
    if metadata_keys is not None:
        lines.append("| `metadata.yaml` | " + "; ".join(f"`{k}`: {v}" for k, v in metadata_keys.items())
                     + ". Other keys are an error. |")
    return [*lines, ""]


def columns_markdown(t: Table) -> list[str]:
    """The README's section of a table: heading, purpose and one row per column (with its other headers).

    Examples
    --------
    >>> t = Table("frukt", "Frukt", "En rad per frukt.", (Column("namn", True, "Namn | art.", "äpple", ("art",)),))
    >>> print("\\n".join(columns_markdown(t)))
    ## `frukt` – Frukt
    <BLANKLINE>
    En rad per frukt.
    <BLANKLINE>
    | kolumn | obligatorisk kolumn | beskrivning | exempel |
    |---|---|---|---|
    | namn | ja | Namn \\| art. (eller `art`) | äpple |
    <BLANKLINE>
    """
    lines = [f"## `{t.kind}` – {t.title}", "", t.purpose, "",
             "| kolumn | obligatorisk kolumn | beskrivning | exempel |", "|---|---|---|---|"]
    for c in t.columns:
        alias = f" (eller `{'`, `'.join(c.aliases)}`)" if c.aliases else ""
        lines.append(f"| {c.name} | {'ja' if c.required else 'nej'} | {markdown_cell(c.description)}{alias} | "
                     f"{markdown_cell(c.example)} |")
    return [*lines, ""]


def generated_note(function: str, declaration: str, module_file: str) -> str:
    """The README's first note: which function writes it and where to edit instead.

    Examples
    --------
    >>> generated_note("lagesbild.places.data.write_templates", "TEMPLATES", "lib/lagesbild/places/data.py")[:50]
    '<!-- Generated by lagesbild.places.data.write_temp'
    """
    return (f"<!-- Generated by {function}(); do not edit by hand: edit {declaration} in {module_file} and run the "
            "function again. -->")


def write_templates(folder: str | Path, tables: Iterable[Table], *, workbook_name: str, workbook: bytes,
                    readme: str) -> list[Path]:
    """Write a set of templates: each table's CSV with its example rows, the workbook and ``README.md``, atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/wastewater``.
    tables : iterable of Table
    workbook_name : str
        File name of the workbook, e.g. ``mallar.xlsx``.
    workbook : bytes
        Its content (:func:`lagesbild.core.workbook.template_workbook`).
    readme : str
        The README's Markdown.

    Returns
    -------
    list of Path
        The CSVs in table order, the workbook, the README.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> t = Table("frukt", "Frukt", "", (Column("namn", True, ""),), rows=(("äpple",),))
    >>> written = write_templates(pathlib.Path(tempfile.mkdtemp()), [t], workbook_name="frukt.xlsx",
    ...                           workbook=b"PK", readme="# Frukt\\n")
    >>> [p.name for p in written], written[0].read_text(encoding="utf-8-sig")
    (['frukt.csv', 'frukt.xlsx', 'README.md'], 'namn\\näpple\\n')
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for t in tables:
        path = folder / f"{t.kind}.csv"
        t.write_csv(path, t.rows)
        written.append(path)
    xlsx = folder / workbook_name
    atomic_write_bytes(xlsx, workbook)
    readme_path = folder / "README.md"
    atomic_write_text(readme_path, readme)
    return [*written, xlsx, readme_path]


__all__ = [
    "BLANK", "DATE", "NOT_EMPTY", "Column", "InstructionRow", "Rule", "Table", "canonical", "cell_text", "check_cells",
    "check_unique", "columns_markdown", "files_markdown", "first_repeat", "first_row", "generated_note",
    "in_vocabulary", "instructions_rows", "is_filled", "kommun_rule", "normalise", "not_in_future", "numbers",
    "parse_dates", "parse_times", "table", "vocabulary", "write_templates",
]
