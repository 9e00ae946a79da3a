"""Offline choropleth maps (lagesbild.render.maps)."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import folium
import geopandas as gpd
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from shapely.geometry import Polygon, box

from lagesbild.publish.export import assert_offline
from lagesbild.render import mapclasses, maps

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
NBSP = "\u00a0"
CDN_HOSTS = ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "netdna.bootstrapcdn.com",
             "openstreetmap", "unpkg.com", "fontawesome")


@pytest.fixture
def gdf() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"namn": ["Norrby", "Mittby", "Söderby", "Västerby"], "kod": ["0001", "0002", "0003", "0004"],
         "v": [10.0, 20.0, 35.5, float("nan")]},
        geometry=[box(13, 56, 14, 57), box(14, 56, 15, 57), box(15, 56, 16, 57), Polygon([(12, 56), (13, 56), (13, 57)])],
        crs="EPSG:4326",
    )


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.external.append(a["src"])
        if tag == "link" and a.get("href"):
            self.external.append(a["href"])


def external_refs(page: str) -> list[str]:
    parser = _Scripts()
    parser.feed(page)
    return parser.external


def test_choropleth_page_is_self_contained(gdf):
    m = maps.choropleth(gdf, "v", "namn", legend_title="Brott")
    page = m.get_root().render()
    assert external_refs(page) == []  # no <script src> and no <link href> at all
    assert_offline(page)
    for host in CDN_HOSTS:
        assert host not in page, host
    js, css = maps.leaflet_assets()
    assert js in page and css in page  # Leaflet inlined from the registry package
    assert "Leaflet 1.9.4" in page and "L.map(" in page
    assert "url(images/" not in page and "sourceMappingURL" not in page
    assert "L.tileLayer" not in page  # no tiles


def test_leaflet_assets_come_from_the_installed_package():
    from importlib import resources

    js, css = maps.leaflet_assets()
    package_js = (resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet" / "leaflet.js").read_text()
    assert js.strip() == re.sub(r"//# sourceMappingURL=\S+\s*$", "", package_js).strip()
    assert css.count("url(data:image/png;base64,") == 3


def test_choropleth_legend_tooltips_missing_and_highlight(gdf):
    m = maps.choropleth(gdf, "v", "namn", highlight="0002", highlight_column="kod", legend_title="Per 1 000 inv.")
    page = m.get_root().render()
    legend = page[page.index('<div class="lb-legend"'):]
    legend = legend[:legend.index("</div>")]
    assert "Per 1 000 inv." in legend
    assert "uppgift saknas (1)" in legend  # NaN in the legend, with a dashed swatch
    assert "Vald: Mittby" in legend
    labels = re.findall(r"</span>([^<]+)</li>", legend)
    assert labels[0].startswith("10") and "35,5" in labels[-3]  # classes from min to max, Swedish decimals
    # tooltips: name + formatted value; NaN → "uppgift saknas"
    tips = [json.loads('"' + t + '"') for t in re.findall(r'"lb_tip": "((?:[^"\\]|\\.)*)"', page)]
    assert any("Söderby" in t and "35,5" in t for t in tips)
    assert any("Västerby" in t and "uppgift saknas" in t for t in tips)
    assert any("Mittby</strong> (vald)" in t for t in tips)
    # missing values drawn grey and dashed; the highlight is a thick outline
    assert maps.MISSING_COLOR in page and '"dashArray": "4 3"' in page
    assert '"weight": 3.5' in page and '"weight": 7' in page


def test_choropleth_escapes_names_and_titles(gdf):
    gdf.loc[1, "namn"] = XSS
    m = maps.choropleth(gdf, "v", "namn", highlight=XSS, legend_title="Titel " + XSS)
    page = m.get_root().render()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "Titel &lt;script&gt;alert(1)&lt;/script&gt;" in page  # legend title
    assert "Vald: &lt;script&gt;" in page  # legend entry of the highlight


def test_choropleth_value_format_and_bounds(gdf):
    m = maps.choropleth(gdf, "v", "namn", legend_title="T", value_format=lambda v: f"{v:.0f} st")
    page = m.get_root().render()
    assert "10 st" in page and "36 st" in page
    bounds = json.loads(re.search(r"bounds = (\[\[.*?\]\]);", page).group(1))
    assert bounds == [[56.0, 12.0], [57.0, 16.0]]


def test_choropleth_reprojects(gdf):
    m = maps.choropleth(gdf.to_crs("EPSG:3006"), "v", "namn", legend_title="T")
    bounds = json.loads(re.search(r"bounds = (\[\[.*?\]\]);", m.get_root().render()).group(1))
    assert np.allclose(bounds, [[56.0, 12.0], [57.0, 16.0]], atol=1e-4)


def test_choropleth_all_missing_and_single_value(gdf):
    gdf["v"] = float("nan")
    page = maps.choropleth(gdf, "v", "namn", legend_title="T").get_root().render()
    assert "uppgift saknas (4)" in page
    gdf["v"] = 5.0
    page = maps.choropleth(gdf, "v", "namn", legend_title="T").get_root().render()
    assert re.search(r"</span>5</li>", page)


@pytest.mark.parametrize("kwargs, match", [
    ({"value_column": "nope"}, "not in the frame"),
    ({"value_column": "namn"}, "not numeric"),
    ({"highlight": "9999", "highlight_column": "kod"}, "not found"),
    ({"legend_title": " "}, "legend_title"),
])
def test_choropleth_rejects_bad_input(gdf, kwargs, match):
    args = {"value_column": "v", "name_column": "namn", "legend_title": "T"} | kwargs
    with pytest.raises(ValueError, match=match):
        maps.choropleth(gdf, args.pop("value_column"), args.pop("name_column"), **args)


def test_choropleth_rejects_no_crs_and_empty(gdf):
    with pytest.raises(ValueError, match="CRS"):
        maps.choropleth(gdf.set_crs(None, allow_override=True), "v", "namn", legend_title="T")
    with pytest.raises(ValueError, match="no rows"):
        maps.choropleth(gdf.iloc[0:0], "v", "namn", legend_title="T")


def test_classes_and_colours():
    edges = mapclasses.class_breaks(np.arange(1, 101), k=5)
    assert len(edges) == 6 and edges[0] == 1 and edges[-1] == 100
    classes = mapclasses.classify(np.arange(1, 101), edges)
    assert classes.min() == 0 and classes.max() == 4 and np.all(np.diff(classes) >= 0)
    colors = mapclasses.sequential_colors(5)
    luminance = [0.2126 * r + 0.7152 * g + 0.0722 * b for r, g, b in map(to_rgb, colors)]
    assert all(a > b for a, b in zip(luminance, luminance[1:], strict=False))  # light → dark: order without hue


def test_map_html_figure_iframe_and_caption(gdf):
    m = maps.choropleth(gdf, "v", "namn", legend_title="T", height_px=300)
    frag = maps.map_html(m, "Karta " + XSS, "Flest i Söderby. " + XSS, source="Brå")
    assert frag.startswith('<figure class="lb-map"><iframe ') and frag.endswith("</figure>")
    assert "<script>alert(1)" not in frag and "<img src=x" not in frag
    assert 'title="Karta &lt;script&gt;' in frag
    assert "height:300px" in frag and "width:100%" in frag
    assert 'sandbox="allow-scripts"' in frag
    assert "<figcaption" in frag and "Flest i Söderby. &lt;script&gt;" in frag and "Källa: Brå" in frag
    assert "<script" not in frag.split("srcdoc=", 1)[0]  # everything of the map is inside the attribute
    assert "Leaflet 1.9.4" in frag  # escaped srcdoc still contains Leaflet's code
    assert_offline(frag)  # also checks the document inside srcdoc


def test_map_document_is_swedish_titled_and_zoomable(gdf):
    page = maps.map_document(maps.choropleth(gdf, "v", "namn", legend_title="T"), "Karta " + XSS)
    assert page.startswith('<!DOCTYPE html>\n<html lang="sv">\n<head>\n<title>Karta &lt;script&gt;')
    assert page.count("<html") == 1 and page.count("<title>") == 1
    viewports = re.findall(r'<meta name="viewport"[^>]*>', page)
    assert viewports == ['<meta name="viewport" content="width=device-width, initial-scale=1.0">']
    assert "user-scalable" not in page and "maximum-scale" not in page
    assert 'role="region" aria-label="Teckenförklaring"' in page  # the legend is a named landmark


def test_map_document_refuses_a_page_it_does_not_recognise(monkeypatch):
    m = maps.make_offline(folium.Map(tiles=None))
    monkeypatch.setattr(type(m.get_root()), "render", lambda self, **kw: "<html><body></body></html>")
    with pytest.raises(ValueError, match="check lagesbild.render.maps against the installed folium"):
        maps.map_document(m, "Karta")


def test_map_html_embeds_the_accessible_document_and_a_print_note(gdf):
    frag = maps.map_html(maps.choropleth(gdf, "v", "namn", legend_title="T"), "Karta", "Flest i Söderby.")
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', frag).group(1))
    assert srcdoc.startswith('<!DOCTYPE html>\n<html lang="sv">') and "<title>Karta</title>" in srcdoc
    note = f'<p class="lb-print-note">{html.escape(maps.PRINT_NOTE)}</p>'
    assert note in frag and frag.index("</iframe>") < frag.index(note) < frag.index("<figcaption")


def test_map_html_refuses_a_map_that_loads_from_a_cdn():
    with pytest.raises(ValueError, match="remote resource"):
        maps.map_html(folium.Map(tiles=None), "Karta", "Text")
    with pytest.raises(ValueError, match="tile"):
        maps.make_offline(folium.Map())  # OSM tiles would load
    m = maps.make_offline(folium.Map(tiles=None))
    folium.TileLayer("OpenStreetMap").add_to(m)
    with pytest.raises(ValueError, match="tile layer https://tile.openstreetmap.org"):
        maps.map_html(m, "Karta", "Text")


def test_map_html_needs_title_and_text_alternative(gdf):
    m = maps.choropleth(gdf, "v", "namn", legend_title="T")
    with pytest.raises(ValueError):
        maps.map_html(m, "", "Text")
    with pytest.raises(ValueError):
        maps.map_html(m, "Karta", " ")


# ---- options used by the place report: fixed classes, reversed colours, outlines, context ----

def _fills(m: folium.Map) -> dict[str, str]:
    """Fill colour per polygon name, read from the map's GeoJSON layers."""
    return {f["properties"]["lb_tip"].split("</strong>")[0][len("<strong>"):]: f["properties"]["lb_fill"]
            for layer in m._children.values() if isinstance(layer, folium.GeoJson)
            for f in layer.data["features"] if "lb_fill" in f["properties"]}


