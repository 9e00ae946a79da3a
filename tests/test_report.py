"""Display helpers (lagesbild.report): escaping, accessible tables and figures, provenance."""

from __future__ import annotations

import base64
import html
from html.parser import HTMLParser

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from shapely.geometry import box

from lagesbild import report
from lagesbild.maps import choropleth
from lagesbild.publish import KEY_FIGURES_MIME

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
XSS_ATTR = '" onmouseover="alert(1)'
NBSP = "\u00a0"


def assert_escaped(out: str) -> None:
    assert "<script>alert(1)" not in out and "<img src=x" not in out, out[:500]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in out


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(out: str) -> _Tags:
    parser = _Tags()
    parser.feed(out)
    return parser


def tags(out: str, name: str) -> list[dict]:
    return [attrs for tag, attrs in parse(out).found if tag == name]


def small_fig() -> Figure:
    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([1, 2, 3])
    return fig


# --------------------------------------------------------------------------------------------
# escaping everywhere
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda: report.heading(XSS),
    lambda: report.heading(XSS, 3),
    lambda: report.paragraph(XSS),
    lambda: report.bullets(["ok", XSS]),
    lambda: report.callout(XSS),
    lambda: report.callout(XSS, "warning"),
    lambda: report.callout(XSS, "example"),
    lambda: report.source(XSS),
    lambda: report.table(pd.DataFrame({"a": [XSS]}), "Tabell"),
    lambda: report.table(pd.DataFrame({XSS: [1]}), "Tabell"),
    lambda: report.table(pd.DataFrame({"a": [1]}), XSS),
    lambda: report.table(pd.DataFrame({"a": [1]}), "Tabell", source=XSS),
    lambda: report.table(pd.DataFrame({"a": [1]}, index=pd.Index([XSS], name="plats")), "T", index=True),
    lambda: report.table(pd.DataFrame({"a": [1.5]}), "T", formatters={"a": lambda v: XSS}),
    lambda: report.figure(small_fig(), XSS, "Figur", "Brå"),
    lambda: report.figure(small_fig(), "alt", XSS, "Brå"),
    lambda: report.figure(small_fig(), "alt", "Figur", XSS),
    lambda: report.provenance([{"name": XSS}], {}, "0.1.0", None),
    lambda: report.provenance([{"name": "a", "description": XSS}], {}, "0.1.0", None),
    lambda: report.provenance([{"name": "a", "date": XSS}], {}, "0.1.0", None),
    lambda: report.provenance([], {XSS: 1}, "0.1.0", None),
    lambda: report.provenance([], {"kommun": XSS}, "0.1.0", None),
    lambda: report.provenance([], {}, XSS, None),
    lambda: report.provenance([], {}, "0.1.0", XSS),
])
def test_every_helper_escapes_hostile_text(make):
    out = make()
    assert isinstance(out, str)
    assert_escaped(out)


@pytest.mark.parametrize("title, alt, source, name", [
    (XSS, "alt", "Brå", "A"),
    ("Karta", XSS, "Brå", "A"),
    ("Karta", "alt", XSS, "A"),
    ("Karta", "alt", "Brå", XSS),
])
def test_map_figure_escapes_hostile_text(title, alt, source, name):
    out = report.map_figure(folium_map(name=name), title, alt, source)
    inner = tags(out, "iframe")[0]["srcdoc"]  # the map page, unescaped once (as the browser sees it)
    outer = out.split("srcdoc=", 1)[0] + out.split("</iframe>", 1)[1]
    for text in (outer, inner):
        assert "<script>alert(1)" not in text and "<img src=x" not in text
    if name == XSS:  # in the tooltips: HTML-escaped, then JSON-escaped inside the map's script
        assert "\\u0026lt;script\\u0026gt;alert(1)" in inner
    else:
        assert_escaped(outer)


def test_attribute_payloads_cannot_break_out():
    out = report.figure(small_fig(), XSS_ATTR, "c", "s")
    assert tags(out, "img")[0]["alt"] == XSS_ATTR
    assert "onmouseover" not in [k for t in tags(out, "img") for k in t]
    out = report.map_figure(folium_map(), XSS_ATTR, "a", "s")
    assert tags(out, "iframe")[0]["title"] == XSS_ATTR
    out = report.table(pd.DataFrame({"a": [1]}), XSS_ATTR)
    assert tags(out, "div")[0]["aria-label"] == XSS_ATTR


# --------------------------------------------------------------------------------------------
# text helpers
# --------------------------------------------------------------------------------------------

