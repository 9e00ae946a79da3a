"""Display helpers for report notebooks: escaped text, accessible tables, figures and maps.

Every helper builds an HTML string, shows it in the notebook (as ``text/html`` through
``IPython.display``) and returns it, so it can be tested without a kernel. Outside IPython
(plain Python, pytest, doctests) nothing is displayed and the string is only returned.

The returned string is an :class:`HTMLString`: a ``str`` that Jupyter does not echo as
``Out[…]`` when a helper is the last line of a cell (the helper has already displayed it).

All text passed in is plain text and is escaped; nothing here accepts raw HTML from the caller.

Accessibility (WCAG 2.1 AA): tables have a caption, column headings and row headings, and scroll
inside a labelled region; figures need an alt text that states the finding; maps are titled
iframes with the finding in words. A table can carry its own CSV and Excel downloads
(``table(..., download="namn")``), as ``data:`` links that work offline and hold exactly what the
page shows, masked counts included. Styling: the classes used here (``lb-…``) are defined in the report stylesheet
``templates/lagesbild_offline/static/lagesbild.css``, which the export template inlines once
per report (see :mod:`lagesbild.publish.export`); the notebooks need not include it.

Examples
--------
>>> paragraph("Brotten ökade <kraftigt>.")
'<p>Brotten ökade &lt;kraftigt&gt;.</p>'
"""

from __future__ import annotations

import base64
import csv
import html
import io
import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from lagesbild.core import fmt, privacy
from lagesbild.core.files import json_safe as _json_safe
from lagesbild.core.fmt import plain
from lagesbild.core.workbook import WORKBOOK_DATE, deterministic_xlsx
from lagesbild.render import pngs
from lagesbild.render.hyphens import soft_hyphens

__all__ = ["KEY_FIGURES_MIME", "HTMLString", "heading", "paragraph", "bullets", "callout", "source", "table",
           "table_csv", "table_xlsx", "download_links", "file_name", "figure", "map_figure", "key_figures",
           "display_private", "provenance"]

#: Callout kinds and their visible labels (the label, not colour, tells them apart).
#: MIME type of the (invisible) output that carries a report's key figures; see :func:`key_figures`
#: and :func:`lagesbild.publish.export.extract_key_figures`.
KEY_FIGURES_MIME = "application/vnd.lagesbild.key-figures+json"

CALLOUT_LABELS = {"info": "Information", "warning": "Observera", "example": "EXEMPELDATA"}


class HTMLString(str):
    """A ``str`` of HTML that IPython does not echo again as a cell's result.

    Examples
    --------
    >>> s = HTMLString("<p>x</p>")
    >>> s == "<p>x</p>", isinstance(s, str)
    (True, True)
    """

    __slots__ = ()

    def _ipython_display_(self) -> None:
        # The helper that returned this has displayed it already; echoing it as Out[…] would
        # show it twice (or as a quoted string).
        return None


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _require_text(value, what: str) -> str:
    if value is None or not str(value).strip():
        raise ValueError(f"{what} must not be empty")
    return str(value).strip()


def _show(markup: str) -> HTMLString:
    """Display HTML in the running IPython (if any) and return it."""
    result = HTMLString(markup)
    try:
        from IPython import get_ipython
    except ImportError:  # IPython not installed: nothing can display, the string is still returned
        return result
    if get_ipython() is not None:
        from IPython.display import HTML, display

        display(HTML(markup))
    return result


# --------------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------------

def heading(text: str, level: int = 2) -> str:
    """A heading ``<h1>``–``<h6>``.

    Parameters
    ----------
    text : str
        Plain text, escaped.
    level : int
        1–6. Reports have one ``<h1>`` (the report title); sections use 2, subsections 3.

    Returns
    -------
    str

    Examples
    --------
    >>> heading("Brott i <Malmö>", 2)
    '<h2>Brott i &lt;Malmö&gt;</h2>'
    """
    if level not in range(1, 7):
        raise ValueError(f"heading level must be 1–6, not {plain(level)}")
    return _show(f"<h{level}>{_esc(_require_text(text, 'heading text'))}</h{level}>")


def paragraph(text: str) -> str:
    """A paragraph of plain text (escaped).

    Parameters
    ----------
    text : str
        Plain text; must not be empty.

    Returns
    -------
    str

    Examples
    --------
    >>> paragraph('Se "tabell 1" & figur 2.')
    '<p>Se &quot;tabell 1&quot; &amp; figur 2.</p>'
    """
    return _show(f"<p>{_esc(_require_text(text, 'paragraph text'))}</p>")


