"""Offline folium maps: Leaflet inlined from a registry package, no tiles, no CDN.

folium's maps load Leaflet, jQuery, Bootstrap and Font Awesome from CDNs and tiles from
OpenStreetMap; a report opened offline shows a blank map. Maps made here have ``tiles=None``, an
empty list of folium's default JS/CSS, and Leaflet's ``leaflet.js`` and ``leaflet.css`` inlined,
read at run time from the installed ``django-js-lib-leaflet`` package (Leaflet 1.9.4; its few
images are inlined as ``data:`` URIs). Without tiles the map shows the kommun boundaries and the
data, on white.

So that a reader can tell where the data lie, :func:`choropleth` and :func:`category_map` draw a
kommun's *reference layers* with ``reference=`` (legend rows included; :mod:`lagesbild.render.mapref`:
its outline, Polisen's utsatta områden in it and optionally its own tile service) and fit the first
view to the data plus the areas near it. A map with a basemap loads tiles from that one host, which
:func:`map_html` allows (and nothing else).

:func:`choropleth` draws a value per kommun with a colour-blind safe sequential palette (cividis),
a legend with the class limits, tooltips with the formatted value, a grey dashed fill for missing
values and a thick outline for the selected kommun. :func:`map_html` turns a map into a
``<figure>`` with a titled ``<iframe srcdoc>`` and a visible text alternative.
The classes and their colours come from :mod:`lagesbild.render.mapclasses`.

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
from importlib import resources

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from lagesbild.core import fmt, lazy
from lagesbild.core.fmt import plain
from lagesbild.render.mapclasses import (  # the colours are shared with lagesbild.render.staticmap (paper)
    CONTEXT_COLOR,
    EDGE_COLOR,
    MISSING_COLOR,
    class_breaks,
    classify,
    sequential_colors,
)
from lagesbild.render.mapref import ReferenceLayers, _add_reference, map_bounds

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
# the first view, fitted once the map has a size
# --------------------------------------------------------------------------------------------

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
    source. On paper the iframe is replaced by a static picture of the map when this process draws them
    (:func:`lagesbild.render.staticmap.enabled`: reports built for PDF; class ``lb-map-static``, shown only
    in print), else by :data:`PRINT_NOTE` (class ``lb-print-note``, shown only in print). Everything is escaped. A map with a :class:`Basemap` may load tiles from its
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

    from lagesbild.render import staticmap

    print_copy = (staticmap.static_img(m, str(alt_text)) if staticmap.enabled()
                  else f'<p class="lb-print-note">{html.escape(PRINT_NOTE)}</p>')
    return (
        f'<figure class="lb-map">'
        f'<iframe title="{html.escape(str(title))}" srcdoc="{html.escape(page, quote=True)}" '
        f'style="width:100%;height:{_height_px(m)}px" sandbox="allow-scripts" '
        f'aria-describedby="{caption_id}"></iframe>'
        f"{print_copy}"
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


__getattr__ = lazy.also_in(__name__, "lagesbild.render.mapref", "lagesbild.render.mapclasses")
