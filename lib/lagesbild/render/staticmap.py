"""A static picture of an interactive map, for paper: the same layers, colours and legend, drawn with matplotlib.

An interactive folium map does not print. When a report is built for PDF (``run_all.py --format pdf``
sets :data:`PRINT_MAPS` in the environment of the processes that run the reports),
:func:`lagesbild.render.maps.map_html` adds a print-only ``<img>`` of the map, made here, beside
the iframe; without it (the default HTML build) nothing is drawn and nothing is slower.

:func:`map_png` draws what the map made by :mod:`lagesbild.render.maps` holds, read from the map
itself, so the picture cannot drift from the interactive map:

* every ``folium.GeoJson`` layer, each feature with the style the layer's ``style_function`` gives it
  (fill colour and opacity, outline colour, width and dashes; the hatched utsatta områden hatched);
* the labelled markers of :func:`~lagesbild.render.maps.choropleth` (``markers=True``);
* the legend (its title and rows, read from the legend the map shows), under the map;
* the first view: the bounds the map fits to.

Coordinates are drawn in Web Mercator, as Leaflet draws them. A basemap (a kommun's own tile service) is
not fetched: the picture shows the layers on white.
"""

from __future__ import annotations

import html
import math
import os
import re

#: Environment variable: "1" draws a static picture of every map (set by run_all.py --format pdf).
PRINT_MAPS = "LAGESBILD_PRINT_MAPS"

_LI = re.compile(r"<li>(.*?)</li>", re.DOTALL)
_LEGEND_TITLE = re.compile(r'<p class="lb-legend-title">(.*?)</p>', re.DOTALL)
_BACKGROUND = re.compile(r"background:\s*(#[0-9a-fA-F]{3,8})")
_TAG = re.compile(r"<[^>]+>")
_HATCH = {"utsatt": "///", "sarskilt": "xxx"}


def enabled() -> bool:
    """Whether this process draws static pictures of its maps (:data:`PRINT_MAPS` is "1").

    Examples
    --------
    >>> import os
    >>> os.environ.pop(PRINT_MAPS, None) and None
    >>> enabled()
    False
    """
    return os.environ.get(PRINT_MAPS) == "1"


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator (EPSG:3857, in degrees of longitude) of a point; good enough for Sweden's latitudes.

    Examples
    --------
    >>> x, y = _mercator(15.0, 60.0)  # ln(tan(45° + 30°)) = ln(3.732) = 1.317 rad = 75.46°
    >>> x, round(y, 2)
    (15.0, 75.46)
    """
    lat = max(min(lat, 85.0), -85.0)
    return lon, math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _rings(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    """A GeoJSON (multi)polygon's polygons, each a list of rings of projected points; lines as one open ring."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    elif kind == "LineString":
        polygons = [[coords]]
    elif kind == "MultiLineString":
        polygons = [[line] for line in coords]
    elif kind == "GeometryCollection":
        return [p for g in geometry.get("geometries", []) for p in _rings(g)]
    else:
        return []
    return [[[_mercator(x, y) for x, y, *_ in ring] for ring in polygon] for polygon in polygons]


def _dashes(dash) -> tuple | str:
    if not dash:
        return "solid"
    values = [float(v) for v in str(dash).replace(",", " ").split()]
    return (0, tuple(v / 1.5 for v in values)) if values else "solid"


def _layers(m):
    """The map's GeoJson layers and labelled markers, in drawing order (children first-added first)."""
    import folium

    layers, markers = [], []

    def walk(element):
        for child in element._children.values():
            if isinstance(child, folium.GeoJson):
                layers.append(child)
            elif getattr(child, "_name", "") == "LabelMarker":  # lagesbild.render.maps._LabelMarker
                markers.append(child)
            walk(child)

    walk(m)
    return layers, markers


