"""A published report as an A4 PDF for the council: title page, table of contents, page numbers.

:func:`pdf_bytes` turns a report's published HTML (the page nbconvert wrote; nothing is executed again)
into a tagged PDF (PDF/UA-1, ``lang="sv"``) with WeasyPrint, which lays the page out with the system's
Pango: no browser. What the PDF adds to the page (:func:`print_html`):

* a title page (:func:`title_page`): the kommun, the report's title, the date it was built and, when
  the kommun's YAML gives one, the decision status (``beslut:`` in :mod:`lagesbild.run.params`: utkast,
  or beslutad with date, body and diarienummer). Without ``beslut`` the title page claims no status;
* optionally a table of contents of the page's ``h2``/``h3`` headings with their page numbers
  (:func:`table_of_contents`; the lägesbild has one);
* the print stylesheet ``templates/pdf/pdf.css``: A4, page numbers "Sida n av N" and the report's
  name in the footer, no footer on the title page; a table of :data:`WIDE_COLUMNS` columns or more (the
  åtgärdsplan) on landscape A4 pages of its own (:func:`mark_wide_tables`).

Everything else is the report's own print stylesheet (``@media print`` in ``lagesbild.css``): tables
fit the page width and repeat their header row on every page, rows and figures are not split, download
links are hidden, and each interactive map shows its static picture (:mod:`lagesbild.render.staticmap`,
drawn when the report was built for PDF) or a note where it has none. Links stay links.

WeasyPrint is imported only by :func:`pdf_bytes`: the HTML build never pays for it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

#: The PDF stylesheet (page size, footer, title page, table of contents).
PDF_CSS = Path(__file__).resolve().parents[1] / "templates" / "pdf" / "pdf.css"

#: Swedish words of the title page and the table of contents.
STATUS_TEXT = {"utkast": "Utkast", "beslutad": "Beslutad"}
TOC_TITLE = "Innehåll"
BUILT_TEXT = "Sammanställd"
DIARY_TEXT = "Diarienummer"

_HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"', re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.IGNORECASE | re.DOTALL)
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Decision:
    """The decision status of a report, as a kommun's YAML gives it (``beslut:``).

    ``status`` is ``"utkast"`` or ``"beslutad"``; a decided report has a date, and may name the body
    that decided and the diarienummer.
    """

    status: str
    datum: date | None = None
    organ: str = ""
    diarienummer: str = ""

    @classmethod
    def from_dict(cls, value: dict | None) -> Decision | None:
        """From the checked mapping (:func:`lagesbild.run.params.check_decision`); None stays None.

        Examples
        --------
        >>> Decision.from_dict({"status": "beslutad", "datum": "2026-11-30", "diarienummer": "KS 2026/123"}).datum
        datetime.date(2026, 11, 30)
        >>> Decision.from_dict(None) is None
        True
        """
        if not value:
            return None
        when = value.get("datum")
        return cls(str(value["status"]), date.fromisoformat(str(when)) if when else None,
                   str(value.get("organ") or ""), str(value.get("diarienummer") or ""))

    def lines(self) -> list[str]:
        """The status in Swedish, one line each (status with body and date; diarienummer).

        Examples
        --------
        >>> Decision("beslutad", date(2026, 11, 30), "kommunstyrelsen", "KS 2026/123").lines()
        ['Beslutad av kommunstyrelsen 30 november 2026', 'Diarienummer KS 2026/123']
        >>> Decision("utkast").lines()
        ['Utkast']
        >>> Decision("utkast", date(2026, 11, 2)).lines()
        ['Utkast 2 november 2026']
        """
        from lagesbild.core import fmt

        first = STATUS_TEXT[self.status]
        if self.organ:
            first += f" av {self.organ}"
        if self.datum is not None:
            first += f" {fmt.day(self.datum)}"
        return [first] + ([f"{DIARY_TEXT} {self.diarienummer}"] if self.diarienummer else [])


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment (tags and nbconvert's "¶" anchor links removed, unescaped)."""
    return " ".join(html.unescape(_TAG.sub("", _ANCHOR_LINK.sub("", fragment))).split())


