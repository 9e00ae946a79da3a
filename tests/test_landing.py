"""The landing page reports/index.html (lagesbild.publish.landing): list by län, search, SVG map, escaping, size."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, box

from lagesbild.core.paths import DATA
from lagesbild.publish import export as publish
from lagesbild.publish import landing
from lagesbild.publish.landing import Geography

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

class _Parsed(HTMLParser):
    """Every start tag with its attributes, the text inside each element id, and every script."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.texts).append(data)

    def all(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def with_class(self, tag: str, cls: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag and cls in (a.get("class") or "").split()]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def _entry(**kw) -> dict:
    base = {"kommun": "1283", "name": "Helsingborg", "lan": "Skåne län", "report": "crime_trends",
            "title": "Brottsutvecklingen i Helsingborg"}
    return base | kw


def _touch(out: Path, *relatives: str) -> None:
    for relative in relatives:
        publish.atomic_write_text(out / relative, "<!DOCTYPE html>")


def _square(x: float, y: float, size: float = 10_000) -> Polygon:
    return box(x, y, x + size, y + size)


@pytest.fixture
def geography() -> Geography:
    """Four kommuner in two län, SWEREF 99 TM squares; län 12 comes before 20 whatever the names."""
    kommuner = pd.DataFrame({
        "kommun_kod": ["1283", "1280", "2080", "2062"],
        "kommun": ["Helsingborg", "Malmö", "Falun", "Mora"],
        "lan_kod": ["12", "12", "20", "20"],
        "lan": ["Skåne län", "Skåne län", "Dalarnas län", "Dalarnas län"],
    })
    boundaries = gpd.GeoDataFrame(
        kommuner[["kommun_kod", "kommun", "lan_kod"]],
        geometry=[_square(360_000, 6_210_000), _square(370_000, 6_160_000), _square(530_000, 6_720_000),
                  _square(480_000, 6_760_000)],
        crs="EPSG:3006",
    )
    lan = gpd.GeoDataFrame({"lan_kod": ["12", "20"]},
                           geometry=[box(360_000, 6_160_000, 380_000, 6_220_000),
                                     box(480_000, 6_720_000, 540_000, 6_770_000)], crs="EPSG:3006")
    return Geography(kommuner=kommuner, boundaries=boundaries, lan_boundaries=lan)


# --------------------------------------------------------------------------------------------
# labels and search text
# --------------------------------------------------------------------------------------------

class TestReportLabel:
    def test_known_reports_have_swedish_labels(self):
        assert landing.report_label("lagesbild") == "Lägesbild (sammanfattning)"
        assert landing.report_label("crime_trends", "Brottsutvecklingen i Falun") == "Brottsutveckling"
        assert landing.report_label("place_assessment") == "Platsbedömning"
        assert landing.report_label("wastewater") == "Narkotika i avloppsvatten"
        assert landing.report_label("project_evaluation") == "Utvärdering av trygghetsarbete"

    def test_unknown_report_uses_its_title_then_its_name(self):
        assert landing.report_label("surveys", "  Trygghetsmätning ") == "Trygghetsmätning"
        assert landing.report_label("surveys", "   ") == "surveys"
        assert landing.report_label("surveys", None) == "surveys"

    def test_every_report_notebook_has_a_label(self):
        from lagesbild.core.paths import available_reports

        assert set(available_reports()) <= set(landing.REPORT_LABELS)


class TestSearchText:
    def test_lower_case_without_accents_single_spaces(self):
        assert landing.search_text("2080", "Falun", "Dalarnas län") == "2080 falun dalarnas lan"
        assert landing.search_text(" Åre ", "Jämtlands\tlän") == "are jamtlands lan"
        assert landing.search_text("Malmö", 1280) == "malmo 1280"

    def test_hostile_text_stays_text(self):
        assert landing.search_text("<b>Ö</b>") == "<b>o</b>"


# --------------------------------------------------------------------------------------------
# the map
# --------------------------------------------------------------------------------------------

class TestSvgMap:
    def test_hand_computed_path(self):
        # one 10 km square, top-left at (500 000, 6 610 000); unit 100 m → 100 × 100 units, y downwards
        poly = Polygon([(500_000, 6_610_000), (510_000, 6_610_000), (510_000, 6_600_000), (500_000, 6_600_000)])
        gdf = gpd.GeoDataFrame({"kommun_kod": ["0001"], "kommun": ["Ettby"]}, geometry=[poly], crs="EPSG:3006")
        svg = landing.svg_map(gdf)
        assert 'viewBox="0 0 100 100"' in svg
        assert 'd="M0 0l100 0 0 100-100 0z"' in svg

    def test_one_path_per_kommun_and_links_for_those_with_reports(self, geography):
        svg = landing.svg_map(geography.boundaries, {"1283": "Helsingborg: 2 rapporter", "2080": "Falun: 1 rapport"})
        parsed = _Parsed(svg)
        paths = parsed.all("path")
        assert len(paths) == 4
        assert len(parsed.with_class("path", "lb-map-has")) == 2 and len(parsed.with_class("path", "lb-map-none")) == 2
        links = parsed.all("a")
        assert [(a["href"], a["aria-label"], a["data-kommun"]) for a in links] == [
            ("#k-1283", "Helsingborg: 2 rapporter", "1283"), ("#k-2080", "Falun: 1 rapport", "2080")]
        titles = re.findall(r"<title>(.*?)</title>", svg)
        assert titles == ["Malmö (inga rapporter)", "Helsingborg", "Mora (inga rapporter)", "Falun"]  # by code
        svg_tag = parsed.all("svg")[0]
        assert svg_tag["role"] == "group" and svg_tag["aria-label"] == "Karta över Sveriges kommuner"

    def test_each_linked_path_sits_inside_its_link(self, geography):
        svg = landing.svg_map(geography.boundaries, {"1280": "Malmö"})
        assert re.search(r'<a href="#k-1280"[^>]*><path class="lb-map-has" d="[^"]+"><title>Malmö</title></path></a>', svg)

    def test_names_and_labels_are_escaped(self, geography):
        svg = landing.svg_map(geography.boundaries, {"1283": "Helsingborg " + XSS}, names={"2080": "Falun " + XSS})
        parsed = _Parsed(svg)
        assert not parsed.all("script") and not parsed.all("img")
        assert parsed.all("a")[0]["aria-label"] == "Helsingborg " + XSS
        assert "Falun " + XSS + " (inga rapporter)" in parsed.text

    def test_geographic_input_is_projected_to_sweref(self):
        # the same square given in SWEREF 99 TM and, converted with pyproj, in WGS 84: the same path
        corners = [(500_000, 6_610_000), (510_000, 6_610_000), (510_000, 6_600_000), (500_000, 6_600_000)]
        to_wgs84 = Transformer.from_crs("EPSG:3006", "EPSG:4326", always_xy=True)
        wgs84 = [to_wgs84.transform(x, y) for x, y in corners]
        assert 14 < wgs84[0][0] < 16 and 59 < wgs84[0][1] < 60  # (really is lon/lat in mid-Sweden)
        a = gpd.GeoDataFrame({"kommun_kod": ["0001"]}, geometry=[Polygon(corners)], crs="EPSG:3006")
        b = gpd.GeoDataFrame({"kommun_kod": ["0001"]}, geometry=[Polygon(wgs84)], crs="EPSG:4326")
        assert landing.svg_map(a) == landing.svg_map(b)

    def test_simplification_drops_vertices_and_small_islands_but_never_a_kommun(self):
        # a 20 km square whose top edge has 200 vertices wobbling 10 m (below the 500 m tolerance) ...
        top = [(500_000 + 100 * i, 6_620_000 - (10 if i % 2 else 0)) for i in range(201)]
        wobbly = Polygon([(500_000, 6_600_000), *top, (520_000, 6_600_000)])
        island = _square(530_000, 6_600_000, 500)  # 0.25 km² < (2 × 500 m)²: dropped
        # a kommun that small is still drawn, as a square (not simplified into a triangle)
        tiny = Polygon([(540_000, 6_600_300), (540_300, 6_600_300), (540_300, 6_600_000), (540_000, 6_600_000)])
        gdf = gpd.GeoDataFrame({"kommun_kod": ["0001", "0002"]},
                               geometry=[MultiPolygon([wobbly, island]), tiny], crs="EPSG:3006")
        parsed = _Parsed(landing.svg_map(gdf))
        d1, d2 = (p["d"] for p in parsed.all("path"))
        assert d1.count("M") == 1  # the island is gone
        assert len(re.findall(r"-?\d+", d1)) <= 10  # ... and the wobble: 4 corners (+ rounding's extra vertex)
        # 300 m → 3 units; x = (540 000 − 500 000) / 100 = 400, y = (6 620 000 − 6 600 300) / 100 = 197
        assert d2 == "M400 197l3 0 0 3-3 0z"

    def test_a_kommun_too_small_to_draw_becomes_a_small_square(self):
        # 40 m wide: rounds to a point at unit 100 m; drawn as 2 × 2 units around its representative point
        gdf = gpd.GeoDataFrame({"kommun_kod": ["0001", "0002"]},
                               geometry=[_square(500_000, 6_600_000), _square(505_000, 6_605_000, 40)],
                               crs="EPSG:3006")
        d = [p["d"] for p in _Parsed(landing.svg_map(gdf)).all("path")]
        # centre (505 020, 6 605 020), square ±100 m, corners counter-clockwise from (max x, min y) as shapely's box:
        # (505 120, 6 604 920) → x 51.2 → 51, y (6 610 000 − 6 604 920) / 100 = 50.8 → 51; then (51, 49), (49, 49), (49, 51)
        assert d[1] == "M51 51l0-2-2 0 0 2z"

    def test_holes_are_kept_with_their_own_ring(self):
        outer = Polygon(box(500_000, 6_600_000, 520_000, 6_620_000).exterior.coords,
                        [box(505_000, 6_605_000, 515_000, 6_615_000).exterior.coords])
        gdf = gpd.GeoDataFrame({"kommun_kod": ["0001"]}, geometry=[outer], crs="EPSG:3006")
        d = _Parsed(landing.svg_map(gdf)).all("path")[0]["d"]
        assert d.count("M") == 2 and d.count("z") == 2

    def test_lan_outlines_are_hidden_from_assistive_technology(self, geography):
        parsed = _Parsed(landing.svg_map(geography.boundaries, lan_boundaries=geography.lan_boundaries))
        outline = parsed.with_class("path", "lb-map-lan")
        assert len(outline) == 1 and outline[0]["aria-hidden"] == "true" and outline[0]["d"].count("M") == 2

    def test_bad_input(self, geography):
        with pytest.raises(ValueError, match="kommun_kod"):
            landing.svg_map(geography.boundaries.drop(columns="kommun_kod"))
        with pytest.raises(ValueError, match="CRS"):
            landing.svg_map(gpd.GeoDataFrame({"kommun_kod": ["0001"]}, geometry=[_square(0, 0)]))
        with pytest.raises(ValueError, match="positive"):
            landing.svg_map(geography.boundaries, tolerance=0)
        with pytest.raises(ValueError, match="positive"):
            landing.svg_map(geography.boundaries, unit=float("nan"))


# --------------------------------------------------------------------------------------------
# the page
# --------------------------------------------------------------------------------------------

class TestLandingHtml:
    def _page(self, tmp_path, geography=None, entries=None) -> str:
        _touch(tmp_path, "1283/crime_trends.html", "1283/lagesbild.html", "1283/wastewater.html",
               "1283/surveys.html", "2080/crime_trends.html")
        entries = entries if entries is not None else [
            _entry(generated="22 november 2026 kl. 20:56"),
            _entry(report="surveys", title="Trygghetsmätning i Helsingborg"),
            _entry(report="wastewater", title="Narkotika i avloppsvatten – Helsingborg"),
            _entry(report="lagesbild", title="Lägesbild för Helsingborg", href="1283/lagesbild.html"),
            _entry(report="place_assessment", title="Platsbedömning", status="failed", message="saknar platsdata"),
            _entry(kommun="2080", name="Falun", lan="Dalarnas län"),
        ]
        return landing.landing_html(tmp_path, entries, geography=geography)

    def test_document_basics(self, tmp_path):
        page = self._page(tmp_path)
        parsed = _Parsed(page)
        assert page.startswith("<!DOCTYPE html>") and '<html lang="sv">' in page
        assert re.search(r"<title>Lägesbild – rapporter per kommun</title>", page)
        assert len(parsed.all("h1")) == 1 and len(parsed.all("main")) == 1
        assert parsed.all("meta", name="viewport")
        assert "Rapporter för 2 kommuner i 2 län (5 klara, 1 misslyckade)." in parsed.text
        assert not [a for a in parsed.all("script") if "src" in a] and not parsed.all("link")
        publish.assert_offline(page)

    def test_kommuner_grouped_by_lan_in_scb_order_with_a_table(self, tmp_path, geography):
        parsed = _Parsed(self._page(tmp_path, geography))
        headings = [t for t in parsed.texts if t in ("Skåne län", "Dalarnas län")]
        assert headings[:2] == ["Skåne län", "Dalarnas län"]  # län code 12 before 20

    def test_lan_alphabetical_without_a_table(self, tmp_path):
        page = self._page(tmp_path)
        assert page.index("<h2") < page.index("Dalarnas län</h2>") < page.index("Skåne län</h2>")
        assert 'class="lb-map"' not in page and not _Parsed(page).all("figure")  # no boundaries, no map

    def test_kommuner_in_swedish_alphabetical_order(self, tmp_path):
        names = ["Öckerö", "Åmål", "Ale", "Älvsbyn", "Zeta", "Eda"]
        entries = [_entry(kommun=f"14{i:02d}", name=n, lan="Västra Götalands län", status="failed")
                   for i, n in enumerate(names)]
        parsed = _Parsed(landing.landing_html(tmp_path, entries))
        shown = [t for t in parsed.texts if t in names]
        assert shown == ["Ale", "Eda", "Zeta", "Åmål", "Älvsbyn", "Öckerö"]

    def test_reports_summary_first_with_labels_and_build_time(self, tmp_path):
        parsed = _Parsed(self._page(tmp_path))
        item = re.search(r'<li class="lb-kommun" id="k-1283".*?</ul>\s*</li>', self._page(tmp_path), re.S).group(0)
        labels = re.findall(r'<a href="1283/[^"]+">([^<]+)</a>|<span class="lb-report-name">([^<]+)</span>', item)
        assert [a or b for a, b in labels] == ["Lägesbild (sammanfattning)", "Brottsutveckling", "Platsbedömning",
                                              "Narkotika i avloppsvatten", "Trygghetsmätning i Helsingborg"]
        assert 'class="lb-report-summary"><a href="1283/lagesbild.html">' in item
        assert "byggd 22 november 2026 kl. 20:56" in parsed.text
        assert item.count("byggd") == 1  # only the entry that has a time shows one

    def test_failed_report_is_listed_as_failed_and_not_linked(self, tmp_path):
        page = self._page(tmp_path)
        assert "place_assessment.html" not in page
        assert page.count('class="lb-status-failed"') == 1
        assert re.search(r'<span class="lb-report-name">Platsbedömning</span> <strong class="lb-status-failed">'
                         r'Misslyckades</strong><span class="lb-message">: saknar platsdata</span>', page)

    def test_search_field_label_status_and_data(self, tmp_path, geography):
        page = self._page(tmp_path, geography)
        parsed = _Parsed(page)
        box_ = parsed.all("div", id="lb-sokruta")[0]
        assert box_["role"] == "search" and "hidden" in box_  # shown by the script only
        field = parsed.all("input", id="lb-sok")[0]
        assert field["type"] == "search" and field["aria-controls"] == "lb-lista"
        assert field["aria-describedby"] == "lb-antal" and parsed.all("p", id="lb-antal")[0]["role"] == "status"
        assert parsed.all("label", **{"for": "lb-sok"})
        items = {a["id"]: a for a in parsed.with_class("li", "lb-kommun")}
        assert items["k-1283"]["data-search"] == "1283 helsingborg skane lan"
        assert items["k-2080"]["data-search"] == "2080 falun dalarnas lan"
        assert items["k-2080"]["data-kommun"] == "2080"
        script = "".join(parsed.scripts)
        assert 'getElementById("lb-sok")' in script and "data-search" in script

    def test_map_has_one_path_per_kommun_and_links_to_existing_entries(self, tmp_path, geography):
        page = self._page(tmp_path, geography)
        parsed = _Parsed(page)
        kommun_paths = [p for p in parsed.all("path") if "lb-map-lan" not in p.get("class", "")]
        assert len(kommun_paths) == len(geography.boundaries) == 4
        has = parsed.with_class("path", "lb-map-has")
        assert len(has) == 2
        ids = {a["id"] for a in parsed.with_class("li", "lb-kommun")}
        links = [a for a in parsed.all("a") if "data-kommun" in a]
        assert sorted(a["href"] for a in links) == ["#k-1283", "#k-2080"]
        assert all(a["href"][1:] in ids for a in links)
        labels = {a["data-kommun"]: a["aria-label"] for a in links}
        assert labels == {"1283": "Helsingborg, Skåne län: 4 rapporter, 1 misslyckades",
                          "2080": "Falun, Dalarnas län: 1 rapport"}
        assert "Kommun med rapporter (2)" in parsed.text
        assert parsed.all("a", href="#lb-lista")  # the list is the map's alternative, linked from the caption

    def test_kommun_missing_from_the_boundaries_is_listed_not_mapped(self, tmp_path, geography):
        _touch(tmp_path, "9999/crime_trends.html")
        page = landing.landing_html(tmp_path, [_entry(kommun="9999", name="Nyby", lan="Skåne län")],
                                    geography=geography)
        assert 'id="k-9999"' in page and 'href="#k-9999"' not in page
        assert "Kommun med rapporter (0)" in page

    def test_empty_lan_comes_from_the_table(self, tmp_path, geography):
        _touch(tmp_path, "2080/crime_trends.html")
        page = landing.landing_html(tmp_path, [_entry(kommun="2080", name="Falun", lan="")], geography=geography)
        assert "Dalarnas län</h2>" in page
        page = landing.landing_html(tmp_path, [_entry(kommun="2080", name="Falun", lan="")])
        assert "Län saknas</h2>" in page

    def test_hostile_names_titles_and_messages_are_escaped(self, tmp_path, geography):
        _touch(tmp_path, "2080/crime_trends.html", "2080/surveys.html")
        entries = [
            _entry(kommun="2080", name="Falun " + XSS, lan="Dalarnas län " + XSS, generated="idag " + XSS),
            _entry(kommun="2080", name="Falun " + XSS, lan="Dalarnas län " + XSS, report="surveys",
                   title="Enkät " + XSS),
            _entry(kommun="2080", name="Falun " + XSS, lan="Dalarnas län " + XSS, report="wastewater",
                   status="failed", message="fel " + XSS),
        ]
        page = landing.landing_html(tmp_path, entries, geography=geography, title="Rapporter " + XSS)
        parsed = _Parsed(page)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert not parsed.all("img") and len(parsed.all("script")) == 1
        assert "alert" not in "".join(parsed.scripts)
        for text in ("Falun " + XSS, "Dalarnas län " + XSS, "byggd idag " + XSS, "Enkät " + XSS, ": fel " + XSS,
                     "Rapporter " + XSS):
            assert text in parsed.text, text
        link = parsed.all("a", href="#k-2080")[0]
        assert link["aria-label"] == f"Falun {XSS}, Dalarnas län {XSS}: 2 rapporter, 1 misslyckades"
        assert parsed.with_class("li", "lb-kommun")[0]["data-search"] == landing.search_text(
            "2080", "Falun " + XSS, "Dalarnas län " + XSS)
        assert not [a for _, a in parsed.tags for k in a if k.startswith("on")]

    def test_empty_entries(self, tmp_path, geography):
        page = landing.landing_html(tmp_path, [], geography=geography)
        assert "Inga rapporter har byggts." in page and 'id="lb-sok"' not in page
        assert "Kommun med rapporter (0)" in page  # the map of Sweden, nothing marked

    def test_validation(self, tmp_path):
        with pytest.raises(ValueError, match="does not exist"):
            landing.landing_html(tmp_path, [_entry()])
        with pytest.raises(ValueError, match="lacks name"):
            landing.landing_html(tmp_path, [{"kommun": "1283", "lan": "x", "report": "r", "title": "t"}])
        with pytest.raises(ValueError, match="not a dict"):
            landing.landing_html(tmp_path, ["1283"])
        with pytest.raises(ValueError, match="status 'maybe'"):
            landing.landing_html(tmp_path, [_entry(status="maybe")])
        with pytest.raises(ValueError, match="file path"):
            landing.landing_html(tmp_path, [_entry(report="../x", status="failed")])
        with pytest.raises(ValueError, match="listed twice"):
            landing.landing_html(tmp_path, [_entry(status="failed"), _entry(status="skipped")])
        with pytest.raises(ValueError, match="two names"):
            landing.landing_html(tmp_path, [_entry(status="failed"), _entry(report="x", lan="Annat", status="failed")])
        _touch(tmp_path, "1283/crime_trends.html")
        with pytest.raises(ValueError, match="href"):
            landing.landing_html(tmp_path, [_entry(href="../1283/crime_trends.html")])
        with pytest.raises(ValueError, match="title"):
            landing.landing_html(tmp_path, [], title=" ")


class TestBuildLanding:
    def test_writes_index_html(self, tmp_path, geography):
        _touch(tmp_path, "2080/crime_trends.html")
        path = landing.build_landing(tmp_path, [_entry(kommun="2080", name="Falun", lan="Dalarnas län")],
                                     geography=geography)
        assert path == tmp_path / "index.html"
        assert path.read_text(encoding="utf-8") == landing.landing_html(
            tmp_path, [_entry(kommun="2080", name="Falun", lan="Dalarnas län")], geography=geography)
        assert not list(tmp_path.glob(".*.tmp"))

    def test_nothing_written_on_error(self, tmp_path):
        with pytest.raises(ValueError):
            landing.build_landing(tmp_path, [_entry()])
        assert not (tmp_path / "index.html").exists()

    def test_data_dir_gives_the_map_of_all_290_kommuner(self, tmp_path):
        _touch(tmp_path, "2080/crime_trends.html")
        page = landing.build_landing(tmp_path, [_entry(kommun="2080", name="Falun", lan="Dalarnas län")],
                                     data_dir=DATA).read_text(encoding="utf-8")
        parsed = _Parsed(page)
        assert len(parsed.with_class("path", "lb-map-none")) == 289
        assert [a["href"] for a in parsed.all("a") if "data-kommun" in a] == ["#k-2080"]


def test_load_geography_reads_the_processed_tables():
    geo = landing.load_geography(DATA)
    assert len(geo.kommuner) == 290 and geo.kommuner["kommun_kod"].is_unique
    assert set(geo.kommuner.columns) >= {"kommun_kod", "kommun", "lan_kod", "lan"}
    assert set(geo.boundaries["kommun_kod"]) == set(geo.kommuner["kommun_kod"])
    assert geo.boundaries.crs is not None and len(geo.lan_boundaries) == 21
    assert geo.kommuner.set_index("kommun_kod").loc["2080", "lan"] == "Dalarnas län"


# --------------------------------------------------------------------------------------------
# all 290 kommuner: the page stays small
# --------------------------------------------------------------------------------------------

#: The page for every kommun with every report must stay well under this.
MAX_BYTES = 600_000


def all_kommuner_page(out: Path) -> str:
    """The page for all 290 kommuner, five reports each, as ``run_all.py --all`` would list them."""
    geo = landing.load_geography(DATA)
    entries = []
    for code, name, lan in zip(geo.kommuner["kommun_kod"], geo.kommuner["kommun"], geo.kommuner["lan"], strict=True):
        for report in landing.REPORT_LABELS:
            _touch(out, f"{code}/{report}.html")
            entries.append({"kommun": code, "name": name, "lan": lan, "report": report, "title": f"{report} {name}",
                            "href": f"{code}/{report}.html", "generated": "22 november 2026 kl. 20:56"})
    return landing.build_landing(out, entries, geography=geo).read_text(encoding="utf-8")


def test_page_for_all_290_kommuner_is_small(tmp_path):
    page = all_kommuner_page(tmp_path)
    size = len(page.encode("utf-8"))
    parsed = _Parsed(page)
    assert len(parsed.with_class("li", "lb-kommun")) == 290
    assert len(parsed.with_class("path", "lb-map-has")) == 290
    assert len(parsed.all("a", href="#k-0114")) == 1
    assert size < MAX_BYTES, f"{size} bytes"
    print(f"\nlanding page for 290 kommuner × 5 reports: {size / 1000:.0f} kB")


# --------------------------------------------------------------------------------------------
# in a browser
# --------------------------------------------------------------------------------------------

def _browser_page(tmp_path) -> Path:
    geo = landing.load_geography(DATA)
    _touch(tmp_path, "2080/crime_trends.html", "1283/crime_trends.html", "1280/crime_trends.html",
           "1280/lagesbild.html")
    entries = [
        _entry(kommun="2080", name="Falun", lan="Dalarnas län"),
        _entry(kommun="1283"),
        _entry(kommun="1280", name="Malmö"),
        _entry(kommun="1280", name="Malmö", report="lagesbild", title="Lägesbild för Malmö"),
    ]
    return landing.build_landing(tmp_path, entries, geography=geo)


@pytest.mark.browser
def test_search_filters_the_list_and_the_map_as_one_types(tmp_path):
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM_ARGS, check_report_offline, require_chromium

    path = _browser_page(tmp_path)
    check_report_offline(path, min_maps=0)  # no network, no JavaScript error, lang and title
    shown = "Array.from(document.querySelectorAll('.lb-kommun')).filter(e => e.offsetParent !== null).map(e => e.id)"
    lan_shown = "Array.from(document.querySelectorAll('.lb-lan')).filter(e => !e.hidden).length"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(path.resolve().as_uri())
            assert page.is_visible("#lb-sok")
            assert sorted(page.evaluate(shown)) == ["k-1280", "k-1283", "k-2080"]
            page.fill("#lb-sok", "malmo")  # without the ö
            assert page.evaluate(shown) == ["k-1280"] and page.evaluate(lan_shown) == 1
            assert page.text_content("#lb-antal") == "1 av 3 kommuner visas."
            assert page.get_attribute('a[href="#k-2080"]', "class") == "lb-dim"
            page.fill("#lb-sok", "")
            page.type("#lb-sok", "Skåne")
            assert page.evaluate(shown) == ["k-1283", "k-1280"]  # Helsingborg, Malmö: alphabetical
            page.fill("#lb-sok", "2080")
            assert page.evaluate(shown) == ["k-2080"]
            page.fill("#lb-sok", "dalarna falun")  # every word must match
            assert page.evaluate(shown) == ["k-2080"]
            page.fill("#lb-sok", "ingenstans")
            assert page.evaluate(shown) == [] and page.is_visible("#lb-ingen")
            # a map link to a kommun the search hides clears the search and takes the focus there
            page.click('a[href="#k-2080"]')
            page.wait_for_function("document.activeElement && document.activeElement.id === 'k-2080'")
            assert page.input_value("#lb-sok") == "" and len(page.evaluate(shown)) == 3
            assert page.url.endswith("#k-2080")
        finally:
            browser.close()


@pytest.mark.browser
def test_without_javascript_the_full_list_works_and_no_dead_search_field(tmp_path):
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM_ARGS, require_chromium

    path = _browser_page(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(path.resolve().as_uri())
            assert not page.is_visible("#lb-sok")
            assert page.locator(".lb-kommun").count() == 3
            assert all(page.locator(".lb-kommun").nth(i).is_visible() for i in range(3))
            page.click('a[href="#k-1283"]')  # the map still links to the list
            assert page.url.endswith("#k-1283")
        finally:
            browser.close()


@pytest.mark.browser
def test_accessibility_axe_keyboard_and_zoom(tmp_path):
    """axe-core finds no WCAG 2.1 A/AA violation; Tab reaches the skip link, the search, the map and the
    list in that order; at 200 % zoom (a 640 px wide viewport) nothing scrolls sideways."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM_ARGS, require_chromium

    path = _browser_page(tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        try:
            for width, height in ((1280, 900), (640, 450)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(path.resolve().as_uri())
                results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
                violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
                assert violations == [], violations
                assert page.evaluate("document.documentElement.scrollWidth") <= width
            order = []
            for _ in range(6):
                page.keyboard.press("Tab")
                order.append(page.evaluate("(e => e.id || e.getAttribute('href'))(document.activeElement)"))
            assert order[:2] == ["#lb-lista", "lb-sok"]
            assert order[2:5] == ["#k-1280", "#k-1283", "#k-2080"]  # the map's links, by code
            assert order[5] == "#lb-lista"  # the caption's link to the list
        finally:
            browser.close()
