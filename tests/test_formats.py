"""Formats for the council (run_all.py --format html pdf docx): the HTML → Word converter on hand-written pages,
the PDF of a small page read back with pypdf, the rules that decide what is (re)built, and one end-to-end run
for Falun whose PDF and Word files are opened and read."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from lagesbild.core.errors import ParamsError
from lagesbild.core.paths import PARAMS, PROJ_ROOT
from lagesbild.publish import formats as publish_formats
from lagesbild.render import pdf, word
from lagesbild.run import cli, fresh, jobs, params
from lagesbild.run import formats as run_formats


def _png() -> str:
    """A small PNG, base64."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


PNG = _png()


def document(page: str, **kw) -> docx.document.Document:
    return docx.Document(io.BytesIO(word.docx_bytes(page, **kw)))


def styled(d) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in d.paragraphs]


class TestWord:
    """The HTML → Word converter (lagesbild.render.word) on small hand-written pages."""

    def test_the_pages_soft_hyphens_are_left_to_word(self):
        """The page breaks long words in narrow table columns at soft hyphens; Word hyphenates by itself."""
        d = document("<html><body><p>Stads\u00adbygg\u00adnads\u00adförvaltningen</p><table><tr><th>Ansvarig</th></tr>"
                     "<tr><td>Fastig\u00adhets\u00adförvaltningen</td></tr></table></body></html>")
        assert styled(d)[-1] == ("Normal", "Stadsbyggnadsförvaltningen")
        assert d.tables[0].rows[1].cells[0].text == "Fastighetsförvaltningen"

    def test_headings_paragraphs_and_inline_markup(self):
        d = document('<html><body><h1>Lägesbild för Åre</h1><h2 id="a">1. Kartläggning<a class="anchor-link" '
                     'href="#a">¶</a></h2><h3>Brott</h3><h4>Våld</h4><p>Det <strong>ökar</strong> och '
                     '<em>minskar</em> <a href="https://bra.se">Brå</a></p></body></html>')
        assert styled(d) == [("Title", "Lägesbild för Åre"), ("Heading 1", "1. Kartläggning"), ("Heading 2", "Brott"),
                             ("Heading 3", "Våld"), ("Normal", "Det ökar och minskar Brå")]
        runs = d.paragraphs[-1].runs
        assert [r.text for r in runs if r.bold] == ["ökar"] and [r.text for r in runs if r.italic] == ["minskar"]
        links = [r for r in d.part.rels.values() if r.reltype.endswith("/hyperlink")]
        assert [r.target_ref for r in links] == ["https://bra.se"]

    def test_lists_nested_and_numbered(self):
        d = document("<ul><li>Ett<ul><li>Under</li></ul></li><li>Två</li></ul><ol><li>Först</li></ol>")
        assert styled(d) == [("List Bullet", "Ett"), ("List Bullet 2", "Under"), ("List Bullet", "Två"),
                             ("List Number", "Först")]

    def test_table_with_caption_and_repeating_header_row(self):
        d = document('<div class="lb-table-wrap" role="region" aria-label="Tabell 1"><table class="lb-table">'
                     "<caption>Tabell 1</caption><thead><tr><th>Område</th><th>Antal</th></tr></thead>"
                     '<tbody><tr><th>Söder</th><td class="lb-num">12</td></tr><tr><td>Norr</td><td>3</td></tr>'
                     '<tr><td colspan="2">Summa 15</td></tr></tbody></table></div>')
        assert styled(d) == [("Caption", "Tabell 1")]  # the wrapper's aria-label is not written twice
        (table,) = d.tables
        assert [[c.text for c in row.cells] for row in table.rows] == [["Område", "Antal"], ["Söder", "12"],
                                                                       ["Norr", "3"], ["Summa 15", "Summa 15"]]
        header = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert header == [True, False, False, False]
        assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)

    def test_images_keep_their_alt_text_and_captions(self):
        d = document(f'<figure class="lb-figure"><img src="data:image/png;base64,{PNG}" alt="Brotten ökar i Åre">'
                     '<figcaption>Figur 1.<span class="lb-source">Källa: Brå</span></figcaption></figure>')
        (shape,) = d.inline_shapes
        assert shape._inline.docPr.get("descr") == "Brotten ökar i Åre"
        assert ("Caption", "Figur 1.Källa: Brå") in styled(d)

    def test_a_map_is_its_static_picture_or_its_print_note(self):
        iframe = '<iframe srcdoc="&lt;p&gt;karta&lt;/p&gt;"></iframe>'
        with_picture = document(f'<figure class="lb-map">{iframe}<img class="lb-map-static" '
                                f'src="data:image/png;base64,{PNG}" alt="Kartan visar"><figcaption>Karta</figcaption></figure>')
        assert len(with_picture.inline_shapes) == 1 and "karta" not in " ".join(p.text for p in with_picture.paragraphs)
        without = document(f'<figure class="lb-map">{iframe}<p class="lb-print-note">Kartan är interaktiv.</p>'
                           "<figcaption>Karta</figcaption></figure>")
        assert styled(without) == [("Normal", "Kartan är interaktiv."), ("Caption", "Karta")]

    def test_callouts_own_texts_and_what_is_for_the_screen_only(self):
        d = document('<div class="lb-callout lb-callout-example" role="note"><strong class="lb-callout-label">'
                     'EXEMPELDATA:</strong> Påhittat.</div>'
                     '<div role="region" aria-label="Kommunens egen text"><p class="lb-own-label">Kommunens egen text</p>'
                     "<p>Vi prioriterar <em>centrum</em>.</p></div>"
                     '<script>alert(1)</script><style>p{}</style><p class="lb-download"><a href="data:text/csv,x">CSV</a></p>'
                     "<p>&lt;b&gt;inte fet&lt;/b&gt;</p>")
        assert styled(d) == [("Intense Quote", "EXEMPELDATA: Påhittat."), ("Intense Quote", "Kommunens egen text"),
                             ("Normal", "Vi prioriterar centrum."), ("Normal", "<b>inte fet</b>")]

    def test_front_lines_follow_the_title(self):
        d = document("<h1>Lägesbild</h1><p>Text</p>", title="Lägesbild", front=["Falun", "Utkast"])
        assert styled(d)[:3] == [("Title", "Lägesbild"), ("Subtitle", "Falun"), ("Subtitle", "Utkast")]
        assert d.core_properties.title == "Lägesbild" and d.core_properties.language == "sv-SE"


