#!/usr/bin/env python
"""Benchmark: crime-trends reports built by lagesbild's runner against the naive command-line loop.

One run measures, on the same kommuner and the same parameters:

* **ours** — :func:`lagesbild.run.batch.run` (papermill's Python API on a process pool, HTML exported
  in-process), timed end to end (wall), for each ``--workers`` value;
* **naive** — per kommun, the ``papermill`` command line and then
  ``jupyter nbconvert --to html --no-input``, one after the other;

and prints seconds per report, the ratio naive / ours and the peak memory of the whole process
tree (this process, pool workers, command lines, kernels). It then looks inside one report: the
per-cell durations papermill records, kernel start alone, the HTML export alone, and — in a plain
Python process — which imports and which library calls the notebook's code spends its time in.

Performance is measured here, with figures written to ``bench/README.md``, never in timed tests.

Usage::

    .venv/bin/python bench/bench_reports.py [--n N] [--workers W [W ...]] [--naive-n M] [--out DIR]

Output goes to a temporary folder (removed afterwards) unless ``--out`` is given; never to ``reports/``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil  # a dependency of ipykernel, so always present where papermill can run a kernel

from lagesbild.core.paths import DATA, PROJ_ROOT, notebook_path

#: The report benchmarked: ``--report`` sets it (through the environment, so that the child interpreters
#: this script starts for the import profile see the same report).
REPORT = os.environ.get("LAGESBILD_BENCH_REPORT", "crime_trends")
#: Six Dalarna kommuner (Brå data bundled) and two without Brå data (1283 Helsingborg, 1380 Halmstad),
#: interleaved so that the first three — the naive loop's default — include one of each kind.
DEFAULT_KOMMUNER = ["2080", "2081", "1283", "2062", "2085", "1380", "2021", "2029"]
BIN = Path(sys.executable).parent
MB = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# memory
# ---------------------------------------------------------------------------------------------

def tree_rss(proc: psutil.Process) -> int:
    """Resident set size in bytes of ``proc`` plus all its descendants (processes that vanish are skipped)."""
    return tree_memory(proc)[0]


def tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """(summed RSS, summed PSS) in bytes of ``proc`` and all its descendants.

    PSS (proportional set size, Linux) divides each page shared by n processes by n, so the sum over the
    tree is the memory the tree really holds; summed RSS counts a shared page once per process. Where PSS
    is not available it is reported as the RSS.
    """
    rss = pss = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for p in members:
        with contextlib.suppress(psutil.Error):
            full = p.memory_full_info()
            rss += full.rss
            pss += getattr(full, "pss", full.rss)
    return rss, pss


class PeakRSS:
    """Context manager sampling the process tree's summed RSS and PSS every ``interval`` seconds;
    ``.peak_mb`` and ``.peak_pss_mb`` after.

    Summed RSS counts pages shared between processes (libraries, forked memory) once per process,
    so it is an upper bound of the memory the tree really holds; summed PSS is the honest figure.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self.peak_pss = 0
        self.cpu_seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._proc = psutil.Process()

    def _sample(self) -> None:
        while not self._stop.is_set():
            t = time.thread_time()
            rss, pss = tree_memory(self._proc)
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            # what sampling costs (reading every process's smaps_rollup: the kernel walks its page tables), in CPU
            # seconds the run being measured cannot use
            self.cpu_seconds += time.thread_time() - t
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRSS:
        self.start_mb = tree_rss(self._proc) / MB
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return self.peak / MB

    @property
    def peak_pss_mb(self) -> float:
        return self.peak_pss / MB


# ---------------------------------------------------------------------------------------------
# the two ways of building reports
# ---------------------------------------------------------------------------------------------

def job_parameters(kommuner: list[str], out: Path) -> dict[str, dict]:
    """The exact parameters the runner passes to the notebook, per kommun (from params/ and the kommun table)."""
    from lagesbild.run.jobs import plan

    jobs, failed = plan(kommuner, [REPORT], DATA, out)
    if failed:
        raise SystemExit(f"cannot plan: {failed[0].kommun}: {failed[0].error}")
    return {job.kommun: job.parameters for job in jobs}


