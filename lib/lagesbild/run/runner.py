"""Run report notebooks for many kommuner on a process pool and publish their HTML.

``run_all.py`` is a thin wrapper over :func:`main`. A run:

1. builds ``data/processed/`` from ``data/raw/`` if a raw file changed (once, in the parent);
2. validates every job's parameters (kommun code, YAML keys, notebook parameters and types)
   before anything executes — a bad YAML fails that kommun only;
3. executes each (kommun, report) on a pool of worker processes: by default each worker imports
   everything and loads the data once and forks a fresh child per report (:mod:`lagesbild.run.warm`);
   ``engine="kernel"`` runs a fresh Jupyter kernel per report with papermill's Python API instead;
   either way the HTML is exported in-process with nbconvert's ``HTMLExporter``; with a scheduler
   address the same jobs run on a Dask cluster instead (:mod:`lagesbild.run.dask`);
4. writes ``OUT/<kommun>/<report>.html`` and ``.json`` atomically — a failed job never replaces
   a good report — and keeps a failed executed notebook in ``OUT/<kommun>/_failed/``;
5. rewrites ``OUT/index.html`` from every report present and prints a summary of failures.

The exit code is 0 only if every requested report was built.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lagesbild import __version__
from lagesbild.core.errors import LagesbildError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA, PARAMS, REPORTS, available_reports, git_commit, notebook_path

_STOCKHOLM = ZoneInfo("Europe/Stockholm")

#: Errors from starting a kernel under load that are worth one more try (FINDINGS: parallel papermill).
RETRYABLE = ("Kernel didn't respond", "Address already in use", "Kernel died before replying")


@dataclass
class Job:
    """One report for one kommun, with validated parameters."""

    kommun: str
    name: str
    lan: str
    report: str
    parameters: dict
    out_dir: str
    params_source: str


@dataclass
class Result:
    """What happened to one job."""

    kommun: str
    report: str
    ok: bool
    seconds: float = 0.0
    error: str | None = None
    failed_notebook: str | None = None
    name: str = ""


@dataclass
class Summary:
    """All results of a run."""

    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    published: int = 0  # reports written by this process (cluster runs; local workers write their own)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return bool(self.results) and not self.failures


def first_line(text: str) -> str:
    """The first non-empty line of an error text (ANSI colour codes removed).

    Examples
    --------
    >>> first_line("\\n\\x1b[0;31mValueError\\x1b[0m: bad\\nmore")
    'ValueError: bad'
    """
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", text or "")
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "unknown error")


def plan(kommuner: list[str], reports: list[str], data_dir: str | Path, out_dir: str | Path,
         params_dir: str | Path = PARAMS) -> tuple[list[Job], list[Result]]:
    """Validate parameters for every (kommun, report); return runnable jobs and up-front failures.

    Raises
    ------
    InputError
        When the data itself cannot be built (then no report can run).
    """
    from lagesbild.run import params
    from lagesbild.sources import processed

    processed.build(data_dir)
    import pandas as pd

    table = pd.read_parquet(Path(data_dir).resolve() / "processed" / "kommuner.parquet")
    declared = {r: params.notebook_parameters(r) for r in reports}
    jobs, failed = [], []
    for code in kommuner:
        try:
            cfg = params.load_config(code, table, params_dir)
        except LagesbildError as exc:
            failed.extend(Result(code, r, False, error=str(exc)) for r in reports)
            continue
        for report in reports:
            try:
                values = params.build_parameters(report, cfg, data_dir, declared[report], reports_dir=out_dir)
            except LagesbildError as exc:
                failed.append(Result(code, report, False, error=str(exc), name=cfg.name))
                continue
            jobs.append(Job(code, cfg.name, cfg.lan, report, values, str(out_dir), cfg.source))
    return jobs, failed


def ipc_kernel_manager_class(stderr_path: str | None = None):
    """A kernel manager that talks to its kernel over Unix sockets in the temp folder, not TCP.

    No ports means no "Address already in use" races between parallel kernels and no warning
    about unencrypted TCP; each kernel gets its own socket path, removed at shutdown. With
    ``stderr_path``, the kernel process's own stderr (not the cells' output, which the notebook
    keeps) goes to that file instead of the terminal, so a batch run prints only its summary.
    """
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"lagesbild-kernel-{uuid.uuid4().hex[:12]}")

        async def start_kernel(self, **kw):
            if stderr_path is None:
                return await super().start_kernel(**kw)
            with open(stderr_path, "ab") as log:  # the child keeps its own handle
                kw.setdefault("stderr", log)
                return await super().start_kernel(**kw)

    return IPCKernelManager


#: How reports are executed: "warm" (a pre-imported worker forks a child per report, :mod:`lagesbild.run.warm`;
#: POSIX) or "kernel" (a fresh Jupyter kernel per report through papermill).
ENGINES = ("warm", "kernel")


def default_engine() -> str:
    """"warm" where the platform can fork, else "kernel".

    Examples
    --------
    >>> default_engine() in ENGINES
    True
    """
    from lagesbild.run import warm

    return "warm" if warm.available() else "kernel"


@dataclass
class Outcome:
    """What executing one job produced, before anything is written: the :class:`Result` and either the
    page (HTML and its key-figure JSON) or what a failure leaves for debugging.

    Executing (:func:`render_warm`, :func:`render_kernel`) never writes to the output folder; only
    :func:`record` does. So a job may run on another machine (``--scheduler``) or run twice after a lost
    worker, and its report is still written once, by the process that records it.
    """

    result: Result
    html: str | None = None
    meta: dict | None = None
    failed_notebook: str | None = None
    traceback: str | None = None
    kernel_log: str | None = None


def execute_warm(job: Job) -> Result:
    """Execute one job in a child forked from this (pre-imported) worker and publish it atomically.

    A child that dies (killed, out of memory) is reported as a failure; its temporary files are removed,
    so no half-written file remains and the previous report stays in place.
    """
    outcome = render_warm(job)
    for leftover in (Path(job.out_dir) / job.kommun).glob(f".{job.report}.*"):
        leftover.unlink(missing_ok=True)  # only a killed child can leave one
    return record(job, outcome)


def render_warm(job: Job) -> Outcome:
    """Execute one job in a child forked from this process; return its :class:`Outcome` (nothing written)."""
    from lagesbild.run import warm

    t0 = time.perf_counter()
    try:
        return warm.run_forked(_execute_warm_child, job)
    except ChildProcessError as exc:
        return Outcome(Result(job.kommun, job.report, False, time.perf_counter() - t0, f"ChildProcessError: {exc}",
                              name=job.name))


def _execute_warm_child(job: Job) -> Outcome:
    from lagesbild.run import warm

    t0 = time.perf_counter()
    try:
        try:
            nb = warm.execute_notebook(notebook_path(job.report), job.parameters, cwd=notebook_path(job.report).parent)
        except warm.CellError as exc:
            return _failed(job, f"{exc.ename}: {first_line(exc.evalue)}", t0, nb=exc.nb)
        return _render(job, nb, t0)
    except Exception as exc:  # noqa: BLE001 — a report must report, never crash the run
        return _failed(job, f"{type(exc).__name__}: {first_line(str(exc))}", t0, tb=traceback.format_exc())


def _render(job: Job, nb, t0: float) -> Outcome:
    """Export the executed notebook to the page and its key-figure JSON (in memory)."""
    from lagesbild.publish import export as publish

    figures = publish.extract_key_figures(nb)
    meta = {
        "kommun": job.kommun, "name": job.name, "lan": job.lan, "report": job.report,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"), "lagesbild_version": __version__,
        "git_commit": git_commit(), "parameters": job.parameters | {  # folders by name: no machine's paths published
            k: Path(job.parameters[k]).name for k in ("data_dir", "reports_dir") if k in job.parameters},
        "params_source": job.params_source, "key_figures": figures,
    }
    title = figures.get("title") or f"{job.report} – {job.name}"
    html = publish.export_html(nb, title)
    return Outcome(Result(job.kommun, job.report, True, time.perf_counter() - t0, name=job.name), html, meta)


def _failed(job: Job, error: str, t0: float, nb=None, tb: str | None = None, kernel_log: str | None = None) -> Outcome:
    import nbformat

    return Outcome(Result(job.kommun, job.report, False, time.perf_counter() - t0, error, name=job.name),
                   failed_notebook=nbformat.writes(nb) if nb is not None else None, traceback=tb,
                   kernel_log=kernel_log or None)


def record(job: Job, outcome: Outcome) -> Result:
    """Write what a job produced: its page and JSON atomically, or its debugging files in ``_failed/``.

    A success replaces the previous report (HTML first, the JSON the index reads last) and removes
    debugging files of an earlier failure; a failure never touches the previous report. Returns the
    job's :class:`Result` (with ``failed_notebook`` set when an executed notebook was kept).
    """
    from lagesbild.publish import export as publish

    out = Path(job.out_dir) / job.kommun
    res = outcome.result
    if res.ok:
        try:
            publish.atomic_write_text(out / f"{job.report}.html", outcome.html)
            publish.atomic_write_json(out / f"{job.report}.json", outcome.meta)  # last: the index reads it
        except OSError as exc:
            return Result(job.kommun, job.report, False, res.seconds, f"{type(exc).__name__}: {exc}", name=job.name)
        for stale in (out / "_failed").glob(f"{job.report}.*"):
            stale.unlink()  # debugging leftovers of an earlier failed run
        return res
    failed = out / "_failed"
    kept = None
    for text, suffix in ((outcome.failed_notebook, "ipynb"), (outcome.traceback, "traceback.txt"),
                         (outcome.kernel_log, "kernel.log")):
        if text:
            failed.mkdir(parents=True, exist_ok=True)
            publish.atomic_write_text(failed / f"{job.report}.{suffix}", text)
            if suffix == "ipynb":
                kept = str(failed / f"{job.report}.ipynb")
    return Result(res.kommun, res.report, False, res.seconds, res.error, kept, res.name)


def execute(job: Job, retries: int = 2) -> Result:
    """Execute one job in a fresh Jupyter kernel (papermill) in this process and publish it atomically."""
    return record(job, render_kernel(job, retries))


def render_kernel(job: Job, retries: int = 2) -> Outcome:
    """Execute one job in a fresh Jupyter kernel (papermill); return its :class:`Outcome` (nothing written
    to the output folder: papermill's working copy lives in a private temporary folder)."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lagesbild-") as tmp:
        tmp_nb = os.path.join(tmp, f"{job.report}.ipynb")
        kernel_log = os.path.join(tmp, "kernel.log")

        def log_text() -> str | None:
            return Path(kernel_log).read_text(encoding="utf-8", errors="replace") if os.path.exists(kernel_log) else None

        def executed_so_far():
            return nbformat.read(tmp_nb, as_version=4) if os.path.exists(tmp_nb) and os.path.getsize(tmp_nb) else None

        try:
            for attempt in range(retries + 1):
                try:
                    nb = papermill.execute_notebook(
                        str(notebook_path(job.report)), tmp_nb, parameters=job.parameters, kernel_name="python3",
                        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                        shutdown_kernel="immediate",  # outputs are complete; a graceful shutdown costs ~1 s per report
                        cwd=str(notebook_path(job.report).parent),
                        kernel_manager_class=ipc_kernel_manager_class(kernel_log),
                    )
                    break
                except PapermillExecutionError as exc:
                    return _failed(job, f"{exc.ename}: {first_line(exc.evalue)}", t0, nb=executed_so_far(),
                                   kernel_log=log_text())
                except (RuntimeError, OSError) as exc:  # kernel start races under load
                    if attempt < retries and any(s in str(exc) for s in RETRYABLE):
                        time.sleep(0.5 * (attempt + 1))
                        continue
                    return _failed(job, f"{type(exc).__name__}: {first_line(str(exc))}", t0, nb=executed_so_far(),
                                   kernel_log=log_text())
            return _render(job, nb, t0)
        except Exception as exc:  # noqa: BLE001 — a worker must report, never crash the run
            return _failed(job, f"{type(exc).__name__}: {first_line(str(exc))}", t0, tb=traceback.format_exc(),
                           kernel_log=log_text())


def run(kommuner: list[str], reports: list[str], data_dir: str | Path = DATA, out_dir: str | Path = REPORTS,
        workers: int | None = None, params_dir: str | Path = PARAMS, progress: bool = True,
        engine: str | None = None, scheduler: str | None = None) -> Summary:
    """Build the given reports for the given kommuner; never stops at the first failure.

    Parameters
    ----------
    kommuner : list of str
        Four-digit kommun codes.
    reports : list of str
        Report (notebook) names.
    data_dir, out_dir, params_dir : str or Path
    workers : int, optional
        Worker processes (default: one per core).
    progress : bool
        Show a progress bar on stderr.
    engine : {"warm", "kernel"}, optional
        How reports run (:data:`ENGINES`); default :func:`default_engine`.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``): run the jobs on that cluster
        (:mod:`lagesbild.run.dask`) instead of a local pool; ``workers`` is then ignored.

    Raises
    ------
    lagesbild.run.dask.ClusterError
        With ``scheduler``: the cluster cannot be reached, has no worker, or its workers differ from
        this machine (before any report runs).

    Returns
    -------
    Summary
    """
    from lagesbild.publish import landing

    t0 = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    data_dir = Path(data_dir).resolve()
    summary = Summary()
    jobs, summary.results = plan(kommuner, reports, data_dir, out_dir, params_dir)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    bar = _progress(len(jobs), progress)
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {plain(engine)}")
    order = JobOrder(jobs)
    if jobs and scheduler:
        _run_on_cluster(scheduler, order, reports, data_dir, engine, summary, bar)
    elif jobs:
        from lagesbild.run import warm

        # one BLAS/OpenMP thread per worker: the pool already uses every core, and threads per worker would
        # compete for them (set before the workers start, which read it when they import numpy)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        if engine == "warm":
            # workers are forked from one fork server that imported everything and loaded the data once
            # (lagesbild.run._forkserver): they share those pages instead of each holding a copy
            os.environ.setdefault("LAGESBILD_PRELOAD_DATA", str(data_dir))
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["lagesbild.run._forkserver"])
        else:
            ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                 initializer=warm.preload if engine == "warm" else None,
                                 initargs=(str(data_dir),) if engine == "warm" else ()) as pool:
            task = execute_warm if engine == "warm" else execute
            futures = {pool.submit(task, job): job for job in order.ready}
            while futures:
                finished, _ = wait(futures, return_when=FIRST_COMPLETED)
                for fut in finished:
                    job = futures.pop(fut)
                    try:
                        res = fut.result()
                    except BrokenProcessPool as exc:
                        res = Result(job.kommun, job.report, False, error=f"worker process died: {exc}", name=job.name)
                    _done(summary, bar, res)
                    for after in order.done(job):
                        try:
                            futures[pool.submit(task, after)] = after
                        except BrokenProcessPool as exc:
                            _done(summary, bar, Result(after.kommun, after.report, False, name=after.name,
                                                       error=f"worker process died: {exc}"))
    bar.close()
    landing.build_landing(out_dir, index_entries(out_dir, summary.failures, data_dir), data_dir=data_dir)
    summary.seconds = time.perf_counter() - t0
    return summary


