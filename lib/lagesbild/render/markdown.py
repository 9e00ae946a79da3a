"""Markdown written by the kommun, as safe, self-contained HTML in a labelled box.

The kommun's own texts (:mod:`lagesbild.summary.texts`) are Markdown. :func:`markdown_html` renders
the common subset with mistune 3 and nothing more:

* paragraphs, lists, emphasis, block quotes, code, rules;
* headings, shifted to nest under the section's heading (``#`` becomes ``<h3>`` under an ``<h2>``
  section; never ``<h1>`` or ``<h2>``, at most ``<h6>``);
* links, only to ``http:``, ``https:``, ``mailto:`` or a relative address; any other scheme
  (``javascript:``, ``data:``, ``file:`` …) leaves the link's text as plain text;
* tables with ``<th scope="col">`` headings, in the report's scrolling, labelled table region;
* raw HTML (tags, comments, ``<script>``, ``<iframe>``) is shown escaped, as the characters typed,
  never as markup (mistune's ``escape=True``, and the renderer escapes again);
* images are never fetched: a published report loads nothing from the network and reads no other
  file, so an image is shown as its description, ``[Bild: …]``. (Embedding a picture from the texts
  folder as a ``data:`` URI was the alternative; it would make the report depend on files the rebuild
  rules do not follow and let a text swell the report by megabytes. The README asks for a description.)

:func:`own_text_html` puts the result in a region labelled whose text it is ("Kommunens egen text
(analys.md)"), styled by ``.lb-own-text`` in the report stylesheet
(``templates/lagesbild_offline/static/lagesbild.css``); :func:`own_text` displays it in a notebook.
Plain semantic HTML only (no scripts, no inline styles), so the PDF and Word exports convert it.

Examples
--------
>>> print(markdown_html("# Orsaker\\n\\nVåldet har *ökat*. <script>alert(1)</script>"))
<h3>Orsaker</h3>
<p>Våldet har <em>ökat</em>. &lt;script&gt;alert(1)&lt;/script&gt;</p>
"""

from __future__ import annotations

import html
import re

import mistune

from lagesbild.render.report import HTMLString, _show

#: URL schemes a link may have (a link without a scheme is relative and allowed too).
ALLOWED_SCHEMES: tuple[str, ...] = ("http", "https", "mailto")
#: What an image becomes: its description, for the image is never fetched.
IMAGE_TEXT = "[Bild: {alt}]"
IMAGE_WITHOUT_TEXT = "[Bild utan beskrivning]"
#: The aria-label of a table in a text; numbered, so that two tables' regions have different names.
TABLE_LABEL = "Tabell {n} i {label}"

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def safe_href(url: str) -> str | None:
    """``url`` as an escaped ``href``, or None when it must not become a link.

    Allowed: :data:`ALLOWED_SCHEMES` and addresses without a scheme (relative, ``#anchor``). The scheme
    is read as a browser reads it: after character references are decoded and with control
    characters and white space removed (``java&#x09;script:`` is ``javascript:``).

    Examples
    --------
    >>> safe_href("https://bra.se/statistik?x=1&y=2")
    'https://bra.se/statistik?x=1&amp;y=2'
    >>> safe_href("crime_trends.html#trend"), safe_href("mailto:trygghet@example.se")
    ('crime_trends.html#trend', 'mailto:trygghet@example.se')
    >>> [safe_href(u) for u in ("javascript:alert(1)", " JaVa\\tScript:x", "java&#x09;script:x", "data:text/html,x")]
    [None, None, None, None]
    """
    probe = _INVISIBLE.sub("", html.unescape(html.unescape(url))).lower()
    m = _SCHEME.match(probe)
    if m and m.group(1) not in ALLOWED_SCHEMES:
        return None
    if not m and ":" in probe.split("/")[0].split("?")[0].split("#")[0]:
        return None  # something a browser might still read as a scheme: not a link
    return _esc(mistune.util.escape_url(url.strip()))


class _Renderer(mistune.HTMLRenderer):
    """mistune's HTML renderer, narrowed: shifted headings, safe links, images as text, labelled tables."""

    def __init__(self, top: int, label: str) -> None:
        super().__init__(escape=True)
        self._shift = top - 1
        self._label = label
        self._tables = 0

    def heading(self, text: str, level: int, **attrs) -> str:
        n = min(6, level + self._shift)
        return f"<h{n}>{text}</h{n}>\n"

    def link(self, text: str, url: str, title: str | None = None) -> str:
        href = safe_href(url)
        if href is None:
            return text  # the link's text, already rendered and escaped; no link
        title_attr = f' title="{_esc(title)}"' if title else ""
        return f'<a href="{href}"{title_attr}>{text}</a>'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        # ``text`` is the alt text as mistune rendered it (escaped, emphasis stripped to text)
        alt = re.sub(r"<[^>]*>", "", text).strip()
        shown = IMAGE_TEXT.format(alt=alt) if alt else IMAGE_WITHOUT_TEXT
        return f'<span class="lb-own-image">{shown}</span>'

    def inline_html(self, html_text: str) -> str:
        return _esc(html_text)

    def block_html(self, html_text: str) -> str:
        return f"<p>{_esc(html_text.strip())}</p>\n"

    # tables (mistune's table plugin calls these by name)
    def table(self, text: str) -> str:
        self._tables += 1
        label = TABLE_LABEL.format(n=self._tables, label=self._label) if self._label else f"Tabell {self._tables}"
        return (f'<div class="lb-table-wrap" role="region" aria-label="{_esc(label)}" tabindex="0">'
                f'<table class="lb-table lb-own-table">\n{text}</table></div>\n')

    def table_head(self, text: str) -> str:
        return f"<thead>\n<tr>{text}</tr>\n</thead>\n"

    def table_body(self, text: str) -> str:
        return f"<tbody>\n{text}</tbody>\n"

    def table_row(self, text: str) -> str:
        return f"<tr>{text}</tr>\n"

    def table_cell(self, text: str, align: str | None = None, head: bool = False) -> str:
        cls = {"right": ' class="lb-num"', "center": ' class="lb-own-center"'}.get(align or "", "")
        return f'<th scope="col"{cls}>{text}</th>' if head else f"<td{cls}>{text}</td>"


