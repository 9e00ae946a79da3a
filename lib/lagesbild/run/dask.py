"""Run report jobs on an existing Dask distributed cluster (``run_all.py --scheduler tcp://HOST:PORT``).

The local process pool stays the default; this module is used only when a scheduler address is given.
The division of labour keeps publication exactly-once even when workers die:

- a **worker** executes a job with an engine (:mod:`lagesbild.run.engines`) and returns its
  :class:`~lagesbild.run.jobs.Outcome` (the page and its key-figure JSON, or what a failure leaves) — it
  never writes to the output folder;
- the **client** (the ``run_all.py`` process) writes each outcome with :func:`lagesbild.run.jobs.record`
  as its future completes (:func:`run_on_cluster`). A worker killed mid-job loses nothing: the scheduler reruns the job on
  another worker, and the report is written once, when its one future completes.

Workers execute with the warm engine by default (:mod:`lagesbild.run.engines.warm`): the first job on a
worker prepares it — imports the libraries and loads the data (or ``dask worker --preload
lagesbild.run.dask`` imports them at start-up) — and each report runs in a child forked from the worker. Every worker must run the same
lägesbild (version, commit, notebooks) and see the same data folder at the same path;
:func:`check_workers` refuses to start otherwise, naming the worker and what differs.
"""

from __future__ import annotations

import hashlib
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from lagesbild import __version__
from lagesbild.core.errors import LagesbildError
from lagesbild.core.paths import git_commit, notebook_path
from lagesbild.run import jobs as _jobs
from lagesbild.run.engines import get_engine
from lagesbild.run.engines import warm as _warm
from lagesbild.run.jobs import Job, JobOrder, Outcome, Result, first_line

_PREPARED: set[tuple[str, str]] = set()
_PREPARE_LOCK = threading.Lock()

#: Seconds to wait for the scheduler and for the first worker.
CONNECT_TIMEOUT = 30


class ClusterError(LagesbildError):
    """The cluster cannot run this suite's jobs (unreachable, no workers, or workers that differ)."""


def fingerprint(data_dir: str | Path, reports: list[str]) -> dict:
    """What must be the same on the client and every worker for their reports to be identical.

    Parameters
    ----------
    data_dir : str or Path
        The data folder as the jobs name it (an absolute path; workers must see it at the same path).
    reports : list of str
        The reports the run executes.

    Returns
    -------
    dict
        ``lagesbild`` version, git commit, Python version, a digest of each report's notebook and of the
        data folder's ``processed/manifest.json`` (``None`` if the worker does not see it).

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> fp = fingerprint(DATA, ["crime_trends"])
    >>> sorted(fp)
    ['data', 'git_commit', 'lagesbild', 'notebooks', 'python']
    >>> fp == fingerprint(DATA, ["crime_trends"])
    True
    """
    def digest(path: Path) -> str | None:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else None

    return {
        "lagesbild": __version__,
        "git_commit": git_commit(),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "notebooks": {r: digest(notebook_path(r)) for r in sorted(reports)},
        "data": digest(Path(data_dir) / "processed" / "manifest.json"),
    }


def differences(mine: dict, theirs: dict) -> list[str]:
    """What differs between the client's and a worker's :func:`fingerprint`, in words.

    Examples
    --------
    >>> a = {"lagesbild": "0.1", "git_commit": "abc", "python": "3.11", "notebooks": {"x": "1"}, "data": "d"}
    >>> differences(a, dict(a, data=None, python="3.12"))
    ['python: 3.11 here, 3.12 on the worker', 'data: the worker does not see the data folder at the same path']
    >>> differences(a, a)
    []
    """
    out = []
    for key in mine:
        if mine[key] == theirs.get(key):
            continue
        if key == "data" and theirs.get(key) is None:
            out.append("data: the worker does not see the data folder at the same path")
        elif key == "notebooks":
            changed = sorted(r for r in mine[key] if mine[key][r] != theirs.get(key, {}).get(r))
            out.append(f"notebooks differ: {', '.join(changed)}")
        else:
            out.append(f"{key}: {mine[key]} here, {theirs.get(key)} on the worker")
    return out


def connect(address: str):
    """A :class:`distributed.Client` for the scheduler at ``address``, with at least one worker.

    Raises
    ------
    ClusterError
        The scheduler cannot be reached, or it has no worker within :data:`CONNECT_TIMEOUT` seconds.
    """
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address}: {exc}. Fix: start one (`dask scheduler`) and workers "
            f"(`dask worker {address} --nthreads 1 --preload lagesbild.run.dask`), or check the address "
            "(tcp://HOST:PORT, as the scheduler prints it)") from exc
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no worker. Fix: start at least one "
            f"(`dask worker {address} --nthreads 1 --preload lagesbild.run.dask`)") from exc
    return client


def check_workers(client, data_dir: str | Path, reports: list[str]) -> None:
    """Refuse a cluster whose workers would build different reports than this machine.

    Raises
    ------
    ClusterError
        Naming each worker that differs and how (see :func:`differences`).
    """
    mine = fingerprint(data_dir, reports)
    theirs = client.run(fingerprint, str(data_dir), list(reports))
    problems = [f"{worker}: {'; '.join(diff)}" for worker, fp in sorted(theirs.items())
                if (diff := differences(mine, fp))]
    if problems:
        raise ClusterError(
            "these Dask workers would not build the same reports as this machine — " + " | ".join(problems)
            + ". Fix: run every worker from the same lägesbild checkout (same commit, installed with `make venv`) "
            "with the data folder at the same path (a shared file system or an identical copy), then run again")


