"""Offline HTML export and key-figure extraction.

A report is an executed notebook exported in-process with nbconvert's ``HTMLExporter`` through
the template ``templates/lagesbild_offline`` (next to this file): nbconvert's ``lab`` template with
the blocks that load require.js, MathJax, mermaid and the widget manager from CDNs emptied, and the
report stylesheet (``templates/lagesbild_offline/static/lagesbild.css``) inlined. Input cells and
prompts are never shown. Every page is checked by :func:`assert_offline` before it is returned, so
a page that would fetch anything from the network is never published.

Files are written with :func:`lagesbild.core.files.atomic_write_text` /
:func:`~lagesbild.core.files.atomic_write_json`; the landing page is :mod:`lagesbild.publish.landing`.

This module imports nbconvert only when an exporter is needed, so notebooks that only need
:data:`KEY_FIGURES_MIME` (through :mod:`lagesbild.render.report`) do not pay for it.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from lagesbild.core import reads
from lagesbild.core.files import atomic_write_json, atomic_write_text  # noqa: F401  (re-exported for callers)
from lagesbild.core.fmt import plain
from lagesbild.render.offline import assert_offline
from lagesbild.render.report import KEY_FIGURES_MIME

#: Folder holding our nbconvert template folder(s); shipped as package data (``templates/**/*``).
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
#: Name of the offline template folder inside :data:`TEMPLATES_DIR`.
TEMPLATE_NAME = "lagesbild_offline"
#: The report stylesheet (one definition, used by the template and by the landing page).
CSS_PATH = TEMPLATES_DIR / TEMPLATE_NAME / "static" / "lagesbild.css"

#: The alt text nbconvert puts on an image that has none (we refuse such images).
_NBCONVERT_NO_ALT = "No description has been provided for this image"


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------

def _report_preprocessor_class():
    """The preprocessor that prepares a notebook copy for export (built lazily: imports nbconvert)."""
    from nbconvert.preprocessors import Preprocessor

    class ReportPreprocessor(Preprocessor):
        """Set the page title and drop the key-figure outputs (they are data, not content).

        Works on nbconvert's own deep copy of the notebook, never on the caller's.
        """

        def preprocess(self, nb, resources):
            title = resources.get("lagesbild_title")
            if title is not None:
                nb.metadata["title"] = title
            for cell in nb.cells:
                if cell.get("cell_type") == "code" and cell.get("outputs"):
                    cell.outputs = [o for o in cell.outputs if not _PRIVATE_MIMES & set(o.get("data", {}))]
            return nb, resources

    return ReportPreprocessor


#: Outputs for the runner, never shown: the key figures and the record of what the report read.
_PRIVATE_MIMES = frozenset({KEY_FIGURES_MIME, reads.MIME})

#: The opening tag of an output area or a (Markdown) cell's input the template writes
#: (``<div class="… jp-OutputArea-output …" …>``, ``<div class="jp-Cell-inputWrapper" …>``).
_OUTPUT_DIV = re.compile(r'<div\b[^>]*\bclass="[^"]*\bjp-(?:OutputArea-output|Cell-inputWrapper)\b[^"]*"[^>]*>')
#: An ``<img>`` tag without an ``alt`` attribute.
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)[^>]*>", re.IGNORECASE)


def focusable_outputs(page: str) -> str:
    """Make every output area and cell input of a page focusable (``tabindex="0"``), as nbconvert's HTML exporter does.

    nbconvert reaches the same by parsing the whole page with BeautifulSoup and writing it out again
    (≈ 0,1 s a report: a tenth of a light report's time). The template writes these tags itself, so they
    are found as text; what the outputs contain is escaped or lies in ``srcdoc`` attributes and is never
    matched. A report's page then parses to the same document as nbconvert's (tested on real reports).

    Examples
    --------
    >>> focusable_outputs('<div class="jp-RenderedHTMLCommon jp-OutputArea-output " data-mime-type="text/html">x</div>')
    '<div class="jp-RenderedHTMLCommon jp-OutputArea-output " data-mime-type="text/html" tabindex="0">x</div>'
    >>> focusable_outputs('<p>&lt;div class="jp-OutputArea-output"&gt;</p>')
    '<p>&lt;div class="jp-OutputArea-output"&gt;</p>'
    """
    return _OUTPUT_DIV.sub(lambda m: m.group(0)[:-1] + ' tabindex="0">', page)


_HEADING = re.compile(r"<h([1-6])\b[^>]*>.*?</h\1>", re.DOTALL)
_CHARACTER_REFERENCE = re.compile(r"&#(\d+);")


def literal_headings(page: str) -> str:
    """Write the non-ASCII characters of the page's headings as themselves, not as character references.

    nbconvert writes a Markdown cell's heading through ElementTree, which turns ``Åtgärdsplan`` into
    ``&#197;tg&#228;rdsplan`` (its BeautifulSoup pass used to write them back as UTF-8). The same document either
    way; literal text keeps the page searchable as text (tests, a ``grep``, the PDF and Word converters).
    Only numeric references from U+00A0 up, only inside ``<h1>``–``<h6>`` (never in a script or style).

    Examples
    --------
    >>> literal_headings('<h2 id="x">F&#246;rra &#229;rets plan &amp; &#60;m&#229;l&#62;</h2><p>&#229;</p>')
    '<h2 id="x">Förra årets plan &amp; &#60;mål&#62;</h2><p>&#229;</p>'
    """
    def literal(match: re.Match) -> str:
        code = int(match.group(1))
        return chr(code) if 0xA0 <= code <= 0x10FFFF else match.group(0)

    return _HEADING.sub(lambda h: _CHARACTER_REFERENCE.sub(literal, h.group(0)), page)


def _report_exporter_class():
    """nbconvert's ``HTMLExporter`` without the two costs a report does not need (built lazily: imports nbconvert).

    * nbconvert validates the notebook against its schema after each of its 13 preprocessors (all but ours do
      nothing here): validated once, after ours, which is the one that changes it;
    * nbconvert parses and re-serialises the finished page with BeautifulSoup to add ``tabindex`` to output
      areas and an English placeholder ``alt`` to images without one: :func:`focusable_outputs` adds the
      ``tabindex``, :func:`literal_headings` writes the headings' letters as the re-serialisation did; an
      image without alt text is refused by :func:`export_html` anyway.

    What ``HTMLExporter.from_notebook_node`` does before that pass is done as it does it (nbconvert 7.17:
    the code-highlighting and widget filters). A test compares the pages of both exporters.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    report_preprocessor = _report_preprocessor_class()

    class ReportExporter(HTMLExporter):
        def _validate_preprocessor(self, nbc, preprocessor):
            if isinstance(preprocessor, report_preprocessor):
                super()._validate_preprocessor(nbc, preprocessor)

        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code",
                                 self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return literal_headings(focusable_outputs(html)), resources

    return ReportExporter, report_preprocessor


@functools.lru_cache(maxsize=1)
def html_exporter():
    """The configured HTML exporter, created once per process and reused.

    Template ``lagesbild_offline`` (found through ``extra_template_basedirs`` =
    :data:`TEMPLATES_DIR`), ``lang="sv"``, no input cells, no prompts, key-figure outputs removed.
    Not thread-safe: use one process per concurrent export (the runner uses a process pool).

    Returns
    -------
    nbconvert.HTMLExporter

    Examples
    --------
    >>> exp = html_exporter()
    >>> exp.template_name, exp.exclude_input, exp.language_code
    ('lagesbild_offline', True, 'sv')
    >>> html_exporter() is exp
    True
    """
    exporter_class, report_preprocessor = _report_exporter_class()
    exporter = exporter_class(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="sv",
        theme="light",
        # belt and braces: the template no longer uses these, but nothing remote is configured either
        require_js_url="",
        mathjax_url="",
        mermaid_js_url="",
        mermaid_layout_elk_js_url="",
    )
    exporter.register_preprocessor(report_preprocessor(), enabled=True)
    return exporter


def export_html(nb, title: str) -> str:
    """Export an executed notebook to a self-contained, offline HTML report.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (not modified).
    title : str
        The page title (``<title>``); escaped. Must not be empty.

    Returns
    -------
    str
        The full HTML document, ``<html lang="sv">``, checked with :func:`assert_offline`.

    Raises
    ------
    ValueError
        If ``title`` is empty, an image has no alt text (a figure displayed directly instead of
        through :func:`lagesbild.render.report.figure`), or the page would load anything from the network
        (except the tiles of the basemap the run's parameters name: :func:`declared_tile_hosts`).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Hej")])
    >>> page = export_html(nb, "Lägesbild <Malmö>")
    >>> '<html lang="sv">' in page, "<title>Lägesbild &lt;Malmö&gt;</title>" in page
    (True, True)
    >>> "require.js" in page or "mathjax" in page.lower()
    False
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError("export_html: title must be a non-empty string")
    resources = {"metadata": {"name": "rapport"}, "lagesbild_title": title.strip()}
    body, _ = html_exporter().from_notebook_node(nb, resources=resources)
    unlabelled = len(_IMG_WITHOUT_ALT.findall(body)) + body.count(f'alt="{_NBCONVERT_NO_ALT}"')
    if unlabelled:
        raise ValueError(
            f"{unlabelled} image(s) in the report have no alt text (a figure shown directly, e.g. by "
            "plt.show() or as a cell's last value). Show figures with lagesbild.render.report.figure(fig, alt=..., "
            "caption=..., source=...)"
        )
    assert_offline(body, tile_hosts=declared_tile_hosts(nb))
    return body


def declared_tile_hosts(nb) -> tuple[str, ...]:
    """The host of the basemap the run passed to an executed notebook, or ``()`` without one.

    Read from the parameters papermill (and :func:`lagesbild.run.engines.warm.execute_notebook`) record in the
    notebook's metadata, i.e. the values :func:`lagesbild.run.params.build_parameters` checked from the
    kommun's ``basemap:``; never from the page itself. A value :func:`lagesbild.run.params.basemap_problem`
    refuses allows nothing.

    Parameters
    ----------
    nb : nbformat.NotebookNode

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(metadata={"papermill": {"parameters": {
    ...     "basemap_url": "https://Karta.example.se/{z}/{x}/{y}.png", "basemap_attribution": "© X"}}})
    >>> declared_tile_hosts(nb)
    ('karta.example.se',)
    >>> declared_tile_hosts(nbformat.v4.new_notebook())
    ()
    """
    from lagesbild.render.basemap import basemap_problem

    parameters = (nb.get("metadata", {}).get("papermill") or {}).get("parameters") or {}
    url, attribution = parameters.get("basemap_url"), parameters.get("basemap_attribution")
    if not url or basemap_problem(url, attribution) is not None:
        return ()
    return (urlsplit(url.strip()).netloc.lower(),)


def extract_key_figures(nb) -> dict:
    """Collect the key figures a notebook displayed with :func:`lagesbild.render.report.key_figures`.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    dict
        All key-figure outputs merged in notebook order; ``{}`` if there are none.

    Raises
    ------
    ValueError
        If an output is not a JSON object, or two outputs give different values for one key
        (a figure that silently changed between cells would be a bug in the notebook).

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", data={KEY_FIGURES_MIME: {"a": 1}}),
    ...                 nbformat.v4.new_output("display_data", data={KEY_FIGURES_MIME: {"b": 2}})]
    >>> extract_key_figures(nbformat.v4.new_notebook(cells=[cell]))
    {'a': 1, 'b': 2}
    >>> extract_key_figures(nbformat.v4.new_notebook())
    {}
    """
    merged: dict = {}
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if KEY_FIGURES_MIME not in data:
                continue
            value = data[KEY_FIGURES_MIME]
            if isinstance(value, str):
                value = json.loads(value)
            if not isinstance(value, dict):
                raise ValueError(f"cell {index}: key-figure output is {type(value).__name__}, expected a JSON object")
            for key, item in value.items():
                if key in merged and merged[key] != item:
                    raise ValueError(
                        f"cell {index}: key figure {plain(key)} was already set to {plain(merged[key])}, now {plain(item)}; "
                        "display each key figure once"
                    )
                merged[key] = item
    return merged


def extract_inputs(nb) -> dict | None:
    """What the report read (:mod:`lagesbild.core.reads`), as its provenance cell displayed it; None if it did not.

    Examples
    --------
    >>> import nbformat
    >>> cell = nbformat.v4.new_code_cell("")
    >>> cell.outputs = [nbformat.v4.new_output("display_data", data={reads.MIME: {"kinds": ["crime"]}})]
    >>> extract_inputs(nbformat.v4.new_notebook(cells=[cell]))
    {'kinds': ['crime']}
    >>> extract_inputs(nbformat.v4.new_notebook()) is None
    True
    """
    found = None
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            value = output.get("data", {}).get(reads.MIME)
            if value is not None:
                found = json.loads(value) if isinstance(value, str) else dict(value)
    return found
