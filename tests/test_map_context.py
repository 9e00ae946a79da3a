"""Reference layers on the report maps (lagesbild.render.mapref): kommun outline, Polisen's utsatta områden, basemap.

The fast tests build small frames here; the slow ones run the place-assessment notebook for
Helsingborg (two utsatta områden) and for a kommun without any.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import folium
import geopandas as gpd
import nbformat
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from lagesbild.publish import export as publish
from lagesbild.publish.export import assert_offline
from lagesbild.render import mapclasses, mapref, maps
from lagesbild.render.charts import PALETTE, contrast_ratio

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
TILES = "https://karta.example-kommun.se/tiles/{z}/{x}/{y}.png"

# A town of 2 × 2 km in SWEREF 99 TM, in kommun 9001; another kommun 9002 farther east.
X0, Y0 = 360_000, 6_210_000


@pytest.fixture
def boundaries() -> gpd.GeoDataFrame:
    # a wiggly coast (many vertices within a few metres) so that simplification has something to remove
    coast = [(X0 - 20_000 + i * 100, Y0 - 20_000 + (3 if i % 2 else 0)) for i in range(401)]
    kommun = Polygon([*coast, (X0 + 20_000, Y0 + 20_000), (X0 - 20_000, Y0 + 20_000)])
    return gpd.GeoDataFrame({"kommun_kod": ["9001", "9002"], "kommun": ["Hemby", "Grannby"]},
                            geometry=[kommun, box(X0 + 20_000, Y0 - 20_000, X0 + 60_000, Y0 + 20_000)],
                            crs=3006).to_crs(4326)


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    """Polisen's areas: two near the town (one of them with a hostile name), one 12 km away, one in the next kommun."""
    return gpd.GeoDataFrame(
        {"name": ["Norra", XSS, "Bortre", "Grannområdet"], "class": ["utsatt", "sarskilt", "utsatt", "sarskilt"],
         "kommun_kod": ["9001", "9001", "9001", "9002"], "ort": "", "polisregion": "", "since": "2018-10-01",
         "area_ha": 100.0, "kommun_share": 1.0, "distance_m": 0.0},
        geometry=[box(X0 + 2_500, Y0, X0 + 3_500, Y0 + 1_000), box(X0 - 1_000, Y0 - 1_000, X0, Y0),
                  box(X0 + 14_000, Y0 + 14_000, X0 + 15_000, Y0 + 15_000),
                  box(X0 + 30_000, Y0, X0 + 31_000, Y0 + 1_000)],
        crs=3006).to_crs(4326)


@pytest.fixture
def cells() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"ruta": ["A", "B", "C"], "antal": [3.0, 5.0, 9.0]},
                            geometry=[box(X0 + i * 700, Y0 + i * 500, X0 + i * 700 + 250, Y0 + i * 500 + 250)
                                      for i in range(3)], crs=3006)


@pytest.fixture
def ref(boundaries, areas) -> mapref.ReferenceLayers:
    return mapref.reference_layers(boundaries, areas, "9001")


def layers(m: folium.Map) -> list[folium.GeoJson]:
    return [c for c in m._children.values() if isinstance(c, folium.GeoJson)]


def reference_layers_of(m: folium.Map, pane: str) -> list[folium.GeoJson]:
    return [layer for layer in layers(m) if layer.options.get("pane") == pane]


def legend(page: str) -> str:
    part = page[page.index('<div class="lb-legend"'):]
    return part[:part.index("</div>")]


def bounds_of(page: str) -> list[list[float]]:
    return json.loads(re.search(r"bounds = (\[\[.*?\]\]);", page).group(1))


def tips(page: str) -> list[str]:
    return [json.loads('"' + t + '"') for t in re.findall(r'"lb_tip": "((?:[^"\\]|\\.)*)"', page)]


# --------------------------------------------------------------------------------------------
# reference_layers: selection and simplification
# --------------------------------------------------------------------------------------------