def bullets(items: list[str]) -> str:
    """A bulleted list (each item escaped). An empty list is an error, not an empty list.

    Parameters
    ----------
    items : list of str
        Plain text items.

    Returns
    -------
    str

    Examples
    --------
    >>> bullets(["ett", "<två>"])
    '<ul><li>ett</li><li>&lt;två&gt;</li></ul>'
    """
    if isinstance(items, str) or not list(items):
        raise ValueError("bullets needs a non-empty list of strings")
    return _show("<ul>" + "".join(f"<li>{_esc(item)}</li>" for item in items) + "</ul>")


def callout(text: str, kind: str = "info") -> str:
    """A highlighted note with a visible label.

    Parameters
    ----------
    text : str
        Plain text, escaped.
    kind : {"info", "warning", "example"}
        Label "Information", "Observera" or "EXEMPELDATA" (for reports built on example data).

    Returns
    -------
    str

    Examples
    --------
    >>> callout("Siffrorna är påhittade.", "example")
    '<div class="lb-callout lb-callout-example" role="note"><strong class="lb-callout-label">EXEMPELDATA:</strong> Siffrorna är påhittade.</div>'
    """
    if kind not in CALLOUT_LABELS:
        raise ValueError(f"callout kind must be one of {sorted(CALLOUT_LABELS)}, not {plain(kind)}")
    return _show(
        f'<div class="lb-callout lb-callout-{kind}" role="note"><strong class="lb-callout-label">'
        f"{CALLOUT_LABELS[kind]}:</strong> {_esc(_require_text(text, 'callout text'))}</div>"
    )


def _source_text(text: str) -> str:
    text = _require_text(text, "source")
    return text if text.lower().startswith("källa") else f"Källa: {text}"


def source(text: str) -> str:
    """The "Källa: …" line under a section (the prefix is added unless the text has it).

    Parameters
    ----------
    text : str
        The source, e.g. "Brå, anmälda brott 2015–2024".

    Returns
    -------
    str

    Examples
    --------
    >>> source("Brå, anmälda brott 2015–2024")
    '<p class="lb-source">Källa: Brå, anmälda brott 2015–2024</p>'
    """
    return _show(f'<p class="lb-source">{_esc(_source_text(text))}</p>')


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------

def _is_number(value) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


def _is_masked(value) -> bool:
    """A count replaced by "färre än 3" (:func:`lagesbild.core.privacy.mask_small`): still a number column."""
    return isinstance(value, str) and value in (privacy.SMALL_LABEL, privacy.HIDDEN_LABEL)


def _column_formatter(values: list) -> Callable[[object], str]:
    """Default cell formatter for one column: Swedish numbers, Swedish dates, else ``str``."""
    numeric = [v for v in values if not _is_missing(v) and not _is_masked(v)]
    if numeric and all(_is_number(v) for v in numeric):
        floats = [float(v) for v in numeric if math.isfinite(float(v))]
        if not floats or all(f == round(f) for f in floats):
            decimals = 0
        elif max(abs(f) for f in floats) < 10:
            decimals = 2
        else:
            decimals = 1
        return lambda v: v if _is_masked(v) else fmt.number(None if _is_missing(v) else float(v), decimals)

    def text(v) -> str:
        if _is_missing(v):
            return "uppgift saknas"
        if isinstance(v, datetime | date):
            return fmt.day(v)
        return str(v)

    return text


#: Cell classes a table may give its cells (:func:`table_html` ``classes``), styled in ``lagesbild.css``: the
#: traffic light's two colours (:mod:`lagesbild.stats.indicators`) and an åtgärdsplan's status colours (Brå's
#: grön / gul / röd), never without a word in the cell that says the same.
CELL_CLASSES = {"sämre": "lb-worse", "bättre": "lb-better", "grön": "lb-status-green", "gul": "lb-status-yellow",
                "röd": "lb-status-red"}


