"""Offline folium maps: Leaflet inlined from a registry package, no tiles, no CDN.

folium's maps load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs and tiles from
OpenStreetMap; a report opened offline shows a blank map. Maps made here have ``tiles=None``, an
empty list of folium's default JS/CSS, and Leaflet's ``leaflet.js`` and ``leaflet.css`` inlined,
read at run time from the installed ``django-js-lib-leaflet`` package (Leaflet 1.9.4; its few
images are inlined as ``data:`` URIs). Without tiles the map shows the kommun boundaries and the
data, on white.

So that a reader can tell where the data lie, :func:`reference_layers` gathers a kommun's
*reference layers*: its outline (simplified, a thin dark line) and Polisen's utsatta områden in it
(outlined and hatched in :data:`AREA_COLOR`, dashed for "utsatt område", solid for "särskilt utsatt
område"), and optionally the kommun's own tile service (:class:`Basemap`). :func:`choropleth` and
:func:`category_map` draw them with ``reference=`` (legend rows included) and fit the first view to
the data plus the areas within :data:`NEAR_M` of it (:func:`map_bounds`). :func:`reference_text`
and :func:`source_with_reference` give the Swedish sentence and source line a caption needs. A
map with a basemap loads tiles from that one host, which :func:`map_html` allows (and nothing else).

:func:`choropleth` draws a value per kommun with a colour-blind safe sequential palette (cividis),
a legend with the class limits, tooltips with the formatted value, a grey dashed fill for missing
values and a thick outline for the selected kommun. :func:`map_html` turns a map into a
``<figure>`` with a titled ``<iframe srcdoc>`` and a visible text alternative.

Other folium elements can be added to a map made here, but only those that need no extra
JavaScript (``GeoJson``, ``CircleMarker``, ``PolyLine`` …; not ``Marker``, whose icon images and
plugins come from CDNs): :func:`map_html` refuses a map that would load anything remote.
"""

from __future__ import annotations

import base64
import functools
import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from lagesbild.core import fmt
from lagesbild.core.fmt import plain

#: Colour for kommuner without a value (with a dashed outline, so not colour alone).
MISSING_COLOR = "#d4d4d4"
#: Outline of ordinary polygons.
EDGE_COLOR = "#4d4d4d"
#: Default number of classes in the legend (fewer when there are fewer distinct values).
N_CLASSES = 5
#: Outline colour of context polygons (e.g. assessed places on a grid map).
CONTEXT_COLOR = "#CC79A7"
#: Line colour of the kommun outline (a reference layer: thin and unfilled).
OUTLINE_COLOR = "#1a1a1a"
#: Colour of Polisen's utsatta områden (a reference layer: outline and hatching); no data layer uses it.
AREA_COLOR = "#5E3C99"
#: Tolerance in metres (SWEREF 99 TM) of the simplified kommun outline.
OUTLINE_TOLERANCE_M = 20
#: Utsatta områden within this many metres of the data widen the map's first view to include them.
NEAR_M = 3_000
#: Legend label of the kommun outline.
OUTLINE_LABEL = "Kommungräns"
#: Legend labels of the classes of utsatta områden (the ``class`` values of :data:`lagesbild.sources.public.USO_CLASSES`),
#: in legend order.
AREA_LABELS = {"utsatt": "Utsatt område (Polisen 2025)", "sarskilt": "Särskilt utsatt område (Polisen 2025)"}
#: The source of the utsatta områden as a map's caption names it.
AREA_SOURCE = "Polismyndigheten, utsatta områden 2025"
#: The source of the kommun outline as a map's caption names it.
OUTLINE_SOURCE = "kommungräns: SCB (förenklad)"


# --------------------------------------------------------------------------------------------
# Leaflet assets from the installed package
# --------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the installed ``django-js-lib-leaflet`` package.

    Read once per process. The CSS's ``url(images/…)`` references are replaced by ``data:``
    URIs of the same files, and the source-map comment is dropped, so nothing refers to a file
    that is not there.

    Returns
    -------
    tuple of str
        ``(javascript, css)``.

    Examples
    --------
    >>> js, css = leaflet_assets()
    >>> "Leaflet 1.9.4" in js, ".leaflet-container" in css, "url(images/" in css
    (True, True, False)
    """
    root = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    js = (root / "leaflet.js").read_text(encoding="utf-8")
    css = (root / "leaflet.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
    if "</script" in js.lower():  # would end the inline <script> early
        raise RuntimeError("leaflet.js contains '</script': cannot be inlined")

    def inline_image(match: re.Match) -> str:
        data = (root / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline_image, css)
    return js, css


def make_offline(m: folium.Map) -> folium.Map:
    """Make a folium map self-contained: no CDN JS/CSS, Leaflet inlined into its page.

    Tiles must already be off (``folium.Map(tiles=None)``; a tile layer raises ``ValueError``).
    Returns the same map.

    Parameters
    ----------
    m : folium.Map

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> m = make_offline(folium.Map(tiles=None))
    >>> page = m.get_root().render()
    >>> "cdn.jsdelivr" in page, "Leaflet 1.9.4" in page
    (False, True)
    """
    tiles = [child for child in m._children.values() if isinstance(child, folium.TileLayer)]
    if tiles:
        raise ValueError("make_offline: the map has tile layers, which load from the network; "
                         "create it with folium.Map(tiles=None)")
    js, css = leaflet_assets()
    m.default_js = []  # instance attributes shadow folium's class-level CDN lists
    m.default_css = []
    header = m.get_root().header
    header.add_child(Element(f"<style>{css}</style>"), name="lagesbild_leaflet_css")
    header.add_child(
        Element("<style>.leaflet-container { background: #ffffff; }</style>"), name="lagesbild_background"
    )
    header.add_child(Element(f"<script>{js}</script>"), name="lagesbild_leaflet_js")
    return m


# --------------------------------------------------------------------------------------------
# classes and colours
# --------------------------------------------------------------------------------------------

def class_breaks(values, k: int = N_CLASSES) -> np.ndarray:
    """Quantile class limits of the finite values (ties merged), from the minimum to the maximum.

    Parameters
    ----------
    values : array-like of float
        NaN values are ignored.
    k : int
        Wanted number of classes; fewer come back when values tie.

    Returns
    -------
    numpy.ndarray
        ``n + 1`` increasing limits for ``n`` classes; ``[v, v]`` when all values equal ``v``;
        empty when no value is finite.

    Examples
    --------
    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=2).tolist()
    [1.0, 5.5, 10.0]
    >>> class_breaks([3, 3, 3]).tolist()
    [3.0, 3.0]
    >>> class_breaks([float("nan")]).tolist()
    []
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.array([], dtype=float)
    edges = np.unique(np.quantile(x, np.linspace(0, 1, max(1, min(k, np.unique(x).size)) + 1)))
    if edges.size == 1:
        edges = np.array([edges[0], edges[0]])
    return edges