def test_pdf_of_a_small_page_is_a4_with_title_page_contents_and_page_numbers():
    page = ('<!DOCTYPE html><html lang="sv"><head><title>Lägesbild</title></head><body>'
            '<h1>Lägesbild för Åre</h1><h2>Åtgärder för öar och älvar</h2>'
            + "<p>Brottsförebyggande arbete i Åre.</p>" * 60 + "<h3>Uppföljning</h3><table><thead><tr><th>Mål</th></tr>"
            "</thead><tbody>" + "<tr><td>Färre inbrott</td></tr>" * 80 + "</tbody></table></body></html>")
    front = pdf.title_page("Åre", "Lägesbild för Åre", None, pdf.Decision.from_dict(
        {"status": "beslutad", "datum": "2026-11-30", "organ": "kommunstyrelsen", "diarienummer": "KS 2026/123"}))
    reader = PdfReader(io.BytesIO(pdf.pdf_bytes(page, front, toc=True, title="Lägesbild för Åre", footer="Åre")))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 4
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842) for p in reader.pages)
    assert "Beslutad av kommunstyrelsen 30 november 2026" in pages[0] and "KS 2026/123" in pages[0]
    assert "Sida" not in pages[0]  # no number on the title page
    assert "Innehåll" in pages[1] and "Åtgärder för öar och älvar" in pages[1]
    assert f"Sida 2 av {len(pages)}" in pages[1] and f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    assert sum(p.count("Mål") for p in pages[2:]) >= 2, "the long table repeats its header row"
    assert reader.metadata.title == "Lägesbild för Åre"
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "sv" and "/StructTreeRoot" in root  # tagged, Swedish