class TestReferenceLayers:
    def test_only_the_kommuns_areas_särskilt_first(self, ref):
        assert ref.areas["name"].tolist() == [XSS, "Bortre", "Norra"]
        assert ref.areas["class"].tolist() == ["sarskilt", "utsatt", "utsatt"]
        assert list(ref.areas.columns) == ["name", "class", "geometry"]  # no dates or other columns reach the map
        assert ref.areas.crs.to_epsg() == 4326 and ref.outline.crs.to_epsg() == 4326
        assert ref.basemap is None and ref.near_m == mapref.NEAR_M

    def test_outline_is_simplified_to_about_20_m(self, boundaries, ref):
        before = boundaries[boundaries.kommun_kod == "9001"].to_crs(3006).geometry.iloc[0]
        after = ref.outline.to_crs(3006).geometry.iloc[0]
        assert shapely.get_num_coordinates(after) < shapely.get_num_coordinates(before) / 10
        assert before.hausdorff_distance(after) <= mapref.OUTLINE_TOLERANCE_M + 1

    def test_a_kommun_without_areas_and_a_data_folder_without_the_file(self, boundaries, areas):
        for frame in (areas[areas.kommun_kod == "9002"], areas.iloc[0:0], None):
            ref = mapref.reference_layers(boundaries, frame, "9001")
            assert len(ref.areas) == 0 and len(ref.outline) == 1

    def test_unknown_kommun_or_class_or_missing_column(self, boundaries, areas):
        with pytest.raises(ValueError, match="'9999' has no boundary"):
            mapref.reference_layers(boundaries, areas, "9999")
        with pytest.raises(ValueError, match="unknown class"):
            mapref.reference_layers(boundaries, areas.assign(**{"class": "farligt"}), "9001")
        with pytest.raises(ValueError, match="kommun_kod"):
            mapref.reference_layers(boundaries, areas.drop(columns="kommun_kod"), "9001")


# --------------------------------------------------------------------------------------------
# drawing: layers, legend, escaping, panes
# --------------------------------------------------------------------------------------------

class TestDrawing:
    def test_choropleth_draws_outline_and_areas_with_legend_rows(self, cells, ref):
        m = maps.choropleth(cells, "antal", "ruta", legend_title="Händelser", reference=ref)
        fills, lines = reference_layers_of(m, "lb-reference"), reference_layers_of(m, "lb-reference-lines")
        assert len(fills) == 2 and len(lines) == 1  # outline + area hatching under the data, area outlines over it
        names = [f["properties"]["lb_tip"] for f in fills[1].data["features"]]
        assert len(names) == 3 and not any("Grannområdet" in t for t in names)  # only the kommun's areas
        page = m.get_root().render()
        rows = re.findall(r"</svg>([^<]+)</li>", legend(page))
        assert rows == ["Kommungräns", "Utsatt område (Polisen 2025)", "Särskilt utsatt område (Polisen 2025)"]
        assert 'fill="url(#lb-hatch-utsatt)"' in page and 'id="lb-hatch-sarskilt"' in page
        assert "L.tileLayer" not in page
        assert_offline(page)

    def test_only_the_classes_present_are_in_the_legend(self, cells, boundaries, areas):
        ref = mapref.reference_layers(boundaries, areas[areas["class"] == "utsatt"], "9001")
        page = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref).get_root().render()
        assert "Utsatt område (Polisen 2025)" in legend(page) and "Särskilt" not in legend(page)
        ref = mapref.reference_layers(boundaries, None, "9001")
        page = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref).get_root().render()
        assert "Kommungräns" in legend(page) and "Polisen" not in legend(page) and "lb-hatch" not in page

    def test_hostile_area_names_are_escaped(self, cells, ref):
        page = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref).get_root().render()
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert any(t.startswith("<strong>&lt;script&gt;alert(1)&lt;/script&gt;") and
                   t.endswith("<br>Särskilt utsatt område (Polisen 2025)") for t in tips(page))
        frag = maps.map_html(maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref), "Karta",
                             mapref.reference_text(ref, cells))
        assert "<script>alert(1)" not in frag and "&lt;script&gt;alert(1)" in frag
        assert_offline(frag)

    def test_classes_differ_by_line_style_and_hatching_not_only_colour(self, cells, ref):
        m = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref)
        fill, line = reference_layers_of(m, "lb-reference")[1], reference_layers_of(m, "lb-reference-lines")[0]
        style = {c: line.style_function({"properties": {"lb_class": c}}) for c in mapref.AREA_LABELS}
        assert style["utsatt"]["dashArray"] and not style["sarskilt"]["dashArray"]
        assert style["sarskilt"]["weight"] > style["utsatt"]["weight"]
        hatch = {c: fill.style_function({"properties": {"lb_class": c}})["fillColor"] for c in mapref.AREA_LABELS}
        assert hatch == {"utsatt": "url(#lb-hatch-utsatt)", "sarskilt": "url(#lb-hatch-sarskilt)"}
        assert fill.style_function({"properties": {"lb_class": "utsatt"}})["stroke"] is False
        assert line.options.get("interactive") is False  # outlines over the data never steal its tooltips

    def test_reference_colours_are_visible_and_not_data_colours(self):
        assert contrast_ratio(mapref.AREA_COLOR) >= 3 and contrast_ratio(mapref.OUTLINE_COLOR) >= 3
        data_colours = {c.lower() for c in [*PALETTE[:4], maps.CONTEXT_COLOR, maps.EDGE_COLOR, *mapclasses.sequential_colors(5)]}
        assert mapref.AREA_COLOR.lower() not in data_colours

    def test_panes_put_hatching_under_the_data_and_outlines_over_it(self, cells, ref):
        page = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref).get_root().render()
        z = dict(re.findall(r'createPane\(\s*"([\w-]+)"\);\s*\w+\.style\.zIndex = (\d+);', page))
        assert int(z["lb-reference"]) < 400 < int(z["lb-reference-lines"]) < 600  # overlay pane 400, markers 600

    def test_coordinates_are_rounded_to_5_decimals(self, cells, ref):
        m = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref)
        for layer in [*reference_layers_of(m, "lb-reference"), *reference_layers_of(m, "lb-reference-lines")]:
            coords = np.concatenate([shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))
                                     for f in layer.data["features"]])
            assert np.allclose(coords, np.round(coords, 5), rtol=0, atol=1e-12)

    def test_category_map_draws_the_same_layers(self, cells, ref):
        g = cells.assign(roll=["behandlat", "kontroll", "behandlat"])
        m = maps.category_map(g, "roll", legend_title="Områden", categories=["behandlat", "kontroll"], reference=ref)
        page = m.get_root().render()
        rows = re.findall(r"(?:</span>|</svg>)([^<]+)</li>", legend(page))
        assert rows == ["behandlat", "kontroll", "Kommungräns", "Utsatt område (Polisen 2025)",
                        "Särskilt utsatt område (Polisen 2025)"]
        assert len(reference_layers_of(m, "lb-reference")) == 2
        assert "<script>alert(1)" not in page
        assert_offline(page)

    def test_without_reference_nothing_changes(self, cells):
        page = maps.choropleth(cells, "antal", "ruta", legend_title="H").get_root().render()
        assert "lb-reference" not in page and "Kommungräns" not in page


