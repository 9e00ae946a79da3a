"""End to end: a place report built by run_all.py never publishes free text, exact positions, small counts
or unescaped names (issue 3's privacy requirements), checked on the built HTML and JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from pyproj import Transformer

from lagesbild.core.paths import PROJ_ROOT
from lagesbild.places.analysis import EXAMPLE_PLACES

pytestmark = pytest.mark.slow

SECRET_NOTE = "HEMLIG-ANTECKNING-4711"
SECRET_INCIDENT = "HEMLIG-FRITEXT-4711 Anna Andersson sågs"
SECRET_CITIZEN = "HEMLIG-MEDBORGARE-4711"
PAYLOAD = '<script>alert("lb-xss")</script>'
PLACE_NAME = f"{PAYLOAD} O'Hara' onerror='alert(2) Testtorget"  # quotes try to break out of attributes
# exact positions that must never reach the report (SWEREF 99 TM and WGS 84)
INCIDENT_E, INCIDENT_N = "361511.37", "6219507.91"
CITIZEN_LON, CITIZEN_LAT = "12.712345", "56.041234"


def _append(path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


@pytest.fixture(scope="module")
def private_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    places = root / "places"
    shutil.copytree(EXAMPLE_PLACES, places, ignore=shutil.ignore_patterns("*.py", "metadata.yaml"))
    # far from the example places, so that only the two incidents below belong to it
    _append(places / "platser.csv", f"HBG-XSS;{PLACE_NAME};1283;Söder;EPSG:3006;;361500;6219500;60")
    _append(places / "besiktningar.csv", f"HBG-XSS;2025-05-05;besiktning;polis;1;2;2;1;3;3;2;2;{SECRET_NOTE}")
    # exactly two incidents at the new place: the count 2 must never be published
    _append(places / "handelser.csv", f"2025-06-01 22:10;Klotter;polis;HBG-XSS;EPSG:3006;"
                                      f"{INCIDENT_E.replace('.', ',')};{INCIDENT_N.replace('.', ',')};{SECRET_INCIDENT}")
    _append(places / "handelser.csv", f"2025-06-02 23:10;Klotter;kommun;HBG-XSS;;;;{SECRET_INCIDENT}")
    _append(places / "medborgarrapporter.csv", f"2025-06-03 21:00;Belysning;;WGS 84;{CITIZEN_LON.replace('.', ',')};"
                                               f"{CITIZEN_LAT.replace('.', ',')};{SECRET_CITIZEN}")
    params = root / "params"
    params.mkdir()
    (params / "1283_helsingborg.yaml").write_text(
        'kommun: "1283"\nreports:\n  place_assessment:\n'
        f'    place_data: "{places.as_posix()}"\n    districts: [Söder]\n', encoding="utf-8")
    out = root / "out"
    proc = subprocess.run(
        [sys.executable, str(PROJ_ROOT / "run_all.py"), "--kommun", "1283", "--report", "place_assessment",
         "--params", str(params), "--out", str(out), "--no-progress", "--workers", "1"],
        capture_output=True, text=True, timeout=600, cwd=PROJ_ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (out / "1283" / "place_assessment.html").read_text(encoding="utf-8")
    key_figures = (out / "1283" / "place_assessment.json").read_text(encoding="utf-8")
    return html, key_figures


def test_the_report_uses_the_fixture_data_and_is_not_labelled_as_example(private_report):
    html, _ = private_report
    assert "Testtorget" in html
    assert "påhittade exempeldata" not in html  # no metadata.yaml: the kommun's own data


def test_free_text_never_reaches_the_report(private_report):
    for text in private_report:
        assert "HEMLIG" not in text and "Anna Andersson" not in text


def test_exact_positions_never_reach_the_report(private_report):
    html, key_figures = private_report
    to_wgs = Transformer.from_crs(3006, 4326, always_xy=True)
    lon, lat = to_wgs.transform(float(INCIDENT_E), float(INCIDENT_N))
    # the raw values, and the points as a map would write them ([lon, lat], rounded to 5 decimals); a single
    # rounded latitude can coincide with a vertex of the (public) place polygon, a whole point cannot
    forbidden = [INCIDENT_E, INCIDENT_N, INCIDENT_E.split(".")[0], INCIDENT_N.split(".")[0], CITIZEN_LON, CITIZEN_LAT,
                 f"[{lon:.5f}, {lat:.5f}]", f"[{float(CITIZEN_LON):.5f}, {float(CITIZEN_LAT):.5f}]",
                 f"{lat:.5f}, {lon:.5f}", f"{float(CITIZEN_LAT):.5f}, {float(CITIZEN_LON):.5f}"]
    for text in (html, key_figures):
        for value in forbidden:
            assert value not in text, value


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of every <script>; iframe srcdoc pages too."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if tag == "iframe" and dict(attrs).get("srcdoc"):
            inner = _Tags()
            inner.feed(dict(attrs)["srcdoc"])
            self.tags += inner.tags
            self.scripts += inner.scripts

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_a_script_in_a_place_name_is_escaped_everywhere(private_report):
    html, key_figures = private_report
    assert PAYLOAD not in html
    assert "&lt;script&gt;alert(" in html and "Testtorget" in html  # shown, as text
    parsed = _Tags()
    parsed.feed(html)
    handlers = [(tag, name) for tag, attrs in parsed.tags for name in attrs if name.startswith("on")]
    assert not handlers, handlers  # the quotes in the name did not open an attribute
    assert not [t for t in parsed.scripts if 'alert("lb-xss")' in t or "'alert(2)" in t]
    assert json.loads(key_figures)  # key figures are JSON data, never HTML


def test_two_incidents_at_a_place_are_published_as_fewer_than_three(private_report):
    html, _ = private_report
    row = html[html.index("Händelser och rapporter per plats"):]
    row = row[row.index("Testtorget"):]
    row = row[:row.index("</tr>")]
    assert "färre än 3" in row


def test_the_yearly_counts_for_the_atgardsplan_never_show_the_two(private_report):
    """The key figures' place_series (read by the lägesbild's follow-up of goals on events at a place)."""
    _, key_figures = private_report
    series = {p["plats_id"]: p for p in json.loads(key_figures)["key_figures"]["place_series"]}
    assert series["HBG-XSS"]["events"] == [{"year": 2024, "months": 12, "count": None, "small": True, "hidden": False},
                                           {"year": 2025, "months": 12, "count": None, "small": True, "hidden": False}]
    counts = [e["count"] for p in series.values() for e in p["events"]]
    assert all(c is None or c >= 3 for c in counts) and any(c is not None for c in counts)