class TestFormatsAndRules:
    def test_formats_are_checked_and_unknown_ones_exit_2(self, capsys):
        assert publish_formats.check_formats(["PDF"]) == ("html", "pdf")
        assert cli.main(["--kommun", "2080", "--format", "pdf", "odt"]) == 2
        assert "unknown format 'odt'; available: html, pdf, docx" in capsys.readouterr().err

    def test_decision_in_the_kommun_yaml(self, tmp_path):
        import pandas as pd

        table = pd.DataFrame({"kommun_kod": ["2080"], "kommun": ["Falun"], "lan_kod": ["20"], "lan": ["Dalarnas län"]})
        yaml = tmp_path / "2080_falun.yaml"
        yaml.write_text('kommun: "2080"\nbeslut:\n  status: utkast\n', encoding="utf-8")
        assert params.load_config("2080", table, tmp_path).decision == {"status": "utkast"}
        for bad, column in (("status: klar", "beslut.status"), ("status: utkast\n  datum: 30 nov", "beslut.datum"),
                            ("status: utkast\n  organ: 5", "beslut.organ"), ("status: utkast\n  av: KS", "beslut.av")):
            yaml.write_text(f'kommun: "2080"\nbeslut:\n  {bad}\n', encoding="utf-8")
            with pytest.raises(ParamsError, match=re.escape(column)):
                params.load_config("2080", table, tmp_path)

    @pytest.fixture
    def job(self, tmp_path):
        job = jobs.Job("2080", "Falun", "Dalarnas län", "wastewater", {"kommun": "2080"}, str(tmp_path), "",
                       formats=("html", "pdf", "docx"))
        meta = {"kommun": "2080", "name": "Falun", "report": "wastewater", "generated": "2026-12-07T10:00:00+00:00",
                "key_figures": {"title": "Narkotika i avloppsvatten i Falun"}}
        jobs.record(job, jobs.Outcome(jobs.Result("2080", "wastewater", True), "<html lang='sv'><body><h1>Avlopp</h1>"
                                      "<p>Ingen mätning.</p></body></html>", meta, inputs={}))
        return job

    def test_a_page_is_converted_once_and_again_after_it_changes(self, job):
        out = Path(job.out_dir) / "2080"
        assert run_formats.pending(job) == ("pdf",)  # Word only for the lägesbild
        assert run_formats.build(job) is None and run_formats.pending(job) == ()
        text = PdfReader(out / "wastewater.pdf").pages[0].extract_text()
        assert "Narkotika i avloppsvatten i Falun" in text and "Underlagsrapport till lägesbilden" in text
        assert "Utkast" not in text and "Beslutad" not in text, "no status given: none claimed"
        decided = jobs.Job(**{**job.__dict__, "decision": {"status": "utkast"}})
        assert run_formats.pending(decided) == ("pdf",)  # the decision is on the title page (of the lägesbild)
        jobs.record(job, jobs.Outcome(jobs.Result("2080", "wastewater", True), "<html><body>ny</body></html>",
                                      {"report": "wastewater"}, inputs={}))
        assert not (out / "wastewater.pdf").exists(), "a new page removes the PDF of the old one"
        assert run_formats.pending(job) == ("pdf",)

    def test_a_failing_conversion_fails_that_report_only(self, job, monkeypatch):
        other = jobs.Job(**{**job.__dict__, "report": "crime_trends"})

        def render(page, meta, fmt, decision=None):
            raise RuntimeError("Pango saknas")

        monkeypatch.setattr(run_formats, "render", render)
        results = [jobs.Result("2080", "wastewater", True), jobs.Result("2080", "crime_trends", True)]
        out = run_formats.build_all([job, other], results, log=lambda s: None)
        assert [(r.report, r.ok, r.error) for r in out] == [
            ("wastewater", False, "PDF: RuntimeError: Pango saknas"), ("crime_trends", True, None)]
        assert not list(Path(job.out_dir, "2080").glob("*.pdf")) and not list(Path(job.out_dir).rglob(".*.tmp"))

    def test_a_page_with_maps_but_no_pictures_is_rebuilt_only_for_pdf(self, tmp_path):
        job = jobs.Job("2080", "Falun", "", "crime_trends", {"kommun": "2080"}, str(tmp_path), "")
        page = '<html><body><figure class="lb-map"><iframe></iframe><p class="lb-print-note">…</p></figure></body></html>'
        jobs.record(job, jobs.Outcome(jobs.Result("2080", "crime_trends", True), page, {"report": "crime_trends"},
                                      inputs={}))
        assert fresh.up_to_date(job)
        assert not fresh.up_to_date(jobs.Job(**{**job.__dict__, "formats": ("html", "pdf")}))


