"""Display helpers (lagesbild.render.report): escaping, accessible tables and figures, provenance."""

from __future__ import annotations

import base64
import html
import re
from datetime import date
from html.parser import HTMLParser

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from shapely.geometry import box

from lagesbild.publish.export import KEY_FIGURES_MIME
from lagesbild.render import pngs, report
from lagesbild.render.maps import choropleth

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
    # four column headings; the crime names identify their rows, so they are row headings
    assert [h.get("scope") for h in headers] == ["col"] * 4 + ["row"] * 3
    assert f"1{NBSP}234{NBSP}567" in out
    assert "0,13" in out or "0,12" in out  # two decimals below 10
    assert "uppgift saknas" in out  # NaN
    assert f"1{NBSP}234,6" in out  # one decimal above 10
    assert '<td class="lb-num">12</td>' in out  # integers without decimals, right-aligned
    assert '<th scope="row">Stöld</th>' in out  # text left-aligned, the row's name
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
    from lagesbild.core import privacy

    df = pd.DataFrame({"Plats": ["A", "B"], "Antal": privacy.mask_small(pd.Series([1500, 2]))})
    out = report.table(df, "Händelser per plats")
    assert '<td class="lb-num">1\u00a0500</td>' in out and '<td class="lb-num">färre än 3</td>' in out


# --------------------------------------------------------------------------------------------
# row headings, downloads (CSV and Excel from the page)
# --------------------------------------------------------------------------------------------

def _row_scopes(out: str) -> list[str]:
    return [a.get("scope") for t, a in parse(out).found if t == "th" and a.get("scope") == "row"]


class TestRowHeaders:
    def test_a_text_column_that_names_each_row_becomes_row_headings(self):
        out = report.table(pd.DataFrame({"Plats": ["Torget", "Parken"], "Antal": [3, 4]}), "T")
        assert _row_scopes(out) == ["row", "row"] and '<th scope="row">Parken</th>' in out

    @pytest.mark.parametrize("first", [["A", "A"], [1, 2], ["A", None], ["färre än 3", "B"]],
                             ids=["repeated", "numbers", "missing", "masked count"])
    def test_no_row_headings_when_the_first_column_does_not_name_the_rows(self, first):
        out = report.table(pd.DataFrame({"x": first, "Antal": [3, 4]}, dtype=object), "T")
        assert _row_scopes(out) == []

    def test_explicit_choice_wins(self):
        df = pd.DataFrame({"Plats": ["Torget", "Parken"], "Antal": [3, 4]})
        assert _row_scopes(report.table(df, "T", row_headers=False)) == []
        assert _row_scopes(report.table(df.assign(Plats=["A", "A"]), "T", row_headers=True)) == ["row", "row"]


def _links(out: str) -> dict[str, bytes]:
    """download name → decoded bytes of each data: link."""
    found = {}
    for attrs in tags(out, "a"):
        header, _, data = attrs["href"].partition(",")
        assert header.startswith("data:") and header.endswith(";base64")
        found[attrs["download"]] = base64.b64decode(data)
    return found


def _csv_rows(data: bytes) -> list[list[str]]:
    import csv
    import io

    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _sheet(data: bytes, name: str = "Tabell"):
    import io

    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data))[name]


class TestTableCsv:
    def test_bom_semicolons_decimal_comma_and_crlf(self):
        from decimal import Decimal

        data = report.table_csv(["Plats", "Antal", "Andel", "Datum"],
                                [["Torget", 1234, Decimal("0.50"), date(2024, 3, 1)], ["Parken", None, 2.5, None]])
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.decode("utf-8-sig") == ("Plats;Antal;Andel;Datum\r\nTorget;1234;0,50;2024-03-01\r\n"
                                            "Parken;;2,5;\r\n")

    def test_quotes_separators_and_neutralises_formulas(self):
        rows = _csv_rows(report.table_csv(["a"], [["x; y"], ['sa "hej"'], ["=HYPERLINK(\"http://x\")"], ["+1"],
                                                   ["-2"], ["@A1"], ["ok − inte formel"]]))
        assert [r[0] for r in rows[1:]] == ["x; y", 'sa "hej"', "'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@A1",
                                            "ok − inte formel"]

    def test_rows_must_match_the_header(self):
        with pytest.raises(ValueError, match="row 1 has 1 cells, the header 2"):
            report.table_csv(["a", "b"], [["x"]])