def test_fixed_edges_put_values_in_the_given_classes(gdf):
    m = maps.choropleth(gdf, "v", "namn", legend_title="Poäng", edges=[0, 15, 30, 40])
    page = m.get_root().render()
    colors = mapclasses.sequential_colors(3)
    features = _fills(m)
    assert features["Norrby"] == colors[0] and features["Mittby"] == colors[1] and features["Söderby"] == colors[2]
    assert "0,0 – 15,0" in page and "30,0 – 40,0" in page


def test_dark_is_low_reverses_the_colours(gdf):
    m = maps.choropleth(gdf, "v", "namn", legend_title="Poäng", edges=[0, 15, 30, 40], dark_is_low=True)
    assert _fills(m)["Norrby"] == mapclasses.sequential_colors(3)[-1]


@pytest.mark.parametrize("edges", [[1], [3, 2], [1, 1, 2]])
def test_bad_edges_are_rejected(gdf, edges):
    with pytest.raises(ValueError, match="edges"):
        maps.choropleth(gdf, "v", "namn", legend_title="Poäng", edges=edges)


def test_highlight_label_and_context_outlines_are_in_the_legend_and_escaped(gdf):
    context = gpd.GeoDataFrame({"namn": [XSS]}, geometry=[box(13.2, 56.2, 13.4, 56.4)], crs="EPSG:4326")
    m = maps.choropleth(gdf, "v", "namn", legend_title="Antal", highlight="0002", highlight_column="kod",
                        highlight_label="Het punkt (95 %)", context=context, context_name_column="namn",
                        context_label="Bedömda platser")
    page = m.get_root().render()
    assert "Het punkt (95 %)" in page and "Vald: " not in page and "Bedömda platser" in page
    assert "<script>alert(1)" not in page and "lt;script\\u0026gt;alert(1)" in page  # escaped, then JSON-encoded
    assert_offline(page)


