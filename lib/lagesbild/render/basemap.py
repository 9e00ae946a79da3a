"""A kommun's own tile service under its maps: the one check of its URL and attribution.

Kept apart from :mod:`lagesbild.run.params` (which reads it from the YAML), :mod:`lagesbild.render.mapref` (which draws it)
and :mod:`lagesbild.publish.export` (which lets exactly its host through the offline check), so that none of those
needs another for it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lagesbild.core.fmt import plain

#: A plain host name (letters, digits, hyphens, dots) with an optional port.
_HOST = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*(:\d{1,5})?$")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def basemap_problem(url: Any, attribution: Any) -> tuple[str, str, str] | None:
    """The first problem of a basemap (tile URL template and attribution), or None when it is usable.

    A usable URL is ``https://``, names one plain host (no user, password or ``{s}`` sub-domains), holds
    ``{z}``, ``{x}`` and ``{y}`` and no other placeholder, and has no quote, space, backslash or angle
    bracket (it is written into the map's script). The attribution is a non-empty text of at most
    200 characters on one line.

    Parameters
    ----------
    url, attribution : object
        As given (a YAML value or a notebook parameter).

    Returns
    -------
    tuple of str or None
        ``(key, problem, fix)`` with ``key`` ``"url"`` or ``"attribution"``.

    Examples
    --------
    >>> basemap_problem("https://karta.example.se/tiles/{z}/{x}/{y}.png", "© Example kommun") is None
    True
    >>> basemap_problem("http://karta.example.se/{z}/{x}/{y}.png", "© X")[:2]
    ('url', "the URL 'http://karta.example.se/{z}/{x}/{y}.png' is not https")
    >>> basemap_problem("https://karta.example.se/{z}/{x}.png", "© X")[1]
    "the URL has no '{y}' (the tile row)"
    >>> basemap_problem("https://karta.example.se/{z}/{x}/{y}.png", " ")[0]
    'attribution'
    """
    if not isinstance(url, str) or not url.strip():
        return ("url", f"the URL must be a non-empty text, got {plain(url)}",
                'write the tile URL quoted, e.g. url: "https://karta.example-kommun.se/tiles/{z}/{x}/{y}.png"')
    url = url.strip()
    if re.search(r"[\s\"'`<>\\]", url):
        return ("url", "the URL contains a space, quote, backslash or angle bracket",
                "give the plain URL template of the tile service")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unclosed [ of an IPv6 address
        return ("url", f"the URL cannot be read ({exc})", "give the plain URL template of the tile service")
    if parts.scheme.lower() != "https":
        return ("url", f"the URL {plain(url)} is not https", "use the https:// address of the tile service")
    if "@" in parts.netloc or not _HOST.match(parts.netloc.lower()):
        return ("url", f"the URL's host {plain(parts.netloc)} is not a plain host name",
                "give one host, e.g. karta.example-kommun.se, without user name, password or {s} sub-domains")
    if parts.fragment:
        return ("url", "the URL has a #fragment", "remove the part from # on")
    for placeholder, what in (("{z}", "zoom level"), ("{x}", "tile column"), ("{y}", "tile row")):
        if url.count(placeholder) != 1:
            return ("url", f"the URL has no {plain(placeholder)} (the {what})" if placeholder not in url else
                    f"the URL has {plain(placeholder)} more than once",
                    "write the template with {z}, {x} and {y} once each, e.g. …/tiles/{z}/{x}/{y}.png")
    others = sorted(set(_PLACEHOLDER.findall(url)) - {"{z}", "{x}", "{y}"})
    if others:
        return ("url", f"the URL has the placeholder {plain(others[0])}", "use only {z}, {x} and {y}")
    if not isinstance(attribution, str) or not attribution.strip():
        return ("attribution", "the basemap needs an attribution (who made the map)",
                'write it quoted, e.g. attribution: "© Example kommun"')
    if len(attribution) > 200 or "\n" in attribution.strip():
        return ("attribution", "the attribution must be one line of at most 200 characters",
                'shorten it, e.g. attribution: "© Example kommun"')
    return None