def test_text_helpers_markup():
    assert report.heading("Rubrik", 1) == "<h1>Rubrik</h1>"
    assert report.paragraph("Text.") == "<p>Text.</p>"
    assert report.bullets(["a", "b"]) == "<ul><li>a</li><li>b</li></ul>"
    assert report.source("Källa: SCB") == '<p class="lb-source">Källa: SCB</p>'
    assert report.source("SCB") == '<p class="lb-source">Källa: SCB</p>'
    for kind, label in (("info", "Information:"), ("warning", "Observera:"), ("example", "EXEMPELDATA:")):
        out = report.callout("x", kind)
        assert f"lb-callout-{kind}" in out and label in out and 'role="note"' in out


@pytest.mark.parametrize("call", [
    lambda: report.heading("x", 0),
    lambda: report.heading("x", 7),
    lambda: report.heading(""),
    lambda: report.paragraph("   "),
    lambda: report.bullets([]),
    lambda: report.bullets("abc"),
    lambda: report.callout("x", "danger"),
    lambda: report.source(""),
    lambda: report.table(pd.DataFrame({"a": [1]}), ""),
    lambda: report.table(pd.DataFrame({"a": [1]}), "T", formatters={"b": str}),
    lambda: report.figure(small_fig(), "", "c", "s"),
    lambda: report.figure(small_fig(), "a", "", "s"),
    lambda: report.figure(small_fig(), "a", "c", ""),
    lambda: report.map_figure(folium_map(), "", "a", "s"),
    lambda: report.map_figure(folium_map(), "t", "", "s"),
    lambda: report.provenance([{"description": "no name"}], {}, "0.1.0", None),
])
def test_bad_calls_raise(call):
    with pytest.raises(ValueError):
        call()


# --------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------

def test_table_is_accessible_and_swedish():
    df = pd.DataFrame({
        "Brott": ["Stöld", "Rån", "Bedrägeri"],
        "Antal": [1234567, 12, 0],
        "Andel": [0.125, 0.5, float("nan")],
        "Per 100 000": [1234.56, 10.0, 7.25],
    })
    out = report.table(df, "Anmälda brott 2024", source="Brå")
    parsed = parse(out)
    assert "<caption>Anmälda brott 2024</caption>" in out
    headers = [a for t, a in parsed.found if t == "th"]
    assert len(headers) == 4 and all(h.get("scope") == "col" for h in headers)
    assert f"1{NBSP}234{NBSP}567" in out
    assert "0,13" in out or "0,12" in out  # two decimals below 10
    assert "uppgift saknas" in out  # NaN
    assert f"1{NBSP}234,6" in out  # one decimal above 10
    assert '<td class="lb-num">12</td>' in out  # integers without decimals, right-aligned
    assert '<td>Stöld</td>' in out  # text left-aligned
    assert '<p class="lb-source">Källa: Brå</p>' in out
    wrap = tags(out, "div")[0]
    assert wrap["role"] == "region" and wrap["tabindex"] == "0" and wrap["aria-label"] == "Anmälda brott 2024"


def test_table_index_becomes_row_headers():
    df = pd.DataFrame({"Antal": [1, 2]}, index=pd.Index(["Malmö", "Lund"], name="Kommun"))
    out = report.table(df, "Per kommun", index=True)
    th = [a for t, a in parse(out).found if t == "th"]
    assert [a.get("scope") for a in th] == ["col", "col", "row", "row"]
    assert '<th scope="col">Kommun</th>' in out and '<th scope="row">Malmö</th>' in out


def test_table_formatters_dates_and_numpy():
    df = pd.DataFrame({
        "Datum": pd.to_datetime(["2024-03-01", "2024-12-24"]),
        "Värde": np.array([1.5, 2.25]),
        "Antal": pd.array([1, None], dtype="Int64"),
    })
    out = report.table(df, "T", formatters={"Värde": lambda v: f"{v:.3f} st"})
    assert "1 mars 2024" in out and "24 december 2024" in out
    assert "1.500 st" in out and "2.250 st" in out
    assert '<td class="lb-num">1</td>' in out and "uppgift saknas" in out


def test_table_empty_frame_still_has_caption_and_headers():
    out = report.table(pd.DataFrame({"a": pd.Series([], dtype=float)}), "Tom tabell")
    assert "<caption>Tom tabell</caption>" in out and '<th scope="col">a</th>' in out


# --------------------------------------------------------------------------------------------
# figures, maps
# --------------------------------------------------------------------------------------------