# --------------------------------------------------------------------------------------------
# the first view
# --------------------------------------------------------------------------------------------

class TestBounds:
    def test_near_areas_within_a_few_km(self, ref, cells):
        assert mapref.near_areas(ref.areas, cells).tolist() == [True, False, True]  # the XSS one, Bortre, Norra
        assert mapref.near_areas(ref.areas, cells, near_m=100).tolist() == [True, False, False]
        assert mapref.near_areas(ref.areas.iloc[0:0], cells).tolist() == []

    def test_view_is_the_data_plus_near_areas_never_the_whole_kommun(self, cells, ref):
        page = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref).get_root().render()
        (south, west), (north, east) = bounds_of(page)
        shown = [*cells.to_crs(4326).geometry, *ref.areas.geometry[ref.areas["name"] != "Bortre"]]  # Norra and XSS
        minx, miny, maxx, maxy = gpd.GeoSeries(shown, crs=4326).total_bounds
        assert [west, south, east, north] == pytest.approx([minx, miny, maxx, maxy], abs=1e-9)
        bortre = ref.areas.geometry[ref.areas["name"] == "Bortre"].iloc[0]
        assert bortre.bounds[1] > north  # 12 km away: drawn, but not in the first view
        assert north - south < 0.05  # ≈ 2.5 km, not the 40 km of the kommun

    def test_without_areas_the_view_is_the_data(self, cells, boundaries):
        ref = mapref.reference_layers(boundaries, None, "9001")
        with_ref = bounds_of(maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=ref).get_root().render())
        without = bounds_of(maps.choropleth(cells, "antal", "ruta", legend_title="H").get_root().render())
        assert with_ref == without

    def test_category_map_bounds_follow_the_same_rule(self, cells, ref):
        g = cells.assign(roll="behandlat")
        page = maps.category_map(g, "roll", legend_title="O", categories=["behandlat"], reference=ref).get_root().render()
        assert bounds_of(page) == mapref.map_bounds(g, ref.areas, ref.near_m)


