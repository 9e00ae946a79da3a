"""Hostile text in every free-form field that can reach a report is published as text, never as markup.

Every free-form name a kommun supplies (place names and districts, incident categories, the plant of
its lab results, project names and measures, commitments, survey indices, metadata descriptions, the
``districts``, ``focus_areas`` and ``name`` of its YAML, the Markdown of the lägesbild's own texts) is set to
a tag followed by :data:`PAYLOAD`, three classic injections, all for one kommun (Helsingborg). One
``run_all.py`` run builds the reports those fields reach; then every built HTML page, and the ``srcdoc`` page of every map ``<iframe>``, is parsed
with ``html.parser``:

- no element has an ``on*`` attribute and no ``<img src=x>`` exists;
- no ``<script>`` holds an ``alert(`` outside a string in which the payload's ``<`` and ``'`` are escaped
  (the map pages carry place names as escaped tooltip text inside their data; that is fine);
- each field's payload appears, whole, in a page's text (so the field did reach the report and was
  escaped), and wherever its tag appears in text the whole payload follows (markup never cut it);
- the free-text columns that must never be published (``fritext``, ``anteckning``, ``kommentar``)
  appear nowhere.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from lagesbild.core.paths import DATA, PROJ_ROOT

pytestmark = pytest.mark.slow

EXAMPLE = DATA / "example"
PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>' onmouseover='alert(3)"

#: Tag of each field that is published today → where it comes from. Each must reach a report.
PUBLISHED = {
    "Xplatsnamn": "platser.csv namn",
    "Xstadsdel": "platser.csv stadsdel",
    "Xhandelsekategori": "handelser.csv kategori",
    "Xplatsbeskrivning": "places metadata.yaml beskrivning",
    "Xdistrikt": "YAML reports.place_assessment.districts",
    "Xprojektnamn": "projekt.csv namn",
    "Xatgard": "projekt.csv atgarder",
    "Xatagande": "ataganden.csv text",
    "Xindex": "enkat.csv index",
    "Xprojektbeskrivning": "projects metadata.yaml beskrivning",
    "Xreningsverk": "analyser.csv reningsverk",
    "Xlabbeskrivning": "lab metadata.yaml beskrivning",
    "Xfokus": "YAML focus_areas",
    "Xnamn1283": "YAML name (index page)",
    "Xtextstycke": "the lägesbild's texts: analys.md, a paragraph",
    "Xtextrubrik": "the lägesbild's texts: sammanfattning.md, a heading",
    "Xtextlista": "the lägesbild's texts: kartlaggning.md, a list item",
    "Xtexttabell": "the lägesbild's texts: uppfoljning.md, a table cell",
    "Xtextlank": "the lägesbild's texts: atgardsplan.md, the text of a javascript: link",
    "Xtextkommentar": "the lägesbild's texts: analys.md, an HTML comment (shown as text)",
}
#: Free-form fields that carry the payload too but are not shown by any report today: if one ever is,
#: the checks on markup above cover it.
UNSHOWN = ("Xplatskalla", "Xindikator", "Xenhet", "Xatagandekalla", "Xenkatkalla", "Xprojektkalla", "Xlaboratorium",
           "Xlabkalla")
#: Free text that must never be published (privacy), with the payload in it as well.
NEVER_PUBLISHED = ("Xfritext", "Xanteckning", "Xprojektkommentar", "Xlabkommentar")


def hostile(tag: str) -> str:
    return f"{tag} {PAYLOAD}"


# ============================================================================================
# Inputs
# ============================================================================================


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)  # quotes the payload's '"'
    path.write_text(buf.getvalue(), encoding="utf-8")


def set_column(path: Path, column: str, value: str, where=lambda row: True) -> int:
    """Set ``column`` in every row for which ``where(row as dict)`` holds; returns how many."""
    rows = read_rows(path)
    j, n = rows[0].index(column), 0
    for r in rows[1:]:
        if where(dict(zip(rows[0], r, strict=True))):
            r[j], n = value, n + 1
    write_rows(path, rows)
    return n


def write_metadata(folder: Path, prefix: str) -> None:
    text = yaml.safe_dump({"exempeldata": True, "beskrivning": hostile(f"X{prefix}beskrivning"),
                           "kalla": hostile(f"X{prefix}kalla"), "datum": "2026-01-15"}, allow_unicode=True)
    (folder / "metadata.yaml").write_text(text, encoding="utf-8")


def hostile_places(folder: Path) -> Path:
    shutil.copytree(EXAMPLE / "places", folder)
    first = lambda r: r["plats_id"] == "HBG-001"  # noqa: E731
    assert set_column(folder / "platser.csv", "namn", hostile("Xplatsnamn"), first) == 1
    assert set_column(folder / "platser.csv", "stadsdel", hostile("Xstadsdel"), first) == 1
    # a category with enough events to be shown despite the rule that counts below 3 are masked
    assert set_column(folder / "handelser.csv", "kategori", hostile("Xhandelsekategori"),
                      lambda r: r["kategori"] == "Klotter") > 50
    set_column(folder / "handelser.csv", "fritext", hostile("Xfritext"))
    set_column(folder / "besiktningar.csv", "anteckning", hostile("Xanteckning"))
    write_metadata(folder, "plats")
    return folder


def hostile_projects(folder: Path) -> Path:
    shutil.copytree(EXAMPLE / "projects", folder)
    set_column(folder / "projekt.csv", "namn", hostile("Xprojektnamn"))
    set_column(folder / "projekt.csv", "atgarder", "belysning; " + hostile("Xatgard"))
    set_column(folder / "projekt.csv", "kommentar", hostile("Xprojektkommentar"))
    helsingborg = lambda r: r["kommun"] == "1283"  # noqa: E731
    for column, tag in (("text", "Xatagande"), ("indikator", "Xindikator"), ("enhet", "Xenhet"),
                        ("kalla", "Xatagandekalla")):
        assert set_column(folder / "ataganden.csv", column, hostile(tag), helsingborg) == 1
    set_column(folder / "enkat.csv", "index", hostile("Xindex"))
    set_column(folder / "enkat.csv", "kalla", hostile("Xenkatkalla"))
    write_metadata(folder, "projekt")
    return folder


def hostile_lab_results(folder: Path) -> Path:
    """Trelleborg's example lab results, relabelled as Helsingborg's (so that one kommun gets every report)."""
    shutil.copytree(EXAMPLE / "wastewater", folder)
    assert set_column(folder / "analyser.csv", "kommun", "1283") > 50
    for column, tag in (("reningsverk", "Xreningsverk"), ("laboratorium", "Xlaboratorium"),
                        ("kommentar", "Xlabkommentar")):
        set_column(folder / "analyser.csv", column, hostile(tag))
    write_metadata(folder, "lab")
    return folder


def hostile_texts(folder: Path) -> Path:
    """The kommun's own texts (Markdown) with the payload in a paragraph, heading, list, table and link."""
    folder.mkdir()
    texts = {"analys.md": f"{hostile('Xtextstycke')}\n\n<!-- {hostile('Xtextkommentar')} -->\n",
             "sammanfattning.md": f"# {hostile('Xtextrubrik')}\n",
             "kartlaggning.md": f"- {hostile('Xtextlista')}\n- <iframe src=\"https://evil.example\"></iframe>\n",
             "uppfoljning.md": f"| a | b |\n|---|---|\n| {hostile('Xtexttabell')} | 1 |\n",
             "atgardsplan.md": f"[{hostile('Xtextlank')}](javascript:alert(4))\n"}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_all(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--workers", "2", "--no-progress", *args],
                          capture_output=True, text=True, timeout=600, cwd=PROJ_ROOT)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Hostile inputs for Helsingborg (places, projects, lab results, focus areas, name, the lägesbild's texts),
    built in one run of the reports they reach; returns the output folder."""
    base = tmp_path_factory.mktemp("escaping")
    places = hostile_places(base / "platser")
    projects = hostile_projects(base / "projekt")
    lab = hostile_lab_results(base / "analyser")
    texts = hostile_texts(base / "texter")
    params, out = base / "params", base / "out"
    params.mkdir()
    config = {"kommun": "1283", "name": hostile("Xnamn1283"), "focus_areas": [hostile("Xfokus"), "Våld"],
              "reports": {"place_assessment": {"place_data": str(places), "districts": [hostile("Xdistrikt"), "Söder"]},
                          "project_evaluation": {"place_data": str(places), "project_data": str(projects)},
                          "wastewater": {"lab_data": str(lab)}, "lagesbild": {"texts": str(texts)}}}
    (params / "1283_test.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    proc = run_all("--kommun", "1283", "--report", "place_assessment", "project_evaluation", "wastewater",
                   "crime_trends", "lagesbild", "--out", str(out), "--params", str(params))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    return out


# ============================================================================================
# Parsing what was built
# ============================================================================================


class Page(HTMLParser):
    """One HTML document: its text, its scripts' text, its elements' attributes, its iframes' pages."""

    def __init__(self, html: str, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []
        self.images: list[dict] = []
        self.frames: list[Page] = []
        self._script: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key.lower().startswith("on"):
                self.handlers.append((tag, key, value or ""))
            if tag == "iframe" and key == "srcdoc" and value:
                self.frames.append(Page(value, f"{self.name} > iframe srcdoc #{len(self.frames) + 1}"))
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "script":
            self._script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        (self._script if self._script is not None else self.text).append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)

    def walk(self):
        yield self
        for frame in self.frames:
            yield from frame.walk()


@pytest.fixture(scope="module")
def pages(built) -> list[Page]:
    files = sorted(built.rglob("*.html"))
    names = {p.relative_to(built).as_posix() for p in files}
    assert {"index.html", "1283/place_assessment.html", "1283/project_evaluation.html", "1283/wastewater.html",
            "1283/crime_trends.html", "1283/lagesbild.html"} <= names
    return [page for p in files for page in Page(p.read_text(encoding="utf-8"), p.relative_to(built).as_posix()).walk()]


#: How the payload's "<" and "'" look once escaped (HTML entities, and JSON's \\u escapes of them).
_ESCAPED = ("&lt;", "&#x27;", "&#39;", "\\u003c", "\\u0026lt;", "\\u0026#x27;", "\\u0027")


def unescaped_alerts(script: str) -> list[str]:
    """Each ``alert(`` whose payload context is not escaped: a raw ``<`` or ``='`` before it, or no escape."""
    bad = []
    for m in re.finditer(r"alert\(", script):
        before = script[max(0, m.start() - 40):m.start()]
        if "<" in before or "='" in before or not any(e in before for e in _ESCAPED):
            bad.append(script[max(0, m.start() - 60):m.end() + 10])
    return bad


# ============================================================================================
# Checks
# ============================================================================================


def test_maps_were_parsed_too(pages):
    frames = [p for p in pages if "iframe srcdoc" in p.name]
    assert len(frames) >= 3  # the place map, the hot-spot map and the project's areas at least
    assert any("alert(" in s for p in frames for s in p.scripts)  # the map data carries the names (escaped)


def test_no_element_has_an_event_handler_attribute(pages):
    found = [(p.name, *h) for p in pages for h in p.handlers]
    assert not found, found[:5]


def test_no_injected_image(pages):
    found = [(p.name, img) for p in pages for img in p.images if img.get("src") == "x" or "onerror" in img]
    assert not found, found[:5]


def test_no_script_runs_the_payload(pages):
    found = [(p.name, ctx) for p in pages for s in p.scripts for ctx in unescaped_alerts(s)]
    assert not found, found[:5]


def test_the_checks_find_an_injection():
    """The checks themselves: the payload pasted into a page unescaped is found by each of them."""
    import html

    raw = Page(f"<p>{PAYLOAD}</p><p title='{PAYLOAD}'>x</p>", "raw")
    assert raw.handlers and any(img.get("src") == "x" for img in raw.images)
    assert [ctx for s in raw.scripts for ctx in unescaped_alerts(s)]
    assert hostile("X") not in raw.all_text  # cut by the markup
    safe = Page(f"<p>{html.escape(hostile('X'))}</p><p title=\"{html.escape(PAYLOAD)}\">x</p>", "safe")
    assert not safe.handlers and not safe.images and not safe.scripts and hostile("X") in safe.all_text
    # script text: escaped data is fine, raw injections are not
    assert unescaped_alerts('var t = "\\u003cb\\u003eX \\u0026lt;script\\u0026gt;alert(1)";') == []
    assert unescaped_alerts('var t = "X &lt;img src=x onerror=alert(2)&gt;";') == []
    assert len(unescaped_alerts("alert(1)")) == 1  # what html.parser makes of an injected <script>alert(1)</script>
    assert len(unescaped_alerts("var t = \"X <img src=x onerror=alert(2)>\";")) == 1
    assert len(unescaped_alerts("var t = 'X ' onmouseover='alert(3)';")) == 1


@pytest.mark.parametrize("tag", PUBLISHED, ids=list(PUBLISHED))
def test_field_reaches_a_report_as_escaped_text(pages, tag):
    shown = [p.name for p in pages if hostile(tag) in p.all_text]
    assert shown, f"{tag} ({PUBLISHED[tag]}) reached no page as text"


def test_markup_never_cuts_a_payload(pages):
    """Wherever a field's tag is in a page's text, the whole payload follows it (nothing became markup)."""
    for page in pages:
        text = page.all_text
        for tag in (*PUBLISHED, *UNSHOWN):
            assert text.count(f"{tag} ") == text.count(hostile(tag)), (page.name, tag)


def test_free_text_is_never_published(built):
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for tag in NEVER_PUBLISHED:
            assert tag not in html, (path.name, tag)


def test_no_javascript_link(built):
    """The lägesbild's texts carry a ``javascript:`` link: its text is published, never the link."""
    for path in built.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", html, re.I), path.name