def test_figure_has_alt_caption_source_and_is_closed():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [1, 2])
    number = fig.number
    out = report.figure(fig, "b är dubbelt så stor som a", "Figur 1. Jämförelse", "SCB 2024")
    assert not plt.fignum_exists(number), "figure must be closed so it is not shown twice"
    img = tags(out, "img")[0]
    assert img["alt"] == "b är dubbelt så stor som a"
    assert img["src"].startswith("data:image/png;base64,")
    assert base64.b64decode(img["src"].split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.startswith('<figure class="lb-figure">') and out.endswith("</figure>")
    caption = out[out.index("<figcaption>"):]
    assert "Figur 1. Jämförelse" in caption and "Källa: SCB 2024" in caption


def folium_map(name: str = "A") -> folium.Map:
    gdf = gpd.GeoDataFrame({"namn": [name, "B"], "v": [1.0, 2.0]},
                           geometry=[box(13, 55, 14, 56), box(14, 55, 15, 56)], crs="EPSG:4326")
    return choropleth(gdf, "v", "namn", legend_title="Värde")


def test_map_figure_title_text_alternative_and_source():
    out = report.map_figure(folium_map(), "Brott per kommun", "Flest brott i B.", "Brå")
    frame = tags(out, "iframe")[0]
    assert frame["title"] == "Brott per kommun"
    assert "Leaflet 1.9.4" in frame["srcdoc"]
    caption = out[out.index("<figcaption"):]
    assert "Flest brott i B." in caption and "Källa: Brå" in caption
    assert frame["aria-describedby"] in out.split("<figcaption", 1)[1].split(">", 1)[0]


# --------------------------------------------------------------------------------------------
# key figures, provenance, display
# --------------------------------------------------------------------------------------------

def test_key_figures_validates_outside_a_kernel():
    assert report.key_figures({"a": np.int64(3), "b": float("nan"), "c": pd.Timestamp("2024-01-02")}) is None
    with pytest.raises(ValueError):
        report.key_figures({"a": float("inf")})
    with pytest.raises(TypeError):
        report.key_figures({1: "non-str key"})
    with pytest.raises(TypeError):
        report.key_figures([("a", 1)])
    with pytest.raises(TypeError):
        report.key_figures({"a": object()})


class _FakeShell:
    pass


def test_helpers_display_once_in_ipython(monkeypatch):
    import IPython
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: _FakeShell())
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    out = report.paragraph("Hej")
    assert len(shown) == 1 and shown[0][0].data == "<p>Hej</p>" and out == "<p>Hej</p>"
    report.key_figures({"antal": np.int64(2), "andel": float("nan")})
    assert shown[1] == ({KEY_FIGURES_MIME: {"antal": 2, "andel": None}}, {"raw": True})
    # the returned string does not echo as Out[…] when it is a cell's last value
    assert out._ipython_display_() is None


def test_nothing_displayed_outside_ipython(capsys):
    report.heading("Tyst")
    assert capsys.readouterr().out == ""


def test_provenance_block():
    out = report.provenance(
        [{"name": "bra_anmalda.csv", "description": "Anmälda brott", "vintage": "2025-03-01",
          "sha256": "0123456789abcdef" * 4},
         {"name": "scb_folkmangd.csv"}],
        {"kommun": "1283", "ar_fran": 2015},
        "0.1.0",
        "a1b2c3d",
    )
    assert "<h2>Om underlaget</h2>" in out
    assert "0123456789ab" in out and "0123456789abc" not in out
    assert "2025-03-01" in out and "bra_anmalda.csv" in out and "scb_folkmangd.csv" in out
    assert "<caption>Datafiler som rapporten bygger på</caption>" in out
    assert "<caption>Parametrar för körningen</caption>" in out
    assert '<th scope="row">ar_fran</th><td>2015</td>' in out
    assert "version 0.1.0" in out and "<code>a1b2c3d</code>" in out
    assert html.unescape(out).count("–") >= 2  # missing description and hash shown as a dash


def test_provenance_without_git_or_files():
    out = report.provenance([], {}, "0.1.0", None)
    assert "okänd" in out and "inte på några datafiler" in out


class TestProvenanceParameters:
    def test_lists_are_joined_and_empty_lists_shown_as_a_dash(self):
        out = report.provenance([], {"peers": ["2081", "2082"], "focus_areas": []}, "0.1.0", "abc")
        assert "<td>2081, 2082</td>" in out and "<td>–</td>" in out and "['2081'" not in out


def test_masked_counts_keep_a_number_column_right_aligned_and_formatted():
    from lagesbild import privacy

    df = pd.DataFrame({"Plats": ["A", "B"], "Antal": privacy.mask_small(pd.Series([1500, 2]))})
    out = report.table(df, "Händelser per plats")
    assert '<td class="lb-num">1\u00a0500</td>' in out and '<td class="lb-num">färre än 3</td>' in out