# ============================================================================================
# end to end: Falun's lägesbild and crime report as PDF and Word
# ============================================================================================

@pytest.fixture(scope="module")
def falun(tmp_path_factory):
    """ONE run_all.py --format html pdf docx of Falun's crime report and lägesbild, with the repository's
    YAML plus a decision status, and a second run that must find everything up to date."""
    base = tmp_path_factory.mktemp("formats")
    params_dir, out = base / "params", base / "out"
    params_dir.mkdir()
    own = next(PARAMS.glob("2080_*.yaml"))
    text = own.read_text(encoding="utf-8").replace("data/templates/", str(PROJ_ROOT / "data" / "templates") + "/")
    (params_dir / own.name).write_text(text + '\nbeslut:\n  status: beslutad\n  datum: 2026-11-30\n'
                                       '  organ: kommunstyrelsen\n  diarienummer: "KS 2026/123"\n', encoding="utf-8")
    args = [sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", "--kommun", "2080", "--report",
            "crime_trends", "lagesbild", "--params", str(params_dir), "--out", str(out), "--format", "html", "pdf", "docx"]
    first = subprocess.run(args, capture_output=True, text=True, timeout=900, cwd=PROJ_ROOT)
    second = subprocess.run(args, capture_output=True, text=True, timeout=900, cwd=PROJ_ROOT)
    return type("Falun", (), {"out": out / "2080", "index": out / "index.html", "first": first, "second": second})


def _plan_caption(page: str) -> str:
    captions = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<caption>(.*?)</caption>", page, re.S)]
    return next(c for c in captions if "tgärdsplan" in c or "fokusområden" in c)


def _own_text(page: str) -> str:
    """A sentence of the analyst's own text (the example texts of the YAML's texts folder) as the page shows it."""
    box = re.search(r'class="lb-own-text[^"]*"[^>]*>(.*?)</div>', page, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.findall(r"<p>(.*?)</p>", box, re.S)[1])).strip()