def classify(values, edges) -> np.ndarray:
    """Class index (0-based) of each value for the limits from :func:`class_breaks`; -1 for NaN.

    Class ``i`` holds ``edges[i] < v <= edges[i + 1]``; the first class includes its lower limit.

    Parameters
    ----------
    values : array-like of float
    edges : array-like of float
        Increasing class limits.

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> classify([1, 5.5, 6, 10, float("nan")], [1.0, 5.5, 10.0]).tolist()
    [0, 0, 1, 1, -1]
    """
    x = np.asarray(values, dtype=float)
    edges = np.asarray(edges, dtype=float)
    out = np.full(x.shape, -1, dtype=int)
    finite = np.isfinite(x)
    if edges.size >= 2:
        out[finite] = np.searchsorted(edges[1:-1], x[finite], side="left")
    return out


def sequential_colors(n: int) -> list[str]:
    """``n`` colours from light to dark along cividis (colour-blind safe, monotone in lightness).

    Parameters
    ----------
    n : int
        Number of classes.

    Returns
    -------
    list of str
        Hex colours, lightest (lowest class) first.

    Examples
    --------
    >>> sequential_colors(3)
    ['#ead34c', '#817f78', '#163770']
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["cividis"]
    if n <= 0:
        return []
    positions = [0.9] if n == 1 else np.linspace(0.92, 0.12, n)
    return [to_hex(cmap(float(p))) for p in positions]


class _FitWhenSized(MacroElement):
    """Fit the map to bounds once its container has a size.

    folium's ``fit_bounds`` runs while the page is parsed; inside an ``<iframe srcdoc>`` of a
    large report the frame can still be 0 px wide then, Leaflet throws "Invalid LatLng (NaN,
    NaN)" and the rest of the map script (the data layers) never runs. This fits whenever the
    container has a real size: at once, on ``load`` and on every resize of the container (a
    reader's own zoom is reset when the window is resized; acceptable for a report). It leaves
    room for the legend in the bottom-right corner when the map is wide enough.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }}, bounds = {{ this.bounds|tojson }};
            function fit() {
                map.invalidateSize(false);
                var size = map.getSize();
                if (size.x > 0 && size.y > 0) {
                    // keep the data clear of the legend (bottom right) when the map is wide enough
                    var legend = document.querySelector(".lb-legend"), right = 10;
                    if (legend && legend.offsetWidth * 2 < size.x) { right = legend.offsetWidth + 20; }
                    map.fitBounds(bounds, {paddingTopLeft: [10, 10], paddingBottomRight: [right, 10]});
                }
            }
            fit();
            window.addEventListener("load", fit);
            if (window.ResizeObserver) { new ResizeObserver(fit).observe(map.getContainer()); }
        })();
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitWhenSized"
        self.bounds = bounds


# --------------------------------------------------------------------------------------------
# choropleth
# --------------------------------------------------------------------------------------------