class TestTableXlsx:
    def test_types_formats_and_text_that_looks_like_a_formula(self):
        from decimal import Decimal

        data = report.table_xlsx(["Plats", "Antal", "Andel", "Datum"],
                                 [["=1+1", 3, Decimal("0.25"), date(2024, 3, 1)], ["B", None, Decimal("12"), None]],
                                 caption="Händelser", source="Polisen")
        ws = _sheet(data)
        assert [c.value for c in ws[1]] == ["Plats", "Antal", "Andel", "Datum"] and ws["A1"].font.b
        assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"  # text, not a formula
        assert ws["B2"].value == 3 and ws["C2"].value == 0.25 and ws["C2"].number_format == "0.00"
        assert ws["C3"].value == 12 and ws["C3"].number_format == "0"
        assert ws["D2"].value.date() == date(2024, 3, 1) and ws["B3"].value is None
        assert ws.freeze_panes == "A2"
        about = _sheet(data, "Om tabellen")
        assert [(r[0].value, r[1].value) for r in about.iter_rows()] == [("Tabell", "Händelser"),
                                                                        ("Källa", "Källa: Polisen")]

    def test_masked_counts_are_explained(self):
        from lagesbild.core import privacy

        about = _sheet(report.table_xlsx(["Antal"], [[privacy.SMALL_LABEL]], caption="T"), "Om tabellen")
        notes = {r[0].value: r[1].value for r in about.iter_rows()}
        assert "1 eller 2" in notes["Skyddade värden"] and notes["Källa"] == "–"

    def test_same_table_same_bytes(self):
        args = (["a", "b"], [["x", 1]])
        assert report.table_xlsx(*args, caption="T") == report.table_xlsx(*args, caption="T")


class TestDownloadLinks:
    def test_two_links_with_names_types_and_sizes(self):
        out = report.download_links("brott_2080", ["År", "Antal"], [["2024", 12]], caption="Brott", source="Brå")
        links = tags(out, "a")
        assert [a["download"] for a in links] == ["brott_2080.csv", "brott_2080.xlsx"]
        assert links[0]["href"].startswith("data:text/csv;charset=utf-8;base64,")
        assert links[1]["type"] == report.XLSX_MIME
        assert "CSV (1\u00a0kB)" in out and "Excel (" in out and out.startswith('<p class="lb-download">')
        files = _links(out)
        assert _csv_rows(files["brott_2080.csv"]) == [["År", "Antal"], ["2024", "12"]]
        assert _sheet(files["brott_2080.xlsx"])["B2"].value == 12

    @pytest.mark.parametrize("name", ["", "a.csv", "../x", "a b", "x" * 81, None])
    def test_name_must_be_a_plain_file_name(self, name):
        with pytest.raises(ValueError, match="download name"):
            report.download_links(name, ["a"], [], caption="T")

    def test_a_table_too_big_for_a_page_is_refused(self, monkeypatch):
        monkeypatch.setattr(report, "MAX_DOWNLOAD_BYTES", 100)
        with pytest.raises(ValueError, match="more than 100"):
            report.download_links("stor", ["a"], [["x" * 200]], caption="T")

    def test_file_name(self):
        assert report.file_name("Åtaganden", "1283") == "ataganden_1283"
        assert report.file_name("händelser per område", "HBG-2024/01 <b>") == "handelser_per_omrade_hbg-2024_01_b"
        assert len(report.file_name("x" * 200)) == 80
        with pytest.raises(ValueError, match="nothing usable"):
            report.file_name("<>", "//")