#: The report that summarises the others (``notebooks/lagesbild.ipynb``); it reads their key figures.
SUMMARY_REPORT = "lagesbild"


class JobOrder:
    """The order jobs may start in: a kommun's summary report waits until every other report of that
    kommun in the same run has finished (built or failed), so it reads this run's key figures.

    Examples
    --------
    >>> jobs = [Job(k, "", "", r, {}, "", "") for k in ("2080", "2081") for r in ("crime_trends", "lagesbild")]
    >>> order = JobOrder(jobs)
    >>> [(j.kommun, j.report) for j in order.ready]
    [('2080', 'crime_trends'), ('2081', 'crime_trends')]
    >>> [(j.kommun, j.report) for j in order.done(jobs[0])]
    [('2080', 'lagesbild')]
    >>> order.done(jobs[1]), len(order)
    ([], 1)
    """

    def __init__(self, jobs: list[Job]) -> None:
        others = Counter(j.kommun for j in jobs if j.report != SUMMARY_REPORT)
        self.ready = [j for j in jobs if j.report != SUMMARY_REPORT or not others[j.kommun]]
        self._waiting = {j.kommun: j for j in jobs if j.report == SUMMARY_REPORT and others[j.kommun]}
        self._left = others

    def done(self, job: Job) -> list[Job]:
        """Note that ``job`` finished; return the jobs that may start now."""
        if job.report == SUMMARY_REPORT:
            return []
        self._left[job.kommun] -= 1
        if self._left[job.kommun] == 0 and job.kommun in self._waiting:
            return [self._waiting.pop(job.kommun)]
        return []

    def __len__(self) -> int:
        """Jobs still waiting for others."""
        return len(self._waiting)


