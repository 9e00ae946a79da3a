"""Accessibility of the published reports (WCAG 2.1 AA, required of Swedish public-sector web content).

One report of each kind, from the ``run_all.py`` build the suite shares (conftest's ``reports_build``: crime trends
and the summary for Falun, place assessment and project evaluation for Helsingborg, wastewater for Trelleborg), is
checked in headless Chromium:

- axe-core (the copy bundled with the locked PyPI package ``axe-playwright-python``) with the WCAG 2.0/2.1
  A and AA rules finds no serious or critical violation, in the report and in every map ``<iframe>``'s own
  document (axe's cross-frame messaging does not work between ``file:`` and sandboxed ``srcdoc`` frames, so
  each frame is checked on its own); the index page too;
- printed (print media, A4 from the stylesheet's ``@page``), no table or figure is wider than the page,
  maps are replaced by their note, download links are hidden;
- every table's CSV and Excel download holds exactly what the page shows (so a count the page masks as
  "färre än 3" is masked in the files too), and the links download in the browser, offline.

The browser helpers come from :mod:`test_browser` (Debian's Chromium, skipped locally without it, failing
in CI).
"""

from __future__ import annotations

import base64
import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_browser import CHROMIUM_ARGS, LOCAL_SCHEMES, require_chromium

from lagesbild.core import privacy

#: axe-core rule tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Impacts that fail the test; "moderate" and "minor" are listed in the message but tolerated.
FAILING_IMPACTS = ("serious", "critical")
#: One report of each kind: (kommun, report, maps it must have).
REPORTS = [("2080", "crime_trends", 1), ("1283", "place_assessment", 2), ("1287", "wastewater", 0),
           ("1283", "project_evaluation", 1), ("2080", "lagesbild", 0)]
#: A4 width minus the stylesheet's 15 mm side margins, in CSS pixels (96 per inch).
A4_CONTENT_PX = round((210 - 2 * 15) / 25.4 * 96)


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def a11y_reports(reports_build):
    """The output folder of conftest's shared ``run_all.py`` build (every report for Falun, Helsingborg and
    Trelleborg among others), built once per session."""
    assert reports_build.proc.returncode == 0, reports_build.proc.stdout + reports_build.proc.stderr
    return reports_build.out


# ============================================================================================
# axe-core
# ============================================================================================

def _open(browser, path: Path, media: str = "screen", width: int = 1100):
    """A page with the report loaded, every non-local request aborted and recorded, maps drawn."""
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    blocked: list[str] = []

    def route(route_, request):
        if request.url.startswith(LOCAL_SCHEMES):
            route_.continue_()
        else:
            blocked.append(request.url)
            route_.abort("blockedbyclient")

    context.route("**/*", route)
    page = context.new_page()
    page.emulate_media(media=media)
    page.goto(Path(path).resolve().as_uri(), wait_until="load")
    for frame in page.frames[1:]:
        if frame.query_selector(".folium-map") is not None:
            frame.wait_for_selector(".leaflet-container svg path", state="attached", timeout=15_000)
    page.blocked = blocked
    return context, page


def axe_violations(page) -> tuple[list[dict], int]:
    """Run axe (WCAG 2.x A/AA) in the page and in each of its frames; return violations and the passes counted.

    Each violation is ``{"frame", "id", "impact", "help", "targets"}``.
    """
    source = _axe_source()
    violations, passes = [], 0
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "iframes": False,
               "resultTypes": ["violations", "passes"]}
    for number, frame in enumerate(page.frames):
        frame.evaluate(source)
        result = frame.evaluate("options => axe.run(document, options)", options)
        passes += len(result["passes"])
        where = "page" if number == 0 else f"frame {number} ({frame.evaluate('document.title') or 'no title'})"
        for v in result["violations"]:
            violations.append({"frame": where, "id": v["id"], "impact": v["impact"], "help": v["help"],
                               "targets": [" ".join(map(str, n["target"])) for n in v["nodes"]]})
    return violations, passes


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"  [{v['impact']}] {v['id']} in {v['frame']}: {v['help']}; "
                     f"{len(v['targets'])} element(s): {', '.join(v['targets'][:5])}" for v in violations)


def check_accessible(browser, path: Path) -> None:
    """Assert that axe finds no serious or critical WCAG 2.1 A/AA violation in the page or its frames."""
    context, page = _open(browser, path)
    try:
        violations, passes = axe_violations(page)
    finally:
        context.close()
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, (f"{path}: {len(failing)} serious or critical accessibility violation(s):\n"
                         + _describe(failing) + ("\nalso tolerated:\n" + _describe(
                             [v for v in violations if v not in failing]) if len(violations) > len(failing) else ""))
    assert passes >= 5, f"axe checked almost nothing in {path} ({passes} passes): did it run?"