# --------------------------------------------------------------------------------------------
# text for the caption
# --------------------------------------------------------------------------------------------

class TestText:
    def test_names_the_areas_in_view_and_those_farther_away(self, ref, cells):
        text = mapref.reference_text(ref, cells)
        assert text.startswith(f"Kartan visar också kommungränsen och Polisens särskilt utsatta område {XSS} samt "
                               "utsatta område Norra.")
        assert text.endswith("Polisens utsatta område Bortre ligger mer än 3 km bort och syns när kartan zoomas ut.")

    def test_a_kommun_without_areas_is_not_told_about_them(self, boundaries, cells):
        text = mapref.reference_text(mapref.reference_layers(boundaries, None, "9001"), cells)
        assert text == "Kartan visar också kommungränsen."
        assert mapref.reference_text(None, cells) == ""

    def test_source_names_polisen_only_with_areas(self, ref, boundaries):
        assert mapref.source_with_reference("Händelselogg", ref) == (
            "Händelselogg; kommungräns: SCB (förenklad); Polismyndigheten, utsatta områden 2025")
        assert mapref.source_with_reference("Händelselogg", mapref.reference_layers(boundaries, None, "9001")) == (
            "Händelselogg; kommungräns: SCB (förenklad)")


# --------------------------------------------------------------------------------------------
# basemap
# --------------------------------------------------------------------------------------------

def with_basemap(ref: mapref.ReferenceLayers, url: str = TILES, attribution: str = "© Example kommun"):
    return mapref.ReferenceLayers(ref.outline, ref.areas, mapref.Basemap(url, attribution), ref.near_m)


class TestBasemap:
    def test_tile_layer_under_the_data_and_escaped_attribution(self, cells, ref):
        m = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=with_basemap(ref, attribution=XSS))
        tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
        assert len(tiles) == 1 and tiles[0].tiles == TILES
        page = m.get_root().render()
        assert "L.tileLayer" in page and "<script>alert(1)" not in page
        assert tiles[0].options["attribution"] == html.escape(XSS)

    def test_map_html_allows_exactly_the_declared_host(self, cells, ref):
        m = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=with_basemap(ref))
        frag = maps.map_html(m, "Karta", "Text.")
        assert_offline(frag, tile_hosts=["karta.example-kommun.se"])
        with pytest.raises(ValueError, match="tile layer https://karta.example-kommun.se"):
            assert_offline(frag)  # a page checked without the host: refused
        with pytest.raises(ValueError, match="remote resource"):
            assert_offline(frag, tile_hosts=["example-kommun.se"])  # not a parent domain
        folium.TileLayer("OpenStreetMap").add_to(m)  # a second, undeclared tile layer
        with pytest.raises(ValueError, match="tile layer https://tile.openstreetmap.org"):
            maps.map_html(m, "Karta", "Text.")

    @pytest.mark.parametrize("snippet", [
        '<img src="https://karta.example-kommun.se/logo.png" alt="">',  # only tiles, not images
        '<script src="https://karta.example-kommun.se/x.js"></script>',
        '<script>L.tileLayer("http://karta.example-kommun.se/{z}/{x}/{y}.png")</script>',  # not https
        '<script>L.tileLayer("https://karta.example-kommun.se:8443/{z}/{x}/{y}.png")</script>',  # another port
        '<script>L.tileLayer("https://karta.example-kommun.se.evil.org/{z}/{x}/{y}.png")</script>',
        '<script>L.tileLayer("https://x@karta.example-kommun.se/{z}/{x}/{y}.png")</script>',
    ])
    def test_assert_offline_allows_nothing_else(self, snippet):
        with pytest.raises(ValueError, match="remote resource"):
            assert_offline(f"<html><body>{snippet}</body></html>", tile_hosts=["karta.example-kommun.se"])

    def test_tile_hosts_is_a_list(self):
        with pytest.raises(TypeError):
            assert_offline("<p></p>", tile_hosts="karta.example-kommun.se")

    def test_caption_says_where_the_tiles_come_from(self, cells, ref):
        r = with_basemap(ref)
        assert mapref.reference_text(r, cells).endswith(
            "Bakgrundskartan hämtas från karta.example-kommun.se, som kommunen har angett; kartan gör anrop dit när den "
            "visas.")
        assert mapref.source_with_reference("Data", r).endswith("; bakgrundskarta: © Example kommun")

    @pytest.mark.parametrize("url", ["http://karta.se/{z}/{x}/{y}.png", "https://{s}.karta.se/{z}/{x}/{y}.png",
                                     "https://karta.se/{z}/{x}.png", 'https://karta.se/{z}/{x}/{y}.png"+alert(1)+"'])
    def test_a_bad_basemap_cannot_be_made(self, url):
        with pytest.raises(ValueError, match="basemap url"):
            mapref.Basemap(url, "© X")

    def test_export_allows_the_host_the_run_passed_and_nothing_else(self, cells, ref):
        from lagesbild.render import report

        m = maps.choropleth(cells, "antal", "ruta", legend_title="H", reference=with_basemap(ref))
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data",
                                               data={"text/html": report.map_figure(m, "Karta", "Text.", "Data")})]
        nb = nbformat.v4.new_notebook(cells=[cell])
        with pytest.raises(ValueError, match="tile layer"):
            publish.export_html(nb, "Rapport")  # no parameters recorded: no host allowed
        nb.metadata["papermill"] = {"parameters": {"basemap_url": TILES, "basemap_attribution": "© Example kommun"}}
        assert "karta.example-kommun.se" in publish.export_html(nb, "Rapport")
        nb.metadata["papermill"]["parameters"]["basemap_url"] = "https://annan.example.se/{z}/{x}/{y}.png"
        with pytest.raises(ValueError, match="tile layer"):
            publish.export_html(nb, "Rapport")


