"""Jobs: one report for one kommun — planned, rendered to a page, recorded; what every engine and pool shares.

A job's life, wherever it runs:

1. :func:`plan` validates every (kommun, report)'s parameters before anything executes, so a bad YAML
   fails that kommun only;
2. an engine (:mod:`lagesbild.run.engines`) executes the notebook and turns it into an :class:`Outcome`
   with :func:`render_notebook` (the page and its key-figure JSON, in memory) or :func:`failed_outcome`;
3. :func:`record` writes that outcome: the page atomically, or the debugging files in ``_failed/``.

Executing never writes to the output folder; only :func:`record` does, in the process that owns the
run's results (a local pool worker, or the client of a Dask cluster). :class:`JobOrder` holds back a
report until the reports it reads (:attr:`lagesbild.core.reports.Report.depends_on`) have finished.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lagesbild import __version__
from lagesbild.core import keyfigures
from lagesbild.core.errors import LagesbildError
from lagesbild.core.paths import PARAMS, git_commit
from lagesbild.core.reports import dependencies


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
    #: What to write (:data:`lagesbild.publish.formats.FORMATS`): html always; pdf/docx from the page afterwards.
    formats: tuple[str, ...] = ("html",)
    #: The kommun's decision status (``beslut:`` in its YAML), for the title page; None without one.
    decision: dict | None = None

    @property
    def print_maps(self) -> bool:
        """Whether the report's maps get static pictures (when a PDF is asked for)."""
        return "pdf" in self.formats


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
class Outcome:
    """What executing one job produced, before anything is written: the :class:`Result` and either the
    page (HTML and its key-figure JSON) or what a failure leaves for debugging.

    An engine's ``render`` never writes to the output folder; only :func:`record` does. So a job may run
    on another machine (``--scheduler``) or run twice after a lost worker, and its report is still
    written once, by the process that records it.
    """

    result: Result
    html: str | None = None
    meta: dict | None = None
    failed_notebook: str | None = None
    traceback: str | None = None
    kernel_log: str | None = None
    inputs: dict | None = None  # what the report read (lagesbild.core.reads), for the rebuild check


def first_line(text: str) -> str:
    """The first non-empty line of an error text (ANSI colour codes removed).

    Examples
    --------
    >>> first_line("\\n\\x1b[0;31mValueError\\x1b[0m: bad\\nmore")
    'ValueError: bad'
    >>> first_line("")
    'unknown error'
    """
    text = re.sub(r"\x1b\[[0-9;]*m", "", text or "")
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "unknown error")


def plan(kommuner: list[str], reports: list[str], data_dir: str | Path, out_dir: str | Path,
         params_dir: str | Path = PARAMS, formats: tuple[str, ...] = ("html",)) -> tuple[list[Job], list[Result]]:
    """Validate parameters for every (kommun, report); return runnable jobs and up-front failures.

    Parameters
    ----------
    kommuner : list of str
        Four-digit kommun codes.
    reports : list of str
        Report names.
    data_dir, out_dir, params_dir : str or Path
        The data folder (``processed/`` is built there first), the output folder and the folder of
        per-kommun YAML files.
    formats : tuple of str
        What each job writes (:func:`lagesbild.publish.formats.check_formats`).

    Returns
    -------
    jobs : list of Job
    failed : list of Result
        One per (kommun, report) whose configuration or parameters were refused, with the error.

    Raises
    ------
    InputError
        When the data itself cannot be built (then no report can run).
    """
    import pandas as pd

    from lagesbild.run import params
    from lagesbild.sources import processed

    processed.build(data_dir)
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
            jobs.append(Job(code, cfg.name, cfg.lan, report, values, str(out_dir), cfg.source, tuple(formats),
                            cfg.decision))
    return jobs, failed