def test_context_needs_a_name_column(gdf):
    context = gpd.GeoDataFrame({"x": [1]}, geometry=[box(13.2, 56.2, 13.4, 56.4)], crs="EPSG:4326")
    with pytest.raises(ValueError, match="context_name_column"):
        maps.choropleth(gdf, "v", "namn", legend_title="Antal", context=context, context_name_column="namn")


def test_markers_draw_one_labelled_marker_per_polygon_in_its_colour(gdf):
    m = maps.choropleth(gdf, "v", "namn", legend_title="Poäng", edges=[0, 15, 30, 40], markers=True,
                        marker_labels=["1", "2", XSS, "4"])
    icons = [c for c in m._children.values() if type(c).__name__ == "_LabelMarker"]
    assert len(icons) == len(gdf)
    assert not [c for c in m._children.values() if isinstance(c, folium.Marker)]  # its default icon loads PNGs
    page = m.get_root().render()
    assert f"background:{mapclasses.sequential_colors(3)[0]}" in page and f"background:{maps.MISSING_COLOR}" in page
    assert "<script>alert(1)" not in page  # the label is escaped
    assert_offline(page)


def test_marker_labels_must_match_the_rows(gdf):
    with pytest.raises(ValueError, match="marker labels"):
        maps.choropleth(gdf, "v", "namn", legend_title="Poäng", markers=True, marker_labels=["1"])


