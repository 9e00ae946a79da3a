"""Display helpers for report notebooks: escaped text, accessible tables, figures and maps.

Every helper builds an HTML string, shows it in the notebook (as ``text/html`` through
``IPython.display``) and returns it, so it can be tested without a kernel. Outside IPython
(plain Python, pytest, doctests) nothing is displayed and the string is only returned.

The returned string is an :class:`HTMLString`: a ``str`` that Jupyter does not echo as
``Out[…]`` when a helper is the last line of a cell (the helper has already displayed it).

All text passed in is plain text and is escaped; nothing here accepts raw HTML from the caller.
Styling: the classes used here (``lb-…``) are defined in the report stylesheet
``templates/lagesbild_offline/static/lagesbild.css``, which the export template inlines once
per report (see :mod:`lagesbild.publish`); the notebooks need not include it.

Examples
--------
>>> paragraph("Brotten ökade <kraftigt>.")
'<p>Brotten ökade &lt;kraftigt&gt;.</p>'
"""

from __future__ import annotations

import base64
import html
import io
import math
import numbers
from collections.abc import Callable, Mapping
from datetime import date, datetime

from lagesbild import fmt, privacy
from lagesbild.publish import KEY_FIGURES_MIME, _json_safe

__all__ = ["KEY_FIGURES_MIME", "HTMLString", "heading", "paragraph", "bullets", "callout", "source", "table",
           "figure", "map_figure", "key_figures", "provenance"]

#: Callout kinds and their visible labels (the label, not colour, tells them apart).
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
        raise ValueError(f"heading level must be 1–6, not {level!r}")
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
        raise ValueError(f"callout kind must be one of {sorted(CALLOUT_LABELS)}, not {kind!r}")
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
    """A count replaced by "färre än 3" (:func:`lagesbild.privacy.mask_small`): still a number column."""
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


def table_html(header: list[str], rows: list[list[str]], caption: str, *, numeric: list[bool] | None = None,
               row_headers: bool = False, source: str | None = None) -> str:
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
    body = []
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"table_html: a row has {len(row)} cells, the header {len(header)}")
        cells = []
        for j, cell in enumerate(row):
            tag = "th" if row_headers and j == 0 else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cells.append(f"<{tag}{scope}{cls(j)}>{_esc(cell)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    out = (
        f'<div class="lb-table-wrap" role="region" aria-label="{_esc(caption)}" tabindex="0">'
        f'<table class="lb-table"><caption>{_esc(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>{''.join(body)}</tbody></table></div>"
    )
    if source:
        out += f'\n<p class="lb-source">{_esc(_source_text(source))}</p>'
    return out


def table(df, caption: str, source: str | None = None, index: bool = False,
          formatters: dict | None = None) -> str:
    """Show a DataFrame as an accessible table.

    ``<caption>``, ``<th scope="col">`` headings (and ``<th scope="row">`` for the index when
    ``index=True``), escaped cells, numbers right-aligned in Swedish format (:func:`fmt.number`:
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
        Include the index as the first column (row headings).
    formatters : dict, optional
        Column name → ``callable(value) -> str`` (plain text) overriding the default for that
        column. A name that is not a column is an error.

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
    """
    formatters = dict(formatters or {})
    unknown = [c for c in formatters if c not in df.columns]
    if unknown:
        raise ValueError(f"table: formatters for unknown column(s) {unknown}; columns are {list(df.columns)}")
    frame = df.reset_index() if index else df
    header, columns, numeric = [], [], []
    for position, name in enumerate(frame.columns):
        label = " – ".join(str(p) for p in name) if isinstance(name, tuple) else name
        values = frame.iloc[:, position].tolist()
        if index and position < (frame.columns.size - df.columns.size) and label in ("index", None):
            label = ""
        fmt_fn = formatters.get(name) or _column_formatter(values)
        header.append(str(label))
        columns.append([fmt_fn(v) for v in values])
        numeric.append(all(_is_number(v) or _is_missing(v) or _is_masked(v) for v in values)
                       and any(_is_number(v) for v in values))
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else []
    return _show(table_html(header, rows, caption, numeric=numeric, row_headers=index, source=source))


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
    buffer = io.BytesIO()
    try:
        # a figure with a layout engine (constrained layout) is already tight: "tight" would lay it out twice
        tight = None if fig.get_layout_engine() is not None else "tight"
        fig.savefig(buffer, format="png", dpi=150, bbox_inches=tight, metadata={"Software": None})
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return _show(
        f'<figure class="lb-figure"><img src="data:image/png;base64,{encoded}" alt="{_esc(alt)}">'
        f'<figcaption>{_esc(caption)}<span class="lb-source">{_esc(source_text)}</span></figcaption></figure>'
    )


def map_figure(m, title: str, alt: str, source: str) -> str:
    """Show a map from :mod:`lagesbild.maps` as a titled iframe with its text alternative and source.

    Parameters
    ----------
    m : folium.Map
        A map made with :func:`lagesbild.maps.choropleth` (or :func:`lagesbild.maps.make_offline`).
    title : str
        The iframe's accessible name, also shown in the caption.
    alt : str
        The finding in words, shown next to the map (the text alternative).
    source : str
        Shown as "Källa: …".

    Returns
    -------
    str
        See :func:`lagesbild.maps.map_html`.

    Examples
    --------
    >>> import folium
    >>> from lagesbild.maps import make_offline
    >>> out = map_figure(make_offline(folium.Map(tiles=None)), "Karta", "Tomt.", "Lantmäteriet")
    >>> out.startswith('<figure class="lb-map"><iframe title="Karta"'), "Källa: Lantmäteriet" in out
    (True, True)
    """
    from lagesbild.maps import map_html

    return _show(map_html(m, title, alt, source=_require_text(source, "map source")))


# --------------------------------------------------------------------------------------------
# key figures, provenance
# --------------------------------------------------------------------------------------------

def key_figures(figures: dict) -> None:
    """Hand the report's key figures to the runner (invisible in the HTML report).

    Displays ``figures`` with the MIME type :data:`KEY_FIGURES_MIME` only (``raw=True``); the
    export drops it and :func:`lagesbild.publish.extract_key_figures` collects it into
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
    clean = _json_safe(dict(figures))
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is not None:
        from IPython.display import display

        display({KEY_FIGURES_MIME: clean}, raw=True)


def _param_text(value) -> str:
    """A parameter value as a reader sees it: lists joined with commas, an empty list as "–"."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) if value else "–"
    return str(value)


def provenance(files: list[dict], parameters: dict, package_version: str, git_commit: str | None) -> str:
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
    param_rows = [[str(k), _param_text(v)] for k, v in sorted(parameters.items(), key=lambda kv: str(kv[0]))]
    if param_rows:
        parts.append(table_html(["Parameter", "Värde"], param_rows, "Parametrar för körningen", row_headers=True))
    commit = _esc(git_commit) if git_commit else "okänd (inte en git-checkout)"
    parts.append(
        f"<p>Skapad med lagesbild version {_esc(_require_text(package_version, 'package_version'))}, "
        f"git-commit <code>{commit}</code>.</p></section>"
    )
    return _show("\n".join(parts))