def markdown_html(text: str, *, top: int = 3, label: str = "") -> str:
    """Markdown as safe HTML (pure; nothing is displayed).

    Parameters
    ----------
    text : str
        The Markdown.
    top : int
        The level a ``#`` heading becomes (3 under a section's ``<h2>``, 4 under an ``<h3>``); at
        least 3, so a text's headings never compete with the report's title or sections.
    label : str
        What the text is called in its tables' labels ("Tabell 1 i …").

    Returns
    -------
    str
        HTML; raw HTML in ``text`` escaped, links only as :func:`safe_href` allows, images as text.

    Examples
    --------
    >>> print(markdown_html("## Steg\\n\\n- [Brå](https://bra.se)\\n- [x](javascript:alert(1))", top=4))
    <h5>Steg</h5>
    <ul>
    <li><a href="https://bra.se">Brå</a></li>
    <li>x</li>
    </ul>
    >>> print(markdown_html("| År | Antal |\\n|---|--:|\\n| 2024 | 12 |", label="analys.md"))
    <div class="lb-table-wrap" role="region" aria-label="Tabell 1 i analys.md" tabindex="0"><table class="lb-table lb-own-table">
    <thead>
    <tr><th scope="col">År</th><th scope="col" class="lb-num">Antal</th></tr>
    </thead>
    <tbody>
    <tr><td>2024</td><td class="lb-num">12</td></tr>
    </tbody>
    </table></div>
    >>> markdown_html("![Karta över centrum](karta.png)")
    '<p><span class="lb-own-image">[Bild: Karta över centrum]</span></p>'
    """
    if not isinstance(text, str):
        raise TypeError(f"markdown_html: text must be str, not {type(text).__name__}")
    if not 3 <= top <= 6:
        raise ValueError(f"markdown_html: top must be 3–6 (a text's headings nest under the report's), not {top}")
    md = mistune.create_markdown(renderer=_Renderer(top, label), plugins=["table"])
    return md(text).strip()


def own_text_html(text: str, label: str, *, top: int = 3, example: bool = False, name: str = "") -> str:
    """The kommun's text in a labelled region: the visible label, then the rendered Markdown (pure).

    Parameters
    ----------
    text : str
        The Markdown (:func:`markdown_html`).
    label : str
        The visible label and the region's accessible name, e.g. "Kommunens egen text (analys.md)"
        (:meth:`lagesbild.summary.texts.OwnTexts.label`); plain text, escaped.
    top : int
        The level of a ``#`` heading in the text.
    example : bool
        Invented example text: the box gets the example style (dashed border) besides its label.
    name : str
        What the text is called in its tables' labels, e.g. "analys.md" ("Tabell 1 i analys.md");
        default ``label``.

    Returns
    -------
    str

    Examples
    --------
    >>> print(own_text_html("Text <b>här</b>.", "Kommunens egen text (analys.md)"))
    <div class="lb-own-text" role="region" aria-label="Kommunens egen text (analys.md)"><p class="lb-own-label">Kommunens egen text (analys.md)</p>
    <p>Text &lt;b&gt;här&lt;/b&gt;.</p></div>
    """
    if not str(label).strip():
        raise ValueError("own_text_html: the label must not be empty (it says whose text it is)")
    classes = "lb-own-text lb-own-text-example" if example else "lb-own-text"
    return (f'<div class="{classes}" role="region" aria-label="{_esc(label)}">'
            f'<p class="lb-own-label">{_esc(label)}</p>\n{markdown_html(text, top=top, label=name or label)}</div>')


def own_text(text: str, label: str, *, top: int = 3, example: bool = False, name: str = "") -> HTMLString:
    """Show a text of the kommun's in the report (:func:`own_text_html`); nothing when the text is blank.

    The lägesbild calls it through :meth:`lagesbild.summary.texts.OwnTexts.show`.

    Parameters
    ----------
    text : str
        The Markdown ("" when the kommun wrote none).
    label : str
        The box's label, e.g. "Kommunens egen text (analys.md)".
    top : int
        The level of a ``#`` heading in the text: 3 under a section (``##``), 4 under a subsection.
    example : bool
        Invented example text (:func:`own_text_html`).
    name : str
        What the text is called in its tables' labels (:func:`own_text_html`).

    Returns
    -------
    HTMLString
        The HTML shown ("" when there is no text).

    Examples
    --------
    >>> own_text("  ", "Kommunens egen text (analys.md)")
    ''
    >>> own_text("Text.", "Kommunens egen text (analys.md)")[:60]
    '<div class="lb-own-text" role="region" aria-label="Kommunens'
    """
    if not text.strip():
        return HTMLString("")
    return _show(own_text_html(text, label, top=top, example=example, name=name))


__all__ = ["ALLOWED_SCHEMES", "IMAGE_TEXT", "markdown_html", "own_text", "own_text_html", "safe_href"]
