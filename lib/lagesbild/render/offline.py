"""The offline check: a published page must not load anything from the network.

:func:`assert_offline` scans a page (and the documents inside its iframes) for remote scripts, styles,
images, fonts, imports and tile layers; the one exception is the tile host a kommun declared for its
own basemap (:mod:`lagesbild.render.basemap`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from lagesbild.core.fmt import plain

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
        Hosts whose tiles a map may load (:attr:`lagesbild.render.mapref.Basemap.host`); none by default.

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
