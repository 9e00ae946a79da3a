"""Offline export, atomic writes, key figures and the index page (lagesbild.publish.export)."""

from __future__ import annotations

import html
import json
import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from lagesbild.core import files
from lagesbild.publish import export as publish
from lagesbild.publish import landing
from lagesbild.publish.export import KEY_FIGURES_MIME

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
RAW_PAYLOADS = ("<script>alert(1)", "<img src=x")


def assert_escaped(page: str) -> None:
    for raw in RAW_PAYLOADS:
        assert raw not in page, f"unescaped {raw!r}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(page: str, name: str) -> list[dict]:
    """Attributes of every ``<name>`` element (attribute order does not matter: nbconvert sorts them)."""
    parser = _Tags()
    parser.feed(page)
    return [attrs for tag, attrs in parser.found if tag == name]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------------------------
# atomic writes
# --------------------------------------------------------------------------------------------

def test_atomic_write_text_creates_parents_and_replaces(tmp_path):
    target = tmp_path / "a" / "b" / "r.html"
    files.atomic_write_text(target, "ett")
    files.atomic_write_text(target, "två – åäö")
    assert target.read_text(encoding="utf-8") == "två – åäö"
    assert leftovers(target.parent) == []


def test_atomic_write_text_new_file_is_readable_by_others(tmp_path):
    old = os.umask(0o022)
    try:
        files.atomic_write_text(tmp_path / "r.html", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o644  # not mkstemp's 0o600


def test_atomic_write_text_keeps_mode_of_replaced_file(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("old")
    target.chmod(0o640)
    files.atomic_write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_atomic_write_text_failure_mid_write_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    target.write_text("old and complete", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        files.atomic_write_text(target, "new " * 10_000)
    assert target.read_text(encoding="utf-8") == "old and complete"
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_atomic_write_text_failure_at_replace_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise PermissionError("simulated")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(PermissionError):
        files.atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_atomic_write_text_interrupted_write_keeps_old_file(tmp_path, monkeypatch):
    """A KeyboardInterrupt during the write is cleaned up too (BaseException, re-raised)."""
    target = tmp_path / "r.html"
    target.write_text("old", encoding="utf-8")
    real_fdopen = os.fdopen

    class Exploding:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()
            return False

        def write(self, text):
            self.handle.write(text[:10])
            raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fdopen", lambda *a, **k: Exploding(real_fdopen(*a, **k)))
    with pytest.raises(KeyboardInterrupt):
        files.atomic_write_text(target, "new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_atomic_write_text_refuses_bytes(tmp_path):
    with pytest.raises(TypeError):
        files.atomic_write_text(tmp_path / "x", b"bytes")


def test_atomic_write_json_format(tmp_path):
    target = tmp_path / "k.json"
    files.atomic_write_json(target, {"ö": "Malmö", "a": [1, 2]})
    text = target.read_text(encoding="utf-8")
    assert text == '{\n  "a": [\n    1,\n    2\n  ],\n  "ö": "Malmö"\n}\n'
    assert json.loads(text) == {"ö": "Malmö", "a": [1, 2]}


def test_atomic_write_json_refuses_nan_and_keeps_old(tmp_path):
    target = tmp_path / "k.json"
    files.atomic_write_json(target, {"a": 1})
    with pytest.raises(ValueError):
        files.atomic_write_json(target, {"a": float("nan")})
    assert json.loads(target.read_text()) == {"a": 1}
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------------------------
# assert_offline
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>',
    '<script src="http://example.org/x.js"></script>',
    '<script src="//cdnjs.cloudflare.com/ajax/libs/require.js/2.1.10/require.min.js"></script>',
    '<SCRIPT SRC="HTTPS://CDN.EXAMPLE.ORG/X.JS"></SCRIPT>',
    '<link rel="stylesheet" href="https://cdn.example.org/a.css">',
    '<link rel="preload" as="font" href="https://fonts.example.org/f.woff2">',
    '<link rel="icon" href="//example.org/favicon.ico">',
    '<img src="https://tile.openstreetmap.org/1/1/1.png" alt="">',
    '<img srcset="a.png 1x, https://example.org/b.png 2x" alt="">',
    '<iframe src="https://example.org/" title="x"></iframe>',
    '<style>@import url("https://fonts.googleapis.com/css?family=Roboto");</style>',
    '<style>@import "https://example.org/a.css";</style>',
    "<style>body { background: url(https://example.org/bg.png) }</style>",
    "<div style=\"background-image: url('//example.org/bg.png')\"></div>",
    '<video poster="https://example.org/p.png"></video>',
    '<object data="https://example.org/x.svg"></object>',
    '<svg><image href="https://example.org/x.png"/></svg>',
    '<base href="https://example.org/">',
    '<script type="module">const m = await import("https://cdn.example.org/mermaid.mjs");</script>',
    '<script type="module">import x from "https://cdn.example.org/x.mjs";</script>',
    '<script>L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {}).addTo(map);</script>',
    '<iframe title="map" srcdoc="&lt;script src=&quot;https://cdn.example.org/leaflet.js&quot;&gt;&lt;/script&gt;">'
    "</iframe>",
])
def test_assert_offline_catches_remote_resources(snippet):
    with pytest.raises(ValueError, match="remote resource"):
        publish.assert_offline(f"<!DOCTYPE html><html><head></head><body>{snippet}</body></html>")


@pytest.mark.parametrize("snippet", [
    '<a href="https://www.bra.se/">Brå</a>',
    '<a href="//www.scb.se/">SCB</a>',
    '<link rel="canonical" href="https://example.org/r.html">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">',
    '<script>var url = "https://leafletjs.com"; document.title = url;</script>',
    '<a href="1283/crime_trends.html">rapport</a>',
    "<style>.x { background: url(data:image/png;base64,AAAA) }</style>",
    "<p>Se https://www.bra.se för mer.</p>",
    '<iframe title="map" srcdoc="&lt;p&gt;&lt;a href=&quot;https://leafletjs.com&quot;&gt;Leaflet&lt;/a&gt;">'
    "</iframe>",
    '<a href="data:text/csv;charset=utf-8;base64,77u/YTtiDQo=" download="t.csv" type="text/csv">CSV</a>',
])
def test_assert_offline_allows_links_and_inline_resources(snippet):
    publish.assert_offline(f"<!DOCTYPE html><html><body>{snippet}</body></html>")


def test_assert_offline_lists_every_problem():
    page = ('<script src="https://a.example/1.js"></script><link rel="stylesheet" href="https://b.example/2.css">'
            '<img src="//c.example/3.png" alt="">')
    with pytest.raises(ValueError) as info:
        publish.assert_offline(page)
    message = str(info.value)
    assert "3 remote resource(s)" in message
    for url in ("https://a.example/1.js", "https://b.example/2.css", "//c.example/3.png"):
        assert url in message


# --------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------

def _notebook_with_outputs() -> nbformat.NotebookNode:
    code = new_code_cell("secret_code_marker_2 = 1\nprint('hej')", execution_count=1)
    code.outputs = [
        new_output("stream", name="stdout", text="hej\n"),
        new_output("display_data", data={"text/html": "<p>Synligt resultat</p>", "text/plain": "x"}),
        new_output("display_data", data={KEY_FIGURES_MIME: {"antal": 3}}),
        new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
    ]
    return new_notebook(cells=[new_markdown_cell("# Rubrik"), code])


def test_html_exporter_is_cached_and_configured():
    exporter = publish.html_exporter()
    assert exporter is publish.html_exporter()
    assert exporter.exclude_input and exporter.exclude_input_prompt and exporter.exclude_output_prompt
    assert exporter.language_code == "sv"
    assert exporter.template_name == publish.TEMPLATE_NAME
    assert (publish.TEMPLATES_DIR / publish.TEMPLATE_NAME / "index.html.j2").is_file()
    assert publish.CSS_PATH.is_file()


def test_lab_template_still_has_the_blocks_we_empty():
    """Guard against an nbconvert upgrade renaming the blocks our template overrides."""
    from jupyter_core.paths import jupyter_path

    candidates = [Path(p) / "lab" / "index.html.j2" for p in jupyter_path("nbconvert", "templates")]
    lab = next(p for p in candidates if p.is_file())
    text = lab.read_text(encoding="utf-8")
    for block in ("html_head_js_requirejs", "html_head_js_mathjax", "html_head_js_mermaidjs", "jupyter_widgets",
                  "html_head_css"):
        assert re.search(r"\{%-?\s*block\s+" + block + r"\s*-?%\}", text), block


def test_export_html_lang_title_no_code_no_cdn():
    nb = _notebook_with_outputs()
    before = json.dumps(nb, sort_keys=True)
    page = publish.export_html(nb, "Lägesbild " + XSS)
    assert json.dumps(nb, sort_keys=True) == before, "export must not modify the caller's notebook"
    assert '<html lang="sv">' in page
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert html.unescape(title) == "Lägesbild " + XSS
    assert_escaped(title)
    for forbidden in ("require.js", "require.min.js", "mathjax", "MathJax.js", "cdnjs", "jsdelivr", "unpkg"):
        assert forbidden.lower() not in page.lower(), forbidden
    assert "secret_code_marker_2" not in page  # no input
    assert "In&nbsp;[" not in page and "Out[1]" not in page  # no prompts
    assert "Synligt resultat" in page
    assert "antal" not in page  # key figures are data, not content
    assert "lb-callout" in page  # our stylesheet is inlined
    publish.assert_offline(page)


def test_export_keeps_table_downloads_and_stays_offline():
    """A table with downloads survives nbconvert (data: links, download names) and the page is still offline."""
    import base64

    import pandas as pd

    from lagesbild.render import report

    cell = new_code_cell("")
    table = report.table(pd.DataFrame({"Plats": ["Torget"], "Antal": [4]}), "Händelser", download="handelser_1283")
    cell.outputs = [new_output("display_data", data={"text/html": table, "text/plain": "tabell"})]
    page = publish.export_html(new_notebook(cells=[cell]), "T")
    publish.assert_offline(page)
    links = re.findall(r'<a [^>]*href="(data:[^"]+)"[^>]*download="([^"]+)"|<a [^>]*download="([^"]+)"[^>]*href="(data:[^"]+)"',
                       page)
    found = {(m[1] or m[2]): (m[0] or m[3]) for m in links}
    assert set(found) == {"handelser_1283.csv", "handelser_1283.xlsx"}
    csv_bytes = base64.b64decode(found["handelser_1283.csv"].split(",", 1)[1])
    assert csv_bytes.decode("utf-8-sig") == "Plats;Antal\r\nTorget;4\r\n"


def test_export_html_refuses_empty_title():
    with pytest.raises(ValueError):
        publish.export_html(new_notebook(), "  ")


def test_export_html_refuses_images_without_alt_text():
    cell = new_code_cell("")
    cell.outputs = [new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})]
    with pytest.raises(ValueError, match="no alt text"):
        publish.export_html(new_notebook(cells=[cell]), "T")