def time_ours(kommuner: list[str], workers: int, out: Path, engine: str = "warm", reports: list[str] | None = None,
              progress: bool = False) -> dict:
    """Build the reports with :func:`lagesbild.run.batch.run`; wall time, per-job seconds and peak memory."""
    from lagesbild.run.batch import run

    with PeakRSS() as mem:
        t0 = time.perf_counter()
        summary = run(kommuner, reports or [REPORT], out_dir=out, workers=workers, progress=progress, engine=engine)
        wall = time.perf_counter() - t0
    if summary.failures:
        for r in summary.failures:
            print(f"FAILED {r.kommun}: {r.error}", file=sys.stderr)
        raise SystemExit("ours: some reports failed; figures would be meaningless")
    return {"phase": f"ours {engine}, {workers} worker{'s' if workers > 1 else ''}", "reports": len(summary.results),
            "wall": wall, "peak_mb": mem.peak_mb, "peak_pss_mb": mem.peak_pss_mb, "start_mb": mem.start_mb,
            "jobs": {f"{r.kommun}/{r.report}" if reports else r.kommun: r.seconds for r in summary.results}}


def naive_one(kommun: str, parameters: dict, out: Path) -> tuple[float, float]:
    """One report the naive way: papermill CLI, then nbconvert CLI; returns (papermill s, nbconvert s).

    The parameters go in as JSON with ``-y`` so that both ways do identical work: ``-p kommun 2080``
    would hand the notebook the *number* 2080, which it rejects (kommun codes are text).
    """
    target = out / kommun / f"{REPORT}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    env = os.environ | {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    commands = [
        [str(BIN / "papermill"), str(notebook_path(REPORT)), str(target), "-y", json.dumps(parameters)],
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(target)],
    ]
    times = []
    for cmd in commands:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=PROJ_ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(f"naive {kommun}: {Path(cmd[0]).name} failed:\n{proc.stderr[-3000:]}")
    if not target.with_suffix(".html").exists():
        raise SystemExit(f"naive {kommun}: nbconvert wrote no HTML")
    return times[0], times[1]


def time_naive(kommuner: list[str], params: dict[str, dict], out: Path) -> dict:
    """Build the reports the naive way, one after the other; wall time, per-step times and peak memory."""
    steps = {}
    with PeakRSS() as mem:
        t0 = time.perf_counter()
        for i, code in enumerate(kommuner, 1):
            print(f"  naive {i}/{len(kommuner)}: {code}", file=sys.stderr, flush=True)
            steps[code] = naive_one(code, params[code], out)
        wall = time.perf_counter() - t0
    return {"phase": "naive CLI loop", "reports": len(kommuner), "wall": wall, "peak_mb": mem.peak_mb,
            "peak_pss_mb": mem.peak_pss_mb, "start_mb": mem.start_mb, "steps": steps}


# ---------------------------------------------------------------------------------------------
# inside one report
# ---------------------------------------------------------------------------------------------

def execute_in_process(parameters: dict, nb_in: Path, nb_out: Path, **engine_options):
    """Execute a notebook with papermill's Python API as the runner's workers do; (notebook, wall s).

    ``engine_options`` go on to nbclient (e.g. ``shutdown_kernel="immediate"``).
    """
    import papermill

    from lagesbild.run.engines.kernel import ipc_kernel_manager_class

    t0 = time.perf_counter()
    nb = papermill.execute_notebook(
        str(nb_in), str(nb_out), parameters=parameters, kernel_name="python3", progress_bar=False,
        log_output=False, request_save_on_cell_execute=False, cwd=str(notebook_path(REPORT).parent),
        kernel_manager_class=ipc_kernel_manager_class(), **engine_options,
    )
    return nb, time.perf_counter() - t0


