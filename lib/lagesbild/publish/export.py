"""Offline HTML export, atomic writes, key-figure JSON and the index page.

A report is an executed notebook exported in-process with nbconvert's ``HTMLExporter`` through
the template ``templates/lagesbild_offline`` (next to this file): nbconvert's ``lab`` template with
the blocks that load require.js, MathJax, mermaid and the widget manager from CDNs emptied, and the
report stylesheet (``templates/lagesbild_offline/static/lagesbild.css``) inlined. Input cells and
prompts are never shown. Every page is checked by :func:`assert_offline` before it is returned, so
a page that would fetch anything from the network is never published.

Files are written with :func:`atomic_write_text` / :func:`atomic_write_json`: a temporary file in
the target folder, then ``os.replace``, so a reader sees the old file or the new one, never half.

This module imports nbconvert only when an exporter is needed, so notebooks that only need
:data:`KEY_FIGURES_MIME` (through :mod:`lagesbild.render.report`) do not pay for it.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lagesbild.core.fmt import plain

#: MIME type of the (invisible) output that carries a report's key figures; see
#: :func:`lagesbild.render.report.key_figures` and :func:`extract_key_figures`.
KEY_FIGURES_MIME = "application/vnd.lagesbild.key-figures+json"

#: Folder holding our nbconvert template folder(s); shipped as package data (``templates/**/*``).
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"
#: Name of the offline template folder inside :data:`TEMPLATES_DIR`.
TEMPLATE_NAME = "lagesbild_offline"
#: The report stylesheet (one definition, used by the template and by :func:`build_index`).
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
                    cell.outputs = [o for o in cell.outputs if KEY_FIGURES_MIME not in o.get("data", {})]
            return nb, resources

    return ReportPreprocessor


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
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
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
    exporter.register_preprocessor(_report_preprocessor_class()(), enabled=True)
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
    unlabelled = body.count(f'alt="{_NBCONVERT_NO_ALT}"')
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

    Read from the parameters papermill (and :func:`lagesbild.run.warm.execute_notebook`) record in the
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


# --------------------------------------------------------------------------------------------
# atomic writes
# --------------------------------------------------------------------------------------------

def _umask() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass  # not Linux: fall back to the set-and-restore dance below
    old = os.umask(0o022)
    os.umask(old)
    return old


def atomic_write_text(path, text: str) -> None:
    """Write text (UTF-8) so that readers see the old file or the complete new one, never a part.

    Writes a temporary file in the target's folder, flushes it to disk, then ``os.replace``\\ s the
    target. Creates missing parent folders. On any error the temporary file is removed, the old
    file is left as it was, and the error propagates. A new file gets the usual permissions
    (``0o666`` minus the umask); a replaced file keeps its mode.

    Parameters
    ----------
    path : str or Path
        Target file.
    text : str
        The content.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_text(d / "a" / "b.txt", "hej")
    >>> (d / "a" / "b.txt").read_text(), sorted(p.name for p in (d / "a").iterdir())
    ('hej', ['b.txt'])
    """
    if not isinstance(text, str):
        raise TypeError(f"atomic_write_text: text must be str, not {type(text).__name__}")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def atomic_write_json(path, obj) -> None:
    """Write ``obj`` as JSON (UTF-8, ``ensure_ascii=False``, indent 2, sorted keys) atomically.

    NaN and infinity are refused (``ValueError``): they are not JSON.

    Parameters
    ----------
    path : str or Path
        Target file.
    obj : object
        JSON-able data.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "k.json"
    >>> atomic_write_json(p, {"ort": "Malmö", "antal": 3})
    >>> print(p.read_text(encoding="utf-8"))
    {
      "antal": 3,
      "ort": "Malmö"
    }
    """
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, allow_nan=False)
    atomic_write_text(path, text + "\n")


# --------------------------------------------------------------------------------------------
# offline check
# --------------------------------------------------------------------------------------------

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)\s*((?:https?:)?//[^'")\s]*)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])\s*((?:https?:)?//[^'"]*)""", re.IGNORECASE)
_JS_IMPORT = re.compile(
    r"""(?:\bimport\s*\(\s*|\bimport\s[^;'"]*?\bfrom\s*|\bimport\s*|\bimportScripts\s*\(\s*)(['"`])((?:https?:)?//[^'"`]*)"""
)
# Leaflet tile layers fetch their URL template at run time
_JS_TILES = re.compile(r"""\btileLayer(?:\.wms)?\(\s*(['"`])((?:https?:)?//[^'"`]*)""")
# attributes whose URL the browser fetches by itself, per tag ("*" = any tag)
_LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "base": ("href",),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
}
# <link rel=...> values that are only navigation/metadata (not fetched); any other rel counts
_NAVIGATION_RELS = {"alternate", "author", "bookmark", "canonical", "help", "license", "me", "next",
                    "prev", "search", "tag", "external", "nofollow", "noopener", "noreferrer"}