class _LabelMarker(MacroElement):
    """A marker drawn as an HTML label (``L.divIcon``) with a tooltip.

    Not ``folium.Marker(icon=DivIcon(...))``: that creates Leaflet's default marker first and swaps
    the icon afterwards, and the default icon's PNGs are requested from disk (a report must load
    nothing). ``html`` and ``tip`` must already be escaped; ``tojson`` keeps them inside their strings.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.marker({{ this.location|tojson }}, {
            icon: L.divIcon({html: {{ this.html|tojson }}, className: "lb-marker", iconSize: [22, 22], iconAnchor: [11, 11]}),
            keyboard: false
        }).bindTooltip({{ this.tip|tojson }}, {sticky: true}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, location: list[float], tip: str, html_label: str) -> None:
        super().__init__()
        self._name = "LabelMarker"
        self.location = location
        self.tip = tip
        self.html = html_label


def _luminance(color: str) -> float:
    """Relative luminance (WCAG 2) of a hex colour, 0 (black) to 1 (white)."""
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _add_context(m: folium.Map, context, name_column: str | None) -> None:
    """Draw ``context`` polygons as dashed outlines with escaped name tooltips."""
    import shapely

    if context.crs is None:
        raise ValueError("choropleth: the context frame has no CRS")
    if name_column is None or name_column not in context.columns:
        raise ValueError(f"choropleth: context_name_column {plain(name_column)} is not a column of the context frame")
    context = context.to_crs(4326)
    geoms = shapely.transform(context.geometry.to_numpy(), lambda xy: np.round(xy, 5))
    features = [
        {"type": "Feature", "id": f"c{i}", "geometry": shapely.geometry.mapping(geom),
         "properties": {"lb_tip": f"<strong>{html.escape(str(name))}</strong>"}}
        for i, (geom, name) in enumerate(zip(geoms, context[name_column], strict=True))
        if geom is not None and not geom.is_empty
    ]
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda f: {"fill": False, "color": CONTEXT_COLOR, "weight": 2.5, "dashArray": "6 4"},
            tooltip=folium.GeoJsonTooltip(fields=["lb_tip"], labels=False, sticky=True),
        ).add_to(m)


# --------------------------------------------------------------------------------------------
# reference layers: the kommun's outline, Polisen's utsatta områden, the kommun's own basemap
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Basemap:
    """A kommun's own tile service, drawn under the data of its maps.

    A map with a basemap requests tiles from :attr:`host` when it is shown (the only exception to
    "nothing remote"); :func:`map_html` allows that host and nothing else.

    Parameters
    ----------
    url : str
        ``https://`` URL template with ``{z}``, ``{x}`` and ``{y}`` on one plain host
        (checked by :func:`lagesbild.render.basemap.basemap_problem`).
    attribution : str
        Who made the map; shown (escaped) in the map's corner and in the caption's source.

    Raises
    ------
    ValueError
        If :func:`lagesbild.render.basemap.basemap_problem` refuses the values.

    Examples
    --------
    >>> Basemap("https://karta.example.se/tiles/{z}/{x}/{y}.png", "© Example kommun").host
    'karta.example.se'
    >>> Basemap("http://karta.example.se/{z}/{x}/{y}.png", "© X")
    Traceback (most recent call last):
    ...
    ValueError: basemap url: the URL 'http://karta.example.se/{z}/{x}/{y}.png' is not https; use the https:// address ...
    """

    url: str
    attribution: str

    def __post_init__(self) -> None:
        from lagesbild.render.basemap import basemap_problem

        problem = basemap_problem(self.url, self.attribution)
        if problem is not None:
            key, what, fix = problem
            raise ValueError(f"basemap {key}: {what}; {fix}")

    @property
    def host(self) -> str:
        """The host (and port, if the URL has one) tiles are requested from, in lower case."""
        return urlsplit(self.url.strip()).netloc.lower()


@dataclass
class ReferenceLayers:
    """What :func:`choropleth` and :func:`category_map` draw around the data so a reader can tell where it is.

    Made by :func:`reference_layers`; see there.

    Attributes
    ----------
    outline : geopandas.GeoDataFrame or None
        The kommun's polygon(s), simplified, WGS 84.
    areas : geopandas.GeoDataFrame
        Polisen's utsatta områden in the kommun: ``name``, ``class`` (``utsatt``/``sarskilt``) and the
        geometry, WGS 84; empty when the kommun has none.
    basemap : Basemap or None
        The kommun's own tile service, if it has given one.
    near_m : float
        Areas within this distance of the data widen the map's first view (:func:`map_bounds`).

    Examples
    --------
    >>> ref = ReferenceLayers()  # nothing to draw: no outline, no areas, no basemap
    >>> reference_text(ref, None), ref.near_m
    ('', 3000)
    """

    outline: object = None
    areas: object = None
    basemap: Basemap | None = None
    near_m: float = NEAR_M


def _empty_areas():
    import geopandas as gpd

    return gpd.GeoDataFrame({"name": pd.Series(dtype=str), "class": pd.Series(dtype=str)},
                            geometry=gpd.GeoSeries([], crs=4326), crs=4326)


def reference_layers(boundaries, utsatta_omraden, kommun: str, *, basemap: Basemap | None = None,
                     near_m: float = NEAR_M) -> ReferenceLayers:
    """A kommun's reference layers: its outline and Polisen's utsatta områden that lie in it.

    Parameters
    ----------
    boundaries : geopandas.GeoDataFrame
        Kommun polygons with ``kommun_kod`` (``Dataset.boundaries``).
    utsatta_omraden : geopandas.GeoDataFrame or None
        Polisen's areas with ``name``, ``class`` and ``kommun_kod`` (``Dataset.utsatta_omraden``); an
        empty frame or None means none.
    kommun : str
        Four-digit kommun code; only the areas whose ``kommun_kod`` is this code are kept.
    basemap : Basemap, optional
        The kommun's own tile service (:func:`lagesbild.run.params.basemap_parameters`).
    near_m : float
        See :func:`map_bounds`.

    Returns
    -------
    ReferenceLayers
        The outline simplified to :data:`OUTLINE_TOLERANCE_M` metres in SWEREF 99 TM (topology kept),
        and the areas "särskilt utsatt" first, then by name; both in WGS 84.

    Raises
    ------
    ValueError
        If the kommun has no boundary, a frame lacks a column or a CRS, or an area has an unknown class.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> kommuner = gpd.GeoDataFrame({"kommun_kod": ["1283", "1280"]},
    ...                             geometry=[box(12.5, 55.9, 12.9, 56.2), box(12.9, 55.5, 13.1, 55.7)], crs=4326)
    >>> areas = gpd.GeoDataFrame({"name": ["Söder", "Rosengård"], "class": ["utsatt", "sarskilt"],
    ...                           "kommun_kod": ["1283", "1280"]},
    ...                          geometry=[box(12.70, 56.03, 12.71, 56.04), box(13.03, 55.58, 13.04, 55.59)], crs=4326)
    >>> ref = reference_layers(kommuner, areas, "1283")
    >>> ref.areas["name"].tolist(), len(ref.outline), ref.basemap is None
    (['Söder'], 1, True)
    """
    for frame, columns, what in ((boundaries, ["kommun_kod"], "boundaries"),
                                 (utsatta_omraden, ["name", "class", "kommun_kod"], "utsatta_omraden")):
        if frame is None:
            continue
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"reference_layers: {what} has no column(s) {missing}")
        if frame.crs is None and len(frame):
            raise ValueError(f"reference_layers: {what} has no CRS")
    if boundaries is None:
        raise ValueError("reference_layers: no boundaries given")
    own = boundaries[boundaries["kommun_kod"].astype(str) == str(kommun)]
    if own.empty:
        raise ValueError(f"reference_layers: kommun {plain(kommun)} has no boundary in the boundaries frame")
    outline = own[["geometry"]].to_crs(3006)
    outline["geometry"] = outline.geometry.simplify(OUTLINE_TOLERANCE_M, preserve_topology=True)
    outline = outline.to_crs(4326).reset_index(drop=True)

    if utsatta_omraden is None or len(utsatta_omraden) == 0:
        areas = _empty_areas()
    else:
        areas = utsatta_omraden[utsatta_omraden["kommun_kod"].astype(str) == str(kommun)]
        areas = areas[["name", "class", "geometry"]].to_crs(4326)
        unknown = sorted(set(areas["class"].astype(str)) - set(AREA_LABELS))
        if unknown:
            raise ValueError(f"reference_layers: unknown class(es) {unknown}; expected {list(AREA_LABELS)}")
        order = {"sarskilt": 0, "utsatt": 1}
        areas = areas.assign(_o=areas["class"].map(order)).sort_values(["_o", "name"], kind="stable")
        areas = areas.drop(columns="_o").reset_index(drop=True)
    return ReferenceLayers(outline=outline, areas=areas, basemap=basemap, near_m=near_m)


def near_areas(areas, data, near_m: float = NEAR_M) -> np.ndarray:
    """Which areas lie within ``near_m`` metres of the data's bounding box (measured in SWEREF 99 TM).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame or None
        Polygons with a CRS.
    data : geopandas.GeoDataFrame
        The map's data (places, cells, project areas) with a CRS.
    near_m : float

    Returns
    -------
    numpy.ndarray of bool
        One per area, in order; empty without areas.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> data = gpd.GeoDataFrame(geometry=[box(360000, 6210000, 361000, 6211000)], crs=3006)
    >>> areas = gpd.GeoDataFrame(geometry=[box(362000, 6210000, 362500, 6210500),
    ...                                    box(380000, 6210000, 380500, 6210500)], crs=3006)
    >>> near_areas(areas, data).tolist()
    [True, False]
    """
    import shapely

    if areas is None or len(areas) == 0:
        return np.zeros(0, dtype=bool)
    envelope = shapely.box(*data.to_crs(3006).total_bounds)
    return (areas.to_crs(3006).distance(envelope) <= near_m).to_numpy()


def map_bounds(data, areas=None, near_m: float = NEAR_M) -> list[list[float]]:
    """The first view of a map: the data's bounds, widened to the areas within ``near_m`` of the data.

    A kommun's utsatta områden far from the data are drawn but left out of the first view, so a
    map of a town does not zoom out to the whole kommun.

    Parameters
    ----------
    data : geopandas.GeoDataFrame
        With a CRS.
    areas : geopandas.GeoDataFrame, optional
        With a CRS; see :func:`near_areas`.
    near_m : float

    Returns
    -------
    list
        ``[[south, west], [north, east]]`` in degrees (WGS 84).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> data = gpd.GeoDataFrame(geometry=[box(12.70, 56.03, 12.72, 56.05)], crs=4326)
    >>> areas = gpd.GeoDataFrame(geometry=[box(12.72, 56.05, 12.73, 56.06), box(13.5, 56.5, 13.6, 56.6)], crs=4326)
    >>> [[round(v, 2) for v in corner] for corner in map_bounds(data, areas)]
    [[56.03, 12.7], [56.06, 12.73]]
    """
    minx, miny, maxx, maxy = (float(v) for v in data.to_crs(4326).total_bounds)
    if areas is not None and len(areas):
        near = areas[near_areas(areas, data, near_m)]
        if len(near):
            ax0, ay0, ax1, ay1 = (float(v) for v in near.to_crs(4326).total_bounds)
            minx, miny, maxx, maxy = min(minx, ax0), min(miny, ay0), max(maxx, ax1), max(maxy, ay1)
    return [[miny, minx], [maxy, maxx]]


#: Line style of each class of utsatta områden: dashed and solid, each with its own hatching (not colour alone).
_AREA_STYLE = {"utsatt": {"weight": 2.5, "dashArray": "8 4"}, "sarskilt": {"weight": 3.5, "dashArray": None}}
#: The same styles at legend size.
_SWATCH_STYLE = {"utsatt": ' stroke-width="2" stroke-dasharray="4 2"', "sarskilt": ' stroke-width="2.5"'}
#: Panes of the reference layers: fills (with tooltips) under the data, outlines over it (no pointer events).
_FILL_PANE, _LINE_PANE = "lb-reference", "lb-reference-lines"
#: SVG patterns of the hatching, shared by the map's polygons and the legend's swatches.
_HATCH_DEFS = f"""
<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false"><defs>
<pattern id="lb-hatch-utsatt" patternUnits="userSpaceOnUse" width="10" height="10" patternTransform="rotate(45)">
<line x1="0" y1="0" x2="0" y2="10" stroke="{AREA_COLOR}" stroke-width="1.5" stroke-opacity="0.6"/></pattern>
<pattern id="lb-hatch-sarskilt" patternUnits="userSpaceOnUse" width="7" height="7" patternTransform="rotate(45)">
<line x1="0" y1="0" x2="0" y2="7" stroke="{AREA_COLOR}" stroke-width="1.5" stroke-opacity="0.6"/>
<line x1="0" y1="0" x2="7" y2="0" stroke="{AREA_COLOR}" stroke-width="1.5" stroke-opacity="0.6"/></pattern>
</defs></svg>"""


def _outline_swatch() -> str:
    return (f'<svg class="lb-swatch-svg" viewBox="0 0 18 12" aria-hidden="true" focusable="false">'
            f'<line x1="0" y1="6" x2="18" y2="6" stroke="{OUTLINE_COLOR}" stroke-width="1.5"/></svg>')


def _area_swatch(cls: str) -> str:
    return (f'<svg class="lb-swatch-svg" viewBox="0 0 18 12" aria-hidden="true" focusable="false">'
            f'<rect x="1" y="1" width="16" height="10" fill="url(#lb-hatch-{cls})" stroke="{AREA_COLOR}"'
            f"{_SWATCH_STYLE[cls]}/></svg>")


def _add_reference(m: folium.Map, reference: ReferenceLayers) -> str:
    """Draw the reference layers on ``m`` (basemap, outline, areas); return their legend rows (HTML)."""
    import shapely

    rows = []
    if reference.basemap is not None:
        folium.TileLayer(tiles=reference.basemap.url.strip(), attr=html.escape(reference.basemap.attribution),
                         name="Bakgrundskarta", control=False).add_to(m)
        m.lagesbild_tile_hosts = (reference.basemap.host,)  # read by map_html: the one host it may load from
    outline, areas = reference.outline, reference.areas
    has_outline = outline is not None and len(outline) > 0
    has_areas = areas is not None and len(areas) > 0
    if not (has_outline or has_areas):
        return ""
    folium.map.CustomPane(_FILL_PANE, z_index=390, pointer_events=True).add_to(m)  # under the data (400)
    folium.map.CustomPane(_LINE_PANE, z_index=450, pointer_events=False).add_to(m)  # over it, under markers

    if has_outline:
        geoms = shapely.transform(outline.to_crs(4326).geometry.to_numpy(), lambda xy: np.round(xy, 5))
        features = [{"type": "Feature", "id": f"k{i}", "geometry": shapely.geometry.mapping(g),
                     "properties": {}} for i, g in enumerate(geoms) if g is not None and not g.is_empty]
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda f: {"fill": False, "color": OUTLINE_COLOR, "weight": 1.5, "opacity": 0.9},
            interactive=False, control=False, pane=_FILL_PANE,
        ).add_to(m)
        rows.append(f"<li>{_outline_swatch()}{html.escape(OUTLINE_LABEL)}</li>")

    if has_areas:
        areas = areas.to_crs(4326)
        geoms = shapely.transform(areas.geometry.to_numpy(), lambda xy: np.round(xy, 5))
        features = [
            {"type": "Feature", "id": f"u{i}", "geometry": shapely.geometry.mapping(g),
             "properties": {"lb_class": str(cls), "lb_tip": (f"<strong>{html.escape(str(name))}</strong><br>"
                                                             f"{html.escape(AREA_LABELS[str(cls)])}")}}
            for i, (g, name, cls) in enumerate(zip(geoms, areas["name"], areas["class"], strict=True))
            if g is not None and not g.is_empty
        ]
        collection = {"type": "FeatureCollection", "features": features}
        m.get_root().html.add_child(Element(_HATCH_DEFS), name="lagesbild_hatching")
        folium.GeoJson(  # hatching and tooltips, under the data
            collection,
            style_function=lambda f: {"stroke": False, "fill": True, "fillOpacity": 1,
                                      "fillColor": f"url(#lb-hatch-{f['properties']['lb_class']})"},
            tooltip=folium.GeoJsonTooltip(fields=["lb_tip"], labels=False, sticky=True),
            control=False, pane=_FILL_PANE,
        ).add_to(m)
        folium.GeoJson(  # outlines, over the data so that cells do not hide them
            collection,
            style_function=lambda f: {"fill": False, "color": AREA_COLOR, "opacity": 1,
                                      **_AREA_STYLE[f["properties"]["lb_class"]]},
            interactive=False, control=False, pane=_LINE_PANE,
        ).add_to(m)
        present = set(areas["class"].astype(str))
        rows += [f"<li>{_area_swatch(cls)}{html.escape(label)}</li>" for cls, label in AREA_LABELS.items()
                 if cls in present]
    return "".join(rows)


_join_sv = fmt.join


def _areas_phrase(areas) -> str:
    """"Polisens särskilt utsatta område A samt utsatta områden B och C" (areas in their order)."""
    parts = []
    for cls in ("sarskilt", "utsatt"):
        names = [str(n) for n in areas.loc[areas["class"].astype(str) == cls, "name"]]
        if names:
            adjective = "särskilt utsatta" if cls == "sarskilt" else "utsatta"
            parts.append(f"{adjective} {'område' if len(names) == 1 else 'områden'} {_join_sv(names)}")
    return "Polisens " + " samt ".join(parts)


def reference_text(reference: ReferenceLayers | None, data) -> str:
    """What a map's reference layers show, in Swedish, to end the map's text alternative.

    Names the utsatta områden in the first view (:func:`near_areas`), then, in a sentence of its own,
    those farther away; a kommun without utsatta områden gets only "Kartan visar också kommungränsen."
    With a basemap a last sentence says where the map loads its tiles from.

    Parameters
    ----------
    reference : ReferenceLayers or None
        None gives "".
    data : geopandas.GeoDataFrame
        The map's data (as given to :func:`choropleth` or :func:`category_map`).

    Returns
    -------
    str

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> data = gpd.GeoDataFrame(geometry=[box(12.70, 56.03, 12.72, 56.05)], crs=4326)
    >>> areas = gpd.GeoDataFrame({"name": ["Söder", "Långtbort"], "class": ["utsatt", "sarskilt"]},
    ...                          geometry=[box(12.72, 56.05, 12.73, 56.06), box(13.5, 56.5, 13.6, 56.6)], crs=4326)
    >>> print(reference_text(ReferenceLayers(outline=data, areas=areas), data))
    Kartan visar också kommungränsen och Polisens utsatta område Söder. Polisens särskilt utsatta område
    Långtbort ligger mer än 3 km bort och syns när kartan zoomas ut.
    >>> reference_text(ReferenceLayers(outline=data, areas=areas.iloc[0:0]), data)
    'Kartan visar också kommungränsen.'
    """
    if reference is None:
        return ""
    areas = reference.areas
    near = near_areas(areas, data, reference.near_m)
    shown = []
    if reference.outline is not None and len(reference.outline):
        shown.append("kommungränsen")
    if near.any():
        shown.append(_areas_phrase(areas[near]))
    sentences = [f"Kartan visar också {' och '.join(shown)}."] if shown else []
    if len(near) and not near.all():
        km = reference.near_m / 1000
        distance = fmt.number(km, 0 if km == int(km) else 1)
        sentences.append(f"{_areas_phrase(areas[~near])} ligger mer än {distance} km bort och syns när kartan zoomas ut.")
    if reference.basemap is not None:
        host = reference.basemap.host
        sentences.append(f"Bakgrundskartan hämtas från {host}, som kommunen har angett; kartan gör anrop dit när den visas.")
    return " ".join(sentences)


def source_with_reference(source: str, reference: ReferenceLayers | None) -> str:
    """A map's source line with the sources of its reference layers added.

    The utsatta områden are credited as :data:`AREA_SOURCE` whenever the map shows any, the outline as
    :data:`OUTLINE_SOURCE`, a basemap by its attribution.

    Parameters
    ----------
    source : str
        The source of the map's data.
    reference : ReferenceLayers or None

    Returns
    -------
    str

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"name": ["Söder"], "class": ["utsatt"]}, geometry=[box(12.7, 56.0, 12.8, 56.1)], crs=4326)
    >>> source_with_reference("Platser (exempeldata)", ReferenceLayers(outline=g, areas=g))
    'Platser (exempeldata); kommungräns: SCB (förenklad); Polismyndigheten, utsatta områden 2025'
    >>> source_with_reference("Platser", None)
    'Platser'
    """
    if reference is None:
        return source
    parts = [str(source).strip().rstrip(";")]
    if reference.outline is not None and len(reference.outline):
        parts.append(OUTLINE_SOURCE)
    if reference.areas is not None and len(reference.areas):
        parts.append(AREA_SOURCE)
    if reference.basemap is not None:
        parts.append(f"bakgrundskarta: {reference.basemap.attribution.strip()}")
    return "; ".join(p for p in parts if p)


def _default_format(values: np.ndarray) -> Callable[[float], str]:
    finite = values[np.isfinite(values)]
    if finite.size == 0 or np.all(finite == np.round(finite)):
        decimals = 0
    elif np.nanmax(np.abs(finite)) < 10:
        decimals = 2
    else:
        decimals = 1
    return lambda v: fmt.number(v, decimals)


def _legend_html(title: str, labels: list[str], colors: list[str], n_missing: int,
                 highlight_name: str | None, *, highlight_prefix: str = "Vald: ",
                 context_label: str | None = None, extra_rows: str = "") -> str:
    rows = []
    for label, color in zip(labels, colors, strict=True):
        rows.append(
            f'<li><span class="lb-swatch" style="background:{color}"></span>{html.escape(label)}</li>'
        )
    if n_missing:
        rows.append(
            f'<li><span class="lb-swatch lb-swatch-missing"></span>uppgift saknas ({n_missing})</li>'
        )
    if highlight_name is not None:
        rows.append(
            f'<li><span class="lb-swatch lb-swatch-highlight"></span>{html.escape(highlight_prefix + highlight_name)}</li>'
        )
    if context_label is not None:
        rows.append(
            f'<li><span class="lb-swatch lb-swatch-context"></span>{html.escape(context_label)}</li>'
        )
    rows.append(extra_rows)  # already HTML, from _add_reference
    return f"""
