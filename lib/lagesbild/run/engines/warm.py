"""The warm engine: pre-imported worker processes that fork a fresh child per report.

A Jupyter kernel per report costs a kernel start (≈ 0.6 s) and the report's imports (0.8–3 s) every
time. Here a pool worker imports everything once (:func:`preload`); each report then runs in a child
process forked from that warm worker (:func:`run_forked`), which executes the notebook's cells with
IPython in-process (:func:`execute_notebook`) and exits. Isolation is the operating system's: a
variable, a changed module attribute or a matplotlib setting made by one report lives and dies in its
child and is never seen by the next report. The executed notebook has the same shape as papermill's
(an ``injected-parameters`` cell, ``display_data``/``stream``/``error`` outputs), so publishing is
unchanged. Fork is POSIX only; elsewhere the runner uses Jupyter kernels (``--engine kernel``,
:mod:`lagesbild.run.engines.kernel`). :class:`WarmEngine` is this module behind the engine interface
(:mod:`lagesbild.run.engines`).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lagesbild.core.paths import notebook_path
from lagesbild.run.jobs import Job, Outcome, Result, failed_outcome, first_line, render_notebook

#: The libraries the reports import, loaded once per worker (what a kernel would import per report).
PRELOAD = (
    "pandas", "numpy", "pyarrow", "geopandas", "shapely", "pyproj", "scipy.stats", "statsmodels.api",
    "folium", "branca", "pandera", "yaml", "openpyxl", "libpysal.weights", "esda.getisord", "inequality.gini",
    "nbformat", "nbconvert", "papermill.iorw", "papermill.parameterize", "IPython.core.interactiveshell",
    "lagesbild.render.charts.crime", "lagesbild.render.charts.events", "lagesbild.render.charts.funnel",
    "lagesbild.render.charts.places", "lagesbild.render.charts.wastewater", "lagesbild.render.charts.projects",
    "lagesbild.crime.analysis", "lagesbild.projects.text", "lagesbild.stats.effects", "lagesbild.sources.euda",
    "lagesbild.places.factors", "lagesbild.wastewater.labresults", "lagesbild.render.maps", "lagesbild.text.narrative", "lagesbild.run.params",
    "lagesbild.places.analysis", "lagesbild.places.data", "lagesbild.places.text", "lagesbild.sources.processed", "lagesbild.projects.data",
    "lagesbild.publish.export", "lagesbild.render.report", "lagesbild.stats.spatial", "lagesbild.stats.counts", "lagesbild.wastewater.text",
    "lagesbild.stats.hotspots", "lagesbild.stats.concentration", "lagesbild.stats.treated", "lagesbild.stats.surveys",
    "lagesbild.stats.commitments",
    "lagesbild.wastewater.trends", "lagesbild.summary.report", "lagesbild.summary.focus_plan", "lagesbild.sources.ntu", "lagesbild.stats.indicators", "lagesbild.summary.surveys",
)

_SHELL = None


class CellError(Exception):
    """A notebook cell raised: carries the exception's name and value and the notebook executed so far."""

    def __init__(self, ename: str, evalue: str, nb) -> None:
        super().__init__(f"{ename}: {evalue}")
        self.ename, self.evalue, self.nb = ename, evalue, nb

    def __reduce__(self):  # picklable through run_forked's pipe
        return (type(self), (self.ename, self.evalue, self.nb))


def available() -> bool:
    """Whether this platform can fork (POSIX).

    Examples
    --------
    >>> available() == hasattr(os, "fork")
    True
    """
    return hasattr(os, "fork")


def preload(data_dir: str | Path | None = None) -> None:
    """Import everything a report needs and create the IPython shell, once per worker process.

    With ``data_dir`` the processed data is loaded too and kept in memory
    (:func:`lagesbild.sources.processed.keep_in_memory`): every report forked from this worker gets it
    without reading the files again. Matplotlib is set to the non-interactive Agg backend (reports
    save figures; nothing is shown). esda's import-time tqdm warning is dropped as in
    :mod:`lagesbild.stats.hotspots`.
    """
    import importlib

    import matplotlib

    from lagesbild.core.startup import defer_uri_grammars

    defer_uri_grammars()  # nbformat's jsonschema would compile URI grammars it never uses (≈ 1 s)
    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        for name in PRELOAD:
            importlib.import_module(name)
    from lagesbild.publish import export as publish

    publish.html_exporter()  # the exporter's templates are read once
    _shell()
    if data_dir is not None:
        from lagesbild.sources import processed

        processed.keep_in_memory()
        processed.load(data_dir)
    _parse_examples()