@pytest.mark.slow
class TestFalunEndToEnd:
    def test_both_runs_succeed_and_the_second_builds_nothing(self, falun):
        assert falun.first.returncode == 0, falun.first.stderr[-3000:]
        assert "PDF/Word written for 2" in falun.first.stdout
        assert falun.second.stdout.startswith("2 of 2 reports up to date, nothing to build"), falun.second.stdout
        assert sorted(p.name for p in falun.out.iterdir() if p.suffix in (".pdf", ".docx")) == [
            "crime_trends.pdf", "lagesbild.docx", "lagesbild.pdf"]
        index = falun.index.read_text(encoding="utf-8")
        assert 'href="2080/lagesbild.pdf"' in index and 'href="2080/lagesbild.docx"' in index
        assert 'href="2080/crime_trends.pdf"' in index and 'crime_trends.docx' not in index

    def test_the_pdf_of_the_lagesbild(self, falun):
        page = (falun.out / "lagesbild.html").read_text(encoding="utf-8")
        reader = PdfReader(falun.out / "lagesbild.pdf")
        pages = [p.extract_text() for p in reader.pages]
        assert len(pages) >= 2
        sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
        assert {tuple(sorted(size)) for size in sizes} == {(595, 842)} and sizes[0] == (595, 842)  # A4
        plan = next(i for i, text in enumerate(pages) if re.sub(r"\s+", " ", _plan_caption(page))[:40] in
                    re.sub(r"\s+", " ", text))
        assert sizes[plan] == (842, 595), "the åtgärdsplan's many columns get a landscape page"
        assert "Falun" in pages[0] and "Lägesbild för Falun" in pages[0]
        assert "Beslutad av kommunstyrelsen 30 november 2026" in pages[0] and "Diarienummer KS 2026/123" in pages[0]
        assert "Innehåll" in pages[1] and "1. Kartläggning" in pages[1]
        assert f"Sida 2 av {len(pages)}" in pages[1]
        text = re.sub(r"\s+", " ", " ".join(pages))
        assert "Kartläggning" in text and "Uppföljning" in text and "brottsförebyggande" in text  # å/ä/ö extracted
        assert re.sub(r"\s+", " ", _plan_caption(page)) in text, "the plan is in the PDF"
        assert _own_text(page)[:60] in text, "the analyst's own text is in the PDF"

    def test_the_pdf_of_the_crime_report_has_a_picture_of_its_map(self, falun):
        page = (falun.out / "crime_trends.html").read_text(encoding="utf-8")
        assert page.count('<img class="lb-map-static"') == page.count('<figure class="lb-map"') >= 1
        reader = PdfReader(falun.out / "crime_trends.pdf")
        assert "Underlagsrapport till lägesbilden" in reader.pages[0].extract_text()
        assert "Beslutad" not in reader.pages[0].extract_text(), "the council decides the lägesbild"

    def test_the_word_document_of_the_lagesbild(self, falun):
        page = (falun.out / "lagesbild.html").read_text(encoding="utf-8")
        d = docx.Document(falun.out / "lagesbild.docx")
        by_style = styled(d)
        assert by_style[0] == ("Title", "Lägesbild för Falun")
        assert ("Subtitle", "Beslutad av kommunstyrelsen 30 november 2026") in by_style
        assert ("Heading 1", "1. Kartläggning") in by_style and any(s == "Heading 2" for s, _ in by_style)
        caption = _plan_caption(page)
        assert ("Caption", re.sub(r"\s+", " ", caption)) in by_style, "the plan's caption"
        assert len(d.tables) >= 5 and all(t.rows[0]._tr.trPr is not None for t in d.tables)
        assert any(_own_text(page)[:60] in text for _, text in by_style), "the analyst's own text"
        assert all(shape._inline.docPr.get("descr") for shape in d.inline_shapes)


def test_a_map_built_for_pdf_carries_its_static_picture_with_its_layers(monkeypatch):
    """The print-only picture of a map: drawn only when the job asks for a PDF, with the map's text alternative,
    its hatched utsatta områden and its legend rows (lagesbild.render.staticmap)."""
    import geopandas as gpd
    from shapely.geometry import box

    from lagesbild.render import maps, staticmap
    from lagesbild.render.mapref import ReferenceLayers

    places = gpd.GeoDataFrame({"namn": ["Torget", "Parken"], "v": [2.0, 4.0]},
                              geometry=[box(12.70, 56.04, 12.701, 56.041), box(12.71, 56.05, 12.711, 56.051)],
                              crs="EPSG:4326")
    areas = gpd.GeoDataFrame({"name": ["Söder"], "class": ["utsatt"]}, geometry=[box(12.69, 56.03, 12.72, 56.06)],
                             crs="EPSG:4326")
    m = maps.choropleth(places, "v", "namn", legend_title="Samlad poäng", markers=True, marker_labels=["1", "2"],
                        reference=ReferenceLayers(outline=None, areas=areas))
    title, rows = staticmap._legend_rows(m)
    assert title == "Samlad poäng" and rows[-1][1] == "Utsatt område (Polisen 2025)" and rows[-1][0].get_hatch()
    monkeypatch.delenv(staticmap.PRINT_MAPS, raising=False)
    screen = maps.map_html(m, "Karta", "Torget har lägst poäng.")
    assert "lb-map-static" not in screen and "lb-print-note" in screen  # the default build draws no picture
    with jobs.print_maps(jobs.Job("1283", "", "", "place_assessment", {}, "", "", formats=("html", "pdf"))):
        paper = maps.map_html(m, "Karta", "Torget har lägst poäng.")
    assert '<img class="lb-map-static" src="data:image/png;base64,' in paper and 'alt="Torget har lägst poäng."' in paper
    assert "lb-print-note" not in paper