def headings(page: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The page with an ``id`` on every ``h2``/``h3``, and the headings as ``(level, id, text)``.

    Headings that have an id keep it; the others get ``lb-toc-<n>``.

    Examples
    --------
    >>> page, found = headings('<h2 id="a">Del 1<a class="anchor-link" href="#a">¶</a></h2><h3>Risk &amp; skydd</h3>')
    >>> found
    [(2, 'a', 'Del 1'), (3, 'lb-toc-1', 'Risk & skydd')]
    >>> '<h3 id="lb-toc-1">' in page
    True
    """
    found: list[tuple[int, str, str]] = []

    def tag(match: re.Match) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2) or "", match.group(3)
        known = _ID.search(attrs)
        ident = html.unescape(known.group(1)) if known else f"lb-toc-{len(found)}"
        if not known:
            attrs = f' id="{ident}"{attrs}'
        text = _text(inner)
        if text:
            found.append((level, ident, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    return _HEADING.sub(tag, page), found


def table_of_contents(found: list[tuple[int, str, str]]) -> str:
    """A ``<nav>`` listing the headings with links; the stylesheet adds each one's page number.

    Examples
    --------
    >>> toc = table_of_contents([(2, "a", "Del <1>"), (3, "b", "Mer")])
    >>> '<a href="#a">Del &lt;1&gt;</a>' in toc, 'class="lb-toc-3"' in toc
    (True, True)
    """
    items = "".join(f'<li class="lb-toc-{level}"><a href="#{html.escape(ident)}">{html.escape(text)}</a></li>'
                    for level, ident, text in found)
    return (f'<nav class="lb-toc" aria-labelledby="lb-toc-title"><h2 class="lb-toc-title" id="lb-toc-title">'
            f"{TOC_TITLE}</h2><ul>{items}</ul></nav>")


def title_page(kommun: str, title: str, built: date | None, decision: Decision | None = None,
               subtitle: str = "") -> str:
    """The title page: kommun, title, optional subtitle, the date it was built, the decision status if any.

    Examples
    --------
    >>> page = title_page("Falun", "Lägesbild för Falun", date(2026, 12, 7), Decision("utkast"))
    >>> "Sammanställd 7 december 2026" in page, "Utkast" in page
    (True, True)
    >>> "lb-status" in title_page("Falun", "Lägesbild", None)  # no status given, none claimed
    False
    """
    from lagesbild.core import fmt

    parts = [f'<p class="lb-title-kommun">{html.escape(kommun)}</p>',
             f'<p class="lb-title-main" role="heading" aria-level="1">{html.escape(title)}</p>']
    if subtitle:
        parts.append(f'<p class="lb-title-sub">{html.escape(subtitle)}</p>')
    if decision is not None:
        parts.append('<div class="lb-status">' + "".join(f"<p>{html.escape(line)}</p>" for line in decision.lines())
                     + "</div>")
    if built is not None:
        parts.append(f'<p class="lb-title-date">{BUILT_TEXT} {fmt.day(built)}</p>')
    return f'<section class="lb-titlepage">{"".join(parts)}</section>'


#: A table with at least this many columns is printed on a landscape page of its own (class ``lb-wide``).
WIDE_COLUMNS = 11
#: A table of prose: with at least :data:`WIDE_PROSE_COLUMNS` columns and on average at least
#: :data:`WIDE_PROSE_CHARACTERS` characters of text per row it gets a landscape page too. On portrait A4
#: nine columns of sentences (the åtgärdsplan: ≈ 440 characters a row in Falun's plan) leave a column
#: four letters wide ("Sta-tus"); the reports' tables of figures have 8–9 columns and ≤ 180 characters a row.
WIDE_PROSE_COLUMNS = 8
WIDE_PROSE_CHARACTERS = 300
_TABLE_OPEN = re.compile(r"<table\b([^>]*)>", re.IGNORECASE)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t[hd]\b([^>]*)>", re.IGNORECASE)
_COLSPAN = re.compile(r'colspan="(\d+)"', re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _is_wide(table: str) -> bool:
    """Whether a ``<table>…</table>`` needs a landscape page (:func:`mark_wide_tables`)."""
    rows = _ROW.findall(table)
    if not rows:
        return False
    columns = sum(int((_COLSPAN.search(a) or [0, 1])[1]) for a in _CELL.findall(rows[0]))
    if columns >= WIDE_COLUMNS:
        return True
    body = [len(html.unescape(_TAG.sub("", row)).strip()) for row in rows[1:]]
    return columns >= WIDE_PROSE_COLUMNS and bool(body) and sum(body) / len(body) >= WIDE_PROSE_CHARACTERS


def mark_wide_tables(page: str) -> str:
    """Put every table that needs a landscape page in a ``<div class="lb-wide">`` (the stylesheet gives it
    landscape pages of its own; a table box itself cannot choose its page).

    A table needs one with :data:`WIDE_COLUMNS` columns or more, or with :data:`WIDE_PROSE_COLUMNS` or
    more that hold prose (:data:`WIDE_PROSE_CHARACTERS` characters a row on average).

    Examples
    --------
    >>> wide = "<table class='t'><tr>" + "<th>x</th>" * 11 + "</tr></table>"
    >>> out = mark_wide_tables(wide + "<table><tr><th>y</th></tr></table>")
    >>> out.count('<div class="lb-wide">')
    1
    >>> out.startswith('<div class="lb-wide"><table') and "</table></div><table>" in out
    True
    >>> def nine(text):
    ...     return "<table><tr>" + "<th>h</th>" * 9 + "</tr><tr>" + f"<td>{text}</td>" * 9 + "</tr></table>"
    >>> mark_wide_tables(nine("12,5")).startswith("<table>")  # figures stay on the portrait page
    True
    >>> mark_wide_tables(nine("Sociala insatsgrupper i alla bostadsområden")).startswith('<div class="lb-wide">')
    True
    """
    out, last = [], 0
    for match in _TABLE_OPEN.finditer(page):
        if match.start() < last:  # inside a table already copied (tables are not nested in reports)
            continue
        end = page.find("</table>", match.end())
        if end < 0 or not _is_wide(page[match.start():end]):
            continue
        end += len("</table>")
        out.append(page[last:match.start()] + '<div class="lb-wide">' + page[match.start():end] + "</div>")
        last = end
    return "".join(out) + page[last:]


def print_html(page: str, front: str, *, toc: bool = False) -> str:
    """The report's page with ``front`` (the title page) and, with ``toc``, a table of contents before its content.

    Examples
    --------
    >>> out = print_html('<html><body class="x"><h2>Ett</h2></body></html>', "<section>T</section>", toc=True)
    >>> out.index("<section>T") < out.index("lb-toc") < out.index("<h2 id=")
    True
    """
    page, found = headings(mark_wide_tables(page))
    match = _BODY.search(page)
    if match is None:
        raise ValueError("print_html: the page has no <body>")
    inserted = front + (table_of_contents(found) if toc and found else "")
    return page[: match.end()] + inserted + page[match.end():]


def pdf_bytes(page: str, front: str, *, toc: bool = False, title: str = "", footer: str = "") -> bytes:
    """A tagged A4 PDF (PDF/UA-1) of a published report page with its title page and optional contents.

    Parameters
    ----------
    page : str
        The report's HTML as published (self-contained: images are ``data:`` URIs).
    front : str
        The title page (:func:`title_page`).
    toc : bool
        Add a table of contents of the ``h2``/``h3`` headings after the title page.
    title : str
        The PDF's document title (metadata); default the page's ``<title>``.
    footer : str
        Text in every page's footer beside the page number (e.g. "Lägesbild för Falun").

    Returns
    -------
    bytes
    """
    import weasyprint

    css = PDF_CSS.read_text(encoding="utf-8")
    if footer:
        css += f'\n@page {{ @bottom-left {{ content: "{_css_string(footer)}"; }} }}\n'
    # the stylesheet goes last into the page's own <head>: a stylesheet handed to WeasyPrint apart from the page
    # comes before the page's styles, and the report's "@page { size: A4 }" would win over "@page wide"
    printed = print_html(page, front, toc=toc)
    head_end = printed.lower().find("</head>")
    style = f'<style type="text/css">\n{css}\n</style>'
    printed = printed[:head_end] + style + printed[head_end:] if head_end >= 0 else style + printed
    document = weasyprint.HTML(string=printed, base_url=str(PDF_CSS.parent))
    rendered = document.render(pdf_variant="pdf/ua-1", pdf_tags=True)
    if title:
        rendered.metadata.title = title
    rendered.metadata.lang = "sv"
    return rendered.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def _css_string(text: str) -> str:
    r"""``text`` safe inside a double-quoted CSS string in a ``<style>`` element (no ``</style>`` either).

    Examples
    --------
    >>> _css_string('a "b" \\ c\nd')
    'a \\"b\\" \\\\ c d'
    >>> "</style" in _css_string("</style>")
    False
    """
    return " ".join(text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").split())
