"""Run report notebooks for many kommuner on a process pool and publish their HTML.

``run_all.py`` is a thin wrapper over :func:`main`. A run:

1. builds ``data/processed/`` from ``data/raw/`` if a raw file changed (once, in the parent);
2. validates every job's parameters (kommun code, YAML keys, notebook parameters and types)
   before anything executes — a bad YAML fails that kommun only;
3. executes each (kommun, report) on a pool of worker processes: by default each worker imports
   everything and loads the data once and forks a fresh child per report (:mod:`lagesbild.warm`);
   ``engine="kernel"`` runs a fresh Jupyter kernel per report with papermill's Python API instead;
   either way the HTML is exported in-process with nbconvert's ``HTMLExporter``;
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
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lagesbild import __version__
from lagesbild.errors import LagesbildError
from lagesbild.paths import DATA, PARAMS, REPORTS, available_reports, git_commit, notebook_path

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
    from lagesbild import params, processed

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
                values = params.build_parameters(report, cfg, data_dir, declared[report])
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


#: How reports are executed: "warm" (a pre-imported worker forks a child per report, :mod:`lagesbild.warm`;
#: POSIX) or "kernel" (a fresh Jupyter kernel per report through papermill).
ENGINES = ("warm", "kernel")


def default_engine() -> str:
    """"warm" where the platform can fork, else "kernel".

    Examples
    --------
    >>> default_engine() in ENGINES
    True
    """
    from lagesbild import warm

    return "warm" if warm.available() else "kernel"


def execute_warm(job: Job) -> Result:
    """Execute one job in a child forked from this (pre-imported) worker and publish it atomically.

    A child that dies (killed, out of memory) is reported as a failure; its temporary files are removed,
    so no half-written file remains and the previous report stays in place.
    """
    from lagesbild import warm

    t0 = time.perf_counter()
    try:
        return warm.run_forked(_execute_warm_child, job)
    except ChildProcessError as exc:
        out = Path(job.out_dir) / job.kommun
        for leftover in out.glob(f".{job.report}.*"):
            leftover.unlink(missing_ok=True)
        return Result(job.kommun, job.report, False, time.perf_counter() - t0, f"ChildProcessError: {exc}",
                      name=job.name)


def _execute_warm_child(job: Job) -> Result:
    import nbformat

    from lagesbild import warm

    t0 = time.perf_counter()
    out = Path(job.out_dir) / job.kommun
    out.mkdir(parents=True, exist_ok=True)
    fd, tmp_nb = tempfile.mkstemp(dir=out, prefix=f".{job.report}.", suffix=".ipynb")
    os.close(fd)
    try:
        try:
            nb = warm.execute_notebook(notebook_path(job.report), job.parameters, cwd=notebook_path(job.report).parent)
        except warm.CellError as exc:
            nbformat.write(exc.nb, tmp_nb)
            return _failure(job, tmp_nb, f"{exc.ename}: {first_line(exc.evalue)}", t0)
        return _publish(job, nb, out, t0)
    except Exception as exc:  # noqa: BLE001 — a report must report, never crash the run
        return _failure(job, tmp_nb, f"{type(exc).__name__}: {first_line(str(exc))}", t0, tb=traceback.format_exc())
    finally:
        if os.path.exists(tmp_nb):
            os.unlink(tmp_nb)


def _publish(job: Job, nb, out: Path, t0: float) -> Result:
    """Export the executed notebook and write its HTML and key-figure JSON atomically."""
    from lagesbild import publish

    figures = publish.extract_key_figures(nb)
    meta = {
        "kommun": job.kommun, "name": job.name, "lan": job.lan, "report": job.report,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"), "lagesbild_version": __version__,
        "git_commit": git_commit(), "parameters": job.parameters | {"data_dir": Path(job.parameters["data_dir"]).name},
        "params_source": job.params_source, "key_figures": figures,
    }
    title = figures.get("title") or f"{job.report} – {job.name}"
    html = publish.export_html(nb, title)
    publish.atomic_write_text(out / f"{job.report}.html", html)
    publish.atomic_write_json(out / f"{job.report}.json", meta)  # last: the index reads it
    for stale in (out / "_failed").glob(f"{job.report}.*"):
        stale.unlink()  # debugging leftovers of an earlier failed run
    return Result(job.kommun, job.report, True, time.perf_counter() - t0, name=job.name)


def execute(job: Job, retries: int = 2) -> Result:
    """Execute one job in a fresh Jupyter kernel (papermill) in this process and publish it atomically."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    out = Path(job.out_dir) / job.kommun
    out.mkdir(parents=True, exist_ok=True)
    fd, tmp_nb = tempfile.mkstemp(dir=out, prefix=f".{job.report}.", suffix=".ipynb")
    os.close(fd)
    kernel_log = tmp_nb[: -len(".ipynb")] + ".kernel.log"
    try:
        for attempt in range(retries + 1):
            try:
                nb = papermill.execute_notebook(
                    str(notebook_path(job.report)), tmp_nb, parameters=job.parameters, kernel_name="python3",
                    progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    shutdown_kernel="immediate",  # outputs are complete; a graceful shutdown costs ~1 s per report
                    cwd=str(notebook_path(job.report).parent), kernel_manager_class=ipc_kernel_manager_class(kernel_log),
                )
                break
            except PapermillExecutionError as exc:
                return _failure(job, tmp_nb, f"{exc.ename}: {first_line(exc.evalue)}", t0, kernel_log=kernel_log)
            except (RuntimeError, OSError) as exc:  # kernel start races under load
                if attempt < retries and any(s in str(exc) for s in RETRYABLE):
                    time.sleep(0.5 * (attempt + 1))
                    continue
                return _failure(job, tmp_nb, f"{type(exc).__name__}: {first_line(str(exc))}", t0, kernel_log=kernel_log)
        return _publish(job, nb, out, t0)
    except Exception as exc:  # noqa: BLE001 — a worker must report, never crash the run
        return _failure(job, tmp_nb, f"{type(exc).__name__}: {first_line(str(exc))}", t0, tb=traceback.format_exc(),
                        kernel_log=kernel_log)
    finally:
        for leftover in (tmp_nb, kernel_log):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _failure(job: Job, tmp_nb: str, error: str, t0: float, tb: str | None = None,
             kernel_log: str | None = None) -> Result:
    kept = None
    if kernel_log and os.path.exists(kernel_log) and os.path.getsize(kernel_log) > 0:
        dest = Path(job.out_dir) / job.kommun / "_failed" / f"{job.report}.kernel.log"
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(kernel_log, dest)
    if os.path.exists(tmp_nb) and os.path.getsize(tmp_nb) > 0:
        dest = Path(job.out_dir) / job.kommun / "_failed" / f"{job.report}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_nb, dest)
        kept = str(dest)
    if tb:
        err_log = Path(job.out_dir) / job.kommun / "_failed" / f"{job.report}.traceback.txt"
        err_log.parent.mkdir(parents=True, exist_ok=True)
        err_log.write_text(tb, encoding="utf-8")
    return Result(job.kommun, job.report, False, time.perf_counter() - t0, error, kept, job.name)