def _done(summary: Summary, bar, res: Result) -> None:
    summary.results.append(res)
    bar.update(1)
    if not res.ok:
        bar.write(f"FAILED {res.kommun} {res.report}: {res.error}")


def _run_on_cluster(scheduler: str, order: JobOrder, reports: list[str], data_dir: Path, engine: str,
                    summary: Summary, bar) -> None:
    """Execute on a Dask cluster; this process records each outcome as it arrives (exactly once per job)."""
    from lagesbild.run import dask as cluster

    client = cluster.connect(scheduler)
    try:
        cluster.check_workers(client, data_dir, reports)
        bar.write(cluster.describe(client))
        for job, outcome in cluster.execute(client, order, engine):
            if isinstance(outcome, Exception):
                res = Result(job.kommun, job.report, False, error=f"lost on the cluster: {type(outcome).__name__}: "
                             f"{first_line(str(outcome))}", name=job.name)
            else:
                res = record(job, outcome)
                summary.published += res.ok
            _done(summary, bar, res)
    finally:
        client.close()


def index_entries(out_dir: Path, failures: list[Result] = (), data_dir: str | Path = DATA) -> list[dict]:
    """One entry per published report found in ``out_dir`` (read from its JSON), plus this run's
    failures that have no earlier report to show (listed as failed, unlinked)."""
    import json

    import pandas as pd

    from lagesbild.core import fmt

    entries, seen = [], set()
    for p in sorted(Path(out_dir).glob("*/*.json")):
        meta = json.loads(p.read_text(encoding="utf-8"))
        if not (p.with_suffix(".html")).exists():
            continue
        generated = meta.get("generated", "")
        if generated:
            local = datetime.fromisoformat(generated).astimezone(_STOCKHOLM)
            generated = f"{fmt.day(local)} kl. {local:%H:%M}"
        entries.append({
            "kommun": meta["kommun"], "name": meta["name"], "lan": meta.get("lan", ""), "report": meta["report"],
            "href": f"{p.parent.name}/{p.stem}.html", "generated": generated,
            "title": meta.get("key_figures", {}).get("title", meta["report"]),
        })
        seen.add((meta["kommun"], meta["report"]))
    table = pd.read_parquet(Path(data_dir).resolve() / "processed" / "kommuner.parquet").set_index("kommun_kod")
    for r in failures:
        if (r.kommun, r.report) in seen or r.kommun not in table.index:
            continue
        entries.append({"kommun": r.kommun, "name": str(table.loc[r.kommun, "kommun"]), "lan": str(table.loc[r.kommun, "lan"]),
                        "report": r.report, "title": r.report, "status": "failed",
                        "message": "kunde inte byggas i senaste körningen; se körningens felsammanfattning"})
    return entries


