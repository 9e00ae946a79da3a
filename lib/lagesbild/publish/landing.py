"""The landing page ``reports/index.html``: every kommun with reports, by län, searchable, with a map.

:func:`build_landing` writes the page (the runner calls it after a run). The
page lists every kommun that has reports, grouped by län (in SCB's län order when the kommun table
is known), each with links to its reports under Swedish labels (the summary "lagesbild" first),
when each was built, and failed ones marked as failed in words. A search field filters the list by
kommun name, code or län as one types (a small inline script; the field is hidden without
JavaScript and the full list works as it is). Beside the list, an inline SVG map of Sweden drawn
from the kommun boundaries (:func:`svg_map`, simplified so the page stays small) marks the
kommuner with reports; each of them is a link to its entry in the list, which is the map's
accessible alternative.

Everything is offline (no CDN, no tiles, no web fonts) and every text from files (kommun names,
titles, messages) is escaped: the page is rendered by Jinja2 with autoescaping from the templates
in ``templates/landing/`` next to this file.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from lagesbild.core.fmt import plain
from lagesbild.core.reports import REGISTRY
from lagesbild.core.reports import SUMMARY as _SUMMARY
from lagesbild.publish import export as publish

#: Folder with the page and map templates, the page's stylesheet and its script.
LANDING_DIR = Path(__file__).resolve().parents[1] / "templates" / "landing"

#: Default page title and heading.
TITLE = "Lägesbild – rapporter per kommun"

#: Swedish label of each known report, in the order they are listed (the summary first), from the
#: registry (:mod:`lagesbild.core.reports`).
REPORT_LABELS = {r.name: r.label for r in REGISTRY}

#: Status values an entry's report can have, with the Swedish text shown for each.
STATUS_TEXT = {"ok": "Klar", "failed": "Misslyckades", "skipped": "Inte körd"}
#: The same statuses in the page's summary sentence ("76 klara, 2 misslyckade").
_STATUS_COUNTED = {"ok": "klara", "failed": "misslyckade", "skipped": "inte körda"}

#: Projected CRS of the map: SWEREF 99 TM, metres, Sweden's national grid.
MAP_CRS = "EPSG:3006"

_ENTRY_KEYS = ("kommun", "name", "lan", "report", "title")
_SAFE_PART = re.compile(r"^[\w.-]+$")
# Swedish alphabetical order: å, ä, ö after z (and æ, ø with ä, ö); other accents sort as their letter
_SV_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})
_NO_LAN = "Län saknas"


@dataclass(frozen=True)
class Geography:
    """What the page knows about every kommun beyond the entries.

    Attributes
    ----------
    kommuner : pandas.DataFrame
        ``kommun_kod, kommun, lan_kod, lan`` for every kommun (orders the län, names the map).
    boundaries : geopandas.GeoDataFrame or None
        Kommun polygons with ``kommun_kod`` (any CRS); ``None`` draws no map.
    lan_boundaries : geopandas.GeoDataFrame or None
        Län polygons, drawn as thin outlines over the kommuner; optional.
    """

    kommuner: pd.DataFrame
    boundaries: object = None
    lan_boundaries: object = None


def load_geography(data_dir) -> Geography:
    """The kommun table and the kommun and län boundaries from a data folder's processed data.

    Parameters
    ----------
    data_dir : str or Path
        A data folder laid out as ``data/`` (``processed/`` is built from ``raw/`` if needed, by
        :func:`lagesbild.sources.processed.load`).

    Returns
    -------
    Geography

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> geo = load_geography(DATA)
    >>> len(geo.kommuner), len(geo.boundaries), len(geo.lan_boundaries)
    (290, 290, 21)
    """
    from lagesbild.sources import processed

    ds = processed.load(data_dir)
    return Geography(kommuner=ds.kommuner, boundaries=ds.boundaries, lan_boundaries=ds.lan_boundaries)


def report_label(report: str, title: str | None = None) -> str:
    """The Swedish label a report is listed under.

    Parameters
    ----------
    report : str
        The report's name (its notebook's stem), e.g. ``"crime_trends"``.
    title : str, optional
        The report's own title, used for a report this module has no label for.

    Returns
    -------
    str
        From :data:`REPORT_LABELS`; else ``title``; else ``report`` itself.

    Examples
    --------
    >>> report_label("lagesbild"), report_label("crime_trends", "Brottsutvecklingen i Falun")
    ('Lägesbild (sammanfattning)', 'Brottsutveckling')
    >>> report_label("surveys", "Trygghetsmätning"), report_label("surveys")
    ('Trygghetsmätning', 'surveys')
    """
    if report in REPORT_LABELS:
        return REPORT_LABELS[report]
    if title is not None and str(title).strip():
        return str(title).strip()
    return report


def search_text(*parts) -> str:
    """Text normalised for the page's search: lower case, accents removed, single spaces.

    The page's script normalises what is typed the same way (Unicode NFD, marks removed, lower
    case), so "malmo" finds Malmö and "skane" finds Skåne län.

    Parameters
    ----------
    *parts : object
        The texts to search in (name, code, län); each converted with ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> search_text("1283", "Helsingborg", "Skåne  län")
    '1283 helsingborg skane lan'
    >>> search_text("Ö")
    'o'
    """
    text = unicodedata.normalize("NFD", " ".join(str(p) for p in parts))
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    return " ".join(text.lower().split())


def _sv_key(name: str) -> str:
    return search_text(str(name).lower().translate(_SV_ORDER))


# --------------------------------------------------------------------------------------------
# the map
# --------------------------------------------------------------------------------------------

def _numbers(values) -> str:
    """SVG path numbers, as short as they go: a space only where no minus sign separates them."""
    out = []
    for i, v in enumerate(values):
        out.append(f"{v}" if v < 0 or i == 0 else f" {v}")
    return "".join(out)


def _ring_path(xy, x0: float, y0: float, unit: float) -> str:
    """One closed ring as ``M x y l dx dy … z`` in whole map units (y pointing down)."""
    points: list[tuple[int, int]] = []
    for x, y in xy:
        p = (round((x - x0) / unit), round((y0 - y) / unit))
        if not points or p != points[-1]:
            points.append(p)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(set(points)) < 3:
        return ""
    deltas = []
    for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
        deltas += [xb - xa, yb - ya]
    start = _numbers(points[0])
    return f"M{start}l{_numbers(deltas)}z" if deltas else ""


def _polygon_parts(geom, min_area: float) -> list:
    """The polygons of a (multi)polygon without parts and holes smaller than ``min_area``.

    The largest part is always kept, so no kommun disappears from the map.
    """
    import shapely

    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    if not parts:
        return []
    largest = max(parts, key=lambda g: g.area)
    kept = []
    for part in parts:
        if part is not largest and part.area < min_area:
            continue
        holes = [r for r in part.interiors if shapely.Polygon(r).area >= min_area]
        kept.append(shapely.Polygon(part.exterior, holes))
    return kept


def _geometry_path(geom, x0: float, y0: float, unit: float, min_area: float) -> str:
    rings = []
    for part in _polygon_parts(geom, min_area):
        rings.append(_ring_path(part.exterior.coords, x0, y0, unit))
        rings += [_ring_path(r.coords, x0, y0, unit) for r in part.interiors]
    return "".join(r for r in rings if r)


def _simplify(geoms, tolerance: float):
    """Douglas–Peucker with topology preserved; a small shape gets at most a tenth of its size as tolerance
    (so a kommun of a few km² keeps its shape instead of becoming a triangle)."""
    import numpy as np
    import shapely

    size = np.sqrt(shapely.area(geoms))
    return shapely.simplify(geoms, np.minimum(tolerance, size / 10), preserve_topology=True)


def _rapporter(n: int) -> str:
    return f"{n} rapport" if n == 1 else f"{n} rapporter"


def svg_map(boundaries, links: Mapping[str, str] | None = None, *, names: Mapping[str, str] | None = None,
            lan_boundaries=None, tolerance: float = 500.0, unit: float = 100.0,
            label: str = "Karta över Sveriges kommuner") -> str:
    """An inline SVG map of kommuner; the ones in ``links`` are marked and link to their list entry.

    Every kommun is one ``<path>`` with a ``<title>`` (its name). A kommun in ``links`` is wrapped
    in ``<a href="#k-<code>">`` whose ``aria-label`` is the given text, and has the class
    ``lb-map-has``; the others have ``lb-map-none``. Geometries are projected to SWEREF 99 TM
    (:data:`MAP_CRS`), simplified (Douglas–Peucker, topology preserved, ``tolerance`` metres or a
    tenth of the square root of a small kommun's area),
    rounded to whole ``unit``\\ s of metres and written as relative path commands; islands and holes
    smaller than ``(2 * tolerance)²`` are dropped (never a kommun's largest part; a kommun too small to
    draw becomes a square of 2 × 2 units where it is). A kommun without geometry is left out. All text
    is escaped.

    Parameters
    ----------
    boundaries : geopandas.GeoDataFrame
        ``kommun_kod`` and polygon geometry in a declared CRS; a ``kommun`` column names the paths.
    links : mapping of str to str, optional
        Kommun code → accessible name of its link (e.g. ``"Falun, Dalarnas län: 4 rapporter"``).
    names : mapping of str to str, optional
        Kommun code → name for the ``<title>``, overriding the ``kommun`` column.
    lan_boundaries : geopandas.GeoDataFrame, optional
        Län polygons drawn as outlines on top (not interactive, hidden from assistive technology).
    tolerance : float
        Simplification tolerance in metres (500 m is a quarter of a pixel on a 320 px wide map).
    unit : float
        Size in metres of one map unit (coordinates are whole units).
    label : str
        The map's accessible name.

    Returns
    -------
    str
        The ``<svg>`` element.

    Raises
    ------
    ValueError
        If ``boundaries`` has no ``kommun_kod``, no CRS, or ``tolerance``/``unit`` are not positive.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> gdf = gpd.GeoDataFrame({"kommun_kod": ["0001", "0002"], "kommun": ["Norrby", "Söderby <b>"]},
    ...                        geometry=[box(500_000, 6_600_000, 510_000, 6_610_000),
    ...                                  box(500_000, 6_590_000, 510_000, 6_600_000)], crs="EPSG:3006")
    >>> svg = svg_map(gdf, {"0002": "Söderby: 1 rapport"})
    >>> svg.count("<path "), 'href="#k-0002"' in svg, "Söderby &lt;b&gt;" in svg
    (2, True, True)
    >>> 'viewBox="0 0 100 200"' in svg
    True
    """
    import shapely

    if not (tolerance > 0 and unit > 0 and math.isfinite(tolerance) and math.isfinite(unit)):
        raise ValueError(f"svg_map: tolerance and unit must be positive numbers, not {plain(tolerance)} and {plain(unit)}")
    if "kommun_kod" not in boundaries.columns:
        raise ValueError("svg_map: boundaries need a 'kommun_kod' column")
    if boundaries.crs is None:
        raise ValueError("svg_map: boundaries have no CRS; declare it (e.g. EPSG:4326 or EPSG:3006)")
    links = dict(links or {})
    names = dict(names or {})
    projected = boundaries.to_crs(MAP_CRS)
    geoms = _simplify(projected.geometry.values, tolerance)
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    width, height = math.ceil((maxx - minx) / unit), math.ceil((maxy - miny) / unit)
    min_area = (2 * tolerance) ** 2
    codes = projected["kommun_kod"].astype(str).tolist()
    column = projected["kommun"].astype(str).tolist() if "kommun" in projected.columns else codes
    kommuner = []
    for code, name, geom in sorted(zip(codes, column, geoms, strict=True), key=lambda t: t[0]):
        if geom is None or geom.is_empty:
            continue
        d = _geometry_path(geom, minx, maxy, unit, min_area)
        if not d:  # smaller than a few units: a small square where it is, so it can still be found
            point = geom.representative_point()
            d = _ring_path(shapely.box(point.x - unit, point.y - unit, point.x + unit, point.y + unit).exterior.coords,
                           minx, maxy, unit)
        kommuner.append({"code": code, "name": names.get(code, name), "d": d, "link": links.get(code)})
    outlines = []
    if lan_boundaries is not None and len(lan_boundaries):
        lan = _simplify(lan_boundaries.to_crs(MAP_CRS).geometry.values, tolerance)
        outlines = [d for d in (_geometry_path(g, minx, maxy, unit, min_area) for g in lan) if d]
    return _template("map.svg.j2").render(width=width, height=height, kommuner=kommuner, outlines=outlines,
                                          label=label)


# --------------------------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(LANDING_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _template(name: str):
    return _environment().get_template(name)


def _static(name: str):
    from markupsafe import Markup

    return Markup(LANDING_DIR.joinpath(name).read_text(encoding="utf-8"))


def _check_entry(entry: dict, number: int) -> tuple[str, str, str]:
    """Validate one entry; return ``(kommun, report, status)``."""
    if not isinstance(entry, Mapping):
        raise ValueError(f"index page: entry {number} is a {type(entry).__name__}, not a dict")
    missing = [key for key in _ENTRY_KEYS if key not in entry]
    if missing:
        raise ValueError(f"index page: entry {number} lacks {', '.join(missing)}; every entry needs {_ENTRY_KEYS}")
    kommun, report = str(entry["kommun"]), str(entry["report"])
    for what, part in (("kommun", kommun), ("report", report)):
        if not _SAFE_PART.match(part) or part in (".", ".."):
            raise ValueError(f"index page: entry {number}: {what} {plain(part)} cannot be part of a file path")
    status = entry.get("status", "ok")
    if status not in STATUS_TEXT:
        raise ValueError(f"index page: entry {number} ({kommun}/{report}): status {plain(status)} is not one of "
                         f"{sorted(STATUS_TEXT)}")
    return kommun, report, status


#: The link text of each format file beside a report (run_all.py --format), in this order.
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word"}


def _report_order(report: str) -> tuple[int, str]:
    order = list(REPORT_LABELS)
    return (order.index(report), "") if report in order else (len(order), report)


def _report_row(entry: Mapping, kommun: str, report: str, status: str, out_dir: Path) -> dict:
    relative = f"{kommun}/{report}.html"
    if status == "ok":
        href = entry.get("href")
        if href is not None and str(href) != relative:
            raise ValueError(f"index page: {kommun}/{report}: href {plain(href)} is not the expected {plain(relative)}")
        if not (out_dir / relative).is_file():
            raise ValueError(f"index page: {kommun}/{report} has status ok but {out_dir / relative} does not exist")
    files = []
    for fmt, href in (entry.get("formats") or {}).items() if status == "ok" else ():
        if fmt not in FORMAT_LABELS or str(href) != f"{kommun}/{report}.{fmt}":
            raise ValueError(f"index page: {kommun}/{report}: format {plain(fmt)} at {plain(href)} is not one the run writes")
        if (out_dir / str(href)).is_file():
            files.append({"href": quote(str(href)), "label": FORMAT_LABELS[fmt]})
    generated, message = entry.get("generated"), entry.get("message")
    return {
        "files": files,
        "report": report,
        "label": report_label(report, entry.get("title")),
        "summary": report == _SUMMARY.name,
        "href": quote(relative) if status == "ok" else None,
        "status": status,
        "status_text": STATUS_TEXT[status],
        "generated": str(generated).strip() if generated else "",
        "message": str(message).strip() if message and status != "ok" else "",
    }


def _table_lookup(geography: Geography | None) -> tuple[dict, dict]:
    """(kommun code → (name, län), län name → län code) from the kommun table, if there is one."""
    if geography is None or geography.kommuner is None:
        return {}, {}
    k = geography.kommuner
    by_code = {str(c): (str(n), str(lan)) for c, n, lan in zip(k["kommun_kod"], k["kommun"], k["lan"], strict=True)}
    lan_codes = {str(lan): str(code) for lan, code in zip(k["lan"], k["lan_kod"], strict=True)}
    return by_code, lan_codes


def _kommuner(out: Path, entries: Sequence[Mapping], table: dict) -> dict[str, dict]:
    kommuner: dict[str, dict] = {}
    seen: set[tuple[str, str]] = set()
    for number, entry in enumerate(entries, start=1):
        kommun, report, status = _check_entry(entry, number)
        if (kommun, report) in seen:
            raise ValueError(f"index page: entry {number}: {kommun}/{report} is listed twice")
        seen.add((kommun, report))
        name, lan = str(entry["name"]).strip(), str(entry["lan"]).strip()
        if not lan and kommun in table:
            lan = table[kommun][1]
        if not name:
            name = table.get(kommun, (kommun, ""))[0]
        row = kommuner.setdefault(kommun, {"code": kommun, "name": name, "lan": lan, "reports": []})
        if (row["name"], row["lan"]) != (name, lan):
            raise ValueError(f"index page: kommun {kommun} has two names or län: {plain(row['name'])}/{plain(row['lan'])} "
                             f"and {plain(name)}/{plain(lan)}")
        row["reports"].append(_report_row(entry, kommun, report, status, out))
    for row in kommuner.values():
        row["reports"].sort(key=lambda r: _report_order(r["report"]))
        row["search"] = search_text(row["code"], row["name"], row["lan"])
        n = {status: sum(r["status"] == status for r in row["reports"]) for status in STATUS_TEXT}
        row["summary"] = ", ".join([_rapporter(n["ok"])] + [f"{n[s]} {STATUS_TEXT[s].lower()}" for s in ("failed", "skipped")
                                                            if n[s]])
    return kommuner


def _groups(kommuner: dict[str, dict], lan_codes: dict[str, str]) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for row in kommuner.values():
        groups.setdefault(row["lan"], []).append(row)
    ordered = sorted(groups, key=lambda lan: (lan == "", lan_codes.get(lan, "99"), _sv_key(lan)))
    return [{"lan": lan or _NO_LAN, "kommuner": sorted(groups[lan], key=lambda r: (_sv_key(r["name"]), r["code"]))}
            for lan in ordered]


def landing_html(out_dir, entries: Sequence[Mapping], *, geography: Geography | None = None,
                 title: str = TITLE) -> str:
    """The landing page as a string (what :func:`build_landing` writes).

    Parameters
    ----------
    out_dir : str or Path
        The output folder (to check that linked reports exist).
    entries : sequence of dict
        One per (kommun, report)::

            {"kommun": "1283", "name": "Helsingborg", "lan": "Skåne län",
             "report": "crime_trends", "title": "Brottsutvecklingen i Helsingborg",
             "status": "ok",            # optional, default "ok"; or "failed", "skipped"
             "message": None,           # optional, shown for failed/skipped
             "generated": "22 november 2026 kl. 20:56",  # optional, shown as given
             "href": "1283/crime_trends.html",  # optional; must be exactly this if given
             "formats": {"pdf": "1283/crime_trends.pdf"}}  # optional: files beside it, linked if present

        An ``ok`` report is linked relatively (``<kommun>/<report>.html``) and its file must
        exist; others are listed with their status and message, unlinked. An empty ``lan`` (or
        ``name``) is taken from the kommun table when ``geography`` has it.
    geography : Geography, optional
        With it the län are in SCB's order and the page has the map (if it has boundaries);
        without it the län are in alphabetical order and there is no map.
    title : str
        Page title and heading.

    Returns
    -------
    str
        The HTML document, checked with :func:`lagesbild.publish.export.assert_offline`.

    Raises
    ------
    ValueError
        On a missing key, an unsafe code or report name, an unknown status, a report listed
        twice, a kommun with two names or län, or an ``ok`` report whose file does not exist.

    Examples
    --------
    >>> import tempfile
    >>> page = landing_html(tempfile.mkdtemp(), [{"kommun": "0114", "name": "Upplands <b>Väsby</b>",
    ...     "lan": "Stockholms län", "report": "crime_trends", "title": "Brott", "status": "failed",
    ...     "message": "saknar data"}])
    >>> 'lang="sv"' in page, "Upplands &lt;b&gt;Väsby&lt;/b&gt;" in page, "Misslyckades" in page
    (True, True, True)
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError("index page: title must be a non-empty string")
    out = Path(out_dir)
    table, lan_codes = _table_lookup(geography)
    kommuner = _kommuner(out, entries, table)
    groups = _groups(kommuner, lan_codes)
    counts = dict.fromkeys(STATUS_TEXT, 0)
    for row in kommuner.values():
        for r in row["reports"]:
            counts[r["status"]] += 1
    counted = ", ".join(f"{n} {_STATUS_COUNTED[s]}" for s, n in counts.items() if n or s == "ok")
    svg, on_map = None, 0
    if geography is not None and geography.boundaries is not None and len(geography.boundaries):
        links = {code: f"{row['name']}, {row['lan'] or _NO_LAN}: {row['summary']}" for code, row in kommuner.items()}
        names = {code: name for code, (name, _) in table.items()} | {code: r["name"] for code, r in kommuner.items()}
        from markupsafe import Markup

        svg = Markup(svg_map(geography.boundaries, links, names=names, lan_boundaries=geography.lan_boundaries))
        on_map = len(set(kommuner) & set(geography.boundaries["kommun_kod"].astype(str)))
    page = _template("index.html.j2").render(
        title=title.strip(),
        groups=groups,
        n_kommuner=len(kommuner),
        n_lan=len(groups),
        counted=counted,
        svg=svg,
        on_map=on_map,
        map_source=_boundary_source(),
        css=_static_css(),
        script=_static("landing.js"),
    )
    publish.assert_offline(page)
    return page


def _boundary_source() -> str:
    from lagesbild.sources.processed import KINDS

    return KINDS["boundaries"].source


def _static_css():
    from markupsafe import Markup

    base = publish.CSS_PATH.read_text(encoding="utf-8")
    return Markup(base + "\n" + LANDING_DIR.joinpath("landing.css").read_text(encoding="utf-8"))


def build_landing(out_dir, entries: Sequence[Mapping], *, data_dir=None, geography: Geography | None = None,
                  title: str = TITLE) -> Path:
    """Write ``OUT/index.html``, the landing page, atomically (not at all when it would not change).

    Parameters
    ----------
    out_dir : str or Path
        The output folder; reports are at ``OUT/<kommun>/<report>.html``.
    entries : sequence of dict
        As for :func:`landing_html`.
    data_dir : str or Path, optional
        A data folder: the kommun table and boundaries are read from it (:func:`load_geography`)
        for the län order and the map. Ignored when ``geography`` is given.
    geography : Geography, optional
        Given directly instead of ``data_dir``.
    title : str
        Page title and heading.

    Returns
    -------
    Path
        The written ``index.html``.

    Raises
    ------
    ValueError
        As :func:`landing_html`; nothing is written then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> publish.atomic_write_text(out / "1283" / "crime_trends.html", "<!DOCTYPE html>")
    >>> p = build_landing(out, [{"kommun": "1283", "name": "Helsingborg", "lan": "Skåne län",
    ...                          "report": "crime_trends", "title": "Brottsutvecklingen i Helsingborg"}])
    >>> p.name, 'href="1283/crime_trends.html"' in p.read_text(encoding="utf-8")
    ('index.html', True)
    """
    if geography is None and data_dir is not None:
        geography = load_geography(data_dir)
    page = landing_html(out_dir, entries, geography=geography, title=title)
    target = Path(out_dir) / "index.html"
    if not target.is_file() or target.read_text(encoding="utf-8") != page:  # an unchanged index is not rewritten
        publish.atomic_write_text(target, page)
    return target