def table_html(header: list[str], rows: list[list[str]], caption: str, *, numeric: list[bool] | None = None,
               row_headers: bool = False, source: str | None = None,
               classes: list[list[str | None]] | None = None) -> str:
    """An accessible table from already formatted plain-text cells (pure; nothing is displayed).

    Parameters
    ----------
    header : list of str
        Column headings (``<th scope="col">``).
    rows : list of list of str
        Cells as plain text; escaped here.
    caption : str
        The table's ``<caption>``; required.
    numeric : list of bool, optional
        Which columns to right-align.
    row_headers : bool
        Render each row's first cell as ``<th scope="row">``.
    source : str, optional
        "Källa: …" line under the table.
    classes : list of list of str or None, optional
        Per row and column a key of :data:`CELL_CLASSES` (or None) that colours the cell; the cell's
        text must carry the same meaning (colour is never the only carrier).

    Returns
    -------
    str

    Examples
    --------
    >>> print(table_html(["År", "Antal"], [["2024", "12"]], "Brott per år", numeric=[False, True]))
    <div class="lb-table-wrap" role="region" aria-label="Brott per år" tabindex="0"><table class="lb-table"><caption>Brott per år</caption>
    <thead><tr><th scope="col">År</th><th scope="col" class="lb-num">Antal</th></tr></thead>
    <tbody><tr><td>2024</td><td class="lb-num">12</td></tr></tbody></table></div>
    """
    caption = _require_text(caption, "table caption")
    numeric = numeric or [False] * len(header)
    if len(numeric) != len(header):
        raise ValueError("table_html: numeric must have one entry per column")

    def cls(j: int) -> str:
        return ' class="lb-num"' if numeric[j] else ""

    head = "".join(f'<th scope="col"{cls(j)}>{_esc(h)}</th>' for j, h in enumerate(header))
    if classes is not None and (len(classes) != len(rows) or any(len(c) != len(header) for c in classes)):
        raise ValueError("table_html: classes must have one entry per cell")
    body = []
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"table_html: a row has {len(row)} cells, the header {len(header)}")
        cells = []
        for j, cell in enumerate(row):
            tag = "th" if row_headers and j == 0 else "td"
            scope = ' scope="row"' if tag == "th" else ""
            key = classes[i][j] if classes is not None else None
            if key is not None and key not in CELL_CLASSES:
                raise ValueError(f"table_html: unknown cell class {plain(key)}; use one of {sorted(CELL_CLASSES)}")
            names = (["lb-num"] if numeric[j] else []) + ([CELL_CLASSES[key]] if key is not None else [])
            attrs = f' class="{" ".join(names)}"' if names else ""
            cells.append(f"<{tag}{scope}{attrs}>{_esc(cell)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    out = (
        f'<div class="lb-table-wrap" role="region" aria-label="{_esc(caption)}" tabindex="0">'
        f'<table class="lb-table"><caption>{_esc(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>{''.join(body)}</tbody></table></div>"
    )
    if source:
        out += f'\n<p class="lb-source">{_esc(_source_text(source))}</p>'
    return out


# --------------------------------------------------------------------------------------------
# downloads: the table as CSV and Excel, from the page itself
# --------------------------------------------------------------------------------------------

#: Largest download file (bytes, before base64) a table may carry; a bigger table is an error, not a slow page.
MAX_DOWNLOAD_BYTES = 256_000
#: MIME types of the two download formats.
CSV_MIME = "text/csv;charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Fixed document date of every downloaded workbook (the same table gives the same bytes).
XLSX_DATE = WORKBOOK_DATE

_DOWNLOAD_NAME = re.compile(r"^[\w-]{1,80}$")
# a number as fmt.number writes it: optional sign, thousands groups (no-break, narrow no-break or plain space),
# decimal comma
_SWEDISH_NUMBER = re.compile(r"^([+\-\u2212]?)(\d{1,3}(?:[\u00a0\u202f ]\d{3})+|\d+)(?:,(\d+))?$")
# what a table shows for a missing value (an empty cell in a download)
_MISSING_TEXTS = ("uppgift saknas", "–", "-", "")
# a cell Excel or LibreOffice would run as a formula (CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _swedish_number(text: str) -> int | Decimal | None:
    """The number a Swedish-formatted text shows, exactly (``Decimal`` keeps its decimals), or None."""
    match = _SWEDISH_NUMBER.match(text.strip())
    if match is None:
        return None
    sign, digits, decimals = match.groups()
    digits = re.sub(r"\D", "", digits)
    if len(digits) > 1 and digits.startswith("0"):  # a code such as "0114" is not a number
        return None
    negative = sign in ("-", "\u2212")
    if decimals is None:
        return -int(digits) if negative else int(digits)
    return Decimal(f"{'-' if negative else ''}{digits}.{decimals}")