def run_job(job: Job, engine: str) -> Outcome:
    """Execute one job on a worker with the named engine and return its
    :class:`~lagesbild.run.jobs.Outcome` (writes nothing).

    The worker is prepared for the engine and the job's data folder once (:meth:`Engine.prepare
    <lagesbild.run.engines.Engine.prepare>`: the warm engine imports and loads the data, then forks a
    child per report; the kernel engine starts a fresh Jupyter kernel per report). A job for PDF draws
    static pictures of its maps there; the PDF and Word files are written afterwards by the client
    (:mod:`lagesbild.run.formats`), from the pages it published.
    """
    from lagesbild.run.jobs import print_maps

    chosen = get_engine(engine)
    _ensure_prepared(chosen, job.parameters["data_dir"])
    with print_maps(job):  # the same for every job of a run (its formats), so threads of a worker agree
        return chosen.render(job)


def _ensure_prepared(engine, data_dir: str) -> None:
    with _PREPARE_LOCK:
        if (engine.name, data_dir) not in _PREPARED:
            engine.prepare(data_dir)
            _PREPARED.add((engine.name, data_dir))


def dask_setup(worker=None) -> None:
    """``dask worker ... --preload lagesbild.run.dask``: import the report libraries when the worker starts.

    The data is loaded by the first job (its path comes with the job). Without the preload the first job
    imports everything itself; the reports are the same either way.
    """
    _warm.preload()


def execute(client, order: JobOrder, engine: str) -> Iterator:
    """Submit jobs to the cluster in ``order`` and yield ``(job, outcome_or_exception)`` as each completes.

    ``order`` is a :class:`lagesbild.run.jobs.JobOrder`: its ready jobs are submitted at once, and the jobs
    that wait for others (a kommun's summary) when the caller resumes this generator after recording the
    last job they wait for. Each job is one task with a unique key (``pure=False``): the scheduler reruns a
    task whose worker died, and its future completes once, so the caller records each report once. A task
    that fails on the cluster itself (e.g. :class:`distributed.KilledWorker` after repeated worker deaths)
    is yielded as the exception, never raised.
    """
    from distributed import as_completed

    run_id = uuid.uuid4().hex[:8]
    futures: dict = {}
    pending = as_completed(loop=client.loop)

    def submit(job) -> None:
        fut = client.submit(run_job, job, engine, key=f"lagesbild-{run_id}-{job.kommun}-{job.report}", pure=False)
        futures[fut] = job
        pending.add(fut)

    for job in order.ready:
        submit(job)
    for fut in pending:
        job = futures.pop(fut)
        try:
            outcome = fut.result()
        except Exception as exc:  # noqa: BLE001 — a lost task is this job's failure, not the run's
            outcome = exc
        fut.release()
        yield job, outcome
        for after in order.done(job):
            submit(after)


def describe(client) -> str:
    """One line on the cluster, for the run's log.

    Examples
    --------
    >>> class C:
    ...     scheduler_info = staticmethod(lambda: {"address": "tcp://127.0.0.1:8786",
    ...                                            "workers": {"a": {"nthreads": 1}, "b": {"nthreads": 2}}})
    >>> describe(C())
    'Dask cluster tcp://127.0.0.1:8786: 2 workers, 3 threads'
    """
    info = client.scheduler_info()
    workers = info.get("workers", {})
    threads = sum(w.get("nthreads", 0) for w in workers.values())
    return f"Dask cluster {info.get('address', '?')}: {len(workers)} workers, {threads} threads"



def run_on_cluster(scheduler: str, order: JobOrder, reports: list[str], data_dir: str | Path, engine: str,
                   on_result: Callable[[Result], None], log: Callable[[str], None] = print,
                   on_start: Callable[[], None] | None = None) -> int:
    """Execute ``order``'s jobs on the Dask cluster at ``scheduler``; this process records each outcome as it
    arrives (exactly once per job) and calls ``on_result`` with its result.

    Parameters
    ----------
    scheduler : str
        The scheduler's address (``tcp://HOST:PORT``).
    order : JobOrder
    reports : list of str
        The reports of the run (their notebooks must be the same on every worker).
    data_dir : str or Path
    engine : str
        A name in :data:`lagesbild.run.engines.ENGINES`, used on the workers.
    on_result : callable
        Called with each job's :class:`~lagesbild.run.jobs.Result`.
    log : callable
        Gets one line describing the cluster (:func:`describe`).
    on_start : callable, optional
        Called once the cluster is reached and its workers checked, before the first job is sent.

    Returns
    -------
    int
        Reports written by this process.

    Raises
    ------
    ClusterError
        The cluster cannot be reached, has no worker, or its workers differ from this machine (before any
        report runs).
    """
    client = connect(scheduler)
    published = 0
    try:
        check_workers(client, data_dir, reports)
        log(describe(client))
        if on_start is not None:
            on_start()
        for job, outcome in execute(client, order, engine):
            if isinstance(outcome, Exception):
                res = Result(job.kommun, job.report, False, error=f"lost on the cluster: {type(outcome).__name__}: "
                             f"{first_line(str(outcome))}", name=job.name)
            else:
                res = _jobs.record(job, outcome)
                published += res.ok
            on_result(res)
    finally:
        client.close()
    return published