#: Environment variable: "1" when a report child draws its figures in processes of their own
#: (:func:`lagesbild.render.pngs.figures_in_processes`), "idle" when it does so whenever a core is idle
#: (:func:`cores_idle`); set by :mod:`lagesbild.run.local`.
FIGURE_PROCESSES = "LAGESBILD_FIGURE_PROCESSES"

#: The number of reports running now, shared with the report children of :func:`lagesbild.run.local.run_forks`.
_RUNNING = None


def share_running_count() -> None:
    """Keep the number of running reports in memory this process's forked children share (:func:`cores_idle`)."""
    import mmap

    global _RUNNING
    _RUNNING = mmap.mmap(-1, 8)


def set_running(n: int) -> None:
    """Note that ``n`` reports run now (after :func:`share_running_count`; else nothing)."""
    if _RUNNING is not None:
        import struct

        struct.pack_into("q", _RUNNING, 0, n)


def cores_idle() -> bool:
    """Whether fewer reports run now than the machine has cores (after :func:`share_running_count`).

    Examples
    --------
    >>> share_running_count(); set_running(0); cores_idle()
    True
    >>> set_running(os.cpu_count()); cores_idle()
    False
    """
    if _RUNNING is None:
        return False
    import struct

    return struct.unpack_from("q", _RUNNING, 0)[0] < (os.cpu_count() or 1)


#: Runs of at least this many reports warm the fork server up first (:func:`warm_up`): ≈ 3,5 s once,
#: ≈ 0,1–0,5 s less in every report (measured in bench/README.md).
WARM_UP_JOBS = 40
#: Environment variable: the kommun whose crime report the fork server warms up on (set for large runs).
WARM_UP_VAR = "LAGESBILD_PRELOAD_WARM_UP"


def warm_up(data_dir: str | Path, kommun: str, log: Callable[[str], None] | None = None) -> float | None:
    """Execute and render one crime report in this process and throw it away; its seconds, or None.

    Preloading imports the libraries; the first report drawn in a process still pays for loading fonts,
    laying out their glyphs, compiling the export's templates and the first call of many functions.
    Done once in the process the report children are forked from, every child starts with all that
    done. The report is that of ``kommun`` with its parameters; nothing is written. A report that fails
    here is logged and left to the run, which reports it as usual.

    What a report may change in its process is put back afterwards, so a child sees what it would have
    seen without the warm-up (tested): the notebook namespace, the working directory, matplotlib's
    settings and figures, warning filters, the random generators and the record of what was read.
    Caches (fonts, glyph layouts, templates, parsed folders, imported modules) stay: they are the point.
    """
    import random
    import tempfile

    import matplotlib
    import matplotlib.pyplot as plt
    import numpy as np

    from lagesbild.core import reads
    from lagesbild.core.errors import LagesbildError
    from lagesbild.run import jobs as run_jobs

    t0 = time.perf_counter()
    shell = _shell()
    namespace, cwd, rc = dict(shell.user_ns), os.getcwd(), matplotlib.rcParams.copy()
    filters, states = list(warnings.filters), (random.getstate(), np.random.get_state())
    try:
        with tempfile.TemporaryDirectory() as out:
            todo, _ = run_jobs.plan([kommun], ["crime_trends"], data_dir, out)
            for job in todo:
                render_notebook(job, execute_notebook(notebook_path(job.report), job.parameters,
                                                      cwd=notebook_path(job.report).parent), t0)
    except (LagesbildError, CellError) as exc:
        (log or (lambda s: print(s, file=sys.stderr)))(f"warm-up on {kommun} skipped: {first_line(str(exc))}")
        return None
    finally:
        shell.user_ns.clear()
        shell.user_ns.update(namespace)
        os.chdir(cwd)
        plt.close("all")
        matplotlib.rcParams.update(rc)
        warnings.filters[:] = filters
        random.setstate(states[0])
        np.random.set_state(states[1])
        reads.start()
    return time.perf_counter() - t0