def _download_cell(raw, text: str, custom: bool):
    """What a download holds for a table cell: exactly what the page shows, as data.

    A cell the page shows as a number becomes that number (as rounded on the page: never more
    digits than the reader sees); a date without a formatter its ISO date; a missing value an empty
    cell (unless a formatter wrote something else for it); everything else, masked counts ("färre än
    3") included, the page's text.
    """
    if _is_missing(raw) and text.strip() in _MISSING_TEXTS:
        return None
    if _is_number(raw) or isinstance(raw, str):
        number = _swedish_number(text)
        if number is not None:
            return number
    if not custom and isinstance(raw, datetime | date):
        return raw.date() if isinstance(raw, datetime) else raw
    return text


def _check_download_rows(header: Sequence[str], rows: Sequence[Sequence]) -> None:
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise ValueError(f"download: row {number} has {len(row)} cells, the header {len(header)}")


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_csv(header: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """A table as CSV that Swedish Excel opens right: UTF-8 with BOM, ``;`` between cells, decimal comma.

    Numbers (``int``, ``Decimal``, ``float``) are written without thousands separators and with a
    decimal comma, dates as ``YYYY-MM-DD``, ``None`` as an empty cell. Text that a spreadsheet would
    run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a
    leading ``'`` so that it stays text. Lines end with CRLF.

    Parameters
    ----------
    header : sequence of str
        Column headings.
    rows : sequence of sequences
        One cell per column: ``None``, ``int``, ``Decimal``, ``float``, ``datetime.date`` or text.

    Returns
    -------
    bytes

    Examples
    --------
    >>> from decimal import Decimal
    >>> data = table_csv(["Plats", "Antal", "Andel"], [["Torget; norr", 1234, Decimal("0.25")], ["=SUM(A1)", None, None]])
    >>> data[:3] == b"\\xef\\xbb\\xbf"
    True
    >>> print(data.decode("utf-8-sig").replace("\\r\\n", "|"))
    Plats;Antal;Andel|"Torget; norr";1234;0,25|'=SUM(A1);;|
    """
    _check_download_rows(header, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_text(h) for h in header])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(header: Sequence[str], rows: Sequence[Sequence], *, caption: str, source: str | None = None) -> bytes:
    """A table as an Excel workbook: sheet "Tabell" with the data, sheet "Om tabellen" with caption and source.

    Numbers are stored as numbers (a ``Decimal`` with its number of decimals as the cell format),
    dates as dates, ``None`` as an empty cell and text always as text (never as a formula). The
    header is bold and frozen. The bytes are deterministic.

    Parameters
    ----------
    header : sequence of str
    rows : sequence of sequences
        As for :func:`table_csv`.
    caption : str
        What the table shows (the report's caption).
    source : str, optional
        Its source, written as "Källa: …".

    Returns
    -------
    bytes

    Examples
    --------
    >>> import io, openpyxl
    >>> from decimal import Decimal
    >>> data = table_xlsx(["Plats", "Antal"], [["=1+1", Decimal("2.5")]], caption="Händelser", source="Polisen")
    >>> wb = openpyxl.load_workbook(io.BytesIO(data))
    >>> wb.sheetnames, [c.value for c in wb["Tabell"][2]], wb["Tabell"]["B2"].number_format
    (['Tabell', 'Om tabellen'], ['=1+1', 2.5], '0.0')
    >>> wb["Tabell"]["A2"].data_type, wb["Om tabellen"]["B2"].value
    ('s', 'Källa: Polisen')
    >>> data == table_xlsx(["Plats", "Antal"], [["=1+1", Decimal("2.5")]], caption="Händelser", source="Polisen")
    True
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font

    _check_download_rows(header, rows)
    caption = _require_text(caption, "table caption")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tabell"
    bold = Font(bold=True)
    widths = [len(str(h)) for h in header]

    def put(row: int, column: int, value) -> None:
        cell = ws.cell(row, column)
        if value is None:
            return
        if isinstance(value, Decimal):
            cell.value = float(value)
            places = -value.as_tuple().exponent
            cell.number_format = "0." + "0" * places if places > 0 else "0"
        elif isinstance(value, bool) or not isinstance(value, int | float | date):
            cell.value = str(value)
            cell.data_type = "s"  # text, even when it starts with "=": never a formula
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
        widths[column - 1] = max(widths[column - 1], len(_csv_text(value)))

    for j, name in enumerate(header, start=1):
        put(1, j, str(name))
        ws.cell(1, j).font = bold
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            put(i, j, value)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, j).column_letter].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"

    about = wb.create_sheet("Om tabellen")
    notes = [("Tabell", caption), ("Källa", _source_text(source) if source else "–")]
    flat = {v for row in rows for v in row if isinstance(v, str)}
    if privacy.SMALL_LABEL in flat or privacy.HIDDEN_LABEL in flat:
        notes.append(("Skyddade värden", f"\"{privacy.SMALL_LABEL}\" står för ett antal som är 1 eller 2; "
                      f"\"{privacy.HIDDEN_LABEL}\" för ett antal som skulle avslöja ett sådant. Antalen publiceras inte."))
    for row_number, (label, text) in enumerate(notes, start=1):
        about.cell(row_number, 1, label).font = bold
        cell = about.cell(row_number, 2)
        cell.value = text
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    return deterministic_xlsx(wb)


def _size_text(n_bytes: int) -> str:
    return f"{fmt.number(max(1, math.ceil(n_bytes / 1000)))}\u00a0kB"


def file_name(*parts) -> str:
    """A safe download file name from readable parts: ASCII letters and digits, words joined by ``_``.

    Swedish letters lose their marks (å → a, ö → o), everything else that is not a letter or digit
    becomes ``_``, and the result is cut to 80 characters. Use it for names that include user data
    (a project's id) so that :func:`download_links` accepts them.

    Parameters
    ----------
    *parts : object
        Joined with ``_``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If nothing usable is left.

    Examples
    --------
    >>> file_name("Händelser per område", "P/1 <b>")
    'handelser_per_omrade_p_1_b'
    """
    import unicodedata

    text = "_".join(str(p) for p in parts)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    name = re.sub(r"[^a-z0-9-]+", "_", ascii_text).strip("_-")[:80].rstrip("_-")
    if not name:
        raise ValueError(f"file_name: nothing usable in {plain(parts)} for a file name")
    return name


def download_links(name: str, header: Sequence[str], rows: Sequence[Sequence], *, caption: str,
                   source: str | None = None) -> str:
    """Links that download a table as CSV and as Excel, carried in the page as ``data:`` URIs (works offline).

    Parameters
    ----------
    name : str
        File name without extension: letters, digits, ``_`` and ``-`` (at most 80); the files are
        ``name.csv`` (:func:`table_csv`) and ``name.xlsx`` (:func:`table_xlsx`).
    header, rows
        As for :func:`table_csv`.
    caption : str
        The table's caption (written into the workbook).
    source : str, optional
        The table's source (written into the workbook).

    Returns
    -------
    str
        ``<p class="lb-download">`` with the two links, each naming its format and size.

    Raises
    ------
    ValueError
        If ``name`` is not a plain file name, or a file would be larger than
        :data:`MAX_DOWNLOAD_BYTES` (a table that big does not belong in a report page).

    Examples
    --------
    >>> out = download_links("brott_1283", ["År", "Antal"], [["2024", 12]], caption="Brott per år")
    >>> out.startswith('<p class="lb-download">Ladda ned tabellen: <a href="data:text/csv;charset=utf-8;base64,')
    True
    >>> 'download="brott_1283.csv"' in out, 'download="brott_1283.xlsx"' in out
    (True, True)
    >>> download_links("../x", ["a"], [], caption="T")
    Traceback (most recent call last):
    ...
    ValueError: download name '../x' must be 1–80 letters, digits, '_' or '-' (no extension)
    """
    if not isinstance(name, str) or not _DOWNLOAD_NAME.match(name):
        raise ValueError(f"download name {plain(name)} must be 1–80 letters, digits, '_' or '-' (no extension)")
    files = [("CSV", f"{name}.csv", CSV_MIME, table_csv(header, rows)),
             ("Excel", f"{name}.xlsx", XLSX_MIME, table_xlsx(header, rows, caption=caption, source=source))]
    links = []
    for label, filename, mime, data in files:
        if len(data) > MAX_DOWNLOAD_BYTES:
            raise ValueError(f"download {filename}: {len(data)} bytes is more than {MAX_DOWNLOAD_BYTES}; "
                             "offer a smaller table for download")
        encoded = base64.b64encode(data).decode("ascii")
        links.append(f'<a href="data:{mime};base64,{encoded}" download="{_esc(filename)}" type="{_esc(mime)}">'
                     f"{label} ({_size_text(len(data))})</a>")
    return f'<p class="lb-download">Ladda ned tabellen: {" · ".join(links)}</p>'


def _auto_row_headers(frame) -> bool:
    """The first column names its row: text in every row (not a masked count), all different."""
    if frame.shape[1] < 2 or frame.shape[0] == 0:
        return False
    first = frame.iloc[:, 0].tolist()
    return (all(isinstance(v, str) and v.strip() and not _is_masked(v) for v in first)
            and len(set(first)) == len(first))


def table(df, caption: str, source: str | None = None, index: bool = False,
          formatters: dict | None = None, *, row_headers: bool | None = None, download: str | None = None,
          cell_classes: dict | None = None, download_frame=None, hyphenate: bool = False) -> str:
    """Show a DataFrame as an accessible table, optionally with CSV and Excel downloads.

    ``<caption>``, ``<th scope="col">`` headings, row headings ``<th scope="row">`` (see
    ``row_headers``), escaped cells, numbers right-aligned in Swedish format (:func:`fmt.number`:
    0 decimals for whole numbers, otherwise 2 below 10 and 1 above), dates in Swedish, missing
    values as "uppgift saknas".

    Parameters
    ----------
    df : pandas.DataFrame
    caption : str
        Required: what the table shows.
    source : str, optional
        "Källa: …" line under the table.
    index : bool
        Include the index as the first column (row headers).
    formatters : dict, optional
        Column name → ``callable(value) -> str`` (plain text) overriding the default for that
        column. A name that is not a column is an error.
    row_headers : bool, optional
        Make each row's first cell a row heading (``<th scope="row">``), so a screen reader names
        the row with it. Default: yes with ``index=True`` or when the first column is text that
        differs in every row (a place, a category, a site); no otherwise.
    download : str, optional
        A file name (letters, digits, ``_``, ``-``; no extension): adds links under the table that
        download it as ``.csv`` and ``.xlsx`` (:func:`download_links`), from the page itself. The
        files hold exactly what the page shows (or ``download_frame``): numbers as the page rounds them (as numbers), a
        masked count as its text ("färre än 3"), a column with a formatter as its text unless that
        text is a number, dates as dates, missing values as empty cells.
    cell_classes : dict, optional
        Column name → one :data:`CELL_CLASSES` key (or None) per row, e.g. the traffic light's
        "sämre"/"bättre"; the cell's own text must say the same (symbol and word).
    download_frame : pandas.DataFrame, optional
        With ``download``: the rows to download instead of the shown ones, for a table that is also an
        input file (an åtgärdsplan downloads with every column its loader reads; the page shows them
        merged for the reader). Same number of rows as ``df``.
    hyphenate : bool
        For a table of prose in many columns (an åtgärdsplan): long words in the text columns get
        Swedish soft hyphens on the page (:func:`lagesbild.render.hyphens.soft_hyphens`), so the
        columns fit the page instead of the table scrolling sideways. Downloads keep the words whole.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"Brott": ["<b>Stöld</b>"], "Antal": [1234]})
    >>> out = table(df, "Anmälda brott 2024", source="Brå")
    >>> "&lt;b&gt;Stöld&lt;/b&gt;" in out, '<td class="lb-num">1\\u00a0234</td>' in out, "Källa: Brå" in out
    (True, True, True)
    >>> '<th scope="row">&lt;b&gt;Stöld' in out
    True
    >>> 'download="brott.csv"' in table(df, "Anmälda brott 2024", download="brott")
    True
    >>> "Stads\u00adbygg\u00adnads" in table(pd.DataFrame({"Ansvarig": ["Stadsbyggnadsförvaltningen"]}), "Plan",
    ...                                     hyphenate=True)
    True
    """
    formatters = dict(formatters or {})
    unknown = [c for c in formatters if c not in df.columns]
    if unknown:
        raise ValueError(f"table: formatters for unknown column(s) {unknown}; columns are {list(df.columns)}")
    frame = df.reset_index() if index else df
    header, columns, numeric, cells = [], [], [], []
    for position, name in enumerate(frame.columns):
        label = " – ".join(str(p) for p in name) if isinstance(name, tuple) else name
        values = frame.iloc[:, position].tolist()
        if index and position < (frame.columns.size - df.columns.size) and label in ("index", None):
            label = ""
        custom = formatters.get(name)
        fmt_fn = custom or _column_formatter(values)
        texts = [fmt_fn(v) for v in values]
        header.append(str(label))
        columns.append(texts)
        numeric.append(all(_is_number(v) or _is_missing(v) or _is_masked(v) for v in values)
                       and any(_is_number(v) for v in values))
        if download is not None:
            cells.append([_download_cell(v, str(t), custom is not None) for v, t in zip(values, texts, strict=True)])
    if hyphenate:  # the page only: the downloads were taken from the texts above
        columns = [texts if number else [soft_hyphens(t) for t in texts]
                   for texts, number in zip(columns, numeric, strict=True)]
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else []
    if row_headers is None:
        row_headers = bool(index) or _auto_row_headers(frame)
    classes = None
    if cell_classes:
        unknown = [c for c in cell_classes if c not in df.columns]
        if unknown:
            raise ValueError(f"table: cell_classes for unknown column(s) {unknown}; columns are {list(df.columns)}")
        names = list(frame.columns)
        classes = [[None] * len(names) for _ in range(len(frame))]
        for name, values in cell_classes.items():
            values = list(values)
            if len(values) != len(frame):
                raise ValueError(f"table: cell_classes[{plain(name)}] has {len(values)} entries for {len(frame)} rows")
            for i, v in enumerate(values):
                classes[i][names.index(name)] = v
    out = table_html(header, rows, caption, numeric=numeric, row_headers=row_headers, source=source, classes=classes)
    if download is not None and download_frame is not None:
        if len(download_frame) != len(frame):
            raise ValueError(f"table: download_frame has {len(download_frame)} rows for the table's {len(frame)}")
        header = [str(c) for c in download_frame.columns]
        cells = []
        for position in range(download_frame.columns.size):
            values = download_frame.iloc[:, position].tolist()
            texts = [_column_formatter(values)(v) for v in values]
            cells.append([_download_cell(v, t, False) for v, t in zip(values, texts, strict=True)])
    if download is not None:
        download_rows = [list(r) for r in zip(*cells, strict=True)] if cells else []
        out += "\n" + download_links(download, header, download_rows, caption=caption, source=source)
    return _show(out)


# --------------------------------------------------------------------------------------------
# figures and maps
# --------------------------------------------------------------------------------------------

def figure(fig, alt: str, caption: str, source: str) -> str:
    """Show a matplotlib figure as an inline PNG with alt text, caption and source.

    The figure is closed afterwards so Jupyter does not show it a second time.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        Alt text that states the finding ("Antalet stölder har halverats sedan 2015"), not
        "diagram".
    caption : str
        Visible caption.
    source : str
        Data source, shown as "Källa: …" in the caption.

    Returns
    -------
    str

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1)); _ = fig.add_subplot().plot([1, 2])
    >>> out = figure(fig, "Ökar från 1 till 2", "Figur 1. <Test>", "SCB")
    >>> 'alt="Ökar från 1 till 2"' in out, "Figur 1. &lt;Test&gt;" in out, "Källa: SCB" in out
    (True, True, True)
    """
    alt = _require_text(alt, "figure alt text")
    caption = _require_text(caption, "figure caption")
    source_text = _source_text(source)
    try:
        encoded = pngs.png_base64(fig)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return _show(
        f'<figure class="lb-figure"><img src="data:image/png;base64,{encoded}" alt="{_esc(alt)}">'
        f'<figcaption>{_esc(caption)}<span class="lb-source">{_esc(source_text)}</span></figcaption></figure>'
    )


def map_figure(m, title: str, alt: str, source: str) -> str:
    """Show a map from :mod:`lagesbild.render.maps` as a titled iframe with its text alternative and source.

    Parameters
    ----------
    m : folium.Map
        A map made with :func:`lagesbild.render.maps.choropleth` (or :func:`lagesbild.render.maps.make_offline`).
    title : str
        The iframe's accessible name, also shown in the caption.
    alt : str
        The finding in words, shown next to the map (the text alternative).
    source : str
        Shown as "Källa: …".

    Returns
    -------
    str
        See :func:`lagesbild.render.maps.map_html`.

    Examples
    --------
    >>> import folium
    >>> from lagesbild.render.maps import make_offline
    >>> out = map_figure(make_offline(folium.Map(tiles=None)), "Karta", "Tomt.", "Lantmäteriet")
    >>> out.startswith('<figure class="lb-map"><iframe title="Karta"'), "Källa: Lantmäteriet" in out
    (True, True)
    """
    from lagesbild.render.maps import map_html

    return _show(map_html(m, title, alt, source=_require_text(source, "map source")))


# --------------------------------------------------------------------------------------------
# key figures, provenance
# --------------------------------------------------------------------------------------------

def key_figures(figures: dict) -> None:
    """Hand the report's key figures to the runner (invisible in the HTML report).

    Displays ``figures`` with the MIME type :data:`KEY_FIGURES_MIME` only (``raw=True``); the
    export drops it and :func:`lagesbild.publish.export.extract_key_figures` collects it into
    ``<report>.json``. Values must be JSON-able: numpy scalars become Python numbers, dates ISO
    strings, NaN/NA ``null``; infinity and other objects raise.

    Parameters
    ----------
    figures : dict
        String keys; values numbers, strings, lists or dicts of these.

    Returns
    -------
    None

    Examples
    --------
    >>> key_figures({"antal": 3})  # outside a kernel this only validates
    """
    if not isinstance(figures, Mapping):
        raise TypeError(f"key_figures needs a dict, not {type(figures).__name__}")
    display_private(KEY_FIGURES_MIME, _json_safe(dict(figures)))


def display_private(mime: str, value: dict) -> None:
    """Display ``value`` for the runner only, with one private MIME type (``raw=True``; the export drops it).

    Outside a kernel nothing is displayed.

    Examples
    --------
    >>> display_private("application/vnd.lagesbild.inputs+json", {"kinds": []})
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is not None:
        from IPython.display import display

        display({mime: value}, raw=True)