def _draw_layer(ax, layer) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    from lagesbild.render.mapref import AREA_COLOR

    data = layer.data if isinstance(layer.data, dict) else {}
    for feature in data.get("features", []):
        style = layer.style_function(feature) if layer.style_function is not None else {}
        geometry = feature.get("geometry") or {}
        closed = str(geometry.get("type", "")).endswith("Polygon")
        fill = style.get("fillColor") if closed and style.get("fill", True) else None
        stroke = bool(style.get("stroke", True))
        kwargs = {"facecolor": "none", "edgecolor": style.get("color", "#3388ff") if stroke else "none",
                  "linewidth": float(style.get("weight", 1)) * 0.6 if stroke else 0.0,
                  "linestyle": _dashes(style.get("dashArray"))}
        if isinstance(fill, str) and fill.startswith("url("):  # an SVG hatching (utsatta områden): matplotlib's own
            cls = fill.rsplit("-", 1)[-1].rstrip(")")
            # the hatching is drawn in the edge colour; without a stroke the outline itself stays at width 0
            kwargs |= {"hatch": _HATCH.get(cls, "///"), "edgecolor": AREA_COLOR}
        elif fill:
            kwargs["facecolor"] = to_rgba(fill, float(style.get("fillOpacity", 0.2)))
        for polygon in _rings(geometry):
            vertices, codes = [], []
            for ring in polygon:
                if len(ring) < 2:
                    continue
                vertices += ring
                codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1)
            if vertices:
                ax.add_patch(PathPatch(MplPath(vertices, codes), **kwargs))


def _legend_rows(m) -> tuple[str, list]:
    """The legend's title and its rows as matplotlib handles, read from the legend the map shows."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from lagesbild.render.mapclasses import CONTEXT_COLOR, EDGE_COLOR, MISSING_COLOR
    from lagesbild.render.mapref import AREA_COLOR, OUTLINE_COLOR

    legend = m.get_root().html._children.get("lagesbild_legend")
    if legend is None:
        return "", []
    source = legend.render() if hasattr(legend, "render") else str(legend)
    title_match = _LEGEND_TITLE.search(source)
    title = html.unescape(_TAG.sub("", title_match.group(1))) if title_match else ""
    rows = []
    for item in _LI.findall(source):
        label = " ".join(html.unescape(_TAG.sub("", item)).split())
        if "lb-swatch-missing" in item:
            handle = Patch(facecolor=MISSING_COLOR, edgecolor="#1a1a1a", linestyle="--")
        elif "lb-swatch-highlight" in item:
            handle = Patch(facecolor="#ffffff", edgecolor="#000000", linewidth=2)
        elif "lb-swatch-context" in item:
            handle = Patch(facecolor="none", edgecolor=CONTEXT_COLOR, linestyle="--", linewidth=1.5)
        elif "lb-hatch-" in item:
            cls = "sarskilt" if "lb-hatch-sarskilt" in item else "utsatt"
            handle = Patch(facecolor="none", edgecolor=AREA_COLOR, hatch=_HATCH[cls],
                           linestyle="--" if cls == "utsatt" else "-")
        elif "<line" in item:
            handle = Line2D([], [], color=OUTLINE_COLOR, linewidth=1.2)
        else:
            color = _BACKGROUND.search(item)
            handle = Patch(facecolor=color.group(1) if color else "none", edgecolor=EDGE_COLOR,
                           linestyle="--" if "dashed" in item else "-")
        rows.append((handle, label))
    return title, rows


def _bounds(m, layers) -> tuple[float, float, float, float]:
    """The first view's (x0, y0, x1, y1) in Web Mercator: the bounds the map fits to, else all layers."""
    for child in m._children.values():
        if getattr(child, "_name", "") == "FitWhenSized":  # lagesbild.render.maps._FitWhenSized
            (lat0, lon0), (lat1, lon1) = child.bounds
            x0, y0 = _mercator(lon0, lat0)
            x1, y1 = _mercator(lon1, lat1)
            return x0, y0, x1, y1
    xs, ys = [], []
    for layer in layers:
        for feature in (layer.data or {}).get("features", []):
            for polygon in _rings(feature.get("geometry") or {}):
                for ring in polygon:
                    xs += [p[0] for p in ring]
                    ys += [p[1] for p in ring]
    if not xs:
        return 0.0, 0.0, 1.0, 1.0
    return min(xs), min(ys), max(xs), max(ys)