def render_notebook(job: Job, nb, t0: float) -> Outcome:
    """The executed notebook as a page and its key-figure JSON, in memory (nothing written).

    Parameters
    ----------
    job : Job
    nb : nbformat.NotebookNode
        The executed notebook.
    t0 : float
        ``time.perf_counter()`` when the job started (for the result's seconds).

    Raises
    ------
    lagesbild.core.keyfigures.KeyFigureError
        When the key figures do not match the model the summary reads them with (the engines turn
        it into a failed report: nothing is written).

    Examples
    --------
    >>> import nbformat, time
    >>> job = Job("2080", "Falun", "Dalarnas län", "lagesbild", {"data_dir": "/srv/data"}, "/tmp", "2080_falun.yaml")
    >>> out = render_notebook(job, nbformat.v4.new_notebook(), time.perf_counter())
    >>> out.result.ok, out.meta["parameters"], "<html" in out.html
    (True, {'data_dir': 'data'}, True)
    """
    from lagesbild.publish import export as publish
    from lagesbild.render import pngs

    pngs.resolve_figures(nb)  # figures drawn in processes of their own (figures_in_processes), if any
    figures = publish.extract_key_figures(nb)
    keyfigures.check(job.report, figures)  # a figure the summary would refuse is never published
    meta = {
        "kommun": job.kommun, "name": job.name, "lan": job.lan, "report": job.report,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"), "lagesbild_version": __version__,
        "git_commit": git_commit(), "parameters": job.parameters | {  # folders by name: no machine's paths published
            k: Path(job.parameters[k]).name for k in ("data_dir", "reports_dir") if k in job.parameters},
        "params_source": job.params_source, "key_figures": figures,
    }
    title = figures.get("title") or f"{job.report} – {job.name}"
    html = publish.export_html(nb, title)
    return Outcome(Result(job.kommun, job.report, True, time.perf_counter() - t0, name=job.name), html, meta,
                   inputs=publish.extract_inputs(nb))


def failed_outcome(job: Job, error: str, t0: float, nb=None, tb: str | None = None,
                   kernel_log: str | None = None) -> Outcome:
    """A failed job's :class:`Outcome`: the error's first line and what is kept for debugging.

    Parameters
    ----------
    job : Job
    error : str
        ``"<ExceptionName>: <first line>"``, what the run's summary prints.
    t0 : float
        ``time.perf_counter()`` when the job started.
    nb : nbformat.NotebookNode, optional
        The notebook executed so far (kept as ``_failed/<report>.ipynb``).
    tb, kernel_log : str, optional
        A traceback and the kernel's own stderr (kept beside it).

    Examples
    --------
    >>> job = Job("2080", "Falun", "", "crime_trends", {}, "/tmp", "")
    >>> out = failed_outcome(job, "ValueError: bad", time.perf_counter(), tb="Traceback …")
    >>> out.result.ok, out.result.error, out.failed_notebook, out.traceback
    (False, 'ValueError: bad', None, 'Traceback …')
    """
    import nbformat

    return Outcome(Result(job.kommun, job.report, False, time.perf_counter() - t0, error, name=job.name),
                   failed_notebook=nbformat.writes(nb) if nb is not None else None, traceback=tb,
                   kernel_log=kernel_log or None)


def record(job: Job, outcome: Outcome) -> Result:
    """Write what a job produced: its page and JSON atomically, or its debugging files in ``_failed/``.

    A success replaces the previous report (HTML first, the JSON the index reads, then the build record
    of :mod:`lagesbild.run.fresh`) under a lock on the kommun's folder, so two runs writing the same report
    never mix their files, and removes debugging files of an earlier failure; a failure never touches the
    previous report.

    Returns
    -------
    Result
        The job's result, with ``failed_notebook`` set when an executed notebook was kept; a page that
        could not be written is a failure.

    Examples
    --------
    >>> import tempfile
    >>> out = tempfile.mkdtemp()
    >>> job = Job("2080", "Falun", "", "crime_trends", {}, out, "")
    >>> record(job, Outcome(Result("2080", "crime_trends", True), "<html></html>", {"report": "crime_trends"})).ok
    True
    >>> sorted(p.name for p in (Path(out) / "2080").iterdir())  # no build record: the report did not say what it read
    ['crime_trends.html', 'crime_trends.json']
    """
    from lagesbild.publish import export as publish
    from lagesbild.publish import formats

    out = Path(job.out_dir) / job.kommun
    res = outcome.result
    if res.ok:
        from lagesbild.run import fresh

        try:
            with fresh.locked(out):
                publish.atomic_write_text(out / f"{job.report}.html", outcome.html)
                publish.atomic_write_json(out / f"{job.report}.json", outcome.meta)  # the index reads it
                fresh.write_record(job, outcome.inputs)
                formats.remove_stale(out, job.report)  # a PDF or Word file of the previous page
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