@pytest.mark.parametrize(("color", "expected"), [("#000000", 0.0), ("#ffffff", 1.0), ("#808080", 0.2158605)])
def test_luminance_follows_wcag(color, expected):
    assert maps._luminance(color) == pytest.approx(expected, abs=1e-6)


def test_marker_numbers_have_at_least_aa_contrast_on_every_class_colour():
    values = [1.0, 2.0, 3.0, 4.0, 5.0, float("nan")]
    g = gpd.GeoDataFrame({"namn": list("abcdef"), "v": values},
                         geometry=[box(13 + i, 56, 13.5 + i, 56.5) for i in range(6)], crs="EPSG:4326")
    page = maps.choropleth(g, "v", "namn", legend_title="Poäng", edges=[0.5, 1.5, 2.5, 3.5, 4.5, 5.5], markers=True,
                           marker_labels=list("123456")).get_root().render()
    pairs = re.findall(r"background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})", page)
    assert len(pairs) == 6 and len({bg for bg, _ in pairs}) == 6
    for background, ink in pairs:
        a, b = maps._luminance(background), maps._luminance(ink)
        assert (max(a, b) + 0.05) / (min(a, b) + 0.05) >= 4.5, (background, ink)


def test_category_map_draws_each_category_with_its_own_colour_and_style():
    g = gpd.GeoDataFrame({"roll": ["kontroll", "behandlat", "förskjutning", XSS]},
                         geometry=[box(13, 56, 13.01, 56.01), box(13.02, 56, 13.03, 56.01),
                                   box(13.04, 56, 13.05, 56.01), box(13.06, 56, 13.07, 56.01)], crs="EPSG:4326")
    cats = ["behandlat", "förskjutning", "kontroll", XSS]
    m = maps.category_map(g, "roll", legend_title="Områden", categories=cats)
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == 4
    styles = [layer.style_function(None) for layer in layers]
    assert len({s["fillColor"] for s in styles}) == 4 and len({s["dashArray"] for s in styles}) == 4
    page = m.get_root().render()
    assert "<script>alert(1)" not in page and page.index("behandlat") < page.index("kontroll")
    assert_offline(page)


def test_category_map_rejects_unknown_categories():
    g = gpd.GeoDataFrame({"roll": ["annat"]}, geometry=[box(13, 56, 13.01, 56.01)], crs="EPSG:4326")
    with pytest.raises(ValueError, match="not among the categories"):
        maps.category_map(g, "roll", legend_title="Områden", categories=["behandlat"])


def test_outline_and_category_colours_are_visible_on_white():
    """Outlines and category areas are drawn on a white map: 3:1 against white (WCAG 1.4.11), like chart lines."""
    from lagesbild.render.charts import PALETTE, contrast_ratio

    assert contrast_ratio(maps.CONTEXT_COLOR) >= 3 and contrast_ratio(maps.EDGE_COLOR) >= 3
    assert all(contrast_ratio(c) >= 3 for c in PALETTE[:4])  # category_map's default colours for up to 4 areas


def test_context_swatch_is_dashed_like_the_context_outlines(gdf):
    context = gpd.GeoDataFrame({"namn": ["Torget"]}, geometry=[box(13.2, 56.2, 13.4, 56.4)], crs="EPSG:4326")
    page = maps.choropleth(gdf, "v", "namn", legend_title="Antal", context=context,
                           context_name_column="namn").get_root().render()
    assert f".lb-swatch-context {{ background: transparent; border: 2px dashed {maps.CONTEXT_COLOR}; }}" in page
    assert '"dashArray": "6 4"' in page