def test_an_img_tag_without_alt_in_html_output_is_refused_too():
    cell = new_code_cell("")
    cell.outputs = [new_output("display_data", data={"text/html": '<p>Karta</p><img\nsrc="data:image/png;base64,AA=="\n>'})]
    with pytest.raises(ValueError, match="1 image"):
        publish.export_html(new_notebook(cells=[cell]), "T")


def test_our_exporter_writes_the_page_nbconverts_html_exporter_writes():
    """The report exporter skips nbconvert's BeautifulSoup pass and 12 of its 13 validations: the page it writes
    parses to the very document nbconvert's HTMLExporter writes (same template, same settings). Guards an
    nbconvert upgrade that changes what its exporter does; real reports were compared the same way (issue 16)."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    from lagesbild.publish import export
    from lagesbild.render import report

    nb = _notebook_with_outputs()
    figure = new_code_cell("")
    figure.outputs = [new_output("display_data", data={"text/html": report.callout("Obs: <b>inte</b> fet", kind="info")
                                                       + '<img src="data:image/png;base64,AA==" alt="Stapel">'}),
                      new_output("stream", name="stderr", text="varning\n")]
    nb.cells += [figure, new_markdown_cell("## Förra årets åtgärdsplan\n\nText med *betoning* och en [länk](https://bra.se).")]
    stock = HTMLExporter(template_name=export.TEMPLATE_NAME, extra_template_basedirs=[str(export.TEMPLATES_DIR)],
                         exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, language_code="sv",
                         theme="light", require_js_url="", mathjax_url="", mermaid_js_url="",
                         mermaid_layout_elk_js_url="")
    stock.register_preprocessor(export._report_preprocessor_class()(), enabled=True)
    resources = {"metadata": {"name": "rapport"}, "lagesbild_title": "T"}
    theirs, _ = stock.from_notebook_node(nb, resources=dict(resources))
    ours, _ = export.html_exporter().from_notebook_node(nb, resources=dict(resources))
    assert 'tabindex="0"' in ours and "Stapel" in ours
    assert ">Förra årets åtgärdsplan<" in ours  # the heading's letters as themselves, not &#229; …
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs


def test_export_html_refuses_a_page_that_loads_from_a_cdn():
    cell = new_code_cell("")
    cell.outputs = [new_output("display_data", data={"text/html": '<script src="https://cdn.example.org/x.js"></script>'})]
    with pytest.raises(ValueError, match="cdn.example.org"):
        publish.export_html(new_notebook(cells=[cell]), "T")


# --------------------------------------------------------------------------------------------
# key figures
# --------------------------------------------------------------------------------------------

def _nb_with_key_figures(*dicts) -> nbformat.NotebookNode:
    cells = []
    for d in dicts:
        cell = new_code_cell("")
        cell.outputs = [new_output("display_data", data={KEY_FIGURES_MIME: d})]
        cells.append(cell)
    return new_notebook(cells=cells)


def test_extract_key_figures_merges_and_parses_strings():
    nb = _nb_with_key_figures({"a": 1}, json.dumps({"b": "Malmö"}), {"a": 1})
    assert publish.extract_key_figures(nb) == {"a": 1, "b": "Malmö"}


def test_extract_key_figures_none_and_conflict():
    assert publish.extract_key_figures(_notebook_with_outputs() | {"cells": []}) == {}
    with pytest.raises(ValueError, match="already set"):
        publish.extract_key_figures(_nb_with_key_figures({"a": 1}, {"a": 2}))
    with pytest.raises(ValueError, match="JSON object"):
        publish.extract_key_figures(_nb_with_key_figures([1, 2]))


# --------------------------------------------------------------------------------------------
# index
# --------------------------------------------------------------------------------------------

def _entry(**kw):
    base = {"kommun": "1283", "name": "Helsingborg", "lan": "Skåne län", "report": "crime_trends",
            "title": "Brottsutveckling"}
    return base | kw


def test_build_index_escapes_links_and_statuses(tmp_path):
    files.atomic_write_text(tmp_path / "1283" / "crime_trends.html", "<!DOCTYPE html>")
    files.atomic_write_text(tmp_path / "0114" / "crime_trends.html", "<!DOCTYPE html>")
    entries = [
        _entry(title="Brott " + XSS, generated="22 augusti 2026 kl. 10:00 " + XSS),
        _entry(report="police_events", title="Händelser", status="failed", message="saknar data " + XSS),
        _entry(kommun="0114", name="Upplands Väsby " + XSS, lan="Stockholms län " + XSS),
        _entry(report="safety", title="Trygghet", status="skipped"),
    ]
    path = landing.build_landing(tmp_path, entries)
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "index.html"
    assert '<html lang="sv">' in page and "<title>" in page
    assert_escaped(page)
    assert 'href="1283/crime_trends.html"' in page and 'href="0114/crime_trends.html"' in page
    assert ">Brottsutveckling</a>" in page  # the Swedish label of crime_trends, not the report's title
    assert "byggd 22 augusti 2026 kl. 10:00 &lt;script&gt;" in page
    assert "police_events.html" not in page  # failed: listed, not linked
    assert '<strong class="lb-status-failed">Misslyckades</strong><span class="lb-message">: saknar data &lt;script&gt;' in page
    assert '<strong class="lb-status-skipped">Inte körd</strong>' in page
    assert "Upplands Väsby &lt;script&gt;" in page and "Stockholms län &lt;script&gt;" in page
    # one entry per kommun; without a kommun table the län are alphabetical: Skåne before Stockholms
    assert [t["id"] for t in tags(page, "li") if t.get("class") == "lb-kommun"] == ["k-1283", "k-0114"]
    assert not tags(page, "svg") and not tags(page, "figure")  # no data_dir: no map
    publish.assert_offline(page)
    assert leftovers(tmp_path) == []


def test_build_index_with_data_dir_orders_lan_and_draws_the_map(tmp_path):
    from lagesbild.core.paths import DATA

    files.atomic_write_text(tmp_path / "1283" / "crime_trends.html", "<!DOCTYPE html>")
    files.atomic_write_text(tmp_path / "0114" / "crime_trends.html", "<!DOCTYPE html>")
    entries = [_entry(), _entry(kommun="0114", name="Upplands Väsby", lan="Stockholms län")]
    page = landing.build_landing(tmp_path, entries, data_dir=DATA).read_text(encoding="utf-8")
    # SCB's län order: Stockholms län (01) before Skåne län (12)
    assert [t["id"] for t in tags(page, "li") if t.get("class") == "lb-kommun"] == ["k-0114", "k-1283"]
    assert len(tags(page, "path")) == 290 + 1  # every kommun, and the län outlines
    assert sorted(t["href"] for t in tags(page, "a") if "data-kommun" in t) == ["#k-0114", "#k-1283"]
    assert landing.landing_html(tmp_path, entries, geography=landing.load_geography(DATA)) == page


def test_build_index_validates(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        landing.build_landing(tmp_path, [_entry()])
    with pytest.raises(ValueError, match="lacks"):
        landing.build_landing(tmp_path, [{"kommun": "1283"}])
    with pytest.raises(ValueError, match="status"):
        landing.build_landing(tmp_path, [_entry(status="maybe")])
    with pytest.raises(ValueError, match="file path"):
        landing.build_landing(tmp_path, [_entry(kommun="../etc", status="failed")])
    with pytest.raises(ValueError, match="two names"):
        landing.build_landing(tmp_path, [_entry(status="failed"), _entry(report="x", name="Annat", status="failed")])
    assert not (tmp_path / "index.html").exists()


def test_build_index_empty(tmp_path):
    page = landing.build_landing(tmp_path, []).read_text(encoding="utf-8")
    assert "Inga rapporter har byggts." in page


# --------------------------------------------------------------------------------------------
# a real run: papermill → export → offline
# --------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_real_report_with_figure_and_map_is_offline(fixture_report):
    page = fixture_report.html
    publish.assert_offline(page)
    assert '<html lang="sv">' in page
    assert_escaped(page)
    images = tags(page, "img")
    assert len(images) == 1
    assert images[0]["src"].startswith("data:image/png;base64,") and len(images[0]["src"]) > 1000
    assert images[0]["alt"] == "Antalet minskar från 3 till 1"
    frames = tags(page, "iframe")
    assert len(frames) == 1 and frames[0]["title"] == "Brott per kommun " + XSS
    assert "Leaflet 1.9.4" in frames[0]["srcdoc"] and "L.map(" in frames[0]["srcdoc"]
    publish.assert_offline(frames[0]["srcdoc"])
    assert "secret_code_marker_1" not in page
    assert "In&nbsp;[" not in page
    assert publish.extract_key_figures(fixture_report.nb) == {"antal": 3, "kommun": "Testköping " + XSS}
    outputs = [o for c in fixture_report.nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type in ("execute_result", "error", "stream")], \
        "helpers must not echo Out[…] (HTMLString), figures must not be shown twice, nothing on stderr"
    print(f"\nexecute {fixture_report.execute_s:.2f} s, export {fixture_report.export_s:.3f} s, "
          f"{len(page.encode()) / 1e6:.2f} MB")