class TestTableDownload:
    def test_download_holds_what_the_page_shows(self):
        df = pd.DataFrame({"Kod": ["0114", "2080"], "Antal": [1234, 5], "Andel": [0.123456, 2.0],
                           "Datum": pd.to_datetime(["2024-03-01", "2024-12-24"]), "Värde": [float("nan"), 7.25]})
        out = report.table(df, "Tabell", source="SCB", download="tabell")
        files = _links(out)
        assert set(files) == {"tabell.csv", "tabell.xlsx"}
        # the page: 1 234, 0,12 and 2,00 (two decimals below 10), dates in Swedish, NaN "uppgift saknas"
        assert f"1{NBSP}234" in out and "0,12" in out and "1 mars 2024" in out and "uppgift saknas" in out
        rows = _csv_rows(files["tabell.csv"])
        assert rows == [["Kod", "Antal", "Andel", "Datum", "Värde"],
                        ["0114", "1234", "0,12", "2024-03-01", ""],   # rounded as shown, never more digits
                        ["2080", "5", "2,00", "2024-12-24", "7,25"]]
        ws = _sheet(files["tabell.xlsx"])
        assert ws["A2"].value == "0114" and ws["B2"].value == 1234 and ws["C2"].value == 0.12
        assert ws["E2"].value is None and ws["E3"].value == 7.25

    def test_masked_counts_stay_masked(self):
        from lagesbild.core import privacy

        parts = pd.DataFrame({"logg": [5, 40, 0], "medborgare": [1, 6, 2]})
        df = pd.concat([pd.DataFrame({"Plats": ["A", "B", "C"]}),
                        privacy.mask_parts(parts, parts.sum(axis=1).rename("Totalt"))], axis=1)
        files = _links(report.table(df, "Per plats", download="per_plats"))
        rows = _csv_rows(files["per_plats.csv"])
        assert rows[1:] == [["A", "visas inte", "färre än 3", "6"], ["B", "40", "6", "46"],
                            ["C", "0", "färre än 3", "färre än 3"]]
        ws = _sheet(files["per_plats.xlsx"])
        values = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        assert values == [["A", "visas inte", "färre än 3", 6], ["B", 40, 6, 46], ["C", 0, "färre än 3", "färre än 3"]]
        for row in rows[1:]:
            assert not {"1", "2"} & set(row)

    def test_a_formatter_that_masks_masks_the_download_too(self):
        df = pd.DataFrame({"Plats": ["A", "B"], "Antal": [2, 17]})
        out = report.table(df, "T", formatters={"Antal": lambda v: "färre än 3" if 0 < v < 3 else str(v)},
                           download="t")
        rows = _csv_rows(_links(out)["t.csv"])
        assert rows[1:] == [["A", "färre än 3"], ["B", "17"]]

    def test_a_formatter_keeps_its_text_or_its_number(self):
        df = pd.DataFrame({"Plats": ["A", "B"], "Andel": [0.25, float("nan")], "Poäng": [2.345, 4.0]})
        out = report.table(df, "T", formatters={"Andel": lambda v: "–" if v != v else f"{round(100 * v)} %",
                                                "Poäng": lambda v: f"{v:.1f}".replace(".", ",")}, download="t")
        assert _csv_rows(_links(out)["t.csv"])[1:] == [["A", "25 %", "2,3"], ["B", "", "4,0"]]

    def test_hostile_text_is_only_data_in_the_files_and_escaped_on_the_page(self):
        out = report.table(pd.DataFrame({"Plats": [XSS], "Antal": [3]}), "T " + XSS, source=XSS, download="x")
        assert_escaped(out)
        rows = _csv_rows(_links(out)["x.csv"])
        assert rows[1] == [XSS, "3"]
        about = _sheet(_links(out)["x.xlsx"], "Om tabellen")
        assert about["B1"].value == "T " + XSS

    def test_index_table_downloads_its_index(self):
        df = pd.DataFrame({"Antal": [3, 4]}, index=pd.Index(["Malmö", "Lund"], name="Kommun"))
        rows = _csv_rows(_links(report.table(df, "T", index=True, download="k"))["k.csv"])
        assert rows == [["Kommun", "Antal"], ["Malmö", "3"], ["Lund", "4"]]

    def test_a_download_frame_is_what_the_files_hold(self):
        """A table that is also an input file (an åtgärdsplan) shows merged columns and downloads them apart."""
        import base64
        import re

        shown = pd.DataFrame({"Problem": ["Rån"], "Mått och målvärde": ["Rån: högst 20,5 år 2027"]})
        as_file = pd.DataFrame({"Problem": ["Rån"], "Mått": ["brott"], "Målvärde": ["20,5"], "Målår": ["2027"]})
        out = report.table(shown, "Plan", download="plan", download_frame=as_file)
        assert "Mått och målvärde" in out and "<th scope=\"col\">Målår</th>" not in out
        csv_link = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', out).group(1)
        assert base64.b64decode(csv_link).decode("utf-8-sig") == "Problem;Mått;Målvärde;Målår\r\nRån;brott;20,5;2027\r\n"
        with pytest.raises(ValueError, match="download_frame has 2 rows"):
            report.table(shown, "Plan", download="plan", download_frame=pd.concat([as_file, as_file]))

    def test_hyphenate_puts_swedish_soft_hyphens_on_the_page_only(self):
        """A table of prose (an åtgärdsplan) breaks long words where Swedish allows; its files keep them whole."""
        shy = "\u00ad"
        df = pd.DataFrame({"Ansvarig": ["Stadsbyggnadsförvaltningen"], "Mål": [20]})
        out = report.table(df, "Plan", download="plan", hyphenate=True)
        cell = re.search(r'<th scope="row">([^<]*)</th>', out).group(1)
        # breaks between the syllables of the compound (stads-bygg-nads-för-valt-ning-en), the word itself unchanged
        assert cell.split(shy) == ["Stads", "bygg", "nads", "för", "valt", "ning", "en"]
        assert '<td class="lb-num">20</td>' in out
        assert _csv_rows(_links(out)["plan.csv"]) == [["Ansvarig", "Mål"], ["Stadsbyggnadsförvaltningen", "20"]]
        assert shy not in report.table(df, "Plan")  # off by default

    def test_no_download_without_a_name(self):
        assert "lb-download" not in report.table(pd.DataFrame({"a": [1]}), "T")