class _NoBar:
    def update(self, n: int) -> None: ...
    def write(self, s: str) -> None:
        print(s, file=sys.stderr)
    def close(self) -> None: ...


def _progress(total: int, show: bool):
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="rapport", desc="Rapporter", file=sys.stderr, dynamic_ncols=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="run_all.py",
        description="Build lägesbild reports (HTML + JSON of key figures) for one, several or all kommuner.",
        epilog="Examples:  python run_all.py --kommun 1283   |   python run_all.py --configured --report crime_trends"
               "   |   python run_all.py --all --workers 2",
    )
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--kommun", action="append", metavar="CODE",
                     help="four-digit kommun code (repeat for several), e.g. --kommun 1283 --kommun 0114")
    who.add_argument("--all", action="store_true", help="all 290 kommuner (defaults from the kommun table where params/ has no YAML)")
    who.add_argument("--configured", action="store_true", help="every kommun that has a YAML in params/ (what `make reports` builds)")
    p.add_argument("--report", nargs="+", metavar="NAME",
                   help=f"report(s) to build (default: all: {', '.join(available_reports())})")
    p.add_argument("--data", default=str(DATA), metavar="DIR", help="data folder with raw/ (processed/ is built there); default: data/")
    p.add_argument("--out", default=str(REPORTS), metavar="DIR", help="output folder; default: reports/")
    p.add_argument("--params", default=str(PARAMS), metavar="DIR", help="folder of per-kommun YAML files; default: params/")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="worker processes (default: one per core)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="run the jobs on an existing Dask distributed cluster instead of local worker processes "
                        "(workers need the same checkout and the data folder at the same path; see README)")
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="warm: pre-imported workers fork a fresh process per report (default where the OS can fork); "
                        "kernel: a fresh Jupyter kernel per report (papermill)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (0 only if every requested report was built)."""
    args = parser().parse_args(argv)
    from lagesbild.run import params
    from lagesbild.sources import processed

    reports = args.report or available_reports()
    unknown = [r for r in reports if r not in available_reports()]
    if unknown:
        print(f"error: unknown report {plain(unknown[0])}; available: {', '.join(available_reports())}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    try:
        processed.build(args.data, log=lambda s: print(s, file=sys.stderr))
        if args.all:
            import pandas as pd

            kommuner = pd.read_parquet(Path(args.data).resolve() / "processed" / "kommuner.parquet")["kommun_kod"].tolist()
        elif args.configured:
            kommuner = list(params.params_files(args.params))
        else:
            kommuner = list(dict.fromkeys(args.kommun))
        summary = run(kommuner, reports, args.data, args.out, args.workers, args.params, progress=not args.no_progress,
                      engine=args.engine, scheduler=args.scheduler)
    except LagesbildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    built = len(summary.results) - len(summary.failures)
    print(f"{built} of {len(summary.results)} reports built in {summary.seconds:.1f} s → {Path(args.out).resolve() / 'index.html'}")
    if summary.failures:
        print(f"{len(summary.failures)} failed:", file=sys.stderr)
        for r in sorted(summary.failures, key=lambda r: (r.kommun, r.report)):
            kept = f"  (executed notebook kept: {r.failed_notebook})" if r.failed_notebook else ""
            print(f"  {r.kommun} {r.report}: {r.error}{kept}", file=sys.stderr)
        return 1
    return 0