def map_png(m, width_in: float = 6.7) -> bytes:
    """A PNG of a map made by :mod:`lagesbild.render.maps`: its layers, markers and legend, on white.

    Parameters
    ----------
    m : folium.Map
    width_in : float
        Width in inches (the A4 text width is about 7 in); the height follows the map's first view.

    Returns
    -------
    bytes

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from lagesbild.render.maps import choropleth
    >>> g = gpd.GeoDataFrame({"n": ["A", "B"], "v": [1.0, None]}, geometry=[box(13, 56, 14, 57), box(14, 56, 15, 57)],
    ...                      crs="EPSG:4326")
    >>> map_png(choropleth(g, "v", "n", legend_title="Brott"))[:4]
    b'\\x89PNG'
    """
    from matplotlib.figure import Figure

    from lagesbild.render import pngs

    layers, markers = _layers(m)
    x0, y0, x1, y1 = _bounds(m, layers)
    pad_x, pad_y = (x1 - x0) * 0.04 or 0.01, (y1 - y0) * 0.04 or 0.01
    x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
    title, rows = _legend_rows(m)
    aspect = (y1 - y0) / (x1 - x0) if x1 > x0 else 1.0
    map_h = min(max(width_in * aspect, 2.5), 5.2)  # at most about half an A4 page
    legend_h = 0.35 + 0.22 * math.ceil(len(rows) / 2) if rows else 0.0
    fig = Figure(figsize=(width_in, map_h + legend_h))
    ax = fig.add_axes((0.01, legend_h / (map_h + legend_h), 0.98, map_h / (map_h + legend_h) - 0.01))
    for layer in layers:
        _draw_layer(ax, layer)
    for marker in markers:
        lat, lon = marker.location
        x, y = _mercator(lon, lat)
        fill = _BACKGROUND.search(marker.html)
        ink = re.search(r"color:\s*(#[0-9a-fA-F]{6})", marker.html.split("background", 1)[-1].split(";", 1)[-1])
        ax.scatter([x], [y], s=110, c=[fill.group(1) if fill else "#ffffff"], edgecolors="#4d4d4d",
                   linewidths=1, zorder=5)
        label = html.unescape(_TAG.sub("", marker.html)).strip()
        if label:
            ax.text(x, y, label, ha="center", va="center", fontsize=6.5, fontweight="bold",
                    color=ink.group(1) if ink else "#000000", zorder=6)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")  # the axes shrink to the view (limits fixed: no warning)
    ax.set_axis_off()
    if rows:
        fig.legend([h for h, _ in rows], [label for _, label in rows], title=title or None, loc="lower left",
                   bbox_to_anchor=(0.01, 0.0), ncols=2, frameon=False, fontsize=8, title_fontsize=8.5,
                   alignment="left", handlelength=1.8)
    return pngs.png_bytes(fig)


def static_img(m, alt: str) -> str:
    """The print-only ``<img>`` of a map (:func:`map_png` as a ``data:`` URI) with the map's text alternative.

    Examples
    --------
    >>> import folium
    >>> from lagesbild.render.maps import make_offline
    >>> static_img(make_offline(folium.Map(tiles=None)), "Tom <karta>").startswith('<img class="lb-map-static"')
    True
    """
    import base64

    data = base64.b64encode(map_png(m)).decode("ascii")
    return f'<img class="lb-map-static" src="data:image/png;base64,{data}" alt="{html.escape(str(alt))}">'