@pytest.fixture(scope="module")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_axe_finds_violations_in_a_bad_page(browser, tmp_path):
    """The check itself: a page without language, with an unlabelled image and grey-on-grey text must fail."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>Rubrik</h1>'
                   '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8'
                   'z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==">'
                   '<p style="color:#aaa;background:#bbb">svag kontrast</p>'
                   '<iframe srcdoc="<html><body><p>utan språk</p></body></html>"></iframe></main></body></html>',
                   encoding="utf-8")
    with pytest.raises(AssertionError) as info:
        check_accessible(browser, bad)
    message = str(info.value)
    for rule in ("html-has-lang", "image-alt", "color-contrast", "frame-title"):
        assert rule in message, rule
    assert "[critical] image-alt in page" in message and "img" in message


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "name", "maps"), REPORTS, ids=[f"{k}-{r}" for k, r, _ in REPORTS])
def test_report_has_no_serious_accessibility_violation(a11y_reports, browser, kommun, name, maps):
    path = a11y_reports / kommun / f"{name}.html"
    check_accessible(browser, path)
    html = path.read_text(encoding="utf-8")
    assert len(re.findall(r'<iframe [^>]*title="[^"]+"', html)) == maps  # the maps were checked, each titled


@pytest.mark.browser
@pytest.mark.slow
def test_index_has_no_serious_accessibility_violation(a11y_reports, browser):
    check_accessible(browser, a11y_reports / "index.html")


@pytest.mark.browser
@pytest.mark.slow
def test_every_document_is_swedish_and_titled(a11y_reports, browser):
    """The report and each map's own page: lang="sv" and a title; a map page allows zooming."""
    for kommun, name, maps in REPORTS:
        context, page = _open(browser, a11y_reports / kommun / f"{name}.html")
        try:
            documents = [(f.evaluate("document.documentElement.lang"), f.evaluate("document.title"),
                          f.evaluate("(document.querySelector('meta[name=viewport]') || {}).content || ''"))
                         for f in page.frames]
        finally:
            context.close()
        assert len(documents) == 1 + maps
        for lang, title, viewport in documents:
            assert lang == "sv" and title.strip(), (name, lang, title)
            assert "user-scalable=no" not in viewport and "maximum-scale=1" not in viewport, (name, viewport)


# ============================================================================================
# print
# ============================================================================================

@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "name", "maps"), REPORTS, ids=[f"{k}-{r}" for k, r, _ in REPORTS])
def test_report_prints_on_a4_without_cut_off_content(a11y_reports, browser, kommun, name, maps):
    path = a11y_reports / kommun / f"{name}.html"
    context, page = _open(browser, path, media="print", width=A4_CONTENT_PX)
    try:
        layout = page.evaluate("""() => {
            const main = document.querySelector('main'), right = main.getBoundingClientRect().right;
            const wide = [];
            for (const el of document.querySelectorAll('table.lb-table, figure, figure img, .lb-callout, p, ul')) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.right > right + 1) {
                    const caption = el.querySelector && el.querySelector('caption');
                    wide.push(`${el.tagName}.${el.className} ${Math.round(r.right)} px > ${Math.round(right)} px `
                              + (caption ? caption.textContent.slice(0, 60) : ''));
                }
            }
            const shown = sel => Array.from(document.querySelectorAll(sel)).filter(
                e => getComputedStyle(e).display !== 'none').length;
            return {wide, scroll: document.documentElement.scrollWidth, width: window.innerWidth,
                    iframes: shown('figure.lb-map iframe'), notes: shown('.lb-print-note'),
                    downloads: shown('.lb-download'), allDownloads: document.querySelectorAll('.lb-download').length};
        }""")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    finally:
        context.close()
    assert not layout["wide"], f"{name}: wider than an A4 page:\n  " + "\n  ".join(layout["wide"])
    assert layout["scroll"] <= layout["width"], layout
    assert layout["iframes"] == 0 and layout["notes"] == maps, layout  # each map replaced by its note on paper
    assert layout["downloads"] == 0, layout  # data: links cannot be followed on paper
    if name != "crime_trends":
        assert layout["allDownloads"] > 0, layout  # and there were some to hide
    media_box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert media_box is not None
    width_pt, height_pt = (float(v) for v in media_box.groups())
    assert (round(width_pt), round(height_pt)) == (595, 842)  # A4 in points, from @page { size: A4 }


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("kommun", ["2080", "1283"])
def test_the_lagesbild_shows_every_column_of_its_tables_on_a_laptop_screen(a11y_reports, browser, kommun):
    """At 1 100 px no table of the lägesbild scrolls sideways: the åtgärdsplan (nine columns of prose) and its
    follow-up break long Swedish words at soft hyphens instead of hiding their last columns (before: 1 370 px
    of plan in a 930 px column, Helsingborg's 'Stadsbyggnadsförvaltningen' one word)."""
    context, page = _open(browser, a11y_reports / kommun / "lagesbild.html")
    try:
        hidden = page.evaluate("""() => Array.from(document.querySelectorAll('.lb-table-wrap'))
            .filter(w => w.scrollWidth > w.clientWidth + 1)
            .map(w => `${w.scrollWidth} px in ${w.clientWidth} px: ${(w.getAttribute('aria-label') || '').slice(0, 60)}`)""")
        plans = page.evaluate("() => document.querySelectorAll('.lb-table-wrap').length")
    finally:
        context.close()
    assert plans >= 5, "the lägesbild has its tables"
    assert not hidden, "tables wider than the page:\n  " + "\n  ".join(hidden)


