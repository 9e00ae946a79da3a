"""A map's reference layers: the kommun's outline, Polisen's utsatta områden in it, the kommun's basemap.

So that a reader can tell where the data lie, :func:`reference_layers` gathers a kommun's
*reference layers*: its outline (simplified, a thin dark line) and Polisen's utsatta områden in it
(outlined and hatched in :data:`AREA_COLOR`, dashed for "utsatt område", solid for "särskilt utsatt
område"), and optionally the kommun's own tile service (:class:`Basemap`).
:func:`lagesbild.render.maps.choropleth` and :func:`lagesbild.render.maps.category_map` draw them
with ``reference=`` (legend rows included) and fit the first view to the data plus the areas within
:data:`NEAR_M` of it (:func:`map_bounds`). :func:`reference_text` and :func:`source_with_reference`
give the Swedish sentence and source line a caption needs. A map with a basemap loads tiles from
that one host, which :func:`lagesbild.render.maps.map_html` allows (and nothing else).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit

import folium
import numpy as np
import pandas as pd
from branca.element import Element

from lagesbild.core import fmt
from lagesbild.core.fmt import plain

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