def _parse_examples() -> None:
    """Parse the bundled example folders once (:func:`lagesbild.inputs.folders.parsed_once`).

    Every kommun without its own place, project, survey or plan data reads them (and keeps none of their rows): parsed
    here, before the fork, each report gets them as they are. A folder that fails is left to the reports,
    which then say what is wrong with it.
    """
    from lagesbild.core.errors import LagesbildError
    from lagesbild.core.paths import DATA
    from lagesbild.places.data import load_place_data
    from lagesbild.projects.data import load_project_folder
    from lagesbild.summary.followup import load_plans
    from lagesbild.summary.local_surveys import EXAMPLE_LOCAL_SURVEYS, load_local_surveys
    from lagesbild.summary.surveys import EXAMPLE_TRYGGHET, load_trygghet_folder

    for load in (lambda: load_place_data(DATA / "example" / "places", "1283"),
                 lambda: load_project_folder(DATA / "example" / "projects", "1283"),
                 # the lägesbild's: 0,7 s a report before (the trygghetsmätning, local surveys and åtgärdsplaner)
                 lambda: load_trygghet_folder(EXAMPLE_TRYGGHET, "2080"),
                 lambda: load_local_surveys(EXAMPLE_LOCAL_SURVEYS, "1283"),
                 lambda: load_plans("", "2080")):
        try:
            load()
        except LagesbildError:
            continue


def _shell():
    """The in-process IPython shell (no history database: children run in parallel)."""
    global _SHELL
    if _SHELL is None:
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False
        _SHELL = InteractiveShell.instance(config=config)
        # a terminal shell prints "Out[n]:" for a cell's last value; a kernel sends it as execute_result,
        # which execute_notebook builds itself from the value
        _SHELL.displayhook.write_output_prompt = lambda: None
        _SHELL.displayhook.write_format_data = lambda *args, **kwargs: None
    return _SHELL


def execute_notebook(path: str | Path, parameters: dict, cwd: str | Path | None = None):
    """Execute a notebook's code cells in this process with IPython and return the executed notebook.

    Parameters are injected as papermill does (:func:`papermill.parameterize.parameterize_notebook`:
    a cell tagged ``injected-parameters`` after the ``parameters`` cell). Call it in a fresh child
    (:func:`run_forked`): the cells run in this process's one IPython namespace.

    Raises
    ------
    CellError
        A cell raised; ``.nb`` holds the notebook up to and including that cell's error output.
    """
    import nbformat
    from IPython.utils.capture import capture_output
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    path = Path(path)
    nb = load_notebook_node(str(path))  # as papermill reads it: every cell gets metadata.tags
    nb = parameterize_notebook(nb, parameters, kernel_name="python3", language="python")
    shell = _shell()
    if cwd is not None:
        os.chdir(cwd)
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
        with capture_output(stdout=True, stderr=True, display=True) as captured:
            result = shell.run_cell(cell.source, store_history=False, silent=False)
        outputs = []
        if captured.stdout:
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=captured.stdout))
        if captured.stderr:
            outputs.append(nbformat.v4.new_output("stream", name="stderr", text=captured.stderr))
        for rich in captured.outputs:
            outputs.append(nbformat.v4.new_output("display_data", data=rich.data, metadata=rich.metadata or {}))
        if result.result is not None:
            data, metadata = shell.display_formatter.format(result.result)
            if data:  # e.g. report.HTMLString has displayed itself already and formats to nothing
                outputs.append(nbformat.v4.new_output("execute_result", data=data, metadata=metadata,
                                                      execution_count=count))
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            tb = traceback.format_exception(type(error), error, error.__traceback__)
            outputs.append(nbformat.v4.new_output("error", ename=type(error).__name__, evalue=str(error),
                                                  traceback=tb))
        cell.outputs = outputs
        cell.execution_count = count
        if error is not None:
            raise CellError(type(error).__name__, str(error), nb)
    return nb