# ============================================================================================
# downloads
# ============================================================================================

class _Tables(HTMLParser):
    """Tables (cell texts per row) and the download links that follow each, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "lb-table" in (a.get("class") or ""):
            self.tables.append({"rows": [], "caption": "", "links": {}})
        elif not self.tables:
            return
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and (a.get("href") or "").startswith("data:") and a.get("download"):
            self.tables[-1]["links"][a["download"]] = a["href"]

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = "".join(self._caption)
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def tables_with_downloads(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return [t for t in parser.tables if t["links"]]


def _decode(href: str) -> bytes:
    header, _, data = href.partition(",")
    assert header.endswith(";base64"), header
    return base64.b64decode(data)


_NUMBER = re.compile(r"^[+\u2212-]?\d{1,3}(?:\u00a0\d{3})*(?:,\d+)?$|^[+\u2212-]?\d+(?:,\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _csv_cell_shows(shown: str, in_csv: str) -> bool:
    """Does a CSV cell hold what the page cell shows: the same number, date, text, or empty for "missing"?"""
    import datetime as dt

    from lagesbild.core import fmt

    if _NUMBER.match(shown):
        return in_csv == shown.replace("\u00a0", "").replace("\u2212", "-").lstrip("+")
    if _ISO_DATE.match(in_csv):
        return fmt.day(dt.date.fromisoformat(in_csv)) == shown
    if in_csv == "":
        return shown in ("uppgift saknas", "–", "-", "")
    return in_csv in (shown, "'" + shown)  # "'" keeps a text starting with = + - @ from running as a formula


def check_downloads_match_page(table: dict) -> None:
    """The CSV and the workbook hold the page's table, cell for cell; nothing more."""
    import datetime as dt

    import openpyxl

    (csv_name, csv_href), = [(n, h) for n, h in table["links"].items() if n.endswith(".csv")]
    (xlsx_name, xlsx_href), = [(n, h) for n, h in table["links"].items() if n.endswith(".xlsx")]
    assert csv_name[:-4] == xlsx_name[:-5]
    data = _decode(csv_href)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    page_rows = table["rows"]
    assert len(rows) == len(page_rows), (table["caption"], len(rows), len(page_rows))
    sheet = openpyxl.load_workbook(io.BytesIO(_decode(xlsx_href)))["Tabell"]
    xlsx_rows = [[c.value for c in row] for row in sheet.iter_rows(max_col=len(page_rows[0]))]
    assert len(xlsx_rows) == len(page_rows)
    for page_row, csv_row, xlsx_row in zip(page_rows, rows, xlsx_rows, strict=True):
        assert len(csv_row) == len(page_row), (table["caption"], page_row, csv_row)
        for shown, in_csv, in_xlsx in zip(page_row, csv_row, xlsx_row, strict=True):
            assert _csv_cell_shows(shown, in_csv), (table["caption"], shown, in_csv)
            if in_xlsx is None:
                assert in_csv == "", (table["caption"], shown, in_csv)
            elif isinstance(in_xlsx, dt.datetime):
                assert in_xlsx.date().isoformat() == in_csv, (table["caption"], shown, in_xlsx)
            elif isinstance(in_xlsx, int | float):
                assert float(in_csv.replace(",", ".")) == pytest.approx(in_xlsx), (table["caption"], shown, in_xlsx)
            else:
                assert in_xlsx == shown, (table["caption"], shown, in_xlsx)