def test_a_laid_out_figure_is_drawn_once_into_the_same_picture_savefig_writes():
    """report.figure draws a new constrained-layout figure once on its canvas (savefig lays it out twice, in a
    dry pass and again when it draws): the same pixels, as a smaller RGB PNG (the figure is opaque)."""
    import io

    import matplotlib
    import numpy as np
    from PIL import Image

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def small_multiples():
        fig, axes = plt.subplots(2, 3, figsize=(9, 5), layout="constrained")
        for ax in axes.flat:
            ax.plot(range(2015, 2026), [i * i for i in range(11)], marker="o")
            ax.set_title("Våld i offentlig miljö mot vuxna")
        fig.suptitle("Anmälda brott per 100 000 invånare")
        return fig

    expected, drawn = io.BytesIO(), io.BytesIO()
    fig = small_multiples()
    fig.savefig(expected, format="png", dpi=pngs.FIGURE_DPI, metadata={"Software": None})
    plt.close(fig)
    fig = small_multiples()
    pngs.png_laid_out(fig, drawn, pngs.FIGURE_DPI)
    plt.close(fig)
    theirs, ours = Image.open(expected), Image.open(drawn)
    assert (theirs.mode, ours.mode) == ("RGBA", "RGB") and ours.info["dpi"] == pytest.approx(theirs.info["dpi"])
    assert np.array_equal(np.asarray(theirs.convert("RGB")), np.asarray(ours))
    assert np.asarray(theirs)[..., 3].min() == 255  # nothing lost: savefig's picture was opaque


def test_a_figure_with_transparency_keeps_its_alpha_channel():
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from PIL import Image

    fig, ax = plt.subplots(figsize=(2, 1), layout="constrained")
    fig.patch.set_alpha(0.0)
    ax.plot([1, 2])
    drawn = io.BytesIO()
    pngs.png_laid_out(fig, drawn, pngs.FIGURE_DPI)
    plt.close(fig)
    assert Image.open(drawn).mode == "RGBA"


class TestFiguresInProcesses:
    """pngs.figures_in_processes: each figure drawn by a forked process beside the next cells, then put in."""

    @staticmethod
    def figures():
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        out = []
        for n in (1, 2, 3):
            fig, axes = plt.subplots(1, n, figsize=(3 * n, 2.5), layout="constrained" if n > 1 else None,
                                     squeeze=False)
            for ax in axes.flat:
                ax.plot(range(10), [i ** n for i in range(10)])
                ax.set_title(f"Panel {n}")
            out.append(fig)
        return out

    @staticmethod
    def notebook(pages):
        import nbformat

        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": page}) for page in pages]
        return nbformat.v4.new_notebook(cells=[cell])

    def test_the_same_pngs_as_drawn_in_the_report_process(self):
        expected = [str(report.figure(f, "Ökar", "Figur", "Brå")) for f in self.figures()]
        pngs.figures_in_processes(True)
        try:
            pending = [str(report.figure(f, "Ökar", "Figur", "Brå")) for f in self.figures()]
        finally:
            pngs.figures_in_processes(False)
        assert all("lagesbild-pending-figure-" in p and "base64," in p for p in pending)
        nb = self.notebook(pending)
        assert pngs.resolve_figures(nb) == 3
        assert [o["data"]["text/html"] for o in nb.cells[0].outputs] == expected
        assert pngs.resolve_figures(nb) == 0  # nothing left pending

    def test_a_figure_whose_process_fails_fails_the_report(self, monkeypatch):
        def broken(fig):
            raise ValueError("cannot draw")

        monkeypatch.setattr(pngs, "png_bytes", broken)
        pngs.figures_in_processes(True)
        try:
            page = str(report.figure(self.figures()[0], "Ökar", "Figur", "Brå"))
        finally:
            pngs.figures_in_processes(False)
        with pytest.raises(RuntimeError, match="a figure could not be drawn: ValueError: cannot draw"):
            pngs.resolve_figures(self.notebook([page]))