def _param_text(value) -> str:
    """A parameter value as a reader sees it: lists joined with commas, an empty list as "–"."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "–"
    return str(value)


def provenance(files: list[dict], parameters: dict, package_version: str, git_commit: str | None,
               replaced=None) -> str:
    """The "Om underlaget" block every report ends with.

    Parameters
    ----------
    files : list of dict
        One per data file: ``name`` (required), ``description``, ``date`` (or ``vintage``),
        ``sha256`` (shown shortened to 12 characters).
    parameters : dict
        The notebook's parameters (shown as text).
    package_version : str
        ``lagesbild.__version__``.
    git_commit : str or None
        Commit of the code; ``None`` is shown as unknown.
    replaced : pandas.DataFrame, optional
        Values a newer file replaced (:meth:`lagesbild.sources.processed.Dataset.replaced_of`: ``file, over,
        region_code, year, item, old, new``): every one is listed in a table of its own.

    Returns
    -------
    str

    Examples
    --------
    >>> out = provenance([{"name": "bra.csv", "description": "<Brå>", "date": "2025-03-01", "sha256": "ab" * 32}],
    ...                  {"kommun": "1283"}, "0.1.0", None)
    >>> "&lt;Brå&gt;" in out, "abababababab" in out, "ab" * 13 in out, "okänd" in out
    (True, True, False, True)
    """
    file_rows = []
    for number, item in enumerate(files, start=1):
        if "name" not in item:
            raise ValueError(f"provenance: file {number} has no 'name'")
        vintage = item.get("date", item.get("vintage"))
        sha = item.get("sha256")
        file_rows.append([
            str(item["name"]),
            str(item.get("description") or "–"),
            fmt.day(vintage) if isinstance(vintage, date) else str(vintage or "–"),
            str(sha)[:12] if sha else "–",
        ])
    parts = ['<section class="lb-provenance" aria-label="Om underlaget"><h2>Om underlaget</h2>']
    if file_rows:
        parts.append(table_html(["Fil", "Beskrivning", "Datum/version", "SHA-256 (början)"], file_rows,
                                "Datafiler som rapporten bygger på", row_headers=True))
    else:
        parts.append("<p>Rapporten bygger inte på några datafiler.</p>")
    if replaced is not None and len(replaced):
        def shown(text) -> str:
            parts = [str(p).strip() for p in str(text).split(" / ")]
            out = []
            for part in parts:
                try:
                    x = float(part)
                except ValueError:
                    out.append(part or "–")
                    continue
                out.append(fmt.number(x, 0 if x.is_integer() else 1))
            return " / ".join(out)

        rep_rows = [[str(r["file"]), str(r["over"]), str(r["region_code"]),
                     "–" if _is_missing(r["year"]) else str(int(r["year"])), str(r["item"]), shown(r["old"]), shown(r["new"])]
                    for r in replaced.to_dict("records")]
        parts.append(table_html(["Fil", "Ersätter", "Region", "År", "Uppgift", "Tidigare värde", "Nytt värde"], rep_rows,
                                "Värden som en nyare fil har ersatt (den nyare filen gäller)"))
    param_rows = [[str(k), _param_text(v)] for k, v in sorted(parameters.items(), key=lambda kv: str(kv[0]))]
    if param_rows:
        parts.append(table_html(["Parameter", "Värde"], param_rows, "Parametrar för körningen", row_headers=True))
    commit = _esc(git_commit) if git_commit else "okänd (inte en git-checkout)"
    parts.append(
        f"<p>Skapad med lagesbild version {_esc(_require_text(package_version, 'package_version'))}, "
        f"git-commit <code>{commit}</code>.</p></section>"
    )
    return _show("\n".join(parts))