<style>
.lb-legend {{ position: absolute; z-index: 1000; right: 10px; bottom: 24px; background: #fff;
  border: 1px solid #767676; border-radius: 3px; padding: 6px 8px; font: 13px/1.35 system-ui, sans-serif;
  color: #1a1a1a; max-width: 45%; }}
.lb-legend-title {{ font-weight: 600; margin: 0 0 4px 0; }}
.lb-legend ul {{ list-style: none; margin: 0; padding: 0; }}
.lb-legend li {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
.lb-swatch {{ display: inline-block; width: 18px; height: 12px; border: 1px solid {EDGE_COLOR}; flex: none; }}
.lb-swatch-missing {{ background: {MISSING_COLOR}; border: 1px dashed #1a1a1a; }}
.lb-swatch-highlight {{ background: #fff; border: 3px solid #000; box-shadow: 0 0 0 2px #fff inset; }}
.lb-swatch-context {{ background: transparent; border: 2px dashed {CONTEXT_COLOR}; }}
.lb-swatch-svg {{ display: inline-block; width: 18px; height: 12px; flex: none; overflow: visible; }}
.foliumtooltip {{ font: 13px/1.35 system-ui, sans-serif; }}
</style>
<div class="lb-legend" role="region" aria-label="Teckenförklaring">
<p class="lb-legend-title">{html.escape(title)}</p>
<ul>{"".join(rows)}</ul>
</div>"""


def choropleth(gdf, value_column: str, name_column: str, *, highlight: str | None = None,
               highlight_column: str | None = None, legend_title: str,
               value_format: Callable[[float], str] | None = None, height_px: int = 420,
               edges: Sequence[float] | None = None, dark_is_low: bool = False,
               highlight_label: str | None = None, context=None, context_name_column: str | None = None,
               context_label: str = "Platser", markers: bool = False,
               marker_labels: Sequence[str] | None = None,
               reference: ReferenceLayers | None = None) -> folium.Map:
    """A self-contained choropleth map of kommuner (or any polygons).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with a CRS (reprojected to EPSG:4326 if needed).
    value_column : str
        Numeric column; NaN is drawn grey with a dashed outline and "uppgift saknas".
    name_column : str
        Column with the place names shown in tooltips.
    highlight : str, optional
        Value in ``highlight_column`` of the polygon(s) to outline thickly (e.g. ``"1283"``).
        Compared as text. Must match at least one row.
    highlight_column : str, optional
        Column ``highlight`` is looked up in; defaults to ``name_column``.
    legend_title : str
        Title of the legend and label of the value in tooltips (e.g. "Anmälda brott per 100 000").
    value_format : callable, optional
        ``float -> str`` for tooltips and legend limits; default :func:`lagesbild.core.fmt.number` with
        0, 1 or 2 decimals depending on the values.
    height_px : int
        Height of the map in pixels (also used by :func:`map_html`).
    edges : sequence of float, optional
        Fixed class limits (e.g. ``[1, 2, 3, 4, 5]`` for a score) instead of quantiles; values outside
        them fall in the first or last class.
    dark_is_low : bool
        Draw low values dark and high values light (for scores where low is bad).
    highlight_label : str, optional
        Legend text for the outlined polygons (e.g. "Het punkt, 95 %") instead of "Vald: <names>".
    context : geopandas.GeoDataFrame, optional
        Polygons drawn as thin outlines on top (e.g. the assessed places on a grid map), named in
        tooltips by ``context_name_column`` and in the legend by ``context_label``.
    markers : bool
        Also draw a round marker of fixed screen size, in the polygon's colour, at each polygon's
        representative point: small polygons (places of 100 m on a map of a town) stay visible at
        every zoom.
    marker_labels : sequence of str, optional
        A short label per row (e.g. the number a table gives the place) written in the marker, so the
        map reads without hovering; text colour black or white by the fill's lightness.
    reference : ReferenceLayers, optional
        The kommun's outline, its utsatta områden and basemap (:func:`reference_layers`), drawn with
        their legend rows; the first view then also takes in the areas near the data (:func:`map_bounds`).

    Returns
    -------
    folium.Map
        With quantile classes (up to 5) in cividis colours, a legend listing each class's limits,
        tooltips, and bounds fitted to the data. Coordinates are rounded to 5 decimals (≈ 1 m)
        and only escaped tooltip text is embedded, not the frame's other columns.

    Raises
    ------
    ValueError
        On missing columns, an empty frame, a frame without CRS, a non-numeric value column, or a
        ``highlight`` that matches no row.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> gdf = gpd.GeoDataFrame({"namn": ["A", "B", "C"], "kod": ["1", "2", "3"], "v": [1.0, 2.0, None]},
    ...                        geometry=[box(13, 55, 14, 56), box(14, 55, 15, 56), box(15, 55, 16, 56)],
    ...                        crs="EPSG:4326")
    >>> m = choropleth(gdf, "v", "namn", highlight="2", highlight_column="kod", legend_title="Brott")
    >>> page = m.get_root().render()
    >>> "uppgift saknas" in page, "https://cdn" in page
    (True, False)
    """
    missing_cols = [c for c in (value_column, name_column, highlight_column) if c and c not in gdf.columns]
    if missing_cols:
        raise ValueError(f"choropleth: column(s) {missing_cols} not in the frame (has {list(gdf.columns)})")
    if len(gdf) == 0:
        raise ValueError("choropleth: the frame has no rows; nothing to draw")
    if gdf.crs is None:
        raise ValueError("choropleth: the frame has no CRS; set it (e.g. gdf.set_crs('EPSG:3006'))")
    if not legend_title or not str(legend_title).strip():
        raise ValueError("choropleth: legend_title must not be empty")
    if gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    series = gdf[value_column]
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise ValueError(f"choropleth: column {plain(value_column)} is not numeric (dtype {series.dtype})")
    values = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
    values[~np.isfinite(values)] = np.nan
    shown = values.copy()
    formatter = value_format or _default_format(values)

    highlight_name = None
    selected = np.zeros(len(gdf), dtype=bool)
    if highlight is not None:
        column = highlight_column or name_column
        selected = (gdf[column].astype(str) == str(highlight)).to_numpy()
        if not selected.any():
            raise ValueError(f"choropleth: highlight {plain(highlight)} not found in column {plain(column)}")
        highlight_name = highlight_label or ", ".join(str(n) for n in gdf.loc[selected, name_column])

    if edges is None:
        edges = class_breaks(values)
    else:
        edges = np.asarray(edges, dtype=float)
        if edges.size < 2 or np.any(np.diff(edges) <= 0):
            raise ValueError(f"choropleth: edges must be at least two increasing limits, got {edges.tolist()}")
        values = np.where(np.isfinite(values), np.clip(values, edges[0], edges[-1]), np.nan)
    n_classes = max(0, edges.size - 1)
    colors = sequential_colors(n_classes)
    if dark_is_low:
        colors = colors[::-1]
    classes = classify(values, edges)
    if n_classes and edges[0] == edges[-1]:
        labels = [formatter(edges[0])]
    else:
        labels = [f"{formatter(edges[i])} – {formatter(edges[i + 1])}" for i in range(n_classes)]

    # geometry, rounded to ~1 m to keep the page small, with only the properties we need (escaped)
    import shapely

    geoms = shapely.transform(gdf.geometry.to_numpy(), lambda xy: np.round(xy, 5))
    title_text = html.escape(str(legend_title))
    features, chosen_features = [], []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        name = html.escape(str(gdf[name_column].iloc[i]))
        value = html.escape(formatter(shown[i])) if not math.isnan(shown[i]) else "uppgift saknas"
        mark = " (vald)" if selected[i] else ""
        feature = {
            "type": "Feature",
            "id": str(i),
            "geometry": shapely.geometry.mapping(geom),
            "properties": {
                "lb_tip": f"<strong>{name}</strong>{mark}<br>{title_text}: {value}",
                "lb_fill": MISSING_COLOR if classes[i] < 0 else colors[classes[i]],
                "lb_missing": bool(classes[i] < 0),
            },
        }
        features.append(feature)
        if selected[i]:
            chosen_features.append(feature)
    if not features:
        raise ValueError("choropleth: every geometry is empty; nothing to draw")
    collection = {"type": "FeatureCollection", "features": features}

    minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=8, tiles=None,
                   height=f"{int(height_px)}px", scrollWheelZoom=False, zoomSnap=0.25)
    make_offline(m)

    def style(feature):
        props = feature["properties"]
        return {"fillColor": props["lb_fill"], "fillOpacity": 0.9, "color": EDGE_COLOR if not props["lb_missing"]
                else "#1a1a1a", "weight": 0.8, "dashArray": "4 3" if props["lb_missing"] else None}

    folium.GeoJson(
        collection, style_function=style,
        highlight_function=lambda feature: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["lb_tip"], labels=False, sticky=True),
    ).add_to(m)

    if markers:
        if marker_labels is not None and len(marker_labels) != len(gdf):
            raise ValueError(f"choropleth: {len(marker_labels)} marker labels for {len(gdf)} polygons")
        for i, geom in enumerate(geoms):
            if geom is None or geom.is_empty:
                continue
            point = geom.representative_point()
            fill = MISSING_COLOR if classes[i] < 0 else colors[classes[i]]
            tip = features[[f["id"] for f in features].index(str(i))]["properties"]["lb_tip"]
            label = "" if marker_labels is None else html.escape(str(marker_labels[i]))
            ink = "#ffffff" if _luminance(fill) < 0.179 else "#000000"  # the higher WCAG contrast of the two
            _LabelMarker(
                [point.y, point.x], tip,
                f'<div style="background:{fill};color:{ink};border:1.5px solid {EDGE_COLOR};border-radius:50%;'
                f'box-sizing:border-box;width:22px;height:22px;display:flex;align-items:center;justify-content:center;'
                f'font:600 11px system-ui,sans-serif">{label}</div>',
            ).add_to(m)

    if chosen_features:
        chosen = {"type": "FeatureCollection", "features": chosen_features}
        # white halo under a black line: visible on light and dark fills alike
        for color, weight in (("#ffffff", 7), ("#000000", 3.5)):
            folium.GeoJson(
                chosen, style_function=lambda f, c=color, w=weight: {"fill": False, "color": c, "weight": w},
                interactive=False, control=False,
            ).add_to(m)

    if context is not None:
        _add_context(m, context, context_name_column)
    reference_rows = _add_reference(m, reference) if reference is not None else ""
    n_missing = int(np.isnan(values).sum())
    m.get_root().html.add_child(
        Element(_legend_html(str(legend_title), labels, colors, n_missing, highlight_name,
                             highlight_prefix="" if highlight_label else "Vald: ",
                             context_label=context_label if context is not None else None,
                             extra_rows=reference_rows)),
        name="lagesbild_legend",
    )
    bounds = (map_bounds(gdf, reference.areas, reference.near_m) if reference is not None
              else [[miny, minx], [maxy, maxx]])
    _FitWhenSized(bounds).add_to(m)
    return m


# --------------------------------------------------------------------------------------------
# embedding
# --------------------------------------------------------------------------------------------

def _height_px(m: folium.Map, default: int = 420) -> int:
    value, unit = getattr(m, "height", (default, "px"))
    return int(value) if unit == "px" else default


#: What a printed report shows instead of a map (an interactive map does not print reliably).
PRINT_NOTE = ("Kartan är interaktiv och visas i den digitala rapporten, inte på papper. "
              "Vad den visar står i texten under.")

_HTML_START = re.compile(r"^\s*<!DOCTYPE html>\s*<html>", re.IGNORECASE)
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>', re.IGNORECASE)


def map_document(m: folium.Map, title: str) -> str:
    """The map's own HTML page, made accessible: ``<html lang="sv">``, a ``<title>``, zoom allowed.

    folium writes ``<html>`` without a language, no title, and a viewport that forbids zooming
    (``user-scalable=no``, against WCAG 1.4.4); the page inside the report's iframe gets all three
    fixed here.

    Parameters
    ----------
    m : folium.Map
    title : str
        The page title (the same as the iframe's); escaped.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If folium's page does not start as expected (a folium upgrade changed it): better to fail
        than to publish a map page without a language.

    Examples
    --------
    >>> page = map_document(make_offline(folium.Map(tiles=None)), "Karta <1>")
    >>> page.startswith('<!DOCTYPE html>\\n<html lang="sv">\\n<head>\\n<title>Karta &lt;1&gt;</title>')
    True
    >>> "user-scalable=no" in page, 'content="width=device-width, initial-scale=1.0"' in page
    (False, True)
    """
    page = m.get_root().render()
    if not _HTML_START.match(page) or "<head>" not in page:
        raise ValueError("map_document: folium's page does not start with '<!DOCTYPE html><html>' and a <head>; "
                         "check lagesbild.render.maps against the installed folium")
    page = _HTML_START.sub('<!DOCTYPE html>\n<html lang="sv">', page, count=1)
    page = page.replace("<head>", f"<head>\n<title>{html.escape(str(title))}</title>", 1)
    return _VIEWPORT.sub('<meta name="viewport" content="width=device-width, initial-scale=1.0">', page)


def map_html(m: folium.Map, title: str, alt_text: str, *, source: str | None = None) -> str:
    """An HTML ``<figure>`` with the map in a titled ``<iframe srcdoc>`` and a text alternative.

    The iframe (width 100 %, the map's pixel height, ``sandbox="allow-scripts"``) holds the whole
    self-contained map page (:func:`map_document`: Swedish, titled, zoomable); the ``<figcaption>``
    (referenced by ``aria-describedby``) holds the title, the text alternative and, if given, the
    source. On paper the iframe is replaced by :data:`PRINT_NOTE` (class ``lb-print-note``, shown
    only in print). Everything is escaped. A map with a :class:`Basemap` may load tiles from its
    host; anything else remote is refused.

    Parameters
    ----------
    m : folium.Map
        A map made offline (:func:`choropleth` or :func:`make_offline`).
    title : str
        Accessible name of the iframe, also shown in bold in the caption.
    alt_text : str
        What the map shows, in words (the finding, not "a map").
    source : str, optional
        Shown as "Källa: …" in the caption.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``title`` or ``alt_text`` is empty, or the map page would load anything remote.

    Examples
    --------
    >>> m = make_offline(folium.Map(tiles=None, height="300px"))
    >>> frag = map_html(m, "Karta <1>", "Brotten är flest i centrum.", source="Brå")
    >>> 'title="Karta &lt;1&gt;"' in frag, 'height:300px' in frag, "Källa: Brå" in frag
    (True, True, True)
    """
    from lagesbild.render.offline import assert_offline

    if not title or not str(title).strip() or not alt_text or not str(alt_text).strip():
        raise ValueError("map_html: title and alt_text must not be empty")
    page = map_document(m, str(title).strip())
    assert_offline(page, tile_hosts=getattr(m, "lagesbild_tile_hosts", ()))
    caption_id = f"lb-cap-{m.get_name()}"
    source_html = ""
    if source:
        source_text = str(source).strip()
        if not source_text.lower().startswith("källa"):
            source_text = f"Källa: {source_text}"
        source_html = f'<span class="lb-source">{html.escape(source_text)}</span>'

    return (
        f'<figure class="lb-map">'
        f'<iframe title="{html.escape(str(title))}" srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{_height_px(m)}px" sandbox="allow-scripts" '
        f'aria-describedby="{caption_id}"></iframe>'
        f'<p class="lb-print-note">{html.escape(PRINT_NOTE)}</p>'
        f'<figcaption id="{caption_id}"><strong>{html.escape(str(title))}.</strong> '
        f"{html.escape(str(alt_text))}{source_html}</figcaption></figure>"
    )


# --------------------------------------------------------------------------------------------
# categories
# --------------------------------------------------------------------------------------------

def category_map(gdf, category_column: str, *, legend_title: str, categories: Sequence[str],
                 colors: Sequence[str] | None = None, height_px: int = 420,
                 reference: ReferenceLayers | None = None) -> folium.Map:
    """A self-contained map of polygons coloured by category (e.g. treated, displacement and control areas).

    Polygons are drawn in the order of ``categories`` (first at the bottom), with a fill of 45 %
    opacity so that a ring around an area shows the area inside it; every category has a different
    colour *and* line style, and the legend names them. Tooltips show the escaped category.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with a CRS (reprojected to EPSG:4326).
    category_column : str
        Column whose values are among ``categories``.
    legend_title : str
    categories : sequence of str
        The categories in drawing and legend order; a value not listed is an error.
    colors : sequence of str, optional
        One colour per category (default: the Okabe–Ito palette of :mod:`lagesbild.render.charts`).
    height_px : int
    reference : ReferenceLayers, optional
        As for :func:`choropleth`.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"roll": ["behandlat", "kontroll"]}, geometry=[box(13, 56, 13.01, 56.01),
    ...                      box(13.05, 56, 13.06, 56.01)], crs="EPSG:4326")
    >>> m = category_map(g, "roll", legend_title="Områden", categories=["behandlat", "kontroll"])
    >>> page = m.get_root().render()
    >>> "behandlat" in page, "https://cdn" in page
    (True, False)
    """
    import shapely

    from lagesbild.render.charts import PALETTE

    if category_column not in gdf.columns:
        raise ValueError(f"category_map: column {plain(category_column)} not in the frame (has {list(gdf.columns)})")
    if len(gdf) == 0:
        raise ValueError("category_map: the frame has no rows; nothing to draw")
    if gdf.crs is None:
        raise ValueError("category_map: the frame has no CRS; set it (e.g. gdf.set_crs('EPSG:3006'))")
    unknown = sorted(set(map(str, gdf[category_column])) - set(categories))
    if unknown:
        raise ValueError(f"category_map: values {unknown} are not among the categories {list(categories)}")
    colors = list(colors) if colors is not None else PALETTE[: len(categories)]
    if len(colors) < len(categories):
        raise ValueError("category_map: give one colour per category")
    dashes = [None, "6 4", "2 4", "10 4 2 4", "1 3"]
    gdf = gdf.to_crs(4326)
    minx, miny, maxx, maxy = (float(v) for v in gdf.total_bounds)
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=14, tiles=None,
                   height=f"{int(height_px)}px", scrollWheelZoom=False, zoomSnap=0.25)
    make_offline(m)
    for i, category in enumerate(categories):
        rows = gdf[gdf[category_column].astype(str) == category]
        if rows.empty:
            continue
        geoms = shapely.transform(rows.geometry.to_numpy(), lambda xy: np.round(xy, 5))
        features = [{"type": "Feature", "id": f"{i}-{j}", "geometry": shapely.geometry.mapping(g),
                     "properties": {"lb_tip": f"<strong>{html.escape(category)}</strong>"}}
                    for j, g in enumerate(geoms) if g is not None and not g.is_empty]
        dash = dashes[i % len(dashes)]
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=lambda f, c=colors[i], d=dash: {
                "fillColor": c, "fillOpacity": 0.45, "color": c, "weight": 2.5, "dashArray": d},
            tooltip=folium.GeoJsonTooltip(fields=["lb_tip"], labels=False, sticky=True),
        ).add_to(m)
    present = [c for c in categories if (gdf[category_column].astype(str) == c).any()]
    rows_html = "".join(
        f'<li><span class="lb-swatch" style="background:{colors[categories.index(c)]};opacity:0.8;'
        f'border-style:{"solid" if dashes[categories.index(c) % len(dashes)] is None else "dashed"}"></span>'
        f"{html.escape(c)}</li>" for c in present)
    rows_html += _add_reference(m, reference) if reference is not None else ""
    legend = _legend_html(str(legend_title), [], [], 0, None).replace("<ul></ul>", f"<ul>{rows_html}</ul>")
    m.get_root().html.add_child(Element(legend), name="lagesbild_legend")
    bounds = (map_bounds(gdf, reference.areas, reference.near_m) if reference is not None
              else [[miny, minx], [maxy, maxx]])
    _FitWhenSized(bounds).add_to(m)
    return m
