"""Shared pytest fixtures."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

# ============================================================================================
# Offline HTML reports (maps / report / publish / browser tests)
# ============================================================================================

#: Hostile text used wherever text can reach HTML.
XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"

_FIXTURE_CELLS = [
    """\
import matplotlib
matplotlib.use("agg")
import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from shapely.geometry import Polygon

from lagesbild.render import maps, report
XSS = {xss!r}
report.heading(f"Lägesbild för {{kommun_namn}}", 1)
report.callout("Siffrorna är påhittade.", "example")
secret_code_marker_1 = "this source line must not appear in the report"
""",
    """\
df = pd.DataFrame({{"Brott": ["Stöld", XSS], "Antal": [1234, 56.5]}})
report.table(df, "Anmälda brott " + XSS, source="Brå " + XSS)
""",
    """\
fig, ax = plt.subplots(figsize=(5, 2.5))
ax.plot([2020, 2021, 2022], [3, 2, 1])
report.figure(fig, "Antalet minskar från 3 till 1", "Figur 1. " + XSS, "Brå")
""",
    """\
gdf = gpd.GeoDataFrame(
    {{"namn": ["Norrby", XSS, "Västerby"], "kod": ["0001", "0002", "0003"], "v": [10.0, 20.0, float("nan")]}},
    geometry=[Polygon([(13, 56), (14, 56), (14, 57), (13, 57)]),
              Polygon([(14, 56), (15, 56), (15, 57), (14, 57)]),
              Polygon([(12, 56), (13, 56), (13, 57)])],
    crs="EPSG:4326",
)
m = maps.choropleth(gdf, "v", "namn", highlight="0002", highlight_column="kod", legend_title="Brott per 1 000 inv.")
report.map_figure(m, "Brott per kommun " + XSS, "Flest brott i den mellersta kommunen. " + XSS, "Brå")
""",
    """\
report.key_figures({{"antal": 3, "kommun": kommun_namn}})
report.provenance([{{"name": "brott.csv", "description": XSS, "date": "2025", "sha256": "ab" * 32}}],
                  {{"kommun_namn": kommun_namn}}, "0.1.0", None)
""",
]


def build_fixture_report(folder: Path, kommun_namn: str = "Testköping " + XSS) -> SimpleNamespace:
    """Write, execute (papermill, in-process) and export a tiny report notebook.

    It has a heading, a callout, a table, a matplotlib figure, a choropleth of three hand-made
    polygons (one without a value, one highlighted), key figures and a provenance block, with
    hostile text in every place text can reach the page.

    Returns a namespace with ``html_path``, ``html``, ``nb`` (executed), ``execute_s``, ``export_s``.
    """
    import nbformat
    import papermill

    from lagesbild.publish import export as publish

    cells = [nbformat.v4.new_code_cell('kommun_namn = "Exempel"', metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(src.format(xss=XSS)) for src in _FIXTURE_CELLS]
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    folder.mkdir(parents=True, exist_ok=True)
    source, executed = folder / "fixture.ipynb", folder / "fixture.out.ipynb"
    nbformat.write(nb, source)
    t0 = time.perf_counter()
    out = papermill.execute_notebook(str(source), str(executed), parameters={"kommun_namn": kommun_namn},
                                     kernel_name="python3", progress_bar=False, cwd=str(folder))
    t1 = time.perf_counter()
    html = publish.export_html(out, "Lägesbild " + XSS)
    t2 = time.perf_counter()
    html_path = folder / "report.html"
    publish.atomic_write_text(html_path, html)
    return SimpleNamespace(html_path=html_path, html=html, nb=out, execute_s=t1 - t0, export_s=t2 - t1)


@pytest.fixture(scope="session")
def fixture_report(tmp_path_factory) -> SimpleNamespace:
    """The tiny report of :func:`build_fixture_report`, built once per test session."""
    return build_fixture_report(tmp_path_factory.mktemp("fixture_report"))


# ============================================================================================
# Real reports built by run_all.py (end-to-end and browser tests)
# ============================================================================================


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory):
    """``run_all.py --kommun 2080 --kommun 1283 --workers 2`` (crime trends, place assessment), once per session.

    Falun has the bundled Brå data; Helsingborg has none (its report must say so and still stand).
    Helsingborg has the bundled example places; Falun has no place data and no wastewater measurements.
    Returns ``(out_dir, completed_process)``.
    """
    import subprocess
    import sys

    from lagesbild.core.paths import PROJ_ROOT

    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run(
        [sys.executable, str(PROJ_ROOT / "run_all.py"), "--kommun", "2080", "--kommun", "1283",
         "--report", "crime_trends", "place_assessment", "wastewater", "--out", str(out), "--workers", "2",
         "--no-progress"],
        capture_output=True, text=True, timeout=600, cwd=PROJ_ROOT,
    )
    return out, proc