# --------------------------------------------------------------------------------------------
# the place-assessment report (slow: executes the notebook)
# --------------------------------------------------------------------------------------------

def _body(nb) -> tuple[str, list[str]]:
    """The exported report before its provenance block (which lists every data file), and its map captions."""
    page = publish.export_html(nb, "Platsbedömning")
    body = page[:page.index("Om underlaget")]
    captions = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", body, re.S)
                if "Karta" in c]
    return body, captions


def _report_body(parameters: dict, tmp_path) -> tuple[str, list[str]]:
    """Execute the place-assessment notebook with ``parameters``; see :func:`_body`."""
    import papermill

    from lagesbild.core.paths import NOTEBOOKS

    nb = papermill.execute_notebook(str(NOTEBOOKS / "place_assessment.ipynb"), str(tmp_path / "out.ipynb"),
                                    parameters=parameters, progress_bar=False, kernel_name="python3", cwd=str(NOTEBOOKS))
    return _body(nb)


@pytest.mark.slow
def test_helsingborg_place_assessment_shows_its_utsatta_omraden(executed_notebook):
    """The notebook's defaults are Helsingborg's (read from test_notebooks' execution with the defaults)."""
    body, captions = _body(executed_notebook("place_assessment", {"kommun": "1283"}))
    assert len(captions) == 2  # the places map and the grid map
    for caption in captions:
        assert "Polisens utsatta områden Dalhem / Drottninghög / Fredriksdal och Söder" in caption
        assert "Källa:" in caption and "Polismyndigheten, utsatta områden 2025" in caption
        assert "Bakgrundskartan" not in caption
    assert "L.tileLayer" not in body


@pytest.mark.slow
def test_a_kommun_without_utsatta_omraden_is_not_told_about_them(tmp_path):
    """The example places, relabelled as Höganäs (1284), a kommun without utsatta områden."""
    from lagesbild.places.analysis import EXAMPLE_PLACES

    folder = tmp_path / "platser"
    shutil.copytree(EXAMPLE_PLACES, folder)
    places = folder / "platser.csv"
    places.write_text(places.read_text(encoding="utf-8-sig").replace(";1283;", ";1284;"), encoding="utf-8-sig")
    body, captions = _report_body({"kommun": "1284", "place_data": str(folder)}, tmp_path)
    assert len(captions) == 2
    assert all("Kartan visar också kommungränsen." in c for c in captions)
    assert "utsatt område" not in body.lower() and "utsatta områden" not in body.lower()
    assert "Polismyndigheten, utsatta områden 2025" not in body