@contextlib.contextmanager
def print_maps(job: Job):
    """While in the block, maps drawn in this process and its children get static pictures if the job asks
    for a PDF (:data:`lagesbild.render.staticmap.PRINT_MAPS`); the environment is restored afterwards.

    Examples
    --------
    >>> import os
    >>> from lagesbild.render.staticmap import PRINT_MAPS, enabled
    >>> with print_maps(Job("2080", "", "", "crime_trends", {}, "", "", formats=("html", "pdf"))):
    ...     enabled()
    True
    >>> enabled()
    False
    """
    import os

    from lagesbild.render.staticmap import PRINT_MAPS

    before = os.environ.get(PRINT_MAPS)
    os.environ[PRINT_MAPS] = "1" if job.print_maps else "0"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PRINT_MAPS, None)
        else:
            os.environ[PRINT_MAPS] = before


def remove_leftovers(job: Job) -> None:
    """Remove the temporary files a killed process can leave beside a job's page (``.<report>.*``).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / "2080").mkdir()
    >>> _ = (out / "2080" / ".crime_trends.html.x.tmp").write_text("half")
    >>> remove_leftovers(Job("2080", "", "", "crime_trends", {}, str(out), ""))
    >>> list((out / "2080").iterdir())
    []
    """
    for leftover in (Path(job.out_dir) / job.kommun).glob(f".{job.report}.*"):
        leftover.unlink(missing_ok=True)


class JobOrder:
    """The order jobs may start in: a job waits until the jobs of the same kommun in the same run whose
    reports it reads (:attr:`~lagesbild.core.reports.Report.depends_on`) have finished, built or failed —
    so a kommun's summary reads this run's key figures.

    Parameters
    ----------
    jobs : list of Job
    depends_on : callable, optional
        Report name → the names it reads; default the registry's
        (:func:`lagesbild.core.reports.dependencies`).
    skip : callable, optional
        Job → its Result if it need not run, else None; asked when the job would become ready.

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

    ``skip`` answers for a job that need not run (e.g. its report is up to date) with its Result, or
    None: such a job never becomes ready, its result is in ``skipped``, and the jobs waiting for it are
    released as if it had run, and asked in turn (a summary whose sources are all up to date may be too):

    >>> fresh = JobOrder(jobs, skip=lambda j: Result(j.kommun, j.report, True) if j.kommun == "2080" else None)
    >>> [(j.kommun, j.report) for j in fresh.ready], [(r.kommun, r.report) for r in fresh.skipped]
    ([('2081', 'crime_trends')], [('2080', 'crime_trends'), ('2080', 'lagesbild')])
    """

    def __init__(self, jobs: list[Job], depends_on: Callable[[str], tuple[str, ...]] = dependencies,
                 skip: Callable[[Job], Result | None] | None = None) -> None:
        self._skip = skip
        self.skipped: list[Result] = []
        present = Counter((j.kommun, j.report) for j in jobs)
        self.ready: list[Job] = []
        self._left: dict[int, int] = {}  # id(job) → jobs it still waits for
        self._waiting: dict[tuple[str, str], list[Job]] = defaultdict(list)  # (kommun, report) → jobs waiting for it
        for job in jobs:
            awaited = [(job.kommun, r) for r in dict.fromkeys(depends_on(job.report)) if present[(job.kommun, r)]]
            if not awaited:
                self.ready.append(job)
                continue
            self._left[id(job)] = sum(present[key] for key in awaited)
            for key in awaited:
                self._waiting[key].append(job)
        self.ready = self._settle(self.ready)

    def _settle(self, jobs: list[Job]) -> list[Job]:
        """``jobs`` without those ``skip`` answers for (up to date), whose dependents are settled in turn."""
        if self._skip is None:
            return jobs
        todo, stack = [], list(reversed(jobs))
        while stack:
            job = stack.pop()
            result = self._skip(job)
            if result is None:
                todo.append(job)
            else:
                self.skipped.append(result)
                stack.extend(reversed(self._release(job)))
        return todo

    def done(self, job: Job) -> list[Job]:
        """Note that ``job`` finished; return the jobs that may start now (after ``skip``, if given)."""
        return self._settle(self._release(job))

    def _release(self, job: Job) -> list[Job]:
        released = []
        for after in self._waiting.get((job.kommun, job.report), ()):
            if id(after) not in self._left:  # released already (``job`` reported twice)
                continue
            self._left[id(after)] -= 1
            if self._left[id(after)] == 0:
                del self._left[id(after)]
                released.append(after)
        return released

    def __len__(self) -> int:
        """Jobs still waiting for others."""
        return len(self._left)
