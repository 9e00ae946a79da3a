"""Shared pytest fixtures, and what keeps the suite fast (``make test`` runs it on two cores with xdist).

Expensive things are done once and read by many tests:

* :func:`reports_build`: ONE ``run_all.py`` over the kommuner and reports the end-to-end, browser and
  accessibility tests read (what used to be three separate runs);
* :func:`executed_notebook`: a report notebook executed in a Jupyter kernel (papermill) once per
  (report, parameters) for the whole run, all xdist workers included;
* :func:`bundled_data`: the bundled raw data built into ``processed/`` once.

:func:`pytest_collection_modifyitems` puts every test that uses the same module-, class- or
session-scoped fixture of this suite into one xdist group, so that with ``--dist loadgroup`` such a
fixture is built once, on one worker, instead of once per worker.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from lagesbild.core.startup import defer_uri_grammars

defer_uri_grammars()  # every worker imports nbformat: ≈ 1 s less each (lagesbild.core.startup)

# ============================================================================================
# xdist: tests that share an expensive fixture run on one worker
# ============================================================================================

#: Fixtures of wider scope that do not tie their tests to one worker: cheap, or shared by all workers already.
UNTIED_FIXTURES = {"browser", "executed_notebook", "bundled_data"}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the marks
def pytest_collection_modifyitems(config, items):
    """Mark tests that share a module-, class- or session-scoped fixture of this suite with one ``xdist_group``.

    Tests linked through such fixtures (directly or through another test) form one group, named after
    the first of its fixtures, e.g. ``tests.reports_build`` (conftest) or ``test_own_data.own``. Fixtures of pytest and its plugins
    (``tmp_path_factory`` …) and :data:`UNTIED_FIXTURES` do not link tests.
    """
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    keys_of: list[list[str]] = []
    for item in items:
        keys = []
        info = getattr(item, "_fixtureinfo", None)
        for name in (info.names_closure if info else []):
            defs = info.name2fixturedefs.get(name)
            if not defs:
                continue
            fd = defs[-1]
            if fd.scope == "function" or not fd.baseid or name in UNTIED_FIXTURES:
                continue
            keys.append(f"{fd.baseid.rsplit('/', 1)[-1].removesuffix('.py')}.{name}")  # e.g. test_layers.bundle
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
        keys_of.append(keys)
    loadgroup = getattr(config.option, "loadgroup", False)  # set on xdist's workers by --dist loadgroup
    for item, keys in zip(items, keys_of, strict=True):
        if keys:
            group = find(keys[0])
            item.add_marker(pytest.mark.xdist_group(group))
            if loadgroup:
                _suffix_group(item, group)
    if loadgroup:
        # xdist hands out the groups (largest first) and then single tests in this order: the slow ones first,
        # so that no long test starts last while the other worker has nothing left to do
        items.sort(key=lambda item: not (item.get_closest_marker("slow") or item.get_closest_marker("browser")))


def _suffix_group(item, group: str) -> None:
    """Append ``@group`` to the item's node id, as pytest-xdist's loadgroup does to ``item._nodeid``.

    pytest-xdist 3.8 sets ``item._nodeid``, which pytest 9.2 no longer reads (node ids live in
    ``item._id``): without this, ``--dist loadgroup`` silently schedules every test on its own.
    """
    if item.nodeid.endswith(f"@{group}"):
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # a pytest before 9.2 reads _nodeid (and xdist sets it itself)
        return
    item._id = NodeId.parse(f"{item.nodeid}@{group}")


def shared_tmp(tmp_path_factory) -> Path:
    """A folder all xdist workers of this run share (the run's base temp folder without a worker)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def file_lock(path: Path):
    """Hold an exclusive lock on ``path`` (created) while in the block; other processes wait."""
    import fcntl

    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
# Report notebooks executed in a Jupyter kernel, once per (report, parameters)
# ============================================================================================


@functools.cache
def notebook_defaults(report: str) -> dict:
    """The values of a report notebook's ``parameters`` cell, as papermill reads them (do not change the dict)."""
    import papermill

    from lagesbild.core.paths import NOTEBOOKS

    return {name: ast.literal_eval(p["default"])
            for name, p in papermill.inspect_notebook(str(NOTEBOOKS / f"{report}.ipynb")).items()}


@pytest.fixture(scope="session")
def executed_notebook(tmp_path_factory):
    """``executed_notebook(report, parameters)``: the report notebook executed by papermill in a Jupyter
    kernel (``cwd`` notebooks/, as in Jupyter), once per run for each distinct set of parameters.

    Parameters equal to the notebook's defaults count as not given, so ``{"kommun": "1287"}`` and
    ``{}`` for the wastewater notebook are one execution. The executed notebook is kept on disk and
    shared by all xdist workers (a lock per execution); a notebook whose cell raised is kept too,
    with its error output, so every test that reads it fails with the error instead of re-running it.
    """
    import nbformat
    import papermill

    from lagesbild.core.paths import NOTEBOOKS

    folder = shared_tmp(tmp_path_factory) / "executed_notebooks"
    folder.mkdir(exist_ok=True)

    def execute(report: str, parameters: dict | None = None):
        given = {k: v for k, v in (parameters or {}).items() if notebook_defaults(report).get(k, object()) != v}
        digest = hashlib.sha256(json.dumps([report, given], sort_keys=True).encode()).hexdigest()[:16]
        path = folder / f"{report}-{digest}.ipynb"
        with file_lock(path.with_suffix(".lock")):
            if not path.exists():
                partial = path.with_suffix(".partial.ipynb")
                with contextlib.suppress(papermill.PapermillExecutionError):  # the error is in the notebook
                    papermill.execute_notebook(str(NOTEBOOKS / f"{report}.ipynb"), str(partial), parameters=given,
                                               progress_bar=False, kernel_name="python3", cwd=str(NOTEBOOKS))
                partial.replace(path)
        return nbformat.read(path, as_version=4)

    return execute


def error_outputs(nb) -> list[str]:
    """Every error output of an executed notebook, as ``"Name: value"``."""
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "error"]