def cell_label(cell) -> str:
    """A short label for a cell: its tags or its first line that is not a comment."""
    tags = cell.metadata.get("tags", [])
    if "injected-parameters" in tags:
        return "[injected parameters]"
    lines = [ln.strip() for ln in cell.source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    text = lines[0] if lines else "(comments only)"
    prefix = "[parameters] " if "parameters" in tags else ""
    return (prefix + text)[:72]


def cell_breakdown(nb) -> list[tuple[int, float, str]]:
    """(index, seconds, label) for every code cell of an executed notebook, from papermill's metadata."""
    rows = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        duration = cell.metadata.get("papermill", {}).get("duration")
        rows.append((i, float(duration or 0.0), cell_label(cell)))
    return rows


def kernel_start_seconds(work: Path, repeats: int = 3) -> float:
    """Median seconds to execute an empty notebook in-process: kernel start, connect and shutdown."""
    import nbformat

    empty = work / "empty.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, empty)
    return statistics.median(execute_in_process({}, empty, work / "empty.out.ipynb")[1] for _ in range(repeats))


#: What a warm kernel could have imported before a report arrives (the imports the notebook's code causes).
PREIMPORTS = ("from lagesbild import charts, crime, fmt, maps, narrative, params, processed, report\n"
              "import scipy.stats, statsmodels.genmod.generalized_linear_model, geopandas")


def kernel_lifecycle(repeats: int = 3) -> dict[str, float]:
    """Median seconds of a kernel's start (until ready), of :data:`PREIMPORTS` in it, and of its shutdown.

    Uses the runner's kernel manager (IPC sockets); shutdown is timed for an idle empty kernel and for
    one that has imported the report's libraries.
    """
    import asyncio

    from lagesbild.run.engines.kernel import ipc_kernel_manager_class

    async def once(code: str) -> tuple[float, float, float]:
        km = ipc_kernel_manager_class()(kernel_name="python3")
        t0 = time.perf_counter()
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        t1 = time.perf_counter()
        if code:
            reply = await kc.execute_interactive(code, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise SystemExit(f"kernel could not import: {reply['content'].get('evalue')}")
        t2 = time.perf_counter()
        kc.stop_channels()
        await km.shutdown_kernel()
        return t1 - t0, t2 - t1, time.perf_counter() - t2

    async def all_runs() -> dict[str, float]:
        empty = [await once("") for _ in range(repeats)]
        loaded = [await once(PREIMPORTS) for _ in range(repeats)]
        return {"start": statistics.median(r[0] for r in empty + loaded),
                "imports": statistics.median(r[1] for r in loaded),
                "stop_empty": statistics.median(r[2] for r in empty),
                "stop_loaded": statistics.median(r[2] for r in loaded)}

    return asyncio.run(all_runs())


def export_seconds(nb, repeats: int = 5) -> tuple[float, float, int]:
    """(first call s, median of reused calls s, HTML bytes) for :func:`lagesbild.publish.export.export_html`."""
    from lagesbild.publish import export as publish

    title = publish.extract_key_figures(nb).get("title") or REPORT
    t0 = time.perf_counter()
    html = publish.export_html(nb, title)
    first = time.perf_counter() - t0
    reused = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        publish.export_html(nb, title)
        reused.append(time.perf_counter() - t0)
    return first, statistics.median(reused), len(html.encode())


# ---------------------------------------------------------------------------------------------
# the notebook's code in plain Python: imports and library calls
# ---------------------------------------------------------------------------------------------

MARKER = "tabnanny"  # a stdlib module nothing here imports: its -X importtime line marks "notebook code starts"


#: The modules whose functions are timed (where each function is defined: packages forward to them lazily).
TIMED_MODULES = ("render.charts.style", "render.charts.crime", "render.charts.events", "render.charts.funnel",
                 "render.charts.places", "render.charts.wastewater", "render.charts.projects", "crime.analysis",
                 "crime.reported", "crime.events", "crime.groups", "crime.text", "render.maps", "render.mapref",
                 "render.mapclasses", "text.narrative", "sources.processed", "render.report", "stats.counts",
                 "stats.funnel")


def time_lagesbild_functions() -> dict[str, list]:
    """Wrap every function of lagesbild's computing modules with a timer; returns {name: [calls, seconds]}.

    Times are inclusive (``crime.indicator_summary`` contains the ``stats`` calls it makes) and are
    seen wherever the function is looked up on its module, as the notebook and lagesbild do.
    """
    import functools
    import importlib
    import inspect

    timers: dict[str, list] = {}

    def timed(label: str, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                entry = timers.setdefault(label, [0, 0.0])
                entry[0] += 1
                entry[1] += time.perf_counter() - t0
        return wrapper

    for short in TIMED_MODULES:
        module = importlib.import_module(f"lagesbild.{short}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("__"):
                setattr(module, name, timed(f"{short.rpartition('.')[2]}.{name}", fn))
    return timers


def _child(parameters: dict, mode: str, result_path: str) -> None:
    """Run the notebook's code cells in this (fresh) process; write cell times (and more) as JSON.

    ipykernel is imported first, as a kernel has it loaded before the first cell runs. Modes:
    ``cells`` (run under ``-X importtime``), ``profile`` (cProfile over the cells) and ``warm``
    (:data:`PREIMPORTS` done first, every lagesbild function timed: a warm kernel's compute).
    """
    import cProfile
    import pstats

    import ipykernel.kernelapp  # noqa: F401 — what a kernel has loaded before the first cell
    import nbformat

    nb = nbformat.read(notebook_path(REPORT), as_version=4)
    timers: dict[str, list] = {}
    if mode == "warm":
        exec(PREIMPORTS, {})  # noqa: S102 — as a warm kernel would have done before the report arrived
        timers = time_lagesbild_functions()
    __import__(MARKER)  # not importlib.import_module, which -X importtime does not log; every import after is the notebook's
    namespace: dict = {}
    cells, profiler = [], cProfile.Profile()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code = compile(cell.source, f"cell{i}", "exec")
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            if mode == "profile":
                profiler.enable()
            exec(code, namespace)  # noqa: S102 — the notebook's own code, as a kernel would run it
            if mode == "profile":
                profiler.disable()
        cells.append((i, time.perf_counter() - t0, cell_label(cell)))
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(parameters)  # what papermill's injected cell does
    result: dict = {"cells": cells, "timers": timers}
    if mode == "profile":
        stats = pstats.Stats(profiler).stats  # {(file, line, func): (cc, nc, tt, ct, callers)}
        rows = []
        for (file, line, func), (_cc, nc, _tt, ct, callers) in stats.items():
            if file == "~" or file.startswith("<") or "importlib" in file or func.startswith("<"):
                continue
            if "/lagesbild/" in file:
                where = "lagesbild"
            elif any("/lagesbild/" in f or f.startswith("cell") for f, _, _ in callers):
                where = "library"  # a library function lagesbild or the notebook calls directly
            else:
                continue
            short = file.split("site-packages/")[-1].split("/lib/")[-1]
            rows.append((where, f"{short}:{line}({func})", nc, ct))
        result["profile"] = sorted(rows, key=lambda r: -r[3])
    Path(result_path).write_text(json.dumps(result), encoding="utf-8")


def run_child(parameters: dict, mode: str, work: Path) -> tuple[dict, str]:
    """Run :func:`_child` in a fresh interpreter (``-X importtime`` for mode "cells"); (result, stderr)."""
    result_path = work / f"child-{mode}.json"
    cmd = [sys.executable, *(["-X", "importtime"] if mode == "cells" else []), str(Path(__file__).resolve()),
           "--_child", mode, json.dumps(parameters), str(result_path)]
    env = os.environ | {"MPLBACKEND": "Agg"}
    proc = subprocess.run(cmd, cwd=notebook_path(REPORT).parent, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"profile child ({mode}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(result_path.read_text(encoding="utf-8")), proc.stderr


def import_attribution(importtime_log: str) -> tuple[dict[str, float], float]:
    """Seconds of import per top-level package during the notebook's code, from ``-X importtime`` output.

    Only imports after the marker count (what the kernel would pay). lagesbild's own modules are
    opened up, so each third-party package is charged to itself rather than to the lagesbild module
    that happened to import it first; a package imported inside another third-party package is
    charged to that outer package (e.g. scipy under statsmodels if statsmodels came first).
    """
    entries = []
    for line in importtime_log.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        # "import time:       327 |        327 |   _io": one space, then two per nesting level, then the name
        self_us, cum_us, name = line[len("import time:"):].split("|")
        depth = (len(name) - len(name.lstrip(" ")) - 1) // 2
        entries.append((depth, name.strip(), int(self_us), int(cum_us)))
    start = next((k + 1 for k, e in enumerate(entries) if e[1] == MARKER), 0)
    pending: dict[int, list] = defaultdict(list)
    for depth, name, self_us, cum_us in entries[start:]:
        pending[depth].append((name, self_us, cum_us, pending.pop(depth + 1, [])))
    charged: dict[str, float] = defaultdict(float)

    def charge(node) -> None:
        name, self_us, cum_us, children = node
        if name.split(".")[0] == "lagesbild":
            charged["lagesbild (own modules)"] += self_us / 1e6
            for child in children:
                charge(child)
        else:
            charged[name.split(".")[0]] += cum_us / 1e6

    for root in pending.get(0, []):
        charge(root)
    return dict(charged), sum(charged.values())


# ---------------------------------------------------------------------------------------------
# output
# ---------------------------------------------------------------------------------------------

def machine() -> list[str]:
    """Lines describing the machine and the library versions."""
    from importlib.metadata import version

    model = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((ln.split(":", 1)[1].strip() for ln in lscpu.splitlines() if ln.startswith("Model name")), "")
    libs = ["papermill", "nbconvert", "nbclient", "ipykernel", "jupyter_client", "pandas", "matplotlib", "scipy",
            "statsmodels", "folium", "geopandas"]
    versions = []
    for lib in libs:
        with contextlib.suppress(Exception):
            versions.append(f"{lib} {version(lib)}")
    return [
        f"machine: nproc {os.cpu_count()}, CPU {model or platform.processor() or '?'}, "
        f"RAM {psutil.virtual_memory().total / 1024**3:.0f} GiB, {platform.system()} {platform.release()}",
        f"python {platform.python_version()} ({sys.executable})",
        "versions: " + ", ".join(versions),
    ]


def print_table(rows: list[dict]) -> None:
    """The phase table: reports, wall s, s/report, peak MB."""
    print(f"{'phase':<28} {'reports':>7} {'wall s':>8} {'s/report':>9} {'peak RSS MB':>12} {'peak PSS MB':>12}")
    for r in rows:
        print(f"{r['phase']:<28} {r['reports']:>7} {r['wall']:>8.2f} {r['wall'] / r['reports']:>9.2f} "
              f"{r['peak_mb']:>12.0f} {r['peak_pss_mb']:>12.0f}")


def print_cells(rows: list[tuple[int, float, str]], top: int | None = None) -> None:
    """Cells, slowest first."""
    for i, seconds, label in sorted(rows, key=lambda r: -r[1])[:top]:
        print(f"  cell {i:>2}  {seconds:6.2f} s  {label}")


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------

def parser() -> argparse.ArgumentParser:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=len(DEFAULT_KOMMUNER), metavar="N",
                   help=f"kommuner built by ours (default {len(DEFAULT_KOMMUNER)}: {' '.join(DEFAULT_KOMMUNER)})")
    p.add_argument("--kommun", nargs="+", metavar="CODE", help="kommun codes to use instead of the default list")
    p.add_argument("--workers", type=int, nargs="+", default=[os.cpu_count() or 1], metavar="W",
                   help="pool size(s) for ours; several values give one row each (default: nproc)")
    p.add_argument("--naive-n", type=int, default=3, metavar="M",
                   help="kommuner built the naive way, the first M of the list (default 3; 0 skips it)")
    p.add_argument("--cell-kommun", metavar="CODE", help="kommun for the look inside one report (default: the first)")
    p.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up report")
    p.add_argument("--no-profile", action="store_true", help="skip the plain-Python import and call profile")
    p.add_argument("--report", default=REPORT, help="the report to benchmark (default crime_trends)")
    p.add_argument("--engine", nargs="+", default=["warm", "kernel"], choices=["warm", "kernel"],
                   help="engine(s) for ours; each engine × --workers value gives a row (default: warm kernel)")
    p.add_argument("--national", action="store_true",
                   help="also time the national run (every kommun × every report, warm engine, first --workers value) "
                        "and compare it with the naive loop's per-report time extrapolated")
    p.add_argument("--inside", action="store_true", help="also look inside one report (kernel, cells, imports)")
    p.add_argument("--out", metavar="DIR", help="keep all output here (default: a temporary folder, removed)")
    p.add_argument("--_child", nargs=3, help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    global REPORT
    args = parser().parse_args(argv)
    REPORT = os.environ["LAGESBILD_BENCH_REPORT"] = args.report
    if args._child:
        mode, parameters, result_path = args._child
        _child(json.loads(parameters), mode, result_path)
        return 0
    pool = args.kommun or DEFAULT_KOMMUNER
    if args.n > len(pool) and not args.kommun:
        raise SystemExit(f"--n {args.n}: the default list has {len(pool)} kommuner; give more with --kommun")
    kommuner = pool[: args.n]
    naive_kommuner = kommuner[: args.naive_n]
    cell_kommun = args.cell_kommun or kommuner[0]
    out = Path(args.out).resolve() if args.out else Path(tempfile.mkdtemp(prefix="lagesbild-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"lagesbild benchmark, {time.strftime('%Y-%m-%d %H:%M')}, report {REPORT}")
    for line in machine():
        print(line)
    print(f"kommuner (ours): {' '.join(kommuner)}; naive: {' '.join(naive_kommuner) or '-'}; output: {out}")
    try:
        from lagesbild.sources import processed

        t0 = time.perf_counter()
        processed.build(DATA)
        print(f"\nwarm-up: data/processed/ up to date in {time.perf_counter() - t0:.2f} s (built now if it was missing; "
              "never inside a timed phase)")
        params = job_parameters(sorted(set(kommuner) | {cell_kommun}), out / "plan")
        if not args.no_warmup:
            pm, nc = naive_one(kommuner[0], params[kommuner[0]], out / "warmup")
            print(f"warm-up: one untimed naive report ({kommuner[0]}) to fill the OS file cache: "
                  f"papermill CLI {pm:.2f} s + nbconvert CLI {nc:.2f} s")

        rows = []
        for engine in args.engine:
            for w in args.workers:
                print(f"  ours {engine}, {w} worker(s) ...", file=sys.stderr, flush=True)
                rows.append(time_ours(kommuner, w, out / f"ours-{engine}-w{w}", engine=engine))
        naive = time_naive(naive_kommuner, params, out / "naive") if naive_kommuner else None
        national = None
        if args.national:
            import pandas as pd

            from lagesbild.core.paths import available_reports

            every = pd.read_parquet(DATA / "processed" / "kommuner.parquet")["kommun_kod"].tolist()
            print(f"  national: {len(every)} kommuner × every report, warm, {args.workers[0]} workers ...",
                  file=sys.stderr, flush=True)
            national = time_ours(every, args.workers[0], out / "national", engine="warm",
                                 reports=available_reports(), progress=True)
            national["phase"] = f"national {national['phase'][5:]}"

        print("\n== reports: wall time and peak memory (summed over the process tree: RSS double-counts shared "
              "pages, PSS does not) ==")
        print_table(rows + ([national] if national else []) + ([naive] if naive else []))
        if naive:
            per_naive = naive["wall"] / naive["reports"]
            for r in rows + ([national] if national else []):
                print(f"ratio naive / {r['phase']}: {per_naive / (r['wall'] / r['reports']):.1f}x per report")
            if national:
                print(f"national run: {national['wall'] / 60:.1f} min for {national['reports']} reports; the naive loop "
                      f"at {per_naive:.2f} s per report ({REPORT}) would take about "
                      f"{per_naive * national['reports'] / 3600:.1f} h (extrapolated, not run)")
            pm = [s[0] for s in naive["steps"].values()]
            nc = [s[1] for s in naive["steps"].values()]
            print(f"naive steps, mean per report: papermill CLI {statistics.mean(pm):.2f} s, "
                  f"nbconvert CLI {statistics.mean(nc):.2f} s")
            for code, (a, b) in naive["steps"].items():
                print(f"  naive {code}: papermill {a:.2f} s + nbconvert {b:.2f} s = {a + b:.2f} s")
        for r in rows:
            jobs = r["jobs"]
            print(f"{r['phase']}: per-job seconds inside a worker (execute + export + write): "
                  + ", ".join(f"{k} {v:.2f}" for k, v in jobs.items())
                  + f"; mean {statistics.mean(jobs.values()):.2f}")
        print("this benchmark process alone at the start of each phase: "
              + ", ".join(f"{r['phase']} {r['start_mb']:.0f} MB" for r in rows + ([naive] if naive else [])))
        if not args.inside:
            return 0

        print(f"\n== inside one report ({cell_kommun}), papermill.execute_notebook in-process ==")
        work = out / "inside"
        work.mkdir(exist_ok=True)
        nb, wall = execute_in_process(params[cell_kommun], notebook_path(REPORT), work / f"{REPORT}.ipynb")
        cells = cell_breakdown(nb)
        in_cells = sum(s for _, s, _ in cells)
        print(f"execute_notebook wall {wall:.2f} s = cells {in_cells:.2f} s + kernel start/stop and papermill "
              f"{wall - in_cells:.2f} s")
        print("cells, slowest first (metadata.papermill.duration):")
        print_cells(cells)
        nb2, wall2 = execute_in_process(params[cell_kommun], notebook_path(REPORT), work / "immediate.ipynb",
                                        shutdown_kernel="immediate")
        cells2 = sum(s for _, s, _ in cell_breakdown(nb2))
        print(f"same with nbclient's shutdown_kernel='immediate' (kill instead of the graceful shutdown wait): "
              f"wall {wall2:.2f} s = cells {cells2:.2f} s + {wall2 - cells2:.2f} s")
        print(f"empty notebook, in-process (kernel start + connect + stop), median of 3: {kernel_start_seconds(work):.2f} s")
        k = kernel_lifecycle()
        print(f"kernel lifecycle, median of 3: start until ready {k['start']:.2f} s; shutdown {k['stop_empty']:.2f} s "
              f"(idle, empty) / {k['stop_loaded']:.2f} s (after the imports below)")
        print(f"the report's imports run in a fresh kernel (what a warm kernel would have done ahead): "
              f"{k['imports']:.2f} s\n  " + PREIMPORTS.replace("\n", "\n  "))
        first, reused, size = export_seconds(nb)
        print(f"HTML export alone (publish.export_html): first call {first:.3f} s, reused exporter {reused:.3f} s "
              f"(median of 5), {size / 1024:.0f} KiB")

        if not args.no_profile:
            print(f"\n== the notebook's code in plain Python ({cell_kommun}; ipykernel preloaded, Agg backend) ==")
            result, log = run_child(params[cell_kommun], "cells", work)
            plain = result["cells"]
            print(f"cells total {sum(s for _, s, _ in plain):.2f} s; slowest:")
            print_cells(plain, top=4)
            charged, total = import_attribution(log)
            print(f"imports while the cells ran (-X importtime): {total:.2f} s; by package:")
            for name, sec in sorted(charged.items(), key=lambda kv: -kv[1])[:10]:
                print(f"  {sec:6.2f} s  {name}")
            result, _ = run_child(params[cell_kommun], "warm", work)
            warm = result["cells"]
            print(f"same, imports done first (a warm kernel's work): cells total {sum(s for _, s, _ in warm):.2f} s; slowest:")
            print_cells(warm, top=4)
            print("  lagesbild functions, inclusive seconds (calls):")
            for name, (calls, sec) in sorted(result["timers"].items(), key=lambda kv: -kv[1][1])[:10]:
                print(f"    {sec:6.2f} s  {calls:>4}x  {name}")
            result, _ = run_child(params[cell_kommun], "profile", work)
            print(f"library functions lagesbild or the notebook call, by cumulative time (cProfile, cold imports; "
                  f"cells took {sum(s for _, s, _ in result['cells']):.2f} s under it: read as shares):")
            for _, name, calls, cum in [r for r in result["profile"] if r[0] == "library"][:8]:
                print(f"    {cum:6.2f} s  {calls:>6}x  {name}")
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":  # guard needed: the runner's pool spawns workers that re-import the main module
    sys.exit(main())
