"""Deterministic workbooks: the same content gives the same bytes.

:func:`deterministic_xlsx` saves any openpyxl workbook with fixed document dates and zip entry times;
it writes the report's table downloads (:mod:`lagesbild.render.report`) and the template workbooks.
:func:`template_workbook` is the one writer of the templates of the kommun's own tables (one sheet per
table plus an ``Instruktioner`` sheet, declared with :mod:`lagesbild.inputs.tables`), so they look
alike and the committed ``.xlsx`` files can be compared with what the code writes today;
:func:`template_csv_text` writes their CSV.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence

#: The document dates every template workbook carries (a fixed date: the same templates give the same bytes).
WORKBOOK_DATE = dt.datetime(2025, 1, 1)


def markdown_cell(text: str | None) -> str:
    """Text for a cell of a Markdown table: ``|`` escaped, None or empty as an empty cell.

    Examples
    --------
    >>> print(markdown_cell("ja | nej"))
    ja \\| nej
    >>> markdown_cell(None)
    ''
    """
    return text.replace("|", "\\|") if text else ""


def default_column_width(col) -> float:
    """A template column's width: its name or example plus a margin, between 12 and 40.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> default_column_width(T(name="kommun_kod", example="1283")), default_column_width(T(name="x" * 60, example=""))
    (13, 40)
    """
    return max(12, min(40, max(len(col.name), len(col.example)) + 3))


def section_titles(instructions: Sequence[Sequence[str]]) -> set[str]:
    """The instruction rows that are section titles: a first cell, no second, not ending in a full stop.

    Examples
    --------
    >>> sorted(section_titles([("Filen", "", "", ""), ("kommun_kod", "ja", "Kod", ""), ("Se ovan.", "", "", "")]))
    ['Filen']
    """
    return {r[0] for r in instructions if r[0] and not r[1] and not r[0].endswith(".")}


def deterministic_xlsx(workbook) -> bytes:
    """Save an openpyxl workbook as ``.xlsx`` bytes with fixed document dates and zip entry times.

    ``save_workbook()`` stamps the current time into the document and the zip entries, so two saves
    of one table differ; here the document dates are :data:`WORKBOOK_DATE`, the creator is
    "lägesbild" and every zip entry is dated 1980-01-01.

    Parameters
    ----------
    workbook : openpyxl.Workbook
        The workbook; its document properties are set in place.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import openpyxl
    >>> wb = openpyxl.Workbook()
    >>> wb.active["A1"] = "kommun"
    >>> deterministic_xlsx(wb) == deterministic_xlsx(wb)
    True
    """
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.creator = "lägesbild"
    workbook.properties.created = WORKBOOK_DATE
    workbook.properties.modified = WORKBOOK_DATE
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # save_workbook() would stamp "modified" with the current time
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def template_workbook(templates: Iterable, instructions: Sequence[Sequence[str]], *,
                      column_width: Callable[[object], float] = default_column_width,
                      instruction_widths: Sequence[float] = (32, 20, 100, 30),
                      titles: set[str] | None = None) -> bytes:
    """An ``.xlsx`` with one sheet per template (bold header, example rows stored as text) and instructions.

    Parameters
    ----------
    templates : iterable of Table
        Each with ``kind`` (the sheet name), ``header``, ``rows`` and ``columns`` (see
        :class:`lagesbild.inputs.tables.Table`).
    instructions : sequence of rows
        The ``Instruktioner`` sheet, four cells per row; descriptions (third cell) wrap.
    column_width : callable
        Width of a template column, from its :class:`~lagesbild.inputs.tables.Column`
        (default :func:`default_column_width`).
    instruction_widths : sequence of float
        Widths of the instruction sheet's four columns.
    titles : set of str, optional
        First cells of the instruction rows to set in bold (section titles; default
        :func:`section_titles`); "Kolumn" rows always are.

    Returns
    -------
    bytes
        Deterministic: fixed document dates and zip entry times.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> t = T(kind="platser", header=["plats_id"], rows=[("P1",)], columns=[T(name="plats_id", example="P1")])
    >>> a = template_workbook([t], [("Titel", "", "Text", "")], column_width=lambda c: 12,
    ...                       instruction_widths=(30, 20, 80, 30), titles={"Titel"})
    >>> a == template_workbook([t], [("Titel", "", "Text", "")], column_width=lambda c: 12,
    ...                        instruction_widths=(30, 20, 80, 30), titles={"Titel"})
    True
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font

    titles = section_titles(instructions) if titles is None else titles
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for template in templates:
        ws = wb.create_sheet(template.kind)
        ws.append(template.header)
        for row in template.rows:
            ws.append(list(row))
        for j, col in enumerate(template.columns, start=1):
            ws.cell(1, j).font = bold
            ws.column_dimensions[ws.cell(1, j).column_letter].width = column_width(col)
        for row_cells in ws.iter_rows(min_row=2):
            for cell in row_cells:
                cell.number_format = "@"  # text: keeps 0114, ids, dates and decimal commas as written
    ws = wb.create_sheet("Instruktioner")
    for row in instructions:
        ws.append(list(row))
    for letter, width in zip("ABCD", instruction_widths, strict=True):
        ws.column_dimensions[letter].width = width
    for row_cells in ws.iter_rows():
        row_cells[2].alignment = Alignment(wrap_text=True, vertical="top")
        if row_cells[0].value in titles or row_cells[0].value == "Kolumn":
            row_cells[0].font = bold
    return deterministic_xlsx(wb)


def template_csv_text(header: Sequence[str], rows: Iterable, *, lookup: Mapping[str, str],
                      key: Callable[[str], str], canonical: Sequence[str] | None = None, kind: str = "") -> str:
    """The text of a ``;``-separated template CSV (UTF-8 BOM included): the one writer behind
    :meth:`lagesbild.inputs.tables.Table.csv_text` (places, lab results, projects, trygghetsmätning, åtgärdsplan).

    Parameters
    ----------
    header : sequence of str
        The template's header, written as the first row.
    rows : iterable of mappings or sequences
        A mapping is keyed by column name or alias (resolved with ``lookup[key(name)]``); missing
        keys are empty cells. A sequence holds the cells in header order. None and NaN are empty cells.
    lookup : mapping
        Normalised header or alias → canonical column name.
    key : callable
        The normaliser ``lookup`` is keyed by.
    canonical : sequence of str, optional
        Canonical name of each header column (default: the header itself).
    kind : str
        The table's kind, named in error messages.

    Raises
    ------
    ValueError
        An unknown column, or a sequence of the wrong length.

    Examples
    --------
    >>> text = template_csv_text(["a", "b"], [{"B": 2}, (1, None)], lookup={"a": "a", "b": "b"}, key=str.lower)
    >>> text.splitlines()
    ['\ufeffa;b', ';2', '1;']
    """
    import csv
    import math

    canonical = list(canonical) if canonical is not None else list(header)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if isinstance(row, Mapping):
            by_key = {lookup.get(key(k), k): v for k, v in row.items()}
            unknown = set(by_key) - set(canonical)
            if unknown:
                raise ValueError(f"csv_text: unknown column(s){' for ' + kind if kind else ''}: {sorted(unknown)}")
            cells = [by_key.get(c) for c in canonical]
        else:
            cells = list(row)
            if len(cells) != len(header):
                raise ValueError(f"csv_text: {kind + ' ' if kind else ''}rows need {len(header)} cells, got {len(cells)}")
        writer.writerow(["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in cells])
    return "\ufeff" + buf.getvalue()