def stderr_outputs(nb) -> list[str]:
    """Every text a notebook wrote to stderr (warnings, log lines)."""
    return [o.get("text", "") for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]


def html_of(nb) -> str:
    """The HTML a notebook displayed, every cell's in order."""
    return "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.get("outputs", []))


# ============================================================================================
# The bundled raw data, built once
# ============================================================================================


@pytest.fixture(scope="session")
def bundled_data(tmp_path_factory) -> SimpleNamespace:
    """A copy of ``data/raw`` with ``processed/`` built from it, once per run (all xdist workers share it).

    Do not change it: copy it. Returns a namespace with ``root`` (the data folder) and ``manifest`` (what
    :func:`lagesbild.sources.processed.build` returned when it built the folder).
    """
    import shutil

    from lagesbild.core.paths import DATA
    from lagesbild.sources import processed

    folder = shared_tmp(tmp_path_factory) / "bundled_data"
    root, manifest = folder / "data", folder / "first_build.json"
    folder.mkdir(exist_ok=True)
    with file_lock(folder / "lock"):
        if not manifest.exists():
            shutil.rmtree(root, ignore_errors=True)  # a build that was interrupted
            shutil.copytree(DATA / "raw", root / "raw")
            for p in (root / "raw").rglob("*"):  # the bundled files may be read-only; copies of this folder are edited
                p.chmod(0o755 if p.is_dir() else 0o644)
            manifest.write_text(json.dumps(processed.build(root)), encoding="utf-8")
    return SimpleNamespace(root=root, manifest=json.loads(manifest.read_text(encoding="utf-8")))


# ============================================================================================
# Real reports built by run_all.py (end-to-end, browser and accessibility tests)
# ============================================================================================

#: The kommuner of the shared build, and why each is there. Every report is built for each.
SHARED_KOMMUNER = {
    "2080": "Falun: Brå's kommunindikatorer, NTU, the example trygghetsmätning; no place data, no measurements",
    "1283": "Helsingborg: the example places and project, utsatta områden",
    "1287": "Trelleborg: the example lab results",
    "1380": "Halmstad: the example commitments",
    "1488": "Trollhättan: a EUDA wastewater site",
    "1280": "Malmö: a storstad (a kommungrupp of three)",
    "1460": "Bengtsfors: a landsbygdskommun",
    "0114": "Upplands Väsby: little data (no NTU, places, projects or surveys): the lägesbild says what is missing",
}


def run_all(*args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    """``run_all.py --no-progress ARGS`` from the repository root; a hang fails the test."""
    from lagesbild.core.paths import PROJ_ROOT

    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=PROJ_ROOT)


@pytest.fixture(scope="session")
def reports_build(tmp_path_factory) -> SimpleNamespace:
    """ONE ``run_all.py --workers 2`` of every report for :data:`SHARED_KOMMUNER` with the repository's
    params/, once per session: the end-to-end, browser and accessibility tests all read it.

    Returns a namespace with ``out`` (the output folder) and ``proc`` (the completed process).
    """
    out = tmp_path_factory.mktemp("reports")
    proc = run_all(*[a for k in SHARED_KOMMUNER for a in ("--kommun", k)], "--out", str(out), "--workers", "2")
    return SimpleNamespace(out=out, proc=proc)


@pytest.fixture(scope="session")
def built_reports(reports_build):
    """``(out_dir, completed_process)`` of :func:`reports_build` (its Falun and Helsingborg reports are read)."""
    return reports_build.out, reports_build.proc