def _allowed_tiles(url: str, tile_hosts: tuple[str, ...]) -> bool:
    """Whether a tile layer's URL template is https on exactly one of ``tile_hosts``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and "@" not in parts.netloc and parts.netloc.lower() in tile_hosts


class _OfflineScanner(HTMLParser):
    def __init__(self, where: str, tile_hosts: tuple[str, ...] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.tile_hosts = tile_hosts
        self.problems: list[str] = []
        self.srcdocs: list[str] = []
        self._raw_tag: str | None = None

    def _add(self, what: str) -> None:
        self.problems.append(f"{what} (in {self.where}, line {self.getpos()[0]})")

    def _check_css(self, css: str, what: str) -> None:
        for match in _CSS_URL.finditer(css):
            self._add(f"{what} url({match.group(2)})")
        for match in _CSS_IMPORT.finditer(css):
            self._add(f"{what} @import {match.group(2)}")

    def handle_starttag(self, tag, attrs):
        attributes = [(name.lower(), value or "") for name, value in attrs]
        names = _LOADING_ATTRS.get(tag, ())
        for name, value in attributes:
            if name in names:
                candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name.endswith(
                    "srcset") else [value]
                for url in candidates:
                    if _REMOTE.match(url):
                        self._add(f"<{tag} {name}={plain(url.strip())}>")
            elif name == "style":
                self._check_css(value, f"<{tag} style>")
            elif name == "srcdoc":
                self.srcdocs.append(value)
        if tag == "link":
            values = dict(attributes)
            rels = set(values.get("rel", "").lower().split())
            href = values.get("href", "")
            if _REMOTE.match(href) and not (rels and rels <= _NAVIGATION_RELS):
                self._add(f"<link rel={plain(values.get('rel', ''))} href={plain(href.strip())}>")
        if tag in ("script", "style"):
            self._raw_tag = tag

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._raw_tag = None

    def handle_endtag(self, tag):
        if tag == self._raw_tag:
            self._raw_tag = None

    def handle_data(self, data):
        if self._raw_tag == "style":
            self._check_css(data, "<style>")
        elif self._raw_tag == "script":
            for match in _JS_IMPORT.finditer(data):
                self._add(f"<script> import {match.group(2)}")
            for match in _JS_TILES.finditer(data):
                if not _allowed_tiles(match.group(2), self.tile_hosts):
                    self._add(f"<script> tile layer {match.group(2)}")


def _offline_problems(page: str, where: str, tile_hosts: tuple[str, ...] = ()) -> list[str]:
    scanner = _OfflineScanner(where, tile_hosts)
    scanner.feed(page)
    scanner.close()
    problems = scanner.problems
    for number, srcdoc in enumerate(scanner.srcdocs, start=1):
        problems += _offline_problems(srcdoc, f"{where} > iframe srcdoc #{number}", tile_hosts)
    return problems


def assert_offline(html_text: str, *, tile_hosts: Iterable[str] = ()) -> None:
    """Raise if the page would load anything (script, style, font, image, frame) from the network.

    Looks at every attribute the browser fetches by itself (``script src``, ``link href`` unless
    the ``rel`` is navigation only, ``img src``/``srcset``, ``iframe src``, ``object data``,
    ``video poster``, SVG ``image href``, ``base href`` …), at ``url(…)`` and ``@import`` in
    ``<style>`` and ``style=""``, at ES ``import`` of URLs and Leaflet tile layers with remote URLs in
    ``<script>``, and recursively inside
    ``<iframe srcdoc>`` documents. ``http://``, ``https://`` and protocol-relative ``//`` URLs
    count. Plain links (``<a href="https://…">``) are allowed: they load nothing; so are ``data:``
    URIs anywhere (images, and the CSV and Excel downloads of :func:`lagesbild.render.report.table`, which
    are carried in the page itself).

    The one exception is a kommun's own basemap: a Leaflet tile layer whose URL is ``https://`` on
    exactly a host in ``tile_hosts`` (host and port compared whole, case-insensitively). Only tile
    layers: an image, script or style from that host is still refused, and so is a tile layer on
    any other host.

    Parameters
    ----------
    html_text : str
        A full HTML document or fragment.
    tile_hosts : iterable of str
        Hosts whose tiles a map may load (:attr:`lagesbild.render.maps.Basemap.host`); none by default.

    Raises
    ------
    ValueError
        Listing every offending resource with where it is.

    Examples
    --------
    >>> assert_offline('<a href="https://bra.se">Brå</a><img src="data:image/png;base64,AA==" alt="">')
    >>> assert_offline('<a href="data:text/csv;charset=utf-8;base64,77u/YQ==" download="t.csv">CSV</a>')
    >>> assert_offline('<script src="https://cdn.example.org/x.js"></script>')
    Traceback (most recent call last):
    ...
    ValueError: page loads 1 remote resource(s), not allowed offline:
      <script src='https://cdn.example.org/x.js'> (in page, line 1)
    >>> tiles = '<script>L.tileLayer("https://karta.example.se/{z}/{x}/{y}.png", {}).addTo(m);</script>'
    >>> assert_offline(tiles, tile_hosts=["karta.example.se"])
    >>> assert_offline(tiles, tile_hosts=["example.se"])
    Traceback (most recent call last):
    ...
    ValueError: page loads 1 remote resource(s), not allowed offline:
      <script> tile layer https://karta.example.se/{z}/{x}/{y}.png (in page, line 1)
    """
    if isinstance(tile_hosts, str):
        raise TypeError("assert_offline: tile_hosts must be a list of hosts, not one string")
    hosts = tuple(str(h).strip().lower() for h in tile_hosts if str(h).strip())
    problems = _offline_problems(html_text, "page", hosts)
    if problems:
        listing = "\n  ".join(problems)
        raise ValueError(f"page loads {len(problems)} remote resource(s), not allowed offline:\n  {listing}")


# --------------------------------------------------------------------------------------------
# index page
# --------------------------------------------------------------------------------------------

def index_html(out_dir, entries: list[dict], title: str = "Lägesbild – rapporter per kommun", data_dir=None) -> str:
    """The landing page as a string (what :func:`build_index` writes); see there for the arguments.

    Delegates to :func:`lagesbild.publish.landing.landing_html`.

    Parameters
    ----------
    out_dir : str or Path
        The output folder (to check that linked reports exist).
    entries : list of dict
        As for :func:`build_index`.
    title : str
        Page title and heading.
    data_dir : str or Path, optional
        As for :func:`build_index`.

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile
    >>> page = index_html(tempfile.mkdtemp(), [{"kommun": "0114", "name": "Upplands <b>Väsby</b>",
    ...     "lan": "Stockholms län", "report": "crime_trends", "title": "Brott", "status": "failed",
    ...     "message": "saknar data"}])
    >>> 'lang="sv"' in page, "Upplands &lt;b&gt;Väsby&lt;/b&gt;" in page, "Misslyckades" in page
    (True, True, True)
    """
    from lagesbild.publish import landing

    geography = landing.load_geography(data_dir) if data_dir is not None else None
    return landing.landing_html(out_dir, entries, geography=geography, title=title)


def build_index(out_dir, entries: list[dict], data_dir=None) -> Path:
    """Write ``OUT/index.html``: the Swedish landing page with every kommun, its reports and a map.

    Delegates to :func:`lagesbild.publish.landing.build_landing` (see there and :mod:`lagesbild.publish.landing`
    for the page): kommuner grouped by län, their reports linked under Swedish labels (the
    summary ``lagesbild`` first) with when each was built, failed ones marked, a search field,
    and, given ``data_dir``, an inline SVG map of the kommuner with reports.

    Parameters
    ----------
    out_dir : str or Path
        The output folder; reports are at ``OUT/<kommun>/<report>.html``.
    entries : list of dict
        One per (kommun, report)::

            {"kommun": "1283", "name": "Helsingborg", "lan": "Skåne län",
             "report": "crime_trends", "title": "Brottsutveckling",
             "status": "ok",            # optional, default "ok"; or "failed", "skipped"
             "message": None,           # optional, shown for failed/skipped
             "generated": "2026-…",     # optional, shown as given
             "href": "1283/crime_trends.html"}  # optional; must be exactly this if given

        An ``ok`` report is linked relatively (``<kommun>/<report>.html``) and its file must
        exist; others are listed with their status and message, unlinked. All text is escaped.
    data_dir : str or Path, optional
        The data folder of the run (``--data``): its kommun table orders the län and its kommun
        boundaries draw the map. Without it the page has the list only.

    Returns
    -------
    Path
        The written ``index.html``.

    Raises
    ------
    ValueError
        On a missing key, an unsafe code or report name, an unknown status, a report listed
        twice, a kommun with two names, or an ``ok`` report whose file does not exist.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write_text(out / "1283" / "crime_trends.html", "<!DOCTYPE html>")
    >>> p = build_index(out, [{"kommun": "1283", "name": "Helsingborg", "lan": "Skåne län",
    ...                        "report": "crime_trends", "title": "Brottsutveckling"}])
    >>> p.name, 'href="1283/crime_trends.html"' in p.read_text(encoding="utf-8")
    ('index.html', True)
    """
    from lagesbild.publish import landing

    return landing.build_landing(out_dir, entries, data_dir=data_dir)


def _json_safe(obj: Any) -> Any:
    """Helper shared with :mod:`lagesbild.render.report`: plain JSON types; NaN → None; numpy → Python.

    Examples
    --------
    >>> import numpy as np, datetime
    >>> _json_safe({"a": np.int64(3), "b": float("nan"), "c": [np.float64(1.5)], "d": datetime.date(2024, 1, 2)})
    {'a': 3, 'b': None, 'c': [1.5], 'd': '2024-01-02'}
    """
    import datetime as _dt
    import math

    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"JSON keys must be str, got {plain(key)} ({type(key).__name__})")
            out[key] = _json_safe(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, int):
        return int(obj)
    if type(obj).__name__ in ("NAType", "NaTType"):  # pandas missing values
        return None
    if isinstance(obj, float):
        if math.isnan(obj):
            return None
        if math.isinf(obj):
            raise ValueError(f"{plain(obj)} cannot be stored as JSON")
        return float(obj)
    if isinstance(obj, (_dt.date, _dt.datetime)):
        return obj.isoformat()
    item = getattr(obj, "item", None)  # numpy scalars, pandas NA-free scalars
    if callable(item) and getattr(obj, "ndim", None) == 0:
        return _json_safe(item())
    isoformat = getattr(obj, "isoformat", None)  # pandas Timestamp
    if callable(isoformat):
        return isoformat()
    raise TypeError(f"cannot store {plain(obj)} ({type(obj).__name__}) as JSON")