def run_forked(fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(*args)`` in a child forked from this process and return its (picklable) result.

    The child sends the result (or the exception it raised) through a pipe and exits with
    ``os._exit``, never returning into the caller's loop. A child killed by a signal raises
    :class:`ChildProcessError` here; nothing it did to its memory reaches this process.

    Examples
    --------
    >>> run_forked(pow, 2, 10)
    1024
    """
    return finish_forked(*start_forked(fn, *args))


def start_forked(fn: Callable[..., Any], *args: Any) -> tuple[int, int]:
    """Start ``fn(*args)`` in a forked child; return ``(pid, fd)`` for :func:`finish_forked`.

    The child's result arrives on ``fd`` (readable when the child is done: a caller may wait on
    several with :func:`multiprocessing.connection.wait`).

    Examples
    --------
    >>> finish_forked(*start_forked(divmod, 7, 2))
    (3, 1)
    """
    if not available():
        raise RuntimeError("run_forked needs os.fork (POSIX); use the kernel engine on this platform")
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        code = 0
        try:
            payload = pickle.dumps((True, fn(*args)))
        except BaseException as exc:  # noqa: BLE001 — everything goes back to the parent, which re-raises it
            code = 1
            try:
                payload = pickle.dumps((False, exc))
            except Exception:  # noqa: BLE001 — an exception that cannot be pickled is sent as text
                payload = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        try:
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, read_fd


def finish_forked(pid: int, read_fd: int) -> Any:
    """The result of a child from :func:`start_forked` (its exception re-raised); waits for it to end.

    Raises
    ------
    ChildProcessError
        The child was killed by a signal, or ended without a result.
    """
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        raise ChildProcessError(f"the report process was killed by signal {sig} ({signal.Signals(sig).name})")
    if not data:
        raise ChildProcessError(f"the report process exited with status {os.WEXITSTATUS(status)} without a result")
    ok, value = pickle.loads(data)
    if ok:
        return value
    raise value


class WarmEngine:
    """Pre-imported workers (:func:`preload`) that fork a fresh child per report (:func:`run_forked`).

    The local pool's workers are forked from one fork server that imported everything and loaded the
    data once (:mod:`lagesbild.run._forkserver`): they share those pages instead of each holding a copy.

    Examples
    --------
    >>> e = WarmEngine()
    >>> e.name, e.available() == hasattr(os, "fork")
    ('warm', True)
    """

    name = "warm"
    description = "pre-imported workers fork a fresh process per report (default where the OS can fork)"

    def available(self) -> bool:
        """Whether this platform can fork (:func:`available`)."""
        return available()

    def prepare(self, data_dir: str | Path | None = None) -> None:
        """Import everything and, with ``data_dir``, load the processed data (:func:`preload`)."""
        preload(data_dir)

    def pool_context(self, data_dir: str | Path):
        """A fork server that preloads for ``data_dir`` (``LAGESBILD_PRELOAD_DATA``, unless already set)."""
        import multiprocessing

        os.environ.setdefault("LAGESBILD_PRELOAD_DATA", str(data_dir))
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["lagesbild.run._forkserver"])
        return ctx

    def render(self, job: Job) -> Outcome:
        """Execute one job in a child forked from this process; return its
        :class:`~lagesbild.run.jobs.Outcome` (nothing written). A child that dies (killed, out of memory) is
        the job's failure."""
        t0 = time.perf_counter()
        try:
            return run_forked(_render_child, job)
        except ChildProcessError as exc:
            return Outcome(Result(job.kommun, job.report, False, time.perf_counter() - t0,
                                  f"ChildProcessError: {exc}", name=job.name))


def _render_child(job: Job) -> Outcome:
    """In the forked child: execute the job's notebook and render it (every failure becomes the Outcome)."""
    t0 = time.perf_counter()
    mode = os.environ.get(FIGURE_PROCESSES)
    if mode == "1" or (mode == "idle" and _RUNNING is not None):
        from lagesbild.render import pngs

        # figures beside the cells: always, or whenever a core is idle at the time
        pngs.figures_in_processes(True if mode == "1" else cores_idle)
    try:
        try:
            nb = execute_notebook(notebook_path(job.report), job.parameters, cwd=notebook_path(job.report).parent)
        except CellError as exc:
            return failed_outcome(job, f"{exc.ename}: {first_line(exc.evalue)}", t0, nb=exc.nb)
        return render_notebook(job, nb, t0)
    except Exception as exc:  # noqa: BLE001 — a report must report, never crash the run
        return failed_outcome(job, f"{type(exc).__name__}: {first_line(str(exc))}", t0, tb=traceback.format_exc())