@pytest.mark.slow
@pytest.mark.parametrize(("kommun", "name", "n_tables"), [("2080", "crime_trends", 5), ("1283", "place_assessment", 5),
                                                          ("1287", "wastewater", 4), ("1283", "project_evaluation", 3)])
def test_every_download_holds_exactly_what_the_page_shows(a11y_reports, kommun, name, n_tables):
    tables = tables_with_downloads((a11y_reports / kommun / f"{name}.html").read_text(encoding="utf-8"))
    assert len(tables) == n_tables
    for table in tables:
        check_downloads_match_page(table)


@pytest.mark.slow
def test_masked_counts_stay_masked_in_the_place_reports_downloads(a11y_reports):
    """The example data has places with 1 or 2 events: the page says "färre än 3", and so do the files."""
    import openpyxl

    tables = tables_with_downloads((a11y_reports / "1283" / "place_assessment.html").read_text(encoding="utf-8"))
    per_place = next(t for t in tables if t["caption"].startswith("Händelser och rapporter per plats"))
    masked = [(i, j) for i, row in enumerate(per_place["rows"]) for j, cell in enumerate(row)
              if cell in (privacy.SMALL_LABEL, privacy.HIDDEN_LABEL)]
    assert masked, "the example data should have a masked count (else this test proves nothing)"
    csv_href = next(h for n, h in per_place["links"].items() if n.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(_decode(csv_href).decode("utf-8-sig")), delimiter=";"))
    xlsx_href = next(h for n, h in per_place["links"].items() if n.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(_decode(xlsx_href)))["Tabell"]
    for i, j in masked:
        assert rows[i][j] == per_place["rows"][i][j]
        assert sheet.cell(i + 1, j + 1).value == per_place["rows"][i][j]
    # no count column of any place-level table holds a 1 or a 2 in the files
    for table in tables:
        for href in table["links"].values():
            if href.startswith("data:text/csv"):
                body = list(csv.reader(io.StringIO(_decode(href).decode("utf-8-sig")), delimiter=";"))
                header = body[0]
                for column, title in enumerate(header):
                    if any(w in title.lower() for w in ("antal", "händelser", "logg", "rapporter", "totalt")):
                        assert not {row[column] for row in body[1:]} & {"1", "2"}, (table["caption"], title)


@pytest.mark.browser
@pytest.mark.slow
def test_download_links_download_offline(a11y_reports, browser):
    """Clicking the links saves the files (from the data: URI, nothing fetched), with their names."""
    import openpyxl

    path = a11y_reports / "1287" / "wastewater.html"
    context, page = _open(browser, path)
    try:
        links = page.query_selector_all(".lb-download a")
        assert len(links) >= 2
        got = {}
        for link in links[:2]:
            with page.expect_download() as info:
                link.click()
            download = info.value
            got[download.suggested_filename] = Path(download.path()).read_bytes()
        blocked = page.blocked
    finally:
        context.close()
    assert not blocked
    names = sorted(got)
    assert names[0].endswith(".csv") and names[1].endswith(".xlsx") and names[0][:-4] == names[1][:-5]
    text = got[names[0]].decode("utf-8-sig")
    assert text.splitlines()[0].count(";") >= 1
    assert openpyxl.load_workbook(io.BytesIO(got[names[1]])).sheetnames == ["Tabell", "Om tabellen"]


# ============================================================================================
# alt texts
# ============================================================================================

@pytest.mark.slow
def test_chart_alt_texts_state_a_finding(a11y_reports):
    """Every chart's alt text gives numbers, not just what kind of chart it is."""
    import html as html_lib

    for kommun, name, _ in REPORTS:
        page = (a11y_reports / kommun / f"{name}.html").read_text(encoding="utf-8")
        alts = [html_lib.unescape(a) for a in re.findall(r'<img[^>]*? alt="([^"]*)"', page)]
        assert alts or name == "lagesbild", name  # the summary has tables and text, no charts
        for alt in alts:
            assert not re.match(r"(Diagram|Figur|Bild|Karta)\b", alt), (name, alt)
            assert re.search(r"\d", alt), (name, alt)
            assert len(alt) <= 500, (name, len(alt), alt[:80])  # details belong in the text, not the alt