def run(kommuner: list[str], reports: list[str], data_dir: str | Path = DATA, out_dir: str | Path = REPORTS,
        workers: int | None = None, params_dir: str | Path = PARAMS, progress: bool = True,
        engine: str | None = None) -> Summary:
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

    Returns
    -------
    Summary
    """
    from lagesbild import publish

    t0 = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    data_dir = Path(data_dir).resolve()
    summary = Summary()
    jobs, summary.results = plan(kommuner, reports, data_dir, out_dir, params_dir)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    bar = _progress(len(jobs), progress)
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if jobs:
        from lagesbild import warm

        # one BLAS/OpenMP thread per worker: the pool already uses every core, and threads per worker would
        # compete for them (set before the workers start, which read it when they import numpy)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                 initializer=warm.preload if engine == "warm" else None,
                                 initargs=(str(data_dir),) if engine == "warm" else ()) as pool:
            task = execute_warm if engine == "warm" else execute
            futures = {pool.submit(task, job): job for job in jobs}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    res = fut.result()
                except BrokenProcessPool as exc:
                    res = Result(job.kommun, job.report, False, error=f"worker process died: {exc}", name=job.name)
                summary.results.append(res)
                bar.update(1)
                if not res.ok:
                    bar.write(f"FAILED {res.kommun} {res.report}: {res.error}")
    bar.close()
    publish.build_index(out_dir, index_entries(out_dir, summary.failures, data_dir))
    summary.seconds = time.perf_counter() - t0
    return summary


def index_entries(out_dir: Path, failures: list[Result] = (), data_dir: str | Path = DATA) -> list[dict]:
    """One entry per published report found in ``out_dir`` (read from its JSON), plus this run's
    failures that have no earlier report to show (listed as failed, unlinked)."""
    import json

    import pandas as pd

    from lagesbild import fmt

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
    p.add_argument("--engine", choices=ENGINES, default=None,
                   help="warm: pre-imported workers fork a fresh process per report (default where the OS can fork); "
                        "kernel: a fresh Jupyter kernel per report (papermill)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit code (0 only if every requested report was built)."""
    args = parser().parse_args(argv)
    from lagesbild import params, processed

    reports = args.report or available_reports()
    unknown = [r for r in reports if r not in available_reports()]
    if unknown:
        print(f"error: unknown report {unknown[0]!r}; available: {', '.join(available_reports())}", file=sys.stderr)
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
                      engine=args.engine)
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
